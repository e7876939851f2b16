#include "services/cli/client.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/strip.h"
#include "common/domain/types.h"
#include "common/text/text_safety.h"
#include "google/protobuf/util/json_util.h"
#include "services/cli/flags.h"
#include "services/cli/records.h"
#include "services/convert/enum_convert.h"

namespace inrapport::cli {
namespace {

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "error: cannot read " << path << "\n";
    std::exit(2);
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The bearer token, from --token_file or INRAPPORT_TOKEN; empty for none.
const std::string& Token() {
  static const std::string token = [] {
    std::string text;
    if (const std::string path = absl::GetFlag(FLAGS_token_file); !path.empty()) {
      text = ReadWholeFile(path);
    } else if (const char* env = std::getenv("INRAPPORT_TOKEN")) {
      text = env;
    }
    return std::string(absl::StripAsciiWhitespace(text));
  }();
  return token;
}

bool ReadFile(const std::string& path, std::string* contents) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot read " << path << "\n";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *contents = buffer.str();
  return true;
}

}  // namespace

Stubs Connect() {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (const std::string ca = absl::GetFlag(FLAGS_tls_ca); !ca.empty()) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadWholeFile(ca);
    if (const std::string cert = absl::GetFlag(FLAGS_tls_cert); !cert.empty()) {
      ssl.pem_cert_chain = ReadWholeFile(cert);
      ssl.pem_private_key = ReadWholeFile(absl::GetFlag(FLAGS_tls_key));
    }
    credentials = grpc::SslCredentials(ssl);
  }
  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_server), credentials);
  return {v1::DutyRegistry::NewStub(channel), v1::ReportIntake::NewStub(channel),
          v1::BurdenQuery::NewStub(channel), v1::DutyGateway::NewStub(channel)};
}

// Every call: the deadline, and the caller's token if there is one.
void PrepareContext(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(absl::GetFlag(FLAGS_timeout_seconds)));
  if (!Token().empty()) context->AddMetadata("authorization", "Bearer " + Token());
}

// "INVALID_ARGUMENT": gRPC's codes are absl's (google.rpc.Code).
std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

int Fail(const grpc::Status& status) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << "error: cannot reach inrapportd at " << absl::GetFlag(FLAGS_server) << ": "
              << TerminalText(status.error_message()) << "\n";
  } else {
    std::cerr << "error: " << CodeName(status.error_code()) << ": "
              << TerminalText(status.error_message()) << "\n";
  }
  return 1;
}

// An input file as UTF-8 text (--encoding); prints why not and returns
// false if it cannot be read or is not valid in its encoding.
bool ReadInputFile(const std::string& path, std::string* text) {
  const std::string name = absl::GetFlag(FLAGS_encoding);
  std::optional<Encoding> encoding = ParseEncoding(name);
  if (!encoding) {
    std::cerr << "error: --encoding: " << TerminalText(name) << " is not utf8 or latin1\n";
    return false;
  }
  std::string bytes;
  if (!ReadFile(path, &bytes)) return false;
  absl::StatusOr<std::string> decoded = DecodeInput(bytes, *encoding);
  if (!decoded.ok()) {
    std::cerr << "error: " << path << ": " << decoded.status().message() << " (nothing sent)\n";
    return false;
  }
  *text = *std::move(decoded);
  return true;
}

bool ParseSectorFlag(v1::Sector* sector) {
  const std::string text = absl::GetFlag(FLAGS_sector);
  if (text.empty()) {
    *sector = v1::SECTOR_UNSPECIFIED;
    return true;
  }
  std::optional<Sector> parsed = ParseSector(text);
  if (!parsed || *parsed == Sector::kUnspecified) {
    std::cerr << "error: --sector: \"" << text << "\" is not a sector\n";
    return false;
  }
  *sector = ToProto(*parsed);
  return true;
}

std::string JsonText(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return EscapeUnsafeInJson(json);  // no raw bidi or C1 character on a terminal
}

void PrintJson(const google::protobuf::Message& message) { std::cout << JsonText(message); }

void Print(const Table& table, const google::protobuf::Message& message, Format format) {
  switch (format) {
    case Format::kTable: PrintTable(table, std::cout); break;
    case Format::kCsv: PrintCsv(table, std::cout); break;
    case Format::kJson: PrintJson(message); break;
  }
}

std::string FlagCodes(const v1::ReportingDuty& duty) {
  std::string codes;
  for (const v1::Flag& flag : duty.flags()) {
    if (!codes.empty()) codes += " ";
    codes += flag.code();
  }
  return codes;
}

std::string SectorLabel(v1::Sector sector) {
  return std::string(SectorName(FromProto(sector)));
}

}  // namespace inrapport::cli
