// Passwords out of database connection strings, for logs and error messages.
#ifndef INRAPPORT_COMMON_BASE_REDACTION_H_
#define INRAPPORT_COMMON_BASE_REDACTION_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace inrapport {

// `db` with every password replaced by "****": in a URI's userinfo
// (`postgresql://u:pw@h`), in a query parameter whose name, percent-decoded
// and in any case, ends in "password" (`?password=`, `&sslpassword=`,
// `?pass%77ord=`), and in libpq key=value form (`password=x`,
// `password = 'x y'` with backslash escapes). What cannot be parsed is
// redacted from the word "password" on. Anything else is kept as it is.
std::string RedactedConnectionString(absl::string_view db);

// The passwords `db` holds, as written and, for a URI, percent-decoded:
// for scrubbing messages (a library's error) that may echo one.
std::vector<std::string> PasswordsIn(absl::string_view db);

// `text` with every password of `db` replaced by "****", and any
// connection string in it redacted as RedactedConnectionString does.
std::string RedactedMessage(absl::string_view text, absl::string_view db);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BASE_REDACTION_H_
