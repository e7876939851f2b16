// The CLI's input files: a duty catalogue and a file of reports, both CSV
// with a header row, mapped to domain values with their line numbers.
#ifndef INRAPPORT_SERVICES_CLI_RECORDS_H_
#define INRAPPORT_SERVICES_CLI_RECORDS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/domain/types.h"

namespace inrapport::cli {

// Columns of a duty catalogue; data_items are separated by ';'.
inline const std::vector<std::string>& DutyColumns() {
  static const auto* columns = new std::vector<std::string>{
      "id", "agency_id", "title", "legal_basis", "purpose", "sector", "frequency",
      "data_items", "targeted_grant", "estimated_minutes_per_report", "valid_from",
      "valid_until", "source_url", "notes"};
  return *columns;
}

// Columns of a reports file.
inline const std::vector<std::string>& ReportColumns() {
  static const auto* columns = new std::vector<std::string>{
      "submission_id", "municipality_code", "duty_id", "period", "minutes_spent",
      "staff_count", "usefulness", "feedback_received", "already_reported_elsewhere",
      "comment"};
  return *columns;
}

// The character encoding of an input file (--encoding).
enum class Encoding { kUtf8, kLatin1 };
// "utf8" (or "utf-8"), "latin1" (or "iso-8859-1"), any case; nullopt
// otherwise.
std::optional<Encoding> ParseEncoding(absl::string_view name);

// A file's bytes as UTF-8 text, checked before anything is sent: Latin-1 is
// converted (each byte is the code point of the same value); UTF-8 must be
// well-formed, or INVALID_ARGUMENT "line L, column C: ..." names the first
// bad byte (the column counts characters from 1) and suggests --encoding.
absl::StatusOr<std::string> DecodeInput(absl::string_view bytes, Encoding encoding);

// A row that became a value, or the reason it could not.
template <typename T>
struct Record {
  int line = 0;
  absl::Status status;  // not OK: `value` is unusable
  T value;
};

// Whole-file problems (no header, a missing column, broken quoting) are the
// returned status; a row whose fields cannot be read (a sector that does not
// exist, minutes that are not a number) is a Record with an error naming the
// line and the column. The server validates everything else.
absl::StatusOr<std::vector<Record<Duty>>> ReadDuties(absl::string_view csv);
absl::StatusOr<std::vector<Record<Report>>> ReadReports(absl::string_view csv);

}  // namespace inrapport::cli

#endif  // INRAPPORT_SERVICES_CLI_RECORDS_H_
