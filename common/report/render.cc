#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/report/arena_report.h"
#include "common/report/render_internal.h"

namespace inrapport {

std::optional<ReportFormat> ParseReportFormat(absl::string_view text) {
  const std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  if (name == "markdown" || name == "md") return ReportFormat::kMarkdown;
  if (name == "csv") return ReportFormat::kCsv;
  if (name == "json") return ReportFormat::kJson;
  if (name == "html") return ReportFormat::kHtml;
  return std::nullopt;
}

absl::string_view ReportFormatName(ReportFormat format) {
  switch (format) {
    case ReportFormat::kMarkdown:
      return "markdown";
    case ReportFormat::kCsv:
      return "csv";
    case ReportFormat::kJson:
      return "json";
    case ReportFormat::kHtml:
      return "html";
  }
  return "markdown";
}

absl::string_view ReportContentType(ReportFormat format) {
  switch (format) {
    case ReportFormat::kMarkdown:
      return "text/markdown; charset=utf-8";
    case ReportFormat::kCsv:
      // RFC 4180 with the optional header parameter of RFC 7111.
      return "text/csv; charset=utf-8; header=present";
    case ReportFormat::kJson:
      return "application/json";  // always UTF-8 (RFC 8259)
    case ReportFormat::kHtml:
      return "text/html; charset=utf-8";
  }
  return "text/markdown; charset=utf-8";
}

std::string RenderArenaReport(const ArenaReport& report, ReportFormat format) {
  switch (format) {
    case ReportFormat::kMarkdown:
      return report_internal::RenderMarkdown(report);
    case ReportFormat::kCsv:
      return report_internal::RenderCsv(report);
    case ReportFormat::kJson:
      return report_internal::RenderJson(report);
    case ReportFormat::kHtml:
      return report_internal::RenderHtml(report);
  }
  return report_internal::RenderMarkdown(report);
}

namespace report_internal {
namespace {

// `n` / 10^decimals written out exactly: integer arithmetic, so rounding
// happened once, in the caller.
std::string Scaled(int64_t n, int decimals) {
  static constexpr uint64_t kScale[] = {1, 10, 100, 1000, 10000};
  const uint64_t scale = kScale[decimals];
  const bool negative = n < 0;
  const uint64_t m = negative ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  std::string out = negative && m != 0 ? "-" : "";
  absl::StrAppend(&out, m / scale);
  if (decimals > 0) {
    std::string fraction = absl::StrCat(m % scale);
    out.push_back('.');
    out.append(static_cast<size_t>(decimals) - fraction.size(), '0');
    out += fraction;
  }
  return out;
}

// Rounded half away from zero; nullopt where the figure cannot be written.
std::optional<int64_t> RoundScaled(double value, int decimals) {
  static constexpr double kScale[] = {1, 10, 100, 1000, 10000};
  if (!std::isfinite(value) || std::fabs(value) > 1e14) return std::nullopt;
  return static_cast<int64_t>(std::llround(value * kScale[decimals]));
}

}  // namespace

std::string Fixed(double value, int decimals) {
  if (decimals < 0) decimals = 0;
  if (decimals > 4) decimals = 4;
  const std::optional<int64_t> n = RoundScaled(value, decimals);
  return n ? Scaled(*n, decimals) : "";
}

std::string Share(double fraction) {
  const std::optional<int64_t> n = RoundScaled(fraction, 3);
  return n ? Scaled(*n, 3) : "";
}

std::string Percent(double fraction) {
  const std::optional<int64_t> n = RoundScaled(fraction, 3);
  return n ? absl::StrCat(Scaled(*n, 1), " %") : "";
}

std::string Tariff(double sek_per_hour) {
  const std::optional<int64_t> n = RoundScaled(sek_per_hour, 2);
  if (!n) return "";
  if (*n % 100 == 0) return Scaled(*n / 100, 0);
  if (*n % 10 == 0) return Scaled(*n / 10, 1);
  return Scaled(*n, 2);
}

std::string Grouped(absl::string_view number) {
  size_t start = !number.empty() && number[0] == '-' ? 1 : 0;
  size_t end = start;
  while (end < number.size() && absl::ascii_isdigit(static_cast<unsigned char>(number[end]))) {
    ++end;
  }
  if (end == start) return std::string(number);
  const absl::string_view digits = number.substr(start, end - start);
  std::string out(number.substr(0, start));
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(' ');
    out.push_back(digits[i]);
  }
  absl::StrAppend(&out, number.substr(end));
  return out;
}

std::string TariffMeaning(const ArenaReport& report) {
  std::string text = absl::StrCat(
      "Costs price municipal staff time at ", Tariff(report.tariff_sek_per_hour),
      " SEK per hour (the server's tariff): cost = measured minutes / 60 × tariff. "
      "A national estimate is a duty's staff hours per year over every municipality "
      "that must report it: for each of SKR's municipality groups, the number of its "
      "municipalities × the mean minutes per report of those that reported, summed, "
      "× reports a municipality makes a year, with a 90 % bootstrap interval. A duty "
      "with reports from too few municipalities (the server's "
      "--estimate_min_municipalities), or from none in some group, is not estimable "
      "and has no national figure.");
  if (report.not_estimable_duties > 0) {
    absl::StrAppend(&text, " ", Grouped(absl::StrCat(report.not_estimable_duties)), " of ",
                    Grouped(absl::StrCat(report.duties)),
                    report.duties == 1 ? " duty is" : " duties are",
                    " not estimable and left out of every national sum.");
  }
  return text;
}

std::string MeasuredText(const DutyAccount& a) {
  if (a.reports == 0) return "no reports yet";
  return absl::StrCat(Grouped(absl::StrCat(a.reports)), a.reports == 1 ? " report" : " reports",
                      " from ", Grouped(absl::StrCat(a.municipalities)),
                      a.municipalities == 1 ? " municipality, " : " municipalities, ",
                      Grouped(absl::StrCat(a.minutes)), " minutes (median ",
                      a.median_minutes ? Grouped(Minutes(*a.median_minutes)) : "–",
                      " per report), ", Grouped(Hours(a.hours)), " hours, ",
                      Grouped(Sek(a.cost_sek)), " SEK");
}

std::string NationalEstimateText(const DutyAccount& a) {
  const NationalEstimate& e = a.national;
  if (!e.estimable) {
    return absl::StrCat("not estimable: ", e.not_estimable_reason, " (", e.basis, ")");
  }
  return absl::StrCat(Grouped(Hours(e.hours_per_year)), " hours per year (90 % interval ",
                      Grouped(Hours(e.hours_per_year_low)), "–",
                      Grouped(Hours(e.hours_per_year_high)), "), ",
                      Grouped(Sek(e.cost_sek_per_year)), " SEK per year (",
                      Grouped(Sek(e.cost_sek_per_year_low)), "–",
                      Grouped(Sek(e.cost_sek_per_year_high)), " SEK); ", e.basis);
}

}  // namespace report_internal
}  // namespace inrapport
