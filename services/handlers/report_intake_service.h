// inrapport.v1.ReportIntake: reports from municipal systems, one at a time or
// as a client stream.
#ifndef INRAPPORT_SERVICES_HANDLERS_REPORT_INTAKE_SERVICE_H_
#define INRAPPORT_SERVICES_HANDLERS_REPORT_INTAKE_SERVICE_H_

#include "common/intake/report_intake.h"
#include "inrapport/v1/report_intake.grpc.pb.h"

namespace inrapport {

class ReportIntakeService final : public v1::ReportIntake::CallbackService {
 public:
  // Reports a stream stores per commit request; the store may merge several.
  static constexpr size_t kStreamBatchSize = 512;
  // Rejections a stream's answer details; further ones are only counted.
  static constexpr int kMaxListedRejections = 1000;

  // `intake` is not owned and must outlive the service.
  explicit ReportIntakeService(ReportIntake* intake) : intake_(intake) {}

  grpc::ServerUnaryReactor* SubmitReport(
      grpc::CallbackServerContext* context,
      const v1::SubmitReportRequest* request,
      v1::SubmitReportResponse* response) override;

  grpc::ServerReadReactor<v1::SubmitReportsRequest>* SubmitReports(
      grpc::CallbackServerContext* context,
      v1::SubmitReportsResponse* response) override;

 private:
  ReportIntake* intake_;
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_REPORT_INTAKE_SERVICE_H_
