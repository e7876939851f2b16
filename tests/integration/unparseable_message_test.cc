// Messages that are no valid request, sent as raw frames to the running
// server: a unary call is answered INVALID_ARGUMENT with a message, and a
// stream rejects the bad message at its index and reads on, so that the
// answer accounts for every message sent.
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using testing::ServerProcess;
using testing::TempDir;
using testing::TestTimeout;

// Bytes that no message parses: a field of wire type 7, which does not exist.
const std::string kGarbage("\xff\xff\xff\xff", 4);

grpc::ByteBuffer Buffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string Bytes(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

struct Answer {
  grpc::Status status;
  std::string response;  // the raw response message, if one came
};

// One call of `method` that sends `messages` as they are and half-closes.
class RawCall : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  RawCall(grpc::GenericStub& stub, const std::string& method, std::vector<std::string> messages)
      : messages_(std::move(messages)) {
    context_.set_deadline(absl::ToChronoTime(absl::Now() + TestTimeout(absl::Seconds(30))));
    stub.PrepareBidiStreamingCall(&context_, method, grpc::StubOptions(), this);
    StartRead(&in_);
    WriteNext();
    StartCall();
  }

  Answer Wait() { return done_.get_future().get(); }

  void OnWriteDone(bool ok) override {
    if (ok) WriteNext();
  }
  void OnReadDone(bool ok) override {
    if (ok) answer_.response = Bytes(in_);
  }
  void OnDone(const grpc::Status& status) override {
    answer_.status = status;
    done_.set_value(answer_);
  }

 private:
  void WriteNext() {
    if (next_ == messages_.size()) {
      StartWritesDone();
      return;
    }
    out_ = Buffer(messages_[next_++]);
    StartWrite(&out_);
  }

  grpc::ClientContext context_;
  std::vector<std::string> messages_;
  size_t next_ = 0;
  grpc::ByteBuffer out_;
  grpc::ByteBuffer in_;
  Answer answer_;
  std::promise<Answer> done_;
};

class UnparseableMessageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = ServerProcess::Start(dir_.path() + "/inrapport.db");
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials());
    stub_ = std::make_unique<grpc::GenericStub>(channel_);

    v1::CreateDutyRequest create;
    v1::ReportingDuty* duty = create.mutable_duty();
    duty->set_id("ivo-ej-verkstallda-beslut");
    duty->set_agency_id("ivo");
    duty->set_title("Ej verkställda beslut");
    duty->set_purpose("Tillsyn av att beviljade insatser verkställs inom skälig tid.");
    duty->set_legal_basis("SoL 16 kap. 6 f §");
    duty->set_sector(v1::SECTOR_SOCIAL_SERVICES);
    duty->set_frequency(v1::FREQUENCY_QUARTERLY);
    duty->add_data_items("decision_date");
    duty->set_estimated_minutes_per_report(30);
    v1::ReportingDuty created;
    grpc::ClientContext context;
    ASSERT_TRUE(v1::DutyRegistry::NewStub(channel_)->CreateDuty(&context, create, &created).ok());
  }

  static std::string ReportMessage(int i) {
    v1::SubmitReportsRequest request;
    v1::Report* report = request.mutable_report();
    report->set_submission_id(absl::StrCat("raw-", i));
    report->set_municipality_code("0180");
    report->set_duty_id("ivo-ej-verkstallda-beslut");
    report->set_period("2025Q1");
    report->set_minutes_spent(30);
    report->set_staff_count(1);
    report->set_usefulness(3);
    return request.SerializeAsString();
  }

  Answer Call(const std::string& method, std::vector<std::string> messages) {
    RawCall call(*stub_, method, std::move(messages));
    return call.Wait();
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
};

TEST_F(UnparseableMessageTest, AStreamRejectsTheBadMessageAtItsIndexAndStoresTheRest) {
  std::vector<std::string> messages;
  for (int i = 0; i < 100; ++i) messages.push_back(i == 50 ? kGarbage : ReportMessage(i));
  const Answer answer = Call("/inrapport.v1.ReportIntake/SubmitReports", messages);

  ASSERT_TRUE(answer.status.ok()) << answer.status.error_message();
  v1::SubmitReportsResponse response;
  ASSERT_TRUE(response.ParseFromString(answer.response));
  EXPECT_EQ(response.accepted(), 99);
  EXPECT_EQ(response.duplicate(), 0);
  EXPECT_EQ(response.rejected(), 1);
  ASSERT_EQ(response.rejections_size(), 1);
  EXPECT_EQ(response.rejections(0).index(), 50);
  EXPECT_EQ(response.rejections(0).code(), "INVALID_ARGUMENT");
  EXPECT_THAT(response.rejections(0).message(), HasSubstr("SubmitReportsRequest"));

  // What the answer says is what was stored: the same stream again finds
  // 99 duplicates.
  const Answer again = Call("/inrapport.v1.ReportIntake/SubmitReports", messages);
  ASSERT_TRUE(again.status.ok());
  ASSERT_TRUE(response.ParseFromString(again.response));
  EXPECT_EQ(response.accepted(), 0);
  EXPECT_EQ(response.duplicate(), 99);
  EXPECT_EQ(response.rejected(), 1);
}

// A string field that is not UTF-8 (a Latin-1 export sent as it is) makes
// the message unparseable in proto3: rejected in place, not the end.
TEST_F(UnparseableMessageTest, AReportWithALatin1CommentIsRejectedAndTheRestStored) {
  std::vector<std::string> messages;
  for (int i = 0; i < 6; ++i) {
    v1::SubmitReportsRequest request;
    request.ParseFromString(ReportMessage(i));
    if (i == 2) request.mutable_report()->set_comment("V\xe4xj\xf6");
    std::string bytes;
    request.AppendPartialToString(&bytes);  // the sender does not check
    messages.push_back(bytes);
  }
  const Answer answer = Call("/inrapport.v1.ReportIntake/SubmitReports", messages);

  ASSERT_TRUE(answer.status.ok()) << answer.status.error_message();
  v1::SubmitReportsResponse response;
  ASSERT_TRUE(response.ParseFromString(answer.response));
  EXPECT_EQ(response.accepted(), 5);
  EXPECT_EQ(response.rejected(), 1);
  ASSERT_EQ(response.rejections_size(), 1);
  EXPECT_EQ(response.rejections(0).index(), 2);
}

TEST_F(UnparseableMessageTest, EveryUnaryMethodAnswersInvalidArgumentNamingTheMessage) {
  const std::vector<std::pair<std::string, std::string>> methods = {
      {"/inrapport.v1.DutyRegistry/CreateDuty", "inrapport.v1.CreateDutyRequest"},
      {"/inrapport.v1.DutyRegistry/GetDuty", "inrapport.v1.GetDutyRequest"},
      {"/inrapport.v1.DutyRegistry/UpdateDuty", "inrapport.v1.UpdateDutyRequest"},
      {"/inrapport.v1.DutyRegistry/ListDuties", "inrapport.v1.ListDutiesRequest"},
      {"/inrapport.v1.DutyRegistry/RecordDutyUse", "inrapport.v1.RecordDutyUseRequest"},
      {"/inrapport.v1.DutyRegistry/ListDutyUses", "inrapport.v1.ListDutyUsesRequest"},
      {"/inrapport.v1.ReportIntake/SubmitReport", "inrapport.v1.SubmitReportRequest"},
      {"/inrapport.v1.BurdenQuery/GetBurdenSummary", "inrapport.v1.GetBurdenSummaryRequest"},
      {"/inrapport.v1.BurdenQuery/ListFlaggedDuties", "inrapport.v1.ListFlaggedDutiesRequest"},
      {"/inrapport.v1.BurdenQuery/ListDutyAccounts", "inrapport.v1.ListDutyAccountsRequest"},
      {"/inrapport.v1.BurdenQuery/GetCompleteness", "inrapport.v1.GetCompletenessRequest"},
      {"/inrapport.v1.BurdenQuery/GetArenaReport", "inrapport.v1.GetArenaReportRequest"},
  };
  for (const auto& [method, message] : methods) {
    SCOPED_TRACE(method);
    const Answer answer = Call(method, {kGarbage});
    EXPECT_EQ(answer.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(answer.status.error_message(), HasSubstr("not a valid " + message));
  }
}

}  // namespace
}  // namespace inrapport
