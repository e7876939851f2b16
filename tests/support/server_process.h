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

namespace inrapport::testing {

class ServerProcess {
 public:
  // Starts `binary` with --listen 127.0.0.1:0 --metrics_listen 127.0.0.1:0
  // --db `db` and `extra_args`; returns once both ports are logged. Fails
  // the test (and returns null) if the server does not come up in 30 s.
  static std::unique_ptr<ServerProcess> Start(const std::string& db,
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
  // Waits for the process to exit; returns the status as waitpid reports it.
  int Wait();

  // Everything the server wrote to stderr so far.
  std::string Log() const;

 private:
  friend std::string RunServerExpectingFailure(const std::string&, std::vector<std::string>,
                                               int*);
  ServerProcess() = default;
  // Forks and execs the server with its stderr drained into log_.
  static std::unique_ptr<ServerProcess> Spawn(const std::string& db,
                                              std::vector<std::string> extra_args);

  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  int grpc_port_ = 0;
  int metrics_port_ = 0;
  std::thread reader_;
  mutable absl::Mutex mu_;
  std::string log_ ABSL_GUARDED_BY(mu_);
};

// Runs inrapportd with the same arguments as ServerProcess::Start, for a
// start that must fail: waits for it to exit (killing it after 30 s, which
// fails the test) and returns what it wrote to stderr; *exit_status is the
// status as waitpid reports it.
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

// GET http://127.0.0.1:port/path, the body ("" on failure).
std::string HttpGet(int port, const std::string& path);

// Path of the inrapportd binary under test (set by CMake).
std::string ServerBinary();

}  // namespace inrapport::testing

#endif  // INRAPPORT_TESTS_SUPPORT_SERVER_PROCESS_H_
