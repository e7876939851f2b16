#include "common/lifecycle/duty_lifecycle.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/status_macros.h"
#include "common/domain/municipalities.h"
#include "common/domain/period.h"
#include "common/domain/validation.h"
#include "common/flags/flag_rules.h"
#include "common/text/text_safety.h"

namespace inrapport {
namespace {

absl::Status NotFound(absl::string_view field, absl::string_view duty_id) {
  return absl::NotFoundError(
      absl::StrCat(field, ": duty ", QuoteValue(duty_id), " is not registered"));
}

// "duty \"x\" is in_consultation (until 2027-01-31)": where a duty stands,
// for the refusals.
std::string Where(const Duty& duty) {
  std::string where = absl::StrCat("duty ", QuoteValue(duty.id), " is ", DutyStateName(duty.state));
  if (duty.state == DutyState::kInConsultation) {
    absl::StrAppend(&where, " (until ", duty.consultation_until, ")");
  } else if (duty.state == DutyState::kExpired) {
    absl::StrAppend(&where, " (since ", duty.expires_on, ")");
  }
  return where;
}

absl::Status Refused(absl::string_view field, const Duty& duty, absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat(field, ": ", Where(duty), ": ", what));
}

std::string DateText(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

// `years` after `day`; 29 February becomes 1 March in a common year.
std::string YearsAfter(absl::CivilDay day, int years) {
  return DateText(absl::CivilDay(day.year() + years, day.month(), day.day()));
}

// Within a consultation: not past its last day.
bool ConsultationOpen(const Duty& duty, absl::CivilDay today) {
  if (duty.state != DutyState::kInConsultation) return false;
  absl::StatusOr<absl::CivilDay> until = ParseDate(duty.consultation_until);
  return until.ok() && today <= *until;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

DutyLifecycle::DutyLifecycle(Store* store, DutyCatalog* catalog, const BurdenQueries* queries,
                             Options options, Clock today)
    : store_(store),
      catalog_(catalog),
      queries_(queries),
      options_(options),
      today_(today ? std::move(today) : Clock([catalog] { return catalog->Today(); })) {}

absl::StatusOr<std::unique_ptr<DutyLifecycle>> DutyLifecycle::Load(Store* store,
                                                                   DutyCatalog* catalog,
                                                                   const BurdenQueries* queries,
                                                                   Options options, Clock today) {
  ASSIGN_OR_RETURN(std::vector<ConsultationAnswer> answers, store->LoadConsultationAnswers());
  ASSIGN_OR_RETURN(std::vector<DutyDecision> decisions, store->LoadDecisions());
  std::unique_ptr<DutyLifecycle> lifecycle(
      new DutyLifecycle(store, catalog, queries, options, std::move(today)));
  lifecycle->ApplyStored(std::move(answers), std::move(decisions));
  return lifecycle;
}

void DutyLifecycle::ApplyStored(std::vector<ConsultationAnswer> answers,
                                std::vector<DutyDecision> decisions) {
  absl::MutexLock lock(&mu_);
  for (ConsultationAnswer& answer : answers) {
    std::string duty = answer.duty_id;
    std::string code = answer.municipality_code;
    answers_[duty][code] = std::move(answer);
  }
  for (DutyDecision& decision : decisions) {
    const int64_t seq = decision.seq;
    decisions_[seq] = std::move(decision);
  }
}

ImpactAssessment DutyLifecycle::AssessLocked(const Duty& duty) const {
  const Municipalities& official = Municipalities::Official();
  ImpactInput input;
  input.proposal = duty;
  // The assessment names the flags of the duty's text, not of its reports.
  input.proposal.flags.clear();
  for (const Flag& flag : duty.flags) {
    if (BasisOf(flag.code) == FlagBasis::kCatalogue) input.proposal.flags.push_back(flag);
  }
  for (const MunicipalityGroup& g : official.groups()) input.group_names[g.code] = g.name;
  if (duty.respondents.empty()) {
    for (const Municipality& m : official.all()) ++input.expected_per_group[m.group];
  } else {
    for (const std::string& code : duty.respondents) {
      if (const Municipality* m = official.Find(code)) ++input.expected_per_group[m->group];
    }
  }
  for (const std::shared_ptr<const Duty>& other : catalog_->Snapshot()) {
    if (other->id == duty.id || other->state != DutyState::kInForce) continue;
    if (other->sector != duty.sector || other->frequency != duty.frequency) continue;
    ImpactCandidate& candidate = input.in_force.emplace_back();
    candidate.duty_id = other->id;
    candidate.agency_id = other->agency_id;
    candidate.title = other->title;
    candidate.sector = other->sector;
    candidate.frequency = other->frequency;
    candidate.data_items = other->data_items;
    const DutyMeasurement measured = queries_->index().MeasurementOf(other->id);
    for (const DutyMeasurement::PerMunicipality& each : measured.by_municipality) {
      const Municipality& m = official.all()[each.municipality_index];
      candidate.measured.push_back({m.code, m.group, each.reports, each.minutes});
    }
    candidate.distinct_years = measured.distinct_years;
    candidate.first_period = measured.first_period;
    candidate.last_period = measured.last_period;
  }
  ImpactOptions options;
  options.min_similarity = options_.min_similarity;
  options.estimate = queries_->EstimateOptionsInForce();
  return AssessImpact(input, options);
}

absl::StatusOr<DutyLifecycle::Proposal> DutyLifecycle::Propose(Duty duty, const std::string& by,
                                                               const std::string& reason) {
  RETURN_IF_ERROR(ValidateOptionalReason("reason", reason));
  ASSIGN_OR_RETURN(Duty proposed, catalog_->Propose(std::move(duty), by, reason));
  Proposal proposal{proposed, AssessLocked(proposed)};
  return proposal;
}

absl::StatusOr<ImpactAssessment> DutyLifecycle::Assess(const std::string& duty_id) const {
  ASSIGN_OR_RETURN(Duty duty, catalog_->Get(duty_id));
  return AssessLocked(duty);
}

absl::StatusOr<Duty> DutyLifecycle::OpenConsultation(const std::string& duty_id,
                                                     const std::string& until,
                                                     const std::string& by,
                                                     const std::string& reason) {
  const absl::CivilDay today = today_();
  absl::CivilDay last;
  RETURN_IF_ERROR(ValidateDateField("until", until, &last));
  if (last < today) {
    return absl::InvalidArgumentError(absl::StrCat("until: ", QuoteValue(until),
                                                   " has passed: the consultation's last day "
                                                   "is today or later"));
  }
  RETURN_IF_ERROR(ValidateOptionalReason("reason", reason));
  if (catalog_->Find(duty_id) == nullptr) return NotFound("duty_id", duty_id);
  DutyCatalog::Transition move{DutyState::kInConsultation, until, "", by, reason};
  return catalog_->Move(duty_id, move, [&](const Duty& duty) {
    if (duty.state == DutyState::kProposed) return absl::OkStatus();
    if (duty.state == DutyState::kInConsultation) {
      // A consultation may be extended, never cut short: answers were
      // invited until its stated day.
      if (until >= duty.consultation_until) return absl::OkStatus();
      return Refused("until", duty, "a consultation may be extended, not shortened");
    }
    return Refused("duty_id", duty, "only a proposal goes to consultation");
  });
}

absl::StatusOr<ConsultationAnswer> DutyLifecycle::Answer(ConsultationAnswer answer) {
  RETURN_IF_ERROR(ValidateConsultationAnswer(answer));
  std::shared_ptr<const Duty> duty = catalog_->Find(answer.duty_id);
  if (duty == nullptr) return NotFound("answer.duty_id", answer.duty_id);
  const absl::CivilDay today = today_();
  Duty now = *duty;
  now.state = StateOn(now, today);
  if (!ConsultationOpen(now, today)) {
    return Refused("answer.duty_id", now,
                   now.state == DutyState::kInConsultation
                       ? "the consultation has closed"
                       : "answers are taken while a proposal is in consultation");
  }
  ASSIGN_OR_RETURN(ConsultationAnswer stored, store_->PutConsultationAnswer(answer));
  absl::MutexLock lock(&mu_);
  answers_[stored.duty_id][stored.municipality_code] = stored;
  return stored;
}

ConsultationSummary DutyLifecycle::SummaryOf(const std::string& duty_id) const {
  ConsultationSummary summary;
  auto it = answers_.find(duty_id);
  if (it == answers_.end()) return summary;
  std::vector<double> estimates;
  std::map<std::string, int> where;
  for (const auto& [code, answer] : it->second) {
    ++summary.answers;
    if (answer.estimated_minutes_per_report > 0) {
      estimates.push_back(answer.estimated_minutes_per_report);
    }
    if (answer.already_reported_elsewhere == Answer::kYes) {
      ++summary.already_reported_elsewhere;
      ++where[answer.already_reported_where];
    }
  }
  summary.with_estimate = static_cast<int>(estimates.size());
  if (!estimates.empty()) {
    summary.min_estimated_minutes = *std::min_element(estimates.begin(), estimates.end());
    summary.max_estimated_minutes = *std::max_element(estimates.begin(), estimates.end());
    summary.median_estimated_minutes = Median(std::move(estimates));
  }
  summary.reported_where.assign(where.begin(), where.end());
  std::stable_sort(summary.reported_where.begin(), summary.reported_where.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return summary;
}

absl::StatusOr<Consultation> DutyLifecycle::ConsultationOf(
    const std::string& duty_id, const std::string& municipality_code) const {
  ASSIGN_OR_RETURN(Duty duty, catalog_->Get(duty_id));
  Consultation consultation;
  consultation.open = ConsultationOpen(duty, today_());
  consultation.duty = std::move(duty);
  absl::ReaderMutexLock lock(&mu_);
  consultation.summary = SummaryOf(duty_id);
  auto it = answers_.find(duty_id);
  if (it != answers_.end()) {
    for (const auto& [code, answer] : it->second) {
      if (municipality_code.empty() || code == municipality_code) {
        consultation.answers.push_back(answer);
      }
    }
  }
  return consultation;
}

absl::StatusOr<DutyLifecycle::Decided> DutyLifecycle::Decide(DutyDecision decision) {
  const absl::CivilDay today = today_();
  if (decision.decided_on.empty()) decision.decided_on = DateText(today);
  RETURN_IF_ERROR(ValidateDecision(decision, today));
  std::shared_ptr<const Duty> found = catalog_->Find(decision.duty_id);
  if (found == nullptr) return NotFound("decision.duty_id", decision.duty_id);
  const absl::CivilDay decided_on = *ParseDate(decision.decided_on);
  if (decision.kind == DecisionKind::kMerge) {
    std::shared_ptr<const Duty> into = catalog_->Find(decision.merge_into);
    if (into == nullptr) return NotFound("decision.merge_into", decision.merge_into);
    Duty target = *into;
    target.state = StateOn(target, today);
    if (target.state != DutyState::kInForce) {
      return Refused("decision.merge_into", target, "a duty merges into a duty in force");
    }
  }

  DutyCatalog::Transition move;
  move.changed_by = decision.decided_by;
  move.reason = absl::StrCat(DecisionKindName(decision.kind), ": ", decision.reason);
  move.consultation_until = found->consultation_until;
  move.expires_on = found->expires_on;
  // Which states the decision applies to, and where it leaves the duty.
  std::vector<DutyState> from;
  switch (decision.kind) {
    case DecisionKind::kApprove:
    case DecisionKind::kRenew:
      from = decision.kind == DecisionKind::kApprove
                 ? std::vector<DutyState>{DutyState::kInConsultation}
                 : std::vector<DutyState>{DutyState::kInForce, DutyState::kExpired};
      move.state = DutyState::kInForce;
      if (decision.expires_on.empty()) {
        decision.expires_on = YearsAfter(decided_on, options_.approval_years);
      }
      move.expires_on = decision.expires_on;
      break;
    case DecisionKind::kReject:
      from = {DutyState::kProposed, DutyState::kInConsultation};
      move.state = DutyState::kRejected;
      break;
    case DecisionKind::kKeep:
    case DecisionKind::kSimplify:
      from = {DutyState::kInForce};
      move.state = DutyState::kInForce;
      break;
    case DecisionKind::kMerge:
    case DecisionKind::kWithdraw:
      from = {DutyState::kInForce, DutyState::kExpired};
      move.state = DutyState::kWithdrawn;
      break;
    default:
      return absl::InvalidArgumentError("decision.kind: must be set");
  }
  // The forecast the decision is taken on: for an approval the proposal's
  // assessment; for a renewal what the duty's own reports now show, or the
  // assessment when they are too few to estimate from.
  if (decision.kind == DecisionKind::kApprove || decision.kind == DecisionKind::kRenew) {
    decision.forecast = RecordOf(AssessLocked(*found).forecast);
    if (decision.kind == DecisionKind::kRenew) {
      const NationalEstimate own = queries_->EstimateOf(*found);
      if (own.estimable) {
        const double per_year =
            own.reports_per_municipality_per_year * std::max(1, own.expected_municipalities) / 60.0;
        RecordedForecast f;
        f.hours_per_year = own.hours_per_year;
        f.hours_per_year_low = own.hours_per_year_low;
        f.hours_per_year_high = own.hours_per_year_high;
        if (per_year > 0) {
          f.minutes_per_report = own.hours_per_year / per_year;
          f.minutes_per_report_low = own.hours_per_year_low / per_year;
          f.minutes_per_report_high = own.hours_per_year_high / per_year;
        }
        f.basis = absl::StrCat("the duty's own reports: ", own.basis);
        decision.forecast = std::move(f);
      }
    }
  }

  const DecisionKind kind = decision.kind;
  auto check = [&](const Duty& stored) -> absl::Status {
    Duty now = stored;
    now.state = StateOn(now, today);
    if (std::find(from.begin(), from.end(), now.state) == from.end()) {
      std::string applies;
      for (DutyState state : from) {
        absl::StrAppend(&applies, applies.empty() ? "" : " or ", DutyStateName(state));
      }
      return Refused("decision.kind", now,
                     absl::StrCat(DecisionKindName(kind), " applies to a duty ", applies));
    }
    if (kind == DecisionKind::kApprove && ConsultationOpen(now, today)) {
      return Refused("decision.kind", now,
                     "a proposal is approved once its consultation has closed");
    }
    return absl::OkStatus();
  };
  DutyDecision recorded;
  ASSIGN_OR_RETURN(Duty duty, catalog_->Move(decision.duty_id, move, check, &decision, &recorded));
  {
    absl::MutexLock lock(&mu_);
    decisions_[recorded.seq] = recorded;
  }
  return Decided{std::move(recorded), std::move(duty)};
}

std::vector<DutyDecision> DutyLifecycle::Decisions(const std::string& duty_id) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<DutyDecision> decisions;
  for (const auto& [seq, decision] : decisions_) {
    if (duty_id.empty() || decision.duty_id == duty_id) decisions.push_back(decision);
  }
  return decisions;
}

absl::StatusOr<RenewalEvidence> DutyLifecycle::EvidenceFor(const std::string& duty_id) const {
  ASSIGN_OR_RETURN(Duty duty, catalog_->Get(duty_id));
  RenewalEvidence evidence;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [seq, decision] : decisions_) {
      if (decision.duty_id == duty_id &&
          (decision.kind == DecisionKind::kApprove || decision.kind == DecisionKind::kRenew)) {
        evidence.approval = decision;
      }
    }
    evidence.consultation = SummaryOf(duty_id);
  }
  std::optional<absl::CivilDay> since;
  if (evidence.approval) {
    evidence.since = evidence.approval->decided_on;
    since = *ParseDate(evidence.since);
  }
  int64_t minutes = 0;
  for (const PeriodBurden& period : queries_->index().PeriodsOf(duty_id)) {
    absl::StatusOr<Period> parsed = Period::Parse(period.period);
    if (since && parsed.ok() && parsed->last_day() < *since) continue;
    evidence.reports += period.reports;
    minutes += period.minutes;
  }
  if (evidence.reports > 0) {
    evidence.minutes_per_report =
        static_cast<double>(minutes) / static_cast<double>(evidence.reports);
  }
  evidence.national = queries_->EstimateOf(duty);
  if (!evidence.approval || evidence.approval->forecast.minutes_per_report <= 0) {
    evidence.against_forecast = "no forecast";
  } else if (evidence.reports == 0) {
    evidence.against_forecast = "no reports";
  } else {
    const RecordedForecast& f = evidence.approval->forecast;
    evidence.against_forecast = evidence.minutes_per_report > f.minutes_per_report_high  ? "above"
                                : evidence.minutes_per_report < f.minutes_per_report_low ? "below"
                                                                                         : "within";
  }
  evidence.period_flags = duty.period_flags;
  evidence.recorded_uses = duty.recorded_uses;
  evidence.duty = std::move(duty);
  return evidence;
}

std::vector<DecidedBurden> DutyLifecycle::DecidedBurdens() const {
  // The latest decision on a duty in force, per duty.
  std::map<std::string, DutyDecision> latest;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [seq, decision] : decisions_) {
      switch (decision.kind) {
        case DecisionKind::kKeep:
        case DecisionKind::kSimplify:
        case DecisionKind::kMerge:
        case DecisionKind::kWithdraw:
          latest[decision.duty_id] = decision;
          break;
        default:
          break;
      }
    }
  }
  std::vector<DecidedBurden> decided;
  const absl::CivilDay today = today_();
  for (auto& [duty_id, decision] : latest) {
    absl::StatusOr<absl::CivilDay> decided_on = ParseDate(decision.decided_on);
    if (!decided_on.ok()) continue;  // stored only after validation
    DecidedBurden& burden = decided.emplace_back();
    if (std::shared_ptr<const Duty> duty = catalog_->Find(duty_id)) {
      burden.title = duty->title;
      burden.agency_id = duty->agency_id;
    }
    std::map<std::pair<bool, int>, DecidedBurden::Year> years;
    for (const PeriodBurden& period : queries_->index().PeriodsOf(duty_id)) {
      absl::StatusOr<Period> parsed = Period::Parse(period.period);
      if (!parsed.ok()) continue;
      const bool after = parsed->last_day() >= *decided_on;
      const int year = static_cast<int>(parsed->last_day().year());
      DecidedBurden::Year& y = years[{after, year}];
      y.year = year;
      y.after = after;
      y.reports += period.reports;
      y.minutes += period.minutes;
    }
    // A withdrawn or merged duty accepts no report: each year that has
    // ended since is measured as none, which is the reduction.
    if (decision.kind == DecisionKind::kWithdraw || decision.kind == DecisionKind::kMerge) {
      for (int year = static_cast<int>(decided_on->year()) + 1;
           year < static_cast<int>(today.year()); ++year) {
        DecidedBurden::Year& y = years[{true, year}];
        y.year = year;
        y.after = true;
      }
    }
    for (auto& [key, year] : years) burden.years.push_back(year);
    burden.decision = std::move(decision);
  }
  return decided;
}

}  // namespace inrapport
