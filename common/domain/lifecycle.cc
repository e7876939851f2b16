#include "common/domain/lifecycle.h"

#include <array>
#include <cctype>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/domain/period.h"

namespace inrapport {
namespace {

constexpr std::array<absl::string_view, kMaxDecisionKind + 1> kDecisionKindNames = {
    "unspecified", "approve", "reject", "renew", "keep", "simplify", "merge", "withdraw"};
constexpr std::array<absl::string_view, kMaxDecisionKind + 1> kDecisionKindNamesSv = {
    "ej angivet", "godkänt",   "avslaget",    "förnyat",
    "behålls",    "förenklas", "slås samman", "återkallat"};

}  // namespace

absl::string_view DecisionKindName(DecisionKind kind) {
  const auto i = static_cast<size_t>(kind);
  return i < kDecisionKindNames.size() ? kDecisionKindNames[i] : "unspecified";
}

std::optional<DecisionKind> ParseDecisionKind(absl::string_view text) {
  std::string wanted;
  for (char c : text) {
    if (c == ' ' || c == '-') c = '_';
    wanted.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  for (size_t i = 1; i < kDecisionKindNames.size(); ++i) {
    if (kDecisionKindNames[i] == wanted) return static_cast<DecisionKind>(i);
  }
  return std::nullopt;
}

absl::string_view DecisionKindNameSv(DecisionKind kind) {
  const auto i = static_cast<size_t>(kind);
  return i < kDecisionKindNamesSv.size() ? kDecisionKindNamesSv[i] : kDecisionKindNamesSv[0];
}

DutyState StateOn(const Duty& duty, absl::CivilDay today) {
  if (duty.state == DutyState::kInForce && !duty.expires_on.empty()) {
    absl::StatusOr<absl::CivilDay> expires = ParseDate(duty.expires_on);
    if (expires.ok() && *expires < today) return DutyState::kExpired;
  }
  return duty.state;
}

absl::Status CheckAcceptsReports(const Duty& duty, absl::CivilDay today) {
  const DutyState state = StateOn(duty, today);
  if (state == DutyState::kInForce) return absl::OkStatus();
  std::string why;
  switch (state) {
    case DutyState::kProposed:
    case DutyState::kInConsultation:
      why = "it is a proposal the arena has not approved";
      break;
    case DutyState::kExpired:
      why = absl::StrCat("its approval ran out on ", duty.expires_on, " and was not renewed");
      break;
    case DutyState::kRejected:
      why = "the arena rejected it";
      break;
    case DutyState::kWithdrawn:
      why = "the arena withdrew it";
      break;
    default:
      why = "it is not in force";
  }
  return absl::FailedPreconditionError(absl::StrCat("report.duty_id: duty \"", duty.id, "\" is ",
                                                    DutyStateName(state), " (", why,
                                                    "): only a duty in force accepts reports"));
}

}  // namespace inrapport
