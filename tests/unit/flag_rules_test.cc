#include "common/flags/flag_rules.h"

#include <algorithm>

#include "gtest/gtest.h"
#include "tests/support/examples.h"

namespace inrapport {
namespace {

using testing::ExampleDuty;

TEST(FlagRulesTest, DutyWithPurposeHasNoFlags) {
  EXPECT_TRUE(EvaluateFlags(ExampleDuty()).empty());
}

TEST(FlagRulesTest, EmptyPurposeIsFlaggedWithReasonAndEvidence) {
  const Duty duty = ExampleDuty("d", "ivo", "");
  const std::vector<Flag> flags = EvaluateFlags(duty);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].code, "NO_STATED_PURPOSE");
  EXPECT_NE(flags[0].reason.find("\"d\""), std::string::npos) << flags[0].reason;
  EXPECT_NE(flags[0].reason.find("purpose"), std::string::npos);
  ASSERT_FALSE(flags[0].evidence.empty());
  EXPECT_EQ(flags[0].evidence[0].first, "purpose_characters");
  EXPECT_EQ(flags[0].evidence[0].second, "0");
}

TEST(FlagRulesTest, WhiteSpaceOnlyPurposeIsFlagged) {
  for (const char* purpose : {" ", "\t\n  ", "\xC2\xA0", "\xE3\x80\x80 \xE2\x80\x83"}) {
    const std::vector<Flag> flags = EvaluateFlags(ExampleDuty("d", "ivo", purpose));
    ASSERT_EQ(flags.size(), 1u) << "purpose bytes: " << purpose;
    EXPECT_EQ(flags[0].code, "NO_STATED_PURPOSE");
  }
}

TEST(FlagRulesTest, AnyVisibleCharacterCountsAsAPurpose) {
  EXPECT_TRUE(EvaluateFlags(ExampleDuty("d", "ivo", " x ")).empty());
  EXPECT_TRUE(EvaluateFlags(ExampleDuty("d", "ivo", "Å")).empty());
}

TEST(FlagRulesTest, IsBlankRecognisesUnicodeSpaces) {
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank("\xE2\x80\x8B"));  // zero-width space
  EXPECT_FALSE(IsBlank("\xE2\x80\x90"));  // hyphen U+2010 is visible
  EXPECT_FALSE(IsBlank("\xC2"));          // a stray byte is not white space
}

TEST(FlagRulesTest, AllFlagCodesListsEveryCodeOnceInOrder) {
  const auto& codes = AllFlagCodes();
  EXPECT_EQ(codes.size(), 10u);
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
  EXPECT_NE(std::find(codes.begin(), codes.end(), "NO_STATED_PURPOSE"), codes.end());
}

}  // namespace
}  // namespace inrapport
