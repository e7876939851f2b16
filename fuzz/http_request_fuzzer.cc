// The HTTP face's reading of a request (services/http): the route matched
// from a method and a raw path, the request message filled from the query
// string, the body and the path, and the JSON error made from whatever
// went wrong. The input is cut at its first two line breaks into path,
// query and body; its first byte picks the method.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/text/text_safety.h"
#include "fuzz/fuzz_check.h"
#include "google/protobuf/message.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/http/http_routes.h"
#include "services/http/http_transcode.h"

namespace inrapport {
namespace {

const HttpRoutes& Routes() {
  static const HttpRoutes* routes = new HttpRoutes(*HttpRoutes::FromServices(InrapportServices()));
  return *routes;
}

// An error's JSON is JSON, and says the status and message it was made of.
void CheckErrorJson(const absl::Status& status, absl::string_view input) {
  const std::string json = ErrorJson(status);
  google::protobuf::Struct parsed;
  FUZZ_CHECK(google::protobuf::util::JsonStringToMessage(json, &parsed).ok(), input, json);
  const auto& error = parsed.fields().at("error").struct_value().fields();
  FUZZ_CHECK(error.at("message").string_value() == std::string(status.message()) ||
                 !IsValidUtf8(status.message()),
             input, json);
  FUZZ_CHECK(error.at("code").number_value() == HttpStatusOf(status.code()), input, json);
}

void Check(absl::string_view method, absl::string_view path, absl::string_view query,
           absl::string_view body, absl::string_view input) {
  absl::StatusOr<HttpMatch> match = Routes().Match(method, path);
  if (!match.ok()) {
    FUZZ_CHECK(absl::IsNotFound(match.status()) || absl::IsFailedPrecondition(match.status()),
               input, match.status().ToString());
    CheckErrorJson(match.status(), input);
    return;
  }
  size_t variables = 0;
  for (const HttpRoute::Segment& segment : match->route->segments) {
    variables += segment.field_path.empty() ? 0 : 1;
  }
  FUZZ_CHECK(match->bindings.size() == variables, input, "bindings");
  for (const auto& [field, value] : match->bindings) FUZZ_CHECK(!value.empty(), input, field);

  std::unique_ptr<google::protobuf::Message> request(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(match->route->rpc->input_type())
          ->New());
  const absl::Status filled = FillRequest(*match, query, body, request.get());
  if (!filled.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(filled) && !filled.message().empty(), input,
               filled.ToString());
    CheckErrorJson(filled, input);
    return;
  }
  // What was filled prints as JSON that reads back as the same request.
  const std::string json = ToJson(*request);
  std::unique_ptr<google::protobuf::Message> again(request->New());
  FUZZ_CHECK(ParseJson(json, "json", again.get()).ok(), input, json);
  FUZZ_CHECK(google::protobuf::util::MessageDifferencer::Equals(*request, *again), input, json);
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const kMethods[] = {"GET", "POST", "PUT", "DELETE"};
  const absl::string_view method = kMethods[data[0] % 4];
  const absl::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t first = input.find('\n');
  const absl::string_view path = input.substr(0, first);
  absl::string_view query, body;
  if (first != absl::string_view::npos) {
    const absl::string_view rest = input.substr(first + 1);
    const size_t second = rest.find('\n');
    query = rest.substr(0, second);
    if (second != absl::string_view::npos) body = rest.substr(second + 1);
  }
  inrapport::Check(method, path, query, body, input);

  // Decoding undoes percent-encoding, whatever the bytes.
  std::string encoded;
  for (char c : input) absl::StrAppend(&encoded, "%", absl::BytesToHexString(std::string(1, c)));
  const absl::StatusOr<std::string> decoded = inrapport::PercentDecode(encoded);
  FUZZ_CHECK(decoded.ok() && *decoded == input, input, "percent-decoding");
  return 0;
}
