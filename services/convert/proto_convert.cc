#include "services/convert/proto_convert.h"

#include <string>

namespace inrapport {

Duty FromProto(const v1::ReportingDuty& proto) {
  Duty duty;
  duty.id = proto.id();
  duty.agency_id = proto.agency_id();
  duty.title = proto.title();
  duty.legal_basis = proto.legal_basis();
  duty.purpose = proto.purpose();
  duty.sector = static_cast<Sector>(proto.sector());
  duty.frequency = static_cast<Frequency>(proto.frequency());
  duty.data_items.assign(proto.data_items().begin(), proto.data_items().end());
  duty.targeted_grant = proto.targeted_grant();
  duty.estimated_minutes_per_report = proto.estimated_minutes_per_report();
  duty.valid_from = proto.valid_from();
  duty.valid_until = proto.valid_until();
  duty.source_url = proto.source_url();
  duty.notes = proto.notes();
  return duty;  // flags are output only
}

Report FromProto(const v1::Report& proto) {
  Report report;
  report.submission_id = proto.submission_id();
  report.municipality_code = proto.municipality_code();
  report.duty_id = proto.duty_id();
  report.period = proto.period();
  report.minutes_spent = proto.minutes_spent();
  report.staff_count = proto.staff_count();
  report.usefulness = proto.usefulness();
  report.feedback_received = static_cast<Answer>(proto.feedback_received());
  report.already_reported_elsewhere =
      static_cast<Answer>(proto.already_reported_elsewhere());
  report.comment = proto.comment();
  return report;
}

void ToProto(const Flag& flag, v1::Flag* proto) {
  proto->set_code(flag.code);
  proto->set_reason(flag.reason);
  for (const auto& [name, value] : flag.evidence) {
    (*proto->mutable_evidence())[name] = value;
  }
}

v1::ReportingDuty ToProto(const Duty& duty) {
  v1::ReportingDuty proto;
  proto.set_id(duty.id);
  proto.set_agency_id(duty.agency_id);
  proto.set_title(duty.title);
  proto.set_legal_basis(duty.legal_basis);
  proto.set_purpose(duty.purpose);
  proto.set_sector(static_cast<v1::Sector>(duty.sector));
  proto.set_frequency(static_cast<v1::Frequency>(duty.frequency));
  for (const std::string& item : duty.data_items) proto.add_data_items(item);
  proto.set_targeted_grant(duty.targeted_grant);
  proto.set_estimated_minutes_per_report(duty.estimated_minutes_per_report);
  proto.set_valid_from(duty.valid_from);
  proto.set_valid_until(duty.valid_until);
  proto.set_source_url(duty.source_url);
  proto.set_notes(duty.notes);
  for (const Flag& flag : duty.flags) ToProto(flag, proto.add_flags());
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
  proto.set_feedback_received(static_cast<v1::Answer>(report.feedback_received));
  proto.set_already_reported_elsewhere(
      static_cast<v1::Answer>(report.already_reported_elsewhere));
  proto.set_comment(report.comment);
  return proto;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

}  // namespace inrapport
