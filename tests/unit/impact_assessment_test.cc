// The impact assessment of a proposal on hand-made duties in force, with
// the arithmetic written out next to the assertions (docs/lifecycle.md works
// the first example through).
#include "common/impact/impact_assessment.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A quarterly school proposal asking for three data items, to be reported
// by A1 (3 municipalities), B3 (20) and C8 (30): N = 53.
ImpactInput SchoolProposal() {
  ImpactInput input;
  input.proposal.id = "skolv-new";
  input.proposal.agency_id = "skolv";
  input.proposal.title = "Frånvaro per skola";
  input.proposal.sector = Sector::kSchool;
  input.proposal.frequency = Frequency::kQuarterly;
  input.proposal.data_items = {"Pupils", "Teachers", "Absence days"};
  input.expected_per_group = {{"A1", 3}, {"B3", 20}, {"C8", 30}};
  input.group_names = {{"A1", "Storstäder"}, {"B3", "Större stad"}, {"C8", "Landsbygdskommun"}};
  return input;
}

ImpactCandidate Candidate(std::string id, Sector sector, Frequency frequency,
                          std::vector<std::string> items,
                          std::vector<EstimateInput::Measured> measured) {
  ImpactCandidate c;
  c.duty_id = std::move(id);
  c.agency_id = "skolv";
  c.title = c.duty_id;
  c.sector = sector;
  c.frequency = frequency;
  c.data_items = std::move(items);
  c.measured = std::move(measured);
  c.distinct_years = 1;
  c.first_period = "2025Q1";
  c.last_period = "2025Q1";
  return c;
}

// X: items {pupils, teachers, meals_served}; with the proposal's {pupils,
// teachers, absence_days}: 2 shared of 4 in all, similarity 0.5.
ImpactCandidate X() {
  ImpactCandidate x = Candidate("skolv-x", Sector::kSchool, Frequency::kQuarterly,
                                {"pupils", "Teachers ", "Meals served"},
                                {
                                    {"0180", "A1", 2, 240},  // 120 min a report
                                    {"0380", "B3", 2, 120},  // 60
                                    {"2418", "C8", 1, 30},   // 30
                                });
  x.first_period = "2025Q1";
  x.last_period = "2025Q2";
  return x;
}

// Z: items {pupils, grades}: 1 shared of 4 in all, similarity 0.25, just
// at the threshold.
ImpactCandidate Z() {
  ImpactCandidate z =
      Candidate("skolv-z", Sector::kSchool, Frequency::kQuarterly, {"PUPILS", "grades", "  "},
                {
                    {"0180", "A1", 2, 160},  // 80, pooled with X's 0180
                    {"1480", "A1", 1, 140},  // 140
                    {"2401", "C8", 2, 100},  // 50
                    {"1283", "B3", 1, 40},   // 40
                });
  z.first_period = "2024Q3";
  z.last_period = "2025Q1";
  return z;
}

// Not comparable, each for one reason.
std::vector<ImpactCandidate> NotComparable() {
  return {
      // Y: {bus_routes}, nothing shared: similarity 0.
      Candidate("skolv-y", Sector::kSchool, Frequency::kQuarterly, {"Bus routes"},
                {{"0180", "A1", 4, 4000}}),
      // W: the proposal's very items, but annual.
      Candidate("skolv-w", Sector::kSchool, Frequency::kAnnual,
                {"Pupils", "Teachers", "Absence days"}, {{"0180", "A1", 4, 4000}}),
      // V: the same items and frequency, but social services.
      Candidate("sos-v", Sector::kSocialServices, Frequency::kQuarterly,
                {"Pupils", "Teachers", "Absence days"}, {{"0180", "A1", 4, 4000}}),
      // U: the same items, but nothing measured.
      Candidate("skolv-u", Sector::kSchool, Frequency::kQuarterly,
                {"Pupils", "Teachers", "Absence days"}, {{"0180", "A1", 0, 0}}),
  };
}

ImpactOptions Options(int min_municipalities = 2) {
  ImpactOptions options;
  options.min_similarity = 0.25;
  options.estimate.min_municipalities = min_municipalities;
  options.estimate.tariff_sek_per_hour = 600;
  return options;
}

TEST(ImpactAssessmentTest, ForecastsFromPooledReportsOfComparableDuties) {
  ImpactInput input = SchoolProposal();
  input.proposal.estimated_minutes_per_report = 999;  // not used: comparables measured
  Flag flag;
  flag.code = "NO_STATED_PURPOSE";
  flag.reason = "no purpose";
  input.proposal.flags = {flag};
  input.in_force = NotComparable();
  input.in_force.push_back(Z());
  input.in_force.push_back(X());

  const ImpactAssessment a = AssessImpact(input, Options());
  EXPECT_THAT(a.flags, ElementsAre(flag));
  const BurdenForecast& f = a.forecast;
  ASSERT_EQ(f.source, BurdenForecast::Source::kComparableDuties) << f.basis;

  // Most similar first: X (0.5), then Z (0.25).
  ASSERT_EQ(f.comparables.size(), 2u);
  EXPECT_EQ(f.comparables[0].duty_id, "skolv-x");
  EXPECT_DOUBLE_EQ(f.comparables[0].similarity, 0.5);
  EXPECT_THAT(f.comparables[0].shared_items, ElementsAre("pupils", "teachers"));
  EXPECT_EQ(f.comparables[0].reports, 5);
  EXPECT_EQ(f.comparables[0].municipalities, 3);
  EXPECT_DOUBLE_EQ(f.comparables[0].minutes_per_report, 390.0 / 5);  // 78
  EXPECT_EQ(f.comparables[1].duty_id, "skolv-z");
  EXPECT_DOUBLE_EQ(f.comparables[1].similarity, 0.25);
  EXPECT_THAT(f.comparables[1].shared_items, ElementsAre("pupils"));
  EXPECT_EQ(f.comparables[1].reports, 6);
  EXPECT_EQ(f.comparables[1].municipalities, 4);
  EXPECT_DOUBLE_EQ(f.comparables[1].minutes_per_report, 440.0 / 6);

  // Pooled per municipality: 0180 has 2 + 2 = 4 reports of 240 + 160 = 400
  // minutes (100 a report); 1480 140; 0380 60; 1283 40; 2418 30; 2401 50.
  // 11 reports by 6 municipalities.
  EXPECT_EQ(f.reports, 11);
  EXPECT_EQ(f.municipalities, 6);
  // Group means: A1 (100 + 140) / 2 = 120, B3 (60 + 40) / 2 = 50,
  // C8 (30 + 50) / 2 = 40. 3 x 120 + 20 x 50 + 30 x 40 = 360 + 1 000 +
  // 1 200 = 2 560 minutes a quarter; x 4 = 10 240 minutes a year =
  // 170.67 hours; x 600 = 102 400 SEK.
  EXPECT_DOUBLE_EQ(f.reports_per_municipality_per_year, 4);
  EXPECT_NEAR(f.hours_per_year, 10240.0 / 60, 1e-9);
  EXPECT_NEAR(f.cost_sek_per_year, 102400.0, 1e-6);
  EXPECT_LE(f.hours_per_year_low, f.hours_per_year);
  EXPECT_GE(f.hours_per_year_high, f.hours_per_year);
  EXPECT_LT(f.hours_per_year_low, f.hours_per_year_high);  // the groups have spread
  // The bootstrap is seeded with the proposal's id and draws the same on
  // every machine: docs/lifecycle.md quotes this interval.
  EXPECT_NEAR(f.hours_per_year_low, 137.333, 1e-3);
  EXPECT_NEAR(f.hours_per_year_high, 200.2, 1e-3);
  EXPECT_NEAR(f.cost_sek_per_year_low, f.hours_per_year_low * 600, 1e-6);
  EXPECT_NEAR(f.cost_sek_per_year_high, f.hours_per_year_high * 600, 1e-6);
  // Minutes a report: 10 240 / (4 x 53) = 48.30.
  EXPECT_NEAR(f.minutes_per_report, 10240.0 / 212, 1e-9);
  EXPECT_NEAR(f.minutes_per_report_low, f.hours_per_year_low * 60 / 212, 1e-9);
  EXPECT_NEAR(f.minutes_per_report_high, f.hours_per_year_high * 60 / 212, 1e-9);

  // Per group: hours = 4 x N_g x mean / 60.
  ASSERT_EQ(f.by_group.size(), 3u);
  EXPECT_EQ(f.by_group[0].group, "A1");
  EXPECT_EQ(f.by_group[0].name, "Storstäder");
  EXPECT_EQ(f.by_group[0].expected_municipalities, 3);
  EXPECT_EQ(f.by_group[0].measured_municipalities, 2);
  EXPECT_EQ(f.by_group[0].reports, 5);  // 0180's 4, 1480's 1
  EXPECT_NEAR(f.by_group[0].minutes_per_report, 120, 1e-9);
  EXPECT_NEAR(f.by_group[0].hours_per_year, 24, 1e-9);  // 4 x 3 x 120 / 60
  EXPECT_EQ(f.by_group[1].group, "B3");
  EXPECT_EQ(f.by_group[1].measured_municipalities, 2);
  EXPECT_EQ(f.by_group[1].reports, 3);
  EXPECT_NEAR(f.by_group[1].minutes_per_report, 50, 1e-9);
  EXPECT_NEAR(f.by_group[1].hours_per_year, 4000.0 / 60, 1e-9);  // 4 x 20 x 50 / 60
  EXPECT_EQ(f.by_group[2].group, "C8");
  EXPECT_EQ(f.by_group[2].measured_municipalities, 2);
  EXPECT_EQ(f.by_group[2].reports, 3);
  EXPECT_NEAR(f.by_group[2].minutes_per_report, 40, 1e-9);
  EXPECT_NEAR(f.by_group[2].hours_per_year, 80, 1e-9);  // 4 x 30 x 40 / 60

  EXPECT_EQ(f.basis,
            "staff hours per year over the 53 municipalities that would report; from 11 reports "
            "by 6 municipalities of 2 comparable duties in force (skolv-x, skolv-z); estimated "
            "as for a duty in force: staff hours per year over the 53 municipalities that must "
            "report; from 11 reports by 6 municipalities in 3 of 3 SKR groups, periods "
            "2024Q3..2025Q2; reports a year: fixed by the frequency: quarterly, 4 a year");
  EXPECT_EQ(f.basis_sv,
            "personaltimmar per år i de 53 kommuner som skulle rapportera; från 11 "
            "inrapporteringar av 6 kommuner för 2 jämförbara gällande uppgiftskrav (skolv-x, "
            "skolv-z); skattat som för ett gällande uppgiftskrav: arbetstimmar per år för de 53 "
            "kommuner som ska rapportera; från 11 inrapporteringar av 6 kommuner i 3 av 3 "
            "kommungrupper, perioderna 2024Q3..2025Q2; antal per år: given av frekvensen: 4 "
            "inrapporteringar per år");
}

TEST(ImpactAssessmentTest, SameInputGivesTheSameInterval) {
  ImpactInput input = SchoolProposal();
  input.in_force = {X(), Z()};
  const BurdenForecast a = AssessImpact(input, Options()).forecast;
  input.in_force = {Z(), X()};  // the order of the duties in force does not matter
  const BurdenForecast b = AssessImpact(input, Options()).forecast;
  EXPECT_EQ(a.hours_per_year_low, b.hours_per_year_low);
  EXPECT_EQ(a.hours_per_year_high, b.hours_per_year_high);
  EXPECT_EQ(a.basis, b.basis);
}

TEST(ImpactAssessmentTest, EqualSimilaritiesAreOrderedById) {
  ImpactInput input = SchoolProposal();
  ImpactCandidate b = X();
  b.duty_id = "skolv-b";
  ImpactCandidate a = X();
  a.duty_id = "skolv-a";
  input.in_force = {b, a};
  const BurdenForecast f = AssessImpact(input, Options()).forecast;
  ASSERT_EQ(f.comparables.size(), 2u);
  EXPECT_EQ(f.comparables[0].duty_id, "skolv-a");
  EXPECT_EQ(f.comparables[1].duty_id, "skolv-b");
}

TEST(ImpactAssessmentTest, SimilarityBelowTheThresholdIsNotComparable) {
  ImpactInput input = SchoolProposal();
  input.in_force = {Z()};  // 0.25
  ImpactOptions options = Options();
  options.min_similarity = 0.3;
  const BurdenForecast f = AssessImpact(input, options).forecast;
  EXPECT_THAT(f.comparables, IsEmpty());
  EXPECT_EQ(f.source, BurdenForecast::Source::kNotEstimable);
}

TEST(ImpactAssessmentTest, PoolsAMunicipalityThatReportedTwoComparablesIntoOne) {
  // One group, A1, of 2 municipalities. 0180 reported X once in 200 minutes
  // and Z three times in 120; 1480 reported X twice in 120.
  ImpactInput input = SchoolProposal();
  input.expected_per_group = {{"A1", 2}};
  ImpactCandidate x = X();
  x.measured = {{"0180", "A1", 1, 200}, {"1480", "A1", 2, 120}};
  ImpactCandidate z = Z();
  z.measured = {{"0180", "A1", 3, 120}};
  input.in_force = {x, z};

  const BurdenForecast f = AssessImpact(input, Options()).forecast;
  ASSERT_EQ(f.source, BurdenForecast::Source::kComparableDuties) << f.basis;
  // Pooled, 0180 is one municipality of 4 reports and 320 minutes, 80 a
  // report; 1480 is 60. A1's mean (80 + 60) / 2 = 70; 4 x 2 x 70 / 60 =
  // 9.33 hours. (Unpooled, 0180 would count twice: (200 + 40 + 60) / 3 =
  // 100, 13.33 hours, by 3 municipalities.)
  EXPECT_EQ(f.municipalities, 2);
  EXPECT_EQ(f.reports, 6);
  EXPECT_NEAR(f.hours_per_year, 4 * 2 * 70 / 60.0, 1e-9);
  EXPECT_NEAR(f.minutes_per_report, 70, 1e-9);  // 9.33 x 60 / (4 x 2)
  ASSERT_EQ(f.by_group.size(), 1u);
  EXPECT_EQ(f.by_group[0].measured_municipalities, 2);
  EXPECT_EQ(f.by_group[0].reports, 6);
  EXPECT_NEAR(f.by_group[0].minutes_per_report, 70, 1e-9);
  EXPECT_THAT(f.basis, HasSubstr("from 6 reports by 2 municipalities of 2 comparable duties"));
}

TEST(ImpactAssessmentTest, UsesTheAgencyEstimateWhenNothingComparableWasMeasured) {
  ImpactInput input = SchoolProposal();
  input.proposal.estimated_minutes_per_report = 45;
  input.in_force = NotComparable();

  const BurdenForecast f = AssessImpact(input, Options()).forecast;
  ASSERT_EQ(f.source, BurdenForecast::Source::kAgencyEstimate);
  EXPECT_THAT(f.comparables, IsEmpty());
  EXPECT_EQ(f.reports, 0);
  EXPECT_EQ(f.municipalities, 0);
  // 45 minutes x 4 a year x 53 municipalities / 60 = 159 hours; x 600 =
  // 95 400 SEK. No interval: low = high = the estimate.
  EXPECT_DOUBLE_EQ(f.minutes_per_report, 45);
  EXPECT_DOUBLE_EQ(f.minutes_per_report_low, 45);
  EXPECT_DOUBLE_EQ(f.minutes_per_report_high, 45);
  EXPECT_DOUBLE_EQ(f.reports_per_municipality_per_year, 4);
  EXPECT_NEAR(f.hours_per_year, 159, 1e-9);
  EXPECT_NEAR(f.hours_per_year_low, 159, 1e-9);
  EXPECT_NEAR(f.hours_per_year_high, 159, 1e-9);
  EXPECT_NEAR(f.cost_sek_per_year, 95400, 1e-6);
  EXPECT_NEAR(f.cost_sek_per_year_low, 95400, 1e-6);
  EXPECT_NEAR(f.cost_sek_per_year_high, 95400, 1e-6);
  // Per group: 45 x 4 x N_g / 60 = 3 x N_g: A1 9, B3 60, C8 90.
  ASSERT_EQ(f.by_group.size(), 3u);
  EXPECT_EQ(f.by_group[0].group, "A1");
  EXPECT_EQ(f.by_group[0].measured_municipalities, 0);
  EXPECT_DOUBLE_EQ(f.by_group[0].minutes_per_report, 45);
  EXPECT_NEAR(f.by_group[0].hours_per_year, 9, 1e-9);
  EXPECT_NEAR(f.by_group[1].hours_per_year, 60, 1e-9);
  EXPECT_NEAR(f.by_group[2].hours_per_year, 90, 1e-9);
  EXPECT_EQ(f.basis,
            "staff hours per year over the 53 municipalities that would report; the agency's "
            "own estimate of 45 minutes a report, 4 reports a year (quarterly), not measured: "
            "no duty in force of the same sector and frequency with similar data items has "
            "measured reports");
  EXPECT_EQ(f.basis_sv,
            "personaltimmar per år i de 53 kommuner som skulle rapportera; myndighetens egen "
            "uppskattning på 45 minuter per inrapportering, 4 inrapporteringar per år, inte "
            "uppmätt: inget gällande uppgiftskrav inom samma sektor, med samma frekvens och med "
            "liknande uppgifter har uppmätta inrapporteringar");
}

TEST(ImpactAssessmentTest, ThinComparablesFallBackToTheAgencyEstimateWithTheReason) {
  // X alone: 3 municipalities reported, 5 are needed.
  ImpactInput input = SchoolProposal();
  input.proposal.estimated_minutes_per_report = 12.5;
  input.in_force = {X()};

  const BurdenForecast f = AssessImpact(input, Options(/*min_municipalities=*/5)).forecast;
  ASSERT_EQ(f.source, BurdenForecast::Source::kAgencyEstimate);
  // The comparable is still listed, with its own figures.
  ASSERT_EQ(f.comparables.size(), 1u);
  EXPECT_EQ(f.comparables[0].duty_id, "skolv-x");
  EXPECT_EQ(f.comparables[0].reports, 5);
  EXPECT_DOUBLE_EQ(f.comparables[0].minutes_per_report, 78);
  // 12.5 x 4 x 53 / 60 = 44.17 hours.
  EXPECT_DOUBLE_EQ(f.minutes_per_report, 12.5);
  EXPECT_NEAR(f.hours_per_year, 12.5 * 4 * 53 / 60, 1e-9);
  EXPECT_NEAR(f.cost_sek_per_year, 12.5 * 4 * 53 / 60 * 600, 1e-6);
  for (const GroupForecast& g : f.by_group) EXPECT_EQ(g.measured_municipalities, 0) << g.group;
  EXPECT_THAT(f.basis, HasSubstr("the agency's own estimate of 12.5 minutes a report"));
  EXPECT_THAT(f.basis, HasSubstr("the reports of the 1 comparable duty in force (skolv-x) are "
                                 "too thin a basis: 3 municipalities of 53 reported; at least 5 "
                                 "are needed"));
  EXPECT_THAT(f.basis_sv, HasSubstr("12,5 minuter per inrapportering"));
  EXPECT_THAT(f.basis_sv, HasSubstr("1 jämförbart gällande uppgiftskrav (skolv-x) är för tunt "
                                    "underlag: 3 av 53 kommuner har rapporterat; minst 5 behövs"));
}

TEST(ImpactAssessmentTest, NotEstimableWithoutComparablesOrAnAgencyEstimate) {
  ImpactInput input = SchoolProposal();
  input.in_force = NotComparable();
  const BurdenForecast f = AssessImpact(input, Options()).forecast;
  EXPECT_EQ(f.source, BurdenForecast::Source::kNotEstimable);
  EXPECT_EQ(f.minutes_per_report, 0);
  EXPECT_EQ(f.hours_per_year, 0);
  EXPECT_EQ(f.hours_per_year_high, 0);
  EXPECT_EQ(f.cost_sek_per_year, 0);
  EXPECT_EQ(f.reports_per_municipality_per_year, 0);
  EXPECT_THAT(f.by_group, IsEmpty());
  EXPECT_EQ(f.basis,
            "not estimable: no duty in force of the same sector and frequency with similar data "
            "items has measured reports; the agency gave no estimate of the minutes a report "
            "takes");
  EXPECT_EQ(f.basis_sv,
            "kan inte skattas: inget gällande uppgiftskrav inom samma sektor, med samma frekvens "
            "och med liknande uppgifter har uppmätta inrapporteringar; myndigheten har inte "
            "uppskattat hur många minuter en inrapportering tar");
}

TEST(ImpactAssessmentTest, AnAdHocAgencyEstimateCannotBeMadeYearly) {
  ImpactInput input = SchoolProposal();
  input.proposal.frequency = Frequency::kAdHoc;
  input.proposal.estimated_minutes_per_report = 30;
  const BurdenForecast f = AssessImpact(input, Options()).forecast;
  EXPECT_EQ(f.source, BurdenForecast::Source::kNotEstimable);
  EXPECT_EQ(f.hours_per_year, 0);
  EXPECT_EQ(f.minutes_per_report, 0);
  EXPECT_THAT(f.basis, HasSubstr("the agency's estimate of 30 minutes a report cannot be made "
                                 "yearly: the frequency ad_hoc fixes no number of reports a "
                                 "year"));
  EXPECT_THAT(f.basis_sv, HasSubstr("kan inte räknas om per år"));
}

TEST(ImpactAssessmentTest, EmptyDataItemsAreNotSimilar) {
  ImpactInput input = SchoolProposal();
  input.proposal.data_items = {" ", ""};
  ImpactCandidate x = X();
  x.data_items = {};
  input.in_force = {x};
  ImpactOptions options = Options();
  options.min_similarity = 0;  // 0 >= 0: comparable, at similarity 0
  BurdenForecast f = AssessImpact(input, options).forecast;
  ASSERT_EQ(f.comparables.size(), 1u);
  EXPECT_EQ(f.comparables[0].similarity, 0);
  EXPECT_THAT(f.comparables[0].shared_items, IsEmpty());
  options.min_similarity = 0.01;
  f = AssessImpact(input, options).forecast;
  EXPECT_THAT(f.comparables, IsEmpty());
}

TEST(ImpactAssessmentTest, RecordOfKeepsTheFiguresAndMarksAnAgencyEstimate) {
  BurdenForecast f;
  f.source = BurdenForecast::Source::kAgencyEstimate;
  f.minutes_per_report = 45;
  f.minutes_per_report_low = 44;
  f.minutes_per_report_high = 46;
  f.hours_per_year = 159;
  f.hours_per_year_low = 150;
  f.hours_per_year_high = 170;
  f.cost_sek_per_year = 95400;
  f.basis = "the agency's own estimate";
  f.basis_sv = "myndighetens egen uppskattning";
  RecordedForecast r = RecordOf(f);
  EXPECT_EQ(r.minutes_per_report, 45);
  EXPECT_EQ(r.minutes_per_report_low, 44);
  EXPECT_EQ(r.minutes_per_report_high, 46);
  EXPECT_EQ(r.hours_per_year, 159);
  EXPECT_EQ(r.hours_per_year_low, 150);
  EXPECT_EQ(r.hours_per_year_high, 170);
  EXPECT_TRUE(r.agency_estimate);
  EXPECT_EQ(r.basis, "the agency's own estimate");

  f.source = BurdenForecast::Source::kComparableDuties;
  EXPECT_FALSE(RecordOf(f).agency_estimate);
  f.source = BurdenForecast::Source::kNotEstimable;
  EXPECT_FALSE(RecordOf(f).agency_estimate);
}

TEST(ImpactAssessmentTest, RecordOfAnAssessedForecastMatchesIt) {
  ImpactInput input = SchoolProposal();
  input.in_force = {X(), Z()};
  const BurdenForecast f = AssessImpact(input, Options()).forecast;
  ASSERT_EQ(f.source, BurdenForecast::Source::kComparableDuties);
  const RecordedForecast r = RecordOf(f);
  EXPECT_EQ(r.hours_per_year, f.hours_per_year);
  EXPECT_EQ(r.hours_per_year_low, f.hours_per_year_low);
  EXPECT_EQ(r.minutes_per_report_high, f.minutes_per_report_high);
  EXPECT_FALSE(r.agency_estimate);
  EXPECT_EQ(r.basis, f.basis);
}

}  // namespace
}  // namespace inrapport
