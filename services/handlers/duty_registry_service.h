// inrapport.v1.DutyRegistry: converts, calls the catalogue, maps the status.
#ifndef INRAPPORT_SERVICES_HANDLERS_DUTY_REGISTRY_SERVICE_H_
#define INRAPPORT_SERVICES_HANDLERS_DUTY_REGISTRY_SERVICE_H_

#include "common/burden/burden_queries.h"
#include "common/catalog/duty_catalog.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "services/handlers/call_auth.h"

namespace inrapport {

class DutyRegistryService final : public v1::DutyRegistry::CallbackService {
 public:
  // The pointers are not owned and must outlive the service.
  DutyRegistryService(DutyCatalog* catalog, const BurdenQueries* queries, const CallAuth* auth)
      : catalog_(catalog), queries_(queries), auth_(auth) {}

  grpc::ServerUnaryReactor* CreateDuty(grpc::CallbackServerContext* context,
                                       const v1::CreateDutyRequest* request,
                                       v1::ReportingDuty* response) override;
  grpc::ServerUnaryReactor* GetDuty(grpc::CallbackServerContext* context,
                                    const v1::GetDutyRequest* request,
                                    v1::ReportingDuty* response) override;
  grpc::ServerUnaryReactor* UpdateDuty(grpc::CallbackServerContext* context,
                                       const v1::UpdateDutyRequest* request,
                                       v1::ReportingDuty* response) override;
  grpc::ServerUnaryReactor* ListDuties(grpc::CallbackServerContext* context,
                                       const v1::ListDutiesRequest* request,
                                       v1::ListDutiesResponse* response) override;
  grpc::ServerUnaryReactor* RecordDutyUse(grpc::CallbackServerContext* context,
                                          const v1::RecordDutyUseRequest* request,
                                          v1::RecordDutyUseResponse* response) override;
  grpc::ServerUnaryReactor* ListDutyUses(grpc::CallbackServerContext* context,
                                         const v1::ListDutyUsesRequest* request,
                                         v1::ListDutyUsesResponse* response) override;

 private:
  DutyCatalog* catalog_;
  const BurdenQueries* queries_;
  const CallAuth* auth_;
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_DUTY_REGISTRY_SERVICE_H_
