// The legal-basis parser (common/flags/legal_basis.h): every reference it
// finds is well formed, and its canonical text parses back to exactly that
// reference.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/flags/legal_basis.h"
#include "fuzz/fuzz_check.h"

namespace inrapport {
namespace {

std::string Describe(const LegalReference& ref) {
  return absl::StrCat("{kind ", static_cast<int>(ref.kind), ", act \"", ref.act, "\", sfs \"",
                      ref.sfs, "\", chapter \"", ref.chapter, "\", section \"", ref.section,
                      "\", point \"", ref.point, "\"}");
}

std::string Describe(const std::vector<LegalReference>& refs) {
  return absl::StrJoin(refs, ", ", [](std::string* out, const LegalReference& ref) {
    absl::StrAppend(out, Describe(ref));
  });
}

void Check(absl::string_view text) {
  for (const LegalReference& ref : ParseLegalBasis(text)) {
    FUZZ_CHECK(!ref.act.empty(), text, Describe(ref));
    switch (ref.kind) {
      case LegalReference::Kind::kStatute:
      case LegalReference::Kind::kRegulation:
        FUZZ_CHECK(!ref.sfs.empty(), text, Describe(ref));
        break;
      case LegalReference::Kind::kSection:
        FUZZ_CHECK(ref.sfs.empty() && (!ref.chapter.empty() || !ref.section.empty()), text,
                   Describe(ref));
        break;
    }
    FUZZ_CHECK(ref.point.empty() || !ref.section.empty(), text, Describe(ref));
    const std::string canonical = ref.ToString();
    const std::vector<LegalReference> again = ParseLegalBasis(canonical);
    FUZZ_CHECK(again.size() == 1 && again[0] == ref, text,
               absl::StrCat(Describe(ref), " as \"", canonical, "\" parses as [",
                            Describe(again), "]"));
  }
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  inrapport::Check(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
