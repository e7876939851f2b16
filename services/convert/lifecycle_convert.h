// Protobuf <-> domain for the duty gateway (inrapport/v1/duty_gateway.proto).
#ifndef INRAPPORT_SERVICES_CONVERT_LIFECYCLE_CONVERT_H_
#define INRAPPORT_SERVICES_CONVERT_LIFECYCLE_CONVERT_H_

#include "common/domain/lifecycle.h"
#include "common/impact/impact_assessment.h"
#include "common/lifecycle/duty_lifecycle.h"
#include "inrapport/v1/duty_gateway.pb.h"

namespace inrapport {

ConsultationAnswer FromProto(const v1::ConsultationAnswer& proto);
DutyDecision FromProto(const v1::DutyDecision& proto);

v1::ConsultationAnswer ToProto(const ConsultationAnswer& answer);
v1::DutyDecision ToProto(const DutyDecision& decision);
void ToProto(const ImpactAssessment& assessment, v1::ImpactAssessment* proto);
void ToProto(const ConsultationSummary& summary, v1::ConsultationSummary* proto);
// The evidence without its duty (the handler names the duty's agency).
void ToProto(const RenewalEvidence& evidence, v1::RenewalEvidence* proto);

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_CONVERT_LIFECYCLE_CONVERT_H_
