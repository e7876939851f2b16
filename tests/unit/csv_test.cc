#include "common/csv/csv.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

TEST(CsvTest, ParsesPlainRowsWithLineNumbers) {
  auto rows = ParseCsv("a,b,c\n1,2,3\n");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_THAT((*rows)[1].fields, ElementsAre("1", "2", "3"));
  EXPECT_EQ((*rows)[1].line, 2);
}

TEST(CsvTest, QuotedFieldsKeepCommasQuotesAndLineBreaks) {
  auto rows = ParseCsv("\"x, y\",\"say \"\"hej\"\"\",\"two\nlines\"\nnext,row,here");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_THAT((*rows)[0].fields, ElementsAre("x, y", "say \"hej\"", "two\nlines"));
  EXPECT_EQ((*rows)[1].line, 3);  // the quoted line break counts
}

TEST(CsvTest, CrLfBomCommentsAndBlankLines) {
  auto rows = ParseCsv("\xEF\xBB\xBF# a comment\r\na,b\r\n\r\n# another\r\n1,\r\n");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_THAT((*rows)[0].fields, ElementsAre("a", "b"));
  EXPECT_THAT((*rows)[1].fields, ElementsAre("1", ""));
  EXPECT_EQ((*rows)[1].line, 5);
}

TEST(CsvTest, EmptyFieldsAndTrailingComma) {
  auto rows = ParseCsv(",,\n");
  ASSERT_TRUE(rows.ok());
  EXPECT_THAT((*rows)[0].fields, ElementsAre("", "", ""));
}

TEST(CsvTest, ErrorsNameTheLine) {
  auto unterminated = ParseCsv("a,b\n1,\"open\n2,3\n");
  EXPECT_EQ(unterminated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unterminated.status().message()),
              StartsWith("line 2: unterminated quoted field"));
  EXPECT_THAT(std::string(ParseCsv("a\n\"x\"y\n").status().message()), StartsWith("line 2"));
  EXPECT_THAT(std::string(ParseCsv("a\nx\"y\n").status().message()), StartsWith("line 2"));
  EXPECT_FALSE(ParseCsv(std::string(kMaxCsvFieldBytes + 1, 'x')).ok());
}

TEST(CsvTableTest, MapsFieldsByColumnName) {
  auto table = CsvTable::Parse("id,name\nx,Göteborg\n", {"id"});
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->rows().size(), 1u);
  EXPECT_EQ(table->Get(table->rows()[0], "name"), "Göteborg");
  EXPECT_EQ(table->Get(table->rows()[0], "missing"), "");
  EXPECT_FALSE(table->HasColumn("missing"));
}

TEST(CsvTableTest, RejectsMissingAndRepeatedColumnsAndRaggedRows) {
  EXPECT_THAT(std::string(CsvTable::Parse("a,b\n", {"c"}).status().message()),
              StartsWith("line 1: the header has no column \"c\""));
  EXPECT_FALSE(CsvTable::Parse("a,a\n", {}).ok());
  EXPECT_THAT(std::string(CsvTable::Parse("a,b\n1\n", {}).status().message()),
              StartsWith("line 2: expected 2 fields, got 1"));
  EXPECT_FALSE(CsvTable::Parse("", {}).ok());
}

TEST(CsvLineTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvLine({"a", "b c", "x,y", "say \"hi\"", "", "#not comment"}),
            "a,b c,\"x,y\",\"say \"\"hi\"\"\",,\"#not comment\"");
  auto back = ParseCsv(CsvLine({"x,y", "two\nlines", "q\"q"}));
  ASSERT_TRUE(back.ok());
  EXPECT_THAT((*back)[0].fields, ElementsAre("x,y", "two\nlines", "q\"q"));
}

// fuzz/csv_fuzzer's round trip: a row of one empty field was written as an
// empty line, which reads as no row.
TEST(CsvLineTest, LoneEmptyFieldReadsBackAsARow) {
  EXPECT_EQ(CsvLine({""}), "\"\"");
  auto back = ParseCsv(",,\n" + CsvLine({""}) + "\n");
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 2u);
  EXPECT_THAT((*back)[1].fields, ElementsAre(""));
}

// fuzz/csv_fuzzer's round trip: a first field that starts with a byte order mark
// lost it, taken for the file's.
TEST(CsvLineTest, LeadingByteOrderMarkIsKept) {
  const std::string field = "\xEF\xBB\xBFid";
  auto back = ParseCsv(CsvLine({field, "x"}));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_THAT((*back)[0].fields, ElementsAre(field, "x"));
}

// OWASP's advice against CSV injection: a cell a spreadsheet would take for
// a formula starts with a single quote and is quoted.
TEST(CsvFieldTest, FormulaLikeTextIsPrefixedWithAQuoteAndQuoted) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvField("+1"), "\"'+1\"");
  EXPECT_EQ(CsvField("-2+3"), "\"'-2+3\"");
  EXPECT_EQ(CsvField("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(CsvField("\t=1"), "\"'\t=1\"");
  EXPECT_EQ(CsvField("\r=1"), "\"'\n=1\"");  // CR becomes LF, the prefix stays
  EXPECT_EQ(CsvField("-"), "\"'-\"");
  EXPECT_EQ(CsvField("a=1"), "a=1");  // only the first character matters
}

TEST(CsvFieldTest, NumbersStayNumbers) {
  for (const char* number : {"0", "42", "-12", "-0.5", "1234.5678", "-400"}) {
    EXPECT_EQ(CsvField(number), number);
  }
  for (const char* text : {"-1e5", "-1.", "--1", "-.5", "-1,5"}) {
    EXPECT_EQ(CsvField(text).substr(0, 2), "\"'") << text;
  }
}

TEST(CsvFieldTest, ControlAndBidiCharactersAreNeutralised) {
  EXPECT_EQ(CsvField("a\x1b[31mb\x07"), "a\uFFFD[31mb\uFFFD");
  EXPECT_EQ(CsvField("x\xe2\x80\xae" "y"), "x\uFFFDy");
  EXPECT_EQ(CsvField(std::string("n\0l", 3)), "n\uFFFDl");
  EXPECT_EQ(CsvField("V\xe4xj\xf6"), "V\uFFFDxj\uFFFD");
  // Line breaks and tabs inside a cell stay (quoted).
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

TEST(CsvFieldTest, WhatIsWrittenReadsBackAsTheSafeText) {
  const std::vector<std::string> fields = {"=1+1", "+1", "-2+3", "@SUM(A1)", "-7", "plain",
                                           "<script>alert(1)</script>", "esc\x1b"};
  auto back = ParseCsv(CsvLine(fields));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_THAT((*back)[0].fields, ElementsAre("'=1+1", "'+1", "'-2+3", "'@SUM(A1)", "-7", "plain",
                                             "<script>alert(1)</script>", "esc\uFFFD"));
  for (size_t i = 0; i < fields.size(); ++i) {
    EXPECT_EQ((*back)[0].fields[i], CsvSafeText(fields[i]));
  }
}

TEST(CsvTableTest, QuotedColumnNamesInErrorsAreBounded) {
  const std::string column(60000, 'c');
  auto table = CsvTable::Parse(column + "," + column + "\n", {});
  ASSERT_FALSE(table.ok());
  EXPECT_LT(table.status().message().size(), 200u);
  EXPECT_THAT(std::string(table.status().message()), ::testing::HasSubstr("(60000 bytes)"));
}

}  // namespace
}  // namespace inrapport
