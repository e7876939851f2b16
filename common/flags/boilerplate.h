// Purposes that state no use: a generic word or phrase ("för uppföljning",
// "statistik", "follow-up") in place of who uses the data for what.
#ifndef INRAPPORT_COMMON_FLAGS_BOILERPLATE_H_
#define INRAPPORT_COMMON_FLAGS_BOILERPLATE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace inrapport {

// True if `purpose` has words, and every one is generic or filler (see
// boilerplate.cc for the lists). Case, accents of Å/Ä/Ö and punctuation do
// not matter. An empty purpose is not boilerplate (it is no purpose at all).
bool IsBoilerplatePurpose(absl::string_view purpose);

// The purpose as compared: lower case, punctuation removed, one space
// between words. Exposed for evidence and tests.
std::vector<std::string> PurposeWords(absl::string_view purpose);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_FLAGS_BOILERPLATE_H_
