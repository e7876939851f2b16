// The inrapport CLI against the real server, on the shipped example files:
// what the README's walkthrough shows.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/token_file.h"
#include "common/csv/csv.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/server_process.h"

#ifndef INRAPPORT_CLI_PATH
#error "INRAPPORT_CLI_PATH must name the CLI binary"
#endif
#ifndef INRAPPORT_SOURCE_DIR
#error "INRAPPORT_SOURCE_DIR must name the source tree"
#endif

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using Result = testing::ShellResult;
using testing::RunShell;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = testing::ServerProcess::Start(dir_.path() + "/cli.db");
    ASSERT_NE(server_, nullptr);
  }

  Result Cli(const std::string& args) {
    const std::string command = absl::StrCat(INRAPPORT_CLI_PATH, " --server ",
                                             server_->grpc_address(), " ", args, " 2>&1");
    return RunShell(command);
  }

  static std::string Example(const std::string& name) {
    return absl::StrCat(INRAPPORT_SOURCE_DIR, "/examples/", name);
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::ServerProcess> server_;
};

TEST_F(CliTest, WalkthroughOnTheExampleFiles) {
  Result imported = Cli("import-duties " + Example("duties.csv"));
  EXPECT_EQ(imported.exit_code, 0) << imported.output;
  EXPECT_THAT(imported.output, HasSubstr("30 created, 0 updated, 0 failed"));
  // Importing again updates instead of failing.
  EXPECT_THAT(Cli("import-duties " + Example("duties.csv")).output,
              HasSubstr("0 created, 30 updated, 0 failed"));

  Result duties = Cli("duties --flagged");
  EXPECT_EQ(duties.exit_code, 0) << duties.output;
  EXPECT_THAT(duties.output, HasSubstr("ivo-lex-sarah"));
  EXPECT_THAT(duties.output, HasSubstr("NO_STATED_PURPOSE"));

  // What the example file holds, counted independently of the server.
  auto table = CsvTable::Parse(ReadFile(Example("reports.csv")), {"minutes_spent"});
  ASSERT_TRUE(table.ok());
  const int64_t reports = static_cast<int64_t>(table->rows().size());
  int64_t minutes = 0;
  for (const CsvRow& row : table->rows()) {
    int64_t m = 0;
    ASSERT_TRUE(absl::SimpleAtoi(table->Get(row, "minutes_spent"), &m));
    minutes += m;
  }

  Result submitted = Cli("submit " + Example("reports.csv"));
  EXPECT_EQ(submitted.exit_code, 0) << submitted.output;
  EXPECT_THAT(submitted.output, HasSubstr(absl::StrCat(reports, " accepted, 0 duplicate, 0 rejected")));
  EXPECT_THAT(Cli("submit " + Example("reports.csv")).output,
              HasSubstr(absl::StrCat("0 accepted, ", reports, " duplicate, 0 rejected")));

  Result csv = Cli("summary --group_by sector --format csv");
  EXPECT_EQ(csv.exit_code, 0) << csv.output;
  auto summary = CsvTable::Parse(csv.output, {"sector", "reports", "minutes"});
  ASSERT_TRUE(summary.ok()) << summary.status() << "\n" << csv.output;
  const CsvRow& totals = summary->rows().back();
  EXPECT_EQ(summary->Get(totals, "sector"), "total");
  EXPECT_EQ(summary->Get(totals, "reports"), absl::StrCat(reports));
  EXPECT_EQ(summary->Get(totals, "minutes"), absl::StrCat(minutes));

  Result json = Cli("flagged --format json");
  EXPECT_EQ(json.exit_code, 0) << json.output;
  EXPECT_THAT(json.output, HasSubstr("\"code\": \"NO_STATED_PURPOSE\""));
}

// The catalogue's agencies are registered from the start; another is
// registered, then renamed with its organisation number, and a mistyped
// number is refused with its field and exit status 1.
TEST_F(CliTest, AgenciesAreListedAndRegistered) {
  Result listed = Cli("agencies --format csv");
  EXPECT_EQ(listed.exit_code, 0) << listed.output;
  EXPECT_THAT(listed.output, StartsWith("id,name,organisation_number\n"));
  EXPECT_THAT(listed.output, HasSubstr("ivo,Inspektionen för vård och omsorg,not stated\n"));

  Result registered = Cli("register-agency tillvaxtverket --name Tillväxtverket");
  EXPECT_EQ(registered.exit_code, 0) << registered.output;
  EXPECT_THAT(registered.output, HasSubstr("tillvaxtverket: Tillväxtverket (registered)"));
  Result renamed = Cli("register-agency tillvaxtverket --name 'Verket för näringslivsutveckling' "
                       "--organisation_number 2021000837");
  EXPECT_EQ(renamed.exit_code, 0) << renamed.output;
  EXPECT_THAT(renamed.output, HasSubstr("(updated)"));
  EXPECT_THAT(Cli("agencies --format csv").output,
              HasSubstr("tillvaxtverket,Verket för näringslivsutveckling,202100-0837\n"));

  Result mistyped =
      Cli("register-agency tillvaxtverket --name Tillväxtverket --organisation_number 2021000838");
  EXPECT_EQ(mistyped.exit_code, 1);
  EXPECT_THAT(mistyped.output, HasSubstr("agency.organisation_number"));
}

// The example catalogue's deadlines, and what is due from Helsingborg in
// 2025 once the example reports are in (they are sent now, after every
// 2025 deadline).
TEST_F(CliTest, DueListsTheExampleDeadlinesAndWhatCameLate) {
  ASSERT_EQ(Cli("import-duties " + Example("duties.csv")).exit_code, 0);
  ASSERT_EQ(Cli("submit " + Example("reports.csv")).exit_code, 0);
  Result duties = Cli("duties --format csv");
  EXPECT_THAT(duties.output, HasSubstr("slv-livsmedelskontroll,livsmedelsverket,other,annual,"
                                       "01-31 of the following year,"));
  EXPECT_THAT(duties.output, HasSubstr("scb-rs,scb,finance,annual,none stated,"));

  Result due = Cli("due --municipality 1283 --from 2025-01-01 --to 2025-12-31 --format csv");
  EXPECT_EQ(due.exit_code, 0) << due.output;
  EXPECT_THAT(due.output, StartsWith("deadline,duty,period,state,first_received,reports,agency\n"));
  EXPECT_THAT(due.output, HasSubstr("2025-01-15,sos-aldre-funktionsnedsattning-sol,2024-12,"
                                    "missing,,0,socialstyrelsen\n"));
  EXPECT_THAT(due.output, HasSubstr("2025-01-31,slv-livsmedelskontroll,2024,missing,,0,"
                                    "livsmedelsverket\n"));
  EXPECT_THAT(due.output, HasSubstr("2025-02-15,sos-aldre-funktionsnedsattning-sol,2025-01,"
                                    "received_late,"));
  EXPECT_THAT(due.output, HasSubstr("2025-10-25,sos-lss-register,2025,missing,,0,"
                                    "socialstyrelsen\n"));
  EXPECT_THAT(due.output, HasSubstr("2025-11-01,skolverket-forskola-barn-personal,2025,missing,"));
  EXPECT_THAT(due.output, HasSubstr("2025-12-15,sos-aldre-funktionsnedsattning-sol,2025-11,"
                                    "missing,"));

  Result table = Cli("due --municipality 1283 --from 2025-01-01 --to 2025-12-31");
  EXPECT_EQ(table.exit_code, 0) << table.output;
  EXPECT_THAT(table.output, HasSubstr("Deadlines 2025-01-01 to 2025-12-31, judged on "));
  EXPECT_THAT(table.output, HasSubstr("25 duties state no deadline, so nothing of them is "
                                      "late: boverket-bme, "));
  EXPECT_THAT(table.output, HasSubstr(", scb-rs, "));

  Result refused = Cli("due --municipality 12 --from 2025-01-01");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.output, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(refused.output, HasSubstr("municipality_code"));
}

TEST_F(CliTest, RejectedRowsAreListedWithTheirLines) {
  ASSERT_EQ(Cli("import-duties " + Example("duties.csv")).exit_code, 0);
  const std::string path = dir_.path() + "/bad.csv";
  std::ofstream(path) << "submission_id,municipality_code,duty_id,period,minutes_spent\n"
                         "a,0180,scb-rs,2024,30\n"
                         "b,9999,scb-rs,2024,30\n"
                         "c,0180,scb-rs,2024,thirty\n"
                         "d,0180,scb-rs,2024Q1,30\n";
  Result result = Cli("submit " + path);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("line 4: minutes_spent"));
  EXPECT_THAT(result.output, HasSubstr("1 accepted, 0 duplicate, 2 rejected, 1 unreadable"));
  EXPECT_THAT(result.output, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(result.output, HasSubstr("report.municipality_code"));
}

TEST_F(CliTest, AMunicipalityReadsBackItsReportsWithTheirReceipts) {
  ASSERT_EQ(Cli("import-duties " + Example("duties.csv")).exit_code, 0);
  ASSERT_EQ(Cli("submit " + Example("reports.csv")).exit_code, 0);
  // Stockholm's reports in the example file, in the order they were sent.
  std::vector<std::string> expected;
  std::istringstream lines(ReadFile(Example("reports.csv")));
  for (std::string line; std::getline(lines, line);) {
    if (line.find(",0180,") != std::string::npos) expected.push_back(line.substr(0, 9));
  }
  ASSERT_EQ(expected.size(), 26u);
  std::sort(expected.begin(), expected.end());  // listed by submission id

  Result listed = Cli("reports --municipality 0180 --format csv");
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  std::istringstream rows(listed.output);
  std::string header;
  std::getline(rows, header);
  EXPECT_EQ(header, "received,municipality,submission_id,duty,period,minutes,version,state");
  std::vector<std::string> ids;
  for (std::string row; std::getline(rows, row);) {
    const std::vector<std::string> cells = absl::StrSplit(row, ',');
    ASSERT_EQ(cells.size(), 8u) << row;
    EXPECT_THAT(cells[0], ::testing::MatchesRegex("20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:]+Z"));
    EXPECT_EQ(cells[1], "0180");
    EXPECT_EQ(cells[6], "1");
    EXPECT_EQ(cells[7], "");  // neither corrected nor withdrawn
    ids.push_back(cells[2]);
  }
  EXPECT_EQ(ids, expected);

  Result one_duty = Cli("reports --municipality 0180 --duty ivo-evb-sol --from 2025 --to 2025");
  EXPECT_EQ(one_duty.exit_code, 0) << one_duty.output;
  EXPECT_THAT(one_duty.output, HasSubstr("0180-0002"));
  EXPECT_THAT(one_duty.output, Not(HasSubstr("0180-0001")));  // 2024Q4

  Result tomorrow = Cli("reports --municipality 0180 --since 2999-01-01");
  EXPECT_EQ(tomorrow.exit_code, 0) << tomorrow.output;
  EXPECT_THAT(tomorrow.output, HasSubstr("0 reports"));
  Result bad_since = Cli("reports --municipality 0180 --since yesterday");
  EXPECT_EQ(bad_since.exit_code, 2);
  EXPECT_THAT(bad_since.output, HasSubstr("--since: \"yesterday\" is neither YYYY-MM-DD"));

  Result got = Cli("get-report 0180-0002 --municipality 0180");
  EXPECT_EQ(got.exit_code, 0) << got.output;
  EXPECT_THAT(got.output, HasSubstr("minutes_spent"));
  EXPECT_THAT(got.output, HasSubstr("202"));
  EXPECT_THAT(got.output, HasSubstr("received_at"));
  Result missing = Cli("get-report 0180-0002 --municipality 1283");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("NOT_FOUND"));
  EXPECT_THAT(missing.output, HasSubstr("municipality 1283 has stored no report"));
}

// A municipality corrects a mistyped figure and withdraws a report sent by
// mistake; the summary follows, and the report shows its history.
TEST_F(CliTest, AMunicipalityCorrectsAndWithdrawsItsReports) {
  ASSERT_EQ(Cli("import-duties " + Example("duties.csv")).exit_code, 0);
  ASSERT_EQ(Cli("submit " + Example("reports.csv")).exit_code, 0);
  auto minutes_of_0180 = [&]() -> int64_t {
    Result summary = Cli("summary --group_by municipality --municipality 0180 --format csv");
    EXPECT_EQ(summary.exit_code, 0) << summary.output;
    std::istringstream rows(summary.output);
    std::string row;
    std::getline(rows, row);  // header
    while (std::getline(rows, row)) {
      const std::vector<std::string> cells = absl::StrSplit(row, ',');
      if (cells.size() > 3 && cells[0] == "0180") return std::stoll(cells[3]);
    }
    return -1;
  };
  const int64_t before = minutes_of_0180();
  ASSERT_GT(before, 0);
  Result got = Cli("get-report 0180-0002 --municipality 0180 --format json");
  ASSERT_EQ(got.exit_code, 0) << got.output;
  const std::string old_minutes = "\"minutes_spent\": \"";
  const size_t at = got.output.find(old_minutes);
  ASSERT_NE(at, std::string::npos) << got.output;
  const int64_t was = std::stoll(got.output.substr(at + old_minutes.size()));

  Result corrected = Cli("correct 0180-0002 --municipality 0180 --minutes_spent " +
                         std::to_string(was + 100) + " --reason 'Fel antal minuter'");
  ASSERT_EQ(corrected.exit_code, 0) << corrected.output;
  EXPECT_THAT(corrected.output, HasSubstr("corrected"));
  EXPECT_EQ(minutes_of_0180(), before + 100);
  Result no_reason = Cli("correct 0180-0002 --municipality 0180 --minutes_spent 5");
  EXPECT_EQ(no_reason.exit_code, 1);
  EXPECT_THAT(no_reason.output, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(no_reason.output, HasSubstr("reason"));

  Result withdrawn = Cli("withdraw 0180-0002 --municipality 0180 --reason 'Skickad av misstag'");
  ASSERT_EQ(withdrawn.exit_code, 0) << withdrawn.output;
  EXPECT_THAT(withdrawn.output, HasSubstr("withdrawn"));
  EXPECT_EQ(minutes_of_0180(), before - was);

  Result history = Cli("get-report 0180-0002 --municipality 0180");
  EXPECT_EQ(history.exit_code, 0) << history.output;
  EXPECT_THAT(history.output, HasSubstr("withdrawn"));
  EXPECT_THAT(history.output, HasSubstr("Skickad av misstag"));
  EXPECT_THAT(history.output, HasSubstr("version 2"));  // the correction, kept
  EXPECT_THAT(history.output, HasSubstr("Fel antal minuter"));
  Result listed = Cli("reports --municipality 0180 --format csv");
  EXPECT_THAT(listed.output, HasSubstr(",3,withdrawn"));
}

TEST_F(CliTest, RecordedUsesAccountsCompletenessAndTheReport) {
  ASSERT_EQ(Cli("import-duties " + Example("duties.csv")).exit_code, 0);
  ASSERT_EQ(Cli("submit " + Example("reports.csv")).exit_code, 0);

  Result recorded = Cli(
      "record-use --duty scb-rs --use_id rs-2024 --kind official_statistics --date 2025-05-20 "
      "--data_periods 2024 --description 'Räkenskapssammandraget 2024 published' "
      "--link https://www.scb.se/rs");
  EXPECT_EQ(recorded.exit_code, 0) << recorded.output;
  EXPECT_THAT(recorded.output, HasSubstr("recorded: scb-rs/rs-2024"));
  EXPECT_THAT(Cli("record-use --duty scb-rs --use_id rs-2024 --kind official_statistics "
                  "--date 2025-05-20 --data_periods 2024 "
                  "--description 'Räkenskapssammandraget 2024 published' "
                  "--link https://www.scb.se/rs")
                  .output,
              HasSubstr("already recorded"));
  Result bad_kind = Cli("record-use --duty scb-rs --use_id x --kind rumour --date 2025-01-01 "
                        "--description y");
  EXPECT_EQ(bad_kind.exit_code, 2);
  EXPECT_THAT(bad_kind.output, HasSubstr("--kind"));
  Result bad_date = Cli("record-use --duty scb-rs --use_id x --kind other --date 2025-02-30 "
                        "--data_periods 2024 --description y");
  EXPECT_NE(bad_date.exit_code, 0);
  EXPECT_THAT(bad_date.output, HasSubstr("INVALID_ARGUMENT: use.date"));
  // A use names the data it used, which must exist by its date.
  Result no_data = Cli("record-use --duty scb-rs --use_id x --kind other --date 2025-02-01 "
                       "--description 'Used for a national overview'");
  EXPECT_NE(no_data.exit_code, 0);
  EXPECT_THAT(no_data.output, HasSubstr("INVALID_ARGUMENT: use.first_period"));
  Result future_data = Cli("record-use --duty scb-rs --use_id x --kind other "
                           "--date 2025-02-01 --data_periods 2024..2026 "
                           "--description 'Used for a national overview'");
  EXPECT_NE(future_data.exit_code, 0);
  EXPECT_THAT(future_data.output, HasSubstr("INVALID_ARGUMENT: use.last_period"));

  // Stockholm (0180) reports scb-rs in the examples, so it sees the use.
  Result uses = Cli("uses --municipality 0180 --format csv");
  EXPECT_EQ(uses.exit_code, 0) << uses.output;
  auto use_table = CsvTable::Parse(uses.output, {"duty", "use_id", "kind", "date"});
  ASSERT_TRUE(use_table.ok()) << uses.output;
  ASSERT_EQ(use_table->rows().size(), 1u);
  EXPECT_EQ(use_table->Get(use_table->rows()[0], "kind"), "official_statistics");

  // The summary counts scb-rs's one use in its row and in the totals, in
  // every format.
  Result by_duty = Cli("summary --group_by duty --format csv");
  EXPECT_EQ(by_duty.exit_code, 0) << by_duty.output;
  auto duty_table = CsvTable::Parse(by_duty.output, {"duty", "reports", "recorded_uses"});
  ASSERT_TRUE(duty_table.ok()) << by_duty.output;
  for (const CsvRow& row : duty_table->rows()) {
    const std::string& key = duty_table->Get(row, "duty");
    EXPECT_EQ(duty_table->Get(row, "recorded_uses"), key == "scb-rs" || key == "total" ? "1" : "0")
        << key;
  }
  EXPECT_EQ(duty_table->Get(duty_table->rows().back(), "duty"), "total");
  Result by_duty_json = Cli("summary --group_by duty --format json");
  EXPECT_EQ(by_duty_json.exit_code, 0) << by_duty_json.output;
  EXPECT_THAT(by_duty_json.output, HasSubstr("\"recorded_uses\": \"1\""));
  Result by_duty_table = Cli("summary --group_by duty");
  EXPECT_THAT(by_duty_table.output, HasSubstr("recorded_uses"));

  Result accounts = Cli("accounts --format csv");
  EXPECT_EQ(accounts.exit_code, 0) << accounts.output;
  auto account_table = CsvTable::Parse(
      accounts.output, {"duty", "reports", "median_minutes", "national_hours_per_year",
                        "national_cost_sek_per_year", "groups", "measured", "uses",
                        "not_estimable_reason", "national_basis"});
  ASSERT_TRUE(account_table.ok()) << accounts.output;
  EXPECT_EQ(account_table->rows().size(), 30u);  // every duty, reports or not
  for (const CsvRow& row : account_table->rows()) {
    if (account_table->Get(row, "duty") == "scb-rs") {
      EXPECT_EQ(account_table->Get(row, "uses"), "1");
      // Twelve municipalities in four of SKR's nine groups: no national
      // figure, the reason and the basis instead.
      EXPECT_EQ(account_table->Get(row, "national_hours_per_year"), "");
      EXPECT_EQ(account_table->Get(row, "national_cost_sek_per_year"), "");
      EXPECT_EQ(account_table->Get(row, "groups"), "4/9");
      EXPECT_THAT(account_table->Get(row, "not_estimable_reason"),
                  HasSubstr("5 of 9 municipality groups have no reports"));
      EXPECT_THAT(account_table->Get(row, "national_basis"),
                  StartsWith("staff hours per year over the 290 municipalities"));
    }
  }
  Result accounts_table = Cli("accounts --agency scb");
  EXPECT_EQ(accounts_table.exit_code, 0) << accounts_table.output;
  EXPECT_THAT(accounts_table.output, HasSubstr("not estimable"));
  EXPECT_THAT(accounts_table.output,
              HasSubstr("Not estimable, so without a national figure (2 duties):\n  scb-"));

  // Reports from the five other groups give scb-rs a national estimate.
  Result more = Cli("submit " + Example("reports-other-groups.csv"));
  EXPECT_THAT(more.output, HasSubstr("10 accepted, 0 duplicate, 0 rejected"));
  Result estimated = Cli("accounts --agency scb --format csv");
  auto estimated_table = CsvTable::Parse(
      estimated.output, {"duty", "national_hours_per_year", "national_hours_low",
                         "national_hours_high", "groups", "not_estimable_reason"});
  ASSERT_TRUE(estimated_table.ok()) << estimated.output;
  bool found = false;
  for (const CsvRow& row : estimated_table->rows()) {
    if (estimated_table->Get(row, "duty") != "scb-rs") continue;
    found = true;
    EXPECT_EQ(estimated_table->Get(row, "groups"), "9/9");
    EXPECT_EQ(estimated_table->Get(row, "not_estimable_reason"), "");
    double hours = 0, low = 0, high = 0;
    ASSERT_TRUE(absl::SimpleAtod(estimated_table->Get(row, "national_hours_per_year"), &hours));
    ASSERT_TRUE(absl::SimpleAtod(estimated_table->Get(row, "national_hours_low"), &low));
    ASSERT_TRUE(absl::SimpleAtod(estimated_table->Get(row, "national_hours_high"), &high));
    EXPECT_GT(hours, 0);
    EXPECT_LE(low, hours);
    EXPECT_GE(high, hours);
  }
  EXPECT_TRUE(found) << estimated.output;

  Result completeness = Cli("completeness --from 2025Q1 --to 2025Q1 --municipality 0180");
  EXPECT_EQ(completeness.exit_code, 0) << completeness.output;
  EXPECT_THAT(completeness.output, HasSubstr("Stockholm"));
  Result no_range = Cli("completeness");
  EXPECT_NE(no_range.exit_code, 0);
  EXPECT_THAT(no_range.output, HasSubstr("period_from"));

  Result markdown = Cli("report");
  EXPECT_EQ(markdown.exit_code, 0) << markdown.output;
  EXPECT_THAT(markdown.output, HasSubstr("ivo-lex-sarah"));
  const std::string html_path = dir_.path() + "/arena.html";
  Result html = Cli("report --format html --output " + html_path);
  EXPECT_EQ(html.exit_code, 0) << html.output;
  EXPECT_THAT(ReadFile(html_path), HasSubstr("<svg"));
  Result json = Cli("report --format json");
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_THAT(json.output, HasSubstr("\"flagged\""));
  EXPECT_EQ(Cli("report --format pdf").exit_code, 2);

  Result by_flag = Cli("summary --group_by flag --format csv");
  EXPECT_EQ(by_flag.exit_code, 0) << by_flag.output;
  EXPECT_THAT(by_flag.output, HasSubstr("NO_STATED_PURPOSE"));
}

// A municipality sees the recorded uses of the duties it reports, and only
// those: what it can show the staff who produce the reports.
TEST_F(CliTest, UsesOfAMunicipalityAreThoseOfTheDutiesItReports) {
  const std::string duties = dir_.path() + "/duties.csv";
  std::ofstream(duties)
      << "id,agency_id,title,legal_basis,purpose,sector,frequency,data_items\n"
         "cli-evb,ivo,Ej verkställda beslut,SoL (2001:453) 16 kap. 6 f § [unverified],"
         ",social_services,quarterly,decision_date\n"
         "cli-rs,scb,Räkenskapssammandraget,SFS 2001:99,SCB publishes the municipal "
         "accounts.,finance,annual,revenue\n"
         "cli-bme,boverket,Bostadsmarknadsenkäten,unverified,Boverket analyses the housing "
         "market.,housing_planning,annual,vacancies\n";
  Result imported = Cli("import-duties " + duties);
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  ASSERT_THAT(imported.output, HasSubstr("3 created, 0 updated, 0 failed"));

  // Helsingborg (1283) reports cli-evb and cli-rs; Nacka (0182) cli-bme.
  const std::string reports = dir_.path() + "/reports.csv";
  std::ofstream(reports) << "submission_id,municipality_code,duty_id,period,minutes_spent\n"
                            "h1,1283,cli-evb,2025Q1,40\n"
                            "h2,1283,cli-rs,2025,300\n"
                            "n1,0182,cli-bme,2025,90\n";
  Result submitted = Cli("submit " + reports);
  ASSERT_EQ(submitted.exit_code, 0) << submitted.output;
  ASSERT_THAT(submitted.output, HasSubstr("3 accepted, 0 duplicate, 0 rejected"));

  for (const char* args :
       {"--duty cli-evb --use_id tillsyn-2025 --kind supervision_decision --date 2025-06-10 "
        "--data_periods 2025Q1 --description 'Supervision of delayed decisions'",
        "--duty cli-rs --use_id rs-2025 --kind publication --date 2025-05-20 "
        "--data_periods 2024..2025 "
        "--description 'Räkenskapssammandraget 2025 published' --link https://www.scb.se/rs",
        "--duty cli-bme --use_id bme-2025 --kind policy_analysis --date 2025-04-01 "
        "--data_periods 2024 --description 'Housing market analysis'"}) {
    Result recorded = Cli(std::string("record-use ") + args);
    ASSERT_EQ(recorded.exit_code, 0) << args << "\n" << recorded.output;
  }

  Result helsingborg = Cli("uses --municipality 1283 --format csv");
  EXPECT_EQ(helsingborg.exit_code, 0) << helsingborg.output;
  auto table = CsvTable::Parse(helsingborg.output,
                               {"duty", "use_id", "kind", "date", "data_periods", "link"});
  ASSERT_TRUE(table.ok()) << table.status() << "\n" << helsingborg.output;
  std::vector<std::string> listed;
  for (const CsvRow& row : table->rows()) {
    listed.push_back(table->Get(row, "duty") + "/" + table->Get(row, "use_id") + " " +
                     table->Get(row, "kind") + " " + table->Get(row, "date") + " " +
                     table->Get(row, "data_periods"));
  }
  // By duty id: cli-evb before cli-rs; Boverket's use is not Helsingborg's.
  EXPECT_THAT(listed,
              ::testing::ElementsAre("cli-evb/tillsyn-2025 supervision_decision 2025-06-10 2025Q1",
                                     "cli-rs/rs-2025 publication 2025-05-20 2024..2025"));
  EXPECT_EQ(table->Get(table->rows()[1], "link"), "https://www.scb.se/rs");

  // The table says how many; Nacka sees Boverket's use only.
  Result nacka = Cli("uses --municipality 0182");
  EXPECT_EQ(nacka.exit_code, 0) << nacka.output;
  EXPECT_THAT(nacka.output, HasSubstr("bme-2025"));
  EXPECT_THAT(nacka.output, Not(HasSubstr("cli-evb")));
  EXPECT_THAT(nacka.output, Not(HasSubstr("cli-rs")));
  EXPECT_THAT(nacka.output, HasSubstr("\n1 uses\n"));
  // A municipality that reported nothing has no uses to see.
  Result stockholm = Cli("uses --municipality 0180");
  EXPECT_EQ(stockholm.exit_code, 0) << stockholm.output;
  EXPECT_THAT(stockholm.output, HasSubstr("\n0 uses\n"));
  EXPECT_THAT(stockholm.output, Not(HasSubstr("2025")));
  // Not one of the 290 codes: the server names the field.
  Result unknown = Cli("uses --municipality 9999");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.output, HasSubstr("INVALID_ARGUMENT: municipality_code"));

  // The flagged duty shows how its legal basis was read, note left out...
  Result flagged = Cli("flagged");
  EXPECT_EQ(flagged.exit_code, 0) << flagged.output;
  EXPECT_THAT(flagged.output,
              HasSubstr("  legal basis: SoL (2001:453) 16 kap. 6 f § [unverified]\n"
                        "  read as: SoL (2001:453) 16 kap. 6 f §\n"));
  // ...and JSON gives each reference's parts.
  Result json = Cli("duties --format json");
  EXPECT_EQ(json.exit_code, 0) << json.output;
  EXPECT_THAT(json.output, HasSubstr("\"kind\": \"KIND_STATUTE\""));
  EXPECT_THAT(json.output, HasSubstr("\"sfs_number\": \"2001:453\""));
  EXPECT_THAT(json.output, HasSubstr("\"section\": \"6 f\""));
  EXPECT_THAT(json.output, HasSubstr("\"text\": \"SFS 2001:99\""));
}

// Six reports whose third has a Latin-1 comment, as older exports have.
std::string SixReportsWithALatin1Comment() {
  return "submission_id,municipality_code,duty_id,period,minutes_spent,comment\n"
         "s1,0180,scb-rs,2024,30,\n"
         "s2,1480,scb-rs,2024,30,\n"
         "s3,1280,scb-rs,2024,30,V\xe4xj\xf6\n"
         "s4,0380,scb-rs,2024,30,\n"
         "s5,0580,scb-rs,2024,30,\n"
         "s6,2480,scb-rs,2024,30,\n";
}

// Before, the file gave "2 accepted, 0 duplicate, 0 rejected" and exit 0:
// rows 3 to 6 were lost without a word.
TEST_F(CliTest, InvalidUtf8IsRefusedWithFileLineAndColumnAndNothingIsSent) {
  ASSERT_EQ(Cli("import-duties " + Example("duties.csv")).exit_code, 0);
  const std::string path = dir_.path() + "/latin1.csv";
  std::ofstream(path, std::ios::binary) << SixReportsWithALatin1Comment();
  Result result = Cli("submit " + path);
  EXPECT_NE(result.exit_code, 0) << result.output;
  // Line 4 is "s3,1280,scb-rs,2024,30,V\xe4...": the bad byte is column 25.
  EXPECT_THAT(result.output, HasSubstr(path + ": line 4, column 25: not valid UTF-8 (byte 0xE4)"));
  EXPECT_THAT(result.output, HasSubstr("--encoding latin1"));
  EXPECT_THAT(result.output, Not(HasSubstr("accepted")));
  Result summary = Cli("summary --group_by agency --format csv");
  auto table = CsvTable::Parse(summary.output, {"reports"});
  ASSERT_TRUE(table.ok()) << summary.output;
  EXPECT_EQ(table->Get(table->rows().back(), "reports"), "0");  // nothing was sent
}

TEST_F(CliTest, Latin1FilesAreConvertedWithTheEncodingOption) {
  ASSERT_EQ(Cli("import-duties " + Example("duties.csv")).exit_code, 0);
  const std::string path = dir_.path() + "/latin1.csv";
  std::ofstream(path, std::ios::binary) << SixReportsWithALatin1Comment();
  Result result = Cli("--encoding latin1 submit " + path);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("6 accepted, 0 duplicate, 0 rejected"));
  Result unknown = Cli("--encoding cp1252 submit " + path);
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.output, HasSubstr("--encoding"));
}

// A spreadsheet opening the CLI's CSV must not run a formula from the data.
TEST_F(CliTest, CsvOutputQuotesFormulasFromTheData) {
  ASSERT_EQ(Cli("import-duties " + Example("duties.csv")).exit_code, 0);
  Result recorded = Cli("record-use --duty scb-rs --use_id f1 --kind other --date 2025-01-01 "
                        "--data_periods 2024 "
                        "--description '=HYPERLINK(\"http://x\",\"y\")' --link '@SUM(A1)'");
  ASSERT_EQ(recorded.exit_code, 0) << recorded.output;
  Result uses = Cli("uses --duty scb-rs --format csv");
  EXPECT_EQ(uses.exit_code, 0) << uses.output;
  EXPECT_THAT(uses.output, HasSubstr(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'@SUM(A1)\""));
  EXPECT_THAT(uses.output, Not(HasSubstr(",=")));
}

// A duty's change history through the real server: the create and each
// change that changed something, with the author and the fields; a
// catalogue imported twice adds nothing.
TEST_F(CliTest, DutyHistoryShowsEachChangeWithItsAuthorAndFields) {
  const std::string header =
      "id,agency_id,title,legal_basis,purpose,sector,frequency,data_items,targeted_grant,"
      "estimated_minutes_per_report,valid_from,valid_until,source_url,notes\n";
  auto write = [&](const std::string& name, const std::string& purpose) {
    const std::string path = dir_.path() + "/" + name;
    std::ofstream out(path);
    out << header << "h-1,scb,Räkenskapssammandrag,Lag (2001:99),\"" << purpose
        << "\",finance,annual,revenue;costs,,90,,,https://www.scb.se/,\n";
    return path;
  };
  const std::string first = write("v1.csv", "");
  ASSERT_EQ(Cli("import-duties " + first).exit_code, 0);
  ASSERT_EQ(Cli("import-duties " + first).exit_code, 0);  // unchanged: no version
  ASSERT_EQ(Cli("import-duties " + write("v2.csv", "Underlag för den officiella statistiken "
                                                     "om kommunernas ekonomi."))
                .exit_code,
            0);

  Result history = Cli("duty-history h-1 --format csv");
  ASSERT_EQ(history.exit_code, 0) << history.output;
  std::vector<std::string> lines = absl::StrSplit(history.output, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << history.output;  // header and two versions
  EXPECT_THAT(lines[0], HasSubstr("version,changed,by,fields,purpose,legal_basis,state,reason"));
  EXPECT_THAT(lines[1], ::testing::StartsWith("1,"));
  EXPECT_THAT(lines[1], ::testing::EndsWith(",in_force,"));  // registered in force, no reason
  EXPECT_THAT(lines[1], HasSubstr(",admin,agency_id title legal_basis purpose"));
  EXPECT_THAT(lines[2], ::testing::StartsWith("2,"));
  EXPECT_THAT(lines[2], HasSubstr(",admin,purpose,Underlag för den officiella statistiken"));

  Result unknown = Cli("duty-history no-such-duty");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.output, HasSubstr("NOT_FOUND"));
  EXPECT_NE(Cli("duty-history").exit_code, 0);
}

// The municipalities' comments reach the agency whose duty they are on,
// exactly as written, newest first, after a restart too;
// CSV output neutralises a formula, JSON keeps the text as it is.
TEST_F(CliTest, CommentsReachTheAgencyExactlyNewestFirst) {
  ASSERT_EQ(Cli("import-duties " + Example("duties.csv")).exit_code, 0);
  const std::string reports = dir_.path() + "/commented.csv";
  {
    std::ofstream out(reports);
    out << "submission_id,municipality_code,duty_id,period,minutes_spent,staff_count,"
           "usefulness,feedback_received,already_reported_elsewhere,comment\n"
           "c-1,0180,scb-rs,2024,300,2,2,no,yes,Samma uppgifter lämnas i Kolada.\n"
           "c-2,1283,scb-rs,2024,240,1,3,no,no,\n"
           "c-3,1283,scb-rs,2025,200,1,3,no,no,\"=HYPERLINK(\"\"http://x\"\")\"\n"
           "c-4,0180,ivo-evb-sol,2024Q4,60,1,3,no,no,<script>alert(1)</script>\n";
  }
  Result submitted = Cli("submit " + reports);
  ASSERT_EQ(submitted.exit_code, 0) << submitted.output;

  Result scb = Cli("comments --agency scb --format json");
  ASSERT_EQ(scb.exit_code, 0) << scb.output;
  const size_t newest = scb.output.find("\"c-3\"");
  const size_t oldest = scb.output.find("\"c-1\"");
  ASSERT_NE(newest, std::string::npos) << scb.output;
  ASSERT_NE(oldest, std::string::npos) << scb.output;
  EXPECT_LT(newest, oldest) << "newest first";
  EXPECT_THAT(scb.output, HasSubstr("Samma uppgifter lämnas i Kolada."));
  EXPECT_THAT(scb.output, HasSubstr(R"x(=HYPERLINK(\"http://x\"))x"));
  EXPECT_THAT(scb.output, Not(HasSubstr("c-2")));      // no comment
  EXPECT_THAT(scb.output, Not(HasSubstr("<script>")));  // another agency's duty

  Result csv = Cli("comments --duty scb-rs --format csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  EXPECT_THAT(csv.output, HasSubstr(R"x("'=HYPERLINK(""http://x"")")x"));
  EXPECT_THAT(csv.output, Not(HasSubstr(",=")));

  Result mine = Cli("comments --municipality 0180");
  ASSERT_EQ(mine.exit_code, 0) << mine.output;
  EXPECT_THAT(mine.output, HasSubstr("<script>alert(1)</script>"));
  EXPECT_THAT(mine.output, HasSubstr("2 comments"));

  Result unknown = Cli("comments --duty no-such-duty");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.output, HasSubstr("duty_id"));

  // Stored with the reports: a restart keeps them.
  server_.reset();
  server_ = testing::ServerProcess::Start(dir_.path() + "/cli.db");
  ASSERT_NE(server_, nullptr);
  EXPECT_THAT(Cli("comments --agency scb").output, HasSubstr("2 comments"));
}

// A proposal through the whole gateway with the CLI, each step by the
// principal that takes it: the agency proposes (and is shown the flags and
// the forecast), the municipality answers during the consultation, the
// arena may approve only once the consultation has closed (the server's
// --today moves on across a restart on the same database), and the renewal
// evidence compares what was measured since with the recorded forecast.
TEST_F(CliTest, ADutyGoesThroughProposalConsultationAndDecision) {
  const std::string db = dir_.path() + "/gateway.db";
  const std::string tokens = dir_.path() + "/tokens";
  std::ofstream(tokens) << Sha256Hex("skolverket-token") << " agency:skolverket\n"
                        << Sha256Hex("stockholm-token") << " municipality:0180\n"
                        << Sha256Hex("arena-token") << " arena\n";
  for (const char* who : {"skolverket", "stockholm", "arena"}) {
    std::ofstream(dir_.path() + "/" + who + ".token") << who << "-token\n";
  }
  auto as = [&](const std::string& who, const std::string& args) {
    return Cli(absl::StrCat("--token_file ", dir_.path(), "/", who, ".token ", args));
  };
  auto start = [&](const std::string& today) {
    server_.reset();
    server_ = testing::ServerProcess::Start(db, {"--tokens_file=" + tokens, "--today=" + today});
    return server_ != nullptr;
  };
  ASSERT_TRUE(start("2026-03-02"));

  // No purpose, and nothing comparable in force: the agency's estimate.
  const std::string duty = dir_.path() + "/duty.json";
  std::ofstream(duty) << R"({
    "id": "skolverket-franvaro",
    "agency_id": "skolverket",
    "title": "Uppgifter om elevers frånvaro",
    "legal_basis": "Skollagen (2010:800) 26 kap. 25 §",
    "purpose": "",
    "sector": "SECTOR_SCHOOL",
    "frequency": "FREQUENCY_ANNUAL",
    "data_items": ["elevantal", "franvaro_timmar"],
    "estimated_minutes_per_report": 45
  })";
  Result proposed =
      as("skolverket", "propose --file " + duty + " --reason 'Frånvaron behöver följas upp'");
  ASSERT_EQ(proposed.exit_code, 0) << proposed.output;
  EXPECT_THAT(proposed.output, HasSubstr("Proposed skolverket-franvaro (Uppgifter om elevers "
                                         "frånvaro): proposed (föreslaget)"));
  EXPECT_THAT(proposed.output, HasSubstr("NO_STATED_PURPOSE: Uppgiftskravet "
                                         "\"skolverket-franvaro\" anger inget syfte"));
  EXPECT_THAT(proposed.output, HasSubstr("Forecast source: agency_estimate"));
  // 45 minutes, once a year, in all 290 municipalities, at 400 SEK an hour.
  EXPECT_THAT(proposed.output, HasSubstr("minutes per report: 45.0\n"));
  EXPECT_THAT(proposed.output, HasSubstr("staff hours per year: 217.5\n"));
  EXPECT_THAT(proposed.output, HasSubstr("SEK per year: 87 000\n"));
  EXPECT_THAT(proposed.output, HasSubstr("Basis: personaltimmar per år i de 290 kommuner"));

  Result opened = as("skolverket", "consultation skolverket-franvaro --until 2026-03-02 "
                                   "--reason 'Remiss till kommunerna'");
  ASSERT_EQ(opened.exit_code, 0) << opened.output;
  EXPECT_THAT(opened.output, HasSubstr("skolverket-franvaro: in_consultation (på remiss), "
                                       "municipalities may answer until 2026-03-02"));

  Result answered = as("stockholm", "answer skolverket-franvaro --municipality 0180 --minutes 60 "
                                    "--comment 'Samma uppgifter lämnas i Kolada.' "
                                    "--already_reported_where Kolada");
  ASSERT_EQ(answered.exit_code, 0) << answered.output;
  EXPECT_THAT(answered.output,
              HasSubstr("Answered skolverket-franvaro for municipality 0180"));
  EXPECT_THAT(answered.output, HasSubstr("already reported elsewhere: yes: Kolada"));

  Result shown = as("arena", "consultation skolverket-franvaro");
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_THAT(shown.output, HasSubstr("Open: municipalities may answer until 2026-03-02"));
  EXPECT_THAT(shown.output, ::testing::ContainsRegex(
                                "0180 +60.0 +yes: Kolada +[0-9: -]+UTC +municipality:0180 +"
                                "Samma uppgifter lämnas i Kolada."));
  EXPECT_THAT(shown.output, HasSubstr("answers: 1\n"));
  EXPECT_THAT(shown.output, HasSubstr("estimates of minutes per report: 1, median 60.0"));
  EXPECT_THAT(shown.output, HasSubstr("already reported elsewhere: 1: Kolada (1)"));

  Result too_early =
      as("arena", "decide skolverket-franvaro --decision approve --reason 'Uppgifterna behövs'");
  EXPECT_EQ(too_early.exit_code, 1) << too_early.output;
  EXPECT_THAT(too_early.output, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(too_early.output, HasSubstr("in_consultation"));

  // The next day the consultation has closed.
  ASSERT_TRUE(start("2026-03-03"));
  EXPECT_THAT(as("arena", "consultation skolverket-franvaro").output,
              HasSubstr("Closed: its last day was 2026-03-02"));
  Result approved =
      as("arena", "decide skolverket-franvaro --decision approve --reason 'Uppgifterna behövs'");
  ASSERT_EQ(approved.exit_code, 0) << approved.output;
  EXPECT_THAT(approved.output, HasSubstr("Decision 1: approve (godkänt) skolverket-franvaro, "
                                         "decided on 2026-03-03 by arena: Uppgifterna behövs"));
  // Three years (--approval_years) from the decision's date.
  EXPECT_THAT(approved.output,
              HasSubstr("in_force (gällande), last day in force: 2029-03-03\n"));
  EXPECT_THAT(approved.output, HasSubstr("Recorded forecast: 45.0 minutes per report, 217.5 "
                                         "staff hours per year (the agency's own estimate)"));

  Result decisions = as("arena", "decisions --duty skolverket-franvaro --format csv");
  ASSERT_EQ(decisions.exit_code, 0) << decisions.output;
  EXPECT_EQ(decisions.output,
            "seq,duty,decision,decided_on,by,expires_on,merge_into,reason\n"
            "1,skolverket-franvaro,approve,2026-03-03,arena,2029-03-03,,Uppgifterna behövs\n");

  // A year on, Stockholm has reported 300 minutes against the forecast 45.
  ASSERT_TRUE(start("2027-02-01"));
  const std::string reports = dir_.path() + "/franvaro.csv";
  std::ofstream(reports) << "submission_id,municipality_code,duty_id,period,minutes_spent\n"
                            "f-1,0180,skolverket-franvaro,2026,300\n";
  Result submitted = as("stockholm", "submit " + reports);
  ASSERT_EQ(submitted.exit_code, 0) << submitted.output;
  Result evidence = as("arena", "renew skolverket-franvaro --evidence_only");
  ASSERT_EQ(evidence.exit_code, 0) << evidence.output;
  EXPECT_THAT(evidence.output, HasSubstr("Since: 2026-03-03\nReports: 1\n"));
  EXPECT_THAT(evidence.output, HasSubstr("Minutes per report: 300.0; recorded forecast 45.0"));
  EXPECT_THAT(evidence.output, HasSubstr("Verdict: above the recorded forecast\n"));
  EXPECT_THAT(evidence.output, HasSubstr("2026: NO_STATED_PURPOSE"));
  EXPECT_THAT(evidence.output, Not(HasSubstr("Renewed")));
  EXPECT_THAT(as("arena", "decisions").output, HasSubstr("\n1 decisions\n"));
}

// A stand-in ReportIntake that loses every report after the second and still
// ends the stream with OK, as a faulty server or proxy could.
class LossyIntake final : public v1::ReportIntake::Service {
 public:
  grpc::Status SubmitReports(grpc::ServerContext*,
                             grpc::ServerReader<v1::SubmitReportsRequest>* reader,
                             v1::SubmitReportsResponse* response) override {
    v1::SubmitReportsRequest request;
    int read = 0;
    while (reader->Read(&request)) ++read;
    response->set_accepted(read < 2 ? read : 2);
    return grpc::Status::OK;
  }
};

// The names of the flags a source file defines with ABSL_FLAG.
std::vector<std::string> FlagsDefinedIn(const std::string& path) {
  std::vector<std::string> names;
  const std::string source = ReadFile(path);
  for (size_t at = source.find("ABSL_FLAG("); at != std::string::npos;
       at = source.find("ABSL_FLAG(", at + 1)) {
    // ABSL_FLAG(type, name, default, help): the name follows the first comma.
    const size_t comma = source.find(',', at);
    const size_t end = source.find(',', comma + 1);
    names.emplace_back(absl::StripAsciiWhitespace(source.substr(comma + 1, end - comma - 1)));
  }
  return names;
}

// --help explains every flag each binary defines, with its help text, not
// "No flags matched".
TEST(HelpTest, BothBinariesExplainEveryFlagTheyDefine) {
  const std::vector<std::pair<std::string, std::string>> binaries = {
      {testing::ServerBinary(), INRAPPORT_SOURCE_DIR "/services/server/main.cc"},
      {INRAPPORT_CLI_PATH, INRAPPORT_SOURCE_DIR "/services/cli/flags.cc"}};
  for (const auto& [binary, source] : binaries) {
    const Result help = RunShell(binary + " --help 2>&1");
    EXPECT_THAT(help.output, Not(HasSubstr("No flags matched"))) << binary;
    EXPECT_THAT(help.output, HasSubstr("services/")) << binary;  // where they are defined
    const std::vector<std::string> flags = FlagsDefinedIn(source);
    EXPECT_GE(flags.size(), 10u) << source;
    for (const std::string& flag : flags) {
      EXPECT_THAT(help.output, HasSubstr("--" + flag + " (")) << binary << " --help omits " << flag;
    }
  }
  // The server's own words for two of them, after one program name.
  const Result server = RunShell(testing::ServerBinary() + " --help 2>&1");
  EXPECT_THAT(server.output, StartsWith("inrapportd: receives municipalities' reports"));
  EXPECT_THAT(server.output, HasSubstr("--illustrative_data ("));
  EXPECT_THAT(server.output, HasSubstr("--tariff_sek_per_hour ("));
  // The CLI's commands come first.
  const Result cli = RunShell(std::string(INRAPPORT_CLI_PATH) + " --help 2>&1");
  EXPECT_THAT(cli.output, StartsWith("inrapport: the command-line client of inrapportd."));
  EXPECT_THAT(cli.output, HasSubstr("import-duties FILE.csv"));
}

TEST(CliCountTest, AStreamThatDoesNotAccountForEveryReportFailsLoudly) {
  LossyIntake service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  ASSERT_GT(port, 0);
  testing::TempDir dir;
  const std::string path = dir.path() + "/six.csv";
  std::ofstream(path) << "submission_id,municipality_code,duty_id,period,minutes_spent,comment\n"
                         "s1,0180,scb-rs,2024,30,\n"
                         "s2,1480,scb-rs,2024,30,\n"
                         "s3,1280,scb-rs,2024,30,Växjö\n"
                         "s4,0380,scb-rs,2024,30,\n"
                         "s5,0580,scb-rs,2024,30,\n"
                         "s6,2480,scb-rs,2024,30,\n";
  const Result result = RunShell(
      absl::StrCat(INRAPPORT_CLI_PATH, " --server 127.0.0.1:", port, " submit ", path, " 2>&1"));
  server->Shutdown();
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_THAT(result.output, HasSubstr("2 accepted, 0 duplicate, 0 rejected"));
  EXPECT_THAT(result.output,
              HasSubstr("the server accounted for 2 of the 6 reports in the file (6 sent); "
                        "4 may not be stored"));
}

// A stand-in DutyRegistry whose one duty carries text stored before the
// server refused control and bidi characters: the CLI must not pass them to
// the terminal.
class HostileRegistry final : public v1::DutyRegistry::Service {
 public:
  grpc::Status ListDuties(grpc::ServerContext*, const v1::ListDutiesRequest*,
                          v1::ListDutiesResponse* response) override {
    v1::ReportingDuty* duty = response->add_duties();
    duty->set_id("old\x1b[2Jduty");
    duty->set_agency_id("ivo\xe2\x80\xae" "cba");
    duty->set_frequency(v1::FREQUENCY_ANNUAL);
    v1::Flag* flag = duty->add_flags();
    flag->set_code("NO_STATED_PURPOSE");
    flag->set_reason("reason \x1b]0;pwned\x07 with\nline \xc2\x9b" "31m");
    return grpc::Status::OK;
  }
};

TEST(CliTerminalTest, ControlAndBidiCharactersFromTheServerNeverReachTheTerminal) {
  HostileRegistry service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  for (const char* format : {"table", "csv", "json"}) {
    const Result result = RunShell(absl::StrCat(INRAPPORT_CLI_PATH, " --server 127.0.0.1:", port,
                                                " --format ", format, " duties 2>&1"));
    EXPECT_EQ(result.exit_code, 0) << result.output;
    for (const char* raw : {"\x1b", "\x07", "\xe2\x80\xae", "\xc2\x9b"}) {
      EXPECT_THAT(result.output, Not(HasSubstr(raw))) << format << ": " << result.output;
    }
    EXPECT_THAT(result.output, HasSubstr("old")) << format;
  }
  const Result table = RunShell(absl::StrCat(INRAPPORT_CLI_PATH, " --server 127.0.0.1:", port,
                                             " duties 2>&1"));
  EXPECT_THAT(table.output, HasSubstr("old\uFFFD[2Jduty"));
  EXPECT_THAT(table.output, HasSubstr("reason \uFFFD]0;pwned\uFFFD with line \uFFFD31m"));
  server->Shutdown();
}

TEST_F(CliTest, UnreachableServerIsSaidPlainly) {
  const std::string command = absl::StrCat(INRAPPORT_CLI_PATH,
                                           " --server 127.0.0.1:1 --timeout_seconds 2 duties 2>&1");
  const Result result = RunShell(command);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.output, HasSubstr("127.0.0.1:1"));
}

TEST(CliAuthTest, SendsItsTokenAndSaysWhatWasRefused) {
  testing::TempDir dir;
  const std::string tokens = dir.path() + "/tokens";
  std::ofstream(tokens) << Sha256Hex("admin-token") << " admin\n"
                        << Sha256Hex("stockholm-token") << " municipality:0180\n";
  std::ofstream(dir.path() + "/token") << "stockholm-token\n";
  auto server = testing::ServerProcess::Start(dir.path() + "/auth.db", {"--tokens_file=" + tokens});
  ASSERT_NE(server, nullptr);
  auto cli = [&](const std::string& env, const std::string& args) {
    const std::string command = absl::StrCat(env, " ", INRAPPORT_CLI_PATH, " --server ",
                                             server->grpc_address(), " ", args, " 2>&1");
    return RunShell(command);
  };
  Result none = cli("env -u INRAPPORT_TOKEN", "duties");
  EXPECT_NE(none.exit_code, 0);
  EXPECT_THAT(none.output, HasSubstr("UNAUTHENTICATED"));
  Result admin = cli("INRAPPORT_TOKEN=admin-token",
                     absl::StrCat("import-duties ", INRAPPORT_SOURCE_DIR, "/examples/duties.csv"));
  EXPECT_EQ(admin.exit_code, 0) << admin.output;
  EXPECT_THAT(admin.output, HasSubstr("30 created"));
  // The municipality, with its token in a file: its own burden only.
  const std::string as_stockholm = "--token_file " + dir.path() + "/token ";
  Result everyone = cli("env -u INRAPPORT_TOKEN", as_stockholm + "summary --group_by duty");
  EXPECT_NE(everyone.exit_code, 0);
  EXPECT_THAT(everyone.output, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(everyone.output, HasSubstr("set municipality_code to \"0180\""));
  Result own = cli("env -u INRAPPORT_TOKEN",
                   as_stockholm + "summary --group_by duty --municipality 0180");
  EXPECT_EQ(own.exit_code, 0) << own.output;
  EXPECT_THAT(own.output, Not(HasSubstr("stockholm-token")));
}

}  // namespace
}  // namespace inrapport
