// The arena report as JSON (RFC 8259): keys are the field names of
// ArenaReport and its parts, numbers are numbers rounded as in the other
// formats, a missing figure is null, and text is valid UTF-8.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/domain/lifecycle.h"
#include "common/domain/types.h"
#include "common/report/arena_report.h"
#include "common/report/render_internal.h"
#include "common/text/text_safety.h"

namespace inrapport::report_internal {
namespace {

// Writes indented JSON; the caller nests Begin/End calls correctly.
class JsonWriter {
 public:
  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  void Key(absl::string_view key) {
    Separate();
    Quoted(key);
    out_ += ": ";
    after_key_ = true;
  }
  void String(absl::string_view value) {
    BeforeValue();
    Quoted(value);
  }
  // A number already written by Fixed() or StrCat(); "" (a figure that
  // cannot be written) becomes null.
  void Number(const std::string& literal) {
    BeforeValue();
    out_ += literal.empty() ? "null" : literal;
  }

  // Shorthands for a member.
  void Field(absl::string_view key, absl::string_view value) {
    Key(key);
    String(value);
  }
  void NumberField(absl::string_view key, const std::string& literal) {
    Key(key);
    Number(literal);
  }
  void BoolField(absl::string_view key, bool value) {
    Key(key);
    BeforeValue();
    out_ += value ? "true" : "false";
  }
  void StringArrayField(absl::string_view key, const std::vector<std::string>& values) {
    Key(key);
    BeginArray();
    for (const std::string& v : values) String(v);
    EndArray();
  }

  std::string Finish() && {
    out_ += '\n';
    return std::move(out_);
  }

 private:
  void Open(char c) {
    BeforeValue();
    out_ += c;
    empty_.push_back(true);
  }
  void Close(char c) {
    const bool empty = empty_.back();
    empty_.pop_back();
    if (!empty) NewLine();
    out_ += c;
  }
  void BeforeValue() {
    if (after_key_) {
      after_key_ = false;
    } else {
      Separate();
    }
  }
  // A comma before every element but the first, each on its own line.
  void Separate() {
    if (empty_.empty()) return;
    if (!empty_.back()) out_ += ',';
    empty_.back() = false;
    NewLine();
  }
  void NewLine() {
    out_ += '\n';
    out_.append(2 * empty_.size(), ' ');
  }
  // Every unsafe character (text_safety.h) is written as a \u escape: the
  // text keeps its value for a program, but no raw control or bidirectional
  // formatting character reaches a terminal or an editor that shows the file.
  void Quoted(absl::string_view raw) {
    static constexpr char kHex[] = "0123456789abcdef";
    const std::string text = ValidUtf8(raw);
    out_ += '"';
    for (size_t i = 0; i < text.size();) {
      size_t length;
      const char32_t c = DecodeCodePoint(text, i, &length);
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default:
          if (IsUnsafeCodePoint(c)) {  // all below U+10000: one escape each
            out_ += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4) out_ += kHex[(c >> shift) & 0xf];
          } else {
            out_.append(text, i, length);  // UTF-8 passes through
          }
      }
      i += length;
    }
    out_ += '"';
  }

  std::string out_;
  std::vector<bool> empty_;  // per open object or array: nothing in it yet
  bool after_key_ = false;
};

void BurdenRow(JsonWriter& w, const ArenaBurdenRow& r) {
  w.BeginObject();
  w.Field("key", r.key);
  if (!r.label.empty()) w.Field("name", r.label);
  w.NumberField("reports", absl::StrCat(r.reports));
  w.NumberField("minutes", absl::StrCat(r.minutes));
  w.NumberField("hours", Hours(r.hours));
  w.NumberField("cost_sek", Sek(r.cost_sek));
  w.NumberField("municipalities", absl::StrCat(r.municipalities));
  w.NumberField("flagged_share", Share(r.flagged_share));
  w.NumberField("national_cost_sek", Sek(r.national_cost_sek));
  w.NumberField("not_estimable_duties", absl::StrCat(r.not_estimable_duties));
  w.EndObject();
}

void BurdenRows(JsonWriter& w, absl::string_view key, const std::vector<ArenaBurdenRow>& rows) {
  w.Key(key);
  w.BeginArray();
  for (const ArenaBurdenRow& r : rows) BurdenRow(w, r);
  w.EndArray();
}

// The figures are null when the duty is not estimable; the basis is given
// either way.
void National(JsonWriter& w, const NationalEstimate& e) {
  w.BeginObject();
  w.BoolField("estimable", e.estimable);
  w.Field("not_estimable_reason", e.not_estimable_reason);
  w.Field("not_estimable_reason_sv", e.not_estimable_reason_sv);
  w.NumberField("hours_per_year", EstimateHours(e, e.hours_per_year));
  w.NumberField("hours_per_year_low", EstimateHours(e, e.hours_per_year_low));
  w.NumberField("hours_per_year_high", EstimateHours(e, e.hours_per_year_high));
  w.NumberField("cost_sek_per_year", EstimateSek(e, e.cost_sek_per_year));
  w.NumberField("cost_sek_per_year_low", EstimateSek(e, e.cost_sek_per_year_low));
  w.NumberField("cost_sek_per_year_high", EstimateSek(e, e.cost_sek_per_year_high));
  w.NumberField("reports", absl::StrCat(e.reports));
  w.NumberField("municipalities", absl::StrCat(e.municipalities));
  w.NumberField("expected_municipalities", absl::StrCat(e.expected_municipalities));
  w.NumberField("groups_covered", absl::StrCat(e.groups_covered));
  w.NumberField("groups_expected", absl::StrCat(e.groups_expected));
  w.NumberField("groups_with_one_municipality", absl::StrCat(e.groups_with_one_municipality));
  w.Field("first_period", e.first_period);
  w.Field("last_period", e.last_period);
  w.NumberField("reports_per_municipality_per_year", PerYear(e.reports_per_municipality_per_year));
  w.Field("yearly_count_basis", e.yearly_count_basis);
  w.Field("yearly_count_basis_sv", e.yearly_count_basis_sv);
  w.Field("basis", e.basis);
  w.Field("basis_sv", e.basis_sv);
  w.EndObject();
}

void Account(JsonWriter& w, const DutyAccount& a) {
  w.BeginObject();
  w.Field("duty_id", a.duty_id);
  w.Field("agency_id", a.agency_id);
  w.Field("title", a.title);
  w.Field("sector", SectorName(a.sector));
  w.Field("frequency", FrequencyName(a.frequency));
  w.NumberField("reports", absl::StrCat(a.reports));
  w.NumberField("municipalities", absl::StrCat(a.municipalities));
  w.NumberField("minutes", absl::StrCat(a.minutes));
  w.NumberField("median_minutes", a.median_minutes ? Minutes(*a.median_minutes) : "");
  w.NumberField("hours", Hours(a.hours));
  w.NumberField("cost_sek", Sek(a.cost_sek));
  w.NumberField("estimated_minutes_per_report", Minutes(a.estimated_minutes_per_report));
  w.NumberField("reports_per_municipality_per_year", PerYear(a.reports_per_municipality_per_year));
  w.NumberField("national_hours", EstimateHours(a.national, a.national_hours));
  w.NumberField("national_cost_sek", EstimateSek(a.national, a.national_cost_sek));
  w.NumberField("recorded_uses", absl::StrCat(a.recorded_uses));
  w.StringArrayField("flag_codes", a.flag_codes);
  w.Key("national");
  National(w, a.national);
  w.EndObject();
}

void FlagValue(JsonWriter& w, const Flag& flag) {
  w.BeginObject();
  w.Field("code", flag.code);
  w.Field("reason", flag.reason);
  w.Field("reason_sv", flag.reason_sv);
  // Pairs in their stable order, as objects: names may repeat.
  w.Key("evidence");
  w.BeginArray();
  for (const auto& [name, value] : flag.evidence) {
    w.BeginObject();
    w.Field("name", name);
    w.Field("value", value);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string RenderJson(const ArenaReport& r) {
  JsonWriter w;
  w.BeginObject();
  w.Field("generated_on", r.generated_on);
  w.Field("language", ReportLanguageCode(r.language));
  w.BoolField("illustrative", r.illustrative);
  w.Field("title", Title(r));
  w.Field("period_from", r.period_from);
  w.Field("period_to", r.period_to);
  w.NumberField("tariff_sek_per_hour", Tariff(r.tariff_sek_per_hour));
  w.NumberField("duties", absl::StrCat(r.duties));
  w.NumberField("flagged_duties", absl::StrCat(r.flagged_duties));
  w.NumberField("recorded_uses", absl::StrCat(r.recorded_uses));
  w.Key("totals");
  BurdenRow(w, r.totals);
  w.NumberField("flagged_national_cost_sek", Sek(r.flagged_national_cost_sek));
  w.NumberField("not_estimable_duties", absl::StrCat(r.not_estimable_duties));
  w.NumberField("flagged_not_estimable_duties", absl::StrCat(r.flagged_not_estimable_duties));
  BurdenRows(w, "by_agency", r.by_agency);
  BurdenRows(w, "by_sector", r.by_sector);

  w.Key("flagged");
  w.BeginArray();
  for (const ArenaFlaggedDuty& duty : r.flagged) {
    w.BeginObject();
    w.Key("account");
    Account(w, duty.account);
    w.Field("legal_basis", duty.legal_basis);
    w.StringArrayField("legal_references", duty.legal_references);
    w.Field("source_url", duty.source_url);
    w.Field("notes", duty.notes);
    w.Key("flags");
    w.BeginArray();
    for (const Flag& flag : duty.flags) FlagValue(w, flag);
    w.EndArray();
    w.Key("comments");
    w.BeginArray();
    for (const ArenaComment& c : duty.comments) {
      w.BeginObject();
      w.Field("municipality_code", c.municipality_code);
      w.Field("period", c.period);
      w.Field("comment", c.comment);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();

  w.Key("overlaps");
  w.BeginArray();
  for (const ArenaOverlap& o : r.overlaps) {
    w.BeginObject();
    w.Field("duty_id", o.duty_id);
    w.Field("agency_id", o.agency_id);
    w.Field("other_duty_id", o.other_duty_id);
    w.Field("other_agency_id", o.other_agency_id);
    w.StringArrayField("shared_items", o.shared_items);
    w.NumberField("item_count", absl::StrCat(o.item_count));
    w.NumberField("overlap_minutes", Minutes(o.overlap_minutes));
    w.NumberField("overlap_cost_sek", Sek(o.overlap_cost_sek));
    w.EndObject();
  }
  w.EndArray();

  w.Key("reported_elsewhere");
  w.BeginArray();
  for (const ArenaReportedElsewhere& e : r.reported_elsewhere) {
    w.BeginObject();
    w.Field("duty_id", e.duty_id);
    w.Field("agency_id", e.agency_id);
    w.Field("where", e.where);
    w.Field("other_duty_id", e.other_duty_id);
    w.Field("other_agency_id", e.other_agency_id);
    w.NumberField("reports", absl::StrCat(e.reports));
    w.NumberField("municipalities", absl::StrCat(e.municipalities));
    w.EndObject();
  }
  w.EndArray();

  w.Key("unreported");
  w.BeginArray();
  for (const ArenaUnreportedDuty& d : r.unreported) {
    w.BeginObject();
    w.Field("duty_id", d.duty_id);
    w.Field("agency_id", d.agency_id);
    w.Field("title", d.title);
    w.Field("sector", SectorName(d.sector));
    w.Field("frequency", FrequencyName(d.frequency));
    w.StringArrayField("flag_codes", d.flag_codes);
    w.EndObject();
  }
  w.EndArray();

  w.Key("by_year");
  w.BeginArray();
  for (const ArenaYearRow& y : r.by_year) {
    w.BeginObject();
    w.Field("year", y.year);
    w.Field("agency_id", y.agency_id);
    w.NumberField("reports", absl::StrCat(y.reports));
    w.NumberField("minutes", absl::StrCat(y.minutes));
    w.NumberField("flagged_minutes", absl::StrCat(y.flagged_minutes));
    w.NumberField("hours", Hours(y.hours));
    w.NumberField("cost_sek", Sek(y.cost_sek));
    w.NumberField("flagged_cost_sek", Sek(y.flagged_cost_sek));
    w.NumberField("flagged_share", Share(y.flagged_share));
    w.EndObject();
  }
  w.EndArray();

  w.Key("decisions");
  w.BeginArray();
  for (const ArenaDecision& d : r.decisions) {
    w.BeginObject();
    w.Field("duty_id", d.duty_id);
    w.Field("title", d.title);
    w.Field("agency_id", d.agency_id);
    w.Field("agency_name", d.agency_name);
    w.Field("kind", DecisionKindName(d.kind));
    w.Field("reason", d.reason);
    w.Field("decided_on", d.decided_on);
    w.Field("merge_into", d.merge_into);
    w.Key("years");
    w.BeginArray();
    for (const ArenaDecisionYear& y : d.years) {
      w.BeginObject();
      w.NumberField("year", absl::StrCat(y.year));
      w.BoolField("after", y.after);
      w.NumberField("reports", absl::StrCat(y.reports));
      w.NumberField("minutes", absl::StrCat(y.minutes));
      w.NumberField("hours", Hours(y.hours));
      w.NumberField("cost_sek", Sek(y.cost_sek));
      w.EndObject();
    }
    w.EndArray();
    // null when the change cannot be computed (DecisionChangeOf).
    w.Key("change");
    if (const std::optional<ArenaDecisionChange> c = DecisionChangeOf(d, r.generated_on)) {
      w.BeginObject();
      w.NumberField("year_before", absl::StrCat(c->year_before));
      w.NumberField("year_after", absl::StrCat(c->year_after));
      w.NumberField("hours_before", Hours(c->hours_before));
      w.NumberField("hours_after", Hours(c->hours_after));
      w.NumberField("change_hours", Hours(c->change_hours));
      w.NumberField("change_cost_sek", Sek(c->change_cost_sek));
      w.EndObject();
    } else {
      w.Number("");
    }
    w.EndObject();
  }
  w.EndArray();

  const ArenaMethod& m = r.method;
  w.Key("method");
  w.BeginObject();
  w.NumberField("estimate_min_municipalities", absl::StrCat(m.estimate_min_municipalities));
  w.NumberField("bootstrap_resamples", absl::StrCat(m.bootstrap_resamples));
  w.NumberField("municipalities_reported", absl::StrCat(m.municipalities_reported));
  w.NumberField("groups_covered", absl::StrCat(m.groups_covered));
  w.NumberField("groups_total", absl::StrCat(m.groups_total));
  w.Field("first_period", m.first_period);
  w.Field("last_period", m.last_period);
  w.StringArrayField("unverified_legal_basis", m.unverified_legal_basis);
  w.StringArrayField("paragraphs", MethodParagraphs(r));
  w.EndObject();
  w.EndObject();
  return std::move(w).Finish();
}

}  // namespace inrapport::report_internal
