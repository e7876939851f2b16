// The principal parser (common/auth/principal.h), which reads the tokens
// file's second field and a client certificate's common name: a principal
// it accepts is exactly the text it was read from (nothing trimmed or
// folded, so a certificate cannot name a caller by a variant spelling), a
// municipality's code is official and an agency's id a slug; a refusal is
// INVALID_ARGUMENT quoting the text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/principal.h"
#include "common/domain/municipalities.h"
#include "common/domain/validation.h"
#include "fuzz/fuzz_check.h"

namespace inrapport {
namespace {

void Check(absl::string_view text) {
  absl::StatusOr<Principal> principal = ParsePrincipal(text);
  if (!principal.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(principal.status()) &&
                   absl::StartsWith(principal.status().message(), "principal \""),
               text, principal.status().ToString());
    return;
  }
  const std::string written = principal->ToString();
  FUZZ_CHECK(written == text, text, absl::StrCat("written back as \"", written, "\""));
  absl::StatusOr<Principal> again = ParsePrincipal(written);
  FUZZ_CHECK(again.ok() && *again == *principal, text, again.status().ToString());
  switch (principal->kind) {
    case Principal::Kind::kMunicipality:
      FUZZ_CHECK(Municipalities::Official().Find(principal->id) != nullptr, text, principal->id);
      break;
    case Principal::Kind::kAgency:
      FUZZ_CHECK(IsValidSlug(principal->id), text, principal->id);
      break;
    case Principal::Kind::kArena:
    case Principal::Kind::kAdmin:
      FUZZ_CHECK(principal->id.empty(), text, principal->id);
      break;
  }
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  inrapport::Check(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
