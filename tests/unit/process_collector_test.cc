#include "common/metrics/process_collector.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "common/base/histogram.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

namespace fs = std::filesystem;

std::map<std::string, double> Values(const ProcessCollector& collector) {
  std::map<std::string, double> values;
  for (const auto& family : collector.Collect()) {
    const auto& metric = family.metric.at(0);
    values[family.name] = family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                                         : metric.gauge.value;
  }
  return values;
}

class FakeProc : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/inrapport-proc-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    root_ = dir;
    fs::create_directories(root_ / "self" / "fd");
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const fs::path& path, const std::string& text) {
    std::ofstream(root_ / path) << text;
  }

  fs::path root_;
};

TEST_F(FakeProc, ReadsStatFdsAndLimitsAsProcDescribesThem) {
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  // A command name with spaces and a ')' must not shift the fields: utime
  // (field 14) 300 ticks, stime 100, starttime (22) 5000 ticks, vsize (23)
  // 123456789 bytes, rss (24) 2500 pages.
  Write("self/stat",
        "4242 (inrapportd (x) y) S 1 4242 4242 0 -1 4194560 1 0 0 0 300 100 0 0 20 0 9 0 "
        "5000 123456789 2500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
  Write("stat", "cpu  1 2 3\nbtime 1700000000\nprocesses 5\n");
  Write("self/limits",
        "Limit                     Soft Limit           Hard Limit           Units\n"
        "Max open files            1024                 524288               files\n");
  for (const char* fd : {"0", "1", "2"}) Write(fs::path("self/fd") / fd, "");

  const auto values = Values(ProcessCollector((root_ / "self").string(), root_.string()));
  EXPECT_DOUBLE_EQ(values.at("process_cpu_seconds_total"), 400 / ticks);
  EXPECT_DOUBLE_EQ(values.at("process_resident_memory_bytes"), 2500 * page);
  EXPECT_DOUBLE_EQ(values.at("process_virtual_memory_bytes"), 123456789);
  EXPECT_DOUBLE_EQ(values.at("process_start_time_seconds"), 1700000000 + 5000 / ticks);
  EXPECT_DOUBLE_EQ(values.at("process_open_fds"), 3);
  EXPECT_DOUBLE_EQ(values.at("process_max_fds"), 1024);
}

TEST_F(FakeProc, WhatCannotBeReadIsLeftOutNotZero) {
  Write("self/stat", "garbage");
  const auto values = Values(ProcessCollector((root_ / "self").string(), root_.string()));
  EXPECT_EQ(values.count("process_cpu_seconds_total"), 0u);
  EXPECT_EQ(values.count("process_max_fds"), 0u);
  EXPECT_DOUBLE_EQ(values.at("process_open_fds"), 0);  // the directory is there, empty
}

TEST(ProcessCollectorTest, DescribesThisVeryProcess) {
  const auto values = Values(ProcessCollector());
  EXPECT_GT(values.at("process_resident_memory_bytes"), 1 << 20);
  EXPECT_GE(values.at("process_open_fds"), 3);  // stdin, stdout, stderr at least
  const double now = static_cast<double>(time(nullptr));
  EXPECT_LE(values.at("process_start_time_seconds"), now + 1);
  EXPECT_GT(values.at("process_start_time_seconds"), now - 3600);
}

TEST(HistogramTest, CountsCumulativelyWithAnOverflowBucket) {
  Histogram histogram({1, 5, 10});
  for (double v : {0.5, 1.0, 3.0, 7.0, 11.0, 100.0}) histogram.Observe(v);
  const HistogramSnapshot s = histogram.Snapshot();
  EXPECT_THAT(s.upper_bounds, ::testing::ElementsAre(1, 5, 10));
  // le=1 holds 0.5 and 1.0 (bounds are inclusive), le=5 adds 3, le=10 adds 7.
  EXPECT_THAT(s.cumulative_counts, ::testing::ElementsAre(2u, 3u, 4u));
  EXPECT_EQ(s.count, 6u);
  EXPECT_DOUBLE_EQ(s.sum, 122.5);
}

}  // namespace
}  // namespace inrapport
