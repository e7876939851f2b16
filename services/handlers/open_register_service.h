// inrapport.v1.OpenRegister: the open register's three reads
// (common/openreg). With `open` (inrapportd's --open_register) they admit
// callers without credentials; otherwise any authenticated caller. The rule
// is CallAuth::AdmitOpenRead's, and only these methods call it.
#ifndef INRAPPORT_SERVICES_HANDLERS_OPEN_REGISTER_SERVICE_H_
#define INRAPPORT_SERVICES_HANDLERS_OPEN_REGISTER_SERVICE_H_

#include "common/openreg/open_register.h"
#include "inrapport/v1/open_register.grpc.pb.h"
#include "services/handlers/call_auth.h"
#include "services/handlers/raw_call.h"

namespace inrapport {

// Every method raw: requests are parsed in services/handlers/raw_call.h.
using RawOpenRegisterService = v1::OpenRegister::WithRawCallbackMethod_ListRegisterDuties<
    v1::OpenRegister::WithRawCallbackMethod_GetRegisterBurden<
        v1::OpenRegister::WithRawCallbackMethod_ExportOpenData<v1::OpenRegister::Service>>>;

class OpenRegisterService final : public RawOpenRegisterService {
 public:
  // The pointers are not owned and must outlive the service. `open`: the
  // methods need no credentials.
  OpenRegisterService(const OpenRegister* open_register, const CallAuth* auth, bool open)
      : register_(open_register), auth_(auth), open_(open) {}

  grpc::ServerUnaryReactor* ListRegisterDuties(grpc::CallbackServerContext* context,
                                               const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) override {
    return ServeUnary<v1::ListRegisterDutiesRequest, v1::ListRegisterDutiesResponse>(
        context, request, response,
        [this](auto... args) { return HandleListRegisterDuties(args...); });
  }
  grpc::ServerUnaryReactor* GetRegisterBurden(grpc::CallbackServerContext* context,
                                              const grpc::ByteBuffer* request,
                                              grpc::ByteBuffer* response) override {
    return ServeUnary<v1::GetRegisterBurdenRequest, v1::GetRegisterBurdenResponse>(
        context, request, response,
        [this](auto... args) { return HandleGetRegisterBurden(args...); });
  }
  grpc::ServerUnaryReactor* ExportOpenData(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override {
    return ServeUnary<v1::ExportOpenDataRequest, v1::ExportOpenDataResponse>(
        context, request, response,
        [this](auto... args) { return HandleExportOpenData(args...); });
  }

 private:
  absl::Status HandleListRegisterDuties(grpc::CallbackServerContext* context,
                                        const v1::ListRegisterDutiesRequest* request,
                                        v1::ListRegisterDutiesResponse* response);
  absl::Status HandleGetRegisterBurden(grpc::CallbackServerContext* context,
                                       const v1::GetRegisterBurdenRequest* request,
                                       v1::GetRegisterBurdenResponse* response);
  absl::Status HandleExportOpenData(grpc::CallbackServerContext* context,
                                    const v1::ExportOpenDataRequest* request,
                                    v1::ExportOpenDataResponse* response);

  const OpenRegister* register_;
  const CallAuth* auth_;
  const bool open_;
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_OPEN_REGISTER_SERVICE_H_
