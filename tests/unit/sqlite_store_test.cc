#include "common/store/sqlite_store.h"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/store_examples.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::MakeDuty;
using testing::MakeReport;
using testing::MakeUse;

// The tables of schema 1 (duties, reports by submission id, burden cells),
// as the first version created them; later schemas added tables beside them.
constexpr char kSchemaOneTables[] = R"sql(
    PRAGMA journal_mode=WAL;
    CREATE TABLE duties (
      id TEXT PRIMARY KEY, agency_id TEXT NOT NULL, title TEXT NOT NULL,
      legal_basis TEXT NOT NULL, purpose TEXT NOT NULL, sector INTEGER NOT NULL,
      frequency INTEGER NOT NULL, data_items TEXT NOT NULL, targeted_grant TEXT NOT NULL,
      estimated_minutes_per_report REAL NOT NULL, valid_from TEXT NOT NULL,
      valid_until TEXT NOT NULL, source_url TEXT NOT NULL, notes TEXT NOT NULL
    );
    CREATE TABLE reports (
      submission_id TEXT PRIMARY KEY, municipality_code TEXT NOT NULL,
      duty_id TEXT NOT NULL, period TEXT NOT NULL, minutes_spent INTEGER NOT NULL,
      staff_count INTEGER NOT NULL, usefulness INTEGER NOT NULL,
      feedback_received INTEGER NOT NULL, already_reported_elsewhere INTEGER NOT NULL,
      comment TEXT NOT NULL, received_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE burden_cells (
      duty_id TEXT NOT NULL, municipality_code TEXT NOT NULL, period TEXT NOT NULL,
      reports INTEGER NOT NULL, minutes INTEGER NOT NULL,
      PRIMARY KEY (duty_id, municipality_code, period)
    ) WITHOUT ROWID;
)sql";

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

  // Replaces the database with one made by `sql`, as an older version of
  // the store left it; Reopen() then migrates it.
  void ReplaceDatabase(const std::string& sql) {
    store_.reset();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    sqlite3* db;
    ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "");
  }

  void Reopen(int busy_timeout_ms = 5000) {
    SqliteStoreOptions options;
    options.busy_timeout_ms = busy_timeout_ms;
    Reopen(options);
  }

  // With these options, on this test's database.
  void Reopen(SqliteStoreOptions options) {
    store_.reset();
    options.path = path();
    auto store = OpenSqliteStore(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  std::map<std::string, BurdenCell> Cells() { return testing::Cells(*store_); }

  // Answer cells by (duty_id, minutes, usefulness, feedback), summed over
  // the already-reported-elsewhere answer and the period, valued by their
  // report count.
  using AnswerKey = std::tuple<std::string, int64_t, int32_t, Answer>;
  std::map<AnswerKey, int64_t> AnswerCells() {
    std::map<AnswerKey, int64_t> cells;
    std::set<std::tuple<AnswerKey, Answer, std::string>> seen;
    const absl::Status status = store_->ForEachAnswerCell([&](const AnswerCell& c) {
      const AnswerKey key{c.duty_id, c.minutes, c.usefulness, c.feedback};
      EXPECT_TRUE(seen.emplace(key, c.elsewhere, c.period).second)
          << "answer cell visited twice: " << c.duty_id << " " << c.minutes;
      cells[key] += c.reports;
    });
    EXPECT_TRUE(status.ok()) << status;
    return cells;
  }

  // The answer cells as computed from scratch from the stored reports.
  // `keys`: (municipality code, submission id).
  std::map<AnswerKey, int64_t> AnswerCellsFromReports(
      const std::vector<std::pair<std::string, std::string>>& keys) {
    std::map<AnswerKey, int64_t> cells;
    for (const auto& [municipality, id] : keys) {
      auto report = store_->GetReport(municipality, id);
      EXPECT_TRUE(report.ok()) << id << ": " << report.status();
      if (!report.ok()) continue;
      ++cells[{report->report.duty_id, report->report.minutes_spent, report->report.usefulness,
               report->report.feedback_received}];
    }
    return cells;
  }

  // Holds the database's write lock from another connection until released.
  class WriteLockHolder {
   public:
    explicit WriteLockHolder(const std::string& path) {
      EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
      EXPECT_EQ(sqlite3_exec(db_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
    }
    ~WriteLockHolder() { Release(); }
    void Release() {
      if (db_ == nullptr) return;
      EXPECT_EQ(sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
      sqlite3_close(db_);
      db_ = nullptr;
    }

   private:
    sqlite3* db_ = nullptr;
  };

  int64_t SchemaVersion() {
    sqlite3* check;
    EXPECT_EQ(sqlite3_open(path().c_str(), &check), SQLITE_OK);
    sqlite3_stmt* stmt;
    EXPECT_EQ(sqlite3_prepare_v2(check, "PRAGMA user_version", -1, &stmt, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    const int64_t version = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(check);
    return version;
  }

  static constexpr int64_t kCurrentSchema = 18;

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

void ExpectSameUse(const DutyUse& actual, const DutyUse& expected) {
  EXPECT_EQ(actual.duty_id, expected.duty_id);
  EXPECT_EQ(actual.use_id, expected.use_id);
  EXPECT_EQ(actual.kind, expected.kind);
  EXPECT_EQ(actual.date, expected.date);
  EXPECT_EQ(actual.description, expected.description);
  EXPECT_EQ(actual.link, expected.link);
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

// Counting SQLite's allocations takes a process-wide mutex on every row the
// writer stores; the store turns it off before its first connection.
TEST_F(SqliteStoreTest, SqliteCountsNoAllocationsOnceAStoreIsOpen) {
  store_->SubmitReportsAndWait({MakeReport("a", 10, "0180", "2025")});
  ASSERT_TRUE(store_->GetReport("0180", "a").ok());
  sqlite3_int64 used = -1;
  sqlite3_int64 highest = -1;
  ASSERT_EQ(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &used, &highest, 0), SQLITE_OK);
  EXPECT_EQ(used, 0);
  EXPECT_EQ(highest, 0);
}

// Runs `sql` on the closed database, as another program (or a crash) would
// leave it.
void RunSql(const std::string& path, const char* sql) {
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, TheCellsAreNotStoredButComputedFromTheReports) {
  store_->SubmitReportsAndWait({MakeReport("a", 10, "0180", "2025")});
  store_->SubmitReportsAndWait({MakeReport("b", 20, "0180", "2025")});
  {
    sqlite3* db;
    ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt;
    ASSERT_EQ(sqlite3_prepare_v2(db,
                                 "SELECT (SELECT count(*) FROM sqlite_master WHERE name IN "
                                 "('burden_cells', 'answer_cells', 'cells_mark')), "
                                 "(SELECT count(*) FROM reports)",
                                 -1, &stmt, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int64(stmt, 0), 0) << "no table of cells is kept";
    EXPECT_EQ(sqlite3_column_int64(stmt, 1), 2);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
  }
  auto cells = Cells();
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells.at("d/0180/2025").reports, 2);
  EXPECT_EQ(cells.at("d/0180/2025").minutes, 30);
  EXPECT_EQ(AnswerCells(), AnswerCellsFromReports({{"0180", "a"}, {"0180", "b"}}));
}

TEST_F(SqliteStoreTest, ReportsAnotherProgramWroteAreInTheCellsOnce) {
  store_->SubmitReportsAndWait({MakeReport("a", 10, "0180", "2025")});
  store_.reset();
  RunSql(path(),
         "INSERT INTO reports (submission_id, municipality_code, duty_id, period, "
         "minutes_spent, staff_count, usefulness, feedback_received, "
         "already_reported_elsewhere, comment, received_at) VALUES "
         "('b', '0180', 'd', '2025', 20, 1, 0, 0, 0, '', 1000), "
         "('c', '0182', 'd', '2025', 40, 1, 0, 0, 0, '', 2000), "
         "('d', '0182', 'd', '2025', 5, 1, 0, 0, 0, '', 1500)");
  for (int start = 0; start < 2; ++start) {
    Reopen();
    auto cells = Cells();
    ASSERT_EQ(cells.size(), 2u);
    EXPECT_EQ(cells.at("d/0180/2025").reports, 2);
    EXPECT_EQ(cells.at("d/0180/2025").minutes, 30);
    EXPECT_EQ(cells.at("d/0180/2025").first_received_unix, 1000);
    EXPECT_EQ(cells.at("d/0182/2025").reports, 2);
    EXPECT_EQ(cells.at("d/0182/2025").minutes, 45);
    EXPECT_EQ(cells.at("d/0182/2025").first_received_unix, 1500);
  }
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
  EXPECT_EQ(retried[0]->outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(retried[1]->outcome, SubmitOutcome::kAccepted);
}

TEST_F(SqliteStoreTest, RecordedUseRoundTripsEveryFieldAndSurvivesReopening) {
  const DutyUse use = MakeUse("d", "pub-2025");
  DutyUse other = MakeUse("d", "beslut-1", "2024-11-02");
  other.kind = UseKind::kDecision;
  other.description = "";
  other.link = "";
  auto first = store_->RecordUse(use);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, SubmitOutcome::kAccepted);
  ASSERT_EQ(*store_->RecordUse(other), SubmitOutcome::kAccepted);

  Reopen();
  auto uses = store_->LoadUses();
  ASSERT_TRUE(uses.ok()) << uses.status();
  ASSERT_EQ(uses->size(), 2u);
  ExpectSameUse((*uses)[0], other);  // earlier date first
  ExpectSameUse((*uses)[1], use);
  // Still known after the reopen: a retry is a duplicate.
  EXPECT_EQ(*store_->RecordUse(use), SubmitOutcome::kDuplicate);
}

TEST_F(SqliteStoreTest, RecordedUseRetryWithSameContentIsDuplicateAndStoredOnce) {
  ASSERT_EQ(*store_->RecordUse(MakeUse("d", "u")), SubmitOutcome::kAccepted);
  auto retry = store_->RecordUse(MakeUse("d", "u"));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(*retry, SubmitOutcome::kDuplicate);
  // The same use_id under another duty is another use.
  EXPECT_EQ(*store_->RecordUse(MakeUse("e", "u")), SubmitOutcome::kAccepted);
  auto uses = store_->LoadUses();
  ASSERT_TRUE(uses.ok());
  ASSERT_EQ(uses->size(), 2u);
  EXPECT_EQ((*uses)[0].duty_id, "d");
  EXPECT_EQ((*uses)[1].duty_id, "e");
}

TEST_F(SqliteStoreTest, RecordedUseWithDifferentContentIsAlreadyExistsNamingTheField) {
  const DutyUse stored = MakeUse("d", "u");
  ASSERT_EQ(*store_->RecordUse(stored), SubmitOutcome::kAccepted);
  struct Change {
    const char* field;
    void (*apply)(DutyUse&);
  };
  const Change changes[] = {
      {"kind", [](DutyUse& u) { u.kind = UseKind::kSupervisionDecision; }},
      {"date", [](DutyUse& u) { u.date = "2025-03-15"; }},
      {"description", [](DutyUse& u) { u.description += "."; }},
      {"link", [](DutyUse& u) { u.link = "https://example.org/"; }},
      {"first_period", [](DutyUse& u) { u.first_period = "2023"; }},
      {"last_period", [](DutyUse& u) { u.last_period = "2025"; }},
  };
  for (const Change& change : changes) {
    DutyUse changed = stored;
    change.apply(changed);
    auto result = store_->RecordUse(changed);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kAlreadyExists) << change.field;
    const std::string message(result.status().message());
    EXPECT_THAT(message, StartsWith("use.use_id: \"u\""));
    EXPECT_THAT(message, HasSubstr(std::string("(") + change.field + " differs)"));
  }
  // The first content is kept.
  auto uses = store_->LoadUses();
  ASSERT_TRUE(uses.ok());
  ASSERT_EQ(uses->size(), 1u);
  ExpectSameUse(uses->front(), stored);
}

TEST_F(SqliteStoreTest, RecordUseWriteFailureIsUnavailableStoresNothingAndRecovers) {
  Reopen(/*busy_timeout_ms=*/50);
  WriteLockHolder blocker(path());
  auto failed = store_->RecordUse(MakeUse("d", "u"));
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
  blocker.Release();

  auto uses = store_->LoadUses();
  ASSERT_TRUE(uses.ok());
  EXPECT_TRUE(uses->empty());
  auto retried = store_->RecordUse(MakeUse("d", "u"));
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(*retried, SubmitOutcome::kAccepted);
}

TEST_F(SqliteStoreTest, AnswerCellsAggregateAcceptedReportsOnly) {
  Report a = MakeReport("a", 30);  // usefulness 3, feedback no
  Report b = MakeReport("b", 30, "0182", "2024");  // same answers, another cell of burden
  Report c = MakeReport("c", 30);
  c.usefulness = 5;
  Report d = MakeReport("d", 30);
  d.feedback_received = Answer::kYes;
  Report e = MakeReport("e", 45);
  Report f = MakeReport("f", 30);
  f.duty_id = "other";
  Report g = MakeReport("g", 0);
  g.usefulness = 0;
  g.feedback_received = Answer::kUnknown;
  auto results = store_->SubmitReportsAndWait({a, b, c, d, e, f, g, a});
  ASSERT_EQ(results.size(), 8u);
  for (int i = 0; i < 7; ++i) ASSERT_EQ(results[i]->outcome, SubmitOutcome::kAccepted) << i;
  ASSERT_EQ(results[7]->outcome, SubmitOutcome::kDuplicate);

  // A duplicate in a later batch, and conflicting retries that would land in
  // other cells, are not counted.
  Report conflict_a = a;
  conflict_a.minutes_spent = 31;
  Report conflict_c = c;
  conflict_c.usefulness = 1;
  auto later = store_->SubmitReportsAndWait({b, conflict_a, conflict_c});
  ASSERT_EQ(later[0]->outcome, SubmitOutcome::kDuplicate);
  ASSERT_EQ(later[1].status().code(), absl::StatusCode::kAlreadyExists);
  ASSERT_EQ(later[2].status().code(), absl::StatusCode::kAlreadyExists);

  const std::map<AnswerKey, int64_t> expected = {
      {{"d", 30, 3, Answer::kNo}, 2},       // a, b
      {{"d", 30, 5, Answer::kNo}, 1},       // c
      {{"d", 30, 3, Answer::kYes}, 1},      // d
      {{"d", 45, 3, Answer::kNo}, 1},       // e
      {{"other", 30, 3, Answer::kNo}, 1},   // f
      {{"d", 0, 0, Answer::kUnknown}, 1},   // g
  };
  EXPECT_EQ(AnswerCells(), expected);
  EXPECT_EQ(AnswerCellsFromReports({{"0180", "a"}, {"0182", "b"}, {"0180", "c"}, {"0180", "d"},
                                    {"0180", "e"}, {"0180", "f"}, {"0180", "g"}}),
            expected);

  // Kept durably, like the reports.
  Reopen();
  EXPECT_EQ(AnswerCells(), expected);
}

TEST_F(SqliteStoreTest, FailedReportCommitLeavesAnswerCellsUntouched) {
  ASSERT_EQ(store_->SubmitReportsAndWait({MakeReport("a")})[0].value().outcome, SubmitOutcome::kAccepted);
  Reopen(/*busy_timeout_ms=*/50);
  {
    WriteLockHolder blocker(path());
    auto failed = store_->SubmitReportsAndWait({MakeReport("b"), MakeReport("c", 7)});
    ASSERT_EQ(failed[0].status().code(), absl::StatusCode::kUnavailable);
  }
  const std::map<AnswerKey, int64_t> expected = {{{"d", 30, 3, Answer::kNo}, 1}};
  EXPECT_EQ(AnswerCells(), expected);
}

TEST_F(SqliteStoreTest, ReadsAfterSingleRowReadsSeeLaterWrites) {
  ASSERT_EQ(store_->SubmitReportsAndWait({MakeReport("a")})[0].value().outcome, SubmitOutcome::kAccepted);
  // Reads that return one row must not keep the read connection on an old
  // snapshot.
  ASSERT_EQ(*store_->CountReports(), 1);
  ASSERT_EQ(store_->GetReport("0180", "a")->report.minutes_spent, 30);
  ASSERT_EQ(store_->SubmitReportsAndWait({MakeReport("b", 5)})[0].value().outcome, SubmitOutcome::kAccepted);
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("d")).ok());
  ASSERT_EQ(*store_->RecordUse(MakeUse("d", "u")), SubmitOutcome::kAccepted);
  EXPECT_EQ(Cells().at("d/0180/2025").reports, 2);
  EXPECT_EQ(AnswerCells().at({"d", 5, 3, Answer::kNo}), 1);
  EXPECT_EQ(store_->LoadDuties()->size(), 1u);
  EXPECT_EQ(store_->LoadUses()->size(), 1u);
  EXPECT_EQ(*store_->CountReports(), 2);
}

TEST_F(SqliteStoreTest, VersionOneDatabaseIsMigratedWithAnswerCellsFilledFromItsReports) {
  // A database exactly as the previous version left it: schema 1, with
  // reports and their burden cells.
  ASSERT_NO_FATAL_FAILURE(ReplaceDatabase(std::string(kSchemaOneTables) + R"sql(
    INSERT INTO reports VALUES
      ('r1', '0180', 'd', '2025', 30, 2, 3, 2, 1, '', 1700000000),
      ('r2', '0182', 'd', '2025', 30, 1, 3, 2, 0, 'x', 1700000001),
      ('r3', '0180', 'd', '2024', 30, 2, 4, 2, 0, '', 1700000002),
      ('r4', '0180', 'd', '2025', 60, 2, 3, 1, 0, '', 1700000003),
      ('r5', '0180', 'e', '2025', 30, 2, 3, 2, 0, '', 1700000004),
      ('r6', '1480', 'd', '2025', 30, 9, 3, 2, 2, '', 1700000005);
    INSERT INTO burden_cells VALUES
      ('d', '0180', '2025', 2, 90), ('d', '0182', '2025', 1, 30),
      ('d', '0180', '2024', 1, 30), ('e', '0180', '2025', 1, 30),
      ('d', '1480', '2025', 1, 30);
    PRAGMA user_version=1;
  )sql"));

  Reopen();
  ASSERT_NE(store_, nullptr);
  const std::map<AnswerKey, int64_t> expected = {
      {{"d", 30, 3, Answer::kNo}, 3},   // r1, r2, r6
      {{"d", 30, 4, Answer::kNo}, 1},   // r3
      {{"d", 60, 3, Answer::kYes}, 1},  // r4
      {{"e", 30, 3, Answer::kNo}, 1},   // r5
  };
  EXPECT_EQ(AnswerCells(), expected);
  EXPECT_EQ(*store_->CountReports(), 6);
  EXPECT_EQ(Cells().at("d/0180/2025").minutes, 90);

  // The migrated database is at the current schema and takes new reports
  // and uses.
  EXPECT_EQ(SchemaVersion(), kCurrentSchema);
  Report r7 = MakeReport("r7", 30);  // usefulness 3, feedback no
  ASSERT_EQ(store_->SubmitReportsAndWait({r7})[0].value().outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(AnswerCells().at({"d", 30, 3, Answer::kNo}), 4);
  EXPECT_EQ(*store_->RecordUse(MakeUse("d", "u")), SubmitOutcome::kAccepted);

  // Opening again does not fill the cells a second time.
  Reopen();
  EXPECT_EQ(AnswerCells().at({"d", 30, 3, Answer::kNo}), 4);
  EXPECT_EQ(AnswerCells().size(), 4u);
}

TEST_F(SqliteStoreTest, VersionTwoDatabaseIsMigratedKeepingEveryReportAndCell) {
  // A database exactly as the previous version left it: schema 2, reports
  // keyed by submission id, with their burden and answer cells.
  ASSERT_NO_FATAL_FAILURE(ReplaceDatabase(std::string(kSchemaOneTables) + R"sql(
    CREATE TABLE duty_uses (
      duty_id TEXT NOT NULL, use_id TEXT NOT NULL, kind INTEGER NOT NULL,
      date TEXT NOT NULL, description TEXT NOT NULL, link TEXT NOT NULL,
      recorded_at INTEGER NOT NULL, PRIMARY KEY (duty_id, use_id)
    ) WITHOUT ROWID;
    CREATE TABLE answer_cells (
      duty_id TEXT NOT NULL, minutes INTEGER NOT NULL, usefulness INTEGER NOT NULL,
      feedback INTEGER NOT NULL, reports INTEGER NOT NULL,
      PRIMARY KEY (duty_id, minutes, usefulness, feedback)
    ) WITHOUT ROWID;
    INSERT INTO reports VALUES
      ('r1', '0180', 'd', '2025', 30, 2, 3, 2, 1, 'kommentar', 1700000000),
      ('r2', '0182', 'd', '2025', 45, 1, 3, 2, 0, 'x', 1700000001),
      ('r3', '0180', 'd', '2024', 30, 2, 4, 2, 0, '', 1700000002);
    INSERT INTO burden_cells VALUES
      ('d', '0180', '2025', 1, 30), ('d', '0182', '2025', 1, 45), ('d', '0180', '2024', 1, 30);
    INSERT INTO answer_cells VALUES
      ('d', 30, 3, 2, 1), ('d', 45, 3, 2, 1), ('d', 30, 4, 2, 1);
    INSERT INTO duty_uses VALUES ('d', 'u', 1, '2025-03-14', 'beskrivning', '', 1700000000);
    INSERT INTO duties VALUES ('d', 'skolverket', 'Elever', 'SKOLFS 2011:142', 'Uppföljning.',
      5, 1, 'a', '', 12.5, '', '', 'https://www.skolverket.se/', '');
    PRAGMA user_version=2;
  )sql"));

  Reopen();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(SchemaVersion(), kCurrentSchema);
  EXPECT_EQ(*store_->CountReports(), 3);
  auto r1 = store_->GetReport("0180", "r1");
  ASSERT_TRUE(r1.ok()) << r1.status();
  EXPECT_EQ(r1->report.municipality_code, "0180");
  EXPECT_EQ(r1->report.minutes_spent, 30);
  EXPECT_EQ(r1->report.feedback_received, Answer::kNo);
  EXPECT_EQ(r1->report.already_reported_elsewhere, Answer::kYes);
  EXPECT_EQ(r1->report.comment, "kommentar");
  EXPECT_EQ(r1->report.already_reported_where, "");  // named by none of the reports before
  EXPECT_EQ(store_->GetReport("0180", "r4").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Cells().size(), 3u);
  EXPECT_EQ(Cells().at("d/0182/2025").minutes, 45);
  // Each cell's first receipt was filled from its reports.
  EXPECT_EQ(Cells().at("d/0180/2025").first_received_unix, 1700000000);
  EXPECT_EQ(Cells().at("d/0182/2025").first_received_unix, 1700000001);
  EXPECT_EQ(Cells().at("d/0180/2024").first_received_unix, 1700000002);
  EXPECT_EQ(AnswerCells().size(), 3u);
  // The cells were rebuilt from the reports with their already-reported-
  // elsewhere answers: r1 said yes, r2 and r3 did not answer.
  int64_t elsewhere_yes = 0, elsewhere_unknown = 0;
  ASSERT_TRUE(store_->ForEachAnswerCell([&](const AnswerCell& c) {
    if (c.elsewhere == Answer::kYes) elsewhere_yes += c.reports;
    if (c.elsewhere == Answer::kUnknown) elsewhere_unknown += c.reports;
  }).ok());
  EXPECT_EQ(elsewhere_yes, 1);
  EXPECT_EQ(elsewhere_unknown, 2);
  // ... and with their reports' periods.
  std::map<std::string, int64_t> by_period;
  ASSERT_TRUE(store_->ForEachAnswerCell([&](const AnswerCell& c) {
    by_period[c.period] += c.reports;
  }).ok());
  int64_t from_cells = 0;
  for (const auto& [key, cell] : Cells()) from_cells += cell.period.empty() ? 0 : cell.reports;
  EXPECT_EQ(by_period.count(""), 0u);
  int64_t answered = 0;
  for (const auto& [period, reports] : by_period) answered += reports;
  EXPECT_EQ(answered, from_cells);
  // The use recorded before uses named their data keeps its content, with
  // no periods.
  auto uses = store_->LoadUses();
  ASSERT_TRUE(uses.ok()) << uses.status();
  ASSERT_EQ(uses->size(), 1u);
  EXPECT_EQ((*uses)[0].description, "beskrivning");
  EXPECT_EQ((*uses)[0].first_period, "");
  EXPECT_EQ((*uses)[0].last_period, "");
  // The duty registered before its history was kept has one version, of
  // unknown time and author.
  auto history = store_->LoadDutyHistory("d");
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].version, 1);
  EXPECT_EQ((*history)[0].changed_at_unix, 0);
  EXPECT_EQ((*history)[0].change.changed_by, "");
  EXPECT_EQ((*history)[0].duty.purpose, "Uppföljning.");
  EXPECT_EQ((*history)[0].duty.estimated_minutes_per_report, 12.5);
  // It was stored before duties had a lifecycle: it is in force, with no
  // consultation and no expiry, and its version gives no reason.
  EXPECT_EQ(store_->LoadDuties()->front().state, DutyState::kInForce);
  EXPECT_EQ(store_->LoadDuties()->front().consultation_until, "");
  EXPECT_EQ(store_->LoadDuties()->front().expires_on, "");
  EXPECT_EQ((*history)[0].duty.state, DutyState::kInForce);
  EXPECT_EQ((*history)[0].duty.expires_on, "");
  EXPECT_EQ((*history)[0].change.reason, "");
  // It names no respondents: every municipality must report it, as before.
  EXPECT_TRUE((*history)[0].duty.respondents.empty());
  EXPECT_TRUE(store_->LoadDuties()->front().respondents.empty());
  // The migrated duty takes a set of respondents as its next version.
  Duty listed = store_->LoadDuties()->front();
  listed.respondents = {"0180", "1480"};
  ASSERT_TRUE(store_->UpdateDuty(listed, {"admin", {"respondents"}, ""}).ok());
  EXPECT_EQ(store_->LoadDuties()->front().respondents, listed.respondents);
  ASSERT_EQ(store_->LoadDutyHistory("d")->size(), 2u);
  EXPECT_EQ(store_->LoadDutyHistory("d")->back().duty.respondents, listed.respondents);
  EXPECT_EQ(store_->LoadDutyHistory("d")->back().duty.purpose, "Uppföljning.");
  // It states no deadline, and takes one as its next version.
  EXPECT_EQ((*history)[0].duty.deadline, "");
  Duty dated = store_->LoadDuties()->front();
  dated.deadline = "03-31 of the following year";
  ASSERT_TRUE(store_->UpdateDuty(dated, {"admin", {"deadline"}, ""}).ok());
  EXPECT_EQ(store_->LoadDuties()->front().deadline, dated.deadline);
  ASSERT_EQ(store_->LoadDutyHistory("d")->size(), 3u);
  EXPECT_EQ(store_->LoadDutyHistory("d")->back().duty.deadline, dated.deadline);
  EXPECT_EQ((*store_->LoadDutyHistory("d"))[1].duty.deadline, "");
  // It takes an expiry, with the reason, as its next version.
  Duty renewed = store_->LoadDuties()->front();
  renewed.expires_on = "2030-12-31";
  ASSERT_TRUE(store_->UpdateDuty(renewed, {"arena", {"expires_on"}, "Förnyad"}).ok());
  EXPECT_EQ(store_->LoadDuties()->front().expires_on, "2030-12-31");
  EXPECT_EQ(store_->LoadDutyHistory("d")->back().duty.expires_on, "2030-12-31");
  EXPECT_EQ(store_->LoadDutyHistory("d")->back().duty.state, DutyState::kInForce);
  EXPECT_EQ(store_->LoadDutyHistory("d")->back().change.reason, "Förnyad");
  // The migrated reports' comments are listed, newest first.
  auto comments = store_->ListComments({});
  ASSERT_TRUE(comments.ok()) << comments.status();
  ASSERT_EQ(comments->size(), 2u);
  EXPECT_EQ((*comments)[0].submission_id, "r2");
  EXPECT_EQ((*comments)[0].comment, "x");
  EXPECT_EQ((*comments)[1].comment, "kommentar");

  // The submission ids stay unique: a retry of a migrated report is a
  // duplicate, a conflicting one is refused, and neither adds to the cells.
  Report retry = MakeReport("r1", 30, "0180", "2025");
  retry.comment = "kommentar";  // as the old database holds it
  auto results = store_->SubmitReportsAndWait({retry});
  EXPECT_EQ(results[0]->outcome, SubmitOutcome::kDuplicate);
  retry.minutes_spent = 31;
  results = store_->SubmitReportsAndWait({retry});
  EXPECT_EQ(results[0].status().code(), absl::StatusCode::kAlreadyExists);
  results = store_->SubmitReportsAndWait({MakeReport("r4", 30, "0180", "2025")});
  EXPECT_EQ(results[0]->outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(*store_->CountReports(), 4);
  EXPECT_EQ(Cells().at("d/0180/2025").reports, 2);
  EXPECT_EQ(Cells().at("d/0180/2025").minutes, 60);
  EXPECT_EQ(AnswerCells().at({"d", 30, 3, Answer::kNo}), 2);

  // Opening again changes nothing.
  Reopen();
  EXPECT_EQ(*store_->CountReports(), 4);
  EXPECT_EQ(Cells().at("d/0180/2025").reports, 2);
  // Submission ids are now unique per municipality: another municipality's
  // "r1" is its own report.
  Report other_r1 = MakeReport("r1", 45, "1283", "2025");
  EXPECT_EQ(store_->SubmitReportsAndWait({other_r1})[0].value().outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(store_->GetReport("0180", "r1")->report.minutes_spent, 30);
  EXPECT_EQ(store_->GetReport("1283", "r1")->report.minutes_spent, 45);
}

TEST_F(SqliteStoreTest, CellsOfOneCommitSumEveryReportOfTheBatch) {
  // Many reports of a batch share cells; each cell adds all of them, and
  // duplicates and refused reports add nothing.
  std::vector<Report> batch;
  for (int i = 0; i < 300; ++i) {
    batch.push_back(MakeReport("b" + std::to_string(i), 10 + i % 3, i % 2 ? "0180" : "0182",
                               i % 5 ? "2025" : "2024"));
  }
  batch.push_back(MakeReport("b0", 10, "0182", "2024"));  // a duplicate of b0
  batch.push_back(MakeReport("b1", 99, "0180", "2025"));  // conflicts with b1
  auto results = store_->SubmitReportsAndWait(batch);
  ASSERT_EQ(results.size(), 302u);
  EXPECT_EQ(results[300]->outcome, SubmitOutcome::kDuplicate);
  EXPECT_EQ(results[301].status().code(), absl::StatusCode::kAlreadyExists);
  std::map<std::string, std::pair<int64_t, int64_t>> expected;
  std::vector<std::pair<std::string, std::string>> ids;
  for (int i = 0; i < 300; ++i) {
    auto& cell = expected[std::string("d/") + (i % 2 ? "0180" : "0182") + "/" +
                          (i % 5 ? "2025" : "2024")];
    ++cell.first;
    cell.second += 10 + i % 3;
    ids.push_back({i % 2 ? "0180" : "0182", "b" + std::to_string(i)});
  }
  const auto cells = Cells();
  ASSERT_EQ(cells.size(), expected.size());
  for (const auto& [key, sums] : expected) {
    EXPECT_EQ(cells.at(key).reports, sums.first) << key;
    EXPECT_EQ(cells.at(key).minutes, sums.second) << key;
  }
  EXPECT_EQ(AnswerCells(), AnswerCellsFromReports(ids));
}

TEST_F(SqliteStoreTest, BackgroundCheckpointsKeepTheLogBounded) {
  SqliteStoreOptions options;
  options.checkpoint_pages = 64;
  options.wal_limit_pages = 256;
  ASSERT_NO_FATAL_FAILURE(Reopen(options));
  // About 40 MiB of log pages without checkpoints: each commit rewrites the
  // leaves its reports land on.
  const std::string comment(600, 'x');
  int64_t largest_log = 0;
  int n = 0;
  for (int commit = 0; commit < 400; ++commit) {
    std::vector<Report> batch;
    for (int i = 0; i < 50; ++i) {
      ++n;
      Report report = MakeReport("id-" + std::to_string((n * 7919) % 100003), 30, "0180",
                                 std::to_string(2000 + n % 25));
      report.comment = comment;
      batch.push_back(report);
    }
    for (const auto& result : store_->SubmitReportsAndWait(std::move(batch))) {
      ASSERT_TRUE(result.ok()) << result.status();
    }
    std::error_code error;
    const auto size = std::filesystem::file_size(path() + "-wal", error);
    if (!error) largest_log = std::max<int64_t>(largest_log, static_cast<int64_t>(size));
  }
  EXPECT_EQ(*store_->CountReports(), 20000);
  // The limit, and what a few commits write while a checkpoint runs.
  EXPECT_LT(largest_log, 4 * 256 * 4096);
  EXPECT_GT(largest_log, 0);
  EXPECT_EQ(Cells().size(), 25u);
}

TEST_F(SqliteStoreTest, LongReadDoesNotHoldUpCommitsAndTheLogShrinksAfterIt) {
  SqliteStoreOptions options;
  options.checkpoint_pages = 16;
  options.wal_limit_pages = 64;
  ASSERT_NO_FATAL_FAILURE(Reopen(options));
  const std::string comment(600, 'x');
  int n = 0;
  auto submit_batch = [&] {
    std::vector<Report> batch;
    for (int i = 0; i < 50; ++i) {
      Report report = MakeReport("id-" + std::to_string(n++));
      report.comment = comment;
      batch.push_back(report);
    }
    for (const auto& result : store_->SubmitReportsAndWait(std::move(batch))) {
      ASSERT_TRUE(result.ok()) << result.status();
    }
  };
  auto wal_bytes = [&] {
    std::error_code error;
    const auto size = std::filesystem::file_size(path() + "-wal", error);
    return error ? int64_t{0} : static_cast<int64_t>(size);
  };
  submit_batch();

  // A reader (as an online backup is) keeps its snapshot: the log cannot be
  // restarted under it, but the commits go on at their pace meanwhile.
  sqlite3* reader;
  ASSERT_EQ(sqlite3_open(path().c_str(), &reader), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM reports;", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  const absl::Time started = absl::Now();
  for (int i = 0; i < 20; ++i) submit_batch();
  EXPECT_LT(absl::Now() - started, absl::Seconds(10));  // not a busy timeout per commit
  const int64_t grown = wal_bytes();
  EXPECT_GT(grown, 64 * 4096);
  ASSERT_EQ(sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(reader);

  // Once it is gone the next commits restart the log and cut its file back.
  for (int i = 0; i < 10; ++i) submit_batch();
  EXPECT_LE(wal_bytes(), 4 * 64 * 4096);
  EXPECT_EQ(*store_->CountReports(), n);
}

TEST_F(SqliteStoreTest, CallbacksRunInCommitOrder) {
  constexpr int kBatches = 200;
  absl::Mutex mu;
  std::vector<int> order;
  for (int i = 0; i < kBatches; ++i) {
    store_->SubmitReports({MakeReport("r" + std::to_string(i))},
                          [&, i](Store::SubmitResults results) {
                            EXPECT_EQ(results[0]->outcome, SubmitOutcome::kAccepted);
                            absl::MutexLock lock(&mu);
                            order.push_back(i);
                          });
  }
  store_.reset();  // answers everything committed before it returns
  ASSERT_EQ(order.size(), static_cast<size_t>(kBatches));
  for (int i = 0; i < kBatches; ++i) EXPECT_EQ(order[i], i);
}

TEST_F(SqliteStoreTest, WriterCommitsWhileEarlierCallbacksRun) {
  absl::Notification first_called, release;
  std::vector<std::string> answered;
  absl::Mutex mu;
  store_->SubmitReports({MakeReport("a")}, [&](Store::SubmitResults) {
    first_called.Notify();
    release.WaitForNotification();
    absl::MutexLock lock(&mu);
    answered.push_back("a");
  });
  first_called.WaitForNotification();
  absl::Notification second_answered;
  store_->SubmitReports({MakeReport("b")}, [&](Store::SubmitResults) {
    absl::MutexLock lock(&mu);
    answered.push_back("b");
    second_answered.Notify();
  });
  // "b" is committed while the callback of "a" still runs, but answered after it.
  for (int i = 0; i < 5000 && store_->GetStats().commits < 2; ++i) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_EQ(store_->GetStats().commits, 2);
  EXPECT_EQ(*store_->CountReports(), 2);
  EXPECT_FALSE(second_answered.HasBeenNotified());
  release.Notify();
  second_answered.WaitForNotification();
  absl::MutexLock lock(&mu);
  EXPECT_EQ(answered, (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace inrapport
