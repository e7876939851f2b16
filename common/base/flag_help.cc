#include "common/base/flag_help.h"

#include <string>

#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"

namespace inrapport {

void ShowFlagsOfDirectoryInHelp(absl::string_view directory) {
  const std::string dir(directory);
  absl::FlagsUsageConfig config;
  auto ours = [dir](absl::string_view file) { return absl::StrContains(file, dir); };
  config.contains_help_flags = ours;
  config.contains_helpshort_flags = ours;
  config.contains_helppackage_flags = ours;
  // "services/server/main.cc", not the build machine's absolute path.
  config.normalize_filename = [](absl::string_view file) {
    const size_t at = file.find("services/");
    return std::string(at == absl::string_view::npos ? file : file.substr(at));
  };
  absl::SetFlagsUsageConfig(config);
}

}  // namespace inrapport
