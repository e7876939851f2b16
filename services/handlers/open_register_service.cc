#include "services/handlers/open_register_service.h"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/domain/period.h"
#include "services/convert/enum_convert.h"
#include "services/handlers/handler_util.h"

namespace inrapport {
namespace {

// The open register's values on the wire. Only the fields below ever leave
// the server: there is no field for a report, a comment, a municipality or
// a flag's evidence.
void ToProto(const OpenDuty& duty, v1::RegisterDuty* out) {
  out->set_id(duty.id);
  out->set_agency_id(duty.agency_id);
  out->set_agency_name(duty.agency_name);
  out->set_title(duty.title);
  out->set_purpose(duty.purpose);
  out->set_legal_basis(duty.legal_basis);
  for (const std::string& reference : duty.legal_references) out->add_legal_references(reference);
  out->set_sector(ToProto(duty.sector));
  out->set_frequency(ToProto(duty.frequency));
  for (const std::string& item : duty.data_items) out->add_data_items(item);
  out->set_targeted_grant(duty.targeted_grant);
  out->set_valid_from(duty.valid_from);
  out->set_valid_until(duty.valid_until);
  out->set_expires_on(duty.expires_on);
  out->set_respondents(duty.respondents);
  for (const OpenFlag& flag : duty.flags) {
    v1::RegisterFlag* f = out->add_flags();
    f->set_code(flag.code);
    f->set_reason(flag.reason);
    f->set_reason_sv(flag.reason_sv);
  }
}

void ToProto(const OpenBurdenCell& cell, double tariff, v1::RegisterBurdenCell* out) {
  out->set_agency_id(cell.agency_id);
  out->set_agency_name(cell.agency_name);
  out->set_sector(ToProto(cell.sector));
  out->set_year(cell.year);
  out->set_suppressed(cell.suppressed());
  if (cell.suppressed()) {
    out->set_suppression_reason(kSuppressedReason);
    out->set_suppression_reason_sv(kSuppressedReasonSv);
    return;
  }
  const OpenBurdenFigures& f = *cell.figures;
  out->set_duties_with_reports(f.duties_with_reports);
  out->set_reports(f.reports);
  out->set_municipalities(f.municipalities);
  out->set_hours(std::round(f.hours() * 100) / 100);
  out->set_cost_sek(CostSek(f, tariff));
}

}  // namespace

absl::Status OpenRegisterService::HandleListRegisterDuties(
    grpc::CallbackServerContext* context, const v1::ListRegisterDutiesRequest* request,
    v1::ListRegisterDutiesResponse* response) {
  absl::StatusOr<std::optional<Principal>> caller =
      auth_->AdmitOpenRead(*context, "ListRegisterDuties",
                           {{"agency_id", request->agency_id()},
                            {"page_token", request->page_token(), kMaxPageTokenLength}},
                           open_);
  if (!caller.ok()) return caller.status();
  absl::Status valid = CheckSector("sector", request->sector());
  if (!valid.ok()) return valid;
  OpenDutyFilter filter;
  filter.agency_id = request->agency_id();
  filter.sector = FromProto(request->sector());
  absl::StatusOr<OpenRegister::DutyPage> page =
      register_->Duties(filter, request->page_size(), request->page_token());
  if (!page.ok()) return page.status();
  for (const OpenDuty& duty : page->duties) ToProto(duty, response->add_duties());
  response->set_next_page_token(page->next_page_token);
  response->set_as_of(FormatDate(register_->Today()));
  return absl::OkStatus();
}

absl::Status OpenRegisterService::HandleGetRegisterBurden(
    grpc::CallbackServerContext* context, const v1::GetRegisterBurdenRequest* request,
    v1::GetRegisterBurdenResponse* response) {
  absl::StatusOr<std::optional<Principal>> caller =
      auth_->AdmitOpenRead(*context, "GetRegisterBurden", {}, open_);
  if (!caller.ok()) return caller.status();
  absl::StatusOr<std::vector<OpenBurdenCell>> cells =
      register_->Burden({request->year_from(), request->year_to()});
  if (!cells.ok()) return cells.status();
  const double tariff = register_->tariff_sek_per_hour();
  for (const OpenBurdenCell& cell : *cells) ToProto(cell, tariff, response->add_cells());
  response->set_tariff_sek_per_hour(tariff);
  response->set_min_municipalities_per_cell(kMinMunicipalitiesPerCell);
  response->set_as_of(FormatDate(register_->Today()));
  return absl::OkStatus();
}

absl::Status OpenRegisterService::HandleExportOpenData(
    grpc::CallbackServerContext* context, const v1::ExportOpenDataRequest* request,
    v1::ExportOpenDataResponse* response) {
  absl::StatusOr<std::optional<Principal>> caller =
      auth_->AdmitOpenRead(*context, "ExportOpenData", {}, open_);
  if (!caller.ok()) return caller.status();
  OpenDataset dataset = OpenDataset::kDuties;
  switch (request->dataset()) {
    case v1::OPEN_DATASET_UNSPECIFIED:
    case v1::OPEN_DATASET_DUTIES: dataset = OpenDataset::kDuties; break;
    case v1::OPEN_DATASET_BURDEN: dataset = OpenDataset::kBurden; break;
    case v1::OPEN_DATASET_DICTIONARY: dataset = OpenDataset::kDictionary; break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("dataset: unknown value ", static_cast<int>(request->dataset())));
  }
  OpenFormat format = OpenFormat::kCsv;
  switch (request->format()) {
    case v1::OPEN_DATA_FORMAT_UNSPECIFIED:
    case v1::OPEN_DATA_FORMAT_CSV: format = OpenFormat::kCsv; break;
    case v1::OPEN_DATA_FORMAT_JSON: format = OpenFormat::kJson; break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("format: unknown value ", static_cast<int>(request->format())));
  }
  OpenDocument document = register_->Export(dataset, format);
  response->set_content_type(std::move(document.content_type));
  response->set_content(std::move(document.content));
  response->set_file_name(std::move(document.file_name));
  return absl::OkStatus();
}

}  // namespace inrapport
