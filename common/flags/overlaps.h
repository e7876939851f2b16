// The once-only principle: data items that a duty asks for and that a duty
// of another agency already asks for.
#ifndef INRAPPORT_COMMON_FLAGS_OVERLAPS_H_
#define INRAPPORT_COMMON_FLAGS_OVERLAPS_H_

#include <map>
#include <string>
#include <vector>

#include "common/domain/types.h"
#include "common/flags/flag_rules.h"

namespace inrapport {

// For every duty that shares at least one data item with a duty of another
// agency: its overlaps, one per other duty, ordered by other duty id, with
// the shared items sorted. Items match by their normalised name (trimmed,
// lower case). Duties of the same agency never overlap each other. Keyed by
// duty id; duties without overlaps are absent.
std::map<std::string, std::vector<DutyOverlap>> FindOverlaps(
    const std::vector<const Duty*>& duties);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_FLAGS_OVERLAPS_H_
