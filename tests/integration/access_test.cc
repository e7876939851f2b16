// Who may do what, through the real server: every call of the API by every
// kind of caller (none, an unknown token, two municipalities, two agencies,
// the arena, the administrator), token reload on SIGHUP, mutual TLS, the
// loopback rule, and the limits and deadlines a hostile caller meets.
#include <sqlite3.h>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <algorithm>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/token_file.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/duty_gateway.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::ServerProcess;
using Code = grpc::StatusCode;

constexpr Code OK = Code::OK;
constexpr Code UNAUTH = Code::UNAUTHENTICATED;
constexpr Code DENIED = Code::PERMISSION_DENIED;
constexpr Code NOT_FOUND = Code::NOT_FOUND;

void WriteFile(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The callers, by the token they send ("" sends none).
const std::map<std::string, std::string> kTokens = {
    {"m0180", "token-for-stockholm-0180"},     {"m1283", "token-for-helsingborg-1283"},
    {"skolverket", "token-for-skolverket"},     {"scb", "token-for-scb"},
    {"arena", "token-for-the-arena"},           {"admin", "token-for-the-administrator"},
};
const std::map<std::string, std::string> kPrincipals = {
    {"m0180", "municipality:0180"}, {"m1283", "municipality:1283"},
    {"skolverket", "agency:skolverket"}, {"scb", "agency:scb"},
    {"arena", "arena"}, {"admin", "admin"},
};

std::string TokensFile(const std::map<std::string, std::string>& tokens) {
  std::string text = "# test tokens: sha256 of the token, then the principal\n";
  for (const auto& [who, token] : tokens) {
    absl::StrAppend(&text, Sha256Hex(token), " ", kPrincipals.at(who), "\n");
  }
  return text;
}

v1::ReportingDuty Duty(const std::string& id, const std::string& agency) {
  v1::ReportingDuty duty;
  duty.set_id(id);
  duty.set_agency_id(agency);
  duty.set_title("Title of " + id);
  duty.set_legal_basis("SFS 2010:800");
  duty.set_purpose("The agency publishes official statistics from it.");
  duty.set_sector(v1::SECTOR_SCHOOL);
  duty.set_frequency(v1::FREQUENCY_ANNUAL);
  duty.add_data_items(id + "_item");
  return duty;
}

v1::Report Report(const std::string& id, const std::string& municipality,
                  const std::string& duty = "sk-duty") {
  v1::Report report;
  report.set_submission_id(id);
  report.set_municipality_code(municipality);
  report.set_duty_id(duty);
  report.set_period("2025");
  report.set_minutes_spent(30);
  report.set_staff_count(1);
  return report;
}

class AccessTest : public ::testing::Test {
 public:  // the matrix's lambdas and the helpers below call in
  static constexpr int kLockTimeoutSeconds = 60;

  void SetUp() override {
    tokens_path_ = dir_.path() + "/tokens";
    WriteFile(tokens_path_, TokensFile(kTokens));
    // The tests that hold the database's write lock from another process
    // release it well within this, so the commit the store had begun then
    // completes, however slow the machine.
    server_ = ServerProcess::Start(dir_.path() + "/inrapport.db",
                                   {"--tokens_file=" + tokens_path_,
                                    "--lock_timeout=" + std::to_string(kLockTimeoutSeconds) + "s"});
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials());
    duties_ = v1::DutyRegistry::NewStub(channel_);
    intake_ = v1::ReportIntake::NewStub(channel_);
    burden_ = v1::BurdenQuery::NewStub(channel_);
    gateway_ = v1::DutyGateway::NewStub(channel_);
    // The administrator registers one duty of each agency.
    for (const auto& [id, agency] : {std::pair{"sk-duty", "skolverket"}, {"scb-duty", "scb"}}) {
      ASSERT_EQ(CreateDuty("admin", Duty(id, agency)), OK);
    }
    // And skolverket has a proposal in consultation.
    ASSERT_EQ(Propose("skolverket", Duty("sk-proposal", "skolverket")), OK);
    v1::OpenConsultationRequest open;
    open.set_duty_id("sk-proposal");
    open.set_until("2099-12-31");
    v1::ReportingDuty opened;
    ASSERT_TRUE(gateway_->OpenConsultation(As("skolverket").get(), open, &opened).ok());
  }

  Code Propose(const std::string& who, const v1::ReportingDuty& duty) {
    v1::ProposeDutyRequest request;
    *request.mutable_duty() = duty;
    request.set_reason("Ny statistik");
    v1::ProposeDutyResponse response;
    return gateway_->ProposeDuty(As(who).get(), request, &response).error_code();
  }

  // A context carrying `who`'s token ("none": no credentials; "forged": a
  // token nobody was given).
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

  Code CreateDuty(const std::string& who, const v1::ReportingDuty& duty) {
    v1::CreateDutyRequest request;
    *request.mutable_duty() = duty;
    v1::ReportingDuty response;
    return duties_->CreateDuty(As(who).get(), request, &response).error_code();
  }

  std::string Unique(const std::string& prefix) { return prefix + std::to_string(++counter_); }

  // Municipality 1283's report "stored-1283" of skolverket's duty, stored
  // once (a repeat is a duplicate).
  void StoreReportOf1283() {
    v1::SubmitReportRequest request;
    *request.mutable_report() = Report("stored-1283", "1283");
    v1::SubmitReportResponse response;
    ASSERT_TRUE(intake_->SubmitReport(As("m1283").get(), request, &response).ok());
  }

  // A fresh report of 0180, stored by 0180: its id.
  std::string StoreReportOf0180() {
    v1::SubmitReportRequest request;
    *request.mutable_report() = Report(Unique("c-"), "0180");
    v1::SubmitReportResponse response;
    EXPECT_TRUE(intake_->SubmitReport(As("m0180").get(), request, &response).ok());
    return request.report().submission_id();
  }

  testing::TempDir dir_;
  std::string tokens_path_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::DutyRegistry::Stub> duties_;
  std::unique_ptr<v1::ReportIntake::Stub> intake_;
  std::unique_ptr<v1::BurdenQuery::Stub> burden_;
  std::unique_ptr<v1::DutyGateway::Stub> gateway_;
  int counter_ = 0;
};

// The sum of inrapport_refused_calls_total over every method, for `code`.
double RefusedCalls(AccessTest* t, const std::string& code) {
  const std::string metrics = testing::HttpGet(t->server_->metrics_port(), "/metrics");
  const std::string prefix = "inrapport_refused_calls_total{code=\"" + code + "\",";
  double counted = 0;
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) == 0) counted += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return counted;
}

struct Cell {
  const char* call;
  std::function<Code(AccessTest*, const std::string& who)> run;
  // Expected code per caller: none, forged, m0180, m1283, skolverket, scb, arena, admin.
  std::vector<Code> expected;
};

const std::vector<std::string> kCallers = {"none",       "forged", "m0180", "m1283",
                                           "skolverket", "scb",    "arena", "admin"};

TEST_F(AccessTest, EveryCallByEveryKindOfCaller) {
  const std::vector<Cell> matrix = {
      // A duty in force is registered by the administrator; a new one is
      // proposed by its agency, and decided by the arena.
      {"CreateDuty of skolverket",
       [](AccessTest* t, const std::string& who) {
         return t->CreateDuty(who, Duty(t->Unique("new-"), "skolverket"));
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, DENIED, DENIED, OK}},
      {"ProposeDuty of skolverket",
       [](AccessTest* t, const std::string& who) {
         return t->Propose(who, Duty(t->Unique("proposed-"), "skolverket"));
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, OK, DENIED, DENIED, OK}},
      {"AssessDuty of skolverket's proposal",
       [](AccessTest* t, const std::string& who) {
         v1::AssessDutyRequest request;
         request.set_duty_id("sk-proposal");
         v1::ImpactAssessment response;
         return t->gateway_->AssessDuty(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, OK, DENIED, OK, OK}},
      {"OpenConsultation on a proposal of skolverket",
       [](AccessTest* t, const std::string& who) {
         const std::string id = t->Unique("consulted-");
         EXPECT_EQ(t->Propose("admin", Duty(id, "skolverket")), OK);
         v1::OpenConsultationRequest request;
         request.set_duty_id(id);
         request.set_until("2099-12-31");
         v1::ReportingDuty response;
         return t->gateway_->OpenConsultation(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, OK, DENIED, OK, OK}},
      {"AnswerConsultation for 0180",
       [](AccessTest* t, const std::string& who) {
         v1::AnswerConsultationRequest request;
         request.mutable_answer()->set_duty_id("sk-proposal");
         request.mutable_answer()->set_municipality_code("0180");
         request.mutable_answer()->set_comment("Vi lämnar redan detta till SCB.");
         v1::ConsultationAnswer response;
         return t->gateway_->AnswerConsultation(t->As(who).get(), request, &response)
             .error_code();
       },
       {UNAUTH, UNAUTH, OK, DENIED, DENIED, DENIED, DENIED, OK}},
      {"GetConsultation, every answer",
       [](AccessTest* t, const std::string& who) {
         v1::GetConsultationRequest request;
         request.set_duty_id("sk-proposal");
         v1::Consultation response;
         return t->gateway_->GetConsultation(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, OK, DENIED, OK, OK}},
      {"GetConsultation, 0180's answer",
       [](AccessTest* t, const std::string& who) {
         v1::GetConsultationRequest request;
         request.set_duty_id("sk-proposal");
         request.set_municipality_code("0180");
         v1::Consultation response;
         return t->gateway_->GetConsultation(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, DENIED, OK, DENIED, OK, OK}},
      {"DecideDuty: keep skolverket's duty",
       [](AccessTest* t, const std::string& who) {
         v1::DecideDutyRequest request;
         request.mutable_decision()->set_duty_id("sk-duty");
         request.mutable_decision()->set_kind(v1::DECISION_KIND_KEEP);
         request.mutable_decision()->set_reason("Uppgifterna används i den officiella statistiken.");
         v1::DecideDutyResponse response;
         return t->gateway_->DecideDuty(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, DENIED, OK, OK}},
      {"DecideDuty: reject skolverket's own proposal",
       [](AccessTest* t, const std::string& who) {
         const std::string id = t->Unique("rejected-");
         EXPECT_EQ(t->Propose("admin", Duty(id, "skolverket")), OK);
         v1::DecideDutyRequest request;
         request.mutable_decision()->set_duty_id(id);
         request.mutable_decision()->set_kind(v1::DECISION_KIND_REJECT);
         request.mutable_decision()->set_reason("Uppgifterna finns redan hos SCB.");
         v1::DecideDutyResponse response;
         return t->gateway_->DecideDuty(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, DENIED, OK, OK}},
      {"ListDecisions",
       [](AccessTest* t, const std::string& who) {
         v1::ListDecisionsResponse response;
         return t->gateway_->ListDecisions(t->As(who).get(), {}, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, OK, OK, OK, OK, OK}},
      {"GetRenewalEvidence of skolverket's duty",
       [](AccessTest* t, const std::string& who) {
         v1::GetRenewalEvidenceRequest request;
         request.set_duty_id("sk-duty");
         v1::RenewalEvidence response;
         return t->gateway_->GetRenewalEvidence(t->As(who).get(), request, &response)
             .error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, OK, DENIED, OK, OK}},
      {"UpdateDuty of skolverket's duty",
       [](AccessTest* t, const std::string& who) {
         v1::UpdateDutyRequest request;
         *request.mutable_duty() = Duty("sk-duty", "skolverket");
         v1::ReportingDuty response;
         return t->duties_->UpdateDuty(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, OK, DENIED, DENIED, OK}},
      {"UpdateDuty taking skolverket's duty over for scb",
       [](AccessTest* t, const std::string& who) {
         v1::UpdateDutyRequest request;
         *request.mutable_duty() = Duty("sk-duty", "scb");
         v1::ReportingDuty response;
         Code code = t->duties_->UpdateDuty(t->As(who).get(), request, &response).error_code();
         if (code == OK) {  // the administrator may; put it back
           *request.mutable_duty() = Duty("sk-duty", "skolverket");
           t->duties_->UpdateDuty(t->As("admin").get(), request, &response);
         }
         return code;
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, DENIED, DENIED, OK}},
      {"GetDuty",
       [](AccessTest* t, const std::string& who) {
         v1::GetDutyRequest request;
         request.set_id("scb-duty");
         v1::ReportingDuty response;
         return t->duties_->GetDuty(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, OK, OK, OK, OK, OK}},
      {"ListDuties",
       [](AccessTest* t, const std::string& who) {
         v1::ListDutiesResponse response;
         return t->duties_->ListDuties(t->As(who).get(), {}, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, OK, OK, OK, OK, OK}},
      {"RecordDutyUse of skolverket's duty",
       [](AccessTest* t, const std::string& who) {
         v1::RecordDutyUseRequest request;
         v1::DutyUse* use = request.mutable_use();
         use->set_duty_id("sk-duty");
         use->set_use_id(t->Unique("use-"));
         use->set_kind(v1::USE_KIND_PUBLICATION);
         use->set_date("2025-06-01");
         use->set_first_period("2024");
         use->set_description("Published in the school statistics.");
         v1::RecordDutyUseResponse response;
         return t->duties_->RecordDutyUse(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, OK, DENIED, DENIED, OK}},
      {"ListDutyUses",
       [](AccessTest* t, const std::string& who) {
         v1::ListDutyUsesResponse response;
         return t->duties_->ListDutyUses(t->As(who).get(), {}, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, OK, OK, OK, OK, OK}},
      // Filtered to a municipality, the uses say which duties it reported:
      // that is its burden, and read as the burden is.
      {"ListDutyUses of municipality 0180",
       [](AccessTest* t, const std::string& who) {
         v1::ListDutyUsesRequest request;
         request.set_municipality_code("0180");
         v1::ListDutyUsesResponse response;
         return t->duties_->ListDutyUses(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, DENIED, DENIED, DENIED, OK, OK}},
      {"ListDutyUses of skolverket's duties in municipality 0180",
       [](AccessTest* t, const std::string& who) {
         v1::ListDutyUsesRequest request;
         request.set_agency_id("skolverket");
         request.set_municipality_code("0180");
         v1::ListDutyUsesResponse response;
         return t->duties_->ListDutyUses(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, DENIED, OK, DENIED, OK, OK}},
      {"ListDutyUses of skolverket's duties",
       [](AccessTest* t, const std::string& who) {
         v1::ListDutyUsesRequest request;
         request.set_agency_id("skolverket");
         v1::ListDutyUsesResponse response;
         return t->duties_->ListDutyUses(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, OK, OK, OK, OK, OK}},
      {"SubmitReport for 0180",
       [](AccessTest* t, const std::string& who) {
         v1::SubmitReportRequest request;
         *request.mutable_report() = Report(t->Unique("r-"), "0180");
         v1::SubmitReportResponse response;
         return t->intake_->SubmitReport(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, DENIED, DENIED, DENIED, DENIED, OK}},
      {"SubmitReports for 0180",
       [](AccessTest* t, const std::string& who) {
         auto context = t->As(who);
         v1::SubmitReportsResponse response;
         auto writer = t->intake_->SubmitReports(context.get(), &response);
         for (int i = 0; i < 3; ++i) {
           v1::SubmitReportsRequest request;
           *request.mutable_report() = Report(t->Unique("s-"), "0180");
           if (!writer->Write(request)) break;
         }
         writer->WritesDone();
         return writer->Finish().error_code();
       },
       {UNAUTH, UNAUTH, OK, DENIED, DENIED, DENIED, DENIED, OK}},
      {"GetBurdenSummary of everyone",
       [](AccessTest* t, const std::string& who) {
         v1::GetBurdenSummaryRequest request;
         request.set_group_by(v1::GROUP_BY_AGENCY);
         v1::GetBurdenSummaryResponse response;
         return t->burden_->GetBurdenSummary(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, DENIED, OK, OK}},
      {"GetBurdenSummary of municipality 0180",
       [](AccessTest* t, const std::string& who) {
         v1::GetBurdenSummaryRequest request;
         request.set_group_by(v1::GROUP_BY_DUTY);
         request.set_municipality_code("0180");
         v1::GetBurdenSummaryResponse response;
         return t->burden_->GetBurdenSummary(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, DENIED, DENIED, DENIED, OK, OK}},
      {"GetBurdenSummary of skolverket's duties",
       [](AccessTest* t, const std::string& who) {
         v1::GetBurdenSummaryRequest request;
         request.set_group_by(v1::GROUP_BY_MUNICIPALITY);
         request.set_agency_id("skolverket");
         v1::GetBurdenSummaryResponse response;
         return t->burden_->GetBurdenSummary(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, OK, DENIED, OK, OK}},
      {"ListFlaggedDuties of skolverket",
       [](AccessTest* t, const std::string& who) {
         v1::ListFlaggedDutiesRequest request;
         request.set_agency_id("skolverket");
         v1::ListFlaggedDutiesResponse response;
         return t->burden_->ListFlaggedDuties(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, OK, DENIED, OK, OK}},
      {"ListFlaggedDuties of everyone",
       [](AccessTest* t, const std::string& who) {
         v1::ListFlaggedDutiesResponse response;
         return t->burden_->ListFlaggedDuties(t->As(who).get(), {}, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, DENIED, OK, OK}},
      {"ListDutyAccounts of scb",
       [](AccessTest* t, const std::string& who) {
         v1::ListDutyAccountsRequest request;
         request.set_agency_id("scb");
         v1::ListDutyAccountsResponse response;
         return t->burden_->ListDutyAccounts(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, OK, OK, OK}},
      {"GetCompleteness of municipality 1283",
       [](AccessTest* t, const std::string& who) {
         v1::GetCompletenessRequest request;
         request.set_period_from("2024");
         request.set_period_to("2024");
         request.set_municipality_code("1283");
         v1::GetCompletenessResponse response;
         return t->burden_->GetCompleteness(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, OK, DENIED, DENIED, OK, OK}},
      {"GetCompleteness of skolverket's duties",
       [](AccessTest* t, const std::string& who) {
         v1::GetCompletenessRequest request;
         request.set_period_from("2024");
         request.set_period_to("2024");
         request.set_agency_id("skolverket");
         v1::GetCompletenessResponse response;
         return t->burden_->GetCompleteness(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, OK, DENIED, OK, OK}},
      {"GetCompleteness of everyone",
       [](AccessTest* t, const std::string& who) {
         v1::GetCompletenessRequest request;
         request.set_period_from("2024");
         request.set_period_to("2024");
         v1::GetCompletenessResponse response;
         return t->burden_->GetCompleteness(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, DENIED, OK, OK}},
      {"GetCompleteness of scb's duties in municipality 1283",
       [](AccessTest* t, const std::string& who) {
         v1::GetCompletenessRequest request;
         request.set_period_from("2024");
         request.set_period_to("2024");
         request.set_agency_id("scb");
         request.set_municipality_code("1283");
         v1::GetCompletenessResponse response;
         return t->burden_->GetCompleteness(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, OK, DENIED, OK, OK, OK}},
      {"GetBurdenSummary of skolverket's duties in municipality 0180",
       [](AccessTest* t, const std::string& who) {
         v1::GetBurdenSummaryRequest request;
         request.set_group_by(v1::GROUP_BY_PERIOD);
         request.set_agency_id("skolverket");
         request.set_municipality_code("0180");
         v1::GetBurdenSummaryResponse response;
         return t->burden_->GetBurdenSummary(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, DENIED, OK, DENIED, OK, OK}},
      {"ListDutyAccounts of everyone",
       [](AccessTest* t, const std::string& who) {
         v1::ListDutyAccountsResponse response;
         return t->burden_->ListDutyAccounts(t->As(who).get(), {}, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, DENIED, OK, OK}},
      // Whether a duty exists is no secret (every authenticated caller may
      // list the duties), so an unknown one is NOT_FOUND for all of them.
      {"RecordDutyUse of an unknown duty",
       [](AccessTest* t, const std::string& who) {
         v1::RecordDutyUseRequest request;
         v1::DutyUse* use = request.mutable_use();
         use->set_duty_id("no-such-duty");
         use->set_use_id(t->Unique("use-"));
         use->set_kind(v1::USE_KIND_PUBLICATION);
         use->set_date("2025-06-01");
         use->set_first_period("2024");
         use->set_description("Published in the school statistics.");
         v1::RecordDutyUseResponse response;
         return t->duties_->RecordDutyUse(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND}},
      {"GetArenaReport",
       [](AccessTest* t, const std::string& who) {
         v1::GetArenaReportRequest request;
         request.set_format(v1::REPORT_FORMAT_JSON);
         v1::GetArenaReportResponse response;
         return t->burden_->GetArenaReport(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, DENIED, OK, OK}},
      {"GetDutyHistory",
       [](AccessTest* t, const std::string& who) {
         v1::GetDutyHistoryRequest request;
         request.set_id("sk-duty");
         v1::GetDutyHistoryResponse response;
         return t->duties_->GetDutyHistory(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, OK, OK, OK, OK, OK}},
      // The register of agencies: read by every caller, written by the
      // administrator alone.
      {"CreateAgency",
       [](AccessTest* t, const std::string& who) {
         v1::CreateAgencyRequest request;
         request.mutable_agency()->set_id(t->Unique("myndighet-"));
         request.mutable_agency()->set_name("Testmyndigheten");
         v1::Agency response;
         return t->duties_->CreateAgency(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, DENIED, DENIED, OK}},
      {"UpdateAgency of skolverket",
       [](AccessTest* t, const std::string& who) {
         v1::UpdateAgencyRequest request;
         request.mutable_agency()->set_id("skolverket");
         request.mutable_agency()->set_name("Statens skolverk");
         v1::Agency response;
         return t->duties_->UpdateAgency(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, DENIED, DENIED, OK}},
      {"GetAgency",
       [](AccessTest* t, const std::string& who) {
         v1::GetAgencyRequest request;
         request.set_id("scb");
         v1::Agency response;
         return t->duties_->GetAgency(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, OK, OK, OK, OK, OK}},
      {"ListAgencies",
       [](AccessTest* t, const std::string& who) {
         v1::ListAgenciesResponse response;
         return t->duties_->ListAgencies(t->As(who).get(), {}, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, OK, OK, OK, OK, OK}},
      {"ListComments of skolverket's duties",
       [](AccessTest* t, const std::string& who) {
         v1::ListCommentsRequest request;
         request.set_agency_id("skolverket");
         v1::ListCommentsResponse response;
         return t->burden_->ListComments(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, OK, DENIED, OK, OK}},
      {"ListComments of municipality 1283",
       [](AccessTest* t, const std::string& who) {
         v1::ListCommentsRequest request;
         request.set_municipality_code("1283");
         v1::ListCommentsResponse response;
         return t->burden_->ListComments(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, OK, DENIED, DENIED, OK, OK}},
      {"ListDueReports of municipality 1283",
       [](AccessTest* t, const std::string& who) {
         v1::ListDueReportsRequest request;
         request.set_municipality_code("1283");
         v1::ListDueReportsResponse response;
         return t->burden_->ListDueReports(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, OK, DENIED, DENIED, OK, OK}},
      {"ListDueReports of 1283 for skolverket's duties",
       [](AccessTest* t, const std::string& who) {
         v1::ListDueReportsRequest request;
         request.set_municipality_code("1283");
         request.set_agency_id("skolverket");
         v1::ListDueReportsResponse response;
         return t->burden_->ListDueReports(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, OK, OK, DENIED, OK, OK}},
      {"ListComments of everyone",
       [](AccessTest* t, const std::string& who) {
         v1::ListCommentsResponse response;
         return t->burden_->ListComments(t->As(who).get(), {}, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, DENIED, OK, OK}},
      {"GetReport of 1283's report of skolverket's duty",
       [](AccessTest* t, const std::string& who) {
         t->StoreReportOf1283();
         v1::GetReportRequest request;
         request.set_municipality_code("1283");
         request.set_submission_id("stored-1283");
         v1::StoredReport response;
         return t->intake_->GetReport(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, OK, OK, DENIED, OK, OK}},
      {"GetReport of a report 1283 never stored",
       [](AccessTest* t, const std::string& who) {
         v1::GetReportRequest request;
         request.set_municipality_code("1283");
         request.set_submission_id("never-stored");
         v1::StoredReport response;
         return t->intake_->GetReport(t->As(who).get(), request, &response).error_code();
       },
       // An agency is refused as for another agency's report: it learns
       // nothing of whether the report exists.
       {UNAUTH, UNAUTH, DENIED, NOT_FOUND, DENIED, DENIED, NOT_FOUND, NOT_FOUND}},
      {"ListReports of municipality 1283",
       [](AccessTest* t, const std::string& who) {
         v1::ListReportsRequest request;
         request.set_municipality_code("1283");
         v1::ListReportsResponse response;
         return t->intake_->ListReports(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, OK, DENIED, DENIED, OK, OK}},
      {"ListReports of skolverket's duties",
       [](AccessTest* t, const std::string& who) {
         v1::ListReportsRequest request;
         request.set_agency_id("skolverket");
         v1::ListReportsResponse response;
         return t->intake_->ListReports(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, OK, DENIED, OK, OK}},
      {"ListReports of everyone",
       [](AccessTest* t, const std::string& who) {
         v1::ListReportsResponse response;
         return t->intake_->ListReports(t->As(who).get(), {}, &response).error_code();
       },
       {UNAUTH, UNAUTH, DENIED, DENIED, DENIED, DENIED, OK, OK}},
      // Only the municipality that sent a report changes it (as it alone
      // submits it), and the administrator.
      {"CorrectReport of 0180's report",
       [](AccessTest* t, const std::string& who) {
         v1::CorrectReportRequest request;
         *request.mutable_report() = Report(t->StoreReportOf0180(), "0180");
         request.mutable_report()->set_minutes_spent(99);
         request.set_reason("Fel antal minuter");
         v1::ChangeReportResponse response;
         return t->intake_->CorrectReport(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, DENIED, DENIED, DENIED, DENIED, OK}},
      {"WithdrawReport of 0180's report",
       [](AccessTest* t, const std::string& who) {
         v1::WithdrawReportRequest request;
         request.set_municipality_code("0180");
         request.set_submission_id(t->StoreReportOf0180());
         request.set_reason("Skickad av misstag");
         v1::ChangeReportResponse response;
         return t->intake_->WithdrawReport(t->As(who).get(), request, &response).error_code();
       },
       {UNAUTH, UNAUTH, OK, DENIED, DENIED, DENIED, DENIED, OK}},
  };

  int refusals = 0;
  for (const Cell& cell : matrix) {
    ASSERT_EQ(cell.expected.size(), kCallers.size()) << cell.call;
    for (size_t i = 0; i < kCallers.size(); ++i) {
      const Code code = cell.run(this, kCallers[i]);
      EXPECT_EQ(code, cell.expected[i]) << cell.call << " as " << kCallers[i];
      if (code == UNAUTH || code == DENIED) ++refusals;
    }
  }

  // Every refusal is counted and logged, and no token is ever written.
  const std::string metrics = testing::HttpGet(server_->metrics_port(), "/metrics");
  double counted = 0;
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("inrapport_refused_calls_total{", 0) == 0) {
      counted += std::stod(line.substr(line.rfind(' ') + 1));
    }
  }
  EXPECT_EQ(counted, refusals);
  EXPECT_THAT(metrics, HasSubstr("inrapport_refused_calls_total{code=\"PERMISSION_DENIED\","
                                 "grpc_method=\"GetArenaReport\"} 4"));
  const std::string log = server_->Log();
  EXPECT_THAT(log, HasSubstr("event=refused method=SubmitReport code=PERMISSION_DENIED "
                             "principal=municipality:1283"));
  // The log quotes the message, so its quotes come escaped.
  EXPECT_THAT(log, HasSubstr("may not submit a report for municipality \\\"0180\\\""));
  for (const auto& [who, token] : kTokens) EXPECT_THAT(log, Not(HasSubstr(token))) << who;
  EXPECT_THAT(log, Not(HasSubstr("not-a-token-anyone-was-given")));
}

TEST_F(AccessTest, RefusalsSayWhatWasRefused) {
  v1::GetBurdenSummaryRequest request;
  request.set_group_by(v1::GROUP_BY_DUTY);
  v1::GetBurdenSummaryResponse response;
  grpc::Status status = burden_->GetBurdenSummary(As("m0180").get(), request, &response);
  EXPECT_EQ(status.error_code(), DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("municipality:0180 may not read every "
                                                "municipality's burden: set municipality_code "
                                                "to \"0180\""));
  v1::ListDutyUsesRequest uses;
  uses.set_municipality_code("0180");
  v1::ListDutyUsesResponse listed;
  status = duties_->ListDutyUses(As("m1283").get(), uses, &listed);
  EXPECT_EQ(status.error_code(), DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("municipality:1283 may not list the uses of "
                                                "the duties municipality \"0180\" reported"));
  uses.clear_municipality_code();
  status = duties_->ListDutyUses(As("scb").get(), uses, &listed);
  EXPECT_EQ(status.error_code(), OK) << status.error_message();
  uses.set_municipality_code("0180");
  status = duties_->ListDutyUses(As("scb").get(), uses, &listed);
  EXPECT_EQ(status.error_code(), DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("set agency_id to \"scb\""));
  status = burden_->GetBurdenSummary(As("none").get(), request, &response);
  EXPECT_EQ(status.error_code(), UNAUTH);
  EXPECT_THAT(status.error_message(), HasSubstr("authorization: Bearer"));
  status = burden_->GetBurdenSummary(As("forged").get(), request, &response);
  EXPECT_THAT(status.error_message(), HasSubstr("the token is not known"));

  // A stream that slips in another municipality's report is refused whole:
  // nothing of it is acknowledged, and the report never counts.
  auto context = As("m0180");
  v1::SubmitReportsResponse streamed;
  auto writer = intake_->SubmitReports(context.get(), &streamed);
  v1::SubmitReportsRequest message;
  *message.mutable_report() = Report("mine", "0180");
  writer->Write(message);
  *message.mutable_report() = Report("theirs", "1283");
  writer->Write(message);
  writer->WritesDone();
  status = writer->Finish();
  EXPECT_EQ(status.error_code(), DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("for municipality \"1283\""));
  request.set_municipality_code("1283");
  ASSERT_TRUE(burden_->GetBurdenSummary(As("arena").get(), request, &response).ok());
  EXPECT_EQ(response.totals().reports(), 0);
}

// A malformed authorization header is UNAUTHENTICATED saying what is wrong
// with it, counted and logged, and neither the answer nor the log quotes it.
TEST_F(AccessTest, MalformedAuthorizationHeadersAreRefusedWithoutQuotingThem) {
  const double before = RefusedCalls(this, "UNAUTHENTICATED");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Basic secret-basic-credentials", "expected \"Bearer <token>\""},
      {"Bearer", "expected \"Bearer <token>\""},
      {"Bearer    ", "the token is empty"},
      {"Bearer secret-first-half secret-second-half", "printable ASCII without spaces"},
      // A known token, then more: not that token.
      {"Bearer " + kTokens.at("admin") + " secret-suffix", "printable ASCII without spaces"},
  };
  for (const auto& [value, reason] : cases) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    context.AddMetadata("authorization", value);
    v1::ListDutiesResponse response;
    const grpc::Status status = duties_->ListDuties(&context, {}, &response);
    EXPECT_EQ(status.error_code(), UNAUTH) << value;
    EXPECT_THAT(status.error_message(), ::testing::StartsWith("authorization: ")) << value;
    EXPECT_THAT(status.error_message(), HasSubstr(reason)) << value;
    EXPECT_THAT(status.error_message(), Not(HasSubstr("secret"))) << value;
  }
  // The scheme in any case, with blanks around the token, is taken.
  grpc::ClientContext context;
  context.AddMetadata("authorization", "bEARER   " + kTokens.at("m0180") + "  ");
  v1::ListDutiesResponse response;
  EXPECT_TRUE(duties_->ListDuties(&context, {}, &response).ok());
  EXPECT_EQ(RefusedCalls(this, "UNAUTHENTICATED") - before, cases.size());
  EXPECT_THAT(server_->Log(), Not(HasSubstr("secret")));
  EXPECT_THAT(server_->Log(), Not(HasSubstr(kTokens.at("admin"))));
}

TEST_F(AccessTest, TokensAreReReadOnSighupAndABrokenFileKeepsTheOldOnes) {
  auto m1283_summary = [&] {
    v1::GetBurdenSummaryRequest request;
    request.set_group_by(v1::GROUP_BY_DUTY);
    request.set_municipality_code("1283");
    v1::GetBurdenSummaryResponse response;
    return burden_->GetBurdenSummary(As("m1283").get(), request, &response).error_code();
  };
  ASSERT_EQ(m1283_summary(), OK);

  // 1283's token is withdrawn.
  auto without = kTokens;
  without.erase("m1283");
  WriteFile(tokens_path_, TokensFile(without));
  server_->Signal(SIGHUP);
  ASSERT_TRUE(server_->WaitForLog("event=tokens_reloaded tokens=5")) << server_->Log();
  EXPECT_EQ(m1283_summary(), UNAUTH);

  // A broken file is refused, and the five tokens stay in use.
  WriteFile(tokens_path_, TokensFile(kTokens) + "not a token line at all\n");
  server_->Signal(SIGHUP);
  ASSERT_TRUE(server_->WaitForLog("event=tokens_reload_failed")) << server_->Log();
  EXPECT_THAT(server_->Log(), HasSubstr(tokens_path_ + ":8: expected"));
  EXPECT_EQ(m1283_summary(), UNAUTH);
  v1::ListDutiesResponse listed;
  EXPECT_TRUE(duties_->ListDuties(As("m0180").get(), {}, &listed).ok());
}

TEST_F(AccessTest, UnknownMethodsExpiredDeadlinesAndCancelledStreams) {
  // An unknown method of a known service: UNIMPLEMENTED.
  grpc::GenericStub generic(channel_);
  grpc::ByteBuffer request_buffer, response_buffer;
  grpc::Slice empty("");
  request_buffer = grpc::ByteBuffer(&empty, 1);
  auto context = As("admin");
  std::promise<grpc::Status> done;
  generic.UnaryCall(context.get(), "/inrapport.v1.ReportIntake/DeleteEverything",
                    grpc::StubOptions(), &request_buffer, &response_buffer,
                    [&](grpc::Status s) { done.set_value(s); });
  EXPECT_EQ(done.get_future().get().error_code(), Code::UNIMPLEMENTED);

  // A deadline already past: DEADLINE_EXCEEDED, and nothing is stored.
  v1::SubmitReportRequest submit;
  *submit.mutable_report() = Report("late", "0180");
  v1::SubmitReportResponse submitted;
  grpc::ClientContext late;
  late.AddMetadata("authorization", "Bearer " + kTokens.at("m0180"));
  late.set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  EXPECT_EQ(intake_->SubmitReport(&late, submit, &submitted).error_code(),
            Code::DEADLINE_EXCEEDED);

  // A stream cancelled before it is closed stores none of its reports.
  auto stream_context = As("m0180");
  v1::SubmitReportsResponse streamed;
  auto writer = intake_->SubmitReports(stream_context.get(), &streamed);
  for (int i = 0; i < 100; ++i) {
    v1::SubmitReportsRequest message;
    *message.mutable_report() = Report("c" + std::to_string(i), "0180");
    ASSERT_TRUE(writer->Write(message));
  }
  stream_context->TryCancel();
  EXPECT_EQ(writer->Finish().error_code(), Code::CANCELLED);

  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  v1::GetBurdenSummaryRequest summary;
  summary.set_group_by(v1::GROUP_BY_DUTY);
  v1::GetBurdenSummaryResponse totals;
  ASSERT_TRUE(burden_->GetBurdenSummary(As("arena").get(), summary, &totals).ok());
  EXPECT_EQ(totals.totals().reports(), 0);
}

// How many SubmitReports calls the server has finished (any code).
int64_t FinishedStreams(const ServerProcess& server) {
  const std::string metrics = testing::HttpGet(server.metrics_port(), "/metrics");
  int64_t finished = 0;
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("grpc_server_handled_total{", 0) == 0 &&
        line.find("grpc_method=\"SubmitReports\"") != std::string::npos) {
      finished += static_cast<int64_t>(std::stod(line.substr(line.rfind(' ') + 1)));
    }
  }
  return finished;
}

// Waits until the server has finished `count` streams: then every batch
// it handed to the store has its answer, and no more can be committed.
bool WaitForFinishedStreams(const ServerProcess& server, int64_t count) {
  for (int i = 0; i < 600 && FinishedStreams(server) < count; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return FinishedStreams(server) >= count;
}

// The reports of 0180 the server counts.
int64_t CountedReports(AccessTest* t) {
  v1::GetBurdenSummaryRequest request;
  request.set_group_by(v1::GROUP_BY_DUTY);
  request.set_municipality_code("0180");
  v1::GetBurdenSummaryResponse response;
  const grpc::Status status =
      t->burden_->GetBurdenSummary(t->As("arena").get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.totals().reports();
}

// Resubmits reports c<0>..c<total-1> on fresh streams; returns what they
// answered (accepted, duplicate).
std::pair<int64_t, int64_t> Resubmit(AccessTest* t, const std::string& prefix, int total) {
  int64_t accepted = 0, duplicate = 0;
  constexpr int kPerStream = 10000;
  for (int from = 0; from < total; from += kPerStream) {
    auto context = t->As("m0180");
    v1::SubmitReportsResponse response;
    auto writer = t->intake_->SubmitReports(context.get(), &response);
    for (int i = from; i < std::min(total, from + kPerStream); ++i) {
      v1::SubmitReportsRequest message;
      *message.mutable_report() = Report(prefix + std::to_string(i), "0180");
      if (!writer->Write(message)) break;
    }
    writer->WritesDone();
    const grpc::Status status = writer->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.rejected(), 0);
    accepted += response.accepted();
    duplicate += response.duplicate();
  }
  return {accepted, duplicate};
}

// A long stream cancelled midway: whole batches that reached the store
// before the cancellation are kept; no batch read but not yet begun by the
// store is committed after it; a retry of everything counts each report
// once.
TEST_F(AccessTest, ACancelledLongStreamCommitsNothingAfterTheCancellation) {
  constexpr int kTotal = 20000;
  constexpr int kCancelAfter = 14000;  // three batches of 4096 read, and more
  {
    auto context = As("m0180");
    v1::SubmitReportsResponse response;
    auto writer = intake_->SubmitReports(context.get(), &response);
    for (int i = 0; i < kCancelAfter; ++i) {
      v1::SubmitReportsRequest message;
      *message.mutable_report() = Report("long" + std::to_string(i), "0180");
      ASSERT_TRUE(writer->Write(message)) << i;
    }
    context->TryCancel();
    EXPECT_EQ(writer->Finish().error_code(), Code::CANCELLED);
  }
  ASSERT_TRUE(WaitForFinishedStreams(*server_, 1)) << server_->Log();
  const int64_t at_cancel = CountedReports(this);
  // Only whole batches, only of what was sent before the cancellation.
  EXPECT_EQ(at_cancel % 4096, 0) << at_cancel;
  EXPECT_LT(at_cancel, kCancelAfter);
  // Nothing is committed later.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(CountedReports(this), at_cancel);

  const auto [accepted, duplicate] = Resubmit(this, "long", kTotal);
  EXPECT_EQ(duplicate, at_cancel);
  EXPECT_EQ(accepted, kTotal - at_cancel);
  EXPECT_EQ(CountedReports(this), kTotal);
  std::cout << "cancelled after " << kCancelAfter << " reports: " << at_cancel
            << " were committed\n";
}

// The sum of the server's counter lines that start with `prefix` and
// contain `label`.
double MetricSum(const ServerProcess& server, const std::string& prefix,
                 const std::string& label) {
  const std::string metrics = testing::HttpGet(server.metrics_port(), "/metrics");
  double sum = 0;
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) == 0 && line.find(label) != std::string::npos) {
      sum += std::stod(line.substr(line.rfind(' ') + 1));
    }
  }
  return sum;
}

// Another process's write transaction on the database, as a maintenance
// tool's would be: the store's writer waits for it in BEGIN (up to its busy
// timeout, 5 s), and the batches behind wait in the store's queue.
class WriteLock {
 public:
  explicit WriteLock(const std::string& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
  }
  ~WriteLock() { Release(); }
  void Release() {
    if (db_ == nullptr) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Cancelled while the store is held up: the batch the store had begun is
// committed, the two it had queued are withdrawn, and nothing else of the
// stream is ever stored.
TEST_F(AccessTest, BatchesTheStoreHadNotBegunAreWithdrawnWhenTheStreamIsCancelled) {
  constexpr int kBatch = 4096;
  constexpr int kSent = 3 * kBatch + 200;  // three batches in flight, and more
  constexpr int kTotal = 20000;
  const auto held_since = std::chrono::steady_clock::now();
  WriteLock lock(dir_.path() + "/inrapport.db");
  {
    auto context = As("m0180");
    v1::SubmitReportsResponse response;
    auto writer = intake_->SubmitReports(context.get(), &response);
    for (int i = 0; i < kSent; ++i) {
      v1::SubmitReportsRequest message;
      *message.mutable_report() = Report("held" + std::to_string(i), "0180");
      ASSERT_TRUE(writer->Write(message)) << i;
    }
    // The server has read three batches (and then stops reading: three
    // are in flight).
    for (int i = 0; i < 200 && MetricSum(*server_, "grpc_server_msg_received_total{",
                                         "grpc_method=\"SubmitReports\"") < 3 * kBatch;
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    context->TryCancel();
    EXPECT_EQ(writer->Finish().error_code(), Code::CANCELLED);
  }
  // Held for less than the store's lock timeout, so the first batch waited
  // in BEGIN and is then committed.
  ASSERT_LT(std::chrono::steady_clock::now() - held_since, std::chrono::seconds(kLockTimeoutSeconds - 10));
  lock.Release();
  ASSERT_TRUE(WaitForFinishedStreams(*server_, 1)) << server_->Log();

  EXPECT_EQ(CountedReports(this), kBatch);
  // At least the second batch was handed over and withdrawn (the third too
  // unless the cancellation came before it was handed over).
  const double withdrawn = MetricSum(*server_, "inrapport_report_rejections_total{",
                                     "code=\"CANCELLED\"");
  EXPECT_GE(withdrawn, kBatch);
  EXPECT_LE(withdrawn, 2 * kBatch);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(CountedReports(this), kBatch);

  const auto [accepted, duplicate] = Resubmit(this, "held", kTotal);
  EXPECT_EQ(duplicate, kBatch);
  EXPECT_EQ(accepted, kTotal - kBatch);
  EXPECT_EQ(CountedReports(this), kTotal);
}

// A stream whose deadline passes while the client still writes ends with
// DEADLINE_EXCEEDED. The store is held up meanwhile (another process's
// write lock), so three batches are in flight when the deadline passes:
// only the one the store had begun is committed; the ones it had queued,
// and everything read after the deadline, are not.
TEST_F(AccessTest, AStreamPastItsDeadlineCommitsNothingAfterIt) {
  constexpr int kBatch = 4096;
  constexpr int kFast = 3 * kBatch + 200;
  int written = 0;
  grpc::Status status;
  const auto held_since = std::chrono::steady_clock::now();
  WriteLock lock(dir_.path() + "/inrapport.db");
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + kTokens.at("m0180"));
    // Long enough for the fast writes below on a loaded machine under a
    // sanitizer (about 12,000 reports take 2 s there).
    const auto deadline = std::chrono::system_clock::now() + std::chrono::seconds(8);
    context.set_deadline(deadline);
    v1::SubmitReportsResponse response;
    auto writer = intake_->SubmitReports(&context, &response);
    for (; written < kFast; ++written) {
      v1::SubmitReportsRequest message;
      *message.mutable_report() = Report("slow" + std::to_string(written), "0180");
      ASSERT_TRUE(writer->Write(message)) << written;
    }
    // Then slowly, until past the deadline.
    while (std::chrono::system_clock::now() < deadline + std::chrono::milliseconds(500)) {
      v1::SubmitReportsRequest message;
      *message.mutable_report() = Report("slow" + std::to_string(written), "0180");
      if (!writer->Write(message)) break;
      ++written;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    writer->WritesDone();
    status = writer->Finish();
  }
  EXPECT_EQ(status.error_code(), Code::DEADLINE_EXCEEDED) << status.error_message();
  // Held for less than the store's lock timeout: the first batch waited in
  // BEGIN, and is committed.
  ASSERT_LT(std::chrono::steady_clock::now() - held_since, std::chrono::seconds(kLockTimeoutSeconds - 10));
  lock.Release();
  ASSERT_TRUE(WaitForFinishedStreams(*server_, 1)) << server_->Log();

  EXPECT_EQ(CountedReports(this), kBatch);
  EXPECT_GE(MetricSum(*server_, "inrapport_report_rejections_total{", "code=\"CANCELLED\""),
            kBatch);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(CountedReports(this), kBatch);
  const auto [accepted, duplicate] = Resubmit(this, "slow", written);
  EXPECT_EQ(duplicate, kBatch);
  EXPECT_EQ(accepted, written - kBatch);
}

// A single report whose deadline passes while it waits behind a commit the
// store has begun is withdrawn: the caller gets DEADLINE_EXCEEDED and the
// report is not stored, so its retry is new, not a duplicate.
TEST_F(AccessTest, AReportPastItsDeadlineWhileQueuedIsNotStored) {
  const auto held_since = std::chrono::steady_clock::now();
  WriteLock lock(dir_.path() + "/inrapport.db");
  auto submit = [this](const std::string& id, std::chrono::milliseconds timeout) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + kTokens.at("m0180"));
    context.set_deadline(std::chrono::system_clock::now() + timeout);
    v1::SubmitReportRequest request;
    *request.mutable_report() = Report(id, "0180");
    v1::SubmitReportResponse response;
    return intake_->SubmitReport(&context, request, &response);
  };
  // The first report's commit waits in BEGIN for the lock.
  grpc::Status begun_status;
  std::thread begun([&] { begun_status = submit("begun", std::chrono::seconds(20)); });
  for (int i = 0; i < 200 && MetricSum(*server_, "grpc_server_started_total{",
                                       "grpc_method=\"SubmitReport\"") < 1;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));  // into BEGIN, even when slow
  const grpc::Status late = submit("late", std::chrono::milliseconds(500));
  EXPECT_EQ(late.error_code(), Code::DEADLINE_EXCEEDED) << late.error_message();
  // Released within the store's lock timeout: the begun commit completes,
  // and only then does the store come to the late report.
  ASSERT_LT(std::chrono::steady_clock::now() - held_since, std::chrono::seconds(kLockTimeoutSeconds - 10));
  lock.Release();
  begun.join();
  EXPECT_TRUE(begun_status.ok()) << begun_status.error_message();

  for (int i = 0; i < 200 && MetricSum(*server_, "inrapport_report_rejections_total{",
                                       "code=\"CANCELLED\"") < 1;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(MetricSum(*server_, "inrapport_report_rejections_total{", "code=\"CANCELLED\""), 1);
  EXPECT_EQ(CountedReports(this), 1);
  v1::SubmitReportResponse response;
  v1::SubmitReportRequest retry;
  *retry.mutable_report() = Report("late", "0180");
  ASSERT_TRUE(intake_->SubmitReport(As("m0180").get(), retry, &response).ok());
  EXPECT_FALSE(response.duplicate()) << "the late report was stored after its deadline";
  EXPECT_EQ(CountedReports(this), 2);
}

TEST_F(AccessTest, LimitsAnswerBeforeAnyWork) {
  // A message over the size limit: RESOURCE_EXHAUSTED from gRPC itself.
  v1::SubmitReportRequest big;
  *big.mutable_report() = Report("big", "0180");
  big.mutable_report()->set_comment(std::string(2 << 20, 'x'));
  v1::SubmitReportResponse response;
  EXPECT_EQ(intake_->SubmitReport(As("m0180").get(), big, &response).error_code(),
            Code::RESOURCE_EXHAUSTED);
  // A string over its limit, a page too large: INVALID_ARGUMENT naming the field.
  v1::SubmitReportRequest wordy;
  *wordy.mutable_report() = Report("wordy", "0180");
  wordy.mutable_report()->set_comment(std::string(5000, 'x'));
  grpc::Status status = intake_->SubmitReport(As("m0180").get(), wordy, &response);
  EXPECT_EQ(status.error_code(), Code::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("report.comment"));
  v1::ListDutiesRequest page;
  page.set_page_size(5000);
  v1::ListDutiesResponse listed;
  status = duties_->ListDuties(As("m0180").get(), page, &listed);
  EXPECT_EQ(status.error_code(), Code::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_size"));
  v1::CreateDutyRequest many;
  *many.mutable_duty() = Duty("many-items", "skolverket");
  for (int i = 0; i < 300; ++i) many.mutable_duty()->add_data_items("item_" + std::to_string(i));
  v1::ReportingDuty created;
  status = duties_->CreateDuty(As("admin").get(), many, &created);
  EXPECT_EQ(status.error_code(), Code::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("data_items"));
}

// Every filter string and page token has a length limit, checked after the
// caller is authenticated and before it is authorized: INVALID_ARGUMENT naming
// the field for any known caller, UNAUTHENTICATED (and counted) for a caller
// without valid credentials.
TEST_F(AccessTest, LongFilterStringsAndPageTokensAreRefusedNamingTheField) {
  const std::string long_id(65, 'a');
  const std::string long_token(513, 'A');
  struct Case {
    const char* field;
    std::function<grpc::Status(AccessTest*, const std::string& who)> run;
  };
  const std::vector<Case> cases = {
      {"agency_id",
       [&](AccessTest* t, const std::string& who) {
         v1::GetBurdenSummaryRequest request;
         request.set_group_by(v1::GROUP_BY_DUTY);
         request.set_agency_id(long_id);
         v1::GetBurdenSummaryResponse response;
         return t->burden_->GetBurdenSummary(t->As(who).get(), request, &response);
       }},
      {"municipality_code",
       [&](AccessTest* t, const std::string& who) {
         v1::GetBurdenSummaryRequest request;
         request.set_group_by(v1::GROUP_BY_DUTY);
         request.set_municipality_code(long_id);
         v1::GetBurdenSummaryResponse response;
         return t->burden_->GetBurdenSummary(t->As(who).get(), request, &response);
       }},
      {"period_to",
       [&](AccessTest* t, const std::string& who) {
         v1::GetBurdenSummaryRequest request;
         request.set_group_by(v1::GROUP_BY_DUTY);
         request.set_municipality_code("0180");
         request.set_period_to(long_id);
         v1::GetBurdenSummaryResponse response;
         return t->burden_->GetBurdenSummary(t->As(who).get(), request, &response);
       }},
      {"duty_id",
       [&](AccessTest* t, const std::string& who) {
         v1::GetCompletenessRequest request;
         request.set_period_from("2024");
         request.set_period_to("2024");
         request.set_duty_id(long_id);
         v1::GetCompletenessResponse response;
         return t->burden_->GetCompleteness(t->As(who).get(), request, &response);
       }},
      {"period_from",
       [&](AccessTest* t, const std::string& who) {
         v1::GetCompletenessRequest request;
         request.set_period_from(long_id);
         v1::GetCompletenessResponse response;
         return t->burden_->GetCompleteness(t->As(who).get(), request, &response);
       }},
      {"agency_id",
       [&](AccessTest* t, const std::string& who) {
         v1::ListFlaggedDutiesRequest request;
         request.set_agency_id(long_id);
         v1::ListFlaggedDutiesResponse response;
         return t->burden_->ListFlaggedDuties(t->As(who).get(), request, &response);
       }},
      {"agency_id",
       [&](AccessTest* t, const std::string& who) {
         v1::ListDutyAccountsRequest request;
         request.set_agency_id(long_id);
         v1::ListDutyAccountsResponse response;
         return t->burden_->ListDutyAccounts(t->As(who).get(), request, &response);
       }},
      {"page_token",
       [&](AccessTest* t, const std::string& who) {
         v1::ListDutyUsesRequest request;
         request.set_page_token(long_token);
         v1::ListDutyUsesResponse response;
         return t->duties_->ListDutyUses(t->As(who).get(), request, &response);
       }},
      {"municipality_code",
       [&](AccessTest* t, const std::string& who) {
         v1::ListDutyUsesRequest request;
         request.set_municipality_code(long_id);
         v1::ListDutyUsesResponse response;
         return t->duties_->ListDutyUses(t->As(who).get(), request, &response);
       }},
      {"page_token",
       [&](AccessTest* t, const std::string& who) {
         v1::ListDutiesRequest request;
         request.set_page_token(long_token);
         v1::ListDutiesResponse response;
         return t->duties_->ListDuties(t->As(who).get(), request, &response);
       }},
      {"id",
       [&](AccessTest* t, const std::string& who) {
         v1::GetDutyRequest request;
         request.set_id(long_id);
         v1::ReportingDuty response;
         return t->duties_->GetDuty(t->As(who).get(), request, &response);
       }},
      {"use.duty_id",
       [&](AccessTest* t, const std::string& who) {
         v1::RecordDutyUseRequest request;
         request.mutable_use()->set_duty_id(long_id);
         v1::RecordDutyUseResponse response;
         return t->duties_->RecordDutyUse(t->As(who).get(), request, &response);
       }},
      {"report.municipality_code",
       [&](AccessTest* t, const std::string& who) {
         v1::SubmitReportRequest request;
         *request.mutable_report() = Report("long-code", long_id);
         v1::SubmitReportResponse response;
         return t->intake_->SubmitReport(t->As(who).get(), request, &response);
       }},
      {"report.duty_id",
       [&](AccessTest* t, const std::string& who) {
         v1::SubmitReportRequest request;
         *request.mutable_report() = Report("long-duty", "0180", long_id);
         v1::SubmitReportResponse response;
         return t->intake_->SubmitReport(t->As(who).get(), request, &response);
       }},
  };
  for (const Case& c : cases) {
    for (const std::string who : {"admin", "m0180", "skolverket"}) {
      const grpc::Status status = c.run(this, who);
      EXPECT_EQ(status.error_code(), Code::INVALID_ARGUMENT) << c.field << " as " << who;
      EXPECT_THAT(status.error_message(), HasSubstr(std::string(c.field) + ": at most "))
          << who;
    }
  }
  // Without credentials the oversized field changes nothing: the call is
  // unauthenticated, and counted as a refusal like any other.
  const double unauthenticated_before = RefusedCalls(this, "UNAUTHENTICATED");
  for (const Case& c : cases) {
    for (const std::string who : {"none", "forged"}) {
      const grpc::Status status = c.run(this, who);
      EXPECT_EQ(status.error_code(), UNAUTH) << c.field << " as " << who;
      EXPECT_THAT(status.error_message(), Not(HasSubstr("at most"))) << c.field << " as " << who;
    }
  }
  EXPECT_EQ(RefusedCalls(this, "UNAUTHENTICATED") - unauthenticated_before, 2 * cases.size());
  // At the limit the field is taken (and the query answered).
  v1::ListDutyUsesRequest request;
  request.set_duty_id(std::string(64, 'a'));
  v1::ListDutyUsesResponse response;
  EXPECT_TRUE(duties_->ListDutyUses(As("admin").get(), request, &response).ok());
  // The oversized text never reaches a log line.
  EXPECT_THAT(server_->Log(), Not(HasSubstr(long_id)));
}

// A report's oversized strings are INVALID_ARGUMENT naming the field, in a
// call and in a stream, never NOT_FOUND or a refusal: a 5,000-byte duty id
// is no duty's id. In a stream only that report is rejected.
TEST_F(AccessTest, AReportsOversizedStringsAreInvalidInACallAndInAStream) {
  const std::string huge(5000, 'a');
  auto submit = [this](const v1::Report& report) {
    v1::SubmitReportRequest request;
    *request.mutable_report() = report;
    v1::SubmitReportResponse response;
    return intake_->SubmitReport(As("m0180").get(), request, &response);
  };
  v1::Report long_duty = Report("long-duty", "0180", huge);
  v1::Report long_submission = Report(huge, "0180");
  v1::Report long_period = Report("long-period", "0180");
  long_period.set_period(huge);
  for (const auto& [field, report] :
       {std::pair{"report.duty_id", long_duty}, {"report.submission_id", long_submission},
        {"report.period", long_period}}) {
    const grpc::Status status = submit(report);
    EXPECT_EQ(status.error_code(), Code::INVALID_ARGUMENT) << field << ": "
                                                           << status.error_message();
    EXPECT_THAT(status.error_message(), ::testing::StartsWith(std::string(field) + ":"));
    EXPECT_LT(status.error_message().size(), 300u) << field;
  }

  auto context = As("m0180");
  v1::SubmitReportsResponse response;
  auto writer = intake_->SubmitReports(context.get(), &response);
  for (const v1::Report& report :
       {Report("stream-1", "0180"), long_duty, long_submission, long_period,
        Report("stream-2", "0180")}) {
    v1::SubmitReportsRequest message;
    *message.mutable_report() = report;
    ASSERT_TRUE(writer->Write(message));
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.accepted(), 2);
  EXPECT_EQ(response.rejected(), 3);
  ASSERT_EQ(response.rejections_size(), 3);
  const std::vector<std::string> fields = {"report.duty_id", "report.submission_id",
                                           "report.period"};
  for (int i = 0; i < 3; ++i) {
    const v1::Rejection& rejection = response.rejections(i);
    EXPECT_EQ(rejection.index(), i + 1);
    EXPECT_EQ(rejection.code(), "INVALID_ARGUMENT") << rejection.message();
    EXPECT_THAT(rejection.message(), ::testing::StartsWith(fields[i] + ":"));
    EXPECT_LT(rejection.message().size(), 300u) << fields[i];
  }
  EXPECT_THAT(server_->Log(), Not(HasSubstr(huge)));
}

// A stream longer than --max_reports_per_stream is cut off with
// RESOURCE_EXHAUSTED; what it stored before is kept, and a retry of the
// whole stream on new streams counts every report once.
TEST(StreamLimitTest, ALongStreamIsCutOffAndItsRetryCountsOnce) {
  testing::TempDir dir;
  auto server = ServerProcess::Start(dir.path() + "/x.db", {"--max_reports_per_stream=5"});
  ASSERT_NE(server, nullptr);
  auto channel = grpc::CreateChannel(server->grpc_address(), grpc::InsecureChannelCredentials());
  auto duties = v1::DutyRegistry::NewStub(channel);
  auto intake = v1::ReportIntake::NewStub(channel);
  {
    grpc::ClientContext context;
    v1::CreateDutyRequest request;
    *request.mutable_duty() = Duty("sk-duty", "skolverket");
    v1::ReportingDuty created;
    ASSERT_TRUE(duties->CreateDuty(&context, request, &created).ok());
  }
  auto stream = [&](int from, int count) {
    grpc::ClientContext context;
    v1::SubmitReportsResponse response;
    auto writer = intake->SubmitReports(&context, &response);
    for (int i = from; i < from + count; ++i) {
      v1::SubmitReportsRequest message;
      *message.mutable_report() = Report("r" + std::to_string(i), "0180");
      if (!writer->Write(message)) break;
    }
    writer->WritesDone();
    return std::make_pair(writer->Finish(), response);
  };
  const auto [cut, ignored] = stream(0, 8);
  EXPECT_EQ(cut.error_code(), Code::RESOURCE_EXHAUSTED);
  EXPECT_THAT(cut.error_message(), HasSubstr("at most 5 reports"));
  const auto [first, first_counts] = stream(0, 5);
  const auto [second, second_counts] = stream(5, 3);
  ASSERT_TRUE(first.ok() && second.ok()) << first.error_message() << second.error_message();
  EXPECT_EQ(first_counts.accepted() + first_counts.duplicate(), 5);
  EXPECT_EQ(first_counts.accepted() + second_counts.accepted(), 8);
}

// Without credentials configured the server serves loopback only.
TEST(LoopbackTest, ServingOthersWithoutAuthenticationNeedsToBeAskedFor) {
  testing::TempDir dir;
  int status = 0;
  const std::string log = testing::RunServerExpectingFailure(
      dir.path() + "/x.db", {"--listen=0.0.0.0:0"}, &status);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_THAT(log, HasSubstr("--listen: 0.0.0.0:0 is not a loopback address"));
  EXPECT_THAT(log, HasSubstr("--allow_unauthenticated"));

  auto server = ServerProcess::Start(dir.path() + "/x.db",
                                     {"--listen=0.0.0.0:0", "--allow_unauthenticated"});
  ASSERT_NE(server, nullptr);
  EXPECT_THAT(server->Log(), HasSubstr("level=warn event=unauthenticated"));
}

// The unauthenticated warning is logged just after the ports: waits for it.
bool LogsUnauthenticatedWarning(const ServerProcess& server) {
  return server.WaitForLog("level=warn event=unauthenticated");
}

// Loopback is an address in 127.0.0.0/8, ::1 or "localhost"; a host name
// that only looks like one is not.
TEST(LoopbackTest, OnlyLoopbackAddressesAreLoopback) {
  testing::TempDir dir;
  for (const std::string listen :
       {"127.example.org:0", "127.0.0.1.example.org:0", "localhost.example.org:0", "[::]:0",
        "128.0.0.1:0"}) {
    int status = 0;
    const std::string log = testing::RunServerExpectingFailure(
        dir.path() + "/x.db", {"--listen=" + listen}, &status);
    ASSERT_TRUE(WIFEXITED(status)) << listen;
    EXPECT_EQ(WEXITSTATUS(status), 1) << listen;
    EXPECT_THAT(log, HasSubstr("--listen: " + listen + " is not a loopback address")) << listen;
  }
  // Any address of 127.0.0.0/8 is loopback.
  auto server = ServerProcess::Start(dir.path() + "/x.db", {"--listen=127.0.0.2:0"});
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(LogsUnauthenticatedWarning(*server)) << server->Log();
}

// The default start (loopback, no credentials) serves, and says that every
// caller is the administrator.
TEST(LoopbackTest, ADefaultStartWithoutCredentialsWarns) {
  testing::TempDir dir;
  auto server = ServerProcess::Start(dir.path() + "/x.db");
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(LogsUnauthenticatedWarning(*server)) << server->Log();
  EXPECT_THAT(server->Log(), HasSubstr("every caller is the administrator"));
}

// Certificates made with openssl for one test: CAs, a server certificate
// for 127.0.0.1 and client certificates.
class Pki {
 public:
  explicit Pki(const std::string& dir) : d_(dir) {}

  // A self-signed CA `name` (files name.pem, name.key).
  bool Ca(const std::string& name) {
    return Openssl("req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=" + name + "-ca" +
                   " -keyout " + Path(name + ".key") + " -out " + Path(name + ".pem"));
  }
  // A certificate `name` (name.pem, name.key) with common name `cn`, signed
  // by CA `ca`; `ext` is an extension line ("" for none).
  bool Certificate(const std::string& name, const std::string& cn, const std::string& ca,
                   const std::string& ext = "") {
    std::string sign = "x509 -req -days 1 -in " + Path(name + ".csr") + " -CA " +
                       Path(ca + ".pem") + " -CAkey " + Path(ca + ".key") +
                       " -CAcreateserial -out " + Path(name + ".pem");
    if (!ext.empty()) {
      WriteFile(Path(name + ".ext"), ext + "\n");
      sign += " -extfile " + Path(name + ".ext");
    }
    return Openssl("req -newkey rsa:2048 -nodes -subj '/CN=" + cn + "' -keyout " +
                   Path(name + ".key") + " -out " + Path(name + ".csr")) &&
           Openssl(sign);
  }
  bool Server(const std::string& ca) {
    return Certificate("server", "localhost", ca, "subjectAltName=IP:127.0.0.1,DNS:localhost");
  }
  std::string Path(const std::string& file) const { return d_ + "/" + file; }

  // A TLS channel trusting CA `ca`, presenting client certificate `client`
  // ("" for none).
  std::shared_ptr<grpc::Channel> Channel(const std::string& address, const std::string& ca,
                                         const std::string& client = "") const {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadFile(Path(ca + ".pem"));
    if (!client.empty()) {
      ssl.pem_private_key = ReadFile(Path(client + ".key"));
      ssl.pem_cert_chain = ReadFile(Path(client + ".pem"));
    }
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    // Each channel its own connection: certificates differ per channel.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel(address, grpc::SslCredentials(ssl), args);
  }

 private:
  static bool Openssl(const std::string& args) {
    return std::system(("openssl " + args + " >/dev/null 2>&1").c_str()) == 0;
  }
  std::string d_;
};

grpc::Status Summary(v1::BurdenQuery::Stub& burden, const std::string& municipality,
                     const std::string& agency = "", const std::string& token = "") {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  v1::GetBurdenSummaryRequest request;
  request.set_group_by(v1::GROUP_BY_DUTY);
  request.set_municipality_code(municipality);
  request.set_agency_id(agency);
  v1::GetBurdenSummaryResponse response;
  return burden.GetBurdenSummary(&context, request, &response);
}

// Mutual TLS: a verified client certificate's common name is the caller.
TEST(MutualTlsTest, TheClientCertificateNamesTheCaller) {
  testing::TempDir dir;
  Pki pki(dir.path());
  ASSERT_TRUE(pki.Ca("ca") && pki.Server("ca"));
  ASSERT_TRUE(pki.Certificate("client", "municipality:0180", "ca"));

  auto server = ServerProcess::Start(
      pki.Path("x.db"), {"--tls_cert=" + pki.Path("server.pem"),
                         "--tls_key=" + pki.Path("server.key"),
                         "--tls_client_ca=" + pki.Path("ca.pem")});
  ASSERT_NE(server, nullptr);

  auto municipality = v1::BurdenQuery::NewStub(pki.Channel(server->grpc_address(), "ca", "client"));
  EXPECT_EQ(Summary(*municipality, "0180").error_code(), OK);
  EXPECT_EQ(Summary(*municipality, "1283").error_code(), DENIED);
  auto anonymous = v1::BurdenQuery::NewStub(pki.Channel(server->grpc_address(), "ca"));
  grpc::Status status = Summary(*anonymous, "0180");
  EXPECT_EQ(status.error_code(), UNAUTH);
  EXPECT_THAT(status.error_message(), HasSubstr("client certificate"));
  // Plaintext to a TLS port never reaches a handler.
  auto plaintext = v1::BurdenQuery::NewStub(
      grpc::CreateChannel(server->grpc_address(), grpc::InsecureChannelCredentials()));
  EXPECT_EQ(Summary(*plaintext, "0180").error_code(), Code::UNAVAILABLE);
}

// One call of each kind by each kind of principal, named by certificate
// instead of token: the same answers as the token matrix.
TEST(MutualTlsTest, EveryKindOfCallerByCertificate) {
  testing::TempDir dir;
  Pki pki(dir.path());
  ASSERT_TRUE(pki.Ca("ca") && pki.Server("ca"));
  const std::vector<std::string> callers = {"m0180", "skolverket", "arena", "admin"};
  for (const std::string& who : callers) {
    ASSERT_TRUE(pki.Certificate(who, kPrincipals.at(who), "ca")) << who;
  }
  auto server = ServerProcess::Start(
      pki.Path("x.db"), {"--tls_cert=" + pki.Path("server.pem"),
                         "--tls_key=" + pki.Path("server.key"),
                         "--tls_client_ca=" + pki.Path("ca.pem")});
  ASSERT_NE(server, nullptr);

  std::map<std::string, std::shared_ptr<grpc::Channel>> channels;
  for (const std::string& who : callers) {
    channels[who] = pki.Channel(server->grpc_address(), "ca", who);
  }
  auto context = [] {
    auto c = std::make_unique<grpc::ClientContext>();
    c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return c;
  };
  {
    v1::CreateDutyRequest request;
    *request.mutable_duty() = Duty("sk-duty", "skolverket");
    v1::ReportingDuty created;
    ASSERT_TRUE(v1::DutyRegistry::NewStub(channels["admin"])
                    ->CreateDuty(context().get(), request, &created)
                    .ok());
  }
  int counter = 0;
  struct Row {
    const char* call;
    std::function<Code(const std::shared_ptr<grpc::Channel>&)> run;
    std::vector<Code> expected;  // m0180, skolverket, arena, admin
  };
  const std::vector<Row> rows = {
      {"CreateDuty of skolverket",
       [&](const std::shared_ptr<grpc::Channel>& channel) {
         v1::CreateDutyRequest request;
         *request.mutable_duty() = Duty("sk-" + std::to_string(++counter), "skolverket");
         v1::ReportingDuty response;
         return v1::DutyRegistry::NewStub(channel)
             ->CreateDuty(context().get(), request, &response)
             .error_code();
       },
       {DENIED, DENIED, DENIED, OK}},
      {"ProposeDuty of skolverket",
       [&](const std::shared_ptr<grpc::Channel>& channel) {
         v1::ProposeDutyRequest request;
         *request.mutable_duty() = Duty("sk-" + std::to_string(++counter), "skolverket");
         v1::ProposeDutyResponse response;
         return v1::DutyGateway::NewStub(channel)
             ->ProposeDuty(context().get(), request, &response)
             .error_code();
       },
       {DENIED, OK, DENIED, OK}},
      {"ListDuties",
       [&](const std::shared_ptr<grpc::Channel>& channel) {
         v1::ListDutiesResponse response;
         return v1::DutyRegistry::NewStub(channel)
             ->ListDuties(context().get(), {}, &response)
             .error_code();
       },
       {OK, OK, OK, OK}},
      {"SubmitReport for 0180",
       [&](const std::shared_ptr<grpc::Channel>& channel) {
         v1::SubmitReportRequest request;
         *request.mutable_report() = Report("r-" + std::to_string(++counter), "0180");
         v1::SubmitReportResponse response;
         return v1::ReportIntake::NewStub(channel)
             ->SubmitReport(context().get(), request, &response)
             .error_code();
       },
       {OK, DENIED, DENIED, OK}},
      {"GetBurdenSummary of municipality 0180",
       [&](const std::shared_ptr<grpc::Channel>& channel) {
         return Summary(*v1::BurdenQuery::NewStub(channel), "0180").error_code();
       },
       {OK, DENIED, OK, OK}},
      {"GetBurdenSummary of skolverket's duties",
       [&](const std::shared_ptr<grpc::Channel>& channel) {
         return Summary(*v1::BurdenQuery::NewStub(channel), "", "skolverket").error_code();
       },
       {DENIED, OK, OK, OK}},
      {"GetArenaReport",
       [&](const std::shared_ptr<grpc::Channel>& channel) {
         v1::GetArenaReportResponse response;
         return v1::BurdenQuery::NewStub(channel)
             ->GetArenaReport(context().get(), {}, &response)
             .error_code();
       },
       {DENIED, DENIED, OK, OK}},
  };
  for (const Row& row : rows) {
    for (size_t i = 0; i < callers.size(); ++i) {
      EXPECT_EQ(row.run(channels[callers[i]]), row.expected[i]) << row.call << " as " << callers[i];
    }
  }
}

// A certificate signed by a CA the server does not trust is refused in the
// handshake; one whose common name is no principal is UNAUTHENTICATED,
// saying why.
TEST(MutualTlsTest, UntrustedCertificatesAndUnknownNamesAreRefused) {
  testing::TempDir dir;
  Pki pki(dir.path());
  ASSERT_TRUE(pki.Ca("ca") && pki.Ca("other") && pki.Server("ca"));
  ASSERT_TRUE(pki.Certificate("stranger", "municipality:0180", "other"));
  ASSERT_TRUE(pki.Certificate("nobody", "somebody-else", "ca"));
  ASSERT_TRUE(pki.Certificate("nowhere", "municipality:9999", "ca"));
  auto server = ServerProcess::Start(
      pki.Path("x.db"), {"--tls_cert=" + pki.Path("server.pem"),
                         "--tls_key=" + pki.Path("server.key"),
                         "--tls_client_ca=" + pki.Path("ca.pem")});
  ASSERT_NE(server, nullptr);

  auto stranger = v1::BurdenQuery::NewStub(pki.Channel(server->grpc_address(), "ca", "stranger"));
  EXPECT_EQ(Summary(*stranger, "0180").error_code(), Code::UNAVAILABLE);
  for (const std::string who : {"nobody", "nowhere"}) {
    auto stub = v1::BurdenQuery::NewStub(pki.Channel(server->grpc_address(), "ca", who));
    const grpc::Status status = Summary(*stub, "0180");
    EXPECT_EQ(status.error_code(), UNAUTH) << who;
    EXPECT_THAT(status.error_message(), HasSubstr("the client certificate's common name"))
        << who;
  }
  EXPECT_THAT(server->Log(), HasSubstr("event=refused"));
}

// TLS without client certificates: a bearer token names the caller, and
// without a tokens file the server serves (loopback only) as before.
TEST(TlsTest, BearerTokensOverTlsAndTlsWithoutCredentials) {
  testing::TempDir dir;
  Pki pki(dir.path());
  ASSERT_TRUE(pki.Ca("ca") && pki.Server("ca"));
  WriteFile(pki.Path("tokens"), TokensFile(kTokens));
  const std::vector<std::string> tls = {"--tls_cert=" + pki.Path("server.pem"),
                                        "--tls_key=" + pki.Path("server.key")};
  {
    std::vector<std::string> args = tls;
    args.push_back("--tokens_file=" + pki.Path("tokens"));
    auto server = ServerProcess::Start(pki.Path("x.db"), args);
    ASSERT_NE(server, nullptr);
    auto stub = v1::BurdenQuery::NewStub(pki.Channel(server->grpc_address(), "ca"));
    EXPECT_EQ(Summary(*stub, "0180", "", kTokens.at("m0180")).error_code(), OK);
    EXPECT_EQ(Summary(*stub, "1283", "", kTokens.at("m0180")).error_code(), DENIED);
    EXPECT_EQ(Summary(*stub, "0180").error_code(), UNAUTH);
    EXPECT_EQ(Summary(*stub, "0180", "", "not-a-token-anyone-was-given").error_code(), UNAUTH);
  }
  {
    auto server = ServerProcess::Start(pki.Path("y.db"), tls);
    ASSERT_NE(server, nullptr);
    auto stub = v1::BurdenQuery::NewStub(pki.Channel(server->grpc_address(), "ca"));
    EXPECT_EQ(Summary(*stub, "").error_code(), OK);  // every caller is the administrator
    EXPECT_TRUE(LogsUnauthenticatedWarning(*server)) << server->Log();
  }
}

}  // namespace
}  // namespace inrapport
