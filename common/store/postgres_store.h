// The shared store: one PostgreSQL database that any number of inrapportd
// replicas use at once (docs/postgresql.md).
#ifndef INRAPPORT_COMMON_STORE_POSTGRES_STORE_H_
#define INRAPPORT_COMMON_STORE_POSTGRES_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/store/store.h"

namespace inrapport {

struct PostgresStoreOptions {
  // A libpq connection URI, "postgresql://user@host:port/database?...".
  std::string uri;
  // Most reports one commit takes; more wait for the next commit.
  int max_reports_per_commit = 4096;
  // How long a write waits for a lock held by another session (another
  // replica's transaction, a maintenance command) before the batch fails
  // with UNAVAILABLE; as SQLite's busy timeout.
  int lock_timeout_ms = 5000;
  // How long a starting replica waits for the migration lock while another
  // replica migrates the schema (a migration may rewrite large tables)
  // before the start fails with UNAVAILABLE. The migration's own statements
  // obey lock_timeout_ms, so a migration never queues the running replicas'
  // writes behind it for longer than that.
  int migration_wait_ms = 600000;
  // Longest a change feed read (ReadChanges) may run before it fails with
  // UNAVAILABLE: a read blocked by a lock or a stalled server must not hold
  // back the acknowledgements that wait for the feed. The next read
  // continues where the last good one stopped.
  int feed_read_timeout_ms = 30000;
};

// Connects, and creates or migrates the schema (serialised between replicas
// that start together by an advisory lock, waited for up to
// migration_wait_ms). UNAVAILABLE if the server cannot be reached or the
// lock is not granted in time; FAILED_PRECONDITION if the database has a
// newer schema. A connection lost later (the server restarted or failed
// over) is re-established by the next write or read: a read is retried once
// on it, a batch up to 5 times in all. Unless the URI says otherwise, a connect gives up after 10 s, and
// TCP keepalives end a session whose server has gone silent within about
// 30 s. The store is shared (IsShared) and has a change feed (ReadChanges).
absl::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(
    const PostgresStoreOptions& options);

// Whether --db names a PostgreSQL database ("postgresql://" or
// "postgres://") rather than a SQLite file.
bool IsPostgresUri(absl::string_view db);

// The URI with any password replaced by "****", for logs: every form
// RedactedConnectionString (common/base/redaction.h) knows.
std::string RedactedUri(absl::string_view uri);

// The libpq version, e.g. "15.18".
std::string LibpqVersion();

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_STORE_POSTGRES_STORE_H_
