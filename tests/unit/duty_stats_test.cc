#include "common/flags/duty_stats.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/examples.h"

namespace inrapport {
namespace {

using testing::ExampleDuty;

Report R(std::string period, int64_t minutes, int32_t usefulness = 0,
         Answer feedback = Answer::kUnknown) {
  Report report = testing::ExampleReport("s", "0180", "d", std::move(period), minutes);
  report.usefulness = usefulness;
  report.feedback_received = feedback;
  return report;
}

DutyStats WithMinutes(std::initializer_list<int64_t> minutes) {
  DutyStats stats;
  for (int64_t m : minutes) stats.AddReport(R("2025Q1", m));
  return stats;
}

TEST(DutyStatsTest, MedianMinutesOfNoReportsIsUnknown) {
  EXPECT_EQ(DutyStats().MedianMinutes(), std::nullopt);
}

TEST(DutyStatsTest, MedianMinutesOfAnOddCountIsTheMiddleValue) {
  EXPECT_EQ(WithMinutes({45}).MedianMinutes(), 45.0);
  EXPECT_EQ(WithMinutes({30, 10, 20}).MedianMinutes(), 20.0);
  EXPECT_EQ(WithMinutes({5, 5, 5, 100, 1000}).MedianMinutes(), 5.0);
}

TEST(DutyStatsTest, MedianMinutesOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  EXPECT_EQ(WithMinutes({40, 10, 30, 20}).MedianMinutes(), 25.0);
  EXPECT_EQ(WithMinutes({10, 10, 20, 20}).MedianMinutes(), 15.0);
  EXPECT_EQ(WithMinutes({7, 8}).MedianMinutes(), 7.5);
  EXPECT_EQ(WithMinutes({0, 0, 0, 9}).MedianMinutes(), 0.0);
}

TEST(DutyStatsTest, MedianMinutesCountsEachReportOfAHistogramCell) {
  DutyStats stats;
  stats.AddAnswers(10, 0, Answer::kUnknown, 3);   // 10 10 10
  stats.AddAnswers(100, 0, Answer::kUnknown, 2);  // 100 100
  EXPECT_EQ(stats.MedianMinutes(), 10.0);
  stats.AddAnswers(100, 0, Answer::kUnknown, 1);  // 10 10 10 100 100 100
  EXPECT_EQ(stats.MedianMinutes(), 55.0);
  EXPECT_EQ(stats.reports(), 6);
  EXPECT_EQ(stats.minutes(), 330);
}

TEST(DutyStatsTest, TotalsAndAnswersAreCounted) {
  DutyStats stats;
  stats.AddReport(R("2025Q1", 30, 4, Answer::kYes));
  stats.AddReport(R("2025Q1", 60, 0, Answer::kNo));
  stats.AddReport(R("2025Q2", 90, 2, Answer::kUnknown));
  stats.AddReport(R("2025Q2", 15, 9, Answer::kNo));  // usefulness out of range: not an answer
  EXPECT_EQ(stats.reports(), 4);
  EXPECT_EQ(stats.minutes(), 195);
  const DutyEvidence e = stats.Evidence(ExampleDuty("d"), absl::CivilDay(2025, 5, 15), {});
  EXPECT_EQ(e.reports, 4);
  EXPECT_EQ(e.minutes, 195);
  EXPECT_EQ(e.median_minutes, 45.0);
  EXPECT_EQ(e.feedback_yes, 1);
  EXPECT_EQ(e.feedback_no, 2);
  EXPECT_EQ(e.usefulness, (std::array<int64_t, 6>{1, 0, 1, 0, 1, 0}));
}

TEST(DutyStatsTest, ReportsAfterValidUntilCountPeriodsStartingAfterIt) {
  Duty duty = ExampleDuty("d");
  duty.valid_until = "2025-03-31";
  DutyStats stats;
  stats.AddReport(R("2025Q1", 30));  // ends on valid_until
  stats.AddReport(R("2025Q2", 30));
  stats.AddReport(R("2025Q2", 30));
  stats.AddReport(R("2025Q4", 30));
  stats.AddReport(R("2024Q4", 30));
  const DutyEvidence e = stats.Evidence(duty, absl::CivilDay(2025, 5, 15), {});
  EXPECT_EQ(e.reports_after_valid_until, 3);
  EXPECT_EQ(e.latest_period_after_valid_until, "2025Q4");

  duty.valid_until = "";
  const DutyEvidence open = stats.Evidence(duty, absl::CivilDay(2025, 5, 15), {});
  EXPECT_EQ(open.reports_after_valid_until, 0);
  EXPECT_EQ(open.latest_period_after_valid_until, "");
}

// Today 2025-05-15, grace 365 days: the latest four quarters that ended
// before 2024-05-15, from 2023-04-01 on.
TEST(DutyStatsTest, PeriodsPastTheirGraceWithoutAUseOfTheirDataAreListed) {
  DutyStats stats;
  stats.AddReport(R("2023Q1", 30));  // before the window
  stats.AddReport(R("2023Q3", 30));
  stats.AddReport(R("2024Q1", 30));
  stats.AddReport(R("2024Q1", 30));
  stats.AddReport(R("2024Q2", 30));  // still in its grace time
  DutyUse earlier;  // names no data: all periods ended by 2023-09-29
  earlier.date = "2023-09-29";  // covers 2023Q2 and before
  stats.AddUse(earlier);
  EXPECT_EQ(stats.uses(), 1);
  const DutyEvidence e = stats.Evidence(ExampleDuty("d"), absl::CivilDay(2025, 5, 15), {});
  EXPECT_EQ(e.use_window_start, "2023-04-01");
  EXPECT_EQ(e.use_grace_end, "2024-05-15");
  EXPECT_THAT(e.periods_without_use, ::testing::ElementsAre("2023Q3", "2024Q1"));
  EXPECT_EQ(e.reports_without_use, 3);
  EXPECT_EQ(e.uses_total, 1);
}

TEST(DutyStatsTest, PeriodsAreKeptInCanonicalForm) {
  Duty duty = ExampleDuty("d");
  duty.frequency = Frequency::kWeekly;
  duty.valid_until = "2025-01-31";
  DutyStats stats;
  stats.AddPeriod("2025-W06", 1);
  stats.AddPeriod("2025W06", 1);
  const DutyEvidence e = stats.Evidence(duty, absl::CivilDay(2025, 2, 10), {});
  EXPECT_EQ(e.reports_after_valid_until, 2);
  EXPECT_EQ(e.latest_period_after_valid_until, "2025W06");
}

TEST(DutyStatsTest, PeriodsThatDoNotParseAreNotCounted) {
  DutyStats stats;
  stats.AddPeriod("not a period", 5);
  const DutyEvidence e = stats.Evidence(ExampleDuty("d"), absl::CivilDay(2026, 5, 15), {});
  EXPECT_TRUE(e.periods_without_use.empty());
  EXPECT_TRUE(stats.PeriodStates(ExampleDuty("d"), absl::CivilDay(2026, 5, 15), {}).empty());
}

// The catalogue builds DutyStats two ways: one report at a time as reports
// are accepted, and from the stored aggregates at start-up. Both must give
// the same evidence, whatever the order.
TEST(DutyStatsTest, AggregatesLoadedAtStartUpGiveTheSameEvidenceAsReportsOneByOne) {
  std::vector<Report> reports;
  const char* periods[] = {"2024Q2", "2024Q3", "2025Q1", "2025Q2", "2025Q3"};
  const Answer answers[] = {Answer::kUnknown, Answer::kYes, Answer::kNo};
  for (int i = 0; i < 97; ++i) {
    reports.push_back(R(periods[i % 5], 10 + (i * 37) % 120, i % 6, answers[i % 3]));
  }
  Duty duty = ExampleDuty("d");
  duty.valid_until = "2025-03-31";
  const absl::CivilDay today(2025, 5, 15);
  std::vector<DutyUse> uses(2);
  uses[0].date = "2024-01-05";
  uses[1].date = "2025-02-01";
  uses[1].first_period = "2024Q3";
  uses[1].last_period = "2024Q3";

  DutyStats one_by_one;
  for (const Report& report : reports) one_by_one.AddReport(report);

  // The store's answer cells (minutes, usefulness, feedback) and burden
  // cells (period) with their report counts, fed in reverse order.
  std::map<std::tuple<int64_t, int32_t, Answer, std::string>, int64_t> answer_cells;
  std::map<std::string, int64_t> period_cells;
  for (const Report& report : reports) {
    ++answer_cells[{report.minutes_spent, report.usefulness, report.feedback_received,
                    report.period}];
    ++period_cells[report.period];
  }
  DutyStats loaded;
  for (auto it = answer_cells.rbegin(); it != answer_cells.rend(); ++it) {
    const auto& [minutes, usefulness, feedback, period] = it->first;
    loaded.AddAnswers(minutes, usefulness, feedback, it->second, Answer::kUnknown, period);
  }
  for (auto it = period_cells.rbegin(); it != period_cells.rend(); ++it) {
    loaded.AddPeriod(it->first, it->second);
  }
  for (const DutyUse& use : uses) {
    one_by_one.AddUse(use);
    loaded.AddUse(use);
  }

  for (const FlagThresholds& t : {FlagThresholds{}, FlagThresholds{0.3, 3, 3.0, 3, 1.5, 2, 1}}) {
    const DutyEvidence a = one_by_one.Evidence(duty, today, t);
    const DutyEvidence b = loaded.Evidence(duty, today, t);
    EXPECT_TRUE(a == b);
    EXPECT_EQ(a.reports, 97);
    EXPECT_EQ(a.reports, b.reports);
    EXPECT_EQ(a.minutes, b.minutes);
    EXPECT_EQ(a.median_minutes, b.median_minutes);
    EXPECT_EQ(a.usefulness, b.usefulness);
    EXPECT_EQ(a.reports_after_valid_until, b.reports_after_valid_until);
    EXPECT_EQ(a.periods_without_use, b.periods_without_use);
    EXPECT_EQ(EvaluateFlags(duty, a, t), EvaluateFlags(duty, b, t));
  }
  EXPECT_EQ(one_by_one.MedianMinutes(), loaded.MedianMinutes());
  const auto a = one_by_one.PeriodStates(duty, today, {});
  const auto b = loaded.PeriodStates(duty, today, {});
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].period, b[i].period);
    EXPECT_EQ(a[i].reports, b[i].reports);
    EXPECT_EQ(a[i].without_use, b[i].without_use);
    EXPECT_EQ(a[i].after_valid_until, b[i].after_valid_until);
    // Each period's own answers give the same evidence.
    const DutyEvidence pa = one_by_one.PeriodEvidence(a[i]);
    const DutyEvidence pb = loaded.PeriodEvidence(b[i]);
    EXPECT_TRUE(pa == pb) << a[i].period;
    EXPECT_EQ(pa.reports, a[i].reports) << a[i].period;
    EXPECT_GT(pa.reports, 0) << a[i].period;
  }
  EXPECT_EQ(one_by_one.minutes(), loaded.minutes());
}

struct WindowCase {
  Frequency frequency;
  absl::CivilDay today;
  int periods;
  absl::CivilDay start;
};

TEST(DutyStatsTest, UseWindowStartPerFrequency) {
  using D = absl::CivilDay;
  const D thursday(2025, 5, 15);  // 2025Q2, 2025H1, ISO week 20 (Monday 2025-05-12)
  const WindowCase cases[] = {
      {Frequency::kAnnual, thursday, 4, D(2022, 1, 1)},
      {Frequency::kAnnual, thursday, 1, D(2025, 1, 1)},
      {Frequency::kSemiannual, thursday, 4, D(2023, 7, 1)},
      {Frequency::kSemiannual, D(2025, 7, 1), 2, D(2025, 1, 1)},
      {Frequency::kQuarterly, thursday, 4, D(2024, 7, 1)},
      {Frequency::kQuarterly, thursday, 1, D(2025, 4, 1)},
      {Frequency::kQuarterly, D(2025, 1, 10), 4, D(2024, 4, 1)},
      {Frequency::kMonthly, thursday, 4, D(2025, 2, 1)},
      {Frequency::kMonthly, D(2025, 2, 28), 3, D(2024, 12, 1)},
      {Frequency::kWeekly, thursday, 4, D(2025, 4, 21)},
      {Frequency::kWeekly, thursday, 1, D(2025, 5, 12)},
      // 2025-01-01 is in ISO week 1 of 2025, which starts on 2024-12-30.
      {Frequency::kWeekly, D(2025, 1, 1), 2, D(2024, 12, 23)},
      // 365 days, today included.
      {Frequency::kAdHoc, thursday, 4, D(2024, 5, 16)},
      {Frequency::kAdHoc, D(2024, 3, 1), 4, D(2023, 3, 3)},  // across 29 February
      {Frequency::kUnspecified, thursday, 4, D(2024, 5, 16)},
      // Zero or fewer periods count as one: the current period.
      {Frequency::kQuarterly, thursday, 0, D(2025, 4, 1)},
  };
  for (const WindowCase& c : cases) {
    EXPECT_EQ(UseWindowStart(c.frequency, c.today, c.periods), c.start)
        << FrequencyName(c.frequency) << " " << c.today << " " << c.periods;
  }
}

}  // namespace
}  // namespace inrapport
