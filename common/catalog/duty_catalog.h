// The register of reporting duties: validated, flagged and durable, with an
// in-memory copy that the intake and the queries read without touching disk.
#ifndef INRAPPORT_COMMON_CATALOG_DUTY_CATALOG_H_
#define INRAPPORT_COMMON_CATALOG_DUTY_CATALOG_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/domain/types.h"
#include "common/store/store.h"

namespace inrapport {

struct DutyFilter {
  std::string agency_id;                 // empty: any
  Sector sector = Sector::kUnspecified;  // unspecified: any
  bool flagged_only = false;

  bool Matches(const Duty& duty) const;
};

struct DutyPage {
  std::vector<Duty> duties;
  std::string next_page_token;  // empty on the last page
};

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

// Thread-safe. Reads share a lock; changes are serialised and durable in the
// store before they are visible.
class DutyCatalog {
 public:
  // Reads every duty from `store` (not owned; must outlive the catalogue) and
  // computes its flags.
  static absl::StatusOr<std::unique_ptr<DutyCatalog>> Load(Store* store);

  // Validates, flags and stores a new duty and returns it with its flags.
  // INVALID_ARGUMENT naming the field; ALREADY_EXISTS if the id is taken.
  // Client-supplied flags are ignored.
  absl::StatusOr<Duty> Create(Duty duty);
  // Replaces a duty; NOT_FOUND if there is none with its id.
  absl::StatusOr<Duty> Update(Duty duty);
  // NOT_FOUND if there is no duty with `id`.
  absl::StatusOr<Duty> Get(absl::string_view id) const;

  // Duties in id order. page_size 0 means kDefaultPageSize; INVALID_ARGUMENT
  // for a negative size, a size over kMaxPageSize or a foreign page token.
  absl::StatusOr<DutyPage> List(const DutyFilter& filter, int page_size,
                                absl::string_view page_token) const;

  // The current duty with `id`, or null. The pointee never changes: an update
  // replaces the pointer, so holders keep a consistent snapshot.
  std::shared_ptr<const Duty> Find(absl::string_view id) const;

  // A consistent snapshot of every duty, in id order.
  std::vector<std::shared_ptr<const Duty>> Snapshot() const;

 private:
  explicit DutyCatalog(Store* store) : store_(store) {}

  absl::StatusOr<Duty> Put(Duty duty, bool create);

  Store* const store_;
  absl::Mutex write_mu_;  // serialises Create/Update, store write included
  mutable absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<const Duty>, std::less<>> duties_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_CATALOG_DUTY_CATALOG_H_
