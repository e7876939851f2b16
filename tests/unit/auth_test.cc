#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "common/auth/access_policy.h"
#include "common/auth/bearer_header.h"
#include "common/auth/principal.h"
#include "common/auth/token_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(PrincipalTest, ParsesTheFourKindsAndRefusesTheRest) {
  EXPECT_EQ(*ParsePrincipal("municipality:0180"), Principal::Municipality("0180"));
  EXPECT_EQ(*ParsePrincipal("agency:skolverket"), Principal::Agency("skolverket"));
  EXPECT_EQ(*ParsePrincipal("arena"), Principal::Arena());
  EXPECT_EQ(*ParsePrincipal("admin"), Principal::Admin());
  EXPECT_EQ(ParsePrincipal("municipality:0180")->ToString(), "municipality:0180");
  for (const char* bad : {"municipality:9999", "municipality:", "agency:Skol verket", "agency:",
                          "root", "", "Admin", "arena:x"}) {
    EXPECT_EQ(ParsePrincipal(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(BearerHeaderTest, TakesTheTokenInAnyCaseOfTheSchemeWithoutTheBlanksAroundIt) {
  for (const char* value : {"Bearer abc-123", "bearer abc-123", "BEARER abc-123",
                            "bEaReR abc-123", "Bearer    abc-123", "Bearer abc-123  ",
                            "Bearer \tabc-123\t", "Bearer  \t abc-123 \t "}) {
    absl::StatusOr<absl::string_view> token = ParseBearerHeader(value);
    ASSERT_TRUE(token.ok()) << value << ": " << token.status();
    EXPECT_EQ(*token, "abc-123") << value;
  }
  // Every printable character but the space may be in a token (base64 too).
  const std::string printable = "!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~";
  EXPECT_EQ(*ParseBearerHeader("Bearer " + printable), printable);
  // The token is a view into the value.
  const std::string value = "Bearer xyz";
  EXPECT_EQ(ParseBearerHeader(value)->data(), value.data() + 7);
}

TEST(BearerHeaderTest, RefusesOtherSchemesEmptyTokensAndTokensWithBlanksOrControls) {
  auto refused = [](absl::string_view value) {
    absl::StatusOr<absl::string_view> token = ParseBearerHeader(value);
    EXPECT_FALSE(token.ok()) << value;
    EXPECT_EQ(token.status().code(), absl::StatusCode::kUnauthenticated) << value;
    return std::string(token.status().message());
  };
  for (const char* value : {"", "Bearer", "Bearerabc", "Bearer\tabc", "Basic YWxhZGRpbg==",
                            "Token abc", " Bearer abc", "Bearer_abc", "Bear abc", "xBearer abc"}) {
    EXPECT_EQ(refused(value), "authorization: expected \"Bearer <token>\"") << value;
  }
  for (const char* value : {"Bearer ", "Bearer    ", "bearer \t \t"}) {
    EXPECT_EQ(refused(value), "authorization: the token is empty: expected \"Bearer <token>\"")
        << value;
  }
  for (const std::string& value :
       {std::string("Bearer two words"), std::string("Bearer tab\tinside"),
        std::string("Bearer line\nbreak"), std::string("Bearer cr\r"),
        std::string("Bearer nul\0byte", 15), std::string("Bearer del\x7f"),
        std::string("Bearer caf\xc3\xa9"), std::string("Bearer \xff")}) {
    EXPECT_THAT(refused(value), HasSubstr("printable ASCII without spaces")) << value;
  }
  // The message never quotes the value.
  EXPECT_THAT(refused("Bearer secret-part other-part"), Not(HasSubstr("secret")));
  EXPECT_THAT(refused("Basic secret-credentials"), Not(HasSubstr("secret")));
}

TEST(TokenFileTest, Sha256IsTheStandardDigest) {
  // FIPS 180-2 test vector.
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(TokenFileTest, ParsesHashesAndPrincipalsAndNamesBadLines) {
  const std::string text = "# comment\n\n" + Sha256Hex("t1") + " municipality:0180\n" +
                           Sha256Hex("t2") + "\tagency:scb\n";
  auto table = ParseTokens(text, "tokens");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 2u);
  EXPECT_EQ(table->at(Sha256Hex("t2")), Principal::Agency("scb"));

  const struct {
    std::string text;
    const char* message;
  } cases[] = {
      {"justonefield\n", "tokens:1: expected"},
      {"abc municipality:0180\n", "tokens:1: the first field must be the 64 hex digits"},
      {Sha256Hex("t") + " municipality:9999\n", "tokens:1: principal \"municipality:9999\""},
      {Sha256Hex("t") + " admin\n" + Sha256Hex("t") + " arena\n", "tokens:2: this token hash is listed twice"},
      {Sha256Hex("t") + " admin extra\n", "tokens:1: expected"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseTokens(c.text, "tokens");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(c.message));
  }
}

TEST(TokenFileTest, FindsByTokenAndKeepsTheOldTokensWhenAReloadFails) {
  char path[] = "/tmp/inrapport-tokens-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << Sha256Hex("secret") << " arena\n";
  auto file = TokenFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ((*file)->Find("secret"), Principal::Arena());
  EXPECT_FALSE((*file)->Find("Secret").has_value());
  EXPECT_FALSE((*file)->Find(Sha256Hex("secret")).has_value());  // the hash is not a token

  std::ofstream(path) << "broken\n";
  EXPECT_FALSE((*file)->Reload().ok());
  EXPECT_EQ((*file)->Find("secret"), Principal::Arena());

  std::ofstream(path) << Sha256Hex("new") << " admin\n";
  EXPECT_EQ(*(*file)->Reload(), 1u);
  EXPECT_FALSE((*file)->Find("secret").has_value());
  EXPECT_EQ((*file)->Find("new"), Principal::Admin());
  std::remove(path);
  EXPECT_EQ(TokenFile::Open(path).status().code(), absl::StatusCode::kNotFound);
}

TEST(AccessPolicyTest, EachKindDoesOnlyItsOwn) {
  const Principal m = Principal::Municipality("0180");
  const Principal a = Principal::Agency("scb");
  const Principal arena = Principal::Arena();
  const Principal admin = Principal::Admin();
  auto ok = [](const absl::Status& s) { return s.ok(); };
  EXPECT_TRUE(ok(Authorize(m, Action::kSubmitReport, {"", "0180"})));
  EXPECT_FALSE(ok(Authorize(m, Action::kSubmitReport, {"", "1283"})));
  EXPECT_FALSE(ok(Authorize(a, Action::kSubmitReport, {"", "0180"})));
  EXPECT_TRUE(ok(Authorize(a, Action::kWriteDuty, {"scb", ""})));
  EXPECT_FALSE(ok(Authorize(a, Action::kWriteDuty, {"skolverket", ""})));
  EXPECT_FALSE(ok(Authorize(arena, Action::kWriteDuty, {"scb", ""})));
  EXPECT_TRUE(ok(Authorize(a, Action::kRecordUse, {"scb", ""})));
  EXPECT_FALSE(ok(Authorize(m, Action::kRecordUse, {"scb", ""})));
  EXPECT_TRUE(ok(Authorize(m, Action::kReadBurden, {"", "0180"})));
  EXPECT_FALSE(ok(Authorize(m, Action::kReadBurden, {"", ""})));
  EXPECT_FALSE(ok(Authorize(m, Action::kReadBurden, {"scb", "1283"})));
  EXPECT_TRUE(ok(Authorize(a, Action::kReadBurden, {"scb", "0180"})));
  EXPECT_FALSE(ok(Authorize(a, Action::kReadBurden, {"", ""})));
  EXPECT_TRUE(ok(Authorize(arena, Action::kReadBurden, {})));
  EXPECT_TRUE(ok(Authorize(arena, Action::kReadArenaReport, {})));
  EXPECT_FALSE(ok(Authorize(a, Action::kReadArenaReport, {})));
  for (const Principal& p : {m, a, arena, admin}) {
    EXPECT_TRUE(ok(Authorize(p, Action::kReadDuties, {})));
    EXPECT_TRUE(ok(Authorize(p, Action::kReadUses, {})));
  }
  for (Action action : {Action::kWriteDuty, Action::kRecordUse, Action::kSubmitReport,
                        Action::kReadBurden, Action::kReadArenaReport}) {
    EXPECT_TRUE(ok(Authorize(admin, action, {"x", "1283"})));
  }
  const absl::Status denied = Authorize(a, Action::kWriteDuty, {"skolverket", ""});
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(), "agency:scb may not update a duty of agency \"skolverket\"");
}

// The consultation gateway: an agency proposes for itself and opens the
// consultation on its own proposal, a municipality answers for itself, the
// arena decides; a duty in force is registered by the administrator only.
TEST(AccessPolicyTest, TheGatewaySeparatesProposingAnsweringAndDeciding) {
  const Principal m = Principal::Municipality("0180");
  const Principal a = Principal::Agency("skolverket");
  const Principal arena = Principal::Arena();
  const Principal admin = Principal::Admin();
  auto ok = [](const absl::Status& s) { return s.ok(); };
  EXPECT_TRUE(ok(Authorize(a, Action::kProposeDuty, {"skolverket", ""})));
  EXPECT_FALSE(ok(Authorize(a, Action::kProposeDuty, {"scb", ""})));
  EXPECT_FALSE(ok(Authorize(m, Action::kProposeDuty, {"skolverket", ""})));
  EXPECT_FALSE(ok(Authorize(arena, Action::kProposeDuty, {"skolverket", ""})));
  EXPECT_FALSE(ok(Authorize(a, Action::kRegisterDuty, {"skolverket", ""})));
  EXPECT_TRUE(ok(Authorize(admin, Action::kRegisterDuty, {"skolverket", ""})));
  EXPECT_TRUE(ok(Authorize(arena, Action::kOpenConsultation, {"skolverket", ""})));
  EXPECT_TRUE(ok(Authorize(a, Action::kOpenConsultation, {"skolverket", ""})));
  EXPECT_FALSE(ok(Authorize(m, Action::kOpenConsultation, {"skolverket", ""})));
  EXPECT_TRUE(ok(Authorize(m, Action::kAnswerConsultation, {"", "0180"})));
  EXPECT_FALSE(ok(Authorize(m, Action::kAnswerConsultation, {"", "1283"})));
  EXPECT_FALSE(ok(Authorize(a, Action::kAnswerConsultation, {"", "0180"})));
  EXPECT_TRUE(ok(Authorize(m, Action::kReadConsultation, {"skolverket", "0180"})));
  EXPECT_FALSE(ok(Authorize(m, Action::kReadConsultation, {"skolverket", ""})));
  EXPECT_TRUE(ok(Authorize(a, Action::kReadConsultation, {"skolverket", ""})));
  EXPECT_TRUE(ok(Authorize(arena, Action::kReadAssessment, {"skolverket", ""})));
  EXPECT_FALSE(ok(Authorize(m, Action::kReadAssessment, {"skolverket", ""})));
  EXPECT_TRUE(ok(Authorize(arena, Action::kDecideDuty, {})));
  EXPECT_TRUE(ok(Authorize(admin, Action::kDecideDuty, {})));
  const absl::Status own = Authorize(a, Action::kDecideDuty, {"skolverket", ""});
  EXPECT_EQ(own.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(own.message(),
            "agency:skolverket may not decide on a duty (only the arena may: an agency never "
            "decides, on its own proposal least of all)");
  EXPECT_FALSE(ok(Authorize(m, Action::kDecideDuty, {})));
}

// The reports as stored: a municipality its own, an agency those of its own
// duties, the arena all. One report: the scope's agency is that of the
// report's duty, empty when there is no such report, and the refusal is the
// same either way.
TEST(AccessPolicyTest, ReportsAreReadByTheirMunicipalityTheirDutysAgencyAndTheArena) {
  const Principal m = Principal::Municipality("0180");
  const Principal a = Principal::Agency("scb");
  const Principal arena = Principal::Arena();
  auto ok = [](const absl::Status& s) { return s.ok(); };
  EXPECT_TRUE(ok(Authorize(m, Action::kReadReports, {"", "0180"})));
  EXPECT_FALSE(ok(Authorize(m, Action::kReadReports, {"", ""})));
  EXPECT_FALSE(ok(Authorize(m, Action::kReadReports, {"", "1283"})));
  EXPECT_TRUE(ok(Authorize(a, Action::kReadReports, {"scb", ""})));
  EXPECT_TRUE(ok(Authorize(a, Action::kReadReports, {"scb", "1283"})));
  EXPECT_FALSE(ok(Authorize(a, Action::kReadReports, {"", "1283"})));
  EXPECT_FALSE(ok(Authorize(a, Action::kReadReports, {"ivo", ""})));
  EXPECT_TRUE(ok(Authorize(arena, Action::kReadReports, {})));
  EXPECT_EQ(Authorize(m, Action::kReadReports, {"", ""}).message(),
            "municipality:0180 may not read every municipality's reports: set "
            "municipality_code to \"0180\"");

  EXPECT_TRUE(ok(Authorize(m, Action::kReadReport, {"ivo", "0180"})));
  EXPECT_TRUE(ok(Authorize(m, Action::kReadReport, {"", "0180"})));  // none: NOT_FOUND next
  EXPECT_FALSE(ok(Authorize(m, Action::kReadReport, {"scb", "1283"})));
  EXPECT_TRUE(ok(Authorize(a, Action::kReadReport, {"scb", "1283"})));
  EXPECT_TRUE(ok(Authorize(arena, Action::kReadReport, {"", "1283"})));
  EXPECT_TRUE(ok(Authorize(Principal::Admin(), Action::kReadReport, {"", "1283"})));
  const absl::Status other = Authorize(a, Action::kReadReport, {"ivo", "1283"});
  const absl::Status missing = Authorize(a, Action::kReadReport, {"", "1283"});
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(other, missing);
}

// What is due from a municipality: the municipality itself, an agency for
// its own duties, the arena all.
TEST(AccessPolicyTest, DueReportsAreReadByTheMunicipalityItsDutiesAgencyAndTheArena) {
  const Principal m = Principal::Municipality("0180");
  const Principal a = Principal::Agency("scb");
  auto ok = [](const absl::Status& s) { return s.ok(); };
  EXPECT_TRUE(ok(Authorize(m, Action::kReadDue, {"", "0180"})));
  EXPECT_FALSE(ok(Authorize(m, Action::kReadDue, {"", "1283"})));
  EXPECT_TRUE(ok(Authorize(a, Action::kReadDue, {"scb", "1283"})));
  EXPECT_FALSE(ok(Authorize(a, Action::kReadDue, {"", "1283"})));
  EXPECT_FALSE(ok(Authorize(a, Action::kReadDue, {"ivo", "1283"})));
  EXPECT_TRUE(ok(Authorize(Principal::Arena(), Action::kReadDue, {"", "1283"})));
  EXPECT_TRUE(ok(Authorize(Principal::Admin(), Action::kReadDue, {"", "1283"})));
  EXPECT_EQ(Authorize(m, Action::kReadDue, {"", "1283"}).message(),
            "municipality:0180 may not read what is due from municipality \"1283\"");
  EXPECT_EQ(Authorize(a, Action::kReadDue, {"", "1283"}).message(),
            "agency:scb may not read what is due for every agency's duties: set agency_id to "
            "\"scb\"");
}

// The uses are public, but filtered to a municipality they say which duties
// it has reported: that filter is read as its burden is.
TEST(AccessPolicyTest, UsesFilteredToAMunicipalityAreReadAsItsBurden) {
  const Principal m = Principal::Municipality("1283");
  const Principal a = Principal::Agency("scb");
  for (const Principal& p : {m, a, Principal::Arena(), Principal::Admin()}) {
    EXPECT_TRUE(Authorize(p, Action::kReadUses, {}).ok()) << p.ToString();
    EXPECT_TRUE(Authorize(p, Action::kReadUses, {"skolverket", ""}).ok()) << p.ToString();
  }
  EXPECT_TRUE(Authorize(m, Action::kReadUses, {"", "1283"}).ok());
  EXPECT_TRUE(Authorize(m, Action::kReadUses, {"skolverket", "1283"}).ok());
  EXPECT_TRUE(Authorize(a, Action::kReadUses, {"scb", "0180"}).ok());
  EXPECT_TRUE(Authorize(Principal::Arena(), Action::kReadUses, {"", "0180"}).ok());
  EXPECT_TRUE(Authorize(Principal::Admin(), Action::kReadUses, {"", "0180"}).ok());

  absl::Status denied = Authorize(m, Action::kReadUses, {"", "0180"});
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(),
            "municipality:1283 may not list the uses of the duties municipality \"0180\" "
            "reported");
  EXPECT_EQ(Authorize(m, Action::kReadUses, {"scb", "0180"}).code(),
            absl::StatusCode::kPermissionDenied);
  denied = Authorize(a, Action::kReadUses, {"", "0180"});
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(),
            "agency:scb may not list the uses of every agency's duties municipality \"0180\" "
            "reported: set agency_id to \"scb\"");
  denied = Authorize(a, Action::kReadUses, {"skolverket", "0180"});
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(),
            "agency:scb may not list the uses of the duties of agency \"skolverket\" that "
            "municipality \"0180\" reported");
}

}  // namespace
}  // namespace inrapport
