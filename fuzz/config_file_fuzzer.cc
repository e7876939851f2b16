// The configuration file parser (common/base/config_file.h): settings have
// distinct, well-formed names on increasing lines, and writing them back as
// `name = "value"` lines reads as the same settings.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/config_file.h"
#include "fuzz/fuzz_check.h"

namespace inrapport {
namespace {

void Check(absl::string_view text) {
  absl::StatusOr<std::vector<ConfigSetting>> settings = ParseConfig(text, "fuzz.conf");
  if (!settings.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(settings.status()) &&
                   absl::StartsWith(settings.status().message(), "fuzz.conf:"),
               text, settings.status().ToString());
    return;
  }
  std::set<std::string> names;
  int previous_line = 0;
  std::string written;
  for (const ConfigSetting& setting : *settings) {
    FUZZ_CHECK(setting.line > previous_line, text, setting.name);
    previous_line = setting.line;
    FUZZ_CHECK(!setting.name.empty() && names.insert(setting.name).second, text, setting.name);
    for (char c : setting.name) {
      FUZZ_CHECK(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_', text,
                 setting.name);
    }
    FUZZ_CHECK(setting.value.find('\n') == std::string::npos, text, setting.value);
    absl::StrAppend(&written, setting.name, " = \"", setting.value, "\"\n");
  }
  absl::StatusOr<std::vector<ConfigSetting>> again = ParseConfig(written, "written");
  FUZZ_CHECK(again.ok() && again->size() == settings->size(), text,
             absl::StrCat("written as \"", written, "\": ", again.status().ToString()));
  for (size_t i = 0; i < settings->size(); ++i) {
    FUZZ_CHECK((*again)[i].name == (*settings)[i].name &&
                   (*again)[i].value == (*settings)[i].value,
               text, absl::StrCat("\"", (*settings)[i].value, "\" read back as \"",
                                  (*again)[i].value, "\""));
  }
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  inrapport::Check(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
