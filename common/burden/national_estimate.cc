#include "common/burden/national_estimate.h"

#include <algorithm>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace inrapport {
namespace {

// A percentile by linear interpolation between order statistics (Hyndman
// and Fan's type 7, R's default); `sorted` is not empty.
double Percentile(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const size_t lo = static_cast<size_t>(h);
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::string Plural(int64_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

}  // namespace

uint64_t StableSeed(const std::string& text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

NationalEstimate EstimateNational(const EstimateInput& input, const EstimateOptions& options) {
  NationalEstimate e;
  e.first_period = input.first_period;
  e.last_period = input.last_period;

  // x̄_m per reporting municipality, gathered by group.
  std::map<std::string, std::vector<double>> means_by_group;
  for (const EstimateInput::Measured& m : input.measured) {
    if (m.reports <= 0) continue;
    e.reports += m.reports;
    ++e.municipalities;
    means_by_group[m.group].push_back(static_cast<double>(m.minutes) /
                                      static_cast<double>(m.reports));
  }
  std::vector<std::string> uncovered;
  for (const auto& [group, n] : input.expected_per_group) {
    if (n <= 0) continue;
    e.expected_municipalities += n;
    ++e.groups_expected;
    if (auto covered = means_by_group.find(group); covered != means_by_group.end()) {
      ++e.groups_covered;
      if (covered->second.size() == 1) ++e.groups_with_one_municipality;
    } else {
      auto name = input.group_names.find(group);
      uncovered.push_back(
          name == input.group_names.end() ? group : absl::StrCat(name->second, " (", group, ")"));
    }
  }

  const int per_year = ReportsPerYear(input.frequency);
  if (per_year > 0) {
    e.reports_per_municipality_per_year = per_year;
    e.yearly_count_basis = absl::StrCat("fixed by the frequency: ", FrequencyName(input.frequency),
                                        ", ", per_year, " a year");
    e.yearly_count_basis_sv =
        absl::StrCat("given av frekvensen: ", per_year,
                     per_year == 1 ? " inrapportering" : " inrapporteringar", " per år");
  } else if (e.municipalities > 0) {
    const int years = std::max(1, input.distinct_years);
    e.reports_per_municipality_per_year =
        static_cast<double>(e.reports) / (static_cast<double>(e.municipalities) * years);
    const std::string rate = absl::StrFormat("%.2f", e.reports_per_municipality_per_year);
    e.yearly_count_basis =
        absl::StrCat("observed (ad hoc): ", Plural(e.reports, "report", "reports"), " / (",
                     Plural(e.municipalities, "municipality", "municipalities"), " x ",
                     Plural(years, "calendar year", "calendar years"), ") = ", rate, " a year");
    std::string rate_sv = rate;
    std::replace(rate_sv.begin(), rate_sv.end(), '.', ',');
    e.yearly_count_basis_sv =
        absl::StrCat("observerad (vid behov): ", e.reports,
                     e.reports == 1 ? " inrapportering" : " inrapporteringar", " / (",
                     e.municipalities, e.municipalities == 1 ? " kommun" : " kommuner", " x ",
                     years, " kalenderår) = ", rate_sv, " per år");
  } else {
    e.yearly_count_basis = "ad hoc, no reports to observe a rate from";
    e.yearly_count_basis_sv = "vid behov, inga inrapporteringar att observera takten från";
  }

  // The unit, the time basis and what was measured, in one sentence.
  const std::string periods = e.first_period == e.last_period
                                  ? absl::StrCat("period ", e.first_period)
                                  : absl::StrCat("periods ", e.first_period, "..", e.last_period);
  const std::string periods_sv =
      e.first_period == e.last_period
          ? absl::StrCat("perioden ", e.first_period)
          : absl::StrCat("perioderna ", e.first_period, "..", e.last_period);
  e.basis = absl::StrCat(
      "staff hours per year over the ", e.expected_municipalities,
      " municipalities that must report; ",
      e.reports == 0
          ? std::string("no reports measured")
          : absl::StrCat("from ", Plural(e.reports, "report", "reports"), " by ",
                         Plural(e.municipalities, "municipality", "municipalities"), " in ",
                         e.groups_covered, " of ",
                         Plural(e.groups_expected, "SKR group", "SKR groups"),
                         e.groups_with_one_municipality == 0
                             ? std::string()
                             : absl::StrCat(" (", e.groups_with_one_municipality,
                                            " of them with one municipality, which adds no "
                                            "spread to the interval)"),
                         ", ", periods),
      "; reports a year: ", e.yearly_count_basis);
  e.basis_sv = absl::StrCat(
      "arbetstimmar per år för de ", e.expected_municipalities, " kommuner som ska rapportera; ",
      e.reports == 0
          ? std::string("inga inrapporteringar uppmätta")
          : absl::StrCat("från ", e.reports,
                         e.reports == 1 ? " inrapportering" : " inrapporteringar", " av ",
                         e.municipalities, e.municipalities == 1 ? " kommun" : " kommuner", " i ",
                         e.groups_covered, " av ", e.groups_expected,
                         e.groups_expected == 1 ? " kommungrupp" : " kommungrupper",
                         e.groups_with_one_municipality == 0
                             ? std::string()
                             : absl::StrCat(" (", e.groups_with_one_municipality,
                                            " av dem med en kommun, som inte ger intervallet "
                                            "någon spridning)"),
                         ", ", periods_sv),
      "; antal per år: ", e.yearly_count_basis_sv);

  std::vector<std::string> reasons, reasons_sv;
  // A duty that fewer municipalities must report than the minimum needs
  // them all: then nothing is extrapolated.
  const int needed =
      std::max(1, std::min(options.min_municipalities, e.expected_municipalities));
  if (e.municipalities < needed) {
    reasons.push_back(absl::StrCat(Plural(e.municipalities, "municipality", "municipalities"),
                                   " of ", e.expected_municipalities, " reported; at least ",
                                   needed, needed == 1 ? " is needed" : " are needed"));
    reasons_sv.push_back(absl::StrCat(e.municipalities, " av ", e.expected_municipalities,
                                      e.expected_municipalities == 1 ? " kommun" : " kommuner",
                                      " har rapporterat; minst ", needed, " behövs"));
  }
  if (!uncovered.empty()) {
    const int missing = static_cast<int>(uncovered.size());
    reasons.push_back(absl::StrCat(missing, " of ", e.groups_expected, " municipality groups ",
                                   missing == 1 ? "has" : "have",
                                   " no reports: ", absl::StrJoin(uncovered, ", ")));
    reasons_sv.push_back(
        absl::StrCat(missing, " av ", e.groups_expected,
                     e.groups_expected == 1 ? " kommungrupp" : " kommungrupper",
                     " saknar inrapporteringar: ", absl::StrJoin(uncovered, ", ")));
  }
  if (!reasons.empty()) {
    e.not_estimable_reason = absl::StrJoin(reasons, "; ");
    e.not_estimable_reason_sv = absl::StrJoin(reasons_sv, "; ");
    return e;
  }

  // The strata in group order: N_g and the x̄_m of the group's reporting
  // municipalities (every stratum has some, or the duty is not estimable).
  struct Stratum {
    double expected;
    const std::vector<double>* means;
  };
  std::vector<Stratum> strata;
  for (const auto& [group, n] : input.expected_per_group) {
    if (n > 0) strata.push_back({static_cast<double>(n), &means_by_group.at(group)});
  }
  const double rate = e.reports_per_municipality_per_year;

  // Point estimate: r x sum_g N_g x ȳ_g minutes a year.
  double minutes = 0;
  for (const Stratum& stratum : strata) {
    double group_sum = 0;
    for (double x : *stratum.means) group_sum += x;
    minutes += stratum.expected * (group_sum / static_cast<double>(stratum.means->size()));
  }
  e.estimable = true;
  e.hours_per_year = minutes * rate / 60.0;

  // Stratified bootstrap: each group's n_g municipalities drawn with
  // replacement from themselves, in group order. mt19937_64 is specified by
  // the standard, and the draw is a plain modulo (std::uniform_int_distribution
  // differs between standard libraries), so every machine draws the same
  // samples.
  std::mt19937_64 rng(StableSeed(input.duty_id));
  std::vector<double> totals;
  totals.reserve(std::max(options.resamples, 1));
  for (int b = 0; b < options.resamples; ++b) {
    double resampled = 0;
    for (const Stratum& stratum : strata) {
      const std::vector<double>& means = *stratum.means;
      const uint64_t n = means.size();
      double group_sum = 0;
      for (uint64_t i = 0; i < n; ++i) group_sum += means[rng() % n];
      resampled += stratum.expected * (group_sum / static_cast<double>(n));
    }
    totals.push_back(resampled * rate / 60.0);
  }
  if (totals.empty()) totals.push_back(e.hours_per_year);
  std::sort(totals.begin(), totals.end());
  e.hours_per_year_low = Percentile(totals, 0.05);
  e.hours_per_year_high = Percentile(totals, 0.95);
  e.cost_sek_per_year = e.hours_per_year * options.tariff_sek_per_hour;
  e.cost_sek_per_year_low = e.hours_per_year_low * options.tariff_sek_per_hour;
  e.cost_sek_per_year_high = e.hours_per_year_high * options.tariff_sek_per_hour;
  return e;
}

}  // namespace inrapport
