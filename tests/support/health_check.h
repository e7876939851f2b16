// grpc.health.v1.Health/Check with an empty service name, as Kubernetes and
// load balancers call it, without the health protos (Debian's gRPC does not
// ship their generated code): the messages are built and read by hand.
#ifndef INRAPPORT_TESTS_SUPPORT_HEALTH_CHECK_H_
#define INRAPPORT_TESTS_SUPPORT_HEALTH_CHECK_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"

namespace inrapport::testing {

// HealthCheckResponse.ServingStatus values.
enum class Health { kUnknown = 0, kServing = 1, kNotServing = 2 };

// The overall health, or the call's error.
inline grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel, Health* health) {
  grpc::GenericStub generic(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  // HealthCheckRequest{service: ""} encodes to no bytes at all.
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  generic.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                    &response, [&](grpc::Status s) {
                      std::lock_guard<std::mutex> lock(mu);
                      status = std::move(s);
                      done = true;
                      cv.notify_one();
                    });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  if (!response.Dump(&slices).ok()) return grpc::Status(grpc::StatusCode::INTERNAL, "dump");
  std::string bytes;
  for (const auto& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  // HealthCheckResponse{status}: field 1, varint; absent means UNKNOWN (0).
  *health = Health::kUnknown;
  if (bytes.size() == 2 && bytes[0] == '\x08') *health = static_cast<Health>(bytes[1]);
  return grpc::Status::OK;
}

}  // namespace inrapport::testing

#endif  // INRAPPORT_TESTS_SUPPORT_HEALTH_CHECK_H_
