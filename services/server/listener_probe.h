// Watches that the gRPC listener still accepts connections: gRPC 1.51 gives
// its listener up for good when accept() fails with EMFILE (descriptors
// exhausted), and nothing else would notice while the metrics port answers.
#ifndef INRAPPORT_SERVICES_SERVER_LISTENER_PROBE_H_
#define INRAPPORT_SERVICES_SERVER_LISTENER_PROBE_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/security/credentials.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace inrapport {

// Every `interval`, on its own thread, opens a new connection to `target`
// with `credentials` and calls grpc.health.v1.Health/Check with a deadline;
// a call that completes (whatever the status it reports) proves the
// listener accepts. The gauge inrapport_grpc_listener_up says 1 or 0.
// `set_serving(false)` is called when a probe fails and `set_serving(true)`
// when one succeeds again; once probes have failed for `exit_after` (not
// zero), `on_lost` is called, once. Thread-safe; the destructor stops the
// thread and waits for it.
class ListenerProbe {
 public:
  struct Options {
    std::string target;  // HOST:PORT to connect to
    std::shared_ptr<grpc::ChannelCredentials> credentials;
    std::string tls_server_name;  // with TLS: a name the server's certificate holds
    absl::Duration interval = absl::Seconds(10);
    absl::Duration exit_after = absl::Minutes(1);
    std::function<void(bool serving)> set_serving;
    std::function<void()> on_lost;
  };
  ListenerProbe(Options options, prometheus::Registry& registry);
  ~ListenerProbe();

  // Stops probing, for good (the server is shutting down, and its listener
  // closes): health and the gauge are left as they are.
  void Stop();

 private:
  bool ProbeOnce() const;
  // Calls set_serving unless stopped.
  void SetServing(bool serving);
  void Run();

  const Options options_;
  prometheus::Gauge* up_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// The credentials a probe of a server with these TLS settings connects
// with: plaintext without a certificate; else TLS that does not check the
// server's certificate (the probe checks the listener, not the name).
std::shared_ptr<grpc::ChannelCredentials> ProbeCredentials(bool tls);

// The first DNS name of the PEM certificate's subjectAltName, else its
// common name ("probe.example.org" for "*.example.org"); "" if none.
std::string CertificateName(const std::string& pem);

// Where to probe a server listening on `listen` at `port`: a wildcard host
// (0.0.0.0, [::], empty) is probed on loopback.
std::string ProbeTarget(const std::string& listen, int port);

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_SERVER_LISTENER_PROBE_H_
