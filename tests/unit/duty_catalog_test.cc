#include "common/catalog/duty_catalog.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/domain/period.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/accept_reports.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing::FakeStore;
using testing::ExampleReport;

// An example duty whose data items are its own, so that duties of different
// agencies never overlap unless a test says so.
Duty ExampleDuty(std::string id = "ivo-ej-verkstallda-beslut", std::string agency = "ivo",
                 std::string purpose = "IVO judges whether to seek a special fee.") {
  Duty duty = testing::ExampleDuty(id, std::move(agency), std::move(purpose));
  duty.data_items = {id + "_item"};
  return duty;
}

class DutyCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    aggregates_ = std::move(*Aggregates::Load(store_));
    auto catalog = DutyCatalog::Load(&store_, aggregates_.get());
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = std::move(*catalog);
  }
  FakeStore store_;
  std::unique_ptr<Aggregates> aggregates_;
  std::unique_ptr<DutyCatalog> catalog_;  // listens to aggregates_
};

TEST_F(DutyCatalogTest, CreateReturnsTheDutyWithItsFlags) {
  auto created = catalog_->Create(ExampleDuty("a", "ivo", ""));
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->flags.size(), 1u);
  EXPECT_EQ(created->flags[0].code, "NO_STATED_PURPOSE");
  auto got = catalog_->Get("a");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->flags, created->flags);
}

TEST_F(DutyCatalogTest, ClientSuppliedFlagsAreIgnored) {
  Duty duty = ExampleDuty();
  duty.flags.push_back({"MADE_UP", "x", {}, "x"});
  auto created = catalog_->Create(duty);
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(created->flags.empty());
}

TEST_F(DutyCatalogTest, UpdateStatingAPurposeClearsTheFlag) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("a", "ivo", "")).ok());
  auto updated = catalog_->Update(ExampleDuty("a", "ivo", "Used by IVO to decide on fees."));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_TRUE(updated->flags.empty());
  EXPECT_FALSE(catalog_->Find("a")->flagged());
}

TEST_F(DutyCatalogTest, CreateTwiceIsAlreadyExists) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("a")).ok());
  auto again = catalog_->Create(ExampleDuty("a"));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr("\"a\""));
}

TEST_F(DutyCatalogTest, UpdateOfUnknownDutyIsNotFound) {
  EXPECT_EQ(catalog_->Update(ExampleDuty("nope")).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(catalog_->Get("nope").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(DutyCatalogTest, InvalidDutyChangesNothing) {
  Duty duty = ExampleDuty("a");
  duty.sector = Sector::kUnspecified;
  auto created = catalog_->Create(duty);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(created.status().message()), StartsWith("duty.sector"));
  EXPECT_EQ(catalog_->Find("a"), nullptr);
  EXPECT_TRUE(store_.LoadDuties()->empty());
}

TEST_F(DutyCatalogTest, StoreFailureLeavesCatalogueUnchanged) {
  store_.FailNextWrite(absl::UnavailableError("disk full"));
  EXPECT_EQ(catalog_->Create(ExampleDuty("a")).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(catalog_->Find("a"), nullptr);
  EXPECT_TRUE(catalog_->Create(ExampleDuty("a")).ok());
}

TEST_F(DutyCatalogTest, LoadRecomputesFlagsFromTheStore) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("a", "ivo", "")).ok());
  ASSERT_TRUE(catalog_->Create(ExampleDuty("b", "scb", "Statistics Sweden publishes it.")).ok());
  auto aggregates = Aggregates::Load(store_);
  ASSERT_TRUE(aggregates.ok());
  auto reloaded = DutyCatalog::Load(&store_, aggregates->get());
  ASSERT_TRUE(reloaded.ok());
  EXPECT_TRUE((*reloaded)->Find("a")->flagged());
  EXPECT_FALSE((*reloaded)->Find("b")->flagged());
}

TEST_F(DutyCatalogTest, ListFiltersAndPagesInIdOrder) {
  for (const char* id : {"e", "d", "c", "b", "a"}) {
    ASSERT_TRUE(catalog_->Create(ExampleDuty(id, "ivo", id[0] < 'c' ? "" : "A purpose.")).ok());
  }
  ASSERT_TRUE(catalog_->Create(ExampleDuty("f", "scb", "")).ok());

  DutyFilter ivo;
  ivo.agency_id = "ivo";
  auto first = catalog_->List(ivo, 2, "");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->duties.size(), 2u);
  EXPECT_EQ(first->duties[0].id, "a");
  EXPECT_EQ(first->duties[1].id, "b");
  ASSERT_FALSE(first->next_page_token.empty());
  auto second = catalog_->List(ivo, 2, first->next_page_token);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->duties[0].id, "c");
  auto third = catalog_->List(ivo, 2, second->next_page_token);
  ASSERT_TRUE(third.ok());
  ASSERT_EQ(third->duties.size(), 1u);
  EXPECT_EQ(third->duties[0].id, "e");
  EXPECT_TRUE(third->next_page_token.empty());

  DutyFilter flagged;
  flagged.flagged_only = true;
  auto flagged_page = catalog_->List(flagged, 0, "");
  ASSERT_TRUE(flagged_page.ok());
  ASSERT_EQ(flagged_page->duties.size(), 3u);  // a, b, f
  EXPECT_EQ(flagged_page->duties[2].id, "f");
  EXPECT_TRUE(flagged_page->next_page_token.empty());
}

TEST_F(DutyCatalogTest, ListRejectsBadPageSizeAndForeignToken) {
  EXPECT_EQ(catalog_->List({}, -1, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog_->List({}, 1001, "").status().code(), absl::StatusCode::kInvalidArgument);
  auto bad = catalog_->List({}, 10, "not-a-token");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), StartsWith("page_token"));
}

// A catalogue on a clock the test sets, with thresholds low enough for
// hand-made cases.
class DutyCatalogReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    thresholds_.no_feedback_min_answers = 2;
    thresholds_.no_feedback_share = 0.5;
    thresholds_.no_recorded_use_periods = 1;
    Reload();
  }

  // The aggregates and the catalogue as a start-up builds them from the
  // store.
  void Reload() {
    catalog_.reset();  // it listens to the aggregates it was loaded with
    auto aggregates = Aggregates::Load(store_);
    ASSERT_TRUE(aggregates.ok()) << aggregates.status();
    aggregates_ = std::move(*aggregates);
    auto catalog = DutyCatalog::Load(&store_, aggregates_.get(), thresholds_,
                                     [this] { return today_; });
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = std::move(*catalog);
  }

  // Stores the reports and adds those accepted to the aggregates, as the
  // intake does.
  void Accept(const std::vector<Report>& reports) {
    testing::AcceptReports(store_, *aggregates_, reports);
  }

  std::vector<std::string> Codes(const std::string& id) {
    auto duty = catalog_->Get(id);
    EXPECT_TRUE(duty.ok()) << duty.status();
    std::vector<std::string> codes;
    if (duty.ok()) {
      for (const Flag& flag : duty->flags) codes.push_back(flag.code);
    }
    return codes;
  }

  static Report WithFeedback(Report report, Answer answer) {
    report.feedback_received = answer;
    return report;
  }

  static DutyUse Use(const std::string& duty, const std::string& id, const std::string& date,
                     const std::string& data_period = "2024") {
    DutyUse use;
    use.duty_id = duty;
    use.use_id = id;
    use.kind = UseKind::kPublication;
    use.date = date;
    use.description = "Published in the national statistics.";
    use.first_period = data_period;
    return use;
  }

  std::vector<std::string> PeriodCodes(const std::string& id, const std::string& period) {
    std::shared_ptr<const Duty> duty = catalog_->Find(id);
    if (duty == nullptr) return {"no such duty"};
    for (const PeriodFlags& p : duty->period_flags) {
      if (p.period == period) return p.codes;
    }
    return {"no such period"};
  }

  FakeStore store_;
  FlagThresholds thresholds_;
  absl::CivilDay today_{2025, 11, 20};
  std::unique_ptr<Aggregates> aggregates_;
  std::unique_ptr<DutyCatalog> catalog_;  // listens to aggregates_
};

TEST_F(DutyCatalogReportsTest, PeriodsOfEqualFlagsShareAClassNumberedInOrder) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("q")).ok());
  // 2025Q1 and 2025Q3: two "no" each (NO_FEEDBACK); 2025Q2: one "yes".
  Accept({WithFeedback(ExampleReport("r1", "0180", "q", "2025Q1"), Answer::kNo),
          WithFeedback(ExampleReport("r2", "0182", "q", "2025Q1"), Answer::kNo),
          WithFeedback(ExampleReport("r3", "0180", "q", "2025Q2"), Answer::kYes),
          WithFeedback(ExampleReport("r4", "0180", "q", "2025Q3"), Answer::kNo),
          WithFeedback(ExampleReport("r5", "0182", "q", "2025Q3"), Answer::kNo)});
  std::shared_ptr<const Duty> duty = catalog_->Find("q");
  ASSERT_NE(duty, nullptr);
  std::map<std::string, const PeriodFlags*> by_period;
  for (const PeriodFlags& p : duty->period_flags) by_period[p.period] = &p;
  ASSERT_EQ(by_period.size(), 3u);
  EXPECT_THAT(by_period["2025Q1"]->codes, Contains("NO_FEEDBACK"));
  EXPECT_THAT(by_period["2025Q2"]->codes, Not(Contains("NO_FEEDBACK")));
  EXPECT_EQ(by_period["2025Q1"]->class_index, by_period["2025Q3"]->class_index);
  EXPECT_NE(by_period["2025Q1"]->class_index, by_period["2025Q2"]->class_index);
  // Numbered from 0 in the order of each class's first period in the list.
  int next = 0;
  std::map<std::vector<std::string>, int> seen;
  for (const PeriodFlags& p : duty->period_flags) {
    auto [it, added] = seen.emplace(p.codes, next);
    if (added) ++next;
    EXPECT_EQ(p.class_index, it->second) << p.period;
  }
}

TEST_F(DutyCatalogReportsTest, ReportDrivenFlagsFollowArrivingReports) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("q")).ok());
  Accept({WithFeedback(ExampleReport("r1", "0180", "q", "2025Q1"), Answer::kNo)});
  EXPECT_THAT(Codes("q"), ElementsAre()) << "one answer of the two needed";
  Accept({WithFeedback(ExampleReport("r2", "0182", "q", "2025Q1"), Answer::kNo)});
  EXPECT_THAT(Codes("q"), ElementsAre("NO_FEEDBACK"));
  // A retry is never handed over twice; two "yes" make the share 2/4 = 0.5,
  // still at the threshold; a third makes it 2/5.
  Accept({WithFeedback(ExampleReport("r2", "0182", "q", "2025Q1"), Answer::kNo),
          WithFeedback(ExampleReport("r3", "1283", "q", "2025Q1"), Answer::kYes),
          WithFeedback(ExampleReport("r4", "1280", "q", "2025Q1"), Answer::kYes)});
  EXPECT_THAT(Codes("q"), ElementsAre("NO_FEEDBACK"));
  Accept({WithFeedback(ExampleReport("r5", "0580", "q", "2025Q1"), Answer::kYes)});
  EXPECT_THAT(Codes("q"), ElementsAre());
  EXPECT_EQ(aggregates_->FiguresOf("q").reports, 5);
}

// Reports only note their duties on the commit path; every read that shows
// flags (Find, Get, Snapshot) counts them, and the intake's FindFields does
// not wait for it.
TEST_F(DutyCatalogReportsTest, ArrivingReportsCountInTheFlagsOfTheNextRead) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("q")).ok());
  ASSERT_TRUE(catalog_->Create(ExampleDuty("r")).ok());
  const std::shared_ptr<const Duty> before = catalog_->FindFields("q");
  ASSERT_NE(before, nullptr);
  Accept({WithFeedback(ExampleReport("r1", "0180", "q", "2025Q1"), Answer::kNo),
          WithFeedback(ExampleReport("r2", "0182", "q", "2025Q1"), Answer::kNo),
          WithFeedback(ExampleReport("r3", "0180", "r", "2025Q1"), Answer::kNo)});
  // Not evaluated yet: the intake sees the duty as it was.
  EXPECT_EQ(catalog_->FindFields("q"), before);
  // Find evaluates every noted duty, once.
  const std::shared_ptr<const Duty> q = catalog_->Find("q");
  EXPECT_NE(q, before);
  ASSERT_THAT(q->flags, ::testing::SizeIs(1));
  EXPECT_EQ(q->flags[0].code, "NO_FEEDBACK");
  EXPECT_EQ(catalog_->FindFields("q"), q);
  const std::shared_ptr<const Duty> r = catalog_->FindFields("r");
  EXPECT_EQ(catalog_->Find("r"), r) << "evaluated with q, not again";
  // A snapshot counts reports that arrived since.
  Accept({WithFeedback(ExampleReport("r4", "1283", "r", "2025Q1"), Answer::kNo)});
  bool r_flagged = false;
  for (const std::shared_ptr<const Duty>& duty : catalog_->Snapshot()) {
    if (duty->id == "r") r_flagged = !duty->flags.empty();
  }
  EXPECT_TRUE(r_flagged);
  EXPECT_THAT(Codes("r"), ElementsAre("NO_FEEDBACK"));
}

TEST_F(DutyCatalogReportsTest, ReloadRebuildsTheStatisticsFromTheStore) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("q")).ok());
  Accept({WithFeedback(ExampleReport("r1", "0180", "q", "2025Q1", 10), Answer::kNo),
          WithFeedback(ExampleReport("r2", "0182", "q", "2025Q2", 30), Answer::kNo),
          WithFeedback(ExampleReport("r3", "1283", "q", "2025Q3", 20), Answer::kUnknown)});
  ASSERT_TRUE(catalog_->RecordUse(Use("q", "u1", "2025-10-01")).ok());
  const Duty before = *catalog_->Find("q");
  Reload();
  const Duty after = *catalog_->Find("q");
  EXPECT_EQ(after.flags, before.flags);
  EXPECT_EQ(after.recorded_uses, 1);
  const DutyFigures figures = aggregates_->FiguresOf("q");
  EXPECT_EQ(figures.reports, 3);
  EXPECT_EQ(figures.minutes, 60);
  EXPECT_EQ(figures.median_minutes, 20.0);
}

// What a start-up loads from the store's aggregate tables is what the
// reports gave one commit at a time: figures, flags now and per period,
// also for cells of a duty the catalogue does not know.
TEST_F(DutyCatalogReportsTest, AggregatesLoadedAtStartUpGiveTheSameCatalogueAsArrivingReports) {
  Duty ended = ExampleDuty("ended");
  ended.valid_until = "2025-03-31";
  ASSERT_TRUE(catalog_->Create(ended).ok());
  ASSERT_TRUE(catalog_->Create(ExampleDuty("q")).ok());
  Accept({ExampleReport("r1", "0180", "q", "2025Q1", 10),
          ExampleReport("r2", "0182", "q", "2025Q2", 30),
          ExampleReport("r3", "0180", "ended", "2025Q1", 20),
          ExampleReport("r4", "0180", "ended", "2025Q3", 25),
          ExampleReport("r5", "1283", "ended", "2025Q3", 35),
          ExampleReport("r6", "1283", "unknown-duty", "2025Q3", 35)});
  ASSERT_TRUE(catalog_->RecordUse(Use("q", "u1", "2025-10-01")).ok());
  const std::vector<std::string> ids = {"ended", "q", "unknown-duty"};
  std::map<std::string, Duty> before;
  std::map<std::string, DutyFigures> figures_before;
  for (const std::string& id : ids) {
    if (auto duty = catalog_->Find(id); duty != nullptr) before.emplace(id, *duty);
    figures_before.emplace(id, aggregates_->FiguresOf(id));
  }
  ASSERT_THAT(Codes("ended"), ::testing::Contains("EXPIRED"));
  EXPECT_EQ(figures_before.at("unknown-duty").reports, 1);

  Reload();
  for (const std::string& id : ids) {
    SCOPED_TRACE(id);
    if (before.count(id)) {
      const Duty after = *catalog_->Find(id);
      EXPECT_EQ(after.flags, before.at(id).flags);
      EXPECT_EQ(after.period_flags, before.at(id).period_flags);
      EXPECT_EQ(after.recorded_uses, before.at(id).recorded_uses);
    }
    const DutyFigures a = aggregates_->FiguresOf(id);
    const DutyFigures& b = figures_before.at(id);
    EXPECT_EQ(a.reports, b.reports);
    EXPECT_EQ(a.minutes, b.minutes);
    EXPECT_EQ(a.median_minutes, b.median_minutes);
    EXPECT_EQ(a.recorded_uses, b.recorded_uses);
    EXPECT_EQ(aggregates_->burden().TotalsOf(id).minutes, b.minutes);
  }
  // ... and the catalogue keeps hearing of reports after the start.
  Accept({WithFeedback(ExampleReport("r7", "0180", "q", "2025Q3", 5), Answer::kNo)});
  EXPECT_EQ(aggregates_->FiguresOf("q").reports, 3);
  EXPECT_EQ(catalog_->Find("q")->period_flags.back().period, "2025Q3");
}

TEST_F(DutyCatalogReportsTest, NoRecordedUseClearsWithAUseAndMovesWithTheCalendar) {
  Duty annual = ExampleDuty("a");
  annual.frequency = Frequency::kAnnual;
  ASSERT_TRUE(catalog_->Create(annual).ok());
  Accept({ExampleReport("r1", "0180", "a", "2023"), ExampleReport("r2", "0180", "a", "2025")});
  // Today 2025-11-20, grace 365 days, one period: 2023, the latest that
  // ended before 2024-11-20, holds a report and no use. 2025 is too new.
  EXPECT_THAT(Codes("a"), ElementsAre("NO_RECORDED_USE"));
  EXPECT_THAT(PeriodCodes("a", "2023"), ElementsAre("NO_RECORDED_USE"));
  EXPECT_THAT(PeriodCodes("a", "2025"), ElementsAre());
  // From New Year's Day the latest such period is 2024: no report in it, no
  // flag now; 2023 keeps its own.
  today_ = absl::CivilDay(2026, 1, 1);
  EXPECT_THAT(Codes("a"), ElementsAre());
  EXPECT_THAT(PeriodCodes("a", "2023"), ElementsAre("NO_RECORDED_USE"));
  today_ = absl::CivilDay(2025, 11, 20);
  EXPECT_THAT(Codes("a"), ElementsAre("NO_RECORDED_USE"));

  // A use of other data does not clear 2023; a use of 2023's data does.
  ASSERT_TRUE(catalog_->RecordUse(Use("a", "other", "2025-11-01", "2024")).ok());
  EXPECT_THAT(Codes("a"), ElementsAre("NO_RECORDED_USE"));
  auto recorded = catalog_->RecordUse(Use("a", "statistik", "2025-11-01", "2023"));
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_FALSE(recorded->duplicate);
  EXPECT_THAT(Codes("a"), ElementsAre());
  EXPECT_THAT(PeriodCodes("a", "2023"), ElementsAre());
  EXPECT_EQ(catalog_->Find("a")->recorded_uses, 2);
  auto again = catalog_->RecordUse(Use("a", "statistik", "2025-11-01", "2023"));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(catalog_->Find("a")->recorded_uses, 2);
  // The periods come back after a restart.
  Reload();
  EXPECT_THAT(PeriodCodes("a", "2023"), ElementsAre());
  EXPECT_THAT(Codes("a"), ElementsAre());
}

// A flag belongs to a duty and a period: a purpose stated today clears
// NO_STATED_PURPOSE for the period that is running, while last year's
// reports stay flagged, as they were made under a duty without a purpose.
TEST_F(DutyCatalogReportsTest, APurposeStatedTodayClearsOnlyThePeriodsEndingAfterIt) {
  today_ = TodayInSweden();  // the store stamps versions with the real time
  const std::string this_year = absl::StrCat(today_.year());
  const std::string last_year = absl::StrCat(today_.year() - 1);
  Duty duty = ExampleDuty("a", "ivo", "");
  duty.frequency = Frequency::kAnnual;
  ASSERT_TRUE(catalog_->Create(duty).ok());
  Accept({ExampleReport("r1", "0180", "a", last_year, 40),
          ExampleReport("r2", "0180", "a", this_year, 60)});
  EXPECT_THAT(PeriodCodes("a", last_year), ElementsAre("NO_STATED_PURPOSE"));
  EXPECT_THAT(PeriodCodes("a", this_year), ElementsAre("NO_STATED_PURPOSE"));

  duty.purpose = "IVO judges whether to seek a special fee.";
  ASSERT_TRUE(catalog_->Update(duty, "ivo").ok());
  EXPECT_THAT(Codes("a"), ElementsAre());
  EXPECT_THAT(PeriodCodes("a", last_year), ElementsAre("NO_STATED_PURPOSE"));
  EXPECT_THAT(PeriodCodes("a", this_year), ElementsAre());
  // The same after a restart, from the stored history.
  Reload();
  EXPECT_THAT(PeriodCodes("a", last_year), ElementsAre("NO_STATED_PURPOSE"));
  EXPECT_THAT(PeriodCodes("a", this_year), ElementsAre());
  // Report-driven flags come from the period's own answers: this year's say
  // nothing came back, last year's did not answer.
  Accept({WithFeedback(ExampleReport("r3", "0182", "a", this_year), Answer::kNo),
          WithFeedback(ExampleReport("r4", "1283", "a", this_year), Answer::kNo)});
  EXPECT_THAT(Codes("a"), ElementsAre("NO_FEEDBACK"));
  EXPECT_THAT(PeriodCodes("a", last_year), ElementsAre("NO_STATED_PURPOSE"));
  EXPECT_THAT(PeriodCodes("a", this_year), ElementsAre("NO_FEEDBACK"));
  Reload();
  EXPECT_THAT(PeriodCodes("a", last_year), ElementsAre("NO_STATED_PURPOSE"));
  EXPECT_THAT(PeriodCodes("a", this_year), ElementsAre("NO_FEEDBACK"));
}

TEST_F(DutyCatalogReportsTest, RecordUseErrorsNameTheField) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("a")).ok());
  auto unknown = catalog_->RecordUse(Use("nope", "u", "2025-01-01"));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(unknown.status().message()), StartsWith("use.duty_id"));
  auto future = catalog_->RecordUse(Use("a", "u", "2025-11-21"));
  EXPECT_EQ(future.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(future.status().message()), StartsWith("use.date"));
  DutyUse no_description = Use("a", "u", "2025-01-01");
  no_description.description.clear();
  auto missing = catalog_->RecordUse(no_description);
  EXPECT_THAT(std::string(missing.status().message()), StartsWith("use.description"));
  store_.FailNextWrite(absl::UnavailableError("disk full"));
  EXPECT_EQ(catalog_->RecordUse(Use("a", "u", "2025-01-01")).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(catalog_->Find("a")->recorded_uses, 0);
}

TEST_F(DutyCatalogReportsTest, UsesAreListedInOrderFilteredAndPaged) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("a", "ivo")).ok());
  ASSERT_TRUE(catalog_->Create(ExampleDuty("b", "scb")).ok());
  for (const DutyUse& use : {Use("b", "z", "2024-01-01"), Use("a", "y", "2025-02-01"),
                             Use("a", "x", "2025-01-01"), Use("a", "w", "2025-01-01")}) {
    ASSERT_TRUE(catalog_->RecordUse(use).ok());
  }
  std::vector<std::string> order;
  std::string token;
  do {
    auto page = catalog_->ListUses({}, 1, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const DutyUse& use : page->uses) order.push_back(use.duty_id + "/" + use.use_id);
    token = page->next_page_token;
  } while (!token.empty());
  EXPECT_THAT(order, ElementsAre("a/w", "a/x", "a/y", "b/z"));

  UseFilter scb;
  scb.agency_id = "scb";
  EXPECT_EQ(catalog_->ListUses(scb, 0, "")->uses.size(), 1u);
  UseFilter only;
  only.duty_ids.emplace();
  only.duty_ids->insert("b");
  EXPECT_EQ(catalog_->ListUses(only, 0, "")->uses[0].use_id, "z");
  EXPECT_THAT(std::string(catalog_->ListUses({}, 0, "bogus").status().message()),
              StartsWith("page_token"));
}

TEST_F(DutyCatalogReportsTest, SharedItemsAcrossAgenciesFlagBothUntilOneChanges) {
  Duty ivo = ExampleDuty("ivo-d", "ivo");
  ivo.data_items = {"decision_date", "service_type"};
  Duty scb = ExampleDuty("scb-d", "scb");
  scb.data_items = {"service_type", "cost"};
  Duty ivo2 = ExampleDuty("ivo-e", "ivo");
  ivo2.data_items = {"decision_date"};  // same agency as ivo-d: not a duplicate of it
  ASSERT_TRUE(catalog_->Create(ivo).ok());
  ASSERT_TRUE(catalog_->Create(ivo2).ok());
  EXPECT_THAT(Codes("ivo-d"), ElementsAre());
  ASSERT_TRUE(catalog_->Create(scb).ok());
  EXPECT_THAT(Codes("ivo-d"), ElementsAre("DUPLICATE_DATA"));
  EXPECT_THAT(Codes("scb-d"), ElementsAre("DUPLICATE_DATA"));
  EXPECT_THAT(Codes("ivo-e"), ElementsAre());
  scb.data_items = {"cost"};
  ASSERT_TRUE(catalog_->Update(scb).ok());
  EXPECT_THAT(Codes("ivo-d"), ElementsAre());
  EXPECT_THAT(Codes("scb-d"), ElementsAre());
}

// A write re-evaluates only the duties it can change (itself, and those
// whose overlaps it changes); after every write each duty must still have
// the flags a full evaluation from the store gives it.
TEST_F(DutyCatalogReportsTest, AfterEveryWriteEachDutyHasTheFlagsOfAFullEvaluation) {
  auto expect_as_loaded = [&](const std::string& step) {
    auto aggregates = Aggregates::Load(store_);
    ASSERT_TRUE(aggregates.ok()) << aggregates.status();
    auto loaded = DutyCatalog::Load(&store_, aggregates->get(), thresholds_,
                                    [this] { return today_; });
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    const std::vector<std::shared_ptr<const Duty>> expected = (*loaded)->Snapshot();
    const std::vector<std::shared_ptr<const Duty>> actual = catalog_->Snapshot();
    ASSERT_EQ(actual.size(), expected.size()) << step;
    for (size_t i = 0; i < actual.size(); ++i) {
      EXPECT_EQ(actual[i]->id, expected[i]->id) << step;
      EXPECT_EQ(actual[i]->flags, expected[i]->flags) << step << ": " << actual[i]->id;
      EXPECT_EQ(actual[i]->period_flags, expected[i]->period_flags)
          << step << ": " << actual[i]->id;
      EXPECT_EQ(actual[i]->state, expected[i]->state) << step << ": " << actual[i]->id;
    }
    loaded->reset();  // before the aggregates it listens to
  };
  Duty a = ExampleDuty("a", "ivo");
  a.data_items = {"decision_date", "service_type"};
  Duty b = ExampleDuty("b", "scb", "");  // no stated purpose
  b.data_items = {"cost"};
  Duty c = ExampleDuty("c", "socialstyrelsen");
  c.data_items = {"placement_days"};
  for (const Duty& duty : {a, b, c}) ASSERT_TRUE(catalog_->Create(duty).ok());
  Accept({ExampleReport("r1", "0180", "a", "2025Q1"), ExampleReport("r2", "0182", "b", "2025Q1"),
          ExampleReport("r3", "0180", "c", "2025Q2")});
  expect_as_loaded("three duties, no overlaps");

  b.data_items = {"cost", "service_type"};  // now overlaps a
  ASSERT_TRUE(catalog_->Update(b).ok());
  EXPECT_THAT(Codes("a"), Contains("DUPLICATE_DATA"));
  expect_as_loaded("b overlaps a");

  a.data_items = {"decision_date"};  // a's old version keeps service_type
  ASSERT_TRUE(catalog_->Update(a).ok());
  EXPECT_THAT(Codes("b"), Not(Contains("DUPLICATE_DATA")));
  expect_as_loaded("a no longer overlaps b");

  b.data_items = {"cost"};
  ASSERT_TRUE(catalog_->Update(b).ok());
  EXPECT_THAT(PeriodCodes("a", "2025Q1"), Not(Contains("DUPLICATE_DATA")));
  expect_as_loaded("b back to its own items");

  // Overlaps a's first version only, which 2025Q1 (ended before a was
  // registered) is judged by: a's current flags stay, that period's change.
  Duty d = ExampleDuty("d", "skolverket");
  d.data_items = {"service_type"};
  ASSERT_TRUE(catalog_->Create(d).ok());
  EXPECT_THAT(Codes("a"), Not(Contains("DUPLICATE_DATA")));
  EXPECT_THAT(PeriodCodes("a", "2025Q1"), Contains("DUPLICATE_DATA"));
  expect_as_loaded("d overlaps a's old version");

  c.purpose = "";  // a flag of c's own
  ASSERT_TRUE(catalog_->Update(c).ok());
  EXPECT_THAT(Codes("c"), Contains("NO_STATED_PURPOSE"));
  expect_as_loaded("c loses its purpose");

  Duty proposal = ExampleDuty("e", "ivo");
  proposal.data_items = {"cost"};  // a proposal makes no duty in force a duplicate
  ASSERT_TRUE(catalog_->Propose(proposal, "ivo", "Ny uppgift").ok());
  expect_as_loaded("a proposal sharing b's items");

  today_ += 1;  // a new day: everything is evaluated again
  Duty f = ExampleDuty("f", "scb");
  ASSERT_TRUE(catalog_->Create(f).ok());
  expect_as_loaded("a write on a new day");
}

TEST_F(DutyCatalogReportsTest, LegalReferencesAreKeptParsed) {
  Duty duty = ExampleDuty("a");
  duty.legal_basis = "SoL (2001:453) 16 kap. 6 f § [paragraph number unverified]; SOSFS 2011:5";
  auto created = catalog_->Create(duty);
  ASSERT_TRUE(created.ok());
  ASSERT_EQ(created->legal_references.size(), 2u);
  const LegalReference& sol = created->legal_references[0];
  EXPECT_EQ(sol.kind, LegalReference::Kind::kStatute);
  EXPECT_EQ(sol.act, "SoL");
  EXPECT_EQ(sol.sfs, "2001:453");
  EXPECT_EQ(sol.chapter, "16");
  EXPECT_EQ(sol.section, "6 f");
  EXPECT_EQ(sol.ToString(), "SoL (2001:453) 16 kap. 6 f §");
  EXPECT_EQ(created->legal_references[1].kind, LegalReference::Kind::kRegulation);
  EXPECT_EQ(created->legal_references[1].ToString(), "SOSFS 2011:5");
  EXPECT_EQ(catalog_->Find("a")->legal_references, created->legal_references);
  EXPECT_THAT(Codes("a"), ElementsAre());
}

}  // namespace
}  // namespace inrapport
