#include "common/text/text_safety.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(UnsafeCodePointTest, CoversControlsAndBidiFormattingButNotText) {
  for (char32_t c : {0x00, 0x07, 0x09, 0x0A, 0x0D, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9B, 0x9F,
                     0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066,
                     0x2067, 0x2068, 0x2069}) {
    EXPECT_TRUE(IsUnsafeCodePoint(c)) << CodePointName(c);
  }
  for (char32_t c : {0x20, 0x41, 0x7E, 0xA0, 0xE5, 0xF6, 0x2013, 0x200D, 0x2029, 0x20AC, 0xFFFD,
                     0x1F600}) {
    EXPECT_FALSE(IsUnsafeCodePoint(c)) << CodePointName(c);
  }
}

TEST(FindUnsafeCharacterTest, ReportsTheFirstWithItsByteOffset) {
  EXPECT_EQ(FindUnsafeCharacter("Växjö kommun", TextKind::kSingleLine), std::nullopt);
  auto esc = FindUnsafeCharacter("åä\x1b[31m", TextKind::kSingleLine);
  ASSERT_TRUE(esc.has_value());
  EXPECT_EQ(esc->offset, 4u);
  EXPECT_EQ(esc->code_point, 0x1Bu);
  auto rlo = FindUnsafeCharacter("abc\xe2\x80\xae" "fdp.exe", TextKind::kMultiLine);
  ASSERT_TRUE(rlo.has_value());
  EXPECT_EQ(CodePointName(rlo->code_point), "U+202E");
  auto nul = FindUnsafeCharacter(std::string("a\0b", 3), TextKind::kMultiLine);
  ASSERT_TRUE(nul.has_value());
  EXPECT_EQ(nul->offset, 1u);
}

TEST(FindUnsafeCharacterTest, MultiLineTextMayHoldTabAndLineBreaksOnly) {
  EXPECT_EQ(FindUnsafeCharacter("a\tb\r\nc\nd", TextKind::kMultiLine), std::nullopt);
  EXPECT_TRUE(FindUnsafeCharacter("a\nb", TextKind::kSingleLine).has_value());
  EXPECT_TRUE(FindUnsafeCharacter("a\tb", TextKind::kSingleLine).has_value());
  EXPECT_TRUE(FindUnsafeCharacter("a\n\x07", TextKind::kMultiLine).has_value());
}

TEST(NeutraliseTextTest, ReplacesUnsafeCharactersAndMalformedBytes) {
  EXPECT_EQ(NeutraliseText("Göteborg – Malmö ✓ 😀", TextKind::kSingleLine),
            "Göteborg – Malmö ✓ 😀");
  EXPECT_EQ(NeutraliseText("a\x1b[2Jb\x07", TextKind::kSingleLine), "a\uFFFD[2Jb\uFFFD");
  EXPECT_EQ(NeutraliseText(std::string("a\0b\x7f", 4), TextKind::kMultiLine), "a\uFFFDb\uFFFD");
  EXPECT_EQ(NeutraliseText("x\xc2\x9b" "1m", TextKind::kSingleLine), "x\uFFFD1m");
  EXPECT_EQ(NeutraliseText("user\xe2\x80\xae" "gpj.exe", TextKind::kSingleLine),
            "user\uFFFDgpj.exe");
  EXPECT_EQ(NeutraliseText("\xe2\x81\xa6x\xe2\x81\xa9\xe2\x80\x8f", TextKind::kSingleLine),
            "\uFFFDx\uFFFD\uFFFD");
  EXPECT_EQ(NeutraliseText("V\xe4xj\xf6", TextKind::kSingleLine), "V\uFFFDxj\uFFFD");
}

TEST(NeutraliseTextTest, LineBreaksFlattenInSingleLineAndStayInMultiLineText) {
  EXPECT_EQ(NeutraliseText("a\r\nb\nc\rd\te", TextKind::kSingleLine), "a b c d e");
  EXPECT_EQ(NeutraliseText("a\r\nb\nc\rd\te", TextKind::kMultiLine), "a\nb\nc\nd\te");
}

TEST(NeutraliseTextTest, NeutralisedTextIsSafeAndStable) {
  const std::string hostile = std::string("\0\x01\x1b\x7f\xc2\x80\xe2\x80\xae\xff\xc3", 12);
  for (TextKind kind : {TextKind::kSingleLine, TextKind::kMultiLine}) {
    const std::string once = NeutraliseText(hostile, kind);
    EXPECT_TRUE(IsValidUtf8(once));
    EXPECT_EQ(FindUnsafeCharacter(once, kind), std::nullopt);
    EXPECT_EQ(NeutraliseText(once, kind), once);
  }
}

TEST(QuoteValueTest, ShortValuesAreQuotedWhole) {
  EXPECT_EQ(QuoteValue("2025Q5"), "\"2025Q5\"");
  EXPECT_EQ(QuoteValue(""), "\"\"");
  EXPECT_EQ(QuoteValue(std::string(64, 'x')), "\"" + std::string(64, 'x') + "\"");
}

TEST(QuoteValueTest, LongValuesAreCutWithTheirSize) {
  const std::string quoted = QuoteValue(std::string(128 * 1024, '9'));
  EXPECT_EQ(quoted, "\"" + std::string(64, '9') + "…\" (131072 bytes)");
}

TEST(QuoteValueTest, CutsOnACharacterBoundary) {
  // 63 ASCII bytes, then 'ö' (2 bytes) across the 64-byte limit.
  const std::string value = std::string(63, 'a') + "ö" + std::string(10, 'b');
  const std::string quoted = QuoteValue(value);
  EXPECT_EQ(quoted, "\"" + std::string(63, 'a') + "…\" (75 bytes)");
  EXPECT_TRUE(IsValidUtf8(quoted));
}

TEST(QuoteValueTest, ControlsInTheValueAreNeutralised) {
  EXPECT_EQ(QuoteValue("a\x1b]0;pwned\x07\nb"), "\"a\uFFFD]0;pwned\uFFFD b\"");
  EXPECT_THAT(QuoteValue("\xe2\x80\xae" "abc"), Not(HasSubstr("\xe2\x80\xae")));
}

TEST(Utf8Test, DecodesCodePointsAndReplacesMalformedOnes) {
  size_t length = 0;
  EXPECT_EQ(DecodeCodePoint("ö", 0, &length), 0xF6u);
  EXPECT_EQ(length, 2u);
  EXPECT_EQ(DecodeCodePoint("😀", 0, &length), 0x1F600u);
  EXPECT_EQ(length, 4u);
  EXPECT_EQ(DecodeCodePoint("\xe4x", 0, &length), 0xFFFDu);
  EXPECT_EQ(length, 1u);
  EXPECT_EQ(ValidUtf8("a\xff" "b"), "a\uFFFDb");
}

TEST(EscapeUnsafeInJsonTest, EscapesUnsafeCharactersInsideStringsOnly) {
  EXPECT_EQ(EscapeUnsafeInJson("{\n  \"a\": \"x\xe2\x80\xaey\xc2\x9b\"\n}"),
            "{\n  \"a\": \"x\\u202ey\\u009b\"\n}");
  EXPECT_EQ(EscapeUnsafeInJson("[\"\x1b\"]"), "[\"\\u001b\"]");
  EXPECT_EQ(EscapeUnsafeInJson("{\"s\": \"Växjö \\u0007\"}"), "{\"s\": \"Växjö \\u0007\"}");
}

}  // namespace
}  // namespace inrapport
