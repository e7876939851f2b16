#include "common/base/config_file.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::HasSubstr;

TEST(ConfigFileTest, ReadsNamesValuesAndLinesSkippingCommentsAndBlanks) {
  auto settings = ParseConfig(
      "# inrapportd\n"
      "\n"
      "  listen =  0.0.0.0:50051  \n"
      "db=/var/lib/inrapport/inrapport.db\n"
      "log_format = \"json\"\n"
      "note = \" kept # not a comment \"\n"
      "empty =\n",
      "f.conf");
  ASSERT_TRUE(settings.ok()) << settings.status();
  ASSERT_EQ(settings->size(), 5u);
  EXPECT_EQ((*settings)[0].name, "listen");
  EXPECT_EQ((*settings)[0].value, "0.0.0.0:50051");
  EXPECT_EQ((*settings)[0].line, 3);
  EXPECT_EQ((*settings)[1].value, "/var/lib/inrapport/inrapport.db");
  EXPECT_EQ((*settings)[2].value, "json");
  EXPECT_EQ((*settings)[3].value, " kept # not a comment ");
  EXPECT_EQ((*settings)[4].value, "");
  EXPECT_EQ((*settings)[4].line, 7);
}

TEST(ConfigFileTest, ErrorsNameTheSourceAndLine) {
  const struct {
    const char* text;
    const char* message;
  } cases[] = {
      {"listen 0.0.0.0:1\n", "f.conf:1: expected `name = value`"},
      {"# ok\n= 5\n", "f.conf:2: the setting has no name"},
      {"tariff-sek = 5\n", "f.conf:1: \"tariff-sek\" is not a setting name"},
      {"db = \"/tmp/x\n", "f.conf:1: the value of db opens a quote it does not close"},
      {"db = a\ndb = b\n", "f.conf:2: db is set twice"},
  };
  for (const auto& c : cases) {
    auto settings = ParseConfig(c.text, "f.conf");
    ASSERT_FALSE(settings.ok()) << c.text;
    EXPECT_EQ(settings.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(settings.status().message()), HasSubstr(c.message)) << c.text;
  }
}

TEST(ConfigFileTest, AMissingFileIsNotFound) {
  auto settings = ReadConfigFile("/nonexistent/inrapportd.conf");
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace inrapport
