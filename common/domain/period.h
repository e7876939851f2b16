// Reporting periods: the span of time one report covers, in the form its
// duty's frequency fixes.
#ifndef INRAPPORT_COMMON_DOMAIN_PERIOD_H_
#define INRAPPORT_COMMON_DOMAIN_PERIOD_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/domain/types.h"

namespace inrapport {

// A parsed period. Forms, one per frequency:
//   annual      "2025"
//   semiannual  "2025H1", "2025H2"
//   quarterly   "2025Q1" .. "2025Q4"
//   monthly     "2025-03"
//   weekly      "2025W05" (ISO 8601 week; also accepts "2025-W05")
//   ad hoc      "2025-03-14" (a date)
// Years 1900..2999. Immutable value type.
class Period {
 public:
  // INVALID_ARGUMENT with a message saying which forms are accepted.
  static absl::StatusOr<Period> Parse(absl::string_view text);

  // The frequency whose form the text had.
  Frequency frequency() const { return frequency_; }
  absl::CivilDay first_day() const { return first_day_; }
  absl::CivilDay last_day() const { return last_day_; }
  // Canonical text, e.g. "2025W05" for "2025-W05".
  const std::string& ToString() const { return text_; }

  // The period of `frequency` that contains `day` (for ad hoc, the day).
  static Period Containing(Frequency frequency, absl::CivilDay day);

  friend bool operator==(const Period& a, const Period& b) {
    return a.text_ == b.text_;
  }

 private:
  Period(Frequency frequency, absl::CivilDay first, absl::CivilDay last,
         std::string text)
      : frequency_(frequency), first_day_(first), last_day_(last),
        text_(std::move(text)) {}

  Frequency frequency_;
  absl::CivilDay first_day_;
  absl::CivilDay last_day_;
  std::string text_;
};

// Parses "YYYY-MM-DD" strictly (a real calendar date).
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text);
std::string FormatDate(absl::CivilDay day);

// Today's date in Sweden's time zone (Europe/Stockholm, or UTC+1 where the
// zone database is missing).
absl::CivilDay TodayInSweden();

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_DOMAIN_PERIOD_H_
