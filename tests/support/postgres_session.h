// A PostgreSQL session of a test's own on a test database, for what another
// client does meanwhile (holds a lock, reads what a replica wrote).
#ifndef INRAPPORT_TESTS_SUPPORT_POSTGRES_SESSION_H_
#define INRAPPORT_TESTS_SUPPORT_POSTGRES_SESSION_H_

#include <libpq-fe.h>

#include <string>

namespace inrapport::testing {

class PostgresSession {
 public:
  explicit PostgresSession(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {}
  ~PostgresSession() { PQfinish(conn_); }
  PostgresSession(const PostgresSession&) = delete;
  PostgresSession& operator=(const PostgresSession&) = delete;

  // Whether `sql` succeeded.
  bool Run(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK ||
                    PQresultStatus(result) == PGRES_TUPLES_OK;
    PQclear(result);
    return ok;
  }
  // The first column of the first row, "" if there is none or it failed.
  std::string Value(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    std::string value = PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0
                            ? PQgetvalue(result, 0, 0)
                            : "";
    PQclear(result);
    return value;
  }

 private:
  PGconn* conn_;
};

}  // namespace inrapport::testing

#endif  // INRAPPORT_TESTS_SUPPORT_POSTGRES_SESSION_H_
