#include "services/convert/enum_convert.h"

namespace inrapport {
namespace {

// Same number on both sides, checked where the cast is defined.
#define INRAPPORT_SAME_NUMBER(domain, proto)                       \
  static_assert(static_cast<int>(domain) == static_cast<int>(proto), \
                #domain " and " #proto " must have the same number")

INRAPPORT_SAME_NUMBER(Sector::kUnspecified, v1::SECTOR_UNSPECIFIED);
INRAPPORT_SAME_NUMBER(Sector::kSocialServices, v1::SECTOR_SOCIAL_SERVICES);
INRAPPORT_SAME_NUMBER(Sector::kDisabilitySupport, v1::SECTOR_DISABILITY_SUPPORT);
INRAPPORT_SAME_NUMBER(Sector::kElderlyCare, v1::SECTOR_ELDERLY_CARE);
INRAPPORT_SAME_NUMBER(Sector::kHealthCare, v1::SECTOR_HEALTH_CARE);
INRAPPORT_SAME_NUMBER(Sector::kSchool, v1::SECTOR_SCHOOL);
INRAPPORT_SAME_NUMBER(Sector::kCrisisPreparedness, v1::SECTOR_CRISIS_PREPAREDNESS);
INRAPPORT_SAME_NUMBER(Sector::kFinance, v1::SECTOR_FINANCE);
INRAPPORT_SAME_NUMBER(Sector::kHousingPlanning, v1::SECTOR_HOUSING_PLANNING);
INRAPPORT_SAME_NUMBER(Sector::kEnvironment, v1::SECTOR_ENVIRONMENT);
INRAPPORT_SAME_NUMBER(Sector::kOther, v1::SECTOR_OTHER);
static_assert(kSectorCount == v1::Sector_ARRAYSIZE, "a sector exists on one side only");

INRAPPORT_SAME_NUMBER(Frequency::kUnspecified, v1::FREQUENCY_UNSPECIFIED);
INRAPPORT_SAME_NUMBER(Frequency::kAnnual, v1::FREQUENCY_ANNUAL);
INRAPPORT_SAME_NUMBER(Frequency::kSemiannual, v1::FREQUENCY_SEMIANNUAL);
INRAPPORT_SAME_NUMBER(Frequency::kQuarterly, v1::FREQUENCY_QUARTERLY);
INRAPPORT_SAME_NUMBER(Frequency::kMonthly, v1::FREQUENCY_MONTHLY);
INRAPPORT_SAME_NUMBER(Frequency::kWeekly, v1::FREQUENCY_WEEKLY);
INRAPPORT_SAME_NUMBER(Frequency::kAdHoc, v1::FREQUENCY_AD_HOC);
static_assert(static_cast<int>(Frequency::kAdHoc) == v1::Frequency_MAX,
              "a frequency exists on one side only");

INRAPPORT_SAME_NUMBER(Answer::kUnknown, v1::ANSWER_UNSPECIFIED);
INRAPPORT_SAME_NUMBER(Answer::kYes, v1::ANSWER_YES);
INRAPPORT_SAME_NUMBER(Answer::kNo, v1::ANSWER_NO);
static_assert(static_cast<int>(Answer::kNo) == v1::Answer_MAX, "an answer exists on one side only");

INRAPPORT_SAME_NUMBER(UseKind::kUnspecified, v1::USE_KIND_UNSPECIFIED);
INRAPPORT_SAME_NUMBER(UseKind::kPublication, v1::USE_KIND_PUBLICATION);
// Deprecated in the API, yet uses stored with it keep their number.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
INRAPPORT_SAME_NUMBER(UseKind::kDecision, v1::USE_KIND_DECISION);
#pragma GCC diagnostic pop
INRAPPORT_SAME_NUMBER(UseKind::kSupervisionDecision, v1::USE_KIND_SUPERVISION_DECISION);
INRAPPORT_SAME_NUMBER(UseKind::kOther, v1::USE_KIND_OTHER);
INRAPPORT_SAME_NUMBER(UseKind::kOfficialStatistics, v1::USE_KIND_OFFICIAL_STATISTICS);
INRAPPORT_SAME_NUMBER(UseKind::kGrantDecision, v1::USE_KIND_GRANT_DECISION);
INRAPPORT_SAME_NUMBER(UseKind::kPolicyAnalysis, v1::USE_KIND_POLICY_ANALYSIS);
INRAPPORT_SAME_NUMBER(UseKind::kReturnedToMunicipalities,
                      v1::USE_KIND_RETURNED_TO_MUNICIPALITIES);
static_assert(kMaxUseKind == v1::UseKind_MAX, "a use kind exists on one side only");

INRAPPORT_SAME_NUMBER(LegalReference::Kind::kStatute, v1::LegalReference::KIND_STATUTE);
INRAPPORT_SAME_NUMBER(LegalReference::Kind::kSection, v1::LegalReference::KIND_SECTION);
INRAPPORT_SAME_NUMBER(LegalReference::Kind::kRegulation, v1::LegalReference::KIND_REGULATION);
static_assert(static_cast<int>(LegalReference::Kind::kRegulation) == v1::LegalReference::Kind_MAX,
              "a legal reference kind exists on one side only");

INRAPPORT_SAME_NUMBER(DutyState::kUnspecified, v1::DUTY_STATE_UNSPECIFIED);
INRAPPORT_SAME_NUMBER(DutyState::kProposed, v1::DUTY_STATE_PROPOSED);
INRAPPORT_SAME_NUMBER(DutyState::kInConsultation, v1::DUTY_STATE_IN_CONSULTATION);
INRAPPORT_SAME_NUMBER(DutyState::kInForce, v1::DUTY_STATE_IN_FORCE);
INRAPPORT_SAME_NUMBER(DutyState::kRejected, v1::DUTY_STATE_REJECTED);
INRAPPORT_SAME_NUMBER(DutyState::kExpired, v1::DUTY_STATE_EXPIRED);
INRAPPORT_SAME_NUMBER(DutyState::kWithdrawn, v1::DUTY_STATE_WITHDRAWN);
static_assert(kMaxDutyState == v1::DutyState_MAX, "a duty state exists on one side only");

INRAPPORT_SAME_NUMBER(DecisionKind::kUnspecified, v1::DECISION_KIND_UNSPECIFIED);
INRAPPORT_SAME_NUMBER(DecisionKind::kApprove, v1::DECISION_KIND_APPROVE);
INRAPPORT_SAME_NUMBER(DecisionKind::kReject, v1::DECISION_KIND_REJECT);
INRAPPORT_SAME_NUMBER(DecisionKind::kRenew, v1::DECISION_KIND_RENEW);
INRAPPORT_SAME_NUMBER(DecisionKind::kKeep, v1::DECISION_KIND_KEEP);
INRAPPORT_SAME_NUMBER(DecisionKind::kSimplify, v1::DECISION_KIND_SIMPLIFY);
INRAPPORT_SAME_NUMBER(DecisionKind::kMerge, v1::DECISION_KIND_MERGE);
INRAPPORT_SAME_NUMBER(DecisionKind::kWithdraw, v1::DECISION_KIND_WITHDRAW);
static_assert(kMaxDecisionKind == v1::DecisionKind_MAX, "a decision kind exists on one side only");

#undef INRAPPORT_SAME_NUMBER

}  // namespace

Sector FromProto(v1::Sector sector) { return static_cast<Sector>(sector); }
Frequency FromProto(v1::Frequency frequency) { return static_cast<Frequency>(frequency); }
Answer FromProto(v1::Answer answer) { return static_cast<Answer>(answer); }
UseKind FromProto(v1::UseKind kind) { return static_cast<UseKind>(kind); }
DutyState FromProto(v1::DutyState state) { return static_cast<DutyState>(state); }
DecisionKind FromProto(v1::DecisionKind kind) { return static_cast<DecisionKind>(kind); }
v1::DutyState ToProto(DutyState state) { return static_cast<v1::DutyState>(state); }
v1::DecisionKind ToProto(DecisionKind kind) { return static_cast<v1::DecisionKind>(kind); }

std::optional<GroupBy> FromProto(v1::GroupBy group_by) {
  switch (group_by) {
    case v1::GROUP_BY_AGENCY: return GroupBy::kAgency;
    case v1::GROUP_BY_DUTY: return GroupBy::kDuty;
    case v1::GROUP_BY_MUNICIPALITY: return GroupBy::kMunicipality;
    case v1::GROUP_BY_COUNTY: return GroupBy::kCounty;
    case v1::GROUP_BY_SECTOR: return GroupBy::kSector;
    case v1::GROUP_BY_PERIOD: return GroupBy::kPeriod;
    case v1::GROUP_BY_FLAG: return GroupBy::kFlag;
    default: return std::nullopt;
  }
}

std::optional<ReportFormat> FromProto(v1::ReportFormat format) {
  switch (format) {
    case v1::REPORT_FORMAT_MARKDOWN: return ReportFormat::kMarkdown;
    case v1::REPORT_FORMAT_CSV: return ReportFormat::kCsv;
    case v1::REPORT_FORMAT_JSON: return ReportFormat::kJson;
    case v1::REPORT_FORMAT_HTML: return ReportFormat::kHtml;
    default: return std::nullopt;
  }
}

v1::Sector ToProto(Sector sector) { return static_cast<v1::Sector>(sector); }
v1::Frequency ToProto(Frequency frequency) { return static_cast<v1::Frequency>(frequency); }
v1::Answer ToProto(Answer answer) { return static_cast<v1::Answer>(answer); }
v1::UseKind ToProto(UseKind kind) { return static_cast<v1::UseKind>(kind); }
v1::LegalReference::Kind ToProto(LegalReference::Kind kind) {
  return static_cast<v1::LegalReference::Kind>(kind);
}

}  // namespace inrapport
