#include "common/domain/deadline.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/text/text_safety.h"

namespace inrapport {
namespace {

absl::Status NotARule(absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(
      QuoteValue(text),
      " is not a deadline rule; expected \"N days after period end\" (N 0 to ",
      DeadlineRule::kMaxDays, "), \"MM-DD of the following year\" or \"MM-DD of the same "
      "year\", e.g. \"30 days after period end\" or \"03-31 of the following year\""));
}

bool AllDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

const char* const kSwedishMonths[] = {"januari", "februari", "mars",     "april",
                                      "maj",     "juni",     "juli",     "augusti",
                                      "september", "oktober", "november", "december"};

}  // namespace

absl::StatusOr<DeadlineRule> DeadlineRule::Parse(absl::string_view text) {
  if (text.size() > 64) return NotARule(text.substr(0, 64));
  const std::string lower = absl::AsciiStrToLower(text);
  const std::vector<absl::string_view> words =
      absl::StrSplit(lower, ' ', absl::SkipEmpty());
  if (words.size() == 5 && AllDigits(words[0]) && words[0].size() <= 3 &&
      (words[1] == "days" || words[1] == "day") && words[2] == "after" &&
      words[3] == "period" && words[4] == "end") {
    int days = 0;
    if (!absl::SimpleAtoi(words[0], &days) || days > kMaxDays) return NotARule(text);
    return DaysAfterPeriodEnd(days);
  }
  const bool following = words.size() == 5 && words[3] == "following" && words[4] == "year";
  const bool same = words.size() == 5 && words[3] == "same" && words[4] == "year";
  if ((following || same) && words[0].size() == 5 && words[0][2] == '-' &&
      AllDigits(words[0].substr(0, 2)) && AllDigits(words[0].substr(3)) && words[1] == "of" &&
      words[2] == "the") {
    int month = 0, day = 0;
    absl::SimpleAtoi(words[0].substr(0, 2), &month);
    absl::SimpleAtoi(words[0].substr(3), &day);
    // 2001 is no leap year: a day that exists then exists every year.
    const absl::CivilDay probe(2001, month, day);
    if (month < 1 || month > 12 || probe.month() != month || probe.day() != day) {
      return absl::InvalidArgumentError(absl::StrCat(
          QuoteValue(text), " names no date that every year has (", words[0], ")"));
    }
    return following ? FixedDateFollowingYear(month, day) : FixedDateSameYear(month, day);
  }
  return NotARule(text);
}

std::string DeadlineRule::ToString() const {
  switch (kind_) {
    case Kind::kDaysAfterPeriodEnd:
      return absl::StrCat(days_, days_ == 1 ? " day" : " days", " after period end");
    case Kind::kFixedDateFollowingYear:
      return absl::StrFormat("%02d-%02d of the following year", month_, day_);
    case Kind::kFixedDateSameYear:
      return absl::StrFormat("%02d-%02d of the same year", month_, day_);
  }
  return "";
}

std::string DeadlineRule::ToSwedish() const {
  switch (kind_) {
    case Kind::kDaysAfterPeriodEnd:
      return absl::StrCat(days_, days_ == 1 ? " dag" : " dagar", " efter periodens slut");
    case Kind::kFixedDateFollowingYear:
      return absl::StrCat("den ", day_, " ", kSwedishMonths[month_ - 1], " året efter");
    case Kind::kFixedDateSameYear:
      return absl::StrCat("den ", day_, " ", kSwedishMonths[month_ - 1], " samma år");
  }
  return "";
}

absl::CivilDay DeadlineRule::DeadlineOf(const Period& period) const {
  switch (kind_) {
    case Kind::kDaysAfterPeriodEnd:
      return period.last_day() + days_;
    case Kind::kFixedDateFollowingYear:
      return absl::CivilDay(period.last_day().year() + 1, month_, day_);
    case Kind::kFixedDateSameYear:
      return absl::CivilDay(period.last_day().year(), month_, day_);
  }
  return period.last_day();
}

absl::CivilDay DayInSweden(int64_t unix_seconds) {
  static const absl::TimeZone zone = [] {
    absl::TimeZone tz;
    if (!absl::LoadTimeZone("Europe/Stockholm", &tz)) tz = absl::FixedTimeZone(3600);
    return tz;
  }();
  return absl::ToCivilDay(absl::FromUnixSeconds(unix_seconds), zone);
}

}  // namespace inrapport
