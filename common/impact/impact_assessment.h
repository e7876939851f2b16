// The impact assessment of a proposed duty: what it would be flagged for,
// and a forecast of the burden it would put on the municipalities, taken
// from the measured reports of comparable duties in force (or, when there
// are none, the agency's own estimate, marked as such). Plain values in,
// plain values out, so that the arithmetic can be checked by hand
// (docs/lifecycle.md writes it out).
#ifndef INRAPPORT_COMMON_IMPACT_IMPACT_ASSESSMENT_H_
#define INRAPPORT_COMMON_IMPACT_IMPACT_ASSESSMENT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/burden/national_estimate.h"
#include "common/domain/lifecycle.h"
#include "common/domain/types.h"

namespace inrapport {

// A duty in force that might be comparable, with what was measured of it.
struct ImpactCandidate {
  std::string duty_id;
  std::string agency_id;
  std::string title;
  Sector sector = Sector::kUnspecified;
  Frequency frequency = Frequency::kUnspecified;
  std::vector<std::string> data_items;
  // Per municipality that reported it: code, SKR group, reports, minutes.
  std::vector<EstimateInput::Measured> measured;
  int distinct_years = 0;  // of its measured periods (ad hoc duties)
  std::string first_period;
  std::string last_period;
};

struct ImpactInput {
  // The proposal, with its catalogue flags already evaluated against the
  // duties in force (the catalogue's rules: no purpose, boilerplate purpose,
  // no legal basis, data items another agency's duty asks for, targeted
  // grant re-reporting).
  Duty proposal;
  std::vector<ImpactCandidate> in_force;  // every other duty in force
  // N_g: the municipalities that would have to report the proposal, per
  // SKR group code, and the groups' names.
  std::map<std::string, int> expected_per_group;
  std::map<std::string, std::string> group_names;
};

struct ImpactOptions {
  // A candidate of the proposal's sector and frequency is comparable when
  // the Jaccard similarity of the two duties' data items (as compared by
  // NormalizeDataItem) is at least this.
  double min_similarity = 0.25;
  // The national estimate's options (minimum municipalities, resamples,
  // tariff), as for the duties in force.
  EstimateOptions estimate;
};

// A duty found comparable, and what its reports weigh in the forecast.
struct ComparableDuty {
  std::string duty_id;
  std::string agency_id;
  std::string title;
  double similarity = 0;                  // Jaccard, 0..1
  std::vector<std::string> shared_items;  // normalised, sorted
  int64_t reports = 0;
  int municipalities = 0;
  double minutes_per_report = 0;  // its own mean
};

// The forecast for one SKR municipality group.
struct GroupForecast {
  std::string group;  // SKR group code
  std::string name;
  int expected_municipalities = 0;  // N_g
  int measured_municipalities = 0;  // that reported a comparable duty
  int64_t reports = 0;
  // From comparable duties: the mean over the group's measured
  // municipalities of their own mean (0 if none); from the agency's
  // estimate: the estimate.
  double minutes_per_report = 0;
  double hours_per_year = 0;  // r x N_g x minutes_per_report / 60
};

struct BurdenForecast {
  enum class Source {
    kComparableDuties,  // measured reports of comparable duties in force
    kAgencyEstimate,    // the agency's own estimate: nothing comparable was measured
    kNotEstimable,      // neither: the reason says why
  };
  Source source = Source::kNotEstimable;
  // Listed whatever the source (the agency's estimate may stand in for
  // comparables too thin to estimate from).
  std::vector<ComparableDuty> comparables;  // most similar first, then by id
  int64_t reports = 0;                      // of the comparables, pooled
  int municipalities = 0;                   // that reported a comparable, each once
  // Staff minutes one report would take, with a 90 % interval (the agency
  // estimate has none: low = high = the estimate).
  double minutes_per_report = 0;
  double minutes_per_report_low = 0;
  double minutes_per_report_high = 0;
  // Over every municipality that would have to report, a year.
  double hours_per_year = 0;
  double hours_per_year_low = 0;
  double hours_per_year_high = 0;
  double cost_sek_per_year = 0;
  double cost_sek_per_year_low = 0;
  double cost_sek_per_year_high = 0;
  double reports_per_municipality_per_year = 0;
  // Every group with N_g > 0, by code; empty when not estimable.
  std::vector<GroupForecast> by_group;
  // One sentence each: the unit, the source, which duties and how many
  // reports; or why there is no forecast. English and Swedish.
  std::string basis;
  std::string basis_sv;
};

struct ImpactAssessment {
  std::vector<Flag> flags;  // the proposal's catalogue flags, as it would have them
  BurdenForecast forecast;
};

// Pure and deterministic (the interval's bootstrap is seeded with the
// proposal's id): the same input gives the same assessment.
ImpactAssessment AssessImpact(const ImpactInput& input, const ImpactOptions& options);

// What a decision keeps of a forecast.
RecordedForecast RecordOf(const BurdenForecast& forecast);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_IMPACT_IMPACT_ASSESSMENT_H_
