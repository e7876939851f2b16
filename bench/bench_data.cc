// bench_data: the benchmark's data.
//
//   bench_data duties-csv --duties=500 > duties.csv
//       the synthetic catalogue, for `inrapport import-duties`
//   bench_data load --db=FILE --reports=1000000 [--from_reports=N]
//       bulk-loads reports into a stopped server's database through the
//       store's own write path (validation, group commit), as the server
//       stores them, without gRPC
//
// The database must exist with its duties registered: start inrapportd on
// it once, import the catalogue, stop it. Reports are spread over the duties
// in proportion to how often each is due, newest periods first, one report
// per municipality, duty and period, as municipalities report: a million
// reports is about eight months of a country's reporting of 500 duties.
// `--from_reports=N` adds only what a load of --reports has beyond a load of
// N, so a database can grow from 1 to 10 million reports in two steps.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "bench/workload.h"
#include "common/domain/period.h"
#include "common/domain/validation.h"
#include "common/store/sqlite_store.h"

ABSL_FLAG(int, duties, 500, "duties-csv: how many duties.");
ABSL_FLAG(std::string, db, "", "load: the database file.");
ABSL_FLAG(int64_t, reports, 1000000, "load: reports the database holds afterwards.");
ABSL_FLAG(int64_t, from_reports, 0,
          "load: reports a previous load put there (that many are skipped).");
ABSL_FLAG(int, batch, 4096, "load: reports per store call.");
ABSL_FLAG(int, in_flight, 4, "load: store calls outstanding.");

namespace inrapport::bench {
namespace {

// Reports of each duty for a load of `total`, in proportion to its periods
// per year (cumulative rounding, so they sum to `total`).
std::vector<int64_t> Allocate(const std::vector<Duty>& duties, int64_t total) {
  int64_t weight_sum = 0;
  for (const Duty& d : duties) weight_sum += PeriodsPerYear(d.frequency);
  std::vector<int64_t> counts;
  int64_t weight = 0, previous = 0;
  for (const Duty& d : duties) {
    weight += PeriodsPerYear(d.frequency);
    const int64_t cumulative = static_cast<int64_t>(
        static_cast<__int128>(total) * weight / weight_sum);
    counts.push_back(cumulative - previous);
    previous = cumulative;
  }
  return counts;
}

int Load() {
  const std::string path = absl::GetFlag(FLAGS_db);
  const int64_t total = absl::GetFlag(FLAGS_reports);
  const int64_t from = absl::GetFlag(FLAGS_from_reports);
  const size_t batch_size = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_batch)));
  const int max_in_flight = std::max(1, absl::GetFlag(FLAGS_in_flight));
  if (path.empty()) {
    std::cerr << "bench_data load: --db is required\n";
    return 2;
  }
  SqliteStoreOptions options;
  options.path = path;
  options.max_reports_per_commit = static_cast<int>(batch_size);
  auto store = OpenSqliteStore(options);
  if (!store.ok()) {
    std::cerr << "bench_data load: " << store.status() << "\n";
    return 1;
  }
  auto duties = (*store)->LoadDuties();
  if (!duties.ok() || duties->empty()) {
    std::cerr << "bench_data load: no duties in " << path
              << " (import the catalogue first)\n";
    return 1;
  }
  const std::vector<int64_t> want = Allocate(*duties, total);
  const std::vector<int64_t> have = Allocate(*duties, from);
  const std::vector<std::string>& codes = MunicipalityCodes();
  const absl::CivilDay today = TodayInSweden();

  struct Flight {
    int calls = 0;
    int max = 1;
    bool HasRoom() const { return calls < max; }
    bool Idle() const { return calls == 0; }
  };
  absl::Mutex mu;
  Flight flight;
  flight.max = max_in_flight;
  int64_t accepted = 0, duplicate = 0, failed = 0;
  std::string first_error;
  auto submit = [&](std::vector<Report> batch) {
    {
      absl::MutexLock lock(&mu);
      mu.Await(absl::Condition(&flight, &Flight::HasRoom));
      ++flight.calls;
    }
    (*store)->SubmitReports(std::move(batch), [&](Store::SubmitResults results) {
      absl::MutexLock lock(&mu);
      for (const auto& r : results) {
        if (!r.ok()) {
          if (first_error.empty()) first_error = r.status().ToString();
          ++failed;
        } else if (r->outcome == SubmitOutcome::kAccepted) {
          ++accepted;
        } else {
          ++duplicate;
        }
      }
      --flight.calls;
    });
  };

  const auto start = std::chrono::steady_clock::now();
  std::vector<Report> batch;
  batch.reserve(batch_size);
  for (size_t d = 0; d < duties->size(); ++d) {
    const Duty& duty = (*duties)[d];
    if (want[d] <= have[d]) continue;
    const int periods_needed = static_cast<int>((want[d] + codes.size() - 1) / codes.size());
    const std::vector<std::string> periods = PastPeriods(duty.frequency, today, periods_needed);
    for (int64_t k = have[d]; k < want[d]; ++k) {
      Report report = CellReport(duty, codes[k % codes.size()], periods[k / codes.size()]);
      if (absl::Status valid = ValidateReport(duty, today, &report); !valid.ok()) {
        std::cerr << "bench_data load: generated an invalid report: " << valid << "\n";
        return 1;
      }
      batch.push_back(std::move(report));
      if (batch.size() == batch_size) {
        submit(std::move(batch));
        batch = {};
        batch.reserve(batch_size);
      }
    }
  }
  if (!batch.empty()) submit(std::move(batch));
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(&flight, &Flight::Idle));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto count = (*store)->CountReports();
  std::printf("loaded accepted=%lld duplicate=%lld failed=%lld stored=%lld seconds=%.1f "
              "reports_per_s=%.0f\n",
              static_cast<long long>(accepted), static_cast<long long>(duplicate),
              static_cast<long long>(failed),
              static_cast<long long>(count.ok() ? *count : -1), seconds,
              static_cast<double>(accepted + duplicate) / std::max(seconds, 1e-9));
  if (failed > 0) {
    std::cerr << "bench_data load: " << failed << " reports failed, first: " << first_error
              << "\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace inrapport::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "bench_data duties-csv [--duties=N] | bench_data load --db=FILE --reports=N "
      "[--from_reports=M]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string command = args.size() == 2 ? args[1] : "";
  if (command == "duties-csv") {
    std::cout << inrapport::bench::DutiesCsv(
        inrapport::bench::SyntheticDuties(absl::GetFlag(FLAGS_duties)));
    return 0;
  }
  if (command == "load") return inrapport::bench::Load();
  std::cerr << "usage: bench_data duties-csv [--duties=N] | bench_data load --db=FILE "
               "--reports=N [--from_reports=M]\n";
  return 2;
}
