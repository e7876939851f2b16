// The arena report as one self-contained HTML page: inline CSS, inline SVG
// bar charts, no scripts and nothing fetched (a Content-Security-Policy says
// so to the browser), every client text escaped.
//
// The charts keep stable hooks for tests and tools: <svg id="...-chart">,
// each bar a <rect class="bar" data-duty|data-agency="..." data-value="...">
// whose width is proportional to data-value, the figure printed beside it.
#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/domain/types.h"
#include "common/report/arena_report.h"
#include "common/report/render_internal.h"
#include "common/text/text_safety.h"

namespace inrapport::report_internal {
namespace {

constexpr absl::string_view kStyle = R"css(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f6f8; color: #1d232b;
  font: 15px/1.45 "DejaVu Sans", "Segoe UI", system-ui, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 56px; background: #fff;
  min-height: 100vh; }
h1 { font-size: 1.65em; line-height: 1.25; margin: 0 0 .35em; }
h2 { font-size: 1.25em; margin: 2em 0 .6em; padding-bottom: .25em;
  border-bottom: 2px solid #d6dbe1; }
h3 { font-size: 1.05em; margin: 0 0 .5em; }
p { margin: .4em 0 .8em; max-width: 75em; }
.meta { color: #4f5a66; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 1.2em 0 0; padding: 0;
  list-style: none; }
.figures li { flex: 1 1 200px; border: 1px solid #d6dbe1; border-radius: 6px;
  padding: 10px 14px; background: #fafbfc; }
.figures .figure { display: block; font-size: 1.45em; font-weight: bold;
  white-space: nowrap; }
.figures .caption { color: #4f5a66; font-size: .9em; }
.chart { display: block; width: 100%; max-width: 960px; height: auto; margin: .4em 0 1em; }
.chart text { font-size: 13px; fill: #1d232b; }
.chart .label { text-anchor: end; }
.chart .axis { stroke: #8a949e; stroke-width: 1; }
.chart .bar { fill: #2f6db5; }
#flagged-duties-chart .bar { fill: #b8412e; }
.table-wrap { overflow-x: auto; margin: .4em 0 1em; }
table { border-collapse: collapse; font-size: .92em; }
th, td { border: 1px solid #d6dbe1; padding: 4px 9px; text-align: left; vertical-align: top; }
thead th { background: #eef1f4; }
tbody tr:nth-child(even) { background: #fafbfc; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
th.num { white-space: normal; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .92em; overflow-wrap: anywhere; }
.duty { border: 1px solid #d6dbe1; border-left: 4px solid #b8412e; border-radius: 6px;
  padding: 12px 18px 4px; margin: 1.2em 0; }
.duty dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0 0 .8em; }
.duty dt { color: #4f5a66; }
.duty dd { margin: 0; overflow-wrap: anywhere; }
table code { white-space: nowrap; overflow-wrap: normal; }
.evidence { margin: 0; padding-left: 1.1em; }
.pre { white-space: pre-line; }
mark { background: #ffe9a8; padding: 0 2px; }
.illustrative { border: 2px solid #8a5a00; background: #fff4d6; color: #4a3000; padding: 6px 12px;
  font-weight: bold; }
.comments { margin: 0 0 1em; padding-left: 1.1em; }
.duty.decision { border-left-color: #2f6db5; }
.decision h4 { margin: .6em 0 .2em; font-size: 1em; }
.comments .who { color: #4f5a66; }
)css";

}  // namespace

std::string Html(absl::string_view text) { return EscapeHtml(text); }

namespace {

// Escaped text with each "unverified" highlighted, so the catalogue's marks
// of what its sources did not confirm stand out. Safe on escaped text: no
// entity contains the word.
std::string HtmlMarked(absl::string_view text) {
  const std::string escaped = Html(text);
  const std::string lower = absl::AsciiStrToLower(escaped);
  constexpr char kWord[] = "unverified";
  constexpr size_t kWordLength = sizeof(kWord) - 1;
  std::string out;
  size_t from = 0;
  for (size_t at = lower.find(kWord); at != std::string::npos; at = lower.find(kWord, from)) {
    absl::StrAppend(&out, escaped.substr(from, at - from), "<mark>",
                    escaped.substr(at, kWordLength), "</mark>");
    from = at + kWordLength;
  }
  out += escaped.substr(from);
  return out;
}

std::string SekText(double v, ReportLanguage l) {
  return absl::StrCat(Human(Sek(v), l), " ", Currency(l));
}

// A link only for http(s) addresses; anything else stays text.
std::string Link(absl::string_view url) {
  const bool web =
      absl::StartsWithIgnoreCase(url, "https://") || absl::StartsWithIgnoreCase(url, "http://");
  const bool blank = std::any_of(url.begin(), url.end(), [](char c) {
    return absl::ascii_isspace(static_cast<unsigned char>(c)) ||
           absl::ascii_iscntrl(static_cast<unsigned char>(c));
  });
  if (!web || blank) return Html(url);
  return absl::StrCat("<a href=\"", Html(url), "\" rel=\"noopener noreferrer\">", Html(url),
                      "</a>");
}

// Code points, for the width a label needs.
size_t Length(absl::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// The first `max` code points of `utf8`, with an ellipsis if cut.
std::string Shortened(absl::string_view utf8, size_t max) {
  if (Length(utf8) <= max) return std::string(utf8);
  size_t points = 0, i = 0;
  for (; i < utf8.size(); ++i) {
    if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80 && ++points == max) break;
  }
  return absl::StrCat(utf8.substr(0, i), "…");
}

struct Bar {
  std::string key;      // duty id or agency id
  std::string tooltip;  // plain text
  double value = 0;     // SEK
};

// A horizontal bar chart, one row per bar in the given order. Each bar's
// width is its value, rounded to the krona as printed, over the largest,
// times the plot width.
void BarChart(std::string* out, ReportLanguage l, absl::string_view id, absl::string_view title,
              absl::string_view data_name, const std::vector<Bar>& bars) {
  constexpr double kWidth = 960, kRow = 26, kBar = 18, kPad = 6, kCharWidth = 7.6;
  constexpr size_t kMaxLabel = 44;
  size_t label_chars = 4, value_chars = 4;
  double max = 0;
  std::vector<double> shown;
  for (const Bar& bar : bars) {
    label_chars = std::max(label_chars, std::min(Length(bar.key), kMaxLabel + 1));
    value_chars = std::max(value_chars, Length(SekText(bar.value, l)));
    const double v = std::isfinite(bar.value) ? std::max(0.0, std::round(bar.value)) : 0.0;
    shown.push_back(v);
    max = std::max(max, v);
  }
  const double label_width = std::min(12 + kCharWidth * label_chars, 360.0);
  const double value_width = 10 + kCharWidth * value_chars;
  const double plot = kWidth - label_width - value_width;
  const double height = kPad * 2 + kRow * bars.size();

  absl::StrAppend(out, "<svg id=\"", id, "\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\"",
                  " width=\"", Fixed(kWidth, 0), "\" height=\"", Fixed(height, 0),
                  "\" viewBox=\"0 0 ", Fixed(kWidth, 0), " ", Fixed(height, 0),
                  "\" role=\"img\" aria-labelledby=\"", id, "-title\">\n");
  absl::StrAppend(out, "<title id=\"", id, "-title\">", Html(title), "</title>\n");
  absl::StrAppend(out, "<line class=\"axis\" x1=\"", Fixed(label_width, 1), "\" y1=\"0\" x2=\"",
                  Fixed(label_width, 1), "\" y2=\"", Fixed(height, 0), "\"/>\n");
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& bar = bars[i];
    const double y = kPad + kRow * i + (kRow - kBar) / 2;
    const double middle = y + kBar / 2;
    const double width = max > 0 ? shown[i] / max * plot : 0;
    absl::StrAppend(out, "<g class=\"row\">");
    absl::StrAppend(out, "<text class=\"label\" x=\"", Fixed(label_width - 8, 1), "\" y=\"",
                    Fixed(middle, 1), "\" dominant-baseline=\"central\">",
                    Html(Shortened(bar.key, kMaxLabel)), "</text>");
    absl::StrAppend(out, "<rect class=\"bar\" data-", data_name, "=\"", Html(bar.key),
                    "\" data-value=\"", Sek(shown[i]), "\" x=\"", Fixed(label_width, 1), "\" y=\"",
                    Fixed(y, 1), "\" width=\"", Fixed(width, 2), "\" height=\"", Fixed(kBar, 0),
                    "\"><title>", Html(bar.tooltip), "</title></rect>");
    absl::StrAppend(out, "<text class=\"value\" x=\"", Fixed(label_width + width + 6, 1), "\" y=\"",
                    Fixed(middle, 1), "\" dominant-baseline=\"central\">", SekText(shown[i], l),
                    "</text>");
    absl::StrAppend(out, "</g>\n");
  }
  out->append("</svg>\n");
}

struct Cell {
  std::string html;  // already escaped
  bool numeric = false;
};
Cell Text(absl::string_view text) { return {Html(text), false}; }

void Table(std::string* out, const std::vector<Cell>& header,
           const std::vector<std::vector<Cell>>& rows, absl::string_view css_class = "") {
  absl::StrAppend(out, "<div class=\"table-wrap\"><table",
                  css_class.empty() ? "" : absl::StrCat(" class=\"", css_class, "\""),
                  ">\n<thead><tr>");
  for (const Cell& h : header) {
    absl::StrAppend(out, h.numeric ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">",
                    h.html, "</th>");
  }
  out->append("</tr></thead>\n<tbody>\n");
  for (const std::vector<Cell>& row : rows) {
    out->append("<tr>");
    for (const Cell& c : row) {
      absl::StrAppend(out, c.numeric ? "<td class=\"num\">" : "<td>", c.html, "</td>");
    }
    out->append("</tr>\n");
  }
  out->append("</tbody></table></div>\n");
}

// Opens a section with its heading and, for illustrative data, the notice.
void Section(std::string* out, const ArenaReport& r, absl::string_view id,
             absl::string_view heading) {
  absl::StrAppend(out, "<section id=\"", id, "\">\n<h2>", Html(heading), "</h2>\n");
  const std::string notice = IllustrativeNotice(r);
  if (!notice.empty()) absl::StrAppend(out, "<p class=\"illustrative\">", Html(notice), "</p>\n");
}

class Renderer {
 public:
  explicit Renderer(const ArenaReport& r) : r_(r), l_(r.language) {}

  std::string Render();

 private:
  absl::string_view T(absl::string_view en, absl::string_view sv) const { return Tr(l_, en, sv); }
  std::string N(const std::string& number) const { return Human(number, l_); }
  Cell Figure(const std::string& number) const { return {N(number), true}; }
  Cell Count(int64_t n) const { return Figure(absl::StrCat(n)); }
  Cell Money(double sek) const { return {SekText(sek, l_), true}; }
  // A sum of national estimates, or a dash when no duty in it is estimable.
  Cell EstimatedSum(double sek, int64_t estimable) const {
    return estimable > 0 ? Money(sek) : Cell{"–", true};
  }
  Cell Head(absl::string_view text, bool numeric = false) const { return {Html(text), numeric}; }

  void BurdenTable(absl::string_view key_name, const std::vector<ArenaBurdenRow>& rows,
                   bool sectors);
  void FlaggedDuty(size_t rank, const ArenaFlaggedDuty& duty);
  void Decision(size_t index, const ArenaDecision& decision);
  void Term(absl::string_view term, const std::string& html) {
    absl::StrAppend(&out_, "<dt>", Html(term), "</dt><dd>", html, "</dd>\n");
  }
  void KeyFigure(const std::string& figure, const std::string& caption) {
    absl::StrAppend(&out_, "<li><span class=\"figure\">", figure,
                    "</span><span class=\"caption\">", caption, "</span></li>\n");
  }

  const ArenaReport& r_;
  const ReportLanguage l_;
  std::string out_;
};

void Renderer::BurdenTable(absl::string_view key_name, const std::vector<ArenaBurdenRow>& rows,
                           bool sectors) {
  if (rows.empty()) {
    absl::StrAppend(&out_, "<p>", T("No reports yet.", "Inga inrapporteringar ännu."), "</p>\n");
    return;
  }
  std::vector<std::vector<Cell>> cells;
  for (const ArenaBurdenRow& row : rows) {
    std::string label = row.label.empty() ? row.key : row.label;
    if (sectors) {
      if (const std::optional<Sector> sector = ParseSector(row.key)) {
        label = SectorLabel(*sector, l_);
      }
    }
    cells.push_back({Text(label), Count(row.reports), Count(row.municipalities),
                     Count(row.minutes), Figure(Hours(row.hours)), Figure(Sek(row.cost_sek)),
                     {HumanPercent(row.flagged_share, l_), true},
                     Figure(Sek(row.national_cost_sek)), Count(row.not_estimable_duties)});
  }
  Table(&out_,
        {Head(key_name), Head(T("Reports", "Inrapporteringar"), true),
         Head(T("Municipalities", "Kommuner"), true), Head(T("Minutes", "Minuter"), true),
         Head(T("Hours", "Timmar"), true),
         Head(absl::StrCat(T("Cost", "Kostnad"), " (", Currency(l_), ")"), true),
         Head(T("Flagged share", "Andel flaggad"), true),
         Head(T("National estimate (SEK per year)", "Nationell skattning (kr per år)"), true),
         Head(T("Duties not estimable", "Uppgiftskrav som inte går att skatta"), true)},
        cells);
}

void Renderer::FlaggedDuty(size_t rank, const ArenaFlaggedDuty& duty) {
  const DutyAccount& a = duty.account;
  absl::StrAppend(&out_, "<article class=\"duty\" id=\"flagged-", rank, "\">\n");
  absl::StrAppend(&out_, "<h3>", rank, ". <code>", Html(a.duty_id), "</code> ", Html(a.title),
                  "</h3>\n<dl>\n");
  Term(T("Agency", "Myndighet"), Html(a.agency_id));
  Term(T("Sector, frequency", "Sektor, frekvens"),
       Html(absl::StrCat(SectorLabel(a.sector, l_), ", ", FrequencyLabel(a.frequency, l_))));
  Term(T("Measured", "Uppmätt"), Html(MeasuredText(a, l_)));
  Term(T("National estimate", "Nationell skattning"), Html(NationalEstimateText(a, l_)));
  Term(T("The agency's estimate", "Myndighetens skattning"),
       a.estimated_minutes_per_report > 0
           ? Html(absl::StrCat(N(Minutes(a.estimated_minutes_per_report)),
                               T(" minutes per report", " minuter per inrapportering")))
           : Html(T("none stated", "ingen angiven")));
  Term(T("Recorded uses of its data", "Registrerade användningar av uppgifterna"),
       N(absl::StrCat(a.recorded_uses)));
  Term(T("Legal basis", "Författningsstöd"),
       duty.legal_basis.empty() ? Html(T("none stated", "inget angivet"))
                                : HtmlMarked(duty.legal_basis));
  std::vector<std::string> references;
  for (const std::string& ref : duty.legal_references) {
    references.push_back(absl::StrCat("<code>", Html(ref), "</code>"));
  }
  Term(T("Recognised references", "Igenkända hänvisningar"),
       references.empty() ? Html(T("none", "inga")) : absl::StrJoin(references, "; "));
  if (!duty.source_url.empty()) Term(T("Source", "Källa"), Link(duty.source_url));
  if (!duty.notes.empty()) {
    absl::StrAppend(&out_, "<dt>", Html(T("Notes", "Anteckningar")), "</dt><dd class=\"pre\">",
                    HtmlMarked(duty.notes), "</dd>\n");
  }
  out_.append("</dl>\n");
  std::vector<std::vector<Cell>> rows;
  for (const Flag& flag : duty.flags) {
    std::string evidence;
    if (flag.evidence.empty()) {
      evidence = "–";
    } else {
      evidence = "<ul class=\"evidence\">";
      for (const auto& [name, value] : flag.evidence) {
        absl::StrAppend(&evidence, "<li>", Html(name), ": ", HtmlMarked(value), "</li>");
      }
      evidence += "</ul>";
    }
    rows.push_back({{absl::StrCat(Html(FlagLabel(flag.code, l_)), "<br><code>", Html(flag.code),
                                  "</code>"),
                     false},
                    {absl::StrCat("<span class=\"pre\">", Html(ReasonIn(flag, l_)), "</span>"),
                     false},
                    {evidence, false}});
  }
  Table(&out_, {Head(T("Flag", "Flagga")), Head(T("Reason", "Skäl")), Head(T("Evidence", "Underlag"))},
        rows, "flags");
  if (!duty.comments.empty()) {
    absl::StrAppend(&out_, "<h4>", Html(T("The municipalities' most recent comments",
                                          "Kommunernas senaste kommentarer")),
                    "</h4>\n<ul class=\"comments\">\n");
    for (const ArenaComment& c : duty.comments) {
      absl::StrAppend(&out_, "<li><span class=\"who\">", Html(c.municipality_code), ", ",
                      Html(c.period), ":</span> <q class=\"pre\">", Html(c.comment),
                      "</q></li>\n");
    }
    out_.append("</ul>\n");
  }
  out_.append("</article>\n");
}

void Renderer::Decision(size_t index, const ArenaDecision& d) {
  absl::StrAppend(&out_, "<article class=\"duty decision\" id=\"decision-", index, "\">\n");
  absl::StrAppend(&out_, "<h3><code>", Html(d.duty_id), "</code> ", Html(d.title),
                  "</h3>\n<dl>\n");
  Term(T("Decision", "Beslut"), absl::StrCat(Html(DecisionLabel(d.kind, l_)), ", <time>",
                                             Html(d.decided_on), "</time>"));
  if (!d.merge_into.empty()) {
    Term(T("Merged into", "Slås samman med"),
         absl::StrCat("<code>", Html(d.merge_into), "</code>"));
  }
  Term(T("Agency", "Myndighet"),
       d.agency_name.empty() || d.agency_name == d.agency_id
           ? Html(d.agency_id)
           : absl::StrCat(Html(d.agency_name), " (", Html(d.agency_id), ")"));
  if (d.reason.empty()) {
    Term(T("Reason", "Skäl"), Html(T("none stated", "inget angivet")));
  } else {
    absl::StrAppend(&out_, "<dt>", Html(T("Reason", "Skäl")), "</dt><dd class=\"pre\">",
                    Html(d.reason), "</dd>\n");
  }
  out_.append("</dl>\n");
  absl::StrAppend(&out_, "<h4>",
                  Html(T("Measured burden per year before and after the decision",
                         "Uppmätt börda per år före och efter beslutet")),
                  "</h4>\n");
  if (d.years.empty()) {
    absl::StrAppend(&out_, "<p>", T("No reports yet.", "Inga inrapporteringar ännu."), "</p>\n");
  } else {
    std::vector<std::vector<Cell>> rows;
    for (const ArenaDecisionYear& y : d.years) {
      rows.push_back({Text(absl::StrCat(y.year)), Text(DecisionSideLabel(y.after, l_)),
                      Count(y.reports), Figure(Hours(y.hours)), Figure(Sek(y.cost_sek))});
    }
    Table(&out_,
          {Head(T("Year", "År")),
           Head(T("Before or after the decision", "Före eller efter beslutet")),
           Head(T("Reports", "Inrapporteringar"), true), Head(T("Hours", "Timmar"), true),
           Head(absl::StrCat(T("Cost", "Kostnad"), " (", Currency(l_), ")"), true)},
          rows, "decision-years");
  }
  absl::StrAppend(&out_, "<p class=\"change\">", Html(DecisionChangeText(d, r_)), "</p>\n");
  out_.append("</article>\n");
}

std::string Renderer::Render() {
  const ArenaReport& r = r_;
  absl::StrAppend(&out_, "<!DOCTYPE html>\n<html lang=\"", ReportLanguageCode(l_),
                  "\">\n<head>\n<meta charset=\"utf-8\">\n");
  // Nothing to fetch and nothing to run: the page is its own evidence.
  out_.append(
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n");
  out_.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  absl::StrAppend(&out_, "<title>", Html(Title(r)), " ", Html(r.generated_on), "</title>\n");
  out_.append("<link rel=\"icon\" href=\"data:,\">\n");
  absl::StrAppend(&out_, "<style>", kStyle, "</style>\n</head>\n<body>\n<main>\n");

  absl::StrAppend(&out_, "<header>\n<h1>", Html(Title(r)), "</h1>\n");
  const std::string notice = IllustrativeNotice(r);
  if (!notice.empty()) absl::StrAppend(&out_, "<p class=\"illustrative\">", Html(notice), "</p>\n");
  absl::StrAppend(&out_, "<p class=\"meta\">", T("Generated on ", "Skapad "), "<time>",
                  Html(r.generated_on), "</time>. ", T("Measured tables: ", "Uppmätta tabeller: "),
                  Html(PeriodRangeText(r)), ". ", T("Tariff: ", "Taxa: "), "<strong>",
                  N(Tariff(r.tariff_sek_per_hour)), " ", Currency(l_),
                  T(" per hour", " per timme"), "</strong>.</p>\n");
  absl::StrAppend(&out_, "<p class=\"meta\">", Html(TariffMeaning(r)), "</p>\n");
  out_.append("<ul class=\"figures\">\n");
  const ArenaBurdenRow& t = r.totals;
  KeyFigure(SekText(t.cost_sek, l_),
            absl::StrCat(T("measured cost of ", "uppmätt kostnad för "), N(absl::StrCat(t.reports)),
                         T(" reports", " inrapporteringar")));
  KeyFigure(absl::StrCat(N(absl::StrCat(r.flagged_duties)), T(" of ", " av "),
                         N(absl::StrCat(r.duties))),
            std::string(T("duties flagged", "uppgiftskrav flaggade")));
  KeyFigure(HumanPercent(t.flagged_share, l_),
            std::string(T("of measured minutes on flagged duties",
                          "av uppmätta minuter på flaggade uppgiftskrav")));
  // A sum over no estimable duty is no figure: a dash and why, never "0 kr".
  if (r.flagged_duties > 0 && r.flagged_not_estimable_duties >= r.flagged_duties) {
    KeyFigure("–", absl::StrCat(T("no national estimate: none of the ",
                                  "ingen nationell skattning: inget av de "),
                                N(absl::StrCat(r.flagged_duties)),
                                T(" flagged duties is estimable",
                                  " flaggade uppgiftskraven går att skatta")));
  } else {
    KeyFigure(SekText(r.flagged_national_cost_sek, l_),
              r.flagged_not_estimable_duties > 0
                  ? absl::StrCat(T("national estimated cost per year of the flagged duties that "
                                   "are estimable (",
                                   "nationell skattad kostnad per år för de flaggade "
                                   "uppgiftskrav som går att skatta ("),
                                 N(absl::StrCat(r.flagged_not_estimable_duties)),
                                 T(" not estimable, left out)",
                                   " går inte att skatta, ingår inte)"))
                  : std::string(T("national estimated cost per year of the flagged duties",
                                  "nationell skattad kostnad per år för de flaggade "
                                  "uppgiftskraven")));
  }
  out_.append("</ul>\n</header>\n");

  Section(&out_, r, "charts",
          T("Flagged duties by national estimated cost",
            "Flaggade uppgiftskrav efter nationell skattad kostnad"));
  if (r.flagged.empty()) {
    absl::StrAppend(&out_, "<p>", T("No duty is flagged.", "Inget uppgiftskrav är flaggat."),
                    "</p>\n");
  } else {
    // Only duties with a national estimate have a bar: a duty that is not
    // estimable has no figure to draw.
    std::vector<Bar> bars;
    for (const ArenaFlaggedDuty& duty : r.flagged) {
      const DutyAccount& a = duty.account;
      if (!a.national.estimable) continue;
      bars.push_back({a.duty_id,
                      absl::StrCat(a.duty_id, ": ", a.title, " (",
                                   absl::StrJoin(a.flag_codes, ", "), "): ",
                                   SekText(a.national_cost_sek, l_), T(" per year", " per år")),
                      a.national_cost_sek});
    }
    const int64_t without = static_cast<int64_t>(r.flagged.size() - bars.size());
    std::string lead(T("One bar per flagged duty with a national estimate: its staff time per "
                       "year over every municipality that must report it, at the tariff",
                       "En stapel per flaggat uppgiftskrav med nationell skattning: dess "
                       "personaltid per år i alla kommuner som ska lämna uppgifterna, till taxan"));
    if (static_cast<int64_t>(r.flagged.size()) < r.flagged_duties) {
      absl::StrAppend(&lead, T("; of the ", "; de "), r.flagged.size(),
                      T(" largest of the ", " största av de "), r.flagged_duties,
                      T(" flagged duties", " flaggade uppgiftskraven"));
    }
    if (without > 0) {
      absl::StrAppend(&lead, "; ", without,
                      without == 1 ? T(" duty is not estimable and not drawn",
                                       " uppgiftskrav går inte att skatta och ritas inte")
                                   : T(" duties are not estimable and not drawn",
                                       " uppgiftskrav går inte att skatta och ritas inte"));
    }
    absl::StrAppend(&out_, "<p>", Html(lead), ".</p>\n");
    if (!bars.empty()) {
      BarChart(&out_, l_, "flagged-duties-chart",
               absl::StrCat(T("National estimated cost per year of the flagged duties, ",
                              "Nationell skattad kostnad per år för de flaggade uppgiftskraven, "),
                            Currency(l_)),
               "duty", bars);
    }
  }
  absl::StrAppend(&out_, "<h2>", Html(T("Measured cost by agency", "Uppmätt kostnad per myndighet")),
                  "</h2>\n");
  if (r.by_agency.empty()) {
    absl::StrAppend(&out_, "<p>", T("No reports yet.", "Inga inrapporteringar ännu."), "</p>\n");
  } else {
    absl::StrAppend(&out_, "<p>",
                    Html(T("Staff time the municipalities' reports to each agency took, at the "
                           "tariff.",
                           "Den personaltid som kommunernas inrapporteringar till varje "
                           "myndighet tog, till taxan.")),
                    "</p>\n");
    std::vector<Bar> bars;
    for (const ArenaBurdenRow& row : r.by_agency) {
      bars.push_back({row.key,
                      absl::StrCat(row.label.empty() ? row.key : row.label, ": ",
                                   N(absl::StrCat(row.reports)),
                                   T(" reports, ", " inrapporteringar, "),
                                   SekText(row.cost_sek, l_)),
                      row.cost_sek});
    }
    BarChart(&out_, l_, "agency-cost-chart",
             absl::StrCat(T("Measured cost by agency, ", "Uppmätt kostnad per myndighet, "),
                          Currency(l_)),
             "agency", bars);
  }
  out_.append("</section>\n");

  Section(&out_, r, "totals", T("Totals", "Sammanfattning"));
  Table(&out_, {Head(T("Figure", "Uppgift")), Head(T("Value", "Värde"), true)},
        {{Text(T("Duties registered", "Registrerade uppgiftskrav")), Count(r.duties)},
         {Text(T("Flagged duties", "Flaggade uppgiftskrav")), Count(r.flagged_duties)},
         {Text(T("Duties without reports", "Uppgiftskrav utan inrapporteringar")),
          Count(static_cast<int64_t>(r.unreported.size()))},
         {Text(T("Reports", "Inrapporteringar")), Count(t.reports)},
         {Text(T("Municipalities that reported", "Kommuner som rapporterat")),
          Count(t.municipalities)},
         {Text(T("Measured staff minutes", "Uppmätt personaltid, minuter")), Count(t.minutes)},
         {Text(T("Measured staff hours", "Uppmätt personaltid, timmar")), Figure(Hours(t.hours))},
         {Text(T("Measured cost", "Uppmätt kostnad")), Money(t.cost_sek)},
         {Text(T("Share of measured minutes on flagged duties",
                 "Andel av uppmätta minuter på flaggade uppgiftskrav")),
          {HumanPercent(t.flagged_share, l_), true}},
         {Text(T("National estimated cost per year, estimable duties",
                 "Nationell skattad kostnad per år, skattningsbara uppgiftskrav")),
          EstimatedSum(t.national_cost_sek, r.duties - r.not_estimable_duties)},
         {Text(T("National estimated cost per year, estimable flagged duties",
                 "Nationell skattad kostnad per år, skattningsbara flaggade uppgiftskrav")),
          EstimatedSum(r.flagged_national_cost_sek,
                       r.flagged_duties - r.flagged_not_estimable_duties)},
         {Text(T("Duties not estimable (left out of the national sums)",
                 "Uppgiftskrav som inte går att skatta (ingår inte i nationella summor)")),
          Count(r.not_estimable_duties)},
         {Text(T("Flagged duties not estimable", "Flaggade uppgiftskrav som inte går att skatta")),
          Count(r.flagged_not_estimable_duties)},
         {Text(T("Recorded uses of the duties' data", "Registrerade användningar av uppgifterna")),
          Count(r.recorded_uses)}});
  out_.append("</section>\n");

  Section(&out_, r, "by-year", T("Trend by year", "Utveckling per år"));
  if (r.by_year.empty()) {
    absl::StrAppend(&out_, "<p>", T("No reports yet.", "Inga inrapporteringar ännu."), "</p>\n");
  } else {
    absl::StrAppend(&out_, "<p>",
                    Html(T("Measured burden by the year a report's period starts in, in total and "
                           "per agency. Flagged: reports whose duty was flagged for their period.",
                           "Uppmätt börda efter det år då inrapporteringens period börjar, totalt "
                           "och per myndighet. Flaggad: inrapporteringar vars uppgiftskrav var "
                           "flaggat för deras period.")),
                    "</p>\n");
    std::vector<std::vector<Cell>> rows;
    for (const ArenaYearRow& y : r.by_year) {
      rows.push_back({Text(y.year), y.agency_id.empty() ? Text(T("all", "alla")) : Text(y.agency_id),
                      Count(y.reports), Figure(Hours(y.hours)), Figure(Sek(y.cost_sek)),
                      Figure(Sek(y.flagged_cost_sek)), {HumanPercent(y.flagged_share, l_), true}});
    }
    Table(&out_,
          {Head(T("Year", "År")), Head(T("Agency", "Myndighet")),
           Head(T("Reports", "Inrapporteringar"), true), Head(T("Hours", "Timmar"), true),
           Head(absl::StrCat(T("Cost", "Kostnad"), " (", Currency(l_), ")"), true),
           Head(absl::StrCat(T("Flagged cost", "Flaggad kostnad"), " (", Currency(l_), ")"), true),
           Head(T("Flagged share", "Andel flaggad"), true)},
          rows, "by-year");
  }
  out_.append("</section>\n");

  Section(&out_, r, "decisions",
          T("Decisions on duties in force", "Beslut om gällande uppgiftskrav"));
  if (r.decisions.empty()) {
    absl::StrAppend(&out_, "<p>", Html(NoDecisionsText(l_)), "</p>\n");
  } else {
    absl::StrAppend(&out_, "<p>", Html(DecisionsLead(l_)), "</p>\n");
    for (size_t i = 0; i < r.decisions.size(); ++i) Decision(i + 1, r.decisions[i]);
  }
  out_.append("</section>\n");

  Section(&out_, r, "by-agency", T("Burden by agency", "Börda per myndighet"));
  BurdenTable(T("Agency", "Myndighet"), r.by_agency, false);
  out_.append("</section>\n");
  Section(&out_, r, "by-sector", T("Burden by sector", "Börda per sektor"));
  BurdenTable(T("Sector", "Sektor"), r.by_sector, true);
  out_.append("</section>\n");

  Section(&out_, r, "flagged",
          T("Flagged duties, ranked by national estimated cost",
            "Flaggade uppgiftskrav, efter nationell skattad kostnad"));
  if (r.flagged.empty()) {
    absl::StrAppend(&out_, "<p>", T("No duty is flagged.", "Inget uppgiftskrav är flaggat."),
                    "</p>\n");
  } else {
    std::vector<std::vector<Cell>> rows;
    for (size_t i = 0; i < r.flagged.size(); ++i) {
      const DutyAccount& a = r.flagged[i].account;
      std::vector<std::string> codes;
      for (const Flag& flag : r.flagged[i].flags) codes.push_back(Html(flag.code));
      rows.push_back(
          {Count(static_cast<int64_t>(i + 1)),
           {absl::StrCat("<a href=\"#flagged-", i + 1, "\"><code>", Html(a.duty_id), "</code></a>"),
            false},
           Text(a.agency_id),
           {absl::StrJoin(codes, ", "), false},
           a.national.estimable ? Figure(Sek(a.national_cost_sek))
                                : Text(T("not estimable", "går inte att skatta")),
           Figure(Sek(a.cost_sek)),
           Count(a.reports)});
    }
    Table(&out_,
          {Head(T("Rank", "Plats"), true), Head(T("Duty", "Uppgiftskrav")),
           Head(T("Agency", "Myndighet")), Head(T("Flags", "Flaggor")),
           Head(T("National estimate (SEK per year)", "Nationell skattning (kr per år)"), true),
           Head(absl::StrCat(T("Measured cost", "Uppmätt kostnad"), " (", Currency(l_), ")"), true),
           Head(T("Reports", "Inrapporteringar"), true)},
          rows);
    for (size_t i = 0; i < r.flagged.size(); ++i) FlaggedDuty(i + 1, r.flagged[i]);
  }
  out_.append("</section>\n");

  Section(&out_, r, "unreported", T("Duties without reports", "Uppgiftskrav utan inrapporteringar"));
  if (r.unreported.empty()) {
    absl::StrAppend(&out_, "<p>",
                    T("Every duty has reports.", "Alla uppgiftskrav har inrapporteringar."),
                    "</p>\n");
  } else {
    absl::StrAppend(&out_, "<p>",
                    Html(T("No report measures these duties yet: their burden is unknown, not "
                           "zero.",
                           "Ingen inrapportering mäter ännu dessa uppgiftskrav: deras börda är "
                           "okänd, inte noll.")),
                    "</p>\n");
    std::vector<std::vector<Cell>> rows;
    for (const ArenaUnreportedDuty& d : r.unreported) {
      std::vector<std::string> codes;
      for (const std::string& code : d.flag_codes) codes.push_back(Html(code));
      rows.push_back({{absl::StrCat("<code>", Html(d.duty_id), "</code>"), false},
                      Text(d.agency_id), Text(d.title), Text(SectorLabel(d.sector, l_)),
                      {codes.empty() ? "–" : absl::StrJoin(codes, ", "), false}});
    }
    Table(&out_,
          {Head(T("Duty", "Uppgiftskrav")), Head(T("Agency", "Myndighet")),
           Head(T("Title", "Benämning")), Head(T("Sector", "Sektor")),
           Head(T("Flags now", "Flaggor nu"))},
          rows, "unreported");
  }
  out_.append("</section>\n");

  Section(&out_, r, "overlaps",
          T("Largest duplicate-data overlaps", "Största överlappen i begärda uppgifter"));
  if (r.overlaps.empty()) {
    absl::StrAppend(&out_, "<p>",
                    Html(T("No duty asks for data items that a duty of another agency asks for.",
                           "Inget uppgiftskrav begär uppgifter som ett uppgiftskrav från en annan "
                           "myndighet också begär.")),
                    "</p>\n");
  } else {
    absl::StrAppend(&out_, "<p>",
                    Html(T("Data items a duty asks for that a duty of another agency already asks "
                           "for. Overlap minutes = the duty's measured minutes × shared items / "
                           "its items.",
                           "Uppgifter som ett uppgiftskrav begär och som ett uppgiftskrav från en "
                           "annan myndighet redan begär. Överlappsminuter = uppgiftskravets "
                           "uppmätta minuter × gemensamma uppgifter / dess uppgifter.")),
                    "</p>\n");
    std::vector<std::vector<Cell>> rows;
    for (const ArenaOverlap& o : r.overlaps) {
      std::vector<std::string> items;
      for (const std::string& item : o.shared_items) items.push_back(Html(item));
      rows.push_back({{absl::StrCat("<code>", Html(o.duty_id), "</code>"), false},
                      Text(o.agency_id),
                      {absl::StrCat("<code>", Html(o.other_duty_id), "</code>"), false},
                      Text(o.other_agency_id),
                      {absl::StrJoin(items, ", "), false},
                      {absl::StrCat(o.shared_items.size(), T(" of ", " av "), o.item_count), true},
                      Figure(Minutes(o.overlap_minutes)),
                      Figure(Sek(o.overlap_cost_sek))});
    }
    Table(&out_,
          {Head(T("Duty", "Uppgiftskrav")), Head(T("Agency", "Myndighet")),
           Head(T("Also asked by", "Begärs också av")), Head(T("Its agency", "Dess myndighet")),
           Head(T("Shared items", "Gemensamma uppgifter")),
           Head(T("Shared of its items", "Gemensamma av dess uppgifter"), true),
           Head(T("Overlap minutes", "Överlappsminuter"), true),
           Head(absl::StrCat(T("Overlap cost", "Överlappskostnad"), " (", Currency(l_), ")"),
                true)},
          rows);
  }
  out_.append("</section>\n");

  Section(&out_, r, "reported-elsewhere",
          T("Where the municipalities already report the same data",
            "Där kommunerna redan lämnar samma uppgifter"));
  if (r.reported_elsewhere.empty()) {
    absl::StrAppend(&out_, "<p>",
                    Html(T("No report names where its data is already reported.",
                           "Ingen inrapportering anger var uppgifterna redan lämnas.")),
                    "</p>\n");
  } else {
    absl::StrAppend(&out_, "<p>",
                    Html(T("What the municipalities name when they answer that they already "
                           "report the same data elsewhere: their own picture of the overlap, "
                           "beside the catalogue's above.",
                           "Det kommunerna anger när de svarar att de redan lämnar samma "
                           "uppgifter på annat håll: deras egen bild av överlappet, bredvid "
                           "katalogens ovan.")),
                    "</p>\n");
    std::vector<std::vector<Cell>> rows;
    for (const ArenaReportedElsewhere& e : r.reported_elsewhere) {
      rows.push_back({{absl::StrCat("<code>", Html(e.duty_id), "</code>"), false},
                      Text(e.agency_id),
                      e.other_duty_id.empty()
                          ? Text(e.where)
                          : Cell{absl::StrCat("<code>", Html(e.where), "</code>"), false},
                      e.other_agency_id.empty() ? Text("–") : Text(e.other_agency_id),
                      Count(e.municipalities), Count(e.reports)});
    }
    Table(&out_,
          {Head(T("Duty", "Uppgiftskrav")), Head(T("Agency", "Myndighet")),
           Head(T("Already reported in", "Lämnas redan i")), Head(T("Its agency", "Dess myndighet")),
           Head(T("Municipalities", "Kommuner"), true), Head(T("Reports", "Inrapporteringar"), true)},
          rows, "reported-elsewhere");
  }
  out_.append("</section>\n");

  Section(&out_, r, "method", T("Method", "Metod"));
  for (const std::string& paragraph : MethodParagraphs(r)) {
    absl::StrAppend(&out_, "<p>", Html(paragraph), "</p>\n");
  }
  out_.append("</section>\n</main>\n</body>\n</html>\n");
  return std::move(out_);
}

}  // namespace

std::string RenderHtml(const ArenaReport& r) { return Renderer(r).Render(); }

}  // namespace inrapport::report_internal
