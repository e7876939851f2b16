#include "services/handlers/burden_query_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/domain/period.h"
#include "common/report/arena_report.h"
#include "common/text/text_safety.h"
#include "services/convert/enum_convert.h"
#include "services/convert/proto_convert.h"
#include "services/handlers/handler_util.h"

namespace inrapport {

void BurdenQueryService::ToProto(const BurdenRowData& row,
                                 v1::BurdenRow* proto) const {
  proto->set_key(row.key);
  proto->set_label(row.label);
  proto->set_reports(row.reports);
  proto->set_minutes(row.minutes);
  proto->set_hours(row.hours());
  proto->set_cost_sek(queries_->CostSek(row.minutes));
  proto->set_municipalities(static_cast<int32_t>(row.municipalities.count()));
  proto->set_flagged_minutes_share(row.flagged_minutes_share());
  proto->set_recorded_uses(row.recorded_uses);
}

absl::Status BurdenQueryService::HandleGetBurdenSummary(
    grpc::CallbackServerContext* context,
    const v1::GetBurdenSummaryRequest* request,
    v1::GetBurdenSummaryResponse* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "GetBurdenSummary",
                   {{"agency_id", request->agency_id()},
                    {"municipality_code", request->municipality_code()},
                    {"period_from", request->period_from()},
                    {"period_to", request->period_to()}},
                   Action::kReadBurden, {request->agency_id(), request->municipality_code()});
  if (!caller.ok()) return caller.status();
  std::optional<GroupBy> group_by = FromProto(request->group_by());
  if (!group_by) {
    return absl::InvalidArgumentError(
        "group_by: must be one of GROUP_BY_AGENCY, GROUP_BY_DUTY, "
        "GROUP_BY_MUNICIPALITY, GROUP_BY_COUNTY, GROUP_BY_SECTOR, GROUP_BY_PERIOD, "
        "GROUP_BY_FLAG");
  }
  absl::Status valid = CheckSector("sector", request->sector());
  if (!valid.ok()) return valid;

  SummaryQuery query;
  query.group_by = *group_by;
  query.agency_id = request->agency_id();
  query.sector = FromProto(request->sector());
  query.municipality_code = request->municipality_code();
  query.period_from = request->period_from();
  query.period_to = request->period_to();
  query.flagged_only = request->flagged_only();
  absl::StatusOr<BurdenTable> table = queries_->Summary(query);
  if (table.ok()) {
    for (const BurdenRowData& row : table->rows) ToProto(row, response->add_rows());
    ToProto(table->totals, response->mutable_totals());
    response->set_tariff_sek_per_hour(queries_->tariff_sek_per_hour());
  }
  return table.status();
}

absl::Status BurdenQueryService::HandleListFlaggedDuties(
    grpc::CallbackServerContext* context,
    const v1::ListFlaggedDutiesRequest* request,
    v1::ListFlaggedDutiesResponse* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "ListFlaggedDuties", {{"agency_id", request->agency_id()}},
                   Action::kReadBurden, {request->agency_id(), ""});
  if (!caller.ok()) return caller.status();
  absl::StatusOr<std::vector<FlaggedDutyBurden>> ranked =
      queries_->FlaggedDuties(request->agency_id(), request->limit());
  if (ranked.ok()) {
    for (const FlaggedDutyBurden& entry : *ranked) {
      v1::FlaggedDuty* out = response->add_duties();
      *out->mutable_duty() = inrapport::ToProto(entry.duty);
      ToProto(entry.burden, out->mutable_burden());
      inrapport::ToProto(entry.national, out->mutable_national());
    }
    response->set_tariff_sek_per_hour(queries_->tariff_sek_per_hour());
  }
  return ranked.status();
}

absl::Status BurdenQueryService::HandleListDutyAccounts(
    grpc::CallbackServerContext* context, const v1::ListDutyAccountsRequest* request,
    v1::ListDutyAccountsResponse* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "ListDutyAccounts", {{"agency_id", request->agency_id()}},
                   Action::kReadBurden, {request->agency_id(), ""});
  if (!caller.ok()) return caller.status();
  absl::Status valid = CheckSector("sector", request->sector());
  if (!valid.ok()) return valid;
  AccountQuery query;
  query.agency_id = request->agency_id();
  query.sector = FromProto(request->sector());
  query.flagged_only = request->flagged_only();
  for (const DutyAccount& account : queries_->Accounts(query)) {
    inrapport::ToProto(account, response->add_accounts());
  }
  response->set_tariff_sek_per_hour(queries_->tariff_sek_per_hour());
  return absl::OkStatus();
}

absl::Status BurdenQueryService::HandleGetCompleteness(
    grpc::CallbackServerContext* context, const v1::GetCompletenessRequest* request,
    v1::GetCompletenessResponse* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "GetCompleteness",
                   {{"period_from", request->period_from()},
                    {"period_to", request->period_to()},
                    {"agency_id", request->agency_id()},
                    {"duty_id", request->duty_id()},
                    {"municipality_code", request->municipality_code()}},
                   Action::kReadBurden, {request->agency_id(), request->municipality_code()});
  if (!caller.ok()) return caller.status();
  CompletenessQuery query;
  query.period_from = request->period_from();
  query.period_to = request->period_to();
  query.agency_id = request->agency_id();
  query.duty_id = request->duty_id();
  query.municipality_code = request->municipality_code();
  absl::StatusOr<CompletenessTable> table = queries_->Completeness(query);
  if (table.ok()) {
    for (const auto& row : table->by_duty) inrapport::ToProto(row, response->add_by_duty());
    for (const auto& row : table->by_municipality) {
      inrapport::ToProto(row, response->add_by_municipality());
    }
    inrapport::ToProto(table->totals, response->mutable_totals());
  }
  return table.status();
}

absl::Status BurdenQueryService::HandleGetArenaReport(
    grpc::CallbackServerContext* context, const v1::GetArenaReportRequest* request,
    v1::GetArenaReportResponse* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "GetArenaReport", {}, Action::kReadArenaReport, {});
  if (!caller.ok()) return caller.status();
  std::optional<ReportFormat> format;
  if (request->format() != v1::REPORT_FORMAT_UNSPECIFIED) {
    format = FromProto(request->format());
    if (!format) {
      return absl::InvalidArgumentError(absl::StrCat(
          "format: unknown report format value ", request->format()));
    }
  }
  ArenaQuery query;
  query.limit = request->limit();
  if (!request->language_code().empty()) {
    std::optional<ReportLanguage> language = ParseReportLanguage(request->language_code());
    if (!language) {
      return absl::InvalidArgumentError(
          absl::StrCat("language_code: must be \"sv\" or \"en\", got ",
                       QuoteValue(request->language_code())));
    }
    query.language = *language;
  }
  query.period_from = request->period_from();
  query.period_to = request->period_to();
  query.illustrative = illustrative_;
  absl::StatusOr<ArenaReport> report = queries_->Arena(query);
  if (report.ok()) {
    report->decisions = Decisions();
    inrapport::ToProto(*report, response->mutable_report());
    if (format) {
      response->set_content_type(std::string(ReportContentType(*format)));
      response->set_document(RenderArenaReport(*report, *format));
    }
  }
  return report.status();
}

std::string BurdenQueryService::AgencyName(const std::string& agency_id) const {
  if (agencies_ != nullptr) return agencies_->NameOf(agency_id);
  if (catalog_ != nullptr) return catalog_->AgencyName(agency_id);
  return agency_id;
}

std::vector<ArenaDecision> BurdenQueryService::Decisions() const {
  std::vector<ArenaDecision> decisions;
  if (lifecycle_ == nullptr) return decisions;
  const double tariff = queries_->tariff_sek_per_hour();
  for (const DecidedBurden& decided : lifecycle_->DecidedBurdens()) {
    ArenaDecision& d = decisions.emplace_back();
    d.duty_id = decided.decision.duty_id;
    d.title = decided.title;
    d.agency_id = decided.agency_id;
    d.agency_name = AgencyName(decided.agency_id);
    d.kind = decided.decision.kind;
    d.reason = decided.decision.reason;
    d.decided_on = decided.decision.decided_on;
    d.merge_into = decided.decision.merge_into;
    for (const DecidedBurden::Year& year : decided.years) {
      ArenaDecisionYear& y = d.years.emplace_back();
      y.year = year.year;
      y.after = year.after;
      y.reports = year.reports;
      y.minutes = year.minutes;
      y.hours = year.minutes / 60.0;
      y.cost_sek = y.hours * tariff;
    }
    // By year, before the decision first within a year.
    std::stable_sort(d.years.begin(), d.years.end(),
                     [](const ArenaDecisionYear& a, const ArenaDecisionYear& b) {
                       return std::make_pair(a.year, a.after) < std::make_pair(b.year, b.after);
                     });
  }
  std::stable_sort(decisions.begin(), decisions.end(),
                   [](const ArenaDecision& a, const ArenaDecision& b) {
                     return std::tie(a.decided_on, a.duty_id) < std::tie(b.decided_on, b.duty_id);
                   });
  return decisions;
}

absl::Status BurdenQueryService::HandleListComments(
    grpc::CallbackServerContext* context, const v1::ListCommentsRequest* request,
    v1::ListCommentsResponse* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "ListComments",
                   {{"duty_id", request->duty_id()},
                    {"agency_id", request->agency_id()},
                    {"municipality_code", request->municipality_code()},
                    {"page_token", request->page_token(), kMaxPageTokenLength}},
                   Action::kReadComments, {request->agency_id(), request->municipality_code()});
  if (!caller.ok()) return caller.status();
  CommentsQuery query;
  query.duty_id = request->duty_id();
  query.agency_id = request->agency_id();
  query.municipality_code = request->municipality_code();
  query.page_size = request->page_size();
  query.page_token = request->page_token();
  absl::StatusOr<CommentPage> page = queries_->Comments(query);
  if (page.ok()) {
    for (const StoredComment& c : page->comments) *response->add_comments() = inrapport::ToProto(c);
    response->set_next_page_token(page->next_page_token);
  }
  return page.status();
}

absl::Status BurdenQueryService::HandleListDueReports(
    grpc::CallbackServerContext* context, const v1::ListDueReportsRequest* request,
    v1::ListDueReportsResponse* response) {
  absl::StatusOr<Principal> caller =
      auth_->Check(*context, "ListDueReports",
                   {{"municipality_code", request->municipality_code()},
                    {"from_date", request->from_date()},
                    {"to_date", request->to_date()},
                    {"agency_id", request->agency_id()}},
                   Action::kReadDue, {request->agency_id(), request->municipality_code()});
  if (!caller.ok()) return caller.status();
  if (due_ == nullptr) return absl::UnimplementedError("ListDueReports is not served here");
  DueQuery query;
  query.municipality_code = request->municipality_code();
  query.from = request->from_date();
  query.to = request->to_date();
  query.agency_id = request->agency_id();
  absl::StatusOr<DueList> list = due_->List(query);
  if (!list.ok()) return list.status();
  response->set_municipality_code(query.municipality_code);
  response->set_from_date(FormatDate(list->from));
  response->set_to_date(FormatDate(list->to));
  response->set_today(FormatDate(list->today));
  for (const DueEntry& entry : list->entries) {
    v1::DueReport* out = response->add_due();
    out->set_duty_id(entry.duty_id);
    out->set_agency_id(entry.agency_id);
    out->set_title(entry.title);
    out->set_period(entry.period);
    out->set_deadline(FormatDate(entry.deadline));
    out->set_deadline_rule(entry.rule);
    out->set_state(static_cast<v1::DueState>(entry.state));
    out->set_reports(entry.reports);
    if (entry.reports > 0) out->mutable_first_received_at()->set_seconds(entry.first_received_unix);
  }
  for (const std::string& id : list->without_deadline) response->add_duties_without_deadline(id);
  return absl::OkStatus();
}

}  // namespace inrapport
