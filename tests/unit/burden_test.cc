// The burden index and the priced summaries, with every expected figure
// worked out by hand next to its assertion.
#include <memory>

#include "absl/time/time.h"
#include "common/aggregates/aggregates.h"
#include "common/aggregates/burden_index.h"
#include "common/burden/burden_queries.h"
#include "common/burden/summary_cache.h"
#include "common/catalog/duty_catalog.h"
#include "common/domain/municipalities.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using ::testing::Contains;
using ::testing::Not;
using ::testing::StartsWith;
using testing::ExampleDuty;
using testing::ExampleReport;
using testing::FakeStore;

class BurdenQueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    aggregates_ = std::move(*Aggregates::Load(store_));
    catalog_ = std::move(*DutyCatalog::Load(&store_, aggregates_.get()));
    // ivo-q: quarterly, social services, has a purpose.
    ASSERT_TRUE(catalog_->Create(ExampleDuty("ivo-q", "ivo", "IVO uses it.")).ok());
    // scb-a: annual, finance, no purpose (flagged); data items of its own.
    Duty scb = ExampleDuty("scb-a", "scb", "");
    scb.data_items = {"revenue"};
    scb.sector = Sector::kFinance;
    scb.frequency = Frequency::kAnnual;
    ASSERT_TRUE(catalog_->Create(scb).ok());

    Add(ExampleReport("r1", "0180", "ivo-q", "2025Q1", 60));   // Stockholm, county 01
    Add(ExampleReport("r2", "0182", "ivo-q", "2025Q1", 30));   // Nacka, county 01
    Add(ExampleReport("r3", "1283", "ivo-q", "2025Q2", 90));   // Helsingborg, county 12
    Add(ExampleReport("r4", "0180", "scb-a", "2024", 240));
    Add(ExampleReport("r5", "1283", "scb-a", "2025", 120));
    // IVO used its data: ivo-q carries no flag (no NO_RECORDED_USE either).
    ASSERT_TRUE(catalog_->RecordUse({"ivo-q", "u", UseKind::kSupervisionDecision, "2025-08-01",
                                     "Supervision decisions on special fees.", "", "2025Q1",
                                     "2025Q2"})
                    .ok());
    q_ = std::make_unique<BurdenQueries>(catalog_.get(), aggregates_.get(), 600);
  }

  void Add(const Report& report) {
    ASSERT_EQ(store_.SubmitReportsAndWait({report})[0].value().outcome, SubmitOutcome::kAccepted);
    aggregates_->AddReports({&report});
  }

  BurdenTable Summary(SummaryQuery query) {
    auto table = q_->Summary(query);
    EXPECT_TRUE(table.ok()) << table.status();
    return table.ok() ? *table : BurdenTable{};
  }

  FakeStore store_;
  std::unique_ptr<Aggregates> aggregates_;
  std::unique_ptr<DutyCatalog> catalog_;  // listens to aggregates_
  std::unique_ptr<BurdenQueries> q_;  // tariff 600 SEK/h
};

TEST_F(BurdenQueriesTest, ByAgencyRanksByMinutesWithTotals) {
  SummaryQuery query;
  query.group_by = GroupBy::kAgency;
  const BurdenTable table = Summary(query);
  ASSERT_EQ(table.rows.size(), 2u);
  // scb: 240 + 120 = 360 minutes, 2 reports, 2 municipalities, all flagged.
  EXPECT_EQ(table.rows[0].key, "scb");
  EXPECT_EQ(table.rows[0].reports, 2);
  EXPECT_EQ(table.rows[0].minutes, 360);
  EXPECT_EQ(table.rows[0].municipalities.count(), 2u);
  EXPECT_DOUBLE_EQ(table.rows[0].flagged_minutes_share(), 1.0);
  // ivo: 60 + 30 + 90 = 180 minutes, 3 reports, 3 municipalities, none flagged.
  EXPECT_EQ(table.rows[1].key, "ivo");
  EXPECT_EQ(table.rows[1].minutes, 180);
  EXPECT_EQ(table.rows[1].municipalities.count(), 3u);
  EXPECT_DOUBLE_EQ(table.rows[1].flagged_minutes_share(), 0.0);
  // Totals: 540 minutes = 9 hours; 3 distinct municipalities (0180, 0182,
  // 1283); flagged share 360 / 540 = 2/3.
  EXPECT_EQ(table.totals.key, "total");
  EXPECT_EQ(table.totals.reports, 5);
  EXPECT_EQ(table.totals.minutes, 540);
  EXPECT_DOUBLE_EQ(table.totals.hours(), 9.0);
  EXPECT_EQ(table.totals.municipalities.count(), 3u);
  EXPECT_DOUBLE_EQ(table.totals.flagged_minutes_share(), 360.0 / 540.0);
  // 9 hours at 600 SEK/h = 5400 SEK.
  EXPECT_DOUBLE_EQ(q_->CostSek(table.totals.minutes), 5400.0);
}

TEST_F(BurdenQueriesTest, ByMunicipalityAndCountyCarryNames) {
  SummaryQuery query;
  query.group_by = GroupBy::kMunicipality;
  BurdenTable table = Summary(query);
  ASSERT_EQ(table.rows.size(), 3u);
  // Stockholm 60 + 240 = 300; Helsingborg 90 + 120 = 210; Nacka 30.
  EXPECT_EQ(table.rows[0].key, "0180");
  EXPECT_EQ(table.rows[0].label, "Stockholm");
  EXPECT_EQ(table.rows[0].minutes, 300);
  EXPECT_EQ(table.rows[1].key, "1283");
  EXPECT_EQ(table.rows[1].minutes, 210);
  EXPECT_EQ(table.rows[2].label, "Nacka");

  query.group_by = GroupBy::kCounty;
  table = Summary(query);
  ASSERT_EQ(table.rows.size(), 2u);
  // County 01: 300 + 30 = 330 minutes over 2 municipalities; 12: 210.
  EXPECT_EQ(table.rows[0].key, "01");
  EXPECT_EQ(table.rows[0].label, "Stockholms län");
  EXPECT_EQ(table.rows[0].minutes, 330);
  EXPECT_EQ(table.rows[0].municipalities.count(), 2u);
  EXPECT_EQ(table.rows[1].key, "12");
  EXPECT_EQ(table.rows[1].minutes, 210);
}

TEST_F(BurdenQueriesTest, BySectorAndDutyAndPeriod) {
  SummaryQuery query;
  query.group_by = GroupBy::kSector;
  BurdenTable table = Summary(query);
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].key, "finance");
  EXPECT_EQ(table.rows[1].key, "social_services");

  query.group_by = GroupBy::kDuty;
  table = Summary(query);
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].key, "scb-a");

  query.group_by = GroupBy::kPeriod;
  table = Summary(query);
  ASSERT_EQ(table.rows.size(), 4u);
  // 2024: 240; 2025: 120; 2025Q2: 90; 2025Q1: 60 + 30 = 90 (tie: key order).
  EXPECT_EQ(table.rows[0].key, "2024");
  EXPECT_EQ(table.rows[1].key, "2025");
  EXPECT_EQ(table.rows[2].key, "2025Q1");
  EXPECT_EQ(table.rows[2].minutes, 90);
  EXPECT_EQ(table.rows[3].key, "2025Q2");
}

TEST_F(BurdenQueriesTest, FiltersCompose) {
  SummaryQuery query;
  query.group_by = GroupBy::kAgency;
  query.period_from = "2025";
  query.period_to = "2025";
  // 2024 is outside; 2025Q1, 2025Q2 and 2025 lie within 2025.
  BurdenTable table = Summary(query);
  EXPECT_EQ(table.totals.minutes, 60 + 30 + 90 + 120);

  query.period_to = "2025Q1";
  // A report counts only if its whole period lies in the range: the annual
  // 2025 report does not end by the end of 2025Q1.
  table = Summary(query);
  EXPECT_EQ(table.totals.minutes, 60 + 30);

  query = {};
  query.group_by = GroupBy::kAgency;
  query.municipality_code = "1283";
  query.flagged_only = true;
  table = Summary(query);
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].key, "scb");
  EXPECT_EQ(table.totals.minutes, 120);

  query = {};
  query.group_by = GroupBy::kDuty;
  query.agency_id = "ivo";
  query.sector = Sector::kSocialServices;
  table = Summary(query);
  EXPECT_EQ(table.totals.minutes, 180);
  query.sector = Sector::kSchool;
  table = Summary(query);
  EXPECT_TRUE(table.rows.empty());
  EXPECT_EQ(table.totals.reports, 0);
}

TEST_F(BurdenQueriesTest, APurposeStatedTodayLeavesThePastPeriodsFlagged) {
  // scb-a's 2024 and 2025 ended before its purpose was stated: their
  // minutes stay flagged by the text then in force, while the duty's flags
  // now no longer say NO_STATED_PURPOSE.
  Duty scb = *catalog_->Find("scb-a");
  scb.purpose = "SCB publishes municipal finance statistics.";
  ASSERT_TRUE(catalog_->Update(scb).ok());
  std::vector<std::string> now;
  for (const Flag& flag : catalog_->Find("scb-a")->flags) now.push_back(flag.code);
  EXPECT_THAT(now, Not(Contains("NO_STATED_PURPOSE")));
  SummaryQuery query;
  query.group_by = GroupBy::kAgency;
  EXPECT_DOUBLE_EQ(Summary(query).totals.flagged_minutes_share(), 360.0 / 540.0);
}

TEST_F(BurdenQueriesTest, ARepeatedSummaryIsAnsweredAgainUntilAReportOrADutyChanges) {
  SummaryQuery by_agency;
  by_agency.group_by = GroupBy::kAgency;
  SummaryQuery by_sector;
  by_sector.group_by = GroupBy::kSector;
  const SummaryCache& cache = q_->summary_cache();
  EXPECT_EQ(Summary(by_agency).totals.minutes, 540);
  EXPECT_EQ(Summary(by_sector).totals.minutes, 540);
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(cache.misses(), 2u);
  // Both kept side by side, each with its own rows and names.
  BurdenTable again = Summary(by_agency);
  EXPECT_EQ(cache.hits(), 1u);
  ASSERT_EQ(again.rows.size(), 2u);
  EXPECT_EQ(again.rows[0].key, "scb");
  EXPECT_EQ(again.rows[0].minutes, 360);
  EXPECT_EQ(again.rows[0].label, catalog_->AgencyName("scb"));
  EXPECT_FALSE(again.rows[0].label.empty());
  EXPECT_EQ(Summary(by_sector).rows[0].key, "finance");
  EXPECT_EQ(cache.hits(), 2u);

  // A new report: ivo 180 + 15 = 195 minutes, computed again.
  Add(ExampleReport("r6", "0182", "ivo-q", "2025Q2", 15));
  again = Summary(by_agency);
  EXPECT_EQ(cache.misses(), 3u);
  EXPECT_EQ(again.totals.minutes, 555);
  EXPECT_EQ(again.rows[1].minutes, 195);
  EXPECT_EQ(Summary(by_agency).totals.minutes, 555);
  EXPECT_EQ(cache.hits(), 3u);

  // A withdrawal: 555 - 15 = 540 again.
  ReportRevision withdrawal;
  withdrawal.before = ExampleReport("r6", "0182", "ivo-q", "2025Q2", 15);
  aggregates_->ReviseReports({withdrawal});
  EXPECT_EQ(Summary(by_agency).totals.minutes, 540);
  EXPECT_EQ(cache.misses(), 4u);

  // A duty moved to another sector takes its 360 minutes along, though no
  // report changed.
  Duty scb = *catalog_->Find("scb-a");
  scb.sector = Sector::kSchool;
  ASSERT_TRUE(catalog_->Update(scb).ok());
  const BurdenTable sectors = Summary(by_sector);
  EXPECT_EQ(cache.misses(), 5u);
  ASSERT_EQ(sectors.rows.size(), 2u);
  EXPECT_EQ(sectors.rows[0].key, "school");
  EXPECT_EQ(sectors.rows[0].minutes, 360);
  // The answer to the other query was of the old catalogue: computed again.
  EXPECT_EQ(Summary(by_agency).totals.minutes, 540);
  EXPECT_EQ(cache.misses(), 6u);
}

TEST(SummaryCacheTest, ServesOnlyAnswersOfTheSameInputsAndHoldsAtMostItsCapacity) {
  SummaryInputs inputs{7, {11, 12}};
  BurdenTable table;
  table.totals.minutes = 42;
  SummaryCache cache(2);
  cache.Put("a", inputs, table);
  ASSERT_NE(cache.Find("a", inputs), nullptr);
  EXPECT_EQ(cache.Find("a", inputs)->totals.minutes, 42);
  EXPECT_EQ(cache.Find("b", inputs), nullptr);
  // Another generation, a duty evaluated again, one duty more or fewer.
  EXPECT_EQ(cache.Find("a", SummaryInputs{8, {11, 12}}), nullptr);
  EXPECT_EQ(cache.Find("a", SummaryInputs{7, {11, 13}}), nullptr);
  EXPECT_EQ(cache.Find("a", SummaryInputs{7, {11, 12, 14}}), nullptr);
  EXPECT_EQ(cache.Find("a", SummaryInputs{7, {11}}), nullptr);
  // A duty never evaluated (serial 0): not kept.
  cache.Put("z", SummaryInputs{7, {11, 0}}, table);
  EXPECT_EQ(cache.Find("z", SummaryInputs{7, {11, 0}}), nullptr);
  // A third answer beyond the capacity of two starts afresh.
  cache.Put("b", inputs, table);
  cache.Put("c", inputs, table);
  EXPECT_EQ(cache.Find("a", inputs), nullptr);
  EXPECT_NE(cache.Find("c", inputs), nullptr);
  // An answer of newer inputs replaces the older ones.
  SummaryInputs newer{9, {11, 12}};
  cache.Put("a", newer, table);
  EXPECT_EQ(cache.Find("c", inputs), nullptr);
  EXPECT_NE(cache.Find("a", newer), nullptr);
  // Capacity 0 keeps nothing.
  SummaryCache none(0);
  none.Put("a", inputs, table);
  EXPECT_EQ(none.Find("a", inputs), nullptr);
}

TEST_F(BurdenQueriesTest, BadQueriesNameTheField) {
  SummaryQuery query;
  query.period_from = "2025Q9";
  auto result = q_->Summary(query);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(result.status().message()), StartsWith("period_from"));

  query = {};
  query.period_from = "2025";
  query.period_to = "2024";
  result = q_->Summary(query);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(result.status().message()), StartsWith("period_to"));

  query = {};
  query.municipality_code = "9999";
  result = q_->Summary(query);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(result.status().message()), StartsWith("municipality_code"));
}

TEST_F(BurdenQueriesTest, FlaggedDutiesRankedByBurden) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("ivo-z", "ivo", "")).ok());  // no reports
  auto ranked = q_->FlaggedDuties("", 0);
  ASSERT_TRUE(ranked.ok());
  ASSERT_EQ(ranked->size(), 2u);
  EXPECT_EQ((*ranked)[0].duty.id, "scb-a");
  EXPECT_EQ((*ranked)[0].burden.minutes, 360);
  EXPECT_EQ((*ranked)[0].burden.reports, 2);
  EXPECT_EQ((*ranked)[1].duty.id, "ivo-z");
  EXPECT_EQ((*ranked)[1].burden.minutes, 0);

  auto ivo_only = q_->FlaggedDuties("ivo", 0);
  ASSERT_TRUE(ivo_only.ok());
  ASSERT_EQ(ivo_only->size(), 1u);
  auto limited = q_->FlaggedDuties("", 1);
  ASSERT_EQ(limited->size(), 1u);
  EXPECT_EQ(q_->FlaggedDuties("", 1001).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BurdenQueriesTest, AggregatesRebuiltFromStoreGiveTheSameAnswers) {
  absl::StatusOr<std::unique_ptr<Aggregates>> rebuilt = Aggregates::Load(store_);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  BurdenQueries again(catalog_.get(), rebuilt->get(), 600);
  for (GroupBy group_by : {GroupBy::kAgency, GroupBy::kDuty, GroupBy::kMunicipality,
                           GroupBy::kCounty, GroupBy::kSector, GroupBy::kPeriod}) {
    SummaryQuery query;
    query.group_by = group_by;
    const BurdenTable a = *q_->Summary(query);
    const BurdenTable b = *again.Summary(query);
    ASSERT_EQ(a.rows.size(), b.rows.size()) << GroupByName(group_by);
    for (size_t i = 0; i < a.rows.size(); ++i) {
      EXPECT_EQ(a.rows[i].key, b.rows[i].key);
      EXPECT_EQ(a.rows[i].minutes, b.rows[i].minutes);
      EXPECT_EQ(a.rows[i].reports, b.rows[i].reports);
      EXPECT_EQ(a.rows[i].municipalities, b.rows[i].municipalities);
    }
  }
}

// Completeness, accounts and the flag grouping on a catalogue whose clock
// the test sets (today 2025-07-15).
class BurdenAccountingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    aggregates_ = std::move(*Aggregates::Load(store_));
    catalog_ = std::move(*DutyCatalog::Load(&store_, aggregates_.get(), {}, [] { return absl::CivilDay(2025, 7, 15); }));
    q_ = std::make_unique<BurdenQueries>(catalog_.get(), aggregates_.get(), 600);
  }

  void AddDuty(const std::string& id, Frequency frequency, std::string valid_from = "",
               std::string valid_until = "", const std::string& agency = "ivo") {
    Duty duty = ExampleDuty(id, agency, "IVO uses it to decide on fees.");
    duty.frequency = frequency;
    duty.data_items = {id + "_item"};
    duty.valid_from = std::move(valid_from);
    duty.valid_until = std::move(valid_until);
    ASSERT_TRUE(catalog_->Create(duty).ok());
  }

  void Add(const Report& report) {
    ASSERT_EQ(store_.SubmitReportsAndWait({report})[0].value().outcome, SubmitOutcome::kAccepted);
    aggregates_->AddReports({&report});
  }

  CompletenessTable Completeness(const std::string& from, const std::string& to,
                                 const std::string& municipality = "") {
    CompletenessQuery query;
    query.period_from = from;
    query.period_to = to;
    query.municipality_code = municipality;
    auto table = q_->Completeness(query);
    EXPECT_TRUE(table.ok()) << table.status();
    return table.ok() ? *table : CompletenessTable{};
  }

  FakeStore store_;
  std::unique_ptr<Aggregates> aggregates_;
  std::unique_ptr<DutyCatalog> catalog_;  // listens to aggregates_
  std::unique_ptr<BurdenQueries> q_;
};

TEST_F(BurdenAccountingTest, CompletenessExpectsOnlyEndedPeriodsInsideValidity) {
  AddDuty("m", Frequency::kMonthly, "2025-02-10", "2025-05-31");
  Add(ExampleReport("r1", "0180", "m", "2025-03"));
  Add(ExampleReport("r2", "0180", "m", "2025-03"));  // same period again: counted once
  Add(ExampleReport("r3", "0182", "m", "2025-01"));  // before the duty began: not expected
  // 2025: February (overlaps valid_from) to May (ends on valid_until) = 4
  // months; June ended too but after valid_until; July has not ended.
  const CompletenessTable table = Completeness("2025", "2025");
  ASSERT_EQ(table.by_duty.size(), 1u);
  EXPECT_EQ(table.by_duty[0].expected, 4 * 290);
  EXPECT_EQ(table.by_duty[0].received, 1);
  EXPECT_EQ(table.totals.received, 1);
  EXPECT_DOUBLE_EQ(table.totals.rate(), 1.0 / (4 * 290));

  // A range that starts inside a period leaves that period out.
  const CompletenessTable partial = Completeness("2025-03-15", "2025Q2", "0180");
  ASSERT_EQ(partial.by_municipality.size(), 1u);
  EXPECT_EQ(partial.by_municipality[0].expected, 2);  // April, May
  EXPECT_EQ(partial.by_municipality[0].received, 0);
}

int64_t UtcSeconds(int y, int m, int d, int hh) {
  return absl::ToUnixSeconds(absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0),
                                             absl::UTCTimeZone()));
}

// Today is 2025-07-15; the duty is due 30 days after each month.
TEST_F(BurdenAccountingTest, CompletenessTellsOnTimeLateMissingAndNotYetDueApart) {
  Duty dated = ExampleDuty("m30", "ivo", "IVO uses it to decide on fees.");
  dated.frequency = Frequency::kMonthly;
  dated.deadline = "30 days after period end";
  dated.respondents = {"0180", "0182", "1283"};
  ASSERT_TRUE(catalog_->Create(dated).ok());
  AddDuty("undated", Frequency::kMonthly);
  auto add_at = [&](const Report& report, int64_t at) {
    store_.SetReceivedAt(at);
    ASSERT_TRUE(store_.SubmitReportsAndWait({report})[0].ok());
    aggregates_->AddReports({&report}, {at});
  };
  // April is due 2025-05-30: 23:00 that day in Stockholm is on time.
  add_at(ExampleReport("a", "0180", "m30", "2025-04"), UtcSeconds(2025, 5, 30, 21));
  // May is due 2025-06-30: July is late; a second, earlier-stored report
  // decides, not this later one.
  add_at(ExampleReport("b", "0180", "m30", "2025-05"), UtcSeconds(2025, 7, 1, 8));
  add_at(ExampleReport("b2", "0180", "m30", "2025-05"), UtcSeconds(2025, 7, 9, 8));
  // June is due 2025-07-30, ahead of today.
  add_at(ExampleReport("c", "0182", "m30", "2025-06"), UtcSeconds(2025, 7, 10, 8));
  add_at(ExampleReport("u", "0180", "undated", "2025-04"), UtcSeconds(2025, 9, 1, 8));

  const CompletenessTable table = Completeness("2025Q2", "2025Q2");
  ASSERT_EQ(table.by_duty.size(), 2u);
  const CompletenessRowData& m30 = table.by_duty[0];
  EXPECT_EQ(m30.key, "m30");
  EXPECT_EQ(m30.expected, 9);
  EXPECT_EQ(m30.received, 3);
  EXPECT_EQ(m30.on_time, 2);      // 0180 April, 0182 June
  EXPECT_EQ(m30.late, 1);         // 0180 May
  EXPECT_EQ(m30.missing, 4);      // 0182 and 1283: April and May
  EXPECT_EQ(m30.not_yet_due, 2);  // 0180 and 1283: June
  // A duty without a deadline splits nothing.
  const CompletenessRowData& undated = table.by_duty[1];
  EXPECT_EQ(undated.received, 1);
  EXPECT_EQ(undated.on_time + undated.late + undated.missing + undated.not_yet_due, 0);
  EXPECT_EQ(table.totals.on_time, 2);
  EXPECT_EQ(table.totals.missing, 4);

  const CompletenessTable helsingborg = Completeness("2025Q2", "2025Q2", "1283");
  ASSERT_EQ(helsingborg.by_municipality.size(), 1u);
  EXPECT_EQ(helsingborg.by_municipality[0].missing, 2);
  EXPECT_EQ(helsingborg.by_municipality[0].not_yet_due, 1);
  EXPECT_EQ(helsingborg.by_duty[0].expected, 3);
  EXPECT_EQ(helsingborg.by_duty[0].missing, 2);

  // Loaded again from the store's cells, the first receipts come back.
  std::unique_ptr<Aggregates> reloaded = std::move(*Aggregates::Load(store_));
  std::vector<ExpectedPeriods> expected = {{"m30", {"2025-05"}, {}, {absl::CivilDay(2025, 6, 30)}}};
  expected[0].respondents.set(Municipalities::Official().Find("0180")->index);
  const CompletenessTable again =
      reloaded->burden().Completeness(expected, "", absl::CivilDay(2025, 7, 15));
  EXPECT_EQ(again.by_duty[0].late, 1);
  EXPECT_EQ(again.by_duty[0].on_time, 0);
}

// A withdrawal or a correction to another period takes a report's receipt
// out of the cell it leaves: the period is then judged by the receipts of
// the reports it still holds, in memory as in the store's cells.
TEST_F(BurdenAccountingTest, ACorrectionOrWithdrawalJudgesAPeriodByTheReportsLeft) {
  Duty dated = ExampleDuty("m30", "ivo", "IVO uses it to decide on fees.");
  dated.frequency = Frequency::kMonthly;
  dated.deadline = "30 days after period end";
  dated.respondents = {"0180"};
  ASSERT_TRUE(catalog_->Create(dated).ok());
  auto add_at = [&](const Report& report, int64_t at) {
    store_.SetReceivedAt(at);
    ASSERT_TRUE(store_.SubmitReportsAndWait({report})[0].ok());
    aggregates_->AddReports({&report}, {at});
  };
  auto change = [&](ReportChange c) {
    absl::StatusOr<ChangeResult> result = store_.ChangeReport(c);
    ASSERT_TRUE(result.ok()) << result.status();
    aggregates_->ReviseReports({RevisionOf(*result)});
  };
  // April (due 2025-05-30): one report on time, one late. May (due
  // 2025-06-30): one report, on time, filed under April by mistake.
  add_at(ExampleReport("early", "0180", "m30", "2025-04"), UtcSeconds(2025, 5, 2, 8));
  add_at(ExampleReport("late", "0180", "m30", "2025-04"), UtcSeconds(2025, 6, 9, 8));
  add_at(ExampleReport("may", "0180", "m30", "2025-04"), UtcSeconds(2025, 6, 20, 8));
  const absl::CivilDay today(2025, 7, 15);
  std::vector<ExpectedPeriods> expected = {{"m30",
                                            {"2025-04", "2025-05"},
                                            {},
                                            {absl::CivilDay(2025, 5, 30),
                                             absl::CivilDay(2025, 6, 30)}}};
  expected[0].respondents.set(Municipalities::Official().Find("0180")->index);
  auto judged = [&](const Aggregates& a) {
    const CompletenessRowData row = a.burden().Completeness(expected, "", today).by_duty[0];
    return absl::StrCat("on time ", row.on_time, ", late ", row.late, ", missing ",
                        row.missing);
  };
  EXPECT_EQ(judged(*aggregates_), "on time 1, late 0, missing 1");

  ReportChange move;
  move.reason = "fel period";
  move.corrected = ExampleReport("may", "0180", "m30", "2025-05");
  change(move);
  EXPECT_EQ(judged(*aggregates_), "on time 2, late 0, missing 0");

  ReportChange withdrawal;
  withdrawal.kind = ChangeKind::kWithdrawal;
  withdrawal.municipality_code = "0180";
  withdrawal.submission_id = "early";
  withdrawal.reason = "dubblett";
  change(withdrawal);
  EXPECT_EQ(judged(*aggregates_), "on time 1, late 1, missing 0");
  EXPECT_EQ(judged(**Aggregates::Load(store_)), "on time 1, late 1, missing 0");
}

TEST_F(BurdenAccountingTest, CompletenessIgnoresPeriodsOfAnotherFrequency) {
  AddDuty("d", Frequency::kQuarterly);
  Add(ExampleReport("r1", "0180", "d", "2025Q1"));
  Duty changed = *catalog_->Find("d");
  changed.frequency = Frequency::kMonthly;  // old quarterly reports no longer match
  ASSERT_TRUE(catalog_->Update(changed).ok());
  const CompletenessTable table = Completeness("2025Q1", "2025Q1");
  EXPECT_EQ(table.by_duty[0].expected, 3 * 290);
  EXPECT_EQ(table.by_duty[0].received, 0);
}

TEST_F(BurdenAccountingTest, AdHocNationalEstimateUsesTheObservedRate) {
  AddDuty("x", Frequency::kAdHoc);
  // 0180 reports three times over two calendar years, 1283 once: 4 reports /
  // (2 municipalities x 2 years) = 1 a year. Median of 30 50 70 90 = 60.
  Add(ExampleReport("r1", "0180", "x", "2024-03-01", 30));
  Add(ExampleReport("r2", "0180", "x", "2024-09-01", 50));
  Add(ExampleReport("r3", "0180", "x", "2025-02-01", 70));
  Add(ExampleReport("r4", "1283", "x", "2025-03-01", 90));
  const std::vector<DutyAccount> accounts = q_->Accounts({});
  ASSERT_EQ(accounts.size(), 1u);
  const DutyAccount& a = accounts[0];
  EXPECT_EQ(a.reports, 4);
  EXPECT_EQ(a.minutes, 240);
  EXPECT_EQ(a.median_minutes, 60.0);
  EXPECT_DOUBLE_EQ(a.reports_per_municipality_per_year, 1.0);
  EXPECT_DOUBLE_EQ(a.national.reports_per_municipality_per_year, 1.0);
  EXPECT_EQ(a.national.yearly_count_basis,
            "observed (ad hoc): 4 reports / (2 municipalities x 2 calendar years) = 1.00 a year");
  // Two municipalities are too few to stand for 290: no national figure.
  EXPECT_FALSE(a.national.estimable);
  EXPECT_EQ(a.national_hours, 0.0);
  EXPECT_EQ(a.national_cost_sek, 0.0);
  EXPECT_DOUBLE_EQ(a.cost_sek, 2400.0);
  EXPECT_TRUE(Completeness("2024", "2025").by_duty.empty()) << "ad hoc: nothing expected";
}

TEST_F(BurdenAccountingTest, DutiesWithoutReportsHaveZeroAccountsAndRankLast) {
  AddDuty("empty", Frequency::kAnnual);
  AddDuty("w", Frequency::kWeekly);
  Add(ExampleReport("r1", "0180", "w", "2025W02", 12));
  const std::vector<DutyAccount> accounts = q_->Accounts({});
  ASSERT_EQ(accounts.size(), 2u);
  EXPECT_EQ(accounts[0].duty_id, "w");
  // One municipality: not estimable, so ranked by its measured minutes.
  EXPECT_FALSE(accounts[0].national.estimable);
  EXPECT_EQ(accounts[0].national_hours, 0.0);
  EXPECT_EQ(accounts[1].duty_id, "empty");
  EXPECT_FALSE(accounts[1].median_minutes.has_value());
  EXPECT_EQ(accounts[1].national_cost_sek, 0.0);
  // Without reports it is not estimable either, and says so.
  EXPECT_FALSE(accounts[1].national.estimable);
  EXPECT_THAT(accounts[1].national.not_estimable_reason,
              StartsWith("0 municipalities of 290 reported; at least 5 are needed; 9 of 9 "
                         "municipality groups have no reports: Storstäder (A1), "));
  EXPECT_EQ(accounts[1].national.groups_expected, 9);
  EXPECT_EQ(accounts[1].national.expected_municipalities, 290);
  // The rate comes from the frequency, reports or not.
  EXPECT_EQ(accounts[1].reports_per_municipality_per_year, 1.0);
}

TEST_F(BurdenAccountingTest, OneAdHocReportIsNotExtrapolatedToTheCountry) {
  AddDuty("once", Frequency::kAdHoc);
  Add(ExampleReport("r1", "0180", "once", "2025-03-01", 300));
  const std::vector<DutyAccount> accounts = q_->Accounts({});
  ASSERT_EQ(accounts.size(), 1u);
  // Formerly 300 min x 1 a year x 290 / 60 = 1 450 hours.
  EXPECT_FALSE(accounts[0].national.estimable);
  EXPECT_EQ(accounts[0].national_hours, 0.0);
  EXPECT_EQ(accounts[0].national.hours_per_year, 0.0);
  EXPECT_EQ(accounts[0].national.hours_per_year_high, 0.0);
  EXPECT_FALSE(accounts[0].national.not_estimable_reason_sv.empty());
  EXPECT_DOUBLE_EQ(accounts[0].hours, 5.0);  // what was measured stays

  // The arena's sums leave it out, and say so.
  auto arena = q_->Arena(0);
  ASSERT_TRUE(arena.ok()) << arena.status();
  EXPECT_EQ(arena->totals.national_cost_sek, 0.0);
  EXPECT_EQ(arena->not_estimable_duties, 1);
  EXPECT_EQ(arena->totals.not_estimable_duties, 1);
  ASSERT_EQ(arena->by_agency.size(), 1u);
  EXPECT_EQ(arena->by_agency[0].not_estimable_duties, 1);
}

// The accounts' estimate comes from the index through the stratified
// estimate (national_estimate_test.cc has its arithmetic), and follows new
// reports and a changed frequency at once, cached or not.
TEST_F(BurdenAccountingTest, NationalEstimateFollowsNewReportsAndTheFrequency) {
  AddDuty("q", Frequency::kQuarterly);
  // One municipality of each SKR group, 30 minutes each: every group's mean
  // is 30, so 290 x 30 = 8 700 minutes a quarter, x 4 = 34 800 minutes =
  // 580 hours a year, x 600 SEK = 348 000 SEK.
  int n = 0;
  for (const char* code :
       {"0180", "0182", "1283", "0140", "0382", "2584", "0428", "0662", "0885"}) {
    Add(ExampleReport("q" + std::to_string(++n), code, "q", "2025Q1", 30));
  }
  DutyAccount a = q_->Accounts({})[0];
  ASSERT_TRUE(a.national.estimable) << a.national.not_estimable_reason;
  EXPECT_DOUBLE_EQ(a.national.hours_per_year, 580.0);
  EXPECT_DOUBLE_EQ(a.national_hours, 580.0);
  EXPECT_DOUBLE_EQ(a.national_cost_sek, 348000.0);
  // One report a group: every resample is the data itself.
  EXPECT_DOUBLE_EQ(a.national.hours_per_year_low, 580.0);
  EXPECT_DOUBLE_EQ(a.national.hours_per_year_high, 580.0);
  EXPECT_EQ(a.national.first_period, "2025Q1");
  EXPECT_EQ(a.national.last_period, "2025Q1");

  // Stockholm (A1, 3 municipalities) reports 90 minutes for Q2: its mean is
  // (30 + 90) / 2 = 60 and A1's too, so 3 x 30 more minutes a quarter:
  // 8 790 x 4 = 35 160 minutes = 586 hours.
  Add(ExampleReport("q-more", "0180", "q", "2025Q2", 90));
  a = q_->Accounts({})[0];
  EXPECT_DOUBLE_EQ(a.national.hours_per_year, 586.0);
  EXPECT_EQ(a.national.reports, 10);
  EXPECT_EQ(a.national.last_period, "2025Q2");

  // Monthly now: 12 reports a year instead of 4, three times the hours.
  Duty monthly = *catalog_->Find("q");
  monthly.frequency = Frequency::kMonthly;
  ASSERT_TRUE(catalog_->Update(monthly).ok());
  a = q_->Accounts({})[0];
  EXPECT_DOUBLE_EQ(a.national.hours_per_year, 3 * 586.0);
  EXPECT_EQ(a.national.yearly_count_basis, "fixed by the frequency: monthly, 12 a year");
}

TEST_F(BurdenAccountingTest, CompletenessErrorsNameTheField) {
  CompletenessQuery query;
  EXPECT_THAT(std::string(q_->Completeness(query).status().message()), StartsWith("period_from"));
  query.period_from = "2025";
  EXPECT_THAT(std::string(q_->Completeness(query).status().message()), StartsWith("period_to"));
  query.period_to = "2024";
  EXPECT_THAT(std::string(q_->Completeness(query).status().message()), StartsWith("period_to"));
  query.period_to = "2025";
  query.municipality_code = "0000";
  EXPECT_THAT(std::string(q_->Completeness(query).status().message()),
              StartsWith("municipality_code"));
  query.municipality_code = "";
  query.duty_id = "nope";
  EXPECT_EQ(q_->Completeness(query).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(BurdenAccountingTest, GroupByFlagCountsADutyUnderEachFlag) {
  Duty both = ExampleDuty("both", "ivo", "");  // NO_STATED_PURPOSE
  both.data_items = {"both_item"};
  both.targeted_grant = "Stimulansmedel";        // TARGETED_GRANT_REPORTING
  ASSERT_TRUE(catalog_->Create(both).ok());
  AddDuty("clean", Frequency::kQuarterly);
  Add(ExampleReport("r1", "0180", "both", "2025Q1", 100));
  Add(ExampleReport("r2", "0180", "clean", "2025Q1", 25));
  // Recorded uses keep NO_RECORDED_USE out of this test.
  for (const char* id : {"both", "clean"}) {
    DutyUse use{id, "u", UseKind::kPublication, "2025-07-01", "Published as statistics.", "",
                "2025", ""};
    ASSERT_TRUE(catalog_->RecordUse(use).ok());
  }
  SummaryQuery query;
  query.group_by = GroupBy::kFlag;
  const BurdenTable table = *q_->Summary(query);
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0].key, "NO_STATED_PURPOSE");
  EXPECT_EQ(table.rows[0].minutes, 100);
  EXPECT_EQ(table.rows[1].key, "TARGETED_GRANT_REPORTING");
  EXPECT_EQ(table.rows[1].minutes, 100);
  EXPECT_EQ(table.rows[2].key, "unflagged");
  EXPECT_EQ(table.rows[2].minutes, 25);
  EXPECT_EQ(table.totals.minutes, 125);  // each report once
  EXPECT_DOUBLE_EQ(table.totals.flagged_minutes_share(), 0.8);
}

// A report counts as flagged when its duty was flagged for its period. On
// 2025-07-15 with a grace of 365 days, 2024Q1 is past its grace with no use of
// its data (NO_RECORDED_USE), 2025Q1 is not: every grouping, filter and the
// ranking of flagged duties split the duty's burden by period.
TEST_F(BurdenAccountingTest, ReportsCountAsFlaggedByTheFlagsOfTheirPeriod) {
  AddDuty("q", Frequency::kQuarterly);
  AddDuty("clean", Frequency::kQuarterly);
  Add(ExampleReport("r1", "0180", "q", "2024Q1", 100));
  Add(ExampleReport("r2", "1283", "q", "2024Q1", 50));
  Add(ExampleReport("r3", "0180", "q", "2025Q1", 30));
  Add(ExampleReport("r4", "1283", "clean", "2025Q1", 20));
  const Duty q = *catalog_->Find("q");
  ASSERT_EQ(q.period_flags.size(), 2u);
  EXPECT_EQ(q.period_flags[0].period, "2024Q1");
  EXPECT_THAT(q.period_flags[0].codes, ::testing::ElementsAre("NO_RECORDED_USE"));
  EXPECT_EQ(q.period_flags[1].period, "2025Q1");
  EXPECT_THAT(q.period_flags[1].codes, ::testing::ElementsAre());

  auto summary = [this](GroupBy group_by, bool flagged_only = false,
                        const std::string& from = "") {
    SummaryQuery query;
    query.group_by = group_by;
    query.flagged_only = flagged_only;
    query.period_from = from;
    return *q_->Summary(query);
  };
  auto row = [](const BurdenTable& table, const std::string& key) {
    for (const BurdenRowData& r : table.rows) {
      if (r.key == key) return r;
    }
    return BurdenRowData{};
  };
  // Of q's 180 minutes, 150 (2024Q1) are flagged; of all 200, 150.
  const BurdenTable by_duty = summary(GroupBy::kDuty);
  EXPECT_EQ(row(by_duty, "q").minutes, 180);
  EXPECT_EQ(row(by_duty, "q").flagged_minutes, 150);
  EXPECT_EQ(by_duty.totals.flagged_minutes, 150);
  const BurdenTable by_period = summary(GroupBy::kPeriod);
  EXPECT_EQ(row(by_period, "2024Q1").flagged_minutes, 150);
  EXPECT_EQ(row(by_period, "2025Q1").minutes, 50);
  EXPECT_EQ(row(by_period, "2025Q1").flagged_minutes, 0);
  const BurdenTable by_municipality = summary(GroupBy::kMunicipality);
  EXPECT_EQ(row(by_municipality, "0180").minutes, 130);
  EXPECT_EQ(row(by_municipality, "0180").flagged_minutes, 100);
  EXPECT_EQ(row(by_municipality, "1283").minutes, 70);
  EXPECT_EQ(row(by_municipality, "1283").flagged_minutes, 50);
  // Stockholm's county (01) holds 0180, Skåne's (12) 1283; from 2025Q1 on,
  // 0180's only report of q is unflagged.
  const BurdenTable by_county = summary(GroupBy::kCounty);
  EXPECT_EQ(row(by_county, "01").minutes, 130);
  EXPECT_EQ(row(by_county, "01").flagged_minutes, 100);
  EXPECT_EQ(row(by_county, "12").flagged_minutes, 50);
  const BurdenTable recent = summary(GroupBy::kMunicipality, false, "2025Q1");
  EXPECT_EQ(row(recent, "0180").minutes, 30);
  EXPECT_EQ(row(recent, "0180").flagged_minutes, 0);
  EXPECT_EQ(row(recent, "1283").minutes, 20);  // the clean duty's
  const BurdenTable by_flag = summary(GroupBy::kFlag);
  EXPECT_EQ(row(by_flag, "NO_RECORDED_USE").minutes, 150);
  EXPECT_EQ(row(by_flag, "unflagged").minutes, 50);
  EXPECT_EQ(by_flag.totals.minutes, 200);
  // Only flagged reports: 2024Q1's; and none from 2025 on.
  const BurdenTable flagged = summary(GroupBy::kMunicipality, true);
  EXPECT_EQ(flagged.totals.minutes, 150);
  EXPECT_EQ(flagged.totals.reports, 2);
  EXPECT_EQ(summary(GroupBy::kAgency, true, "2025Q1").totals.minutes, 0);
  EXPECT_EQ(summary(GroupBy::kAgency, false, "2025Q1").totals.flagged_minutes, 0);
  // Ranked as flagged now (2024Q1 is in the window), with its flagged part.
  const auto ranked = *q_->FlaggedDuties("", 10);
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_EQ(ranked[0].duty.id, "q");
  EXPECT_EQ(ranked[0].burden.minutes, 180);
  EXPECT_EQ(ranked[0].burden.flagged_minutes, 150);

  // A use of 2024Q1's data clears it: nothing is flagged any more.
  DutyUse use{"q", "u", UseKind::kOfficialStatistics, "2025-03-01",
              "Published as official statistics.", "", "2024Q1", ""};
  ASSERT_TRUE(catalog_->RecordUse(use).ok());
  EXPECT_EQ(summary(GroupBy::kDuty).totals.flagged_minutes, 0);
  EXPECT_EQ(row(summary(GroupBy::kFlag), "unflagged").minutes, 200);
}

}  // namespace
}  // namespace inrapport
