// The municipalities' comments as agencies and the arena read them: checked
// filters, pages that neither skip nor repeat, and the arena report's
// quotes per flagged duty.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "common/aggregates/burden_index.h"
#include "common/burden/burden_queries.h"
#include "common/catalog/duty_catalog.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;
using testing::ExampleDuty;
using testing::ExampleReport;
using testing::FakeStore;
using ::testing::HasSubstr;

class CommentsQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    aggregates_ = std::move(*Aggregates::Load(store_));
    catalog_ = std::move(*DutyCatalog::Load(&store_, aggregates_.get()));
    ASSERT_TRUE(catalog_->Create(ExampleDuty("ivo-q", "ivo", "IVO uses it.")).ok());
    // No purpose: flagged, so the arena report quotes its comments.
    ASSERT_TRUE(catalog_->Create(ExampleDuty("scb-a", "scb", "")).ok());
    q_ = std::make_unique<BurdenQueries>(catalog_.get(), aggregates_.get(), 600, &store_);
  }

  void Add(const std::string& id, const std::string& municipality, const std::string& duty,
           const std::string& comment) {
    Report report = ExampleReport(id, municipality, duty, "2025Q1", 30);
    report.comment = comment;
    ASSERT_EQ(store_.SubmitReportsAndWait({report})[0].value().outcome, SubmitOutcome::kAccepted);
    aggregates_->AddReports({&report});
  }

  std::vector<std::string> Ids(const CommentsQuery& query) {
    absl::StatusOr<CommentPage> page = q_->Comments(query);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const StoredComment& c : page->comments) ids.push_back(c.submission_id);
    }
    return ids;
  }

  FakeStore store_;
  std::unique_ptr<Aggregates> aggregates_;
  std::unique_ptr<DutyCatalog> catalog_;  // listens to aggregates_
  std::unique_ptr<BurdenQueries> q_;
};

TEST_F(CommentsQueryTest, PagesWalkEveryCommentOnceNewestFirst) {
  for (int i = 1; i <= 7; ++i) {
    Add("r" + std::to_string(i), "0180", "scb-a", i == 4 ? "" : "kommentar " + std::to_string(i));
  }
  CommentsQuery query;
  query.page_size = 2;
  std::vector<std::string> seen;
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<CommentPage> page = q_->Comments(query);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->comments.size(), 2u);
    for (const StoredComment& c : page->comments) seen.push_back(c.submission_id);
    if (page->next_page_token.empty()) break;
    query.page_token = page->next_page_token;
  }
  // r4 has no comment; six comments in three pages, none twice.
  EXPECT_THAT(seen, ElementsAre("r7", "r6", "r5", "r3", "r2", "r1"));
}

TEST_F(CommentsQueryTest, FiltersAreCheckedNamingTheField) {
  Add("a", "0180", "ivo-q", "ivo-kommentar");
  Add("b", "1283", "scb-a", "scb-kommentar");
  CommentsQuery query;
  query.agency_id = "ivo";
  EXPECT_THAT(Ids(query), ElementsAre("a"));
  query = {};
  query.municipality_code = "1283";
  EXPECT_THAT(Ids(query), ElementsAre("b"));

  query = {};
  query.duty_id = "no-such-duty";
  EXPECT_EQ(q_->Comments(query).status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(q_->Comments(query).status().message(), HasSubstr("duty_id"));
  query.duty_id = "scb-a";
  query.agency_id = "ivo";  // an agency may not read another's duty through its own filter
  EXPECT_EQ(q_->Comments(query).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(q_->Comments(query).status().message(), HasSubstr("duty_id"));
  query = {};
  query.municipality_code = "9999";
  EXPECT_THAT(q_->Comments(query).status().message(), HasSubstr("municipality_code"));
  query = {};
  query.page_size = 1001;
  EXPECT_THAT(q_->Comments(query).status().message(), HasSubstr("page_size"));
  query = {};
  query.page_token = "bm90IGEgdG9rZW4";
  EXPECT_THAT(q_->Comments(query).status().message(), HasSubstr("page_token"));
}

TEST_F(CommentsQueryTest, TheArenaReportQuotesTheLatestCommentsOfEachFlaggedDuty) {
  Add("a", "0180", "scb-a", "första");
  Add("b", "1283", "scb-a", "");
  Add("c", "0182", "scb-a", "<script>alert(1)</script>");
  Add("d", "0180", "scb-a", "=HYPERLINK(\"http://x\")");
  Add("e", "1283", "scb-a", "senaste");
  Add("f", "0180", "ivo-q", "ivo-kommentar");
  absl::StatusOr<ArenaReport> report = q_->Arena(0);
  ASSERT_TRUE(report.ok()) << report.status();
  auto scb_entry =
      std::find_if(report->flagged.begin(), report->flagged.end(),
                   [](const ArenaFlaggedDuty& d) { return d.account.duty_id == "scb-a"; });
  ASSERT_NE(scb_entry, report->flagged.end());
  const ArenaFlaggedDuty& scb = *scb_entry;
  ASSERT_EQ(scb.comments.size(), static_cast<size_t>(kArenaCommentsPerDuty));
  EXPECT_EQ(scb.comments[0].comment, "senaste");
  EXPECT_EQ(scb.comments[0].municipality_code, "1283");
  EXPECT_EQ(scb.comments[0].period, "2025Q1");
  EXPECT_EQ(scb.comments[1].comment, "=HYPERLINK(\"http://x\")");  // stored and passed on exactly
  EXPECT_EQ(scb.comments[2].comment, "<script>alert(1)</script>");
}

}  // namespace
}  // namespace inrapport
