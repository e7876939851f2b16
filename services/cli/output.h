// How the CLI prints results: aligned tables for people, CSV and JSON for
// programs.
#ifndef INRAPPORT_SERVICES_CLI_OUTPUT_H_
#define INRAPPORT_SERVICES_CLI_OUTPUT_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace inrapport::cli {

enum class Format { kTable, kCsv, kJson };
std::optional<Format> ParseFormat(absl::string_view text);

// Columns whose index is in `right_aligned` are aligned right (numbers).
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> right_aligned;
};

// Width on a terminal: code points, not bytes ("Göteborg" is 8 wide).
size_t DisplayWidth(absl::string_view text);

// Text from the server or a file made safe for a terminal: one line, no
// control or bidirectional formatting character (an ESC would drive the
// terminal, a bidi override reorder what is shown), no malformed UTF-8.
// Everything the CLI prints that it did not write itself goes through here.
std::string TerminalText(absl::string_view text);

// Cells are printed as TerminalText.
void PrintTable(const Table& table, std::ostream& out);
// Cells are written by CsvField (common/csv): neutralised, and a
// formula-like cell prefixed with ' and quoted.
void PrintCsv(const Table& table, std::ostream& out);

// A number with a fixed count of decimals and thin grouping, e.g. 12 345.5.
std::string FormatNumber(double value, int decimals);

}  // namespace inrapport::cli

#endif  // INRAPPORT_SERVICES_CLI_OUTPUT_H_
