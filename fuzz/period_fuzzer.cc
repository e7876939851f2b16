// Periods and dates (common/domain/period.h): whatever parses has a canonical
// text that parses to the same period, a first day not after its last, and
// is the period of its frequency that contains both.
#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/domain/period.h"
#include "fuzz/fuzz_check.h"

namespace inrapport {
namespace {

std::string Describe(const Period& p) {
  return absl::StrCat("period \"", p.ToString(), "\" (", FrequencyName(p.frequency()), ", ",
                      FormatDate(p.first_day()), " .. ", FormatDate(p.last_day()), ")");
}

void CheckPeriod(absl::string_view text) {
  absl::StatusOr<Period> period = Period::Parse(text);
  if (!period.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(period.status()), text, period.status().ToString());
    return;
  }
  const std::string& canonical = period->ToString();
  absl::StatusOr<Period> again = Period::Parse(canonical);
  FUZZ_CHECK(again.ok(), text, absl::StrCat(Describe(*period), ": ", again.status().ToString()));
  FUZZ_CHECK(again->ToString() == canonical && again->frequency() == period->frequency() &&
                 again->first_day() == period->first_day() &&
                 again->last_day() == period->last_day(),
             text, absl::StrCat(Describe(*period), " became ", Describe(*again)));
  FUZZ_CHECK(period->first_day() <= period->last_day(), text, Describe(*period));
  FUZZ_CHECK(period->frequency() != Frequency::kUnspecified, text, Describe(*period));
  for (absl::CivilDay day : {period->first_day(), period->last_day()}) {
    const Period containing = Period::Containing(period->frequency(), day);
    FUZZ_CHECK(containing == *period, text,
               absl::StrCat(Describe(*period), ": the period containing ", FormatDate(day),
                            " is ", Describe(containing)));
  }
  if (period->frequency() == Frequency::kAdHoc) {
    FUZZ_CHECK(period->first_day() == period->last_day() &&
                   canonical == FormatDate(period->first_day()),
               text, Describe(*period));
  }
}

void CheckDate(absl::string_view text) {
  absl::StatusOr<absl::CivilDay> day = ParseDate(text);
  if (!day.ok()) return;
  // Only the canonical form is a date, so it formats back to the same text.
  FUZZ_CHECK(FormatDate(*day) == text, text, FormatDate(*day));
  absl::StatusOr<Period> period = Period::Parse(text);
  FUZZ_CHECK(period.ok() && period->frequency() == Frequency::kAdHoc &&
                 period->first_day() == *day,
             text, period.ok() ? Describe(*period) : period.status().ToString());
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  inrapport::CheckPeriod(text);
  inrapport::CheckDate(text);
  return 0;
}
