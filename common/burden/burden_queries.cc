#include "common/burden/burden_queries.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/page_token.h"
#include "common/base/status_macros.h"
#include "common/domain/deadline.h"
#include "common/domain/lifecycle.h"
#include "common/domain/municipalities.h"
#include "common/domain/period.h"
#include "common/text/text_safety.h"
#include "common/domain/validation.h"
#include "common/flags/overlaps.h"

namespace inrapport {
namespace {

absl::StatusOr<Period> ParseBound(absl::string_view field,
                                  const std::string& text) {
  absl::StatusOr<Period> period = Period::Parse(text);
  if (!period.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", period.status().message()));
  }
  return period;
}

}  // namespace

MunicipalitySet RespondentsOf(const Duty& duty) {
  const Municipalities& official = Municipalities::Official();
  MunicipalitySet set;
  if (duty.respondents.empty()) {
    for (const Municipality& m : official.all()) set.set(m.index);
    return set;
  }
  for (const std::string& code : duty.respondents) {
    if (const Municipality* m = official.Find(code); m != nullptr) set.set(m->index);
  }
  return set;
}

absl::StatusOr<BurdenTable> BurdenQueries::Summary(
    const SummaryQuery& query) const {
  BurdenFilter filter;
  filter.agency_id = query.agency_id;
  filter.sector = query.sector;
  filter.flagged_only = query.flagged_only;
  if (!query.municipality_code.empty()) {
    if (Municipalities::Official().Find(query.municipality_code) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "municipality_code: ", QuoteValue(query.municipality_code),
          " is not one of the 290 official municipality codes"));
    }
    filter.municipality_code = query.municipality_code;
  }
  if (!query.period_from.empty()) {
    ASSIGN_OR_RETURN(Period from, ParseBound("period_from", query.period_from));
    filter.first_day = from.first_day();
  }
  if (!query.period_to.empty()) {
    ASSIGN_OR_RETURN(Period to, ParseBound("period_to", query.period_to));
    filter.last_day = to.last_day();
  }
  if (filter.first_day && filter.last_day && *filter.last_day < *filter.first_day) {
    return absl::InvalidArgumentError(absl::StrCat(
        "period_to: ", QuoteValue(query.period_to), " ends before period_from ",
        QuoteValue(query.period_from), " starts"));
  }

  // The duties first: their flags are brought up to date with the reports
  // stored so far, then the index's generation is read (an answer from a
  // later state is kept as of the earlier one, and only misses later).
  const std::vector<std::shared_ptr<const Duty>> duties = catalog_->Snapshot();
  SummaryInputs inputs;
  inputs.flags_serials.reserve(duties.size());
  for (const std::shared_ptr<const Duty>& duty : duties) {
    inputs.flags_serials.push_back(duty->flags_serial);
  }
  inputs.index_generation = index_->Generation();
  const std::string key = absl::StrCat(
      static_cast<int>(query.group_by), "\x1f", query.agency_id, "\x1f",
      static_cast<int>(query.sector), "\x1f", query.municipality_code, "\x1f",
      query.period_from, "\x1f", query.period_to, "\x1f", query.flagged_only ? 1 : 0);
  BurdenTable table;
  if (std::shared_ptr<const BurdenTable> kept = summaries_.Find(key, inputs)) {
    table = *kept;
  } else {
    table = Summarize(query.group_by, filter, duties);
    summaries_.Put(key, inputs, table);
  }
  if (query.group_by == GroupBy::kAgency) {
    // Not kept: the register's names may change without a duty changing.
    for (BurdenRowData& row : table.rows) row.label = catalog_->AgencyName(row.key);
  }
  return table;
}

BurdenTable BurdenQueries::Summarize(
    GroupBy group_by, const BurdenFilter& filter,
    const std::vector<std::shared_ptr<const Duty>>& duties) const {
  absl::flat_hash_map<std::string, DutyAttributes> attributes;
  for (const std::shared_ptr<const Duty>& duty : duties) {
    DutyAttributes attrs{duty->agency_id,       duty->sector,          duty->flagged(), {},
                         &duty->period_flags, duty->recorded_uses, duty->flags_serial};
    for (const Flag& flag : duty->flags) attrs.flag_codes.push_back(flag.code);
    attributes.emplace(duty->id, std::move(attrs));
  }
  return index_->Summarize(group_by, filter,
                           [&attributes](absl::string_view duty_id) -> const DutyAttributes* {
                             auto it = attributes.find(duty_id);
                             return it == attributes.end() ? nullptr : &it->second;
                           });
}

absl::StatusOr<std::vector<FlaggedDutyBurden>> BurdenQueries::FlaggedDuties(
    const std::string& agency_id, int limit) const {
  if (limit < 0 || limit > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "limit: must be between 0 and ", kMaxPageSize, ", got ", limit));
  }
  if (limit == 0) limit = kDefaultPageSize;
  std::vector<FlaggedDutyBurden> ranked;
  for (const std::shared_ptr<const Duty>& duty : catalog_->Snapshot()) {
    if (!duty->flagged() || NeverInForce(*duty)) continue;
    if (!agency_id.empty() && duty->agency_id != agency_id) continue;
    const DutyBurden totals = index_->TotalsOf(duty->id);
    FlaggedDutyBurden entry{*duty, {}, EstimateOf(*duty)};
    entry.burden.key = duty->id;
    entry.burden.reports = totals.reports;
    entry.burden.minutes = totals.minutes;
    // Flagged now; its reports count as flagged for the periods it was.
    const FlaggedPeriods flagged_for(*duty);
    for (const PeriodBurden& period : index_->PeriodsOf(duty->id)) {
      if (flagged_for(period.period)) entry.burden.flagged_minutes += period.minutes;
    }
    entry.burden.municipalities = totals.municipalities;
    // As in a summary by duty: uses count once the duty has reports.
    if (totals.reports > 0) entry.burden.recorded_uses = duty->recorded_uses;
    ranked.push_back(std::move(entry));
  }
  std::sort(ranked.begin(), ranked.end(),
            [](const FlaggedDutyBurden& a, const FlaggedDutyBurden& b) {
              if (a.burden.minutes != b.burden.minutes) {
                return a.burden.minutes > b.burden.minutes;
              }
              return a.duty.id < b.duty.id;
            });
  if (static_cast<int>(ranked.size()) > limit) ranked.resize(limit);
  return ranked;
}

}  // namespace inrapport

namespace inrapport {

DutyAccount BurdenQueries::AccountOf(const Duty& duty) const {
  DutyAccount a;
  a.duty_id = duty.id;
  a.agency_id = duty.agency_id;
  a.title = duty.title;
  a.sector = duty.sector;
  a.frequency = duty.frequency;
  a.estimated_minutes_per_report = duty.estimated_minutes_per_report;
  a.recorded_uses = duty.recorded_uses;
  for (const Flag& flag : duty.flags) a.flag_codes.push_back(flag.code);

  const DutyBurden totals = index_->TotalsOf(duty.id);
  a.reports = totals.reports;
  a.minutes = totals.minutes;
  a.municipalities = static_cast<int>(totals.municipalities.count());
  a.hours = a.minutes / 60.0;
  a.cost_sek = CostSek(static_cast<double>(a.minutes));
  // The stratified estimate, or why there is none (reports or not). Its
  // reports a year are the account's: fixed by the frequency, observed for
  // ad hoc duties.
  a.national = EstimateOf(duty);
  a.reports_per_municipality_per_year = a.national.reports_per_municipality_per_year;
  if (a.reports > 0) a.median_minutes = aggregates_->FiguresOf(duty.id).median_minutes;
  // The API's two figures are the estimate's, or 0 when there is none, so
  // that rankings and totals never extrapolate a thin basis.
  a.national_hours = a.national.hours_per_year;
  a.national_cost_sek = a.national.cost_sek_per_year;
  return a;
}

NationalEstimate BurdenQueries::EstimateOf(const Duty& duty) const {
  // The cache key: anything that moves the estimate moves one of these (a
  // new report adds to the count; the tariff and the minimum are fixed).
  const DutyBurden totals = index_->TotalsOf(duty.id);
  {
    absl::ReaderMutexLock lock(&estimates_mu_);
    auto it = estimates_.find(duty.id);
    if (it != estimates_.end() && it->second.frequency == duty.frequency &&
        it->second.respondents == duty.respondents && it->second.reports == totals.reports &&
        it->second.minutes == totals.minutes) {
      return it->second.estimate;
    }
  }
  const Municipalities& official = Municipalities::Official();
  // Stratified over the municipalities that must report the duty; a
  // report from outside that set is measured burden, not a sample of it.
  const MunicipalitySet respondents = RespondentsOf(duty);
  EstimateInput input;
  input.duty_id = duty.id;
  input.frequency = duty.frequency;
  for (const MunicipalityGroup& g : official.groups()) input.group_names[g.code] = g.name;
  for (const Municipality& m : official.all()) {
    if (respondents.test(m.index)) ++input.expected_per_group[m.group];
  }
  const DutyMeasurement measured = index_->MeasurementOf(duty.id);
  for (const DutyMeasurement::PerMunicipality& each : measured.by_municipality) {
    if (!respondents.test(each.municipality_index)) continue;
    const Municipality& m = official.all()[each.municipality_index];
    input.measured.push_back({m.code, m.group, each.reports, each.minutes});
  }
  input.distinct_years = measured.distinct_years;
  input.first_period = measured.first_period;
  input.last_period = measured.last_period;
  NationalEstimate estimate = EstimateNational(input, EstimateOptionsInForce());
  // Computed outside the lock: two callers may both compute a missing
  // entry, and both get the same figures (the estimate is deterministic).
  // The key is the measurement's own totals, which may be newer than
  // `totals` if a report arrived in between.
  int64_t reports = 0, minutes = 0;
  for (const DutyMeasurement::PerMunicipality& each : measured.by_municipality) {
    reports += each.reports;
    minutes += each.minutes;
  }
  absl::MutexLock lock(&estimates_mu_);
  estimates_[duty.id] =
      CachedEstimate{duty.frequency, duty.respondents, reports, minutes, estimate};
  return estimate;
}

std::vector<DutyAccount> BurdenQueries::Accounts(const AccountQuery& query) const {
  DutyFilter filter{query.agency_id, query.sector, query.flagged_only};
  std::vector<DutyAccount> accounts;
  for (const std::shared_ptr<const Duty>& duty : catalog_->Snapshot()) {
    if (!filter.Matches(*duty) || NeverInForce(*duty)) continue;
    accounts.push_back(AccountOf(*duty));
  }
  std::sort(accounts.begin(), accounts.end(), [](const DutyAccount& a, const DutyAccount& b) {
    if (a.national_cost_sek != b.national_cost_sek) {
      return a.national_cost_sek > b.national_cost_sek;
    }
    if (a.minutes != b.minutes) return a.minutes > b.minutes;
    return a.duty_id < b.duty_id;
  });
  return accounts;
}

namespace {

// The periods of `duty` wholly inside [from, to] that ended before `today`
// and overlap the duty's validity. None for ad hoc duties.
std::vector<std::string> ExpectedPeriodsOf(const Duty& duty, absl::CivilDay from,
                                           absl::CivilDay to, absl::CivilDay today) {
  std::vector<std::string> periods;
  if (ReportsPerYear(duty.frequency) == 0) return periods;
  std::optional<absl::CivilDay> valid_from, valid_until;
  if (auto d = ParseDate(duty.valid_from); d.ok()) valid_from = *d;
  if (auto d = ParseDate(duty.valid_until); d.ok()) valid_until = *d;
  for (Period p = Period::Containing(duty.frequency, from); p.last_day() <= to;
       p = Period::Containing(duty.frequency, p.last_day() + 1)) {
    if (p.first_day() < from) continue;
    if (p.last_day() >= today) break;
    if (valid_from && p.last_day() < *valid_from) continue;
    if (valid_until && p.first_day() > *valid_until) break;
    periods.push_back(p.ToString());
  }
  return periods;
}

}  // namespace

absl::StatusOr<CompletenessTable> BurdenQueries::Completeness(
    const CompletenessQuery& query) const {
  if (query.period_from.empty()) {
    return absl::InvalidArgumentError("period_from: must not be empty");
  }
  if (query.period_to.empty()) {
    return absl::InvalidArgumentError("period_to: must not be empty");
  }
  ASSIGN_OR_RETURN(Period from, ParseBound("period_from", query.period_from));
  ASSIGN_OR_RETURN(Period to, ParseBound("period_to", query.period_to));
  if (to.last_day() < from.first_day()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "period_to: ", QuoteValue(query.period_to), " ends before period_from ",
        QuoteValue(query.period_from), " starts"));
  }
  if (!query.municipality_code.empty() &&
      Municipalities::Official().Find(query.municipality_code) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "municipality_code: ", QuoteValue(query.municipality_code),
        " is not one of the 290 official municipality codes"));
  }
  if (!query.duty_id.empty() && catalog_->Find(query.duty_id) == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("duty_id: duty ", QuoteValue(query.duty_id), " is not registered"));
  }
  const absl::CivilDay today = catalog_->Today();
  std::vector<ExpectedPeriods> expected;
  for (const std::shared_ptr<const Duty>& duty : catalog_->Snapshot()) {
    if (!query.duty_id.empty() && duty->id != query.duty_id) continue;
    if (!query.agency_id.empty() && duty->agency_id != query.agency_id) continue;
    std::vector<std::string> periods =
        ExpectedPeriodsOf(*duty, from.first_day(), to.last_day(), today);
    if (periods.empty()) continue;
    std::vector<absl::CivilDay> deadlines;
    if (absl::StatusOr<DeadlineRule> rule = DeadlineRule::Parse(duty->deadline); rule.ok()) {
      for (const std::string& period : periods) {
        deadlines.push_back(rule->DeadlineOf(*Period::Parse(period)));
      }
    }
    expected.push_back({duty->id, std::move(periods), RespondentsOf(*duty), std::move(deadlines)});
  }
  return index_->Completeness(expected, query.municipality_code, today);
}

absl::StatusOr<UsePage> BurdenQueries::Uses(const UseQuery& query) const {
  UseFilter filter;
  filter.duty_id = query.duty_id;
  filter.agency_id = query.agency_id;
  if (!query.municipality_code.empty()) {
    const Municipality* m = Municipalities::Official().Find(query.municipality_code);
    if (m == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "municipality_code: ", QuoteValue(query.municipality_code),
          " is not one of the 290 official municipality codes"));
    }
    filter.duty_ids.emplace();
    for (std::string& id : index_->DutiesReportedBy(m->index)) {
      filter.duty_ids->insert(std::move(id));
    }
  }
  return catalog_->ListUses(filter, query.page_size, query.page_token);
}

absl::StatusOr<CommentPage> BurdenQueries::Comments(const CommentsQuery& query) const {
  constexpr absl::string_view kTokenPrefix = "comments/v1/before:";
  RETURN_IF_ERROR(CheckPageSize(query.page_size, kMaxPageSize));
  CommentQuery stored;
  stored.duty_id = query.duty_id;
  stored.agency_id = query.agency_id;
  stored.municipality_code = query.municipality_code;
  stored.limit = query.page_size == 0 ? kDefaultPageSize : query.page_size;
  RETURN_IF_ERROR(catalog_->CheckDutyFilter(query.duty_id, query.agency_id));
  if (!query.municipality_code.empty() &&
      Municipalities::Official().Find(query.municipality_code) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "municipality_code: ", QuoteValue(query.municipality_code),
        " is not one of the 290 official municipality codes"));
  }
  if (!query.page_token.empty()) {
    ASSIGN_OR_RETURN(std::string before,
                     DecodePageToken(kTokenPrefix, query.page_token, "ListComments"));
    if (!absl::SimpleAtoi(before, &stored.before_seq) || stored.before_seq <= 0) {
      return absl::InvalidArgumentError("page_token: not a token returned by ListComments");
    }
  }
  CommentPage page;
  if (store_ == nullptr) return page;
  // One more than the page: whether another page follows.
  ++stored.limit;
  ASSIGN_OR_RETURN(page.comments, store_->ListComments(stored));
  if (static_cast<int>(page.comments.size()) == stored.limit) {
    page.comments.pop_back();
    page.next_page_token =
        EncodePageToken(kTokenPrefix, absl::StrCat(page.comments.back().seq));
  }
  return page;
}

absl::StatusOr<ArenaReport> BurdenQueries::Arena(const ArenaQuery& query) const {
  int limit = query.limit;
  if (limit < 0 || limit > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "limit: must be between 0 and ", kMaxPageSize, ", got ", limit));
  }
  if (limit == 0) limit = kDefaultReportLimit;

  ArenaReport report;
  report.generated_on = FormatDate(catalog_->Today());
  report.tariff_sek_per_hour = tariff_;
  report.language = query.language;
  report.illustrative = query.illustrative;
  report.period_from = query.period_from;
  report.period_to = query.period_to;

  const std::vector<DutyAccount> accounts = Accounts(AccountQuery{});
  absl::flat_hash_map<std::string, double> national_by_agency, national_by_sector;
  absl::flat_hash_map<std::string, int64_t> not_estimable_by_agency, not_estimable_by_sector;
  for (const DutyAccount& a : accounts) {
    ++report.duties;
    report.recorded_uses += a.recorded_uses;
    report.totals.national_cost_sek += a.national_cost_sek;
    national_by_agency[a.agency_id] += a.national_cost_sek;
    national_by_sector[std::string(SectorName(a.sector))] += a.national_cost_sek;
    // A sum of national figures leaves these duties out; it says how many.
    if (!a.national.estimable) {
      ++report.not_estimable_duties;
      ++not_estimable_by_agency[a.agency_id];
      ++not_estimable_by_sector[std::string(SectorName(a.sector))];
    }
    if (!a.flag_codes.empty()) {
      ++report.flagged_duties;
      report.flagged_national_cost_sek += a.national_cost_sek;
      if (!a.national.estimable) ++report.flagged_not_estimable_duties;
    }
  }

  auto row_of = [this](const BurdenRowData& data, double national, int64_t not_estimable) {
    ArenaBurdenRow row;
    row.key = data.key;
    row.label = data.label;
    row.reports = data.reports;
    row.minutes = data.minutes;
    row.hours = data.hours();
    row.cost_sek = CostSek(static_cast<double>(data.minutes));
    row.municipalities = static_cast<int>(data.municipalities.count());
    row.flagged_share = data.flagged_minutes_share();
    row.national_cost_sek = national;
    row.not_estimable_duties = not_estimable;
    return row;
  };
  auto ranged = [&query](GroupBy group_by) {
    SummaryQuery summary;
    summary.group_by = group_by;
    summary.period_from = query.period_from;
    summary.period_to = query.period_to;
    return summary;
  };
  ASSIGN_OR_RETURN(BurdenTable agencies, Summary(ranged(GroupBy::kAgency)));
  for (const BurdenRowData& data : agencies.rows) {
    report.by_agency.push_back(
        row_of(data, national_by_agency[data.key], not_estimable_by_agency[data.key]));
  }
  const double national_total = report.totals.national_cost_sek;
  report.totals = row_of(agencies.totals, national_total, report.not_estimable_duties);
  ASSIGN_OR_RETURN(BurdenTable sectors, Summary(ranged(GroupBy::kSector)));
  for (const BurdenRowData& data : sectors.rows) {
    report.by_sector.push_back(
        row_of(data, national_by_sector[data.key], not_estimable_by_sector[data.key]));
  }

  // Flagged duties, in the accounts' order (national estimated cost first).
  for (const DutyAccount& a : accounts) {
    if (a.flag_codes.empty()) continue;
    if (static_cast<int>(report.flagged.size()) == limit) break;
    std::shared_ptr<const Duty> duty = catalog_->Find(a.duty_id);
    if (duty == nullptr) continue;  // removed meanwhile; never happens today
    ArenaFlaggedDuty entry;
    entry.account = a;
    entry.legal_basis = duty->legal_basis;
    for (const LegalReference& ref : duty->legal_references) {
      entry.legal_references.push_back(ref.ToString());
    }
    entry.source_url = duty->source_url;
    entry.notes = duty->notes;
    entry.flags = duty->flags;
    if (store_ != nullptr) {
      CommentQuery recent;
      recent.duty_id = a.duty_id;
      recent.limit = kArenaCommentsPerDuty;
      ASSIGN_OR_RETURN(std::vector<StoredComment> comments, store_->ListComments(recent));
      for (StoredComment& c : comments) {
        entry.comments.push_back(
            {std::move(c.municipality_code), std::move(c.period), std::move(c.comment)});
      }
    }
    report.flagged.push_back(std::move(entry));
  }

  // Overlaps: the first duty's measured minutes x its share of shared items.
  absl::flat_hash_map<std::string, const DutyAccount*> by_id;
  for (const DutyAccount& a : accounts) by_id[a.duty_id] = &a;
  for (const auto& [duty_id, overlaps] : catalog_->Overlaps()) {
    std::shared_ptr<const Duty> duty = catalog_->Find(duty_id);
    auto account = by_id.find(duty_id);
    const int item_count = duty == nullptr ? 0 : DistinctDataItemCount(*duty);
    if (account == by_id.end() || item_count == 0) continue;
    for (const DutyOverlap& o : overlaps) {
      ArenaOverlap overlap;
      overlap.duty_id = duty_id;
      overlap.agency_id = duty->agency_id;
      overlap.other_duty_id = o.other_duty_id;
      overlap.other_agency_id = o.other_agency_id;
      overlap.shared_items = o.shared_items;
      // Same share as the DUPLICATE_DATA evidence: items counted as compared.
      overlap.item_count = std::max(item_count, static_cast<int>(o.shared_items.size()));
      overlap.overlap_minutes = static_cast<double>(account->second->minutes) *
                                static_cast<double>(o.shared_items.size()) /
                                static_cast<double>(overlap.item_count);
      overlap.overlap_cost_sek = CostSek(overlap.overlap_minutes);
      report.overlaps.push_back(std::move(overlap));
    }
  }
  std::sort(report.overlaps.begin(), report.overlaps.end(),
            [](const ArenaOverlap& a, const ArenaOverlap& b) {
              if (a.overlap_minutes != b.overlap_minutes) {
                return a.overlap_minutes > b.overlap_minutes;
              }
              if (a.shared_items.size() != b.shared_items.size()) {
                return a.shared_items.size() > b.shared_items.size();
              }
              if (a.duty_id != b.duty_id) return a.duty_id < b.duty_id;
              return a.other_duty_id < b.other_duty_id;
            });
  if (static_cast<int>(report.overlaps.size()) > limit) report.overlaps.resize(limit);

  // Where the municipalities say the data is already reported.
  if (store_ != nullptr) {
    ASSIGN_OR_RETURN(std::vector<ReportedElsewhere> places, store_->ListReportedElsewhere(limit));
    for (ReportedElsewhere& place : places) {
      ArenaReportedElsewhere row;
      row.duty_id = place.duty_id;
      if (std::shared_ptr<const Duty> duty = catalog_->Find(place.duty_id)) {
        row.agency_id = duty->agency_id;
      }
      if (std::shared_ptr<const Duty> other = catalog_->Find(place.where)) {
        row.other_duty_id = other->id;
        row.other_agency_id = other->agency_id;
      }
      row.where = std::move(place.where);
      row.reports = place.reports;
      row.municipalities = place.municipalities;
      report.reported_elsewhere.push_back(std::move(row));
    }
  }

  // Duties no report has measured: listed, never drawn as zero.
  for (const DutyAccount& a : accounts) {
    if (a.reports > 0) continue;
    report.unreported.push_back(
        {a.duty_id, a.agency_id, a.title, a.sector, a.frequency, a.flag_codes});
  }
  std::sort(report.unreported.begin(), report.unreported.end(),
            [](const ArenaUnreportedDuty& a, const ArenaUnreportedDuty& b) {
              return a.duty_id < b.duty_id;
            });

  // The trend: each agency's periods summed into the year they start in,
  // and the agencies summed into the totals, one pass over the index per
  // agency. The same pass finds the first and last period measured.
  std::map<std::string, ArenaYearRow> all_years;
  std::vector<ArenaYearRow> agency_years;
  std::optional<Period> first, last;
  std::vector<std::string> agency_ids;
  for (const BurdenRowData& row : agencies.rows) agency_ids.push_back(row.key);
  std::sort(agency_ids.begin(), agency_ids.end());
  for (const std::string& agency_id : agency_ids) {
    SummaryQuery of_agency = ranged(GroupBy::kPeriod);
    of_agency.agency_id = agency_id;
    ASSIGN_OR_RETURN(BurdenTable periods, Summary(of_agency));
    std::map<std::string, ArenaYearRow> years;
    for (const BurdenRowData& row : periods.rows) {
      absl::StatusOr<Period> period = Period::Parse(row.key);
      if (!period.ok()) continue;  // every stored period parses
      if (!first || period->first_day() < first->first_day()) first = *period;
      if (!last || period->last_day() > last->last_day()) last = *period;
      const std::string year = absl::StrCat(period->first_day().year());
      for (ArenaYearRow* sum : {&years[year], &all_years[year]}) {
        sum->reports += row.reports;
        sum->minutes += row.minutes;
        sum->flagged_minutes += row.flagged_minutes;
      }
    }
    for (auto& [year, row] : years) {
      row.year = year;
      row.agency_id = agency_id;
      agency_years.push_back(std::move(row));
    }
  }
  for (auto& [year, row] : all_years) {
    row.year = year;
    report.by_year.push_back(std::move(row));
  }
  for (ArenaYearRow& row : agency_years) report.by_year.push_back(std::move(row));
  for (ArenaYearRow& row : report.by_year) {
    row.hours = static_cast<double>(row.minutes) / 60.0;
    row.cost_sek = CostSek(static_cast<double>(row.minutes));
    row.flagged_cost_sek = CostSek(static_cast<double>(row.flagged_minutes));
    row.flagged_share = row.minutes == 0 ? 0.0
                                         : static_cast<double>(row.flagged_minutes) /
                                               static_cast<double>(row.minutes);
  }

  // The method: the rules in force and the data's coverage.
  ArenaMethod& method = report.method;
  const EstimateOptions estimate = EstimateOptionsInForce();
  method.estimate_min_municipalities = estimate.min_municipalities;
  method.bootstrap_resamples = estimate.resamples;
  method.thresholds = catalog_->thresholds();
  method.municipalities_reported = report.totals.municipalities;
  if (first) method.first_period = first->ToString();
  if (last) method.last_period = last->ToString();
  const Municipalities& official = Municipalities::Official();
  method.groups_total = static_cast<int>(official.groups().size());
  ASSIGN_OR_RETURN(BurdenTable municipalities, Summary(ranged(GroupBy::kMunicipality)));
  std::set<std::string> groups;
  for (const BurdenRowData& row : municipalities.rows) {
    if (const Municipality* m = official.Find(row.key)) groups.insert(m->group);
  }
  method.groups_covered = static_cast<int>(groups.size());
  for (const std::shared_ptr<const Duty>& duty : catalog_->Snapshot()) {
    if (duty->legal_basis_unverified) {
      method.unverified_legal_basis.push_back(duty->id);
    }
  }
  std::sort(method.unverified_legal_basis.begin(), method.unverified_legal_basis.end());
  return report;
}

}  // namespace inrapport
