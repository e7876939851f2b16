#include "services/convert/proto_convert.h"

#include <string>
#include <utility>

#include "services/convert/enum_convert.h"

namespace inrapport {

Duty FromProto(const v1::ReportingDuty& proto) {
  Duty duty;
  duty.id = proto.id();
  duty.agency_id = proto.agency_id();
  duty.title = proto.title();
  duty.legal_basis = proto.legal_basis();
  duty.purpose = proto.purpose();
  duty.sector = FromProto(proto.sector());
  duty.frequency = FromProto(proto.frequency());
  duty.data_items.assign(proto.data_items().begin(), proto.data_items().end());
  duty.targeted_grant = proto.targeted_grant();
  duty.estimated_minutes_per_report = proto.estimated_minutes_per_report();
  duty.valid_from = proto.valid_from();
  duty.valid_until = proto.valid_until();
  duty.source_url = proto.source_url();
  duty.notes = proto.notes();
  duty.respondents.assign(proto.respondents().begin(), proto.respondents().end());
  duty.deadline = proto.deadline();
  // Where a duty stands is the lifecycle's; a client states an expiry only
  // when it registers a duty in force (DutyCatalog::Create).
  duty.expires_on = proto.expires_on();
  return duty;  // flags are output only
}

namespace {

// A report's fields other than its text.
Report ReportNumbers(const v1::Report& proto) {
  Report report;
  report.minutes_spent = proto.minutes_spent();
  report.staff_count = proto.staff_count();
  report.usefulness = proto.usefulness();
  report.feedback_received = FromProto(proto.feedback_received());
  report.already_reported_elsewhere = FromProto(proto.already_reported_elsewhere());
  return report;
}

}  // namespace

Report FromProto(const v1::Report& proto) {
  Report report = ReportNumbers(proto);
  report.submission_id = proto.submission_id();
  report.municipality_code = proto.municipality_code();
  report.duty_id = proto.duty_id();
  report.period = proto.period();
  report.comment = proto.comment();
  report.already_reported_where = proto.already_reported_where();
  return report;
}

Report FromProto(v1::Report&& proto) {
  Report report = ReportNumbers(proto);
  report.submission_id = std::move(*proto.mutable_submission_id());
  report.municipality_code = std::move(*proto.mutable_municipality_code());
  report.duty_id = std::move(*proto.mutable_duty_id());
  report.period = std::move(*proto.mutable_period());
  report.comment = std::move(*proto.mutable_comment());
  report.already_reported_where = std::move(*proto.mutable_already_reported_where());
  return report;
}

void ToProto(const Flag& flag, v1::Flag* proto) {
  proto->set_code(flag.code);
  proto->set_reason(flag.reason);
  proto->set_reason_sv(flag.reason_sv);
  for (const auto& [name, value] : flag.evidence) {
    (*proto->mutable_evidence())[name] = value;
  }
}

void ToProto(const LegalReference& ref, v1::LegalReference* proto) {
  proto->set_kind(ToProto(ref.kind));
  proto->set_act(ref.act);
  proto->set_sfs_number(ref.sfs);
  proto->set_chapter(ref.chapter);
  proto->set_section(ref.section);
  proto->set_point(ref.point);
  proto->set_text(ref.ToString());
}

Agency FromProto(const v1::Agency& proto) {
  return Agency{proto.id(), proto.name(), proto.organisation_number()};
}

v1::Agency ToProto(const Agency& agency) {
  v1::Agency proto;
  proto.set_id(agency.id);
  proto.set_name(agency.name);
  proto.set_organisation_number(agency.organisation_number);
  return proto;
}

v1::ReportingDuty ToProto(const Duty& duty) {
  v1::ReportingDuty proto;
  proto.set_id(duty.id);
  proto.set_agency_id(duty.agency_id);
  proto.set_title(duty.title);
  proto.set_legal_basis(duty.legal_basis);
  proto.set_purpose(duty.purpose);
  proto.set_sector(ToProto(duty.sector));
  proto.set_frequency(ToProto(duty.frequency));
  for (const std::string& item : duty.data_items) proto.add_data_items(item);
  proto.set_targeted_grant(duty.targeted_grant);
  proto.set_estimated_minutes_per_report(duty.estimated_minutes_per_report);
  proto.set_valid_from(duty.valid_from);
  proto.set_valid_until(duty.valid_until);
  proto.set_source_url(duty.source_url);
  proto.set_notes(duty.notes);
  for (const std::string& code : duty.respondents) proto.add_respondents(code);
  proto.set_deadline(duty.deadline);
  proto.set_state(ToProto(duty.state));
  proto.set_consultation_until(duty.consultation_until);
  proto.set_expires_on(duty.expires_on);
  for (const Flag& flag : duty.flags) ToProto(flag, proto.add_flags());
  for (const LegalReference& ref : duty.legal_references) {
    ToProto(ref, proto.add_legal_references());
  }
  proto.set_recorded_uses(duty.recorded_uses);
  proto.set_legal_basis_unverified(duty.legal_basis_unverified);
  for (const PeriodFlags& period : duty.period_flags) {
    v1::PeriodFlags* out = proto.add_period_flags();
    out->set_period(period.period);
    for (const std::string& code : period.codes) out->add_codes(code);
  }
  return proto;
}

v1::Report ToProto(const Report& report) {
  v1::Report proto;
  proto.set_submission_id(report.submission_id);
  proto.set_municipality_code(report.municipality_code);
  proto.set_duty_id(report.duty_id);
  proto.set_period(report.period);
  proto.set_minutes_spent(report.minutes_spent);
  proto.set_staff_count(report.staff_count);
  proto.set_usefulness(report.usefulness);
  proto.set_feedback_received(ToProto(report.feedback_received));
  proto.set_already_reported_elsewhere(
      ToProto(report.already_reported_elsewhere));
  proto.set_comment(report.comment);
  proto.set_already_reported_where(report.already_reported_where);
  return proto;
}

DutyUse FromProto(const v1::DutyUse& proto) {
  DutyUse use;
  use.duty_id = proto.duty_id();
  use.use_id = proto.use_id();
  use.kind = FromProto(proto.kind());
  use.date = proto.date();
  use.description = proto.description();
  use.link = proto.link();
  use.first_period = proto.first_period();
  use.last_period = proto.last_period();
  return use;
}

v1::DutyUse ToProto(const DutyUse& use) {
  v1::DutyUse proto;
  proto.set_duty_id(use.duty_id);
  proto.set_use_id(use.use_id);
  proto.set_kind(ToProto(use.kind));
  proto.set_date(use.date);
  proto.set_description(use.description);
  proto.set_link(use.link);
  proto.set_first_period(use.first_period);
  proto.set_last_period(use.last_period);
  return proto;
}

void ToProto(const NationalEstimate& e, v1::NationalEstimate* proto) {
  proto->set_estimable(e.estimable);
  proto->set_not_estimable_reason(e.not_estimable_reason);
  proto->set_not_estimable_reason_sv(e.not_estimable_reason_sv);
  proto->set_hours_per_year(e.hours_per_year);
  proto->set_hours_per_year_low(e.hours_per_year_low);
  proto->set_hours_per_year_high(e.hours_per_year_high);
  proto->set_cost_sek_per_year(e.cost_sek_per_year);
  proto->set_cost_sek_per_year_low(e.cost_sek_per_year_low);
  proto->set_cost_sek_per_year_high(e.cost_sek_per_year_high);
  proto->set_reports(e.reports);
  proto->set_municipalities(e.municipalities);
  proto->set_expected_municipalities(e.expected_municipalities);
  proto->set_groups_covered(e.groups_covered);
  proto->set_groups_expected(e.groups_expected);
  proto->set_groups_with_one_municipality(e.groups_with_one_municipality);
  proto->set_first_period(e.first_period);
  proto->set_last_period(e.last_period);
  proto->set_reports_per_municipality_per_year(e.reports_per_municipality_per_year);
  proto->set_yearly_count_basis(e.yearly_count_basis);
  proto->set_yearly_count_basis_sv(e.yearly_count_basis_sv);
  proto->set_basis(e.basis);
  proto->set_basis_sv(e.basis_sv);
}

void ToProto(const DutyAccount& a, v1::DutyAccount* proto) {
  proto->set_duty_id(a.duty_id);
  proto->set_agency_id(a.agency_id);
  proto->set_title(a.title);
  proto->set_sector(ToProto(a.sector));
  proto->set_frequency(ToProto(a.frequency));
  proto->set_reports(a.reports);
  proto->set_municipalities(a.municipalities);
  proto->set_minutes(a.minutes);
  proto->set_median_minutes(a.median_minutes.value_or(0));
  proto->set_hours(a.hours);
  proto->set_cost_sek(a.cost_sek);
  proto->set_estimated_minutes_per_report(a.estimated_minutes_per_report);
  proto->set_reports_per_municipality_per_year(a.reports_per_municipality_per_year);
  proto->set_national_hours(a.national_hours);
  proto->set_national_cost_sek(a.national_cost_sek);
  proto->set_recorded_uses(a.recorded_uses);
  for (const std::string& code : a.flag_codes) proto->add_flag_codes(code);
  ToProto(a.national, proto->mutable_national());
}

void ToProto(const CompletenessRowData& row, v1::CompletenessRow* proto) {
  proto->set_key(row.key);
  proto->set_label(row.label);
  proto->set_received(row.received);
  proto->set_expected(row.expected);
  proto->set_on_time(row.on_time);
  proto->set_late(row.late);
  proto->set_missing(row.missing);
  proto->set_not_yet_due(row.not_yet_due);
  proto->set_rate(row.rate());
}

namespace {

void ToProto(const ArenaBurdenRow& row, v1::ArenaBurdenRow* proto) {
  proto->set_key(row.key);
  proto->set_reports(row.reports);
  proto->set_minutes(row.minutes);
  proto->set_hours(row.hours);
  proto->set_cost_sek(row.cost_sek);
  proto->set_municipalities(row.municipalities);
  proto->set_flagged_share(row.flagged_share);
  proto->set_national_cost_sek(row.national_cost_sek);
  proto->set_not_estimable_duties(row.not_estimable_duties);
}

}  // namespace

void ToProto(const ArenaReport& report, v1::ArenaReport* proto) {
  proto->set_generated_on(report.generated_on);
  proto->set_tariff_sek_per_hour(report.tariff_sek_per_hour);
  proto->set_duties(report.duties);
  proto->set_flagged_duties(report.flagged_duties);
  proto->set_recorded_uses(report.recorded_uses);
  ToProto(report.totals, proto->mutable_totals());
  proto->set_flagged_national_cost_sek(report.flagged_national_cost_sek);
  proto->set_not_estimable_duties(report.not_estimable_duties);
  proto->set_flagged_not_estimable_duties(report.flagged_not_estimable_duties);
  for (const ArenaBurdenRow& row : report.by_agency) ToProto(row, proto->add_by_agency());
  for (const ArenaBurdenRow& row : report.by_sector) ToProto(row, proto->add_by_sector());
  for (const ArenaFlaggedDuty& duty : report.flagged) {
    v1::ArenaFlaggedDuty* out = proto->add_flagged();
    ToProto(duty.account, out->mutable_account());
    out->set_legal_basis(duty.legal_basis);
    for (const std::string& ref : duty.legal_references) out->add_legal_references(ref);
    out->set_source_url(duty.source_url);
    out->set_notes(duty.notes);
    for (const Flag& flag : duty.flags) ToProto(flag, out->add_flags());
    for (const ArenaComment& comment : duty.comments) {
      v1::ReportComment* c = out->add_comments();
      c->set_municipality_code(comment.municipality_code);
      c->set_duty_id(duty.account.duty_id);
      c->set_period(comment.period);
      c->set_comment(comment.comment);
    }
  }
  for (const ArenaOverlap& overlap : report.overlaps) {
    v1::ArenaOverlap* out = proto->add_overlaps();
    out->set_duty_id(overlap.duty_id);
    out->set_agency_id(overlap.agency_id);
    out->set_other_duty_id(overlap.other_duty_id);
    out->set_other_agency_id(overlap.other_agency_id);
    for (const std::string& item : overlap.shared_items) out->add_shared_items(item);
    out->set_item_count(overlap.item_count);
    out->set_overlap_minutes(overlap.overlap_minutes);
    out->set_overlap_cost_sek(overlap.overlap_cost_sek);
  }
  proto->set_language_code(std::string(ReportLanguageCode(report.language)));
  proto->set_illustrative(report.illustrative);
  proto->set_period_from(report.period_from);
  proto->set_period_to(report.period_to);
  for (const ArenaUnreportedDuty& duty : report.unreported) {
    v1::ArenaUnreportedDuty* out = proto->add_unreported();
    out->set_duty_id(duty.duty_id);
    out->set_agency_id(duty.agency_id);
    out->set_title(duty.title);
    out->set_sector(ToProto(duty.sector));
    out->set_frequency(ToProto(duty.frequency));
    for (const std::string& code : duty.flag_codes) out->add_flag_codes(code);
  }
  for (const ArenaReportedElsewhere& place : report.reported_elsewhere) {
    v1::ArenaReportedElsewhere* out = proto->add_reported_elsewhere();
    out->set_duty_id(place.duty_id);
    out->set_agency_id(place.agency_id);
    out->set_where(place.where);
    out->set_other_duty_id(place.other_duty_id);
    out->set_other_agency_id(place.other_agency_id);
    out->set_reports(place.reports);
    out->set_municipalities(place.municipalities);
  }
  for (const ArenaYearRow& year : report.by_year) {
    v1::ArenaYearRow* out = proto->add_by_year();
    out->set_year(year.year);
    out->set_agency_id(year.agency_id);
    out->set_reports(year.reports);
    out->set_minutes(year.minutes);
    out->set_flagged_minutes(year.flagged_minutes);
    out->set_hours(year.hours);
    out->set_cost_sek(year.cost_sek);
    out->set_flagged_cost_sek(year.flagged_cost_sek);
    out->set_flagged_share(year.flagged_share);
  }
  for (const ArenaDecision& decision : report.decisions) {
    v1::ArenaDecision* out = proto->add_decisions();
    out->set_duty_id(decision.duty_id);
    out->set_title(decision.title);
    out->set_agency_id(decision.agency_id);
    out->set_agency_name(decision.agency_name);
    out->set_kind(std::string(DecisionKindName(decision.kind)));
    out->set_reason(decision.reason);
    out->set_decided_on(decision.decided_on);
    out->set_merge_into(decision.merge_into);
    for (const ArenaDecisionYear& year : decision.years) {
      v1::ArenaDecisionYear* y = out->add_years();
      y->set_year(year.year);
      y->set_after(year.after);
      y->set_reports(year.reports);
      y->set_minutes(year.minutes);
      y->set_hours(year.hours);
      y->set_cost_sek(year.cost_sek);
    }
    if (const std::optional<ArenaDecisionChange> change =
            DecisionChangeOf(decision, report.generated_on)) {
      v1::ArenaDecisionChange* c = out->mutable_change();
      c->set_year_before(change->year_before);
      c->set_year_after(change->year_after);
      c->set_hours_before(change->hours_before);
      c->set_hours_after(change->hours_after);
      c->set_change_hours(change->change_hours);
      c->set_change_cost_sek(change->change_cost_sek);
    }
  }
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

v1::ReportComment ToProto(const StoredComment& comment) {
  v1::ReportComment proto;
  proto.set_submission_id(comment.submission_id);
  proto.set_municipality_code(comment.municipality_code);
  proto.set_duty_id(comment.duty_id);
  proto.set_period(comment.period);
  proto.set_comment(comment.comment);
  proto.set_received_at_unix(comment.received_at_unix);
  return proto;
}

v1::Receipt ToProto(const std::string& submission_id, const Receipt& receipt) {
  v1::Receipt proto;
  proto.set_submission_id(submission_id);
  proto.mutable_received_at()->set_seconds(receipt.received_at_unix);
  proto.set_version(receipt.version);
  if (receipt.changed_at_unix != 0) proto.mutable_changed_at()->set_seconds(receipt.changed_at_unix);
  return proto;
}

v1::StoredReport ToProto(const StoredReport& stored) {
  v1::StoredReport proto;
  *proto.mutable_report() = ToProto(stored.report);
  *proto.mutable_receipt() = ToProto(stored.report.submission_id, stored.receipt);
  proto.set_withdrawn(stored.withdrawn);
  proto.set_reason(stored.reason);
  return proto;
}

void ToProto(const DutyVersion& version, v1::DutyVersion* proto) {
  proto->set_version(version.version);
  proto->set_changed_at_unix(version.changed_at_unix);
  proto->set_changed_by(version.change.changed_by);
  for (const std::string& field : version.change.changed_fields) proto->add_changed_fields(field);
  proto->set_reason(version.change.reason);
  *proto->mutable_duty() = ToProto(version.duty);
}

}  // namespace inrapport
