#include "common/metrics/service_metrics.h"

namespace inrapport {

const char* StatusCodeName(absl::StatusCode code) {
  static constexpr const char* kNames[] = {
      "OK",                 "CANCELLED",      "UNKNOWN",
      "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS",     "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED",       "OUT_OF_RANGE",
      "UNIMPLEMENTED",      "INTERNAL",       "UNAVAILABLE",
      "DATA_LOSS",          "UNAUTHENTICATED"};
  const int index = static_cast<int>(code);
  return index >= 0 && index < 17 ? kNames[index] : "UNKNOWN";
}

IntakeMetrics::IntakeMetrics(prometheus::Registry& registry) {
  auto& reports = prometheus::BuildCounter()
                      .Name("inrapport_reports_total")
                      .Help("Reports received, by outcome: accepted (stored), "
                            "duplicate (a retry, counted once) or rejected.")
                      .Register(registry);
  accepted_ = &reports.Add({{"outcome", "accepted"}});
  duplicate_ = &reports.Add({{"outcome", "duplicate"}});
  rejected_ = &reports.Add({{"outcome", "rejected"}});

  auto& rejections = prometheus::BuildCounter()
                         .Name("inrapport_report_rejections_total")
                         .Help("Rejected reports by the gRPC status code "
                               "they were answered with.")
                         .Register(registry);
  // A child for every code exists from the start, so that rate() sees a
  // zero before the first rejection of that kind.
  for (int i = 1; i < kCodeCount; ++i) {
    rejected_by_code_[i] = &rejections.Add(
        {{"code", StatusCodeName(static_cast<absl::StatusCode>(i))}});
  }

  auto& changes = prometheus::BuildCounter()
                      .Name("inrapport_report_changes_total")
                      .Help("Corrections and withdrawals of stored reports, by kind "
                            "(correction, withdrawal) and outcome: accepted (a new version "
                            "stored), duplicate (a retry) or rejected.")
                      .Register(registry);
  const char* kinds[] = {"correction", "withdrawal"};
  const char* outcomes[] = {"accepted", "duplicate", "rejected"};
  for (int k = 0; k < 2; ++k) {
    for (int o = 0; o < 3; ++o) {
      changes_[k][o] = &changes.Add({{"kind", kinds[k]}, {"outcome", outcomes[o]}});
    }
  }
}

void IntakeMetrics::RecordChange(ChangeKind kind, const absl::StatusOr<ChangeResult>& result) {
  const int outcome =
      !result.ok() ? 2 : result->outcome == SubmitOutcome::kAccepted ? 0 : 1;
  changes_[kind == ChangeKind::kCorrection ? 0 : 1][outcome]->Increment();
}

void IntakeMetrics::Record(const absl::StatusOr<SubmitResult>& result) {
  if (result.ok()) {
    (result->outcome == SubmitOutcome::kAccepted ? accepted_ : duplicate_)->Increment();
    return;
  }
  rejected_->Increment();
  const int code = static_cast<int>(result.status().code());
  if (code > 0 && code < kCodeCount) rejected_by_code_[code]->Increment();
}

}  // namespace inrapport
