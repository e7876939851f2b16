// The tokens file parser (ParseTokens, common/auth/token_file.h): an error
// is INVALID_ARGUMENT naming the source and a line the text has; a table
// holds one lower-case 64-digit hash per token line, and writing it back as
// `<hash> <principal>` lines reads as the same table.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/auth/token_file.h"
#include "fuzz/fuzz_check.h"

namespace inrapport {
namespace {

void Check(absl::string_view text) {
  absl::StatusOr<TokenTable> table = ParseTokens(text, "fuzz");
  if (!table.ok()) {
    absl::string_view message = table.status().message();
    int line = 0;
    const bool named = absl::ConsumePrefix(&message, "fuzz:") &&
                       absl::SimpleAtoi(message.substr(0, message.find(':')), &line);
    const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    FUZZ_CHECK(absl::IsInvalidArgument(table.status()) && named && line >= 1 && line <= lines,
               text, table.status().ToString());
    return;
  }
  size_t entries = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty() && line.front() != '#') ++entries;
  }
  FUZZ_CHECK(table->size() == entries, text,
             absl::StrCat(table->size(), " tokens from ", entries, " lines"));
  std::string written = "# written back\n";
  for (const auto& [hash, principal] : *table) {
    FUZZ_CHECK(hash.size() == 64, text, hash);
    for (char c : hash) {
      FUZZ_CHECK(absl::ascii_isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'),
                 text, hash);
    }
    absl::StrAppend(&written, hash, " ", principal.ToString(), "\n");
  }
  absl::StatusOr<TokenTable> again = ParseTokens(written, "written");
  FUZZ_CHECK(again.ok() && *again == *table, text,
             absl::StrCat("written as \"", written, "\": ", again.status().ToString()));
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  inrapport::Check(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
