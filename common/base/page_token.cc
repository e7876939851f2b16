#include "common/base/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace inrapport {

std::string EncodePageToken(absl::string_view prefix, absl::string_view last_key) {
  return absl::WebSafeBase64Escape(absl::StrCat(prefix, last_key));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view prefix, absl::string_view token,
                                            absl::string_view rpc) {
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(token, &decoded) || !absl::StartsWith(decoded, prefix)) {
    return absl::InvalidArgumentError(absl::StrCat("page_token: not a token returned by ", rpc));
  }
  return decoded.substr(prefix.size());
}

absl::Status CheckPageSize(int page_size, int max) {
  if (page_size < 0 || page_size > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must be between 0 and ", max, ", got ", page_size));
  }
  return absl::OkStatus();
}

}  // namespace inrapport
