#include "services/server/library_logs.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/base/rate_limiter.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/support/log.h"

namespace inrapport {
namespace {

RateLimiter& Limiter() {
  static RateLimiter* const limiter = new RateLimiter(10, absl::Seconds(1));
  return *limiter;
}

void Write(LogLevel level, absl::string_view event, const char* file, int line,
           absl::string_view message) {
  const std::string where = absl::StrCat(file != nullptr ? file : "?", ":", line);
  // Source locations are a bounded set of keys.
  const RateLimiter::Verdict verdict = Limiter().Admit(absl::StrCat(event, " ", where));
  if (!verdict.allowed) return;
  std::vector<LogField> fields = {{"source", where}, {"message", std::string(message)}};
  if (verdict.suppressed > 0) fields.emplace_back("suppressed", absl::StrCat(verdict.suppressed));
  LogFields(level, event, fields);
}

void GrpcLog(gpr_log_func_args* args) {
  LogLevel level = LogLevel::kInfo;
  switch (args->severity) {
    case GPR_LOG_SEVERITY_DEBUG: level = LogLevel::kDebug; break;
    case GPR_LOG_SEVERITY_INFO: level = LogLevel::kInfo; break;
    case GPR_LOG_SEVERITY_ERROR: level = LogLevel::kError; break;
  }
  Write(level, "grpc", args->file, args->line, args->message != nullptr ? args->message : "");
}

void ProtobufLog(google::protobuf::LogLevel severity, const char* file, int line,
                 const std::string& message) {
  LogLevel level = LogLevel::kError;
  switch (severity) {
    case google::protobuf::LOGLEVEL_INFO: level = LogLevel::kInfo; break;
    case google::protobuf::LOGLEVEL_WARNING: level = LogLevel::kWarning; break;
    default: level = LogLevel::kError; break;
  }
  Write(level, "protobuf", file, line, message);
}

}  // namespace

void RouteLibraryLogs() {
  gpr_set_log_function(&GrpcLog);
  google::protobuf::SetLogHandler(&ProtobufLog);
}

}  // namespace inrapport
