// inrapport.v1.DutyGateway: converts, checks who may, calls the duty
// lifecycle (common/lifecycle), maps the status.
#ifndef INRAPPORT_SERVICES_HANDLERS_DUTY_GATEWAY_SERVICE_H_
#define INRAPPORT_SERVICES_HANDLERS_DUTY_GATEWAY_SERVICE_H_

#include "common/catalog/agency_register.h"
#include "common/catalog/duty_catalog.h"
#include "common/lifecycle/duty_lifecycle.h"
#include "inrapport/v1/duty_gateway.grpc.pb.h"
#include "services/handlers/call_auth.h"
#include "services/handlers/raw_call.h"

namespace inrapport {

// Every method raw: requests are parsed in services/handlers/raw_call.h.
using RawDutyGatewayService = v1::DutyGateway::WithRawCallbackMethod_ProposeDuty<
    v1::DutyGateway::WithRawCallbackMethod_AssessDuty<
        v1::DutyGateway::WithRawCallbackMethod_OpenConsultation<
            v1::DutyGateway::WithRawCallbackMethod_AnswerConsultation<
                v1::DutyGateway::WithRawCallbackMethod_GetConsultation<
                    v1::DutyGateway::WithRawCallbackMethod_DecideDuty<
                        v1::DutyGateway::WithRawCallbackMethod_ListDecisions<
                            v1::DutyGateway::WithRawCallbackMethod_GetRenewalEvidence<
                                v1::DutyGateway::Service>>>>>>>>;

class DutyGatewayService final : public RawDutyGatewayService {
 public:
  // The pointers are not owned and must outlive the service.
  DutyGatewayService(DutyLifecycle* lifecycle, DutyCatalog* catalog, const AgencyRegister* agencies,
                     const CallAuth* auth)
      : lifecycle_(lifecycle), catalog_(catalog), agencies_(agencies), auth_(auth) {}

  grpc::ServerUnaryReactor* ProposeDuty(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override {
    return ServeUnary<v1::ProposeDutyRequest, v1::ProposeDutyResponse>(
        context, request, response, [this](auto... args) { return HandleProposeDuty(args...); });
  }
  grpc::ServerUnaryReactor* AssessDuty(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override {
    return ServeUnary<v1::AssessDutyRequest, v1::ImpactAssessment>(
        context, request, response, [this](auto... args) { return HandleAssessDuty(args...); });
  }
  grpc::ServerUnaryReactor* OpenConsultation(grpc::CallbackServerContext* context,
                                             const grpc::ByteBuffer* request,
                                             grpc::ByteBuffer* response) override {
    return ServeUnary<v1::OpenConsultationRequest, v1::ReportingDuty>(
        context, request, response,
        [this](auto... args) { return HandleOpenConsultation(args...); });
  }
  grpc::ServerUnaryReactor* AnswerConsultation(grpc::CallbackServerContext* context,
                                               const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) override {
    return ServeUnary<v1::AnswerConsultationRequest, v1::ConsultationAnswer>(
        context, request, response,
        [this](auto... args) { return HandleAnswerConsultation(args...); });
  }
  grpc::ServerUnaryReactor* GetConsultation(grpc::CallbackServerContext* context,
                                            const grpc::ByteBuffer* request,
                                            grpc::ByteBuffer* response) override {
    return ServeUnary<v1::GetConsultationRequest, v1::Consultation>(
        context, request, response,
        [this](auto... args) { return HandleGetConsultation(args...); });
  }
  grpc::ServerUnaryReactor* DecideDuty(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override {
    return ServeUnary<v1::DecideDutyRequest, v1::DecideDutyResponse>(
        context, request, response, [this](auto... args) { return HandleDecideDuty(args...); });
  }
  grpc::ServerUnaryReactor* ListDecisions(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override {
    return ServeUnary<v1::ListDecisionsRequest, v1::ListDecisionsResponse>(
        context, request, response, [this](auto... args) { return HandleListDecisions(args...); });
  }
  grpc::ServerUnaryReactor* GetRenewalEvidence(grpc::CallbackServerContext* context,
                                               const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) override {
    return ServeUnary<v1::GetRenewalEvidenceRequest, v1::RenewalEvidence>(
        context, request, response,
        [this](auto... args) { return HandleGetRenewalEvidence(args...); });
  }

 private:
  absl::Status HandleProposeDuty(grpc::CallbackServerContext* context,
                                 const v1::ProposeDutyRequest* request,
                                 v1::ProposeDutyResponse* response);
  absl::Status HandleAssessDuty(grpc::CallbackServerContext* context,
                                const v1::AssessDutyRequest* request,
                                v1::ImpactAssessment* response);
  absl::Status HandleOpenConsultation(grpc::CallbackServerContext* context,
                                      const v1::OpenConsultationRequest* request,
                                      v1::ReportingDuty* response);
  absl::Status HandleAnswerConsultation(grpc::CallbackServerContext* context,
                                        const v1::AnswerConsultationRequest* request,
                                        v1::ConsultationAnswer* response);
  absl::Status HandleGetConsultation(grpc::CallbackServerContext* context,
                                     const v1::GetConsultationRequest* request,
                                     v1::Consultation* response);
  absl::Status HandleDecideDuty(grpc::CallbackServerContext* context,
                                const v1::DecideDutyRequest* request,
                                v1::DecideDutyResponse* response);
  absl::Status HandleListDecisions(grpc::CallbackServerContext* context,
                                   const v1::ListDecisionsRequest* request,
                                   v1::ListDecisionsResponse* response);
  absl::Status HandleGetRenewalEvidence(grpc::CallbackServerContext* context,
                                        const v1::GetRenewalEvidenceRequest* request,
                                        v1::RenewalEvidence* response);
  // The agency of the duty with `id`, or NOT_FOUND naming `field`.
  absl::StatusOr<std::string> AgencyOf(absl::string_view field, const std::string& id) const;
  v1::ReportingDuty Named(const Duty& duty) const;

  DutyLifecycle* lifecycle_;
  DutyCatalog* catalog_;
  const AgencyRegister* agencies_;
  const CallAuth* auth_;
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_DUTY_GATEWAY_SERVICE_H_
