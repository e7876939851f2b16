// The CLI's commands, one file per API service: duty_commands.cc
// (DutyRegistry), intake_commands.cc (ReportIntake), burden_commands.cc
// (BurdenQuery). Each returns the process's exit status: 0 done, 1 the
// server said no (told on stderr), 2 a usage error. main.cc holds the table
// that names them.
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

}  // namespace inrapport::cli

#endif  // INRAPPORT_SERVICES_CLI_COMMANDS_H_
