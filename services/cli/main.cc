// inrapport: the command-line client of inrapportd.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/base/flag_help.h"
#include "common/domain/types.h"
#include "common/text/text_safety.h"
#include "services/convert/enum_convert.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "services/cli/output.h"
#include "services/cli/records.h"
#include "services/convert/proto_convert.h"

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
ABSL_FLAG(std::string, municipality, "", "summary: only this municipality code, e.g. 0180.");
ABSL_FLAG(std::string, from, "", "summary, report: first period, e.g. 2024 or 2024Q1.");
ABSL_FLAG(std::string, to, "", "summary, report: last period, e.g. 2025 or 2025-06.");
ABSL_FLAG(std::string, lang, "sv", "report: the document's language, sv or en.");
ABSL_FLAG(int, limit, 0,
          "flagged, report: how many duties (and overlaps) at most (0: the server's "
          "default, 100 for flagged and 50 for report).");
ABSL_FLAG(std::string, duty, "", "record-use, uses, completeness: the duty id.");
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
ABSL_FLAG(std::string, encoding, "utf8",
          "import-duties, submit: the input file's encoding, utf8 or latin1 (ISO 8859-1, "
          "converted to UTF-8 before sending).");

namespace inrapport::cli {
namespace {

constexpr const char* kUsage =
    "inrapport: the command-line client of inrapportd.\n"
    "\n"
    "Commands:\n"
    "  import-duties FILE.csv   Register the duties of a catalogue (create, or\n"
    "                           update those that exist). Columns: id, agency_id,\n"
    "                           title, legal_basis, purpose, sector, frequency,\n"
    "                           data_items (';'-separated), targeted_grant,\n"
    "                           estimated_minutes_per_report, valid_from,\n"
    "                           valid_until, source_url, notes, and optionally\n"
    "                           respondents (';'-separated municipality codes\n"
    "                           that must report; empty: all 290).\n"
    "  duties                   List duties and their flags\n"
    "                           [--agency ID] [--sector NAME] [--flagged].\n"
    "  duty-history ID          Every version of a duty: when, by whom, which\n"
    "                           fields changed, and the purpose and legal basis\n"
    "                           as they then stood.\n"
    "  submit FILE.csv          Send reports over one stream, with progress and a\n"
    "                           final count. Columns: submission_id,\n"
    "                           municipality_code, duty_id, period, minutes_spent,\n"
    "                           staff_count, usefulness, feedback_received,\n"
    "                           already_reported_elsewhere, comment. Fails (exit 1)\n"
    "                           unless the server accounts for every report sent\n"
    "                           (accepted + duplicate + rejected).\n"
    "  summary                  Burden summary [--group_by agency|duty|municipality|\n"
    "                           county|sector|period|flag] [--agency] [--sector]\n"
    "                           [--municipality] [--from] [--to] [--flagged].\n"
    "  flagged                  Flagged duties ranked by measured burden\n"
    "                           [--agency ID] [--limit N].\n"
    "  accounts                 Per-duty accounts: measured cost, median minutes and\n"
    "                           the national estimate [--agency] [--sector] [--flagged].\n"
    "  completeness             Reporting rate per duty and municipality\n"
    "                           --from PERIOD --to PERIOD [--agency] [--duty]\n"
    "                           [--municipality].\n"
    "  record-use               Record a use of a duty's data: --duty ID --use_id ID\n"
    "                           --kind KIND --date YYYY-MM-DD --data_periods FIRST[..LAST]\n"
    "                           --description TEXT [--link URL]. KIND: publication,\n"
    "                           official_statistics, supervision_decision, grant_decision,\n"
    "                           policy_analysis, returned_to_municipalities, other.\n"
    "  uses                     Recorded uses [--duty ID] [--agency ID]\n"
    "                           [--municipality CODE: of the duties it reports].\n"
    "  comments                 The municipalities' comments on their reports,\n"
    "                           newest first [--duty ID] [--agency ID]\n"
    "                           [--municipality CODE].\n"
    "  report                   The arena report [--format markdown|csv|json|html]\n"
    "                           [--lang sv|en] [--from PERIOD] [--to PERIOD]\n"
    "                           [--output FILE] [--limit N]. Swedish by default.\n"
    "\n"
    "Input files (import-duties, submit) must be UTF-8; a bad byte is reported with\n"
    "  its line and column and nothing is sent. --encoding latin1 reads a Latin-1\n"
    "  (ISO 8859-1) export instead.\n"
    "\n"
    "Common flags: --server HOST:PORT, --format table|csv|json, --timeout_seconds,\n"
    "  --token_file FILE (or INRAPPORT_TOKEN), --tls_ca FILE [--tls_cert FILE --tls_key FILE].";

struct Stubs {
  std::unique_ptr<v1::DutyRegistry::Stub> duties;
  std::unique_ptr<v1::ReportIntake::Stub> intake;
  std::unique_ptr<v1::BurdenQuery::Stub> burden;
};

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "error: cannot read " << path << "\n";
    std::exit(2);
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The bearer token, from --token_file or INRAPPORT_TOKEN; empty for none.
const std::string& Token() {
  static const std::string token = [] {
    std::string text;
    if (const std::string path = absl::GetFlag(FLAGS_token_file); !path.empty()) {
      text = ReadWholeFile(path);
    } else if (const char* env = std::getenv("INRAPPORT_TOKEN")) {
      text = env;
    }
    return std::string(absl::StripAsciiWhitespace(text));
  }();
  return token;
}

Stubs Connect() {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (const std::string ca = absl::GetFlag(FLAGS_tls_ca); !ca.empty()) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadWholeFile(ca);
    if (const std::string cert = absl::GetFlag(FLAGS_tls_cert); !cert.empty()) {
      ssl.pem_cert_chain = ReadWholeFile(cert);
      ssl.pem_private_key = ReadWholeFile(absl::GetFlag(FLAGS_tls_key));
    }
    credentials = grpc::SslCredentials(ssl);
  }
  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_server), credentials);
  return {v1::DutyRegistry::NewStub(channel), v1::ReportIntake::NewStub(channel),
          v1::BurdenQuery::NewStub(channel)};
}

// Every call: the deadline, and the caller's token if there is one.
void PrepareContext(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(absl::GetFlag(FLAGS_timeout_seconds)));
  if (!Token().empty()) context->AddMetadata("authorization", "Bearer " + Token());
}

// "INVALID_ARGUMENT": gRPC's codes are absl's (google.rpc.Code).
std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

int Fail(const grpc::Status& status) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << "error: cannot reach inrapportd at " << absl::GetFlag(FLAGS_server) << ": "
              << TerminalText(status.error_message()) << "\n";
  } else {
    std::cerr << "error: " << CodeName(status.error_code()) << ": "
              << TerminalText(status.error_message()) << "\n";
  }
  return 1;
}

bool ReadFile(const std::string& path, std::string* contents) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot read " << path << "\n";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *contents = buffer.str();
  return true;
}

// An input file as UTF-8 text (--encoding); prints why not and returns
// false if it cannot be read or is not valid in its encoding.
bool ReadInputFile(const std::string& path, std::string* text) {
  const std::string name = absl::GetFlag(FLAGS_encoding);
  std::optional<Encoding> encoding = ParseEncoding(name);
  if (!encoding) {
    std::cerr << "error: --encoding: " << TerminalText(name) << " is not utf8 or latin1\n";
    return false;
  }
  std::string bytes;
  if (!ReadFile(path, &bytes)) return false;
  absl::StatusOr<std::string> decoded = DecodeInput(bytes, *encoding);
  if (!decoded.ok()) {
    std::cerr << "error: " << path << ": " << decoded.status().message() << " (nothing sent)\n";
    return false;
  }
  *text = *std::move(decoded);
  return true;
}

bool ParseSectorFlag(v1::Sector* sector) {
  const std::string text = absl::GetFlag(FLAGS_sector);
  if (text.empty()) {
    *sector = v1::SECTOR_UNSPECIFIED;
    return true;
  }
  std::optional<Sector> parsed = ParseSector(text);
  if (!parsed || *parsed == Sector::kUnspecified) {
    std::cerr << "error: --sector: \"" << text << "\" is not a sector\n";
    return false;
  }
  *sector = ToProto(*parsed);
  return true;
}

void PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::cout << EscapeUnsafeInJson(json);  // no raw bidi or C1 character on a terminal
}

void Print(const Table& table, const google::protobuf::Message& message, Format format) {
  switch (format) {
    case Format::kTable: PrintTable(table, std::cout); break;
    case Format::kCsv: PrintCsv(table, std::cout); break;
    case Format::kJson: PrintJson(message); break;
  }
}

std::string FlagCodes(const v1::ReportingDuty& duty) {
  std::string codes;
  for (const v1::Flag& flag : duty.flags()) {
    if (!codes.empty()) codes += " ";
    codes += flag.code();
  }
  return codes;
}

std::string SectorLabel(v1::Sector sector) {
  return std::string(SectorName(FromProto(sector)));
}

int ImportDuties(Stubs& stubs, const std::string& path) {
  std::string text;
  if (!ReadInputFile(path, &text)) return 1;
  auto records = ReadDuties(text);
  if (!records.ok()) {
    std::cerr << "error: " << path << ": " << TerminalText(records.status().message()) << "\n";
    return 1;
  }
  int created = 0, updated = 0, failed = 0;
  for (const auto& record : *records) {
    if (!record.status.ok()) {
      std::cerr << path << ": " << TerminalText(record.status.message()) << "\n";
      ++failed;
      continue;
    }
    const v1::ReportingDuty duty = ToProto(record.value);
    grpc::ClientContext create_context;
    PrepareContext(&create_context);
    v1::CreateDutyRequest create;
    *create.mutable_duty() = duty;
    v1::ReportingDuty response;
    grpc::Status status = stubs.duties->CreateDuty(&create_context, create, &response);
    if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      grpc::ClientContext update_context;
      PrepareContext(&update_context);
      v1::UpdateDutyRequest update;
      *update.mutable_duty() = duty;
      status = stubs.duties->UpdateDuty(&update_context, update, &response);
      if (status.ok()) ++updated;
    } else if (status.ok()) {
      ++created;
    }
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE) return Fail(status);
    if (!status.ok()) {
      std::cerr << path << ": line " << record.line << ": " << CodeName(status.error_code())
                << ": " << TerminalText(status.error_message()) << "\n";
      ++failed;
    }
  }
  std::cout << absl::StrFormat("%d created, %d updated, %d failed\n", created, updated, failed);
  return failed == 0 ? 0 : 1;
}

int ListDuties(Stubs& stubs, Format format) {
  v1::ListDutiesRequest request;
  request.set_agency_id(absl::GetFlag(FLAGS_agency));
  v1::Sector sector;
  if (!ParseSectorFlag(&sector)) return 2;
  request.set_sector(sector);
  request.set_flagged_only(absl::GetFlag(FLAGS_flagged));
  request.set_page_size(1000);
  v1::ListDutiesResponse all;
  do {
    grpc::ClientContext context;
    PrepareContext(&context);
    v1::ListDutiesResponse page;
    grpc::Status status = stubs.duties->ListDuties(&context, request, &page);
    if (!status.ok()) return Fail(status);
    for (const auto& duty : page.duties()) *all.add_duties() = duty;
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());

  Table table{{"id", "agency", "sector", "frequency", "respondents", "legal_basis", "flags"},
              {},
              {}};
  for (const auto& duty : all.duties()) {
    table.rows.push_back({duty.id(), duty.agency_id(), SectorLabel(duty.sector()),
                          std::string(FrequencyName(FromProto(duty.frequency()))),
                          duty.respondents().empty() ? std::string("all")
                                                     : absl::StrCat(duty.respondents_size()),
                          duty.legal_basis_unverified() ? "unverified" : "",
                          FlagCodes(duty)});
  }
  Print(table, all, format);
  if (format == Format::kTable) {
    int flagged = 0;
    for (const auto& duty : all.duties()) {
      for (const auto& flag : duty.flags()) {
        if (flagged++ == 0) std::cout << "\n";
        std::cout << TerminalText(duty.id()) << ": " << TerminalText(flag.code()) << ": "
                  << TerminalText(flag.reason()) << "\n";
      }
    }
    std::cout << "\n" << all.duties_size() << " duties\n";
  }
  return 0;
}

// A one-line progress bar on a terminal's stderr.
class Progress {
 public:
  explicit Progress(size_t total) : total_(total), enabled_(isatty(STDERR_FILENO) != 0) {}
  void Update(size_t done) {
    if (!enabled_ || total_ == 0) return;
    const int percent = static_cast<int>(done * 100 / total_);
    if (percent == last_percent_ && done != total_) return;
    last_percent_ = percent;
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] "
              << absl::StrFormat("%3d%% %zu/%zu", percent, done, total_) << std::flush;
  }
  void Finish() {
    if (enabled_ && total_ > 0) std::cerr << "\n";
  }

 private:
  size_t total_;
  bool enabled_;
  int last_percent_ = -1;
};

int SubmitReports(Stubs& stubs, const std::string& path, Format format) {
  std::string text;
  if (!ReadInputFile(path, &text)) return 1;
  auto records = ReadReports(text);
  if (!records.ok()) {
    std::cerr << "error: " << path << ": " << TerminalText(records.status().message()) << "\n";
    return 1;
  }
  std::vector<int> sent_lines;  // stream index -> CSV line
  int unreadable = 0;
  for (const auto& record : *records) {
    if (!record.status.ok()) {
      std::cerr << path << ": " << TerminalText(record.status.message()) << " (not sent)\n";
      ++unreadable;
    }
  }

  grpc::ClientContext context;
  PrepareContext(&context);
  v1::SubmitReportsResponse response;
  auto writer = stubs.intake->SubmitReports(&context, &response);
  Progress progress(records->size() - unreadable);
  v1::SubmitReportsRequest request;
  for (const auto& record : *records) {
    if (!record.status.ok()) continue;
    *request.mutable_report() = ToProto(record.value);
    if (!writer->Write(request)) break;  // the server ended the call; Finish says why
    sent_lines.push_back(record.line);
    progress.Update(sent_lines.size());
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  progress.Finish();
  if (!status.ok()) return Fail(status);

  if (format == Format::kJson) {
    PrintJson(response);
  } else {
    Table table{{"line", "submission_id", "code", "message"}, {}, {0}};
    for (const auto& rejection : response.rejections()) {
      const int64_t index = rejection.index();
      const std::string line = index >= 0 && index < static_cast<int64_t>(sent_lines.size())
                                   ? absl::StrCat(sent_lines[index])
                                   : "?";
      table.rows.push_back({line, rejection.submission_id(), rejection.code(),
                            rejection.message()});
    }
    if (!table.rows.empty()) {
      (format == Format::kCsv ? PrintCsv : PrintTable)(table, std::cout);
      std::cout << "\n";
    }
    std::cout << absl::StrFormat("%d accepted, %d duplicate, %d rejected", response.accepted(),
                                 response.duplicate(), response.rejected());
    if (unreadable > 0) std::cout << absl::StrFormat(", %d unreadable (not sent)", unreadable);
    std::cout << "\n";
  }
  // Every report meant for the server must be accounted for: a stream that
  // ended early, on either side, must not pass for a complete submission.
  const int64_t to_send = static_cast<int64_t>(records->size()) - unreadable;
  const int64_t sent = static_cast<int64_t>(sent_lines.size());
  const int64_t answered =
      static_cast<int64_t>(response.accepted()) + response.duplicate() + response.rejected();
  if (sent != to_send || answered != sent) {
    std::cerr << absl::StrFormat(
        "error: %s: the server accounted for %d of the %d reports in the file (%d sent); "
        "%d may not be stored. Submit the file again: reports already stored count as "
        "duplicates.\n",
        path, answered, to_send, sent, to_send - answered);
    return 1;
  }
  return 0;
}

// Tables are for people (grouped digits, percentages); CSV is for programs
// (plain numbers, the share as a fraction).
std::vector<std::string> BurdenCells(const v1::BurdenRow& row, Format format) {
  const bool human = format == Format::kTable;
  return {row.key(),
          row.label(),
          absl::StrCat(row.reports()),
          absl::StrCat(row.minutes()),
          human ? FormatNumber(row.hours(), 1) : absl::StrFormat("%.4f", row.hours()),
          human ? FormatNumber(row.cost_sek(), 0) : absl::StrFormat("%.2f", row.cost_sek()),
          absl::StrCat(row.municipalities()),
          human ? absl::StrFormat("%.1f%%", row.flagged_minutes_share() * 100)
                : absl::StrFormat("%.6f", row.flagged_minutes_share()),
          absl::StrCat(row.recorded_uses())};
}

int Summary(Stubs& stubs, Format format) {
  static const std::pair<const char*, v1::GroupBy> kGroups[] = {
      {"agency", v1::GROUP_BY_AGENCY},         {"duty", v1::GROUP_BY_DUTY},
      {"municipality", v1::GROUP_BY_MUNICIPALITY}, {"county", v1::GROUP_BY_COUNTY},
      {"sector", v1::GROUP_BY_SECTOR},         {"period", v1::GROUP_BY_PERIOD},
      {"flag", v1::GROUP_BY_FLAG}};
  v1::GetBurdenSummaryRequest request;
  const std::string group = absl::GetFlag(FLAGS_group_by);
  for (const auto& [name, value] : kGroups) {
    if (group == name) request.set_group_by(value);
  }
  if (request.group_by() == v1::GROUP_BY_UNSPECIFIED) {
    std::cerr << "error: --group_by: \"" << group
              << "\" is not agency, duty, municipality, county, sector, period or flag\n";
    return 2;
  }
  v1::Sector sector;
  if (!ParseSectorFlag(&sector)) return 2;
  request.set_sector(sector);
  request.set_agency_id(absl::GetFlag(FLAGS_agency));
  request.set_municipality_code(absl::GetFlag(FLAGS_municipality));
  request.set_period_from(absl::GetFlag(FLAGS_from));
  request.set_period_to(absl::GetFlag(FLAGS_to));
  request.set_flagged_only(absl::GetFlag(FLAGS_flagged));
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::GetBurdenSummaryResponse response;
  grpc::Status status = stubs.burden->GetBurdenSummary(&context, request, &response);
  if (!status.ok()) return Fail(status);

  Table table{{group, "name", "reports", "minutes", "hours", "cost_sek", "municipalities",
               "flagged_share", "recorded_uses"},
              {},
              {2, 3, 4, 5, 6, 7, 8}};
  for (const auto& row : response.rows()) table.rows.push_back(BurdenCells(row, format));
  if (format == Format::kTable) {
    table.rows.push_back(BurdenCells(response.totals(), format));
    PrintTable(table, std::cout);
    std::cout << "\nCost at " << FormatNumber(response.tariff_sek_per_hour(), 0)
              << " SEK per staff hour (inrapportd --tariff_sek_per_hour).\n";
  } else {
    if (format == Format::kCsv) table.rows.push_back(BurdenCells(response.totals(), format));
    Print(table, response, format);
  }
  return 0;
}

int Flagged(Stubs& stubs, Format format) {
  v1::ListFlaggedDutiesRequest request;
  request.set_agency_id(absl::GetFlag(FLAGS_agency));
  request.set_limit(absl::GetFlag(FLAGS_limit));
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::ListFlaggedDutiesResponse response;
  grpc::Status status = stubs.burden->ListFlaggedDuties(&context, request, &response);
  if (!status.ok()) return Fail(status);
  Table table{{"duty", "agency", "flags", "reports", "hours", "cost_sek", "municipalities"},
              {},
              {3, 4, 5, 6}};
  for (const auto& entry : response.duties()) {
    const v1::BurdenRow& b = entry.burden();
    const bool human = format == Format::kTable;
    table.rows.push_back(
        {entry.duty().id(), entry.duty().agency_id(), FlagCodes(entry.duty()),
         absl::StrCat(b.reports()),
         human ? FormatNumber(b.hours(), 1) : absl::StrFormat("%.4f", b.hours()),
         human ? FormatNumber(b.cost_sek(), 0) : absl::StrFormat("%.2f", b.cost_sek()),
         absl::StrCat(b.municipalities())});
  }
  Print(table, response, format);
  if (format == Format::kTable) {
    for (const auto& entry : response.duties()) {
      std::cout << "\n" << TerminalText(entry.duty().id()) << " ("
                << TerminalText(entry.duty().title()) << ")\n";
      if (!entry.duty().legal_basis().empty()) {
        std::cout << "  legal basis: " << TerminalText(entry.duty().legal_basis()) << "\n";
      }
      if (!entry.duty().legal_references().empty()) {
        std::vector<std::string> references;
        for (const auto& ref : entry.duty().legal_references()) references.push_back(ref.text());
        std::cout << "  read as: " << TerminalText(absl::StrJoin(references, "; ")) << "\n";
      }
      const v1::NationalEstimate& e = entry.national();
      if (e.estimable()) {
        std::cout << "  national estimate: " << FormatNumber(e.hours_per_year(), 0)
                  << " hours per year (90 % interval " << FormatNumber(e.hours_per_year_low(), 0)
                  << "-" << FormatNumber(e.hours_per_year_high(), 0) << "), "
                  << FormatNumber(e.cost_sek_per_year(), 0) << " SEK per year; "
                  << TerminalText(e.basis()) << "\n";
      } else {
        std::cout << "  national estimate: not estimable: "
                  << TerminalText(e.not_estimable_reason()) << "\n";
      }
      for (const auto& flag : entry.duty().flags()) {
        std::cout << "  " << TerminalText(flag.code()) << ": " << TerminalText(flag.reason())
                  << "\n";
        std::map<std::string, std::string> evidence(flag.evidence().begin(),
                                                    flag.evidence().end());
        for (const auto& [name, value] : evidence) {
          std::cout << "    " << TerminalText(name) << " = " << TerminalText(value) << "\n";
        }
      }
    }
  }
  return 0;
}

int Accounts(Stubs& stubs, Format format) {
  v1::ListDutyAccountsRequest request;
  request.set_agency_id(absl::GetFlag(FLAGS_agency));
  v1::Sector sector;
  if (!ParseSectorFlag(&sector)) return 2;
  request.set_sector(sector);
  request.set_flagged_only(absl::GetFlag(FLAGS_flagged));
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::ListDutyAccountsResponse response;
  grpc::Status status = stubs.burden->ListDutyAccounts(&context, request, &response);
  if (!status.ok()) return Fail(status);
  const bool human = format == Format::kTable;
  // The national figures are per year over every municipality that must
  // report the duty; a duty that is not estimable has none (empty cells, and
  // in a table "not estimable" with the reason below it), never a 0 that
  // reads like a measured nothing.
  Table table{{"duty", "agency", "frequency", "reports", "municipalities", "minutes",
               "median_minutes", "cost_sek", "per_year", "national_hours_per_year",
               "national_hours_low", "national_hours_high", "national_cost_sek_per_year",
               "groups", "measured", "uses", "flags"},
              {},
              {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15}};
  if (!human) {
    table.header.push_back("not_estimable_reason");
    table.header.push_back("national_basis");
  }
  std::vector<std::string> estimated, not_estimable, ad_hoc;
  for (const auto& a : response.accounts()) {
    std::string flags;
    for (const auto& code : a.flag_codes()) absl::StrAppend(&flags, flags.empty() ? "" : " ", code);
    const v1::NationalEstimate& e = a.national();
    const std::string id = TerminalText(a.duty_id());
    if (e.estimable()) {
      estimated.push_back(absl::StrCat(id, ": ", TerminalText(e.basis())));
    } else {
      not_estimable.push_back(
          absl::StrCat(id, ": ", TerminalText(e.not_estimable_reason())));
    }
    if (FromProto(a.frequency()) == Frequency::kAdHoc) {
      ad_hoc.push_back(absl::StrCat(id, ": ", TerminalText(e.yearly_count_basis())));
    }
    auto estimate = [&](double value) {
      if (!e.estimable()) return std::string();
      return human ? FormatNumber(value, 0) : absl::StrFormat("%.2f", value);
    };
    const std::string measured =
        e.first_period().empty() ? std::string()
        : e.first_period() == e.last_period()
            ? e.first_period()
            : absl::StrCat(e.first_period(), "..", e.last_period());
    std::vector<std::string> row = {
        a.duty_id(), a.agency_id(),
        std::string(FrequencyName(FromProto(a.frequency()))),
        absl::StrCat(a.reports()), absl::StrCat(a.municipalities()), absl::StrCat(a.minutes()),
        human ? FormatNumber(a.median_minutes(), 1) : absl::StrFormat("%.2f", a.median_minutes()),
        human ? FormatNumber(a.cost_sek(), 0) : absl::StrFormat("%.2f", a.cost_sek()),
        human ? FormatNumber(a.reports_per_municipality_per_year(), 2)
              : absl::StrFormat("%.4f", a.reports_per_municipality_per_year()),
        human && !e.estimable() ? "not estimable" : estimate(e.hours_per_year()),
        estimate(e.hours_per_year_low()), estimate(e.hours_per_year_high()),
        estimate(e.cost_sek_per_year()),
        absl::StrCat(e.groups_covered(), "/", e.groups_expected()), measured,
        absl::StrCat(a.recorded_uses()), flags};
    if (!human) {
      row.push_back(e.not_estimable_reason());
      row.push_back(e.basis());
    }
    table.rows.push_back(std::move(row));
  }
  Print(table, response, format);
  if (human) {
    std::cout << "\nNational estimate: staff hours and SEK per year over every municipality "
                 "that must report the duty, stratified by SKR's municipality groups (groups: "
                 "those with reports / those expected), with a 90 % bootstrap interval, at "
              << FormatNumber(response.tariff_sek_per_hour(), 0)
              << " SEK per staff hour; measured: the periods reported (docs/burden.md).\n";
    if (!estimated.empty()) {
      std::cout << "\nWhat each estimate stands on:\n";
      for (const std::string& line : estimated) std::cout << "  " << line << "\n";
    }
    if (!not_estimable.empty()) {
      std::cout << "\nNot estimable, so without a national figure (" << not_estimable.size()
                << (not_estimable.size() == 1 ? " duty" : " duties") << "):\n";
      for (const std::string& line : not_estimable) std::cout << "  " << line << "\n";
    }
    if (!ad_hoc.empty()) {
      std::cout << "\nReports a year of the ad hoc duties:\n";
      for (const std::string& line : ad_hoc) std::cout << "  " << line << "\n";
    }
  }
  return 0;
}

int Completeness(Stubs& stubs, Format format) {
  v1::GetCompletenessRequest request;
  request.set_period_from(absl::GetFlag(FLAGS_from));
  request.set_period_to(absl::GetFlag(FLAGS_to));
  request.set_agency_id(absl::GetFlag(FLAGS_agency));
  request.set_duty_id(absl::GetFlag(FLAGS_duty));
  request.set_municipality_code(absl::GetFlag(FLAGS_municipality));
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::GetCompletenessResponse response;
  grpc::Status status = stubs.burden->GetCompleteness(&context, request, &response);
  if (!status.ok()) return Fail(status);
  const bool human = format == Format::kTable;
  auto cells = [human](const std::string& kind, const v1::CompletenessRow& row) {
    return std::vector<std::string>{
        kind, row.key(), row.label(), absl::StrCat(row.received()),
        absl::StrCat(row.expected()),
        human ? absl::StrFormat("%.1f%%", row.rate() * 100) : absl::StrFormat("%.6f", row.rate())};
  };
  Table table{{"of", "key", "name", "received", "expected", "rate"}, {}, {3, 4, 5}};
  for (const auto& row : response.by_duty()) table.rows.push_back(cells("duty", row));
  for (const auto& row : response.by_municipality()) {
    // A table for people leaves out the municipalities that owe nothing.
    if (human && row.expected() == 0) continue;
    table.rows.push_back(cells("municipality", row));
  }
  table.rows.push_back(cells("total", response.totals()));
  Print(table, response, format);
  return 0;
}

int RecordUse(Stubs& stubs, Format format) {
  v1::RecordDutyUseRequest request;
  v1::DutyUse* use = request.mutable_use();
  use->set_duty_id(absl::GetFlag(FLAGS_duty));
  use->set_use_id(absl::GetFlag(FLAGS_use_id));
  const std::string kind = absl::GetFlag(FLAGS_kind);
  std::optional<UseKind> parsed = ParseUseKind(kind);
  if (!parsed || *parsed == UseKind::kUnspecified) {
    std::cerr << "error: --kind: \"" << kind
              << "\" is not one of publication, official_statistics, supervision_decision, "
                 "grant_decision, policy_analysis, returned_to_municipalities, other\n";
    return 2;
  }
  use->set_kind(ToProto(*parsed));
  use->set_date(absl::GetFlag(FLAGS_date));
  // FIRST or FIRST..LAST; the service checks each period.
  const std::string periods = absl::GetFlag(FLAGS_data_periods);
  const size_t dots = periods.find("..");
  use->set_first_period(periods.substr(0, dots));
  if (dots != std::string::npos) use->set_last_period(periods.substr(dots + 2));
  use->set_description(absl::GetFlag(FLAGS_description));
  use->set_link(absl::GetFlag(FLAGS_link));
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::RecordDutyUseResponse response;
  grpc::Status status = stubs.duties->RecordDutyUse(&context, request, &response);
  if (!status.ok()) return Fail(status);
  if (format == Format::kJson) {
    PrintJson(response);
  } else {
    std::cout << (response.duplicate() ? "already recorded: " : "recorded: ")
              << TerminalText(response.use().duty_id()) << "/"
              << TerminalText(response.use().use_id()) << "\n";
  }
  return 0;
}

int ListUses(Stubs& stubs, Format format) {
  v1::ListDutyUsesRequest request;
  request.set_duty_id(absl::GetFlag(FLAGS_duty));
  request.set_agency_id(absl::GetFlag(FLAGS_agency));
  request.set_municipality_code(absl::GetFlag(FLAGS_municipality));
  request.set_page_size(1000);
  v1::ListDutyUsesResponse all;
  do {
    grpc::ClientContext context;
    PrepareContext(&context);
    v1::ListDutyUsesResponse page;
    grpc::Status status = stubs.duties->ListDutyUses(&context, request, &page);
    if (!status.ok()) return Fail(status);
    for (const auto& use : page.uses()) *all.add_uses() = use;
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  Table table{{"duty", "use_id", "kind", "date", "data_periods", "description", "link"},
              {},
              {}};
  for (const auto& use : all.uses()) {
    std::string periods = use.first_period();
    if (use.last_period() != use.first_period()) {
      absl::StrAppend(&periods, "..", use.last_period());
    }
    table.rows.push_back({use.duty_id(), use.use_id(),
                          std::string(UseKindName(FromProto(use.kind()))),
                          use.date(), periods, use.description(), use.link()});
  }
  Print(table, all, format);
  if (format == Format::kTable) std::cout << "\n" << all.uses_size() << " uses\n";
  return 0;
}

int DutyHistory(Stubs& stubs, const std::string& id, Format format) {
  v1::GetDutyHistoryRequest request;
  request.set_id(id);
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::GetDutyHistoryResponse response;
  grpc::Status status = stubs.duties->GetDutyHistory(&context, request, &response);
  if (!status.ok()) return Fail(status);
  Table table{{"version", "changed", "by", "fields", "purpose", "legal_basis"}, {}, {}};
  for (const auto& v : response.versions()) {
    table.rows.push_back(
        {absl::StrCat(v.version()),
         v.changed_at_unix() == 0
             ? std::string("before history")
             : absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(v.changed_at_unix()),
                                absl::UTCTimeZone()),
         v.changed_by(), absl::StrJoin(v.changed_fields(), " "), v.duty().purpose(),
         v.duty().legal_basis()});
  }
  Print(table, response, format);
  return 0;
}

int ListComments(Stubs& stubs, Format format) {
  v1::ListCommentsRequest request;
  request.set_duty_id(absl::GetFlag(FLAGS_duty));
  request.set_agency_id(absl::GetFlag(FLAGS_agency));
  request.set_municipality_code(absl::GetFlag(FLAGS_municipality));
  request.set_page_size(1000);
  v1::ListCommentsResponse all;
  do {
    grpc::ClientContext context;
    PrepareContext(&context);
    v1::ListCommentsResponse page;
    grpc::Status status = stubs.burden->ListComments(&context, request, &page);
    if (!status.ok()) return Fail(status);
    for (const auto& comment : page.comments()) *all.add_comments() = comment;
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  Table table{{"received", "municipality", "duty", "period", "submission_id", "comment"}, {}, {}};
  for (const auto& c : all.comments()) {
    table.rows.push_back({absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(c.received_at_unix()),
                                           absl::UTCTimeZone()),
                          c.municipality_code(), c.duty_id(), c.period(), c.submission_id(),
                          c.comment()});
  }
  Print(table, all, format);
  if (format == Format::kTable) std::cout << "\n" << all.comments_size() << " comments\n";
  return 0;
}

int ArenaReport(Stubs& stubs) {
  // The report has formats of its own; the common default "table" means
  // Markdown, the report's form for people.
  std::string name = absl::GetFlag(FLAGS_format);
  if (name == "table") name = "markdown";
  static const std::pair<const char*, v1::ReportFormat> kFormats[] = {
      {"markdown", v1::REPORT_FORMAT_MARKDOWN}, {"md", v1::REPORT_FORMAT_MARKDOWN},
      {"csv", v1::REPORT_FORMAT_CSV},           {"json", v1::REPORT_FORMAT_JSON},
      {"html", v1::REPORT_FORMAT_HTML}};
  v1::GetArenaReportRequest request;
  for (const auto& [text, value] : kFormats) {
    if (name == text) request.set_format(value);
  }
  if (request.format() == v1::REPORT_FORMAT_UNSPECIFIED) {
    std::cerr << "error: --format: \"" << name << "\" is not markdown, csv, json or html\n";
    return 2;
  }
  request.set_limit(absl::GetFlag(FLAGS_limit));
  request.set_language_code(absl::GetFlag(FLAGS_lang));
  request.set_period_from(absl::GetFlag(FLAGS_from));
  request.set_period_to(absl::GetFlag(FLAGS_to));
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::GetArenaReportResponse response;
  grpc::Status status = stubs.burden->GetArenaReport(&context, request, &response);
  if (!status.ok()) return Fail(status);
  const std::string output = absl::GetFlag(FLAGS_output);
  if (output.empty()) {
    std::cout << response.document();
    return 0;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << response.document();
  out.close();
  if (!out) {
    std::cerr << "error: cannot write " << output << "\n";
    return 1;
  }
  std::cerr << "wrote " << output << " (" << response.document().size() << " bytes, "
            << response.content_type() << ")\n";
  return 0;
}

int Run(const std::vector<char*>& args) {
  if (args.size() < 2) {
    std::cerr << kUsage << "\n";
    return 2;
  }
  const std::string command = args[1];
  std::optional<Format> format = ParseFormat(absl::GetFlag(FLAGS_format));
  if (!format && command != "report") {
    std::cerr << "error: --format: \"" << absl::GetFlag(FLAGS_format)
              << "\" is not table, csv or json\n";
    return 2;
  }
  const bool needs_file = command == "import-duties" || command == "submit";
  const bool needs_id = command == "duty-history";
  if (args.size() != (needs_file || needs_id ? 3u : 2u)) {
    std::cerr << "error: " << command
              << (needs_file ? " takes one file" : needs_id ? " takes one duty id"
                                                            : " takes no arguments")
              << "\n\n" << kUsage << "\n";
    return 2;
  }
  Stubs stubs = Connect();
  if (command == "import-duties") return ImportDuties(stubs, args[2]);
  if (command == "duties") return ListDuties(stubs, *format);
  if (command == "duty-history") return DutyHistory(stubs, args[2], *format);
  if (command == "submit") return SubmitReports(stubs, args[2], *format);
  if (command == "summary") return Summary(stubs, *format);
  if (command == "flagged") return Flagged(stubs, *format);
  if (command == "accounts") return Accounts(stubs, *format);
  if (command == "completeness") return Completeness(stubs, *format);
  if (command == "record-use") return RecordUse(stubs, *format);
  if (command == "uses") return ListUses(stubs, *format);
  if (command == "comments") return ListComments(stubs, *format);
  if (command == "report") return ArenaReport(stubs);
  std::cerr << "error: unknown command \"" << command << "\"\n\n" << kUsage << "\n";
  return 2;
}

}  // namespace
}  // namespace inrapport::cli

int main(int argc, char** argv) {
  // absl puts the program's name before the message itself.
  absl::SetProgramUsageMessage(absl::StripPrefix(inrapport::cli::kUsage, "inrapport: "));
  inrapport::ShowFlagsOfDirectoryInHelp("services/cli/");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  return inrapport::cli::Run(args);
}
