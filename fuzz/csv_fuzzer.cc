// The CSV reader and writer (common/csv/csv.h): rows start on increasing
// lines, fields respect the size limit, what CsvLine writes reads back as
// the same rows of CsvSafeText fields (the text neutralised, a formula
// quoted), and a table's Get agrees with its rows.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/csv/csv.h"
#include "fuzz/fuzz_check.h"

namespace inrapport {
namespace {

std::string Describe(const std::vector<std::string>& fields) {
  return absl::StrCat("[", absl::StrJoin(fields, "|"), "]");
}

void CheckRows(absl::string_view text) {
  absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv(text);
  if (!rows.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(rows.status()), text, rows.status().ToString());
    return;
  }
  int previous_line = 0;
  std::string written;
  for (const CsvRow& row : *rows) {
    FUZZ_CHECK(row.line > previous_line, text, absl::StrCat("row at line ", row.line));
    previous_line = row.line;
    FUZZ_CHECK(!row.fields.empty(), text, absl::StrCat("row at line ", row.line));
    for (const std::string& field : row.fields) {
      FUZZ_CHECK(field.size() <= kMaxCsvFieldBytes, text, absl::StrCat(field.size()));
    }
    absl::StrAppend(&written, CsvLine(row.fields), "\r\n");
  }
  absl::StatusOr<std::vector<CsvRow>> again = ParseCsv(written);
  FUZZ_CHECK(again.ok(), text, absl::StrCat("written as \"", written, "\": ",
                                            again.status().ToString()));
  FUZZ_CHECK(again->size() == rows->size(), text,
             absl::StrCat(rows->size(), " rows written as \"", written, "\" read as ",
                          again->size()));
  for (size_t r = 0; r < rows->size(); ++r) {
    std::vector<std::string> safe;
    for (const std::string& field : (*rows)[r].fields) safe.push_back(CsvSafeText(field));
    FUZZ_CHECK((*again)[r].fields == safe, text,
               absl::StrCat(Describe((*rows)[r].fields), " written as \"", written,
                            "\" read as ", Describe((*again)[r].fields)));
  }
}

void CheckTable(absl::string_view text) {
  absl::StatusOr<CsvTable> table = CsvTable::Parse(text, {});
  if (!table.ok()) return;
  absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv(text);
  FUZZ_CHECK(rows.ok() && !rows->empty() && table->rows().size() == rows->size() - 1, text,
             "a table is its header and the rows after it");
  const std::vector<std::string>& header = rows->front().fields;
  for (const CsvRow& row : table->rows()) {
    FUZZ_CHECK(row.fields.size() == header.size(), text, Describe(row.fields));
    for (size_t c = 0; c < header.size(); ++c) {
      FUZZ_CHECK(table->HasColumn(header[c]) && table->Get(row, header[c]) == row.fields[c],
                 text, absl::StrCat("column \"", header[c], "\""));
    }
  }
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  inrapport::CheckRows(text);
  inrapport::CheckTable(text);
  return 0;
}
