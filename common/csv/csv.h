// RFC 4180 CSV: the format of the duty catalogues and report files that the
// CLI reads, and the only writer of CSV: the CLI's CSV output and the arena
// report's CSV both write their fields with CsvField.
#ifndef INRAPPORT_COMMON_CSV_CSV_H_
#define INRAPPORT_COMMON_CSV_CSV_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace inrapport {

inline constexpr size_t kMaxCsvFieldBytes = 64 * 1024;
inline constexpr size_t kMaxCsvFileBytes = 256 * 1024 * 1024;

struct CsvRow {
  int line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

// Parses CSV text: quoted fields with "" escapes and embedded commas and line
// breaks, CRLF or LF, a leading UTF-8 byte order mark. Empty lines and lines
// starting with '#' (outside quotes) are skipped. INVALID_ARGUMENT naming the
// line for an unterminated quote, text after a closing quote, a field over
// kMaxCsvFieldBytes or text over kMaxCsvFileBytes.
absl::StatusOr<std::vector<CsvRow>> ParseCsv(absl::string_view text);

// A CSV file whose first row names the columns.
class CsvTable {
 public:
  // INVALID_ARGUMENT if the header is missing, repeats a column, lacks one
  // of `required`, or a row has a different number of fields.
  static absl::StatusOr<CsvTable> Parse(absl::string_view text,
                                        const std::vector<std::string>& required);

  const std::vector<CsvRow>& rows() const { return rows_; }
  bool HasColumn(absl::string_view name) const;
  // The field of `row` in column `name`; "" if the table has no such column.
  const std::string& Get(const CsvRow& row, absl::string_view name) const;

 private:
  std::map<std::string, size_t, std::less<>> columns_;
  std::vector<CsvRow> rows_;
};

// One field as every CSV the project writes holds it: the text neutralised
// (NeutraliseText, multi-line: no control or bidirectional formatting
// character survives, line breaks do), and, as OWASP recommends against CSV
// injection, a field that a spreadsheet would take for a formula (starting
// with '=', '+', '-', '@', tab, CR or LF) prefixed with a single quote and
// quoted. A plain decimal number ("-12", "-0.5", "42") is not a formula and
// is left as it is, so numbers stay numbers. Fields with a comma, quote,
// line break, a leading '#' or byte order mark are quoted, with "" for ".
std::string CsvField(absl::string_view field);

// The text a field written by CsvField reads back as (ParseCsv): the
// neutralised text with the quote prefix if it needed one.
std::string CsvSafeText(absl::string_view field);

// One CSV line (without the line break) of CsvField fields.
std::string CsvLine(const std::vector<std::string>& fields);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_CSV_CSV_H_
