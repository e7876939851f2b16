// The standard process metrics every Prometheus client library exports, so
// that the usual dashboards and alerts (memory, CPU, file descriptors,
// restarts) work unchanged. Read from /proc at scrape time; Linux only.
#ifndef INRAPPORT_COMMON_METRICS_PROCESS_COLLECTOR_H_
#define INRAPPORT_COMMON_METRICS_PROCESS_COLLECTOR_H_

#include <map>
#include <string>
#include <vector>

#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"
#include "prometheus/registry.h"

namespace inrapport {

// Families: process_cpu_seconds_total (counter), process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds,
// process_start_time_seconds (gauges). A figure /proc cannot give is left
// out rather than reported as 0.
class ProcessCollector : public prometheus::Collectable {
 public:
  // `proc_self` is the /proc directory of the process to describe.
  explicit ProcessCollector(std::string proc_self = "/proc/self", std::string proc = "/proc");

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const std::string proc_self_;
  const std::string proc_;
};

// inrapport_build_info{<labels>} 1: which build is running, for joins in
// queries (`* on(instance) group_left(version) inrapport_build_info`).
void RegisterBuildInfo(prometheus::Registry& registry,
                       const std::map<std::string, std::string>& labels);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_METRICS_PROCESS_COLLECTOR_H_
