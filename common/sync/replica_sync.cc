#include "common/sync/replica_sync.h"

#include <utility>

#include "common/base/log.h"

namespace inrapport {

ReplicaSync::ReplicaSync(Store* store, DutyCatalog* catalog, Aggregates* aggregates,
                         absl::Duration interval, AgencyRegister* agencies,
                         DutyLifecycle* lifecycle)
    : store_(store),
      catalog_(catalog),
      agencies_(agencies),
      lifecycle_(lifecycle),
      aggregates_(aggregates),
      interval_(interval) {
  thread_ = std::thread([this] { Loop(); });
}

ReplicaSync::~ReplicaSync() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void ReplicaSync::AfterNextSync(std::function<void()> then) {
  absl::MutexLock lock(&mu_);
  waiting_.push_back(std::move(then));
}

bool ReplicaSync::Due() const { return stopping_ || !waiting_.empty(); }

void ReplicaSync::Loop() {
  // At a fixed rate, from the start of one read to the start of the next:
  // a commit made just after a read's snapshot is read by the next one, so
  // another replica's report is applied within one interval plus one read,
  // however long the reads take (a read longer than the interval is
  // followed at once by the next).
  absl::Time next = absl::Now() + interval_;
  while (true) {
    std::vector<std::function<void()>> answered;
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithDeadline(absl::Condition(this, &ReplicaSync::Due), next);
      if (stopping_ && waiting_.empty()) return;
      // Callers that arrive while this read runs wait for the next one: the
      // read's snapshot may predate their commit.
      answered.swap(waiting_);
    }
    next = absl::Now() + interval_;
    SyncOnce();
    for (auto& then : answered) then();
  }
}

absl::Time ReplicaSync::last_success() const {
  absl::MutexLock lock(&mu_);
  return last_success_;
}

void ReplicaSync::SyncOnce() {
  const absl::Time started = absl::Now();
  reads_.fetch_add(1, std::memory_order_relaxed);
  absl::StatusOr<Store::Changes> changes = store_->ReadChanges();
  if (!changes.ok()) {
    failed_reads_.fetch_add(1, std::memory_order_relaxed);
    Log(LogLevel::kWarning, "replica_sync_failed", {{"error", changes.status().ToString()}});
    return;
  }
  // Agencies, then duties: a duty's agency was stored before the duty, and
  // a report's duty before the report.
  if (agencies_ != nullptr) agencies_->ApplyStored(changes->agencies);
  catalog_->ApplyStored(std::move(changes->duties), std::move(changes->uses));
  if (lifecycle_ != nullptr) {
    lifecycle_->ApplyStored(std::move(changes->answers), std::move(changes->decisions));
  }
  if (!changes->reports.empty()) {
    std::vector<const Report*> reports;
    reports.reserve(changes->reports.size());
    for (const Report& report : changes->reports) reports.push_back(&report);
    aggregates_->AddReports(reports, changes->received_at_unix);
    applied_reports_.fetch_add(static_cast<int64_t>(reports.size()),
                               std::memory_order_relaxed);
  }
  // Corrections and withdrawals after the reports they change.
  aggregates_->ReviseReports(changes->revisions);
  absl::MutexLock lock(&mu_);
  last_success_ = started;
}

std::vector<prometheus::MetricFamily> ReplicaSyncCollector::Collect() const {
  auto family = [](const char* name, const char* help, prometheus::MetricType type,
                   double value) {
    prometheus::MetricFamily f;
    f.name = name;
    f.help = help;
    f.type = type;
    prometheus::ClientMetric metric;
    if (type == prometheus::MetricType::Counter) {
      metric.counter.value = value;
    } else {
      metric.gauge.value = value;
    }
    f.metric.push_back(metric);
    return f;
  };
  return {
      family("inrapport_replica_sync_reads_total",
             "Reads of the shared store's change feed by this replica, failed ones included.",
             prometheus::MetricType::Counter, static_cast<double>(sync_->reads())),
      family("inrapport_replica_sync_failed_reads_total",
             "Reads of the shared store's change feed that failed; retried at the next "
             "interval.",
             prometheus::MetricType::Counter, static_cast<double>(sync_->failed_reads())),
      family("inrapport_replica_sync_applied_reports_total",
             "Reports, stored by any replica, that this replica added to its burden figures "
             "from the change feed.",
             prometheus::MetricType::Counter, static_cast<double>(sync_->applied_reports())),
      family("inrapport_replica_sync_last_success_timestamp_seconds",
             "Start of the last change feed read that succeeded, in Unix seconds: what was "
             "committed before it is in this replica's figures.",
             prometheus::MetricType::Gauge, absl::ToDoubleSeconds(sync_->last_success() - absl::UnixEpoch())),
  };
}

}  // namespace inrapport
