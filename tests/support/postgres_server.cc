#include "tests/support/postgres_server.h"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace inrapport::testing {
namespace {

// Debian installs each major version's binaries side by side; the newest wins.
std::string FindBinDir() {
  std::error_code error;
  std::string best;
  int best_version = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    const std::string name = entry.path().filename().string();
    const int version = std::atoi(name.c_str());
    if (version > best_version &&
        std::filesystem::exists(entry.path() / "bin" / "pg_ctl", error)) {
      best_version = version;
      best = (entry.path() / "bin").string();
    }
  }
  return best;
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

constexpr const char* kOwnerFile = "owner.pid";
constexpr const char* kNotInstalled =
    "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl)";

// Stops and removes the servers of test processes that are gone: a test
// killed by ctest's timeout never runs its destructors, and its server,
// detached by pg_ctl, would otherwise run on. Each directory names the
// process that owns it; one without that file is still being set up.
void RemoveOrphans(const std::string& bin, bool as_postgres_user) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/tmp", error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("inrapport-pg-", 0) != 0) continue;
    std::ifstream owner_file(entry.path() / kOwnerFile);
    long owner = 0;
    if (!(owner_file >> owner) || owner <= 0) continue;
    if (kill(static_cast<pid_t>(owner), 0) == 0 || errno != ESRCH) continue;
    const std::string prefix = as_postgres_user ? "runuser -u postgres -- " : "";
    const std::string stop = prefix + bin + "/pg_ctl -D " + Quote((entry.path() / "data").string()) +
                             " -m immediate -w stop >/dev/null 2>&1";
    (void)std::system(stop.c_str());
    std::error_code ignored;
    std::filesystem::remove_all(entry.path(), ignored);
  }
}

}  // namespace

PostgresServer* PostgresServer::Shared(std::string* why) {
  static std::string reason;
  static std::unique_ptr<PostgresServer> server = [] {
    std::unique_ptr<PostgresServer> s(new PostgresServer());
    const char* run_dir = std::getenv("INRAPPORT_TEST_POSTGRES_DIR");
    reason = run_dir != nullptr && *run_dir != '\0' ? s->UseRunning(run_dir) : s->Start();
    if (!reason.empty()) s.reset();
    return s;
  }();
  if (why != nullptr) *why = reason;
  return server.get();
}

std::string PostgresServer::UseRunning(const std::string& dir) {
  owned_ = false;
  std::ifstream port_file(dir + "/port");
  if (!(port_file >> port_) || port_ <= 0) {
    return "the test run's PostgreSQL server is not running (no port in " + dir +
           "/port; see the postgres_server_start test and " + dir + "/server.log)";
  }
  return "";
}

std::string PostgresServer::Start() {
  bin_ = FindBinDir();
  if (bin_.empty()) return kNotInstalled;
  char pattern[] = "/tmp/inrapport-pg-XXXXXX";
  if (mkdtemp(pattern) == nullptr) return "mkdtemp failed";
  dir_ = pattern;
  as_postgres_user_ = geteuid() == 0;
  std::ofstream(dir_ + "/" + kOwnerFile) << getpid() << "\n";
  RemoveOrphans(bin_, as_postgres_user_);
  return Launch();
}

std::string PostgresServer::StartForRun(const std::string& dir) {
  PostgresServer server;
  server.owned_ = false;  // outlives this process, until StopForRun
  server.bin_ = FindBinDir();
  if (server.bin_.empty()) return kNotInstalled;
  server.dir_ = dir;
  server.as_postgres_user_ = geteuid() == 0;
  server.StopPostmaster();  // one a killed run left behind
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  if (!std::filesystem::create_directories(dir, error)) return "cannot create " + dir;
  std::string failure = server.Launch();
  if (!failure.empty()) return failure;
  std::ofstream(dir + "/port") << server.port_ << "\n";
  return "";
}

void PostgresServer::StopForRun(const std::string& dir) {
  PostgresServer server;
  server.owned_ = false;
  server.bin_ = FindBinDir();
  server.dir_ = dir;
  server.as_postgres_user_ = geteuid() == 0;
  if (!server.bin_.empty()) server.StopPostmaster();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

std::string PostgresServer::Launch() {
  if (as_postgres_user_) {
    const passwd* user = getpwnam("postgres");
    if (user == nullptr) return "running as root, and there is no postgres user to run as";
    if (chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0) return "chown failed";
  }
  const std::string prefix = as_postgres_user_ ? "runuser -u postgres -- " : "";
  const std::string data = dir_ + "/data";
  // The tests check behaviour, not the disk: no fsync (initdb -N, and the
  // server's fsync=off) keeps them fast on shared machines. Sessions still
  // commit synchronously.
  const std::string init = prefix + bin_ + "/initdb -N -D " + Quote(data) +
                           " -U inrapport --auth=trust --no-locale -E UTF8 >" +
                           Quote(dir_ + "/initdb.log") + " 2>&1";
  if (std::system(init.c_str()) != 0) return "initdb failed; see " + dir_ + "/initdb.log";
  for (int attempt = 0; attempt < 5 && !running_; ++attempt) {
    port_ = FreePort();
    const std::string start =
        prefix + bin_ + "/pg_ctl -D " + Quote(data) + " -l " + Quote(dir_ + "/server.log") +
        " -w -t 60 -o " +
        Quote("-h 127.0.0.1 -p " + std::to_string(port_) + " -k " + dir_ +
              " -c fsync=off -c full_page_writes=off -c max_connections=200") +
        " start >/dev/null 2>&1";
    running_ = std::system(start.c_str()) == 0;
    // pg_ctl gives up after its timeout, or on a port taken meanwhile, but
    // a postmaster it launched may still be starting: stop it before the
    // next attempt, or before the directory is removed under it.
    if (!running_) StopPostmaster();
  }
  if (!running_) return "pg_ctl start failed; see " + dir_ + "/server.log";
  return "";
}

void PostgresServer::StopPostmaster() {
  std::error_code ignored;
  if (!std::filesystem::exists(dir_ + "/data/postmaster.pid", ignored)) return;
  const std::string prefix = as_postgres_user_ ? "runuser -u postgres -- " : "";
  const std::string stop = prefix + bin_ + "/pg_ctl -D " + Quote(dir_ + "/data") +
                           " -m immediate -w -t 60 stop >/dev/null 2>&1";
  (void)std::system(stop.c_str());
}

PostgresServer::~PostgresServer() {
  if (!owned_) return;  // the run's server: its fixture stops it
  StopPostmaster();
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

std::string PostgresServer::NewSharedDatabase(std::string* why) {
  PostgresServer* server = Shared(why);
  if (server == nullptr) return "";
  std::string uri = server->CreateDatabase();
  if (uri.empty()) *why = "cannot create a database on the test PostgreSQL server";
  return uri;
}

std::string PostgresServer::CreateDatabase() {
  const std::string base =
      "postgresql://inrapport@127.0.0.1:" + std::to_string(port_) + "/";
  const std::string name =
      "test_" + std::to_string(getpid()) + "_" + std::to_string(++databases_);
  PGconn* conn = PQconnectdb((base + "postgres").c_str());
  PGresult* result = PQexec(conn, ("CREATE DATABASE " + name).c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  PQfinish(conn);
  return ok ? base + name : "";
}

}  // namespace inrapport::testing
