#include "common/burden/burden_queries.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/domain/municipalities.h"
#include "common/domain/period.h"

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

absl::StatusOr<BurdenTable> BurdenQueries::Summary(
    const SummaryQuery& query) const {
  BurdenFilter filter;
  filter.agency_id = query.agency_id;
  filter.sector = query.sector;
  filter.flagged_only = query.flagged_only;
  if (!query.municipality_code.empty()) {
    if (Municipalities::Official().Find(query.municipality_code) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "municipality_code: \"", query.municipality_code,
          "\" is not one of the 290 official municipality codes"));
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
        "period_to: \"", query.period_to, "\" ends before period_from \"",
        query.period_from, "\" starts"));
  }

  absl::flat_hash_map<std::string, DutyAttributes> attributes;
  for (const std::shared_ptr<const Duty>& duty : catalog_->Snapshot()) {
    attributes.emplace(duty->id,
                       DutyAttributes{duty->agency_id, duty->sector, duty->flagged()});
  }
  return index_->Summarize(
      query.group_by, filter,
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
    if (!duty->flagged()) continue;
    if (!agency_id.empty() && duty->agency_id != agency_id) continue;
    const DutyBurden totals = index_->TotalsOf(duty->id);
    FlaggedDutyBurden entry{*duty, {}};
    entry.burden.key = duty->id;
    entry.burden.reports = totals.reports;
    entry.burden.minutes = totals.minutes;
    entry.burden.flagged_minutes = totals.minutes;
    entry.burden.municipalities = totals.municipalities;
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
