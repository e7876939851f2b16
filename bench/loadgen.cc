// loadgen: a closed-loop gRPC load generator for inrapportd and the no-op
// baseline (noop_server), on gRPC's callback client API.
//
// Scenarios (--scenario):
//   unary    SubmitReport, --concurrency calls in flight
//   noop     the same calls, meant for the no-op server: the baseline's label
//   stream   SubmitReports, --concurrency streams in flight, each carrying
//            --reports_per_stream reports
//   summary  GetBurdenSummary grouped by --group_by
//   summary_after_report
//            the same, each summary asked right after a new report was
//            stored (one SubmitReport, not timed): the summary of figures
//            that just changed, which the server cannot answer again from
//            its last answer
//   scrape   GET /metrics over HTTP/1.1 (--target is the metrics address),
//            --requests times, one after the other, each on a new connection
//
// Every report is new (a unique submission id, so it is really stored, not
// answered as a duplicate) and valid: a duty of the synthetic catalogue
// (bench_data duties-csv, registered with `inrapport import-duties`), an
// official municipality code, a period of the duty's frequency that has
// ended. Each slot issues its next call when the previous one completes.
// Calls completing in the --warmup seconds are not counted; then, for
// --duration seconds, throughput and latency (every sample kept and sorted:
// p50, p90, p99, p99.9, max) are measured. Prints one line of text and one
// line of JSON; exits 1 if a call failed or none completed.
//
//   loadgen --write_grpc_body=FILE   writes one SubmitReport request framed as
//                                    gRPC sends it (5-byte header), for h2load
//   loadgen --write_grpc_stream_body=FILE --reports_per_stream=N
//                                    the same for one SubmitReports stream of N
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "bench/workload.h"
#include "common/domain/period.h"
#include "grpcpp/grpcpp.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "The server's gRPC address, HOST:PORT.");
ABSL_FLAG(std::string, scenario, "unary",
          "unary, noop, stream, summary, summary_after_report or scrape.");
ABSL_FLAG(int, concurrency, 16, "Calls (stream: streams) in flight.");
ABSL_FLAG(double, duration, 10, "Seconds measured.");
ABSL_FLAG(double, warmup, 1, "Seconds of load before measuring.");
ABSL_FLAG(int, reports_per_stream, 1000, "stream: reports each stream carries.");
ABSL_FLAG(int, flush_every, 64,
          "stream: let gRPC buffer writes, flushing every this many reports.");
ABSL_FLAG(std::string, group_by, "agency",
          "summary: agency, duty, municipality, county, sector, period or flag.");
ABSL_FLAG(int, duties, 500, "Size of the synthetic catalogue the server holds.");
ABSL_FLAG(int, channels, 1, "HTTP/2 connections the calls are spread over.");
ABSL_FLAG(double, call_timeout, 60, "Deadline of each call, in seconds.");
ABSL_FLAG(std::string, label, "", "A name for this run in the output (default: the scenario).");
ABSL_FLAG(std::string, capture, "",
          "summary: write the first response here, serialized (for noop_server).");
ABSL_FLAG(int, requests, 200, "scrape: how many scrapes of /metrics, one after the other.");
ABSL_FLAG(std::string, dump, "", "scrape: write the last /metrics answer to this file.");
ABSL_FLAG(std::string, write_grpc_body, "",
          "Write one length-prefixed SubmitReportRequest to this file and exit.");
ABSL_FLAG(std::string, write_grpc_stream_body, "",
          "Write --reports_per_stream length-prefixed SubmitReportsRequest messages (one "
          "client stream's body, each report its own) to this file and exit.");

namespace inrapport::bench {
namespace {

using Clock = std::chrono::steady_clock;

// gRPC takes deadlines on the system clock.
std::chrono::system_clock::time_point Deadline(double seconds) {
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(
             std::chrono::duration<double>(seconds));
}

// Fresh, valid reports: a unique submission id per call, for a duty of the
// synthetic catalogue, a municipality and one of the duty's last periods.
class ReportSource {
 public:
  explicit ReportSource(int duty_count) : duties_(SyntheticDuties(duty_count)) {
    const absl::CivilDay today = TodayInSweden();
    for (const Duty& duty : duties_) periods_.push_back(PastPeriods(duty.frequency, today, 8));
    std::random_device device;
    run_ = absl::StrFormat("%08x%04x", device(), device() & 0xffff);
  }

  void Fill(uint64_t n, v1::Report* out) const {
    const uint64_t h = Mix(n);
    const size_t duty = h % duties_.size();
    const std::string& code = MunicipalityCodes()[(h >> 20) % MunicipalityCodes().size()];
    const std::vector<std::string>& periods = periods_[duty];
    Report r = CellReport(duties_[duty], code, periods[(h >> 40) % periods.size()]);
    out->set_submission_id(absl::StrCat(code, "-bench-", run_, "-", n));
    out->set_municipality_code(r.municipality_code);
    out->set_duty_id(r.duty_id);
    out->set_period(r.period);
    out->set_minutes_spent(r.minutes_spent);
    out->set_staff_count(r.staff_count);
    out->set_usefulness(r.usefulness);
    out->set_feedback_received(static_cast<v1::Answer>(r.feedback_received));
    out->set_already_reported_elsewhere(static_cast<v1::Answer>(r.already_reported_elsewhere));
    out->set_comment(r.comment);
  }

 private:
  std::vector<Duty> duties_;
  std::vector<std::vector<std::string>> periods_;
  std::string run_;
};

std::optional<v1::GroupBy> ParseGroupBy(const std::string& name) {
  const std::pair<const char*, v1::GroupBy> groups[] = {
      {"agency", v1::GROUP_BY_AGENCY}, {"duty", v1::GROUP_BY_DUTY},
      {"municipality", v1::GROUP_BY_MUNICIPALITY}, {"county", v1::GROUP_BY_COUNTY},
      {"sector", v1::GROUP_BY_SECTOR}, {"period", v1::GROUP_BY_PERIOD},
      {"flag", v1::GROUP_BY_FLAG}};
  for (const auto& [text, group] : groups) {
    if (name == text) return group;
  }
  return std::nullopt;
}

// What one slot measured; merged at the end.
struct Tally {
  std::vector<int64_t> latencies_ns;
  int64_t calls = 0;
  int64_t errors = 0;
  int64_t reports = 0;     // stored (accepted or duplicate) by counted calls
  int64_t duplicates = 0;  // answered as duplicates
  int64_t rejected = 0;    // stream: reports refused
  int64_t response_bytes = 0;
};

enum class Kind { kUnary, kStream, kSummary };

class Run {
 public:
  Run(Kind kind, const ReportSource* source) : kind_(kind), source_(source) {
    const std::string target = absl::GetFlag(FLAGS_target);
    const int channels = std::max(1, absl::GetFlag(FLAGS_channels));
    for (int i = 0; i < channels; ++i) {
      grpc::ChannelArguments args;
      args.SetMaxReceiveMessageSize(64 << 20);
      // Its own connection per channel, not one shared by equal arguments.
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      args.SetInt("inrapport.bench.channel", i);
      auto channel =
          grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
      channels_.push_back(channel);
      intake_.push_back(v1::ReportIntake::NewStub(channel));
      burden_.push_back(v1::BurdenQuery::NewStub(channel));
    }
  }

  // Waits for every connection; false if one does not come up in 10 s.
  bool Connect() {
    for (auto& channel : channels_) {
      if (!channel->WaitForConnected(Deadline(10))) return false;
    }
    return true;
  }

  void Start(int concurrency, double warmup_s, double duration_s) {
    start_ = Clock::now();
    measure_from_ = start_ + ToDuration(warmup_s);
    measure_to_ = measure_from_ + ToDuration(duration_s);
    tallies_.resize(concurrency);
    {
      absl::MutexLock lock(&mu_);
      active_ = concurrency;
    }
    for (int i = 0; i < concurrency; ++i) {
      tallies_[i].latencies_ns.reserve(1 << 12);
      Issue(i);
    }
  }

  // Blocks until every slot has seen its last call complete.
  void Wait() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(+[](int* n) { return *n == 0; }, &active_));
  }

  Tally Merge() {
    Tally all;
    for (Tally& t : tallies_) {
      all.latencies_ns.insert(all.latencies_ns.end(), t.latencies_ns.begin(),
                              t.latencies_ns.end());
      all.calls += t.calls;
      all.errors += t.errors;
      all.reports += t.reports;
      all.duplicates += t.duplicates;
      all.rejected += t.rejected;
      all.response_bytes += t.response_bytes;
    }
    std::sort(all.latencies_ns.begin(), all.latencies_ns.end());
    return all;
  }

  double measured_seconds() const {
    return std::chrono::duration<double>(measure_to_ - measure_from_).count();
  }
  std::string first_error() {
    absl::MutexLock lock(&mu_);
    return first_error_;
  }
  int64_t errors_outside_window() const { return errors_outside_.load(); }

 private:
  static Clock::duration ToDuration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }

  // One call (or stream) of slot `i` ended at `end`. Issues the next one
  // unless the measurement is over.
  void Completed(int i, Clock::time_point began, const grpc::Status& status,
                 int64_t reports, int64_t duplicates, int64_t rejected, int64_t bytes) {
    const Clock::time_point end = Clock::now();
    Tally& t = tallies_[i];
    if (!status.ok()) {
      absl::MutexLock lock(&mu_);
      if (first_error_.empty()) {
        first_error_ = absl::StrCat(status.error_code(), ": ", status.error_message());
      }
    }
    if (end >= measure_from_ && end <= measure_to_) {
      if (status.ok()) {
        ++t.calls;
        t.latencies_ns.push_back(
            std::chrono::duration_cast<std::chrono::nanoseconds>(end - began).count());
        t.reports += reports;
        t.duplicates += duplicates;
        t.rejected += rejected;
        t.response_bytes += bytes;
      } else {
        ++t.errors;
      }
    } else if (!status.ok()) {
      errors_outside_.fetch_add(1);
    }
    if (end < measure_to_) {
      Issue(i);
      return;
    }
    absl::MutexLock lock(&mu_);
    --active_;
  }

  void Issue(int i);

  class UnaryCall;
  class StreamCall;
  class SummaryCall;

  const Kind kind_;
  const ReportSource* source_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<v1::ReportIntake::Stub>> intake_;
  std::vector<std::unique_ptr<v1::BurdenQuery::Stub>> burden_;
  std::atomic<uint64_t> sequence_{0};
  Clock::time_point start_, measure_from_, measure_to_;
  std::vector<Tally> tallies_;  // one per slot; a slot's calls run one at a time
  std::atomic<int64_t> errors_outside_{0};

 public:
  std::string capture_path;
  std::atomic<bool> captured{false};
  v1::GroupBy group_by = v1::GROUP_BY_AGENCY;
  bool summary_after_report = false;
  int reports_per_stream = 1000;
  int flush_every = 64;
  double call_timeout_s = 60;

 private:
  absl::Mutex mu_;
  int active_ ABSL_GUARDED_BY(mu_) = 0;
  std::string first_error_ ABSL_GUARDED_BY(mu_);
};

// A call owns its context, request and response and deletes itself in its
// callback, before it hands the slot on: the last call's Completed lets the
// run end, and the run must not end while a call's context still exists.
class Run::UnaryCall {
 public:
  UnaryCall(Run* run, int slot) : run_(run), slot_(slot) {
    run->source_->Fill(run->sequence_.fetch_add(1), request_.mutable_report());
    context_.set_deadline(Deadline(run->call_timeout_s));
    began_ = Clock::now();
    run->intake_[slot % run->intake_.size()]->async()->SubmitReport(
        &context_, &request_, &response_, [this](grpc::Status status) {
          Run* run = run_;
          const int slot = slot_;
          const Clock::time_point began = began_;
          const int64_t duplicates = response_.duplicate() ? 1 : 0;
          const int64_t bytes = response_.ByteSizeLong();
          delete this;
          run->Completed(slot, began, status, status.ok() ? 1 : 0, duplicates, 0, bytes);
        });
  }

 private:
  Run* run_;
  int slot_;
  Clock::time_point began_;
  grpc::ClientContext context_;
  v1::SubmitReportRequest request_;
  v1::SubmitReportResponse response_;
};

class Run::SummaryCall {
 public:
  SummaryCall(Run* run, int slot) : run_(run), slot_(slot) {
    if (!run->summary_after_report) {
      Ask();
      return;
    }
    run->source_->Fill(run->sequence_.fetch_add(1), report_.mutable_report());
    report_context_.set_deadline(Deadline(run->call_timeout_s));
    run->intake_[slot % run->intake_.size()]->async()->SubmitReport(
        &report_context_, &report_, &report_response_, [this](grpc::Status status) {
          if (!status.ok() || report_response_.duplicate()) {
            if (status.ok()) {
              status = grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                                    "a fresh report was answered as a duplicate");
            }
            Run* run = run_;
            const int slot = slot_;
            delete this;
            run->Completed(slot, Clock::now(), status, 0, 0, 0, 0);
            return;
          }
          Ask();
        });
  }

 private:
  void Ask() {
    request_.set_group_by(run_->group_by);
    context_.set_deadline(Deadline(run_->call_timeout_s));
    began_ = Clock::now();
    run_->burden_[slot_ % run_->burden_.size()]->async()->GetBurdenSummary(
        &context_, &request_, &response_, [this](grpc::Status status) {
          // A summary of an empty store measures nothing: count it as an error.
          if (status.ok() && response_.totals().reports() == 0) {
            status = grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                  "the summary's totals hold no reports");
          }
          if (status.ok() && !run_->capture_path.empty() && !run_->captured.exchange(true)) {
            std::ofstream out(run_->capture_path, std::ios::binary);
            out << response_.SerializeAsString();
          }
          Run* run = run_;
          const int slot = slot_;
          const Clock::time_point began = began_;
          const int64_t bytes = response_.ByteSizeLong();
          delete this;
          run->Completed(slot, began, status, 0, 0, 0, bytes);
        });
  }

  Run* run_;
  int slot_;
  Clock::time_point began_;
  grpc::ClientContext report_context_;
  v1::SubmitReportRequest report_;
  v1::SubmitReportResponse report_response_;
  grpc::ClientContext context_;
  v1::GetBurdenSummaryRequest request_;
  v1::GetBurdenSummaryResponse response_;
};

// One client stream: writes its reports one after the other (buffered, with
// a flush every --flush_every), half-closes, and reads the counts.
class Run::StreamCall final : public grpc::ClientWriteReactor<v1::SubmitReportsRequest> {
 public:
  StreamCall(Run* run, int slot) : run_(run), slot_(slot) {
    context_.set_deadline(Deadline(run->call_timeout_s));
    began_ = Clock::now();
    run->intake_[slot % run->intake_.size()]->async()->SubmitReports(&context_, &response_,
                                                                      this);
    WriteNext();
    StartCall();
  }

  void OnWriteDone(bool ok) override {
    if (ok) WriteNext();
    // Otherwise the stream is broken; OnDone brings the status.
  }

  void OnDone(const grpc::Status& status) override {
    grpc::Status result = status;
    const int64_t stored = response_.accepted() + response_.duplicate();
    if (result.ok() && stored + response_.rejected() != sent_) {
      result = grpc::Status(grpc::StatusCode::DATA_LOSS,
                            absl::StrCat("the stream's answer counts ",
                                         stored + response_.rejected(), " reports, ", sent_,
                                         " were sent"));
    }
    Run* run = run_;
    const int slot = slot_;
    const Clock::time_point began = began_;
    const int64_t duplicates = response_.duplicate();
    const int64_t rejected = response_.rejected();
    const int64_t bytes = response_.ByteSizeLong();
    delete this;
    run->Completed(slot, began, result, stored, duplicates, rejected, bytes);
  }

 private:
  void WriteNext() {
    if (sent_ == run_->reports_per_stream) {
      StartWritesDone();
      return;
    }
    run_->source_->Fill(run_->sequence_.fetch_add(1), request_.mutable_report());
    ++sent_;
    grpc::WriteOptions options;
    if (sent_ < run_->reports_per_stream && sent_ % run_->flush_every != 0) {
      options.set_buffer_hint();
    }
    StartWrite(&request_, options);
  }

  Run* run_;
  int slot_;
  Clock::time_point began_;
  grpc::ClientContext context_;
  v1::SubmitReportsRequest request_;
  v1::SubmitReportsResponse response_;
  int64_t sent_ = 0;
};

void Run::Issue(int i) {
  switch (kind_) {
    case Kind::kUnary: new UnaryCall(this, i); break;
    case Kind::kStream: new StreamCall(this, i); break;
    case Kind::kSummary: new SummaryCall(this, i); break;
  }
}

double QuantileMs(const std::vector<int64_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::min(sorted.size(), std::max<size_t>(rank, 1));
  return static_cast<double>(sorted[rank - 1]) / 1e6;
}

std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

// A message as gRPC sends it: uncompressed, its length big-endian, itself.
std::string Framed(const google::protobuf::Message& message) {
  const std::string bytes = message.SerializeAsString();
  std::string framed(5, '\0');
  const uint32_t size = static_cast<uint32_t>(bytes.size());
  framed[1] = static_cast<char>(size >> 24);
  framed[2] = static_cast<char>(size >> 16);
  framed[3] = static_cast<char>(size >> 8);
  framed[4] = static_cast<char>(size);
  return framed + bytes;
}

int WriteFile(const std::string& path, const std::string& content, const std::string& what) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) {
    std::cerr << "loadgen: cannot write " << path << "\n";
    return 1;
  }
  std::cout << "wrote " << path << " (" << content.size() << " bytes, " << what << ")\n";
  return 0;
}

int WriteGrpcBody(const std::string& path) {
  ReportSource source(absl::GetFlag(FLAGS_duties));
  v1::SubmitReportRequest request;
  source.Fill(0, request.mutable_report());
  return WriteFile(path, Framed(request),
                   absl::StrCat("submission id ", request.report().submission_id()));
}

int WriteGrpcStreamBody(const std::string& path) {
  ReportSource source(absl::GetFlag(FLAGS_duties));
  const int reports = std::max(1, absl::GetFlag(FLAGS_reports_per_stream));
  std::string body;
  v1::SubmitReportsRequest request;
  for (int i = 0; i < reports; ++i) {
    source.Fill(static_cast<uint64_t>(i), request.mutable_report());
    body += Framed(request);
  }
  return WriteFile(path, body, absl::StrCat(reports, " reports"));
}

// Prints one line of text and one line of JSON for a finished measurement.
// Returns the exit status: 1 if a call failed, a report was refused or no
// call completed.
int Report(const std::string& label, const std::string& scenario, const std::string& target,
           const std::string& group_by, int concurrency, int reports_per_stream,
           double seconds, const Tally& all, int64_t errors, const std::string& first_error,
           const std::string& extra_json) {
  const double calls_per_s = static_cast<double>(all.calls) / seconds;
  const double reports_per_s = static_cast<double>(all.reports) / seconds;
  double mean_ms = 0;
  for (int64_t ns : all.latencies_ns) mean_ms += static_cast<double>(ns) / 1e6;
  if (!all.latencies_ns.empty()) mean_ms /= static_cast<double>(all.latencies_ns.size());
  const std::vector<int64_t>& l = all.latencies_ns;
  const double p50 = QuantileMs(l, 0.50), p90 = QuantileMs(l, 0.90), p99 = QuantileMs(l, 0.99),
               p999 = QuantileMs(l, 0.999), max = l.empty() ? 0 : l.back() / 1e6;
  std::printf(
      "%-28s %s in_flight=%d calls=%lld errors=%lld calls/s=%.1f reports/s=%.1f "
      "p50=%.3fms p99=%.3fms p99.9=%.3fms max=%.3fms%s%s\n",
      label.c_str(), target.c_str(), concurrency, static_cast<long long>(all.calls),
      static_cast<long long>(errors), calls_per_s, reports_per_s, p50, p99, p999, max,
      first_error.empty() ? "" : " first_error=", first_error.c_str());
  std::printf(
      "{\"label\":%s,\"scenario\":%s,\"target\":%s,\"group_by\":%s,\"concurrency\":%d,"
      "\"channels\":%d,\"reports_per_stream\":%d,\"seconds\":%.3f,\"calls\":%lld,"
      "\"errors\":%lld,\"reports\":%lld,\"duplicates\":%lld,\"rejected\":%lld,"
      "\"calls_per_s\":%.2f,\"reports_per_s\":%.2f,\"mean_ms\":%.4f,\"p50_ms\":%.4f,"
      "\"p90_ms\":%.4f,\"p99_ms\":%.4f,\"p999_ms\":%.4f,\"max_ms\":%.4f,"
      "\"response_bytes_mean\":%.1f,\"first_error\":%s%s}\n",
      JsonString(label).c_str(), JsonString(scenario).c_str(), JsonString(target).c_str(),
      JsonString(group_by).c_str(), concurrency, absl::GetFlag(FLAGS_channels),
      reports_per_stream, seconds, static_cast<long long>(all.calls),
      static_cast<long long>(errors), static_cast<long long>(all.reports),
      static_cast<long long>(all.duplicates), static_cast<long long>(all.rejected), calls_per_s,
      reports_per_s, mean_ms, p50, p90, p99, p999, max,
      all.calls == 0 ? 0.0 : static_cast<double>(all.response_bytes) / all.calls,
      JsonString(first_error).c_str(), extra_json.c_str());
  std::fflush(stdout);
  return errors > 0 || all.rejected > 0 || all.calls == 0 ? 1 : 0;
}

// One GET of http://target/metrics over HTTP/1.1 on a new connection (as
// Prometheus scrapes). The body, or an error.
absl::StatusOr<std::string> HttpGet(const std::string& target, const std::string& path) {
  const size_t colon = target.rfind(':');
  if (colon == std::string::npos) return absl::InvalidArgumentError("--target: HOST:PORT");
  const std::string host = target.substr(0, colon), port = target.substr(colon + 1);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot resolve ", target));
  }
  const int fd = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (fd < 0 || connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
    if (fd >= 0) close(fd);
    freeaddrinfo(found);
    return absl::UnavailableError(absl::StrCat("cannot connect to ", target));
  }
  freeaddrinfo(found);
  const std::string request = absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: ", target,
                                           "\r\nConnection: close\r\n\r\n");
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    close(fd);
    return absl::UnavailableError("cannot send the request");
  }
  std::string response;
  char buffer[1 << 16];
  ssize_t n;
  while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0) response.append(buffer, n);
  close(fd);
  if (response.rfind("HTTP/1.1 200", 0) != 0) {
    return absl::UnavailableError(absl::StrCat("answer: ", response.substr(0, 40)));
  }
  const size_t body = response.find("\r\n\r\n");
  if (body == std::string::npos) return absl::DataLossError("no end of the headers");
  std::string text = response.substr(body + 4);
  if (response.find("chunked") != std::string::npos) {  // undo chunked transfer coding
    std::string plain;
    size_t at = 0;
    while (at < text.size()) {
      const size_t eol = text.find("\r\n", at);
      if (eol == std::string::npos) break;
      const size_t size = std::stoul(text.substr(at, eol - at), nullptr, 16);
      if (size == 0) break;
      plain.append(text, eol + 2, size);
      at = eol + 2 + size + 2;
    }
    text = std::move(plain);
  }
  return text;
}

// --scenario=scrape: --requests scrapes of /metrics one after the other.
int Scrape(const std::string& target, const std::string& label) {
  const int requests = std::max(1, absl::GetFlag(FLAGS_requests));
  Tally all;
  int64_t errors = 0;
  std::string first_error, body;
  if (absl::StatusOr<std::string> warm = HttpGet(target, "/metrics"); !warm.ok()) {
    first_error = warm.status().ToString();
  }
  const Clock::time_point start = Clock::now();
  for (int i = 0; i < requests && first_error.empty(); ++i) {
    const Clock::time_point began = Clock::now();
    absl::StatusOr<std::string> got = HttpGet(target, "/metrics");
    const Clock::time_point end = Clock::now();
    if (!got.ok() || got->find("# TYPE ") == std::string::npos) {
      ++errors;
      if (first_error.empty()) {
        first_error = got.ok() ? "no metric families in the answer" : got.status().ToString();
      }
      continue;
    }
    ++all.calls;
    all.response_bytes += static_cast<int64_t>(got->size());
    all.latencies_ns.push_back(
        std::chrono::duration_cast<std::chrono::nanoseconds>(end - began).count());
    body = *std::move(got);
  }
  const double seconds =
      std::max(1e-9, std::chrono::duration<double>(Clock::now() - start).count());
  if (!first_error.empty() && all.calls == 0) errors = std::max<int64_t>(errors, 1);
  std::sort(all.latencies_ns.begin(), all.latencies_ns.end());
  int64_t samples = 0;
  for (size_t at = 0; at < body.size();) {
    const size_t eol = body.find('\n', at);
    if (body[at] != '#' && body[at] != '\n') ++samples;
    if (eol == std::string::npos) break;
    at = eol + 1;
  }
  if (const std::string dump = absl::GetFlag(FLAGS_dump); !dump.empty()) {
    std::ofstream(dump) << body;
  }
  return Report(label, "scrape", target, "", 1, 0, seconds, all, errors, first_error,
                absl::StrCat(",\"samples\":", samples));
}

int Main() {
  if (const std::string body = absl::GetFlag(FLAGS_write_grpc_body); !body.empty()) {
    return WriteGrpcBody(body);
  }
  if (const std::string body = absl::GetFlag(FLAGS_write_grpc_stream_body); !body.empty()) {
    return WriteGrpcStreamBody(body);
  }
  const std::string scenario = absl::GetFlag(FLAGS_scenario);
  const std::string target = absl::GetFlag(FLAGS_target);
  std::string label = absl::GetFlag(FLAGS_label);
  if (label.empty()) label = scenario;
  Kind kind;
  if (scenario == "unary" || scenario == "noop") {
    kind = Kind::kUnary;
  } else if (scenario == "stream") {
    kind = Kind::kStream;
  } else if (scenario == "summary" || scenario == "summary_after_report") {
    kind = Kind::kSummary;
  } else if (scenario == "scrape") {
    return Scrape(target, label);
  } else {
    std::cerr << "loadgen: --scenario: \"" << scenario
              << "\" is not unary, noop, stream, summary, summary_after_report or scrape\n";
    return 2;
  }
  const int concurrency = std::max(1, absl::GetFlag(FLAGS_concurrency));
  ReportSource source(absl::GetFlag(FLAGS_duties));
  Run run(kind, &source);
  run.capture_path = absl::GetFlag(FLAGS_capture);
  run.reports_per_stream = std::max(1, absl::GetFlag(FLAGS_reports_per_stream));
  run.flush_every = std::max(1, absl::GetFlag(FLAGS_flush_every));
  run.call_timeout_s = absl::GetFlag(FLAGS_call_timeout);
  const std::string group_name = absl::GetFlag(FLAGS_group_by);
  if (kind == Kind::kSummary) {
    std::optional<v1::GroupBy> group = ParseGroupBy(group_name);
    if (!group) {
      std::cerr << "loadgen: --group_by: \"" << group_name << "\" is not a grouping\n";
      return 2;
    }
    run.group_by = *group;
    run.summary_after_report = scenario == "summary_after_report";
  }
  if (!run.Connect()) {
    std::cerr << "loadgen: cannot connect to " << target << "\n";
    return 1;
  }
  run.Start(concurrency, absl::GetFlag(FLAGS_warmup), absl::GetFlag(FLAGS_duration));
  run.Wait();
  const Tally all = run.Merge();
  return Report(label, scenario, target, kind == Kind::kSummary ? group_name : "", concurrency,
                kind == Kind::kStream ? run.reports_per_stream : 0, run.measured_seconds(), all,
                all.errors + run.errors_outside_window(), run.first_error(), "");
}

}  // namespace
}  // namespace inrapport::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "loadgen --target=HOST:PORT --scenario=unary|noop|stream|summary|summary_after_report|scrape "
      "[--concurrency=N] "
      "[--duration=S] [--warmup=S] [--reports_per_stream=N] [--group_by=G]");
  absl::ParseCommandLine(argc, argv);
  return inrapport::bench::Main();
}
