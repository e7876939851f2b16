// The ReportIntake command: submit, one stream with a progress bar.
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

// Tables are for people (grouped digits, percentages); CSV is for programs
// (plain numbers, the share as a fraction).

}  // namespace inrapport::cli
