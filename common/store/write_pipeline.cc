#include "common/store/write_pipeline.h"

#include <chrono>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"

namespace inrapport {

absl::StatusOr<SubmitResult> OutcomeOfResubmission(const StoredReport& stored,
                                                   const Report& sent) {
  const char* field = FirstDifference(stored.report, sent);
  if (field == nullptr) return SubmitResult{SubmitOutcome::kDuplicate, stored.receipt};
  return absl::AlreadyExistsError(absl::StrCat("report.submission_id: \"", sent.submission_id,
                                               "\" was already stored with different content (",
                                               field, " differs; CorrectReport changes a stored "
                                               "report)"));
}

absl::StatusOr<ChangeResult> DecideChange(const StoredReport& stored, const ReportChange& change,
                                          int64_t now_unix) {
  const std::string name =
      absl::StrCat("report \"", change.key_submission_id(), "\" of ", change.key_municipality());
  const bool withdrawal = change.kind == ChangeKind::kWithdrawal;
  // The same change stored before: a retry, answered as the first time.
  const bool same = withdrawal ? stored.withdrawn
                               : !stored.withdrawn &&
                                     FirstDifference(stored.report, change.corrected) == nullptr;
  const bool retry =
      same && (change.base_version == 0 || change.base_version + 1 == stored.receipt.version ||
               change.base_version == stored.receipt.version);
  if (retry) return ChangeResult{SubmitOutcome::kDuplicate, stored, stored};
  if (stored.withdrawn) {
    return absl::FailedPreconditionError(absl::StrCat(
        name, " was withdrawn (version ", stored.receipt.version,
        "): a withdrawn report cannot change; submit a new report with a new submission_id"));
  }
  if (change.base_version != 0 && change.base_version != stored.receipt.version) {
    return absl::AbortedError(absl::StrCat(
        "version: ", name, " is at version ", stored.receipt.version, ", not ",
        change.base_version, ": read it again and send the change against the stored version"));
  }
  ChangeResult result;
  result.previous = stored;
  StoredReport& next = result.current;
  next = stored;
  if (!withdrawal) next.report = change.corrected;
  next.withdrawn = withdrawal;
  next.reason = change.reason;
  next.receipt.version = stored.receipt.version + 1;
  next.receipt.changed_at_unix = now_unix;
  return result;
}

absl::Status CommitFailure(absl::string_view reason, bool maybe_stored) {
  return absl::UnavailableError(absl::StrCat(
      "the store could not write: ", reason,
      maybe_stored ? "; the connection was lost during a commit, so some of this batch may "
                     "have been stored: retry later with the same submission ids, and a "
                     "report that was stored is answered as a duplicate"
                   : "; nothing of this batch was stored, retry later"));
}

void CellSums::Add(const Report& report, int64_t received_at_unix) {
  Burden& cell = Shift(report, 1);
  if (received_at_unix != 0 &&
      (cell.first_received_unix == 0 || received_at_unix < cell.first_received_unix)) {
    cell.first_received_unix = received_at_unix;
  }
}

CellSums::Burden& CellSums::Shift(const Report& report, int sign) {
  Burden& cell = burden_[BurdenKey{report.duty_id, report.municipality_code, report.period}];
  cell.reports += sign;
  cell.minutes += sign * report.minutes_spent;
  answers_[AnswerKey{report.duty_id, report.minutes_spent, report.usefulness,
                     static_cast<int>(report.feedback_received),
                     static_cast<int>(report.already_reported_elsewhere), report.period}] += sign;
  return cell;
}

CellSums CellSums::Move(const Report& before, const Report* after) {
  CellSums moves;
  moves.Shift(before, -1);
  if (after != nullptr) moves.Shift(*after, 1);
  // A cell the change leaves as it was (a corrected comment) is not written.
  for (auto it = moves.burden_.begin(); it != moves.burden_.end();) {
    it = it->second.reports == 0 && it->second.minutes == 0 ? moves.burden_.erase(it)
                                                            : std::next(it);
  }
  for (auto it = moves.answers_.begin(); it != moves.answers_.end();) {
    it = it->second == 0 ? moves.answers_.erase(it) : std::next(it);
  }
  return moves;
}

// Runs posted closures one after another, in the order posted, on its own
// thread. The destructor runs everything still queued, then joins.
class WritePipeline::Completions {
 public:
  explicit Completions(size_t max_pending) : max_pending_(max_pending) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~Completions() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    thread_.join();
  }

  // Queues `work`; waits first while `max_pending` closures are queued or
  // running.
  void Post(std::function<void()> work) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &Completions::HasRoom));
    queue_.push_back(std::move(work));
  }

 private:
  bool HasRoom() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return queue_.size() + running_ < max_pending_;
  }
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !queue_.empty() || stopping_;
  }

  void Loop() {
    while (true) {
      std::deque<std::function<void()>> batch;
      {
        absl::MutexLock lock(&mu_);
        running_ = 0;
        mu_.Await(absl::Condition(this, &Completions::HasWork));
        if (queue_.empty()) return;  // stopping, and everything has run
        batch.swap(queue_);
        running_ = batch.size();
      }
      for (auto& work : batch) work();
    }
  }

  const size_t max_pending_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  size_t running_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

WritePipeline::WritePipeline(Options options, CommitBatch commit)
    : options_(std::move(options)), commit_(std::move(commit)) {}

WritePipeline::~WritePipeline() { Stop(); }

void WritePipeline::Start() {
  absl::MutexLock lock(&mu_);
  if (started_) return;
  started_ = true;
  completions_ = std::make_unique<Completions>(options_.max_pending_answers);
  writer_ = std::thread([this] { WriterLoop(); });
}

void WritePipeline::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();  // writes everything queued first
  completions_.reset();                    // answers everything committed
}

void WritePipeline::Submit(Store::ReportBatch reports, Store::SubmitCallback done,
                           Store::Withdrawn withdrawn) {
  if (reports == nullptr) reports = std::make_shared<const std::vector<Report>>();
  {
    absl::MutexLock lock(&mu_);
    if (started_ && !stopping_) {
      queue_.push_back(Job{std::move(reports), std::move(done), std::move(withdrawn), nullptr});
      return;
    }
  }
  const size_t count = reports->size();
  done(Store::SubmitResults(count, absl::UnavailableError(
                                       "the store is not open; nothing of this batch was stored")));
}

void WritePipeline::RunAlone(const std::function<void()>& write) {
  bool finished = false;
  absl::Mutex done_mu;
  auto job = [&] {
    write();
    absl::MutexLock lock(&done_mu);
    finished = true;
  };
  bool queued = false;
  {
    absl::MutexLock lock(&mu_);
    if (started_ && !stopping_) {
      queue_.push_back(Job{{}, nullptr, nullptr, job});
      queued = true;
    }
  }
  // No writer to hand it to (before Start, after Stop): nothing else
  // writes then either.
  if (!queued) job();
  absl::MutexLock lock(&done_mu);
  done_mu.Await(absl::Condition(&finished));
}

size_t WritePipeline::QueuedJobs() const {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

bool WritePipeline::HasWork() const { return !queue_.empty() || stopping_; }

std::vector<WritePipeline::Job> WritePipeline::TakeNext(bool* idle) {
  std::vector<Job> jobs;
  absl::MutexLock lock(&mu_);
  const absl::Condition has_work(this, &WritePipeline::HasWork);
  if (options_.idle_interval > absl::ZeroDuration()) {
    if (!mu_.AwaitWithTimeout(has_work, options_.idle_interval)) {
      *idle = true;
      return jobs;
    }
  } else {
    mu_.Await(has_work);
  }
  if (queue_.empty()) return jobs;  // stopping, and everything is written
  // A single write runs alone; report batches are merged up to the bound.
  if (queue_.front().single_write) {
    jobs.push_back(std::move(queue_.front()));
    queue_.pop_front();
    return jobs;
  }
  size_t reports = 0;
  while (!queue_.empty() && !queue_.front().single_write &&
         (jobs.empty() || reports + queue_.front().count() <=
                              static_cast<size_t>(options_.max_reports_per_commit))) {
    reports += queue_.front().count();
    jobs.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return jobs;
}

void WritePipeline::WriterLoop() {
  while (true) {
    bool idle = false;
    std::vector<Job> jobs = TakeNext(&idle);
    if (idle) {
      if (options_.between_writes) options_.between_writes();
      continue;
    }
    if (jobs.empty()) return;
    if (jobs.front().single_write) {
      jobs.front().single_write();
    } else {
      Commit(DropWithdrawn(std::move(jobs)));
    }
    if (options_.between_writes) options_.between_writes();
  }
}

// Asked here, just before the transaction: a batch past this point is
// committed whatever its caller says later.
std::vector<WritePipeline::Job> WritePipeline::DropWithdrawn(std::vector<Job> jobs) {
  std::vector<Job> kept, dropped;
  for (Job& job : jobs) {
    (job.withdrawn && job.withdrawn() ? dropped : kept).push_back(std::move(job));
  }
  if (!dropped.empty()) {
    std::vector<Store::SubmitResults> results;
    for (const Job& job : dropped) results.push_back(WithdrawnResults(job.count()));
    Answer(std::move(dropped), std::move(results));
  }
  return kept;
}

void WritePipeline::Commit(std::vector<Job> jobs) {
  if (jobs.empty()) return;
  std::vector<const Report*> batch;
  for (const Job& job : jobs) {
    for (const Report& report : *job.reports) batch.push_back(&report);
  }
  const auto started = std::chrono::steady_clock::now();
  absl::StatusOr<Store::SubmitResults> results = commit_(batch);
  if (results.ok() && results->size() != batch.size()) {
    results = absl::InternalError(absl::StrCat("the store answered ", results->size(),
                                               " reports of a batch of ", batch.size()));
  }
  std::vector<Store::SubmitResults> answers;
  answers.reserve(jobs.size());
  if (!results.ok()) {
    // Nothing of this transaction is acknowledged.
    recorder_.Failed(static_cast<int64_t>(batch.size()), results.status());
    for (const Job& job : jobs) answers.emplace_back(job.count(), results.status());
    Answer(std::move(jobs), std::move(answers));
    return;
  }
  int64_t accepted = 0;
  for (const auto& result : *results) {
    if (result.ok() && result->outcome == SubmitOutcome::kAccepted) ++accepted;
  }
  recorder_.Committed(started, static_cast<int64_t>(batch.size()), accepted);
  auto next = results->begin();
  for (const Job& job : jobs) {
    answers.emplace_back(std::make_move_iterator(next),
                         std::make_move_iterator(next + job.count()));
    next += job.count();
  }
  Answer(std::move(jobs), std::move(answers));
}

void WritePipeline::Answer(std::vector<Job> jobs, std::vector<Store::SubmitResults> results) {
  auto batch = std::make_shared<std::pair<std::vector<Job>, std::vector<Store::SubmitResults>>>(
      std::move(jobs), std::move(results));
  completions_->Post([batch] {
    auto& [jobs, results] = *batch;
    for (size_t j = 0; j < jobs.size(); ++j) jobs[j].done(std::move(results[j]));
  });
}

}  // namespace inrapport
