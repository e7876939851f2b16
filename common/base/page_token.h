// Page tokens of the List* calls: opaque to clients, they hold the last key
// of the page behind a prefix that tells a token of one call from anything
// else, web-safe base64 encoded.
#ifndef INRAPPORT_COMMON_BASE_PAGE_TOKEN_H_
#define INRAPPORT_COMMON_BASE_PAGE_TOKEN_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace inrapport {

std::string EncodePageToken(absl::string_view prefix, absl::string_view last_key);

// The last key, or INVALID_ARGUMENT "page_token: not a token returned by
// <rpc>" for anything that is not a token with this prefix.
absl::StatusOr<std::string> DecodePageToken(absl::string_view prefix, absl::string_view token,
                                            absl::string_view rpc);

// INVALID_ARGUMENT naming page_size unless 0 <= page_size <= max.
absl::Status CheckPageSize(int page_size, int max);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BASE_PAGE_TOKEN_H_
