#include "common/domain/duty_version.h"

namespace inrapport {
namespace {

// One entry per field a client sets: its name and whether two duties differ
// in it. A field added to Duty belongs here too (duty_version_test checks
// every field by changing it).
struct FieldComparison {
  const char* name;
  bool (*differs)(const Duty& a, const Duty& b);
};

#define INRAPPORT_DUTY_FIELD(field) \
  { #field, [](const Duty& a, const Duty& b) { return a.field != b.field; } }

const FieldComparison kFields[] = {
    INRAPPORT_DUTY_FIELD(agency_id),
    INRAPPORT_DUTY_FIELD(title),
    INRAPPORT_DUTY_FIELD(legal_basis),
    INRAPPORT_DUTY_FIELD(purpose),
    INRAPPORT_DUTY_FIELD(sector),
    INRAPPORT_DUTY_FIELD(frequency),
    INRAPPORT_DUTY_FIELD(data_items),
    INRAPPORT_DUTY_FIELD(targeted_grant),
    INRAPPORT_DUTY_FIELD(estimated_minutes_per_report),
    INRAPPORT_DUTY_FIELD(valid_from),
    INRAPPORT_DUTY_FIELD(valid_until),
    INRAPPORT_DUTY_FIELD(source_url),
    INRAPPORT_DUTY_FIELD(notes),
    INRAPPORT_DUTY_FIELD(respondents),
    INRAPPORT_DUTY_FIELD(deadline),
    INRAPPORT_DUTY_FIELD(state),
    INRAPPORT_DUTY_FIELD(consultation_until),
    INRAPPORT_DUTY_FIELD(expires_on),
};

#undef INRAPPORT_DUTY_FIELD

}  // namespace

std::vector<std::string> ChangedDutyFields(const Duty& before, const Duty& after) {
  std::vector<std::string> changed;
  for (const FieldComparison& field : kFields) {
    if (field.differs(before, after)) changed.emplace_back(field.name);
  }
  return changed;
}

const std::vector<std::string>& DutyFieldNames() {
  static const std::vector<std::string>* const names = [] {
    auto* all = new std::vector<std::string>;
    for (const FieldComparison& field : kFields) all->emplace_back(field.name);
    return all;
  }();
  return *names;
}

}  // namespace inrapport
