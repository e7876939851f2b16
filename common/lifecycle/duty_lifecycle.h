// The consultation gateway for duties: an agency proposes a duty and is
// shown its impact (flags, burden forecast); the municipalities answer
// during a stated consultation; the arena approves with an expiry, rejects,
// renews on the evidence since approval, or decides on a duty in force
// (keep, simplify, merge, withdraw). Every move is on the duty's record
// (its versions and the decisions). The rules of who may call what are in
// common/auth; the rules of what may follow what are here.
#ifndef INRAPPORT_COMMON_LIFECYCLE_DUTY_LIFECYCLE_H_
#define INRAPPORT_COMMON_LIFECYCLE_DUTY_LIFECYCLE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "common/burden/burden_queries.h"
#include "common/burden/national_estimate.h"
#include "common/catalog/duty_catalog.h"
#include "common/domain/lifecycle.h"
#include "common/impact/impact_assessment.h"
#include "common/store/store.h"

namespace inrapport {

// What the municipalities said of a proposal, in figures.
struct ConsultationSummary {
  int answers = 0;
  int with_estimate = 0;  // answers that state minutes per report
  // Over the answers that state one; 0 when none does.
  double median_estimated_minutes = 0;
  double min_estimated_minutes = 0;
  double max_estimated_minutes = 0;
  int already_reported_elsewhere = 0;  // answers that say yes
  // Where they say they already report it, most answers first, then by name.
  std::vector<std::pair<std::string, int>> reported_where;
};

struct Consultation {
  Duty duty;
  bool open = false;                        // answers are taken today
  std::vector<ConsultationAnswer> answers;  // by municipality code
  ConsultationSummary summary;              // over every answer
};

// The evidence a renewal is decided on: what was measured since the duty
// was approved (or last renewed) against what was forecast then.
struct RenewalEvidence {
  Duty duty;
  std::optional<DutyDecision> approval;  // the latest approve or renew; none for a
                                         // duty registered in force
  // Reports of the periods that ended on or after the approval's date
  // (every period without one).
  std::string since;  // the approval's date; empty: since the first report
  int64_t reports = 0;
  double minutes_per_report = 0;  // 0 without reports
  NationalEstimate national;      // the duty's national estimate, all its reports
  // "within", "above" or "below" the forecast's interval of minutes per
  // report; "no forecast" or "no reports" when there is nothing to compare.
  std::string against_forecast;
  std::vector<PeriodFlags> period_flags;  // the duty's, oldest first
  int64_t recorded_uses = 0;
  ConsultationSummary consultation;
};

// The measured burden of a decided duty, per calendar year of its periods,
// before and after the decision: a reduction shown, not promised.
struct DecidedBurden {
  DutyDecision decision;
  std::string title;
  std::string agency_id;
  struct Year {
    int year = 0;
    bool after = false;  // the periods that ended on or after the decision's date
    int64_t reports = 0;
    int64_t minutes = 0;
  };
  std::vector<Year> years;  // by year, before first
};

class DutyLifecycle {
 public:
  using Clock = std::function<absl::CivilDay()>;
  struct Options {
    int approval_years = 3;        // an approval's expiry when the arena states none
    double min_similarity = 0.25;  // see ImpactOptions
  };

  // Reads the answers and decisions from `store`. Nothing is owned; all
  // must outlive the lifecycle.
  static absl::StatusOr<std::unique_ptr<DutyLifecycle>> Load(Store* store, DutyCatalog* catalog,
                                                             const BurdenQueries* queries,
                                                             Options options,
                                                             Clock today = nullptr);

  // A new duty as a proposal, with its impact assessment. As
  // DutyCatalog::Create for the duty's fields (INVALID_ARGUMENT,
  // ALREADY_EXISTS).
  struct Proposal {
    Duty duty;
    ImpactAssessment assessment;
  };
  absl::StatusOr<Proposal> Propose(Duty duty, const std::string& by, const std::string& reason);

  // The impact assessment of a duty as it stands today (for a duty in
  // force, what it would be assessed as if proposed now). NOT_FOUND.
  absl::StatusOr<ImpactAssessment> Assess(const std::string& duty_id) const;

  // Opens the consultation on a proposal until `until` (its last day, today
  // or later). FAILED_PRECONDITION when the duty is not proposed.
  absl::StatusOr<Duty> OpenConsultation(const std::string& duty_id, const std::string& until,
                                        const std::string& by, const std::string& reason);

  // A municipality's answer, replacing its earlier one: FAILED_PRECONDITION
  // when the duty is not in consultation or the consultation has closed.
  absl::StatusOr<ConsultationAnswer> Answer(ConsultationAnswer answer);

  // The consultation on a duty; with `municipality_code`, only that
  // municipality's answer is listed (the summary stays over every answer).
  absl::StatusOr<Consultation> ConsultationOf(const std::string& duty_id,
                                              const std::string& municipality_code) const;

  // The arena's decision (ValidateDecision's rules, then):
  //   approve  a proposal whose consultation has closed: in force until
  //            expires_on (default: approval_years from the decision's
  //            date), with the forecast of its assessment recorded;
  //   reject   a proposal, in consultation or not;
  //   renew    a duty in force or expired: in force until a new expiry,
  //            with the forecast as the evidence now shows it;
  //   keep, simplify   a duty in force: on record;
  //   merge    a duty in force into another duty in force: withdrawn;
  //   withdraw a duty in force: withdrawn.
  // FAILED_PRECONDITION naming the duty's state when the decision does not
  // apply to it; NOT_FOUND for an unknown duty (or merge_into).
  struct Decided {
    DutyDecision decision;
    Duty duty;
  };
  absl::StatusOr<Decided> Decide(DutyDecision decision);

  // Decisions in the order they were recorded; of one duty when `duty_id`
  // is set.
  std::vector<DutyDecision> Decisions(const std::string& duty_id) const;

  absl::StatusOr<RenewalEvidence> EvidenceFor(const std::string& duty_id) const;

  // The measured burden of every duty with a decision other than approve
  // or reject, per year before and after its latest such decision.
  std::vector<DecidedBurden> DecidedBurdens() const;

  // Answers and decisions another process stored (the change feed).
  void ApplyStored(std::vector<ConsultationAnswer> answers, std::vector<DutyDecision> decisions);

  int approval_years() const { return options_.approval_years; }

 private:
  DutyLifecycle(Store* store, DutyCatalog* catalog, const BurdenQueries* queries, Options options,
                Clock today);
  ImpactAssessment AssessLocked(const Duty& duty) const;
  ConsultationSummary SummaryOf(const std::string& duty_id) const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  Store* const store_;
  DutyCatalog* const catalog_;
  const BurdenQueries* const queries_;
  const Options options_;
  const Clock today_;
  mutable absl::Mutex mu_;
  // By duty, then municipality code.
  std::map<std::string, std::map<std::string, ConsultationAnswer>> answers_ ABSL_GUARDED_BY(mu_);
  std::map<int64_t, DutyDecision> decisions_ ABSL_GUARDED_BY(mu_);  // by seq
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_LIFECYCLE_DUTY_LIFECYCLE_H_
