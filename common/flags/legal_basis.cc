#include "common/flags/legal_basis.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace inrapport {
namespace {

// Abbreviations of Swedish acts that municipal reporting duties cite.
const std::vector<std::string>& Abbreviations() {
  static const auto* list = new std::vector<std::string>{
      "SoL",  // socialtjänstlagen
      "LSS",  // lagen om stöd och service till vissa funktionshindrade
      "SkolL", "HSL", "PBL", "LEH", "LSO", "OSL", "KL", "FL", "PSL", "LVU", "LVM",
      "LOU", "SFL", "LAS", "AML", "MB", "LL", "TL", "AL", "BrB", "RF", "SFB",
      "PUL", "KomL", "FörvL", "HSLF"};
  return *list;
}

enum class TokenKind { kWord, kNumber, kSfs, kOpen, kClose, kSeparator, kSection, kChapter };

struct Token {
  TokenKind kind;
  std::string text;
};

bool IsSfsNumber(absl::string_view word) {
  // YYYY:N, with a plausible year.
  const size_t colon = word.find(':');
  if (colon != 4 || word.size() < 6) return false;
  int year, number;
  return absl::SimpleAtoi(word.substr(0, 4), &year) && year >= 1700 && year <= 2100 &&
         absl::SimpleAtoi(word.substr(5), &number) && number > 0 &&
         std::all_of(word.begin() + 5, word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsRegulationSeries(absl::string_view word) {
  // Upper-case letters (and hyphens) ending in "FS": SKOLFS, HSLF-FS, SCB-FS.
  if (word.size() < 3 || !absl::EndsWith(word, "FS")) return false;
  for (char c : word) {
    if (!(std::isupper(static_cast<unsigned char>(c)) || c == '-')) return false;
  }
  return true;
}

bool IsNamedAct(absl::string_view word) {
  const std::string lower = absl::AsciiStrToLower(word);
  return absl::EndsWith(lower, "lagen") || absl::EndsWith(lower, "lag") ||
         absl::EndsWith(lower, "förordningen") || absl::EndsWith(lower, "förordning") ||
         absl::EndsWith(lower, "balken") || absl::EndsWith(lower, "balk");
}

bool IsAbbreviation(absl::string_view word) {
  const auto& list = Abbreviations();
  return std::find(list.begin(), list.end(), word) != list.end();
}

// Splits into words, numbers, SFS numbers, parentheses, separators and the
// section and chapter markers; drops bracketed notes.
std::vector<Token> Tokenize(absl::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  int bracket_depth = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '[') { ++bracket_depth; ++i; continue; }
    if (c == ']') { bracket_depth = std::max(0, bracket_depth - 1); ++i; continue; }
    if (bracket_depth > 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r') { ++i; continue; }
    if (c == '(') { tokens.push_back({TokenKind::kOpen, "("}); ++i; continue; }
    if (c == ')') { tokens.push_back({TokenKind::kClose, ")"}); ++i; continue; }
    if (c == ';' || c == ',') { tokens.push_back({TokenKind::kSeparator, ";"}); ++i; continue; }
    if (absl::StartsWith(text.substr(i), "§")) {
      size_t j = i;
      while (absl::StartsWith(text.substr(j), "§")) j += 2;  // "§" is two bytes
      tokens.push_back({TokenKind::kSection, "§"});
      i = j;
      continue;
    }
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '(' && text[j] != ')' &&
           text[j] != ';' && text[j] != ',' && text[j] != '[' && text[j] != ']' &&
           text[j] != '\t' && text[j] != '\n' && !absl::StartsWith(text.substr(j), "§")) {
      ++j;
    }
    std::string word(text.substr(i, j - i));
    i = j;
    if (word == "kap." || word == "kap") {
      tokens.push_back({TokenKind::kChapter, word});
    } else if (IsSfsNumber(word)) {
      tokens.push_back({TokenKind::kSfs, word});
    } else if (!word.empty() && std::isdigit(static_cast<unsigned char>(word[0]))) {
      tokens.push_back({TokenKind::kNumber, word});
    } else {
      tokens.push_back({TokenKind::kWord, word});
    }
  }
  return tokens;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  std::vector<LegalReference> Parse() {
    std::vector<LegalReference> references;
    while (pos_ < tokens_.size()) {
      const size_t start = pos_;
      if (std::optional<LegalReference> ref = ParseOne()) {
        references.push_back(std::move(*ref));
      } else {
        pos_ = start + 1;  // not a reference here: move on one token
      }
    }
    return references;
  }

 private:
  const Token* Peek(size_t ahead = 0) const {
    return pos_ + ahead < tokens_.size() ? &tokens_[pos_ + ahead] : nullptr;
  }
  bool At(TokenKind kind, size_t ahead = 0) const {
    const Token* t = Peek(ahead);
    return t != nullptr && t->kind == kind;
  }

  std::optional<LegalReference> ParseOne() {
    const Token* first = Peek();
    if (first == nullptr) return std::nullopt;
    // "SFS 2010:800" or a bare "2015:1052".
    if (first->kind == TokenKind::kWord && first->text == "SFS" && At(TokenKind::kSfs, 1)) {
      LegalReference ref{LegalReference::Kind::kStatute, "SFS", tokens_[pos_ + 1].text, "", ""};
      pos_ += 2;
      return ref;
    }
    if (first->kind == TokenKind::kSfs) {
      ++pos_;
      return LegalReference{LegalReference::Kind::kStatute, "SFS", first->text, "", ""};
    }
    // "HSLF-FS 2016:40".
    if (first->kind == TokenKind::kWord && IsRegulationSeries(first->text) &&
        At(TokenKind::kSfs, 1)) {
      LegalReference ref{LegalReference::Kind::kRegulation, first->text,
                         tokens_[pos_ + 1].text, "", ""};
      pos_ += 2;
      return ref;
    }
    // An act, by abbreviation or name, then "(YYYY:N)", chapter, section.
    if (first->kind != TokenKind::kWord ||
        !(IsAbbreviation(first->text) || IsNamedAct(first->text))) {
      return std::nullopt;
    }
    LegalReference ref;
    ref.act = first->text;
    ++pos_;
    if (At(TokenKind::kOpen) && At(TokenKind::kSfs, 1) && At(TokenKind::kClose, 2)) {
      ref.sfs = tokens_[pos_ + 1].text;
      pos_ += 3;
    }
    if (At(TokenKind::kNumber) && At(TokenKind::kChapter, 1)) {
      ref.chapter = tokens_[pos_].text;
      pos_ += 2;
    }
    // A section: a number, optionally a letter ("6 f") or a range ("3–7"),
    // then "§" or "§§".
    if (At(TokenKind::kNumber)) {
      std::string section = tokens_[pos_].text;
      size_t ahead = 1;
      if (At(TokenKind::kWord, 1) && tokens_[pos_ + 1].text.size() == 1 &&
          std::islower(static_cast<unsigned char>(tokens_[pos_ + 1].text[0]))) {
        section += " " + tokens_[pos_ + 1].text;
        ahead = 2;
      }
      if (At(TokenKind::kSection, ahead)) {
        ref.section = section;
        pos_ += ahead + 1;
      }
    }
    if (!ref.sfs.empty()) {
      ref.kind = LegalReference::Kind::kStatute;
      return ref;
    }
    // Without an SFS number, an act counts only with a chapter or section,
    // and a generic "lag" or "förordning" does not count at all.
    const std::string lower = absl::AsciiStrToLower(ref.act);
    if ((ref.chapter.empty() && ref.section.empty()) || lower == "lag" ||
        lower == "förordning") {
      return std::nullopt;
    }
    ref.kind = LegalReference::Kind::kSection;
    return ref;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

}  // namespace

std::string LegalReference::ToString() const {
  if (kind == Kind::kRegulation) return absl::StrCat(act, " ", sfs);
  if (act == "SFS") return absl::StrCat("SFS ", sfs);
  std::string text = act;
  if (!sfs.empty()) absl::StrAppend(&text, " (", sfs, ")");
  if (!chapter.empty()) absl::StrAppend(&text, " ", chapter, " kap.");
  if (!section.empty()) absl::StrAppend(&text, " ", section, " §");
  return text;
}

std::vector<LegalReference> ParseLegalBasis(absl::string_view text) {
  return Parser(Tokenize(text)).Parse();
}

const std::vector<std::string>& KnownLawAbbreviations() { return Abbreviations(); }

}  // namespace inrapport
