#include "common/domain/period.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;

struct ValidCase {
  const char* text;
  Frequency frequency;
  const char* canonical;
  absl::CivilDay first;
  absl::CivilDay last;
};

class ValidPeriodTest : public ::testing::TestWithParam<ValidCase> {};

TEST_P(ValidPeriodTest, ParsesWithExactSpan) {
  const ValidCase& c = GetParam();
  absl::StatusOr<Period> period = Period::Parse(c.text);
  ASSERT_TRUE(period.ok()) << c.text << ": " << period.status();
  EXPECT_EQ(period->frequency(), c.frequency) << c.text;
  EXPECT_EQ(period->ToString(), c.canonical);
  EXPECT_EQ(period->first_day(), c.first) << c.text;
  EXPECT_EQ(period->last_day(), c.last) << c.text;
}

using D = absl::CivilDay;
INSTANTIATE_TEST_SUITE_P(
    AllForms, ValidPeriodTest,
    ::testing::Values(
        ValidCase{"2025", Frequency::kAnnual, "2025", D(2025, 1, 1), D(2025, 12, 31)},
        ValidCase{"2025H1", Frequency::kSemiannual, "2025H1", D(2025, 1, 1), D(2025, 6, 30)},
        ValidCase{"2025H2", Frequency::kSemiannual, "2025H2", D(2025, 7, 1), D(2025, 12, 31)},
        ValidCase{"2025Q1", Frequency::kQuarterly, "2025Q1", D(2025, 1, 1), D(2025, 3, 31)},
        ValidCase{"2025Q3", Frequency::kQuarterly, "2025Q3", D(2025, 7, 1), D(2025, 9, 30)},
        ValidCase{"2025Q4", Frequency::kQuarterly, "2025Q4", D(2025, 10, 1), D(2025, 12, 31)},
        ValidCase{"2025q2", Frequency::kQuarterly, "2025Q2", D(2025, 4, 1), D(2025, 6, 30)},
        ValidCase{"2025-03", Frequency::kMonthly, "2025-03", D(2025, 3, 1), D(2025, 3, 31)},
        ValidCase{"2024-02", Frequency::kMonthly, "2024-02", D(2024, 2, 1), D(2024, 2, 29)},
        ValidCase{"2023-02", Frequency::kMonthly, "2023-02", D(2023, 2, 1), D(2023, 2, 28)},
        ValidCase{"2025-12", Frequency::kMonthly, "2025-12", D(2025, 12, 1), D(2025, 12, 31)},
        // ISO 8601: week 1 holds the year's first Thursday; 2025W01 starts
        // on Monday 2024-12-30.
        ValidCase{"2025W01", Frequency::kWeekly, "2025W01", D(2024, 12, 30), D(2025, 1, 5)},
        ValidCase{"2025W05", Frequency::kWeekly, "2025W05", D(2025, 1, 27), D(2025, 2, 2)},
        ValidCase{"2025-W05", Frequency::kWeekly, "2025W05", D(2025, 1, 27), D(2025, 2, 2)},
        ValidCase{"2020W53", Frequency::kWeekly, "2020W53", D(2020, 12, 28), D(2021, 1, 3)},
        ValidCase{"2026W53", Frequency::kWeekly, "2026W53", D(2026, 12, 28), D(2027, 1, 3)},
        ValidCase{"2025-03-14", Frequency::kAdHoc, "2025-03-14", D(2025, 3, 14), D(2025, 3, 14)},
        ValidCase{"2024-02-29", Frequency::kAdHoc, "2024-02-29", D(2024, 2, 29), D(2024, 2, 29)}));

class InvalidPeriodTest : public ::testing::TestWithParam<const char*> {};

TEST_P(InvalidPeriodTest, IsInvalidArgumentListingTheForms) {
  absl::StatusOr<Period> period = Period::Parse(GetParam());
  ASSERT_FALSE(period.ok()) << GetParam();
  EXPECT_EQ(period.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(period.status().message()), HasSubstr("expected 2025, 2025H1"));
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, InvalidPeriodTest,
    ::testing::Values("", "25", "202", "20250", "2025 ", " 2025", "2025H0", "2025H3",
                      "2025Q0", "2025Q5", "2025Q12", "2025-00", "2025-13", "2025-1",
                      "2025W00", "2025W54", "2021W53", "2025W5", "2025-W5",
                      "2023-02-29", "2025-04-31", "2025-03-14T00", "1899", "3000",
                      "abcd", "2025/03", "2025M03", "2025-03-1", "２０２５"));

TEST(PeriodTest, ContainingGivesThePeriodOfEachFrequency) {
  const D day(2025, 8, 20);
  EXPECT_EQ(Period::Containing(Frequency::kAnnual, day).ToString(), "2025");
  EXPECT_EQ(Period::Containing(Frequency::kSemiannual, day).ToString(), "2025H2");
  EXPECT_EQ(Period::Containing(Frequency::kQuarterly, day).ToString(), "2025Q3");
  EXPECT_EQ(Period::Containing(Frequency::kMonthly, day).ToString(), "2025-08");
  EXPECT_EQ(Period::Containing(Frequency::kWeekly, day).ToString(), "2025W34");
  EXPECT_EQ(Period::Containing(Frequency::kAdHoc, day).ToString(), "2025-08-20");
}

TEST(PeriodTest, ContainingUsesTheIsoWeekYearAtYearBoundaries) {
  EXPECT_EQ(Period::Containing(Frequency::kWeekly, D(2024, 12, 30)).ToString(), "2025W01");
  EXPECT_EQ(Period::Containing(Frequency::kWeekly, D(2021, 1, 3)).ToString(), "2020W53");
  EXPECT_EQ(Period::Containing(Frequency::kWeekly, D(2021, 1, 4)).ToString(), "2021W01");
  EXPECT_EQ(Period::Containing(Frequency::kWeekly, D(2027, 1, 1)).ToString(), "2026W53");
}

TEST(PeriodTest, DatesParseStrictly) {
  EXPECT_EQ(*ParseDate("2025-03-14"), D(2025, 3, 14));
  EXPECT_FALSE(ParseDate("2025-3-14").ok());
  EXPECT_FALSE(ParseDate("2025-02-30").ok());
  EXPECT_FALSE(ParseDate("14/03/2025").ok());
  EXPECT_EQ(FormatDate(D(2025, 3, 4)), "2025-03-04");
}

TEST(PeriodTest, TodayInSwedenIsNearTheUtcDate) {
  const D utc = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  const D today = TodayInSweden();
  EXPECT_GE(today, utc);
  EXPECT_LE(today, utc + 1);
}

}  // namespace
}  // namespace inrapport
