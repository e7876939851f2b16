#include "tests/support/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
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

int PortFromLog(const std::string& log, const std::string& service, bool loading = false) {
  const std::regex pattern(loading ? "event=loading [^\\n]*" + service + "_address=[^ \\n]*:([0-9]+)"
                                   : "event=listening service=" + service +
                                         " address=[^ \\n]*:([0-9]+)");
  std::smatch match;
  if (!std::regex_search(log, match, pattern)) return 0;
  return std::stoi(match[1]);
}

// Whether this binary, and so the server built beside it, is instrumented.
constexpr bool kSanitized =
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
    true;
#else
    false;
#endif
#else
    false;
#endif

}  // namespace

absl::Duration TestTimeout(absl::Duration plain) { return kSanitized ? plain * 4 : plain; }

std::string ServerBinary() { return INRAPPORTD_PATH; }

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::string& db,
                                                    std::vector<std::string> extra_args,
                                                    int max_descriptors) {
  return AwaitPorts(Spawn(db, std::move(extra_args), max_descriptors), /*loading=*/false);
}

std::unique_ptr<ServerProcess> ServerProcess::StartLoading(const std::string& db,
                                                           std::vector<std::string> extra_args) {
  return AwaitPorts(Spawn(db, std::move(extra_args), 0), /*loading=*/true);
}

std::unique_ptr<ServerProcess> ServerProcess::AwaitPorts(std::unique_ptr<ServerProcess> server,
                                                         bool loading) {
  if (server == nullptr) return nullptr;
  const absl::Duration timeout = TestTimeout(absl::Seconds(30));
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    const std::string log = server->Log();
    server->grpc_port_ = PortFromLog(log, "grpc", loading);
    server->metrics_port_ = PortFromLog(log, "metrics", loading);
    // With an HTTP face, its line comes last: a test reads its port from
    // the log as soon as Start returns.
    const bool wants_http = !loading && log.find(" http_listen=") != std::string::npos &&
                            log.find(" http_listen=\"\"") == std::string::npos;
    if (server->grpc_port_ != 0 && server->metrics_port_ != 0 &&
        (!wants_http || PortFromLog(log, "http") != 0)) {
      return server;
    }
    int status;
    if (waitpid(server->pid_, &status, WNOHANG) == server->pid_) {
      server->pid_ = -1;
      server->JoinReader();
      ADD_FAILURE() << "inrapportd exited during start-up:\n" << server->Log();
      return nullptr;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  // Killed and reaped here, so that the log shows all it wrote.
  server->Kill();
  ADD_FAILURE() << "inrapportd did not log its ports within " << absl::FormatDuration(timeout)
                << ":\n"
                << server->Log();
  return nullptr;
}

std::unique_ptr<ServerProcess> ServerProcess::Spawn(const std::string& db,
                                                    std::vector<std::string> extra_args,
                                                    int max_descriptors) {
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
    if (max_descriptors > 0) {
      const rlimit limit{static_cast<rlim_t>(max_descriptors),
                         static_cast<rlim_t>(max_descriptors)};
      setrlimit(RLIMIT_NOFILE, &limit);  // async-signal-safe
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  server->stderr_fd_ = pipe_fds[0];
  // Drain stderr for the server's whole life, so it never blocks on a full
  // pipe. Polls, so that JoinReader can stop it if the end of file never
  // comes.
  ServerProcess* raw = server.get();
  server->reader_ = std::thread([raw] {
    char buffer[4096];
    while (true) {
      {
        absl::MutexLock lock(&raw->mu_);
        if (raw->stop_reading_) break;
      }
      pollfd readable{raw->stderr_fd_, POLLIN, 0};
      const int ready = poll(&readable, 1, 100);
      if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
      const ssize_t n = read(raw->stderr_fd_, buffer, sizeof(buffer));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      absl::MutexLock lock(&raw->mu_);
      raw->log_.append(buffer, static_cast<size_t>(n));
    }
    absl::MutexLock lock(&raw->mu_);
    raw->reader_done_ = true;
  });
  return server;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
  JoinReader();
  if (stderr_fd_ >= 0) close(stderr_fd_);
}

void ServerProcess::CloseLog() {
  {
    absl::MutexLock lock(&mu_);
    stop_reading_ = true;
  }
  JoinReader();
  if (stderr_fd_ >= 0) close(stderr_fd_);
  stderr_fd_ = -1;
}

void ServerProcess::JoinReader() {
  if (!reader_.joinable()) return;
  {
    absl::MutexLock lock(&mu_);
    const auto done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return reader_done_; };
    if (!mu_.AwaitWithTimeout(absl::Condition(&done), TestTimeout(absl::Seconds(10)))) {
      // Another process holds the pipe's write end (a child that inherited
      // it): what the server wrote is read; stop waiting for the rest.
      stop_reading_ = true;
    }
  }
  reader_.join();
}

int ServerProcess::Wait() {
  if (pid_ <= 0) return -1;
  int status = 0;
  const absl::Duration timeout = TestTimeout(absl::Seconds(60));
  const absl::Time deadline = absl::Now() + timeout;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (absl::Now() > deadline) {
      ADD_FAILURE() << "inrapportd (pid " << pid_ << ") did not exit within "
                    << absl::FormatDuration(timeout) << "; killed it:\n"
                    << Log();
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  pid_ = -1;
  JoinReader();
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

bool ServerProcess::WaitForLog(const std::string& text) const {
  absl::MutexLock lock(&mu_);
  auto logged = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return log_.find(text) != std::string::npos;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&logged), TestTimeout(absl::Seconds(5)));
}

std::string RunServerExpectingFailure(const std::string& db,
                                      std::vector<std::string> extra_args,
                                      int* exit_status) {
  std::unique_ptr<ServerProcess> server = ServerProcess::Spawn(db, std::move(extra_args));
  if (server == nullptr) return "";
  const absl::Duration timeout = TestTimeout(absl::Seconds(30));
  const absl::Time deadline = absl::Now() + timeout;
  int status = 0;
  while (waitpid(server->pid_, &status, WNOHANG) != server->pid_) {
    if (absl::Now() > deadline) {
      server->Kill();
      ADD_FAILURE() << "inrapportd did not exit within " << absl::FormatDuration(timeout)
                    << ":\n"
                    << server->Log();
      return server->Log();
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  server->pid_ = -1;
  server->JoinReader();
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
  return HttpRequest(port, "GET", path).body;
}

HttpResponse HttpRequest(int port, const std::string& method, const std::string& path,
                         const std::string& body, const std::string& authorization) {
  HttpResponse answer;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return answer;
  const absl::Duration timeout = TestTimeout(absl::Seconds(30));
  const timeval limit = absl::ToTimeval(timeout);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                          "Connection: close\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n";
    if (!body.empty()) request += "Content-Type: application/json\r\n";
    if (!authorization.empty()) request += "Authorization: " + authorization + "\r\n";
    request += "\r\n" + body;
    size_t sent = 0;
    while (sent < request.size()) {
      const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    char buffer[8192];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof(buffer))) > 0) response.append(buffer, n);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // A server that accepts and then stalls fails the call, not the run.
      ADD_FAILURE() << method << " 127.0.0.1:" << port << path
                    << ": no complete answer within " << absl::FormatDuration(timeout);
      response.clear();
    }
  }
  close(fd);
  const size_t end = response.find("\r\n\r\n");
  if (end == std::string::npos || response.compare(0, 9, "HTTP/1.1 ") != 0) return answer;
  answer.status = std::atoi(response.c_str() + 9);
  answer.headers = response.substr(0, end);
  answer.body = response.substr(end + 4);
  return answer;
}

ShellResult RunShell(const std::string& command) {
  ShellResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

int ListeningPort(const std::string& log, const std::string& service) {
  const std::string marker = "event=listening service=" + service + " address=";
  const size_t at = log.find(marker);
  if (at == std::string::npos) return 0;
  const size_t colon = log.find(':', at + marker.size());
  return colon == std::string::npos ? 0 : std::atoi(log.c_str() + colon + 1);
}

}  // namespace inrapport::testing
