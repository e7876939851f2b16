// Per-duty statistics kept up to date as reports and uses arrive, so that
// the flags that depend on them are re-evaluated without rescanning reports.
#ifndef INRAPPORT_COMMON_FLAGS_DUTY_STATS_H_
#define INRAPPORT_COMMON_FLAGS_DUTY_STATS_H_

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/time/civil_time.h"
#include "common/base/byte_file.h"
#include "common/domain/period.h"
#include "common/domain/types.h"
#include "common/flags/flag_rules.h"

namespace inrapport {

// Not thread-safe: the owner (Aggregates) locks.
class DutyStats {
 public:
  // An accepted report (canonical period).
  void AddReport(const Report& report);
  // A counted report taken out again (corrected or withdrawn), exactly as
  // it was added.
  void RemoveReport(const Report& report);
  // Aggregates read back from the store at start-up: `reports` reports with
  // these minutes and answers for `period` (canonical text; empty: counted
  // for the duty as a whole only), and `reports` reports for `period`.
  void AddAnswers(int64_t minutes, int32_t usefulness, Answer feedback, int64_t reports,
                  Answer elsewhere = Answer::kUnknown, const std::string& period = "");
  void AddPeriod(const std::string& period, int64_t reports);
  // The same with the period already parsed and `text` its canonical text,
  // as stored (start-up parses each distinct period once for every duty, and
  // does not format it again for each of millions of cells).
  void AddPeriod(const Period& period, const std::string& text, int64_t reports);
  // A recorded use (validated, or as stored).
  void AddUse(const DutyUse& use);

  // The snapshot's form (common/aggregates/snapshot.cc): the answers and
  // the periods. Not the uses, which are read from the store at every start.
  void EncodeTo(ByteFileWriter& out) const;
  // Into a DutyStats without reports or uses; false when `in` is damaged
  // (in.status() says how).
  bool DecodeFrom(ByteFileReader& in);

  int64_t reports() const { return all_.reports; }
  int64_t minutes() const { return all_.minutes; }
  int64_t uses() const { return static_cast<int64_t>(uses_.size()); }
  // The median minutes per report; nullopt without reports.
  std::optional<double> MedianMinutes() const;

  // The evidence for the flag rules as of `today` (overlaps are the
  // catalogue's to fill in).
  DutyEvidence Evidence(const Duty& duty, absl::CivilDay today,
                        const FlagThresholds& thresholds) const;

  // Each period the duty has reports for, oldest first, with the flags that
  // are decided by the period alone (FlagBasis::kPeriod) as of `today`:
  // NO_RECORDED_USE once the grace time after its end has passed and no use
  // drew on its data, EXPIRED when it starts after the duty's valid_until.
  struct PeriodState {
    std::string period;
    absl::CivilDay last_day;
    int64_t reports = 0;
    bool without_use = false;
    bool after_valid_until = false;
  };
  std::vector<PeriodState> PeriodStates(const Duty& duty, absl::CivilDay today,
                                        const FlagThresholds& thresholds) const;

  // The evidence of one period alone: its reports and answers, whether its
  // data is without a use (state.without_use) and whether it starts after
  // valid_until; the flag rules then judge the period by its own evidence.
  DutyEvidence PeriodEvidence(const PeriodState& state) const;

 private:
  // The answers of a set of reports: the duty's, or one period's.
  struct Answers {
    int64_t reports = 0;
    int64_t minutes = 0;
    // minutes -> reports; a B-tree: compact with many distinct minutes.
    absl::btree_map<int64_t, int64_t> minutes_histogram;
    int64_t feedback_yes = 0;
    int64_t feedback_no = 0;
    int64_t elsewhere_yes = 0;
    int64_t elsewhere_no = 0;
    std::array<int64_t, 6> usefulness{};

    void Add(int64_t minutes, int32_t usefulness, Answer feedback, int64_t reports,
             Answer elsewhere);
    void EncodeTo(ByteFileWriter& out) const;
    bool DecodeFrom(ByteFileReader& in);
    std::optional<double> MedianMinutes() const;
    void Fill(DutyEvidence& e) const;
  };

  Answers all_;
  std::map<std::string, Answers, std::less<>> by_period_;
  struct PeriodReports {
    absl::CivilDay last_day;
    int64_t reports = 0;
  };
  // The data a recorded use drew on: the days of its periods, or for a use
  // recorded before uses named their periods, every period that had ended by
  // its date (first_day unset).
  struct UseSpan {
    std::optional<absl::CivilDay> first_day;
    absl::CivilDay last_day;
  };
  bool Used(absl::CivilDay first_day, absl::CivilDay last_day) const;

  // (first day, period text) -> reports.
  std::map<std::pair<absl::CivilDay, std::string>, PeriodReports> periods_;
  std::vector<UseSpan> uses_;
  // The period text AddPeriod parsed last, its parse and canonical text: a
  // duty's reports mostly name the same period, and parsing each report's
  // costs more than counting it.
  std::string last_period_text_;
  std::optional<Period> last_period_;
  std::string last_period_canonical_;
};

// The first day of the window that NO_RECORDED_USE searches: the start of
// the period `periods - 1` periods before the one containing `today` (365
// days back for ad hoc duties).
absl::CivilDay UseWindowStart(Frequency frequency, absl::CivilDay today, int periods);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_FLAGS_DUTY_STATS_H_
