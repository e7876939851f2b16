// The arena report as one self-contained HTML page: inline CSS, inline SVG
// bar charts, no scripts and nothing fetched (a Content-Security-Policy says
// so to the browser), every client text escaped.
//
// The charts keep stable hooks for tests and tools: <svg id="...-chart">,
// each bar a <rect class="bar" data-duty|data-agency="..." data-value="...">
// whose width is proportional to data-value, the figure printed beside it.
#include <algorithm>
#include <cmath>
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
)css";

}  // namespace

std::string Html(absl::string_view text) {
  std::string out;
  for (char c : NeutraliseText(text, TextKind::kMultiLine)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

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

std::string Num(const std::string& number) { return number.empty() ? "–" : Grouped(number); }
std::string SekText(double v) { return absl::StrCat(Num(Sek(v)), " SEK"); }

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
void BarChart(std::string* out, absl::string_view id, absl::string_view title,
              absl::string_view data_name, const std::vector<Bar>& bars) {
  constexpr double kWidth = 960, kRow = 26, kBar = 18, kPad = 6, kCharWidth = 7.6;
  constexpr size_t kMaxLabel = 44;
  size_t label_chars = 4, value_chars = 4;
  double max = 0;
  std::vector<double> shown;
  for (const Bar& bar : bars) {
    label_chars = std::max(label_chars, std::min(Length(bar.key), kMaxLabel + 1));
    value_chars = std::max(value_chars, SekText(bar.value).size());
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
                    Fixed(middle, 1), "\" dominant-baseline=\"central\">", SekText(shown[i]),
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
Cell Figure(const std::string& number) { return {Num(number), true}; }

void Table(std::string* out, const std::vector<Cell>& header,
           const std::vector<std::vector<Cell>>& rows, absl::string_view css_class = "") {
  absl::StrAppend(out, "<div class=\"table-wrap\"><table",
                  css_class.empty() ? "" : absl::StrCat(" class=\"", css_class, "\""),
                  ">\n<thead><tr>");
  for (const Cell& h : header) {
    absl::StrAppend(out, h.numeric ? "<th class=\"num\">" : "<th>", h.html, "</th>");
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

void BurdenTable(std::string* out, absl::string_view key_name,
                 const std::vector<ArenaBurdenRow>& rows) {
  if (rows.empty()) {
    out->append("<p>No reports yet.</p>\n");
    return;
  }
  std::vector<std::vector<Cell>> cells;
  for (const ArenaBurdenRow& r : rows) {
    cells.push_back({Text(r.key),
                     Figure(absl::StrCat(r.reports)),
                     Figure(absl::StrCat(r.municipalities)),
                     Figure(absl::StrCat(r.minutes)),
                     Figure(Hours(r.hours)),
                     Figure(Sek(r.cost_sek)),
                     {Percent(r.flagged_share), true},
                     Figure(Sek(r.national_cost_sek)),
                     Figure(absl::StrCat(r.not_estimable_duties))});
  }
  Table(out,
        {{Html(key_name), false},
         {"Reports", true},
         {"Municipalities", true},
         {"Minutes", true},
         {"Hours", true},
         {"Cost (SEK)", true},
         {"Flagged share", true},
         {"National estimate (SEK per year)", true},
         {"Duties not estimable", true}},
        cells);
}

void Term(std::string* out, absl::string_view term, const std::string& html) {
  absl::StrAppend(out, "<dt>", term, "</dt><dd>", html, "</dd>\n");
}

void FlaggedDuty(std::string* out, size_t rank, const ArenaFlaggedDuty& duty) {
  const DutyAccount& a = duty.account;
  absl::StrAppend(out, "<article class=\"duty\" id=\"flagged-", rank, "\">\n");
  absl::StrAppend(out, "<h3>", rank, ". <code>", Html(a.duty_id), "</code> ", Html(a.title),
                  "</h3>\n<dl>\n");
  Term(out, "Agency", Html(a.agency_id));
  Term(out, "Sector, frequency",
       absl::StrCat(SectorName(a.sector), ", ", FrequencyName(a.frequency)));
  Term(out, "Measured", Html(MeasuredText(a)));
  Term(out, "National estimate", Html(NationalEstimateText(a)));
  Term(out, "The agency&#39;s estimate",
       a.estimated_minutes_per_report > 0
           ? absl::StrCat(Num(Minutes(a.estimated_minutes_per_report)), " minutes per report")
           : "none stated");
  Term(out, "Recorded uses of its data", Num(absl::StrCat(a.recorded_uses)));
  Term(out, "Legal basis", duty.legal_basis.empty() ? "none stated" : HtmlMarked(duty.legal_basis));
  std::vector<std::string> references;
  for (const std::string& r : duty.legal_references) {
    references.push_back(absl::StrCat("<code>", Html(r), "</code>"));
  }
  Term(out, "Recognised references", references.empty() ? "none" : absl::StrJoin(references, "; "));
  if (!duty.source_url.empty()) Term(out, "Source", Link(duty.source_url));
  if (!duty.notes.empty()) {
    absl::StrAppend(out, "<dt>Notes</dt><dd class=\"pre\">", HtmlMarked(duty.notes), "</dd>\n");
  }
  out->append("</dl>\n");
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
    rows.push_back({{absl::StrCat("<code>", Html(flag.code), "</code>"), false},
                    {absl::StrCat("<span class=\"pre\">", Html(flag.reason), "</span>"), false},
                    {evidence, false}});
  }
  Table(out, {{"Flag", false}, {"Reason", false}, {"Evidence", false}}, rows, "flags");
  out->append("</article>\n");
}

void KeyFigure(std::string* out, const std::string& figure, const std::string& caption) {
  absl::StrAppend(out, "<li><span class=\"figure\">", figure, "</span><span class=\"caption\">",
                  caption, "</span></li>\n");
}

}  // namespace

std::string RenderHtml(const ArenaReport& r) {
  std::string out;
  out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
  // Nothing to fetch and nothing to run: the page is its own evidence.
  out.append(
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n");
  out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  absl::StrAppend(&out, "<title>Arena report ", Html(r.generated_on),
                  ": reporting burden on municipalities</title>\n");
  out.append("<link rel=\"icon\" href=\"data:,\">\n");
  absl::StrAppend(&out, "<style>", kStyle, "</style>\n</head>\n<body>\n<main>\n");

  absl::StrAppend(&out, "<header>\n<h1>", Html(kTitle), "</h1>\n");
  absl::StrAppend(&out, "<p class=\"meta\">Generated on <time>", Html(r.generated_on),
                  "</time>. Tariff: <strong>", Num(Tariff(r.tariff_sek_per_hour)),
                  " SEK per hour</strong>.</p>\n");
  absl::StrAppend(&out, "<p class=\"meta\">", Html(TariffMeaning(r)), "</p>\n");
  out.append("<ul class=\"figures\">\n");
  const ArenaBurdenRow& t = r.totals;
  KeyFigure(&out, SekText(t.cost_sek),
            absl::StrCat("measured cost of ", Num(absl::StrCat(t.reports)), " reports"));
  KeyFigure(&out,
            absl::StrCat(Num(absl::StrCat(r.flagged_duties)), " of ", Num(absl::StrCat(r.duties))),
            "duties flagged");
  KeyFigure(&out, Percent(t.flagged_share), "of measured minutes on flagged duties");
  KeyFigure(&out, SekText(r.flagged_national_cost_sek),
            r.flagged_not_estimable_duties > 0
                ? absl::StrCat("national estimated cost per year of the flagged duties that are "
                               "estimable (",
                               Num(absl::StrCat(r.flagged_not_estimable_duties)),
                               " not estimable, left out)")
                : std::string("national estimated cost per year of the flagged duties"));
  out.append("</ul>\n</header>\n");

  out.append("<section id=\"charts\">\n<h2>Flagged duties by national estimated cost</h2>\n");
  if (r.flagged.empty()) {
    out.append("<p>No duty is flagged.</p>\n");
  } else {
    // Only duties with a national estimate have a bar: a duty that is not
    // estimable has no figure to draw.
    std::vector<Bar> bars;
    for (const ArenaFlaggedDuty& duty : r.flagged) {
      const DutyAccount& a = duty.account;
      if (!a.national.estimable) continue;
      bars.push_back(
          {a.duty_id,
           absl::StrCat(a.duty_id, ": ", a.title, " (", absl::StrJoin(a.flag_codes, ", "),
                        "): ", SekText(a.national_cost_sek), " per year"),
           a.national_cost_sek});
    }
    const int64_t without = static_cast<int64_t>(r.flagged.size() - bars.size());
    absl::StrAppend(&out,
                    "<p>One bar per flagged duty with a national estimate: its staff time per "
                    "year over every municipality that must report it, at the tariff",
                    static_cast<int64_t>(r.flagged.size()) < r.flagged_duties
                        ? absl::StrCat("; of the ", r.flagged.size(), " largest of the ",
                                       r.flagged_duties, " flagged duties")
                        : std::string(),
                    without > 0
                        ? absl::StrCat("; ", without, without == 1 ? " duty is" : " duties are",
                                       " not estimable and not drawn")
                        : std::string(),
                    ".</p>\n");
    if (!bars.empty()) {
      BarChart(&out, "flagged-duties-chart",
               "National estimated cost per year of the flagged duties, SEK", "duty", bars);
    }
  }
  out.append("<h2>Measured cost by agency</h2>\n");
  if (r.by_agency.empty()) {
    out.append("<p>No reports yet.</p>\n");
  } else {
    out.append(
        "<p>Staff time the municipalities' reports to each agency took, at the tariff.</p>\n");
    std::vector<Bar> bars;
    for (const ArenaBurdenRow& row : r.by_agency) {
      bars.push_back({row.key,
                      absl::StrCat(row.key, ": ", Num(absl::StrCat(row.reports)), " reports, ",
                                   SekText(row.cost_sek)),
                      row.cost_sek});
    }
    BarChart(&out, "agency-cost-chart", "Measured cost by agency, SEK", "agency", bars);
  }
  out.append("</section>\n");

  out.append("<section id=\"totals\">\n<h2>Totals</h2>\n");
  Table(&out, {{"Figure", false}, {"Value", true}},
        {{Text("Duties registered"), Figure(absl::StrCat(r.duties))},
         {Text("Flagged duties"), Figure(absl::StrCat(r.flagged_duties))},
         {Text("Reports"), Figure(absl::StrCat(t.reports))},
         {Text("Municipalities that reported"), Figure(absl::StrCat(t.municipalities))},
         {Text("Measured staff minutes"), Figure(absl::StrCat(t.minutes))},
         {Text("Measured staff hours"), Figure(Hours(t.hours))},
         {Text("Measured cost"), {SekText(t.cost_sek), true}},
         {Text("Share of measured minutes on flagged duties"), {Percent(t.flagged_share), true}},
         {Text("National estimated cost per year, estimable duties"),
          {SekText(t.national_cost_sek), true}},
         {Text("National estimated cost per year, estimable flagged duties"),
          {SekText(r.flagged_national_cost_sek), true}},
         {Text("Duties not estimable (left out of the national sums)"),
          Figure(absl::StrCat(r.not_estimable_duties))},
         {Text("Flagged duties not estimable"),
          Figure(absl::StrCat(r.flagged_not_estimable_duties))},
         {Text("Recorded uses of the duties' data"), Figure(absl::StrCat(r.recorded_uses))}});
  out.append("</section>\n");

  out.append("<section id=\"by-agency\">\n<h2>Burden by agency</h2>\n");
  BurdenTable(&out, "Agency", r.by_agency);
  out.append("</section>\n<section id=\"by-sector\">\n<h2>Burden by sector</h2>\n");
  BurdenTable(&out, "Sector", r.by_sector);
  out.append("</section>\n");

  out.append(
      "<section id=\"flagged\">\n<h2>Flagged duties, ranked by national estimated cost</h2>\n");
  if (r.flagged.empty()) {
    out.append("<p>No duty is flagged.</p>\n");
  } else {
    std::vector<std::vector<Cell>> rows;
    for (size_t i = 0; i < r.flagged.size(); ++i) {
      const DutyAccount& a = r.flagged[i].account;
      std::vector<std::string> codes;
      for (const Flag& flag : r.flagged[i].flags) codes.push_back(Html(flag.code));
      rows.push_back(
          {Figure(absl::StrCat(i + 1)),
           {absl::StrCat("<a href=\"#flagged-", i + 1, "\"><code>", Html(a.duty_id), "</code></a>"),
            false},
           Text(a.agency_id),
           {absl::StrJoin(codes, ", "), false},
           a.national.estimable ? Figure(Sek(a.national_cost_sek)) : Text("not estimable"),
           Figure(Sek(a.cost_sek)),
           Figure(absl::StrCat(a.reports))});
    }
    Table(&out,
          {{"Rank", true},
           {"Duty", false},
           {"Agency", false},
           {"Flags", false},
           {"National estimate (SEK per year)", true},
           {"Measured cost (SEK)", true},
           {"Reports", true}},
          rows);
    for (size_t i = 0; i < r.flagged.size(); ++i) FlaggedDuty(&out, i + 1, r.flagged[i]);
  }
  out.append("</section>\n");

  out.append("<section id=\"overlaps\">\n<h2>Largest duplicate-data overlaps</h2>\n");
  if (r.overlaps.empty()) {
    out.append("<p>No duty asks for data items that a duty of another agency asks for.</p>\n");
  } else {
    out.append(
        "<p>Data items a duty asks for that a duty of another agency already asks for. Overlap "
        "minutes = the duty&#39;s measured minutes × shared items / its items.</p>\n");
    std::vector<std::vector<Cell>> rows;
    for (const ArenaOverlap& o : r.overlaps) {
      std::vector<std::string> items;
      for (const std::string& item : o.shared_items) items.push_back(Html(item));
      rows.push_back({{absl::StrCat("<code>", Html(o.duty_id), "</code>"), false},
                      Text(o.agency_id),
                      {absl::StrCat("<code>", Html(o.other_duty_id), "</code>"), false},
                      Text(o.other_agency_id),
                      {absl::StrJoin(items, ", "), false},
                      {absl::StrCat(o.shared_items.size(), " of ", o.item_count), true},
                      Figure(Minutes(o.overlap_minutes)),
                      Figure(Sek(o.overlap_cost_sek))});
    }
    Table(&out,
          {{"Duty", false},
           {"Agency", false},
           {"Also asked by", false},
           {"Its agency", false},
           {"Shared items", false},
           {"Shared of its items", true},
           {"Overlap minutes", true},
           {"Overlap cost (SEK)", true}},
          rows);
  }
  out.append("</section>\n</main>\n</body>\n</html>\n");
  return out;
}

}  // namespace inrapport::report_internal
