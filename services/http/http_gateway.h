// The HTTP/JSON face of the API on its own listener (--http_listen). Every
// RPC that declares a google.api.http binding (AIP-127) is served at its
// path and transcoded in process: the JSON request becomes the RPC's
// request message and is sent, with the caller's `authorization` header,
// over the gRPC server's in-process channel. Authentication,
// authorization, limits, handlers and gRPC metrics are the gRPC side's own;
// this adds only the transport, a counter of requests by route and status,
// and an access log line per request.
//
// A client stream (SubmitReports) takes a body of newline-delimited JSON,
// one message per line, sent as one stream. GET /openapi.json is the
// OpenAPI 3 document of these routes (services/http/openapi.h), served
// without credentials. /kommun is the page for the people who report
// (services/http/municipality_page.h), in Swedish.
#ifndef INRAPPORT_SERVICES_HTTP_HTTP_GATEWAY_H_
#define INRAPPORT_SERVICES_HTTP_HTTP_GATEWAY_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/registry.h"
#include "common/base/rate_limiter.h"
#include "services/http/http_routes.h"

struct mg_context;
struct mg_connection;

namespace inrapport {

class HttpGateway {
 public:
  struct Options {
    std::string listen;                      // HOST:PORT; port 0 picks one
    std::shared_ptr<grpc::Channel> channel;  // the gRPC server's in-process channel
    int threads = 16;                        // requests served at once
    size_t max_body_bytes = 4 << 20;         // a unary call's JSON body
    size_t max_stream_body_bytes = 64 << 20;  // a stream's NDJSON body
    // Messages a stream's body may hold (inrapportd's
    // --max_reports_per_stream): more is refused before any is parsed, so a
    // body of tiny lines cannot become millions of messages in memory.
    int64_t max_stream_messages = 100000;
    absl::Duration deadline = absl::Seconds(60);  // of each call
    absl::Duration request_timeout = absl::Seconds(30);  // reading a request
    std::string version = "unknown";  // the OpenAPI document's info.version
    // PEM certificate chain and key (inrapportd's --tls_cert and --tls_key):
    // serve HTTPS. No client certificate is asked for.
    std::string tls_cert;
    std::string tls_key;
    // Today's date for the municipality page (inrapportd's --today); null:
    // the date in Sweden.
    std::function<absl::CivilDay()> today;
  };

  // The routes of the three inrapport.v1 services, served on
  // options.listen. The request counter is registered in `registry` whether
  // or not a gateway starts (RegisterMetrics), so the metric families stay
  // the same.
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(
      Options options, prometheus::Family<prometheus::Counter>& requests);
  static prometheus::Family<prometheus::Counter>& RegisterMetrics(
      prometheus::Registry& registry);

  ~HttpGateway();  // Stop()
  HttpGateway(const HttpGateway&) = delete;
  HttpGateway& operator=(const HttpGateway&) = delete;

  int port() const { return port_; }

  // An answer: its status, body, content type and further headers.
  struct Reply {
    int status = 200;
    std::string body;  // JSON unless content_type says otherwise
    std::string content_type = "application/json; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;
  };
  // Stops listening; requests being served finish first.
  void Stop();

 private:
  HttpGateway(Options options, HttpRoutes routes,
              prometheus::Family<prometheus::Counter>& requests);
  static int Handle(mg_connection* connection, void* self);
  int Serve(mg_connection* connection);
  Reply CallUnary(const HttpMatch& match, absl::string_view query, absl::string_view body,
                  const char* authorization);
  Reply CallStream(const HttpMatch& match, absl::string_view query, absl::string_view body,
                   const char* authorization);
  Reply ServePage(mg_connection* connection, const std::string& method,
                  const std::string& path, const char* authorization, std::string* route_name);

  const Options options_;
  const HttpRoutes routes_;
  const std::string openapi_;  // the document, made once
  // Log lines a caller can trigger without credentials: at most 10 a second
  // per route and status, and per civetweb complaint.
  RateLimiter log_limiter_{10, absl::Seconds(1)};
  prometheus::Family<prometheus::Counter>& requests_;
  mg_context* context_ = nullptr;
  int port_ = 0;
  absl::Status tls_status_;  // of the certificate's loading, during Start
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HTTP_HTTP_GATEWAY_H_
