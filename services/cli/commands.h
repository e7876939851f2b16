// The CLI's commands, one file per API service: duty_commands.cc
// (DutyRegistry), intake_commands.cc (ReportIntake), burden_commands.cc
// (BurdenQuery), gateway_commands.cc (DutyGateway). Each returns the
// process's exit status: 0 done, 1 the server said no (told on stderr), 2 a
// usage error. main.cc holds the table that names them.
#ifndef INRAPPORT_SERVICES_CLI_COMMANDS_H_
#define INRAPPORT_SERVICES_CLI_COMMANDS_H_

#include <string>

#include "services/cli/client.h"
#include "services/cli/output.h"

namespace inrapport::cli {

// DutyRegistry.
int ImportDuties(Stubs& stubs, const std::string& path);
int ListDuties(Stubs& stubs, Format format);
int DutyHistory(Stubs& stubs, const std::string& id, Format format);
int ListAgencies(Stubs& stubs, Format format);
int RegisterAgency(Stubs& stubs, const std::string& id);
int RecordUse(Stubs& stubs, Format format);
int ListUses(Stubs& stubs, Format format);

// ReportIntake.
int SubmitReports(Stubs& stubs, const std::string& path, Format format);
int ListReports(Stubs& stubs, Format format);
int GetReport(Stubs& stubs, const std::string& submission_id, Format format);
// The stored report read, the fields given as flags changed, and sent as
// a correction of the version read.
int CorrectReport(Stubs& stubs, const std::string& submission_id, Format format);
int WithdrawReport(Stubs& stubs, const std::string& submission_id, Format format);

// BurdenQuery.
int Summary(Stubs& stubs, Format format);
int Flagged(Stubs& stubs, Format format);
int Accounts(Stubs& stubs, Format format);
int Completeness(Stubs& stubs, Format format);
int ListComments(Stubs& stubs, Format format);
int DueReports(Stubs& stubs, Format format);
// --format is the report's own: markdown (the default), csv, json or html.
int ArenaReport(Stubs& stubs);

// DutyGateway. A single result (a proposal, an answer, a decision, the
// evidence) is printed as text, or as the response with --format json;
// decisions and a consultation's answers are tables, also as CSV. --lang
// chooses the language of the server's sentences (flag reasons, bases) and
// adds the Swedish state and decision names.
//
// --file: the duty proposed, its impact assessment printed.
int ProposeDuty(Stubs& stubs, Format format);
// The impact assessment of a duty as it stands today.
int AssessDuty(Stubs& stubs, const std::string& duty_id, Format format);
// With --until opens or extends the consultation, else shows it: whether
// it is open, each answer and the summary.
int ConsultationCommand(Stubs& stubs, const std::string& duty_id, Format format);
// A municipality's answer (--municipality) to the consultation.
int AnswerConsultation(Stubs& stubs, const std::string& duty_id, Format format);
// --decision on the duty; "renew" is refused for RenewDuty, which shows the
// evidence first.
int DecideDuty(Stubs& stubs, const std::string& duty_id, Format format);
// The renewal evidence, then (without --evidence_only) the renewal.
int RenewDuty(Stubs& stubs, const std::string& duty_id, Format format);
int ListDecisions(Stubs& stubs, Format format);

}  // namespace inrapport::cli

#endif  // INRAPPORT_SERVICES_CLI_COMMANDS_H_
