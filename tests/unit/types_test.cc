#include "common/domain/types.h"

#include "gtest/gtest.h"

namespace inrapport {
namespace {

TEST(TypesTest, SectorNamesRoundTrip) {
  for (int i = 0; i < kSectorCount; ++i) {
    const Sector sector = static_cast<Sector>(i);
    EXPECT_EQ(ParseSector(SectorName(sector)), sector) << i;
  }
  EXPECT_EQ(ParseSector("Social services"), Sector::kSocialServices);
  EXPECT_EQ(ParseSector("crisis-preparedness"), Sector::kCrisisPreparedness);
  EXPECT_FALSE(ParseSector("schools").has_value());
}

TEST(TypesTest, FrequencyNamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(Frequency::kAdHoc); ++i) {
    const Frequency frequency = static_cast<Frequency>(i);
    EXPECT_EQ(ParseFrequency(FrequencyName(frequency)), frequency) << i;
  }
  EXPECT_EQ(ParseFrequency("Ad hoc"), Frequency::kAdHoc);
  EXPECT_FALSE(ParseFrequency("every 4 years").has_value());
}

TEST(TypesTest, AnswersParseWithEmptyAsUnknown) {
  EXPECT_EQ(ParseAnswer(""), Answer::kUnknown);
  EXPECT_EQ(ParseAnswer("YES"), Answer::kYes);
  EXPECT_EQ(ParseAnswer("no"), Answer::kNo);
  EXPECT_EQ(AnswerName(Answer::kNo), "no");
  EXPECT_FALSE(ParseAnswer("maybe").has_value());
}

TEST(TypesTest, ReportsPerYearFollowsTheFrequency) {
  EXPECT_EQ(ReportsPerYear(Frequency::kAnnual), 1);
  EXPECT_EQ(ReportsPerYear(Frequency::kSemiannual), 2);
  EXPECT_EQ(ReportsPerYear(Frequency::kQuarterly), 4);
  EXPECT_EQ(ReportsPerYear(Frequency::kMonthly), 12);
  EXPECT_EQ(ReportsPerYear(Frequency::kWeekly), 52);
  EXPECT_EQ(ReportsPerYear(Frequency::kAdHoc), 0);
}

TEST(TypesTest, ReportsWithTheSameContentAreEqual) {
  Report a;
  a.submission_id = "x";
  a.minutes_spent = 5;
  Report b = a;
  EXPECT_EQ(a, b);
  b.comment = "different";
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace inrapport
