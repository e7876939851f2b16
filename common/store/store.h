// The durable store of duties and reports. SqliteStore (sqlite_store.h) is
// the embedded default; other backends implement the same interface.
#ifndef INRAPPORT_COMMON_STORE_STORE_H_
#define INRAPPORT_COMMON_STORE_STORE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/histogram.h"
#include "common/domain/duty_version.h"
#include "common/domain/lifecycle.h"
#include "common/domain/types.h"

namespace inrapport {

// What storing one report did.
enum class SubmitOutcome {
  kAccepted,   // stored now
  kDuplicate,  // the municipality stored the same submission id before, same content
};

// A stored report's receipt: when the service first stored it, which
// version of the report is stored now (1: as first submitted; each
// correction or withdrawal adds one), and when that version was stored.
struct Receipt {
  int64_t received_at_unix = 0;  // seconds; a correction does not move it
  int32_t version = 1;
  int64_t changed_at_unix = 0;   // 0 for version 1

  friend bool operator==(const Receipt& a, const Receipt& b) {
    return a.received_at_unix == b.received_at_unix && a.version == b.version &&
           a.changed_at_unix == b.changed_at_unix;
  }
};

// What storing one report did, and the receipt of the report stored under
// its key (for a duplicate: the receipt it was given the first time).
struct SubmitResult {
  SubmitOutcome outcome = SubmitOutcome::kAccepted;
  Receipt receipt;
};

// A report as stored: its content, its receipt and its place in the
// store's arrival order. A withdrawn report stays on record, out of every
// figure.
struct StoredReport {
  Report report;
  Receipt receipt;
  int64_t seq = 0;
  bool withdrawn = false;
  // Why this version exists: the reason given with the correction or
  // withdrawal that made it; empty for version 1.
  std::string reason;
};

// A change to a stored report, sent by its municipality: a correction gives
// the report's new content (the same key), a withdrawal takes the report out
// of every figure. Either becomes the report's next version; the version it
// replaces is kept.
enum class ChangeKind { kCorrection, kWithdrawal };
struct ReportChange {
  ChangeKind kind = ChangeKind::kCorrection;
  // The report's key, for a withdrawal; a correction's is its report's.
  std::string municipality_code;
  std::string submission_id;
  Report corrected;  // kCorrection only: the new content
  std::string reason;
  // The version the sender changes (optimistic concurrency, like an etag):
  // 0 means whatever version is stored.
  int32_t base_version = 0;

  const std::string& key_municipality() const {
    return kind == ChangeKind::kCorrection ? corrected.municipality_code : municipality_code;
  }
  const std::string& key_submission_id() const {
    return kind == ChangeKind::kCorrection ? corrected.submission_id : submission_id;
  }
};

// What a change did. kAccepted: stored now, `previous` is the version it
// replaced (what the figures must lose) and `current` the new one (what
// they gain, unless withdrawn). kDuplicate: the same change was stored
// before (a retry): the figures stay, and `current` is the stored version.
struct ChangeResult {
  SubmitOutcome outcome = SubmitOutcome::kAccepted;
  StoredReport previous;
  StoredReport current;
  // The earliest receipt left in the burden cell of `previous` once the
  // change is made (0 when the cell is left empty): a cell's first receipt
  // cannot be taken back without the reports it still holds.
  int64_t previous_cell_first_received_unix = 0;
};

// A stored report's content changed by a correction or withdrawal, as a
// replica learns of it from the change feed: the figures lose `before` and
// gain `after` (none when withdrawn). Several changes to one report between
// two reads of the feed come as one.
struct ReportRevision {
  Report before;
  std::optional<Report> after;
  int64_t received_at_unix = 0;  // the report's first receipt
  // As ChangeResult::previous_cell_first_received_unix, for `before`'s cell.
  int64_t before_cell_first_received_unix = 0;
};

// The revision a stored change makes to the figures.
ReportRevision RevisionOf(const ChangeResult& change);

// Which reports ListReports returns, in key order: by municipality code,
// then submission id (the key a stored report is found by, so pages need
// no index of their own). Empty strings match all.
struct ReportQuery {
  std::string municipality_code;
  std::string duty_id;
  std::string agency_id;            // the duties of this agency
  int64_t received_since_unix = 0;  // 0: any time; else received at or after
  // Only reports after this key (the last of the previous page); empty:
  // from the first.
  std::string after_municipality_code;
  std::string after_submission_id;
  int limit = 100;  // rows read at most
};

// The aggregate of all reports of one duty, municipality and period: what
// the burden index is loaded from at a start without a usable aggregates
// snapshot. PostgreSQL keeps the cells beside the reports, for its replicas
// to start from; SQLite computes them from its reports when asked.
struct BurdenCell {
  std::string duty_id;
  std::string municipality_code;
  std::string period;
  int64_t reports = 0;
  int64_t minutes = 0;
  // The earliest receipt of its reports (Receipt::received_at_unix): when
  // the period first came, which decides whether it came by its deadline.
  int64_t first_received_unix = 0;
};

// Reports of one duty that share minutes, usefulness and the feedback and
// already-reported-elsewhere answers:
// what the report-driven flag rules (medians, shares) are computed from,
// derived by the store from its reports like the burden cells.
struct AnswerCell {
  std::string duty_id;
  int64_t minutes = 0;     // minutes_spent of each of these reports
  int32_t usefulness = 0;  // 0..5, 0 = not stated
  Answer feedback = Answer::kUnknown;
  int64_t reports = 0;
  Answer elsewhere = Answer::kUnknown;  // already_reported_elsewhere
  std::string period;  // canonical period text: the flags are per period
};

// Which comments ListComments returns: those of reports with a comment,
// newest first (in the store's arrival order).
struct CommentQuery {
  std::string duty_id;            // empty: any duty
  std::string agency_id;          // empty: any agency; ignored with a duty_id
  std::string municipality_code;  // empty: any municipality
  int64_t before_seq = 0;         // 0: from the newest; else only older ones
  int limit = 100;
};

// A municipality's comment on one of its reports, exactly as it was sent.
struct StoredComment {
  int64_t seq = 0;  // the report's place in the store's arrival order
  std::string submission_id;
  std::string municipality_code;
  std::string duty_id;
  std::string period;
  std::string comment;
  int64_t received_at_unix = 0;  // seconds
};

// Counters of the write path, for metrics and tests.
struct StoreStats {
  int64_t commits = 0;            // transactions committed with reports
  int64_t committed_reports = 0;  // reports accepted by those commits
  int64_t failed_commits = 0;
  // Per commit of reports: seconds from BEGIN to a durable COMMIT, and how
  // many reports the batch held (accepted, duplicate or refused alike).
  HistogramSnapshot commit_seconds;
  HistogramSnapshot reports_per_commit;
  // The database on disk (with its write-ahead log); -1 if unknown.
  int64_t size_bytes = -1;
};

// The answer to a batch withdrawn before its transaction (see
// Store::SubmitReports): CANCELLED for each of its `reports`.
std::vector<absl::StatusOr<SubmitResult>> WithdrawnResults(size_t reports);

// The commit figures of StoreStats, as every backend counts them: recorded
// by the store's one writer thread, read from any thread.
class CommitRecorder {
 public:
  // A commit of `batch` reports (accepted, duplicate or refused alike), of
  // which `accepted` were new, that began at `started`.
  void Committed(std::chrono::steady_clock::time_point started, int64_t batch, int64_t accepted);
  // A commit of `batch` reports that failed with `failure` (the status its
  // callers are answered): counted, and logged as store_commit_failed with
  // the reason, at most 10 lines a second (the next line says how many
  // were not written).
  void Failed(int64_t batch, const absl::Status& failure);
  // Fills every field of `stats` but size_bytes.
  void Fill(StoreStats& stats) const;

 private:
  std::atomic<int64_t> commits_{0};
  std::atomic<int64_t> committed_reports_{0};
  std::atomic<int64_t> failed_commits_{0};
  // From half a millisecond (a commit on a fast disk) to ten seconds (a
  // stalled one); the flush to disk dominates.
  Histogram commit_seconds_{{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                             1, 2.5, 5, 10}};
  // Group commit: powers of two up to the largest batch a commit takes.
  Histogram reports_per_commit_{{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096}};
};

// A submission id is the municipality's own idempotency key: unique within
// its municipality, so the key of a stored report is (municipality_code,
// submission_id), and another municipality's equal id is another report.
//
// The first content field in which two reports with the same key differ, by its name ("minutes_spent"), or null when they are the same
// report: what makes a retry a duplicate or a conflict (ALREADY_EXISTS).
const char* FirstDifference(const Report& a, const Report& b);
// The same for two uses with the same (duty_id, use_id).
const char* FirstDifference(const DutyUse& a, const DutyUse& b);

// A place where municipalities say they already report a duty's data.
struct ReportedElsewhere {
  std::string duty_id;
  std::string where;  // as the reports named it
  int64_t reports = 0;
  int64_t municipalities = 0;

  friend bool operator==(const ReportedElsewhere& a, const ReportedElsewhere& b) {
    return a.duty_id == b.duty_id && a.where == b.where && a.reports == b.reports &&
           a.municipalities == b.municipalities;
  }
};

// Implementations are thread-safe: every method may be called from any
// thread at any time. (Implementations say `using Store::SubmitReports;`,
// `using Store::CreateDuty;` and `using Store::UpdateDuty;` so that the
// shorter forms stay visible.)
class Store {
 public:
  virtual ~Store() = default;

  // Duties. CreateDuty: ALREADY_EXISTS if the id is taken. UpdateDuty:
  // NOT_FOUND if it is not. Flags are not stored (they are derived).
  // Each write also records the duty's next version (DutyVersion) with
  // `change`, in the same transaction.
  virtual absl::Status CreateDuty(const Duty& duty, const DutyChange& change) = 0;
  virtual absl::Status UpdateDuty(const Duty& duty, const DutyChange& change) = 0;
  absl::Status CreateDuty(const Duty& duty) {
    return CreateDuty(duty, {"", DutyFieldNames(), ""});
  }
  absl::Status UpdateDuty(const Duty& duty) { return UpdateDuty(duty, {}); }
  virtual absl::StatusOr<std::vector<Duty>> LoadDuties() = 0;
  // Every version of the duty with `id`, oldest first; empty for an unknown
  // duty.
  virtual absl::StatusOr<std::vector<DutyVersion>> LoadDutyHistory(const std::string& id) = 0;

  // Agencies, durable on return. PutAgency with `create`: ALREADY_EXISTS if
  // the id is taken; without: NOT_FOUND if it is not. LoadAgencies: in id
  // order.
  virtual absl::Status PutAgency(const Agency& agency, bool create) = 0;
  virtual absl::StatusOr<std::vector<Agency>> LoadAgencies() = 0;

  // The lifecycle of duties (common/domain/lifecycle.h), durable on return.
  // PutConsultationAnswer stores a municipality's answer to a proposal,
  // replacing its earlier answer to the same duty; the store sets
  // answered_at_unix and returns the answer as stored. Does not check the
  // duty.
  virtual absl::StatusOr<ConsultationAnswer> PutConsultationAnswer(
      const ConsultationAnswer& answer) = 0;
  // Every answer, ordered by duty id, then municipality code.
  virtual absl::StatusOr<std::vector<ConsultationAnswer>> LoadConsultationAnswers() = 0;
  // Records a decision, and with `duty` (the decided duty's new state) the
  // duty's update and next version with `change`, in one transaction: the
  // decision and the state it sets are on record together or not at all.
  // NOT_FOUND if `duty` is given and not stored. The store sets seq and
  // recorded_at_unix and returns the decision as stored.
  virtual absl::StatusOr<DutyDecision> RecordDecision(const DutyDecision& decision,
                                                      const Duty* duty,
                                                      const DutyChange& change) = 0;
  // Every decision, in seq order.
  virtual absl::StatusOr<std::vector<DutyDecision>> LoadDecisions() = 0;

  // Stores reports (already validated, period canonical). `done` is called
  // exactly once, on an internal thread, after every accepted report is
  // durable (fsync'ed), with one result per report in input order:
  //   kAccepted / kDuplicate, or
  //   ALREADY_EXISTS  the municipality's submission id is stored with
  //                   different content;
  //   UNAVAILABLE     the store could not write (disk full, read-only);
  //                   nothing of this call is stored then.
  // Concurrent calls share commits (group commit). `done` must not block
  // for long: answers run one after another, in commit order, and a backlog
  // of them holds up the commits behind it.
  //
  // `withdrawn`, if set, is asked once, on the store's thread, just before
  // the batch would join a transaction: true drops the batch, which is then
  // answered CANCELLED for every report with nothing of it stored (how a
  // cancelled call stores nothing it handed over but the store had not
  // begun). Once the batch is in a transaction it is committed whatever
  // `withdrawn` would say later. It must be cheap and must not block.
  //
  // The batch is shared and stays unchanged: a caller that still needs the
  // reports (the intake adds the accepted ones to the aggregates) keeps its
  // pointer instead of handing over a copy.
  using SubmitResults = std::vector<absl::StatusOr<SubmitResult>>;
  using SubmitCallback = std::function<void(SubmitResults)>;
  using Withdrawn = std::function<bool()>;
  using ReportBatch = std::shared_ptr<const std::vector<Report>>;
  virtual void SubmitReports(ReportBatch reports, SubmitCallback done, Withdrawn withdrawn) = 0;
  void SubmitReports(std::vector<Report> reports, SubmitCallback done,
                     Withdrawn withdrawn = nullptr) {
    SubmitReports(std::make_shared<const std::vector<Report>>(std::move(reports)),
                  std::move(done), std::move(withdrawn));
  }

  // Blocking form of SubmitReports.
  SubmitResults SubmitReportsAndWait(std::vector<Report> reports);

  // Recorded uses of a duty's data. RecordUse is durable when it returns:
  // kAccepted when stored now, kDuplicate when the same (duty_id, use_id)
  // was stored before with the same content (a retry), ALREADY_EXISTS
  // naming "use.use_id" when it was stored with different content,
  // UNAVAILABLE when the store could not write. Does not check the duty.
  virtual absl::StatusOr<SubmitOutcome> RecordUse(const DutyUse& use) = 0;
  // Every recorded use, ordered by duty_id, then date, then use_id.
  virtual absl::StatusOr<std::vector<DutyUse>> LoadUses() = 0;

  // Calls `visit` for every answer cell (any order). The cells of both
  // kinds include every report committed before the call, each once.
  virtual absl::Status ForEachAnswerCell(
      const std::function<void(const AnswerCell&)>& visit) = 0;

  // Calls `visit` for every burden cell (any order).
  virtual absl::Status ForEachBurdenCell(
      const std::function<void(const BurdenCell&)>& visit) = 0;

  // Corrects or withdraws a stored report (the corrected content already
  // validated, period canonical), durably when it returns, in one
  // transaction with everything derived from it:
  //   NOT_FOUND           no such report of the municipality;
  //   ABORTED             base_version is set and is not the stored version
  //                       (unless this very change made the stored one);
  //   FAILED_PRECONDITION the report was withdrawn, so it cannot change;
  //   UNAVAILABLE         the store could not write; nothing changed.
  // A correction to the stored content, or a withdrawal of a withdrawn
  // report, is a duplicate: nothing changes.
  virtual absl::StatusOr<ChangeResult> ChangeReport(const ReportChange& change) = 0;

  // The versions a report had before its stored one, oldest first (empty
  // for a report never changed, or none stored).
  virtual absl::StatusOr<std::vector<StoredReport>> LoadReportVersions(
      const std::string& municipality_code, const std::string& submission_id) = 0;

  // Reads one stored report; NOT_FOUND if the municipality has stored no
  // report with the submission id.
  virtual absl::StatusOr<StoredReport> GetReport(const std::string& municipality_code,
                                                 const std::string& submission_id) = 0;

  // The stored reports that match `query`, in key order, at most
  // query.limit. With a municipality it reads that municipality's reports
  // only; other filters are applied to the reports read.
  virtual absl::StatusOr<std::vector<StoredReport>> ListReports(const ReportQuery& query) = 0;

  // Number of stored reports.
  virtual absl::StatusOr<int64_t> CountReports() = 0;

  // The comments of stored reports that match `query`, newest first, at
  // most query.limit. Reads an index of the commented reports only.
  // Where the municipalities say a duty's data is already reported: each
  // (duty, named place) with its reports and distinct municipalities, most
  // municipalities first, then reports, then duty id and place; the first
  // `limit` of them (the database stops there, however many places are
  // named).
  virtual absl::StatusOr<std::vector<ReportedElsewhere>> ListReportedElsewhere(int limit) = 0;
  virtual absl::StatusOr<std::vector<StoredComment>> ListComments(
      const CommentQuery& query) = 0;

  virtual StoreStats GetStats() const = 0;

  // --- The report log, for a snapshot of the figures derived from it ---
  //
  // A snapshot of the aggregates (common/aggregates/snapshot.h) names the
  // position of the log it includes; at the next start it is used only if
  // the log still begins with what it includes, and the reports after it
  // are added. Stores that cannot say (a shared store, whose log other
  // processes write too) answer UNIMPLEMENTED, and the aggregates are read
  // from the store's cells at every start.

  // The last report stored (its place in arrival order; 0 when none), and
  // how many changes (corrections and withdrawals) were made to stored
  // reports. Both only grow.
  struct LogPosition {
    int64_t last_seq = 0;
    int64_t changes = 0;
  };
  virtual absl::StatusOr<LogPosition> Position() {
    return absl::UnimplementedError("this store keeps no report log position");
  }
  // The report stored at `seq` in arrival order, as it is now; NOT_FOUND if
  // there is none.
  virtual absl::StatusOr<StoredReport> ReportAt(int64_t seq) {
    return absl::UnimplementedError("this store keeps no report log position");
  }
  // The first `limit` reports stored after `seq`, in arrival order, as they
  // are now; withdrawn reports are left out. Read on from the last one's seq.
  virtual absl::StatusOr<std::vector<StoredReport>> ReportsAfter(int64_t seq, int limit) {
    return absl::UnimplementedError("this store keeps no report log position");
  }
  // Writes everything queued and answers it, then refuses further reports
  // (UNAVAILABLE): after it, the position no longer moves, so what memory
  // derived from the reports can be saved as of it. For a stop.
  virtual void StopWrites() {}

  // --- Sharing one store between several processes (replicas) ---
  //
  // A shared store is written by other processes too, so what this process
  // keeps in memory (aggregates, duty catalogue) must follow the store's
  // change feed rather than its own writes. SQLite is not shared: these
  // defaults describe an unshared store.

  // Whether other processes may write this store.
  virtual bool IsShared() const { return false; }

  // Starts the change feed. Until EndStartupSnapshot, every read of this
  // store sees one snapshot, and the feed's first ReadChanges returns
  // exactly what was committed after it: load in-memory state from the
  // reads in between, then follow ReadChanges, and nothing is counted twice
  // or missed. Not to be called concurrently with other reads.
  virtual absl::Status BeginStartupSnapshot() { return absl::OkStatus(); }
  virtual absl::Status EndStartupSnapshot() { return absl::OkStatus(); }

  // What was committed, by any process, since the previous ReadChanges (or
  // the startup snapshot). Every stored report is returned exactly once per
  // Store object over its lifetime; duties and uses may come again (apply
  // them idempotently). UNIMPLEMENTED for an unshared store. Calls must not
  // overlap.
  struct Changes {
    std::vector<Report> reports;  // as stored now; withdrawn ones left out
    std::vector<int64_t> received_at_unix;  // each report's receipt, as `reports`
    // Changes to reports returned by earlier reads.
    std::vector<ReportRevision> revisions;
    std::vector<Duty> duties;
    std::vector<DutyUse> uses;
    std::vector<Agency> agencies;  // created or changed
    std::vector<ConsultationAnswer> answers;  // new or replaced
    std::vector<DutyDecision> decisions;      // new
  };
  virtual absl::StatusOr<Changes> ReadChanges() {
    return absl::UnimplementedError("this store is not shared: it has no change feed");
  }
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_STORE_STORE_H_
