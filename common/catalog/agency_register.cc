#include "common/catalog/agency_register.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/page_token.h"
#include "common/base/status_macros.h"
#include "common/catalog/duty_catalog.h"
#include "common/domain/agencies.h"
#include "common/domain/validation.h"
#include "common/text/text_safety.h"

namespace inrapport {
namespace {

constexpr absl::string_view kAgencyTokenPrefix = "agencies/v1/after:";

}  // namespace

absl::StatusOr<std::unique_ptr<AgencyRegister>> AgencyRegister::Load(Store* store) {
  std::unique_ptr<AgencyRegister> register_(new AgencyRegister(store));
  ASSIGN_OR_RETURN(std::vector<Agency> stored, store->LoadAgencies());
  ASSIGN_OR_RETURN(std::vector<Duty> duties, store->LoadDuties());
  std::map<std::string, Agency, std::less<>> agencies;
  for (Agency& agency : stored) {
    std::string id = agency.id;
    agencies.emplace(std::move(id), std::move(agency));
  }
  std::vector<Agency> missing;
  for (const Agency& agency : BuiltInAgencies()) {
    if (agencies.count(agency.id) == 0) missing.push_back(agency);
  }
  for (const Duty& duty : duties) {
    if (agencies.count(duty.agency_id) == 0) {
      missing.push_back({duty.agency_id, duty.agency_id, ""});
    }
  }
  for (Agency& agency : missing) {
    if (agencies.count(agency.id) > 0) continue;  // two duties of one agency
    absl::Status put = store->PutAgency(agency, /*create=*/true);
    // Another replica starting together may have registered it first.
    if (!put.ok() && !absl::IsAlreadyExists(put)) return put;
    std::string id = agency.id;
    agencies.emplace(std::move(id), std::move(agency));
  }
  if (!missing.empty()) {
    // As stored, whoever stored it.
    ASSIGN_OR_RETURN(stored, store->LoadAgencies());
    for (Agency& agency : stored) agencies[agency.id] = std::move(agency);
  }
  absl::MutexLock lock(&register_->mu_);
  register_->agencies_ = std::move(agencies);
  return register_;
}

absl::StatusOr<Agency> AgencyRegister::Create(Agency agency) {
  RETURN_IF_ERROR(ValidateAgency(agency));
  absl::MutexLock write(&write_mu_);
  RETURN_IF_ERROR(store_->PutAgency(agency, /*create=*/true));
  absl::MutexLock lock(&mu_);
  agencies_[agency.id] = agency;
  return agency;
}

absl::StatusOr<Agency> AgencyRegister::Update(Agency agency) {
  RETURN_IF_ERROR(ValidateAgency(agency));
  absl::MutexLock write(&write_mu_);
  RETURN_IF_ERROR(store_->PutAgency(agency, /*create=*/false));
  absl::MutexLock lock(&mu_);
  agencies_[agency.id] = agency;
  return agency;
}

absl::StatusOr<Agency> AgencyRegister::Get(absl::string_view id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = agencies_.find(id);
  if (it == agencies_.end()) {
    return absl::NotFoundError(absl::StrCat("agency ", QuoteValue(id), " not found"));
  }
  return it->second;
}

absl::StatusOr<AgencyPage> AgencyRegister::List(int page_size,
                                                absl::string_view page_token) const {
  RETURN_IF_ERROR(CheckPageSize(page_size, kMaxPageSize));
  if (page_size == 0) page_size = kDefaultPageSize;
  std::string after;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(after, DecodePageToken(kAgencyTokenPrefix, page_token, "ListAgencies"));
  }
  AgencyPage page;
  absl::ReaderMutexLock lock(&mu_);
  auto it = page_token.empty() ? agencies_.begin() : agencies_.upper_bound(after);
  for (; it != agencies_.end(); ++it) {
    if (static_cast<int>(page.agencies.size()) == page_size) {
      page.next_page_token = EncodePageToken(kAgencyTokenPrefix, page.agencies.back().id);
      break;
    }
    page.agencies.push_back(it->second);
  }
  return page;
}

absl::Status AgencyRegister::CheckRegistered(absl::string_view field,
                                             absl::string_view id) const {
  absl::ReaderMutexLock lock(&mu_);
  if (agencies_.find(id) != agencies_.end()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": no agency ", QuoteValue(id),
                   " is registered (the administrator registers agencies with CreateAgency)"));
}

std::string AgencyRegister::NameOf(absl::string_view id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = agencies_.find(id);
  return it == agencies_.end() ? std::string(id) : it->second.name;
}

void AgencyRegister::ApplyStored(const std::vector<Agency>& agencies) {
  absl::MutexLock lock(&mu_);
  for (const Agency& agency : agencies) agencies_[agency.id] = agency;
}

}  // namespace inrapport
