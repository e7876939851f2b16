// Each protobuf <-> domain enum mapping, once. Enums whose numbers are
// stored or sent (sector, frequency, answer, use kind, legal reference kind)
// share their numbers on both sides: the mapping is a cast, and
// enum_convert.cc checks at compile time, value by value and in count, that
// the numbers agree, so that a renumbered or one-sided value cannot silently
// corrupt stored data. Enums that are only ever requested (grouping, report
// format) map by name.
#ifndef INRAPPORT_SERVICES_CONVERT_ENUM_CONVERT_H_
#define INRAPPORT_SERVICES_CONVERT_ENUM_CONVERT_H_

#include <optional>

#include "common/aggregates/burden_index.h"
#include "common/domain/lifecycle.h"
#include "common/domain/types.h"
#include "common/report/arena_report.h"
#include "inrapport/v1/burden_query.pb.h"
#include "inrapport/v1/duty_gateway.pb.h"
#include "inrapport/v1/duty_registry.pb.h"
#include "inrapport/v1/report_intake.pb.h"

namespace inrapport {

// Proto -> domain keeps a value outside the known range as it is, so that
// validation can name the field that holds it.
Sector FromProto(v1::Sector sector);
Frequency FromProto(v1::Frequency frequency);
Answer FromProto(v1::Answer answer);
UseKind FromProto(v1::UseKind kind);
DutyState FromProto(v1::DutyState state);
DecisionKind FromProto(v1::DecisionKind kind);
// Unspecified or unknown: nullopt (the caller says what it defaults to).
std::optional<GroupBy> FromProto(v1::GroupBy group_by);
std::optional<ReportFormat> FromProto(v1::ReportFormat format);

v1::Sector ToProto(Sector sector);
v1::Frequency ToProto(Frequency frequency);
v1::Answer ToProto(Answer answer);
v1::UseKind ToProto(UseKind kind);
v1::DutyState ToProto(DutyState state);
v1::DecisionKind ToProto(DecisionKind kind);
v1::LegalReference::Kind ToProto(LegalReference::Kind kind);

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_CONVERT_ENUM_CONVERT_H_
