// The value of an `authorization` header in the Bearer scheme (RFC 6750):
// the text only, so that the rules can be tested and fuzzed without a call.
#ifndef INRAPPORT_COMMON_AUTH_BEARER_HEADER_H_
#define INRAPPORT_COMMON_AUTH_BEARER_HEADER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace inrapport {

// The token of `value`, which must be "Bearer <token>": the scheme in any
// case (RFC 9110), a space, and the token, with any spaces and tabs around
// it left off. The token is one or more bytes of printable ASCII without
// spaces (0x21 to 0x7E; tokens are made with `openssl rand -hex`, see
// docs/security.md); one with anything else in it is refused, not looked
// up.
//
// Returns a view into `value` (so it lives as long as `value` does), or
// UNAUTHENTICATED with a message that starts with "authorization: " and
// says what is wrong; the message never quotes `value`, as a token must
// not reach a log line.
absl::StatusOr<absl::string_view> ParseBearerHeader(absl::string_view value);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_AUTH_BEARER_HEADER_H_
