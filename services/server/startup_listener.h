// Holds the gRPC port while the server loads what it derives from the stored
// reports: health answers NOT_SERVING and every other call UNAVAILABLE, so
// that an orchestrator sees a live process that is not ready yet (a
// readiness probe fails, a liveness probe does not), and clients retry.
#ifndef INRAPPORT_SERVICES_SERVER_STARTUP_LISTENER_H_
#define INRAPPORT_SERVICES_SERVER_STARTUP_LISTENER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"

namespace inrapport {

// The message of every call the start-up listener refuses.
inline constexpr char kStartingMessage[] =
    "inrapportd is starting: it is loading the figures derived from the stored reports; "
    "retry shortly";

class StartupListener {
 public:
  // Listens on `listen` (port 0 picks one) with `credentials`. The server
  // that follows binds the same port beside it (gRPC sets SO_REUSEPORT),
  // so the port never closes between the two. UNAVAILABLE if it cannot
  // listen. Thread-safe.
  static absl::StatusOr<std::unique_ptr<StartupListener>> Start(
      const std::string& listen, std::shared_ptr<grpc::ServerCredentials> credentials);
  ~StartupListener();  // Stop()

  int port() const { return port_; }

  // Stops listening; calls still open are cancelled, and their clients
  // reconnect to the server that now holds the port. Idempotent.
  void Stop();

 private:
  class Service;
  StartupListener() = default;

  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_SERVER_STARTUP_LISTENER_H_
