#include "services/http/openapi.h"

#include <map>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace inrapport {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::ListValue;
using google::protobuf::Struct;
using google::protobuf::Value;

constexpr const char* kTimestamp = "google.protobuf.Timestamp";

Struct& Object(Value& value) { return *value.mutable_struct_value(); }
Value& At(Struct& object, const std::string& key) { return (*object.mutable_fields())[key]; }
Struct& ObjectAt(Struct& object, const std::string& key) { return Object(At(object, key)); }
void Set(Struct& object, const std::string& key, const std::string& text) {
  At(object, key).set_string_value(text);
}

std::string SchemaName(const Descriptor* type) {
  return absl::StrReplaceAll(type->full_name(), {{".", "_"}});
}

std::string Ref(const Descriptor* type) {
  return "#/components/schemas/" + SchemaName(type);
}

// The schema of one value of `field` (not of the repeated list).
void ValueSchema(const FieldDescriptor* field, Struct& schema, std::set<const Descriptor*>& todo) {
  switch (field->type()) {
    case FieldDescriptor::TYPE_STRING:
      Set(schema, "type", "string");
      break;
    case FieldDescriptor::TYPE_BYTES:
      Set(schema, "type", "string");
      Set(schema, "format", "byte");
      break;
    case FieldDescriptor::TYPE_BOOL:
      Set(schema, "type", "boolean");
      break;
    case FieldDescriptor::TYPE_DOUBLE:
    case FieldDescriptor::TYPE_FLOAT:
      Set(schema, "type", "number");
      break;
    case FieldDescriptor::TYPE_INT64: case FieldDescriptor::TYPE_SINT64:
    case FieldDescriptor::TYPE_SFIXED64: case FieldDescriptor::TYPE_UINT64:
    case FieldDescriptor::TYPE_FIXED64:
      // 64-bit integers are strings in the JSON mapping (numbers accepted).
      Set(schema, "type", "string");
      Set(schema, "format", "int64");
      break;
    case FieldDescriptor::TYPE_ENUM: {
      Set(schema, "type", "string");
      ListValue& values = *At(schema, "enum").mutable_list_value();
      for (int i = 0; i < field->enum_type()->value_count(); ++i) {
        values.add_values()->set_string_value(field->enum_type()->value(i)->name());
      }
      break;
    }
    case FieldDescriptor::TYPE_MESSAGE:
      if (field->message_type()->full_name() == kTimestamp) {
        Set(schema, "type", "string");
        Set(schema, "format", "date-time");
      } else {
        Set(schema, "$ref", Ref(field->message_type()));
        todo.insert(field->message_type());
      }
      break;
    default:  // the 32-bit integers
      Set(schema, "type", "integer");
      Set(schema, "format", "int32");
      break;
  }
}

void FieldSchema(const FieldDescriptor* field, Struct& schema,
                 std::set<const Descriptor*>& todo) {
  if (field->is_repeated()) {
    Set(schema, "type", "array");
    ValueSchema(field, ObjectAt(schema, "items"), todo);
  } else {
    ValueSchema(field, schema, todo);
  }
}

void MessageSchema(const Descriptor* type, Struct& schema, std::set<const Descriptor*>& todo) {
  Set(schema, "type", "object");
  Set(schema, "description", type->full_name());
  Struct& properties = ObjectAt(schema, "properties");
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    FieldSchema(field, ObjectAt(properties, field->json_name()), todo);
  }
}

// The OpenAPI path of a route: "{duty.id}" is kept as the parameter's name.
std::string OpenApiPath(const HttpRoute& route) { return route.path; }

}  // namespace

std::string OpenApiDocument(const HttpRoutes& routes, const std::string& version) {
  Value root_value;
  Struct& root = Object(root_value);
  Set(root, "openapi", "3.0.3");
  Struct& info = ObjectAt(root, "info");
  Set(info, "title", "inrapport");
  Set(info, "version", version);
  Set(info, "description",
      "The HTTP/JSON face of inrapport.v1: each operation is the gRPC method named by its "
      "operationId, in the canonical protobuf JSON mapping (docs/http.md).");
  Struct& security_schemes = ObjectAt(ObjectAt(root, "components"), "securitySchemes");
  Struct& bearer = ObjectAt(security_schemes, "bearer");
  Set(bearer, "type", "http");
  Set(bearer, "scheme", "bearer");
  Object(*At(root, "security").mutable_list_value()->add_values())
      .mutable_fields()->operator[]("bearer").mutable_list_value();

  std::set<const Descriptor*> todo;
  Struct& paths = ObjectAt(root, "paths");
  for (const HttpRoute& route : routes.routes()) {
    const Descriptor* input = route.rpc->input_type();
    Struct& operation =
        ObjectAt(ObjectAt(paths, OpenApiPath(route)), absl::AsciiStrToLower(route.http_method));
    Set(operation, "operationId", std::string(route.rpc->name()));
    Set(operation, "summary", route.rpc->full_name());
    At(operation, "tags").mutable_list_value()->add_values()->set_string_value(
        route.rpc->service()->name());

    ListValue& parameters = *At(operation, "parameters").mutable_list_value();
    std::set<std::string> bound;
    for (const HttpRoute::Segment& segment : route.segments) {
      if (segment.field_path.empty()) continue;
      bound.insert(segment.field_path);
      Struct& parameter = Object(*parameters.add_values());
      Set(parameter, "name", segment.field_path);
      Set(parameter, "in", "path");
      At(parameter, "required").set_bool_value(true);
      Set(ObjectAt(parameter, "schema"), "type", "string");
    }
    if (route.body.empty()) {
      // The request's other fields, as query parameters.
      for (int i = 0; i < input->field_count(); ++i) {
        const FieldDescriptor* field = input->field(i);
        if (bound.count(field->name()) > 0) continue;
        if (field->type() == FieldDescriptor::TYPE_MESSAGE &&
            field->message_type()->full_name() != kTimestamp) {
          continue;
        }
        Struct& parameter = Object(*parameters.add_values());
        Set(parameter, "name", field->json_name());
        Set(parameter, "in", "query");
        FieldSchema(field, ObjectAt(parameter, "schema"), todo);
      }
    } else {
      const Descriptor* body = input;
      if (route.body != "*") body = input->FindFieldByName(route.body)->message_type();
      todo.insert(body);
      Struct& request_body = ObjectAt(operation, "requestBody");
      At(request_body, "required").set_bool_value(true);
      Struct& content = ObjectAt(request_body, "content");
      if (route.rpc->client_streaming()) {
        Set(request_body, "description",
            absl::StrCat("One ", body->full_name(),
                         " per line (newline-delimited JSON), sent as one stream."));
        Struct& ndjson = ObjectAt(content, "application/x-ndjson");
        Set(ObjectAt(ndjson, "schema"), "$ref", Ref(body));
      } else {
        Set(ObjectAt(ObjectAt(content, "application/json"), "schema"), "$ref", Ref(body));
      }
    }
    if (parameters.values_size() == 0) operation.mutable_fields()->erase("parameters");

    Struct& responses = ObjectAt(operation, "responses");
    Struct& ok = ObjectAt(responses, "200");
    Set(ok, "description", "OK");
    Set(ObjectAt(ObjectAt(ObjectAt(ok, "content"), "application/json"), "schema"), "$ref",
        Ref(route.rpc->output_type()));
    todo.insert(route.rpc->output_type());
    Struct& error = ObjectAt(responses, "default");
    Set(error, "description",
        "An error (AIP-193): the HTTP status of its gRPC code, the code's name, the message "
        "and, for a bad field, a google.rpc.BadRequest naming it");
    Set(ObjectAt(ObjectAt(ObjectAt(error, "content"), "application/json"), "schema"), "$ref",
        "#/components/schemas/Error");
  }

  Struct& schemas = ObjectAt(ObjectAt(root, "components"), "schemas");
  std::set<const Descriptor*> done;
  while (!todo.empty()) {
    const Descriptor* type = *todo.begin();
    todo.erase(todo.begin());
    if (!done.insert(type).second) continue;
    MessageSchema(type, ObjectAt(schemas, SchemaName(type)), todo);
  }
  Struct& error_schema = ObjectAt(schemas, "Error");
  Set(error_schema, "type", "object");
  Struct& error_body = ObjectAt(ObjectAt(error_schema, "properties"), "error");
  Set(error_body, "type", "object");
  Struct& error_fields = ObjectAt(error_body, "properties");
  Set(ObjectAt(error_fields, "code"), "type", "integer");
  Set(ObjectAt(error_fields, "status"), "type", "string");
  Set(ObjectAt(error_fields, "message"), "type", "string");
  Struct& details = ObjectAt(error_fields, "details");
  Set(details, "type", "array");
  Set(ObjectAt(details, "items"), "type", "object");

  std::string json;
  (void)google::protobuf::util::MessageToJsonString(root_value, &json);
  return json;
}

}  // namespace inrapport
