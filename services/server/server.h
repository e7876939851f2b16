// inrapportd assembled: the store, the core objects, the gRPC services and
// the metrics endpoint, with their lifetimes in one place.
#ifndef INRAPPORT_SERVICES_SERVER_SERVER_H_
#define INRAPPORT_SERVICES_SERVER_SERVER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/burden/national_estimate.h"
#include "common/flags/flag_rules.h"

namespace inrapport {

// The largest request message accepted; a report is a few kilobytes, a
// duty with every data item well under this.
inline constexpr int kMaxReceiveMessageBytes = 1 << 20;

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";          // gRPC; port 0 picks one
  std::string metrics_listen = "127.0.0.1:9464";   // Prometheus /metrics
  // The HTTP/JSON face of the API (services/http); empty: off.
  std::string http_listen;
  std::string db = "inrapport.db";  // SQLite file, or a postgresql:// URI
  // With SQLite, the aggregates snapshot (Aggregates::Load): empty is the
  // database's file name with ".aggregates" added, "none" keeps none.
  std::string aggregates_snapshot;
  // With PostgreSQL: how often other replicas' writes are read.
  absl::Duration replica_sync_interval = absl::Seconds(1);
  // With SQLite: the writing connection's page cache, in MiB (1..4096).
  int write_cache_mib = 32;
  // How long a commit waits for a lock held by another process or session
  // before its batch is answered UNAVAILABLE (both backends).
  absl::Duration lock_timeout = absl::Seconds(5);
  double tariff_sek_per_hour = 400;
  FlagThresholds thresholds;  // of the report-driven flags (docs/flags.md)
  // A duty's national estimate needs reports from at least this many
  // municipalities (docs/burden.md); 1..290.
  int estimate_min_municipalities = kDefaultEstimateMinMunicipalities;
  // The stored reports are made up for illustration; the arena report says
  // so in every format.
  bool illustrative_data = false;
  // The open register (docs/open-data.md): its three reads need no
  // credentials. Off: they are open to any authenticated caller.
  bool open_register = false;
  std::string version = "unknown";  // for inrapport_build_info
  // The consultation gateway (common/lifecycle): an approval's expiry when
  // the arena states none, in years from the decision (1..10).
  int approval_years = 3;
  // "YYYY-MM-DD": the date the service takes as today, for walkthroughs
  // and tests of what dates decide (deadlines, consultations, expiry);
  // empty: the date in Sweden.
  std::string today;

  // Transport and callers (docs/security.md). With neither a tokens file nor
  // a client CA, every caller is the administrator, so the server listens
  // only on loopback unless allow_unauthenticated says otherwise.
  std::string tls_cert;       // PEM server certificate chain; TLS if set
  std::string tls_key;        // PEM private key of tls_cert
  std::string tls_client_ca;  // PEM CA of client certificates (mutual TLS)
  std::string tokens_file;    // `<sha256 hex> <principal>` lines
  bool allow_unauthenticated = false;
  // Reports one SubmitReports stream may carry.
  int64_t max_reports_per_stream = 100000;

  // Connections (docs/security.md, "Hostile clients"). Each is closed with
  // a GOAWAY: one without calls after `max_connection_idle`, any after
  // `max_connection_age` (calls in flight then get `max_connection_age_grace`),
  // one whose handshake (TLS, HTTP/2 preface and settings) takes longer than
  // `handshake_timeout`. A connection may hold `max_concurrent_streams`
  // calls at once. Compressed requests are refused (UNIMPLEMENTED) before
  // they are inflated.
  absl::Duration max_connection_idle = absl::Minutes(5);
  absl::Duration max_connection_age = absl::Minutes(30);
  absl::Duration max_connection_age_grace = absl::Minutes(5);
  absl::Duration handshake_timeout = absl::Seconds(10);
  int max_concurrent_streams = 100;
  // Every `listener_probe_interval` the server calls its own health service
  // over a new connection to its gRPC port. While that fails, health says
  // NOT_SERVING and inrapport_grpc_listener_up is 0; once it has failed for
  // `listener_probe_exit_after`, on_listener_lost runs (inrapportd exits
  // non-zero, for its supervisor to restart it). Zero turns either off.
  absl::Duration listener_probe_interval = absl::Seconds(10);
  absl::Duration listener_probe_exit_after = absl::Minutes(1);
  std::function<void()> on_listener_lost;
  // Called once both ports listen, before the stored reports are loaded:
  // until Start returns, health says NOT_SERVING and every other call is
  // UNAVAILABLE (services/server/startup_listener.h). May be empty.
  std::function<void(int grpc_port, int metrics_port)> on_loading;
  // The metrics endpoint's worker threads (each serves one connection at a
  // time), and how long one request may take to arrive and be answered.
  int metrics_threads = 8;
  absl::Duration metrics_request_timeout = absl::Seconds(5);
};

// Not thread-safe itself: Start, then Shutdown once from one thread.
class Server {
 public:
  // Opens the store, listens (health NOT_SERVING), loads duties and the
  // figures derived from the reports, and starts serving. The health
  // service says SERVING once this returns.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();

  int grpc_port() const;
  int metrics_port() const;
  int http_port() const;  // 0 without --http_listen

  // Re-reads the tokens file (on SIGHUP). On an error the tokens in use stay.
  // Returns how many tokens are in use; FAILED_PRECONDITION without a file.
  absl::StatusOr<size_t> ReloadTokens();

  // Health turns NOT_SERVING; calls are still served for `drain_delay` (so
  // that load balancers can stop sending them); then new calls are refused,
  // calls in flight get up to `grace` to finish (then they are cancelled),
  // and every acknowledged report is already durable.
  void Shutdown(absl::Duration drain_delay, absl::Duration grace);

 private:
  struct State;
  explicit Server(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_SERVER_SERVER_H_
