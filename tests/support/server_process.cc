#include "tests/support/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

#ifndef INRAPPORTD_PATH
#error "INRAPPORTD_PATH must name the server binary"
#endif

namespace inrapport::testing {
namespace {

int PortFromLog(const std::string& log, const std::string& service) {
  const std::regex pattern("event=listening service=" + service +
                           " address=[^ \\n]*:([0-9]+)");
  std::smatch match;
  if (!std::regex_search(log, match, pattern)) return 0;
  return std::stoi(match[1]);
}

}  // namespace

std::string ServerBinary() { return INRAPPORTD_PATH; }

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::string& db,
                                                    std::vector<std::string> extra_args) {
  std::unique_ptr<ServerProcess> server = Spawn(db, std::move(extra_args));
  if (server == nullptr) return nullptr;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    const std::string log = server->Log();
    server->grpc_port_ = PortFromLog(log, "grpc");
    server->metrics_port_ = PortFromLog(log, "metrics");
    if (server->grpc_port_ != 0 && server->metrics_port_ != 0) return server;
    int status;
    if (waitpid(server->pid_, &status, WNOHANG) == server->pid_) {
      server->pid_ = -1;
      ADD_FAILURE() << "inrapportd exited during start-up:\n" << log;
      return nullptr;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  ADD_FAILURE() << "inrapportd did not log its ports within 30 s:\n" << server->Log();
  return nullptr;
}

std::unique_ptr<ServerProcess> ServerProcess::Spawn(const std::string& db,
                                                    std::vector<std::string> extra_args) {
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  // Close-on-exec: a server started from another thread at the same moment
  // must not inherit this pipe's write end, or this server's log reader
  // would wait for an end of file that comes only when that one exits.
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe failed";
    return nullptr;
  }
  std::vector<std::string> args = {ServerBinary(), "--listen=127.0.0.1:0",
                                   "--metrics_listen=127.0.0.1:0", "--db=" + db};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  // Built before the fork: between fork and exec the child may only make
  // async-signal-safe calls, and an allocation can deadlock on a lock that
  // another thread of the test held when it forked.
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  server->pid_ = fork();
  if (server->pid_ == 0) {
    dup2(pipe_fds[1], STDERR_FILENO);  // the duplicate is not close-on-exec
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  server->stderr_fd_ = pipe_fds[0];
  // Drain stderr for the server's whole life, so it never blocks on a full pipe.
  ServerProcess* raw = server.get();
  server->reader_ = std::thread([raw] {
    char buffer[4096];
    ssize_t n;
    while ((n = read(raw->stderr_fd_, buffer, sizeof(buffer))) > 0) {
      absl::MutexLock lock(&raw->mu_);
      raw->log_.append(buffer, static_cast<size_t>(n));
    }
  });
  return server;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
  if (reader_.joinable()) reader_.join();
  if (stderr_fd_ >= 0) close(stderr_fd_);
}

int ServerProcess::Wait() {
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (reader_.joinable()) reader_.join();
  return status;
}

int ServerProcess::Terminate() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  return Wait();
}

void ServerProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  Wait();
}

std::string ServerProcess::Log() const {
  absl::MutexLock lock(&mu_);
  return log_;
}

std::string RunServerExpectingFailure(const std::string& db,
                                      std::vector<std::string> extra_args,
                                      int* exit_status) {
  std::unique_ptr<ServerProcess> server = ServerProcess::Spawn(db, std::move(extra_args));
  if (server == nullptr) return "";
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  int status = 0;
  while (waitpid(server->pid_, &status, WNOHANG) != server->pid_) {
    if (absl::Now() > deadline) {
      ADD_FAILURE() << "inrapportd did not exit within 30 s:\n" << server->Log();
      server->Kill();
      return server->Log();
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  server->pid_ = -1;
  if (server->reader_.joinable()) server->reader_.join();
  if (exit_status != nullptr) *exit_status = status;
  return server->Log();
}

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "inrapport-test-XXXXXX").string();
  char* made = mkdtemp(pattern.data());
  if (made == nullptr) ADD_FAILURE() << "mkdtemp failed";
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string HttpGet(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    const std::string request = "GET " + path +
                                " HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buffer[8192];
      ssize_t n;
      while ((n = read(fd, buffer, sizeof(buffer))) > 0) response.append(buffer, n);
    }
  }
  close(fd);
  const size_t body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

}  // namespace inrapport::testing
