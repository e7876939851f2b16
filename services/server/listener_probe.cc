#include "services/server/listener_probe.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/tls_certificate_verifier.h"
#include "grpcpp/security/tls_credentials_options.h"

namespace inrapport {

ListenerProbe::ListenerProbe(Options options, prometheus::Registry& registry)
    : options_(std::move(options)) {
  up_ = &prometheus::BuildGauge()
             .Name("inrapport_grpc_listener_up")
             .Help("1 while a new connection to the server's own gRPC port gets a health "
                   "answer, 0 while it does not (the listener no longer accepts).")
             .Register(registry)
             .Add({});
  up_->Set(1);
  if (options_.interval > absl::ZeroDuration()) thread_ = std::thread([this] { Run(); });
}

ListenerProbe::~ListenerProbe() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void ListenerProbe::Stop() {
  absl::MutexLock lock(&mu_);
  stopping_ = true;
}

void ListenerProbe::SetServing(bool serving) {
  // Under the lock, so that no probe changes health once Stop returns.
  absl::MutexLock lock(&mu_);
  if (!stopping_ && options_.set_serving) options_.set_serving(serving);
}

bool ListenerProbe::ProbeOnce() const {
  grpc::ChannelArguments args;
  // A connection of its own: a shared subchannel would reuse one that an
  // earlier probe (or nothing at all) proved.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(options_.target, options_.credentials, args);
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(
      absl::Now() + std::min(options_.interval, absl::Seconds(5))));
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                 &response, [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = std::move(s);
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  return status.ok();
}

void ListenerProbe::Run() {
  absl::Time failing_since = absl::InfiniteFuture();
  bool lost = false;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping), options_.interval)) return;
    }
    const bool ok = ProbeOnce();
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    const absl::Time now = absl::Now();
    if (ok) {
      if (failing_since != absl::InfiniteFuture()) {
        Log(LogLevel::kInfo, "listener_probe_recovered",
            {{"target", options_.target},
             {"failed_for", absl::FormatDuration(now - failing_since)}});
        SetServing(true);
      }
      failing_since = absl::InfiniteFuture();
      up_->Set(1);
      continue;
    }
    if (failing_since == absl::InfiniteFuture()) {
      failing_since = now;
      SetServing(false);
    }
    up_->Set(0);
    Log(LogLevel::kError, "listener_probe_failed",
        {{"target", options_.target},
         {"failing_for", absl::FormatDuration(now - failing_since)},
         {"effect", "health says NOT_SERVING; the gRPC listener may no longer accept"}});
    if (!lost && options_.exit_after > absl::ZeroDuration() &&
        now - failing_since >= options_.exit_after) {
      lost = true;
      Log(LogLevel::kError, "listener_lost",
          {{"target", options_.target},
           {"failing_for", absl::FormatDuration(now - failing_since)}});
      if (options_.on_lost) options_.on_lost();
    }
  }
}

std::shared_ptr<grpc::ChannelCredentials> ProbeCredentials(bool tls) {
  if (!tls) return grpc::InsecureChannelCredentials();
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_verify_server_certs(false);
  options.set_check_call_host(false);
  options.set_certificate_verifier(
      std::make_shared<grpc::experimental::NoOpCertificateVerifier>());
  return grpc::experimental::TlsCredentials(options);
}

std::string ProbeTarget(const std::string& listen, int port) {
  std::string host = listen.substr(0, listen.rfind(':'));
  if (host.empty() || host == "0.0.0.0" || host == "*") host = "127.0.0.1";
  if (host == "[::]") host = "[::1]";
  return absl::StrCat(host, ":", port);
}

}  // namespace inrapport
