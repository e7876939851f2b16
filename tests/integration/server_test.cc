// Drives the real inrapportd over gRPC: duties and flags, unary and streamed
// reports, retries, bad input, exact summaries, restart and kill -9.
#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/health_check.h"
#include "tests/support/report_stream.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing::ServerProcess;
using testing::TempDir;

constexpr double kTariff = 600;  // SEK/h: 10 SEK a minute keeps the sums plain

v1::ReportingDuty Duty(const std::string& id, const std::string& agency,
                       const std::string& purpose,
                       v1::Frequency frequency = v1::FREQUENCY_QUARTERLY,
                       v1::Sector sector = v1::SECTOR_SOCIAL_SERVICES) {
  v1::ReportingDuty duty;
  duty.set_id(id);
  duty.set_agency_id(agency);
  duty.set_title("Title of " + id);
  duty.set_legal_basis("SoL 16 kap. 6 f §");
  duty.set_purpose(purpose);
  duty.set_sector(sector);
  duty.set_frequency(frequency);
  // An item of its own, so that no two test duties overlap (DUPLICATE_DATA
  // has tests of its own in accounting_test.cc).
  duty.add_data_items(id + "_item");
  return duty;
}

v1::Report Report(const std::string& id, const std::string& municipality,
                  const std::string& duty, const std::string& period, int64_t minutes) {
  v1::Report report;
  report.set_submission_id(id);
  report.set_municipality_code(municipality);
  report.set_duty_id(duty);
  report.set_period(period);
  report.set_minutes_spent(minutes);
  report.set_staff_count(1);
  report.set_usefulness(2);
  report.set_feedback_received(v1::ANSWER_NO);
  return report;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(); }

  // These tests pin the no-purpose flag and exact figures; NO_RECORDED_USE
  // waits ten years after a period ends, so that the reports of past periods
  // never raise it (accounting_test.cc covers that flag).
  void StartServer() {
    server_ = ServerProcess::Start(
        db_path(), {"--tariff_sek_per_hour=600", "--no_recorded_use_grace_days=3650"});
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(server_->grpc_address(),
                                   grpc::InsecureChannelCredentials());
    duties_ = v1::DutyRegistry::NewStub(channel_);
    intake_ = v1::ReportIntake::NewStub(channel_);
    burden_ = v1::BurdenQuery::NewStub(channel_);
  }

  std::string db_path() const { return dir_.path() + "/inrapport.db"; }

  grpc::Status CreateDuty(const v1::ReportingDuty& duty, v1::ReportingDuty* out = nullptr) {
    grpc::ClientContext context;
    v1::CreateDutyRequest request;
    *request.mutable_duty() = duty;
    v1::ReportingDuty response;
    grpc::Status status = duties_->CreateDuty(&context, request, &response);
    if (out != nullptr) *out = response;
    return status;
  }

  grpc::Status Submit(const v1::Report& report, v1::SubmitReportResponse* out = nullptr) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::SubmitReportRequest request;
    *request.mutable_report() = report;
    v1::SubmitReportResponse response;
    grpc::Status status = intake_->SubmitReport(&context, request, &response);
    if (out != nullptr) *out = response;
    return status;
  }

  v1::SubmitReportsResponse SubmitStream(const std::vector<v1::Report>& reports) {
    return testing::StreamReports(*intake_, reports);
  }

  grpc::Status RecordUse(const std::string& duty, const std::string& use_id) {
    grpc::ClientContext context;
    v1::RecordDutyUseRequest request;
    v1::DutyUse* use = request.mutable_use();
    use->set_duty_id(duty);
    use->set_use_id(use_id);
    use->set_kind(v1::USE_KIND_PUBLICATION);
    use->set_date("2025-06-01");
    use->set_first_period("2025");
    use->set_description("Published in the yearly statistics.");
    use->set_link("https://example.org/" + use_id);
    v1::RecordDutyUseResponse response;
    return duties_->RecordDutyUse(&context, request, &response);
  }

  v1::GetBurdenSummaryResponse Summary(v1::GroupBy group_by,
                                       v1::GetBurdenSummaryRequest request = {}) {
    grpc::ClientContext context;
    request.set_group_by(group_by);
    v1::GetBurdenSummaryResponse response;
    grpc::Status status = burden_->GetBurdenSummary(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // Two duties and five reports, used by several tests:
  //   ivo-q (quarterly, social services, purpose stated)
  //     0180 2025Q1 60, 0182 2025Q1 30, 1283 2025Q2 90
  //   scb-a (annual, finance, NO purpose)
  //     0180 2024 240, 1283 2025 120
  void LoadReferenceData() {
    ASSERT_TRUE(CreateDuty(Duty("ivo-q", "ivo", "IVO uses it to decide on fees.")).ok());
    ASSERT_TRUE(CreateDuty(Duty("scb-a", "scb", "", v1::FREQUENCY_ANNUAL,
                                v1::SECTOR_FINANCE)).ok());
    for (const v1::Report& report : {Report("r1", "0180", "ivo-q", "2025Q1", 60),
                                     Report("r2", "0182", "ivo-q", "2025Q1", 30),
                                     Report("r3", "1283", "ivo-q", "2025Q2", 90),
                                     Report("r4", "0180", "scb-a", "2024", 240),
                                     Report("r5", "1283", "scb-a", "2025", 120)}) {
      ASSERT_TRUE(Submit(report).ok());
    }
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::DutyRegistry::Stub> duties_;
  std::unique_ptr<v1::ReportIntake::Stub> intake_;
  std::unique_ptr<v1::BurdenQuery::Stub> burden_;
};

TEST_F(ServerTest, NoPurposeFlagAppearsAndClearsOnUpdate) {
  v1::ReportingDuty created;
  ASSERT_TRUE(CreateDuty(Duty("d1", "msb", "   "), &created).ok());
  ASSERT_EQ(created.flags_size(), 1);
  EXPECT_EQ(created.flags(0).code(), "NO_STATED_PURPOSE");
  EXPECT_FALSE(created.flags(0).reason().empty());
  EXPECT_EQ(created.flags(0).evidence().at("purpose_characters"), "3");

  grpc::ClientContext list_context;
  v1::ListDutiesRequest list;
  list.set_flagged_only(true);
  v1::ListDutiesResponse listed;
  ASSERT_TRUE(duties_->ListDuties(&list_context, list, &listed).ok());
  ASSERT_EQ(listed.duties_size(), 1);
  EXPECT_EQ(listed.duties(0).id(), "d1");

  grpc::ClientContext update_context;
  v1::UpdateDutyRequest update;
  *update.mutable_duty() = Duty("d1", "msb", "MSB uses it to plan national preparedness.");
  v1::ReportingDuty updated;
  ASSERT_TRUE(duties_->UpdateDuty(&update_context, update, &updated).ok());
  EXPECT_EQ(updated.flags_size(), 0);

  grpc::ClientContext get_context;
  v1::GetDutyRequest get;
  get.set_id("d1");
  v1::ReportingDuty got;
  ASSERT_TRUE(duties_->GetDuty(&get_context, get, &got).ok());
  EXPECT_EQ(got.flags_size(), 0);
  EXPECT_EQ(got.purpose(), "MSB uses it to plan national preparedness.");
}

TEST_F(ServerTest, DutyErrorsUseTheRightCodes) {
  ASSERT_TRUE(CreateDuty(Duty("d1", "msb", "x")).ok());
  EXPECT_EQ(CreateDuty(Duty("d1", "msb", "x")).error_code(), grpc::StatusCode::ALREADY_EXISTS);

  v1::ReportingDuty bad = Duty("Bad Id!", "msb", "x");
  grpc::Status status = CreateDuty(bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("duty.id"));

  bad = Duty("d2", "msb", "x");
  bad.set_frequency(v1::FREQUENCY_UNSPECIFIED);
  status = CreateDuty(bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("duty.frequency"));

  grpc::ClientContext get_context;
  v1::GetDutyRequest get;
  get.set_id("missing");
  v1::ReportingDuty got;
  EXPECT_EQ(duties_->GetDuty(&get_context, get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);

  grpc::ClientContext update_context;
  v1::UpdateDutyRequest update;
  *update.mutable_duty() = Duty("missing", "msb", "x");
  v1::ReportingDuty updated;
  EXPECT_EQ(duties_->UpdateDuty(&update_context, update, &updated).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// A duty names a registered agency: a typo is refused naming the agency,
// and once the administrator registers it (unauthenticated, every caller
// is) the duty is accepted and shown with the agency's name, in the duty
// and in the summary by agency, across a restart.
TEST_F(ServerTest, ADutyNamesARegisteredAgencyShownByItsName) {
  grpc::Status status = CreateDuty(Duty("sos-x", "socialstyrelse", "x"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("duty.agency_id: no agency \"socialstyrelse\" is registered"));

  grpc::ClientContext create_context;
  v1::CreateAgencyRequest create;
  create.mutable_agency()->set_id("tillvaxtverket");
  create.mutable_agency()->set_name("Tillväxtverket");
  create.mutable_agency()->set_organisation_number("2021000000");
  v1::Agency agency;
  status = duties_->CreateAgency(&create_context, create, &agency);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("agency.organisation_number"));
  create.mutable_agency()->clear_organisation_number();
  grpc::ClientContext again_context;
  ASSERT_TRUE(duties_->CreateAgency(&again_context, create, &agency).ok());

  v1::ReportingDuty duty;
  ASSERT_TRUE(CreateDuty(Duty("tv-x", "tillvaxtverket", "To follow up the grant."), &duty).ok());
  EXPECT_EQ(duty.agency_name(), "Tillväxtverket");
  ASSERT_TRUE(Submit(Report("t1", "0180", "tv-x", "2025Q1", 45)).ok());

  server_->Terminate();
  StartServer();
  bool found = false;
  const v1::GetBurdenSummaryResponse by_agency = Summary(v1::GROUP_BY_AGENCY);
  for (const v1::BurdenRow& row : by_agency.rows()) {
    if (row.key() == "tillvaxtverket") {
      found = true;
      EXPECT_EQ(row.label(), "Tillväxtverket");
      EXPECT_EQ(row.minutes(), 45);
    }
  }
  EXPECT_TRUE(found);
  grpc::ClientContext list_context;
  v1::ListAgenciesResponse listed;
  ASSERT_TRUE(duties_->ListAgencies(&list_context, {}, &listed).ok());
  std::vector<std::string> ids;
  for (const v1::Agency& a : listed.agencies()) ids.push_back(a.id());
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_THAT(ids, ::testing::Contains("tillvaxtverket"));
  EXPECT_THAT(ids, ::testing::Contains("socialstyrelsen"));  // built in
}

TEST_F(ServerTest, RetryIsDuplicateAndConflictIsAlreadyExists) {
  ASSERT_TRUE(CreateDuty(Duty("d", "ivo", "x")).ok());
  v1::SubmitReportResponse response;
  ASSERT_TRUE(Submit(Report("s1", "0180", "d", "2025Q1", 45), &response).ok());
  EXPECT_FALSE(response.duplicate());
  ASSERT_TRUE(Submit(Report("s1", "0180", "d", "2025Q1", 45), &response).ok());
  EXPECT_TRUE(response.duplicate());
  EXPECT_EQ(response.submission_id(), "s1");

  grpc::Status conflict = Submit(Report("s1", "0180", "d", "2025Q1", 46));
  EXPECT_EQ(conflict.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(conflict.error_message(), HasSubstr("s1"));

  const auto summary = Summary(v1::GROUP_BY_DUTY);
  EXPECT_EQ(summary.totals().reports(), 1);
  EXPECT_EQ(summary.totals().minutes(), 45);
}

// Helsingborg's system numbers its reports "0180-9999" too: that blocks
// nothing of Stockholm's and tells it nothing. Both are counted, and each
// municipality's retry and conflict concern its own report only.
TEST_F(ServerTest, ASubmissionIdIsEachMunicipalitysOwn) {
  ASSERT_TRUE(CreateDuty(Duty("d", "ivo", "x")).ok());
  v1::SubmitReportResponse response;
  ASSERT_TRUE(Submit(Report("0180-9999", "1283", "d", "2025Q1", 45), &response).ok());
  EXPECT_FALSE(response.duplicate());
  ASSERT_TRUE(Submit(Report("0180-9999", "0180", "d", "2025Q1", 30), &response).ok());
  EXPECT_FALSE(response.duplicate());
  ASSERT_TRUE(Submit(Report("0180-9999", "0180", "d", "2025Q1", 30), &response).ok());
  EXPECT_TRUE(response.duplicate());
  grpc::Status conflict = Submit(Report("0180-9999", "1283", "d", "2025Q1", 46));
  EXPECT_EQ(conflict.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(conflict.error_message(), Not(HasSubstr("0180\"")));
  EXPECT_THAT(conflict.error_message(), Not(HasSubstr("municipality_code")));

  const auto summary = Summary(v1::GROUP_BY_MUNICIPALITY);
  EXPECT_EQ(summary.totals().reports(), 2);
  EXPECT_EQ(summary.totals().minutes(), 75);
  // ... and after a restart, which reads them back.
  const int status = server_->Terminate();
  ASSERT_TRUE(WIFEXITED(status)) << server_->Log();
  StartServer();
  EXPECT_EQ(Summary(v1::GROUP_BY_MUNICIPALITY).totals().minutes(), 75);
  ASSERT_TRUE(Submit(Report("0180-9999", "1283", "d", "2025Q1", 45), &response).ok());
  EXPECT_TRUE(response.duplicate());
}

TEST_F(ServerTest, BadReportsNameTheFieldAndChangeNothing) {
  ASSERT_TRUE(CreateDuty(Duty("d", "ivo", "x")).ok());
  struct Case {
    v1::Report report;
    grpc::StatusCode code;
    std::string field;
  };
  v1::Report long_comment = Report("c1", "0180", "d", "2025Q1", 5);
  long_comment.set_comment(std::string(2001, 'x'));
  v1::Report bad_usefulness = Report("c2", "0180", "d", "2025Q1", 5);
  bad_usefulness.set_usefulness(6);
  const std::vector<Case> cases = {
      {Report("", "0180", "d", "2025Q1", 5), grpc::StatusCode::INVALID_ARGUMENT,
       "report.submission_id"},
      {Report("a", "9999", "d", "2025Q1", 5), grpc::StatusCode::INVALID_ARGUMENT,
       "report.municipality_code"},
      {Report("b", "0180", "d", "2025", 5), grpc::StatusCode::INVALID_ARGUMENT,
       "report.period"},
      {Report("c", "0180", "d", "2099Q1", 5), grpc::StatusCode::INVALID_ARGUMENT,
       "report.period"},
      {Report("e", "0180", "d", "2025Q5", 5), grpc::StatusCode::INVALID_ARGUMENT,
       "report.period"},
      {Report("f", "0180", "d", "2025Q1", 0), grpc::StatusCode::INVALID_ARGUMENT,
       "report.minutes_spent"},
      {Report("g", "0180", "d", "2025Q1", -5), grpc::StatusCode::INVALID_ARGUMENT,
       "report.minutes_spent"},
      {Report("h", "0180", "d", "2025Q1", 100001), grpc::StatusCode::INVALID_ARGUMENT,
       "report.minutes_spent"},
      {long_comment, grpc::StatusCode::INVALID_ARGUMENT, "report.comment"},
      {bad_usefulness, grpc::StatusCode::INVALID_ARGUMENT, "report.usefulness"},
      {Report("i", "0180", "no-such-duty", "2025Q1", 5), grpc::StatusCode::NOT_FOUND,
       "report.duty_id"},
  };
  for (const Case& c : cases) {
    grpc::Status status = Submit(c.report);
    EXPECT_EQ(status.error_code(), c.code) << c.field << ": " << status.error_message();
    EXPECT_THAT(status.error_message(), StartsWith(c.field));
  }
  EXPECT_EQ(Summary(v1::GROUP_BY_AGENCY).totals().reports(), 0);
}

TEST_F(ServerTest, StreamCountsAcceptedDuplicateAndRejected) {
  ASSERT_TRUE(CreateDuty(Duty("d", "ivo", "x")).ok());
  ASSERT_TRUE(Submit(Report("before", "0180", "d", "2025Q1", 10)).ok());

  // More reports than several of the stream's internal batches (4,096), so
  // that batches are stored while the next are read; a bad report in each.
  constexpr int kGood = 13000;
  const std::vector<int> bad_at = {5, 5000, 9000, 12500};
  std::vector<v1::Report> reports;
  for (int i = 0; i < kGood; ++i) {
    if (std::find(bad_at.begin(), bad_at.end(), static_cast<int>(reports.size())) !=
        bad_at.end()) {
      reports.push_back(Report("bad" + std::to_string(i), "9999", "d", "2025Q1", 1));
    }
    reports.push_back(Report("s" + std::to_string(i), "0180", "d", "2025Q1", 1));
  }
  const int64_t duplicate_at = static_cast<int64_t>(reports.size());
  reports.push_back(Report("before", "0180", "d", "2025Q1", 10));  // duplicate
  reports.push_back(Report("s0", "0180", "d", "2025Q1", 2));       // conflict
  reports.push_back(Report("last", "0182", "d", "2025Q1", 3));     // still stored

  const v1::SubmitReportsResponse response = SubmitStream(reports);
  EXPECT_EQ(response.accepted(), kGood + 1);
  EXPECT_EQ(response.duplicate(), 1);
  EXPECT_EQ(response.rejected(), 5);
  // Rejections in the order of the stream, with their index in it.
  ASSERT_EQ(response.rejections_size(), 5);
  for (size_t k = 0; k < bad_at.size(); ++k) {
    const v1::Rejection& rejection = response.rejections(static_cast<int>(k));
    EXPECT_EQ(rejection.index(), bad_at[k]);
    EXPECT_EQ(rejection.submission_id(), reports[bad_at[k]].submission_id());
    EXPECT_EQ(rejection.code(), "INVALID_ARGUMENT");
    EXPECT_EQ(rejection.code_number(), 3);
    EXPECT_THAT(rejection.message(), StartsWith("report.municipality_code"));
  }
  EXPECT_EQ(response.rejections(4).index(), duplicate_at + 1);
  EXPECT_EQ(response.rejections(4).submission_id(), "s0");
  EXPECT_EQ(response.rejections(4).code(), "ALREADY_EXISTS");

  const auto summary = Summary(v1::GROUP_BY_MUNICIPALITY);
  // 10 (before) + 13,000 x 1 + 3 (last) minutes in 13,002 reports.
  EXPECT_EQ(summary.totals().reports(), kGood + 2);
  EXPECT_EQ(summary.totals().minutes(), 10 + kGood + 3);
  EXPECT_EQ(summary.totals().municipalities(), 2);
}

TEST_F(ServerTest, SummariesHaveExactFiguresForEveryGrouping) {
  LoadReferenceData();
  // Uses: ivo-q 2, scb-a 1; "quiet" has 4 but no reports, so never counts.
  ASSERT_TRUE(RecordUse("ivo-q", "fees").ok());
  ASSERT_TRUE(RecordUse("ivo-q", "inspections").ok());
  ASSERT_TRUE(RecordUse("scb-a", "statistics").ok());
  ASSERT_TRUE(CreateDuty(Duty("quiet", "msb", "MSB plans with it.")).ok());
  for (const char* use : {"q1", "q2", "q3", "q4"}) ASSERT_TRUE(RecordUse("quiet", use).ok());
  auto agency = Summary(v1::GROUP_BY_AGENCY);
  ASSERT_EQ(agency.rows_size(), 2);
  // scb: 240 + 120 = 360 min = 6 h = 3600 SEK at 600 SEK/h, all flagged.
  EXPECT_EQ(agency.rows(0).key(), "scb");
  EXPECT_EQ(agency.rows(0).reports(), 2);
  EXPECT_EQ(agency.rows(0).minutes(), 360);
  EXPECT_DOUBLE_EQ(agency.rows(0).hours(), 6.0);
  EXPECT_DOUBLE_EQ(agency.rows(0).cost_sek(), 3600.0);
  EXPECT_EQ(agency.rows(0).municipalities(), 2);
  EXPECT_DOUBLE_EQ(agency.rows(0).flagged_minutes_share(), 1.0);
  // ivo: 60 + 30 + 90 = 180 min = 3 h = 1800 SEK, none flagged.
  EXPECT_EQ(agency.rows(1).key(), "ivo");
  EXPECT_EQ(agency.rows(1).minutes(), 180);
  EXPECT_DOUBLE_EQ(agency.rows(1).cost_sek(), 1800.0);
  EXPECT_DOUBLE_EQ(agency.rows(1).flagged_minutes_share(), 0.0);
  // Totals: 540 min = 9 h = 5400 SEK; 3 municipalities; flagged 360/540.
  EXPECT_EQ(agency.totals().key(), "total");
  EXPECT_EQ(agency.totals().reports(), 5);
  EXPECT_EQ(agency.totals().minutes(), 540);
  EXPECT_DOUBLE_EQ(agency.totals().hours(), 9.0);
  EXPECT_DOUBLE_EQ(agency.totals().cost_sek(), 5400.0);
  EXPECT_EQ(agency.totals().municipalities(), 3);
  EXPECT_DOUBLE_EQ(agency.totals().flagged_minutes_share(), 360.0 / 540.0);
  EXPECT_DOUBLE_EQ(agency.tariff_sek_per_hour(), kTariff);
  // Uses: scb 1 (scb-a), ivo 2 (ivo-q); totals 3, msb's unreported duty left out.
  EXPECT_EQ(agency.rows(0).recorded_uses(), 1);
  EXPECT_EQ(agency.rows(1).recorded_uses(), 2);
  EXPECT_EQ(agency.totals().recorded_uses(), 3);

  auto county = Summary(v1::GROUP_BY_COUNTY);
  ASSERT_EQ(county.rows_size(), 2);
  // 01 (Stockholm, Nacka): 60 + 30 + 240 = 330; 12 (Helsingborg): 90 + 120 = 210.
  EXPECT_EQ(county.rows(0).key(), "01");
  EXPECT_EQ(county.rows(0).label(), "Stockholms län");
  EXPECT_EQ(county.rows(0).minutes(), 330);
  EXPECT_EQ(county.rows(1).key(), "12");
  EXPECT_EQ(county.rows(1).minutes(), 210);
  // Both duties have reports in both counties: 2 + 1 each, once per duty.
  EXPECT_EQ(county.rows(0).recorded_uses(), 3);
  EXPECT_EQ(county.rows(1).recorded_uses(), 3);
  EXPECT_EQ(county.totals().recorded_uses(), 3);

  auto municipality = Summary(v1::GROUP_BY_MUNICIPALITY);
  ASSERT_EQ(municipality.rows_size(), 3);
  EXPECT_EQ(municipality.rows(0).key(), "0180");
  EXPECT_EQ(municipality.rows(0).label(), "Stockholm");
  EXPECT_EQ(municipality.rows(0).minutes(), 300);
  EXPECT_EQ(municipality.rows(2).key(), "0182");
  EXPECT_EQ(municipality.rows(2).minutes(), 30);
  // 0180 and 1283 reported both duties (2 + 1), 0182 only ivo-q (2); the
  // rows add up to 8, the totals count each duty once.
  EXPECT_EQ(municipality.rows(0).recorded_uses(), 3);
  EXPECT_EQ(municipality.rows(1).key(), "1283");
  EXPECT_EQ(municipality.rows(1).recorded_uses(), 3);
  EXPECT_EQ(municipality.rows(2).recorded_uses(), 2);
  EXPECT_EQ(municipality.totals().recorded_uses(), 3);

  auto sector = Summary(v1::GROUP_BY_SECTOR);
  ASSERT_EQ(sector.rows_size(), 2);
  EXPECT_EQ(sector.rows(0).key(), "finance");
  EXPECT_EQ(sector.rows(1).key(), "social_services");
  EXPECT_EQ(sector.rows(0).recorded_uses(), 1);
  EXPECT_EQ(sector.rows(1).recorded_uses(), 2);

  auto duty = Summary(v1::GROUP_BY_DUTY);
  ASSERT_EQ(duty.rows_size(), 2);
  EXPECT_EQ(duty.rows(0).key(), "scb-a");
  EXPECT_EQ(duty.rows(0).recorded_uses(), 1);
  EXPECT_EQ(duty.rows(1).key(), "ivo-q");
  EXPECT_EQ(duty.rows(1).recorded_uses(), 2);
  EXPECT_EQ(duty.totals().recorded_uses(), 3);

  auto period = Summary(v1::GROUP_BY_PERIOD);
  ASSERT_EQ(period.rows_size(), 4);
  EXPECT_EQ(period.rows(0).key(), "2024");
  EXPECT_EQ(period.rows(0).minutes(), 240);
  // 2024 240 (scb-a), 2025 120 (scb-a), 2025Q2 90 (ivo-q), 2025Q1 90 (ivo-q).
  EXPECT_EQ(period.rows(0).recorded_uses(), 1);
  EXPECT_EQ(period.rows(1).key(), "2025");
  EXPECT_EQ(period.rows(1).recorded_uses(), 1);
  EXPECT_EQ(period.rows(2).recorded_uses(), 2);
  EXPECT_EQ(period.rows(3).recorded_uses(), 2);
  EXPECT_EQ(period.totals().recorded_uses(), 3);

  // Every flag row holds scb-a (1 use), "unflagged" holds ivo-q (2).
  auto flag = Summary(v1::GROUP_BY_FLAG);
  ASSERT_GE(flag.rows_size(), 2);
  for (const v1::BurdenRow& row : flag.rows()) {
    EXPECT_EQ(row.recorded_uses(), row.key() == "unflagged" ? 2 : 1) << row.key();
  }

  v1::GetBurdenSummaryRequest filtered;
  filtered.set_period_from("2025");
  filtered.set_period_to("2025");
  filtered.set_municipality_code("1283");
  // Helsingborg in 2025: 90 (2025Q2) + 120 (2025).
  EXPECT_EQ(Summary(v1::GROUP_BY_AGENCY, filtered).totals().minutes(), 210);
  EXPECT_EQ(Summary(v1::GROUP_BY_AGENCY, filtered).totals().recorded_uses(), 3);
  filtered.set_flagged_only(true);
  EXPECT_EQ(Summary(v1::GROUP_BY_AGENCY, filtered).totals().minutes(), 120);
  EXPECT_EQ(Summary(v1::GROUP_BY_AGENCY, filtered).totals().recorded_uses(), 1);
  // 2024 alone: only scb-a has reports in it.
  v1::GetBurdenSummaryRequest year_2024;
  year_2024.set_period_from("2024");
  year_2024.set_period_to("2024");
  const auto in_2024 = Summary(v1::GROUP_BY_MUNICIPALITY, year_2024);
  ASSERT_EQ(in_2024.rows_size(), 1);
  EXPECT_EQ(in_2024.rows(0).recorded_uses(), 1);
  EXPECT_EQ(in_2024.totals().recorded_uses(), 1);
}

TEST_F(ServerTest, SummaryRejectsBadQueries) {
  grpc::ClientContext context;
  v1::GetBurdenSummaryRequest request;  // group_by unspecified
  v1::GetBurdenSummaryResponse response;
  grpc::Status status = burden_->GetBurdenSummary(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("group_by"));

  grpc::ClientContext context2;
  request.set_group_by(v1::GROUP_BY_AGENCY);
  request.set_period_from("last year");
  status = burden_->GetBurdenSummary(&context2, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("period_from"));
}

// Page sizes and limits out of range are refused, naming the field; the
// bounds themselves are served.
TEST_F(ServerTest, PageSizesAndLimitsOutOfRangeAreRefused) {
  LoadReferenceData();
  for (int page_size : {-1, 1001, 1 << 30}) {
    grpc::ClientContext context;
    v1::ListDutyUsesRequest request;
    request.set_page_size(page_size);
    v1::ListDutyUsesResponse response;
    grpc::Status status = duties_->ListDutyUses(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << page_size;
    EXPECT_THAT(status.error_message(), StartsWith("page_size")) << page_size;
  }
  for (int page_size : {0, 1000}) {
    grpc::ClientContext context;
    v1::ListDutyUsesRequest request;
    request.set_page_size(page_size);
    v1::ListDutyUsesResponse response;
    EXPECT_TRUE(duties_->ListDutyUses(&context, request, &response).ok()) << page_size;
  }
  for (int limit : {-1, 1001, 1 << 30}) {
    grpc::ClientContext context;
    v1::ListFlaggedDutiesRequest request;
    request.set_limit(limit);
    v1::ListFlaggedDutiesResponse response;
    grpc::Status status = burden_->ListFlaggedDuties(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << limit;
    EXPECT_THAT(status.error_message(), StartsWith("limit")) << limit;
  }
  grpc::ClientContext context;
  v1::ListFlaggedDutiesRequest request;
  request.set_limit(1);
  v1::ListFlaggedDutiesResponse response;
  ASSERT_TRUE(burden_->ListFlaggedDuties(&context, request, &response).ok());
  EXPECT_EQ(response.duties_size(), 1);
}

TEST_F(ServerTest, FlaggedDutiesAreRankedByBurden) {
  LoadReferenceData();
  ASSERT_TRUE(CreateDuty(Duty("quiet", "msb", "")).ok());  // flagged, no reports
  grpc::ClientContext context;
  v1::ListFlaggedDutiesResponse response;
  ASSERT_TRUE(burden_->ListFlaggedDuties(&context, {}, &response).ok());
  ASSERT_EQ(response.duties_size(), 2);
  EXPECT_EQ(response.duties(0).duty().id(), "scb-a");
  EXPECT_EQ(response.duties(0).duty().flags(0).code(), "NO_STATED_PURPOSE");
  EXPECT_EQ(response.duties(0).burden().minutes(), 360);
  EXPECT_DOUBLE_EQ(response.duties(0).burden().cost_sek(), 3600.0);
  EXPECT_EQ(response.duties(1).duty().id(), "quiet");
  EXPECT_EQ(response.duties(1).burden().minutes(), 0);
}

TEST_F(ServerTest, RestartKeepsDutiesReportsFlagsAndSummaries) {
  LoadReferenceData();
  std::vector<std::string> before;
  for (auto group_by : {v1::GROUP_BY_AGENCY, v1::GROUP_BY_DUTY, v1::GROUP_BY_MUNICIPALITY,
                        v1::GROUP_BY_COUNTY, v1::GROUP_BY_SECTOR, v1::GROUP_BY_PERIOD}) {
    before.push_back(Summary(group_by).SerializeAsString());
  }
  const int status = server_->Terminate();
  ASSERT_TRUE(WIFEXITED(status)) << server_->Log();
  EXPECT_EQ(WEXITSTATUS(status), 0) << server_->Log();

  StartServer();
  size_t i = 0;
  for (auto group_by : {v1::GROUP_BY_AGENCY, v1::GROUP_BY_DUTY, v1::GROUP_BY_MUNICIPALITY,
                        v1::GROUP_BY_COUNTY, v1::GROUP_BY_SECTOR, v1::GROUP_BY_PERIOD}) {
    EXPECT_EQ(Summary(group_by).SerializeAsString(), before[i++]) << group_by;
  }
  grpc::ClientContext context;
  v1::GetDutyRequest get;
  get.set_id("scb-a");
  v1::ReportingDuty duty;
  ASSERT_TRUE(duties_->GetDuty(&context, get, &duty).ok());
  ASSERT_EQ(duty.flags_size(), 1);
  EXPECT_EQ(duty.flags(0).code(), "NO_STATED_PURPOSE");
  // A retry after the restart is still recognised.
  v1::SubmitReportResponse response;
  ASSERT_TRUE(Submit(Report("r1", "0180", "ivo-q", "2025Q1", 60), &response).ok());
  EXPECT_TRUE(response.duplicate());
}

TEST_F(ServerTest, KillNineLosesNothingAcknowledged) {
  ASSERT_TRUE(CreateDuty(Duty("d", "ivo", "x", v1::FREQUENCY_MONTHLY)).ok());
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; !stop.load(); ++i) {
        const std::string id = "c" + std::to_string(c) + "-" + std::to_string(i);
        if (Submit(Report(id, "0180", "d", "2025-03", 7)).ok()) {
          std::lock_guard<std::mutex> lock(mu);
          acknowledged.insert(id);
        } else {
          return;  // the server is gone
        }
      }
    });
  }
  // Let acknowledgements accumulate, then kill without warning.
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::lock_guard<std::mutex> lock(mu);
    if (acknowledged.size() >= 300) break;
  }
  server_->Kill();
  stop = true;
  for (std::thread& t : clients) t.join();

  StartServer();
  const auto summary = Summary(v1::GROUP_BY_DUTY);
  // Every acknowledged report is there; reports in flight at the kill may
  // also be there (stored but not yet acknowledged), never more.
  EXPECT_GE(summary.totals().reports(), static_cast<int64_t>(acknowledged.size()));
  EXPECT_LE(summary.totals().reports(), static_cast<int64_t>(acknowledged.size()) + 8);
  for (const std::string& id : acknowledged) {
    v1::SubmitReportResponse response;
    ASSERT_TRUE(Submit(Report(id, "0180", "d", "2025-03", 7), &response).ok());
    ASSERT_TRUE(response.duplicate()) << id << " was acknowledged but lost";
  }
}

TEST_F(ServerTest, HealthServesAndMetricsCountCalls) {
  testing::Health health = testing::Health::kUnknown;
  const grpc::Status status = testing::CheckHealth(channel_, &health);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(health, testing::Health::kServing);

  LoadReferenceData();
  ASSERT_EQ(Submit(Report("bad", "9999", "ivo-q", "2025Q1", 1)).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  const std::string metrics = testing::HttpGet(server_->metrics_port(), "/metrics");
  EXPECT_THAT(metrics, HasSubstr("grpc_server_handled_total{grpc_code=\"OK\",grpc_method="
                                 "\"SubmitReport\",grpc_service=\"inrapport.v1.ReportIntake\","
                                 "grpc_type=\"unary\"} 5"));
  EXPECT_THAT(metrics, HasSubstr("grpc_server_handled_total{grpc_code=\"InvalidArgument\","
                                 "grpc_method=\"SubmitReport\",grpc_service="
                                 "\"inrapport.v1.ReportIntake\",grpc_type=\"unary\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("grpc_server_handling_seconds_bucket"));
  EXPECT_THAT(metrics, HasSubstr("inrapport_reports_total{outcome=\"accepted\"} 5"));
  EXPECT_THAT(metrics, HasSubstr("inrapport_reports_total{outcome=\"rejected\"} 1"));
  // 360 flagged minutes of scb's finance duty = 21600 s.
  EXPECT_THAT(metrics, HasSubstr("inrapport_measured_burden_seconds{agency=\"scb\","
                                 "sector=\"finance\",flagged=\"true\"} 21600"));
  EXPECT_THAT(metrics, HasSubstr("inrapport_duties_flagged{flag=\"NO_STATED_PURPOSE\"} 1"));
}

TEST_F(ServerTest, SigtermExitsCleanly) {
  const int status = server_->Terminate();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_THAT(server_->Log(), HasSubstr("event=stopped"));
}

}  // namespace
}  // namespace inrapport
