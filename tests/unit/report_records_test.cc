// What a municipality has submitted, read back through ReportRecords: the
// checked filters, the period range, and pages (in key order) that neither
// skip nor repeat even when the period filter leaves most reports out.
#include "common/records/report_records.h"

#include <memory>
#include <string>
#include <vector>

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

class ReportRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    aggregates_ = std::move(*Aggregates::Load(store_));
    catalog_ = std::move(*DutyCatalog::Load(&store_, aggregates_.get()));
    ASSERT_TRUE(catalog_->Create(ExampleDuty("ivo-q", "ivo")).ok());
    ASSERT_TRUE(catalog_->Create(ExampleDuty("scb-q", "scb")).ok());
    records_ = std::make_unique<ReportRecords>(&store_, catalog_.get());
  }

  void Add(const std::string& id, const std::string& municipality, const std::string& duty,
           const std::string& period) {
    Report report = ExampleReport(id, municipality, duty, period, 30);
    ASSERT_TRUE(store_.SubmitReportsAndWait({report})[0].ok());
  }

  std::vector<std::string> Ids(const ReportPage& page) {
    std::vector<std::string> ids;
    for (const StoredReport& r : page.reports) ids.push_back(r.report.submission_id);
    return ids;
  }

  // Every page of `query`, followed to the end: the ids in order, and how
  // many pages it took.
  std::vector<std::string> All(ReportListQuery query, int* pages = nullptr) {
    std::vector<std::string> ids;
    int count = 0;
    do {
      absl::StatusOr<ReportPage> page = records_->List(query);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || ++count > 1000) break;
      for (std::string& id : Ids(*page)) ids.push_back(std::move(id));
      query.page_token = page->next_page_token;
    } while (!query.page_token.empty());
    if (pages != nullptr) *pages = count;
    return ids;
  }

  FakeStore store_;
  std::unique_ptr<Aggregates> aggregates_;
  std::unique_ptr<DutyCatalog> catalog_;
  std::unique_ptr<ReportRecords> records_;
};

TEST_F(ReportRecordsTest, GetNamesBothKeysWhenTheMunicipalityStoredNoSuchReport) {
  Add("a", "0180", "ivo-q", "2025Q1");
  absl::StatusOr<StoredReport> stored = records_->Get("0180", "a");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->report.duty_id, "ivo-q");
  EXPECT_EQ(stored->receipt.version, 1);
  absl::StatusOr<StoredReport> other = records_->Get("1283", "a");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(other.status().message(),
            "municipality 1283 has stored no report with submission_id \"a\"");
  EXPECT_EQ(records_->Get("9999", "a").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(records_->Get("0180", "").status().message(), HasSubstr("submission_id"));
  EXPECT_EQ(records_->AgencyOf(stored->report), "ivo");
}

TEST_F(ReportRecordsTest, PagesFollowKeyOrderWithoutSkippingOrRepeating) {
  for (int i = 0; i < 7; ++i) Add("r" + std::to_string(i), "0180", "ivo-q", "2025Q1");
  Add("other", "1283", "ivo-q", "2025Q1");
  ReportListQuery query;
  query.municipality_code = "0180";
  query.page_size = 3;
  int pages = 0;
  EXPECT_THAT(All(query, &pages), ElementsAre("r0", "r1", "r2", "r3", "r4", "r5", "r6"));
  EXPECT_EQ(pages, 3);
  query.page_size = 7;  // exactly one page: no token, no empty second page
  EXPECT_EQ(All(query, &pages).size(), 7u);
  EXPECT_EQ(pages, 1);
}

TEST_F(ReportRecordsTest, APeriodRangeListsTheReportsWhollyInsideIt) {
  Add("q4", "0180", "ivo-q", "2024Q4");
  Add("q1", "0180", "ivo-q", "2025Q1");
  Add("year", "0180", "scb-q", "2025");
  Add("q2", "0180", "ivo-q", "2025Q2");
  ReportListQuery query;
  query.municipality_code = "0180";
  query.period_from = "2025";
  query.period_to = "2025";
  EXPECT_THAT(All(query), ElementsAre("q1", "q2", "year"));
  query.period_to = "2025Q1";  // ends before the year does
  EXPECT_THAT(All(query), ElementsAre("q1"));
  query.period_from = "";
  EXPECT_THAT(All(query), ElementsAre("q1", "q4"));
}

TEST_F(ReportRecordsTest, AFilterThatMatchesFewReportsEndsPagesEarlyAndStillFindsThemAll) {
  // 2 000 reports of 2024, then one of 2025: a page of 5 reads at most 50
  // reports, so the one of 2025 is found after many short pages, each with
  // a token, and none is listed twice.
  for (int i = 0; i < 2000; ++i) Add("a" + std::to_string(10000 + i), "0180", "ivo-q", "2024Q1");
  Add("new", "0180", "ivo-q", "2025Q1");
  Add("old-last", "0180", "ivo-q", "2024Q2");
  ReportListQuery query;
  query.period_from = "2025Q1";
  query.page_size = 5;
  absl::StatusOr<ReportPage> first = records_->List(query);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->reports.empty());
  EXPECT_FALSE(first->next_page_token.empty());
  int pages = 0;
  EXPECT_THAT(All(query, &pages), ElementsAre("new"));
  EXPECT_EQ(pages, 2003 / (5 * ReportRecords::kReadsPerPageSize) + 1);
}

TEST_F(ReportRecordsTest, BadFiltersAreRefusedNamingTheField) {
  auto status = [&](auto set) {
    ReportListQuery query;
    set(query);
    return records_->List(query).status();
  };
  EXPECT_THAT(status([](auto& q) { q.municipality_code = "9999"; }).message(),
              HasSubstr("municipality_code: \"9999\" is not one of the 290"));
  EXPECT_EQ(status([](auto& q) { q.duty_id = "nope"; }).code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status([](auto& q) {
                q.duty_id = "scb-q";
                q.agency_id = "ivo";
              }).message(),
              HasSubstr("duty_id: duty \"scb-q\" is a duty of agency \"scb\""));
  EXPECT_THAT(status([](auto& q) { q.period_from = "2025Q5"; }).message(),
              HasSubstr("period_from: "));
  EXPECT_THAT(status([](auto& q) {
                q.period_from = "2025";
                q.period_to = "2024";
              }).message(),
              HasSubstr("period_to: \"2024\" ends before period_from \"2025\" starts"));
  EXPECT_THAT(status([](auto& q) { q.page_size = 1001; }).message(), HasSubstr("page_size"));
  EXPECT_EQ(status([](auto& q) { q.page_token = "bm9wZQ"; }).message(),
            "page_token: not a token returned by ListReports");
}

TEST_F(ReportRecordsTest, AgenciesListTheReportsOfTheirOwnDuties) {
  Add("i", "0180", "ivo-q", "2025Q1");
  Add("s", "1283", "scb-q", "2025Q1");
  ReportListQuery query;
  query.agency_id = "scb";
  EXPECT_THAT(All(query), ElementsAre("s"));
  query.agency_id = "ivo";
  query.duty_id = "ivo-q";
  EXPECT_THAT(All(query), ElementsAre("i"));
}

}  // namespace
}  // namespace inrapport
