#include "common/domain/municipalities.h"

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

}  // namespace
}  // namespace inrapport
