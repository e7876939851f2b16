#include "common/domain/types.h"

#include <array>
#include <cctype>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace inrapport {
namespace {

constexpr std::array<absl::string_view, kSectorCount> kSectorNames = {
    "unspecified",        "social_services", "disability_support",
    "elderly_care",       "health_care",     "school",
    "crisis_preparedness", "finance",        "housing_planning",
    "environment",        "other"};

constexpr std::array<absl::string_view, 7> kFrequencyNames = {
    "unspecified", "annual", "semiannual", "quarterly",
    "monthly",     "weekly", "ad_hoc"};

constexpr std::array<absl::string_view, 9> kUseKindNames = {
    "unspecified",         "publication",    "decision",
    "supervision_decision", "other",          "official_statistics",
    "grant_decision",      "policy_analysis", "returned_to_municipalities"};

constexpr std::array<absl::string_view, kMaxDutyState + 1> kDutyStateNames = {
    "unspecified", "proposed", "in_consultation", "in_force", "rejected", "expired", "withdrawn"};
constexpr std::array<absl::string_view, kMaxDutyState + 1> kDutyStateNamesSv = {
    "ej angivet", "föreslaget", "på remiss", "gällande", "avslaget", "upphört", "återkallat"};

constexpr std::array<absl::string_view, 3> kAnswerNames = {"unknown", "yes",
                                                           "no"};

// "Ad hoc", "ad-hoc" and "AD_HOC" all become "ad_hoc".
std::string Normalise(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '-') c = '_';
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

template <typename Enum, size_t N>
std::optional<Enum> ParseByName(const std::array<absl::string_view, N>& names,
                                absl::string_view text) {
  const std::string wanted = Normalise(text);
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == wanted) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

bool IsDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "3–7": a range of sections, which takes "§§".
bool IsSectionRange(absl::string_view section) {
  constexpr absl::string_view kEnDash = "\xE2\x80\x93";
  const size_t at = section.find(kEnDash);
  return at != absl::string_view::npos && IsDigits(section.substr(0, at)) &&
         IsDigits(section.substr(at + kEnDash.size()));
}

}  // namespace

std::string LegalReference::ToString() const {
  std::string text;
  if (kind == Kind::kRegulation || act == "SFS") {
    text = absl::StrCat(act, " ", sfs);
  } else {
    text = act;
    if (!sfs.empty()) absl::StrAppend(&text, " (", sfs, ")");
  }
  if (!chapter.empty()) absl::StrAppend(&text, " ", chapter, " kap.");
  if (!section.empty()) {
    absl::StrAppend(&text, " ", section,
                    IsSectionRange(section) ? " \xC2\xA7\xC2\xA7" : " \xC2\xA7");
  }
  if (!point.empty()) absl::StrAppend(&text, " ", point);
  return text;
}

absl::string_view DutyStateName(DutyState state) {
  const auto i = static_cast<size_t>(state);
  return i < kDutyStateNames.size() ? kDutyStateNames[i] : "unspecified";
}
std::optional<DutyState> ParseDutyState(absl::string_view text) {
  std::optional<DutyState> state = ParseByName<DutyState>(kDutyStateNames, text);
  if (state == DutyState::kUnspecified) return std::nullopt;
  return state;
}
absl::string_view DutyStateNameSv(DutyState state) {
  const auto i = static_cast<size_t>(state);
  return i < kDutyStateNamesSv.size() ? kDutyStateNamesSv[i] : kDutyStateNamesSv[0];
}

absl::string_view SectorName(Sector sector) {
  return kSectorNames[static_cast<size_t>(sector)];
}
std::optional<Sector> ParseSector(absl::string_view text) {
  return ParseByName<Sector>(kSectorNames, text);
}
absl::string_view FrequencyName(Frequency frequency) {
  return kFrequencyNames[static_cast<size_t>(frequency)];
}
std::optional<Frequency> ParseFrequency(absl::string_view text) {
  return ParseByName<Frequency>(kFrequencyNames, text);
}
absl::string_view AnswerName(Answer answer) {
  return kAnswerNames[static_cast<size_t>(answer)];
}
std::optional<Answer> ParseAnswer(absl::string_view text) {
  if (text.empty()) return Answer::kUnknown;
  return ParseByName<Answer>(kAnswerNames, text);
}

absl::string_view UseKindName(UseKind kind) {
  return kUseKindNames[static_cast<size_t>(kind)];
}
std::optional<UseKind> ParseUseKind(absl::string_view text) {
  // The earlier name of supervision_decision.
  if (Normalise(text) == "supervision_case") return UseKind::kSupervisionDecision;
  return ParseByName<UseKind>(kUseKindNames, text);
}

int ReportsPerYear(Frequency frequency) {
  switch (frequency) {
    case Frequency::kAnnual: return 1;
    case Frequency::kSemiannual: return 2;
    case Frequency::kQuarterly: return 4;
    case Frequency::kMonthly: return 12;
    case Frequency::kWeekly: return 52;
    case Frequency::kAdHoc:
    case Frequency::kUnspecified: return 0;
  }
  return 0;
}

}  // namespace inrapport
