// The open register through the real server (--open_register): reachable
// without credentials only when switched on, and then only its three
// methods; every other method of every service, sent an empty request
// without credentials, stays UNAUTHENTICATED, cell by cell. Nothing any of
// the three answers, in any format, holds a report's comment, a token, a
// reporting municipality's code or a submission id; a proposed duty is not
// in the register while a duty in force is. And the same over HTTP.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/token_file.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/duty_gateway.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/open_register.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::ServerProcess;
using Code = grpc::StatusCode;

constexpr Code OK = Code::OK;
constexpr Code UNAUTH = Code::UNAUTHENTICATED;

const std::map<std::string, std::string> kTokens = {
    {"m0180", "open-test-token-stockholm"},  {"m1283", "open-test-token-helsingborg"},
    {"m1280", "open-test-token-malmo"},      {"skolverket", "open-test-token-skolverket"},
    {"arena", "open-test-token-arena"},      {"admin", "open-test-token-administrator"},
};
const std::map<std::string, std::string> kPrincipals = {
    {"m0180", "municipality:0180"}, {"m1283", "municipality:1283"},
    {"m1280", "municipality:1280"}, {"skolverket", "agency:skolverket"},
    {"arena", "arena"},             {"admin", "admin"},
};
constexpr const char* kComment = "hemlig kommentar 4711";

// The services the server serves, from the generated descriptors (found
// through a message of each file, so that the file is linked in).
std::vector<const google::protobuf::ServiceDescriptor*> AllServices() {
  std::vector<const google::protobuf::ServiceDescriptor*> services = {
      v1::ReportingDuty::descriptor()->file()->FindServiceByName("DutyRegistry"),
      v1::ProposeDutyRequest::descriptor()->file()->FindServiceByName("DutyGateway"),
      v1::Report::descriptor()->file()->FindServiceByName("ReportIntake"),
      v1::GetBurdenSummaryRequest::descriptor()->file()->FindServiceByName("BurdenQuery"),
      v1::ListRegisterDutiesRequest::descriptor()->file()->FindServiceByName("OpenRegister")};
  for (const auto* service : services) EXPECT_NE(service, nullptr);
  services.erase(std::remove(services.begin(), services.end(), nullptr), services.end());
  return services;
}

v1::ReportingDuty Duty(const std::string& id, const std::string& purpose) {
  v1::ReportingDuty duty;
  duty.set_id(id);
  duty.set_agency_id("skolverket");
  duty.set_title("Titel för " + id);
  duty.set_legal_basis("Skollagen (2010:800) 26 kap. 25 §");
  duty.set_purpose(purpose);
  duty.set_sector(v1::SECTOR_SCHOOL);
  duty.set_frequency(v1::FREQUENCY_ANNUAL);
  duty.add_data_items(id + "_elever");
  return duty;
}

class OpenRegisterServerTest : public ::testing::Test {
 protected:
  // A server with the tokens above and the HTTP face; `open`: --open_register.
  void StartServer(bool open) {
    const std::string tokens = dir_.path() + "/tokens";
    std::ofstream file(tokens);
    for (const auto& [who, token] : kTokens) {
      file << Sha256Hex(token) << " " << kPrincipals.at(who) << "\n";
    }
    file.close();
    std::vector<std::string> args = {"--tokens_file=" + tokens, "--http_listen=127.0.0.1:0",
                                     "--today=2026-06-01"};
    if (open) args.push_back("--open_register");
    server_ = ServerProcess::Start(dir_.path() + "/inrapport.db", args);
    ASSERT_NE(server_, nullptr);
    http_port_ = testing::ListeningPort(server_->Log(), "http");
    ASSERT_GT(http_port_, 0) << server_->Log();
    channel_ = grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials());
    open_ = v1::OpenRegister::NewStub(channel_);
  }

  // A context with `who`'s token; "none": no credentials; "forged": a token
  // nobody was given.
  std::unique_ptr<grpc::ClientContext> As(const std::string& who) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    if (who == "forged") {
      context->AddMetadata("authorization", "Bearer not-a-token-anyone-was-given");
    } else if (who != "none") {
      context->AddMetadata("authorization", "Bearer " + kTokens.at(who));
    }
    return context;
  }

  // `method` of `service` called by `who` with an empty request message.
  Code CallEmpty(const google::protobuf::MethodDescriptor* method, const std::string& who) {
    grpc::GenericStub generic(channel_);
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer response;
    auto context = As(who);
    std::promise<grpc::Status> done;
    generic.UnaryCall(context.get(),
                      absl::StrCat("/", method->service()->full_name(), "/", method->name()),
                      grpc::StubOptions(), &request, &response,
                      [&](grpc::Status status) { done.set_value(std::move(status)); });
    return done.get_future().get().error_code();
  }

  // The three methods, each by `who`.
  std::vector<Code> OpenCalls(const std::string& who) {
    v1::ListRegisterDutiesResponse duties;
    v1::GetRegisterBurdenResponse burden;
    v1::ExportOpenDataResponse exported;
    return {open_->ListRegisterDuties(As(who).get(), {}, &duties).error_code(),
            open_->GetRegisterBurden(As(who).get(), {}, &burden).error_code(),
            open_->ExportOpenData(As(who).get(), {}, &exported).error_code()};
  }

  // The sum of inrapport_refused_calls_total{code="UNAUTHENTICATED"} of `method`.
  double RefusedUnauthenticated(const std::string& method) {
    const std::string metrics = testing::HttpGet(server_->metrics_port(), "/metrics");
    const std::string prefix = absl::StrCat(
        "inrapport_refused_calls_total{code=\"UNAUTHENTICATED\",grpc_method=\"", method, "\"} ");
    std::istringstream lines(metrics);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(prefix.size()));
    }
    ADD_FAILURE() << "no " << prefix << " in the metrics";
    return -1;
  }

  testing::TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::OpenRegister::Stub> open_;
  int http_port_ = 0;
};

const std::vector<std::string> kCallers = {"none", "forged", "m0180", "skolverket", "arena",
                                           "admin"};

TEST_F(OpenRegisterServerTest, SwitchedOnOnlyTheOpenRegisterAnswersWithoutCredentials) {
  StartServer(/*open=*/true);
  int open_methods = 0, closed_methods = 0;
  for (const google::protobuf::ServiceDescriptor* service : AllServices()) {
    const bool is_open = service->full_name() == v1::OpenRegister::service_full_name();
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      EXPECT_EQ(CallEmpty(method, "none"), is_open ? OK : UNAUTH) << method->full_name();
      ++(is_open ? open_methods : closed_methods);
    }
  }
  EXPECT_EQ(open_methods, 3);
  EXPECT_EQ(closed_methods, 32);

  // Cell by cell: credentials that are sent are checked as for any call.
  const std::map<std::string, Code> expected = {
      {"none", OK},       {"forged", UNAUTH}, {"m0180", OK},
      {"skolverket", OK}, {"arena", OK},      {"admin", OK}};
  for (const std::string& who : kCallers) {
    EXPECT_THAT(OpenCalls(who), ::testing::Each(expected.at(who))) << who;
  }
  // An anonymous read is no refusal; a forged token is one.
  EXPECT_EQ(RefusedUnauthenticated("ListRegisterDuties"), 1);
  EXPECT_EQ(RefusedUnauthenticated("GetDuty"), 1);

  // Over HTTP: the open routes without a token, nothing else.
  HttpResponse duties = HttpRequest(http_port_, "GET", "/v1/open/duties");
  EXPECT_EQ(duties.status, 200) << duties.body;
  EXPECT_THAT(duties.body, HasSubstr(R"("asOf":"2026-06-01")"));
  EXPECT_EQ(HttpRequest(http_port_, "GET", "/v1/open/burden?yearFrom=2025").status, 200);
  HttpResponse exported =
      HttpRequest(http_port_, "GET", "/v1/open/export?dataset=OPEN_DATASET_DICTIONARY");
  EXPECT_EQ(exported.status, 200) << exported.body;
  EXPECT_THAT(exported.body, HasSubstr(R"("contentType":"text/csv; charset=utf-8; header=present")"));
  EXPECT_THAT(exported.body, HasSubstr("dataset,column,type,unit,description_sv,description_en"));
  EXPECT_EQ(HttpRequest(http_port_, "GET", "/v1/duties").status, 401);
  EXPECT_EQ(HttpRequest(http_port_, "GET", "/v1/open/duties", "", "Bearer not-a-token").status,
            401);
  // Bad input is still refused, naming the field.
  HttpResponse bad = HttpRequest(http_port_, "GET", "/v1/open/burden?yearFrom=2026&yearTo=2025");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("year_to"));
}

TEST_F(OpenRegisterServerTest, SwitchedOffTheOpenRegisterNeedsCredentialsLikeAnyRead) {
  StartServer(/*open=*/false);
  for (const google::protobuf::ServiceDescriptor* service : AllServices()) {
    for (int i = 0; i < service->method_count(); ++i) {
      EXPECT_EQ(CallEmpty(service->method(i), "none"), UNAUTH) << service->method(i)->full_name();
    }
  }
  const std::map<std::string, Code> expected = {
      {"none", UNAUTH},   {"forged", UNAUTH}, {"m0180", OK},
      {"skolverket", OK}, {"arena", OK},      {"admin", OK}};
  for (const std::string& who : kCallers) {
    EXPECT_THAT(OpenCalls(who), ::testing::Each(expected.at(who))) << who;
  }
  // The empty call above and "none" and "forged" here: three refusals each.
  EXPECT_EQ(RefusedUnauthenticated("ListRegisterDuties"), 3);
  EXPECT_EQ(RefusedUnauthenticated("ExportOpenData"), 3);

  EXPECT_EQ(HttpRequest(http_port_, "GET", "/v1/open/duties").status, 401);
  EXPECT_EQ(HttpRequest(http_port_, "GET", "/v1/open/export").status, 401);
  EXPECT_EQ(HttpRequest(http_port_, "GET", "/v1/open/duties", "",
                        "Bearer " + kTokens.at("m0180"))
                .status,
            200);
}

TEST_F(OpenRegisterServerTest, NoAnswerHoldsACommentATokenOrAReportingMunicipality) {
  StartServer(/*open=*/true);
  auto duties = v1::DutyRegistry::NewStub(channel_);
  auto gateway = v1::DutyGateway::NewStub(channel_);
  auto intake = v1::ReportIntake::NewStub(channel_);
  // A duty in force, with no stated purpose (a flag), and a proposal.
  v1::CreateDutyRequest create;
  *create.mutable_duty() = Duty("open-in-force", "");
  v1::ReportingDuty created;
  ASSERT_TRUE(duties->CreateDuty(As("admin").get(), create, &created).ok());
  v1::ProposeDutyRequest propose;
  *propose.mutable_duty() = Duty("open-proposal", "Ny statistik om elever.");
  propose.set_reason("Regeringsuppdrag");
  v1::ProposeDutyResponse proposed;
  ASSERT_TRUE(gateway->ProposeDuty(As("skolverket").get(), propose, &proposed).ok());

  // Reports with a comment: 2025 from three municipalities, 2024 from one.
  std::vector<std::string> submission_ids;
  auto submit = [&](const std::string& who, const std::string& code, const std::string& period,
                    int minutes) {
    v1::SubmitReportRequest request;
    v1::Report* report = request.mutable_report();
    report->set_submission_id(absl::StrCat("sub-", code, "-", period));
    report->set_municipality_code(code);
    report->set_duty_id("open-in-force");
    report->set_period(period);
    report->set_minutes_spent(minutes);
    report->set_staff_count(1);
    report->set_comment(kComment);
    submission_ids.push_back(report->submission_id());
    v1::SubmitReportResponse response;
    const grpc::Status status = intake->SubmitReport(As(who).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
  };
  submit("m0180", "0180", "2025", 45);
  submit("m1283", "1283", "2025", 50);
  submit("m1280", "1280", "2025", 55);
  submit("m0180", "0180", "2024", 47);

  // Every answer of the three methods, as protobuf text, as the exported
  // documents, and as HTTP/JSON.
  std::vector<std::pair<std::string, std::string>> answers;
  v1::ListRegisterDutiesResponse listed;
  ASSERT_TRUE(open_->ListRegisterDuties(As("none").get(), {}, &listed).ok());
  answers.emplace_back("ListRegisterDuties", listed.DebugString());
  v1::GetRegisterBurdenResponse burden;
  ASSERT_TRUE(open_->GetRegisterBurden(As("none").get(), {}, &burden).ok());
  answers.emplace_back("GetRegisterBurden", burden.DebugString());
  for (v1::OpenDataset dataset :
       {v1::OPEN_DATASET_DUTIES, v1::OPEN_DATASET_BURDEN, v1::OPEN_DATASET_DICTIONARY}) {
    for (v1::OpenDataFormat format : {v1::OPEN_DATA_FORMAT_CSV, v1::OPEN_DATA_FORMAT_JSON}) {
      v1::ExportOpenDataRequest request;
      request.set_dataset(dataset);
      request.set_format(format);
      v1::ExportOpenDataResponse exported;
      ASSERT_TRUE(open_->ExportOpenData(As("none").get(), request, &exported).ok());
      answers.emplace_back(exported.file_name(), exported.content());
      // The same bytes again: the export is reproducible.
      v1::ExportOpenDataResponse again;
      ASSERT_TRUE(open_->ExportOpenData(As("arena").get(), request, &again).ok());
      EXPECT_EQ(again.content(), exported.content()) << exported.file_name();
    }
  }
  for (const char* path :
       {"/v1/open/duties", "/v1/open/burden",
        "/v1/open/export?dataset=OPEN_DATASET_DUTIES&format=OPEN_DATA_FORMAT_JSON",
        "/v1/open/export?dataset=OPEN_DATASET_BURDEN&format=OPEN_DATA_FORMAT_CSV"}) {
    HttpResponse response = HttpRequest(http_port_, "GET", path);
    EXPECT_EQ(response.status, 200) << path << ": " << response.body;
    answers.emplace_back(path, response.body);
  }
  ASSERT_EQ(answers.size(), 12u);

  for (const auto& [name, text] : answers) {
    EXPECT_THAT(text, Not(HasSubstr(kComment))) << name;
    EXPECT_THAT(text, Not(HasSubstr("hemlig"))) << name;
    for (const auto& [who, token] : kTokens) EXPECT_THAT(text, Not(HasSubstr(token))) << name;
    EXPECT_THAT(text, Not(HasSubstr("not-a-token"))) << name;
    for (const char* code : {"0180", "1283", "1280"}) {
      EXPECT_THAT(text, Not(HasSubstr(code))) << name << " names municipality " << code;
    }
    for (const char* name_of : {"Stockholm", "Helsingborg", "Malmö"}) {
      EXPECT_THAT(text, Not(HasSubstr(name_of))) << name;
    }
    for (const std::string& id : submission_ids) EXPECT_THAT(text, Not(HasSubstr(id))) << name;
    // The proposal is not in the register.
    EXPECT_THAT(text, Not(HasSubstr("open-proposal"))) << name;
  }

  // The duty in force is, with its flag and reason.
  ASSERT_EQ(listed.duties_size(), 1);
  EXPECT_EQ(listed.duties(0).id(), "open-in-force");
  EXPECT_EQ(listed.duties(0).agency_id(), "skolverket");
  EXPECT_EQ(listed.duties(0).legal_references_size(), 1);
  bool no_purpose = false;
  for (const v1::RegisterFlag& flag : listed.duties(0).flags()) {
    if (flag.code() != "NO_STATED_PURPOSE") continue;
    no_purpose = true;
    EXPECT_THAT(flag.reason_sv(), HasSubstr("anger inget syfte"));
  }
  EXPECT_TRUE(no_purpose) << listed.DebugString();
  for (const auto& [name, text] : answers) {
    if (name == "ListRegisterDuties" || name == "inrapport-duties.csv" ||
        name == "inrapport-duties.json" || name.find("DUTIES") != std::string::npos ||
        name == "/v1/open/duties") {
      EXPECT_THAT(text, HasSubstr("open-in-force")) << name;
    }
  }

  // 2024 (one municipality) is suppressed; 2025 (three) is published.
  ASSERT_EQ(burden.cells_size(), 2);
  EXPECT_EQ(burden.min_municipalities_per_cell(), 3);
  EXPECT_EQ(burden.tariff_sek_per_hour(), 400);
  const v1::RegisterBurdenCell& y2024 = burden.cells(0);
  EXPECT_EQ(y2024.year(), 2024);
  EXPECT_TRUE(y2024.suppressed());
  EXPECT_FALSE(y2024.has_reports());
  EXPECT_FALSE(y2024.has_municipalities());
  EXPECT_FALSE(y2024.has_hours());
  EXPECT_THAT(y2024.suppression_reason_sv(), HasSubstr("Färre än 3 kommuner"));
  const v1::RegisterBurdenCell& y2025 = burden.cells(1);
  EXPECT_EQ(y2025.year(), 2025);
  EXPECT_FALSE(y2025.suppressed());
  EXPECT_EQ(y2025.reports(), 3);
  EXPECT_EQ(y2025.municipalities(), 3);
  EXPECT_EQ(y2025.duties_with_reports(), 1);
  EXPECT_EQ(y2025.hours(), 2.5);
  EXPECT_EQ(y2025.cost_sek(), 1000);
  EXPECT_FALSE(y2024.has_cost_sek());
  EXPECT_FALSE(y2024.has_duties_with_reports());

  // With the filter: one year.
  v1::GetRegisterBurdenRequest only_2025;
  only_2025.set_year_from(2025);
  v1::GetRegisterBurdenResponse filtered;
  ASSERT_TRUE(open_->GetRegisterBurden(As("none").get(), only_2025, &filtered).ok());
  ASSERT_EQ(filtered.cells_size(), 1);
  EXPECT_EQ(filtered.cells(0).year(), 2025);
}

}  // namespace
}  // namespace inrapport
