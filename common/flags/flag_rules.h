// The rules that flag signs of unnecessary control on a reporting duty. Each
// flag carries a code, a reason a person understands and the evidence that
// triggered it, so that an agency or the development arena can check it.
// Rules and thresholds are described in docs/flags.md.
#ifndef INRAPPORT_COMMON_FLAGS_FLAG_RULES_H_
#define INRAPPORT_COMMON_FLAGS_FLAG_RULES_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/domain/types.h"

namespace inrapport {

inline constexpr absl::string_view kNoStatedPurpose = "NO_STATED_PURPOSE";
inline constexpr absl::string_view kBoilerplatePurpose = "BOILERPLATE_PURPOSE";
inline constexpr absl::string_view kNoLegalBasis = "NO_LEGAL_BASIS";
inline constexpr absl::string_view kDuplicateData = "DUPLICATE_DATA";
inline constexpr absl::string_view kNoFeedback = "NO_FEEDBACK";
inline constexpr absl::string_view kLowUsefulness = "LOW_USEFULNESS";
inline constexpr absl::string_view kTargetedGrantReporting = "TARGETED_GRANT_REPORTING";
inline constexpr absl::string_view kEstimateGap = "ESTIMATE_GAP";
inline constexpr absl::string_view kExpired = "EXPIRED";
inline constexpr absl::string_view kNoRecordedUse = "NO_RECORDED_USE";
inline constexpr absl::string_view kAlreadyReportedElsewhere = "ALREADY_REPORTED_ELSEWHERE";

// Every flag code, in a stable order (metrics show zeros as well).
const std::vector<absl::string_view>& AllFlagCodes();

// Thresholds of the rules that depend on reports. The defaults and the
// reasons for them are in docs/flags.md; inrapportd takes each as a flag.
struct FlagThresholds {
  // NO_FEEDBACK: at least this share of the reports that answered say "no".
  double no_feedback_share = 0.5;
  int64_t no_feedback_min_answers = 10;
  // ALREADY_REPORTED_ELSEWHERE: at least this share of the reports that
  // answered say the same data is already reported elsewhere.
  double already_reported_elsewhere_share = 0.5;
  int64_t already_reported_elsewhere_min_answers = 10;
  // LOW_USEFULNESS: the median stated usefulness (1-5) is at or below this.
  double low_usefulness_median = 2.0;
  int64_t low_usefulness_min_answers = 10;
  // ESTIMATE_GAP: the median measured minutes exceed the agency's estimate
  // by more than this factor.
  double estimate_gap_factor = 2.0;
  int64_t estimate_gap_min_reports = 5;
  // NO_RECORDED_USE: a period's data may be used from its end on; the flag
  // waits this many days after the end before it asks for a use of it.
  int no_recorded_use_grace_days = 365;
  // The flag as of now looks at this many of the duty's latest periods whose
  // grace time has passed (ad hoc duties: 365 days of them). Each period
  // keeps its own flag (see DutyStats::PeriodStates) however old.
  int no_recorded_use_periods = 4;
};

// Data items a duty shares with a duty of another agency.
struct DutyOverlap {
  std::string other_duty_id;
  std::string other_agency_id;
  std::vector<std::string> shared_items;

  friend bool operator==(const DutyOverlap& a, const DutyOverlap& b) {
    return a.other_duty_id == b.other_duty_id && a.other_agency_id == b.other_agency_id &&
           a.shared_items == b.shared_items;
  }
};

// Everything besides the duty's own fields that the rules look at. Built
// incrementally from reports and uses (see DutyStats).
struct DutyEvidence {
  int64_t reports = 0;
  int64_t minutes = 0;
  std::optional<double> median_minutes;
  int64_t feedback_yes = 0;
  int64_t feedback_no = 0;
  int64_t elsewhere_yes = 0;  // already_reported_elsewhere answered yes
  int64_t elsewhere_no = 0;
  // usefulness[v] = reports that stated v (1..5); [0] = not stated.
  std::array<int64_t, 6> usefulness{};
  // Reports whose period starts after the duty's valid_until.
  int64_t reports_after_valid_until = 0;
  std::string latest_period_after_valid_until;
  // NO_RECORDED_USE: the periods searched (those that started on or after
  // use_window_start and ended before use_grace_end) and those of them with
  // reports that no recorded use drew on.
  std::string use_window_start;  // YYYY-MM-DD
  std::string use_grace_end;     // YYYY-MM-DD: today minus the grace time
  std::vector<std::string> periods_without_use;  // oldest first
  int64_t reports_without_use = 0;
  int64_t uses_total = 0;
  std::vector<DutyOverlap> overlaps;

  friend bool operator==(const DutyEvidence& a, const DutyEvidence& b) {
    return a.reports == b.reports && a.minutes == b.minutes &&
           a.median_minutes == b.median_minutes && a.feedback_yes == b.feedback_yes &&
           a.feedback_no == b.feedback_no && a.elsewhere_yes == b.elsewhere_yes &&
           a.elsewhere_no == b.elsewhere_no && a.usefulness == b.usefulness &&
           a.reports_after_valid_until == b.reports_after_valid_until &&
           a.latest_period_after_valid_until == b.latest_period_after_valid_until &&
           a.use_window_start == b.use_window_start && a.use_grace_end == b.use_grace_end &&
           a.periods_without_use == b.periods_without_use &&
           a.reports_without_use == b.reports_without_use && a.uses_total == b.uses_total &&
           a.overlaps == b.overlaps;
  }
  friend bool operator!=(const DutyEvidence& a, const DutyEvidence& b) { return !(a == b); }
};

// True if `text` holds nothing but white space (ASCII, U+0085, no-break
// space, and the Unicode space characters U+1680, U+2000..U+200B, U+2028,
// U+2029, U+202F, U+205F, U+3000, U+FEFF).
bool IsBlank(absl::string_view text);

// The median of stated usefulness (1..5), or nullopt without answers.
std::optional<double> MedianUsefulness(const std::array<int64_t, 6>& usefulness);

// The flags of `duty`, sorted by code. Deterministic: the same inputs give
// the same flags, so flags are recomputed rather than stored.
std::vector<Flag> EvaluateFlags(const Duty& duty, const DutyEvidence& evidence,
                                const FlagThresholds& thresholds);

// The flags that need no evidence (for a duty without reports).
std::vector<Flag> EvaluateFlags(const Duty& duty);

// Only the flags evaluated from reports and periods (FlagBasis kReports and
// kPeriod), sorted by code: what EvaluateFlags gives less the duty's text
// flags, without the work of those (a period's flags take its text flags
// from the version in force then).
std::vector<Flag> EvaluateReportFlags(const Duty& duty, const DutyEvidence& evidence,
                                      const FlagThresholds& thresholds);

// What a flag is evaluated from: the duty's text (for a period, as it stood
// when the period ended), its reports' answers, or the periods of its reports
// and the uses of their data. For a period, the last two come from that
// period's reports and uses alone.
enum class FlagBasis { kCatalogue, kReports, kPeriod };
FlagBasis BasisOf(absl::string_view code);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_FLAGS_FLAG_RULES_H_
