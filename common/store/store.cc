#include "common/store/store.h"

#include <future>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/base/rate_limiter.h"

namespace inrapport {

const char* FirstDifference(const Report& a, const Report& b) {
  if (a.duty_id != b.duty_id) return "duty_id";
  if (a.period != b.period) return "period";
  if (a.minutes_spent != b.minutes_spent) return "minutes_spent";
  if (a.staff_count != b.staff_count) return "staff_count";
  if (a.usefulness != b.usefulness) return "usefulness";
  if (a.feedback_received != b.feedback_received) return "feedback_received";
  if (a.already_reported_elsewhere != b.already_reported_elsewhere) {
    return "already_reported_elsewhere";
  }
  if (a.comment != b.comment) return "comment";
  if (a.already_reported_where != b.already_reported_where) return "already_reported_where";
  return nullptr;
}

const char* FirstDifference(const DutyUse& a, const DutyUse& b) {
  if (a.kind != b.kind) return "kind";
  if (a.date != b.date) return "date";
  if (a.description != b.description) return "description";
  if (a.link != b.link) return "link";
  if (a.first_period != b.first_period) return "first_period";
  if (a.last_period != b.last_period) return "last_period";
  return nullptr;
}

ReportRevision RevisionOf(const ChangeResult& change) {
  ReportRevision revision;
  revision.before = change.previous.report;
  if (!change.current.withdrawn) revision.after = change.current.report;
  revision.received_at_unix = change.current.receipt.received_at_unix;
  revision.before_cell_first_received_unix = change.previous_cell_first_received_unix;
  return revision;
}

Store::SubmitResults Store::SubmitReportsAndWait(std::vector<Report> reports) {
  std::promise<SubmitResults> promise;
  std::future<SubmitResults> future = promise.get_future();
  SubmitReports(std::move(reports), [&promise](SubmitResults results) {
    promise.set_value(std::move(results));
  });
  return future.get();
}

std::vector<absl::StatusOr<SubmitResult>> WithdrawnResults(size_t reports) {
  return std::vector<absl::StatusOr<SubmitResult>>(
      reports, absl::CancelledError(
                   "the call was cancelled before this batch was stored; nothing of it was stored"));
}

void CommitRecorder::Committed(std::chrono::steady_clock::time_point started, int64_t batch,
                               int64_t accepted) {
  commit_seconds_.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  reports_per_commit_.Observe(static_cast<double>(batch));
  commits_.fetch_add(1, std::memory_order_relaxed);
  committed_reports_.fetch_add(accepted, std::memory_order_relaxed);
}

void CommitRecorder::Failed(int64_t batch, const absl::Status& failure) {
  failed_commits_.fetch_add(1, std::memory_order_relaxed);
  // A failing disk fails every batch: the log says so without flooding.
  static RateLimiter* const limiter = new RateLimiter(10, absl::Seconds(1));
  const RateLimiter::Verdict verdict = limiter->Admit("store_commit_failed");
  if (!verdict.allowed) return;
  std::vector<LogField> fields = {{"reports", absl::StrCat(batch)},
                                  {"code", absl::StatusCodeToString(failure.code())},
                                  {"reason", std::string(failure.message())}};
  if (verdict.suppressed > 0) fields.emplace_back("suppressed", absl::StrCat(verdict.suppressed));
  LogFields(LogLevel::kError, "store_commit_failed", fields);
}

void CommitRecorder::Fill(StoreStats& stats) const {
  stats.commits = commits_.load(std::memory_order_relaxed);
  stats.committed_reports = committed_reports_.load(std::memory_order_relaxed);
  stats.failed_commits = failed_commits_.load(std::memory_order_relaxed);
  stats.commit_seconds = commit_seconds_.Snapshot();
  stats.reports_per_commit = reports_per_commit_.Snapshot();
}

}  // namespace inrapport
