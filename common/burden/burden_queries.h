// Burden summaries priced at the configured tariff: the answers state
// agencies and the development arena ask for.
#ifndef INRAPPORT_COMMON_BURDEN_BURDEN_QUERIES_H_
#define INRAPPORT_COMMON_BURDEN_BURDEN_QUERIES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/burden/burden_index.h"
#include "common/catalog/duty_catalog.h"
#include "common/domain/types.h"

namespace inrapport {

struct SummaryQuery {
  GroupBy group_by = GroupBy::kAgency;
  std::string agency_id;
  Sector sector = Sector::kUnspecified;
  std::string municipality_code;
  std::string period_from;  // any period form; empty: open
  std::string period_to;
  bool flagged_only = false;
};

struct FlaggedDutyBurden {
  Duty duty;
  BurdenRowData burden;  // key: the duty id
};

// Thread-safe; holds no state of its own beyond the tariff.
class BurdenQueries {
 public:
  // `catalog` and `index` are not owned and must outlive this object.
  BurdenQueries(const DutyCatalog* catalog, const BurdenIndex* index,
                double tariff_sek_per_hour)
      : catalog_(catalog), index_(index), tariff_(tariff_sek_per_hour) {}

  // INVALID_ARGUMENT naming the field for a period that does not parse, a
  // range that ends before it starts, or an unknown municipality code.
  absl::StatusOr<BurdenTable> Summary(const SummaryQuery& query) const;

  // Flagged duties (of one agency, or all when `agency_id` is empty) ranked
  // by measured minutes, largest first, ties by id; at most `limit`
  // (0 means 100; INVALID_ARGUMENT outside 0..1000).
  absl::StatusOr<std::vector<FlaggedDutyBurden>> FlaggedDuties(
      const std::string& agency_id, int limit) const;

  double tariff_sek_per_hour() const { return tariff_; }
  // Minutes of staff time priced at the tariff, in SEK.
  double CostSek(int64_t minutes) const { return minutes / 60.0 * tariff_; }

 private:
  const DutyCatalog* catalog_;
  const BurdenIndex* index_;
  const double tariff_;
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BURDEN_BURDEN_QUERIES_H_
