#include "common/domain/period.h"

#include <cctype>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/text/text_safety.h"

namespace inrapport {
namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2999;

absl::Status NotAPeriod(absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(
      QuoteValue(text),
      " is not a period; expected 2025, 2025H1, 2025Q3, 2025-03, 2025W05 or "
      "2025-03-14"));
}

// Parses exactly `digits` decimal digits.
bool ParseDigits(absl::string_view text, size_t digits, int* value) {
  if (text.size() != digits) return false;
  int result = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    result = result * 10 + (c - '0');
  }
  *value = result;
  return true;
}

// Monday of ISO week 1 of `iso_year`: the week with the year's first Thursday.
absl::CivilDay IsoWeekOneMonday(int iso_year) {
  const absl::CivilDay jan4(iso_year, 1, 4);
  const int weekday = static_cast<int>(absl::GetWeekday(jan4));  // Monday = 0
  return jan4 - weekday;
}

int IsoWeeksInYear(int iso_year) {
  return static_cast<int>((IsoWeekOneMonday(iso_year + 1) - IsoWeekOneMonday(iso_year)) / 7);
}

}  // namespace

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text) {
  int year, month, day;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !ParseDigits(text.substr(0, 4), 4, &year) ||
      !ParseDigits(text.substr(5, 2), 2, &month) ||
      !ParseDigits(text.substr(8, 2), 2, &day) || year < kMinYear || year > kMaxYear) {
    return absl::InvalidArgumentError(
        absl::StrCat(QuoteValue(text), " is not a date; expected YYYY-MM-DD"));
  }
  const absl::CivilDay parsed(year, month, day);
  // CivilDay normalises 2023-02-29 to 2023-03-01: a real date survives unchanged.
  if (parsed.year() != year || parsed.month() != month || parsed.day() != day) {
    return absl::InvalidArgumentError(
        absl::StrCat(QuoteValue(text), " is not a calendar date"));
  }
  return parsed;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::StatusOr<Period> Period::Parse(absl::string_view text) {
  int year;
  if (text.size() < 4 || !ParseDigits(text.substr(0, 4), 4, &year) ||
      year < kMinYear || year > kMaxYear) {
    return NotAPeriod(text);
  }
  const absl::string_view rest = text.substr(4);
  const std::string year_text(text.substr(0, 4));
  int n;
  if (rest.empty()) {
    return Period(Frequency::kAnnual, absl::CivilDay(year, 1, 1),
                  absl::CivilDay(year, 12, 31), year_text);
  }
  // Letters are accepted in either case; the canonical form is upper case.
  const char marker = static_cast<char>(std::toupper(static_cast<unsigned char>(rest[0])));
  if (marker == 'H' && ParseDigits(rest.substr(1), 1, &n) && n >= 1 && n <= 2) {
    const absl::CivilMonth first(year, n == 1 ? 1 : 7);
    return Period(Frequency::kSemiannual, absl::CivilDay(first),
                  absl::CivilDay(first + 6) - 1, absl::StrCat(year_text, "H", n));
  }
  if (marker == 'Q' && ParseDigits(rest.substr(1), 1, &n) && n >= 1 && n <= 4) {
    const absl::CivilMonth first(year, 3 * (n - 1) + 1);
    return Period(Frequency::kQuarterly, absl::CivilDay(first),
                  absl::CivilDay(first + 3) - 1, absl::StrCat(year_text, "Q", n));
  }
  // Weeks: "2025W05" or "2025-W05".
  absl::string_view week = rest;
  if (week.size() == 4 && week[0] == '-') week.remove_prefix(1);
  if (!week.empty() && std::toupper(static_cast<unsigned char>(week[0])) == 'W' &&
      ParseDigits(week.substr(1), 2, &n)) {
    if (n < 1 || n > IsoWeeksInYear(year)) return NotAPeriod(text);
    const absl::CivilDay monday = IsoWeekOneMonday(year) + 7 * (n - 1);
    return Period(Frequency::kWeekly, monday, monday + 6,
                  absl::StrFormat("%sW%02d", year_text, n));
  }
  if (rest.size() == 3 && rest[0] == '-' && ParseDigits(rest.substr(1), 2, &n) &&
      n >= 1 && n <= 12) {
    const absl::CivilMonth month(year, n);
    return Period(Frequency::kMonthly, absl::CivilDay(month),
                  absl::CivilDay(month + 1) - 1, absl::StrFormat("%s-%02d", year_text, n));
  }
  if (rest.size() == 6 && rest[0] == '-') {
    absl::StatusOr<absl::CivilDay> day = ParseDate(text);
    if (!day.ok()) return NotAPeriod(text);
    return Period(Frequency::kAdHoc, *day, *day, FormatDate(*day));
  }
  return NotAPeriod(text);
}

Period Period::Containing(Frequency frequency, absl::CivilDay day) {
  const int year = static_cast<int>(day.year());
  const std::string year_text = absl::StrFormat("%04d", year);
  switch (frequency) {
    case Frequency::kAnnual:
      return *Parse(year_text);
    case Frequency::kSemiannual:
      return *Parse(absl::StrCat(year_text, "H", day.month() <= 6 ? 1 : 2));
    case Frequency::kQuarterly:
      return *Parse(absl::StrCat(year_text, "Q", (day.month() - 1) / 3 + 1));
    case Frequency::kMonthly:
      return *Parse(absl::StrFormat("%s-%02d", year_text, day.month()));
    case Frequency::kWeekly: {
      // The ISO week-year may differ from the calendar year near 1 January.
      int iso_year = year + 1;
      while (day < IsoWeekOneMonday(iso_year)) --iso_year;
      const int week = static_cast<int>((day - IsoWeekOneMonday(iso_year)) / 7) + 1;
      return *Parse(absl::StrFormat("%04dW%02d", iso_year, week));
    }
    case Frequency::kAdHoc:
    case Frequency::kUnspecified:
      break;
  }
  return *Parse(FormatDate(day));
}

absl::CivilDay TodayInSweden() {
  static const absl::TimeZone zone = [] {
    absl::TimeZone tz;
    if (!absl::LoadTimeZone("Europe/Stockholm", &tz)) tz = absl::FixedTimeZone(3600);
    return tz;
  }();
  return absl::ToCivilDay(absl::Now(), zone);
}

}  // namespace inrapport
