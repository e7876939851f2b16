#include "services/http/http_gateway.h"

#include <civetweb.h>

#include <chrono>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "services/http/http_transcode.h"
#include "services/http/openapi.h"

namespace inrapport {
namespace {

using google::protobuf::Message;

struct Reply {
  int status = 200;
  std::string body;  // JSON
};

Reply ErrorReply(const absl::Status& status) {
  return {HttpStatusOf(status.code()), ErrorJson(status)};
}

absl::Status FromGrpc(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

// The request body, at most `limit` bytes (RESOURCE_EXHAUSTED beyond).
absl::StatusOr<std::string> ReadBody(mg_connection* connection, size_t limit) {
  std::string body;
  char buffer[16384];
  int n;
  while ((n = mg_read(connection, buffer, sizeof(buffer))) > 0) {
    if (body.size() + static_cast<size_t>(n) > limit) {
      return absl::ResourceExhaustedError(
          absl::StrCat("body: larger than the limit of ", limit, " bytes"));
    }
    body.append(buffer, static_cast<size_t>(n));
  }
  if (n < 0) return absl::InvalidArgumentError("body: the connection failed while it was read");
  return body;
}

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

// "/inrapport.v1.DutyRegistry/GetDuty".
std::string GrpcPath(const google::protobuf::MethodDescriptor* rpc) {
  return absl::StrCat("/", rpc->service()->full_name(), "/", rpc->name());
}

void PrepareContext(grpc::ClientContext* context, const char* authorization,
                    absl::Duration deadline) {
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  if (authorization != nullptr) context->AddMetadata("authorization", authorization);
}

}  // namespace

prometheus::Family<prometheus::Counter>& HttpGateway::RegisterMetrics(
    prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("inrapport_http_requests_total")
      .Help("HTTP/JSON requests answered, by route (method and path template, or "
            "\"unmatched\") and HTTP status code")
      .Register(registry);
}

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(
    Options options, prometheus::Family<prometheus::Counter>& requests) {
  ASSIGN_OR_RETURN(HttpRoutes routes, HttpRoutes::FromServices(InrapportServices()));
  std::unique_ptr<HttpGateway> gateway(
      new HttpGateway(std::move(options), std::move(routes), requests));
  const std::string threads = absl::StrCat(gateway->options_.threads);
  const std::string timeout =
      absl::StrCat(absl::ToInt64Milliseconds(gateway->options_.request_timeout));
  const char* civet_options[] = {"listening_ports", gateway->options_.listen.c_str(),
                                 "num_threads", threads.c_str(),
                                 "request_timeout_ms", timeout.c_str(),
                                 "enable_keep_alive", "yes",
                                 nullptr};
  mg_init_library(0);
  mg_callbacks callbacks{};
  gateway->context_ = mg_start(&callbacks, gateway.get(), civet_options);
  if (gateway->context_ == nullptr) {
    mg_exit_library();
    return absl::UnavailableError(
        absl::StrCat("--http_listen: cannot listen on ", gateway->options_.listen));
  }
  mg_set_request_handler(gateway->context_, "/", &HttpGateway::Handle, gateway.get());
  mg_server_port ports[4];
  const int count = mg_get_server_ports(gateway->context_, 4, ports);
  gateway->port_ = count > 0 ? ports[0].port : 0;
  return gateway;
}

HttpGateway::HttpGateway(Options options, HttpRoutes routes,
                         prometheus::Family<prometheus::Counter>& requests)
    : options_(std::move(options)),
      routes_(std::move(routes)),
      openapi_(OpenApiDocument(routes_, options_.version)),
      requests_(requests) {}

HttpGateway::~HttpGateway() { Stop(); }

void HttpGateway::Stop() {
  if (context_ == nullptr) return;
  mg_stop(context_);
  context_ = nullptr;
  mg_exit_library();
}

int HttpGateway::Handle(mg_connection* connection, void* self) {
  return static_cast<HttpGateway*>(self)->Serve(connection);
}

int HttpGateway::Serve(mg_connection* connection) {
  const auto started = std::chrono::steady_clock::now();
  const mg_request_info* request_info = mg_get_request_info(connection);
  const std::string method = request_info->request_method;
  const std::string path = request_info->local_uri_raw != nullptr ? request_info->local_uri_raw : "";
  const char* query = request_info->query_string;
  const char* authorization = mg_get_header(connection, "Authorization");

  std::string route_name = "unmatched";
  Reply reply = [&]() -> Reply {
    if (path == "/openapi.json" && method == "GET") {
      route_name = "GET /openapi.json";
      return {200, openapi_};
    }
    absl::StatusOr<HttpMatch> match = routes_.Match(method, path);
    if (!match.ok()) {
      if (absl::IsFailedPrecondition(match.status())) {
        return {405, ErrorJson(absl::Status(absl::StatusCode::kUnimplemented,
                                            match.status().message()),
                               405)};
      }
      return ErrorReply(match.status());
    }
    const HttpRoute& route = *match->route;
    route_name = absl::StrCat(route.http_method, " ", route.path);
    const google::protobuf::MethodDescriptor* rpc = route.rpc;
    absl::StatusOr<std::string> body = ReadBody(
        connection,
        rpc->client_streaming() ? options_.max_stream_body_bytes : options_.max_body_bytes);
    if (!body.ok()) {
      return absl::IsResourceExhausted(body.status()) ? Reply{413, ErrorJson(body.status(), 413)}
                                                      : ErrorReply(body.status());
    }
    if (rpc->server_streaming()) {
      return ErrorReply(absl::UnimplementedError("server streams are not served over HTTP"));
    }

    if (rpc->client_streaming()) {
      // One message per line of the body; every line is read before any is
      // sent, so a line that is no message stores nothing.
      if (rpc->full_name() != "inrapport.v1.ReportIntake.SubmitReports") {
        return ErrorReply(absl::UnimplementedError("this stream is not served over HTTP"));
      }
      std::vector<v1::SubmitReportsRequest> messages;
      int line_number = 0;
      for (absl::string_view line : absl::StrSplit(*body, '\n')) {
        ++line_number;
        if (absl::StripAsciiWhitespace(line).empty()) continue;
        v1::SubmitReportsRequest message;
        HttpMatch line_match{&route, match->bindings};
        absl::Status filled = FillRequest(line_match, query == nullptr ? "" : query, line, &message);
        if (!filled.ok()) {
          return ErrorReply(absl::InvalidArgumentError(
              absl::StrCat("line ", line_number, ": ", filled.message())));
        }
        messages.push_back(std::move(message));
      }
      auto stub = v1::ReportIntake::NewStub(options_.channel);
      grpc::ClientContext context;
      PrepareContext(&context, authorization, options_.deadline);
      v1::SubmitReportsResponse response;
      auto writer = stub->SubmitReports(&context, &response);
      for (const v1::SubmitReportsRequest& message : messages) {
        if (!writer->Write(message)) break;  // the server ended the call; Finish says why
      }
      writer->WritesDone();
      const grpc::Status status = writer->Finish();
      if (!status.ok()) return ErrorReply(FromGrpc(status));
      return {200, ToJson(response)};
    }

    std::unique_ptr<Message> request = NewMessage(rpc->input_type());
    if (absl::Status filled = FillRequest(*match, query == nullptr ? "" : query, *body,
                                          request.get());
        !filled.ok()) {
      return ErrorReply(filled);
    }
    std::string bytes;
    request->SerializeToString(&bytes);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer in(&slice, 1);
    grpc::ByteBuffer out;
    grpc::GenericStub stub(options_.channel);
    grpc::ClientContext context;
    PrepareContext(&context, authorization, options_.deadline);
    absl::Notification done;
    grpc::Status status;
    stub.UnaryCall(&context, GrpcPath(rpc), grpc::StubOptions(), &in, &out,
                   [&](grpc::Status s) {
                     status = std::move(s);
                     done.Notify();
                   });
    done.WaitForNotification();
    if (!status.ok()) return ErrorReply(FromGrpc(status));
    std::vector<grpc::Slice> slices;
    std::string answer;
    if (out.Dump(&slices).ok()) {
      for (const grpc::Slice& s : slices) answer.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    std::unique_ptr<Message> response = NewMessage(rpc->output_type());
    if (!response->ParseFromString(answer)) {
      return ErrorReply(absl::InternalError("the answer could not be read"));
    }
    return {200, ToJson(*response)};
  }();

  mg_response_header_start(connection, reply.status);
  mg_response_header_add(connection, "Content-Type", "application/json; charset=utf-8", -1);
  mg_response_header_add(connection, "Content-Length", absl::StrCat(reply.body.size()).c_str(),
                         -1);
  mg_response_header_add(connection, "Cache-Control", "no-store", -1);
  mg_response_header_send(connection);
  mg_write(connection, reply.body.data(), reply.body.size());

  requests_.Add({{"route", route_name}, {"code", absl::StrCat(reply.status)}}).Increment();
  Log(LogLevel::kInfo, "http_request",
      {{"method", method},
       {"route", route_name},
       {"status", absl::StrCat(reply.status)},
       {"seconds", absl::StrFormat("%.3f", std::chrono::duration<double>(
                                               std::chrono::steady_clock::now() - started)
                                               .count())},
       {"remote", request_info->remote_addr}});
  return reply.status;
}

}  // namespace inrapport
