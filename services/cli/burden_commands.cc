// The BurdenQuery commands: summary, flagged, accounts, completeness,
// comments, report.
#include "services/cli/commands.h"

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/domain/types.h"
#include "services/cli/client.h"
#include "services/cli/flags.h"
#include "services/cli/output.h"
#include "common/text/text_safety.h"
#include "services/convert/enum_convert.h"

namespace inrapport::cli {

namespace {

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

}  // namespace

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
        human ? absl::StrFormat("%.1f%%", row.rate() * 100) : absl::StrFormat("%.6f", row.rate()),
        absl::StrCat(row.on_time()), absl::StrCat(row.late()), absl::StrCat(row.missing()),
        absl::StrCat(row.not_yet_due())};
  };
  Table table{{"of", "key", "name", "received", "expected", "rate", "on_time", "late", "missing",
               "not_yet_due"},
              {},
              {3, 4, 5, 6, 7, 8, 9}};
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

int DueReports(Stubs& stubs, Format format) {
  v1::ListDueReportsRequest request;
  request.set_municipality_code(absl::GetFlag(FLAGS_municipality));
  request.set_from_date(absl::GetFlag(FLAGS_from));
  request.set_to_date(absl::GetFlag(FLAGS_to));
  request.set_agency_id(absl::GetFlag(FLAGS_agency));
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::ListDueReportsResponse response;
  grpc::Status status = stubs.burden->ListDueReports(&context, request, &response);
  if (!status.ok()) return Fail(status);
  Table table{{"deadline", "duty", "period", "state", "first_received", "reports", "agency"},
              {},
              {5}};
  for (const auto& due : response.due()) {
    std::string state;
    switch (due.state()) {
      case v1::DUE_STATE_RECEIVED: state = "received"; break;
      case v1::DUE_STATE_RECEIVED_LATE: state = "received_late"; break;
      case v1::DUE_STATE_MISSING: state = "missing"; break;
      case v1::DUE_STATE_NOT_YET_DUE: state = "not_yet_due"; break;
      default: state = "unknown"; break;
    }
    // The day in Sweden, as the deadline is judged.
    static const absl::TimeZone sweden = [] {
      absl::TimeZone tz;
      if (!absl::LoadTimeZone("Europe/Stockholm", &tz)) tz = absl::FixedTimeZone(3600);
      return tz;
    }();
    table.rows.push_back(
        {due.deadline(), due.duty_id(), due.period(), state,
         due.reports() == 0 ? std::string()
                            : absl::FormatTime("%Y-%m-%d %H:%M",
                                               absl::FromUnixSeconds(due.first_received_at().seconds()),
                                               sweden),
         absl::StrCat(due.reports()), due.agency_id()});
  }
  Print(table, response, format);
  if (format == Format::kTable) {
    std::cout << "\nDeadlines " << response.from_date() << " to " << response.to_date()
              << ", judged on " << response.today() << " (receipts by their day in Sweden).\n";
    const int undated = response.duties_without_deadline_size();
    if (undated > 0) {
      std::vector<std::string> ids;
      for (const auto& id : response.duties_without_deadline()) ids.push_back(TerminalText(id));
      std::cout << undated << (undated == 1 ? " duty states" : " duties state")
                << " no deadline, so nothing of them is late: " << absl::StrJoin(ids, ", ")
                << "\n";
    }
  }
  return 0;
}

int ListComments(Stubs& stubs, Format format) {
  v1::ListCommentsRequest request;
  request.set_duty_id(absl::GetFlag(FLAGS_duty));
  request.set_agency_id(absl::GetFlag(FLAGS_agency));
  request.set_municipality_code(absl::GetFlag(FLAGS_municipality));
  v1::ListCommentsResponse all;
  const grpc::Status status =
      FetchAllPages(request, &all, [&](auto* context, const auto& page_request, auto* page) {
        return stubs.burden->ListComments(context, page_request, page);
      });
  if (!status.ok()) return Fail(status);
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

}  // namespace inrapport::cli
