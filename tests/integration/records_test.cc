// What a municipality sent, read back through the running server: the
// receipt of every stored report (unary and streamed, and the same receipt
// for a retry), GetReport, and ListReports with its filters and pages. On
// both stores: SQLite, and PostgreSQL on a temporary server.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/postgres_server.h"
#include "tests/support/report_stream.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ServerProcess;

v1::Report Report(const std::string& id, const std::string& municipality,
                  const std::string& period, int64_t minutes = 30) {
  v1::Report report;
  report.set_submission_id(id);
  report.set_municipality_code(municipality);
  report.set_duty_id("ivo-q");
  report.set_period(period);
  report.set_minutes_spent(minutes);
  report.set_staff_count(1);
  return report;
}

class RecordsTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    store_ = dir_.path() + "/inrapport.db";
    if (std::string(GetParam()) == "postgresql") {
      std::string why;
      store_ = testing::PostgresServer::NewSharedDatabase(&why);
      ASSERT_FALSE(store_.empty()) << why;
    }
    server_ = ServerProcess::Start(store_);
    ASSERT_NE(server_, nullptr);
    auto channel =
        grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials());
    intake_ = v1::ReportIntake::NewStub(channel);
    grpc::ClientContext context;
    v1::CreateDutyRequest create;
    v1::ReportingDuty* duty = create.mutable_duty();
    duty->set_id("ivo-q");
    duty->set_agency_id("ivo");
    duty->set_title("Ej verkställda beslut");
    duty->set_legal_basis("SoL 16 kap. 6 f §");
    duty->set_purpose("IVO judges whether to seek a special fee.");
    duty->set_sector(v1::SECTOR_SOCIAL_SERVICES);
    duty->set_frequency(v1::FREQUENCY_QUARTERLY);
    v1::ReportingDuty created;
    ASSERT_TRUE(v1::DutyRegistry::NewStub(channel)->CreateDuty(&context, create, &created).ok());
  }

  grpc::Status Submit(const v1::Report& report, v1::SubmitReportResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::SubmitReportRequest request;
    *request.mutable_report() = report;
    return intake_->SubmitReport(&context, request, response);
  }

  grpc::Status Get(const std::string& municipality, const std::string& id,
                   v1::StoredReport* response) {
    grpc::ClientContext context;
    v1::GetReportRequest request;
    request.set_municipality_code(municipality);
    request.set_submission_id(id);
    return intake_->GetReport(&context, request, response);
  }

  grpc::Status List(const v1::ListReportsRequest& request, v1::ListReportsResponse* response) {
    grpc::ClientContext context;
    return intake_->ListReports(&context, request, response);
  }

  // Every page of `request`, followed to the end: "municipality/id" in order.
  std::vector<std::string> ListAll(v1::ListReportsRequest request, int* pages = nullptr) {
    std::vector<std::string> ids;
    int count = 0;
    do {
      v1::ListReportsResponse response;
      const grpc::Status status = List(request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok() || ++count > 100) break;
      for (const v1::StoredReport& r : response.reports()) {
        ids.push_back(r.report().municipality_code() + "/" + r.report().submission_id());
      }
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    if (pages != nullptr) *pages = count;
    return ids;
  }

  grpc::Status Correct(const v1::Report& report, const std::string& reason, int32_t version,
                       v1::ChangeReportResponse* response) {
    grpc::ClientContext context;
    v1::CorrectReportRequest request;
    *request.mutable_report() = report;
    request.set_reason(reason);
    request.set_version(version);
    return intake_->CorrectReport(&context, request, response);
  }

  grpc::Status Withdraw(const std::string& municipality, const std::string& id,
                        const std::string& reason, v1::ChangeReportResponse* response) {
    grpc::ClientContext context;
    v1::WithdrawReportRequest request;
    request.set_municipality_code(municipality);
    request.set_submission_id(id);
    request.set_reason(reason);
    return intake_->WithdrawReport(&context, request, response);
  }

  // Minutes and reports per municipality, and the totals ("total").
  std::map<std::string, std::pair<int64_t, int64_t>> MinutesByMunicipality() {
    auto stub = v1::BurdenQuery::NewStub(
        grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    v1::GetBurdenSummaryRequest request;
    request.set_group_by(v1::GROUP_BY_MUNICIPALITY);
    v1::GetBurdenSummaryResponse response;
    const grpc::Status status = stub->GetBurdenSummary(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, std::pair<int64_t, int64_t>> by;
    for (const v1::BurdenRow& row : response.rows()) by[row.key()] = {row.minutes(), row.reports()};
    by["total"] = {response.totals().minutes(), response.totals().reports()};
    return by;
  }

  std::string store_;
  testing::TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::ReportIntake::Stub> intake_;
};

TEST_P(RecordsTest, EveryStoredReportHasAReceiptAndARetryGetsTheFirstOne) {
  const int64_t before = absl::ToUnixSeconds(absl::Now());
  v1::SubmitReportResponse first;
  ASSERT_TRUE(Submit(Report("0180-1", "0180", "2025Q1", 45), &first).ok());
  const int64_t after = absl::ToUnixSeconds(absl::Now());
  EXPECT_FALSE(first.duplicate());
  EXPECT_EQ(first.receipt().submission_id(), "0180-1");
  EXPECT_GE(first.receipt().received_at().seconds(), before);
  EXPECT_LE(first.receipt().received_at().seconds(), after);
  EXPECT_EQ(first.receipt().version(), 1);

  absl::SleepFor(absl::Seconds(1.1));
  v1::SubmitReportResponse retry;
  ASSERT_TRUE(Submit(Report("0180-1", "0180", "2025Q1", 45), &retry).ok());
  EXPECT_TRUE(retry.duplicate());
  EXPECT_EQ(retry.receipt().received_at().seconds(), first.receipt().received_at().seconds());

  // A stream: a receipt for each report stored, at its index; none for the
  // rejected one.
  v1::SubmitReportsResponse streamed = testing::StreamReports(
      *intake_, {Report("0180-2", "0180", "2025Q1"), Report("0180-3", "0180", "2025Q5"),
                 Report("0180-1", "0180", "2025Q1", 45)});
  EXPECT_EQ(streamed.accepted(), 1);
  EXPECT_EQ(streamed.duplicate(), 1);
  EXPECT_EQ(streamed.rejected(), 1);
  ASSERT_EQ(streamed.receipts_size(), 2);
  EXPECT_EQ(streamed.receipts(0).index(), 0);
  EXPECT_EQ(streamed.receipts(0).submission_id(), "0180-2");
  EXPECT_GT(streamed.receipts(0).received_at().seconds(),
            first.receipt().received_at().seconds());
  EXPECT_EQ(streamed.receipts(1).index(), 2);
  EXPECT_EQ(streamed.receipts(1).received_at().seconds(),
            first.receipt().received_at().seconds());

  // GetReport: the report as sent, with the same receipt.
  v1::StoredReport stored;
  ASSERT_TRUE(Get("0180", "0180-1", &stored).ok());
  EXPECT_EQ(stored.report().minutes_spent(), 45);
  EXPECT_EQ(stored.report().period(), "2025Q1");
  EXPECT_EQ(stored.receipt().received_at().seconds(), first.receipt().received_at().seconds());
  EXPECT_EQ(stored.receipt().version(), 1);
  const grpc::Status missing = Get("1283", "0180-1", &stored);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.error_message(),
            "municipality 1283 has stored no report with submission_id \"0180-1\"");
  EXPECT_EQ(Get("9999", "0180-1", &stored).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_P(RecordsTest, AMunicipalityListsItsOwnReportsByPeriodAndTimeOfReceipt) {
  v1::SubmitReportResponse response;
  // Two municipalities use the same id: two reports, each its own.
  for (const auto& [id, municipality, period] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"a", "0180", "2024Q4"}, {"b", "0180", "2025Q1"}, {"a", "1283", "2025Q1"},
           {"c", "0180", "2025Q2"}, {"d", "0180", "2025Q3"}}) {
    ASSERT_TRUE(Submit(Report(id, municipality, period), &response).ok());
  }
  absl::SleepFor(absl::Seconds(1.1));
  const int64_t later = absl::ToUnixSeconds(absl::Now());
  ASSERT_TRUE(Submit(Report("e", "0180", "2025Q3"), &response).ok());

  v1::ListReportsRequest request;
  request.set_municipality_code("0180");
  request.set_page_size(2);
  int pages = 0;
  EXPECT_THAT(ListAll(request, &pages),
              ElementsAre("0180/a", "0180/b", "0180/c", "0180/d", "0180/e"));
  EXPECT_EQ(pages, 3);

  request.set_period_from("2025");
  request.set_period_to("2025Q2");
  EXPECT_THAT(ListAll(request), ElementsAre("0180/b", "0180/c"));

  v1::ListReportsRequest since;
  since.set_municipality_code("0180");
  since.mutable_received_since()->set_seconds(later);
  v1::ListReportsResponse recent;
  ASSERT_TRUE(List(since, &recent).ok());
  ASSERT_EQ(recent.reports_size(), 1);
  EXPECT_EQ(recent.reports(0).report().submission_id(), "e");
  EXPECT_GE(recent.reports(0).receipt().received_at().seconds(), later);
  EXPECT_TRUE(recent.next_page_token().empty());

  v1::ListReportsRequest everyone;
  everyone.set_agency_id("ivo");
  EXPECT_EQ(ListAll(everyone).size(), 6u);

  v1::ListReportsRequest bad;
  bad.set_period_from("2025Q5");
  const grpc::Status status = List(bad, &recent);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("period_from: "));
}

// A municipality corrects and withdraws what it sent: each change is its
// report's next version, the summaries follow the arithmetic, the old
// version stays readable, and a restart loads the same figures.
TEST_P(RecordsTest, CorrectionsAndWithdrawalsChangeTheFiguresExactlyOnce) {
  v1::SubmitReportResponse submitted;
  ASSERT_TRUE(Submit(Report("a", "0180", "2025Q1", 45), &submitted).ok());
  ASSERT_TRUE(Submit(Report("b", "0180", "2025Q1", 30), &submitted).ok());
  ASSERT_TRUE(Submit(Report("c", "1480", "2025Q1", 60), &submitted).ok());
  using Figures = std::map<std::string, std::pair<int64_t, int64_t>>;
  EXPECT_EQ(MinutesByMunicipality(),
            (Figures{{"0180", {75, 2}}, {"1480", {60, 1}}, {"total", {135, 3}}}));

  // a: 45 -> 90 minutes. 0180: 90 + 30 = 120; total 120 + 60 = 180.
  v1::ChangeReportResponse corrected;
  const grpc::Status correct =
      Correct(Report("a", "0180", "2025Q1", 90), "Fel antal minuter", 1, &corrected);
  ASSERT_TRUE(correct.ok()) << correct.error_message();
  EXPECT_FALSE(corrected.duplicate());
  EXPECT_EQ(corrected.report().receipt().version(), 2);
  EXPECT_TRUE(corrected.report().receipt().has_changed_at());
  EXPECT_EQ(corrected.report().reason(), "Fel antal minuter");
  EXPECT_EQ(MinutesByMunicipality(),
            (Figures{{"0180", {120, 2}}, {"1480", {60, 1}}, {"total", {180, 3}}}));

  // The same correction again: a duplicate, the figures stay.
  v1::ChangeReportResponse retry;
  ASSERT_TRUE(Correct(Report("a", "0180", "2025Q1", 90), "Fel antal minuter", 1, &retry).ok());
  EXPECT_TRUE(retry.duplicate());
  EXPECT_EQ(retry.report().receipt().version(), 2);
  // Another correction against version 1: ABORTED, naming the versions.
  const grpc::Status stale =
      Correct(Report("a", "0180", "2025Q1", 50), "Ännu ett fel", 1, &retry);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_THAT(stale.error_message(), HasSubstr("at version 2, not 1"));
  // Bad input names its field.
  const grpc::Status no_reason = Correct(Report("a", "0180", "2025Q1", 50), "", 0, &retry);
  EXPECT_EQ(no_reason.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_reason.error_message(), HasSubstr("reason"));
  const grpc::Status bad = Correct(Report("a", "0180", "2025Q1", 0), "r", 0, &retry);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("report.minutes_spent"));
  EXPECT_EQ(Correct(Report("nope", "0180", "2025Q1", 50), "r", 0, &retry).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // c withdrawn: 1480 leaves the figures; total 120.
  v1::ChangeReportResponse withdrawn;
  ASSERT_TRUE(Withdraw("1480", "c", "Skickad två gånger", &withdrawn).ok());
  EXPECT_TRUE(withdrawn.report().withdrawn());
  EXPECT_EQ(withdrawn.report().receipt().version(), 2);
  EXPECT_EQ(MinutesByMunicipality(), (Figures{{"0180", {120, 2}}, {"total", {120, 2}}}));
  ASSERT_TRUE(Withdraw("1480", "c", "Skickad två gånger", &retry).ok());
  EXPECT_TRUE(retry.duplicate());
  EXPECT_EQ(Correct(Report("c", "1480", "2025Q1", 10), "r", 0, &retry).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // The history: a's first version kept, c listed as withdrawn.
  v1::StoredReport a;
  ASSERT_TRUE(Get("0180", "a", &a).ok());
  EXPECT_EQ(a.report().minutes_spent(), 90);
  ASSERT_EQ(a.earlier_versions_size(), 1);
  EXPECT_EQ(a.earlier_versions(0).report().minutes_spent(), 45);
  EXPECT_EQ(a.earlier_versions(0).receipt().version(), 1);
  v1::ListReportsRequest of_1480;
  of_1480.set_municipality_code("1480");
  v1::ListReportsResponse listed;
  ASSERT_TRUE(List(of_1480, &listed).ok());
  ASSERT_EQ(listed.reports_size(), 1);
  EXPECT_TRUE(listed.reports(0).withdrawn());
  EXPECT_EQ(listed.reports(0).reason(), "Skickad två gånger");

  const std::string metrics = testing::HttpGet(server_->metrics_port(), "/metrics");
  EXPECT_THAT(metrics, HasSubstr(
      "inrapport_report_changes_total{kind=\"correction\",outcome=\"accepted\"} 1"));
  EXPECT_THAT(metrics, HasSubstr(
      "inrapport_report_changes_total{kind=\"correction\",outcome=\"duplicate\"} 1"));
  EXPECT_THAT(metrics, HasSubstr(
      "inrapport_report_changes_total{kind=\"correction\",outcome=\"rejected\"} 5"));
  EXPECT_THAT(metrics, HasSubstr(
      "inrapport_report_changes_total{kind=\"withdrawal\",outcome=\"accepted\"} 1"));
  // The burden the dashboards read: 120 minutes, 7200 seconds.
  EXPECT_THAT(metrics, HasSubstr("inrapport_measured_burden_seconds{agency=\"ivo\","
                                 "sector=\"social_services\",flagged=\"true\"} 7200\n"));

  // A restart loads the same figures from the store.
  server_.reset();
  server_ = ServerProcess::Start(store_);
  ASSERT_NE(server_, nullptr);
  intake_ = v1::ReportIntake::NewStub(
      grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials()));
  EXPECT_EQ(MinutesByMunicipality(), (Figures{{"0180", {120, 2}}, {"total", {120, 2}}}));
}

INSTANTIATE_TEST_SUITE_P(Stores, RecordsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace inrapport
