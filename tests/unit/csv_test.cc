#include "common/csv/csv.h"

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

}  // namespace
}  // namespace inrapport
