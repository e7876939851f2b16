// The group-commit pipeline that every store writes reports through: the
// queue, the one writer thread, batching up to a bound, withdrawal just
// before a transaction, and the answers in commit order on a completion
// thread. A backend supplies only what is its own: how one batch is written
// in one durable transaction (SQL, binding, its retries).
//
// Group commit: callers queue their reports and return; the writer takes
// everything queued (up to a bound), hands it to the backend as one batch,
// so one fsync serves them all, then queues the answers. Under load many
// callers share one commit, so durability does not serialise the service;
// with one caller the latency is one commit.
//
// The answers run on a completion thread, one batch after another in commit
// order, so that the writer begins the next transaction while the callers of
// the last one are answered. A bounded number of committed batches may wait
// there; beyond it the writer waits, so slow callbacks slow the store instead
// of growing a queue without end.
#ifndef INRAPPORT_COMMON_STORE_WRITE_PIPELINE_H_
#define INRAPPORT_COMMON_STORE_WRITE_PIPELINE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/domain/types.h"
#include "common/store/store.h"

namespace inrapport {

// The answer to a report whose (municipality, submission id) is stored
// already as `stored`: kDuplicate with the stored report's receipt for the
// same content (a retry), else ALREADY_EXISTS naming the first field that
// differs. The same words on every backend.
absl::StatusOr<SubmitResult> OutcomeOfResubmission(const StoredReport& stored,
                                                   const Report& sent);

// What `change` does to the report stored as `stored`, decided alike on
// every backend (see Store::ChangeReport): an error, a duplicate, or the
// accepted change with the new version as `current`, stored at `now`.
absl::StatusOr<ChangeResult> DecideChange(const StoredReport& stored, const ReportChange& change,
                                          int64_t now_unix);

// The status every report of a batch is answered with when its transaction
// failed: UNAVAILABLE with the backend's `reason`. `maybe_stored` says that
// the transaction's COMMIT went unanswered, so the batch may be stored: the
// sender is told to retry with the same ids.
absl::Status CommitFailure(absl::string_view reason, bool maybe_stored = false);

// What the accepted reports of one transaction add to the burden and answer
// cells (store.h), summed per cell so that each distinct cell is written
// once, in key order (the order keeps concurrent writers' locks in one
// order). Keys view the added reports, which must outlive the sums.
class CellSums {
 public:
  struct Burden {
    int64_t reports = 0;
    int64_t minutes = 0;
    int64_t first_received_unix = 0;  // the earliest receipt added; 0: none given
  };
  // duty, municipality, period.
  using BurdenKey = std::tuple<absl::string_view, absl::string_view, absl::string_view>;
  // duty, minutes, usefulness, feedback, elsewhere, period.
  using AnswerKey =
      std::tuple<absl::string_view, int64_t, int32_t, int, int, absl::string_view>;

  // Adds the report's share; `received_at_unix` (0: not given) is its
  // receipt, which the cell keeps if it is the earliest.
  void Add(const Report& report, int64_t received_at_unix = 0);
  // What a correction (to `after`) or withdrawal (`after` null) of `before`
  // does to the cells: -1 in the old cells, +1 in the new, the cells it
  // leaves unchanged left out. Written in key order, like a batch's sums,
  // so that a change and a batch lock their cells in one order. The first
  // receipts are not moved: the store reads them again from the reports a
  // moved cell still holds.
  static CellSums Move(const Report& before, const Report* after);
  bool empty() const { return burden_.empty(); }
  void clear() {
    burden_.clear();
    answers_.clear();
  }
  const std::map<BurdenKey, Burden>& burden() const { return burden_; }
  const std::map<AnswerKey, int64_t>& answers() const { return answers_; }  // reports per cell

 private:
  std::map<BurdenKey, Burden> burden_;
  std::map<AnswerKey, int64_t> answers_;

  // Adds the report's share (sign 1), or takes it out (-1); returns its
  // burden cell.
  Burden& Shift(const Report& report, int sign);
};

// Thread-safe. Construct, Start, then Submit or RunAlone from any thread.
class WritePipeline {
 public:
  // Writes `batch` in one durable transaction, on the writer thread: one
  // result per report, in order, or the failure status (see CommitFailure)
  // that every report of the batch is answered with, nothing of it stored.
  using CommitBatch =
      std::function<absl::StatusOr<Store::SubmitResults>(const std::vector<const Report*>& batch)>;

  struct Options {
    // Most reports one commit takes; more wait for the next commit. A single
    // larger submission still commits alone.
    int max_reports_per_commit = 4096;
    // Committed batches whose answers may wait or run; the writer waits
    // beyond.
    size_t max_pending_answers = 8;
    // Run on the writer after every commit or single write, between
    // transactions (SQLite bounds its log there), and after every
    // `idle_interval` without one (zero: never). May be empty.
    std::function<void()> between_writes;
    absl::Duration idle_interval = absl::ZeroDuration();
  };

  WritePipeline(Options options, CommitBatch commit);
  // Stop().
  ~WritePipeline();
  WritePipeline(const WritePipeline&) = delete;
  WritePipeline& operator=(const WritePipeline&) = delete;

  // Starts the writer and completion threads.
  void Start();
  // Writes everything queued, answers everything committed, then ends both
  // threads. Later Submit calls are answered UNAVAILABLE at once. Idempotent.
  void Stop();

  // Queues reports: see Store::SubmitReports for `done` and `withdrawn`.
  void Submit(Store::ReportBatch reports, Store::SubmitCallback done,
              Store::Withdrawn withdrawn);

  // Runs `write` on the writer thread, alone between two commits (so that it
  // is serialised with them), and returns when it has run.
  void RunAlone(const std::function<void()>& write);

  // Batches and single writes queued, not yet taken by the writer.
  size_t QueuedJobs() const;

  // Commits, committed reports, failures and the two histograms.
  void FillStats(StoreStats& stats) const { recorder_.Fill(stats); }

 private:
  // A batch of reports, or a single write (run alone).
  struct Job {
    Store::ReportBatch reports;  // null for a single write
    Store::SubmitCallback done;
    Store::Withdrawn withdrawn;
    std::function<void()> single_write;
    size_t count() const { return reports != nullptr ? reports->size() : 0; }
  };
  class Completions;

  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void WriterLoop();
  // The next jobs, waiting for them; empty when the writer should end, or,
  // with *idle set, when idle_interval passed without any.
  std::vector<Job> TakeNext(bool* idle);
  std::vector<Job> DropWithdrawn(std::vector<Job> jobs);
  void Commit(std::vector<Job> jobs);
  void Answer(std::vector<Job> jobs, std::vector<Store::SubmitResults> results);

  const Options options_;
  const CommitBatch commit_;
  CommitRecorder recorder_;

  mutable absl::Mutex mu_;
  std::deque<Job> queue_ ABSL_GUARDED_BY(mu_);
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread writer_;
  std::unique_ptr<Completions> completions_;
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_STORE_WRITE_PIPELINE_H_
