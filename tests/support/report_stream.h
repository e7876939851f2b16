// Sends reports over one SubmitReports client stream and returns the
// server's count; shared by the integration tests that drive a real server.
#ifndef INRAPPORT_TESTS_SUPPORT_REPORT_STREAM_H_
#define INRAPPORT_TESTS_SUPPORT_REPORT_STREAM_H_

#include <chrono>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "tests/support/server_process.h"

namespace inrapport::testing {

// The stream has a deadline (TestTimeout(`within`)): a server that stops
// answering fails the test, naming this call, instead of hanging it.
inline v1::SubmitReportsResponse StreamReports(v1::ReportIntake::Stub& intake,
                                               const std::vector<v1::Report>& reports,
                                               absl::Duration within = absl::Seconds(60)) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + TestTimeout(within)));
  v1::SubmitReportsResponse response;
  auto writer = intake.SubmitReports(&context, &response);
  for (const v1::Report& report : reports) {
    v1::SubmitReportsRequest request;
    *request.mutable_report() = report;
    // A failed write means the call has ended: Finish says why.
    if (!writer->Write(request)) break;
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  EXPECT_TRUE(status.ok()) << "SubmitReports stream of " << reports.size()
                           << " reports: " << status.error_code() << " "
                           << status.error_message();
  return response;
}

}  // namespace inrapport::testing

#endif  // INRAPPORT_TESTS_SUPPORT_REPORT_STREAM_H_
