#include "common/base/config_file.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace inrapport {
namespace {

bool IsNameChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

absl::StatusOr<std::vector<ConfigSetting>> ParseConfig(absl::string_view text,
                                                       absl::string_view source) {
  std::vector<ConfigSetting> settings;
  std::set<std::string> seen;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    const auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", number, ": ", what));
    };
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    const size_t equals = line.find('=');
    if (equals == absl::string_view::npos) return error("expected `name = value`");
    const absl::string_view name = absl::StripAsciiWhitespace(line.substr(0, equals));
    absl::string_view value = absl::StripAsciiWhitespace(line.substr(equals + 1));
    if (name.empty()) return error("the setting has no name");
    for (char c : name) {
      if (!IsNameChar(c)) {
        return error(absl::StrCat("\"", name,
                                  "\" is not a setting name (letters, digits and _ only)"));
      }
    }
    if (!value.empty() && value.front() == '"') {
      if (value.size() < 2 || value.back() != '"') {
        return error(absl::StrCat("the value of ", name, " opens a quote it does not close"));
      }
      value = value.substr(1, value.size() - 2);
    }
    if (!seen.insert(std::string(name)).second) {
      return error(absl::StrCat(name, " is set twice"));
    }
    settings.push_back({std::string(name), std::string(value), number});
  }
  return settings;
}

absl::StatusOr<std::vector<ConfigSetting>> ReadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("--config: cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseConfig(buffer.str(), path);
}

}  // namespace inrapport
