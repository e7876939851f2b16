// The open register's core on hand-made catalogue and burden data: which
// duties are listed, the suppression of cells and flag reasons below three
// municipalities (2 against 3), municipalities counted once per cell, and
// the CSV and JSON renderings with their data dictionary.
#include "common/openreg/open_register.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/csv/csv.h"
#include "common/domain/types.h"
#include "common/flags/flag_rules.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const absl::CivilDay kToday(2026, 6, 1);

std::shared_ptr<const Duty> MakeDuty(const std::string& id, const std::string& agency,
                                     DutyState state, Sector sector = Sector::kSchool,
                                     std::vector<Flag> flags = {}) {
  Duty duty;
  duty.id = id;
  duty.agency_id = agency;
  duty.title = "Title of " + id;
  duty.legal_basis = "Skollagen 26 kap. 25 §";
  duty.legal_references.push_back(LegalReference{LegalReference::Kind::kSection, "Skollagen",
                                                 "", "26", "25", ""});
  duty.purpose = "Official statistics.";
  duty.sector = sector;
  duty.frequency = Frequency::kQuarterly;
  duty.data_items = {"elever", "lärare"};
  duty.state = state;
  duty.flags = std::move(flags);
  return std::make_shared<const Duty>(std::move(duty));
}

Flag MakeFlag(absl::string_view code, const std::string& reason) {
  Flag flag;
  flag.code = std::string(code);
  flag.reason = reason;
  flag.reason_sv = reason + " (sv)";
  flag.evidence = {{"median_minutes", "417"}, {"municipality", "0180"}};
  return flag;
}

Report MakeReport(const std::string& municipality, const std::string& duty,
                  const std::string& period, int64_t minutes) {
  Report report;
  report.submission_id = municipality + "-" + duty + "-" + period;
  report.municipality_code = municipality;
  report.duty_id = duty;
  report.period = period;
  report.minutes_spent = minutes;
  report.comment = "hemlig kommentar 4711";
  return report;
}

class OpenRegisterTest : public ::testing::Test {
 protected:
  void Add(const std::vector<Report>& reports) {
    std::vector<const Report*> pointers;
    for (const Report& r : reports) pointers.push_back(&r);
    index_.AddReports(pointers);
  }
  OpenRegisterSource Source() {
    OpenRegisterSource source;
    source.duties = duties_;
    source.agency_name = [](absl::string_view id) {
      return id == "skolverket" ? std::string("Statens skolverk") : std::string(id);
    };
    source.index = &index_;
    source.tariff_sek_per_hour = 400;
    source.today = kToday;
    return source;
  }

  std::vector<std::shared_ptr<const Duty>> duties_;
  BurdenIndex index_;
};

TEST_F(OpenRegisterTest, ListsOnlyTheDutiesInForceToday) {
  Duty expiring = *MakeDuty("in-force-until-2027", "skolverket", DutyState::kInForce);
  expiring.expires_on = "2027-12-31";
  Duty expired = *MakeDuty("expired", "skolverket", DutyState::kInForce);
  expired.expires_on = "2026-05-31";  // the day before today
  duties_ = {MakeDuty("withdrawn", "skolverket", DutyState::kWithdrawn),
             MakeDuty("proposed", "skolverket", DutyState::kProposed),
             MakeDuty("in-consultation", "skolverket", DutyState::kInConsultation),
             MakeDuty("rejected", "skolverket", DutyState::kRejected),
             std::make_shared<const Duty>(expired),
             std::make_shared<const Duty>(expiring),
             MakeDuty("a-in-force", "scb", DutyState::kInForce, Sector::kFinance)};
  std::vector<OpenDuty> duties = BuildOpenDuties(Source());
  ASSERT_EQ(duties.size(), 2u);
  EXPECT_EQ(duties[0].id, "a-in-force");
  EXPECT_EQ(duties[0].agency_name, "scb");
  const OpenDuty& duty = duties[1];
  EXPECT_EQ(duty.id, "in-force-until-2027");
  EXPECT_EQ(duty.agency_name, "Statens skolverk");
  EXPECT_EQ(duty.expires_on, "2027-12-31");
  EXPECT_EQ(duty.legal_basis, "Skollagen 26 kap. 25 §");
  EXPECT_THAT(duty.legal_references, ElementsAre("Skollagen 26 kap. 25 §"));
  EXPECT_EQ(duty.respondents, 0);
  EXPECT_THAT(duty.data_items, ElementsAre("elever", "lärare"));

  // The filters.
  OpenDutyFilter by_agency;
  by_agency.agency_id = "scb";
  EXPECT_EQ(BuildOpenDuties(Source(), by_agency).size(), 1u);
  OpenDutyFilter by_sector;
  by_sector.sector = Sector::kSchool;
  ASSERT_EQ(BuildOpenDuties(Source(), by_sector).size(), 1u);
  EXPECT_EQ(BuildOpenDuties(Source(), by_sector)[0].id, "in-force-until-2027");

  // Neither the proposed nor the withdrawn duty is in any rendering.
  for (const std::string& text :
       {RenderDutiesCsv(duties), RenderDutiesJson(duties, kToday),
        ExportOpenData(Source(), OpenDataset::kDuties, OpenFormat::kCsv).content}) {
    EXPECT_THAT(text, Not(HasSubstr("proposed")));
    EXPECT_THAT(text, Not(HasSubstr("withdrawn")));
    EXPECT_THAT(text, Not(HasSubstr("Title of expired")));
  }
}

TEST_F(OpenRegisterTest, ACellOfTwoMunicipalitiesIsSuppressedAndOfThreeIsPublished) {
  duties_ = {MakeDuty("sk-q", "skolverket", DutyState::kInForce)};
  Add({// 2024: three municipalities.
       MakeReport("0180", "sk-q", "2024Q1", 60), MakeReport("1283", "sk-q", "2024Q1", 30),
       MakeReport("1280", "sk-q", "2024Q2", 90), MakeReport("0180", "sk-q", "2024Q2", 20),
       // 2025: two municipalities, four reports.
       MakeReport("0180", "sk-q", "2025Q1", 45), MakeReport("1283", "sk-q", "2025Q1", 15),
       MakeReport("0180", "sk-q", "2025Q2", 45), MakeReport("1283", "sk-q", "2025Q2", 15)});
  std::vector<OpenBurdenCell> cells = BuildOpenBurden(Source());
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].year, 2024);
  EXPECT_EQ(cells[0].agency_name, "Statens skolverk");
  EXPECT_EQ(cells[0].sector, Sector::kSchool);
  ASSERT_FALSE(cells[0].suppressed());
  EXPECT_EQ(cells[0].figures->municipalities, 3);
  EXPECT_EQ(cells[0].figures->reports, 4);
  EXPECT_EQ(cells[0].figures->duties_with_reports, 1);
  EXPECT_EQ(cells[0].figures->minutes, 200);
  EXPECT_EQ(CostSek(*cells[0].figures, 400), 1333);  // 200/60 h × 400 SEK
  EXPECT_EQ(cells[1].year, 2025);
  EXPECT_TRUE(cells[1].suppressed());

  // Rendered: the suppressed cell has no figure, and says why.
  const std::string csv = RenderBurdenCsv(cells, 400);
  const std::vector<std::string> lines = absl::StrSplit(csv, "\r\n");
  ASSERT_EQ(lines.size(), 4u);  // header, two cells, and the empty end
  EXPECT_EQ(lines[0],
            "agency_id,agency_name,sector,year,suppressed,suppression_reason,"
            "suppression_reason_sv,duties_with_reports,reports,municipalities,hours,cost_sek,"
            "tariff_sek_per_hour");
  EXPECT_EQ(lines[1], "skolverket,Statens skolverk,school,2024,false,,,1,4,3,3.33,1333,400.00");
  EXPECT_EQ(lines[2], absl::StrCat("skolverket,Statens skolverk,school,2025,true,",
                                   CsvField(kSuppressedReason), ",",
                                   CsvField(kSuppressedReasonSv), ",,,,,,400.00"));
  EXPECT_EQ(lines[3], "");
  const std::string json = RenderBurdenJson(cells, 400, kToday);
  EXPECT_THAT(json, HasSubstr(R"("year": 2025, "suppressed": true)"));
  EXPECT_THAT(json, HasSubstr(R"("duties_with_reports": null, "reports": null, )"
                              R"("municipalities": null, "hours": null, "cost_sek": null)"));
  // The figures of 2025 (60 minutes, 4 reports) appear nowhere.
  EXPECT_THAT(csv, Not(HasSubstr(",120,")));
  EXPECT_THAT(json, Not(HasSubstr(R"("reports": 4, "municipalities": 2)")));

  // A third municipality in 2025 publishes the cell.
  Add({MakeReport("1280", "sk-q", "2025Q2", 30)});
  cells = BuildOpenBurden(Source());
  ASSERT_EQ(cells.size(), 2u);
  ASSERT_FALSE(cells[1].suppressed());
  EXPECT_EQ(cells[1].figures->municipalities, 3);
  EXPECT_EQ(cells[1].figures->reports, 5);
  EXPECT_EQ(cells[1].figures->minutes, 150);
}

TEST_F(OpenRegisterTest, AMunicipalityCountsOncePerCellAcrossDutiesAndPeriods) {
  // Two duties of one agency and sector; two municipalities report both,
  // in several periods: two municipalities, not four, so suppressed.
  duties_ = {MakeDuty("sk-a", "skolverket", DutyState::kInForce),
             MakeDuty("sk-b", "skolverket", DutyState::kWithdrawn),
             MakeDuty("scb-a", "scb", DutyState::kInForce)};
  Add({MakeReport("0180", "sk-a", "2025Q1", 10), MakeReport("1283", "sk-a", "2025Q2", 10),
       MakeReport("0180", "sk-b", "2025Q3", 10), MakeReport("1283", "sk-b", "2025Q4", 10),
       // Another agency's reports do not help skolverket's cell.
       MakeReport("1280", "scb-a", "2025Q1", 10), MakeReport("0114", "scb-a", "2025Q1", 10),
       MakeReport("0115", "scb-a", "2025Q1", 10)});
  std::vector<OpenBurdenCell> cells = BuildOpenBurden(Source());
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].agency_id, "scb");
  ASSERT_FALSE(cells[0].suppressed());
  EXPECT_EQ(cells[0].figures->municipalities, 3);
  EXPECT_EQ(cells[1].agency_id, "skolverket");
  EXPECT_TRUE(cells[1].suppressed());

  // A third municipality on one duty publishes the cell: both duties (the
  // withdrawn one's reports were a burden too), three municipalities.
  Add({MakeReport("0114", "sk-a", "2025Q4", 10)});
  cells = BuildOpenBurden(Source());
  ASSERT_FALSE(cells[1].suppressed());
  EXPECT_EQ(cells[1].figures->duties_with_reports, 2);
  EXPECT_EQ(cells[1].figures->municipalities, 3);
  EXPECT_EQ(cells[1].figures->reports, 5);
}

TEST_F(OpenRegisterTest, TheYearIsThatOfThePeriodsEndAndTheRangeFiltersIt) {
  Duty weekly = *MakeDuty("sk-w", "skolverket", DutyState::kInForce);
  weekly.frequency = Frequency::kWeekly;
  duties_ = {std::make_shared<const Duty>(weekly)};
  // 2025W01 runs from 2024-12-30 to 2025-01-05: a period of 2025.
  Add({MakeReport("0180", "sk-w", "2025W01", 10), MakeReport("1283", "sk-w", "2025W01", 10),
       MakeReport("1280", "sk-w", "2025W01", 10), MakeReport("0180", "sk-w", "2024W10", 10)});
  std::vector<OpenBurdenCell> cells = BuildOpenBurden(Source());
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].year, 2024);
  EXPECT_TRUE(cells[0].suppressed());
  EXPECT_EQ(cells[1].year, 2025);
  EXPECT_EQ(cells[1].figures->reports, 3);
  ASSERT_EQ(BuildOpenBurden(Source(), {2025, 2025}).size(), 1u);
  EXPECT_EQ(BuildOpenBurden(Source(), {2025, 0})[0].year, 2025);
  EXPECT_EQ(BuildOpenBurden(Source(), {0, 2024})[0].year, 2024);
  EXPECT_THAT(BuildOpenBurden(Source(), {2026, 0}), IsEmpty());
}

TEST_F(OpenRegisterTest, AReportDrivenFlagsReasonIsWithheldBelowThreeMunicipalities) {
  const std::string gap = "Reports of \"sk-q\" take 8.3 times the agency's estimate: a median "
                          "of 417 minutes against 50 estimated.";
  duties_ = {MakeDuty("sk-q", "skolverket", DutyState::kInForce, Sector::kSchool,
                      {MakeFlag(kNoStatedPurpose, "The duty \"sk-q\" states no purpose."),
                       MakeFlag(kEstimateGap, gap)})};
  Add({MakeReport("0180", "sk-q", "2025Q1", 417), MakeReport("1283", "sk-q", "2025Q1", 417)});
  std::vector<OpenDuty> duties = BuildOpenDuties(Source());
  ASSERT_EQ(duties.size(), 1u);
  ASSERT_EQ(duties[0].flags.size(), 2u);
  EXPECT_EQ(duties[0].flags[0].code, "ESTIMATE_GAP");
  EXPECT_TRUE(duties[0].flags[0].reason_withheld);
  EXPECT_EQ(duties[0].flags[0].reason, kWithheldFlagReason);
  EXPECT_EQ(duties[0].flags[0].reason_sv, kWithheldFlagReasonSv);
  // A flag from the duty's text alone keeps its reason.
  EXPECT_EQ(duties[0].flags[1].code, "NO_STATED_PURPOSE");
  EXPECT_FALSE(duties[0].flags[1].reason_withheld);
  EXPECT_EQ(duties[0].flags[1].reason, "The duty \"sk-q\" states no purpose.");
  EXPECT_EQ(duties[0].flags[1].reason_sv, "The duty \"sk-q\" states no purpose. (sv)");
  for (const std::string& text : {RenderDutiesCsv(duties), RenderDutiesJson(duties, kToday)}) {
    EXPECT_THAT(text, Not(HasSubstr("417")));
    EXPECT_THAT(text, Not(HasSubstr("median_minutes")));  // never an evidence map
    EXPECT_THAT(text, Not(HasSubstr("0180")));
  }

  Add({MakeReport("1280", "sk-q", "2025Q1", 417)});
  duties = BuildOpenDuties(Source());
  EXPECT_FALSE(duties[0].flags[0].reason_withheld);
  EXPECT_EQ(duties[0].flags[0].reason, gap);
  EXPECT_THAT(RenderDutiesJson(duties, kToday), Not(HasSubstr("median_minutes")));
}

TEST_F(OpenRegisterTest, CsvQuotesWhatNeedsQuotingAndReadsBackAsWritten) {
  Duty duty = *MakeDuty("sk-csv", "skolverket", DutyState::kInForce);
  duty.title = "Elever, lärare och \"behöriga\"";
  duty.purpose = "Rad ett\nrad två";
  duty.targeted_grant = "=HYPERLINK(\"http://example.com\")";
  duty.respondents = {"0180", "1283"};
  duty.flags = {MakeFlag(kNoStatedPurpose, "No purpose."),
                MakeFlag(kBoilerplatePurpose, "Only boilerplate.")};
  duties_ = {std::make_shared<const Duty>(duty)};
  const std::string csv = RenderDutiesCsv(BuildOpenDuties(Source()));
  EXPECT_THAT(csv, HasSubstr(R"(,"Elever, lärare och ""behöriga""",)"));
  EXPECT_THAT(csv, HasSubstr("\"Rad ett\nrad två\""));
  // A field a spreadsheet would take for a formula starts with a quote.
  EXPECT_THAT(csv, HasSubstr(R"x(,"'=HYPERLINK(""http://example.com"")",)x"));
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");

  absl::StatusOr<CsvTable> table = CsvTable::Parse(csv, {"id", "title", "flag_codes"});
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->rows().size(), 1u);
  const CsvRow& row = table->rows()[0];
  EXPECT_EQ(table->Get(row, "title"), duty.title);
  EXPECT_EQ(table->Get(row, "purpose"), duty.purpose);
  EXPECT_EQ(table->Get(row, "targeted_grant"), "'" + duty.targeted_grant);
  EXPECT_EQ(table->Get(row, "respondents"), "2");
  EXPECT_EQ(table->Get(row, "sector"), "school");
  EXPECT_EQ(table->Get(row, "frequency"), "quarterly");
  EXPECT_EQ(table->Get(row, "data_items"), "elever\nlärare");
  EXPECT_EQ(table->Get(row, "flag_codes"), "BOILERPLATE_PURPOSE\nNO_STATED_PURPOSE");
  EXPECT_EQ(table->Get(row, "flag_reasons"), "Only boilerplate.\nNo purpose.");
  // The respondents are counted, never named.
  EXPECT_THAT(csv, Not(HasSubstr("0180")));
}

// True if `text` is JSON (parsed into a google.protobuf.Struct).
bool IsJsonObject(const std::string& text) {
  google::protobuf::Struct parsed;
  return google::protobuf::util::JsonStringToMessage(text, &parsed).ok();
}

TEST_F(OpenRegisterTest, JsonIsValidAndHasTheCsvColumnsAsKeys) {
  Duty duty = *MakeDuty("sk-json", "skolverket", DutyState::kInForce);
  duty.title = "Citat \" och \\ och \x1b[31m";
  duties_ = {std::make_shared<const Duty>(duty)};
  Add({MakeReport("0180", "sk-json", "2025Q1", 10)});
  const std::string duties = RenderDutiesJson(BuildOpenDuties(Source()), kToday);
  EXPECT_TRUE(IsJsonObject(duties)) << duties;
  EXPECT_THAT(duties, HasSubstr(R"("dataset": "duties")"));
  EXPECT_THAT(duties, HasSubstr(R"("as_of": "2026-06-01")"));
  EXPECT_THAT(duties, HasSubstr(R"("title": "Citat \" och \\ och \u001b[31m")"));
  EXPECT_THAT(duties, HasSubstr(R"("data_items": ["elever", "lärare"])"));
  EXPECT_THAT(duties, HasSubstr(R"("respondents": 0)"));
  const std::string burden = RenderBurdenJson(BuildOpenBurden(Source()), 400, kToday);
  EXPECT_TRUE(IsJsonObject(burden)) << burden;
  EXPECT_THAT(burden, HasSubstr(R"("min_municipalities_per_cell": 3)"));
  EXPECT_TRUE(IsJsonObject(RenderDictionaryJson()));
  EXPECT_TRUE(IsJsonObject(RenderBurdenJson({}, 400, kToday)));
  EXPECT_TRUE(IsJsonObject(RenderDutiesJson({}, kToday)));
}

TEST_F(OpenRegisterTest, TheDictionaryDescribesEveryColumnOfBothDatasets) {
  absl::StatusOr<CsvTable> dictionary = CsvTable::Parse(
      RenderDictionaryCsv(),
      {"dataset", "column", "type", "unit", "description_sv", "description_en"});
  ASSERT_TRUE(dictionary.ok()) << dictionary.status();
  std::vector<std::string> duty_columns, burden_columns;
  for (const CsvRow& row : dictionary->rows()) {
    EXPECT_FALSE(dictionary->Get(row, "type").empty());
    EXPECT_FALSE(dictionary->Get(row, "description_sv").empty());
    EXPECT_FALSE(dictionary->Get(row, "description_en").empty());
    (dictionary->Get(row, "dataset") == "duties" ? duty_columns : burden_columns)
        .push_back(dictionary->Get(row, "column"));
  }
  auto header = [](const std::string& csv) {
    const std::string first = csv.substr(0, csv.find("\r\n"));
    return std::vector<std::string>(absl::StrSplit(first, ','));
  };
  EXPECT_EQ(duty_columns, header(RenderDutiesCsv({})));
  EXPECT_EQ(burden_columns, header(RenderBurdenCsv({}, 400)));
}

TEST_F(OpenRegisterTest, TheSameDataGivesTheSameBytesWhateverTheOrderItCameIn) {
  duties_ = {MakeDuty("b", "skolverket", DutyState::kInForce),
             MakeDuty("a", "scb", DutyState::kInForce, Sector::kFinance)};
  Add({MakeReport("0180", "a", "2025Q1", 10), MakeReport("1283", "a", "2025Q1", 10),
       MakeReport("1280", "a", "2025Q1", 10), MakeReport("0180", "b", "2024Q1", 10)});
  std::vector<OpenDocument> first;
  for (OpenDataset dataset : {OpenDataset::kDuties, OpenDataset::kBurden,
                              OpenDataset::kDictionary}) {
    for (OpenFormat format : {OpenFormat::kCsv, OpenFormat::kJson}) {
      first.push_back(ExportOpenData(Source(), dataset, format));
    }
  }
  std::swap(duties_[0], duties_[1]);
  size_t i = 0;
  for (OpenDataset dataset : {OpenDataset::kDuties, OpenDataset::kBurden,
                              OpenDataset::kDictionary}) {
    for (OpenFormat format : {OpenFormat::kCsv, OpenFormat::kJson}) {
      const OpenDocument again = ExportOpenData(Source(), dataset, format);
      EXPECT_EQ(again.content, first[i].content);
      EXPECT_EQ(again.content_type, format == OpenFormat::kCsv
                                        ? "text/csv; charset=utf-8; header=present"
                                        : "application/json; charset=utf-8");
      ++i;
    }
  }
  // The rows are sorted: by id, and by agency, sector and year.
  EXPECT_LT(first[0].content.find("\r\na,"), first[0].content.find("\r\nb,"));
  EXPECT_LT(first[2].content.find("\r\nscb,"), first[2].content.find("\r\nskolverket,"));
  // Nothing of a report but its aggregate is in any document.
  for (const OpenDocument& document : first) {
    EXPECT_THAT(document.content, Not(HasSubstr("hemlig kommentar")));
    EXPECT_THAT(document.content, Not(HasSubstr("0180")));
    EXPECT_THAT(document.content, Not(HasSubstr("Stockholm")));
  }
}

}  // namespace
}  // namespace inrapport
