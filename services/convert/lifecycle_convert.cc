#include "services/convert/lifecycle_convert.h"

#include "services/convert/enum_convert.h"
#include "services/convert/proto_convert.h"

namespace inrapport {

ConsultationAnswer FromProto(const v1::ConsultationAnswer& proto) {
  ConsultationAnswer answer;
  answer.duty_id = proto.duty_id();
  answer.municipality_code = proto.municipality_code();
  answer.comment = proto.comment();
  answer.estimated_minutes_per_report = proto.estimated_minutes_per_report();
  answer.already_reported_elsewhere = FromProto(proto.already_reported_elsewhere());
  answer.already_reported_where = proto.already_reported_where();
  return answer;
}

DutyDecision FromProto(const v1::DutyDecision& proto) {
  DutyDecision decision;
  decision.duty_id = proto.duty_id();
  decision.kind = FromProto(proto.kind());
  decision.reason = proto.reason();
  decision.decided_on = proto.decided_on();
  decision.expires_on = proto.expires_on();
  decision.merge_into = proto.merge_into();
  return decision;
}

v1::ConsultationAnswer ToProto(const ConsultationAnswer& answer) {
  v1::ConsultationAnswer proto;
  proto.set_duty_id(answer.duty_id);
  proto.set_municipality_code(answer.municipality_code);
  proto.set_comment(answer.comment);
  proto.set_estimated_minutes_per_report(answer.estimated_minutes_per_report);
  proto.set_already_reported_elsewhere(ToProto(answer.already_reported_elsewhere));
  proto.set_already_reported_where(answer.already_reported_where);
  proto.set_answered_at_unix(answer.answered_at_unix);
  proto.set_answered_by(answer.answered_by);
  return proto;
}

v1::DutyDecision ToProto(const DutyDecision& decision) {
  v1::DutyDecision proto;
  proto.set_duty_id(decision.duty_id);
  proto.set_seq(decision.seq);
  proto.set_kind(ToProto(decision.kind));
  proto.set_reason(decision.reason);
  proto.set_decided_on(decision.decided_on);
  proto.set_decided_by(decision.decided_by);
  proto.set_expires_on(decision.expires_on);
  proto.set_merge_into(decision.merge_into);
  const RecordedForecast& f = decision.forecast;
  if (decision.kind == DecisionKind::kApprove || decision.kind == DecisionKind::kRenew) {
    v1::RecordedForecast* forecast = proto.mutable_forecast();
    forecast->set_minutes_per_report(f.minutes_per_report);
    forecast->set_minutes_per_report_low(f.minutes_per_report_low);
    forecast->set_minutes_per_report_high(f.minutes_per_report_high);
    forecast->set_hours_per_year(f.hours_per_year);
    forecast->set_hours_per_year_low(f.hours_per_year_low);
    forecast->set_hours_per_year_high(f.hours_per_year_high);
    forecast->set_agency_estimate(f.agency_estimate);
    forecast->set_basis(f.basis);
  }
  proto.set_recorded_at_unix(decision.recorded_at_unix);
  return proto;
}

namespace {

v1::BurdenForecast::Source ToProto(BurdenForecast::Source source) {
  switch (source) {
    case BurdenForecast::Source::kComparableDuties:
      return v1::BurdenForecast::SOURCE_COMPARABLE_DUTIES;
    case BurdenForecast::Source::kAgencyEstimate:
      return v1::BurdenForecast::SOURCE_AGENCY_ESTIMATE;
    case BurdenForecast::Source::kNotEstimable:
      return v1::BurdenForecast::SOURCE_NOT_ESTIMABLE;
  }
  return v1::BurdenForecast::SOURCE_UNSPECIFIED;
}

}  // namespace

void ToProto(const ImpactAssessment& assessment, v1::ImpactAssessment* proto) {
  for (const Flag& flag : assessment.flags) ToProto(flag, proto->add_flags());
  const BurdenForecast& f = assessment.forecast;
  v1::BurdenForecast* forecast = proto->mutable_forecast();
  forecast->set_source(ToProto(f.source));
  for (const ComparableDuty& c : f.comparables) {
    v1::ComparableDuty* out = forecast->add_comparables();
    out->set_duty_id(c.duty_id);
    out->set_agency_id(c.agency_id);
    out->set_title(c.title);
    out->set_similarity(c.similarity);
    for (const std::string& item : c.shared_items) out->add_shared_items(item);
    out->set_reports(c.reports);
    out->set_municipalities(c.municipalities);
    out->set_minutes_per_report(c.minutes_per_report);
  }
  forecast->set_reports(f.reports);
  forecast->set_municipalities(f.municipalities);
  forecast->set_minutes_per_report(f.minutes_per_report);
  forecast->set_minutes_per_report_low(f.minutes_per_report_low);
  forecast->set_minutes_per_report_high(f.minutes_per_report_high);
  forecast->set_hours_per_year(f.hours_per_year);
  forecast->set_hours_per_year_low(f.hours_per_year_low);
  forecast->set_hours_per_year_high(f.hours_per_year_high);
  forecast->set_cost_sek_per_year(f.cost_sek_per_year);
  forecast->set_cost_sek_per_year_low(f.cost_sek_per_year_low);
  forecast->set_cost_sek_per_year_high(f.cost_sek_per_year_high);
  forecast->set_reports_per_municipality_per_year(f.reports_per_municipality_per_year);
  for (const GroupForecast& g : f.by_group) {
    v1::GroupForecast* out = forecast->add_by_group();
    out->set_group(g.group);
    out->set_name(g.name);
    out->set_expected_municipalities(g.expected_municipalities);
    out->set_measured_municipalities(g.measured_municipalities);
    out->set_reports(g.reports);
    out->set_minutes_per_report(g.minutes_per_report);
    out->set_hours_per_year(g.hours_per_year);
  }
  forecast->set_basis(f.basis);
  forecast->set_basis_sv(f.basis_sv);
}

void ToProto(const ConsultationSummary& summary, v1::ConsultationSummary* proto) {
  proto->set_answers(summary.answers);
  proto->set_with_estimate(summary.with_estimate);
  proto->set_median_estimated_minutes(summary.median_estimated_minutes);
  proto->set_min_estimated_minutes(summary.min_estimated_minutes);
  proto->set_max_estimated_minutes(summary.max_estimated_minutes);
  proto->set_already_reported_elsewhere(summary.already_reported_elsewhere);
  for (const auto& [where, answers] : summary.reported_where) {
    v1::ConsultationSummary::Place* place = proto->add_reported_where();
    place->set_where(where);
    place->set_answers(answers);
  }
}

void ToProto(const RenewalEvidence& evidence, v1::RenewalEvidence* proto) {
  if (evidence.approval) *proto->mutable_approval() = ToProto(*evidence.approval);
  proto->set_since(evidence.since);
  proto->set_reports(evidence.reports);
  proto->set_minutes_per_report(evidence.minutes_per_report);
  proto->set_against_forecast(evidence.against_forecast);
  const NationalEstimate& n = evidence.national;
  proto->set_national_estimable(n.estimable);
  proto->set_national_hours_per_year(n.hours_per_year);
  proto->set_national_hours_per_year_low(n.hours_per_year_low);
  proto->set_national_hours_per_year_high(n.hours_per_year_high);
  proto->set_national_basis(n.estimable ? n.basis : n.not_estimable_reason);
  proto->set_national_basis_sv(n.estimable ? n.basis_sv : n.not_estimable_reason_sv);
  for (const PeriodFlags& period : evidence.period_flags) {
    v1::PeriodFlags* out = proto->add_period_flags();
    out->set_period(period.period);
    for (const std::string& code : period.codes) out->add_codes(code);
  }
  proto->set_recorded_uses(evidence.recorded_uses);
  ToProto(evidence.consultation, proto->mutable_consultation());
}

}  // namespace inrapport
