// The aggregates: loaded once from the store's aggregate tables, updated in
// one place, and telling their listener which duties changed.
#include "common/aggregates/aggregates.h"

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

}  // namespace
}  // namespace inrapport
