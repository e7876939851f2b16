#include "services/http/http_transcode.h"

#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/status_macros.h"
#include "common/text/text_safety.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace inrapport {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

const FieldDescriptor* FindField(const Descriptor* type, absl::string_view name) {
  const FieldDescriptor* field = type->FindFieldByName(std::string(name));
  for (int i = 0; field == nullptr && i < type->field_count(); ++i) {
    if (type->field(i)->json_name() == name) field = type->field(i);
  }
  return field;
}

// Letters, digits, '_' and '.', at most 64: a name an error may quote as
// it is.
bool IsPlainName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_' && c != '.') return false;
  }
  return true;
}

// The message that holds the last field of `path` ("duty.id": the duty),
// created on the way, and that field.
absl::Status Resolve(Message* root, absl::string_view path, Message** holder,
                     const FieldDescriptor** field) {
  Message* message = root;
  const std::vector<absl::string_view> names = absl::StrSplit(path, '.');
  for (size_t i = 0; i < names.size(); ++i) {
    const FieldDescriptor* f = FindField(message->GetDescriptor(), names[i]);
    if (f == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": not a field of ", root->GetDescriptor()->full_name()));
    }
    if (i + 1 == names.size()) {
      *holder = message;
      *field = f;
      return absl::OkStatus();
    }
    if (f->type() != FieldDescriptor::TYPE_MESSAGE || f->is_repeated()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", names[i], " holds no fields"));
    }
    message = message->GetReflection()->MutableMessage(message, f);
  }
  return absl::InvalidArgumentError(absl::StrCat(path, ": empty field path"));
}

// `text` as a JSON string, quoted and escaped; malformed UTF-8 (an error
// may quote raw request bytes) becomes U+FFFD, which JSON can carry.
std::string JsonString(absl::string_view text) {
  google::protobuf::Value value;
  value.set_string_value(ValidUtf8(text));
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(value, &json);
  return json;
}

// A query value as a JSON value of the field's type: the JSON parser then
// checks it (numbers may be quoted, enums are names, Timestamps RFC 3339).
std::string JsonValue(const FieldDescriptor* field, const std::string& value) {
  if (field->type() == FieldDescriptor::TYPE_BOOL && (value == "true" || value == "false")) {
    return value;
  }
  return JsonString(value);
}

const char* StatusName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk: return "OK";
    case absl::StatusCode::kCancelled: return "CANCELLED";
    case absl::StatusCode::kUnknown: return "UNKNOWN";
    case absl::StatusCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case absl::StatusCode::kDeadlineExceeded: return "DEADLINE_EXCEEDED";
    case absl::StatusCode::kNotFound: return "NOT_FOUND";
    case absl::StatusCode::kAlreadyExists: return "ALREADY_EXISTS";
    case absl::StatusCode::kPermissionDenied: return "PERMISSION_DENIED";
    case absl::StatusCode::kResourceExhausted: return "RESOURCE_EXHAUSTED";
    case absl::StatusCode::kFailedPrecondition: return "FAILED_PRECONDITION";
    case absl::StatusCode::kAborted: return "ABORTED";
    case absl::StatusCode::kOutOfRange: return "OUT_OF_RANGE";
    case absl::StatusCode::kUnimplemented: return "UNIMPLEMENTED";
    case absl::StatusCode::kInternal: return "INTERNAL";
    case absl::StatusCode::kUnavailable: return "UNAVAILABLE";
    case absl::StatusCode::kDataLoss: return "DATA_LOSS";
    case absl::StatusCode::kUnauthenticated: return "UNAUTHENTICATED";
    default: return "UNKNOWN";
  }
}

// "report.minutes_spent" of "report.minutes_spent: must be ...", or "".
std::string FieldOf(absl::string_view message) {
  const size_t colon = message.find(": ");
  if (colon == absl::string_view::npos || colon == 0) return "";
  const absl::string_view field = message.substr(0, colon);
  for (char c : field) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_' && c != '.' &&
        c != '[' && c != ']') {
      return "";
    }
  }
  return std::string(field);
}

}  // namespace

absl::Status ParseJson(absl::string_view json, absl::string_view what, Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message, options);
  if (status.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      what, ": not JSON of ", message->GetDescriptor()->full_name(), " (",
      std::string(status.message().data(), status.message().size()), ")"));
}

absl::Status FillRequest(const HttpMatch& match, absl::string_view query,
                         absl::string_view body, Message* request) {
  const HttpRoute& route = *match.route;
  if (!query.empty()) {
    // name -> the JSON values given for it, in order.
    std::map<std::string, std::vector<std::string>> values;
    std::map<std::string, const FieldDescriptor*> fields;
    ASSIGN_OR_RETURN(auto pairs, ParseFormEncoded(query, "query"));
    for (auto& [name, value] : pairs) {
      const FieldDescriptor* field = FindField(request->GetDescriptor(), name);
      if (field == nullptr && !IsPlainName(name)) name = QuoteValue(name);  // bounded, inert
      if (field == nullptr || (field->type() == FieldDescriptor::TYPE_MESSAGE &&
                                   field->message_type()->full_name() !=
                                       "google.protobuf.Timestamp")) {
        return absl::InvalidArgumentError(absl::StrCat(
            name, ": not a query parameter of ", request->GetDescriptor()->full_name()));
      }
      if (!IsValidUtf8(value)) {
        return absl::InvalidArgumentError(absl::StrCat(name, ": not valid UTF-8"));
      }
      if (!field->is_repeated() && !values[field->json_name()].empty()) {
        return absl::InvalidArgumentError(absl::StrCat(name, ": given more than once"));
      }
      values[field->json_name()].push_back(JsonValue(field, value));
      fields[field->json_name()] = field;
    }
    std::string json = "{";
    for (const auto& [name, list] : values) {
      if (json.size() > 1) json += ",";
      absl::StrAppend(&json, "\"", name, "\":");
      if (fields[name]->is_repeated()) {
        absl::StrAppend(&json, "[", absl::StrJoin(list, ","), "]");
      } else {
        json += list.front();
      }
    }
    json += "}";
    RETURN_IF_ERROR(ParseJson(json, "query", request));
  }
  const bool has_body = !absl::StripAsciiWhitespace(body).empty();
  if (route.body.empty()) {
    if (has_body) {
      return absl::InvalidArgumentError(
          absl::StrCat("body: ", route.http_method, " ", route.path, " takes no body"));
    }
  } else if (!has_body) {
    return absl::InvalidArgumentError(absl::StrCat(
        "body: ", route.http_method, " ", route.path, " needs a JSON body (",
        route.body == "*" ? request->GetDescriptor()->full_name() : route.body, ")"));
  } else if (route.body == "*") {
    RETURN_IF_ERROR(ParseJson(body, "body", request));
  } else {
    Message* holder = nullptr;
    const FieldDescriptor* field = nullptr;
    RETURN_IF_ERROR(Resolve(request, route.body, &holder, &field));
    RETURN_IF_ERROR(
        ParseJson(body, "body", holder->GetReflection()->MutableMessage(holder, field)));
  }
  for (const auto& [path, value] : match.bindings) {
    Message* holder = nullptr;
    const FieldDescriptor* field = nullptr;
    RETURN_IF_ERROR(Resolve(request, path, &holder, &field));
    if (field->type() != FieldDescriptor::TYPE_STRING || field->is_repeated()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": a path binds text fields only"));
    }
    if (!IsValidUtf8(value)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": not valid UTF-8"));
    }
    holder->GetReflection()->SetString(holder, field, value);
  }
  return absl::OkStatus();
}

std::string ToJson(const Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk: return 200;
    case absl::StatusCode::kCancelled: return 499;
    case absl::StatusCode::kInvalidArgument: return 400;
    case absl::StatusCode::kFailedPrecondition: return 400;
    case absl::StatusCode::kOutOfRange: return 400;
    case absl::StatusCode::kUnauthenticated: return 401;
    case absl::StatusCode::kPermissionDenied: return 403;
    case absl::StatusCode::kNotFound: return 404;
    case absl::StatusCode::kAlreadyExists: return 409;
    case absl::StatusCode::kAborted: return 409;
    case absl::StatusCode::kResourceExhausted: return 429;
    case absl::StatusCode::kUnimplemented: return 501;
    case absl::StatusCode::kUnavailable: return 503;
    case absl::StatusCode::kDeadlineExceeded: return 504;
    default: return 500;  // UNKNOWN, INTERNAL, DATA_LOSS
  }
}

std::string ErrorJson(const absl::Status& status, int http_status) {
  if (http_status == 0) http_status = HttpStatusOf(status.code());
  std::string json = absl::StrCat("{\"error\":{\"code\":", http_status, ",\"status\":",
                                  JsonString(StatusName(status.code())),
                                  ",\"message\":", JsonString(status.message()));
  const std::string field = FieldOf(status.message());
  if (status.code() == absl::StatusCode::kInvalidArgument && !field.empty()) {
    absl::StrAppend(&json,
                    ",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.BadRequest\","
                    "\"fieldViolations\":[{\"field\":",
                    JsonString(field), ",\"description\":", JsonString(status.message()),
                    "}]}]");
  }
  return json + "}}";
}

}  // namespace inrapport
