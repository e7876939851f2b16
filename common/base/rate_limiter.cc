#include "common/base/rate_limiter.h"

#include <algorithm>
#include <utility>

namespace inrapport {

RateLimiter::RateLimiter(int per_window, absl::Duration window,
                         std::function<absl::Time()> clock)
    : per_window_(std::max(per_window, 1)), window_(window), clock_(std::move(clock)) {}

RateLimiter::Verdict RateLimiter::Admit(absl::string_view key) {
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  Bucket& bucket = buckets_[key];
  if (now - bucket.window_start >= window_) {
    bucket.window_start = now;
    bucket.allowed_in_window = 0;
  }
  Verdict verdict;
  if (bucket.allowed_in_window >= per_window_) {
    ++bucket.suppressed;
    return verdict;
  }
  ++bucket.allowed_in_window;
  verdict.allowed = true;
  verdict.suppressed = std::exchange(bucket.suppressed, 0);
  return verdict;
}

}  // namespace inrapport
