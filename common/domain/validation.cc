#include "common/domain/validation.h"

#include <cmath>
#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/domain/deadline.h"
#include "common/domain/municipalities.h"
#include "common/domain/period.h"
#include "common/text/text_safety.h"

namespace inrapport {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

// Bounded, valid UTF-8 text without unsafe characters (text_safety.h);
// multi-line text may also hold tab and line breaks. `required` also rejects
// empty or blank text.
absl::Status CheckText(absl::string_view field, absl::string_view text,
                       size_t max_bytes, bool required, TextKind kind) {
  if (required && absl::StripAsciiWhitespace(text).empty()) {
    return Invalid(field, "must not be empty");
  }
  if (text.size() > max_bytes) {
    return Invalid(field, absl::StrCat("must be at most ", max_bytes,
                                       " bytes, got ", text.size()));
  }
  if (!IsValidUtf8(text)) return Invalid(field, "is not valid UTF-8");
  if (std::optional<UnsafeCharacter> unsafe = FindUnsafeCharacter(text, kind)) {
    return Invalid(field, absl::StrCat(
        "contains ", CodePointName(unsafe->code_point), " at byte ", unsafe->offset,
        ": control and bidirectional formatting characters are not allowed",
        kind == TextKind::kMultiLine ? " (tab and line breaks are)" : ""));
  }
  return absl::OkStatus();
}

absl::Status CheckSlug(absl::string_view field, absl::string_view id) {
  if (id.empty()) return Invalid(field, "must not be empty");
  if (!IsValidSlug(id)) {
    return Invalid(field, absl::StrCat(
        QuoteValue(id),
        " must be 1 to 64 lower-case letters, digits, '-' or '_', starting "
        "with a letter or digit"));
  }
  return absl::OkStatus();
}

absl::Status CheckDate(absl::string_view field, const std::string& text,
                       absl::CivilDay* day) {
  absl::StatusOr<absl::CivilDay> parsed = ParseDate(text);
  if (!parsed.ok()) return Invalid(field, parsed.status().message());
  *day = *parsed;
  return absl::OkStatus();
}

absl::Status CheckAnswer(absl::string_view field, Answer answer) {
  const int value = static_cast<int>(answer);
  if (value < 0 || value > 2) {
    return Invalid(field, absl::StrCat("unknown answer value ", value));
  }
  return absl::OkStatus();
}

// The form of a period of `frequency`, for messages.
absl::string_view ExampleOf(Frequency frequency) {
  switch (frequency) {
    case Frequency::kAnnual: return "2025";
    case Frequency::kSemiannual: return "2025H1";
    case Frequency::kQuarterly: return "2025Q3";
    case Frequency::kMonthly: return "2025-03";
    case Frequency::kWeekly: return "2025W05";
    case Frequency::kAdHoc: return "2025-03-14";
    case Frequency::kUnspecified: break;
  }
  return "2025";
}

absl::string_view Adverb(Frequency frequency) {
  switch (frequency) {
    case Frequency::kAnnual: return "annually";
    case Frequency::kSemiannual: return "semiannually";
    case Frequency::kQuarterly: return "quarterly";
    case Frequency::kMonthly: return "monthly";
    case Frequency::kWeekly: return "weekly";
    case Frequency::kAdHoc: return "ad hoc";
    case Frequency::kUnspecified: break;
  }
  return "with no frequency";
}

}  // namespace

bool IsValidSlug(absl::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '-' && c != '_'))) return false;
  }
  return true;
}

absl::Status ValidateDuty(const Duty& duty, absl::string_view prefix) {
  const auto field = [&](absl::string_view name) { return absl::StrCat(prefix, ".", name); };
  RETURN_IF_ERROR(CheckSlug(field("id"), duty.id));
  RETURN_IF_ERROR(CheckSlug(field("agency_id"), duty.agency_id));
  RETURN_IF_ERROR(CheckText(field("title"), duty.title, kMaxTitleLength, true, TextKind::kSingleLine));
  RETURN_IF_ERROR(CheckText(field("legal_basis"), duty.legal_basis, kMaxTextLength, false,
                           TextKind::kMultiLine));
  // An empty purpose is allowed: it is what the NO_STATED_PURPOSE flag shows.
  RETURN_IF_ERROR(CheckText(field("purpose"), duty.purpose, kMaxTextLength, false, TextKind::kMultiLine));
  const int sector = static_cast<int>(duty.sector);
  if (sector <= 0 || sector >= kSectorCount) {
    return Invalid(field("sector"), sector == 0 ? "must be specified"
                                                : absl::StrCat("unknown sector value ", sector));
  }
  const int frequency = static_cast<int>(duty.frequency);
  if (frequency <= 0 || frequency > static_cast<int>(Frequency::kAdHoc)) {
    return Invalid(field("frequency"),
                   frequency == 0 ? "must be specified"
                                  : absl::StrCat("unknown frequency value ", frequency));
  }
  if (duty.data_items.size() > kMaxDataItems) {
    return Invalid(field("data_items"), absl::StrCat("at most ", kMaxDataItems,
                                                     " items, got ", duty.data_items.size()));
  }
  for (size_t i = 0; i < duty.data_items.size(); ++i) {
    RETURN_IF_ERROR(CheckText(absl::StrCat(prefix, ".data_items[", i, "]"),
                              duty.data_items[i], 200, true, TextKind::kSingleLine));
  }
  RETURN_IF_ERROR(CheckText(field("targeted_grant"), duty.targeted_grant, kMaxTextLength, false,
                           TextKind::kSingleLine));
  const double estimate = duty.estimated_minutes_per_report;
  if (!std::isfinite(estimate) || estimate < 0 || estimate > kMaxEstimatedMinutes) {
    return Invalid(field("estimated_minutes_per_report"),
                   absl::StrCat("must be between 0 and ", kMaxEstimatedMinutes, ", got ",
                                estimate));
  }
  absl::CivilDay from, until;
  if (!duty.valid_from.empty()) {
    RETURN_IF_ERROR(CheckDate(field("valid_from"), duty.valid_from, &from));
  }
  if (!duty.valid_until.empty()) {
    RETURN_IF_ERROR(CheckDate(field("valid_until"), duty.valid_until, &until));
    if (!duty.valid_from.empty() && until < from) {
      return Invalid(field("valid_until"),
                     absl::StrCat(QuoteValue(duty.valid_until), " is before valid_from ",
                                  QuoteValue(duty.valid_from)));
    }
  }
  absl::CivilDay lifecycle_day;
  if (!duty.expires_on.empty()) {
    RETURN_IF_ERROR(CheckDate(field("expires_on"), duty.expires_on, &lifecycle_day));
  }
  if (!duty.consultation_until.empty()) {
    RETURN_IF_ERROR(CheckDate(field("consultation_until"), duty.consultation_until,
                              &lifecycle_day));
  }
  RETURN_IF_ERROR(CheckText(field("source_url"), duty.source_url, 2000, false, TextKind::kSingleLine));
  RETURN_IF_ERROR(CheckText(field("notes"), duty.notes, kMaxTextLength, false, TextKind::kMultiLine));
  // A listed set of respondents: official codes, each once. Listing all
  // 290 is allowed and means the same as listing none.
  const Municipalities& official = Municipalities::Official();
  if (duty.respondents.size() > official.size()) {
    return Invalid(field("respondents"),
                   absl::StrCat("at most ", official.size(), " municipality codes, got ",
                                duty.respondents.size()));
  }
  absl::flat_hash_set<absl::string_view> listed;
  for (size_t i = 0; i < duty.respondents.size(); ++i) {
    const std::string& code = duty.respondents[i];
    const std::string name = absl::StrCat(prefix, ".respondents[", i, "]");
    if (official.Find(code) == nullptr) {
      return Invalid(name, absl::StrCat(QuoteValue(code),
                                        " is not one of the 290 official municipality codes"));
    }
    if (!listed.insert(code).second) {
      return Invalid(name, absl::StrCat(QuoteValue(code), " is listed more than once"));
    }
  }
  if (!duty.deadline.empty()) {
    if (absl::StatusOr<DeadlineRule> rule = DeadlineRule::Parse(duty.deadline); !rule.ok()) {
      return Invalid(field("deadline"), rule.status().message());
    }
  }
  return absl::OkStatus();
}

namespace {

// Words of two or more letters (ASCII letters, or any byte of a multi-byte
// UTF-8 character, so that "år" and "Översyn" count), up to 2: a use must
// say what the data was used for, and ".", "x" or "Används" does not.
int SubstantialWords(absl::string_view text) {
  int words = 0, letters = 0;
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_isalpha(u) || u >= 0x80) {
      if (++letters == 2 && ++words == 2) return words;
    } else {
      letters = 0;
    }
  }
  return words;
}

}  // namespace

absl::Status ValidateDutyUse(DutyUse& use, absl::CivilDay today) {
  RETURN_IF_ERROR(CheckSlug("use.duty_id", use.duty_id));
  RETURN_IF_ERROR(CheckSlug("use.use_id", use.use_id));
  const int kind = static_cast<int>(use.kind);
  if (kind <= 0 || kind > kMaxUseKind) {
    return Invalid("use.kind", kind == 0 ? "must be specified"
                                         : absl::StrCat("unknown kind value ", kind));
  }
  if (use.kind == UseKind::kDecision) {
    return Invalid("use.kind",
                   "\"decision\" is kept for uses recorded before; name the kind of decision: "
                   "supervision_decision, grant_decision or policy_analysis");
  }
  absl::CivilDay date;
  RETURN_IF_ERROR(CheckDate("use.date", use.date, &date));
  if (date > today) {
    return Invalid("use.date", absl::StrCat(QuoteValue(use.date), " is in the future"));
  }
  // The data a use names must have existed when it was used.
  if (use.first_period.empty()) {
    return Invalid("use.first_period",
                   "must name the first period of the data used, e.g. \"2024\" or \"2024Q1\"");
  }
  absl::StatusOr<Period> first = Period::Parse(use.first_period);
  if (!first.ok()) return Invalid("use.first_period", first.status().message());
  Period last = *first;
  if (!use.last_period.empty()) {
    absl::StatusOr<Period> parsed = Period::Parse(use.last_period);
    if (!parsed.ok()) return Invalid("use.last_period", parsed.status().message());
    last = *parsed;
  }
  if (last.last_day() < first->first_day()) {
    return Invalid("use.last_period",
                   absl::StrCat(QuoteValue(use.last_period), " ends before use.first_period ",
                                QuoteValue(use.first_period), " starts"));
  }
  if (last.first_day() > date) {
    return Invalid("use.last_period",
                   absl::StrCat(QuoteValue(last.ToString()), " had not started on use.date ",
                                QuoteValue(use.date), ": data is used after it exists"));
  }
  use.first_period = first->ToString();
  use.last_period = last.ToString();
  RETURN_IF_ERROR(CheckText("use.description", use.description, 1000, true, TextKind::kMultiLine));
  if (SubstantialWords(use.description) < 2) {
    return Invalid("use.description",
                   absl::StrCat("must say what the data was used for, in at least two words "
                                "(got ", QuoteValue(use.description), ")"));
  }
  return CheckText("use.link", use.link, 2000, false, TextKind::kSingleLine);
}

absl::Status ValidateAgency(Agency& agency) {
  RETURN_IF_ERROR(CheckSlug("agency.id", agency.id));
  RETURN_IF_ERROR(
      CheckText("agency.name", agency.name, kMaxTitleLength, true, TextKind::kSingleLine));
  if (agency.organisation_number.empty()) return absl::OkStatus();
  std::string digits;
  for (size_t i = 0; i < agency.organisation_number.size(); ++i) {
    const char c = agency.organisation_number[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (!(c == '-' && i == 6)) {
      digits.clear();
      break;
    }
  }
  if (digits.size() != 10) {
    return Invalid("agency.organisation_number",
                   absl::StrCat(QuoteValue(agency.organisation_number),
                                " must be ten digits, as NNNNNN-NNNN"));
  }
  if (digits[2] < '2') {
    return Invalid("agency.organisation_number",
                   absl::StrCat(QuoteValue(agency.organisation_number),
                                " is not a legal person's number (its third digit is below 2)"));
  }
  // The last digit checks the other nine (the Luhn algorithm).
  int sum = 0;
  for (int i = 0; i < 9; ++i) {
    int d = (digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  if ((10 - sum % 10) % 10 != digits[9] - '0') {
    return Invalid("agency.organisation_number",
                   absl::StrCat(QuoteValue(agency.organisation_number),
                                " fails its check digit: a digit is mistyped"));
  }
  agency.organisation_number = absl::StrCat(digits.substr(0, 6), "-", digits.substr(6));
  return absl::OkStatus();
}

absl::Status ValidateReportShape(const Report& report) {
  const std::string& id = report.submission_id;
  if (id.empty()) return Invalid("report.submission_id", "must not be empty");
  if (id.size() > kMaxSubmissionIdLength) {
    return Invalid("report.submission_id",
                   absl::StrCat("must be at most ", kMaxSubmissionIdLength,
                                " bytes, got ", id.size()));
  }
  for (char c : id) {
    if (c <= ' ' || c > '~') {
      return Invalid("report.submission_id",
                     "must be printable ASCII without spaces");
    }
  }
  if (report.duty_id.empty()) return Invalid("report.duty_id", "must not be empty");
  // No duty has a longer id: INVALID_ARGUMENT, not NOT_FOUND.
  if (report.duty_id.size() > kMaxIdLength) {
    return Invalid("report.duty_id", absl::StrCat("must be at most ", kMaxIdLength,
                                                  " bytes, got ", report.duty_id.size()));
  }
  if (Municipalities::Official().Find(report.municipality_code) == nullptr) {
    return Invalid("report.municipality_code",
                   absl::StrCat(QuoteValue(report.municipality_code),
                                " is not one of the 290 official municipality codes"));
  }
  if (report.minutes_spent < 1 || report.minutes_spent > kMaxMinutesSpent) {
    return Invalid("report.minutes_spent",
                   absl::StrCat("must be between 1 and ", kMaxMinutesSpent, ", got ",
                                report.minutes_spent));
  }
  if (report.staff_count < 0 || report.staff_count > kMaxStaffCount) {
    return Invalid("report.staff_count",
                   absl::StrCat("must be between 0 and ", kMaxStaffCount, ", got ",
                                report.staff_count));
  }
  if (report.usefulness < 0 || report.usefulness > 5) {
    return Invalid("report.usefulness",
                   absl::StrCat("must be between 1 and 5, or 0 for not stated, got ",
                                report.usefulness));
  }
  RETURN_IF_ERROR(CheckAnswer("report.feedback_received", report.feedback_received));
  RETURN_IF_ERROR(CheckAnswer("report.already_reported_elsewhere",
                              report.already_reported_elsewhere));
  RETURN_IF_ERROR(CheckText("report.comment", report.comment, kMaxCommentLength, false,
                            TextKind::kMultiLine));
  RETURN_IF_ERROR(CheckText("report.already_reported_where", report.already_reported_where,
                            kMaxReportedWhereLength, false, TextKind::kSingleLine));
  if (!report.already_reported_where.empty() &&
      report.already_reported_elsewhere != Answer::kYes) {
    return Invalid("report.already_reported_where",
                   "names where the data is already reported, so "
                   "report.already_reported_elsewhere must be yes");
  }
  return absl::OkStatus();
}

absl::Status ValidateReport(const Duty& duty, absl::CivilDay today, Report* report) {
  RETURN_IF_ERROR(ValidateReportShape(*report));
  if (report->duty_id != duty.id) {
    return Invalid("report.duty_id", absl::StrCat(QuoteValue(report->duty_id),
                                                  " does not name duty ", QuoteValue(duty.id)));
  }
  absl::StatusOr<Period> period = Period::Parse(report->period);
  if (!period.ok()) return Invalid("report.period", period.status().message());
  if (period->frequency() != duty.frequency) {
    return Invalid("report.period",
                   absl::StrCat(QuoteValue(report->period), " is a ",
                                FrequencyName(period->frequency()), " period, but duty ",
                                QuoteValue(duty.id), " is reported ", Adverb(duty.frequency),
                                ": expected a period like ", ExampleOf(duty.frequency)));
  }
  if (period->first_day() > today) {
    return Invalid("report.period",
                   absl::StrCat(QuoteValue(report->period), " has not started yet"));
  }
  report->period = period->ToString();
  return absl::OkStatus();
}

absl::Status ValidateConsultationAnswer(ConsultationAnswer& answer) {
  if (answer.duty_id.empty()) return Invalid("answer.duty_id", "must not be empty");
  if (!Municipalities::Official().Find(answer.municipality_code)) {
    return Invalid("answer.municipality_code",
                   absl::StrCat(QuoteValue(answer.municipality_code),
                                " is not an official municipality code"));
  }
  RETURN_IF_ERROR(
      CheckText("answer.comment", answer.comment, kMaxCommentLength, false, TextKind::kMultiLine));
  const double estimate = answer.estimated_minutes_per_report;
  if (!std::isfinite(estimate) || estimate < 0 || estimate > kMaxEstimatedMinutes) {
    return Invalid("answer.estimated_minutes_per_report",
                   absl::StrCat("must be between 0 and ", kMaxEstimatedMinutes, ", got ",
                                estimate));
  }
  RETURN_IF_ERROR(CheckText("answer.already_reported_where", answer.already_reported_where, 500,
                            false, TextKind::kSingleLine));
  if (answer.already_reported_elsewhere != Answer::kYes && !answer.already_reported_where.empty()) {
    return Invalid("answer.already_reported_where",
                   "names where the data is already reported: set already_reported_elsewhere "
                   "to yes with it");
  }
  if (answer.already_reported_elsewhere == Answer::kYes && answer.already_reported_where.empty()) {
    return Invalid("answer.already_reported_where",
                   "must name where the data is already reported (a duty id or a register)");
  }
  return absl::OkStatus();
}

absl::Status ValidateDecision(const DutyDecision& decision, absl::CivilDay today) {
  if (decision.duty_id.empty()) return Invalid("decision.duty_id", "must not be empty");
  if (decision.kind == DecisionKind::kUnspecified ||
      static_cast<int>(decision.kind) > kMaxDecisionKind) {
    return Invalid("decision.kind",
                   "must be approve, reject, renew, keep, simplify, merge or withdraw");
  }
  RETURN_IF_ERROR(CheckText("decision.reason", decision.reason, kMaxCommentLength, true,
                            TextKind::kMultiLine));
  absl::CivilDay decided;
  RETURN_IF_ERROR(CheckDate("decision.decided_on", decision.decided_on, &decided));
  if (decided > today) {
    return Invalid("decision.decided_on",
                   absl::StrCat(QuoteValue(decision.decided_on), " is in the future"));
  }
  const bool sets_expiry =
      decision.kind == DecisionKind::kApprove || decision.kind == DecisionKind::kRenew;
  if (!decision.expires_on.empty()) {
    if (!sets_expiry) {
      return Invalid("decision.expires_on", "is set by approve and renew decisions only");
    }
    absl::CivilDay expires;
    RETURN_IF_ERROR(CheckDate("decision.expires_on", decision.expires_on, &expires));
    if (expires <= today) {
      return Invalid("decision.expires_on",
                     absl::StrCat(QuoteValue(decision.expires_on), " is not after today"));
    }
  }
  if (decision.kind == DecisionKind::kMerge) {
    if (decision.merge_into.empty()) {
      return Invalid("decision.merge_into", "must name the duty that takes the data over");
    }
    if (decision.merge_into == decision.duty_id) {
      return Invalid("decision.merge_into", "must name another duty than the one decided");
    }
  } else if (!decision.merge_into.empty()) {
    return Invalid("decision.merge_into", "is set by merge decisions only");
  }
  return absl::OkStatus();
}

absl::Status ValidateOptionalReason(absl::string_view field, absl::string_view reason) {
  return CheckText(field, reason, kMaxCommentLength, false, TextKind::kMultiLine);
}

absl::Status ValidateDateField(absl::string_view field, const std::string& text,
                               absl::CivilDay* day) {
  if (text.empty()) return Invalid(field, "must be a date YYYY-MM-DD");
  return CheckDate(field, text, day);
}

absl::Status ValidateChangeReason(absl::string_view field, absl::string_view reason) {
  return CheckText(field, reason, kMaxCommentLength, true, TextKind::kMultiLine);
}

}  // namespace inrapport
