// inrapport: the command-line client of inrapportd. This file holds the
// command table and the usage it is described by; the commands are in
// *_commands.cc, the flags in flags.cc.
#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/flag_help.h"
#include "services/cli/client.h"
#include "services/cli/commands.h"
#include "services/cli/flags.h"
#include "services/cli/output.h"

namespace inrapport::cli {
namespace {

struct Invocation {
  Stubs& stubs;
  const std::string& argument;  // the file or id, when the command takes one
  Format format;
};

struct Command {
  const char* name;
  const char* argument;  // shown in the usage: "FILE.csv", "ID"; "" for none
  const char* usage;     // its lines of the usage text
  int (*run)(const Invocation& call);
  bool own_formats = false;  // --format takes the command's own values
};

const Command kCommands[] = {
    {"import-duties", "FILE.csv",
     "Register the duties of a catalogue (create, or\n"
     "update those that exist). Columns: id, agency_id,\n"
     "title, legal_basis, purpose, sector, frequency,\n"
     "data_items (';'-separated), targeted_grant,\n"
     "estimated_minutes_per_report, valid_from,\n"
     "valid_until, source_url, notes, and optionally\n"
     "respondents (';'-separated municipality codes\n"
     "that must report; empty: all 290), deadline\n"
     "(\"30 days after period end\", \"03-31 of the\n"
     "following year\" or \"10-25 of the same year\";\n"
     "empty: none stated) and expires_on (the last day\n"
     "in force, where the catalogue gives one). The\n"
     "duties are registered in force: the administrator.",
     [](const Invocation& c) { return ImportDuties(c.stubs, c.argument); }},
    {"duties", "",
     "List duties and their flags\n"
     "[--agency ID] [--sector NAME] [--flagged].",
     [](const Invocation& c) { return ListDuties(c.stubs, c.format); }},
    {"duty-history", "ID",
     "Every version of a duty: when, by whom, which\n"
     "fields changed, and the purpose and legal basis\n"
     "as they then stood.",
     [](const Invocation& c) { return DutyHistory(c.stubs, c.argument, c.format); }},
    {"agencies", "",
     "List the registered agencies: id, name and\n"
     "organisation number.",
     [](const Invocation& c) { return ListAgencies(c.stubs, c.format); }},
    {"register-agency", "ID",
     "Register an agency, or rename one that is\n"
     "registered (the administrator only):\n"
     "--name NAME [--organisation_number NNNNNN-NNNN].",
     [](const Invocation& c) { return RegisterAgency(c.stubs, c.argument); }},
    {"propose", "",
     "Propose a new duty (its agency) and print its\n"
     "impact assessment: the flags it would have, the\n"
     "forecast's source, minutes per report, staff hours\n"
     "and SEK a year (90 % intervals), the comparable\n"
     "duties, the groups and the basis. --file FILE: a\n"
     "ReportingDuty as JSON (as duties --format json\n"
     "prints one) or a one-row catalogue .csv\n"
     "[--reason TEXT: why the agency needs the data].",
     [](const Invocation& c) { return ProposeDuty(c.stubs, c.format); }},
    {"assess", "DUTY_ID",
     "The impact assessment of a duty as it stands\n"
     "today (its agency and the arena).",
     [](const Invocation& c) { return AssessDuty(c.stubs, c.argument, c.format); }},
    {"consultation", "DUTY_ID",
     "With --until YYYY-MM-DD [--reason TEXT]: open the\n"
     "consultation on a proposal until that day (its\n"
     "agency or the arena), or extend it. Without: show\n"
     "it: open or closed, each answer and the summary\n"
     "[--municipality CODE: only its answer].",
     [](const Invocation& c) { return ConsultationCommand(c.stubs, c.argument, c.format); }},
    {"answer", "DUTY_ID",
     "Answer a consultation, for a municipality; a new\n"
     "answer replaces the earlier one while it is open\n"
     "--municipality CODE [--minutes N: minutes one\n"
     "report would take] [--comment TEXT]\n"
     "[--already_reported_where WHERE: a duty id or a\n"
     "register where the data is already reported].",
     [](const Invocation& c) { return AnswerConsultation(c.stubs, c.argument, c.format); }},
    {"decide", "DUTY_ID",
     "The arena's decision --decision approve|reject|\n"
     "keep|simplify|merge|withdraw --reason TEXT\n"
     "[--expires_on DATE: approve; default 3 years from\n"
     "the decision] [--decided_on DATE: default today]\n"
     "[--merge_into DUTY: merge]. Approve needs the\n"
     "consultation closed; prints the duty's new state\n"
     "and expiry, and the forecast recorded.",
     [](const Invocation& c) { return DecideDuty(c.stubs, c.argument, c.format); }},
    {"renew", "DUTY_ID",
     "Print the renewal evidence (reports and minutes\n"
     "per report since the approval against the\n"
     "recorded forecast: within, above or below; the\n"
     "national estimate, flags per period, recorded\n"
     "uses, the consultation), then renew the duty\n"
     "(the arena) --reason TEXT [--expires_on DATE]\n"
     "[--decided_on DATE] and print its new expiry.\n"
     "--evidence_only: the evidence, no renewal.",
     [](const Invocation& c) { return RenewDuty(c.stubs, c.argument, c.format); }},
    {"decisions", "",
     "The arena's decisions in the order recorded\n"
     "[--duty ID].",
     [](const Invocation& c) { return ListDecisions(c.stubs, c.format); }},
    {"submit", "FILE.csv",
     "Send reports over one stream, with progress and a\n"
     "final count. Columns: submission_id,\n"
     "municipality_code, duty_id, period, minutes_spent,\n"
     "staff_count, usefulness, feedback_received,\n"
     "already_reported_elsewhere, comment. Fails (exit 1)\n"
     "unless the server accounts for every report sent\n"
     "(accepted + duplicate + rejected).",
     [](const Invocation& c) { return SubmitReports(c.stubs, c.argument, c.format); }},
    {"reports", "",
     "Stored reports with their receipts, by municipality\n"
     "and submission id\n"
     "[--municipality CODE] [--duty ID] [--agency ID]\n"
     "[--from PERIOD] [--to PERIOD] [--since DATE|TIME].\n"
     "A municipality lists its own (--municipality).",
     [](const Invocation& c) { return ListReports(c.stubs, c.format); }},
    {"get-report", "SUBMISSION_ID",
     "One stored report, its receipt and the versions\n"
     "it replaced --municipality CODE.",
     [](const Invocation& c) { return GetReport(c.stubs, c.argument, c.format); }},
    {"correct", "SUBMISSION_ID",
     "Correct a stored report: its next version keeps\n"
     "every field but those given --municipality CODE\n"
     "--reason TEXT [--period P] [--minutes_spent N]\n"
     "[--staff_count N] [--usefulness N] [--comment TEXT].",
     [](const Invocation& c) { return CorrectReport(c.stubs, c.argument, c.format); }},
    {"withdraw", "SUBMISSION_ID",
     "Withdraw a stored report from every figure; it\n"
     "stays on record --municipality CODE --reason TEXT.",
     [](const Invocation& c) { return WithdrawReport(c.stubs, c.argument, c.format); }},
    {"summary", "",
     "Burden summary [--group_by agency|duty|municipality|\n"
     "county|sector|period|flag] [--agency] [--sector]\n"
     "[--municipality] [--from] [--to] [--flagged].",
     [](const Invocation& c) { return Summary(c.stubs, c.format); }},
    {"flagged", "",
     "Flagged duties ranked by measured burden\n"
     "[--agency ID] [--limit N].",
     [](const Invocation& c) { return Flagged(c.stubs, c.format); }},
    {"accounts", "",
     "Per-duty accounts: measured cost, median minutes and\n"
     "the national estimate [--agency] [--sector] [--flagged].",
     [](const Invocation& c) { return Accounts(c.stubs, c.format); }},
    {"completeness", "",
     "Reporting rate per duty and municipality\n"
     "--from PERIOD --to PERIOD [--agency] [--duty]\n"
     "[--municipality].",
     [](const Invocation& c) { return Completeness(c.stubs, c.format); }},
    {"record-use", "",
     "Record a use of a duty's data: --duty ID --use_id ID\n"
     "--kind KIND --date YYYY-MM-DD --data_periods FIRST[..LAST]\n"
     "--description TEXT [--link URL]. KIND: publication,\n"
     "official_statistics, supervision_decision, grant_decision,\n"
     "policy_analysis, returned_to_municipalities, other.",
     [](const Invocation& c) { return RecordUse(c.stubs, c.format); }},
    {"uses", "",
     "Recorded uses [--duty ID] [--agency ID]\n"
     "[--municipality CODE: of the duties it reports].",
     [](const Invocation& c) { return ListUses(c.stubs, c.format); }},
    {"due", "",
     "What is due from a municipality, by deadline, and\n"
     "whether it came: received, received_late, missing,\n"
     "not_yet_due. --municipality CODE [--from DATE]\n"
     "[--to DATE] (deadlines; default: today minus 365\n"
     "days to today plus 90 days) [--agency ID].",
     [](const Invocation& c) { return DueReports(c.stubs, c.format); }},
    {"comments", "",
     "The municipalities' comments on their reports,\n"
     "newest first [--duty ID] [--agency ID]\n"
     "[--municipality CODE].",
     [](const Invocation& c) { return ListComments(c.stubs, c.format); }},
    {"report", "",
     "The arena report [--format markdown|csv|json|html]\n"
     "[--lang sv|en] [--from PERIOD] [--to PERIOD]\n"
     "[--output FILE] [--limit N]. Swedish by default.",
     [](const Invocation& c) { return ArenaReport(c.stubs); }, /*own_formats=*/true},
};

// The usage, from the table: each command's name and argument in a column
// of 25, its lines beside it.
const std::string& Usage() {
  static const std::string* const usage = [] {
    std::string text = "inrapport: the command-line client of inrapportd.\n\nCommands:\n";
    for (const Command& command : kCommands) {
      std::string head = command.name;
      if (*command.argument != '\0') absl::StrAppend(&head, " ", command.argument);
      bool first = true;
      for (absl::string_view line : absl::StrSplit(command.usage, '\n')) {
        const std::string left = first ? head : "";
        absl::StrAppend(&text, "  ", left, std::string(25 - std::min<size_t>(left.size(), 24), ' '),
                        line, "\n");
        first = false;
      }
    }
    absl::StrAppend(
        &text,
        "\n"
        "Input files (import-duties, submit, propose) must be UTF-8; a bad byte is\n"
        "  reported with its line and column and nothing is sent. --encoding latin1 reads\n"
        "  a Latin-1 (ISO 8859-1) export instead.\n"
        "\n"
        "propose, assess, consultation, answer, decide and renew print text, or the\n"
        "  response with --format json; decisions and a consultation's answers are tables\n"
        "  (also CSV). --lang sv|en: the language of the server's sentences (flag reasons,\n"
        "  bases) and the Swedish names of states and decisions; Swedish by default.\n"
        "\n"
        "Common flags: --server HOST:PORT, --format table|csv|json, --timeout_seconds,\n"
        "  --token_file FILE (or INRAPPORT_TOKEN), --tls_ca FILE [--tls_cert FILE --tls_key "
        "FILE].");
    return new std::string(std::move(text));
  }();
  return *usage;
}

int Run(const std::vector<char*>& args) {
  if (args.size() < 2) {
    std::cerr << Usage() << "\n";
    return 2;
  }
  const std::string name = args[1];
  const Command* command = nullptr;
  for (const Command& each : kCommands) {
    if (name == each.name) command = &each;
  }
  if (command == nullptr) {
    std::cerr << "error: unknown command \"" << name << "\"\n\n" << Usage() << "\n";
    return 2;
  }
  std::optional<Format> format = ParseFormat(absl::GetFlag(FLAGS_format));
  if (!format && !command->own_formats) {
    std::cerr << "error: --format: \"" << absl::GetFlag(FLAGS_format)
              << "\" is not table, csv or json\n";
    return 2;
  }
  const bool takes_argument = *command->argument != '\0';
  if (args.size() != (takes_argument ? 3u : 2u)) {
    std::cerr << "error: " << name
              << (!takes_argument                          ? " takes no arguments"
                  : std::string(command->argument) == "ID" ||
                          std::string(command->argument) == "DUTY_ID"
                      ? " takes one duty id"
                  : std::string(command->argument) == "SUBMISSION_ID"
                      ? " takes one submission id"
                      : " takes one file")
              << "\n\n" << Usage() << "\n";
    return 2;
  }
  Stubs stubs = Connect();
  const std::string argument = takes_argument ? args[2] : "";
  return command->run({stubs, argument, format.value_or(Format::kTable)});
}

}  // namespace
}  // namespace inrapport::cli

int main(int argc, char** argv) {
  // absl puts the program's name before the message itself.
  absl::SetProgramUsageMessage(
      absl::StripPrefix(inrapport::cli::Usage(), "inrapport: "));
  inrapport::ShowFlagsOfDirectoryInHelp("services/cli/");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  return inrapport::cli::Run(args);
}
