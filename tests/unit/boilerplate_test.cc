#include "common/flags/boilerplate.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/flags/flag_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/cli/records.h"
#include "tests/support/examples.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;

TEST(BoilerplateTest, GenericPurposesAreBoilerplateInAnyCaseAndPunctuation) {
  for (const char* purpose : {
           // Swedish
           "Uppföljning.",
           "uppföljning",
           "UPPFÖLJNING",
           "för statistik",
           "För statistik.",
           "KONTROLL!",
           "Kontroll",
           "för uppföljning och kontroll",
           "För uppföljning och kontroll.",
           "Statistik och uppföljning",
           "Uppgifterna används för uppföljning.",
           "I uppföljningssyfte",
           "För statistikändamål",
           "Nationell statistik",
           "Underlag för uppföljning och utvärdering",
           "Uppföljning av verksamheten",
           "Kartläggning",
           "«Tillsyn»",
           "– uppföljning –",
           "uppföljning …",
           // Without Swedish letters
           "for uppfoljning",
           "Uppfoljning och kontroll",
           // English
           "follow-up",
           "Follow up",
           "Followup.",
           "Statistics",
           "statistics!",
           "For statistical purposes",
           "Monitoring and evaluation",
           "Used for follow-up and control.",
           "National statistics",
           "Quality assurance",
           "“Oversight”",
       }) {
    EXPECT_TRUE(IsBoilerplatePurpose(purpose)) << "\"" << purpose << "\"";
  }
}

TEST(BoilerplateTest, PurposesThatNameAUserAndAUseAreNotBoilerplate) {
  for (const char* purpose : {
           "IVO uses the reports to decide whether to seek a special fee.",
           "Skolverket följer upp att bidraget använts till personal.",
           "Uppföljning av väntetider för att IVO ska kunna ansöka om särskild avgift.",
           "Statistik till EU-kommissionen om kommunalt avfall.",
           "Follow-up of waiting times so that IVO can apply for special fees.",
           "Statistics for the national LSS cost-equalisation system.",
           "Kontroll av att statsbidraget använts enligt villkoren.",
           "Uppföljning 2025",  // a year says something the list does not know
           "x",
       }) {
    EXPECT_FALSE(IsBoilerplatePurpose(purpose)) << "\"" << purpose << "\"";
  }
}

TEST(BoilerplateTest, FillerAloneOrNothingIsNotBoilerplate) {
  // An empty purpose is no purpose at all (NO_STATED_PURPOSE), not boilerplate.
  for (const char* purpose : {"", "   ", "...", "för", "för och av", "the", "Upp", "data"}) {
    EXPECT_FALSE(IsBoilerplatePurpose(purpose)) << "\"" << purpose << "\"";
  }
}

TEST(BoilerplateTest, PurposeWordsAreLowerCaseAndSplitAtPunctuation) {
  EXPECT_THAT(PurposeWords("För Uppföljning, och KONTROLL!"),
              ElementsAre("för", "uppföljning", "och", "kontroll"));
  EXPECT_THAT(PurposeWords("follow-up"), ElementsAre("follow", "up"));
  EXPECT_THAT(PurposeWords("ÅÄÖ åäö É"), ElementsAre("åäö", "åäö", "é"));
  EXPECT_THAT(PurposeWords("«statistik» – uppföljning…"),
              ElementsAre("statistik", "uppföljning"));
  EXPECT_THAT(PurposeWords("a\xC2\xA0" "b"), ElementsAre("a", "b"));  // no-break space
  EXPECT_THAT(PurposeWords(" - ; ! "), ElementsAre());
}

TEST(BoilerplateTest, GenericPurposeWordsNameTheGenericWordsOfABoilerplatePurpose) {
  EXPECT_THAT(GenericPurposeWords("För uppföljning och kontroll."),
              ElementsAre("uppföljning", "kontroll"));
  EXPECT_THAT(GenericPurposeWords("follow-up"), ElementsAre("follow"));
  EXPECT_THAT(GenericPurposeWords("IVO uses the reports"), ElementsAre());
  EXPECT_THAT(GenericPurposeWords(""), ElementsAre());
}

// Every purpose of examples/duties.csv. None is only generic words: each
// names a user or a use, even the vaguest (Skolverket's "national follow-up
// system"). Three duties state none (NO_STATED_PURPOSE, not boilerplate).
TEST(BoilerplateTest, NoPurposeOfTheRealCatalogueIsBoilerplate) {
  for (const char* purpose : {
           "Reduce the problem of people with a favourable decision not getting the service "
           "within reasonable time; IVO uses reports to judge whether to seek a special fee "
           "(särskild avgift) in court.",
           "Strengthen legal certainty for people granted LSS services and improve internal "
           "and external follow-up of decided services (prop. 2007/08:43); basis for IVO "
           "special-fee applications.",
           "Investigation should clarify the course of events and contributing factors and "
           "give a basis for measures preventing recurrence; IVO reviews the provider's "
           "investigation.",
           "Give reliable information on municipal finances, current state and development, "
           "at municipal and national level; statutory; also feeds LSS cost-equalisation "
           "variables.",
           "Provide periodised quarterly data on municipal external expenditure, revenue and "
           "investment for the national accounts (quarterly GDP and financial saving of the "
           "municipal sector).",
           "Part of the national follow-up system giving an overall picture of school activity "
           "and a basis for national and local follow-up and evaluation.",
           "Part of Skolverket's national follow-up system; basis for national and local "
           "follow-up and evaluation of preschool.",
           "Part of the national follow-up system; also used for teacher supply forecasts that "
           "inform dimensioning of teacher education.",
           "Register forms the basis for Skolverket's national follow-up system and official "
           "school statistics.",
           "Skolverket follows up that recipients met grant conditions (plan of measures, not "
           "cutting own costs) and what the grant was used for.",
           "Describe the extent of LSS services; basis for official statistics and for the "
           "national LSS cost-equalisation system between municipalities.",
           "Give a faster basis for following and analysing the population's need for "
           "assistance, identify needs continuously, support planning and allow municipal "
           "comparisons.",
           "Describe the extent of 24-hour out-of-home placements of children and young "
           "people; used for statistics, research and evaluation.",
           "Make it possible to compare and analyse quality aspects of social services; "
           "support providers' improvement work and national follow-up of trends.",
           "Ask municipalities about digitalisation, e-health and welfare technology in social "
           "services, care and municipal health care.",
           "Socialstyrelsen administered the grant and followed up municipalities' work; "
           "unused or misused funds had to be repaid.",
           "Socialstyrelsen follows up how funds were used; under the RRF track municipalities "
           "must document use so Sweden can claim EU funds; incomplete documentation can "
           "trigger repayment.",
           "Basis for measures that strengthen the ability to maintain vital services and "
           "handle extraordinary events (MSB task description).",
           "Follow up the tasks and the state compensation for municipal crisis preparedness; "
           "compensation can be reduced or withdrawn.",
           "Contribute to society's learning from accidents and systematically improve "
           "prevention and rescue services by clarifying causes, course of the accident and "
           "how the operation was run.",
           "Give a unique, coherent picture of the housing market in Sweden; basis for "
           "Boverket's forecasts and indicators.",
           "Follow up how planning and building legislation is applied; results reported "
           "annually to the government.",
           "Provide the basis for Sweden's reporting of municipal waste under common EU "
           "requirements (recycling targets).",
           "Used for reporting to the European Commission under art. 113 of Regulation (EU) "
           "2017/625 and for Livsmedelsverket's analyses to support and lead control.",
           "Capture municipal supervision under alcohol and tobacco law; indicators for the "
           "national ANDT strategy and basis for Folkhälsomyndighetens supervisory guidance.",
           "Contribute to a more accessible society and support development work of the "
           "responding organisations.",
           "Compensate municipalities for costs not covered by other compensation, e.g. "
           "initial costs for resettled refugees.",
       }) {
    EXPECT_FALSE(IsBoilerplatePurpose(purpose)) << "\"" << purpose << "\"";
  }
}

// What a purpose is, as an agency or a municipality would judge it: a
// placeholder states none (NO_STATED_PURPOSE), a generic phrase or a pointer
// to the rules states no use (BOILERPLATE_PURPOSE), a real purpose neither.
enum class Verdict { kMissing, kBoilerplate, kPurpose };

struct PurposeCase {
  const char* purpose;
  Verdict verdict;
};

const PurposeCase kPurposeTable[] = {
    // Placeholders, Swedish and English.
    {"N/A", Verdict::kMissing},
    {"n/a.", Verdict::kMissing},
    {"TBD", Verdict::kMissing},
    {"-", Verdict::kMissing},
    {"–", Verdict::kMissing},
    {"Syfte saknas", Verdict::kMissing},
    {"syfte saknas.", Verdict::kMissing},
    {"Saknas", Verdict::kMissing},
    {"Ej angivet", Verdict::kMissing},
    {"Purpose missing", Verdict::kMissing},
    {"None", Verdict::kMissing},
    {"none.", Verdict::kMissing},
    {"none found", Verdict::kMissing},
    {"Not applicable", Verdict::kMissing},
    // Pointers to the rules and generic phrases.
    {"Se föreskrifterna", Verdict::kBoilerplate},
    {"Se föreskrifter.", Verdict::kBoilerplate},
    {"SE FÖRESKRIFTERNA!", Verdict::kBoilerplate},
    {"Enligt lag", Verdict::kBoilerplate},
    {"enligt lag", Verdict::kBoilerplate},
    {"Enligt lagen.", Verdict::kBoilerplate},
    {"Enligt gällande författning", Verdict::kBoilerplate},
    {"För statistiska ändamål", Verdict::kBoilerplate},
    {"för statistiska ändamål.", Verdict::kBoilerplate},
    {"För statistiska ändamål enligt lag", Verdict::kBoilerplate},
    {"See the regulations", Verdict::kBoilerplate},
    {"See regulations.", Verdict::kBoilerplate},
    {"According to law", Verdict::kBoilerplate},
    {"According to the law.", Verdict::kBoilerplate},
    {"For statistical purposes", Verdict::kBoilerplate},
    {"for statistical purposes.", Verdict::kBoilerplate},
    {"Uppföljning och kontroll", Verdict::kBoilerplate},
    {"Monitoring", Verdict::kBoilerplate},
    // Real-looking purposes: who uses the data for what.
    {"Statistik om förskolan för uppföljning av skollagen", Verdict::kPurpose},
    {"IVO använder rapporterna för att bedöma om särskild avgift ska sökas i domstol.",
     Verdict::kPurpose},
    {"Skolverket följer upp att bidraget använts till fler lärare enligt villkoren.",
     Verdict::kPurpose},
    {"Underlag för den officiella statistiken om kommunernas ekonomi och för "
     "nationalräkenskaperna.",
     Verdict::kPurpose},
    {"Statistiken används i det kommunalekonomiska utjämningssystemet.", Verdict::kPurpose},
    {"Enligt lag ska MSB följa upp ersättningen; uppgifterna ligger till grund för "
     "utbetalningen 2025.",
     Verdict::kPurpose},
    {"Used for reporting to the European Commission under Regulation (EU) 2017/625.",
     Verdict::kPurpose},
    {"Gives Boverket a picture of the housing market for its annual analysis to the "
     "government.",
     Verdict::kPurpose},
    {"See how municipal waste is treated so Sweden can report recycling rates to the EU.",
     Verdict::kPurpose},
    {"Nonetheless used by SCB for the GDP estimate.", Verdict::kPurpose},
};

TEST(BoilerplateTest, EachPurposeOfTheTableGetsItsVerdictAndItsFlag) {
  for (const PurposeCase& c : kPurposeTable) {
    EXPECT_EQ(IsMissingPurpose(c.purpose), c.verdict == Verdict::kMissing) << c.purpose;
    EXPECT_EQ(IsBoilerplatePurpose(c.purpose), c.verdict == Verdict::kBoilerplate) << c.purpose;
    // And the flag a duty with that purpose gets.
    Duty duty = testing::ExampleDuty("d", "ivo", c.purpose);
    std::vector<std::string> codes;
    for (const Flag& flag : EvaluateFlags(duty)) codes.push_back(flag.code);
    switch (c.verdict) {
      case Verdict::kMissing:
        EXPECT_THAT(codes, ElementsAre(std::string(kNoStatedPurpose))) << c.purpose;
        break;
      case Verdict::kBoilerplate:
        EXPECT_THAT(codes, ElementsAre(std::string(kBoilerplatePurpose))) << c.purpose;
        break;
      case Verdict::kPurpose:
        EXPECT_THAT(codes, ::testing::IsEmpty()) << c.purpose;
        break;
    }
  }
}

// None of the 27 purposes the real catalogue states is called missing or
// boilerplate.
TEST(BoilerplateTest, NoPurposeOfTheExampleCatalogueIsBoilerplate) {
  std::ifstream in(INRAPPORT_SOURCE_DIR "/examples/duties.csv");
  ASSERT_TRUE(in) << "cannot open examples/duties.csv";
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<cli::Record<Duty>>> records = cli::ReadDuties(text.str());
  ASSERT_TRUE(records.ok()) << records.status();
  int stated = 0;
  for (const cli::Record<Duty>& record : *records) {
    ASSERT_TRUE(record.status.ok()) << record.status;
    const std::string& purpose = record.value.purpose;
    if (IsBlank(purpose)) continue;
    ++stated;
    EXPECT_FALSE(IsMissingPurpose(purpose)) << record.value.id << ": " << purpose;
    EXPECT_FALSE(IsBoilerplatePurpose(purpose)) << record.value.id << ": " << purpose;
  }
  EXPECT_EQ(stated, 27);
}

}  // namespace
}  // namespace inrapport
