#include "common/store/store.h"

#include <future>
#include <utility>

namespace inrapport {

const char* FirstDifference(const Report& a, const Report& b) {
  if (a.municipality_code != b.municipality_code) return "municipality_code";
  if (a.duty_id != b.duty_id) return "duty_id";
  if (a.period != b.period) return "period";
  if (a.minutes_spent != b.minutes_spent) return "minutes_spent";
  if (a.staff_count != b.staff_count) return "staff_count";
  if (a.usefulness != b.usefulness) return "usefulness";
  if (a.feedback_received != b.feedback_received) return "feedback_received";
  if (a.already_reported_elsewhere != b.already_reported_elsewhere) {
    return "already_reported_elsewhere";
  }
  if (a.comment != b.comment) return "comment";
  return nullptr;
}

const char* FirstDifference(const DutyUse& a, const DutyUse& b) {
  if (a.kind != b.kind) return "kind";
  if (a.date != b.date) return "date";
  if (a.description != b.description) return "description";
  if (a.link != b.link) return "link";
  return nullptr;
}

Store::SubmitResults Store::SubmitReportsAndWait(std::vector<Report> reports) {
  std::promise<SubmitResults> promise;
  std::future<SubmitResults> future = promise.get_future();
  SubmitReports(std::move(reports), [&promise](SubmitResults results) {
    promise.set_value(std::move(results));
  });
  return future.get();
}

}  // namespace inrapport
