#include "common/base/rate_limiter.h"

#include "gtest/gtest.h"

namespace inrapport {
namespace {

class RateLimiterTest : public ::testing::Test {
 protected:
  absl::Time now_ = absl::FromUnixSeconds(1000);
  RateLimiter limiter_{3, absl::Seconds(1), [this] { return now_; }};
};

TEST_F(RateLimiterTest, AllowsTheBudgetThenCountsWhatItRefuses) {
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter_.Admit("refused").allowed);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(limiter_.Admit("refused").allowed);
}

TEST_F(RateLimiterTest, TheFirstLineOfTheNextWindowSaysHowManyWereSuppressed) {
  for (int i = 0; i < 13; ++i) limiter_.Admit("refused");
  now_ += absl::Seconds(1);
  const RateLimiter::Verdict next = limiter_.Admit("refused");
  EXPECT_TRUE(next.allowed);
  EXPECT_EQ(next.suppressed, 10);
  EXPECT_EQ(limiter_.Admit("refused").suppressed, 0);
}

TEST_F(RateLimiterTest, KeysHaveTheirOwnBudgets) {
  for (int i = 0; i < 5; ++i) limiter_.Admit("a");
  EXPECT_FALSE(limiter_.Admit("a").allowed);
  EXPECT_TRUE(limiter_.Admit("b").allowed);
}

TEST_F(RateLimiterTest, AWindowIsCountedFromItsFirstEvent) {
  limiter_.Admit("a");
  now_ += absl::Milliseconds(900);
  limiter_.Admit("a");
  limiter_.Admit("a");
  EXPECT_FALSE(limiter_.Admit("a").allowed);
  now_ += absl::Milliseconds(100);
  EXPECT_TRUE(limiter_.Admit("a").allowed);
}

TEST(RateLimiter, ABudgetBelowOneAllowsOne) {
  RateLimiter limiter(0, absl::Hours(1));
  EXPECT_TRUE(limiter.Admit("a").allowed);
  EXPECT_FALSE(limiter.Admit("a").allowed);
}

}  // namespace
}  // namespace inrapport
