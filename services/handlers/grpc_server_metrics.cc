#include "services/handlers/grpc_server_metrics.h"

#include <chrono>
#include <map>

#include "absl/strings/string_view.h"
#include "common/metrics/service_metrics.h"
#include "google/protobuf/descriptor.h"

namespace inrapport {
namespace {

// The code as go-grpc-prometheus labels it (Go's codes.Code.String():
// "NotFound", "InvalidArgument"), so that existing gRPC dashboards and
// alerts that filter on grpc_code match.
const char* GoCodeName(int code) {
  static constexpr const char* kNames[] = {
      "OK",           "Canceled",         "Unknown",           "InvalidArgument",
      "DeadlineExceeded", "NotFound",     "AlreadyExists",     "PermissionDenied",
      "ResourceExhausted", "FailedPrecondition", "Aborted",    "OutOfRange",
      "Unimplemented", "Internal",        "Unavailable",       "DataLoss",
      "Unauthenticated"};
  return code >= 0 && code < 17 ? kNames[code] : "Unknown";
}

using RpcType = grpc::experimental::ServerRpcInfo::Type;
using grpc::experimental::InterceptionHookPoints;

const char* TypeName(RpcType type) {
  switch (type) {
    case RpcType::UNARY: return "unary";
    case RpcType::CLIENT_STREAMING: return "client_stream";
    case RpcType::SERVER_STREAMING: return "server_stream";
    case RpcType::BIDI_STREAMING: return "bidi_stream";
  }
  return "unary";
}

const char* TypeName(const google::protobuf::MethodDescriptor& method) {
  if (method.client_streaming() && method.server_streaming()) return "bidi_stream";
  if (method.client_streaming()) return "client_stream";
  if (method.server_streaming()) return "server_stream";
  return "unary";
}

// go-grpc-prometheus' default buckets (Prometheus' DefBuckets), in seconds.
const prometheus::Histogram::BucketBoundaries& HandlingBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

class MetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit MetricsInterceptor(const GrpcServerMetrics::Method& method)
      : method_(method), start_(std::chrono::steady_clock::now()) {
    method_.started->Increment();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      method_.received->Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      method_.sent->Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const int code = methods->GetSendStatus().error_code();
      method_.handled[code >= 0 && code < 17 ? code : 2]->Increment();
      method_.handling_seconds->Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
              .count());
    }
    methods->Proceed();
  }

 private:
  const GrpcServerMetrics::Method& method_;
  const std::chrono::steady_clock::time_point start_;
};

class MetricsInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(GrpcServerMetrics* metrics) : metrics_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (info->method() == nullptr) return nullptr;
    return new MetricsInterceptor(metrics_->ForMethod(info->method(), info->type()));
  }

 private:
  GrpcServerMetrics* metrics_;
};

}  // namespace

GrpcServerMetrics::GrpcServerMetrics(prometheus::Registry& registry,
                                     const std::vector<std::string>& services)
    : started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("Total number of RPCs started on the server.")
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("Total number of RPCs completed on the server, "
                         "regardless of success or failure.")
                   .Register(registry)),
      received_(prometheus::BuildCounter()
                    .Name("grpc_server_msg_received_total")
                    .Help("Total number of RPC stream messages received on the server.")
                    .Register(registry)),
      sent_(prometheus::BuildCounter()
                .Name("grpc_server_msg_sent_total")
                .Help("Total number of gRPC stream messages sent by the server.")
                .Register(registry)),
      handling_(prometheus::BuildHistogram()
                    .Name("grpc_server_handling_seconds")
                    .Help("Histogram of response latency (seconds) of gRPC "
                          "that had been application-level handled by the server.")
                    .Register(registry)) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  absl::MutexLock lock(&mu_);
  for (const std::string& name : services) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor& method = *service->method(i);
      AddLocked("/" + service->full_name() + "/" + method.name(), TypeName(method));
    }
  }
}

GrpcServerMetrics::Method& GrpcServerMetrics::AddLocked(const std::string& path,
                                                        const std::string& type) {
  // "/inrapport.v1.ReportIntake/SubmitReport" -> service and method.
  absl::string_view rest = absl::string_view(path).substr(path.empty() ? 0 : 1);
  const size_t slash = rest.find('/');
  const std::string service(rest.substr(0, slash));
  const std::string name(slash == absl::string_view::npos ? "" : rest.substr(slash + 1));
  const std::map<std::string, std::string> labels = {
      {"grpc_type", type}, {"grpc_service", service}, {"grpc_method", name}};

  auto method = std::make_unique<Method>();
  method->started = &started_.Add(labels);
  method->received = &received_.Add(labels);
  method->sent = &sent_.Add(labels);
  method->handling_seconds = &handling_.Add(labels, HandlingBuckets());
  for (int code = 0; code < 17; ++code) {
    auto with_code = labels;
    with_code["grpc_code"] = GoCodeName(code);
    method->handled[code] = &handled_.Add(with_code);
  }
  Method& ref = *method;
  methods_[path] = std::move(method);
  return ref;
}

const GrpcServerMetrics::Method& GrpcServerMetrics::ForMethod(
    const std::string& path, grpc::experimental::ServerRpcInfo::Type type) {
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = methods_.find(path);
    if (it != methods_.end()) return *it->second;
  }
  absl::MutexLock lock(&mu_);
  auto it = methods_.find(path);
  if (it != methods_.end()) return *it->second;
  // Methods outside the registered services (health, reflection) get their
  // own children; past a bound they share one, so that clients calling
  // made-up paths cannot grow the label set.
  constexpr size_t kMaxMethods = 128;
  if (methods_.size() >= kMaxMethods) {
    const std::string other = "/other/other";
    auto shared = methods_.find(other);
    if (shared != methods_.end()) return *shared->second;
    return AddLocked(other, TypeName(type));
  }
  return AddLocked(path, TypeName(type));
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
GrpcServerMetrics::MakeInterceptorFactory() {
  return std::make_unique<MetricsInterceptorFactory>(this);
}

}  // namespace inrapport
