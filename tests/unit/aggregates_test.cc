// The aggregates: loaded once from the store's aggregate tables, updated in
// one place, and telling their listener which duties changed.
#include "common/aggregates/aggregates.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/accept_reports.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using testing::ExampleReport;

class AggregatesTest : public ::testing::Test {
 protected:
  void SetUp() override { aggregates_ = std::move(*Aggregates::Load(store_)); }

  // Stores the reports and adds those accepted to the aggregates, as the
  // intake does.
  void Accept(const std::vector<Report>& reports) {
    testing::AcceptReports(store_, *aggregates_, reports);
  }

  testing::FakeStore store_;
  std::unique_ptr<Aggregates> aggregates_;
};

TEST_F(AggregatesTest, TheListenerHearsEachChangedDutyOnceWithItsFiguresInPlace) {
  std::vector<std::vector<std::string>> heard;
  int64_t reports_seen = -1;
  aggregates_->SetListener([&](const std::vector<std::string>& duties) {
    heard.push_back(duties);
    reports_seen = aggregates_->FiguresOf("b").reports;  // already counted
  });
  Accept({ExampleReport("1", "0180", "b", "2025Q1", 10),
          ExampleReport("2", "0182", "a", "2025Q1", 20),
          ExampleReport("3", "1283", "b", "2025Q2", 30)});
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_THAT(heard[0], ElementsAre("a", "b"));
  EXPECT_EQ(reports_seen, 2);
  EXPECT_EQ(aggregates_->burden().TotalsOf("b").minutes, 40);

  Accept({ExampleReport("1", "0180", "b", "2025Q1", 10)});  // a retry: nothing accepted
  EXPECT_EQ(heard.size(), 1u);

  aggregates_->SetListener(nullptr);
  Accept({ExampleReport("4", "0180", "a", "2025Q3", 5)});
  EXPECT_EQ(heard.size(), 1u);
  EXPECT_EQ(aggregates_->FiguresOf("a").reports, 2);
}

TEST_F(AggregatesTest, LoadingFromTheStoreGivesWhatTheReportsGaveOneByOne) {
  Accept({ExampleReport("1", "0180", "q", "2025Q1", 10),
          ExampleReport("2", "0182", "q", "2025Q2", 30),
          ExampleReport("3", "1283", "q", "2025Q2", 20),
          ExampleReport("4", "1283", "y", "2024", 50)});
  const DutyUse use{"q", "u", UseKind::kPublication, "2025-09-01", "Published as statistics.",
                    "", "2025Q1", ""};
  ASSERT_EQ(*store_.RecordUse(use), SubmitOutcome::kAccepted);
  aggregates_->AddUse(use);

  auto loaded = Aggregates::Load(store_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const FlagThresholds thresholds;
  const absl::CivilDay today(2026, 6, 1);
  for (const char* id : {"q", "y", "none"}) {
    SCOPED_TRACE(id);
    const DutyFigures a = aggregates_->FiguresOf(id);
    const DutyFigures b = (*loaded)->FiguresOf(id);
    EXPECT_EQ(a.reports, b.reports);
    EXPECT_EQ(a.minutes, b.minutes);
    EXPECT_EQ(a.median_minutes, b.median_minutes);
    EXPECT_EQ(a.recorded_uses, b.recorded_uses);
    EXPECT_EQ(aggregates_->burden().TotalsOf(id).municipalities,
              (*loaded)->burden().TotalsOf(id).municipalities);
    // The evidence the flags are judged on, per period too.
    Duty duty = testing::ExampleDuty(id);
    std::vector<std::string> incremental, from_store;
    auto describe = [&](std::vector<std::string>* out) {
      return [&, out](const DutyStats* stats) {
        if (stats == nullptr) return;
        const DutyEvidence e = stats->Evidence(duty, today, thresholds);
        out->push_back(absl::StrCat(e.reports, "/", e.minutes, "/", e.uses_total, "/",
                                    e.periods_without_use.size()));
        for (const DutyStats::PeriodState& state : stats->PeriodStates(duty, today, thresholds)) {
          out->push_back(absl::StrCat(state.period, ":", state.reports, ":", state.without_use));
        }
      };
    };
    aggregates_->ReadStats(id, describe(&incremental));
    (*loaded)->ReadStats(id, describe(&from_store));
    EXPECT_EQ(incremental, from_store);
  }
  EXPECT_EQ(aggregates_->FiguresOf("q").reports, 3);
  EXPECT_EQ(aggregates_->FiguresOf("q").median_minutes, 20.0);
  EXPECT_EQ(aggregates_->FiguresOf("q").recorded_uses, 1);
  EXPECT_EQ(aggregates_->FiguresOf("none").reports, 0);
}

// Corrections and withdrawals revise the figures in place: afterwards every
// figure, rollup and statistic equals both what the store's cells load and
// what the final reports alone would give, added afresh. Emptied cells,
// municipalities, periods and years leave no trace.
TEST_F(AggregatesTest, RevisedReportsGiveTheFiguresOfTheFinalReportsAlone) {
  Accept({ExampleReport("1", "0180", "q", "2024Q4", 10),
          ExampleReport("2", "0182", "q", "2025Q1", 30),
          ExampleReport("3", "1283", "q", "2025Q1", 20),
          ExampleReport("4", "1283", "y", "2024", 50)});
  std::vector<std::string> heard;
  aggregates_->SetListener([&](const std::vector<std::string>& duties) {
    heard.insert(heard.end(), duties.begin(), duties.end());
  });
  auto change = [&](ReportChange c) {
    absl::StatusOr<ChangeResult> result = store_.ChangeReport(c);
    ASSERT_TRUE(result.ok()) << result.status();
    aggregates_->ReviseReports({RevisionOf(*result)});
  };
  // 1: to another period (2024Q4 and the year 2024 of duty q empty out),
  // then to other minutes; 3: withdrawn (1283 no longer reports q); 4: to
  // another duty.
  ReportChange c;
  c.reason = "r";
  c.corrected = ExampleReport("1", "0180", "q", "2025Q1", 10);
  change(c);
  c.corrected = ExampleReport("1", "0180", "q", "2025Q1", 12);
  change(c);
  ReportChange w;
  w.kind = ChangeKind::kWithdrawal;
  w.municipality_code = "1283";
  w.submission_id = "3";
  w.reason = "r";
  change(w);
  c.corrected = ExampleReport("4", "1283", "q", "2025Q2", 40);
  change(c);
  EXPECT_THAT(heard, ElementsAre("q", "q", "q", "q", "y"));

  testing::FakeStore fresh_store;
  auto fresh = std::move(*Aggregates::Load(fresh_store));
  testing::AcceptReports(fresh_store, *fresh,
                         {ExampleReport("1", "0180", "q", "2025Q1", 12),
                          ExampleReport("2", "0182", "q", "2025Q1", 30),
                          ExampleReport("4", "1283", "q", "2025Q2", 40)});
  auto loaded = std::move(*Aggregates::Load(store_));
  const FlagThresholds thresholds;
  const absl::CivilDay today(2026, 6, 1);
  for (const Aggregates* other : {fresh.get(), loaded.get()}) {
    for (const char* id : {"q", "y"}) {
      SCOPED_TRACE(id);
      const DutyFigures a = aggregates_->FiguresOf(id);
      const DutyFigures b = other->FiguresOf(id);
      EXPECT_EQ(a.reports, b.reports);
      EXPECT_EQ(a.minutes, b.minutes);
      EXPECT_EQ(a.median_minutes, b.median_minutes);
      const DutyBurden ta = aggregates_->burden().TotalsOf(id);
      const DutyBurden tb = other->burden().TotalsOf(id);
      EXPECT_EQ(ta.reports, tb.reports);
      EXPECT_EQ(ta.minutes, tb.minutes);
      EXPECT_EQ(ta.municipalities, tb.municipalities);
      EXPECT_EQ(aggregates_->burden().DistinctYearsOf(id), other->burden().DistinctYearsOf(id));
      auto periods = [](const std::vector<PeriodBurden>& ps) {
        std::map<std::string, std::pair<int64_t, int64_t>> by;
        for (const PeriodBurden& p : ps) by[p.period] = {p.reports, p.minutes};
        return by;
      };
      EXPECT_EQ(periods(aggregates_->burden().PeriodsOf(id)),
                periods(other->burden().PeriodsOf(id)));
      Duty duty = testing::ExampleDuty(id);
      std::vector<std::string> revised, expected;
      auto describe = [&](std::vector<std::string>* out) {
        return [&, out](const DutyStats* stats) {
          if (stats == nullptr) return;
          const DutyEvidence e = stats->Evidence(duty, today, thresholds);
          out->push_back(absl::StrCat(e.reports, "/", e.minutes));
          for (const DutyStats::PeriodState& state :
               stats->PeriodStates(duty, today, thresholds)) {
            out->push_back(absl::StrCat(state.period, ":", state.reports));
          }
        };
      };
      aggregates_->ReadStats(id, describe(&revised));
      other->ReadStats(id, describe(&expected));
      // Duty y had one report, now none: nothing, or an empty record.
      if (std::string(id) == "y" && expected.empty()) {
        EXPECT_THAT(revised, ::testing::AnyOf(::testing::IsEmpty(), ElementsAre("0/0")));
      } else {
        EXPECT_EQ(revised, expected);
      }
    }
  }
  EXPECT_EQ(aggregates_->FiguresOf("q").reports, 3);
  EXPECT_EQ(aggregates_->FiguresOf("q").minutes, 82);
  EXPECT_EQ(aggregates_->FiguresOf("q").median_minutes, 30.0);
  EXPECT_EQ(aggregates_->burden().DistinctYearsOf("q"), 1);
  EXPECT_EQ(aggregates_->burden().TotalsOf("y").reports, 0);
}

}  // namespace
}  // namespace inrapport
