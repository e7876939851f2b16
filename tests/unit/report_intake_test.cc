#include "common/intake/report_intake.h"

#include <future>
#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::ExampleDuty;
using testing::ExampleReport;
using testing::FakeStore;

class ReportIntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    aggregates_ = std::move(*Aggregates::Load(store_));
    catalog_ = std::move(*DutyCatalog::Load(&store_, aggregates_.get()));
    ASSERT_TRUE(catalog_->Create(ExampleDuty()).ok());  // quarterly
    intake_ = std::make_unique<ReportIntake>(
        &store_, catalog_.get(), aggregates_.get(), &metrics_,
        [] { return absl::CivilDay(2025, 6, 15); });
  }

  int64_t TotalMinutes() { return aggregates_->burden().TotalsOf("ivo-ej-verkstallda-beslut").minutes; }

  FakeStore store_;
  std::unique_ptr<Aggregates> aggregates_;
  std::unique_ptr<DutyCatalog> catalog_;  // listens to aggregates_
  prometheus::Registry registry_;
  IntakeMetrics metrics_{registry_};
  std::unique_ptr<ReportIntake> intake_;
};

TEST_F(ReportIntakeTest, AcceptedReportIsStoredAndCounted) {
  auto results = intake_->SubmitAndWait({ExampleReport("s1")});
  ASSERT_EQ(results.size(), 1u);
  ASSERT_TRUE(results[0].ok()) << results[0].status();
  EXPECT_EQ(results[0]->outcome, SubmitOutcome::kAccepted);
  EXPECT_EQ(*store_.CountReports(), 1);
  EXPECT_EQ(TotalMinutes(), 60);
}

TEST_F(ReportIntakeTest, RetryIsDuplicateAndCountedOnce) {
  ASSERT_TRUE(intake_->SubmitAndWait({ExampleReport("s1")})[0].ok());
  auto retry = intake_->SubmitAndWait({ExampleReport("s1")});
  ASSERT_TRUE(retry[0].ok());
  EXPECT_EQ(retry[0]->outcome, SubmitOutcome::kDuplicate);
  EXPECT_EQ(TotalMinutes(), 60);
}

TEST_F(ReportIntakeTest, ConflictingRetryIsAlreadyExistsAndChangesNothing) {
  ASSERT_TRUE(intake_->SubmitAndWait({ExampleReport("s1")})[0].ok());
  auto conflict = intake_->SubmitAndWait({ExampleReport("s1", "0180",
      "ivo-ej-verkstallda-beslut", "2025Q1", 61)});
  EXPECT_EQ(conflict[0].status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(TotalMinutes(), 60);
  EXPECT_EQ(store_.GetReport("0180", "s1")->report.minutes_spent, 60);
}

TEST_F(ReportIntakeTest, UnknownDutyIsNotFoundNamingIt) {
  auto results = intake_->SubmitAndWait({ExampleReport("s1", "0180", "no-such-duty")});
  EXPECT_EQ(results[0].status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(results[0].status().message()), HasSubstr("no-such-duty"));
  EXPECT_THAT(std::string(results[0].status().message()), StartsWith("report.duty_id"));
  EXPECT_EQ(*store_.CountReports(), 0);
}

TEST_F(ReportIntakeTest, OneBadReportDoesNotStopTheOthers) {
  auto results = intake_->SubmitAndWait({
      ExampleReport("s1"),
      ExampleReport("s2", "9999"),                                          // bad code
      ExampleReport("s3", "0182", "ivo-ej-verkstallda-beslut", "2025", 10),  // wrong form
      ExampleReport("s4", "1283", "ivo-ej-verkstallda-beslut", "2025Q3", 5),  // future
      ExampleReport("s5", "1283", "ivo-ej-verkstallda-beslut", "2025Q2", 15),
  });
  ASSERT_EQ(results.size(), 5u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_THAT(std::string(results[1].status().message()), StartsWith("report.municipality_code"));
  EXPECT_THAT(std::string(results[2].status().message()), StartsWith("report.period"));
  EXPECT_THAT(std::string(results[3].status().message()), StartsWith("report.period"));
  EXPECT_TRUE(results[4].ok());
  EXPECT_EQ(*store_.CountReports(), 2);
  EXPECT_EQ(TotalMinutes(), 60 + 15);
}

TEST_F(ReportIntakeTest, PeriodIsStoredInCanonicalForm) {
  Duty weekly = ExampleDuty("weekly");
  weekly.frequency = Frequency::kWeekly;
  ASSERT_TRUE(catalog_->Create(weekly).ok());
  ASSERT_TRUE(intake_->SubmitAndWait({ExampleReport("w", "0180", "weekly", "2025-W05")})[0].ok());
  EXPECT_EQ(store_.GetReport("0180", "w")->report.period, "2025W05");
}

TEST_F(ReportIntakeTest, StoreFailureIsUnavailableAndNothingCounted) {
  store_.FailNextWrite(absl::UnavailableError("disk full"));
  auto results = intake_->SubmitAndWait({ExampleReport("s1"), ExampleReport("s2", "0182")});
  EXPECT_EQ(results[0].status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(results[1].status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(TotalMinutes(), 0);
  // The retry after the failure goes through.
  EXPECT_EQ(intake_->SubmitAndWait({ExampleReport("s1")})[0].value().outcome, SubmitOutcome::kAccepted);
}

// A batch its caller withdrew before the store began it: the valid
// reports are answered CANCELLED and neither stored nor counted; a bad one
// keeps its own answer.
TEST_F(ReportIntakeTest, WithdrawnBatchIsCancelledAndNothingCounted) {
  std::promise<ReportIntake::Results> answered;
  intake_->Submit({ExampleReport("s1"), ExampleReport("s2", "9999")},
                  [&](ReportIntake::Results results) { answered.set_value(std::move(results)); },
                  [] { return true; });
  const ReportIntake::Results results = answered.get_future().get();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(results[1].status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*store_.CountReports(), 0);
  EXPECT_EQ(TotalMinutes(), 0);
  EXPECT_EQ(aggregates_->FiguresOf("ivo-ej-verkstallda-beslut").reports, 0);
  // Sent again, it is new.
  EXPECT_EQ(intake_->SubmitAndWait({ExampleReport("s1")})[0].value().outcome, SubmitOutcome::kAccepted);
}

TEST_F(ReportIntakeTest, OutcomesAreCountedInMetrics) {
  intake_->SubmitAndWait({ExampleReport("s1"), ExampleReport("s1"), ExampleReport("s2", "9999")});
  double accepted = -1, duplicate = -1, rejected = -1, invalid = -1;
  for (const auto& family : registry_.Collect()) {
    for (const auto& metric : family.metric) {
      const std::string& value = metric.label.at(0).value;
      if (family.name == "inrapport_reports_total") {
        if (value == "accepted") accepted = metric.counter.value;
        if (value == "duplicate") duplicate = metric.counter.value;
        if (value == "rejected") rejected = metric.counter.value;
      }
      if (family.name == "inrapport_report_rejections_total" && value == "INVALID_ARGUMENT") {
        invalid = metric.counter.value;
      }
    }
  }
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(duplicate, 1);
  EXPECT_EQ(rejected, 1);
  EXPECT_EQ(invalid, 1);
}

}  // namespace
}  // namespace inrapport
