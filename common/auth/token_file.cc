#include "common/auth/token_file.h"

#include <openssl/sha.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace inrapport {

std::string Sha256Hex(absl::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xf]);
  }
  return hex;
}

absl::StatusOr<TokenTable> ParseTokens(absl::string_view text, absl::string_view source) {
  TokenTable table;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    const auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", number, ": ", what));
    };
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() != 2) return error("expected `<sha256 hex of the token> <principal>`");
    std::string hash = absl::AsciiStrToLower(fields[0]);
    bool hex = hash.size() == 64;
    for (char c : hash) hex = hex && absl::ascii_isxdigit(static_cast<unsigned char>(c));
    if (!hex) return error("the first field must be the 64 hex digits of a SHA-256 hash");
    absl::StatusOr<Principal> principal = ParsePrincipal(fields[1]);
    if (!principal.ok()) return error(principal.status().message());
    if (!table.emplace(std::move(hash), *std::move(principal)).second) {
      return error("this token hash is listed twice");
    }
  }
  return table;
}

absl::StatusOr<TokenTable> TokenFile::Read(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("--tokens_file: cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseTokens(buffer.str(), path);
}

absl::StatusOr<std::unique_ptr<TokenFile>> TokenFile::Open(std::string path) {
  std::unique_ptr<TokenFile> file(new TokenFile(std::move(path)));
  absl::StatusOr<size_t> loaded = file->Reload();
  if (!loaded.ok()) return loaded.status();
  return file;
}

absl::StatusOr<size_t> TokenFile::Reload() {
  absl::StatusOr<TokenTable> table = Read(path_);
  if (!table.ok()) return table.status();
  auto fresh = std::make_shared<const TokenTable>(*std::move(table));
  const size_t size = fresh->size();
  absl::MutexLock lock(&mu_);
  table_ = std::move(fresh);
  return size;
}

std::optional<Principal> TokenFile::Find(absl::string_view token) const {
  std::shared_ptr<const TokenTable> table;
  {
    absl::MutexLock lock(&mu_);
    table = table_;
  }
  // Only the hash is compared, so the lookup's timing says nothing about
  // the token.
  auto it = table->find(Sha256Hex(token));
  if (it == table->end()) return std::nullopt;
  return it->second;
}

}  // namespace inrapport
