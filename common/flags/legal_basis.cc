#include "common/flags/legal_basis.h"

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/flags/text_internal.h"

namespace inrapport {
namespace {

using flags_internal::WhiteSpaceLength;

constexpr absl::string_view kSectionSign = "\xC2\xA7";  // "§"
constexpr absl::string_view kEnDash = "\xE2\x80\x93";   // "–"

// Abbreviations of Swedish acts that municipal reporting duties cite.
const std::vector<std::string>& Abbreviations() {
  static const auto* list = new std::vector<std::string>{
      "SoL",    // socialtjänstlagen
      "SoF",    // socialtjänstförordningen
      "LSS",    // lagen om stöd och service till vissa funktionshindrade
      "SkolL",  // skollagen
      "SkolF",  // skolförordningen
      "HSL",    // hälso- och sjukvårdslagen
      "PSL",    // patientsäkerhetslagen
      "PDL",    // patientdatalagen
      "PBL",    // plan- och bygglagen
      "PBF",    // plan- och byggförordningen
      "LEH",    // lagen om kommuners och regioners åtgärder inför och vid
                // extraordinära händelser i fredstid och höjd beredskap
      "LSO",    // lagen om skydd mot olyckor
      "OSL",    // offentlighets- och sekretesslagen
      "KL", "KomL",   // kommunallagen
      "FL", "FörvL",  // förvaltningslagen
      "LVU",  // lagen med särskilda bestämmelser om vård av unga
      "LVM",  // lagen om vård av missbrukare i vissa fall
      "LMA",  // lagen om mottagande av asylsökande m.fl.
      "LOU",  // lagen om offentlig upphandling
      "LOV",  // lagen om valfrihetssystem
      "SFL",  // skatteförfarandelagen
      "SFB",  // socialförsäkringsbalken
      "LAS",  // lagen om anställningsskydd
      "AML",  // arbetsmiljölagen
      "MB",   // miljöbalken
      "LL",   // livsmedelslagen
      "AL",   // alkohollagen
      "TL",   // tobakslagen (until 2019)
      "LTRP",  // lagen om tobak och liknande produkter
      "BrB",  // brottsbalken
      "RF",   // regeringsformen
      "PUL"};  // personuppgiftslagen (until 2018)
  return *list;
}

// Series whose "YYYY:N" numbers are not statutes: government inquiries,
// bills, committee reports, directives and case-law reports.
bool IsOtherSeries(absl::string_view word) {
  static const auto* series = new absl::flat_hash_set<std::string>{
      "sou", "ds", "dir", "prop", "bet", "rskr", "skr", "rh", "mig", "möd", "md", "pmöd",
      "pmd", "nja"};
  if (absl::EndsWith(word, ".")) word.remove_suffix(1);
  return series->contains(absl::AsciiStrToLower(word));
}

bool IsDigits(absl::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

bool IsSfsNumber(absl::string_view word) {
  // YYYY:N, with a plausible year.
  const size_t colon = word.find(':');
  if (colon != 4 || word.size() < 6) return false;
  int year, number;
  return IsDigits(word.substr(0, 4)) && IsDigits(word.substr(5)) &&
         absl::SimpleAtoi(word.substr(0, 4), &year) && year >= 1700 && year <= 2100 &&
         absl::SimpleAtoi(word.substr(5), &number) && number > 0;
}

bool IsRegulationSeries(absl::string_view word) {
  // Upper-case letters (Å, Ä and Ö too) and hyphens ending in "FS", starting
  // with a letter: SKOLFS, HSLF-FS, SCB-FS, AFS, ELSÄK-FS.
  if (word.size() < 3 || !absl::EndsWith(word, "FS") || word[0] == '-') return false;
  for (size_t i = 0; i < word.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(word[i]);
    if ((c >= 'A' && c <= 'Z') || c == '-') continue;
    if (c == 0xC3 && i + 1 < word.size()) {
      const unsigned char next = static_cast<unsigned char>(word[i + 1]);
      if (next == 0x85 || next == 0x84 || next == 0x96) {  // Å Ä Ö
        ++i;
        continue;
      }
    }
    return false;
  }
  return true;
}

// A word that is the name of an act: "Skollagen", "Patientsäkerhetslagen",
// "Förordning", "Avfallsförordningen", "Miljöbalken".
bool IsNamedAct(absl::string_view word) {
  if (word.empty()) return false;
  for (char c : word) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x80 && !absl::ascii_isalpha(u)) return false;
  }
  const std::string lower = absl::AsciiStrToLower(word);
  // Common words that end like an act but are none: "förslag" (proposal),
  // "underlag" (basis), "anslag" (appropriation), "bolag" (company)...
  for (absl::string_view not_act :
       {"förslag", "underlag", "anslag", "avslag", "bolag", "inslag", "utslag", "påslag",
        "tillslag", "beslag", "omslag", "uppslag", "upplag", "anlag", "ordalag"}) {
    if (absl::EndsWith(lower, not_act)) return false;
  }
  if (lower == "slag") return false;
  for (absl::string_view ending :
       {"lagen", "lag", "förordningen", "förordning", "balken", "balk", "kungörelsen",
        "kungörelse"}) {
    if (absl::EndsWith(lower, ending)) return true;
  }
  return false;
}

// "lag", "förordningen": an act named only by its kind, which says nothing
// without its SFS number.
bool IsGenericAct(absl::string_view act) {
  const std::string lower = absl::AsciiStrToLower(act);
  for (absl::string_view generic : {"lag", "lagen", "förordning", "förordningen", "balk",
                                    "balken", "kungörelse", "kungörelsen"}) {
    if (lower == generic) return true;
  }
  return false;
}

bool IsAbbreviation(absl::string_view word) {
  const auto& list = Abbreviations();
  return std::find(list.begin(), list.end(), word) != list.end();
}

bool IsAct(absl::string_view word) { return IsAbbreviation(word) || IsNamedAct(word); }

// A named act with its first letter in upper case ("förordning" becomes
// "Förordning"); abbreviations stay as written.
std::string CanonicalAct(absl::string_view word) {
  std::string act(word);
  if (IsAbbreviation(word) || act.empty()) return act;
  const unsigned char c = static_cast<unsigned char>(act[0]);
  if (c >= 'a' && c <= 'z') {
    act[0] = static_cast<char>(c - 'a' + 'A');
  } else if (c == 0xC3 && act.size() > 1) {
    const unsigned char next = static_cast<unsigned char>(act[1]);
    if (next == 0xA5 || next == 0xA4 || next == 0xB6) act[1] = static_cast<char>(next - 0x20);
  }
  return act;
}

// "3-7" and "3–7" as "3–7".
std::string WithEnDash(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"-", kEnDash}});
}

// "3–7" or "3-7": a range of sections.
bool IsRange(absl::string_view text) {
  for (absl::string_view dash : {kEnDash, absl::string_view("-")}) {
    const size_t at = text.find(dash);
    if (at != absl::string_view::npos) {
      return IsDigits(text.substr(0, at)) && IsDigits(text.substr(at + dash.size()));
    }
  }
  return false;
}

bool IsLowerLetter(absl::string_view word) {
  return word.size() == 1 && word[0] >= 'a' && word[0] <= 'z';
}

// The lettered point after a section: "b", "d–e" ("i" is the preposition).
bool IsPoint(absl::string_view word) {
  if (IsLowerLetter(word)) return word != "i";
  for (absl::string_view dash : {kEnDash, absl::string_view("-")}) {
    if (word.size() == 2 + dash.size() && IsLowerLetter(word.substr(0, 1)) &&
        word.substr(1, dash.size()) == dash && IsLowerLetter(word.substr(1 + dash.size()))) {
      return true;
    }
  }
  return false;
}

enum class TokenKind { kWord, kNumber, kSfs, kOpen, kClose, kSeparator, kSection, kChapter };

struct Token {
  TokenKind kind;
  std::string text;
  // A name joined from several words: "Plan- och bygglagen".
  bool joined_act = false;
};

bool EndsWord(absl::string_view rest) {
  const char c = rest[0];
  return c == '(' || c == ')' || c == ';' || c == ',' || c == '[' || c == ']' ||
         absl::StartsWith(rest, kSectionSign) || WhiteSpaceLength(rest) > 0;
}

// Splits into words, numbers, SFS numbers, parentheses, separators and the
// section and chapter markers; drops bracketed notes. White space includes
// the no-break spaces of text copied from web pages.
std::vector<Token> Tokenize(absl::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  int bracket_depth = 0;
  while (i < text.size()) {
    const absl::string_view rest = text.substr(i);
    const char c = rest[0];
    if (c == '[') { ++bracket_depth; ++i; continue; }
    if (c == ']') { bracket_depth = std::max(0, bracket_depth - 1); ++i; continue; }
    if (bracket_depth > 0) { ++i; continue; }
    if (const size_t space = WhiteSpaceLength(rest); space > 0) { i += space; continue; }
    if (c == '(') { tokens.push_back({TokenKind::kOpen, "("}); ++i; continue; }
    if (c == ')') { tokens.push_back({TokenKind::kClose, ")"}); ++i; continue; }
    if (c == ';' || c == ',') { tokens.push_back({TokenKind::kSeparator, ";"}); ++i; continue; }
    if (absl::StartsWith(rest, kSectionSign)) {
      size_t j = i;
      while (absl::StartsWith(text.substr(j), kSectionSign)) j += kSectionSign.size();
      tokens.push_back({TokenKind::kSection, std::string(text.substr(i, j - i))});
      i = j;
      continue;
    }
    size_t j = i;
    while (j < text.size() && !EndsWord(text.substr(j))) ++j;
    const absl::string_view word = text.substr(i, j - i);
    i = j;
    // A word at the end of a sentence: "SFS 2010:800." or "... 1 § SoL."
    absl::string_view bare = word;
    if (bare.size() > 1 && (absl::EndsWith(bare, ".") || absl::EndsWith(bare, ":"))) {
      bare.remove_suffix(1);
    }
    if (word == "kap." || word == "kap") {
      tokens.push_back({TokenKind::kChapter, "kap."});
    } else if (IsSfsNumber(bare)) {
      tokens.push_back({TokenKind::kSfs, std::string(bare)});
    } else if (absl::ascii_isdigit(static_cast<unsigned char>(word[0]))) {
      tokens.push_back({TokenKind::kNumber, std::string(word)});
    } else if (IsAct(bare) || IsRegulationSeries(bare)) {
      tokens.push_back({TokenKind::kWord, std::string(bare)});
    } else {
      tokens.push_back({TokenKind::kWord, std::string(word)});
    }
  }
  // "Plan- och bygglagen", "Hälso- och sjukvårdslagen": one act.
  std::vector<Token> joined;
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (k + 2 < tokens.size() && tokens[k].kind == TokenKind::kWord &&
        tokens[k].text.size() > 1 && tokens[k].text.back() == '-' &&
        tokens[k + 1].kind == TokenKind::kWord && tokens[k + 1].text == "och" &&
        tokens[k + 2].kind == TokenKind::kWord && IsNamedAct(tokens[k + 2].text)) {
      joined.push_back({TokenKind::kWord,
                        absl::StrCat(tokens[k].text, " och ", tokens[k + 2].text), true});
      k += 2;
      continue;
    }
    joined.push_back(std::move(tokens[k]));
  }
  return joined;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  std::vector<LegalReference> Parse() {
    std::vector<LegalReference> references;
    while (pos_ < tokens_.size()) {
      const size_t start = pos_;
      if (At(TokenKind::kWord) && IsOtherSeries(Text()) && At(TokenKind::kSfs, 1)) {
        pos_ += 2;  // "SOU 2018:47": a number, but not of a statute
        continue;
      }
      if (std::optional<LegalReference> ref = ParseOne()) {
        references.push_back(*ref);
        ParseContinuations(*ref, references);
      } else {
        pos_ = start + 1;  // not a reference here: move on one token
      }
    }
    return references;
  }

 private:
  bool At(TokenKind kind, size_t ahead = 0) const {
    return pos_ + ahead < tokens_.size() && tokens_[pos_ + ahead].kind == kind;
  }
  const std::string& Text(size_t ahead = 0) const { return tokens_[pos_ + ahead].text; }
  bool AtAct(size_t ahead = 0) const {
    return At(TokenKind::kWord, ahead) &&
           (tokens_[pos_ + ahead].joined_act || IsAct(Text(ahead)));
  }
  bool AtLetter(size_t ahead) const {
    return At(TokenKind::kWord, ahead) && IsLowerLetter(Text(ahead));
  }

  // An act next ("SoL", "i socialtjänstlagen"): the place before it is its.
  bool ActFollows() const {
    if (AtAct()) return true;
    return At(TokenKind::kWord) && Text() == "i" && AtAct(1);
  }

  // "(YYYY:N)" after an act.
  void ParseSfsInParentheses(LegalReference& ref) {
    if (At(TokenKind::kOpen) && At(TokenKind::kSfs, 1) && At(TokenKind::kClose, 2)) {
      ref.sfs = Text(1);
      pos_ += 3;
    }
  }

  // "16 kap.", "2 a kap.", "6 f §", "3–7 §§", "2 § b": the chapter and the
  // section (with its point), each optional. True if either was there.
  bool ParseLocation(LegalReference& ref) {
    bool found = false;
    if (At(TokenKind::kNumber) && IsDigits(Text())) {
      if (At(TokenKind::kChapter, 1)) {
        ref.chapter = Text();
        pos_ += 2;
        found = true;
      } else if (AtLetter(1) && At(TokenKind::kChapter, 2)) {
        ref.chapter = absl::StrCat(Text(), " ", Text(1));
        pos_ += 3;
        found = true;
      }
    }
    if (At(TokenKind::kNumber) && (IsDigits(Text()) || IsRange(Text()))) {
      std::string section = WithEnDash(Text());
      size_t ahead = 1;
      if (IsDigits(Text()) && AtLetter(1)) {
        absl::StrAppend(&section, " ", Text(1));
        ahead = 2;
      }
      if (At(TokenKind::kSection, ahead)) {
        ref.section = std::move(section);
        pos_ += ahead + 1;
        found = true;
        // A point stands alone: "2 § b;" but not "2 § a municipality".
        if (At(TokenKind::kWord) && IsPoint(Text()) && !At(TokenKind::kWord, 1) &&
            !At(TokenKind::kNumber, 1)) {
          ref.point = WithEnDash(Text());
          ++pos_;
        }
      }
    }
    return found;
  }

  // "8 a § och 9 §", "16 kap. 6 f § samt 7 §": more places in the act just
  // read, each a reference of its own. A place without a chapter is in the
  // chapter before it. A place followed by an act belongs to that act.
  void ParseContinuations(const LegalReference& previous,
                          std::vector<LegalReference>& references) {
    if (previous.section.empty() && previous.chapter.empty()) return;
    const LegalReference* last = &previous;
    while (At(TokenKind::kWord) && At(TokenKind::kNumber, 1) &&
           (Text() == "och" || Text() == "samt" || Text() == "and")) {
      const size_t start = pos_;
      ++pos_;
      LegalReference next;
      next.kind = last->kind;
      next.act = last->act;
      next.sfs = last->sfs;
      if (!ParseLocation(next) || ActFollows()) {
        pos_ = start;
        return;
      }
      if (next.chapter.empty()) next.chapter = last->chapter;
      references.push_back(std::move(next));
      last = &references.back();
    }
  }

  std::optional<LegalReference> ParseOne() {
    LegalReference ref;
    // "SFS 2010:800" or a bare "2015:1052".
    if (At(TokenKind::kWord) && Text() == "SFS" && At(TokenKind::kSfs, 1)) {
      ref.sfs = Text(1);
      pos_ += 2;
    } else if (At(TokenKind::kSfs)) {
      ref.sfs = Text();
      ++pos_;
    }
    if (!ref.sfs.empty()) {
      ref.kind = LegalReference::Kind::kStatute;
      ref.act = "SFS";
      ParseLocation(ref);
      return ref;
    }
    // "HSLF-FS 2016:40".
    if (At(TokenKind::kWord) && IsRegulationSeries(Text()) && At(TokenKind::kSfs, 1)) {
      ref.kind = LegalReference::Kind::kRegulation;
      ref.act = Text();
      ref.sfs = Text(1);
      pos_ += 2;
      ParseLocation(ref);
      return ref;
    }
    bool located = false;
    if (AtAct()) {
      // An act first: "SoL (2001:453) 16 kap. 6 f §", "Skollagen 26 kap. 25 §".
      ref.act = CanonicalAct(Text());
      ++pos_;
      ParseSfsInParentheses(ref);
      located = ParseLocation(ref);
    } else if (At(TokenKind::kNumber)) {
      // The act last: "4 kap. 1 § SoL", "9 § LSS", "2 § i förordningen (1981:1370)".
      if (!ParseLocation(ref)) return std::nullopt;
      if (At(TokenKind::kWord) && Text() == "i" && AtAct(1)) ++pos_;
      if (!AtAct()) return std::nullopt;
      ref.act = CanonicalAct(Text());
      ++pos_;
      ParseSfsInParentheses(ref);
      located = true;
    } else {
      return std::nullopt;
    }
    if (!ref.sfs.empty()) {
      ref.kind = LegalReference::Kind::kStatute;
      return ref;
    }
    // Without an SFS number, an act counts only with a chapter or section,
    // and a generic "lag" or "förordning" does not count at all.
    if (!located || IsGenericAct(ref.act)) return std::nullopt;
    ref.kind = LegalReference::Kind::kSection;
    return ref;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<LegalReference> ParseLegalBasis(absl::string_view text) {
  return Parser(Tokenize(text)).Parse();
}

const std::vector<std::string>& KnownLawAbbreviations() { return Abbreviations(); }

LegalBasisReading ReadLegalBasis(absl::string_view text) {
  LegalBasisReading reading;
  const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  auto has = [&](absl::string_view word) { return absl::StrContains(lower, word); };
  // Swedish letters are not ASCII: "Saknas" and "Överenskommelse" are
  // matched in both cases.
  reading.none_stated = lower.empty() || absl::StartsWith(lower, "none") ||
                        absl::StartsWith(lower, "saknas") || absl::StartsWith(lower, "ingen") ||
                        absl::StartsWith(lower, "inget");
  reading.unverified = has("unverified") || has("ej verifierad") || has("overifierad") ||
                       has("ej bekräftad");
  reading.non_statutory = has("regeringsbeslut") || has("regeringsuppdrag") ||
                          has("regleringsbrev") || has("government assignment") ||
                          has("government decision") || has("överenskommelse") ||
                          has("Överenskommelse");
  return reading;
}

}  // namespace inrapport
