#include "services/cli/flags.h"

#include <cstdint>
#include <optional>
#include <string>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "The inrapportd gRPC address, HOST:PORT.");
ABSL_FLAG(int, timeout_seconds, 60, "Deadline for each call (a whole stream for submit).");
ABSL_FLAG(std::string, token_file, "",
          "A file holding the bearer token to send (the environment variable "
          "INRAPPORT_TOKEN is used when this is not given); never on the command line.");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM file of the CA that signed the server's certificate: connect over TLS.");
ABSL_FLAG(std::string, tls_cert, "",
          "With --tls_ca: PEM client certificate for mutual TLS (its common name is the caller).");
ABSL_FLAG(std::string, tls_key, "", "With --tls_cert: the client certificate's private key.");
ABSL_FLAG(std::string, format, "table", "Output: table, csv or json.");
ABSL_FLAG(std::string, agency, "", "Only this agency's duties (an agency id, e.g. ivo).");
ABSL_FLAG(std::string, sector, "", "Only this sector, e.g. social_services or school.");
ABSL_FLAG(bool, flagged, false, "Only flagged duties.");
ABSL_FLAG(std::string, group_by, "agency",
          "summary: agency, duty, municipality, county, sector or period.");
ABSL_FLAG(std::string, municipality, "",
          "summary, reports, get-report: only this municipality code, e.g. 0180; answer: the "
          "answering municipality; consultation: only its answer (a municipality reads its own).");
ABSL_FLAG(std::string, from, "",
          "summary, report, reports: first period, e.g. 2024 or 2024Q1; due: first "
          "deadline date, YYYY-MM-DD (default: today minus 365 days).");
ABSL_FLAG(std::string, to, "",
          "summary, report, reports: last period, e.g. 2025 or 2025-06; due: last deadline "
          "date, YYYY-MM-DD (default: today plus 90 days).");
ABSL_FLAG(std::string, lang, "sv",
          "report: the document's language, sv or en; propose, assess, consultation, decide, "
          "renew: the language of the flags' reasons, the bases and the state names.");
ABSL_FLAG(int, limit, 0,
          "flagged, report: how many duties (and overlaps) at most (0: the server's "
          "default, 100 for flagged and 50 for report).");
ABSL_FLAG(std::string, duty, "",
          "record-use, uses, completeness: the duty id; decisions: only this duty's.");
ABSL_FLAG(std::string, use_id, "",
          "record-use: an id for the use, unique within the duty (a slug), e.g. "
          "statistik-2025.");
ABSL_FLAG(std::string, kind, "",
          "record-use: publication, official_statistics, supervision_decision, "
          "grant_decision, policy_analysis, returned_to_municipalities or other.");
ABSL_FLAG(std::string, date, "", "record-use: when the data was used, YYYY-MM-DD.");
ABSL_FLAG(std::string, data_periods, "",
          "record-use: the periods of the duty's data the use drew on, FIRST or "
          "FIRST..LAST, e.g. 2024 or 2023..2024.");
ABSL_FLAG(std::string, description, "", "record-use: what was done with the data.");
ABSL_FLAG(std::string, link, "", "record-use: where the use can be seen (optional).");
ABSL_FLAG(std::string, output, "", "report: write the document to this file, not stdout.");
ABSL_FLAG(std::string, since, "",
          "reports: only those received at or after this time, YYYY-MM-DD (UTC midnight) "
          "or RFC 3339 (2025-03-01T12:00:00Z).");
ABSL_FLAG(std::string, encoding, "utf8",
          "import-duties, submit: the input file's encoding, utf8 or latin1 (ISO 8859-1, "
          "converted to UTF-8 before sending).");
ABSL_FLAG(std::string, reason, "",
          "correct, withdraw: why the report is changed, for the record (required); decide, "
          "renew: the decision's reason (required); propose: why the agency needs the data; "
          "consultation --until: why it is opened or extended.");
ABSL_FLAG(std::string, period, "", "correct: the corrected period (else unchanged).");
ABSL_FLAG(int64_t, minutes_spent, 0,
          "correct: the corrected staff minutes (0: unchanged).");
ABSL_FLAG(int, staff_count, -1, "correct: the corrected staff count (-1: unchanged).");
ABSL_FLAG(int, usefulness, -1, "correct: the corrected usefulness, 0 to 5 (-1: unchanged).");
ABSL_FLAG(std::string, name, "", "register-agency: the agency's name in Swedish (required).");
ABSL_FLAG(std::string, organisation_number, "",
          "register-agency: the agency's organisation number, NNNNNN-NNNN (empty: not stated).");
ABSL_FLAG(std::optional<std::string>, comment, std::nullopt,
          "correct: the corrected comment (unset: unchanged; empty: none); answer: what the "
          "municipality wants the agency and the arena to know.");
ABSL_FLAG(std::string, file, "",
          "propose: the proposed duty, a ReportingDuty as JSON (as duties --format json prints "
          "one) or a catalogue CSV of one row (as import-duties reads).");
ABSL_FLAG(std::string, until, "",
          "consultation: open (or extend) it until this day, YYYY-MM-DD, today or later; "
          "without it the consultation is shown.");
ABSL_FLAG(double, minutes, 0,
          "answer: the municipality's estimate of the staff minutes one report would take "
          "(0: none).");
ABSL_FLAG(std::string, already_reported_where, "",
          "answer: where the municipality already reports the same data (a duty id or a "
          "register); given, the answer says it is already reported elsewhere.");
ABSL_FLAG(std::string, decision, "",
          "decide: approve, reject, keep, simplify, merge or withdraw (a renewal: renew).");
ABSL_FLAG(std::string, expires_on, "",
          "decide --decision approve, renew: the last day in force, YYYY-MM-DD (empty: the "
          "server's --approval_years, 3 years, from the decision's date).");
ABSL_FLAG(std::string, decided_on, "",
          "decide, renew: the decision's date, YYYY-MM-DD, not in the future (empty: today).");
ABSL_FLAG(std::string, merge_into, "",
          "decide --decision merge: the duty in force that takes the data over.");
ABSL_FLAG(bool, evidence_only, false,
          "renew: print the renewal evidence and do not renew.");
