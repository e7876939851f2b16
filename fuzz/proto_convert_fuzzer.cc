// The request protos to domain values (services/convert/proto_convert.h) and
// the domain validation after it (common/domain/validation.h), as a handler
// runs them: arbitrary bytes are parsed as CreateDutyRequest,
// SubmitReportRequest and RecordDutyUseRequest. Conversion keeps every field
// (domain -> proto -> domain changes nothing), a valid duty can be flagged
// and its parsed legal references reach the proto with every part,
// and a valid report's period is canonical and valid again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/domain/period.h"
#include "common/domain/validation.h"
#include "common/flags/flag_rules.h"
#include "common/flags/legal_basis.h"
#include "fuzz/fuzz_check.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/stubs/logging.h"
#include "inrapport/v1/duty_registry.pb.h"
#include "inrapport/v1/report_intake.pb.h"
#include "services/convert/proto_convert.h"

namespace inrapport {
namespace {

// A fixed "today", so that a run does not depend on the date.
const absl::CivilDay kToday(2026, 6, 30);

std::string Serialized(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

void CheckDuty(absl::string_view input) {
  v1::CreateDutyRequest request;
  if (!request.ParseFromArray(input.data(), static_cast<int>(input.size()))) return;
  const Duty duty = FromProto(request.duty());
  // Domain -> proto -> domain keeps every field a client sends.
  const v1::ReportingDuty proto = ToProto(duty);
  FUZZ_CHECK(Serialized(ToProto(FromProto(proto))) == Serialized(proto), input,
             proto.ShortDebugString());
  const absl::Status status = ValidateDuty(duty);
  if (!status.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(status) && absl::StartsWith(status.message(), "duty."),
               input, status.ToString());
    return;
  }
  // The parsed references reach the proto part by part, with their text.
  Duty parsed = duty;
  parsed.legal_references = ParseLegalBasis(duty.legal_basis);
  const v1::ReportingDuty with_references = ToProto(parsed);
  FUZZ_CHECK(with_references.legal_references_size() ==
                 static_cast<int>(parsed.legal_references.size()),
             input, duty.legal_basis);
  for (size_t i = 0; i < parsed.legal_references.size(); ++i) {
    const LegalReference& ref = parsed.legal_references[i];
    const v1::LegalReference& out = with_references.legal_references(static_cast<int>(i));
    FUZZ_CHECK(out.kind() != v1::LegalReference::KIND_UNSPECIFIED &&
                   v1::LegalReference::Kind_IsValid(out.kind()) && out.act() == ref.act &&
                   out.sfs_number() == ref.sfs && out.chapter() == ref.chapter &&
                   out.section() == ref.section && out.point() == ref.point &&
                   out.text() == ref.ToString() && !out.text().empty(),
               input, out.ShortDebugString());
  }
  for (const Flag& flag : EvaluateFlags(duty)) {
    FUZZ_CHECK(!flag.code.empty() && !flag.reason.empty(), input, flag.code);
  }
}

void CheckReport(absl::string_view input) {
  v1::SubmitReportRequest request;
  if (!request.ParseFromArray(input.data(), static_cast<int>(input.size()))) return;
  Report report = FromProto(request.report());
  FUZZ_CHECK(FromProto(ToProto(report)) == report, input,
             request.report().ShortDebugString());
  const absl::Status shape = ValidateReportShape(report);
  if (!shape.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(shape) && absl::StartsWith(shape.message(), "report."),
               input, shape.ToString());
    return;
  }
  // The duty it names, with the frequency its period has (or annual).
  Duty duty;
  duty.id = report.duty_id;
  duty.frequency = Frequency::kAnnual;
  if (absl::StatusOr<Period> period = Period::Parse(report.period); period.ok()) {
    duty.frequency = period->frequency();
  }
  const absl::Status status = ValidateReport(duty, kToday, &report);
  if (!status.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(status) &&
                   absl::StartsWith(status.message(), "report."),
               input, status.ToString());
    return;
  }
  // Validation canonicalises the period; the canonical report is valid too.
  const Report canonical = report;
  FUZZ_CHECK(ValidateReport(duty, kToday, &report).ok() && report == canonical, input,
             report.period);
  FUZZ_CHECK(Period::Parse(report.period)->first_day() <= kToday, input, report.period);
}

void CheckUse(absl::string_view input) {
  v1::RecordDutyUseRequest request;
  if (!request.ParseFromArray(input.data(), static_cast<int>(input.size()))) return;
  DutyUse use = FromProto(request.use());
  FUZZ_CHECK(FromProto(ToProto(use)) == use, input, request.use().ShortDebugString());
  const absl::Status status = ValidateDutyUse(use, kToday);
  FUZZ_CHECK(status.ok() || (absl::IsInvalidArgument(status) &&
                             absl::StartsWith(status.message(), "use.")),
             input, status.ToString());
  if (!status.ok()) return;
  // Validation canonicalises the periods; the canonical use is valid too.
  const DutyUse canonical = use;
  FUZZ_CHECK(ValidateDutyUse(use, kToday).ok() && use == canonical, input,
             use.first_period + ".." + use.last_period);
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Protobuf logs every string field that is not UTF-8; the parse fails all
  // the same, which is what is fuzzed.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  inrapport::CheckDuty(input);
  inrapport::CheckReport(input);
  inrapport::CheckUse(input);
  return 0;
}
