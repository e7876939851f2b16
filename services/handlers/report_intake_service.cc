#include "services/handlers/report_intake_service.h"

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/metrics/service_metrics.h"
#include "services/convert/proto_convert.h"
#include "services/handlers/handler_util.h"

namespace inrapport {
namespace {

// Reads a client stream in batches and stores them while reading on: up to
// kStreamBatchesInFlight batches are being stored at once, so the client's
// next reports arrive while the previous ones are committed. Batches are
// answered in the order they were read, and the call finishes only when
// every batch handed to the store has its answer.
//
// gRPC runs OnReadDone on its threads and the store answers on its own, so
// the state is under `mu_`. Nothing calls into gRPC or the store while
// holding it: a reaction or an answer may run inline.
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
    {
      absl::MutexLock lock(&mu_);
      reading_ = true;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    std::vector<Report> to_store;
    int64_t first_index = 0;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (!ok) {
        // The client half-closed, or the call was cancelled.
        half_closed_ = true;
        if (context_->IsCancelled()) SetError(CancelledStatus());
      } else {
        ReadOne(to_store, first_index);
      }
      if (!error_.has_value() && half_closed_ && !batch_.empty()) {
        TakeBatch(to_store, first_index);
      }
    }
    if (!to_store.empty()) Store(std::move(to_store), first_index);
    Continue();
  }

  void OnDone() override { delete this; }

 private:
  // The answers to one batch, kept until every earlier batch has its own.
  struct Pending {
    int64_t first_index = 0;
    std::vector<std::string> submission_ids;
    std::optional<ReportIntake::Results> results;
  };

  static grpc::Status CancelledStatus() {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled");
  }

  // Checks and buffers the report just read; fills `to_store` when the
  // batch is full.
  void ReadOne(std::vector<Report>& to_store, int64_t& first_index)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (error_.has_value()) return;
    // A report for another municipality ends the stream: reports read but
    // not yet handed to the store are dropped, and nothing is acknowledged.
    // A code over the length limit is no municipality's: validation rejects
    // the report, and the text never reaches a refusal's log line. A duty id
    // over its limit is rejected by validation too, naming the field.
    const std::string& code = request_.report().municipality_code();
    absl::Status allowed =
        code.size() > kMaxFilterLength
            ? absl::OkStatus()
            : auth_->CheckPrincipal(*context_, "SubmitReports", caller_, Action::kSubmitReport,
                                    {"", code});
    if (!allowed.ok()) {
      SetError(ToGrpcStatus(allowed));
      return;
    }
    if (++received_ > max_reports_) {
      SetError(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                            absl::StrCat("a stream carries at most ", max_reports_,
                                         " reports; send the rest on a new stream (the ",
                                         "reports before were stored: retries are "
                                         "recognised)")));
      return;
    }
    batch_.push_back(FromProto(request_.report()));
    if (batch_.size() >= ReportIntakeService::kStreamBatchSize) {
      TakeBatch(to_store, first_index);
    }
  }

  void SetError(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!error_.has_value()) error_ = std::move(status);
    batch_.clear();
  }

  // Moves the buffered batch out to be stored and queues its answer slot.
  void TakeBatch(std::vector<Report>& to_store, int64_t& first_index)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    // A call cancelled (by the client or its deadline) stores nothing more.
    if (context_->IsCancelled()) {
      SetError(CancelledStatus());
      return;
    }
    Pending pending;
    pending.first_index = next_index_;
    pending.submission_ids.reserve(batch_.size());
    for (const Report& report : batch_) pending.submission_ids.push_back(report.submission_id);
    first_index = next_index_;
    next_index_ += static_cast<int64_t>(batch_.size());
    pending_.push_back(std::move(pending));
    to_store = std::move(batch_);
    batch_.clear();
  }

  void Store(std::vector<Report> reports, int64_t first_index) {
    // A batch the store has not begun when the call is cancelled (by the
    // client or its deadline) is withdrawn. The reactor outlives the
    // question: the call finishes only after every batch has its answer.
    intake_->Submit(
        std::move(reports),
        [this, first_index](ReportIntake::Results results) {
          Stored(first_index, std::move(results));
        },
        [this] { return context_->IsCancelled(); });
  }

  void Stored(int64_t first_index, ReportIntake::Results results) {
    Next next;
    grpc::Status status;
    {
      absl::MutexLock lock(&mu_);
      for (Pending& pending : pending_) {
        if (pending.first_index == first_index) {
          pending.results = std::move(results);
          break;
        }
      }
      // Answer batches in the order they were read.
      while (!pending_.empty() && pending_.front().results.has_value()) {
        const Pending& done = pending_.front();
        for (size_t i = 0; i < done.results->size(); ++i) {
          Record((*done.results)[i], done.first_index + static_cast<int64_t>(i),
                 done.submission_ids[i]);
        }
        pending_.pop_front();
      }
      // Cancelled after the last read: the call still ends CANCELLED.
      if (context_->IsCancelled()) SetError(CancelledStatus());
      // Decided under the same lock: this runs on the store's thread, which
      // gRPC does not wait for before OnDone, so once the lock is released
      // the reactor may be gone unless this thread is the one to read on or
      // finish.
      next = NextLocked(&status);
    }
    Act(next, status);
  }

  enum class Next { kNothing, kRead, kFinish };

  // After a read or a stored batch: reads on, or finishes when nothing is
  // left to wait for.
  Next NextLocked(grpc::Status* status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_ || reading_) return Next::kNothing;
    if (error_.has_value() || half_closed_) {
      if (!pending_.empty()) return Next::kNothing;  // the store still answers
      finished_ = true;
      *status = error_.has_value() ? *error_ : grpc::Status::OK;
      return Next::kFinish;
    }
    if (static_cast<int>(pending_.size()) < ReportIntakeService::kStreamBatchesInFlight) {
      reading_ = true;
      return Next::kRead;
    }
    return Next::kNothing;
  }

  // Outside the lock: a read or a finish may react inline. A pending read
  // keeps the reactor alive, and nothing touches it after Finish.
  void Act(Next next, const grpc::Status& status) {
    if (next == Next::kRead) StartRead(&request_);
    if (next == Next::kFinish) Finish(status);
  }

  // For OnReadDone: gRPC calls OnDone only after it returns, so deciding
  // under a lock of its own is safe there.
  void Continue() {
    grpc::Status status;
    Next next;
    {
      absl::MutexLock lock(&mu_);
      next = NextLocked(&status);
    }
    Act(next, status);
  }

  void Record(const absl::StatusOr<SubmitOutcome>& result, int64_t index,
              const std::string& submission_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
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

  grpc::CallbackServerContext* const context_;
  ReportIntake* const intake_;
  const CallAuth* const auth_;
  const int64_t max_reports_;
  Principal caller_;  // set before the first read
  v1::SubmitReportsRequest request_;  // only the outstanding read uses it

  absl::Mutex mu_;
  v1::SubmitReportsResponse* response_ ABSL_PT_GUARDED_BY(mu_);
  bool reading_ ABSL_GUARDED_BY(mu_) = false;      // a read is outstanding
  bool half_closed_ ABSL_GUARDED_BY(mu_) = false;  // no more reads
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> error_ ABSL_GUARDED_BY(mu_);  // finish with it
  int64_t received_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<Report> batch_ ABSL_GUARDED_BY(mu_);
  int64_t next_index_ ABSL_GUARDED_BY(mu_) = 0;  // of the next batch's first report
  std::deque<Pending> pending_ ABSL_GUARDED_BY(mu_);  // handed to the store
};

}  // namespace

grpc::ServerUnaryReactor* ReportIntakeService::SubmitReport(
    grpc::CallbackServerContext* context, const v1::SubmitReportRequest* request,
    v1::SubmitReportResponse* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "SubmitReport",
                   {{"report.municipality_code", request->report().municipality_code()},
                    {"report.duty_id", request->report().duty_id()}},
                   Action::kSubmitReport, {"", request->report().municipality_code()});
  if (!caller.ok()) return FinishWith(context, caller.status());
  // A call cancelled or past its deadline before it got here stores nothing.
  if (context->IsCancelled()) {
    return FinishWith(context, absl::DeadlineExceededError(
                                   "the call was cancelled or its deadline passed before "
                                   "the report was stored"));
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::vector<Report> reports;
  reports.push_back(FromProto(request->report()));
  response->set_submission_id(request->report().submission_id());
  // Cancelled while it waits for the store: withdrawn (CANCELLED) unless
  // the store has begun its transaction.
  intake_->Submit(
      std::move(reports),
      [reactor, response](ReportIntake::Results results) {
        const absl::StatusOr<SubmitOutcome>& result = results.front();
        if (result.ok()) response->set_duplicate(*result == SubmitOutcome::kDuplicate);
        reactor->Finish(ToGrpcStatus(result.status()));
      },
      [context] { return context->IsCancelled(); });
  return reactor;
}

grpc::ServerReadReactor<v1::SubmitReportsRequest>* ReportIntakeService::SubmitReports(
    grpc::CallbackServerContext* context, v1::SubmitReportsResponse* response) {
  return new SubmitReportsReactor(context, intake_, auth_, max_reports_per_stream_, response);
}

}  // namespace inrapport
