#include "bench/workload.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/csv/csv.h"
#include "common/domain/agencies.h"
#include "common/domain/municipalities.h"
#include "common/domain/period.h"

namespace inrapport::bench {
namespace {


constexpr std::array<Frequency, 10> kFrequencyCycle = {
    Frequency::kAnnual,    Frequency::kAnnual,  Frequency::kAnnual,    Frequency::kSemiannual,
    Frequency::kQuarterly, Frequency::kQuarterly, Frequency::kMonthly, Frequency::kMonthly,
    Frequency::kWeekly,    Frequency::kAdHoc};

constexpr std::array<const char*, 6> kLegalBases = {
    "SoL (2001:453) 16 kap. 6 f §",
    "Skollagen 26 kap. 25 §; SKOLFS 2011:142",
    "Förordning (2001:100) om den officiella statistiken",
    "LSS (1993:387) 28 f §",
    "HSLF-FS 2016:40",
    "Lag (2006:544) om kommuners och regioners åtgärder inför och vid extraordinära "
    "händelser"};

constexpr std::array<const char*, 4> kPurposes = {
    "Official statistics on the municipalities' activities, published yearly and used by "
    "the Riksdag in the budget process.",
    "Supervision: the agency selects the providers it inspects from the reported data.",
    "The grant is paid out per reported unit; the data decides each municipality's share.",
    "National follow-up of waiting times, published per municipality for comparison."};

}  // namespace

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::vector<Duty> SyntheticDuties(int count) {
  std::vector<Duty> duties;
  duties.reserve(count);
  for (int i = 0; i < count; ++i) {
    const uint64_t h = Mix(static_cast<uint64_t>(i));
    Duty duty;
    duty.id = absl::StrFormat("bench-%04d", i);
    // The agencies a new store holds, so that the duties are accepted.
    const std::vector<Agency>& agencies = BuiltInAgencies();
    duty.agency_id = agencies[i % agencies.size()].id;
    duty.title = absl::StrCat("Synthetic reporting duty ", i, " for the benchmark");
    duty.sector = static_cast<Sector>(1 + (h % (kSectorCount - 1)));
    duty.frequency = kFrequencyCycle[i % kFrequencyCycle.size()];
    if (h % 10 != 0) duty.legal_basis = kLegalBases[(h >> 8) % kLegalBases.size()];
    if (h % 5 != 1) duty.purpose = kPurposes[(h >> 16) % kPurposes.size()];
    if (h % 10 == 2) duty.targeted_grant = absl::StrCat("Statsbidrag ", i);
    // Three to six items from a pool of 400: some are asked for by another
    // agency too (the overlap flag).
    const int items = 3 + static_cast<int>((h >> 24) % 4);
    for (int k = 0; k < items; ++k) {
      duty.data_items.push_back(absl::StrCat("item_", Mix(h + k) % 400));
    }
    duty.estimated_minutes_per_report = 30 + static_cast<double>((h >> 32) % 20) * 30;
    duty.notes = "synthetic duty of the inrapport benchmark";
    duties.push_back(std::move(duty));
  }
  return duties;
}

namespace {
// Stable across builds and processes, unlike std::hash or absl::Hash.
uint64_t Fnv1a(absl::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}
}  // namespace

std::string DutiesCsv(const std::vector<Duty>& duties) {
  std::string csv =
      "id,agency_id,title,legal_basis,purpose,sector,frequency,data_items,targeted_grant,"
      "estimated_minutes_per_report,valid_from,valid_until,source_url,notes\n";
  for (const Duty& d : duties) {
    const std::vector<std::string> fields = {
        d.id, d.agency_id, d.title, d.legal_basis, d.purpose,
        std::string(SectorName(d.sector)), std::string(FrequencyName(d.frequency)),
        absl::StrJoin(d.data_items, ";"), d.targeted_grant,
        absl::StrCat(d.estimated_minutes_per_report), d.valid_from, d.valid_until,
        d.source_url, d.notes};
    absl::StrAppend(&csv, CsvLine(fields), "\n");
  }
  return csv;
}

std::vector<std::string> PastPeriods(Frequency frequency, absl::CivilDay today, int count) {
  std::vector<std::string> periods;
  periods.reserve(count);
  absl::CivilDay day = today - 1;
  while (static_cast<int>(periods.size()) < count) {
    if (frequency == Frequency::kAdHoc) {
      periods.push_back(FormatDate(day));
      day -= 30;
      continue;
    }
    const Period period = Period::Containing(frequency, day);
    if (period.last_day() < today) periods.push_back(period.ToString());
    day = period.first_day() - 1;
  }
  return periods;
}

int PeriodsPerYear(Frequency frequency) {
  const int per_year = ReportsPerYear(frequency);
  return per_year > 0 ? per_year : 12;  // ad hoc: PastPeriods' 30-day spacing
}

Report CellReport(const Duty& duty, const std::string& municipality_code,
                  const std::string& period) {
  const uint64_t h = Mix(Fnv1a(absl::StrCat(duty.id, "|", municipality_code, "|", period)));
  Report report;
  report.submission_id = absl::StrCat(municipality_code, "-", duty.id, "-", period);
  report.municipality_code = municipality_code;
  report.duty_id = duty.id;
  report.period = period;
  // Staff time around the agency's estimate, in the round figures people
  // report (multiples of 15 minutes), between 15 minutes and 100 hours.
  const double factor = 0.25 + static_cast<double>(h % 1000) / 250.0;  // 0.25 .. 4.25
  int64_t minutes = static_cast<int64_t>(duty.estimated_minutes_per_report * factor / 15) * 15;
  report.minutes_spent = std::max<int64_t>(15, std::min<int64_t>(minutes, 6000));
  report.staff_count = 1 + static_cast<int32_t>((h >> 12) % 4);
  report.usefulness = static_cast<int32_t>((h >> 16) % 6);
  report.feedback_received = static_cast<Answer>((h >> 20) % 3);
  report.already_reported_elsewhere = static_cast<Answer>((h >> 24) % 3);
  if ((h >> 28) % 10 == 0) {
    report.comment = "Uppgifterna hämtades manuellt ur verksamhetssystemet och kontrollerades.";
  }
  return report;
}

const std::vector<std::string>& MunicipalityCodes() {
  static const auto* codes = [] {
    auto* out = new std::vector<std::string>();
    for (const Municipality& m : Municipalities::Official().all()) out->push_back(m.code);
    return out;
  }();
  return *codes;
}

}  // namespace inrapport::bench
