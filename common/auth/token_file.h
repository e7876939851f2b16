// Bearer tokens, stored only as SHA-256 hashes: a stolen tokens file gives
// no token away. One line per token, `<sha256 hex of the token> <principal>`,
// `#` comment lines and blank lines ignored:
//
//   # inrapport tokens: printf %s "$TOKEN" | sha256sum
//   9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 municipality:0180
//   60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752 agency:skolverket
#ifndef INRAPPORT_COMMON_AUTH_TOKEN_FILE_H_
#define INRAPPORT_COMMON_AUTH_TOKEN_FILE_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/principal.h"

namespace inrapport {

// Lower-case hex SHA-256 of `text`.
std::string Sha256Hex(absl::string_view text);

// Hash -> principal. INVALID_ARGUMENT naming `source` and the line for a
// malformed line, a hash that is not 64 hex digits, a bad principal or a
// hash listed twice.
using TokenTable = absl::flat_hash_map<std::string, Principal>;
absl::StatusOr<TokenTable> ParseTokens(absl::string_view text, absl::string_view source);

// The tokens of a file, re-read on request (SIGHUP). Thread-safe: lookups
// see the old table or the new one, never a mix.
class TokenFile {
 public:
  // Reads `path`; NOT_FOUND if it cannot be read.
  static absl::StatusOr<std::unique_ptr<TokenFile>> Open(std::string path);

  // Re-reads the file. On an error the tokens in use stay as they were.
  // Returns the number of tokens now in use.
  absl::StatusOr<size_t> Reload();

  // The principal of a bearer token, if the token is known.
  std::optional<Principal> Find(absl::string_view token) const;

  const std::string& path() const { return path_; }

 private:
  explicit TokenFile(std::string path) : path_(std::move(path)) {}
  static absl::StatusOr<TokenTable> Read(const std::string& path);

  const std::string path_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const TokenTable> table_ ABSL_GUARDED_BY(mu_);
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_AUTH_TOKEN_FILE_H_
