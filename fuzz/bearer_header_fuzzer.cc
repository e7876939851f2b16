// The parser of the `authorization: Bearer <token>` header's value
// (common/auth/bearer_header.h), which reads whatever a caller sends before
// anything else: an accepted token is a non-empty part of the value after
// the scheme and its space, of printable ASCII without spaces; a refusal is
// UNAUTHENTICATED with a message that does not depend on the token, so it
// never echoes one into a log line.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/bearer_header.h"
#include "fuzz/fuzz_check.h"

namespace inrapport {
namespace {

// `value` with each letter and digit after the scheme's 7 bytes changed to
// another of its kind: the same shape, another token.
std::string OtherToken(absl::string_view value) {
  std::string other(value);
  for (size_t i = 7; i < other.size(); ++i) {
    char& c = other[i];
    if (c >= 'a' && c <= 'z') {
      c = c == 'z' ? 'a' : c + 1;
    } else if (c >= 'A' && c <= 'Z') {
      c = c == 'Z' ? 'A' : c + 1;
    } else if (c >= '0' && c <= '9') {
      c = c == '9' ? '0' : c + 1;
    }
  }
  return other;
}

void Check(absl::string_view value) {
  absl::StatusOr<absl::string_view> token = ParseBearerHeader(value);
  if (!token.ok()) {
    const absl::Status& status = token.status();
    FUZZ_CHECK(absl::IsUnauthenticated(status) &&
                   absl::StartsWith(status.message(), "authorization: "),
               value, status.ToString());
    FUZZ_CHECK(status.message().size() < 200, value, status.ToString());
    // The message is the same for another token of the same shape: it
    // quotes nothing of the token.
    const std::string other = OtherToken(value);
    absl::StatusOr<absl::string_view> again = ParseBearerHeader(other);
    FUZZ_CHECK(!again.ok() && again.status() == status, value,
               absl::StrCat("another token of the same shape: ", again.status().ToString()));
    return;
  }
  // A part of the value, after "Bearer " (in any case).
  FUZZ_CHECK(value.size() > 7 && absl::EqualsIgnoreCase(value.substr(0, 7), "bearer "), value,
             "accepted without the scheme");
  FUZZ_CHECK(token->data() >= value.data() + 7 &&
                 token->data() + token->size() <= value.data() + value.size(),
             value, "the token is not a part of the value after the scheme");
  FUZZ_CHECK(!token->empty(), value, "an empty token");
  for (char c : *token) {
    FUZZ_CHECK(c > ' ' && c <= '~', value,
               absl::StrCat("the token holds byte ", static_cast<unsigned char>(c) + 0));
  }
  // Only blanks around it.
  const absl::string_view before = value.substr(7, token->data() - value.data() - 7);
  const absl::string_view after = value.substr(token->data() + token->size() - value.data());
  for (absl::string_view blanks : {before, after}) {
    FUZZ_CHECK(blanks.find_first_not_of(" \t") == absl::string_view::npos, value,
               "more than blanks around the token");
  }
  // The same token from another spelling of the scheme.
  const std::string upper = absl::StrCat("BEARER ", value.substr(7));
  absl::StatusOr<absl::string_view> again = ParseBearerHeader(upper);
  FUZZ_CHECK(again.ok() && *again == *token, value, again.status().ToString());
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  inrapport::Check(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
