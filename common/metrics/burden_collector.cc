#include "common/metrics/burden_collector.h"

#include <limits>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>

#include "common/domain/lifecycle.h"
#include "common/flags/flag_rules.h"

namespace inrapport {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily Family(const char* name, const char* help, MetricType type) {
  MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  return family;
}

ClientMetric Gauge(std::vector<ClientMetric::Label> labels, double value) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.gauge.value = value;
  return metric;
}

ClientMetric Counter(std::vector<ClientMetric::Label> labels, double value) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.counter.value = value;
  return metric;
}

ClientMetric HistogramMetric(const HistogramSnapshot& snapshot) {
  ClientMetric metric;
  metric.histogram.sample_count = snapshot.count;
  metric.histogram.sample_sum = snapshot.sum;
  for (size_t i = 0; i < snapshot.upper_bounds.size(); ++i) {
    metric.histogram.bucket.push_back({snapshot.cumulative_counts[i], snapshot.upper_bounds[i]});
  }
  metric.histogram.bucket.push_back(
      {snapshot.count, std::numeric_limits<double>::infinity()});
  return metric;
}

struct GroupTotals {
  int64_t reports = 0;
  int64_t minutes = 0;
};

}  // namespace

std::vector<MetricFamily> BurdenCollector::Collect() const {
  const auto duties = catalog_->Snapshot();
  const auto totals = index_->AllTotals();

  // (agency, sector, flagged) -> burden; ordered for a stable exposition.
  std::map<std::tuple<std::string, std::string, bool>, GroupTotals> groups;
  std::map<std::string, int> flagged_by_code;
  for (absl::string_view code : AllFlagCodes()) flagged_by_code[std::string(code)] = 0;
  for (const std::shared_ptr<const Duty>& duty : duties) {
    if (!NeverInForce(*duty)) {
      for (const Flag& flag : duty->flags) ++flagged_by_code[flag.code];
    }
    if (totals.find(duty->id) == totals.end()) continue;
    // A report counts as flagged when its duty was flagged for its period.
    // Summed per flag state first: a duty of weekly periods has hundreds.
    const FlaggedPeriods flagged_for(*duty);
    GroupTotals by_state[2];
    bool seen[2] = {false, false};
    for (const PeriodBurden& period : index_->PeriodsOf(duty->id)) {
      const int flagged = flagged_for(period.period) ? 1 : 0;
      seen[flagged] = true;
      by_state[flagged].reports += period.reports;
      by_state[flagged].minutes += period.minutes;
    }
    for (int flagged : {0, 1}) {
      if (!seen[flagged]) continue;
      GroupTotals& group =
          groups[{duty->agency_id, std::string(SectorName(duty->sector)), flagged == 1}];
      group.reports += by_state[flagged].reports;
      group.minutes += by_state[flagged].minutes;
    }
  }

  MetricFamily seconds = Family(
      "inrapport_measured_burden_seconds",
      "Staff time municipalities reported spending on reports, in seconds, "
      "by the duty's agency and sector and whether the duty was flagged for the "
      "report's period.",
      MetricType::Gauge);
  MetricFamily sek = Family(
      "inrapport_measured_burden_sek",
      "Measured staff time priced at the configured tariff, in SEK, by the "
      "duty's agency and sector and whether the duty was flagged for the report's "
      "period.",
      MetricType::Gauge);
  MetricFamily reports = Family(
      "inrapport_measured_reports",
      "Stored reports, by the duty's agency and sector and whether the duty "
      "was flagged for the report's period.",
      MetricType::Gauge);
  for (const auto& [key, group] : groups) {
    const auto& [agency, sector, flagged] = key;
    std::vector<ClientMetric::Label> labels = {
        {"agency", agency}, {"sector", sector}, {"flagged", flagged ? "true" : "false"}};
    seconds.metric.push_back(Gauge(labels, group.minutes * 60.0));
    sek.metric.push_back(Gauge(labels, queries_->CostSek(group.minutes)));
    reports.metric.push_back(Gauge(labels, static_cast<double>(group.reports)));
  }

  // National estimates, and recorded uses by agency; and the same per duty,
  // one series per registered duty in each family (the register is small:
  // hundreds of duties, not reports or municipalities).
  std::map<std::tuple<std::string, std::string, bool>, double> national;
  std::map<std::string, int64_t> uses_by_agency;
  MetricFamily duty_uses = Family(
      "inrapport_duty_recorded_uses",
      "Uses of a duty's data that its agency has recorded, by duty.",
      MetricType::Gauge);
  MetricFamily duty_national = Family(
      "inrapport_duty_national_estimated_cost_sek",
      "The duty's national estimate: SEK per year over every municipality that must "
      "report it, stratified by SKR municipality group (docs/burden.md). No series "
      "for a duty that is not estimable (too few municipalities or groups reported).",
      MetricType::Gauge);
  MetricFamily duty_flags = Family(
      "inrapport_duty_flags",
      "Flags the duty carries now; 0 for a duty without flags.",
      MetricType::Gauge);
  // In the accounts' own order (national cost, then minutes, then id): one
  // pass serves the per-duty families and the sums by agency.
  // A duty that is not estimable publishes no national figure: no series of
  // its own, and it is left out of the sums (counted in
  // inrapport_duties_not_estimable instead).
  int64_t not_estimable = 0;
  for (const DutyAccount& account : queries_->Accounts(AccountQuery{})) {
    std::vector<ClientMetric::Label> labels = {{"duty", account.duty_id},
                                               {"agency", account.agency_id}};
    duty_uses.metric.push_back(Gauge(labels, static_cast<double>(account.recorded_uses)));
    if (account.national.estimable) {
      duty_national.metric.push_back(Gauge(labels, account.national.cost_sek_per_year));
    }
    duty_flags.metric.push_back(
        Gauge(std::move(labels), static_cast<double>(account.flag_codes.size())));
    uses_by_agency[account.agency_id] += account.recorded_uses;
    if (!account.national.estimable) {
      ++not_estimable;
      continue;
    }
    national[{account.agency_id, std::string(SectorName(account.sector)),
              !account.flag_codes.empty()}] += account.national.cost_sek_per_year;
  }
  MetricFamily national_sek = Family(
      "inrapport_national_estimated_cost_sek",
      "Sum of the national estimates (SEK per year over every municipality that must "
      "report, stratified by SKR municipality group) of the estimable duties, by the "
      "duty's agency and sector and whether the duty is flagged now; duties that are "
      "not estimable are left out (inrapport_duties_not_estimable).",
      MetricType::Gauge);
  for (const auto& [key, value] : national) {
    const auto& [agency, sector, is_flagged] = key;
    national_sek.metric.push_back(Gauge(
        {{"agency", agency}, {"sector", sector}, {"flagged", is_flagged ? "true" : "false"}},
        value));
  }
  MetricFamily uses = Family(
      "inrapport_recorded_uses",
      "Uses of duties' data that agencies have recorded, by the duty's agency.",
      MetricType::Gauge);
  for (const auto& [agency, count] : uses_by_agency) {
    uses.metric.push_back(Gauge({{"agency", agency}}, static_cast<double>(count)));
  }

  MetricFamily registered = Family("inrapport_duties_registered",
                                   "Reporting duties in the register.",
                                   MetricType::Gauge);
  registered.metric.push_back(Gauge({}, static_cast<double>(duties.size())));
  MetricFamily not_estimable_duties = Family(
      "inrapport_duties_not_estimable",
      "Registered duties without a national estimate (too few municipalities or "
      "municipality groups reported, docs/burden.md), left out of "
      "inrapport_national_estimated_cost_sek.",
      MetricType::Gauge);
  not_estimable_duties.metric.push_back(Gauge({}, static_cast<double>(not_estimable)));
  MetricFamily flagged = Family(
      "inrapport_duties_flagged",
      "Reporting duties that carry a flag, by flag code (a duty with two "
      "flags counts under both).",
      MetricType::Gauge);
  for (const auto& [code, count] : flagged_by_code) {
    flagged.metric.push_back(Gauge({{"flag", code}}, count));
  }

  const StoreStats stats = store_->GetStats();
  MetricFamily commits = Family("inrapport_store_commits_total",
                                "Store transactions committed with reports.",
                                MetricType::Counter);
  commits.metric.push_back(Counter({}, static_cast<double>(stats.commits)));
  MetricFamily committed = Family(
      "inrapport_store_committed_reports_total",
      "Reports made durable by store commits; divided by commits it gives "
      "the reports per commit.",
      MetricType::Counter);
  committed.metric.push_back(Counter({}, static_cast<double>(stats.committed_reports)));
  MetricFamily failed = Family("inrapport_store_failed_commits_total",
                               "Store transactions that failed and were rolled back.",
                               MetricType::Counter);
  failed.metric.push_back(Counter({}, static_cast<double>(stats.failed_commits)));

  MetricFamily commit_seconds = Family(
      "inrapport_store_commit_duration_seconds",
      "Time from the start of a store transaction of reports to its durable commit "
      "(fsync included); the acknowledgements wait for it.",
      MetricType::Histogram);
  commit_seconds.metric.push_back(HistogramMetric(stats.commit_seconds));
  MetricFamily batch = Family(
      "inrapport_store_reports_per_commit",
      "Reports one store commit handled (accepted, duplicate or refused): the "
      "group-commit batch that shares one fsync.",
      MetricType::Histogram);
  batch.metric.push_back(HistogramMetric(stats.reports_per_commit));

  MetricFamily summaries = Family(
      "inrapport_burden_summaries_total",
      "Burden summaries answered: computed from the figures, or kept (the same query "
      "answered again because no report and no duty changed since).",
      MetricType::Counter);
  const SummaryCache& cache = queries_->summary_cache();
  summaries.metric.push_back(
      Counter({{"answer", "computed"}}, static_cast<double>(cache.misses())));
  summaries.metric.push_back(Counter({{"answer", "kept"}}, static_cast<double>(cache.hits())));

  std::vector<MetricFamily> families;
  families.reserve(19);
  for (MetricFamily* family :
       {&seconds, &sek, &reports, &national_sek, &uses, &duty_uses, &duty_national,
        &duty_flags, &registered, &not_estimable_duties, &flagged, &commits, &committed,
        &failed, &commit_seconds, &batch, &summaries}) {
    families.push_back(std::move(*family));
  }
  if (stats.size_bytes >= 0) {
    MetricFamily size = Family("inrapport_store_size_bytes",
                               "Size of the database file and its write-ahead log.",
                               MetricType::Gauge);
    size.metric.push_back(Gauge({}, static_cast<double>(stats.size_bytes)));
    families.push_back(std::move(size));
  }
  return families;
}

}  // namespace inrapport
