// What an operator relies on, checked on the real inrapportd: the
// configuration file and its precedence, JSON logs, draining with health
// NOT_SERVING, and the process, build and store metrics; burden and
// per-duty metrics that come back unchanged after a restart.
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/health_check.h"
#include "tests/support/report_stream.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using testing::ServerProcess;

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// Every sample line of the exposition whose name starts with `prefix`,
// as name{labels} -> value.
std::map<std::string, double> Samples(const std::string& exposition, absl::string_view prefix) {
  std::map<std::string, double> samples;
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (!absl::StartsWith(line, prefix)) continue;
    const size_t space = line.rfind(' ');
    double value = 0;
    if (space == absl::string_view::npos || !absl::SimpleAtod(line.substr(space + 1), &value)) {
      ADD_FAILURE() << "unparsable sample: " << line;
      continue;
    }
    samples[std::string(line.substr(0, space))] = value;
  }
  return samples;
}

class OperationsTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> args = {}) {
    server_ = ServerProcess::Start(db(), std::move(args));
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials());
    duties_ = v1::DutyRegistry::NewStub(channel_);
    intake_ = v1::ReportIntake::NewStub(channel_);
    burden_ = v1::BurdenQuery::NewStub(channel_);
  }

  std::string db() const { return dir_.path() + "/inrapport.db"; }

  // Two duties of two agencies, one without a purpose, and `reports`
  // reports over one stream.
  void LoadData(int reports) {
    for (const auto& [id, agency, purpose] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"ops-a", "scb", "SCB publishes it as official statistics."},
             {"ops-b", "ivo", ""}}) {
      v1::CreateDutyRequest request;
      v1::ReportingDuty* duty = request.mutable_duty();
      duty->set_id(id);
      duty->set_agency_id(agency);
      duty->set_title("Title of " + id);
      duty->set_legal_basis("SFS 2010:800");
      duty->set_purpose(purpose);
      duty->set_sector(v1::SECTOR_SCHOOL);
      duty->set_frequency(v1::FREQUENCY_ANNUAL);
      duty->add_data_items(id + "_item");
      grpc::ClientContext context;
      v1::ReportingDuty created;
      ASSERT_TRUE(duties_->CreateDuty(&context, request, &created).ok());
    }
    std::vector<v1::Report> batch;
    for (int i = 0; i < reports; ++i) {
      v1::Report report;
      report.set_submission_id("ops-" + std::to_string(i));
      // One municipality of each of SKR's nine groups in turn, so that both
      // duties have a national estimate from 27 reports on.
      static constexpr const char* kOneOfEachGroup[] = {
          "0180", "0182", "1283", "0140", "0382", "2584", "0428", "0662", "0885"};
      report.set_municipality_code(kOneOfEachGroup[(i / 3) % 9]);
      report.set_duty_id(i % 3 ? "ops-a" : "ops-b");
      report.set_period("2025");
      report.set_minutes_spent(10 + i);
      report.set_staff_count(1);
      batch.push_back(report);
    }
    EXPECT_EQ(testing::StreamReports(*intake_, batch).accepted(), reports);
  }

  std::string Metrics() { return testing::HttpGet(server_->metrics_port(), "/metrics"); }

  testing::TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::DutyRegistry::Stub> duties_;
  std::unique_ptr<v1::ReportIntake::Stub> intake_;
  std::unique_ptr<v1::BurdenQuery::Stub> burden_;
};

TEST_F(OperationsTest, ConfigFileSetsFlagsAndTheCommandLineOverridesIt) {
  const std::string config = dir_.path() + "/inrapportd.conf";
  WriteFile(config,
            "# inrapportd settings\n"
            "tariff_sek_per_hour = 450\n"
            "\n"
            "no_feedback_min_answers = 7\n"
            "shutdown_grace = \"3s\"\n");
  Start({"--config=" + config, "--no_feedback_min_answers=3"});
  // The start line holds the whole effective configuration.
  const std::string log = server_->Log();
  EXPECT_THAT(log, HasSubstr("event=starting"));
  EXPECT_THAT(log, HasSubstr("config=" + config));
  EXPECT_THAT(log, HasSubstr("tariff_sek_per_hour=450"));
  EXPECT_THAT(log, HasSubstr("no_feedback_min_answers=3"));  // the command line won
  EXPECT_THAT(log, HasSubstr("shutdown_grace=3s"));
  EXPECT_THAT(log, HasSubstr("low_usefulness_min_answers=10"));  // a default

  // And the server uses it: the tariff prices the burden.
  grpc::ClientContext context;
  v1::ListDutyAccountsResponse accounts;
  ASSERT_TRUE(burden_->ListDutyAccounts(&context, {}, &accounts).ok());
  EXPECT_EQ(accounts.tariff_sek_per_hour(), 450);
}

TEST_F(OperationsTest, TheShippedExampleConfigurationIsValid) {
  // Its addresses, database and tokens file are overridden by the test's
  // own flags.
  const std::string tokens = dir_.path() + "/tokens";
  WriteFile(tokens, "# no tokens yet\n");
  const std::string example = INRAPPORT_SOURCE_DIR "/deploy/inrapportd.conf";
  Start({"--config=" + example, "--tokens_file=" + tokens});
  const std::string log = server_->Log();
  EXPECT_THAT(log, HasSubstr("drain_delay=5s"));
  EXPECT_THAT(log, HasSubstr("db=" + db()));

  // It lists every setting the server knows, set or as a comment: the
  // starting line names them all (after version and config).
  std::ifstream in(example);
  std::set<std::string> listed;
  for (std::string line; std::getline(in, line);) {
    absl::string_view entry = absl::StripAsciiWhitespace(line);
    absl::ConsumePrefix(&entry, "#");
    entry = absl::StripLeadingAsciiWhitespace(entry);
    const size_t equals = entry.find(" = ");
    if (equals != absl::string_view::npos) listed.emplace(entry.substr(0, equals));
  }
  std::string starting;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, " event=starting ")) starting = std::string(line);
  }
  ASSERT_FALSE(starting.empty()) << log;
  int settings = 0;
  for (absl::string_view field : absl::StrSplit(starting, ' ', absl::SkipEmpty())) {
    const size_t equals = field.find('=');
    if (equals == absl::string_view::npos) continue;
    const std::string name(field.substr(0, equals));
    if (name == "ts" || name == "level" || name == "event" || name == "version" ||
        name == "config") {
      continue;
    }
    ++settings;
    EXPECT_TRUE(listed.count(name)) << name << " is not in deploy/inrapportd.conf";
  }
  EXPECT_GE(settings, 21) << starting;
}

TEST_F(OperationsTest, ABadConfigFileStopsTheStartNamingFileAndLine) {
  const std::string config = dir_.path() + "/bad.conf";
  WriteFile(config, "tariff_sek_per_hour = 400\nlisten_address = 0.0.0.0:1\n");
  int status = 0;
  std::string log = testing::RunServerExpectingFailure(db(), {"--config=" + config}, &status);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_THAT(log, HasSubstr(config + ":2: unknown setting \"listen_address\""));

  WriteFile(config, "tariff_sek_per_hour = many\n");
  log = testing::RunServerExpectingFailure(db(), {"--config=" + config}, &status);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_THAT(log, HasSubstr(config + ":1: tariff_sek_per_hour:"));

  log = testing::RunServerExpectingFailure(db(), {"--config=" + dir_.path() + "/missing.conf"},
                                           &status);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_THAT(log, HasSubstr("cannot read"));
}

TEST_F(OperationsTest, ALockTimeoutOutOfRangeStopsTheStartNamingTheFlag) {
  for (const auto& [value, shown] :
       std::vector<std::pair<std::string, std::string>>{{"0s", "0"}, {"-1s", "-1s"}, {"11m", "11m"}}) {
    int status = 0;
    const std::string log =
        testing::RunServerExpectingFailure(db(), {"--lock_timeout=" + value}, &status);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << value << "\n" << log;
    EXPECT_THAT(log, HasSubstr("--lock_timeout: must be between 1ms and 10m, got " + shown));
  }
}

TEST_F(OperationsTest, AWriteCacheOutOfRangeStopsTheStartNamingTheFlag) {
  for (const std::string value : {"0", "-5", "4097"}) {
    int status = 0;
    const std::string log =
        testing::RunServerExpectingFailure(db(), {"--write_cache_mib=" + value}, &status);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << value << "\n" << log;
    EXPECT_THAT(log, HasSubstr("--write_cache_mib: must be between 1 and 4096, got " + value));
  }
}

TEST_F(OperationsTest, JsonLogsAreOneObjectPerLine) {
  int status = 0;
  // A listen address that cannot be bound makes the server log and exit.
  const std::string log = testing::RunServerExpectingFailure(
      db(), {"--log_format=json", "--listen=203.0.113.1:1", "--allow_unauthenticated"}, &status);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    if (!absl::StartsWith(line, "{\"ts\":\"")) continue;  // gRPC's own stderr lines
    ++lines;
    EXPECT_TRUE(absl::EndsWith(line, "}")) << line;
  }
  EXPECT_GE(lines, 2);
  EXPECT_THAT(log, HasSubstr("\"level\":\"info\",\"event\":\"starting\""));
  EXPECT_THAT(log, HasSubstr("\"log_format\":\"json\""));
  EXPECT_THAT(log, HasSubstr("\"level\":\"error\",\"event\":\"start_failed\""));
  EXPECT_THAT(log, HasSubstr("--listen: cannot listen on 203.0.113.1:1"));
}

TEST_F(OperationsTest, LogfmtLinesBeginWithTimeLevelAndEvent) {
  int status = 0;
  const std::string log = testing::RunServerExpectingFailure(
      db(), {"--listen=203.0.113.1:1", "--allow_unauthenticated"}, &status);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    if (!absl::StartsWith(line, "ts=")) continue;  // gRPC's own stderr lines
    ++lines;
    // UTC with milliseconds, then the level and the event.
    EXPECT_THAT(std::string(line),
                ::testing::MatchesRegex("ts=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
                                        "[0-9]{2}\\.[0-9]{3}Z level=(info|warn|error) "
                                        "event=[a-z_]+( .*)?"));
  }
  EXPECT_GE(lines, 2);
  EXPECT_THAT(log, HasSubstr(" level=info event=starting "));
  EXPECT_THAT(log, HasSubstr(" level=error event=start_failed "));
}

TEST_F(OperationsTest, DrainingSaysNotServingYetServesUntilTheDelayEnds) {
  Start({"--drain_delay=5s", "--shutdown_grace=2s"});
  testing::Health health = testing::Health::kUnknown;
  ASSERT_TRUE(testing::CheckHealth(channel_, &health).ok());
  ASSERT_EQ(health, testing::Health::kServing);

  server_->Signal(SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  while (health != testing::Health::kNotServing && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(testing::CheckHealth(channel_, &health).ok());
  }
  EXPECT_EQ(health, testing::Health::kNotServing);
  // Calls are still answered while the load balancers catch up.
  grpc::ClientContext context;
  v1::ListDutiesResponse listed;
  EXPECT_TRUE(duties_->ListDuties(&context, {}, &listed).ok());

  const int status = server_->Wait();
  ASSERT_TRUE(WIFEXITED(status)) << server_->Log();
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_THAT(server_->Log(), HasSubstr("event=draining signal=SIGTERM drain_delay=5s grace=2s"));
  EXPECT_THAT(server_->Log(), HasSubstr("event=stopped"));
}

// A log reader that goes away (a log collector restarted, `inrapportd |
// head`) must not take the server with it: its log lines are lost, and it
// serves on and stops cleanly.
TEST_F(OperationsTest, AClosedLogPipeDoesNotStopTheServer) {
  Start();
  server_->CloseLog();
  server_->Signal(SIGHUP);  // logged: the first write into the closed pipe
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  LoadData(30);  // logs nothing, but needs a live server
  testing::Health health = testing::Health::kUnknown;
  ASSERT_TRUE(testing::CheckHealth(channel_, &health).ok());
  EXPECT_EQ(health, testing::Health::kServing);

  server_->Signal(SIGTERM);  // logs draining and stopped
  const int status = server_->Wait();
  ASSERT_FALSE(WIFSIGNALED(status)) << "killed by signal " << WTERMSIG(status);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// --shutdown_grace bounds how long an open call may hold the exit: a stream
// that never ends is cut off when the grace runs out, after the drain delay,
// and the process still exits cleanly; what was acknowledged before stays.
TEST_F(OperationsTest, ShutdownGraceCutsOffAnOpenStreamAndExitsInTime) {
  Start({"--drain_delay=1s", "--shutdown_grace=1s"});
  LoadData(3);

  // Acknowledged before the signal.
  v1::SubmitReportRequest acked;
  v1::Report* report = acked.mutable_report();
  report->set_submission_id("before-sigterm");
  report->set_municipality_code("0180");
  report->set_duty_id("ops-a");
  report->set_period("2024");
  report->set_minutes_spent(7);
  report->set_staff_count(1);
  {
    grpc::ClientContext context;
    v1::SubmitReportResponse response;
    const grpc::Status status = intake_->SubmitReport(&context, acked, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // A stream that sends one report and then stays open, as a stalled client.
  grpc::ClientContext stream_context;
  stream_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::SubmitReportsResponse stream_response;
  auto writer = intake_->SubmitReports(&stream_context, &stream_response);
  v1::SubmitReportsRequest first;
  *first.mutable_report() = acked.report();
  first.mutable_report()->set_submission_id("in-open-stream");
  first.mutable_report()->set_period("2023");  // kept apart from the acknowledged one
  ASSERT_TRUE(writer->Write(first));

  const auto signalled = std::chrono::steady_clock::now();
  server_->Signal(SIGTERM);
  const int status = server_->Wait();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  ASSERT_TRUE(WIFEXITED(status)) << server_->Log();
  EXPECT_EQ(WEXITSTATUS(status), 0) << server_->Log();
  // Drain delay 1 s + grace 1 s: the open stream holds the exit until the
  // grace ends (so at least 2 s), never much longer.
  EXPECT_GE(seconds, 1.9) << server_->Log();
  EXPECT_LT(seconds, 1 + 1 + 3) << server_->Log();
  EXPECT_THAT(server_->Log(), HasSubstr("event=draining signal=SIGTERM drain_delay=1s grace=1s"));

  const grpc::Status cut = writer->Finish();
  EXPECT_THAT(cut.error_code(), ::testing::AnyOf(grpc::StatusCode::CANCELLED,
                                                 grpc::StatusCode::UNAVAILABLE))
      << cut.error_code() << ": " << cut.error_message();

  // The acknowledged reports are there after a restart.
  Start();
  grpc::ClientContext context;
  v1::GetBurdenSummaryRequest request;
  request.set_group_by(v1::GROUP_BY_DUTY);
  request.set_period_from("2024");
  request.set_period_to("2024");
  v1::GetBurdenSummaryResponse summary;
  ASSERT_TRUE(burden_->GetBurdenSummary(&context, request, &summary).ok());
  EXPECT_EQ(summary.totals().reports(), 1);
  EXPECT_EQ(summary.totals().minutes(), 7);
}

TEST_F(OperationsTest, ProcessBuildAndStoreMetrics) {
  Start();
  LoadData(30);
  const std::string metrics = Metrics();
  EXPECT_THAT(metrics, HasSubstr("# TYPE inrapport_build_info gauge"));
  EXPECT_THAT(metrics, ::testing::ContainsRegex(
                           "inrapport_build_info\\{grpc_version=\"[0-9.]+\",sqlite_version="
                           "\"3\\.[0-9.]+\",version=\"[0-9]+\\.[0-9]+\\.[0-9]+\"\\} 1"));

  const auto process = Samples(metrics, "process_");
  EXPECT_GT(process.at("process_resident_memory_bytes"), 1 << 20);
  EXPECT_GT(process.at("process_virtual_memory_bytes"), process.at("process_resident_memory_bytes"));
  EXPECT_GT(process.at("process_cpu_seconds_total"), 0);
  EXPECT_GE(process.at("process_open_fds"), 5);  // stdio, the database, sockets
  EXPECT_GT(process.at("process_max_fds"), 0);
  const double now = static_cast<double>(time(nullptr));
  EXPECT_NEAR(process.at("process_start_time_seconds"), now, 120);

  const auto store = Samples(metrics, "inrapport_store_");
  const double commits = store.at("inrapport_store_commits_total");
  EXPECT_GE(commits, 1);
  // One observation per commit; the batches hold every report once.
  EXPECT_EQ(store.at("inrapport_store_commit_duration_seconds_count"), commits);
  EXPECT_EQ(store.at("inrapport_store_commit_duration_seconds_bucket{le=\"+Inf\"}"), commits);
  EXPECT_GT(store.at("inrapport_store_commit_duration_seconds_sum"), 0);
  EXPECT_EQ(store.at("inrapport_store_reports_per_commit_count"), commits);
  EXPECT_EQ(store.at("inrapport_store_reports_per_commit_sum"), 30);
  EXPECT_GT(store.at("inrapport_store_size_bytes"), 4096);
}

// docs/metrics.md is the operator's list of what inrapportd exports: every
// family a scrape has is in its tables, every family in its tables is in
// the scrape, and the number of series is its formula
//   624 + A + 3 x P + Pe + 2 x D + De.
TEST_F(OperationsTest, MetricsDocListsEveryFamilyAndItsSeriesFormulaHolds) {
  Start();
  LoadData(30);  // ops-a (scb) and ops-b (ivo), both school, both with reports
  {
    v1::CreateDutyRequest request;  // a third agency's duty without reports
    v1::ReportingDuty* duty = request.mutable_duty();
    duty->set_id("ops-c");
    duty->set_agency_id("msb");
    duty->set_title("Title of ops-c");
    duty->set_legal_basis("SFS 2003:778");
    duty->set_purpose("MSB plans national preparedness with it.");
    duty->set_sector(v1::SECTOR_CRISIS_PREPAREDNESS);
    duty->set_frequency(v1::FREQUENCY_ANNUAL);
    duty->add_data_items("ops-c_item");
    grpc::ClientContext context;
    v1::ReportingDuty created;
    ASSERT_TRUE(duties_->CreateDuty(&context, request, &created).ok());
  }
  Metrics();  // the scrape metrics describe earlier scrapes
  const std::string metrics = Metrics();

  std::set<std::string> scraped;
  int64_t series = 0;
  for (absl::string_view line : absl::StrSplit(metrics, '\n')) {
    if (absl::ConsumePrefix(&line, "# TYPE ")) {
      scraped.insert(std::string(line.substr(0, line.find(' '))));
    } else if (!line.empty() && line[0] != '#') {
      ++series;
    }
  }

  // The first cell of every table row names one family, or two ("a / b").
  // Families under a "(PostgreSQL only)" heading are exported only with a
  // shared store, and those under "(with --http_listen only)" only with the
  // HTTP face: this SQLite server without it must not export them
  // (ReplicaTest and HttpTest check them).
  std::ifstream doc(INRAPPORT_SOURCE_DIR "/docs/metrics.md");
  ASSERT_TRUE(doc) << "docs/metrics.md not found";
  std::set<std::string> documented, postgres_only;
  bool in_postgres_section = false;
  for (std::string line; std::getline(doc, line);) {
    if (absl::StartsWith(line, "#")) {
      in_postgres_section = absl::StrContains(line, "(PostgreSQL only)") ||
                            absl::StrContains(line, "(with --http_listen only)");
      continue;
    }
    if (!absl::StartsWith(line, "| `")) continue;
    const std::string cell = line.substr(1, line.find('|', 1) - 1);
    for (absl::string_view part : absl::StrSplit(cell, '`')) {
      part = absl::StripAsciiWhitespace(part);
      if (part.empty() || part == "/") continue;
      (in_postgres_section ? postgres_only : documented).insert(std::string(part));
    }
  }
  EXPECT_FALSE(postgres_only.empty()) << "the replica sync section of docs/metrics.md is gone";
  for (const std::string& family : postgres_only) {
    EXPECT_EQ(scraped.count(family), 0u) << family << " is exported without PostgreSQL";
  }

  std::vector<std::string> undocumented, missing;
  for (const std::string& family : scraped) {
    if (documented.count(family) == 0) undocumented.push_back(family);
  }
  for (const std::string& family : documented) {
    if (scraped.count(family) == 0) missing.push_back(family);
  }
  EXPECT_THAT(undocumented, ::testing::IsEmpty()) << "in the scrape, not in docs/metrics.md";
  EXPECT_THAT(missing, ::testing::IsEmpty()) << "in docs/metrics.md, not in the scrape";
  EXPECT_GE(scraped.size(), 30u);

  // A = 3 agencies with a duty, P = 2 (scb and ivo, school, each duty
  // either flagged or not), D = 3 duties; ops-a and ops-b are estimable
  // (reports from all nine municipality groups), ops-c, without reports,
  // is not: Pe = 2, De = 2.
  constexpr int64_t kAgencies = 3, kBurdenGroups = 2, kDuties = 3;
  constexpr int64_t kEstimableGroups = 2, kEstimableDuties = 2;
  EXPECT_EQ(static_cast<int64_t>(Samples(metrics, "inrapport_measured_reports{").size()),
            kBurdenGroups);
  EXPECT_EQ(Samples(metrics, "inrapport_duty_national_estimated_cost_sek{").size(),
            static_cast<size_t>(kEstimableDuties));
  EXPECT_EQ(Samples(metrics, "inrapport_duty_national_estimated_cost_sek{duty=\"ops-c\"").size(),
            0u);
  EXPECT_EQ(Samples(metrics, "inrapport_duties_not_estimable").at("inrapport_duties_not_estimable"),
            1);
  EXPECT_EQ(series, 1352 + kAgencies + 3 * kBurdenGroups + kEstimableGroups + 2 * kDuties +
                        kEstimableDuties)
      << metrics;
}

// The burden, duty and per-duty families (inrapport_duty_*) are rebuilt
// from the store: the same samples before and after a restart.
TEST_F(OperationsTest, BurdenMetricsComeBackUnchangedAfterARestart) {
  Start();
  LoadData(40);
  {
    // A recorded use: its count must be rebuilt too, not start at zero.
    v1::RecordDutyUseRequest request;
    v1::DutyUse* use = request.mutable_use();
    use->set_duty_id("ops-a");
    use->set_use_id("statistik-2025");
    use->set_kind(v1::USE_KIND_PUBLICATION);
    use->set_date("2025-06-01");
    use->set_first_period("2024");
    use->set_description("Published as official statistics.");
    grpc::ClientContext context;
    v1::RecordDutyUseResponse response;
    const grpc::Status status = duties_->RecordDutyUse(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  constexpr const char* kRebuilt[] = {"inrapport_measured_", "inrapport_national_",
                                      "inrapport_duties_", "inrapport_recorded_",
                                      "inrapport_duty_"};
  std::map<std::string, double> before;
  for (const char* prefix : kRebuilt) {
    const auto samples = Samples(Metrics(), prefix);
    before.insert(samples.begin(), samples.end());
  }
  // Something to compare: every minute of burden, a flag, a duty's
  // recorded use and its agency's, and a duty's national estimate.
  double seconds = 0;
  for (const auto& [sample, value] : before) {
    if (absl::StartsWith(sample, "inrapport_measured_burden_seconds{")) seconds += value;
  }
  EXPECT_EQ(seconds, (40 * 10 + 39 * 40 / 2) * 60);  // minutes 10..49
  EXPECT_EQ(before.at("inrapport_duties_flagged{flag=\"NO_STATED_PURPOSE\"}"), 1);
  EXPECT_EQ(before.at("inrapport_duty_recorded_uses{duty=\"ops-a\",agency=\"scb\"}"), 1);
  EXPECT_EQ(before.at("inrapport_duty_recorded_uses{duty=\"ops-b\",agency=\"ivo\"}"), 0);
  EXPECT_EQ(before.at("inrapport_recorded_uses{agency=\"scb\"}"), 1);
  EXPECT_GT(before.at("inrapport_duty_national_estimated_cost_sek{duty=\"ops-a\",agency=\"scb\"}"),
            0);

  const int status = server_->Terminate();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << server_->Log();
  Start();
  std::map<std::string, double> after;
  for (const char* prefix : kRebuilt) {
    const auto samples = Samples(Metrics(), prefix);
    after.insert(samples.begin(), samples.end());
  }
  EXPECT_EQ(after, before);
}

}  // namespace
}  // namespace inrapport
