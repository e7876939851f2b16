// The services register their methods raw (grpc::ByteBuffer) and parse the
// request themselves: gRPC 1.51's typed callback handler answers a request
// it cannot parse with UNIMPLEMENTED and no message, which tells a client
// nothing, and a typed stream ends as if the client had half-closed, which
// silently drops the messages after the bad one. These helpers parse and
// serialise, so that each handler stays typed and knows nothing of this.
#ifndef INRAPPORT_SERVICES_HANDLERS_RAW_CALL_H_
#define INRAPPORT_SERVICES_HANDLERS_RAW_CALL_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/proto_buffer_writer.h"
#include "grpcpp/support/server_callback.h"
#include "services/convert/proto_convert.h"

namespace inrapport {

// Parses `buffer` as a `Message`; INVALID_ARGUMENT naming the message type
// if the bytes are none (truncated, wrong wire types, invalid UTF-8 in a
// string field). `buffer` is left as it was.
template <typename Message>
absl::Status ParseMessage(const grpc::ByteBuffer& buffer, Message* message) {
  grpc::ByteBuffer copy(buffer);  // shares the slices: the reader consumes its own
  grpc::ProtoBufferReader reader(&copy);
  if (reader.status().ok() && message->ParseFromZeroCopyStream(&reader)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "request: not a valid ", Message::descriptor()->full_name(),
      " message (it could not be parsed; is the client built from this API's protos?)"));
}

// `message` serialised into `buffer`.
template <typename Message>
void SerializeMessage(const Message& message, grpc::ByteBuffer* buffer) {
  bool own_buffer = false;
  // Cannot fail for a message the server built (it is initialised and far
  // below the 2 GiB that protobuf can serialise).
  (void)grpc::SerializationTraits<Message>::Serialize(message, buffer, &own_buffer);
}

// A unary call whose handler answers at once:
//   absl::Status handler(context, const Request*, Response*)
// The response is sent when the status is OK.
template <typename Request, typename Response, typename Handler>
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* in, grpc::ByteBuffer* out,
                                     Handler&& handler) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Request request;
  absl::Status status = ParseMessage(*in, &request);
  if (status.ok()) {
    Response response;
    status = handler(context, &request, &response);
    if (status.ok()) SerializeMessage(response, out);
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// Ends an asynchronous unary call: exactly once, from any thread.
using UnaryDone = std::function<void(const absl::Status&)>;

// A unary call whose handler answers later:
//   void handler(context, const Request*, Response*, UnaryDone done)
// The request lives only during the handler; the response until `done`.
template <typename Request, typename Response, typename Handler>
grpc::ServerUnaryReactor* ServeUnaryAsync(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* in, grpc::ByteBuffer* out,
                                          Handler&& handler) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Request request;
  absl::Status parsed = ParseMessage(*in, &request);
  if (!parsed.ok()) {
    reactor->Finish(ToGrpcStatus(parsed));
    return reactor;
  }
  // `out` belongs to the call, which lasts until Finish.
  auto response = std::make_shared<Response>();
  handler(context, &request, response.get(),
          [reactor, out, response](const absl::Status& status) {
            if (status.ok()) SerializeMessage(*response, out);
            reactor->Finish(ToGrpcStatus(status));
          });
  return reactor;
}

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_RAW_CALL_H_
