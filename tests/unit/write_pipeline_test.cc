// The group-commit pipeline both stores write through, against a backend
// that records what each commit held and can be held back.
#include "common/store/write_pipeline.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Report ReportOf(const std::string& id, int64_t minutes = 30) {
  Report report;
  report.submission_id = id;
  report.municipality_code = "1283";
  report.duty_id = "scb-rs";
  report.period = "2025";
  report.minutes_spent = minutes;
  return report;
}

Store::ReportBatch Reports(const std::string& prefix, int n) {
  std::vector<Report> reports;
  for (int i = 0; i < n; ++i) reports.push_back(ReportOf(absl::StrCat(prefix, i)));
  return std::make_shared<const std::vector<Report>>(std::move(reports));
}

// A backend: records the submission ids of every commit; accepts every
// report whose id it has not seen, else answers a duplicate. While held,
// a commit waits for Release.
class RecordingBackend {
 public:
  absl::StatusOr<Store::SubmitResults> Commit(const std::vector<const Report*>& batch) {
    absl::MutexLock lock(&mu_);
    ++commits_started_;
    started_.SignalAll();
    mu_.Await(absl::Condition(+[](bool* held) { return !*held; }, &held_));
    if (!next_failure_.ok()) {
      absl::Status failure = std::move(next_failure_);
      next_failure_ = absl::OkStatus();
      return failure;
    }
    std::vector<std::string> ids;
    Store::SubmitResults results;
    for (const Report* report : batch) {
      ids.push_back(report->submission_id);
      results.push_back(SubmitResult{seen_.insert(report->submission_id).second
                                         ? SubmitOutcome::kAccepted
                                         : SubmitOutcome::kDuplicate,
                                     Receipt{}});
    }
    commits_.push_back(std::move(ids));
    return results;
  }

  void Hold() {
    absl::MutexLock lock(&mu_);
    held_ = true;
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    held_ = false;
  }
  // Waits until `n` commits have begun (held ones included).
  void AwaitCommitsStarted(int n) {
    absl::MutexLock lock(&mu_);
    while (commits_started_ < n) started_.Wait(&mu_);
  }
  void FailNextCommit(absl::Status status) {
    absl::MutexLock lock(&mu_);
    next_failure_ = std::move(status);
  }
  std::vector<std::vector<std::string>> commits() {
    absl::MutexLock lock(&mu_);
    return commits_;
  }

 private:
  absl::Mutex mu_;
  bool held_ ABSL_GUARDED_BY(mu_) = false;
  int commits_started_ ABSL_GUARDED_BY(mu_) = 0;
  absl::CondVar started_;
  absl::Status next_failure_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> seen_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<std::string>> commits_ ABSL_GUARDED_BY(mu_);
};

// Answers as they arrive, in order, with the thread they ran on.
class Answers {
 public:
  Store::SubmitCallback For(std::string name) {
    return [this, name](Store::SubmitResults results) {
      absl::MutexLock lock(&mu_);
      order_.push_back(name);
      threads_.insert(std::this_thread::get_id());
      results_[name] = std::move(results);
      answered_.SignalAll();
    };
  }
  void AwaitCount(size_t n) {
    absl::MutexLock lock(&mu_);
    while (order_.size() < n) answered_.Wait(&mu_);
  }
  std::vector<std::string> order() {
    absl::MutexLock lock(&mu_);
    return order_;
  }
  Store::SubmitResults Of(const std::string& name) {
    absl::MutexLock lock(&mu_);
    return results_[name];
  }
  size_t threads() {
    absl::MutexLock lock(&mu_);
    return threads_.size();
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> order_ ABSL_GUARDED_BY(mu_);
  absl::CondVar answered_;
  std::set<std::thread::id> threads_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Store::SubmitResults> results_ ABSL_GUARDED_BY(mu_);
};

class WritePipelineTest : public ::testing::Test {
 protected:
  WritePipeline::Options Options(int max_reports) {
    WritePipeline::Options options;
    options.max_reports_per_commit = max_reports;
    return options;
  }
  std::unique_ptr<WritePipeline> Start(WritePipeline::Options options) {
    auto pipeline = std::make_unique<WritePipeline>(
        std::move(options),
        [this](const std::vector<const Report*>& batch) { return backend_.Commit(batch); });
    pipeline->Start();
    return pipeline;
  }

  RecordingBackend backend_;
  Answers answers_;
};

TEST_F(WritePipelineTest, QueuedBatchesShareOneCommitUpToTheBound) {
  auto pipeline = Start(Options(5));
  backend_.Hold();
  pipeline->Submit(Reports("a", 1), answers_.For("a"), nullptr);
  backend_.AwaitCommitsStarted(1);  // "a" is in a transaction; the rest queue behind it
  pipeline->Submit(Reports("b", 2), answers_.For("b"), nullptr);
  pipeline->Submit(Reports("c", 3), answers_.For("c"), nullptr);  // 2 + 3 = 5: fits
  pipeline->Submit(Reports("d", 1), answers_.For("d"), nullptr);  // 6 > 5: next commit
  pipeline->Submit(Reports("e", 7), answers_.For("e"), nullptr);  // larger than the bound: alone
  backend_.Release();
  answers_.AwaitCount(5);

  EXPECT_THAT(backend_.commits(),
              ElementsAre(ElementsAre("a0"), ElementsAre("b0", "b1", "c0", "c1", "c2"),
                          ElementsAre("d0"),
                          ElementsAre("e0", "e1", "e2", "e3", "e4", "e5", "e6")));
  EXPECT_THAT(answers_.order(), ElementsAre("a", "b", "c", "d", "e"));
  EXPECT_EQ(answers_.threads(), 1u) << "answers run on one completion thread";
  ASSERT_EQ(answers_.Of("c").size(), 3u);
  for (const auto& result : answers_.Of("c")) EXPECT_EQ(result->outcome, SubmitOutcome::kAccepted);

  StoreStats stats;
  pipeline->FillStats(stats);
  EXPECT_EQ(stats.commits, 4);
  EXPECT_EQ(stats.committed_reports, 14);
  EXPECT_EQ(stats.reports_per_commit.count, 4u);
}

TEST_F(WritePipelineTest, EachCallerGetsItsOwnReportsResultsInOrder) {
  auto pipeline = Start(Options(100));
  backend_.Hold();
  pipeline->Submit(Reports("x", 1), answers_.For("first"), nullptr);
  backend_.AwaitCommitsStarted(1);
  // The second batch repeats x0 and adds y0: one commit, answered apart.
  auto second = std::make_shared<const std::vector<Report>>(
      std::vector<Report>{ReportOf("y0"), ReportOf("x0")});
  pipeline->Submit(std::move(second), answers_.For("second"), nullptr);
  pipeline->Submit(Reports("z", 1), answers_.For("third"), nullptr);
  backend_.Release();
  answers_.AwaitCount(3);

  const Store::SubmitResults results = answers_.Of("second");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0]->outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(results[1]->outcome, SubmitOutcome::kDuplicate);
  ASSERT_EQ(answers_.Of("third").size(), 1u);
  StoreStats stats;
  pipeline->FillStats(stats);
  EXPECT_EQ(stats.committed_reports, 3) << "the duplicate is not counted";
}

TEST_F(WritePipelineTest, AWithdrawnBatchNeverReachesTheBackendAndIsAnsweredCancelled) {
  auto pipeline = Start(Options(100));
  backend_.Hold();
  pipeline->Submit(Reports("a", 1), answers_.For("a"), nullptr);
  backend_.AwaitCommitsStarted(1);
  bool cancelled = true;
  int asked = 0;
  pipeline->Submit(Reports("w", 2), answers_.For("withdrawn"), [&] {
    ++asked;
    return cancelled;
  });
  pipeline->Submit(Reports("k", 1), answers_.For("kept"), [] { return false; });
  backend_.Release();
  answers_.AwaitCount(3);

  EXPECT_EQ(asked, 1) << "asked once, just before the transaction";
  EXPECT_THAT(backend_.commits(), ElementsAre(ElementsAre("a0"), ElementsAre("k0")));
  const Store::SubmitResults withdrawn = answers_.Of("withdrawn");
  ASSERT_EQ(withdrawn.size(), 2u);
  for (const auto& result : withdrawn) {
    EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled);
    EXPECT_THAT(result.status().message(), HasSubstr("nothing of it was stored"));
  }
  EXPECT_THAT(answers_.order(), ElementsAre("a", "withdrawn", "kept"));
}

TEST_F(WritePipelineTest, AFailedCommitAnswersEveryReportOfItsBatchWithTheFailure) {
  auto pipeline = Start(Options(100));
  backend_.Hold();
  pipeline->Submit(Reports("a", 1), answers_.For("a"), nullptr);
  backend_.AwaitCommitsStarted(1);
  backend_.FailNextCommit(CommitFailure("disk I/O error"));
  backend_.Release();
  answers_.AwaitCount(1);
  pipeline->Submit(Reports("b", 2), answers_.For("b"), nullptr);
  answers_.AwaitCount(2);

  const Store::SubmitResults failed = answers_.Of("a");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(failed[0].status().message(),
            "the store could not write: disk I/O error; nothing of this batch was stored, "
            "retry later");
  ASSERT_EQ(answers_.Of("b").size(), 2u);
  EXPECT_TRUE(answers_.Of("b")[0].ok()) << "the next batch commits";
  StoreStats stats;
  pipeline->FillStats(stats);
  EXPECT_EQ(stats.failed_commits, 1);
  EXPECT_EQ(stats.commits, 1);
  EXPECT_EQ(stats.committed_reports, 2);
}

TEST_F(WritePipelineTest, ASingleWriteRunsAloneBetweenTwoCommits) {
  auto pipeline = Start(Options(100));
  backend_.Hold();
  pipeline->Submit(Reports("a", 1), answers_.For("a"), nullptr);
  backend_.AwaitCommitsStarted(1);
  std::vector<std::vector<std::string>> seen_by_write;
  std::thread writer([&] {
    pipeline->RunAlone([&] { seen_by_write = backend_.commits(); });
  });
  // The write waits its turn behind "a"; "b" queues behind the write.
  while (pipeline->QueuedJobs() < 1) absl::SleepFor(absl::Milliseconds(1));
  pipeline->Submit(Reports("b", 1), answers_.For("b"), nullptr);
  backend_.Release();
  writer.join();
  answers_.AwaitCount(2);
  EXPECT_THAT(seen_by_write, ElementsAre(ElementsAre("a0")))
      << "the write ran after the first commit";
  EXPECT_THAT(backend_.commits(), ElementsAre(ElementsAre("a0"), ElementsAre("b0")));
}

TEST_F(WritePipelineTest, SlowAnswersDoNotHoldUpTheNextCommitUntilTheBound) {
  WritePipeline::Options options = Options(1);
  options.max_pending_answers = 2;
  auto pipeline = Start(std::move(options));
  absl::Notification release_answers;
  // The first answer blocks the completion thread.
  pipeline->Submit(Reports("a", 1), [&](Store::SubmitResults) { release_answers.WaitForNotification(); },
                   nullptr);
  pipeline->Submit(Reports("b", 1), answers_.For("b"), nullptr);
  // "b" commits while "a"'s caller is still being answered. (A commit runs
  // under the backend's lock, so once the second has begun it is done when
  // the lock is had again.)
  backend_.AwaitCommitsStarted(2);
  EXPECT_EQ(backend_.commits().size(), 2u);
  EXPECT_TRUE(answers_.order().empty()) << "answers keep commit order";
  release_answers.Notify();
  answers_.AwaitCount(1);
}

TEST_F(WritePipelineTest, StopWritesAndAnswersEverythingQueuedAndRefusesLaterBatches) {
  auto pipeline = Start(Options(100));
  backend_.Hold();
  pipeline->Submit(Reports("a", 1), answers_.For("a"), nullptr);
  backend_.AwaitCommitsStarted(1);
  pipeline->Submit(Reports("b", 1), answers_.For("b"), nullptr);
  // Stop waits for the held commit and the queued batch.
  std::thread stopper([&] { pipeline->Stop(); });
  backend_.Release();
  stopper.join();
  EXPECT_THAT(answers_.order(), ElementsAre("a", "b"));
  EXPECT_EQ(backend_.commits().size(), 2u);

  pipeline->Submit(Reports("late", 1), answers_.For("late"), nullptr);
  ASSERT_EQ(answers_.Of("late").size(), 1u);
  EXPECT_EQ(answers_.Of("late")[0].status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(backend_.commits().size(), 2u);
}

TEST_F(WritePipelineTest, AnIdleWriterRunsTheBetweenWritesHookEveryIdleInterval) {
  absl::Mutex mu;
  int calls = 0;
  WritePipeline::Options options = Options(100);
  options.between_writes = [&] {
    absl::MutexLock lock(&mu);
    ++calls;
  };
  options.idle_interval = absl::Milliseconds(5);
  auto pipeline = Start(std::move(options));
  {
    // Nothing is submitted: the hook still runs, again and again.
    absl::MutexLock lock(&mu);
    EXPECT_TRUE(mu.AwaitWithTimeout(
        absl::Condition(+[](int* n) { return *n >= 2; }, &calls), absl::Seconds(30)));
  }
  pipeline->Stop();
  EXPECT_TRUE(backend_.commits().empty());
}

// A change moves only the cells it changes: a corrected comment none, a
// corrected period one report from the old cell to the new, in key order.
TEST(CellSumsTest, AChangeMovesOnlyTheCellsItChanges) {
  const Report before = ReportOf("0180-1", 30);
  Report comment = before;
  comment.comment = "rättad kommentar";
  const CellSums none = CellSums::Move(before, &comment);
  EXPECT_TRUE(none.burden().empty());
  EXPECT_TRUE(none.answers().empty());

  Report earlier = before;
  earlier.period = "2024";
  earlier.minutes_spent = 45;
  const CellSums moved = CellSums::Move(before, &earlier);
  ASSERT_EQ(moved.burden().size(), 2u);
  auto it = moved.burden().begin();  // "2024" before "2025"
  EXPECT_EQ(std::get<2>(it->first), "2024");
  EXPECT_EQ(it->second.reports, 1);
  EXPECT_EQ(it->second.minutes, 45);
  ++it;
  EXPECT_EQ(std::get<2>(it->first), before.period);
  EXPECT_EQ(it->second.reports, -1);
  EXPECT_EQ(it->second.minutes, -30);
  EXPECT_EQ(moved.answers().size(), 2u);

  const CellSums withdrawn = CellSums::Move(before, nullptr);
  ASSERT_EQ(withdrawn.burden().size(), 1u);
  EXPECT_EQ(withdrawn.burden().begin()->second.reports, -1);
  ASSERT_EQ(withdrawn.answers().size(), 1u);
  EXPECT_EQ(withdrawn.answers().begin()->second, -1);
}

TEST(ResubmissionTest, TheSameContentIsADuplicateOtherContentNamesTheField) {
  const StoredReport stored{ReportOf("0180-1", 30), Receipt{1733000000, 1}, 7, false, ""};
  const absl::StatusOr<SubmitResult> duplicate = OutcomeOfResubmission(stored, stored.report);
  EXPECT_EQ(duplicate->outcome, SubmitOutcome::kDuplicate);
  EXPECT_EQ(duplicate->receipt, stored.receipt);  // the first submission's receipt
  const absl::StatusOr<SubmitResult> conflict =
      OutcomeOfResubmission(stored, ReportOf("0180-1", 45));
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(conflict.status().message(),
            "report.submission_id: \"0180-1\" was already stored with different content "
            "(minutes_spent differs; CorrectReport changes a stored report)");
}

TEST(CommitFailureTest, SaysWhetherTheBatchMayBeStored) {
  EXPECT_THAT(CommitFailure("x").message(), HasSubstr("nothing of this batch was stored"));
  const absl::Status unanswered = CommitFailure("server closed the connection", true);
  EXPECT_EQ(unanswered.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(unanswered.message(), HasSubstr("may have been stored"));
  EXPECT_THAT(unanswered.message(), HasSubstr("answered as a duplicate"));
}

TEST(CellSumsTest, SumsEachCellOnceInKeyOrder) {
  std::vector<Report> reports = {ReportOf("1", 30), ReportOf("2", 30), ReportOf("3", 45)};
  reports[2].municipality_code = "0180";
  CellSums sums;
  for (const Report& report : reports) sums.Add(report);
  ASSERT_EQ(sums.burden().size(), 2u);
  auto first = sums.burden().begin();
  EXPECT_EQ(std::get<1>(first->first), "0180");
  EXPECT_EQ(first->second.reports, 1);
  EXPECT_EQ(first->second.minutes, 45);
  EXPECT_EQ(std::next(first)->second.reports, 2);
  EXPECT_EQ(std::next(first)->second.minutes, 60);
  ASSERT_EQ(sums.answers().size(), 2u) << "30 minutes twice, 45 once";
  EXPECT_EQ(sums.answers().begin()->second, 2);
  sums.clear();
  EXPECT_TRUE(sums.empty());
}

}  // namespace
}  // namespace inrapport
