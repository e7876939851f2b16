#include "common/sync/replica_sync.h"

#include <utility>

#include "common/base/log.h"

namespace inrapport {

ReplicaSync::ReplicaSync(Store* store, DutyCatalog* catalog, BurdenIndex* index,
                         absl::Duration interval)
    : store_(store), catalog_(catalog), index_(index), interval_(interval) {
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
  while (true) {
    std::vector<std::function<void()>> answered;
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(this, &ReplicaSync::Due), interval_);
      if (stopping_ && waiting_.empty()) return;
      // Callers that arrive while this read runs wait for the next one: the
      // read's snapshot may predate their commit.
      answered.swap(waiting_);
    }
    SyncOnce();
    for (auto& then : answered) then();
  }
}

void ReplicaSync::SyncOnce() {
  absl::StatusOr<Store::Changes> changes = store_->ReadChanges();
  if (!changes.ok()) {
    failed_reads_.fetch_add(1, std::memory_order_relaxed);
    Log(LogLevel::kWarning, "replica_sync_failed", {{"error", changes.status().ToString()}});
    return;
  }
  // Duties first: a report's duty was stored before the report.
  catalog_->ApplyStored(std::move(changes->duties), std::move(changes->uses));
  if (changes->reports.empty()) return;
  std::vector<const Report*> reports;
  reports.reserve(changes->reports.size());
  for (const Report& report : changes->reports) reports.push_back(&report);
  index_->AddReports(reports);
  catalog_->AddReports(reports);
  applied_reports_.fetch_add(static_cast<int64_t>(reports.size()), std::memory_order_relaxed);
}

}  // namespace inrapport
