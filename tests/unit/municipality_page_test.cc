// The municipality page as HTML, without a server: what it says in Swedish,
// its structure for screen readers, and every text escaped.
#include "services/http/municipality_page.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

MunicipalityPage Example() {
  MunicipalityPage page;
  page.code = "1283";
  page.name = "Helsingborg";
  page.today = "2026-03-01";
  page.year = 2025;
  v1::ReportingDuty duty;
  duty.set_id("sos-ekb");
  duty.set_agency_id("socialstyrelsen");
  duty.set_agency_name("Socialstyrelsen");
  duty.set_title("Ekonomiskt bistånd <b>");
  duty.set_purpose("Officiell statistik.\nOch uppföljning.");
  duty.set_legal_basis("SoL 12 kap. 1 §");
  duty.set_frequency(v1::FREQUENCY_MONTHLY);
  duty.add_legal_references()->set_text("SoL 12 kap. 1 §");
  v1::Flag* flag = duty.add_flags();
  flag->set_code("NO_RECORDED_USE");
  flag->set_reason("No use recorded");
  flag->set_reason_sv("Ingen användning redovisad \"2025\".");
  page.duties.push_back(duty);
  v1::DutyUse use;
  use.set_duty_id("sos-ekb");
  use.set_kind(v1::USE_KIND_GRANT_DECISION);
  use.set_date("2025-06-01");
  use.set_description("Beslut <script>x</script>");
  use.set_link("https://example.org/?a=1&b=\"2\"");
  use.set_first_period("2025-01");
  use.set_last_period("2025-03");
  page.uses["sos-ekb"].push_back(use);
  page.time["sos-ekb"] = {4, 150};
  return page;
}

TEST(MunicipalityPageTest, SaysInSwedishWhyEachReportExistsAndWhatBecameOfIt) {
  const std::string html = RenderMunicipalityPage(Example());
  EXPECT_THAT(html, HasSubstr("<html lang=\"sv\">"));
  EXPECT_THAT(html, HasSubstr("<h1>Inrapportering för Helsingborg (1283)</h1>"));
  EXPECT_THAT(html, HasSubstr("Helsingborg ska rapportera 1 uppgiftskrav. 1 av dem är flaggat. "
                              "År 2025 registrerades 4 inrapporteringar från kommunen, som tog "
                              "2,5 timmar i tjänsten."));
  EXPECT_THAT(html, HasSubstr("<dt>Syfte, med myndighetens ord</dt><dd>Officiell statistik.\n"
                              "Och uppföljning.</dd>"));
  EXPECT_THAT(html, HasSubstr("<dd>varje månad</dd>"));
  EXPECT_THAT(html, HasSubstr("<dt>Myndighet</dt><dd>Socialstyrelsen</dd>"));
  EXPECT_THAT(html, HasSubstr("<dt>Hur länge</dt><dd>Kravet har inget slutdatum.</dd>"));
  // A print view for the staff who report: navigation and the note left out.
  EXPECT_THAT(html, HasSubstr("@media print{"));
  EXPECT_THAT(html, HasSubstr("nav,.skarm{display:none}"));
  EXPECT_THAT(html, HasSubstr("<p class=\"skarm\">Skriv ut sidan"));
  EXPECT_THAT(html, HasSubstr("<strong>NO_RECORDED_USE</strong>: Ingen användning redovisad "
                              "&quot;2025&quot;."));
  EXPECT_THAT(html, HasSubstr("<td>Beslut om statsbidrag</td>"));
  EXPECT_THAT(html, HasSubstr("<td>2025-01–2025-03</td>"));
  EXPECT_THAT(html, HasSubstr("<th scope=\"col\">Datum</th>"));
  EXPECT_THAT(html, HasSubstr("<caption>Användning som myndigheten har redovisat för "
                              "Ekonomiskt bistånd &lt;b&gt;</caption>"));
}

TEST(MunicipalityPageTest, EveryTextItShowsIsEscaped) {
  const std::string html = RenderMunicipalityPage(Example());
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("<b>")));
  EXPECT_THAT(html, HasSubstr("Beslut &lt;script&gt;x&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("href=\"https://example.org/?a=1&amp;b=&quot;2&quot;\""));
  EXPECT_THAT(RenderProblemPage("<i>", "<u>"), Not(HasSubstr("<u>")));
  EXPECT_THAT(RenderSignInPage("<i>x</i>"), HasSubstr("&lt;i&gt;x&lt;/i&gt;"));
}

// How long the arena approved a duty for, and what happens after.
TEST(MunicipalityPageTest, SaysUntilWhenTheArenaApprovedTheDuty) {
  MunicipalityPage page = Example();
  page.duties[0].set_expires_on("2030-03-02");
  EXPECT_THAT(RenderMunicipalityPage(page),
              HasSubstr("<dt>Hur länge</dt><dd>Utvecklingsarenan har godkänt kravet till och "
                        "med 2030-03-02. Förnyas det inte upphör det då, och inga fler "
                        "inrapporteringar tas emot.</dd>"));
}

TEST(MunicipalityPageTest, ADutyWithoutPurposeOrUsesSaysSo) {
  MunicipalityPage page = Example();
  page.duties[0].clear_purpose();
  page.duties[0].clear_flags();
  page.uses.clear();
  page.time.clear();
  const std::string html = RenderMunicipalityPage(page);
  EXPECT_THAT(html, HasSubstr("Myndigheten har inte angett något syfte."));
  EXPECT_THAT(html, HasSubstr("Myndigheten har inte redovisat någon användning av uppgifterna."));
  EXPECT_THAT(html, HasSubstr("Inga inrapporteringar registrerade."));
  EXPECT_THAT(html, HasSubstr("Inga flaggor"));
}

v1::DueReport Due(const std::string& duty, const std::string& period,
                 const std::string& deadline, v1::DueState state) {
  v1::DueReport due;
  due.set_duty_id(duty);
  due.set_period(period);
  due.set_deadline(deadline);
  due.set_state(state);
  return due;
}

TEST(MunicipalityPageTest, SaysWhatIsToBeSentNextWithItsLastDay) {
  MunicipalityPage page = Example();
  page.duties[0].set_deadline("15 days after period end");
  page.due_from = "2025-03-01";
  page.due_to = "2026-05-30";
  page.due = {Due("sos-ekb", "2025-12", "2026-01-15", v1::DUE_STATE_RECEIVED),
              Due("sos-ekb", "2026-01", "2026-02-15", v1::DUE_STATE_RECEIVED_LATE),
              Due("sos-ekb", "2026-01", "2026-02-15", v1::DUE_STATE_MISSING),
              Due("sos-ekb", "2026-02", "2026-03-15", v1::DUE_STATE_NOT_YET_DUE)};
  page.due[2].set_period("2025-11");
  const std::string html = RenderMunicipalityPage(page);
  EXPECT_THAT(html, HasSubstr("<h2 id=\"harnast\">Vad ska lämnas härnäst</h2>"));
  EXPECT_THAT(html, HasSubstr("Med sista dag mellan 2025-03-01 och 2026-05-30: 1 inrapportering "
                              "lämnad i tid, 1 sent, 1 saknas och 1 ska lämnas."));
  // Only what is still to be sent is listed, with the duty's title escaped.
  EXPECT_THAT(html, HasSubstr("<tr><td>2026-02-15</td><td><a href=\"#krav-sos-ekb\">Ekonomiskt "
                              "bistånd &lt;b&gt;</a></td><td>2025-11</td><td>Saknas – sista "
                              "dagen har passerat</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<td>2026-03-15</td>"));
  EXPECT_THAT(html, HasSubstr("<td>Ska lämnas</td>"));
  EXPECT_THAT(html, Not(HasSubstr("<td>2026-01-15</td>")));
  EXPECT_THAT(html, HasSubstr("<dt>När</dt><dd>Sista dag: 15 dagar efter periodens slut.</dd>"));
  EXPECT_THAT(html, Not(HasSubstr("har ingen angiven sista dag")));
}

TEST(MunicipalityPageTest, ADutyWithoutADeadlineCannotBeLate) {
  MunicipalityPage page = Example();
  page.due_from = "2025-03-01";
  page.due_to = "2026-05-30";
  const std::string html = RenderMunicipalityPage(page);
  EXPECT_THAT(html, HasSubstr("<dd>Myndigheten har inte angett någon sista dag.</dd>"));
  EXPECT_THAT(html, HasSubstr("1 uppgiftskrav har ingen angiven sista dag, så ingen "
                              "inrapportering av det kan vara sen."));
  EXPECT_THAT(html, HasSubstr("Inget uppgiftskrav har en sista dag mellan "
                              "2025-03-01 och 2026-05-30."));
}

}  // namespace
}  // namespace inrapport
