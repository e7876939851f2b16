// The Store contract, run against every backend: SQLite on a temporary file
// and PostgreSQL on a temporary server (tests/support/postgres_server.h).
// Then what only a shared store promises: several store objects (replicas)
// on one database, and the change feed.
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/store/postgres_store.h"
#include "common/store/sqlite_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_server.h"
#include "tests/support/postgres_session.h"
#include "tests/support/store_examples.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using testing::Cells;
using testing::MakeDuty;
using testing::MakeReport;
using testing::MakeUse;

using AnswerKey = std::tuple<std::string, int64_t, int32_t, Answer>;
std::map<AnswerKey, int64_t> AnswerCells(Store& store) {
  std::map<AnswerKey, int64_t> cells;
  EXPECT_TRUE(store.ForEachAnswerCell([&](const AnswerCell& c) {
    cells[{c.duty_id, c.minutes, c.usefulness, c.feedback}] += c.reports;
  }).ok());
  return cells;
}

// duty -> (already reported elsewhere: yes, no) reports, from the cells.
std::map<std::string, std::pair<int64_t, int64_t>> ElsewhereAnswers(Store& store) {
  std::map<std::string, std::pair<int64_t, int64_t>> answers;
  EXPECT_TRUE(store.ForEachAnswerCell([&](const AnswerCell& c) {
    if (c.elsewhere == Answer::kYes) answers[c.duty_id].first += c.reports;
    if (c.elsewhere == Answer::kNo) answers[c.duty_id].second += c.reports;
  }).ok());
  return answers;
}

// A fresh database of one backend; Open() may be called again for another
// store object on the same data (a reopen, or a second replica).
class Backend {
 public:
  virtual ~Backend() = default;
  virtual absl::StatusOr<std::unique_ptr<Store>> Open() = 0;
};

class SqliteBackend : public Backend {
 public:
  SqliteBackend() {
    char pattern[] = "/tmp/inrapport-contract-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  ~SqliteBackend() override { std::filesystem::remove_all(dir_); }
  absl::StatusOr<std::unique_ptr<Store>> Open() override {
    SqliteStoreOptions options;
    options.path = dir_ + "/store.db";
    return OpenSqliteStore(options);
  }

 private:
  std::string dir_;
};

class PostgresBackend : public Backend {
 public:
  explicit PostgresBackend(std::string uri) : uri_(std::move(uri)) {}
  absl::StatusOr<std::unique_ptr<Store>> Open() override {
    PostgresStoreOptions options;
    options.uri = uri_;
    return OpenPostgresStore(options);
  }
  const std::string& uri() const { return uri_; }

 private:
  std::string uri_;
};

std::unique_ptr<Backend> MakeBackend(const std::string& name, std::string* why) {
  if (name == "sqlite") return std::make_unique<SqliteBackend>();
  const std::string uri = testing::PostgresServer::NewSharedDatabase(why);
  if (uri.empty()) return nullptr;
  return std::make_unique<PostgresBackend>(uri);
}

class StoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string why;
    backend_ = MakeBackend(GetParam(), &why);
    if (backend_ == nullptr) GTEST_FAIL() << why;
    Reopen();
  }
  void Reopen() {
    store_.reset();
    auto store = backend_->Open();
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  std::unique_ptr<Backend> backend_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContractTest, DutyRoundTripsEveryField) {
  const Duty duty = MakeDuty("d");
  ASSERT_TRUE(store_->CreateDuty(duty).ok());
  auto duties = store_->LoadDuties();
  ASSERT_TRUE(duties.ok()) << duties.status();
  ASSERT_EQ(duties->size(), 1u);
  const Duty& loaded = duties->front();
  EXPECT_EQ(loaded.id, duty.id);
  EXPECT_EQ(loaded.agency_id, duty.agency_id);
  EXPECT_EQ(loaded.title, duty.title);
  EXPECT_EQ(loaded.legal_basis, duty.legal_basis);
  EXPECT_EQ(loaded.purpose, duty.purpose);
  EXPECT_EQ(loaded.sector, duty.sector);
  EXPECT_EQ(loaded.frequency, duty.frequency);
  EXPECT_EQ(loaded.targeted_grant, duty.targeted_grant);
  EXPECT_EQ(loaded.data_items, duty.data_items);
  EXPECT_EQ(loaded.estimated_minutes_per_report, duty.estimated_minutes_per_report);
  EXPECT_EQ(loaded.valid_from, duty.valid_from);
  EXPECT_EQ(loaded.valid_until, duty.valid_until);
  EXPECT_EQ(loaded.source_url, duty.source_url);
  EXPECT_EQ(loaded.notes, duty.notes);
  EXPECT_EQ(loaded.respondents, duty.respondents);
  EXPECT_EQ(loaded.deadline, duty.deadline);
}

TEST_P(StoreContractTest, CreateTwiceIsAlreadyExistsAndUpdateOfMissingIsNotFound) {
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("d")).ok());
  const absl::Status again = store_->CreateDuty(MakeDuty("d"));
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.message()), StartsWith("duty.id"));
  EXPECT_EQ(store_->UpdateDuty(MakeDuty("x")).code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreContractTest, UpdateReplacesTheDutyAndDutiesLoadInIdOrder) {
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("b")).ok());
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("a")).ok());
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("B")).ok());
  Duty changed = MakeDuty("b");
  changed.purpose = "";
  changed.data_items.clear();
  changed.respondents.clear();  // now every municipality must report
  ASSERT_TRUE(store_->UpdateDuty(changed).ok());
  auto duties = store_->LoadDuties();
  ASSERT_TRUE(duties.ok());
  ASSERT_EQ(duties->size(), 3u);
  EXPECT_EQ((*duties)[0].id, "B");  // byte order, as in SQLite
  EXPECT_EQ((*duties)[1].id, "a");
  EXPECT_EQ((*duties)[2].purpose, "");
  EXPECT_TRUE((*duties)[2].data_items.empty());
  EXPECT_TRUE((*duties)[2].respondents.empty());
  EXPECT_EQ((*duties)[1].respondents, MakeDuty("a").respondents);
}

TEST_P(StoreContractTest, SameContentIsDuplicateAndCountedOnce) {
  auto first = store_->SubmitReportsAndWait({MakeReport("a")});
  ASSERT_TRUE(first[0].ok()) << first[0].status();
  EXPECT_EQ(first[0]->outcome, SubmitOutcome::kAccepted);
  auto retry = store_->SubmitReportsAndWait({MakeReport("a")});
  ASSERT_TRUE(retry[0].ok());
  EXPECT_EQ(retry[0]->outcome, SubmitOutcome::kDuplicate);
  EXPECT_EQ(*store_->CountReports(), 1);
  EXPECT_EQ(Cells(*store_).at("d/0180/2025").reports, 1);
  EXPECT_EQ(Cells(*store_).at("d/0180/2025").minutes, 30);
}

TEST_P(StoreContractTest, DifferentContentIsAlreadyExistsNamingTheField) {
  ASSERT_TRUE(store_->SubmitReportsAndWait({MakeReport("a", 30)})[0].ok());
  auto conflict = store_->SubmitReportsAndWait({MakeReport("a", 31)});
  EXPECT_EQ(conflict[0].status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(conflict[0].status().message()),
              StartsWith("report.submission_id: \"a\" was already stored with different content"));
  EXPECT_THAT(std::string(conflict[0].status().message()), HasSubstr("minutes_spent"));
  EXPECT_EQ(store_->GetReport("0180", "a")->report.minutes_spent, 30);
  EXPECT_EQ(Cells(*store_).at("d/0180/2025").minutes, 30);
}

// A submission id is the municipality's own key: another municipality's
// equal id is another report, accepted and counted, and neither can make
// the other's retries conflict.
TEST_P(StoreContractTest, ASubmissionIdIsUniqueWithinItsMunicipalityOnly) {
  auto first = store_->SubmitReportsAndWait(
      {MakeReport("0180-9999", 30, "1283"), MakeReport("0180-9999", 40, "0180"),
       MakeReport("0180-9999", 30, "1283")});
  EXPECT_EQ(first[0]->outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(first[1]->outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(first[2]->outcome, SubmitOutcome::kDuplicate);
  auto later = store_->SubmitReportsAndWait(
      {MakeReport("0180-9999", 40, "0180"), MakeReport("0180-9999", 50, "1283"),
       MakeReport("0180-9999", 60, "0182")});
  EXPECT_EQ(later[0]->outcome, SubmitOutcome::kDuplicate);
  EXPECT_EQ(later[1].status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(later[2]->outcome, SubmitOutcome::kAccepted);
  Reopen();
  EXPECT_EQ(*store_->CountReports(), 3);
  EXPECT_EQ(store_->GetReport("1283", "0180-9999")->report.minutes_spent, 30);
  EXPECT_EQ(store_->GetReport("0180", "0180-9999")->report.minutes_spent, 40);
  EXPECT_EQ(store_->GetReport("0182", "0180-9999")->report.minutes_spent, 60);
  EXPECT_EQ(Cells(*store_).at("d/0180/2025").minutes, 40);
  EXPECT_EQ(Cells(*store_).at("d/1283/2025").minutes, 30);
}

TEST_P(StoreContractTest, ReportRoundTripsEveryField) {
  Report report = MakeReport("a");
  report.already_reported_where = "länsstyrelsens enkät, \"2025\"";
  ASSERT_TRUE(store_->SubmitReportsAndWait({report})[0].ok());
  EXPECT_EQ(store_->GetReport("0180", "a")->report, report);
  EXPECT_EQ(store_->GetReport("0180", "nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetReport("0182", "a").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreContractTest, RepeatsInsideOneBatchBehaveAsAcrossBatches) {
  auto results = store_->SubmitReportsAndWait(
      {MakeReport("b", 5), MakeReport("a", 10), MakeReport("a", 10), MakeReport("a", 11)});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0]->outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(results[1]->outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(results[2]->outcome, SubmitOutcome::kDuplicate);
  EXPECT_EQ(results[3].status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Cells(*store_).at("d/0180/2025").minutes, 15);
}

TEST_P(StoreContractTest, BurdenAndAnswerCellsAggregateAcceptedReportsOnly) {
  Report c = MakeReport("c", 40, "0182", "2025");
  c.usefulness = 5;
  store_->SubmitReportsAndWait({MakeReport("a", 10, "0180", "2025"),
                                MakeReport("b", 20, "0180", "2025"), c,
                                MakeReport("d", 80, "0180", "2024")});
  store_->SubmitReportsAndWait({MakeReport("a", 10), MakeReport("b", 21)});
  auto cells = Cells(*store_);
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells.at("d/0180/2025").reports, 2);
  EXPECT_EQ(cells.at("d/0180/2025").minutes, 30);
  EXPECT_EQ(cells.at("d/0182/2025").minutes, 40);
  EXPECT_EQ(cells.at("d/0180/2024").minutes, 80);
  const std::map<AnswerKey, int64_t> expected = {{{"d", 10, 3, Answer::kNo}, 1},
                                                 {{"d", 20, 3, Answer::kNo}, 1},
                                                 {{"d", 40, 5, Answer::kNo}, 1},
                                                 {{"d", 80, 3, Answer::kNo}, 1}};
  EXPECT_EQ(AnswerCells(*store_), expected);
}

// A cell keeps its first receipt, the time a period first came, across
// later reports of the same cell and a restart.
TEST_P(StoreContractTest, ABurdenCellKeepsItsFirstReceipt) {
  auto first = store_->SubmitReportsAndWait({MakeReport("a", 10, "0180", "2025")});
  ASSERT_TRUE(first[0].ok()) << first[0].status();
  absl::SleepFor(absl::Seconds(1.1));
  auto second = store_->SubmitReportsAndWait(
      {MakeReport("b", 20, "0180", "2025"), MakeReport("c", 20, "0182", "2025")});
  ASSERT_TRUE(second[0].ok()) << second[0].status();
  const int64_t first_at = first[0]->receipt.received_at_unix;
  EXPECT_LT(first_at, second[0]->receipt.received_at_unix);
  auto cells = Cells(*store_);
  EXPECT_EQ(cells.at("d/0180/2025").reports, 2);
  EXPECT_EQ(cells.at("d/0180/2025").first_received_unix, first_at);
  EXPECT_EQ(cells.at("d/0182/2025").first_received_unix, second[1]->receipt.received_at_unix);
  Reopen();
  EXPECT_EQ(Cells(*store_).at("d/0180/2025").first_received_unix, first_at);
}

// The cells keep each report's already-reported-elsewhere answer apart, so
// that a restart counts them without reading the reports.
TEST_P(StoreContractTest, AnswerCellsKeepTheAlreadyReportedElsewhereAnswer) {
  Report no = MakeReport("b", 10);  // same minutes, usefulness and feedback as "a"
  no.already_reported_elsewhere = Answer::kNo;
  Report unknown = MakeReport("c", 10);
  unknown.already_reported_elsewhere = Answer::kUnknown;
  store_->SubmitReportsAndWait({MakeReport("a", 10), no, unknown, MakeReport("d", 10)});
  store_->SubmitReportsAndWait({MakeReport("a", 10)});  // a retry adds nothing
  Reopen();
  const std::map<std::string, std::pair<int64_t, int64_t>> expected = {{"d", {2, 1}}};
  EXPECT_EQ(ElsewhereAnswers(*store_), expected);
  const std::map<AnswerKey, int64_t> cells = {{{"d", 10, 3, Answer::kNo}, 4}};
  EXPECT_EQ(AnswerCells(*store_), cells);
}

// The cells are kept per period: the report-driven flags of a period come
// from its own answers after a restart too.
TEST_P(StoreContractTest, AnswerCellsAreKeptPerPeriod) {
  store_->SubmitReportsAndWait({MakeReport("a", 10, "0180", "2024"),
                                MakeReport("b", 10, "0182", "2024"),
                                MakeReport("c", 10, "0180", "2025")});
  Reopen();
  std::map<std::pair<std::string, int64_t>, int64_t> by_period;  // (period, minutes)
  ASSERT_TRUE(store_->ForEachAnswerCell([&](const AnswerCell& c) {
    by_period[{c.period, c.minutes}] += c.reports;
  }).ok());
  const std::map<std::pair<std::string, int64_t>, int64_t> expected = {{{"2024", 10}, 2},
                                                                       {{"2025", 10}, 1}};
  EXPECT_EQ(by_period, expected);
}

// Where the municipalities say the data is already reported: kept with the
// report, part of its content, and counted per duty and place.
TEST_P(StoreContractTest, WhereTheDataIsAlreadyReportedIsKeptAndCounted) {
  auto named = [](const std::string& id, const std::string& municipality,
                  const std::string& duty, const std::string& where) {
    Report report = MakeReport(id, 10, municipality, "2025");
    report.duty_id = duty;
    report.already_reported_elsewhere = Answer::kYes;
    report.already_reported_where = where;
    return report;
  };
  store_->SubmitReportsAndWait({named("a", "0180", "d", "scb-rs"),
                                named("b", "0182", "d", "scb-rs"),
                                named("c", "0180", "d", "scb-rs"),
                                named("e", "0180", "d", "Kolada"),
                                named("f", "0180", "e", "Kolada"),
                                MakeReport("g", 10, "0182", "2025")});
  Reopen();
  EXPECT_EQ(store_->GetReport("0180", "a")->report.already_reported_where, "scb-rs");
  EXPECT_EQ(store_->GetReport("0182", "g")->report.already_reported_where, "");
  // Another place is other content: a conflict, not a retry.
  auto conflict = store_->SubmitReportsAndWait({named("a", "0180", "d", "Kolada")});
  EXPECT_EQ(conflict[0].status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(conflict[0].status().message()), HasSubstr("already_reported_where"));
  EXPECT_EQ(store_->SubmitReportsAndWait({named("a", "0180", "d", "scb-rs")})[0].value().outcome,
            SubmitOutcome::kDuplicate);
  auto places = store_->ListReportedElsewhere(10);
  ASSERT_TRUE(places.ok()) << places.status();
  // Most municipalities first, then reports, then duty and place.
  EXPECT_THAT(*places, ElementsAre(ReportedElsewhere{"d", "scb-rs", 3, 2},
                                   ReportedElsewhere{"d", "Kolada", 1, 1},
                                   ReportedElsewhere{"e", "Kolada", 1, 1}));
  // The database stops at the limit, in the same order.
  places = store_->ListReportedElsewhere(2);
  ASSERT_TRUE(places.ok()) << places.status();
  EXPECT_THAT(*places, ElementsAre(ReportedElsewhere{"d", "scb-rs", 3, 2},
                                   ReportedElsewhere{"d", "Kolada", 1, 1}));
}

TEST_P(StoreContractTest, EverythingSurvivesReopening) {
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("d")).ok());
  ASSERT_TRUE(store_->SubmitReportsAndWait({MakeReport("a"), MakeReport("b", 5)})[1].ok());
  ASSERT_TRUE(store_->RecordUse(MakeUse("d", "u")).ok());
  Reopen();
  EXPECT_EQ(store_->LoadDuties()->size(), 1u);
  EXPECT_EQ(*store_->CountReports(), 2);
  EXPECT_EQ(Cells(*store_).at("d/0180/2025").minutes, 35);
  EXPECT_EQ(store_->SubmitReportsAndWait({MakeReport("a")})[0].value().outcome, SubmitOutcome::kDuplicate);
  EXPECT_EQ(*store_->RecordUse(MakeUse("d", "u")), SubmitOutcome::kDuplicate);
}

TEST_P(StoreContractTest, ConcurrentSubmissionsShareCommitsAndAreCountedOnce) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 100;
  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r = store_->SubmitReportsAndWait(
            {MakeReport("t" + std::to_string(t) + "-" + std::to_string(i), 1)});
        if (r[0].ok() && r[0]->outcome == SubmitOutcome::kAccepted) ++accepted;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), kThreads * kPerThread);
  EXPECT_EQ(*store_->CountReports(), kThreads * kPerThread);
  EXPECT_EQ(Cells(*store_).at("d/0180/2025").minutes, kThreads * kPerThread);
  const StoreStats stats = store_->GetStats();
  EXPECT_EQ(stats.committed_reports, kThreads * kPerThread);
  // Eight callers each waiting for their commit: commits are shared.
  EXPECT_LT(stats.commits, kThreads * kPerThread);
  // One observation per commit, and the batches add up to every report.
  EXPECT_EQ(stats.commit_seconds.count, static_cast<uint64_t>(stats.commits));
  EXPECT_GT(stats.commit_seconds.sum, 0.0);
  EXPECT_EQ(stats.reports_per_commit.count, static_cast<uint64_t>(stats.commits));
  EXPECT_DOUBLE_EQ(stats.reports_per_commit.sum, kThreads * kPerThread);
  EXPECT_GT(stats.size_bytes, 0);
}

// A batch withdrawn before the store begins it is answered CANCELLED and
// stores nothing; one the store has begun is committed. Here the
// cancellation arrives just as the first batch is begun.
TEST_P(StoreContractTest, WithdrawnBatchesAreAnsweredCancelledAndStoreNothing) {
  std::atomic<bool> cancelled{false};
  std::promise<Store::SubmitResults> first, second;
  store_->SubmitReports(
      {MakeReport("a1"), MakeReport("a2")},
      [&](Store::SubmitResults results) { first.set_value(std::move(results)); },
      [&] { return cancelled.exchange(true); });
  store_->SubmitReports(
      {MakeReport("b1")},
      [&](Store::SubmitResults results) { second.set_value(std::move(results)); },
      [&] { return cancelled.load(); });
  const Store::SubmitResults begun = first.get_future().get();
  const Store::SubmitResults withdrawn = second.get_future().get();
  ASSERT_EQ(begun.size(), 2u);
  EXPECT_EQ(begun[0]->outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(begun[1]->outcome, SubmitOutcome::kAccepted);
  ASSERT_EQ(withdrawn.size(), 1u);
  EXPECT_EQ(withdrawn[0].status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(*store_->CountReports(), 2);
  EXPECT_EQ(Cells(*store_).at("d/0180/2025").reports, 2);
  EXPECT_EQ(store_->GetStats().committed_reports, 2);
  // Nothing of it was stored: sent again, it is new.
  EXPECT_EQ(store_->SubmitReportsAndWait({MakeReport("b1")})[0].value().outcome, SubmitOutcome::kAccepted);
}

TEST_P(StoreContractTest, RecordedUseRetryIsDuplicateAndConflictNamesTheField) {
  ASSERT_EQ(*store_->RecordUse(MakeUse("d", "u")), SubmitOutcome::kAccepted);
  EXPECT_EQ(*store_->RecordUse(MakeUse("d", "u")), SubmitOutcome::kDuplicate);
  EXPECT_EQ(*store_->RecordUse(MakeUse("e", "u")), SubmitOutcome::kAccepted);
  DutyUse changed = MakeUse("d", "u");
  changed.link = "https://example.org/";
  auto conflict = store_->RecordUse(changed);
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(conflict.status().message()), HasSubstr("(link differs)"));
}

TEST_P(StoreContractTest, UsesAreLoadedByDutyThenDateThenUseId) {
  ASSERT_TRUE(store_->RecordUse(MakeUse("b", "z", "2025-01-01")).ok());
  ASSERT_TRUE(store_->RecordUse(MakeUse("a", "y", "2025-06-01")).ok());
  ASSERT_TRUE(store_->RecordUse(MakeUse("b", "a", "2025-01-01")).ok());
  ASSERT_TRUE(store_->RecordUse(MakeUse("a", "x", "2025-06-01")).ok());
  ASSERT_TRUE(store_->RecordUse(MakeUse("a", "Z", "2024-12-31")).ok());
  ASSERT_TRUE(store_->RecordUse(MakeUse("b", "b", "2024-02-29")).ok());
  auto uses = store_->LoadUses();
  ASSERT_TRUE(uses.ok()) << uses.status();
  std::vector<std::string> order;
  for (const DutyUse& use : *uses) order.push_back(use.duty_id + "/" + use.date + "/" + use.use_id);
  EXPECT_EQ(order, (std::vector<std::string>{"a/2024-12-31/Z", "a/2025-06-01/x",
                                             "a/2025-06-01/y", "b/2024-02-29/b",
                                             "b/2025-01-01/a", "b/2025-01-01/z"}));
  // Every field comes back, the periods of data included.
  EXPECT_EQ((*uses)[0], MakeUse("a", "Z", "2024-12-31"));
  EXPECT_EQ((*uses)[0].first_period, "2024Q3");
}

// Every create or update of a duty is a version, written with it: who, when,
// which fields, and the duty as it then stood. A refused write is none.
TEST_P(StoreContractTest, DutyWritesKeepEveryVersionWithItsAuthorAndFields) {
  Duty duty = MakeDuty("d");
  ASSERT_TRUE(store_->CreateDuty(duty, {"agency:skolverket", DutyFieldNames(), ""}).ok());
  EXPECT_EQ(store_->CreateDuty(duty, {"agency:skolverket", DutyFieldNames(), ""}).code(),
            absl::StatusCode::kAlreadyExists);
  Duty changed = duty;
  changed.purpose = "Ett nytt syfte.";
  changed.data_items = {"ett"};
  changed.respondents = {"2580"};
  changed.deadline = "30 days after period end";
  ASSERT_TRUE(store_
                  ->UpdateDuty(changed, {"admin", {"purpose", "data_items", "respondents",
                                                   "deadline"}, ""})
                  .ok());
  Duty missing = MakeDuty("nope");
  EXPECT_EQ(store_->UpdateDuty(missing, {"admin", {"purpose"}, ""}).code(),
            absl::StatusCode::kNotFound);
  Reopen();

  auto history = store_->LoadDutyHistory("d");
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 2u);
  const DutyVersion& first = (*history)[0];
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(first.change.changed_by, "agency:skolverket");
  EXPECT_EQ(first.change.changed_fields, DutyFieldNames());
  EXPECT_EQ(first.duty.purpose, duty.purpose);
  EXPECT_EQ(first.duty.data_items, duty.data_items);
  EXPECT_EQ(first.duty.legal_basis, duty.legal_basis);
  EXPECT_EQ(first.duty.estimated_minutes_per_report, duty.estimated_minutes_per_report);
  EXPECT_EQ(first.duty.respondents, duty.respondents);
  EXPECT_EQ(first.duty.deadline, "11-01 of the same year");
  EXPECT_GT(first.changed_at_unix, 1700000000);
  const DutyVersion& second = (*history)[1];
  EXPECT_EQ(second.version, 2);
  EXPECT_EQ(second.change.changed_by, "admin");
  EXPECT_EQ(second.change.changed_fields,
            (std::vector<std::string>{"purpose", "data_items", "respondents", "deadline"}));
  EXPECT_EQ(second.duty.purpose, "Ett nytt syfte.");
  EXPECT_EQ(second.duty.deadline, "30 days after period end");
  EXPECT_EQ(second.duty.respondents, std::vector<std::string>{"2580"});
  EXPECT_EQ(second.duty.data_items, std::vector<std::string>{"ett"});
  EXPECT_GE(second.changed_at_unix, first.changed_at_unix);
  EXPECT_TRUE(store_->LoadDutyHistory("nope")->empty());
}

// Comments come newest first, filtered and paged by arrival order; reports
// without a comment are not among them.
TEST_P(StoreContractTest, CommentsAreListedNewestFirstByDutyAgencyAndMunicipality) {
  Duty other = MakeDuty("e");
  other.agency_id = "scb";
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("d")).ok());
  ASSERT_TRUE(store_->CreateDuty(other).ok());
  auto report = [](const std::string& id, const std::string& duty,
                   const std::string& municipality, const std::string& comment) {
    Report r = MakeReport(id, 10, municipality, "2025");
    r.duty_id = duty;
    r.comment = comment;
    return r;
  };
  const std::string markup = "<script>alert(1)</script> =HYPERLINK(\"http://x\") åäö";
  store_->SubmitReportsAndWait({report("1", "d", "0180", "först"),
                                report("2", "d", "0182", ""),
                                report("3", "e", "0180", "scb:s blankett"),
                                report("4", "d", "0182", markup)});
  store_->SubmitReportsAndWait({report("5", "d", "0180", "sist")});

  auto ids = [](const absl::StatusOr<std::vector<StoredComment>>& comments) {
    std::vector<std::string> out;
    EXPECT_TRUE(comments.ok()) << comments.status();
    if (comments.ok()) {
      for (const StoredComment& c : *comments) out.push_back(c.submission_id);
    }
    return out;
  };
  CommentQuery all;
  EXPECT_EQ(ids(store_->ListComments(all)), (std::vector<std::string>{"5", "4", "3", "1"}));
  CommentQuery of_duty;
  of_duty.duty_id = "d";
  auto comments = store_->ListComments(of_duty);
  EXPECT_EQ(ids(comments), (std::vector<std::string>{"5", "4", "1"}));
  ASSERT_EQ(comments->size(), 3u);
  const StoredComment& c = (*comments)[1];
  EXPECT_EQ(c.comment, markup);  // exactly as sent
  EXPECT_EQ(c.municipality_code, "0182");
  EXPECT_EQ(c.duty_id, "d");
  EXPECT_EQ(c.period, "2025");
  EXPECT_GT(c.received_at_unix, 1700000000);
  CommentQuery of_agency;
  of_agency.agency_id = "scb";
  EXPECT_EQ(ids(store_->ListComments(of_agency)), (std::vector<std::string>{"3"}));
  CommentQuery of_municipality;
  of_municipality.municipality_code = "0180";
  EXPECT_EQ(ids(store_->ListComments(of_municipality)),
            (std::vector<std::string>{"5", "3", "1"}));
  of_duty.municipality_code = "0182";
  EXPECT_EQ(ids(store_->ListComments(of_duty)), (std::vector<std::string>{"4"}));

  // Pages: two at a time, each after the last one's arrival.
  CommentQuery page;
  page.limit = 2;
  auto first = store_->ListComments(page);
  EXPECT_EQ(ids(first), (std::vector<std::string>{"5", "4"}));
  page.before_seq = first->back().seq;
  EXPECT_EQ(ids(store_->ListComments(page)), (std::vector<std::string>{"3", "1"}));
}

TEST_P(StoreContractTest, EveryStoredReportHasAReceiptAndARetryGetsTheFirstOne) {
  const int64_t before = absl::ToUnixSeconds(absl::Now());
  auto first = store_->SubmitReportsAndWait({MakeReport("a"), MakeReport("b", 5)});
  const int64_t after = absl::ToUnixSeconds(absl::Now());
  ASSERT_TRUE(first[0].ok()) << first[0].status();
  ASSERT_TRUE(first[1].ok()) << first[1].status();
  const Receipt receipt = first[0]->receipt;
  EXPECT_GE(receipt.received_at_unix, before);
  EXPECT_LE(receipt.received_at_unix, after);
  EXPECT_EQ(receipt.version, 1);
  // One transaction, one time of receipt.
  EXPECT_EQ(first[1]->receipt, receipt);

  // A retry a second later is the same report: the first receipt again.
  absl::SleepFor(absl::Seconds(1.1));
  auto retry = store_->SubmitReportsAndWait({MakeReport("a"), MakeReport("c")});
  ASSERT_TRUE(retry[0].ok()) << retry[0].status();
  EXPECT_EQ(retry[0]->outcome, SubmitOutcome::kDuplicate);
  EXPECT_EQ(retry[0]->receipt, receipt);
  EXPECT_GT(retry[1]->receipt.received_at_unix, receipt.received_at_unix);

  auto stored = store_->GetReport("0180", "a");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->receipt, receipt);
  EXPECT_EQ(stored->report, MakeReport("a"));
  EXPECT_GT(stored->seq, 0);
  EXPECT_LT(stored->seq, store_->GetReport("0180", "c")->seq);  // arrival order
}

TEST_P(StoreContractTest, ReportsAreListedInKeyOrderByMunicipalityDutyAgencyAndTime) {
  Duty other = MakeDuty("e");
  other.agency_id = "scb";
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("d")).ok());
  ASSERT_TRUE(store_->CreateDuty(other).ok());
  auto report = [](const std::string& id, const std::string& duty,
                   const std::string& municipality) {
    Report r = MakeReport(id, 10, municipality, "2025");
    r.duty_id = duty;
    return r;
  };
  store_->SubmitReportsAndWait(
      {report("3", "e", "0180"), report("2", "d", "0182"), report("1", "d", "0180")});
  absl::SleepFor(absl::Seconds(1.1));
  const int64_t later = absl::ToUnixSeconds(absl::Now());
  store_->SubmitReportsAndWait({report("5", "e", "0182"), report("4", "d", "0180")});

  auto ids = [&](const ReportQuery& query) {
    std::vector<std::string> out;
    absl::StatusOr<std::vector<StoredReport>> reports = store_->ListReports(query);
    EXPECT_TRUE(reports.ok()) << reports.status();
    if (reports.ok()) {
      for (const StoredReport& r : *reports) {
        out.push_back(r.report.municipality_code + "/" + r.report.submission_id);
      }
    }
    return out;
  };
  using Ids = std::vector<std::string>;
  ReportQuery all;
  EXPECT_EQ(ids(all), (Ids{"0180/1", "0180/3", "0180/4", "0182/2", "0182/5"}));
  ReportQuery of_municipality;
  of_municipality.municipality_code = "0180";
  EXPECT_EQ(ids(of_municipality), (Ids{"0180/1", "0180/3", "0180/4"}));
  ReportQuery of_duty;
  of_duty.duty_id = "e";
  EXPECT_EQ(ids(of_duty), (Ids{"0180/3", "0182/5"}));
  ReportQuery of_agency;
  of_agency.agency_id = "skolverket";
  EXPECT_EQ(ids(of_agency), (Ids{"0180/1", "0180/4", "0182/2"}));
  of_agency.municipality_code = "0182";
  EXPECT_EQ(ids(of_agency), (Ids{"0182/2"}));
  ReportQuery since;
  since.received_since_unix = later;
  EXPECT_EQ(ids(since), (Ids{"0180/4", "0182/5"}));
  since.municipality_code = "0180";
  EXPECT_EQ(ids(since), (Ids{"0180/4"}));

  // Pages: two at a time, each after the key of the last one read.
  ReportQuery page;
  page.municipality_code = "0180";
  page.limit = 2;
  auto first = store_->ListReports(page);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ(first->back().report, report("3", "e", "0180"));
  page.after_municipality_code = "0180";
  page.after_submission_id = "3";
  EXPECT_EQ(ids(page), (Ids{"0180/4"}));
  ReportQuery across;  // a page that crosses from one municipality to the next
  across.after_municipality_code = "0180";
  across.after_submission_id = "3";
  across.limit = 2;
  EXPECT_EQ(ids(across), (Ids{"0180/4", "0182/2"}));
  // The receipt comes with every listed report.
  EXPECT_GE(store_->ListReports(since)->front().receipt.received_at_unix, later);
}

// A correction becomes the report's next version: the old one is kept, the
// cells lose its share and gain the new one's, and a retry changes nothing.
TEST_P(StoreContractTest, ACorrectionIsTheNextVersionAndMovesTheCells) {
  store_->SubmitReportsAndWait({MakeReport("a", 10, "0180", "2025"),
                                MakeReport("b", 20, "0180", "2025")});
  const StoredReport first = *store_->GetReport("0180", "a");

  ReportChange change;
  change.corrected = MakeReport("a", 100, "0180", "2024");  // minutes and period
  change.reason = "fel period och minuter";
  change.base_version = 1;
  auto changed = store_->ChangeReport(change);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(changed->previous.report, first.report);
  EXPECT_EQ(changed->current.report, change.corrected);
  EXPECT_EQ(changed->current.receipt.version, 2);
  EXPECT_EQ(changed->current.receipt.received_at_unix, first.receipt.received_at_unix);
  EXPECT_GE(changed->current.receipt.changed_at_unix, first.receipt.received_at_unix);
  EXPECT_EQ(changed->current.reason, "fel period och minuter");

  auto cells = Cells(*store_);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells.at("d/0180/2025").reports, 1);
  EXPECT_EQ(cells.at("d/0180/2025").minutes, 20);
  EXPECT_EQ(cells.at("d/0180/2024").minutes, 100);
  const std::map<AnswerKey, int64_t> answers = {{{"d", 20, 3, Answer::kNo}, 1},
                                                {{"d", 100, 3, Answer::kNo}, 1}};
  EXPECT_EQ(AnswerCells(*store_), answers);

  // A retry of the same correction: a duplicate, nothing moves.
  auto retry = store_->ChangeReport(change);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->outcome, SubmitOutcome::kDuplicate);
  EXPECT_EQ(retry->current.receipt, changed->current.receipt);
  EXPECT_EQ(Cells(*store_).at("d/0180/2024").reports, 1);

  // Against a version that is no longer stored: ABORTED, naming both.
  change.corrected.minutes_spent = 50;
  auto stale = store_->ChangeReport(change);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(std::string(stale.status().message()), HasSubstr("at version 2, not 1"));

  Reopen();
  auto stored = store_->GetReport("0180", "a");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->report.minutes_spent, 100);
  EXPECT_EQ(stored->receipt, changed->current.receipt);
  EXPECT_FALSE(stored->withdrawn);
  auto versions = store_->LoadReportVersions("0180", "a");
  ASSERT_TRUE(versions.ok()) << versions.status();
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(versions->front().report, first.report);
  EXPECT_EQ(versions->front().receipt.version, 1);
  EXPECT_EQ(versions->front().receipt.received_at_unix, first.receipt.received_at_unix);
  EXPECT_EQ(Cells(*store_).at("d/0180/2024").minutes, 100);
}

// A withdrawal keeps the report on record, out of every cell, comment and
// overlap; it cannot be corrected afterwards, and a retry is a duplicate.
TEST_P(StoreContractTest, AWithdrawnReportStaysOnRecordOutOfEveryFigure) {
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("d")).ok());
  Report a = MakeReport("a", 10, "0180", "2025");
  a.comment = "dubbelrapporterat";
  a.already_reported_elsewhere = Answer::kYes;
  a.already_reported_where = "Kolada";
  store_->SubmitReportsAndWait({a, MakeReport("b", 20, "0180", "2025")});

  ReportChange withdrawal;
  withdrawal.kind = ChangeKind::kWithdrawal;
  withdrawal.municipality_code = "0180";
  withdrawal.submission_id = "a";
  withdrawal.reason = "skickad av misstag";
  auto withdrawn = store_->ChangeReport(withdrawal);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->outcome, SubmitOutcome::kAccepted);
  EXPECT_TRUE(withdrawn->current.withdrawn);
  EXPECT_EQ(withdrawn->current.receipt.version, 2);

  auto cells = Cells(*store_);
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells.at("d/0180/2025").reports, 1);
  EXPECT_EQ(cells.at("d/0180/2025").minutes, 20);
  // Only b's comment is left; a's place is no longer counted.
  auto comments = store_->ListComments({});
  ASSERT_EQ(comments->size(), 1u);
  EXPECT_EQ(comments->front().submission_id, "b");
  EXPECT_TRUE(store_->ListReportedElsewhere(10)->empty());

  auto again = store_->ChangeReport(withdrawal);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->outcome, SubmitOutcome::kDuplicate);
  ReportChange correction;
  correction.corrected = MakeReport("a", 15, "0180", "2025");
  correction.reason = "r";
  EXPECT_EQ(store_->ChangeReport(correction).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ReportChange missing = withdrawal;
  missing.submission_id = "nope";
  EXPECT_EQ(store_->ChangeReport(missing).status().code(), absl::StatusCode::kNotFound);

  Reopen();
  auto stored = store_->GetReport("0180", "a");
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->withdrawn);
  EXPECT_EQ(stored->reason, "skickad av misstag");
  EXPECT_EQ(stored->report, a);  // on record as it was
  EXPECT_EQ(Cells(*store_).size(), 1u);
  // Listed, marked withdrawn.
  ReportQuery query;
  query.municipality_code = "0180";
  auto listed = store_->ListReports(query);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_TRUE(listed->front().withdrawn);
}

// A cell's first receipt is that of the reports it still holds: a
// withdrawal of the earliest report, or its move to another period by a
// correction, leaves the next one; the cell it moves to keeps its own
// earlier receipt or takes the moved report's first receipt.
TEST_P(StoreContractTest, AChangeLeavesEachCellTheFirstReceiptOfTheReportsItHolds) {
  auto early = store_->SubmitReportsAndWait({MakeReport("a", 10, "0180", "2025"),
                                             MakeReport("x", 10, "0182", "2025")});
  ASSERT_TRUE(early[0].ok()) << early[0].status();
  absl::SleepFor(absl::Seconds(1.1));
  auto late = store_->SubmitReportsAndWait({MakeReport("b", 20, "0180", "2025"),
                                            MakeReport("c", 30, "0180", "2024")});
  ASSERT_TRUE(late[0].ok()) << late[0].status();
  const int64_t a_at = early[0]->receipt.received_at_unix;
  const int64_t b_at = late[0]->receipt.received_at_unix;
  ASSERT_LT(a_at, b_at);

  // a moves from 2025 to 2024: 2025 is left with b, 2024 gains a's receipt.
  ReportChange move;
  move.corrected = MakeReport("a", 10, "0180", "2024");
  move.reason = "fel period";
  auto moved = store_->ChangeReport(move);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->previous_cell_first_received_unix, b_at);
  auto cells = Cells(*store_);
  EXPECT_EQ(cells.at("d/0180/2025").first_received_unix, b_at);
  EXPECT_EQ(cells.at("d/0180/2024").first_received_unix, a_at);

  // a withdrawn: 2024 is left with c.
  ReportChange withdrawal;
  withdrawal.kind = ChangeKind::kWithdrawal;
  withdrawal.municipality_code = "0180";
  withdrawal.submission_id = "a";
  withdrawal.reason = "skickad av misstag";
  auto withdrawn = store_->ChangeReport(withdrawal);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->previous_cell_first_received_unix, b_at);
  EXPECT_EQ(Cells(*store_).at("d/0180/2024").first_received_unix, b_at);

  // x withdrawn: its cell goes, and nothing is left to have a receipt.
  withdrawal.municipality_code = "0182";
  withdrawal.submission_id = "x";
  auto emptied = store_->ChangeReport(withdrawal);
  ASSERT_TRUE(emptied.ok()) << emptied.status();
  EXPECT_EQ(emptied->previous_cell_first_received_unix, 0);
  EXPECT_EQ(Cells(*store_).count("d/0182/2025"), 0u);

  Reopen();
  cells = Cells(*store_);
  EXPECT_EQ(cells.at("d/0180/2025").first_received_unix, b_at);
  EXPECT_EQ(cells.at("d/0180/2024").first_received_unix, b_at);
}

// Agencies are kept in id order; a create of a taken id and an update of an
// unknown one are refused; both survive reopening.
TEST_P(StoreContractTest, AgenciesAreStoredInIdOrderAndSurviveReopening) {
  ASSERT_TRUE(store_->PutAgency({"skolverket", "Statens skolverk", ""}, true).ok());
  ASSERT_TRUE(store_->PutAgency({"ivo", "IVO", ""}, true).ok());
  EXPECT_EQ(store_->PutAgency({"ivo", "Other", ""}, true).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->PutAgency({"okand", "Okänd", ""}, false).code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(
      store_->PutAgency({"ivo", "Inspektionen för vård och omsorg", "202100-6297"}, false).ok());
  Reopen();
  auto agencies = store_->LoadAgencies();
  ASSERT_TRUE(agencies.ok()) << agencies.status();
  const std::vector<Agency> expected = {
      {"ivo", "Inspektionen för vård och omsorg", "202100-6297"},
      {"skolverket", "Statens skolverk", ""}};
  EXPECT_EQ(*agencies, expected);
}

// A duty's place in its lifecycle (state, the consultation's last day, the
// expiry) and the reason a version gives are kept with the duty and each of
// its versions; a duty written without them is in force with no dates.
TEST_P(StoreContractTest, DutyLifecycleFieldsRoundTripThroughDutiesAndHistory) {
  Duty proposed = MakeDuty("p");
  proposed.state = DutyState::kProposed;
  proposed.consultation_until = "2025-09-30";
  proposed.expires_on = "2029-12-31";
  ASSERT_TRUE(store_
                  ->CreateDuty(proposed, {"agency:skolverket", DutyFieldNames(),
                                          "Förslag: ny uppgift, \"citat\""})
                  .ok());
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("q")).ok());  // no lifecycle fields set
  Duty consulted = proposed;
  consulted.state = DutyState::kInConsultation;
  ASSERT_TRUE(store_->UpdateDuty(consulted, {"arena", {"state"}, "Remiss till kommunerna"}).ok());
  Reopen();

  auto duties = store_->LoadDuties();
  ASSERT_TRUE(duties.ok()) << duties.status();
  ASSERT_EQ(duties->size(), 2u);
  const Duty& p = (*duties)[0];
  EXPECT_EQ(p.id, "p");
  EXPECT_EQ(p.state, DutyState::kInConsultation);
  EXPECT_EQ(p.consultation_until, "2025-09-30");
  EXPECT_EQ(p.expires_on, "2029-12-31");
  const Duty& q = (*duties)[1];
  EXPECT_EQ(q.state, DutyState::kInForce);
  EXPECT_EQ(q.consultation_until, "");
  EXPECT_EQ(q.expires_on, "");

  auto history = store_->LoadDutyHistory("p");
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].duty.state, DutyState::kProposed);
  EXPECT_EQ((*history)[0].duty.consultation_until, "2025-09-30");
  EXPECT_EQ((*history)[0].duty.expires_on, "2029-12-31");
  EXPECT_EQ((*history)[0].change.reason, "Förslag: ny uppgift, \"citat\"");
  EXPECT_EQ((*history)[1].duty.state, DutyState::kInConsultation);
  EXPECT_EQ((*history)[1].change.reason, "Remiss till kommunerna");
  EXPECT_EQ((*history)[1].change.changed_fields, std::vector<std::string>{"state"});
  auto plain = store_->LoadDutyHistory("q");
  ASSERT_TRUE(plain.ok()) << plain.status();
  ASSERT_EQ(plain->size(), 1u);
  EXPECT_EQ((*plain)[0].duty.state, DutyState::kInForce);
  EXPECT_EQ((*plain)[0].duty.expires_on, "");
  EXPECT_EQ((*plain)[0].change.reason, "");
}

ConsultationAnswer MakeAnswer(const std::string& duty_id, const std::string& municipality,
                              const std::string& comment = "Rimligt, åäö; \"citat\" {}") {
  ConsultationAnswer answer;
  answer.duty_id = duty_id;
  answer.municipality_code = municipality;
  answer.comment = comment;
  answer.estimated_minutes_per_report = 42.7;
  answer.already_reported_elsewhere = Answer::kYes;
  answer.already_reported_where = "SCB:s enkät";
  answer.answered_by = "municipality:" + municipality;
  return answer;
}

// One answer per duty and municipality: a new one replaces it. The store
// stamps each answer's time; answers load by duty, then municipality.
TEST_P(StoreContractTest, ConsultationAnswersAreReplacedPerMunicipalityAndLoadInOrder) {
  const int64_t before = absl::ToUnixSeconds(absl::Now());
  auto first = store_->PutConsultationAnswer(MakeAnswer("p", "0180"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_GE(first->answered_at_unix, before);
  ConsultationAnswer expected_first = MakeAnswer("p", "0180");
  expected_first.answered_at_unix = first->answered_at_unix;
  EXPECT_EQ(*first, expected_first);
  ASSERT_TRUE(store_->PutConsultationAnswer(MakeAnswer("p", "0114")).ok());
  ASSERT_TRUE(store_->PutConsultationAnswer(MakeAnswer("B", "1480")).ok());  // byte order

  ConsultationAnswer changed = MakeAnswer("p", "0180", "Nytt svar");
  changed.estimated_minutes_per_report = 0;
  changed.already_reported_elsewhere = Answer::kNo;
  changed.already_reported_where = "";
  changed.answered_by = "municipality:0180:ny";
  auto replaced = store_->PutConsultationAnswer(changed);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_GE(replaced->answered_at_unix, first->answered_at_unix);

  auto answers = store_->LoadConsultationAnswers();
  ASSERT_TRUE(answers.ok()) << answers.status();
  ASSERT_EQ(answers->size(), 3u);
  EXPECT_EQ((*answers)[0].duty_id, "B");
  EXPECT_EQ((*answers)[1].municipality_code, "0114");
  EXPECT_EQ((*answers)[1].estimated_minutes_per_report, 42.7);
  EXPECT_EQ((*answers)[2], *replaced);
  EXPECT_EQ((*answers)[2].comment, "Nytt svar");
  EXPECT_EQ((*answers)[2].already_reported_elsewhere, Answer::kNo);
  EXPECT_GT((*answers)[2].answered_at_unix, 1700000000);

  Reopen();
  auto reopened = store_->LoadConsultationAnswers();
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(*reopened, *answers);
}

DutyDecision MakeDecision(const std::string& duty_id, DecisionKind kind) {
  DutyDecision decision;
  decision.duty_id = duty_id;
  decision.kind = kind;
  decision.reason = "Arenans beslut, åäö; \"citat\"";
  decision.decided_on = "2025-10-15";
  decision.decided_by = "arena";
  if (kind == DecisionKind::kApprove || kind == DecisionKind::kRenew) {
    decision.expires_on = "2029-12-31";
    RecordedForecast& f = decision.forecast;
    f.minutes_per_report = 45.1;
    f.minutes_per_report_low = 30.25;
    f.minutes_per_report_high = 61.0 / 3;
    f.hours_per_year = 217.99999;
    f.hours_per_year_low = 145;
    f.hours_per_year_high = 0.1 + 0.2;
    f.agency_estimate = true;
    f.basis = "agency estimate: no comparable duty had reports";
  }
  if (kind == DecisionKind::kMerge) decision.merge_into = "q";
  return decision;
}

// Decisions are kept in the order recorded, every field with them; a
// decision with its duty changes the duty and adds its version with it; a
// decision on an unknown duty stores nothing.
TEST_P(StoreContractTest, DecisionsAreRecordedInOrderWithTheDutiesTheyChange) {
  Duty proposed = MakeDuty("p");
  proposed.state = DutyState::kInConsultation;
  proposed.consultation_until = "2025-09-30";
  ASSERT_TRUE(
      store_->CreateDuty(proposed, {"agency:skolverket", DutyFieldNames(), "Förslag"}).ok());
  ASSERT_TRUE(store_->CreateDuty(MakeDuty("q")).ok());

  // Without a duty: the decision alone.
  const int64_t before = absl::ToUnixSeconds(absl::Now());
  auto kept = store_->RecordDecision(MakeDecision("q", DecisionKind::kKeep), nullptr, {});
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_GT(kept->seq, 0);
  EXPECT_GE(kept->recorded_at_unix, before);

  // With its duty: the duty's new state and version in the same write.
  Duty approved = proposed;
  approved.state = DutyState::kInForce;
  approved.expires_on = "2029-12-31";
  auto approval = store_->RecordDecision(MakeDecision("p", DecisionKind::kApprove), &approved,
                                         {"arena", {"state", "expires_on"}, "Godkänd"});
  ASSERT_TRUE(approval.ok()) << approval.status();
  EXPECT_GT(approval->seq, kept->seq);
  DutyDecision expected = MakeDecision("p", DecisionKind::kApprove);
  expected.seq = approval->seq;
  expected.recorded_at_unix = approval->recorded_at_unix;
  EXPECT_EQ(*approval, expected);

  // An unknown duty: NOT_FOUND, and neither the decision nor a duty stored.
  Duty unknown = MakeDuty("nope");
  unknown.state = DutyState::kWithdrawn;
  auto refused = store_->RecordDecision(MakeDecision("nope", DecisionKind::kWithdraw), &unknown,
                                        {"arena", {"state"}, "Återkallad"});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(refused.status().message(), "duty \"nope\" not found");

  auto merged = store_->RecordDecision(MakeDecision("q", DecisionKind::kMerge), nullptr, {});
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_GT(merged->seq, approval->seq);

  auto check = [&] {
    auto decisions = store_->LoadDecisions();
    ASSERT_TRUE(decisions.ok()) << decisions.status();
    ASSERT_EQ(decisions->size(), 3u);
    EXPECT_EQ((*decisions)[0], *kept);
    EXPECT_EQ((*decisions)[1], *approval);
    EXPECT_EQ((*decisions)[1].forecast, MakeDecision("p", DecisionKind::kApprove).forecast);
    EXPECT_EQ((*decisions)[2], *merged);
    EXPECT_EQ((*decisions)[2].merge_into, "q");

    auto duties = store_->LoadDuties();
    ASSERT_TRUE(duties.ok()) << duties.status();
    ASSERT_EQ(duties->size(), 2u);  // "nope" was not created
    EXPECT_EQ((*duties)[0].state, DutyState::kInForce);
    EXPECT_EQ((*duties)[0].expires_on, "2029-12-31");
    EXPECT_EQ((*duties)[0].consultation_until, "2025-09-30");
    auto history = store_->LoadDutyHistory("p");
    ASSERT_TRUE(history.ok()) << history.status();
    ASSERT_EQ(history->size(), 2u);
    EXPECT_EQ(history->back().version, 2);
    EXPECT_EQ(history->back().duty.state, DutyState::kInForce);
    EXPECT_EQ(history->back().duty.expires_on, "2029-12-31");
    EXPECT_EQ(history->back().change.changed_by, "arena");
    EXPECT_EQ(history->back().change.reason, "Godkänd");
    EXPECT_EQ(store_->LoadDutyHistory("q")->size(), 1u);  // decisions alone add no version
    EXPECT_TRUE(store_->LoadDutyHistory("nope")->empty());
  };
  check();
  Reopen();
  check();
}

// Reports committed just before a change are in the cells it moves (the
// SQLite store adds reports to its cells after their commits).
TEST_P(StoreContractTest, AChangeRightAfterTheCommitMovesCellsThatHoldTheReport) {
  for (int i = 0; i < 20; ++i) {
    store_->SubmitReportsAndWait({MakeReport("r" + std::to_string(i), 10, "0180", "2025")});
    ReportChange change;
    change.corrected = MakeReport("r" + std::to_string(i), 11, "0180", "2025");
    change.reason = "r";
    ASSERT_TRUE(store_->ChangeReport(change).ok());
  }
  EXPECT_EQ(Cells(*store_).at("d/0180/2025").reports, 20);
  EXPECT_EQ(Cells(*store_).at("d/0180/2025").minutes, 220);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest,
                         ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// --- What only the shared store promises ---

class SharedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    uri_ = testing::PostgresServer::NewSharedDatabase(&why);
    ASSERT_FALSE(uri_.empty()) << why;
  }
  std::unique_ptr<Store> Open() {
    PostgresStoreOptions options;
    options.uri = uri_;
    auto store = OpenPostgresStore(options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }
  std::string uri_;
};

TEST_F(SharedStoreTest, ReplicasStartingTogetherMigrateOnce) {
  std::vector<std::unique_ptr<Store>> stores(4);
  std::vector<std::thread> threads;
  for (auto& store : stores) threads.emplace_back([&] { store = Open(); });
  for (auto& thread : threads) thread.join();
  for (auto& store : stores) {
    ASSERT_NE(store, nullptr);
    EXPECT_TRUE(store->IsShared());
    EXPECT_EQ(*store->CountReports(), 0);
  }
}

TEST_F(SharedStoreTest, NewerSchemaIsRefused) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
  }
  // A later inrapportd migrated this database.
  const std::string command =
      "psql -q -d '" + uri_ + "' -c 'INSERT INTO schema_migrations (version) VALUES (99)'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  PostgresStoreOptions options;
  options.uri = uri_;
  auto refused = OpenPostgresStore(options);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("schema version 99"));
}

TEST_F(SharedStoreTest, UnreachableServerIsUnavailableAndPasswordIsNotShown) {
  PostgresStoreOptions options;
  options.uri = "postgresql://someone:secret@127.0.0.1:1/none?connect_timeout=2";
  auto store = OpenPostgresStore(options);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(store.status().message()), ::testing::Not(HasSubstr("secret")));
  EXPECT_EQ(RedactedUri(options.uri), "postgresql://someone:****@127.0.0.1:1/none?connect_timeout=2");
  EXPECT_TRUE(IsPostgresUri("postgres://h/db"));
  EXPECT_FALSE(IsPostgresUri("/var/lib/inrapport/inrapport.db"));
}

// Retries of one submission reaching two replicas at the same moment: the
// database decides, each report is counted once, and a conflicting retry is
// ALREADY_EXISTS whichever replica answers.
TEST_F(SharedStoreTest, RetriesRacingThroughTwoReplicasAreCountedOnce) {
  auto a = Open();
  auto b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kReports = 400;
  constexpr int kThreadsPerReplica = 4;
  std::atomic<int> accepted{0}, duplicates{0}, conflicts{0}, other{0};
  auto run = [&](Store* store, int thread) {
    // Every thread walks all ids in its own order, in batches of 8; odd ids
    // carry replica-specific minutes, so one of the two contents conflicts.
    for (int start = 0; start < kReports; start += 8) {
      std::vector<Report> batch;
      for (int k = 0; k < 8; ++k) {
        const int i = (start + k + thread * 37) % kReports;
        batch.push_back(MakeReport("r" + std::to_string(i),
                                   i % 2 == 1 && store == b.get() ? 2 : 1));
      }
      for (const auto& result : store->SubmitReportsAndWait(batch)) {
        if (result.ok()) {
          (result->outcome == SubmitOutcome::kAccepted ? accepted : duplicates)++;
        } else if (result.status().code() == absl::StatusCode::kAlreadyExists) {
          ++conflicts;
        } else {
          ++other;
          ADD_FAILURE() << result.status();
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreadsPerReplica; ++t) {
    threads.emplace_back(run, a.get(), t);
    threads.emplace_back(run, b.get(), t + kThreadsPerReplica);
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), kReports);
  EXPECT_EQ(other.load(), 0);
  EXPECT_GT(conflicts.load(), 0);
  EXPECT_EQ(accepted + duplicates + conflicts, kReports * kThreadsPerReplica * 2);
  EXPECT_EQ(*a->CountReports(), kReports);
  int64_t minutes = 0;
  for (int i = 0; i < kReports; ++i) minutes += a->GetReport("0180", "r" + std::to_string(i))->report.minutes_spent;
  EXPECT_EQ(Cells(*b).at("d/0180/2025").reports, kReports);
  EXPECT_EQ(Cells(*b).at("d/0180/2025").minutes, minutes);
  EXPECT_EQ(a->GetStats().committed_reports + b->GetStats().committed_reports, kReports);
}

// The feed returns every report exactly once while two replicas write, and
// a startup snapshot plus the feed after it count everything once.
TEST_F(SharedStoreTest, StartupSnapshotAndChangeFeedCountEveryReportOnce) {
  auto a = Open();
  auto b = Open();
  auto follower = Open();
  ASSERT_NE(follower, nullptr);
  ASSERT_TRUE(a->CreateDuty(MakeDuty("d")).ok());
  for (int i = 0; i < 50; ++i) a->SubmitReportsAndWait({MakeReport("early" + std::to_string(i))});

  std::atomic<bool> writing{true};
  std::vector<std::thread> writers;
  constexpr int kPerWriter = 300;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      Store* store = w % 2 == 0 ? a.get() : b.get();
      for (int i = 0; i < kPerWriter; ++i) {
        // Each id is sent by two writers, one per replica.
        store->SubmitReportsAndWait({MakeReport("w" + std::to_string(w / 2) + "-" +
                                                std::to_string(i))});
      }
    });
  }
  ASSERT_TRUE(follower->BeginStartupSnapshot().ok());
  int64_t counted = 0;
  ASSERT_TRUE(follower->ForEachBurdenCell([&](const BurdenCell& c) { counted += c.reports; }).ok());
  const int64_t in_snapshot = *follower->CountReports();
  EXPECT_EQ(counted, in_snapshot);
  ASSERT_TRUE(follower->EndStartupSnapshot().ok());

  std::set<std::string> seen;
  auto poll = [&] {
    auto changes = follower->ReadChanges();
    ASSERT_TRUE(changes.ok()) << changes.status();
    for (const Report& r : changes->reports) {
      EXPECT_TRUE(seen.insert(r.submission_id).second) << r.submission_id << " came twice";
      ++counted;
    }
  };
  std::thread poller([&] {
    while (writing) poll();
  });
  for (auto& writer : writers) writer.join();
  writing = false;
  poller.join();
  poll();
  EXPECT_EQ(counted, 50 + 2 * kPerWriter);
  EXPECT_EQ(*follower->CountReports(), counted);
  poll();
  EXPECT_EQ(counted, 50 + 2 * kPerWriter);
}

// Changes reach other replicas through the feed exactly once: a change to a
// report the follower counted comes as the version it counted and the
// version stored now; a report new to the follower comes as it is now.
TEST_F(SharedStoreTest, ChangeFeedCarriesCorrectionsAndWithdrawalsOnce) {
  auto a = Open();
  auto follower = Open();
  ASSERT_NE(follower, nullptr);
  a->SubmitReportsAndWait({MakeReport("x", 10, "0180", "2025"), MakeReport("y", 20, "0180", "2025")});
  ASSERT_TRUE(follower->BeginStartupSnapshot().ok());
  ASSERT_TRUE(follower->EndStartupSnapshot().ok());

  ReportChange correct;
  correct.corrected = MakeReport("x", 30, "0180", "2025");
  correct.reason = "r";
  ASSERT_TRUE(a->ChangeReport(correct).ok());
  correct.corrected.minutes_spent = 40;  // twice between two reads
  ASSERT_TRUE(a->ChangeReport(correct).ok());
  ReportChange withdraw;
  withdraw.kind = ChangeKind::kWithdrawal;
  withdraw.municipality_code = "0180";
  withdraw.submission_id = "y";
  withdraw.reason = "r";
  ASSERT_TRUE(a->ChangeReport(withdraw).ok());
  // New to the follower and corrected before it reads: only as it is now.
  a->SubmitReportsAndWait({MakeReport("z", 5, "0180", "2025")});
  correct.corrected = MakeReport("z", 6, "0180", "2025");
  ASSERT_TRUE(a->ChangeReport(correct).ok());

  auto changes = follower->ReadChanges();
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->reports.size(), 1u);
  EXPECT_EQ(changes->reports[0].minutes_spent, 6);
  ASSERT_EQ(changes->revisions.size(), 2u);
  std::map<std::string, ReportRevision> by_id;
  for (const ReportRevision& r : changes->revisions) by_id[r.before.submission_id] = r;
  EXPECT_EQ(by_id.at("x").before.minutes_spent, 10);
  ASSERT_TRUE(by_id.at("x").after.has_value());
  EXPECT_EQ(by_id.at("x").after->minutes_spent, 40);
  EXPECT_EQ(by_id.at("y").before.minutes_spent, 20);
  EXPECT_FALSE(by_id.at("y").after.has_value());
  // Each revision carries the report's first receipt and the first receipt
  // its old cell holds now (x's: y is gone from it, x and z stay).
  const int64_t x_at = a->GetReport("0180", "x")->receipt.received_at_unix;
  EXPECT_EQ(by_id.at("x").received_at_unix, x_at);
  EXPECT_EQ(by_id.at("y").received_at_unix, a->GetReport("0180", "y")->receipt.received_at_unix);
  EXPECT_EQ(by_id.at("y").before_cell_first_received_unix, x_at);

  auto later = follower->ReadChanges();
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_TRUE(later->reports.empty());
  EXPECT_TRUE(later->revisions.empty());
}

TEST_F(SharedStoreTest, ChangeFeedCarriesDutiesAndUses) {
  auto a = Open();
  auto follower = Open();
  auto first = follower->ReadChanges();  // from an empty database
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->duties.empty());
  ASSERT_TRUE(a->PutAgency({"skolverket", "Statens skolverk", ""}, true).ok());
  ASSERT_TRUE(a->CreateDuty(MakeDuty("d")).ok());
  ASSERT_TRUE(a->RecordUse(MakeUse("d", "u")).ok());
  auto created = follower->ReadChanges();
  ASSERT_TRUE(created.ok());
  const std::vector<Agency> agencies = {{"skolverket", "Statens skolverk", ""}};
  EXPECT_EQ(created->agencies, agencies);
  ASSERT_EQ(created->duties.size(), 1u);
  EXPECT_EQ(created->duties[0].data_items, MakeDuty("d").data_items);
  EXPECT_EQ(created->duties[0].respondents, MakeDuty("d").respondents);
  ASSERT_EQ(created->uses.size(), 1u);
  EXPECT_EQ(created->uses[0], MakeUse("d", "u"));
  Duty changed = MakeDuty("d");
  changed.purpose = "";
  ASSERT_TRUE(a->UpdateDuty(changed).ok());
  auto updated = follower->ReadChanges();
  ASSERT_TRUE(updated.ok());
  ASSERT_EQ(updated->duties.size(), 1u);
  EXPECT_EQ(updated->duties[0].purpose, "");
}

// Consultation answers and decisions written through one replica reach
// another through the feed: an answer new or replaced, a decision once, and
// the duty a decision changed with its new state.
TEST_F(SharedStoreTest, ChangeFeedCarriesConsultationAnswersAndDecisions) {
  auto a = Open();
  auto follower = Open();
  ASSERT_NE(follower, nullptr);
  auto first = follower->ReadChanges();  // from an empty database
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->answers.empty());
  EXPECT_TRUE(first->decisions.empty());

  Duty proposed = MakeDuty("p");
  proposed.state = DutyState::kInConsultation;
  proposed.consultation_until = "2025-09-30";
  ASSERT_TRUE(a->CreateDuty(proposed).ok());
  ConsultationAnswer answer;
  answer.duty_id = "p";
  answer.municipality_code = "0180";
  answer.comment = "Rimligt";
  answer.estimated_minutes_per_report = 20.5;
  answer.answered_by = "municipality:0180";
  auto stored_0180 = a->PutConsultationAnswer(answer);
  ASSERT_TRUE(stored_0180.ok()) << stored_0180.status();
  answer.municipality_code = "0114";
  auto stored_0114 = a->PutConsultationAnswer(answer);
  ASSERT_TRUE(stored_0114.ok()) << stored_0114.status();
  // Answers may come again (a transaction running elsewhere holds the
  // feed back): the follower applies them by key, as it would.
  std::map<std::string, ConsultationAnswer> answers;
  auto apply = [&](const Store::Changes& changes) {
    for (const ConsultationAnswer& a : changes.answers) answers[a.municipality_code] = a;
  };
  auto created = follower->ReadChanges();
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->answers, (std::vector<ConsultationAnswer>{*stored_0114, *stored_0180}));
  apply(*created);
  ASSERT_EQ(created->duties.size(), 1u);
  EXPECT_EQ(created->duties[0].state, DutyState::kInConsultation);
  EXPECT_EQ(created->duties[0].consultation_until, "2025-09-30");

  // A replaced answer comes again; a decision with its duty comes once,
  // with the duty as the decision left it.
  answer.municipality_code = "0180";
  answer.comment = "Nytt svar";
  auto replaced = a->PutConsultationAnswer(answer);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  DutyDecision decision;
  decision.duty_id = "p";
  decision.kind = DecisionKind::kApprove;
  decision.reason = "Godkänd";
  decision.decided_on = "2025-10-15";
  decision.decided_by = "arena";
  decision.expires_on = "2029-12-31";
  decision.forecast.minutes_per_report = 21.25;
  decision.forecast.hours_per_year_high = 0.1 + 0.2;
  decision.forecast.agency_estimate = true;
  decision.forecast.basis = "agency estimate";
  Duty approved = proposed;
  approved.state = DutyState::kInForce;
  approved.expires_on = "2029-12-31";
  auto recorded = a->RecordDecision(decision, &approved, {"arena", {"state"}, "Godkänd"});
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  auto decided = follower->ReadChanges();
  ASSERT_TRUE(decided.ok()) << decided.status();
  apply(*decided);
  EXPECT_EQ(answers, (std::map<std::string, ConsultationAnswer>{{"0114", *stored_0114},
                                                                {"0180", *replaced}}));
  EXPECT_EQ(decided->decisions, std::vector<DutyDecision>{*recorded});
  ASSERT_EQ(decided->duties.size(), 1u);
  EXPECT_EQ(decided->duties[0].state, DutyState::kInForce);
  EXPECT_EQ(decided->duties[0].expires_on, "2029-12-31");

  auto later = follower->ReadChanges();
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_TRUE(later->decisions.empty());  // each decision once

  // A replica that starts now loads the decision, and its feed does not
  // return it again.
  auto starting = Open();
  ASSERT_NE(starting, nullptr);
  ASSERT_TRUE(starting->BeginStartupSnapshot().ok());
  auto loaded = starting->LoadDecisions();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(*loaded, std::vector<DutyDecision>{*recorded});
  ASSERT_TRUE(starting->EndStartupSnapshot().ok());
  auto after_start = starting->ReadChanges();
  ASSERT_TRUE(after_start.ok()) << after_start.status();
  EXPECT_TRUE(after_start->decisions.empty());
}

// A session of its own on the test database, for what another client does.
using Session = testing::PostgresSession;

// The lock every inrapportd takes to migrate (postgres_store.cc).
constexpr const char* kMigrationLock = "7310482915";

// A replica that starts while another migrates slowly waits for it far
// beyond the lock timeout of writes, up to the migration wait, and then
// fails with UNAVAILABLE saying what it waited for.
TEST_F(SharedStoreTest, AStartWaitsForASlowMigrationBeyondTheLockTimeout) {
  ASSERT_NE(Open(), nullptr);  // the schema exists: the waiter then only checks it
  Session migrating(uri_);
  ASSERT_TRUE(migrating.Run("BEGIN"));
  ASSERT_TRUE(migrating.Run(std::string("SELECT pg_advisory_xact_lock(") + kMigrationLock + ")"));
  PostgresStoreOptions options;
  options.uri = uri_;
  options.lock_timeout_ms = 100;
  std::atomic<bool> opened{false};
  absl::StatusOr<std::unique_ptr<Store>> waiter = absl::UnknownError("not opened");
  std::thread start([&] {
    waiter = OpenPostgresStore(options);
    opened = true;
  });
  // The waiter's session is queued on the lock ...
  Session observer(uri_);
  const std::string waiting =
      "SELECT count(*) FROM pg_locks JOIN pg_database d ON d.oid = database "
      "WHERE locktype = 'advisory' AND NOT granted AND d.datname = current_database()";
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (observer.Value(waiting) != "1" && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(observer.Value(waiting), "1") << "the start never waited for the lock";
  // ... and still waiting ten lock timeouts later.
  bool returned_early = false;
  const auto queued = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - queued < std::chrono::milliseconds(1000)) {
    if (opened) {
      returned_early = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Released and joined before any assertion can end the test.
  EXPECT_TRUE(migrating.Run("COMMIT"));
  start.join();
  EXPECT_FALSE(returned_early) << "the start stopped waiting: " << waiter.status();
  ASSERT_TRUE(waiter.ok()) << waiter.status();
  EXPECT_EQ(*(*waiter)->CountReports(), 0);

  // A migration that outlasts the migration wait stops the start.
  ASSERT_TRUE(migrating.Run("BEGIN"));
  ASSERT_TRUE(migrating.Run(std::string("SELECT pg_advisory_xact_lock(") + kMigrationLock + ")"));
  options.migration_wait_ms = 200;
  auto refused = OpenPostgresStore(options);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable) << refused.status();
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("another inrapportd's schema migration"));
  ASSERT_TRUE(migrating.Run("ROLLBACK"));
}

TEST_F(SharedStoreTest, ALockNotGrantedInTimeIsUnavailableStoresNothingAndRecovers) {
  PostgresStoreOptions options;
  options.uri = uri_;
  options.lock_timeout_ms = 100;
  auto opened = OpenPostgresStore(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  Store& store = **opened;
  ASSERT_EQ(store.SubmitReportsAndWait({MakeReport("a")})[0].value().outcome, SubmitOutcome::kAccepted);
  {
    Session maintenance(uri_);
    ASSERT_TRUE(maintenance.Run("BEGIN"));
    ASSERT_TRUE(maintenance.Run("LOCK TABLE reports IN ACCESS EXCLUSIVE MODE"));
    auto failed = store.SubmitReportsAndWait({MakeReport("b"), MakeReport("c", 7)});
    EXPECT_EQ(failed[0].status().code(), absl::StatusCode::kUnavailable) << failed[0].status();
    EXPECT_EQ(failed[1].status().code(), absl::StatusCode::kUnavailable);
    EXPECT_THAT(std::string(failed[0].status().message()), HasSubstr("nothing of this batch"));
    ASSERT_TRUE(maintenance.Run("ROLLBACK"));
  }
  EXPECT_EQ(store.GetStats().failed_commits, 1);
  EXPECT_EQ(*store.CountReports(), 1);
  EXPECT_EQ(Cells(store).at("d/0180/2025").reports, 1);
  EXPECT_EQ(store.SubmitReportsAndWait({MakeReport("b")})[0].value().outcome, SubmitOutcome::kAccepted);
}

// A decision whose write fails after the duty's update (here its table is
// locked past the lock timeout) leaves the duty as it was: both or neither.
TEST_F(SharedStoreTest, ADecisionThatCannotBeStoredLeavesItsDutyUnchanged) {
  PostgresStoreOptions options;
  options.uri = uri_;
  options.lock_timeout_ms = 100;
  auto opened = OpenPostgresStore(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  Store& store = **opened;
  Duty proposed = MakeDuty("p");
  proposed.state = DutyState::kInConsultation;
  ASSERT_TRUE(store.CreateDuty(proposed).ok());
  Duty approved = proposed;
  approved.state = DutyState::kInForce;
  DutyDecision decision;
  decision.duty_id = "p";
  decision.kind = DecisionKind::kApprove;
  {
    Session maintenance(uri_);
    ASSERT_TRUE(maintenance.Run("BEGIN"));
    ASSERT_TRUE(maintenance.Run("LOCK TABLE duty_decisions IN ACCESS EXCLUSIVE MODE"));
    auto failed = store.RecordDecision(decision, &approved, {"arena", {"state"}, "Godkänd"});
    EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
    ASSERT_TRUE(maintenance.Run("ROLLBACK"));
  }
  EXPECT_EQ(store.LoadDuties()->front().state, DutyState::kInConsultation);
  EXPECT_EQ(store.LoadDutyHistory("p")->size(), 1u);
  EXPECT_TRUE(store.LoadDecisions()->empty());
  // And it recovers.
  ASSERT_TRUE(store.RecordDecision(decision, &approved, {"arena", {"state"}, "Godkänd"}).ok());
  EXPECT_EQ(store.LoadDuties()->front().state, DutyState::kInForce);
  EXPECT_EQ(store.LoadDecisions()->size(), 1u);
}

// A feed read that cannot proceed (here: a maintenance lock, with a lock
// timeout longer than the read's) fails within the feed read timeout instead
// of holding back the replica, and the next read returns what it missed.
TEST_F(SharedStoreTest, AStalledFeedReadFailsWithinItsTimeoutAndTheNextCatchesUp) {
  auto writer = Open();
  ASSERT_NE(writer, nullptr);
  PostgresStoreOptions options;
  options.uri = uri_;
  options.lock_timeout_ms = 30000;  // ends the read if the feed's own bound does not
  options.feed_read_timeout_ms = 200;
  auto opened = OpenPostgresStore(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  Store& follower = **opened;
  ASSERT_TRUE(follower.ReadChanges().ok());
  ASSERT_EQ(writer->SubmitReportsAndWait({MakeReport("a")})[0].value().outcome, SubmitOutcome::kAccepted);
  {
    Session maintenance(uri_);
    ASSERT_TRUE(maintenance.Run("BEGIN"));
    ASSERT_TRUE(maintenance.Run("LOCK TABLE reports IN ACCESS EXCLUSIVE MODE"));
    const auto started = std::chrono::steady_clock::now();
    auto stalled = follower.ReadChanges();
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(stalled.status().code(), absl::StatusCode::kUnavailable) << stalled.status();
    EXPECT_THAT(std::string(stalled.status().message()), HasSubstr("statement timeout"));
    // Well below the lock timeout: the feed's own bound ended it.
    EXPECT_LT(took, std::chrono::seconds(15));
    ASSERT_TRUE(maintenance.Run("ROLLBACK"));
  }
  auto caught_up = follower.ReadChanges();
  ASSERT_TRUE(caught_up.ok()) << caught_up.status();
  ASSERT_EQ(caught_up->reports.size(), 1u);
  EXPECT_EQ(caught_up->reports[0].submission_id, "a");
}

// The server ends every session (a restart, a failover): the next write and
// read reconnect and succeed.
TEST_F(SharedStoreTest, LostConnectionsAreReestablished) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_EQ(store->SubmitReportsAndWait({MakeReport("a")})[0].value().outcome, SubmitOutcome::kAccepted);
  Session admin(uri_);
  ASSERT_TRUE(admin.Run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"));
  auto after = store->SubmitReportsAndWait({MakeReport("b")});
  ASSERT_TRUE(after[0].ok()) << after[0].status();
  EXPECT_EQ(after[0]->outcome, SubmitOutcome::kAccepted);
  auto count = store->CountReports();
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, 2);
  EXPECT_TRUE(store->ReadChanges().ok());
  EXPECT_EQ(Cells(*store).at("d/0180/2025").reports, 2);
}

// A TCP proxy in front of the test server. Once armed, it forwards the next
// COMMIT and then cuts the connection before the server's answer reaches the
// client: the transaction is committed, and the client cannot know. Speaks
// just enough of the wire protocol to find message boundaries (clients must
// connect with sslmode=disable and gssencmode=disable).
class CommitAnswerCutter {
 public:
  explicit CommitAnswerCutter(int server_port) : server_port_(server_port) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        listen(listen_fd_, 16) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "proxy: cannot listen";
      return;
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }
  ~CommitAnswerCutter() {
    shutdown(listen_fd_, SHUT_RDWR);  // ends accept()
    if (acceptor_.joinable()) acceptor_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& c : connections_) {
        shutdown(c->client, SHUT_RDWR);
        shutdown(c->server, SHUT_RDWR);
      }
      threads.swap(threads_);
    }
    for (auto& thread : threads) thread.join();
    for (const auto& c : connections_) {
      close(c->client);
      close(c->server);
    }
    close(listen_fd_);
  }

  int port() const { return port_; }
  void CutAfterNextCommit() { armed_ = true; }
  // While refusing, new connections are closed as soon as they are accepted.
  void RefuseNewConnections(bool refuse) { refusing_ = refuse; }
  // Connections cut after a COMMIT the server answered.
  int cuts() const { return cuts_; }

 private:
  struct Connection {
    int client = -1;
    int server = -1;
    std::atomic<bool> cut{false};  // a COMMIT went through: drop its answer
  };

  static bool ReadFull(int fd, char* data, size_t size) {
    while (size > 0) {
      const ssize_t n = read(fd, data, size);
      if (n <= 0) return false;
      data += n;
      size -= static_cast<size_t>(n);
    }
    return true;
  }
  // MSG_NOSIGNAL: a peer that already closed its end is an error here, not a
  // SIGPIPE that ends the test process.
  static bool WriteFull(int fd, const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }
  static uint32_t Length(const char* p) {
    return (uint32_t{static_cast<uint8_t>(p[0])} << 24) |
           (uint32_t{static_cast<uint8_t>(p[1])} << 16) |
           (uint32_t{static_cast<uint8_t>(p[2])} << 8) | uint32_t{static_cast<uint8_t>(p[3])};
  }
  // One message: `header` bytes (type and/or length), the length counting
  // itself and what follows.
  static bool ReadMessage(int fd, size_t header, std::string* message) {
    message->assign(header, '\0');
    if (!ReadFull(fd, message->data(), header)) return false;
    const uint32_t length = Length(message->data() + header - 4);
    if (length < 4 || length > (64u << 20)) return false;
    message->resize(header + length - 4);
    return ReadFull(fd, message->data() + header, length - 4);
  }

  void AcceptLoop() {
    while (true) {
      const int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) return;
      if (refusing_) {
        close(client);
        continue;
      }
      auto c = std::make_shared<Connection>();
      c->client = client;
      c->server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(static_cast<uint16_t>(server_port_));
      if (connect(c->server, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        shutdown(c->client, SHUT_RDWR);
      }
      std::lock_guard<std::mutex> lock(mu_);
      connections_.push_back(c);
      threads_.emplace_back([this, c] { ClientToServer(*c); });
      threads_.emplace_back([this, c] { ServerToClient(*c); });
    }
  }

  void ClientToServer(Connection& c) {
    std::string message;
    // The startup message has no type byte.
    if (ReadMessage(c.client, 4, &message) && WriteFull(c.server, message)) {
      while (ReadMessage(c.client, 5, &message)) {
        if (message[0] == 'Q' && message.compare(5, 6, "COMMIT") == 0 && armed_.exchange(false)) {
          c.cut = true;
        }
        if (!WriteFull(c.server, message)) break;
      }
    }
    shutdown(c.server, SHUT_RDWR);
  }

  void ServerToClient(Connection& c) {
    std::string message;
    while (ReadMessage(c.server, 5, &message)) {
      if (c.cut) {
        // The server has committed once it is ready for the next query.
        if (message[0] == 'Z') {
          ++cuts_;
          break;
        }
        continue;
      }
      if (!WriteFull(c.client, message)) break;
    }
    shutdown(c.client, SHUT_RDWR);
    shutdown(c.server, SHUT_RDWR);
  }

  const int server_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> armed_{false};
  std::atomic<bool> refusing_{false};
  std::atomic<int> cuts_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::shared_ptr<Connection>> connections_;
  std::vector<std::thread> threads_;
};

// A store on its own database, connected through a CommitAnswerCutter,
// that has stored one report ("before").
class LostCommitAnswerTest : public SharedStoreTest {
 protected:
  void SetUp() override {
    SharedStoreTest::SetUp();
    if (HasFatalFailure()) return;
    std::string why;
    testing::PostgresServer* server = testing::PostgresServer::Shared(&why);
    ASSERT_NE(server, nullptr) << why;
    proxy_ = std::make_unique<CommitAnswerCutter>(server->port());
    ASSERT_NE(proxy_->port(), 0);
    const std::string database = uri_.substr(uri_.rfind('/') + 1);
    PostgresStoreOptions options;
    options.uri = "postgresql://inrapport@127.0.0.1:" + std::to_string(proxy_->port()) + "/" +
                  database + "?sslmode=disable&gssencmode=disable";
    auto opened = OpenPostgresStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
    ASSERT_EQ(store_->SubmitReportsAndWait({MakeReport("before")})[0].value().outcome,
              SubmitOutcome::kAccepted);
  }
  void TearDown() override {
    store_.reset();  // before the proxy its connections go through
    proxy_.reset();
  }
  std::unique_ptr<CommitAnswerCutter> proxy_;
  std::unique_ptr<Store> store_;
};

// The connection is lost after the server committed a batch but before the
// store heard so: the store retries, finds the reports its own first
// attempt stored, and answers them accepted, as the lost answer would have;
// nothing is counted twice, and a later retry is a duplicate.
TEST_F(LostCommitAnswerTest, ABatchWhoseCommitAnswerIsLostIsStillAnsweredAccepted) {
  Store& store = *store_;
  CommitAnswerCutter& proxy = *proxy_;
  proxy.CutAfterNextCommit();
  const auto results =
      store.SubmitReportsAndWait({MakeReport("a"), MakeReport("b", 45), MakeReport("a")});
  EXPECT_EQ(proxy.cuts(), 1);
  ASSERT_TRUE(results[0].ok()) << results[0].status();
  ASSERT_TRUE(results[1].ok()) << results[1].status();
  ASSERT_TRUE(results[2].ok()) << results[2].status();
  EXPECT_EQ(results[0]->outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(results[1]->outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(results[2]->outcome, SubmitOutcome::kDuplicate);  // a repeat inside the batch
  EXPECT_EQ(*store.CountReports(), 3);
  EXPECT_EQ(Cells(store).at("d/0180/2025").reports, 3);
  EXPECT_EQ(Cells(store).at("d/0180/2025").minutes, 30 + 30 + 45);
  EXPECT_EQ(store.GetStats().committed_reports, 3);
  EXPECT_EQ(store.SubmitReportsAndWait({MakeReport("a")})[0].value().outcome, SubmitOutcome::kDuplicate);
}

// The COMMIT answer is lost and the database cannot be reached again before
// the store gives up: the sender is not told "nothing was stored", which
// would be false, but that the batch may be stored; its retry finds the
// stored reports duplicates, counted once.
TEST_F(LostCommitAnswerTest, ABatchWhoseCommitOutcomeCannotBeLearntSaysItMayBeStored) {
  Store& store = *store_;
  CommitAnswerCutter& proxy = *proxy_;
  proxy.CutAfterNextCommit();
  proxy.RefuseNewConnections(true);
  const auto results = store.SubmitReportsAndWait({MakeReport("a"), MakeReport("b", 45)});
  EXPECT_EQ(proxy.cuts(), 1);
  for (const auto& result : results) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
    const std::string message(result.status().message());
    EXPECT_THAT(message, HasSubstr("may have been stored"));
    EXPECT_THAT(message, HasSubstr("same submission ids"));
    EXPECT_THAT(message, Not(HasSubstr("nothing of this batch")));
  }
  EXPECT_EQ(store.GetStats().committed_reports, 1);  // nothing acknowledged

  proxy.RefuseNewConnections(false);
  const auto retried = store.SubmitReportsAndWait({MakeReport("a"), MakeReport("b", 45)});
  ASSERT_TRUE(retried[0].ok()) << retried[0].status();
  ASSERT_TRUE(retried[1].ok()) << retried[1].status();
  EXPECT_EQ(retried[0]->outcome, SubmitOutcome::kDuplicate);
  EXPECT_EQ(retried[1]->outcome, SubmitOutcome::kDuplicate);
  EXPECT_EQ(*store.CountReports(), 3);
  EXPECT_EQ(Cells(store).at("d/0180/2025").reports, 3);
  EXPECT_EQ(Cells(store).at("d/0180/2025").minutes, 30 + 30 + 45);
}

TEST(SqliteStoreIsNotShared, HasNoChangeFeed) {
  SqliteBackend backend;
  auto store = backend.Open();
  ASSERT_TRUE(store.ok());
  EXPECT_FALSE((*store)->IsShared());
  EXPECT_EQ((*store)->ReadChanges().status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace inrapport
