// The rules that flag signs of unnecessary control on a reporting duty. Each
// flag carries a code, a reason a person understands and the evidence that
// triggered it, so that an agency or the development arena can check it.
#ifndef INRAPPORT_COMMON_FLAGS_FLAG_RULES_H_
#define INRAPPORT_COMMON_FLAGS_FLAG_RULES_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "common/domain/types.h"

namespace inrapport {

// The duty states no purpose: its purpose is empty or only white space.
inline constexpr absl::string_view kNoStatedPurpose = "NO_STATED_PURPOSE";

// Every flag code the rules can set, in a stable order (for metrics that
// show zero as well as non-zero counts).
const std::vector<absl::string_view>& AllFlagCodes();

// True if `text` holds nothing but white space (ASCII, no-break space and the
// Unicode space characters U+2000..U+200B, U+202F, U+205F, U+3000).
bool IsBlank(absl::string_view text);

// The flags of `duty` from its own fields, sorted by code. Deterministic: the
// same duty always gives the same flags, so they are recomputed rather than
// stored.
std::vector<Flag> EvaluateFlags(const Duty& duty);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_FLAGS_FLAG_RULES_H_
