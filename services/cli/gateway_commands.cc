// The DutyGateway commands: propose, assess, consultation, answer, decide,
// renew, decisions.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/domain/lifecycle.h"
#include "common/domain/types.h"
#include "google/protobuf/util/json_util.h"
#include "services/cli/client.h"
#include "services/cli/commands.h"
#include "services/cli/flags.h"
#include "services/cli/output.h"
#include "services/cli/records.h"
#include "services/convert/enum_convert.h"
#include "services/convert/proto_convert.h"

namespace inrapport::cli {
namespace {

// --lang: true for Swedish (the default), false for English; nullopt (told
// on stderr) for anything else.
std::optional<bool> SwedishFlag() {
  const std::string lang = absl::GetFlag(FLAGS_lang);
  if (lang == "sv") return true;
  if (lang == "en") return false;
  std::cerr << "error: --lang: \"" << TerminalText(lang) << "\" is not sv or en\n";
  return std::nullopt;
}

// The sentence in the chosen language; the English one when the server
// gave no Swedish.
std::string InLanguage(bool swedish, const std::string& sv, const std::string& en) {
  return TerminalText(swedish && !sv.empty() ? sv : en);
}

// "in_consultation (på remiss)" in Swedish, "in_consultation" in English.
std::string StateText(v1::DutyState state, bool swedish) {
  const DutyState s = FromProto(state);
  std::string text(DutyStateName(s));
  if (swedish) absl::StrAppend(&text, " (", DutyStateNameSv(s), ")");
  return text;
}

// "approve (godkänt)" in Swedish, "approve" in English.
std::string KindText(v1::DecisionKind kind, bool swedish) {
  const DecisionKind k = FromProto(kind);
  std::string text(DecisionKindName(k));
  if (swedish) absl::StrAppend(&text, " (", DecisionKindNameSv(k), ")");
  return text;
}

// "48.3 (90 % interval 38.9-56.7)"; without the interval when it is none
// (low = high = value).
std::string WithInterval(double value, double low, double high, int decimals) {
  std::string text = FormatNumber(value, decimals);
  if (low != value || high != value) {
    absl::StrAppend(&text, " (90 % interval ", FormatNumber(low, decimals), "-",
                    FormatNumber(high, decimals), ")");
  }
  return text;
}

std::string UtcMinute(int64_t unix_seconds) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::FromUnixSeconds(unix_seconds),
                          absl::UTCTimeZone());
}

// "<id> (<title>): <state>[, last day in force: <expires_on>]".
std::string DutyLine(const v1::ReportingDuty& duty, bool swedish) {
  std::string line = TerminalText(duty.id());
  if (!duty.title().empty()) absl::StrAppend(&line, " (", TerminalText(duty.title()), ")");
  absl::StrAppend(&line, ": ", StateText(duty.state(), swedish));
  if (!duty.expires_on().empty()) {
    absl::StrAppend(&line, ", last day in force: ", TerminalText(duty.expires_on()));
  }
  return line;
}

void PrintFlags(const google::protobuf::RepeatedPtrField<v1::Flag>& flags, bool swedish) {
  if (flags.empty()) {
    std::cout << "Flags: none\n";
    return;
  }
  std::cout << "Flags (" << flags.size() << "):\n";
  for (const v1::Flag& flag : flags) {
    std::cout << "  " << TerminalText(flag.code()) << ": "
              << InLanguage(swedish, flag.reason_sv(), flag.reason()) << "\n";
  }
}

std::string SourceText(v1::BurdenForecast::Source source) {
  switch (source) {
    case v1::BurdenForecast::SOURCE_COMPARABLE_DUTIES:
      return "comparable_duties (the measured reports of comparable duties in force)";
    case v1::BurdenForecast::SOURCE_AGENCY_ESTIMATE:
      return "agency_estimate (the agency's own estimate: nothing comparable was measured)";
    case v1::BurdenForecast::SOURCE_NOT_ESTIMABLE:
      return "not_estimable (no forecast: see the basis)";
    default:
      return "unspecified";
  }
}

void PrintAssessment(const v1::ImpactAssessment& assessment, bool swedish) {
  PrintFlags(assessment.flags(), swedish);
  const v1::BurdenForecast& f = assessment.forecast();
  std::cout << "\nForecast source: " << SourceText(f.source()) << "\n";
  if (f.source() == v1::BurdenForecast::SOURCE_COMPARABLE_DUTIES ||
      f.source() == v1::BurdenForecast::SOURCE_AGENCY_ESTIMATE) {
    std::cout << "  minutes per report: "
              << WithInterval(f.minutes_per_report(), f.minutes_per_report_low(),
                              f.minutes_per_report_high(), 1)
              << "\n  staff hours per year: "
              << WithInterval(f.hours_per_year(), f.hours_per_year_low(),
                              f.hours_per_year_high(), 1)
              << "\n  SEK per year: "
              << WithInterval(f.cost_sek_per_year(), f.cost_sek_per_year_low(),
                              f.cost_sek_per_year_high(), 0)
              << "\n  reports per municipality per year: "
              << FormatNumber(f.reports_per_municipality_per_year(), 2) << "\n";
    if (f.source() == v1::BurdenForecast::SOURCE_COMPARABLE_DUTIES) {
      std::cout << "  measured: " << f.reports() << " reports by " << f.municipalities()
                << " municipalities\n";
    }
  }
  if (!f.comparables().empty()) {
    std::cout << "\nComparable duties:\n";
    Table table{{"duty", "agency", "similarity", "reports", "municipalities",
                 "minutes_per_report", "shared_items"},
                {},
                {2, 3, 4, 5}};
    for (const v1::ComparableDuty& c : f.comparables()) {
      table.rows.push_back({c.duty_id(), c.agency_id(), absl::StrFormat("%.2f", c.similarity()),
                            absl::StrCat(c.reports()), absl::StrCat(c.municipalities()),
                            FormatNumber(c.minutes_per_report(), 1),
                            absl::StrJoin(c.shared_items(), " ")});
    }
    PrintTable(table, std::cout);
  }
  if (!f.by_group().empty()) {
    std::cout << "\nBy municipality group:\n";
    Table table{{"group", "name", "expected", "measured", "reports", "minutes_per_report",
                 "hours_per_year"},
                {},
                {2, 3, 4, 5, 6}};
    for (const v1::GroupForecast& g : f.by_group()) {
      table.rows.push_back({g.group(), g.name(), absl::StrCat(g.expected_municipalities()),
                            absl::StrCat(g.measured_municipalities()), absl::StrCat(g.reports()),
                            FormatNumber(g.minutes_per_report(), 1),
                            FormatNumber(g.hours_per_year(), 1)});
    }
    PrintTable(table, std::cout);
  }
  std::cout << "\nBasis: " << InLanguage(swedish, f.basis_sv(), f.basis()) << "\n";
}

// The proposed duty from --file: a ReportingDuty as JSON, or a catalogue
// CSV (import-duties' columns) of one row. Prints why not and returns false.
bool ReadProposedDuty(const std::string& path, v1::ReportingDuty* duty) {
  std::string text;
  if (!ReadInputFile(path, &text)) return false;
  if (absl::EndsWithIgnoreCase(path, ".csv")) {
    auto records = ReadDuties(text);
    if (!records.ok()) {
      std::cerr << "error: " << path << ": " << TerminalText(records.status().message()) << "\n";
      return false;
    }
    if (records->size() != 1) {
      std::cerr << "error: " << path << ": a proposal is one duty; the file has "
                << records->size() << " rows\n";
      return false;
    }
    if (!records->front().status.ok()) {
      std::cerr << "error: " << path << ": " << TerminalText(records->front().status.message())
                << "\n";
      return false;
    }
    *duty = ToProto(records->front().value);
    return true;
  }
  // Unknown fields are refused: a misspelt field must not silently vanish.
  const auto status =
      google::protobuf::util::JsonStringToMessage(text, duty,
                                                  google::protobuf::util::JsonParseOptions());
  if (!status.ok()) {
    std::cerr << "error: " << path << ": not a ReportingDuty in JSON (or a .csv catalogue row): "
              << TerminalText(std::string(status.message())) << "\n";
    return false;
  }
  return true;
}

void PrintSummary(const v1::ConsultationSummary& s) {
  std::cout << "  answers: " << s.answers() << "\n";
  if (s.with_estimate() == 0) {
    std::cout << "  estimates of minutes per report: none\n";
  } else {
    std::cout << "  estimates of minutes per report: " << s.with_estimate() << ", median "
              << FormatNumber(s.median_estimated_minutes(), 1) << " (least "
              << FormatNumber(s.min_estimated_minutes(), 1) << ", most "
              << FormatNumber(s.max_estimated_minutes(), 1) << ")\n";
  }
  std::cout << "  already reported elsewhere: " << s.already_reported_elsewhere();
  std::vector<std::string> places;
  for (const auto& place : s.reported_where()) {
    places.push_back(absl::StrCat(TerminalText(place.where()), " (", place.answers(), ")"));
  }
  if (!places.empty()) std::cout << ": " << absl::StrJoin(places, ", ");
  std::cout << "\n";
}

// "yes: Kolada", "no" or "" (not stated).
std::string AlreadyReported(const v1::ConsultationAnswer& a) {
  switch (a.already_reported_elsewhere()) {
    case v1::ANSWER_YES:
      return a.already_reported_where().empty() ? "yes"
                                                : absl::StrCat("yes: ", a.already_reported_where());
    case v1::ANSWER_NO: return "no";
    default: return "";
  }
}

// The decision and the duty as it left it.
void PrintDecided(const v1::DecideDutyResponse& response, bool swedish) {
  const v1::DutyDecision& d = response.decision();
  std::cout << "Decision " << d.seq() << ": " << KindText(d.kind(), swedish) << " "
            << TerminalText(d.duty_id()) << ", decided on " << TerminalText(d.decided_on())
            << " by " << TerminalText(d.decided_by()) << ": " << TerminalText(d.reason()) << "\n";
  if (!d.merge_into().empty()) {
    std::cout << "Merged into " << TerminalText(d.merge_into()) << "\n";
  }
  std::cout << "Duty " << DutyLine(response.duty(), swedish) << "\n";
  if (d.has_forecast()) {
    const v1::RecordedForecast& f = d.forecast();
    std::cout << "Recorded forecast: "
              << WithInterval(f.minutes_per_report(), f.minutes_per_report_low(),
                              f.minutes_per_report_high(), 1)
              << " minutes per report, "
              << WithInterval(f.hours_per_year(), f.hours_per_year_low(), f.hours_per_year_high(),
                              1)
              << " staff hours per year"
              << (f.agency_estimate() ? " (the agency's own estimate)" : "") << "\n";
    if (!f.basis().empty()) std::cout << "  basis: " << TerminalText(f.basis()) << "\n";
  }
}

grpc::Status Decide(Stubs& stubs, v1::DutyDecision decision, v1::DecideDutyResponse* response) {
  v1::DecideDutyRequest request;
  *request.mutable_decision() = std::move(decision);
  grpc::ClientContext context;
  PrepareContext(&context);
  return stubs.gateway->DecideDuty(&context, request, response);
}

std::string VerdictText(const std::string& verdict) {
  if (verdict == "within" || verdict == "above" || verdict == "below") {
    return absl::StrCat(verdict, " the recorded forecast");
  }
  return TerminalText(verdict);
}

void PrintEvidence(const v1::RenewalEvidence& e, bool swedish) {
  std::cout << "Renewal evidence for " << DutyLine(e.duty(), swedish) << "\n";
  if (e.has_approval()) {
    const v1::DutyDecision& a = e.approval();
    std::cout << "Latest approval: decision " << a.seq() << ", " << KindText(a.kind(), swedish)
              << " on " << TerminalText(a.decided_on()) << " by " << TerminalText(a.decided_by())
              << ", until " << TerminalText(a.expires_on()) << "\n";
  } else {
    const v1::DutyState state = e.duty().state();
    std::cout << "Latest approval: none"
              << (state == v1::DUTY_STATE_IN_FORCE || state == v1::DUTY_STATE_EXPIRED
                      ? " (registered in force)"
                      : "")
              << "\n";
  }
  std::cout << "Since: " << (e.since().empty() ? std::string("every period")
                                               : TerminalText(e.since()))
            << "\nReports: " << e.reports() << "\n";
  std::cout << "Minutes per report: "
            << (e.reports() == 0 ? std::string("none measured")
                                 : FormatNumber(e.minutes_per_report(), 1));
  if (e.has_approval() && e.approval().has_forecast()) {
    const v1::RecordedForecast& f = e.approval().forecast();
    std::cout << "; recorded forecast "
              << WithInterval(f.minutes_per_report(), f.minutes_per_report_low(),
                              f.minutes_per_report_high(), 1)
              << (f.agency_estimate() ? " (the agency's own estimate)" : "");
  }
  std::cout << "\nVerdict: " << VerdictText(e.against_forecast()) << "\n";
  if (e.national_estimable()) {
    std::cout << "National estimate: "
              << WithInterval(e.national_hours_per_year(), e.national_hours_per_year_low(),
                              e.national_hours_per_year_high(), 0)
              << " staff hours per year; "
              << InLanguage(swedish, e.national_basis_sv(), e.national_basis()) << "\n";
  } else {
    std::cout << "National estimate: not estimable: "
              << InLanguage(swedish, e.national_basis_sv(), e.national_basis()) << "\n";
  }
  if (e.period_flags().empty()) {
    std::cout << "Flags per period: no period reported\n";
  } else {
    std::cout << "Flags per period:\n";
    for (const v1::PeriodFlags& period : e.period_flags()) {
      std::cout << "  " << TerminalText(period.period()) << ": "
                << (period.codes().empty() ? std::string("none")
                                           : TerminalText(absl::StrJoin(period.codes(), " ")))
                << "\n";
    }
  }
  std::cout << "Recorded uses: " << e.recorded_uses() << "\nConsultation:\n";
  PrintSummary(e.consultation());
}

}  // namespace

int ProposeDuty(Stubs& stubs, Format format) {
  const std::optional<bool> swedish = SwedishFlag();
  if (!swedish) return 2;
  const std::string path = absl::GetFlag(FLAGS_file);
  if (path.empty()) {
    std::cerr << "error: propose needs --file FILE.json (or a one-row FILE.csv)\n";
    return 2;
  }
  v1::ProposeDutyRequest request;
  if (!ReadProposedDuty(path, request.mutable_duty())) return 1;
  request.set_reason(absl::GetFlag(FLAGS_reason));
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::ProposeDutyResponse response;
  const grpc::Status status = stubs.gateway->ProposeDuty(&context, request, &response);
  if (!status.ok()) return Fail(status);
  if (format == Format::kJson) {
    PrintJson(response);
    return 0;
  }
  std::cout << "Proposed " << DutyLine(response.duty(), *swedish) << "\n\n";
  PrintAssessment(response.assessment(), *swedish);
  return 0;
}

int AssessDuty(Stubs& stubs, const std::string& duty_id, Format format) {
  const std::optional<bool> swedish = SwedishFlag();
  if (!swedish) return 2;
  v1::AssessDutyRequest request;
  request.set_duty_id(duty_id);
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::ImpactAssessment response;
  const grpc::Status status = stubs.gateway->AssessDuty(&context, request, &response);
  if (!status.ok()) return Fail(status);
  if (format == Format::kJson) {
    PrintJson(response);
    return 0;
  }
  std::cout << "Impact assessment of " << TerminalText(response.duty_id()) << " as of today\n\n";
  PrintAssessment(response, *swedish);
  return 0;
}

int ConsultationCommand(Stubs& stubs, const std::string& duty_id, Format format) {
  const std::optional<bool> swedish = SwedishFlag();
  if (!swedish) return 2;
  if (const std::string until = absl::GetFlag(FLAGS_until); !until.empty()) {
    v1::OpenConsultationRequest request;
    request.set_duty_id(duty_id);
    request.set_until(until);
    request.set_reason(absl::GetFlag(FLAGS_reason));
    grpc::ClientContext context;
    PrepareContext(&context);
    v1::ReportingDuty duty;
    const grpc::Status status = stubs.gateway->OpenConsultation(&context, request, &duty);
    if (!status.ok()) return Fail(status);
    if (format == Format::kJson) {
      PrintJson(duty);
    } else {
      std::cout << TerminalText(duty.id()) << ": " << StateText(duty.state(), *swedish)
                << ", municipalities may answer until " << TerminalText(duty.consultation_until())
                << " (its last day)\n";
    }
    return 0;
  }
  v1::GetConsultationRequest request;
  request.set_duty_id(duty_id);
  request.set_municipality_code(absl::GetFlag(FLAGS_municipality));
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::Consultation response;
  const grpc::Status status = stubs.gateway->GetConsultation(&context, request, &response);
  if (!status.ok()) return Fail(status);
  Table table{{"municipality", "minutes_per_report", "already_reported", "answered", "by",
               "comment"},
              {},
              {1}};
  const bool human = format == Format::kTable;
  for (const v1::ConsultationAnswer& a : response.answers()) {
    const double minutes = a.estimated_minutes_per_report();
    table.rows.push_back(
        {a.municipality_code(),
         minutes == 0 ? std::string()
                      : (human ? FormatNumber(minutes, 1) : absl::StrFormat("%g", minutes)),
         AlreadyReported(a),
         human ? UtcMinute(a.answered_at_unix())
               : absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                  absl::FromUnixSeconds(a.answered_at_unix()),
                                  absl::UTCTimeZone()),
         a.answered_by(), a.comment()});
  }
  if (!human) {
    Print(table, response, format);
    return 0;
  }
  const v1::ReportingDuty& duty = response.duty();
  std::cout << "Consultation on " << DutyLine(duty, *swedish) << "\n";
  if (duty.consultation_until().empty()) {
    std::cout << "Not opened: no consultation has been opened on the duty\n";
  } else {
    std::cout << (response.open() ? "Open: municipalities may answer until "
                                  : "Closed: its last day was ")
              << TerminalText(duty.consultation_until()) << "\n";
  }
  std::cout << "\n";
  PrintTable(table, std::cout);
  std::cout << "\nSummary of every answer:\n";
  PrintSummary(response.summary());
  return 0;
}

int AnswerConsultation(Stubs& stubs, const std::string& duty_id, Format format) {
  v1::AnswerConsultationRequest request;
  v1::ConsultationAnswer* answer = request.mutable_answer();
  answer->set_duty_id(duty_id);
  answer->set_municipality_code(absl::GetFlag(FLAGS_municipality));
  answer->set_estimated_minutes_per_report(absl::GetFlag(FLAGS_minutes));
  answer->set_comment(absl::GetFlag(FLAGS_comment).value_or(""));
  if (const std::string where = absl::GetFlag(FLAGS_already_reported_where); !where.empty()) {
    answer->set_already_reported_elsewhere(v1::ANSWER_YES);
    answer->set_already_reported_where(where);
  }
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::ConsultationAnswer stored;
  const grpc::Status status = stubs.gateway->AnswerConsultation(&context, request, &stored);
  if (!status.ok()) return Fail(status);
  if (format == Format::kJson) {
    PrintJson(stored);
    return 0;
  }
  std::cout << "Answered " << TerminalText(stored.duty_id()) << " for municipality "
            << TerminalText(stored.municipality_code()) << " at "
            << UtcMinute(stored.answered_at_unix()) << "\n";
  if (stored.estimated_minutes_per_report() != 0) {
    std::cout << "  minutes per report: " << FormatNumber(stored.estimated_minutes_per_report(), 1)
              << "\n";
  }
  if (const std::string already = AlreadyReported(stored); !already.empty()) {
    std::cout << "  already reported elsewhere: " << TerminalText(already) << "\n";
  }
  if (!stored.comment().empty()) {
    std::cout << "  comment: " << TerminalText(stored.comment()) << "\n";
  }
  return 0;
}

int DecideDuty(Stubs& stubs, const std::string& duty_id, Format format) {
  const std::optional<bool> swedish = SwedishFlag();
  if (!swedish) return 2;
  const std::string name = absl::GetFlag(FLAGS_decision);
  const std::optional<DecisionKind> kind = ParseDecisionKind(name);
  if (kind == DecisionKind::kRenew) {
    std::cerr << "error: --decision renew: use `inrapport renew " << TerminalText(duty_id)
              << " --reason TEXT`, which shows the renewal evidence first\n";
    return 2;
  }
  if (!kind) {
    std::cerr << "error: --decision: \"" << TerminalText(name)
              << "\" is not approve, reject, keep, simplify, merge or withdraw\n";
    return 2;
  }
  v1::DutyDecision decision;
  decision.set_duty_id(duty_id);
  decision.set_kind(ToProto(*kind));
  decision.set_reason(absl::GetFlag(FLAGS_reason));
  decision.set_decided_on(absl::GetFlag(FLAGS_decided_on));
  decision.set_expires_on(absl::GetFlag(FLAGS_expires_on));
  decision.set_merge_into(absl::GetFlag(FLAGS_merge_into));
  v1::DecideDutyResponse response;
  const grpc::Status status = Decide(stubs, std::move(decision), &response);
  if (!status.ok()) return Fail(status);
  if (format == Format::kJson) {
    PrintJson(response);
  } else {
    PrintDecided(response, *swedish);
  }
  return 0;
}

int RenewDuty(Stubs& stubs, const std::string& duty_id, Format format) {
  const std::optional<bool> swedish = SwedishFlag();
  if (!swedish) return 2;
  v1::GetRenewalEvidenceRequest request;
  request.set_duty_id(duty_id);
  v1::RenewalEvidence evidence;
  {
    grpc::ClientContext context;
    PrepareContext(&context);
    const grpc::Status status = stubs.gateway->GetRenewalEvidence(&context, request, &evidence);
    if (!status.ok()) return Fail(status);
  }
  const bool evidence_only = absl::GetFlag(FLAGS_evidence_only);
  if (format != Format::kJson) PrintEvidence(evidence, *swedish);
  if (evidence_only) {
    if (format == Format::kJson) PrintJson(evidence);
    return 0;
  }
  v1::DutyDecision decision;
  decision.set_duty_id(duty_id);
  decision.set_kind(v1::DECISION_KIND_RENEW);
  decision.set_reason(absl::GetFlag(FLAGS_reason));
  decision.set_decided_on(absl::GetFlag(FLAGS_decided_on));
  decision.set_expires_on(absl::GetFlag(FLAGS_expires_on));
  v1::DecideDutyResponse response;
  const grpc::Status status = Decide(stubs, std::move(decision), &response);
  if (!status.ok()) {
    if (format == Format::kJson) PrintJson(evidence);  // what the refused renewal was shown
    return Fail(status);
  }
  if (format == Format::kJson) {
    std::cout << "{\n\"evidence\": " << JsonText(evidence) << ",\n\"renewal\": "
              << JsonText(response) << "}\n";
  } else {
    std::cout << "\nRenewed:\n";
    PrintDecided(response, *swedish);
  }
  return 0;
}

int ListDecisions(Stubs& stubs, Format format) {
  v1::ListDecisionsRequest request;
  request.set_duty_id(absl::GetFlag(FLAGS_duty));
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::ListDecisionsResponse response;
  const grpc::Status status = stubs.gateway->ListDecisions(&context, request, &response);
  if (!status.ok()) return Fail(status);
  Table table{{"seq", "duty", "decision", "decided_on", "by", "expires_on", "merge_into",
               "reason"},
              {},
              {0}};
  for (const v1::DutyDecision& d : response.decisions()) {
    table.rows.push_back({absl::StrCat(d.seq()), d.duty_id(),
                          std::string(DecisionKindName(FromProto(d.kind()))), d.decided_on(),
                          d.decided_by(), d.expires_on(), d.merge_into(), d.reason()});
  }
  Print(table, response, format);
  if (format == Format::kTable) std::cout << "\n" << response.decisions_size() << " decisions\n";
  return 0;
}

}  // namespace inrapport::cli
