// The arena report as one RFC 4180 table: a leading `section` column says
// what each row is, so one file holds everything and a spreadsheet filter on
// that column shows one table at a time. Columns a section has no use for
// are empty.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/csv/csv.h"
#include "common/domain/lifecycle.h"
#include "common/domain/types.h"
#include "common/report/arena_report.h"
#include "common/report/render_internal.h"

namespace inrapport::report_internal {
namespace {

enum Column {
  kSection,
  kRank,
  kKey,
  kAgencyId,
  kTitleColumn,
  kSector,
  kFrequency,
  kReports,
  kMunicipalities,
  kMinutes,
  kMedianMinutes,
  kHours,
  kCostSek,
  kFlaggedShare,
  kReportsPerMunicipalityPerYear,
  kNationalHours,
  kNationalCostSek,
  kNationalHoursLow,
  kNationalHoursHigh,
  kNationalCostSekLow,
  kNationalCostSekHigh,
  kNationalBasis,
  kNotEstimableReason,
  kNotEstimableDuties,
  kEstimatedMinutesPerReport,
  kRecordedUses,
  kFlagCodes,
  kFlagCode,
  kReason,
  kName,
  kValue,
  kLegalBasis,
  kLegalReferences,
  kSourceUrl,
  kNotes,
  kOtherDutyId,
  kOtherAgencyId,
  kSharedItems,
  kItemCount,
  kOverlapMinutes,
  kOverlapCostSek,
  kPeriod,
  kFlaggedMinutes,
  kFlaggedCostSek,
  kDecision,
  kDecidedOn,
  kMergeInto,
  kAgencyName,
  kSide,
  kYearBefore,
  kYearAfter,
  kChangeHours,
  kChangeCostSek,
  kColumnCount,
};

// In the order of the enum; docs/ lists them for readers of the file.
constexpr const char* kColumnNames[kColumnCount] = {
    "section",
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
    "change_cost_sek",
};

// Lists inside one field.
constexpr absl::string_view kListSeparator = "; ";

using Fields = std::vector<std::string>;

Fields NewRow(absl::string_view section) {
  Fields row(kColumnCount);
  row[kSection] = std::string(section);
  return row;
}

// Every field through the project's one CSV writer (CsvField): client text
// is neutralised and a formula-like cell quoted with a leading '.
void AppendRow(std::string* out, const Fields& row) {
  absl::StrAppend(out, CsvLine(row), "\r\n");  // RFC 4180 line break
}

void BurdenFields(const ArenaBurdenRow& r, Fields* row) {
  (*row)[kKey] = r.key;
  (*row)[kTitleColumn] = r.label;
  (*row)[kReports] = absl::StrCat(r.reports);
  (*row)[kMunicipalities] = absl::StrCat(r.municipalities);
  (*row)[kMinutes] = absl::StrCat(r.minutes);
  (*row)[kHours] = Hours(r.hours);
  (*row)[kCostSek] = Sek(r.cost_sek);
  (*row)[kFlaggedShare] = Share(r.flagged_share);
  (*row)[kNationalCostSek] = Sek(r.national_cost_sek);
  (*row)[kNotEstimableDuties] = absl::StrCat(r.not_estimable_duties);
}

}  // namespace

std::string RenderCsv(const ArenaReport& r) {
  std::string out;
  AppendRow(&out, Fields(std::begin(kColumnNames), std::end(kColumnNames)));

  const std::pair<const char*, std::string> scalars[] = {
      {"generated_on", r.generated_on},
      {"language", std::string(ReportLanguageCode(r.language))},
      {"illustrative", r.illustrative ? "true" : "false"},
      {"title", Title(r)},
      {"period_from", r.period_from},
      {"period_to", r.period_to},
      {"tariff_sek_per_hour", Tariff(r.tariff_sek_per_hour)},
      {"duties", absl::StrCat(r.duties)},
      {"flagged_duties", absl::StrCat(r.flagged_duties)},
      {"recorded_uses", absl::StrCat(r.recorded_uses)},
      {"flagged_national_cost_sek", Sek(r.flagged_national_cost_sek)},
      {"not_estimable_duties", absl::StrCat(r.not_estimable_duties)},
      {"flagged_not_estimable_duties", absl::StrCat(r.flagged_not_estimable_duties)},
  };
  for (const auto& [name, value] : scalars) {
    Fields row = NewRow("report");
    row[kName] = name;
    row[kValue] = value;
    AppendRow(&out, row);
  }

  Fields totals = NewRow("totals");
  BurdenFields(r.totals, &totals);
  AppendRow(&out, totals);
  const std::pair<const char*, const std::vector<ArenaBurdenRow>*> tables[] = {
      {"agency", &r.by_agency}, {"sector", &r.by_sector}};
  for (const auto& [section, rows] : tables) {
    for (size_t i = 0; i < rows->size(); ++i) {
      Fields row = NewRow(section);
      row[kRank] = absl::StrCat(i + 1);
      BurdenFields((*rows)[i], &row);
      AppendRow(&out, row);
    }
  }

  for (size_t i = 0; i < r.flagged.size(); ++i) {
    const ArenaFlaggedDuty& duty = r.flagged[i];
    const DutyAccount& a = duty.account;
    const std::string rank = absl::StrCat(i + 1);
    Fields row = NewRow("flagged_duty");
    row[kRank] = rank;
    row[kKey] = a.duty_id;
    row[kAgencyId] = a.agency_id;
    row[kTitleColumn] = a.title;
    row[kSector] = std::string(SectorName(a.sector));
    row[kFrequency] = std::string(FrequencyName(a.frequency));
    row[kReports] = absl::StrCat(a.reports);
    row[kMunicipalities] = absl::StrCat(a.municipalities);
    row[kMinutes] = absl::StrCat(a.minutes);
    row[kMedianMinutes] = a.median_minutes ? Minutes(*a.median_minutes) : "";
    row[kHours] = Hours(a.hours);
    row[kCostSek] = Sek(a.cost_sek);
    row[kReportsPerMunicipalityPerYear] = PerYear(a.reports_per_municipality_per_year);
    // Empty when not estimable, with the reason beside them.
    const NationalEstimate& e = a.national;
    row[kNationalHours] = EstimateHours(e, a.national_hours);
    row[kNationalCostSek] = EstimateSek(e, a.national_cost_sek);
    row[kNationalHoursLow] = EstimateHours(e, e.hours_per_year_low);
    row[kNationalHoursHigh] = EstimateHours(e, e.hours_per_year_high);
    row[kNationalCostSekLow] = EstimateSek(e, e.cost_sek_per_year_low);
    row[kNationalCostSekHigh] = EstimateSek(e, e.cost_sek_per_year_high);
    const bool sv = r.language == ReportLanguage::kSwedish;
    row[kNationalBasis] = sv ? e.basis_sv : e.basis;
    row[kNotEstimableReason] = sv ? e.not_estimable_reason_sv : e.not_estimable_reason;
    row[kEstimatedMinutesPerReport] = Minutes(a.estimated_minutes_per_report);
    row[kRecordedUses] = absl::StrCat(a.recorded_uses);
    row[kFlagCodes] = absl::StrJoin(a.flag_codes, kListSeparator);
    row[kLegalBasis] = duty.legal_basis;
    row[kLegalReferences] = absl::StrJoin(duty.legal_references, kListSeparator);
    row[kSourceUrl] = duty.source_url;
    row[kNotes] = duty.notes;
    AppendRow(&out, row);
    for (const Flag& flag : duty.flags) {
      Fields flag_row = NewRow("flag");
      flag_row[kRank] = rank;
      flag_row[kKey] = a.duty_id;
      flag_row[kAgencyId] = a.agency_id;
      flag_row[kFlagCode] = flag.code;
      flag_row[kReason] = ReasonIn(flag, r.language);
      AppendRow(&out, flag_row);
      for (const auto& [name, value] : flag.evidence) {
        Fields evidence = NewRow("evidence");
        evidence[kRank] = rank;
        evidence[kKey] = a.duty_id;
        evidence[kAgencyId] = a.agency_id;
        evidence[kFlagCode] = flag.code;
        evidence[kName] = name;
        evidence[kValue] = value;
        AppendRow(&out, evidence);
      }
    }
  }

  for (size_t i = 0; i < r.flagged.size(); ++i) {
    for (const ArenaComment& c : r.flagged[i].comments) {
      Fields row = NewRow("comment");
      row[kRank] = absl::StrCat(i + 1);
      row[kKey] = r.flagged[i].account.duty_id;
      row[kAgencyId] = r.flagged[i].account.agency_id;
      row[kName] = c.municipality_code;
      row[kPeriod] = c.period;
      row[kValue] = c.comment;
      AppendRow(&out, row);
    }
  }

  for (const ArenaYearRow& y : r.by_year) {
    Fields row = NewRow("year");
    row[kPeriod] = y.year;
    row[kKey] = y.agency_id.empty() ? "total" : y.agency_id;
    row[kAgencyId] = y.agency_id;
    row[kReports] = absl::StrCat(y.reports);
    row[kMinutes] = absl::StrCat(y.minutes);
    row[kFlaggedMinutes] = absl::StrCat(y.flagged_minutes);
    row[kHours] = Hours(y.hours);
    row[kCostSek] = Sek(y.cost_sek);
    row[kFlaggedCostSek] = Sek(y.flagged_cost_sek);
    row[kFlaggedShare] = Share(y.flagged_share);
    AppendRow(&out, row);
  }

  for (size_t i = 0; i < r.decisions.size(); ++i) {
    const ArenaDecision& d = r.decisions[i];
    const std::string rank = absl::StrCat(i + 1);
    Fields row = NewRow("decision");
    row[kRank] = rank;
    row[kKey] = d.duty_id;
    row[kAgencyId] = d.agency_id;
    row[kAgencyName] = d.agency_name;
    row[kTitleColumn] = d.title;
    row[kDecision] = std::string(DecisionKindName(d.kind));
    row[kDecidedOn] = d.decided_on;
    row[kReason] = d.reason;
    row[kMergeInto] = d.merge_into;
    // Empty when the change cannot be computed, with the reason beside them.
    if (const std::optional<ArenaDecisionChange> c = DecisionChangeOf(d, r.generated_on)) {
      row[kYearBefore] = absl::StrCat(c->year_before);
      row[kYearAfter] = absl::StrCat(c->year_after);
      row[kChangeHours] = Hours(c->change_hours);
      row[kChangeCostSek] = Sek(c->change_cost_sek);
    } else {
      row[kNotEstimableReason] = DecisionChangeText(d, r);
    }
    AppendRow(&out, row);
    for (const ArenaDecisionYear& y : d.years) {
      Fields year = NewRow("decision_year");
      year[kRank] = rank;
      year[kKey] = d.duty_id;
      year[kAgencyId] = d.agency_id;
      year[kPeriod] = absl::StrCat(y.year);
      year[kSide] = y.after ? "after" : "before";
      year[kReports] = absl::StrCat(y.reports);
      year[kMinutes] = absl::StrCat(y.minutes);
      year[kHours] = Hours(y.hours);
      year[kCostSek] = Sek(y.cost_sek);
      AppendRow(&out, year);
    }
  }

  for (const ArenaUnreportedDuty& d : r.unreported) {
    Fields row = NewRow("unreported_duty");
    row[kKey] = d.duty_id;
    row[kAgencyId] = d.agency_id;
    row[kTitleColumn] = d.title;
    row[kSector] = std::string(SectorName(d.sector));
    row[kFrequency] = std::string(FrequencyName(d.frequency));
    row[kFlagCodes] = absl::StrJoin(d.flag_codes, kListSeparator);
    AppendRow(&out, row);
  }

  for (size_t i = 0; i < r.overlaps.size(); ++i) {
    const ArenaOverlap& o = r.overlaps[i];
    Fields row = NewRow("overlap");
    row[kRank] = absl::StrCat(i + 1);
    row[kKey] = o.duty_id;
    row[kAgencyId] = o.agency_id;
    row[kOtherDutyId] = o.other_duty_id;
    row[kOtherAgencyId] = o.other_agency_id;
    row[kSharedItems] = absl::StrJoin(o.shared_items, kListSeparator);
    row[kItemCount] = absl::StrCat(o.item_count);
    row[kOverlapMinutes] = Minutes(o.overlap_minutes);
    row[kOverlapCostSek] = Sek(o.overlap_cost_sek);
    AppendRow(&out, row);
  }

  for (size_t i = 0; i < r.reported_elsewhere.size(); ++i) {
    const ArenaReportedElsewhere& e = r.reported_elsewhere[i];
    Fields row = NewRow("reported_elsewhere");
    row[kRank] = absl::StrCat(i + 1);
    row[kKey] = e.duty_id;
    row[kAgencyId] = e.agency_id;
    row[kValue] = e.where;
    row[kOtherDutyId] = e.other_duty_id;
    row[kOtherAgencyId] = e.other_agency_id;
    row[kMunicipalities] = absl::StrCat(e.municipalities);
    row[kReports] = absl::StrCat(e.reports);
    AppendRow(&out, row);
  }

  const std::vector<std::string> method = MethodParagraphs(r);
  for (size_t i = 0; i < method.size(); ++i) {
    Fields row = NewRow("method");
    row[kRank] = absl::StrCat(i + 1);
    row[kValue] = method[i];
    AppendRow(&out, row);
  }
  return out;
}

}  // namespace inrapport::report_internal
