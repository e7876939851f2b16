// The Standard Cost Model account of one duty, measured: what its reports
// cost the municipalities that sent them, and the stratified estimate of
// what it costs every municipality that must report it.
#ifndef INRAPPORT_COMMON_BURDEN_DUTY_ACCOUNT_H_
#define INRAPPORT_COMMON_BURDEN_DUTY_ACCOUNT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/burden/national_estimate.h"
#include "common/domain/types.h"

namespace inrapport {

// Every figure can be redone by hand from the others and the tariff
// (docs/burden.md writes the arithmetic out):
//   hours        = minutes / 60
//   cost_sek     = hours x tariff
//   national_hours    = national.hours_per_year (0 when not estimable)
//   national_cost_sek = national_hours x tariff
struct DutyAccount {
  std::string duty_id;
  std::string agency_id;
  std::string title;
  Sector sector = Sector::kUnspecified;
  Frequency frequency = Frequency::kUnspecified;

  // Measured, from the stored reports.
  int64_t reports = 0;
  int municipalities = 0;  // distinct municipalities that reported it
  int64_t minutes = 0;
  std::optional<double> median_minutes;  // nullopt without reports
  double hours = 0;
  double cost_sek = 0;

  // The agency's own estimate of minutes per report; 0 if none.
  double estimated_minutes_per_report = 0;

  // National estimate. Reports a municipality makes a year: fixed by the
  // frequency (annual 1, semiannual 2, quarterly 4, monthly 12, weekly 52);
  // for ad hoc duties observed: reports / (municipalities x distinct
  // calendar years of their periods), 0 while an ad hoc duty has no
  // reports (national.reports_per_municipality_per_year, copied).
  double reports_per_municipality_per_year = 0;
  // Staff hours and SEK per year over every municipality that must report
  // the duty: national.hours_per_year and national.cost_sek_per_year, 0
  // when it is not estimable.
  double national_hours = 0;
  double national_cost_sek = 0;
  // The stratified estimate with its interval and basis, or the reason
  // there is none; the figures above are copied from it.
  NationalEstimate national;

  int64_t recorded_uses = 0;
  std::vector<std::string> flag_codes;  // sorted
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BURDEN_DUTY_ACCOUNT_H_
