#include "common/csv/csv.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/text/text_safety.h"

namespace inrapport {
namespace {

absl::Status Error(int line, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", problem));
}

}  // namespace

absl::StatusOr<std::vector<CsvRow>> ParseCsv(absl::string_view text) {
  if (text.size() > kMaxCsvFileBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the file is larger than ", kMaxCsvFileBytes / (1024 * 1024), " MiB"));
  }
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);

  std::vector<CsvRow> rows;
  size_t i = 0;
  int line = 1;
  const size_t n = text.size();
  while (i < n) {
    // At the start of a row: skip blank lines and comments.
    if (text[i] == '\n' || text[i] == '\r') {
      if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
      continue;
    }
    if (text[i] == '#') {
      while (i < n && text[i] != '\n') ++i;
      continue;
    }
    CsvRow row;
    row.line = line;
    std::string field;
    bool row_done = false;
    while (!row_done) {
      field.clear();
      if (i < n && text[i] == '"') {
        const int quote_line = line;
        ++i;
        while (true) {
          if (i >= n) return Error(quote_line, "unterminated quoted field");
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field.push_back(text[i++]);
          if (field.size() > kMaxCsvFieldBytes) return Error(quote_line, "field too long");
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          return Error(line, "text after a closing quote");
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') return Error(line, "a quote inside an unquoted field");
          field.push_back(text[i++]);
          if (field.size() > kMaxCsvFieldBytes) return Error(line, "field too long");
        }
      }
      row.fields.push_back(field);
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      // End of the row: a line break or the end of the text.
      if (i < n && text[i] == '\r') ++i;
      if (i < n && text[i] == '\n') ++i;
      ++line;
      row_done = true;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::StatusOr<CsvTable> CsvTable::Parse(absl::string_view text,
                                         const std::vector<std::string>& required) {
  absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv(text);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return absl::InvalidArgumentError("the file has no header row");
  CsvTable table;
  const CsvRow& header = rows->front();
  for (size_t c = 0; c < header.fields.size(); ++c) {
    if (!table.columns_.emplace(header.fields[c], c).second) {
      return Error(header.line, absl::StrCat("column ", QuoteValue(header.fields[c]), " appears twice"));
    }
  }
  for (const std::string& column : required) {
    if (!table.HasColumn(column)) {
      return Error(header.line, absl::StrCat("the header has no column ", QuoteValue(column)));
    }
  }
  for (size_t r = 1; r < rows->size(); ++r) {
    CsvRow& row = (*rows)[r];
    if (row.fields.size() != header.fields.size()) {
      return Error(row.line, absl::StrCat("expected ", header.fields.size(), " fields, got ",
                                          row.fields.size()));
    }
    table.rows_.push_back(std::move(row));
  }
  return table;
}

bool CsvTable::HasColumn(absl::string_view name) const {
  return columns_.find(name) != columns_.end();
}

const std::string& CsvTable::Get(const CsvRow& row, absl::string_view name) const {
  static const std::string* empty = new std::string();
  auto it = columns_.find(name);
  return it == columns_.end() ? *empty : row.fields[it->second];
}

namespace {

// "-12", "0.5", "42": an optional minus, digits, an optional fraction.
bool IsPlainNumber(absl::string_view text) {
  size_t i = !text.empty() && text[0] == '-' ? 1 : 0;
  const size_t digits_start = i;
  while (i < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == digits_start) return false;
  if (i == text.size()) return true;
  if (text[i] != '.') return false;
  const size_t fraction_start = ++i;
  while (i < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) ++i;
  return i > fraction_start && i == text.size();
}

bool LooksLikeFormula(absl::string_view text) {
  if (text.empty() || IsPlainNumber(text)) return false;
  switch (text[0]) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
    case '\n':  // what a leading CR becomes in neutralised text
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string CsvSafeText(absl::string_view field) {
  std::string text = NeutraliseText(field, TextKind::kMultiLine);
  if (LooksLikeFormula(text)) text.insert(0, 1, '\'');
  return text;
}

std::string CsvField(absl::string_view field) {
  const bool formula = LooksLikeFormula(NeutraliseText(field, TextKind::kMultiLine));
  const std::string text = CsvSafeText(field);
  // A leading '#' would start a comment and a leading byte order mark
  // would be taken for the file's.
  if (!formula && text.find_first_of(",\"\r\n") == std::string::npos &&
      (text.empty() || text[0] != '#') && !absl::StartsWith(text, "\xEF\xBB\xBF")) {
    return text;
  }
  std::string q = "\"";
  for (char c : text) {
    if (c == '"') q.push_back('"');
    q.push_back(c);
  }
  q.push_back('"');
  return q;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  // A lone empty field would be an empty line, which reads as no row.
  if (fields.size() == 1 && fields[0].empty()) return "\"\"";
  std::vector<std::string> quoted;
  quoted.reserve(fields.size());
  for (const std::string& field : fields) quoted.push_back(CsvField(field));
  return absl::StrJoin(quoted, ",");
}

}  // namespace inrapport
