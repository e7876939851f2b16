#include "common/flags/boilerplate.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

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

}  // namespace
}  // namespace inrapport
