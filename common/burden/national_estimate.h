// A duty's national estimate with its basis and uncertainty: what the
// development arena may quote, or the reason it may not. Computed by
// stratifying the municipalities that reported by SKR's municipality group
// (docs/burden.md writes the method out); a plain value that the accounts,
// the API and the arena report carry as it is.
#ifndef INRAPPORT_COMMON_BURDEN_NATIONAL_ESTIMATE_H_
#define INRAPPORT_COMMON_BURDEN_NATIONAL_ESTIMATE_H_

#include <cstdint>
#include <string>

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
  int expected_municipalities = 0;  // that must report (290 unless listed)
  int groups_covered = 0;           // SKR groups with a reporting municipality
  int groups_expected = 0;          // SKR groups with a municipality that must report
  std::string first_period;         // the measured periods, canonical text
  std::string last_period;
  // Reports a municipality makes a year, and how that count was derived
  // ("fixed by the frequency: quarterly, 4 a year", or for ad hoc duties
  // observed from the reports), in English and Swedish.
  double reports_per_municipality_per_year = 0;
  std::string yearly_count_basis;
  std::string yearly_count_basis_sv;
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BURDEN_NATIONAL_ESTIMATE_H_
