#include "common/intake/report_intake.h"

#include <future>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/domain/lifecycle.h"
#include "common/domain/validation.h"
#include "common/text/text_safety.h"

namespace inrapport {

ReportIntake::ReportIntake(Store* store, DutyCatalog* catalog, Aggregates* aggregates,
                           IntakeMetrics* metrics, Clock today, AfterSync after_sync)
    : store_(store), catalog_(catalog), aggregates_(aggregates), metrics_(metrics),
      today_(std::move(today)), after_sync_(std::move(after_sync)) {}

absl::Status ReportIntake::Validate(absl::CivilDay today, Report& report,
                                   bool new_report) const {
  RETURN_IF_ERROR(ValidateReportShape(report));
  std::shared_ptr<const Duty> duty = catalog_->FindFields(report.duty_id);
  if (duty == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "report.duty_id: duty ", QuoteValue(report.duty_id), " is not registered"));
  }
  RETURN_IF_ERROR(ValidateReport(*duty, today, &report));
  // A new report needs a duty in force; a correction of one stored before
  // the duty ended does not.
  return new_report ? CheckAcceptsReports(*duty, today) : absl::OkStatus();
}

void ReportIntake::Submit(std::vector<Report> reports,
                          std::function<void(Results)> done,
                          Store::Withdrawn withdrawn) {
  const absl::CivilDay today = today_();
  // Results start as the validation outcome; valid reports are stored
  // together and their slots filled in from the store's answer.
  // Every slot is overwritten below; the placeholder is never answered.
  auto results = std::make_shared<Results>(
      reports.size(), absl::InternalError("report was not processed"));
  auto valid = std::make_shared<std::vector<Report>>();
  auto slots = std::make_shared<std::vector<size_t>>();
  valid->reserve(reports.size());
  for (size_t i = 0; i < reports.size(); ++i) {
    absl::Status status = Validate(today, reports[i], /*new_report=*/true);
    if (!status.ok()) {
      (*results)[i] = std::move(status);
      continue;
    }
    slots->push_back(i);
    valid->push_back(std::move(reports[i]));
  }

  auto finish = [this, results, done = std::move(done)]() {
    for (const auto& result : *results) metrics_->Record(result);
    done(std::move(*results));
  };
  if (valid->empty()) {
    finish();
    return;
  }
  // The store and the aggregates read the same batch, which nobody changes
  // from here on.
  store_->SubmitReports(
      Store::ReportBatch(valid),
      [this, results, valid, slots, finish = std::move(finish)](
          Store::SubmitResults stored) {
        std::vector<const Report*> accepted;
        std::vector<int64_t> received_at;
        for (size_t j = 0; j < stored.size(); ++j) {
          if (stored[j].ok() && stored[j]->outcome == SubmitOutcome::kAccepted) {
            accepted.push_back(&(*valid)[j]);
            received_at.push_back(stored[j]->receipt.received_at_unix);
          }
          (*results)[(*slots)[j]] = std::move(stored[j]);
        }
        if (after_sync_ != nullptr) {
          // The change feed counts them, once, whichever replica stored them.
          if (accepted.empty()) {
            finish();
          } else {
            after_sync_(std::move(finish));
          }
          return;
        }
        aggregates_->AddReports(accepted, received_at);
        finish();
      },
      std::move(withdrawn));
}

ReportIntake::Results ReportIntake::SubmitAndWait(std::vector<Report> reports) {
  std::promise<Results> promise;
  std::future<Results> future = promise.get_future();
  Submit(std::move(reports),
         [&promise](Results results) { promise.set_value(std::move(results)); });
  return future.get();
}

absl::StatusOr<ChangeResult> ReportIntake::Change(ReportChange change,
                                                  absl::string_view reason_field) {
  absl::StatusOr<ChangeResult> result = [&]() -> absl::StatusOr<ChangeResult> {
    RETURN_IF_ERROR(ValidateChangeReason(reason_field, change.reason));
    if (change.base_version < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("version: must be 0 (the stored version) or a version number, got ",
                       change.base_version));
    }
    if (change.kind == ChangeKind::kWithdrawal) {
      if (change.municipality_code.empty()) {
        return absl::InvalidArgumentError("municipality_code: must not be empty");
      }
      if (change.submission_id.empty()) {
        return absl::InvalidArgumentError("submission_id: must not be empty");
      }
    } else {
      RETURN_IF_ERROR(Validate(today_(), change.corrected, /*new_report=*/false));
    }
    ASSIGN_OR_RETURN(ChangeResult changed, store_->ChangeReport(change));
    if (changed.outcome == SubmitOutcome::kDuplicate) return changed;
    if (after_sync_ != nullptr) {
      // The change feed applies it, once, whichever replica stored it.
      std::promise<void> applied;
      after_sync_([&applied] { applied.set_value(); });
      applied.get_future().wait();
      return changed;
    }
    aggregates_->ReviseReports({RevisionOf(changed)});
    return changed;
  }();
  metrics_->RecordChange(change.kind, result);
  return result;
}

}  // namespace inrapport
