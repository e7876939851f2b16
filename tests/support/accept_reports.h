// What the intake does with reports, for tests of the core without it:
// store them, then add those the store accepted to the aggregates.
#ifndef INRAPPORT_TESTS_SUPPORT_ACCEPT_REPORTS_H_
#define INRAPPORT_TESTS_SUPPORT_ACCEPT_REPORTS_H_

#include <cstdint>
#include <vector>

#include "common/aggregates/aggregates.h"
#include "common/store/store.h"

namespace inrapport::testing {

inline void AcceptReports(Store& store, Aggregates& aggregates,
                          const std::vector<Report>& reports) {
  const Store::SubmitResults results = store.SubmitReportsAndWait(reports);
  std::vector<const Report*> accepted;
  std::vector<int64_t> received_at;  // each one's receipt, as the intake keeps it
  for (size_t i = 0; i < reports.size(); ++i) {
    if (results[i].ok() && results[i]->outcome == SubmitOutcome::kAccepted) {
      accepted.push_back(&reports[i]);
      received_at.push_back(results[i]->receipt.received_at_unix);
    }
  }
  aggregates.AddReports(accepted, received_at);
}

}  // namespace inrapport::testing

#endif  // INRAPPORT_TESTS_SUPPORT_ACCEPT_REPORTS_H_
