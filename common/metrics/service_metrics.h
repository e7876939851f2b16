// The service's own Prometheus metrics, declared once. Counters live in a
// prometheus::Registry; burden and store figures are read at scrape time by
// collectables (burden_collector.h) so they always equal the store's.
#ifndef INRAPPORT_COMMON_METRICS_SERVICE_METRICS_H_
#define INRAPPORT_COMMON_METRICS_SERVICE_METRICS_H_

#include <array>

#include "absl/status/statusor.h"
#include "common/store/store.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"

namespace inrapport {

// Outcomes of submitted reports. Thread-safe (prometheus counters are).
//   inrapport_reports_total{outcome="accepted|duplicate|rejected"}
//   inrapport_report_rejections_total{code="INVALID_ARGUMENT|..."}
class IntakeMetrics {
 public:
  // Registers the families in `registry`, which must outlive this object.
  explicit IntakeMetrics(prometheus::Registry& registry);

  void Record(const absl::StatusOr<SubmitResult>& result);
  // A correction or withdrawal and what became of it.
  void RecordChange(ChangeKind kind, const absl::StatusOr<ChangeResult>& result);

 private:
  // [kind][outcome]: kind correction, withdrawal; outcome accepted,
  // duplicate, rejected.
  std::array<std::array<prometheus::Counter*, 3>, 2> changes_{};
  static constexpr int kCodeCount = 17;  // google.rpc.Code 0..16
  prometheus::Counter* accepted_;
  prometheus::Counter* duplicate_;
  prometheus::Counter* rejected_;
  std::array<prometheus::Counter*, kCodeCount> rejected_by_code_{};
};

// The upper-case name of a google.rpc code, e.g. "INVALID_ARGUMENT".
const char* StatusCodeName(absl::StatusCode code);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_METRICS_SERVICE_METRICS_H_
