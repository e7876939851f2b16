// The SQLite store.
//
// Durability: the database runs in WAL mode with synchronous=FULL, so COMMIT
// returns only after the log is fsync'ed. A report is acknowledged only after
// the COMMIT that wrote it, so every acknowledged report survives a crash or
// a kill -9.
//
// Group commit (write_pipeline.h): the pipeline's one writer thread owns the
// write connection and writes each batch in one transaction, one fsync. Duty
// and use writes (and the lifecycle's answers and decisions) run on it too,
// alone between two commits.
//
// Layout: reports are appended in arrival order (a rowid table), so a
// commit's reports fill a few pages at the end; the duplicate check uses a
// narrow unique index of (municipality, submission id). A commit writes the
// reports and nothing else: an acknowledgement waits for the durable record
// only.
//
// The burden and answer cells are not stored: they are derived from the
// reports, and kept in memory with a snapshot file beside the database
// (common/aggregates); a start without a usable snapshot reads the reports
// in arrival order. ForEachBurdenCell and ForEachAnswerCell compute the
// cells from the reports when asked.
//
// Reads use a second connection; WAL lets them run beside the writer.
//
// Checkpoints: SQLite would copy the log back into the database inside the
// COMMIT that crosses its threshold, on the writer and in the callers' wait.
// The writer disables that; a checkpoint thread with its own connection
// copies passively beside the writer. At its limit the writer restarts the
// log itself between two commits: a short pause, as the passive checkpoints
// have copied most of it.
#include "common/store/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"
#include "common/store/write_pipeline.h"

namespace inrapport {
namespace {

// Schema migrations, applied in order; PRAGMA user_version counts the ones
// applied. Append new ones; never edit one that has shipped.
constexpr const char* kMigrations[] = {
    // 1: duties, reports and the burden cells kept beside them.
    R"sql(
    CREATE TABLE duties (
      id TEXT PRIMARY KEY,
      agency_id TEXT NOT NULL,
      title TEXT NOT NULL,
      legal_basis TEXT NOT NULL,
      purpose TEXT NOT NULL,
      sector INTEGER NOT NULL,
      frequency INTEGER NOT NULL,
      data_items TEXT NOT NULL,
      targeted_grant TEXT NOT NULL,
      estimated_minutes_per_report REAL NOT NULL,
      valid_from TEXT NOT NULL,
      valid_until TEXT NOT NULL,
      source_url TEXT NOT NULL,
      notes TEXT NOT NULL
    );
    CREATE TABLE reports (
      submission_id TEXT PRIMARY KEY,
      municipality_code TEXT NOT NULL,
      duty_id TEXT NOT NULL,
      period TEXT NOT NULL,
      minutes_spent INTEGER NOT NULL,
      staff_count INTEGER NOT NULL,
      usefulness INTEGER NOT NULL,
      feedback_received INTEGER NOT NULL,
      already_reported_elsewhere INTEGER NOT NULL,
      comment TEXT NOT NULL,
      received_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE burden_cells (
      duty_id TEXT NOT NULL,
      municipality_code TEXT NOT NULL,
      period TEXT NOT NULL,
      reports INTEGER NOT NULL,
      minutes INTEGER NOT NULL,
      PRIMARY KEY (duty_id, municipality_code, period)
    ) WITHOUT ROWID;
    )sql",
    // 2: recorded uses of duties' data, and the answer cells kept beside the
    // reports, filled from the reports already stored.
    R"sql(
    CREATE TABLE duty_uses (
      duty_id TEXT NOT NULL,
      use_id TEXT NOT NULL,
      kind INTEGER NOT NULL,
      date TEXT NOT NULL,
      description TEXT NOT NULL,
      link TEXT NOT NULL,
      recorded_at INTEGER NOT NULL,
      PRIMARY KEY (duty_id, use_id)
    ) WITHOUT ROWID;
    CREATE TABLE answer_cells (
      duty_id TEXT NOT NULL,
      minutes INTEGER NOT NULL,
      usefulness INTEGER NOT NULL,
      feedback INTEGER NOT NULL,
      reports INTEGER NOT NULL,
      PRIMARY KEY (duty_id, minutes, usefulness, feedback)
    ) WITHOUT ROWID;
    INSERT INTO answer_cells (duty_id, minutes, usefulness, feedback, reports)
      SELECT duty_id, minutes_spent, usefulness, feedback_received, count(*)
      FROM reports
      GROUP BY duty_id, minutes_spent, usefulness, feedback_received;
    )sql",
    // 3: reports in arrival order, so that the reports of one commit share
    // pages instead of landing on as many pages as they have submission ids;
    // the duplicate check goes through a narrow index of the ids.
    R"sql(
    CREATE TABLE reports_in_arrival_order (
      seq INTEGER PRIMARY KEY,
      submission_id TEXT NOT NULL,
      municipality_code TEXT NOT NULL,
      duty_id TEXT NOT NULL,
      period TEXT NOT NULL,
      minutes_spent INTEGER NOT NULL,
      staff_count INTEGER NOT NULL,
      usefulness INTEGER NOT NULL,
      feedback_received INTEGER NOT NULL,
      already_reported_elsewhere INTEGER NOT NULL,
      comment TEXT NOT NULL,
      received_at INTEGER NOT NULL
    );
    INSERT INTO reports_in_arrival_order (submission_id, municipality_code, duty_id, period,
        minutes_spent, staff_count, usefulness, feedback_received,
        already_reported_elsewhere, comment, received_at)
      SELECT submission_id, municipality_code, duty_id, period, minutes_spent, staff_count,
        usefulness, feedback_received, already_reported_elsewhere, comment, received_at
      FROM reports ORDER BY received_at, submission_id;
    DROP TABLE reports;
    ALTER TABLE reports_in_arrival_order RENAME TO reports;
    CREATE UNIQUE INDEX reports_by_submission_id ON reports (submission_id);
    )sql",
    // 4: the commented reports, newest first per duty and overall, for the
    // comments agencies and the arena read; partial, so reports without a
    // comment cost the write path nothing.
    R"sql(
    CREATE INDEX reports_with_comment_by_duty ON reports (duty_id, seq) WHERE comment <> '';
    CREATE INDEX reports_with_comment ON reports (seq) WHERE comment <> '';
    )sql",
    // 5: every duty's versions: who changed what, when, and the duty as it
    // then stood. A duty registered before has one version of unknown time
    // and author.
    R"sql(
    CREATE TABLE duty_versions (
      id TEXT NOT NULL,
      version INTEGER NOT NULL,
      changed_at INTEGER NOT NULL,
      changed_by TEXT NOT NULL,
      changed_fields TEXT NOT NULL,
      agency_id TEXT NOT NULL,
      title TEXT NOT NULL,
      legal_basis TEXT NOT NULL,
      purpose TEXT NOT NULL,
      sector INTEGER NOT NULL,
      frequency INTEGER NOT NULL,
      data_items TEXT NOT NULL,
      targeted_grant TEXT NOT NULL,
      estimated_minutes_per_report REAL NOT NULL,
      valid_from TEXT NOT NULL,
      valid_until TEXT NOT NULL,
      source_url TEXT NOT NULL,
      notes TEXT NOT NULL,
      PRIMARY KEY (id, version)
    ) WITHOUT ROWID;
    INSERT INTO duty_versions
      SELECT id, 1, 0, '', '', agency_id, title, legal_basis, purpose, sector, frequency,
        data_items, targeted_grant, estimated_minutes_per_report, valid_from, valid_until,
        source_url, notes
      FROM duties;
    )sql",
    // 6: the answer cells also tell the reports that say their data is
    // already reported elsewhere; rebuilt from the reports.
    R"sql(
    DROP TABLE answer_cells;
    CREATE TABLE answer_cells (
      duty_id TEXT NOT NULL,
      minutes INTEGER NOT NULL,
      usefulness INTEGER NOT NULL,
      feedback INTEGER NOT NULL,
      elsewhere INTEGER NOT NULL,
      reports INTEGER NOT NULL,
      PRIMARY KEY (duty_id, minutes, usefulness, feedback, elsewhere)
    ) WITHOUT ROWID;
    INSERT INTO answer_cells (duty_id, minutes, usefulness, feedback, elsewhere, reports)
      SELECT duty_id, minutes_spent, usefulness, feedback_received,
        already_reported_elsewhere, count(*)
      FROM reports
      GROUP BY duty_id, minutes_spent, usefulness, feedback_received,
        already_reported_elsewhere;
    )sql",
    // 7: a use names the periods of data it used; uses recorded before
    // name none.
    R"sql(
    ALTER TABLE duty_uses ADD COLUMN first_period TEXT NOT NULL DEFAULT '';
    ALTER TABLE duty_uses ADD COLUMN last_period TEXT NOT NULL DEFAULT '';
    )sql",
    // 8: the answer cells are kept per period, so that the report-driven
    // flags of a period come from its own answers; rebuilt from the reports.
    R"sql(
    DROP TABLE answer_cells;
    CREATE TABLE answer_cells (
      duty_id TEXT NOT NULL,
      period TEXT NOT NULL,
      minutes INTEGER NOT NULL,
      usefulness INTEGER NOT NULL,
      feedback INTEGER NOT NULL,
      elsewhere INTEGER NOT NULL,
      reports INTEGER NOT NULL,
      PRIMARY KEY (duty_id, period, minutes, usefulness, feedback, elsewhere)
    ) WITHOUT ROWID;
    INSERT INTO answer_cells (duty_id, period, minutes, usefulness, feedback, elsewhere, reports)
      SELECT duty_id, period, minutes_spent, usefulness, feedback_received,
        already_reported_elsewhere, count(*)
      FROM reports
      GROUP BY duty_id, period, minutes_spent, usefulness, feedback_received,
        already_reported_elsewhere;
    )sql",
    // 9: a report may name where its data is already reported; reports
    // stored before name nothing. The partial index serves the arena's
    // overlaps without touching the reports that name nothing.
    R"sql(
    ALTER TABLE reports ADD COLUMN already_reported_where TEXT NOT NULL DEFAULT '';
    CREATE INDEX reports_reported_where ON reports (duty_id, already_reported_where)
      WHERE already_reported_where <> '';
    )sql",
    // 10: a duty may name the municipalities that must report it; duties
    // and versions stored before name none (all municipalities).
    R"sql(
    ALTER TABLE duties ADD COLUMN respondents TEXT NOT NULL DEFAULT '';
    ALTER TABLE duty_versions ADD COLUMN respondents TEXT NOT NULL DEFAULT '';
    )sql",
    // 11: a submission id is unique within its municipality, not across
    // all: one municipality's ids can no longer block another's.
    R"sql(
    DROP INDEX reports_by_submission_id;
    CREATE UNIQUE INDEX reports_by_municipality_and_id ON reports (municipality_code, submission_id);
    )sql",
    // 12: the burden and answer cells are brought up to date after the
    // commits, not in them; this row names the last report they include.
    // The cells stored before include every report.
    R"sql(
    CREATE TABLE cells_mark (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      last_seq INTEGER NOT NULL
    );
    INSERT INTO cells_mark VALUES (1, (SELECT coalesce(max(seq), 0) FROM reports));
    )sql",
    // 13: corrections and withdrawals. A report's row holds its stored
    // version; each version it replaced is kept in report_versions.
    R"sql(
    ALTER TABLE reports ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE reports ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE reports ADD COLUMN reason TEXT NOT NULL DEFAULT '';
    ALTER TABLE reports ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE report_versions (
      municipality_code TEXT NOT NULL,
      submission_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      duty_id TEXT NOT NULL,
      period TEXT NOT NULL,
      minutes_spent INTEGER NOT NULL,
      staff_count INTEGER NOT NULL,
      usefulness INTEGER NOT NULL,
      feedback_received INTEGER NOT NULL,
      already_reported_elsewhere INTEGER NOT NULL,
      comment TEXT NOT NULL,
      already_reported_where TEXT NOT NULL,
      received_at INTEGER NOT NULL,
      changed_at INTEGER NOT NULL,
      reason TEXT NOT NULL,
      PRIMARY KEY (municipality_code, submission_id, version)
    ) WITHOUT ROWID;
    )sql",
    // 14: a duty may state its deadline rule; duties and versions stored
    // before state none.
    R"sql(
    ALTER TABLE duties ADD COLUMN deadline TEXT NOT NULL DEFAULT '';
    ALTER TABLE duty_versions ADD COLUMN deadline TEXT NOT NULL DEFAULT '';
    )sql",
    // 15: each burden cell keeps its earliest receipt, which says whether
    // the period came by its deadline; filled from the reports the cells
    // include (those after the mark come with the next catch-up).
    R"sql(
    ALTER TABLE burden_cells ADD COLUMN first_received INTEGER NOT NULL DEFAULT 0;
    UPDATE burden_cells SET first_received = f.first
      FROM (SELECT duty_id, municipality_code, period, min(received_at) AS first
            FROM reports WHERE withdrawn = 0
               AND seq <= (SELECT last_seq FROM cells_mark WHERE id = 1)
            GROUP BY duty_id, municipality_code, period) AS f
      WHERE f.duty_id = burden_cells.duty_id
        AND f.municipality_code = burden_cells.municipality_code
        AND f.period = burden_cells.period;
    )sql",
    // 16: agencies, registered parties that duties name.
    R"sql(
    CREATE TABLE agencies (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      organisation_number TEXT NOT NULL
    ) WITHOUT ROWID;
    )sql",
    // 17: the duty lifecycle. A duty has a state (DutyState, 3 = in
    // force), a consultation's last day and an expiry; duties and versions
    // stored before are in force with no expiry. A version keeps why the
    // state moved. The municipalities' consultation answers, one per duty
    // and municipality, and the arena's decisions, in the order recorded.
    R"sql(
    ALTER TABLE duties ADD COLUMN state INTEGER NOT NULL DEFAULT 3;
    ALTER TABLE duties ADD COLUMN consultation_until TEXT NOT NULL DEFAULT '';
    ALTER TABLE duties ADD COLUMN expires_on TEXT NOT NULL DEFAULT '';
    ALTER TABLE duty_versions ADD COLUMN state INTEGER NOT NULL DEFAULT 3;
    ALTER TABLE duty_versions ADD COLUMN consultation_until TEXT NOT NULL DEFAULT '';
    ALTER TABLE duty_versions ADD COLUMN expires_on TEXT NOT NULL DEFAULT '';
    ALTER TABLE duty_versions ADD COLUMN reason TEXT NOT NULL DEFAULT '';
    CREATE TABLE consultation_answers (
      duty_id TEXT NOT NULL,
      municipality_code TEXT NOT NULL,
      comment TEXT NOT NULL,
      estimated_minutes REAL NOT NULL,
      elsewhere INTEGER NOT NULL,
      elsewhere_where TEXT NOT NULL,
      answered_at INTEGER NOT NULL,
      answered_by TEXT NOT NULL,
      PRIMARY KEY (duty_id, municipality_code)
    ) WITHOUT ROWID;
    CREATE TABLE duty_decisions (
      seq INTEGER PRIMARY KEY,
      duty_id TEXT NOT NULL,
      kind INTEGER NOT NULL,
      reason TEXT NOT NULL,
      decided_on TEXT NOT NULL,
      decided_by TEXT NOT NULL,
      expires_on TEXT NOT NULL,
      merge_into TEXT NOT NULL,
      forecast_minutes REAL NOT NULL,
      forecast_minutes_low REAL NOT NULL,
      forecast_minutes_high REAL NOT NULL,
      forecast_hours REAL NOT NULL,
      forecast_hours_low REAL NOT NULL,
      forecast_hours_high REAL NOT NULL,
      forecast_agency_estimate INTEGER NOT NULL,
      forecast_basis TEXT NOT NULL,
      recorded_at INTEGER NOT NULL
    );
    )sql",
    // 18: the burden and answer cells are no longer stored: keeping them
    // up to date cost the writer as much as the reports themselves, and the
    // figures in memory are saved in the aggregates snapshot. A start
    // without a usable snapshot computes them from the reports.
    R"sql(
    DROP TABLE burden_cells;
    DROP TABLE answer_cells;
    DROP TABLE cells_mark;
    )sql",
};
constexpr int kSchemaVersion = sizeof(kMigrations) / sizeof(kMigrations[0]);

// Data items are joined with the ASCII unit separator, which validation
// never lets into an item (it is a control character, not text).
constexpr char kItemSeparator = '\x1f';

bool IsWriteFailure(int code) {
  switch (code & 0xff) {
    case SQLITE_FULL: case SQLITE_READONLY: case SQLITE_IOERR: case SQLITE_CANTOPEN:
    case SQLITE_BUSY: case SQLITE_LOCKED: case SQLITE_PERM: case SQLITE_NOMEM:
      return true;
  }
  return false;
}

absl::Status SqliteError(sqlite3* db, int code, absl::string_view what) {
  const std::string message =
      absl::StrCat(what, ": ", db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code));
  if (IsWriteFailure(code)) return absl::UnavailableError(message);
  if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT) {
    return absl::FailedPreconditionError(message);
  }
  return absl::InternalError(message);
}

// A prepared statement, reset on every use.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  absl::Status Prepare(sqlite3* db, const char* sql) {
    db_ = db;
    const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    return rc == SQLITE_OK ? absl::OkStatus() : SqliteError(db, rc, "prepare");
  }
  sqlite3_stmt* get() { return stmt_; }

  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  void Bind(int i, absl::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, int64_t value) { sqlite3_bind_int64(stmt_, i, value); }
  void Bind(int i, double value) { sqlite3_bind_double(stmt_, i, value); }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }

  std::string Text(int column) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return text == nullptr ? std::string()
                           : std::string(text, sqlite3_column_bytes(stmt_, column));
  }
  int64_t Int(int column) { return sqlite3_column_int64(stmt_, column); }
  bool IsNull(int column) { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  double Real(int column) { return sqlite3_column_double(stmt_, column); }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

absl::Status Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return absl::OkStatus();
  absl::Status status = SqliteError(db, rc, error != nullptr ? error : sql);
  sqlite3_free(error);
  return status;
}

// SQLite counts every allocation it makes, under one process-wide mutex,
// unless told otherwise before its first use. Nothing here reads those
// counts (no sqlite3_memory_used, no heap limit), and the writer allocates
// for every row: turning it off saved a tenth of the store's CPU
// (docs/performance.md, "Two libraries' bookkeeping turned off"). Called
// too late, after the process used SQLite before its first store, it
// changes nothing.
void ConfigureSqliteOnce() {
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
}

absl::StatusOr<sqlite3*> OpenConnection(const std::string& path, int busy_timeout_ms) {
  ConfigureSqliteOnce();
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                     SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("cannot open database \"", path, "\": ",
                     db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return db;
}

class SqliteStore : public Store {
 public:
  explicit SqliteStore(SqliteStoreOptions options) : options_(std::move(options)) {}

  ~SqliteStore() override {
    pipeline_.Stop();  // writes and answers everything queued first
    {
      absl::MutexLock lock(&checkpoint_mu_);
      checkpoint_stopping_ = true;
    }
    if (checkpointer_.joinable()) checkpointer_.join();
    sqlite3_close(checkpoint_db_);
    // Statements must be finalised before their connections close.
    write_.reset();
    {
      absl::MutexLock lock(&read_mu_);
      read_.reset();
    }
    sqlite3_close(write_db_);
    sqlite3_close(read_db_);
  }

  absl::Status Open() {
    ASSIGN_OR_RETURN(write_db_, OpenConnection(options_.path, options_.busy_timeout_ms));
    // SQLite opens a file it may not write read-only, without an error. Such
    // a store would refuse every report until restarted (the connection
    // stays read-only after the file turns writable), so it does not start.
    if (sqlite3_db_readonly(write_db_, "main") == 1) {
      return absl::UnavailableError(absl::StrCat(
          "database \"", options_.path,
          "\" cannot be written (a read-only file or file system): make it writable"));
    }
    // A file that is not a database fails on the first read.
    int64_t version = 0;
    {
      Statement pragma;
      RETURN_IF_ERROR(Described(pragma.Prepare(write_db_, "PRAGMA user_version")));
      const int rc = pragma.Step();
      if (rc != SQLITE_ROW) return Described(SqliteError(write_db_, rc, "read schema version"));
      version = pragma.Int(0);
    }
    if (version > kSchemaVersion) {
      return absl::FailedPreconditionError(absl::StrCat(
          "database \"", options_.path, "\" has schema version ", version,
          ", newer than this inrapportd knows (", kSchemaVersion, "): upgrade inrapportd"));
    }
    RETURN_IF_ERROR(Described(Exec(write_db_, "PRAGMA journal_mode=WAL")));
    RETURN_IF_ERROR(Exec(write_db_, "PRAGMA synchronous=FULL"));
    for (int64_t v = version; v < kSchemaVersion; ++v) {
      RETURN_IF_ERROR(Exec(write_db_, "BEGIN IMMEDIATE"));
      absl::Status migrated = Exec(write_db_, kMigrations[v]);
      if (migrated.ok()) {
        migrated = Exec(write_db_, absl::StrCat("PRAGMA user_version=", v + 1).c_str());
      }
      if (!migrated.ok()) {
        Exec(write_db_, "ROLLBACK").IgnoreError();
        return migrated;
      }
      RETURN_IF_ERROR(Exec(write_db_, "COMMIT"));
    }
    RETURN_IF_ERROR(Exec(write_db_, absl::StrCat("PRAGMA cache_size=-",
                                                 options_.write_cache_kib).c_str()));
    // The log file, once restarted, is cut back to its limit.
    int64_t page_size = 4096;
    {
      Statement pragma;
      RETURN_IF_ERROR(pragma.Prepare(write_db_, "PRAGMA page_size"));
      if (pragma.Step() == SQLITE_ROW) page_size = pragma.Int(0);
    }
    RETURN_IF_ERROR(Exec(write_db_, absl::StrCat("PRAGMA journal_size_limit=",
                                                 options_.wal_limit_pages * page_size).c_str()));
    // Replaces the automatic checkpoint, which runs inside COMMIT.
    sqlite3_wal_hook(write_db_, &SqliteStore::OnWalCommit, this);
    RETURN_IF_ERROR(PrepareWriteStatements());

    ASSIGN_OR_RETURN(read_db_, OpenConnection(options_.path, options_.busy_timeout_ms));
    RETURN_IF_ERROR(PrepareReadStatements());
    ASSIGN_OR_RETURN(checkpoint_db_, OpenConnection(options_.path, options_.busy_timeout_ms));
    // A connection learns that the database is in WAL mode on its first read;
    // until then it cannot checkpoint.
    RETURN_IF_ERROR(Exec(checkpoint_db_, "PRAGMA journal_mode=WAL"));
    checkpointer_ = std::thread([this] { CheckpointLoop(); });
    pipeline_.Start();
    return absl::OkStatus();
  }

  using Store::CreateDuty;
  using Store::UpdateDuty;
  absl::Status CreateDuty(const Duty& duty, const DutyChange& change) override {
    return WriteDuty(duty, change, true);
  }
  absl::Status UpdateDuty(const Duty& duty, const DutyChange& change) override {
    return WriteDuty(duty, change, false);
  }

  absl::StatusOr<std::vector<DutyVersion>> LoadDutyHistory(const std::string& id) override {
    absl::MutexLock lock(&read_mu_);
    Statement& s = read_->duty_history;
    s.Reset();
    s.Bind(1, id);
    std::vector<DutyVersion> versions;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      DutyVersion& v = versions.emplace_back();
      v.version = s.Int(0);
      v.changed_at_unix = s.Int(1);
      v.change.changed_by = s.Text(2);
      const std::string fields = s.Text(3);
      if (!fields.empty()) v.change.changed_fields = absl::StrSplit(fields, kItemSeparator);
      v.duty = ReadDutyColumns(s, 4);
      v.change.reason = s.Text(4 + kDutyColumnCount);
    }
    s.Reset();  // ends the read transaction (see GetReport)
    if (rc != SQLITE_DONE) return SqliteError(read_db_, rc, "load duty history");
    return versions;
  }

  absl::StatusOr<std::vector<Duty>> LoadDuties() override {
    absl::MutexLock lock(&read_mu_);
    Statement& s = read_->load_duties;
    s.Reset();
    std::vector<Duty> duties;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) duties.push_back(ReadDutyColumns(s, 0));
    if (rc != SQLITE_DONE) return SqliteError(read_db_, rc, "load duties");
    return duties;
  }

  using Store::SubmitReports;
  void SubmitReports(ReportBatch reports, SubmitCallback done, Withdrawn withdrawn) override {
    pipeline_.Submit(std::move(reports), std::move(done), std::move(withdrawn));
  }

  absl::Status PutAgency(const Agency& agency, bool create) override {
    absl::Status result;
    pipeline_.RunAlone([&] {
      // Rare writes: a statement prepared for each.
      Statement put;
      result = put.Prepare(write_db_,
                           create ? "INSERT INTO agencies (id, name, organisation_number) "
                                    "VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING"
                                  : "UPDATE agencies SET name = ?2, organisation_number = ?3 "
                                    "WHERE id = ?1");
      if (!result.ok()) return;
      put.Bind(1, agency.id);
      put.Bind(2, agency.name);
      put.Bind(3, agency.organisation_number);
      const int rc = put.Step();  // autocommit: its own durable transaction
      if (rc != SQLITE_DONE) {
        result = SqliteError(write_db_, rc, "write agency");
      } else if (sqlite3_changes(write_db_) == 0) {
        result = create ? absl::AlreadyExistsError(
                              absl::StrCat("agency.id: \"", agency.id, "\" already exists"))
                        : absl::NotFoundError(
                              absl::StrCat("agency \"", agency.id, "\" not found"));
      }
    });
    return result;
  }

  absl::StatusOr<std::vector<Agency>> LoadAgencies() override {
    absl::MutexLock lock(&read_mu_);
    Statement s;
    RETURN_IF_ERROR(s.Prepare(read_db_, "SELECT id, name, organisation_number FROM agencies "
                                        "ORDER BY id"));
    std::vector<Agency> agencies;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) agencies.push_back({s.Text(0), s.Text(1), s.Text(2)});
    if (rc != SQLITE_DONE) return SqliteError(read_db_, rc, "load agencies");
    return agencies;
  }

  absl::StatusOr<ConsultationAnswer> PutConsultationAnswer(
      const ConsultationAnswer& answer) override {
    absl::StatusOr<ConsultationAnswer> result;
    pipeline_.RunAlone([&] { result = PutConsultationAnswerOnWriter(answer); });
    return result;
  }

  absl::StatusOr<std::vector<ConsultationAnswer>> LoadConsultationAnswers() override {
    absl::MutexLock lock(&read_mu_);
    Statement s;
    RETURN_IF_ERROR(s.Prepare(read_db_,
                              "SELECT duty_id, municipality_code, comment, estimated_minutes, "
                              "elsewhere, elsewhere_where, answered_at, answered_by "
                              "FROM consultation_answers ORDER BY duty_id, municipality_code"));
    std::vector<ConsultationAnswer> answers;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      ConsultationAnswer& a = answers.emplace_back();
      a.duty_id = s.Text(0);
      a.municipality_code = s.Text(1);
      a.comment = s.Text(2);
      a.estimated_minutes_per_report = s.Real(3);
      a.already_reported_elsewhere = static_cast<Answer>(s.Int(4));
      a.already_reported_where = s.Text(5);
      a.answered_at_unix = s.Int(6);
      a.answered_by = s.Text(7);
    }
    if (rc != SQLITE_DONE) return SqliteError(read_db_, rc, "load consultation answers");
    return answers;
  }

  absl::StatusOr<DutyDecision> RecordDecision(const DutyDecision& decision, const Duty* duty,
                                              const DutyChange& change) override {
    absl::StatusOr<DutyDecision> result;
    pipeline_.RunAlone([&] { result = RecordDecisionOnWriter(decision, duty, change); });
    return result;
  }

  absl::StatusOr<std::vector<DutyDecision>> LoadDecisions() override {
    absl::MutexLock lock(&read_mu_);
    Statement s;
    RETURN_IF_ERROR(s.Prepare(read_db_,
                              "SELECT seq, duty_id, kind, reason, decided_on, decided_by, "
                              "expires_on, merge_into, forecast_minutes, forecast_minutes_low, "
                              "forecast_minutes_high, forecast_hours, forecast_hours_low, "
                              "forecast_hours_high, forecast_agency_estimate, forecast_basis, "
                              "recorded_at FROM duty_decisions ORDER BY seq"));
    std::vector<DutyDecision> decisions;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      DutyDecision& d = decisions.emplace_back();
      d.seq = s.Int(0);
      d.duty_id = s.Text(1);
      d.kind = static_cast<DecisionKind>(s.Int(2));
      d.reason = s.Text(3);
      d.decided_on = s.Text(4);
      d.decided_by = s.Text(5);
      d.expires_on = s.Text(6);
      d.merge_into = s.Text(7);
      d.forecast.minutes_per_report = s.Real(8);
      d.forecast.minutes_per_report_low = s.Real(9);
      d.forecast.minutes_per_report_high = s.Real(10);
      d.forecast.hours_per_year = s.Real(11);
      d.forecast.hours_per_year_low = s.Real(12);
      d.forecast.hours_per_year_high = s.Real(13);
      d.forecast.agency_estimate = s.Int(14) != 0;
      d.forecast.basis = s.Text(15);
      d.recorded_at_unix = s.Int(16);
    }
    if (rc != SQLITE_DONE) return SqliteError(read_db_, rc, "load decisions");
    return decisions;
  }

  absl::StatusOr<SubmitOutcome> RecordUse(const DutyUse& use) override {
    absl::StatusOr<SubmitOutcome> result;
    pipeline_.RunAlone([&] { result = RecordUseOnWriter(use); });
    return result;
  }

  absl::StatusOr<std::vector<DutyUse>> LoadUses() override {
    absl::MutexLock lock(&read_mu_);
    Statement& s = read_->load_uses;
    s.Reset();
    std::vector<DutyUse> uses;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) uses.push_back(ReadUse(s));
    if (rc != SQLITE_DONE) return SqliteError(read_db_, rc, "load uses");
    return uses;
  }

  absl::Status ForEachAnswerCell(
      const std::function<void(const AnswerCell&)>& visit) override {
    absl::MutexLock lock(&read_mu_);
    Statement& s = read_->answer_cells;
    s.Reset();
    int rc;
    AnswerCell cell;
    while ((rc = s.Step()) == SQLITE_ROW) {
      cell.duty_id = s.Text(0);
      cell.minutes = s.Int(1);
      cell.usefulness = static_cast<int32_t>(s.Int(2));
      cell.feedback = static_cast<Answer>(s.Int(3));
      cell.reports = s.Int(4);
      cell.elsewhere = static_cast<Answer>(s.Int(5));
      cell.period = s.Text(6);
      visit(cell);
    }
    return rc == SQLITE_DONE ? absl::OkStatus() : SqliteError(read_db_, rc, "read answers");
  }

  absl::Status ForEachBurdenCell(
      const std::function<void(const BurdenCell&)>& visit) override {
    absl::MutexLock lock(&read_mu_);
    Statement& s = read_->cells;
    s.Reset();
    int rc;
    BurdenCell cell;
    while ((rc = s.Step()) == SQLITE_ROW) {
      cell.duty_id = s.Text(0);
      cell.municipality_code = s.Text(1);
      cell.period = s.Text(2);
      cell.reports = s.Int(3);
      cell.minutes = s.Int(4);
      cell.first_received_unix = s.Int(5);
      visit(cell);
    }
    return rc == SQLITE_DONE ? absl::OkStatus() : SqliteError(read_db_, rc, "read burden");
  }

  absl::StatusOr<StoredReport> GetReport(const std::string& municipality_code,
                                         const std::string& submission_id) override {
    absl::MutexLock lock(&read_mu_);
    Statement& s = read_->get_report;
    s.Reset();
    s.Bind(1, municipality_code);
    s.Bind(2, submission_id);
    const int rc = s.Step();
    if (rc == SQLITE_DONE) {
      return absl::NotFoundError(absl::StrCat("report \"", submission_id, "\" of ",
                                              municipality_code, " not found"));
    }
    if (rc != SQLITE_ROW) return SqliteError(read_db_, rc, "read report");
    StoredReport report = ReadStoredReport(s);
    // A statement left on a row keeps its read transaction, and so an old
    // snapshot, open for every later read on this connection.
    s.Reset();
    return report;
  }

  absl::StatusOr<std::vector<StoredReport>> ListReports(const ReportQuery& query) override {
    absl::MutexLock lock(&read_mu_);
    Statement& s = query.municipality_code.empty() ? read_->reports
                                                   : read_->reports_of_municipality;
    s.Reset();
    s.Bind(1, query.municipality_code);
    s.Bind(2, query.duty_id);
    s.Bind(3, query.agency_id);
    s.Bind(4, query.received_since_unix);
    s.Bind(5, query.after_municipality_code);
    s.Bind(6, static_cast<int64_t>(query.limit));
    s.Bind(7, query.after_submission_id);
    std::vector<StoredReport> reports;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) reports.push_back(ReadStoredReport(s));
    s.Reset();
    if (rc != SQLITE_DONE) return SqliteError(read_db_, rc, "list reports");
    return reports;
  }

  absl::StatusOr<ChangeResult> ChangeReport(const ReportChange& change) override {
    absl::StatusOr<ChangeResult> result;
    pipeline_.RunAlone([&] { result = ChangeReportOnWriter(change); });
    return result;
  }

  absl::StatusOr<std::vector<StoredReport>> LoadReportVersions(
      const std::string& municipality_code, const std::string& submission_id) override {
    absl::MutexLock lock(&read_mu_);
    Statement& s = read_->report_versions;
    s.Reset();
    s.Bind(1, municipality_code);
    s.Bind(2, submission_id);
    std::vector<StoredReport> versions;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) versions.push_back(ReadStoredReport(s));
    s.Reset();
    if (rc != SQLITE_DONE) return SqliteError(read_db_, rc, "read report versions");
    return versions;
  }

  absl::StatusOr<int64_t> CountReports() override {
    absl::MutexLock lock(&read_mu_);
    Statement& s = read_->count;
    s.Reset();
    const int rc = s.Step();
    if (rc != SQLITE_ROW) return SqliteError(read_db_, rc, "count reports");
    const int64_t count = s.Int(0);
    s.Reset();  // ends the read transaction (see GetReport)
    return count;
  }

  absl::StatusOr<LogPosition> Position() override {
    absl::MutexLock lock(&read_mu_);
    Statement& s = read_->position;
    s.Reset();
    const int rc = s.Step();
    if (rc != SQLITE_ROW) return SqliteError(read_db_, rc, "read the log position");
    LogPosition position{s.Int(0), s.Int(1)};
    s.Reset();
    return position;
  }

  absl::StatusOr<StoredReport> ReportAt(int64_t seq) override {
    absl::MutexLock lock(&read_mu_);
    Statement& s = read_->report_at;
    s.Reset();
    s.Bind(1, seq);
    const int rc = s.Step();
    if (rc == SQLITE_DONE) return absl::NotFoundError(absl::StrCat("no report at ", seq));
    if (rc != SQLITE_ROW) return SqliteError(read_db_, rc, "read report");
    StoredReport stored = ReadStoredReport(s);
    s.Reset();
    return stored;
  }

  absl::StatusOr<std::vector<StoredReport>> ReportsAfter(int64_t seq, int limit) override {
    absl::MutexLock lock(&read_mu_);
    Statement& s = read_->reports_after;
    s.Reset();
    s.Bind(1, seq);
    s.Bind(2, static_cast<int64_t>(limit));
    std::vector<StoredReport> reports;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) reports.push_back(ReadStoredReport(s));
    s.Reset();
    if (rc != SQLITE_DONE) return SqliteError(read_db_, rc, "read reports");
    return reports;
  }

  void StopWrites() override { pipeline_.Stop(); }

  absl::StatusOr<std::vector<StoredComment>> ListComments(
      const CommentQuery& query) override {
    absl::MutexLock lock(&read_mu_);
    const bool of_duty = !query.duty_id.empty();
    Statement& s = of_duty ? read_->comments_of_duty : read_->comments;
    s.Reset();
    int i = 1;
    if (of_duty) s.Bind(i++, query.duty_id);
    s.Bind(i++, query.municipality_code);
    if (!of_duty) s.Bind(i++, query.agency_id);
    s.Bind(i++, query.before_seq > 0 ? query.before_seq : std::numeric_limits<int64_t>::max());
    s.Bind(i++, static_cast<int64_t>(query.limit));
    std::vector<StoredComment> comments;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      StoredComment& c = comments.emplace_back();
      c.seq = s.Int(0);
      c.submission_id = s.Text(1);
      c.municipality_code = s.Text(2);
      c.duty_id = s.Text(3);
      c.period = s.Text(4);
      c.comment = s.Text(5);
      c.received_at_unix = s.Int(6);
    }
    if (rc != SQLITE_DONE) return SqliteError(read_db_, rc, "read comments");
    return comments;
  }

  absl::StatusOr<std::vector<ReportedElsewhere>> ListReportedElsewhere(int limit) override {
    absl::MutexLock lock(&read_mu_);
    Statement& s = read_->reported_elsewhere;
    s.Reset();
    s.Bind(1, static_cast<int64_t>(limit));
    std::vector<ReportedElsewhere> places;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      places.push_back({s.Text(0), s.Text(1), s.Int(2), s.Int(3)});
    }
    if (rc != SQLITE_DONE) return SqliteError(read_db_, rc, "read where reports say their data goes");
    return places;
  }

  StoreStats GetStats() const override {
    StoreStats stats;
    pipeline_.FillStats(stats);
    std::error_code error;
    const auto main_size = std::filesystem::file_size(options_.path, error);
    if (!error) {
      stats.size_bytes = static_cast<int64_t>(main_size);
      const auto wal_size = std::filesystem::file_size(options_.path + "-wal", error);
      if (!error) stats.size_bytes += static_cast<int64_t>(wal_size);
    }
    return stats;
  }

 private:
  struct WriteStatements {
    Statement insert_report, select_report, insert_duty, update_duty, insert_duty_version,
        insert_use, select_use, put_answer, insert_decision;
    Statement keep_version, update_report, first_received_in_cell;
  };
  struct ReadStatements {
    Statement load_duties, cells, answer_cells, load_uses, get_report, count;
    Statement reports_of_municipality, reports;
    Statement comments_of_duty, comments, duty_history, reported_elsewhere;
    Statement report_versions;
    Statement position, report_at, reports_after;
  };

  absl::Status Described(absl::Status status) {
    if (status.ok()) return status;
    if (status.code() == absl::StatusCode::kFailedPrecondition ||
        status.code() == absl::StatusCode::kInternal) {
      return absl::FailedPreconditionError(absl::StrCat(
          "\"", options_.path, "\" is not an inrapport database (", status.message(), ")"));
    }
    return status;
  }

  absl::Status PrepareWriteStatements() {
    RETURN_IF_ERROR(write_->insert_report.Prepare(write_db_,
        "INSERT INTO reports (submission_id, municipality_code, duty_id, period, "
        "minutes_spent, staff_count, usefulness, feedback_received, "
        "already_reported_elsewhere, comment, already_reported_where, received_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
        "ON CONFLICT (municipality_code, submission_id) DO NOTHING"));
    RETURN_IF_ERROR(write_->select_report.Prepare(write_db_, kSelectReport));
    // A change: the stored version is kept and the row becomes the next
    // one.
    RETURN_IF_ERROR(write_->keep_version.Prepare(write_db_,
        "INSERT INTO report_versions SELECT municipality_code, submission_id, version, "
        "duty_id, period, minutes_spent, staff_count, usefulness, feedback_received, "
        "already_reported_elsewhere, comment, already_reported_where, received_at, changed_at, "
        "reason FROM reports WHERE municipality_code = ?1 AND submission_id = ?2"));
    RETURN_IF_ERROR(write_->update_report.Prepare(write_db_,
        "UPDATE reports SET duty_id = ?3, period = ?4, minutes_spent = ?5, staff_count = ?6, "
        "usefulness = ?7, feedback_received = ?8, already_reported_elsewhere = ?9, "
        "comment = ?10, already_reported_where = ?11, version = ?12, changed_at = ?13, "
        "reason = ?14, withdrawn = ?15 WHERE submission_id = ?1 AND municipality_code = ?2"));
    // The earliest receipt left in a cell after a change (0 when none is
    // left): what the figures keep as the cell's first receipt.
    RETURN_IF_ERROR(write_->first_received_in_cell.Prepare(write_db_,
        "SELECT coalesce(min(received_at), 0) FROM reports "
        "WHERE municipality_code = ?2 AND duty_id = ?1 AND period = ?3 AND withdrawn = 0"));
    RETURN_IF_ERROR(write_->insert_use.Prepare(write_db_,
        "INSERT INTO duty_uses (duty_id, use_id, kind, date, description, link, first_period, "
        "last_period, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, unixepoch()) "
        "ON CONFLICT (duty_id, use_id) DO NOTHING"));
    RETURN_IF_ERROR(write_->select_use.Prepare(write_db_,
        "SELECT duty_id, use_id, kind, date, description, link, first_period, last_period "
        "FROM duty_uses WHERE duty_id = ?1 AND use_id = ?2"));
    RETURN_IF_ERROR(write_->insert_duty.Prepare(
        write_db_,
        "INSERT INTO duties (id, agency_id, title, legal_basis, purpose, sector, frequency, "
        "data_items, targeted_grant, estimated_minutes_per_report, valid_from, valid_until, "
        "source_url, notes, respondents, deadline, state, consultation_until, expires_on) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
        "?18, ?19) ON CONFLICT (id) DO NOTHING"));
    // The duty as just written becomes its next version. The columns are
    // named: later migrations append the duty's columns after the version's
    // own.
    RETURN_IF_ERROR(write_->insert_duty_version.Prepare(
        write_db_,
        "INSERT INTO duty_versions (id, version, changed_at, changed_by, changed_fields, "
        "agency_id, title, legal_basis, purpose, sector, frequency, data_items, targeted_grant, "
        "estimated_minutes_per_report, valid_from, valid_until, source_url, notes, respondents, "
        "deadline, state, consultation_until, expires_on, reason) SELECT id, "
        "(SELECT coalesce(max(version), 0) + 1 FROM duty_versions WHERE id = ?1), "
        "unixepoch(), ?2, ?3, agency_id, title, legal_basis, purpose, sector, frequency, "
        "data_items, targeted_grant, estimated_minutes_per_report, valid_from, valid_until, "
        "source_url, notes, respondents, deadline, state, consultation_until, expires_on, ?4 "
        "FROM duties WHERE id = ?1"));
    // A new answer, or one that replaces the municipality's earlier answer
    // to the duty.
    RETURN_IF_ERROR(write_->put_answer.Prepare(
        write_db_,
        "INSERT INTO consultation_answers (duty_id, municipality_code, comment, "
        "estimated_minutes, elsewhere, elsewhere_where, answered_at, answered_by) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, unixepoch(), ?7) "
        "ON CONFLICT (duty_id, municipality_code) DO UPDATE SET comment = excluded.comment, "
        "estimated_minutes = excluded.estimated_minutes, elsewhere = excluded.elsewhere, "
        "elsewhere_where = excluded.elsewhere_where, answered_at = excluded.answered_at, "
        "answered_by = excluded.answered_by RETURNING answered_at"));
    RETURN_IF_ERROR(write_->insert_decision.Prepare(
        write_db_,
        "INSERT INTO duty_decisions (duty_id, kind, reason, decided_on, decided_by, expires_on, "
        "merge_into, forecast_minutes, forecast_minutes_low, forecast_minutes_high, "
        "forecast_hours, forecast_hours_low, forecast_hours_high, forecast_agency_estimate, "
        "forecast_basis, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12, ?13, ?14, ?15, unixepoch()) RETURNING seq, recorded_at"));
    return write_->update_duty.Prepare(
        write_db_,
        "UPDATE duties SET agency_id = ?2, title = ?3, legal_basis = ?4, purpose = ?5, "
        "sector = ?6, frequency = ?7, data_items = ?8, targeted_grant = ?9, "
        "estimated_minutes_per_report = ?10, valid_from = ?11, valid_until = ?12, "
        "source_url = ?13, notes = ?14, respondents = ?15, deadline = ?16, state = ?17, "
        "consultation_until = ?18, expires_on = ?19 WHERE id = ?1");
  }

  absl::Status PrepareReadStatements() {
    RETURN_IF_ERROR(read_->load_duties.Prepare(
        read_db_,
        "SELECT id, agency_id, title, legal_basis, purpose, sector, frequency, data_items, "
        "targeted_grant, estimated_minutes_per_report, valid_from, valid_until, source_url, "
        "notes, respondents, deadline, state, consultation_until, expires_on FROM duties "
        "ORDER BY id"));
    // The cells, computed from the reports: each a pass over all of them,
    // grouped in key order, so that a duty's cells come together.
    RETURN_IF_ERROR(read_->cells.Prepare(read_db_,
        "SELECT duty_id, municipality_code, period, count(*), sum(minutes_spent), "
        "min(received_at) FROM reports WHERE withdrawn = 0 "
        "GROUP BY duty_id, municipality_code, period"));
    RETURN_IF_ERROR(read_->answer_cells.Prepare(read_db_,
        "SELECT duty_id, minutes_spent, usefulness, feedback_received, count(*), "
        "already_reported_elsewhere, period FROM reports WHERE withdrawn = 0 "
        "GROUP BY duty_id, period, minutes_spent, usefulness, feedback_received, "
        "already_reported_elsewhere"));
    RETURN_IF_ERROR(read_->load_uses.Prepare(read_db_,
        "SELECT duty_id, use_id, kind, date, description, link, first_period, last_period "
        "FROM duty_uses ORDER BY duty_id, date, use_id"));
    RETURN_IF_ERROR(read_->get_report.Prepare(read_db_, kSelectReport));
    // "comment <> ''" as the partial indexes say it, so that they are used.
    RETURN_IF_ERROR(read_->comments_of_duty.Prepare(read_db_,
        "SELECT seq, submission_id, municipality_code, duty_id, period, comment, received_at "
        "FROM reports WHERE comment <> '' AND withdrawn = 0 AND duty_id = ?1 "
        "AND (?2 = '' OR municipality_code = ?2) AND seq < ?3 ORDER BY seq DESC LIMIT ?4"));
    RETURN_IF_ERROR(read_->comments.Prepare(read_db_,
        "SELECT seq, submission_id, municipality_code, duty_id, period, comment, received_at "
        "FROM reports WHERE comment <> '' AND withdrawn = 0 "
        "AND (?1 = '' OR municipality_code = ?1) "
        "AND (?2 = '' OR duty_id IN (SELECT id FROM duties WHERE agency_id = ?2)) "
        "AND seq < ?3 ORDER BY seq DESC LIMIT ?4"));
    RETURN_IF_ERROR(read_->duty_history.Prepare(
        read_db_,
        "SELECT version, changed_at, changed_by, changed_fields, id, agency_id, title, "
        "legal_basis, purpose, sector, frequency, data_items, targeted_grant, "
        "estimated_minutes_per_report, valid_from, valid_until, source_url, notes, respondents, "
        "deadline, state, consultation_until, expires_on, reason FROM duty_versions "
        "WHERE id = ?1 ORDER BY version"));
    // "already_reported_where <> ''" as the partial index says it.
    RETURN_IF_ERROR(read_->reported_elsewhere.Prepare(read_db_,
        "SELECT duty_id, already_reported_where, count(*), count(DISTINCT municipality_code) "
        "FROM reports WHERE already_reported_where <> '' AND withdrawn = 0 "
        "GROUP BY duty_id, already_reported_where "
        "ORDER BY 4 DESC, 3 DESC, duty_id, already_reported_where LIMIT ?1"));
    // In key order, through the unique index of the keys: ?1 municipality,
    // ?2 duty, ?3 agency, ?4 received since, ?5 and ?7 the key after which
    // to begin, ?6 limit (each statement leaves out what it does not need).
    RETURN_IF_ERROR(read_->reports_of_municipality.Prepare(read_db_,
        absl::StrCat("SELECT ", kReportColumns, " FROM reports WHERE municipality_code = ?1 "
                     "AND submission_id > ?7 ", kReportFilters).c_str()));
    RETURN_IF_ERROR(read_->reports.Prepare(read_db_,
        absl::StrCat("SELECT ", kReportColumns, " FROM reports "
                     "WHERE (municipality_code, submission_id) > (?5, ?7) ",
                     kReportFilters).c_str()));
    RETURN_IF_ERROR(read_->report_versions.Prepare(read_db_,
        "SELECT submission_id, municipality_code, duty_id, period, minutes_spent, staff_count, "
        "usefulness, feedback_received, already_reported_elsewhere, comment, "
        "already_reported_where, received_at, 0, version, changed_at, reason, 0 "
        "FROM report_versions WHERE municipality_code = ?1 AND submission_id = ?2 "
        "ORDER BY version"));
    // Every accepted change keeps the version it replaced: the versions
    // count the changes.
    RETURN_IF_ERROR(read_->position.Prepare(read_db_,
        "SELECT (SELECT coalesce(max(seq), 0) FROM reports), "
        "(SELECT count(*) FROM report_versions)"));
    RETURN_IF_ERROR(read_->report_at.Prepare(
        read_db_, absl::StrCat("SELECT ", kReportColumns, " FROM reports WHERE seq = ?1").c_str()));
    RETURN_IF_ERROR(read_->reports_after.Prepare(
        read_db_, absl::StrCat("SELECT ", kReportColumns,
                               " FROM reports WHERE seq > ?1 AND withdrawn = 0 ORDER BY seq LIMIT ?2")
                      .c_str()));
    return read_->count.Prepare(read_db_, "SELECT count(*) FROM reports");
  }

  // A stored report as ReadStoredReport reads it.
  static constexpr const char* kReportColumns =
      "submission_id, municipality_code, duty_id, period, minutes_spent, staff_count, "
      "usefulness, feedback_received, already_reported_elsewhere, comment, "
      "already_reported_where, received_at, seq, version, changed_at, reason, withdrawn";
  static constexpr const char* kSelectReport =
      "SELECT submission_id, municipality_code, duty_id, period, minutes_spent, staff_count, "
      "usefulness, feedback_received, already_reported_elsewhere, comment, "
      "already_reported_where, received_at, seq, version, changed_at, reason, withdrawn "
      "FROM reports WHERE municipality_code = ?1 AND submission_id = ?2";
  static constexpr const char* kReportFilters =
      "AND (?2 = '' OR duty_id = ?2) "
      "AND (?3 = '' OR duty_id IN (SELECT id FROM duties WHERE agency_id = ?3)) "
      "AND received_at >= ?4 ORDER BY municipality_code, submission_id LIMIT ?6";

  // A report's content as ?1 to ?11, in the column order of the insert and
  // of the correction's update.
  static void BindReport(Statement& s, const Report& r) {
    s.Bind(1, r.submission_id);
    s.Bind(2, r.municipality_code);
    s.Bind(3, r.duty_id);
    s.Bind(4, r.period);
    s.Bind(5, r.minutes_spent);
    s.Bind(6, static_cast<int64_t>(r.staff_count));
    s.Bind(7, static_cast<int64_t>(r.usefulness));
    s.Bind(8, static_cast<int64_t>(r.feedback_received));
    s.Bind(9, static_cast<int64_t>(r.already_reported_elsewhere));
    s.Bind(10, r.comment);
    s.Bind(11, r.already_reported_where);
  }

  static StoredReport ReadStoredReport(Statement& s) {
    StoredReport stored;
    Report& report = stored.report;
    report.submission_id = s.Text(0);
    report.municipality_code = s.Text(1);
    report.duty_id = s.Text(2);
    report.period = s.Text(3);
    report.minutes_spent = s.Int(4);
    report.staff_count = static_cast<int32_t>(s.Int(5));
    report.usefulness = static_cast<int32_t>(s.Int(6));
    report.feedback_received = static_cast<Answer>(s.Int(7));
    report.already_reported_elsewhere = static_cast<Answer>(s.Int(8));
    report.comment = s.Text(9);
    report.already_reported_where = s.Text(10);
    stored.receipt.received_at_unix = s.Int(11);
    stored.seq = s.Int(12);
    stored.receipt.version = static_cast<int32_t>(s.Int(13));
    stored.receipt.changed_at_unix = s.Int(14);
    stored.reason = s.Text(15);
    stored.withdrawn = s.Int(16) != 0;
    return stored;
  }

  // Columns from `col` on: id, agency_id, title, legal_basis, purpose,
  // sector, frequency, data_items, targeted_grant,
  // estimated_minutes_per_report, valid_from, valid_until, source_url, notes,
  // respondents, deadline, state, consultation_until, expires_on.
  static constexpr int kDutyColumnCount = 19;
  static Duty ReadDutyColumns(Statement& s, int col) {
    Duty duty;
    duty.id = s.Text(col + 0);
    duty.agency_id = s.Text(col + 1);
    duty.title = s.Text(col + 2);
    duty.legal_basis = s.Text(col + 3);
    duty.purpose = s.Text(col + 4);
    duty.sector = static_cast<Sector>(s.Int(col + 5));
    duty.frequency = static_cast<Frequency>(s.Int(col + 6));
    const std::string items = s.Text(col + 7);
    if (!items.empty()) duty.data_items = absl::StrSplit(items, kItemSeparator);
    duty.targeted_grant = s.Text(col + 8);
    duty.estimated_minutes_per_report = s.Real(col + 9);
    duty.valid_from = s.Text(col + 10);
    duty.valid_until = s.Text(col + 11);
    duty.source_url = s.Text(col + 12);
    duty.notes = s.Text(col + 13);
    const std::string respondents = s.Text(col + 14);
    if (!respondents.empty()) duty.respondents = absl::StrSplit(respondents, kItemSeparator);
    duty.deadline = s.Text(col + 15);
    duty.state = static_cast<DutyState>(s.Int(col + 16));
    duty.consultation_until = s.Text(col + 17);
    duty.expires_on = s.Text(col + 18);
    return duty;
  }

  // Columns: duty_id, use_id, kind, date, description, link, first_period,
  // last_period.
  static DutyUse ReadUse(Statement& s) {
    DutyUse use;
    use.duty_id = s.Text(0);
    use.use_id = s.Text(1);
    use.kind = static_cast<UseKind>(s.Int(2));
    use.date = s.Text(3);
    use.description = s.Text(4);
    use.link = s.Text(5);
    use.first_period = s.Text(6);
    use.last_period = s.Text(7);
    return use;
  }

  absl::Status WriteDuty(const Duty& duty, const DutyChange& change, bool create) {
    absl::Status result;
    pipeline_.RunAlone([&] { result = WriteDutyOnWriter(duty, change, create); });
    return result;
  }

  absl::StatusOr<SubmitOutcome> RecordUseOnWriter(const DutyUse& use) {
    Statement& insert = write_->insert_use;
    insert.Reset();
    insert.Bind(1, use.duty_id);
    insert.Bind(2, use.use_id);
    insert.Bind(3, static_cast<int64_t>(use.kind));
    insert.Bind(4, use.date);
    insert.Bind(5, use.description);
    insert.Bind(6, use.link);
    insert.Bind(7, use.first_period);
    insert.Bind(8, use.last_period);
    // Autocommit: one statement, its own durable transaction.
    int rc = insert.Step();
    insert.Reset();
    if (rc != SQLITE_DONE) return SqliteError(write_db_, rc, "record use");
    if (sqlite3_changes(write_db_) == 1) return SubmitOutcome::kAccepted;

    Statement& select = write_->select_use;
    select.Reset();
    select.Bind(1, use.duty_id);
    select.Bind(2, use.use_id);
    rc = select.Step();
    if (rc != SQLITE_ROW) {
      select.Reset();
      if (rc != SQLITE_DONE) return SqliteError(write_db_, rc, "read use");
      return absl::InternalError(absl::StrCat("use \"", use.duty_id, "/", use.use_id,
                                              "\" was neither stored nor found"));
    }
    const DutyUse stored = ReadUse(select);
    select.Reset();
    const char* field = FirstDifference(stored, use);
    if (field == nullptr) return SubmitOutcome::kDuplicate;
    return absl::AlreadyExistsError(absl::StrCat(
        "use.use_id: \"", use.use_id, "\" was already recorded for duty \"", use.duty_id,
        "\" with different content (", field, " differs)"));
  }

  // The duty and its version in one durable transaction.
  absl::Status WriteDutyOnWriter(const Duty& duty, const DutyChange& change, bool create) {
    RETURN_IF_ERROR(Exec(write_db_, "BEGIN IMMEDIATE"));
    absl::Status status = WriteDutyInTransaction(duty, change, create);
    if (status.ok()) status = Exec(write_db_, "COMMIT");
    if (!status.ok() && !sqlite3_get_autocommit(write_db_)) {
      Exec(write_db_, "ROLLBACK").IgnoreError();
    }
    return status;
  }

  // Writes the duty's row and its next version with `change`, in the
  // transaction the caller began and ends. ALREADY_EXISTS (create) or
  // NOT_FOUND (update) when the row is, or is not, there.
  absl::Status WriteDutyInTransaction(const Duty& duty, const DutyChange& change, bool create) {
    Statement& s = create ? write_->insert_duty : write_->update_duty;
    s.Reset();
    s.Bind(1, duty.id);
    s.Bind(2, duty.agency_id);
    s.Bind(3, duty.title);
    s.Bind(4, duty.legal_basis);
    s.Bind(5, duty.purpose);
    s.Bind(6, static_cast<int64_t>(duty.sector));
    s.Bind(7, static_cast<int64_t>(duty.frequency));
    s.Bind(8, absl::StrJoin(duty.data_items, std::string(1, kItemSeparator)));
    s.Bind(9, duty.targeted_grant);
    s.Bind(10, duty.estimated_minutes_per_report);
    s.Bind(11, duty.valid_from);
    s.Bind(12, duty.valid_until);
    s.Bind(13, duty.source_url);
    s.Bind(14, duty.notes);
    s.Bind(15, absl::StrJoin(duty.respondents, std::string(1, kItemSeparator)));
    s.Bind(16, duty.deadline);
    s.Bind(17, static_cast<int64_t>(duty.state));
    s.Bind(18, duty.consultation_until);
    s.Bind(19, duty.expires_on);
    int rc = s.Step();
    s.Reset();
    if (rc != SQLITE_DONE) return SqliteError(write_db_, rc, "write duty");
    if (sqlite3_changes(write_db_) == 0) {
      return create ? absl::AlreadyExistsError(
                          absl::StrCat("duty.id: \"", duty.id, "\" already exists"))
                    : absl::NotFoundError(absl::StrCat("duty \"", duty.id, "\" not found"));
    }
    Statement& version = write_->insert_duty_version;
    version.Reset();
    version.Bind(1, duty.id);
    version.Bind(2, change.changed_by);
    version.Bind(3, absl::StrJoin(change.changed_fields, std::string(1, kItemSeparator)));
    version.Bind(4, change.reason);
    rc = version.Step();
    version.Reset();
    if (rc != SQLITE_DONE) return SqliteError(write_db_, rc, "write duty version");
    return absl::OkStatus();
  }

  // Autocommit: one statement, its own durable transaction.
  absl::StatusOr<ConsultationAnswer> PutConsultationAnswerOnWriter(
      const ConsultationAnswer& answer) {
    Statement& put = write_->put_answer;
    put.Reset();
    put.Bind(1, answer.duty_id);
    put.Bind(2, answer.municipality_code);
    put.Bind(3, answer.comment);
    put.Bind(4, answer.estimated_minutes_per_report);
    put.Bind(5, static_cast<int64_t>(answer.already_reported_elsewhere));
    put.Bind(6, answer.already_reported_where);
    put.Bind(7, answer.answered_by);
    ConsultationAnswer stored = answer;
    int rc = put.Step();
    if (rc == SQLITE_ROW) {
      stored.answered_at_unix = put.Int(0);
      rc = put.Step();  // the statement runs to its end, which commits
    }
    put.Reset();
    if (rc != SQLITE_DONE) return SqliteError(write_db_, rc, "write consultation answer");
    return stored;
  }

  // The decision, and with `duty` the duty's update and version, in one
  // durable transaction.
  absl::StatusOr<DutyDecision> RecordDecisionOnWriter(const DutyDecision& decision,
                                                      const Duty* duty, const DutyChange& change) {
    RETURN_IF_ERROR(Exec(write_db_, "BEGIN IMMEDIATE"));
    absl::StatusOr<DutyDecision> result = [&]() -> absl::StatusOr<DutyDecision> {
      if (duty != nullptr) RETURN_IF_ERROR(WriteDutyInTransaction(*duty, change, false));
      Statement& insert = write_->insert_decision;
      insert.Reset();
      insert.Bind(1, decision.duty_id);
      insert.Bind(2, static_cast<int64_t>(decision.kind));
      insert.Bind(3, decision.reason);
      insert.Bind(4, decision.decided_on);
      insert.Bind(5, decision.decided_by);
      insert.Bind(6, decision.expires_on);
      insert.Bind(7, decision.merge_into);
      const RecordedForecast& f = decision.forecast;
      insert.Bind(8, f.minutes_per_report);
      insert.Bind(9, f.minutes_per_report_low);
      insert.Bind(10, f.minutes_per_report_high);
      insert.Bind(11, f.hours_per_year);
      insert.Bind(12, f.hours_per_year_low);
      insert.Bind(13, f.hours_per_year_high);
      insert.Bind(14, static_cast<int64_t>(f.agency_estimate ? 1 : 0));
      insert.Bind(15, f.basis);
      DutyDecision stored = decision;
      int rc = insert.Step();
      if (rc == SQLITE_ROW) {
        stored.seq = insert.Int(0);
        stored.recorded_at_unix = insert.Int(1);
        rc = insert.Step();
      }
      insert.Reset();
      if (rc != SQLITE_DONE) return SqliteError(write_db_, rc, "record decision");
      RETURN_IF_ERROR(Exec(write_db_, "COMMIT"));
      return stored;
    }();
    if (!sqlite3_get_autocommit(write_db_)) Exec(write_db_, "ROLLBACK").IgnoreError();
    return result;
  }

  // A correction or withdrawal in one durable transaction: the replaced
  // version kept, the row changed.
  absl::StatusOr<ChangeResult> ChangeReportOnWriter(const ReportChange& change) {
    RETURN_IF_ERROR(Exec(write_db_, "BEGIN IMMEDIATE"));
    absl::StatusOr<ChangeResult> result = [&]() -> absl::StatusOr<ChangeResult> {
      Statement& select = write_->select_report;
      select.Reset();
      select.Bind(1, change.key_municipality());
      select.Bind(2, change.key_submission_id());
      int rc = select.Step();
      if (rc == SQLITE_DONE) {
        return absl::NotFoundError(absl::StrCat("report \"", change.key_submission_id(), "\" of ",
                                                change.key_municipality(), " not found"));
      }
      if (rc != SQLITE_ROW) return SqliteError(write_db_, rc, "read report");
      const StoredReport stored = ReadStoredReport(select);
      select.Reset();
      ASSIGN_OR_RETURN(ChangeResult decided,
                       DecideChange(stored, change, absl::ToUnixSeconds(absl::Now())));
      if (decided.outcome == SubmitOutcome::kDuplicate) return decided;

      Statement& keep = write_->keep_version;
      keep.Reset();
      keep.Bind(1, change.key_municipality());
      keep.Bind(2, change.key_submission_id());
      rc = keep.Step();
      keep.Reset();
      if (rc != SQLITE_DONE) return SqliteError(write_db_, rc, "keep the report's version");

      const StoredReport& next = decided.current;
      const Report& r = next.report;
      Statement& update = write_->update_report;
      update.Reset();
      BindReport(update, r);
      update.Bind(12, static_cast<int64_t>(next.receipt.version));
      update.Bind(13, next.receipt.changed_at_unix);
      update.Bind(14, next.reason);
      update.Bind(15, static_cast<int64_t>(next.withdrawn ? 1 : 0));
      rc = update.Step();
      update.Reset();
      if (rc != SQLITE_DONE) return SqliteError(write_db_, rc, "change report");

      Statement& first = write_->first_received_in_cell;
      first.Reset();
      first.Bind(1, stored.report.duty_id);
      first.Bind(2, stored.report.municipality_code);
      first.Bind(3, stored.report.period);
      rc = first.Step();
      if (rc == SQLITE_ROW) decided.previous_cell_first_received_unix = first.Int(0);
      first.Reset();
      if (rc != SQLITE_ROW) return SqliteError(write_db_, rc, "read a cell's first receipt");
      RETURN_IF_ERROR(Exec(write_db_, "COMMIT"));
      return decided;
    }();
    if (!sqlite3_get_autocommit(write_db_)) Exec(write_db_, "ROLLBACK").IgnoreError();
    return result;
  }

  // Called by SQLite on the writer thread after each commit, with the pages
  // the log now holds.
  static int OnWalCommit(void* self, sqlite3*, const char*, int pages) {
    auto* store = static_cast<SqliteStore*>(self);
    absl::MutexLock lock(&store->checkpoint_mu_);
    // Fewer pages than before: the log was restarted, and holds only these.
    store->wal_pages_since_checkpoint_ +=
        pages >= store->wal_pages_ ? pages - store->wal_pages_ : pages;
    store->wal_pages_ = pages;
    return SQLITE_OK;
  }

  // The log has grown to its limit: the writer restarts it itself (below),
  // so the checkpoint thread leaves it alone until then.
  bool CheckpointDue() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(checkpoint_mu_) {
    return checkpoint_stopping_ ||
           (wal_pages_since_checkpoint_ >= std::max(1, options_.checkpoint_pages) &&
            wal_pages_ < options_.wal_limit_pages);
  }

  void CheckpointLoop() {
    while (true) {
      {
        absl::MutexLock lock(&checkpoint_mu_);
        checkpoint_mu_.Await(absl::Condition(this, &SqliteStore::CheckpointDue));
        if (checkpoint_stopping_) return;
        wal_pages_since_checkpoint_ = 0;
      }
      // A failure (busy, I/O) is left to the next round: the log then grows
      // a little longer, nothing is lost.
      sqlite3_wal_checkpoint_v2(checkpoint_db_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                nullptr);
    }
  }

  // On the writer, between transactions. Under steady load the passive
  // checkpoints never catch up with the writer at an instant when it could
  // start the log afresh, so the log would grow without end. At its limit
  // the writer copies the rest (little, as the passive checkpoints copied
  // most of it) and restarts the log: one short pause. Another connection
  // could not do this without waiting for a gap between commits that a busy
  // writer hardly leaves.
  static constexpr int kLogRestartWaitMs = 20;
  void BoundLog() {
    {
      absl::MutexLock lock(&checkpoint_mu_);
      if (wal_pages_ < options_.wal_limit_pages) return;
    }
    // Busy (a passive checkpoint finishing, or a long read such as an online
    // backup still on the log): tried again after the next commit, without
    // holding up this one for the whole busy timeout.
    sqlite3_busy_timeout(write_db_, kLogRestartWaitMs);
    const int rc = sqlite3_wal_checkpoint_v2(write_db_, "main", SQLITE_CHECKPOINT_RESTART,
                                             nullptr, nullptr);
    sqlite3_busy_timeout(write_db_, options_.busy_timeout_ms);
    if (rc == SQLITE_OK) {
      absl::MutexLock lock(&checkpoint_mu_);
      wal_pages_ = 0;
      wal_pages_since_checkpoint_ = 0;
    }
  }

  // Inserts one report; on a known key compares the content.
  absl::StatusOr<SubmitResult> InsertReport(const Report& report, int64_t received_at,
                                            int* rc) {
    Statement& insert = write_->insert_report;
    insert.Reset();
    BindReport(insert, report);
    insert.Bind(12, received_at);
    *rc = insert.Step();
    if (*rc != SQLITE_DONE) return absl::UnknownError("");
    if (sqlite3_changes(write_db_) == 1) {
      return SubmitResult{SubmitOutcome::kAccepted, Receipt{received_at, 1}};
    }
    Statement& select = write_->select_report;
    select.Reset();
    select.Bind(1, report.municipality_code);
    select.Bind(2, report.submission_id);
    *rc = select.Step();
    if (*rc != SQLITE_ROW) return absl::UnknownError("");
    *rc = SQLITE_DONE;
    return OutcomeOfResubmission(ReadStoredReport(select), report);
  }

  // The pipeline's CommitBatch: the batch in one transaction.
  absl::StatusOr<SubmitResults> CommitBatch(const std::vector<const Report*>& batch) {
    SubmitResults results;
    results.reserve(batch.size());
    // The receipt's time of every report this transaction stores.
    const int64_t received_at = absl::ToUnixSeconds(absl::Now());
    int rc = sqlite3_exec(write_db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (size_t i = 0; i < batch.size() && rc == SQLITE_OK; ++i) {
      int step_rc = SQLITE_DONE;
      absl::StatusOr<SubmitResult> outcome = InsertReport(*batch[i], received_at, &step_rc);
      if (step_rc != SQLITE_DONE) {
        rc = step_rc;
        break;
      }
      results.push_back(std::move(outcome));
    }
    if (rc == SQLITE_OK) rc = sqlite3_exec(write_db_, "COMMIT", nullptr, nullptr, nullptr);
    // SQLite's reason, read now: resetting a statement that had succeeded
    // sets the connection's error back to "not an error".
    const std::string reason = rc == SQLITE_OK ? "" : sqlite3_errmsg(write_db_);
    write_->insert_report.Reset();
    write_->select_report.Reset();
    if (rc != SQLITE_OK) {
      // Nothing of this transaction is kept, so nothing of it is acknowledged.
      if (!sqlite3_get_autocommit(write_db_)) {
        sqlite3_exec(write_db_, "ROLLBACK", nullptr, nullptr, nullptr);
      }
      return CommitFailure(reason);
    }
    return results;
  }

  const SqliteStoreOptions options_;
  sqlite3* write_db_ = nullptr;  // used by the writer thread only (and Open)
  sqlite3* read_db_ = nullptr;
  sqlite3* checkpoint_db_ = nullptr;  // used by the checkpoint thread only
  std::unique_ptr<WriteStatements> write_ = std::make_unique<WriteStatements>();
  absl::Mutex read_mu_;
  std::unique_ptr<ReadStatements> read_ ABSL_GUARDED_BY(read_mu_) =
      std::make_unique<ReadStatements>();

  absl::Mutex checkpoint_mu_;
  int wal_pages_ ABSL_GUARDED_BY(checkpoint_mu_) = 0;  // at the last commit
  int wal_pages_since_checkpoint_ ABSL_GUARDED_BY(checkpoint_mu_) = 0;
  bool checkpoint_stopping_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  std::thread checkpointer_;

  // Declared last: destroyed (its writer stopped) before anything it uses.
  WritePipeline pipeline_{
      {options_.max_reports_per_commit, /*max_pending_answers=*/8,
       [this] { BoundLog(); },
       // So that a log restart the readers held up is tried again after the
       // last commit of a burst too.
       absl::Seconds(1)},
      [this](const std::vector<const Report*>& batch) { return CommitBatch(batch); }};
};

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& options) {
  auto store = std::make_unique<SqliteStore>(options);
  RETURN_IF_ERROR(store->Open());
  return std::unique_ptr<Store>(std::move(store));
}

std::string SqliteVersion() { return sqlite3_libversion(); }

}  // namespace inrapport
