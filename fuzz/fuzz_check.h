// FUZZ_CHECK: an invariant of a fuzz target. A violation prints the input
// and the broken invariant and aborts, which libFuzzer saves as a crash.
#ifndef INRAPPORT_FUZZ_FUZZ_CHECK_H_
#define INRAPPORT_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"

namespace inrapport::fuzz {

[[noreturn]] inline void Fail(const char* file, int line, const char* condition,
                              absl::string_view input, const std::string& detail) {
  std::fprintf(stderr, "%s:%d: invariant failed: %s\n  input: \"%s\"\n  %s\n", file, line,
               condition, absl::CHexEscape(input).c_str(), detail.c_str());
  std::abort();
}

}  // namespace inrapport::fuzz

// `input` is the fuzzer's input as text; `detail` a std::string for the report.
#define FUZZ_CHECK(condition, input, detail)                                         \
  do {                                                                               \
    if (!(condition)) {                                                              \
      ::inrapport::fuzz::Fail(__FILE__, __LINE__, #condition, (input), (detail));    \
    }                                                                                \
  } while (false)

#endif  // INRAPPORT_FUZZ_FUZZ_CHECK_H_
