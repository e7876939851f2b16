#include "common/catalog/duty_catalog.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/domain/validation.h"
#include "common/flags/flag_rules.h"

namespace inrapport {
namespace {

// Page tokens are opaque to clients: the last id of the page, encoded, with a
// prefix that tells a token of this API from anything else.
constexpr absl::string_view kTokenPrefix = "duties/v1/after:";

std::string EncodePageToken(absl::string_view last_id) {
  return absl::WebSafeBase64Escape(absl::StrCat(kTokenPrefix, last_id));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token) {
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(token, &decoded) ||
      !absl::StartsWith(decoded, kTokenPrefix)) {
    return absl::InvalidArgumentError(
        "page_token: not a token returned by ListDuties");
  }
  return decoded.substr(kTokenPrefix.size());
}

}  // namespace

bool DutyFilter::Matches(const Duty& duty) const {
  if (!agency_id.empty() && duty.agency_id != agency_id) return false;
  if (sector != Sector::kUnspecified && duty.sector != sector) return false;
  if (flagged_only && !duty.flagged()) return false;
  return true;
}

absl::StatusOr<std::unique_ptr<DutyCatalog>> DutyCatalog::Load(Store* store) {
  ASSIGN_OR_RETURN(std::vector<Duty> duties, store->LoadDuties());
  std::unique_ptr<DutyCatalog> catalog(new DutyCatalog(store));
  absl::MutexLock lock(&catalog->mu_);
  for (Duty& duty : duties) {
    duty.flags = EvaluateFlags(duty);
    std::string id = duty.id;
    catalog->duties_.emplace(std::move(id),
                             std::make_shared<const Duty>(std::move(duty)));
  }
  return catalog;
}

absl::StatusOr<Duty> DutyCatalog::Create(Duty duty) {
  return Put(std::move(duty), /*create=*/true);
}

absl::StatusOr<Duty> DutyCatalog::Update(Duty duty) {
  return Put(std::move(duty), /*create=*/false);
}

absl::StatusOr<Duty> DutyCatalog::Put(Duty duty, bool create) {
  RETURN_IF_ERROR(ValidateDuty(duty));
  duty.flags = EvaluateFlags(duty);
  absl::MutexLock write_lock(&write_mu_);
  // The store decides existence: it is the source of truth and answers
  // ALREADY_EXISTS / NOT_FOUND with the field named.
  RETURN_IF_ERROR(create ? store_->CreateDuty(duty) : store_->UpdateDuty(duty));
  auto stored = std::make_shared<const Duty>(duty);
  absl::MutexLock lock(&mu_);
  duties_[duty.id] = std::move(stored);
  return duty;
}

absl::StatusOr<Duty> DutyCatalog::Get(absl::string_view id) const {
  std::shared_ptr<const Duty> duty = Find(id);
  if (duty == nullptr) {
    return absl::NotFoundError(absl::StrCat("duty \"", id, "\" not found"));
  }
  return *duty;
}

absl::StatusOr<DutyPage> DutyCatalog::List(const DutyFilter& filter,
                                           int page_size,
                                           absl::string_view page_token) const {
  if (page_size < 0 || page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "page_size: must be between 0 and ", kMaxPageSize, ", got ", page_size));
  }
  if (page_size == 0) page_size = kDefaultPageSize;
  std::string after;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(after, DecodePageToken(page_token));
  }
  DutyPage page;
  absl::ReaderMutexLock lock(&mu_);
  auto it = page_token.empty() ? duties_.begin() : duties_.upper_bound(after);
  for (; it != duties_.end(); ++it) {
    if (!filter.Matches(*it->second)) continue;
    if (static_cast<int>(page.duties.size()) == page_size) {
      page.next_page_token = EncodePageToken(page.duties.back().id);
      break;
    }
    page.duties.push_back(*it->second);
  }
  return page;
}

std::shared_ptr<const Duty> DutyCatalog::Find(absl::string_view id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = duties_.find(id);
  return it == duties_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const Duty>> DutyCatalog::Snapshot() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<std::shared_ptr<const Duty>> duties;
  duties.reserve(duties_.size());
  for (const auto& [id, duty] : duties_) duties.push_back(duty);
  return duties;
}

}  // namespace inrapport
