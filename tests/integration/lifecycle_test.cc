// The consultation gateway through the running server, with the principals
// it involves, on both stores: an agency proposes a duty that asks for data
// another agency already collects, the municipalities answer during the
// consultation, the arena approves it once the consultation has closed; the
// duty expires unless renewed, and the arena withdraws a duty in force. The
// server's --today moves the date between restarts. SQLite, and PostgreSQL
// on a temporary server.
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/token_file.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/duty_gateway.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/postgres_server.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using testing::ServerProcess;
using Code = grpc::StatusCode;

const std::map<std::string, std::string> kTokens = {
    {"municipality:0180", "t-0180"}, {"municipality:1283", "t-1283"},
    {"agency:skolverket", "t-skolverket"}, {"agency:scb", "t-scb"},
    {"arena", "t-arena"}, {"admin", "t-admin"},
};

class LifecycleTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    store_ = dir_.path() + "/inrapport.db";
    if (std::string(GetParam()) == "postgresql") {
      std::string why;
      store_ = testing::PostgresServer::NewSharedDatabase(&why);
      ASSERT_FALSE(store_.empty()) << why;
    }
    std::string tokens = "# principal tokens\n";
    for (const auto& [principal, token] : kTokens) {
      absl::StrAppend(&tokens, Sha256Hex(token), " ", principal, "\n");
    }
    tokens_path_ = dir_.path() + "/tokens";
    std::ofstream(tokens_path_) << tokens;
  }

  void Start(const std::string& today) {
    server_.reset();
    server_ = ServerProcess::Start(
        store_, {"--tokens_file=" + tokens_path_, "--today=" + today,
                 "--estimate_min_municipalities=2"});
    ASSERT_NE(server_, nullptr);
    auto channel =
        grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials());
    duties_ = v1::DutyRegistry::NewStub(channel);
    gateway_ = v1::DutyGateway::NewStub(channel);
    intake_ = v1::ReportIntake::NewStub(channel);
  }

  std::unique_ptr<grpc::ClientContext> As(const std::string& principal) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    context->AddMetadata("authorization", "Bearer " + kTokens.at(principal));
    return context;
  }

  static v1::ReportingDuty Duty(const std::string& id, const std::string& agency,
                                const std::vector<std::string>& items) {
    v1::ReportingDuty duty;
    duty.set_id(id);
    duty.set_agency_id(agency);
    duty.set_title("Uppgiftskrav " + id);
    duty.set_legal_basis("Skollagen (2010:800) 26 kap. 25 §");
    duty.set_purpose("Underlag för den officiella statistiken om skolan.");
    duty.set_sector(v1::SECTOR_SCHOOL);
    duty.set_frequency(v1::FREQUENCY_ANNUAL);
    for (const std::string& item : items) duty.add_data_items(item);
    return duty;
  }

  grpc::Status Submit(const std::string& principal, const std::string& id,
                      const std::string& municipality, const std::string& duty,
                      const std::string& period, int minutes) {
    v1::SubmitReportRequest request;
    v1::Report* report = request.mutable_report();
    report->set_submission_id(id);
    report->set_municipality_code(municipality);
    report->set_duty_id(duty);
    report->set_period(period);
    report->set_minutes_spent(minutes);
    v1::SubmitReportResponse response;
    return intake_->SubmitReport(As(principal).get(), request, &response);
  }

  grpc::Status Decide(const std::string& principal, const std::string& duty,
                      v1::DecisionKind kind, const std::string& reason,
                      v1::DecideDutyResponse* response) {
    v1::DecideDutyRequest request;
    request.mutable_decision()->set_duty_id(duty);
    request.mutable_decision()->set_kind(kind);
    request.mutable_decision()->set_reason(reason);
    return gateway_->DecideDuty(As(principal).get(), request, response);
  }

  v1::ReportingDuty Get(const std::string& id) {
    v1::GetDutyRequest request;
    request.set_id(id);
    v1::ReportingDuty duty;
    EXPECT_TRUE(duties_->GetDuty(As("arena").get(), request, &duty).ok());
    return duty;
  }

  testing::TempDir dir_;
  std::string store_;
  std::string tokens_path_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::DutyRegistry::Stub> duties_;
  std::unique_ptr<v1::DutyGateway::Stub> gateway_;
  std::unique_ptr<v1::ReportIntake::Stub> intake_;
};

TEST_P(LifecycleTest, AProposalIsConsultedOnDecidedAndExpiresUnlessRenewed) {
  ASSERT_NO_FATAL_FAILURE(Start("2027-03-01"));
  // In force: SCB's school survey, measured in nine municipalities
  // (60, 90 and 120 minutes, three times: a mean of 90 minutes a report).
  {
    v1::CreateDutyRequest create;
    *create.mutable_duty() =
        Duty("scb-skolenkat", "scb", {"elevantal", "franvaro_timmar", "skolenhet"});
    v1::ReportingDuty created;
    ASSERT_TRUE(duties_->CreateDuty(As("admin").get(), create, &created).ok());
    EXPECT_EQ(created.state(), v1::DUTY_STATE_IN_FORCE);
  }
  // One municipality of each of SKR's nine groups, so that the national
  // estimate covers them all.
  const std::vector<std::string> one_per_group = {"0180", "0114", "0181", "0140", "0382",
                                                  "0188", "0428", "0662", "0885"};
  for (size_t i = 0; i < one_per_group.size(); ++i) {
    const std::string& code = one_per_group[i];
    ASSERT_TRUE(Submit(code == "0180" ? "municipality:0180" : "admin", "e-" + code, code,
                       "scb-skolenkat", "2025", 60 + 30 * static_cast<int>(i % 3))
                    .ok());
  }

  // Skolverket proposes a duty asking for two of SCB's items, with no
  // purpose stated; a municipality may not propose.
  v1::ProposeDutyRequest propose;
  *propose.mutable_duty() = Duty("sk-franvaro", "skolverket", {"franvaro_timmar", "skolenhet"});
  propose.mutable_duty()->set_purpose("");
  propose.mutable_duty()->set_estimated_minutes_per_report(30);
  propose.set_reason("Regeringsuppdrag om skolfrånvaro");
  v1::ProposeDutyResponse proposed;
  EXPECT_EQ(gateway_->ProposeDuty(As("municipality:0180").get(), propose, &proposed).error_code(),
            Code::PERMISSION_DENIED);
  grpc::Status status = gateway_->ProposeDuty(As("agency:skolverket").get(), propose, &proposed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(proposed.duty().state(), v1::DUTY_STATE_PROPOSED);
  std::vector<std::string> flags;
  for (const v1::Flag& flag : proposed.assessment().flags()) flags.push_back(flag.code());
  EXPECT_THAT(flags, ::testing::UnorderedElementsAre("NO_STATED_PURPOSE", "DUPLICATE_DATA"));
  // The forecast: SCB's duty shares 2 of 3 distinct items (similarity 2/3),
  // so its 9 reports (mean 90 minutes) stand for the proposal, not the
  // agency's 30 minutes.
  const v1::BurdenForecast& forecast = proposed.assessment().forecast();
  EXPECT_EQ(forecast.source(), v1::BurdenForecast::SOURCE_COMPARABLE_DUTIES)
      << forecast.basis();
  ASSERT_EQ(forecast.comparables_size(), 1);
  EXPECT_EQ(forecast.comparables(0).duty_id(), "scb-skolenkat");
  EXPECT_NEAR(forecast.comparables(0).similarity(), 2.0 / 3, 1e-9);
  EXPECT_EQ(forecast.comparables(0).reports(), 9);
  EXPECT_NEAR(forecast.comparables(0).minutes_per_report(), 90, 1e-9);
  EXPECT_EQ(forecast.reports(), 9);
  EXPECT_GT(forecast.minutes_per_report_low(), 40);  // what the duty turns out to take
  EXPECT_GT(forecast.hours_per_year(), 0);
  EXPECT_LE(forecast.hours_per_year_low(), forecast.hours_per_year());
  EXPECT_GE(forecast.hours_per_year_high(), forecast.hours_per_year());
  EXPECT_THAT(forecast.basis(), HasSubstr("scb-skolenkat"));

  // A proposal accepts no report.
  status = Submit("municipality:0180", "f-1", "0180", "sk-franvaro", "2027", 20);
  EXPECT_EQ(status.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("\"sk-franvaro\" is proposed"));

  // Consultation until today; the municipalities answer for themselves.
  v1::OpenConsultationRequest open;
  open.set_duty_id("sk-franvaro");
  open.set_until("2027-03-01");
  open.set_reason("Remiss till kommunerna");
  v1::ReportingDuty opened;
  status = gateway_->OpenConsultation(As("agency:skolverket").get(), open, &opened);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(opened.state(), v1::DUTY_STATE_IN_CONSULTATION);
  EXPECT_EQ(opened.consultation_until(), "2027-03-01");

  v1::AnswerConsultationRequest answer;
  v1::ConsultationAnswer* a = answer.mutable_answer();
  a->set_duty_id("sk-franvaro");
  a->set_municipality_code("0180");
  a->set_comment("Frånvaron lämnas redan till SCB.");
  a->set_estimated_minutes_per_report(100);
  a->set_already_reported_elsewhere(v1::ANSWER_YES);
  a->set_already_reported_where("scb-skolenkat");
  v1::ConsultationAnswer stored;
  EXPECT_EQ(
      gateway_->AnswerConsultation(As("municipality:1283").get(), answer, &stored).error_code(),
      Code::PERMISSION_DENIED);
  status = gateway_->AnswerConsultation(As("municipality:0180").get(), answer, &stored);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(stored.answered_by(), "municipality:0180");
  a->set_municipality_code("1283");
  a->set_comment("");
  a->set_estimated_minutes_per_report(60);
  a->set_already_reported_elsewhere(v1::ANSWER_NO);
  a->set_already_reported_where("");
  ASSERT_TRUE(gateway_->AnswerConsultation(As("municipality:1283").get(), answer, &stored).ok());

  v1::GetConsultationRequest read;
  read.set_duty_id("sk-franvaro");
  v1::Consultation consultation;
  ASSERT_TRUE(gateway_->GetConsultation(As("agency:skolverket").get(), read, &consultation).ok());
  EXPECT_TRUE(consultation.open());
  ASSERT_EQ(consultation.answers_size(), 2);
  EXPECT_EQ(consultation.summary().answers(), 2);
  EXPECT_EQ(consultation.summary().median_estimated_minutes(), 80);  // (60 + 100) / 2
  EXPECT_EQ(consultation.summary().already_reported_elsewhere(), 1);
  ASSERT_EQ(consultation.summary().reported_where_size(), 1);
  EXPECT_EQ(consultation.summary().reported_where(0).where(), "scb-skolenkat");
  // A municipality reads its own answer, with the summary over all.
  read.set_municipality_code("1283");
  ASSERT_TRUE(gateway_->GetConsultation(As("municipality:1283").get(), read, &consultation).ok());
  ASSERT_EQ(consultation.answers_size(), 1);
  EXPECT_EQ(consultation.answers(0).municipality_code(), "1283");
  EXPECT_EQ(consultation.summary().answers(), 2);

  // No decision while the consultation is open, and none by the agency.
  v1::DecideDutyResponse decided;
  EXPECT_EQ(Decide("agency:skolverket", "sk-franvaro", v1::DECISION_KIND_APPROVE, "Eget förslag",
                   &decided)
                .error_code(),
            Code::PERMISSION_DENIED);
  status = Decide("arena", "sk-franvaro", v1::DECISION_KIND_APPROVE, "Behovet är styrkt", &decided);
  EXPECT_EQ(status.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("consultation has closed"));

  // The next day the consultation has closed: no more answers; the arena
  // approves, for three years from its decision.
  ASSERT_NO_FATAL_FAILURE(Start("2027-03-02"));
  status = gateway_->AnswerConsultation(As("municipality:1283").get(), answer, &stored);
  EXPECT_EQ(status.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("consultation has closed"));
  status = Decide("arena", "sk-franvaro", v1::DECISION_KIND_APPROVE,
                  "Behovet är styrkt; SCB:s uppgifter räcker inte", &decided);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(decided.duty().state(), v1::DUTY_STATE_IN_FORCE);
  EXPECT_EQ(decided.decision().decided_on(), "2027-03-02");
  EXPECT_EQ(decided.decision().expires_on(), "2030-03-02");
  EXPECT_EQ(decided.decision().decided_by(), "arena");
  EXPECT_EQ(decided.duty().expires_on(), "2030-03-02");
  EXPECT_NEAR(decided.decision().forecast().hours_per_year(), forecast.hours_per_year(), 1e-6);
  ASSERT_TRUE(Submit("municipality:0180", "f-2", "0180", "sk-franvaro", "2027", 40).ok());

  // Every move is on the duty's record, with its principal and reason.
  v1::GetDutyHistoryRequest history_request;
  history_request.set_id("sk-franvaro");
  v1::GetDutyHistoryResponse history;
  ASSERT_TRUE(duties_->GetDutyHistory(As("arena").get(), history_request, &history).ok());
  ASSERT_EQ(history.versions_size(), 3);
  EXPECT_EQ(history.versions(0).duty().state(), v1::DUTY_STATE_PROPOSED);
  EXPECT_EQ(history.versions(0).changed_by(), "agency:skolverket");
  EXPECT_EQ(history.versions(0).reason(), "Regeringsuppdrag om skolfrånvaro");
  EXPECT_EQ(history.versions(1).duty().state(), v1::DUTY_STATE_IN_CONSULTATION);
  EXPECT_EQ(history.versions(1).reason(), "Remiss till kommunerna");
  EXPECT_EQ(history.versions(2).duty().state(), v1::DUTY_STATE_IN_FORCE);
  EXPECT_EQ(history.versions(2).changed_by(), "arena");
  EXPECT_THAT(history.versions(2).reason(), HasSubstr("approve: Behovet är styrkt"));

  // Past its expiry the duty is expired and refuses reports, until renewed.
  ASSERT_NO_FATAL_FAILURE(Start("2030-03-03"));
  EXPECT_EQ(Get("sk-franvaro").state(), v1::DUTY_STATE_EXPIRED);
  status = Submit("municipality:0180", "f-3", "0180", "sk-franvaro", "2030", 40);
  EXPECT_EQ(status.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("\"sk-franvaro\" is expired"));
  v1::GetRenewalEvidenceRequest evidence_request;
  evidence_request.set_duty_id("sk-franvaro");
  v1::RenewalEvidence evidence;
  ASSERT_TRUE(
      gateway_->GetRenewalEvidence(As("agency:skolverket").get(), evidence_request, &evidence)
          .ok());
  EXPECT_EQ(evidence.since(), "2027-03-02");
  EXPECT_EQ(evidence.reports(), 1);
  EXPECT_EQ(evidence.minutes_per_report(), 40);
  // 40 minutes against a forecast interval around 90.
  EXPECT_EQ(evidence.against_forecast(), "below");
  EXPECT_EQ(evidence.consultation().answers(), 2);
  status = Decide("arena", "sk-franvaro", v1::DECISION_KIND_RENEW, "Används i statistiken",
                  &decided);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(decided.duty().state(), v1::DUTY_STATE_IN_FORCE);
  EXPECT_EQ(decided.duty().expires_on(), "2033-03-03");
  ASSERT_TRUE(Submit("municipality:0180", "f-3", "0180", "sk-franvaro", "2030", 40).ok());

  // A decision on a duty in force: SCB's survey withdrawn; it accepts no
  // more reports, and the decisions are listed in their order.
  status = Decide("arena", "scb-skolenkat", v1::DECISION_KIND_WITHDRAW,
                  "Skolverkets uppgiftskrav ersätter enkäten", &decided);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(decided.duty().state(), v1::DUTY_STATE_WITHDRAWN);
  status = Submit("municipality:1283", "e-2", "1283", "scb-skolenkat", "2029", 60);
  EXPECT_EQ(status.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("is withdrawn"));
  status = Decide("arena", "scb-skolenkat", v1::DECISION_KIND_KEEP, "Ångrat", &decided);
  EXPECT_EQ(status.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("keep applies to a duty in_force"));

  ASSERT_NO_FATAL_FAILURE(Start("2030-03-03"));  // all of it survives a restart
  v1::ListDecisionsResponse decisions;
  ASSERT_TRUE(gateway_->ListDecisions(As("municipality:0180").get(), {}, &decisions).ok());
  std::vector<std::string> listed;
  for (const v1::DutyDecision& d : decisions.decisions()) {
    listed.push_back(absl::StrCat(d.duty_id(), " ", v1::DecisionKind_Name(d.kind())));
  }
  EXPECT_THAT(listed, ::testing::ElementsAre("sk-franvaro DECISION_KIND_APPROVE",
                                             "sk-franvaro DECISION_KIND_RENEW",
                                             "scb-skolenkat DECISION_KIND_WITHDRAW"));
  EXPECT_EQ(Get("scb-skolenkat").state(), v1::DUTY_STATE_WITHDRAWN);
  EXPECT_EQ(Get("sk-franvaro").expires_on(), "2033-03-03");
}

TEST_P(LifecycleTest, ARejectedProposalNeverAcceptsReports) {
  ASSERT_NO_FATAL_FAILURE(Start("2027-03-01"));
  v1::ProposeDutyRequest propose;
  *propose.mutable_duty() = Duty("sk-ny", "skolverket", {"betyg"});
  v1::ProposeDutyResponse proposed;
  ASSERT_TRUE(gateway_->ProposeDuty(As("agency:skolverket").get(), propose, &proposed).ok());
  // Nothing comparable is measured: the agency's own estimate is absent too.
  EXPECT_EQ(proposed.assessment().forecast().source(),
            v1::BurdenForecast::SOURCE_NOT_ESTIMABLE);
  // Approval needs a consultation first.
  v1::DecideDutyResponse decided;
  grpc::Status status =
      Decide("arena", "sk-ny", v1::DECISION_KIND_APPROVE, "Brådskande", &decided);
  EXPECT_EQ(status.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("approve applies to a duty in_consultation"));
  ASSERT_TRUE(Decide("arena", "sk-ny", v1::DECISION_KIND_REJECT, "Uppgifterna finns i betygsdatabasen",
                     &decided)
                  .ok());
  EXPECT_EQ(decided.duty().state(), v1::DUTY_STATE_REJECTED);
  status = Submit("municipality:0180", "n-1", "0180", "sk-ny", "2027", 20);
  EXPECT_EQ(status.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("is rejected"));
  // A rejected proposal cannot go to consultation any more.
  v1::OpenConsultationRequest open;
  open.set_duty_id("sk-ny");
  open.set_until("2027-04-01");
  v1::ReportingDuty opened;
  EXPECT_EQ(gateway_->OpenConsultation(As("agency:skolverket").get(), open, &opened).error_code(),
            Code::FAILED_PRECONDITION);
}

INSTANTIATE_TEST_SUITE_P(Stores, LifecycleTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param);
                         });

}  // namespace
}  // namespace inrapport
