#include "common/store/sqlite_store.h"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("inrapport-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string path() const { return (dir_ / "store.db").string(); }

  void Reopen(int busy_timeout_ms = 5000) {
    store_.reset();
    SqliteStoreOptions options;
    options.path = path();
    options.busy_timeout_ms = busy_timeout_ms;
    auto store = OpenSqliteStore(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  static Duty MakeDuty(const std::string& id) {
    Duty duty;
    duty.id = id;
    duty.agency_id = "skolverket";
    duty.title = "Elever i grundskolan";
    duty.legal_basis = "SKOLFS 2011:142 [unverified]";
    duty.purpose = "Nationell uppföljning, åäö.";
    duty.sector = Sector::kSchool;
    duty.frequency = Frequency::kAnnual;
    duty.data_items = {"pupil_id", "grade; with \"quotes\", commas", "åäö"};
    duty.targeted_grant = "Likvärdighetsbidrag";
    duty.estimated_minutes_per_report = 12.5;
    duty.valid_from = "2011-07-01";
    duty.valid_until = "2030-06-30";
    duty.source_url = "https://www.skolverket.se/";
    duty.notes = "verified in part";
    return duty;
  }

  static Report MakeReport(const std::string& id, int64_t minutes = 30,
                           const std::string& municipality = "0180",
                           const std::string& period = "2025") {
    Report report;
    report.submission_id = id;
    report.municipality_code = municipality;
    report.duty_id = "d";
    report.period = period;
    report.minutes_spent = minutes;
    report.staff_count = 2;
    report.usefulness = 3;
    report.feedback_received = Answer::kNo;
    report.already_reported_elsewhere = Answer::kYes;
    report.comment = "kommentar";
    return report;
  }

  std::map<std::string, BurdenCell> Cells() {
    std::map<std::string, BurdenCell> cells;
    EXPECT_TRUE(store_->ForEachBurdenCell([&](const BurdenCell& c) {
      cells[c.duty_id + "/" + c.municipality_code + "/" + c.period] = c;
    }).ok());
    return cells;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, DutyRoundTripsEveryField) {
  const Duty duty = MakeDuty("d");
  ASSERT_TRUE(store_->CreateDuty(duty).ok());
  Duty empty_items = MakeDuty("e");
  empty_items.data_items.clear();
  ASSERT_TRUE(store_->CreateDuty(empty_items).ok());
  auto duties = store_->LoadDuties();
  ASSERT_TRUE(duties.ok());
  ASSERT_EQ(duties->size(), 2u);
  const Duty& loaded = (*duties)[0];
  EXPECT_EQ(loaded.id, duty.id);
  EXPECT_EQ(loaded.agency_id, duty.agency_id);
  EXPECT_EQ(loaded.title, duty.title);
  EXPECT_EQ(loaded.legal_basis, duty.legal_basis);
  EXPECT_EQ(loaded.purpose, duty.purpose);
  EXPECT_EQ(loaded.sector, duty.sector);
  EXPECT_EQ(loaded.frequency, duty.frequency);
  EXPECT_EQ(loaded.data_items, duty.data_items);
  EXPECT_EQ(loaded.targeted_grant, duty.targeted_grant);
  EXPECT_EQ(loaded.estimated_minutes_per_report, duty.estimated_minutes_per_report);
  EXPECT_EQ(loaded.valid_from, duty.valid_from);
  EXPECT_EQ(loaded.valid_until, duty.valid_until);
  EXPECT_EQ(loaded.source_url, duty.source_url);
  EXPECT_EQ(loaded.notes, duty.notes);
  EXPECT_TRUE((*duties)[1].data_items.empty());
}

TEST_F(SqliteStoreTest, CreateTwiceIsAlreadyExistsAndUpdateOfMissingIsNotFound) {
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("d")).ok());
  const absl::Status again = store_->CreateDuty(MakeDuty("d"));
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.message()), StartsWith("duty.id"));
  EXPECT_EQ(store_->UpdateDuty(MakeDuty("missing")).code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, UpdateReplacesTheDuty) {
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("d")).ok());
  Duty changed = MakeDuty("d");
  changed.purpose = "";
  changed.data_items = {"only"};
  changed.sector = Sector::kOther;
  ASSERT_TRUE(store_->UpdateDuty(changed).ok());
  const Duty loaded = store_->LoadDuties()->at(0);
  EXPECT_EQ(loaded.purpose, "");
  EXPECT_EQ(loaded.data_items, std::vector<std::string>{"only"});
  EXPECT_EQ(loaded.sector, Sector::kOther);
}

TEST_F(SqliteStoreTest, SameContentIsDuplicateAndCountedOnce) {
  auto first = store_->SubmitReportsAndWait({MakeReport("a")});
  ASSERT_TRUE(first[0].ok());
  EXPECT_EQ(*first[0], SubmitOutcome::kAccepted);
  auto retry = store_->SubmitReportsAndWait({MakeReport("a")});
  ASSERT_TRUE(retry[0].ok());
  EXPECT_EQ(*retry[0], SubmitOutcome::kDuplicate);
  EXPECT_EQ(*store_->CountReports(), 1);
  EXPECT_EQ(Cells().at("d/0180/2025").reports, 1);
  EXPECT_EQ(Cells().at("d/0180/2025").minutes, 30);
}

TEST_F(SqliteStoreTest, DifferentContentIsAlreadyExistsNamingTheField) {
  ASSERT_TRUE(store_->SubmitReportsAndWait({MakeReport("a", 30)})[0].ok());
  auto conflict = store_->SubmitReportsAndWait({MakeReport("a", 31)});
  EXPECT_EQ(conflict[0].status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(conflict[0].status().message()),
              StartsWith("report.submission_id: \"a\" was already stored with different content"));
  EXPECT_THAT(std::string(conflict[0].status().message()), HasSubstr("minutes_spent"));
  EXPECT_EQ(store_->GetReport("a")->minutes_spent, 30);
  EXPECT_EQ(Cells().at("d/0180/2025").minutes, 30);
}

TEST_F(SqliteStoreTest, ReportRoundTripsEveryField) {
  const Report report = MakeReport("a");
  ASSERT_TRUE(store_->SubmitReportsAndWait({report})[0].ok());
  EXPECT_EQ(*store_->GetReport("a"), report);
  EXPECT_EQ(store_->GetReport("nope").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, RepeatsInsideOneBatchBehaveAsAcrossBatches) {
  auto results = store_->SubmitReportsAndWait(
      {MakeReport("a", 10), MakeReport("a", 10), MakeReport("a", 11), MakeReport("b", 5)});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(*results[0], SubmitOutcome::kAccepted);
  EXPECT_EQ(*results[1], SubmitOutcome::kDuplicate);
  EXPECT_EQ(results[2].status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(*results[3], SubmitOutcome::kAccepted);
  EXPECT_EQ(Cells().at("d/0180/2025").minutes, 15);
}

TEST_F(SqliteStoreTest, BurdenCellsSumPerDutyMunicipalityAndPeriod) {
  store_->SubmitReportsAndWait({MakeReport("a", 10, "0180", "2025"),
                                MakeReport("b", 20, "0180", "2025"),
                                MakeReport("c", 40, "0182", "2025"),
                                MakeReport("d", 80, "0180", "2024")});
  auto cells = Cells();
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells.at("d/0180/2025").reports, 2);
  EXPECT_EQ(cells.at("d/0180/2025").minutes, 30);
  EXPECT_EQ(cells.at("d/0182/2025").minutes, 40);
  EXPECT_EQ(cells.at("d/0180/2024").minutes, 80);
}

TEST_F(SqliteStoreTest, EverythingSurvivesReopening) {
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("d")).ok());
  ASSERT_TRUE(store_->SubmitReportsAndWait({MakeReport("a"), MakeReport("b", 5)})[1].ok());
  Reopen();
  EXPECT_EQ(store_->LoadDuties()->size(), 1u);
  EXPECT_EQ(*store_->CountReports(), 2);
  EXPECT_EQ(Cells().at("d/0180/2025").minutes, 35);
  EXPECT_EQ(*store_->SubmitReportsAndWait({MakeReport("a")})[0], SubmitOutcome::kDuplicate);
}

TEST_F(SqliteStoreTest, ConcurrentSubmissionsShareCommitsAndAreCountedOnce) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r = store_->SubmitReportsAndWait(
            {MakeReport("t" + std::to_string(t) + "-" + std::to_string(i), 1)});
        if (r[0].ok() && *r[0] == SubmitOutcome::kAccepted) ++accepted;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), kThreads * kPerThread);
  EXPECT_EQ(*store_->CountReports(), kThreads * kPerThread);
  EXPECT_EQ(Cells().at("d/0180/2025").minutes, kThreads * kPerThread);
  const StoreStats stats = store_->GetStats();
  EXPECT_EQ(stats.committed_reports, kThreads * kPerThread);
  // Eight callers each waiting for their commit: commits are shared.
  EXPECT_LT(stats.commits, kThreads * kPerThread);
}

TEST_F(SqliteStoreTest, FileThatIsNotADatabaseIsRefused) {
  store_.reset();
  { std::ofstream(path(), std::ios::trunc) << "this is not a database, it is a text file\n"; }
  SqliteStoreOptions options;
  options.path = path();
  auto store = OpenSqliteStore(options);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(store.status().message()), HasSubstr(path()));
}

TEST_F(SqliteStoreTest, NewerSchemaIsRefused) {
  store_.reset();
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version=999", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  SqliteStoreOptions options;
  options.path = path();
  auto store = OpenSqliteStore(options);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(store.status().message()), HasSubstr("999"));
}

TEST_F(SqliteStoreTest, WriteFailureIsUnavailableStoresNothingAndRecovers) {
  Reopen(/*busy_timeout_ms=*/50);
  // Another connection holds the write lock, so the store's commit cannot start.
  sqlite3* blocker;
  ASSERT_EQ(sqlite3_open(path().c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto failed = store_->SubmitReportsAndWait({MakeReport("a"), MakeReport("b")});
  ASSERT_EQ(failed.size(), 2u);
  for (const auto& result : failed) {
    EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
  }
  EXPECT_EQ(store_->GetStats().failed_commits, 1);
  ASSERT_EQ(sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(blocker);

  EXPECT_EQ(*store_->CountReports(), 0);
  auto retried = store_->SubmitReportsAndWait({MakeReport("a"), MakeReport("b")});
  EXPECT_EQ(*retried[0], SubmitOutcome::kAccepted);
  EXPECT_EQ(*retried[1], SubmitOutcome::kAccepted);
}

}  // namespace
}  // namespace inrapport
