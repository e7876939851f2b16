// Small helpers shared by the handlers.
#ifndef INRAPPORT_SERVICES_HANDLERS_HANDLER_UTIL_H_
#define INRAPPORT_SERVICES_HANDLERS_HANDLER_UTIL_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "services/convert/proto_convert.h"

namespace inrapport {

// INVALID_ARGUMENT naming `field` unless `value` is a known Sector value.
inline absl::Status CheckSector(const char* field, int value) {
  if (v1::Sector_IsValid(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": unknown sector value ", value));
}

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_HANDLER_UTIL_H_
