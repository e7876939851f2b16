#include <algorithm>
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

std::optional<ReportLanguage> ParseReportLanguage(absl::string_view code) {
  const std::string text = absl::AsciiStrToLower(absl::StripAsciiWhitespace(code));
  const absl::string_view primary = absl::string_view(text).substr(0, text.find_first_of("-_"));
  if (primary == "sv") return ReportLanguage::kSwedish;
  if (primary == "en") return ReportLanguage::kEnglish;
  return std::nullopt;
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

std::string Human(absl::string_view number, ReportLanguage language) {
  if (number.empty()) return "–";
  std::string out = Grouped(number);
  if (language == ReportLanguage::kSwedish) {
    for (char& c : out) {
      if (c == '.') c = ',';
    }
  }
  return out;
}

std::string HumanPercent(double fraction, ReportLanguage language) {
  const std::string percent = Percent(fraction);
  if (percent.empty()) return "–";
  return Human(percent, language);
}

std::string HumanChange(absl::string_view number, ReportLanguage language) {
  if (number.empty()) return "–";
  if (number[0] == '-') return absl::StrCat("−", Human(number.substr(1), language));
  const bool zero = std::none_of(number.begin(), number.end(),
                                 [](char c) { return c >= '1' && c <= '9'; });
  return absl::StrCat(zero ? "" : "+", Human(number, language));
}

absl::string_view Currency(ReportLanguage language) { return Tr(language, "SEK", "kr"); }

std::string TariffMeaning(const ArenaReport& report) {
  const ReportLanguage l = report.language;
  const std::string tariff = Human(Tariff(report.tariff_sek_per_hour), l);
  std::string text =
      l == ReportLanguage::kSwedish
          ? absl::StrCat(
                "Kostnaden är kommunal personaltid värderad till ", tariff,
                " kr per timme (serverns taxa): kostnad = uppmätta minuter / 60 × taxa. "
                "En nationell skattning är ett uppgiftskravs personaltimmar per år i alla "
                "kommuner som ska lämna uppgifterna: för var och en av SKR:s kommungrupper "
                "antalet kommuner i gruppen × medelvärdet av minuter per inrapportering hos "
                "dem som rapporterat, summerat, × inrapporteringar per kommun och år, med ett "
                "90-procentigt bootstrapintervall. Ett uppgiftskrav med inrapporteringar från "
                "för få kommuner (serverns --estimate_min_municipalities), eller från ingen i "
                "någon kommungrupp, går inte att skatta och får ingen nationell siffra.")
          : absl::StrCat(
                "Costs price municipal staff time at ", tariff,
                " SEK per hour (the server's tariff): cost = measured minutes / 60 × tariff. "
                "A national estimate is a duty's staff hours per year over every municipality "
                "that must report it: for each of SKR's municipality groups, the number of its "
                "municipalities × the mean minutes per report of those that reported, summed, "
                "× reports a municipality makes a year, with a 90 % bootstrap interval. A duty "
                "with reports from too few municipalities (the server's "
                "--estimate_min_municipalities), or from none in some group, is not estimable "
                "and has no national figure.");
  if (report.not_estimable_duties > 0) {
    const std::string of = Human(absl::StrCat(report.not_estimable_duties), l);
    const std::string all = Human(absl::StrCat(report.duties), l);
    if (l == ReportLanguage::kSwedish) {
      absl::StrAppend(&text, " ", of, " av ", all,
                      " uppgiftskrav går inte att skatta och ingår inte i någon nationell summa.");
    } else {
      absl::StrAppend(&text, " ", of, " of ", all,
                      report.duties == 1 ? " duty is" : " duties are",
                      " not estimable and left out of every national sum.");
    }
  }
  return text;
}

std::string PeriodRangeText(const ArenaReport& report) {
  const ReportLanguage l = report.language;
  if (report.period_from.empty() && report.period_to.empty()) {
    return std::string(Tr(l, "all periods", "alla perioder"));
  }
  const std::string from =
      report.period_from.empty() ? std::string(Tr(l, "the first", "den första")) : report.period_from;
  const std::string to =
      report.period_to.empty() ? std::string(Tr(l, "the last", "den sista")) : report.period_to;
  return absl::StrCat(Tr(l, "periods ", "perioderna "), from, Tr(l, " to ", " till "), to);
}

std::string MeasuredText(const DutyAccount& a, ReportLanguage l) {
  if (a.reports == 0) return std::string(Tr(l, "no reports yet", "inga inrapporteringar ännu"));
  if (l == ReportLanguage::kSwedish) {
    return absl::StrCat(Human(absl::StrCat(a.reports), l),
                        a.reports == 1 ? " inrapportering" : " inrapporteringar", " från ",
                        Human(absl::StrCat(a.municipalities), l),
                        a.municipalities == 1 ? " kommun, " : " kommuner, ",
                        Human(absl::StrCat(a.minutes), l), " minuter (median ",
                        a.median_minutes ? Human(Minutes(*a.median_minutes), l) : "–",
                        " per inrapportering), ", Human(Hours(a.hours), l), " timmar, ",
                        Human(Sek(a.cost_sek), l), " kr");
  }
  return absl::StrCat(Human(absl::StrCat(a.reports), l), a.reports == 1 ? " report" : " reports",
                      " from ", Human(absl::StrCat(a.municipalities), l),
                      a.municipalities == 1 ? " municipality, " : " municipalities, ",
                      Human(absl::StrCat(a.minutes), l), " minutes (median ",
                      a.median_minutes ? Human(Minutes(*a.median_minutes), l) : "–",
                      " per report), ", Human(Hours(a.hours), l), " hours, ",
                      Human(Sek(a.cost_sek), l), " SEK");
}

std::string NationalEstimateText(const DutyAccount& a, ReportLanguage l) {
  const NationalEstimate& e = a.national;
  const bool sv = l == ReportLanguage::kSwedish;
  if (!e.estimable) {
    return sv ? absl::StrCat("går inte att skatta: ", e.not_estimable_reason_sv, " (", e.basis_sv,
                             ")")
              : absl::StrCat("not estimable: ", e.not_estimable_reason, " (", e.basis, ")");
  }
  return absl::StrCat(
      Human(Hours(e.hours_per_year), l), Tr(l, " hours per year (90 % interval ",
                                            " timmar per år (90-procentigt intervall "),
      Human(Hours(e.hours_per_year_low), l), "–", Human(Hours(e.hours_per_year_high), l), "), ",
      Human(Sek(e.cost_sek_per_year), l), Tr(l, " SEK per year (", " kr per år ("),
      Human(Sek(e.cost_sek_per_year_low), l), "–", Human(Sek(e.cost_sek_per_year_high), l), " ",
      Currency(l), "); ", sv ? e.basis_sv : e.basis);
}

}  // namespace report_internal
}  // namespace inrapport
