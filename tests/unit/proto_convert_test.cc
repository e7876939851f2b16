// Conversion between the inrapport.v1 protos and the domain types
// (services/convert/proto_convert.h).
#include "services/convert/proto_convert.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "common/flags/legal_basis.h"
#include "services/convert/enum_convert.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::ElementsAre;

Duty DutyWithBasis(const std::string& legal_basis) {
  Duty duty;
  duty.id = "ivo-lex-sarah";
  duty.agency_id = "ivo";
  duty.title = "Lex Sarah";
  duty.legal_basis = legal_basis;
  duty.sector = Sector::kSocialServices;
  duty.frequency = Frequency::kAdHoc;
  duty.legal_references = ParseLegalBasis(legal_basis);
  return duty;
}

std::vector<std::string> Texts(const v1::ReportingDuty& proto) {
  std::vector<std::string> texts;
  for (const v1::LegalReference& ref : proto.legal_references()) texts.push_back(ref.text());
  return texts;
}

TEST(ProtoConvertTest, EachParsedReferenceKeepsItsKindPartsAndCanonicalText) {
  const v1::ReportingDuty proto = ToProto(DutyWithBasis(
      "SoL (2001:453) 14 kap. 3-7 §§; LSS 28 f § [paragraph unverified]; HSLF-FS 2016:40; "
      "förordning (1981:1370) 2 § b"));
  ASSERT_EQ(proto.legal_references_size(), 4);

  const v1::LegalReference& statute = proto.legal_references(0);
  EXPECT_EQ(statute.kind(), v1::LegalReference::KIND_STATUTE);
  EXPECT_EQ(statute.act(), "SoL");
  EXPECT_EQ(statute.sfs_number(), "2001:453");
  EXPECT_EQ(statute.chapter(), "14");
  EXPECT_EQ(statute.section(), "3–7");  // the dash made an en dash
  EXPECT_EQ(statute.point(), "");
  EXPECT_EQ(statute.text(), "SoL (2001:453) 14 kap. 3–7 §§");

  const v1::LegalReference& section = proto.legal_references(1);
  EXPECT_EQ(section.kind(), v1::LegalReference::KIND_SECTION);
  EXPECT_EQ(section.act(), "LSS");
  EXPECT_EQ(section.sfs_number(), "");
  EXPECT_EQ(section.chapter(), "");
  EXPECT_EQ(section.section(), "28 f");
  EXPECT_EQ(section.text(), "LSS 28 f §");

  const v1::LegalReference& regulation = proto.legal_references(2);
  EXPECT_EQ(regulation.kind(), v1::LegalReference::KIND_REGULATION);
  EXPECT_EQ(regulation.act(), "HSLF-FS");
  EXPECT_EQ(regulation.sfs_number(), "2016:40");
  EXPECT_EQ(regulation.chapter(), "");
  EXPECT_EQ(regulation.section(), "");
  EXPECT_EQ(regulation.text(), "HSLF-FS 2016:40");

  const v1::LegalReference& point = proto.legal_references(3);
  EXPECT_EQ(point.kind(), v1::LegalReference::KIND_STATUTE);
  EXPECT_EQ(point.act(), "Förordning");
  EXPECT_EQ(point.sfs_number(), "1981:1370");
  EXPECT_EQ(point.section(), "2");
  EXPECT_EQ(point.point(), "b");
  EXPECT_EQ(point.text(), "Förordning (1981:1370) 2 § b");

  // The text as the agency wrote it, note included, is kept beside them.
  EXPECT_EQ(proto.legal_basis(),
            "SoL (2001:453) 14 kap. 3-7 §§; LSS 28 f § [paragraph unverified]; "
            "HSLF-FS 2016:40; förordning (1981:1370) 2 § b");
}

TEST(ProtoConvertTest, ABareSfsNumberIsAStatuteOfActSfs) {
  const v1::ReportingDuty proto = ToProto(DutyWithBasis("2015:1052"));
  ASSERT_EQ(proto.legal_references_size(), 1);
  EXPECT_EQ(proto.legal_references(0).kind(), v1::LegalReference::KIND_STATUTE);
  EXPECT_EQ(proto.legal_references(0).act(), "SFS");
  EXPECT_EQ(proto.legal_references(0).sfs_number(), "2015:1052");
  EXPECT_EQ(proto.legal_references(0).text(), "SFS 2015:1052");
}

TEST(ProtoConvertTest, NoRecognisableSourceGivesNoReferences) {
  EXPECT_TRUE(ToProto(DutyWithBasis("unverified")).legal_references().empty());
  EXPECT_TRUE(ToProto(DutyWithBasis("SOU 2018:47")).legal_references().empty());
  EXPECT_TRUE(ToProto(DutyWithBasis("")).legal_references().empty());
}

TEST(ProtoConvertTest, ReferencesAreOutputOnly) {
  // A client that sends references back (a read-modify-write) does not set
  // them: they are read from legal_basis again.
  v1::ReportingDuty proto = ToProto(DutyWithBasis("SFS 2010:800; SKOLFS 2011:142"));
  ASSERT_THAT(Texts(proto), ElementsAre("SFS 2010:800", "SKOLFS 2011:142"));
  proto.mutable_legal_references(0)->set_text("SFS 1999:1");
  const Duty duty = FromProto(proto);
  EXPECT_TRUE(duty.legal_references.empty());
  EXPECT_EQ(duty.legal_basis, "SFS 2010:800; SKOLFS 2011:142");
}

TEST(ProtoConvertTest, ClientFieldsSurviveTheRoundTrip) {
  Duty duty = DutyWithBasis("SkolL 26 kap. 25 §");
  duty.purpose = "IVO uses the reports in its supervision.";
  duty.data_items = {"decision_date", "pupils"};
  duty.targeted_grant = "Likvärdighetsbidraget";
  duty.estimated_minutes_per_report = 45.5;
  duty.valid_from = "2020-01-01";
  duty.valid_until = "2030-12-31";
  duty.source_url = "https://www.ivo.se/";
  duty.notes = "[unverified]";
  Duty back = FromProto(ToProto(duty));
  duty.legal_references.clear();  // output only
  EXPECT_EQ(back.id, duty.id);
  EXPECT_EQ(back.legal_basis, duty.legal_basis);
  EXPECT_EQ(back.purpose, duty.purpose);
  EXPECT_EQ(back.sector, duty.sector);
  EXPECT_EQ(back.frequency, duty.frequency);
  EXPECT_EQ(back.data_items, duty.data_items);
  EXPECT_EQ(back.targeted_grant, duty.targeted_grant);
  EXPECT_EQ(back.estimated_minutes_per_report, duty.estimated_minutes_per_report);
  EXPECT_EQ(back.valid_from, duty.valid_from);
  EXPECT_EQ(back.valid_until, duty.valid_until);
  EXPECT_EQ(back.source_url, duty.source_url);
  EXPECT_EQ(back.notes, duty.notes);
  EXPECT_EQ(back.legal_references, duty.legal_references);
}

// A message read from a stream gives up its text to the report; the report
// must be the one a copy gives, field for field.
TEST(ProtoConvertTest, AReportTakenFromItsMessageEqualsOneCopiedFromIt) {
  v1::Report proto;
  proto.set_submission_id("ekonomiskt-bistand-2025-03-0180-000017");
  proto.set_municipality_code("0180");
  proto.set_duty_id("socialstyrelsen-ekonomiskt-bistand-manad");
  proto.set_period("2025-03");
  proto.set_minutes_spent(95);
  proto.set_staff_count(2);
  proto.set_usefulness(3);
  proto.set_feedback_received(v1::ANSWER_NO);
  proto.set_already_reported_elsewhere(v1::ANSWER_YES);
  proto.set_comment("Samma uppgifter lämnas redan till SCB varje månad.");
  proto.set_already_reported_where("SCB:s statistik om ekonomiskt bistånd");

  const Report copied = FromProto(proto);
  v1::Report message = proto;
  const Report taken = FromProto(std::move(message));

  EXPECT_EQ(taken, copied);
  EXPECT_EQ(taken.submission_id, proto.submission_id());
  EXPECT_EQ(taken.municipality_code, "0180");
  EXPECT_EQ(taken.duty_id, proto.duty_id());
  EXPECT_EQ(taken.period, "2025-03");
  EXPECT_EQ(taken.minutes_spent, 95);
  EXPECT_EQ(taken.staff_count, 2);
  EXPECT_EQ(taken.usefulness, 3);
  EXPECT_EQ(taken.feedback_received, Answer::kNo);
  EXPECT_EQ(taken.already_reported_elsewhere, Answer::kYes);
  EXPECT_EQ(taken.comment, proto.comment());
  EXPECT_EQ(taken.already_reported_where, proto.already_reported_where());
}

}  // namespace
}  // namespace inrapport

namespace inrapport {
namespace {

// Numbers agree at compile time (enum_convert.cc); here, that every name
// maps to the name of the same meaning, and that a value the domain does
// not know survives for validation to name.
TEST(EnumConvertTest, EveryValueMapsToItsNamesakeAndBack) {
  for (int i = 0; i < kSectorCount; ++i) {
    const Sector sector = static_cast<Sector>(i);
    EXPECT_EQ(FromProto(ToProto(sector)), sector);
    std::string proto_name = v1::Sector_Name(ToProto(sector));  // "SECTOR_ELDERLY_CARE"
    if (sector != Sector::kUnspecified) {
      EXPECT_EQ(proto_name, "SECTOR_" + absl::AsciiStrToUpper(SectorName(sector)));
    }
  }
  for (int i = 1; i <= static_cast<int>(Frequency::kAdHoc); ++i) {
    const Frequency frequency = static_cast<Frequency>(i);
    EXPECT_EQ(v1::Frequency_Name(ToProto(frequency)),
              "FREQUENCY_" + absl::AsciiStrToUpper(FrequencyName(frequency)));
  }
  for (int i = 1; i <= kMaxUseKind; ++i) {
    const UseKind kind = static_cast<UseKind>(i);
    EXPECT_EQ(v1::UseKind_Name(ToProto(kind)),
              "USE_KIND_" + absl::AsciiStrToUpper(UseKindName(kind)));
  }
  EXPECT_EQ(ToProto(Answer::kYes), v1::ANSWER_YES);
  EXPECT_EQ(ToProto(Answer::kNo), v1::ANSWER_NO);
  EXPECT_EQ(ToProto(Answer::kUnknown), v1::ANSWER_UNSPECIFIED);
  EXPECT_EQ(static_cast<int>(FromProto(static_cast<v1::Sector>(42))), 42);
  EXPECT_EQ(FromProto(v1::GROUP_BY_COUNTY), GroupBy::kCounty);
  EXPECT_EQ(FromProto(v1::GROUP_BY_UNSPECIFIED), std::nullopt);
  EXPECT_EQ(FromProto(v1::REPORT_FORMAT_HTML), ReportFormat::kHtml);
  EXPECT_EQ(FromProto(static_cast<v1::ReportFormat>(9)), std::nullopt);
}

}  // namespace
}  // namespace inrapport
