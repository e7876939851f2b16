#include "common/intake/report_stream.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace inrapport {
namespace {

absl::Status CancelledStatus() { return absl::CancelledError("the call was cancelled"); }

// `id` cut to at most `limit` bytes, on a character boundary: it was parsed
// from a proto3 string, so it is UTF-8, and stays so.
std::string Echoed(const std::string& id, size_t limit) {
  if (id.size() <= limit) return id;
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(id[end]) & 0xC0) == 0x80) --end;
  return id.substr(0, end);
}

size_t TextBytes(const Report& report) {
  return report.submission_id.size() + report.municipality_code.size() +
         report.duty_id.size() + report.period.size() + report.comment.size();
}

}  // namespace

ReportStream::ReportStream(ReportIntake* intake, Transport* transport, Limits limits)
    : intake_(intake), transport_(transport), limits_(limits) {}

void ReportStream::Start() {
  {
    absl::MutexLock lock(&mu_);
    reading_ = true;
  }
  transport_->ReadNext();
}

void ReportStream::OnMessage(absl::StatusOr<Report> message) {
  std::vector<Report> to_store;
  int64_t first_index = 0;
  bool hand_over = false;
  {
    absl::MutexLock lock(&mu_);
    reading_ = false;
    if (!error_.has_value()) {
      Buffer(std::move(message));
      if (!error_.has_value() && (batch_.messages.size() >= limits_.batch_size ||
                                  batch_bytes_ >= limits_.batch_bytes)) {
        hand_over = TakeBatch(&to_store, &first_index);
      }
    }
  }
  if (hand_over) Store(std::move(to_store), first_index);
  Continue();
}

void ReportStream::Fail(absl::Status status) {
  {
    absl::MutexLock lock(&mu_);
    reading_ = false;
    ++read_;
    SetError(std::move(status));
  }
  Continue();
}

void ReportStream::OnEnd() {
  std::vector<Report> to_store;
  int64_t first_index = 0;
  bool hand_over = false;
  {
    absl::MutexLock lock(&mu_);
    reading_ = false;
    ended_ = true;
    if (transport_->Cancelled()) SetError(CancelledStatus());
    if (!error_.has_value() && !batch_.messages.empty()) {
      hand_over = TakeBatch(&to_store, &first_index);
    }
  }
  if (hand_over) Store(std::move(to_store), first_index);
  Continue();
}

void ReportStream::Buffer(absl::StatusOr<Report> message) {
  if (++read_ > limits_.max_messages) {
    SetError(absl::ResourceExhaustedError(absl::StrCat(
        "a stream carries at most ", limits_.max_messages,
        " reports; send the rest on a new stream")));
    return;
  }
  if (batch_.messages.empty()) batch_.first_index = read_ - 1;
  Message entry;
  if (message.ok()) {
    entry.submission_id = Echoed(message->submission_id, kMaxEchoedIdBytes);
    batch_bytes_ += TextBytes(*message);
    batch_reports_.push_back(*std::move(message));
  } else {
    entry.unreadable = message.status();
  }
  batch_.messages.push_back(std::move(entry));
}

void ReportStream::SetError(absl::Status status) {
  if (!error_.has_value()) error_ = std::move(status);
  // What was read but not handed over is dropped.
  batch_ = Pending();
  batch_reports_.clear();
  batch_bytes_ = 0;
}

bool ReportStream::TakeBatch(std::vector<Report>* reports, int64_t* first_index) {
  // A call cancelled (by the client or its deadline) stores nothing more.
  if (transport_->Cancelled()) {
    SetError(CancelledStatus());
    return false;
  }
  *first_index = batch_.first_index;
  *reports = std::move(batch_reports_);
  pending_.push_back(std::move(batch_));
  batch_ = Pending();
  batch_reports_.clear();
  batch_bytes_ = 0;
  return true;
}

void ReportStream::Store(std::vector<Report> reports, int64_t first_index) {
  if (reports.empty()) {  // only unreadable messages: nothing to store
    Stored(first_index, {});
    return;
  }
  // A batch the store has not begun when the call is cancelled is
  // withdrawn. The stream outlives the question: the call finishes only
  // after every batch has its answer.
  intake_->Submit(
      std::move(reports),
      [this, first_index](ReportIntake::Results results) {
        Stored(first_index, std::move(results));
      },
      [this] { return transport_->Cancelled(); });
}

void ReportStream::Stored(int64_t first_index, ReportIntake::Results results) {
  Next next;
  absl::Status status;
  Summary summary;
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
      size_t report = 0;
      for (size_t i = 0; i < done.messages.size(); ++i) {
        const Message& message = done.messages[i];
        const int64_t index = done.first_index + static_cast<int64_t>(i);
        if (!message.unreadable.ok()) {
          Record(message.unreadable, index, message.submission_id);
        } else {
          Record((*done.results)[report++], index, message.submission_id);
        }
      }
      pending_.pop_front();
    }
    // Cancelled after the last read: the call still ends CANCELLED.
    if (transport_->Cancelled()) SetError(CancelledStatus());
    // Decided under the same lock: this may run on the store's thread,
    // which the transport does not wait for, so once the lock is released
    // the stream may be gone unless this thread is the one to read on or
    // finish.
    next = NextLocked(&status, &summary);
  }
  Act(next, status, summary);
}

void ReportStream::Record(const absl::StatusOr<SubmitResult>& result, int64_t index,
                          const std::string& submission_id) {
  if (result.ok()) {
    if (result->outcome == SubmitOutcome::kAccepted) {
      ++summary_.accepted;
    } else {
      ++summary_.duplicate;
    }
    if (static_cast<int>(summary_.receipts.size()) < limits_.max_listed_receipts) {
      summary_.receipts.push_back({index, submission_id, result->receipt});
    }
    return;
  }
  ++summary_.rejected;
  if (static_cast<int>(summary_.rejections.size()) >= limits_.max_listed_rejections) {
    return;  // counted, not detailed: the answer stays bounded
  }
  summary_.rejections.push_back({index, submission_id, result.status()});
}

ReportStream::Next ReportStream::NextLocked(absl::Status* status, Summary* summary) {
  if (finished_ || reading_) return Next::kNothing;
  if (error_.has_value() || ended_) {
    if (!pending_.empty()) return Next::kNothing;  // the store still answers
    finished_ = true;
    *summary = summary_;
    if (error_.has_value()) {
      // The summary is not sent with an error: its figures go in the message,
      // so that the client knows what became of each message it sent.
      *status = absl::Status(
          error_->code(),
          absl::StrCat(error_->message(), " (", summary_.read(), " of the ", read_,
                       " messages read were answered before the stream ended: ",
                       summary_.accepted, " accepted, ", summary_.duplicate, " duplicate, ",
                       summary_.rejected, " rejected; the rest were not stored, and a retry ",
                       "counts each stored report once)"));
    } else {
      *status = absl::OkStatus();
    }
    return Next::kFinish;
  }
  if (static_cast<int>(pending_.size()) < limits_.batches_in_flight) {
    reading_ = true;
    return Next::kRead;
  }
  return Next::kNothing;
}

void ReportStream::Act(Next next, const absl::Status& status, const Summary& summary) {
  // A pending read keeps the stream alive, and nothing touches it after
  // Finish.
  if (next == Next::kRead) transport_->ReadNext();
  if (next == Next::kFinish) transport_->Finish(status, summary);
}

void ReportStream::Continue() {
  // The transport runs OnMessage and OnEnd so that the stream outlives
  // them: deciding under a lock of its own is safe here.
  Next next;
  absl::Status status;
  Summary summary;
  {
    absl::MutexLock lock(&mu_);
    next = NextLocked(&status, &summary);
  }
  Act(next, status, summary);
}

}  // namespace inrapport
