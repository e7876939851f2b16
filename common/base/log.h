// Structured logging: one line per event on stderr, logfmt style
// (`ts=... level=info event=listening service=grpc address=127.0.0.1:50051`),
// so that log collectors can parse it and people can read it.
#ifndef INRAPPORT_COMMON_BASE_LOG_H_
#define INRAPPORT_COMMON_BASE_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace inrapport {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

using LogField = std::pair<absl::string_view, std::string>;

// Thread-safe; each call writes one whole line. Values with spaces, quotes
// or '=' are quoted.
void Log(LogLevel level, absl::string_view event,
         std::initializer_list<LogField> fields = {});

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BASE_LOG_H_
