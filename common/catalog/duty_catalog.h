// The register of reporting duties: validated, flagged and durable, with an
// in-memory copy that the intake and the queries read without touching disk,
// and the uses agencies have recorded. Flags are evaluated from the
// aggregates (common/aggregates), which tell the catalogue when reports
// change a duty's figures, so flags are never computed by rescanning reports.
#ifndef INRAPPORT_COMMON_CATALOG_DUTY_CATALOG_H_
#define INRAPPORT_COMMON_CATALOG_DUTY_CATALOG_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "common/aggregates/aggregates.h"
#include "common/catalog/agency_register.h"
#include "common/domain/duty_version.h"
#include "common/domain/lifecycle.h"
#include "common/domain/period.h"
#include "common/domain/types.h"
#include "common/flags/duty_stats.h"
#include "common/flags/flag_rules.h"
#include "common/store/store.h"

namespace inrapport {

struct DutyFilter {
  std::string agency_id;                 // empty: any
  Sector sector = Sector::kUnspecified;  // unspecified: any
  bool flagged_only = false;
  // Unspecified: any. Compared with the state on the day the list is made
  // (an expired duty is kExpired).
  DutyState state = DutyState::kUnspecified;

  bool Matches(const Duty& duty) const;
};

struct DutyPage {
  std::vector<Duty> duties;
  std::string next_page_token;  // empty on the last page
};

struct UseFilter {
  std::string duty_id;    // empty: any
  std::string agency_id;  // empty: any (the agency of the duty)
  // When set, only uses of these duties.
  std::optional<absl::flat_hash_set<std::string>> duty_ids;
};

struct UsePage {
  std::vector<DutyUse> uses;
  std::string next_page_token;  // empty on the last page
};

struct RecordedUse {
  DutyUse use;
  bool duplicate = false;  // recorded before with the same content
};

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

// Thread-safe. Reads share a lock; changes are serialised and durable in the
// store before they are visible.
class DutyCatalog {
 public:
  using Clock = std::function<absl::CivilDay()>;  // today's date

  // Reads every duty, its versions and the recorded uses from `store`, and
  // computes the flags from `aggregates` (loaded from the same store). Both
  // are not owned and must outlive the catalogue, which listens to the
  // aggregates for the duties that new reports change.
  // With `agencies` (not owned), a duty must name a registered agency.
  static absl::StatusOr<std::unique_ptr<DutyCatalog>> Load(
      Store* store, Aggregates* aggregates, FlagThresholds thresholds = {},
      Clock today = nullptr, const AgencyRegister* agencies = nullptr);
  ~DutyCatalog();
  DutyCatalog(const DutyCatalog&) = delete;
  DutyCatalog& operator=(const DutyCatalog&) = delete;

  // Validates, flags and stores a new duty and returns it with its flags;
  // its first version names `changed_by` (the principal). INVALID_ARGUMENT
  // naming the field (also for an agency that is not registered);
  // ALREADY_EXISTS if the id is taken. Client-supplied
  // flags are ignored.
  absl::StatusOr<Duty> Create(Duty duty, std::string changed_by = "");
  // Replaces a duty; NOT_FOUND if there is none with its id. Its reports
  // and uses stay with it. A change is a new version naming `changed_by`
  // and the changed fields; an update that changes nothing is none.
  absl::StatusOr<Duty> Update(Duty duty, std::string changed_by = "");
  // Create and Update register duties in force: a create is in force (with
  // the expires_on it states, if any), an update keeps the stored state and
  // dates whatever the client sent. A new duty goes through Propose, and
  // then moves only by Move (common/lifecycle).

  // Validates, flags and stores a proposal: a duty in state proposed, whose
  // first version names `changed_by` and `reason`. As Create otherwise.
  absl::StatusOr<Duty> Propose(Duty duty, std::string changed_by, std::string reason);

  // A move of a duty between lifecycle states.
  struct Transition {
    DutyState state = DutyState::kUnspecified;
    std::string consultation_until;  // the new value (kept when unchanged)
    std::string expires_on;
    std::string changed_by;
    std::string reason;
  };
  // Checks the stored duty with `check` (FAILED_PRECONDITION and the like
  // when the move is not allowed from where it stands), then stores the
  // move as the duty's next version, and with `decision` records it in the
  // same transaction; `recorded`, if set, receives the decision as stored.
  // NOT_FOUND for an unknown duty. Serialised with every other change, so
  // that `check` sees the duty the move replaces.
  absl::StatusOr<Duty> Move(const std::string& id, const Transition& transition,
                            const std::function<absl::Status(const Duty&)>& check,
                            const DutyDecision* decision = nullptr,
                            DutyDecision* recorded = nullptr);
  // Every version of a duty, oldest first; NOT_FOUND for an unknown duty.
  absl::StatusOr<std::vector<DutyVersion>> History(absl::string_view id);
  // NOT_FOUND if there is no duty with `id`.
  absl::StatusOr<Duty> Get(absl::string_view id);

  // Duties in id order. page_size 0 means kDefaultPageSize; INVALID_ARGUMENT
  // for a negative size, a size over kMaxPageSize or a foreign page token.
  absl::StatusOr<DutyPage> List(const DutyFilter& filter, int page_size,
                                absl::string_view page_token);

  // The current duty with `id`, or null. The pointee never changes: an update
  // replaces the pointer, so holders keep a consistent snapshot. Its flags
  // count every report stored so far; it does not refresh date-dependent
  // flags (that is left to the reads of many duties).
  std::shared_ptr<const Duty> Find(absl::string_view id);
  // As Find, but the report-driven flags may not yet count the latest
  // reports: for checks of the duty's own fields, which reports never
  // change (the intake's, which must not wait for flags).
  std::shared_ptr<const Duty> FindFields(absl::string_view id) const;

  // A query's duty_id filter, with its agency_id filter (either may be
  // empty): NOT_FOUND naming duty_id for an unknown duty, INVALID_ARGUMENT
  // for a duty of another agency than agency_id.
  absl::Status CheckDutyFilter(const std::string& duty_id, const std::string& agency_id);

  // A consistent snapshot of every duty, in id order, with flags as of
  // today.
  std::vector<std::shared_ptr<const Duty>> Snapshot();

  // Validates and durably records a use of a duty's data; the duty's flags
  // are re-evaluated. INVALID_ARGUMENT naming the field; NOT_FOUND naming
  // use.duty_id for an unknown duty; ALREADY_EXISTS when the use id is
  // recorded with different content; UNAVAILABLE when the store fails.
  absl::StatusOr<RecordedUse> RecordUse(DutyUse use);

  // Duties and uses another process wrote to a shared store (its change
  // feed): a duty replaces the one with its id, a use already known is
  // ignored. Flags are re-evaluated.
  void ApplyStored(std::vector<Duty> duties, std::vector<DutyUse> uses);

  // Uses ordered by duty id, date, use id; paged like List.
  absl::StatusOr<UsePage> ListUses(const UseFilter& filter, int page_size,
                                   absl::string_view page_token) const;

  // The data items each duty shares with duties of other agencies (see
  // FindOverlaps); duties without overlaps are absent.
  std::map<std::string, std::vector<DutyOverlap>> Overlaps() const;

  // The agency's registered name; its id without a register.
  std::string AgencyName(absl::string_view agency_id) const {
    return agencies_ != nullptr ? agencies_->NameOf(agency_id) : std::string(agency_id);
  }

  const FlagThresholds& thresholds() const { return thresholds_; }
  absl::CivilDay Today() const { return today_(); }

 private:
  DutyCatalog(Store* store, Aggregates* aggregates, FlagThresholds thresholds, Clock today,
              const AgencyRegister* agencies);
  // The aggregates' listener: reports changed these duties' figures. They
  // are only noted here, on the store's commit path; the next read that
  // needs their flags evaluates them (once for any number of commits).
  void NoteChangedDuties(const std::vector<std::string>& duty_ids);
  // Evaluates the noted duties.
  void EvaluateNotedLocked(absl::CivilDay today) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::StatusOr<Duty> Put(Duty duty, DutyChange change, bool create);
  // After a durable write of `duty`: its history read again, the duty in
  // memory, and every duty's flags.
  void AfterWriteLocked(Duty duty) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Flags, references and use count of `duty` from the current aggregates.
  Duty Evaluated(Duty duty, absl::CivilDay today) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void ReevaluateLocked(const std::string& id, absl::CivilDay today)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The overlaps of every duty as the catalogue stands; *in_force gets the
  // duties in force.
  std::map<std::string, std::vector<DutyOverlap>> OverlapsLocked(
      absl::CivilDay today, std::vector<const Duty*>* in_force) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Overlaps of every duty, then every duty's flags.
  void ReevaluateAllLocked(absl::CivilDay today) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // After `written` was created or changed: the overlaps again, and the
  // flags of the duties they can have changed (all of them on a new day).
  void ReevaluateAfterWriteLocked(const std::string& written, absl::CivilDay today)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether a version of duty `id` asked for other data items than these.
  bool ItemsChangedLocked(const std::string& id, const std::vector<std::string>& data_items) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The catalogue flags of every version of each of `duties` (current
  // duties in force), against the current overlaps; an old version with
  // other data items against `in_force`, the duties in force now.
  void FlagVersionsLocked(const std::vector<const Duty*>& duties,
                          const std::vector<const Duty*>& in_force)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Every duty's flags on a new day (NO_RECORDED_USE looks back from today:
  // a new day may move its window), else the noted duties'.
  void RefreshFlags();

  Store* const store_;
  Aggregates* const aggregates_;
  const FlagThresholds thresholds_;
  const Clock today_;
  const AgencyRegister* const agencies_;  // null: any agency
  absl::Mutex write_mu_;  // serialises changes, store write included
  mutable absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<const Duty>, std::less<>> duties_
      ABSL_GUARDED_BY(mu_);
  // Per duty, ordered by (date, use id).
  std::map<std::string, std::map<std::pair<std::string, std::string>, DutyUse>, std::less<>>
      uses_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::vector<DutyOverlap>> overlaps_ ABSL_GUARDED_BY(mu_);
  // Every duty's versions, oldest first, and the catalogue flags of each,
  // from which a period takes the flags of the text in force at its end.
  struct VersionFlags {
    int64_t from_unix = 0;  // 0: in force since before history was kept
    std::vector<std::string> codes;
  };
  std::map<std::string, std::vector<DutyVersion>, std::less<>> versions_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::vector<VersionFlags>, std::less<>> version_flags_
      ABSL_GUARDED_BY(mu_);
  absl::CivilDay evaluated_on_ ABSL_GUARDED_BY(mu_);
  // The duties noted by NoteChangedDuties and not evaluated since. Taken
  // after mu_ (or alone, by the listener).
  absl::Mutex pending_mu_ ABSL_ACQUIRED_AFTER(mu_);
  absl::flat_hash_set<std::string> pending_ ABSL_GUARDED_BY(pending_mu_);
  std::atomic<bool> has_pending_{false};  // whether pending_ may hold any
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_CATALOG_DUTY_CATALOG_H_
