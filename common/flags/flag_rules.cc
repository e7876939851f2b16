#include "common/flags/flag_rules.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/flags/boilerplate.h"
#include "common/flags/legal_basis.h"
#include "common/flags/overlaps.h"
#include "common/flags/text_internal.h"

namespace inrapport {
namespace {

// A figure as a person redoes it by hand: at most two decimals, no trailing
// zeros, never in exponent form ("61", "45.5", "2.03", "17400").
std::string Num(double value, int decimals = 2) {
  std::string text = absl::StrFormat("%.*f", decimals, value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

// `value`, which is above `threshold`, with enough decimals to show it is.
std::string NumAbove(double value, double threshold) {
  int decimals = 2;
  while (decimals < 6 && Num(value, decimals) == Num(threshold, decimals)) ++decimals;
  return Num(value, decimals);
}
std::string Pct(double share) { return absl::StrFormat("%.1f%%", share * 100); }

// What the duty's reports have cost so far, for the flags whose own test
// needs no reports (a missing purpose, a targeted grant): the figures tell
// an agency what the sign is worth. The national estimate is not repeated
// here: it is the duty account's (stratified by municipality group, with
// its interval and basis, docs/burden.md), shown beside the flags.
std::vector<std::pair<std::string, std::string>> MeasuredBurden(const DutyEvidence& e) {
  std::vector<std::pair<std::string, std::string>> figures = {
      {"reports", std::to_string(e.reports)},
      {"measured_minutes", std::to_string(e.minutes)},
      {"measured_hours", Num(e.minutes / 60.0)}};
  if (e.median_minutes) figures.emplace_back("median_minutes", Num(*e.median_minutes));
  return figures;
}

void Append(std::vector<std::pair<std::string, std::string>>& evidence,
            std::vector<std::pair<std::string, std::string>> more) {
  for (auto& figure : more) evidence.push_back(std::move(figure));
}

// A flag with its reason in English and in Swedish (`reason_sv`), both with
// the same figures.
Flag Make(absl::string_view code, std::string reason, std::string reason_sv,
          std::vector<std::pair<std::string, std::string>> evidence) {
  return Flag{std::string(code), std::move(reason), std::move(evidence), std::move(reason_sv)};
}

void PurposeFlags(const Duty& duty, const DutyEvidence& e, std::vector<Flag>& flags) {
  // Only white space or punctuation ("-", "…") states no purpose either.
  if (IsMissingPurpose(duty.purpose)) {
    std::vector<std::pair<std::string, std::string>> evidence = {
        {"purpose_characters", std::to_string(duty.purpose.size())},
        {"agency_id", duty.agency_id}};
    Append(evidence, MeasuredBurden(e));
    flags.push_back(Make(
        kNoStatedPurpose,
        absl::StrFormat("The duty \"%s\" states no purpose, so the municipalities that "
                        "report it cannot tell what the data is used for or why it is "
                        "needed.",
                        duty.id),
        absl::StrFormat("Uppgiftskravet \"%s\" anger inget syfte, så kommunerna som lämnar "
                        "uppgifterna kan inte se vad de används till eller varför de behövs.",
                        duty.id),
        std::move(evidence)));
  } else if (const std::vector<std::string> generic = GenericPurposeWords(duty.purpose);
             !generic.empty()) {
    const std::set<std::string> distinct(generic.begin(), generic.end());
    flags.push_back(Make(
        kBoilerplatePurpose,
        absl::StrFormat("The purpose of \"%s\" is only a generic phrase (\"%s\"): it does not "
                        "say who uses the data or for what.",
                        duty.id, duty.purpose),
        absl::StrFormat("Syftet med \"%s\" är bara en standardformulering (\"%s\"): det "
                        "säger inte vem som använder uppgifterna eller till vad.",
                        duty.id, duty.purpose),
        {{"purpose", duty.purpose},
         {"generic_words", absl::StrJoin(distinct, ", ")},
         {"agency_id", duty.agency_id}}));
  }
}

// None stated, or none that can be read. A basis the catalogue could not
// verify, or one outside the statute book (a government decision), is a
// stated basis: shown as unverified beside the duty, not flagged.
void LegalBasisFlag(const Duty& duty, std::vector<Flag>& flags) {
  if (!ParseLegalBasis(duty.legal_basis).empty()) return;
  const LegalBasisReading reading = ReadLegalBasis(duty.legal_basis);
  if (!reading.none_stated && (reading.unverified || reading.non_statutory)) return;
  std::string reason_sv =
      reading.none_stated
          ? (IsBlank(duty.legal_basis)
                 ? absl::StrFormat("Uppgiftskravet \"%s\" anger inget författningsstöd.", duty.id)
                 : absl::StrFormat("Författningsstödet för \"%s\" anges saknas.", duty.id))
          : absl::StrFormat("Författningsstödet för \"%s\" hänvisar inte till någon "
                            "igenkännbar svensk källa (SFS-nummer, lag med kapitel och "
                            "paragraf, myndighetsföreskrift som SKOLFS 2011:142 eller "
                            "regeringsbeslut).",
                            duty.id);
  flags.push_back(Make(
      kNoLegalBasis,
      reading.none_stated
          ? (IsBlank(duty.legal_basis)
                 ? absl::StrFormat("The duty \"%s\" names no legal basis.", duty.id)
                 : absl::StrFormat("The legal basis of \"%s\" says there is none.", duty.id))
          : absl::StrFormat("The legal basis of \"%s\" names no recognisable Swedish source "
                            "(an SFS number, a law with chapter and section, an agency "
                            "regulation such as SKOLFS 2011:142, or a government decision).",
                            duty.id),
      std::move(reason_sv),
      {{"legal_basis", duty.legal_basis},
       {"references_found", "0"},
       {"reading", reading.none_stated ? "none stated" : "no recognisable source"}}));
}

void GrantFlag(const Duty& duty, const DutyEvidence& e, std::vector<Flag>& flags) {
  if (IsBlank(duty.targeted_grant)) return;
  std::vector<std::pair<std::string, std::string>> evidence = {
      {"targeted_grant", duty.targeted_grant}, {"agency_id", duty.agency_id}};
  Append(evidence, MeasuredBurden(e));
  flags.push_back(Make(
      kTargetedGrantReporting,
      absl::StrFormat("\"%s\" re-reports a targeted state grant (%s): reporting that exists "
                      "for the grant rather than for a standing need.",
                      duty.id, duty.targeted_grant),
      absl::StrFormat("\"%s\" är återrapportering av ett riktat statsbidrag (%s): "
                      "rapportering som finns för bidragets skull, inte för ett varaktigt behov.",
                      duty.id, duty.targeted_grant),
      std::move(evidence)));
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
  // The overlap's share of the duty's items (each counted once, as compared),
  // applied to its measured time.
  const size_t denominator =
      std::max(static_cast<size_t>(DistinctDataItemCount(duty)), items.size());
  const double share = static_cast<double>(items.size()) / denominator;
  const double minutes = e.minutes * share;
  flags.push_back(Make(
      kDuplicateData,
      absl::StrFormat("\"%s\" asks for %d data item(s) that another agency already asks for "
                      "(%s): the once-only principle says they should be collected once.",
                      duty.id, items.size(), absl::StrJoin(others, ", ")),
      absl::StrFormat("\"%s\" begär %d uppgift(er) som en annan myndighet redan begär "
                      "(%s): enligt principen om att lämna uppgifter en gång ska de samlas in "
                      "en gång.",
                      duty.id, items.size(), absl::StrJoin(others, ", ")),
      {{"other_duties", absl::StrJoin(others, ", ")},
       {"shared_items", absl::StrJoin(items, ", ")},
       {"shared_item_count", std::to_string(items.size())},
       {"duty_item_count", std::to_string(denominator)},
       {"shared_share_of_items", Pct(share)},
       {"measured_minutes", std::to_string(e.minutes)},
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
      absl::StrFormat("%s av kommunernas svar för \"%s\" säger att de inte fått någon "
                      "återkoppling på uppgifterna de lämnat (%d av %d svar).",
                      Pct(share), duty.id, e.feedback_no, answers),
      {{"answers", std::to_string(answers)},
       {"feedback", std::to_string(e.feedback_yes)},
       {"no_feedback", std::to_string(e.feedback_no)},
       {"share", Pct(share)},
       {"threshold", Pct(t.no_feedback_share)},
       {"min_answers", std::to_string(t.no_feedback_min_answers)}}));
}

// The municipalities' own view of duplication: beside the catalogue's
// data-item overlaps, those who report say whether they already report the
// same data elsewhere.
void ElsewhereFlag(const Duty& duty, const DutyEvidence& e, const FlagThresholds& t,
                   std::vector<Flag>& flags) {
  const int64_t answers = e.elsewhere_yes + e.elsewhere_no;
  if (answers < t.already_reported_elsewhere_min_answers || answers == 0) return;
  const double share = static_cast<double>(e.elsewhere_yes) / answers;
  if (share < t.already_reported_elsewhere_share) return;
  flags.push_back(Make(
      kAlreadyReportedElsewhere,
      absl::StrFormat("%s of the municipalities' answers for \"%s\" say they already report "
                      "the same data elsewhere.",
                      Pct(share), duty.id),
      absl::StrFormat("%s av kommunernas svar för \"%s\" säger att samma uppgifter redan "
                      "lämnas på annat sätt (%d av %d svar).",
                      Pct(share), duty.id, e.elsewhere_yes, answers),
      {{"answers", std::to_string(answers)},
       {"already_reported_elsewhere", std::to_string(e.elsewhere_yes)},
       {"not_elsewhere", std::to_string(e.elsewhere_no)},
       {"share", Pct(share)},
       {"threshold", Pct(t.already_reported_elsewhere_share)},
       {"min_answers", std::to_string(t.already_reported_elsewhere_min_answers)}}));
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
      absl::StrFormat("Kommunerna bedömer nyttan med \"%s\" som låg: median %s på en skala "
                      "från 1 till 5.",
                      duty.id, Num(*median)),
      {{"answers", std::to_string(answers)},
       {"median_usefulness", Num(*median)},
       {"threshold", Num(t.low_usefulness_median)},
       {"min_answers", std::to_string(t.low_usefulness_min_answers)}}));
}

void EstimateFlag(const Duty& duty, const DutyEvidence& e, const FlagThresholds& t,
                  std::vector<Flag>& flags) {
  const double estimate = duty.estimated_minutes_per_report;
  if (estimate <= 0 || !e.median_minutes || e.reports < t.estimate_gap_min_reports) return;
  const double factor = *e.median_minutes / estimate;
  if (factor <= t.estimate_gap_factor) return;
  const std::string factor_text = NumAbove(factor, t.estimate_gap_factor);
  flags.push_back(Make(
      kEstimateGap,
      absl::StrFormat("Reports of \"%s\" take %s times the agency's estimate: a median of %s "
                      "minutes against %s estimated.",
                      duty.id, factor_text, Num(*e.median_minutes), Num(estimate)),
      absl::StrFormat("Inrapporteringar av \"%s\" tar %s gånger myndighetens uppskattade tid: "
                      "en median på %s minuter mot uppskattade %s.",
                      duty.id, factor_text, Num(*e.median_minutes), Num(estimate)),
      {{"median_minutes", Num(*e.median_minutes)},
       {"estimated_minutes", Num(estimate)},
       {"factor", factor_text},
       {"reports", std::to_string(e.reports)},
       {"threshold_factor", Num(t.estimate_gap_factor)}}));
}

void ExpiredFlag(const Duty& duty, const DutyEvidence& e, std::vector<Flag>& flags) {
  if (duty.valid_until.empty() || e.reports_after_valid_until == 0) return;
  flags.push_back(Make(
      kExpired,
      absl::StrFormat("Reports of \"%s\" keep arriving for periods after the duty ended on %s.",
                      duty.id, duty.valid_until),
      absl::StrFormat("Inrapporteringar av \"%s\" fortsätter att komma för perioder efter att "
                      "uppgiftskravet upphörde %s.",
                      duty.id, duty.valid_until),
      {{"valid_until", duty.valid_until},
       {"reports_after", std::to_string(e.reports_after_valid_until)},
       {"latest_period", e.latest_period_after_valid_until}}));
}

void UseFlag(const Duty& duty, const DutyEvidence& e, const FlagThresholds& t,
             std::vector<Flag>& flags) {
  if (e.periods_without_use.empty()) return;
  const std::string periods = absl::StrJoin(e.periods_without_use, ", ");
  const std::string grace = std::to_string(t.no_recorded_use_grace_days);
  flags.push_back(Make(
      kNoRecordedUse,
      absl::StrFormat("Municipalities reported \"%s\" for %s, which ended more than %s days "
                      "ago, but %s has recorded no use of that data.",
                      duty.id, periods, grace, duty.agency_id),
      absl::StrFormat("Kommunerna lämnade \"%s\" för %s, som tog slut för mer än %s dagar "
                      "sedan, men %s har inte registrerat någon användning av de uppgifterna.",
                      duty.id, periods, grace, duty.agency_id),
      {{"periods_without_use", periods},
       {"reports_in_those_periods", std::to_string(e.reports_without_use)},
       {"grace_days", grace},
       {"window_start", e.use_window_start},
       {"uses_ever", std::to_string(e.uses_total)}}));
}

}  // namespace

const std::vector<absl::string_view>& AllFlagCodes() {
  static const auto* codes = new std::vector<absl::string_view>{
      kAlreadyReportedElsewhere, kBoilerplatePurpose, kDuplicateData,  kEstimateGap,
      kExpired,                  kLowUsefulness,      kNoFeedback,     kNoLegalBasis,
      kNoRecordedUse,            kNoStatedPurpose,    kTargetedGrantReporting};
  return *codes;
}

bool IsBlank(absl::string_view text) {
  while (!text.empty()) {
    const size_t n = flags_internal::WhiteSpaceLength(text);
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

namespace {

// The rules of FlagBasis kReports and kPeriod, appended to `flags`.
void AddReportFlags(const Duty& duty, const DutyEvidence& evidence,
                    const FlagThresholds& thresholds, std::vector<Flag>& flags) {
  FeedbackFlag(duty, evidence, thresholds, flags);
  ElsewhereFlag(duty, evidence, thresholds, flags);
  UsefulnessFlag(duty, evidence, thresholds, flags);
  EstimateFlag(duty, evidence, thresholds, flags);
  ExpiredFlag(duty, evidence, flags);
  UseFlag(duty, evidence, thresholds, flags);
}

void SortByCode(std::vector<Flag>& flags) {
  std::sort(flags.begin(), flags.end(),
            [](const Flag& a, const Flag& b) { return a.code < b.code; });
}

}  // namespace

std::vector<Flag> EvaluateReportFlags(const Duty& duty, const DutyEvidence& evidence,
                                      const FlagThresholds& thresholds) {
  std::vector<Flag> flags;
  AddReportFlags(duty, evidence, thresholds, flags);
  SortByCode(flags);
  return flags;
}

std::vector<Flag> EvaluateFlags(const Duty& duty, const DutyEvidence& evidence,
                                const FlagThresholds& thresholds) {
  std::vector<Flag> flags;
  // The duty's text (FlagBasis kCatalogue).
  PurposeFlags(duty, evidence, flags);
  LegalBasisFlag(duty, flags);
  GrantFlag(duty, evidence, flags);
  DuplicateFlag(duty, evidence, flags);
  AddReportFlags(duty, evidence, thresholds, flags);
  SortByCode(flags);
  return flags;
}

std::vector<Flag> EvaluateFlags(const Duty& duty) {
  return EvaluateFlags(duty, DutyEvidence{}, FlagThresholds{});
}

FlagBasis BasisOf(absl::string_view code) {
  if (code == kNoRecordedUse || code == kExpired) return FlagBasis::kPeriod;
  if (code == kNoStatedPurpose || code == kBoilerplatePurpose || code == kNoLegalBasis ||
      code == kTargetedGrantReporting || code == kDuplicateData) {
    return FlagBasis::kCatalogue;
  }
  return FlagBasis::kReports;
}

}  // namespace inrapport
