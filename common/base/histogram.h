// A fixed-bucket histogram that one thread records into and any thread reads:
// the store's writer measures each commit without knowing about Prometheus,
// and the metrics layer renders the snapshot at scrape time.
#ifndef INRAPPORT_COMMON_BASE_HISTOGRAM_H_
#define INRAPPORT_COMMON_BASE_HISTOGRAM_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace inrapport {

// What a scrape sees: per upper bound, the number of observations at or
// below it (cumulative, as Prometheus wants), then the total and the sum.
struct HistogramSnapshot {
  std::vector<double> upper_bounds;
  std::vector<uint64_t> cumulative_counts;  // one per upper bound
  uint64_t count = 0;                       // includes those above the last bound
  double sum = 0;
};

class Histogram {
 public:
  // `upper_bounds` ascending; an implicit +Inf bucket follows the last.
  explicit Histogram(std::vector<double> upper_bounds)
      : bounds_(std::move(upper_bounds)),
        buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
    for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
  }

  // Safe to call from one thread at a time (the sum is read-modify-write);
  // Snapshot() may run concurrently from any thread.
  void Observe(double value) {
    size_t i = 0;
    while (i < bounds_.size() && value > bounds_[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.store(sum_.load(std::memory_order_relaxed) + value, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_release);
  }

  HistogramSnapshot Snapshot() const {
    HistogramSnapshot s;
    s.count = count_.load(std::memory_order_acquire);
    s.sum = sum_.load(std::memory_order_relaxed);
    s.upper_bounds = bounds_;
    uint64_t running = 0;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      running += buckets_[i].load(std::memory_order_relaxed);
      s.cumulative_counts.push_back(running);
    }
    // Buckets read after count may include a newer observation; a
    // cumulative count above the total would be an invalid exposition.
    running += buckets_[bounds_.size()].load(std::memory_order_relaxed);
    if (running > s.count) s.count = running;
    return s;
  }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BASE_HISTOGRAM_H_
