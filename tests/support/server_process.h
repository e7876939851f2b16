// Runs the real inrapportd binary as a child process for integration tests:
// ports chosen by the server (port 0) and read back from its log.
#ifndef INRAPPORT_TESTS_SUPPORT_SERVER_PROCESS_H_
#define INRAPPORT_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace inrapport::testing {

// `plain` for an ordinary build; four times as long when built with a
// sanitizer, whose servers start and answer several times slower (more so
// on a loaded machine). Every wait of the test support is bounded by one.
absl::Duration TestTimeout(absl::Duration plain);

class ServerProcess {
 public:
  // Starts `binary` with --listen 127.0.0.1:0 --metrics_listen 127.0.0.1:0
  // --db `db` and `extra_args`; returns once both ports are logged. Fails
  // the test (and returns null, the server killed) if the server does not
  // come up within TestTimeout(30 s). A `max_descriptors` above 0 is the
  // server's RLIMIT_NOFILE (soft and hard), set in the child before exec.
  static std::unique_ptr<ServerProcess> Start(const std::string& db,
                                              std::vector<std::string> extra_args = {},
                                              int max_descriptors = 0);
  // As Start, but returns once the server logs that its ports answer while
  // it loads the stored reports (event=loading; health NOT_SERVING), before
  // it serves.
  static std::unique_ptr<ServerProcess> StartLoading(const std::string& db,
                                                     std::vector<std::string> extra_args = {});
  ~ServerProcess();

  std::string grpc_address() const { return "127.0.0.1:" + std::to_string(grpc_port_); }
  int metrics_port() const { return metrics_port_; }
  // The server's process id while it runs; -1 once it has been waited for.
  pid_t pid() const { return pid_; }

  // SIGTERM and wait; returns the exit status as waitpid reports it.
  int Terminate();
  // SIGKILL and wait: no chance to flush or clean up.
  void Kill();
  // Sends `signal` and returns at once; Wait() collects the exit status.
  void Signal(int signal);
  // Waits for the process to exit; returns the status as waitpid reports it
  // (-1 if it was already waited for). A process still running after
  // TestTimeout(60 s) fails the test and is killed.
  int Wait();

  // Everything the server wrote to stderr so far.
  std::string Log() const;
  // Waits until the log holds `text`: a server logs some events after it
  // has answered the call that caused them. False after TestTimeout(5 s).
  bool WaitForLog(const std::string& text) const;
  // Stops reading the server's stderr and closes the pipe's read end, as a
  // log collector that goes away would: the server's next log line meets a
  // pipe without a reader. Log() keeps what was read before.
  void CloseLog();

 private:
  friend std::string RunServerExpectingFailure(const std::string&, std::vector<std::string>,
                                               int*);
  ServerProcess() = default;
  // Waits for the ports in the log of the spawned `server`: the listening
  // lines, or with `loading` the loading line.
  static std::unique_ptr<ServerProcess> AwaitPorts(std::unique_ptr<ServerProcess> server,
                                                    bool loading);
  // Forks and execs the server with its stderr drained into log_.
  static std::unique_ptr<ServerProcess> Spawn(const std::string& db,
                                              std::vector<std::string> extra_args,
                                              int max_descriptors = 0);
  // Waits for the log reader to see the end of the pipe, which comes when
  // the (reaped) server's write end is closed; stops it after a bound if
  // another process still holds that end.
  void JoinReader();

  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  int grpc_port_ = 0;
  int metrics_port_ = 0;
  std::thread reader_;
  mutable absl::Mutex mu_;
  std::string log_ ABSL_GUARDED_BY(mu_);
  bool reader_done_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_reading_ ABSL_GUARDED_BY(mu_) = false;
};

// Runs inrapportd with the same arguments as ServerProcess::Start, for a
// start that must fail: waits for it to exit (killing it after
// TestTimeout(30 s), which fails the test) and returns what it wrote to
// stderr; *exit_status is the status as waitpid reports it.
std::string RunServerExpectingFailure(const std::string& db,
                                      std::vector<std::string> extra_args,
                                      int* exit_status = nullptr);

// A fresh temporary directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// GET http://127.0.0.1:port/path, the body ("" on failure, also when the
// server does not answer within TestTimeout(10 s)).
std::string HttpGet(int port, const std::string& path);

// One HTTP/1.1 request to 127.0.0.1:port, answered in full (the connection
// closes after it): the status (0 on failure), the headers and the body.
struct HttpResponse {
  int status = 0;
  std::string headers;
  std::string body;
};
HttpResponse HttpRequest(int port, const std::string& method, const std::string& path,
                         const std::string& body = "", const std::string& authorization = "");

// Runs `command` in a shell: its exit status (-1 if it did not exit) and
// its standard output.
struct ShellResult {
  int exit_code = -1;
  std::string output;
};
ShellResult RunShell(const std::string& command);

// The port of `service` ("http") from a server's "event=listening" log line;
// 0 if there is none.
int ListeningPort(const std::string& log, const std::string& service);

// Path of the inrapportd binary under test (set by CMake).
std::string ServerBinary();

}  // namespace inrapport::testing

#endif  // INRAPPORT_TESTS_SUPPORT_SERVER_PROCESS_H_
