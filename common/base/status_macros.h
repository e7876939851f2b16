// Early-return helpers for absl::Status and absl::StatusOr. Abseil 20220623
// (Debian 12) ships none, so the project keeps its own two.
#ifndef INRAPPORT_COMMON_BASE_STATUS_MACROS_H_
#define INRAPPORT_COMMON_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define INRAPPORT_CONCAT_INNER_(a, b) a##b
#define INRAPPORT_CONCAT_(a, b) INRAPPORT_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    ::absl::Status inrapport_status_ = (expr);         \
    if (!inrapport_status_.ok()) return inrapport_status_; \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, MakeX());` declares x from the StatusOr's value,
// or returns its status from the enclosing function.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(INRAPPORT_CONCAT_(inrapport_statusor_, __LINE__), lhs, expr)

#define ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                           \
  if (!statusor.ok()) return statusor.status();     \
  lhs = std::move(statusor).value()

#endif  // INRAPPORT_COMMON_BASE_STATUS_MACROS_H_
