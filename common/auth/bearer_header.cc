#include "common/auth/bearer_header.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"

namespace inrapport {

absl::StatusOr<absl::string_view> ParseBearerHeader(absl::string_view value) {
  constexpr absl::string_view kScheme = "bearer";
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme) ||
      value[kScheme.size()] != ' ') {
    return absl::UnauthenticatedError("authorization: expected \"Bearer <token>\"");
  }
  absl::string_view token = value.substr(kScheme.size());
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!token.empty() && blank(token.front())) token.remove_prefix(1);
  while (!token.empty() && blank(token.back())) token.remove_suffix(1);
  if (token.empty()) {
    return absl::UnauthenticatedError(
        "authorization: the token is empty: expected \"Bearer <token>\"");
  }
  for (char c : token) {
    if (c < '!' || c > '~') {
      return absl::UnauthenticatedError(
          "authorization: the token must be printable ASCII without spaces or control "
          "characters");
    }
  }
  return token;
}

}  // namespace inrapport
