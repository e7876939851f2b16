// Hostile clients' text against the real inrapportd: control and bidi
// formatting characters refused naming the field, huge values answered
// promptly with a short message, and markup and formulas made inert in the
// arena report's documents.
#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing::ServerProcess;
using testing::TempDir;

v1::ReportingDuty Duty(const std::string& id, const std::string& title) {
  v1::ReportingDuty duty;
  duty.set_id(id);
  duty.set_agency_id("ivo");
  duty.set_title(title);
  duty.set_legal_basis("SoL 16 kap. 6 f §");
  duty.set_sector(v1::SECTOR_SOCIAL_SERVICES);
  duty.set_frequency(v1::FREQUENCY_QUARTERLY);
  duty.add_data_items(id + "_item");
  return duty;  // no purpose: flagged, so the arena report lists it
}

v1::Report Report(const std::string& id, const std::string& period) {
  v1::Report report;
  report.set_submission_id(id);
  report.set_municipality_code("0180");
  report.set_duty_id("d");
  report.set_period(period);
  report.set_minutes_spent(30);
  return report;
}

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = ServerProcess::Start(dir_.path() + "/inrapport.db");
    ASSERT_NE(server_, nullptr);
    auto channel = grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials());
    duties_ = v1::DutyRegistry::NewStub(channel);
    intake_ = v1::ReportIntake::NewStub(channel);
    burden_ = v1::BurdenQuery::NewStub(channel);
  }

  static void Deadline(grpc::ClientContext* context, int seconds) {
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  }

  grpc::Status CreateDuty(const v1::ReportingDuty& duty) {
    grpc::ClientContext context;
    Deadline(&context, 30);
    v1::CreateDutyRequest request;
    *request.mutable_duty() = duty;
    v1::ReportingDuty response;
    return duties_->CreateDuty(&context, request, &response);
  }

  grpc::Status Submit(const v1::Report& report, int deadline_seconds = 30) {
    grpc::ClientContext context;
    Deadline(&context, deadline_seconds);
    v1::SubmitReportRequest request;
    *request.mutable_report() = report;
    v1::SubmitReportResponse response;
    return intake_->SubmitReport(&context, request, &response);
  }

  std::string Document(v1::ReportFormat format) {
    grpc::ClientContext context;
    Deadline(&context, 30);
    v1::GetArenaReportRequest request;
    request.set_format(format);
    v1::GetArenaReportResponse response;
    const grpc::Status status = burden_->GetArenaReport(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.document();
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::DutyRegistry::Stub> duties_;
  std::unique_ptr<v1::ReportIntake::Stub> intake_;
  std::unique_ptr<v1::BurdenQuery::Stub> burden_;
};

// A 64 KB period came back as a 64 KB message; at 128 KB the answer never
// reached the client before its deadline.
TEST_F(HostileInputTest, HugePeriodIsRefusedPromptlyWithAShortMessage) {
  ASSERT_TRUE(CreateDuty(Duty("d", "Anmälan")).ok());
  for (size_t size : {size_t{64 * 1024}, size_t{128 * 1024}}) {
    const absl::Time start = absl::Now();
    const grpc::Status status = Submit(Report(absl::StrCat("p", size), std::string(size, '2')), 10);
    const absl::Duration took = absl::Now() - start;
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << size << ": " << status.error_code() << " " << status.error_message().substr(0, 200);
    EXPECT_THAT(status.error_message(), StartsWith("report.period: "));
    EXPECT_LT(status.error_message().size(), 300u);
    EXPECT_THAT(status.error_message(), HasSubstr(absl::StrCat("(", size, " bytes)")));
    EXPECT_LT(took, testing::TestTimeout(absl::Seconds(5))) << size;
  }
}

TEST_F(HostileInputTest, ControlAndBidiCharactersAreRefusedNamingTheField) {
  grpc::Status status = CreateDuty(Duty("esc", "Titel \x1b[2J\x1b[31mröd"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("duty.title: contains U+001B"));

  v1::ReportingDuty bidi = Duty("bidi", "Anmälan");
  bidi.add_data_items("antal\xe2\x80\xae" "exe.pdf");
  status = CreateDuty(bidi);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("duty.data_items[1]: contains U+202E"));

  ASSERT_TRUE(CreateDuty(Duty("d", "Anmälan")).ok());
  v1::Report report = Report("r1", "2025Q1");
  report.set_comment(std::string("null \0 byte", 11));
  status = Submit(report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("report.comment: contains U+0000"));

  // A comment may span lines.
  report.set_comment("Första raden.\nAndra raden.\tMed tab.");
  status = Submit(report);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(HostileInputTest, MarkupAndFormulasInDutyTextAreInertInEveryDocument) {
  ASSERT_TRUE(CreateDuty(Duty("d-hyperlink", "=HYPERLINK(\"http://x\",\"y\")")).ok());
  ASSERT_TRUE(CreateDuty(Duty("d-plus", "+1")).ok());
  ASSERT_TRUE(CreateDuty(Duty("d-minus", "-2+3")).ok());
  ASSERT_TRUE(CreateDuty(Duty("d-at", "@SUM(A1)")).ok());
  ASSERT_TRUE(CreateDuty(Duty("d-script", "<script>alert(1)</script>")).ok());

  const std::string html = Document(v1::REPORT_FORMAT_HTML);
  EXPECT_THAT(absl::AsciiStrToLower(html), Not(HasSubstr("<script")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));

  const std::string markdown = Document(v1::REPORT_FORMAT_MARKDOWN);
  EXPECT_THAT(markdown, HasSubstr("\\<script\\>alert(1)\\</script\\>"));

  const std::string csv = Document(v1::REPORT_FORMAT_CSV);
  EXPECT_THAT(csv, HasSubstr(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","));
  EXPECT_THAT(csv, HasSubstr(",\"'+1\","));
  EXPECT_THAT(csv, HasSubstr(",\"'-2+3\","));
  EXPECT_THAT(csv, HasSubstr(",\"'@SUM(A1)\","));
  EXPECT_THAT(csv, HasSubstr(",<script>alert(1)</script>,"));  // text, not a formula
  EXPECT_THAT(csv, Not(HasSubstr(",=")));
  EXPECT_THAT(csv, Not(HasSubstr(",+")));
  EXPECT_THAT(csv, Not(HasSubstr(",@")));
}

}  // namespace
}  // namespace inrapport
