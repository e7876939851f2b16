// Outside clients that attack the running inrapportd without credentials
// (issue 13): a compression bomb, ping floods and rapid resets, idle and
// half-open connections, exhausted descriptors, slow clients on the
// metrics port, floods of refused calls; and secrets and library lines in
// the log. Raw HTTP/2 clients are tests/integration/hostile/h2_attacks.py
// (python3-h2).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/token_file.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/health_check.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::ServerProcess;

// Runs an attack of h2_attacks.py and returns its `key=value` answer.
std::map<std::string, std::string> Attack(const std::string& command, const std::string& address,
                                          int amount) {
  const std::string line = absl::StrCat("/usr/bin/python3 " INRAPPORT_SOURCE_DIR
                                        "/tests/integration/hostile/h2_attacks.py ",
                                        command, " ", address, " ", amount);
  FILE* pipe = popen(line.c_str(), "r");
  std::string output;
  if (pipe != nullptr) {
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
    const int status = pclose(pipe);
    EXPECT_EQ(status, 0) << line << "\n" << output;
  }
  std::map<std::string, std::string> fields;
  for (absl::string_view field : absl::StrSplit(output, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
    const size_t equals = field.find('=');
    if (equals != absl::string_view::npos) {
      fields[std::string(field.substr(0, equals))] = std::string(field.substr(equals + 1));
    }
  }
  return fields;
}

// A field of /proc/PID/status in kB, e.g. VmHWM (the peak resident size).
int64_t ProcStatusKb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (absl::StartsWith(line, field + ":")) {
      int64_t kb = 0;
      std::vector<std::string> parts = absl::StrSplit(line, ' ', absl::SkipEmpty());
      if (parts.size() >= 2 && absl::SimpleAtoi(parts[1], &kb)) return kb;
    }
  }
  return -1;
}

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// The HTTP/2 client preface and an empty SETTINGS frame: a connection
// that is set up and then makes no call.
void SendPreface(int fd) {
  static const char kPreface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\4\0\0\0\0\0";
  send(fd, kPreface, sizeof(kPreface) - 1, MSG_NOSIGNAL);
}

// Reads and discards until the peer closes; returns how long that took, or
// an infinite duration if it is still open after `limit`.
absl::Duration TimeUntilClosed(int fd, absl::Duration limit) {
  const absl::Time start = absl::Now();
  char buffer[4096];
  while (absl::Now() - start < limit) {
    pollfd readable{fd, POLLIN, 0};
    if (poll(&readable, 1, 50) <= 0) continue;
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) return absl::Now() - start;
  }
  return absl::InfiniteDuration();
}

class HostileClientsTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> args = {}, int max_descriptors = 0) {
    server_ = ServerProcess::Start(dir_.path() + "/inrapport.db", std::move(args), max_descriptors);
    ASSERT_NE(server_, nullptr);
  }
  int grpc_port() const {
    const std::string address = server_->grpc_address();
    return std::stoi(address.substr(address.rfind(':') + 1));
  }

  testing::TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(HostileClientsTest, ACompressionBombIsRefusedBeforeItIsInflated) {
  Start();
  const int64_t before = ProcStatusKb(server_->pid(), "VmHWM");
  ASSERT_GT(before, 0);
  // About 1 MB on the wire that inflates to 1000 MiB.
  std::map<std::string, std::string> answer = Attack("bomb", server_->grpc_address(), 1000);
  const int64_t after = ProcStatusKb(server_->pid(), "VmHWM");
  // UNIMPLEMENTED: gzip is not accepted at all.
  EXPECT_EQ(answer["grpc_status"], "12") << answer["message"];
  EXPECT_LT(after - before, 64 * 1024) << "peak RSS went from " << before << " kB to " << after
                                       << " kB";
  // The server serves on.
  testing::Health health;
  EXPECT_TRUE(testing::CheckHealth(grpc::CreateChannel(server_->grpc_address(),
                                                       grpc::InsecureChannelCredentials()),
                                   &health)
                  .ok());
}

TEST_F(HostileClientsTest, APingFloodIsAnsweredWithGoawayAndTheConnectionClosed) {
  Start();
  std::map<std::string, std::string> answer = Attack("pingflood", server_->grpc_address(), 200);
  EXPECT_EQ(answer["goaway"], "11") << "ENHANCE_YOUR_CALM expected";
  EXPECT_EQ(answer["closed"], "True");
}

TEST_F(HostileClientsTest, ARapidResetFloodEndsInServingAgainOrADeliberateExit) {
  // gRPC 1.51 has no bound of its own on streams reset at once, and a
  // connection that keeps its send buffer full of resets is not ended by
  // its maximum age either (its timer waits behind the flood: such a
  // connection was still open after two minutes on 2 cores). While the
  // server works through the flood, other calls wait, and the listener
  // probe says NOT_SERVING; when that lasts --listener_probe_exit_after, the
  // server exits on purpose (status 3) for its supervisor to restart it. A
  // 20 s flood has ended both ways on 2 shared cores. The proxy in front
  // must bound the rate (docs/security.md). What the server guarantees: it
  // neither hangs nor crashes; it serves again, or it exits saying why.
  Start({"--max_connection_age=2s", "--max_connection_age_grace=1s"});
  const std::map<std::string, std::string> answer =
      Attack("rapidreset", server_->grpc_address(), 20);
  ASSERT_TRUE(answer.count("streams_reset")) << "the attack printed nothing";
  EXPECT_GT(std::stoll(answer.at("streams_reset")), 10000) << "the flood did not run";
  bool serving = false, exited = false;
  for (int attempt = 0; attempt < 120 && !serving && !exited; ++attempt) {
    exited = absl::StrContains(server_->Log(), "event=exiting");
    if (exited) break;
    testing::Health health = testing::Health::kUnknown;
    const grpc::Status status = testing::CheckHealth(
        grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials()),
        &health);
    serving = status.ok() && health == testing::Health::kServing;
    if (!serving) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  ASSERT_TRUE(serving || exited) << "neither serving nor exited after the flood\n"
                                 << server_->Log();
  if (exited) {
    EXPECT_THAT(server_->Log(), ::testing::HasSubstr("event=listener_lost"));
    const int status = server_->Wait();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3) << server_->Log();
  }
}

// A stream that is opened and then neither written nor ended holds its
// call until the connection's maximum age and grace have passed.
TEST_F(HostileClientsTest, AStreamThatNeverEndsIsEndedAtTheConnectionsMaximumAge) {
  Start({"--max_connection_age=1s", "--max_connection_age_grace=1s"});
  auto channel = grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials());
  auto stub = v1::ReportIntake::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  v1::SubmitReportsResponse response;
  const absl::Time start = absl::Now();
  std::unique_ptr<grpc::ClientWriter<v1::SubmitReportsRequest>> writer =
      stub->SubmitReports(&context, &response);
  // No write, no WritesDone: Finish waits for the server to end the call.
  const grpc::Status status = writer->Finish();
  EXPECT_NE(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  EXPECT_FALSE(status.ok());
  EXPECT_LT(absl::Now() - start, absl::Seconds(15));
}

TEST_F(HostileClientsTest, AnIdleConnectionIsClosed) {
  Start({"--max_connection_idle=1s"});
  const int fd = Connect(grpc_port());
  ASSERT_GE(fd, 0);
  SendPreface(fd);
  EXPECT_LT(TimeUntilClosed(fd, absl::Seconds(15)), absl::Seconds(10));
  close(fd);
}

TEST_F(HostileClientsTest, AConnectionThatNeverSendsThePrefaceIsClosed) {
  Start({"--handshake_timeout=1s"});
  const int fd = Connect(grpc_port());
  ASSERT_GE(fd, 0);
  EXPECT_LT(TimeUntilClosed(fd, absl::Seconds(15)), absl::Seconds(10));
  close(fd);
}

TEST_F(HostileClientsTest, TheStartRaisesTheSoftDescriptorLimitToTheHardOne) {
  Start();
  EXPECT_THAT(server_->Log(), HasSubstr("event=descriptor_limit"));
  std::ifstream in("/proc/" + std::to_string(server_->pid()) + "/limits");
  std::string line;
  while (std::getline(in, line) && !absl::StartsWith(line, "Max open files")) {
  }
  std::vector<std::string> parts = absl::StrSplit(line, ' ', absl::SkipEmpty());
  ASSERT_GE(parts.size(), 5u) << line;
  EXPECT_EQ(parts[3], parts[4]) << line;
}

TEST_F(HostileClientsTest, AListenerThatNoLongerAcceptsIsNoticedAndTheServerExits) {
  // 64 descriptors: a few dozen connections exhaust them, and gRPC 1.51
  // gives its listener up.
  Start({"--listener_probe_interval=200ms", "--listener_probe_exit_after=3s"}, 64);
  std::vector<int> connections;
  for (int i = 0; i < 100; ++i) {
    const int fd = Connect(grpc_port());
    if (fd < 0) break;
    SendPreface(fd);
    connections.push_back(fd);
  }
  absl::SleepFor(absl::Seconds(1));
  for (int fd : connections) close(fd);
  // The metrics port answers on: the gauge says the listener is down.
  bool down_seen = false;
  const absl::Time deadline = absl::Now() + testing::TestTimeout(absl::Seconds(20));
  while (!down_seen && absl::Now() < deadline) {
    down_seen = absl::StrContains(testing::HttpGet(server_->metrics_port(), "/metrics"),
                                  "inrapport_grpc_listener_up 0");
    if (!down_seen) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(down_seen);
  const int status = server_->Wait();
  ASSERT_TRUE(WIFEXITED(status)) << server_->Log();
  EXPECT_EQ(WEXITSTATUS(status), 3);
  EXPECT_THAT(server_->Log(), HasSubstr("event=listener_probe_failed"));
  EXPECT_THAT(server_->Log(), HasSubstr("event=listener_lost"));
}

TEST_F(HostileClientsTest, SlowClientsOnTheMetricsPortDoNotStarveScrapes) {
  Start({"--metrics_threads=8", "--metrics_request_timeout=3s"});
  // Six clients that trickle their request headers, a byte a second.
  std::vector<int> slow;
  for (int i = 0; i < 6; ++i) {
    const int fd = Connect(server_->metrics_port());
    ASSERT_GE(fd, 0);
    send(fd, "GET /metrics HTTP/1.1\r\n", 23, MSG_NOSIGNAL);
    slow.push_back(fd);
  }
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    while (!stop) {
      for (int fd : slow) send(fd, "X", 1, MSG_NOSIGNAL);
      absl::SleepFor(absl::Milliseconds(500));
    }
  });
  absl::Duration slowest;
  for (int i = 0; i < 5; ++i) {
    const absl::Time start = absl::Now();
    EXPECT_THAT(testing::HttpGet(server_->metrics_port(), "/metrics"),
                HasSubstr("inrapport_build_info"));
    slowest = std::max(slowest, absl::Now() - start);
    absl::SleepFor(absl::Milliseconds(300));
  }
  stop = true;
  trickle.join();
  for (int fd : slow) close(fd);
  EXPECT_LT(slowest, absl::Seconds(1)) << "slowest scrape " << absl::FormatDuration(slowest);
}

TEST_F(HostileClientsTest, RefusedCallsAreLoggedAtABoundedRateWithASuppressedCount) {
  const std::string tokens = dir_.path() + "/tokens";
  std::ofstream(tokens) << Sha256Hex("token-of-the-administrator") << " admin\n";
  Start({"--tokens_file=" + tokens});
  ASSERT_NE(server_, nullptr);
  auto stub = v1::DutyRegistry::NewStub(
      grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials()));
  const absl::Time start = absl::Now();
  for (int i = 0; i < 1000; ++i) {
    grpc::ClientContext context;
    v1::GetDutyRequest request;
    request.set_id("any");
    v1::ReportingDuty duty;
    ASSERT_EQ(stub->GetDuty(&context, request, &duty).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  const absl::Duration took = absl::Now() - start;
  absl::SleepFor(absl::Milliseconds(1100));
  {
    grpc::ClientContext context;
    v1::GetDutyRequest request;
    v1::ReportingDuty duty;
    stub->GetDuty(&context, request, &duty);
  }
  absl::SleepFor(absl::Milliseconds(200));
  const std::string log = server_->Log();
  int lines = 0;
  int64_t suppressed = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (!absl::StrContains(line, "event=refused")) continue;
    ++lines;
    const size_t at = line.find(" suppressed=");
    if (at != absl::string_view::npos) {
      int64_t n = 0;
      absl::string_view rest = line.substr(at + 12);
      EXPECT_TRUE(absl::SimpleAtoi(rest.substr(0, rest.find(' ')), &n)) << line;
      suppressed += n;
    }
  }
  // 10 lines a second at most, in each second the flood and the last call
  // touched.
  EXPECT_LE(lines, 10 * (absl::ToInt64Seconds(took) + 3)) << log.substr(0, 2000);
  EXPECT_GT(suppressed, 0);
  EXPECT_EQ(lines + suppressed, 1001);
}

TEST_F(HostileClientsTest, GrpcsOwnLinesComeOutInTheConfiguredFormat) {
  // gRPC logs what it does at debug verbosity; every line must still be
  // the server's logfmt.
  setenv("GRPC_VERBOSITY", "debug", 1);
  Start();
  unsetenv("GRPC_VERBOSITY");
  const int fd = Connect(grpc_port());
  ASSERT_GE(fd, 0);
  send(fd, "GET / HTTP/1.1\r\n\r\n", 18, MSG_NOSIGNAL);  // not HTTP/2: an error
  TimeUntilClosed(fd, absl::Seconds(5));
  close(fd);
  server_->Terminate();
  const std::string log = server_->Log();
  EXPECT_THAT(log, HasSubstr("event=grpc "));
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    EXPECT_TRUE(absl::StartsWith(line, "ts=")) << line;
  }
}

TEST_F(HostileClientsTest, ProtobufsOwnLinesComeOutInTheConfiguredFormatAtABoundedRate) {
  // A proto3 string that is not UTF-8: protobuf logs an error as it parses
  // it, before any credentials are looked at.
  Start();
  grpc::GenericStub generic(
      grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials()));
  const std::string bad = std::string("\x0a\x02\xff\xfe", 4);  // GetDutyRequest{id: "\xff\xfe"}
  for (int i = 0; i < 200; ++i) {
    grpc::Slice slice(bad);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    generic.UnaryCall(&context, "/inrapport.v1.DutyRegistry/GetDuty", grpc::StubOptions(),
                      &request, &response, [&](grpc::Status) {
                        std::lock_guard<std::mutex> lock(mu);
                        done = true;
                        cv.notify_one();
                      });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
  }
  server_->Terminate();
  const std::string log = server_->Log();
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    EXPECT_TRUE(absl::StartsWith(line, "ts=")) << line;
    if (absl::StrContains(line, "event=protobuf ")) ++lines;
  }
  EXPECT_GT(lines, 0) << log;
  EXPECT_LT(lines, 100) << log.substr(0, 3000);
}

TEST_F(HostileClientsTest, GrpcsOwnErrorLinesAreJsonWithJsonLogs) {
  // An address that is not this machine's: gRPC logs that it cannot bind,
  // and the start fails.
  int status = 0;
  const std::string log = testing::RunServerExpectingFailure(
      dir_.path() + "/inrapport.db",
      {"--log_format=json", "--listen=192.0.2.1:0", "--allow_unauthenticated"}, &status);
  EXPECT_THAT(log, HasSubstr("\"event\":\"grpc\""));
  EXPECT_THAT(log, HasSubstr("\"event\":\"start_failed\""));
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    EXPECT_TRUE(absl::StartsWith(line, "{\"ts\":") && absl::EndsWith(line, "}")) << line;
  }
}

TEST_F(HostileClientsTest, APasswordInTheDatabaseStringIsNeverLogged) {
  for (const std::string& db :
       {std::string("postgresql://u:MARKERPW@127.0.0.1:1/db?connect_timeout=1"),
        std::string("postgresql://u@127.0.0.1:1/db?connect_timeout=1&password=MARKERPW"),
        std::string("postgresql:///db?host=127.0.0.1&port=1&connect_timeout=1&password=MARKERPW"),
        std::string("postgresql://127.0.0.1:1/db?connect_timeout=1&PassWord=MARKERPW"),
        std::string("postgresql://127.0.0.1:1/db?connect_timeout=1&pass%77ord=MARKERPW"),
        std::string("postgresql://u@127.0.0.1:1/db?password=MARKER%zzPW")}) {
    int status = 0;
    const std::string log =
        testing::RunServerExpectingFailure(dir_.path() + "/unused.db", {"--db=" + db}, &status);
    EXPECT_THAT(log, HasSubstr("event=start_failed")) << db;
    EXPECT_THAT(log, HasSubstr("****")) << db;
    EXPECT_THAT(log, Not(HasSubstr("MARKER"))) << log;
  }
}

}  // namespace
}  // namespace inrapport
