#include "common/lifecycle/duty_lifecycle.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/domain/period.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/accept_reports.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ExampleReport;
using testing::FakeStore;

Duty ExampleDuty(std::string id, std::string agency, std::vector<std::string> items) {
  Duty duty = testing::ExampleDuty(id, std::move(agency));
  duty.data_items = std::move(items);
  return duty;
}

std::vector<std::string> Codes(const std::vector<Flag>& flags) {
  std::vector<std::string> codes;
  for (const Flag& flag : flags) codes.push_back(flag.code);
  return codes;
}

// The core of the gateway on the in-memory store, with a clock the test
// moves.
class DutyLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    aggregates_ = std::move(*Aggregates::Load(store_));
    auto clock = [this] { return today_; };
    catalog_ = std::move(*DutyCatalog::Load(&store_, aggregates_.get(), {}, clock));
    queries_ = std::make_unique<BurdenQueries>(catalog_.get(), aggregates_.get(), 400.0, &store_,
                                               /*estimate_min_municipalities=*/2);
    lifecycle_ =
        std::move(*DutyLifecycle::Load(&store_, catalog_.get(), queries_.get(), {}, clock));
  }

  // Proposes `id`, opens its consultation until today and moves to the
  // next day, where it may be approved.
  void ProposeAndConsult(const std::string& id, const std::string& agency,
                         std::vector<std::string> items) {
    ASSERT_TRUE(lifecycle_->Propose(ExampleDuty(id, agency, std::move(items)), "agency:" + agency,
                                    "")
                    .ok());
    ASSERT_TRUE(lifecycle_->OpenConsultation(id, Date(today_), "agency:" + agency, "").ok());
    today_ += 1;
  }

  static std::string Date(absl::CivilDay day) {
    return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
  }

  DutyDecision Decision(const std::string& id, DecisionKind kind) {
    DutyDecision decision;
    decision.duty_id = id;
    decision.kind = kind;
    decision.reason = "Skäl";
    decision.decided_by = "arena";
    return decision;
  }

  absl::CivilDay today_{2027, 3, 1};
  FakeStore store_;
  std::unique_ptr<Aggregates> aggregates_;
  std::unique_ptr<DutyCatalog> catalog_;
  std::unique_ptr<BurdenQueries> queries_;
  std::unique_ptr<DutyLifecycle> lifecycle_;
};

// A proposal is compared with the duties in force: it is flagged for the
// items another agency's duty already asks for, but it makes no duty in
// force a duplicate until it is in force itself; a withdrawn duty makes
// none either.
TEST_F(DutyLifecycleTest, OnlyDutiesInForceMakeEachOtherDuplicates) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("scb-a", "scb", {"x", "y"})).ok());
  auto proposal = lifecycle_->Propose(ExampleDuty("ivo-b", "ivo", {"x", "z"}), "agency:ivo", "");
  ASSERT_TRUE(proposal.ok()) << proposal.status();
  EXPECT_THAT(Codes(proposal->assessment.flags), ElementsAre("DUPLICATE_DATA"));
  EXPECT_TRUE(catalog_->Get("scb-a")->flags.empty());

  ASSERT_TRUE(lifecycle_->OpenConsultation("ivo-b", Date(today_), "agency:ivo", "").ok());
  today_ += 1;
  ASSERT_TRUE(lifecycle_->Decide(Decision("ivo-b", DecisionKind::kApprove)).ok());
  EXPECT_THAT(Codes(catalog_->Get("scb-a")->flags), ElementsAre("DUPLICATE_DATA"));

  ASSERT_TRUE(lifecycle_->Decide(Decision("ivo-b", DecisionKind::kWithdraw)).ok());
  EXPECT_TRUE(catalog_->Get("scb-a")->flags.empty());
  EXPECT_EQ(catalog_->Get("ivo-b")->state, DutyState::kWithdrawn);
}

// A proposal's flags are its assessment's: it is no flagged duty until it
// is in force.
TEST_F(DutyLifecycleTest, AProposalIsNotAFlaggedDutyUntilItIsInForce) {
  Duty unexplained = ExampleDuty("ivo-b", "ivo", {"x"});
  unexplained.purpose = "";
  auto proposal = lifecycle_->Propose(unexplained, "agency:ivo", "");
  ASSERT_TRUE(proposal.ok());
  EXPECT_THAT(Codes(proposal->assessment.flags), ElementsAre("NO_STATED_PURPOSE"));
  auto flagged = [this] {
    std::vector<std::string> ids;
    const auto ranked = queries_->FlaggedDuties("", 0);  // held: the loop reads into it
    for (const FlaggedDutyBurden& f : *ranked) ids.push_back(f.duty.id);
    return ids;
  };
  EXPECT_TRUE(flagged().empty());
  EXPECT_TRUE(queries_->Accounts({}).empty());
  ASSERT_TRUE(lifecycle_->OpenConsultation("ivo-b", Date(today_), "agency:ivo", "").ok());
  today_ += 1;
  ASSERT_TRUE(lifecycle_->Decide(Decision("ivo-b", DecisionKind::kApprove)).ok());
  EXPECT_THAT(flagged(), ElementsAre("ivo-b"));
  EXPECT_EQ(queries_->Accounts({}).size(), 1u);
}

TEST_F(DutyLifecycleTest, AnApprovalExpiresAfterItsYearsAndARenewalStartsThemAgain) {
  ProposeAndConsult("ivo-b", "ivo", {"x"});
  auto approved = lifecycle_->Decide(Decision("ivo-b", DecisionKind::kApprove));
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->decision.decided_on, "2027-03-02");
  EXPECT_EQ(approved->decision.expires_on, "2030-03-02");  // three years by default
  EXPECT_EQ(approved->duty.state, DutyState::kInForce);

  today_ = absl::CivilDay(2030, 3, 2);  // the last day in force
  EXPECT_EQ(catalog_->Get("ivo-b")->state, DutyState::kInForce);
  EXPECT_TRUE(CheckAcceptsReports(*catalog_->Find("ivo-b"), today_).ok());
  today_ += 1;
  EXPECT_EQ(catalog_->Get("ivo-b")->state, DutyState::kExpired);
  const absl::Status refused = CheckAcceptsReports(*catalog_->Find("ivo-b"), today_);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("its approval ran out on 2030-03-02"));

  // The expired duty is not a duty in force for other decisions.
  auto keep = lifecycle_->Decide(Decision("ivo-b", DecisionKind::kKeep));
  EXPECT_EQ(keep.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(keep.status().message(), HasSubstr("\"ivo-b\" is expired (since 2030-03-02)"));

  DutyDecision renew = Decision("ivo-b", DecisionKind::kRenew);
  renew.expires_on = "2031-12-31";
  auto renewed = lifecycle_->Decide(renew);
  ASSERT_TRUE(renewed.ok()) << renewed.status();
  EXPECT_EQ(renewed->duty.state, DutyState::kInForce);
  EXPECT_EQ(renewed->duty.expires_on, "2031-12-31");
  // The history: proposed, in consultation, in force, renewed.
  auto history = catalog_->History("ivo-b");
  ASSERT_TRUE(history.ok());
  std::vector<std::string> moves;
  for (const DutyVersion& v : *history) {
    moves.push_back(absl::StrCat(DutyStateName(v.duty.state), " ", v.duty.expires_on, " ",
                                 v.change.reason));
  }
  EXPECT_THAT(moves, ElementsAre("proposed  ", "in_consultation  ",
                                 "in_force 2030-03-02 approve: Skäl",
                                 "in_force 2031-12-31 renew: Skäl"));
}

TEST_F(DutyLifecycleTest, AnswersAreTakenWhileTheConsultationIsOpenAndSummarised) {
  ASSERT_TRUE(
      lifecycle_->Propose(ExampleDuty("ivo-b", "ivo", {"x"}), "agency:ivo", "").ok());
  ConsultationAnswer answer;
  answer.duty_id = "ivo-b";
  answer.municipality_code = "0180";
  answer.estimated_minutes_per_report = 40;
  EXPECT_EQ(lifecycle_->Answer(answer).status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(lifecycle_->OpenConsultation("ivo-b", "2027-03-10", "agency:ivo", "").ok());
  // Shortening it is refused: answers were invited until the 10th.
  EXPECT_EQ(lifecycle_->OpenConsultation("ivo-b", "2027-03-05", "agency:ivo", "").status().code(),
            absl::StatusCode::kFailedPrecondition);
  for (const auto& [code, minutes] :
       std::vector<std::pair<std::string, double>>{{"0180", 40}, {"1283", 10}, {"2580", 0}}) {
    answer.municipality_code = code;
    answer.estimated_minutes_per_report = minutes;
    ASSERT_TRUE(lifecycle_->Answer(answer).ok());
  }
  answer.municipality_code = "1283";  // a new answer replaces the old
  answer.estimated_minutes_per_report = 20;
  answer.already_reported_elsewhere = Answer::kYes;
  answer.already_reported_where = "scb-a";
  ASSERT_TRUE(lifecycle_->Answer(answer).ok());
  auto consultation = lifecycle_->ConsultationOf("ivo-b", "");
  ASSERT_TRUE(consultation.ok());
  EXPECT_TRUE(consultation->open);
  EXPECT_EQ(consultation->answers.size(), 3u);
  const ConsultationSummary& s = consultation->summary;
  EXPECT_EQ(s.answers, 3);
  EXPECT_EQ(s.with_estimate, 2);  // 2580 stated none
  EXPECT_EQ(s.median_estimated_minutes, 30);  // (20 + 40) / 2
  EXPECT_EQ(s.min_estimated_minutes, 20);
  EXPECT_EQ(s.max_estimated_minutes, 40);
  EXPECT_EQ(s.already_reported_elsewhere, 1);
  EXPECT_THAT(s.reported_where, ElementsAre(std::pair<std::string, int>{"scb-a", 1}));

  today_ = absl::CivilDay(2027, 3, 11);
  auto late = lifecycle_->Answer(answer);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(late.status().message(), HasSubstr("the consultation has closed"));
  EXPECT_FALSE(lifecycle_->ConsultationOf("ivo-b", "")->open);
}

// The burden of a decided duty per year, before and after the decision, and
// the renewal evidence counting only the periods since the approval.
TEST_F(DutyLifecycleTest, DecidedBurdenIsSplitAtTheDecisionAndEvidenceCountsSinceApproval) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("ivo-a", "ivo", {"x"})).ok());
  testing::AcceptReports(store_, *aggregates_,
                         {ExampleReport("r1", "0180", "ivo-a", "2026Q1", 60),
                          ExampleReport("r2", "0180", "ivo-a", "2026Q4", 40),
                          ExampleReport("r3", "1283", "ivo-a", "2027Q1", 30)});
  DutyDecision simplify = Decision("ivo-a", DecisionKind::kSimplify);
  simplify.decided_on = "2026-12-31";
  ASSERT_TRUE(lifecycle_->Decide(simplify).ok());
  const std::vector<DecidedBurden> decided = lifecycle_->DecidedBurdens();
  ASSERT_EQ(decided.size(), 1u);  // ivo-a only, for now
  EXPECT_EQ(decided[0].decision.kind, DecisionKind::kSimplify);
  std::vector<std::string> years;
  for (const DecidedBurden::Year& y : decided[0].years) {
    years.push_back(absl::StrCat(y.year, y.after ? " after " : " before ", y.reports, " ",
                                 y.minutes));
  }
  // 2026Q4 ends on the decision's day: it counts after.
  EXPECT_THAT(years, ElementsAre("2026 before 1 60", "2026 after 1 40", "2027 after 1 30"));

  // Withdrawn, the duty takes no more reports: the years that have ended
  // since count as none (today is 2027-03-01: 2025 and 2026 have ended).
  ASSERT_TRUE(catalog_->Create(ExampleDuty("ivo-w", "ivo", {"w"})).ok());
  testing::AcceptReports(store_, *aggregates_,
                         {ExampleReport("w1", "0180", "ivo-w", "2024Q2", 50)});
  DutyDecision withdraw = Decision("ivo-w", DecisionKind::kWithdraw);
  withdraw.decided_on = "2024-07-01";
  ASSERT_TRUE(lifecycle_->Decide(withdraw).ok());
  years.clear();
  for (const DecidedBurden& d : lifecycle_->DecidedBurdens()) {
    if (d.decision.duty_id != "ivo-w") continue;
    for (const DecidedBurden::Year& y : d.years) {
      years.push_back(absl::StrCat(y.year, y.after ? " after " : " before ", y.reports, " ",
                                   y.minutes));
    }
  }
  EXPECT_THAT(years, ElementsAre("2024 before 1 50", "2025 after 0 0", "2026 after 0 0"));

  // A duty registered in force has no approval: the evidence counts every
  // period and has no forecast to compare with.
  auto evidence = lifecycle_->EvidenceFor("ivo-a");
  ASSERT_TRUE(evidence.ok());
  EXPECT_FALSE(evidence->approval.has_value());
  EXPECT_EQ(evidence->reports, 3);
  EXPECT_EQ(evidence->against_forecast, "no forecast");
}

TEST_F(DutyLifecycleTest, DecisionsNameWhatTheyApplyTo) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("ivo-a", "ivo", {"x"})).ok());
  ASSERT_TRUE(lifecycle_->Propose(ExampleDuty("ivo-b", "ivo", {"y"}), "agency:ivo", "").ok());
  auto merge = Decision("ivo-a", DecisionKind::kMerge);
  merge.merge_into = "ivo-b";  // a proposal takes nothing over
  EXPECT_EQ(lifecycle_->Decide(merge).status().code(), absl::StatusCode::kFailedPrecondition);
  merge.merge_into = "nope";
  EXPECT_EQ(lifecycle_->Decide(merge).status().code(), absl::StatusCode::kNotFound);
  merge.merge_into = "";
  auto invalid = lifecycle_->Decide(merge);
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(invalid.status().message(), HasSubstr("decision.merge_into"));
  auto future = Decision("ivo-a", DecisionKind::kKeep);
  future.decided_on = "2027-03-02";
  EXPECT_THAT(lifecycle_->Decide(future).status().message(), HasSubstr("in the future"));
  auto no_reason = Decision("ivo-a", DecisionKind::kKeep);
  no_reason.reason = "";
  EXPECT_THAT(lifecycle_->Decide(no_reason).status().message(), HasSubstr("decision.reason"));
  // Nothing of the refused decisions is on record.
  EXPECT_TRUE(lifecycle_->Decisions("").empty());
  EXPECT_EQ(catalog_->Get("ivo-a")->state, DutyState::kInForce);
}

// The answers and decisions are durable: a lifecycle loaded again from the
// store has them.
TEST_F(DutyLifecycleTest, AnswersAndDecisionsAreLoadedFromTheStore) {
  ProposeAndConsult("ivo-b", "ivo", {"x"});
  ASSERT_TRUE(lifecycle_->Decide(Decision("ivo-b", DecisionKind::kReject)).ok());
  auto reloaded = DutyLifecycle::Load(&store_, catalog_.get(), queries_.get(), {},
                                      [this] { return today_; });
  ASSERT_TRUE(reloaded.ok());
  const std::vector<DutyDecision> decisions = (*reloaded)->Decisions("ivo-b");
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].kind, DecisionKind::kReject);
  EXPECT_EQ(decisions[0].decided_by, "arena");
}

}  // namespace
}  // namespace inrapport
