// The evidence pack for the development arena (utvecklingsarena): totals,
// burden by agency and by sector, flagged duties ranked by their national
// estimated cost with reasons, evidence and legal basis, the largest
// duplicate-data overlaps, and the arena's decisions on duties in force with
// their measured burden before and after. A plain value: built by
// BuildArenaReport from the core's figures (the decisions filled in by the
// service from the duty lifecycle), rendered as Markdown, CSV, JSON or a
// self-contained HTML page by RenderArenaReport.
#ifndef INRAPPORT_COMMON_REPORT_ARENA_REPORT_H_
#define INRAPPORT_COMMON_REPORT_ARENA_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/burden/duty_account.h"
#include "common/domain/lifecycle.h"
#include "common/domain/types.h"
#include "common/flags/flag_rules.h"

namespace inrapport {

// One row of a burden table (by agency, by sector, or the totals).
struct ArenaBurdenRow {
  std::string key;  // agency id, sector name ("social_services"), or "total"
  std::string label;  // the agency's name; empty for sectors and the total
  int64_t reports = 0;
  int64_t minutes = 0;
  double hours = 0;
  double cost_sek = 0;
  int municipalities = 0;
  double flagged_share = 0;  // minutes on currently flagged duties / minutes
  double national_cost_sek = 0;  // sum of the national estimates of its duties
  // Its duties without a national estimate, left out of national_cost_sek.
  int64_t not_estimable_duties = 0;
};

// A municipality's own words on a duty, as its report gave them: shown
// exactly, escaped for the format it is rendered in.
struct ArenaComment {
  std::string municipality_code;
  std::string period;  // canonical
  std::string comment;
};

// Where the municipalities say a duty's data is already reported: their
// own picture of overlap, beside the catalogue's data-item overlaps.
struct ArenaReportedElsewhere {
  std::string duty_id;
  std::string agency_id;
  std::string where;            // as the reports named it
  std::string other_duty_id;    // `where` when it names a registered duty
  std::string other_agency_id;  // that duty's agency
  int64_t reports = 0;
  int64_t municipalities = 0;
};

// A duty no report has reached yet, in any period: listed as
// such, never drawn as a bar of zero cost.
struct ArenaUnreportedDuty {
  std::string duty_id;
  std::string agency_id;
  std::string title;
  Sector sector = Sector::kUnspecified;
  Frequency frequency = Frequency::kUnspecified;
  std::vector<std::string> flag_codes;  // flags now, sorted
};

// Measured burden in one calendar year (the year a report's period starts
// in), in total (`agency_id` empty) or for one agency.
struct ArenaYearRow {
  std::string year;  // "2024"
  std::string agency_id;
  int64_t reports = 0;
  int64_t minutes = 0;
  int64_t flagged_minutes = 0;  // of duties flagged for the report's period
  double hours = 0;
  double cost_sek = 0;
  double flagged_cost_sek = 0;
  double flagged_share = 0;  // flagged_minutes / minutes
};

// The measured burden of a decided duty in one calendar year (the year its
// reports' periods end in), on one side of the decision.
struct ArenaDecisionYear {
  int year = 0;
  bool after = false;  // periods that ended on or after the decision's date
  int64_t reports = 0;
  int64_t minutes = 0;
  double hours = 0;     // minutes / 60
  double cost_sek = 0;  // hours x the tariff
};

// The arena's latest decision on a duty in force (keep, simplify, merge or
// withdraw) and the duty's measured burden per year before and after it:
// a reduction shown, not promised.
struct ArenaDecision {
  std::string duty_id;
  std::string title;
  std::string agency_id;
  std::string agency_name;  // the registered name; the id without a register
  DecisionKind kind = DecisionKind::kUnspecified;
  std::string reason;      // the arena's words, as recorded
  std::string decided_on;  // YYYY-MM-DD
  std::string merge_into;  // kMerge: the duty that takes its data over
  // By year; within a year, before the decision first. A year with periods
  // on both sides of the decision's date has two rows.
  std::vector<ArenaDecisionYear> years;
};

// The change a decision shows in the measured burden: the last calendar
// year wholly before the decision (every period of it ended before the
// decision's date) against the first year wholly after it that is over.
struct ArenaDecisionChange {
  int year_before = 0;
  int year_after = 0;
  double hours_before = 0;
  double hours_after = 0;
  double change_hours = 0;     // hours_after - hours_before
  double change_cost_sek = 0;  // cost after - cost before
};

// The decision's change, or nullopt when it cannot be computed: no year
// with reports wholly before the decision, or none wholly after it that
// ended before the year of `as_of` (YYYY-MM-DD, the report's date; a year
// still running would show a reduction that is only missing reports). An
// `as_of` or a decided_on that does not start with a year: nullopt.
// Inline: the proto conversion, which does not link the renderers, fills
// the same change.
inline std::optional<ArenaDecisionChange> DecisionChangeOf(const ArenaDecision& decision,
                                                           absl::string_view as_of) {
  auto year_of = [](absl::string_view date) -> std::optional<int> {
    if (date.size() < 4) return std::nullopt;
    int year = 0;
    for (char c : date.substr(0, 4)) {
      if (c < '0' || c > '9') return std::nullopt;
      year = year * 10 + (c - '0');
    }
    return year;
  };
  const std::optional<int> decided = year_of(decision.decided_on);
  const std::optional<int> now = year_of(as_of);
  if (!decided || !now) return std::nullopt;
  // Every period of a year before the decision's year ended before it; a
  // decision on the 1st of January leaves its whole year after it.
  const int last_before = *decided - 1;
  const int first_after =
      absl::string_view(decision.decided_on).substr(4) == "-01-01" ? *decided : *decided + 1;
  const ArenaDecisionYear* before = nullptr;
  const ArenaDecisionYear* after = nullptr;
  for (const ArenaDecisionYear& y : decision.years) {
    if (!y.after && y.year <= last_before && (before == nullptr || y.year > before->year)) {
      before = &y;
    }
    if (y.after && y.year >= first_after && y.year < *now &&
        (after == nullptr || y.year < after->year)) {
      after = &y;
    }
  }
  if (before == nullptr || after == nullptr) return std::nullopt;
  ArenaDecisionChange change;
  change.year_before = before->year;
  change.year_after = after->year;
  change.hours_before = before->hours;
  change.hours_after = after->hours;
  change.change_hours = after->hours - before->hours;
  change.change_cost_sek = after->cost_sek - before->cost_sek;
  return change;
}

// What a reader needs to judge the figures: the rules they follow and the
// data they rest on.
struct ArenaMethod {
  int estimate_min_municipalities = 0;  // below this, not estimable
  int bootstrap_resamples = 0;          // of the 90 % interval
  FlagThresholds thresholds;
  // Coverage of the measured tables.
  int municipalities_reported = 0;
  int groups_covered = 0;  // SKR groups with a municipality that reported
  int groups_total = 0;
  std::string first_period;  // the earliest and latest period measured
  std::string last_period;
  // Duties whose legal basis the catalogue marks unverified, sorted.
  std::vector<std::string> unverified_legal_basis;
};

struct ArenaFlaggedDuty {
  DutyAccount account;
  std::string legal_basis;  // as the agency wrote it, "unverified" notes kept
  std::vector<std::string> legal_references;  // parsed, canonical
  std::string source_url;
  std::string notes;  // what was and was not verified
  std::vector<Flag> flags;  // sorted by code
  // The most recent comments of its reports, newest first, a bounded number.
  std::vector<ArenaComment> comments;
};

// Data items that one duty asks for and a duty of another agency asks for
// too (the once-only principle). Directed: the minutes are the first duty's
// measured minutes x shared items / its distinct items (DistinctDataItemCount).
struct ArenaOverlap {
  std::string duty_id;
  std::string agency_id;
  std::string other_duty_id;
  std::string other_agency_id;
  std::vector<std::string> shared_items;  // sorted
  int item_count = 0;                     // distinct items of the first duty
  double overlap_minutes = 0;
  double overlap_cost_sek = 0;
};

// The language of a rendered report's words: its headings, labels, flag
// names and reasons, sector names and number format. Identifiers (duty,
// agency and flag codes) are the same in both.
enum class ReportLanguage { kSwedish, kEnglish };

// "sv" or "en" (case-insensitive, a region such as "sv-SE" allowed);
// nullopt otherwise.
std::optional<ReportLanguage> ParseReportLanguage(absl::string_view code);
inline absl::string_view ReportLanguageCode(ReportLanguage language) {  // "sv", "en"
  return language == ReportLanguage::kSwedish ? "sv" : "en";
}

struct ArenaReport {
  std::string generated_on;  // YYYY-MM-DD, in Sweden
  ReportLanguage language = ReportLanguage::kSwedish;
  // The data is made up for illustration (examples, a demonstration): every
  // format says so in its title and in every section.
  bool illustrative = false;
  // The period range of the measured tables; empty: every period.
  std::string period_from;
  std::string period_to;
  double tariff_sek_per_hour = 0;
  int64_t duties = 0;
  int64_t flagged_duties = 0;
  int64_t recorded_uses = 0;
  ArenaBurdenRow totals;                // key "total"
  double flagged_national_cost_sek = 0;  // national estimates of flagged duties
  int64_t not_estimable_duties = 0;          // of all duties; also totals' field
  int64_t flagged_not_estimable_duties = 0;  // left out of the flagged sum
  std::vector<ArenaBurdenRow> by_agency;  // minutes descending, then key
  std::vector<ArenaBurdenRow> by_sector;  // minutes descending, then key
  // National estimated cost descending, then measured minutes descending,
  // then duty id.
  std::vector<ArenaFlaggedDuty> flagged;
  // Overlap minutes descending, then shared items descending, then duty id,
  // then other duty id.
  std::vector<ArenaOverlap> overlaps;
  // Most municipalities first, then reports, then duty id and place.
  std::vector<ArenaReportedElsewhere> reported_elsewhere;
  // Duties without reports, by duty id.
  std::vector<ArenaUnreportedDuty> unreported;
  // The trend: all agencies by year ascending, then each agency by year.
  std::vector<ArenaYearRow> by_year;
  // The arena's latest decision on each decided duty in force, by decision
  // date, then duty id; empty when none is recorded.
  std::vector<ArenaDecision> decisions;
  ArenaMethod method;
};

enum class ReportFormat { kMarkdown, kCsv, kJson, kHtml };

// "markdown" (or "md"), "csv", "json", "html"; nullopt otherwise.
std::optional<ReportFormat> ParseReportFormat(absl::string_view text);
absl::string_view ReportFormatName(ReportFormat format);
// "text/markdown; charset=utf-8", "text/csv; charset=utf-8", ...
absl::string_view ReportContentType(ReportFormat format);

// The whole document. Deterministic: the same report gives the same bytes.
std::string RenderArenaReport(const ArenaReport& report, ReportFormat format);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_REPORT_ARENA_REPORT_H_
