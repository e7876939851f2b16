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

// A section heading, followed by the notice of illustrative data.
void Section(std::string* out, const ArenaReport& r, absl::string_view heading) {
  absl::StrAppend(out, "## ", heading, "\n\n");
  const std::string notice = IllustrativeNotice(r);
  if (!notice.empty()) absl::StrAppend(out, "> **", notice, "**\n\n");
}

void BurdenTable(std::string* out, ReportLanguage l, absl::string_view key_name,
                 const std::vector<std::pair<std::string, const ArenaBurdenRow*>>& rows) {
  if (rows.empty()) {
    absl::StrAppend(out, Tr(l, "No reports yet.", "Inga inrapporteringar ännu."), "\n\n");
    return;
  }
  Header(out,
         {std::string(key_name), std::string(Tr(l, "Reports", "Inrapporteringar")),
          std::string(Tr(l, "Municipalities", "Kommuner")),
          std::string(Tr(l, "Minutes", "Minuter")), std::string(Tr(l, "Hours", "Timmar")),
          absl::StrCat(Tr(l, "Cost", "Kostnad"), " (", Currency(l), ")"),
          std::string(Tr(l, "Flagged share", "Andel flaggad")),
          std::string(Tr(l, "National estimate (SEK per year)", "Nationell skattning (kr per år)")),
          std::string(Tr(l, "Duties not estimable", "Uppgiftskrav som inte går att skatta"))},
         {false, true, true, true, true, true, true, true, true});
  for (const auto& [label, row] : rows) {
    Row(out, {Md(label), Human(absl::StrCat(row->reports), l),
              Human(absl::StrCat(row->municipalities), l), Human(absl::StrCat(row->minutes), l),
              Human(Hours(row->hours), l), Human(Sek(row->cost_sek), l),
              HumanPercent(row->flagged_share, l), Human(Sek(row->national_cost_sek), l),
              Human(absl::StrCat(row->not_estimable_duties), l)});
  }
  out->append("\n");
}

std::string Evidence(const Flag& flag) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : flag.evidence) parts.push_back(Md(name) + ": " + Md(value));
  return parts.empty() ? "–" : absl::StrJoin(parts, "; ");
}

void FlaggedDuty(std::string* out, ReportLanguage l, size_t rank, const ArenaFlaggedDuty& duty) {
  const DutyAccount& a = duty.account;
  absl::StrAppend(out, "### ", rank, ". ", Md(a.duty_id), ": ", Md(a.title), "\n\n");
  absl::StrAppend(out, "- ", Tr(l, "Agency", "Myndighet"), ": ", Md(a.agency_id), "; ",
                  Tr(l, "sector", "sektor"), ": ", SectorLabel(a.sector, l), "; ",
                  Tr(l, "frequency", "frekvens"), ": ", FrequencyLabel(a.frequency, l), "\n");
  absl::StrAppend(out, "- ", Tr(l, "Measured", "Uppmätt"), ": ", Md(MeasuredText(a, l)), "\n");
  absl::StrAppend(out, "- ", Tr(l, "National estimate", "Nationell skattning"), ": ",
                  Md(NationalEstimateText(a, l)), "\n");
  absl::StrAppend(out, "- ", Tr(l, "The agency's estimate", "Myndighetens skattning"), ": ",
                  a.estimated_minutes_per_report > 0
                      ? absl::StrCat(Human(Minutes(a.estimated_minutes_per_report), l),
                                     Tr(l, " minutes per report", " minuter per inrapportering"))
                      : std::string(Tr(l, "none stated", "ingen angiven")),
                  "\n");
  absl::StrAppend(out, "- ", Tr(l, "Recorded uses of its data", "Registrerade användningar av uppgifterna"),
                  ": ", a.recorded_uses, "\n");
  absl::StrAppend(out, "- ", Tr(l, "Legal basis", "Författningsstöd"), ": ",
                  duty.legal_basis.empty() ? std::string(Tr(l, "none stated", "inget angivet"))
                                           : Md(duty.legal_basis),
                  "\n");
  std::vector<std::string> references;
  for (const std::string& r : duty.legal_references) references.push_back(Md(r));
  absl::StrAppend(out, "- ", Tr(l, "Recognised references", "Igenkända hänvisningar"), ": ",
                  references.empty() ? std::string(Tr(l, "none", "inga"))
                                     : absl::StrJoin(references, "; "),
                  "\n");
  if (!duty.source_url.empty()) {
    absl::StrAppend(out, "- ", Tr(l, "Source", "Källa"), ": ", Md(duty.source_url), "\n");
  }
  if (!duty.notes.empty()) {
    absl::StrAppend(out, "- ", Tr(l, "Notes", "Anteckningar"), ": ", Md(duty.notes), "\n");
  }
  out->append("\n");
  Header(out,
         {std::string(Tr(l, "Flag", "Flagga")), std::string(Tr(l, "Reason", "Skäl")),
          std::string(Tr(l, "Evidence", "Underlag"))},
         {false, false, false});
  for (const Flag& flag : duty.flags) {
    Row(out, {absl::StrCat(Md(FlagLabel(flag.code, l)), " (", Md(flag.code), ")"),
              Md(ReasonIn(flag, l)), Evidence(flag)});
  }
  out->append("\n");
  if (!duty.comments.empty()) {
    absl::StrAppend(out, Tr(l, "The municipalities' most recent comments:",
                            "Kommunernas senaste kommentarer:"),
                    "\n\n");
    for (const ArenaComment& c : duty.comments) {
      absl::StrAppend(out, "- ", Md(c.municipality_code), ", ", Md(c.period), ": «",
                      Md(c.comment), "»\n");
    }
    out->append("\n");
  }
}

void Decision(std::string* out, const ArenaReport& r, const ArenaDecision& d) {
  const ReportLanguage l = r.language;
  absl::StrAppend(out, "### ", Md(d.duty_id), ": ", Md(d.title), "\n\n");
  absl::StrAppend(out, "- ", Tr(l, "Decision", "Beslut"), ": ", DecisionLabel(d.kind, l), ", ",
                  Md(d.decided_on), "\n");
  if (!d.merge_into.empty()) {
    absl::StrAppend(out, "- ", Tr(l, "Merged into", "Slås samman med"), ": ", Md(d.merge_into),
                    "\n");
  }
  absl::StrAppend(out, "- ", Tr(l, "Agency", "Myndighet"), ": ",
                  d.agency_name.empty() || d.agency_name == d.agency_id
                      ? Md(d.agency_id)
                      : absl::StrCat(Md(d.agency_name), " (", Md(d.agency_id), ")"),
                  "\n");
  absl::StrAppend(out, "- ", Tr(l, "Reason", "Skäl"), ": ",
                  d.reason.empty() ? std::string(Tr(l, "none stated", "inget angivet"))
                                   : Md(d.reason),
                  "\n\n");
  absl::StrAppend(out, Tr(l, "Measured burden per year before and after the decision:",
                          "Uppmätt börda per år före och efter beslutet:"),
                  "\n\n");
  if (d.years.empty()) {
    absl::StrAppend(out, Tr(l, "No reports yet.", "Inga inrapporteringar ännu."), "\n\n");
  } else {
    Header(out,
           {std::string(Tr(l, "Year", "År")),
            std::string(Tr(l, "Before or after the decision", "Före eller efter beslutet")),
            std::string(Tr(l, "Reports", "Inrapporteringar")),
            std::string(Tr(l, "Hours", "Timmar")),
            absl::StrCat(Tr(l, "Cost", "Kostnad"), " (", Currency(l), ")")},
           {false, false, true, true, true});
    for (const ArenaDecisionYear& y : d.years) {
      Row(out, {absl::StrCat(y.year), DecisionSideLabel(y.after, l),
                Human(absl::StrCat(y.reports), l), Human(Hours(y.hours), l),
                Human(Sek(y.cost_sek), l)});
    }
    out->append("\n");
  }
  absl::StrAppend(out, Md(DecisionChangeText(d, r)), "\n\n");
}

}  // namespace

std::string RenderMarkdown(const ArenaReport& r) {
  const ReportLanguage l = r.language;
  std::string out;
  absl::StrAppend(&out, "# ", Md(Title(r)), "\n\n");
  const std::string notice = IllustrativeNotice(r);
  if (!notice.empty()) absl::StrAppend(&out, "> **", notice, "**\n\n");
  absl::StrAppend(&out, Tr(l, "Generated on ", "Skapad "), Md(r.generated_on), ". ",
                  Tr(l, "Measured tables: ", "Uppmätta tabeller: "), Md(PeriodRangeText(r)),
                  ".\n\n");
  absl::StrAppend(&out, Tr(l, "Tariff: **", "Taxa: **"), Human(Tariff(r.tariff_sek_per_hour), l),
                  " ", Currency(l), Tr(l, " per hour**. ", " per timme**. "), TariffMeaning(r),
                  "\n\n");

  Section(&out, r, Tr(l, "Totals", "Sammanfattning"));
  Header(&out, {std::string(Tr(l, "Figure", "Uppgift")), std::string(Tr(l, "Value", "Värde"))},
         {false, true});
  const ArenaBurdenRow& t = r.totals;
  auto money = [l](double sek) { return absl::StrCat(Human(Sek(sek), l), " ", Currency(l)); };
  Row(&out, {std::string(Tr(l, "Duties registered", "Registrerade uppgiftskrav")),
             Human(absl::StrCat(r.duties), l)});
  Row(&out, {std::string(Tr(l, "Flagged duties", "Flaggade uppgiftskrav")),
             Human(absl::StrCat(r.flagged_duties), l)});
  Row(&out, {std::string(Tr(l, "Duties without reports", "Uppgiftskrav utan inrapporteringar")),
             Human(absl::StrCat(r.unreported.size()), l)});
  Row(&out, {std::string(Tr(l, "Reports", "Inrapporteringar")), Human(absl::StrCat(t.reports), l)});
  Row(&out, {std::string(Tr(l, "Municipalities that reported", "Kommuner som rapporterat")),
             Human(absl::StrCat(t.municipalities), l)});
  Row(&out, {std::string(Tr(l, "Measured staff minutes", "Uppmätt personaltid, minuter")),
             Human(absl::StrCat(t.minutes), l)});
  Row(&out, {std::string(Tr(l, "Measured staff hours", "Uppmätt personaltid, timmar")),
             Human(Hours(t.hours), l)});
  Row(&out, {std::string(Tr(l, "Measured cost", "Uppmätt kostnad")), money(t.cost_sek)});
  Row(&out, {std::string(Tr(l, "Share of measured minutes on flagged duties",
                            "Andel av uppmätta minuter på flaggade uppgiftskrav")),
             HumanPercent(t.flagged_share, l)});
  Row(&out, {std::string(Tr(l, "National estimated cost per year, estimable duties",
                            "Nationell skattad kostnad per år, skattningsbara uppgiftskrav")),
             r.duties > r.not_estimable_duties ? money(t.national_cost_sek) : "–"});
  Row(&out,
      {std::string(Tr(l, "National estimated cost per year, estimable flagged duties",
                      "Nationell skattad kostnad per år, skattningsbara flaggade uppgiftskrav")),
       r.flagged_duties > r.flagged_not_estimable_duties ? money(r.flagged_national_cost_sek)
                                                         : "–"});
  Row(&out, {std::string(Tr(l, "Duties not estimable (left out of the national sums)",
                            "Uppgiftskrav som inte går att skatta (ingår inte i nationella summor)")),
             Human(absl::StrCat(r.not_estimable_duties), l)});
  Row(&out, {std::string(Tr(l, "Flagged duties not estimable",
                            "Flaggade uppgiftskrav som inte går att skatta")),
             Human(absl::StrCat(r.flagged_not_estimable_duties), l)});
  Row(&out, {std::string(Tr(l, "Recorded uses of the duties' data",
                            "Registrerade användningar av uppgifterna")),
             Human(absl::StrCat(r.recorded_uses), l)});
  out.append("\n");

  Section(&out, r, Tr(l, "Trend by year", "Utveckling per år"));
  if (r.by_year.empty()) {
    absl::StrAppend(&out, Tr(l, "No reports yet.", "Inga inrapporteringar ännu."), "\n\n");
  } else {
    absl::StrAppend(&out,
                    Tr(l, "Measured burden by the year a report's period starts in, in total and "
                          "per agency. Flagged: reports whose duty was flagged for their period.",
                       "Uppmätt börda efter det år då inrapporteringens period börjar, totalt och "
                       "per myndighet. Flaggad: inrapporteringar vars uppgiftskrav var flaggat för "
                       "deras period."),
                    "\n\n");
    Header(&out,
           {std::string(Tr(l, "Year", "År")), std::string(Tr(l, "Agency", "Myndighet")),
            std::string(Tr(l, "Reports", "Inrapporteringar")),
            std::string(Tr(l, "Hours", "Timmar")),
            absl::StrCat(Tr(l, "Cost", "Kostnad"), " (", Currency(l), ")"),
            absl::StrCat(Tr(l, "Flagged cost", "Flaggad kostnad"), " (", Currency(l), ")"),
            std::string(Tr(l, "Flagged share", "Andel flaggad"))},
           {false, false, true, true, true, true, true});
    for (const ArenaYearRow& y : r.by_year) {
      Row(&out, {Md(y.year),
                 y.agency_id.empty() ? std::string(Tr(l, "all", "alla")) : Md(y.agency_id),
                 Human(absl::StrCat(y.reports), l), Human(Hours(y.hours), l),
                 Human(Sek(y.cost_sek), l), Human(Sek(y.flagged_cost_sek), l),
                 HumanPercent(y.flagged_share, l)});
    }
    out.append("\n");
  }

  Section(&out, r, Tr(l, "Decisions on duties in force", "Beslut om gällande uppgiftskrav"));
  if (r.decisions.empty()) {
    absl::StrAppend(&out, NoDecisionsText(l), "\n\n");
  } else {
    absl::StrAppend(&out, Md(DecisionsLead(l)), "\n\n");
    for (const ArenaDecision& d : r.decisions) Decision(&out, r, d);
  }

  Section(&out, r, Tr(l, "Burden by agency", "Börda per myndighet"));
  std::vector<std::pair<std::string, const ArenaBurdenRow*>> agencies, sectors;
  for (const ArenaBurdenRow& row : r.by_agency) {
    agencies.emplace_back(row.label.empty() ? row.key : row.label, &row);
  }
  BurdenTable(&out, l, Tr(l, "Agency", "Myndighet"), agencies);
  Section(&out, r, Tr(l, "Burden by sector", "Börda per sektor"));
  for (const ArenaBurdenRow& row : r.by_sector) {
    const std::optional<Sector> sector = ParseSector(row.key);
    sectors.emplace_back(sector ? SectorLabel(*sector, l) : row.key, &row);
  }
  BurdenTable(&out, l, Tr(l, "Sector", "Sektor"), sectors);

  Section(&out, r, Tr(l, "Flagged duties, ranked by national estimated cost",
                      "Flaggade uppgiftskrav, efter nationell skattad kostnad"));
  if (r.flagged.empty()) {
    absl::StrAppend(&out, Tr(l, "No duty is flagged.", "Inget uppgiftskrav är flaggat."), "\n\n");
  } else {
    if (static_cast<int64_t>(r.flagged.size()) < r.flagged_duties) {
      absl::StrAppend(&out, Tr(l, "The ", "De "), r.flagged.size(),
                      Tr(l, " largest of the ", " största av de "), r.flagged_duties,
                      Tr(l, " flagged duties.", " flaggade uppgiftskraven."), "\n\n");
    }
    if (r.flagged_not_estimable_duties > 0) {
      absl::StrAppend(&out,
                      Tr(l, "Duties that are not estimable have no national figure; they follow "
                            "the others, by measured minutes.",
                         "Uppgiftskrav som inte går att skatta har ingen nationell siffra; de "
                         "kommer efter de andra, efter uppmätta minuter."),
                      "\n\n");
    }
    Header(&out,
           {std::string(Tr(l, "Rank", "Plats")), std::string(Tr(l, "Duty", "Uppgiftskrav")),
            std::string(Tr(l, "Agency", "Myndighet")), std::string(Tr(l, "Flags", "Flaggor")),
            std::string(Tr(l, "National estimate (SEK per year)", "Nationell skattning (kr per år)")),
            absl::StrCat(Tr(l, "Measured cost", "Uppmätt kostnad"), " (", Currency(l), ")"),
            std::string(Tr(l, "Reports", "Inrapporteringar"))},
           {true, false, false, false, true, true, true});
    for (size_t i = 0; i < r.flagged.size(); ++i) {
      const DutyAccount& a = r.flagged[i].account;
      std::vector<std::string> codes;
      for (const Flag& flag : r.flagged[i].flags) codes.push_back(Md(flag.code));
      Row(&out, {absl::StrCat(i + 1), Md(a.duty_id), Md(a.agency_id), absl::StrJoin(codes, ", "),
                 a.national.estimable ? Human(Sek(a.national_cost_sek), l)
                                      : std::string(Tr(l, "not estimable", "går inte att skatta")),
                 Human(Sek(a.cost_sek), l), Human(absl::StrCat(a.reports), l)});
    }
    out.append("\n");
    for (size_t i = 0; i < r.flagged.size(); ++i) FlaggedDuty(&out, l, i + 1, r.flagged[i]);
  }

  Section(&out, r, Tr(l, "Duties without reports", "Uppgiftskrav utan inrapporteringar"));
  if (r.unreported.empty()) {
    absl::StrAppend(&out, Tr(l, "Every duty has reports.", "Alla uppgiftskrav har inrapporteringar."),
                    "\n\n");
  } else {
    absl::StrAppend(&out,
                    Tr(l, "No report measures these duties yet: their burden is unknown, not zero.",
                       "Ingen inrapportering mäter ännu dessa uppgiftskrav: deras börda är okänd, "
                       "inte noll."),
                    "\n\n");
    Header(&out,
           {std::string(Tr(l, "Duty", "Uppgiftskrav")), std::string(Tr(l, "Agency", "Myndighet")),
            std::string(Tr(l, "Title", "Benämning")), std::string(Tr(l, "Sector", "Sektor")),
            std::string(Tr(l, "Flags now", "Flaggor nu"))},
           {false, false, false, false, false});
    for (const ArenaUnreportedDuty& d : r.unreported) {
      std::vector<std::string> codes;
      for (const std::string& code : d.flag_codes) codes.push_back(Md(code));
      Row(&out, {Md(d.duty_id), Md(d.agency_id), Md(d.title), SectorLabel(d.sector, l),
                 codes.empty() ? "–" : absl::StrJoin(codes, ", ")});
    }
    out.append("\n");
  }

  Section(&out, r, Tr(l, "Largest duplicate-data overlaps", "Största överlappen i begärda uppgifter"));
  if (r.overlaps.empty()) {
    absl::StrAppend(&out,
                    Tr(l, "No duty asks for data items that a duty of another agency asks for.",
                       "Inget uppgiftskrav begär uppgifter som ett uppgiftskrav från en annan "
                       "myndighet också begär."),
                    "\n\n");
  } else {
    absl::StrAppend(&out,
                    Tr(l, "Data items a duty asks for that a duty of another agency already asks "
                          "for. Overlap minutes = the duty's measured minutes × shared items / its "
                          "items.",
                       "Uppgifter som ett uppgiftskrav begär och som ett uppgiftskrav från en annan "
                       "myndighet redan begär. Överlappsminuter = uppgiftskravets uppmätta minuter "
                       "× gemensamma uppgifter / dess uppgifter."),
                    "\n\n");
    Header(&out,
           {std::string(Tr(l, "Duty", "Uppgiftskrav")), std::string(Tr(l, "Agency", "Myndighet")),
            std::string(Tr(l, "Also asked by", "Begärs också av")),
            std::string(Tr(l, "Its agency", "Dess myndighet")),
            std::string(Tr(l, "Shared items", "Gemensamma uppgifter")),
            std::string(Tr(l, "Shared of its items", "Gemensamma av dess uppgifter")),
            std::string(Tr(l, "Overlap minutes", "Överlappsminuter")),
            absl::StrCat(Tr(l, "Overlap cost", "Överlappskostnad"), " (", Currency(l), ")")},
           {false, false, false, false, false, true, true, true});
    for (const ArenaOverlap& o : r.overlaps) {
      std::vector<std::string> items;
      for (const std::string& item : o.shared_items) items.push_back(Md(item));
      Row(&out, {Md(o.duty_id), Md(o.agency_id), Md(o.other_duty_id), Md(o.other_agency_id),
                 absl::StrJoin(items, ", "),
                 absl::StrCat(o.shared_items.size(), Tr(l, " of ", " av "), o.item_count),
                 Human(Minutes(o.overlap_minutes), l), Human(Sek(o.overlap_cost_sek), l)});
    }
    out.append("\n");
  }

  Section(&out, r, Tr(l, "Where the municipalities already report the same data",
                      "Där kommunerna redan lämnar samma uppgifter"));
  if (r.reported_elsewhere.empty()) {
    absl::StrAppend(&out,
                    Tr(l, "No report names where its data is already reported.",
                       "Ingen inrapportering anger var uppgifterna redan lämnas."),
                    "\n\n");
  } else {
    absl::StrAppend(&out,
                    Tr(l, "What the municipalities name when they answer that they already "
                          "report the same data elsewhere: their own picture of the overlap, "
                          "beside the catalogue's above.",
                       "Det kommunerna anger när de svarar att de redan lämnar samma uppgifter "
                       "på annat håll: deras egen bild av överlappet, bredvid katalogens ovan."),
                    "\n\n");
    Header(&out,
           {std::string(Tr(l, "Duty", "Uppgiftskrav")), std::string(Tr(l, "Agency", "Myndighet")),
            std::string(Tr(l, "Already reported in", "Lämnas redan i")),
            std::string(Tr(l, "Its agency", "Dess myndighet")),
            std::string(Tr(l, "Municipalities", "Kommuner")),
            std::string(Tr(l, "Reports", "Inrapporteringar"))},
           {false, false, false, false, true, true});
    for (const ArenaReportedElsewhere& e : r.reported_elsewhere) {
      Row(&out, {Md(e.duty_id), Md(e.agency_id), Md(e.where),
                 e.other_agency_id.empty() ? "–" : Md(e.other_agency_id),
                 Human(absl::StrCat(e.municipalities), l), Human(absl::StrCat(e.reports), l)});
    }
    out.append("\n");
  }

  Section(&out, r, Tr(l, "Method", "Metod"));
  for (const std::string& paragraph : MethodParagraphs(r)) {
    absl::StrAppend(&out, Md(paragraph), "\n\n");
  }
  return out;
}

}  // namespace inrapport::report_internal
