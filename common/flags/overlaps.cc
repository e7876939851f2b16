#include "common/flags/overlaps.h"

#include <set>
#include <utility>

#include "absl/strings/ascii.h"

namespace inrapport {

std::string NormalizeDataItem(absl::string_view item) {
  item = absl::StripAsciiWhitespace(item);
  std::string out;
  out.reserve(item.size());
  bool gap = false;
  for (char c : item) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) || c == '-') {
      gap = true;
      continue;
    }
    if (gap) out.push_back('_');
    gap = false;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

int DistinctDataItemCount(const Duty& duty) {
  std::set<std::string> distinct;
  for (const std::string& item : duty.data_items) {
    std::string name = NormalizeDataItem(item);
    if (!name.empty()) distinct.insert(std::move(name));
  }
  return static_cast<int>(distinct.size());
}

std::map<std::string, std::vector<DutyOverlap>> FindOverlaps(
    const std::vector<const Duty*>& duties, const std::vector<const Duty*>& silent) {
  // The silent duties after the others: an index at or past
  // duties.size() asks nothing.
  std::vector<const Duty*> all = duties;
  all.insert(all.end(), silent.begin(), silent.end());
  const size_t asking = duties.size();
  // Item -> the duties (by index) that name it, each once.
  std::map<std::string, std::set<size_t>> askers;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i] == nullptr) continue;
    for (const std::string& item : all[i]->data_items) {
      std::string name = NormalizeDataItem(item);
      if (!name.empty()) askers[std::move(name)].insert(i);
    }
  }
  // (duty id, other duty id) -> the shared items, which come out sorted
  // because `askers` is walked in item order.
  std::map<std::pair<std::string, std::string>, DutyOverlap> pairs;
  for (const auto& [item, indices] : askers) {
    if (indices.size() < 2) continue;
    for (size_t a : indices) {
      for (size_t b : indices) {
        if (b >= asking) break;  // indices are sorted: the rest are silent too
        const Duty& duty = *all[a];
        const Duty& other = *all[b];
        if (a == b || duty.agency_id == other.agency_id || duty.id == other.id) continue;
        DutyOverlap& overlap = pairs[{duty.id, other.id}];
        overlap.other_duty_id = other.id;
        overlap.other_agency_id = other.agency_id;
        if (overlap.shared_items.empty() || overlap.shared_items.back() != item) {
          overlap.shared_items.push_back(item);
        }
      }
    }
  }
  std::map<std::string, std::vector<DutyOverlap>> overlaps;
  for (auto& [ids, overlap] : pairs) overlaps[ids.first].push_back(std::move(overlap));
  return overlaps;
}

}  // namespace inrapport
