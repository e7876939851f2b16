// A duty's national estimate with its basis and uncertainty: what the
// development arena may quote, or the reason it may not. Computed by
// stratifying the municipalities that reported by SKR's municipality group
// (docs/burden.md writes the method out); a plain value that the accounts,
// the API and the arena report carry as it is.
#ifndef INRAPPORT_COMMON_BURDEN_NATIONAL_ESTIMATE_H_
#define INRAPPORT_COMMON_BURDEN_NATIONAL_ESTIMATE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/domain/types.h"

namespace inrapport {

struct NationalEstimate {
  // False when the basis is too thin to extrapolate; the figures below are
  // then 0 and `not_estimable_reason` says why (in English and Swedish).
  bool estimable = false;
  std::string not_estimable_reason;
  std::string not_estimable_reason_sv;

  // Staff hours a year over every municipality expected to report the
  // duty, with a seeded, reproducible 90 % bootstrap interval over the
  // reporting municipalities (resampled within their groups); the cost is
  // the hours at the tariff.
  double hours_per_year = 0;
  double hours_per_year_low = 0;
  double hours_per_year_high = 0;
  double cost_sek_per_year = 0;
  double cost_sek_per_year_low = 0;
  double cost_sek_per_year_high = 0;

  // The basis: what was measured, and over what.
  int64_t reports = 0;
  int municipalities = 0;           // that reported
  int expected_municipalities = 0;  // that must report (all 290 for now)
  int groups_covered = 0;           // SKR groups with a reporting municipality
  int groups_expected = 0;          // SKR groups with a municipality that must report
  // Covered groups with a single reporting municipality: their resample is
  // always that municipality, so they add nothing to the interval's spread
  // (the interval is too narrow when many groups rest on one).
  int groups_with_one_municipality = 0;
  std::string first_period;         // the measured periods, canonical text
  std::string last_period;
  // Reports a municipality makes a year, and how that count was derived
  // ("fixed by the frequency: quarterly, 4 a year", or for ad hoc duties
  // observed from the reports), in English and Swedish.
  double reports_per_municipality_per_year = 0;
  std::string yearly_count_basis;
  std::string yearly_count_basis_sv;
  // The unit, the time basis and the basis in one sentence, for a reader
  // who sees the figure alone, in English and Swedish: "staff hours per
  // year over the 290 municipalities that must report; from 17 reports by
  // 6 municipalities in 3 of 9 SKR groups, periods 2025Q1..2025Q2; reports
  // a year: fixed by the frequency: quarterly, 4 a year"), with a note when
  // groups rest on one municipality.
  std::string basis;
  std::string basis_sv;
};

// What the estimate is computed from, in plain values (no index, no
// catalogue), so that it can be checked by hand.
struct EstimateInput {
  std::string duty_id;  // seeds the bootstrap
  Frequency frequency = Frequency::kUnspecified;
  // N_g: municipalities that must report the duty, per SKR group code.
  std::map<std::string, int> expected_per_group;
  // The group names for reasons ("Storstäder"); a code without a name is
  // shown as the code alone.
  std::map<std::string, std::string> group_names;
  // The municipalities that must report and did, with their totals.
  struct Measured {
    std::string code;
    std::string group;  // SKR group code
    int64_t reports = 0;
    int64_t minutes = 0;
  };
  std::vector<Measured> measured;
  // Distinct calendar years of the measured periods (ad hoc duties only).
  int distinct_years = 0;
  std::string first_period;
  std::string last_period;
};

struct EstimateOptions {
  // Fewer reporting municipalities than this: not estimable.
  int min_municipalities = 5;
  int resamples = 1000;
  double tariff_sek_per_hour = 0;
};

inline constexpr int kDefaultEstimateMinMunicipalities = 5;

// The stratified estimate (docs/burden.md): minutes a year =
// r x sum over groups of N_g x (mean over the group's reporting
// municipalities of their mean minutes per report), with a 90 % interval
// from a stratified bootstrap seeded by StableSeed(duty_id). Deterministic:
// the same input gives the same figures on every machine.
NationalEstimate EstimateNational(const EstimateInput& input, const EstimateOptions& options);

// FNV-1a, 64 bits: a hash that does not change between builds or machines.
uint64_t StableSeed(const std::string& text);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BURDEN_NATIONAL_ESTIMATE_H_
