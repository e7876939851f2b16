#include "common/intake/report_stream.h"

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using testing::ExampleDuty;
using testing::ExampleReport;
using testing::FakeStore;

// A transport driven by the test: it hands the stream the messages queued
// in `to_send` whenever the stream asks for one, then ends the stream.
class ScriptedTransport : public ReportStream::Transport {
 public:
  void ReadNext() override { read_asked_ = true; }
  void Finish(const absl::Status& status, const ReportStream::Summary& summary) override {
    ++finishes_;
    status_ = status;
    summary_ = summary;
  }
  bool Cancelled() const override { return cancelled_; }

  // Answers the stream's reads from `to_send` until it stops asking or the
  // messages run out; then ends the stream if `end_after` says so.
  void Pump(ReportStream& stream, bool end_after = true) {
    while (read_asked_) {
      read_asked_ = false;
      if (!to_send.empty()) {
        absl::StatusOr<Report> message = std::move(to_send.front());
        to_send.pop_front();
        ++sent_;
        stream.OnMessage(std::move(message));
      } else if (end_after) {
        stream.OnEnd();
      } else {
        read_asked_ = true;
        return;
      }
    }
  }

  std::deque<absl::StatusOr<Report>> to_send;
  bool cancelled_ = false;
  bool read_asked_ = false;
  int sent_ = 0;
  int finishes_ = 0;
  std::optional<absl::Status> status_;
  ReportStream::Summary summary_;
};

absl::Status Unreadable() {
  return absl::InvalidArgumentError("message: not a valid inrapport.v1.SubmitReportsRequest");
}

class ReportStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    aggregates_ = std::move(*Aggregates::Load(store_));
    catalog_ = std::move(*DutyCatalog::Load(&store_, aggregates_.get()));
    ASSERT_TRUE(catalog_->Create(ExampleDuty()).ok());  // quarterly
    intake_ = std::make_unique<ReportIntake>(&store_, catalog_.get(), aggregates_.get(), &metrics_,
                                             [] { return absl::CivilDay(2025, 6, 15); });
  }

  // Queues `count` distinct valid reports, s<first>.. on.
  void QueueReports(int count, int first = 0) {
    for (int i = first; i < first + count; ++i) {
      transport_.to_send.push_back(ExampleReport("s" + std::to_string(i)));
    }
  }

  std::unique_ptr<ReportStream> NewStream(ReportStream::Limits limits) {
    return std::make_unique<ReportStream>(intake_.get(), &transport_, limits);
  }

  static ReportStream::Limits Small(size_t batch_size) {
    ReportStream::Limits limits;
    limits.batch_size = batch_size;
    return limits;
  }

  FakeStore store_;
  std::unique_ptr<Aggregates> aggregates_;
  std::unique_ptr<DutyCatalog> catalog_;  // listens to aggregates_
  prometheus::Registry registry_;
  IntakeMetrics metrics_{registry_};
  std::unique_ptr<ReportIntake> intake_;
  ScriptedTransport transport_;
};

// The case that used to end a stream OK with half its reports unread: one
// message in the middle cannot be read.
TEST_F(ReportStreamTest, AnUnreadableMessageIsRejectedAtItsIndexAndReadingGoesOn) {
  QueueReports(50);
  transport_.to_send.push_back(Unreadable());
  QueueReports(49, 50);
  auto stream = NewStream(Small(8));
  stream->Start();
  transport_.Pump(*stream);

  ASSERT_EQ(transport_.finishes_, 1);
  ASSERT_TRUE(transport_.status_->ok()) << *transport_.status_;
  const ReportStream::Summary& summary = transport_.summary_;
  EXPECT_EQ(summary.accepted, 99);
  EXPECT_EQ(summary.duplicate, 0);
  EXPECT_EQ(summary.rejected, 1);
  EXPECT_EQ(summary.read(), 100);
  ASSERT_EQ(summary.rejections.size(), 1u);
  EXPECT_EQ(summary.rejections[0].index, 50);
  EXPECT_EQ(summary.rejections[0].submission_id, "");
  EXPECT_EQ(summary.rejections[0].status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*store_.CountReports(), 99);
}

// A batch of nothing but unreadable messages, between two batches of
// reports, is answered in its place; rejections come in stream order.
TEST_F(ReportStreamTest, ABatchOfOnlyUnreadableMessagesIsAnsweredInOrder) {
  QueueReports(2);
  transport_.to_send.push_back(Unreadable());
  transport_.to_send.push_back(Unreadable());
  transport_.to_send.push_back(ExampleReport("bad-code", "9999"));
  QueueReports(1, 2);
  auto stream = NewStream(Small(2));
  stream->Start();
  transport_.Pump(*stream);

  ASSERT_TRUE(transport_.status_->ok());
  const ReportStream::Summary& summary = transport_.summary_;
  EXPECT_EQ(summary.accepted, 3);
  EXPECT_EQ(summary.rejected, 3);
  ASSERT_EQ(summary.rejections.size(), 3u);
  EXPECT_EQ(summary.rejections[0].index, 2);
  EXPECT_EQ(summary.rejections[1].index, 3);
  EXPECT_EQ(summary.rejections[2].index, 4);
  EXPECT_EQ(summary.rejections[2].submission_id, "bad-code");
  EXPECT_THAT(std::string(summary.rejections[2].status.message()),
              HasSubstr("report.municipality_code"));
}

// With the store slow, reading stops once `batches_in_flight` batches wait
// for it, and goes on as they are answered.
TEST_F(ReportStreamTest, ReadingWaitsWhileTheBatchesInFlightAreHeld) {
  QueueReports(20);
  store_.HoldWrites();
  ReportStream::Limits limits = Small(2);
  limits.batches_in_flight = 3;
  auto stream = NewStream(limits);
  stream->Start();
  transport_.Pump(*stream);

  EXPECT_EQ(transport_.sent_, 6);  // three batches of two, no more
  EXPECT_FALSE(transport_.read_asked_);
  EXPECT_EQ(store_.HeldWrites(), 3u);
  EXPECT_EQ(transport_.finishes_, 0);

  store_.ReleaseHeldWrites();  // answers them and asks for the next message
  EXPECT_TRUE(transport_.read_asked_);
  transport_.Pump(*stream);
  ASSERT_EQ(transport_.finishes_, 1);
  EXPECT_TRUE(transport_.status_->ok());
  EXPECT_EQ(transport_.summary_.accepted, 20);
}

// Retries are recognised: a stream sent twice is duplicate the second time.
TEST_F(ReportStreamTest, AResentStreamIsDuplicate) {
  QueueReports(5);
  auto first = NewStream(Small(2));
  first->Start();
  transport_.Pump(*first);
  ASSERT_EQ(transport_.summary_.accepted, 5);

  QueueReports(5);
  auto again = NewStream(Small(2));
  again->Start();
  transport_.Pump(*again);
  EXPECT_EQ(transport_.summary_.accepted, 0);
  EXPECT_EQ(transport_.summary_.duplicate, 5);
  EXPECT_EQ(*store_.CountReports(), 5);
}

// One message too many ends the stream; the message says what became of
// the messages read, since an error carries no summary.
TEST_F(ReportStreamTest, TheMessageLimitEndsTheStreamSayingWhatWasAnswered) {
  QueueReports(8);
  ReportStream::Limits limits = Small(2);
  limits.max_messages = 5;
  auto stream = NewStream(limits);
  stream->Start();
  transport_.Pump(*stream);

  ASSERT_EQ(transport_.finishes_, 1);
  EXPECT_EQ(transport_.status_->code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(transport_.status_->message()),
              HasSubstr("4 of the 6 messages read were answered before the stream ended: "
                        "4 accepted, 0 duplicate, 0 rejected"));
  EXPECT_EQ(transport_.sent_, 6);  // nothing read after the one too many
  EXPECT_EQ(*store_.CountReports(), 4);  // the fifth was read, never handed over
}

TEST_F(ReportStreamTest, AFailedMessageEndsTheStreamAndDropsWhatWasNotHandedOver) {
  QueueReports(3);
  auto stream = NewStream(Small(2));
  stream->Start();
  transport_.Pump(*stream, /*end_after=*/false);
  ASSERT_EQ(transport_.sent_, 3);
  stream->Fail(absl::PermissionDeniedError("municipality:1283 may not submit a report for "
                                           "municipality 0180"));

  ASSERT_EQ(transport_.finishes_, 1);
  EXPECT_EQ(transport_.status_->code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(transport_.status_->message()),
              HasSubstr("2 of the 4 messages read were answered"));
  EXPECT_EQ(*store_.CountReports(), 2);
}

TEST_F(ReportStreamTest, ACancelledStreamStoresNothingMore) {
  QueueReports(3);
  auto stream = NewStream(Small(2));
  stream->Start();
  transport_.Pump(*stream, /*end_after=*/false);
  transport_.cancelled_ = true;
  transport_.read_asked_ = false;
  stream->OnEnd();

  ASSERT_EQ(transport_.finishes_, 1);
  EXPECT_EQ(transport_.status_->code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(*store_.CountReports(), 2);  // the first batch was handed over before
}

// A batch that waits for the store when the call is cancelled is withdrawn:
// nothing of it is stored, and the stream ends once it is answered.
TEST_F(ReportStreamTest, BatchesWaitingWhenTheCallIsCancelledAreWithdrawn) {
  QueueReports(4);
  store_.HoldWrites();
  auto stream = NewStream(Small(2));
  stream->Start();
  transport_.Pump(*stream, /*end_after=*/false);
  ASSERT_EQ(store_.HeldWrites(), 2u);
  transport_.cancelled_ = true;
  transport_.read_asked_ = false;
  stream->OnEnd();
  EXPECT_EQ(transport_.finishes_, 0);  // the held batches still owe answers

  store_.ReleaseHeldWrites();
  ASSERT_EQ(transport_.finishes_, 1);
  EXPECT_EQ(transport_.status_->code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(*store_.CountReports(), 0);
}

TEST_F(ReportStreamTest, RejectionsAreDetailedUpToTheLimitAndAllCounted) {
  for (int i = 0; i < 7; ++i) transport_.to_send.push_back(Unreadable());
  ReportStream::Limits limits = Small(3);
  limits.max_listed_rejections = 4;
  auto stream = NewStream(limits);
  stream->Start();
  transport_.Pump(*stream);

  ASSERT_TRUE(transport_.status_->ok());
  EXPECT_EQ(transport_.summary_.rejected, 7);
  ASSERT_EQ(transport_.summary_.rejections.size(), 4u);
  EXPECT_EQ(transport_.summary_.rejections[3].index, 3);
}

// Reports near the message limit close a batch by its bytes long before
// it is full by count, so that a stream's memory stays bounded.
TEST_F(ReportStreamTest, LargeReportsCloseABatchByItsBytes) {
  for (int i = 0; i < 5; ++i) {
    Report report = ExampleReport("big" + std::to_string(i));
    report.comment = std::string(600, 'k');
    transport_.to_send.push_back(report);
  }
  store_.HoldWrites();
  ReportStream::Limits limits;  // 4,096 reports a batch
  limits.batch_bytes = 1000;
  auto stream = NewStream(limits);
  stream->Start();
  transport_.Pump(*stream);
  EXPECT_EQ(store_.HeldWrites(), 3u);  // {0, 1}, {2, 3}, {4}: by count it would be one

  store_.ReleaseHeldWrites();
  ASSERT_EQ(transport_.finishes_, 1);
  EXPECT_TRUE(transport_.status_->ok());
  EXPECT_EQ(transport_.summary_.accepted, 5);
}

// A rejected report's submission id is quoted in the answer only up to the
// longest valid id, cut between characters.
TEST_F(ReportStreamTest, ARejectionQuotesAnOversizedSubmissionIdCut) {
  std::string accented = "a";
  for (int i = 0; i < 100; ++i) accented += "\xc3\xa9";  // é: byte 128 falls inside one
  transport_.to_send.push_back(ExampleReport(std::string(100000, 'x')));
  transport_.to_send.push_back(ExampleReport(accented));
  auto stream = NewStream(Small(8));
  stream->Start();
  transport_.Pump(*stream);

  ASSERT_TRUE(transport_.status_->ok());
  ASSERT_EQ(transport_.summary_.rejections.size(), 2u);
  EXPECT_EQ(transport_.summary_.rejections[0].submission_id, std::string(128, 'x'));
  EXPECT_EQ(transport_.summary_.rejections[1].submission_id, accented.substr(0, 127));
  EXPECT_THAT(std::string(transport_.summary_.rejections[1].status.message()),
              HasSubstr("submission_id"));
}

TEST_F(ReportStreamTest, AnEmptyStreamEndsOkWithNothing) {
  auto stream = NewStream(Small(2));
  stream->Start();
  transport_.Pump(*stream);
  ASSERT_EQ(transport_.finishes_, 1);
  EXPECT_TRUE(transport_.status_->ok());
  EXPECT_EQ(transport_.summary_.read(), 0);
}

}  // namespace
}  // namespace inrapport
