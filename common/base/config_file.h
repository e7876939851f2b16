// The server's configuration file: one setting per line, `name = value`,
// where the names are those of the command-line flags. `#` starts a
// comment line; blank lines are ignored; a value may be wrapped in double
// quotes (to keep leading or trailing spaces, or a `#`).
//
//   # /etc/inrapport/inrapportd.conf
//   listen = 0.0.0.0:50051
//   db = /var/lib/inrapport/inrapport.db
//   tariff_sek_per_hour = 450
#ifndef INRAPPORT_COMMON_BASE_CONFIG_FILE_H_
#define INRAPPORT_COMMON_BASE_CONFIG_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace inrapport {

struct ConfigSetting {
  std::string name;
  std::string value;
  int line = 0;  // 1-based, for error messages
};

// Parses the text of a configuration file. INVALID_ARGUMENT naming
// `source` and the line for a line without '=', an empty or malformed name,
// an unterminated quote, or a name given twice.
absl::StatusOr<std::vector<ConfigSetting>> ParseConfig(absl::string_view text,
                                                       absl::string_view source);

// Reads and parses `path`; NOT_FOUND if it cannot be read.
absl::StatusOr<std::vector<ConfigSetting>> ReadConfigFile(const std::string& path);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BASE_CONFIG_FILE_H_
