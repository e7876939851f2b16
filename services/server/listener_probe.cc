#include "services/server/listener_probe.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "openssl/pem.h"
#include "openssl/x509v3.h"
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
  // The name the server's certificate holds: a probe that asks for another
  // makes the server log a mismatch every interval.
  if (!options_.tls_server_name.empty()) args.SetSslTargetNameOverride(options_.tls_server_name);
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

std::string CertificateName(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return "";
  X509* certificate = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (certificate == nullptr) return "";
  std::string name;
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  if (names != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names) && name.empty(); ++i) {
      const GENERAL_NAME* entry = sk_GENERAL_NAME_value(names, i);
      if (entry->type != GEN_DNS) continue;
      const unsigned char* data = ASN1_STRING_get0_data(entry->d.dNSName);
      name.assign(reinterpret_cast<const char*>(data), ASN1_STRING_length(entry->d.dNSName));
    }
    GENERAL_NAMES_free(names);
  }
  if (name.empty()) {
    char common_name[256] = {};
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(certificate), NID_commonName,
                                  common_name, sizeof(common_name)) > 0) {
      name = common_name;
    }
  }
  X509_free(certificate);
  // A wildcard name stands for any one label.
  if (name.rfind("*.", 0) == 0) name = "probe" + name.substr(1);
  return name;
}

std::string ProbeTarget(const std::string& listen, int port) {
  std::string host = listen.substr(0, listen.rfind(':'));
  if (host.empty() || host == "0.0.0.0" || host == "*") host = "127.0.0.1";
  if (host == "[::]") host = "[::1]";
  return absl::StrCat(host, ":", port);
}

}  // namespace inrapport
