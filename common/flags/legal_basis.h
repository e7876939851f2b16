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
//                 "SoL (2001:453) 16 kap. 6 f §", "Förordning (1981:1370) 2 § b"
//   kSection      a known law abbreviation or a named act ("...lagen") with
//                 a chapter and/or section, before or after it:
//                 "SoL 16 kap. 6 f §", "LSS 28 f §", "SkolL 26 kap. 25 §",
//                 "Skollagen 26 kap. 25 §", "4 kap. 1 § SoL", "9 § LSS"
//   kRegulation   an agency regulation series: "SKOLFS 2011:142",
//                 "HSLF-FS 2016:40", "SOSFS 2011:5", "SCB-FS 2020:08"
// A generic "lag" or "förordning" counts only with its SFS number, and a
// number in a non-statute series ("SOU 2018:47", "Ds 2019:3") not at all.
struct LegalReference {
  enum class Kind { kStatute, kSection, kRegulation };
  Kind kind = Kind::kStatute;
  // "SoL", "Lag", "Förordning", "Skollagen" (a named act with its first letter
  // in upper case); "SFS" for a bare SFS number; or the regulation series.
  std::string act;
  std::string sfs;      // "2001:453" for statutes, the number for regulations
  std::string chapter;  // "16", "2 a", or empty
  std::string section;  // "6 f", "3–7" (a range, always with an en dash), or empty
  std::string point;    // the lettered point after the section: "b", "d–e", or empty
  // Canonical text, e.g. "SoL (2001:453) 16 kap. 6 f §", "SoL (2001:453) 14
  // kap. 3–7 §§", "Förordning (1981:1370) 2 § b" or "HSLF-FS 2016:40".
  std::string ToString() const;

  friend bool operator==(const LegalReference& a, const LegalReference& b) {
    return a.kind == b.kind && a.act == b.act && a.sfs == b.sfs && a.chapter == b.chapter &&
           a.section == b.section && a.point == b.point;
  }
};

// Every reference in `text`, in order. Text in square brackets (notes such
// as "[paragraph number unverified]") is skipped: it qualifies a reference
// but is not one. Empty if the text names no recognisable source.
std::vector<LegalReference> ParseLegalBasis(absl::string_view text);

// The law abbreviations recognised in kSection references.
const std::vector<std::string>& KnownLawAbbreviations();

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_FLAGS_LEGAL_BASIS_H_
