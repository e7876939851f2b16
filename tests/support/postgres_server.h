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
  // shares (tests/support/postgres-fixture.sh), which is used instead.
  static PostgresServer* Shared(std::string* why = nullptr);

  ~PostgresServer();

  // Creates an empty database and returns its postgresql:// URI.
  std::string CreateDatabase();

  // An empty database on the shared server: its URI, or "" with the reason
  // in *why.
  static std::string NewSharedDatabase(std::string* why);

  int port() const { return port_; }

 private:
  PostgresServer() = default;
  std::string Start();  // "" on success, else the reason
  // Uses the running server whose port is in `dir`/port: "" or the reason.
  std::string UseRunning(const std::string& dir);
  // pg_ctl stop -m immediate on this directory, if a postmaster runs there.
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
