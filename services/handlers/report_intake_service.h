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
  // Reports a stream hands the store per request; the store may merge
  // several into one commit.
  static constexpr size_t kStreamBatchSize = 4096;
  // Batches of one stream being stored at once. Reading goes on while
  // earlier batches are committed, up to this bound: the stream's memory is
  // bounded, and a slow disk slows the client through flow control.
  static constexpr int kStreamBatchesInFlight = 3;
  // Rejections a stream's answer details; further ones are only counted.
  static constexpr int kMaxListedRejections = 1000;
  // The pointers are not owned and must outlive the service. A stream may
  // carry at most `max_reports_per_stream` reports; more is
  // RESOURCE_EXHAUSTED (open a new stream).
  ReportIntakeService(ReportIntake* intake, const CallAuth* auth, int64_t max_reports_per_stream)
      : intake_(intake), auth_(auth), max_reports_per_stream_(max_reports_per_stream) {}

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
  const int64_t max_reports_per_stream_;
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_REPORT_INTAKE_SERVICE_H_
