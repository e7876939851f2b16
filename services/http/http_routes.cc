#include "services/http/http_routes.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/api/annotations.pb.h"
#include "common/text/text_safety.h"
#include "google/protobuf/descriptor.pb.h"
#include "inrapport/v1/burden_query.pb.h"
#include "inrapport/v1/duty_gateway.pb.h"
#include "inrapport/v1/duty_registry.pb.h"
#include "inrapport/v1/open_register.pb.h"
#include "inrapport/v1/report_intake.pb.h"

namespace inrapport {
namespace {

// The custom verb of a template: what follows the last ':' after the last
// variable or '/' (AIP-127: Template = "/" Segments [ Verb ]).
absl::string_view VerbOf(absl::string_view path) {
  const size_t after = path.find_last_of("/}");
  const size_t colon = path.rfind(':');
  if (colon == absl::string_view::npos || (after != absl::string_view::npos && colon < after)) {
    return "";
  }
  return path.substr(colon + 1);
}

absl::StatusOr<std::vector<HttpRoute::Segment>> ParseTemplate(absl::string_view path) {
  if (path.empty() || path[0] != '/') {
    return absl::InvalidArgumentError(absl::StrCat("path \"", path, "\" does not start with /"));
  }
  std::vector<HttpRoute::Segment> segments;
  for (absl::string_view part : absl::StrSplit(path.substr(1), '/')) {
    HttpRoute::Segment segment;
    if (absl::ConsumePrefix(&part, "{")) {
      if (!absl::ConsumeSuffix(&part, "}") || part.empty() ||
          part.find_first_of("=*{}") != absl::string_view::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("path \"", path, "\": only {field.path} variables are served"));
      }
      segment.field_path = std::string(part);
    } else {
      segment.literal = std::string(part);
    }
    segments.push_back(std::move(segment));
  }
  return segments;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

absl::StatusOr<std::string> PercentDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) {
      return absl::InvalidArgumentError("a % escape is cut short");
    }
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return absl::InvalidArgumentError("a % escape is not two hex digits");
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

std::vector<const google::protobuf::ServiceDescriptor*> InrapportServices() {
  // Through a message of each file, so that the file is linked in and its
  // descriptors are in the pool.
  return {v1::ReportingDuty::descriptor()->file()->FindServiceByName("DutyRegistry"),
          v1::ProposeDutyRequest::descriptor()->file()->FindServiceByName("DutyGateway"),
          v1::Report::descriptor()->file()->FindServiceByName("ReportIntake"),
          v1::GetBurdenSummaryRequest::descriptor()->file()->FindServiceByName("BurdenQuery"),
          v1::ListRegisterDutiesRequest::descriptor()->file()->FindServiceByName("OpenRegister")};
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseFormEncoded(
    absl::string_view text, absl::string_view what) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (absl::string_view pair : absl::StrSplit(text, '&', absl::SkipEmpty())) {
    const size_t eq = pair.find('=');
    std::string name(pair.substr(0, eq));
    std::string value(eq == absl::string_view::npos ? "" : pair.substr(eq + 1));
    std::replace(name.begin(), name.end(), '+', ' ');
    std::replace(value.begin(), value.end(), '+', ' ');
    absl::StatusOr<std::string> decoded_name = PercentDecode(name);
    absl::StatusOr<std::string> decoded_value = PercentDecode(value);
    if (!decoded_name.ok() || !decoded_value.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, ": ", (decoded_name.ok() ? decoded_value : decoded_name).status().message()));
    }
    pairs.emplace_back(*std::move(decoded_name), *std::move(decoded_value));
  }
  return pairs;
}

absl::StatusOr<HttpRoutes> HttpRoutes::FromServices(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  HttpRoutes table;
  for (const google::protobuf::ServiceDescriptor* service : services) {
    if (service == nullptr) return absl::InvalidArgumentError("a service is missing");
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      if (!method->options().HasExtension(google::api::http)) continue;
      const google::api::HttpRule& rule = method->options().GetExtension(google::api::http);
      HttpRoute route;
      route.rpc = method;
      route.body = rule.body();
      switch (rule.pattern_case()) {
        case google::api::HttpRule::kGet: route.http_method = "GET"; route.path = rule.get(); break;
        case google::api::HttpRule::kPost: route.http_method = "POST"; route.path = rule.post(); break;
        case google::api::HttpRule::kPut: route.http_method = "PUT"; route.path = rule.put(); break;
        case google::api::HttpRule::kPatch:
          route.http_method = "PATCH";
          route.path = rule.patch();
          break;
        case google::api::HttpRule::kDelete:
          route.http_method = "DELETE";
          route.path = rule.delete_();
          break;
        default:
          return absl::InvalidArgumentError(
              absl::StrCat(method->full_name(), ": only GET, POST, PUT, PATCH and DELETE"));
      }
      absl::string_view without_verb = route.path;
      route.verb = std::string(VerbOf(route.path));
      if (!route.verb.empty()) without_verb.remove_suffix(route.verb.size() + 1);
      auto segments = ParseTemplate(without_verb);
      if (!segments.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(method->full_name(), ": ", segments.status().message()));
      }
      route.segments = *std::move(segments);
      table.routes_.push_back(std::move(route));
    }
  }
  return table;
}

absl::StatusOr<HttpMatch> HttpRoutes::Match(absl::string_view http_method,
                                            absl::string_view path) const {
  if (!absl::ConsumePrefix(&path, "/")) return absl::NotFoundError("the path must start with /");
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  std::vector<std::string> allowed;
  for (const HttpRoute& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    HttpMatch match{&route, {}};
    bool matches = true;
    for (size_t i = 0; i < parts.size() && matches; ++i) {
      absl::string_view part = parts[i];
      // A route with a verb takes only a last segment that ends in it.
      if (i + 1 == parts.size() && !route.verb.empty()) {
        matches = absl::ConsumeSuffix(&part, absl::StrCat(":", route.verb));
        if (!matches) continue;
      }
      const HttpRoute::Segment& segment = route.segments[i];
      if (segment.field_path.empty()) {
        matches = part == segment.literal;
        continue;
      }
      matches = !part.empty();
      match.bindings.emplace_back(segment.field_path, std::string(part));
    }
    if (!matches) continue;
    if (route.http_method == http_method) return match;
    allowed.push_back(route.http_method);
  }
  if (!allowed.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "method ", http_method, " is not allowed here; allowed: ", absl::StrJoin(allowed, ", ")));
  }
  return absl::NotFoundError(absl::StrCat("no route for ", QuoteValue(absl::StrCat("/", path))));
}

}  // namespace inrapport
