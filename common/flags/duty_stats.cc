#include "common/flags/duty_stats.h"

#include "absl/strings/str_cat.h"
#include "common/domain/period.h"

namespace inrapport {

void DutyStats::AddReport(const Report& report) {
  AddAnswers(report.minutes_spent, report.usefulness, report.feedback_received, 1,
             report.already_reported_elsewhere, report.period);
  AddPeriod(report.period, 1);
}

void DutyStats::RemoveReport(const Report& report) {
  AddAnswers(report.minutes_spent, report.usefulness, report.feedback_received, -1,
             report.already_reported_elsewhere, report.period);
  AddPeriod(report.period, -1);
}

void DutyStats::Answers::Add(int64_t m, int32_t u, Answer feedback, int64_t n,
                             Answer elsewhere) {
  reports += n;
  minutes += m * n;
  // A bucket emptied by a removal goes, so that medians see only reports.
  if ((minutes_histogram[m] += n) == 0) minutes_histogram.erase(m);
  if (feedback == Answer::kYes) feedback_yes += n;
  if (feedback == Answer::kNo) feedback_no += n;
  if (elsewhere == Answer::kYes) elsewhere_yes += n;
  if (elsewhere == Answer::kNo) elsewhere_no += n;
  if (u >= 0 && u <= 5) usefulness[u] += n;
}

void DutyStats::AddAnswers(int64_t minutes, int32_t usefulness, Answer feedback,
                           int64_t reports, Answer elsewhere, const std::string& period) {
  all_.Add(minutes, usefulness, feedback, reports, elsewhere);
  if (!period.empty()) {
    auto it = by_period_.try_emplace(period).first;
    it->second.Add(minutes, usefulness, feedback, reports, elsewhere);
    if (it->second.reports == 0) by_period_.erase(it);
  }
}

void DutyStats::Answers::EncodeTo(ByteFileWriter& out) const {
  out.Signed(reports);
  out.Signed(minutes);
  out.Varint(minutes_histogram.size());
  for (const auto& [m, n] : minutes_histogram) {
    out.Signed(m);
    out.Signed(n);
  }
  for (int64_t count : {feedback_yes, feedback_no, elsewhere_yes, elsewhere_no}) out.Signed(count);
  for (int64_t count : usefulness) out.Signed(count);
}

bool DutyStats::Answers::DecodeFrom(ByteFileReader& in) {
  uint64_t buckets = 0;
  if (!in.Signed(&reports) || !in.Signed(&minutes) || !in.Bounded(1ULL << 32, &buckets)) {
    return false;
  }
  for (uint64_t i = 0; i < buckets; ++i) {
    int64_t m = 0;
    int64_t n = 0;
    if (!in.Signed(&m) || !in.Signed(&n)) return false;
    minutes_histogram.emplace_hint(minutes_histogram.end(), m, n);
  }
  for (int64_t* count : {&feedback_yes, &feedback_no, &elsewhere_yes, &elsewhere_no}) {
    if (!in.Signed(count)) return false;
  }
  for (int64_t& count : usefulness) {
    if (!in.Signed(&count)) return false;
  }
  return true;
}

void DutyStats::EncodeTo(ByteFileWriter& out) const {
  all_.EncodeTo(out);
  out.Varint(by_period_.size());
  for (const auto& [period, answers] : by_period_) {
    out.String(period);
    answers.EncodeTo(out);
  }
  out.Varint(periods_.size());
  for (const auto& [key, period] : periods_) {
    out.String(key.second);
    out.Signed(period.reports);
  }
}

bool DutyStats::DecodeFrom(ByteFileReader& in) {
  constexpr size_t kMaxPeriodText = 64;
  if (!all_.DecodeFrom(in)) return false;
  uint64_t count = 0;
  if (!in.Bounded(1ULL << 32, &count)) return false;
  std::string text;
  for (uint64_t i = 0; i < count; ++i) {
    if (!in.String(kMaxPeriodText, &text)) return false;
    if (!by_period_[text].DecodeFrom(in)) return false;
  }
  if (!in.Bounded(1ULL << 32, &count)) return false;
  for (uint64_t i = 0; i < count; ++i) {
    int64_t reports = 0;
    if (!in.String(kMaxPeriodText, &text) || !in.Signed(&reports)) return false;
    absl::StatusOr<Period> period = Period::Parse(text);
    if (!period.ok()) return in.Fail(absl::StrCat("a period \"", text, "\" that does not parse"));
    AddPeriod(*period, text, reports);
  }
  return true;
}

void DutyStats::AddPeriod(const std::string& period, int64_t reports) {
  if (!last_period_.has_value() || period != last_period_text_) {
    absl::StatusOr<Period> parsed = Period::Parse(period);
    if (!parsed.ok()) return;  // stored periods are canonical; nothing to count
    last_period_text_ = period;
    last_period_canonical_ = parsed->ToString();
    last_period_ = *std::move(parsed);
  }
  AddPeriod(*last_period_, last_period_canonical_, reports);
}

void DutyStats::AddPeriod(const Period& period, const std::string& text, int64_t reports) {
  auto it = periods_.try_emplace({period.first_day(), text}).first;
  it->second.last_day = period.last_day();
  it->second.reports += reports;
  if (it->second.reports == 0) periods_.erase(it);
}

void DutyStats::AddUse(const DutyUse& use) {
  UseSpan span;
  if (use.first_period.empty()) {
    absl::StatusOr<absl::CivilDay> date = ParseDate(use.date);
    if (!date.ok()) return;  // stored uses are validated
    span.last_day = *date;
  } else {
    absl::StatusOr<Period> first = Period::Parse(use.first_period);
    absl::StatusOr<Period> last =
        Period::Parse(use.last_period.empty() ? use.first_period : use.last_period);
    if (!first.ok() || !last.ok()) return;
    span.first_day = first->first_day();
    span.last_day = last->last_day();
  }
  uses_.push_back(span);
}

bool DutyStats::Used(absl::CivilDay first_day, absl::CivilDay last_day) const {
  for (const UseSpan& use : uses_) {
    if (use.first_day.has_value()) {
      if (*use.first_day <= first_day && last_day <= use.last_day) return true;
    } else if (last_day <= use.last_day) {
      return true;
    }
  }
  return false;
}

std::optional<double> DutyStats::MedianMinutes() const { return all_.MedianMinutes(); }

std::optional<double> DutyStats::Answers::MedianMinutes() const {
  if (reports == 0) return std::nullopt;
  // The k-th smallest value (1-based) from the histogram.
  auto kth = [&](int64_t k) {
    for (const auto& [m, count] : minutes_histogram) {
      if (k <= count) return m;
      k -= count;
    }
    return minutes_histogram.rbegin()->first;
  };
  if (reports % 2 == 1) return static_cast<double>(kth(reports / 2 + 1));
  return (kth(reports / 2) + kth(reports / 2 + 1)) / 2.0;
}

void DutyStats::Answers::Fill(DutyEvidence& e) const {
  e.reports = reports;
  e.minutes = minutes;
  e.median_minutes = MedianMinutes();
  e.feedback_yes = feedback_yes;
  e.feedback_no = feedback_no;
  e.elsewhere_yes = elsewhere_yes;
  e.elsewhere_no = elsewhere_no;
  e.usefulness = usefulness;
}

absl::CivilDay UseWindowStart(Frequency frequency, absl::CivilDay today, int periods) {
  const int back = periods > 0 ? periods - 1 : 0;
  const absl::CivilDay current = Period::Containing(frequency, today).first_day();
  switch (frequency) {
    case Frequency::kAnnual:
      return absl::CivilDay(current.year() - back, 1, 1);
    case Frequency::kSemiannual:
      return absl::CivilDay(absl::CivilMonth(current) - 6 * back);
    case Frequency::kQuarterly:
      return absl::CivilDay(absl::CivilMonth(current) - 3 * back);
    case Frequency::kMonthly:
      return absl::CivilDay(absl::CivilMonth(current) - back);
    case Frequency::kWeekly:
      return current - 7 * back;
    case Frequency::kAdHoc:
    case Frequency::kUnspecified:
      break;
  }
  return today - 364;  // 365 days, today included
}

DutyEvidence DutyStats::Evidence(const Duty& duty, absl::CivilDay today,
                                 const FlagThresholds& thresholds) const {
  DutyEvidence e;
  all_.Fill(e);
  if (absl::StatusOr<absl::CivilDay> until = ParseDate(duty.valid_until); until.ok()) {
    // Periods whose first day is after valid_until.
    for (auto it = periods_.lower_bound({*until + 1, std::string()}); it != periods_.end();
         ++it) {
      e.reports_after_valid_until += it->second.reports;
      e.latest_period_after_valid_until = it->first.second;
    }
  }
  // Data can be used only once it exists: the periods whose grace time has
  // passed, the latest no_recorded_use_periods of them (the period holding
  // grace_end has not ended by then, so one more is counted back).
  const absl::CivilDay grace_end = today - thresholds.no_recorded_use_grace_days;
  const absl::CivilDay start =
      UseWindowStart(duty.frequency, grace_end, thresholds.no_recorded_use_periods + 1);
  e.use_window_start = FormatDate(start);
  e.use_grace_end = FormatDate(grace_end);
  for (auto it = periods_.lower_bound({start, std::string()}); it != periods_.end(); ++it) {
    if (it->second.last_day >= grace_end) continue;
    if (Used(it->first.first, it->second.last_day)) continue;
    e.periods_without_use.push_back(it->first.second);
    e.reports_without_use += it->second.reports;
  }
  e.uses_total = uses();
  return e;
}

std::vector<DutyStats::PeriodState> DutyStats::PeriodStates(
    const Duty& duty, absl::CivilDay today, const FlagThresholds& thresholds) const {
  const absl::CivilDay grace_end = today - thresholds.no_recorded_use_grace_days;
  absl::StatusOr<absl::CivilDay> until = ParseDate(duty.valid_until);
  std::vector<PeriodState> states;
  states.reserve(periods_.size());
  for (const auto& [key, p] : periods_) {
    PeriodState& state = states.emplace_back();
    state.period = key.second;
    state.last_day = p.last_day;
    state.reports = p.reports;
    state.without_use = p.last_day < grace_end && !Used(key.first, p.last_day);
    state.after_valid_until = until.ok() && key.first > *until;
  }
  return states;
}

DutyEvidence DutyStats::PeriodEvidence(const PeriodState& state) const {
  DutyEvidence e;
  auto answers = by_period_.find(state.period);
  if (answers != by_period_.end()) answers->second.Fill(e);
  if (state.without_use) {
    e.periods_without_use.push_back(state.period);
    e.reports_without_use = state.reports;
  }
  if (state.after_valid_until) {
    e.reports_after_valid_until = state.reports;
    e.latest_period_after_valid_until = state.period;
  }
  e.uses_total = uses();
  return e;
}

}  // namespace inrapport
