// What is due when, through the running server on both stores: duties with
// hand-made deadline rules around today's date, reports sent now, and
// ListDueReports telling on time, late, missing and not yet due apart; the
// rules kept across a restart. SQLite, and PostgreSQL on a temporary server.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/postgres_server.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ServerProcess;

absl::CivilDay TodayInStockholm() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Europe/Stockholm", &zone)) zone = absl::FixedTimeZone(3600);
  return absl::ToCivilDay(absl::Now(), zone);
}

std::string Month(absl::CivilMonth month) {
  return absl::StrFormat("%04d-%02d", month.year(), month.month());
}

std::string Date(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

class DueTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    store_ = dir_.path() + "/inrapport.db";
    if (std::string(GetParam()) == "postgresql") {
      std::string why;
      store_ = testing::PostgresServer::NewSharedDatabase(&why);
      ASSERT_FALSE(store_.empty()) << why;
    }
    Start();
    // Due on the last day of the month: last month's deadline has passed.
    CreateDuty("due-at-end", "ivo", "0 days after period end", {});
    // Due 60 days after the month: last month's deadline is ahead.
    CreateDuty("due-later", "skolverket", "60 days after period end", {});
    // Due from Stockholm only.
    CreateDuty("due-stockholm", "ivo", "0 days after period end", {"0180"});
    // No deadline stated.
    CreateDuty("undated", "ivo", "", {});
  }

  void Start() {
    server_ = ServerProcess::Start(store_);
    ASSERT_NE(server_, nullptr);
    auto channel =
        grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials());
    duties_ = v1::DutyRegistry::NewStub(channel);
    intake_ = v1::ReportIntake::NewStub(channel);
    burden_ = v1::BurdenQuery::NewStub(channel);
  }

  void CreateDuty(const std::string& id, const std::string& agency, const std::string& deadline,
                  const std::vector<std::string>& respondents) {
    grpc::ClientContext context;
    v1::CreateDutyRequest create;
    v1::ReportingDuty* duty = create.mutable_duty();
    duty->set_id(id);
    duty->set_agency_id(agency);
    duty->set_title("Månadsuppgift " + id);
    duty->set_legal_basis("SoL 16 kap. 6 f §");
    duty->set_purpose("Tillsyn av verkställigheten.");
    duty->set_sector(v1::SECTOR_SOCIAL_SERVICES);
    duty->set_frequency(v1::FREQUENCY_MONTHLY);
    duty->set_deadline(deadline);
    for (const std::string& code : respondents) duty->add_respondents(code);
    v1::ReportingDuty created;
    const grpc::Status status = duties_->CreateDuty(&context, create, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(created.deadline(), deadline);
  }

  void Submit(const std::string& id, const std::string& municipality, const std::string& duty,
              const std::string& period) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::SubmitReportRequest request;
    v1::Report* report = request.mutable_report();
    report->set_submission_id(id);
    report->set_municipality_code(municipality);
    report->set_duty_id(duty);
    report->set_period(period);
    report->set_minutes_spent(30);
    v1::SubmitReportResponse response;
    const grpc::Status status = intake_->SubmitReport(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  grpc::Status Due(const v1::ListDueReportsRequest& request, v1::ListDueReportsResponse* response) {
    grpc::ClientContext context;
    return burden_->ListDueReports(&context, request, response);
  }

  // Completeness of 1283 from `from` to `to`: per duty "received expected
  // on_time late missing not_yet_due".
  std::map<std::string, std::string> Completeness(const std::string& from, const std::string& to) {
    grpc::ClientContext context;
    v1::GetCompletenessRequest request;
    request.set_period_from(from);
    request.set_period_to(to);
    request.set_municipality_code("1283");
    v1::GetCompletenessResponse response;
    const grpc::Status status = burden_->GetCompleteness(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, std::string> rows;
    for (const v1::CompletenessRow& row : response.by_duty()) {
      rows[row.key()] = absl::StrFormat("%d %d %d %d %d %d", row.received(), row.expected(),
                                        row.on_time(), row.late(), row.missing(),
                                        row.not_yet_due());
    }
    return rows;
  }

  // "duty period" -> state, of every row.
  static std::map<std::string, v1::DueState> States(const v1::ListDueReportsResponse& response) {
    std::map<std::string, v1::DueState> states;
    for (const v1::DueReport& due : response.due()) {
      states[due.duty_id() + " " + due.period()] = due.state();
    }
    return states;
  }

  testing::TempDir dir_;
  std::string store_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::DutyRegistry::Stub> duties_;
  std::unique_ptr<v1::ReportIntake::Stub> intake_;
  std::unique_ptr<v1::BurdenQuery::Stub> burden_;
};

TEST_P(DueTest, OnTimeLateMissingAndNotYetDueAroundToday) {
  const absl::CivilDay today = TodayInStockholm();
  const absl::CivilMonth this_month(today);
  const std::string current = Month(this_month);
  const std::string last = Month(this_month - 1);
  const std::string before_last = Month(this_month - 2);
  Submit("1283-a", "1283", "due-at-end", last);  // its deadline has passed: late
  Submit("1283-b", "1283", "due-later", last);   // its deadline is ahead: on time
  Submit("1283-c", "1283", "due-later", last);   // a second one changes nothing
  Submit("0180-a", "0180", "due-at-end", before_last);  // another municipality's

  v1::ListDueReportsRequest request;
  request.set_municipality_code("1283");
  request.set_from_date(Date(today - 80));
  request.set_to_date(Date(today + 100));
  v1::ListDueReportsResponse response;
  grpc::Status status = Due(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.today(), Date(today));
  EXPECT_EQ(response.from_date(), Date(today - 80));
  const std::map<std::string, v1::DueState> states = States(response);
  EXPECT_EQ(states.at("due-at-end " + last), v1::DUE_STATE_RECEIVED_LATE);
  EXPECT_EQ(states.at("due-at-end " + before_last), v1::DUE_STATE_MISSING);
  EXPECT_EQ(states.at("due-later " + last), v1::DUE_STATE_RECEIVED);
  EXPECT_EQ(states.at("due-later " + current), v1::DUE_STATE_NOT_YET_DUE);
  for (const auto& [key, state] : states) {
    EXPECT_EQ(key.rfind("due-stockholm", 0), std::string::npos) << key << " is not 1283's";
  }
  EXPECT_THAT(response.duties_without_deadline(), ElementsAre("undated"));
  // Every deadline is in the range, in order, with the rule it came from.
  std::string previous;
  for (const v1::DueReport& due : response.due()) {
    EXPECT_GE(due.deadline(), request.from_date());
    EXPECT_LE(due.deadline(), request.to_date());
    EXPECT_GE(due.deadline(), previous);
    previous = due.deadline();
    if (due.duty_id() == "due-later" && due.period() == last) {
      EXPECT_EQ(due.reports(), 2);
      EXPECT_EQ(due.deadline_rule(), "60 days after period end");
      EXPECT_GT(due.first_received_at().seconds(), 0);
      // The last day of last month plus 60 days.
      EXPECT_EQ(due.deadline(), Date(absl::CivilDay(this_month) - 1 + 60));
    }
  }

  // Stockholm owes its own duty too.
  request.set_municipality_code("0180");
  ASSERT_TRUE(Due(request, &response).ok());
  EXPECT_EQ(States(response).at("due-stockholm " + last), v1::DUE_STATE_MISSING);
  EXPECT_EQ(States(response).at("due-at-end " + before_last), v1::DUE_STATE_RECEIVED_LATE);

  // Completeness splits the same way: last month came late, the month
  // before is missing; the later duty's last month came on time.
  const std::map<std::string, std::string> completeness = Completeness(before_last, last);
  EXPECT_EQ(completeness.at("due-at-end"), "1 2 0 1 1 0");
  EXPECT_EQ(completeness.at("undated"), "0 2 0 0 0 0");
  const std::map<std::string, std::string> later = Completeness(last, last);
  EXPECT_EQ(later.at("due-later"), "1 1 1 0 0 0");

  // The rules and what they say survive a restart.
  server_.reset();
  Start();
  EXPECT_EQ(Completeness(before_last, last), completeness);
  request.set_municipality_code("1283");
  ASSERT_TRUE(Due(request, &response).ok());
  EXPECT_EQ(States(response), states);
  grpc::ClientContext context;
  v1::GetDutyRequest get;
  get.set_id("due-later");
  v1::ReportingDuty duty;
  ASSERT_TRUE(duties_->GetDuty(&context, get, &duty).ok());
  EXPECT_EQ(duty.deadline(), "60 days after period end");
}

TEST_P(DueTest, ABadRuleOrRangeIsRefusedByName) {
  grpc::ClientContext context;
  v1::CreateDutyRequest create;
  v1::ReportingDuty* duty = create.mutable_duty();
  duty->set_id("bad-rule");
  duty->set_agency_id("ivo");
  duty->set_title("Dålig regel");
  duty->set_purpose("Tillsyn.");
  duty->set_sector(v1::SECTOR_SOCIAL_SERVICES);
  duty->set_frequency(v1::FREQUENCY_ANNUAL);
  duty->set_deadline("31 mars");
  v1::ReportingDuty created;
  grpc::Status status = duties_->CreateDuty(&context, create, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("duty.deadline: \"31 mars\" is not a deadline"));

  // Any case in, the canonical spelling stored and in the history.
  grpc::ClientContext again;
  duty->set_deadline("03-31 OF THE FOLLOWING YEAR");
  ASSERT_TRUE(duties_->CreateDuty(&again, create, &created).ok());
  EXPECT_EQ(created.deadline(), "03-31 of the following year");
  grpc::ClientContext history_context;
  v1::GetDutyHistoryRequest history_request;
  history_request.set_id("bad-rule");
  v1::GetDutyHistoryResponse history;
  ASSERT_TRUE(duties_->GetDutyHistory(&history_context, history_request, &history).ok());
  ASSERT_EQ(history.versions_size(), 1);
  EXPECT_EQ(history.versions(0).duty().deadline(), "03-31 of the following year");
  EXPECT_THAT(history.versions(0).changed_fields(), ::testing::Contains("deadline"));

  v1::ListDueReportsRequest request;
  request.set_municipality_code("1283");
  request.set_from_date("2025-06-01");
  request.set_to_date("2025-05-01");
  v1::ListDueReportsResponse response;
  status = Due(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("to_date: 2025-05-01 is before from_date 2025-06-01"));
  request.set_municipality_code("9999");
  EXPECT_THAT(Due(request, &response).error_message(), HasSubstr("municipality_code"));
}

INSTANTIATE_TEST_SUITE_P(Stores, DueTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace inrapport
