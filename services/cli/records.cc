#include "services/cli/records.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/str_format.h"
#include "common/csv/csv.h"
#include "common/text/text_safety.h"

namespace inrapport::cli {
namespace {

absl::Status FieldError(int line, absl::string_view column, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", column, ": ", problem));
}

std::string Trimmed(absl::string_view text) {
  return std::string(absl::StripAsciiWhitespace(text));
}

// An integer column; empty means `fallback`.
absl::Status ReadInt(const CsvTable& table, const CsvRow& row, absl::string_view column,
                     int64_t fallback, int64_t* out) {
  const std::string text = Trimmed(table.Get(row, column));
  if (text.empty()) {
    *out = fallback;
    return absl::OkStatus();
  }
  if (!absl::SimpleAtoi(text, out)) {
    return FieldError(row.line, column, absl::StrCat(QuoteValue(text), " is not a whole number"));
  }
  return absl::OkStatus();
}

absl::Status ReadAnswer(const CsvTable& table, const CsvRow& row, absl::string_view column,
                        Answer* out) {
  const std::string text = Trimmed(table.Get(row, column));
  std::optional<Answer> answer = ParseAnswer(text);
  if (!answer) {
    return FieldError(row.line, column,
                      absl::StrCat(QuoteValue(text), " is not yes, no or unknown"));
  }
  *out = *answer;
  return absl::OkStatus();
}

}  // namespace

std::optional<Encoding> ParseEncoding(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "utf8" || lower == "utf-8") return Encoding::kUtf8;
  if (lower == "latin1" || lower == "latin-1" || lower == "iso-8859-1") return Encoding::kLatin1;
  return std::nullopt;
}

absl::StatusOr<std::string> DecodeInput(absl::string_view bytes, Encoding encoding) {
  if (encoding == Encoding::kLatin1) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (char c : bytes) {
      const unsigned char b = static_cast<unsigned char>(c);
      if (b < 0x80) {
        out.push_back(c);
      } else {
        out.push_back(static_cast<char>(0xC0 | (b >> 6)));
        out.push_back(static_cast<char>(0x80 | (b & 0x3F)));
      }
    }
    return out;
  }
  int line = 1, column = 1;
  for (size_t i = 0; i < bytes.size();) {
    size_t length;
    const char32_t c = DecodeCodePoint(bytes, i, &length);
    if (c == 0xFFFD && bytes.substr(i, length) != "\xEF\xBF\xBD") {
      return absl::InvalidArgumentError(absl::StrFormat(
          "line %d, column %d: not valid UTF-8 (byte 0x%02X); if the file is Latin-1 "
          "(ISO 8859-1), as older exports often are, add --encoding latin1",
          line, column, static_cast<unsigned char>(bytes[i])));
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += length;
  }
  return std::string(bytes);
}

namespace {

absl::Status FillDuty(const CsvTable& table, const CsvRow& row, Duty* duty) {
  duty->id = Trimmed(table.Get(row, "id"));
  duty->agency_id = Trimmed(table.Get(row, "agency_id"));
  duty->title = Trimmed(table.Get(row, "title"));
  duty->legal_basis = Trimmed(table.Get(row, "legal_basis"));
  duty->purpose = Trimmed(table.Get(row, "purpose"));
  const std::string sector = Trimmed(table.Get(row, "sector"));
  std::optional<Sector> parsed_sector = ParseSector(sector);
  if (!parsed_sector || *parsed_sector == Sector::kUnspecified) {
    return FieldError(row.line, "sector", absl::StrCat(QuoteValue(sector), " is not a sector"));
  }
  duty->sector = *parsed_sector;
  const std::string frequency = Trimmed(table.Get(row, "frequency"));
  std::optional<Frequency> parsed_frequency = ParseFrequency(frequency);
  if (!parsed_frequency || *parsed_frequency == Frequency::kUnspecified) {
    return FieldError(row.line, "frequency",
                      absl::StrCat(QuoteValue(frequency), " is not a frequency"));
  }
  duty->frequency = *parsed_frequency;
  for (absl::string_view item :
       absl::StrSplit(table.Get(row, "data_items"), ';', absl::SkipWhitespace())) {
    duty->data_items.push_back(Trimmed(item));
  }
  duty->targeted_grant = Trimmed(table.Get(row, "targeted_grant"));
  const std::string estimate = Trimmed(table.Get(row, "estimated_minutes_per_report"));
  if (!estimate.empty() &&
      !absl::SimpleAtod(estimate, &duty->estimated_minutes_per_report)) {
    return FieldError(row.line, "estimated_minutes_per_report",
                      absl::StrCat(QuoteValue(estimate), " is not a number"));
  }
  duty->valid_from = Trimmed(table.Get(row, "valid_from"));
  duty->valid_until = Trimmed(table.Get(row, "valid_until"));
  duty->source_url = Trimmed(table.Get(row, "source_url"));
  duty->notes = Trimmed(table.Get(row, "notes"));
  // Optional column: the municipality codes that must report, ';'-separated;
  // empty means all municipalities.
  for (absl::string_view code :
       absl::StrSplit(table.Get(row, "respondents"), ';', absl::SkipWhitespace())) {
    duty->respondents.push_back(Trimmed(code));
  }
  // Optional column: the deadline rule ("30 days after period end"); empty:
  // none stated. The service checks the form.
  duty->deadline = Trimmed(table.Get(row, "deadline"));
  // Optional column: the last day the duty is in force, where the catalogue
  // gives one (YYYY-MM-DD); empty: no expiry. Kept on the first import
  // only: after that the arena's renewals move it.
  duty->expires_on = Trimmed(table.Get(row, "expires_on"));
  return absl::OkStatus();
}

absl::Status FillReport(const CsvTable& table, const CsvRow& row, Report* report) {
  report->submission_id = Trimmed(table.Get(row, "submission_id"));
  report->municipality_code = Trimmed(table.Get(row, "municipality_code"));
  report->duty_id = Trimmed(table.Get(row, "duty_id"));
  report->period = Trimmed(table.Get(row, "period"));
  int64_t value;
  if (absl::Status s = ReadInt(table, row, "minutes_spent", 0, &value); !s.ok()) return s;
  report->minutes_spent = value;
  if (absl::Status s = ReadInt(table, row, "staff_count", 0, &value); !s.ok()) return s;
  report->staff_count = static_cast<int32_t>(value);
  if (absl::Status s = ReadInt(table, row, "usefulness", 0, &value); !s.ok()) return s;
  report->usefulness = static_cast<int32_t>(value);
  if (absl::Status s = ReadAnswer(table, row, "feedback_received", &report->feedback_received);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadAnswer(table, row, "already_reported_elsewhere",
                                  &report->already_reported_elsewhere);
      !s.ok()) {
    return s;
  }
  report->comment = table.Get(row, "comment");
  report->already_reported_where = Trimmed(table.Get(row, "already_reported_where"));
  return absl::OkStatus();
}

template <typename T, typename Fill>
absl::StatusOr<std::vector<Record<T>>> Read(absl::string_view csv,
                                            const std::vector<std::string>& required,
                                            Fill fill) {
  absl::StatusOr<CsvTable> table = CsvTable::Parse(csv, required);
  if (!table.ok()) return table.status();
  std::vector<Record<T>> records;
  records.reserve(table->rows().size());
  for (const CsvRow& row : table->rows()) {
    Record<T> record;
    record.line = row.line;
    record.status = fill(*table, row, &record.value);
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace

absl::StatusOr<std::vector<Record<Duty>>> ReadDuties(absl::string_view csv) {
  return Read<Duty>(csv, {"id", "agency_id", "title", "purpose", "sector", "frequency"},
                    FillDuty);
}

absl::StatusOr<std::vector<Record<Report>>> ReadReports(absl::string_view csv) {
  return Read<Report>(csv,
                      {"submission_id", "municipality_code", "duty_id", "period",
                       "minutes_spent"},
                      FillReport);
}

}  // namespace inrapport::cli
