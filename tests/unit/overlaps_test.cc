#include "common/flags/overlaps.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Duty D(std::string id, std::string agency, std::vector<std::string> items) {
  Duty duty;
  duty.id = std::move(id);
  duty.agency_id = std::move(agency);
  duty.data_items = std::move(items);
  return duty;
}

MATCHER_P3(OverlapIs, duty_id, agency_id, items, "") {
  return arg.other_duty_id == duty_id && arg.other_agency_id == agency_id &&
         arg.shared_items == std::vector<std::string>(items);
}

TEST(OverlapsTest, NormalizeDataItemTrimsLowersAndJoinsWithUnderscores) {
  EXPECT_EQ(NormalizeDataItem("decision_date"), "decision_date");
  EXPECT_EQ(NormalizeDataItem("  Decision_Date\t"), "decision_date");
  EXPECT_EQ(NormalizeDataItem("Decision date"), "decision_date");
  EXPECT_EQ(NormalizeDataItem("decision-date"), "decision_date");
  EXPECT_EQ(NormalizeDataItem("decision -  date"), "decision_date");
  EXPECT_EQ(NormalizeDataItem("   "), "");
  EXPECT_EQ(NormalizeDataItem(""), "");
}

TEST(OverlapsTest, DistinctDataItemCountCountsItemsAsCompared) {
  EXPECT_EQ(DistinctDataItemCount(D("a", "x", {"Decision date", "decision_date", "pin"})), 2);
  EXPECT_EQ(DistinctDataItemCount(D("a", "x", {"pin", " ", ""})), 1);
  EXPECT_EQ(DistinctDataItemCount(D("a", "x", {})), 0);
}

TEST(OverlapsTest, DutiesOfTwoAgenciesSharingItemsOverlapBothWays) {
  const Duty ivo = D("ivo-evb", "ivo", {"service_type", "decision_date", "reason_for_delay"});
  const Duty sos = D("sos-reg", "socialstyrelsen", {"reason_for_delay", "decision_date", "pin"});
  const auto overlaps = FindOverlaps({&ivo, &sos});
  ASSERT_EQ(overlaps.size(), 2u);
  EXPECT_THAT(overlaps.at("ivo-evb"),
              ElementsAre(OverlapIs("sos-reg", "socialstyrelsen",
                                    std::vector<std::string>{"decision_date",
                                                             "reason_for_delay"})));
  EXPECT_THAT(overlaps.at("sos-reg"),
              ElementsAre(OverlapIs("ivo-evb", "ivo",
                                    std::vector<std::string>{"decision_date",
                                                             "reason_for_delay"})));
}

TEST(OverlapsTest, DutiesOfTheSameAgencyNeverOverlap) {
  const Duty a = D("ivo-evb-sol", "ivo", {"decision_date", "reason_for_delay"});
  const Duty b = D("ivo-evb-lss", "ivo", {"decision_date", "reason_for_delay"});
  EXPECT_THAT(FindOverlaps({&a, &b}), IsEmpty());
}

TEST(OverlapsTest, ItemsMatchByTheirNormalisedNames) {
  const Duty a = D("a", "ivo", {" Decision_Date ", "Service type"});
  const Duty b = D("b", "scb", {"decision-date", "service_type", "decision_date"});
  const auto overlaps = FindOverlaps({&a, &b});
  EXPECT_THAT(overlaps.at("a"),
              ElementsAre(OverlapIs("b", "scb", std::vector<std::string>{"decision_date",
                                                                         "service_type"})));
  // An item asked for twice by one duty is shared once.
  EXPECT_THAT(overlaps.at("b"),
              ElementsAre(OverlapIs("a", "ivo", std::vector<std::string>{"decision_date",
                                                                         "service_type"})));
}

TEST(OverlapsTest, SeveralOtherDutiesAreListedByIdWithTheirOwnSharedItems) {
  const Duty a = D("a", "ivo", {"z_item", "b_item", "c_item", "own"});
  const Duty c = D("c", "scb", {"c_item", "z_item"});
  const Duty b = D("b", "skolverket", {"b_item", "z_item"});
  const Duty a2 = D("a2", "ivo", {"z_item"});  // same agency as a
  const Duty lone = D("lone", "msb", {"own_too"});
  const auto overlaps = FindOverlaps({&c, &a, &lone, &b, &a2});
  EXPECT_THAT(overlaps.at("a"),
              ElementsAre(OverlapIs("b", "skolverket", std::vector<std::string>{"b_item",
                                                                                "z_item"}),
                          OverlapIs("c", "scb", std::vector<std::string>{"c_item", "z_item"})));
  EXPECT_THAT(overlaps.at("a2"),
              ElementsAre(OverlapIs("b", "skolverket", std::vector<std::string>{"z_item"}),
                          OverlapIs("c", "scb", std::vector<std::string>{"z_item"})));
  EXPECT_THAT(overlaps.at("b"),
              ElementsAre(OverlapIs("a", "ivo", std::vector<std::string>{"b_item", "z_item"}),
                          OverlapIs("a2", "ivo", std::vector<std::string>{"z_item"}),
                          OverlapIs("c", "scb", std::vector<std::string>{"z_item"})));
  EXPECT_THAT(overlaps.at("c"),
              ElementsAre(OverlapIs("a", "ivo", std::vector<std::string>{"c_item", "z_item"}),
                          OverlapIs("a2", "ivo", std::vector<std::string>{"z_item"}),
                          OverlapIs("b", "skolverket", std::vector<std::string>{"z_item"})));
  EXPECT_EQ(overlaps.count("lone"), 0u);
  EXPECT_EQ(overlaps.size(), 4u);
}

TEST(OverlapsTest, ASilentDutyOverlapsTheAskingOnesButNoneOverlapsIt) {
  const Duty asking = D("asking", "ivo", {"decision_date", "cost"});
  const Duty other = D("other", "scb", {"cost"});
  const Duty proposal = D("proposal", "skolverket", {"decision_date", "pin"});
  const Duty withdrawn = D("withdrawn", "msb", {"pin", "cost"});
  const auto overlaps = FindOverlaps({&asking, &other}, {&proposal, &withdrawn});
  EXPECT_THAT(overlaps.at("asking"),
              ElementsAre(OverlapIs("other", "scb", std::vector<std::string>{"cost"})));
  EXPECT_THAT(overlaps.at("other"),
              ElementsAre(OverlapIs("asking", "ivo", std::vector<std::string>{"cost"})));
  EXPECT_THAT(overlaps.at("proposal"),
              ElementsAre(OverlapIs("asking", "ivo",
                                    std::vector<std::string>{"decision_date"})));
  // "pin" is shared by two silent duties only: not an overlap.
  EXPECT_THAT(overlaps.at("withdrawn"),
              ElementsAre(OverlapIs("asking", "ivo", std::vector<std::string>{"cost"}),
                          OverlapIs("other", "scb", std::vector<std::string>{"cost"})));
  EXPECT_EQ(overlaps.size(), 4u);
}

TEST(OverlapsTest, NullDutiesBlankItemsAndNoDutiesAreIgnored) {
  EXPECT_THAT(FindOverlaps({}), IsEmpty());
  const Duty a = D("a", "ivo", {"", "  "});
  const Duty b = D("b", "scb", {" ", ""});
  EXPECT_THAT(FindOverlaps({&a, nullptr, &b}), IsEmpty());
}

}  // namespace
}  // namespace inrapport
