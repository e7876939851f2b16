// One client stream of reports, without its transport: what the stream has
// read is handed to the intake in batches while reading goes on, and every
// message read is answered (accepted, duplicate or rejected at its index),
// in the order it was read. The gRPC reactor only reads, parses, and hands
// each message here (services/handlers/report_intake_service.cc).
#ifndef INRAPPORT_COMMON_INTAKE_REPORT_STREAM_H_
#define INRAPPORT_COMMON_INTAKE_REPORT_STREAM_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/domain/types.h"
#include "common/intake/report_intake.h"

namespace inrapport {

class ReportStream {
 public:
  struct Limits {
    // Reports handed to the intake per batch; the store may merge several
    // batches into one commit.
    size_t batch_size = 4096;
    // Batches being stored at once. Reading goes on while earlier batches
    // are committed, up to this bound: the stream's memory is bounded, and
    // a slow disk slows the client through flow control.
    int batches_in_flight = 3;
    // Bytes of text the batch being read may hold before it is handed over
    // even if it is not full: a stream of reports each near the message
    // limit holds a few of these, not batch_size megabytes. Real reports
    // are a few hundred bytes, so batches fill by count.
    size_t batch_bytes = 4 << 20;
    // Messages one stream may carry; more ends it RESOURCE_EXHAUSTED.
    int64_t max_messages = 100000;
    // Rejections the summary details; further ones are only counted.
    int max_listed_rejections = 1000;
    // Receipts the summary lists (the first, in stream order): a stream's
    // answer stays well below a client's default 4 MiB message limit.
    // ListReports gives the receipts of all.
    int max_listed_receipts = 10000;
  };

  // The longest submission id a rejection quotes: a valid one is at most
  // 128 bytes, and a rejected one of a megabyte must not make the answer
  // a gigabyte.
  static constexpr size_t kMaxEchoedIdBytes = 128;

  struct Rejection {
    int64_t index = 0;  // of the message in the stream, from 0
    // As sent, cut to kMaxEchoedIdBytes; empty if the message could not be
    // read.
    std::string submission_id;
    absl::Status status;
  };

  // The receipt of one stored report (accepted now, or a duplicate of one
  // stored before).
  struct StoredReceipt {
    int64_t index = 0;  // of the message in the stream, from 0
    std::string submission_id;
    Receipt receipt;
  };

  // The answer to the stream: every message read is counted once, so
  // accepted + duplicate + rejected is the number of messages read.
  struct Summary {
    int64_t accepted = 0;
    int64_t duplicate = 0;
    int64_t rejected = 0;
    std::vector<Rejection> rejections;  // the first max_listed_rejections
    std::vector<StoredReceipt> receipts;  // the first max_listed_receipts
    int64_t read() const { return accepted + duplicate + rejected; }
  };

  // What the stream asks of its transport. Calls may come from the
  // transport's threads (inside OnMessage and OnEnd) or from the store's.
  class Transport {
   public:
    virtual ~Transport() = default;
    // Read the next message: it comes back as OnMessage, or OnEnd.
    virtual void ReadNext() = 0;
    // End the call: exactly once, and the stream's last act; the summary
    // is the answer when `status` is OK. The transport may destroy the
    // stream once Finish has returned and no OnMessage or OnEnd is running.
    virtual void Finish(const absl::Status& status, const Summary& summary) = 0;
    // Whether the call was cancelled (by the client or its deadline).
    virtual bool Cancelled() const = 0;
  };

  // The pointers are not owned and must outlive the stream.
  ReportStream(ReportIntake* intake, Transport* transport, Limits limits);
  ReportStream(const ReportStream&) = delete;
  ReportStream& operator=(const ReportStream&) = delete;

  // Asks for the first message.
  void Start();

  // The message just read: a report, or why its bytes are no report (it
  // is then rejected at its index with that status, and reading goes on).
  void OnMessage(absl::StatusOr<Report> message);

  // The message just read ends the stream with `status` (a report the
  // caller may not submit): the reports read but not yet handed to the
  // intake are dropped, the batches handed over get their answers, and the
  // call ends with `status`.
  void Fail(absl::Status status);

  // The client half-closed, or the call was cancelled: the reports read
  // are stored (unless cancelled) and the call ends once all are answered.
  void OnEnd();

 private:
  // One message read: its submission id, and why it could not be read.
  struct Message {
    std::string submission_id;
    absl::Status unreadable;  // OK if it was a report
  };
  // A batch handed to the intake, kept until every earlier one is answered.
  struct Pending {
    int64_t first_index = 0;
    std::vector<Message> messages;
    std::optional<ReportIntake::Results> results;  // one per readable message
  };
  enum class Next { kNothing, kRead, kFinish };

  void Buffer(absl::StatusOr<Report> message) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SetError(absl::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Closes the batch being read and queues its answer; its reports go to
  // *reports, to be handed over outside the lock. False if the call was
  // cancelled (nothing more is stored).
  bool TakeBatch(std::vector<Report>* reports, int64_t* first_index)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Store(std::vector<Report> reports, int64_t first_index);
  void Stored(int64_t first_index, ReportIntake::Results results);
  void Record(const absl::StatusOr<SubmitResult>& result, int64_t index,
              const std::string& submission_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // After a read or an answer: reads on, or finishes (filling *status and
  // *summary) when nothing is left to wait for.
  Next NextLocked(absl::Status* status, Summary* summary) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Outside the lock: a read or a finish may react inline.
  void Act(Next next, const absl::Status& status, const Summary& summary);
  void Continue();

  ReportIntake* const intake_;
  Transport* const transport_;
  const Limits limits_;

  // The transport reacts on its threads and the store answers on its own.
  // Nothing calls into the transport or the intake while holding mu_: a
  // read, a finish or an answer may run inline.
  absl::Mutex mu_;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;  // a read is outstanding
  bool ended_ ABSL_GUARDED_BY(mu_) = false;    // no more messages
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<absl::Status> error_ ABSL_GUARDED_BY(mu_);  // finish with it
  int64_t read_ ABSL_GUARDED_BY(mu_) = 0;  // messages read
  Pending batch_ ABSL_GUARDED_BY(mu_);     // being read
  size_t batch_bytes_ ABSL_GUARDED_BY(mu_) = 0;  // its reports' text
  std::vector<Report> batch_reports_ ABSL_GUARDED_BY(mu_);  // its reports
  std::deque<Pending> pending_ ABSL_GUARDED_BY(mu_);  // handed over, in order
  Summary summary_ ABSL_GUARDED_BY(mu_);
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_INTAKE_REPORT_STREAM_H_
