// Small helpers shared by the handlers.
#ifndef INRAPPORT_SERVICES_HANDLERS_HANDLER_UTIL_H_
#define INRAPPORT_SERVICES_HANDLERS_HANDLER_UTIL_H_

#include <cstddef>
#include <initializer_list>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "services/convert/proto_convert.h"

namespace inrapport {

// Finishes a unary call with `status` and returns its reactor.
inline grpc::ServerUnaryReactor* FinishWith(grpc::CallbackServerContext* context,
                                            const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// INVALID_ARGUMENT naming `field` unless `value` is a known Sector value.
inline absl::Status CheckSector(const char* field, int value) {
  if (v1::Sector_IsValid(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": unknown sector value ", value));
}

// The longest filter string (an id, a municipality code, a period) and page
// token a request may carry: well above any valid one, far below the
// message limit. Checked before the caller is authorized, so that no
// oversized text reaches the authorization's log line.
inline constexpr size_t kMaxFilterLength = 64;
inline constexpr size_t kMaxPageTokenLength = 512;

struct FieldLength {
  const char* field;
  absl::string_view value;
  size_t limit = kMaxFilterLength;
};

// INVALID_ARGUMENT naming the first field longer than its limit.
inline absl::Status CheckLengths(std::initializer_list<FieldLength> fields) {
  for (const FieldLength& f : fields) {
    if (f.value.size() > f.limit) {
      return absl::InvalidArgumentError(absl::StrCat(f.field, ": at most ", f.limit,
                                                     " bytes, got ", f.value.size()));
    }
  }
  return absl::OkStatus();
}

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_HANDLER_UTIL_H_
