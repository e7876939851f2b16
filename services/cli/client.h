// What every command of the CLI shares: the connection to inrapportd, each
// call's deadline and token, how a failed call is told, input files, and
// printing in the chosen format.
#ifndef INRAPPORT_SERVICES_CLI_CLIENT_H_
#define INRAPPORT_SERVICES_CLI_CLIENT_H_

#include <memory>
#include <string>

#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "inrapport/v1/duty_gateway.grpc.pb.h"
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "services/cli/output.h"

namespace inrapport::cli {

struct Stubs {
  std::unique_ptr<v1::DutyRegistry::Stub> duties;
  std::unique_ptr<v1::ReportIntake::Stub> intake;
  std::unique_ptr<v1::BurdenQuery::Stub> burden;
  std::unique_ptr<v1::DutyGateway::Stub> gateway;
};
// A channel to --server, over TLS when --tls_ca is given.
Stubs Connect();
// Every call: the deadline (--timeout_seconds), and the caller's token if
// there is one (--token_file or INRAPPORT_TOKEN).
void PrepareContext(grpc::ClientContext* context);
// "INVALID_ARGUMENT": gRPC's codes are absl's (google.rpc.Code).
std::string CodeName(grpc::StatusCode code);
// Prints why the call failed; returns the exit status 1.
int Fail(const grpc::Status& status);

// An input file as UTF-8 text (--encoding); prints why not and returns
// false if it cannot be read or is not valid in its encoding.
bool ReadInputFile(const std::string& path, std::string* text);

// --sector as the proto enum (unspecified when not given); prints why not
// and returns false for a name that is no sector.
bool ParseSectorFlag(v1::Sector* sector);

// Every page of a List call merged into `all` (repeated fields append),
// from the first page until the server gives no next_page_token. `call`
// is the stub's method: (context, request, page) -> status. The failed
// call's status, or OK.
template <typename Request, typename Response, typename Call>
grpc::Status FetchAllPages(Request request, Response* all, Call call) {
  request.set_page_size(1000);
  do {
    grpc::ClientContext context;
    PrepareContext(&context);
    Response page;
    grpc::Status status = call(&context, request, &page);
    if (!status.ok()) return status;
    request.set_page_token(page.next_page_token());
    all->MergeFrom(page);
  } while (!request.page_token().empty());
  all->clear_next_page_token();
  return grpc::Status::OK;
}

// The table for people and CSV, the message itself for JSON.
void Print(const Table& table, const google::protobuf::Message& message, Format format);
void PrintJson(const google::protobuf::Message& message);
// The JSON PrintJson prints: field names as in the proto, every field.
std::string JsonText(const google::protobuf::Message& message);

// "NO_LEGAL_BASIS NO_RECORDED_USE".
std::string FlagCodes(const v1::ReportingDuty& duty);
// "social_services".
std::string SectorLabel(v1::Sector sector);

}  // namespace inrapport::cli

#endif  // INRAPPORT_SERVICES_CLI_CLIENT_H_

