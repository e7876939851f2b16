// TokenFile re-read while other threads look tokens up, as SIGHUP does while
// calls are authenticated. Run under ThreadSanitizer by scripts/sanitize.sh.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/principal.h"
#include "common/auth/token_file.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

constexpr int kStableTokens = 50;

// Generation `g` of the file: the same stable tokens (each mapped to
// agency:g<g>), plus one token that only this generation has.
std::string Generation(int g) {
  std::string text = absl::StrCat("# generation ", g, "\n");
  for (int i = 0; i < kStableTokens; ++i) {
    absl::StrAppend(&text, Sha256Hex(absl::StrCat("stable-", i)), " agency:g", g, "\n");
  }
  absl::StrAppend(&text, Sha256Hex(absl::StrCat("only-", g)), " admin\n");
  return text;
}

// Replaced whole (rename), as an operator's editor or deploy tool does, so
// that each re-read sees one generation of the file.
void WriteAtomically(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".new";
  std::ofstream(temporary) << text;
  ASSERT_EQ(std::rename(temporary.c_str(), path.c_str()), 0);
}

int GenerationOf(const Principal& principal) {
  EXPECT_EQ(principal.kind, Principal::Kind::kAgency);
  return std::stoi(principal.id.substr(1));
}

TEST(TokenFileConcurrencyTest, LookupsDuringReloadsSeeOneWholeGeneration) {
  char dir[] = "/tmp/inrapport-tokens-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/tokens";
  WriteAtomically(path, Generation(0));
  auto file = TokenFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.status();
  TokenFile& tokens = **file;

  constexpr int kGenerations = 200;
  constexpr int kReaders = 4;
  std::atomic<bool> done{false};
  std::atomic<int64_t> lookups{0}, misses{0}, mixed{0}, backwards{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      int seen = 0;
      for (int i = r; !done.load() || i < r + kStableTokens; ++i) {
        // Every stable token is in every generation: a lookup that misses
        // one saw a table being filled.
        const std::optional<Principal> first = tokens.Find(absl::StrCat("stable-", i % kStableTokens));
        const std::optional<Principal> second =
            tokens.Find(absl::StrCat("stable-", (i + 7) % kStableTokens));
        lookups += 2;
        if (!first || !second) {
          ++misses;
          continue;
        }
        const int g1 = GenerationOf(*first), g2 = GenerationOf(*second);
        // Generations only move forward, for each thread.
        if (g1 < seen || g2 < g1) ++backwards;
        seen = std::max(seen, g2);
        // The token of one generation names the administrator exactly while
        // that generation is in use: never alongside another's.
        const std::optional<Principal> own = tokens.Find(absl::StrCat("only-", g2));
        const std::optional<Principal> previous =
            g2 > 0 ? tokens.Find(absl::StrCat("only-", g2 - 1)) : std::nullopt;
        if (own.has_value() && previous.has_value()) ++mixed;
      }
    });
  }
  for (int g = 1; g <= kGenerations; ++g) {
    WriteAtomically(path, Generation(g));
    absl::StatusOr<size_t> loaded = tokens.Reload();
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(*loaded, static_cast<size_t>(kStableTokens + 1));
  }
  done = true;
  for (std::thread& reader : readers) reader.join();

  EXPECT_GT(lookups.load(), 0);
  EXPECT_EQ(misses.load(), 0);
  EXPECT_EQ(backwards.load(), 0);
  EXPECT_EQ(mixed.load(), 0);
  // The last generation is the one in use.
  ASSERT_TRUE(tokens.Find("stable-0").has_value());
  EXPECT_EQ(GenerationOf(*tokens.Find("stable-0")), kGenerations);
  EXPECT_TRUE(tokens.Find(absl::StrCat("only-", kGenerations)).has_value());
  EXPECT_FALSE(tokens.Find(absl::StrCat("only-", kGenerations - 1)).has_value());
  std::remove(path.c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace inrapport
