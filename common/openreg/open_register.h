// The open register: what anyone may read of inrapport without credentials
// (docs/open-data.md). Two datasets and their data dictionary:
//
//   duties  the register of the duties in force today: what each asks of the
//           municipalities, why (purpose, legal basis), how often, until
//           when, and its flags with their reasons;
//   burden  the measured burden per (agency, sector, year of the period's
//           end): duties with reports, reports, reporting municipalities,
//           hours and their cost at the tariff.
//
// Never in them: a report, a comment, a submission id, a token, a
// municipality's code or name, the flags' evidence, or any figure from
// fewer than kMinMunicipalitiesPerCell municipalities. A burden cell with
// fewer reporting municipalities is suppressed: its figures are withheld
// (absent, not zero) and it says why; a report-driven flag of a duty that
// fewer municipalities have reported keeps its code, and its reason (which
// quotes figures of the reports) says that the figures are withheld.
//
// Plain values and pure functions over the catalogue's snapshot and the
// burden index, and renderers to CSV (RFC 4180) and JSON; no gRPC here.
// Output is deterministic: the same data gives the same bytes.
#ifndef INRAPPORT_COMMON_OPENREG_OPEN_REGISTER_H_
#define INRAPPORT_COMMON_OPENREG_OPEN_REGISTER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/aggregates/burden_index.h"
#include "common/domain/types.h"

namespace inrapport {

class DutyCatalog;
class AgencyRegister;
class BurdenQueries;

// The least number of distinct municipalities whose reports a published
// figure may rest on. Below it a burden cell is suppressed, and the reasons
// of a duty's report-driven flags are withheld.
inline constexpr int kMinMunicipalitiesPerCell = 3;

// A flag as the open register shows it: no evidence map.
struct OpenFlag {
  std::string code;
  std::string reason;     // English
  std::string reason_sv;  // Swedish
  // The reason is replaced by kWithheldFlagReason(_Sv): the flag rests on
  // the reports of fewer than kMinMunicipalitiesPerCell municipalities.
  bool reason_withheld = false;

  friend bool operator==(const OpenFlag& a, const OpenFlag& b) {
    return a.code == b.code && a.reason == b.reason && a.reason_sv == b.reason_sv &&
           a.reason_withheld == b.reason_withheld;
  }
};

// One duty in force, as published.
struct OpenDuty {
  std::string id;
  std::string agency_id;
  std::string agency_name;
  std::string title;
  std::string purpose;
  std::string legal_basis;                    // as the agency wrote it
  std::vector<std::string> legal_references;  // each reference's canonical text
  Sector sector = Sector::kUnspecified;
  Frequency frequency = Frequency::kUnspecified;
  std::vector<std::string> data_items;
  std::string targeted_grant;
  std::string valid_from;   // YYYY-MM-DD or empty
  std::string valid_until;  // YYYY-MM-DD or empty
  std::string expires_on;   // YYYY-MM-DD or empty: no expiry
  // How many municipalities must report it; 0 means all 290.
  int respondents = 0;
  std::vector<OpenFlag> flags;  // sorted by code
};

// The figures of a burden cell; absent when the cell is suppressed.
struct OpenBurdenFigures {
  int64_t duties_with_reports = 0;
  int64_t reports = 0;
  int64_t municipalities = 0;  // distinct municipalities that reported
  int64_t minutes = 0;         // the sum of the reports' minutes
  double hours() const { return static_cast<double>(minutes) / 60.0; }
};

// The measured burden of one agency's duties in one sector, of the periods
// that end in one calendar year.
struct OpenBurdenCell {
  std::string agency_id;
  std::string agency_name;
  Sector sector = Sector::kUnspecified;
  int year = 0;
  // Set unless the cell is suppressed.
  std::optional<OpenBurdenFigures> figures;
  bool suppressed() const { return !figures.has_value(); }
};

// The reasons a suppressed cell and a withheld flag reason carry.
extern const char* const kSuppressedReason;
extern const char* const kSuppressedReasonSv;
extern const char* const kWithheldFlagReason;
extern const char* const kWithheldFlagReasonSv;

// What the datasets are made from. The pointers are not owned.
struct OpenRegisterSource {
  // Every duty of the catalogue (DutyCatalog::Snapshot()), any state.
  std::vector<std::shared_ptr<const Duty>> duties;
  // An agency's registered name; null: the id is the name.
  std::function<std::string(absl::string_view agency_id)> agency_name;
  const BurdenIndex* index = nullptr;  // null: no reports at all
  double tariff_sek_per_hour = 0;
  absl::CivilDay today;  // the day whose duties in force are listed
};

struct OpenDutyFilter {
  std::string agency_id;                 // empty: any
  Sector sector = Sector::kUnspecified;  // unspecified: any
};

// The duties whose state on source.today is in force and that match
// `filter`, in id order.
std::vector<OpenDuty> BuildOpenDuties(const OpenRegisterSource& source,
                                      const OpenDutyFilter& filter = {});

// Inclusive bounds on the year of a burden cell; 0: open.
struct OpenYearRange {
  int from = 0;
  int to = 0;
};

// The burden cells of every duty with reports, whatever its state today
// (a withdrawn duty's reports were a burden when they were made), grouped
// by the duty's agency and sector as the catalogue states them now and by
// the year in which each report's period ends; ordered by agency id, sector
// name, year. Cells with fewer than kMinMunicipalitiesPerCell distinct
// reporting municipalities are suppressed.
std::vector<OpenBurdenCell> BuildOpenBurden(const OpenRegisterSource& source,
                                            const OpenYearRange& years = {});

// The cost of `figures` at `tariff_sek_per_hour`, in whole SEK.
int64_t CostSek(const OpenBurdenFigures& figures, double tariff_sek_per_hour);

enum class OpenDataset { kDuties, kBurden, kDictionary };
enum class OpenFormat { kCsv, kJson };

// "duties", "burden", "dictionary"; "csv", "json".
absl::string_view OpenDatasetName(OpenDataset dataset);
absl::string_view OpenFormatName(OpenFormat format);

struct OpenDocument {
  std::string content_type;  // "text/csv; charset=utf-8; header=present", ...
  std::string content;       // UTF-8
  std::string file_name;     // "inrapport-duties.csv", ...
};

// The renderers. CSV: RFC 4180, UTF-8 without a byte order mark, CRLF line
// ends, a header row, one row per duty or cell; every field written by
// CsvField (common/csv/csv.h: neutralised text, a formula-like text quoted
// with a leading '), a list as its items one per line in one quoted field,
// a withheld figure as an empty field. JSON (RFC 8259): an object with the
// dataset's name, the day (`as_of`) and `rows`, each row an object with the
// CSV's columns as keys, a list as an array, a withheld figure as null.
// The dictionary describes the columns of both datasets (the same in both
// formats).
std::string RenderDutiesCsv(const std::vector<OpenDuty>& duties);
std::string RenderDutiesJson(const std::vector<OpenDuty>& duties, absl::CivilDay as_of);
std::string RenderBurdenCsv(const std::vector<OpenBurdenCell>& cells,
                            double tariff_sek_per_hour);
std::string RenderBurdenJson(const std::vector<OpenBurdenCell>& cells,
                             double tariff_sek_per_hour, absl::CivilDay as_of);
std::string RenderDictionaryCsv();
std::string RenderDictionaryJson();

// One dataset in one format, as ExportOpenData serves it: the same bytes as
// the renderers above, of every duty in force and every burden cell.
OpenDocument ExportOpenData(const OpenRegisterSource& source, OpenDataset dataset,
                            OpenFormat format);

// The open register of a running server: reads the catalogue, the agency
// register and the burden index at each call. Thread-safe as they are.
class OpenRegister {
 public:
  // Not owned; must outlive this object. `agencies` may be null.
  OpenRegister(DutyCatalog* catalog, const AgencyRegister* agencies,
               const BurdenQueries* queries)
      : catalog_(catalog), agencies_(agencies), queries_(queries) {}

  // The data as of now.
  OpenRegisterSource Source() const;

  struct DutyPage {
    std::vector<OpenDuty> duties;
    std::string next_page_token;  // empty on the last page
  };
  // The duties in force, paged as DutyCatalog::List: page_size 0 means
  // kDefaultPageSize; INVALID_ARGUMENT naming page_size or page_token for
  // a size outside 0..kMaxPageSize or a foreign token.
  absl::StatusOr<DutyPage> Duties(const OpenDutyFilter& filter, int page_size,
                                  absl::string_view page_token) const;
  // INVALID_ARGUMENT naming year_from or year_to for a year outside
  // 1900..2999 (0 is open), or a range that ends before it starts.
  absl::StatusOr<std::vector<OpenBurdenCell>> Burden(const OpenYearRange& years) const;
  OpenDocument Export(OpenDataset dataset, OpenFormat format) const {
    return ExportOpenData(Source(), dataset, format);
  }
  double tariff_sek_per_hour() const;
  // The day the register is as of (the catalogue's today).
  absl::CivilDay Today() const;

 private:
  DutyCatalog* const catalog_;
  const AgencyRegister* const agencies_;
  const BurdenQueries* const queries_;
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_OPENREG_OPEN_REGISTER_H_
