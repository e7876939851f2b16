#include "common/metrics/burden_collector.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/domain/period.h"
#include "gtest/gtest.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using testing::ExampleDuty;
using testing::ExampleReport;
using testing::FakeStore;

// Collected samples as "name{label=value,...}" -> value.
std::map<std::string, double> Samples(const BurdenCollector& collector) {
  std::map<std::string, double> samples;
  for (const auto& family : collector.Collect()) {
    EXPECT_FALSE(family.help.empty()) << family.name;
    for (const auto& metric : family.metric) {
      std::string key = family.name + "{";
      for (const auto& label : metric.label) key += label.name + "=" + label.value + ",";
      key += "}";
      samples[key] = family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                                    : metric.gauge.value;
    }
  }
  return samples;
}

class BurdenCollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    aggregates_ = std::move(*Aggregates::Load(store_));
    catalog_ = std::move(*DutyCatalog::Load(&store_, aggregates_.get()));
    ASSERT_TRUE(catalog_->Create(ExampleDuty("a", "ivo", "A purpose.")).ok());
    ASSERT_TRUE(catalog_->Create(ExampleDuty("b", "ivo", "")).ok());
    for (const Report& r : {ExampleReport("1", "0180", "a", "2025Q1", 30),
                            ExampleReport("2", "0182", "b", "2025Q1", 90)}) {
      ASSERT_TRUE(store_.SubmitReportsAndWait({r})[0].ok());
      aggregates_->AddReports({&r});
    }
    // A use of a's data keeps NO_RECORDED_USE off its 2025Q1.
    ASSERT_TRUE(catalog_->RecordUse({"a", "u0", UseKind::kOfficialStatistics, "2025-07-01",
                                     "Published as official statistics.", "", "2025", ""})
                    .ok());
    queries_ = std::make_unique<BurdenQueries>(catalog_.get(), aggregates_.get(), 400);
    collector_ = std::make_unique<BurdenCollector>(catalog_.get(), &aggregates_->burden(),
                                                   queries_.get(), &store_);
  }
  // A use of the duty's 2025Q1 data: its reports of that quarter are not
  // flagged NO_RECORDED_USE.
  void Used(const std::string& duty_id) {
    ASSERT_TRUE(catalog_->RecordUse({duty_id, "u-" + duty_id, UseKind::kOfficialStatistics,
                                     "2025-07-01", "Published as official statistics.", "",
                                     "2025Q1", ""})
                    .ok());
  }

  FakeStore store_;
  std::unique_ptr<Aggregates> aggregates_;
  std::unique_ptr<DutyCatalog> catalog_;  // listens to aggregates_
  std::unique_ptr<BurdenQueries> queries_;
  std::unique_ptr<BurdenCollector> collector_;
};

TEST_F(BurdenCollectorTest, BurdenInSecondsAndSekByFlaggedLabel) {
  auto samples = Samples(*collector_);
  // 30 minutes = 1800 s on the unflagged duty, 90 minutes = 5400 s flagged.
  EXPECT_EQ(samples.at("inrapport_measured_burden_seconds{agency=ivo,sector=social_services,flagged=false,}"), 1800);
  EXPECT_EQ(samples.at("inrapport_measured_burden_seconds{agency=ivo,sector=social_services,flagged=true,}"), 5400);
  // 1.5 hours at 400 SEK/h = 600 SEK.
  EXPECT_EQ(samples.at("inrapport_measured_burden_sek{agency=ivo,sector=social_services,flagged=true,}"), 600);
  EXPECT_EQ(samples.at("inrapport_measured_reports{agency=ivo,sector=social_services,flagged=true,}"), 1);
  EXPECT_EQ(samples.at("inrapport_duties_registered{}"), 2);
  EXPECT_EQ(samples.at("inrapport_duties_flagged{flag=NO_STATED_PURPOSE,}"), 1);
  EXPECT_EQ(samples.at("inrapport_store_committed_reports_total{}"), 2);
}

// A report counts as flagged when its duty was flagged for the report's
// period: a purpose stated today leaves 2025Q1 flagged and the reports of the
// running quarter unflagged.
TEST_F(BurdenCollectorTest, StatingAPurposeTodayUnflagsOnlyTheRunningPeriod) {
  Duty b = *catalog_->Find("b");
  b.purpose = "Now stated.";
  ASSERT_TRUE(catalog_->Update(b).ok());
  const Report now = ExampleReport(
      "3", "0182", "b", Period::Containing(Frequency::kQuarterly, TodayInSweden()).ToString(),
      60);
  ASSERT_TRUE(store_.SubmitReportsAndWait({now})[0].ok());
  aggregates_->AddReports({&now});
  auto samples = Samples(*collector_);
  EXPECT_EQ(samples.at("inrapport_measured_burden_seconds{agency=ivo,sector=social_services,flagged=true,}"), 5400);
  EXPECT_EQ(samples.at("inrapport_measured_burden_seconds{agency=ivo,sector=social_services,flagged=false,}"), 1800 + 3600);
  EXPECT_EQ(samples.at("inrapport_duties_flagged{flag=NO_STATED_PURPOSE,}"), 0);
}

// Series per family, by family name.
std::map<std::string, size_t> SeriesByFamily(const BurdenCollector& collector) {
  std::map<std::string, size_t> series;
  for (const auto& family : collector.Collect()) series[family.name] = family.metric.size();
  return series;
}

// One municipality of each of SKR's nine groups, and the group's size:
// A1 3, A2 43, B3 23, B4 63, B5 24, C6 27, C7 51, C8 35, C9 21 (290).
constexpr const char* kOneOfEachGroup[] = {"0180", "0182", "1283", "0140", "0382",
                                           "2584", "0428", "0662", "0885"};

TEST_F(BurdenCollectorTest, PerDutyFamiliesHaveEachDutysFigures) {
  DutyUse use{"a", "u1", UseKind::kPublication, "2025-07-01", "Published as statistics.", "",
              "2025", ""};
  ASSERT_TRUE(catalog_->RecordUse(use).ok());
  use.use_id = "u2";
  ASSERT_TRUE(catalog_->RecordUse(use).ok());
  // c: quarterly, one report from a municipality of each group, 60 minutes
  // from Stockholm (A1) and 30 from the others.
  ASSERT_TRUE(catalog_->Create(ExampleDuty("c", "ivo", "A purpose.")).ok());
  ASSERT_NO_FATAL_FAILURE(Used("c"));
  for (const char* code : kOneOfEachGroup) {
    const Report r = ExampleReport(std::string("c-") + code, code, "c", "2025Q1",
                                   std::string(code) == "0180" ? 60 : 30);
    ASSERT_TRUE(store_.SubmitReportsAndWait({r})[0].ok());
    aggregates_->AddReports({&r});
  }
  auto samples = Samples(*collector_);
  EXPECT_EQ(samples.at("inrapport_duty_recorded_uses{duty=a,agency=ivo,}"), 3);
  EXPECT_EQ(samples.at("inrapport_duty_recorded_uses{duty=b,agency=ivo,}"), 0);
  // a and b have one report each: not estimable, so no national series (the
  // old median x 290 made 232,000 and 696,000 SEK of them).
  EXPECT_EQ(samples.count("inrapport_duty_national_estimated_cost_sek{duty=a,agency=ivo,}"), 0u);
  EXPECT_EQ(samples.count("inrapport_duty_national_estimated_cost_sek{duty=b,agency=ivo,}"), 0u);
  EXPECT_EQ(samples.at("inrapport_duties_not_estimable{}"), 2);
  // c: 3 x 60 + 287 x 30 = 8,790 minutes a quarter, x 4 = 35,160 minutes a
  // year = 586 hours, x 400 SEK = 234,400 SEK per year.
  EXPECT_DOUBLE_EQ(samples.at("inrapport_duty_national_estimated_cost_sek{duty=c,agency=ivo,}"),
                   234400);
  // The sum by (agency, sector, flagged) has c alone: b, flagged, has no
  // estimate, so flagged="true" has no series at all.
  EXPECT_DOUBLE_EQ(samples.at("inrapport_national_estimated_cost_sek{agency=ivo,sector=social_"
                              "services,flagged=false,}"),
                   234400);
  EXPECT_EQ(samples.count("inrapport_national_estimated_cost_sek{agency=ivo,sector=social_"
                          "services,flagged=true,}"),
            0u);
  EXPECT_EQ(samples.at("inrapport_duty_flags{duty=a,agency=ivo,}"), 0);
  const Duty b = *catalog_->Find("b");
  ASSERT_GE(b.flags.size(), 1u);  // NO_STATED_PURPOSE at least
  EXPECT_EQ(samples.at("inrapport_duty_flags{duty=b,agency=ivo,}"),
            static_cast<double>(b.flags.size()));
}

// docs/metrics.md#series: two per-duty families have exactly one series per
// registered duty, the third one per duty with a national estimate; every
// other burden family does not grow with duties of the same agency and
// sector, nor with reports.
TEST_F(BurdenCollectorTest, SummariesCountAsComputedOrKept) {
  auto samples = Samples(*collector_);
  EXPECT_EQ(samples.at("inrapport_burden_summaries_total{answer=computed,}"), 0);
  EXPECT_EQ(samples.at("inrapport_burden_summaries_total{answer=kept,}"), 0);
  SummaryQuery query;
  ASSERT_TRUE(queries_->Summary(query).ok());
  ASSERT_TRUE(queries_->Summary(query).ok());  // kept
  ASSERT_TRUE(queries_->Summary(query).ok());  // kept
  const Report r = ExampleReport("3", "0180", "a", "2025Q2", 15);
  ASSERT_TRUE(store_.SubmitReportsAndWait({r})[0].ok());
  aggregates_->AddReports({&r});
  ASSERT_TRUE(queries_->Summary(query).ok());  // computed: a report came
  samples = Samples(*collector_);
  EXPECT_EQ(samples.at("inrapport_burden_summaries_total{answer=computed,}"), 2);
  EXPECT_EQ(samples.at("inrapport_burden_summaries_total{answer=kept,}"), 2);
}

TEST_F(BurdenCollectorTest, OnlyPerDutyFamiliesGrowAndByOneSeriesPerDuty) {
  const std::set<std::string> kPerDuty = {"inrapport_duty_recorded_uses",
                                          "inrapport_duty_flags"};
  const std::string kPerEstimableDuty = "inrapport_duty_national_estimated_cost_sek";
  const auto before = SeriesByFamily(*collector_);
  for (const std::string& family : kPerDuty) EXPECT_EQ(before.at(family), 2u) << family;
  EXPECT_EQ(before.at(kPerEstimableDuty), 0u) << "a and b are not estimable";

  // 600 more duties of the same agency and sector, with purposes: 200 with
  // reports from a municipality of every group (estimable), 200 with
  // reports from five municipalities of three groups (not estimable), and
  // 200 without reports.
  const char* few[] = {"0180", "0182", "1283", "1480", "1280"};
  for (int d = 0; d < 600; ++d) {
    const std::string id = "more-" + std::to_string(d);
    Duty duty = ExampleDuty(id, "ivo", "A purpose.");
    duty.data_items = {id + "_item"};
    ASSERT_TRUE(catalog_->Create(duty).ok());
    if (d >= 400) continue;
    ASSERT_NO_FATAL_FAILURE(Used(id));
    std::vector<std::string> codes(std::begin(kOneOfEachGroup), std::end(kOneOfEachGroup));
    if (d >= 200) codes.assign(std::begin(few), std::end(few));
    for (const std::string& code : codes) {
      const Report r = ExampleReport(id + "-" + code, code, id, "2025Q1", 10);
      ASSERT_TRUE(store_.SubmitReportsAndWait({r})[0].ok());
      aggregates_->AddReports({&r});
    }
  }
  const auto after = SeriesByFamily(*collector_);
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [family, count] : after) {
    size_t expected = before.at(family);
    if (kPerDuty.count(family)) expected += 600;
    if (family == kPerEstimableDuty) expected += 200;
    // The sum by (agency, sector, flagged): ivo, social services, unflagged
    // now has estimable duties, and so a series; one more, not 200.
    if (family == "inrapport_national_estimated_cost_sek") expected += 1;
    EXPECT_EQ(count, expected) << family;
  }
  for (const std::string& family : kPerDuty) EXPECT_EQ(after.at(family), 602u) << family;
  EXPECT_EQ(after.at(kPerEstimableDuty), 200u);
  const auto samples = Samples(*collector_);
  EXPECT_EQ(
      samples.at("inrapport_measured_reports{agency=ivo,sector=social_services,flagged=false,}"),
      1 + 200 * 9 + 200 * 5);
  EXPECT_EQ(samples.at("inrapport_duties_not_estimable{}"), 2 + 200 + 200);
}

}  // namespace
}  // namespace inrapport
