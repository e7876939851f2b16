#include "common/sync/replica_sync.h"

#include <future>
#include <memory>

#include "common/intake/report_intake.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using testing::ExampleDuty;
using testing::ExampleReport;

constexpr const char* kDuty = "ivo-ej-verkstallda-beslut";

// A FakeStore shared with other (imaginary) replicas: its change feed holds
// what it accepted itself and what the test says another replica stored.
class SharedFakeStore : public testing::FakeStore {
 public:
  bool IsShared() const override { return true; }

  using Store::SubmitReports;
  void SubmitReports(ReportBatch reports, SubmitCallback done, Withdrawn withdrawn) override {
    FakeStore::SubmitReports(reports, [this, reports, done = std::move(done)](
                                          SubmitResults results) {
      {
        absl::MutexLock lock(&feed_mu_);
        for (size_t i = 0; i < results.size(); ++i) {
          if (results[i].ok() && results[i]->outcome == SubmitOutcome::kAccepted) {
            feed_.reports.push_back((*reports)[i]);
          }
        }
      }
      done(std::move(results));
    }, std::move(withdrawn));
  }

  // Another replica stored these.
  void AddForeign(Changes changes) {
    absl::MutexLock lock(&feed_mu_);
    for (auto& r : changes.reports) feed_.reports.push_back(std::move(r));
    for (auto& d : changes.duties) feed_.duties.push_back(std::move(d));
    for (auto& u : changes.uses) feed_.uses.push_back(std::move(u));
  }
  void FailNextRead() {
    absl::MutexLock lock(&feed_mu_);
    fail_next_read_ = true;
  }

  absl::StatusOr<Changes> ReadChanges() override {
    absl::MutexLock lock(&feed_mu_);
    if (fail_next_read_) {
      fail_next_read_ = false;
      return absl::UnavailableError("database unreachable");
    }
    return std::exchange(feed_, Changes{});
  }

 private:
  absl::Mutex feed_mu_;
  Changes feed_ ABSL_GUARDED_BY(feed_mu_);
  bool fail_next_read_ ABSL_GUARDED_BY(feed_mu_) = false;
};

class ReplicaSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    aggregates_ = std::move(*Aggregates::Load(store_));
    catalog_ = std::move(*DutyCatalog::Load(&store_, aggregates_.get(), {}, [] { return absl::CivilDay(2025, 6, 15); }));
    ASSERT_TRUE(catalog_->Create(ExampleDuty()).ok());
    // An interval far beyond the test: every read here is one asked for.
    sync_ = std::make_unique<ReplicaSync>(&store_, catalog_.get(), aggregates_.get(), absl::Hours(1));
    intake_ = std::make_unique<ReportIntake>(
        &store_, catalog_.get(), aggregates_.get(), &metrics_, [] { return absl::CivilDay(2025, 6, 15); },
        [this](std::function<void()> then) { sync_->AfterNextSync(std::move(then)); });
  }
  void TearDown() override {
    intake_.reset();
    sync_.reset();
  }

  void SyncNow() {
    std::promise<void> synced;
    sync_->AfterNextSync([&] { synced.set_value(); });
    synced.get_future().wait();
  }

  int64_t Reports() { return aggregates_->burden().TotalsOf(kDuty).reports; }

  SharedFakeStore store_;
  std::unique_ptr<Aggregates> aggregates_;
  std::unique_ptr<DutyCatalog> catalog_;  // listens to aggregates_
  prometheus::Registry registry_;
  IntakeMetrics metrics_{registry_};
  std::unique_ptr<ReplicaSync> sync_;
  std::unique_ptr<ReportIntake> intake_;
};

TEST_F(ReplicaSyncTest, OwnReportIsCountedOnceByTheFeedBeforeItIsAcknowledged) {
  auto results = intake_->SubmitAndWait({ExampleReport("s1")});
  ASSERT_TRUE(results[0].ok()) << results[0].status();
  EXPECT_EQ(Reports(), 1);  // no wait: the answer came after the feed applied it
  EXPECT_EQ(aggregates_->FiguresOf(kDuty).reports, 1);
  SyncNow();
  EXPECT_EQ(Reports(), 1);
  EXPECT_EQ(sync_->applied_reports(), 1);
  // A retry is a duplicate and reaches neither the feed nor the index.
  EXPECT_EQ(intake_->SubmitAndWait({ExampleReport("s1")})[0].value().outcome, SubmitOutcome::kDuplicate);
  EXPECT_EQ(Reports(), 1);
}

TEST_F(ReplicaSyncTest, AnotherReplicasReportsAndDutiesArriveWithTheNextRead) {
  Duty other = ExampleDuty("other-duty");
  other.agency_id = "scb";
  Store::Changes changes;
  changes.duties.push_back(other);
  changes.reports.push_back(ExampleReport("f1"));
  changes.reports.push_back(ExampleReport("f2", "0182"));
  store_.AddForeign(changes);
  EXPECT_EQ(Reports(), 0);
  EXPECT_EQ(catalog_->Find("other-duty"), nullptr);
  SyncNow();
  EXPECT_EQ(Reports(), 2);
  ASSERT_NE(catalog_->Find("other-duty"), nullptr);
  EXPECT_EQ(catalog_->Find("other-duty")->agency_id, "scb");
}

TEST_F(ReplicaSyncTest, AUseThatComesAgainIsCountedOnce) {
  DutyUse use;
  use.duty_id = kDuty;
  use.use_id = "u1";
  use.kind = UseKind::kPublication;
  use.date = "2025-03-01";
  Store::Changes changes;
  changes.uses.push_back(use);
  store_.AddForeign(changes);
  SyncNow();
  store_.AddForeign(changes);  // the feed may repeat uses
  SyncNow();
  EXPECT_EQ(catalog_->Find(kDuty)->recorded_uses, 1);
}

double Value(const std::vector<prometheus::MetricFamily>& families, const std::string& name) {
  for (const auto& family : families) {
    if (family.name != name) continue;
    return family.type == prometheus::MetricType::Counter ? family.metric[0].counter.value
                                                          : family.metric[0].gauge.value;
  }
  ADD_FAILURE() << name << " is missing";
  return -1;
}

TEST_F(ReplicaSyncTest, FeedFiguresAreExportedPerReplica) {
  ReplicaSyncCollector collector(sync_.get());
  Store::Changes changes;
  changes.reports.push_back(ExampleReport("f1"));
  changes.reports.push_back(ExampleReport("f2", "0182"));
  store_.AddForeign(changes);
  store_.FailNextRead();
  const absl::Time before = absl::Now();
  SyncNow();
  SyncNow();
  const auto families = collector.Collect();
  EXPECT_EQ(Value(families, "inrapport_replica_sync_reads_total"), sync_->reads());
  EXPECT_GE(sync_->reads(), 2);
  EXPECT_EQ(Value(families, "inrapport_replica_sync_failed_reads_total"), 1);
  EXPECT_EQ(Value(families, "inrapport_replica_sync_applied_reports_total"), 2);
  EXPECT_GE(Value(families, "inrapport_replica_sync_last_success_timestamp_seconds"),
            absl::ToDoubleSeconds(before - absl::UnixEpoch()));
  for (const auto& family : families) EXPECT_FALSE(family.help.empty()) << family.name;
}

TEST_F(ReplicaSyncTest, AFailedReadStillAnswersAndALaterReadCatchesUp) {
  Store::Changes changes;
  changes.reports.push_back(ExampleReport("f1"));
  store_.AddForeign(changes);
  store_.FailNextRead();
  SyncNow();  // returns although the read failed
  EXPECT_EQ(sync_->failed_reads(), 1);
  EXPECT_EQ(Reports(), 0);
  SyncNow();
  EXPECT_EQ(Reports(), 1);
}

}  // namespace
}  // namespace inrapport
