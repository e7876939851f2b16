// The HTTP/JSON face of the running server (--http_listen): every route
// with plain HTTP requests, the JSON it answers, gRPC codes as HTTP
// statuses with the error's field, and authentication and authorization as
// the gRPC side's own, cell by cell for every kind of caller.
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/token_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::ServerProcess;

const std::map<std::string, std::string> kTokens = {
    {"m0180", "token-for-stockholm"}, {"m1283", "token-for-helsingborg"},
    {"ivo", "token-for-ivo"},         {"scb", "token-for-scb"},
    {"arena", "token-for-the-arena"}, {"admin", "token-for-the-administrator"},
};
const std::map<std::string, std::string> kPrincipals = {
    {"m0180", "municipality:0180"}, {"m1283", "municipality:1283"},
    {"ivo", "agency:ivo"},          {"scb", "agency:scb"},
    {"arena", "arena"},             {"admin", "admin"},
};

constexpr const char* kDuty = R"({"id":"ivo-q","agencyId":"ivo","title":"Ej verkställda beslut",
  "legalBasis":"SoL 16 kap. 6 f §","purpose":"IVO judges whether to seek a special fee.",
  "sector":"SECTOR_SOCIAL_SERVICES","frequency":"FREQUENCY_QUARTERLY","dataItems":["beslut"]})";

std::string Report(const std::string& id, const std::string& municipality,
                   const std::string& period = "2025Q1", int minutes = 45) {
  return absl::StrCat(R"({"submissionId":")", id, R"(","municipalityCode":")", municipality,
                      R"(","dutyId":"ivo-q","period":")", period,
                      R"(","minutesSpent":)", minutes, "}");
}

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string tokens = dir_.path() + "/tokens";
    std::ofstream file(tokens);
    for (const auto& [who, token] : kTokens) {
      file << Sha256Hex(token) << " " << kPrincipals.at(who) << "\n";
    }
    file.close();
    server_ = ServerProcess::Start(dir_.path() + "/inrapport.db",
                                   {"--tokens_file=" + tokens, "--http_listen=127.0.0.1:0"});
    ASSERT_NE(server_, nullptr);
    port_ = testing::ListeningPort(server_->Log(), "http");
    ASSERT_GT(port_, 0) << server_->Log();
    ASSERT_EQ(Call("admin", "POST", "/v1/duties", kDuty).status, 200);
  }

  HttpResponse Call(const std::string& who, const std::string& method, const std::string& path,
                    const std::string& body = "") {
    return HttpRequest(port_, method, path, body,
                       who == "none" ? "" : "Bearer " + kTokens.at(who));
  }

  testing::TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

TEST_F(HttpTest, EveryRouteServesItsCallInJson) {
  // A report, with its receipt.
  HttpResponse submitted = Call("m0180", "POST", "/v1/reports", Report("0180-1", "0180"));
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_THAT(submitted.headers, HasSubstr("Content-Type: application/json"));
  EXPECT_THAT(submitted.body, HasSubstr(R"("duplicate":false)"));
  EXPECT_THAT(submitted.body, HasSubstr(R"("receipt":{"submissionId":"0180-1")"));
  EXPECT_THAT(submitted.body, ::testing::ContainsRegex(R"("receivedAt":"20[0-9-]+T[0-9:]+Z")"));
  HttpResponse retry = Call("m0180", "POST", "/v1/reports", Report("0180-1", "0180"));
  EXPECT_THAT(retry.body, HasSubstr(R"("duplicate":true)"));

  // A stream: one message per line; a bad report is rejected at its index.
  HttpResponse streamed = Call("m0180", "POST", "/v1/reports:stream",
                               Report("0180-2", "0180", "2025Q2", 60) + "\n" +
                                   Report("0180-3", "0180", "2025Q9") + "\n\n" +
                                   Report("0180-1", "0180") + "\n");
  ASSERT_EQ(streamed.status, 200) << streamed.body;
  EXPECT_THAT(streamed.body, HasSubstr(R"("accepted":"1","duplicate":"1","rejected":"1")"));
  EXPECT_THAT(streamed.body, HasSubstr(R"("index":"1","submissionId":"0180-3")"));
  // A line that is no JSON stores nothing of the body.
  HttpResponse broken = Call("m0180", "POST", "/v1/reports:stream",
                             Report("0180-4", "0180") + "\n{\"submissionId\":\n");
  EXPECT_EQ(broken.status, 400);
  EXPECT_THAT(broken.body, HasSubstr("line 2: body: not JSON of inrapport.v1.Report"));
  EXPECT_EQ(Call("m0180", "GET", "/v1/municipalities/0180/reports/0180-4").status, 404);

  // An id with a % in it is written %25 in the path.
  ASSERT_EQ(Call("m0180", "POST", "/v1/reports", Report("0180-%1", "0180")).status, 200);
  EXPECT_THAT(Call("m0180", "GET", "/v1/municipalities/0180/reports/0180-%251").body,
              HasSubstr(R"("submissionId":"0180-%1")"));
  HttpResponse got = Call("m0180", "GET", "/v1/municipalities/0180/reports/0180-2");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_THAT(got.body, HasSubstr(R"("minutesSpent":"60")"));
  EXPECT_THAT(got.body, HasSubstr(R"("version":1)"));
  HttpResponse listed =
      Call("m0180", "GET", "/v1/reports?municipality_code=0180&periodFrom=2025Q2&pageSize=10");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_THAT(listed.body, HasSubstr("0180-2"));
  EXPECT_THAT(listed.body, Not(HasSubstr("0180-1")));

  // The register and the uses.
  HttpResponse duty = Call("m1283", "GET", "/v1/duties/ivo-q");
  ASSERT_EQ(duty.status, 200) << duty.body;
  EXPECT_THAT(duty.body, HasSubstr(R"("purpose":"IVO judges whether to seek a special fee.")"));
  EXPECT_THAT(Call("m1283", "GET", "/v1/duties?agencyId=ivo").body, HasSubstr(R"("id":"ivo-q")"));
  std::string updated = kDuty;
  updated.replace(updated.find("IVO judges"), 10, "IVO decides");
  HttpResponse put = Call("ivo", "PUT", "/v1/duties/ivo-q", updated);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_THAT(Call("ivo", "GET", "/v1/duties/ivo-q/versions").body, HasSubstr(R"("version":"2","changedAtUnix")"));
  HttpResponse use = Call("ivo", "POST", "/v1/duties/ivo-q/uses",
                          R"({"useId":"tillsyn-2025","kind":"USE_KIND_SUPERVISION_DECISION",
                              "date":"2025-06-01","firstPeriod":"2025Q1",
                              "description":"Supervision decisions"})");
  ASSERT_EQ(use.status, 200) << use.body;
  EXPECT_THAT(Call("m0180", "GET", "/v1/uses?dutyId=ivo-q").body, HasSubstr("tillsyn-2025"));

  // The figures: 45 + 60 + 45 minutes.
  HttpResponse summary =
      Call("arena", "GET", "/v1/burden/summary?groupBy=GROUP_BY_DUTY&periodFrom=2025");
  ASSERT_EQ(summary.status, 200) << summary.body;
  EXPECT_THAT(summary.body, HasSubstr(R"("key":"ivo-q","label":"","reports":"3","minutes":"150")"));
  EXPECT_EQ(Call("arena", "GET", "/v1/burden/flaggedDuties").status, 200);
  EXPECT_THAT(Call("arena", "GET", "/v1/burden/accounts").body, HasSubstr(R"("dutyId":"ivo-q")"));
  EXPECT_THAT(Call("arena", "GET", "/v1/burden/completeness?periodFrom=2025Q1&periodTo=2025Q2")
                  .body,
              HasSubstr(R"("received":"2")"));  // two periods
  HttpResponse report = Call("arena", "GET", "/v1/arenaReport?format=REPORT_FORMAT_MARKDOWN");
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_THAT(report.body, HasSubstr(R"("contentType":"text/markdown)"));
  EXPECT_EQ(Call("arena", "GET", "/v1/comments").status, 200);
  // What is due from a municipality: its own, read at its own path.
  HttpResponse due = Call("m0180", "GET", "/v1/municipalities/0180/due?fromDate=2025-01-01");
  ASSERT_EQ(due.status, 200) << due.body;
  EXPECT_THAT(due.body, HasSubstr(R"("fromDate":"2025-01-01")"));
  EXPECT_EQ(Call("m0180", "GET", "/v1/municipalities/1283/due").status, 403);
  EXPECT_EQ(Call("m0180", "GET", "/v1/municipalities/0180/due?toDate=2025-13-01").status, 400);

  // Counted by route and status, and logged.
  const std::string metrics = testing::HttpGet(server_->metrics_port(), "/metrics");
  EXPECT_THAT(metrics, HasSubstr(R"(inrapport_http_requests_total{code="200",route="POST /v1/reports"} 3)"));
  EXPECT_THAT(metrics,
              HasSubstr(R"(inrapport_http_requests_total{code="400",route="POST /v1/reports:stream"} 1)"));
  EXPECT_THAT(server_->Log(),
              HasSubstr("event=http_request method=GET route=\"GET /v1/duties/{id}\" status=200"));
  for (const auto& [who, token] : kTokens) EXPECT_THAT(server_->Log(), Not(HasSubstr(token)));
}

TEST_F(HttpTest, ErrorsCarryTheHttpStatusOfTheirCodeAndNameTheField) {
  HttpResponse bad = Call("m0180", "POST", "/v1/reports", Report("x", "0180", "2025Q9"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr(R"({"error":{"code":400,"status":"INVALID_ARGUMENT","message":"report.period: )"));
  EXPECT_THAT(bad.body, HasSubstr(R"("fieldViolations":[{"field":"report.period")"));

  ASSERT_EQ(Call("m0180", "POST", "/v1/reports", Report("y", "0180")).status, 200);
  HttpResponse conflict = Call("m0180", "POST", "/v1/reports", Report("y", "0180", "2025Q1", 46));
  EXPECT_EQ(conflict.status, 409);
  EXPECT_THAT(conflict.body, HasSubstr(R"("status":"ALREADY_EXISTS")"));
  EXPECT_EQ(Call("m0180", "GET", "/v1/duties/nope").status, 404);
  EXPECT_EQ(Call("none", "GET", "/v1/duties").status, 401);
  HttpResponse forged = HttpRequest(port_, "GET", "/v1/duties", "", "Bearer not-a-token");
  EXPECT_EQ(forged.status, 401);
  EXPECT_THAT(forged.body, HasSubstr(R"("status":"UNAUTHENTICATED")"));
  EXPECT_EQ(Call("m1283", "POST", "/v1/reports", Report("z", "0180")).status, 403);

  HttpResponse method = Call("admin", "DELETE", "/v1/duties/ivo-q");
  EXPECT_EQ(method.status, 405);
  EXPECT_THAT(method.body, HasSubstr("allowed: GET"));
  EXPECT_EQ(Call("admin", "GET", "/v1/nothing-here").status, 404);
  HttpResponse unknown = Call("admin", "GET", "/v1/duties?flagged=true");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_THAT(unknown.body,
              HasSubstr("flagged: not a query parameter of inrapport.v1.ListDutiesRequest"));
  HttpResponse no_body = Call("admin", "POST", "/v1/duties");
  EXPECT_EQ(no_body.status, 400);
  EXPECT_THAT(no_body.body, HasSubstr("body: POST /v1/duties needs a JSON body (duty)"));
  HttpResponse not_json = Call("admin", "POST", "/v1/duties", "{\"id\": 12,");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_THAT(not_json.body, HasSubstr("body: not JSON of inrapport.v1.ReportingDuty"));
  HttpResponse huge = Call("admin", "POST", "/v1/duties", std::string(5 << 20, ' '));
  EXPECT_EQ(huge.status, 413);
  // A body's text is data: markup comes back as JSON text, never as markup.
  HttpResponse hostile = Call("admin", "GET", "/v1/duties/%3Cscript%3E");
  EXPECT_EQ(hostile.status, 404);
  EXPECT_THAT(hostile.body, HasSubstr("script"));
  EXPECT_THAT(hostile.body, Not(HasSubstr("<script>")));
}

// The gRPC access matrix's rules through HTTP: each caller gets the HTTP
// status of the code gRPC gives it (access_test.cc holds the full matrix).
TEST_F(HttpTest, AuthorizationIsTheGrpcSidesCellByCell) {
  ASSERT_EQ(Call("m1283", "POST", "/v1/reports", Report("h-1", "1283")).status, 200);
  struct Cell {
    std::string method, path, body;
    std::vector<int> expected;  // none, m0180, m1283, ivo, scb, arena, admin
  };
  const std::vector<std::string> callers = {"none", "m0180", "m1283", "ivo", "scb", "arena", "admin"};
  int counter = 0;
  const std::vector<Cell> matrix = {
      {"GET", "/v1/duties", "", {401, 200, 200, 200, 200, 200, 200}},
      {"POST", "/v1/reports", "", {401, 403, 200, 403, 403, 403, 200}},
      {"GET", "/v1/municipalities/1283/reports/h-1", "", {401, 403, 200, 200, 403, 200, 200}},
      {"GET", "/v1/municipalities/1283/reports/never", "", {401, 403, 404, 403, 403, 404, 404}},
      {"GET", "/v1/reports?municipalityCode=1283", "", {401, 403, 200, 403, 403, 200, 200}},
      {"GET", "/v1/reports?agencyId=ivo", "", {401, 403, 403, 200, 403, 200, 200}},
      {"GET", "/v1/reports", "", {401, 403, 403, 403, 403, 200, 200}},
      {"GET", "/v1/burden/summary?groupBy=GROUP_BY_DUTY&municipalityCode=0180", "",
       {401, 200, 403, 403, 403, 200, 200}},
      {"GET", "/v1/arenaReport", "", {401, 403, 403, 403, 403, 200, 200}},
      {"PUT", "/v1/duties/ivo-q", kDuty, {401, 403, 403, 200, 403, 403, 200}},
  };
  for (const Cell& cell : matrix) {
    for (size_t i = 0; i < callers.size(); ++i) {
      std::string body = cell.body;
      if (cell.method == "POST" && cell.path == "/v1/reports") {
        body = Report(absl::StrCat("h-m-", ++counter), "1283");
      }
      const HttpResponse response = Call(callers[i], cell.method, cell.path, body);
      EXPECT_EQ(response.status, cell.expected[i])
          << cell.method << " " << cell.path << " as " << callers[i] << ": " << response.body;
    }
  }
}

// The municipality page takes the server's date (--today): the year it
// shows is the one before, and the footer names the day.
TEST(MunicipalityPageServerTest, ThePageTakesTheServersDate) {
  testing::TempDir dir;
  auto server = ServerProcess::Start(dir.path() + "/x.db",
                                     {"--http_listen=127.0.0.1:0", "--today=2031-01-15"});
  ASSERT_NE(server, nullptr);
  const int port = testing::ListeningPort(server->Log(), "http");
  ASSERT_EQ(HttpRequest(port, "POST", "/v1/duties", kDuty).status, 200);
  ASSERT_EQ(HttpRequest(port, "POST", "/v1/reports", Report("p-1", "0180", "2030Q2")).status, 200);
  const HttpResponse page = HttpRequest(port, "GET", "/kommun/0180");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("Sammanställt av inrapport 2031-01-15."));
  EXPECT_THAT(page.body, HasSubstr("År 2030 registrerades 1 inrapportering"));
}

// A stream's body holds at most --max_reports_per_stream reports: more is
// refused before anything is parsed or stored.
TEST(HttpStreamTest, ABodyOfMoreReportsThanAStreamMayHoldStoresNothing) {
  testing::TempDir dir;
  auto server = ServerProcess::Start(dir.path() + "/x.db",
                                     {"--http_listen=127.0.0.1:0", "--max_reports_per_stream=2"});
  ASSERT_NE(server, nullptr);
  const int port = testing::ListeningPort(server->Log(), "http");
  ASSERT_EQ(HttpRequest(port, "POST", "/v1/duties", kDuty).status, 200);
  const HttpResponse refused =
      HttpRequest(port, "POST", "/v1/reports:stream",
                  Report("a", "0180") + "\n" + Report("b", "0180") + "\n" + Report("c", "0180"));
  EXPECT_EQ(refused.status, 429);
  EXPECT_THAT(refused.body, HasSubstr("body: more than 2 reports in one stream; nothing was stored"));
  EXPECT_EQ(HttpRequest(port, "GET", "/v1/municipalities/0180/reports/a").status, 404);
  EXPECT_EQ(HttpRequest(port, "POST", "/v1/reports:stream",
                        Report("a", "0180") + "\n" + Report("b", "0180"))
                .status,
            200);
}

// With --tls_cert the face is HTTPS with the gRPC side's certificate and
// key, off loopback too: curl trusting the CA gets its answers, a bearer
// token names the caller, and plain HTTP to the port gets none.
TEST(HttpTlsTest, WithATlsCertificateTheFaceServesHttps) {
  testing::TempDir dir;
  const std::string d = dir.path() + "/";
  // A CA, and a server certificate for 127.0.0.1 signed by it.
  ASSERT_EQ(testing::RunShell(
                "cd " + d + " && printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > ext && "
                "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test-ca "
                "-keyout ca.key -out ca.pem && "
                "openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key "
                "-out server.csr && "
                "openssl x509 -req -days 1 -in server.csr -CA ca.pem -CAkey ca.key "
                "-CAcreateserial -extfile ext -out server.pem 2>&1")
                .exit_code,
            0);
  std::ofstream(d + "tokens") << Sha256Hex(kTokens.at("m0180")) << " municipality:0180\n";
  const std::vector<std::string> tls = {"--tls_cert=" + d + "server.pem",
                                        "--tls_key=" + d + "server.key",
                                        "--tokens_file=" + d + "tokens"};
  // curl's status line: the HTTP status, or 000 when there was no answer.
  const auto curl = [&](int port, const std::string& scheme, const std::string& token) {
    return testing::RunShell("curl -sS -o /dev/null -w '%{http_code}' --max-time 10 --cacert " +
                             d + "ca.pem" + (token.empty() ? "" : " -H 'Authorization: Bearer " +
                                                                      token + "'") +
                             " " + scheme + "://127.0.0.1:" + absl::StrCat(port) +
                             "/v1/duties 2>/dev/null");
  };
  {
    std::vector<std::string> args = tls;
    args.push_back("--http_listen=0.0.0.0:0");
    auto server = ServerProcess::Start(d + "x.db", args);
    ASSERT_NE(server, nullptr);
    const int port = testing::ListeningPort(server->Log(), "http");
    ASSERT_GT(port, 0) << server->Log();
    EXPECT_EQ(curl(port, "https", kTokens.at("m0180")).output, "200") << server->Log();
    EXPECT_EQ(curl(port, "https", "not-a-token-anyone-was-given").output, "401");
    EXPECT_EQ(curl(port, "https", "").output, "401");
    const testing::ShellResult plain = curl(port, "http", kTokens.at("m0180"));
    EXPECT_NE(plain.exit_code, 0);
    EXPECT_EQ(plain.output, "000");
    // The server is still up and serving after the plain request.
    EXPECT_EQ(curl(port, "https", kTokens.at("m0180")).output, "200") << server->Log();
  }
  {
    // With --tls_client_ca the face asks for no client certificate: the
    // token names the caller.
    std::vector<std::string> args = tls;
    args.push_back("--tls_client_ca=" + d + "ca.pem");
    args.push_back("--http_listen=127.0.0.1:0");
    auto server = ServerProcess::Start(d + "y.db", args);
    ASSERT_NE(server, nullptr);
    const int port = testing::ListeningPort(server->Log(), "http");
    EXPECT_EQ(curl(port, "https", kTokens.at("m0180")).output, "200") << server->Log();
  }
}

}  // namespace
}  // namespace inrapport
