// The OpenAPI 3 document of the HTTP face, generated from the same routes
// and message descriptors the face serves, so that it cannot drift from
// them: a path per route, its parameters (path and query), its body, and a
// schema per message in the canonical protobuf JSON mapping.
#ifndef INRAPPORT_SERVICES_HTTP_OPENAPI_H_
#define INRAPPORT_SERVICES_HTTP_OPENAPI_H_

#include <string>

#include "services/http/http_routes.h"

namespace inrapport {

// The document as JSON; `version` is the API's (info.version).
std::string OpenApiDocument(const HttpRoutes& routes, const std::string& version);

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HTTP_OPENAPI_H_
