// The aggregates at start: from the snapshot (and the reports stored after
// it), from every report of a store that keeps a log, and from a shared
// store's cells, all give exactly the figures of the live aggregates; and a
// snapshot that is not this store's log as it stands now (changed reports,
// another database, a damaged or foreign file) is never used.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/aggregates/aggregates.h"
#include "common/base/byte_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/accept_reports.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using testing::ExampleReport;

// Every figure the service reads from the aggregates, as text: each
// grouping's rows, and per duty its totals, periods and statistics.
std::string Describe(const Aggregates& a) {
  const DutyAttributes attributes{"agency", Sector::kSchool, false, {}, nullptr, 0};
  std::string out;
  for (GroupBy by : {GroupBy::kDuty, GroupBy::kMunicipality, GroupBy::kCounty, GroupBy::kPeriod}) {
    BurdenTable table =
        a.burden().Summarize(by, BurdenFilter{}, [&](absl::string_view) { return &attributes; });
    for (const BurdenRowData& row : table.rows) {
      absl::StrAppend(&out, GroupByName(by), " ", row.key, " ", row.reports, " ", row.minutes, " ",
                      row.municipalities.count(), "\n");
    }
  }
  // A municipality filter reads single cells.
  BurdenFilter one;
  one.municipality_code = "1283";
  for (const BurdenRowData& row :
       a.burden()
           .Summarize(GroupBy::kPeriod, one, [&](absl::string_view) { return &attributes; })
           .rows) {
    absl::StrAppend(&out, "1283 ", row.key, " ", row.reports, " ", row.minutes, "\n");
  }
  const FlagThresholds thresholds;
  for (const char* id : {"q", "y", "z"}) {
    const DutyFigures f = a.FiguresOf(id);
    absl::StrAppend(&out, id, " ", f.reports, " ", f.minutes, " ", f.median_minutes.value_or(-1),
                    " ", f.recorded_uses, " ", a.burden().DistinctYearsOf(id), "\n");
    // In the order the periods came, which a start from the cells does not
    // keep: compared sorted.
    std::vector<std::string> periods;
    for (const PeriodBurden& p : a.burden().PeriodsOf(id)) {
      periods.push_back(absl::StrCat("  ", p.period, " ", p.reports, " ", p.minutes, "\n"));
    }
    std::sort(periods.begin(), periods.end());
    for (const std::string& p : periods) out += p;
    a.ReadStats(id, [&](const DutyStats* stats) {
      if (stats == nullptr) return;
      const Duty duty = testing::ExampleDuty(id);
      const DutyEvidence e = stats->Evidence(duty, absl::CivilDay(2026, 6, 1), thresholds);
      absl::StrAppend(&out, "  evidence ", e.reports, " ", e.minutes, " ", e.uses_total, "\n");
    });
  }
  ExpectedPeriods expected{"q", {"2025Q1", "2025Q2"}, {}, {}};
  expected.respondents.set();
  const CompletenessTable completeness = a.burden().Completeness({expected}, "");
  absl::StrAppend(&out, "received ", completeness.totals.received, "\n");
  return out;
}

class AggregatesSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::path(::testing::TempDir()) /
        absl::StrCat("snapshot_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "figures.aggregates").string();
    live_ = std::move(*Aggregates::Load(store_));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Accept(const std::vector<Report>& reports) {
    testing::AcceptReports(store_, *live_, reports);
  }
  void Change(const ReportChange& change) {
    absl::StatusOr<ChangeResult> result = store_.ChangeReport(change);
    ASSERT_TRUE(result.ok()) << result.status();
    live_->ReviseReports({RevisionOf(*result)});
  }
  // A start with the snapshot file: its figures must be the live ones.
  std::unique_ptr<Aggregates> Start() {
    absl::StatusOr<std::unique_ptr<Aggregates>> started = Aggregates::Load(store_, path_);
    EXPECT_TRUE(started.ok()) << started.status();
    return started.ok() ? *std::move(started) : nullptr;
  }
  std::filesystem::file_time_type Written() { return std::filesystem::last_write_time(path_); }

  std::filesystem::path dir_;
  std::string path_;
  testing::FakeStore store_;
  std::unique_ptr<Aggregates> live_;
};

TEST_F(AggregatesSnapshotTest, AStartFromTheSnapshotAndTheReportsAfterItEqualsAStartFromAllReports) {
  Accept(
      {ExampleReport("1", "0180", "q", "2025Q1", 10), ExampleReport("2", "0182", "q", "2025Q2", 30),
       ExampleReport("3", "1283", "q", "2025Q2", 20), ExampleReport("4", "1283", "y", "2024", 50)});
  ReportChange c;
  c.reason = "r";
  c.corrected = ExampleReport("1", "0180", "q", "2025Q1", 12);
  Change(c);

  // No snapshot yet: every report is read and one is written.
  ASSERT_FALSE(std::filesystem::exists(path_));
  std::unique_ptr<Aggregates> first = Start();
  ASSERT_NE(first, nullptr);
  ASSERT_TRUE(std::filesystem::exists(path_));
  EXPECT_EQ(Describe(*first), Describe(*live_));

  // Reports after it, one in a new cell, one in a cell the snapshot has,
  // one from a new duty.
  Accept({ExampleReport("5", "0180", "q", "2025Q2", 7),
          ExampleReport("6", "1283", "q", "2025Q2", 8),
          ExampleReport("7", "2580", "z", "2025-03", 9)});
  std::unique_ptr<Aggregates> second = Start();
  ASSERT_NE(second, nullptr);
  const std::string expected = Describe(*live_);
  EXPECT_EQ(Describe(*second), expected);
  EXPECT_THAT(expected, ::testing::HasSubstr("q 5 77 "));  // 12 + 30 + 20 + 7 + 8

  // The figures read at that start are saved at a stop; the next start
  // reads them alone and adds nothing.
  ASSERT_TRUE(second->SaveSnapshot(store_, path_).ok());
  std::unique_ptr<Aggregates> third = Start();
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(Describe(*third), expected);

  // What came from a snapshot is revised like anything else: a cell it
  // held loses a report, another is emptied.
  ReportChange w;
  w.kind = ChangeKind::kWithdrawal;
  w.municipality_code = "1283";
  w.submission_id = "3";
  w.reason = "r";
  absl::StatusOr<ChangeResult> withdrawn = store_.ChangeReport(w);
  ASSERT_TRUE(withdrawn.ok());
  third->ReviseReports({RevisionOf(*withdrawn)});
  live_->ReviseReports({RevisionOf(*withdrawn)});
  EXPECT_EQ(Describe(*third), Describe(*live_));
}

TEST_F(AggregatesSnapshotTest, AChangeAfterTheSnapshotMakesTheStartReadEveryReport) {
  Accept({ExampleReport("1", "0180", "q", "2025Q1", 10),
          ExampleReport("2", "0182", "q", "2025Q2", 30)});
  ASSERT_NE(Start(), nullptr);  // writes it
  const auto written = Written();
  ReportChange c;
  c.reason = "r";
  c.corrected = ExampleReport("2", "0182", "q", "2025Q1", 31);
  Change(c);
  // Corrected after the snapshot: added on top of it, the report would
  // count twice; the start reads every report and writes a new snapshot.
  std::unique_ptr<Aggregates> started = Start();
  ASSERT_NE(started, nullptr);
  EXPECT_EQ(Describe(*started), Describe(*live_));
  EXPECT_EQ(started->FiguresOf("q").minutes, 41);
  EXPECT_NE(Written(), written);
}

TEST_F(AggregatesSnapshotTest, AnotherDatabasesSnapshotIsNotUsed) {
  Accept({ExampleReport("1", "0180", "q", "2025Q1", 10),
          ExampleReport("2", "0182", "q", "2025Q2", 30)});
  ASSERT_NE(Start(), nullptr);
  // Another store with as many reports, no changes, other content.
  testing::FakeStore other;
  std::unique_ptr<Aggregates> other_live = std::move(*Aggregates::Load(other));
  testing::AcceptReports(
      other, *other_live,
      {ExampleReport("9", "2580", "y", "2024", 5), ExampleReport("8", "2580", "y", "2023", 6)});
  absl::StatusOr<std::unique_ptr<Aggregates>> started = Aggregates::Load(other, path_);
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(Describe(**started), Describe(*other_live));
  EXPECT_EQ((*started)->FiguresOf("q").reports, 0);
  EXPECT_EQ((*started)->FiguresOf("y").minutes, 11);
}

TEST_F(AggregatesSnapshotTest, ADamagedOrForeignFileIsRebuiltFromTheReports) {
  Accept({ExampleReport("1", "0180", "q", "2025Q1", 10),
          ExampleReport("2", "0182", "q", "2025Q2", 30),
          ExampleReport("3", "1283", "y", "2024", 50)});
  ASSERT_NE(Start(), nullptr);
  const std::string expected = Describe(*live_);
  std::string bytes;
  {
    std::ifstream in(path_, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(bytes.size(), 40u);
  auto write = [&](const std::string& content) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << content;
  };
  std::vector<std::pair<std::string, std::string>> damages;
  for (size_t at : {bytes.size() / 2, bytes.size() - 3, size_t{30}}) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x10);
    damages.push_back({absl::StrCat("a byte flipped at ", at), flipped});
  }
  damages.push_back({"cut short", bytes.substr(0, bytes.size() - 20)});
  damages.push_back({"something after it", bytes + "x"});
  damages.push_back({"empty", ""});
  damages.push_back({"not a snapshot", "duty_id,period\nq,2025Q1\n"});
  for (const auto& [what, content] : damages) {
    SCOPED_TRACE(what);
    write(content);
    std::unique_ptr<Aggregates> started = Start();
    ASSERT_NE(started, nullptr);
    EXPECT_EQ(Describe(*started), expected);
    // And a good one is written in its place.
    ByteFileReader reader;
    ASSERT_TRUE(reader.Open(path_).ok());
    std::string head;
    ASSERT_TRUE(reader.Raw(21, &head));
    EXPECT_EQ(head, "inrapport-aggregates\n");
  }
}

TEST_F(AggregatesSnapshotTest, AnUnwritablePathOnlyCostsTheNextStartAReadOfEveryReport) {
  Accept({ExampleReport("1", "0180", "q", "2025Q1", 10)});
  const std::string nowhere = (dir_ / "no-such-folder" / "figures.aggregates").string();
  // The figures come from the reports and serve; the snapshot is not written,
  // and saying so is all a save does.
  absl::StatusOr<std::unique_ptr<Aggregates>> started = Aggregates::Load(store_, nowhere);
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(Describe(**started), Describe(*live_));
  EXPECT_FALSE(std::filesystem::exists(nowhere));
  const absl::Status saved = (*started)->SaveSnapshot(store_, nowhere);
  EXPECT_TRUE(absl::IsUnavailable(saved)) << saved;
  EXPECT_THAT(std::string(saved.message()), ::testing::HasSubstr("no-such-folder"));
  EXPECT_FALSE(std::filesystem::exists(nowhere + ".tmp"));
}

TEST_F(AggregatesSnapshotTest, AStartFromEveryReportEqualsAStartFromTheCells) {
  // Cells shared by several reports, first receipts that differ, a report
  // corrected into another cell and one withdrawn, a duty with uses.
  store_.SetReceivedAt(1767225600);
  Accept({ExampleReport("1", "0180", "q", "2025Q1", 10),
          ExampleReport("2", "0180", "q", "2025Q1", 30)});
  store_.SetReceivedAt(1767312000);
  Accept({ExampleReport("3", "1283", "q", "2025Q2", 20),
          ExampleReport("4", "1283", "y", "2024", 50),
          ExampleReport("5", "2580", "z", "2025-03", 9),
          ExampleReport("6", "2580", "z", "2025-04", 4)});
  ReportChange c;
  c.reason = "r";
  c.corrected = ExampleReport("1", "0180", "q", "2025Q2", 12);
  Change(c);
  ReportChange w;
  w.kind = ChangeKind::kWithdrawal;
  w.municipality_code = "2580";
  w.submission_id = "5";
  w.reason = "r";
  Change(w);
  const std::string expected = Describe(*live_);
  EXPECT_THAT(expected, ::testing::HasSubstr("q 3 62 "));  // 30 + 20 + 12

  absl::StatusOr<std::unique_ptr<Aggregates>> from_reports = Aggregates::Load(store_);
  ASSERT_TRUE(from_reports.ok()) << from_reports.status();
  store_.KeepLog(false);
  absl::StatusOr<std::unique_ptr<Aggregates>> from_cells = Aggregates::Load(store_);
  ASSERT_TRUE(from_cells.ok()) << from_cells.status();
  EXPECT_EQ(Describe(**from_reports), expected);
  EXPECT_EQ(Describe(**from_cells), expected);
  // Each cell's first receipt decides whether its period came by the
  // deadline: 0180's two cells came on 1 January (the corrected report
  // keeps its receipt), 1283's the day after.
  ExpectedPeriods expected_q{"q",
                             {"2025Q1", "2025Q2"},
                             {},
                             {absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 1, 1)}};
  expected_q.respondents.set();
  for (const Aggregates* a : {live_.get(), from_reports->get(), from_cells->get()}) {
    SCOPED_TRACE(a == live_.get() ? "live" : a == from_reports->get() ? "reports" : "cells");
    const CompletenessRowData totals =
        a->burden().Completeness({expected_q}, "", absl::CivilDay(2026, 6, 1)).totals;
    EXPECT_EQ(totals.received, 3);
    EXPECT_EQ(totals.on_time, 2);
    EXPECT_EQ(totals.late, 1);
  }
}

TEST(ByteFileTest, WhatIsWrittenIsReadBackAndItsChecksumChecked) {
  const std::string path = (std::filesystem::path(::testing::TempDir()) / "bytes.bin").string();
  {
    ByteFileWriter out;
    ASSERT_TRUE(out.Open(path).ok());
    out.Varint(0);
    out.Varint(127);
    out.Varint(128);
    out.Varint(UINT64_MAX);
    out.Signed(-1);
    out.Signed(INT64_MIN);
    out.Signed(INT64_MAX);
    out.String("Umeå");
    for (int i = 0; i < 600000; ++i) out.Varint(i);  // past one buffer
    ASSERT_TRUE(out.Commit().ok());
  }
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  ByteFileReader in;
  ASSERT_TRUE(in.Open(path).ok());
  uint64_t u = 1;
  int64_t s = 0;
  std::string text;
  ASSERT_TRUE(in.Varint(&u));
  EXPECT_EQ(u, 0u);
  ASSERT_TRUE(in.Varint(&u));
  EXPECT_EQ(u, 127u);
  ASSERT_TRUE(in.Varint(&u));
  EXPECT_EQ(u, 128u);
  ASSERT_TRUE(in.Varint(&u));
  EXPECT_EQ(u, UINT64_MAX);
  ASSERT_TRUE(in.Signed(&s));
  EXPECT_EQ(s, -1);
  ASSERT_TRUE(in.Signed(&s));
  EXPECT_EQ(s, INT64_MIN);
  ASSERT_TRUE(in.Signed(&s));
  EXPECT_EQ(s, INT64_MAX);
  ASSERT_TRUE(in.String(16, &text));
  EXPECT_EQ(text, "Umeå");
  for (int i = 0; i < 600000; ++i) {
    ASSERT_TRUE(in.Varint(&u));
    ASSERT_EQ(u, static_cast<uint64_t>(i));
  }
  EXPECT_TRUE(in.Finish().ok()) << in.Finish();

  // A count past its bound is refused, naming it.
  ByteFileReader bounded;
  ASSERT_TRUE(bounded.Open(path).ok());
  ASSERT_TRUE(bounded.Varint(&u));
  ASSERT_TRUE(bounded.Varint(&u));
  EXPECT_FALSE(bounded.Bounded(100, &u));
  EXPECT_THAT(std::string(bounded.status().message()), ::testing::HasSubstr("128 exceeds 100"));
  EXPECT_TRUE(absl::IsDataLoss(bounded.status()));

  ByteFileReader missing;
  EXPECT_TRUE(absl::IsNotFound(missing.Open(path + ".none")));

  // The checksum at the end is XXH64 of everything before it.
  std::string bytes;
  {
    std::ifstream file(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  ASSERT_GT(bytes.size(), 1u << 20);  // more than one buffer of the reader
  Hash64 whole;
  whole.Update(absl::string_view(bytes).substr(0, bytes.size() - 8));
  uint64_t trailer = 0;
  for (int i = 7; i >= 0; --i) {
    trailer = trailer << 8 | static_cast<uint8_t>(bytes[bytes.size() - 8 + i]);
  }
  EXPECT_EQ(trailer, whole.Digest());

  // One byte changed in the reader's second buffer is found at the end.
  bytes[(1u << 20) + 1000] ^= 0x01;
  {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << bytes;
  }
  ByteFileReader to_the_end;
  ASSERT_TRUE(to_the_end.Open(path).ok());
  std::string all;
  ASSERT_TRUE(to_the_end.Raw(bytes.size() - 8, &all));
  EXPECT_THAT(std::string(to_the_end.Finish().message()),
              ::testing::HasSubstr("checksum does not match"));
  std::filesystem::remove(path);
}

// Reference values of the xxHash specification (as the reference
// implementation, and xxhash-wasm, compute them).
TEST(Hash64Test, IsXxh64WithSeedZeroHoweverTheBytesArePieced) {
  auto of = [](absl::string_view bytes) {
    Hash64 hash;
    hash.Update(bytes);
    return hash.Digest();
  };
  EXPECT_EQ(of(""), 0xef46db3751d8e999ULL);
  EXPECT_EQ(of("a"), 0xd24ec4f1a98c6e5bULL);
  EXPECT_EQ(of("abc"), 0x44bc2cf5ad770999ULL);
  EXPECT_EQ(of("inrapport-aggregates\ninrapport-aggregates\ninrapport-aggregates\n"),
            0x6810c7b42c48dcb3ULL);
  std::string big(100000, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 31 + 7) & 255);
  EXPECT_EQ(of(big), 0x3ac9cbc5a9b7f843ULL);
  // The same bytes in pieces of every size from 1 to 97 bytes.
  Hash64 pieced;
  size_t at = 0;
  for (size_t piece = 1; at < big.size(); piece = piece % 97 + 1) {
    const size_t take = std::min(piece, big.size() - at);
    pieced.Update(big.data() + at, take);
    at += take;
  }
  EXPECT_EQ(pieced.Digest(), 0x3ac9cbc5a9b7f843ULL);
}

}  // namespace
}  // namespace inrapport
