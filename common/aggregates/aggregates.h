// Everything the service derives from the stored reports, in one place: the
// burden of every (duty, municipality, period) cell with its per-period and
// per-duty rollups (BurdenIndex), and per duty the answers, periods and
// recorded uses that its report-driven flags are judged on (DutyStats).
//
// Loaded once from the store at start-up, in one pass over its aggregate
// tables, and updated in one place: AddReports, called by the intake for
// the reports a commit accepted and by the replica sync for those the
// change feed brought. The catalogue evaluates flags from here and hears
// which duties changed; summaries, accounts and metrics read here.
#ifndef INRAPPORT_COMMON_AGGREGATES_AGGREGATES_H_
#define INRAPPORT_COMMON_AGGREGATES_AGGREGATES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/aggregates/burden_index.h"
#include "common/domain/types.h"
#include "common/flags/duty_stats.h"
#include "common/store/store.h"

namespace inrapport {

// A duty's measured totals (all zero for a duty without reports).
struct DutyFigures {
  int64_t reports = 0;
  int64_t minutes = 0;
  std::optional<double> median_minutes;  // nullopt without reports
  int64_t recorded_uses = 0;
};

// Thread-safe.
class Aggregates {
 public:
  // The figures of every report `store` holds, and its recorded uses.
  //
  // A store that keeps a log position (Store::Position, SQLite): with a
  // `snapshot_path`, the figures come from the snapshot there when it is
  // one of this store's log: it names the last report it includes and the
  // count of changes made until then, and is used only if the store holds
  // that same report there and no report was changed since. The reports
  // stored after it are then read and added. Otherwise (no snapshot,
  // another store's, an older one, a damaged one: a log line says which)
  // every report is read, in arrival order, and a new snapshot is written,
  // so that the next start is quick.
  //
  // A shared store (PostgreSQL): every burden cell and answer cell is read
  // once; no report is read.
  static absl::StatusOr<std::unique_ptr<Aggregates>> Load(Store& store,
                                                          const std::string& snapshot_path = "");

  // Saves the figures at `path` as of the store's position, which must not
  // move meanwhile (no report on its way: see Store::StopWrites), unless the
  // last snapshot loaded or written here is of that position already.
  // Written beside and renamed over the old one, so a crash meanwhile leaves
  // the old one. UNIMPLEMENTED for a store without a log position.
  absl::Status SaveSnapshot(Store& store, const std::string& path);

  // What the snapshot at `path` holds, read and checked whole without a
  // store: the position it includes, the report it ends with
  // ("municipality/submission id/receipt in unix seconds") and its totals.
  // For checks.
  struct SnapshotSummary {
    Store::LogPosition position;
    std::string last_report;
    int64_t reports = 0;
    int64_t minutes = 0;
  };
  static absl::StatusOr<SnapshotSummary> InspectSnapshot(const std::string& path);

  Aggregates(const Aggregates&) = delete;
  Aggregates& operator=(const Aggregates&) = delete;

  // Reports the store has just accepted (validated, never duplicates):
  // their cells and their duties' statistics grow, and then the listener
  // hears which duties changed.
  // `received_at_unix`, if not empty, holds each report's receipt time (as
  // `reports`), kept as the cells' first receipt.
  void AddReports(const std::vector<const Report*>& reports,
                  const std::vector<int64_t>& received_at_unix = {});
  // Reports corrected or withdrawn: each revision's `before` (as it was
  // counted) leaves every figure and its `after`, if any, enters; then the
  // listener hears which duties changed.
  void ReviseReports(const std::vector<ReportRevision>& revisions);
  // A use stored for the first time (validated, or as stored).
  void AddUse(const DutyUse& use);

  // Called after AddReports with the ids of the duties it changed, each
  // once, outside this object's locks. One listener; null removes it.
  using ChangedDuties = std::function<void(const std::vector<std::string>& duty_ids)>;
  void SetListener(ChangedDuties listener);

  const BurdenIndex& burden() const { return index_; }

  // Calls `read` with the duty's statistics, or null for a duty without
  // reports or uses, under a shared lock (`read` must not call back).
  void ReadStats(absl::string_view duty_id,
                 absl::FunctionRef<void(const DutyStats*)> read) const;
  DutyFigures FiguresOf(absl::string_view duty_id) const;

 private:
  Aggregates() = default;

  // The figures from the snapshot at `path` and the reports after it, or
  // why the snapshot cannot be used (NOT_FOUND: there is none); with the
  // reports it included and those added after it.
  static absl::StatusOr<std::unique_ptr<Aggregates>> LoadSnapshot(
      Store& store, const std::string& path, const Store::LogPosition& now, int64_t* included,
      int64_t* reports_after);
  // From every report of a store that keeps a log, in arrival order.
  static absl::StatusOr<std::unique_ptr<Aggregates>> LoadReports(Store& store);
  // From the store's cells (a shared store's).
  static absl::StatusOr<std::unique_ptr<Aggregates>> LoadCells(Store& store);
  // Adds the reports stored after `seq`; how many.
  absl::StatusOr<int64_t> AddReportsAfter(Store& store, int64_t seq);

  BurdenIndex index_;  // locks itself
  mutable absl::Mutex mu_;
  std::map<std::string, DutyStats, std::less<>> stats_ ABSL_GUARDED_BY(mu_);
  // The position of the last snapshot loaded or written.
  absl::Mutex snapshot_mu_;
  std::optional<Store::LogPosition> snapshot_position_ ABSL_GUARDED_BY(snapshot_mu_);
  absl::Mutex listener_mu_;
  ChangedDuties listener_ ABSL_GUARDED_BY(listener_mu_);
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_AGGREGATES_AGGREGATES_H_
