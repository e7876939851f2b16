// The evidence pack for the development arena (utvecklingsarena): totals,
// burden by agency and by sector, flagged duties ranked by their national
// estimated cost with reasons, evidence and legal basis, and the largest
// duplicate-data overlaps. A plain value: built by BuildArenaReport from the
// core's figures, rendered as Markdown, CSV, JSON or a self-contained HTML
// page by RenderArenaReport.
#ifndef INRAPPORT_COMMON_REPORT_ARENA_REPORT_H_
#define INRAPPORT_COMMON_REPORT_ARENA_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/burden/duty_account.h"
#include "common/domain/types.h"

namespace inrapport {

// One row of a burden table (by agency, by sector, or the totals).
struct ArenaBurdenRow {
  std::string key;  // agency id, sector name ("social_services"), or "total"
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

struct ArenaReport {
  std::string generated_on;  // YYYY-MM-DD, in Sweden
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
