// What counts as a change of a duty, and how the catalogue keeps its
// versions: every field a client sets is compared, and an update that
// changes nothing is no version.
#include <memory>
#include <string>
#include <vector>

#include "common/catalog/duty_catalog.h"
#include "common/domain/duty_version.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using testing::ExampleDuty;
using testing::FakeStore;

TEST(ChangedDutyFieldsTest, EveryFieldAClientSetsIsCompared) {
  const Duty base = ExampleDuty();
  // One change per field, in declaration order; each must be named alone.
  std::vector<std::pair<std::string, void (*)(Duty&)>> changes = {
      {"agency_id", [](Duty& d) { d.agency_id = "x"; }},
      {"title", [](Duty& d) { d.title = "x"; }},
      {"legal_basis", [](Duty& d) { d.legal_basis = "x"; }},
      {"purpose", [](Duty& d) { d.purpose = "x"; }},
      {"sector", [](Duty& d) { d.sector = Sector::kOther; }},
      {"frequency", [](Duty& d) { d.frequency = Frequency::kWeekly; }},
      {"data_items", [](Duty& d) { d.data_items.push_back("x"); }},
      {"targeted_grant", [](Duty& d) { d.targeted_grant = "x"; }},
      {"estimated_minutes_per_report", [](Duty& d) { d.estimated_minutes_per_report += 1; }},
      {"valid_from", [](Duty& d) { d.valid_from = "2001-01-01"; }},
      {"valid_until", [](Duty& d) { d.valid_until = "2031-01-01"; }},
      {"source_url", [](Duty& d) { d.source_url = "https://x.example/"; }},
      {"notes", [](Duty& d) { d.notes = "x"; }},
      {"respondents", [](Duty& d) { d.respondents.push_back("0180"); }},
      {"deadline", [](Duty& d) { d.deadline = "30 days after period end"; }},
      {"state", [](Duty& d) { d.state = DutyState::kProposed; }},
      {"consultation_until", [](Duty& d) { d.consultation_until = "2027-03-01"; }},
      {"expires_on", [](Duty& d) { d.expires_on = "2030-03-02"; }},
  };
  std::vector<std::string> all;
  for (const auto& [name, change] : changes) {
    Duty changed = base;
    change(changed);
    EXPECT_THAT(ChangedDutyFields(base, changed), ElementsAre(name));
    all.push_back(name);
  }
  EXPECT_EQ(DutyFieldNames(), all);
  // Derived fields are not the client's: no change.
  Duty derived = base;
  derived.flags.push_back({"NO_STATED_PURPOSE", "r", {}, ""});
  derived.recorded_uses = 7;
  EXPECT_TRUE(ChangedDutyFields(base, derived).empty());
}

TEST(DutyHistoryTest, TheCatalogueRecordsWhoChangedWhichFields) {
  FakeStore store;
  auto aggregates = std::move(*Aggregates::Load(store));
  auto catalog = std::move(*DutyCatalog::Load(&store, aggregates.get()));
  Duty duty = ExampleDuty("d", "ivo", "");
  ASSERT_TRUE(catalog->Create(duty, "agency:ivo").ok());
  duty.purpose = "IVO bedömer om särskild avgift ska sökas.";
  ASSERT_TRUE(catalog->Update(duty, "agency:ivo").ok());
  // The same duty again (a catalogue imported twice) is no new version.
  ASSERT_TRUE(catalog->Update(duty, "admin").ok());

  auto history = catalog->History("d");
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].change.changed_by, "agency:ivo");
  EXPECT_EQ((*history)[0].change.changed_fields, DutyFieldNames());
  EXPECT_EQ((*history)[0].duty.purpose, "");
  EXPECT_THAT((*history)[1].change.changed_fields, ElementsAre("purpose"));
  EXPECT_EQ((*history)[1].duty.purpose, duty.purpose);
  EXPECT_EQ(catalog->History("nope").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace inrapport
