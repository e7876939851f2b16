// Valid duties and reports for tests, to be varied field by field.
#ifndef INRAPPORT_TESTS_SUPPORT_EXAMPLES_H_
#define INRAPPORT_TESTS_SUPPORT_EXAMPLES_H_

#include <cstdint>
#include <string>

#include "common/domain/types.h"

namespace inrapport::testing {

inline Duty ExampleDuty(std::string id = "ivo-ej-verkstallda-beslut",
                        std::string agency_id = "ivo",
                        std::string purpose = "IVO judges whether to seek a special fee.") {
  Duty duty;
  duty.id = std::move(id);
  duty.agency_id = std::move(agency_id);
  duty.title = "Ej verkställda beslut enligt SoL";
  duty.legal_basis = "SoL 16 kap. 6 f §";
  duty.purpose = std::move(purpose);
  duty.sector = Sector::kSocialServices;
  duty.frequency = Frequency::kQuarterly;
  duty.data_items = {"decision_date", "service_type"};
  duty.estimated_minutes_per_report = 30;
  return duty;
}

inline Report ExampleReport(std::string submission_id,
                            std::string municipality_code = "0180",
                            std::string duty_id = "ivo-ej-verkstallda-beslut",
                            std::string period = "2025Q1",
                            int64_t minutes = 60) {
  Report report;
  report.submission_id = std::move(submission_id);
  report.municipality_code = std::move(municipality_code);
  report.duty_id = std::move(duty_id);
  report.period = std::move(period);
  report.minutes_spent = minutes;
  report.staff_count = 1;
  report.usefulness = 3;
  return report;
}

}  // namespace inrapport::testing

#endif  // INRAPPORT_TESTS_SUPPORT_EXAMPLES_H_
