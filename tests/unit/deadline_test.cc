#include "common/domain/deadline.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;

absl::CivilDay DeadlineOf(absl::string_view rule, absl::string_view period) {
  absl::StatusOr<DeadlineRule> parsed = DeadlineRule::Parse(rule);
  EXPECT_TRUE(parsed.ok()) << rule << ": " << parsed.status();
  absl::StatusOr<Period> p = Period::Parse(period);
  EXPECT_TRUE(p.ok()) << period;
  return parsed->DeadlineOf(*p);
}

TEST(DeadlineRuleTest, ParsesEachFormToItsCanonicalText) {
  const std::pair<const char*, const char*> cases[] = {
      {"30 days after period end", "30 days after period end"},
      {"  30   DAYS after Period End ", "30 days after period end"},
      {"1 day after period end", "1 day after period end"},
      {"1 days after period end", "1 day after period end"},
      {"0 days after period end", "0 days after period end"},
      {"730 days after period end", "730 days after period end"},
      {"03-31 of the following year", "03-31 of the following year"},
      {"12-31 Of The Following Year", "12-31 of the following year"},
      {"10-25 of the same year", "10-25 of the same year"},
  };
  for (const auto& [text, canonical] : cases) {
    absl::StatusOr<DeadlineRule> rule = DeadlineRule::Parse(text);
    ASSERT_TRUE(rule.ok()) << text << ": " << rule.status();
    EXPECT_EQ(rule->ToString(), canonical) << text;
    // The canonical text reads back as the same rule.
    EXPECT_EQ(*DeadlineRule::Parse(rule->ToString()), *rule) << text;
  }
}

TEST(DeadlineRuleTest, RefusesOtherTextSayingWhatIsAccepted) {
  for (const char* text :
       {"", "30", "30 days", "731 days after period end", "-1 days after period end",
        "thirty days after period end", "P30D", "31 March next year", "3-31 of the following year",
        "13-01 of the following year", "04-31 of the following year",
        "02-29 of the following year", "03-31 of the year", "03-31 of the following years",
        "1000 days after period end"}) {
    absl::StatusOr<DeadlineRule> rule = DeadlineRule::Parse(text);
    ASSERT_FALSE(rule.ok()) << text;
    EXPECT_EQ(rule.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
  EXPECT_THAT(DeadlineRule::Parse("P30D").status().message(),
              HasSubstr("\"N days after period end\""));
  EXPECT_THAT(DeadlineRule::Parse("02-29 of the following year").status().message(),
              HasSubstr("no date that every year has"));
}

TEST(DeadlineRuleTest, DaysAfterPeriodEndCountFromTheLastDayOfEachFrequency) {
  EXPECT_EQ(DeadlineOf("30 days after period end", "2024"), absl::CivilDay(2025, 1, 30));
  EXPECT_EQ(DeadlineOf("30 days after period end", "2024H1"), absl::CivilDay(2024, 7, 30));
  EXPECT_EQ(DeadlineOf("30 days after period end", "2024Q4"), absl::CivilDay(2025, 1, 30));
  // February of a leap year ends on the 29th.
  EXPECT_EQ(DeadlineOf("15 days after period end", "2024-02"), absl::CivilDay(2024, 3, 15));
  EXPECT_EQ(DeadlineOf("15 days after period end", "2025-02"), absl::CivilDay(2025, 3, 15));
  // ISO week 1 of 2025 runs 2024-12-30 to 2025-01-05.
  EXPECT_EQ(DeadlineOf("7 days after period end", "2025W01"), absl::CivilDay(2025, 1, 12));
  EXPECT_EQ(DeadlineOf("0 days after period end", "2025-03-14"), absl::CivilDay(2025, 3, 14));
}

TEST(DeadlineRuleTest, FixedDatesFallInTheYearTheRuleNames) {
  EXPECT_EQ(DeadlineOf("03-31 of the following year", "2024"), absl::CivilDay(2025, 3, 31));
  // Every quarter of a year shares the date in the year after.
  EXPECT_EQ(DeadlineOf("03-31 of the following year", "2024Q1"), absl::CivilDay(2025, 3, 31));
  EXPECT_EQ(DeadlineOf("03-31 of the following year", "2024Q4"), absl::CivilDay(2025, 3, 31));
  EXPECT_EQ(DeadlineOf("01-31 of the following year", "2024-12"), absl::CivilDay(2025, 1, 31));
  // A week belongs to the year its last day is in.
  EXPECT_EQ(DeadlineOf("01-31 of the following year", "2025W01"), absl::CivilDay(2026, 1, 31));
  EXPECT_EQ(DeadlineOf("10-25 of the same year", "2025"), absl::CivilDay(2025, 10, 25));
  EXPECT_EQ(DeadlineOf("10-25 of the same year", "2025H1"), absl::CivilDay(2025, 10, 25));
}

TEST(DeadlineRuleTest, SaysTheRuleInSwedish) {
  EXPECT_EQ(DeadlineRule::Parse("30 days after period end")->ToSwedish(),
            "30 dagar efter periodens slut");
  EXPECT_EQ(DeadlineRule::Parse("1 day after period end")->ToSwedish(),
            "1 dag efter periodens slut");
  EXPECT_EQ(DeadlineRule::Parse("03-31 of the following year")->ToSwedish(),
            "den 31 mars året efter");
  EXPECT_EQ(DeadlineRule::Parse("11-01 of the same year")->ToSwedish(),
            "den 1 november samma år");
}

TEST(DeadlineRuleTest, AReceiptCountsForItsDayInSweden) {
  // 2025-03-31 22:30 UTC is 2025-04-01 00:30 in Stockholm (summer time).
  EXPECT_EQ(DayInSweden(1743460200), absl::CivilDay(2025, 4, 1));
  // 2025-01-31 22:59:59 UTC is 23:59:59 in Stockholm: still the 31st.
  EXPECT_EQ(DayInSweden(1738364399), absl::CivilDay(2025, 1, 31));
}

}  // namespace
}  // namespace inrapport
