// The register of agencies: what it holds from the start, how the
// administrator's changes are kept, and that a duty must name a registered
// agency.
#include "common/catalog/agency_register.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "common/catalog/duty_catalog.h"
#include "common/domain/agencies.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using testing::FakeStore;

std::vector<std::string> Ids(const std::vector<Agency>& agencies) {
  std::vector<std::string> ids;
  for (const Agency& agency : agencies) ids.push_back(agency.id);
  return ids;
}

// A new store holds the built-in agencies; a store whose duties name an
// agency that was never registered registers it, named by its id.
TEST(AgencyRegisterTest, LoadRegistersTheBuiltInAgenciesAndThoseOfStoredDuties) {
  FakeStore store;
  ASSERT_TRUE(store.CreateDuty(testing::ExampleDuty("old", "kommerskollegium")).ok());
  auto agencies = AgencyRegister::Load(&store);
  ASSERT_TRUE(agencies.ok()) << agencies.status();

  std::vector<std::string> expected = Ids(BuiltInAgencies());
  expected.push_back("kommerskollegium");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Ids(*store.LoadAgencies()), expected);  // durably
  EXPECT_EQ(Ids((*agencies)->List(0, "")->agencies), expected);
  EXPECT_EQ((*agencies)->NameOf("ivo"), "Inspektionen för vård och omsorg");
  EXPECT_EQ((*agencies)->NameOf("kommerskollegium"), "kommerskollegium");

  // A second start registers nothing again and keeps a rename.
  ASSERT_TRUE((*agencies)->Update({"kommerskollegium", "Kommerskollegium", ""}).ok());
  auto again = AgencyRegister::Load(&store);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*again)->NameOf("kommerskollegium"), "Kommerskollegium");
  EXPECT_EQ((*again)->List(0, "")->agencies.size(), expected.size());
}

TEST(AgencyRegisterTest, CreateUpdateGetAndPages) {
  FakeStore store;
  auto agencies = std::move(*AgencyRegister::Load(&store));
  auto created = agencies->Create({"tillvaxtverket", "Tillväxtverket", "2021000000"});
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);  // check digit
  created = agencies->Create({"tillvaxtverket", "Tillväxtverket", ""});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(agencies->Create({"tillvaxtverket", "Tillväxtverket", ""}).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(agencies->Update({"okand", "Okänd", ""}).status().code(),
            absl::StatusCode::kNotFound);
  auto updated = agencies->Update({"scb", "Statistiska centralbyrån", "2021000837"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->organisation_number, "202100-0837");
  EXPECT_EQ(agencies->Get("scb")->organisation_number, "202100-0837");
  EXPECT_EQ(agencies->Get("okand").status().code(), absl::StatusCode::kNotFound);

  // Two at a time, in id order, across every page.
  std::vector<std::string> seen;
  std::string token;
  do {
    auto page = agencies->List(2, token);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->agencies.size(), 2u);
    for (const Agency& agency : page->agencies) seen.push_back(agency.id);
    token = page->next_page_token;
  } while (!token.empty());
  EXPECT_EQ(seen, Ids(*store.LoadAgencies()));
  EXPECT_EQ(agencies->List(0, "not-a-token").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// With the register, the catalogue refuses a duty of an unknown agency,
// naming the field and the agency; a registered agency's duty is accepted.
TEST(AgencyRegisterTest, ADutyOfAnUnregisteredAgencyIsRefusedNamingIt) {
  FakeStore store;
  auto agencies = std::move(*AgencyRegister::Load(&store));
  auto aggregates = std::move(*Aggregates::Load(store));
  auto catalog = std::move(*DutyCatalog::Load(&store, aggregates.get(), {}, nullptr,
                                              agencies.get()));
  auto refused = catalog->Create(testing::ExampleDuty("d", "socialstyrelse"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("duty.agency_id: no agency \"socialstyrelse\" is registered"));
  EXPECT_TRUE(store.LoadDuties()->empty());

  ASSERT_TRUE(catalog->Create(testing::ExampleDuty("d", "socialstyrelsen")).ok());
  Duty moved = testing::ExampleDuty("d", "socialstyrelse");
  EXPECT_EQ(catalog->Update(moved).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog->AgencyName("socialstyrelsen"), "Socialstyrelsen");
}

}  // namespace
}  // namespace inrapport
