// The arena report as a Markdown document for a person to read.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/domain/types.h"
#include "common/report/arena_report.h"
#include "common/report/render_internal.h"
#include "common/text/text_safety.h"

namespace inrapport::report_internal {
namespace {

bool IsWordByte(absl::string_view text, size_t i) {
  if (i >= text.size()) return false;
  const unsigned char c = static_cast<unsigned char>(text[i]);
  return absl::ascii_isalnum(c) || c >= 0x80;
}

}  // namespace

// Line breaks become spaces (a table row is one line) and the characters
// that could start markup, an HTML tag or a cell boundary are escaped with a
// backslash, which CommonMark and GitHub render as the character itself
// ('#' too: a heading drops a trailing run of them).
// An underscore inside a word ("social_services") cannot start emphasis and
// is left alone so identifiers stay readable.
std::string Md(absl::string_view raw) {
  const std::string safe = NeutraliseText(raw, TextKind::kSingleLine);
  const absl::string_view text = safe;
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '_':
        if (!(i > 0 && IsWordByte(text, i - 1) && IsWordByte(text, i + 1))) out.push_back('\\');
        out.push_back(c);
        break;
      case '&':  // only where it could start an entity ("&lt;")
        if (i + 1 < text.size() &&
            (absl::ascii_isalnum(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '#')) {
          out.push_back('\\');
        }
        out.push_back(c);
        break;
      case '\\':
      case '`':
      case '*':
      case '[':
      case ']':
      case '<':
      case '>':
      case '|':
      case '~':
      case '#':
        out.push_back('\\');
        out.push_back(c);
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

namespace {

// A figure for a person: grouped, or a dash when there is none.
std::string Num(const std::string& number) { return number.empty() ? "–" : Grouped(number); }
std::string SekText(double v) { return absl::StrCat(Num(Sek(v)), " SEK"); }

void Row(std::string* out, const std::vector<std::string>& cells) {
  absl::StrAppend(out, "| ", absl::StrJoin(cells, " | "), " |\n");
}

// Header and alignment row; `numeric` columns are right-aligned.
void Header(std::string* out, const std::vector<std::string>& names,
            const std::vector<bool>& numeric) {
  Row(out, names);
  std::vector<std::string> align;
  for (size_t i = 0; i < names.size(); ++i) align.push_back(numeric[i] ? "--:" : "---");
  Row(out, align);
}

void BurdenTable(std::string* out, absl::string_view key_name,
                 const std::vector<ArenaBurdenRow>& rows) {
  if (rows.empty()) {
    out->append("No reports yet.\n\n");
    return;
  }
  Header(out,
         {std::string(key_name), "Reports", "Municipalities", "Minutes", "Hours", "Cost (SEK)",
          "Flagged share", "National estimate (SEK per year)", "Duties not estimable"},
         {false, true, true, true, true, true, true, true, true});
  for (const ArenaBurdenRow& row : rows) {
    Row(out, {Md(row.key), Num(absl::StrCat(row.reports)), Num(absl::StrCat(row.municipalities)),
              Num(absl::StrCat(row.minutes)), Num(Hours(row.hours)), Num(Sek(row.cost_sek)),
              Percent(row.flagged_share), Num(Sek(row.national_cost_sek)),
              Num(absl::StrCat(row.not_estimable_duties))});
  }
  out->append("\n");
}

std::string Evidence(const Flag& flag) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : flag.evidence) parts.push_back(Md(name) + ": " + Md(value));
  return parts.empty() ? "–" : absl::StrJoin(parts, "; ");
}

void FlaggedDuty(std::string* out, size_t rank, const ArenaFlaggedDuty& duty) {
  const DutyAccount& a = duty.account;
  absl::StrAppend(out, "### ", rank, ". ", Md(a.duty_id), ": ", Md(a.title), "\n\n");
  absl::StrAppend(out, "- Agency: ", Md(a.agency_id), "; sector: ", SectorName(a.sector),
                  "; frequency: ", FrequencyName(a.frequency), "\n");
  absl::StrAppend(out, "- Measured: ", MeasuredText(a), "\n");
  absl::StrAppend(out, "- National estimate: ", NationalEstimateText(a), "\n");
  if (a.estimated_minutes_per_report > 0) {
    absl::StrAppend(out, "- The agency's estimate: ", Num(Minutes(a.estimated_minutes_per_report)),
                    " minutes per report\n");
  } else {
    out->append("- The agency's estimate: none stated\n");
  }
  absl::StrAppend(out, "- Recorded uses of its data: ", a.recorded_uses, "\n");
  absl::StrAppend(out, "- Legal basis: ",
                  duty.legal_basis.empty() ? "none stated" : Md(duty.legal_basis), "\n");
  std::vector<std::string> references;
  for (const std::string& r : duty.legal_references) references.push_back(Md(r));
  absl::StrAppend(out, "- Recognised references: ",
                  references.empty() ? "none" : absl::StrJoin(references, "; "), "\n");
  if (!duty.source_url.empty()) absl::StrAppend(out, "- Source: ", Md(duty.source_url), "\n");
  if (!duty.notes.empty()) absl::StrAppend(out, "- Notes: ", Md(duty.notes), "\n");
  out->append("\n");
  Header(out, {"Flag", "Reason", "Evidence"}, {false, false, false});
  for (const Flag& flag : duty.flags) Row(out, {Md(flag.code), Md(flag.reason), Evidence(flag)});
  out->append("\n");
}

}  // namespace

std::string RenderMarkdown(const ArenaReport& r) {
  std::string out;
  absl::StrAppend(&out, "# ", kTitle, "\n\n");
  absl::StrAppend(&out, "Generated on ", Md(r.generated_on), ".\n\n");
  absl::StrAppend(&out, "Tariff: **", Num(Tariff(r.tariff_sek_per_hour)), " SEK per hour**. ",
                  TariffMeaning(r), "\n\n");

  out.append("## Totals\n\n");
  Header(&out, {"Figure", "Value"}, {false, true});
  const ArenaBurdenRow& t = r.totals;
  Row(&out, {"Duties registered", Num(absl::StrCat(r.duties))});
  Row(&out, {"Flagged duties", Num(absl::StrCat(r.flagged_duties))});
  Row(&out, {"Reports", Num(absl::StrCat(t.reports))});
  Row(&out, {"Municipalities that reported", Num(absl::StrCat(t.municipalities))});
  Row(&out, {"Measured staff minutes", Num(absl::StrCat(t.minutes))});
  Row(&out, {"Measured staff hours", Num(Hours(t.hours))});
  Row(&out, {"Measured cost", SekText(t.cost_sek)});
  Row(&out, {"Share of measured minutes on flagged duties", Percent(t.flagged_share)});
  Row(&out, {"National estimated cost per year, estimable duties",
             SekText(t.national_cost_sek)});
  Row(&out, {"National estimated cost per year, estimable flagged duties",
             SekText(r.flagged_national_cost_sek)});
  Row(&out, {"Duties not estimable (left out of the national sums)",
             Num(absl::StrCat(r.not_estimable_duties))});
  Row(&out, {"Flagged duties not estimable", Num(absl::StrCat(r.flagged_not_estimable_duties))});
  Row(&out, {"Recorded uses of the duties' data", Num(absl::StrCat(r.recorded_uses))});
  out.append("\n");

  out.append("## Burden by agency\n\n");
  BurdenTable(&out, "Agency", r.by_agency);
  out.append("## Burden by sector\n\n");
  BurdenTable(&out, "Sector", r.by_sector);

  out.append("## Flagged duties, ranked by national estimated cost\n\n");
  if (r.flagged.empty()) {
    out.append("No duty is flagged.\n\n");
  } else {
    if (static_cast<int64_t>(r.flagged.size()) < r.flagged_duties) {
      absl::StrAppend(&out, "The ", r.flagged.size(), " largest of the ", r.flagged_duties,
                      " flagged duties.\n\n");
    }
    if (r.flagged_not_estimable_duties > 0) {
      out.append(
          "Duties that are not estimable have no national figure; they follow the others, by "
          "measured minutes.\n\n");
    }
    Header(&out,
           {"Rank", "Duty", "Agency", "Flags", "National estimate (SEK per year)",
            "Measured cost (SEK)", "Reports"},
           {true, false, false, false, true, true, true});
    for (size_t i = 0; i < r.flagged.size(); ++i) {
      const DutyAccount& a = r.flagged[i].account;
      std::vector<std::string> codes;
      for (const Flag& flag : r.flagged[i].flags) codes.push_back(Md(flag.code));
      Row(&out,
          {absl::StrCat(i + 1), Md(a.duty_id), Md(a.agency_id), absl::StrJoin(codes, ", "),
           a.national.estimable ? Num(Sek(a.national_cost_sek)) : "not estimable",
           Num(Sek(a.cost_sek)), Num(absl::StrCat(a.reports))});
    }
    out.append("\n");
    for (size_t i = 0; i < r.flagged.size(); ++i) FlaggedDuty(&out, i + 1, r.flagged[i]);
  }

  out.append("## Largest duplicate-data overlaps\n\n");
  if (r.overlaps.empty()) {
    out.append("No duty asks for data items that a duty of another agency asks for.\n");
  } else {
    out.append(
        "Data items a duty asks for that a duty of another agency already asks for. Overlap "
        "minutes = the duty's measured minutes × shared items / its items.\n\n");
    Header(&out,
           {"Duty", "Agency", "Also asked by", "Its agency", "Shared items", "Shared of its items",
            "Overlap minutes", "Overlap cost (SEK)"},
           {false, false, false, false, false, true, true, true});
    for (const ArenaOverlap& o : r.overlaps) {
      std::vector<std::string> items;
      for (const std::string& item : o.shared_items) items.push_back(Md(item));
      Row(&out,
          {Md(o.duty_id), Md(o.agency_id), Md(o.other_duty_id), Md(o.other_agency_id),
           absl::StrJoin(items, ", "), absl::StrCat(o.shared_items.size(), " of ", o.item_count),
           Num(Minutes(o.overlap_minutes)), Num(Sek(o.overlap_cost_sek))});
    }
  }
  return out;
}

}  // namespace inrapport::report_internal
