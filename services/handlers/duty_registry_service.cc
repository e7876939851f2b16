#include "services/handlers/duty_registry_service.h"

#include "services/convert/proto_convert.h"
#include "services/handlers/handler_util.h"

namespace inrapport {

grpc::ServerUnaryReactor* DutyRegistryService::CreateDuty(
    grpc::CallbackServerContext* context, const v1::CreateDutyRequest* request,
    v1::ReportingDuty* response) {
  absl::StatusOr<Principal> caller = auth_->Check(
      *context, "CreateDuty",
      {{"duty.id", request->duty().id()}, {"duty.agency_id", request->duty().agency_id()}},
      Action::kWriteDuty, {request->duty().agency_id(), ""});
  if (!caller.ok()) return FinishWith(context, caller.status());
  absl::StatusOr<Duty> duty = catalog_->Create(FromProto(request->duty()));
  if (duty.ok()) *response = ToProto(*duty);
  return FinishWith(context, duty.status());
}

grpc::ServerUnaryReactor* DutyRegistryService::GetDuty(
    grpc::CallbackServerContext* context, const v1::GetDutyRequest* request,
    v1::ReportingDuty* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "GetDuty", {{"id", request->id()}}, Action::kReadDuties, {});
  if (!caller.ok()) return FinishWith(context, caller.status());
  if (request->id().empty()) {
    return FinishWith(context, absl::InvalidArgumentError("id: must not be empty"));
  }
  absl::StatusOr<Duty> duty = catalog_->Get(request->id());
  if (duty.ok()) *response = ToProto(*duty);
  return FinishWith(context, duty.status());
}

grpc::ServerUnaryReactor* DutyRegistryService::UpdateDuty(
    grpc::CallbackServerContext* context, const v1::UpdateDutyRequest* request,
    v1::ReportingDuty* response) {
  // Both the duty as sent and the duty as stored must be the caller's: an
  // agency may neither write another's duty nor take one over.
  absl::StatusOr<Principal> caller = auth_->Check(
      *context, "UpdateDuty",
      {{"duty.id", request->duty().id()}, {"duty.agency_id", request->duty().agency_id()}},
      Action::kWriteDuty, {request->duty().agency_id(), ""});
  if (!caller.ok()) return FinishWith(context, caller.status());
  if (std::shared_ptr<const Duty> stored = catalog_->Find(request->duty().id())) {
    absl::Status owner = auth_->CheckPrincipal(*context, "UpdateDuty", *caller,
                                               Action::kWriteDuty, {stored->agency_id, ""});
    if (!owner.ok()) return FinishWith(context, owner);
  }
  absl::StatusOr<Duty> duty = catalog_->Update(FromProto(request->duty()));
  if (duty.ok()) *response = ToProto(*duty);
  return FinishWith(context, duty.status());
}

grpc::ServerUnaryReactor* DutyRegistryService::ListDuties(
    grpc::CallbackServerContext* context, const v1::ListDutiesRequest* request,
    v1::ListDutiesResponse* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "ListDuties",
                   {{"agency_id", request->agency_id()},
                    {"page_token", request->page_token(), kMaxPageTokenLength}},
                   Action::kReadDuties, {});
  if (!caller.ok()) return FinishWith(context, caller.status());
  absl::Status valid = CheckSector("sector", request->sector());
  if (!valid.ok()) return FinishWith(context, valid);
  DutyFilter filter;
  filter.agency_id = request->agency_id();
  filter.sector = static_cast<Sector>(request->sector());
  filter.flagged_only = request->flagged_only();
  absl::StatusOr<DutyPage> page =
      catalog_->List(filter, request->page_size(), request->page_token());
  if (page.ok()) {
    for (const Duty& duty : page->duties) *response->add_duties() = ToProto(duty);
    response->set_next_page_token(page->next_page_token);
  }
  return FinishWith(context, page.status());
}

grpc::ServerUnaryReactor* DutyRegistryService::RecordDutyUse(
    grpc::CallbackServerContext* context, const v1::RecordDutyUseRequest* request,
    v1::RecordDutyUseResponse* response) {
  // Only the duty's agency records its uses; for an unknown duty the caller
  // is only authenticated, and the catalogue answers NOT_FOUND.
  absl::StatusOr<Principal> caller =
      auth_->Admit(*context, "RecordDutyUse", {{"use.duty_id", request->use().duty_id()}});
  if (!caller.ok()) return FinishWith(context, caller.status());
  std::shared_ptr<const Duty> duty = catalog_->Find(request->use().duty_id());
  absl::Status allowed =
      duty != nullptr ? auth_->CheckPrincipal(*context, "RecordDutyUse", *caller,
                                              Action::kRecordUse, {duty->agency_id, ""})
                      : auth_->CheckPrincipal(*context, "RecordDutyUse", *caller,
                                              Action::kReadDuties, {});
  if (!allowed.ok()) return FinishWith(context, allowed);
  absl::StatusOr<RecordedUse> recorded = catalog_->RecordUse(FromProto(request->use()));
  if (recorded.ok()) {
    *response->mutable_use() = ToProto(recorded->use);
    response->set_duplicate(recorded->duplicate);
  }
  return FinishWith(context, recorded.status());
}

grpc::ServerUnaryReactor* DutyRegistryService::ListDutyUses(
    grpc::CallbackServerContext* context, const v1::ListDutyUsesRequest* request,
    v1::ListDutyUsesResponse* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "ListDutyUses",
                   {{"duty_id", request->duty_id()},
                    {"agency_id", request->agency_id()},
                    {"municipality_code", request->municipality_code()},
                    {"page_token", request->page_token(), kMaxPageTokenLength}},
                   Action::kReadUses, {request->agency_id(), request->municipality_code()});
  if (!caller.ok()) return FinishWith(context, caller.status());
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
  return FinishWith(context, page.status());
}

}  // namespace inrapport
