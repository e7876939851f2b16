// Who may do what. Reports are official data: a municipality speaks only for
// itself, an agency only for its own duties, the arena reads everything and
// the administrator does everything. The rules are here, in one place, and
// the gRPC handlers only say which action a call is and what it touches.
#ifndef INRAPPORT_COMMON_AUTH_ACCESS_POLICY_H_
#define INRAPPORT_COMMON_AUTH_ACCESS_POLICY_H_

#include <string>

#include "absl/status/status.h"
#include "common/auth/principal.h"

namespace inrapport {

enum class Action {
  kReadDuties,       // GetDuty, ListDuties: the register is public to callers
  kReadUses,         // ListDutyUses: what the data is used for, public to callers;
                     // filtered to a municipality, read as its burden is
  kRegisterDuty,     // CreateDuty: a duty already in force, the administrator
                     // only (a new duty is proposed)
  kWriteDuty,        // UpdateDuty: an agency's own duties
  kRecordUse,        // RecordDutyUse: the agency of the duty
  kSubmitReport,     // SubmitReport(s): a municipality's own reports
  kReadBurden,       // summaries, flagged duties, accounts, completeness
  kReadArenaReport,  // GetArenaReport: everyone's burden at once
  kReadComments,     // ListComments: an agency on its own duties, a
                     // municipality its own, the arena all
  kReadReports,      // ListReports: the reports as stored, read as the
                     // comments are
  kReadReport,       // GetReport: a municipality its own, an agency one of
                     // its own duties (scope: the agency of the report's
                     // duty, empty if there is no such report), the arena any
  kReadDue,          // ListDueReports: what is due from a municipality and
                     // whether it came, read as its reports are
  kReadAgencies,     // GetAgency, ListAgencies: the register of agencies,
                     // public to callers
  kWriteAgency,      // CreateAgency, UpdateAgency: the administrator only
  kProposeDuty,      // ProposeDuty: an agency, for itself
  kOpenConsultation,  // OpenConsultation: the proposal's agency, or the arena
  kAnswerConsultation,  // AnswerConsultation: a municipality, for itself
  kReadConsultation,  // GetConsultation: the duty's agency and the arena all
                      // answers; a municipality its own
  kReadAssessment,   // AssessDuty, GetRenewalEvidence: the duty's agency and
                     // the arena
  kDecideDuty,       // DecideDuty: the arena only (an agency never decides
                     // on a duty, its own proposal least of all)
};

// What a call touches, as far as the rules care: the agency whose duty it
// writes or whose burden it reads, the municipality it reports for or whose
// burden it reads. Empty means "all" (no filter).
struct AccessScope {
  std::string agency_id;
  std::string municipality_code;
};

// OK, or PERMISSION_DENIED with a message that names the principal and what
// was refused, e.g. "municipality:0180 may not submit a report for
// municipality 1283".
absl::Status Authorize(const Principal& principal, Action action, const AccessScope& scope);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_AUTH_ACCESS_POLICY_H_
