#include "services/http/municipality_page.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/domain/deadline.h"
#include "common/text/text_safety.h"

namespace inrapport {
namespace {

std::string H(const std::string& text) { return EscapeHtml(text); }

// Dark text on white, links and marks above WCAG AA contrast; no script.
constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;color:#1a1a1a;background:#fff;max-width:62rem;"
    "margin:0 auto;padding:1rem;line-height:1.5}"
    "a{color:#0b4f9c}h1{font-size:1.7rem}h2{margin-top:2rem;border-bottom:2px solid #1a1a1a}"
    "article{border:1px solid #767676;border-radius:4px;padding:0 1rem 1rem;margin:1rem 0}"
    "dt{font-weight:bold;margin-top:.5rem}dd{margin-left:0;white-space:pre-line}"
    "table{border-collapse:collapse;margin:.5rem 0}caption{text-align:left;font-weight:bold}"
    "th,td{border:1px solid #767676;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    ".flag{background:#fff4d6;border-left:4px solid #8a5a00;padding:.3rem .6rem;margin:.3rem 0}"
    "label{display:block;margin-top:.8rem;font-weight:bold}"
    "input{font-size:1rem;padding:.3rem;border:1px solid #1a1a1a}"
    "button{margin-top:1rem;font-size:1rem;padding:.4rem 1rem}"
    // Printed, the page is a handout for the staff who report: no
    // navigation, black on white, each duty kept on one page where it fits,
    // and the links' addresses spelled out.
    "@media print{body{max-width:none;padding:0;font-size:11pt;color:#000}"
    "nav,.skarm{display:none}article{break-inside:avoid;border-color:#000}"
    "h2,h3{break-after:avoid}a{color:#000}"
    "a[href^=\"http\"]::after{content:\" (\" attr(href) \")\";font-size:.9em}"
    ".flag{background:none;border-left-color:#000}}";

std::string Document(const std::string& title, const std::string& body) {
  return absl::StrCat("<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                      "<title>",
                      H(title), "</title><style>", kStyle, "</style></head><body>\n", body,
                      "\n</body></html>\n");
}

std::string FrequencySv(v1::Frequency frequency) {
  switch (frequency) {
    case v1::FREQUENCY_ANNUAL: return "en gång per år";
    case v1::FREQUENCY_SEMIANNUAL: return "varje halvår";
    case v1::FREQUENCY_QUARTERLY: return "varje kvartal";
    case v1::FREQUENCY_MONTHLY: return "varje månad";
    case v1::FREQUENCY_WEEKLY: return "varje vecka";
    case v1::FREQUENCY_AD_HOC: return "vid behov";
    default: return "inte angivet";
  }
}

std::string UseKindSv(v1::UseKind kind) {
  switch (kind) {
    case v1::USE_KIND_PUBLICATION: return "Publicering";
    case v1::USE_KIND_SUPERVISION_DECISION: return "Tillsynsbeslut";
    case v1::USE_KIND_OFFICIAL_STATISTICS: return "Officiell statistik";
    case v1::USE_KIND_GRANT_DECISION: return "Beslut om statsbidrag";
    case v1::USE_KIND_POLICY_ANALYSIS: return "Analys och underlag för politiken";
    case v1::USE_KIND_RETURNED_TO_MUNICIPALITIES: return "Återfört till kommunerna";
    case v1::USE_KIND_OTHER: return "Annat";
    default: return "Beslut";
  }
}

// "12,5 timmar", "1 timme" (a Swedish decimal comma, no ",0").
std::string HoursSv(int64_t minutes) {
  std::string hours = absl::StrFormat("%.1f", static_cast<double>(minutes) / 60.0);
  if (absl::EndsWith(hours, ".0")) hours.resize(hours.size() - 2);
  return absl::StrReplaceAll(hours, {{".", ","}}) + (hours == "1" ? " timme" : " timmar");
}

// "1 inrapportering", "3 inrapporteringar".
std::string ReportsSv(int64_t reports) {
  return absl::StrCat(reports, reports == 1 ? " inrapportering" : " inrapporteringar");
}

std::string Anchor(const std::string& duty_id) { return "krav-" + duty_id; }

std::string DueStateSv(v1::DueState state) {
  switch (state) {
    case v1::DUE_STATE_RECEIVED: return "Lämnad i tid";
    case v1::DUE_STATE_RECEIVED_LATE: return "Lämnad sent";
    case v1::DUE_STATE_MISSING: return "Saknas – sista dagen har passerat";
    case v1::DUE_STATE_NOT_YET_DUE: return "Ska lämnas";
    default: return "Okänt";
  }
}

// The duty's deadline rule in Swedish, or that it states none.
std::string DeadlineSv(const std::string& rule) {
  if (rule.empty()) return "Myndigheten har inte angett någon sista dag.";
  absl::StatusOr<DeadlineRule> parsed = DeadlineRule::Parse(rule);
  return parsed.ok() ? absl::StrCat("Sista dag: ", parsed->ToSwedish(), ".") : H(rule);
}

// "Vad ska lämnas härnäst": the periods still to be sent (missing or not
// yet due), by deadline, and a count of what came on time and late.
std::string DueSection(const MunicipalityPage& page) {
  std::map<std::string, std::string> titles;
  for (const v1::ReportingDuty& duty : page.duties) titles[duty.id()] = duty.title();
  int on_time = 0, late = 0, missing = 0, ahead = 0;
  std::vector<const v1::DueReport*> open;
  for (const v1::DueReport& due : page.due) {
    switch (due.state()) {
      case v1::DUE_STATE_RECEIVED: ++on_time; break;
      case v1::DUE_STATE_RECEIVED_LATE: ++late; break;
      case v1::DUE_STATE_MISSING: ++missing; open.push_back(&due); break;
      case v1::DUE_STATE_NOT_YET_DUE: ++ahead; open.push_back(&due); break;
      default: break;
    }
  }
  std::string out =
      "<section aria-labelledby=\"harnast\"><h2 id=\"harnast\">Vad ska lämnas härnäst</h2>\n";
  if (page.due.empty()) {
    absl::StrAppend(&out, "<p>Inget uppgiftskrav har en sista dag mellan ",
                    H(page.due_from), " och ", H(page.due_to), ".</p>\n");
  } else {
    absl::StrAppend(&out, "<p>Med sista dag mellan ", H(page.due_from), " och ", H(page.due_to),
                    ": ", on_time, on_time == 1 ? " inrapportering lämnad" : " inrapporteringar lämnade",
                    " i tid, ", late, " sent, ", missing, " saknas och ", ahead,
                    " ska lämnas. En inrapportering räknas till den dag den togs emot "
                    "(svensk tid).</p>\n");
  }
  if (!open.empty()) {
    absl::StrAppend(&out,
                    "<table><caption>Inrapporteringar som återstår, efter sista dag</caption>"
                    "<thead><tr><th scope=\"col\">Sista dag</th>"
                    "<th scope=\"col\">Uppgiftskrav</th><th scope=\"col\">Period</th>"
                    "<th scope=\"col\">Status</th></tr></thead><tbody>\n");
    for (const v1::DueReport* due : open) {
      const auto title = titles.find(due->duty_id());
      const std::string name = title == titles.end() ? due->duty_id() : title->second;
      absl::StrAppend(&out, "<tr><td>", H(due->deadline()), "</td><td><a href=\"#",
                      H(Anchor(due->duty_id())), "\">", H(name), "</a></td><td>",
                      H(due->period()), "</td><td>", DueStateSv(due->state()), "</td></tr>\n");
    }
    absl::StrAppend(&out, "</tbody></table>\n");
  }
  int undated = 0;
  for (const v1::ReportingDuty& duty : page.duties) undated += duty.deadline().empty() ? 1 : 0;
  if (undated > 0) {
    absl::StrAppend(&out, "<p>", undated,
                    undated == 1
                        ? " uppgiftskrav har ingen angiven sista dag, så ingen inrapportering "
                          "av det kan vara sen.</p>\n"
                        : " uppgiftskrav har ingen angiven sista dag, så inga inrapporteringar "
                          "av dem kan vara sena.</p>\n");
  }
  absl::StrAppend(&out, "</section>\n");
  return out;
}

std::string DutySection(const MunicipalityPage& page, const v1::ReportingDuty& duty) {
  std::string out = absl::StrCat("<article aria-labelledby=\"", H(Anchor(duty.id())),
                                 "\"><h3 id=\"", H(Anchor(duty.id())), "\">", H(duty.title()),
                                 "</h3>\n<dl>");
  absl::StrAppend(&out, "<dt>Myndighet</dt><dd>",
                  H(duty.agency_name().empty() ? duty.agency_id() : duty.agency_name()),
                  "</dd>");
  absl::StrAppend(&out, "<dt>Hur ofta</dt><dd>", FrequencySv(duty.frequency()), "</dd>");
  absl::StrAppend(&out, "<dt>När</dt><dd>", DeadlineSv(duty.deadline()), "</dd>");
  absl::StrAppend(&out, "<dt>Hur länge</dt><dd>",
                  duty.expires_on().empty()
                      ? "Kravet har inget slutdatum."
                      : absl::StrCat("Utvecklingsarenan har godkänt kravet till och med ",
                                     H(duty.expires_on()),
                                     ". Förnyas det inte upphör det då, och inga fler "
                                     "inrapporteringar tas emot."),
                  "</dd>");
  absl::StrAppend(&out, "<dt>Syfte, med myndighetens ord</dt><dd>",
                  duty.purpose().empty() ? "Myndigheten har inte angett något syfte."
                                         : H(duty.purpose()),
                  "</dd>");
  absl::StrAppend(&out, "<dt>Rättslig grund, som myndigheten anger den</dt><dd>",
                  duty.legal_basis().empty() ? "Ingen angiven." : H(duty.legal_basis()), "</dd>");
  std::vector<std::string> read;
  for (const v1::LegalReference& reference : duty.legal_references()) {
    read.push_back(H(reference.text()));
  }
  absl::StrAppend(&out, "<dt>Rättslig grund, som tjänsten läser den</dt><dd>",
                  read.empty() ? "Ingen hänvisning till en svensk författning kunde läsas."
                               : absl::StrJoin(read, "; "),
                  duty.legal_basis_unverified()
                      ? " (hänvisningen är inte verifierad mot författningen)"
                      : "",
                  "</dd>");
  const auto time = page.time.find(duty.id());
  absl::StrAppend(&out, "<dt>Kommunens tid för kravet år ", page.year, "</dt><dd>",
                  time == page.time.end() || time->second.reports == 0
                      ? "Inga inrapporteringar registrerade."
                      : absl::StrCat(HoursSv(time->second.minutes), " (",
                                     ReportsSv(time->second.reports), ")"),
                  "</dd></dl>\n");

  absl::StrAppend(&out, "<h4>Flaggor</h4>\n");
  if (duty.flags().empty()) {
    absl::StrAppend(&out, "<p>Inga flaggor: tjänsten ser inga tecken på onödig kontroll.</p>\n");
  } else {
    for (const v1::Flag& flag : duty.flags()) {
      absl::StrAppend(&out, "<p class=\"flag\"><strong>", H(flag.code()), "</strong>: ",
                      H(flag.reason_sv().empty() ? flag.reason() : flag.reason_sv()), "</p>\n");
    }
  }

  absl::StrAppend(&out, "<h4>Vad hände med våra uppgifter?</h4>\n");
  const auto uses = page.uses.find(duty.id());
  if (uses == page.uses.end() || uses->second.empty()) {
    absl::StrAppend(&out,
                    "<p>Myndigheten har inte redovisat någon användning av uppgifterna.</p>\n");
  } else {
    absl::StrAppend(&out, "<table><caption>Användning som myndigheten har redovisat för ",
                    H(duty.title()),
                    "</caption><thead><tr><th scope=\"col\">Datum</th><th scope=\"col\">Slag</th>"
                    "<th scope=\"col\">Vad myndigheten gjorde</th>"
                    "<th scope=\"col\">Uppgifter från perioderna</th></tr></thead><tbody>\n");
    for (const v1::DutyUse& use : uses->second) {
      std::string what = H(use.description());
      if (!use.link().empty()) {
        absl::StrAppend(&what, " <a href=\"", H(use.link()), "\">", H(use.link()), "</a>");
      }
      const std::string periods =
          use.first_period().empty()
              ? "inte angivet"
              : (use.last_period().empty() || use.last_period() == use.first_period()
                     ? H(use.first_period())
                     : absl::StrCat(H(use.first_period()), "–", H(use.last_period())));
      absl::StrAppend(&out, "<tr><td>", H(use.date()), "</td><td>", UseKindSv(use.kind()),
                      "</td><td>", what, "</td><td>", periods, "</td></tr>\n");
    }
    absl::StrAppend(&out, "</tbody></table>\n");
  }
  absl::StrAppend(&out, "</article>\n");
  return out;
}

}  // namespace

std::string RenderMunicipalityPage(const MunicipalityPage& page) {
  int64_t minutes = 0, reports = 0;
  for (const auto& [duty, time] : page.time) {
    minutes += time.minutes;
    reports += time.reports;
  }
  int flagged = 0;
  for (const v1::ReportingDuty& duty : page.duties) flagged += duty.flags().empty() ? 0 : 1;
  const std::string place = absl::StrCat(page.name, " (", page.code, ")");

  std::string body = absl::StrCat(
      "<header><h1>Inrapportering för ", H(place), "</h1>\n<p>Varför rapporterar vi det vi "
      "rapporterar? Här är varje uppgiftskrav som staten ställer på kommunen: syftet med "
      "myndighetens egna ord, den rättsliga grunden, tjänstens flaggor för tecken på onödig "
      "kontroll, vad myndigheten har gjort med uppgifterna och hur mycket tid kommunen lade på "
      "kravet.</p>\n<p class=\"skarm\">Skriv ut sidan för att lämna den till de medarbetare "
      "som rapporterar: utskriften har ingen navigering och visar länkarnas adresser.</p>"
      "</header>\n<main>\n<section aria-labelledby=\"sammanfattning\">"
      "<h2 id=\"sammanfattning\">Sammanfattning</h2>\n<p>",
      H(page.name), " ska rapportera ", page.duties.size(), " uppgiftskrav. ", flagged,
      flagged == 1 ? " av dem är flaggat" : " av dem är flaggade", ". År ", page.year,
      " registrerades ", ReportsSv(reports), " från kommunen, som tog ", HoursSv(minutes),
      " i tjänsten.</p>\n");
  if (!page.duties.empty()) {
    absl::StrAppend(&body, "<nav aria-label=\"Uppgiftskraven\"><ul>");
    for (const v1::ReportingDuty& duty : page.duties) {
      absl::StrAppend(&body, "<li><a href=\"#", H(Anchor(duty.id())), "\">", H(duty.title()),
                      "</a>", duty.flags().empty() ? "" : " (flaggat)", "</li>");
    }
    absl::StrAppend(&body, "</ul></nav>\n");
  }
  absl::StrAppend(&body, "</section>\n", DueSection(page), "<section aria-labelledby=\"kraven\">"
                         "<h2 id=\"kraven\">Uppgiftskraven</h2>\n");
  for (const v1::ReportingDuty& duty : page.duties) absl::StrAppend(&body, DutySection(page, duty));
  absl::StrAppend(&body, "</section>\n</main>\n<footer><p>Sammanställt av inrapport ",
                  H(page.today), ". Tiden är den kommunen själv har angett i sina "
                  "inrapporteringar.</p></footer>");
  return Document(absl::StrCat("Inrapportering för ", place), body);
}

std::string RenderSignInPage(const std::string& problem) {
  std::string body =
      "<main><h1>Logga in som kommun</h1>\n<p>Ange kommunens kod och den token som kommunen "
      "har fått för inrapport. Token sparas i en kaka som bara den här sidan läser.</p>\n";
  if (!problem.empty()) absl::StrAppend(&body, "<p role=\"alert\"><strong>", H(problem), "</strong></p>\n");
  absl::StrAppend(&body,
                  "<form method=\"post\" action=\"/kommun/logga-in\">"
                  "<label for=\"kommun\">Kommunkod (fyra siffror)</label>"
                  "<input id=\"kommun\" name=\"kommun\" inputmode=\"numeric\" "
                  "pattern=\"[0-9]{4}\" required autocomplete=\"off\">"
                  "<label for=\"token\">Token</label>"
                  "<input id=\"token\" name=\"token\" type=\"password\" required "
                  "autocomplete=\"off\">"
                  "<button type=\"submit\">Logga in</button></form></main>");
  return Document("Logga in – inrapport", body);
}

std::string RenderProblemPage(const std::string& heading, const std::string& text) {
  return Document(heading, absl::StrCat("<main><h1>", H(heading), "</h1>\n<p>", H(text),
                                        "</p>\n<p><a href=\"/kommun\">Logga in</a></p></main>"));
}

}  // namespace inrapport
