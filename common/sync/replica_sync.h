// Keeps one replica's in-memory state (aggregates, duty catalogue) in step
// with a shared store that other replicas write too.
#ifndef INRAPPORT_COMMON_SYNC_REPLICA_SYNC_H_
#define INRAPPORT_COMMON_SYNC_REPLICA_SYNC_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/aggregates/aggregates.h"
#include "common/catalog/duty_catalog.h"
#include "common/lifecycle/duty_lifecycle.h"
#include "common/store/store.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace inrapport {

// Reads the store's change feed (Store::ReadChanges) at a fixed rate, one
// read starting `interval` after the previous one started (at once if that
// one took longer), and at once when asked (after a local commit), and
// applies it: duties and uses to the catalogue, reports to the aggregates.
// Every report reaches the aggregates exactly once, whichever
// replica stored it, so what another replica committed is in this one's
// figures within one interval plus the time of one read.
//
// Thread-safe. The pointers are not owned and must outlive the sync; the
// in-memory state must have been loaded inside the store's startup snapshot
// (Store::BeginStartupSnapshot) so that the feed continues exactly where the
// load stopped.
class ReplicaSync {
 public:
  // `agencies` and `lifecycle` may be null (no register, no consultation
  // answers and decisions kept in memory).
  ReplicaSync(Store* store, DutyCatalog* catalog, Aggregates* aggregates,
              absl::Duration interval, AgencyRegister* agencies = nullptr,
              DutyLifecycle* lifecycle = nullptr);
  // Stops the reading thread; callbacks still waiting run first.
  ~ReplicaSync();

  ReplicaSync(const ReplicaSync&) = delete;
  ReplicaSync& operator=(const ReplicaSync&) = delete;

  // Calls `then` (on the sync's thread; it must not block) once a feed read
  // that started after this call has been applied: what the caller committed
  // before is then counted. If that read fails, `then` still runs, and the
  // change is applied by a later read.
  void AfterNextSync(std::function<void()> then);

  // Reports applied from the feed so far, and feed reads that failed.
  int64_t applied_reports() const { return applied_reports_.load(std::memory_order_relaxed); }
  int64_t failed_reads() const { return failed_reads_.load(std::memory_order_relaxed); }
  // Feed reads so far, failed ones included.
  int64_t reads() const { return reads_.load(std::memory_order_relaxed); }
  // When the last feed read that succeeded started; the Unix epoch before
  // the first. Everything committed before it is applied.
  absl::Time last_success() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  bool Due() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Loop();
  // One feed read and its application.
  void SyncOnce();

  Store* const store_;
  DutyCatalog* const catalog_;
  AgencyRegister* const agencies_;
  DutyLifecycle* const lifecycle_;
  Aggregates* const aggregates_;
  const absl::Duration interval_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::function<void()>> waiting_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> applied_reports_{0};
  std::atomic<int64_t> failed_reads_{0};
  std::atomic<int64_t> reads_{0};
  absl::Time last_success_ ABSL_GUARDED_BY(mu_) = absl::UnixEpoch();
  std::thread thread_;
};

// A replica's feed figures for Prometheus, per replica:
//   inrapport_replica_sync_reads_total                      counter
//   inrapport_replica_sync_failed_reads_total               counter
//   inrapport_replica_sync_applied_reports_total            counter
//   inrapport_replica_sync_last_success_timestamp_seconds   gauge
// Thread-safe; `sync` is not owned and must outlive the collector.
class ReplicaSyncCollector : public prometheus::Collectable {
 public:
  explicit ReplicaSyncCollector(const ReplicaSync* sync) : sync_(sync) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const ReplicaSync* sync_;
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_SYNC_REPLICA_SYNC_H_
