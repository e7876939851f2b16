#include "common/auth/principal.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/domain/municipalities.h"
#include "common/domain/validation.h"

namespace inrapport {

std::string Principal::ToString() const {
  switch (kind) {
    case Kind::kMunicipality: return absl::StrCat("municipality:", id);
    case Kind::kAgency: return absl::StrCat("agency:", id);
    case Kind::kArena: return "arena";
    case Kind::kAdmin: return "admin";
  }
  return "admin";
}

absl::StatusOr<Principal> ParsePrincipal(absl::string_view text) {
  if (text == "arena") return Principal::Arena();
  if (text == "admin") return Principal::Admin();
  absl::string_view rest = text;
  if (absl::ConsumePrefix(&rest, "municipality:")) {
    if (Municipalities::Official().Find(rest) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("principal \"", text, "\": \"", rest,
                       "\" is not an official municipality code"));
    }
    return Principal::Municipality(std::string(rest));
  }
  if (absl::ConsumePrefix(&rest, "agency:")) {
    if (!IsValidSlug(rest)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "principal \"", text, "\": \"", rest, "\" is not an agency id (a slug of a-z0-9_-)"));
    }
    return Principal::Agency(std::string(rest));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "principal \"", text,
      "\" is not one of municipality:<code>, agency:<id>, arena or admin"));
}

}  // namespace inrapport
