// Duties, reports and uses that fill every field, with characters that
// need quoting (commas, quotes, braces, backslashes, åäö), for tests that a
// store keeps them exactly; and a store's burden cells by key.
#ifndef INRAPPORT_TESTS_SUPPORT_STORE_EXAMPLES_H_
#define INRAPPORT_TESTS_SUPPORT_STORE_EXAMPLES_H_

#include <cstdint>
#include <map>
#include <string>

#include "common/store/store.h"
#include "gtest/gtest.h"

namespace inrapport::testing {

inline Duty MakeDuty(const std::string& id) {
  Duty duty;
  duty.id = id;
  duty.agency_id = "skolverket";
  duty.title = "Elever i grundskolan";
  duty.legal_basis = "SKOLFS 2011:142 [unverified]";
  duty.purpose = "Nationell uppföljning, åäö.";
  duty.sector = Sector::kSchool;
  duty.frequency = Frequency::kAnnual;
  duty.data_items = {"pupil_id", "grade; with \"quotes\", commas {x}", "åäö\\"};
  duty.targeted_grant = "Likvärdighetsbidrag";
  duty.estimated_minutes_per_report = 12.1;
  duty.valid_from = "2011-07-01";
  duty.valid_until = "2030-06-30";
  duty.source_url = "https://www.skolverket.se/";
  duty.notes = "verified in part";
  duty.respondents = {"0180", "1280", "1480"};
  duty.deadline = "11-01 of the same year";
  return duty;
}

inline Report MakeReport(const std::string& id, int64_t minutes = 30,
                  const std::string& municipality = "0180", const std::string& period = "2025") {
  Report report;
  report.submission_id = id;
  report.municipality_code = municipality;
  report.duty_id = "d";
  report.period = period;
  report.minutes_spent = minutes;
  report.staff_count = 2;
  report.usefulness = 3;
  report.feedback_received = Answer::kNo;
  report.already_reported_elsewhere = Answer::kYes;
  report.comment = "kommentar, \"citat\" {} \\ åäö";
  return report;
}

inline DutyUse MakeUse(const std::string& duty_id, const std::string& use_id,
                const std::string& date = "2025-03-14") {
  DutyUse use;
  use.duty_id = duty_id;
  use.use_id = use_id;
  use.kind = UseKind::kPublication;
  use.date = date;
  use.description = "Statistik om elever, åäö; \"citat\"";
  use.link = "https://www.skolverket.se/statistik";
  use.first_period = "2024Q3";
  use.last_period = "2025Q1";
  return use;
}

// Keyed "duty/municipality/period".
inline std::map<std::string, BurdenCell> Cells(Store& store) {
  std::map<std::string, BurdenCell> cells;
  EXPECT_TRUE(store.ForEachBurdenCell([&](const BurdenCell& c) {
    cells[c.duty_id + "/" + c.municipality_code + "/" + c.period] = c;
  }).ok());
  return cells;
}

}  // namespace inrapport::testing

#endif  // INRAPPORT_TESTS_SUPPORT_STORE_EXAMPLES_H_
