#include "common/burden/summary_cache.h"

#include <utility>

namespace inrapport {

bool SummaryCache::Same(const SummaryInputs& a, const SummaryInputs& b) {
  return a.index_generation == b.index_generation && a.flags_serials == b.flags_serials;
}

std::shared_ptr<const BurdenTable> SummaryCache::Find(const std::string& key,
                                                      const SummaryInputs& inputs) const {
  absl::MutexLock lock(&mu_);
  if (Same(inputs_, inputs)) {
    if (auto it = answers_.find(key); it != answers_.end()) {
      ++hits_;
      return it->second;
    }
  }
  ++misses_;
  return nullptr;
}

void SummaryCache::Put(const std::string& key, const SummaryInputs& inputs,
                       BurdenTable table) {
  if (capacity_ == 0) return;
  for (uint64_t serial : inputs.flags_serials) {
    if (serial == 0) return;  // a duty not evaluated: nothing to tell its changes by
  }
  auto answer = std::make_shared<const BurdenTable>(std::move(table));
  absl::MutexLock lock(&mu_);
  if (!Same(inputs_, inputs)) {
    // Answers of older inputs are of no more use (a summary computed
    // meanwhile from newer inputs may be replaced in turn: only time lost).
    answers_.clear();
    inputs_ = inputs;
  }
  if (answers_.size() >= capacity_ && !answers_.contains(key)) answers_.clear();
  answers_[key] = std::move(answer);
}

uint64_t SummaryCache::hits() const {
  absl::MutexLock lock(&mu_);
  return hits_;
}

uint64_t SummaryCache::misses() const {
  absl::MutexLock lock(&mu_);
  return misses_;
}

}  // namespace inrapport
