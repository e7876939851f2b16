#include "common/catalog/duty_catalog.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/base/page_token.h"
#include "common/base/status_macros.h"
#include "common/domain/deadline.h"
#include "common/domain/municipalities.h"
#include "common/domain/period.h"
#include "common/domain/validation.h"
#include "common/text/text_safety.h"
#include "common/flags/legal_basis.h"
#include "common/flags/overlaps.h"

namespace inrapport {
namespace {

// Page token prefixes (see common/base/page_token.h).
constexpr absl::string_view kDutyTokenPrefix = "duties/v1/after:";
constexpr absl::string_view kUseTokenPrefix = "uses/v1/after:";
constexpr char kKeySeparator = '\x1f';

}  // namespace

bool DutyFilter::Matches(const Duty& duty) const {
  if (!agency_id.empty() && duty.agency_id != agency_id) return false;
  if (sector != Sector::kUnspecified && duty.sector != sector) return false;
  if (flagged_only && !duty.flagged()) return false;
  if (state != DutyState::kUnspecified && duty.state != state) return false;
  return true;
}

DutyCatalog::DutyCatalog(Store* store, Aggregates* aggregates, FlagThresholds thresholds,
                         Clock today, const AgencyRegister* agencies)
    : store_(store),
      aggregates_(aggregates),
      thresholds_(thresholds),
      today_(today ? std::move(today) : Clock(&TodayInSweden)),
      agencies_(agencies) {}

DutyCatalog::~DutyCatalog() { aggregates_->SetListener(nullptr); }

absl::StatusOr<std::unique_ptr<DutyCatalog>> DutyCatalog::Load(Store* store,
                                                               Aggregates* aggregates,
                                                               FlagThresholds thresholds,
                                                               Clock today,
                                                               const AgencyRegister* agencies) {
  ASSIGN_OR_RETURN(std::vector<Duty> duties, store->LoadDuties());
  ASSIGN_OR_RETURN(std::vector<DutyUse> uses, store->LoadUses());
  std::unique_ptr<DutyCatalog> catalog(
      new DutyCatalog(store, aggregates, thresholds, std::move(today), agencies));
  DutyCatalog& c = *catalog;
  // Reports that arrive from now on re-evaluate their duties (once the
  // load below has let go of the lock).
  aggregates->SetListener([&c](const std::vector<std::string>& duty_ids) {
    c.NoteChangedDuties(duty_ids);
  });
  {
    absl::MutexLock lock(&c.mu_);
    for (Duty& duty : duties) {
      std::string id = duty.id;
      c.duties_.emplace(std::move(id), std::make_shared<const Duty>(std::move(duty)));
    }
    for (const auto& [id, duty] : c.duties_) {
      ASSIGN_OR_RETURN(c.versions_[id], store->LoadDutyHistory(id));
    }
    for (DutyUse& use : uses) {
      if (c.duties_.count(use.duty_id) == 0) continue;  // recorded for known duties only
      std::pair<std::string, std::string> key{use.date, use.use_id};
      c.uses_[use.duty_id].emplace(std::move(key), std::move(use));
    }
    c.ReevaluateAllLocked(c.today_());
  }
  return catalog;
}

namespace {

std::vector<std::string> CodesOf(const std::vector<Flag>& flags, FlagBasis basis) {
  std::vector<std::string> codes;
  for (const Flag& flag : flags) {
    if (BasisOf(flag.code) == basis) codes.push_back(flag.code);
  }
  return codes;
}

// The first second after `day` ends (UTC): a version changed before it was
// in force at the end of the day.
int64_t EndOfDayUnix(absl::CivilDay day) {
  return absl::ToUnixSeconds(absl::FromCivil(day + 1, absl::UTCTimeZone()));
}

}  // namespace

Duty DutyCatalog::Evaluated(Duty duty, absl::CivilDay today) const {
  // What the reports and uses say, overall and per period, read from the
  // aggregates at once.
  DutyEvidence evidence;
  std::vector<std::pair<DutyStats::PeriodState, DutyEvidence>> periods;
  aggregates_->ReadStats(duty.id, [&](const DutyStats* stats) {
    static const DutyStats* const kNone = new DutyStats();  // a duty without reports or uses
    if (stats == nullptr) stats = kNone;
    evidence = stats->Evidence(duty, today, thresholds_);
    for (DutyStats::PeriodState& state : stats->PeriodStates(duty, today, thresholds_)) {
      DutyEvidence own = stats->PeriodEvidence(state);
      periods.emplace_back(std::move(state), std::move(own));
    }
  });
  auto overlaps = overlaps_.find(duty.id);
  if (overlaps != overlaps_.end()) evidence.overlaps = overlaps->second;
  duty.flags = EvaluateFlags(duty, evidence, thresholds_);
  static std::atomic<uint64_t> last_serial{0};
  duty.flags_serial = last_serial.fetch_add(1, std::memory_order_relaxed) + 1;
  duty.period_flags.clear();
  const std::vector<std::string> current_codes = CodesOf(duty.flags, FlagBasis::kCatalogue);
  auto versions = version_flags_.find(duty.id);
  duty.period_flags.reserve(periods.size());  // class_codes points into it
  std::vector<const std::vector<std::string>*> class_codes;  // per class index
  for (const auto& [state, own] : periods) {
    // The text in force when the period ended; a period that ended before
    // the duty was registered has its first text.
    const std::vector<std::string>* catalogue = &current_codes;
    if (versions != version_flags_.end() && !versions->second.empty()) {
      const int64_t end = EndOfDayUnix(state.last_day);
      catalogue = &versions->second.front().codes;
      for (const VersionFlags& version : versions->second) {
        if (version.from_unix >= end) break;
        catalogue = &version.codes;
      }
    }
    PeriodFlags& period = duty.period_flags.emplace_back();
    period.period = state.period;
    period.codes = *catalogue;
    // The report-driven flags from the period's own reports and uses.
    for (const Flag& flag : EvaluateReportFlags(duty, own, thresholds_)) {
      period.codes.push_back(flag.code);
    }
    std::sort(period.codes.begin(), period.codes.end());
    // Few classes (a duty's old and recent periods): compared once here
    // instead of in every summary.
    period.class_index = 0;
    while (period.class_index < static_cast<int>(class_codes.size()) &&
           *class_codes[period.class_index] != period.codes) {
      ++period.class_index;
    }
    if (period.class_index == static_cast<int>(class_codes.size())) {
      class_codes.push_back(&period.codes);
    }
  }
  // A duty in force past its expiry reads as expired (never stored so).
  duty.state = StateOn(duty, today);
  duty.legal_references = ParseLegalBasis(duty.legal_basis);
  duty.legal_basis_unverified = ReadLegalBasis(duty.legal_basis).unverified;
  duty.recorded_uses = evidence.uses_total;
  return duty;
}

void DutyCatalog::ReevaluateLocked(const std::string& id, absl::CivilDay today) {
  auto it = duties_.find(id);
  if (it == duties_.end()) return;
  it->second = std::make_shared<const Duty>(Evaluated(*it->second, today));
}

std::map<std::string, std::vector<DutyOverlap>> DutyCatalog::OverlapsLocked(
    absl::CivilDay today, std::vector<const Duty*>* in_force) const {
  // Data items overlap with what the duties in force ask for: a proposal
  // or a withdrawn duty asks nothing of anyone, so it makes no duty in
  // force a duplicate; its own overlaps are those with the duties in force.
  std::vector<const Duty*> others;
  in_force->reserve(duties_.size());
  for (const auto& [id, duty] : duties_) {
    (StateOn(*duty, today) == DutyState::kInForce ? *in_force : others).push_back(duty.get());
  }
  return FindOverlaps(*in_force, others);
}

void DutyCatalog::ReevaluateAllLocked(absl::CivilDay today) {
  {
    // Every duty is evaluated below, the noted ones with them.
    absl::MutexLock lock(&pending_mu_);
    pending_.clear();
    has_pending_.store(false, std::memory_order_release);
  }
  std::vector<const Duty*> in_force;
  overlaps_ = OverlapsLocked(today, &in_force);
  version_flags_.clear();
  FlagVersionsLocked(in_force, in_force);
  for (auto& [id, duty] : duties_) {
    duty = std::make_shared<const Duty>(Evaluated(*duty, today));
  }
  evaluated_on_ = today;
}

void DutyCatalog::ReevaluateAfterWriteLocked(const std::string& written,
                                             absl::CivilDay today) {
  if (evaluated_on_ != today) {
    ReevaluateAllLocked(today);
    return;
  }
  std::vector<const Duty*> in_force;
  std::map<std::string, std::vector<DutyOverlap>> overlaps = OverlapsLocked(today, &in_force);
  // The flags that can have changed are those of the duty written and of
  // the duties whose overlaps changed: no other catalogue flag depends on
  // another duty. Unchanged duties keep theirs, so that a write does not
  // evaluate the whole catalogue again.
  std::set<std::string> changed = {written};
  for (auto before = overlaps_.begin(), after = overlaps.begin();
       before != overlaps_.end() || after != overlaps.end();) {
    if (after == overlaps.end() || (before != overlaps_.end() && before->first < after->first)) {
      changed.insert((before++)->first);
    } else if (before == overlaps_.end() || after->first < before->first) {
      changed.insert((after++)->first);
    } else {
      if (before->second != after->second) changed.insert(before->first);
      ++before;
      ++after;
    }
  }
  overlaps_ = std::move(overlaps);
  // An old version with other data items is judged against the other
  // duties as they are now, so any write may change its flags.
  std::vector<const Duty*> reflag;
  for (const Duty* duty : in_force) {
    if (changed.count(duty->id) > 0 || ItemsChangedLocked(duty->id, duty->data_items)) {
      reflag.push_back(duty);
    }
  }
  for (const Duty* duty : reflag) changed.insert(duty->id);
  for (const std::string& id : changed) version_flags_.erase(id);
  FlagVersionsLocked(reflag, in_force);
  for (const std::string& id : changed) ReevaluateLocked(id, today);
}

bool DutyCatalog::ItemsChangedLocked(const std::string& id,
                                     const std::vector<std::string>& data_items) const {
  auto history = versions_.find(id);
  if (history == versions_.end()) return false;
  for (const DutyVersion& version : history->second) {
    if (version.duty.data_items != data_items) return true;
  }
  return false;
}

void DutyCatalog::FlagVersionsLocked(const std::vector<const Duty*>& duties,
                                     const std::vector<const Duty*>& in_force) {
  for (const Duty* duty : duties) {
    const Duty& current = *duty;
    auto history = versions_.find(current.id);
    if (history == versions_.end()) continue;
    std::vector<VersionFlags>& flagged = version_flags_[current.id];
    for (const DutyVersion& version : history->second) {
      DutyEvidence evidence;
      if (version.duty.data_items == current.data_items) {
        auto overlaps = overlaps_.find(current.id);
        if (overlaps != overlaps_.end()) evidence.overlaps = overlaps->second;
      } else {
        // The data items then, against the other duties as they are now.
        std::vector<const Duty*> then = in_force;
        std::replace(then.begin(), then.end(), duty, &version.duty);
        auto overlaps = FindOverlaps(then);
        auto mine = overlaps.find(current.id);
        if (mine != overlaps.end()) evidence.overlaps = std::move(mine->second);
      }
      flagged.push_back(
          {version.changed_at_unix,
           CodesOf(EvaluateFlags(version.duty, evidence, thresholds_), FlagBasis::kCatalogue)});
    }
  }
}

void DutyCatalog::RefreshFlags() {
  const absl::CivilDay today = today_();
  {
    absl::ReaderMutexLock lock(&mu_);
    if (evaluated_on_ == today && !has_pending_.load(std::memory_order_acquire)) return;
  }
  absl::MutexLock lock(&mu_);
  if (evaluated_on_ != today) {
    ReevaluateAllLocked(today);
  } else {
    EvaluateNotedLocked(today);
  }
}

void DutyCatalog::EvaluateNotedLocked(absl::CivilDay today) {
  absl::flat_hash_set<std::string> noted;
  {
    absl::MutexLock lock(&pending_mu_);
    noted.swap(pending_);
    has_pending_.store(false, std::memory_order_release);
  }
  for (const std::string& id : noted) ReevaluateLocked(id, today);
}

absl::StatusOr<Duty> DutyCatalog::Create(Duty duty, std::string changed_by) {
  duty.state = DutyState::kInForce;
  duty.consultation_until.clear();
  return Put(std::move(duty), {std::move(changed_by), DutyFieldNames(), ""}, /*create=*/true);
}

absl::StatusOr<Duty> DutyCatalog::Propose(Duty duty, std::string changed_by, std::string reason) {
  duty.state = DutyState::kProposed;
  duty.consultation_until.clear();
  duty.expires_on.clear();
  return Put(std::move(duty), {std::move(changed_by), DutyFieldNames(), std::move(reason)},
             /*create=*/true);
}

absl::StatusOr<Duty> DutyCatalog::Update(Duty duty, std::string changed_by) {
  return Put(std::move(duty), {std::move(changed_by), {}, ""}, /*create=*/false);
}

absl::StatusOr<std::vector<DutyVersion>> DutyCatalog::History(absl::string_view id) {
  if (Find(id) == nullptr) {
    return absl::NotFoundError(absl::StrCat("duty ", QuoteValue(id), " not found"));
  }
  return store_->LoadDutyHistory(std::string(id));
}

absl::StatusOr<Duty> DutyCatalog::Put(Duty duty, DutyChange change, bool create) {
  RETURN_IF_ERROR(ValidateDuty(duty));
  if (agencies_ != nullptr) {
    RETURN_IF_ERROR(agencies_->CheckRegistered("duty.agency_id", duty.agency_id));
  }
  // One spelling of the set: ascending, and empty when it is everyone.
  std::sort(duty.respondents.begin(), duty.respondents.end());
  if (duty.respondents.size() == Municipalities::Official().size()) duty.respondents.clear();
  if (!duty.deadline.empty()) duty.deadline = DeadlineRule::Parse(duty.deadline)->ToString();
  duty.flags.clear();
  duty.legal_references.clear();
  duty.recorded_uses = 0;
  absl::MutexLock write_lock(&write_mu_);
  if (!create) {
    if (std::shared_ptr<const Duty> current = Find(duty.id); current != nullptr) {
      // Where the duty stands is the lifecycle's to change, not an edit's.
      duty.state = current->state == DutyState::kExpired ? DutyState::kInForce : current->state;
      duty.consultation_until = current->consultation_until;
      duty.expires_on = current->expires_on;
      Duty stored = *current;
      stored.state = duty.state;
      change.changed_fields = ChangedDutyFields(stored, duty);
      // An update that changes nothing (a catalogue imported again) is no
      // new version.
      if (change.changed_fields.empty()) return Get(duty.id);
    }
  }
  // The store decides existence: it is the source of truth and answers
  // ALREADY_EXISTS / NOT_FOUND with the field named.
  RETURN_IF_ERROR(create ? store_->CreateDuty(duty, change) : store_->UpdateDuty(duty, change));
  const std::string id = duty.id;
  AfterWriteLocked(std::move(duty));
  return Get(id);
}

absl::StatusOr<Duty> DutyCatalog::Move(const std::string& id, const Transition& transition,
                                       const std::function<absl::Status(const Duty&)>& check,
                                       const DutyDecision* decision, DutyDecision* recorded) {
  absl::MutexLock write_lock(&write_mu_);
  RefreshFlags();
  std::shared_ptr<const Duty> current = Find(id);
  if (current == nullptr) {
    return absl::NotFoundError(absl::StrCat("duty ", QuoteValue(id), " not found"));
  }
  RETURN_IF_ERROR(check(*current));
  Duty moved = *current;
  if (moved.state == DutyState::kExpired) moved.state = DutyState::kInForce;
  const Duty before = moved;
  moved.state = transition.state;
  moved.consultation_until = transition.consultation_until;
  moved.expires_on = transition.expires_on;
  DutyChange change{transition.changed_by, ChangedDutyFields(before, moved), transition.reason};
  if (decision != nullptr) {
    ASSIGN_OR_RETURN(DutyDecision stored,
                     store_->RecordDecision(*decision,
                                            change.changed_fields.empty() ? nullptr : &moved,
                                            change));
    if (recorded != nullptr) *recorded = std::move(stored);
  } else if (!change.changed_fields.empty()) {
    RETURN_IF_ERROR(store_->UpdateDuty(moved, change));
  }
  moved.flags.clear();
  moved.period_flags.clear();
  moved.flags_serial = 0;
  AfterWriteLocked(std::move(moved));
  return Get(id);
}

void DutyCatalog::AfterWriteLocked(Duty duty) {
  // The store stamps the version's time; a failed read leaves the periods
  // on the versions known before, never the write undone.
  absl::StatusOr<std::vector<DutyVersion>> history = store_->LoadDutyHistory(duty.id);
  absl::MutexLock lock(&mu_);
  if (history.ok()) versions_[duty.id] = *std::move(history);
  const std::string id = duty.id;
  duties_[id] = std::make_shared<const Duty>(std::move(duty));
  // A new or changed duty can create or end overlaps with any other duty.
  ReevaluateAfterWriteLocked(id, today_());
}

absl::StatusOr<Duty> DutyCatalog::Get(absl::string_view id) {
  RefreshFlags();
  std::shared_ptr<const Duty> duty = Find(id);
  if (duty == nullptr) {
    return absl::NotFoundError(absl::StrCat("duty ", QuoteValue(id), " not found"));
  }
  return *duty;
}

absl::StatusOr<DutyPage> DutyCatalog::List(const DutyFilter& filter, int page_size,
                                           absl::string_view page_token) {
  RETURN_IF_ERROR(CheckPageSize(page_size, kMaxPageSize));
  if (page_size == 0) page_size = kDefaultPageSize;
  std::string after;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(after, DecodePageToken(kDutyTokenPrefix, page_token, "ListDuties"));
  }
  RefreshFlags();
  DutyPage page;
  absl::ReaderMutexLock lock(&mu_);
  auto it = page_token.empty() ? duties_.begin() : duties_.upper_bound(after);
  for (; it != duties_.end(); ++it) {
    if (!filter.Matches(*it->second)) continue;
    if (static_cast<int>(page.duties.size()) == page_size) {
      page.next_page_token = EncodePageToken(kDutyTokenPrefix, page.duties.back().id);
      break;
    }
    page.duties.push_back(*it->second);
  }
  return page;
}

std::shared_ptr<const Duty> DutyCatalog::Find(absl::string_view id) {
  if (has_pending_.load(std::memory_order_acquire)) {
    absl::MutexLock lock(&mu_);
    EvaluateNotedLocked(today_());
  }
  return FindFields(id);
}

std::shared_ptr<const Duty> DutyCatalog::FindFields(absl::string_view id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = duties_.find(id);
  return it == duties_.end() ? nullptr : it->second;
}

absl::Status DutyCatalog::CheckDutyFilter(const std::string& duty_id,
                                          const std::string& agency_id) {
  if (duty_id.empty()) return absl::OkStatus();
  std::shared_ptr<const Duty> duty = Find(duty_id);
  if (duty == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("duty_id: duty ", QuoteValue(duty_id), " is not registered"));
  }
  if (!agency_id.empty() && duty->agency_id != agency_id) {
    return absl::InvalidArgumentError(absl::StrCat(
        "duty_id: duty ", QuoteValue(duty_id), " is a duty of agency ",
        QuoteValue(duty->agency_id), ", not of agency_id ", QuoteValue(agency_id)));
  }
  return absl::OkStatus();
}

std::vector<std::shared_ptr<const Duty>> DutyCatalog::Snapshot() {
  RefreshFlags();
  absl::ReaderMutexLock lock(&mu_);
  std::vector<std::shared_ptr<const Duty>> duties;
  duties.reserve(duties_.size());
  for (const auto& [id, duty] : duties_) duties.push_back(duty);
  return duties;
}

void DutyCatalog::NoteChangedDuties(const std::vector<std::string>& duty_ids) {
  absl::MutexLock lock(&pending_mu_);
  pending_.insert(duty_ids.begin(), duty_ids.end());
  has_pending_.store(true, std::memory_order_release);
}

absl::StatusOr<RecordedUse> DutyCatalog::RecordUse(DutyUse use) {
  const absl::CivilDay today = today_();
  RETURN_IF_ERROR(ValidateDutyUse(use, today));
  if (Find(use.duty_id) == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("use.duty_id: duty ", QuoteValue(use.duty_id), " is not registered"));
  }
  absl::MutexLock write_lock(&write_mu_);
  ASSIGN_OR_RETURN(SubmitOutcome outcome, store_->RecordUse(use));
  RecordedUse recorded{use, outcome == SubmitOutcome::kDuplicate};
  if (outcome == SubmitOutcome::kAccepted) {
    absl::MutexLock lock(&mu_);
    // The date was validated above. A shared store's change feed may have
    // brought this use in already.
    std::pair<std::string, std::string> key{use.date, use.use_id};
    if (uses_[use.duty_id].emplace(std::move(key), use).second) aggregates_->AddUse(use);
    ReevaluateLocked(use.duty_id, today);
  }
  return recorded;
}

void DutyCatalog::ApplyStored(std::vector<Duty> duties, std::vector<DutyUse> uses) {
  if (duties.empty() && uses.empty()) return;
  std::map<std::string, std::vector<DutyVersion>> histories;
  for (const Duty& duty : duties) {
    absl::StatusOr<std::vector<DutyVersion>> history = store_->LoadDutyHistory(duty.id);
    if (history.ok()) histories[duty.id] = *std::move(history);
  }
  absl::MutexLock lock(&mu_);
  for (auto& [id, history] : histories) versions_[id] = std::move(history);
  for (Duty& duty : duties) {
    std::string id = duty.id;
    duties_[id] = std::make_shared<const Duty>(std::move(duty));
  }
  for (DutyUse& use : uses) {
    if (duties_.count(use.duty_id) == 0) continue;  // recorded for known duties only
    std::pair<std::string, std::string> key{use.date, use.use_id};
    if (uses_[use.duty_id].emplace(std::move(key), use).second) aggregates_->AddUse(use);
  }
  ReevaluateAllLocked(today_());
}

absl::StatusOr<UsePage> DutyCatalog::ListUses(const UseFilter& filter, int page_size,
                                              absl::string_view page_token) const {
  RETURN_IF_ERROR(CheckPageSize(page_size, kMaxPageSize));
  if (page_size == 0) page_size = kDefaultPageSize;
  // The position after which the page starts: (duty id, date, use id).
  std::tuple<std::string, std::string, std::string> after;
  const bool resume = !page_token.empty();
  if (resume) {
    ASSIGN_OR_RETURN(std::string key,
                     DecodePageToken(kUseTokenPrefix, page_token, "ListDutyUses"));
    std::vector<std::string> parts = absl::StrSplit(key, kKeySeparator);
    if (parts.size() != 3) {
      return absl::InvalidArgumentError("page_token: not a token returned by ListDutyUses");
    }
    after = {parts[0], parts[1], parts[2]};
  }
  UsePage page;
  absl::ReaderMutexLock lock(&mu_);
  for (auto duty_it = resume ? uses_.lower_bound(std::get<0>(after)) : uses_.begin();
       duty_it != uses_.end(); ++duty_it) {
    const std::string& duty_id = duty_it->first;
    if (!filter.duty_id.empty() && duty_id != filter.duty_id) continue;
    if (filter.duty_ids && !filter.duty_ids->contains(duty_id)) continue;
    if (!filter.agency_id.empty()) {
      auto duty = duties_.find(duty_id);
      if (duty == duties_.end() || duty->second->agency_id != filter.agency_id) continue;
    }
    for (const auto& [key, use] : duty_it->second) {
      if (resume && std::tie(duty_id, key.first, key.second) <= after) continue;
      if (static_cast<int>(page.uses.size()) == page_size) {
        const DutyUse& last = page.uses.back();
        page.next_page_token = EncodePageToken(
            kUseTokenPrefix, absl::StrCat(last.duty_id, std::string(1, kKeySeparator),
                                          last.date, std::string(1, kKeySeparator),
                                          last.use_id));
        return page;
      }
      page.uses.push_back(use);
    }
  }
  return page;
}

std::map<std::string, std::vector<DutyOverlap>> DutyCatalog::Overlaps() const {
  absl::ReaderMutexLock lock(&mu_);
  return overlaps_;
}

}  // namespace inrapport
