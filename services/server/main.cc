// inrapportd: the inrapport server.
#include <malloc.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/config_file.h"
#include "common/base/flag_help.h"
#include "common/base/log.h"
#include "common/base/redaction.h"
#include "services/server/library_logs.h"
#include "services/server/server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address for gRPC, HOST:PORT. Port 0 picks a free port; the chosen "
          "one is logged (event=listening service=grpc).");
ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:9464",
          "Address for the Prometheus endpoint /metrics, HOST:PORT. Port 0 "
          "picks a free port; the chosen one is logged.");
ABSL_FLAG(std::string, http_listen, "",
          "HOST:PORT of the HTTP/JSON face of the API (docs/http.md); empty: off. Same "
          "authentication as gRPC; HTTPS with --tls_cert and --tls_key.");
ABSL_FLAG(std::string, db, "inrapport.db",
          "The SQLite database file; created if missing. Keep it on a local "
          "disk: every acknowledged report is fsync'ed to it. Or a PostgreSQL "
          "URI, postgresql://USER@HOST:PORT/DATABASE, shared by any number of "
          "replicas (docs/postgresql.md); give the password by PGPASSWORD or "
          "~/.pgpass rather than in the URI.");
ABSL_FLAG(std::string, aggregates_snapshot, "",
          "With SQLite: the file that keeps the figures derived from the reports "
          "between runs, so that a start reads it instead of every report "
          "(written at a stop and after a start that read the reports; always "
          "rebuilt from the reports if missing or not this database's). Empty: "
          "the --db file's name with .aggregates added; \"none\": keep none.");
ABSL_FLAG(absl::Duration, replica_sync_interval, absl::Seconds(1),
          "With PostgreSQL: how often a replica reads what other replicas "
          "stored, so that its summaries and burden metrics include them.");
ABSL_FLAG(int, write_cache_mib, 32,
          "With SQLite: the page cache of the connection that writes reports, "
          "in MiB (1..4096). Resident memory once commits have filled it; more "
          "makes durable submits to a large database faster.");
ABSL_FLAG(absl::Duration, lock_timeout, absl::Seconds(5),
          "How long a commit waits for a lock another process or session holds "
          "on the database (an sqlite3 shell, a backup, another replica's "
          "transaction) before its reports are answered UNAVAILABLE, to be "
          "retried.");
ABSL_FLAG(double, tariff_sek_per_hour, 400,
          "Cost of one hour of municipal staff time in SEK, used to price the "
          "burden. The default is an assumption (see README): replace it with "
          "your own figure.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "On SIGTERM or SIGINT, how long calls in flight may take to finish "
          "before they are cancelled.");
ABSL_FLAG(absl::Duration, drain_delay, absl::ZeroDuration(),
          "On SIGTERM or SIGINT, how long to keep serving while health says "
          "NOT_SERVING, so that load balancers stop sending calls before the "
          "listener closes (e.g. 5s behind a Kubernetes Service).");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM file with the server's certificate chain: serve gRPC over TLS.");
ABSL_FLAG(std::string, tls_key, "", "PEM file with the private key of --tls_cert.");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM file with the CA of client certificates: mutual TLS, where a verified "
          "client certificate's common name is the caller (e.g. municipality:0180).");
ABSL_FLAG(std::string, tokens_file, "",
          "Bearer tokens, one per line as `<sha256 hex of the token> <principal>`; "
          "re-read on SIGHUP. Principals: municipality:<code>, agency:<id>, arena, admin.");
ABSL_FLAG(bool, allow_unauthenticated, false,
          "Serve a non-loopback --listen address without --tokens_file or "
          "--tls_client_ca (every caller is then the administrator): only behind "
          "something that authenticates.");
ABSL_FLAG(int64_t, max_reports_per_stream, 100000,
          "Reports one SubmitReports stream may carry; more is RESOURCE_EXHAUSTED "
          "(the client opens a new stream).");
// Hostile clients (docs/security.md): connections that cost without calling.
ABSL_FLAG(absl::Duration, max_connection_idle, absl::Minutes(5),
          "Close a connection that has had no call for this long (GOAWAY; clients "
          "reconnect when they next call). 0 never closes one.");
ABSL_FLAG(absl::Duration, max_connection_age, absl::Minutes(30),
          "Close any connection after about this long (GOAWAY, with calls in flight "
          "given --max_connection_age_grace), so none lasts for ever and load spreads "
          "over replicas again. 0 never closes one.");
ABSL_FLAG(absl::Duration, max_connection_age_grace, absl::Minutes(5),
          "After --max_connection_age, how long calls in flight may go on before the "
          "connection is closed under them. 0 waits for ever.");
ABSL_FLAG(absl::Duration, handshake_timeout, absl::Seconds(10),
          "Close a new connection whose TLS handshake and HTTP/2 preface are not done "
          "within this long.");
ABSL_FLAG(int, max_concurrent_streams, 100,
          "Calls one connection may have open at once (HTTP/2 "
          "SETTINGS_MAX_CONCURRENT_STREAMS); a client opens more connections for more.");
ABSL_FLAG(absl::Duration, listener_probe_interval, absl::Seconds(10),
          "How often the server calls its own health service over a new connection, "
          "to notice a gRPC listener that no longer accepts (descriptors exhausted): "
          "health then says NOT_SERVING and inrapport_grpc_listener_up is 0. 0 turns "
          "the probe off.");
ABSL_FLAG(absl::Duration, listener_probe_exit_after, absl::Minutes(1),
          "Once the probe has failed for this long, exit with status 3, for the "
          "supervisor to restart the server (every acknowledged report is stored). "
          "0 never exits.");
ABSL_FLAG(int, metrics_threads, 8,
          "Worker threads of the /metrics endpoint; each serves one connection at a "
          "time.");
ABSL_FLAG(absl::Duration, metrics_request_timeout, absl::Seconds(5),
          "How long a /metrics request may take to arrive and be answered; a slower "
          "client is disconnected, so that it cannot hold a worker.");
ABSL_FLAG(std::string, log_format, "logfmt",
          "Log lines as logfmt (key=value) or json (one object per line).");
ABSL_FLAG(std::string, config, "",
          "A configuration file of `name = value` lines, the names those of these "
          "flags (see docs/operations.md); flags given on the command line "
          "override it.");
// Thresholds of the flags that depend on reports; docs/flags.md says why
// each default is what it is.
ABSL_FLAG(double, no_feedback_share, 0.5,
          "NO_FEEDBACK fires when at least this share (0..1] of the reports that "
          "answered say no feedback came back.");
ABSL_FLAG(int64_t, no_feedback_min_answers, 10,
          "NO_FEEDBACK needs at least this many reports that answered.");
ABSL_FLAG(double, already_reported_elsewhere_share, 0.5,
          "ALREADY_REPORTED_ELSEWHERE fires when at least this share (0..1] of the "
          "reports that answered say the same data is already reported elsewhere.");
ABSL_FLAG(int64_t, already_reported_elsewhere_min_answers, 10,
          "ALREADY_REPORTED_ELSEWHERE needs at least this many reports that answered.");
ABSL_FLAG(double, low_usefulness_median, 2.0,
          "LOW_USEFULNESS fires when the median stated usefulness (1..5) is at or "
          "below this.");
ABSL_FLAG(int64_t, low_usefulness_min_answers, 10,
          "LOW_USEFULNESS needs at least this many stated usefulness answers.");
ABSL_FLAG(double, estimate_gap_factor, 2.0,
          "ESTIMATE_GAP fires when the median measured minutes exceed the agency's "
          "estimate by more than this factor.");
ABSL_FLAG(int64_t, estimate_gap_min_reports, 5,
          "ESTIMATE_GAP needs at least this many reports.");
ABSL_FLAG(int, no_recorded_use_periods, 4,
          "NO_RECORDED_USE as of now looks at the duty's latest this-many periods whose "
          "grace time has passed; ad hoc duties use 365 days of them.");
ABSL_FLAG(int, no_recorded_use_grace_days, 365,
          "NO_RECORDED_USE asks for a use of a period's data only this many days after "
          "the period ends (data cannot be used before it exists); 0 to 3650.");
ABSL_FLAG(int, estimate_min_municipalities, 5,
          "A duty's national estimate needs reports from at least this many "
          "municipalities (1..290); below it the duty is not estimable.");
ABSL_FLAG(bool, illustrative_data, false,
          "The stored reports are made up for illustration (examples, a demonstration): "
          "the arena report says so in its title and in every section.");
ABSL_FLAG(bool, open_register, false,
          "The open register (docs/open-data.md): anyone may read the duties in force and "
          "the yearly burden (OpenRegister, GET /v1/open/...) without credentials. Every "
          "other call still needs them.");
ABSL_FLAG(int, approval_years, 3,
          "The consultation gateway: how many years an approved duty stays in force when "
          "the arena's decision states no expiry (1..10).");
ABSL_FLAG(std::string, today, "",
          "Take this date (YYYY-MM-DD) as today instead of the date in Sweden: for "
          "walkthroughs and tests of what dates decide (deadlines, consultations, expiry). "
          "Never in production.");
ABSL_FLAG(bool, version, false, "Print the version and exit.");

#ifndef INRAPPORT_VERSION
#define INRAPPORT_VERSION "unknown"
#endif

namespace {

// The flags a configuration file may set, and the start log lists (with
// "config"): all of this file's but --version and --config itself. A flag
// that ever holds a secret must be kept out of the start log.
constexpr const char* kSettings[] = {
    "listen", "metrics_listen", "http_listen", "db", "aggregates_snapshot", "replica_sync_interval", "write_cache_mib", "lock_timeout", "tariff_sek_per_hour",
    "shutdown_grace",
    "drain_delay", "tls_cert", "tls_key", "tls_client_ca", "tokens_file",
    "allow_unauthenticated", "max_reports_per_stream", "max_connection_idle",
    "max_connection_age", "max_connection_age_grace", "handshake_timeout",
    "max_concurrent_streams", "listener_probe_interval", "listener_probe_exit_after",
    "metrics_threads", "metrics_request_timeout", "log_format", "no_feedback_share",
    "no_feedback_min_answers", "already_reported_elsewhere_share",
    "already_reported_elsewhere_min_answers", "low_usefulness_median", "low_usefulness_min_answers", "estimate_gap_factor",
    "estimate_gap_min_reports", "no_recorded_use_periods", "no_recorded_use_grace_days",
    "estimate_min_municipalities", "illustrative_data", "open_register", "approval_years",
    "today"};

bool IsSetting(absl::string_view name) {
  for (const char* setting : kSettings) {
    if (name == setting) return true;
  }
  return false;
}

// The --config path given on the command line, if any, before the flags are
// parsed: the file's settings go in first so that the command line wins.
std::string ConfigPathOf(int argc, char** argv) {
  std::string path;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (!absl::ConsumePrefix(&arg, "--")) absl::ConsumePrefix(&arg, "-");
    if (absl::ConsumePrefix(&arg, "config=")) {
      path = std::string(arg);
    } else if (arg == "config" && i + 1 < argc) {
      path = argv[++i];
    }
  }
  return path;
}

// Sets each flag the file names; an unknown name or a bad value names the
// file and line.
absl::Status ApplyConfigFile(const std::string& path) {
  absl::StatusOr<std::vector<inrapport::ConfigSetting>> settings =
      inrapport::ReadConfigFile(path);
  if (!settings.ok()) return settings.status();
  for (const inrapport::ConfigSetting& setting : *settings) {
    const std::string where = absl::StrCat(path, ":", setting.line, ": ");
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(setting.name);
    if (flag == nullptr || !IsSetting(setting.name)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, "unknown setting \"", setting.name, "\" (see inrapportd --help)"));
    }
    std::string error;
    if (!flag->ParseFrom(setting.value, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, setting.name, ": ", error));
    }
  }
  return absl::OkStatus();
}

// The whole effective configuration: file, flags and defaults merged.
std::vector<std::pair<std::string, std::string>> EffectiveConfig() {
  std::vector<std::pair<std::string, std::string>> config;
  config.emplace_back("config", absl::GetFlag(FLAGS_config));
  for (const char* name : kSettings) {
    std::string value = absl::FindCommandLineFlag(name)->CurrentValue();
    // A PostgreSQL URI may carry a password.
    if (absl::string_view(name) == "db") value = inrapport::RedactedConnectionString(value);
    config.emplace_back(name, std::move(value));
  }
  return config;
}

// Each connection holds a descriptor, and gRPC 1.51 stops accepting for good
// once accept() fails for want of one: the soft limit goes up to the hard
// limit, and the start log says both.
void RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t before = limit.rlim_cur;
  auto text = [](rlim_t value) {
    return value == RLIM_INFINITY ? std::string("unlimited") : absl::StrCat(value);
  };
  if (limit.rlim_cur != limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) getrlimit(RLIMIT_NOFILE, &limit);
  }
  inrapport::Log(inrapport::LogLevel::kInfo, "descriptor_limit",
                 {{"soft_before", text(before)},
                  {"soft", text(limit.rlim_cur)},
                  {"hard", text(limit.rlim_max)}});
}

}  // namespace

int main(int argc, char** argv) {
  // glibc gives threads that allocate at once arenas of their own (up to 8
  // per core), and what is freed stays in them: gRPC's threads made the
  // peak at 10 million reports 14 MiB higher, with no gain in throughput
  // (docs/performance.md, "Memory"). MALLOC_ARENA_MAX, when set, decides.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
  // Debian builds Abseil without NDEBUG, so its mutexes keep a graph of
  // lock order for deadlock detection: a lookup in every lock and unlock.
  // A release build of the server turns it off, as NDEBUG would have.
#ifdef NDEBUG
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  absl::SetProgramUsageMessage(
      "receives municipalities' reports to the state over gRPC, "
      "measures their staff-time burden, flags duties with no stated purpose "
      "and serves burden summaries and Prometheus metrics.\n"
      "Usage: inrapportd [--listen HOST:PORT] [--metrics_listen HOST:PORT] "
      "[--db FILE] [--tariff_sek_per_hour SEK]");
  inrapport::ShowFlagsOfDirectoryInHelp("services/server/");
  if (const std::string path = ConfigPathOf(argc, argv); !path.empty()) {
    if (absl::Status applied = ApplyConfigFile(path); !applied.ok()) {
      std::cerr << "inrapportd: " << applied.message() << "\n";
      return 2;
    }
  }
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_version)) {
    std::cout << "inrapportd " << INRAPPORT_VERSION << "\n";
    return 0;
  }
  const std::string log_format = absl::GetFlag(FLAGS_log_format);
  if (log_format == "json") {
    inrapport::SetLogFormat(inrapport::LogFormat::kJson);
  } else if (log_format != "logfmt") {
    std::cerr << "inrapportd: --log_format: \"" << log_format
              << "\" is not logfmt or json\n";
    return 2;
  }

  // gRPC's and protobuf's own lines in the same format, before either logs.
  inrapport::RouteLibraryLogs();

  // A write past the file-size limit must fail (SQLite answers it, and the
  // callers get UNAVAILABLE), not kill the server.
  std::signal(SIGXFSZ, SIG_IGN);
  // Nor may a log reader that went away (a restarted collector, a closed
  // pipe): the log line is lost, the server serves on. The libraries linked
  // in happen to ignore SIGPIPE too; the server does not rely on that.
  std::signal(SIGPIPE, SIG_IGN);

  // Signals are taken synchronously by this thread; block them before any
  // other thread starts so that none of those receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  inrapport::ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  options.http_listen = absl::GetFlag(FLAGS_http_listen);
  options.db = absl::GetFlag(FLAGS_db);
  options.aggregates_snapshot = absl::GetFlag(FLAGS_aggregates_snapshot);
  options.replica_sync_interval = absl::GetFlag(FLAGS_replica_sync_interval);
  options.write_cache_mib = absl::GetFlag(FLAGS_write_cache_mib);
  options.lock_timeout = absl::GetFlag(FLAGS_lock_timeout);
  options.tariff_sek_per_hour = absl::GetFlag(FLAGS_tariff_sek_per_hour);
  options.version = INRAPPORT_VERSION;
  options.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  options.tokens_file = absl::GetFlag(FLAGS_tokens_file);
  options.allow_unauthenticated = absl::GetFlag(FLAGS_allow_unauthenticated);
  options.max_reports_per_stream = absl::GetFlag(FLAGS_max_reports_per_stream);
  options.max_connection_idle = absl::GetFlag(FLAGS_max_connection_idle);
  options.max_connection_age = absl::GetFlag(FLAGS_max_connection_age);
  options.max_connection_age_grace = absl::GetFlag(FLAGS_max_connection_age_grace);
  options.handshake_timeout = absl::GetFlag(FLAGS_handshake_timeout);
  options.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  options.listener_probe_interval = absl::GetFlag(FLAGS_listener_probe_interval);
  options.listener_probe_exit_after = absl::GetFlag(FLAGS_listener_probe_exit_after);
  options.metrics_threads = absl::GetFlag(FLAGS_metrics_threads);
  options.metrics_request_timeout = absl::GetFlag(FLAGS_metrics_request_timeout);
  options.on_listener_lost = [] {
    // The listener will not accept again (gRPC 1.51 gives it up after
    // EMFILE): only a restart helps. Every acknowledged report is durable.
    inrapport::Log(inrapport::LogLevel::kError, "exiting",
                   {{"reason", "the gRPC listener no longer accepts connections"},
                    {"status", "3"}});
    std::_Exit(3);
  };
  options.thresholds.no_feedback_share = absl::GetFlag(FLAGS_no_feedback_share);
  options.thresholds.no_feedback_min_answers = absl::GetFlag(FLAGS_no_feedback_min_answers);
  options.thresholds.already_reported_elsewhere_share =
      absl::GetFlag(FLAGS_already_reported_elsewhere_share);
  options.thresholds.already_reported_elsewhere_min_answers =
      absl::GetFlag(FLAGS_already_reported_elsewhere_min_answers);
  options.thresholds.low_usefulness_median = absl::GetFlag(FLAGS_low_usefulness_median);
  options.thresholds.low_usefulness_min_answers =
      absl::GetFlag(FLAGS_low_usefulness_min_answers);
  options.thresholds.estimate_gap_factor = absl::GetFlag(FLAGS_estimate_gap_factor);
  options.thresholds.estimate_gap_min_reports = absl::GetFlag(FLAGS_estimate_gap_min_reports);
  options.thresholds.no_recorded_use_periods = absl::GetFlag(FLAGS_no_recorded_use_periods);
  options.thresholds.no_recorded_use_grace_days =
      absl::GetFlag(FLAGS_no_recorded_use_grace_days);
  options.estimate_min_municipalities = absl::GetFlag(FLAGS_estimate_min_municipalities);
  options.illustrative_data = absl::GetFlag(FLAGS_illustrative_data);
  options.open_register = absl::GetFlag(FLAGS_open_register);
  options.approval_years = absl::GetFlag(FLAGS_approval_years);
  options.today = absl::GetFlag(FLAGS_today);

  using inrapport::Log;
  using inrapport::LogLevel;
  {
    // One line with the whole effective configuration (file, flags and
    // defaults merged), so a log shows what the server ran with.
    const auto config = EffectiveConfig();
    std::vector<inrapport::LogField> fields = {{"version", INRAPPORT_VERSION}};
    for (const auto& [name, value] : config) fields.emplace_back(name, value);
    inrapport::LogFields(LogLevel::kInfo, "starting", fields);
  }
  RaiseDescriptorLimit();
  const std::string host = options.listen.substr(0, options.listen.rfind(':'));
  const std::string metrics_host =
      options.metrics_listen.substr(0, options.metrics_listen.rfind(':'));
  options.on_loading = [&](int grpc_port, int metrics_port) {
    // The ports answer from here on; health says NOT_SERVING until the
    // listening line below.
    Log(LogLevel::kInfo, "loading",
        {{"grpc_address", absl::StrCat(host, ":", grpc_port)},
         {"metrics_address", absl::StrCat(metrics_host, ":", metrics_port)},
         {"health", "NOT_SERVING"}});
  };
  auto server = inrapport::Server::Start(options);
  if (!server.ok()) {
    // An error may echo the database string, or a library's reading of it.
    Log(LogLevel::kError, "start_failed",
        {{"error", inrapport::RedactedMessage(server.status().ToString(), options.db)}});
    return 1;
  }
  Log(LogLevel::kInfo, "listening",
      {{"service", "grpc"}, {"address", absl::StrCat(host, ":", (*server)->grpc_port())}});
  Log(LogLevel::kInfo, "listening",
      {{"service", "metrics"},
       {"address", absl::StrCat(metrics_host, ":", (*server)->metrics_port())}});
  if (!options.http_listen.empty()) {
    Log(LogLevel::kInfo, "listening",
        {{"service", "http"},
         {"address", absl::StrCat(options.http_listen.substr(0, options.http_listen.rfind(':')),
                                  ":", (*server)->http_port())}});
  }

  if (options.tokens_file.empty() && options.tls_client_ca.empty()) {
    Log(LogLevel::kWarning, "unauthenticated",
        {{"reason", "no --tokens_file or --tls_client_ca: every caller is the administrator"},
         {"listen", options.listen}});
  }

  int signal = 0;
  // SIGHUP re-reads the tokens; SIGTERM and SIGINT stop the server.
  while (sigwait(&signals, &signal) == 0 && signal == SIGHUP) {
    absl::StatusOr<size_t> reloaded = (*server)->ReloadTokens();
    if (reloaded.ok()) {
      Log(LogLevel::kInfo, "tokens_reloaded", {{"tokens", absl::StrCat(*reloaded)}});
    } else {
      Log(LogLevel::kError, "tokens_reload_failed",
          {{"error", std::string(reloaded.status().message())},
           {"effect", "the tokens in use are kept"}});
    }
  }
  const absl::Duration grace = absl::GetFlag(FLAGS_shutdown_grace);
  const absl::Duration drain_delay = absl::GetFlag(FLAGS_drain_delay);
  Log(LogLevel::kInfo, "draining",
      {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"},
       {"drain_delay", absl::FormatDuration(drain_delay)},
       {"grace", absl::FormatDuration(grace)}});
  (*server)->Shutdown(drain_delay, grace);
  server->reset();
  Log(LogLevel::kInfo, "stopped");
  return 0;
}
