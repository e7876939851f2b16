#include "common/base/redaction.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inrapport {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(RedactedConnectionString, UserinfoPassword) {
  EXPECT_EQ(RedactedConnectionString("postgresql://u:s3cret@db.example.org:5432/inrapport"),
            "postgresql://u:****@db.example.org:5432/inrapport");
  EXPECT_EQ(RedactedConnectionString("postgres://u:p%40ss@h1,h2/db"), "postgres://u:****@h1,h2/db");
  // An '@' in the password itself: the last '@' ends the userinfo.
  EXPECT_EQ(RedactedConnectionString("postgresql://u:a@b@h/db"), "postgresql://u:****@h/db");
}

TEST(RedactedConnectionString, QueryParameterPasswords) {
  EXPECT_EQ(RedactedConnectionString("postgresql://u@h/db?password=s3cret"),
            "postgresql://u@h/db?password=****");
  EXPECT_EQ(RedactedConnectionString("postgresql:///db?host=/tmp&password=s3cret&port=5"),
            "postgresql:///db?host=/tmp&password=****&port=5");
  EXPECT_EQ(RedactedConnectionString("postgresql://h/db?PassWord=s3cret"),
            "postgresql://h/db?PassWord=****");
  EXPECT_EQ(RedactedConnectionString("postgresql://h/db?pass%77ord=s3cret"),
            "postgresql://h/db?pass%77ord=****");
  EXPECT_EQ(RedactedConnectionString("postgresql://h/db?%70%61%73%73%77%6F%72%64=s3cret"),
            "postgresql://h/db?%70%61%73%73%77%6F%72%64=****");
  EXPECT_EQ(RedactedConnectionString("postgresql://h/db?sslpassword=s3cret"),
            "postgresql://h/db?sslpassword=****");
  EXPECT_EQ(RedactedConnectionString("postgresql://h/db?password%3Ds3cret"),
            "postgresql://h/db?password%3D****");
}

TEST(RedactedConnectionString, KeywordValueForm) {
  EXPECT_EQ(RedactedConnectionString("host=h password=s3cret dbname=x"),
            "host=h password=**** dbname=x");
  EXPECT_EQ(RedactedConnectionString("host=h password = 'two words' dbname=x"),
            "host=h password = **** dbname=x");
  EXPECT_EQ(RedactedConnectionString("password='it\\'s secret' dbname=x"),
            "password=**** dbname=x");
  EXPECT_EQ(RedactedConnectionString("PASSWORD=a\\ b dbname=x"), "PASSWORD=**** dbname=x");
  EXPECT_EQ(RedactedConnectionString("host=h&password=s3cret"), "host=h&password=****");
}

TEST(RedactedConnectionString, WhatHoldsNoPasswordIsKept) {
  for (const char* db : {"inrapport.db", "/var/lib/inrapport/inrapport.db",
                         "postgresql://inrapport@db.example.org:5432/inrapport?sslmode=verify-full",
                         "host=h user=password dbname=x"}) {
    EXPECT_EQ(RedactedConnectionString(db), db);
  }
}

TEST(PasswordsIn, FindsEachFormAsWrittenAndDecoded) {
  EXPECT_THAT(PasswordsIn("postgresql://u:p%40ss@h/db"), Contains("p@ss"));
  EXPECT_THAT(PasswordsIn("password='x y'"), Contains("x y"));
}

TEST(RedactedMessage, ScrubsAPasswordALibraryEchoed) {
  const std::string db = "postgresql://u@h/db?password=p%zzss";
  const std::string message = RedactedMessage(
      "invalid percent-encoded token: \"p%zzss\" in " + db, db);
  EXPECT_THAT(message, Not(HasSubstr("p%zzss")));
  EXPECT_THAT(message, HasSubstr("password=****"));
}

}  // namespace
}  // namespace inrapport
