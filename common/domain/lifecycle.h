// The life of a reporting duty, from an agency's proposal to the arena's
// decision and the duty's expiry: the states, the municipalities'
// consultation answers and the arena's decisions, as plain values. The
// rules that move a duty between states live in common/lifecycle.
#ifndef INRAPPORT_COMMON_DOMAIN_LIFECYCLE_H_
#define INRAPPORT_COMMON_DOMAIN_LIFECYCLE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/domain/types.h"

namespace inrapport {

// (DutyState and its names are in types.h, beside Duty.)

// The duty's state on `today`: its stored state, or kExpired for a duty in
// force whose expires_on is before `today`.
DutyState StateOn(const Duty& duty, absl::CivilDay today);

// A proposal, in consultation or not, or a rejected one: a duty that has
// asked nothing of anyone. Its flags are its impact assessment's, not
// signs of control in force, so flagged lists and counts leave it out.
inline bool NeverInForce(const Duty& duty) {
  return duty.state == DutyState::kProposed || duty.state == DutyState::kInConsultation ||
         duty.state == DutyState::kRejected;
}

// OK when the duty accepts new reports on `today` (it is in force);
// FAILED_PRECONDITION naming report.duty_id and the duty's state otherwise.
absl::Status CheckAcceptsReports(const Duty& duty, absl::CivilDay today);

// A municipality's answer to a proposed duty during its consultation. One
// answer per municipality and duty; a new answer replaces it while the
// consultation is open.
struct ConsultationAnswer {
  std::string duty_id;
  std::string municipality_code;
  std::string comment;  // free text, may be empty
  // The municipality's own estimate of the staff minutes one report would
  // take; 0: not stated.
  double estimated_minutes_per_report = 0;
  Answer already_reported_elsewhere = Answer::kUnknown;
  std::string already_reported_where;  // with kYes only: a duty id or free text
  int64_t answered_at_unix = 0;        // set by the store
  std::string answered_by;             // the principal, "municipality:0180"

  friend bool operator==(const ConsultationAnswer& a, const ConsultationAnswer& b) {
    return a.duty_id == b.duty_id && a.municipality_code == b.municipality_code &&
           a.comment == b.comment &&
           a.estimated_minutes_per_report == b.estimated_minutes_per_report &&
           a.already_reported_elsewhere == b.already_reported_elsewhere &&
           a.already_reported_where == b.already_reported_where &&
           a.answered_at_unix == b.answered_at_unix && a.answered_by == b.answered_by;
  }
};

// What the arena decided. The numbers are stored: never renumber.
enum class DecisionKind {
  kUnspecified = 0,
  kApprove = 1,   // a proposal: in force until expires_on
  kReject = 2,    // a proposal: never in force
  kRenew = 3,     // a duty in force or expired: in force until a new expires_on
  kKeep = 4,      // a duty in force: kept as it is
  kSimplify = 5,  // a duty in force: to be simplified (the agency updates it)
  kMerge = 6,     // a duty in force: merged into merge_into, and withdrawn
  kWithdraw = 7,  // a duty in force: withdrawn, it accepts no more reports
};
inline constexpr int kMaxDecisionKind = 7;
absl::string_view DecisionKindName(DecisionKind kind);  // "approve", ...
std::optional<DecisionKind> ParseDecisionKind(absl::string_view text);
absl::string_view DecisionKindNameSv(DecisionKind kind);  // "godkänt", ...

// The burden the arena was shown when it approved or renewed a duty: kept
// with the decision, so that a renewal compares what was measured with what
// was forecast.
struct RecordedForecast {
  double minutes_per_report = 0;
  double minutes_per_report_low = 0;
  double minutes_per_report_high = 0;
  double hours_per_year = 0;
  double hours_per_year_low = 0;
  double hours_per_year_high = 0;
  // True when no comparable duty had measured reports and the figures are
  // the agency's own estimate.
  bool agency_estimate = false;
  std::string basis;  // in English, as the assessment stated it

  friend bool operator==(const RecordedForecast& a, const RecordedForecast& b) {
    return a.minutes_per_report == b.minutes_per_report &&
           a.minutes_per_report_low == b.minutes_per_report_low &&
           a.minutes_per_report_high == b.minutes_per_report_high &&
           a.hours_per_year == b.hours_per_year && a.hours_per_year_low == b.hours_per_year_low &&
           a.hours_per_year_high == b.hours_per_year_high &&
           a.agency_estimate == b.agency_estimate && a.basis == b.basis;
  }
};

// One decision of the arena on one duty, on record for good.
struct DutyDecision {
  std::string duty_id;
  int64_t seq = 0;  // the store's order of decisions, set by the store
  DecisionKind kind = DecisionKind::kUnspecified;
  std::string reason;
  std::string decided_on;        // YYYY-MM-DD, the decision's date
  std::string decided_by;        // the principal, "arena"
  std::string expires_on;        // kApprove, kRenew: YYYY-MM-DD
  std::string merge_into;        // kMerge: the duty that takes its data over
  RecordedForecast forecast;     // kApprove, kRenew
  int64_t recorded_at_unix = 0;  // set by the store

  friend bool operator==(const DutyDecision& a, const DutyDecision& b) {
    return a.duty_id == b.duty_id && a.seq == b.seq && a.kind == b.kind && a.reason == b.reason &&
           a.decided_on == b.decided_on && a.decided_by == b.decided_by &&
           a.expires_on == b.expires_on && a.merge_into == b.merge_into &&
           a.forecast == b.forecast && a.recorded_at_unix == b.recorded_at_unix;
  }
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_DOMAIN_LIFECYCLE_H_
