#include "services/server/server.h"

#include <algorithm>
#include <climits>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "common/base/listen_address.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"
#include "common/aggregates/aggregates.h"
#include "common/burden/burden_queries.h"
#include "common/catalog/duty_catalog.h"
#include "common/domain/period.h"
#include "common/intake/report_intake.h"
#include "common/metrics/burden_collector.h"
#include "common/metrics/process_collector.h"
#include "common/metrics/service_metrics.h"
#include "common/store/postgres_store.h"
#include "common/store/sqlite_store.h"
#include "common/sync/replica_sync.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "prometheus/exposer.h"
#include "prometheus/registry.h"
#include "common/auth/token_file.h"
#include "services/handlers/burden_query_service.h"
#include "services/handlers/call_auth.h"
#include "services/handlers/duty_gateway_service.h"
#include "services/handlers/duty_registry_service.h"
#include "services/handlers/grpc_server_metrics.h"
#include "services/handlers/open_register_service.h"
#include "services/handlers/report_intake_service.h"
#include "services/http/http_gateway.h"
#include "services/server/listener_probe.h"
#include "services/server/startup_listener.h"

namespace inrapport {

// Members are declared in dependency order: destruction runs backwards, so
// the gRPC server stops before the objects its handlers use go away, and
// the store (which drains its queue) goes last.
struct Server::State {
  std::unique_ptr<Store> store;
  std::unique_ptr<Aggregates> aggregates;
  std::unique_ptr<AgencyRegister> agencies;
  std::unique_ptr<DutyCatalog> catalog;  // listens to the aggregates
  std::unique_ptr<BurdenQueries> queries;
  std::unique_ptr<DutyLifecycle> lifecycle;
  std::unique_ptr<ReplicaSync> sync;  // with a shared store only
  std::shared_ptr<prometheus::Registry> registry;
  std::unique_ptr<TokenFile> tokens;
  std::unique_ptr<CallAuth> auth;
  std::unique_ptr<IntakeMetrics> intake_metrics;
  std::unique_ptr<GrpcServerMetrics> grpc_metrics;
  std::shared_ptr<BurdenCollector> burden_collector;
  std::shared_ptr<ReplicaSyncCollector> sync_collector;  // with a shared store only
  std::shared_ptr<ProcessCollector> process_collector;
  std::unique_ptr<prometheus::Exposer> exposer;
  std::unique_ptr<ReportIntake> intake;
  std::unique_ptr<ReportRecords> records;
  std::unique_ptr<DueReports> due;
  std::unique_ptr<DutyRegistryService> duty_service;
  std::unique_ptr<DutyGatewayService> gateway_service;
  std::unique_ptr<ReportIntakeService> intake_service;
  std::unique_ptr<BurdenQueryService> burden_service;
  std::unique_ptr<OpenRegister> open_register;
  std::unique_ptr<OpenRegisterService> open_register_service;
  std::unique_ptr<grpc::Server> grpc_server;
  prometheus::Family<prometheus::Counter>* http_requests = nullptr;
  // Calls the server in process: declared after it, so stopped before it.
  std::unique_ptr<HttpGateway> http;
  std::unique_ptr<StartupListener> startup_listener;  // while loading
  // Declared after the server: stopped before it.
  std::unique_ptr<ListenerProbe> listener_probe;
  int grpc_port = 0;
  int metrics_port = 0;
  bool shut_down = false;
  std::string snapshot_path;  // empty: none
};

Server::Server(std::unique_ptr<State> state) : state_(std::move(state)) {}

Server::~Server() { Shutdown(absl::ZeroDuration(), absl::ZeroDuration()); }

int Server::grpc_port() const { return state_->grpc_port; }
int Server::metrics_port() const { return state_->metrics_port; }

int Server::http_port() const { return state_->http == nullptr ? 0 : state_->http->port(); }

namespace {

// Every method the server serves, by name: one refused-calls series each.
std::vector<std::string> ServedMethodNames() {
  std::vector<std::string> names;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const char* name : {v1::DutyRegistry::service_full_name(),
                           v1::DutyGateway::service_full_name(),
                           v1::ReportIntake::service_full_name(),
                           v1::BurdenQuery::service_full_name(),
                           v1::OpenRegister::service_full_name()}) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
    for (int i = 0; service != nullptr && i < service->method_count(); ++i) {
      names.push_back(service->method(i)->name());
    }
  }
  return names;
}


// Each threshold by its inrapportd flag, so that a bad value names the flag.
absl::Status ValidateThresholds(const FlagThresholds& t) {
  auto share = [](const char* flag, double value) {
    return value > 0 && value <= 1
               ? absl::OkStatus()
               : absl::InvalidArgumentError(
                     absl::StrCat(flag, ": must be above 0 and at most 1, got ", value));
  };
  auto at_least = [](const char* flag, double value, double minimum) {
    return value >= minimum
               ? absl::OkStatus()
               : absl::InvalidArgumentError(
                     absl::StrCat(flag, ": must be at least ", minimum, ", got ", value));
  };
  RETURN_IF_ERROR(share("--no_feedback_share", t.no_feedback_share));
  RETURN_IF_ERROR(at_least("--no_feedback_min_answers", t.no_feedback_min_answers, 1));
  RETURN_IF_ERROR(share("--already_reported_elsewhere_share", t.already_reported_elsewhere_share));
  RETURN_IF_ERROR(at_least("--already_reported_elsewhere_min_answers",
                           t.already_reported_elsewhere_min_answers, 1));
  if (!(t.low_usefulness_median >= 1 && t.low_usefulness_median <= 5)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--low_usefulness_median: must be between 1 and 5, got ", t.low_usefulness_median));
  }
  RETURN_IF_ERROR(at_least("--low_usefulness_min_answers", t.low_usefulness_min_answers, 1));
  RETURN_IF_ERROR(at_least("--estimate_gap_factor", t.estimate_gap_factor, 1));
  RETURN_IF_ERROR(at_least("--estimate_gap_min_reports", t.estimate_gap_min_reports, 1));
  RETURN_IF_ERROR(at_least("--no_recorded_use_periods", t.no_recorded_use_periods, 1));
  if (t.no_recorded_use_grace_days < 0 || t.no_recorded_use_grace_days > 3650) {
    return absl::InvalidArgumentError(
        absl::StrCat("--no_recorded_use_grace_days: must be between 0 and 3650, got ",
                     t.no_recorded_use_grace_days));
  }
  return absl::OkStatus();
}

// A duration flag within [minimum, maximum], or zero where zero turns it off.
absl::Status DurationIn(const char* flag, absl::Duration value, absl::Duration minimum,
                        absl::Duration maximum, bool zero_allowed) {
  if ((zero_allowed && value == absl::ZeroDuration()) || (value >= minimum && value <= maximum)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      flag, ": must be between ", absl::FormatDuration(minimum), " and ",
      absl::FormatDuration(maximum), zero_allowed ? " (or 0 for never)" : "", ", got ",
      absl::FormatDuration(value)));
}

absl::Status ValidateTransport(const ServerOptions& o) {
  const absl::Duration day = absl::Hours(24);
  RETURN_IF_ERROR(DurationIn("--max_connection_idle", o.max_connection_idle, absl::Seconds(1),
                             day, true));
  RETURN_IF_ERROR(DurationIn("--max_connection_age", o.max_connection_age, absl::Seconds(1),
                             day, true));
  RETURN_IF_ERROR(DurationIn("--max_connection_age_grace", o.max_connection_age_grace,
                             absl::Seconds(1), day, true));
  RETURN_IF_ERROR(DurationIn("--handshake_timeout", o.handshake_timeout, absl::Milliseconds(100),
                             absl::Minutes(10), false));
  RETURN_IF_ERROR(DurationIn("--listener_probe_interval", o.listener_probe_interval,
                             absl::Milliseconds(100), absl::Hours(1), true));
  RETURN_IF_ERROR(DurationIn("--listener_probe_exit_after", o.listener_probe_exit_after,
                             absl::Milliseconds(100), day, true));
  RETURN_IF_ERROR(DurationIn("--metrics_request_timeout", o.metrics_request_timeout,
                             absl::Milliseconds(100), absl::Minutes(10), false));
  if (o.max_concurrent_streams < 1 || o.max_concurrent_streams > 10000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max_concurrent_streams: must be between 1 and 10000, got ", o.max_concurrent_streams));
  }
  if (o.metrics_threads < 1 || o.metrics_threads > 256) {
    return absl::InvalidArgumentError(
        absl::StrCat("--metrics_threads: must be between 1 and 256, got ", o.metrics_threads));
  }
  return absl::OkStatus();
}

// A duration as a gRPC channel argument in milliseconds; zero (never) as
// INT_MAX, gRPC's "infinite".
int ChannelMillis(absl::Duration d) {
  if (d == absl::ZeroDuration()) return INT_MAX;
  return static_cast<int>(std::min<int64_t>(absl::ToInt64Milliseconds(d), INT_MAX));
}

absl::StatusOr<std::string> ReadPem(const char* flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(flag, ": cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (buffer.str().find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": ", path, " holds no PEM data"));
  }
  return buffer.str();
}

// Plaintext, TLS, or TLS that asks for (and verifies) a client certificate.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(const ServerOptions& o) {
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key: give both or neither");
  }
  if (o.tls_cert.empty()) {
    if (!o.tls_client_ca.empty()) {
      return absl::InvalidArgumentError("--tls_client_ca: needs --tls_cert and --tls_key");
    }
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions ssl(
      o.tls_client_ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                              // A certificate is optional (a token also names the
                              // caller), but one that is sent must verify.
                              : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  ASSIGN_OR_RETURN(pair.private_key, ReadPem("--tls_key", o.tls_key));
  ASSIGN_OR_RETURN(pair.cert_chain, ReadPem("--tls_cert", o.tls_cert));
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!o.tls_client_ca.empty()) {
    ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadPem("--tls_client_ca", o.tls_client_ca));
  }
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  if (!(options.tariff_sek_per_hour > 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--tariff_sek_per_hour: must be positive, got ", options.tariff_sek_per_hour));
  }
  RETURN_IF_ERROR(ValidateThresholds(options.thresholds));
  if (options.estimate_min_municipalities < 1 || options.estimate_min_municipalities > 290) {
    return absl::InvalidArgumentError(
        absl::StrCat("--estimate_min_municipalities: must be between 1 and 290, got ",
                     options.estimate_min_municipalities));
  }
  if (options.max_reports_per_stream < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max_reports_per_stream: must be at least 1, got ", options.max_reports_per_stream));
  }
  if (options.write_cache_mib < 1 || options.write_cache_mib > 4096) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--write_cache_mib: must be between 1 and 4096, got ", options.write_cache_mib));
  }
  if (options.lock_timeout < absl::Milliseconds(1) || options.lock_timeout > absl::Minutes(10)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--lock_timeout: must be between 1ms and 10m, got ",
        absl::FormatDuration(options.lock_timeout)));
  }
  RETURN_IF_ERROR(ValidateTransport(options));
  const int lock_timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(options.lock_timeout));
  auto state = std::make_unique<State>();

  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials, Credentials(options));
  if (!options.tokens_file.empty()) {
    ASSIGN_OR_RETURN(state->tokens, TokenFile::Open(options.tokens_file));
  }
  const bool authenticates = state->tokens != nullptr || !options.tls_client_ca.empty();
  if (!options.http_listen.empty()) {
    if (!authenticates && !IsLoopbackListenAddress(options.http_listen) &&
        !options.allow_unauthenticated) {
      return absl::FailedPreconditionError(absl::StrCat(
          "--http_listen: ", options.http_listen,
          " is not a loopback address, and without --tokens_file or --tls_client_ca every "
          "caller would be the administrator; configure authentication, or pass "
          "--allow_unauthenticated if something in front of the server authenticates"));
    }
  }
  if (!authenticates && !IsLoopbackListenAddress(options.listen) && !options.allow_unauthenticated) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--listen: ", options.listen,
        " is not a loopback address, and without --tokens_file or --tls_client_ca every "
        "caller would be the administrator; configure authentication, or pass "
        "--allow_unauthenticated if something in front of the server authenticates"));
  }

  if (IsPostgresUri(options.db)) {
    if (options.replica_sync_interval <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError("--replica_sync_interval: must be positive");
    }
    PostgresStoreOptions store_options;
    store_options.uri = options.db;
    store_options.lock_timeout_ms = lock_timeout_ms;
    ASSIGN_OR_RETURN(state->store, OpenPostgresStore(store_options));
  } else {
    if (options.aggregates_snapshot.empty()) {
      state->snapshot_path = options.db + ".aggregates";
    } else if (options.aggregates_snapshot != "none") {
      state->snapshot_path = options.aggregates_snapshot;
    }
    SqliteStoreOptions store_options;
    store_options.path = options.db;
    store_options.busy_timeout_ms = lock_timeout_ms;
    store_options.write_cache_kib = options.write_cache_mib * 1024;
    ASSIGN_OR_RETURN(state->store, OpenSqliteStore(store_options));
  }
  // The port is held from here on: health says NOT_SERVING until the
  // server below takes over, so a long load reads as "starting", not "down".
  ASSIGN_OR_RETURN(state->startup_listener, StartupListener::Start(options.listen, credentials));
  const std::string listen = absl::StrCat(options.listen.substr(0, options.listen.rfind(':')),
                                          ":", state->startup_listener->port());

  state->registry = std::make_shared<prometheus::Registry>();
  state->intake_metrics = std::make_unique<IntakeMetrics>(*state->registry);
  state->grpc_metrics = std::make_unique<GrpcServerMetrics>(
      *state->registry,
      std::vector<std::string>{"inrapport.v1.DutyRegistry", "inrapport.v1.DutyGateway",
                               "inrapport.v1.ReportIntake", "inrapport.v1.BurdenQuery",
                               "inrapport.v1.OpenRegister"});
  RegisterBuildInfo(*state->registry, {{"version", options.version},
                                        {"grpc_version", grpc::Version()},
                                        {"sqlite_version", SqliteVersion()}});
  state->http_requests = &HttpGateway::RegisterMetrics(*state->registry);
  state->process_collector = std::make_shared<ProcessCollector>();
  try {
    // civetweb serves one connection per worker thread: a few clients that
    // send their request slowly must neither hold every worker nor hold one
    // long. Keep-alive off, so an idle scraper connection frees its worker.
    state->exposer = std::make_unique<prometheus::Exposer>(std::vector<std::string>{
        "listening_ports", options.metrics_listen,
        "num_threads", absl::StrCat(options.metrics_threads),
        "request_timeout_ms", absl::StrCat(absl::ToInt64Milliseconds(options.metrics_request_timeout)),
        "enable_keep_alive", "no"});
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat(
        "--metrics_listen: cannot listen on ", options.metrics_listen, ": ", e.what()));
  }
  state->exposer->RegisterCollectable(state->registry);
  state->exposer->RegisterCollectable(state->process_collector);
  const std::vector<int> metrics_ports = state->exposer->GetListeningPorts();
  state->metrics_port = metrics_ports.empty() ? 0 : metrics_ports.front();

  if (options.on_loading) options.on_loading(state->startup_listener->port(), state->metrics_port);

  // Today's date for every rule that dates decide.
  std::function<absl::CivilDay()> today = &TodayInSweden;
  if (!options.today.empty()) {
    absl::StatusOr<absl::CivilDay> fixed = ParseDate(options.today);
    if (!fixed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--today: ", fixed.status().message()));
    }
    today = [day = *fixed] { return day; };
  }
  if (options.approval_years < 1 || options.approval_years > 10) {
    return absl::InvalidArgumentError(
        absl::StrCat("--approval_years: must be 1 to 10, got ", options.approval_years));
  }

  const absl::Time load_started = absl::Now();
  // A shared store's change feed starts where this load ends.
  RETURN_IF_ERROR(state->store->BeginStartupSnapshot());
  // The figures derived from the reports, read once; the catalogue's flags
  // are evaluated from them.
  ASSIGN_OR_RETURN(state->aggregates, Aggregates::Load(*state->store, state->snapshot_path));
  ASSIGN_OR_RETURN(state->agencies, AgencyRegister::Load(state->store.get()));
  ASSIGN_OR_RETURN(state->catalog, DutyCatalog::Load(state->store.get(), state->aggregates.get(),
                                                     options.thresholds, today,
                                                     state->agencies.get()));
  state->queries = std::make_unique<BurdenQueries>(
      state->catalog.get(), state->aggregates.get(), options.tariff_sek_per_hour,
      state->store.get(), options.estimate_min_municipalities);
  DutyLifecycle::Options lifecycle_options;
  lifecycle_options.approval_years = options.approval_years;
  ASSIGN_OR_RETURN(state->lifecycle,
                   DutyLifecycle::Load(state->store.get(), state->catalog.get(),
                                       state->queries.get(), lifecycle_options, today));
  RETURN_IF_ERROR(state->store->EndStartupSnapshot());
  Log(LogLevel::kInfo, "loaded",
      {{"seconds", absl::StrFormat("%.3f", absl::ToDoubleSeconds(absl::Now() - load_started))}});
  ReportIntake::AfterSync after_sync;
  if (state->store->IsShared()) {
    state->sync = std::make_unique<ReplicaSync>(state->store.get(), state->catalog.get(),
                                                state->aggregates.get(),
                                                options.replica_sync_interval,
                                                state->agencies.get(), state->lifecycle.get());
    after_sync = [sync = state->sync.get()](std::function<void()> then) {
      sync->AfterNextSync(std::move(then));
    };
  }
  state->burden_collector = std::make_shared<BurdenCollector>(
      state->catalog.get(), &state->aggregates->burden(), state->queries.get(),
      state->store.get());
  state->exposer->RegisterCollectable(state->burden_collector);
  if (state->sync != nullptr) {
    state->sync_collector = std::make_shared<ReplicaSyncCollector>(state->sync.get());
    state->exposer->RegisterCollectable(state->sync_collector);
  }
  state->intake = std::make_unique<ReportIntake>(
      state->store.get(), state->catalog.get(), state->aggregates.get(),
      state->intake_metrics.get(), today, std::move(after_sync));
  state->auth = std::make_unique<CallAuth>(
      state->tokens.get(), !options.tls_client_ca.empty(), *state->registry,
      ServedMethodNames());
  state->duty_service = std::make_unique<DutyRegistryService>(
      state->catalog.get(), state->agencies.get(), state->queries.get(), state->auth.get());
  state->gateway_service = std::make_unique<DutyGatewayService>(
      state->lifecycle.get(), state->catalog.get(), state->agencies.get(), state->auth.get());
  ReportStream::Limits stream_limits;
  stream_limits.max_messages = options.max_reports_per_stream;
  state->records = std::make_unique<ReportRecords>(state->store.get(), state->catalog.get());
  state->intake_service = std::make_unique<ReportIntakeService>(
      state->intake.get(), state->records.get(), state->auth.get(), stream_limits);
  state->due = std::make_unique<DueReports>(state->store.get(), state->catalog.get(), today);
  state->burden_service =
      std::make_unique<BurdenQueryService>(state->queries.get(), state->auth.get(),
                                           options.illustrative_data, state->due.get(),
                                           state->lifecycle.get(), state->agencies.get(),
                                           state->catalog.get());
  state->open_register = std::make_unique<OpenRegister>(
      state->catalog.get(), state->agencies.get(), state->queries.get());
  state->open_register_service = std::make_unique<OpenRegisterService>(
      state->open_register.get(), state->auth.get(), options.open_register);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen, credentials, &state->grpc_port);
  // Every message is bounded before it is parsed: larger is RESOURCE_EXHAUSTED.
  builder.SetMaxReceiveMessageSize(kMaxReceiveMessageBytes);
  // gRPC 1.51 inflates a compressed message whole before it checks its size:
  // a 1 MB gzip message of zeros held 1 GB. Only identity is accepted; a
  // request in another encoding is refused UNIMPLEMENTED before its message
  // is read. Answers are not compressed either.
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_DEFLATE, false);
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_GZIP, false);
  builder.SetDefaultCompressionAlgorithm(GRPC_COMPRESS_NONE);
  // Connections that cost without calling: idle ones, endless ones, slow
  // handshakes, and HTTP/2 abuse (docs/security.md).
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             ChannelMillis(options.max_connection_idle));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                             ChannelMillis(options.max_connection_age));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             ChannelMillis(options.max_connection_age_grace));
  builder.AddChannelArgument("grpc.server_handshake_timeout_ms",
                             ChannelMillis(options.handshake_timeout));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_concurrent_streams);
  // Pings: a client may ping at most every 10 s while it has calls, never
  // without; the third ping too soon closes the connection (GOAWAY
  // ENHANCE_YOUR_CALM). The server pings a silent client every 2 minutes
  // and drops it if no answer comes in 20 s.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 120000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  builder.RegisterService(state->duty_service.get());
  builder.RegisterService(state->gateway_service.get());
  builder.RegisterService(state->intake_service.get());
  builder.RegisterService(state->burden_service.get());
  builder.RegisterService(state->open_register_service.get());
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(state->grpc_metrics->MakeInterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  state->grpc_server = builder.BuildAndStart();
  if (state->grpc_server == nullptr || state->grpc_port == 0) {
    return absl::UnavailableError(
        absl::StrCat("--listen: cannot listen on ", options.listen));
  }
  state->grpc_server->GetHealthCheckService()->SetServingStatus(true);
  // New connections now reach the server only; the start-up listener's
  // clients reconnect to it.
  state->startup_listener->Stop();
  if (!options.http_listen.empty()) {
    HttpGateway::Options http;
    http.listen = options.http_listen;
    http.version = options.version;
    http.max_stream_messages = options.max_reports_per_stream;
    // With --tls_cert the face is HTTPS with the same certificate and key.
    http.tls_cert = options.tls_cert;
    http.tls_key = options.tls_key;
    http.channel = state->grpc_server->InProcessChannel(grpc::ChannelArguments());
    http.today = today;
    ASSIGN_OR_RETURN(state->http, HttpGateway::Start(std::move(http), *state->http_requests));
  }
  ListenerProbe::Options probe;
  probe.target = ProbeTarget(options.listen, state->grpc_port);
  probe.credentials = ProbeCredentials(!options.tls_cert.empty());
  if (!options.tls_cert.empty()) {
    absl::StatusOr<std::string> pem = ReadPem("--tls_cert", options.tls_cert);
    if (pem.ok()) probe.tls_server_name = CertificateName(*pem);
  }
  probe.interval = options.listener_probe_interval;
  probe.exit_after = options.listener_probe_exit_after;
  probe.set_serving = [server = state->grpc_server.get()](bool serving) {
    server->GetHealthCheckService()->SetServingStatus(serving);
  };
  probe.on_lost = options.on_listener_lost;
  state->listener_probe = std::make_unique<ListenerProbe>(std::move(probe), *state->registry);
  return std::unique_ptr<Server>(new Server(std::move(state)));
}

absl::StatusOr<size_t> Server::ReloadTokens() {
  if (state_ == nullptr || state_->tokens == nullptr) {
    return absl::FailedPreconditionError("no --tokens_file to reload");
  }
  return state_->tokens->Reload();
}

void Server::Shutdown(absl::Duration drain_delay, absl::Duration grace) {
  if (state_ == nullptr || state_->shut_down) return;
  state_->shut_down = true;
  state_->listener_probe->Stop();
  state_->grpc_server->GetHealthCheckService()->SetServingStatus(false);
  if (drain_delay > absl::ZeroDuration()) absl::SleepFor(drain_delay);
  // HTTP requests being served finish; then no new ones.
  if (state_->http != nullptr) state_->http->Stop();
  state_->grpc_server->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  state_->grpc_server->Wait();
  Log(LogLevel::kInfo, "drained");
  if (!state_->snapshot_path.empty() && state_->aggregates != nullptr) {
    // Nothing moves the figures any more once the store writes nothing:
    // they are saved as of its last report, and the next start reads them.
    state_->store->StopWrites();
    if (absl::Status saved = state_->aggregates->SaveSnapshot(*state_->store,
                                                              state_->snapshot_path);
        !saved.ok()) {
      Log(LogLevel::kWarning, "snapshot_not_written",
          {{"path", state_->snapshot_path}, {"error", std::string(saved.message())}});
    }
  }
}

}  // namespace inrapport
