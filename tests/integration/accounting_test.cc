// A reference dataset whose every burden figure, national estimate,
// completeness rate and flag is worked out by hand below, checked through the
// public API of the real inrapportd: flags with their evidence and parsed
// legal references, recorded uses, per-duty accounts, completeness, summaries
// in every grouping, the arena report and the metrics; and again after a
// restart.
//
// The reports are for last calendar year (Y), so every period has ended and
// lies within the default NO_RECORDED_USE windows in a known way whatever
// today's date is. Tariff 600 SEK/h: one minute costs 10 SEK.
//
// Duties (agency, frequency, data items):
//   A ref-annual     skolverket annual     pupils, grades, teachers
//   B ref-quarterly  ivo        quarterly  decision_date, pupils   (no purpose)
//   C ref-adhoc      ivo        ad hoc     case_file               (purpose
//                    "För uppföljning.", legal basis "none found", a grant)
//   D ref-monthly    scb        monthly    revenue
// A and B share "pupils" across agencies: DUPLICATE_DATA on both.
//
// Reports (municipality period minutes):
//   A  0180 Y 40 | 0182 Y 60 | 1283 Y 110
//        3 reports, 210 min, median 60
//   B  0180 YQ1 20 | 0180 YQ2 30 | 0180 YQ3 40 | 0182 YQ1 50 | 0182 YQ1 10
//        5 reports, 150 min, median 30 (10 20 30 40 50); 0182 reported Q1
//        twice: one period received
//   C  0180 Y-03-01 100 | 0180 Y-06-01 200 | 1283 Y-05-05 300
//        3 reports, 600 min, median 200, 2 municipalities, 1 year
//   D  0180 Y-01 15 | 0180 Y-02 25
//        2 reports, 40 min, median 20
//
// National estimate (docs/burden.md): none of the four is estimable. The
// stratified estimate needs reports from at least 5 municipalities
// (--estimate_min_municipalities) and from each of SKR's nine municipality
// groups (all 290 municipalities must report); 0180 is in A1, 0182 in A2,
// 1283 in B3:
//   A  3 municipalities, groups A1 A2 B3    B  2, A1 A2
//   C  2, A1 B3                             D  1, A1
// So national_hours and national_cost_sek are 0, `national` says estimable
// false with the reason, the accounts rank by measured minutes (C 600, A
// 210, B 150, D 40), and the national sums of the arena report are 0 with
// 4 duties (3 of them flagged) left out; the metrics have no national
// series. (The former median x reports a year x 290 made 290, 580, 1 450
// and 1 160 hours of them.) C's reports a year are still observed:
// 3 / (2 municipalities x 1 year) = 1.5.
// NationalEstimateOfADutyReportedInEveryGroup works an estimate out.
//
// Completeness for Y..Y (expected periods x 290; received = distinct
// (municipality, period) pairs):
//   A  1 period:   received 3 of 290
//   B  4 quarters: received 4 (0180 Q1 Q2 Q3, 0182 Q1) of 1 160
//   D  12 months:  received 2 of 3 480
//   C  ad hoc: nothing expected, no row
//   total 9 of 4 930; per municipality 17 expected periods:
//   0180 6 (1 + 3 + 2), 0182 2 (1 + 1), 1283 1, every other 0.
//
// Measured hours and cost (hours = minutes / 60; cost = minutes x 10 SEK):
//   A  210 / 60 = 3.5 h   2 100 SEK    B  150 / 60 = 2.5 h    1 500 SEK
//   C  600 / 60 = 10 h    6 000 SEK    D   40 / 60 = 0.667 h    400 SEK
//   D is reported by one municipality (0180), 12 times a year (monthly).
//
// Burden summaries (GetBurdenSummary). A, B and C are flagged, D is not, so
// flagged share = minutes of A, B and C / minutes. Rows by minutes, largest
// first; "munic." = distinct municipalities.
//   by agency         reports    minutes          hours            cost    munic.  flagged
//     ivo (B, C)      5 + 3 = 8  150 + 600 = 750  12.5             7 500   3       750 / 750 = 1
//     skolverket (A)  3          210              3.5              2 100   3       1
//     scb (D)         2          40               40 / 60 = 0.667  400     1       0
//     total           13         1 000            16.667           10 000  3       960/1 000 = 0.96
//   by duty           C 3 600 10 6 000 2 1 | A 3 210 3.5 2 100 3 1 |
//                     B 5 150 2.5 1 500 2 1 | D 2 40 0.667 400 1 0
//   by municipality   (reports and minutes of A + B + C + D)
//     0180 Stockholm    1+3+2+2 = 8  40+90+300+40 = 470  7.833  4 700  1  430 / 470 = 0.915
//     1283 Helsingborg  1+0+1+0 = 2  110+300 = 410       6.833  4 100  1  1
//     0182 Nacka        1+2+0+0 = 3  60+60 = 120         2      1 200  1  1
//   by county         (01 = 0180 + 0182, 12 = 1283)
//     01 Stockholms län  8 + 3 = 11  470 + 120 = 590  9.833  5 900  2  (430 + 120) / 590 = 0.932
//     12 Skåne län       2           410              6.833  4 100  1  1
//   by sector         social_services (A, B, C) 11 960 16 9 600 3 1 |
//                     finance (D) 2 40 0.667 400 1 0
//   by period         (duty, reports, minutes, [municipalities] where more than one)
//     Y-05-05 C 1 300 | Y A 3 40+60+110 = 210 [3] | Y-06-01 C 1 200 | Y-03-01 C 1 100 |
//     YQ1 B 3 20+50+10 = 80 [0180 0182] | YQ3 B 1 40 | YQ2 B 1 30 |
//     Y-02 D 1 25, share 0 | Y-01 D 1 15, share 0
//   The totals row is the same in every grouping: 13 1 000 16.667 10 000 3 0.96.
//
// The arena report's by-agency and by-sector rows are those summary rows
// with the national cost of their estimable duties (none: 0 each) and the
// number of duties left out: ivo 2 (B, C), skolverket 1, scb 1;
// social_services 3, finance 1; total 4, of them flagged 3.
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "common/csv/csv.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/report_stream.h"
#include "tests/support/server_process.h"

namespace inrapport {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing::ServerProcess;
using testing::TempDir;

// Last year, and yesterday (UTC): a date that has passed in Sweden too.
int LastYear() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  return utc.tm_year + 1900 - 1;
}

std::string Yesterday() {
  const std::time_t then = std::time(nullptr) - 24 * 60 * 60;
  std::tm utc{};
  gmtime_r(&then, &utc);
  return absl::StrFormat("%04d-%02d-%02d", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
}

const std::string kY = std::to_string(LastYear());

v1::ReportingDuty Duty(const std::string& id, const std::string& agency,
                       v1::Frequency frequency, std::vector<std::string> items) {
  v1::ReportingDuty duty;
  duty.set_id(id);
  duty.set_agency_id(agency);
  duty.set_title("Title of " + id);
  duty.set_legal_basis("SFS 2001:99");
  duty.set_purpose(agency + " uses the data to publish official statistics.");
  duty.set_sector(v1::SECTOR_SOCIAL_SERVICES);
  duty.set_frequency(frequency);
  for (const std::string& item : items) duty.add_data_items(item);
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
  return report;
}

std::vector<std::string> Codes(const v1::ReportingDuty& duty) {
  std::vector<std::string> codes;
  for (const v1::Flag& flag : duty.flags()) codes.push_back(flag.code());
  return codes;
}

// A burden row as worked out at the top of this file.
struct Row {
  std::string key;
  std::string label;
  int64_t reports;
  int64_t minutes;
  double hours;
  double cost_sek;
  int municipalities;
  double flagged_share;
};

// Every grouping's totals: 13 reports, 1 000 minutes, 3 municipalities, 960
// of the minutes on flagged duties.
const Row kTotals{"total", "", 13, 1000, 1000.0 / 60, 10000, 3, 0.96};

void ExpectRow(const v1::BurdenRow& actual, const Row& expected) {
  SCOPED_TRACE(expected.key);
  EXPECT_EQ(actual.key(), expected.key);
  EXPECT_EQ(actual.label(), expected.label);
  EXPECT_EQ(actual.reports(), expected.reports);
  EXPECT_EQ(actual.minutes(), expected.minutes);
  EXPECT_DOUBLE_EQ(actual.hours(), expected.hours);
  EXPECT_DOUBLE_EQ(actual.cost_sek(), expected.cost_sek);
  EXPECT_EQ(actual.municipalities(), expected.municipalities);
  EXPECT_DOUBLE_EQ(actual.flagged_minutes_share(), expected.flagged_share);
}

void ExpectRow(const v1::ArenaBurdenRow& actual, const Row& expected, double national_cost_sek,
               int64_t not_estimable_duties) {
  SCOPED_TRACE(expected.key);
  EXPECT_EQ(actual.key(), expected.key);
  EXPECT_EQ(actual.reports(), expected.reports);
  EXPECT_EQ(actual.minutes(), expected.minutes);
  EXPECT_DOUBLE_EQ(actual.hours(), expected.hours);
  EXPECT_DOUBLE_EQ(actual.cost_sek(), expected.cost_sek);
  EXPECT_EQ(actual.municipalities(), expected.municipalities);
  EXPECT_DOUBLE_EQ(actual.flagged_share(), expected.flagged_share);
  EXPECT_DOUBLE_EQ(actual.national_cost_sek(), national_cost_sek);
  EXPECT_EQ(actual.not_estimable_duties(), not_estimable_duties);
}

class AccountingTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  // No grace time for NO_RECORDED_USE: last year's periods have all ended,
  // so the flag does not depend on how far into this year today is.
  void Start(std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), "--no_recorded_use_grace_days=0");
    extra.push_back("--tariff_sek_per_hour=600");
    server_ = ServerProcess::Start(dir_.path() + "/inrapport.db", extra);
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(server_->grpc_address(), grpc::InsecureChannelCredentials());
    duties_ = v1::DutyRegistry::NewStub(channel_);
    intake_ = v1::ReportIntake::NewStub(channel_);
    burden_ = v1::BurdenQuery::NewStub(channel_);
  }

  void Restart(std::vector<std::string> extra = {}) {
    const int status = server_->Terminate();
    ASSERT_TRUE(WIFEXITED(status)) << server_->Log();
    Start(std::move(extra));
  }

  void Create(const v1::ReportingDuty& duty) {
    grpc::ClientContext context;
    v1::CreateDutyRequest request;
    *request.mutable_duty() = duty;
    v1::ReportingDuty response;
    grpc::Status status = duties_->CreateDuty(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  v1::ReportingDuty Get(const std::string& id) {
    grpc::ClientContext context;
    v1::GetDutyRequest request;
    request.set_id(id);
    v1::ReportingDuty duty;
    grpc::Status status = duties_->GetDuty(&context, request, &duty);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return duty;
  }

  v1::SubmitReportsResponse Stream(const std::vector<v1::Report>& reports) {
    return testing::StreamReports(*intake_, reports);
  }

  grpc::Status RecordUse(const std::string& duty, const std::string& use_id,
                         const std::string& date, v1::RecordDutyUseResponse* out = nullptr,
                         const std::string& description = "Published in the yearly statistics.",
                         const std::string& data_period = kY) {
    grpc::ClientContext context;
    v1::RecordDutyUseRequest request;
    v1::DutyUse* use = request.mutable_use();
    use->set_duty_id(duty);
    use->set_use_id(use_id);
    use->set_kind(v1::USE_KIND_PUBLICATION);
    use->set_date(date);
    use->set_first_period(data_period);
    use->set_description(description);
    use->set_link("https://example.org/" + use_id);
    v1::RecordDutyUseResponse response;
    grpc::Status status = duties_->RecordDutyUse(&context, request, &response);
    if (out != nullptr) *out = response;
    return status;
  }

  std::map<std::string, v1::DutyAccount> Accounts(std::vector<std::string>* order = nullptr) {
    grpc::ClientContext context;
    v1::ListDutyAccountsResponse response;
    grpc::Status status = burden_->ListDutyAccounts(&context, {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, v1::DutyAccount> accounts;
    for (const auto& a : response.accounts()) {
      if (order != nullptr) order->push_back(a.duty_id());
      accounts[a.duty_id()] = a;
    }
    return accounts;
  }

  grpc::Status Completeness(v1::GetCompletenessRequest request,
                            v1::GetCompletenessResponse* response) {
    grpc::ClientContext context;
    return burden_->GetCompleteness(&context, request, response);
  }

  // The dataset described at the top of this file. B, C and D get a use of
  // last year's data dated yesterday, so that NO_RECORDED_USE cannot depend
  // on today's date for them; A has none yet.
  void LoadReferenceData() {
    Create(Duty("ref-annual", "skolverket", v1::FREQUENCY_ANNUAL,
                {"pupils", "grades", "teachers"}));
    v1::ReportingDuty b =
        Duty("ref-quarterly", "ivo", v1::FREQUENCY_QUARTERLY, {"decision_date", "pupils"});
    b.set_purpose("");
    b.set_legal_basis("SoL (2001:453) 16 kap. 6 f § [paragraph number unverified]");
    Create(b);
    v1::ReportingDuty c = Duty("ref-adhoc", "ivo", v1::FREQUENCY_AD_HOC, {"case_file"});
    c.set_purpose("För uppföljning.");
    c.set_legal_basis("none found");
    c.set_targeted_grant("Stimulansmedel");
    Create(c);
    v1::ReportingDuty d = Duty("ref-monthly", "scb", v1::FREQUENCY_MONTHLY, {"revenue"});
    d.set_sector(v1::SECTOR_FINANCE);
    Create(d);

    const v1::SubmitReportsResponse stored = Stream({
        Report("a1", "0180", "ref-annual", kY, 40),
        Report("a2", "0182", "ref-annual", kY, 60),
        Report("a3", "1283", "ref-annual", kY, 110),
        Report("b1", "0180", "ref-quarterly", kY + "Q1", 20),
        Report("b2", "0180", "ref-quarterly", kY + "Q2", 30),
        Report("b3", "0180", "ref-quarterly", kY + "Q3", 40),
        Report("b4", "0182", "ref-quarterly", kY + "Q1", 50),
        Report("b5", "0182", "ref-quarterly", kY + "Q1", 10),
        Report("b1", "0180", "ref-quarterly", kY + "Q1", 20),  // a retry: counted once
        Report("c1", "0180", "ref-adhoc", kY + "-03-01", 100),
        Report("c2", "0180", "ref-adhoc", kY + "-06-01", 200),
        Report("c3", "1283", "ref-adhoc", kY + "-05-05", 300),
        Report("d1", "0180", "ref-monthly", kY + "-01", 15),
        Report("d2", "0180", "ref-monthly", kY + "-02", 25),
    });
    ASSERT_EQ(stored.accepted(), 13);
    ASSERT_EQ(stored.duplicate(), 1);
    ASSERT_EQ(stored.rejected(), 0) << stored.DebugString();
    ASSERT_TRUE(RecordUse("ref-quarterly", "tillsyn", Yesterday()).ok());
    ASSERT_TRUE(RecordUse("ref-adhoc", "beslut", Yesterday()).ok());
    ASSERT_TRUE(RecordUse("ref-monthly", "statistik", Yesterday()).ok());
  }

  // A national estimate that is not estimable: no figure, a reason, and
  // its basis all the same.
  static void ExpectNotEstimable(const v1::DutyAccount& a, const std::string& reason_start) {
    SCOPED_TRACE(a.duty_id());
    const v1::NationalEstimate& e = a.national();
    EXPECT_FALSE(e.estimable());
    EXPECT_EQ(a.national_hours(), 0);
    EXPECT_EQ(a.national_cost_sek(), 0);
    EXPECT_EQ(e.hours_per_year(), 0);
    EXPECT_EQ(e.hours_per_year_low(), 0);
    EXPECT_EQ(e.hours_per_year_high(), 0);
    EXPECT_EQ(e.cost_sek_per_year(), 0);
    EXPECT_THAT(e.not_estimable_reason(), StartsWith(reason_start));
    EXPECT_FALSE(e.not_estimable_reason_sv().empty());
    EXPECT_EQ(e.reports(), a.reports());
    EXPECT_EQ(e.municipalities(), a.municipalities());
    EXPECT_EQ(e.expected_municipalities(), 290);
    EXPECT_EQ(e.groups_expected(), 9);
    EXPECT_THAT(e.basis(), StartsWith("staff hours per year over the 290 municipalities"));
  }

  void ExpectReferenceAccounts() {
    std::vector<std::string> order;
    auto accounts = Accounts(&order);
    // None is estimable: ranked by measured minutes.
    EXPECT_THAT(order, ElementsAre("ref-adhoc", "ref-annual", "ref-quarterly", "ref-monthly"));

    const v1::DutyAccount& a = accounts["ref-annual"];
    EXPECT_EQ(a.reports(), 3);
    EXPECT_EQ(a.municipalities(), 3);
    EXPECT_EQ(a.minutes(), 210);
    EXPECT_DOUBLE_EQ(a.median_minutes(), 60);
    EXPECT_DOUBLE_EQ(a.hours(), 3.5);
    EXPECT_DOUBLE_EQ(a.cost_sek(), 2100);
    EXPECT_DOUBLE_EQ(a.reports_per_municipality_per_year(), 1);
    ExpectNotEstimable(a, "3 municipalities of 290 reported; at least 5 are needed; 6 of 9 "
                          "municipality groups have no reports: ");
    EXPECT_EQ(a.national().groups_covered(), 3);
    EXPECT_EQ(a.national().first_period(), kY);
    EXPECT_EQ(a.national().last_period(), kY);
    EXPECT_EQ(a.national().yearly_count_basis(), "fixed by the frequency: annual, 1 a year");

    const v1::DutyAccount& b = accounts["ref-quarterly"];
    EXPECT_EQ(b.reports(), 5);
    EXPECT_EQ(b.municipalities(), 2);
    EXPECT_EQ(b.minutes(), 150);
    EXPECT_DOUBLE_EQ(b.median_minutes(), 30);
    EXPECT_DOUBLE_EQ(b.hours(), 2.5);
    EXPECT_DOUBLE_EQ(b.cost_sek(), 1500);
    EXPECT_DOUBLE_EQ(b.reports_per_municipality_per_year(), 4);
    ExpectNotEstimable(b, "2 municipalities of 290 reported; at least 5 are needed; 7 of 9 ");
    EXPECT_EQ(b.national().groups_covered(), 2);
    EXPECT_EQ(b.national().first_period(), kY + "Q1");
    EXPECT_EQ(b.national().last_period(), kY + "Q3");
    EXPECT_EQ(b.recorded_uses(), 1);

    const v1::DutyAccount& c = accounts["ref-adhoc"];
    EXPECT_EQ(c.reports(), 3);
    EXPECT_EQ(c.municipalities(), 2);
    EXPECT_EQ(c.minutes(), 600);
    EXPECT_DOUBLE_EQ(c.median_minutes(), 200);
    EXPECT_DOUBLE_EQ(c.hours(), 10);
    EXPECT_DOUBLE_EQ(c.cost_sek(), 6000);
    EXPECT_DOUBLE_EQ(c.reports_per_municipality_per_year(), 1.5);
    ExpectNotEstimable(c, "2 municipalities of 290 reported; at least 5 are needed; 7 of 9 ");
    EXPECT_DOUBLE_EQ(c.national().reports_per_municipality_per_year(), 1.5);
    EXPECT_EQ(c.national().yearly_count_basis(),
              "observed (ad hoc): 3 reports / (2 municipalities x 1 calendar year) = 1.50 a year");
    EXPECT_EQ(c.national().first_period(), kY + "-03-01");
    EXPECT_EQ(c.national().last_period(), kY + "-06-01");

    const v1::DutyAccount& d = accounts["ref-monthly"];
    EXPECT_EQ(d.reports(), 2);
    EXPECT_EQ(d.municipalities(), 1);
    EXPECT_EQ(d.minutes(), 40);
    EXPECT_DOUBLE_EQ(d.median_minutes(), 20);
    EXPECT_DOUBLE_EQ(d.hours(), 40.0 / 60);
    EXPECT_NEAR(d.hours(), 0.667, 0.0005);
    EXPECT_DOUBLE_EQ(d.reports_per_municipality_per_year(), 12);
    EXPECT_DOUBLE_EQ(d.cost_sek(), 400);
    ExpectNotEstimable(d, "1 municipality of 290 reported; at least 5 are needed; 8 of 9 ");
    EXPECT_THAT(d.national().not_estimable_reason_sv(),
                StartsWith("1 av 290 kommuner har rapporterat; minst 5 behövs; 8 av 9 "
                           "kommungrupper saknar inrapporteringar: "));
    EXPECT_EQ(d.national().basis(),
              "staff hours per year over the 290 municipalities that must report; from 2 "
              "reports by 1 municipality in 1 of 9 SKR groups (1 of them with one "
              "municipality, which adds no spread to the interval), periods " + kY + "-01.." +
              kY + "-02; reports a year: fixed by the frequency: monthly, 12 a year");
    EXPECT_TRUE(d.flag_codes().empty());
  }

  v1::GetBurdenSummaryResponse Summary(v1::GroupBy group_by) {
    grpc::ClientContext context;
    v1::GetBurdenSummaryRequest request;
    request.set_group_by(group_by);
    v1::GetBurdenSummaryResponse response;
    grpc::Status status = burden_->GetBurdenSummary(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // The rows of the summary grouped by `group_by`, in order, and its totals.
  void ExpectSummary(v1::GroupBy group_by, const std::vector<Row>& rows) {
    SCOPED_TRACE(v1::GroupBy_Name(group_by));
    const v1::GetBurdenSummaryResponse response = Summary(group_by);
    ASSERT_EQ(response.rows_size(), static_cast<int>(rows.size())) << response.DebugString();
    for (size_t i = 0; i < rows.size(); ++i) {
      ExpectRow(response.rows(static_cast<int>(i)), rows[i]);
    }
    ExpectRow(response.totals(), kTotals);
    EXPECT_DOUBLE_EQ(response.tariff_sek_per_hour(), 600);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::DutyRegistry::Stub> duties_;
  std::unique_ptr<v1::ReportIntake::Stub> intake_;
  std::unique_ptr<v1::BurdenQuery::Stub> burden_;
};

TEST_F(AccountingTest, FlagsOfTheReferenceDutiesWithTheirEvidence) {
  LoadReferenceData();
  const v1::ReportingDuty a = Get("ref-annual");
  EXPECT_THAT(Codes(a), ElementsAre("DUPLICATE_DATA", "NO_RECORDED_USE"));
  const v1::Flag& duplicate = a.flags(0);
  EXPECT_THAT(duplicate.reason(), HasSubstr("ref-annual"));
  EXPECT_THAT(duplicate.evidence().at("other_duties"), HasSubstr("ref-quarterly"));
  EXPECT_EQ(duplicate.evidence().at("shared_items"), "pupils");
  // 210 measured minutes x 1 shared item of 3.
  EXPECT_EQ(duplicate.evidence().at("overlap_minutes"), "70");
  EXPECT_EQ(a.flags(1).evidence().at("periods_without_use"), kY);
  EXPECT_EQ(a.flags(1).evidence().at("reports_in_those_periods"), "3");
  EXPECT_EQ(a.flags(1).evidence().at("uses_ever"), "0");
  // Per period: A's one period is flagged for both; B's quarters, whose
  // data was used, for the catalogue's flags only.
  ASSERT_EQ(a.period_flags_size(), 1);
  EXPECT_EQ(a.period_flags(0).period(), kY);
  EXPECT_THAT(a.period_flags(0).codes(), ElementsAre("DUPLICATE_DATA", "NO_RECORDED_USE"));

  const v1::ReportingDuty b = Get("ref-quarterly");
  EXPECT_THAT(Codes(b), ElementsAre("DUPLICATE_DATA", "NO_STATED_PURPOSE"));
  ASSERT_EQ(b.period_flags_size(), 3);
  for (const v1::PeriodFlags& period : b.period_flags()) {
    EXPECT_THAT(period.codes(), ElementsAre("DUPLICATE_DATA", "NO_STATED_PURPOSE"))
        << period.period();
  }
  EXPECT_EQ(b.period_flags(0).period(), kY + "Q1");
  // The time spent on a duty with no stated purpose: 5 reports, 150 minutes
  // = 2.5 hours, median 30. The national estimate is the account's.
  const v1::Flag& no_purpose = b.flags(1);
  EXPECT_EQ(no_purpose.evidence().at("purpose_characters"), "0");
  EXPECT_EQ(no_purpose.evidence().at("reports"), "5");
  EXPECT_EQ(no_purpose.evidence().at("measured_minutes"), "150");
  EXPECT_EQ(no_purpose.evidence().at("measured_hours"), "2.5");
  EXPECT_EQ(no_purpose.evidence().at("median_minutes"), "30");
  EXPECT_EQ(no_purpose.evidence().count("national_hours"), 0u);
  // The reference is read through the "unverified" note, which stays, and
  // kept with its parts.
  ASSERT_EQ(b.legal_references_size(), 1);
  const v1::LegalReference& sol = b.legal_references(0);
  EXPECT_EQ(sol.kind(), v1::LegalReference::KIND_STATUTE);
  EXPECT_EQ(sol.act(), "SoL");
  EXPECT_EQ(sol.sfs_number(), "2001:453");
  EXPECT_EQ(sol.chapter(), "16");
  EXPECT_EQ(sol.section(), "6 f");
  EXPECT_EQ(sol.point(), "");
  EXPECT_EQ(sol.text(), "SoL (2001:453) 16 kap. 6 f §");
  EXPECT_THAT(b.legal_basis(), HasSubstr("unverified"));
  EXPECT_TRUE(b.legal_basis_unverified());  // shown beside the duty, not a flag
  EXPECT_EQ(b.recorded_uses(), 1);

  const v1::ReportingDuty c = Get("ref-adhoc");
  EXPECT_THAT(Codes(c),
              ElementsAre("BOILERPLATE_PURPOSE", "NO_LEGAL_BASIS", "TARGETED_GRANT_REPORTING"));
  EXPECT_TRUE(c.legal_references().empty());
  EXPECT_FALSE(c.legal_basis_unverified());
  for (const v1::Flag& flag : c.flags()) EXPECT_FALSE(flag.reason_sv().empty()) << flag.code();
  // The grant's re-reporting so far: 3 reports, 600 minutes = 10 hours,
  // median 200. Its national estimate (not estimable) is in its account,
  // not in the flag.
  const v1::Flag& grant = c.flags(2);
  EXPECT_EQ(grant.evidence().at("targeted_grant"), "Stimulansmedel");
  EXPECT_EQ(grant.evidence().at("agency_id"), "ivo");
  EXPECT_EQ(grant.evidence().at("reports"), "3");
  EXPECT_EQ(grant.evidence().at("measured_minutes"), "600");
  EXPECT_EQ(grant.evidence().at("measured_hours"), "10");
  EXPECT_EQ(grant.evidence().at("median_minutes"), "200");
  EXPECT_EQ(grant.evidence().count("national_hours"), 0u);

  const v1::ReportingDuty d = Get("ref-monthly");
  EXPECT_TRUE(d.flags().empty());
  ASSERT_EQ(d.legal_references_size(), 1);
  EXPECT_EQ(d.legal_references(0).kind(), v1::LegalReference::KIND_STATUTE);
  EXPECT_EQ(d.legal_references(0).act(), "SFS");
  EXPECT_EQ(d.legal_references(0).sfs_number(), "2001:99");
  EXPECT_EQ(d.legal_references(0).text(), "SFS 2001:99");
}

// CreateDuty answers with the references it read, each with its parts, and
// UpdateDuty reads them again from the new text.
TEST_F(AccountingTest, ACreatedDutyReturnsItsParsedLegalReferences) {
  v1::ReportingDuty duty = Duty("refs", "socialstyrelsen", v1::FREQUENCY_ANNUAL, {"cases"});
  duty.set_legal_basis(
      "Förordning (1981:1370) 2 § d-e; LSS 28 f § [paragraph unverified]; HSLF-FS 2016:40");
  // Output only: references a client sends are ignored.
  duty.add_legal_references()->set_text("SFS 1999:1");
  grpc::ClientContext context;
  v1::CreateDutyRequest request;
  *request.mutable_duty() = duty;
  v1::ReportingDuty created;
  ASSERT_TRUE(duties_->CreateDuty(&context, request, &created).ok());

  for (const v1::ReportingDuty& got : {created, Get("refs")}) {
    ASSERT_EQ(got.legal_references_size(), 3) << got.DebugString();
    const v1::LegalReference& statute = got.legal_references(0);
    EXPECT_EQ(statute.kind(), v1::LegalReference::KIND_STATUTE);
    EXPECT_EQ(statute.act(), "Förordning");
    EXPECT_EQ(statute.sfs_number(), "1981:1370");
    EXPECT_EQ(statute.chapter(), "");
    EXPECT_EQ(statute.section(), "2");
    EXPECT_EQ(statute.point(), "d–e");
    EXPECT_EQ(statute.text(), "Förordning (1981:1370) 2 § d–e");
    const v1::LegalReference& section = got.legal_references(1);
    EXPECT_EQ(section.kind(), v1::LegalReference::KIND_SECTION);
    EXPECT_EQ(section.act(), "LSS");
    EXPECT_EQ(section.sfs_number(), "");
    EXPECT_EQ(section.section(), "28 f");
    EXPECT_EQ(section.text(), "LSS 28 f §");
    const v1::LegalReference& regulation = got.legal_references(2);
    EXPECT_EQ(regulation.kind(), v1::LegalReference::KIND_REGULATION);
    EXPECT_EQ(regulation.act(), "HSLF-FS");
    EXPECT_EQ(regulation.sfs_number(), "2016:40");
    EXPECT_EQ(regulation.text(), "HSLF-FS 2016:40");
  }

  duty.clear_legal_references();
  duty.set_legal_basis("SkolL 26 kap. 25 §");
  grpc::ClientContext update_context;
  v1::UpdateDutyRequest update;
  *update.mutable_duty() = duty;
  v1::ReportingDuty updated;
  ASSERT_TRUE(duties_->UpdateDuty(&update_context, update, &updated).ok());
  ASSERT_EQ(updated.legal_references_size(), 1);
  EXPECT_EQ(updated.legal_references(0).kind(), v1::LegalReference::KIND_SECTION);
  EXPECT_EQ(updated.legal_references(0).act(), "SkolL");
  EXPECT_EQ(updated.legal_references(0).chapter(), "26");
  EXPECT_EQ(updated.legal_references(0).section(), "25");
  EXPECT_EQ(updated.legal_references(0).text(), "SkolL 26 kap. 25 §");
}

// A duty whose end date has passed and still receives reports: EXPIRED,
// with its evidence, until the agency moves the end date past the periods.
TEST_F(AccountingTest, ReportsAfterValidUntilAreExpiredUntilTheDateMoves) {
  v1::ReportingDuty duty = Duty("ended", "msb", v1::FREQUENCY_MONTHLY, {"drills"});
  duty.set_valid_until(kY + "-01-31");
  Create(duty);
  // January ends on valid_until: covered by the duty, never flagged.
  Stream({Report("e1", "0180", "ended", kY + "-01", 30)});
  EXPECT_TRUE(Get("ended").flags().empty());

  // March and May start after it. (Last year's months lie before the four
  // monthly periods NO_RECORDED_USE looks at, whatever today is.)
  const v1::SubmitReportsResponse late = Stream({Report("e2", "0180", "ended", kY + "-03", 30),
                                                 Report("e3", "0182", "ended", kY + "-05", 45)});
  ASSERT_EQ(late.accepted(), 2) << late.DebugString();
  const v1::ReportingDuty expired = Get("ended");
  ASSERT_THAT(Codes(expired), ElementsAre("EXPIRED"));
  const v1::Flag& flag = expired.flags(0);
  EXPECT_THAT(flag.reason(), HasSubstr("\"ended\""));
  EXPECT_THAT(flag.reason(), HasSubstr(kY + "-01-31"));
  EXPECT_EQ(flag.evidence().at("valid_until"), kY + "-01-31");
  EXPECT_EQ(flag.evidence().at("reports_after"), "2");
  EXPECT_EQ(flag.evidence().at("latest_period"), kY + "-05");

  // Until the end of April: May is still after it.
  auto update = [this, &duty](const std::string& valid_until) {
    duty.set_valid_until(valid_until);
    grpc::ClientContext context;
    v1::UpdateDutyRequest request;
    *request.mutable_duty() = duty;
    v1::ReportingDuty updated;
    grpc::Status status = duties_->UpdateDuty(&context, request, &updated);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return updated;
  };
  v1::ReportingDuty updated = update(kY + "-04-30");
  ASSERT_THAT(Codes(updated), ElementsAre("EXPIRED"));
  EXPECT_EQ(updated.flags(0).evidence().at("reports_after"), "1");
  EXPECT_EQ(updated.flags(0).evidence().at("latest_period"), kY + "-05");

  // Until the end of May: every report is within it, and the flag clears,
  // also after a restart, which rebuilds the flags from the store.
  updated = update(kY + "-05-31");
  EXPECT_TRUE(updated.flags().empty()) << updated.DebugString();
  EXPECT_TRUE(Get("ended").flags().empty());
  Restart();
  EXPECT_TRUE(Get("ended").flags().empty());
}

// The quarter running now (UTC), e.g. "2026Q4".
std::string ThisQuarter() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  return absl::StrCat(utc.tm_year + 1900, "Q", utc.tm_mon / 3 + 1);
}

std::map<std::string, int64_t> MinutesByKey(const v1::GetBurdenSummaryResponse& summary,
                                            bool flagged = false) {
  std::map<std::string, int64_t> minutes;
  for (const auto& row : summary.rows()) {
    minutes[row.key()] = flagged ? std::llround(row.minutes() * row.flagged_minutes_share())
                                 : row.minutes();
  }
  return minutes;
}

// A flag belongs to a duty and a period: B states a purpose today, so its
// reports of the running quarter are no longer flagged NO_STATED_PURPOSE,
// while last year's stay flagged, in summaries, metrics and after a restart.
TEST_F(AccountingTest, APurposeStatedTodayKeepsLastYearFlaggedThroughTheServer) {
  LoadReferenceData();
  const std::string now = ThisQuarter();
  ASSERT_EQ(Stream({Report("b6", "0180", "ref-quarterly", now, 60)}).accepted(), 1);
  EXPECT_EQ(MinutesByKey(Summary(v1::GROUP_BY_FLAG))["NO_STATED_PURPOSE"], 150 + 60);

  v1::ReportingDuty b = Get("ref-quarterly");
  b.set_purpose("IVO följer upp ej verkställda beslut.");
  {
    grpc::ClientContext context;
    v1::UpdateDutyRequest request;
    *request.mutable_duty() = b;
    v1::ReportingDuty updated;
    ASSERT_TRUE(duties_->UpdateDuty(&context, request, &updated).ok());
    EXPECT_THAT(Codes(updated), ElementsAre("DUPLICATE_DATA"));  // flags now
  }
  auto check = [&] {
    const v1::ReportingDuty duty = Get("ref-quarterly");
    ASSERT_EQ(duty.period_flags_size(), 4);
    EXPECT_EQ(duty.period_flags(3).period(), now);
    EXPECT_THAT(duty.period_flags(3).codes(), ElementsAre("DUPLICATE_DATA"));
    EXPECT_THAT(duty.period_flags(0).codes(),
                ElementsAre("DUPLICATE_DATA", "NO_STATED_PURPOSE"));
    std::map<std::string, int64_t> by_flag = MinutesByKey(Summary(v1::GROUP_BY_FLAG));
    EXPECT_EQ(by_flag["NO_STATED_PURPOSE"], 150);
    EXPECT_EQ(by_flag["DUPLICATE_DATA"], 210 + 150 + 60);
    // By period: last year's quarters of B keep their flagged minutes.
    std::map<std::string, int64_t> flagged = MinutesByKey(Summary(v1::GROUP_BY_PERIOD), true);
    EXPECT_EQ(flagged[kY + "Q1"], 80);
    EXPECT_EQ(flagged[now], 60);  // DUPLICATE_DATA still
  };
  check();
  Restart();
  check();
}

// NO_RECORDED_USE waits the grace time after a period's end: with ten years
// of it, last year's data of A is not yet expected to have been used.
TEST_F(AccountingTest, NoRecordedUseWaitsForTheGraceTime) {
  LoadReferenceData();
  EXPECT_THAT(Codes(Get("ref-annual")), ElementsAre("DUPLICATE_DATA", "NO_RECORDED_USE"));
  Restart({"--no_recorded_use_grace_days=3650"});
  const v1::ReportingDuty a = Get("ref-annual");
  EXPECT_THAT(Codes(a), ElementsAre("DUPLICATE_DATA"));
  ASSERT_EQ(a.period_flags_size(), 1);
  EXPECT_THAT(a.period_flags(0).codes(), ElementsAre("DUPLICATE_DATA"));
  EXPECT_EQ(MinutesByKey(Summary(v1::GROUP_BY_FLAG)).count("NO_RECORDED_USE"), 0u);
}

// Only a use of a period's data clears that period.
TEST_F(AccountingTest, AUseOfOtherDataDoesNotClearNoRecordedUse) {
  LoadReferenceData();
  const std::string before = std::to_string(LastYear() - 1);
  ASSERT_TRUE(RecordUse("ref-annual", "old", Yesterday(), nullptr,
                        "Published in the yearly statistics.", before)
                  .ok());
  EXPECT_THAT(Codes(Get("ref-annual")), ElementsAre("DUPLICATE_DATA", "NO_RECORDED_USE"));
  EXPECT_EQ(MinutesByKey(Summary(v1::GROUP_BY_FLAG))["NO_RECORDED_USE"], 210);
  ASSERT_TRUE(RecordUse("ref-annual", "this", Yesterday()).ok());
  EXPECT_THAT(Codes(Get("ref-annual")), ElementsAre("DUPLICATE_DATA"));
  EXPECT_EQ(MinutesByKey(Summary(v1::GROUP_BY_FLAG)).count("NO_RECORDED_USE"), 0u);
}

TEST_F(AccountingTest, RecordingAUseClearsNoRecordedUseAndIsIdempotent) {
  LoadReferenceData();
  v1::RecordDutyUseResponse response;
  ASSERT_TRUE(RecordUse("ref-annual", "skolstatistik", Yesterday(), &response).ok());
  EXPECT_FALSE(response.duplicate());
  EXPECT_THAT(Codes(Get("ref-annual")), ElementsAre("DUPLICATE_DATA"));
  EXPECT_EQ(Get("ref-annual").recorded_uses(), 1);

  // A retry is acknowledged again and counted once; other content is refused.
  ASSERT_TRUE(RecordUse("ref-annual", "skolstatistik", Yesterday(), &response).ok());
  EXPECT_TRUE(response.duplicate());
  EXPECT_EQ(Get("ref-annual").recorded_uses(), 1);
  grpc::Status conflict =
      RecordUse("ref-annual", "skolstatistik", Yesterday(), nullptr, "Something else.");
  EXPECT_EQ(conflict.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(conflict.error_message(), StartsWith("use.use_id"));

  // Bad input names the field; an unknown duty is NOT_FOUND.
  grpc::Status future = RecordUse("ref-annual", "later", "2999-01-01");
  EXPECT_EQ(future.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(future.error_message(), StartsWith("use.date"));
  EXPECT_EQ(RecordUse("no-such-duty", "x", Yesterday()).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(AccountingTest, MunicipalitiesListTheUsesOfTheDutiesTheyReport) {
  LoadReferenceData();
  auto list = [this](v1::ListDutyUsesRequest request) {
    grpc::ClientContext context;
    v1::ListDutyUsesResponse response;
    grpc::Status status = duties_->ListDutyUses(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> ids;
    for (const auto& use : response.uses()) ids.push_back(use.duty_id() + "/" + use.use_id());
    return ids;
  };
  v1::ListDutyUsesRequest request;
  request.set_municipality_code("1283");  // reported A and C
  EXPECT_THAT(list(request), ElementsAre("ref-adhoc/beslut"));
  request.set_municipality_code("0180");  // reported A, B, C and D
  EXPECT_THAT(list(request), ElementsAre("ref-adhoc/beslut", "ref-monthly/statistik",
                                         "ref-quarterly/tillsyn"));
  request.set_municipality_code("2584");  // reported nothing
  EXPECT_TRUE(list(request).empty());
  request.Clear();
  request.set_agency_id("ivo");
  EXPECT_THAT(list(request), ElementsAre("ref-adhoc/beslut", "ref-quarterly/tillsyn"));

  // Pages of one: every use once, in order.
  request.Clear();
  request.set_page_size(1);
  std::vector<std::string> paged;
  do {
    grpc::ClientContext context;
    v1::ListDutyUsesResponse page;
    ASSERT_TRUE(duties_->ListDutyUses(&context, request, &page).ok());
    for (const auto& use : page.uses()) paged.push_back(use.use_id());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(paged, ElementsAre("beslut", "statistik", "tillsyn"));

  request.Clear();
  request.set_municipality_code("9999");
  grpc::ClientContext context;
  v1::ListDutyUsesResponse response;
  grpc::Status status = duties_->ListDutyUses(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("municipality_code"));
}

TEST_F(AccountingTest, AccountsHaveTheHandComputedFigures) {
  LoadReferenceData();
  ExpectReferenceAccounts();
}

TEST_F(AccountingTest, CompletenessIsReceivedOverExpectedPeriods) {
  LoadReferenceData();
  v1::GetCompletenessRequest request;
  request.set_period_from(kY);
  request.set_period_to(kY);
  v1::GetCompletenessResponse response;
  ASSERT_TRUE(Completeness(request, &response).ok());

  std::map<std::string, std::pair<int64_t, int64_t>> by_duty;
  std::map<std::string, double> rate;
  for (const auto& row : response.by_duty()) {
    by_duty[row.key()] = {row.received(), row.expected()};
    rate[row.key()] = row.rate();
  }
  EXPECT_EQ(by_duty.size(), 3u);  // the ad hoc duty expects nothing
  EXPECT_EQ(by_duty["ref-annual"], (std::pair<int64_t, int64_t>{3, 290}));
  EXPECT_EQ(by_duty["ref-quarterly"], (std::pair<int64_t, int64_t>{4, 1160}));
  EXPECT_EQ(by_duty["ref-monthly"], (std::pair<int64_t, int64_t>{2, 3480}));
  // 3 / 290 = 1.03 %, 4 / 1 160 = 0.34 %, 2 / 3 480 = 0.057 %.
  EXPECT_DOUBLE_EQ(rate["ref-annual"], 3.0 / 290.0);
  EXPECT_NEAR(rate["ref-annual"], 0.010345, 1e-6);
  EXPECT_DOUBLE_EQ(rate["ref-quarterly"], 4.0 / 1160.0);
  EXPECT_NEAR(rate["ref-quarterly"], 0.003448, 1e-6);
  EXPECT_DOUBLE_EQ(rate["ref-monthly"], 2.0 / 3480.0);
  EXPECT_NEAR(rate["ref-monthly"], 0.000575, 1e-6);
  EXPECT_EQ(response.totals().received(), 9);
  EXPECT_EQ(response.totals().expected(), 4930);
  EXPECT_DOUBLE_EQ(response.totals().rate(), 9.0 / 4930.0);

  ASSERT_EQ(response.by_municipality_size(), 290);
  std::map<std::string, v1::CompletenessRow> by_municipality;
  for (const auto& row : response.by_municipality()) by_municipality[row.key()] = row;
  EXPECT_EQ(by_municipality["0180"].received(), 6);
  EXPECT_EQ(by_municipality["0180"].expected(), 17);
  EXPECT_DOUBLE_EQ(by_municipality["0180"].rate(), 6.0 / 17.0);
  EXPECT_EQ(by_municipality["0180"].label(), "Stockholm");
  EXPECT_EQ(by_municipality["0182"].received(), 2);
  EXPECT_EQ(by_municipality["1283"].received(), 1);
  EXPECT_EQ(by_municipality["2584"].received(), 0);
  EXPECT_EQ(by_municipality["2584"].expected(), 17);

  // One municipality, one quarter: B's Q1 from 0182 (two reports) counts once.
  request.set_period_from(kY + "Q1");
  request.set_period_to(kY + "Q1");
  request.set_municipality_code("0182");
  ASSERT_TRUE(Completeness(request, &response).ok());
  ASSERT_EQ(response.by_municipality_size(), 1);
  // Q1 holds B's Q1 and D's January to March; A's year is not inside it.
  EXPECT_EQ(response.by_municipality(0).expected(), 4);
  EXPECT_EQ(response.by_municipality(0).received(), 1);

  // Errors name the field.
  v1::GetCompletenessRequest bad;
  bad.set_period_to(kY);
  grpc::Status status = Completeness(bad, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("period_from"));
  bad.set_period_from(kY + "Q5");
  status = Completeness(bad, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("period_from"));
  bad.set_period_from(kY);
  bad.set_duty_id("no-such-duty");
  EXPECT_EQ(Completeness(bad, &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

// A duty that only the three metropolitan municipalities must report (a
// targeted grant to them, say): completeness expects it from those three
// only, the estimate stratifies over them only, and a report from outside
// them is measured burden that neither completes nor samples the duty.
// With all three reported, 200, 150 and 250 minutes a quarter: ȳ = 200,
// 3 x 200 x 4 = 2 400 minutes = 40 hours a year, x 600 = 24 000 SEK.
TEST_F(AccountingTest, ADutyOfListedRespondentsIsExpectedAndEstimatedFromThemOnly) {
  v1::ReportingDuty duty = Duty("grant-q", "socialstyrelsen", v1::FREQUENCY_QUARTERLY, {"staff"});
  for (const char* code : {"1480", "0180", "1280"}) duty.add_respondents(code);
  Create(duty);
  EXPECT_THAT(Get("grant-q").respondents(), ElementsAre("0180", "1280", "1480"));
  ASSERT_EQ(Stream({Report("g-1", "0180", "grant-q", kY + "Q1", 200),
                    Report("g-2", "1480", "grant-q", kY + "Q1", 150),
                    Report("g-3", "2584", "grant-q", kY + "Q1", 999)})
                .accepted(),
            3);

  v1::DutyAccount account = Accounts()["grant-q"];
  EXPECT_EQ(account.minutes(), 200 + 150 + 999);  // every minute spent is measured
  EXPECT_FALSE(account.national().estimable());
  EXPECT_EQ(account.national().expected_municipalities(), 3);
  EXPECT_EQ(account.national().not_estimable_reason(),
            "2 municipalities of 3 reported; at least 3 are needed");

  v1::GetCompletenessRequest request;
  request.set_period_from(kY);
  request.set_period_to(kY);
  request.set_duty_id("grant-q");
  v1::GetCompletenessResponse completeness;
  ASSERT_TRUE(Completeness(request, &completeness).ok());
  ASSERT_EQ(completeness.by_duty_size(), 1);
  EXPECT_EQ(completeness.by_duty(0).expected(), 4 * 3);  // four quarters from three
  EXPECT_EQ(completeness.by_duty(0).received(), 2);      // Kiruna's is not expected
  std::map<std::string, v1::CompletenessRow> by_municipality;
  for (const auto& row : completeness.by_municipality()) by_municipality[row.key()] = row;
  EXPECT_EQ(by_municipality["0180"].expected(), 4);
  EXPECT_EQ(by_municipality["0180"].received(), 1);
  EXPECT_EQ(by_municipality["2584"].expected(), 0);
  EXPECT_EQ(by_municipality["2584"].received(), 0);
  request.set_municipality_code("2584");  // asked about alone: expects nothing
  ASSERT_TRUE(Completeness(request, &completeness).ok());
  EXPECT_EQ(completeness.by_duty(0).expected(), 0);

  ASSERT_EQ(Stream({Report("g-4", "1280", "grant-q", kY + "Q1", 250)}).accepted(), 1);
  account = Accounts()["grant-q"];
  const v1::NationalEstimate& n = account.national();
  ASSERT_TRUE(n.estimable()) << n.not_estimable_reason();
  EXPECT_DOUBLE_EQ(n.hours_per_year(), 40);
  EXPECT_DOUBLE_EQ(n.cost_sek_per_year(), 24000);
  EXPECT_EQ(n.municipalities(), 3);
  EXPECT_EQ(n.reports(), 3);
  EXPECT_THAT(n.basis(), StartsWith("staff hours per year over the 3 municipalities that must "
                                    "report; from 3 reports by 3 municipalities in 1 of 1 SKR "
                                    "group"));

  // Every municipality must report it from now on: the same reports are
  // 4 of 290 municipalities, too few to extrapolate, and the year expects
  // 4 x 290 periods. The change is a version of its own.
  duty.clear_respondents();
  {
    grpc::ClientContext context;
    v1::UpdateDutyRequest update;
    *update.mutable_duty() = duty;
    v1::ReportingDuty updated;
    ASSERT_TRUE(duties_->UpdateDuty(&context, update, &updated).ok());
    EXPECT_TRUE(updated.respondents().empty());
  }
  account = Accounts()["grant-q"];
  EXPECT_EQ(account.national().expected_municipalities(), 290);
  EXPECT_EQ(account.national().not_estimable_reason().rfind(
                "4 municipalities of 290 reported; at least 5 are needed", 0),
            0u);
  request.clear_municipality_code();
  ASSERT_TRUE(Completeness(request, &completeness).ok());
  EXPECT_EQ(completeness.by_duty(0).expected(), 4 * 290);
  EXPECT_EQ(completeness.by_duty(0).received(), 4);
  {
    grpc::ClientContext context;
    v1::GetDutyHistoryRequest history_request;
    history_request.set_id("grant-q");
    v1::GetDutyHistoryResponse history;
    ASSERT_TRUE(duties_->GetDutyHistory(&context, history_request, &history).ok());
    ASSERT_EQ(history.versions_size(), 2);
    EXPECT_THAT(history.versions(1).changed_fields(), ElementsAre("respondents"));
    EXPECT_THAT(history.versions(0).duty().respondents(), ElementsAre("0180", "1280", "1480"));
  }

  // A code that is not a municipality's is refused, naming its place.
  duty.add_respondents("0180");
  duty.add_respondents("9999");
  grpc::ClientContext context;
  v1::UpdateDutyRequest update;
  *update.mutable_duty() = duty;
  v1::ReportingDuty updated;
  const grpc::Status refused = duties_->UpdateDuty(&context, update, &updated);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), StartsWith("duty.respondents[1]: \"9999\""));
}

// Every grouping of GetBurdenSummary, every figure of every row, as worked
// out at the top of this file.
TEST_F(AccountingTest, SummariesHaveTheHandComputedFiguresInEveryGrouping) {
  LoadReferenceData();
  ExpectSummary(v1::GROUP_BY_AGENCY,
                {{"ivo", "Inspektionen för vård och omsorg", 8, 750, 12.5, 7500, 3, 1.0},
                 {"skolverket", "Statens skolverk", 3, 210, 3.5, 2100, 3, 1.0},
                 {"scb", "Statistiska centralbyrån", 2, 40, 40.0 / 60, 400, 1, 0.0}});
  ExpectSummary(v1::GROUP_BY_DUTY,
                {{"ref-adhoc", "", 3, 600, 10, 6000, 2, 1.0},
                 {"ref-annual", "", 3, 210, 3.5, 2100, 3, 1.0},
                 {"ref-quarterly", "", 5, 150, 2.5, 1500, 2, 1.0},
                 {"ref-monthly", "", 2, 40, 40.0 / 60, 400, 1, 0.0}});
  ExpectSummary(v1::GROUP_BY_MUNICIPALITY,
                {{"0180", "Stockholm", 8, 470, 470.0 / 60, 4700, 1, 430.0 / 470},
                 {"1283", "Helsingborg", 2, 410, 410.0 / 60, 4100, 1, 1.0},
                 {"0182", "Nacka", 3, 120, 2, 1200, 1, 1.0}});
  ExpectSummary(v1::GROUP_BY_COUNTY,
                {{"01", "Stockholms län", 11, 590, 590.0 / 60, 5900, 2, 550.0 / 590},
                 {"12", "Skåne län", 2, 410, 410.0 / 60, 4100, 1, 1.0}});
  ExpectSummary(v1::GROUP_BY_SECTOR,
                {{"social_services", "", 11, 960, 16, 9600, 3, 1.0},
                 {"finance", "", 2, 40, 40.0 / 60, 400, 1, 0.0}});
  ExpectSummary(v1::GROUP_BY_PERIOD,
                {{kY + "-05-05", "", 1, 300, 5, 3000, 1, 1.0},
                 {kY, "", 3, 210, 3.5, 2100, 3, 1.0},
                 {kY + "-06-01", "", 1, 200, 200.0 / 60, 2000, 1, 1.0},
                 {kY + "-03-01", "", 1, 100, 100.0 / 60, 1000, 1, 1.0},
                 {kY + "Q1", "", 3, 80, 80.0 / 60, 800, 2, 1.0},
                 {kY + "Q3", "", 1, 40, 40.0 / 60, 400, 1, 1.0},
                 {kY + "Q2", "", 1, 30, 0.5, 300, 1, 1.0},
                 {kY + "-02", "", 1, 25, 25.0 / 60, 250, 1, 0.0},
                 {kY + "-01", "", 1, 15, 0.25, 150, 1, 0.0}});
  // The rounded figures of the comments, for a reader who checks them.
  const v1::GetBurdenSummaryResponse by_municipality = Summary(v1::GROUP_BY_MUNICIPALITY);
  ASSERT_EQ(by_municipality.rows_size(), 3);
  EXPECT_NEAR(by_municipality.rows(0).hours(), 7.833, 0.0005);
  EXPECT_NEAR(by_municipality.rows(0).flagged_minutes_share(), 0.915, 0.0005);
  EXPECT_NEAR(by_municipality.totals().hours(), 16.667, 0.0005);
  const v1::GetBurdenSummaryResponse by_county = Summary(v1::GROUP_BY_COUNTY);
  ASSERT_EQ(by_county.rows_size(), 2);
  EXPECT_NEAR(by_county.rows(0).flagged_minutes_share(), 0.932, 0.0005);
}

// The arena report's burden by agency and by sector: the summary rows with
// the national cost of their duties.
TEST_F(AccountingTest, ArenaReportBurdenRowsHaveTheHandComputedFigures) {
  LoadReferenceData();
  grpc::ClientContext context;
  v1::GetArenaReportRequest request;
  request.set_format(v1::REPORT_FORMAT_JSON);
  v1::GetArenaReportResponse response;
  ASSERT_TRUE(burden_->GetArenaReport(&context, request, &response).ok());
  const v1::ArenaReport& report = response.report();

  ASSERT_EQ(report.by_agency_size(), 3);
  ExpectRow(report.by_agency(0), {"ivo", "", 8, 750, 12.5, 7500, 3, 1.0}, 0, 2);
  ExpectRow(report.by_agency(1), {"skolverket", "", 3, 210, 3.5, 2100, 3, 1.0}, 0, 1);
  ExpectRow(report.by_agency(2), {"scb", "", 2, 40, 40.0 / 60, 400, 1, 0.0}, 0, 1);

  ASSERT_EQ(report.by_sector_size(), 2);
  ExpectRow(report.by_sector(0), {"social_services", "", 11, 960, 16, 9600, 3, 1.0}, 0, 3);
  ExpectRow(report.by_sector(1), {"finance", "", 2, 40, 40.0 / 60, 400, 1, 0.0}, 0, 1);

  ExpectRow(report.totals(), kTotals, 0, 4);
  EXPECT_DOUBLE_EQ(report.flagged_national_cost_sek(), 0);
  EXPECT_EQ(report.not_estimable_duties(), 4);
  EXPECT_EQ(report.flagged_not_estimable_duties(), 3);
}

// The arena report speaks Swedish unless asked otherwise, shows the trend by
// year (in total and per agency), honours a period range in its measured
// tables, lists duties without reports instead of drawing them, and says on
// every section when the server's data is illustrative.
TEST_F(AccountingTest, ArenaReportInSwedishWithTheTrendByYearAndAPeriodRange) {
  LoadReferenceData();
  Create(Duty("ref-unreported", "scb", v1::FREQUENCY_ANNUAL, {"staff"}));
  const std::string before = std::to_string(LastYear() - 1);
  // The year before: skolverket 50 minutes, scb 20.
  Stream({Report("p1", "0180", "ref-annual", before, 50),
          Report("p2", "0180", "ref-monthly", before + "-12", 20)});

  auto arena = [this](const std::string& language, const std::string& from,
                      v1::ReportFormat format, v1::GetArenaReportResponse* response) {
    grpc::ClientContext context;
    v1::GetArenaReportRequest request;
    request.set_format(format);
    request.set_language_code(language);
    request.set_period_from(from);
    return burden_->GetArenaReport(&context, request, response);
  };

  v1::GetArenaReportResponse sv;
  ASSERT_TRUE(arena("", "", v1::REPORT_FORMAT_HTML, &sv).ok());
  EXPECT_EQ(sv.report().language_code(), "sv");
  EXPECT_FALSE(sv.report().illustrative());
  EXPECT_THAT(sv.document(), StartsWith("<!DOCTYPE html>\n<html lang=\"sv\">"));
  for (const char* words : {"Statens uppgiftskrav på kommunerna", "Utveckling per år",
                            "Uppgiftskrav utan inrapporteringar", "<h2>Metod</h2>",
                            "Syfte saknas", "Författningsstöd", "Socialtjänst"}) {
    EXPECT_THAT(sv.document(), HasSubstr(words));
  }
  EXPECT_THAT(sv.document(), Not(HasSubstr("Trend by year")));

  // The trend: the totals by year, then each agency by year. The year
  // before: 2 reports, 70 minutes; last year the reference totals, 960 of
  // the 1 000 minutes on duties flagged for their period.
  const auto& years = sv.report().by_year();
  ASSERT_EQ(years.size(), 2 + 1 + 2 + 2);
  auto expect_year = [](const v1::ArenaYearRow& row, const std::string& year,
                        const std::string& agency, int64_t reports, int64_t minutes) {
    SCOPED_TRACE(year + " " + agency);
    EXPECT_EQ(row.year(), year);
    EXPECT_EQ(row.agency_id(), agency);
    EXPECT_EQ(row.reports(), reports);
    EXPECT_EQ(row.minutes(), minutes);
    EXPECT_DOUBLE_EQ(row.hours(), minutes / 60.0);
    EXPECT_DOUBLE_EQ(row.cost_sek(), minutes * 10.0);  // 600 SEK an hour
    EXPECT_DOUBLE_EQ(row.flagged_cost_sek(), row.flagged_minutes() * 10.0);
  };
  expect_year(years[0], before, "", 2, 70);
  expect_year(years[1], kY, "", 13, 1000);
  EXPECT_EQ(years[1].flagged_minutes(), 960);
  EXPECT_DOUBLE_EQ(years[1].flagged_share(), 0.96);
  expect_year(years[2], kY, "ivo", 8, 750);
  expect_year(years[3], before, "scb", 1, 20);
  expect_year(years[4], kY, "scb", 2, 40);
  expect_year(years[5], before, "skolverket", 1, 50);
  expect_year(years[6], kY, "skolverket", 3, 210);
  // The year before's flagged minutes are those of its periods' flags.
  int64_t flagged_before = 0;
  for (const auto& [period, minutes] : MinutesByKey(Summary(v1::GROUP_BY_PERIOD), true)) {
    if (period.rfind(before, 0) == 0) flagged_before += minutes;
  }
  EXPECT_EQ(years[0].flagged_minutes(), flagged_before);
  EXPECT_EQ(years[3].flagged_minutes() + years[5].flagged_minutes(), flagged_before);

  // The duty without reports is listed, and has no bar.
  ASSERT_EQ(sv.report().unreported_size(), 1);
  EXPECT_EQ(sv.report().unreported(0).duty_id(), "ref-unreported");
  EXPECT_THAT(sv.document(), Not(HasSubstr("data-duty=\"ref-unreported\"")));

  // From last year on: the reference totals, and last year's trend only.
  v1::GetArenaReportResponse ranged;
  ASSERT_TRUE(arena("en", kY, v1::REPORT_FORMAT_MARKDOWN, &ranged).ok());
  EXPECT_EQ(ranged.report().language_code(), "en");
  EXPECT_EQ(ranged.report().period_from(), kY);
  ExpectRow(ranged.report().totals(), kTotals, 0, 5);
  ASSERT_EQ(ranged.report().by_year_size(), 4);
  for (const v1::ArenaYearRow& row : ranged.report().by_year()) EXPECT_EQ(row.year(), kY);
  EXPECT_THAT(ranged.document(), HasSubstr("Measured tables: periods " + kY + " to the last."));
  EXPECT_THAT(ranged.document(), HasSubstr("## Trend by year"));

  v1::GetArenaReportResponse refused;
  grpc::Status status = arena("fr", "", v1::REPORT_FORMAT_HTML, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("language_code"));
  status = arena("sv", "not-a-period", v1::REPORT_FORMAT_HTML, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("period_from"));

  // Illustrative data says so in the title and in every section.
  Restart({"--illustrative_data"});
  v1::GetArenaReportResponse example;
  ASSERT_TRUE(arena("", "", v1::REPORT_FORMAT_HTML, &example).ok());
  EXPECT_TRUE(example.report().illustrative());
  EXPECT_THAT(example.document(), HasSubstr("<h1>Statens uppgiftskrav på kommunerna: underlag "
                                            "för utvecklingsarenan (illustrativa data)</h1>"));
  const std::string& html = example.document();
  size_t sections = 0, notices = 0;
  for (size_t at = html.find("<section"); at != std::string::npos;
       at = html.find("<section", at + 1)) {
    ++sections;
  }
  for (size_t at = html.find("<p class=\"illustrative\">"); at != std::string::npos;
       at = html.find("<p class=\"illustrative\">", at + 1)) {
    ++notices;
  }
  EXPECT_GE(sections, 8u);
  EXPECT_EQ(notices, sections + 1);  // the header, and each section
}

// Where the municipalities say they already report the data: paired with the
// duty in the arena report, with the other duty's agency when the place is a
// registered duty; only a report answering yes may name a place.
TEST_F(AccountingTest, ArenaReportPairsTheDutiesWithWhereTheirDataIsAlreadyReported) {
  LoadReferenceData();
  auto naming = [](const std::string& id, const std::string& municipality,
                   const std::string& where) {
    v1::Report report = Report(id, municipality, "ref-quarterly", kY + "Q4", 25);
    report.set_already_reported_elsewhere(v1::ANSWER_YES);
    report.set_already_reported_where(where);
    return report;
  };
  const v1::SubmitReportsResponse stored =
      Stream({naming("w1", "0180", "ref-annual"), naming("w2", "0182", "ref-annual"),
              naming("w3", "1283", "ref-annual"), naming("w4", "0180", "Kolada")});
  EXPECT_EQ(stored.accepted(), 4);

  {
    grpc::ClientContext context;
    v1::SubmitReportRequest request;
    *request.mutable_report() = naming("w5", "0180", "Kolada");
    request.mutable_report()->set_already_reported_elsewhere(v1::ANSWER_NO);
    v1::SubmitReportResponse response;
    const grpc::Status status = intake_->SubmitReport(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("report.already_reported_where"));
  }

  grpc::ClientContext context;
  v1::GetArenaReportRequest request;
  request.set_format(v1::REPORT_FORMAT_CSV);
  v1::GetArenaReportResponse response;
  ASSERT_TRUE(burden_->GetArenaReport(&context, request, &response).ok());
  const auto& places = response.report().reported_elsewhere();
  ASSERT_EQ(places.size(), 2);
  EXPECT_EQ(places[0].duty_id(), "ref-quarterly");
  EXPECT_EQ(places[0].agency_id(), "ivo");
  EXPECT_EQ(places[0].where(), "ref-annual");
  EXPECT_EQ(places[0].other_duty_id(), "ref-annual");
  EXPECT_EQ(places[0].other_agency_id(), "skolverket");
  EXPECT_EQ(places[0].municipalities(), 3);
  EXPECT_EQ(places[0].reports(), 3);
  EXPECT_EQ(places[1].where(), "Kolada");
  EXPECT_EQ(places[1].other_duty_id(), "");
  EXPECT_EQ(places[1].municipalities(), 1);
  EXPECT_THAT(response.document(),
              HasSubstr("reported_elsewhere,1,ref-quarterly,ivo,,,,3,3,"));
}

TEST_F(AccountingTest, SummaryByFlagCountsADutyUnderEachOfItsFlags) {
  LoadReferenceData();
  grpc::ClientContext context;
  v1::GetBurdenSummaryRequest request;
  request.set_group_by(v1::GROUP_BY_FLAG);
  v1::GetBurdenSummaryResponse response;
  ASSERT_TRUE(burden_->GetBurdenSummary(&context, request, &response).ok());
  std::map<std::string, int64_t> minutes;
  for (const auto& row : response.rows()) minutes[row.key()] = row.minutes();
  EXPECT_EQ(minutes, (std::map<std::string, int64_t>{
                         {"BOILERPLATE_PURPOSE", 600},
                         {"DUPLICATE_DATA", 360},  // A 210 + B 150
                         {"NO_LEGAL_BASIS", 600},
                         {"NO_RECORDED_USE", 210},
                         {"NO_STATED_PURPOSE", 150},
                         {"TARGETED_GRANT_REPORTING", 600},
                         {"unflagged", 40}}));
  // The totals count every report once: 13 reports, 1 000 minutes.
  EXPECT_EQ(response.totals().reports(), 13);
  EXPECT_EQ(response.totals().minutes(), 1000);
  EXPECT_DOUBLE_EQ(response.totals().cost_sek(), 10000);
  EXPECT_DOUBLE_EQ(response.totals().flagged_minutes_share(), 0.96);
}

// No reference duty is estimable: the flagged ones rank by measured minutes.
TEST_F(AccountingTest, ArenaReportRanksFlaggedDutiesByNationalCostThenMinutes) {
  LoadReferenceData();
  grpc::ClientContext context;
  v1::GetArenaReportRequest request;
  request.set_language_code("en");
  request.set_format(v1::REPORT_FORMAT_MARKDOWN);
  v1::GetArenaReportResponse response;
  ASSERT_TRUE(burden_->GetArenaReport(&context, request, &response).ok());
  const v1::ArenaReport& report = response.report();
  EXPECT_EQ(report.duties(), 4);
  EXPECT_EQ(report.flagged_duties(), 3);
  EXPECT_EQ(report.recorded_uses(), 3);
  EXPECT_DOUBLE_EQ(report.tariff_sek_per_hour(), 600);
  EXPECT_EQ(report.totals().reports(), 13);
  EXPECT_EQ(report.totals().minutes(), 1000);
  EXPECT_DOUBLE_EQ(report.totals().cost_sek(), 10000);
  EXPECT_DOUBLE_EQ(report.totals().national_cost_sek(), 0);
  EXPECT_DOUBLE_EQ(report.flagged_national_cost_sek(), 0);

  std::vector<std::string> ranked;
  for (const auto& duty : report.flagged()) ranked.push_back(duty.account().duty_id());
  EXPECT_THAT(ranked, ElementsAre("ref-adhoc", "ref-annual", "ref-quarterly"));
  for (const auto& duty : report.flagged()) {
    EXPECT_FALSE(duty.account().national().estimable()) << duty.account().duty_id();
  }
  EXPECT_EQ(report.flagged(0).flags_size(), 3);
  EXPECT_EQ(report.flagged(0).legal_basis(), "none found");

  ASSERT_GE(report.by_agency_size(), 3);
  EXPECT_EQ(report.by_agency(0).key(), "ivo");  // B 150 + C 600 minutes
  EXPECT_EQ(report.by_agency(0).minutes(), 750);
  EXPECT_DOUBLE_EQ(report.by_agency(0).national_cost_sek(), 0);
  EXPECT_EQ(report.by_agency(0).not_estimable_duties(), 2);
  EXPECT_DOUBLE_EQ(report.by_agency(0).flagged_share(), 1.0);

  // B -> A: 150 min x 1 of 2 items = 75; A -> B: 210 x 1 of 3 = 70.
  ASSERT_EQ(report.overlaps_size(), 2);
  EXPECT_EQ(report.overlaps(0).duty_id(), "ref-quarterly");
  EXPECT_EQ(report.overlaps(0).other_duty_id(), "ref-annual");
  EXPECT_DOUBLE_EQ(report.overlaps(0).overlap_minutes(), 75);
  EXPECT_DOUBLE_EQ(report.overlaps(0).overlap_cost_sek(), 750);
  EXPECT_THAT(report.overlaps(0).shared_items(), ElementsAre("pupils"));
  EXPECT_DOUBLE_EQ(report.overlaps(1).overlap_minutes(), 70);

  EXPECT_THAT(response.content_type(), StartsWith("text/markdown"));
  EXPECT_THAT(response.document(), HasSubstr("ref-adhoc"));
  EXPECT_THAT(response.document(), HasSubstr("not estimable: 2 municipalities of 290 reported"));

  grpc::ClientContext bad_context;
  request.set_limit(5000);
  grpc::Status status = burden_->GetArenaReport(&bad_context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("limit"));
}

// The CSV document agrees, row by row, with the JSON document of the same
// report, and both with the figures worked out at the top of this file.
TEST_F(AccountingTest, ArenaReportCsvRowsMatchTheJsonFigures) {
  LoadReferenceData();
  auto fetch = [this](v1::ReportFormat format) {
    grpc::ClientContext context;
    v1::GetArenaReportRequest request;
    request.set_language_code("en");
    request.set_format(format);
    v1::GetArenaReportResponse response;
    const grpc::Status status = burden_->GetArenaReport(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  };
  const v1::GetArenaReportResponse csv_response = fetch(v1::REPORT_FORMAT_CSV);
  EXPECT_THAT(csv_response.content_type(), StartsWith("text/csv"));
  const v1::GetArenaReportResponse json_response = fetch(v1::REPORT_FORMAT_JSON);
  google::protobuf::Struct json;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json_response.document(), &json).ok())
      << json_response.document();
  auto csv = CsvTable::Parse(csv_response.document(), {"section", "rank", "key"});
  ASSERT_TRUE(csv.ok()) << csv.status() << "\n" << csv_response.document();

  // The CSV rows of one section, by key.
  auto section = [&](const std::string& name) {
    std::map<std::string, const CsvRow*> rows;
    for (const CsvRow& row : csv->rows()) {
      if (csv->Get(row, "section") == name) rows[csv->Get(row, "key")] = &row;
    }
    return rows;
  };
  auto number = [&](const CsvRow& row, const char* column) {
    double value = 0;
    EXPECT_TRUE(absl::SimpleAtod(csv->Get(row, column), &value))
        << column << ": \"" << csv->Get(row, column) << "\"";
    return value;
  };
  const auto& fields = json.fields();
  auto json_number = [](const google::protobuf::Struct& object, const char* name) {
    return object.fields().at(name).number_value();
  };
  // Every burden column of a CSV row equals the JSON object's field.
  auto expect_burden_row = [&](const CsvRow& row, const google::protobuf::Struct& object) {
    for (const char* column : {"reports", "minutes", "hours", "cost_sek", "municipalities",
                               "flagged_share", "national_cost_sek", "not_estimable_duties"}) {
      EXPECT_DOUBLE_EQ(number(row, column), json_number(object, column))
          << csv->Get(row, "section") << " " << csv->Get(row, "key") << " " << column;
    }
  };

  const auto totals = section("totals");
  ASSERT_EQ(totals.size(), 1u);
  expect_burden_row(*totals.at("total"), fields.at("totals").struct_value());
  EXPECT_EQ(number(*totals.at("total"), "minutes"), 1000);
  EXPECT_EQ(number(*totals.at("total"), "cost_sek"), 10000);
  EXPECT_EQ(number(*totals.at("total"), "national_cost_sek"), 0);
  EXPECT_EQ(number(*totals.at("total"), "not_estimable_duties"), 4);

  for (const char* name : {"agency", "sector"}) {
    const auto rows = section(name);
    const auto& list = fields.at(std::string("by_") + name).list_value().values();
    ASSERT_EQ(rows.size(), static_cast<size_t>(list.size())) << name;
    for (int i = 0; i < list.size(); ++i) {
      const google::protobuf::Struct& object = list[i].struct_value();
      const std::string key = object.fields().at("key").string_value();
      ASSERT_TRUE(rows.count(key)) << name << " " << key;
      EXPECT_EQ(csv->Get(*rows.at(key), "rank"), absl::StrCat(i + 1)) << key;
      expect_burden_row(*rows.at(key), object);
    }
  }
  EXPECT_EQ(number(*section("agency").at("ivo"), "minutes"), 750);

  const auto flagged = section("flagged_duty");
  const auto& flagged_list = fields.at("flagged").list_value().values();
  ASSERT_EQ(flagged.size(), 3u);
  ASSERT_EQ(flagged_list.size(), 3);
  for (int i = 0; i < flagged_list.size(); ++i) {
    const google::protobuf::Struct& account =
        flagged_list[i].struct_value().fields().at("account").struct_value();
    const std::string id = account.fields().at("duty_id").string_value();
    ASSERT_TRUE(flagged.count(id)) << id;
    const CsvRow& row = *flagged.at(id);
    EXPECT_EQ(csv->Get(row, "rank"), absl::StrCat(i + 1)) << id;
    EXPECT_EQ(csv->Get(row, "agency_id"), account.fields().at("agency_id").string_value());
    for (const char* column : {"reports", "municipalities", "minutes", "median_minutes", "hours",
                               "cost_sek", "reports_per_municipality_per_year",
                               "recorded_uses"}) {
      EXPECT_DOUBLE_EQ(number(row, column), json_number(account, column)) << id << " " << column;
    }
    // Not estimable: no national figure in either, the reason in both.
    const google::protobuf::Struct& national = account.fields().at("national").struct_value();
    EXPECT_FALSE(national.fields().at("estimable").bool_value()) << id;
    for (const char* column : {"national_hours", "national_cost_sek", "national_hours_low",
                               "national_hours_high", "national_cost_sek_low",
                               "national_cost_sek_high"}) {
      EXPECT_EQ(csv->Get(row, column), "") << id << " " << column;
    }
    for (const char* field : {"national_hours", "national_cost_sek"}) {
      EXPECT_TRUE(account.fields().at(field).has_null_value()) << id << " " << field;
    }
    EXPECT_TRUE(national.fields().at("hours_per_year").has_null_value()) << id;
    EXPECT_EQ(csv->Get(row, "not_estimable_reason"),
              national.fields().at("not_estimable_reason").string_value());
    EXPECT_EQ(csv->Get(row, "national_basis"), national.fields().at("basis").string_value());
    EXPECT_THAT(csv->Get(row, "not_estimable_reason"), HasSubstr("at least 5 are needed")) << id;
  }
  // No national figure: ranked by measured minutes, C 600, A 210, B 150.
  EXPECT_EQ(csv->Get(*flagged.at("ref-adhoc"), "rank"), "1");
  EXPECT_EQ(csv->Get(*flagged.at("ref-annual"), "rank"), "2");
  EXPECT_EQ(csv->Get(*flagged.at("ref-quarterly"), "rank"), "3");
  EXPECT_EQ(number(*flagged.at("ref-adhoc"), "reports_per_municipality_per_year"), 1.5);

  const auto overlaps = section("overlap");
  ASSERT_EQ(overlaps.size(), 2u);
  EXPECT_EQ(number(*overlaps.at("ref-quarterly"), "overlap_minutes"), 75);
  EXPECT_EQ(number(*overlaps.at("ref-quarterly"), "overlap_cost_sek"), 750);
  EXPECT_EQ(number(*overlaps.at("ref-annual"), "overlap_minutes"), 70);
  EXPECT_EQ(csv->Get(*overlaps.at("ref-quarterly"), "shared_items"), "pupils");
}

TEST_F(AccountingTest, MetricsCarryNoNationalFigureOfADutyThatIsNotEstimable) {
  LoadReferenceData();
  const std::string metrics = testing::HttpGet(server_->metrics_port(), "/metrics");
  // No reference duty is estimable: no national series, none of them 0.
  EXPECT_THAT(metrics, Not(HasSubstr("inrapport_national_estimated_cost_sek{")));
  EXPECT_THAT(metrics, Not(HasSubstr("inrapport_duty_national_estimated_cost_sek{")));
  EXPECT_THAT(metrics, HasSubstr("\ninrapport_duties_not_estimable 4\n"));
  EXPECT_THAT(metrics, HasSubstr("inrapport_duty_flags{duty=\"ref-monthly\",agency=\"scb\"} 0"));
  EXPECT_THAT(metrics, HasSubstr("inrapport_recorded_uses{agency=\"ivo\"} 2"));
  EXPECT_THAT(metrics, HasSubstr("inrapport_recorded_uses{agency=\"skolverket\"} 0"));
  EXPECT_THAT(metrics, HasSubstr("inrapport_duties_flagged{flag=\"DUPLICATE_DATA\"} 2"));
  EXPECT_THAT(metrics, HasSubstr("inrapport_duties_flagged{flag=\"NO_LEGAL_BASIS\"} 1"));
}

// A quarterly duty reported for YQ1 by ten municipalities, one or two in
// each of SKR's nine groups (N_g: the group's municipalities; minutes of
// its reports; the group's mean of their means):
//   A1   3  0180 40, 1480 80  60      B4  63  0140 20  20
//   A2  43  0182 30           30      B5  24  0382 25  25
//   B3  23  1283 50           50      C6  27  2584 35  35
//   C7  51  0428 15           15      C8  35  0662 10  10
//   C9  21  0885 45           45
// Sum of N_g x mean = 180 + 1 290 + 1 150 + 1 260 + 600 + 945 + 765 + 350
// + 945 = 7 485 minutes a quarter; x 4 = 29 940 minutes a year = 499 hours,
// x 600 SEK = 299 400 SEK per year.
// Interval: only A1 has two municipalities to resample; its mean is 40, 60
// or 80 (a quarter, a half, a quarter of the draws), moving the year by
// 3 x (+-20) x 4 = +-240 minutes = +-4 hours: the 5th and 95th percentiles
// are 495 and 503 hours, 297 000 and 301 800 SEK.
TEST_F(AccountingTest, NationalEstimateOfADutyReportedInEveryGroup) {
  v1::ReportingDuty e = Duty("est-q", "msb", v1::FREQUENCY_QUARTERLY, {"exercises"});
  e.set_purpose("");  // flagged, so that the flagged views carry it too
  Create(e);
  std::vector<v1::Report> reports;
  for (const auto& [code, minutes] : std::vector<std::pair<std::string, int64_t>>{
           {"0180", 40}, {"1480", 80}, {"0182", 30}, {"1283", 50}, {"0140", 20},
           {"0382", 25}, {"2584", 35}, {"0428", 15}, {"0662", 10}, {"0885", 45}}) {
    reports.push_back(Report("e-" + code, code, "est-q", kY + "Q1", minutes));
  }
  ASSERT_EQ(Stream(reports).accepted(), 10);

  const v1::DutyAccount account = Accounts()["est-q"];
  const v1::NationalEstimate& n = account.national();
  ASSERT_TRUE(n.estimable()) << n.not_estimable_reason();
  EXPECT_DOUBLE_EQ(n.hours_per_year(), 499);
  EXPECT_DOUBLE_EQ(n.cost_sek_per_year(), 299400);
  EXPECT_DOUBLE_EQ(account.national_hours(), 499);
  EXPECT_DOUBLE_EQ(account.national_cost_sek(), 299400);
  EXPECT_DOUBLE_EQ(n.hours_per_year_low(), 495);
  EXPECT_DOUBLE_EQ(n.hours_per_year_high(), 503);
  EXPECT_DOUBLE_EQ(n.cost_sek_per_year_low(), 297000);
  EXPECT_DOUBLE_EQ(n.cost_sek_per_year_high(), 301800);
  EXPECT_EQ(n.reports(), 10);
  EXPECT_EQ(n.municipalities(), 10);
  EXPECT_EQ(n.expected_municipalities(), 290);
  EXPECT_EQ(n.groups_covered(), 9);
  EXPECT_EQ(n.groups_expected(), 9);
  EXPECT_EQ(n.first_period(), kY + "Q1");
  EXPECT_EQ(n.last_period(), kY + "Q1");
  EXPECT_TRUE(n.not_estimable_reason().empty());
  // Eight groups rest on one municipality: the interval shows A1's spread
  // only, and the basis says so.
  EXPECT_EQ(n.groups_with_one_municipality(), 8);
  EXPECT_EQ(n.basis(), "staff hours per year over the 290 municipalities that must report; "
                       "from 10 reports by 10 municipalities in 9 of 9 SKR groups (8 of them "
                       "with one municipality, which adds no spread to the interval), period " +
                           kY + "Q1; reports a year: fixed by the frequency: quarterly, 4 a year");
  EXPECT_EQ(n.basis_sv(), "arbetstimmar per år för de 290 kommuner som ska rapportera; från 10 "
                          "inrapporteringar av 10 kommuner i 9 av 9 kommungrupper (8 av dem med "
                          "en kommun, som inte ger intervallet någon spridning), perioden " +
                              kY + "Q1; antal per år: given av frekvensen: 4 inrapporteringar "
                              "per år");

  {  // The flagged duties carry the same estimate.
    grpc::ClientContext context;
    v1::ListFlaggedDutiesResponse flagged;
    ASSERT_TRUE(burden_->ListFlaggedDuties(&context, {}, &flagged).ok());
    ASSERT_EQ(flagged.duties_size(), 1);
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(flagged.duties(0).national(), n));
  }
  {  // So does the arena report, in its sums too.
    grpc::ClientContext context;
    v1::GetArenaReportRequest request;
    request.set_language_code("en");
    request.set_format(v1::REPORT_FORMAT_MARKDOWN);
    v1::GetArenaReportResponse response;
    ASSERT_TRUE(burden_->GetArenaReport(&context, request, &response).ok());
    const v1::ArenaReport& report = response.report();
    EXPECT_DOUBLE_EQ(report.totals().national_cost_sek(), 299400);
    EXPECT_DOUBLE_EQ(report.flagged_national_cost_sek(), 299400);
    EXPECT_EQ(report.not_estimable_duties(), 0);
    ASSERT_EQ(report.flagged_size(), 1);
    EXPECT_DOUBLE_EQ(report.flagged(0).account().national().hours_per_year_high(), 503);
    EXPECT_THAT(response.document(),
                HasSubstr("499.0 hours per year (90 % interval 495.0–503.0), 299 400 SEK per "
                          "year (297 000–301 800 SEK); staff hours per year over the 290 "));
  }
  const std::string metrics = testing::HttpGet(server_->metrics_port(), "/metrics");
  EXPECT_THAT(metrics, HasSubstr("inrapport_duty_national_estimated_cost_sek{duty=\"est-q\","
                                 "agency=\"msb\"} 299400\n"));
  EXPECT_THAT(metrics, HasSubstr("inrapport_national_estimated_cost_sek{agency=\"msb\","
                                 "sector=\"social_services\",flagged=\"true\"} 299400\n"));
  EXPECT_THAT(metrics, HasSubstr("\ninrapport_duties_not_estimable 0\n"));

  // Ten municipalities are too few when the server asks for eleven: no
  // figure anywhere, and the reason says so.
  Restart({"--estimate_min_municipalities=11"});
  const v1::DutyAccount strict = Accounts()["est-q"];
  EXPECT_FALSE(strict.national().estimable());
  EXPECT_EQ(strict.national_hours(), 0);
  EXPECT_EQ(strict.national().not_estimable_reason(),
            "10 municipalities of 290 reported; at least 11 are needed");
  EXPECT_EQ(strict.national().not_estimable_reason_sv(),
            "10 av 290 kommuner har rapporterat; minst 11 behövs");
  EXPECT_EQ(strict.national().groups_covered(), 9);
  const std::string strict_metrics = testing::HttpGet(server_->metrics_port(), "/metrics");
  EXPECT_THAT(strict_metrics, Not(HasSubstr("inrapport_duty_national_estimated_cost_sek{")));
  EXPECT_THAT(strict_metrics, HasSubstr("\ninrapport_duties_not_estimable 1\n"));
}

TEST_F(AccountingTest, EverythingIsTheSameAfterARestart) {
  LoadReferenceData();
  std::vector<v1::ReportingDuty> before;
  for (const char* id : {"ref-annual", "ref-quarterly", "ref-adhoc", "ref-monthly"}) {
    before.push_back(Get(id));
  }
  Restart();
  size_t i = 0;
  for (const char* id : {"ref-annual", "ref-quarterly", "ref-adhoc", "ref-monthly"}) {
    // Evidence is a proto map, whose wire order is unspecified: compare fields.
    const v1::ReportingDuty after = Get(id);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(after, before[i]))
        << id << "\nbefore: " << before[i].ShortDebugString()
        << "\nafter: " << after.ShortDebugString();
    ++i;
  }
  ExpectReferenceAccounts();
}

// Report-driven flags move as reports arrive, at the thresholds given on the
// command line.
TEST_F(AccountingTest, NoFeedbackFiresAtTheConfiguredThresholdAndClears) {
  server_->Terminate();
  Start({"--no_feedback_min_answers=3", "--no_feedback_share=0.5"});
  Create(Duty("fb", "msb", v1::FREQUENCY_MONTHLY, {"drills"}));
  auto report = [](const std::string& id, v1::Answer feedback) {
    v1::Report r = Report(id, "0180", "fb", kY + "-01", 30);
    r.set_feedback_received(feedback);
    return r;
  };
  Stream({report("f1", v1::ANSWER_NO), report("f2", v1::ANSWER_NO),
          report("f0", v1::ANSWER_UNSPECIFIED)});
  EXPECT_TRUE(Get("fb").flags().empty()) << "2 answers, 3 needed";
  Stream({report("f3", v1::ANSWER_NO)});
  v1::ReportingDuty duty = Get("fb");
  ASSERT_THAT(Codes(duty), ElementsAre("NO_FEEDBACK"));
  EXPECT_EQ(duty.flags(0).evidence().at("answers"), "3");
  EXPECT_EQ(duty.flags(0).evidence().at("no_feedback"), "3");
  // 3 of 6 is exactly the threshold: still flagged; 3 of 7 is below it.
  Stream({report("f4", v1::ANSWER_YES), report("f5", v1::ANSWER_YES),
          report("f6", v1::ANSWER_YES)});
  EXPECT_THAT(Codes(Get("fb")), ElementsAre("NO_FEEDBACK"));
  Stream({report("f7", v1::ANSWER_YES)});
  EXPECT_TRUE(Get("fb").flags().empty());
}

// --already_reported_elsewhere_min_answers=3: three "yes" answers flag the
// duty; the counts come back from the store after a restart.
TEST_F(AccountingTest, AlreadyReportedElsewhereFiresAtTheThresholdAndSurvivesARestart) {
  const std::vector<std::string> thresholds = {"--already_reported_elsewhere_min_answers=3",
                                               "--already_reported_elsewhere_share=0.5"};
  server_->Terminate();
  Start(thresholds);
  Create(Duty("ae", "msb", v1::FREQUENCY_MONTHLY, {"exercises"}));
  auto report = [](const std::string& id, v1::Answer elsewhere) {
    v1::Report r = Report(id, "0180", "ae", kY + "-02", 30);
    r.set_already_reported_elsewhere(elsewhere);
    return r;
  };
  Stream({report("e1", v1::ANSWER_YES), report("e2", v1::ANSWER_YES),
          report("e0", v1::ANSWER_UNSPECIFIED)});
  EXPECT_THAT(Codes(Get("ae")), Not(Contains("ALREADY_REPORTED_ELSEWHERE")))
      << "2 answers, 3 needed";
  Stream({report("e3", v1::ANSWER_NO)});  // 2 of 3 = 66.7%
  v1::ReportingDuty duty = Get("ae");
  ASSERT_THAT(Codes(duty), Contains("ALREADY_REPORTED_ELSEWHERE"));
  Restart(thresholds);
  duty = Get("ae");
  ASSERT_THAT(Codes(duty), Contains("ALREADY_REPORTED_ELSEWHERE"));
  for (const v1::Flag& flag : duty.flags()) {
    if (flag.code() != "ALREADY_REPORTED_ELSEWHERE") continue;
    EXPECT_EQ(flag.evidence().at("answers"), "3");
    EXPECT_EQ(flag.evidence().at("already_reported_elsewhere"), "2");
    EXPECT_EQ(flag.evidence().at("share"), "66.7%");
  }
  Stream({report("e4", v1::ANSWER_NO)});  // 2 of 4 = 50%: still flagged
  EXPECT_THAT(Codes(Get("ae")), Contains("ALREADY_REPORTED_ELSEWHERE"));
  Stream({report("e5", v1::ANSWER_NO)});  // 2 of 5: clears
  EXPECT_THAT(Codes(Get("ae")), Not(Contains("ALREADY_REPORTED_ELSEWHERE")));
}

// --low_usefulness_median=3 --low_usefulness_min_answers=3: a median of 3
// fires from the third answer on, where the defaults (2, 10) would not.
TEST_F(AccountingTest, LowUsefulnessFiresAtTheConfiguredThresholdAndClears) {
  server_->Terminate();
  Start({"--low_usefulness_median=3", "--low_usefulness_min_answers=3"});
  Create(Duty("use", "msb", v1::FREQUENCY_MONTHLY, {"drills"}));
  auto report = [](const std::string& id, int usefulness) {
    v1::Report r = Report(id, "0180", "use", kY + "-01", 30);
    r.set_usefulness(usefulness);
    return r;
  };
  // Two answers of 3 and one not stated (0): 2 answers, 3 needed.
  Stream({report("u1", 3), report("u2", 3), report("u0", 0)});
  EXPECT_TRUE(Get("use").flags().empty()) << "2 answers, 3 needed";
  // 3 3 3: median 3, exactly the threshold, fires.
  Stream({report("u3", 3)});
  v1::ReportingDuty duty = Get("use");
  ASSERT_THAT(Codes(duty), ElementsAre("LOW_USEFULNESS"));
  EXPECT_EQ(duty.flags(0).evidence().at("answers"), "3");
  EXPECT_EQ(duty.flags(0).evidence().at("median_usefulness"), "3");
  EXPECT_EQ(duty.flags(0).evidence().at("threshold"), "3");
  EXPECT_EQ(duty.flags(0).evidence().at("min_answers"), "3");
  // 3 3 3 4: median 3 still; 3 3 3 4 4 4: median 3.5, above it, clears.
  Stream({report("u4", 4)});
  EXPECT_THAT(Codes(Get("use")), ElementsAre("LOW_USEFULNESS"));
  // The same reports under the defaults (median 2, 10 answers): no flag.
  server_->Terminate();
  Start();
  EXPECT_TRUE(Get("use").flags().empty());
  server_->Terminate();
  Start({"--low_usefulness_median=3", "--low_usefulness_min_answers=3"});
  EXPECT_THAT(Codes(Get("use")), ElementsAre("LOW_USEFULNESS"));
  Stream({report("u5", 4), report("u6", 4)});
  EXPECT_TRUE(Get("use").flags().empty());
}

// --estimate_gap_factor=1.5 --estimate_gap_min_reports=3, estimate 20
// minutes: a median of 35 (factor 1.75) fires from the third report, where
// the defaults (2, 5) would not; exactly 1.5 does not.
TEST_F(AccountingTest, EstimateGapFiresAtTheConfiguredThresholdAndClears) {
  server_->Terminate();
  Start({"--estimate_gap_factor=1.5", "--estimate_gap_min_reports=3"});
  v1::ReportingDuty gap = Duty("gap", "msb", v1::FREQUENCY_MONTHLY, {"drills"});
  gap.set_estimated_minutes_per_report(20);
  Create(gap);
  auto report = [](const std::string& id, int64_t minutes) {
    return Report(id, "0180", "gap", kY + "-01", minutes);
  };
  Stream({report("g1", 35), report("g2", 35)});
  EXPECT_TRUE(Get("gap").flags().empty()) << "2 reports, 3 needed";
  // 30 35 35: median 35 / 20 = 1.75 > 1.5.
  Stream({report("g3", 30)});
  v1::ReportingDuty duty = Get("gap");
  ASSERT_THAT(Codes(duty), ElementsAre("ESTIMATE_GAP"));
  EXPECT_EQ(duty.flags(0).evidence().at("reports"), "3");
  EXPECT_EQ(duty.flags(0).evidence().at("median_minutes"), "35");
  EXPECT_EQ(duty.flags(0).evidence().at("factor"), "1.75");
  EXPECT_EQ(duty.flags(0).evidence().at("threshold_factor"), "1.5");
  // The same reports under the defaults (factor 2, 5 reports): no flag.
  server_->Terminate();
  Start();
  EXPECT_TRUE(Get("gap").flags().empty());
  server_->Terminate();
  Start({"--estimate_gap_factor=1.5", "--estimate_gap_min_reports=3"});
  EXPECT_THAT(Codes(Get("gap")), ElementsAre("ESTIMATE_GAP"));
  // 20 20 30 35 35: median 30 / 20 = 1.5, exactly the factor: clears.
  Stream({report("g4", 20), report("g5", 20)});
  EXPECT_TRUE(Get("gap").flags().empty());
  // 20 20 30 31 35 35: median 30.5 / 20 = 1.525, just above: fires again.
  Stream({report("g6", 31)});
  EXPECT_THAT(Codes(Get("gap")), ElementsAre("ESTIMATE_GAP"));
}

TEST_F(AccountingTest, BadThresholdFlagsStopTheServerNamingTheFlag) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--no_feedback_share=1.5", "--no_feedback_share: must be above 0 and at most 1, got 1.5"},
      {"--no_feedback_share=0", "--no_feedback_share: must be above 0 and at most 1, got 0"},
      {"--no_feedback_min_answers=0", "--no_feedback_min_answers: must be at least 1, got 0"},
      {"--low_usefulness_median=0.5",
       "--low_usefulness_median: must be between 1 and 5, got 0.5"},
      {"--low_usefulness_median=6", "--low_usefulness_median: must be between 1 and 5, got 6"},
      {"--low_usefulness_min_answers=0",
       "--low_usefulness_min_answers: must be at least 1, got 0"},
      {"--estimate_gap_factor=0.9", "--estimate_gap_factor: must be at least 1, got 0.9"},
      {"--estimate_gap_min_reports=-1",
       "--estimate_gap_min_reports: must be at least 1, got -1"},
      {"--no_recorded_use_periods=0", "--no_recorded_use_periods: must be at least 1, got 0"},
      {"--estimate_min_municipalities=0",
       "--estimate_min_municipalities: must be between 1 and 290, got 0"},
  };
  for (const auto& [flag, message] : cases) {
    int status = 0;
    const std::string log =
        testing::RunServerExpectingFailure(dir_.path() + "/other.db", {flag}, &status);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << flag << "\n" << log;
    EXPECT_THAT(log, HasSubstr(message)) << flag;
  }
}

}  // namespace
}  // namespace inrapport
