// Burden, duty and store figures for Prometheus, computed at scrape time
// from the catalogue, the aggregates' burden index and the store's counters. Computing
// them on demand keeps them equal to the stored data across restarts and
// duty updates (a duty that becomes flagged moves its burden to
// flagged="true"), which counters kept by hand could not.
#ifndef INRAPPORT_COMMON_METRICS_BURDEN_COLLECTOR_H_
#define INRAPPORT_COMMON_METRICS_BURDEN_COLLECTOR_H_

#include <vector>

#include "common/aggregates/burden_index.h"
#include "common/burden/burden_queries.h"
#include "common/catalog/duty_catalog.h"
#include "common/store/store.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace inrapport {

// Families (labels bounded by the number of agencies x 11 sectors x 2):
//   inrapport_measured_burden_seconds{agency,sector,flagged}  gauge
//   inrapport_measured_burden_sek{agency,sector,flagged}      gauge
//   inrapport_measured_reports{agency,sector,flagged}         gauge
//   inrapport_national_estimated_cost_sek{agency,sector,flagged} gauge
//   inrapport_recorded_uses{agency}                            gauge
//   inrapport_duties_registered                                gauge
//   inrapport_duties_not_estimable                             gauge
//   inrapport_duties_flagged{flag}                             gauge
// and one series per registered duty in each of:
//   inrapport_duty_recorded_uses{duty,agency}                  gauge
//   inrapport_duty_flags{duty,agency}                          gauge
// and one per duty with a national estimate (none for a duty that is not
// estimable, which is also left out of inrapport_national_estimated_cost_sek):
//   inrapport_duty_national_estimated_cost_sek{duty,agency}    gauge
// and, not growing with duties or reports:
//   inrapport_store_commits_total                              counter
//   inrapport_store_committed_reports_total                    counter
//   inrapport_store_failed_commits_total                       counter
//   inrapport_store_commit_duration_seconds                    histogram
//   inrapport_store_reports_per_commit                         histogram
//   inrapport_store_size_bytes                                 gauge
//   inrapport_burden_summaries_total{answer}                   counter
// Thread-safe; the pointers are not owned and must outlive the collector.
class BurdenCollector : public prometheus::Collectable {
 public:
  BurdenCollector(DutyCatalog* catalog, const BurdenIndex* index,
                  const BurdenQueries* queries, const Store* store)
      : catalog_(catalog), index_(index), queries_(queries), store_(store) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  DutyCatalog* catalog_;
  const BurdenIndex* index_;
  const BurdenQueries* queries_;
  const Store* store_;
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_METRICS_BURDEN_COLLECTOR_H_
