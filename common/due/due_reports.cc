#include "common/due/due_reports.h"

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/domain/deadline.h"
#include "common/domain/municipalities.h"
#include "common/domain/period.h"
#include "common/domain/validation.h"
#include "common/text/text_safety.h"

namespace inrapport {
namespace {

// The reports of one duty and period, as far as their deadline cares.
struct Received {
  int64_t reports = 0;
  int64_t first_unix = 0;
};

absl::StatusOr<absl::CivilDay> DateOrDefault(const std::string& field, const std::string& text,
                                             absl::CivilDay fallback) {
  if (text.empty()) return fallback;
  absl::StatusOr<absl::CivilDay> day = ParseDate(text);
  if (!day.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", day.status().message()));
  }
  return *day;
}

bool AppliesTo(const Duty& duty, const std::string& municipality_code) {
  return duty.respondents.empty() ||
         std::binary_search(duty.respondents.begin(), duty.respondents.end(), municipality_code);
}

}  // namespace

absl::string_view DueStateName(DueState state) {
  switch (state) {
    case DueState::kReceived:
      return "received";
    case DueState::kReceivedLate:
      return "received_late";
    case DueState::kMissing:
      return "missing";
    case DueState::kNotYetDue:
      return "not_yet_due";
  }
  return "unknown";
}

absl::StatusOr<DueList> DueReports::List(const DueQuery& query) const {
  if (Municipalities::Official().Find(query.municipality_code) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("municipality_code: ", QuoteValue(query.municipality_code),
                     " is not one of the 290 official municipality codes"));
  }
  if (!query.agency_id.empty() && !IsValidSlug(query.agency_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("agency_id: ", QuoteValue(query.agency_id), " is not an agency id"));
  }
  DueList list;
  list.today = today_();
  ASSIGN_OR_RETURN(list.from,
                   DateOrDefault("from_date", query.from, list.today - kDefaultDaysBack));
  ASSIGN_OR_RETURN(list.to, DateOrDefault("to_date", query.to, list.today + kDefaultDaysAhead));
  if (list.to < list.from) {
    return absl::InvalidArgumentError(absl::StrCat(
        "to_date: ", FormatDate(list.to), " is before from_date ", FormatDate(list.from)));
  }
  if (list.to - list.from > kMaxRangeDays) {
    return absl::InvalidArgumentError(absl::StrCat(
        "to_date: at most ", kMaxRangeDays, " days after from_date, got ", list.to - list.from));
  }

  // The duties that apply, with their rules; the snapshot holds them.
  struct Dated {
    std::shared_ptr<const Duty> duty;
    DeadlineRule rule;
  };
  std::vector<Dated> dated;
  for (std::shared_ptr<const Duty>& duty : catalog_->Snapshot()) {
    if (!query.agency_id.empty() && duty->agency_id != query.agency_id) continue;
    if (!AppliesTo(*duty, query.municipality_code)) continue;
    // A stored rule always parses; one that did not would state nothing.
    absl::StatusOr<DeadlineRule> rule = DeadlineRule::Parse(duty->deadline);
    if (duty->deadline.empty() || !rule.ok()) {
      list.without_deadline.push_back(duty->id);
      continue;
    }
    if (duty->frequency == Frequency::kAdHoc || duty->frequency == Frequency::kUnspecified) {
      continue;
    }
    dated.push_back({std::move(duty), *rule});
  }

  // The municipality's reports, read in key order a page at a time: the
  // first receipt and the count per duty and period. A corrected report
  // counts under its period as corrected, from its first receipt.
  std::map<std::pair<std::string, std::string>, Received> received;
  if (!dated.empty()) {
    ReportQuery read;
    read.municipality_code = query.municipality_code;
    read.agency_id = query.agency_id;
    read.limit = 1000;
    for (;;) {
      ASSIGN_OR_RETURN(std::vector<StoredReport> page, store_->ListReports(read));
      for (const StoredReport& stored : page) {
        if (stored.withdrawn) continue;  // on record, but not received
        Received& r = received[{stored.report.duty_id, stored.report.period}];
        const int64_t at = stored.receipt.received_at_unix;
        if (r.reports++ == 0 || at < r.first_unix) r.first_unix = at;
      }
      if (static_cast<int>(page.size()) < read.limit) break;
      read.after_municipality_code = page.back().report.municipality_code;
      read.after_submission_id = page.back().report.submission_id;
    }
  }

  for (const Dated& d : dated) {
    const Duty& duty = *d.duty;
    absl::CivilDay valid_from = absl::CivilDay(1900, 1, 1);
    absl::CivilDay valid_until = absl::CivilDay(2999, 12, 31);
    if (!duty.valid_from.empty()) valid_from = ParseDate(duty.valid_from).value_or(valid_from);
    if (!duty.valid_until.empty()) valid_until = ParseDate(duty.valid_until).value_or(valid_until);
    // A deadline lies at most kMaxDays, or a year and a day or two, after
    // the end of its period, and never more than a year before it: from
    // here every period whose deadline can be in the range is seen.
    // Periods are of the years 1900 to 2999 only.
    const absl::CivilDay start =
        std::max(list.from - (DeadlineRule::kMaxDays + 2), absl::CivilDay(1901, 1, 1));
    const absl::CivilDay last_start = std::min(list.to + 366, absl::CivilDay(2998, 12, 1));
    Period period = Period::Containing(duty.frequency, start);
    while (period.first_day() <= last_start) {
      const absl::CivilDay deadline = d.rule.DeadlineOf(period);
      if (deadline >= list.from && deadline <= list.to && period.last_day() >= valid_from &&
          period.first_day() <= valid_until) {
        DueEntry entry;
        entry.duty_id = duty.id;
        entry.agency_id = duty.agency_id;
        entry.title = duty.title;
        entry.period = period.ToString();
        entry.rule = d.rule.ToString();
        entry.deadline = deadline;
        auto it = received.find({duty.id, entry.period});
        if (it != received.end()) {
          entry.reports = it->second.reports;
          entry.first_received_unix = it->second.first_unix;
          entry.state = DayInSweden(entry.first_received_unix) <= deadline
                            ? DueState::kReceived
                            : DueState::kReceivedLate;
        } else {
          entry.state = deadline < list.today ? DueState::kMissing : DueState::kNotYetDue;
        }
        list.entries.push_back(std::move(entry));
      }
      period = Period::Containing(duty.frequency, period.last_day() + 1);
    }
  }
  std::sort(list.entries.begin(), list.entries.end(), [](const DueEntry& a, const DueEntry& b) {
    return std::tie(a.deadline, a.duty_id, a.period) < std::tie(b.deadline, b.duty_id, b.period);
  });
  return list;
}

}  // namespace inrapport
