#include "common/base/log.h"

#include <atomic>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace inrapport {
namespace {

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

void AppendValue(std::string& line, absl::string_view value) {
  const bool quote = value.empty() ||
                     value.find_first_of(" \"=\t\n") != absl::string_view::npos;
  if (!quote) {
    line.append(value.data(), value.size());
    return;
  }
  line.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') line.push_back('\\');
    if (c == '\n') {
      line.append("\\n");
      continue;
    }
    line.push_back(c);
  }
  line.push_back('"');
}

// A JSON string literal (RFC 8259): quotes, backslashes and control
// characters escaped; other bytes, UTF-8 included, as they are.
void AppendJsonString(std::string& line, absl::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  line.push_back('"');
  for (char c : value) {
    switch (c) {
      case '"': line.append("\\\""); break;
      case '\\': line.append("\\\\"); break;
      case '\n': line.append("\\n"); break;
      case '\r': line.append("\\r"); break;
      case '\t': line.append("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          line.append("\\u00");
          line.push_back(kHex[(c >> 4) & 0xf]);
          line.push_back(kHex[c & 0xf]);
        } else {
          line.push_back(c);
        }
    }
  }
  line.push_back('"');
}

std::atomic<LogFormat> format{LogFormat::kLogfmt};

}  // namespace

void SetLogFormat(LogFormat f) { format.store(f, std::memory_order_relaxed); }

void Log(LogLevel level, absl::string_view event,
         std::initializer_list<LogField> fields) {
  LogFields(level, event, std::vector<LogField>(fields));
}

void LogFields(LogLevel level, absl::string_view event, const std::vector<LogField>& fields) {
  const std::string ts =
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  std::string line;
  if (format.load(std::memory_order_relaxed) == LogFormat::kJson) {
    absl::StrAppend(&line, "{\"ts\":\"", ts, "\",\"level\":\"", LevelName(level),
                    "\",\"event\":");
    AppendJsonString(line, event);
    for (const LogField& field : fields) {
      line.push_back(',');
      AppendJsonString(line, field.first);
      line.push_back(':');
      AppendJsonString(line, field.second);
    }
    line.push_back('}');
  } else {
    absl::StrAppend(&line, "ts=", ts, " level=", LevelName(level), " event=");
    AppendValue(line, event);
    for (const LogField& field : fields) {
      absl::StrAppend(&line, " ", field.first, "=");
      AppendValue(line, field.second);
    }
  }
  line.push_back('\n');
  // One fwrite per line: stdio locks the stream, so lines never interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace inrapport
