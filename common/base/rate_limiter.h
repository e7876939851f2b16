// A per-key budget of events per time window, for log lines that a caller
// who is not authenticated can trigger: past the budget they are counted,
// not written, and the next line that is written says how many were not.
#ifndef INRAPPORT_COMMON_BASE_RATE_LIMITER_H_
#define INRAPPORT_COMMON_BASE_RATE_LIMITER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace inrapport {

// Thread-safe. Keys must come from a bounded set (event names, method and
// status code), never from what a caller sends: each key keeps a counter.
class RateLimiter {
 public:
  struct Verdict {
    bool allowed = false;
    // With `allowed`: the events of this key refused since the last allowed
    // one, for the allowed line to report; 0 otherwise.
    int64_t suppressed = 0;
  };

  // At most `per_window` (at least 1) events of each key are allowed in
  // each `window`, counted from the key's first event in it. `clock` is for
  // tests.
  RateLimiter(int per_window, absl::Duration window,
              std::function<absl::Time()> clock = [] { return absl::Now(); });

  Verdict Admit(absl::string_view key);

 private:
  struct Bucket {
    absl::Time window_start = absl::InfinitePast();
    int allowed_in_window = 0;
    int64_t suppressed = 0;
  };
  const int per_window_;
  const absl::Duration window_;
  const std::function<absl::Time()> clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BASE_RATE_LIMITER_H_
