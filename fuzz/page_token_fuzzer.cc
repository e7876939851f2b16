// The page tokens of ListDuties and ListDutyUses (DutyCatalog::List and
// ListUses, common/catalog/duty_catalog.h; BurdenQueries::Uses hands its
// token to ListUses): a token is opaque to clients, yet any text may come
// back as one. Each input is tried as a token as it is, and as the key a
// token carries (so that arbitrary keys reach the resume logic). A token
// the catalogue refuses is INVALID_ARGUMENT naming page_token; one it
// takes gives exactly the page after its key, in order, and a next token
// only when more follow.
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/catalog/duty_catalog.h"
#include "fuzz/fuzz_check.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

// A catalogue of a few duties and uses, built once; listing never changes it.
struct Fixture {
  testing::FakeStore store;
  std::unique_ptr<Aggregates> aggregates;
  std::unique_ptr<DutyCatalog> catalog;
  std::vector<Duty> duties;    // all, in id order
  std::vector<DutyUse> uses;   // all, by duty id, date, use id
  std::string duty_prefix;     // what a token's key follows, learnt from a real token
  std::string use_prefix;

  Fixture() {
    aggregates = *Aggregates::Load(store);
    catalog = *DutyCatalog::Load(&store, aggregates.get(), {},
                                 [] { return absl::CivilDay(2025, 11, 20); });
    for (const char* id : {"a", "a-1", "b", "b_2", "c"}) {
      Duty duty;
      duty.id = id;
      duty.agency_id = "ivo";
      duty.title = "Ej verkställda beslut enligt SoL";
      duty.legal_basis = "SoL 16 kap. 6 f §";
      duty.purpose = "IVO judges whether to seek a special fee.";
      duty.sector = Sector::kSocialServices;
      duty.frequency = Frequency::kQuarterly;
      duty.data_items = {std::string(id) + "_item"};
      if (!catalog->Create(duty).ok()) std::abort();
    }
    for (const auto& [duty, id, date] : std::vector<std::tuple<const char*, const char*, const char*>>{
             {"a", "u1", "2025-01-01"}, {"a", "u0", "2025-01-01"}, {"a", "u2", "2024-12-31"},
             {"b", "x", "2025-03-01"}, {"c", "y", "2025-11-20"}}) {
      DutyUse use;
      use.duty_id = duty;
      use.use_id = id;
      use.kind = UseKind::kPublication;
      use.date = date;
      use.first_period = "2024Q3";  // a quarter that had started by every date above
      use.description = "Published in the national statistics.";
      if (!catalog->RecordUse(use).ok()) std::abort();
    }
    duties = catalog->List({}, kMaxPageSize, "")->duties;
    uses = catalog->ListUses({}, kMaxPageSize, "")->uses;
    duty_prefix = PrefixOf(catalog->List({}, 1, "")->next_page_token, duties[0].id);
    const DutyUse& first = uses[0];
    use_prefix = PrefixOf(catalog->ListUses({}, 1, "")->next_page_token, UseKey(first));
  }

  static std::string UseKey(const DutyUse& use) {
    return absl::StrCat(use.duty_id, "\x1f", use.date, "\x1f", use.use_id);
  }

  // The text a real token carries before `key`.
  static std::string PrefixOf(const std::string& token, const std::string& key) {
    std::string decoded;
    if (!absl::WebSafeBase64Unescape(token, &decoded) || !absl::EndsWith(decoded, key)) {
      std::abort();
    }
    return decoded.substr(0, decoded.size() - key.size());
  }
};

const Fixture& TheFixture() {
  static const Fixture* fixture = new Fixture();
  return *fixture;
}

// The key a token carries, or nullopt for a token this API never gave out.
std::optional<std::string> KeyOf(const std::string& token, const std::string& prefix) {
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(token, &decoded) || !absl::StartsWith(decoded, prefix)) {
    return std::nullopt;
  }
  return decoded.substr(prefix.size());
}

void ExpectRefused(const absl::Status& status, absl::string_view input) {
  FUZZ_CHECK(absl::IsInvalidArgument(status) && absl::StartsWith(status.message(), "page_token:"),
             input, status.ToString());
}

void CheckDuties(const std::string& token, int page_size, absl::string_view input) {
  const Fixture& f = TheFixture();
  absl::StatusOr<DutyPage> page = f.catalog->List({}, page_size, token);
  const std::optional<std::string> key = token.empty() ? "" : KeyOf(token, f.duty_prefix);
  if (!key) return ExpectRefused(page.status(), input);
  FUZZ_CHECK(page.ok(), input, page.status().ToString());
  std::vector<std::string> expected;
  for (const Duty& duty : f.duties) {
    if (token.empty() || duty.id > *key) expected.push_back(duty.id);
  }
  const size_t shown = std::min(expected.size(), static_cast<size_t>(page_size));
  FUZZ_CHECK(page->duties.size() == shown, input,
             absl::StrCat(page->duties.size(), " duties, expected ", shown));
  for (size_t i = 0; i < shown; ++i) {
    FUZZ_CHECK(page->duties[i].id == expected[i], input, page->duties[i].id);
  }
  FUZZ_CHECK(page->next_page_token.empty() == (shown == expected.size()), input,
             page->next_page_token);
  if (!page->next_page_token.empty()) {
    FUZZ_CHECK(KeyOf(page->next_page_token, f.duty_prefix) == expected[shown - 1], input,
               page->next_page_token);
  }
}

void CheckUses(const std::string& token, int page_size, absl::string_view input) {
  const Fixture& f = TheFixture();
  absl::StatusOr<UsePage> page = f.catalog->ListUses({}, page_size, token);
  const std::optional<std::string> key = token.empty() ? "" : KeyOf(token, f.use_prefix);
  if (!key) return ExpectRefused(page.status(), input);
  std::tuple<std::string, std::string, std::string> after;
  if (!token.empty()) {
    const std::vector<std::string> parts = absl::StrSplit(*key, '\x1f');
    if (parts.size() != 3) return ExpectRefused(page.status(), input);
    after = {parts[0], parts[1], parts[2]};
  }
  FUZZ_CHECK(page.ok(), input, page.status().ToString());
  std::vector<std::string> expected;
  for (const DutyUse& use : f.uses) {
    if (token.empty() || std::tie(use.duty_id, use.date, use.use_id) > after) {
      expected.push_back(Fixture::UseKey(use));
    }
  }
  const size_t shown = std::min(expected.size(), static_cast<size_t>(page_size));
  FUZZ_CHECK(page->uses.size() == shown, input,
             absl::StrCat(page->uses.size(), " uses, expected ", shown));
  for (size_t i = 0; i < shown; ++i) {
    FUZZ_CHECK(Fixture::UseKey(page->uses[i]) == expected[i], input,
               absl::CHexEscape(Fixture::UseKey(page->uses[i])));
  }
  FUZZ_CHECK(page->next_page_token.empty() == (shown == expected.size()), input,
             page->next_page_token);
  if (!page->next_page_token.empty()) {
    FUZZ_CHECK(KeyOf(page->next_page_token, f.use_prefix) == expected[shown - 1], input,
               page->next_page_token);
  }
}

}  // namespace
}  // namespace inrapport

// The first byte picks the page size (1 to 4), the rest is the text.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int page_size = 1 + data[0] % 4;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const inrapport::Fixture& f = inrapport::TheFixture();
  inrapport::CheckDuties(text, page_size, text);
  inrapport::CheckUses(text, page_size, text);
  inrapport::CheckDuties(absl::WebSafeBase64Escape(f.duty_prefix + text), page_size, text);
  inrapport::CheckUses(absl::WebSafeBase64Escape(f.use_prefix + text), page_size, text);
  return 0;
}
