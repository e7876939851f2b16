#include "common/auth/access_policy.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/text/text_safety.h"

namespace inrapport {
namespace {

using Kind = Principal::Kind;

absl::Status Denied(const Principal& principal, absl::string_view what) {
  return absl::PermissionDeniedError(absl::StrCat(principal.ToString(), " may not ", what));
}

// Data that an agency or a municipality may read of its own, named as a
// refusal says what was refused.
struct OwnData {
  const char* every_agency;        // "read the burden of every agency's duties"
  const char* of_agency;           // ... followed by the agency
  const char* every_municipality;  // "read every municipality's burden"
  const char* of_municipality;     // ... followed by the municipality
};

// An agency reads its own duties' data, a municipality its own; the arena
// and the administrator everything. The request must be filtered to them:
// an unfiltered request would read everyone's.
absl::Status ReadOwn(const Principal& p, const AccessScope& scope, const OwnData& what) {
  switch (p.kind) {
    case Kind::kAdmin:
    case Kind::kArena:
      return absl::OkStatus();
    case Kind::kAgency:
      if (scope.agency_id == p.id) return absl::OkStatus();
      return Denied(p, scope.agency_id.empty()
                           ? absl::StrCat(what.every_agency, ": set agency_id to \"", p.id,
                                          "\"")
                           : absl::StrCat(what.of_agency, QuoteValue(scope.agency_id)));
    case Kind::kMunicipality:
      if (scope.municipality_code == p.id) return absl::OkStatus();
      return Denied(p, scope.municipality_code.empty()
                           ? absl::StrCat(what.every_municipality,
                                          ": set municipality_code to \"", p.id, "\"")
                           : absl::StrCat(what.of_municipality,
                                          QuoteValue(scope.municipality_code)));
  }
  return Denied(p, "read this");
}

constexpr OwnData kBurden = {"read the burden of every agency's duties",
                             "read the burden of the duties of agency ",
                             "read every municipality's burden",
                             "read the burden of municipality "};
// Comments are the municipalities' words to the state.
constexpr OwnData kComments = {"read the comments on every agency's duties",
                               "read the comments on the duties of agency ",
                               "read every municipality's comments",
                               "read the comments of municipality "};

// The reports as stored: each municipality's own record of what it sent.
constexpr OwnData kReports = {"read the reports of every agency's duties",
                              "read the reports of the duties of agency ",
                              "read every municipality's reports",
                              "read the reports of municipality "};

// What is due from a municipality: what its reports say of it.
constexpr OwnData kDue = {"read what is due for every agency's duties",
                          "read what is due for the duties of agency ",
                          "read what is due from every municipality",
                          "read what is due from municipality "};

// The uses are public, but filtered to a municipality they say which
// duties it has reported: that filter is read as its burden is (ReadOwn with kBurden),
// by the municipality itself, or by an agency for its own duties.
absl::Status ReadUses(const Principal& p, const AccessScope& scope) {
  if (scope.municipality_code.empty()) return absl::OkStatus();
  const std::string reported =
      absl::StrCat("municipality ", QuoteValue(scope.municipality_code), " reported");
  switch (p.kind) {
    case Kind::kAdmin:
    case Kind::kArena:
      return absl::OkStatus();
    case Kind::kAgency:
      if (scope.agency_id == p.id) return absl::OkStatus();
      return Denied(p, scope.agency_id.empty()
                           ? absl::StrCat("list the uses of every agency's duties ", reported,
                                          ": set agency_id to \"", p.id, "\"")
                           : absl::StrCat("list the uses of the duties of agency ",
                                          QuoteValue(scope.agency_id), " that ", reported));
    case Kind::kMunicipality:
      if (scope.municipality_code == p.id) return absl::OkStatus();
      return Denied(p, absl::StrCat("list the uses of the duties ", reported));
  }
  return Denied(p, "list uses");
}

}  // namespace

absl::Status Authorize(const Principal& p, Action action, const AccessScope& scope) {
  if (p.kind == Kind::kAdmin) return absl::OkStatus();
  switch (action) {
    case Action::kReadDuties:
      return absl::OkStatus();
    case Action::kReadUses:
      return ReadUses(p, scope);
    case Action::kRegisterDuty:
      return Denied(p, "register a duty in force (only the administrator may; a new duty is "
                       "proposed with ProposeDuty)");
    case Action::kWriteDuty:
      if (p.kind == Kind::kAgency && scope.agency_id == p.id) return absl::OkStatus();
      return Denied(p, p.kind == Kind::kAgency
                           ? absl::StrCat("update a duty of agency ",
                                          QuoteValue(scope.agency_id))
                           : "update duties (only their agency may)");
    case Action::kProposeDuty:
      if (p.kind == Kind::kAgency && scope.agency_id == p.id) return absl::OkStatus();
      return Denied(p, p.kind == Kind::kAgency
                           ? absl::StrCat("propose a duty of agency ", QuoteValue(scope.agency_id))
                           : "propose duties (only an agency may, for itself)");
    case Action::kOpenConsultation:
      if (p.kind == Kind::kArena) return absl::OkStatus();
      if (p.kind == Kind::kAgency && scope.agency_id == p.id) return absl::OkStatus();
      return Denied(p, absl::StrCat("open the consultation on a duty of agency ",
                                    QuoteValue(scope.agency_id),
                                    " (only that agency and the arena may)"));
    case Action::kAnswerConsultation:
      if (p.kind == Kind::kMunicipality && scope.municipality_code == p.id) {
        return absl::OkStatus();
      }
      return Denied(p, p.kind == Kind::kMunicipality
                           ? absl::StrCat("answer a consultation for municipality ",
                                          QuoteValue(scope.municipality_code))
                           : "answer consultations (only a municipality may, for itself)");
    case Action::kReadConsultation:
      if (p.kind == Kind::kArena) return absl::OkStatus();
      if (p.kind == Kind::kAgency && scope.agency_id == p.id) return absl::OkStatus();
      if (p.kind == Kind::kMunicipality && scope.municipality_code == p.id) {
        return absl::OkStatus();
      }
      if (p.kind == Kind::kMunicipality) {
        return Denied(p, scope.municipality_code.empty()
                             ? absl::StrCat("read every municipality's consultation answers: "
                                            "set municipality_code to \"", p.id, "\"")
                             : absl::StrCat("read the consultation answers of municipality ",
                                            QuoteValue(scope.municipality_code)));
      }
      return Denied(p, absl::StrCat("read the consultation answers on a duty of agency ",
                                    QuoteValue(scope.agency_id)));
    case Action::kReadAssessment:
      if (p.kind == Kind::kArena) return absl::OkStatus();
      if (p.kind == Kind::kAgency && scope.agency_id == p.id) return absl::OkStatus();
      return Denied(p, absl::StrCat("read the impact assessment or renewal evidence of a duty "
                                    "of agency ",
                                    QuoteValue(scope.agency_id),
                                    " (only that agency and the arena may)"));
    case Action::kDecideDuty:
      if (p.kind == Kind::kArena) return absl::OkStatus();
      return Denied(p, p.kind == Kind::kAgency
                           ? "decide on a duty (only the arena may: an agency never decides, "
                             "on its own proposal least of all)"
                           : "decide on a duty (only the arena may)");
    case Action::kRecordUse:
      if (p.kind == Kind::kAgency && scope.agency_id == p.id) return absl::OkStatus();
      return Denied(p, absl::StrCat("record a use of a duty of agency ",
                                    QuoteValue(scope.agency_id), " (only that agency may)"));
    case Action::kSubmitReport:
      if (p.kind == Kind::kMunicipality && scope.municipality_code == p.id) {
        return absl::OkStatus();
      }
      return Denied(p, p.kind == Kind::kMunicipality
                           ? absl::StrCat("submit a report for municipality ",
                                          QuoteValue(scope.municipality_code))
                           : "submit reports (only a municipality may, for itself)");
    case Action::kReadBurden:
      return ReadOwn(p, scope, kBurden);
    case Action::kReadArenaReport:
      if (p.kind == Kind::kArena) return absl::OkStatus();
      return Denied(p, "read the arena report (everyone's burden; only the arena may)");
    case Action::kReadComments:
      return ReadOwn(p, scope, kComments);
    case Action::kReadReports:
      return ReadOwn(p, scope, kReports);
    case Action::kReadDue:
      return ReadOwn(p, scope, kDue);
    case Action::kReadAgencies:
      return absl::OkStatus();
    case Action::kWriteAgency:
      return Denied(p, "register or change an agency (only the administrator may)");
    case Action::kReadReport:
      switch (p.kind) {
        case Kind::kAdmin:
        case Kind::kArena:
          return absl::OkStatus();
        case Kind::kAgency:
          if (scope.agency_id == p.id) return absl::OkStatus();
          // The same words whether the report exists or not.
          return Denied(p, "read this report: an agency reads the reports of its own duties only");
        case Kind::kMunicipality:
          if (scope.municipality_code == p.id) return absl::OkStatus();
          return Denied(p, absl::StrCat("read the reports of municipality ",
                                        QuoteValue(scope.municipality_code)));
      }
      return Denied(p, "read this report");
  }
  return Denied(p, "do this");
}

}  // namespace inrapport
