// The PostgreSQL store.
//
// Durability: the sessions run with synchronous_commit=on, so COMMIT returns
// only after the server has flushed its write-ahead log; a report is
// acknowledged only after the COMMIT that wrote it.
//
// Idempotence across replicas: (municipality, submission id) is the primary
// key, and a batch inserts with ON CONFLICT DO NOTHING. When two replicas insert the
// same id at once, the second waits for the first transaction and then finds
// its row, so the database, not any one process, decides which retry is the
// first. Rows are inserted in key order and cells in key order, so
// two batches lock in the same order; a deadlock or serialisation failure
// that happens anyway is retried. So is a batch whose COMMIT answer was
// lost with the connection: reports the retry finds under the transaction
// id of an earlier attempt of the same batch were stored by it, and are
// answered accepted, not duplicate.
//
// Group commit (write_pipeline.h): as in the SQLite store, the pipeline's
// writer thread takes every queued batch (up to a bound) into one
// transaction, and its completion thread answers the callers, so their work
// never delays the next commit. Duty and use writes (and the lifecycle's
// answers and decisions) take the write connection on the caller's thread,
// between two batches.
//
// Change feed: each report, duty, use, agency, consultation answer and
// decision row carries the id of the transaction that wrote it (xid8), and
// each report and decision a sequence number. A row
// invisible to one snapshot was written by a transaction at or above that
// snapshot's xmin, so reading "xid >= previous xmin" in a new snapshot, and
// skipping the reports already returned, returns every commit exactly once,
// whatever order transactions commit in (a plain "seq > last" would miss a
// transaction that took its sequence number early and committed late).
#include "common/store/postgres_store.h"

#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <map>
#include <set>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/base/redaction.h"
#include "common/base/status_macros.h"
#include "common/store/write_pipeline.h"

namespace inrapport {
namespace {

// Schema migrations, applied in order; schema_migrations lists the applied
// ones. Append new ones; never edit one that has shipped.
constexpr const char* kMigrations[] = {
    // 1: duties, reports, uses, and the burden and answer cells kept beside
    // the reports; xid and seq feed the replicas' change feed.
    R"sql(
    CREATE TABLE duties (
      id text PRIMARY KEY,
      agency_id text NOT NULL,
      title text NOT NULL,
      legal_basis text NOT NULL,
      purpose text NOT NULL,
      sector integer NOT NULL,
      frequency integer NOT NULL,
      data_items text NOT NULL,
      targeted_grant text NOT NULL,
      estimated_minutes_per_report double precision NOT NULL,
      valid_from text NOT NULL,
      valid_until text NOT NULL,
      source_url text NOT NULL,
      notes text NOT NULL,
      xid xid8 NOT NULL DEFAULT pg_current_xact_id()
    );
    CREATE INDEX duties_xid ON duties (xid);
    CREATE TABLE reports (
      submission_id text PRIMARY KEY,
      municipality_code text NOT NULL,
      duty_id text NOT NULL,
      period text NOT NULL,
      minutes_spent bigint NOT NULL,
      staff_count integer NOT NULL,
      usefulness integer NOT NULL,
      feedback_received integer NOT NULL,
      already_reported_elsewhere integer NOT NULL,
      comment text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      seq bigserial NOT NULL UNIQUE,
      xid xid8 NOT NULL DEFAULT pg_current_xact_id()
    );
    CREATE INDEX reports_xid ON reports (xid);
    CREATE TABLE burden_cells (
      duty_id text NOT NULL,
      municipality_code text NOT NULL,
      period text NOT NULL,
      reports bigint NOT NULL,
      minutes bigint NOT NULL,
      PRIMARY KEY (duty_id, municipality_code, period)
    );
    CREATE TABLE duty_uses (
      duty_id text NOT NULL,
      use_id text NOT NULL,
      kind integer NOT NULL,
      date text NOT NULL,
      description text NOT NULL,
      link text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      PRIMARY KEY (duty_id, use_id)
    );
    CREATE INDEX duty_uses_xid ON duty_uses (xid);
    CREATE TABLE answer_cells (
      duty_id text NOT NULL,
      minutes bigint NOT NULL,
      usefulness integer NOT NULL,
      feedback integer NOT NULL,
      reports bigint NOT NULL,
      PRIMARY KEY (duty_id, minutes, usefulness, feedback)
    );
    )sql",
    // 2: the commented reports, newest first per duty and overall, for the
    // comments agencies and the arena read; partial, so reports without a
    // comment cost the write path nothing.
    R"sql(
    CREATE INDEX reports_with_comment_by_duty ON reports (duty_id, seq) WHERE comment <> '';
    CREATE INDEX reports_with_comment ON reports (seq) WHERE comment <> '';
    )sql",
    // 3: every duty's versions: who changed what, when (seconds since the
    // epoch), and the duty as it then stood. A duty registered before has
    // one version of unknown time (0) and author.
    R"sql(
    CREATE TABLE duty_versions (
      id text NOT NULL,
      agency_id text NOT NULL,
      title text NOT NULL,
      legal_basis text NOT NULL,
      purpose text NOT NULL,
      sector integer NOT NULL,
      frequency integer NOT NULL,
      data_items text NOT NULL,
      targeted_grant text NOT NULL,
      estimated_minutes_per_report double precision NOT NULL,
      valid_from text NOT NULL,
      valid_until text NOT NULL,
      source_url text NOT NULL,
      notes text NOT NULL,
      version bigint NOT NULL,
      changed_at bigint NOT NULL,
      changed_by text NOT NULL,
      changed_fields text NOT NULL,
      PRIMARY KEY (id, version)
    );
    INSERT INTO duty_versions
      SELECT id, agency_id, title, legal_basis, purpose, sector, frequency, data_items,
        targeted_grant, estimated_minutes_per_report, valid_from, valid_until, source_url,
        notes, 1, 0, '', ''
      FROM duties;
    )sql",
    // 4: the answer cells also tell the reports that say their data is
    // already reported elsewhere; rebuilt from the reports.
    R"sql(
    DROP TABLE answer_cells;
    CREATE TABLE answer_cells (
      duty_id text NOT NULL,
      minutes bigint NOT NULL,
      usefulness integer NOT NULL,
      feedback integer NOT NULL,
      elsewhere integer NOT NULL,
      reports bigint NOT NULL,
      PRIMARY KEY (duty_id, minutes, usefulness, feedback, elsewhere)
    );
    INSERT INTO answer_cells (duty_id, minutes, usefulness, feedback, elsewhere, reports)
      SELECT duty_id, minutes_spent, usefulness, feedback_received,
        already_reported_elsewhere, count(*)
      FROM reports
      GROUP BY duty_id, minutes_spent, usefulness, feedback_received,
        already_reported_elsewhere;
    )sql",
    // 5: a use names the periods of data it used; uses recorded before
    // name none.
    R"sql(
    ALTER TABLE duty_uses ADD COLUMN first_period text NOT NULL DEFAULT '';
    ALTER TABLE duty_uses ADD COLUMN last_period text NOT NULL DEFAULT '';
    )sql",
    // 6: the answer cells are kept per period, so that the report-driven
    // flags of a period come from its own answers; rebuilt from the reports.
    R"sql(
    DROP TABLE answer_cells;
    CREATE TABLE answer_cells (
      duty_id text NOT NULL,
      period text NOT NULL,
      minutes bigint NOT NULL,
      usefulness integer NOT NULL,
      feedback integer NOT NULL,
      elsewhere integer NOT NULL,
      reports bigint NOT NULL,
      PRIMARY KEY (duty_id, period, minutes, usefulness, feedback, elsewhere)
    );
    INSERT INTO answer_cells (duty_id, period, minutes, usefulness, feedback, elsewhere, reports)
      SELECT duty_id, period, minutes_spent, usefulness, feedback_received,
        already_reported_elsewhere, count(*)
      FROM reports
      GROUP BY duty_id, period, minutes_spent, usefulness, feedback_received,
        already_reported_elsewhere;
    )sql",
    // 7: a report may name where its data is already reported; reports
    // stored before name nothing. The partial index serves the arena's
    // overlaps without touching the reports that name nothing.
    R"sql(
    ALTER TABLE reports ADD COLUMN already_reported_where text NOT NULL DEFAULT '';
    CREATE INDEX reports_reported_where ON reports (duty_id, already_reported_where)
      WHERE already_reported_where <> '';
    )sql",
    // 8: a duty may name the municipalities that must report it; duties
    // and versions stored before name none (all municipalities).
    R"sql(
    ALTER TABLE duties ADD COLUMN respondents text NOT NULL DEFAULT '';
    ALTER TABLE duty_versions ADD COLUMN respondents text NOT NULL DEFAULT '';
    )sql",
    // 9: a submission id is unique within its municipality, not across
    // all: one municipality's ids can no longer block another's.
    R"sql(
    ALTER TABLE reports DROP CONSTRAINT reports_pkey,
      ADD PRIMARY KEY (municipality_code, submission_id);
    )sql",
    // 10: corrections and withdrawals. A report's row holds its stored
    // version (its xid stays that of the insert, so the change feed does
    // not return it again); each version it replaced is kept in
    // report_versions, whose xid and seq feed the replicas the change.
    R"sql(
    ALTER TABLE reports ADD COLUMN version integer NOT NULL DEFAULT 1,
      ADD COLUMN changed_at bigint NOT NULL DEFAULT 0,
      ADD COLUMN reason text NOT NULL DEFAULT '',
      ADD COLUMN withdrawn boolean NOT NULL DEFAULT false;
    CREATE TABLE report_versions (
      municipality_code text NOT NULL,
      submission_id text NOT NULL,
      version integer NOT NULL,
      duty_id text NOT NULL,
      period text NOT NULL,
      minutes_spent bigint NOT NULL,
      staff_count integer NOT NULL,
      usefulness integer NOT NULL,
      feedback_received integer NOT NULL,
      already_reported_elsewhere integer NOT NULL,
      comment text NOT NULL,
      already_reported_where text NOT NULL,
      received_at timestamptz NOT NULL,
      changed_at bigint NOT NULL,
      reason text NOT NULL,
      seq bigserial NOT NULL UNIQUE,
      xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      PRIMARY KEY (municipality_code, submission_id, version)
    );
    CREATE INDEX report_versions_xid ON report_versions (xid);
    )sql",
    // 11: a duty may state its deadline rule; duties and versions stored
    // before state none.
    R"sql(
    ALTER TABLE duties ADD COLUMN deadline text NOT NULL DEFAULT '';
    ALTER TABLE duty_versions ADD COLUMN deadline text NOT NULL DEFAULT '';
    )sql",
    // 12: each burden cell keeps its earliest receipt, which says whether
    // the period came by its deadline; filled from the reports.
    R"sql(
    ALTER TABLE burden_cells ADD COLUMN first_received bigint NOT NULL DEFAULT 0;
    UPDATE burden_cells SET first_received = f.first
      FROM (SELECT duty_id, municipality_code, period,
                   floor(extract(epoch FROM min(received_at)))::bigint AS first
            FROM reports WHERE NOT withdrawn
            GROUP BY duty_id, municipality_code, period) AS f
      WHERE f.duty_id = burden_cells.duty_id
        AND f.municipality_code = burden_cells.municipality_code
        AND f.period = burden_cells.period;
    )sql",
    // 13: agencies, registered parties that duties name; the xid feeds
    // the replicas a new or renamed agency.
    R"sql(
    CREATE TABLE agencies (
      id text PRIMARY KEY,
      name text NOT NULL,
      organisation_number text NOT NULL,
      xid xid8 NOT NULL DEFAULT pg_current_xact_id()
    );
    CREATE INDEX agencies_xid ON agencies (xid);
    )sql",
    // 14: the duty lifecycle. A duty has a state (DutyState, 3 = in
    // force), a consultation's last day and an expiry; duties and versions
    // stored before are in force with no expiry. A version keeps why the
    // state moved. The municipalities' consultation answers, one per duty
    // and municipality, and the arena's decisions, in the order recorded;
    // their xid feeds the replicas a new or replaced answer and a new
    // decision.
    R"sql(
    ALTER TABLE duties ADD COLUMN state integer NOT NULL DEFAULT 3,
      ADD COLUMN consultation_until text NOT NULL DEFAULT '',
      ADD COLUMN expires_on text NOT NULL DEFAULT '';
    ALTER TABLE duty_versions ADD COLUMN state integer NOT NULL DEFAULT 3,
      ADD COLUMN consultation_until text NOT NULL DEFAULT '',
      ADD COLUMN expires_on text NOT NULL DEFAULT '',
      ADD COLUMN reason text NOT NULL DEFAULT '';
    CREATE TABLE consultation_answers (
      duty_id text NOT NULL,
      municipality_code text NOT NULL,
      comment text NOT NULL,
      estimated_minutes double precision NOT NULL,
      elsewhere integer NOT NULL,
      elsewhere_where text NOT NULL,
      answered_at bigint NOT NULL,
      answered_by text NOT NULL,
      xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      PRIMARY KEY (duty_id, municipality_code)
    );
    CREATE INDEX consultation_answers_xid ON consultation_answers (xid);
    CREATE TABLE duty_decisions (
      seq bigserial PRIMARY KEY,
      duty_id text NOT NULL,
      kind integer NOT NULL,
      reason text NOT NULL,
      decided_on text NOT NULL,
      decided_by text NOT NULL,
      expires_on text NOT NULL,
      merge_into text NOT NULL,
      forecast_minutes double precision NOT NULL,
      forecast_minutes_low double precision NOT NULL,
      forecast_minutes_high double precision NOT NULL,
      forecast_hours double precision NOT NULL,
      forecast_hours_low double precision NOT NULL,
      forecast_hours_high double precision NOT NULL,
      forecast_agency_estimate boolean NOT NULL,
      forecast_basis text NOT NULL,
      recorded_at bigint NOT NULL,
      xid xid8 NOT NULL DEFAULT pg_current_xact_id()
    );
    CREATE INDEX duty_decisions_xid ON duty_decisions (xid);
    )sql",
};
constexpr int kSchemaVersion = sizeof(kMigrations) / sizeof(kMigrations[0]);

// Any constant shared by every inrapportd: the advisory lock that serialises
// migrations of replicas starting together.
constexpr const char* kMigrationLock = "7310482915";

// As in the SQLite store: data items joined with the unit separator.
constexpr char kItemSeparator = '\x1f';

// How often a batch is retried after a deadlock or serialisation failure.
constexpr int kMaxAttempts = 5;

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string SqlState(const PGresult* result) {
  const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return state == nullptr ? "" : state;
}

bool IsRetryable(const std::string& state) { return state == "40001" || state == "40P01"; }

// Connection trouble, resources, shutdown, a lock not granted in time: the
// write may succeed later.
absl::Status PgError(PGconn* conn, const PGresult* result, absl::string_view what) {
  std::string message = result != nullptr ? PQresultErrorMessage(result) : "";
  if (message.empty() && conn != nullptr) message = PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const std::string state = SqlState(result);
  const std::string text = absl::StrCat(what, ": ", message);
  if (state.empty() || absl::StartsWith(state, "08") || absl::StartsWith(state, "53") ||
      absl::StartsWith(state, "57") || absl::StartsWith(state, "40") ||
      absl::StartsWith(state, "25") || state == "55P03" ||
      (conn != nullptr && PQstatus(conn) != CONNECTION_OK)) {
    return absl::UnavailableError(text);
  }
  return absl::InternalError(absl::StrCat(text, " (SQLSTATE ", state, ")"));
}

// A PostgreSQL array literal of text elements.
std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::string IntArray(const std::vector<int64_t>& items) {
  return absl::StrCat("{", absl::StrJoin(items, ","), "}");
}

int64_t Int(const PGresult* r, int row, int col) {
  int64_t value = 0;
  (void)absl::SimpleAtoi(PQgetvalue(r, row, col), &value);
  return value;
}
uint64_t Xid(const PGresult* r, int row, int col) {
  uint64_t value = 0;
  (void)absl::SimpleAtoi(PQgetvalue(r, row, col), &value);
  return value;
}
std::string Text(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}

// One libpq connection; not thread-safe (callers hold a lock).
class Connection {
 public:
  ~Connection() {
    if (conn_ != nullptr) PQfinish(conn_);
  }

  absl::Status Connect(const std::string& uri, int lock_timeout_ms) {
    // libpq takes the last value of a repeated keyword. Before the URI, the
    // defaults it may override: a bounded connect, and keepalives (idle
    // 10 s, then 3 probes 5 s apart; unacknowledged data 30 s) so that a
    // server that vanished without closing the connection ends the session
    // instead of leaving a write or a feed read waiting forever. After it,
    // what it may not: every session commits synchronously whatever the
    // server's default.
    const std::string options =
        "-c synchronous_commit=on -c lock_timeout=" + std::to_string(lock_timeout_ms);
    const char* keys[] = {"connect_timeout",    "keepalives",       "keepalives_idle",
                          "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                          "dbname",             "application_name", "options",
                          nullptr};
    const char* values[] = {"10",        "1",          "10",            "5", "3", "30000",
                            uri.c_str(), "inrapportd", options.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
      return absl::UnavailableError(absl::StrCat(
          "cannot connect to PostgreSQL at ", RedactedUri(uri), ": ",
          // libpq's message may echo part of the URI, a password included.
          RedactedMessage(conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory", uri)));
    }
    return absl::OkStatus();
  }

  // Reconnects a broken session (the server restarted, or failed over).
  void EnsureConnected() {
    if (PQstatus(conn_) != CONNECTION_OK) PQreset(conn_);
  }

  // Runs `sql` with text parameters; OK for a command or a row set.
  absl::StatusOr<Result> Run(const char* sql, const std::vector<std::string>& params = {},
                             absl::string_view what = "query") {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const std::string& p : params) values.push_back(p.c_str());
    // Without parameters, the simple protocol: a migration holds several
    // statements.
    Result result(params.empty()
                      ? PQexec(conn_, sql)
                      : PQexecParams(conn_, sql, static_cast<int>(params.size()), nullptr,
                                     values.data(), nullptr, nullptr, 0),
                  &PQclear);
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      last_state_ = SqlState(result.get());
      return PgError(conn_, result.get(), what);
    }
    last_state_.clear();
    return result;
  }

  // Whether the session is gone (the last call found it so).
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }

  // Ends whatever transaction is open, ignoring errors.
  void Rollback() { Result(PQexec(conn_, "ROLLBACK"), &PQclear); }

  const std::string& last_state() const { return last_state_; }
  PGconn* get() { return conn_; }

 private:
  PGconn* conn_ = nullptr;
  std::string last_state_;
};

constexpr const char* kReportColumns =
    "submission_id, municipality_code, duty_id, period, minutes_spent, staff_count, "
    "usefulness, feedback_received, already_reported_elsewhere, comment, "
    "already_reported_where";
// kReportColumns, then the receipt's time, the arrival order, and the
// version's number, time, reason and withdrawal.
constexpr const char* kStoredReportColumns =
    "submission_id, municipality_code, duty_id, period, minutes_spent, staff_count, "
    "usefulness, feedback_received, already_reported_elsewhere, comment, "
    "already_reported_where, floor(extract(epoch FROM received_at))::bigint, seq, version, "
    "changed_at, reason, withdrawn::int";
// The same of a kept version (report_versions), which is never withdrawn.
constexpr const char* kVersionColumns =
    "submission_id, municipality_code, duty_id, period, minutes_spent, staff_count, "
    "usefulness, feedback_received, already_reported_elsewhere, comment, "
    "already_reported_where, floor(extract(epoch FROM received_at))::bigint, 0, version, "
    "changed_at, reason, 0";
constexpr const char* kDutyColumns =
    "id, agency_id, title, legal_basis, purpose, sector, frequency, data_items, "
    "targeted_grant, estimated_minutes_per_report, valid_from, valid_until, source_url, notes, "
    "respondents, deadline, state, consultation_until, expires_on";
constexpr int kDutyColumnCount = 19;
constexpr const char* kUseColumns =
    "duty_id, use_id, kind, date, description, link, first_period, last_period";
// Follows "WITH d AS (<a write of duties> RETURNING kDutyColumns)": the duty
// as written becomes its next version; $1 is its id, $20, $21 and $22 the
// author, the changed fields and the reason. The columns are named: later
// migrations append duty columns after the version's own.
constexpr const char* kInsertDutyVersion =
    "INSERT INTO duty_versions (id, agency_id, title, legal_basis, purpose, sector, frequency, "
    "data_items, targeted_grant, estimated_minutes_per_report, valid_from, valid_until, "
    "source_url, notes, respondents, deadline, state, consultation_until, expires_on, version, "
    "changed_at, changed_by, changed_fields, reason) "
    "SELECT d.*, (SELECT coalesce(max(version), 0) + 1 FROM duty_versions WHERE id = $1), "
    "extract(epoch FROM now())::bigint, $20, $21, $22 FROM d";
// Updates the duty $1 (DutyChangeParams), its new xid putting the row back
// on the change feed, and writes its next version.
constexpr const char* kUpdateDuty =
    "WITH d AS (UPDATE duties SET agency_id = $2, title = $3, legal_basis = $4, purpose = $5, "
    "sector = $6, frequency = $7, data_items = $8, targeted_grant = $9, "
    "estimated_minutes_per_report = $10, valid_from = $11, valid_until = $12, source_url = $13, "
    "notes = $14, respondents = $15, deadline = $16, state = $17, consultation_until = $18, "
    "expires_on = $19, xid = pg_current_xact_id() WHERE id = $1 RETURNING ";
constexpr const char* kAnswerColumns =
    "duty_id, municipality_code, comment, estimated_minutes, elsewhere, elsewhere_where, "
    "answered_at, answered_by";
constexpr const char* kDecisionColumns =
    "seq, duty_id, kind, reason, decided_on, decided_by, expires_on, merge_into, "
    "forecast_minutes, forecast_minutes_low, forecast_minutes_high, forecast_hours, "
    "forecast_hours_low, forecast_hours_high, forecast_agency_estimate::int, forecast_basis, "
    "recorded_at";

// "a, b" with prefix "v." is "v.a, v.b".
std::string Prefixed(absl::string_view columns, absl::string_view prefix) {
  std::vector<std::string> named;
  for (absl::string_view column : absl::StrSplit(columns, ", ")) {
    named.push_back(absl::StrCat(prefix, column));
  }
  return absl::StrJoin(named, ", ");
}

// Columns in kReportColumns order, starting at `col`.
Report ReadReport(const PGresult* r, int row, int col = 0) {
  Report report;
  report.submission_id = Text(r, row, col + 0);
  report.municipality_code = Text(r, row, col + 1);
  report.duty_id = Text(r, row, col + 2);
  report.period = Text(r, row, col + 3);
  report.minutes_spent = Int(r, row, col + 4);
  report.staff_count = static_cast<int32_t>(Int(r, row, col + 5));
  report.usefulness = static_cast<int32_t>(Int(r, row, col + 6));
  report.feedback_received = static_cast<Answer>(Int(r, row, col + 7));
  report.already_reported_elsewhere = static_cast<Answer>(Int(r, row, col + 8));
  report.comment = Text(r, row, col + 9);
  report.already_reported_where = Text(r, row, col + 10);
  return report;
}

// Columns in kStoredReportColumns order, starting at `col`.
StoredReport ReadStoredReport(const PGresult* r, int row, int col = 0) {
  StoredReport stored;
  stored.report = ReadReport(r, row, col);
  stored.receipt.received_at_unix = Int(r, row, col + 11);
  stored.seq = Int(r, row, col + 12);
  stored.receipt.version = static_cast<int32_t>(Int(r, row, col + 13));
  stored.receipt.changed_at_unix = Int(r, row, col + 14);
  stored.reason = Text(r, row, col + 15);
  stored.withdrawn = Int(r, row, col + 16) != 0;
  return stored;
}

Duty ReadDuty(const PGresult* r, int row) {
  Duty duty;
  duty.id = Text(r, row, 0);
  duty.agency_id = Text(r, row, 1);
  duty.title = Text(r, row, 2);
  duty.legal_basis = Text(r, row, 3);
  duty.purpose = Text(r, row, 4);
  duty.sector = static_cast<Sector>(Int(r, row, 5));
  duty.frequency = static_cast<Frequency>(Int(r, row, 6));
  const std::string items = Text(r, row, 7);
  if (!items.empty()) duty.data_items = absl::StrSplit(items, kItemSeparator);
  duty.targeted_grant = Text(r, row, 8);
  double minutes = 0;
  (void)absl::SimpleAtod(PQgetvalue(r, row, 9), &minutes);
  duty.estimated_minutes_per_report = minutes;
  duty.valid_from = Text(r, row, 10);
  duty.valid_until = Text(r, row, 11);
  duty.source_url = Text(r, row, 12);
  duty.notes = Text(r, row, 13);
  const std::string respondents = Text(r, row, 14);
  if (!respondents.empty()) duty.respondents = absl::StrSplit(respondents, kItemSeparator);
  duty.deadline = Text(r, row, 15);
  duty.state = static_cast<DutyState>(Int(r, row, 16));
  duty.consultation_until = Text(r, row, 17);
  duty.expires_on = Text(r, row, 18);
  return duty;
}

double Double(const PGresult* r, int row, int col) {
  double value = 0;
  (void)absl::SimpleAtod(PQgetvalue(r, row, col), &value);
  return value;
}

// Round-trip precision.
std::string DoubleText(double value) {
  char text[64];
  snprintf(text, sizeof(text), "%.17g", value);
  return text;
}

// Columns in kAnswerColumns order.
ConsultationAnswer ReadAnswer(const PGresult* r, int row) {
  ConsultationAnswer answer;
  answer.duty_id = Text(r, row, 0);
  answer.municipality_code = Text(r, row, 1);
  answer.comment = Text(r, row, 2);
  answer.estimated_minutes_per_report = Double(r, row, 3);
  answer.already_reported_elsewhere = static_cast<Answer>(Int(r, row, 4));
  answer.already_reported_where = Text(r, row, 5);
  answer.answered_at_unix = Int(r, row, 6);
  answer.answered_by = Text(r, row, 7);
  return answer;
}

// Columns in kDecisionColumns order.
DutyDecision ReadDecision(const PGresult* r, int row) {
  DutyDecision decision;
  decision.seq = Int(r, row, 0);
  decision.duty_id = Text(r, row, 1);
  decision.kind = static_cast<DecisionKind>(Int(r, row, 2));
  decision.reason = Text(r, row, 3);
  decision.decided_on = Text(r, row, 4);
  decision.decided_by = Text(r, row, 5);
  decision.expires_on = Text(r, row, 6);
  decision.merge_into = Text(r, row, 7);
  RecordedForecast& f = decision.forecast;
  f.minutes_per_report = Double(r, row, 8);
  f.minutes_per_report_low = Double(r, row, 9);
  f.minutes_per_report_high = Double(r, row, 10);
  f.hours_per_year = Double(r, row, 11);
  f.hours_per_year_low = Double(r, row, 12);
  f.hours_per_year_high = Double(r, row, 13);
  f.agency_estimate = Int(r, row, 14) != 0;
  f.basis = Text(r, row, 15);
  decision.recorded_at_unix = Int(r, row, 16);
  return decision;
}

DutyUse ReadUse(const PGresult* r, int row) {
  DutyUse use;
  use.duty_id = Text(r, row, 0);
  use.use_id = Text(r, row, 1);
  use.kind = static_cast<UseKind>(Int(r, row, 2));
  use.date = Text(r, row, 3);
  use.description = Text(r, row, 4);
  use.link = Text(r, row, 5);
  use.first_period = Text(r, row, 6);
  use.last_period = Text(r, row, 7);
  return use;
}

// A stored report's key as one string: its municipality and its
// submission id, which is unique within the municipality only.
std::string KeyOf(const std::string& municipality_code, const std::string& submission_id) {
  return absl::StrCat(municipality_code, std::string(1, kItemSeparator), submission_id);
}
std::string KeyOf(const Report& report) {
  return KeyOf(report.municipality_code, report.submission_id);
}

std::vector<std::string> DutyParams(const Duty& duty) {
  // Round-trip precision for the estimate.
  char minutes[64];
  snprintf(minutes, sizeof(minutes), "%.17g", duty.estimated_minutes_per_report);
  return {duty.id, duty.agency_id, duty.title, duty.legal_basis, duty.purpose,
          absl::StrCat(static_cast<int>(duty.sector)),
          absl::StrCat(static_cast<int>(duty.frequency)),
          absl::StrJoin(duty.data_items, std::string(1, kItemSeparator)),
          duty.targeted_grant, minutes, duty.valid_from, duty.valid_until,
          duty.source_url, duty.notes,
          absl::StrJoin(duty.respondents, std::string(1, kItemSeparator)), duty.deadline};
}

// DutyParams ($1 to $16), then the lifecycle ($17 to $19), and the author,
// the changed fields and the reason ($20 to $22).
std::vector<std::string> DutyChangeParams(const Duty& duty, const DutyChange& change) {
  std::vector<std::string> params = DutyParams(duty);
  params.push_back(absl::StrCat(static_cast<int>(duty.state)));
  params.push_back(duty.consultation_until);
  params.push_back(duty.expires_on);
  params.push_back(change.changed_by);
  params.push_back(absl::StrJoin(change.changed_fields, std::string(1, kItemSeparator)));
  params.push_back(change.reason);
  return params;
}

class PostgresStore : public Store {
 public:
  explicit PostgresStore(PostgresStoreOptions options) : options_(std::move(options)) {}

  ~PostgresStore() override { pipeline_.Stop(); }  // writes and answers everything queued

  absl::Status Open() {
    {
      absl::MutexLock lock(&write_mu_);
      RETURN_IF_ERROR(write_.Connect(options_.uri, options_.lock_timeout_ms));
      RETURN_IF_ERROR(Migrate());
    }
    {
      absl::MutexLock lock(&read_mu_);
      RETURN_IF_ERROR(read_.Connect(options_.uri, options_.lock_timeout_ms));
    }
    pipeline_.Start();
    return absl::OkStatus();
  }

  using Store::CreateDuty;
  using Store::UpdateDuty;
  absl::Status CreateDuty(const Duty& duty, const DutyChange& change) override {
    absl::MutexLock lock(&write_mu_);
    write_.EnsureConnected();
    // The duty and its first version in one statement, so one transaction.
    ASSIGN_OR_RETURN(Result r,
                     write_.Run(absl::StrCat("WITH d AS (INSERT INTO duties (", kDutyColumns,
                                             ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                                             "$10, $11, $12, $13, $14, $15, $16, $17, $18, "
                                             "$19) ON CONFLICT (id) "
                                             "DO "
                                             "NOTHING RETURNING ",
                                             kDutyColumns, ") ", kInsertDutyVersion)
                                    .c_str(),
                                DutyChangeParams(duty, change), "write duty"));
    if (absl::string_view(PQcmdTuples(r.get())) == "0") {
      return absl::AlreadyExistsError(absl::StrCat("duty.id: \"", duty.id, "\" already exists"));
    }
    return absl::OkStatus();
  }

  absl::Status UpdateDuty(const Duty& duty, const DutyChange& change) override {
    absl::MutexLock lock(&write_mu_);
    write_.EnsureConnected();
    return WriteDutyUpdate(duty, change);  // one statement, so one transaction
  }

  absl::StatusOr<std::vector<DutyVersion>> LoadDutyHistory(const std::string& id) override {
    absl::MutexLock lock(&read_mu_);
    ASSIGN_OR_RETURN(Result r, Read(absl::StrCat("SELECT ", kDutyColumns,
                                                 ", version, changed_at, changed_by, "
                                                 "changed_fields, reason FROM duty_versions "
                                                 "WHERE id = $1 ORDER BY version"),
                                    {id}, "load duty history"));
    std::vector<DutyVersion> versions;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      DutyVersion& v = versions.emplace_back();
      v.duty = ReadDuty(r.get(), i);
      v.version = Int(r.get(), i, kDutyColumnCount);
      v.changed_at_unix = Int(r.get(), i, kDutyColumnCount + 1);
      v.change.changed_by = Text(r.get(), i, kDutyColumnCount + 2);
      const std::string fields = Text(r.get(), i, kDutyColumnCount + 3);
      if (!fields.empty()) v.change.changed_fields = absl::StrSplit(fields, kItemSeparator);
      v.change.reason = Text(r.get(), i, kDutyColumnCount + 4);
    }
    return versions;
  }

  absl::StatusOr<std::vector<Duty>> LoadDuties() override {
    absl::MutexLock lock(&read_mu_);
    ASSIGN_OR_RETURN(Result r, Read(absl::StrCat("SELECT ", kDutyColumns,
                                                 " FROM duties ORDER BY id COLLATE \"C\""),
                                    {}, "load duties"));
    std::vector<Duty> duties;
    for (int i = 0; i < PQntuples(r.get()); ++i) duties.push_back(ReadDuty(r.get(), i));
    return duties;
  }

  using Store::SubmitReports;
  void SubmitReports(ReportBatch reports, SubmitCallback done, Withdrawn withdrawn) override {
    pipeline_.Submit(std::move(reports), std::move(done), std::move(withdrawn));
  }

  absl::Status PutAgency(const Agency& agency, bool create) override {
    absl::MutexLock lock(&write_mu_);
    write_.EnsureConnected();
    ASSIGN_OR_RETURN(
        Result r,
        write_.Run(create ? "INSERT INTO agencies (id, name, organisation_number) VALUES ($1, "
                            "$2, $3) ON CONFLICT (id) DO NOTHING"
                          : "UPDATE agencies SET name = $2, organisation_number = $3, "
                            "xid = pg_current_xact_id() WHERE id = $1",
                   {agency.id, agency.name, agency.organisation_number}, "write agency"));
    if (absl::string_view(PQcmdTuples(r.get())) == "1") return absl::OkStatus();
    return create ? absl::AlreadyExistsError(
                        absl::StrCat("agency.id: \"", agency.id, "\" already exists"))
                  : absl::NotFoundError(absl::StrCat("agency \"", agency.id, "\" not found"));
  }

  absl::StatusOr<std::vector<Agency>> LoadAgencies() override {
    absl::MutexLock lock(&read_mu_);
    ASSIGN_OR_RETURN(Result r, Read("SELECT id, name, organisation_number FROM agencies "
                                    "ORDER BY id COLLATE \"C\"",
                                    {}, "load agencies"));
    std::vector<Agency> agencies;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      agencies.push_back({Text(r.get(), i, 0), Text(r.get(), i, 1), Text(r.get(), i, 2)});
    }
    return agencies;
  }

  absl::StatusOr<ConsultationAnswer> PutConsultationAnswer(
      const ConsultationAnswer& answer) override {
    absl::MutexLock lock(&write_mu_);
    write_.EnsureConnected();
    // A replaced answer takes this transaction's xid: back on the feed.
    ASSIGN_OR_RETURN(
        Result r, write_.Run(absl::StrCat("INSERT INTO consultation_answers (", kAnswerColumns,
                                          ") VALUES ($1, $2, $3, $4, $5, $6, "
                                          "floor(extract(epoch FROM now()))::bigint, $7) "
                                          "ON CONFLICT (duty_id, municipality_code) DO UPDATE SET "
                                          "comment = excluded.comment, "
                                          "estimated_minutes = excluded.estimated_minutes, "
                                          "elsewhere = excluded.elsewhere, "
                                          "elsewhere_where = excluded.elsewhere_where, "
                                          "answered_at = excluded.answered_at, "
                                          "answered_by = excluded.answered_by, "
                                          "xid = pg_current_xact_id() RETURNING answered_at")
                                 .c_str(),
                             {answer.duty_id, answer.municipality_code, answer.comment,
                              DoubleText(answer.estimated_minutes_per_report),
                              absl::StrCat(static_cast<int>(answer.already_reported_elsewhere)),
                              answer.already_reported_where, answer.answered_by},
                             "write consultation answer"));
    ConsultationAnswer stored = answer;
    stored.answered_at_unix = Int(r.get(), 0, 0);
    return stored;
  }

  absl::StatusOr<std::vector<ConsultationAnswer>> LoadConsultationAnswers() override {
    absl::MutexLock lock(&read_mu_);
    ASSIGN_OR_RETURN(Result r, Read(absl::StrCat("SELECT ", kAnswerColumns,
                                                 " FROM consultation_answers ORDER BY "
                                                 "duty_id COLLATE \"C\", "
                                                 "municipality_code COLLATE \"C\""),
                                    {}, "load consultation answers"));
    std::vector<ConsultationAnswer> answers;
    for (int i = 0; i < PQntuples(r.get()); ++i) answers.push_back(ReadAnswer(r.get(), i));
    return answers;
  }

  absl::StatusOr<DutyDecision> RecordDecision(const DutyDecision& decision, const Duty* duty,
                                              const DutyChange& change) override {
    absl::MutexLock lock(&write_mu_);
    write_.EnsureConnected();
    RETURN_IF_ERROR(write_.Run("BEGIN", {}, "begin").status());
    absl::StatusOr<DutyDecision> result = [&]() -> absl::StatusOr<DutyDecision> {
      if (duty != nullptr) RETURN_IF_ERROR(WriteDutyUpdate(*duty, change));
      const RecordedForecast& f = decision.forecast;
      ASSIGN_OR_RETURN(
          Result r,
          write_.Run(
              "INSERT INTO duty_decisions (duty_id, kind, reason, decided_on, "
              "decided_by, expires_on, merge_into, forecast_minutes, "
              "forecast_minutes_low, forecast_minutes_high, forecast_hours, "
              "forecast_hours_low, forecast_hours_high, forecast_agency_estimate, "
              "forecast_basis, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
              "$10, $11, $12, $13, $14, $15, floor(extract(epoch FROM now()))::bigint) "
              "RETURNING seq, recorded_at",
              {decision.duty_id, absl::StrCat(static_cast<int>(decision.kind)), decision.reason,
               decision.decided_on, decision.decided_by, decision.expires_on, decision.merge_into,
               DoubleText(f.minutes_per_report), DoubleText(f.minutes_per_report_low),
               DoubleText(f.minutes_per_report_high), DoubleText(f.hours_per_year),
               DoubleText(f.hours_per_year_low), DoubleText(f.hours_per_year_high),
               f.agency_estimate ? "true" : "false", f.basis},
              "record decision"));
      DutyDecision stored = decision;
      stored.seq = Int(r.get(), 0, 0);
      stored.recorded_at_unix = Int(r.get(), 0, 1);
      RETURN_IF_ERROR(write_.Run("COMMIT", {}, "commit").status());
      return stored;
    }();
    if (!result.ok()) write_.Rollback();
    return result;
  }

  absl::StatusOr<std::vector<DutyDecision>> LoadDecisions() override {
    absl::MutexLock lock(&read_mu_);
    ASSIGN_OR_RETURN(Result r, Read(absl::StrCat("SELECT ", kDecisionColumns,
                                                 " FROM duty_decisions ORDER BY seq"),
                                    {}, "load decisions"));
    std::vector<DutyDecision> decisions;
    for (int i = 0; i < PQntuples(r.get()); ++i) decisions.push_back(ReadDecision(r.get(), i));
    return decisions;
  }

  absl::StatusOr<SubmitOutcome> RecordUse(const DutyUse& use) override {
    absl::MutexLock lock(&write_mu_);
    write_.EnsureConnected();
    const std::vector<std::string> params = {use.duty_id, use.use_id,
                                             absl::StrCat(static_cast<int>(use.kind)),
                                             use.date, use.description, use.link,
                                             use.first_period, use.last_period};
    ASSIGN_OR_RETURN(Result r, write_.Run(absl::StrCat("INSERT INTO duty_uses (", kUseColumns,
                                                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                                                       "ON CONFLICT (duty_id, use_id) DO "
                                                       "NOTHING")
                                              .c_str(),
                                          params, "record use"));
    if (absl::string_view(PQcmdTuples(r.get())) == "1") return SubmitOutcome::kAccepted;
    ASSIGN_OR_RETURN(Result s, write_.Run(absl::StrCat("SELECT ", kUseColumns,
                                                       " FROM duty_uses WHERE duty_id = $1 "
                                                       "AND use_id = $2")
                                              .c_str(),
                                          {use.duty_id, use.use_id}, "read use"));
    if (PQntuples(s.get()) != 1) {
      return absl::InternalError(absl::StrCat("use \"", use.duty_id, "/", use.use_id,
                                              "\" was neither stored nor found"));
    }
    const char* field = FirstDifference(ReadUse(s.get(), 0), use);
    if (field == nullptr) return SubmitOutcome::kDuplicate;
    return absl::AlreadyExistsError(absl::StrCat(
        "use.use_id: \"", use.use_id, "\" was already recorded for duty \"", use.duty_id,
        "\" with different content (", field, " differs)"));
  }

  absl::StatusOr<std::vector<DutyUse>> LoadUses() override {
    absl::MutexLock lock(&read_mu_);
    ASSIGN_OR_RETURN(Result r,
                     Read(absl::StrCat("SELECT ", kUseColumns, " FROM duty_uses ORDER BY "
                                       "duty_id COLLATE \"C\", date COLLATE \"C\", "
                                       "use_id COLLATE \"C\""),
                          {}, "load uses"));
    std::vector<DutyUse> uses;
    for (int i = 0; i < PQntuples(r.get()); ++i) uses.push_back(ReadUse(r.get(), i));
    return uses;
  }

  absl::Status ForEachAnswerCell(
      const std::function<void(const AnswerCell&)>& visit) override {
    absl::MutexLock lock(&read_mu_);
    ASSIGN_OR_RETURN(Result r, Read("SELECT duty_id, minutes, usefulness, feedback, reports, "
                                    "elsewhere, period FROM answer_cells",
                                    {}, "read answers"));
    AnswerCell cell;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      cell.duty_id = Text(r.get(), i, 0);
      cell.minutes = Int(r.get(), i, 1);
      cell.usefulness = static_cast<int32_t>(Int(r.get(), i, 2));
      cell.feedback = static_cast<Answer>(Int(r.get(), i, 3));
      cell.reports = Int(r.get(), i, 4);
      cell.elsewhere = static_cast<Answer>(Int(r.get(), i, 5));
      cell.period = Text(r.get(), i, 6);
      visit(cell);
    }
    return absl::OkStatus();
  }

  absl::Status ForEachBurdenCell(
      const std::function<void(const BurdenCell&)>& visit) override {
    absl::MutexLock lock(&read_mu_);
    ASSIGN_OR_RETURN(Result r, Read("SELECT duty_id, municipality_code, period, reports, "
                                    "minutes, first_received FROM burden_cells",
                                    {}, "read burden"));
    BurdenCell cell;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      cell.duty_id = Text(r.get(), i, 0);
      cell.municipality_code = Text(r.get(), i, 1);
      cell.period = Text(r.get(), i, 2);
      cell.reports = Int(r.get(), i, 3);
      cell.minutes = Int(r.get(), i, 4);
      cell.first_received_unix = Int(r.get(), i, 5);
      visit(cell);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<StoredReport> GetReport(const std::string& municipality_code,
                                         const std::string& submission_id) override {
    absl::MutexLock lock(&read_mu_);
    ASSIGN_OR_RETURN(Result r, Read(absl::StrCat("SELECT ", kStoredReportColumns,
                                                 " FROM reports WHERE municipality_code = $1 "
                                                 "AND submission_id = $2"),
                                    {municipality_code, submission_id}, "read report"));
    if (PQntuples(r.get()) == 0) {
      return absl::NotFoundError(absl::StrCat("report \"", submission_id, "\" of ",
                                              municipality_code, " not found"));
    }
    return ReadStoredReport(r.get(), 0);
  }

  absl::StatusOr<std::vector<StoredReport>> ListReports(const ReportQuery& query) override {
    absl::MutexLock lock(&read_mu_);
    ASSIGN_OR_RETURN(
        Result r,
        // In key order, through the primary key.
        Read(absl::StrCat("SELECT ", kStoredReportColumns, " FROM reports WHERE ",
                          // ($1 and $5 are named where unused: PostgreSQL
                          // must learn every parameter's type.)
                          query.municipality_code.empty()
                              ? "$1 = '' AND (municipality_code, submission_id) > ($5, $7) "
                              : "municipality_code = $1 AND $5::text = $5::text "
                                "AND submission_id > $7 ",
                          "AND ($2 = '' OR duty_id = $2) AND ($3 = '' OR duty_id IN "
                          "(SELECT id FROM duties WHERE agency_id = $3)) "
                          "AND received_at >= to_timestamp($4) "
                          "ORDER BY municipality_code, submission_id LIMIT $6"),
             {query.municipality_code, query.duty_id, query.agency_id,
              absl::StrCat(query.received_since_unix), query.after_municipality_code,
              absl::StrCat(query.limit), query.after_submission_id},
             "list reports"));
    std::vector<StoredReport> reports;
    reports.reserve(PQntuples(r.get()));
    for (int i = 0; i < PQntuples(r.get()); ++i) reports.push_back(ReadStoredReport(r.get(), i));
    return reports;
  }

  absl::StatusOr<ChangeResult> ChangeReport(const ReportChange& change) override {
    absl::MutexLock lock(&write_mu_);
    write_.EnsureConnected();
    RETURN_IF_ERROR(write_.Run("BEGIN", {}, "begin").status());
    absl::StatusOr<ChangeResult> result = ChangeReportInTransaction(change);
    if (!result.ok() || result->outcome == SubmitOutcome::kDuplicate) {
      write_.Rollback();
      return result;
    }
    if (absl::Status committed = write_.Run("COMMIT", {}, "commit").status(); !committed.ok()) {
      write_.Rollback();
      return absl::UnavailableError(absl::StrCat(
          "the store could not write: ", committed.message(),
          "; if the change was stored, sending it again is answered as a duplicate"));
    }
    return result;
  }

  absl::StatusOr<std::vector<StoredReport>> LoadReportVersions(
      const std::string& municipality_code, const std::string& submission_id) override {
    absl::MutexLock lock(&read_mu_);
    ASSIGN_OR_RETURN(Result r, Read(absl::StrCat("SELECT ", kVersionColumns,
                                                 " FROM report_versions WHERE "
                                                 "municipality_code = $1 AND submission_id = $2 "
                                                 "ORDER BY version"),
                                    {municipality_code, submission_id}, "read report versions"));
    std::vector<StoredReport> versions;
    for (int i = 0; i < PQntuples(r.get()); ++i) versions.push_back(ReadStoredReport(r.get(), i));
    return versions;
  }

  absl::StatusOr<int64_t> CountReports() override {
    absl::MutexLock lock(&read_mu_);
    ASSIGN_OR_RETURN(Result r, Read("SELECT count(*) FROM reports", {}, "count reports"));
    return Int(r.get(), 0, 0);
  }

  absl::StatusOr<std::vector<ReportedElsewhere>> ListReportedElsewhere(int limit) override {
    absl::MutexLock lock(&read_mu_);
    // "already_reported_where <> ''" as the partial index says it.
    ASSIGN_OR_RETURN(
        Result r,
        Read("SELECT duty_id, already_reported_where, count(*), "
             "count(DISTINCT municipality_code) FROM reports WHERE already_reported_where <> '' "
             "AND NOT withdrawn "
             "GROUP BY duty_id, already_reported_where "
             "ORDER BY 4 DESC, 3 DESC, duty_id COLLATE \"C\", already_reported_where COLLATE \"C\" "
             "LIMIT $1",
             {absl::StrCat(limit)}, "read where reports say their data goes"));
    std::vector<ReportedElsewhere> places;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      places.push_back({Text(r.get(), i, 0), Text(r.get(), i, 1), Int(r.get(), i, 2),
                        Int(r.get(), i, 3)});
    }
    return places;
  }

  absl::StatusOr<std::vector<StoredComment>> ListComments(
      const CommentQuery& query) override {
    absl::MutexLock lock(&read_mu_);
    // "comment <> ''" as the partial indexes say it, so that they are used.
    const std::string sql = absl::StrCat(
        "SELECT seq, submission_id, municipality_code, duty_id, period, comment, "
        "extract(epoch FROM received_at)::bigint FROM reports WHERE comment <> '' "
        "AND NOT withdrawn AND ",
        query.duty_id.empty()
            ? "($1 = '' OR duty_id IN (SELECT id FROM duties WHERE agency_id = $1))"
            : "duty_id = $1",
        " AND ($2 = '' OR municipality_code = $2) AND seq < $3::bigint "
        "ORDER BY seq DESC LIMIT $4::bigint");
    ASSIGN_OR_RETURN(
        Result r,
        Read(sql,
             {query.duty_id.empty() ? query.agency_id : query.duty_id, query.municipality_code,
              absl::StrCat(query.before_seq > 0 ? query.before_seq
                                                : std::numeric_limits<int64_t>::max()),
              absl::StrCat(query.limit)},
             "read comments"));
    std::vector<StoredComment> comments;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      StoredComment& c = comments.emplace_back();
      c.seq = Int(r.get(), i, 0);
      c.submission_id = Text(r.get(), i, 1);
      c.municipality_code = Text(r.get(), i, 2);
      c.duty_id = Text(r.get(), i, 3);
      c.period = Text(r.get(), i, 4);
      c.comment = Text(r.get(), i, 5);
      c.received_at_unix = Int(r.get(), i, 6);
    }
    return comments;
  }

  StoreStats GetStats() const override {
    StoreStats stats;
    pipeline_.FillStats(stats);
    absl::MutexLock lock(&read_mu_);
    auto r = const_cast<PostgresStore*>(this)->Read(
        "SELECT pg_database_size(current_database())", {}, "database size");
    if (r.ok()) stats.size_bytes = Int(r->get(), 0, 0);
    return stats;
  }

  bool IsShared() const override { return true; }

  absl::Status BeginStartupSnapshot() override {
    absl::MutexLock lock(&read_mu_);
    read_.EnsureConnected();
    RETURN_IF_ERROR(
        read_.Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", {}, "begin").status());
    in_snapshot_ = true;
    absl::Status status = [&]() -> absl::Status {
      ASSIGN_OR_RETURN(feed_xmin_, SnapshotXmin());
      // The reports this snapshot already shows but a later "xid >= xmin"
      // read would return again.
      ASSIGN_OR_RETURN(Result r, read_.Run("SELECT seq, xid::text FROM reports "
                                           "WHERE xid >= $1::xid8",
                                           {absl::StrCat(feed_xmin_)}, "read feed"));
      applied_.clear();
      for (int i = 0; i < PQntuples(r.get()); ++i) {
        applied_.emplace(Int(r.get(), i, 0), Xid(r.get(), i, 1));
      }
      // Likewise the changes to reports (the loaded cells hold them).
      ASSIGN_OR_RETURN(Result v, read_.Run("SELECT seq, xid::text FROM report_versions "
                                           "WHERE xid >= $1::xid8",
                                           {absl::StrCat(feed_xmin_)}, "read feed"));
      applied_versions_.clear();
      for (int i = 0; i < PQntuples(v.get()); ++i) {
        applied_versions_.emplace(Int(v.get(), i, 0), Xid(v.get(), i, 1));
      }
      // Likewise the decisions (LoadDecisions read them).
      ASSIGN_OR_RETURN(Result d, read_.Run("SELECT seq, xid::text FROM duty_decisions "
                                           "WHERE xid >= $1::xid8",
                                           {absl::StrCat(feed_xmin_)}, "read feed"));
      applied_decisions_.clear();
      for (int i = 0; i < PQntuples(d.get()); ++i) {
        applied_decisions_.emplace(Int(d.get(), i, 0), Xid(d.get(), i, 1));
      }
      return absl::OkStatus();
    }();
    if (!status.ok()) {
      read_.Rollback();
      in_snapshot_ = false;
    }
    return status;
  }

  absl::Status EndStartupSnapshot() override {
    absl::MutexLock lock(&read_mu_);
    if (!in_snapshot_) return absl::OkStatus();
    in_snapshot_ = false;
    return read_.Run("COMMIT", {}, "end snapshot").status();
  }

  absl::StatusOr<Changes> ReadChanges() override {
    absl::MutexLock lock(&read_mu_);
    read_.EnsureConnected();
    RETURN_IF_ERROR(
        read_.Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", {}, "begin").status());
    Changes changes;
    uint64_t xmin = 0;
    absl::Status status = [&]() -> absl::Status {
      // Only the feed's reads: the startup load may rightly take longer.
      RETURN_IF_ERROR(read_.Run(absl::StrCat("SET LOCAL statement_timeout = ",
                                             options_.feed_read_timeout_ms)
                                    .c_str(),
                                {}, "read feed")
                          .status());
      ASSIGN_OR_RETURN(xmin, SnapshotXmin());
      const std::vector<std::string> since = {absl::StrCat(feed_xmin_)};
      ASSIGN_OR_RETURN(Result reports,
                       read_.Run(absl::StrCat("SELECT seq, xid::text, ", kStoredReportColumns,
                                              " FROM reports WHERE xid >= $1::xid8 "
                                              "ORDER BY seq")
                                     .c_str(),
                                 since, "read feed"));
      // Each kept version with the report's row as it is now.
      ASSIGN_OR_RETURN(
          Result versions,
          read_.Run(absl::StrCat("SELECT v.seq, v.xid::text, ", Prefixed(kReportColumns, "v."),
                                 ", ", Prefixed(kReportColumns, "r."),
                                 ", r.withdrawn::int, "
                                 "floor(extract(epoch FROM r.received_at))::bigint, "
                                 "coalesce(c.first_received, 0) FROM report_versions v "
                                 "JOIN reports r ON r.municipality_code = v.municipality_code "
                                 "AND r.submission_id = v.submission_id "
                                 "LEFT JOIN burden_cells c ON c.duty_id = v.duty_id AND "
                                 "c.municipality_code = v.municipality_code AND "
                                 "c.period = v.period WHERE v.xid >= $1::xid8 "
                                 "ORDER BY v.seq")
                        .c_str(),
                    since, "read feed"));
      ASSIGN_OR_RETURN(Result duties,
                       read_.Run(absl::StrCat("SELECT ", kDutyColumns,
                                              " FROM duties WHERE xid >= $1::xid8")
                                     .c_str(),
                                 since, "read feed"));
      ASSIGN_OR_RETURN(Result agencies,
                       read_.Run("SELECT id, name, organisation_number FROM agencies "
                                 "WHERE xid >= $1::xid8",
                                 since, "read feed"));
      ASSIGN_OR_RETURN(Result answers,
                       read_.Run(absl::StrCat("SELECT ", kAnswerColumns,
                                              " FROM consultation_answers WHERE xid >= $1::xid8 "
                                              "ORDER BY duty_id COLLATE \"C\", "
                                              "municipality_code COLLATE \"C\"")
                                     .c_str(),
                                 since, "read feed"));
      ASSIGN_OR_RETURN(Result decisions,
                       read_.Run(absl::StrCat("SELECT ", kDecisionColumns,
                                              ", xid::text FROM duty_decisions "
                                              "WHERE xid >= $1::xid8 ORDER BY seq")
                                     .c_str(),
                                 since, "read feed"));
      ASSIGN_OR_RETURN(Result uses,
                       read_.Run(absl::StrCat("SELECT ", kUseColumns,
                                              " FROM duty_uses WHERE xid >= $1::xid8 "
                                              "ORDER BY duty_id COLLATE \"C\", date COLLATE "
                                              "\"C\", use_id COLLATE \"C\"")
                                     .c_str(),
                                 since, "read feed"));
      RETURN_IF_ERROR(read_.Run("COMMIT", {}, "read feed").status());
      // A report new to this read comes as it is now, with every change
      // made to it so far; withdrawn, it adds nothing.
      std::set<std::pair<std::string, std::string>> new_reports;
      for (int i = 0; i < PQntuples(reports.get()); ++i) {
        const int64_t seq = Int(reports.get(), i, 0);
        if (!applied_.emplace(seq, Xid(reports.get(), i, 1)).second) continue;
        StoredReport stored = ReadStoredReport(reports.get(), i, 2);
        new_reports.emplace(stored.report.municipality_code, stored.report.submission_id);
        if (stored.withdrawn) continue;
        changes.reports.push_back(std::move(stored.report));
        changes.received_at_unix.push_back(stored.receipt.received_at_unix);
      }
      // A report returned before: the figures lose the version the first
      // new change replaced and gain the report as it is now.
      std::set<std::pair<std::string, std::string>> revised;
      for (int i = 0; i < PQntuples(versions.get()); ++i) {
        const int64_t seq = Int(versions.get(), i, 0);
        if (!applied_versions_.emplace(seq, Xid(versions.get(), i, 1)).second) continue;
        Report before = ReadReport(versions.get(), i, 2);
        std::pair<std::string, std::string> key(before.municipality_code, before.submission_id);
        if (new_reports.count(key) > 0 || !revised.insert(std::move(key)).second) continue;
        ReportRevision& revision = changes.revisions.emplace_back();
        revision.before = std::move(before);
        if (Int(versions.get(), i, 24) == 0) revision.after = ReadReport(versions.get(), i, 13);
        revision.received_at_unix = Int(versions.get(), i, 25);
        // The cell as it is now, after every change this read returns.
        revision.before_cell_first_received_unix = Int(versions.get(), i, 26);
      }
      for (int i = 0; i < PQntuples(duties.get()); ++i) {
        changes.duties.push_back(ReadDuty(duties.get(), i));
      }
      for (int i = 0; i < PQntuples(uses.get()); ++i) {
        changes.uses.push_back(ReadUse(uses.get(), i));
      }
      for (int i = 0; i < PQntuples(agencies.get()); ++i) {
        changes.agencies.push_back({Text(agencies.get(), i, 0), Text(agencies.get(), i, 1),
                                    Text(agencies.get(), i, 2)});
      }
      for (int i = 0; i < PQntuples(answers.get()); ++i) {
        changes.answers.push_back(ReadAnswer(answers.get(), i));
      }
      // Each decision once, as each report (the xid follows its columns).
      constexpr int kDecisionXid = 17;
      for (int i = 0; i < PQntuples(decisions.get()); ++i) {
        DutyDecision decision = ReadDecision(decisions.get(), i);
        if (!applied_decisions_.emplace(decision.seq, Xid(decisions.get(), i, kDecisionXid))
                 .second) {
          continue;
        }
        changes.decisions.push_back(std::move(decision));
      }
      return absl::OkStatus();
    }();
    if (!status.ok()) {
      read_.Rollback();
      return status;
    }
    // Rows below the new xmin will not be read again: forget them.
    for (auto* applied : {&applied_, &applied_versions_, &applied_decisions_}) {
      for (auto it = applied->begin(); it != applied->end();) {
        it = it->second < xmin ? applied->erase(it) : std::next(it);
      }
    }
    feed_xmin_ = xmin;
    return changes;
  }

 private:
  // A read on the reader connection: inside the startup snapshot if one is
  // open, else a statement of its own.
  absl::StatusOr<Result> Read(const std::string& sql, const std::vector<std::string>& params,
                              absl::string_view what) ABSL_EXCLUSIVE_LOCKS_REQUIRED(read_mu_) {
    if (in_snapshot_) return read_.Run(sql.c_str(), params, what);
    read_.EnsureConnected();
    absl::StatusOr<Result> result = read_.Run(sql.c_str(), params, what);
    if (!result.ok() && read_.broken()) {
      read_.EnsureConnected();  // once, on a new connection
      result = read_.Run(sql.c_str(), params, what);
    }
    return result;
  }

  absl::StatusOr<uint64_t> SnapshotXmin() ABSL_EXCLUSIVE_LOCKS_REQUIRED(read_mu_) {
    ASSIGN_OR_RETURN(Result r, read_.Run("SELECT pg_snapshot_xmin(pg_current_snapshot())::text",
                                         {}, "read snapshot"));
    return Xid(r.get(), 0, 0);
  }

  // Updates the duty and writes its next version with `change`, in one
  // statement: its own transaction, or part of the caller's. NOT_FOUND if
  // the duty is not stored.
  absl::Status WriteDutyUpdate(const Duty& duty, const DutyChange& change)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    ASSIGN_OR_RETURN(
        Result r,
        write_.Run(absl::StrCat(kUpdateDuty, kDutyColumns, ") ", kInsertDutyVersion).c_str(),
                   DutyChangeParams(duty, change), "write duty"));
    if (absl::string_view(PQcmdTuples(r.get())) == "0") {
      return absl::NotFoundError(absl::StrCat("duty \"", duty.id, "\" not found"));
    }
    return absl::OkStatus();
  }

  absl::Status Migrate() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    // One transaction under an advisory lock: a replica starting beside
    // another waits, then finds the schema current. The session's
    // lock_timeout is for writes; waiting for a migration of a large table
    // takes longer, so the lock gets a bound of its own, and the migration
    // itself obeys lock_timeout again.
    RETURN_IF_ERROR(write_.Run("BEGIN", {}, "migrate").status());
    absl::Status status = [&]() -> absl::Status {
      RETURN_IF_ERROR(write_.Run(absl::StrCat("SET LOCAL lock_timeout = ",
                                              options_.migration_wait_ms)
                                     .c_str(),
                                 {}, "migrate")
                          .status());
      RETURN_IF_ERROR(
          write_.Run(absl::StrCat("SELECT pg_advisory_xact_lock(", kMigrationLock, ")").c_str(),
                     {}, "wait for another inrapportd's schema migration")
              .status());
      RETURN_IF_ERROR(
          write_.Run(absl::StrCat("SET LOCAL lock_timeout = ", options_.lock_timeout_ms).c_str(),
                     {}, "migrate")
              .status());
      RETURN_IF_ERROR(write_.Run("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                 "version integer PRIMARY KEY, "
                                 "applied_at timestamptz NOT NULL DEFAULT now())",
                                 {}, "migrate")
                          .status());
      ASSIGN_OR_RETURN(Result r, write_.Run("SELECT coalesce(max(version), 0) "
                                            "FROM schema_migrations",
                                            {}, "read schema version"));
      const int64_t version = Int(r.get(), 0, 0);
      if (version > kSchemaVersion) {
        return absl::FailedPreconditionError(absl::StrCat(
            "database ", RedactedUri(options_.uri), " has schema version ", version,
            ", newer than this inrapportd knows (", kSchemaVersion, "): upgrade inrapportd"));
      }
      for (int64_t v = version; v < kSchemaVersion; ++v) {
        RETURN_IF_ERROR(write_.Run(kMigrations[v], {}, "migrate").status());
        RETURN_IF_ERROR(write_.Run("INSERT INTO schema_migrations (version) VALUES ($1)",
                                   {absl::StrCat(v + 1)}, "migrate")
                            .status());
      }
      return write_.Run("COMMIT", {}, "migrate").status();
    }();
    if (!status.ok()) write_.Rollback();
    return status;
  }

  // A correction or withdrawal in the open transaction: the row locked,
  // the change decided, the replaced version kept, the row changed (its xid
  // left as it is), the cells moved from the old content to the new.
  absl::StatusOr<ChangeResult> ChangeReportInTransaction(const ReportChange& change)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    const std::vector<std::string> key = {change.key_municipality(), change.key_submission_id()};
    ASSIGN_OR_RETURN(Result r, write_.Run(absl::StrCat("SELECT ", kStoredReportColumns,
                                                       " FROM reports WHERE municipality_code "
                                                       "= $1 AND submission_id = $2 FOR UPDATE")
                                              .c_str(),
                                          key, "read report"));
    if (PQntuples(r.get()) == 0) {
      return absl::NotFoundError(absl::StrCat("report \"", change.key_submission_id(), "\" of ",
                                              change.key_municipality(), " not found"));
    }
    const StoredReport stored = ReadStoredReport(r.get(), 0);
    ASSIGN_OR_RETURN(ChangeResult decided,
                     DecideChange(stored, change, absl::ToUnixSeconds(absl::Now())));
    if (decided.outcome == SubmitOutcome::kDuplicate) return decided;
    RETURN_IF_ERROR(
        write_.Run("INSERT INTO report_versions (municipality_code, submission_id, version, "
                   "duty_id, period, minutes_spent, staff_count, usefulness, feedback_received, "
                   "already_reported_elsewhere, comment, already_reported_where, received_at, "
                   "changed_at, reason) SELECT municipality_code, submission_id, version, "
                   "duty_id, period, minutes_spent, staff_count, usefulness, feedback_received, "
                   "already_reported_elsewhere, comment, already_reported_where, received_at, "
                   "changed_at, reason FROM reports WHERE municipality_code = $1 "
                   "AND submission_id = $2",
                   key, "keep the report's version")
            .status());
    const StoredReport& next = decided.current;
    const Report& n = next.report;
    RETURN_IF_ERROR(
        write_.Run("UPDATE reports SET duty_id = $3, period = $4, minutes_spent = $5, "
                   "staff_count = $6, usefulness = $7, feedback_received = $8, "
                   "already_reported_elsewhere = $9, comment = $10, already_reported_where = "
                   "$11, version = $12, changed_at = $13, reason = $14, withdrawn = $15 "
                   "WHERE municipality_code = $1 AND submission_id = $2",
                   {change.key_municipality(), change.key_submission_id(), n.duty_id, n.period,
                    absl::StrCat(n.minutes_spent), absl::StrCat(n.staff_count),
                    absl::StrCat(n.usefulness), absl::StrCat(static_cast<int>(n.feedback_received)),
                    absl::StrCat(static_cast<int>(n.already_reported_elsewhere)), n.comment,
                    n.already_reported_where, absl::StrCat(next.receipt.version),
                    absl::StrCat(next.receipt.changed_at_unix), next.reason,
                    next.withdrawn ? "true" : "false"},
                   "change report")
            .status());
    RETURN_IF_ERROR(MoveCells(CellSums::Move(stored.report, next.withdrawn ? nullptr : &n)));
    const Report& before = stored.report;
    ASSIGN_OR_RETURN(Result first,
                     write_.Run("SELECT first_received FROM burden_cells WHERE duty_id = $1 "
                                "AND municipality_code = $2 AND period = $3",
                                {before.duty_id, before.municipality_code, before.period},
                                "read a cell"));
    if (PQntuples(first.get()) > 0) {
      decided.previous_cell_first_received_unix = Int(first.get(), 0, 0);
    }
    return decided;
  }

  // Moves the cells as `moves` says, burden cells then answer cells, each
  // in key order as a batch writes them; a cell left without reports is
  // deleted.
  absl::Status MoveCells(const CellSums& moves) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    for (const auto& [key, delta] : moves.burden()) {
      const auto& [duty, municipality, period] = key;
      std::vector<std::string> cell = {std::string(duty), std::string(municipality),
                                       std::string(period)};
      RETURN_IF_ERROR(
          write_.Run("INSERT INTO burden_cells (duty_id, municipality_code, period, reports, "
                     "minutes) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (duty_id, "
                     "municipality_code, period) DO UPDATE SET reports = burden_cells.reports + "
                     "excluded.reports, minutes = burden_cells.minutes + excluded.minutes",
                     {cell[0], cell[1], cell[2], absl::StrCat(delta.reports),
                      absl::StrCat(delta.minutes)},
                     "change the cells")
              .status());
      RETURN_IF_ERROR(write_.Run("DELETE FROM burden_cells WHERE duty_id = $1 AND "
                                 "municipality_code = $2 AND period = $3 AND reports = 0",
                                 cell, "change the cells")
                          .status());
      // The first receipt, read again from the reports the cell holds. A
      // statement of its own, after the cell's row is locked: its snapshot
      // sees every batch that added to the cell before, and a batch after
      // adds its own receipt.
      RETURN_IF_ERROR(
          write_.Run("UPDATE burden_cells SET first_received = coalesce((SELECT "
                     "floor(extract(epoch FROM min(received_at)))::bigint FROM reports WHERE "
                     "municipality_code = $2 AND duty_id = $1 AND period = $3 AND NOT "
                     "withdrawn), 0) WHERE duty_id = $1 AND municipality_code = $2 AND "
                     "period = $3",
                     cell, "change the cells")
              .status());
    }
    for (const auto& [key, delta] : moves.answers()) {
      const auto& [duty, minutes, usefulness, feedback, elsewhere, period] = key;
      std::vector<std::string> cell = {std::string(duty), std::string(period),
                                       absl::StrCat(minutes), absl::StrCat(usefulness),
                                       absl::StrCat(feedback), absl::StrCat(elsewhere)};
      cell.push_back(absl::StrCat(delta));
      RETURN_IF_ERROR(
          write_.Run("INSERT INTO answer_cells (duty_id, period, minutes, usefulness, feedback, "
                     "elsewhere, reports) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT "
                     "(duty_id, period, minutes, usefulness, feedback, elsewhere) DO UPDATE SET "
                     "reports = answer_cells.reports + excluded.reports",
                     cell, "change the cells")
              .status());
      cell.pop_back();
      RETURN_IF_ERROR(write_.Run("DELETE FROM answer_cells WHERE duty_id = $1 AND period = $2 "
                                 "AND minutes = $3 AND usefulness = $4 AND feedback = $5 AND "
                                 "elsewhere = $6 AND reports = 0",
                                 cell, "change the cells")
                          .status());
    }
    return absl::OkStatus();
  }

  // Writes every report of `batch` in the current transaction; one result
  // per report, in order. A non-OK return means the transaction failed.
  // `earlier_attempts` are the transaction ids of this batch's earlier
  // attempts, whose COMMIT may have succeeded unseen: a report stored by one
  // of them is this batch's own, accepted, and already in the cells. The id
  // of this attempt's transaction, once it inserted a row, goes to
  // *attempt_xid.
  absl::StatusOr<SubmitResults> WriteBatch(const std::vector<const Report*>& batch,
                                           const std::set<uint64_t>& earlier_attempts,
                                           uint64_t* attempt_xid)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    // Insert in key order (stable: the first of repeats first), so that
    // concurrent batches take their row locks in one order.
    std::vector<size_t> order(batch.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return std::tie(batch[a]->municipality_code, batch[a]->submission_id) <
             std::tie(batch[b]->municipality_code, batch[b]->submission_id);
    });
    std::vector<std::string> ids, municipalities, duties, periods, comments, wheres;
    std::vector<int64_t> minutes, staff, usefulness, feedback, elsewhere;
    absl::flat_hash_map<std::string, int> occurrences;
    for (size_t i : order) {
      const Report& r = *batch[i];
      ids.push_back(r.submission_id);
      municipalities.push_back(r.municipality_code);
      duties.push_back(r.duty_id);
      periods.push_back(r.period);
      minutes.push_back(r.minutes_spent);
      staff.push_back(r.staff_count);
      usefulness.push_back(r.usefulness);
      feedback.push_back(static_cast<int64_t>(r.feedback_received));
      elsewhere.push_back(static_cast<int64_t>(r.already_reported_elsewhere));
      comments.push_back(r.comment);
      wheres.push_back(r.already_reported_where);
      ++occurrences[KeyOf(r)];
    }
    ASSIGN_OR_RETURN(
        Result inserted,
        write_.Run("INSERT INTO reports (submission_id, municipality_code, duty_id, period, "
                   "minutes_spent, staff_count, usefulness, feedback_received, "
                   "already_reported_elsewhere, comment, already_reported_where) "
                   "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], "
                   "$5::bigint[], $6::integer[], $7::integer[], $8::integer[], $9::integer[], "
                   "$10::text[], $11::text[]) "
                   "ON CONFLICT (municipality_code, submission_id) DO NOTHING "
                   "RETURNING municipality_code, submission_id, xid::text, "
                   "floor(extract(epoch FROM received_at))::bigint",
                   {TextArray(ids), TextArray(municipalities), TextArray(duties),
                    TextArray(periods), IntArray(minutes), IntArray(staff),
                    IntArray(usefulness), IntArray(feedback), IntArray(elsewhere),
                    TextArray(comments), TextArray(wheres)},
                   "store reports"));
    // Key -> the receipt's time of each report inserted now.
    absl::flat_hash_map<std::string, int64_t> fresh;
    for (int i = 0; i < PQntuples(inserted.get()); ++i) {
      fresh.emplace(KeyOf(Text(inserted.get(), i, 0), Text(inserted.get(), i, 1)),
                    Int(inserted.get(), i, 3));
    }
    // Every row inserted now carries this transaction's id.
    if (!fresh.empty()) *attempt_xid = Xid(inserted.get(), 0, 2);

    // What is stored under every key that was not simply inserted now,
    // each key once.
    std::vector<std::string> lookup_municipalities, lookup_ids;
    for (size_t i : order) {
      const Report& r = *batch[i];
      const std::string key = KeyOf(r);
      int& count = occurrences[key];
      if (count == 0) continue;  // already looked up
      if (count > 1 || !fresh.contains(key)) {
        lookup_municipalities.push_back(r.municipality_code);
        lookup_ids.push_back(r.submission_id);
      }
      count = 0;
    }
    absl::flat_hash_map<std::string, StoredReport> stored;
    absl::flat_hash_set<std::string> stored_by_earlier_attempt;
    if (!lookup_ids.empty()) {
      ASSIGN_OR_RETURN(
          Result r,
          write_.Run(absl::StrCat("SELECT xid::text, ", kStoredReportColumns,
                                  " FROM reports WHERE (municipality_code, submission_id) IN "
                                  "(SELECT * FROM unnest($1::text[], $2::text[]))")
                         .c_str(),
                     {TextArray(lookup_municipalities), TextArray(lookup_ids)}, "read reports"));
      for (int i = 0; i < PQntuples(r.get()); ++i) {
        StoredReport report = ReadStoredReport(r.get(), i, 1);
        std::string key = KeyOf(report.report);
        if (earlier_attempts.count(Xid(r.get(), i, 0)) > 0) stored_by_earlier_attempt.insert(key);
        stored.emplace(std::move(key), std::move(report));
      }
    }

    SubmitResults results(batch.size(), absl::InternalError("report was not processed"));
    CellSums cells;
    absl::flat_hash_set<std::string> claimed;
    for (size_t i : order) {
      const Report& r = *batch[i];
      const std::string key = KeyOf(r);
      const auto inserted = fresh.find(key);
      const bool inserted_now = inserted != fresh.end();
      auto it = stored.find(key);
      if ((inserted_now || stored_by_earlier_attempt.contains(key)) && !claimed.contains(key) &&
          (it == stored.end() || FirstDifference(it->second.report, r) == nullptr)) {
        claimed.insert(key);
        results[i] = SubmitResult{SubmitOutcome::kAccepted,
                                  it != stored.end() ? it->second.receipt
                                                     : Receipt{inserted->second, 1}};
        // Else its cells were committed with it.
        if (inserted_now) cells.Add(r, inserted->second);
        continue;
      }
      if (it == stored.end()) {
        return absl::InternalError(absl::StrCat("report \"", r.submission_id,
                                                "\" was neither stored nor found"));
      }
      results[i] = OutcomeOfResubmission(it->second, r);
    }
    if (cells.empty()) return results;

    std::vector<std::string> cell_duties, cell_municipalities, cell_periods;
    std::vector<int64_t> cell_reports, cell_minutes, cell_first;
    for (const auto& [key, sum] : cells.burden()) {
      cell_duties.emplace_back(std::get<0>(key));
      cell_municipalities.emplace_back(std::get<1>(key));
      cell_periods.emplace_back(std::get<2>(key));
      cell_reports.push_back(sum.reports);
      cell_minutes.push_back(sum.minutes);
      cell_first.push_back(sum.first_received_unix);
    }
    RETURN_IF_ERROR(
        write_.Run("INSERT INTO burden_cells (duty_id, municipality_code, period, reports, "
                   "minutes, first_received) SELECT * FROM unnest($1::text[], $2::text[], "
                   "$3::text[], $4::bigint[], $5::bigint[], $6::bigint[]) ON CONFLICT "
                   "(duty_id, municipality_code, "
                   "period) DO UPDATE SET reports = burden_cells.reports + excluded.reports, "
                   "minutes = burden_cells.minutes + excluded.minutes, "
                   "first_received = CASE WHEN burden_cells.first_received = 0 "
                   "THEN excluded.first_received "
                   "ELSE least(burden_cells.first_received, excluded.first_received) END",
                   {TextArray(cell_duties), TextArray(cell_municipalities),
                    TextArray(cell_periods), IntArray(cell_reports), IntArray(cell_minutes),
                    IntArray(cell_first)},
                   "store burden")
            .status());
    std::vector<std::string> answer_duties, answer_periods;
    std::vector<int64_t> answer_minutes, answer_usefulness, answer_feedback, answer_reports,
        answer_elsewhere;
    for (const auto& [key, count] : cells.answers()) {
      answer_duties.emplace_back(std::get<0>(key));
      answer_minutes.push_back(std::get<1>(key));
      answer_usefulness.push_back(std::get<2>(key));
      answer_feedback.push_back(std::get<3>(key));
      answer_elsewhere.push_back(std::get<4>(key));
      answer_periods.emplace_back(std::get<5>(key));
      answer_reports.push_back(count);
    }
    RETURN_IF_ERROR(
        write_.Run("INSERT INTO answer_cells (duty_id, minutes, usefulness, feedback, "
                   "reports, elsewhere, period) SELECT * FROM unnest($1::text[], "
                   "$2::bigint[], $3::integer[], $4::integer[], $5::bigint[], $6::integer[], "
                   "$7::text[]) ON CONFLICT (duty_id, period, minutes, usefulness, feedback, "
                   "elsewhere) DO UPDATE SET reports = answer_cells.reports + excluded.reports",
                   {TextArray(answer_duties), IntArray(answer_minutes),
                    IntArray(answer_usefulness), IntArray(answer_feedback),
                    IntArray(answer_reports), IntArray(answer_elsewhere),
                    TextArray(answer_periods)},
                   "store answers")
            .status());
    return results;
  }

  // The pipeline's CommitBatch: the batch in one transaction, attempted up
  // to kMaxAttempts times on a lost connection or a retryable failure.
  absl::StatusOr<SubmitResults> CommitBatch(const std::vector<const Report*>& batch) {
    absl::StatusOr<SubmitResults> results;
    // The transaction ids of the attempts so far (see WriteBatch).
    std::set<uint64_t> attempts;
    // A COMMIT whose answer was lost with the connection: the batch may be
    // stored although no attempt could say so.
    bool commit_unanswered = false;
    absl::MutexLock lock(&write_mu_);
    for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
      uint64_t xid = 0;
      write_.EnsureConnected();
      absl::Status begun = write_.Run("BEGIN", {}, "begin").status();
      if (begun.ok()) {
        results = WriteBatch(batch, attempts, &xid);
        if (results.ok()) {
          absl::Status committed = write_.Run("COMMIT", {}, "commit").status();
          if (!committed.ok()) {
            results = committed;
            if (write_.broken()) commit_unanswered = true;
          }
        }
      } else {
        results = begun;
      }
      if (results.ok()) return results;
      if (xid != 0) attempts.insert(xid);
      // A lost connection is retried on a new one. If it was lost during
      // COMMIT, the batch may be stored already: the retry then finds the
      // reports under this attempt's transaction id and answers them as
      // accepted, as the lost answer would have, without counting them
      // again.
      const bool retry = IsRetryable(write_.last_state()) || write_.broken();
      write_.Rollback();
      if (!retry) break;
    }
    // Nothing is acknowledged. Nothing is kept either, unless a COMMIT went
    // unanswered and no later attempt got far enough to find its reports:
    // then the sender is told that it cannot be known, and its retry finds
    // any stored report a duplicate.
    return CommitFailure(results.status().message(), commit_unanswered);
  }

  const PostgresStoreOptions options_;

  absl::Mutex write_mu_;
  Connection write_ ABSL_GUARDED_BY(write_mu_);

  mutable absl::Mutex read_mu_;
  Connection read_ ABSL_GUARDED_BY(read_mu_);
  bool in_snapshot_ ABSL_GUARDED_BY(read_mu_) = false;
  // The change feed: the previous snapshot's xmin, and the reports already
  // returned that a read from that xmin would return again (seq -> xid).
  uint64_t feed_xmin_ ABSL_GUARDED_BY(read_mu_) = 0;
  std::map<int64_t, uint64_t> applied_ ABSL_GUARDED_BY(read_mu_);
  std::map<int64_t, uint64_t> applied_versions_ ABSL_GUARDED_BY(read_mu_);  // of changes
  std::map<int64_t, uint64_t> applied_decisions_ ABSL_GUARDED_BY(read_mu_);  // by decision seq

  // Declared last: destroyed (its writer stopped) before anything it uses.
  WritePipeline pipeline_{
      {options_.max_reports_per_commit, /*max_pending_answers=*/8, nullptr,
       absl::ZeroDuration()},
      [this](const std::vector<const Report*>& batch) { return CommitBatch(batch); }};
};

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const PostgresStoreOptions& options) {
  auto store = std::make_unique<PostgresStore>(options);
  RETURN_IF_ERROR(store->Open());
  return std::unique_ptr<Store>(std::move(store));
}

bool IsPostgresUri(absl::string_view db) {
  return absl::StartsWith(db, "postgresql://") || absl::StartsWith(db, "postgres://");
}

std::string RedactedUri(absl::string_view uri) { return RedactedConnectionString(uri); }

std::string LibpqVersion() {
  const int v = PQlibVersion();  // e.g. 150018
  return absl::StrCat(v / 10000, ".", v % 10000);
}

}  // namespace inrapport
