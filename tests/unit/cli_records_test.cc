#include "services/cli/records.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/cli/output.h"

namespace inrapport::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ReadDutiesTest, MapsEveryColumn) {
  auto records = ReadDuties(
      "id,agency_id,title,legal_basis,purpose,sector,frequency,data_items,targeted_grant,"
      "estimated_minutes_per_report,valid_from,valid_until,source_url,notes\n"
      "d,ivo,Titel,SoL 16 kap. 6 f §,,Social services,ad hoc, a ; b ;;c ,Bidrag,12.5,"
      "2020-01-01,,https://x,\"note, with comma\"\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 1u);
  const Record<Duty>& r = (*records)[0];
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.line, 2);
  EXPECT_EQ(r.value.id, "d");
  EXPECT_EQ(r.value.purpose, "");
  EXPECT_EQ(r.value.sector, Sector::kSocialServices);
  EXPECT_EQ(r.value.frequency, Frequency::kAdHoc);
  EXPECT_THAT(r.value.data_items, ElementsAre("a", "b", "c"));
  EXPECT_EQ(r.value.estimated_minutes_per_report, 12.5);
  EXPECT_EQ(r.value.notes, "note, with comma");
  EXPECT_TRUE(r.value.respondents.empty());  // no column: every municipality
}

TEST(ReadDutiesTest, RespondentsAreSemicolonSeparatedCodes) {
  auto records = ReadDuties(
      "id,agency_id,title,purpose,sector,frequency,respondents\n"
      "d,ivo,T,P,Social services,annual, 1480 ; 0180;;1280 \n"
      "e,ivo,T,P,Social services,annual,\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_THAT((*records)[0].value.respondents, ElementsAre("1480", "0180", "1280"));
  EXPECT_TRUE((*records)[1].value.respondents.empty());
}

// A catalogue may state when a duty in force expires; without the column
// it has no expiry.
TEST(ReadDutiesTest, AnExpiryColumnIsOptional) {
  auto records = ReadDuties(
      "id,agency_id,title,purpose,sector,frequency,expires_on\n"
      "a,scb,A,p,finance,annual,2028-12-31\n"
      "b,scb,B,p,finance,annual,\n");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ((*records)[0].value.expires_on, "2028-12-31");
  EXPECT_TRUE((*records)[1].value.expires_on.empty());
}

TEST(ReadDutiesTest, UnknownSectorNamesLineAndColumn) {
  auto records = ReadDuties("id,agency_id,title,purpose,sector,frequency\n"
                            "d,ivo,T,P,schools,annual\n");
  ASSERT_TRUE(records.ok());
  EXPECT_THAT(std::string((*records)[0].status.message()), StartsWith("line 2: sector:"));
}

TEST(ReadDutiesTest, MissingColumnIsAFileError) {
  auto records = ReadDuties("id,agency_id,title\nd,ivo,T\n");
  EXPECT_EQ(records.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(records.status().message()), StartsWith("line 1: the header has no column"));
}

TEST(ReadReportsTest, MapsFieldsAndDefaults) {
  auto records = ReadReports(
      "# illustrative\n"
      "submission_id,municipality_code,duty_id,period,minutes_spent,staff_count,usefulness,"
      "feedback_received,already_reported_elsewhere,comment\n"
      "s1,0180,d,2025Q1,90,,4,yes,,\"Göteborg, hej\"\n");
  ASSERT_TRUE(records.ok()) << records.status();
  const Record<Report>& r = (*records)[0];
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.line, 3);
  EXPECT_EQ(r.value.minutes_spent, 90);
  EXPECT_EQ(r.value.staff_count, 0);
  EXPECT_EQ(r.value.usefulness, 4);
  EXPECT_EQ(r.value.feedback_received, Answer::kYes);
  EXPECT_EQ(r.value.already_reported_elsewhere, Answer::kUnknown);
  EXPECT_EQ(r.value.comment, "Göteborg, hej");
  EXPECT_EQ(r.value.already_reported_where, "");  // an optional column
}

TEST(ReadReportsTest, ReadsWhereTheDataIsAlreadyReported) {
  auto records = ReadReports(
      "submission_id,municipality_code,duty_id,period,minutes_spent,"
      "already_reported_elsewhere,already_reported_where\n"
      "s1,0180,d,2025,90,yes, Kolada \n"
      "s2,0180,d,2025,90,yes,\"länsstyrelsens enkät, 2025\"\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].value.already_reported_where, "Kolada");  // trimmed
  EXPECT_EQ((*records)[1].value.already_reported_where, "länsstyrelsens enkät, 2025");
}

TEST(ReadReportsTest, BadNumbersAndAnswersNameLineAndColumn) {
  auto records = ReadReports(
      "submission_id,municipality_code,duty_id,period,minutes_spent,feedback_received\n"
      "s1,0180,d,2025,ninety,\n"
      "s2,0180,d,2025,90,perhaps\n"
      "s3,0180,d,2025,90,no\n");
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 3u);
  EXPECT_THAT(std::string((*records)[0].status.message()), StartsWith("line 2: minutes_spent:"));
  EXPECT_THAT(std::string((*records)[1].status.message()),
              StartsWith("line 3: feedback_received:"));
  EXPECT_TRUE((*records)[2].status.ok());
}

TEST(OutputTest, TablesAlignByCodePoints) {
  Table table{{"name", "n"}, {{"Göteborg", "1"}, {"Umeå", "22"}}, {1}};
  std::ostringstream out;
  PrintTable(table, out);
  EXPECT_EQ(out.str(),
            "name       n\n"
            "--------  --\n"
            "Göteborg   1\n"
            "Umeå      22\n");
  EXPECT_EQ(DisplayWidth("Örebro"), 6u);
}

TEST(OutputTest, NumbersAreGroupedForPeople) {
  EXPECT_EQ(FormatNumber(1375500, 0), "1 375 500");
  EXPECT_EQ(FormatNumber(3438.75, 1), "3 438.8");
  EXPECT_EQ(FormatNumber(12, 0), "12");
  EXPECT_EQ(FormatNumber(-1234.5, 1), "-1 234.5");
}

TEST(DecodeInputTest, ValidUtf8PassesUnchanged) {
  const std::string text = "submission_id,comment\nx-1,Växjö ✓\n";
  auto decoded = DecodeInput(text, Encoding::kUtf8);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, text);
}

TEST(DecodeInputTest, InvalidUtf8NamesLineAndColumn) {
  // Line 3, "x-2,V" is 5 characters: the bad byte is column 6.
  const std::string text = "h1,h2\nx-1,Göteborg\nx-2,V\xe4xj\xf6\n";
  auto decoded = DecodeInput(text, Encoding::kUtf8);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(decoded.status().message()),
              StartsWith("line 3, column 6: not valid UTF-8 (byte 0xE4)"));
  EXPECT_THAT(std::string(decoded.status().message()), HasSubstr("--encoding latin1"));
}

TEST(DecodeInputTest, Latin1IsConvertedToUtf8) {
  auto decoded = DecodeInput("V\xe4xj\xf6 \xc5re \xa7 5", Encoding::kLatin1);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, "Växjö Åre § 5");
}

TEST(DecodeInputTest, EncodingNames) {
  EXPECT_EQ(ParseEncoding("utf8"), Encoding::kUtf8);
  EXPECT_EQ(ParseEncoding("UTF-8"), Encoding::kUtf8);
  EXPECT_EQ(ParseEncoding("latin1"), Encoding::kLatin1);
  EXPECT_EQ(ParseEncoding("ISO-8859-1"), Encoding::kLatin1);
  EXPECT_EQ(ParseEncoding("cp437"), std::nullopt);
}

TEST(OutputTest, TablesShowNoControlOrBidiCharacter) {
  Table table{{"duty", "title"},
              {{"a\x1b[2J", "evil\x07\nline"}, {"b", "abc\xe2\x80\xae" "fdp.exe"}},
              {}};
  std::ostringstream out;
  PrintTable(table, out);
  EXPECT_EQ(out.str(),
            "duty   title\n"
            "-----  -----------\n"
            "a\uFFFD[2J  evil\uFFFD line\n"
            "b      abc\uFFFDfdp.exe\n");
  EXPECT_EQ(TerminalText("x\x1b]0;title\x07y\xc2\x9b"), "x\uFFFD]0;title\uFFFDy\uFFFD");
}

TEST(OutputTest, CsvOutputNeutralisesFormulasAndKeepsNumbers) {
  Table table{{"key", "n"}, {{"=HYPERLINK(\"http://x\",\"y\")", "-12"}, {"@SUM(A1)", "-0.5"}}, {}};
  std::ostringstream out;
  PrintCsv(table, out);
  EXPECT_EQ(out.str(),
            "key,n\n"
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-12\n"
            "\"'@SUM(A1)\",-0.5\n");
}

}  // namespace
}  // namespace inrapport::cli
