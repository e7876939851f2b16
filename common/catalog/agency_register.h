// The register of state agencies: the parties that may put duties on
// municipalities. A duty must name a registered agency; summaries and
// reports show the agency's name. Durable in the store, read from memory.
#ifndef INRAPPORT_COMMON_CATALOG_AGENCY_REGISTER_H_
#define INRAPPORT_COMMON_CATALOG_AGENCY_REGISTER_H_

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

struct AgencyPage {
  std::vector<Agency> agencies;
  std::string next_page_token;  // empty on the last page
};

// Thread-safe. Changes are durable in the store before they are visible.
class AgencyRegister {
 public:
  // Reads the stored agencies and registers, durably, those missing of the
  // built-in agencies (common/domain/agencies.h) and of the stored duties
  // (an agency a duty named before agencies were registered keeps its id
  // as its name until the administrator names it). `store` is not owned.
  static absl::StatusOr<std::unique_ptr<AgencyRegister>> Load(Store* store);

  // INVALID_ARGUMENT naming the field; ALREADY_EXISTS if the id is taken.
  absl::StatusOr<Agency> Create(Agency agency);
  // Renames an agency or states its organisation number; NOT_FOUND if it
  // is not registered.
  absl::StatusOr<Agency> Update(Agency agency);
  // NOT_FOUND naming the id.
  absl::StatusOr<Agency> Get(absl::string_view id) const;
  // In id order; paged as DutyCatalog::List.
  absl::StatusOr<AgencyPage> List(int page_size, absl::string_view page_token) const;

  // OK for a registered agency, else INVALID_ARGUMENT naming `field` and
  // the agency, and how to register it.
  absl::Status CheckRegistered(absl::string_view field, absl::string_view id) const;
  // The agency's name, or its id if it is not registered.
  std::string NameOf(absl::string_view id) const;

  // Agencies another process wrote to a shared store (its change feed).
  void ApplyStored(const std::vector<Agency>& agencies);

 private:
  explicit AgencyRegister(Store* store) : store_(store) {}

  Store* const store_;
  absl::Mutex write_mu_;  // serialises changes, store write included
  mutable absl::Mutex mu_;
  std::map<std::string, Agency, std::less<>> agencies_ ABSL_GUARDED_BY(mu_);
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_CATALOG_AGENCY_REGISTER_H_
