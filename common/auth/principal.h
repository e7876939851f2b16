// Who is calling: a municipality, a state agency, the development arena or
// an administrator. Principals are named in the tokens file and in client
// certificates as `municipality:<code>`, `agency:<id>`, `arena` or `admin`.
#ifndef INRAPPORT_COMMON_AUTH_PRINCIPAL_H_
#define INRAPPORT_COMMON_AUTH_PRINCIPAL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace inrapport {

struct Principal {
  enum class Kind { kMunicipality, kAgency, kArena, kAdmin };
  Kind kind = Kind::kAdmin;
  std::string id;  // the municipality code or the agency id; empty otherwise

  static Principal Municipality(std::string code) { return {Kind::kMunicipality, std::move(code)}; }
  static Principal Agency(std::string id) { return {Kind::kAgency, std::move(id)}; }
  static Principal Arena() { return {Kind::kArena, ""}; }
  static Principal Admin() { return {Kind::kAdmin, ""}; }

  // "municipality:0180", "agency:skolverket", "arena", "admin".
  std::string ToString() const;
  bool operator==(const Principal& other) const {
    return kind == other.kind && id == other.id;
  }
};

// Parses the text form. INVALID_ARGUMENT for an unknown kind, a code that is
// not an official municipality code, or an agency id that is not a slug.
absl::StatusOr<Principal> ParsePrincipal(absl::string_view text);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_AUTH_PRINCIPAL_H_
