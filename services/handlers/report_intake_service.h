// inrapport.v1.ReportIntake: reports from municipal systems, one at a time or
// as a client stream.
#ifndef INRAPPORT_SERVICES_HANDLERS_REPORT_INTAKE_SERVICE_H_
#define INRAPPORT_SERVICES_HANDLERS_REPORT_INTAKE_SERVICE_H_

#include "common/intake/report_intake.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "services/handlers/call_auth.h"

namespace inrapport {

class ReportIntakeService final : public v1::ReportIntake::CallbackService {
 public:
  // Reports a stream stores per commit request; the store may merge several.
  static constexpr size_t kStreamBatchSize = 512;
  // Rejections a stream's answer details; further ones are only counted.
  static constexpr int kMaxListedRejections = 1000;
  // Reports one stream may carry; a deadline's worth of reporting for a
  // municipality is far below. More is RESOURCE_EXHAUSTED: open a new stream.
  static constexpr int64_t kMaxReportsPerStream = 100000;

  // The pointers are not owned and must outlive the service.
  ReportIntakeService(ReportIntake* intake, const CallAuth* auth)
      : intake_(intake), auth_(auth) {}

  grpc::ServerUnaryReactor* SubmitReport(
      grpc::CallbackServerContext* context,
      const v1::SubmitReportRequest* request,
      v1::SubmitReportResponse* response) override;

  grpc::ServerReadReactor<v1::SubmitReportsRequest>* SubmitReports(
      grpc::CallbackServerContext* context,
      v1::SubmitReportsResponse* response) override;

 private:
  ReportIntake* intake_;
  const CallAuth* auth_;
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_REPORT_INTAKE_SERVICE_H_
