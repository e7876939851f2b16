// The benchmark's synthetic workload: a catalogue of reporting duties and
// the reports municipalities make of them. Deterministic, so that the load
// generator, the bulk loader and the catalogue registered with the CLI agree
// without sharing state; every report passes the server's validation.
#ifndef INRAPPORT_BENCH_WORKLOAD_H_
#define INRAPPORT_BENCH_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/domain/types.h"

namespace inrapport::bench {

// `count` duties with ids "bench-0000", "bench-0001", ... spread over eleven
// agencies and every sector. Frequencies repeat in blocks of ten: three
// annual, one semiannual, two quarterly, two monthly, one weekly, one ad hoc.
// About a fifth state no purpose, a tenth no legal basis, a tenth are
// targeted-grant re-reporting, and data items overlap between agencies, so
// that the flag rules have work to do.
std::vector<Duty> SyntheticDuties(int count);

// The duties as a catalogue in the CLI's format (`inrapport import-duties`).
std::string DutiesCsv(const std::vector<Duty>& duties);

// Periods of `frequency` that ended before `today`, newest first. Ad hoc
// "periods" are dates 30 days apart.
std::vector<std::string> PastPeriods(Frequency frequency, absl::CivilDay today, int count);

// Reports a year of the frequency holds (ad hoc: 12, as PastPeriods spaces them).
int PeriodsPerYear(Frequency frequency);

// The report of `duty` for `municipality_code` and `period` (one report per
// municipality, duty and period, as municipalities report). Its answers
// (minutes, usefulness, feedback, ...) are derived from the three, so the
// same cell always gives the same report. The submission id is
// "<municipality>-<duty>-<period>".
Report CellReport(const Duty& duty, const std::string& municipality_code,
                  const std::string& period);

// The 290 official municipality codes in code order.
const std::vector<std::string>& MunicipalityCodes();

// A well-mixed 64-bit hash (splitmix64).
uint64_t Mix(uint64_t x);

}  // namespace inrapport::bench

#endif  // INRAPPORT_BENCH_WORKLOAD_H_
