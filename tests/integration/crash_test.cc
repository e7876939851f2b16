// Crash safety through the real inrapportd: kill -9 under load (repeatedly),
// a full disk, and an online backup while reports arrive. Each test keeps a
// ledger of every report sent and every acknowledgement received, and checks
// the store against it through the API and by reading the SQLite file.
#include <signal.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/aggregates/aggregates.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/health_check.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::AnyOf;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using testing::ServerProcess;
using testing::TempDir;

constexpr char kDuty[] = "crash-monthly";
constexpr char kPeriod[] = "2025-03";
constexpr const char* kMunicipalities[] = {"0114", "0180", "0182", "1283", "1480", "2580"};
constexpr int kClientThreads = 4;

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(30);
}

// The seed of every random choice a test makes: INRAPPORT_CRASH_SEED if set,
// else a fresh one. Printed, and attached to every failure, so that a failing
// run can be repeated.
uint64_t Seed() {
  const char* given = std::getenv("INRAPPORT_CRASH_SEED");
  const uint64_t seed = given != nullptr ? std::strtoull(given, nullptr, 10)
                                         : (uint64_t{std::random_device{}()} << 32) ^
                                               std::random_device{}();
  std::cout << "seed " << seed << " (repeat with INRAPPORT_CRASH_SEED=" << seed << ")\n";
  return seed;
}

v1::Report MakeReport(const std::string& id, std::mt19937_64& rng) {
  v1::Report report;
  report.set_submission_id(id);
  report.set_municipality_code(kMunicipalities[rng() % std::size(kMunicipalities)]);
  report.set_duty_id(kDuty);
  report.set_period(kPeriod);
  report.set_minutes_spent(1 + static_cast<int64_t>(rng() % 600));
  report.set_staff_count(1 + static_cast<int32_t>(rng() % 4));
  report.set_usefulness(1 + static_cast<int32_t>(rng() % 5));
  report.set_feedback_received(rng() % 2 == 0 ? v1::ANSWER_YES : v1::ANSWER_NO);
  return report;
}

// One gRPC connection to a server, with its own subchannel so that client
// threads do not share one HTTP/2 connection.
struct Client {
  explicit Client(const std::string& address) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channel = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
    duties = v1::DutyRegistry::NewStub(channel);
    intake = v1::ReportIntake::NewStub(channel);
    burden = v1::BurdenQuery::NewStub(channel);
  }

  grpc::Status CreateDuty() {
    v1::CreateDutyRequest request;
    v1::ReportingDuty* duty = request.mutable_duty();
    duty->set_id(kDuty);
    duty->set_agency_id("scb");
    duty->set_title("Monthly figures for the crash tests");
    duty->set_legal_basis("SFS 2001:100");
    duty->set_purpose("SCB publishes the monthly figures as official statistics.");
    duty->set_sector(v1::SECTOR_FINANCE);
    duty->set_frequency(v1::FREQUENCY_MONTHLY);
    duty->add_data_items("crash_monthly_figures");
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::ReportingDuty created;
    return duties->CreateDuty(&context, request, &created);
  }

  grpc::Status Submit(const v1::Report& report, v1::SubmitReportResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::SubmitReportRequest request;
    *request.mutable_report() = report;
    return intake->SubmitReport(&context, request, response);
  }

  // One SubmitReports stream; stops writing when the stream breaks.
  grpc::Status Stream(const std::vector<v1::Report>& reports,
                      v1::SubmitReportsResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    auto writer = intake->SubmitReports(&context, response);
    for (const v1::Report& report : reports) {
      v1::SubmitReportsRequest request;
      *request.mutable_report() = report;
      if (!writer->Write(request)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  // The totals row of the burden summary: every report the server counts.
  v1::BurdenRow Totals() {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::GetBurdenSummaryRequest request;
    request.set_group_by(v1::GROUP_BY_DUTY);
    v1::GetBurdenSummaryResponse response;
    const grpc::Status status = burden->GetBurdenSummary(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.totals();
  }

  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::DutyRegistry::Stub> duties;
  std::unique_ptr<v1::ReportIntake::Stub> intake;
  std::unique_ptr<v1::BurdenQuery::Stub> burden;
};

// Which ids of a stream the answer acknowledges: all but the rejected ones,
// if the answer accounts for every report and lists every rejection; none
// otherwise (a broken stream acknowledges nothing).
std::vector<std::string> AcknowledgedIds(const grpc::Status& status,
                                         const std::vector<v1::Report>& reports,
                                         const v1::SubmitReportsResponse& response) {
  if (!status.ok()) return {};
  if (response.accepted() + response.duplicate() + response.rejected() !=
          static_cast<int64_t>(reports.size()) ||
      response.rejections_size() != response.rejected()) {
    return {};
  }
  std::set<std::string> rejected;
  for (const v1::Rejection& rejection : response.rejections()) {
    rejected.insert(rejection.submission_id());
  }
  std::vector<std::string> ids;
  for (const v1::Report& report : reports) {
    if (rejected.count(report.submission_id()) == 0) ids.push_back(report.submission_id());
  }
  return ids;
}

// Every report sent (with its content, for retries) and every id the server
// acknowledged. Thread-safe.
class Ledger {
 public:
  void Sent(const std::vector<v1::Report>& reports) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const v1::Report& report : reports) sent_.emplace(report.submission_id(), report);
  }
  void Acknowledged(const std::vector<std::string>& ids) {
    std::lock_guard<std::mutex> lock(mu_);
    acked_.insert(ids.begin(), ids.end());
  }
  // A fresh report answered as a duplicate or rejected: never expected.
  void Unexpected(const std::string& what) {
    std::lock_guard<std::mutex> lock(mu_);
    if (unexpected_.size() < 10) unexpected_.push_back(what);
  }

  std::map<std::string, v1::Report> sent() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_;
  }
  std::set<std::string> acked() const {
    std::lock_guard<std::mutex> lock(mu_);
    return acked_;
  }
  size_t acked_count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return acked_.size();
  }
  std::vector<std::string> unexpected() const {
    std::lock_guard<std::mutex> lock(mu_);
    return unexpected_;
  }
  // Sent but never acknowledged, in id order.
  std::vector<v1::Report> Unacknowledged() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<v1::Report> reports;
    for (const auto& [id, report] : sent_) {
      if (acked_.count(id) == 0) reports.push_back(report);
    }
    return reports;
  }
  // Reports and minutes of everything sent.
  std::pair<int64_t, int64_t> SentTotals() const {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t minutes = 0;
    for (const auto& [id, report] : sent_) minutes += report.minutes_spent();
    return {static_cast<int64_t>(sent_.size()), minutes};
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, v1::Report> sent_;
  std::set<std::string> acked_;
  std::vector<std::string> unexpected_;
};

// Client threads that submit fresh reports, unary calls and streams of 2 to
// 300 mixed at random, until stopped or until a call fails (the server is
// gone). Every report is entered in the ledger before it is sent.
class Load {
 public:
  Load(const std::string& address, Ledger* ledger, const std::string& prefix, uint64_t seed)
      : ledger_(ledger) {
    for (int t = 0; t < kClientThreads; ++t) {
      threads_.emplace_back([this, address, prefix, seed, t] {
        Run(address, prefix + "-t" + std::to_string(t) + "-", seed + 7919 * (t + 1));
      });
    }
  }
  ~Load() { Stop(); }

  void Stop() {
    stop_ = true;
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }
  int64_t failed_calls() const { return failed_calls_.load(); }

 private:
  void Run(const std::string& address, const std::string& prefix, uint64_t seed) {
    std::mt19937_64 rng(seed);
    Client client(address);
    for (int64_t next = 0; !stop_.load();) {
      const bool unary = rng() % 2 == 0;
      const size_t count = unary ? 1 : 2 + rng() % 299;
      std::vector<v1::Report> reports;
      for (size_t i = 0; i < count; ++i) {
        reports.push_back(MakeReport(prefix + std::to_string(next++), rng));
      }
      ledger_->Sent(reports);
      if (unary) {
        v1::SubmitReportResponse response;
        const grpc::Status status = client.Submit(reports.front(), &response);
        if (!status.ok()) {
          ++failed_calls_;
          return;
        }
        if (response.duplicate()) ledger_->Unexpected(reports.front().submission_id() + " duplicate");
        ledger_->Acknowledged({reports.front().submission_id()});
      } else {
        v1::SubmitReportsResponse response;
        const grpc::Status status = client.Stream(reports, &response);
        if (!status.ok()) {
          ++failed_calls_;
          return;
        }
        if (response.duplicate() != 0 || response.rejected() != 0) {
          ledger_->Unexpected(response.ShortDebugString());
        }
        ledger_->Acknowledged(AcknowledgedIds(status, reports, response));
      }
    }
  }

  Ledger* ledger_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> failed_calls_{0};
  std::vector<std::thread> threads_;
};

// A database file opened read-only with the SQLite C API, beside the server
// (WAL lets a reader in while it writes) or after it has stopped.
class Database {
 public:
  explicit Database(const std::string& path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
    EXPECT_EQ(rc, SQLITE_OK) << path << ": " << sqlite3_errstr(rc);
    // By the key the store keeps unique, so that the index is used.
    EXPECT_EQ(sqlite3_prepare_v2(db_,
                                 "SELECT count(*) FROM reports WHERE municipality_code = ?1 "
                                 "AND submission_id = ?2",
                                 -1, &count_id_, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db_);
  }
  ~Database() {
    sqlite3_finalize(count_id_);
    sqlite3_close(db_);
  }

  // The result of PRAGMA integrity_check: "ok" for a sound file.
  std::string IntegrityCheck() {
    std::string result;
    sqlite3_exec(
        db_, "PRAGMA integrity_check",
        [](void* out, int, char** values, char**) {
          auto* text = static_cast<std::string*>(out);
          if (!text->empty()) text->append("\n");
          text->append(values[0] != nullptr ? values[0] : "NULL");
          return 0;
        },
        &result, nullptr);
    return result;
  }

  // How many rows the reports table holds for `id`: 0 or 1.
  // How many times the report is stored.
  int64_t Count(const v1::Report& report) {
    const std::string& municipality = report.municipality_code();
    const std::string& id = report.submission_id();
    sqlite3_reset(count_id_);
    sqlite3_bind_text(count_id_, 1, municipality.data(), static_cast<int>(municipality.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(count_id_, 2, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
    const int64_t count = sqlite3_step(count_id_) == SQLITE_ROW ? sqlite3_column_int64(count_id_, 0)
                                                               : -1;
    sqlite3_reset(count_id_);
    return count;
  }

  // {reports, minutes} as the reports table has them.
  std::pair<int64_t, int64_t> ReportTotals() {
    return Pair("SELECT count(*), coalesce(sum(minutes_spent), 0) FROM reports");
  }
  // {reports, minutes} of the reports up to `seq` in arrival order.
  std::pair<int64_t, int64_t> ReportTotalsUpTo(int64_t seq) {
    return Pair(("SELECT count(*), coalesce(sum(minutes_spent), 0) FROM reports "
                 "WHERE withdrawn = 0 AND seq <= " + std::to_string(seq)).c_str());
  }
  // What names the report at `seq`, as the aggregates snapshot does.
  std::string ReportAt(int64_t seq) {
    sqlite3_stmt* stmt = nullptr;
    std::string named;
    const std::string sql =
        "SELECT municipality_code || '/' || submission_id || '/' || received_at FROM reports "
        "WHERE seq = " + std::to_string(seq);
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      named = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return named;
  }

 private:
  std::pair<int64_t, int64_t> Pair(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    std::pair<int64_t, int64_t> result{-1, -1};
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      result = {sqlite3_column_int64(stmt, 0), sqlite3_column_int64(stmt, 1)};
    } else {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    }
    sqlite3_finalize(stmt);
    return result;
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* count_id_ = nullptr;
};

// Checks the file against the ledger: sound, every acknowledged id stored
// once, nothing stored that was not sent. Returns the ids of
// unacknowledged reports that are stored (committed before an answer went
// out).
std::set<std::string> CheckStore(const std::string& path, const Ledger& ledger) {
  Database db(path);
  EXPECT_EQ(db.IntegrityCheck(), "ok");
  const std::set<std::string> acked = ledger.acked();
  const std::map<std::string, v1::Report> sent = ledger.sent();
  int64_t lost = 0;
  for (const std::string& id : acked) {
    const int64_t count = db.Count(sent.at(id));
    if (count != 1 && ++lost <= 5) ADD_FAILURE() << id << " acknowledged, stored " << count << " times";
  }
  EXPECT_EQ(lost, 0) << "acknowledged reports lost";
  std::set<std::string> stored_unacked;
  for (const v1::Report& report : ledger.Unacknowledged()) {
    if (db.Count(report) == 1) stored_unacked.insert(report.submission_id());
  }
  const auto rows = db.ReportTotals();
  EXPECT_EQ(rows.first, static_cast<int64_t>(acked.size() + stored_unacked.size()))
      << "the reports table holds reports that were never sent";
  return stored_unacked;
}

// Retries every unacknowledged report, the first few one at a time and the
// rest in streams: each must be accepted if it was not stored and answered
// as a duplicate if it was; then all are acknowledged.
void RetryUnacknowledged(Client& client, Ledger& ledger,
                         const std::set<std::string>& stored_unacked) {
  const std::vector<v1::Report> retries = ledger.Unacknowledged();
  constexpr size_t kUnary = 16;
  constexpr size_t kChunk = 1000;
  for (size_t i = 0; i < retries.size() && i < kUnary; ++i) {
    const v1::Report& report = retries[i];
    v1::SubmitReportResponse response;
    const grpc::Status status = client.Submit(report, &response);
    ASSERT_TRUE(status.ok()) << report.submission_id() << ": " << status.error_message();
    EXPECT_EQ(response.duplicate(), stored_unacked.count(report.submission_id()) == 1)
        << report.submission_id();
    ledger.Acknowledged({report.submission_id()});
  }
  for (size_t begin = kUnary; begin < retries.size(); begin += kChunk) {
    const std::vector<v1::Report> chunk(
        retries.begin() + begin, retries.begin() + std::min(retries.size(), begin + kChunk));
    int64_t stored = 0;
    for (const v1::Report& report : chunk) stored += stored_unacked.count(report.submission_id());
    v1::SubmitReportsResponse response;
    const grpc::Status status = client.Stream(chunk, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.rejected(), 0) << response.ShortDebugString();
    EXPECT_EQ(response.duplicate(), stored);
    EXPECT_EQ(response.accepted(), static_cast<int64_t>(chunk.size()) - stored);
    ledger.Acknowledged(AcknowledgedIds(status, chunk, response));
  }
}

// The server's totals equal everything sent, each report once.
void ExpectTotalsEqualSent(Client& client, const Ledger& ledger) {
  const auto [reports, minutes] = ledger.SentTotals();
  const v1::BurdenRow totals = client.Totals();
  EXPECT_EQ(totals.reports(), reports);
  EXPECT_EQ(totals.minutes(), minutes);
}

TEST(CrashTest, KillNineUnderLoadLosesNothingAcknowledged) {
  const uint64_t seed = Seed();
  SCOPED_TRACE("INRAPPORT_CRASH_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  TempDir dir;
  const std::string db = dir.path() + "/inrapport.db";
  std::unique_ptr<ServerProcess> server = ServerProcess::Start(db);
  ASSERT_NE(server, nullptr);
  {
    Client client(server->grpc_address());
    ASSERT_TRUE(client.CreateDuty().ok());
  }

  // As many kill/restart cycles as fit in the budget, up to kMaxIterations.
  // On two cores with a build running beside it, a cycle took 0.3 to 2.7 s
  // in a plain build (20 in 36 s) and 0.9 to 3.9 s under ASan (20 in 45 s);
  // it grows with the ledger, which every check reads whole. The budget
  // reaches kMinIterations even with cycles four times as slow, and the
  // test ends well within its ctest timeout.
  Ledger ledger;
  constexpr int kMaxIterations = 20;
  constexpr int kMinIterations = 10;
  const auto start = std::chrono::steady_clock::now();
  const auto budget = start + std::chrono::seconds(90);
  int iterations = 0;
  int64_t interrupted_calls = 0;
  int64_t reports_after_snapshot = 0;  // over every kill
  int snapshot_starts = 0;         // starts from the aggregates snapshot
  while (iterations < kMaxIterations && std::chrono::steady_clock::now() < budget) {
    SCOPED_TRACE("iteration " + std::to_string(iterations));
    const auto iteration_start = std::chrono::steady_clock::now();
    const size_t acked_before = ledger.acked_count();
    const size_t sent_before = ledger.SentTotals().first;
    const int64_t interrupted_before = interrupted_calls;
    {
      Load load(server->grpc_address(), &ledger, "k" + std::to_string(iterations), rng());
      // Once reports are being acknowledged, kill at a random moment within
      // the next 400 ms: in a commit, between commits, mid-stream.
      const auto wait_limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (ledger.acked_count() == acked_before &&
             std::chrono::steady_clock::now() < wait_limit) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      ASSERT_GT(ledger.acked_count(), acked_before) << "no report acknowledged:\n"
                                                    << server->Log();
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 400));
      server->Kill();
      load.Stop();
      // A kill can land just after a commit answered every caller; over the
      // iterations most land on calls in flight.
      interrupted_calls += load.failed_calls();
    }
    {
      Database killed(db);
      // The aggregates snapshot, written at a start (or a stop), agrees
      // with the reports up to the one it names; the next start adds those
      // after it.
      absl::StatusOr<Aggregates::SnapshotSummary> snapshot =
          Aggregates::InspectSnapshot(db + ".aggregates");
      ASSERT_TRUE(snapshot.ok()) << snapshot.status();
      const int64_t seq = snapshot->position.last_seq;
      EXPECT_EQ(std::make_pair(snapshot->reports, snapshot->minutes),
                killed.ReportTotalsUpTo(seq))
          << "the snapshot disagrees with the reports up to " << seq;
      if (seq > 0) {
        EXPECT_EQ(snapshot->last_report, killed.ReportAt(seq));
      }
      const int64_t after = killed.ReportTotals().first - snapshot->reports;
      std::cout << "iteration " << iterations << ": the snapshot includes " << snapshot->reports
                << " reports, " << after << " after it\n";
      reports_after_snapshot += after;
    }
    for (const std::string& what : ledger.unexpected()) ADD_FAILURE() << "fresh report: " << what;

    server = ServerProcess::Start(db);
    ASSERT_NE(server, nullptr);
    if (server->Log().find("event=snapshot_loaded") != std::string::npos) ++snapshot_starts;
    Client client(server->grpc_address());
    const std::set<std::string> stored_unacked = CheckStore(db, ledger);
    // The server's summary (from the snapshot and the reports after it) equals the stored rows.
    const v1::BurdenRow totals = client.Totals();
    EXPECT_EQ(totals.reports(),
              static_cast<int64_t>(ledger.acked_count() + stored_unacked.size()));
    const size_t unacked = ledger.Unacknowledged().size();
    const int64_t interrupted_now = interrupted_calls - interrupted_before;
    std::cout << "iteration " << iterations << ": "
              << ledger.SentTotals().first - sent_before << " sent, "
              << ledger.acked_count() - acked_before << " acknowledged before the kill, "
              << unacked << " unacknowledged of which " << stored_unacked.size()
              << " stored; " << interrupted_now << " calls interrupted\n";
    RetryUnacknowledged(client, ledger, stored_unacked);
    EXPECT_TRUE(ledger.Unacknowledged().empty());
    ExpectTotalsEqualSent(client, ledger);
    std::cout << "iteration " << iterations << " took "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - iteration_start)
                     .count()
              << " s\n";
    ++iterations;
    if (HasFailure()) break;
  }
  EXPECT_GE(iterations, kMinIterations) << "too few kill/restart cycles in the time budget";
  EXPECT_GT(interrupted_calls, 0) << "no kill interrupted a call";
  EXPECT_GT(reports_after_snapshot, 0) << "no start had reports to add after its snapshot";
  EXPECT_EQ(snapshot_starts, iterations) << "a start after a kill did not use the snapshot";

  EXPECT_EQ(server->Terminate(), 0) << server->Log();
  EXPECT_TRUE(CheckStore(db, ledger).empty());
  Database stopped(db);
  EXPECT_EQ(stopped.ReportTotals(), ledger.SentTotals());
  absl::StatusOr<Aggregates::SnapshotSummary> saved =
      Aggregates::InspectSnapshot(db + ".aggregates");
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(std::make_pair(saved->reports, saved->minutes), ledger.SentTotals())
      << "a stop saves the figures of every report";
  std::cout << iterations << " kill -9 cycles in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
            << " s, " << interrupted_calls << " calls interrupted, "
            << ledger.SentTotals().first << " reports in all\n";
}

int64_t FileSize(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<int64_t>(size);
}

// A server with a duty and 200 acknowledged reports, for the tests that
// take the database's room or write access away under it: what is refused
// then is answered UNAVAILABLE, never acknowledged, and accepted once the
// database can be written again.
class WriteFailureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const uint64_t seed = Seed();
    seed_trace_ = std::make_unique<::testing::ScopedTrace>(
        __FILE__, __LINE__, "INRAPPORT_CRASH_SEED=" + std::to_string(seed));
    rng_.seed(seed);
    db_ = dir_.path() + "/inrapport.db";
    server_ = ServerProcess::Start(db_);
    ASSERT_NE(server_, nullptr);
    client_ = std::make_unique<Client>(server_->grpc_address());
    ASSERT_TRUE(client_->CreateDuty().ok());
    const std::vector<v1::Report> reports = Fresh(200);
    v1::SubmitReportsResponse response;
    ASSERT_TRUE(client_->Stream(reports, &response).ok());
    ASSERT_EQ(response.accepted(), 200);
    ledger_.Acknowledged(AcknowledgedIds(grpc::Status::OK, reports, response));
  }

  // `count` reports never sent before, entered in the ledger as sent.
  std::vector<v1::Report> Fresh(size_t count) {
    std::vector<v1::Report> reports;
    for (size_t i = 0; i < count; ++i) {
      reports.push_back(MakeReport("w" + std::to_string(next_++), rng_));
    }
    ledger_.Sent(reports);
    return reports;
  }

  // While the database cannot be written, a stream of 50 is refused whole:
  // every report UNAVAILABLE, none counted. Adds them to `refused`; returns
  // the first rejection's message.
  std::string ExpectAStreamRefusedWhole(std::vector<v1::Report>& refused) {
    const std::vector<v1::Report> reports = Fresh(50);
    v1::SubmitReportsResponse response;
    const grpc::Status status = client_->Stream(reports, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.accepted(), 0);
    EXPECT_EQ(response.duplicate(), 0);
    EXPECT_EQ(response.rejected(), 50);
    int64_t unavailable = 0;
    for (const v1::Rejection& rejection : response.rejections()) {
      unavailable += rejection.code() == "UNAVAILABLE";
    }
    EXPECT_EQ(unavailable, 50);
    refused.insert(refused.end(), reports.begin(), reports.end());
    return response.rejections_size() > 0 ? response.rejections(0).message() : "";
  }

  // The server is alive and serving, and counts only what it acknowledged.
  void ExpectServingAcknowledgedOnly() {
    testing::Health health = testing::Health::kUnknown;
    ASSERT_TRUE(testing::CheckHealth(client_->channel, &health).ok()) << server_->Log();
    EXPECT_EQ(health, testing::Health::kServing);
    EXPECT_EQ(client_->Totals().reports(), static_cast<int64_t>(ledger_.acked_count()));
  }

  // Once writable again: `refused` and 100 new reports, in one stream, are
  // all accepted (none a duplicate: nothing of the refused was stored), and
  // after a clean stop the file holds exactly what was sent.
  void ExpectRetriesAcceptedAndEverythingStored(const std::vector<v1::Report>& refused) {
    std::vector<v1::Report> reports = refused;
    const std::vector<v1::Report> more = Fresh(100);
    reports.insert(reports.end(), more.begin(), more.end());
    v1::SubmitReportsResponse response;
    const grpc::Status status = client_->Stream(reports, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.accepted(), static_cast<int64_t>(reports.size()));
    EXPECT_EQ(response.duplicate(), 0);
    ledger_.Acknowledged(AcknowledgedIds(status, reports, response));
    EXPECT_TRUE(ledger_.Unacknowledged().empty());
    ExpectTotalsEqualSent(*client_, ledger_);

    client_.reset();  // closed first: the server's drain waits for open connections
    EXPECT_EQ(server_->Terminate(), 0) << server_->Log();
    EXPECT_TRUE(CheckStore(db_, ledger_).empty());
    Database stopped(db_);
    EXPECT_EQ(stopped.ReportTotals(), ledger_.SentTotals());
    absl::StatusOr<Aggregates::SnapshotSummary> saved =
        Aggregates::InspectSnapshot(db_ + ".aggregates");
    ASSERT_TRUE(saved.ok()) << saved.status();
    EXPECT_EQ(std::make_pair(saved->reports, saved->minutes), ledger_.SentTotals())
        << "a stop saves the figures of every report";
  }

  std::unique_ptr<::testing::ScopedTrace> seed_trace_;
  std::mt19937_64 rng_;
  TempDir dir_;
  std::string db_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Client> client_;
  Ledger ledger_;
  int64_t next_ = 0;
};

TEST_F(WriteFailureTest, FullDiskRefusesWithUnavailableAndRecovers) {
  // A write past RLIMIT_FSIZE fails with EFBIG, as one to a full disk fails
  // with ENOSPC, because inrapportd ignores SIGXFSZ (its default ends the
  // process): the server is started as it always is, so that is tested too.
  // Leave the files a little room, then fill it one report at a time.
  rlimit original{};
  ASSERT_EQ(prlimit(server_->pid(), RLIMIT_FSIZE, nullptr, &original), 0);
  const int64_t used = FileSize(db_) + FileSize(db_ + "-wal");
  rlimit full = original;
  full.rlim_cur = static_cast<rlim_t>(used + 64 * 1024);
  ASSERT_EQ(prlimit(server_->pid(), RLIMIT_FSIZE, &full, nullptr), 0);

  std::vector<v1::Report> refused;
  grpc::Status failure;
  for (int attempt = 0; attempt < 5000 && refused.empty(); ++attempt) {
    const std::vector<v1::Report> report = Fresh(1);
    v1::SubmitReportResponse response;
    const grpc::Status status = client_->Submit(report.front(), &response);
    if (status.ok()) {
      ASSERT_FALSE(response.duplicate());
      ledger_.Acknowledged({report.front().submission_id()});
    } else {
      failure = status;
      refused = report;
    }
  }
  ASSERT_FALSE(refused.empty()) << "no write failed under a file size limit of "
                                << full.rlim_cur << " bytes";
  EXPECT_EQ(failure.error_code(), grpc::StatusCode::UNAVAILABLE) << failure.error_message();
  EXPECT_THAT(failure.error_message(), HasSubstr("could not write"));
  EXPECT_THAT(failure.error_message(), HasSubstr("retry"));
  // SQLite's reason: EFBIG is an I/O error, ENOSPC "database or disk is full".
  EXPECT_THAT(failure.error_message(),
              AnyOf(HasSubstr("disk I/O error"), HasSubstr("disk is full")));
  std::cout << "refused at " << ledger_.acked_count() << " reports, limit " << full.rlim_cur
            << " bytes: " << failure.error_message() << "\n";
  // The log says so too, with the reason (logged after the callers are answered).
  EXPECT_TRUE(server_->WaitForLog("event=store_commit_failed reports=")) << server_->Log();
  EXPECT_THAT(server_->Log(), ContainsRegex("event=store_commit_failed .*reason=\"the store "
                                            "could not write: (disk I/O error|database or disk is full)"));

  EXPECT_EQ(ExpectAStreamRefusedWhole(refused), failure.error_message());
  ExpectServingAcknowledgedOnly();
  EXPECT_TRUE(CheckStore(db_, ledger_).empty()) << "refused reports were stored";

  // Room again: a single retry is accepted, then the rest in a stream.
  ASSERT_EQ(prlimit(server_->pid(), RLIMIT_FSIZE, &original, nullptr), 0);
  {
    v1::SubmitReportResponse response;
    const grpc::Status status = client_->Submit(refused.front(), &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_FALSE(response.duplicate());
    ledger_.Acknowledged({refused.front().submission_id()});
  }
  ExpectRetriesAcceptedAndEverythingStored({refused.begin() + 1, refused.end()});
  // And a restart serves the same totals.
  server_ = ServerProcess::Start(db_);
  ASSERT_NE(server_, nullptr);
  Client restarted(server_->grpc_address());
  ExpectTotalsEqualSent(restarted, ledger_);
}

// Makes files immutable (chattr +i) for as long as it lives: then not even
// root may write them, where taking away write permission would not stop
// the root the tests run as. Needs a file system with the attribute (ext4,
// xfs, tmpfs since Linux 6.0) and CAP_LINUX_IMMUTABLE.
class Immutable {
 public:
  explicit Immutable(std::vector<std::string> paths) : paths_(std::move(paths)) {
    for (const std::string& path : paths_) ok_ = Set(path, true) && ok_;
  }
  ~Immutable() { Clear(); }
  bool ok() const { return ok_; }
  void Clear() {
    for (const std::string& path : paths_) Set(path, false);
    paths_.clear();
  }

 private:
  static bool Set(const std::string& path, bool on) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    int flags = 0;
    bool ok = ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    flags = on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
    ok = ok && ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    close(fd);
    return ok;
  }

  std::vector<std::string> paths_;
  bool ok_ = true;
};

TEST_F(WriteFailureTest, ReadOnlyDatabaseRefusesWithUnavailableAndRecovers) {
  // The database and its log turn read-only under the running server. The
  // shared-memory index stays writable: it is mapped, and a write to a
  // mapping of an immutable file would end the process (SIGBUS), which is
  // not the condition tested here.
  auto read_only = std::make_unique<Immutable>(std::vector<std::string>{db_, db_ + "-wal"});
  ASSERT_TRUE(read_only->ok()) << "cannot make the database immutable (chattr +i): the test "
                                  "needs root and ext4, xfs or tmpfs";

  std::vector<v1::Report> refused = Fresh(1);
  {
    v1::SubmitReportResponse response;
    const grpc::Status status = client_->Submit(refused.front(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr("could not write"));
    EXPECT_THAT(status.error_message(), HasSubstr("retry"));
    std::cout << "read-only: " << status.error_message() << "\n";
  }
  ExpectAStreamRefusedWhole(refused);
  ExpectServingAcknowledgedOnly();

  // Writable again.
  read_only.reset();
  EXPECT_TRUE(CheckStore(db_, ledger_).empty()) << "refused reports were stored";
  ExpectRetriesAcceptedAndEverythingStored(refused);
}

// A database that cannot be written when the server starts: SQLite would
// open it read-only, so the server refuses to start, naming it, instead of
// refusing every report until restarted; once writable it starts.
TEST(CrashTest, ReadOnlyDatabaseAtStartIsRefusedNamingIt) {
  TempDir dir;
  const std::string db = dir.path() + "/inrapport.db";
  {
    std::unique_ptr<ServerProcess> server = ServerProcess::Start(db);
    ASSERT_NE(server, nullptr);
    {
      Client client(server->grpc_address());
      ASSERT_TRUE(client.CreateDuty().ok());
    }
    ASSERT_EQ(server->Terminate(), 0) << server->Log();
  }
  {
    Immutable read_only({db});
    ASSERT_TRUE(read_only.ok()) << "cannot make the database immutable (chattr +i): the test "
                                   "needs root and ext4, xfs or tmpfs";
    int status = 0;
    const std::string log = testing::RunServerExpectingFailure(db, {}, &status);
    ASSERT_TRUE(WIFEXITED(status)) << log;
    EXPECT_EQ(WEXITSTATUS(status), 1) << log;
    EXPECT_THAT(log, HasSubstr("event=start_failed"));
    EXPECT_THAT(log, HasSubstr(db));
    EXPECT_THAT(log, HasSubstr("cannot be written"));
  }
  std::unique_ptr<ServerProcess> server = ServerProcess::Start(db);
  ASSERT_NE(server, nullptr);
  Client client(server->grpc_address());
  std::mt19937_64 rng(Seed());
  v1::SubmitReportResponse response;
  const grpc::Status status = client.Submit(MakeReport("after", rng), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

// Copies the database with SQLite's online backup API, as
// `sqlite3 DB ".backup COPY"` does: one consistent snapshot.
void OnlineBackup(const std::string& from, const std::string& to) {
  sqlite3* source = nullptr;
  sqlite3* copy = nullptr;
  ASSERT_EQ(sqlite3_open_v2(from.c_str(), &source, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_open_v2(to.c_str(), &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr),
            SQLITE_OK);
  sqlite3_backup* backup = sqlite3_backup_init(copy, "main", source, "main");
  ASSERT_NE(backup, nullptr) << sqlite3_errmsg(copy);
  const int step = sqlite3_backup_step(backup, -1);
  EXPECT_EQ(step, SQLITE_DONE) << sqlite3_errstr(step);
  EXPECT_EQ(sqlite3_backup_finish(backup), SQLITE_OK) << sqlite3_errmsg(copy);
  sqlite3_close(copy);
  sqlite3_close(source);
}

TEST(CrashTest, OnlineBackupWhileReportsArriveIsConsistent) {
  const uint64_t seed = Seed();
  SCOPED_TRACE("INRAPPORT_CRASH_SEED=" + std::to_string(seed));
  TempDir dir;
  const std::string db = dir.path() + "/inrapport.db";
  const std::string copy = dir.path() + "/backup.db";
  std::unique_ptr<ServerProcess> server = ServerProcess::Start(db);
  ASSERT_NE(server, nullptr);
  {
    Client client(server->grpc_address());
    ASSERT_TRUE(client.CreateDuty().ok());
  }

  Ledger ledger;
  std::set<std::string> acked_before_backup;
  {
    Load load(server->grpc_address(), &ledger, "b", seed);
    auto wait_for = [&](size_t acked) {
      const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (ledger.acked_count() < acked && std::chrono::steady_clock::now() < limit) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      return ledger.acked_count() >= acked;
    };
    ASSERT_TRUE(wait_for(2000)) << server->Log();
    acked_before_backup = ledger.acked();
    OnlineBackup(db, copy);
    // Reports keep arriving after the snapshot.
    ASSERT_TRUE(wait_for(ledger.acked_count() + 2000));
    load.Stop();
    EXPECT_EQ(load.failed_calls(), 0);
  }
  for (const std::string& what : ledger.unexpected()) ADD_FAILURE() << "fresh report: " << what;
  EXPECT_TRUE(ledger.Unacknowledged().empty());
  {
    Client client(server->grpc_address());
    ExpectTotalsEqualSent(client, ledger);
  }

  // The copy is sound, holds everything acknowledged before the backup
  // began, and only reports that were sent.
  std::pair<int64_t, int64_t> copied;
  {
    Database backup(copy);
    EXPECT_EQ(backup.IntegrityCheck(), "ok");
    int64_t missing = 0;
    const std::map<std::string, v1::Report> sent = ledger.sent();
    for (const std::string& id : acked_before_backup) missing += backup.Count(sent.at(id)) != 1;
    EXPECT_EQ(missing, 0) << "reports acknowledged before the backup are not in it";
    copied = backup.ReportTotals();
    EXPECT_GE(copied.first, static_cast<int64_t>(acked_before_backup.size()));
    EXPECT_LT(copied.first, ledger.SentTotals().first) << "the copy is not a snapshot";
  }

  // A server started on the copy serves exactly what the copy holds.
  std::unique_ptr<ServerProcess> restored = ServerProcess::Start(copy);
  ASSERT_NE(restored, nullptr);
  const v1::BurdenRow totals = Client(restored->grpc_address()).Totals();
  EXPECT_EQ(totals.reports(), copied.first);
  EXPECT_EQ(totals.minutes(), copied.second);
  std::cout << "backup holds " << copied.first << " of " << ledger.SentTotals().first
            << " reports (" << acked_before_backup.size()
            << " acknowledged when it began)\n";
  EXPECT_EQ(restored->Terminate(), 0);
  EXPECT_EQ(server->Terminate(), 0);
}

}  // namespace
}  // namespace inrapport
