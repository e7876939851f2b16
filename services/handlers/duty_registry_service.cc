#include "services/handlers/duty_registry_service.h"

#include "services/convert/enum_convert.h"
#include "services/convert/proto_convert.h"
#include "services/handlers/handler_util.h"

namespace inrapport {

absl::Status DutyRegistryService::HandleCreateDuty(
    grpc::CallbackServerContext* context, const v1::CreateDutyRequest* request,
    v1::ReportingDuty* response) {
  absl::StatusOr<Principal> caller = auth_->Check(
      *context, "CreateDuty",
      {{"duty.id", request->duty().id()}, {"duty.agency_id", request->duty().agency_id()}},
      Action::kRegisterDuty, {request->duty().agency_id(), ""});
  if (!caller.ok()) return caller.status();
  absl::StatusOr<Duty> duty = catalog_->Create(FromProto(request->duty()), caller->ToString());
  if (duty.ok()) *response = Named(*duty);
  return duty.status();
}

absl::Status DutyRegistryService::HandleGetDuty(
    grpc::CallbackServerContext* context, const v1::GetDutyRequest* request,
    v1::ReportingDuty* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "GetDuty", {{"id", request->id()}}, Action::kReadDuties, {});
  if (!caller.ok()) return caller.status();
  if (request->id().empty()) {
    return absl::InvalidArgumentError("id: must not be empty");
  }
  absl::StatusOr<Duty> duty = catalog_->Get(request->id());
  if (duty.ok()) *response = Named(*duty);
  return duty.status();
}

absl::Status DutyRegistryService::HandleUpdateDuty(
    grpc::CallbackServerContext* context, const v1::UpdateDutyRequest* request,
    v1::ReportingDuty* response) {
  // Both the duty as sent and the duty as stored must be the caller's: an
  // agency may neither write another's duty nor take one over.
  absl::StatusOr<Principal> caller = auth_->Check(
      *context, "UpdateDuty",
      {{"duty.id", request->duty().id()}, {"duty.agency_id", request->duty().agency_id()}},
      Action::kWriteDuty, {request->duty().agency_id(), ""});
  if (!caller.ok()) return caller.status();
  if (std::shared_ptr<const Duty> stored = catalog_->Find(request->duty().id())) {
    absl::Status owner = auth_->CheckPrincipal(*context, "UpdateDuty", *caller,
                                               Action::kWriteDuty, {stored->agency_id, ""});
    if (!owner.ok()) return owner;
  }
  absl::StatusOr<Duty> duty = catalog_->Update(FromProto(request->duty()), caller->ToString());
  if (duty.ok()) *response = Named(*duty);
  return duty.status();
}

absl::Status DutyRegistryService::HandleListDuties(
    grpc::CallbackServerContext* context, const v1::ListDutiesRequest* request,
    v1::ListDutiesResponse* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "ListDuties",
                   {{"agency_id", request->agency_id()},
                    {"page_token", request->page_token(), kMaxPageTokenLength}},
                   Action::kReadDuties, {});
  if (!caller.ok()) return caller.status();
  absl::Status valid = CheckSector("sector", request->sector());
  if (!valid.ok()) return valid;
  DutyFilter filter;
  filter.agency_id = request->agency_id();
  filter.sector = FromProto(request->sector());
  filter.flagged_only = request->flagged_only();
  if (!v1::DutyState_IsValid(request->state())) {
    return absl::InvalidArgumentError(
        absl::StrCat("state: unknown value ", static_cast<int>(request->state())));
  }
  filter.state = FromProto(request->state());
  absl::StatusOr<DutyPage> page =
      catalog_->List(filter, request->page_size(), request->page_token());
  if (page.ok()) {
    for (const Duty& duty : page->duties) *response->add_duties() = Named(duty);
    response->set_next_page_token(page->next_page_token);
  }
  return page.status();
}

absl::Status DutyRegistryService::HandleRecordDutyUse(
    grpc::CallbackServerContext* context, const v1::RecordDutyUseRequest* request,
    v1::RecordDutyUseResponse* response) {
  // Only the duty's agency records its uses; for an unknown duty the caller
  // is only authenticated, and the catalogue answers NOT_FOUND.
  absl::StatusOr<Principal> caller =
      auth_->Admit(*context, "RecordDutyUse", {{"use.duty_id", request->use().duty_id()}});
  if (!caller.ok()) return caller.status();
  std::shared_ptr<const Duty> duty = catalog_->Find(request->use().duty_id());
  absl::Status allowed =
      duty != nullptr ? auth_->CheckPrincipal(*context, "RecordDutyUse", *caller,
                                              Action::kRecordUse, {duty->agency_id, ""})
                      : auth_->CheckPrincipal(*context, "RecordDutyUse", *caller,
                                              Action::kReadDuties, {});
  if (!allowed.ok()) return allowed;
  absl::StatusOr<RecordedUse> recorded = catalog_->RecordUse(FromProto(request->use()));
  if (recorded.ok()) {
    *response->mutable_use() = ToProto(recorded->use);
    response->set_duplicate(recorded->duplicate);
  }
  return recorded.status();
}

absl::Status DutyRegistryService::HandleListDutyUses(
    grpc::CallbackServerContext* context, const v1::ListDutyUsesRequest* request,
    v1::ListDutyUsesResponse* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "ListDutyUses",
                   {{"duty_id", request->duty_id()},
                    {"agency_id", request->agency_id()},
                    {"municipality_code", request->municipality_code()},
                    {"page_token", request->page_token(), kMaxPageTokenLength}},
                   Action::kReadUses, {request->agency_id(), request->municipality_code()});
  if (!caller.ok()) return caller.status();
  UseQuery query;
  query.duty_id = request->duty_id();
  query.agency_id = request->agency_id();
  query.municipality_code = request->municipality_code();
  query.page_size = request->page_size();
  query.page_token = request->page_token();
  absl::StatusOr<UsePage> page = queries_->Uses(query);
  if (page.ok()) {
    for (const DutyUse& use : page->uses) *response->add_uses() = ToProto(use);
    response->set_next_page_token(page->next_page_token);
  }
  return page.status();
}

absl::Status DutyRegistryService::HandleGetDutyHistory(
    grpc::CallbackServerContext* context, const v1::GetDutyHistoryRequest* request,
    v1::GetDutyHistoryResponse* response) {
  absl::StatusOr<Principal> caller = auth_->Check(*context, "GetDutyHistory",
                                                  {{"id", request->id()}}, Action::kReadDuties, {});
  if (!caller.ok()) return caller.status();
  if (request->id().empty()) return absl::InvalidArgumentError("id: must not be empty");
  absl::StatusOr<std::vector<DutyVersion>> history = catalog_->History(request->id());
  if (history.ok()) {
    for (const DutyVersion& version : *history) ToProto(version, response->add_versions());
  }
  return history.status();
}

v1::ReportingDuty DutyRegistryService::Named(const Duty& duty) const {
  v1::ReportingDuty proto = ToProto(duty);
  proto.set_agency_name(agencies_->NameOf(duty.agency_id));
  return proto;
}

absl::Status DutyRegistryService::HandleCreateAgency(grpc::CallbackServerContext* context,
                                                     const v1::CreateAgencyRequest* request,
                                                     v1::Agency* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "CreateAgency", {{"agency.id", request->agency().id()}},
                   Action::kWriteAgency, {});
  if (!caller.ok()) return caller.status();
  absl::StatusOr<Agency> agency = agencies_->Create(FromProto(request->agency()));
  if (agency.ok()) *response = ToProto(*agency);
  return agency.status();
}

absl::Status DutyRegistryService::HandleUpdateAgency(grpc::CallbackServerContext* context,
                                                     const v1::UpdateAgencyRequest* request,
                                                     v1::Agency* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "UpdateAgency", {{"agency.id", request->agency().id()}},
                   Action::kWriteAgency, {});
  if (!caller.ok()) return caller.status();
  absl::StatusOr<Agency> agency = agencies_->Update(FromProto(request->agency()));
  if (agency.ok()) *response = ToProto(*agency);
  return agency.status();
}

absl::Status DutyRegistryService::HandleGetAgency(grpc::CallbackServerContext* context,
                                                  const v1::GetAgencyRequest* request,
                                                  v1::Agency* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "GetAgency", {{"id", request->id()}}, Action::kReadAgencies, {});
  if (!caller.ok()) return caller.status();
  if (request->id().empty()) return absl::InvalidArgumentError("id: must not be empty");
  absl::StatusOr<Agency> agency = agencies_->Get(request->id());
  if (agency.ok()) *response = ToProto(*agency);
  return agency.status();
}

absl::Status DutyRegistryService::HandleListAgencies(grpc::CallbackServerContext* context,
                                                     const v1::ListAgenciesRequest* request,
                                                     v1::ListAgenciesResponse* response) {
  absl::StatusOr<Principal> caller = auth_->Check(
      *context, "ListAgencies", {{"page_token", request->page_token(), kMaxPageTokenLength}},
      Action::kReadAgencies, {});
  if (!caller.ok()) return caller.status();
  absl::StatusOr<AgencyPage> page = agencies_->List(request->page_size(), request->page_token());
  if (page.ok()) {
    for (const Agency& agency : page->agencies) *response->add_agencies() = ToProto(agency);
    response->set_next_page_token(page->next_page_token);
  }
  return page.status();
}

}  // namespace inrapport
