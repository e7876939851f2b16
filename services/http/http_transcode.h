// JSON <-> protobuf for the HTTP face, by the canonical protobuf JSON
// mapping: a request message filled from a route's path bindings, the query
// parameters and the body; a response message as JSON; an error as the JSON
// form of AIP-193 ({"error": {"code", "status", "message", "details"}}) with
// the HTTP status of its gRPC code. No network here.
#ifndef INRAPPORT_SERVICES_HTTP_HTTP_TRANSCODE_H_
#define INRAPPORT_SERVICES_HTTP_HTTP_TRANSCODE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/http/http_routes.h"

namespace inrapport {

// Fills `request` (of the route's input type): query parameters first
// ("name=value", by proto or JSON field name; a repeated field may repeat),
// then the body (as the route's `body` says: the whole request, one field,
// or none allowed), then the path's bindings. INVALID_ARGUMENT naming what
// is wrong (an unknown parameter, JSON that is not the message).
absl::Status FillRequest(const HttpMatch& match, absl::string_view query,
                         absl::string_view body, google::protobuf::Message* request);

// Parses `json` into `message` (INVALID_ARGUMENT naming `what`).
absl::Status ParseJson(absl::string_view json, absl::string_view what,
                       google::protobuf::Message* message);

// The message as JSON: lowerCamelCase names, every field printed (zeros
// and false too, so that a reader sees them), enums by name.
std::string ToJson(const google::protobuf::Message& message);

// The HTTP status of a gRPC (absl) status code, as google.rpc.Code maps it.
int HttpStatusOf(absl::StatusCode code);

// {"error": {"code": <HTTP status>, "status": "NOT_FOUND", "message": ...}};
// for INVALID_ARGUMENT whose message begins with a field ("report.period:
// ..."), details with a google.rpc.BadRequest naming the field. The HTTP
// status is that of the code unless `http_status` says otherwise (405, 413).
std::string ErrorJson(const absl::Status& status, int http_status = 0);

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HTTP_HTTP_TRANSCODE_H_
