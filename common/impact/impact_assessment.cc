// The method, written out with a worked example in docs/lifecycle.md ("The
// impact assessment of a proposal"):
//
// 1. The flags are the proposal's catalogue flags, copied as they are.
// 2. A duty in force is comparable when it has the proposal's sector and
//    frequency, at least one measured report, and a Jaccard similarity of
//    data items |A ∩ B| / |A ∪ B| >= min_similarity, the items compared as
//    NormalizeDataItem gives them (blanks dropped; two empty sets: 0).
//    Most similar first, then by duty id.
// 3. The comparables' measured reports are pooled per municipality (the
//    reports and minutes of one municipality summed over the comparables,
//    so that it counts once in its group's mean) and estimated exactly as a
//    duty in force is (EstimateNational, docs/burden.md), seeded with the
//    proposal's id, with the proposal's frequency and respondents. Minutes
//    per report = hours x 60 / (r x N), N the municipalities that would
//    report; per group, hours = r x N_g x ȳ_g / 60, so the groups add up to
//    the whole.
// 4. Without a comparable, or when the comparables' estimate is not
//    estimable, the agency's own estimate of minutes per report stands in,
//    marked as such: hours = minutes x r x N / 60, with no interval. An ad
//    hoc duty has no r to multiply by, so its estimate cannot be made yearly.
// 5. Otherwise there is no forecast, and the basis says why.
#include "common/impact/impact_assessment.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/flags/overlaps.h"

namespace inrapport {
namespace {

std::set<std::string> NormalizedItems(const std::vector<std::string>& items) {
  std::set<std::string> normalized;
  for (const std::string& item : items) {
    std::string n = NormalizeDataItem(item);
    if (!n.empty()) normalized.insert(std::move(n));
  }
  return normalized;
}

std::string Plural(int64_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

// A figure as a person writes it: "45", "12.5" (six significant digits at
// most); Swedish with a decimal comma.
std::string Figure(double x) { return absl::StrCat(x); }
std::string FigureSv(double x) {
  std::string text = absl::StrCat(x);
  std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

// "staff hours per year over the 53 municipalities that would report": the
// unit every forecast sentence begins with.
std::string Unit(int expected) {
  return absl::StrCat("staff hours per year over the ",
                      expected == 1 ? "1 municipality" : absl::StrCat(expected, " municipalities"),
                      " that would report");
}
std::string UnitSv(int expected) {
  return absl::StrCat("personaltimmar per år i ", expected == 1 ? "den" : "de", " ", expected,
                      expected == 1 ? " kommun" : " kommuner", " som skulle rapportera");
}

// "1 comparable duty in force (skv-x)", "2 comparable duties in force (a, b)".
std::string ComparablesText(const std::vector<ComparableDuty>& comparables,
                            const std::string& ids) {
  return absl::StrCat(comparables.size() == 1
                          ? "1 comparable duty in force"
                          : absl::StrCat(comparables.size(), " comparable duties in force"),
                      " (", ids, ")");
}
std::string ComparablesTextSv(const std::vector<ComparableDuty>& comparables,
                              const std::string& ids) {
  return absl::StrCat(comparables.size(),
                      comparables.size() == 1 ? " jämförbart gällande uppgiftskrav"
                                              : " jämförbara gällande uppgiftskrav",
                      " (", ids, ")");
}

constexpr absl::string_view kNoComparable =
    "no duty in force of the same sector and frequency with similar data items has measured "
    "reports";
constexpr absl::string_view kNoComparableSv =
    "inget gällande uppgiftskrav inom samma sektor, med samma frekvens och med liknande "
    "uppgifter har uppmätta inrapporteringar";

}  // namespace

ImpactAssessment AssessImpact(const ImpactInput& input, const ImpactOptions& options) {
  ImpactAssessment assessment;
  assessment.flags = input.proposal.flags;
  BurdenForecast& forecast = assessment.forecast;
  const Duty& proposal = input.proposal;

  int expected = 0;  // N: every municipality that would report
  for (const auto& [group, n] : input.expected_per_group) {
    if (n > 0) expected += n;
  }

  // 2. The comparable duties, each with its own measured figures.
  const std::set<std::string> proposal_items = NormalizedItems(proposal.data_items);
  std::vector<std::pair<ComparableDuty, const ImpactCandidate*>> found;
  for (const ImpactCandidate& candidate : input.in_force) {
    if (candidate.sector != proposal.sector || candidate.frequency != proposal.frequency) continue;
    ComparableDuty c;
    c.duty_id = candidate.duty_id;
    c.agency_id = candidate.agency_id;
    c.title = candidate.title;
    int64_t minutes = 0;
    for (const EstimateInput::Measured& m : candidate.measured) {
      if (m.reports <= 0) continue;  // as EstimateNational: nothing measured
      c.reports += m.reports;
      minutes += m.minutes;
      ++c.municipalities;
    }
    if (c.reports == 0) continue;
    const std::set<std::string> items = NormalizedItems(candidate.data_items);
    std::set_intersection(proposal_items.begin(), proposal_items.end(), items.begin(), items.end(),
                          std::back_inserter(c.shared_items));
    const size_t union_size = proposal_items.size() + items.size() - c.shared_items.size();
    c.similarity = union_size == 0 ? 0.0
                                   : static_cast<double>(c.shared_items.size()) /
                                         static_cast<double>(union_size);
    if (c.similarity < options.min_similarity) continue;
    c.minutes_per_report = static_cast<double>(minutes) / static_cast<double>(c.reports);
    found.emplace_back(std::move(c), &candidate);
  }
  // Equal ratios of integers divide to the same double, so ties are exact.
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    if (a.first.similarity != b.first.similarity) return a.first.similarity > b.first.similarity;
    return a.first.duty_id < b.first.duty_id;
  });
  std::vector<const ImpactCandidate*> comparable_candidates;
  for (auto& [comparable, candidate] : found) {
    forecast.comparables.push_back(std::move(comparable));
    comparable_candidates.push_back(candidate);
  }

  // 3. Their reports pooled per municipality: one municipality that
  // reported two comparables is one municipality of its group, with the
  // reports and minutes of both.
  std::map<std::string, EstimateInput::Measured> pooled;
  EstimateInput estimate_input;
  estimate_input.duty_id = proposal.id;
  estimate_input.frequency = proposal.frequency;
  estimate_input.expected_per_group = input.expected_per_group;
  estimate_input.group_names = input.group_names;
  for (const ImpactCandidate* candidate : comparable_candidates) {
    for (const EstimateInput::Measured& m : candidate->measured) {
      if (m.reports <= 0) continue;
      auto [it, inserted] = pooled.try_emplace(m.code, m);
      if (!inserted) {
        it->second.reports += m.reports;
        it->second.minutes += m.minutes;
      }
    }
    estimate_input.distinct_years =
        std::max(estimate_input.distinct_years, candidate->distinct_years);
    // Canonical period text sorts as the periods do.
    if (!candidate->first_period.empty() &&
        (estimate_input.first_period.empty() ||
         candidate->first_period < estimate_input.first_period)) {
      estimate_input.first_period = candidate->first_period;
    }
    if (candidate->last_period > estimate_input.last_period) {
      estimate_input.last_period = candidate->last_period;
    }
  }
  for (const auto& [code, m] : pooled) {
    estimate_input.measured.push_back(m);
    forecast.reports += m.reports;
    ++forecast.municipalities;
  }

  std::vector<std::string> ids;
  for (const ComparableDuty& c : forecast.comparables) ids.push_back(c.duty_id);
  const std::string id_list = absl::StrJoin(ids, ", ");

  // Why no measured basis was used, for the fallbacks below.
  std::string why = std::string(kNoComparable);
  std::string why_sv = std::string(kNoComparableSv);
  if (!forecast.comparables.empty()) {
    const NationalEstimate e = EstimateNational(estimate_input, options.estimate);
    if (e.estimable) {
      forecast.source = BurdenForecast::Source::kComparableDuties;
      forecast.hours_per_year = e.hours_per_year;
      forecast.hours_per_year_low = e.hours_per_year_low;
      forecast.hours_per_year_high = e.hours_per_year_high;
      forecast.cost_sek_per_year = e.cost_sek_per_year;
      forecast.cost_sek_per_year_low = e.cost_sek_per_year_low;
      forecast.cost_sek_per_year_high = e.cost_sek_per_year_high;
      const double r = e.reports_per_municipality_per_year;
      forecast.reports_per_municipality_per_year = r;
      const double reports_a_year = r * static_cast<double>(expected);
      if (reports_a_year > 0) {
        forecast.minutes_per_report = e.hours_per_year * 60.0 / reports_a_year;
        forecast.minutes_per_report_low = e.hours_per_year_low * 60.0 / reports_a_year;
        forecast.minutes_per_report_high = e.hours_per_year_high * 60.0 / reports_a_year;
      }
      // Per group, the same arithmetic as the estimate's point, so that the
      // groups add up to hours_per_year.
      for (const auto& [group, n] : input.expected_per_group) {
        if (n <= 0) continue;
        GroupForecast g;
        g.group = group;
        if (auto name = input.group_names.find(group); name != input.group_names.end()) {
          g.name = name->second;
        }
        g.expected_municipalities = n;
        double sum_of_means = 0;
        for (const auto& [code, m] : pooled) {
          if (m.group != group) continue;
          ++g.measured_municipalities;
          g.reports += m.reports;
          sum_of_means += static_cast<double>(m.minutes) / static_cast<double>(m.reports);
        }
        if (g.measured_municipalities > 0) {
          g.minutes_per_report = sum_of_means / g.measured_municipalities;
          g.hours_per_year = r * n * g.minutes_per_report / 60.0;
        }
        forecast.by_group.push_back(std::move(g));
      }
      forecast.basis =
          absl::StrCat(Unit(expected), "; from ", Plural(forecast.reports, "report", "reports"),
                       " by ", Plural(forecast.municipalities, "municipality", "municipalities"),
                       " of ", ComparablesText(forecast.comparables, id_list),
                       "; estimated as for a duty in force: ", e.basis);
      forecast.basis_sv = absl::StrCat(
          UnitSv(expected), "; från ", forecast.reports,
          forecast.reports == 1 ? " inrapportering" : " inrapporteringar", " av ",
          forecast.municipalities, forecast.municipalities == 1 ? " kommun" : " kommuner", " för ",
          ComparablesTextSv(forecast.comparables, id_list),
          "; skattat som för ett gällande uppgiftskrav: ", e.basis_sv);
      return assessment;
    }
    why = absl::StrCat("the reports of the ", ComparablesText(forecast.comparables, id_list),
                       " are too thin a basis: ", e.not_estimable_reason);
    why_sv =
        absl::StrCat("inrapporteringarna för ", ComparablesTextSv(forecast.comparables, id_list),
                     " är för tunt underlag: ", e.not_estimable_reason_sv);
  }

  // 4. The agency's own estimate, marked as such.
  const double estimate = proposal.estimated_minutes_per_report;
  const int per_year = ReportsPerYear(proposal.frequency);
  if (estimate > 0 && per_year > 0) {
    forecast.source = BurdenForecast::Source::kAgencyEstimate;
    forecast.minutes_per_report = estimate;
    forecast.minutes_per_report_low = estimate;
    forecast.minutes_per_report_high = estimate;
    forecast.reports_per_municipality_per_year = per_year;
    forecast.hours_per_year = estimate * per_year * expected / 60.0;
    forecast.hours_per_year_low = forecast.hours_per_year;
    forecast.hours_per_year_high = forecast.hours_per_year;
    forecast.cost_sek_per_year = forecast.hours_per_year * options.estimate.tariff_sek_per_hour;
    forecast.cost_sek_per_year_low = forecast.cost_sek_per_year;
    forecast.cost_sek_per_year_high = forecast.cost_sek_per_year;
    for (const auto& [group, n] : input.expected_per_group) {
      if (n <= 0) continue;
      GroupForecast g;
      g.group = group;
      if (auto name = input.group_names.find(group); name != input.group_names.end()) {
        g.name = name->second;
      }
      g.expected_municipalities = n;
      g.minutes_per_report = estimate;
      g.hours_per_year = estimate * per_year * n / 60.0;
      forecast.by_group.push_back(std::move(g));
    }
    forecast.basis =
        absl::StrCat(Unit(expected), "; the agency's own estimate of ", Figure(estimate),
                     " minutes a report, ", Plural(per_year, "report", "reports"), " a year (",
                     FrequencyName(proposal.frequency), "), not measured: ", why);
    forecast.basis_sv = absl::StrCat(UnitSv(expected), "; myndighetens egen uppskattning på ",
                                     FigureSv(estimate), " minuter per inrapportering, ", per_year,
                                     per_year == 1 ? " inrapportering" : " inrapporteringar",
                                     " per år, inte uppmätt: ", why_sv);
    return assessment;
  }

  // 5. No forecast: say why.
  std::string missing, missing_sv;
  if (estimate <= 0) {
    missing = "the agency gave no estimate of the minutes a report takes";
    missing_sv = "myndigheten har inte uppskattat hur många minuter en inrapportering tar";
  } else {
    missing = absl::StrCat("the agency's estimate of ", Figure(estimate),
                           " minutes a report cannot be made yearly: the frequency ",
                           FrequencyName(proposal.frequency), " fixes no number of reports a year");
    missing_sv =
        absl::StrCat("myndighetens uppskattning på ", FigureSv(estimate),
                     " minuter per inrapportering kan inte räknas om per år: frekvensen ",
                     FrequencyName(proposal.frequency), " ger inget antal inrapporteringar per år");
  }
  forecast.basis = absl::StrCat("not estimable: ", why, "; ", missing);
  forecast.basis_sv = absl::StrCat("kan inte skattas: ", why_sv, "; ", missing_sv);
  return assessment;
}

RecordedForecast RecordOf(const BurdenForecast& forecast) {
  RecordedForecast record;
  record.minutes_per_report = forecast.minutes_per_report;
  record.minutes_per_report_low = forecast.minutes_per_report_low;
  record.minutes_per_report_high = forecast.minutes_per_report_high;
  record.hours_per_year = forecast.hours_per_year;
  record.hours_per_year_low = forecast.hours_per_year_low;
  record.hours_per_year_high = forecast.hours_per_year_high;
  record.agency_estimate = forecast.source == BurdenForecast::Source::kAgencyEstimate;
  record.basis = forecast.basis;
  return record;
}

}  // namespace inrapport
