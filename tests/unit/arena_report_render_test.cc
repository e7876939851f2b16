// The four renderings of the arena report, each read back the way its
// reader would: Markdown tables cell by cell, CSV by an RFC 4180 reader, JSON
// by a strict parser (and by Python's where there is one), HTML by its
// escaping and its chart geometry.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/report/arena_report.h"
#include "common/report/render_internal.h"
#include "common/text/text_safety.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// ---------------------------------------------------------------------------
// The report: small, by hand, with text a hostile or careless client could
// send.

constexpr char kHostileAgency[] = "a|b \"q\", <script>alert(1)</script>";
constexpr char kTitle1[] = "Anmälan \"lex Sarah\", <script>alert('x')</script> & co";
constexpr char kTitle2[] = "Rapport, med kommatecken\r\noch radbrytning | pipe";
constexpr char kNotes1[] =
    "line one\nline two | [paragraph unverified], \"quoted\"\tTAB \x01 ctl åäö ÅÄÖ";
constexpr char kId2[] = "skl|väst";

ArenaBurdenRow BurdenRow(std::string key, int64_t reports, int64_t minutes, int municipalities,
                         double flagged_share, double national, int64_t not_estimable = 0) {
  ArenaBurdenRow row;
  row.key = std::move(key);
  row.reports = reports;
  row.minutes = minutes;
  row.hours = minutes / 60.0;
  row.cost_sek = minutes / 60.0 * 400;
  row.municipalities = municipalities;
  row.flagged_share = flagged_share;
  row.national_cost_sek = national;
  row.not_estimable_duties = not_estimable;
  return row;
}

Flag MakeFlag(std::string code, std::string reason,
              std::vector<std::pair<std::string, std::string>> evidence) {
  Flag flag;
  flag.code = std::move(code);
  flag.reason = std::move(reason);
  flag.evidence = std::move(evidence);
  return flag;
}

ArenaReport MakeReport() {
  ArenaReport r;
  r.language = ReportLanguage::kEnglish;  // the Swedish words: ArenaReportSwedishTest
  r.generated_on = "2025-06-01";
  r.tariff_sek_per_hour = 400;
  r.duties = 30;
  r.flagged_duties = 3;
  r.recorded_uses = 2;
  r.totals = BurdenRow("total", 7, 74074, 5, 0.4255, 1234567.4, 12);
  r.flagged_national_cost_sek = 450000.4;
  r.not_estimable_duties = 12;
  r.flagged_not_estimable_duties = 2;
  r.by_agency = {BurdenRow("ivo", 5, 60000, 4, 0.5, 1000000, 3),
                 BurdenRow(kHostileAgency, 2, 14074, 1, 0, 234567.4, 1)};
  r.by_sector = {BurdenRow("social_services", 5, 60000, 4, 0.5, 1000000, 3),
                 BurdenRow("school", 2, 14074, 1, 0, 234567.4, 1)};

  ArenaFlaggedDuty d1;
  d1.account.duty_id = "ivo-lex-sarah";
  d1.account.agency_id = "ivo";
  d1.account.title = kTitle1;
  d1.account.sector = Sector::kSocialServices;
  d1.account.frequency = Frequency::kQuarterly;
  d1.account.reports = 4;
  d1.account.municipalities = 2;
  d1.account.minutes = 1000;
  d1.account.median_minutes = 155.25;
  d1.account.hours = 1000 / 60.0;
  d1.account.cost_sek = 1000 / 60.0 * 400;
  d1.account.estimated_minutes_per_report = 60;
  d1.account.reports_per_municipality_per_year = 4;
  // The figures are not derived from each other here: the renderers only
  // print them.
  d1.account.national_hours = 750.001;
  d1.account.national_cost_sek = 300000.4;
  NationalEstimate& n1 = d1.account.national;
  n1.estimable = true;
  n1.hours_per_year = 750.001;
  n1.hours_per_year_low = 700.04;
  n1.hours_per_year_high = 800.06;
  n1.cost_sek_per_year = 300000.4;
  n1.cost_sek_per_year_low = 280016;
  n1.cost_sek_per_year_high = 320024;
  n1.basis = "staff hours per year over the 290 municipalities that must report; from 40 "
             "reports by 20 municipalities in 9 of 9 SKR groups, periods 2025Q1..2025Q2; "
             "reports a year: fixed by the frequency: quarterly, 4 a year";
  d1.account.recorded_uses = 0;
  d1.account.flag_codes = {"NO_LEGAL_BASIS", "NO_STATED_PURPOSE"};
  d1.legal_basis = "SoL (2001:453) 14 kap. 3 § [paragraph unverified]";
  d1.legal_references = {"SoL 14 kap. 3 §", "SFS 2001:453"};
  d1.source_url = "https://www.ivo.se/lex-sarah?a=1&b=2";
  d1.notes = kNotes1;
  d1.flags = {MakeFlag("NO_LEGAL_BASIS", "No recognisable \"source\" <b>here</b>.",
                       {{"legal_basis", d1.legal_basis}, {"references_found", "0"}}),
              MakeFlag("NO_STATED_PURPOSE", "The duty states no purpose.",
                       {{"purpose_characters", "0"}, {"agency_id", "ivo"}})};

  ArenaFlaggedDuty d2;
  d2.account.duty_id = kId2;
  d2.account.agency_id = kHostileAgency;
  d2.account.title = kTitle2;
  d2.account.sector = Sector::kSchool;
  d2.account.frequency = Frequency::kAnnual;
  d2.account.reports = 2;
  d2.account.municipalities = 1;
  d2.account.minutes = 14074;
  d2.account.median_minutes = 7037;
  d2.account.hours = 14074 / 60.0;
  d2.account.cost_sek = 14074 / 60.0 * 400;
  d2.account.reports_per_municipality_per_year = 1;
  // Not estimable: the accounts carry 0, which no renderer may print as a
  // national figure.
  d2.account.national_hours = 0;
  d2.account.national_cost_sek = 0;
  d2.account.national.not_estimable_reason =
      "1 municipality of 290 reported; at least 5 are needed";
  d2.account.national.basis =
      "staff hours per year over the 290 municipalities that must report; from 2 reports by "
      "1 municipality in 1 of 9 SKR groups, periods 2024..2025; reports a year: fixed by the "
      "frequency: annual, 1 a year";
  d2.account.flag_codes = {"TARGETED_GRANT_REPORTING"};
  d2.source_url = "javascript:alert(1)";
  d2.flags = {MakeFlag("TARGETED_GRANT_REPORTING", "Re-reports a grant,\nagain.",
                       {{"targeted_grant", "Statsbidrag \xff till <skolor>"}})};

  ArenaFlaggedDuty d3;  // no reports yet: no median, no national estimate
  d3.account.duty_id = "tom-rapport";
  d3.account.agency_id = "scb";
  d3.account.title = "Tom";
  d3.account.flag_codes = {"NO_STATED_PURPOSE"};
  d3.notes = "a line break\nand nothing else to quote";
  d3.flags = {MakeFlag("NO_STATED_PURPOSE", "The duty states no purpose.", {})};
  d3.account.national.not_estimable_reason =
      "0 municipalities of 290 reported; at least 5 are needed";
  d3.account.national.basis =
      "staff hours per year over the 290 municipalities that must report; no reports measured";

  r.flagged = {d1, d2, d3};

  ArenaOverlap overlap;
  overlap.duty_id = "ivo-lex-sarah";
  overlap.agency_id = "ivo";
  overlap.other_duty_id = kId2;
  overlap.other_agency_id = kHostileAgency;
  overlap.shared_items = {"decision_date", "service_type"};
  overlap.item_count = 6;
  overlap.overlap_minutes = 333.3333;
  overlap.overlap_cost_sek = 333.3333 / 60 * 400;
  r.overlaps = {overlap};
  return r;
}

ArenaReport EmptyReport() {
  ArenaReport r;
  r.language = ReportLanguage::kEnglish;
  r.generated_on = "2025-06-01";
  r.tariff_sek_per_hour = 562.5;
  r.totals.key = "total";
  return r;
}

const ReportFormat kAllFormats[] = {ReportFormat::kMarkdown, ReportFormat::kCsv,
                                    ReportFormat::kJson, ReportFormat::kHtml};

// ---------------------------------------------------------------------------
// Formats and figures.

TEST(ReportFormatTest, NamesParseBackAndOthersAreRejected) {
  for (ReportFormat format : kAllFormats) {
    EXPECT_EQ(ParseReportFormat(ReportFormatName(format)), format);
  }
  EXPECT_EQ(ParseReportFormat("md"), ReportFormat::kMarkdown);
  EXPECT_EQ(ParseReportFormat(" HTML "), ReportFormat::kHtml);
  EXPECT_EQ(ParseReportFormat("pdf"), std::nullopt);
  EXPECT_EQ(ParseReportFormat(""), std::nullopt);
  EXPECT_THAT(std::string(ReportContentType(ReportFormat::kMarkdown)),
              StartsWith("text/markdown; charset=utf-8"));
  EXPECT_THAT(std::string(ReportContentType(ReportFormat::kCsv)), StartsWith("text/csv"));
  EXPECT_EQ(ReportContentType(ReportFormat::kJson), "application/json");
  EXPECT_EQ(ReportContentType(ReportFormat::kHtml), "text/html; charset=utf-8");
}

TEST(ReportFiguresTest, RoundingIsOneRulePerKindOfFigure) {
  using namespace report_internal;
  EXPECT_EQ(Sek(1234567.4), "1234567");
  EXPECT_EQ(Sek(2.5), "3");   // half away from zero
  EXPECT_EQ(Sek(-0.4), "0");  // never "-0"
  EXPECT_EQ(Hours(1234.56), "1234.6");
  EXPECT_EQ(Hours(0), "0.0");
  EXPECT_EQ(PerYear(2.0 / 3), "0.67");
  EXPECT_EQ(Share(0.4255), "0.426");
  EXPECT_EQ(Percent(0.4255), "42.6 %");
  EXPECT_EQ(Share(1), "1.000");
  EXPECT_EQ(Tariff(400), "400");
  EXPECT_EQ(Tariff(562.5), "562.5");
  EXPECT_EQ(Tariff(399.99), "399.99");
  EXPECT_EQ(Fixed(std::nan(""), 1), "");
  EXPECT_EQ(Fixed(INFINITY, 0), "");
  EXPECT_EQ(Grouped("1234567.5"), "1 234 567.5");
  EXPECT_EQ(Grouped("-1234"), "-1 234");
  EXPECT_EQ(Grouped("123"), "123");
  EXPECT_EQ(Grouped(""), "");
  EXPECT_EQ(ValidUtf8("åäö ok"), "åäö ok");
  EXPECT_EQ(ValidUtf8("a\xff"
                      "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ValidUtf8("\xC3"), "\xEF\xBF\xBD");                                  // truncated
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

TEST(ArenaReportRenderTest, EveryFormatIsDeterministic) {
  const ArenaReport report = MakeReport();
  for (ReportFormat format : kAllFormats) {
    EXPECT_EQ(RenderArenaReport(report, format), RenderArenaReport(MakeReport(), format))
        << ReportFormatName(format);
  }
}

// ---------------------------------------------------------------------------
// Markdown.

// The cells of a table line, split at '|' not escaped by a backslash.
std::vector<std::string> MarkdownCells(absl::string_view line) {
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      absl::StrAppend(&cell, line.substr(i, 2));
      ++i;
    } else if (line[i] == '|') {
      cells.push_back(std::string(absl::StripAsciiWhitespace(cell)));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  cells.push_back(std::string(absl::StripAsciiWhitespace(cell)));
  // A row starts and ends with '|': drop the empty outer pieces.
  if (cells.size() >= 2) cells = std::vector<std::string>(cells.begin() + 1, cells.end() - 1);
  return cells;
}

// Tables, as runs of lines that start with '|', split into cells.
std::vector<std::vector<std::vector<std::string>>> MarkdownTables(absl::string_view text) {
  std::vector<std::vector<std::vector<std::string>>> tables;
  bool in_table = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, "|")) {
      if (!in_table) tables.emplace_back();
      in_table = true;
      tables.back().push_back(MarkdownCells(line));
    } else {
      in_table = false;
    }
  }
  return tables;
}

const std::vector<std::vector<std::string>>* TableWithHeader(
    const std::vector<std::vector<std::vector<std::string>>>& tables, absl::string_view first) {
  for (const auto& table : tables) {
    if (!table.empty() && !table[0].empty() && table[0][0] == first) return &table;
  }
  return nullptr;
}

TEST(ArenaReportMarkdownTest, TablesKeepTheirColumnsWhateverTheText) {
  const std::string md = RenderArenaReport(MakeReport(), ReportFormat::kMarkdown);
  const auto tables = MarkdownTables(md);
  // Totals, agency, sector, flagged summary, three flag tables, overlaps.
  ASSERT_EQ(tables.size(), 8u) << md;
  for (const auto& table : tables) {
    ASSERT_GE(table.size(), 3u);
    for (const auto& row : table) {
      EXPECT_EQ(row.size(), table[0].size()) << absl::StrJoin(row, " | ") << "\n" << md;
    }
  }

  const auto* agency = TableWithHeader(tables, "Agency");
  ASSERT_NE(agency, nullptr) << md;
  EXPECT_THAT((*agency)[0], ElementsAre("Agency", "Reports", "Municipalities", "Minutes", "Hours",
                                        "Cost (SEK)", "Flagged share",
                                        "National estimate (SEK per year)",
                                        "Duties not estimable"));
  EXPECT_THAT((*agency)[2], ElementsAre("ivo", "5", "4", "60 000", "1 000.0", "400 000", "50.0 %",
                                        "1 000 000", "3"));
  EXPECT_EQ((*agency)[3][0], "a\\|b \"q\", \\<script\\>alert(1)\\</script\\>");

  const auto* sector = TableWithHeader(tables, "Sector");
  ASSERT_NE(sector, nullptr);
  EXPECT_EQ((*sector)[2][0], "Social services");  // the sector's name, not its code
  EXPECT_EQ((*sector)[3][5], "93 827");

  const auto* ranked = TableWithHeader(tables, "Rank");
  ASSERT_NE(ranked, nullptr);
  ASSERT_EQ(ranked->size(), 5u);
  EXPECT_THAT((*ranked)[2],
              ElementsAre("1", "ivo-lex-sarah", "ivo", "NO_LEGAL_BASIS, NO_STATED_PURPOSE",
                          "300 000", "6 667", "4"));
  EXPECT_EQ((*ranked)[3][1], "skl\\|väst");
  EXPECT_EQ((*ranked)[3][4], "not estimable");  // not 0
  EXPECT_EQ((*ranked)[4][1], "tom-rapport");
  EXPECT_EQ((*ranked)[4][4], "not estimable");

  const auto* overlaps = TableWithHeader(tables, "Duty");
  ASSERT_NE(overlaps, nullptr);
  EXPECT_THAT((*overlaps)[2],
              ElementsAre("ivo-lex-sarah", "ivo", "skl\\|väst",
                          "a\\|b \"q\", \\<script\\>alert(1)\\</script\\>",
                          "decision_date, service_type", "2 of 6", "333.3", "2 222"));
}

TEST(ArenaReportMarkdownTest, ReadsAsADocumentWithTheFlaggedDutiesInRankOrder) {
  const std::string md = RenderArenaReport(MakeReport(), ReportFormat::kMarkdown);
  EXPECT_THAT(md, StartsWith("# Reporting burden on municipalities"));
  EXPECT_THAT(md, HasSubstr("Generated on 2025-06-01."));
  EXPECT_THAT(md, HasSubstr("Tariff: **400 SEK per hour**."));
  EXPECT_THAT(md, HasSubstr("cost = measured minutes / 60 × tariff"));
  EXPECT_THAT(md, HasSubstr("| National estimated cost per year, estimable duties | "
                            "1 234 567 SEK |"));
  EXPECT_THAT(md, HasSubstr("| Duties not estimable (left out of the national sums) | 12 |"));
  EXPECT_THAT(md, HasSubstr("| Flagged duties not estimable | 2 |"));
  EXPECT_THAT(md, HasSubstr("12 of 30 duties are not estimable and left out of every national "
                            "sum."));
  EXPECT_THAT(md, HasSubstr("| Share of measured minutes on flagged duties | 42.6 % |"));
  EXPECT_THAT(md, Not(HasSubstr("<script>")));

  const size_t first = md.find("### 1. ivo-lex-sarah: Anmälan \"lex Sarah\", \\<script\\>");
  const size_t second =
      md.find("### 2. skl\\|väst: Rapport, med kommatecken och radbrytning \\| pipe");
  const size_t third = md.find("### 3. tom-rapport: Tom");
  ASSERT_NE(first, std::string::npos) << md;
  ASSERT_NE(second, std::string::npos) << md;
  ASSERT_NE(third, std::string::npos) << md;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);

  const std::string one = md.substr(first, second - first);
  EXPECT_THAT(one, HasSubstr("- Measured: 4 reports from 2 municipalities, 1 000 minutes "
                             "(median 155.3 per report), 16.7 hours, 6 667 SEK"));
  EXPECT_THAT(one, HasSubstr("- National estimate: 750.0 hours per year (90 % interval "
                             "700.0–800.1), 300 000 SEK per year (280 016–320 024 SEK); staff "
                             "hours per year over the 290 municipalities that must report; "
                             "from 40 reports by 20 municipalities in 9 of 9 SKR groups, "
                             "periods 2025Q1..2025Q2; reports a year: fixed by the frequency: "
                             "quarterly, 4 a year\n"));
  const std::string two = md.substr(second, third - second);
  EXPECT_THAT(two, HasSubstr("- National estimate: not estimable: 1 municipality of 290 "
                             "reported; at least 5 are needed (staff hours per year over the "
                             "290 municipalities that must report; from 2 reports by 1 "
                             "municipality in 1 of 9 SKR groups, periods 2024..2025; reports a "
                             "year: fixed by the frequency: annual, 1 a year)\n"));
  EXPECT_THAT(one,
              HasSubstr("- Legal basis: SoL (2001:453) 14 kap. 3 § \\[paragraph unverified\\]"));
  EXPECT_THAT(one, HasSubstr("- Recognised references: SoL 14 kap. 3 §; SFS 2001:453"));
  EXPECT_THAT(one, HasSubstr("- Notes: line one line two \\| \\[paragraph unverified\\]"));
  EXPECT_THAT(one, HasSubstr("åäö ÅÄÖ"));
  EXPECT_THAT(one, HasSubstr("| No stated purpose (NO_STATED_PURPOSE) | The duty states no "
                             "purpose. | purpose_characters: 0; agency_id: ivo |"));
  const std::string three = md.substr(third);
  EXPECT_THAT(three, HasSubstr("- Measured: no reports yet"));
  EXPECT_THAT(three, HasSubstr("- National estimate: not estimable: 0 municipalities of 290 "
                               "reported; at least 5 are needed (staff hours per year over the "
                               "290 municipalities that must report; no reports measured)"));
}

TEST(ArenaReportMarkdownTest, AnEmptyReportSaysSo) {
  const std::string md = RenderArenaReport(EmptyReport(), ReportFormat::kMarkdown);
  EXPECT_THAT(md, HasSubstr("Tariff: **562.5 SEK per hour**"));
  EXPECT_THAT(md, HasSubstr("No duty is flagged."));
  EXPECT_THAT(md, HasSubstr("No reports yet."));
  EXPECT_THAT(md, HasSubstr("No duty asks for data items"));
}

// ---------------------------------------------------------------------------
// CSV.

// A strict RFC 4180 reader: CRLF record ends, quotes only around a whole
// field, "" inside them. nullopt on anything else.
std::optional<std::vector<std::vector<std::string>>> ReadCsv(absl::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '"') {
      ++i;
      while (true) {
        if (i >= text.size()) return std::nullopt;  // unterminated
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\r') {
        if (text[i] == '"' || text[i] == '\n') return std::nullopt;
        field += text[i++];
      }
    }
    record.push_back(std::move(field));
    field.clear();
    if (i < text.size() && text[i] == ',') {
      ++i;
      if (i == text.size()) return std::nullopt;
      continue;
    }
    if (absl::StartsWith(text.substr(i), "\r\n")) {
      i += 2;
    } else if (i != text.size()) {
      return std::nullopt;  // text after a closing quote, or a bare CR
    }
    records.push_back(std::move(record));
    record.clear();
  }
  return records;
}

const std::vector<std::string> kCsvColumns = {"section",
                                              "rank",
                                              "key",
                                              "agency_id",
                                              "title",
                                              "sector",
                                              "frequency",
                                              "reports",
                                              "municipalities",
                                              "minutes",
                                              "median_minutes",
                                              "hours",
                                              "cost_sek",
                                              "flagged_share",
                                              "reports_per_municipality_per_year",
                                              "national_hours",
                                              "national_cost_sek",
                                              "national_hours_low",
                                              "national_hours_high",
                                              "national_cost_sek_low",
                                              "national_cost_sek_high",
                                              "national_basis",
                                              "not_estimable_reason",
                                              "not_estimable_duties",
                                              "estimated_minutes_per_report",
                                              "recorded_uses",
                                              "flag_codes",
                                              "flag_code",
                                              "reason",
                                              "name",
                                              "value",
                                              "legal_basis",
                                              "legal_references",
                                              "source_url",
                                              "notes",
                                              "other_duty_id",
                                              "other_agency_id",
                                              "shared_items",
                                              "item_count",
                                              "overlap_minutes",
                                              "overlap_cost_sek",
                                              "period",
                                              "flagged_minutes",
                                              "flagged_cost_sek",
                                              "decision",
                                              "decided_on",
                                              "merge_into",
                                              "agency_name",
                                              "side",
                                              "year_before",
                                              "year_after",
                                              "change_hours",
                                              "change_cost_sek"};

class CsvRows {
 public:
  explicit CsvRows(std::vector<std::vector<std::string>> records) : records_(std::move(records)) {}
  std::string Get(const std::vector<std::string>& row, absl::string_view column) const {
    for (size_t i = 0; i < kCsvColumns.size(); ++i) {
      if (kCsvColumns[i] == column) return row.at(i);
    }
    ADD_FAILURE() << "no column " << column;
    return "";
  }
  std::vector<std::vector<std::string>> Section(absl::string_view section) const {
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 1; i < records_.size(); ++i) {
      if (records_[i].at(0) == section) rows.push_back(records_[i]);
    }
    return rows;
  }

 private:
  std::vector<std::vector<std::string>> records_;
};

TEST(ArenaReportCsvTest, ParsesBackIntoOneTableWithASectionColumn) {
  const std::string csv = RenderArenaReport(MakeReport(), ReportFormat::kCsv);
  const auto records = ReadCsv(csv);
  ASSERT_TRUE(records.has_value()) << csv;
  ASSERT_FALSE(records->empty());
  EXPECT_EQ((*records)[0], kCsvColumns);
  for (const auto& record : *records) EXPECT_EQ(record.size(), kCsvColumns.size());
  std::vector<std::string> sections;
  for (size_t i = 1; i < records->size(); ++i) {
    if (sections.empty() || sections.back() != (*records)[i][0]) {
      sections.push_back((*records)[i][0]);
    }
  }
  EXPECT_THAT(sections, ElementsAre("report", "totals", "agency", "sector", "flagged_duty", "flag",
                                    "evidence", "flag", "evidence", "flagged_duty", "flag",
                                    "evidence", "flagged_duty", "flag", "overlap", "method"));

  const CsvRows rows(*records);
  std::vector<std::pair<std::string, std::string>> scalars;
  for (const auto& row : rows.Section("report")) {
    scalars.emplace_back(rows.Get(row, "name"), rows.Get(row, "value"));
  }
  EXPECT_THAT(
      scalars,
      ElementsAre(std::pair<std::string, std::string>("generated_on", "2025-06-01"),
                  std::pair<std::string, std::string>("language", "en"),
                  std::pair<std::string, std::string>("illustrative", "false"),
                  std::pair<std::string, std::string>(
                      "title",
                      "Reporting burden on municipalities: evidence for the utvecklingsarena"),
                  std::pair<std::string, std::string>("period_from", ""),
                  std::pair<std::string, std::string>("period_to", ""),
                  std::pair<std::string, std::string>("tariff_sek_per_hour", "400"),
                  std::pair<std::string, std::string>("duties", "30"),
                  std::pair<std::string, std::string>("flagged_duties", "3"),
                  std::pair<std::string, std::string>("recorded_uses", "2"),
                  std::pair<std::string, std::string>("flagged_national_cost_sek", "450000"),
                  std::pair<std::string, std::string>("not_estimable_duties", "12"),
                  std::pair<std::string, std::string>("flagged_not_estimable_duties", "2")));

  const auto totals = rows.Section("totals");
  ASSERT_EQ(totals.size(), 1u);
  EXPECT_EQ(rows.Get(totals[0], "key"), "total");
  EXPECT_EQ(rows.Get(totals[0], "minutes"), "74074");
  EXPECT_EQ(rows.Get(totals[0], "hours"), "1234.6");
  EXPECT_EQ(rows.Get(totals[0], "cost_sek"), "493827");
  EXPECT_EQ(rows.Get(totals[0], "flagged_share"), "0.426");
  EXPECT_EQ(rows.Get(totals[0], "national_cost_sek"), "1234567");
  EXPECT_EQ(rows.Get(totals[0], "not_estimable_duties"), "12");

  const auto agencies = rows.Section("agency");
  ASSERT_EQ(agencies.size(), 2u);
  EXPECT_EQ(rows.Get(agencies[1], "rank"), "2");
  EXPECT_EQ(rows.Get(agencies[1], "key"), kHostileAgency);
  EXPECT_EQ(rows.Get(agencies[1], "cost_sek"), "93827");

  const auto flagged = rows.Section("flagged_duty");
  ASSERT_EQ(flagged.size(), 3u);
  EXPECT_EQ(rows.Get(flagged[0], "rank"), "1");
  EXPECT_EQ(rows.Get(flagged[0], "key"), "ivo-lex-sarah");
  EXPECT_EQ(rows.Get(flagged[0], "title"), kTitle1);
  EXPECT_EQ(rows.Get(flagged[0], "sector"), "social_services");
  EXPECT_EQ(rows.Get(flagged[0], "frequency"), "quarterly");
  EXPECT_EQ(rows.Get(flagged[0], "median_minutes"), "155.3");
  EXPECT_EQ(rows.Get(flagged[0], "national_hours"), "750.0");
  EXPECT_EQ(rows.Get(flagged[0], "national_cost_sek"), "300000");
  EXPECT_EQ(rows.Get(flagged[0], "national_hours_low"), "700.0");
  EXPECT_EQ(rows.Get(flagged[0], "national_hours_high"), "800.1");
  EXPECT_EQ(rows.Get(flagged[0], "national_cost_sek_low"), "280016");
  EXPECT_EQ(rows.Get(flagged[0], "national_cost_sek_high"), "320024");
  EXPECT_THAT(rows.Get(flagged[0], "national_basis"), StartsWith("staff hours per year over"));
  EXPECT_EQ(rows.Get(flagged[0], "not_estimable_reason"), "");
  EXPECT_EQ(rows.Get(flagged[0], "reports_per_municipality_per_year"), "4.00");
  EXPECT_EQ(rows.Get(flagged[0], "flag_codes"), "NO_LEGAL_BASIS; NO_STATED_PURPOSE");
  EXPECT_EQ(rows.Get(flagged[0], "legal_references"), "SoL 14 kap. 3 §; SFS 2001:453");
  // Newline, quotes, tab and åäö intact; the control character U+0001 shown
  // as U+FFFD.
  EXPECT_EQ(rows.Get(flagged[0], "notes"),
            "line one\nline two | [paragraph unverified], \"quoted\"\tTAB \uFFFD ctl åäö ÅÄÖ");
  EXPECT_EQ(rows.Get(flagged[1], "key"), kId2);
  EXPECT_EQ(rows.Get(flagged[1], "agency_id"), kHostileAgency);
  // A line break inside a field, CR LF written as LF.
  EXPECT_EQ(rows.Get(flagged[1], "title"), "Rapport, med kommatecken\noch radbrytning | pipe");
  // Not estimable: empty national figures (not 0), and the reason.
  for (const char* column : {"national_hours", "national_cost_sek", "national_hours_low",
                             "national_hours_high", "national_cost_sek_low",
                             "national_cost_sek_high"}) {
    EXPECT_EQ(rows.Get(flagged[1], column), "") << column;
  }
  EXPECT_EQ(rows.Get(flagged[1], "not_estimable_reason"),
            "1 municipality of 290 reported; at least 5 are needed");
  EXPECT_EQ(rows.Get(flagged[2], "key"), "tom-rapport");
  EXPECT_EQ(rows.Get(flagged[2], "median_minutes"), "");
  EXPECT_EQ(rows.Get(flagged[2], "notes"), "a line break\nand nothing else to quote");

  const auto flags = rows.Section("flag");
  ASSERT_EQ(flags.size(), 4u);
  EXPECT_EQ(rows.Get(flags[0], "key"), "ivo-lex-sarah");
  EXPECT_EQ(rows.Get(flags[0], "flag_code"), "NO_LEGAL_BASIS");
  EXPECT_EQ(rows.Get(flags[0], "reason"), "No recognisable \"source\" <b>here</b>.");
  EXPECT_EQ(rows.Get(flags[2], "rank"), "2");
  EXPECT_EQ(rows.Get(flags[2], "reason"), "Re-reports a grant,\nagain.");

  const auto evidence = rows.Section("evidence");
  ASSERT_EQ(evidence.size(), 5u);
  EXPECT_EQ(rows.Get(evidence[1], "flag_code"), "NO_LEGAL_BASIS");
  EXPECT_EQ(rows.Get(evidence[1], "name"), "references_found");
  EXPECT_EQ(rows.Get(evidence[1], "value"), "0");

  const auto overlaps = rows.Section("overlap");
  ASSERT_EQ(overlaps.size(), 1u);
  EXPECT_EQ(rows.Get(overlaps[0], "key"), "ivo-lex-sarah");
  EXPECT_EQ(rows.Get(overlaps[0], "other_duty_id"), kId2);
  EXPECT_EQ(rows.Get(overlaps[0], "other_agency_id"), kHostileAgency);
  EXPECT_EQ(rows.Get(overlaps[0], "shared_items"), "decision_date; service_type");
  EXPECT_EQ(rows.Get(overlaps[0], "item_count"), "6");
  EXPECT_EQ(rows.Get(overlaps[0], "overlap_minutes"), "333.3");
  EXPECT_EQ(rows.Get(overlaps[0], "overlap_cost_sek"), "2222");
}

TEST(ArenaReportCsvTest, AnEmptyReportIsStillATable) {
  const auto records = ReadCsv(RenderArenaReport(EmptyReport(), ReportFormat::kCsv));
  ASSERT_TRUE(records.has_value());
  EXPECT_EQ((*records)[0], kCsvColumns);
  // The header, the report's figures, the totals, and the method's paragraphs.
  const std::vector<std::string> method = report_internal::MethodParagraphs(EmptyReport());
  EXPECT_EQ(records->size(), 1u + 13 + 1 + method.size());
  EXPECT_EQ(CsvRows(*records).Get((*records)[7], "value"), "562.5");
  EXPECT_EQ(CsvRows(*records).Get(records->back(), "value"), method.back());
}

// ---------------------------------------------------------------------------
// JSON.

struct Json {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  std::string text;  // a string's value, or a number as written
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;

  const Json& operator[](absl::string_view key) const {
    for (const auto& [name, value] : members) {
      if (name == key) return value;
    }
    ADD_FAILURE() << "no member " << key;
    return Missing();
  }
  const Json& operator[](size_t i) const {
    if (i < items.size()) return items[i];
    ADD_FAILURE() << "no item " << i;
    return Missing();
  }
  std::vector<std::string> Keys() const {
    std::vector<std::string> keys;
    for (const auto& member : members) keys.push_back(member.first);
    return keys;
  }
  static const Json& Missing() {
    static const Json* missing = new Json;
    return *missing;
  }
};

// A strict RFC 8259 parser: no trailing commas, no raw control characters
// in strings, nothing after the value.
class JsonParser {
 public:
  static std::optional<Json> Parse(absl::string_view text) {
    JsonParser parser(text);
    Json value;
    if (!parser.Value(&value)) return std::nullopt;
    parser.Space();
    if (parser.i_ != text.size()) return std::nullopt;
    return value;
  }

 private:
  explicit JsonParser(absl::string_view text) : s_(text) {}

  void Space() {
    while (i_ < s_.size() &&
           (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) {
      ++i_;
    }
  }
  bool Literal(absl::string_view word) {
    if (!absl::StartsWith(s_.substr(i_), word)) return false;
    i_ += word.size();
    return true;
  }
  bool Value(Json* out) {
    if (++depth_ > 64) return false;
    Space();
    if (i_ >= s_.size()) return false;
    bool ok = false;
    const char c = s_[i_];
    if (c == '{') {
      ok = Object(out);
    } else if (c == '[') {
      ok = Array(out);
    } else if (c == '"') {
      out->type = Json::Type::kString;
      ok = String(&out->text);
    } else if (c == 't' || c == 'f') {
      out->type = Json::Type::kBool;
      out->boolean = c == 't';
      ok = Literal(c == 't' ? "true" : "false");
    } else if (c == 'n') {
      ok = Literal("null");
    } else {
      ok = Number(out);
    }
    --depth_;
    return ok;
  }
  bool Object(Json* out) {
    out->type = Json::Type::kObject;
    ++i_;
    Space();
    if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
    while (true) {
      Space();
      std::string key;
      if (i_ >= s_.size() || s_[i_] != '"' || !String(&key)) return false;
      Space();
      if (i_ >= s_.size() || s_[i_++] != ':') return false;
      Json value;
      if (!Value(&value)) return false;
      out->members.emplace_back(std::move(key), std::move(value));
      Space();
      if (i_ >= s_.size()) return false;
      if (s_[i_] == ',') {
        ++i_;
        continue;
      }
      return s_[i_++] == '}';
    }
  }
  bool Array(Json* out) {
    out->type = Json::Type::kArray;
    ++i_;
    Space();
    if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
    while (true) {
      Json value;
      if (!Value(&value)) return false;
      out->items.push_back(std::move(value));
      Space();
      if (i_ >= s_.size()) return false;
      if (s_[i_] == ',') {
        ++i_;
        continue;
      }
      return s_[i_++] == ']';
    }
  }
  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      *out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *out += static_cast<char>(0xC0 | (cp >> 6));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *out += static_cast<char>(0xE0 | (cp >> 12));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *out += static_cast<char>(0xF0 | (cp >> 18));
      *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  bool Hex4(uint32_t* out) {
    if (i_ + 4 > s_.size()) return false;
    *out = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = s_[i_++];
      if (!absl::ascii_isxdigit(static_cast<unsigned char>(h))) return false;
      *out = *out * 16 + (absl::ascii_isdigit(static_cast<unsigned char>(h))
                              ? h - '0'
                              : absl::ascii_tolower(static_cast<unsigned char>(h)) - 'a' + 10);
    }
    return true;
  }
  bool String(std::string* out) {
    ++i_;  // the opening quote
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          *out += e;
          break;
        case 'b':
          *out += '\b';
          break;
        case 'f':
          *out += '\f';
          break;
        case 'n':
          *out += '\n';
          break;
        case 'r':
          *out += '\r';
          break;
        case 't':
          *out += '\t';
          break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low;
            if (!Literal("\\u") || !Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }
  bool Number(Json* out) {
    const size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    auto digits = [&] {
      const size_t from = i_;
      while (i_ < s_.size() && absl::ascii_isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
      return i_ - from;
    };
    const size_t int_start = i_;
    const size_t int_digits = digits();
    if (int_digits == 0 || (int_digits > 1 && s_[int_start] == '0')) return false;
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (digits() == 0) return false;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (digits() == 0) return false;
    }
    out->type = Json::Type::kNumber;
    out->text = std::string(s_.substr(start, i_ - start));
    return absl::SimpleAtod(out->text, &out->number);
  }

  absl::string_view s_;
  size_t i_ = 0;
  int depth_ = 0;
};

TEST(JsonParserTest, RejectsWhatJsonDoesNotAllow) {
  // The parser the JSON tests rely on must be able to say no.
  EXPECT_TRUE(JsonParser::Parse(R"({"a": [1, -2.5e3, "x\u00e5\"", null, true]})").has_value());
  EXPECT_FALSE(JsonParser::Parse(R"({"a": 1,})").has_value());
  EXPECT_FALSE(JsonParser::Parse("{\"a\": \"line\nbreak\"}").has_value());
  EXPECT_FALSE(JsonParser::Parse(R"({"a": 01})").has_value());
  EXPECT_FALSE(JsonParser::Parse(R"({"a": NaN})").has_value());
  EXPECT_FALSE(JsonParser::Parse(R"({"a": 1} x)").has_value());
  EXPECT_FALSE(JsonParser::Parse(R"({'a': 1})").has_value());
}

TEST(ArenaReportJsonTest, ParsesBackWithTheStructsFieldNamesAndTheTextIntact) {
  const std::string json = RenderArenaReport(MakeReport(), ReportFormat::kJson);
  const std::optional<Json> parsed = JsonParser::Parse(json);
  ASSERT_TRUE(parsed.has_value()) << json;
  const Json& r = *parsed;
  EXPECT_THAT(r.Keys(),
              ElementsAre("generated_on", "language", "illustrative", "title", "period_from",
                          "period_to", "tariff_sek_per_hour", "duties", "flagged_duties",
                          "recorded_uses", "totals", "flagged_national_cost_sek",
                          "not_estimable_duties", "flagged_not_estimable_duties", "by_agency",
                          "by_sector", "flagged", "overlaps", "reported_elsewhere", "unreported",
                          "by_year", "decisions", "method"));
  EXPECT_EQ(r["language"].text, "en");
  EXPECT_EQ(r["generated_on"].text, "2025-06-01");
  EXPECT_EQ(r["tariff_sek_per_hour"].type, Json::Type::kNumber);
  EXPECT_EQ(r["tariff_sek_per_hour"].number, 400);
  EXPECT_EQ(r["flagged_national_cost_sek"].text, "450000");
  EXPECT_EQ(r["not_estimable_duties"].number, 12);
  EXPECT_EQ(r["flagged_not_estimable_duties"].number, 2);
  EXPECT_THAT(r["totals"].Keys(),
              ElementsAre("key", "reports", "minutes", "hours", "cost_sek", "municipalities",
                          "flagged_share", "national_cost_sek", "not_estimable_duties"));
  EXPECT_EQ(r["by_agency"][0]["not_estimable_duties"].number, 3);
  EXPECT_EQ(r["totals"]["hours"].text, "1234.6");
  EXPECT_EQ(r["totals"]["cost_sek"].text, "493827");
  EXPECT_EQ(r["totals"]["flagged_share"].text, "0.426");
  ASSERT_EQ(r["by_agency"].items.size(), 2u);
  EXPECT_EQ(r["by_agency"][1]["key"].text, kHostileAgency);
  EXPECT_EQ(r["by_sector"][0]["key"].text, "social_services");

  const Json& flagged = r["flagged"];
  ASSERT_EQ(flagged.items.size(), 3u);
  EXPECT_THAT(flagged[0].Keys(), ElementsAre("account", "legal_basis", "legal_references",
                                             "source_url", "notes", "flags", "comments"));
  const Json& account = flagged[0]["account"];
  EXPECT_THAT(account.Keys(),
              ElementsAre("duty_id", "agency_id", "title", "sector", "frequency", "reports",
                          "municipalities", "minutes", "median_minutes", "hours", "cost_sek",
                          "estimated_minutes_per_report", "reports_per_municipality_per_year",
                          "national_hours", "national_cost_sek", "recorded_uses", "flag_codes",
                          "national"));
  EXPECT_EQ(account["duty_id"].text, "ivo-lex-sarah");
  EXPECT_EQ(account["title"].text, kTitle1);
  EXPECT_EQ(account["median_minutes"].text, "155.3");
  EXPECT_EQ(account["national_cost_sek"].number, 300000);
  const Json& national = account["national"];
  EXPECT_THAT(national.Keys(),
              ElementsAre("estimable", "not_estimable_reason", "not_estimable_reason_sv",
                          "hours_per_year", "hours_per_year_low", "hours_per_year_high",
                          "cost_sek_per_year", "cost_sek_per_year_low", "cost_sek_per_year_high",
                          "reports", "municipalities", "expected_municipalities",
                          "groups_covered", "groups_expected", "groups_with_one_municipality",
                          "first_period", "last_period",
                          "reports_per_municipality_per_year", "yearly_count_basis",
                          "yearly_count_basis_sv", "basis", "basis_sv"));
  EXPECT_EQ(national["estimable"].type, Json::Type::kBool);
  EXPECT_TRUE(national["estimable"].boolean);
  EXPECT_EQ(national["hours_per_year"].text, "750.0");
  EXPECT_EQ(national["hours_per_year_low"].text, "700.0");
  EXPECT_EQ(national["cost_sek_per_year_high"].text, "320024");
  EXPECT_EQ(account["sector"].text, "social_services");
  ASSERT_EQ(account["flag_codes"].items.size(), 2u);
  EXPECT_EQ(account["flag_codes"][1].text, "NO_STATED_PURPOSE");
  EXPECT_EQ(flagged[0]["notes"].text, kNotes1);  // control characters escaped and back
  EXPECT_EQ(flagged[0]["legal_references"][0].text, "SoL 14 kap. 3 §");
  EXPECT_EQ(flagged[0]["flags"][0]["code"].text, "NO_LEGAL_BASIS");
  EXPECT_EQ(flagged[0]["flags"][0]["reason"].text, "No recognisable \"source\" <b>here</b>.");
  EXPECT_EQ(flagged[0]["flags"][1]["evidence"][1]["name"].text, "agency_id");
  EXPECT_EQ(flagged[0]["flags"][1]["evidence"][1]["value"].text, "ivo");
  EXPECT_EQ(flagged[1]["account"]["duty_id"].text, kId2);
  EXPECT_EQ(flagged[1]["account"]["title"].text, kTitle2);
  // Not estimable: null, not 0, with the reason.
  const Json& second = flagged[1]["account"];
  EXPECT_EQ(second["national_hours"].type, Json::Type::kNull);
  EXPECT_EQ(second["national_cost_sek"].type, Json::Type::kNull);
  EXPECT_FALSE(second["national"]["estimable"].boolean);
  EXPECT_EQ(second["national"]["hours_per_year"].type, Json::Type::kNull);
  EXPECT_EQ(second["national"]["cost_sek_per_year_low"].type, Json::Type::kNull);
  EXPECT_EQ(second["national"]["not_estimable_reason"].text,
            "1 municipality of 290 reported; at least 5 are needed");
  // An invalid byte arrives as U+FFFD, so the document stays valid UTF-8.
  EXPECT_EQ(flagged[1]["flags"][0]["evidence"][0]["value"].text,
            "Statsbidrag \xEF\xBF\xBD till <skolor>");
  EXPECT_EQ(flagged[2]["account"]["median_minutes"].type, Json::Type::kNull);
  EXPECT_EQ(flagged[2]["flags"][0]["evidence"].items.size(), 0u);

  ASSERT_EQ(r["overlaps"].items.size(), 1u);
  const Json& overlap = r["overlaps"][0];
  EXPECT_THAT(overlap.Keys(),
              ElementsAre("duty_id", "agency_id", "other_duty_id", "other_agency_id",
                          "shared_items", "item_count", "overlap_minutes", "overlap_cost_sek"));
  EXPECT_EQ(overlap["other_agency_id"].text, kHostileAgency);
  EXPECT_EQ(overlap["overlap_minutes"].text, "333.3");
  EXPECT_EQ(overlap["item_count"].number, 6);
}

TEST(ArenaReportJsonTest, AnEmptyReportParses) {
  const std::optional<Json> parsed =
      JsonParser::Parse(RenderArenaReport(EmptyReport(), ReportFormat::kJson));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ((*parsed)["tariff_sek_per_hour"].text, "562.5");
  EXPECT_EQ((*parsed)["flagged"].type, Json::Type::kArray);
  EXPECT_TRUE((*parsed)["flagged"].items.empty());
}

TEST(ArenaReportJsonTest, PythonsJsonModuleReadsIt) {
  if (std::system("python3 -c 'import json' >/dev/null 2>&1") != 0) {
    GTEST_FAIL() << "python3 is not installed (scripts/install-deps.sh installs it)";
  }
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/arena_report_", static_cast<long>(::getpid()), ".json");
  {
    std::ofstream out(path, std::ios::binary);
    out << RenderArenaReport(MakeReport(), ReportFormat::kJson);
  }
  // json.load reads the bytes as strict UTF-8; check a decoded string too.
  const std::string command = absl::StrCat(
      "python3 -c 'import json,sys; r=json.load(open(sys.argv[1], encoding=\"utf-8\")); "
      "assert r[\"flagged\"][1][\"account\"][\"duty_id\"] == \"skl|v\\u00e4st\"' ",
      path);
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  std::remove(path.c_str());
}

// ---------------------------------------------------------------------------
// HTML.

// The value of attribute `name` in the tag that starts at `tag`.
std::string Attribute(absl::string_view tag, absl::string_view name) {
  const std::string key = absl::StrCat(" ", name, "=\"");
  const size_t end_of_tag = tag.find('>');
  const size_t at = tag.find(key);
  if (at == absl::string_view::npos || at > end_of_tag) return "";
  const size_t from = at + key.size();
  return std::string(tag.substr(from, tag.find('"', from) - from));
}

// The element <svg id="id"> ... </svg>.
std::string Svg(const std::string& html, absl::string_view id) {
  const size_t start = html.find(absl::StrCat("<svg id=\"", id, "\""));
  if (start == std::string::npos) return "";
  const size_t end = html.find("</svg>", start);
  return html.substr(start, end - start);
}

struct BarTag {
  std::string key;
  double value = 0;
  double width = 0;
  double y = 0;
};

std::vector<BarTag> Bars(absl::string_view svg, absl::string_view data_name) {
  std::vector<BarTag> bars;
  for (size_t at = svg.find("<rect class=\"bar\""); at != absl::string_view::npos;
       at = svg.find("<rect class=\"bar\"", at + 1)) {
    const absl::string_view tag = svg.substr(at);
    BarTag bar;
    bar.key = Attribute(tag, absl::StrCat("data-", data_name));
    EXPECT_TRUE(absl::SimpleAtod(Attribute(tag, "data-value"), &bar.value)) << tag.substr(0, 200);
    EXPECT_TRUE(absl::SimpleAtod(Attribute(tag, "width"), &bar.width)) << tag.substr(0, 200);
    EXPECT_TRUE(absl::SimpleAtod(Attribute(tag, "y"), &bar.y)) << tag.substr(0, 200);
    bars.push_back(bar);
  }
  return bars;
}

TEST(ArenaReportHtmlTest, IsOnePageWithNothingToFetchOrRun) {
  const std::string html = RenderArenaReport(MakeReport(), ReportFormat::kHtml);
  EXPECT_THAT(html, StartsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<title>Reporting burden on municipalities: evidence for the "
                              "utvecklingsarena 2025-06-01</title>"));
  EXPECT_THAT(html, HasSubstr("default-src 'none'"));
  const std::string lower = absl::AsciiStrToLower(html);
  EXPECT_THAT(lower, Not(HasSubstr("<script")));
  EXPECT_THAT(lower, Not(HasSubstr(" src=")));
  EXPECT_THAT(lower, Not(HasSubstr("url(")));
  EXPECT_THAT(lower, Not(HasSubstr("@import")));
  EXPECT_THAT(lower, Not(HasSubstr("href=\"javascript")));
  // The one link element is the empty icon, so the browser asks for none.
  EXPECT_THAT(html, HasSubstr("<link rel=\"icon\" href=\"data:,\">"));
  EXPECT_EQ(lower.find("<link"), lower.rfind("<link"));
  EXPECT_THAT(html, HasSubstr("</html>\n"));
}

TEST(ArenaReportHtmlTest, EscapesEveryText) {
  const std::string html = RenderArenaReport(MakeReport(), ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("Anmälan &quot;lex Sarah&quot;, &lt;script&gt;alert(&#39;x&#39;)"
                              "&lt;/script&gt; &amp; co"));
  EXPECT_THAT(html, HasSubstr("a|b &quot;q&quot;, &lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("No recognisable &quot;source&quot; &lt;b&gt;here&lt;/b&gt;."));
  EXPECT_THAT(html, HasSubstr("Statsbidrag \xEF\xBF\xBD till &lt;skolor&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("\xff")));
  EXPECT_THAT(html, HasSubstr("<a href=\"https://www.ivo.se/lex-sarah?a=1&amp;b=2\""));
  EXPECT_THAT(html, HasSubstr("<dt>Source</dt><dd>javascript:alert(1)</dd>"));  // not a link
  EXPECT_THAT(html, HasSubstr("[paragraph <mark>unverified</mark>]"));
  EXPECT_THAT(html, HasSubstr("åäö ÅÄÖ"));
}

TEST(ArenaReportHtmlTest, FlaggedDutiesChartHasOneProportionalBarPerEstimableDutyInRankOrder) {
  ArenaReport report = MakeReport();
  // The second duty with an estimate too; the third stays not estimable.
  DutyAccount& second = report.flagged[1].account;
  second.national.estimable = true;
  second.national.not_estimable_reason.clear();
  second.national_cost_sek = second.national.cost_sek_per_year = 150000;
  report.flagged_not_estimable_duties = 1;
  const std::string html = RenderArenaReport(report, ReportFormat::kHtml);
  const std::string svg = Svg(html, "flagged-duties-chart");
  ASSERT_FALSE(svg.empty()) << html;
  const std::vector<BarTag> bars = Bars(svg, "duty");
  ASSERT_EQ(bars.size(), 2u) << svg;  // no bar of 0 for the duty without an estimate
  EXPECT_EQ(bars[0].key, "ivo-lex-sarah");
  EXPECT_EQ(bars[1].key, "skl|väst");
  EXPECT_EQ(bars[0].value, 300000);
  EXPECT_EQ(bars[1].value, 150000);
  EXPECT_LT(bars[0].y, bars[1].y);
  EXPECT_THAT(svg, Not(HasSubstr("tom-rapport")));
  EXPECT_THAT(html, HasSubstr("; 1 duty is not estimable and not drawn.</p>"));
  ASSERT_GT(bars[0].width, 100);
  for (const BarTag& bar : bars) {
    EXPECT_NEAR(bar.width / bars[0].width, bar.value / bars[0].value, 0.001) << bar.key;
  }
  // Labels are the duty ids, values printed as in the tables.
  EXPECT_THAT(svg, HasSubstr(">ivo-lex-sarah</text>"));
  EXPECT_THAT(svg, HasSubstr(">skl|väst</text>"));
  EXPECT_THAT(svg, HasSubstr(">300 000 SEK</text>"));
  EXPECT_THAT(svg, HasSubstr(">150 000 SEK</text>"));
}

TEST(ArenaReportHtmlTest, AgencyChartShowsTheMeasuredCostOfEachAgency) {
  const std::string html = RenderArenaReport(MakeReport(), ReportFormat::kHtml);
  const std::string svg = Svg(html, "agency-cost-chart");
  ASSERT_FALSE(svg.empty());
  const std::vector<BarTag> bars = Bars(svg, "agency");
  ASSERT_EQ(bars.size(), 2u);
  EXPECT_EQ(bars[0].key, "ivo");
  EXPECT_EQ(bars[1].key, "a|b &quot;q&quot;, &lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(bars[0].value, 400000);
  EXPECT_EQ(bars[1].value, 93827);
  EXPECT_NEAR(bars[1].width / bars[0].width, 93827.0 / 400000, 0.0001);
}

TEST(ArenaReportHtmlTest, HasTheTablesOfTheMarkdownWithGroupedFigures) {
  const std::string html = RenderArenaReport(MakeReport(), ReportFormat::kHtml);
  for (absl::string_view heading :
       {"<h2>Totals</h2>", "<h2>Burden by agency</h2>", "<h2>Burden by sector</h2>",
        "<h2>Flagged duties, ranked by national estimated cost</h2>",
        "<h2>Largest duplicate-data overlaps</h2>"}) {
    EXPECT_THAT(html, HasSubstr(heading));
  }
  EXPECT_THAT(html, HasSubstr("<td>National estimated cost per year, estimable duties</td>"
                              "<td class=\"num\">1 234 567 SEK</td>"));
  EXPECT_THAT(html, HasSubstr("<td>Duties not estimable (left out of the national sums)</td>"
                              "<td class=\"num\">12</td>"));
  EXPECT_THAT(html, HasSubstr("<td>ivo</td><td class=\"num\">5</td><td class=\"num\">4</td>"
                              "<td class=\"num\">60 000</td><td class=\"num\">1 000.0</td>"
                              "<td class=\"num\">400 000</td><td class=\"num\">50.0 %</td>"
                              "<td class=\"num\">1 000 000</td><td class=\"num\">3</td>"));
  const size_t first = html.find("<article class=\"duty\" id=\"flagged-1\">");
  const size_t second = html.find("<article class=\"duty\" id=\"flagged-2\">");
  const size_t third = html.find("<article class=\"duty\" id=\"flagged-3\">");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  ASSERT_NE(third, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_THAT(html.substr(first, second - first), HasSubstr("<code>ivo-lex-sarah</code>"));
  EXPECT_THAT(html.substr(second, third - second), HasSubstr("<code>skl|väst</code>"));
  EXPECT_THAT(html, HasSubstr("750.0 hours per year (90 % interval 700.0–800.1), 300 000 SEK "
                              "per year (280 016–320 024 SEK); staff hours per year over the "
                              "290 municipalities"));
  EXPECT_THAT(html.substr(second, third - second),
              HasSubstr("<dd>not estimable: 1 municipality of 290 reported; at least 5 are "
                        "needed ("));
  // No 0 in a national column for a duty without an estimate.
  EXPECT_THAT(html, HasSubstr("<td>not estimable</td>"));
}

TEST(ArenaReportHtmlTest, AnEmptyReportHasNoChartsButSaysWhy) {
  const std::string html = RenderArenaReport(EmptyReport(), ReportFormat::kHtml);
  EXPECT_THAT(html, Not(HasSubstr("<svg")));
  EXPECT_THAT(html, HasSubstr("<p>No duty is flagged.</p>"));
  EXPECT_THAT(html, HasSubstr("<p>No reports yet.</p>"));
}

// ---------------------------------------------------------------------------
// Hostile text in every format: control and bidirectional formatting
// characters, formulas for a spreadsheet, markup.

// Raw byte sequences that must not appear in any rendering of client text.
const std::vector<std::pair<std::string, std::string>>& UnsafeSequences() {
  static const auto* sequences = new std::vector<std::pair<std::string, std::string>>{
      {"NUL", std::string("\0", 1)}, {"BEL", "\x07"},          {"ESC", "\x1b"},
      {"DEL", "\x7f"},               {"NEL (C1)", "\xc2\x85"}, {"CSI (C1)", "\xc2\x9b"},
      {"RLO", "\xe2\x80\xae"},       {"LRI", "\xe2\x81\xa6"},  {"RLM", "\xe2\x80\x8f"}};
  return *sequences;
}

// Every unsafe sequence, between letters.
std::string ControlSoup() {
  std::string text = "start";
  for (const auto& [name, bytes] : UnsafeSequences()) absl::StrAppend(&text, bytes, name);
  return text;
}

constexpr char kHyperlink[] = "=HYPERLINK(\"http://x\",\"y\")";
constexpr char kScript[] = "<script>alert(1)</script>";

// ---------------------------------------------------------------------------
// Swedish, the report's default language.
ArenaReport SwedishReport() {
  ArenaReport r = MakeReport();
  r.language = ReportLanguage::kSwedish;
  r.flagged[0].flags[1].reason_sv = "Uppgiftskravet anger inget syfte.";
  return r;
}

TEST(ArenaReportSwedishTest, ParsesLanguageCodes) {
  EXPECT_EQ(ParseReportLanguage("sv"), ReportLanguage::kSwedish);
  EXPECT_EQ(ParseReportLanguage(" SV-se "), ReportLanguage::kSwedish);
  EXPECT_EQ(ParseReportLanguage("en"), ReportLanguage::kEnglish);
  EXPECT_EQ(ParseReportLanguage("en-GB"), ReportLanguage::kEnglish);
  EXPECT_EQ(ParseReportLanguage("fr"), std::nullopt);
  EXPECT_EQ(ParseReportLanguage(""), std::nullopt);
  EXPECT_EQ(ParseReportLanguage("svenska"), std::nullopt);
  EXPECT_EQ(ArenaReport().language, ReportLanguage::kSwedish);  // the default
}

TEST(ArenaReportSwedishTest, MarkdownSpeaksSwedishWithSwedishNumbers) {
  const std::string md = RenderArenaReport(SwedishReport(), ReportFormat::kMarkdown);
  EXPECT_THAT(md, StartsWith("# Statens uppgiftskrav på kommunerna: underlag för "
                             "utvecklingsarenan\n"));
  EXPECT_THAT(md, HasSubstr("Taxa: **400 kr per timme**."));
  EXPECT_THAT(md, HasSubstr("## Sammanfattning"));
  EXPECT_THAT(md, HasSubstr("| Uppmätt personaltid, timmar | 1 234,6 |"));  // decimal comma
  EXPECT_THAT(md, HasSubstr("| Andel av uppmätta minuter på flaggade uppgiftskrav | 42,6 % |"));
  EXPECT_THAT(md, HasSubstr("| Uppmätt kostnad | 493 827 kr |"));
  EXPECT_THAT(md, HasSubstr("| Socialtjänst | 5 | 4 | 60 000 | 1 000,0 |"));
  EXPECT_THAT(md, HasSubstr("## Flaggade uppgiftskrav, efter nationell skattad kostnad"));
  EXPECT_THAT(md, HasSubstr("- Myndighet: ivo; sektor: Socialtjänst; frekvens: kvartalsvis"));
  EXPECT_THAT(md, HasSubstr("- Uppmätt: 4 inrapporteringar från 2 kommuner, 1 000 minuter "
                            "(median 155,3 per inrapportering), 16,7 timmar, 6 667 kr"));
  EXPECT_THAT(md, HasSubstr("| Syfte saknas (NO_STATED_PURPOSE) | Uppgiftskravet anger inget "
                            "syfte. |"));
  // A rule without Swedish words keeps its English reason rather than none.
  EXPECT_THAT(md, HasSubstr("| Författningsstöd saknas (NO_LEGAL_BASIS) | No recognisable"));
  EXPECT_THAT(md, HasSubstr("går inte att skatta"));
  EXPECT_THAT(md, HasSubstr("## Metod"));
  EXPECT_THAT(md, HasSubstr("Syfte saknas (NO_STATED_PURPOSE): Uppgiftskravet anger inget "
                            "syfte"));
  for (const char* english : {"Totals", "Reports", "Flagged duties", "SEK", "Method"}) {
    EXPECT_THAT(md, Not(HasSubstr(english))) << english;
  }
}

TEST(ArenaReportSwedishTest, HtmlDeclaresSwedish) {
  const std::string html = RenderArenaReport(SwedishReport(), ReportFormat::kHtml);
  EXPECT_THAT(html, StartsWith("<!DOCTYPE html>\n<html lang=\"sv\">"));
  EXPECT_THAT(html, HasSubstr("<h2>Utveckling per år</h2>"));
  EXPECT_THAT(html, HasSubstr("<h2>Uppgiftskrav utan inrapporteringar</h2>"));
  EXPECT_THAT(html, HasSubstr(">300 000 kr</text>"));  // the bar's printed figure
  EXPECT_THAT(html, HasSubstr("<th scope=\"col\">Myndighet</th>"));
}

TEST(ArenaReportSwedishTest, IllustrativeDataSaysSoInEveryFormat) {
  ArenaReport report = SwedishReport();
  report.illustrative = true;
  const std::string md = RenderArenaReport(report, ReportFormat::kMarkdown);
  EXPECT_THAT(md, StartsWith("# Statens uppgiftskrav på kommunerna: underlag för "
                             "utvecklingsarenan (illustrativa data)\n"));
  // Under the title and under every section heading.
  size_t headings = 0, notices = 0;
  for (size_t at = md.find("\n## "); at != std::string::npos; at = md.find("\n## ", at + 1)) {
    ++headings;
  }
  for (size_t at = md.find("> **Illustrativa data:"); at != std::string::npos;
       at = md.find("> **Illustrativa data:", at + 1)) {
    ++notices;
  }
  EXPECT_GE(headings, 7u);
  EXPECT_EQ(notices, headings + 1);

  const auto records = ReadCsv(RenderArenaReport(report, ReportFormat::kCsv));
  ASSERT_TRUE(records.has_value());
  const CsvRows rows(*records);
  std::map<std::string, std::string> scalars;
  for (const auto& row : rows.Section("report")) scalars[rows.Get(row, "name")] = rows.Get(row, "value");
  EXPECT_EQ(scalars["illustrative"], "true");
  EXPECT_EQ(scalars["language"], "sv");
  EXPECT_THAT(scalars["title"], HasSubstr("(illustrativa data)"));

  const std::optional<Json> json = JsonParser::Parse(RenderArenaReport(report, ReportFormat::kJson));
  ASSERT_TRUE(json.has_value());
  EXPECT_EQ((*json)["illustrative"].type, Json::Type::kBool);
  EXPECT_THAT((*json)["title"].text, HasSubstr("(illustrativa data)"));

  report.language = ReportLanguage::kEnglish;
  EXPECT_THAT(RenderArenaReport(report, ReportFormat::kHtml),
              HasSubstr("<h1>Reporting burden on municipalities: evidence for the "
                        "utvecklingsarena (illustrative data)</h1>"));
}

TEST(ArenaReportRenderTest, NoEstimableDutyGivesNoNationalSumNotAZero) {
  ArenaReport report = SwedishReport();
  report.not_estimable_duties = report.duties;
  report.flagged_not_estimable_duties = report.flagged_duties;
  report.totals.national_cost_sek = 0;
  report.flagged_national_cost_sek = 0;
  const std::string md = RenderArenaReport(report, ReportFormat::kMarkdown);
  EXPECT_THAT(md, HasSubstr("| Nationell skattad kostnad per år, skattningsbara uppgiftskrav | – |"));
  EXPECT_THAT(md, HasSubstr("| Nationell skattad kostnad per år, skattningsbara flaggade "
                            "uppgiftskrav | – |"));
  const std::string html = RenderArenaReport(report, ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("<li><span class=\"figure\">–</span><span class=\"caption\">ingen "
                              "nationell skattning: inget av de 3 flaggade uppgiftskraven går "
                              "att skatta</span></li>"));
  EXPECT_THAT(html, Not(HasSubstr(">0 kr<")));
}

TEST(ArenaReportRenderTest, TrendUnreportedAndMethodAppearInEveryFormat) {
  ArenaReport report = MakeReport();
  report.by_year = {{"2024", "", 2, 120, 60, 2, 800, 400, 0.5},
                    {"2024", "ivo", 2, 120, 60, 2, 800, 400, 0.5}};
  report.unreported = {{"utan-rapporter", "scb", "Ingen har rapporterat", Sector::kFinance,
                        Frequency::kAnnual, {"NO_STATED_PURPOSE"}}};
  report.method.estimate_min_municipalities = 5;
  report.method.bootstrap_resamples = 1000;
  report.method.municipalities_reported = 5;
  report.method.groups_covered = 3;
  report.method.groups_total = 9;
  report.method.first_period = "2024";
  report.method.last_period = "2025Q2";
  report.method.unverified_legal_basis = {"ivo-lex-sarah"};
  const std::string md = RenderArenaReport(report, ReportFormat::kMarkdown);
  EXPECT_THAT(md, HasSubstr("| 2024 | all | 2 | 2.0 | 800 | 400 | 50.0 % |"));
  EXPECT_THAT(md, HasSubstr("| 2024 | ivo | 2 | 2.0 | 800 | 400 | 50.0 % |"));
  EXPECT_THAT(md, HasSubstr("| utan-rapporter | scb | Ingen har rapporterat | Finance | "
                            "NO_STATED_PURPOSE |"));
  EXPECT_THAT(md, HasSubstr("Coverage: 5 of 290 municipalities reported, in 3 of 9 "
                            "municipality groups; periods measured: 2024–2025Q2."));
  EXPECT_THAT(md, HasSubstr("1 000 resamples"));
  EXPECT_THAT(md, HasSubstr("unverified (shown beside each duty, not flagged): ivo-lex-sarah."));
  EXPECT_THAT(md, HasSubstr("No feedback to the municipalities (NO_FEEDBACK): At least 50.0 % "
                            "of the period's reports that answered (and at least 10 answers)"));

  const auto records = ReadCsv(RenderArenaReport(report, ReportFormat::kCsv));
  ASSERT_TRUE(records.has_value());
  const CsvRows rows(*records);
  const auto years = rows.Section("year");
  ASSERT_EQ(years.size(), 2u);
  EXPECT_EQ(rows.Get(years[0], "period"), "2024");
  EXPECT_EQ(rows.Get(years[0], "key"), "total");
  EXPECT_EQ(rows.Get(years[0], "flagged_minutes"), "60");
  EXPECT_EQ(rows.Get(years[0], "flagged_cost_sek"), "400");
  EXPECT_EQ(rows.Get(years[1], "agency_id"), "ivo");
  const auto unreported = rows.Section("unreported_duty");
  ASSERT_EQ(unreported.size(), 1u);
  EXPECT_EQ(rows.Get(unreported[0], "sector"), "finance");

  const std::optional<Json> json = JsonParser::Parse(RenderArenaReport(report, ReportFormat::kJson));
  ASSERT_TRUE(json.has_value());
  EXPECT_EQ((*json)["by_year"][1]["agency_id"].text, "ivo");
  EXPECT_EQ((*json)["unreported"][0]["duty_id"].text, "utan-rapporter");
  EXPECT_EQ((*json)["method"]["groups_covered"].number, 3);
  EXPECT_EQ((*json)["method"]["unverified_legal_basis"][0].text, "ivo-lex-sarah");

  // Listed, never drawn: no bar for a duty without reports.
  const std::string html = RenderArenaReport(report, ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("<code>utan-rapporter</code>"));
  EXPECT_THAT(html, Not(HasSubstr("data-duty=\"utan-rapporter\"")));
}

// One flagged duty whose every text field is hostile; the evidence holds
// a negative figure the project writes itself.
ArenaReport HostileReport() {
  ArenaReport r = EmptyReport();
  r.by_agency = {BurdenRow("+1", 1, 60, 1, 0, 100)};
  ArenaFlaggedDuty d;
  d.account.duty_id = "hostile";
  d.account.agency_id = "@SUM(A1)";
  d.account.title = kHyperlink;
  d.account.sector = Sector::kSchool;
  d.account.frequency = Frequency::kAnnual;
  d.account.flag_codes = {"NO_STATED_PURPOSE"};
  d.legal_basis = "-2+3";
  d.notes = ControlSoup();
  d.source_url = kScript;
  d.flags = {MakeFlag("NO_STATED_PURPOSE", absl::StrCat("reason ", ControlSoup(), " ", kScript),
                      {{"difference", "-12.5"}, {"comment", kScript}})};
  // The municipalities' own words, as hostile as the rest.
  d.comments = {{"0180", "2025", kHyperlink},
                {"1283", "2025Q1", absl::StrCat(kScript, " | *bold* ", ControlSoup())}};
  r.flagged = {d};
  ArenaDecision decision;
  decision.duty_id = "hostile";
  decision.title = kHyperlink;
  decision.agency_id = "@SUM(A1)";
  decision.agency_name = absl::StrCat("+", kScript);
  decision.kind = DecisionKind::kMerge;
  decision.reason = absl::StrCat("reason ", ControlSoup(), " ", kScript);
  decision.decided_on = "2025-07-01";
  decision.merge_into = kHyperlink;
  r.decisions = {decision};
  return r;
}

// ---------------------------------------------------------------------------
// Decisions on duties in force: the decision and the measured burden per
// year before and after it.

constexpr char kDecisionReason[] = "Uppgifterna finns redan i <b>Kolada</b> & SCB";

ArenaDecisionYear DecisionYear(int year, bool after, int64_t reports, int64_t minutes) {
  ArenaDecisionYear y;
  y.year = year;
  y.after = after;
  y.reports = reports;
  y.minutes = minutes;
  y.hours = minutes / 60.0;
  y.cost_sek = minutes / 60.0 * 400;
  return y;
}

// A duty withdrawn on 2025-07-01: 2024 wholly before, 2025 on both sides,
// 2026 wholly after and over by the report's date.
ArenaDecision WithdrawnDuty() {
  ArenaDecision d;
  d.duty_id = "fk-assistans";
  d.title = "Uppföljning av assistansersättning";
  d.agency_id = "fk";
  d.agency_name = "Försäkringskassan";
  d.kind = DecisionKind::kWithdraw;
  d.reason = kDecisionReason;
  d.decided_on = "2025-07-01";
  d.years = {DecisionYear(2024, false, 40, 24000), DecisionYear(2025, false, 20, 12000),
             DecisionYear(2025, true, 5, 1500), DecisionYear(2026, true, 4, 1200)};
  return d;
}

ArenaReport DecisionReport(ReportLanguage language) {
  ArenaReport r = language == ReportLanguage::kSwedish ? SwedishReport() : MakeReport();
  r.generated_on = "2027-01-15";
  r.decisions = {WithdrawnDuty()};
  return r;
}

// The text of a Markdown section, from its heading to the next one.
std::string MarkdownSection(const std::string& md, absl::string_view heading) {
  const size_t start = md.find(absl::StrCat("\n## ", heading, "\n"));
  if (start == std::string::npos) return "";
  const size_t end = md.find("\n## ", start + 1);
  return md.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

TEST(ArenaReportDecisionsTest, ChangeIsTheLastWholeYearBeforeAgainstTheFirstWholeYearAfter) {
  const std::optional<ArenaDecisionChange> change = DecisionChangeOf(WithdrawnDuty(), "2027-01-15");
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->year_before, 2024);  // 2025 before the decision is half a year
  EXPECT_EQ(change->year_after, 2026);   // and so is 2025 after it
  EXPECT_DOUBLE_EQ(change->hours_before, 400);
  EXPECT_DOUBLE_EQ(change->hours_after, 20);
  EXPECT_DOUBLE_EQ(change->change_hours, -380);
  EXPECT_DOUBLE_EQ(change->change_cost_sek, -152000);

  // 2026 still running: its reports so far are no reduction yet.
  EXPECT_EQ(DecisionChangeOf(WithdrawnDuty(), "2026-12-31"), std::nullopt);
  // No whole year before the decision.
  ArenaDecision late = WithdrawnDuty();
  late.years.erase(late.years.begin());
  EXPECT_EQ(DecisionChangeOf(late, "2027-01-15"), std::nullopt);
  // No year after it at all.
  ArenaDecision early = WithdrawnDuty();
  early.years.resize(2);
  EXPECT_EQ(DecisionChangeOf(early, "2027-01-15"), std::nullopt);
  // A decision on New Year's Day leaves its whole year after it.
  ArenaDecision new_year = WithdrawnDuty();
  new_year.decided_on = "2025-01-01";
  new_year.years = {DecisionYear(2024, false, 40, 24000), DecisionYear(2025, true, 10, 3000)};
  const std::optional<ArenaDecisionChange> from_new_year = DecisionChangeOf(new_year, "2026-02-01");
  ASSERT_TRUE(from_new_year.has_value());
  EXPECT_EQ(from_new_year->year_after, 2025);
  EXPECT_DOUBLE_EQ(from_new_year->change_hours, -350);
  // A date that is not one.
  EXPECT_EQ(DecisionChangeOf(WithdrawnDuty(), ""), std::nullopt);
}

TEST(ArenaReportDecisionsTest, MarkdownShowsTheDecisionAndEachYearBeforeAndAfterInSwedish) {
  const std::string md = RenderArenaReport(DecisionReport(ReportLanguage::kSwedish),
                                           ReportFormat::kMarkdown);
  // After the trend, before the burden by agency.
  const size_t trend = md.find("\n## Utveckling per år\n");
  const size_t decisions = md.find("\n## Beslut om gällande uppgiftskrav\n");
  const size_t agencies = md.find("\n## Börda per myndighet\n");
  ASSERT_NE(decisions, std::string::npos) << md;
  EXPECT_LT(trend, decisions);
  EXPECT_LT(decisions, agencies);
  const std::string section = MarkdownSection(md, "Beslut om gällande uppgiftskrav");
  EXPECT_THAT(section, HasSubstr("Utvecklingsarenans senaste beslut om varje gällande "
                                 "uppgiftskrav som den har prövat (behålls, förenklas, slås "
                                 "samman eller återkallas), med uppgiftskravets uppmätta börda "
                                 "per kalenderår före och efter beslutet"));
  EXPECT_THAT(section, HasSubstr("### fk-assistans: Uppföljning av assistansersättning\n\n"
                                 "- Beslut: återkallas, 2025-07-01\n"
                                 "- Myndighet: Försäkringskassan (fk)\n"
                                 "- Skäl: Uppgifterna finns redan i "
                                 "\\<b\\>Kolada\\</b\\> & SCB\n"));
  EXPECT_THAT(section, Not(HasSubstr("Slås samman med")));  // only for a merge
  EXPECT_THAT(section, HasSubstr("Uppmätt börda per år före och efter beslutet:"));
  const auto tables = MarkdownTables(section);
  ASSERT_EQ(tables.size(), 1u) << section;
  EXPECT_THAT(tables[0],
              ElementsAre(ElementsAre("År", "Före eller efter beslutet", "Inrapporteringar",
                                      "Timmar", "Kostnad (kr)"),
                          ElementsAre("---", "---", "--:", "--:", "--:"),
                          ElementsAre("2024", "före", "40", "400,0", "160 000"),
                          ElementsAre("2025", "före", "20", "200,0", "80 000"),
                          ElementsAre("2025", "efter", "5", "25,0", "10 000"),
                          ElementsAre("2026", "efter", "4", "20,0", "8 000")));
  EXPECT_THAT(section, HasSubstr("Förändring från 2024 (sista året helt före beslutet) till "
                                 "2026 (första avslutade året helt efter): −380,0 timmar per år "
                                 "(−95,0 %), −152 000 kr per år.\n"));
}

TEST(ArenaReportDecisionsTest, MarkdownInEnglish) {
  ArenaReport report = DecisionReport(ReportLanguage::kEnglish);
  ArenaDecision merged = WithdrawnDuty();
  merged.duty_id = "skv-merged";
  merged.agency_name = "";  // no register: the id alone
  merged.kind = DecisionKind::kMerge;
  merged.merge_into = "skv-annual";
  merged.reason = "";
  merged.years = {DecisionYear(2025, false, 2, 60)};
  report.decisions.push_back(merged);
  const std::string md = RenderArenaReport(report, ReportFormat::kMarkdown);
  const std::string section = MarkdownSection(md, "Decisions on duties in force");
  ASSERT_FALSE(section.empty()) << md;
  EXPECT_THAT(section, HasSubstr("- Decision: withdraw, 2025-07-01\n"
                                 "- Agency: Försäkringskassan (fk)\n"));
  EXPECT_THAT(section, HasSubstr("Measured burden per year before and after the decision:"));
  EXPECT_THAT(section, HasSubstr("| Year | Before or after the decision | Reports | Hours | "
                                 "Cost (SEK) |"));
  EXPECT_THAT(section, HasSubstr("| 2024 | before | 40 | 400.0 | 160 000 |\n"
                                 "| 2025 | before | 20 | 200.0 | 80 000 |\n"
                                 "| 2025 | after | 5 | 25.0 | 10 000 |\n"
                                 "| 2026 | after | 4 | 20.0 | 8 000 |\n"));
  EXPECT_THAT(section, HasSubstr("Change from 2024 (the last year wholly before the decision) to "
                                 "2026 (the first ended year wholly after it): −380.0 hours per "
                                 "year (−95.0 %), −152 000 SEK per year.\n"));
  EXPECT_THAT(section, HasSubstr("### skv-merged: Uppföljning av assistansersättning\n\n"
                                 "- Decision: merge, 2025-07-01\n"
                                 "- Merged into: skv-annual\n"
                                 "- Agency: fk\n"
                                 "- Reason: none stated\n"));
  EXPECT_THAT(section, HasSubstr("Change per year: not estimable; it needs reports from a "
                                 "calendar year wholly before the decision and from an ended "
                                 "calendar year wholly after it."));

  report.language = ReportLanguage::kSwedish;
  const std::string sv = RenderArenaReport(report, ReportFormat::kMarkdown);
  EXPECT_THAT(sv, HasSubstr("- Beslut: slås samman, 2025-07-01\n"
                            "- Slås samman med: skv-annual\n"
                            "- Myndighet: fk\n"
                            "- Skäl: inget angivet\n"));
  EXPECT_THAT(sv, HasSubstr("Förändring per år: kan inte beräknas; det krävs inrapporteringar "
                            "från ett kalenderår helt före beslutet och från ett avslutat "
                            "kalenderår helt efter det."));
}

TEST(ArenaReportDecisionsTest, HtmlEscapesTheReasonAndTablesTheYears) {
  const std::string html =
      RenderArenaReport(DecisionReport(ReportLanguage::kSwedish), ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("<section id=\"decisions\">\n<h2>Beslut om gällande "
                              "uppgiftskrav</h2>\n"));
  EXPECT_THAT(html, HasSubstr("<article class=\"duty decision\" id=\"decision-1\">\n"
                              "<h3><code>fk-assistans</code> Uppföljning av "
                              "assistansersättning</h3>\n"));
  EXPECT_THAT(html, HasSubstr("<dt>Beslut</dt><dd>återkallas, <time>2025-07-01</time></dd>"));
  EXPECT_THAT(html, HasSubstr("<dt>Myndighet</dt><dd>Försäkringskassan (fk)</dd>"));
  EXPECT_THAT(html, HasSubstr("<dt>Skäl</dt><dd class=\"pre\">Uppgifterna finns redan i "
                              "&lt;b&gt;Kolada&lt;/b&gt; &amp; SCB</dd>"));
  EXPECT_THAT(html, Not(HasSubstr("<b>Kolada")));
  EXPECT_THAT(html, HasSubstr("<h4>Uppmätt börda per år före och efter beslutet</h4>"));
  EXPECT_THAT(html, HasSubstr("<table class=\"decision-years\">\n<thead><tr><th scope=\"col\">År"
                              "</th><th scope=\"col\">Före eller efter beslutet</th>"));
  EXPECT_THAT(html, HasSubstr("<tr><td>2024</td><td>före</td><td class=\"num\">40</td>"
                              "<td class=\"num\">400,0</td><td class=\"num\">160 000</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<tr><td>2025</td><td>efter</td><td class=\"num\">5</td>"
                              "<td class=\"num\">25,0</td><td class=\"num\">10 000</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<p class=\"change\">Förändring från 2024 (sista året helt före "
                              "beslutet) till 2026 (första avslutade året helt efter): −380,0 "
                              "timmar per år (−95,0 %), −152 000 kr per år.</p>"));
  // The section sits between the trend and the burden by agency.
  EXPECT_LT(html.find("<section id=\"by-year\">"), html.find("<section id=\"decisions\">"));
  EXPECT_LT(html.find("<section id=\"decisions\">"), html.find("<section id=\"by-agency\">"));

  const std::string english =
      RenderArenaReport(DecisionReport(ReportLanguage::kEnglish), ReportFormat::kHtml);
  EXPECT_THAT(english, HasSubstr("<h2>Decisions on duties in force</h2>"));
  EXPECT_THAT(english, HasSubstr("<dt>Decision</dt><dd>withdraw, <time>2025-07-01</time></dd>"));
  EXPECT_THAT(english, HasSubstr("<h4>Measured burden per year before and after the "
                                 "decision</h4>"));
  EXPECT_THAT(english, HasSubstr("<tr><td>2026</td><td>after</td><td class=\"num\">4</td>"
                                 "<td class=\"num\">20.0</td><td class=\"num\">8 000</td></tr>"));
  EXPECT_THAT(english, HasSubstr("−380.0 hours per year (−95.0 %), −152 000 SEK per year."));
}

TEST(ArenaReportDecisionsTest, CsvHasADecisionRowAndARowPerYearAndSide) {
  const std::string csv =
      RenderArenaReport(DecisionReport(ReportLanguage::kEnglish), ReportFormat::kCsv);
  const auto records = ReadCsv(csv);
  ASSERT_TRUE(records.has_value()) << csv;
  EXPECT_EQ((*records)[0], kCsvColumns);
  for (const auto& record : *records) EXPECT_EQ(record.size(), kCsvColumns.size());
  std::vector<std::string> sections;
  for (size_t i = 1; i < records->size(); ++i) {
    if (sections.empty() || sections.back() != (*records)[i][0]) {
      sections.push_back((*records)[i][0]);
    }
  }
  EXPECT_THAT(sections, ElementsAre("report", "totals", "agency", "sector", "flagged_duty", "flag",
                                    "evidence", "flag", "evidence", "flagged_duty", "flag",
                                    "evidence", "flagged_duty", "flag", "decision",
                                    "decision_year", "overlap", "method"));
  const CsvRows rows(*records);
  const auto decisions = rows.Section("decision");
  ASSERT_EQ(decisions.size(), 1u);
  const auto& d = decisions[0];
  EXPECT_EQ(rows.Get(d, "rank"), "1");
  EXPECT_EQ(rows.Get(d, "key"), "fk-assistans");
  EXPECT_EQ(rows.Get(d, "agency_id"), "fk");
  EXPECT_EQ(rows.Get(d, "agency_name"), "Försäkringskassan");
  EXPECT_EQ(rows.Get(d, "title"), "Uppföljning av assistansersättning");
  EXPECT_EQ(rows.Get(d, "decision"), "withdraw");
  EXPECT_EQ(rows.Get(d, "decided_on"), "2025-07-01");
  EXPECT_EQ(rows.Get(d, "reason"), kDecisionReason);  // text as recorded
  EXPECT_EQ(rows.Get(d, "merge_into"), "");
  EXPECT_EQ(rows.Get(d, "year_before"), "2024");
  EXPECT_EQ(rows.Get(d, "year_after"), "2026");
  EXPECT_EQ(rows.Get(d, "change_hours"), "-380.0");
  EXPECT_EQ(rows.Get(d, "change_cost_sek"), "-152000");
  EXPECT_EQ(rows.Get(d, "not_estimable_reason"), "");
  const auto years = rows.Section("decision_year");
  ASSERT_EQ(years.size(), 4u);
  std::vector<std::string> read;
  for (const auto& y : years) {
    EXPECT_EQ(rows.Get(y, "rank"), "1");
    EXPECT_EQ(rows.Get(y, "key"), "fk-assistans");
    EXPECT_EQ(rows.Get(y, "agency_id"), "fk");
    read.push_back(absl::StrJoin({rows.Get(y, "period"), rows.Get(y, "side"),
                                  rows.Get(y, "reports"), rows.Get(y, "minutes"),
                                  rows.Get(y, "hours"), rows.Get(y, "cost_sek")},
                                 " "));
  }
  EXPECT_THAT(read, ElementsAre("2024 before 40 24000 400.0 160000",
                                "2025 before 20 12000 200.0 80000", "2025 after 5 1500 25.0 10000",
                                "2026 after 4 1200 20.0 8000"));

  // Not computable: the change columns empty, the reason beside them.
  ArenaReport running = DecisionReport(ReportLanguage::kSwedish);
  running.generated_on = "2026-10-01";
  const auto running_records = ReadCsv(RenderArenaReport(running, ReportFormat::kCsv));
  ASSERT_TRUE(running_records.has_value());
  const CsvRows running_rows(*running_records);
  const auto running_decision = running_rows.Section("decision");
  ASSERT_EQ(running_decision.size(), 1u);
  EXPECT_EQ(running_rows.Get(running_decision[0], "year_after"), "");
  EXPECT_EQ(running_rows.Get(running_decision[0], "change_hours"), "");
  EXPECT_THAT(running_rows.Get(running_decision[0], "not_estimable_reason"),
              StartsWith("Förändring per år: kan inte beräknas"));
}

TEST(ArenaReportDecisionsTest, JsonHasTheDecisionTheYearsAndTheChange) {
  const std::optional<Json> parsed = JsonParser::Parse(
      RenderArenaReport(DecisionReport(ReportLanguage::kEnglish), ReportFormat::kJson));
  ASSERT_TRUE(parsed.has_value());
  const Json& decisions = (*parsed)["decisions"];
  ASSERT_EQ(decisions.items.size(), 1u);
  const Json& d = decisions[0];
  EXPECT_THAT(d.Keys(), ElementsAre("duty_id", "title", "agency_id", "agency_name", "kind",
                                    "reason", "decided_on", "merge_into", "years", "change"));
  EXPECT_EQ(d["duty_id"].text, "fk-assistans");
  EXPECT_EQ(d["agency_name"].text, "Försäkringskassan");
  EXPECT_EQ(d["kind"].text, "withdraw");
  EXPECT_EQ(d["reason"].text, kDecisionReason);
  EXPECT_EQ(d["decided_on"].text, "2025-07-01");
  ASSERT_EQ(d["years"].items.size(), 4u);
  EXPECT_THAT(d["years"][1].Keys(),
              ElementsAre("year", "after", "reports", "minutes", "hours", "cost_sek"));
  EXPECT_EQ(d["years"][1]["year"].type, Json::Type::kNumber);
  EXPECT_EQ(d["years"][1]["year"].number, 2025);
  EXPECT_EQ(d["years"][1]["after"].type, Json::Type::kBool);
  EXPECT_FALSE(d["years"][1]["after"].boolean);
  EXPECT_TRUE(d["years"][2]["after"].boolean);
  EXPECT_EQ(d["years"][2]["hours"].text, "25.0");
  EXPECT_EQ(d["years"][2]["cost_sek"].text, "10000");
  const Json& change = d["change"];
  EXPECT_THAT(change.Keys(), ElementsAre("year_before", "year_after", "hours_before",
                                         "hours_after", "change_hours", "change_cost_sek"));
  EXPECT_EQ(change["year_before"].number, 2024);
  EXPECT_EQ(change["year_after"].number, 2026);
  EXPECT_EQ(change["change_hours"].text, "-380.0");
  EXPECT_EQ(change["change_cost_sek"].text, "-152000");

  ArenaReport running = DecisionReport(ReportLanguage::kEnglish);
  running.generated_on = "2026-10-01";
  const std::optional<Json> not_yet =
      JsonParser::Parse(RenderArenaReport(running, ReportFormat::kJson));
  ASSERT_TRUE(not_yet.has_value());
  EXPECT_EQ((*not_yet)["decisions"][0]["change"].type, Json::Type::kNull);
}

TEST(ArenaReportDecisionsTest, NoDecisionSaysNoneIsRecordedInEveryFormat) {
  const ArenaReport empty = EmptyReport();
  EXPECT_THAT(MarkdownSection(RenderArenaReport(empty, ReportFormat::kMarkdown),
                              "Decisions on duties in force"),
              HasSubstr("No decisions on duties in force are recorded.\n"));
  EXPECT_THAT(RenderArenaReport(empty, ReportFormat::kHtml),
              HasSubstr("<h2>Decisions on duties in force</h2>\n<p>No decisions on duties in "
                        "force are recorded.</p>\n</section>"));
  ArenaReport swedish = EmptyReport();
  swedish.language = ReportLanguage::kSwedish;
  EXPECT_THAT(MarkdownSection(RenderArenaReport(swedish, ReportFormat::kMarkdown),
                              "Beslut om gällande uppgiftskrav"),
              HasSubstr("Inga beslut om gällande uppgiftskrav har registrerats.\n"));
  EXPECT_THAT(RenderArenaReport(swedish, ReportFormat::kHtml),
              HasSubstr("<p>Inga beslut om gällande uppgiftskrav har registrerats.</p>"));
  const std::optional<Json> json = JsonParser::Parse(RenderArenaReport(empty, ReportFormat::kJson));
  ASSERT_TRUE(json.has_value());
  EXPECT_EQ((*json)["decisions"].type, Json::Type::kArray);
  EXPECT_TRUE((*json)["decisions"].items.empty());
  const auto records = ReadCsv(RenderArenaReport(empty, ReportFormat::kCsv));
  ASSERT_TRUE(records.has_value());
  EXPECT_TRUE(CsvRows(*records).Section("decision").empty());
}

TEST(ArenaReportDecisionsTest, HostileDecisionTextIsInertInEveryFormat) {
  const ArenaReport report = HostileReport();
  const std::string html = RenderArenaReport(report, ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("<dt>Merged into</dt><dd><code>=HYPERLINK(&quot;http://x&quot;,"
                              "&quot;y&quot;)</code></dd>"));
  EXPECT_THAT(html, HasSubstr("<dd>+&lt;script&gt;alert(1)&lt;/script&gt; (@SUM(A1))</dd>"));
  const std::string md = RenderArenaReport(report, ReportFormat::kMarkdown);
  EXPECT_THAT(md, HasSubstr("- Agency: +\\<script\\>alert(1)\\</script\\> (@SUM(A1))\n"));
  const auto records = ReadCsv(RenderArenaReport(report, ReportFormat::kCsv));
  ASSERT_TRUE(records.has_value());
  const CsvRows rows(*records);
  const auto decisions = rows.Section("decision");
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(rows.Get(decisions[0], "title"), "'=HYPERLINK(\"http://x\",\"y\")");
  EXPECT_EQ(rows.Get(decisions[0], "merge_into"), "'=HYPERLINK(\"http://x\",\"y\")");
  EXPECT_EQ(rows.Get(decisions[0], "agency_name"), absl::StrCat("'+", kScript));
  const std::optional<Json> json =
      JsonParser::Parse(RenderArenaReport(report, ReportFormat::kJson));
  ASSERT_TRUE(json.has_value());
  EXPECT_EQ((*json)["decisions"][0]["reason"].text,
            absl::StrCat("reason ", ControlSoup(), " ", kScript));  // exact
}

TEST(ArenaReportHostileTextTest, CommentsAreQuotedAsTextInEveryFormat) {
  const ArenaReport report = HostileReport();
  const std::string html = RenderArenaReport(report, ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("<q class=\"pre\">=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)"
                              "</q>"));
  EXPECT_THAT(html, HasSubstr("<q class=\"pre\">&lt;script&gt;alert(1)&lt;/script&gt; | *bold* "
                              "start\uFFFDNUL"));
  const std::string markdown = RenderArenaReport(report, ReportFormat::kMarkdown);
  EXPECT_THAT(markdown, HasSubstr("- 0180, 2025: «=HYPERLINK(\"http://x\",\"y\")»"));
  EXPECT_THAT(markdown, HasSubstr("- 1283, 2025Q1: «\\<script\\>alert(1)\\</script\\> \\| "
                                  "\\*bold\\* start\uFFFDNUL"));
  const auto records = ReadCsv(RenderArenaReport(report, ReportFormat::kCsv));
  ASSERT_TRUE(records.has_value());
  const CsvRows rows(*records);
  const auto comments = rows.Section("comment");
  ASSERT_EQ(comments.size(), 2u);
  EXPECT_EQ(rows.Get(comments[0], "key"), "hostile");
  EXPECT_EQ(rows.Get(comments[0], "name"), "0180");
  EXPECT_EQ(rows.Get(comments[0], "period"), "2025");
  EXPECT_EQ(rows.Get(comments[0], "value"), "'=HYPERLINK(\"http://x\",\"y\")");  // no formula
  EXPECT_THAT(rows.Get(comments[1], "value"), StartsWith(kScript));
  const std::optional<Json> json =
      JsonParser::Parse(RenderArenaReport(report, ReportFormat::kJson));
  ASSERT_TRUE(json.has_value());
  EXPECT_EQ((*json)["flagged"][0]["comments"][0]["comment"].text, kHyperlink);  // exact
}

TEST(ArenaReportHostileTextTest, NoControlOrBidiCharacterSurvivesInAnyFormat) {
  const ArenaReport report = HostileReport();
  for (ReportFormat format :
       {ReportFormat::kMarkdown, ReportFormat::kCsv, ReportFormat::kJson, ReportFormat::kHtml}) {
    const std::string document = RenderArenaReport(report, format);
    for (const auto& [name, bytes] : UnsafeSequences()) {
      EXPECT_THAT(document, Not(HasSubstr(bytes))) << name << " in " << ReportFormatName(format);
    }
  }
}

TEST(ArenaReportHostileTextTest, HumanFormatsShowControlsAsReplacementCharacters) {
  const ArenaReport report = HostileReport();
  const std::string shown = "start\uFFFDNUL\uFFFDBEL\uFFFDESC\uFFFDDEL\uFFFDNEL (C1)";
  EXPECT_THAT(RenderArenaReport(report, ReportFormat::kHtml), HasSubstr(shown));
  EXPECT_THAT(RenderArenaReport(report, ReportFormat::kMarkdown), HasSubstr(shown));
}

TEST(ArenaReportHostileTextTest, JsonEscapesControlsAndKeepsTheirValue) {
  const std::string json = RenderArenaReport(HostileReport(), ReportFormat::kJson);
  EXPECT_THAT(json, HasSubstr("start\\u0000NUL\\u0007BEL\\u001bESC\\u007fDEL\\u0085NEL (C1)"
                              "\\u009bCSI (C1)\\u202eRLO\\u2066LRI\\u200fRLM"));
}

TEST(ArenaReportHostileTextTest, HtmlAndMarkdownShowMarkupAsText) {
  const ArenaReport report = HostileReport();
  const std::string html = RenderArenaReport(report, ReportFormat::kHtml);
  EXPECT_THAT(absl::AsciiStrToLower(html), Not(HasSubstr("<script")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  const std::string markdown = RenderArenaReport(report, ReportFormat::kMarkdown);
  for (size_t at = markdown.find('<'); at != std::string::npos; at = markdown.find('<', at + 1)) {
    EXPECT_TRUE(at > 0 && markdown[at - 1] == '\\') << markdown.substr(at, 40);  // escaped
  }
  EXPECT_THAT(markdown, HasSubstr("\\<script\\>alert(1)\\</script\\>"));
}

TEST(ArenaReportHostileTextTest, CsvCellsThatLookLikeFormulasAreQuotedWithALeadingQuote) {
  const std::string csv = RenderArenaReport(HostileReport(), ReportFormat::kCsv);
  // OWASP: the cell starts with ' and is quoted.
  EXPECT_THAT(csv, HasSubstr(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","));
  EXPECT_THAT(csv, HasSubstr(",\"'@SUM(A1)\","));
  EXPECT_THAT(csv, HasSubstr(",\"'-2+3\","));
  EXPECT_THAT(csv, HasSubstr("agency,1,\"'+1\","));
  const auto records = ReadCsv(csv);
  ASSERT_TRUE(records.has_value()) << csv;
  const CsvRows rows(*records);
  const auto flagged = rows.Section("flagged_duty");
  ASSERT_EQ(flagged.size(), 1u);
  EXPECT_EQ(rows.Get(flagged[0], "title"), "'=HYPERLINK(\"http://x\",\"y\")");
  EXPECT_EQ(rows.Get(flagged[0], "agency_id"), "'@SUM(A1)");
  EXPECT_EQ(rows.Get(flagged[0], "legal_basis"), "'-2+3");
  EXPECT_EQ(rows.Get(flagged[0], "source_url"), kScript);  // text, not a formula
  const auto evidence = rows.Section("evidence");
  ASSERT_EQ(evidence.size(), 2u);
  EXPECT_EQ(rows.Get(evidence[0], "value"), "-12.5");  // a number stays a number
  // No cell of the whole file starts with a formula character unquoted.
  for (const auto& record : *records) {
    for (const std::string& cell : record) {
      if (cell.empty() || cell == "-12.5") continue;
      EXPECT_EQ(std::string("=+-@\t\r").find(cell[0]), std::string::npos) << cell;
    }
  }
}

}  // namespace
}  // namespace inrapport
