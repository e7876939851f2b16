#include "common/flags/flag_rules.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/flags/boilerplate.h"
#include "common/flags/legal_basis.h"

namespace inrapport {
namespace {

// Length in bytes of the white-space character at the start of `text`, or 0.
size_t WhiteSpaceLength(absl::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  if (text.empty()) return 0;
  switch (byte(0)) {
    case ' ': case '\t': case '\n': case '\r': case '\v': case '\f':
      return 1;
  }
  if (text.size() >= 2 && byte(0) == 0xC2 && byte(1) == 0xA0) return 2;  // U+00A0
  if (text.size() >= 3 && byte(0) == 0xE2 && byte(1) == 0x80 &&
      (byte(2) <= 0x8B || byte(2) == 0xAF)) {
    return 3;  // U+2000..U+200B, U+202F
  }
  if (text.size() >= 3 && byte(0) == 0xE2 && byte(1) == 0x81 && byte(2) == 0x9F) {
    return 3;  // U+205F
  }
  if (text.size() >= 3 && byte(0) == 0xE3 && byte(1) == 0x80 && byte(2) == 0x80) {
    return 3;  // U+3000
  }
  return 0;
}

std::string Num(double value) { return absl::StrFormat("%.4g", value); }
std::string Pct(double share) { return absl::StrFormat("%.1f%%", share * 100); }

Flag Make(absl::string_view code, std::string reason,
          std::vector<std::pair<std::string, std::string>> evidence) {
  return Flag{std::string(code), std::move(reason), std::move(evidence)};
}

void PurposeFlags(const Duty& duty, std::vector<Flag>& flags) {
  if (IsBlank(duty.purpose)) {
    flags.push_back(Make(
        kNoStatedPurpose,
        absl::StrFormat("The duty \"%s\" states no purpose, so the municipalities that "
                        "report it cannot tell what the data is used for or why it is "
                        "needed.",
                        duty.id),
        {{"purpose_characters", std::to_string(duty.purpose.size())},
         {"agency_id", duty.agency_id}}));
  } else if (IsBoilerplatePurpose(duty.purpose)) {
    flags.push_back(Make(
        kBoilerplatePurpose,
        absl::StrFormat("The purpose of \"%s\" is only a generic phrase (\"%s\"): it does not "
                        "say who uses the data or for what.",
                        duty.id, duty.purpose),
        {{"purpose", duty.purpose}, {"agency_id", duty.agency_id}}));
  }
}

void LegalBasisFlag(const Duty& duty, std::vector<Flag>& flags) {
  if (!ParseLegalBasis(duty.legal_basis).empty()) return;
  flags.push_back(Make(
      kNoLegalBasis,
      IsBlank(duty.legal_basis)
          ? absl::StrFormat("The duty \"%s\" names no legal basis.", duty.id)
          : absl::StrFormat("The legal basis of \"%s\" names no recognisable Swedish source "
                            "(an SFS number, a law with chapter and section, or an agency "
                            "regulation such as SKOLFS 2011:142).",
                            duty.id),
      {{"legal_basis", duty.legal_basis}, {"references_found", "0"}}));
}

void GrantFlag(const Duty& duty, std::vector<Flag>& flags) {
  if (IsBlank(duty.targeted_grant)) return;
  flags.push_back(Make(
      kTargetedGrantReporting,
      absl::StrFormat("\"%s\" re-reports a targeted state grant (%s): reporting that exists "
                      "for the grant rather than for a standing need.",
                      duty.id, duty.targeted_grant),
      {{"targeted_grant", duty.targeted_grant}}));
}

void DuplicateFlag(const Duty& duty, const DutyEvidence& e, std::vector<Flag>& flags) {
  if (e.overlaps.empty() || duty.data_items.empty()) return;
  std::vector<std::string> others, items;
  for (const DutyOverlap& o : e.overlaps) {
    others.push_back(absl::StrCat(o.other_duty_id, " (", o.other_agency_id, ")"));
    for (const std::string& item : o.shared_items) {
      if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
    }
  }
  std::sort(items.begin(), items.end());
  // The overlap's share of the duty's items, applied to its measured time.
  const double share = static_cast<double>(items.size()) / duty.data_items.size();
  const double minutes = e.minutes * share;
  flags.push_back(Make(
      kDuplicateData,
      absl::StrFormat("\"%s\" asks for %d data item(s) that another agency already asks for "
                      "(%s): the once-only principle says they should be collected once.",
                      duty.id, items.size(), absl::StrJoin(others, ", ")),
      {{"other_duties", absl::StrJoin(others, ", ")},
       {"shared_items", absl::StrJoin(items, ", ")},
       {"shared_share_of_items", Pct(share)},
       {"overlap_minutes", Num(minutes)}}));
}

void FeedbackFlag(const Duty& duty, const DutyEvidence& e, const FlagThresholds& t,
                  std::vector<Flag>& flags) {
  const int64_t answers = e.feedback_yes + e.feedback_no;
  if (answers < t.no_feedback_min_answers || answers == 0) return;
  const double share = static_cast<double>(e.feedback_no) / answers;
  if (share < t.no_feedback_share) return;
  flags.push_back(Make(
      kNoFeedback,
      absl::StrFormat("%s of the municipalities' answers for \"%s\" say nothing came back "
                      "from the data they reported.",
                      Pct(share), duty.id),
      {{"answers", std::to_string(answers)},
       {"no_feedback", std::to_string(e.feedback_no)},
       {"share", Pct(share)},
       {"threshold", Pct(t.no_feedback_share)}}));
}

void UsefulnessFlag(const Duty& duty, const DutyEvidence& e, const FlagThresholds& t,
                    std::vector<Flag>& flags) {
  int64_t answers = 0;
  for (int v = 1; v <= 5; ++v) answers += e.usefulness[v];
  const std::optional<double> median = MedianUsefulness(e.usefulness);
  if (answers < t.low_usefulness_min_answers || !median || *median > t.low_usefulness_median) {
    return;
  }
  flags.push_back(Make(
      kLowUsefulness,
      absl::StrFormat("Municipalities rate the usefulness of \"%s\" low: median %s on a scale "
                      "of 1 to 5.",
                      duty.id, Num(*median)),
      {{"answers", std::to_string(answers)},
       {"median_usefulness", Num(*median)},
       {"threshold", Num(t.low_usefulness_median)}}));
}

void EstimateFlag(const Duty& duty, const DutyEvidence& e, const FlagThresholds& t,
                  std::vector<Flag>& flags) {
  const double estimate = duty.estimated_minutes_per_report;
  if (estimate <= 0 || !e.median_minutes || e.reports < t.estimate_gap_min_reports) return;
  const double factor = *e.median_minutes / estimate;
  if (factor <= t.estimate_gap_factor) return;
  flags.push_back(Make(
      kEstimateGap,
      absl::StrFormat("Reports of \"%s\" take %s times the agency's estimate: a median of %s "
                      "minutes against %s estimated.",
                      duty.id, Num(factor), Num(*e.median_minutes), Num(estimate)),
      {{"median_minutes", Num(*e.median_minutes)},
       {"estimated_minutes", Num(estimate)},
       {"factor", Num(factor)},
       {"reports", std::to_string(e.reports)},
       {"threshold_factor", Num(t.estimate_gap_factor)}}));
}

void ExpiredFlag(const Duty& duty, const DutyEvidence& e, std::vector<Flag>& flags) {
  if (duty.valid_until.empty() || e.reports_after_valid_until == 0) return;
  flags.push_back(Make(
      kExpired,
      absl::StrFormat("Reports of \"%s\" keep arriving for periods after the duty ended on %s.",
                      duty.id, duty.valid_until),
      {{"valid_until", duty.valid_until},
       {"reports_after", std::to_string(e.reports_after_valid_until)},
       {"latest_period", e.latest_period_after_valid_until}}));
}

void UseFlag(const Duty& duty, const DutyEvidence& e, const FlagThresholds& t,
             std::vector<Flag>& flags) {
  if (e.reports_in_use_window == 0 || e.uses_in_use_window > 0) return;
  flags.push_back(Make(
      kNoRecordedUse,
      absl::StrFormat("Municipalities reported \"%s\" since %s, but %s has recorded no use "
                      "of the data in that time.",
                      duty.id, e.use_window_start, duty.agency_id),
      {{"window_start", e.use_window_start},
       {"periods", duty.frequency == Frequency::kAdHoc ? "365 days"
                                                       : std::to_string(t.no_recorded_use_periods)},
       {"reports_in_window", std::to_string(e.reports_in_use_window)},
       {"uses_in_window", "0"},
       {"uses_ever", std::to_string(e.uses_total)}}));
}

}  // namespace

const std::vector<absl::string_view>& AllFlagCodes() {
  static const auto* codes = new std::vector<absl::string_view>{
      kBoilerplatePurpose, kDuplicateData,  kEstimateGap,     kExpired,
      kLowUsefulness,      kNoFeedback,     kNoLegalBasis,    kNoRecordedUse,
      kNoStatedPurpose,    kTargetedGrantReporting};
  return *codes;
}

bool IsBlank(absl::string_view text) {
  while (!text.empty()) {
    const size_t n = WhiteSpaceLength(text);
    if (n == 0) return false;
    text.remove_prefix(n);
  }
  return true;
}

std::optional<double> MedianUsefulness(const std::array<int64_t, 6>& usefulness) {
  int64_t answers = 0;
  for (int v = 1; v <= 5; ++v) answers += usefulness[v];
  if (answers == 0) return std::nullopt;
  // The k-th smallest answer, 1-based.
  auto kth = [&](int64_t k) {
    for (int v = 1; v <= 5; ++v) {
      if (k <= usefulness[v]) return v;
      k -= usefulness[v];
    }
    return 5;
  };
  if (answers % 2 == 1) return kth(answers / 2 + 1);
  return (kth(answers / 2) + kth(answers / 2 + 1)) / 2.0;
}

std::vector<Flag> EvaluateFlags(const Duty& duty, const DutyEvidence& evidence,
                                const FlagThresholds& thresholds) {
  std::vector<Flag> flags;
  PurposeFlags(duty, flags);
  LegalBasisFlag(duty, flags);
  GrantFlag(duty, flags);
  DuplicateFlag(duty, evidence, flags);
  FeedbackFlag(duty, evidence, thresholds, flags);
  UsefulnessFlag(duty, evidence, thresholds, flags);
  EstimateFlag(duty, evidence, thresholds, flags);
  ExpiredFlag(duty, evidence, flags);
  UseFlag(duty, evidence, thresholds, flags);
  std::sort(flags.begin(), flags.end(),
            [](const Flag& a, const Flag& b) { return a.code < b.code; });
  return flags;
}

std::vector<Flag> EvaluateFlags(const Duty& duty) {
  return EvaluateFlags(duty, DutyEvidence{}, FlagThresholds{});
}

}  // namespace inrapport
