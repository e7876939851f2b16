#include "common/records/report_records.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/base/page_token.h"
#include "common/base/status_macros.h"
#include "common/domain/municipalities.h"
#include "common/domain/period.h"
#include "common/text/text_safety.h"

namespace inrapport {
namespace {

// The token holds the last key read: "<municipality code>/<submission id>".
constexpr absl::string_view kTokenPrefix = "reports/v1/after:";

absl::Status CheckMunicipality(const std::string& code) {
  if (Municipalities::Official().Find(code) != nullptr) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "municipality_code: ", QuoteValue(code),
      " is not one of the 290 official municipality codes"));
}

absl::StatusOr<Period> ParseBound(absl::string_view field, const std::string& text) {
  absl::StatusOr<Period> period = Period::Parse(text);
  if (!period.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", period.status().message()));
  }
  return period;
}

}  // namespace

absl::StatusOr<StoredReport> ReportRecords::Get(const std::string& municipality_code,
                                                const std::string& submission_id) const {
  RETURN_IF_ERROR(CheckMunicipality(municipality_code));
  if (submission_id.empty()) {
    return absl::InvalidArgumentError("submission_id: must not be empty");
  }
  absl::StatusOr<StoredReport> stored = store_->GetReport(municipality_code, submission_id);
  if (absl::IsNotFound(stored.status())) {
    return absl::NotFoundError(absl::StrCat("municipality ", municipality_code,
                                            " has stored no report with submission_id ",
                                            QuoteValue(submission_id)));
  }
  return stored;
}

std::string ReportRecords::AgencyOf(const Report& report) const {
  std::shared_ptr<const Duty> duty = catalog_->Find(report.duty_id);
  return duty == nullptr ? "" : duty->agency_id;
}

absl::StatusOr<ReportPage> ReportRecords::List(const ReportListQuery& query) const {
  RETURN_IF_ERROR(CheckPageSize(query.page_size, kMaxPageSize));
  if (!query.municipality_code.empty()) RETURN_IF_ERROR(CheckMunicipality(query.municipality_code));
  RETURN_IF_ERROR(catalog_->CheckDutyFilter(query.duty_id, query.agency_id));
  std::optional<absl::CivilDay> first_day, last_day;
  if (!query.period_from.empty()) {
    ASSIGN_OR_RETURN(Period from, ParseBound("period_from", query.period_from));
    first_day = from.first_day();
  }
  if (!query.period_to.empty()) {
    ASSIGN_OR_RETURN(Period to, ParseBound("period_to", query.period_to));
    last_day = to.last_day();
  }
  if (first_day && last_day && *last_day < *first_day) {
    return absl::InvalidArgumentError(absl::StrCat(
        "period_to: ", QuoteValue(query.period_to), " ends before period_from ",
        QuoteValue(query.period_from), " starts"));
  }
  if (query.received_since_unix < 0) {
    return absl::InvalidArgumentError("received_since: must not be before 1970");
  }

  ReportQuery stored;
  stored.municipality_code = query.municipality_code;
  stored.duty_id = query.duty_id;
  stored.agency_id = query.agency_id;
  stored.received_since_unix = query.received_since_unix;
  if (!query.page_token.empty()) {
    ASSIGN_OR_RETURN(std::string after,
                     DecodePageToken(kTokenPrefix, query.page_token, "ListReports"));
    const size_t slash = after.find('/');
    if (slash == std::string::npos || slash + 1 == after.size()) {
      return absl::InvalidArgumentError("page_token: not a token returned by ListReports");
    }
    stored.after_municipality_code = after.substr(0, slash);
    stored.after_submission_id = after.substr(slash + 1);
  }
  const int page_size = query.page_size == 0 ? kDefaultPageSize : query.page_size;
  const bool by_period = first_day.has_value() || last_day.has_value();
  // Without a period filter every report read is listed: one more than the
  // page says whether another follows. With one, reads go on in chunks
  // until the page is full or the read budget is spent.
  int budget = by_period ? page_size * kReadsPerPageSize : page_size + 1;
  ReportPage page;
  bool more = true;
  while (more && budget > 0 && static_cast<int>(page.reports.size()) < page_size) {
    stored.limit = by_period ? std::min(budget, kMaxPageSize) : budget;
    ASSIGN_OR_RETURN(std::vector<StoredReport> read, store_->ListReports(stored));
    more = static_cast<int>(read.size()) == stored.limit;
    budget -= static_cast<int>(read.size());
    for (StoredReport& report : read) {
      if (static_cast<int>(page.reports.size()) == page_size) {
        more = true;  // a report past the page: another page follows
        break;
      }
      stored.after_municipality_code = report.report.municipality_code;
      stored.after_submission_id = report.report.submission_id;
      if (by_period) {
        absl::StatusOr<Period> period = Period::Parse(report.report.period);
        if (!period.ok()) continue;  // stored canonical; never so
        if (first_day && period->first_day() < *first_day) continue;
        if (last_day && period->last_day() > *last_day) continue;
      }
      page.reports.push_back(std::move(report));
    }
  }
  if (more) {
    page.next_page_token = EncodePageToken(
        kTokenPrefix,
        absl::StrCat(stored.after_municipality_code, "/", stored.after_submission_id));
  }
  return page;
}

}  // namespace inrapport
