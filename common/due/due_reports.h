// What is due when: for one municipality and a range of dates, each period
// of each duty it must report whose deadline falls in the range, and
// whether its report came on time, came late, is missing or is not yet
// due. Read from the stored reports (Store::ListReports) and the duties'
// deadline rules; who may ask for which municipality and agency is the
// access policy's business (common/auth), checked by the caller.
#ifndef INRAPPORT_COMMON_DUE_DUE_REPORTS_H_
#define INRAPPORT_COMMON_DUE_DUE_REPORTS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/catalog/duty_catalog.h"
#include "common/store/store.h"

namespace inrapport {

// The numeric values match the proto enum, so conversion is a cast.
enum class DueState {
  kReceived = 1,      // received on or before the deadline day
  kReceivedLate = 2,  // first received after the deadline day
  kMissing = 3,       // the deadline has passed and nothing was received
  kNotYetDue = 4,     // nothing received, and the deadline is today or ahead
};
absl::string_view DueStateName(DueState state);  // "received", "received_late", ...

struct DueQuery {
  std::string municipality_code;  // required: an official code
  // The range of deadlines, "YYYY-MM-DD", both inclusive; empty: today
  // minus kDefaultDaysBack, today plus kDefaultDaysAhead.
  std::string from;
  std::string to;
  std::string agency_id;  // only this agency's duties; empty: every agency's
};

struct DueEntry {
  std::string duty_id;
  std::string agency_id;
  std::string title;
  std::string period;           // canonical period text
  std::string rule;             // the duty's deadline rule, canonical text
  absl::CivilDay deadline;      // the last day on which the report is on time
  DueState state = DueState::kNotYetDue;
  int64_t reports = 0;              // stored reports of this duty, municipality and period
  int64_t first_received_unix = 0;  // the earliest of their receipts; 0 with none
};

struct DueList {
  absl::CivilDay from;
  absl::CivilDay to;
  absl::CivilDay today;
  // By deadline, then duty id, then period.
  std::vector<DueEntry> entries;
  // The duties the municipality must report (of the agency, if one was
  // asked for) that state no deadline: nothing of them is late or missing.
  // In id order.
  std::vector<std::string> without_deadline;
};

// Thread-safe: const methods only, over a thread-safe store and catalogue.
class DueReports {
 public:
  using Clock = std::function<absl::CivilDay()>;  // today's date in Sweden
  static constexpr int kDefaultDaysBack = 365;
  static constexpr int kDefaultDaysAhead = 90;
  // The widest range asked for at once: three years and a day or two.
  static constexpr int kMaxRangeDays = 3 * 366;

  // Neither pointer is owned; both must outlive this.
  DueReports(Store* store, DutyCatalog* catalog, Clock today)
      : store_(store), catalog_(catalog), today_(std::move(today)) {}

  // A duty is listed when it applies to the municipality (its respondents
  // name it, or name none), has a deadline rule and is not ad hoc (ad hoc
  // duties have no schedule of periods); a period of it when its deadline
  // is in the range and the period overlaps the duty's validity. A report
  // is on time when the day of its first receipt in Sweden
  // (Europe/Stockholm) is on or before the deadline.
  //
  // INVALID_ARGUMENT names the field: municipality_code (not an official
  // code), from_date / to_date (not a date, to before from, a range over
  // kMaxRangeDays), agency_id (not a slug). UNAVAILABLE if the store fails.
  absl::StatusOr<DueList> List(const DueQuery& query) const;

 private:
  Store* const store_;
  DutyCatalog* const catalog_;
  const Clock today_;
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_DUE_DUE_REPORTS_H_
