#include "common/store/store.h"

#include <future>
#include <utility>

namespace inrapport {

Store::SubmitResults Store::SubmitReportsAndWait(std::vector<Report> reports) {
  std::promise<SubmitResults> promise;
  std::future<SubmitResults> future = promise.get_future();
  SubmitReports(std::move(reports), [&promise](SubmitResults results) {
    promise.set_value(std::move(results));
  });
  return future.get();
}

}  // namespace inrapport
