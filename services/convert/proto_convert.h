// Conversion between the inrapport.v1 protobuf messages and the core's
// domain types. The only place where the two meet.
#ifndef INRAPPORT_SERVICES_CONVERT_PROTO_CONVERT_H_
#define INRAPPORT_SERVICES_CONVERT_PROTO_CONVERT_H_

#include "absl/status/status.h"
#include "common/aggregates/burden_index.h"
#include "common/burden/duty_account.h"
#include "common/domain/types.h"
#include "common/report/arena_report.h"
#include "common/store/store.h"
#include "grpcpp/support/status.h"
#include "inrapport/v1/burden_query.pb.h"
#include "inrapport/v1/duty_registry.pb.h"
#include "inrapport/v1/report_intake.pb.h"

namespace inrapport {

// Proto -> domain. Enum values outside the known range are kept as they are,
// so that validation can name the field.
Duty FromProto(const v1::ReportingDuty& proto);
Agency FromProto(const v1::Agency& proto);
v1::Agency ToProto(const Agency& agency);
Report FromProto(const v1::Report& proto);
// The same, taking the text out of `proto` instead of copying it (a message
// read from a stream is parsed into a report and then discarded).
Report FromProto(v1::Report&& proto);
DutyUse FromProto(const v1::DutyUse& proto);

// Domain -> proto, flags included.
v1::ReportingDuty ToProto(const Duty& duty);
v1::Report ToProto(const Report& report);
void ToProto(const Flag& flag, v1::Flag* proto);
void ToProto(const LegalReference& ref, v1::LegalReference* proto);
v1::DutyUse ToProto(const DutyUse& use);
void ToProto(const NationalEstimate& estimate, v1::NationalEstimate* proto);
void ToProto(const DutyAccount& account, v1::DutyAccount* proto);
void ToProto(const CompletenessRowData& row, v1::CompletenessRow* proto);
void ToProto(const ArenaReport& report, v1::ArenaReport* proto);
v1::ReportComment ToProto(const StoredComment& comment);
// The receipt of the report stored under `submission_id`.
v1::Receipt ToProto(const std::string& submission_id, const Receipt& receipt);
v1::StoredReport ToProto(const StoredReport& stored);
void ToProto(const DutyVersion& version, v1::DutyVersion* proto);

// absl codes are google.rpc codes: a cast plus the message.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_CONVERT_PROTO_CONVERT_H_
