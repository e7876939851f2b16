// A temporary PostgreSQL server for tests: its own data directory under
// /tmp and a free port on 127.0.0.1, started from Debian's binaries
// (/usr/lib/postgresql/<version>/bin) and removed when the tests end, or by
// the next test binary if this one was killed. As root, the server runs as
// the "postgres" user, since it refuses root.
#ifndef INRAPPORT_TESTS_SUPPORT_POSTGRES_SERVER_H_
#define INRAPPORT_TESTS_SUPPORT_POSTGRES_SERVER_H_

#include <memory>
#include <string>

namespace inrapport::testing {

class PostgresServer {
 public:
  // The one server of this test binary, started on first use; null (with the
  // reason in *why) if PostgreSQL is not installed or does not start. Under
  // ctest, INRAPPORT_TEST_POSTGRES_DIR names the server that the whole run
  // shares (tests/support/postgres_fixture.cc), which is used instead.
  static PostgresServer* Shared(std::string* why = nullptr);

  ~PostgresServer();

  // Creates an empty database and returns its postgresql:// URI.
  std::string CreateDatabase();

  // An empty database on the shared server: its URI, or "" with the reason
  // in *why.
  static std::string NewSharedDatabase(std::string* why);

  int port() const { return port_; }

  // The server one ctest run shares (tests/support/postgres_fixture.cc):
  // started in `dir`, which must be reachable by the postgres user, its
  // port written to `dir`/port, left running when this process exits.
  // Stops and replaces one a killed run left in `dir`. "" or the reason.
  static std::string StartForRun(const std::string& dir);
  // Stops the server StartForRun started in `dir` and removes `dir`.
  static void StopForRun(const std::string& dir);

 private:
  PostgresServer() = default;
  std::string Start();  // in a new directory: "" on success, else the reason
  // initdb in dir_, then start on a free port: "" or the reason.
  std::string Launch();
  // Uses the running server whose port is in `dir`/port: "" or the reason.
  std::string UseRunning(const std::string& dir);
  // pg_ctl stop -m immediate on dir_, if a postmaster runs there.
  void StopPostmaster();

  std::string bin_;
  std::string dir_;
  int port_ = 0;
  bool as_postgres_user_ = false;
  bool running_ = false;
  bool owned_ = true;  // started (and so stopped) by this process
  int databases_ = 0;
};

}  // namespace inrapport::testing

#endif  // INRAPPORT_TESTS_SUPPORT_POSTGRES_SERVER_H_
