// Validation of duties and reports as clients send them. Every error is
// INVALID_ARGUMENT (or NOT_FOUND, for a reference to something that does not
// exist) and its message starts with the offending field's name as the API
// spells it, e.g. "report.minutes_spent: must be between 1 and 100000, got 0".
#ifndef INRAPPORT_COMMON_DOMAIN_VALIDATION_H_
#define INRAPPORT_COMMON_DOMAIN_VALIDATION_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/domain/lifecycle.h"
#include "common/domain/types.h"
#include "common/text/text_safety.h"  // IsValidUtf8, for callers

namespace inrapport {

// Limits, in bytes of UTF-8 unless said otherwise.
inline constexpr size_t kMaxIdLength = 64;             // duty and agency ids
inline constexpr size_t kMaxSubmissionIdLength = 128;
inline constexpr size_t kMaxTitleLength = 500;
inline constexpr size_t kMaxTextLength = 4000;         // purpose, legal basis, notes
inline constexpr size_t kMaxCommentLength = 2000;
inline constexpr size_t kMaxReportedWhereLength = 200;
inline constexpr size_t kMaxDataItems = 200;
inline constexpr int64_t kMaxMinutesSpent = 100000;    // about one staff-year
inline constexpr int32_t kMaxStaffCount = 10000;
inline constexpr double kMaxEstimatedMinutes = 100000;

// A slug: 1..64 of [a-z0-9_-], starting with a letter or digit.
bool IsValidSlug(absl::string_view id);

// Text fields are valid UTF-8 without control or bidirectional formatting
// characters (IsUnsafeCodePoint). Multi-line fields may also hold tab, CR and
// LF: duty.purpose, duty.legal_basis, duty.notes, use.description and
// report.comment. Every other text (titles, data items, targeted_grant,
// links) is single-line. Values quoted in messages are bounded (QuoteValue).

// Checks a duty as a client sends it (flags are ignored). Field names are
// prefixed with `prefix`, e.g. "duty".
absl::Status ValidateDuty(const Duty& duty, absl::string_view prefix = "duty");

// Checks a report against its duty and canonicalises report->period. `today`
// is the current date: the period may not start after it. Reports for a duty
// outside its validity dates are accepted (they are evidence; later rules flag
// them). Field names are prefixed with "report.".
absl::Status ValidateReport(const Duty& duty, absl::CivilDay today,
                            Report* report);

// Checks a recorded use as an agency sends it: use_id a slug, a kind of the
// fixed list, date a real date not after `today`, the periods of data it
// used (first_period required, last_period defaults to it; neither after the
// use), a description of substance (at least two words, not "." or a single
// word), link bounded. Canonicalises the periods.
// Field names are prefixed with "use.". Does not check that the duty exists.
absl::Status ValidateDutyUse(DutyUse& use, absl::CivilDay today);

// Checks an agency as the administrator sends it: id a slug, name required
// and single-line, organisation_number empty or ten digits that pass the
// Luhn check, with the third at least 2 (a legal person); canonicalises it
// to "NNNNNN-NNNN". Field names are prefixed with "agency.".
absl::Status ValidateAgency(Agency& agency);

// A reason that may be empty (a proposal's, a consultation's):
// INVALID_ARGUMENT naming `field` for text that is too long or unsafe.
absl::Status ValidateOptionalReason(absl::string_view field, absl::string_view reason);
// A required "YYYY-MM-DD" date, read into `day`.
absl::Status ValidateDateField(absl::string_view field, const std::string& text,
                               absl::CivilDay* day);

// A consultation answer's own fields (the duty's state is the lifecycle's
// to check): INVALID_ARGUMENT naming the field.
absl::Status ValidateConsultationAnswer(ConsultationAnswer& answer);
// A decision's own fields on `today`: a kind, a reason, a decision date not
// in the future, an expiry after today for approve and renew only, a
// merge_into for merge only. INVALID_ARGUMENT naming the field.
absl::Status ValidateDecision(const DutyDecision& decision, absl::CivilDay today);

// Checks the report fields that need no duty (ids, municipality, bounds).
absl::Status ValidateReportShape(const Report& report);

// Checks the reason a municipality gives for correcting or withdrawing a
// report: required, one paragraph of text (kMaxCommentLength bytes),
// named as `field`.
absl::Status ValidateChangeReason(absl::string_view field, absl::string_view reason);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_DOMAIN_VALIDATION_H_
