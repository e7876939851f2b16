// Two inrapportd replicas on one PostgreSQL database, beside a single-node
// SQLite inrapportd fed the same reports: concurrent streams to both
// replicas, retries racing across them, and every burden summary of both
// replicas equal to the single node's once the documented delay (one
// --replica_sync_interval) has passed.
#include <sys/wait.h>

#include <atomic>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
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

using testing::ServerProcess;
using testing::TempDir;

constexpr const char* kSyncInterval = "--replica_sync_interval=200ms";
// The documented bound is one interval plus a feed read; the test allows
// generously more for a loaded machine.
constexpr absl::Duration kConvergeWithin = absl::Seconds(10);

v1::ReportingDuty Duty(const std::string& id, const std::string& agency,
                       const std::string& purpose, v1::Sector sector) {
  v1::ReportingDuty duty;
  duty.set_id(id);
  duty.set_agency_id(agency);
  duty.set_title("Title of " + id);
  duty.set_legal_basis("SoL 16 kap. 6 f §");
  duty.set_purpose(purpose);
  duty.set_sector(sector);
  duty.set_frequency(v1::FREQUENCY_QUARTERLY);
  duty.add_data_items(id + "_item");
  return duty;
}

v1::Report Report(int i) {
  static const char* kMunicipalities[] = {"0180", "1480", "1280", "0380", "2480", "0114"};
  static const char* kDuties[] = {"ekb", "lss", "skola"};
  static const char* kPeriods[] = {"2025Q1", "2025Q2", "2025Q3"};
  v1::Report report;
  report.set_submission_id("r" + std::to_string(i));
  report.set_municipality_code(kMunicipalities[i % 6]);
  report.set_duty_id(kDuties[i % 3]);
  report.set_period(kPeriods[(i / 3) % 3]);
  report.set_minutes_spent(10 + i % 17);
  report.set_staff_count(1);
  report.set_usefulness(1 + i % 5);
  report.set_feedback_received(i % 4 == 0 ? v1::ANSWER_YES : v1::ANSWER_NO);
  return report;
}

struct Client {
  explicit Client(const std::string& address)
      : channel(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())),
        duties(v1::DutyRegistry::NewStub(channel)),
        intake(v1::ReportIntake::NewStub(channel)),
        burden(v1::BurdenQuery::NewStub(channel)) {}

  // Every call has a deadline: a server that stops answering fails the
  // test instead of hanging it.
  static void SetDeadline(grpc::ClientContext& context) {
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  }

  grpc::Status CreateDuty(const v1::ReportingDuty& duty) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::CreateDutyRequest request;
    *request.mutable_duty() = duty;
    v1::ReportingDuty response;
    return duties->CreateDuty(&context, request, &response);
  }
  grpc::Status Submit(const v1::Report& report, v1::SubmitReportResponse* out = nullptr) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::SubmitReportRequest request;
    *request.mutable_report() = report;
    v1::SubmitReportResponse response;
    grpc::Status status = intake->SubmitReport(&context, request, &response);
    if (out != nullptr) *out = response;
    return status;
  }
  v1::GetBurdenSummaryResponse Summary(v1::GroupBy group_by) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::GetBurdenSummaryRequest request;
    request.set_group_by(group_by);
    v1::GetBurdenSummaryResponse response;
    grpc::Status status = burden->GetBurdenSummary(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  bool KnowsDuty(const std::string& id) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::GetDutyRequest request;
    request.set_id(id);
    v1::ReportingDuty response;
    return duties->GetDuty(&context, request, &response).ok();
  }

  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::DutyRegistry::Stub> duties;
  std::unique_ptr<v1::ReportIntake::Stub> intake;
  std::unique_ptr<v1::BurdenQuery::Stub> burden;
};

const v1::GroupBy kGroupings[] = {v1::GROUP_BY_AGENCY,  v1::GROUP_BY_DUTY,
                                  v1::GROUP_BY_MUNICIPALITY, v1::GROUP_BY_COUNTY,
                                  v1::GROUP_BY_SECTOR,  v1::GROUP_BY_PERIOD,
                                  v1::GROUP_BY_FLAG};

// Every grouping of `client` equals the reference's; the first difference
// in *why.
bool SameSummaries(Client& client, Client& reference, std::string* why) {
  for (v1::GroupBy group_by : kGroupings) {
    const auto actual = client.Summary(group_by);
    const auto expected = reference.Summary(group_by);
    google::protobuf::util::MessageDifferencer differencer;
    std::string report;
    differencer.ReportDifferencesToString(&report);
    if (!differencer.Compare(expected, actual)) {
      *why = v1::GroupBy_Name(group_by) + ": " + report;
      return false;
    }
  }
  return true;
}

// The value of an unlabelled-or-labelled sample line's family, summed.
double MetricSum(const std::string& text, const std::string& family) {
  const std::regex line("(^|\\n)" + family + "(\\{[^}]*\\})? ([0-9.e+-]+)");
  double sum = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), line);
       it != std::sregex_iterator(); ++it) {
    sum += std::stod((*it)[3]);
  }
  return sum;
}

class ReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    uri_ = testing::PostgresServer::NewSharedDatabase(&why);
    ASSERT_FALSE(uri_.empty()) << why;
    const std::vector<std::string> args = {"--tariff_sek_per_hour=600",
                                           "--no_recorded_use_periods=1", kSyncInterval};
    // Started together: the second waits for the first's migration.
    std::thread start_b([&] { b_ = ServerProcess::Start(uri_, args); });
    a_ = ServerProcess::Start(uri_, args);
    start_b.join();
    single_ = ServerProcess::Start(dir_.path() + "/single.db", args);
    ASSERT_NE(a_, nullptr);
    ASSERT_NE(b_, nullptr);
    ASSERT_NE(single_, nullptr);
    client_a_ = std::make_unique<Client>(a_->grpc_address());
    client_b_ = std::make_unique<Client>(b_->grpc_address());
    reference_ = std::make_unique<Client>(single_->grpc_address());
  }

  // Waits (polling, bounded) until `done` holds.
  static bool Eventually(const std::function<bool()>& done) {
    const absl::Time deadline = absl::Now() + kConvergeWithin;
    while (absl::Now() < deadline) {
      if (done()) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return done();
  }

  TempDir dir_;
  std::string uri_;
  std::unique_ptr<ServerProcess> a_, b_, single_;
  std::unique_ptr<Client> client_a_, client_b_, reference_;
};

TEST_F(ReplicaTest, ConcurrentStreamsAndRacingRetriesGiveTheSingleNodeFigures) {
  const v1::ReportingDuty duties[] = {
      Duty("ekb", "socialstyrelsen", "Uppföljning av ekonomiskt bistånd.",
           v1::SECTOR_SOCIAL_SERVICES),
      Duty("lss", "ivo", "", v1::SECTOR_DISABILITY_SUPPORT),  // no stated purpose: flagged
      Duty("skola", "skolverket", "Nationell statistik om grundskolan för planering.",
           v1::SECTOR_SCHOOL)};
  for (const auto& duty : duties) {
    ASSERT_TRUE(client_a_->CreateDuty(duty).ok());
    ASSERT_TRUE(reference_->CreateDuty(duty).ok());
  }
  // A duty registered through A becomes known to B through the feed.
  ASSERT_TRUE(Eventually([&] {
    return client_b_->KnowsDuty("ekb") && client_b_->KnowsDuty("lss") &&
           client_b_->KnowsDuty("skola");
  }));

  // Reports 0..899: A streams 0..599 and B streams 300..899 at the same
  // time, each in two concurrent streams, so 300..599 arrive at both.
  constexpr int kReports = 900;
  std::vector<v1::Report> all;
  for (int i = 0; i < kReports; ++i) all.push_back(Report(i));
  auto slice = [&](int from, int to) {
    return std::vector<v1::Report>(all.begin() + from, all.begin() + to);
  };
  std::atomic<int64_t> accepted{0}, duplicates{0}, rejected{0};
  auto stream = [&](Client* client, std::vector<v1::Report> reports) {
    const v1::SubmitReportsResponse response = testing::StreamReports(*client->intake, reports);
    accepted += response.accepted();
    duplicates += response.duplicate();
    rejected += response.rejected();
  };
  // Unary retries of one submission sent to both replicas at the same moment.
  std::atomic<int> unary_accepted{0}, unary_duplicate{0};
  auto unary = [&](Client* client) {
    for (int i = 0; i < 150; ++i) {
      v1::SubmitReportResponse response;
      const grpc::Status status = client->Submit(Report(kReports + i), &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
      (response.duplicate() ? unary_duplicate : unary_accepted)++;
    }
  };
  {
    std::vector<std::thread> threads;
    threads.emplace_back(stream, client_a_.get(), slice(0, 300));
    threads.emplace_back(stream, client_a_.get(), slice(300, 600));
    threads.emplace_back(stream, client_b_.get(), slice(450, 900));
    threads.emplace_back(stream, client_b_.get(), slice(300, 450));
    threads.emplace_back(unary, client_a_.get());
    threads.emplace_back(unary, client_b_.get());
    for (auto& thread : threads) thread.join();
  }
  EXPECT_EQ(accepted.load(), kReports);
  EXPECT_EQ(duplicates.load(), 300);
  EXPECT_EQ(rejected.load(), 0);
  EXPECT_EQ(unary_accepted.load(), 150);
  EXPECT_EQ(unary_duplicate.load(), 150);

  // A conflicting retry is ALREADY_EXISTS from either replica.
  v1::Report changed = Report(7);
  changed.set_minutes_spent(999);
  EXPECT_EQ(client_a_->Submit(changed).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(client_b_->Submit(changed).error_code(), grpc::StatusCode::ALREADY_EXISTS);

  // The single node gets every report once.
  std::vector<v1::Report> everything = all;
  for (int i = 0; i < 150; ++i) everything.push_back(Report(kReports + i));
  ASSERT_EQ(testing::StreamReports(*reference_->intake, everything).accepted(),
            kReports + 150);

  std::string why;
  EXPECT_TRUE(Eventually([&] { return SameSummaries(*client_a_, *reference_, &why); })) << why;
  EXPECT_TRUE(Eventually([&] { return SameSummaries(*client_b_, *reference_, &why); })) << why;

  // Burden gauges are global: each replica shows the whole dataset.
  // Counters are per replica: they add up over the replicas.
  const std::string metrics_a = testing::HttpGet(a_->metrics_port(), "/metrics");
  const std::string metrics_b = testing::HttpGet(b_->metrics_port(), "/metrics");
  const std::string metrics_single = testing::HttpGet(single_->metrics_port(), "/metrics");
  for (const char* gauge :
       {"inrapport_measured_reports", "inrapport_measured_burden_seconds",
        "inrapport_duties_registered", "inrapport_duty_recorded_uses",
        "inrapport_duty_national_estimated_cost_sek", "inrapport_duty_flags"}) {
    EXPECT_EQ(MetricSum(metrics_a, gauge), MetricSum(metrics_single, gauge)) << gauge;
    EXPECT_EQ(MetricSum(metrics_b, gauge), MetricSum(metrics_single, gauge)) << gauge;
  }
  EXPECT_EQ(MetricSum(metrics_single, "inrapport_measured_reports"), kReports + 150);
  EXPECT_EQ(MetricSum(metrics_a, "inrapport_store_committed_reports_total") +
                MetricSum(metrics_b, "inrapport_store_committed_reports_total"),
            kReports + 150);
  // Each replica applied every report from the feed once, whoever stored it.
  EXPECT_EQ(MetricSum(metrics_a, "inrapport_replica_sync_applied_reports_total"), kReports + 150);
  EXPECT_EQ(MetricSum(metrics_b, "inrapport_replica_sync_applied_reports_total"), kReports + 150);
  EXPECT_GT(MetricSum(metrics_a, "inrapport_replica_sync_reads_total"), 0);
  EXPECT_EQ(MetricSum(metrics_a, "inrapport_replica_sync_failed_reads_total"), 0);
  EXPECT_GT(MetricSum(metrics_b, "inrapport_replica_sync_last_success_timestamp_seconds"), 0);
  EXPECT_EQ(metrics_single.find("inrapport_replica_sync"), std::string::npos);
}

TEST_F(ReplicaTest, AReplicaSeesItsOwnReportAtOnceAndTheOtherWithinTheInterval) {
  ASSERT_TRUE(client_a_->CreateDuty(Duty("ekb", "socialstyrelsen", "Uppföljning.",
                                         v1::SECTOR_SOCIAL_SERVICES))
                  .ok());
  ASSERT_TRUE(Eventually([&] { return client_b_->KnowsDuty("ekb"); }));
  ASSERT_TRUE(client_a_->Submit(Report(0)).ok());
  // Read-your-writes: the acknowledgement comes after A counted it.
  EXPECT_EQ(client_a_->Summary(v1::GROUP_BY_DUTY).totals().reports(), 1);
  EXPECT_TRUE(Eventually([&] {
    return client_b_->Summary(v1::GROUP_BY_DUTY).totals().reports() == 1;
  }));
}

// A replica started later loads what the others stored, and counts nothing
// twice when the feed continues from its start.
TEST_F(ReplicaTest, ALateReplicaStartsWithEverythingStored) {
  ASSERT_TRUE(client_a_->CreateDuty(Duty("ekb", "socialstyrelsen", "Uppföljning.",
                                         v1::SECTOR_SOCIAL_SERVICES))
                  .ok());
  ASSERT_TRUE(reference_->CreateDuty(Duty("ekb", "socialstyrelsen", "Uppföljning.",
                                          v1::SECTOR_SOCIAL_SERVICES))
                  .ok());
  std::vector<v1::Report> reports;
  for (int i = 0; i < 300; ++i) {
    v1::Report r = Report(i);
    r.set_duty_id("ekb");
    reports.push_back(r);
  }
  std::thread writer([&] { testing::StreamReports(*client_a_->intake, reports); });
  auto late = ServerProcess::Start(uri_, {"--tariff_sek_per_hour=600",
                                          "--no_recorded_use_periods=1", kSyncInterval});
  writer.join();
  ASSERT_NE(late, nullptr);
  Client client_late(late->grpc_address());
  testing::StreamReports(*reference_->intake, reports);
  std::string why;
  EXPECT_TRUE(Eventually([&] { return SameSummaries(client_late, *reference_, &why); })) << why;
}

TEST(ReplicaStartTest, AnUnreachableDatabaseStopsTheStartAndThePasswordIsNotLogged) {
  int status = 0;
  const std::string log = testing::RunServerExpectingFailure(
      "postgresql://inrapport:s3cret@127.0.0.1:1/inrapport?connect_timeout=2", {}, &status);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << log;
  EXPECT_THAT(log, ::testing::HasSubstr("cannot connect to PostgreSQL"));
  EXPECT_THAT(log, ::testing::HasSubstr("inrapport:****@127.0.0.1:1"));
  EXPECT_THAT(log, ::testing::Not(::testing::HasSubstr("s3cret")));
}

}  // namespace
}  // namespace inrapport
