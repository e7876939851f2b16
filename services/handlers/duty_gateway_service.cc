#include "services/handlers/duty_gateway_service.h"

#include "absl/strings/str_cat.h"
#include "common/text/text_safety.h"
#include "services/convert/enum_convert.h"
#include "services/convert/lifecycle_convert.h"
#include "services/convert/proto_convert.h"

namespace inrapport {

absl::StatusOr<std::string> DutyGatewayService::AgencyOf(absl::string_view field,
                                                         const std::string& id) const {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": must not be empty"));
  std::shared_ptr<const Duty> duty = catalog_->Find(id);
  if (duty == nullptr) {
    return absl::NotFoundError(
        absl::StrCat(field, ": duty ", QuoteValue(id), " is not registered"));
  }
  return duty->agency_id;
}

v1::ReportingDuty DutyGatewayService::Named(const Duty& duty) const {
  v1::ReportingDuty proto = ToProto(duty);
  proto.set_agency_name(agencies_->NameOf(duty.agency_id));
  return proto;
}

absl::Status DutyGatewayService::HandleProposeDuty(grpc::CallbackServerContext* context,
                                                   const v1::ProposeDutyRequest* request,
                                                   v1::ProposeDutyResponse* response) {
  const v1::ReportingDuty& duty = request->duty();
  absl::StatusOr<Principal> caller = auth_->Check(
      *context, "ProposeDuty", {{"duty.id", duty.id()}, {"duty.agency_id", duty.agency_id()}},
      Action::kProposeDuty, {duty.agency_id(), ""});
  if (!caller.ok()) return caller.status();
  Duty proposed = FromProto(duty);
  proposed.expires_on.clear();
  absl::StatusOr<DutyLifecycle::Proposal> proposal =
      lifecycle_->Propose(std::move(proposed), caller->ToString(), request->reason());
  if (!proposal.ok()) return proposal.status();
  *response->mutable_duty() = Named(proposal->duty);
  response->mutable_assessment()->set_duty_id(proposal->duty.id);
  ToProto(proposal->assessment, response->mutable_assessment());
  return absl::OkStatus();
}

absl::Status DutyGatewayService::HandleAssessDuty(grpc::CallbackServerContext* context,
                                                  const v1::AssessDutyRequest* request,
                                                  v1::ImpactAssessment* response) {
  absl::StatusOr<Principal> caller =
      auth_->Admit(*context, "AssessDuty", {{"duty_id", request->duty_id()}});
  if (!caller.ok()) return caller.status();
  absl::StatusOr<std::string> agency = AgencyOf("duty_id", request->duty_id());
  if (!agency.ok()) return agency.status();
  absl::Status allowed = auth_->CheckPrincipal(*context, "AssessDuty", *caller,
                                               Action::kReadAssessment, {*agency, ""});
  if (!allowed.ok()) return allowed;
  absl::StatusOr<ImpactAssessment> assessment = lifecycle_->Assess(request->duty_id());
  if (!assessment.ok()) return assessment.status();
  response->set_duty_id(request->duty_id());
  ToProto(*assessment, response);
  return absl::OkStatus();
}

absl::Status DutyGatewayService::HandleOpenConsultation(grpc::CallbackServerContext* context,
                                                        const v1::OpenConsultationRequest* request,
                                                        v1::ReportingDuty* response) {
  absl::StatusOr<Principal> caller = auth_->Admit(
      *context, "OpenConsultation", {{"duty_id", request->duty_id()}, {"until", request->until()}});
  if (!caller.ok()) return caller.status();
  absl::StatusOr<std::string> agency = AgencyOf("duty_id", request->duty_id());
  if (!agency.ok()) return agency.status();
  absl::Status allowed = auth_->CheckPrincipal(*context, "OpenConsultation", *caller,
                                               Action::kOpenConsultation, {*agency, ""});
  if (!allowed.ok()) return allowed;
  absl::StatusOr<Duty> duty = lifecycle_->OpenConsultation(request->duty_id(), request->until(),
                                                           caller->ToString(), request->reason());
  if (duty.ok()) *response = Named(*duty);
  return duty.status();
}

absl::Status DutyGatewayService::HandleAnswerConsultation(
    grpc::CallbackServerContext* context, const v1::AnswerConsultationRequest* request,
    v1::ConsultationAnswer* response) {
  const v1::ConsultationAnswer& answer = request->answer();
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "AnswerConsultation",
                   {{"answer.duty_id", answer.duty_id()},
                    {"answer.municipality_code", answer.municipality_code()}},
                   Action::kAnswerConsultation, {"", answer.municipality_code()});
  if (!caller.ok()) return caller.status();
  ConsultationAnswer given = FromProto(answer);
  given.answered_by = caller->ToString();
  absl::StatusOr<ConsultationAnswer> stored = lifecycle_->Answer(std::move(given));
  if (stored.ok()) *response = ToProto(*stored);
  return stored.status();
}

absl::Status DutyGatewayService::HandleGetConsultation(grpc::CallbackServerContext* context,
                                                       const v1::GetConsultationRequest* request,
                                                       v1::Consultation* response) {
  absl::StatusOr<Principal> caller = auth_->Admit(
      *context, "GetConsultation",
      {{"duty_id", request->duty_id()}, {"municipality_code", request->municipality_code()}});
  if (!caller.ok()) return caller.status();
  absl::StatusOr<std::string> agency = AgencyOf("duty_id", request->duty_id());
  if (!agency.ok()) return agency.status();
  absl::Status allowed =
      auth_->CheckPrincipal(*context, "GetConsultation", *caller, Action::kReadConsultation,
                            {*agency, request->municipality_code()});
  if (!allowed.ok()) return allowed;
  absl::StatusOr<Consultation> consultation =
      lifecycle_->ConsultationOf(request->duty_id(), request->municipality_code());
  if (!consultation.ok()) return consultation.status();
  *response->mutable_duty() = Named(consultation->duty);
  response->set_open(consultation->open);
  for (const ConsultationAnswer& answer : consultation->answers) {
    *response->add_answers() = ToProto(answer);
  }
  ToProto(consultation->summary, response->mutable_summary());
  return absl::OkStatus();
}

absl::Status DutyGatewayService::HandleDecideDuty(grpc::CallbackServerContext* context,
                                                  const v1::DecideDutyRequest* request,
                                                  v1::DecideDutyResponse* response) {
  const v1::DutyDecision& decision = request->decision();
  absl::StatusOr<Principal> caller = auth_->Check(*context, "DecideDuty",
                                                  {{"decision.duty_id", decision.duty_id()},
                                                   {"decision.merge_into", decision.merge_into()},
                                                   {"decision.decided_on", decision.decided_on()},
                                                   {"decision.expires_on", decision.expires_on()}},
                                                  Action::kDecideDuty, {});
  if (!caller.ok()) return caller.status();
  if (!v1::DecisionKind_IsValid(decision.kind())) {
    return absl::InvalidArgumentError(
        absl::StrCat("decision.kind: unknown value ", static_cast<int>(decision.kind())));
  }
  DutyDecision given = FromProto(decision);
  given.decided_by = caller->ToString();
  absl::StatusOr<DutyLifecycle::Decided> decided = lifecycle_->Decide(std::move(given));
  if (!decided.ok()) return decided.status();
  *response->mutable_decision() = ToProto(decided->decision);
  *response->mutable_duty() = Named(decided->duty);
  return absl::OkStatus();
}

absl::Status DutyGatewayService::HandleListDecisions(grpc::CallbackServerContext* context,
                                                     const v1::ListDecisionsRequest* request,
                                                     v1::ListDecisionsResponse* response) {
  absl::StatusOr<Principal> caller = auth_->Check(
      *context, "ListDecisions", {{"duty_id", request->duty_id()}}, Action::kReadDuties, {});
  if (!caller.ok()) return caller.status();
  if (!request->duty_id().empty()) {
    absl::StatusOr<std::string> agency = AgencyOf("duty_id", request->duty_id());
    if (!agency.ok()) return agency.status();
  }
  for (const DutyDecision& decision : lifecycle_->Decisions(request->duty_id())) {
    *response->add_decisions() = ToProto(decision);
  }
  return absl::OkStatus();
}

absl::Status DutyGatewayService::HandleGetRenewalEvidence(
    grpc::CallbackServerContext* context, const v1::GetRenewalEvidenceRequest* request,
    v1::RenewalEvidence* response) {
  absl::StatusOr<Principal> caller =
      auth_->Admit(*context, "GetRenewalEvidence", {{"duty_id", request->duty_id()}});
  if (!caller.ok()) return caller.status();
  absl::StatusOr<std::string> agency = AgencyOf("duty_id", request->duty_id());
  if (!agency.ok()) return agency.status();
  absl::Status allowed = auth_->CheckPrincipal(*context, "GetRenewalEvidence", *caller,
                                               Action::kReadAssessment, {*agency, ""});
  if (!allowed.ok()) return allowed;
  absl::StatusOr<RenewalEvidence> evidence = lifecycle_->EvidenceFor(request->duty_id());
  if (!evidence.ok()) return evidence.status();
  *response->mutable_duty() = Named(evidence->duty);
  ToProto(*evidence, response);
  return absl::OkStatus();
}

}  // namespace inrapport
