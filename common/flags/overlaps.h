// The once-only principle: data items that a duty asks for and that a duty
// of another agency already asks for.
#ifndef INRAPPORT_COMMON_FLAGS_OVERLAPS_H_
#define INRAPPORT_COMMON_FLAGS_OVERLAPS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/domain/types.h"
#include "common/flags/flag_rules.h"

namespace inrapport {

// A data item's name as compared: trimmed, ASCII lower case, and every run
// of white space or hyphens inside it one underscore ("Decision date",
// " decision-date " and "decision_date" are all "decision_date"). Empty for
// a blank item.
std::string NormalizeDataItem(absl::string_view item);

// How many different data items the duty asks for, as compared (see
// NormalizeDataItem): the denominator of every overlap share, so that
// "Decision date" and "decision_date" in one duty count once.
int DistinctDataItemCount(const Duty& duty);

// For every duty that shares at least one data item with a duty of another
// agency: its overlaps, one per other duty, ordered by other duty id, with
// the shared items sorted, each once, in their normalised form (see
// NormalizeDataItem). Duties of the same agency never overlap each other;
// null pointers and blank items are ignored. Keyed by duty id; duties
// without overlaps are absent. Runs in time proportional to the number of
// (item, duty) pairs plus the overlaps found.
//
// `silent` duties (proposals, withdrawn duties) ask nothing of anyone: each
// gets its overlaps with `duties`, and no duty gets an overlap with one of
// them; two silent duties never overlap. One pass for all of them.
std::map<std::string, std::vector<DutyOverlap>> FindOverlaps(
    const std::vector<const Duty*>& duties, const std::vector<const Duty*>& silent = {});

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_FLAGS_OVERLAPS_H_
