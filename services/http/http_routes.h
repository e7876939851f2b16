// The HTTP routes of the API, read from the google.api.http bindings
// (AIP-127) that the .proto files declare on each RPC: one definition of the
// API, and this table follows it. A route matches a method and a path and
// says which RPC it is, which request fields the path binds, and where the
// body goes.
#ifndef INRAPPORT_SERVICES_HTTP_HTTP_ROUTES_H_
#define INRAPPORT_SERVICES_HTTP_HTTP_ROUTES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace inrapport {

struct HttpRoute {
  std::string http_method;  // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string path;         // as declared: "/v1/duties/{id}"
  // "" (query parameters only), "*" (the whole request) or a field name.
  std::string body;
  const google::protobuf::MethodDescriptor* rpc = nullptr;

  // Each segment of the path: a literal, or a variable ("{duty.id}" is a
  // segment whose field path is "duty.id").
  struct Segment {
    std::string literal;
    std::string field_path;  // set for a variable
  };
  std::vector<Segment> segments;
  // The custom verb after the last segment (AIP-136): "withdraw" of
  // ".../{submission_id}:withdraw"; empty for none.
  std::string verb;
};

// A matched request: its route and the field paths the path bound, with
// their values.
struct HttpMatch {
  const HttpRoute* route = nullptr;
  std::vector<std::pair<std::string, std::string>> bindings;
};

class HttpRoutes {
 public:
  // The routes of every method of `services` that declares a binding.
  // INVALID_ARGUMENT for a path template this table cannot serve.
  static absl::StatusOr<HttpRoutes> FromServices(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  // The route for `http_method` and `path`, whose %-escapes the HTTP server
  // has already decoded (so a value cannot hold a '/': such an id is read
  // through its list). NOT_FOUND when no route has the path;
  // FAILED_PRECONDITION (HTTP 405) when routes have the path but not the
  // method, naming them.
  absl::StatusOr<HttpMatch> Match(absl::string_view http_method, absl::string_view path) const;

  const std::vector<HttpRoute>& routes() const { return routes_; }

 private:
  std::vector<HttpRoute> routes_;
};

// The services of inrapport.v1: DutyRegistry, DutyGateway, ReportIntake,
// BurdenQuery, OpenRegister.
std::vector<const google::protobuf::ServiceDescriptor*> InrapportServices();

// The value of a raw URL component with %XX escapes decoded; '+' is kept
// (it means a space only in form bodies). INVALID_ARGUMENT for a bad escape.
absl::StatusOr<std::string> PercentDecode(absl::string_view text);

// The name=value pairs of a query string or a form body
// (application/x-www-form-urlencoded), in order: '+' is a space and
// %-escapes are decoded. INVALID_ARGUMENT naming `what` for a bad escape.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseFormEncoded(
    absl::string_view text, absl::string_view what);

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HTTP_HTTP_ROUTES_H_
