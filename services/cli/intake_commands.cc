// The ReportIntake commands: submit (one stream with a progress bar), and
// the stored reports read back with their receipts (reports, get-report).
#include "services/cli/commands.h"

#include <unistd.h>

#include <memory>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/domain/types.h"
#include "services/cli/client.h"
#include "services/cli/flags.h"
#include "services/cli/output.h"
#include "common/text/text_safety.h"
#include "services/cli/records.h"
#include "services/convert/proto_convert.h"

namespace inrapport::cli {

namespace {

// A one-line progress bar on a terminal's stderr.
class Progress {
 public:
  explicit Progress(size_t total) : total_(total), enabled_(isatty(STDERR_FILENO) != 0) {}
  void Update(size_t done) {
    if (!enabled_ || total_ == 0) return;
    const int percent = static_cast<int>(done * 100 / total_);
    if (percent == last_percent_ && done != total_) return;
    last_percent_ = percent;
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] "
              << absl::StrFormat("%3d%% %zu/%zu", percent, done, total_) << std::flush;
  }
  void Finish() {
    if (enabled_ && total_ > 0) std::cerr << "\n";
  }

 private:
  size_t total_;
  bool enabled_;
  int last_percent_ = -1;
};

}  // namespace

int SubmitReports(Stubs& stubs, const std::string& path, Format format) {
  std::string text;
  if (!ReadInputFile(path, &text)) return 1;
  auto records = ReadReports(text);
  if (!records.ok()) {
    std::cerr << "error: " << path << ": " << TerminalText(records.status().message()) << "\n";
    return 1;
  }
  std::vector<int> sent_lines;  // stream index -> CSV line
  int unreadable = 0;
  for (const auto& record : *records) {
    if (!record.status.ok()) {
      std::cerr << path << ": " << TerminalText(record.status.message()) << " (not sent)\n";
      ++unreadable;
    }
  }

  grpc::ClientContext context;
  PrepareContext(&context);
  v1::SubmitReportsResponse response;
  auto writer = stubs.intake->SubmitReports(&context, &response);
  Progress progress(records->size() - unreadable);
  v1::SubmitReportsRequest request;
  for (const auto& record : *records) {
    if (!record.status.ok()) continue;
    *request.mutable_report() = ToProto(record.value);
    if (!writer->Write(request)) break;  // the server ended the call; Finish says why
    sent_lines.push_back(record.line);
    progress.Update(sent_lines.size());
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  progress.Finish();
  if (!status.ok()) return Fail(status);

  if (format == Format::kJson) {
    PrintJson(response);
  } else {
    Table table{{"line", "submission_id", "code", "message"}, {}, {0}};
    for (const auto& rejection : response.rejections()) {
      const int64_t index = rejection.index();
      const std::string line = index >= 0 && index < static_cast<int64_t>(sent_lines.size())
                                   ? absl::StrCat(sent_lines[index])
                                   : "?";
      table.rows.push_back({line, rejection.submission_id(), rejection.code(),
                            rejection.message()});
    }
    if (!table.rows.empty()) {
      (format == Format::kCsv ? PrintCsv : PrintTable)(table, std::cout);
      std::cout << "\n";
    }
    std::cout << absl::StrFormat("%d accepted, %d duplicate, %d rejected", response.accepted(),
                                 response.duplicate(), response.rejected());
    if (unreadable > 0) std::cout << absl::StrFormat(", %d unreadable (not sent)", unreadable);
    std::cout << "\n";
  }
  // Every report meant for the server must be accounted for: a stream that
  // ended early, on either side, must not pass for a complete submission.
  const int64_t to_send = static_cast<int64_t>(records->size()) - unreadable;
  const int64_t sent = static_cast<int64_t>(sent_lines.size());
  const int64_t answered =
      static_cast<int64_t>(response.accepted()) + response.duplicate() + response.rejected();
  if (sent != to_send || answered != sent) {
    std::cerr << absl::StrFormat(
        "error: %s: the server accounted for %d of the %d reports in the file (%d sent); "
        "%d may not be stored. Submit the file again: reports already stored count as "
        "duplicates.\n",
        path, answered, to_send, sent, to_send - answered);
    return 1;
  }
  return 0;
}

namespace {

// A receipt's times for people and programs alike: RFC 3339, UTC.
std::string Rfc3339(const google::protobuf::Timestamp& time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(time.seconds()),
                          absl::UTCTimeZone());
}
std::string ReceivedAt(const v1::Receipt& receipt) { return Rfc3339(receipt.received_at()); }

// "withdrawn", "corrected" (a later version) or "" (as first submitted).
std::string StateOf(const v1::StoredReport& stored) {
  if (stored.withdrawn()) return "withdrawn";
  return stored.receipt().version() > 1 ? "corrected" : "";
}

// --since: a date (its first second, UTC) or an RFC 3339 time.
bool ParseSince(const std::string& text, google::protobuf::Timestamp* since) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &time, &error) &&
      !absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    std::cerr << "error: --since: \"" << TerminalText(text)
              << "\" is neither YYYY-MM-DD nor an RFC 3339 time (2025-03-01T12:00:00Z)\n";
    return false;
  }
  since->set_seconds(absl::ToUnixSeconds(time));
  return true;
}

}  // namespace

int ListReports(Stubs& stubs, Format format) {
  v1::ListReportsRequest request;
  request.set_municipality_code(absl::GetFlag(FLAGS_municipality));
  request.set_duty_id(absl::GetFlag(FLAGS_duty));
  request.set_agency_id(absl::GetFlag(FLAGS_agency));
  request.set_period_from(absl::GetFlag(FLAGS_from));
  request.set_period_to(absl::GetFlag(FLAGS_to));
  if (const std::string since = absl::GetFlag(FLAGS_since); !since.empty()) {
    if (!ParseSince(since, request.mutable_received_since())) return 2;
  }
  v1::ListReportsResponse all;
  const grpc::Status status =
      FetchAllPages(request, &all, [&](auto* context, const auto& page_request, auto* page) {
        return stubs.intake->ListReports(context, page_request, page);
      });
  if (!status.ok()) return Fail(status);
  Table table{{"received", "municipality", "submission_id", "duty", "period", "minutes",
               "version", "state"},
              {},
              {5, 6}};
  for (const v1::StoredReport& stored : all.reports()) {
    const v1::Report& r = stored.report();
    table.rows.push_back({ReceivedAt(stored.receipt()), r.municipality_code(),
                          r.submission_id(), r.duty_id(), r.period(),
                          absl::StrCat(r.minutes_spent()),
                          absl::StrCat(stored.receipt().version()), StateOf(stored)});
  }
  Print(table, all, format);
  if (format == Format::kTable) std::cout << "\n" << all.reports_size() << " reports\n";
  return 0;
}

int GetReport(Stubs& stubs, const std::string& submission_id, Format format) {
  v1::GetReportRequest request;
  request.set_municipality_code(absl::GetFlag(FLAGS_municipality));
  request.set_submission_id(submission_id);
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::StoredReport stored;
  const grpc::Status status = stubs.intake->GetReport(&context, request, &stored);
  if (!status.ok()) return Fail(status);
  const v1::Report& r = stored.report();
  auto answer = [](v1::Answer a) {
    return a == v1::ANSWER_YES ? "yes" : a == v1::ANSWER_NO ? "no" : "";
  };
  Table table{{"field", "value"}, {}, {}};
  table.rows = {{"municipality_code", r.municipality_code()},
                {"submission_id", r.submission_id()},
                {"received_at", ReceivedAt(stored.receipt())},
                {"version", absl::StrCat(stored.receipt().version())},
                {"state", StateOf(stored)},
                {"reason", stored.reason()},
                {"duty_id", r.duty_id()},
                {"period", r.period()},
                {"minutes_spent", absl::StrCat(r.minutes_spent())},
                {"staff_count", absl::StrCat(r.staff_count())},
                {"usefulness", absl::StrCat(r.usefulness())},
                {"feedback_received", answer(r.feedback_received())},
                {"already_reported_elsewhere", answer(r.already_reported_elsewhere())},
                {"already_reported_where", r.already_reported_where()},
                {"comment", r.comment()}};
  for (const v1::StoredReport& earlier : stored.earlier_versions()) {
    table.rows.push_back({absl::StrCat("version ", earlier.receipt().version()),
                          absl::StrCat(earlier.report().period(), ", ",
                                       earlier.report().minutes_spent(), " minutes",
                                       earlier.reason().empty() ? "" : ": ", earlier.reason())});
  }
  Print(table, stored, format);
  return 0;
}

namespace {

// What a change did, for people: the key, the new version and its state.
int PrintChange(const v1::ChangeReportResponse& response, Format format) {
  const v1::StoredReport& stored = response.report();
  Table table{{"submission_id", "version", "state", "changed_at", "duplicate"}, {}, {1}};
  table.rows.push_back(
      {stored.report().submission_id(), absl::StrCat(stored.receipt().version()),
       StateOf(stored), Rfc3339(stored.receipt().changed_at()),
       response.duplicate() ? "yes" : "no"});
  Print(table, response, format);
  return 0;
}

}  // namespace

int CorrectReport(Stubs& stubs, const std::string& submission_id, Format format) {
  v1::GetReportRequest get;
  get.set_municipality_code(absl::GetFlag(FLAGS_municipality));
  get.set_submission_id(submission_id);
  v1::StoredReport stored;
  {
    grpc::ClientContext context;
    PrepareContext(&context);
    const grpc::Status status = stubs.intake->GetReport(&context, get, &stored);
    if (!status.ok()) return Fail(status);
  }
  v1::CorrectReportRequest request;
  *request.mutable_report() = stored.report();
  v1::Report& r = *request.mutable_report();
  if (const std::string period = absl::GetFlag(FLAGS_period); !period.empty()) {
    r.set_period(period);
  }
  if (const int64_t minutes = absl::GetFlag(FLAGS_minutes_spent); minutes != 0) {
    r.set_minutes_spent(minutes);
  }
  if (const int staff = absl::GetFlag(FLAGS_staff_count); staff >= 0) r.set_staff_count(staff);
  if (const int usefulness = absl::GetFlag(FLAGS_usefulness); usefulness >= 0) {
    r.set_usefulness(usefulness);
  }
  if (const std::optional<std::string> comment = absl::GetFlag(FLAGS_comment)) {
    r.set_comment(*comment);
  }
  request.set_reason(absl::GetFlag(FLAGS_reason));
  // Against the version read: a correction made meanwhile is not overwritten.
  request.set_version(stored.receipt().version());
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::ChangeReportResponse response;
  const grpc::Status status = stubs.intake->CorrectReport(&context, request, &response);
  if (!status.ok()) return Fail(status);
  return PrintChange(response, format);
}

int WithdrawReport(Stubs& stubs, const std::string& submission_id, Format format) {
  v1::WithdrawReportRequest request;
  request.set_municipality_code(absl::GetFlag(FLAGS_municipality));
  request.set_submission_id(submission_id);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  grpc::ClientContext context;
  PrepareContext(&context);
  v1::ChangeReportResponse response;
  const grpc::Status status = stubs.intake->WithdrawReport(&context, request, &response);
  if (!status.ok()) return Fail(status);
  return PrintChange(response, format);
}

}  // namespace inrapport::cli
