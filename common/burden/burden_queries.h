// Burden summaries priced at the configured tariff: the answers state
// agencies and the development arena ask for.
#ifndef INRAPPORT_COMMON_BURDEN_BURDEN_QUERIES_H_
#define INRAPPORT_COMMON_BURDEN_BURDEN_QUERIES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/aggregates/aggregates.h"
#include "common/aggregates/burden_index.h"
#include "common/burden/duty_account.h"
#include "common/burden/national_estimate.h"
#include "common/burden/summary_cache.h"
#include "common/catalog/duty_catalog.h"
#include "common/domain/types.h"
#include "common/report/arena_report.h"

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

struct AccountQuery {
  std::string agency_id;                 // empty: any
  Sector sector = Sector::kUnspecified;  // unspecified: any
  bool flagged_only = false;
};

struct CompletenessQuery {
  std::string period_from;  // required, any period form
  std::string period_to;    // required
  std::string agency_id;    // empty: any
  std::string duty_id;      // empty: any
  std::string municipality_code;  // empty: all 290
};

struct UseQuery {
  std::string duty_id;
  std::string agency_id;
  std::string municipality_code;  // uses of the duties it has reported
  int page_size = 0;
  std::string page_token;
};

// What the arena report covers and how it speaks.
struct ArenaQuery {
  int limit = 0;  // flagged duties and overlaps at most; 0: kDefaultReportLimit
  ReportLanguage language = ReportLanguage::kSwedish;
  // The measured tables (totals, by agency, by sector, by year) cover these
  // periods; empty: open. National estimates use every measured period.
  std::string period_from;
  std::string period_to;
  bool illustrative = false;  // the server's data is made up for illustration
};

// The comments municipalities wrote on their reports, newest first.
struct CommentsQuery {
  std::string duty_id;            // empty: any
  std::string agency_id;          // empty: any (the agency of the duty)
  std::string municipality_code;  // empty: any
  int page_size = 0;              // 0: kDefaultPageSize
  std::string page_token;
};

struct CommentPage {
  std::vector<StoredComment> comments;
  std::string next_page_token;  // empty on the last page
};

inline constexpr int kDefaultReportLimit = 50;
// Summaries kept while the figures and the catalogue stay the same (see
// SummaryCache): a dashboard's few questions, each a table of at most a few
// thousand rows.
inline constexpr size_t kSummaryCacheEntries = 32;
// Comments the arena report quotes per flagged duty, the most recent.
inline constexpr int kArenaCommentsPerDuty = 3;

struct FlaggedDutyBurden {
  Duty duty;
  BurdenRowData burden;  // key: the duty id
  NationalEstimate national;
};

// The municipalities that must report `duty`: its listed respondents, or
// all 290 when it lists none.
MunicipalitySet RespondentsOf(const Duty& duty);

// Thread-safe. Its only state beyond the tariff is a cache of the national
// estimates (the bootstrap is the costly part of an account), one entry per
// duty, reused while the duty's frequency, its respondents and its reports'
// count and minutes are unchanged: reports are only ever added, so those
// change with every report.
class BurdenQueries {
 public:
  // `catalog`, `aggregates` and `store` are not owned and must outlive
  // this object. Without a store there are no comments to read.
  // A duty's national estimate needs reports from at least
  // `estimate_min_municipalities` municipalities (see NationalEstimate).
  BurdenQueries(DutyCatalog* catalog, const Aggregates* aggregates,
                double tariff_sek_per_hour, Store* store = nullptr,
                int estimate_min_municipalities = kDefaultEstimateMinMunicipalities)
      : catalog_(catalog),
        aggregates_(aggregates),
        index_(&aggregates->burden()),
        tariff_(tariff_sek_per_hour),
        store_(store),
        estimate_min_municipalities_(estimate_min_municipalities) {}

  // INVALID_ARGUMENT naming the field for a period that does not parse, a
  // range that ends before it starts, or an unknown municipality code.
  // Answered again from the last answer to the same query while no report
  // and no duty changed since (see SummaryCache).
  absl::StatusOr<BurdenTable> Summary(const SummaryQuery& query) const;
  // The summaries answered again, and those computed.
  const SummaryCache& summary_cache() const { return summaries_; }

  // Flagged duties (of one agency, or all when `agency_id` is empty) ranked
  // by measured minutes, largest first, ties by id; at most `limit`
  // (0 means 100; INVALID_ARGUMENT outside 0..1000).
  absl::StatusOr<std::vector<FlaggedDutyBurden>> FlaggedDuties(
      const std::string& agency_id, int limit) const;

  // Every matching duty's account, ranked by national estimated cost (0 for
  // a duty whose estimate is not estimable), then
  // measured minutes, largest first; ties by duty id.
  std::vector<DutyAccount> Accounts(const AccountQuery& query) const;

  // Reporting rate per duty and per municipality. INVALID_ARGUMENT naming
  // the field for a missing or unparsable bound, a reversed range, an
  // unknown municipality, or an unknown duty (NOT_FOUND).
  absl::StatusOr<CompletenessTable> Completeness(const CompletenessQuery& query) const;

  // Recorded uses, filtered; see DutyCatalog::ListUses. INVALID_ARGUMENT for
  // an unknown municipality code.
  absl::StatusOr<UsePage> Uses(const UseQuery& query) const;

  // Comments on reports, filtered; paged like Uses. NOT_FOUND naming
  // duty_id for an unknown duty, INVALID_ARGUMENT for a duty of another
  // agency than agency_id, an unknown municipality code, a bad page size or
  // token; UNAVAILABLE when the store cannot be read.
  absl::StatusOr<CommentPage> Comments(const CommentsQuery& query) const;

  // The arena's evidence pack with at most `limit` flagged duties and
  // overlaps (0 means kDefaultReportLimit; INVALID_ARGUMENT outside
  // 0..1000).
  // INVALID_ARGUMENT naming the field for a bad period range, as Summary.
  absl::StatusOr<ArenaReport> Arena(const ArenaQuery& query) const;
  absl::StatusOr<ArenaReport> Arena(int limit) const {
    ArenaQuery query;
    query.limit = limit;
    return Arena(query);
  }

  double tariff_sek_per_hour() const { return tariff_; }
  // Minutes of staff time priced at the tariff, in SEK.
  double CostSek(double minutes) const { return minutes / 60.0 * tariff_; }

  // The options every national estimate is made with, and the arena
  // report's method states.
  EstimateOptions EstimateOptionsInForce() const {
    EstimateOptions options;
    options.min_municipalities = estimate_min_municipalities_;
    options.tariff_sek_per_hour = tariff_;
    return options;
  }
  // The duty's national estimate from its measured reports (cached).
  NationalEstimate EstimateOf(const Duty& duty) const;
  // The measured burden cells these queries read.
  const BurdenIndex& index() const { return *index_; }

 private:
  DutyAccount AccountOf(const Duty& duty) const;
  // The summary computed from the index, for these duties (held by the
  // caller: the attributes point into them).
  BurdenTable Summarize(GroupBy group_by, const BurdenFilter& filter,
                        const std::vector<std::shared_ptr<const Duty>>& duties) const;

  struct CachedEstimate {
    Frequency frequency = Frequency::kUnspecified;
    std::vector<std::string> respondents;
    int64_t reports = 0;
    int64_t minutes = 0;
    NationalEstimate estimate;
  };

  DutyCatalog* catalog_;
  const Aggregates* aggregates_;
  const BurdenIndex* index_;  // the aggregates' burden cells
  const double tariff_;
  Store* const store_;
  const int estimate_min_municipalities_;
  mutable SummaryCache summaries_{kSummaryCacheEntries};
  mutable absl::Mutex estimates_mu_;
  mutable absl::flat_hash_map<std::string, CachedEstimate> estimates_
      ABSL_GUARDED_BY(estimates_mu_);
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BURDEN_BURDEN_QUERIES_H_
