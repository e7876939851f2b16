#include "services/http/http_gateway.h"

#include <civetweb.h>

#include <algorithm>
#include <chrono>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"
#include "common/domain/municipalities.h"
#include "common/domain/period.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "services/http/civetweb_tls.h"
#include "services/http/http_transcode.h"
#include "services/http/municipality_page.h"
#include "services/http/openapi.h"

namespace inrapport {
namespace {

using google::protobuf::Message;

using Reply = HttpGateway::Reply;

Reply JsonReply(int status, std::string json) {
  Reply reply;
  reply.status = status;
  reply.body = std::move(json);
  return reply;
}

// The municipality page's cookie: the token, for the page's paths only.
constexpr const char* kPageCookie = "inrapport_kommun";

Reply HtmlReply(int status, std::string html) {
  Reply reply = JsonReply(status, std::move(html));
  reply.content_type = "text/html; charset=utf-8";
  // No script, no frames, nothing from elsewhere; forms post here only.
  reply.headers.emplace_back("Content-Security-Policy",
                             "default-src 'none'; style-src 'unsafe-inline'; "
                             "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  reply.headers.emplace_back("Referrer-Policy", "no-referrer");
  return reply;
}

// One field of an application/x-www-form-urlencoded body; "" if missing or
// malformed.
std::string FormField(absl::string_view body, absl::string_view name) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> pairs =
      ParseFormEncoded(body, "body");
  if (!pairs.ok()) return "";
  for (auto& [field, value] : *pairs) {
    if (field == name) return std::move(value);
  }
  return "";
}

Reply ErrorReply(const absl::Status& status) {
  return JsonReply(HttpStatusOf(status.code()), ErrorJson(status));
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

// Calls one unary RPC in process as the caller.
template <typename Request, typename Response, typename Call>
absl::Status CallAs(const char* authorization, absl::Duration deadline, const Request& request,
                    Response* response, Call call) {
  grpc::ClientContext context;
  PrepareContext(&context, authorization, deadline);
  return FromGrpc(call(&context, request, response));
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
  const bool tls = !gateway->options_.tls_cert.empty();
  if (tls) RETURN_IF_ERROR(EnableCivetwebTls());
  // A trailing "s" makes civetweb's port a TLS port.
  const std::string listening = gateway->options_.listen + (tls ? "s" : "");
  const char* civet_options[] = {"listening_ports", listening.c_str(),
                                 "num_threads", threads.c_str(),
                                 "request_timeout_ms", timeout.c_str(),
                                 "enable_keep_alive", "yes",
                                 nullptr};
  mg_init_library(0);  // counted: the metrics exposer's use is unaffected
  mg_callbacks callbacks{};
  // civetweb's own complaints (a bad request line, a failed read).
  callbacks.log_message = [](const mg_connection* connection, const char* message) {
    auto* self = static_cast<HttpGateway*>(mg_get_user_data(mg_get_context(connection)));
    const RateLimiter::Verdict verdict = self->log_limiter_.Admit("http_server");
    if (verdict.allowed) {
      Log(LogLevel::kWarning, "http_server",
          {{"message", message}, {"suppressed", absl::StrCat(verdict.suppressed)}});
    }
    return 1;
  };
  // The certificate and key are the gRPC side's files, in two PEM files
  // (civetweb's ssl_certificate would want both in one).
  callbacks.init_ssl = [](void* ssl_ctx, void* user_data) {
    auto* self = static_cast<HttpGateway*>(user_data);
    self->tls_status_ =
        ConfigureServerTls(ssl_ctx, self->options_.tls_cert, self->options_.tls_key);
    return self->tls_status_.ok() ? 1 : -1;
  };
  gateway->context_ = mg_start(&callbacks, gateway.get(), civet_options);
  if (gateway->context_ == nullptr) {
    mg_exit_library();
    if (!gateway->tls_status_.ok()) return gateway->tls_status_;
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
      return JsonReply(200, openapi_);
    }
    if (path == "/kommun" || absl::StartsWith(path, "/kommun/")) {
      return ServePage(connection, method, path, authorization, &route_name);
    }
    absl::StatusOr<HttpMatch> match = routes_.Match(method, path);
    if (!match.ok()) {
      if (absl::IsFailedPrecondition(match.status())) {
        return JsonReply(405, ErrorJson(absl::Status(absl::StatusCode::kUnimplemented,
                                                     match.status().message()),
                                        405));
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
      return absl::IsResourceExhausted(body.status()) ? JsonReply(413, ErrorJson(body.status(), 413))
                                                      : ErrorReply(body.status());
    }
    if (rpc->server_streaming()) {
      return ErrorReply(absl::UnimplementedError("server streams are not served over HTTP"));
    }
    const absl::string_view query_string = query == nullptr ? "" : query;
    return rpc->client_streaming() ? CallStream(*match, query_string, *body, authorization)
                                   : CallUnary(*match, query_string, *body, authorization);
  }();

  mg_response_header_start(connection, reply.status);
  mg_response_header_add(connection, "Content-Type", reply.content_type.c_str(), -1);
  for (const auto& [name, value] : reply.headers) {
    mg_response_header_add(connection, name.c_str(), value.c_str(), -1);
  }
  mg_response_header_add(connection, "Content-Length", absl::StrCat(reply.body.size()).c_str(),
                         -1);
  mg_response_header_add(connection, "Cache-Control", "no-store", -1);
  mg_response_header_send(connection);
  mg_write(connection, reply.body.data(), reply.body.size());

  const std::string status = absl::StrCat(reply.status);
  requests_.Add({{"route", route_name}, {"code", status}}).Increment();
  const RateLimiter::Verdict verdict = log_limiter_.Admit(absl::StrCat(route_name, " ", status));
  if (verdict.allowed) {
    Log(LogLevel::kInfo, "http_request",
        {{"method", method},
         {"route", route_name},
         {"status", status},
         {"seconds", absl::StrFormat("%.3f", std::chrono::duration<double>(
                                                 std::chrono::steady_clock::now() - started)
                                                 .count())},
         {"remote", request_info->remote_addr},
         {"suppressed", absl::StrCat(verdict.suppressed)}});
  }
  return reply.status;
}

// A unary RPC: the request filled from the query, body and path, sent over
// the in-process channel as bytes (the generic stub serves every RPC).
Reply HttpGateway::CallUnary(const HttpMatch& match, absl::string_view query,
                             absl::string_view body, const char* authorization) {
  const google::protobuf::MethodDescriptor* rpc = match.route->rpc;
  std::unique_ptr<Message> request = NewMessage(rpc->input_type());
  if (absl::Status filled = FillRequest(match, query, body, request.get()); !filled.ok()) {
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
    for (const grpc::Slice& s : slices) {
      answer.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  std::unique_ptr<Message> response = NewMessage(rpc->output_type());
  if (!response->ParseFromString(answer)) {
    return ErrorReply(absl::InternalError("the answer could not be read"));
  }
  return JsonReply(200, ToJson(*response));
}

// A client stream: one message per line of the body, every line read
// before any is sent, so that a line that is no message stores nothing.
Reply HttpGateway::CallStream(const HttpMatch& match, absl::string_view query,
                              absl::string_view body, const char* authorization) {
  if (match.route->rpc->full_name() != "inrapport.v1.ReportIntake.SubmitReports") {
    return ErrorReply(absl::UnimplementedError("this stream is not served over HTTP"));
  }
  std::vector<v1::SubmitReportsRequest> messages;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(body, '\n')) {
    ++line_number;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    if (static_cast<int64_t>(messages.size()) == options_.max_stream_messages) {
      return ErrorReply(absl::ResourceExhaustedError(absl::StrCat(
          "body: more than ", options_.max_stream_messages,
          " reports in one stream; nothing was stored, send them in several")));
    }
    v1::SubmitReportsRequest message;
    if (absl::Status filled = FillRequest(match, query, line, &message); !filled.ok()) {
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
  return JsonReply(200, ToJson(response));
}

// The municipality page (services/http/municipality_page.h): the sign-in
// form, the sign-in that keeps the token in a cookie, and the page, made
// from in-process calls as the signed-in caller, so that what it shows is
// what the access rules let that caller read.
HttpGateway::Reply HttpGateway::ServePage(mg_connection* connection, const std::string& method,
                             const std::string& path, const char* authorization,
                             std::string* route_name) {
  if (path == "/kommun" && method == "GET") {
    *route_name = "GET /kommun";
    return HtmlReply(200, RenderSignInPage(""));
  }
  if (path == "/kommun/logga-in" && method == "POST") {
    *route_name = "POST /kommun/logga-in";
    absl::StatusOr<std::string> body = ReadBody(connection, 4096);
    const std::string code = body.ok() ? FormField(*body, "kommun") : "";
    const std::string token = body.ok() ? FormField(*body, "token") : "";
    bool token_ok = !token.empty();
    for (char c : token) token_ok = token_ok && c > 0x20 && c < 0x7f && c != ';' && c != ',';
    if (Municipalities::Official().Find(code) == nullptr || !token_ok) {
      return HtmlReply(400, RenderSignInPage(
                                "Kommunkoden ska vara en av de 290 officiella koderna och "
                                "token ska vara den kommunen har fått."));
    }
    Reply reply = HtmlReply(303, RenderProblemPage("Inloggad", "Fortsätt till kommunens sida."));
    reply.headers.emplace_back("Location", "/kommun/" + code);
    reply.headers.emplace_back(
        "Set-Cookie", absl::StrCat(kPageCookie, "=", token,
                                   "; Path=/kommun; HttpOnly; SameSite=Strict",
                                   mg_get_request_info(connection)->is_ssl ? "; Secure" : ""));
    return reply;
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  if (parts.size() != 3 || method != "GET") {
    return HtmlReply(404, RenderProblemPage("Sidan finns inte",
                                            "Adressen är /kommun/ följd av kommunkoden."));
  }
  *route_name = "GET /kommun/{code}";
  const std::string code(parts[2]);
  const Municipality* municipality = Municipalities::Official().Find(code);
  if (municipality == nullptr) {
    return HtmlReply(404, RenderProblemPage("Ingen sådan kommun",
                                            "Ingen av de 290 kommunerna har den koden."));
  }
  // The token: the page's cookie, else an Authorization header.
  std::string bearer;
  if (const char* cookies = mg_get_header(connection, "Cookie"); cookies != nullptr) {
    char value[600];
    if (mg_get_cookie(cookies, kPageCookie, value, sizeof(value)) > 0) {
      bearer = absl::StrCat("Bearer ", value);
    }
  }
  const char* as = !bearer.empty() ? bearer.c_str() : authorization;

  MunicipalityPage page;
  page.code = code;
  page.name = municipality->name;
  const absl::CivilDay today = options_.today ? options_.today() : TodayInSweden();
  page.today = FormatDate(today);
  page.year = static_cast<int>(today.year()) - 1;
  auto duties_stub = v1::DutyRegistry::NewStub(options_.channel);
  auto burden_stub = v1::BurdenQuery::NewStub(options_.channel);
  // The time of last year first: it is the call that checks that the
  // caller may read this municipality's figures.
  v1::GetBurdenSummaryRequest summary_request;
  summary_request.set_group_by(v1::GROUP_BY_DUTY);
  summary_request.set_municipality_code(code);
  summary_request.set_period_from(absl::StrCat(page.year));
  summary_request.set_period_to(absl::StrCat(page.year));
  v1::GetBurdenSummaryResponse summary;
  absl::Status status = CallAs(as, options_.deadline, summary_request, &summary,
                               [&](auto* context, const auto& request, auto* response) {
                                 return burden_stub->GetBurdenSummary(context, request, response);
                               });
  if (absl::IsUnauthenticated(status)) {
    return HtmlReply(401, RenderSignInPage("Logga in med kommunens token för att se sidan."));
  }
  if (absl::IsPermissionDenied(status)) {
    return HtmlReply(403, RenderProblemPage(
                              "Du kan inte se den här kommunens sida",
                              "En kommun ser sin egen sida. Logga in med den här kommunens "
                              "token."));
  }
  if (!status.ok()) {
    return HtmlReply(HttpStatusOf(status.code()),
                     RenderProblemPage("Sidan kunde inte visas", std::string(status.message())));
  }
  for (const v1::BurdenRow& row : summary.rows()) {
    page.time[row.key()] = {row.reports(), row.minutes()};
  }

  v1::ListDutiesRequest list;
  list.set_page_size(1000);
  // Proposals, and duties expired or withdrawn, ask nothing of anyone.
  list.set_state(v1::DUTY_STATE_IN_FORCE);
  do {
    v1::ListDutiesResponse duties;
    status = CallAs(as, options_.deadline, list, &duties,
                    [&](auto* context, const auto& request, auto* response) {
                      return duties_stub->ListDuties(context, request, response);
                    });
    if (!status.ok()) break;
    for (v1::ReportingDuty& duty : *duties.mutable_duties()) {
      const bool respondent =
          duty.respondents().empty() ||
          std::find(duty.respondents().begin(), duty.respondents().end(), code) !=
              duty.respondents().end();
      const bool in_force = (duty.valid_from().empty() || duty.valid_from() <= page.today) &&
                            (duty.valid_until().empty() || duty.valid_until() >= page.today);
      if (respondent && in_force) page.duties.push_back(std::move(duty));
    }
    list.set_page_token(duties.next_page_token());
  } while (!list.page_token().empty());
  v1::ListDutyUsesRequest uses_request;
  uses_request.set_page_size(1000);
  while (status.ok()) {
    v1::ListDutyUsesResponse uses;
    status = CallAs(as, options_.deadline, uses_request, &uses,
                    [&](auto* context, const auto& request, auto* response) {
                      return duties_stub->ListDutyUses(context, request, response);
                    });
    if (!status.ok()) break;
    for (v1::DutyUse& use : *uses.mutable_uses()) page.uses[use.duty_id()].push_back(std::move(use));
    uses_request.set_page_token(uses.next_page_token());
    if (uses_request.page_token().empty()) break;
  }
  if (!status.ok()) {
    return HtmlReply(HttpStatusOf(status.code()),
                     RenderProblemPage("Sidan kunde inte visas", std::string(status.message())));
  }
  v1::ListDueReportsRequest due_request;
  due_request.set_municipality_code(code);
  v1::ListDueReportsResponse due;
  status = CallAs(as, options_.deadline, due_request, &due,
                  [&](auto* context, const auto& request, auto* response) {
                    return burden_stub->ListDueReports(context, request, response);
                  });
  if (!status.ok()) {
    return HtmlReply(HttpStatusOf(status.code()),
                     RenderProblemPage("Sidan kunde inte visas", std::string(status.message())));
  }
  page.due.assign(due.due().begin(), due.due().end());
  page.due_from = due.from_date();
  page.due_to = due.to_date();
  std::sort(page.duties.begin(), page.duties.end(),
            [](const v1::ReportingDuty& a, const v1::ReportingDuty& b) {
              return std::tie(a.title(), a.id()) < std::tie(b.title(), b.id());
            });
  for (auto& [duty, uses] : page.uses) {
    std::stable_sort(uses.begin(), uses.end(), [](const v1::DutyUse& a, const v1::DutyUse& b) {
      return a.date() > b.date();
    });
  }
  return HtmlReply(200, RenderMunicipalityPage(page));
}

}  // namespace inrapport
