// Domain types of inrapport: reporting duties, reports and flags. Plain
// values with no wire format attached; services/ converts them to and from
// the protobuf messages.
#ifndef INRAPPORT_COMMON_DOMAIN_TYPES_H_
#define INRAPPORT_COMMON_DOMAIN_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace inrapport {

// The numeric values match the proto enums, so conversion is a cast.
enum class Sector {
  kUnspecified = 0,
  kSocialServices = 1,
  kDisabilitySupport = 2,
  kElderlyCare = 3,
  kHealthCare = 4,
  kSchool = 5,
  kCrisisPreparedness = 6,
  kFinance = 7,
  kHousingPlanning = 8,
  kEnvironment = 9,
  kOther = 10,
};
inline constexpr int kSectorCount = 11;

enum class Frequency {
  kUnspecified = 0,
  kAnnual = 1,
  kSemiannual = 2,
  kQuarterly = 3,
  kMonthly = 4,
  kWeekly = 5,
  kAdHoc = 6,
};

enum class Answer { kUnknown = 0, kYes = 1, kNo = 2 };

// Lower-case snake-case names ("social_services", "quarterly", "ad_hoc"), used
// in CSV files, metric labels and summaries. Parse* accept these names and
// also spaces or hyphens for underscores, in any case.
absl::string_view SectorName(Sector sector);
std::optional<Sector> ParseSector(absl::string_view text);
absl::string_view FrequencyName(Frequency frequency);
std::optional<Frequency> ParseFrequency(absl::string_view text);
absl::string_view AnswerName(Answer answer);  // "unknown", "yes", "no"
std::optional<Answer> ParseAnswer(absl::string_view text);

// Reports a year for a frequency; 0 for ad hoc and unspecified.
int ReportsPerYear(Frequency frequency);

// An explained sign of unnecessary control.
struct Flag {
  std::string code;    // e.g. "NO_STATED_PURPOSE"
  std::string reason;  // a sentence a person understands, in English
  // The figures that triggered the flag, in a stable order.
  std::vector<std::pair<std::string, std::string>> evidence;
  std::string reason_sv;  // the reason in Swedish; empty until a rule gives one

  friend bool operator==(const Flag& a, const Flag& b) {
    return a.code == b.code && a.reason == b.reason && a.reason_sv == b.reason_sv &&
           a.evidence == b.evidence;
  }
};

// One Swedish legal source named in a duty's legal basis, as read by
// ParseLegalBasis (common/flags/legal_basis.h, which lists the forms). The
// numeric kinds match the proto enum, so conversion is a cast.
struct LegalReference {
  enum class Kind {
    kStatute = 1,     // an act with its SFS number: "SoL (2001:453) 16 kap. 6 f §"
    kSection = 2,     // a law abbreviation or named act with chapter/section: "LSS 28 f §"
    kRegulation = 3,  // an agency regulation series: "HSLF-FS 2016:40"
  };
  Kind kind = Kind::kStatute;
  // "SoL", "Lag", "Förordning", "Skollagen" (a named act with its first letter
  // in upper case); "SFS" for a bare SFS number; or the regulation series.
  std::string act;
  std::string sfs;      // "2001:453" for statutes, the number for regulations
  std::string chapter;  // "16", "2 a", or empty
  std::string section;  // "6 f", "3–7" (a range, always with an en dash), or empty
  std::string point;    // the lettered point after the section: "b", "d–e", or empty
  // Canonical text, e.g. "SoL (2001:453) 16 kap. 6 f §", "SoL (2001:453) 14
  // kap. 3–7 §§", "Förordning (1981:1370) 2 § b" or "HSLF-FS 2016:40".
  std::string ToString() const;

  friend bool operator==(const LegalReference& a, const LegalReference& b) {
    return a.kind == b.kind && a.act == b.act && a.sfs == b.sfs && a.chapter == b.chapter &&
           a.section == b.section && a.point == b.point;
  }
};

// The flags a duty had for one period of its reports: what the accounts use
// to count that period's reports as flagged.
struct PeriodFlags {
  std::string period;               // canonical period text
  std::vector<std::string> codes;   // sorted; empty: not flagged
  // The periods of one duty with equal codes share a class, numbered from
  // 0 in the order of their first period, so that summaries group periods
  // without comparing codes; -1: not numbered (compare the codes).
  int class_index = -1;

  friend bool operator==(const PeriodFlags& a, const PeriodFlags& b) {
    return a.period == b.period && a.codes == b.codes;
  }
};

// A state agency registered as a party that may put duties on
// municipalities.
struct Agency {
  std::string id;    // a slug, e.g. "socialstyrelsen"; duties name it
  std::string name;  // in Swedish, as the agency names itself
  // "NNNNNN-NNNN" (Bolagsverket's register); empty: not stated.
  std::string organisation_number;

  friend bool operator==(const Agency& a, const Agency& b) {
    return a.id == b.id && a.name == b.name && a.organisation_number == b.organisation_number;
  }
};

// Where a duty stands; the numbers match the proto enum and are stored:
// never renumber. Only a duty in force accepts reports.
//
//   proposed -> in consultation -> in force -> expired (its date passed)
//        \              \             \----> withdrawn (the arena decided)
//         \--------------\--> rejected
//
// kExpired is never stored: a duty in force whose expires_on has passed
// reads as expired (StateOn), and a renewal puts it back in force.
enum class DutyState {
  kUnspecified = 0,
  kProposed = 1,
  kInConsultation = 2,
  kInForce = 3,
  kRejected = 4,
  kExpired = 5,
  kWithdrawn = 6,
};
inline constexpr int kMaxDutyState = 6;

// "proposed", "in_consultation", "in_force", "rejected", "expired",
// "withdrawn"; ParseDutyState accepts these (any case, spaces or hyphens for
// underscores).
absl::string_view DutyStateName(DutyState state);
std::optional<DutyState> ParseDutyState(absl::string_view text);
// In Swedish, for the pages and the CLI: "föreslaget", "på remiss",
// "gällande", "avslaget", "upphört", "återkallat".
absl::string_view DutyStateNameSv(DutyState state);

// A reporting duty (uppgiftskrav) an agency puts on municipalities.
struct Duty {
  std::string id;
  std::string agency_id;
  std::string title;
  std::string legal_basis;
  std::string purpose;
  Sector sector = Sector::kUnspecified;
  Frequency frequency = Frequency::kUnspecified;
  std::vector<std::string> data_items;
  std::string targeted_grant;
  double estimated_minutes_per_report = 0;
  std::string valid_from;   // "YYYY-MM-DD" or empty
  std::string valid_until;  // "YYYY-MM-DD" or empty
  std::string source_url;
  std::string notes;
  // Who must report: the official codes of the municipalities the duty
  // applies to (those receiving a targeted grant, say), ascending; empty
  // means all 290. National estimates and completeness count only these.
  std::vector<std::string> respondents;
  // When a period's report is due: a DeadlineRule's canonical text
  // (common/domain/deadline.h), e.g. "30 days after period end"; empty: no
  // deadline stated, and then no report of the duty is late.
  std::string deadline;
  // Where the duty stands (common/domain/lifecycle.h). Set by the lifecycle
  // only: a create or update keeps what is stored. A duty registered as in
  // force (the catalogue import) starts in force; a proposal starts proposed.
  DutyState state = DutyState::kInForce;
  std::string consultation_until;  // YYYY-MM-DD, the consultation's last day
  std::string expires_on;  // YYYY-MM-DD: in force until this day; empty: no expiry
  // Derived: recomputed by the catalogue, never taken from a client.
  std::vector<Flag> flags;  // as of today ("flags now")
  // Per period with reports, oldest first: the catalogue flags of the text
  // in force at the period's end, the flags of the duty's reports as a
  // whole, and the period's own NO_RECORDED_USE and EXPIRED.
  std::vector<PeriodFlags> period_flags;
  std::vector<LegalReference> legal_references;  // parsed from legal_basis
  // The legal basis marks what it states as unverified (the catalogue could
  // not confirm the source): shown beside the duty, not a flag.
  bool legal_basis_unverified = false;
  int64_t recorded_uses = 0;
  // Unique to each evaluation of the flags (0: not evaluated): two duties
  // with the same serial have the same flags and period_flags, so what is
  // derived from them can be kept by serial (BurdenIndex::FlagSplit).
  uint64_t flags_serial = 0;

  bool flagged() const { return !flags.empty(); }
};

// One municipality's report (inrapportering) of one duty for one period.
struct Report {
  std::string submission_id;
  std::string municipality_code;
  std::string duty_id;
  std::string period;  // canonical form once validated
  int64_t minutes_spent = 0;
  int32_t staff_count = 0;
  int32_t usefulness = 0;  // 1..5, 0 = not stated
  Answer feedback_received = Answer::kUnknown;
  Answer already_reported_elsewhere = Answer::kUnknown;
  std::string comment;
  // Where the same data is already reported (a duty id or free text); only
  // with already_reported_elsewhere kYes.
  std::string already_reported_where;

  // Same content: what decides whether a resubmission is a retry.
  friend bool operator==(const Report& a, const Report& b) {
    return a.submission_id == b.submission_id &&
           a.municipality_code == b.municipality_code &&
           a.duty_id == b.duty_id && a.period == b.period &&
           a.minutes_spent == b.minutes_spent &&
           a.staff_count == b.staff_count && a.usefulness == b.usefulness &&
           a.feedback_received == b.feedback_received &&
           a.already_reported_elsewhere == b.already_reported_elsewhere &&
           a.comment == b.comment && a.already_reported_where == b.already_reported_where;
  }
  friend bool operator!=(const Report& a, const Report& b) { return !(a == b); }
};

// What an agency did with a duty's data.
// The fixed list of what an agency can have done with a duty's data. The
// numbers are stored: never renumber.
enum class UseKind {
  kUnspecified = 0,
  kPublication = 1,            // a report, an article, open data
  kDecision = 2,               // stored uses only; new uses name a kind below
  kSupervisionDecision = 3,    // a supervision decision (tillsynsbeslut)
  kOther = 4,
  kOfficialStatistics = 5,     // official statistics (officiell statistik)
  kGrantDecision = 6,          // a decision on a state grant
  kPolicyAnalysis = 7,         // analysis for policy or a government assignment
  kReturnedToMunicipalities = 8,  // fed back to the municipalities (återföring)
};
inline constexpr int kMaxUseKind = 8;
absl::string_view UseKindName(UseKind kind);  // "publication", ...
std::optional<UseKind> ParseUseKind(absl::string_view text);

// One recorded use of a duty's data: the evidence that closes the loop back
// to the municipalities that reported it.
struct DutyUse {
  std::string duty_id;
  std::string use_id;  // client-chosen, unique within the duty
  UseKind kind = UseKind::kUnspecified;
  std::string date;    // YYYY-MM-DD
  std::string description;
  std::string link;
  // The periods of the duty's data it used, canonical period text (of any
  // frequency, e.g. "2023" for the quarters of 2023). Empty on uses recorded
  // before uses named their data: those count for every period that had
  // ended by their date.
  std::string first_period;
  std::string last_period;

  friend bool operator==(const DutyUse& a, const DutyUse& b) {
    return a.duty_id == b.duty_id && a.use_id == b.use_id && a.kind == b.kind &&
           a.date == b.date && a.description == b.description && a.link == b.link &&
           a.first_period == b.first_period && a.last_period == b.last_period;
  }
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_DOMAIN_TYPES_H_
