// What is due when, for one municipality: each period of each duty that
// applies to it whose deadline falls in the range, and its state, judged by
// the day of the first receipt in Sweden against a fixed "today".
#include "common/due/due_reports.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/aggregates/aggregates.h"
#include "common/catalog/duty_catalog.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using testing::ExampleDuty;
using testing::ExampleReport;
using testing::FakeStore;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

int64_t UtcSeconds(int y, int m, int d, int hh, int mm) {
  return absl::ToUnixSeconds(absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0),
                                             absl::UTCTimeZone()));
}

class DueReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    aggregates_ = std::move(*Aggregates::Load(store_));
    catalog_ = std::move(*DutyCatalog::Load(&store_, aggregates_.get(), {},
                                            [this] { return today_; }));
    Duty quarterly = ExampleDuty("q30", "ivo");
    quarterly.deadline = "30 days after period end";
    ASSERT_TRUE(catalog_->Create(quarterly).ok());
    Duty annual = ExampleDuty("yearly", "scb");
    annual.frequency = Frequency::kAnnual;
    annual.deadline = "03-31 of the following year";
    annual.respondents = {"1283", "1480"};
    ASSERT_TRUE(catalog_->Create(annual).ok());
    Duty elsewhere = ExampleDuty("not-here", "ivo");
    elsewhere.deadline = "30 days after period end";
    elsewhere.respondents = {"0180"};
    ASSERT_TRUE(catalog_->Create(elsewhere).ok());
    Duty undated = ExampleDuty("undated", "ivo");
    ASSERT_TRUE(catalog_->Create(undated).ok());
    Duty ad_hoc = ExampleDuty("ad-hoc", "ivo");
    ad_hoc.frequency = Frequency::kAdHoc;
    ad_hoc.deadline = "10 days after period end";
    ASSERT_TRUE(catalog_->Create(ad_hoc).ok());
    due_ = std::make_unique<DueReports>(&store_, catalog_.get(), [this] { return today_; });
  }

  void Add(const std::string& id, const std::string& municipality, const std::string& duty,
           const std::string& period, int64_t received_at) {
    store_.SetReceivedAt(received_at);
    ASSERT_TRUE(
        store_.SubmitReportsAndWait({ExampleReport(id, municipality, duty, period)})[0].ok());
  }

  DueList List(DueQuery query) {
    absl::StatusOr<DueList> list = due_->List(query);
    EXPECT_TRUE(list.ok()) << list.status();
    return list.ok() ? *list : DueList{};
  }

  static std::vector<std::string> Rows(const DueList& list) {
    std::vector<std::string> rows;
    for (const DueEntry& e : list.entries) {
      rows.push_back(absl::StrCat(e.duty_id, " ", e.period, " ", FormatDate(e.deadline), " ",
                                  DueStateName(e.state)));
    }
    return rows;
  }

  absl::CivilDay today_{2025, 5, 10};
  FakeStore store_;
  std::unique_ptr<Aggregates> aggregates_;
  std::unique_ptr<DutyCatalog> catalog_;
  std::unique_ptr<DueReports> due_;
};

TEST_F(DueReportsTest, EachStateFromTheFirstReceiptsDayInSweden) {
  // On the deadline day, 23:30 in Stockholm (UTC+1 in winter): on time.
  Add("a", "1283", "q30", "2024Q4", UtcSeconds(2025, 1, 30, 22, 30));
  // A second report of the same period, later, does not make it late.
  Add("b", "1283", "q30", "2024Q4", UtcSeconds(2025, 3, 1, 9, 0));
  // 22:30 UTC on the deadline day is 00:30 the next day in Stockholm
  // (UTC+2 in summer): late.
  Add("c", "1283", "q30", "2025Q1", UtcSeconds(2025, 4, 30, 22, 30));
  // Another municipality's report counts for nothing here.
  Add("d", "0180", "q30", "2025Q2", UtcSeconds(2025, 4, 2, 8, 0));
  Add("e", "0180", "yearly", "2024", UtcSeconds(2025, 2, 2, 8, 0));

  DueList list = List({"1283", "2025-01-01", "2025-08-31", ""});
  EXPECT_THAT(Rows(list), ElementsAre("q30 2024Q4 2025-01-30 received",
                                      "yearly 2024 2025-03-31 missing",
                                      "q30 2025Q1 2025-04-30 received_late",
                                      "q30 2025Q2 2025-07-30 not_yet_due"));
  EXPECT_EQ(list.entries[0].reports, 2);
  EXPECT_EQ(list.entries[0].first_received_unix, UtcSeconds(2025, 1, 30, 22, 30));
  EXPECT_EQ(list.entries[0].rule, "30 days after period end");
  EXPECT_EQ(list.entries[1].reports, 0);
  EXPECT_EQ(list.entries[1].first_received_unix, 0);
  EXPECT_EQ(list.entries[1].agency_id, "scb");
  // A duty with no deadline rule is named, and nothing of it is late.
  EXPECT_THAT(list.without_deadline, ElementsAre("undated"));
}

// A withdrawn report was not received: its period is judged by the reports
// left. A corrected report counts under its corrected period, from its
// first receipt.
TEST_F(DueReportsTest, AWithdrawnReportIsNotReceivedAndACorrectedOneCountsWhereItIsNow) {
  Add("a", "1283", "q30", "2024Q4", UtcSeconds(2025, 1, 10, 8, 0));
  Add("b", "1283", "q30", "2024Q4", UtcSeconds(2025, 2, 10, 8, 0));
  Add("c", "1283", "q30", "2024Q4", UtcSeconds(2025, 4, 10, 8, 0));
  ReportChange withdrawal;
  withdrawal.kind = ChangeKind::kWithdrawal;
  withdrawal.municipality_code = "1283";
  withdrawal.submission_id = "a";
  withdrawal.reason = "dubblett";
  ASSERT_TRUE(store_.ChangeReport(withdrawal).ok());
  ReportChange correction;
  correction.corrected = ExampleReport("c", "1283", "q30", "2025Q1");
  correction.reason = "fel kvartal";
  ASSERT_TRUE(store_.ChangeReport(correction).ok());

  DueList list = List({"1283", "2025-01-01", "2025-04-30", ""});
  EXPECT_THAT(Rows(list), ElementsAre("q30 2024Q4 2025-01-30 received_late",
                                      "yearly 2024 2025-03-31 missing",
                                      "q30 2025Q1 2025-04-30 received"));
  EXPECT_EQ(list.entries[0].reports, 1);
  EXPECT_EQ(list.entries[0].first_received_unix, UtcSeconds(2025, 2, 10, 8, 0));
  EXPECT_EQ(list.entries[2].first_received_unix, UtcSeconds(2025, 4, 10, 8, 0));
}

TEST_F(DueReportsTest, ADutyThatDoesNotApplyToTheMunicipalityIsAbsent) {
  DueList for_1283 = List({"1283", "2025-01-01", "2025-08-31", ""});
  for (const DueEntry& e : for_1283.entries) {
    EXPECT_NE(e.duty_id, "not-here");
    EXPECT_NE(e.duty_id, "ad-hoc");  // ad hoc duties have no schedule
  }
  // 0180 is not among the yearly duty's respondents, but must report
  // not-here.
  DueList for_0180 = List({"0180", "2025-01-01", "2025-08-31", ""});
  EXPECT_THAT(Rows(for_0180), ElementsAre("not-here 2024Q4 2025-01-30 missing",
                                          "q30 2024Q4 2025-01-30 missing",
                                          "not-here 2025Q1 2025-04-30 missing",
                                          "q30 2025Q1 2025-04-30 missing",
                                          "not-here 2025Q2 2025-07-30 not_yet_due",
                                          "q30 2025Q2 2025-07-30 not_yet_due"));
}

TEST_F(DueReportsTest, TheDeadlineDayItselfIsNotYetLate) {
  today_ = absl::CivilDay(2025, 4, 30);
  EXPECT_THAT(Rows(List({"1283", "2025-04-30", "2025-04-30", ""})),
              ElementsAre("q30 2025Q1 2025-04-30 not_yet_due"));
  today_ = absl::CivilDay(2025, 5, 1);
  EXPECT_THAT(Rows(List({"1283", "2025-04-30", "2025-04-30", ""})),
              ElementsAre("q30 2025Q1 2025-04-30 missing"));
}

TEST_F(DueReportsTest, AnAgencySeesItsOwnDutiesOnly) {
  DueList list = List({"1283", "2025-01-01", "2025-08-31", "scb"});
  EXPECT_THAT(Rows(list), ElementsAre("yearly 2024 2025-03-31 missing"));
  EXPECT_TRUE(list.without_deadline.empty());
}

TEST_F(DueReportsTest, TheDefaultRangeIsAYearBackAndNinetyDaysAhead) {
  DueList list = List({"1283", "", "", ""});
  EXPECT_EQ(list.from, absl::CivilDay(2024, 5, 10));
  EXPECT_EQ(list.to, absl::CivilDay(2025, 8, 8));
  EXPECT_EQ(list.today, today_);
  EXPECT_THAT(Rows(list), ElementsAre("q30 2024Q2 2024-07-30 missing",
                                      "q30 2024Q3 2024-10-30 missing",
                                      "q30 2024Q4 2025-01-30 missing",
                                      "yearly 2024 2025-03-31 missing",
                                      "q30 2025Q1 2025-04-30 missing",
                                      "q30 2025Q2 2025-07-30 not_yet_due"));
}

TEST_F(DueReportsTest, AValidityEndEndsThePeriods) {
  Duty ended = *catalog_->Get("q30");
  ended.valid_until = "2024-12-31";
  ASSERT_TRUE(catalog_->Update(ended).ok());
  EXPECT_THAT(Rows(List({"1283", "2025-01-01", "2025-08-31", ""})),
              ElementsAre("q30 2024Q4 2025-01-30 missing", "yearly 2024 2025-03-31 missing"));
}

TEST_F(DueReportsTest, ReadsEveryPageOfTheMunicipalitysReports) {
  // More reports than one read of the store returns.
  std::vector<Report> reports;
  for (int i = 0; i < 2500; ++i) {
    reports.push_back(ExampleReport(absl::StrCat("r", 10000 + i), "1283", "q30", "2024Q4"));
  }
  reports.push_back(ExampleReport("zzz", "1283", "q30", "2025Q1"));
  store_.SetReceivedAt(UtcSeconds(2025, 4, 1, 8, 0));
  for (const auto& result : store_.SubmitReportsAndWait(reports)) ASSERT_TRUE(result.ok());
  DueList list = List({"1283", "2025-04-30", "2025-04-30", "ivo"});
  EXPECT_THAT(Rows(list), ElementsAre("q30 2025Q1 2025-04-30 received"));
  EXPECT_EQ(List({"1283", "2025-01-30", "2025-01-30", "ivo"}).entries.at(0).reports, 2500);
}

TEST_F(DueReportsTest, RefusesBadFieldsByName) {
  const std::pair<DueQuery, const char*> cases[] = {
      {{"9999", "", "", ""}, "municipality_code: \"9999\""},
      {{"", "", "", ""}, "municipality_code"},
      {{"1283", "2025-13-01", "", ""}, "from_date: "},
      {{"1283", "", "2025-02-30", ""}, "to_date: "},
      {{"1283", "2025-05-01", "2025-04-30", ""}, "to_date: 2025-04-30 is before from_date 2025-05-01"},
      {{"1283", "2020-01-01", "2025-01-01", ""}, "to_date: at most 1098 days"},
      {{"1283", "", "", "Not An Agency"}, "agency_id"},
  };
  for (const auto& [query, message] : cases) {
    absl::StatusOr<DueList> list = due_->List(query);
    ASSERT_FALSE(list.ok()) << message;
    EXPECT_EQ(list.status().code(), absl::StatusCode::kInvalidArgument) << message;
    EXPECT_THAT(std::string(list.status().message()), HasSubstr(message));
  }
}

}  // namespace
}  // namespace inrapport
