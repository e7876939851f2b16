#include "services/handlers/report_intake_service.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/base/status_macros.h"
#include "common/domain/validation.h"
#include "services/convert/proto_convert.h"
#include "services/handlers/handler_util.h"

namespace inrapport {
namespace {

// The transport of one SubmitReports stream: reads raw messages, parses and
// authorizes each, and hands it to its ReportStream, which does the rest.
// The caller is authenticated before the first read; each report is then
// authorized as it arrives.
class SubmitReportsReactor final : public grpc::ServerReadReactor<grpc::ByteBuffer>,
                                   private ReportStream::Transport {
 public:
  SubmitReportsReactor(grpc::CallbackServerContext* context, ReportIntake* intake,
                       const CallAuth* auth, ReportStream::Limits limits,
                       grpc::ByteBuffer* response)
      : context_(context), auth_(auth), response_(response), stream_(intake, this, limits) {
    absl::StatusOr<Principal> caller = auth_->Authenticate(*context_, "SubmitReports");
    if (!caller.ok()) {
      grpc::ServerReadReactor<grpc::ByteBuffer>::Finish(ToGrpcStatus(caller.status()));
      return;
    }
    caller_ = *std::move(caller);
    stream_.Start();
  }

  void OnReadDone(bool ok) override {
    // Without a message: the client half-closed, or the call was cancelled.
    // A message that is no report never fails the read, since it is read
    // raw: it is rejected at its index and reading goes on.
    if (!ok) {
      stream_.OnEnd();
      return;
    }
    absl::StatusOr<Report> report = ReadStreamMessage(message_);
    message_.Clear();
    if (!report.ok()) {
      stream_.OnMessage(report.status());
      return;
    }
    // A report for another municipality ends the stream: reports read but
    // not yet handed to the store are dropped, and nothing is acknowledged.
    absl::Status allowed =
        auth_->CheckPrincipal(*context_, "SubmitReports", caller_, Action::kSubmitReport,
                              {"", report->municipality_code});
    if (!allowed.ok()) {
      stream_.Fail(allowed);
      return;
    }
    stream_.OnMessage(*std::move(report));
  }

  void OnDone() override { delete this; }

 private:
  void ReadNext() override { StartRead(&message_); }

  void Finish(const absl::Status& status, const ReportStream::Summary& summary) override {
    if (status.ok()) {
      v1::SubmitReportsResponse response;
      response.set_accepted(summary.accepted);
      response.set_duplicate(summary.duplicate);
      response.set_rejected(summary.rejected);
      for (const ReportStream::Rejection& rejection : summary.rejections) {
        v1::Rejection* proto = response.add_rejections();
        proto->set_index(rejection.index);
        proto->set_submission_id(rejection.submission_id);
        proto->set_code(StatusCodeName(rejection.status.code()));
        proto->set_code_number(static_cast<int>(rejection.status.code()));
        proto->set_message(std::string(rejection.status.message()));
      }
      for (const ReportStream::StoredReceipt& stored : summary.receipts) {
        v1::Receipt* receipt = response.add_receipts();
        *receipt = ToProto(stored.submission_id, stored.receipt);
        receipt->set_index(stored.index);
      }
      SerializeMessage(response, response_);
    }
    grpc::ServerReadReactor<grpc::ByteBuffer>::Finish(ToGrpcStatus(status));
  }

  bool Cancelled() const override { return context_->IsCancelled(); }

  grpc::CallbackServerContext* const context_;
  const CallAuth* const auth_;
  grpc::ByteBuffer* const response_;
  Principal caller_;          // set before the first read
  grpc::ByteBuffer message_;  // only the outstanding read uses it
  ReportStream stream_;
};

}  // namespace

absl::StatusOr<Report> ReadStreamMessage(const grpc::ByteBuffer& message) {
  v1::SubmitReportsRequest request;
  if (!ParseMessage(message, &request).ok()) {
    return absl::InvalidArgumentError(
        "message: not a valid inrapport.v1.SubmitReportsRequest (it could not be parsed, so "
        "nothing of it was stored)");
  }
  v1::Report& report = *request.mutable_report();
  // Checked before authorization, so that no oversized text reaches a
  // refusal's log line; the report is then rejected naming the field.
  RETURN_IF_ERROR(CheckLengths({{"report.municipality_code", report.municipality_code()},
                                {"report.duty_id", report.duty_id()}}));
  return FromProto(std::move(report));
}

void ReportIntakeService::HandleSubmitReport(grpc::CallbackServerContext* context,
                                             const v1::SubmitReportRequest* request,
                                             v1::SubmitReportResponse* response,
                                             UnaryDone done) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "SubmitReport",
                   {{"report.municipality_code", request->report().municipality_code()},
                    {"report.duty_id", request->report().duty_id()}},
                   Action::kSubmitReport, {"", request->report().municipality_code()});
  if (!caller.ok()) return done(caller.status());
  // A call cancelled or past its deadline before it got here stores nothing.
  if (context->IsCancelled()) {
    return done(absl::DeadlineExceededError(
        "the call was cancelled or its deadline passed before the report was stored"));
  }
  std::vector<Report> reports;
  reports.push_back(FromProto(request->report()));
  response->set_submission_id(request->report().submission_id());
  // Cancelled while it waits for the store: withdrawn (CANCELLED) unless
  // the store has begun its transaction.
  intake_->Submit(
      std::move(reports),
      [response, done = std::move(done)](ReportIntake::Results results) {
        const absl::StatusOr<SubmitResult>& result = results.front();
        if (result.ok()) {
          response->set_duplicate(result->outcome == SubmitOutcome::kDuplicate);
          *response->mutable_receipt() = ToProto(response->submission_id(), result->receipt);
        }
        done(result.status());
      },
      [context] { return context->IsCancelled(); });
}

grpc::ServerReadReactor<grpc::ByteBuffer>* ReportIntakeService::SubmitReports(
    grpc::CallbackServerContext* context, grpc::ByteBuffer* response) {
  return new SubmitReportsReactor(context, intake_, auth_, limits_, response);
}

absl::Status ReportIntakeService::HandleGetReport(grpc::CallbackServerContext* context,
                                                  const v1::GetReportRequest* request,
                                                  v1::StoredReport* response) {
  ASSIGN_OR_RETURN(Principal caller,
                   auth_->Admit(*context, "GetReport",
                                {{"municipality_code", request->municipality_code()},
                                 {"submission_id", request->submission_id(), kMaxSubmissionIdLength}}));
  // Whose report it is decides who may read it (an agency: the reports of
  // its own duties), so the report is read first; the refusal is the same
  // whether or not it exists.
  absl::StatusOr<StoredReport> stored =
      records_->Get(request->municipality_code(), request->submission_id());
  if (!stored.ok() && !absl::IsNotFound(stored.status())) return stored.status();
  RETURN_IF_ERROR(auth_->CheckPrincipal(
      *context, "GetReport", caller, Action::kReadReport,
      {stored.ok() ? records_->AgencyOf(stored->report) : "", request->municipality_code()}));
  if (!stored.ok()) return stored.status();
  *response = ToProto(*stored);
  ASSIGN_OR_RETURN(std::vector<StoredReport> earlier, records_->EarlierVersions(*stored));
  for (const StoredReport& version : earlier) *response->add_earlier_versions() = ToProto(version);
  return absl::OkStatus();
}

// Changing a report is submitting its next version: the same rule admits
// it (the municipality itself).
absl::Status ReportIntakeService::HandleCorrectReport(grpc::CallbackServerContext* context,
                                                      const v1::CorrectReportRequest* request,
                                                      v1::ChangeReportResponse* response) {
  RETURN_IF_ERROR(auth_->Check(*context, "CorrectReport",
                               {{"report.municipality_code", request->report().municipality_code()},
                                {"report.duty_id", request->report().duty_id()}},
                               Action::kSubmitReport,
                               {"", request->report().municipality_code()})
                      .status());
  ReportChange change;
  change.kind = ChangeKind::kCorrection;
  change.corrected = FromProto(request->report());
  change.reason = request->reason();
  change.base_version = request->version();
  ASSIGN_OR_RETURN(ChangeResult result, intake_->Change(std::move(change), "reason"));
  *response->mutable_report() = ToProto(result.current);
  response->set_duplicate(result.outcome == SubmitOutcome::kDuplicate);
  return absl::OkStatus();
}

absl::Status ReportIntakeService::HandleWithdrawReport(grpc::CallbackServerContext* context,
                                                       const v1::WithdrawReportRequest* request,
                                                       v1::ChangeReportResponse* response) {
  RETURN_IF_ERROR(auth_->Check(*context, "WithdrawReport",
                               {{"municipality_code", request->municipality_code()},
                                {"submission_id", request->submission_id(),
                                 kMaxSubmissionIdLength}},
                               Action::kSubmitReport, {"", request->municipality_code()})
                      .status());
  ReportChange change;
  change.kind = ChangeKind::kWithdrawal;
  change.municipality_code = request->municipality_code();
  change.submission_id = request->submission_id();
  change.reason = request->reason();
  change.base_version = request->version();
  ASSIGN_OR_RETURN(ChangeResult result, intake_->Change(std::move(change), "reason"));
  *response->mutable_report() = ToProto(result.current);
  response->set_duplicate(result.outcome == SubmitOutcome::kDuplicate);
  return absl::OkStatus();
}

absl::Status ReportIntakeService::HandleListReports(grpc::CallbackServerContext* context,
                                                    const v1::ListReportsRequest* request,
                                                    v1::ListReportsResponse* response) {
  RETURN_IF_ERROR(auth_->Check(*context, "ListReports",
                               {{"municipality_code", request->municipality_code()},
                                {"duty_id", request->duty_id()},
                                {"agency_id", request->agency_id()},
                                {"period_from", request->period_from()},
                                {"period_to", request->period_to()},
                                {"page_token", request->page_token(), kMaxPageTokenLength}},
                               Action::kReadReports,
                               {request->agency_id(), request->municipality_code()})
                      .status());
  ReportListQuery query;
  query.municipality_code = request->municipality_code();
  query.duty_id = request->duty_id();
  query.agency_id = request->agency_id();
  query.period_from = request->period_from();
  query.period_to = request->period_to();
  if (request->has_received_since()) {
    query.received_since_unix = request->received_since().seconds();
    if (query.received_since_unix < 0) {
      return absl::InvalidArgumentError("received_since: must not be before 1970");
    }
  }
  query.page_size = request->page_size();
  query.page_token = request->page_token();
  ASSIGN_OR_RETURN(ReportPage page, records_->List(query));
  for (const StoredReport& stored : page.reports) *response->add_reports() = ToProto(stored);
  response->set_next_page_token(page.next_page_token);
  return absl::OkStatus();
}

}  // namespace inrapport
