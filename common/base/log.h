// Structured logging: one line per event on stderr, logfmt by default
// (`ts=... level=info event=listening service=grpc address=127.0.0.1:50051`)
// or one JSON object per line, so that log collectors can parse it and
// people can read it.
#ifndef INRAPPORT_COMMON_BASE_LOG_H_
#define INRAPPORT_COMMON_BASE_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace inrapport {

enum class LogLevel { kDebug, kInfo, kWarning, kError };
enum class LogFormat { kLogfmt, kJson };

// Applies to every later line; set once at start, before other threads log.
void SetLogFormat(LogFormat format);

using LogField = std::pair<absl::string_view, std::string>;

// Thread-safe; each call writes one whole line. In logfmt, values with
// spaces, quotes or '=' are quoted; in JSON every value is a string.
// Fields keep their order, after ts, level and event.
void Log(LogLevel level, absl::string_view event,
         std::initializer_list<LogField> fields = {});
// The same, for fields assembled at run time.
void LogFields(LogLevel level, absl::string_view event, const std::vector<LogField>& fields);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BASE_LOG_H_
