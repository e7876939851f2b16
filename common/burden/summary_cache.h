// Burden summaries already answered, kept while nothing they read changes.
//
// The arena's dashboards ask the same few summaries again and again, while
// reports arrive a few at a time: between two reports every repeat would
// sum the same cells again. An answer is kept with what it was computed
// from, the burden index's generation and the flags serial of each of the
// catalogue's duties (Duty::flags_serial, new at every evaluation, and every
// change of a duty is evaluated), and is served only while both are still
// the same. Serials, not the duties: a kept answer holds no old duty alive.
#ifndef INRAPPORT_COMMON_BURDEN_SUMMARY_CACHE_H_
#define INRAPPORT_COMMON_BURDEN_SUMMARY_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/aggregates/burden_index.h"
#include "common/domain/types.h"

namespace inrapport {

// What an answer was computed from.
struct SummaryInputs {
  uint64_t index_generation = 0;
  // Of every duty, in the catalogue's order; a 0 (never evaluated) makes
  // the answer not kept.
  std::vector<uint64_t> flags_serials;
};

// Thread-safe. Holds at most `capacity` answers, all of the same inputs:
// an answer of other inputs replaces them all.
class SummaryCache {
 public:
  explicit SummaryCache(size_t capacity) : capacity_(capacity) {}
  SummaryCache(const SummaryCache&) = delete;
  SummaryCache& operator=(const SummaryCache&) = delete;

  // The answer kept for `key`, if it was computed from `inputs`; else null.
  std::shared_ptr<const BurdenTable> Find(const std::string& key,
                                          const SummaryInputs& inputs) const;
  // Keeps `table`, the answer for `key` computed from `inputs`.
  void Put(const std::string& key, const SummaryInputs& inputs, BurdenTable table);

  // Answers served from the cache, and answers computed and kept.
  uint64_t hits() const;
  uint64_t misses() const;

 private:
  static bool Same(const SummaryInputs& a, const SummaryInputs& b);

  const size_t capacity_;
  mutable absl::Mutex mu_;
  SummaryInputs inputs_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::shared_ptr<const BurdenTable>> answers_
      ABSL_GUARDED_BY(mu_);
  mutable uint64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  mutable uint64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BURDEN_SUMMARY_CACHE_H_
