// A start that serves soon: while inrapportd loads what it derives from the
// stored reports, its port answers (health NOT_SERVING, every call
// UNAVAILABLE saying why), and it serves on the same port once the load is
// done. The load is held back by a PostgreSQL session that locks the table
// it reads, so "during the load" is a state the test controls, not a race.
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/health_check.h"
#include "tests/support/postgres_server.h"
#include "tests/support/postgres_session.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using testing::Health;
using testing::ServerProcess;

grpc::Status ListDuties(const std::shared_ptr<grpc::Channel>& channel,
                        v1::ListDutiesResponse* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return v1::DutyRegistry::NewStub(channel)->ListDuties(&context, v1::ListDutiesRequest(),
                                                        response);
}

grpc::Status TotalMinutes(const std::shared_ptr<grpc::Channel>& channel, int64_t* minutes) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::GetBurdenSummaryRequest request;
  request.set_group_by(v1::GROUP_BY_DUTY);
  v1::GetBurdenSummaryResponse response;
  const grpc::Status status =
      v1::BurdenQuery::NewStub(channel)->GetBurdenSummary(&context, request, &response);
  *minutes = response.totals().minutes();
  return status;
}

TEST(StartupTest, HealthIsNotServingAndCallsAreUnavailableUntilTheFiguresAreLoaded) {
  std::string why;
  const std::string uri = testing::PostgresServer::NewSharedDatabase(&why);
  ASSERT_FALSE(uri.empty()) << why;

  // A duty and a report of 95 minutes, stored by a first run.
  {
    auto first = ServerProcess::Start(uri);
    ASSERT_NE(first, nullptr);
    auto channel = grpc::CreateChannel(first->grpc_address(), grpc::InsecureChannelCredentials());
    grpc::ClientContext create_context;
    v1::CreateDutyRequest create;
    v1::ReportingDuty* duty = create.mutable_duty();
    duty->set_id("skolverket-elevstatistik");
    duty->set_agency_id("skolverket");
    duty->set_title("Elevstatistik");
    duty->set_legal_basis("SFS 2001:100");
    duty->set_purpose("Official statistics on pupils");
    duty->set_sector(v1::SECTOR_SCHOOL);
    duty->set_frequency(v1::FREQUENCY_ANNUAL);
    v1::ReportingDuty created;
    ASSERT_TRUE(v1::DutyRegistry::NewStub(channel)
                    ->CreateDuty(&create_context, create, &created)
                    .ok());
    grpc::ClientContext submit_context;
    v1::SubmitReportRequest submit;
    v1::Report* report = submit.mutable_report();
    report->set_submission_id("1283-2025-1");
    report->set_municipality_code("1283");
    report->set_duty_id("skolverket-elevstatistik");
    report->set_period("2025");
    report->set_minutes_spent(95);
    v1::SubmitReportResponse submitted;
    ASSERT_TRUE(v1::ReportIntake::NewStub(channel)
                    ->SubmitReport(&submit_context, submit, &submitted)
                    .ok());
    ASSERT_EQ(first->Terminate(), 0);
  }

  // Another session locks the table the load reads first: the next start
  // listens, then waits for the lock (the lock timeout is raised above the
  // test's length).
  testing::PostgresSession blocker(uri);
  ASSERT_TRUE(blocker.Run("BEGIN"));
  ASSERT_TRUE(blocker.Run("LOCK TABLE burden_cells IN ACCESS EXCLUSIVE MODE"));
  auto server = ServerProcess::StartLoading(uri, {"--lock_timeout=2m"});
  ASSERT_NE(server, nullptr);
  auto channel = grpc::CreateChannel(server->grpc_address(), grpc::InsecureChannelCredentials());

  Health health = Health::kUnknown;
  ASSERT_TRUE(testing::CheckHealth(channel, &health).ok());
  EXPECT_EQ(health, Health::kNotServing);
  v1::ListDutiesResponse duties;
  grpc::Status status = ListDuties(channel, &duties);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("inrapportd is starting"));
  int64_t minutes = 0;
  status = TotalMinutes(channel, &minutes);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(server->Log(), ::testing::Not(HasSubstr("event=listening")));
  // The metrics port answers during the load too (checked by its log line:
  // both ports were logged before the load).
  EXPECT_GT(server->metrics_port(), 0);

  // The lock goes; the load finishes; the same port serves.
  ASSERT_TRUE(blocker.Run("COMMIT"));
  ASSERT_TRUE(server->WaitForLog("event=listening service=grpc address=" +
                                 server->grpc_address()));
  ASSERT_TRUE(server->WaitForLog("event=loaded"));
  ASSERT_TRUE(testing::CheckHealth(channel, &health).ok());
  EXPECT_EQ(health, Health::kServing);
  status = ListDuties(channel, &duties);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(duties.duties_size(), 1);
  EXPECT_EQ(duties.duties(0).id(), "skolverket-elevstatistik");
  status = TotalMinutes(channel, &minutes);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(minutes, 95);
  EXPECT_EQ(server->Terminate(), 0);
}

}  // namespace
}  // namespace inrapport
