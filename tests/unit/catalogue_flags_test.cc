// The flags of the 30 real reporting duties in examples/duties.csv, as
// docs/flags.md ("The real catalogue") shows them. Only the flags a duty's
// own fields and the other duties decide: there are no real reports, so the
// report-driven flags have no evidence to fire on.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/flags/boilerplate.h"
#include "common/flags/flag_rules.h"
#include "common/flags/legal_basis.h"
#include "common/flags/overlaps.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/cli/records.h"

namespace inrapport {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class CatalogueFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream in(INRAPPORT_SOURCE_DIR "/examples/duties.csv");
    ASSERT_TRUE(in) << "cannot open examples/duties.csv";
    std::stringstream text;
    text << in.rdbuf();
    absl::StatusOr<std::vector<cli::Record<Duty>>> records = cli::ReadDuties(text.str());
    ASSERT_TRUE(records.ok()) << records.status();
    for (const cli::Record<Duty>& record : *records) {
      ASSERT_TRUE(record.status.ok()) << record.status;
      duties_.push_back(record.value);
    }
  }

  // Each duty's flags: its own fields, and the overlaps among all duties.
  std::map<std::string, std::vector<Flag>> Flags() const {
    std::vector<const Duty*> all;
    for (const Duty& duty : duties_) all.push_back(&duty);
    const auto overlaps = FindOverlaps(all);
    std::map<std::string, std::vector<Flag>> flags;
    for (const Duty& duty : duties_) {
      DutyEvidence evidence;
      if (auto it = overlaps.find(duty.id); it != overlaps.end()) evidence.overlaps = it->second;
      flags[duty.id] = EvaluateFlags(duty, evidence, FlagThresholds{});
    }
    return flags;
  }

  const Duty& Find(const std::string& id) const {
    for (const Duty& duty : duties_) {
      if (duty.id == id) return duty;
    }
    ADD_FAILURE() << "no duty " << id;
    return duties_.front();
  }

  std::vector<Duty> duties_;
};

struct Expected {
  const char* duty_id;
  std::vector<std::string> codes;
};

// The table of docs/flags.md, "The real catalogue".
TEST_F(CatalogueFlagsTest, EachRealDutyGetsExactlyTheseFlags) {
  const std::string kPurpose(kNoStatedPurpose), kBasis(kNoLegalBasis),
      kGrant(kTargetedGrantReporting);
  const Expected table[] = {
      {"ivo-evb-sol", {}},
      {"ivo-evb-lss", {}},
      {"ivo-lex-sarah", {kPurpose}},
      {"ivo-lex-maria", {}},
      {"scb-rs", {}},
      {"scb-kvartalsutfall", {}},
      {"skolverket-elever-grundskola", {}},
      {"skolverket-forskola-barn-personal", {}},
      {"skolverket-pedagogisk-personal", {}},
      {"skolverket-slutbetyg-ak9", {}},
      {"skolverket-likvardighetsbidrag-redovisning", {kGrant}},
      {"sos-lss-register", {}},
      {"sos-aldre-funktionsnedsattning-sol", {kPurpose}},
      {"sos-ekonomiskt-bistand", {}},
      {"sos-barn-unga", {}},
      {"sos-kommunal-hsl", {kPurpose}},
      {"sos-oppna-jamforelser", {kBasis}},
      {"sos-ehalsa-enkat", {kGrant}},
      {"sos-okad-bemanning-aterrapport", {kGrant}},
      {"sos-aldreomsorgslyftet", {kGrant}},
      {"msb-rsa", {kGrant}},
      {"msb-krisberedskap-uppfoljning", {kGrant}},
      {"msb-undersokningsrapport", {}},
      {"boverket-bme", {}},
      {"boverket-pbe", {kBasis}},
      {"nv-kommunalt-avfall", {}},
      {"slv-livsmedelskontroll", {}},
      {"fohm-lansrapport", {}},
      {"mfd-uppfoljning", {kBasis}},
      {"migrationsverket-sarskilda-kostnader", {}},
  };
  ASSERT_EQ(duties_.size(), 30u);
  ASSERT_EQ(std::size(table), 30u);
  const std::map<std::string, std::vector<Flag>> flags = Flags();
  std::set<std::string> seen;
  for (const Expected& row : table) {
    ASSERT_EQ(flags.count(row.duty_id), 1u) << row.duty_id;
    seen.insert(row.duty_id);
    std::vector<std::string> codes;
    for (const Flag& flag : flags.at(row.duty_id)) {
      codes.push_back(flag.code);
      EXPECT_THAT(flag.reason, HasSubstr(std::string("\"") + row.duty_id + "\""));
      EXPECT_THAT(flag.reason_sv, HasSubstr(std::string("\"") + row.duty_id + "\""));
    }
    EXPECT_THAT(codes, ElementsAreArray(row.codes)) << row.duty_id;
  }
  EXPECT_EQ(seen.size(), 30u);

  int flagged = 0;
  for (const auto& [id, duty_flags] : flags) flagged += duty_flags.empty() ? 0 : 1;
  EXPECT_EQ(flagged, 12);
}

TEST_F(CatalogueFlagsTest, NoRealPurposeIsBoilerplate) {
  int stated = 0;
  for (const Duty& duty : duties_) {
    if (IsBlank(duty.purpose)) continue;
    ++stated;
    EXPECT_FALSE(IsBoilerplatePurpose(duty.purpose)) << duty.id << ": " << duty.purpose;
  }
  EXPECT_EQ(stated, 27);
}

// The once-only check compares items across agencies. The catalogue's
// shared items are all within one agency (IVO's two reports of non-executed
// decisions; two Socialstyrelsen registers asking for the personal identity
// number), so no real duty is flagged DUPLICATE_DATA.
TEST_F(CatalogueFlagsTest, TheOnlySharedItemsAreWithinOneAgency) {
  std::vector<const Duty*> all;
  for (const Duty& duty : duties_) all.push_back(&duty);
  EXPECT_THAT(FindOverlaps(all), IsEmpty());

  std::map<std::string, std::set<std::string>> askers;  // item -> duty ids
  for (const Duty& duty : duties_) {
    for (const std::string& item : duty.data_items) {
      askers[NormalizeDataItem(item)].insert(duty.id);
    }
  }
  std::map<std::string, std::set<std::string>> shared;
  for (const auto& [item, ids] : askers) {
    if (ids.size() > 1) shared[item] = ids;
  }
  const std::set<std::string> evb = {"ivo-evb-lss", "ivo-evb-sol"};
  const std::set<std::string> registers = {"sos-aldre-funktionsnedsattning-sol",
                                           "sos-lss-register"};
  EXPECT_EQ(shared, (std::map<std::string, std::set<std::string>>{
                        {"decision_date", evb},
                        {"execution_or_closure_date", evb},
                        {"interruption_flag", evb},
                        {"personal_identity_number", registers},
                        {"reason_for_delay", evb},
                    }));
}

// Where a legal basis carries an "unverified" note, the reference in front
// of it is still read, and the note stays in the duty's text. A basis the
// catalogue could not verify is shown as unverified, not flagged; a basis
// that says there is none is flagged.
TEST_F(CatalogueFlagsTest, UnverifiedNotesStayVisibleAndAreNotFlags) {
  const Duty& evb = Find("ivo-evb-sol");
  EXPECT_THAT(evb.legal_basis, HasSubstr("[paragraph number unverified]"));
  ASSERT_FALSE(ParseLegalBasis(evb.legal_basis).empty());
  EXPECT_EQ(ParseLegalBasis(evb.legal_basis)[0].ToString(), "SoL (2001:453) 16 kap. 6 f §");
  EXPECT_TRUE(ReadLegalBasis(evb.legal_basis).unverified);

  const std::map<std::string, std::vector<Flag>> flags = Flags();
  auto flagged = [&](const std::string& id) {
    const std::vector<Flag>& duty_flags = flags.at(id);
    return std::any_of(duty_flags.begin(), duty_flags.end(),
                       [](const Flag& f) { return f.code == kNoLegalBasis; });
  };
  for (const char* id : {"boverket-bme", "fohm-lansrapport", "sos-okad-bemanning-aterrapport",
                         "migrationsverket-sarskilda-kostnader", "sos-aldreomsorgslyftet",
                         "sos-ehalsa-enkat"}) {
    EXPECT_FALSE(flagged(id)) << id << ": " << Find(id).legal_basis;
  }
  for (const char* id : {"sos-oppna-jamforelser", "mfd-uppfoljning", "boverket-pbe"}) {
    EXPECT_TRUE(flagged(id)) << id << ": " << Find(id).legal_basis;
  }
}

// Every duty with a recognised legal basis has at least one reference, and
// every reference reads back in its canonical form.
TEST_F(CatalogueFlagsTest, RecognisedReferencesAreCanonicalAndStable) {
  int with_references = 0;
  for (const Duty& duty : duties_) {
    const std::vector<LegalReference> refs = ParseLegalBasis(duty.legal_basis);
    if (!refs.empty()) ++with_references;
    for (const LegalReference& ref : refs) {
      const std::vector<LegalReference> again = ParseLegalBasis(ref.ToString());
      ASSERT_EQ(again.size(), 1u) << duty.id << ": " << ref.ToString();
      EXPECT_EQ(again[0].ToString(), ref.ToString()) << duty.id;
    }
  }
  EXPECT_EQ(with_references, 21);
}

}  // namespace
}  // namespace inrapport
