// A duty's change history: every create or update is a version, with who
// made it, when, and which fields changed. Flags that follow the duty's text
// read the version that stood during a period, so that a purpose added
// today does not rewrite what 2023 looked like.
#ifndef INRAPPORT_COMMON_DOMAIN_DUTY_VERSION_H_
#define INRAPPORT_COMMON_DOMAIN_DUTY_VERSION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/domain/types.h"

namespace inrapport {

// Who changes a duty and what changed, as the store records it beside the
// change in the same transaction.
struct DutyChange {
  std::string changed_by;                   // the principal, "agency:scb"; empty if unknown
  std::vector<std::string> changed_fields;  // field names; every field on create
  // Why: given with a move between lifecycle states (a proposal, a
  // consultation, a decision); empty for an edit of the text.
  std::string reason;
};

struct DutyVersion {
  int64_t version = 0;          // 1 for the create, then 2, 3, ...
  int64_t changed_at_unix = 0;  // seconds; 0 for a duty registered before history was kept
  DutyChange change;
  Duty duty;  // the duty as it stood from this version on (no derived fields)
};

// The names of the fields in which `before` and `after` differ, in
// declaration order ("purpose", "legal_basis", ...); derived fields are not
// compared.
std::vector<std::string> ChangedDutyFields(const Duty& before, const Duty& after);

// Every field a client sets, in declaration order: what a create changes.
const std::vector<std::string>& DutyFieldNames();

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_DOMAIN_DUTY_VERSION_H_
