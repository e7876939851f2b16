// noop_server: the benchmark's baseline. A gRPC server built from the same
// libraries as inrapportd, with the same callback API, message limit and
// health service, serving inrapport.v1.ReportIntake and GetBurdenSummary
// with handlers that do nothing but answer, with answers of the same size:
//
//   SubmitReport    echoes the submission id, as inrapportd does;
//   SubmitReports   reads the stream and answers the count as accepted;
//   GetBurdenSummary answers, for each grouping, the response inrapportd
//                   gave (loaded from --summary_dir/<group>.pb, as the load
//                   generator's --capture writes it), or an empty one.
//
// So a ratio of inrapportd to this server is inrapport's own cost: auth,
// validation, the durable store, the index, the flags and the metrics.
//
// Logs `event=listening service=grpc address=HOST:PORT` on stderr once
// serving; stops on SIGTERM or SIGINT.
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "Address, HOST:PORT; port 0 picks a free one.");
ABSL_FLAG(std::string, summary_dir, "",
          "Directory of captured GetBurdenSummary responses, <group>.pb each "
          "(agency, duty, municipality, county, sector, period, flag).");

namespace inrapport::bench {
namespace {

// inrapportd's limit, so that both servers refuse the same messages.
constexpr int kMaxReceiveMessageBytes = 1 << 20;

class NoopIntake final : public v1::ReportIntake::CallbackService {
  grpc::ServerUnaryReactor* SubmitReport(grpc::CallbackServerContext* context,
                                         const v1::SubmitReportRequest* request,
                                         v1::SubmitReportResponse* response) override {
    response->set_submission_id(request->report().submission_id());
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerReadReactor<v1::SubmitReportsRequest>* SubmitReports(
      grpc::CallbackServerContext* context, v1::SubmitReportsResponse* response) override {
    class Reader final : public grpc::ServerReadReactor<v1::SubmitReportsRequest> {
     public:
      explicit Reader(v1::SubmitReportsResponse* response) : response_(response) {
        StartRead(&request_);
      }
      void OnReadDone(bool ok) override {
        if (ok) {
          ++count_;
          StartRead(&request_);
          return;
        }
        response_->set_accepted(count_);
        Finish(grpc::Status::OK);
      }
      void OnDone() override { delete this; }

     private:
      v1::SubmitReportsResponse* response_;
      v1::SubmitReportsRequest request_;
      int64_t count_ = 0;
    };
    return new Reader(response);
  }
};

class NoopBurden final : public v1::BurdenQuery::CallbackService {
 public:
  // Responses by GroupBy value; immutable once serving.
  explicit NoopBurden(std::map<int, v1::GetBurdenSummaryResponse> responses)
      : responses_(std::move(responses)) {}

  grpc::ServerUnaryReactor* GetBurdenSummary(grpc::CallbackServerContext* context,
                                             const v1::GetBurdenSummaryRequest* request,
                                             v1::GetBurdenSummaryResponse* response) override {
    auto it = responses_.find(request->group_by());
    if (it != responses_.end()) *response = it->second;
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  const std::map<int, v1::GetBurdenSummaryResponse> responses_;
};

std::map<int, v1::GetBurdenSummaryResponse> LoadResponses(const std::string& dir) {
  std::map<int, v1::GetBurdenSummaryResponse> responses;
  if (dir.empty()) return responses;
  const std::pair<const char*, v1::GroupBy> groups[] = {
      {"agency", v1::GROUP_BY_AGENCY}, {"duty", v1::GROUP_BY_DUTY},
      {"municipality", v1::GROUP_BY_MUNICIPALITY}, {"county", v1::GROUP_BY_COUNTY},
      {"sector", v1::GROUP_BY_SECTOR}, {"period", v1::GROUP_BY_PERIOD},
      {"flag", v1::GROUP_BY_FLAG}};
  for (const auto& [name, group] : groups) {
    std::ifstream in(dir + "/" + name + ".pb", std::ios::binary);
    if (!in) continue;
    std::stringstream bytes;
    bytes << in.rdbuf();
    v1::GetBurdenSummaryResponse response;
    if (!response.ParseFromString(bytes.str())) {
      std::cerr << "noop_server: " << dir << "/" << name << ".pb does not parse\n";
      std::exit(1);
    }
    responses[group] = std::move(response);
  }
  return responses;
}

}  // namespace
}  // namespace inrapport::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("noop_server [--listen=HOST:PORT] [--summary_dir=DIR]");
  absl::ParseCommandLine(argc, argv);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  inrapport::bench::NoopIntake intake;
  inrapport::bench::NoopBurden burden(
      inrapport::bench::LoadResponses(absl::GetFlag(FLAGS_summary_dir)));
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  const std::string listen = absl::GetFlag(FLAGS_listen);
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.SetMaxReceiveMessageSize(inrapport::bench::kMaxReceiveMessageBytes);
  builder.RegisterService(&intake);
  builder.RegisterService(&burden);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::cerr << "level=error event=start_failed error=\"cannot listen on " << listen << "\"\n";
    return 1;
  }
  std::cerr << "level=info event=listening service=grpc address="
            << listen.substr(0, listen.rfind(':')) << ":" << port << std::endl;
  int signal = 0;
  sigwait(&signals, &signal);
  server->Shutdown();
  return 0;
}
