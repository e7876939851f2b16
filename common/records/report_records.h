// What a municipality has submitted, read back: one stored report with its
// receipt, and the stored reports listed page by page with filters. The
// reports as stored, not figures: who may read which is the access
// policy's business (common/auth), checked by the caller.
#ifndef INRAPPORT_COMMON_RECORDS_REPORT_RECORDS_H_
#define INRAPPORT_COMMON_RECORDS_REPORT_RECORDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/catalog/duty_catalog.h"
#include "common/store/store.h"

namespace inrapport {

// Which stored reports ListReports returns, by municipality code, then
// submission id. Empty strings match all.
struct ReportListQuery {
  std::string municipality_code;
  std::string duty_id;
  std::string agency_id;  // the reports of this agency's duties
  // Reports whose period lies wholly inside the range, in any period form;
  // either end may be empty (open).
  std::string period_from;
  std::string period_to;
  int64_t received_since_unix = 0;  // 0: any time
  int page_size = 0;                // 0: kDefaultPageSize
  std::string page_token;
};

struct ReportPage {
  std::vector<StoredReport> reports;
  // Empty on the last page. A page may hold fewer than page_size reports
  // while more follow (the period filter is applied to what was read).
  std::string next_page_token;
};

class ReportRecords {
 public:
  // Reports read from the store per page at most, as a multiple of the
  // page size: a period filter that matches few reports ends a page early
  // (with a token) instead of reading the whole store in one call.
  static constexpr int kReadsPerPageSize = 10;

  // Neither is owned; both must outlive this.
  ReportRecords(Store* store, DutyCatalog* catalog) : store_(store), catalog_(catalog) {}

  // The stored report; NOT_FOUND naming both keys when the municipality
  // stored none under the id, INVALID_ARGUMENT for a code that is not an
  // official one or an empty id.
  absl::StatusOr<StoredReport> Get(const std::string& municipality_code,
                                   const std::string& submission_id) const;

  // The versions the stored report replaced, oldest first (see
  // Store::LoadReportVersions).
  absl::StatusOr<std::vector<StoredReport>> EarlierVersions(const StoredReport& stored) const {
    return store_->LoadReportVersions(stored.report.municipality_code,
                                      stored.report.submission_id);
  }

  // The agency of the report's duty; empty if the duty is not registered.
  std::string AgencyOf(const Report& report) const;

  // INVALID_ARGUMENT names the bad field (an unofficial code, a bad period
  // or range, a duty not of agency_id, a foreign page token); NOT_FOUND an
  // unknown duty.
  absl::StatusOr<ReportPage> List(const ReportListQuery& query) const;

 private:
  Store* const store_;
  DutyCatalog* const catalog_;
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_RECORDS_REPORT_RECORDS_H_
