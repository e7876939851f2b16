// --help for the project's binaries. absl lists only the flags defined in a
// file named after the binary (inrapportd.cc); the flags here live in each
// binary's main.cc, so without this --help would say "No flags matched".
#ifndef INRAPPORT_COMMON_BASE_FLAG_HELP_H_
#define INRAPPORT_COMMON_BASE_FLAG_HELP_H_

#include "absl/strings/string_view.h"

namespace inrapport {

// Makes --help and --helpshort list every flag defined in a source file
// under `directory` ("services/server/"), shown by its path from
// "services/" on. Call before absl::ParseCommandLine.
void ShowFlagsOfDirectoryInHelp(absl::string_view directory);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BASE_FLAG_HELP_H_
