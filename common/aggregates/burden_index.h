// Measured burden in memory: the reports of every duty aggregated by
// municipality and period, so that summaries and metrics never scan reports.
#ifndef INRAPPORT_COMMON_AGGREGATES_BURDEN_INDEX_H_
#define INRAPPORT_COMMON_AGGREGATES_BURDEN_INDEX_H_

#include <atomic>
#include <bitset>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "common/base/byte_file.h"
#include "common/domain/period.h"
#include "common/domain/types.h"
#include "common/store/store.h"

namespace inrapport {

// One bit per official municipality (Municipality::index).
inline constexpr size_t kMunicipalityBits = 512;
using MunicipalitySet = std::bitset<kMunicipalityBits>;

enum class GroupBy { kAgency, kDuty, kMunicipality, kCounty, kSector, kPeriod, kFlag };

// The key of the kFlag row that holds duties without flags.
inline constexpr absl::string_view kUnflaggedKey = "unflagged";

// What a duty contributes to grouping and filtering, as the catalogue says
// now (an update that changes the agency moves the duty's burden with it).
struct DutyAttributes {
  std::string agency_id;
  Sector sector = Sector::kUnspecified;
  bool flagged = false;
  std::vector<std::string> flag_codes;  // now; for GroupBy::kFlag
  // The flags of each period with reports (Duty::period_flags; not owned,
  // must outlive the summary). A report counts as flagged when its duty was
  // flagged for its period; a period not listed takes flag_codes.
  const std::vector<PeriodFlags>* period_flags = nullptr;
  int64_t recorded_uses = 0;            // all the duty's uses, of any date
  // Duty::flags_serial of the flags above (0: unknown): a duty's split made
  // for the same serial still fits its periods, found without reading them.
  uint64_t flags_serial = 0;
};

// Whether `duty` was flagged for `period` (Duty::period_flags; a period not
// evaluated yet takes the flags of now).
bool FlaggedFor(const Duty& duty, absl::string_view period);

// The same for many periods of one duty, each looked up in constant time
// (FlaggedFor reads the list: a duty of weekly periods has hundreds). The
// duty must outlive it.
class FlaggedPeriods {
 public:
  explicit FlaggedPeriods(const Duty& duty);
  bool operator()(absl::string_view period) const;

 private:
  absl::flat_hash_map<absl::string_view, bool> flagged_;
  bool now_;
};

struct BurdenFilter {
  std::string agency_id;                 // empty: any
  Sector sector = Sector::kUnspecified;  // unspecified: any
  std::string municipality_code;         // empty: any
  // A report counts when its whole period lies in [first_day, last_day].
  std::optional<absl::CivilDay> first_day;
  std::optional<absl::CivilDay> last_day;
  bool flagged_only = false;
};

struct BurdenRowData {
  std::string key;
  std::string label;  // municipality or county name, else empty
  int64_t reports = 0;
  int64_t minutes = 0;
  int64_t flagged_minutes = 0;
  MunicipalitySet municipalities;
  // The recorded uses of the distinct duties with reports in the row, each
  // duty counted once however many cells it adds; the uses are not filtered
  // by period or municipality.
  int64_t recorded_uses = 0;

  double hours() const { return static_cast<double>(minutes) / 60.0; }
  double flagged_minutes_share() const {
    return minutes == 0 ? 0.0 : static_cast<double>(flagged_minutes) / minutes;
  }
};

struct BurdenTable {
  std::vector<BurdenRowData> rows;  // minutes descending, then key ascending
  BurdenRowData totals;             // key "total"
};

// Reporting rate rows (DHIS2's "reporting rate"): periods received /
// periods expected.
struct CompletenessRowData {
  std::string key;    // duty id, municipality code, or "total"
  std::string label;  // municipality name, else empty
  int64_t received = 0;
  int64_t expected = 0;
  // Of the duties that state a deadline only (their expected periods split
  // four ways): received by the deadline day (the first receipt's day in
  // Sweden), received after it, not received with the deadline passed, and
  // not received with the deadline today or ahead.
  int64_t on_time = 0;
  int64_t late = 0;
  int64_t missing = 0;
  int64_t not_yet_due = 0;
  double rate() const {
    return expected == 0 ? 0.0 : static_cast<double>(received) / expected;
  }
};

struct CompletenessTable {
  std::vector<CompletenessRowData> by_duty;          // in input order
  std::vector<CompletenessRowData> by_municipality;  // by code
  CompletenessRowData totals;                        // key "total"
};

// The periods a duty is expected to report, in canonical text, and the
// municipalities that must report each of them.
struct ExpectedPeriods {
  std::string duty_id;
  std::vector<std::string> periods;
  MunicipalitySet respondents;
  // The deadline of each period, as `periods`; empty when the duty states
  // no deadline.
  std::vector<absl::CivilDay> deadlines;
};

// One period's totals of one duty.
struct PeriodBurden {
  std::string period;
  int64_t reports = 0;
  int64_t minutes = 0;
};

// Per-duty totals, for metrics and rankings.
struct DutyBurden {
  int64_t reports = 0;
  int64_t minutes = 0;
  MunicipalitySet municipalities;
};

// One duty's measurements per municipality, for the national estimate.
struct DutyMeasurement {
  struct PerMunicipality {
    int municipality_index = 0;
    int64_t reports = 0;
    int64_t minutes = 0;
  };
  std::vector<PerMunicipality> by_municipality;  // with reports, by index
  int distinct_years = 0;    // as DistinctYearsOf
  std::string first_period;  // the period that starts first, as reported
  std::string last_period;   // the period that ends last
};

// Thread-safe: additions take an exclusive lock, queries a shared one.
class BurdenIndex {
 public:
  BurdenIndex() = default;
  BurdenIndex(const BurdenIndex&) = delete;
  BurdenIndex& operator=(const BurdenIndex&) = delete;

  // Adds every burden cell of `store` (at startup), in one pass under one
  // lock, parsing each distinct period text once. `also_visit`, when set, is
  // called with every cell whose period parses, and that parsed period, so
  // that the duties' statistics come from the same pass (see
  // Aggregates::Load); it must not call into this index.
  absl::Status LoadFrom(
      Store& store,
      const std::function<void(const BurdenCell& cell, const Period& period)>&
          also_visit = nullptr);

  // The snapshot's form (common/aggregates/snapshot.cc): the periods, and
  // per duty the order its periods came in and its cells. The rollups are
  // summed again from the cells as they are read.
  void EncodeTo(ByteFileWriter& out) const;
  // Into an empty index; false when `in` is damaged (in.status() says how).
  bool DecodeFrom(ByteFileReader& in);

  // Adds accepted reports (validated: official municipality code, canonical
  // period). Call once per report that the store accepted, never for a
  // duplicate.
  // `received_at_unix`, if not empty, holds each report's receipt time (as
  // `reports`): the cells keep the earliest.
  void AddReports(const std::vector<const Report*>& reports,
                  const std::vector<int64_t>& received_at_unix = {});
  void AddCell(const BurdenCell& cell);
  // Corrected and withdrawn reports, under one lock so that no summary
  // sees a report gone and its new version not yet there: each revision's
  // `before` (as it was counted) is taken out, then the `after`s added.
  void ReviseReports(const std::vector<ReportRevision>& revisions);

  // Groups the burden of the duties that `attributes` knows (it returns null
  // for unknown duties, whose reports are then left out) and that pass
  // `filter`.
  using AttributesLookup =
      std::function<const DutyAttributes*(absl::string_view duty_id)>;
  BurdenTable Summarize(GroupBy group_by, const BurdenFilter& filter,
                        const AttributesLookup& attributes) const;

  // How many of the expected (municipality, period) pairs have at least one
  // report, per duty and per municipality: each duty expects its
  // respondents only, and a report from outside them counts nowhere.
  // `municipality_code` empty means every municipality, else only that one
  // (an official code). A duty with deadlines also counts on time, late,
  // missing and not yet due as of `today`; a cell of unknown first receipt
  // (0) counts as on time.
  CompletenessTable Completeness(const std::vector<ExpectedPeriods>& duties,
                                 const std::string& municipality_code,
                                 absl::CivilDay today = absl::CivilDay()) const;

  // Distinct calendar years of the periods a duty has reports for (the
  // years their first days fall in).
  int DistinctYearsOf(absl::string_view duty_id) const;

  // The duty's totals per municipality and its span of periods (empty
  // without reports).
  DutyMeasurement MeasurementOf(absl::string_view duty_id) const;

  // Duties with at least one report from the municipality with this index.
  std::vector<std::string> DutiesReportedBy(int municipality_index) const;

  // Totals of one duty (zero if it has no reports).
  DutyBurden TotalsOf(absl::string_view duty_id) const;
  // Totals of every duty with reports.
  absl::flat_hash_map<std::string, DutyBurden> AllTotals() const;
  // A duty's totals per period, in the order the periods came.
  std::vector<PeriodBurden> PeriodsOf(absl::string_view duty_id) const;

  // Changes whenever a cell does (counted up under the exclusive lock): an
  // answer computed after reading generation G stays true while it reads G.
  uint64_t Generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  struct PeriodInfo {
    std::string text;  // as reported: the key of GroupBy::kPeriod rows
    Period period;
  };
  struct Cell {
    int64_t reports = 0;
    int64_t minutes = 0;
    int64_t first_received_unix = 0;  // the earliest receipt; 0: unknown
  };
  // A duty's cells by key (municipality index << 32 | period id): most in a
  // vector sorted by key, as a snapshot gives them (compact, and filled in
  // order rather than at scattered places), those added since in a hash
  // map, merged into the vector once they are a quarter of it. An emptied
  // cell of the vector stays, without reports, until a merge drops it.
  class CellMap {
   public:
    const Cell* Find(uint64_t key) const;
    Cell* Find(uint64_t key) {
      return const_cast<Cell*>(static_cast<const CellMap*>(this)->Find(key));
    }
    Cell& FindOrAdd(uint64_t key);
    void Erase(uint64_t key);
    // Calls visit(key, cell) for every cell with reports.
    template <typename Visit>
    void ForEach(Visit&& visit) const {
      for (const auto& [key, cell] : sorted_) {
        if (cell.reports != 0) visit(key, cell);
      }
      for (const auto& [key, cell] : added_) visit(key, cell);
    }
    // Cells held, counting those emptied since the last merge.
    size_t size() const { return sorted_.size() + added_.size(); }
    // Every cell, sorted by key.
    std::vector<std::pair<uint64_t, Cell>> Sorted() const;
    // Appends a cell whose key is greater than every key held; false
    // otherwise (nothing is added).
    bool AppendInOrder(uint64_t key, const Cell& cell);
    // Room for `cells` to be appended in order, its memory made ready.
    void Reserve(size_t cells);
    // Everything into the sorted vector.
    void Merge();

   private:
    std::vector<std::pair<uint64_t, Cell>> sorted_;
    absl::flat_hash_map<uint64_t, Cell> added_;
  };

  // The cells of one duty in one period, with the municipalities they come
  // from.
  struct PeriodRollup {
    int period_id = 0;
    int64_t reports = 0;
    int64_t minutes = 0;
    MunicipalitySet municipalities;
  };
  // A duty's sums split by the flags of its periods, for the duties whose
  // periods differ in flags (a report counts as flagged by its own
  // period's flags): the periods fall into classes of equal flags, and each
  // class keeps its totals and its sums per municipality, so that a summary
  // without a date filter adds a few sums instead of every cell. Made by the
  // first summary that needs it, kept up to date as cells change, and made
  // again when the classes differ (the flags changed, a period came or
  // went).
  struct FlagSplit {
    struct Sums {
      int64_t reports = 0;
      int64_t minutes = 0;
    };
    struct Class {
      std::vector<std::string> codes;  // the flags of its periods
      DutyBurden totals;
      std::vector<Sums> by_municipality;  // indexed by municipality index
    };
    std::vector<uint8_t> class_of_slot;  // as DutyCells::by_period
    std::vector<Class> classes;
    // The DutyAttributes::flags_serial it was last found to fit (0: none);
    // read and written under split_mu_.
    uint64_t flags_serial = 0;
  };
  // The rollups are sums of the cells, kept as cells are added, so that a
  // summary whose filter and grouping do not need single cells reads the
  // rollups only.
  struct DutyCells {
    DutyBurden totals;
    // Indexed by municipality index; empty until the first cell.
    std::vector<Cell> by_municipality;
    // One per period the duty has cells in, in the order they came.
    std::vector<PeriodRollup> by_period;
    absl::flat_hash_map<int, size_t> period_slots;  // period id -> by_period
    std::vector<int> years;  // distinct years of the periods' first days
    CellMap cells;
    // Changed in place only under mu_ held exclusively (as cells change);
    // replaced by a summary, which holds mu_ shared, only under split_mu_.
    // A summary keeps its own reference while it reads.
    mutable std::shared_ptr<FlagSplit> split;
  };

  // A snapshot's duty whose cells are still to be decoded, and the decoding:
  // empty, or why the block is damaged. Called on either of the threads of
  // DecodeFrom, for a duty not yet in the index.
  struct DutyBlock;
  std::string DecodeCells(DutyBlock& block, const std::vector<int>& municipality_of,
                          const std::vector<int>& period_of) ABSL_NO_THREAD_SAFETY_ANALYSIS;

  // Returns -1 for a period that does not parse (never for stored reports).
  int InternPeriod(const std::string& text) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void AddLocked(DutyCells& duty, int municipality_index, int period_id,
                 int64_t reports, int64_t minutes, int64_t first_received_unix = 0)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes one counted report out of its cell and rollups; an emptied cell,
  // municipality or period leaves them. `first_received_left` is the
  // earliest receipt the cell still holds (the store knows it).
  void RemoveLocked(DutyCells& duty, int municipality_index, int period_id, int64_t minutes,
                    int64_t first_received_left) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void AddReportsLocked(const std::vector<const Report*>& reports,
                        const std::vector<int64_t>& received_at_unix)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The duty's slot in by_period for the period, made if it has none.
  size_t PeriodSlotLocked(DutyCells& duty, int period_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The totals and rollups only, not the cell.
  void AddRollupsLocked(DutyCells& duty, int municipality_index, int period_id,
                        int64_t reports, int64_t minutes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The same, for the period in by_period[slot].
  void AddRollupsAtLocked(DutyCells& duty, int municipality_index, size_t slot,
                          int64_t reports, int64_t minutes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The duty's split for these classes of its periods (`class_of_slot` as
  // by_period, `codes` per class), made now if it has none or another.
  // It fits flags of `flags_serial` from now on (0: unknown).
  std::shared_ptr<const FlagSplit> SplitOf(
      const DutyCells& duty, const std::vector<uint8_t>& class_of_slot,
      const std::vector<const std::vector<std::string>*>& codes, uint64_t flags_serial) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The duty's split if it was found to fit flags of `flags_serial` (a
  // period that comes or goes drops the split); null otherwise.
  std::shared_ptr<const FlagSplit> SplitForSerial(const DutyCells& duty,
                                                  uint64_t flags_serial) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  // Taken after mu_, by summaries that replace a duty's split.
  mutable absl::Mutex split_mu_ ABSL_ACQUIRED_AFTER(mu_);
  std::vector<PeriodInfo> periods_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> period_ids_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, DutyCells> duties_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> generation_{0};
};

absl::string_view GroupByName(GroupBy group_by);  // "agency", "duty", ...

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_AGGREGATES_BURDEN_INDEX_H_
