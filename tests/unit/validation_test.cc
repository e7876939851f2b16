#include "common/domain/validation.h"

#include <functional>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Duty ValidDuty() {
  Duty duty;
  duty.id = "ivo-ej-verkstallda-beslut";
  duty.agency_id = "ivo";
  duty.title = "Rapportering av ej verkställda beslut";
  duty.legal_basis = "SoL 16 kap. 6 f §";
  duty.purpose = "IVO judges whether to seek a special fee.";
  duty.sector = Sector::kSocialServices;
  duty.frequency = Frequency::kQuarterly;
  duty.data_items = {"decision_date", "service_type"};
  duty.valid_from = "2008-07-01";
  return duty;
}

Report ValidReport() {
  Report report;
  report.submission_id = "0180-2025-0001";
  report.municipality_code = "0180";
  report.duty_id = "ivo-ej-verkstallda-beslut";
  report.period = "2025Q1";
  report.minutes_spent = 90;
  report.staff_count = 2;
  report.usefulness = 4;
  report.comment = "Tog längre tid än väntat.";
  return report;
}

const absl::CivilDay kToday(2025, 6, 15);

void ExpectInvalid(const absl::Status& status, const std::string& field) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(std::string(status.message()), StartsWith(field + ": "));
}

TEST(ValidateDutyTest, ValidDutyPasses) { EXPECT_TRUE(ValidateDuty(ValidDuty()).ok()); }

TEST(ValidateDutyTest, EmptyPurposeIsAllowed) {
  Duty duty = ValidDuty();
  duty.purpose = "";
  EXPECT_TRUE(ValidateDuty(duty).ok());
}

TEST(ValidateDutyTest, EachRuleNamesItsField) {
  const std::vector<std::pair<std::function<void(Duty&)>, std::string>> cases = {
      {[](Duty& d) { d.id = ""; }, "duty.id"},
      {[](Duty& d) { d.id = "Upper"; }, "duty.id"},
      {[](Duty& d) { d.id = "-leading"; }, "duty.id"},
      {[](Duty& d) { d.id = std::string(65, 'a'); }, "duty.id"},
      {[](Duty& d) { d.agency_id = "IVO myndighet"; }, "duty.agency_id"},
      {[](Duty& d) { d.title = "  "; }, "duty.title"},
      {[](Duty& d) { d.title = std::string(501, 't'); }, "duty.title"},
      {[](Duty& d) { d.purpose = "\xC3\x28"; }, "duty.purpose"},
      {[](Duty& d) { d.legal_basis = std::string(4001, 'x'); }, "duty.legal_basis"},
      {[](Duty& d) { d.sector = Sector::kUnspecified; }, "duty.sector"},
      {[](Duty& d) { d.sector = static_cast<Sector>(99); }, "duty.sector"},
      {[](Duty& d) { d.frequency = Frequency::kUnspecified; }, "duty.frequency"},
      {[](Duty& d) { d.frequency = static_cast<Frequency>(7); }, "duty.frequency"},
      {[](Duty& d) { d.data_items.push_back(" "); }, "duty.data_items[2]"},
      {[](Duty& d) { d.data_items.assign(201, "x"); }, "duty.data_items"},
      {[](Duty& d) { d.estimated_minutes_per_report = -1; }, "duty.estimated_minutes_per_report"},
      {[](Duty& d) { d.estimated_minutes_per_report = 1.0 / 0.0; },
       "duty.estimated_minutes_per_report"},
      {[](Duty& d) { d.valid_from = "2008-13-01"; }, "duty.valid_from"},
      {[](Duty& d) { d.valid_until = "2001-01-01"; }, "duty.valid_until"},
      {[](Duty& d) { d.source_url = std::string(2001, 'u'); }, "duty.source_url"},
      {[](Duty& d) { d.respondents = {"0180", "9999"}; }, "duty.respondents[1]"},
      {[](Duty& d) { d.respondents = {"0180", "1480", "0180"}; }, "duty.respondents[2]"},
      {[](Duty& d) { d.respondents.assign(291, "0180"); }, "duty.respondents"},
      {[](Duty& d) { d.deadline = "31 March"; }, "duty.deadline"},
      {[](Duty& d) { d.deadline = "02-29 of the following year"; }, "duty.deadline"},
  };
  for (const auto& [mutate, field] : cases) {
    Duty duty = ValidDuty();
    mutate(duty);
    ExpectInvalid(ValidateDuty(duty), field);
  }
}

TEST(ValidateDutyTest, RespondentsAreOfficialCodesEachOnce) {
  Duty duty = ValidDuty();
  duty.respondents = {"1480", "0180", "2580"};  // any order
  EXPECT_TRUE(ValidateDuty(duty).ok());
  duty.respondents = {"1480", "180"};
  const absl::Status unknown = ValidateDuty(duty);
  ExpectInvalid(unknown, "duty.respondents[1]");
  EXPECT_THAT(std::string(unknown.message()), HasSubstr("\"180\" is not one of the 290"));
  duty.respondents = {"1480", "1480"};
  EXPECT_THAT(std::string(ValidateDuty(duty).message()), HasSubstr("listed more than once"));
}

TEST(ValidateDutyTest, ADeadlineRuleIsOptionalAndInAnyCase) {
  Duty duty = ValidDuty();
  duty.deadline = "";
  EXPECT_TRUE(ValidateDuty(duty).ok());
  duty.deadline = "30 Days After Period End";
  EXPECT_TRUE(ValidateDuty(duty).ok());
  duty.deadline = "30 days after the period";
  EXPECT_THAT(std::string(ValidateDuty(duty).message()),
              HasSubstr("duty.deadline: \"30 days after the period\" is not a deadline rule"));
}

TEST(ValidateDutyTest, PrefixIsUsedInFieldNames) {
  Duty duty = ValidDuty();
  duty.id = "";
  ExpectInvalid(ValidateDuty(duty, "row"), "row.id");
}

TEST(ValidateReportTest, ValidReportPassesAndPeriodIsCanonicalised) {
  Duty duty = ValidDuty();
  Report report = ValidReport();
  report.period = "2025q1";
  ASSERT_TRUE(ValidateReport(duty, kToday, &report).ok());
  EXPECT_EQ(report.period, "2025Q1");
}

TEST(ValidateReportTest, AYesMayNameWhereTheDataIsAlreadyReported) {
  Report report = ValidReport();
  report.already_reported_elsewhere = Answer::kYes;
  report.already_reported_where = "länsstyrelsens enkät";
  EXPECT_TRUE(ValidateReport(ValidDuty(), kToday, &report).ok());
  report.already_reported_where = std::string(200, 'k');
  EXPECT_TRUE(ValidateReport(ValidDuty(), kToday, &report).ok());
}

TEST(ValidateReportTest, EachRuleNamesItsField) {
  const std::vector<std::pair<std::function<void(Report&)>, std::string>> cases = {
      {[](Report& r) { r.submission_id = ""; }, "report.submission_id"},
      {[](Report& r) { r.submission_id = "has space"; }, "report.submission_id"},
      {[](Report& r) { r.submission_id = std::string(129, 's'); }, "report.submission_id"},
      {[](Report& r) { r.municipality_code = "9999"; }, "report.municipality_code"},
      {[](Report& r) { r.municipality_code = ""; }, "report.municipality_code"},
      {[](Report& r) { r.period = "2025"; }, "report.period"},
      {[](Report& r) { r.period = "2025Q5"; }, "report.period"},
      {[](Report& r) { r.period = "2025Q3"; }, "report.period"},  // after today
      {[](Report& r) { r.minutes_spent = 0; }, "report.minutes_spent"},
      {[](Report& r) { r.minutes_spent = 100001; }, "report.minutes_spent"},
      {[](Report& r) { r.staff_count = -1; }, "report.staff_count"},
      {[](Report& r) { r.staff_count = 10001; }, "report.staff_count"},
      {[](Report& r) { r.usefulness = 6; }, "report.usefulness"},
      {[](Report& r) { r.feedback_received = static_cast<Answer>(3); },
       "report.feedback_received"},
      {[](Report& r) { r.already_reported_elsewhere = static_cast<Answer>(-1); },
       "report.already_reported_elsewhere"},
      {[](Report& r) { r.comment = std::string(2001, 'c'); }, "report.comment"},
      {[](Report& r) { r.comment = "\xED\xA0\x80"; }, "report.comment"},  // surrogate
      // Where the data already goes: only with a yes, one line, bounded.
      {[](Report& r) { r.already_reported_where = "scb-rs"; }, "report.already_reported_where"},
      {[](Report& r) {
         r.already_reported_elsewhere = Answer::kNo;
         r.already_reported_where = "Kolada";
       },
       "report.already_reported_where"},
      {[](Report& r) {
         r.already_reported_elsewhere = Answer::kYes;
         r.already_reported_where = "Kolada\nand more";
       },
       "report.already_reported_where"},
      {[](Report& r) {
         r.already_reported_elsewhere = Answer::kYes;
         r.already_reported_where = std::string(201, 'k');
       },
       "report.already_reported_where"},
  };
  for (const auto& [mutate, field] : cases) {
    Report report = ValidReport();
    mutate(report);
    ExpectInvalid(ValidateReport(ValidDuty(), kToday, &report), field);
  }
}

// A duty id longer than any duty's is invalid before any duty is looked up
// (the intake would otherwise answer NOT_FOUND for it).
TEST(ValidateReportTest, ADutyIdLongerThanAnyIsInvalidWithoutTheDuty) {
  Report report = ValidReport();
  report.duty_id = std::string(kMaxIdLength, 'd');
  EXPECT_TRUE(ValidateReportShape(report).ok());
  report.duty_id = std::string(5000, 'd');
  const absl::Status status = ValidateReportShape(report);
  ExpectInvalid(status, "report.duty_id");
  EXPECT_EQ(status.message(), "report.duty_id: must be at most 64 bytes, got 5000");
}

TEST(ValidateReportTest, WrongFrequencySaysWhatIsExpected) {
  Report report = ValidReport();
  report.period = "2025-03";
  const absl::Status status = ValidateReport(ValidDuty(), kToday, &report);
  EXPECT_THAT(std::string(status.message()), HasSubstr("monthly period"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("expected a period like 2025Q3"));
}

TEST(ValidateReportTest, CurrentPeriodIsAccepted) {
  Report report = ValidReport();
  report.period = "2025Q2";  // contains kToday
  EXPECT_TRUE(ValidateReport(ValidDuty(), kToday, &report).ok());
}

TEST(ValidateReportTest, ReportOutsideTheDutysValidityIsStillAccepted) {
  Duty duty = ValidDuty();
  duty.valid_until = "2020-12-31";
  Report report = ValidReport();
  EXPECT_TRUE(ValidateReport(duty, kToday, &report).ok());
}

// Every text field refuses control and bidirectional formatting characters,
// naming itself; only the multi-line fields take tab and line breaks.
TEST(ValidateTextTest, ControlAndBidiCharactersAreRefusedNamingTheField) {
  const std::vector<std::string> unsafe = {
      std::string("a\0b", 3), "a\x07", "\x1b[31mred", "del\x7f", "c1\xc2\x9b",
      "abc\xe2\x80\xae" "fdp", "\xe2\x81\xa6iso\xe2\x81\xa9", "mark\xe2\x80\x8f"};
  const std::vector<std::pair<std::function<void(Duty&, const std::string&)>, std::string>>
      duty_fields = {
          {[](Duty& d, const std::string& t) { d.title = "T " + t; }, "duty.title"},
          {[](Duty& d, const std::string& t) { d.purpose = "P " + t; }, "duty.purpose"},
          {[](Duty& d, const std::string& t) { d.legal_basis = "L " + t; }, "duty.legal_basis"},
          {[](Duty& d, const std::string& t) { d.data_items.push_back("i" + t); },
           "duty.data_items[2]"},
          {[](Duty& d, const std::string& t) { d.targeted_grant = "G " + t; },
           "duty.targeted_grant"},
          {[](Duty& d, const std::string& t) { d.source_url = "https://x/" + t; },
           "duty.source_url"},
          {[](Duty& d, const std::string& t) { d.notes = "N " + t; }, "duty.notes"},
      };
  for (const std::string& text : unsafe) {
    for (const auto& [mutate, field] : duty_fields) {
      Duty duty = ValidDuty();
      mutate(duty, text);
      const absl::Status status = ValidateDuty(duty);
      ExpectInvalid(status, field);
      EXPECT_THAT(std::string(status.message()), HasSubstr("not allowed")) << field;
    }
    Report report = ValidReport();
    report.comment = "C " + text;
    ExpectInvalid(ValidateReport(ValidDuty(), kToday, &report), "report.comment");
    DutyUse use;
    use.duty_id = "ivo-ej-verkstallda-beslut";
    use.use_id = "u1";
    use.kind = UseKind::kPublication;
    use.date = "2025-01-01";
    use.first_period = "2024";
    use.description = "D " + text;
    ExpectInvalid(ValidateDutyUse(use, kToday), "use.description");
    use.description = "Publicerad statistik";
    use.link = "https://x/" + text;
    ExpectInvalid(ValidateDutyUse(use, kToday), "use.link");
  }
}

// A recorded use clears NO_RECORDED_USE, so its description must say
// something: empty, punctuation or a single word is refused.
TEST(ValidateDutyUseTest, ADescriptionNeedsSubstance) {
  DutyUse use;
  use.duty_id = "ivo-ej-verkstallda-beslut";
  use.use_id = "u1";
  use.kind = UseKind::kPublication;
  use.date = "2025-01-01";
  use.first_period = "2024";
  for (const std::string bad : {"", ".", "...", "-", "x", "x y", "Används", "Used.",
                                "  Statistik  ", "1234 5678", "ok!"}) {
    use.description = bad;
    const absl::Status status = ValidateDutyUse(use, kToday);
    ExpectInvalid(status, "use.description");
    if (!bad.empty()) {
      EXPECT_THAT(std::string(status.message()), HasSubstr("at least two words")) << bad;
    }
  }
  for (const std::string good :
       {"Publicerad statistik", "Underlag för tillsynsbeslut 2025", "Årlig rapport",
        "Published in the official statistics on school pupils.", "Öppna jämförelser"}) {
    use.description = good;
    EXPECT_TRUE(ValidateDutyUse(use, kToday).ok()) << good;
  }
}

// A use names the periods of data it used, which must have existed by its
// date, and a kind of the fixed list.
TEST(ValidateDutyUseTest, PeriodsOfTheDataAndKindOfUse) {
  DutyUse use;
  use.duty_id = "skolverket-elever";
  use.use_id = "u1";
  use.kind = UseKind::kOfficialStatistics;
  use.date = "2025-03-31";
  use.description = "Officiell statistik om elever i grundskolan";
  struct Case {
    std::string first, last, field, words;
  };
  for (const Case& c : std::vector<Case>{
           {"", "", "use.first_period", "must name the first period"},
           {"2024Q5", "", "use.first_period", "2024Q5"},
           {"2024", "20x4", "use.last_period", "20x4"},
           {"2024", "2023", "use.last_period", "ends before use.first_period"},
           {"2026", "", "use.last_period", "had not started on use.date"},
           {"2024", "2025-04", "use.last_period", "had not started on use.date"},
       }) {
    use.first_period = c.first;
    use.last_period = c.last;
    const absl::Status status = ValidateDutyUse(use, kToday);
    ExpectInvalid(status, c.field);
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.words)) << c.first << ".." << c.last;
  }
  // The last period defaults to the first; both become canonical text.
  use.first_period = "2024-W05";
  use.last_period = "";
  ASSERT_TRUE(ValidateDutyUse(use, kToday).ok());
  EXPECT_EQ(use.first_period, "2024W05");
  EXPECT_EQ(use.last_period, "2024W05");
  // Data of a period still running may be used (a first publication).
  use.first_period = "2024";
  use.last_period = "2025Q1";
  EXPECT_TRUE(ValidateDutyUse(use, kToday).ok());

  use.kind = UseKind::kDecision;
  const absl::Status status = ValidateDutyUse(use, kToday);
  ExpectInvalid(status, "use.kind");
  EXPECT_THAT(std::string(status.message()), HasSubstr("supervision_decision"));
  use.kind = static_cast<UseKind>(kMaxUseKind + 1);
  ExpectInvalid(ValidateDutyUse(use, kToday), "use.kind");
  for (int k = 1; k <= kMaxUseKind; ++k) {
    if (k == static_cast<int>(UseKind::kDecision)) continue;
    use.kind = static_cast<UseKind>(k);
    EXPECT_TRUE(ValidateDutyUse(use, kToday).ok()) << k;
  }
}

TEST(ValidateTextTest, MessageNamesTheCharacterAndItsPlace) {
  Report report = ValidReport();
  report.comment = "ok \x1b[2J";
  const absl::Status status = ValidateReport(ValidDuty(), kToday, &report);
  EXPECT_THAT(std::string(status.message()), StartsWith("report.comment: contains U+001B at byte 3"));
}

TEST(ValidateTextTest, MultiLineFieldsTakeTabsAndLineBreaksSingleLineFieldsDoNot) {
  Duty duty = ValidDuty();
  duty.purpose = "Första stycket.\r\n\r\nAndra\tstycket.";
  duty.notes = "rad 1\nrad 2";
  duty.legal_basis = "SoL 16 kap. 6 f §\nSFS 2001:453";
  EXPECT_TRUE(ValidateDuty(duty).ok()) << ValidateDuty(duty);
  Report report = ValidReport();
  report.comment = "Rad ett\nRad två\tmed tab";
  EXPECT_TRUE(ValidateReport(ValidDuty(), kToday, &report).ok());
  for (const char* text : {"a\nb", "a\tb", "a\rb"}) {
    Duty single = ValidDuty();
    single.title = text;
    ExpectInvalid(ValidateDuty(single), "duty.title");
    single = ValidDuty();
    single.data_items.push_back(text);
    ExpectInvalid(ValidateDuty(single), "duty.data_items[2]");
  }
}

TEST(ValidateTextTest, SwedishAndOtherTextPasses) {
  Duty duty = ValidDuty();
  duty.title = "Återrapportering av riktat statsbidrag – Växjö, Malmö ✓ (€ 5 000) שלום";
  duty.data_items.push_back("antal_årsarbetare");
  EXPECT_TRUE(ValidateDuty(duty).ok()) << ValidateDuty(duty);
}

// A value quoted in a message is cut to a bounded prefix with its size.
TEST(ValidateReportTest, QuotedValuesAreBounded) {
  for (size_t size : {size_t{64 * 1024}, size_t{128 * 1024}}) {
    Report report = ValidReport();
    report.period = std::string(size, '7');
    const absl::Status status = ValidateReport(ValidDuty(), kToday, &report);
    ExpectInvalid(status, "report.period");
    EXPECT_LT(status.message().size(), 300u);
    EXPECT_THAT(std::string(status.message()), HasSubstr(absl::StrCat("(", size, " bytes)")));
  }
  Report report = ValidReport();
  report.municipality_code = std::string(100000, '1');
  const absl::Status status = ValidateReport(ValidDuty(), kToday, &report);
  ExpectInvalid(status, "report.municipality_code");
  EXPECT_LT(status.message().size(), 300u);
  Duty duty = ValidDuty();
  duty.id = std::string(100000, 'x');
  EXPECT_LT(ValidateDuty(duty).message().size(), 300u);
}

TEST(Utf8Test, AcceptsValidAndRejectsMalformedSequences) {
  EXPECT_TRUE(IsValidUtf8("Göteborg – Malmö ✓ 😀"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(AgencyValidationTest, AnOrganisationNumberIsCheckedAndKeptWithItsHyphen) {
  Agency agency{"scb", "Statistiska centralbyrån", "2021000837"};
  ASSERT_TRUE(ValidateAgency(agency).ok());
  EXPECT_EQ(agency.organisation_number, "202100-0837");
  agency.organisation_number = "";  // not stated
  EXPECT_TRUE(ValidateAgency(agency).ok());

  for (const char* mistyped : {"202100-0838", "202100-8037"}) {
    agency.organisation_number = mistyped;
    const absl::Status status = ValidateAgency(agency);
    ExpectInvalid(status, "agency.organisation_number");
    EXPECT_THAT(std::string(status.message()), HasSubstr("check digit"));
  }
  for (const char* malformed : {"20210-00837", "202100-083", "202100 0837", "2021000837x"}) {
    agency.organisation_number = malformed;
    EXPECT_THAT(std::string(ValidateAgency(agency).message()), HasSubstr("ten digits"))
        << malformed;
  }
  // A person's number (its third digit, a month, below 2) is no agency's.
  agency.organisation_number = "811218-9876";
  EXPECT_THAT(std::string(ValidateAgency(agency).message()), HasSubstr("legal person"));
}

TEST(AgencyValidationTest, AnAgencyNeedsASlugAndAName) {
  Agency agency{"IVO", "Inspektionen för vård och omsorg", ""};
  ExpectInvalid(ValidateAgency(agency), "agency.id");
  agency = {"ivo", " ", ""};
  ExpectInvalid(ValidateAgency(agency), "agency.name");
  agency = {"ivo", "Inspektionen\nför vård", ""};
  ExpectInvalid(ValidateAgency(agency), "agency.name");
}

TEST(SlugTest, FollowsTheDocumentedAlphabet) {
  EXPECT_TRUE(IsValidSlug("ivo-ej-verkstallda-beslut"));
  EXPECT_TRUE(IsValidSlug("sos_lss_register"));
  EXPECT_TRUE(IsValidSlug("2025-survey"));
  EXPECT_FALSE(IsValidSlug("_x"));
  EXPECT_FALSE(IsValidSlug("ä"));
  EXPECT_FALSE(IsValidSlug(std::string(65, 'a')));
}

}  // namespace
}  // namespace inrapport
