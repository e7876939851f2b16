#include "common/metrics/burden_collector.h"

#include <map>
#include <memory>
#include <set>
#include <string>

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
    catalog_ = std::move(*DutyCatalog::Load(&store_));
    ASSERT_TRUE(catalog_->Create(ExampleDuty("a", "ivo", "A purpose.")).ok());
    ASSERT_TRUE(catalog_->Create(ExampleDuty("b", "ivo", "")).ok());
    for (const Report& r : {ExampleReport("1", "0180", "a", "2025Q1", 30),
                            ExampleReport("2", "0182", "b", "2025Q1", 90)}) {
      ASSERT_TRUE(store_.SubmitReportsAndWait({r})[0].ok());
      index_.AddReports({&r});
      catalog_->AddReports({&r});  // the medians of the national estimates
    }
    // A use of a's data keeps NO_RECORDED_USE off its 2025Q1.
    ASSERT_TRUE(catalog_->RecordUse({"a", "u0", UseKind::kOfficialStatistics, "2025-07-01",
                                     "Published as official statistics.", "", "2025", ""})
                    .ok());
    queries_ = std::make_unique<BurdenQueries>(catalog_.get(), &index_, 400);
    collector_ = std::make_unique<BurdenCollector>(catalog_.get(), &index_,
                                                   queries_.get(), &store_);
  }
  FakeStore store_;
  std::unique_ptr<DutyCatalog> catalog_;
  BurdenIndex index_;
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
  index_.AddReports({&now});
  catalog_->AddReports({&now});
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

TEST_F(BurdenCollectorTest, PerDutyFamiliesHaveEachDutysFigures) {
  DutyUse use{"a", "u1", UseKind::kPublication, "2025-07-01", "Published as statistics.", "",
              "2025", ""};
  ASSERT_TRUE(catalog_->RecordUse(use).ok());
  use.use_id = "u2";
  ASSERT_TRUE(catalog_->RecordUse(use).ok());
  auto samples = Samples(*collector_);
  EXPECT_EQ(samples.at("inrapport_duty_recorded_uses{duty=a,agency=ivo,}"), 3);
  EXPECT_EQ(samples.at("inrapport_duty_recorded_uses{duty=b,agency=ivo,}"), 0);
  // a: median 30 min x 4 quarters x 290 / 60 = 580 h x 400 SEK = 232,000 SEK.
  EXPECT_DOUBLE_EQ(samples.at("inrapport_duty_national_estimated_cost_sek{duty=a,agency=ivo,}"),
                   232000);
  // b: 90 min x 4 x 290 / 60 = 1,740 h x 400 = 696,000 SEK.
  EXPECT_DOUBLE_EQ(samples.at("inrapport_duty_national_estimated_cost_sek{duty=b,agency=ivo,}"),
                   696000);
  EXPECT_EQ(samples.at("inrapport_duty_flags{duty=a,agency=ivo,}"), 0);
  const Duty b = *catalog_->Find("b");
  ASSERT_GE(b.flags.size(), 1u);  // NO_STATED_PURPOSE at least
  EXPECT_EQ(samples.at("inrapport_duty_flags{duty=b,agency=ivo,}"),
            static_cast<double>(b.flags.size()));
}

// docs/metrics.md#series: the per-duty families have exactly one series per
// registered duty; every other burden family does not grow with duties of
// the same agency and sector, nor with reports.
TEST_F(BurdenCollectorTest, OnlyPerDutyFamiliesGrowAndByOneSeriesPerDuty) {
  const std::set<std::string> kPerDuty = {"inrapport_duty_recorded_uses",
                                          "inrapport_duty_national_estimated_cost_sek",
                                          "inrapport_duty_flags"};
  const auto before = SeriesByFamily(*collector_);
  for (const std::string& family : kPerDuty) EXPECT_EQ(before.at(family), 2u) << family;

  // 300 more duties of the same agency and sector, with purposes, each
  // with reports from many municipalities, and 300 without reports.
  const char* codes[] = {"0180", "0182", "1283", "1480", "1280"};
  for (int d = 0; d < 600; ++d) {
    const std::string id = "more-" + std::to_string(d);
    Duty duty = ExampleDuty(id, "ivo", "A purpose.");
    duty.data_items = {id + "_item"};
    ASSERT_TRUE(catalog_->Create(duty).ok());
    if (d >= 300) continue;
    for (int m = 0; m < 5; ++m) {
      const Report r = ExampleReport(id + "-" + codes[m], codes[m], id, "2025Q1", 10);
      ASSERT_TRUE(store_.SubmitReportsAndWait({r})[0].ok());
      index_.AddReports({&r});
    }
  }
  const auto after = SeriesByFamily(*collector_);
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [family, count] : after) {
    const size_t expected = before.at(family) + (kPerDuty.count(family) ? 600 : 0);
    EXPECT_EQ(count, expected) << family;
  }
  for (const std::string& family : kPerDuty) EXPECT_EQ(after.at(family), 602u) << family;
  EXPECT_EQ(Samples(*collector_).at(
                "inrapport_measured_reports{agency=ivo,sector=social_services,flagged=false,}"),
            1 + 300 * 5);
}

}  // namespace
}  // namespace inrapport
