#include "common/aggregates/burden_index.h"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <deque>
#include <memory>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/domain/deadline.h"
#include "common/domain/municipalities.h"
#include "common/domain/period.h"

namespace inrapport {
namespace {

// Backs fresh memory about to be written in order (a snapshot's cells) with
// pages at once: one call instead of a page fault per 4 KiB, which on a
// virtual machine costs as much as decoding what fills the page; huge pages
// where the region is large enough. Advice only: where the kernel does not
// know it, the pages come as before.
void PrepareForWriting(void* data, size_t bytes) {
  constexpr uintptr_t kPage = 4096;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kPage - 1) & ~(kPage - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kPage - 1);
  if (end <= begin) return;
  void* const start = reinterpret_cast<void*>(begin);
  if (end - begin >= (2u << 20)) ::madvise(start, end - begin, MADV_HUGEPAGE);
#ifdef MADV_POPULATE_WRITE
  ::madvise(start, end - begin, MADV_POPULATE_WRITE);
#endif
}

// A cell's first receipt: the earliest known (0 is unknown).
void KeepFirst(int64_t& first, int64_t added) {
  if (added != 0 && (first == 0 || added < first)) first = added;
}

constexpr uint64_t CellKey(int municipality_index, int period_id) {
  return (static_cast<uint64_t>(municipality_index) << 32) |
         static_cast<uint32_t>(period_id);
}

// The figures of a row while a summary adds up: compact, so that the rows
// indexed by period or municipality stay close together in memory.
struct RowSums {
  int64_t reports = 0;
  int64_t minutes = 0;
  int64_t flagged_minutes = 0;
  MunicipalitySet municipalities;
  int64_t recorded_uses = 0;
  int last_duty = -1;  // the last duty whose uses were added, by ordinal
};

template <typename Row>
void Accumulate(Row& row, int64_t reports, int64_t minutes,
                bool flagged, int municipality_index) {
  row.reports += reports;
  row.minutes += minutes;
  if (flagged) row.flagged_minutes += minutes;
  row.municipalities.set(municipality_index);
}

// Adds a sum of cells from the municipalities in `municipalities`.
template <typename Row>
void AccumulateSet(Row& row, int64_t reports, int64_t minutes,
                   bool flagged, const MunicipalitySet& municipalities) {
  row.reports += reports;
  row.minutes += minutes;
  if (flagged) row.flagged_minutes += minutes;
  row.municipalities |= municipalities;
}

// GroupBy::kCounty rows are indexed by a dense slot per county code.
struct CountySlots {
  std::vector<int> of_municipality;  // by municipality index
  std::vector<std::string> codes;    // by slot
};

const CountySlots& CountySlotsOf(const Municipalities& official) {
  static const CountySlots* const slots = [&official] {
    auto* built = new CountySlots;
    absl::flat_hash_map<std::string, int> slot_of_code;
    built->of_municipality.resize(official.size());
    for (const Municipality& m : official.all()) {
      auto [it, inserted] =
          slot_of_code.try_emplace(m.county_code, static_cast<int>(built->codes.size()));
      if (inserted) built->codes.push_back(m.county_code);
      built->of_municipality[m.index] = it->second;
    }
    return built;
  }();
  return *slots;
}

}  // namespace

const BurdenIndex::Cell* BurdenIndex::CellMap::Find(uint64_t key) const {
  auto it = std::lower_bound(sorted_.begin(), sorted_.end(), key,
                             [](const auto& entry, uint64_t k) { return entry.first < k; });
  if (it != sorted_.end() && it->first == key) return it->second.reports == 0 ? nullptr : &it->second;
  auto added = added_.find(key);
  return added == added_.end() ? nullptr : &added->second;
}

BurdenIndex::Cell& BurdenIndex::CellMap::FindOrAdd(uint64_t key) {
  auto it = std::lower_bound(sorted_.begin(), sorted_.end(), key,
                             [](const auto& entry, uint64_t k) { return entry.first < k; });
  if (it != sorted_.end() && it->first == key) return it->second;
  if (added_.size() >= 1024 && added_.size() * 4 >= sorted_.size() && !added_.contains(key)) {
    Merge();  // the vector is the compact form; then the cell goes to the map
  }
  return added_[key];
}

void BurdenIndex::CellMap::Erase(uint64_t key) {
  auto it = std::lower_bound(sorted_.begin(), sorted_.end(), key,
                             [](const auto& entry, uint64_t k) { return entry.first < k; });
  if (it != sorted_.end() && it->first == key) {
    it->second = Cell{};
    return;
  }
  added_.erase(key);
}

std::vector<std::pair<uint64_t, BurdenIndex::Cell>> BurdenIndex::CellMap::Sorted() const {
  std::vector<std::pair<uint64_t, Cell>> cells;
  cells.reserve(size());
  for (const auto& entry : sorted_) {
    if (entry.second.reports != 0) cells.push_back(entry);
  }
  const size_t from_sorted = cells.size();
  for (const auto& entry : added_) cells.push_back(entry);
  std::sort(cells.begin() + from_sorted, cells.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::inplace_merge(cells.begin(), cells.begin() + from_sorted, cells.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  return cells;
}

void BurdenIndex::CellMap::Reserve(size_t cells) {
  if (cells <= sorted_.capacity()) return;
  sorted_.reserve(cells);
  PrepareForWriting(sorted_.data() + sorted_.size(),
                    (sorted_.capacity() - sorted_.size()) * sizeof(sorted_[0]));
}

bool BurdenIndex::CellMap::AppendInOrder(uint64_t key, const Cell& cell) {
  if (!added_.empty() || (!sorted_.empty() && sorted_.back().first >= key)) return false;
  sorted_.emplace_back(key, cell);
  return true;
}

void BurdenIndex::CellMap::Merge() {
  if (added_.empty()) return;
  std::vector<std::pair<uint64_t, Cell>> cells = Sorted();
  cells.shrink_to_fit();
  sorted_ = std::move(cells);
  added_ = {};
}

bool FlaggedFor(const Duty& duty, absl::string_view period) {
  for (const PeriodFlags& p : duty.period_flags) {
    if (p.period == period) return !p.codes.empty();
  }
  return duty.flagged();
}

FlaggedPeriods::FlaggedPeriods(const Duty& duty) : now_(duty.flagged()) {
  flagged_.reserve(duty.period_flags.size());
  for (const PeriodFlags& p : duty.period_flags) flagged_.emplace(p.period, !p.codes.empty());
}

bool FlaggedPeriods::operator()(absl::string_view period) const {
  auto it = flagged_.find(period);
  return it == flagged_.end() ? now_ : it->second;
}

absl::string_view GroupByName(GroupBy group_by) {
  switch (group_by) {
    case GroupBy::kAgency: return "agency";
    case GroupBy::kDuty: return "duty";
    case GroupBy::kMunicipality: return "municipality";
    case GroupBy::kCounty: return "county";
    case GroupBy::kSector: return "sector";
    case GroupBy::kPeriod: return "period";
    case GroupBy::kFlag: return "flag";
  }
  return "unknown";
}

absl::Status BurdenIndex::LoadFrom(
    Store& store,
    const std::function<void(const BurdenCell& cell, const Period& period)>& also_visit) {
  const Municipalities& official = Municipalities::Official();
  absl::MutexLock lock(&mu_);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  // The store gives the cells in key order (duty, municipality, period), so
  // the duty and the municipality are looked up when they change only, and
  // a duty's cells are collected first and go into its map at once, sized
  // for them: the map is never grown a step at a time.
  std::string duty_id;
  DutyCells* duty = nullptr;
  std::vector<std::pair<uint64_t, Cell>> pending;
  auto flush = [&pending, &duty]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (duty == nullptr || pending.empty()) return;
    for (const auto& [key, added] : pending) {
      Cell& cell = duty->cells.FindOrAdd(key);
      cell.reports += added.reports;
      cell.minutes += added.minutes;
      KeepFirst(cell.first_received_unix, added.first_received_unix);
    }
    pending.clear();
  };
  std::string municipality_code;
  int municipality_index = -1;
  absl::Status status = store.ForEachBurdenCell([&](const BurdenCell& cell)
                                                    ABSL_NO_THREAD_SAFETY_ANALYSIS {
    const int period_id = InternPeriod(cell.period);
    if (period_id < 0) return;  // cannot be stored; nothing to count
    if (also_visit) also_visit(cell, periods_[period_id].period);
    if (municipality_index < 0 || cell.municipality_code != municipality_code) {
      const Municipality* municipality = official.Find(cell.municipality_code);
      municipality_index = municipality == nullptr ? -1 : municipality->index;
      municipality_code = cell.municipality_code;
    }
    if (municipality_index < 0) return;
    if (duty == nullptr || cell.duty_id != duty_id) {
      flush();  // before an insertion moves the duties
      duty = &duties_[cell.duty_id];
      duty_id = cell.duty_id;
    }
    AddRollupsLocked(*duty, municipality_index, period_id, cell.reports, cell.minutes);
    pending.push_back({CellKey(municipality_index, period_id),
                       {cell.reports, cell.minutes, cell.first_received_unix}});
  });
  flush();
  for (auto& [id, cells] : duties_) cells.cells.Merge();
  return status;
}

void BurdenIndex::AddCell(const BurdenCell& cell) {
  const Municipality* municipality =
      Municipalities::Official().Find(cell.municipality_code);
  if (municipality == nullptr) return;  // cannot be stored; nothing to count
  absl::MutexLock lock(&mu_);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  const int period_id = InternPeriod(cell.period);
  if (period_id < 0) return;
  AddLocked(duties_[cell.duty_id], municipality->index, period_id, cell.reports,
            cell.minutes, cell.first_received_unix);
}

void BurdenIndex::AddReports(const std::vector<const Report*>& reports,
                             const std::vector<int64_t>& received_at_unix) {
  absl::MutexLock lock(&mu_);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  AddReportsLocked(reports, received_at_unix);
}

void BurdenIndex::ReviseReports(const std::vector<ReportRevision>& revisions) {
  const Municipalities& official = Municipalities::Official();
  std::vector<const Report*> added;
  std::vector<int64_t> received_at_unix;
  absl::MutexLock lock(&mu_);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  for (const ReportRevision& revision : revisions) {
    if (revision.after.has_value()) {
      added.push_back(&*revision.after);
      received_at_unix.push_back(revision.received_at_unix);
    }
    const Report& report = revision.before;
    const Municipality* municipality = official.Find(report.municipality_code);
    auto period = period_ids_.find(report.period);
    auto duty = duties_.find(report.duty_id);
    if (municipality == nullptr || period == period_ids_.end() || duty == duties_.end()) {
      continue;  // never counted
    }
    RemoveLocked(duty->second, municipality->index, period->second, report.minutes_spent,
                 revision.before_cell_first_received_unix);
  }
  AddReportsLocked(added, received_at_unix);
}

void BurdenIndex::RemoveLocked(DutyCells& duty, int municipality_index, int period_id,
                               int64_t minutes, int64_t first_received_left) {
  const uint64_t key = CellKey(municipality_index, period_id);
  Cell* cell = duty.cells.Find(key);
  if (cell == nullptr) return;  // never counted
  AddRollupsLocked(duty, municipality_index, period_id, -1, -minutes);
  cell->reports -= 1;
  cell->minutes -= minutes;
  cell->first_received_unix = first_received_left;
  const bool cell_emptied = cell->reports <= 0;
  if (cell_emptied) duty.cells.Erase(key);
  if (duty.by_municipality[municipality_index].reports <= 0) {
    duty.totals.municipalities.reset(municipality_index);
  }
  const size_t slot = duty.period_slots.at(period_id);
  if (cell_emptied) duty.by_period[slot].municipalities.reset(municipality_index);
  if (duty.by_period[slot].reports > 0) return;
  // The period has no report left: it goes, and with it perhaps a year.
  duty.split.reset();  // its classes are by slot
  duty.by_period.erase(duty.by_period.begin() + static_cast<std::ptrdiff_t>(slot));
  duty.period_slots.clear();
  duty.years.clear();
  for (size_t i = 0; i < duty.by_period.size(); ++i) {
    duty.period_slots[duty.by_period[i].period_id] = i;
    const int year =
        static_cast<int>(periods_[duty.by_period[i].period_id].period.first_day().year());
    if (std::find(duty.years.begin(), duty.years.end(), year) == duty.years.end()) {
      duty.years.push_back(year);
    }
  }
}

void BurdenIndex::AddReportsLocked(const std::vector<const Report*>& reports,
                                   const std::vector<int64_t>& received_at_unix) {
  const Municipalities& official = Municipalities::Official();
  for (size_t i = 0; i < reports.size(); ++i) {
    const Report* report = reports[i];
    const Municipality* municipality = official.Find(report->municipality_code);
    if (municipality == nullptr) continue;
    const int period_id = InternPeriod(report->period);
    if (period_id < 0) continue;
    AddLocked(duties_[report->duty_id], municipality->index, period_id, 1,
              report->minutes_spent,
              i < received_at_unix.size() ? received_at_unix[i] : 0);
  }
}

int BurdenIndex::InternPeriod(const std::string& text) {
  auto it = period_ids_.find(text);
  if (it != period_ids_.end()) return it->second;
  absl::StatusOr<Period> period = Period::Parse(text);
  if (!period.ok()) return -1;
  const int id = static_cast<int>(periods_.size());
  periods_.push_back({text, *std::move(period)});
  period_ids_.emplace(text, id);
  return id;
}

void BurdenIndex::AddLocked(DutyCells& duty, int municipality_index, int period_id,
                            int64_t reports, int64_t minutes, int64_t first_received_unix) {
  AddRollupsLocked(duty, municipality_index, period_id, reports, minutes);
  Cell& cell = duty.cells.FindOrAdd(CellKey(municipality_index, period_id));
  cell.reports += reports;
  cell.minutes += minutes;
  KeepFirst(cell.first_received_unix, first_received_unix);
}

size_t BurdenIndex::PeriodSlotLocked(DutyCells& duty, int period_id) {
  auto [slot, inserted] = duty.period_slots.try_emplace(period_id, duty.by_period.size());
  if (inserted) {
    duty.split.reset();  // its classes do not know the period
    duty.by_period.emplace_back();
    duty.by_period.back().period_id = period_id;
    const int year = static_cast<int>(periods_[period_id].period.first_day().year());
    if (std::find(duty.years.begin(), duty.years.end(), year) == duty.years.end()) {
      duty.years.push_back(year);
    }
  }
  return slot->second;
}

void BurdenIndex::EncodeTo(ByteFileWriter& out) const {
  absl::ReaderMutexLock lock(&mu_);
  // Municipalities by index, so that a snapshot read with another list of
  // municipalities is mapped by code, or refused.
  const Municipalities& official = Municipalities::Official();
  out.Varint(official.size());
  for (const Municipality& m : official.all()) out.String(m.code);
  out.Varint(periods_.size());
  for (const PeriodInfo& period : periods_) out.String(period.text);
  out.Varint(duties_.size());
  ByteBlockWriter block;
  for (const auto& [id, duty] : duties_) {
    out.String(id);
    out.Varint(duty.by_period.size());
    for (const PeriodRollup& period : duty.by_period) out.Varint(period.period_id);
    // In key order, so that reading them back fills a vector in order; as
    // one block, so that a reader can decode duties side by side.
    const std::vector<std::pair<uint64_t, Cell>> cells = duty.cells.Sorted();
    out.Varint(cells.size());
    block.Clear();
    for (const auto& [key, cell] : cells) {
      block.Varint(key >> 32);
      block.Varint(key & 0xffffffffu);
      block.Signed(cell.reports);
      block.Signed(cell.minutes);
      block.Signed(cell.first_received_unix);
    }
    out.String(block.bytes());
  }
}

// One duty of a snapshot, read but not decoded: its cells are decoded on
// whichever of the reading threads is free.
struct BurdenIndex::DutyBlock {
  std::string id;
  std::unique_ptr<DutyCells> duty;  // its periods already in place
  std::vector<int> slot_of;         // the duty's slot of each period of the file
  uint64_t cells = 0;
  std::string bytes;
};

std::string BurdenIndex::DecodeCells(DutyBlock& block, const std::vector<int>& municipality_of,
                                     const std::vector<int>& period_of) {
  DutyCells& duty = *block.duty;
  ByteBlockReader in(block.bytes);
  // An index into a table of the file.
  auto index_into = [&in](size_t size, uint64_t* index) {
    return size == 0 ? in.Fail("an index into an empty table") : in.Bounded(size - 1, index);
  };
  duty.cells.Reserve(block.cells);
  for (uint64_t c = 0; c < block.cells; ++c) {
    uint64_t municipality = 0;
    uint64_t period = 0;
    int64_t reports = 0;
    int64_t minutes = 0;
    int64_t first_received = 0;
    if (!index_into(municipality_of.size(), &municipality) ||
        !index_into(period_of.size(), &period) || !in.Signed(&reports) ||
        !in.Signed(&minutes) || !in.Signed(&first_received)) {
      break;
    }
    if (reports <= 0) {
      in.Fail("a cell without reports");
      break;
    }
    const int m = municipality_of[municipality];
    const int p = period_of[period];
    // In key order as written; municipalities mapped to another order
    // (a changed list) are put in place by the merge below.
    if (!duty.cells.AppendInOrder(CellKey(m, p), Cell{reports, minutes, first_received})) {
      Cell& cell = duty.cells.FindOrAdd(CellKey(m, p));
      cell.reports += reports;
      cell.minutes += minutes;
      KeepFirst(cell.first_received_unix, first_received);
    }
    int& slot = block.slot_of[period];
    if (slot < 0) slot = static_cast<int>(PeriodSlotLocked(duty, p));
    AddRollupsAtLocked(duty, m, static_cast<size_t>(slot), reports, minutes);
  }
  if (in.error().empty() && !in.AtEnd()) in.Fail("bytes follow the cells");
  duty.cells.Merge();
  block.bytes = std::string();  // decoded: its memory goes back
  return in.error().empty() ? "" : absl::StrCat("duty \"", block.id, "\": ", in.error());
}

bool BurdenIndex::DecodeFrom(ByteFileReader& in) {
  constexpr uint64_t kMaxCount = 1ULL << 32;
  constexpr size_t kMaxText = 256;
  const Municipalities& official = Municipalities::Official();
  absl::MutexLock lock(&mu_);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  if (!periods_.empty() || !duties_.empty()) return in.Fail("the index is not empty");
  uint64_t count = 0;
  if (!in.Bounded(kMunicipalityBits, &count)) return false;
  std::vector<int> municipality_of(count);
  std::string text;
  for (uint64_t i = 0; i < count; ++i) {
    if (!in.String(kMaxText, &text)) return false;
    const Municipality* m = official.Find(text);
    if (m == nullptr) return in.Fail(absl::StrCat("municipality \"", text, "\" is not known"));
    municipality_of[i] = m->index;
  }
  if (!in.Bounded(kMaxCount, &count)) return false;
  std::vector<int> period_of(count);
  for (uint64_t i = 0; i < count; ++i) {
    if (!in.String(kMaxText, &text)) return false;
    period_of[i] = InternPeriod(text);
    if (period_of[i] < 0) return in.Fail(absl::StrCat("period \"", text, "\" does not parse"));
  }

  // This thread reads the duties (and checks every byte), and decodes a
  // duty's cells itself when the other thread has two waiting; the other
  // decodes the rest. The duties are new objects outside the index until
  // both are done. Neither changes periods_ now, which both read.
  struct Queue {
    std::deque<DutyBlock*> blocks;
    bool closed = false;
    std::string error;  // the first damaged block's
    bool Ready() const { return !blocks.empty() || closed; }
  };
  absl::Mutex queue_mu;
  Queue queue;  // guarded by queue_mu
  auto decode = [&](DutyBlock& block) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    std::string why = DecodeCells(block, municipality_of, period_of);
    if (why.empty()) return;
    absl::MutexLock queue_lock(&queue_mu);
    if (queue.error.empty()) queue.error = std::move(why);
  };
  std::thread other([&] {
    for (;;) {
      DutyBlock* block = nullptr;
      {
        absl::MutexLock queue_lock(&queue_mu);
        queue_mu.Await(absl::Condition(&queue, &Queue::Ready));
        if (queue.blocks.empty()) return;
        block = queue.blocks.front();
        queue.blocks.pop_front();
      }
      decode(*block);
    }
  });

  std::vector<std::unique_ptr<DutyBlock>> blocks;
  absl::flat_hash_set<std::string> ids;
  auto read_duties = [&]() -> bool {
    auto index_into = [&in](size_t size, uint64_t* index) {
      return size == 0 ? in.Fail("an index into an empty table") : in.Bounded(size - 1, index);
    };
    uint64_t duties = 0;
    if (!in.Bounded(kMaxCount, &duties)) return false;
    for (uint64_t d = 0; d < duties; ++d) {
      auto block = std::make_unique<DutyBlock>();
      block->duty = std::make_unique<DutyCells>();
      if (!in.String(kMaxText, &block->id)) return false;
      if (!ids.insert(block->id).second) {
        return in.Fail(absl::StrCat("duty \"", block->id, "\" comes twice"));
      }
      block->slot_of.assign(period_of.size(), -1);
      uint64_t index = 0;
      if (!in.Bounded(period_of.size(), &count)) return false;
      for (uint64_t p = 0; p < count; ++p) {
        if (!index_into(period_of.size(), &index)) return false;
        block->slot_of[index] = static_cast<int>(PeriodSlotLocked(*block->duty, period_of[index]));
      }
      // A cell takes 5 varints, of 1 to 10 bytes each.
      if (!in.Bounded(kMaxCount, &block->cells) ||
          !in.String(static_cast<size_t>(block->cells * 50), &block->bytes)) {
        return false;
      }
      if (block->cells * 5 > block->bytes.size()) {
        return in.Fail(absl::StrCat("duty \"", block->id, "\" claims more cells than it holds"));
      }
      DutyBlock* pending = block.get();
      blocks.push_back(std::move(block));
      bool decode_here = false;
      {
        absl::MutexLock queue_lock(&queue_mu);
        if (queue.blocks.size() >= 2) {
          decode_here = true;
        } else {
          queue.blocks.push_back(pending);
        }
      }
      if (decode_here) decode(*pending);
    }
    return true;
  };
  const bool read = read_duties();
  {
    absl::MutexLock queue_lock(&queue_mu);
    if (!read) queue.blocks.clear();  // nothing more is worth decoding
    queue.closed = true;
  }
  other.join();
  if (!read) return false;
  {
    absl::MutexLock queue_lock(&queue_mu);
    if (!queue.error.empty()) return in.Fail(queue.error);
  }
  duties_.reserve(blocks.size());
  for (std::unique_ptr<DutyBlock>& block : blocks) {
    duties_.emplace(std::move(block->id), std::move(*block->duty));
  }
  return true;
}

void BurdenIndex::AddRollupsLocked(DutyCells& duty, int municipality_index,
                                   int period_id, int64_t reports, int64_t minutes) {
  AddRollupsAtLocked(duty, municipality_index, PeriodSlotLocked(duty, period_id), reports,
                     minutes);
}

void BurdenIndex::AddRollupsAtLocked(DutyCells& duty, int municipality_index, size_t slot,
                                     int64_t reports, int64_t minutes) {
  duty.totals.reports += reports;
  duty.totals.minutes += minutes;
  duty.totals.municipalities.set(municipality_index);

  if (duty.by_municipality.size() <= static_cast<size_t>(municipality_index)) {
    duty.by_municipality.resize(municipality_index + 1);
  }
  Cell& municipality = duty.by_municipality[municipality_index];
  municipality.reports += reports;
  municipality.minutes += minutes;

  PeriodRollup& period = duty.by_period[slot];
  period.reports += reports;
  period.minutes += minutes;
  period.municipalities.set(municipality_index);

  if (duty.split != nullptr) {
    FlagSplit::Class& split = duty.split->classes[duty.split->class_of_slot[slot]];
    split.totals.reports += reports;
    split.totals.minutes += minutes;
    if (split.by_municipality.size() <= static_cast<size_t>(municipality_index)) {
      split.by_municipality.resize(municipality_index + 1);
    }
    FlagSplit::Sums& sums = split.by_municipality[municipality_index];
    sums.reports += reports;
    sums.minutes += minutes;
    split.totals.municipalities.set(municipality_index, sums.reports > 0);
  }
}

std::shared_ptr<const BurdenIndex::FlagSplit> BurdenIndex::SplitForSerial(
    const DutyCells& duty, uint64_t flags_serial) const {
  if (flags_serial == 0) return nullptr;
  absl::MutexLock lock(&split_mu_);
  if (duty.split == nullptr || duty.split->flags_serial != flags_serial) return nullptr;
  return duty.split;
}

std::shared_ptr<const BurdenIndex::FlagSplit> BurdenIndex::SplitOf(
    const DutyCells& duty, const std::vector<uint8_t>& class_of_slot,
    const std::vector<const std::vector<std::string>*>& codes, uint64_t flags_serial) const {
  {
    absl::MutexLock lock(&split_mu_);
    FlagSplit* split = duty.split.get();
    if (split != nullptr && split->class_of_slot == class_of_slot &&
        split->classes.size() == codes.size() &&
        std::equal(split->classes.begin(), split->classes.end(), codes.begin(),
                   [](const FlagSplit::Class& c, const std::vector<std::string>* code) {
                     return c.codes == *code;
                   })) {
      split->flags_serial = flags_serial;
      return duty.split;
    }
  }
  // Made outside split_mu_: one pass over the duty's cells, which other
  // summaries need not wait for.
  auto split = std::make_shared<FlagSplit>();
  split->class_of_slot = class_of_slot;
  split->classes.resize(codes.size());
  for (size_t c = 0; c < codes.size(); ++c) {
    split->classes[c].codes = *codes[c];
    split->classes[c].by_municipality.resize(duty.by_municipality.size());
  }
  std::vector<int> class_of_period(periods_.size(), -1);
  for (size_t slot = 0; slot < duty.by_period.size(); ++slot) {
    class_of_period[duty.by_period[slot].period_id] = class_of_slot[slot];
  }
  duty.cells.ForEach([&](uint64_t key, const Cell& cell) {
    const int c = class_of_period[key & 0xffffffffu];
    if (c < 0) return;  // never: every cell's period has a slot
    const size_t municipality_index = key >> 32;
    FlagSplit::Class& split_class = split->classes[c];
    split_class.totals.reports += cell.reports;
    split_class.totals.minutes += cell.minutes;
    split_class.totals.municipalities.set(municipality_index);
    FlagSplit::Sums& sums = split_class.by_municipality[municipality_index];
    sums.reports += cell.reports;
    sums.minutes += cell.minutes;
  });
  split->flags_serial = flags_serial;
  absl::MutexLock lock(&split_mu_);
  duty.split = split;
  return split;
}

BurdenTable BurdenIndex::Summarize(GroupBy group_by, const BurdenFilter& filter,
                                   const AttributesLookup& attributes) const {
  const Municipalities& official = Municipalities::Official();
  const CountySlots& county_slots = CountySlotsOf(official);
  int filter_municipality = -1;
  if (!filter.municipality_code.empty()) {
    const Municipality* m = official.Find(filter.municipality_code);
    if (m == nullptr) return {};  // validated by the caller; nothing matches
    filter_municipality = m->index;
  }
  const bool period_filter = filter.first_day.has_value() || filter.last_day.has_value();

  BurdenTable table;
  table.totals.key = "total";
  // Rows of the groupings by a property of the duty.
  absl::flat_hash_map<std::string, BurdenRowData> groups;

  absl::ReaderMutexLock lock(&mu_);
  // Periods outside the range are decided once, not once per cell.
  std::vector<bool> period_in_range(periods_.size(), true);
  for (size_t i = 0; i < periods_.size(); ++i) {
    if (filter.first_day && periods_[i].period.first_day() < *filter.first_day) {
      period_in_range[i] = false;
    }
    if (filter.last_day && periods_[i].period.last_day() > *filter.last_day) {
      period_in_range[i] = false;
    }
  }
  // For a duty whose periods differ in flags: per period -1 (left out), 0
  // (unflagged) or 1 (flagged); back to -1 after each duty.
  std::vector<int8_t> period_state(periods_.size(), -1);
  // Rows of the groupings by a property of the cell: by municipality index,
  // county slot or period id.
  std::vector<RowSums> cell_rows;
  switch (group_by) {
    case GroupBy::kMunicipality: cell_rows.resize(official.size()); break;
    case GroupBy::kCounty: cell_rows.resize(county_slots.codes.size()); break;
    case GroupBy::kPeriod: cell_rows.resize(periods_.size()); break;
    default: break;
  }
  auto cell_row = [&](int municipality_index, int period_id) -> RowSums& {
    switch (group_by) {
      case GroupBy::kMunicipality: return cell_rows[municipality_index];
      case GroupBy::kCounty:
        return cell_rows[county_slots.of_municipality[municipality_index]];
      default: return cell_rows[period_id];
    }
  };

  // The catalogue's flags of the current duty's periods, by period id
  // (null: not listed, the flags of now), and the ids set for it.
  std::vector<const PeriodFlags*> listed(periods_.size(), nullptr);
  std::vector<int> listed_periods;
  std::vector<absl::string_view> keys;  // of a duty's rows (keys_for below)

  int duty_ordinal = -1;
  for (const auto& entry : duties_) {
    ++duty_ordinal;
    // Named, not bound: the lambdas below capture them.
    const std::string& duty_id = entry.first;
    const DutyCells& duty = entry.second;
    const DutyAttributes* attrs = attributes(duty_id);
    if (attrs == nullptr) continue;
    if (!filter.agency_id.empty() && attrs->agency_id != filter.agency_id) continue;
    if (filter.sector != Sector::kUnspecified && attrs->sector != filter.sector) continue;

    // A split that fits these flags (see FlagSplit) already has the
    // duty's classes of periods: they are not read again.
    const bool split_serves = !period_filter && group_by != GroupBy::kPeriod;
    std::shared_ptr<const FlagSplit> known_split =
        split_serves ? SplitForSerial(duty, attrs->flags_serial) : nullptr;

    // A report counts as flagged when its duty was flagged for its period.
    // A period the catalogue has not evaluated yet takes the flags of now.
    for (const int period_id : listed_periods) listed[period_id] = nullptr;
    listed_periods.clear();
    if (attrs->period_flags != nullptr && known_split == nullptr) {
      for (const PeriodFlags& p : *attrs->period_flags) {
        auto it = period_ids_.find(p.period);
        if (it == period_ids_.end()) continue;  // a period without cells
        listed[it->second] = &p;
        listed_periods.push_back(it->second);
      }
    }
    auto codes_of = [&](int period_id) -> const std::vector<std::string>& {
      const PeriodFlags* p = listed[period_id];
      return p == nullptr ? attrs->flag_codes : p->codes;
    };
    // The duty's periods in classes of equal flags, each period's flags
    // looked up once. Most duties have one class: their sums serve. Codes
    // are compared once per class the catalogue numbered (and for the
    // periods it did not list), not once per period; a known split's are
    // its classes (two or more: the split path below takes them).
    std::vector<uint8_t> class_of_slot(known_split ? 0 : duty.by_period.size());
    std::vector<const std::vector<std::string>*> class_codes;
    if (known_split) {
      for (const FlagSplit::Class& split_class : known_split->classes) {
        class_codes.push_back(&split_class.codes);
      }
    }
    auto class_of = [&](const std::vector<std::string>* codes) {
      size_t c = 0;
      while (c < class_codes.size() && class_codes[c] != codes && *class_codes[c] != *codes) ++c;
      if (c == class_codes.size()) class_codes.push_back(codes);
      return c;
    };
    std::vector<int> class_of_index;  // the catalogue's class index -> c
    int unlisted_class = -1;
    for (size_t slot = 0; slot < class_of_slot.size(); ++slot) {
      const PeriodFlags* p = listed[duty.by_period[slot].period_id];
      size_t c;
      if (p == nullptr) {
        if (unlisted_class < 0) unlisted_class = static_cast<int>(class_of(&attrs->flag_codes));
        c = unlisted_class;
      } else if (const int index = p->class_index; index < 0) {
        c = class_of(&p->codes);
      } else {
        if (static_cast<size_t>(index) >= class_of_index.size()) {
          class_of_index.resize(index + 1, -1);
        }
        if (class_of_index[index] < 0) {
          class_of_index[index] = static_cast<int>(class_of(&p->codes));
        }
        c = class_of_index[index];
      }
      class_of_slot[slot] = static_cast<uint8_t>(std::min<size_t>(c, 255));
    }
    const bool uniform = class_codes.size() <= 1;
    const std::vector<std::string>* same_codes =
        class_codes.empty() ? &attrs->flag_codes : class_codes.front();
    bool flagged = !same_codes->empty();
    if (uniform && filter.flagged_only && !flagged) continue;

    // Groupings that do not depend on the cell share rows per duty (several
    // for kFlag: a duty counts under each of its flags).
    // The keys view the duty's attributes, its id, the codes or constants,
    // and are valid until the next call.
    auto keys_for = [&](const std::vector<std::string>& codes)
        -> const std::vector<absl::string_view>& {
      keys.clear();
      switch (group_by) {
        case GroupBy::kAgency: keys.push_back(attrs->agency_id); break;
        case GroupBy::kDuty: keys.push_back(duty_id); break;
        case GroupBy::kSector: keys.push_back(SectorName(attrs->sector)); break;
        case GroupBy::kFlag:
          keys.assign(codes.begin(), codes.end());
          if (keys.empty()) keys.push_back(kUnflaggedKey);
          break;
        default: break;
      }
      return keys;
    };
    // Every row is inserted before any pointer is taken: an insertion may
    // move the map's elements.
    if (uniform) {
      for (absl::string_view key : keys_for(*same_codes)) groups[key];
    } else {
      for (const std::vector<std::string>* codes : class_codes) {
        for (absl::string_view key : keys_for(*codes)) groups[key];
      }
    }
    std::vector<BurdenRowData*> duty_rows;
    auto take_rows = [&](const std::vector<std::string>& codes) {
      duty_rows.clear();
      for (absl::string_view key : keys_for(codes)) duty_rows.push_back(&groups[key]);
    };
    take_rows(*same_codes);
    const bool per_duty = !duty_rows.empty();

    // A duty's uses count once in each row it adds reports to, and once in
    // the totals.
    std::vector<const BurdenRowData*> rows_with_uses;
    bool totals_with_uses = false;
    auto count_uses = [&] {
      for (BurdenRowData* row : duty_rows) {
        if (std::find(rows_with_uses.begin(), rows_with_uses.end(), row) !=
            rows_with_uses.end()) {
          continue;
        }
        rows_with_uses.push_back(row);
        row->recorded_uses += attrs->recorded_uses;
      }
      if (totals_with_uses) return;
      totals_with_uses = true;
      table.totals.recorded_uses += attrs->recorded_uses;
    };
    auto count_uses_in = [&](RowSums& row) {
      if (row.last_duty == duty_ordinal) return;
      row.last_duty = duty_ordinal;
      row.recorded_uses += attrs->recorded_uses;
    };

    // One cell, or the sum of the cells of one municipality, to its rows and
    // the totals.
    auto add_cell = [&](int municipality_index, int period_id, int64_t reports,
                        int64_t minutes) {
      count_uses();
      if (per_duty) {
        for (BurdenRowData* row : duty_rows) {
          Accumulate(*row, reports, minutes, flagged, municipality_index);
        }
      } else {
        RowSums& row = cell_row(municipality_index, period_id);
        count_uses_in(row);
        Accumulate(row, reports, minutes, flagged, municipality_index);
      }
      Accumulate(table.totals, reports, minutes, flagged, municipality_index);
    };
    // The sum of the cells of one period (or of the whole duty when
    // `period_id` is negative), for groupings that do not tell municipalities
    // apart.
    auto add_sum = [&](int period_id, int64_t reports, int64_t minutes,
                       const MunicipalitySet& municipalities) {
      count_uses();
      if (per_duty) {
        for (BurdenRowData* row : duty_rows) {
          AccumulateSet(*row, reports, minutes, flagged, municipalities);
        }
      } else {
        count_uses_in(cell_rows[period_id]);
        AccumulateSet(cell_rows[period_id], reports, minutes, flagged, municipalities);
      }
      AccumulateSet(table.totals, reports, minutes, flagged, municipalities);
    };
    // The cell of one municipality in one period, if it has one.
    auto add_cells_of_period = [&](int municipality_index, const PeriodRollup& period) {
      if (!period.municipalities.test(municipality_index)) return;
      const Cell* cell = duty.cells.Find(CellKey(municipality_index, period.period_id));
      if (cell == nullptr) return;  // never: the rollup holds it
      add_cell(municipality_index, period.period_id, cell->reports, cell->minutes);
    };
    // The cells of one municipality, period by period: found through the
    // period rollups, which know which municipalities they hold.
    auto add_cells_of = [&](int municipality_index) {
      for (const PeriodRollup& period : duty.by_period) {
        if (!period_in_range[period.period_id]) continue;
        if (!period.municipalities.test(municipality_index)) continue;
        const Cell* cell = duty.cells.Find(CellKey(municipality_index, period.period_id));
        if (cell == nullptr) continue;  // never: the rollup holds it
        add_cell(municipality_index, period.period_id, cell->reports, cell->minutes);
      }
    };
    // Every municipality's sum over all periods.
    auto add_municipality_sums = [&] {
      for (size_t m = 0; m < duty.by_municipality.size(); ++m) {
        if (!duty.totals.municipalities.test(m)) continue;
        const Cell& sum = duty.by_municipality[m];
        add_cell(static_cast<int>(m), -1, sum.reports, sum.minutes);
      }
    };

    if (!uniform && split_serves && duty.by_period.size() > 0) {
      // The sums of the periods of equal flags (see FlagSplit).
      if (class_codes.size() <= 255) {
        const std::shared_ptr<const FlagSplit> split =
            known_split ? known_split
                        : SplitOf(duty, class_of_slot, class_codes, attrs->flags_serial);
        for (const FlagSplit::Class& split_class : split->classes) {
          if (split_class.totals.reports == 0) continue;
          flagged = !split_class.codes.empty();
          if (filter.flagged_only && !flagged) continue;
          take_rows(split_class.codes);
          if (filter_municipality >= 0) {
            if (!split_class.totals.municipalities.test(filter_municipality)) continue;
            const FlagSplit::Sums& sums = split_class.by_municipality[filter_municipality];
            add_cell(filter_municipality, -1, sums.reports, sums.minutes);
          } else if (per_duty) {
            add_sum(-1, split_class.totals.reports, split_class.totals.minutes,
                    split_class.totals.municipalities);
          } else {
            for (size_t m = 0; m < split_class.by_municipality.size(); ++m) {
              if (!split_class.totals.municipalities.test(m)) continue;
              const FlagSplit::Sums& sums = split_class.by_municipality[m];
              add_cell(static_cast<int>(m), -1, sums.reports, sums.minutes);
            }
          }
        }
        continue;
      }
    }
    if (!uniform && !per_duty && group_by != GroupBy::kPeriod && filter_municipality < 0) {
      // By municipality or county: every cell once, in key order, flagged
      // as its period was (quicker than finding each through its period).
      for (const PeriodRollup& period : duty.by_period) {
        if (!period_in_range[period.period_id]) continue;
        const bool period_flagged = !codes_of(period.period_id).empty();
        if (filter.flagged_only && !period_flagged) continue;
        period_state[period.period_id] = period_flagged ? 1 : 0;
      }
      duty.cells.ForEach([&](uint64_t key, const Cell& cell) {
        const int period_id = static_cast<int>(key & 0xffffffffu);
        if (period_state[period_id] < 0) return;
        flagged = period_state[period_id] == 1;
        add_cell(static_cast<int>(key >> 32), period_id, cell.reports, cell.minutes);
      });
      for (const PeriodRollup& period : duty.by_period) period_state[period.period_id] = -1;
      continue;
    }
    if (!uniform) {
      // Period by period, each with its own flags.
      for (const PeriodRollup& period : duty.by_period) {
        if (!period_in_range[period.period_id]) continue;
        const std::vector<std::string>& codes = codes_of(period.period_id);
        flagged = !codes.empty();
        if (filter.flagged_only && !flagged) continue;
        take_rows(codes);
        if (filter_municipality >= 0) {
          add_cells_of_period(filter_municipality, period);
        } else if (per_duty || group_by == GroupBy::kPeriod) {
          add_sum(period.period_id, period.reports, period.minutes, period.municipalities);
        } else {
          for (size_t m = 0; m < duty.by_municipality.size(); ++m) {
            add_cells_of_period(static_cast<int>(m), period);
          }
        }
      }
      continue;
    }
    if (filter_municipality >= 0) {
      if (!duty.totals.municipalities.test(filter_municipality)) continue;
      if (period_filter || group_by == GroupBy::kPeriod) {
        add_cells_of(filter_municipality);
      } else {
        const Cell& sum = duty.by_municipality[filter_municipality];
        add_cell(filter_municipality, -1, sum.reports, sum.minutes);
      }
      continue;
    }
    if (!period_filter) {
      if (per_duty) {
        add_sum(-1, duty.totals.reports, duty.totals.minutes, duty.totals.municipalities);
      } else if (group_by == GroupBy::kPeriod) {
        // The periods add up to the duty's totals.
        count_uses();
        for (const PeriodRollup& period : duty.by_period) {
          count_uses_in(cell_rows[period.period_id]);
          AccumulateSet(cell_rows[period.period_id], period.reports, period.minutes, flagged,
                        period.municipalities);
        }
        AccumulateSet(table.totals, duty.totals.reports, duty.totals.minutes, flagged,
                      duty.totals.municipalities);
      } else {
        add_municipality_sums();
      }
      continue;
    }
    if (per_duty || group_by == GroupBy::kPeriod) {
      for (const PeriodRollup& period : duty.by_period) {
        if (!period_in_range[period.period_id]) continue;
        add_sum(period.period_id, period.reports, period.minutes, period.municipalities);
      }
      continue;
    }
    // By municipality or county within a date range: the cells of the
    // periods in range. All periods in range is the whole duty.
    size_t periods_in_range = 0;
    size_t cells_in_range = 0;
    for (const PeriodRollup& period : duty.by_period) {
      if (!period_in_range[period.period_id]) continue;
      ++periods_in_range;
      cells_in_range += period.municipalities.count();
    }
    if (periods_in_range == 0) continue;
    if (periods_in_range == duty.by_period.size()) {
      add_municipality_sums();
    } else if (cells_in_range * 4 < duty.cells.size()) {
      // Few cells in range: looked up one by one.
      for (const PeriodRollup& period : duty.by_period) {
        if (!period_in_range[period.period_id]) continue;
        for (size_t m = 0; m < duty.by_municipality.size(); ++m) {
          if (!period.municipalities.test(m)) continue;
          const Cell* cell = duty.cells.Find(CellKey(static_cast<int>(m), period.period_id));
          if (cell == nullptr) continue;  // never: the rollup holds it
          add_cell(static_cast<int>(m), period.period_id, cell->reports, cell->minutes);
        }
      }
    } else {
      duty.cells.ForEach([&](uint64_t key, const Cell& cell) {
        const int period_id = static_cast<int>(key & 0xffffffffu);
        if (!period_in_range[period_id]) return;
        add_cell(static_cast<int>(key >> 32), period_id, cell.reports, cell.minutes);
      });
    }
  }

  table.rows.reserve(groups.size() + cell_rows.size());
  for (auto& [key, row] : groups) {
    if (row.reports == 0) continue;  // a duty whose cells were all filtered out
    row.key = key;
    table.rows.push_back(std::move(row));
  }
  for (size_t i = 0; i < cell_rows.size(); ++i) {
    const RowSums& sums = cell_rows[i];
    if (sums.reports == 0) continue;
    BurdenRowData row;
    row.reports = sums.reports;
    row.minutes = sums.minutes;
    row.flagged_minutes = sums.flagged_minutes;
    row.municipalities = sums.municipalities;
    row.recorded_uses = sums.recorded_uses;
    switch (group_by) {
      case GroupBy::kMunicipality:
        row.key = official.all()[i].code;
        row.label = official.all()[i].name;
        break;
      case GroupBy::kCounty: {
        row.key = county_slots.codes[i];
        const County* county = official.FindCounty(row.key);
        if (county != nullptr) row.label = county->name;
        break;
      }
      default: row.key = periods_[i].text; break;
    }
    table.rows.push_back(std::move(row));
  }
  std::sort(table.rows.begin(), table.rows.end(),
            [](const BurdenRowData& a, const BurdenRowData& b) {
              if (a.minutes != b.minutes) return a.minutes > b.minutes;
              return a.key < b.key;
            });
  return table;
}

CompletenessTable BurdenIndex::Completeness(const std::vector<ExpectedPeriods>& duties,
                                            const std::string& municipality_code,
                                            absl::CivilDay today) const {
  const Municipalities& official = Municipalities::Official();
  int only = -1;
  if (!municipality_code.empty()) {
    const Municipality* m = official.Find(municipality_code);
    if (m == nullptr) return {};
    only = m->index;
  }
  std::vector<int64_t> received_by_municipality(official.size(), 0);
  std::vector<int64_t> expected_by_municipality(official.size(), 0);
  // on time, late, missing, not yet due
  std::vector<std::array<int64_t, 4>> timeliness_by_municipality(official.size(), {0, 0, 0, 0});

  CompletenessTable table;
  table.totals.key = "total";
  absl::ReaderMutexLock lock(&mu_);
  for (const ExpectedPeriods& duty : duties) {
    CompletenessRowData row;
    row.key = duty.duty_id;
    const int64_t periods = static_cast<int64_t>(duty.periods.size());
    int64_t respondents = 0;
    for (const Municipality& m : official.all()) {
      if (!duty.respondents.test(m.index) || (only >= 0 && m.index != only)) continue;
      ++respondents;
      expected_by_municipality[m.index] += periods;
    }
    row.expected = periods * respondents;
    // Periods never reported are not interned and have no cells.
    absl::flat_hash_map<int, bool> expected_ids;
    for (const std::string& period : duty.periods) {
      auto id = period_ids_.find(period);
      if (id != period_ids_.end()) expected_ids.emplace(id->second, true);
    }
    auto cells = duties_.find(duty.duty_id);
    if (cells != duties_.end() && !expected_ids.empty()) {
      cells->second.cells.ForEach([&](uint64_t key, const Cell&) {
        const int municipality_index = static_cast<int>(key >> 32);
        const int period_id = static_cast<int>(key & 0xffffffffu);
        if (only >= 0 && municipality_index != only) return;
        if (!duty.respondents.test(municipality_index)) return;
        if (!expected_ids.contains(period_id)) return;
        ++row.received;  // one cell per (municipality, period): counted once
        ++received_by_municipality[municipality_index];
      });
    }
    // With deadlines, each expected (municipality, period) is one of four.
    if (!duty.deadlines.empty() && duty.deadlines.size() == duty.periods.size()) {
      const CellMap* duty_cells =
          cells == duties_.end() ? nullptr : &cells->second.cells;
      for (size_t p = 0; p < duty.periods.size(); ++p) {
        auto id = period_ids_.find(duty.periods[p]);
        const absl::CivilDay deadline = duty.deadlines[p];
        for (const Municipality& m : official.all()) {
          if (!duty.respondents.test(m.index) || (only >= 0 && m.index != only)) continue;
          const Cell* cell = nullptr;
          if (duty_cells != nullptr && id != period_ids_.end()) {
            cell = duty_cells->Find(CellKey(m.index, id->second));
          }
          int state;
          if (cell != nullptr) {
            state = cell->first_received_unix == 0 ||
                            DayInSweden(cell->first_received_unix) <= deadline
                        ? 0
                        : 1;
          } else {
            state = deadline < today ? 2 : 3;
          }
          ++timeliness_by_municipality[m.index][state];
          int64_t* counts[] = {&row.on_time, &row.late, &row.missing, &row.not_yet_due};
          ++*counts[state];
        }
      }
    }
    table.totals.received += row.received;
    table.totals.expected += row.expected;
    table.totals.on_time += row.on_time;
    table.totals.late += row.late;
    table.totals.missing += row.missing;
    table.totals.not_yet_due += row.not_yet_due;
    table.by_duty.push_back(std::move(row));
  }
  for (const Municipality& m : official.all()) {
    if (only >= 0 && m.index != only) continue;
    CompletenessRowData row{m.code, m.name, received_by_municipality[m.index],
                            expected_by_municipality[m.index]};
    const std::array<int64_t, 4>& t = timeliness_by_municipality[m.index];
    row.on_time = t[0];
    row.late = t[1];
    row.missing = t[2];
    row.not_yet_due = t[3];
    table.by_municipality.push_back(std::move(row));
  }
  return table;
}

int BurdenIndex::DistinctYearsOf(absl::string_view duty_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = duties_.find(duty_id);
  return it == duties_.end() ? 0 : static_cast<int>(it->second.years.size());
}

DutyMeasurement BurdenIndex::MeasurementOf(absl::string_view duty_id) const {
  DutyMeasurement measurement;
  absl::ReaderMutexLock lock(&mu_);
  auto it = duties_.find(duty_id);
  if (it == duties_.end()) return measurement;
  const DutyCells& duty = it->second;
  for (size_t m = 0; m < duty.by_municipality.size(); ++m) {
    const Cell& cell = duty.by_municipality[m];
    if (cell.reports == 0) continue;
    measurement.by_municipality.push_back({static_cast<int>(m), cell.reports, cell.minutes});
  }
  measurement.distinct_years = static_cast<int>(duty.years.size());
  const PeriodInfo* first = nullptr;
  const PeriodInfo* last = nullptr;
  for (const PeriodRollup& rollup : duty.by_period) {
    const PeriodInfo& info = periods_[rollup.period_id];
    if (first == nullptr || info.period.first_day() < first->period.first_day()) first = &info;
    if (last == nullptr || info.period.last_day() > last->period.last_day()) last = &info;
  }
  if (first != nullptr) measurement.first_period = first->text;
  if (last != nullptr) measurement.last_period = last->text;
  return measurement;
}

std::vector<std::string> BurdenIndex::DutiesReportedBy(int municipality_index) const {
  std::vector<std::string> duties;
  absl::ReaderMutexLock lock(&mu_);
  for (const auto& [duty_id, duty] : duties_) {
    if (municipality_index >= 0 && municipality_index < static_cast<int>(kMunicipalityBits) &&
        duty.totals.municipalities.test(municipality_index)) {
      duties.push_back(duty_id);
    }
  }
  return duties;
}

DutyBurden BurdenIndex::TotalsOf(absl::string_view duty_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = duties_.find(duty_id);
  return it == duties_.end() ? DutyBurden{} : it->second.totals;
}

absl::flat_hash_map<std::string, DutyBurden> BurdenIndex::AllTotals() const {
  absl::flat_hash_map<std::string, DutyBurden> totals;
  absl::ReaderMutexLock lock(&mu_);
  totals.reserve(duties_.size());
  for (const auto& [duty_id, duty] : duties_) totals.emplace(duty_id, duty.totals);
  return totals;
}

std::vector<PeriodBurden> BurdenIndex::PeriodsOf(absl::string_view duty_id) const {
  std::vector<PeriodBurden> periods;
  absl::ReaderMutexLock lock(&mu_);
  auto it = duties_.find(duty_id);
  if (it == duties_.end()) return periods;
  for (const PeriodRollup& p : it->second.by_period) {
    periods.push_back({periods_[p.period_id].text, p.reports, p.minutes});
  }
  return periods;
}

}  // namespace inrapport
