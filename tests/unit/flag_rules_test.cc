#include "common/flags/flag_rules.h"
#include "common/flags/legal_basis.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "common/flags/duty_stats.h"
#include "common/flags/overlaps.h"
#include "tests/support/examples.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ExampleDuty;

// Thursday in the second quarter of 2025.
const absl::CivilDay kToday(2025, 5, 15);

std::vector<std::string> Codes(const std::vector<Flag>& flags) {
  std::vector<std::string> codes;
  for (const Flag& flag : flags) codes.push_back(flag.code);
  return codes;
}

bool Has(const std::vector<Flag>& flags, absl::string_view code) {
  return std::any_of(flags.begin(), flags.end(),
                     [&](const Flag& f) { return f.code == code; });
}

// The flag with `code` (a copy, so that it may come from a temporary).
Flag Get(const std::vector<Flag>& flags, absl::string_view code) {
  for (const Flag& flag : flags) {
    if (flag.code == code) return flag;
  }
  ADD_FAILURE() << "no flag " << code << " among " << ::testing::PrintToString(Codes(flags));
  return Flag{};
}

// The value of the evidence figure `name`, or "(missing)".
std::string Figure(const Flag& flag, absl::string_view name) {
  for (const auto& [key, value] : flag.evidence) {
    if (key == name) return value;
  }
  return "(missing)";
}

std::vector<std::string> FigureNames(const Flag& flag) {
  std::vector<std::string> names;
  for (const auto& entry : flag.evidence) names.push_back(entry.first);
  return names;
}

// A report of the example duty for `period`.
Report Answered(std::string period, int64_t minutes, int32_t usefulness = 0,
                Answer feedback = Answer::kUnknown) {
  static int next = 0;
  Report report = testing::ExampleReport("s" + std::to_string(++next), "0180",
                                         "ivo-ej-verkstallda-beslut", std::move(period), minutes);
  report.usefulness = usefulness;
  report.feedback_received = feedback;
  return report;
}

// A use of the data of periods first..last, recorded on `date`.
DutyUse UseOf(std::string first, std::string last, absl::CivilDay date) {
  DutyUse use;
  use.duty_id = "d";
  use.use_id = "u";
  use.kind = UseKind::kOfficialStatistics;
  use.date = FormatDate(date);
  use.description = "Officiell statistik";
  use.first_period = std::move(first);
  use.last_period = std::move(last);
  return use;
}

// A use recorded before uses named their data: it counts for every period
// that had ended by its date.
DutyUse UseBefore(absl::CivilDay date) { return UseOf("", "", date); }

// The duty's flags the way the catalogue computes them: statistics kept by
// DutyStats, evidence as of kToday, then the rules.
class ReportDrivenFlagsTest : public ::testing::Test {
 protected:
  std::vector<Flag> Flags() const {
    return EvaluateFlags(duty_, stats_.Evidence(duty_, today_, thresholds_), thresholds_);
  }
  void Add(int count, int64_t minutes, int32_t usefulness = 0,
           Answer feedback = Answer::kUnknown, const std::string& period = "2025Q1") {
    for (int i = 0; i < count; ++i) {
      stats_.AddReport(Answered(period, minutes, usefulness, feedback));
    }
  }

  Duty duty_ = ExampleDuty("d");  // quarterly, estimate 30 minutes, no flags of its own
  DutyStats stats_;
  FlagThresholds thresholds_;
  absl::CivilDay today_ = kToday;

  void SetUp() override {
    // A use of all data until today: NO_RECORDED_USE stays out of tests of
    // other flags.
    stats_.AddUse(UseBefore(kToday));
  }
};

// ---------------------------------------------------------------- purpose

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
  EXPECT_EQ(Figure(flags[0], "agency_id"), "ivo");
}

TEST(FlagRulesTest, WhiteSpaceOnlyPurposeIsFlagged) {
  for (const char* purpose : {" ", "\t\n  ", "\xC2\xA0", "\xE3\x80\x80 \xE2\x80\x83",
                              "\xEF\xBB\xBF", "\xE2\x80\xA8"}) {
    const std::vector<Flag> flags = EvaluateFlags(ExampleDuty("d", "ivo", purpose));
    ASSERT_EQ(flags.size(), 1u) << "purpose bytes: " << purpose;
    EXPECT_EQ(flags[0].code, "NO_STATED_PURPOSE");
  }
}

TEST(FlagRulesTest, PunctuationOnlyPurposeStatesNoPurpose) {
  for (const char* purpose : {"-", ".", " – ", "…", "?!", "\"\""}) {
    EXPECT_THAT(Codes(EvaluateFlags(ExampleDuty("d", "ivo", purpose))),
                ElementsAre("NO_STATED_PURPOSE"))
        << purpose;
  }
}

TEST(FlagRulesTest, AnyVisibleCharacterCountsAsAPurpose) {
  EXPECT_TRUE(EvaluateFlags(ExampleDuty("d", "ivo", " x ")).empty());
  EXPECT_TRUE(EvaluateFlags(ExampleDuty("d", "ivo", "Å")).empty());
}

TEST(FlagRulesTest, NoStatedPurposeClearsWhenAPurposeIsStated) {
  Duty duty = ExampleDuty("d", "ivo", "");
  EXPECT_THAT(Codes(EvaluateFlags(duty)), ElementsAre("NO_STATED_PURPOSE"));
  duty.purpose = "IVO judges whether to seek a special fee.";
  EXPECT_THAT(Codes(EvaluateFlags(duty)), IsEmpty());
}

TEST(FlagRulesTest, IsBlankRecognisesUnicodeSpaces) {
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank("\xE2\x80\x8B"));  // zero-width space
  EXPECT_TRUE(IsBlank("\xEF\xBB\xBF"));  // zero-width no-break space (BOM)
  EXPECT_FALSE(IsBlank("\xE2\x80\x90"));  // hyphen U+2010 is visible
  EXPECT_FALSE(IsBlank("\xC2"));          // a stray byte is not white space
}

TEST(FlagRulesTest, BoilerplatePurposeFiresWithTheGenericWordsAsEvidence) {
  Duty duty = ExampleDuty("d", "scb", "För uppföljning och kontroll.");
  std::vector<Flag> flags = EvaluateFlags(duty);
  EXPECT_THAT(Codes(flags), ElementsAre("BOILERPLATE_PURPOSE"));
  const Flag& flag = Get(flags, kBoilerplatePurpose);
  EXPECT_THAT(flag.reason, HasSubstr("\"d\""));
  EXPECT_THAT(flag.reason, HasSubstr("För uppföljning och kontroll."));
  EXPECT_EQ(Figure(flag, "purpose"), "För uppföljning och kontroll.");
  EXPECT_EQ(Figure(flag, "generic_words"), "kontroll, uppföljning");
  EXPECT_EQ(Figure(flag, "agency_id"), "scb");

  // Not both: an empty purpose is NO_STATED_PURPOSE only.
  duty.purpose = "";
  EXPECT_THAT(Codes(EvaluateFlags(duty)), ElementsAre("NO_STATED_PURPOSE"));
  // Clears when the purpose names who uses the data for what.
  duty.purpose = "SCB publishes the quarterly municipal accounts used for GDP.";
  EXPECT_THAT(Codes(EvaluateFlags(duty)), IsEmpty());
}

// ------------------------------------------------------------ legal basis

TEST(FlagRulesTest, NoLegalBasisFiresWhenNoneIsNamed) {
  Duty duty = ExampleDuty("d");
  duty.legal_basis = "";
  const std::vector<Flag> flags = EvaluateFlags(duty);
  EXPECT_THAT(Codes(flags), ElementsAre("NO_LEGAL_BASIS"));
  const Flag& flag = Get(flags, kNoLegalBasis);
  EXPECT_EQ(flag.reason, "The duty \"d\" names no legal basis.");
  EXPECT_EQ(Figure(flag, "legal_basis"), "");
  EXPECT_EQ(Figure(flag, "references_found"), "0");
}

TEST(FlagRulesTest, NoLegalBasisFiresWhenTheTextNamesNoRecognisableSource) {
  for (const char* text : {"lag", "SOU 2018:47", "enligt praxis"}) {
    Duty duty = ExampleDuty("d");
    duty.legal_basis = text;
    const std::vector<Flag> flags = EvaluateFlags(duty);
    ASSERT_THAT(Codes(flags), ElementsAre("NO_LEGAL_BASIS")) << text;
    EXPECT_THAT(flags[0].reason, HasSubstr("\"d\""));
    EXPECT_THAT(flags[0].reason, HasSubstr("no recognisable Swedish source"));
    EXPECT_THAT(flags[0].reason_sv, HasSubstr("igenkännbar svensk källa"));
    EXPECT_EQ(Figure(flags[0], "legal_basis"), text);  // the text, notes included
    EXPECT_EQ(Figure(flags[0], "reading"), "no recognisable source");
  }
}

// A basis that says there is none is none, whatever follows it.
TEST(FlagRulesTest, NoLegalBasisFiresWhenTheBasisSaysThereIsNone) {
  for (const char* text : {"none", "none found (government assignment; legal basis unverified)",
                           "none (MFD's own instruction; no municipal duty found)",
                           "Saknas", "ingen föreskrift hittad"}) {
    Duty duty = ExampleDuty("d");
    duty.legal_basis = text;
    const std::vector<Flag> flags = EvaluateFlags(duty);
    ASSERT_THAT(Codes(flags), ElementsAre("NO_LEGAL_BASIS")) << text;
    EXPECT_EQ(flags[0].reason, "The legal basis of \"d\" says there is none.") << text;
    EXPECT_EQ(flags[0].reason_sv, "Författningsstödet för \"d\" anges saknas.") << text;
    EXPECT_EQ(Figure(flags[0], "reading"), "none stated");
  }
}

// What the catalogue could not verify is stated, not missing: no flag, and
// the duty is marked unverified instead (see DutyCatalog). A government
// decision or assignment is a stated basis outside the statute book.
TEST(FlagRulesTest, AnUnverifiedOrNonStatutoryBasisIsNotAMissingOne) {
  for (const char* text : {"unverified", "unverified (temporary targeted grant)",
                           "Regeringsbeslut S2021/08234 (utbetalning/uppföljning)",
                           "Government assignment; since 2021 part of återrapportering",
                           "regleringsbrev för 2024", "Överenskommelse mellan staten och SKR"}) {
    Duty duty = ExampleDuty("d");
    duty.legal_basis = text;
    EXPECT_FALSE(Has(EvaluateFlags(duty), kNoLegalBasis)) << text;
  }
  EXPECT_TRUE(ReadLegalBasis("unverified").unverified);
  EXPECT_TRUE(ReadLegalBasis("SoL (2001:453) 16 kap. 6 f § [paragraph unverified]").unverified);
  EXPECT_FALSE(ReadLegalBasis("SoL (2001:453) 16 kap. 6 f §").unverified);
  EXPECT_TRUE(ReadLegalBasis("Regeringsbeslut S2021/08234").non_statutory);
  EXPECT_TRUE(ReadLegalBasis("  none found").none_stated);
  EXPECT_TRUE(ReadLegalBasis("").none_stated);
}

TEST(FlagRulesTest, NoLegalBasisDoesNotFireOnAnyRecognisedForm) {
  for (const char* text : {"SFS 2010:800", "2015:1052", "SoL 16 kap. 6 f §", "LSS 28 f §",
                           "SkolL 26 kap. 25 §", "SKOLFS 2011:142", "HSLF-FS 2016:40",
                           "Förordning (1981:1370) 2 § b",
                           "unverified; SoL (2001:453) 16 kap. 6 f § [unverified]"}) {
    Duty duty = ExampleDuty("d");
    duty.legal_basis = text;
    EXPECT_THAT(Codes(EvaluateFlags(duty)), IsEmpty()) << text;
  }
}

TEST(FlagRulesTest, NoLegalBasisClearsWhenAReferenceIsAdded) {
  Duty duty = ExampleDuty("d");
  duty.legal_basis = "none found";
  EXPECT_TRUE(Has(EvaluateFlags(duty), kNoLegalBasis));
  duty.legal_basis = "none found; HSLF-FS 2016:40";
  EXPECT_FALSE(Has(EvaluateFlags(duty), kNoLegalBasis));
}

// --------------------------------------------------------- targeted grant

TEST(FlagRulesTest, TargetedGrantReportingFiresForAGrantAndClearsWithout) {
  Duty duty = ExampleDuty("d", "socialstyrelsen");
  duty.targeted_grant = "Äldreomsorgslyftet";
  std::vector<Flag> flags = EvaluateFlags(duty);
  EXPECT_THAT(Codes(flags), ElementsAre("TARGETED_GRANT_REPORTING"));
  const Flag& flag = Get(flags, kTargetedGrantReporting);
  EXPECT_THAT(flag.reason, HasSubstr("\"d\""));
  EXPECT_THAT(flag.reason, HasSubstr("Äldreomsorgslyftet"));
  EXPECT_EQ(Figure(flag, "targeted_grant"), "Äldreomsorgslyftet");

  duty.targeted_grant = " \xC2\xA0 ";  // blank is no grant
  EXPECT_THAT(Codes(EvaluateFlags(duty)), IsEmpty());
  duty.targeted_grant = "";
  EXPECT_THAT(Codes(EvaluateFlags(duty)), IsEmpty());
}

// ---------------------------------------------------------- duplicate data

TEST(FlagRulesTest, DuplicateDataFiresWithOtherDutiesItemsAndMinutes) {
  Duty ivo = ExampleDuty("ivo-d", "ivo");
  ivo.data_items = {"decision_date", "service_type", "reason_for_delay", "municipality"};
  Duty scb = ExampleDuty("scb-d", "scb");
  scb.data_items = {"Decision date", "service_type", "costs"};
  Duty sos = ExampleDuty("sos-d", "socialstyrelsen");
  sos.data_items = {"reason_for_delay", "decision_date"};
  const auto overlaps = FindOverlaps({&ivo, &scb, &sos});

  // 3 reports, 40 + 40 + 40 = 120 measured minutes.
  DutyStats stats;
  for (int i = 0; i < 3; ++i) stats.AddReport(Answered("2025Q1", 40));
  stats.AddUse(UseBefore(kToday));
  DutyEvidence evidence = stats.Evidence(ivo, kToday, FlagThresholds{});
  evidence.overlaps = overlaps.at("ivo-d");
  const std::vector<Flag> flags = EvaluateFlags(ivo, evidence, FlagThresholds{});
  EXPECT_THAT(Codes(flags), ElementsAre("DUPLICATE_DATA"));
  const Flag& flag = Get(flags, kDuplicateData);
  EXPECT_THAT(flag.reason, HasSubstr("\"ivo-d\""));
  EXPECT_THAT(flag.reason, HasSubstr("3 data item(s)"));
  EXPECT_EQ(Figure(flag, "other_duties"), "scb-d (scb), sos-d (socialstyrelsen)");
  // Three of the four items are asked for elsewhere: 75% of 120 minutes.
  EXPECT_EQ(Figure(flag, "shared_items"), "decision_date, reason_for_delay, service_type");
  EXPECT_EQ(Figure(flag, "shared_item_count"), "3");
  EXPECT_EQ(Figure(flag, "duty_item_count"), "4");
  EXPECT_EQ(Figure(flag, "shared_share_of_items"), "75.0%");
  EXPECT_EQ(Figure(flag, "measured_minutes"), "120");
  EXPECT_EQ(Figure(flag, "overlap_minutes"), "90");
}

TEST(FlagRulesTest, DuplicateDataMinutesAreWrittenOutInFull) {
  Duty duty = ExampleDuty("d", "ivo");
  duty.data_items = {"a", "b", "c", "A "};  // "A " is "a" again: three items
  DutyEvidence evidence;
  evidence.minutes = 290 * 60;  // one hour from each municipality
  evidence.overlaps = {DutyOverlap{"o", "scb", {"a"}}};
  const Flag flag = Get(EvaluateFlags(duty, evidence, FlagThresholds{}), kDuplicateData);
  EXPECT_EQ(Figure(flag, "duty_item_count"), "3");
  EXPECT_EQ(Figure(flag, "shared_share_of_items"), "33.3%");
  EXPECT_EQ(Figure(flag, "measured_minutes"), "17400");
  EXPECT_EQ(Figure(flag, "overlap_minutes"), "5800");  // 17400 × 1 / 3
}

TEST(FlagRulesTest, DuplicateDataDoesNotFireWithinOneAgencyAndClearsWhenItemsDiffer) {
  Duty a = ExampleDuty("a", "ivo");
  Duty b = ExampleDuty("b", "ivo");  // same items, same agency
  EXPECT_TRUE(FindOverlaps({&a, &b}).empty());

  Duty c = ExampleDuty("c", "scb");  // same items, another agency
  DutyEvidence evidence;
  evidence.overlaps = FindOverlaps({&a, &c})["a"];
  EXPECT_THAT(Codes(EvaluateFlags(a, evidence, FlagThresholds{})),
              ElementsAre("DUPLICATE_DATA"));
  c.data_items = {"costs"};
  evidence.overlaps = FindOverlaps({&a, &c})["a"];
  EXPECT_THAT(Codes(EvaluateFlags(a, evidence, FlagThresholds{})), IsEmpty());
}

// ------------------------------------------------------------- feedback

// The flags that need no reports still say what the duty's reports cost.
TEST_F(ReportDrivenFlagsTest, TargetedGrantEvidenceGivesTheMeasuredBurdenAndNationalHours) {
  duty_.targeted_grant = "Likvärdighetsbidraget";
  duty_.agency_id = "skolverket";
  Flag flag = Get(Flags(), kTargetedGrantReporting);
  // Before any report: nothing measured, no median, no national estimate.
  EXPECT_THAT(FigureNames(flag), ElementsAre("targeted_grant", "agency_id", "reports",
                                             "measured_minutes", "measured_hours"));
  EXPECT_EQ(Figure(flag, "agency_id"), "skolverket");
  EXPECT_EQ(Figure(flag, "reports"), "0");
  EXPECT_EQ(Figure(flag, "measured_minutes"), "0");
  EXPECT_EQ(Figure(flag, "measured_hours"), "0");

  // 20 + 30 + 70 = 120 minutes = 2 hours; median 30. The national estimate
  // is the duty account's, not the flag's.
  Add(1, 20);
  Add(1, 30);
  Add(1, 70);
  flag = Get(Flags(), kTargetedGrantReporting);
  EXPECT_THAT(FigureNames(flag),
              ElementsAre("targeted_grant", "agency_id", "reports", "measured_minutes",
                          "measured_hours", "median_minutes"));
  EXPECT_EQ(Figure(flag, "targeted_grant"), "Likvärdighetsbidraget");
  EXPECT_EQ(Figure(flag, "reports"), "3");
  EXPECT_EQ(Figure(flag, "measured_minutes"), "120");
  EXPECT_EQ(Figure(flag, "measured_hours"), "2");
  EXPECT_EQ(Figure(flag, "median_minutes"), "30");

  // One more report of 25: 145 minutes = 2.42 hours (2.4166...), median
  // (25 + 30) / 2 = 27.5.
  Add(1, 25);
  flag = Get(Flags(), kTargetedGrantReporting);
  EXPECT_EQ(Figure(flag, "reports"), "4");
  EXPECT_EQ(Figure(flag, "measured_minutes"), "145");
  EXPECT_EQ(Figure(flag, "measured_hours"), "2.42");
  EXPECT_EQ(Figure(flag, "median_minutes"), "27.5");

  // The figures do not keep the flag: without the grant it clears.
  duty_.targeted_grant = "";
  EXPECT_FALSE(Has(Flags(), kTargetedGrantReporting));
}

TEST_F(ReportDrivenFlagsTest, NoStatedPurposeEvidenceGivesTheTimeSpentWithoutAPurpose) {
  duty_.purpose = "";
  duty_.frequency = Frequency::kMonthly;
  Flag flag = Get(Flags(), kNoStatedPurpose);
  EXPECT_THAT(FigureNames(flag), ElementsAre("purpose_characters", "agency_id", "reports",
                                             "measured_minutes", "measured_hours"));
  EXPECT_EQ(Figure(flag, "reports"), "0");

  // Two reports of 45 minutes, for January and February: 90 minutes = 1.5
  // hours.
  Add(1, 45, 0, Answer::kUnknown, "2025-01");
  Add(1, 45, 0, Answer::kUnknown, "2025-02");
  flag = Get(Flags(), kNoStatedPurpose);
  EXPECT_EQ(Figure(flag, "purpose_characters"), "0");
  EXPECT_EQ(Figure(flag, "reports"), "2");
  EXPECT_EQ(Figure(flag, "measured_minutes"), "90");
  EXPECT_EQ(Figure(flag, "measured_hours"), "1.5");
  EXPECT_EQ(Figure(flag, "median_minutes"), "45");

  duty_.purpose = "IVO judges whether to seek a special fee.";
  EXPECT_FALSE(Has(Flags(), kNoStatedPurpose));
}

TEST_F(ReportDrivenFlagsTest, EvidenceHasNoNationalFigureWhateverTheFrequency) {
  // The national estimate needs the municipalities that reported and their
  // municipality groups: the duty account gives it, with its interval, or
  // says why there is none (docs/burden.md). A flag gives what was measured.
  duty_.purpose = "";
  for (Frequency frequency : {Frequency::kAdHoc, Frequency::kMonthly, Frequency::kAnnual}) {
    duty_.frequency = frequency;
    Add(1, 100, 0, Answer::kUnknown, frequency == Frequency::kAdHoc ? "2025-03-01"
                                     : frequency == Frequency::kMonthly ? "2025-03"
                                                                        : "2025");
    const Flag flag = Get(Flags(), kNoStatedPurpose);
    EXPECT_EQ(Figure(flag, "median_minutes"), "100") << FrequencyName(frequency);
    EXPECT_EQ(Figure(flag, "national_hours"), "(missing)") << FrequencyName(frequency);
  }
}

TEST_F(ReportDrivenFlagsTest, NoFeedbackFiresAtExactlyTheShare) {
  Add(5, 30, 0, Answer::kNo);
  Add(5, 30, 0, Answer::kYes);
  const std::vector<Flag> flags = Flags();
  EXPECT_THAT(Codes(flags), ElementsAre("NO_FEEDBACK"));
  const Flag& flag = Get(flags, kNoFeedback);
  EXPECT_EQ(flag.reason,
            "50.0% of the municipalities' answers for \"d\" say nothing came back from the "
            "data they reported.");
  EXPECT_THAT(FigureNames(flag), ElementsAre("answers", "feedback", "no_feedback", "share",
                                             "threshold", "min_answers"));
  EXPECT_EQ(Figure(flag, "answers"), "10");
  EXPECT_EQ(Figure(flag, "feedback"), "5");
  EXPECT_EQ(Figure(flag, "no_feedback"), "5");
  EXPECT_EQ(Figure(flag, "share"), "50.0%");
  EXPECT_EQ(Figure(flag, "threshold"), "50.0%");
  EXPECT_EQ(Figure(flag, "min_answers"), "10");
}

// The municipalities say they already report the same data elsewhere.
TEST_F(ReportDrivenFlagsTest, AlreadyReportedElsewhereFiresAtTheShareWithEnoughAnswers) {
  auto elsewhere = [&](int count, Answer answer) {
    for (int i = 0; i < count; ++i) {
      Report report = Answered("2025Q1", 30, 0, Answer::kUnknown);
      report.already_reported_elsewhere = answer;
      stats_.AddReport(report);
    }
  };
  elsewhere(9, Answer::kYes);
  elsewhere(5, Answer::kUnknown);  // not answered: counts neither way
  EXPECT_FALSE(Has(Flags(), kAlreadyReportedElsewhere)) << "9 answers, 10 needed";
  elsewhere(1, Answer::kNo);  // 9 of 10 = 90%
  Flag flag = Get(Flags(), kAlreadyReportedElsewhere);
  EXPECT_EQ(flag.reason,
            "90.0% of the municipalities' answers for \"d\" say they already report the same "
            "data elsewhere.");
  EXPECT_EQ(flag.reason_sv,
            "90.0% av kommunernas svar för \"d\" säger att samma uppgifter redan lämnas på "
            "annat sätt (9 av 10 svar).");
  EXPECT_THAT(FigureNames(flag), ElementsAre("answers", "already_reported_elsewhere",
                                             "not_elsewhere", "share", "threshold",
                                             "min_answers"));
  EXPECT_EQ(Figure(flag, "answers"), "10");
  EXPECT_EQ(Figure(flag, "already_reported_elsewhere"), "9");
  EXPECT_EQ(Figure(flag, "not_elsewhere"), "1");
  // 9 of 18 = 50% is exactly the share: still flagged; 9 of 19 is below.
  elsewhere(8, Answer::kNo);
  EXPECT_EQ(Figure(Get(Flags(), kAlreadyReportedElsewhere), "share"), "50.0%");
  elsewhere(1, Answer::kNo);
  EXPECT_FALSE(Has(Flags(), kAlreadyReportedElsewhere));
  // A lower threshold brings it back.
  thresholds_.already_reported_elsewhere_share = 0.4;
  EXPECT_TRUE(Has(Flags(), kAlreadyReportedElsewhere));
}

TEST_F(ReportDrivenFlagsTest, NoFeedbackDoesNotFireJustBelowTheShare) {
  Add(10, 30, 0, Answer::kNo);
  Add(11, 30, 0, Answer::kYes);  // 10 of 21 = 47.6%
  EXPECT_FALSE(Has(Flags(), kNoFeedback));
}

TEST_F(ReportDrivenFlagsTest, NoFeedbackNeedsTheMinimumNumberOfAnswers) {
  Add(9, 30, 0, Answer::kNo);  // one answer short, all "no"
  Add(20, 30, 0, Answer::kUnknown);  // reports that did not answer do not count
  EXPECT_FALSE(Has(Flags(), kNoFeedback));
  Add(1, 30, 0, Answer::kNo);
  EXPECT_EQ(Figure(Get(Flags(), kNoFeedback), "share"), "100.0%");
}

TEST_F(ReportDrivenFlagsTest, NoFeedbackClearsWhenMoreYesAnswersArrive) {
  Add(5, 30, 0, Answer::kNo);
  Add(5, 30, 0, Answer::kYes);
  EXPECT_TRUE(Has(Flags(), kNoFeedback));
  Add(1, 30, 0, Answer::kYes);  // 5 of 11 = 45.5%
  EXPECT_FALSE(Has(Flags(), kNoFeedback));
}

TEST_F(ReportDrivenFlagsTest, NoFeedbackFollowsConfiguredThresholds) {
  thresholds_.no_feedback_share = 0.3;
  thresholds_.no_feedback_min_answers = 3;
  Add(1, 30, 0, Answer::kNo);
  Add(2, 30, 0, Answer::kYes);  // 1 of 3 = 33.3%
  const Flag& flag = Get(Flags(), kNoFeedback);
  EXPECT_EQ(Figure(flag, "threshold"), "30.0%");
  EXPECT_EQ(Figure(flag, "min_answers"), "3");
  Add(1, 30, 0, Answer::kYes);  // 1 of 4 = 25%
  EXPECT_FALSE(Has(Flags(), kNoFeedback));
}

// ------------------------------------------------------------ usefulness

TEST_F(ReportDrivenFlagsTest, LowUsefulnessFiresWithTheMedianExactlyAtTheThreshold) {
  Add(5, 30, 1);
  Add(5, 30, 3);  // median (1 + 3) / 2 = 2
  const std::vector<Flag> flags = Flags();
  EXPECT_THAT(Codes(flags), ElementsAre("LOW_USEFULNESS"));
  const Flag& flag = Get(flags, kLowUsefulness);
  EXPECT_EQ(flag.reason,
            "Municipalities rate the usefulness of \"d\" low: median 2 on a scale of 1 to 5.");
  EXPECT_EQ(Figure(flag, "answers"), "10");
  EXPECT_EQ(Figure(flag, "median_usefulness"), "2");
  EXPECT_EQ(Figure(flag, "threshold"), "2");
  EXPECT_EQ(Figure(flag, "min_answers"), "10");
}

TEST_F(ReportDrivenFlagsTest, LowUsefulnessDoesNotFireJustAboveTheThreshold) {
  Add(5, 30, 2);
  Add(5, 30, 3);  // median 2.5
  EXPECT_FALSE(Has(Flags(), kLowUsefulness));
}

TEST_F(ReportDrivenFlagsTest, LowUsefulnessNeedsTheMinimumNumberOfAnswers) {
  Add(9, 30, 1);
  Add(10, 30, 0);  // not stated: not an answer
  EXPECT_FALSE(Has(Flags(), kLowUsefulness));
  Add(1, 30, 1);
  EXPECT_EQ(Figure(Get(Flags(), kLowUsefulness), "median_usefulness"), "1");
}

TEST_F(ReportDrivenFlagsTest, LowUsefulnessClearsWhenTheMedianRises) {
  Add(5, 30, 1);
  Add(5, 30, 3);
  EXPECT_TRUE(Has(Flags(), kLowUsefulness));
  Add(1, 30, 3);  // 11 answers: the 6th is a 3
  EXPECT_FALSE(Has(Flags(), kLowUsefulness));
}

TEST(FlagRulesTest, MedianUsefulnessOfCountsPerValue) {
  EXPECT_EQ(MedianUsefulness({0, 0, 0, 0, 0, 0}), std::nullopt);
  EXPECT_EQ(MedianUsefulness({7, 0, 0, 0, 0, 0}), std::nullopt);  // only "not stated"
  EXPECT_EQ(MedianUsefulness({0, 1, 0, 0, 0, 0}), 1.0);
  EXPECT_EQ(MedianUsefulness({0, 1, 1, 1, 0, 0}), 2.0);
  EXPECT_EQ(MedianUsefulness({0, 1, 0, 0, 0, 1}), 3.0);
  EXPECT_EQ(MedianUsefulness({0, 2, 0, 0, 1, 1}), 2.5);
  EXPECT_EQ(MedianUsefulness({0, 0, 0, 0, 0, 4}), 5.0);
}

// ------------------------------------------------------------ estimate gap

TEST_F(ReportDrivenFlagsTest, EstimateGapDoesNotFireAtExactlyTheFactor) {
  Add(5, 60);  // 60 / 30 = 2.0
  EXPECT_FALSE(Has(Flags(), kEstimateGap));
}

TEST_F(ReportDrivenFlagsTest, EstimateGapFiresAboveTheFactor) {
  Add(5, 61);  // 61 / 30 = 2.03
  const std::vector<Flag> flags = Flags();
  EXPECT_THAT(Codes(flags), ElementsAre("ESTIMATE_GAP"));
  const Flag& flag = Get(flags, kEstimateGap);
  EXPECT_EQ(flag.reason,
            "Reports of \"d\" take 2.03 times the agency's estimate: a median of 61 minutes "
            "against 30 estimated.");
  EXPECT_EQ(Figure(flag, "median_minutes"), "61");
  EXPECT_EQ(Figure(flag, "estimated_minutes"), "30");
  EXPECT_EQ(Figure(flag, "factor"), "2.03");
  EXPECT_EQ(Figure(flag, "reports"), "5");
  EXPECT_EQ(Figure(flag, "threshold_factor"), "2");
}

TEST_F(ReportDrivenFlagsTest, EstimateGapNeedsTheMinimumNumberOfReports) {
  Add(4, 500);
  EXPECT_FALSE(Has(Flags(), kEstimateGap));
  Add(1, 500);
  EXPECT_EQ(Figure(Get(Flags(), kEstimateGap), "factor"), "16.67");
}

TEST_F(ReportDrivenFlagsTest, EstimateGapFiguresAreWrittenOutInFull) {
  Add(5, 12345);  // never "1.234e+04"
  const Flag flag = Get(Flags(), kEstimateGap);
  EXPECT_EQ(Figure(flag, "median_minutes"), "12345");
  EXPECT_EQ(Figure(flag, "factor"), "411.5");
}

TEST_F(ReportDrivenFlagsTest, EstimateGapFactorShowsThatItIsAboveTheThreshold) {
  duty_.estimated_minutes_per_report = 300;
  Add(3, 600);
  Add(3, 601);  // median 600.5: 2.00167 times, not "2"
  const Flag flag = Get(Flags(), kEstimateGap);
  EXPECT_EQ(Figure(flag, "factor"), "2.002");
  EXPECT_EQ(Figure(flag, "median_minutes"), "600.5");
}

TEST_F(ReportDrivenFlagsTest, EstimateGapUsesTheMedianOfAnEvenCount) {
  Add(3, 60);
  Add(3, 62);  // median 61
  EXPECT_EQ(Figure(Get(Flags(), kEstimateGap), "median_minutes"), "61");
}

TEST_F(ReportDrivenFlagsTest, EstimateGapClearsWhenTheMedianFalls) {
  Add(5, 61);
  EXPECT_TRUE(Has(Flags(), kEstimateGap));
  Add(5, 30);  // median (30 + 61) / 2 = 45.5: 1.52 times
  EXPECT_FALSE(Has(Flags(), kEstimateGap));
}

TEST_F(ReportDrivenFlagsTest, EstimateGapNeedsAnEstimate) {
  duty_.estimated_minutes_per_report = 0;
  Add(10, 1000);
  EXPECT_FALSE(Has(Flags(), kEstimateGap));
}

// ----------------------------------------------------------------- expired

TEST_F(ReportDrivenFlagsTest, ExpiredDoesNotFireForAPeriodEndingOnValidUntil) {
  duty_.valid_until = "2025-03-31";
  Add(3, 30, 0, Answer::kUnknown, "2025Q1");
  EXPECT_FALSE(Has(Flags(), kExpired));
}

TEST_F(ReportDrivenFlagsTest, ExpiredDoesNotFireForAPeriodStartingOnValidUntil) {
  duty_.valid_until = "2025-04-01";  // the duty still held on the period's first day
  Add(1, 30, 0, Answer::kUnknown, "2025Q2");
  EXPECT_FALSE(Has(Flags(), kExpired));
}

TEST_F(ReportDrivenFlagsTest, ExpiredFiresForAPeriodStartingAfterValidUntil) {
  duty_.valid_until = "2025-03-31";
  Add(3, 30, 0, Answer::kUnknown, "2025Q1");
  Add(2, 30, 0, Answer::kUnknown, "2025Q2");
  Add(1, 30, 0, Answer::kUnknown, "2025Q3");
  const std::vector<Flag> flags = Flags();
  EXPECT_THAT(Codes(flags), ElementsAre("EXPIRED"));
  const Flag& flag = Get(flags, kExpired);
  EXPECT_EQ(flag.reason,
            "Reports of \"d\" keep arriving for periods after the duty ended on 2025-03-31.");
  EXPECT_EQ(Figure(flag, "valid_until"), "2025-03-31");
  EXPECT_EQ(Figure(flag, "reports_after"), "3");
  EXPECT_EQ(Figure(flag, "latest_period"), "2025Q3");
}

TEST_F(ReportDrivenFlagsTest, ExpiredClearsWhenTheDutyIsExtended) {
  duty_.valid_until = "2025-03-31";
  Add(1, 30, 0, Answer::kUnknown, "2025Q2");
  EXPECT_TRUE(Has(Flags(), kExpired));
  duty_.valid_until = "2025-06-30";
  EXPECT_FALSE(Has(Flags(), kExpired));
  duty_.valid_until = "";  // open-ended
  EXPECT_FALSE(Has(Flags(), kExpired));
}

// --------------------------------------------------------- recorded use

class NoRecordedUseTest : public ReportDrivenFlagsTest {
 protected:
  void SetUp() override {}  // no use recorded
};

// Quarterly, 4 periods, grace 365 days, today 2025-05-15: the grace time
// has passed for periods that ended before 2024-05-15, and the flag as of
// now looks at the latest four of them, from 2023-04-01: 2023Q2 to 2024Q1
// (2024Q2 is still in its grace).
TEST_F(NoRecordedUseTest, FiresForAPeriodPastItsGraceWithoutAUseOfItsData) {
  Add(2, 30, 0, Answer::kUnknown, "2024Q1");
  const std::vector<Flag> flags = Flags();
  EXPECT_THAT(Codes(flags), ElementsAre("NO_RECORDED_USE"));
  const Flag& flag = Get(flags, kNoRecordedUse);
  EXPECT_EQ(flag.reason,
            "Municipalities reported \"d\" for 2024Q1, which ended more than 365 days ago, "
            "but ivo has recorded no use of that data.");
  EXPECT_EQ(flag.reason_sv,
            "Kommunerna lämnade \"d\" för 2024Q1, som tog slut för mer än 365 dagar sedan, "
            "men ivo har inte registrerat någon användning av de uppgifterna.");
  EXPECT_EQ(Figure(flag, "periods_without_use"), "2024Q1");
  EXPECT_EQ(Figure(flag, "reports_in_those_periods"), "2");
  EXPECT_EQ(Figure(flag, "grace_days"), "365");
  EXPECT_EQ(Figure(flag, "window_start"), "2023-04-01");
  EXPECT_EQ(Figure(flag, "uses_ever"), "0");
}

// Data cannot be used before it exists: 2024Q2 ends 2024-06-30, and is
// asked for a use from 2025-07-01 on, 365 days later.
TEST_F(NoRecordedUseTest, WaitsForTheGraceTimeAfterThePeriodEnds) {
  Add(1, 30, 0, Answer::kUnknown, "2024Q2");
  Add(1, 30, 0, Answer::kUnknown, "2025Q1");
  EXPECT_FALSE(Has(Flags(), kNoRecordedUse));
  today_ = absl::CivilDay(2025, 6, 30);  // 365 days after the end: not yet more
  EXPECT_FALSE(Has(Flags(), kNoRecordedUse));
  today_ = absl::CivilDay(2025, 7, 1);
  EXPECT_EQ(Figure(Get(Flags(), kNoRecordedUse), "periods_without_use"), "2024Q2");
  thresholds_.no_recorded_use_grace_days = 0;  // the day after the end
  thresholds_.no_recorded_use_periods = 8;      // 2024Q2 stays in the window
  today_ = absl::CivilDay(2025, 3, 31);
  EXPECT_EQ(Figure(Get(Flags(), kNoRecordedUse), "periods_without_use"), "2024Q2");
  today_ = absl::CivilDay(2025, 4, 1);
  EXPECT_EQ(Figure(Get(Flags(), kNoRecordedUse), "periods_without_use"), "2024Q2, 2025Q1");
}

// Only a use of a period's data clears the period: a use of other data, or
// of no stated data after the period's data existed, does not.
TEST_F(NoRecordedUseTest, ClearsOnlyByAUseOfThatPeriodsData) {
  Add(1, 30, 0, Answer::kUnknown, "2023Q4");
  Add(3, 30, 0, Answer::kUnknown, "2024Q1");
  EXPECT_EQ(Figure(Get(Flags(), kNoRecordedUse), "periods_without_use"), "2023Q4, 2024Q1");
  stats_.AddUse(UseOf("2022", "2022", kToday));  // other data, recorded today
  EXPECT_EQ(Figure(Get(Flags(), kNoRecordedUse), "periods_without_use"), "2023Q4, 2024Q1");
  stats_.AddUse(UseOf("2024Q1", "2024Q1", absl::CivilDay(2024, 9, 1)));
  const Flag& flag = Get(Flags(), kNoRecordedUse);
  EXPECT_EQ(Figure(flag, "periods_without_use"), "2023Q4");
  EXPECT_EQ(Figure(flag, "reports_in_those_periods"), "1");
  EXPECT_EQ(Figure(flag, "uses_ever"), "2");
  // A yearly range covers its quarters.
  stats_.AddUse(UseOf("2023", "2023", absl::CivilDay(2024, 3, 1)));
  EXPECT_FALSE(Has(Flags(), kNoRecordedUse));
}

// A use recorded before uses named their data counts for the periods that
// had ended by its date.
TEST_F(NoRecordedUseTest, AnEarlierUseCountsForThePeriodsEndedByItsDate) {
  Add(1, 30, 0, Answer::kUnknown, "2024Q1");  // ends 2024-03-31
  stats_.AddUse(UseBefore(absl::CivilDay(2024, 3, 30)));
  EXPECT_TRUE(Has(Flags(), kNoRecordedUse));
  stats_.AddUse(UseBefore(absl::CivilDay(2024, 3, 31)));
  EXPECT_FALSE(Has(Flags(), kNoRecordedUse));
}

TEST_F(NoRecordedUseTest, FlagOfNowFollowsTheConfiguredNumberOfPeriods) {
  thresholds_.no_recorded_use_periods = 1;  // 2024Q1, the latest past its grace
  Add(1, 30, 0, Answer::kUnknown, "2023Q4");
  EXPECT_FALSE(Has(Flags(), kNoRecordedUse));
  // The period keeps its own flag, however far back.
  const auto states = stats_.PeriodStates(duty_, today_, thresholds_);
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].period, "2023Q4");
  EXPECT_TRUE(states[0].without_use);
  Add(1, 30, 0, Answer::kUnknown, "2024Q1");
  EXPECT_EQ(Figure(Get(Flags(), kNoRecordedUse), "periods_without_use"), "2024Q1");
}

TEST_F(NoRecordedUseTest, AdHocDutiesLookBack365DaysOfPeriodsPastTheirGrace) {
  duty_.frequency = Frequency::kAdHoc;
  Add(1, 30, 0, Answer::kUnknown, "2024-01-20");
  // The window is the 365 days up to 2024-05-15, that day included.
  Add(1, 30, 0, Answer::kUnknown, "2023-05-17");
  Add(1, 30, 0, Answer::kUnknown, "2023-05-16");  // outside the window
  const Flag& flag = Get(Flags(), kNoRecordedUse);
  EXPECT_EQ(Figure(flag, "window_start"), "2023-05-17");
  EXPECT_EQ(Figure(flag, "periods_without_use"), "2023-05-17, 2024-01-20");
  stats_.AddUse(UseOf("2023-05-15", "2024-01-20", absl::CivilDay(2025, 1, 10)));
  EXPECT_FALSE(Has(Flags(), kNoRecordedUse));
}

// Each period keeps the verdict of its own data: a use of 2024Q1 does not
// clear 2023Q3, and EXPIRED marks only the periods after valid_until.
TEST_F(NoRecordedUseTest, PeriodStatesJudgeEachPeriodByItsOwnData) {
  duty_.valid_until = "2023-12-31";
  Add(2, 30, 0, Answer::kUnknown, "2019Q1");
  Add(1, 30, 0, Answer::kUnknown, "2023Q3");
  Add(1, 30, 0, Answer::kUnknown, "2024Q1");
  Add(1, 30, 0, Answer::kUnknown, "2025Q1");
  stats_.AddUse(UseOf("2024Q1", "", absl::CivilDay(2024, 6, 1)));
  const auto states = stats_.PeriodStates(duty_, today_, thresholds_);
  ASSERT_EQ(states.size(), 4u);
  EXPECT_EQ(states[0].period, "2019Q1");
  EXPECT_EQ(states[0].reports, 2);
  EXPECT_TRUE(states[0].without_use);
  EXPECT_FALSE(states[0].after_valid_until);
  EXPECT_EQ(states[1].period, "2023Q3");
  EXPECT_TRUE(states[1].without_use);
  EXPECT_EQ(states[2].period, "2024Q1");
  EXPECT_FALSE(states[2].without_use);
  EXPECT_TRUE(states[2].after_valid_until);
  EXPECT_EQ(states[3].period, "2025Q1");
  EXPECT_FALSE(states[3].without_use);  // in its grace time
  EXPECT_TRUE(states[3].after_valid_until);
}

// ------------------------------------------------------------------ all

TEST(FlagRulesTest, AllFlagCodesListsEveryCodeOnceInOrder) {
  const auto& codes = AllFlagCodes();
  EXPECT_EQ(codes.size(), 11u);
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
  EXPECT_TRUE(std::adjacent_find(codes.begin(), codes.end()) == codes.end());
  EXPECT_NE(std::find(codes.begin(), codes.end(), "NO_STATED_PURPOSE"), codes.end());
}

// Every rule at once (a purpose is either missing or boilerplate, so two
// duties): sorted by code, each reason naming the duty, each figure named.
TEST(FlagRulesTest, EveryFlagAtOnceIsSortedAndNamesTheDuty) {
  Duty duty = ExampleDuty("every", "ivo", "Statistik.");
  duty.legal_basis = "none";
  duty.targeted_grant = "Ett riktat statsbidrag";
  duty.valid_until = "2023-12-31";
  Duty other = ExampleDuty("other", "scb");
  DutyStats stats;
  for (int i = 0; i < 10; ++i) {
    stats.AddReport(Answered("2024Q1", 100, 1, Answer::kNo));
  }
  DutyEvidence evidence = stats.Evidence(duty, kToday, FlagThresholds{});
  evidence.overlaps = FindOverlaps({&duty, &other})["every"];
  const std::vector<Flag> flags = EvaluateFlags(duty, evidence, FlagThresholds{});
  EXPECT_THAT(Codes(flags),
              ElementsAre("BOILERPLATE_PURPOSE", "DUPLICATE_DATA", "ESTIMATE_GAP", "EXPIRED",
                          "LOW_USEFULNESS", "NO_FEEDBACK", "NO_LEGAL_BASIS", "NO_RECORDED_USE",
                          "TARGETED_GRANT_REPORTING"));
  for (const Flag& flag : flags) {
    EXPECT_THAT(flag.reason, HasSubstr("\"every\"")) << flag.code;
    // Every reason also in Swedish, naming the duty the same way.
    EXPECT_THAT(flag.reason_sv, HasSubstr("\"every\"")) << flag.code;
    EXPECT_NE(flag.reason_sv, flag.reason) << flag.code;
    EXPECT_FALSE(flag.evidence.empty()) << flag.code;
    for (const auto& [name, value] : flag.evidence) {
      EXPECT_FALSE(name.empty()) << flag.code;
    }
  }
  // The same inputs give the same flags.
  EXPECT_EQ(flags, EvaluateFlags(duty, evidence, FlagThresholds{}));

  duty.purpose = "";
  EXPECT_EQ(Codes(EvaluateFlags(duty, evidence, FlagThresholds{}))[0], "DUPLICATE_DATA");
  EXPECT_TRUE(Has(EvaluateFlags(duty, evidence, FlagThresholds{}), kNoStatedPurpose));
}

}  // namespace
}  // namespace inrapport

namespace inrapport {
namespace {

// A period's flags take the text flags from the version in force then and
// only the report-driven ones from its own evidence: EvaluateReportFlags
// must give exactly EvaluateFlags' flags of those bases, whatever fires.
TEST(FlagRulesTest, TheReportFlagsAreTheFlagsOfTheReportAndPeriodBases) {
  Duty bare = testing::ExampleDuty("bare");
  bare.purpose = "";
  bare.legal_basis = "";
  bare.targeted_grant = true;
  bare.estimated_minutes_per_report = 10;
  bare.valid_until = "2024-12-31";
  DutyEvidence quiet;
  DutyEvidence loud;
  loud.reports = 40;
  loud.minutes = 40 * 200;
  loud.median_minutes = 200;
  loud.feedback_no = 40;
  loud.elsewhere_yes = 40;
  loud.usefulness[1] = 40;
  loud.reports_after_valid_until = 3;
  loud.latest_period_after_valid_until = "2025Q1";
  loud.use_window_start = "2023-01-01";
  loud.use_grace_end = "2025-06-01";
  loud.periods_without_use = {"2024Q1"};
  loud.reports_without_use = 10;
  loud.overlaps = {DutyOverlap{"other", "scb", {"a"}}};
  int report_flags_seen = 0;
  for (const Duty& duty : {testing::ExampleDuty("plain"), bare}) {
    for (const DutyEvidence& evidence : {quiet, loud}) {
      std::vector<std::string> expected;
      for (const Flag& flag : EvaluateFlags(duty, evidence, FlagThresholds{})) {
        if (BasisOf(flag.code) != FlagBasis::kCatalogue) expected.push_back(flag.code);
      }
      std::vector<std::string> got;
      for (const Flag& flag : EvaluateReportFlags(duty, evidence, FlagThresholds{})) {
        got.push_back(flag.code);
      }
      EXPECT_EQ(got, expected) << duty.id;
      report_flags_seen += static_cast<int>(got.size());
    }
  }
  EXPECT_GE(report_flags_seen, 5);  // the loud evidence fires most of them
}

}  // namespace
}  // namespace inrapport
