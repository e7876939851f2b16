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
#include "inrapport/v1/duty_registry.grpc.pb.h"
#include "inrapport/v1/report_intake.grpc.pb.h"
#include "services/cli/output.h"

namespace inrapport::cli {

struct Stubs {
  std::unique_ptr<v1::DutyRegistry::Stub> duties;
  std::unique_ptr<v1::ReportIntake::Stub> intake;
  std::unique_ptr<v1::BurdenQuery::Stub> burden;
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

// The table for people and CSV, the message itself for JSON.
void Print(const Table& table, const google::protobuf::Message& message, Format format);
void PrintJson(const google::protobuf::Message& message);

// "NO_LEGAL_BASIS NO_RECORDED_USE".
std::string FlagCodes(const v1::ReportingDuty& duty);
// "social_services".
std::string SectorLabel(v1::Sector sector);

}  // namespace inrapport::cli

#endif  // INRAPPORT_SERVICES_CLI_CLIENT_H_

