#include "common/openreg/open_register.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/base/page_token.h"
#include "common/burden/burden_queries.h"
#include "common/catalog/agency_register.h"
#include "common/catalog/duty_catalog.h"
#include "common/csv/csv.h"
#include "common/domain/lifecycle.h"
#include "common/domain/period.h"
#include "common/flags/flag_rules.h"
#include "common/text/text_safety.h"

namespace inrapport {

const char* const kSuppressedReason =
    "Fewer than 3 municipalities reported in this cell: its figures are withheld so that no "
    "single municipality's reports can be read from them.";
const char* const kSuppressedReasonSv =
    "Färre än 3 kommuner har rapporterat i cellen: uppgifterna redovisas inte, så att ingen "
    "enskild kommuns inrapporteringar kan läsas ut.";
const char* const kWithheldFlagReason =
    "The figures behind this flag are withheld: fewer than 3 municipalities have reported "
    "the duty.";
const char* const kWithheldFlagReasonSv =
    "Underlaget för flaggan redovisas inte: färre än 3 kommuner har rapporterat "
    "uppgiftskravet.";

namespace {

static_assert(kMinMunicipalitiesPerCell == 3, "the reasons above say 3");

constexpr absl::string_view kOpenDutyTokenPrefix = "open-duties/v1/after:";

std::string AgencyNameOf(const OpenRegisterSource& source, const std::string& agency_id) {
  return source.agency_name ? source.agency_name(agency_id) : agency_id;
}

// Distinct municipalities that reported the duty, over all its periods.
int64_t ReportingMunicipalities(const OpenRegisterSource& source, const std::string& duty_id) {
  if (source.index == nullptr) return 0;
  return static_cast<int64_t>(source.index->TotalsOf(duty_id).municipalities.count());
}

OpenDuty ToOpenDuty(const OpenRegisterSource& source, const Duty& duty) {
  OpenDuty open;
  open.id = duty.id;
  open.agency_id = duty.agency_id;
  open.agency_name = AgencyNameOf(source, duty.agency_id);
  open.title = duty.title;
  open.purpose = duty.purpose;
  open.legal_basis = duty.legal_basis;
  for (const LegalReference& reference : duty.legal_references) {
    open.legal_references.push_back(reference.ToString());
  }
  open.sector = duty.sector;
  open.frequency = duty.frequency;
  open.data_items = duty.data_items;
  open.targeted_grant = duty.targeted_grant;
  open.valid_from = duty.valid_from;
  open.valid_until = duty.valid_until;
  open.expires_on = duty.expires_on;
  open.respondents = static_cast<int>(duty.respondents.size());
  // A flag drawn from the reports quotes their figures (a median of the
  // minutes, shares of the answers, the periods reported): from fewer than
  // the minimum of municipalities those would be theirs alone.
  const bool reports_publishable =
      ReportingMunicipalities(source, duty.id) >= kMinMunicipalitiesPerCell;
  for (const Flag& flag : duty.flags) {
    OpenFlag out;
    out.code = flag.code;
    if (BasisOf(flag.code) == FlagBasis::kCatalogue || reports_publishable) {
      out.reason = flag.reason;
      out.reason_sv = flag.reason_sv;
    } else {
      out.reason = kWithheldFlagReason;
      out.reason_sv = kWithheldFlagReasonSv;
      out.reason_withheld = true;
    }
    open.flags.push_back(std::move(out));
  }
  std::sort(open.flags.begin(), open.flags.end(),
            [](const OpenFlag& a, const OpenFlag& b) { return a.code < b.code; });
  return open;
}

// ---------------------------------------------------------------- CSV, JSON

// The value of one column of one row: a text, a list of texts, a number
// (already formatted), a boolean, or a withheld figure.
struct Value {
  enum class Kind { kText, kList, kNumber, kBool, kNull };
  Kind kind = Kind::kNull;
  std::string text;  // kText, kNumber ("12", "3.50"), kBool ("true")
  std::vector<std::string> list;

  static Value Text(std::string s) { return {Kind::kText, std::move(s), {}}; }
  static Value List(std::vector<std::string> l) { return {Kind::kList, "", std::move(l)}; }
  static Value Number(std::string s) { return {Kind::kNumber, std::move(s), {}}; }
  static Value Int(int64_t n) { return Number(absl::StrCat(n)); }
  static Value Bool(bool b) { return {Kind::kBool, b ? "true" : "false", {}}; }
  static Value Null() { return {}; }
};

// One column of a dataset, as the data dictionary describes it.
struct Column {
  const char* name;
  const char* type;  // string, integer, decimal, boolean, date, list of string
  const char* unit;  // empty when none
  const char* description_sv;
  const char* description_en;
};

const std::vector<Column>& DutyColumns() {
  static const auto* const columns = new std::vector<Column>{
      {"id", "string", "", "Uppgiftskravets id, stabilt mellan versioner.",
       "The duty's id, stable across versions."},
      {"agency_id", "string", "", "Id för myndigheten som ställer kravet.",
       "Id of the agency that puts the duty on municipalities."},
      {"agency_name", "string", "", "Myndighetens namn, som den är registrerad.",
       "The agency's name as registered."},
      {"title", "string", "", "Uppgiftskravets rubrik.", "The duty's title."},
      {"purpose", "string", "",
       "Syftet som myndigheten anger, med dess egna ord; tomt om inget syfte anges.",
       "The purpose the agency states, in its own words; empty when none is stated."},
      {"legal_basis", "string", "", "Författningsstödet, som myndigheten skrivit det.",
       "The legal basis as the agency wrote it."},
      {"legal_references", "list of string", "",
       "De lagrum tjänsten läser ut ur författningsstödet, i kanonisk form.",
       "The legal references the service reads from the legal basis, in canonical form."},
      {"sector", "string", "",
       "Kommunal sektor: social_services, disability_support, elderly_care, health_care, "
       "school, crisis_preparedness, finance, housing_planning, environment, other eller "
       "unspecified.",
       "Municipal sector: social_services, disability_support, elderly_care, health_care, "
       "school, crisis_preparedness, finance, housing_planning, environment, other or "
       "unspecified."},
      {"frequency", "string", "",
       "Hur ofta kravet rapporteras: annual, semiannual, quarterly, monthly, weekly, ad_hoc "
       "eller unspecified.",
       "How often the duty is reported: annual, semiannual, quarterly, monthly, weekly, "
       "ad_hoc or unspecified."},
      {"data_items", "list of string", "", "Uppgifterna som kravet begär.",
       "The data items the duty asks for."},
      {"targeted_grant", "string", "",
       "Det riktade statsbidrag som kravet återrapporterar; tomt om inget.",
       "The targeted state grant the duty re-reports; empty if none."},
      {"valid_from", "date", "", "Första giltighetsdag (ÅÅÅÅ-MM-DD); tomt om ej angivet.",
       "First day of validity (YYYY-MM-DD); empty if not stated."},
      {"valid_until", "date", "", "Sista giltighetsdag (ÅÅÅÅ-MM-DD); tomt om ej angivet.",
       "Last day of validity (YYYY-MM-DD); empty if not stated."},
      {"expires_on", "date", "",
       "Sista dag kravet gäller enligt utvecklingsarenans beslut (ÅÅÅÅ-MM-DD); tomt: "
       "inget slutdatum.",
       "The last day the duty is in force by the arena's decision (YYYY-MM-DD); empty: no "
       "expiry."},
      {"respondents", "integer", "municipalities",
       "Antal kommuner som måste rapportera; 0 betyder alla 290.",
       "Number of municipalities that must report; 0 means all 290."},
      {"flag_codes", "list of string", "",
       "Flaggor för tecken på onödig kontroll, i dag (docs/flags.md).",
       "Flags marking signs of unnecessary control, as of today (docs/flags.md)."},
      {"flag_reasons", "list of string", "",
       "Varje flaggas skäl på engelska, i samma ordning som flag_codes. För en flagga som "
       "bygger på inrapporteringar från färre än 3 kommuner redovisas inte underlaget.",
       "Each flag's reason in English, in the order of flag_codes. For a flag drawn from "
       "the reports of fewer than 3 municipalities the figures are withheld."},
      {"flag_reasons_sv", "list of string", "",
       "Varje flaggas skäl på svenska, i samma ordning som flag_codes.",
       "Each flag's reason in Swedish, in the order of flag_codes."},
  };
  return *columns;
}

const std::vector<Column>& BurdenColumns() {
  static const auto* const columns = new std::vector<Column>{
      {"agency_id", "string", "", "Id för myndigheten vars krav rapporterades.",
       "Id of the agency whose duties were reported."},
      {"agency_name", "string", "", "Myndighetens namn, som den är registrerad.",
       "The agency's name as registered."},
      {"sector", "string", "", "Kommunal sektor, som i datamängden duties.",
       "Municipal sector, as in the duties dataset."},
      {"year", "integer", "year",
       "Kalenderåret då de rapporterade perioderna slutar.",
       "The calendar year in which the reported periods end."},
      {"suppressed", "boolean", "",
       "true när färre än 3 kommuner rapporterade i cellen: då redovisas inga siffror.",
       "true when fewer than 3 municipalities reported in the cell: its figures are then "
       "withheld."},
      {"suppression_reason", "string", "", "Varför cellen inte redovisas, på engelska.",
       "Why the cell is withheld, in English."},
      {"suppression_reason_sv", "string", "", "Varför cellen inte redovisas, på svenska.",
       "Why the cell is withheld, in Swedish."},
      {"duties_with_reports", "integer", "duties",
       "Uppgiftskrav med minst en inrapportering i cellen; tomt om undertryckt.",
       "Duties with at least one report in the cell; empty when suppressed."},
      {"reports", "integer", "reports",
       "Inrapporteringar (den senaste versionen av varje); tomt om undertryckt.",
       "Reports (the latest version of each); empty when suppressed."},
      {"municipalities", "integer", "municipalities",
       "Olika kommuner som rapporterade; tomt om undertryckt.",
       "Distinct municipalities that reported; empty when suppressed."},
      {"hours", "decimal", "hours",
       "Uppmätt arbetstid för inrapporteringarna, två decimaler; tomt om undertryckt.",
       "Measured staff time of the reports, two decimals; empty when suppressed."},
      {"cost_sek", "integer", "SEK",
       "Arbetstiden prissatt med timtaxan, hela kronor; tomt om undertryckt.",
       "The staff time priced at the tariff, whole kronor; empty when suppressed."},
      {"tariff_sek_per_hour", "decimal", "SEK per hour",
       "Timtaxan som kostnaden räknas med (tjänstens inställning, ett antagande).",
       "The tariff the cost is computed at (the service's setting, an assumption)."},
  };
  return *columns;
}

const std::vector<Column>& DictionaryColumns() {
  static const auto* const columns = new std::vector<Column>{
      {"dataset", "string", "", "Datamängden: duties eller burden.",
       "The dataset: duties or burden."},
      {"column", "string", "", "Kolumnens namn (nyckeln i JSON).",
       "The column's name (the key in JSON)."},
      {"type", "string", "",
       "string, integer, decimal, boolean, date (ÅÅÅÅ-MM-DD) eller list of string (i CSV en "
       "post per rad i fältet, i JSON en lista).",
       "string, integer, decimal, boolean, date (YYYY-MM-DD) or list of string (in CSV one "
       "item per line in the field, in JSON an array)."},
      {"unit", "string", "", "Enheten; tomt om ingen.", "The unit; empty if none."},
      {"description_sv", "string", "", "Beskrivning på svenska.", "Description in Swedish."},
      {"description_en", "string", "", "Beskrivning på engelska.", "Description in English."},
  };
  return *columns;
}

using Row = std::vector<Value>;

std::string Decimal(double value, int decimals) {
  if (!std::isfinite(value)) return "";
  std::string text = absl::StrFormat("%.*f", decimals, value);
  if (text == "-0.00" || text == "-0") text.erase(0, 1);
  return text;
}

Row DutyRow(const OpenDuty& duty) {
  std::vector<std::string> codes, reasons, reasons_sv;
  for (const OpenFlag& flag : duty.flags) {
    codes.push_back(flag.code);
    reasons.push_back(flag.reason);
    reasons_sv.push_back(flag.reason_sv);
  }
  return {Value::Text(duty.id),
          Value::Text(duty.agency_id),
          Value::Text(duty.agency_name),
          Value::Text(duty.title),
          Value::Text(duty.purpose),
          Value::Text(duty.legal_basis),
          Value::List(duty.legal_references),
          Value::Text(std::string(SectorName(duty.sector))),
          Value::Text(std::string(FrequencyName(duty.frequency))),
          Value::List(duty.data_items),
          Value::Text(duty.targeted_grant),
          Value::Text(duty.valid_from),
          Value::Text(duty.valid_until),
          Value::Text(duty.expires_on),
          Value::Int(duty.respondents),
          Value::List(std::move(codes)),
          Value::List(std::move(reasons)),
          Value::List(std::move(reasons_sv))};
}

Row BurdenRow(const OpenBurdenCell& cell, double tariff) {
  Row row = {Value::Text(cell.agency_id), Value::Text(cell.agency_name),
             Value::Text(std::string(SectorName(cell.sector))), Value::Int(cell.year),
             Value::Bool(cell.suppressed())};
  if (cell.suppressed()) {
    row.push_back(Value::Text(kSuppressedReason));
    row.push_back(Value::Text(kSuppressedReasonSv));
    for (int i = 0; i < 5; ++i) row.push_back(Value::Null());
  } else {
    const OpenBurdenFigures& f = *cell.figures;
    row.push_back(Value::Text(""));
    row.push_back(Value::Text(""));
    row.push_back(Value::Int(f.duties_with_reports));
    row.push_back(Value::Int(f.reports));
    row.push_back(Value::Int(f.municipalities));
    row.push_back(Value::Number(Decimal(f.hours(), 2)));
    row.push_back(Value::Int(CostSek(f, tariff)));
  }
  row.push_back(Value::Number(Decimal(tariff, 2)));
  return row;
}

std::vector<Row> DictionaryRows() {
  std::vector<Row> rows;
  for (const auto& [dataset, columns] :
       {std::pair<const char*, const std::vector<Column>*>{"duties", &DutyColumns()},
        {"burden", &BurdenColumns()}}) {
    for (const Column& c : *columns) {
      rows.push_back({Value::Text(dataset), Value::Text(c.name), Value::Text(c.type),
                      Value::Text(c.unit), Value::Text(c.description_sv),
                      Value::Text(c.description_en)});
    }
  }
  return rows;
}

std::string Csv(const std::vector<Column>& columns, const std::vector<Row>& rows) {
  std::vector<std::string> fields;
  for (const Column& c : columns) fields.emplace_back(c.name);
  std::string out = CsvLine(fields);
  out += "\r\n";
  for (const Row& row : rows) {
    fields.clear();
    for (const Value& v : row) {
      switch (v.kind) {
        case Value::Kind::kList: fields.push_back(absl::StrJoin(v.list, "\n")); break;
        case Value::Kind::kNull: fields.emplace_back(); break;
        default: fields.push_back(v.text); break;
      }
    }
    out += CsvLine(fields);
    out += "\r\n";
  }
  return out;
}

// A JSON string: valid UTF-8, with every unsafe character (text_safety.h)
// written as a \u escape, so that no raw control or bidirectional
// formatting character reaches a reader.
void AppendJsonString(absl::string_view raw, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string text = ValidUtf8(raw);
  *out += '"';
  for (size_t i = 0; i < text.size();) {
    size_t length;
    const char32_t c = DecodeCodePoint(text, i, &length);
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (IsUnsafeCodePoint(c)) {  // all below U+10000: one escape each
          *out += "\\u";
          for (int shift = 12; shift >= 0; shift -= 4) *out += kHex[(c >> shift) & 0xf];
        } else {
          out->append(text, i, length);
        }
    }
    i += length;
  }
  *out += '"';
}

void AppendJsonValue(const Value& v, std::string* out) {
  switch (v.kind) {
    case Value::Kind::kText: AppendJsonString(v.text, out); break;
    case Value::Kind::kList:
      *out += '[';
      for (size_t i = 0; i < v.list.size(); ++i) {
        if (i > 0) *out += ", ";
        AppendJsonString(v.list[i], out);
      }
      *out += ']';
      break;
    case Value::Kind::kNumber:
      *out += v.text.empty() ? "null" : v.text;
      break;
    case Value::Kind::kBool: *out += v.text; break;
    case Value::Kind::kNull: *out += "null"; break;
  }
}

// {"dataset": ..., <header members>, "rows": [ one object per line ]}
std::string Json(absl::string_view dataset,
                 const std::vector<std::pair<std::string, Value>>& header,
                 const std::vector<Column>& columns, const std::vector<Row>& rows) {
  std::string out = "{\n  \"dataset\": ";
  AppendJsonString(dataset, &out);
  for (const auto& [key, value] : header) {
    out += ",\n  ";
    AppendJsonString(key, &out);
    out += ": ";
    AppendJsonValue(value, &out);
  }
  out += ",\n  \"rows\": [";
  for (size_t r = 0; r < rows.size(); ++r) {
    out += r == 0 ? "\n    {" : ",\n    {";
    for (size_t i = 0; i < columns.size() && i < rows[r].size(); ++i) {
      if (i > 0) out += ", ";
      AppendJsonString(columns[i].name, &out);
      out += ": ";
      AppendJsonValue(rows[r][i], &out);
    }
    out += '}';
  }
  out += rows.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

constexpr const char* kCsvType = "text/csv; charset=utf-8; header=present";
constexpr const char* kJsonType = "application/json; charset=utf-8";

}  // namespace

std::vector<OpenDuty> BuildOpenDuties(const OpenRegisterSource& source,
                                      const OpenDutyFilter& filter) {
  std::vector<OpenDuty> duties;
  for (const std::shared_ptr<const Duty>& duty : source.duties) {
    if (duty == nullptr || StateOn(*duty, source.today) != DutyState::kInForce) continue;
    if (!filter.agency_id.empty() && duty->agency_id != filter.agency_id) continue;
    if (filter.sector != Sector::kUnspecified && duty->sector != filter.sector) continue;
    duties.push_back(ToOpenDuty(source, *duty));
  }
  std::sort(duties.begin(), duties.end(),
            [](const OpenDuty& a, const OpenDuty& b) { return a.id < b.id; });
  return duties;
}

std::vector<OpenBurdenCell> BuildOpenBurden(const OpenRegisterSource& source,
                                            const OpenYearRange& years) {
  std::vector<OpenBurdenCell> cells;
  if (source.index == nullptr) return cells;
  // The duties by the agency and sector the catalogue gives them now.
  std::map<std::pair<std::string, Sector>, absl::flat_hash_map<std::string, DutyAttributes>>
      groups;
  for (const std::shared_ptr<const Duty>& duty : source.duties) {
    if (duty == nullptr) continue;
    DutyAttributes& attributes = groups[{duty->agency_id, duty->sector}][duty->id];
    attributes.agency_id = duty->agency_id;
    attributes.sector = duty->sector;
  }

  struct Sums {
    int64_t duties = 0;
    int64_t reports = 0;
    int64_t minutes = 0;
    MunicipalitySet municipalities;
  };
  // Ordered as published: agency id, sector name, year.
  std::map<std::tuple<std::string, std::string, int>, Sums> sums;
  std::map<std::tuple<std::string, std::string, int>, Sector> sectors;
  absl::flat_hash_map<std::string, int> year_of_period;  // -1: does not parse
  auto year_of = [&](const std::string& text) {
    auto [it, inserted] = year_of_period.try_emplace(text, -1);
    if (inserted) {
      absl::StatusOr<Period> period = Period::Parse(text);
      if (period.ok()) it->second = static_cast<int>(period->last_day().year());
    }
    return it->second;
  };

  for (const auto& [group, attributes] : groups) {
    const auto& [agency_id, sector] = group;
    const std::string sector_name(SectorName(sector));
    // By period, the group's reports with the set of municipalities they
    // come from, so that a municipality is counted once per cell however
    // many of the group's duties and periods it reported.
    const BurdenTable table = source.index->Summarize(
        GroupBy::kPeriod, BurdenFilter{},
        [&attributes = attributes](absl::string_view duty_id) -> const DutyAttributes* {
          auto it = attributes.find(duty_id);
          return it == attributes.end() ? nullptr : &it->second;
        });
    for (const BurdenRowData& row : table.rows) {
      const int year = year_of(row.key);
      if (year < 0) continue;  // never: stored periods are canonical
      const auto key = std::make_tuple(agency_id, sector_name, year);
      Sums& s = sums[key];
      sectors[key] = sector;
      s.reports += row.reports;
      s.minutes += row.minutes;
      s.municipalities |= row.municipalities;
    }
    for (const auto& [duty_id, unused] : attributes) {
      std::set<int> duty_years;
      for (const PeriodBurden& period : source.index->PeriodsOf(duty_id)) {
        if (period.reports <= 0) continue;
        const int year = year_of(period.period);
        if (year >= 0) duty_years.insert(year);
      }
      for (int year : duty_years) {
        auto it = sums.find(std::make_tuple(agency_id, sector_name, year));
        if (it != sums.end()) ++it->second.duties;
      }
    }
  }

  for (const auto& [key, s] : sums) {
    const auto& [agency_id, sector_name, year] = key;
    if (s.reports <= 0) continue;
    if (years.from != 0 && year < years.from) continue;
    if (years.to != 0 && year > years.to) continue;
    OpenBurdenCell cell;
    cell.agency_id = agency_id;
    cell.agency_name = AgencyNameOf(source, agency_id);
    cell.sector = sectors.at(key);
    cell.year = year;
    const int64_t municipalities = static_cast<int64_t>(s.municipalities.count());
    if (municipalities >= kMinMunicipalitiesPerCell) {
      OpenBurdenFigures figures;
      // A report of a duty counted in these sums always has a period, so
      // the count is at least 1 for a cell with reports.
      figures.duties_with_reports = std::max<int64_t>(s.duties, 1);
      figures.reports = s.reports;
      figures.municipalities = municipalities;
      figures.minutes = s.minutes;
      cell.figures = figures;
    }
    cells.push_back(std::move(cell));
  }
  return cells;
}

int64_t CostSek(const OpenBurdenFigures& figures, double tariff_sek_per_hour) {
  return std::llround(static_cast<double>(figures.minutes) / 60.0 * tariff_sek_per_hour);
}

absl::string_view OpenDatasetName(OpenDataset dataset) {
  switch (dataset) {
    case OpenDataset::kDuties: return "duties";
    case OpenDataset::kBurden: return "burden";
    case OpenDataset::kDictionary: return "dictionary";
  }
  return "duties";
}

absl::string_view OpenFormatName(OpenFormat format) {
  return format == OpenFormat::kCsv ? "csv" : "json";
}

std::string RenderDutiesCsv(const std::vector<OpenDuty>& duties) {
  std::vector<Row> rows;
  rows.reserve(duties.size());
  for (const OpenDuty& duty : duties) rows.push_back(DutyRow(duty));
  return Csv(DutyColumns(), rows);
}

std::string RenderDutiesJson(const std::vector<OpenDuty>& duties, absl::CivilDay as_of) {
  std::vector<Row> rows;
  rows.reserve(duties.size());
  for (const OpenDuty& duty : duties) rows.push_back(DutyRow(duty));
  return Json("duties", {{"as_of", Value::Text(FormatDate(as_of))}}, DutyColumns(), rows);
}

std::string RenderBurdenCsv(const std::vector<OpenBurdenCell>& cells,
                            double tariff_sek_per_hour) {
  std::vector<Row> rows;
  rows.reserve(cells.size());
  for (const OpenBurdenCell& cell : cells) rows.push_back(BurdenRow(cell, tariff_sek_per_hour));
  return Csv(BurdenColumns(), rows);
}

std::string RenderBurdenJson(const std::vector<OpenBurdenCell>& cells,
                             double tariff_sek_per_hour, absl::CivilDay as_of) {
  std::vector<Row> rows;
  rows.reserve(cells.size());
  for (const OpenBurdenCell& cell : cells) rows.push_back(BurdenRow(cell, tariff_sek_per_hour));
  return Json("burden",
              {{"as_of", Value::Text(FormatDate(as_of))},
               {"min_municipalities_per_cell", Value::Int(kMinMunicipalitiesPerCell)}},
              BurdenColumns(), rows);
}

std::string RenderDictionaryCsv() { return Csv(DictionaryColumns(), DictionaryRows()); }

std::string RenderDictionaryJson() {
  return Json("dictionary", {}, DictionaryColumns(), DictionaryRows());
}

OpenDocument ExportOpenData(const OpenRegisterSource& source, OpenDataset dataset,
                            OpenFormat format) {
  OpenDocument document;
  const bool csv = format == OpenFormat::kCsv;
  document.content_type = csv ? kCsvType : kJsonType;
  document.file_name =
      absl::StrCat("inrapport-", OpenDatasetName(dataset), ".", OpenFormatName(format));
  switch (dataset) {
    case OpenDataset::kDuties: {
      const std::vector<OpenDuty> duties = BuildOpenDuties(source);
      document.content = csv ? RenderDutiesCsv(duties) : RenderDutiesJson(duties, source.today);
      break;
    }
    case OpenDataset::kBurden: {
      const std::vector<OpenBurdenCell> cells = BuildOpenBurden(source);
      document.content = csv ? RenderBurdenCsv(cells, source.tariff_sek_per_hour)
                             : RenderBurdenJson(cells, source.tariff_sek_per_hour, source.today);
      break;
    }
    case OpenDataset::kDictionary:
      document.content = csv ? RenderDictionaryCsv() : RenderDictionaryJson();
      break;
  }
  return document;
}

OpenRegisterSource OpenRegister::Source() const {
  OpenRegisterSource source;
  source.duties = catalog_->Snapshot();
  if (agencies_ != nullptr) {
    source.agency_name = [agencies = agencies_](absl::string_view id) {
      return agencies->NameOf(id);
    };
  }
  source.index = &queries_->index();
  source.tariff_sek_per_hour = queries_->tariff_sek_per_hour();
  source.today = catalog_->Today();
  return source;
}

double OpenRegister::tariff_sek_per_hour() const { return queries_->tariff_sek_per_hour(); }

absl::CivilDay OpenRegister::Today() const { return catalog_->Today(); }

absl::StatusOr<OpenRegister::DutyPage> OpenRegister::Duties(const OpenDutyFilter& filter,
                                                            int page_size,
                                                            absl::string_view page_token) const {
  absl::Status size_ok = CheckPageSize(page_size, kMaxPageSize);
  if (!size_ok.ok()) return size_ok;
  if (page_size == 0) page_size = kDefaultPageSize;
  std::string after;
  if (!page_token.empty()) {
    absl::StatusOr<std::string> decoded =
        DecodePageToken(kOpenDutyTokenPrefix, page_token, "ListRegisterDuties");
    if (!decoded.ok()) return decoded.status();
    after = *std::move(decoded);
  }
  std::vector<OpenDuty> all = BuildOpenDuties(Source(), filter);
  DutyPage page;
  for (OpenDuty& duty : all) {
    if (!page_token.empty() && duty.id <= after) continue;
    if (static_cast<int>(page.duties.size()) == page_size) {
      page.next_page_token = EncodePageToken(kOpenDutyTokenPrefix, page.duties.back().id);
      break;
    }
    page.duties.push_back(std::move(duty));
  }
  return page;
}

absl::StatusOr<std::vector<OpenBurdenCell>> OpenRegister::Burden(
    const OpenYearRange& years) const {
  for (const auto& [field, year] : {std::pair{"year_from", years.from}, {"year_to", years.to}}) {
    if (year != 0 && (year < 1900 || year > 2999)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": a year from 1900 to 2999 (or 0 for open), got ", year));
    }
  }
  if (years.from != 0 && years.to != 0 && years.to < years.from) {
    return absl::InvalidArgumentError(absl::StrCat("year_to: ", years.to,
                                                   " is before year_from ", years.from));
  }
  return BuildOpenBurden(Source(), years);
}

}  // namespace inrapport
