// Reading the legal basis (författningsstöd) of a duty: the Swedish sources
// the text names, parsed into references rather than guessed by pattern.
#ifndef INRAPPORT_COMMON_FLAGS_LEGAL_BASIS_H_
#define INRAPPORT_COMMON_FLAGS_LEGAL_BASIS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace inrapport {

// One recognised reference. Three forms are recognised:
//   kStatute      an act with its SFS number: "SFS 2010:800", "2015:1052",
//                 "Lag (2001:99)", "Förordning (2018:49) 8 a §",
//                 "SoL (2001:453) 16 kap. 6 f §"
//   kSection      a known law abbreviation or a named act ("...lagen") with
//                 a chapter and/or section: "SoL 16 kap. 6 f §",
//                 "LSS 28 f §", "SkolL 26 kap. 25 §", "Skollagen 26 kap. 25 §"
//   kRegulation   an agency regulation series: "SKOLFS 2011:142",
//                 "HSLF-FS 2016:40", "SOSFS 2011:5", "SCB-FS 2020:08"
struct LegalReference {
  enum class Kind { kStatute, kSection, kRegulation };
  Kind kind = Kind::kStatute;
  std::string act;      // "SoL", "Lag", "Förordning", "Skollagen"; or the series
  std::string sfs;      // "2001:453" for statutes, the number for regulations
  std::string chapter;  // "16", or empty
  std::string section;  // "6 f", "3–7", or empty
  // Canonical text, e.g. "SoL (2001:453) 16 kap. 6 f §" or "HSLF-FS 2016:40".
  std::string ToString() const;
};

// Every reference in `text`, in order. Text in square brackets (notes such
// as "[paragraph number unverified]") is skipped: it qualifies a reference
// but is not one. Empty if the text names no recognisable source.
std::vector<LegalReference> ParseLegalBasis(absl::string_view text);

// The law abbreviations recognised in kSection references.
const std::vector<std::string>& KnownLawAbbreviations();

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_FLAGS_LEGAL_BASIS_H_
