#include "common/domain/municipalities.h"

#include <cstdint>
#include <map>
#include <set>

#include "gtest/gtest.h"

namespace inrapport {
namespace {

TEST(MunicipalitiesTest, HasThe290OfficialCodesAnd21Counties) {
  const Municipalities& official = Municipalities::Official();
  EXPECT_EQ(official.size(), 290u);
  EXPECT_EQ(official.counties().size(), 21u);
  std::set<std::string> codes;
  for (const Municipality& m : official.all()) codes.insert(m.code);
  EXPECT_EQ(codes.size(), 290u);
}

TEST(MunicipalitiesTest, KnownMunicipalitiesHaveNamesAndCounties) {
  const Municipalities& official = Municipalities::Official();
  const Municipality* stockholm = official.Find("0180");
  ASSERT_NE(stockholm, nullptr);
  EXPECT_EQ(stockholm->name, "Stockholm");
  EXPECT_EQ(stockholm->county_code, "01");
  EXPECT_EQ(stockholm->county_name, "Stockholms län");
  ASSERT_NE(official.Find("0182"), nullptr);
  EXPECT_EQ(official.Find("0182")->name, "Nacka");
  const Municipality* helsingborg = official.Find("1283");
  ASSERT_NE(helsingborg, nullptr);
  EXPECT_EQ(helsingborg->name, "Helsingborg");
  EXPECT_EQ(helsingborg->county_name, "Skåne län");
  EXPECT_EQ(official.FindCounty("12")->name, "Skåne län");
}

TEST(MunicipalitiesTest, EveryCodeStartsWithItsCountyCode) {
  const Municipalities& official = Municipalities::Official();
  for (const Municipality& m : official.all()) {
    EXPECT_EQ(m.code.substr(0, 2), m.county_code) << m.code;
    EXPECT_NE(official.FindCounty(m.county_code), nullptr) << m.code;
  }
}

TEST(MunicipalitiesTest, IndexesAreDenseInCodeOrder) {
  const auto& all = Municipalities::Official().all();
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].index, static_cast<int>(i));
    if (i > 0) {
      EXPECT_LT(all[i - 1].code, all[i].code);
    }
  }
}

TEST(MunicipalitiesTest, UnknownCodesAreNotFound) {
  const Municipalities& official = Municipalities::Official();
  for (const char* code : {"", "0", "9999", "0100", "180", "01800", "01"}) {
    EXPECT_EQ(official.Find(code), nullptr) << code;
  }
  EXPECT_EQ(official.FindCounty("02"), nullptr);
}

TEST(MunicipalitiesTest, EveryCodeHasAPopulationAndAnSkrGroup) {
  const Municipalities& official = Municipalities::Official();
  int64_t total = 0;
  std::map<std::string, int> per_group;
  for (const Municipality& m : official.all()) {
    EXPECT_GT(m.population, 0) << m.code;
    ASSERT_EQ(m.group.size(), 2u) << m.code;
    EXPECT_EQ(m.group.substr(0, 1), m.main_group) << m.code;
    EXPECT_FALSE(m.group_name.empty()) << m.code;
    EXPECT_NE(official.FindGroup(m.group), nullptr) << m.code;
    total += m.population;
    ++per_group[m.group];
  }
  // SCB: Sweden's population on 31 Dec 2024.
  EXPECT_EQ(total, 10587710);
  // SKR's own overview table of the 2023 grouping.
  const std::map<std::string, int> expected = {{"A1", 3},  {"A2", 43}, {"B3", 23},
                                               {"B4", 63}, {"B5", 24}, {"C6", 27},
                                               {"C7", 51}, {"C8", 35}, {"C9", 21}};
  EXPECT_EQ(per_group, expected);
  ASSERT_EQ(official.groups().size(), 9u);
  EXPECT_EQ(official.groups()[0].code, "A1");
  EXPECT_EQ(official.groups()[0].name, "Storstäder");
  EXPECT_EQ(official.groups()[8].index, 8);
  EXPECT_EQ(official.Find("0180")->group, "A1");
  EXPECT_EQ(official.Find("0180")->population, 995574);
  EXPECT_EQ(official.Find("2403")->population, 2359);
}

}  // namespace
}  // namespace inrapport
