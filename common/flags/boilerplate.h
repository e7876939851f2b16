// Purposes that state no use: a generic word or phrase ("för uppföljning",
// "statistik", "follow-up", "Enligt lag", "Se föreskrifterna") in place of
// who uses the data for what; and placeholders that state no purpose.
#ifndef INRAPPORT_COMMON_FLAGS_BOILERPLATE_H_
#define INRAPPORT_COMMON_FLAGS_BOILERPLATE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace inrapport {

// True if `purpose` has words, every one is generic or filler, and at least
// one is generic (the word list is in boilerplate.cc, its one place). Case,
// punctuation and the dots and rings of Å, Ä, Ö do not matter ("KONTROLL!",
// "Uppfoljning." and "follow-up" are all generic). An empty purpose is not
// boilerplate (it is no purpose at all).
bool IsBoilerplatePurpose(absl::string_view purpose);

// True if `purpose` states no purpose at all (NO_STATED_PURPOSE): blank,
// only punctuation ("-", "…"), or a placeholder that says one is missing
// ("N/A", "TBD", "Syfte saknas", "Purpose missing", "None", "none found",
// "Ej angivet"), compared as PurposeWords with å/ä/ö folded. Such a text is
// never also boilerplate.
bool IsMissingPurpose(absl::string_view purpose);

// The generic words of a boilerplate purpose, as they appear in
// PurposeWords (in order, repeats kept); empty if the purpose is not
// boilerplate. For the flag's evidence.
std::vector<std::string> GenericPurposeWords(absl::string_view purpose);

// The words of the purpose as compared: lower case, split at white space
// and at ASCII and Unicode punctuation. Exposed for evidence and tests.
std::vector<std::string> PurposeWords(absl::string_view purpose);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_FLAGS_BOILERPLATE_H_
