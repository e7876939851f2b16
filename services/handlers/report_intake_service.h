// inrapport.v1.ReportIntake: reports from municipal systems, one at a time or
// as a client stream.
#ifndef INRAPPORT_SERVICES_HANDLERS_REPORT_INTAKE_SERVICE_H_
#define INRAPPORT_SERVICES_HANDLERS_REPORT_INTAKE_SERVICE_H_

#include "common/intake/report_intake.h"
#include "common/intake/report_stream.h"
#include "common/records/report_records.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "services/handlers/call_auth.h"
#include "services/handlers/raw_call.h"

namespace inrapport {

// One message of a SubmitReports stream as the reactor reads it: the report,
// or why the message is none (it is then rejected at its index).
absl::StatusOr<Report> ReadStreamMessage(const grpc::ByteBuffer& message);

// Every method raw: requests are parsed in services/handlers/raw_call.h, and
// each message of a stream by the stream's reactor.
using RawReportIntakeService = v1::ReportIntake::WithRawCallbackMethod_SubmitReport<
    v1::ReportIntake::WithRawCallbackMethod_SubmitReports<
        v1::ReportIntake::WithRawCallbackMethod_GetReport<
            v1::ReportIntake::WithRawCallbackMethod_ListReports<
                v1::ReportIntake::WithRawCallbackMethod_CorrectReport<
                    v1::ReportIntake::WithRawCallbackMethod_WithdrawReport<
                        v1::ReportIntake::Service>>>>>>;

class ReportIntakeService final : public RawReportIntakeService {
 public:
  // The pointers are not owned and must outlive the service. A stream may
  // carry at most `limits.max_messages` reports; more is
  // RESOURCE_EXHAUSTED (open a new stream).
  ReportIntakeService(ReportIntake* intake, const ReportRecords* records, const CallAuth* auth,
                      ReportStream::Limits limits)
      : intake_(intake), records_(records), auth_(auth), limits_(limits) {}

  grpc::ServerUnaryReactor* SubmitReport(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override {
    return ServeUnaryAsync<v1::SubmitReportRequest, v1::SubmitReportResponse>(
        context, request, response,
        [this](auto... args) { HandleSubmitReport(args...); });
  }

  grpc::ServerReadReactor<grpc::ByteBuffer>* SubmitReports(
      grpc::CallbackServerContext* context, grpc::ByteBuffer* response) override;

  grpc::ServerUnaryReactor* GetReport(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override {
    return ServeUnary<v1::GetReportRequest, v1::StoredReport>(
        context, request, response,
        [this](auto... args) { return HandleGetReport(args...); });
  }

  grpc::ServerUnaryReactor* ListReports(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override {
    return ServeUnary<v1::ListReportsRequest, v1::ListReportsResponse>(
        context, request, response,
        [this](auto... args) { return HandleListReports(args...); });
  }

  grpc::ServerUnaryReactor* CorrectReport(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override {
    return ServeUnary<v1::CorrectReportRequest, v1::ChangeReportResponse>(
        context, request, response,
        [this](auto... args) { return HandleCorrectReport(args...); });
  }

  grpc::ServerUnaryReactor* WithdrawReport(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override {
    return ServeUnary<v1::WithdrawReportRequest, v1::ChangeReportResponse>(
        context, request, response,
        [this](auto... args) { return HandleWithdrawReport(args...); });
  }

 private:
  absl::Status HandleCorrectReport(grpc::CallbackServerContext* context,
                                   const v1::CorrectReportRequest* request,
                                   v1::ChangeReportResponse* response);
  absl::Status HandleWithdrawReport(grpc::CallbackServerContext* context,
                                    const v1::WithdrawReportRequest* request,
                                    v1::ChangeReportResponse* response);
  void HandleSubmitReport(grpc::CallbackServerContext* context,
                          const v1::SubmitReportRequest* request,
                          v1::SubmitReportResponse* response, UnaryDone done);
  absl::Status HandleGetReport(grpc::CallbackServerContext* context,
                               const v1::GetReportRequest* request, v1::StoredReport* response);
  absl::Status HandleListReports(grpc::CallbackServerContext* context,
                                 const v1::ListReportsRequest* request,
                                 v1::ListReportsResponse* response);

  ReportIntake* intake_;
  const ReportRecords* records_;
  const CallAuth* auth_;
  const ReportStream::Limits limits_;
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_REPORT_INTAKE_SERVICE_H_
