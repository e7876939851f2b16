// The CLI's catalogue and report import (services/cli/records.h): every row
// becomes a record with its line, or an error naming the line; what reads
// without error has a real sector and frequency, and goes through the
// server's validation without harm.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/domain/validation.h"
#include "fuzz/fuzz_check.h"
#include "services/cli/records.h"

namespace inrapport {
namespace {

template <typename T>
void CheckRecord(absl::string_view text, const cli::Record<T>& record, int* previous_line) {
  FUZZ_CHECK(record.line >= 2 && record.line > *previous_line, text,
             absl::StrCat("record at line ", record.line));
  *previous_line = record.line;
  if (!record.status.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(record.status) &&
                   absl::StartsWith(record.status.message(),
                                    absl::StrCat("line ", record.line, ": ")),
               text, record.status.ToString());
  }
}

void CheckDuties(absl::string_view text) {
  absl::StatusOr<std::vector<cli::Record<Duty>>> duties = cli::ReadDuties(text);
  if (!duties.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(duties.status()), text, duties.status().ToString());
    return;
  }
  int previous_line = 0;
  for (const cli::Record<Duty>& record : *duties) {
    CheckRecord(text, record, &previous_line);
    if (!record.status.ok()) continue;
    FUZZ_CHECK(record.value.sector != Sector::kUnspecified &&
                   record.value.frequency != Frequency::kUnspecified,
               text, absl::StrCat("line ", record.line));
    ValidateDuty(record.value).IgnoreError();
  }
}

void CheckReports(absl::string_view text) {
  absl::StatusOr<std::vector<cli::Record<Report>>> reports = cli::ReadReports(text);
  if (!reports.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(reports.status()), text, reports.status().ToString());
    return;
  }
  int previous_line = 0;
  for (const cli::Record<Report>& record : *reports) {
    CheckRecord(text, record, &previous_line);
    if (!record.status.ok()) continue;
    ValidateReportShape(record.value).IgnoreError();
  }
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  inrapport::CheckDuties(text);
  inrapport::CheckReports(text);
  return 0;
}
