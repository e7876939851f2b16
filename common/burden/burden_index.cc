#include "common/burden/burden_index.h"

#include <algorithm>
#include <utility>

#include "common/domain/municipalities.h"
#include "common/domain/period.h"

namespace inrapport {
namespace {

constexpr uint64_t CellKey(int municipality_index, int period_id) {
  return (static_cast<uint64_t>(municipality_index) << 32) |
         static_cast<uint32_t>(period_id);
}

void Accumulate(BurdenRowData& row, int64_t reports, int64_t minutes,
                bool flagged, int municipality_index) {
  row.reports += reports;
  row.minutes += minutes;
  if (flagged) row.flagged_minutes += minutes;
  row.municipalities.set(municipality_index);
}

}  // namespace

absl::string_view GroupByName(GroupBy group_by) {
  switch (group_by) {
    case GroupBy::kAgency: return "agency";
    case GroupBy::kDuty: return "duty";
    case GroupBy::kMunicipality: return "municipality";
    case GroupBy::kCounty: return "county";
    case GroupBy::kSector: return "sector";
    case GroupBy::kPeriod: return "period";
    case GroupBy::kFlag: return "flag";
  }
  return "unknown";
}

absl::Status BurdenIndex::LoadFrom(Store& store) {
  return store.ForEachBurdenCell([this](const BurdenCell& cell) { AddCell(cell); });
}

void BurdenIndex::AddCell(const BurdenCell& cell) {
  const Municipality* municipality =
      Municipalities::Official().Find(cell.municipality_code);
  if (municipality == nullptr) return;  // cannot be stored; nothing to count
  absl::MutexLock lock(&mu_);
  AddLocked(cell.duty_id, municipality->index, cell.period, cell.reports,
            cell.minutes);
}

void BurdenIndex::AddReports(const std::vector<const Report*>& reports) {
  const Municipalities& official = Municipalities::Official();
  absl::MutexLock lock(&mu_);
  for (const Report* report : reports) {
    const Municipality* municipality = official.Find(report->municipality_code);
    if (municipality == nullptr) continue;
    AddLocked(report->duty_id, municipality->index, report->period, 1,
              report->minutes_spent);
  }
}

int BurdenIndex::InternPeriod(const std::string& text) {
  auto it = period_ids_.find(text);
  if (it != period_ids_.end()) return it->second;
  absl::StatusOr<Period> period = Period::Parse(text);
  if (!period.ok()) return -1;
  const int id = static_cast<int>(periods_.size());
  periods_.push_back({text, period->first_day(), period->last_day()});
  period_ids_.emplace(text, id);
  return id;
}

void BurdenIndex::AddLocked(const std::string& duty_id, int municipality_index,
                            const std::string& period, int64_t reports,
                            int64_t minutes) {
  const int period_id = InternPeriod(period);
  if (period_id < 0) return;
  DutyCells& duty = duties_[duty_id];
  duty.totals.reports += reports;
  duty.totals.minutes += minutes;
  duty.totals.municipalities.set(municipality_index);
  Cell& cell = duty.cells[CellKey(municipality_index, period_id)];
  cell.reports += reports;
  cell.minutes += minutes;
}

BurdenTable BurdenIndex::Summarize(GroupBy group_by, const BurdenFilter& filter,
                                   const AttributesLookup& attributes) const {
  const Municipalities& official = Municipalities::Official();
  int filter_municipality = -1;
  if (!filter.municipality_code.empty()) {
    const Municipality* m = official.Find(filter.municipality_code);
    if (m == nullptr) return {};  // validated by the caller; nothing matches
    filter_municipality = m->index;
  }

  BurdenTable table;
  table.totals.key = "total";
  absl::flat_hash_map<std::string, BurdenRowData> groups;

  absl::ReaderMutexLock lock(&mu_);
  // Periods outside the range are decided once, not once per cell.
  std::vector<bool> period_in_range(periods_.size(), true);
  for (size_t i = 0; i < periods_.size(); ++i) {
    if (filter.first_day && periods_[i].first_day < *filter.first_day) {
      period_in_range[i] = false;
    }
    if (filter.last_day && periods_[i].last_day > *filter.last_day) {
      period_in_range[i] = false;
    }
  }

  for (const auto& [duty_id, duty] : duties_) {
    const DutyAttributes* attrs = attributes(duty_id);
    if (attrs == nullptr) continue;
    if (!filter.agency_id.empty() && attrs->agency_id != filter.agency_id) continue;
    if (filter.sector != Sector::kUnspecified && attrs->sector != filter.sector) continue;
    if (filter.flagged_only && !attrs->flagged) continue;

    // Groupings that do not depend on the cell share rows per duty (several
    // for kFlag: a duty counts under each of its flags).
    std::vector<std::string> duty_keys;
    switch (group_by) {
      case GroupBy::kAgency: duty_keys.push_back(attrs->agency_id); break;
      case GroupBy::kDuty: duty_keys.push_back(duty_id); break;
      case GroupBy::kSector: duty_keys.emplace_back(SectorName(attrs->sector)); break;
      case GroupBy::kFlag:
        duty_keys = attrs->flag_codes;
        if (duty_keys.empty()) duty_keys.emplace_back(kUnflaggedKey);
        break;
      default: break;
    }
    // Every row is inserted before any pointer is taken: an insertion may
    // move the map's elements.
    for (const std::string& key : duty_keys) groups[key];
    std::vector<BurdenRowData*> duty_rows;
    for (const std::string& key : duty_keys) duty_rows.push_back(&groups[key]);

    for (const auto& [key, cell] : duty.cells) {
      const int municipality_index = static_cast<int>(key >> 32);
      const int period_id = static_cast<int>(key & 0xffffffffu);
      if (filter_municipality >= 0 && municipality_index != filter_municipality) continue;
      if (!period_in_range[period_id]) continue;

      if (duty_rows.empty()) {
        const Municipality& m = official.all()[municipality_index];
        BurdenRowData* row = nullptr;
        switch (group_by) {
          case GroupBy::kMunicipality: row = &groups[m.code]; break;
          case GroupBy::kCounty: row = &groups[m.county_code]; break;
          default: row = &groups[periods_[period_id].text]; break;
        }
        Accumulate(*row, cell.reports, cell.minutes, attrs->flagged, municipality_index);
      }
      for (BurdenRowData* row : duty_rows) {
        Accumulate(*row, cell.reports, cell.minutes, attrs->flagged, municipality_index);
      }
      Accumulate(table.totals, cell.reports, cell.minutes, attrs->flagged,
                 municipality_index);
    }
  }

  table.rows.reserve(groups.size());
  for (auto& [key, row] : groups) {
    if (row.reports == 0) continue;  // a duty whose cells were all filtered out
    row.key = key;
    if (group_by == GroupBy::kMunicipality) {
      row.label = official.Find(key)->name;
    } else if (group_by == GroupBy::kCounty) {
      const County* county = official.FindCounty(key);
      if (county != nullptr) row.label = county->name;
    }
    table.rows.push_back(std::move(row));
  }
  std::sort(table.rows.begin(), table.rows.end(),
            [](const BurdenRowData& a, const BurdenRowData& b) {
              if (a.minutes != b.minutes) return a.minutes > b.minutes;
              return a.key < b.key;
            });
  return table;
}

CompletenessTable BurdenIndex::Completeness(const std::vector<ExpectedPeriods>& duties,
                                            const std::string& municipality_code) const {
  const Municipalities& official = Municipalities::Official();
  int only = -1;
  if (!municipality_code.empty()) {
    const Municipality* m = official.Find(municipality_code);
    if (m == nullptr) return {};
    only = m->index;
  }
  const int64_t municipality_count = only >= 0 ? 1 : static_cast<int64_t>(official.size());
  std::vector<int64_t> received_by_municipality(official.size(), 0);
  int64_t expected_per_municipality = 0;

  CompletenessTable table;
  table.totals.key = "total";
  absl::ReaderMutexLock lock(&mu_);
  for (const ExpectedPeriods& duty : duties) {
    CompletenessRowData row;
    row.key = duty.duty_id;
    row.expected = static_cast<int64_t>(duty.periods.size()) * municipality_count;
    expected_per_municipality += static_cast<int64_t>(duty.periods.size());
    // Periods never reported are not interned and have no cells.
    absl::flat_hash_map<int, bool> expected_ids;
    for (const std::string& period : duty.periods) {
      auto id = period_ids_.find(period);
      if (id != period_ids_.end()) expected_ids.emplace(id->second, true);
    }
    auto cells = duties_.find(duty.duty_id);
    if (cells != duties_.end() && !expected_ids.empty()) {
      for (const auto& [key, cell] : cells->second.cells) {
        const int municipality_index = static_cast<int>(key >> 32);
        const int period_id = static_cast<int>(key & 0xffffffffu);
        if (only >= 0 && municipality_index != only) continue;
        if (!expected_ids.contains(period_id)) continue;
        ++row.received;  // one cell per (municipality, period): counted once
        ++received_by_municipality[municipality_index];
      }
    }
    table.totals.received += row.received;
    table.totals.expected += row.expected;
    table.by_duty.push_back(std::move(row));
  }
  for (const Municipality& m : official.all()) {
    if (only >= 0 && m.index != only) continue;
    table.by_municipality.push_back({m.code, m.name, received_by_municipality[m.index],
                                     expected_per_municipality});
  }
  return table;
}

int BurdenIndex::DistinctYearsOf(absl::string_view duty_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = duties_.find(duty_id);
  if (it == duties_.end()) return 0;
  absl::flat_hash_map<int64_t, bool> years;
  for (const auto& [key, cell] : it->second.cells) {
    years.emplace(periods_[key & 0xffffffffu].first_day.year(), true);
  }
  return static_cast<int>(years.size());
}

std::vector<std::string> BurdenIndex::DutiesReportedBy(int municipality_index) const {
  std::vector<std::string> duties;
  absl::ReaderMutexLock lock(&mu_);
  for (const auto& [duty_id, duty] : duties_) {
    if (municipality_index >= 0 && municipality_index < static_cast<int>(kMunicipalityBits) &&
        duty.totals.municipalities.test(municipality_index)) {
      duties.push_back(duty_id);
    }
  }
  return duties;
}

DutyBurden BurdenIndex::TotalsOf(absl::string_view duty_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = duties_.find(duty_id);
  return it == duties_.end() ? DutyBurden{} : it->second.totals;
}

absl::flat_hash_map<std::string, DutyBurden> BurdenIndex::AllTotals() const {
  absl::flat_hash_map<std::string, DutyBurden> totals;
  absl::ReaderMutexLock lock(&mu_);
  totals.reserve(duties_.size());
  for (const auto& [duty_id, duty] : duties_) totals.emplace(duty_id, duty.totals);
  return totals;
}

}  // namespace inrapport
