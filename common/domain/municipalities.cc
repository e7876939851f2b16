#include "common/domain/municipalities.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace inrapport {
namespace internal {
extern const char kMunicipalitiesCsv[];
extern const char kCountiesCsv[];
extern const char kPopulationCsv[];
extern const char kGroupsCsv[];
}  // namespace internal

namespace {

// The embedded files are simple CSV (no quoted fields); a malformed row is a
// build defect, so it stops the program rather than being reported.
[[noreturn]] void Malformed(absl::string_view what, absl::string_view line) {
  std::fprintf(stderr, "inrapport: embedded %.*s data is malformed at: %.*s\n",
               static_cast<int>(what.size()), what.data(),
               static_cast<int>(line.size()), line.data());
  std::abort();
}

std::vector<std::vector<std::string>> Rows(absl::string_view csv, size_t columns,
                                           absl::string_view what) {
  std::vector<std::vector<std::string>> rows;
  bool header = true;
  for (absl::string_view line : absl::StrSplit(csv, '\n', absl::SkipWhitespace())) {
    line = absl::StripSuffix(line, "\r");
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    if (fields.size() != columns) Malformed(what, line);
    rows.push_back(std::move(fields));
  }
  return rows;
}

}  // namespace

const Municipalities& Municipalities::Official() {
  static const Municipalities* official = [] {
    auto* m = new Municipalities();
    // county_code,county_name,county_name_short
    for (auto& row : Rows(internal::kCountiesCsv, 3, "county")) {
      m->counties_.push_back({row[0], row[1]});
    }
    std::sort(m->counties_.begin(), m->counties_.end(),
              [](const County& a, const County& b) { return a.code < b.code; });
    // municipality_code,municipality_name,municipality_name_short,
    // county_code,county_name,county_name_short
    for (auto& row : Rows(internal::kMunicipalitiesCsv, 6, "municipality")) {
      if (row[0].size() != 4 || row[0].compare(0, 2, row[3]) != 0) {
        Malformed("municipality", row[0]);
      }
      Municipality municipality;
      municipality.code = row[0];
      municipality.name = row[2];
      municipality.county_code = row[3];
      municipality.county_name = row[4];
      m->municipalities_.push_back(std::move(municipality));
    }
    std::sort(m->municipalities_.begin(), m->municipalities_.end(),
              [](const Municipality& a, const Municipality& b) { return a.code < b.code; });
    for (size_t i = 0; i < m->municipalities_.size(); ++i) {
      m->municipalities_[i].index = static_cast<int>(i);
    }
    // municipality_code,population,year
    for (auto& row : Rows(internal::kPopulationCsv, 3, "population")) {
      auto* found = const_cast<Municipality*>(m->Find(row[0]));
      int64_t population = 0;
      if (found == nullptr || !absl::SimpleAtoi(row[1], &population) || population <= 0) {
        Malformed("population", row[0]);
      }
      found->population = population;
    }
    // municipality_code,skr_group,skr_group_name,skr_main_group,skr_main_group_name
    for (auto& row : Rows(internal::kGroupsCsv, 5, "municipality group")) {
      auto* found = const_cast<Municipality*>(m->Find(row[0]));
      if (found == nullptr || row[1].size() != 2 || row[1].compare(0, 1, row[3]) != 0) {
        Malformed("municipality group", row[0]);
      }
      found->group = row[1];
      found->group_name = row[2];
      found->main_group = row[3];
      if (m->FindGroup(row[1]) == nullptr) {
        m->groups_.push_back({row[1], row[2], 0});
        std::sort(m->groups_.begin(), m->groups_.end(),
                  [](const MunicipalityGroup& a, const MunicipalityGroup& b) {
                    return a.code < b.code;
                  });
      }
    }
    for (size_t i = 0; i < m->groups_.size(); ++i) {
      m->groups_[i].index = static_cast<int>(i);
    }
    // Every municipality needs both, or estimates would silently skip it.
    for (const Municipality& each : m->municipalities_) {
      if (each.population == 0 || each.group.empty()) Malformed("municipality", each.code);
    }
    return m;
  }();
  return *official;
}

const Municipality* Municipalities::Find(absl::string_view code) const {
  auto it = std::lower_bound(
      municipalities_.begin(), municipalities_.end(), code,
      [](const Municipality& m, absl::string_view c) { return m.code < c; });
  return it != municipalities_.end() && it->code == code ? &*it : nullptr;
}

const MunicipalityGroup* Municipalities::FindGroup(absl::string_view code) const {
  for (const MunicipalityGroup& g : groups_) {
    if (g.code == code) return &g;
  }
  return nullptr;
}

const County* Municipalities::FindCounty(absl::string_view code) const {
  auto it = std::lower_bound(
      counties_.begin(), counties_.end(), code,
      [](const County& county, absl::string_view c) { return county.code < c; });
  return it != counties_.end() && it->code == code ? &*it : nullptr;
}

}  // namespace inrapport
