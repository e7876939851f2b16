#include "services/server/startup_listener.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/server_callback.h"

namespace inrapport {
namespace {

constexpr char kHealthCheck[] = "/grpc.health.v1.Health/Check";
constexpr char kHealthWatch[] = "/grpc.health.v1.Health/Watch";

// grpc.health.v1.HealthCheckResponse{status: NOT_SERVING}: field 1 (a
// varint), value 2. Written as bytes because gRPC installs no generated
// code for its health protocol.
grpc::ByteBuffer NotServing() {
  static constexpr char kBytes[] = {0x08, 0x02};
  grpc::Slice slice(kBytes, sizeof(kBytes));
  return grpc::ByteBuffer(&slice, 1);
}

// A health call: reads the request (whatever service it names), answers
// NOT_SERVING. A Watch then ends UNAVAILABLE, so that the watcher watches
// again, on the server that follows.
class HealthReactor : public grpc::ServerGenericBidiReactor {
 public:
  explicit HealthReactor(bool watch) : watch_(watch) { StartRead(&request_); }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, kStartingMessage));
      return;
    }
    response_ = NotServing();
    if (watch_) {
      StartWrite(&response_);
    } else {
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    }
  }
  void OnWriteDone(bool) override {
    Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, kStartingMessage));
  }
  void OnDone() override { delete this; }

 private:
  const bool watch_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

// Any other call: UNAVAILABLE at once, its request unread.
class RefusingReactor : public grpc::ServerGenericBidiReactor {
 public:
  RefusingReactor() { Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, kStartingMessage)); }
  void OnDone() override { delete this; }
};

}  // namespace

class StartupListener::Service : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    if (context->method() == kHealthCheck) return new HealthReactor(/*watch=*/false);
    if (context->method() == kHealthWatch) return new HealthReactor(/*watch=*/true);
    return new RefusingReactor();
  }
};

absl::StatusOr<std::unique_ptr<StartupListener>> StartupListener::Start(
    const std::string& listen, std::shared_ptr<grpc::ServerCredentials> credentials) {
  std::unique_ptr<StartupListener> listener(new StartupListener());
  listener->service_ = std::make_unique<Service>();
  // Health calls go to the generic service, which answers NOT_SERVING from
  // the first call on; the default health service would say SERVING until
  // told otherwise. (A process-wide setting, read by BuildAndStart.)
  grpc::EnableDefaultHealthCheckService(false);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen, std::move(credentials), &listener->port_);
  // Only health requests are read, and they are a few bytes.
  builder.SetMaxReceiveMessageSize(1024);
  builder.RegisterCallbackGenericService(listener->service_.get());
  listener->server_ = builder.BuildAndStart();
  if (listener->server_ == nullptr || listener->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("--listen: cannot listen on ", listen));
  }
  return listener;
}

StartupListener::~StartupListener() { Stop(); }

void StartupListener::Stop() {
  if (server_ == nullptr) return;
  server_->Shutdown(std::chrono::system_clock::now());
  server_->Wait();
  server_.reset();
}

}  // namespace inrapport
