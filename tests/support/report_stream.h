// Sends reports over one SubmitReports client stream and returns the
// server's count; shared by the integration tests that drive a real server.
#ifndef INRAPPORT_TESTS_SUPPORT_REPORT_STREAM_H_
#define INRAPPORT_TESTS_SUPPORT_REPORT_STREAM_H_

#include <vector>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "inrapport/v1/report_intake.grpc.pb.h"

namespace inrapport::testing {

inline v1::SubmitReportsResponse StreamReports(v1::ReportIntake::Stub& intake,
                                               const std::vector<v1::Report>& reports) {
  grpc::ClientContext context;
  v1::SubmitReportsResponse response;
  auto writer = intake.SubmitReports(&context, &response);
  for (const v1::Report& report : reports) {
    v1::SubmitReportsRequest request;
    *request.mutable_report() = report;
    EXPECT_TRUE(writer->Write(request));
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

}  // namespace inrapport::testing

#endif  // INRAPPORT_TESTS_SUPPORT_REPORT_STREAM_H_
