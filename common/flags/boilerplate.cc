#include "common/flags/boilerplate.h"

#include <algorithm>
#include <cctype>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_split.h"

namespace inrapport {
namespace {

// THE WORD LIST. A purpose made only of these words states no use. Generic
// words name a kind of activity without saying who does it or what for;
// filler words carry no meaning on their own. A purpose with any other word
// ("IVO uses the reports to decide on special fees") is not boilerplate.
// Swedish and English; compared in lower case without punctuation.
const absl::flat_hash_set<std::string>& GenericWords() {
  static const auto* words = new absl::flat_hash_set<std::string>{
      // Swedish
      "uppföljning", "uppföljningar", "följa", "upp", "statistik", "statistiska",
      "statistiskt", "ändamål", "kontroll", "kontrollera", "kontrollsyfte", "tillsyn",
      "utvärdering", "utvärdera", "kartläggning", "kartlägga", "analys", "analyser",
      "underlag", "information", "rapportering", "redovisning", "kunskap",
      "kunskapsunderlag", "översikt", "verksamhetsuppföljning", "insamling",
      "datainsamling", "statistikproduktion", "planering", "styrning",
      // English
      "follow", "followup", "monitoring", "monitor", "statistics", "statistical",
      "control", "controls", "oversight", "supervision", "evaluation", "evaluate",
      "mapping", "analysis", "information", "reporting", "knowledge", "overview",
      "collection", "planning", "steering", "governance", "review"};
  return *words;
}

const absl::flat_hash_set<std::string>& FillerWords() {
  static const auto* words = new absl::flat_hash_set<std::string>{
      // Swedish
      "för", "att", "och", "av", "i", "till", "som", "en", "ett", "det", "den", "de",
      "samt", "med", "om", "inom", "syfte", "syftet", "är", "data", "uppgifter",
      "allmän", "allmänt", "generell", "generellt", "purposes", "löpande", "nationell",
      // English
      "for", "the", "a", "an", "of", "and", "to", "in", "on", "is", "are", "purpose",
      "general", "ongoing", "basis", "up"};
  return *words;
}

// Lower-cases ASCII and the Swedish capitals Å, Ä, Ö, É (two bytes each).
std::string Lower(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
      unsigned char next = static_cast<unsigned char>(text[i + 1]);
      if (next == 0x85 || next == 0x84 || next == 0x96 || next == 0x89) next += 0x20;
      out.push_back(static_cast<char>(c));
      out.push_back(static_cast<char>(next));
      ++i;
      continue;
    }
    out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

}  // namespace

std::vector<std::string> PurposeWords(absl::string_view purpose) {
  std::string cleaned = Lower(purpose);
  // ASCII punctuation separates words ("follow-up" is "follow up").
  for (char& c : cleaned) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x80 && !std::isalnum(u)) c = ' ';
  }
  return absl::StrSplit(cleaned, ' ', absl::SkipEmpty());
}

bool IsBoilerplatePurpose(absl::string_view purpose) {
  const std::vector<std::string> words = PurposeWords(purpose);
  if (words.empty()) return false;
  bool generic = false;
  for (const std::string& word : words) {
    if (GenericWords().contains(word)) {
      generic = true;
    } else if (!FillerWords().contains(word)) {
      return false;  // a word that says something
    }
  }
  return generic;
}

}  // namespace inrapport
