#include "common/catalog/duty_catalog.h"

#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::ExampleDuty;
using testing::FakeStore;

class DutyCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = DutyCatalog::Load(&store_);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = std::move(*catalog);
  }
  FakeStore store_;
  std::unique_ptr<DutyCatalog> catalog_;
};

TEST_F(DutyCatalogTest, CreateReturnsTheDutyWithItsFlags) {
  auto created = catalog_->Create(ExampleDuty("a", "ivo", ""));
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->flags.size(), 1u);
  EXPECT_EQ(created->flags[0].code, "NO_STATED_PURPOSE");
  auto got = catalog_->Get("a");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->flags, created->flags);
}

TEST_F(DutyCatalogTest, ClientSuppliedFlagsAreIgnored) {
  Duty duty = ExampleDuty();
  duty.flags.push_back({"MADE_UP", "x", {}});
  auto created = catalog_->Create(duty);
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(created->flags.empty());
}

TEST_F(DutyCatalogTest, UpdateStatingAPurposeClearsTheFlag) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("a", "ivo", "")).ok());
  auto updated = catalog_->Update(ExampleDuty("a", "ivo", "Used by IVO to decide on fees."));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_TRUE(updated->flags.empty());
  EXPECT_FALSE(catalog_->Find("a")->flagged());
}

TEST_F(DutyCatalogTest, CreateTwiceIsAlreadyExists) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("a")).ok());
  auto again = catalog_->Create(ExampleDuty("a"));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr("\"a\""));
}

TEST_F(DutyCatalogTest, UpdateOfUnknownDutyIsNotFound) {
  EXPECT_EQ(catalog_->Update(ExampleDuty("nope")).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(catalog_->Get("nope").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(DutyCatalogTest, InvalidDutyChangesNothing) {
  Duty duty = ExampleDuty("a");
  duty.sector = Sector::kUnspecified;
  auto created = catalog_->Create(duty);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(created.status().message()), StartsWith("duty.sector"));
  EXPECT_EQ(catalog_->Find("a"), nullptr);
  EXPECT_TRUE(store_.LoadDuties()->empty());
}

TEST_F(DutyCatalogTest, StoreFailureLeavesCatalogueUnchanged) {
  store_.FailNextWrite(absl::UnavailableError("disk full"));
  EXPECT_EQ(catalog_->Create(ExampleDuty("a")).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(catalog_->Find("a"), nullptr);
  EXPECT_TRUE(catalog_->Create(ExampleDuty("a")).ok());
}

TEST_F(DutyCatalogTest, LoadRecomputesFlagsFromTheStore) {
  ASSERT_TRUE(catalog_->Create(ExampleDuty("a", "ivo", "")).ok());
  ASSERT_TRUE(catalog_->Create(ExampleDuty("b", "scb", "Statistics Sweden publishes it.")).ok());
  auto reloaded = DutyCatalog::Load(&store_);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_TRUE((*reloaded)->Find("a")->flagged());
  EXPECT_FALSE((*reloaded)->Find("b")->flagged());
}

TEST_F(DutyCatalogTest, ListFiltersAndPagesInIdOrder) {
  for (const char* id : {"e", "d", "c", "b", "a"}) {
    ASSERT_TRUE(catalog_->Create(ExampleDuty(id, "ivo", id[0] < 'c' ? "" : "A purpose.")).ok());
  }
  ASSERT_TRUE(catalog_->Create(ExampleDuty("f", "scb", "")).ok());

  DutyFilter ivo;
  ivo.agency_id = "ivo";
  auto first = catalog_->List(ivo, 2, "");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->duties.size(), 2u);
  EXPECT_EQ(first->duties[0].id, "a");
  EXPECT_EQ(first->duties[1].id, "b");
  ASSERT_FALSE(first->next_page_token.empty());
  auto second = catalog_->List(ivo, 2, first->next_page_token);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->duties[0].id, "c");
  auto third = catalog_->List(ivo, 2, second->next_page_token);
  ASSERT_TRUE(third.ok());
  ASSERT_EQ(third->duties.size(), 1u);
  EXPECT_EQ(third->duties[0].id, "e");
  EXPECT_TRUE(third->next_page_token.empty());

  DutyFilter flagged;
  flagged.flagged_only = true;
  auto flagged_page = catalog_->List(flagged, 0, "");
  ASSERT_TRUE(flagged_page.ok());
  ASSERT_EQ(flagged_page->duties.size(), 3u);  // a, b, f
  EXPECT_EQ(flagged_page->duties[2].id, "f");
  EXPECT_TRUE(flagged_page->next_page_token.empty());
}

TEST_F(DutyCatalogTest, ListRejectsBadPageSizeAndForeignToken) {
  EXPECT_EQ(catalog_->List({}, -1, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog_->List({}, 1001, "").status().code(), absl::StatusCode::kInvalidArgument);
  auto bad = catalog_->List({}, 10, "not-a-token");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), StartsWith("page_token"));
}

}  // namespace
}  // namespace inrapport
