// The stratified national estimate on hand-made inputs, with the arithmetic
// written out next to the assertions.
#include "common/burden/national_estimate.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

// Three SKR groups must report a quarterly duty: A1 (3 municipalities), B3
// (23) and C8 (35); two municipalities of each reported.
EstimateInput ThreeGroups() {
  EstimateInput input;
  input.duty_id = "ivo-q";
  input.frequency = Frequency::kQuarterly;
  input.expected_per_group = {{"A1", 3}, {"B3", 23}, {"C8", 35}};
  input.group_names = {{"A1", "Storstäder"}, {"B3", "Större stad"},
                       {"C8", "Landsbygdskommun"}, {"C9", "Landsbygdskommun med besöksnäring"}};
  input.measured = {
      {"0180", "A1", 4, 800},  // 200 min a report
      {"1480", "A1", 2, 300},  // 150
      {"0380", "B3", 4, 240},  // 60
      {"1283", "B3", 4, 400},  // 100
      {"2418", "C8", 1, 30},   // 30
      {"2401", "C8", 2, 80},   // 40
  };
  input.distinct_years = 1;
  input.first_period = "2025Q1";
  input.last_period = "2025Q2";
  return input;
}

EstimateOptions Options() {
  EstimateOptions options;
  options.tariff_sek_per_hour = 600;
  return options;
}

TEST(NationalEstimateTest, PointEstimateWeighsEachGroupByItsSize) {
  const NationalEstimate e = EstimateNational(ThreeGroups(), Options());
  ASSERT_TRUE(e.estimable) << e.not_estimable_reason;
  // Group means of the municipalities' means: A1 (200+150)/2 = 175,
  // B3 (60+100)/2 = 80, C8 (30+40)/2 = 35.
  // 3 x 175 + 23 x 80 + 35 x 35 = 525 + 1 840 + 1 225 = 3 590 minutes a
  // quarter; x 4 = 14 360 minutes a year = 239.33 hours; x 600 = 143 600 SEK.
  EXPECT_DOUBLE_EQ(e.hours_per_year, 14360.0 / 60.0);
  EXPECT_DOUBLE_EQ(e.cost_sek_per_year, 143600.0);
  EXPECT_EQ(e.reports, 17);
  EXPECT_EQ(e.municipalities, 6);
  EXPECT_EQ(e.expected_municipalities, 61);
  EXPECT_EQ(e.groups_covered, 3);
  EXPECT_EQ(e.groups_expected, 3);
  EXPECT_EQ(e.groups_with_one_municipality, 0);
  EXPECT_EQ(e.first_period, "2025Q1");
  EXPECT_EQ(e.last_period, "2025Q2");
  EXPECT_DOUBLE_EQ(e.reports_per_municipality_per_year, 4.0);
  EXPECT_EQ(e.yearly_count_basis, "fixed by the frequency: quarterly, 4 a year");
  EXPECT_EQ(e.yearly_count_basis_sv, "given av frekvensen: 4 inrapporteringar per år");
  EXPECT_TRUE(e.not_estimable_reason.empty());
  // The unit, the time basis and the basis, for a reader of the figure alone.
  EXPECT_EQ(e.basis,
            "staff hours per year over the 61 municipalities that must report; from 17 reports "
            "by 6 municipalities in 3 of 3 SKR groups, periods 2025Q1..2025Q2; reports a year: "
            "fixed by the frequency: quarterly, 4 a year");
  EXPECT_EQ(e.basis_sv,
            "arbetstimmar per år för de 61 kommuner som ska rapportera; från 17 "
            "inrapporteringar av 6 kommuner i 3 av 3 kommungrupper, perioderna "
            "2025Q1..2025Q2; antal per år: given av frekvensen: 4 inrapporteringar per år");
}

TEST(NationalEstimateTest, EachMunicipalityCountsOnceWithinItsGroupWhateverItsReports) {
  // A municipality's mean, not its reports, enters its group's mean: with
  // forty reports of 200 minutes, 0180 still weighs in A1 as much as 1480
  // with two of 150, and A1 stays (200 + 150) / 2 = 175. (Pooled by report
  // it would be (8 000 + 300) / 42 = 197.6: one busy municipality would
  // stand for its group.)
  EstimateInput input = ThreeGroups();
  input.measured[0].reports = 40;
  input.measured[0].minutes = 8000;  // still 200 a report
  EXPECT_DOUBLE_EQ(EstimateNational(input, Options()).hours_per_year, 14360.0 / 60.0);
}

TEST(NationalEstimateTest, IntervalContainsThePointAndStaysInsideTheResamplesRange) {
  const NationalEstimate e = EstimateNational(ThreeGroups(), Options());
  ASSERT_TRUE(e.estimable);
  EXPECT_LE(e.hours_per_year_low, e.hours_per_year);
  EXPECT_GE(e.hours_per_year_high, e.hours_per_year);
  EXPECT_LT(e.hours_per_year_low, e.hours_per_year_high) << "the groups vary";
  // No resample can go below every group's smallest mean
  // (3 x 150 + 23 x 60 + 35 x 30) x 4 / 60 = 192 h, or above the largest
  // (3 x 200 + 23 x 100 + 35 x 40) x 4 / 60 = 286.67 h.
  EXPECT_GE(e.hours_per_year_low, 192.0);
  EXPECT_LE(e.hours_per_year_high, 4300.0 * 4 / 60);
  EXPECT_DOUBLE_EQ(e.cost_sek_per_year_low, e.hours_per_year_low * 600);
  EXPECT_DOUBLE_EQ(e.cost_sek_per_year_high, e.hours_per_year_high * 600);
}

TEST(NationalEstimateTest, SameDataGivesTheSameIntervalEveryRun) {
  const NationalEstimate first = EstimateNational(ThreeGroups(), Options());
  const NationalEstimate second = EstimateNational(ThreeGroups(), Options());
  EXPECT_EQ(first.hours_per_year_low, second.hours_per_year_low);
  EXPECT_EQ(first.hours_per_year_high, second.hours_per_year_high);
  // The seed is the duty id's stable hash: another id draws other samples.
  // (With more municipalities, so that the percentiles are not the same
  // few possible sums.)
  EstimateInput more = ThreeGroups();
  for (int i = 0; i < 8; ++i) {
    more.measured.push_back({"x", "B3", 1, 61 + 7 * i});
    more.measured.push_back({"y", "C8", 1, 31 + 3 * i});
  }
  EstimateInput other = more;
  other.duty_id = "scb-a";
  const NationalEstimate base = EstimateNational(more, Options());
  const NationalEstimate third = EstimateNational(other, Options());
  EXPECT_EQ(third.hours_per_year, base.hours_per_year);
  EXPECT_TRUE(third.hours_per_year_low != base.hours_per_year_low ||
              third.hours_per_year_high != base.hours_per_year_high);
}

TEST(NationalEstimateTest, IntervalIsPinnedForItsSeed) {
  // The draws depend only on the seed (FNV-1a of "ivo-q"), std::mt19937_64
  // and a modulo, so these are the figures on every machine. Both ends are
  // resample totals: 202 h = (3 x 200 + 23 x 60 + 35 x 30) x 4 / 60 and
  // 281.67 h = (3 x 175 + 23 x 100 + 35 x 40) x 4 / 60. A change here
  // means the bootstrap draws differently, and published intervals move.
  const NationalEstimate e = EstimateNational(ThreeGroups(), Options());
  EXPECT_DOUBLE_EQ(e.hours_per_year_low, 202.0);
  EXPECT_DOUBLE_EQ(e.hours_per_year_high, 4225.0 * 4 / 60);
  EXPECT_DOUBLE_EQ(e.cost_sek_per_year_low, 202.0 * 600);
}

TEST(NationalEstimateTest, SeedIsFnv1aAndDoesNotDependOnTheBuild) {
  // FNV-1a 64-bit reference values.
  EXPECT_EQ(StableSeed(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(StableSeed("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(StableSeed("foobar"), 0x85944171f73967e8ull);
}

TEST(NationalEstimateTest, TooFewMunicipalitiesIsNotEstimable) {
  EstimateInput input = ThreeGroups();
  input.measured.resize(4);  // A1 and B3 only: 4 municipalities
  input.expected_per_group = {{"A1", 3}, {"B3", 23}};
  const NationalEstimate e = EstimateNational(input, Options());
  EXPECT_FALSE(e.estimable);
  EXPECT_EQ(e.hours_per_year, 0.0);
  EXPECT_EQ(e.hours_per_year_high, 0.0);
  EXPECT_EQ(e.cost_sek_per_year, 0.0);
  EXPECT_EQ(e.not_estimable_reason, "4 municipalities of 26 reported; at least 5 are needed");
  EXPECT_EQ(e.not_estimable_reason_sv, "4 av 26 kommuner har rapporterat; minst 5 behövs");
  // The basis is still told.
  EXPECT_EQ(e.municipalities, 4);
  EXPECT_EQ(e.reports, 14);

  EstimateOptions lower = Options();
  lower.min_municipalities = 4;
  EXPECT_TRUE(EstimateNational(input, lower).estimable);
}

// A duty that only three municipalities must report (a targeted grant to
// A1's three): the minimum of five cannot be met, so all three are needed,
// and with all three the figure is a sum, not an extrapolation.
TEST(NationalEstimateTest, ADutyOfFewerRespondentsThanTheMinimumNeedsThemAll) {
  EstimateInput input = ThreeGroups();
  input.expected_per_group = {{"A1", 3}};
  input.measured = {{"0180", "A1", 4, 800}, {"1480", "A1", 2, 300}};  // 200 and 150 a report
  NationalEstimate e = EstimateNational(input, Options());
  EXPECT_FALSE(e.estimable);
  EXPECT_EQ(e.not_estimable_reason, "2 municipalities of 3 reported; at least 3 are needed");
  EXPECT_EQ(e.not_estimable_reason_sv, "2 av 3 kommuner har rapporterat; minst 3 behövs");

  input.measured.push_back({"1280", "A1", 4, 1000});  // 250 a report
  e = EstimateNational(input, Options());
  ASSERT_TRUE(e.estimable) << e.not_estimable_reason;
  // ȳ = (200 + 150 + 250) / 3 = 200; 3 x 200 = 600 minutes a quarter,
  // x 4 = 2 400 minutes = 40 hours a year, x 600 = 24 000 SEK.
  EXPECT_DOUBLE_EQ(e.hours_per_year, 40.0);
  EXPECT_DOUBLE_EQ(e.cost_sek_per_year, 24000.0);
  EXPECT_EQ(e.expected_municipalities, 3);
  EXPECT_EQ(e.municipalities, 3);
  EXPECT_THAT(e.basis_sv, ::testing::StartsWith(
                              "arbetstimmar per år för de 3 kommuner som ska rapportera; "));
}

TEST(NationalEstimateTest, AGroupWithoutReportsIsNotEstimableAndNamed) {
  EstimateInput input = ThreeGroups();
  input.expected_per_group["C9"] = 21;
  const NationalEstimate e = EstimateNational(input, Options());
  EXPECT_FALSE(e.estimable);
  EXPECT_EQ(e.hours_per_year, 0.0);
  EXPECT_EQ(e.groups_covered, 3);
  EXPECT_EQ(e.groups_expected, 4);
  EXPECT_EQ(e.not_estimable_reason,
            "1 of 4 municipality groups has no reports: "
            "Landsbygdskommun med besöksnäring (C9)");
  EXPECT_EQ(e.not_estimable_reason_sv,
            "1 av 4 kommungrupper saknar inrapporteringar: "
            "Landsbygdskommun med besöksnäring (C9)");
}

TEST(NationalEstimateTest, AnAdHocDutyUsesTheRateObservedOverItsYears) {
  // Ad hoc, two groups: A1 (3 municipalities), B3 (23). Five municipalities
  // reported over two calendar years:
  //   A1 0180 3 reports 300 min (100 a report), 1480 1 report 60 (60)
  //   B3 0380 2 reports  40 (20), 1283 1 report 30 (30), 0580 1 report 10 (10)
  // Reports a year r = 8 / (5 municipalities x 2 years) = 0.8.
  // Group means: A1 (100 + 60) / 2 = 80, B3 (20 + 30 + 10) / 3 = 20.
  // 3 x 80 + 23 x 20 = 700 minutes a report round; x 0.8 = 560 minutes a
  // year = 9.33 hours; x 600 = 5 600 SEK.
  EstimateInput input;
  input.duty_id = "adhoc-two-years";
  input.frequency = Frequency::kAdHoc;
  input.expected_per_group = {{"A1", 3}, {"B3", 23}};
  input.measured = {{"0180", "A1", 3, 300},
                    {"1480", "A1", 1, 60},
                    {"0380", "B3", 2, 40},
                    {"1283", "B3", 1, 30},
                    {"0580", "B3", 1, 10}};
  input.distinct_years = 2;
  input.first_period = "2024-02-01";
  input.last_period = "2025-11-30";
  const NationalEstimate e = EstimateNational(input, Options());
  ASSERT_TRUE(e.estimable) << e.not_estimable_reason;
  EXPECT_DOUBLE_EQ(e.reports_per_municipality_per_year, 0.8);
  EXPECT_DOUBLE_EQ(e.hours_per_year, 560.0 / 60);
  EXPECT_DOUBLE_EQ(e.cost_sek_per_year, 5600.0);
  EXPECT_EQ(e.yearly_count_basis,
            "observed (ad hoc): 8 reports / (5 municipalities x 2 calendar years) = 0.80 a year");
  EXPECT_EQ(e.yearly_count_basis_sv,
            "observerad (vid behov): 8 inrapporteringar / (5 kommuner x 2 kalenderår) = 0,80 "
            "per år");
  EXPECT_EQ(e.basis,
            "staff hours per year over the 26 municipalities that must report; from 8 reports by "
            "5 municipalities in 2 of 2 SKR groups, periods 2024-02-01..2025-11-30; reports a "
            "year: observed (ad hoc): 8 reports / (5 municipalities x 2 calendar years) = 0.80 "
            "a year");
  EXPECT_LE(e.hours_per_year_low, e.hours_per_year);
  EXPECT_GE(e.hours_per_year_high, e.hours_per_year);
}

TEST(NationalEstimateTest, OneAdHocReportOf300MinutesIsNotExtrapolated) {
  // The old estimate made 300 min x 1 a year x 290 / 60 = 1 450 hours of it.
  EstimateInput input;
  input.duty_id = "adhoc";
  input.frequency = Frequency::kAdHoc;
  input.expected_per_group = {{"A1", 3},  {"A2", 43}, {"B3", 23}, {"B4", 63}, {"B5", 24},
                              {"C6", 27}, {"C7", 51}, {"C8", 35}, {"C9", 21}};
  input.measured = {{"0180", "A1", 1, 300}};
  input.distinct_years = 1;
  input.first_period = "2025-03-01";
  input.last_period = "2025-03-01";
  const NationalEstimate e = EstimateNational(input, Options());
  EXPECT_FALSE(e.estimable);
  EXPECT_EQ(e.hours_per_year, 0.0);
  EXPECT_EQ(e.hours_per_year_high, 0.0);
  EXPECT_EQ(e.expected_municipalities, 290);
  EXPECT_EQ(e.groups_covered, 1);
  EXPECT_EQ(e.groups_expected, 9);
  EXPECT_DOUBLE_EQ(e.reports_per_municipality_per_year, 1.0);
  EXPECT_EQ(e.yearly_count_basis,
            "observed (ad hoc): 1 report / (1 municipality x 1 calendar year) = 1.00 a year");
  EXPECT_EQ(e.not_estimable_reason.rfind("1 municipality of 290 reported; at least 5", 0), 0u)
      << e.not_estimable_reason;
  EXPECT_NE(e.not_estimable_reason_sv.find("8 av 9 kommungrupper saknar inrapporteringar"),
            std::string::npos)
      << e.not_estimable_reason_sv;
  // What was measured is still told, marked by the reason.
  EXPECT_EQ(e.basis,
            "staff hours per year over the 290 municipalities that must report; from 1 report by "
            "1 municipality in 1 of 9 SKR groups (1 of them with one municipality, which adds no "
            "spread to the interval), period 2025-03-01; reports a year: observed (ad hoc): 1 "
            "report / (1 municipality x 1 calendar year) = 1.00 a year");
  EXPECT_EQ(e.groups_with_one_municipality, 1);
}

TEST(NationalEstimateTest, WithoutReportsThereIsNothingToEstimate) {
  EstimateInput input = ThreeGroups();
  input.measured.clear();
  input.first_period.clear();
  input.last_period.clear();
  const NationalEstimate e = EstimateNational(input, Options());
  EXPECT_FALSE(e.estimable);
  EXPECT_EQ(e.reports, 0);
  EXPECT_EQ(e.not_estimable_reason,
            "0 municipalities of 61 reported; at least 5 are needed; 3 of 3 municipality groups "
            "have no reports: Storstäder (A1), Större stad (B3), Landsbygdskommun (C8)");
  EXPECT_EQ(e.basis,
            "staff hours per year over the 61 municipalities that must report; no reports "
            "measured; reports a year: fixed by the frequency: quarterly, 4 a year");
}

}  // namespace
}  // namespace inrapport
