// The path of a report from a municipal system to the burden figures:
// validate against its duty, store durably and idempotently, then count it.
#ifndef INRAPPORT_COMMON_INTAKE_REPORT_INTAKE_H_
#define INRAPPORT_COMMON_INTAKE_REPORT_INTAKE_H_

#include <functional>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/aggregates/aggregates.h"
#include "common/catalog/duty_catalog.h"
#include "common/domain/types.h"
#include "common/metrics/service_metrics.h"
#include "common/store/store.h"

namespace inrapport {

// Thread-safe. The pointers are not owned and must outlive the intake.
class ReportIntake {
 public:
  using Clock = std::function<absl::CivilDay()>;  // today's date

  // With a shared store, accepted reports are counted by the store's change
  // feed (see ReplicaSync), not here: `after_sync(then)` must call `then`
  // once the feed has applied what was committed before the call. Null
  // (the default): the intake counts accepted reports itself.
  using AfterSync = std::function<void(std::function<void()> then)>;

  ReportIntake(Store* store, DutyCatalog* catalog, Aggregates* aggregates,
               IntakeMetrics* metrics, Clock today, AfterSync after_sync = nullptr);

  // Validates every report and stores the valid ones together. `done` is
  // called exactly once with one result per report, in input order, after
  // every accepted report is durable and counted in the aggregates (and its
  // duty's flags re-evaluated):
  //   kAccepted / kDuplicate;
  //   INVALID_ARGUMENT naming the field; NOT_FOUND for an unknown duty;
  //   ALREADY_EXISTS for a submission id stored with different content;
  //   UNAVAILABLE when the store could not write.
  // `done` runs on the calling thread if nothing needed storing, else on the
  // store's thread (or, with `after_sync`, the thread that calls `then`); it
  // must not block. `withdrawn` goes to the store (see Store::SubmitReports):
  // when it says true before the store begins the batch, the valid reports
  // are answered CANCELLED and nothing is stored.
  using Results = Store::SubmitResults;
  void Submit(std::vector<Report> reports, std::function<void(Results)> done,
              Store::Withdrawn withdrawn = nullptr);

  // Blocking form of Submit.
  Results SubmitAndWait(std::vector<Report> reports);

  // Corrects or withdraws a stored report (see Store::ChangeReport), and
  // returns once the change is durable and the figures count the report's
  // new version only (its duty's flags re-evaluated). A correction is
  // validated like a report: INVALID_ARGUMENT naming the field (the
  // reason is `reason_field`), NOT_FOUND for an unknown duty.
  absl::StatusOr<ChangeResult> Change(ReportChange change, absl::string_view reason_field);

 private:
  // A report's fields against its duty; a `new_report` also needs the duty
  // to be in force (a correction does not).
  absl::Status Validate(absl::CivilDay today, Report& report, bool new_report) const;

  Store* store_;
  DutyCatalog* catalog_;
  Aggregates* aggregates_;
  IntakeMetrics* metrics_;
  Clock today_;
  AfterSync after_sync_;
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_INTAKE_REPORT_INTAKE_H_
