// The escapers of client text in the report formats and CSV: Html and Md
// (common/report/render_internal.h), CsvField (common/csv/csv.h) and the
// neutraliser under them (common/text/text_safety.h). For any input:
// - every output is valid UTF-8 with no control or bidirectional formatting
//   character (tab and LF only where the format keeps line breaks);
// - Html output has no raw < > " ', and each & starts one of its entities;
// - Md output is one line and each markup character is backslash-escaped;
// - a CSV cell reads back (ParseCsv) as CsvSafeText of the input, which
//   never starts with a formula character unless it is a plain number;
// - a whole arena report with the text as a title, a reason, a comment and
//   an agency, in each of the four formats and both languages, holds no
//   unsafe character.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/csv/csv.h"
#include "common/report/arena_report.h"
#include "common/report/render_internal.h"
#include "common/text/text_safety.h"
#include "fuzz/fuzz_check.h"

namespace inrapport {
namespace {

void CheckSafe(absl::string_view input, absl::string_view what, const std::string& out,
               TextKind kind) {
  FUZZ_CHECK(IsValidUtf8(out), input, absl::StrCat(what, ": not UTF-8: ", out));
  const auto unsafe = FindUnsafeCharacter(out, kind);
  FUZZ_CHECK(!unsafe.has_value(), input,
             absl::StrCat(what, ": ", CodePointName(unsafe ? unsafe->code_point : 0),
                          " survives in ", out));
}

void CheckHtml(absl::string_view input) {
  const std::string out = report_internal::Html(input);
  CheckSafe(input, "Html", out, TextKind::kMultiLine);
  FUZZ_CHECK(out.find('\r') == std::string::npos, input, "Html keeps a CR");
  for (size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    FUZZ_CHECK(c != '<' && c != '>' && c != '"' && c != '\'', input,
               absl::StrCat("Html: raw ", std::string(1, c), " in ", out));
    if (c == '&') {
      const absl::string_view rest = absl::string_view(out).substr(i);
      FUZZ_CHECK(absl::StartsWith(rest, "&amp;") || absl::StartsWith(rest, "&lt;") ||
                     absl::StartsWith(rest, "&gt;") || absl::StartsWith(rest, "&quot;") ||
                     absl::StartsWith(rest, "&#39;"),
                 input, absl::StrCat("Html: bare & in ", out));
    }
  }
}

void CheckMarkdown(absl::string_view input) {
  const std::string out = report_internal::Md(input);
  CheckSafe(input, "Md", out, TextKind::kSingleLine);  // no line break, no tab
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\\') {
      ++i;  // the escaped character
      continue;
    }
    FUZZ_CHECK(std::string("`*[]<>|~#").find(out[i]) == std::string::npos, input,
               absl::StrCat("Md: unescaped ", std::string(1, out[i]), " in ", out));
  }
}

bool IsPlainNumber(absl::string_view text) {
  size_t i = !text.empty() && text[0] == '-' ? 1 : 0;
  size_t digits = 0, dots = 0;
  for (; i < text.size(); ++i) {
    if (text[i] == '.') {
      ++dots;
    } else if (text[i] >= '0' && text[i] <= '9') {
      ++digits;
    } else {
      return false;
    }
  }
  return digits > 0 && dots <= 1 && text.back() != '.' && text[text[0] == '-' ? 1 : 0] != '.';
}

void CheckCsv(absl::string_view input) {
  const std::string safe = CsvSafeText(input);
  CheckSafe(input, "CsvSafeText", safe, TextKind::kMultiLine);
  FUZZ_CHECK(safe.find('\r') == std::string::npos, input, "CsvSafeText keeps a CR");
  if (!safe.empty() && std::string("=+-@\t\r\n").find(safe[0]) != std::string::npos) {
    FUZZ_CHECK(IsPlainNumber(safe), input, absl::StrCat("a formula cell: ", safe));
  }
  // A second field, so that an empty cell still makes a row.
  const std::string line = CsvLine({std::string(input), "x"});
  auto rows = ParseCsv(line);
  FUZZ_CHECK(rows.ok() && rows->size() == 1 && (*rows)[0].fields.size() == 2, input,
             absl::StrCat("written as ", line));
  FUZZ_CHECK((*rows)[0].fields[0] == safe, input,
             absl::StrCat("read back as ", (*rows)[0].fields[0], ", not ", safe));
}

void CheckDocuments(absl::string_view input) {
  ArenaReport report;
  report.generated_on = "2025-06-01";
  report.tariff_sek_per_hour = 400;
  ArenaFlaggedDuty duty;
  duty.account.duty_id = "d";
  duty.account.agency_id = std::string(input);
  duty.account.title = std::string(input);
  duty.notes = std::string(input);
  Flag flag;
  flag.code = "NO_STATED_PURPOSE";
  flag.reason = std::string(input);
  flag.reason_sv = std::string(input);
  flag.evidence = {{"text", std::string(input)}};
  duty.flags = {flag};
  // A municipality's comment, and the trend and unreported rows, carry
  // client text too.
  duty.comments = {{"0180", "2025", std::string(input)}};
  report.flagged = {duty};
  report.unreported = {{"u", std::string(input), std::string(input), Sector::kSchool,
                        Frequency::kAnnual, {}}};
  report.by_year = {{"2025", std::string(input), 1, 60, 0, 1, 400, 0, 0}};
  for (ReportLanguage language : {ReportLanguage::kSwedish, ReportLanguage::kEnglish}) {
    report.language = language;
    for (ReportFormat format :
         {ReportFormat::kMarkdown, ReportFormat::kCsv, ReportFormat::kJson, ReportFormat::kHtml}) {
      const std::string document = RenderArenaReport(report, format);
      CheckSafe(input, ReportFormatName(format), document, TextKind::kMultiLine);
    }
  }
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  inrapport::CheckHtml(text);
  inrapport::CheckMarkdown(text);
  inrapport::CheckCsv(text);
  inrapport::CheckDocuments(text);
  return 0;
}
