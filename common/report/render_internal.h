// Shared by the four renderers of the arena report; not part of the
// library's interface.
//
// Every figure is rounded by one rule per kind of quantity, here, so the same
// figure reads the same in Markdown, CSV, JSON and HTML. The human formats
// only add digit grouping ("1 234 567"); the machine formats print the same
// digits without it.
#ifndef INRAPPORT_COMMON_REPORT_RENDER_INTERNAL_H_
#define INRAPPORT_COMMON_REPORT_RENDER_INTERNAL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/report/arena_report.h"

namespace inrapport::report_internal {

// `value` rounded half away from zero to `decimals` (0..4) places, with '.'
// as the decimal point and no grouping: "1234.5". Never "-0". Returns "" for
// NaN, an infinity or a magnitude over 1e14, which no report figure reaches;
// each renderer shows "" as it shows a missing figure.
std::string Fixed(double value, int decimals);

// The rounding of each kind of figure.
inline std::string Sek(double v) { return Fixed(v, 0); }  // whole kronor
inline std::string Hours(double v) { return Fixed(v, 1); }
inline std::string Minutes(double v) { return Fixed(v, 1); }  // medians, shares of minutes
inline std::string PerYear(double v) { return Fixed(v, 2); }
// A figure of a national estimate: "" (shown as missing, null in JSON) when
// the estimate is not estimable, so that no renderer prints a 0 that reads
// like a measured nothing.
inline std::string EstimateHours(const NationalEstimate& e, double v) {
  return e.estimable ? Hours(v) : "";
}
inline std::string EstimateSek(const NationalEstimate& e, double v) {
  return e.estimable ? Sek(v) : "";
}
// A share as a fraction with three decimals ("0.425"), and the same rounded
// figure as a percentage ("42.5 %"), so the two never disagree.
std::string Share(double fraction);
std::string Percent(double fraction);
// The tariff to the öre, trailing zeros dropped: "400", "562.5".
std::string Tariff(double sek_per_hour);

// "1234567.5" -> "1 234 567.5" (grouping of the integer part by three, with
// a space); "" and non-numbers are returned unchanged.
std::string Grouped(absl::string_view number);

// Client text made inert in each human format. Both neutralise it first
// (NeutraliseText in common/text): no control or bidirectional formatting
// character and no malformed UTF-8 survives.
// Html: for element content or a quoted attribute value; & < > " ' become
// entities, line breaks and tabs stay (for white-space: pre-line).
std::string Html(absl::string_view text);
// Md: for running Markdown and a table cell; line breaks become spaces and
// characters that could start markup, an HTML tag or a cell boundary are
// escaped with a backslash.
std::string Md(absl::string_view text);

// Both languages side by side where the words are used, so that neither is
// forgotten when the other changes.
inline absl::string_view Tr(ReportLanguage language, absl::string_view en,
                            absl::string_view sv) {
  return language == ReportLanguage::kSwedish ? sv : en;
}

// A number for a person (`number` as Fixed or StrCat wrote it): grouped by
// three with a space, and in Swedish with a decimal comma ("1 234,5");
// a dash for a figure that is missing.
std::string Human(absl::string_view number, ReportLanguage language);
// A share as a percentage for a person: "42.6 %", "42,6 %".
std::string HumanPercent(double fraction, ReportLanguage language);
// A change for a person, with its sign: "+12,5", "−200,0" (a minus sign,
// U+2212), "0,0"; a dash for a figure that is missing.
std::string HumanChange(absl::string_view number, ReportLanguage language);
// "SEK" or "kr".
absl::string_view Currency(ReportLanguage language);

// Names a reader understands, in the report's language.
std::string SectorLabel(Sector sector, ReportLanguage language);
std::string FrequencyLabel(Frequency frequency, ReportLanguage language);
// A flag code's short name ("Syfte saknas"); the code itself if unknown.
std::string FlagLabel(absl::string_view code, ReportLanguage language);
// What a flag means and when it is raised, with the thresholds in force.
std::string FlagMeaning(absl::string_view code, const FlagThresholds& thresholds,
                        ReportLanguage language);
// The flag's reason in the report's language (English where a rule gave no
// Swedish one).
const std::string& ReasonIn(const Flag& flag, ReportLanguage language);

// A decision on a duty in force in a few words: "withdraw", "återkallas".
std::string DecisionLabel(DecisionKind kind, ReportLanguage language);

// Titles and fixed wording shared by the human formats.
std::string Title(const ArenaReport& report);
// The notice of illustrative data, for the top and every section; empty
// when the data is real.
std::string IllustrativeNotice(const ArenaReport& report);

// What the tariff and the national estimate mean, and how many duties the
// national sums leave out.
std::string TariffMeaning(const ArenaReport& report);
// The period range of the measured tables, for a person.
std::string PeriodRangeText(const ArenaReport& report);

// Plain sentences on one duty's account, for the human formats (escape them
// as any text): what its reports measured, and its national estimate with
// its interval, unit and basis, or why it is not estimable.
std::string MeasuredText(const DutyAccount& account, ReportLanguage language);
std::string NationalEstimateText(const DutyAccount& account, ReportLanguage language);

// The decisions section, for the human formats (escape them as any text):
// what it shows, the sentence for no decision, and a decided duty's change
// per year between the last whole year before and the first whole year
// after the decision, or why it cannot be computed (DecisionChangeOf).
std::string DecisionsLead(ReportLanguage language);
std::string NoDecisionsText(ReportLanguage language);
std::string DecisionChangeText(const ArenaDecision& decision, const ArenaReport& report);
// "before" or "after" the decision, in the report's language: "före", "efter".
std::string DecisionSideLabel(bool after, ReportLanguage language);

// The method section as paragraphs of plain text (escape them as any
// text): the tariff, the estimate, each flag's rule, the coverage of the
// data and what the catalogue could not verify.
std::vector<std::string> MethodParagraphs(const ArenaReport& report);

std::string RenderMarkdown(const ArenaReport& report);
std::string RenderCsv(const ArenaReport& report);
std::string RenderJson(const ArenaReport& report);
std::string RenderHtml(const ArenaReport& report);

}  // namespace inrapport::report_internal

#endif  // INRAPPORT_COMMON_REPORT_RENDER_INTERNAL_H_
