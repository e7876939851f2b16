// gRPC server metrics named as go-grpc-prometheus names them, so existing
// dashboards work unchanged:
//   grpc_server_started_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_server_msg_received_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_msg_sent_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handling_seconds{grpc_type,grpc_service,grpc_method} (histogram)
// Recorded by a server interceptor, so handlers need not know about them.
#ifndef INRAPPORT_SERVICES_HANDLERS_GRPC_SERVER_METRICS_H_
#define INRAPPORT_SERVICES_HANDLERS_GRPC_SERVER_METRICS_H_

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/server_interceptor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace inrapport {

class GrpcServerMetrics {
 public:
  // Per-method children, created once and then only read.
  struct Method {
    prometheus::Counter* started;
    prometheus::Counter* received;
    prometheus::Counter* sent;
    prometheus::Histogram* handling_seconds;
    std::array<prometheus::Counter*, 17> handled;  // by grpc code
  };

  // Registers the families in `registry` (must outlive this object) and
  // creates the children of every method of `services` (full names such as
  // "inrapport.v1.ReportIntake"), all codes included, so that dashboards see
  // zeros before the first call.
  GrpcServerMetrics(prometheus::Registry& registry,
                    const std::vector<std::string>& services);

  // The children for a method path "/package.Service/Method"; created on
  // first use for methods not known at construction. Thread-safe.
  const Method& ForMethod(const std::string& path,
                          grpc::experimental::ServerRpcInfo::Type type);

  // An interceptor factory for grpc::ServerBuilder.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  MakeInterceptorFactory();

 private:
  Method& AddLocked(const std::string& path, const std::string& type)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Counter>& received_;
  prometheus::Family<prometheus::Counter>& sent_;
  prometheus::Family<prometheus::Histogram>& handling_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Method>> methods_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_GRPC_SERVER_METRICS_H_
