#include "common/flags/legal_basis.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using Kind = LegalReference::Kind;

std::vector<std::string> Canonical(absl::string_view text) {
  std::vector<std::string> out;
  for (const LegalReference& ref : ParseLegalBasis(text)) out.push_back(ref.ToString());
  return out;
}

LegalReference Ref(Kind kind, std::string act, std::string sfs, std::string chapter = "",
                   std::string section = "", std::string point = "") {
  LegalReference ref;
  ref.kind = kind;
  ref.act = std::move(act);
  ref.sfs = std::move(sfs);
  ref.chapter = std::move(chapter);
  ref.section = std::move(section);
  ref.point = std::move(point);
  return ref;
}

std::string Describe(const LegalReference& r) {
  return "{kind " + std::to_string(static_cast<int>(r.kind)) + ", act \"" + r.act +
         "\", sfs \"" + r.sfs + "\", chapter \"" + r.chapter + "\", section \"" + r.section +
         "\", point \"" + r.point + "\"}";
}

// One reference, field by field.
struct FieldCase {
  const char* text;
  LegalReference expected;
  const char* canonical;
};

TEST(LegalBasisTest, ParsesEachRecognisedFormIntoItsFields) {
  const FieldCase cases[] = {
      {"SoL (2001:453) 16 kap. 6 f §", Ref(Kind::kStatute, "SoL", "2001:453", "16", "6 f"),
       "SoL (2001:453) 16 kap. 6 f §"},
      {"SoL 16 kap. 6 f §", Ref(Kind::kSection, "SoL", "", "16", "6 f"), "SoL 16 kap. 6 f §"},
      {"LSS 28 f §", Ref(Kind::kSection, "LSS", "", "", "28 f"), "LSS 28 f §"},
      {"SkolL 26 kap. 25 §", Ref(Kind::kSection, "SkolL", "", "26", "25"),
       "SkolL 26 kap. 25 §"},
      {"Skollagen 26 kap. 25 §", Ref(Kind::kSection, "Skollagen", "", "26", "25"),
       "Skollagen 26 kap. 25 §"},
      {"SFS 2010:800", Ref(Kind::kStatute, "SFS", "2010:800"), "SFS 2010:800"},
      {"2015:1052", Ref(Kind::kStatute, "SFS", "2015:1052"), "SFS 2015:1052"},
      {"SKOLFS 2011:142", Ref(Kind::kRegulation, "SKOLFS", "2011:142"), "SKOLFS 2011:142"},
      {"HSLF-FS 2016:40", Ref(Kind::kRegulation, "HSLF-FS", "2016:40"), "HSLF-FS 2016:40"},
      {"SCB-FS 2020:08", Ref(Kind::kRegulation, "SCB-FS", "2020:08"), "SCB-FS 2020:08"},
      {"ELSÄK-FS 2017:2", Ref(Kind::kRegulation, "ELSÄK-FS", "2017:2"), "ELSÄK-FS 2017:2"},
      {"Förordning (1981:1370) 2 § b",
       Ref(Kind::kStatute, "Förordning", "1981:1370", "", "2", "b"),
       "Förordning (1981:1370) 2 § b"},
      {"Förordning (1981:1370) 2 § d–e",
       Ref(Kind::kStatute, "Förordning", "1981:1370", "", "2", "d–e"),
       "Förordning (1981:1370) 2 § d–e"},
      {"SoL (2001:453) 14 kap. 3–7 §§",
       Ref(Kind::kStatute, "SoL", "2001:453", "14", "3–7"), "SoL (2001:453) 14 kap. 3–7 §§"},
      // A hyphen in a range is written as the en dash.
      {"SoL 14 kap. 3-7 §§", Ref(Kind::kSection, "SoL", "", "14", "3–7"),
       "SoL 14 kap. 3–7 §§"},
      // A generic act is written with a capital; its chapter without a section.
      {"förordning (2001:100)", Ref(Kind::kStatute, "Förordning", "2001:100"),
       "Förordning (2001:100)"},
      {"Patientsäkerhetslagen (2010:659) 3 kap.",
       Ref(Kind::kStatute, "Patientsäkerhetslagen", "2010:659", "3"),
       "Patientsäkerhetslagen (2010:659) 3 kap."},
      // The act after the place, as Swedish text usually cites.
      {"4 kap. 1 § SoL", Ref(Kind::kSection, "SoL", "", "4", "1"), "SoL 4 kap. 1 §"},
      {"9 § LSS", Ref(Kind::kSection, "LSS", "", "", "9"), "LSS 9 §"},
      {"2 § förordningen (1981:1370)",
       Ref(Kind::kStatute, "Förordningen", "1981:1370", "", "2"),
       "Förordningen (1981:1370) 2 §"},
      {"4 kap. 1 § i socialtjänstlagen",
       Ref(Kind::kSection, "Socialtjänstlagen", "", "4", "1"), "Socialtjänstlagen 4 kap. 1 §"},
      // Two-part names.
      {"Plan- och bygglagen (2010:900) 11 kap. 5 §",
       Ref(Kind::kStatute, "Plan- och bygglagen", "2010:900", "11", "5"),
       "Plan- och bygglagen (2010:900) 11 kap. 5 §"},
      {"5 kap. 1 § hälso- och sjukvårdslagen",
       Ref(Kind::kSection, "Hälso- och sjukvårdslagen", "", "5", "1"),
       "Hälso- och sjukvårdslagen 5 kap. 1 §"},
      {"2 a kap. 3 § SoL", Ref(Kind::kSection, "SoL", "", "2 a", "3"), "SoL 2 a kap. 3 §"},
      // No-break spaces, as in text copied from lagen.nu or riksdagen.se.
      {"SoL\xC2\xA0" "16\xC2\xA0kap.\xC2\xA0" "6\xC2\xA0" "f\xC2\xA0§",
       Ref(Kind::kSection, "SoL", "", "16", "6 f"), "SoL 16 kap. 6 f §"},
      // At the end of a sentence.
      {"Se SFS 2010:800.", Ref(Kind::kStatute, "SFS", "2010:800"), "SFS 2010:800"},
      {"SFS 2010:800 26 kap. 25 §", Ref(Kind::kStatute, "SFS", "2010:800", "26", "25"),
       "SFS 2010:800 26 kap. 25 §"},
  };
  for (const FieldCase& c : cases) {
    const std::vector<LegalReference> refs = ParseLegalBasis(c.text);
    ASSERT_EQ(refs.size(), 1u) << c.text;
    EXPECT_EQ(refs[0], c.expected) << c.text << "\n  got " << Describe(refs[0])
                                   << "\n  expected " << Describe(c.expected);
    EXPECT_EQ(refs[0].ToString(), c.canonical) << c.text;
  }
}

TEST(LegalBasisTest, TextThatNamesNoSourceGivesNoReference) {
  for (const char* text : {
           "",
           "   ",
           "unverified",
           "none found",
           "none found (government assignment; legal basis unverified)",
           "Regeringsbeslut S2021/08234",
           "lag",
           "förordning",
           "Lagen",
           "enligt lag",
           "lag 3 §",                     // a generic act needs its SFS number
           "14 kap. 3–7 §§",              // a place, but in which act?
           "SFS",                          // a series without a number
           "SKOLFS",
           "SoL",                          // an act without a place
           "SOU 2018:47",                  // an inquiry, not a statute
           "prop. 2007/08:43",
           "Ds 2019:3",
           "dir. 2019:13",
           "1 July 2008",
           "10:30",
           "3 § underlag",                // ends like "lag", is none
           "[SFS 2010:800 unverified]",   // a note is not a reference
           "Socialstyrelsens föreskrifter",
       }) {
    EXPECT_THAT(Canonical(text), ElementsAre()) << "\"" << text << "\"";
  }
}

TEST(LegalBasisTest, BracketedNotesAreSkippedButTheReferenceIsRead) {
  EXPECT_THAT(Canonical("SoL (2001:453) 16 kap. 6 f § [paragraph number unverified]"),
              ElementsAre("SoL (2001:453) 16 kap. 6 f §"));
  EXPECT_THAT(Canonical("LSS (1993:387) [paragraph unverified]; SOSFS 2011:5"),
              ElementsAre("LSS (1993:387)", "SOSFS 2011:5"));
  // A note between the act and its place does not split them.
  EXPECT_THAT(Canonical("Patientsäkerhetslagen (2010:659) [x] 3 kap. [unverified] 5 §"),
              ElementsAre("Patientsäkerhetslagen (2010:659) 3 kap. 5 §"));
  EXPECT_THAT(Canonical("SKOLFS [a [nested] note] 2011:142"), ElementsAre("SKOLFS 2011:142"));
}

TEST(LegalBasisTest, MorePlacesInTheSameActAreReferencesOfTheirOwn) {
  EXPECT_THAT(Canonical("Förordning (2018:49) 8 a § och 9 §"),
              ElementsAre("Förordning (2018:49) 8 a §", "Förordning (2018:49) 9 §"));
  // A place without a chapter stays in the chapter before it.
  EXPECT_THAT(Canonical("SoL 16 kap. 6 f § samt 6 h §"),
              ElementsAre("SoL 16 kap. 6 f §", "SoL 16 kap. 6 h §"));
  // "och" before another act does not continue the first one.
  EXPECT_THAT(Canonical("Lag (2001:99) och förordning (2001:100)"),
              ElementsAre("Lag (2001:99)", "Förordning (2001:100)"));
  EXPECT_THAT(Canonical("SoL 4 kap. 1 § och 9 § LSS"),
              ElementsAre("SoL 4 kap. 1 §", "LSS 9 §"));
}

TEST(LegalBasisTest, APointIsOnlyALoneLetterAfterTheSection) {
  EXPECT_THAT(Canonical("Förordning (1981:1370) 2 § b; HSLF-FS 2016:86"),
              ElementsAre("Förordning (1981:1370) 2 § b", "HSLF-FS 2016:86"));
  // An English article or the Swedish "i" after the sign is no point.
  EXPECT_THAT(Canonical("SoL 16 kap. 6 f § a municipality must report"),
              ElementsAre("SoL 16 kap. 6 f §"));
  EXPECT_THAT(Canonical("2 § i förordningen (1981:1370)"),
              ElementsAre("Förordningen (1981:1370) 2 §"));
  EXPECT_THAT(Canonical("6 § i socialtjänstförordningen"),
              ElementsAre("Socialtjänstförordningen 6 §"));
}

TEST(LegalBasisTest, KnownAbbreviationsAreCaseSensitive) {
  EXPECT_THAT(Canonical("sol 16 kap. 6 f §"), ElementsAre());
  EXPECT_THAT(Canonical("SOL 16 kap. 6 f §"), ElementsAre());
  const std::vector<std::string>& known = KnownLawAbbreviations();
  for (const char* abbreviation : {"SoL", "LSS", "SkolL", "HSL", "PBL", "LEH", "LSO", "OSL"}) {
    EXPECT_NE(std::find(known.begin(), known.end(), abbreviation), known.end()) << abbreviation;
  }
}

// Every legal_basis of examples/duties.csv, as written there, with the
// references read from it. "unverified" notes stay in the text and do not
// stop the reference in front of them from being read.
struct CatalogueCase {
  const char* duty_id;
  const char* legal_basis;
  std::vector<std::string> references;
};

TEST(LegalBasisTest, EveryLegalBasisOfTheRealCatalogue) {
  const CatalogueCase cases[] = {
      {"ivo-evb-sol",
       "SoL (2001:453) 16 kap. 6 f § [paragraph number unverified]; concerns bistånd under 4 "
       "kap. 1 § SoL",
       {"SoL (2001:453) 16 kap. 6 f §", "SoL 4 kap. 1 §"}},
      {"ivo-evb-lss",
       "LSS (1993:387) 28 f § [paragraph number unverified]; concerns insatser under 9 § LSS; "
       "duty introduced 1 July 2008 (prop. 2007/08:43)",
       {"LSS (1993:387) 28 f §", "LSS 9 §"}},
      {"ivo-lex-sarah",
       "SoL (2001:453) 14 kap. 3–7 §§; LSS (1993:387) [paragraph unverified]; SOSFS 2011:5",
       {"SoL (2001:453) 14 kap. 3–7 §§", "LSS (1993:387)", "SOSFS 2011:5"}},
      {"ivo-lex-maria",
       "Patientsäkerhetslagen (2010:659) 3 kap. [paragraph unverified]; HSLF-FS 2017:41",
       {"Patientsäkerhetslagen (2010:659) 3 kap.", "HSLF-FS 2017:41"}},
      {"scb-rs",
       "Lag (2001:99) och förordning (2001:100) om den officiella statistiken [SCB-FS number "
       "unverified]",
       {"Lag (2001:99)", "Förordning (2001:100)"}},
      {"scb-kvartalsutfall", "SCB-FS 2020:08", {"SCB-FS 2020:08"}},
      {"skolverket-elever-grundskola", "Lag (2001:99); förordning (2001:100); SKOLFS 2011:142",
       {"Lag (2001:99)", "Förordning (2001:100)", "SKOLFS 2011:142"}},
      {"skolverket-forskola-barn-personal",
       "Skollagen (2010:800) 26 kap. 25 §; förordning (1992:1083) 1 §; SKOLFS 2011:142; lag "
       "(2001:99) and förordning (2001:100)",
       {"Skollagen (2010:800) 26 kap. 25 §", "Förordning (1992:1083) 1 §", "SKOLFS 2011:142",
        "Lag (2001:99)", "Förordning (2001:100)"}},
      {"skolverket-pedagogisk-personal",
       "Lag (2001:99); förordning (2001:100); SKOLFS 2011:142",
       {"Lag (2001:99)", "Förordning (2001:100)", "SKOLFS 2011:142"}},
      {"skolverket-slutbetyg-ak9",
       "Lag (2001:99); förordning (2001:100); SKOLFS 2011:142 [taken from sibling SCB pages of "
       "same series; unverified for this page]",
       {"Lag (2001:99)", "Förordning (2001:100)", "SKOLFS 2011:142"}},
      {"skolverket-likvardighetsbidrag-redovisning",
       "Förordning (2018:49) 8 a § och 9 § (införda/ändrade genom SFS 2018:633)",
       {"Förordning (2018:49) 8 a §", "Förordning (2018:49) 9 §", "SFS 2018:633"}},
      {"sos-lss-register",
       "Förordning (2004:16) 2 §; SOSFS 2005:21 (ändrad t.o.m. HSLF-FS 2018:11)",
       {"Förordning (2004:16) 2 §", "SOSFS 2005:21", "HSLF-FS 2018:11"}},
      {"sos-aldre-funktionsnedsattning-sol", "Förordning (1981:1370) 2 § b; HSLF-FS 2016:86",
       {"Förordning (1981:1370) 2 § b", "HSLF-FS 2016:86"}},
      {"sos-ekonomiskt-bistand",
       "Förordning (1981:1370) 2 § a; Socialstyrelsens föreskrifter (SOSFS 2011:13, "
       "uppdaterade 2017 – current number unverified)",
       {"Förordning (1981:1370) 2 § a", "SOSFS 2011:13"}},
      {"sos-barn-unga",
       "Förordning (1981:1370) 2 § d–e; HSLF-FS 2016:3 (ändrad genom HSLF-FS 2016:22)",
       {"Förordning (1981:1370) 2 § d–e", "HSLF-FS 2016:3", "HSLF-FS 2016:22"}},
      {"sos-kommunal-hsl", "Förordning (2006:94) 5 §; HSLF-FS 2017:67",
       {"Förordning (2006:94) 5 §", "HSLF-FS 2017:67"}},
      {"sos-oppna-jamforelser", "none found (government assignment; legal basis unverified)",
       {}},
      {"sos-ehalsa-enkat",
       "Government assignment; since 2021 part of återrapportering under överenskommelsen "
       "'Äldreomsorg – teknik, kvalitet och effektivitet med den äldre i fokus'",
       {}},
      {"sos-okad-bemanning-aterrapport",
       "unverified (temporary targeted grant administered by Socialstyrelsen)", {}},
      {"sos-aldreomsorgslyftet",
       "Regeringsbeslut S2021/08234 (utbetalning/uppföljning); S2021/06742 (RRF)", {}},
      {"msb-rsa", "LEH (2006:544) 2 kap. 1 §; förordning (2006:637); MSBFS 2015:5",
       {"LEH (2006:544) 2 kap. 1 §", "Förordning (2006:637)", "MSBFS 2015:5"}},
      {"msb-krisberedskap-uppfoljning",
       "LEH (2006:544) 5 kap. (statlig ersättning); Överenskommelse MSB–SKL om kommunernas "
       "krisberedskap 2019–2022, avsnitt 6",
       {"LEH (2006:544) 5 kap."}},
      {"msb-undersokningsrapport",
       "LSO (2003:778) 3 kap. 10 §; förordning (2003:789) 3 kap. 8 a §; MSBFS 2021:5",
       {"LSO (2003:778) 3 kap. 10 §", "Förordning (2003:789) 3 kap. 8 a §", "MSBFS 2021:5"}},
      {"boverket-bme", "unverified", {}},
      {"boverket-pbe",
       "none found for the municipal duty (Boverket's follow-up duty rests on plan- och "
       "byggförordningen and regleringsbrev)",
       {}},
      {"nv-kommunalt-avfall", "Avfallsförordningen (2020:614) 7 kap. 1 §; NFS 2020:10",
       {"Avfallsförordningen (2020:614) 7 kap. 1 §", "NFS 2020:10"}},
      {"slv-livsmedelskontroll",
       "LIVSFS 2009:13 (föreskrifter om rapporteringsskyldighet för kontrollmyndigheter)",
       {"LIVSFS 2009:13"}},
      {"fohm-lansrapport", "unverified", {}},
      {"mfd-uppfoljning", "none (MFD's own instruction; no municipal duty found)", {}},
      {"migrationsverket-sarskilda-kostnader",
       "unverified (förordning on state compensation for newly arrived; SFS number not "
       "confirmed)",
       {}},
  };
  ASSERT_EQ(std::size(cases), 30u);
  for (const CatalogueCase& c : cases) {
    EXPECT_THAT(Canonical(c.legal_basis), ElementsAreArray(c.references)) << c.duty_id;
  }
}

TEST(LegalBasisTest, FieldsOfARealReferenceWithAnUnverifiedNote) {
  const std::vector<LegalReference> refs = ParseLegalBasis(
      "SoL (2001:453) 14 kap. 3–7 §§; LSS (1993:387) [paragraph unverified]; SOSFS 2011:5");
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0], Ref(Kind::kStatute, "SoL", "2001:453", "14", "3–7"));
  EXPECT_EQ(refs[1], Ref(Kind::kStatute, "LSS", "1993:387"));
  EXPECT_EQ(refs[2], Ref(Kind::kRegulation, "SOSFS", "2011:5"));
}

}  // namespace
}  // namespace inrapport
