// BurdenIndex taking reports while summaries are read, as the intake and
// the query handlers do. Run under ThreadSanitizer by scripts/sanitize.sh.
#include <algorithm>
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/aggregates/burden_index.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

TEST(BurdenIndexConcurrencyTest, SummariesReadWhileReportsArriveAddUp) {
  BurdenIndex index;
  // duty-a was flagged for 2024 only: its periods differ in flags, so its
  // summaries read (and the first of them makes) its sums split by flags,
  // which the writers keep up to date.
  const std::vector<PeriodFlags> period_flags = {{"2024", {"NO_RECORDED_USE"}},
                                                 {"2025Q1", {}}};
  std::map<std::string, DutyAttributes> attributes = {
      {"duty-a", {"scb", Sector::kSchool, false, {}}},
      {"duty-b", {"ivo", Sector::kSocialServices, false, {}}},
  };
  attributes["duty-a"].period_flags = &period_flags;
  const BurdenIndex::AttributesLookup lookup =
      [&attributes](absl::string_view id) -> const DutyAttributes* {
    auto it = attributes.find(std::string(id));
    return it == attributes.end() ? nullptr : &it->second;
  };
  const std::vector<std::string> municipalities = {"0180", "1283", "1480", "0114"};
  const std::vector<std::string> periods = {"2024", "2025Q1", "2025Q2", "2025-03"};

  // Each writer adds kReports reports of kMinutes each, a few at a time.
  constexpr int kWriters = 2;
  constexpr int kReports = 4000;
  constexpr int64_t kMinutes = 7;
  std::vector<std::vector<Report>> reports(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    for (int i = 0; i < kReports; ++i) {
      Report report;
      report.submission_id = absl::StrCat("w", w, "-", i);
      report.duty_id = i % 2 ? "duty-a" : "duty-b";
      report.municipality_code = municipalities[i % municipalities.size()];
      report.period = periods[(i / 2) % periods.size()];
      report.minutes_spent = kMinutes;
      report.staff_count = 1;
      reports[w].push_back(report);
    }
  }

  std::atomic<bool> done{false};
  // The writers wait for every reader, so that on a loaded machine reports
  // still arrive while summaries are read.
  constexpr int kReaders = 4;
  std::atomic<int> readers_started{0};
  std::atomic<int64_t> reads{0}, inconsistent{0}, shrank{0};
  auto reader = [&](GroupBy group_by) {
    int64_t seen = 0;
    ++readers_started;
    do {
      const BurdenTable table = index.Summarize(group_by, {}, lookup);
      // One summary is one state of the index: its rows add up to its
      // totals, and every report counts kMinutes.
      int64_t rows = 0;
      for (const BurdenRowData& row : table.rows) rows += row.reports;
      if (rows != table.totals.reports) ++inconsistent;
      if (table.totals.minutes != table.totals.reports * kMinutes) ++inconsistent;
      if (table.totals.flagged_minutes % kMinutes != 0 ||
          table.totals.flagged_minutes > table.totals.minutes) {
        ++inconsistent;
      }
      if (table.totals.reports < seen) ++shrank;
      seen = table.totals.reports;
      const DutyBurden a = index.TotalsOf("duty-a");
      if (a.minutes != a.reports * kMinutes) ++inconsistent;
      ++reads;
    } while (!done.load());
  };

  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      while (readers_started.load() < kReaders) std::this_thread::yield();
      for (size_t from = 0; from < reports[w].size(); from += 16) {
        std::vector<const Report*> batch;
        for (size_t i = from; i < std::min(reports[w].size(), from + 16); ++i) {
          batch.push_back(&reports[w][i]);
        }
        index.AddReports(batch);
      }
    });
  }
  std::thread by_duty(reader, GroupBy::kDuty);
  std::thread by_municipality(reader, GroupBy::kMunicipality);
  std::thread by_period(reader, GroupBy::kPeriod);
  std::thread by_flag(reader, GroupBy::kFlag);
  for (std::thread& writer : writers) writer.join();
  done = true;
  by_duty.join();
  by_municipality.join();
  by_period.join();
  by_flag.join();

  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_EQ(shrank.load(), 0);
  const BurdenTable table = index.Summarize(GroupBy::kDuty, {}, lookup);
  EXPECT_EQ(table.totals.reports, kWriters * kReports);
  EXPECT_EQ(table.totals.minutes, kWriters * kReports * kMinutes);
  ASSERT_EQ(table.rows.size(), 2u);
  for (const BurdenRowData& row : table.rows) EXPECT_EQ(row.reports, kReports) << row.key;
  EXPECT_EQ(index.TotalsOf("duty-a").reports, kReports);
  // duty-a's reports of 2024 (a quarter of them) count as flagged, in every
  // grouping that reads its split sums.
  const int64_t flagged = kWriters * (kReports / 2 / 4) * kMinutes;
  EXPECT_EQ(table.totals.flagged_minutes, flagged);
  EXPECT_EQ(index.Summarize(GroupBy::kMunicipality, {}, lookup).totals.flagged_minutes, flagged);
}

}  // namespace
}  // namespace inrapport
