#include "services/handlers/report_intake_service.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/metrics/service_metrics.h"
#include "services/convert/proto_convert.h"

namespace inrapport {
namespace {

// Reads a client stream in batches. One batch is stored at a time and the
// next read starts when it is durable, so a slow disk slows the client
// (flow control) instead of filling memory. Only one of a read or a store
// is ever outstanding, so the members need no lock.
class SubmitReportsReactor
    : public grpc::ServerReadReactor<v1::SubmitReportsRequest> {
 public:
  // The caller is authenticated before the first read; each report is
  // then authorized as it arrives.
  SubmitReportsReactor(grpc::CallbackServerContext* context, ReportIntake* intake,
                       const CallAuth* auth, int64_t max_reports,
                       v1::SubmitReportsResponse* response)
      : context_(context), intake_(intake), auth_(auth), max_reports_(max_reports),
        response_(response) {
    absl::StatusOr<Principal> caller = auth_->Authenticate(*context_, "SubmitReports");
    if (!caller.ok()) {
      Finish(ToGrpcStatus(caller.status()));
      return;
    }
    caller_ = *std::move(caller);
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (ok) {
      // A report for another municipality ends the stream: reports read
      // but not yet stored are dropped, and nothing is acknowledged.
      absl::Status allowed =
          auth_->CheckPrincipal(*context_, "SubmitReports", caller_, Action::kSubmitReport,
                                {"", request_.report().municipality_code()});
      if (!allowed.ok()) {
        Finish(ToGrpcStatus(allowed));
        return;
      }
      if (++received_ > max_reports_) {
        Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                            absl::StrCat("a stream carries at most ", max_reports_,
                                         " reports; send the rest on a new stream (the ",
                                         "reports before were stored: retries are "
                                         "recognised)")));
        return;
      }
      batch_.push_back(FromProto(request_.report()));
      if (batch_.size() < ReportIntakeService::kStreamBatchSize) {
        StartRead(&request_);
      } else {
        StoreBatch(/*last=*/false);
      }
      return;
    }
    // The client half-closed, or the call was cancelled: a cancelled call
    // stores nothing more.
    if (context_->IsCancelled()) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled"));
      return;
    }
    StoreBatch(/*last=*/true);
  }

  void OnDone() override { delete this; }

 private:
  void StoreBatch(bool last) {
    // A call cancelled (by the client or its deadline) stores nothing more.
    if (context_->IsCancelled()) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled"));
      return;
    }
    if (batch_.empty()) {
      Complete(last);
      return;
    }
    // Rejections name their submission id; the intake's results do not.
    auto ids = std::make_shared<std::vector<std::string>>();
    ids->reserve(batch_.size());
    for (const Report& report : batch_) ids->push_back(report.submission_id);
    std::vector<Report> batch = std::move(batch_);
    batch_.clear();
    intake_->Submit(std::move(batch), [this, last, ids](ReportIntake::Results results) {
      for (size_t i = 0; i < results.size(); ++i) Record(results[i], (*ids)[i]);
      Complete(last);
    });
  }

  void Record(const absl::StatusOr<SubmitOutcome>& result,
              const std::string& submission_id) {
    const int64_t index = next_index_++;
    if (result.ok()) {
      if (*result == SubmitOutcome::kAccepted) {
        response_->set_accepted(response_->accepted() + 1);
      } else {
        response_->set_duplicate(response_->duplicate() + 1);
      }
      return;
    }
    response_->set_rejected(response_->rejected() + 1);
    if (response_->rejections_size() >= ReportIntakeService::kMaxListedRejections) {
      return;  // counted, not detailed: the answer stays bounded
    }
    v1::Rejection* rejection = response_->add_rejections();
    rejection->set_index(index);
    rejection->set_submission_id(submission_id);
    rejection->set_code(StatusCodeName(result.status().code()));
    rejection->set_code_number(static_cast<int>(result.status().code()));
    rejection->set_message(std::string(result.status().message()));
  }

  void Complete(bool last) {
    if (last) {
      Finish(grpc::Status::OK);
    } else {
      StartRead(&request_);
    }
  }

  grpc::CallbackServerContext* context_;
  ReportIntake* intake_;
  const CallAuth* auth_;
  const int64_t max_reports_;
  Principal caller_;
  v1::SubmitReportsResponse* response_;
  int64_t received_ = 0;
  v1::SubmitReportsRequest request_;
  std::vector<Report> batch_;
  int64_t next_index_ = 0;
};

}  // namespace

grpc::ServerUnaryReactor* ReportIntakeService::SubmitReport(
    grpc::CallbackServerContext* context, const v1::SubmitReportRequest* request,
    v1::SubmitReportResponse* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "SubmitReport", Action::kSubmitReport,
                   {"", request->report().municipality_code()});
  if (!caller.ok()) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::vector<Report> reports;
  reports.push_back(FromProto(request->report()));
  response->set_submission_id(request->report().submission_id());
  intake_->Submit(std::move(reports), [reactor, response](ReportIntake::Results results) {
    const absl::StatusOr<SubmitOutcome>& result = results.front();
    if (result.ok()) response->set_duplicate(*result == SubmitOutcome::kDuplicate);
    reactor->Finish(ToGrpcStatus(result.status()));
  });
  return reactor;
}

grpc::ServerReadReactor<v1::SubmitReportsRequest>* ReportIntakeService::SubmitReports(
    grpc::CallbackServerContext* context, v1::SubmitReportsResponse* response) {
  return new SubmitReportsReactor(context, intake_, auth_, max_reports_per_stream_, response);
}

}  // namespace inrapport
