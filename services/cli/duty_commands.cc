// The DutyRegistry commands: import-duties, duties, duty-history,
// record-use, uses.
#include "services/cli/commands.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/domain/types.h"
#include "services/cli/client.h"
#include "services/cli/flags.h"
#include "services/cli/output.h"
#include "services/cli/records.h"
#include "services/convert/enum_convert.h"
#include "services/convert/proto_convert.h"

namespace inrapport::cli {

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
  v1::ListDutiesResponse all;
  const grpc::Status status =
      FetchAllPages(request, &all, [&](auto* context, const auto& page_request, auto* page) {
        return stubs.duties->ListDuties(context, page_request, page);
      });
  if (!status.ok()) return Fail(status);

  Table table{{"id", "agency", "sector", "frequency", "deadline", "respondents", "legal_basis",
               "flags"},
              {},
              {}};
  for (const auto& duty : all.duties()) {
    table.rows.push_back({duty.id(), duty.agency_id(), SectorLabel(duty.sector()),
                          std::string(FrequencyName(FromProto(duty.frequency()))),
                          duty.deadline().empty() ? std::string("none stated") : duty.deadline(),
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

int ListAgencies(Stubs& stubs, Format format) {
  v1::ListAgenciesResponse all;
  const grpc::Status status = FetchAllPages(
      v1::ListAgenciesRequest(), &all, [&](auto* context, const auto& page_request, auto* page) {
        return stubs.duties->ListAgencies(context, page_request, page);
      });
  if (!status.ok()) return Fail(status);
  Table table{{"id", "name", "organisation_number"}, {}, {}};
  for (const auto& agency : all.agencies()) {
    table.rows.push_back({agency.id(), agency.name(),
                          agency.organisation_number().empty() ? std::string("not stated")
                                                               : agency.organisation_number()});
  }
  Print(table, all, format);
  if (format == Format::kTable) std::cout << "\n" << all.agencies_size() << " agencies\n";
  return 0;
}

int RegisterAgency(Stubs& stubs, const std::string& id) {
  v1::Agency agency;
  agency.set_id(id);
  agency.set_name(absl::GetFlag(FLAGS_name));
  agency.set_organisation_number(absl::GetFlag(FLAGS_organisation_number));
  // Create, or update the agency that exists.
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::CreateAgencyRequest create;
  *create.mutable_agency() = agency;
  v1::Agency stored;
  grpc::Status status = stubs.duties->CreateAgency(&context, create, &stored);
  const char* done = "registered";
  if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    grpc::ClientContext update_context;
    PrepareContext(&update_context);
    v1::UpdateAgencyRequest update;
    *update.mutable_agency() = agency;
    status = stubs.duties->UpdateAgency(&update_context, update, &stored);
    done = "updated";
  }
  if (!status.ok()) return Fail(status);
  std::cout << TerminalText(stored.id()) << ": " << TerminalText(stored.name()) << " (" << done
            << ")\n";
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
  Table table{{"version", "changed", "by", "fields", "purpose", "legal_basis", "state", "reason"},
              {},
              {}};
  for (const auto& v : response.versions()) {
    table.rows.push_back(
        {absl::StrCat(v.version()),
         v.changed_at_unix() == 0
             ? std::string("before history")
             : absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(v.changed_at_unix()),
                                absl::UTCTimeZone()),
         v.changed_by(), absl::StrJoin(v.changed_fields(), " "), v.duty().purpose(),
         v.duty().legal_basis(),
         std::string(DutyStateName(FromProto(v.duty().state()))), v.reason()});
  }
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
  v1::ListDutyUsesResponse all;
  const grpc::Status status =
      FetchAllPages(request, &all, [&](auto* context, const auto& page_request, auto* page) {
        return stubs.duties->ListDutyUses(context, page_request, page);
      });
  if (!status.ok()) return Fail(status);
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

}  // namespace inrapport::cli
