#include "common/metrics/process_collector.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "prometheus/gauge.h"

namespace inrapport {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void Add(std::vector<MetricFamily>& families, const char* name, const char* help,
         MetricType type, double value) {
  MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  ClientMetric metric;
  if (type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
  families.push_back(std::move(family));
}

}  // namespace

ProcessCollector::ProcessCollector(std::string proc_self, std::string proc)
    : proc_self_(std::move(proc_self)), proc_(std::move(proc)) {}

std::vector<MetricFamily> ProcessCollector::Collect() const {
  std::vector<MetricFamily> families;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));

  // /proc/<pid>/stat: the command name may hold spaces and parentheses, so
  // fields are counted from the last ')'. After it, field 3 (state) is first.
  if (std::optional<std::string> stat = ReadFile(proc_self_ + "/stat")) {
    const size_t close = stat->rfind(')');
    if (close != std::string::npos) {
      const std::vector<absl::string_view> f =
          absl::StrSplit(absl::string_view(*stat).substr(close + 2), ' ', absl::SkipEmpty());
      // Indices into f: field N of proc(5) is f[N - 3].
      double utime = 0, stime = 0, start = 0, vsize = 0, rss = 0;
      if (f.size() > 21 && absl::SimpleAtod(f[11], &utime) && absl::SimpleAtod(f[12], &stime) &&
          absl::SimpleAtod(f[19], &start) && absl::SimpleAtod(f[20], &vsize) &&
          absl::SimpleAtod(f[21], &rss)) {
        Add(families, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
            MetricType::Counter, (utime + stime) / ticks);
        Add(families, "process_resident_memory_bytes", "Resident memory size in bytes.",
            MetricType::Gauge, rss * page);
        Add(families, "process_virtual_memory_bytes", "Virtual memory size in bytes.",
            MetricType::Gauge, vsize);
        // starttime is in ticks since boot; btime in /proc/stat is the boot
        // time in seconds since the epoch.
        if (std::optional<std::string> system = ReadFile(proc_ + "/stat")) {
          for (absl::string_view line : absl::StrSplit(*system, '\n')) {
            double boot = 0;
            if (absl::ConsumePrefix(&line, "btime ") && absl::SimpleAtod(line, &boot)) {
              Add(families, "process_start_time_seconds",
                  "Start time of the process since unix epoch in seconds.", MetricType::Gauge,
                  boot + start / ticks);
            }
          }
        }
      }
    }
  }

  std::error_code error;
  std::filesystem::directory_iterator fds(proc_self_ + "/fd", error);
  if (!error) {
    double open = 0;
    for (auto it = fds; it != std::filesystem::directory_iterator(); it.increment(error)) {
      if (error) break;
      ++open;
    }
    if (!error) {
      Add(families, "process_open_fds", "Number of open file descriptors.", MetricType::Gauge,
          open);
    }
  }

  if (std::optional<std::string> limits = ReadFile(proc_self_ + "/limits")) {
    for (absl::string_view line : absl::StrSplit(*limits, '\n')) {
      if (!absl::ConsumePrefix(&line, "Max open files")) continue;
      const std::vector<absl::string_view> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
      double soft = 0;
      if (!f.empty() && absl::SimpleAtod(f[0], &soft)) {
        Add(families, "process_max_fds", "Maximum number of open file descriptors.",
            MetricType::Gauge, soft);
      }
    }
  }
  return families;
}

void RegisterBuildInfo(prometheus::Registry& registry,
                       const std::map<std::string, std::string>& labels) {
  prometheus::BuildGauge()
      .Name("inrapport_build_info")
      .Help("Always 1; the labels say which build of inrapportd is running.")
      .Register(registry)
      .Add(labels)
      .Set(1);
}

}  // namespace inrapport
