// The burden index against a plain computation over the cells it was given:
// random cells of several duties, municipalities and periods of every kind,
// every grouping under many filters, the answers compared field by field.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/aggregates/burden_index.h"
#include "common/domain/municipalities.h"
#include "common/domain/period.h"
#include "gtest/gtest.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

struct RawCell {
  std::string duty_id;
  std::string municipality_code;
  std::string period;
  int64_t reports = 0;
  int64_t minutes = 0;
};

// The summary worked out cell by cell, with nothing precomputed.
BurdenTable Reference(const std::vector<RawCell>& cells, GroupBy group_by,
                      const BurdenFilter& filter,
                      const std::map<std::string, DutyAttributes>& attributes) {
  const Municipalities& official = Municipalities::Official();
  std::map<std::string, BurdenRowData> rows;
  BurdenTable table;
  table.totals.key = "total";
  // Cells given more than once (and reports taken out) first summed; a cell
  // left without reports is gone.
  std::map<std::tuple<std::string, std::string, std::string>, RawCell> summed;
  for (const RawCell& cell : cells) {
    RawCell& sum = summed[{cell.duty_id, cell.municipality_code, cell.period}];
    if (sum.duty_id.empty()) sum = RawCell{cell.duty_id, cell.municipality_code, cell.period};
    sum.reports += cell.reports;
    sum.minutes += cell.minutes;
  }
  for (const auto& entry : summed) {
    const RawCell& cell = entry.second;  // a lambda below takes it
    if (cell.reports == 0) continue;
    auto attrs = attributes.find(cell.duty_id);
    if (attrs == attributes.end()) continue;
    const DutyAttributes& a = attrs->second;
    if (!filter.agency_id.empty() && a.agency_id != filter.agency_id) continue;
    if (filter.sector != Sector::kUnspecified && a.sector != filter.sector) continue;
    // The flags of the cell's period where the duty lists them, else now's.
    const std::vector<std::string>* codes = &a.flag_codes;
    if (a.period_flags != nullptr) {
      for (const PeriodFlags& p : *a.period_flags) {
        if (p.period == cell.period) codes = &p.codes;
      }
    }
    const bool flagged = !codes->empty();
    if (filter.flagged_only && !flagged) continue;
    if (!filter.municipality_code.empty() &&
        cell.municipality_code != filter.municipality_code) {
      continue;
    }
    const Period period = *Period::Parse(cell.period);
    if (filter.first_day && period.first_day() < *filter.first_day) continue;
    if (filter.last_day && period.last_day() > *filter.last_day) continue;
    const Municipality& m = *official.Find(cell.municipality_code);

    std::vector<std::string> keys;
    switch (group_by) {
      case GroupBy::kAgency: keys = {a.agency_id}; break;
      case GroupBy::kDuty: keys = {cell.duty_id}; break;
      case GroupBy::kMunicipality: keys = {m.code}; break;
      case GroupBy::kCounty: keys = {m.county_code}; break;
      case GroupBy::kSector: keys = {std::string(SectorName(a.sector))}; break;
      case GroupBy::kPeriod: keys = {cell.period}; break;
      case GroupBy::kFlag:
        keys = *codes;
        if (keys.empty()) keys = {std::string(kUnflaggedKey)};
        break;
    }
    auto add = [&](BurdenRowData& row) {
      row.reports += cell.reports;
      row.minutes += cell.minutes;
      if (flagged) row.flagged_minutes += cell.minutes;
      row.municipalities.set(m.index);
    };
    for (const std::string& key : keys) {
      BurdenRowData& row = rows[key];
      row.key = key;
      if (group_by == GroupBy::kMunicipality) row.label = m.name;
      if (group_by == GroupBy::kCounty) row.label = official.FindCounty(key)->name;
      add(row);
    }
    add(table.totals);
  }
  for (auto& [key, row] : rows) table.rows.push_back(row);
  std::sort(table.rows.begin(), table.rows.end(),
            [](const BurdenRowData& a, const BurdenRowData& b) {
              if (a.minutes != b.minutes) return a.minutes > b.minutes;
              return a.key < b.key;
            });
  return table;
}

void ExpectSameRow(const BurdenRowData& actual, const BurdenRowData& expected) {
  EXPECT_EQ(actual.key, expected.key);
  EXPECT_EQ(actual.label, expected.label) << expected.key;
  EXPECT_EQ(actual.reports, expected.reports) << expected.key;
  EXPECT_EQ(actual.minutes, expected.minutes) << expected.key;
  EXPECT_EQ(actual.flagged_minutes, expected.flagged_minutes) << expected.key;
  EXPECT_EQ(actual.municipalities, expected.municipalities) << expected.key;
}

void ExpectSameTable(const BurdenTable& actual, const BurdenTable& expected) {
  ASSERT_EQ(actual.rows.size(), expected.rows.size());
  for (size_t i = 0; i < expected.rows.size(); ++i) {
    SCOPED_TRACE(absl::StrCat("row ", i));
    ExpectSameRow(actual.rows[i], expected.rows[i]);
  }
  ExpectSameRow(actual.totals, expected.totals);
}

// Period texts of every kind the Period type knows, some in a non-canonical
// spelling (kept as given, as separate rows).
std::vector<std::string> AllPeriodKinds(std::mt19937& rng, int count) {
  std::vector<std::string> periods;
  std::uniform_int_distribution<int> year(2021, 2025);
  for (int i = 0; i < count; ++i) {
    const int y = year(rng);
    switch (i % 8) {
      case 0: periods.push_back(absl::StrCat(y)); break;
      case 1: periods.push_back(absl::StrCat(y, "H", 1 + rng() % 2)); break;
      case 2: periods.push_back(absl::StrCat(y, "Q", 1 + rng() % 4)); break;
      case 3: periods.push_back(absl::StrFormat("%d-%02d", y, 1 + rng() % 12)); break;
      case 4: periods.push_back(absl::StrFormat("%dW%02d", y, 1 + rng() % 52)); break;
      case 5:
        periods.push_back(absl::StrFormat("%d-%02d-%02d", y, 1 + rng() % 12, 1 + rng() % 28));
        break;
      case 6: periods.push_back(absl::StrCat(y, "q", 1 + rng() % 4)); break;
      default: periods.push_back(absl::StrFormat("%d-W%02d", y, 1 + rng() % 52)); break;
    }
  }
  return periods;
}

BurdenFilter Filter(std::string agency_id, Sector sector = Sector::kUnspecified,
                    std::string municipality_code = "") {
  BurdenFilter filter;
  filter.agency_id = std::move(agency_id);
  filter.sector = sector;
  filter.municipality_code = std::move(municipality_code);
  return filter;
}

BurdenIndex::AttributesLookup LookupIn(const std::map<std::string, DutyAttributes>& map) {
  return [&map](absl::string_view duty_id) -> const DutyAttributes* {
    auto it = map.find(std::string(duty_id));
    return it == map.end() ? nullptr : &it->second;
  };
}

TEST(BurdenIndexRandomTest, EveryGroupingAndFilterMatchesACellByCellSum) {
  const Municipalities& official = Municipalities::Official();
  for (uint32_t seed : {1u, 2u, 3u, 4u, 5u, 6u}) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    std::mt19937 rng(seed);

    // Duties: three agencies, a few sectors, flagged or not, zero to two
    // flags; one duty the catalogue does not know.
    const std::vector<std::string> agencies = {"ivo", "scb", "skolverket"};
    const std::vector<Sector> sectors = {Sector::kSchool, Sector::kFinance,
                                         Sector::kElderlyCare};
    const std::vector<std::string> flag_codes = {"NO_PURPOSE", "NO_LEGAL_BASIS",
                                                 "OVERLAP"};
    std::map<std::string, DutyAttributes> attributes;
    std::vector<std::string> duty_ids;
    for (int d = 0; d < 8; ++d) {
      const std::string id = absl::StrCat("duty-", d);
      duty_ids.push_back(id);
      if (d == 7) continue;  // unknown to the catalogue
      DutyAttributes a;
      a.agency_id = agencies[rng() % agencies.size()];
      a.sector = sectors[rng() % sectors.size()];
      for (const std::string& code : flag_codes) {
        if (rng() % 3 == 0) a.flag_codes.push_back(code);
      }
      a.flagged = !a.flag_codes.empty();
      attributes[id] = a;
    }
    // Half the duties' periods have flags of their own (a listed period
    // with other flags than now's, or none), as the catalogue gives them.
    std::map<std::string, std::vector<PeriodFlags>> period_flags;
    // Municipalities: a few, from several counties.
    std::vector<std::string> municipalities;
    for (int i = 0; i < 14; ++i) {
      municipalities.push_back(official.all()[rng() % official.size()].code);
    }
    const std::vector<std::string> periods = AllPeriodKinds(rng, 40);
    // Most duties' flags carry a serial, new with each change of their
    // flags (as the catalogue's evaluations do): a split found for it is
    // used without reading the periods.
    uint64_t last_serial = 0;
    for (auto& [id, a] : attributes) {
      if (rng() % 4 != 0) a.flags_serial = ++last_serial;
    }
    auto flag_periods = [&](std::mt19937& r) {
      for (auto& [id, a] : attributes) {
        if (r() % 2 == 0) continue;
        if (a.flags_serial != 0) a.flags_serial = ++last_serial;
        std::vector<PeriodFlags>& listed = period_flags[id];
        listed.clear();
        // Each period once, as the catalogue lists them.
        for (const std::string& period : std::set<std::string>(periods.begin(), periods.end())) {
          if (r() % 3 != 0) continue;
          PeriodFlags p{period, {}};
          for (const std::string& code : flag_codes) {
            if (r() % 2 == 0) p.codes.push_back(code);
          }
          listed.push_back(p);
        }
        // Half of these numbered in classes of equal codes as the catalogue
        // numbers them, the others left for the summary to compare.
        if (r() % 2 == 0) {
          std::vector<std::vector<std::string>> classes;
          for (PeriodFlags& p : listed) {
            p.class_index = static_cast<int>(
                std::find(classes.begin(), classes.end(), p.codes) - classes.begin());
            if (p.class_index == static_cast<int>(classes.size())) classes.push_back(p.codes);
          }
        }
        a.period_flags = &listed;
      }
    };
    flag_periods(rng);

    // Cells, some of them added twice (they add up), by AddCell and by
    // AddReports.
    BurdenIndex index;
    std::vector<RawCell> cells;
    std::vector<Report> reports;
    for (int i = 0; i < 3000; ++i) {
      RawCell cell{duty_ids[rng() % duty_ids.size()],
                   municipalities[rng() % municipalities.size()],
                   periods[rng() % periods.size()], 0, 0};
      if (i % 3 == 0) {
        cell.reports = 1;
        cell.minutes = 1 + rng() % 500;
        Report report;
        report.duty_id = cell.duty_id;
        report.municipality_code = cell.municipality_code;
        report.period = cell.period;
        report.minutes_spent = cell.minutes;
        reports.push_back(report);
      } else {
        cell.reports = 1 + rng() % 4;
        cell.minutes = cell.reports * (1 + rng() % 300);
        index.AddCell({cell.duty_id, cell.municipality_code, cell.period, cell.reports,
                       cell.minutes});
      }
      cells.push_back(cell);
    }
    std::vector<const Report*> report_pointers;
    for (const Report& report : reports) report_pointers.push_back(&report);
    index.AddReports(report_pointers);

    // Filters: each field alone, ranges narrow (one month) and wide, and
    // combinations.
    std::vector<BurdenFilter> filters(1);
    for (const std::string& agency : agencies) filters.push_back(Filter(agency));
    filters.push_back(Filter("", Sector::kFinance));
    filters.push_back(Filter("", Sector::kHealthCare));  // no duty of it
    filters.push_back(Filter("", Sector::kUnspecified, municipalities[0]));
    filters.push_back(Filter("", Sector::kUnspecified, municipalities[5]));
    filters.push_back(Filter("", Sector::kUnspecified, "0114"));  // maybe without cells
    const std::vector<std::pair<std::optional<absl::CivilDay>, std::optional<absl::CivilDay>>>
        ranges = {
            {absl::CivilDay(2023, 1, 1), absl::CivilDay(2023, 12, 31)},
            {absl::CivilDay(2022, 4, 1), absl::CivilDay(2022, 4, 30)},
            {absl::CivilDay(2022, 1, 1), std::nullopt},
            {std::nullopt, absl::CivilDay(2023, 6, 30)},
            {absl::CivilDay(2020, 1, 1), absl::CivilDay(2026, 12, 31)},
            {absl::CivilDay(2024, 3, 5), absl::CivilDay(2024, 3, 5)},
        };
    for (const auto& [first, last] : ranges) {
      BurdenFilter f;
      f.first_day = first;
      f.last_day = last;
      filters.push_back(f);
      f.municipality_code = municipalities[1];
      filters.push_back(f);
      f.municipality_code.clear();
      f.flagged_only = true;
      filters.push_back(f);
      f.agency_id = agencies[1];
      filters.push_back(f);
    }
    BurdenFilter flagged;
    flagged.flagged_only = true;
    filters.push_back(flagged);
    flagged.municipality_code = municipalities[2];
    filters.push_back(flagged);
    BurdenFilter all_fields =
        Filter(agencies[0], attributes["duty-0"].sector, municipalities[3]);
    all_fields.first_day = absl::CivilDay(2021, 1, 1);
    all_fields.last_day = absl::CivilDay(2024, 12, 31);
    filters.push_back(all_fields);

    auto every_summary = [&](const std::string& round) {
      for (GroupBy group_by : {GroupBy::kAgency, GroupBy::kDuty, GroupBy::kMunicipality,
                               GroupBy::kCounty, GroupBy::kSector, GroupBy::kPeriod,
                               GroupBy::kFlag}) {
        for (size_t f = 0; f < filters.size(); ++f) {
          SCOPED_TRACE(absl::StrCat(round, ": ", GroupByName(group_by), " filter ", f));
          ExpectSameTable(index.Summarize(group_by, filters[f], LookupIn(attributes)),
                          Reference(cells, group_by, filters[f], attributes));
        }
      }
    };
    every_summary("first");

    // The sums kept per class of periods follow what comes after them:
    // reports added (to new municipalities and periods too) and withdrawn,
    // a municipality's last report of a duty among them.
    std::vector<Report> more;
    for (int i = 0; i < 400; ++i) {
      Report report;
      report.duty_id = duty_ids[rng() % duty_ids.size()];
      report.municipality_code = i % 10 == 0
                                     ? official.all()[rng() % official.size()].code
                                     : municipalities[rng() % municipalities.size()];
      report.period = i % 25 == 0 ? absl::StrCat(2019 + i % 2, "-", 10 + i % 3)
                                  : periods[rng() % periods.size()];
      report.minutes_spent = 1 + rng() % 500;
      more.push_back(report);
    }
    std::vector<const Report*> more_pointers;
    for (const Report& report : more) {
      more_pointers.push_back(&report);
      cells.push_back({report.duty_id, report.municipality_code, report.period, 1,
                       report.minutes_spent});
    }
    index.AddReports(more_pointers);
    std::vector<ReportRevision> withdrawals;
    for (size_t i = 0; i < more.size(); i += 3) {
      withdrawals.push_back({more[i], std::nullopt, 0, 0});
      cells.push_back({more[i].duty_id, more[i].municipality_code, more[i].period, -1,
                       -more[i].minutes_spent});
    }
    index.ReviseReports(withdrawals);
    every_summary("after changes");

    // Other flags for the periods: the classes are made again.
    flag_periods(rng);
    every_summary("after new flags");

    // Distinct years, and the totals, per duty.
    std::map<std::tuple<std::string, std::string, std::string>, RawCell> summed;
    for (const RawCell& cell : cells) {
      RawCell& sum = summed[{cell.duty_id, cell.municipality_code, cell.period}];
      sum.reports += cell.reports;
      sum.minutes += cell.minutes;
    }
    for (const std::string& id : duty_ids) {
      std::set<int64_t> years;
      DutyBurden totals;
      for (const auto& [key, cell] : summed) {
        const auto& [duty_id, municipality_code, period] = key;
        if (duty_id != id || cell.reports == 0) continue;
        years.insert(Period::Parse(period)->first_day().year());
        totals.reports += cell.reports;
        totals.minutes += cell.minutes;
        totals.municipalities.set(official.Find(municipality_code)->index);
      }
      EXPECT_EQ(index.DistinctYearsOf(id), static_cast<int>(years.size())) << id;
      const DutyBurden actual = index.TotalsOf(id);
      EXPECT_EQ(actual.reports, totals.reports) << id;
      EXPECT_EQ(actual.minutes, totals.minutes) << id;
      EXPECT_EQ(actual.municipalities, totals.municipalities) << id;
    }
  }
}

TEST(BurdenIndexLoadTest, LoadGivesTheAddedIndexAndVisitsEveryCellWithItsPeriod) {
  testing::FakeStore store;
  std::mt19937 rng(7);
  const Municipalities& official = Municipalities::Official();
  std::vector<Report> reports;
  const std::vector<std::string> periods = AllPeriodKinds(rng, 24);
  for (int i = 0; i < 400; ++i) {
    Report report;
    report.submission_id = absl::StrCat("s", i);
    report.duty_id = absl::StrCat("duty-", rng() % 5);
    report.municipality_code = official.all()[rng() % 20].code;
    report.period = Period::Parse(periods[rng() % periods.size()])->ToString();
    report.minutes_spent = static_cast<int64_t>(1 + rng() % 200);
    reports.push_back(report);
  }
  std::vector<const Report*> pointers;
  for (const Report& report : reports) pointers.push_back(&report);
  BurdenIndex added;
  added.AddReports(pointers);
  for (const Report& report : reports) {
    ASSERT_EQ(store.SubmitReportsAndWait({report})[0].value().outcome, SubmitOutcome::kAccepted);
  }

  BurdenIndex loaded;
  int64_t visited_reports = 0;
  bool periods_match = true;
  ASSERT_TRUE(loaded
                  .LoadFrom(store,
                            [&](const BurdenCell& cell, const Period& period) {
                              visited_reports += cell.reports;
                              periods_match &= period.ToString() == cell.period;
                            })
                  .ok());
  EXPECT_EQ(visited_reports, static_cast<int64_t>(reports.size()));
  EXPECT_TRUE(periods_match);

  std::map<std::string, DutyAttributes> attributes;
  for (int d = 0; d < 5; ++d) {
    attributes[absl::StrCat("duty-", d)] = {d % 2 ? "ivo" : "scb", Sector::kSchool, d == 3,
                                            d == 3 ? std::vector<std::string>{"OVERLAP"}
                                                   : std::vector<std::string>{}};
  }
  for (GroupBy group_by : {GroupBy::kAgency, GroupBy::kDuty, GroupBy::kMunicipality,
                           GroupBy::kCounty, GroupBy::kSector, GroupBy::kPeriod,
                           GroupBy::kFlag}) {
    SCOPED_TRACE(GroupByName(group_by));
    ExpectSameTable(loaded.Summarize(group_by, {}, LookupIn(attributes)),
                    added.Summarize(group_by, {}, LookupIn(attributes)));
  }
  for (int d = 0; d < 5; ++d) {
    const std::string id = absl::StrCat("duty-", d);
    EXPECT_EQ(loaded.DistinctYearsOf(id), added.DistinctYearsOf(id));
  }
}

}  // namespace
}  // namespace inrapport
