// Reading the legal basis (författningsstöd) of a duty: the Swedish sources
// the text names, parsed into references rather than guessed by pattern.
#ifndef INRAPPORT_COMMON_FLAGS_LEGAL_BASIS_H_
#define INRAPPORT_COMMON_FLAGS_LEGAL_BASIS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/domain/types.h"

namespace inrapport {

// The recognised references (LegalReference, common/domain/types.h) take
// three forms:
//   kStatute      an act with its SFS number: "SFS 2010:800", "2015:1052",
//                 "Lag (2001:99)", "Förordning (2018:49) 8 a §",
//                 "SoL (2001:453) 16 kap. 6 f §", "Förordning (1981:1370) 2 § b"
//   kSection      a known law abbreviation or a named act ("...lagen") with
//                 a chapter and/or section, before or after it:
//                 "SoL 16 kap. 6 f §", "LSS 28 f §", "SkolL 26 kap. 25 §",
//                 "Skollagen 26 kap. 25 §", "4 kap. 1 § SoL", "9 § LSS"
//   kRegulation   an agency regulation series: "SKOLFS 2011:142",
//                 "HSLF-FS 2016:40", "SOSFS 2011:5", "SCB-FS 2020:08"
// A generic "lag" or "förordning" counts only with its SFS number, and a
// number in a non-statute series ("SOU 2018:47", "Ds 2019:3") not at all.

// Every reference in `text`, in order. Text in square brackets (notes such
// as "[paragraph number unverified]") is skipped: it qualifies a reference
// but is not one. Empty if the text names no recognisable source.
std::vector<LegalReference> ParseLegalBasis(absl::string_view text);

// What a duty's legal basis says, beyond its parsed references.
struct LegalBasisReading {
  // The text states that there is none ("none", "none found ...", "saknas",
  // "ingen ..."), or is blank.
  bool none_stated = false;
  // The text marks what it states as unverified ("unverified",
  // "[paragraph unverified]", "ej verifierad", "overifierad"): the source
  // could not be confirmed, which is not the same as there being none.
  bool unverified = false;
  // The text names a basis outside the statute book: a government decision
  // or assignment, an appropriation letter, an agreement with SKR
  // ("Regeringsbeslut S2021/08234", "Government assignment", "regleringsbrev",
  // "överenskommelse").
  bool non_statutory = false;
};
LegalBasisReading ReadLegalBasis(absl::string_view text);

// The law abbreviations recognised in kSection references.
const std::vector<std::string>& KnownLawAbbreviations();

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_FLAGS_LEGAL_BASIS_H_
