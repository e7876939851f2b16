// An in-memory Store for unit tests of the core, with injectable failures.
// Thread-safe. SubmitReports answers on the calling thread (or, while writes
// are held, on the thread that releases them).
#ifndef INRAPPORT_TESTS_SUPPORT_FAKE_STORE_H_
#define INRAPPORT_TESTS_SUPPORT_FAKE_STORE_H_

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/store/store.h"
#include "common/store/write_pipeline.h"

namespace inrapport::testing {

class FakeStore : public Store {
 public:
  // The next write (duty, agency, report batch, change, recorded use,
  // consultation answer or decision) fails with `status`; writes after it
  // succeed again.
  void FailNextWrite(absl::Status status) {
    absl::MutexLock lock(&mu_);
    next_failure_ = std::move(status);
  }

  // Whether the store answers the report log's calls (Position, ReportAt,
  // ReportsAfter), as SQLite does, or UNIMPLEMENTED, as a shared store.
  void KeepLog(bool keep) {
    absl::MutexLock lock(&mu_);
    keeps_log_ = keep;
  }

  // Later reports are stored as received at `unix_seconds` (0: now).
  void SetReceivedAt(int64_t unix_seconds) {
    absl::MutexLock lock(&mu_);
    received_at_unix_ = unix_seconds;
  }

  // Holds every later report batch unanswered, as a slow disk would, until
  // ReleaseHeldWrites.
  void HoldWrites() {
    absl::MutexLock lock(&mu_);
    holding_ = true;
  }
  // Stops holding, and stores and answers the held batches in the order
  // they came, on the calling thread.
  void ReleaseHeldWrites() {
    std::vector<Held> held;
    {
      absl::MutexLock lock(&mu_);
      holding_ = false;
      held.swap(held_);
    }
    for (Held& batch : held) {
      SubmitReports(std::move(batch.reports), std::move(batch.done), std::move(batch.withdrawn));
    }
  }
  size_t HeldWrites() const {
    absl::MutexLock lock(&mu_);
    return held_.size();
  }

  using Store::CreateDuty;
  using Store::UpdateDuty;
  absl::Status CreateDuty(const Duty& duty, const DutyChange& change) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status failure = TakeFailure(); !failure.ok()) return failure;
    if (duties_.count(duty.id)) {
      return absl::AlreadyExistsError(absl::StrCat("duty.id: \"", duty.id, "\" already exists"));
    }
    duties_[duty.id] = duty;
    AddVersion(duty, change);
    return absl::OkStatus();
  }

  absl::Status UpdateDuty(const Duty& duty, const DutyChange& change) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status failure = TakeFailure(); !failure.ok()) return failure;
    if (!duties_.count(duty.id)) {
      return absl::NotFoundError(absl::StrCat("duty \"", duty.id, "\" not found"));
    }
    duties_[duty.id] = duty;
    AddVersion(duty, change);
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<DutyVersion>> LoadDutyHistory(const std::string& id) override {
    absl::MutexLock lock(&mu_);
    auto it = versions_.find(id);
    if (it == versions_.end()) return std::vector<DutyVersion>{};
    return it->second;
  }

  absl::StatusOr<std::vector<Duty>> LoadDuties() override {
    absl::MutexLock lock(&mu_);
    std::vector<Duty> duties;
    for (const auto& [id, duty] : duties_) duties.push_back(duty);
    return duties;
  }

  using Store::SubmitReports;
  void SubmitReports(ReportBatch batch, SubmitCallback done, Withdrawn withdrawn) override {
    SubmitResults results;
    {
      absl::MutexLock lock(&mu_);
      if (holding_) {
        held_.push_back({std::move(batch), std::move(done), std::move(withdrawn)});
        return;
      }
      const std::vector<Report>& reports = *batch;
      if (withdrawn && withdrawn()) {
        results.assign(reports.size(), absl::CancelledError("withdrawn"));
      } else if (absl::Status failure = TakeFailure(); !failure.ok()) {
        results.assign(reports.size(), failure);
      } else {
        ++stats_.commits;
        for (const Report& report : reports) {
          ReportKey key{report.municipality_code, report.submission_id};
          auto it = reports_.find(key);
          if (it == reports_.end()) {
            AddToCells(report, 1);
            const int64_t now =
                received_at_unix_ != 0 ? received_at_unix_ : absl::ToUnixSeconds(absl::Now());
            int64_t& first =
                cells_[{report.duty_id, report.municipality_code, report.period}]
                    .first_received_unix;
            if (first == 0 || now < first) first = now;
            ++stats_.committed_reports;
            arrival_.push_back(key);
            const Receipt receipt{now, 1};
            reports_.emplace(std::move(key), StoredReport{report, receipt,
                                                          static_cast<int64_t>(arrival_.size()),
                                                          false, ""});
            results.push_back(SubmitResult{SubmitOutcome::kAccepted, receipt});
          } else if (it->second.report == report) {
            results.push_back(SubmitResult{SubmitOutcome::kDuplicate, it->second.receipt});
          } else {
            results.push_back(absl::AlreadyExistsError(absl::StrCat(
                "report.submission_id: \"", report.submission_id,
                "\" was already stored with different content")));
          }
        }
      }
    }
    done(std::move(results));
  }

  absl::StatusOr<ChangeResult> ChangeReport(const ReportChange& change) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status failure = TakeFailure(); !failure.ok()) return failure;
    auto it = reports_.find({change.key_municipality(), change.key_submission_id()});
    if (it == reports_.end()) return absl::NotFoundError(change.key_submission_id());
    absl::StatusOr<ChangeResult> result =
        DecideChange(it->second, change, absl::ToUnixSeconds(absl::Now()));
    if (!result.ok() || result->outcome == SubmitOutcome::kDuplicate) return result;
    AddToCells(result->previous.report, -1);
    if (!result->current.withdrawn) AddToCells(result->current.report, 1);
    versions_of_[it->first].push_back(result->previous);
    it->second = result->current;
    for (const Report* report : {&result->previous.report, &result->current.report}) {
      const auto key = std::make_tuple(report->duty_id, report->municipality_code, report->period);
      auto cell = cells_.find(key);
      if (cell == cells_.end()) continue;
      cell->second.first_received_unix = 0;  // read again from the reports it holds
      for (const auto& [unused, stored] : reports_) {
        if (stored.withdrawn || std::make_tuple(stored.report.duty_id,
                                                stored.report.municipality_code,
                                                stored.report.period) != key) {
          continue;
        }
        int64_t& first = cell->second.first_received_unix;
        if (first == 0 || stored.receipt.received_at_unix < first) {
          first = stored.receipt.received_at_unix;
        }
      }
    }
    auto previous_cell = cells_.find(std::make_tuple(result->previous.report.duty_id,
                                                     result->previous.report.municipality_code,
                                                     result->previous.report.period));
    if (previous_cell != cells_.end()) {
      result->previous_cell_first_received_unix = previous_cell->second.first_received_unix;
    }
    return result;
  }

  absl::StatusOr<std::vector<StoredReport>> LoadReportVersions(
      const std::string& municipality_code, const std::string& submission_id) override {
    absl::MutexLock lock(&mu_);
    auto it = versions_of_.find({municipality_code, submission_id});
    if (it == versions_of_.end()) return std::vector<StoredReport>{};
    return it->second;
  }

  absl::StatusOr<SubmitOutcome> RecordUse(const DutyUse& use) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status failure = TakeFailure(); !failure.ok()) return failure;
    auto [it, inserted] = uses_.emplace(std::make_pair(use.duty_id, use.use_id), use);
    if (inserted) return SubmitOutcome::kAccepted;
    const DutyUse& stored = it->second;
    const char* field = FirstDifference(stored, use);
    if (field == nullptr) return SubmitOutcome::kDuplicate;
    return absl::AlreadyExistsError(absl::StrCat(
        "use.use_id: \"", use.use_id, "\" was already recorded for duty \"", use.duty_id,
        "\" with different content (", field, " differs)"));
  }

  absl::Status PutAgency(const Agency& agency, bool create) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status failure = TakeFailure(); !failure.ok()) return failure;
    const bool known = agencies_.count(agency.id) > 0;
    if (create && known) return absl::AlreadyExistsError("agency.id: \"" + agency.id + "\"");
    if (!create && !known) return absl::NotFoundError("agency \"" + agency.id + "\"");
    agencies_[agency.id] = agency;
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<Agency>> LoadAgencies() override {
    absl::MutexLock lock(&mu_);
    std::vector<Agency> agencies;
    for (const auto& [id, agency] : agencies_) agencies.push_back(agency);
    return agencies;
  }

  absl::StatusOr<ConsultationAnswer> PutConsultationAnswer(
      const ConsultationAnswer& answer) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status failure = TakeFailure(); !failure.ok()) return failure;
    ConsultationAnswer stored = answer;
    stored.answered_at_unix = absl::ToUnixSeconds(absl::Now());
    consultation_answers_[{answer.duty_id, answer.municipality_code}] = stored;
    return stored;
  }

  absl::StatusOr<std::vector<ConsultationAnswer>> LoadConsultationAnswers() override {
    absl::MutexLock lock(&mu_);
    std::vector<ConsultationAnswer> answers;
    for (const auto& [key, answer] : consultation_answers_) answers.push_back(answer);
    return answers;
  }

  absl::StatusOr<DutyDecision> RecordDecision(const DutyDecision& decision, const Duty* duty,
                                              const DutyChange& change) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status failure = TakeFailure(); !failure.ok()) return failure;
    if (duty != nullptr) {
      if (!duties_.count(duty->id)) {
        return absl::NotFoundError(absl::StrCat("duty \"", duty->id, "\" not found"));
      }
      duties_[duty->id] = *duty;
      AddVersion(*duty, change);
    }
    DutyDecision stored = decision;
    stored.seq = static_cast<int64_t>(decisions_.size()) + 1;
    stored.recorded_at_unix = absl::ToUnixSeconds(absl::Now());
    decisions_.push_back(stored);
    return stored;
  }

  absl::StatusOr<std::vector<DutyDecision>> LoadDecisions() override {
    absl::MutexLock lock(&mu_);
    return decisions_;
  }

  absl::StatusOr<std::vector<DutyUse>> LoadUses() override {
    absl::MutexLock lock(&mu_);
    std::vector<DutyUse> uses;
    for (const auto& [key, use] : uses_) uses.push_back(use);
    std::sort(uses.begin(), uses.end(), [](const DutyUse& a, const DutyUse& b) {
      return std::tie(a.duty_id, a.date, a.use_id) < std::tie(b.duty_id, b.date, b.use_id);
    });
    return uses;
  }

  absl::Status ForEachAnswerCell(
      const std::function<void(const AnswerCell&)>& visit) override {
    absl::MutexLock lock(&mu_);
    for (const auto& [key, reports] : answers_) {
      visit({std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), reports,
             std::get<4>(key), std::get<5>(key)});
    }
    return absl::OkStatus();
  }

  absl::Status ForEachBurdenCell(
      const std::function<void(const BurdenCell&)>& visit) override {
    absl::MutexLock lock(&mu_);
    for (const auto& [key, cell] : cells_) {
      visit({std::get<0>(key), std::get<1>(key), std::get<2>(key), cell.reports,
             cell.minutes, cell.first_received_unix});
    }
    return absl::OkStatus();
  }

  absl::StatusOr<StoredReport> GetReport(const std::string& municipality_code,
                                         const std::string& submission_id) override {
    absl::MutexLock lock(&mu_);
    auto it = reports_.find({municipality_code, submission_id});
    if (it == reports_.end()) return absl::NotFoundError(submission_id);
    return it->second;
  }

  absl::StatusOr<int64_t> CountReports() override {
    absl::MutexLock lock(&mu_);
    return static_cast<int64_t>(reports_.size());
  }

  absl::StatusOr<std::vector<StoredReport>> ListReports(const ReportQuery& query) override {
    absl::MutexLock lock(&mu_);
    std::vector<StoredReport> reports;
    for (auto it = reports_.upper_bound({query.after_municipality_code,
                                         query.after_submission_id});
         it != reports_.end(); ++it) {
      if (static_cast<int>(reports.size()) >= query.limit) break;
      const StoredReport& stored = it->second;
      const Report& r = stored.report;
      if (!query.municipality_code.empty() && r.municipality_code != query.municipality_code) {
        continue;
      }
      if (!query.duty_id.empty() && r.duty_id != query.duty_id) continue;
      if (!query.agency_id.empty()) {
        auto duty = duties_.find(r.duty_id);
        if (duty == duties_.end() || duty->second.agency_id != query.agency_id) continue;
      }
      if (stored.receipt.received_at_unix < query.received_since_unix) continue;
      reports.push_back(stored);
    }
    return reports;
  }

  absl::StatusOr<std::vector<StoredComment>> ListComments(
      const CommentQuery& query) override {
    absl::MutexLock lock(&mu_);
    std::vector<StoredComment> comments;
    for (int64_t seq = static_cast<int64_t>(arrival_.size()); seq >= 1; --seq) {
      if (static_cast<int>(comments.size()) >= query.limit) break;
      if (query.before_seq != 0 && seq >= query.before_seq) continue;
      const StoredReport& stored = reports_.at(arrival_[seq - 1]);
      if (stored.withdrawn) continue;
      const Report& r = stored.report;
      if (r.comment.empty()) continue;
      if (!query.duty_id.empty() && r.duty_id != query.duty_id) continue;
      if (!query.municipality_code.empty() && r.municipality_code != query.municipality_code) {
        continue;
      }
      if (!query.agency_id.empty()) {
        auto duty = duties_.find(r.duty_id);
        if (duty == duties_.end() || duty->second.agency_id != query.agency_id) continue;
      }
      comments.push_back({seq, r.submission_id, r.municipality_code, r.duty_id, r.period,
                          r.comment, 0});
    }
    return comments;
  }

  absl::StatusOr<std::vector<ReportedElsewhere>> ListReportedElsewhere(int limit) override {
    absl::MutexLock lock(&mu_);
    std::map<std::pair<std::string, std::string>, std::pair<int64_t, std::set<std::string>>> by;
    for (const auto& [id, stored] : reports_) {
      const Report& r = stored.report;
      if (stored.withdrawn || r.already_reported_where.empty()) continue;
      auto& [count, municipalities] = by[{r.duty_id, r.already_reported_where}];
      ++count;
      municipalities.insert(r.municipality_code);
    }
    std::vector<ReportedElsewhere> places;
    for (const auto& [key, value] : by) {
      places.push_back({key.first, key.second, value.first,
                        static_cast<int64_t>(value.second.size())});
    }
    std::stable_sort(places.begin(), places.end(),
                     [](const ReportedElsewhere& a, const ReportedElsewhere& b) {
                       if (a.municipalities != b.municipalities) {
                         return a.municipalities > b.municipalities;
                       }
                       return a.reports > b.reports;
                     });
    if (static_cast<int>(places.size()) > limit) places.resize(std::max(limit, 0));
    return places;
  }

  StoreStats GetStats() const override {
    absl::MutexLock lock(&mu_);
    return stats_;
  }

  absl::StatusOr<LogPosition> Position() override {
    absl::MutexLock lock(&mu_);
    if (!keeps_log_) return Store::Position();
    int64_t changes = 0;
    for (const auto& [key, versions] : versions_of_) changes += versions.size();
    return LogPosition{static_cast<int64_t>(arrival_.size()), changes};
  }

  absl::StatusOr<StoredReport> ReportAt(int64_t seq) override {
    absl::MutexLock lock(&mu_);
    if (!keeps_log_) return Store::ReportAt(seq);
    if (seq < 1 || seq > static_cast<int64_t>(arrival_.size())) {
      return absl::NotFoundError(absl::StrCat("no report at ", seq));
    }
    return reports_.at(arrival_[seq - 1]);
  }

  absl::StatusOr<std::vector<StoredReport>> ReportsAfter(int64_t seq, int limit) override {
    absl::MutexLock lock(&mu_);
    if (!keeps_log_) return Store::ReportsAfter(seq, limit);
    std::vector<StoredReport> reports;
    for (int64_t s = std::max<int64_t>(seq, 0);
         s < static_cast<int64_t>(arrival_.size()) && static_cast<int>(reports.size()) < limit;
         ++s) {
      const StoredReport& stored = reports_.at(arrival_[s]);
      if (!stored.withdrawn) reports.push_back(stored);
    }
    return reports;
  }

 private:
  struct Cell {
    int64_t reports = 0;
    int64_t minutes = 0;
    int64_t first_received_unix = 0;
  };
  struct Held {
    ReportBatch reports;
    SubmitCallback done;
    Withdrawn withdrawn;
  };

  void AddVersion(const Duty& duty, const DutyChange& change) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::vector<DutyVersion>& versions = versions_[duty.id];
    DutyVersion& v = versions.emplace_back();
    v.version = static_cast<int64_t>(versions.size());
    v.changed_at_unix = absl::ToUnixSeconds(absl::Now());
    v.change = change;
    v.duty = duty;
    v.duty.flags.clear();
    v.duty.legal_references.clear();
    v.duty.recorded_uses = 0;
  }

  // Adds (sign 1) or takes out (-1) a report's share of the cells; a cell
  // left without reports goes, as in the real stores.
  void AddToCells(const Report& report, int sign) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const auto cell_key = std::make_tuple(report.duty_id, report.municipality_code, report.period);
    Cell& cell = cells_[cell_key];
    cell.reports += sign;
    cell.minutes += sign * report.minutes_spent;
    if (cell.reports == 0) cells_.erase(cell_key);
    const auto answer_key =
        std::make_tuple(report.duty_id, report.minutes_spent, report.usefulness,
                        report.feedback_received, report.already_reported_elsewhere,
                        report.period);
    if ((answers_[answer_key] += sign) == 0) answers_.erase(answer_key);
  }

  absl::Status TakeFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return std::exchange(next_failure_, absl::OkStatus());
  }

  mutable absl::Mutex mu_;
  bool keeps_log_ ABSL_GUARDED_BY(mu_) = true;
  std::map<std::string, Agency> agencies_ ABSL_GUARDED_BY(mu_);
  absl::Status next_failure_ ABSL_GUARDED_BY(mu_);
  bool holding_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<Held> held_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Duty> duties_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::vector<DutyVersion>> versions_ ABSL_GUARDED_BY(mu_);
  // By (municipality code, submission id): ids are unique per municipality.
  using ReportKey = std::pair<std::string, std::string>;
  std::map<ReportKey, StoredReport> reports_ ABSL_GUARDED_BY(mu_);
  std::vector<ReportKey> arrival_ ABSL_GUARDED_BY(mu_);  // seq - 1 -> key
  std::map<ReportKey, std::vector<StoredReport>> versions_of_ ABSL_GUARDED_BY(mu_);
  std::map<std::tuple<std::string, std::string, std::string>, Cell> cells_
      ABSL_GUARDED_BY(mu_);
  // (duty_id, minutes, usefulness, feedback, elsewhere, period) -> reports
  std::map<std::tuple<std::string, int64_t, int32_t, Answer, Answer, std::string>, int64_t>
      answers_
      ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, DutyUse> uses_ ABSL_GUARDED_BY(mu_);
  // By (duty id, municipality code): a new answer replaces the earlier one.
  std::map<std::pair<std::string, std::string>, ConsultationAnswer> consultation_answers_
      ABSL_GUARDED_BY(mu_);
  std::vector<DutyDecision> decisions_ ABSL_GUARDED_BY(mu_);  // seq - 1 -> decision
  StoreStats stats_ ABSL_GUARDED_BY(mu_);
  int64_t received_at_unix_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace inrapport::testing

#endif  // INRAPPORT_TESTS_SUPPORT_FAKE_STORE_H_
