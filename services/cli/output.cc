#include "services/cli/output.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"
#include "common/csv/csv.h"
#include "common/text/text_safety.h"

namespace inrapport::cli {

std::optional<Format> ParseFormat(absl::string_view text) {
  if (text == "table") return Format::kTable;
  if (text == "csv") return Format::kCsv;
  if (text == "json") return Format::kJson;
  return std::nullopt;
}

size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;  // not a continuation byte
  }
  return width;
}

std::string TerminalText(absl::string_view text) {
  return NeutraliseText(text, TextKind::kSingleLine);
}

void PrintTable(const Table& raw, std::ostream& out) {
  Table table = raw;
  for (std::string& cell : table.header) cell = TerminalText(cell);
  for (auto& row : table.rows) {
    for (std::string& cell : row) cell = TerminalText(cell);
  }
  std::vector<size_t> widths(table.header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  };
  measure(table.header);
  for (const auto& row : table.rows) measure(row);
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      const bool right = std::find(table.right_aligned.begin(), table.right_aligned.end(), c) !=
                         table.right_aligned.end();
      const std::string pad(widths[c] - DisplayWidth(row[c]), ' ');
      if (c > 0) line += "  ";
      line += right ? pad + row[c] : (c + 1 == row.size() ? row[c] : row[c] + pad);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  print(table.header);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.push_back(std::string(w, '-'));
  print(rule);
  for (const auto& row : table.rows) print(row);
}

void PrintCsv(const Table& table, std::ostream& out) {
  out << CsvLine(table.header) << "\n";
  for (const auto& row : table.rows) out << CsvLine(row) << "\n";
}

std::string FormatNumber(double value, int decimals) {
  // Half away from zero on the scaled value, as the arena report rounds, so
  // that 46.15 hours reads 46.2 in both (printf would round the binary
  // 46.1499… down).
  const double scale = std::pow(10.0, decimals);
  const double rounded = std::llround(std::fabs(value) * scale) / scale;
  std::string digits = absl::StrFormat("%.*f", decimals, rounded);
  const size_t point = digits.find('.');
  size_t integer_end = point == std::string::npos ? digits.size() : point;
  std::string grouped;
  for (size_t i = 0; i < integer_end; ++i) {
    if (i > 0 && (integer_end - i) % 3 == 0) grouped.push_back(' ');
    grouped.push_back(digits[i]);
  }
  grouped += digits.substr(integer_end);
  return (value < 0 ? "-" : "") + grouped;
}

}  // namespace inrapport::cli
