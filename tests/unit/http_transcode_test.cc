// The HTTP face without a network: the routes read from the protos'
// google.api.http bindings, matching and path bindings, a request filled
// from query, body and path, and errors in JSON with their HTTP status.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "inrapport/v1/burden_query.pb.h"
#include "inrapport/v1/duty_registry.pb.h"
#include "inrapport/v1/report_intake.pb.h"
#include "services/http/http_routes.h"
#include "services/http/http_transcode.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;

HttpRoutes Routes() {
  auto routes = HttpRoutes::FromServices(InrapportServices());
  EXPECT_TRUE(routes.ok()) << routes.status();
  return *std::move(routes);
}

TEST(HttpRoutesTest, EveryRpcHasARouteFromItsBinding) {
  const HttpRoutes routes = Routes();
  EXPECT_EQ(routes.routes().size(), 35u);  // every RPC of the five services
  EXPECT_EQ(routes.Match("GET", "/v1/municipalities/1283/due")->route->rpc->name(),
            "ListDueReports");
  auto match = routes.Match("GET", "/v1/municipalities/0180/reports/0180-2025%1");
  ASSERT_TRUE(match.ok()) << match.status();
  EXPECT_EQ(match->route->rpc->full_name(), "inrapport.v1.ReportIntake.GetReport");
  ASSERT_EQ(match->bindings.size(), 2u);
  EXPECT_EQ(match->bindings[0], (std::pair<std::string, std::string>{"municipality_code", "0180"}));
  EXPECT_EQ(match->bindings[1].second, "0180-2025%1");  // as the server decoded it
  EXPECT_EQ(routes.Match("POST", "/v1/reports:stream")->route->rpc->name(), "SubmitReports");
  EXPECT_EQ(routes.Match("PUT", "/v1/duties/d")->route->body, "duty");
  // A custom verb (AIP-136) after the last variable: the variable is bound
  // without it, and the path without the verb is another route.
  auto withdraw = routes.Match("POST", "/v1/municipalities/0180/reports/a:b:withdraw");
  ASSERT_TRUE(withdraw.ok()) << withdraw.status();
  EXPECT_EQ(withdraw->route->rpc->name(), "WithdrawReport");
  EXPECT_EQ(withdraw->bindings[1].second, "a:b");
  auto correct = routes.Match("POST", "/v1/municipalities/0180/reports/a:correct");
  ASSERT_TRUE(correct.ok()) << correct.status();
  EXPECT_EQ(correct->route->rpc->name(), "CorrectReport");
  EXPECT_EQ(correct->bindings[0].first, "report.municipality_code");
  EXPECT_EQ(routes.Match("GET", "/v1/municipalities/0180/reports/a")->route->rpc->name(),
            "GetReport");
  EXPECT_THAT(std::string(routes.Match("POST", "/v1/municipalities/0180/reports/a")
                              .status()
                              .message()),
              HasSubstr("allowed: GET"));

  const auto wrong_method = routes.Match("DELETE", "/v1/duties/d");
  EXPECT_EQ(wrong_method.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(wrong_method.status().message()), HasSubstr("allowed: GET, PUT"));
  EXPECT_EQ(routes.Match("GET", "/v1/duties/d/nothing").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(routes.Match("GET", "/v1/duties/").status().code(), absl::StatusCode::kNotFound);
}

TEST(HttpTranscodeTest, QueryBodyAndPathFillTheRequest) {
  const HttpRoutes routes = Routes();
  v1::ListReportsRequest list;
  auto match = routes.Match("GET", "/v1/reports");
  ASSERT_TRUE(match.ok());
  ASSERT_TRUE(FillRequest(*match,
                          "municipality_code=0180&periodFrom=2025Q1&pageSize=5"
                          "&receivedSince=2025-03-01T00%3A00%3A00Z&pageToken=a+b",
                          "", &list)
                  .ok());
  EXPECT_EQ(list.municipality_code(), "0180");
  EXPECT_EQ(list.period_from(), "2025Q1");
  EXPECT_EQ(list.page_size(), 5);
  EXPECT_EQ(list.received_since().seconds(), 1740787200);
  EXPECT_EQ(list.page_token(), "a b");

  v1::ListDutiesRequest duties;
  ASSERT_TRUE(FillRequest(*routes.Match("GET", "/v1/duties"),
                          "flagged_only=true&sector=SECTOR_SCHOOL", "", &duties)
                  .ok());
  EXPECT_TRUE(duties.flagged_only());
  EXPECT_EQ(duties.sector(), v1::SECTOR_SCHOOL);

  // The body is the route's field; the path's binding wins over the body.
  v1::UpdateDutyRequest update;
  ASSERT_TRUE(FillRequest(*routes.Match("PUT", "/v1/duties/from-path"), "",
                          R"({"id":"from-body","title":"T"})", &update)
                  .ok());
  EXPECT_EQ(update.duty().id(), "from-path");
  EXPECT_EQ(update.duty().title(), "T");
}

TEST(HttpTranscodeTest, WhatIsNotTheRequestIsRefusedNamingIt) {
  const HttpRoutes routes = Routes();
  v1::ListDutiesRequest duties;
  const HttpMatch list = *routes.Match("GET", "/v1/duties");
  EXPECT_EQ(FillRequest(list, "flagged=true", "", &duties).message(),
            "flagged: not a query parameter of inrapport.v1.ListDutiesRequest");
  EXPECT_THAT(FillRequest(list, "pageSize=many", "", &duties).message(), HasSubstr("query: "));
  EXPECT_THAT(FillRequest(list, "agencyId=a&agencyId=b", "", &duties).message(),
              HasSubstr("agencyId: given more than once"));
  EXPECT_THAT(FillRequest(list, "", "{}", &duties).message(), HasSubstr("takes no body"));
  v1::GetReportRequest get;
  EXPECT_EQ(FillRequest(*routes.Match("GET", "/v1/municipalities/0180/reports/a\x9b"), "", "", &get)
                .message(),
            "submission_id: not valid UTF-8");
  EXPECT_EQ(FillRequest(list, "agencyId=%C3", "", &duties).message(), "agencyId: not valid UTF-8");
  v1::CreateDutyRequest create;
  const HttpMatch post = *routes.Match("POST", "/v1/duties");
  EXPECT_THAT(FillRequest(post, "", "", &create).message(), HasSubstr("needs a JSON body (duty)"));
  EXPECT_THAT(FillRequest(post, "", R"({"id": 1,)", &create).message(),
              HasSubstr("body: not JSON of inrapport.v1.ReportingDuty"));
  EXPECT_THAT(FillRequest(post, "", R"({"nope": 1})", &create).message(),
              HasSubstr("body: not JSON of inrapport.v1.ReportingDuty"));
}

TEST(HttpTranscodeTest, ErrorsCarryTheirHttpStatusAndField) {
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kDeadlineExceeded), 504);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kInternal), 500);

  EXPECT_EQ(ErrorJson(absl::InvalidArgumentError("report.period: \"<x>\" is not a period")),
            R"({"error":{"code":400,"status":"INVALID_ARGUMENT",)"
            R"("message":"report.period: \"\u003cx\u003e\" is not a period",)"
            R"("details":[{"@type":"type.googleapis.com/google.rpc.BadRequest",)"
            R"("fieldViolations":[{"field":"report.period",)"
            R"("description":"report.period: \"\u003cx\u003e\" is not a period"}]}]}})");
  EXPECT_EQ(ErrorJson(absl::NotFoundError("duty \"d\" is not registered")),
            R"({"error":{"code":404,"status":"NOT_FOUND",)"
            R"("message":"duty \"d\" is not registered"}})");
  EXPECT_THAT(ErrorJson(absl::ResourceExhaustedError("body: too large"), 413),
              HasSubstr(R"("code":413,"status":"RESOURCE_EXHAUSTED")"));
}

TEST(HttpTranscodeTest, AnswersPrintEveryFieldInCamelCase) {
  v1::SubmitReportResponse response;
  response.set_submission_id("a");
  EXPECT_EQ(ToJson(response), R"({"submissionId":"a","duplicate":false})");
}

}  // namespace
}  // namespace inrapport
