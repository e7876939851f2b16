#include "common/aggregates/aggregates.h"

#include <algorithm>
#include <utility>

#include "common/base/status_macros.h"

namespace inrapport {

absl::StatusOr<std::unique_ptr<Aggregates>> Aggregates::Load(Store& store) {
  std::unique_ptr<Aggregates> aggregates(new Aggregates());
  Aggregates& a = *aggregates;
  ASSIGN_OR_RETURN(std::vector<DutyUse> uses, store.LoadUses());
  absl::MutexLock lock(&a.mu_);
  // The burden cells once, for the index and the statistics' periods. They
  // usually come ordered by duty (SQLite's key order): a duty's statistics
  // are looked up only when the duty changes.
  const std::string* duty_id = nullptr;
  DutyStats* stats = nullptr;
  RETURN_IF_ERROR(a.index_.LoadFrom(
      store, [&a, &duty_id, &stats](const BurdenCell& cell, const Period& period)
                 ABSL_NO_THREAD_SAFETY_ANALYSIS {
                   if (duty_id == nullptr || *duty_id != cell.duty_id) {
                     auto it = a.stats_.try_emplace(cell.duty_id).first;
                     duty_id = &it->first;
                     stats = &it->second;
                   }
                   stats->AddPeriod(period, cell.period, cell.reports);  // canonical text
                 }));
  RETURN_IF_ERROR(store.ForEachAnswerCell([&a](const AnswerCell& cell)
                                              ABSL_NO_THREAD_SAFETY_ANALYSIS {
    a.stats_[cell.duty_id].AddAnswers(cell.minutes, cell.usefulness, cell.feedback, cell.reports,
                                      cell.elsewhere, cell.period);
  }));
  for (const DutyUse& use : uses) a.stats_[use.duty_id].AddUse(use);
  return aggregates;
}

void Aggregates::AddReports(const std::vector<const Report*>& reports,
                            const std::vector<int64_t>& received_at_unix) {
  if (reports.empty()) return;
  index_.AddReports(reports, received_at_unix);
  std::vector<std::string> changed;
  {
    absl::MutexLock lock(&mu_);
    for (const Report* report : reports) {
      stats_[report->duty_id].AddReport(*report);
      if (changed.empty() || changed.back() != report->duty_id) {
        changed.push_back(report->duty_id);
      }
    }
  }
  // The reports of a batch mostly share few duties: each is named once.
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  absl::MutexLock lock(&listener_mu_);
  if (listener_) listener_(changed);
}

void Aggregates::ReviseReports(const std::vector<ReportRevision>& revisions) {
  if (revisions.empty()) return;
  std::vector<std::string> changed;
  index_.ReviseReports(revisions);
  {
    absl::MutexLock lock(&mu_);
    for (const ReportRevision& revision : revisions) {
      stats_[revision.before.duty_id].RemoveReport(revision.before);
      changed.push_back(revision.before.duty_id);
    }
    for (const ReportRevision& revision : revisions) {
      if (!revision.after.has_value()) continue;
      stats_[revision.after->duty_id].AddReport(*revision.after);
      changed.push_back(revision.after->duty_id);
    }
  }
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  absl::MutexLock lock(&listener_mu_);
  if (listener_) listener_(changed);
}

void Aggregates::AddUse(const DutyUse& use) {
  absl::MutexLock lock(&mu_);
  stats_[use.duty_id].AddUse(use);
}

void Aggregates::SetListener(ChangedDuties listener) {
  absl::MutexLock lock(&listener_mu_);
  listener_ = std::move(listener);
}

void Aggregates::ReadStats(absl::string_view duty_id,
                           absl::FunctionRef<void(const DutyStats*)> read) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = stats_.find(duty_id);
  read(it == stats_.end() ? nullptr : &it->second);
}

DutyFigures Aggregates::FiguresOf(absl::string_view duty_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = stats_.find(duty_id);
  if (it == stats_.end()) return {};
  const DutyStats& stats = it->second;
  return {stats.reports(), stats.minutes(), stats.MedianMinutes(), stats.uses()};
}

}  // namespace inrapport
