// The boilerplate purpose detector (common/flags/boilerplate.h): the words of
// a purpose are non-empty and free of separators, splitting them again gives
// the same words, and the verdict and generic words agree with each other.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "common/domain/validation.h"
#include "common/flags/boilerplate.h"
#include "fuzz/fuzz_check.h"

namespace inrapport {
namespace {

void Check(absl::string_view purpose) {
  const std::vector<std::string> words = PurposeWords(purpose);
  const std::string joined = absl::StrJoin(words, " ");
  const bool utf8 = IsValidUtf8(purpose);
  for (const std::string& word : words) {
    FUZZ_CHECK(!word.empty(), purpose, joined);
    FUZZ_CHECK(word.find_first_of(" \t\r\n.,;:!?\"'()-") == std::string::npos, purpose, word);
    // Valid text gives valid words: no character is cut in two.
    FUZZ_CHECK(!utf8 || IsValidUtf8(word), purpose, word);
  }
  // Splitting the words again changes nothing. Only for valid UTF-8: a
  // purpose is validated as UTF-8 before it is judged, and a stray byte may
  // pair differently with its neighbours once the words are rejoined.
  FUZZ_CHECK(!utf8 || PurposeWords(joined) == words, purpose, joined);

  const std::vector<std::string> generic = GenericPurposeWords(purpose);
  FUZZ_CHECK(IsBoilerplatePurpose(purpose) == !generic.empty(), purpose, joined);
  // The generic words are words of the purpose, in order.
  auto next = words.begin();
  for (const std::string& word : generic) {
    next = std::find(next, words.end(), word);
    FUZZ_CHECK(next != words.end(), purpose, absl::StrJoin(generic, " "));
    ++next;
  }
  // The verdict depends on the words only.
  FUZZ_CHECK(!utf8 || IsBoilerplatePurpose(joined) == !generic.empty(), purpose, joined);
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  inrapport::Check(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
