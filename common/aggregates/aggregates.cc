#include "common/aggregates/aggregates.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/byte_file.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"

namespace inrapport {

namespace {

// What a snapshot begins with; the number after it is the format's
// version, raised whenever what follows changes.
constexpr absl::string_view kSnapshotMagic = "inrapport-aggregates\n";
constexpr uint64_t kSnapshotFormat = 3;
// After a start that added this many reports to a snapshot, or a tenth of
// those it held, a new one is written, so that crashes one after another
// do not make starts longer.
constexpr int64_t kRewriteAfterReports = 100000;
// Reports are added to the figures in batches of this many.
constexpr int kTailBatch = 4096;

// What identifies the report a snapshot ends with.
std::string Fingerprint(const StoredReport& stored) {
  return absl::StrCat(stored.report.municipality_code, "/", stored.report.submission_id, "/",
                      stored.receipt.received_at_unix);
}

std::string Seconds(absl::Time since) {
  return absl::StrFormat("%.3f", absl::ToDoubleSeconds(absl::Now() - since));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Aggregates>> Aggregates::Load(Store& store,
                                                             const std::string& snapshot_path) {
  // A store that keeps a log position (SQLite) is the only writer of its
  // reports: its figures can be saved as of a position, and computed from
  // its log.
  std::optional<Store::LogPosition> now;
  {
    absl::StatusOr<Store::LogPosition> position = store.Position();
    if (position.ok()) {
      now = *position;
    } else if (!absl::IsUnimplemented(position.status())) {
      return position.status();
    }
  }
  if (now.has_value() && !snapshot_path.empty()) {
    const absl::Time started = absl::Now();
    int64_t included = 0;
    int64_t reports_after = 0;
    absl::StatusOr<std::unique_ptr<Aggregates>> loaded =
        LoadSnapshot(store, snapshot_path, *now, &included, &reports_after);
    if (loaded.ok()) {
      Log(LogLevel::kInfo, "snapshot_loaded",
          {{"path", snapshot_path},
           {"last_report", absl::StrCat(now->last_seq - reports_after)},
           {"reports_after", absl::StrCat(reports_after)},
           {"seconds", Seconds(started)}});
      if (reports_after > 0 &&
          (reports_after >= kRewriteAfterReports || reports_after * 10 >= included)) {
        if (absl::Status written = (*loaded)->SaveSnapshot(store, snapshot_path); !written.ok()) {
          Log(LogLevel::kWarning, "snapshot_not_written",
              {{"path", snapshot_path}, {"error", std::string(written.message())}});
        }
      }
      return loaded;
    }
    // Missing is the first start's normal case; anything else is worth a
    // warning, as the start then reads every report.
    Log(absl::IsNotFound(loaded.status()) ? LogLevel::kInfo : LogLevel::kWarning,
        "snapshot_not_used",
        {{"path", snapshot_path},
         {"reason", std::string(loaded.status().message())},
         {"then", "the figures are computed from the stored reports"}});
  }
  std::unique_ptr<Aggregates> aggregates;
  if (now.has_value()) {
    ASSIGN_OR_RETURN(aggregates, LoadReports(store));
  } else {
    ASSIGN_OR_RETURN(aggregates, LoadCells(store));
  }
  if (now.has_value() && !snapshot_path.empty()) {
    if (absl::Status written = aggregates->SaveSnapshot(store, snapshot_path); !written.ok()) {
      Log(LogLevel::kWarning, "snapshot_not_written",
          {{"path", snapshot_path}, {"error", std::string(written.message())}});
    }
  }
  return aggregates;
}

namespace {

// What a snapshot begins with: the position it includes and the report it
// ends with.
absl::Status ReadHeader(ByteFileReader& in, Store::LogPosition* position,
                        std::string* fingerprint, int64_t* reports) {
  std::string magic;
  uint64_t format = 0;
  if (!in.Raw(kSnapshotMagic.size(), &magic) || magic != kSnapshotMagic) {
    return absl::FailedPreconditionError("it is not an inrapport aggregates snapshot");
  }
  if (!in.Varint(&format) || format != kSnapshotFormat) {
    return absl::FailedPreconditionError(absl::StrCat(
        "it is of format ", format, ", this inrapportd writes format ", kSnapshotFormat));
  }
  if (!in.Signed(&position->last_seq) || !in.Signed(&position->changes) ||
      !in.String(1024, fingerprint) || !in.Signed(reports)) {
    return in.status();
  }
  return absl::OkStatus();
}

// The duties' statistics, into `stats` (empty); false when `in` is damaged.
bool DecodeStats(ByteFileReader& in, std::map<std::string, DutyStats, std::less<>>* stats) {
  uint64_t duties = 0;
  if (!in.Bounded(1ULL << 32, &duties)) return false;
  std::string id;
  for (uint64_t d = 0; d < duties; ++d) {
    if (!in.String(256, &id)) return false;
    auto [it, inserted] = stats->try_emplace(id);
    if (!inserted) return in.Fail(absl::StrCat("duty \"", id, "\" comes twice"));
    if (!it->second.DecodeFrom(in)) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<Aggregates::SnapshotSummary> Aggregates::InspectSnapshot(const std::string& path) {
  ByteFileReader in;
  RETURN_IF_ERROR(in.Open(path));
  SnapshotSummary summary;
  int64_t reports = 0;
  RETURN_IF_ERROR(ReadHeader(in, &summary.position, &summary.last_report, &reports));
  BurdenIndex index;
  if (!index.DecodeFrom(in)) return in.status();
  for (const auto& [id, totals] : index.AllTotals()) {
    summary.reports += totals.reports;
    summary.minutes += totals.minutes;
  }
  if (summary.reports != reports) {
    return absl::DataLossError(absl::StrCat("its header counts ", reports,
                                            " reports, its cells ", summary.reports));
  }
  // The statistics too, so that the whole file is checked.
  std::map<std::string, DutyStats, std::less<>> stats;
  if (!DecodeStats(in, &stats)) return in.status();
  RETURN_IF_ERROR(in.Finish());
  return summary;
}

absl::StatusOr<std::unique_ptr<Aggregates>> Aggregates::LoadSnapshot(
    Store& store, const std::string& path, const Store::LogPosition& now, int64_t* included_out,
    int64_t* reports_after) {
  ByteFileReader in;
  RETURN_IF_ERROR(in.Open(path));
  Store::LogPosition then;
  std::string fingerprint;
  int64_t included = 0;
  RETURN_IF_ERROR(ReadHeader(in, &then, &fingerprint, &included));
  *included_out = included;
  const int64_t last_seq = then.last_seq;
  const int64_t changes = then.changes;
  // Adding more reports than it holds costs more than computing the
  // figures from all of them.
  if (now.last_seq - last_seq > std::max(included, kRewriteAfterReports)) {
    return absl::FailedPreconditionError(absl::StrCat(
        now.last_seq - last_seq, " reports were stored after it, more than the ", included,
        " it includes: computing the figures from all reports is quicker"));
  }
  // Whether the store's log still begins with what the snapshot includes.
  if (last_seq > now.last_seq) {
    return absl::FailedPreconditionError(
        absl::StrCat("it includes reports up to ", last_seq, ", past the last stored one (",
                     now.last_seq, "): it is of another or a later database"));
  }
  if (changes != now.changes) {
    return absl::FailedPreconditionError(
        absl::StrCat("stored reports were corrected or withdrawn after it (", changes,
                     " changes then, ", now.changes, " now)"));
  }
  if (last_seq > 0) {
    absl::StatusOr<StoredReport> last = store.ReportAt(last_seq);
    if (!last.ok() && !absl::IsNotFound(last.status())) return last.status();
    if (!last.ok() || Fingerprint(*last) != fingerprint) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the report it ends with (", last_seq, ") is not this database's: it is of another"));
    }
  }

  std::unique_ptr<Aggregates> aggregates(new Aggregates());
  Aggregates& a = *aggregates;
  if (!a.index_.DecodeFrom(in)) return in.status();
  {
    absl::MutexLock lock(&a.mu_);
    if (!DecodeStats(in, &a.stats_)) return in.status();
  }
  RETURN_IF_ERROR(in.Finish());

  ASSIGN_OR_RETURN(std::vector<DutyUse> uses, store.LoadUses());
  {
    absl::MutexLock lock(&a.mu_);
    for (const DutyUse& use : uses) a.stats_[use.duty_id].AddUse(use);
  }
  ASSIGN_OR_RETURN(*reports_after, a.AddReportsAfter(store, last_seq));
  {
    absl::MutexLock lock(&a.snapshot_mu_);
    a.snapshot_position_ = Store::LogPosition{last_seq, changes};
  }
  return aggregates;
}

absl::Status Aggregates::SaveSnapshot(Store& store, const std::string& path) {
  ASSIGN_OR_RETURN(Store::LogPosition position, store.Position());
  {
    absl::MutexLock lock(&snapshot_mu_);
    if (snapshot_position_.has_value() && snapshot_position_->last_seq == position.last_seq &&
        snapshot_position_->changes == position.changes) {
      return absl::OkStatus();
    }
  }
  const absl::Time started = absl::Now();
  std::string fingerprint;
  if (position.last_seq > 0) {
    ASSIGN_OR_RETURN(StoredReport last, store.ReportAt(position.last_seq));
    fingerprint = Fingerprint(last);
  }
  ByteFileWriter out;
  RETURN_IF_ERROR(out.Open(path));
  out.Raw(kSnapshotMagic);
  out.Varint(kSnapshotFormat);
  out.Signed(position.last_seq);
  out.Signed(position.changes);
  out.String(fingerprint);
  int64_t included = 0;
  for (const auto& [id, totals] : index_.AllTotals()) included += totals.reports;
  out.Signed(included);
  index_.EncodeTo(out);
  {
    absl::ReaderMutexLock lock(&mu_);
    out.Varint(stats_.size());
    for (const auto& [id, stats] : stats_) {
      out.String(id);
      stats.EncodeTo(out);
    }
  }
  RETURN_IF_ERROR(out.Commit());
  {
    absl::MutexLock lock(&snapshot_mu_);
    snapshot_position_ = position;
  }
  Log(LogLevel::kInfo, "snapshot_written",
      {{"path", path},
       {"last_report", absl::StrCat(position.last_seq)},
       {"bytes", absl::StrCat(out.bytes_written() + 8)},
       {"seconds", Seconds(started)}});
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Aggregates::AddReportsAfter(Store& store, int64_t seq) {
  // A batch at a time, read and then added: the store's lock is not held
  // while the figures take theirs.
  int64_t added = 0;
  for (int64_t after = seq;;) {
    ASSIGN_OR_RETURN(std::vector<StoredReport> batch, store.ReportsAfter(after, kTailBatch));
    if (batch.empty()) break;
    std::vector<const Report*> reports;
    std::vector<int64_t> received_at;
    for (const StoredReport& stored : batch) {
      reports.push_back(&stored.report);
      received_at.push_back(stored.receipt.received_at_unix);
    }
    AddReports(reports, received_at);
    added += static_cast<int64_t>(batch.size());
    after = batch.back().seq;
  }
  return added;
}

absl::StatusOr<std::unique_ptr<Aggregates>> Aggregates::LoadReports(Store& store) {
  const absl::Time started = absl::Now();
  std::unique_ptr<Aggregates> aggregates(new Aggregates());
  Aggregates& a = *aggregates;
  ASSIGN_OR_RETURN(std::vector<DutyUse> uses, store.LoadUses());
  {
    absl::MutexLock lock(&a.mu_);
    for (const DutyUse& use : uses) a.stats_[use.duty_id].AddUse(use);
  }
  ASSIGN_OR_RETURN(const int64_t reports, a.AddReportsAfter(store, 0));
  Log(LogLevel::kInfo, "figures_computed",
      {{"reports", absl::StrCat(reports)}, {"seconds", Seconds(started)}});
  return aggregates;
}

absl::StatusOr<std::unique_ptr<Aggregates>> Aggregates::LoadCells(Store& store) {
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
  // Each duty named once, however many of the batch's reports it has.
  absl::flat_hash_set<absl::string_view> duties;
  {
    absl::MutexLock lock(&mu_);
    // Consecutive reports of one duty share the lookup.
    absl::string_view last_duty;
    DutyStats* stats = nullptr;
    for (const Report* report : reports) {
      if (stats == nullptr || report->duty_id != last_duty) {
        last_duty = report->duty_id;
        stats = &stats_[report->duty_id];
        duties.insert(last_duty);
      }
      stats->AddReport(*report);
    }
  }
  std::vector<std::string> changed(duties.begin(), duties.end());
  std::sort(changed.begin(), changed.end());
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
