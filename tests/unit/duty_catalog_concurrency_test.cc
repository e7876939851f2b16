// DutyCatalog changed (duties created and updated, reports added) while
// other threads read it, as the handlers do. Run under ThreadSanitizer by
// scripts/sanitize.sh.
#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/catalog/duty_catalog.h"
#include "common/flags/flag_rules.h"
#include "gtest/gtest.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

constexpr int kReported = 10;  // duties that get reports, created first
constexpr int kCreated = 30;   // duties created while others read

Duty Example(const std::string& id, bool with_purpose) {
  Duty duty = testing::ExampleDuty(id, "ivo", with_purpose ? "IVO decides on fees." : "");
  duty.data_items = {id + "_item"};  // no overlaps between duties
  return duty;
}

bool HasNoPurposeFlag(const Duty& duty) {
  return std::any_of(duty.flags.begin(), duty.flags.end(),
                     [](const Flag& flag) { return flag.code == kNoStatedPurpose; });
}

TEST(DutyCatalogConcurrencyTest, ReadersSeeConsistentDutiesWhileOthersChangeThem) {
  testing::FakeStore store;
  std::unique_ptr<Aggregates> aggregates = std::move(*Aggregates::Load(store));
  auto loaded = DutyCatalog::Load(&store, aggregates.get());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  DutyCatalog& catalog = **loaded;
  for (int d = 0; d < kReported; ++d) {
    ASSERT_TRUE(catalog.Create(Example(absl::StrCat("r", d), true)).ok());
  }

  std::atomic<bool> done{false};
  // The writers wait for both readers, so that on a loaded machine the
  // changes still happen while the catalogue is read.
  std::atomic<int> readers_started{0};
  std::atomic<int64_t> reads{0}, inconsistent{0}, shrank{0};
  // Readers: every duty they see carries the flags of its own content (a
  // duty without a purpose is flagged, one with a purpose is not), and the
  // number of duties never goes down.
  auto reader = [&](int kind) {
    size_t seen = 0;
    ++readers_started;
    do {
      if (kind == 0) {
        absl::StatusOr<DutyPage> page = catalog.List({}, kMaxPageSize, "");
        if (!page.ok()) {
          ++inconsistent;
          continue;
        }
        if (page->duties.size() < seen) ++shrank;
        seen = page->duties.size();
        for (const Duty& duty : page->duties) {
          if (HasNoPurposeFlag(duty) != duty.purpose.empty()) ++inconsistent;
        }
      } else {
        const std::vector<std::shared_ptr<const Duty>> all = catalog.Snapshot();
        if (all.size() < seen) ++shrank;
        seen = all.size();
        for (const auto& duty : all) {
          if (HasNoPurposeFlag(*duty) != duty->purpose.empty()) ++inconsistent;
        }
        for (int d = 0; d < kReported; ++d) {
          const DutyFigures figures = aggregates->FiguresOf(absl::StrCat("r", d));
          if (figures.minutes != figures.reports * 30) ++inconsistent;
        }
      }
      ++reads;
    } while (!done.load());
  };
  auto await_readers = [&] {
    while (readers_started.load() < 2) std::this_thread::yield();
  };

  constexpr int kReportsPerDuty = 200;
  std::vector<std::thread> threads;
  threads.emplace_back(reader, 0);
  threads.emplace_back(reader, 1);
  // Creates duties, and flips the purpose of the reported ones.
  threads.emplace_back([&] {
    await_readers();
    for (int d = 0; d < kCreated; ++d) {
      EXPECT_TRUE(catalog.Create(Example(absl::StrCat("c", d), d % 2 == 0)).ok());
      EXPECT_TRUE(catalog.Update(Example(absl::StrCat("r", d % kReported), d % 2 == 1)).ok());
    }
  });
  // Adds reports of the first duties, a few at a time, as the intake does:
  // the aggregates tell the catalogue, which re-evaluates those duties.
  threads.emplace_back([&] {
    std::vector<Report> reports;
    for (int i = 0; i < kReportsPerDuty; ++i) {
      for (int d = 0; d < kReported; ++d) {
        reports.push_back(testing::ExampleReport(absl::StrCat("s", d, "-", i), "0180",
                                                 absl::StrCat("r", d), "2025Q1", 30));
      }
    }
    await_readers();
    for (size_t from = 0; from < reports.size(); from += 25) {
      std::vector<const Report*> batch;
      for (size_t i = from; i < std::min(reports.size(), from + 25); ++i) {
        batch.push_back(&reports[i]);
      }
      aggregates->AddReports(batch);
    }
  });
  threads[3].join();
  threads[2].join();
  done = true;
  threads[1].join();
  threads[0].join();

  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_EQ(shrank.load(), 0);
  absl::StatusOr<DutyPage> page = catalog.List({}, kMaxPageSize, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->duties.size(), static_cast<size_t>(kReported + kCreated));
  for (int d = 0; d < kReported; ++d) {
    const DutyFigures figures = aggregates->FiguresOf(absl::StrCat("r", d));
    EXPECT_EQ(figures.reports, kReportsPerDuty) << d;
    EXPECT_EQ(figures.minutes, kReportsPerDuty * 30) << d;
  }
  // r<d> was last updated in the round with the largest index of its
  // remainder: with a purpose if that index is odd.
  for (int d = 0; d < kReported; ++d) {
    int last = d;
    while (last + kReported < kCreated) last += kReported;
    absl::StatusOr<Duty> duty = catalog.Get(absl::StrCat("r", d));
    ASSERT_TRUE(duty.ok());
    EXPECT_EQ(duty->purpose.empty(), last % 2 == 0) << d;
    EXPECT_EQ(HasNoPurposeFlag(*duty), last % 2 == 0) << d;
  }
}

}  // namespace
}  // namespace inrapport
