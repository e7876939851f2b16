// A duty's deadline rule: when the report of a period is due, stated in a
// structured form instead of free text in the duty's notes.
#ifndef INRAPPORT_COMMON_DOMAIN_DEADLINE_H_
#define INRAPPORT_COMMON_DOMAIN_DEADLINE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/domain/period.h"

namespace inrapport {

// The forms, with their canonical text:
//   "30 days after period end"       the period's last day plus N days
//                                    (0..730; "1 day after period end")
//   "03-31 of the following year"    that month and day in the year after
//                                    the year in which the period ends
//   "10-25 of the same year"         that month and day in the year in which
//                                    the period ends (a count on a reference
//                                    day, due before the year is out)
// A date form refuses 02-29: not every year has it.
// Parse accepts any case and runs of spaces. Immutable value type.
class DeadlineRule {
 public:
  enum class Kind { kDaysAfterPeriodEnd, kFixedDateFollowingYear, kFixedDateSameYear };
  static constexpr int kMaxDays = 730;

  // INVALID_ARGUMENT saying which forms are accepted; the message does not
  // name the field (the caller prefixes it, e.g. "duty.deadline: ").
  static absl::StatusOr<DeadlineRule> Parse(absl::string_view text);
  // `days` from 0 to kMaxDays.
  static DeadlineRule DaysAfterPeriodEnd(int days) {
    return DeadlineRule(Kind::kDaysAfterPeriodEnd, days, 0, 0);
  }
  // `month` and `day` must form a date every year (not 02-29).
  static DeadlineRule FixedDateFollowingYear(int month, int day) {
    return DeadlineRule(Kind::kFixedDateFollowingYear, 0, month, day);
  }
  static DeadlineRule FixedDateSameYear(int month, int day) {
    return DeadlineRule(Kind::kFixedDateSameYear, 0, month, day);
  }

  Kind kind() const { return kind_; }
  std::string ToString() const;
  // The same in Swedish, for the municipality's page: "30 dagar efter
  // periodens slut", "den 31 mars året efter", "den 25 oktober samma år".
  std::string ToSwedish() const;

  // The last day on which the report of `period` is on time.
  absl::CivilDay DeadlineOf(const Period& period) const;

  friend bool operator==(const DeadlineRule& a, const DeadlineRule& b) {
    return a.kind_ == b.kind_ && a.days_ == b.days_ && a.month_ == b.month_ && a.day_ == b.day_;
  }

 private:
  DeadlineRule(Kind kind, int days, int month, int day)
      : kind_(kind), days_(days), month_(month), day_(day) {}

  Kind kind_;
  int days_;
  int month_;
  int day_;
};

// The day of `unix_seconds` in Sweden's time zone (as TodayInSweden): the
// day a receipt counts for when it is judged against a deadline.
absl::CivilDay DayInSweden(int64_t unix_seconds);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_DOMAIN_DEADLINE_H_
