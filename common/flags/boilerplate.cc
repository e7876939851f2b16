#include "common/flags/boilerplate.h"

#include <algorithm>
#include <initializer_list>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "common/flags/text_internal.h"

namespace inrapport {
namespace {

// Å, Ä, Ö as A, O; é and ü as e, u: "uppfoljning" is "uppföljning" when
// typed without Swedish letters.
std::string Fold(absl::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (size_t i = 0; i < word.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(word[i]);
    if (c == 0xC3 && i + 1 < word.size()) {
      const unsigned char next = static_cast<unsigned char>(word[i + 1]);
      char folded = 0;
      if (next == 0xA5 || next == 0xA4 || next == 0xA0 || next == 0xA1) folded = 'a';
      if (next == 0xB6 || next == 0xB8) folded = 'o';
      if (next == 0xA9 || next == 0xA8) folded = 'e';
      if (next == 0xBC) folded = 'u';
      if (folded != 0) {
        out.push_back(folded);
        ++i;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

absl::flat_hash_set<std::string> FoldedSet(std::initializer_list<absl::string_view> words) {
  absl::flat_hash_set<std::string> set;
  for (absl::string_view word : words) set.insert(Fold(word));
  return set;
}

// THE WORD LIST: the one place that decides what a generic purpose is.
//
// A purpose made only of these words states no use. Generic words name a
// kind of activity without saying who does it or what for; filler words
// carry no meaning on their own. A purpose with any other word ("IVO uses
// the reports to decide on special fees") is not boilerplate. Swedish and
// English; compared in lower case, without punctuation, with å/ä/ö folded
// to a/a/o. docs/flags.md describes the rule.
const absl::flat_hash_set<std::string>& GenericWords() {
  static const auto* words = new absl::flat_hash_set<std::string>(FoldedSet({
      // Swedish
      "uppföljning", "uppföljningar", "uppföljningen", "uppföljningssyfte", "följa", "följas",
      "statistik", "statistiken", "statistiska", "statistiskt", "statistiksyfte",
      "statistikändamål", "statistikproduktion", "ändamål", "kontroll", "kontrollen",
      "kontrollera", "kontrollsyfte", "tillsyn", "utvärdering", "utvärderingar",
      "utvärderingssyfte", "utvärdera", "kartläggning", "kartlägga", "analys", "analyser",
      "analysera", "underlag", "beslutsunderlag", "information", "rapportering",
      "redovisning", "återrapportering", "kunskap", "kunskapsunderlag", "översikt",
      "verksamhetsuppföljning", "insamling", "datainsamling", "planering", "styrning",
      "jämförelse", "jämförelser", "kvalitetssäkring", "kvalitetsuppföljning", "utveckling",
      "verksamhetsutveckling",
      // A pointer to the rules in place of a purpose: "Enligt lag", "Se
      // föreskrifterna" ("enligt" and "se" are filler).
      "lag", "lagen", "lagar", "lagstiftning", "lagstiftningen", "föreskrift", "föreskrifter",
      "föreskrifterna", "föreskriften", "författning", "författningen", "författningar",
      "bestämmelser", "bestämmelserna", "regelverk", "regelverket",
      // English
      "follow", "followup", "followed", "monitoring", "monitor", "statistics", "statistical",
      "control", "controls", "oversight", "supervision", "evaluation", "evaluate",
      "mapping", "analysis", "analyses", "information", "reporting", "knowledge",
      "overview", "collection", "planning", "steering", "governance", "review",
      "comparison", "comparisons", "quality", "assurance", "development",
      // "According to law", "See the regulations"
      "law", "laws", "legislation", "regulation", "regulations", "rules", "statute",
      "statutes", "provisions"}));
  return *words;
}

const absl::flat_hash_set<std::string>& FillerWords() {
  static const auto* words = new absl::flat_hash_set<std::string>(FoldedSet({
      // Swedish
      "för", "att", "och", "av", "i", "till", "som", "en", "ett", "det", "den", "de",
      "samt", "med", "om", "upp", "inom", "på", "från", "vid", "hos", "syfte", "syftet", "är",
      "data", "uppgifter", "uppgifterna", "allmän", "allmänt", "generell", "generellt",
      "löpande", "nationell", "nationella", "används", "ska", "skall", "verksamhet",
      "verksamheten", "mm", "m", "etc", "osv", "enligt", "se", "gällande",
      // English
      "for", "the", "a", "an", "of", "and", "to", "in", "on", "at", "with", "is", "are",
      "be", "purpose", "purposes", "general", "ongoing", "basis", "up", "national", "used",
      "activity", "activities", "etc", "according", "see", "applicable", "as", "per",
      "by"}));
  return *words;
}

// Lower-cases ASCII and the Latin-1 capitals (Å, Ä, Ö, É, Ü...: two bytes
// each, the lower case 0x20 above).
std::string Lower(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
      unsigned char next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) next += 0x20;
      out.push_back(static_cast<char>(c));
      out.push_back(static_cast<char>(next));
      ++i;
      continue;
    }
    out.push_back(absl::ascii_tolower(c));
  }
  return out;
}

// Placeholders that say a purpose is missing, as their words joined by one
// space, folded.
const absl::flat_hash_set<std::string>& MissingPhrases() {
  static const auto* phrases = new absl::flat_hash_set<std::string>(FoldedSet({
      "n a", "na", "tbd", "tba", "tbc", "none", "none found", "none stated", "nothing",
      "missing", "purpose missing", "no purpose", "no purpose stated", "not stated",
      "not applicable", "unknown", "saknas", "syfte saknas", "syftet saknas", "inget",
      "inget syfte", "ej angivet", "ej angiven", "inte angivet", "okänt", "finns ej",
      "uppgift saknas"}));
  return *phrases;
}

}  // namespace

bool IsMissingPurpose(absl::string_view purpose) {
  const std::vector<std::string> words = PurposeWords(purpose);
  if (words.empty()) return true;  // blank, or only punctuation
  std::string phrase;
  for (const std::string& word : words) {
    if (!phrase.empty()) phrase.push_back(' ');
    phrase += Fold(word);
  }
  return MissingPhrases().contains(phrase);
}

std::vector<std::string> PurposeWords(absl::string_view purpose) {
  const std::string lower = Lower(purpose);
  // ASCII punctuation, Unicode punctuation and white space separate words
  // ("follow-up" is "follow up", "«statistik»" is "statistik").
  std::string cleaned;
  cleaned.reserve(lower.size());
  absl::string_view rest = lower;
  while (!rest.empty()) {
    const size_t n = std::max(flags_internal::WhiteSpaceLength(rest),
                              flags_internal::PunctuationLength(rest));
    if (n > 0) {
      cleaned.push_back(' ');
      rest.remove_prefix(n);
      continue;
    }
    const unsigned char u = static_cast<unsigned char>(rest[0]);
    cleaned.push_back(u < 0x80 && !absl::ascii_isalnum(u) ? ' ' : rest[0]);
    rest.remove_prefix(1);
  }
  return absl::StrSplit(cleaned, ' ', absl::SkipEmpty());
}

bool IsBoilerplatePurpose(absl::string_view purpose) {
  return !GenericPurposeWords(purpose).empty();
}

std::vector<std::string> GenericPurposeWords(absl::string_view purpose) {
  std::vector<std::string> generic;
  if (IsMissingPurpose(purpose)) return generic;
  for (const std::string& word : PurposeWords(purpose)) {
    const std::string folded = Fold(word);
    if (GenericWords().contains(folded)) {
      generic.push_back(word);
    } else if (!FillerWords().contains(folded)) {
      return {};  // a word that says something
    }
  }
  return generic;
}

}  // namespace inrapport
