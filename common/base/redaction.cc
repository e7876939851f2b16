#include "common/base/redaction.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"

namespace inrapport {
namespace {

constexpr absl::string_view kMask = "****";

// A span [begin, end) of `text` that holds a secret.
using Span = std::pair<size_t, size_t>;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecoded(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    if (text[i] == '+') {
      out.push_back(' ');
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

bool NamesPassword(absl::string_view key) {
  return absl::EndsWith(absl::AsciiStrToLower(PercentDecoded(key)), "password");
}

// The end of a key=value value that starts at `i`: a single-quoted value to
// its closing quote, else to white space, '&' or '#'; backslash escapes the
// next byte either way.
size_t ValueEnd(absl::string_view text, size_t i) {
  if (i < text.size() && text[i] == '\'') {
    for (++i; i < text.size(); ++i) {
      if (text[i] == '\\') {
        ++i;
      } else if (text[i] == '\'') {
        return i + 1;
      }
    }
    return text.size();
  }
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      ++i;
      if (i >= text.size()) return text.size();
    } else if (absl::ascii_isspace(static_cast<unsigned char>(c)) || c == '&' || c == '#') {
      return i;
    }
  }
  return text.size();
}

// Userinfo passwords of a URI: between the first ':' and the last '@' of
// the part before any '?'.
void UserinfoSpans(absl::string_view db, std::vector<Span>& spans) {
  const size_t scheme = db.find("://");
  if (scheme == absl::string_view::npos) return;
  const size_t start = scheme + 3;
  size_t end = db.find('?', start);
  if (end == absl::string_view::npos) end = db.size();
  const size_t at = db.substr(0, end).rfind('@');
  if (at == absl::string_view::npos || at < start) return;
  const size_t colon = db.find(':', start);
  if (colon == absl::string_view::npos || colon > at) return;
  spans.emplace_back(colon + 1, at);
}

// URI query parameters whose decoded name ends in "password".
void QuerySpans(absl::string_view db, std::vector<Span>& spans) {
  if (db.find("://") == absl::string_view::npos) return;
  size_t i = db.find('?');
  if (i == absl::string_view::npos) return;
  ++i;
  while (i <= db.size()) {
    size_t end = db.find_first_of("&#", i);
    if (end == absl::string_view::npos) end = db.size();
    const absl::string_view pair = db.substr(i, end - i);
    const size_t equals = pair.find('=');
    if (equals != absl::string_view::npos && NamesPassword(pair.substr(0, equals))) {
      spans.emplace_back(i + equals + 1, end);
    }
    if (end >= db.size() || db[end] == '#') break;
    i = end + 1;
  }
}

// Any "password" (in any case) followed by optional spaces and '=' (or an
// encoded "%3D"): the value after it. This covers libpq's key=value form
// and anything the parsers above did not understand.
void KeywordSpans(absl::string_view db, std::vector<Span>& spans) {
  const std::string lower = absl::AsciiStrToLower(db);
  constexpr char kWord[] = "password";
  constexpr size_t kWordLength = sizeof(kWord) - 1;
  for (size_t p = lower.find(kWord); p != std::string::npos; p = lower.find(kWord, p + 1)) {
    size_t i = p + kWordLength;
    while (i < db.size() && (db[i] == ' ' || db[i] == '\t')) ++i;
    if (i < db.size() && db[i] == '=') {
      ++i;
    } else if (absl::StartsWithIgnoreCase(db.substr(i), "%3d")) {
      i += 3;
    } else {
      continue;
    }
    while (i < db.size() && (db[i] == ' ' || db[i] == '\t')) ++i;
    spans.emplace_back(i, ValueEnd(db, i));
  }
}

// Every span found, overlapping or not.
std::vector<Span> SecretSpans(absl::string_view db) {
  std::vector<Span> spans;
  UserinfoSpans(db, spans);
  QuerySpans(db, spans);
  KeywordSpans(db, spans);
  return spans;
}

// The spans sorted and merged, so that overlapping finds are masked once.
std::vector<Span> MergedSpans(std::vector<Span> spans) {
  std::sort(spans.begin(), spans.end());
  std::vector<Span> merged;
  for (const Span& span : spans) {
    if (span.second <= span.first) continue;
    if (!merged.empty() && span.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, span.second);
    } else {
      merged.push_back(span);
    }
  }
  return merged;
}

}  // namespace

std::string RedactedConnectionString(absl::string_view db) {
  std::string out;
  size_t copied = 0;
  for (const Span& span : MergedSpans(SecretSpans(db))) {
    out.append(db.data() + copied, span.first - copied);
    out.append(kMask.data(), kMask.size());
    copied = span.second;
  }
  out.append(db.data() + copied, db.size() - copied);
  return out;
}

std::vector<std::string> PasswordsIn(absl::string_view db) {
  std::vector<std::string> passwords;
  for (const Span& span : SecretSpans(db)) {
    if (span.second <= span.first) continue;
    absl::string_view raw = db.substr(span.first, span.second - span.first);
    passwords.emplace_back(raw);
    std::string decoded = PercentDecoded(raw);
    if (decoded != raw) passwords.push_back(std::move(decoded));
    if (raw.size() >= 2 && raw.front() == '\'' && raw.back() == '\'') {
      std::string unquoted;
      for (size_t i = 1; i + 1 < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 2 < raw.size()) ++i;
        unquoted.push_back(raw[i]);
      }
      passwords.push_back(std::move(unquoted));
    }
  }
  // Longest first, so that a password containing another is replaced whole.
  std::sort(passwords.begin(), passwords.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return passwords;
}

std::string RedactedMessage(absl::string_view text, absl::string_view db) {
  std::string out(text);
  for (const std::string& password : PasswordsIn(db)) {
    if (password.empty()) continue;
    out = absl::StrReplaceAll(out, {{password, kMask}});
  }
  return RedactedConnectionString(out);
}

}  // namespace inrapport
