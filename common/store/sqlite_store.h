// The embedded default store: one SQLite file in WAL mode.
#ifndef INRAPPORT_COMMON_STORE_SQLITE_STORE_H_
#define INRAPPORT_COMMON_STORE_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/store/store.h"

namespace inrapport {

struct SqliteStoreOptions {
  std::string path;  // the database file; created if missing
  // Most reports one commit takes; more wait for the next commit.
  int max_reports_per_commit = 4096;
  // How long a write waits for a lock held by another process before the
  // batch fails with UNAVAILABLE.
  int busy_timeout_ms = 5000;
  // Page cache of the write connection, in KiB. The writer's inserts land
  // all over the tables; a cache that holds their upper levels and hot
  // leaves saves a read per row.
  int write_cache_kib = 32 * 1024;
  // Write-ahead log checkpoints run on a background connection, never inside
  // a commit: a passive one (which never blocks the writer) after
  // `checkpoint_pages` new log pages, and, once the log holds
  // `wal_limit_pages`, one that waits for a pause between commits to start
  // the log afresh, which bounds it (its file is then cut back to that size).
  int checkpoint_pages = 4096;
  int wal_limit_pages = 32768;
};

// Opens (creating or migrating) the database. UNAVAILABLE if the file cannot
// be opened or written; FAILED_PRECONDITION if it is not an inrapport
// database or has a newer schema.
absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(
    const SqliteStoreOptions& options);

// The SQLite library's version, e.g. "3.40.1".
std::string SqliteVersion();

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_STORE_SQLITE_STORE_H_
