// inrapport.v1.DutyRegistry: converts, calls the catalogue, maps the status.
#ifndef INRAPPORT_SERVICES_HANDLERS_DUTY_REGISTRY_SERVICE_H_
#define INRAPPORT_SERVICES_HANDLERS_DUTY_REGISTRY_SERVICE_H_

#include "common/burden/burden_queries.h"
#include "common/catalog/duty_catalog.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "services/handlers/call_auth.h"
#include "services/handlers/raw_call.h"

namespace inrapport {

// Every method raw: requests are parsed in services/handlers/raw_call.h.
using RawDutyRegistryService =
    v1::DutyRegistry::WithRawCallbackMethod_CreateDuty<
    v1::DutyRegistry::WithRawCallbackMethod_GetDuty<
    v1::DutyRegistry::WithRawCallbackMethod_UpdateDuty<
    v1::DutyRegistry::WithRawCallbackMethod_ListDuties<
    v1::DutyRegistry::WithRawCallbackMethod_RecordDutyUse<
    v1::DutyRegistry::WithRawCallbackMethod_ListDutyUses<
    v1::DutyRegistry::WithRawCallbackMethod_GetDutyHistory<
    v1::DutyRegistry::WithRawCallbackMethod_CreateAgency<
    v1::DutyRegistry::WithRawCallbackMethod_UpdateAgency<
    v1::DutyRegistry::WithRawCallbackMethod_GetAgency<
    v1::DutyRegistry::WithRawCallbackMethod_ListAgencies<
    v1::DutyRegistry::Service>>>>>>>>>>>;

class DutyRegistryService final : public RawDutyRegistryService {
 public:
  // The pointers are not owned and must outlive the service.
  DutyRegistryService(DutyCatalog* catalog, AgencyRegister* agencies,
                      const BurdenQueries* queries, const CallAuth* auth)
      : catalog_(catalog), agencies_(agencies), queries_(queries), auth_(auth) {}

  grpc::ServerUnaryReactor* CreateDuty(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override {
    return ServeUnary<v1::CreateDutyRequest, v1::ReportingDuty>(
        context, request, response,
        [this](auto... args) { return HandleCreateDuty(args...); });
  }
  grpc::ServerUnaryReactor* GetDuty(grpc::CallbackServerContext* context,
                                    const grpc::ByteBuffer* request,
                                    grpc::ByteBuffer* response) override {
    return ServeUnary<v1::GetDutyRequest, v1::ReportingDuty>(
        context, request, response,
        [this](auto... args) { return HandleGetDuty(args...); });
  }
  grpc::ServerUnaryReactor* UpdateDuty(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override {
    return ServeUnary<v1::UpdateDutyRequest, v1::ReportingDuty>(
        context, request, response,
        [this](auto... args) { return HandleUpdateDuty(args...); });
  }
  grpc::ServerUnaryReactor* ListDuties(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override {
    return ServeUnary<v1::ListDutiesRequest, v1::ListDutiesResponse>(
        context, request, response,
        [this](auto... args) { return HandleListDuties(args...); });
  }
  grpc::ServerUnaryReactor* RecordDutyUse(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override {
    return ServeUnary<v1::RecordDutyUseRequest, v1::RecordDutyUseResponse>(
        context, request, response,
        [this](auto... args) { return HandleRecordDutyUse(args...); });
  }
  grpc::ServerUnaryReactor* ListDutyUses(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override {
    return ServeUnary<v1::ListDutyUsesRequest, v1::ListDutyUsesResponse>(
        context, request, response,
        [this](auto... args) { return HandleListDutyUses(args...); });
  }
  grpc::ServerUnaryReactor* GetDutyHistory(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override {
    return ServeUnary<v1::GetDutyHistoryRequest, v1::GetDutyHistoryResponse>(
        context, request, response,
        [this](auto... args) { return HandleGetDutyHistory(args...); });
  }
  grpc::ServerUnaryReactor* CreateAgency(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override {
    return ServeUnary<v1::CreateAgencyRequest, v1::Agency>(
        context, request, response, [this](auto... args) { return HandleCreateAgency(args...); });
  }
  grpc::ServerUnaryReactor* UpdateAgency(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override {
    return ServeUnary<v1::UpdateAgencyRequest, v1::Agency>(
        context, request, response, [this](auto... args) { return HandleUpdateAgency(args...); });
  }
  grpc::ServerUnaryReactor* GetAgency(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override {
    return ServeUnary<v1::GetAgencyRequest, v1::Agency>(
        context, request, response, [this](auto... args) { return HandleGetAgency(args...); });
  }
  grpc::ServerUnaryReactor* ListAgencies(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override {
    return ServeUnary<v1::ListAgenciesRequest, v1::ListAgenciesResponse>(
        context, request, response, [this](auto... args) { return HandleListAgencies(args...); });
  }

 private:
  absl::Status HandleCreateDuty(grpc::CallbackServerContext* context,
                                const v1::CreateDutyRequest* request, v1::ReportingDuty* response);
  absl::Status HandleGetDuty(grpc::CallbackServerContext* context,
                             const v1::GetDutyRequest* request, v1::ReportingDuty* response);
  absl::Status HandleUpdateDuty(grpc::CallbackServerContext* context,
                                const v1::UpdateDutyRequest* request, v1::ReportingDuty* response);
  absl::Status HandleListDuties(grpc::CallbackServerContext* context,
                                const v1::ListDutiesRequest* request,
                                v1::ListDutiesResponse* response);
  absl::Status HandleRecordDutyUse(grpc::CallbackServerContext* context,
                                   const v1::RecordDutyUseRequest* request,
                                   v1::RecordDutyUseResponse* response);
  absl::Status HandleListDutyUses(grpc::CallbackServerContext* context,
                                  const v1::ListDutyUsesRequest* request,
                                  v1::ListDutyUsesResponse* response);
  absl::Status HandleGetDutyHistory(grpc::CallbackServerContext* context,
                                    const v1::GetDutyHistoryRequest* request,
                                    v1::GetDutyHistoryResponse* response);
  absl::Status HandleCreateAgency(grpc::CallbackServerContext* context,
                                  const v1::CreateAgencyRequest* request, v1::Agency* response);
  absl::Status HandleUpdateAgency(grpc::CallbackServerContext* context,
                                  const v1::UpdateAgencyRequest* request, v1::Agency* response);
  absl::Status HandleGetAgency(grpc::CallbackServerContext* context,
                               const v1::GetAgencyRequest* request, v1::Agency* response);
  absl::Status HandleListAgencies(grpc::CallbackServerContext* context,
                                  const v1::ListAgenciesRequest* request,
                                  v1::ListAgenciesResponse* response);
  // The duty with its agency's name.
  v1::ReportingDuty Named(const Duty& duty) const;
  DutyCatalog* catalog_;
  AgencyRegister* agencies_;
  const BurdenQueries* queries_;
  const CallAuth* auth_;
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_DUTY_REGISTRY_SERVICE_H_
