// Password redaction of database strings (common/base/redaction.h): a
// marker password put into a generated string in one of the forms libpq
// reads never survives RedactedConnectionString, PasswordsIn finds a
// password holding it, and RedactedMessage scrubs every password found from
// a message that echoes it; on any input,
// a string with no "password" and no "://" in it is kept unchanged.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/base/redaction.h"
#include "fuzz/fuzz_check.h"

namespace inrapport {
namespace {

constexpr char kMarker[] = "MARKERPW";

// Fuzz text without the bytes in `excluded`, nor an 'M': the marker comes
// only where the generator puts it.
std::string TextWithout(FuzzedDataProvider& data, absl::string_view excluded = "") {
  std::string text = data.ConsumeRandomLengthString(40);
  std::string kept;
  for (char c : text) {
    if (c != 'M' && excluded.find(c) == absl::string_view::npos) kept.push_back(c);
  }
  return kept;
}

// "password" with each letter in a fuzz-chosen case and, in a URI query,
// some letters percent-encoded.
std::string KeyName(FuzzedDataProvider& data, bool encode) {
  std::string key;
  for (char c : std::string("password")) {
    const uint8_t how = data.ConsumeIntegral<uint8_t>();
    const char letter = how & 1 ? absl::ascii_toupper(c) : c;
    if (encode && (how & 2)) {
      absl::StrAppend(&key, "%", absl::Hex(static_cast<unsigned char>(letter), absl::kZeroPad2));
    } else {
      key.push_back(letter);
    }
  }
  return key;
}

// `message` with each mask replaced by one byte that `password` does not
// hold. Masks side by side, or beside a star of the text, read as one run of
// stars: each run of four or more goes whole, as stars are no secret.
std::string WithoutMasks(const std::string& message, const std::string& password) {
  char absent = 1;
  while (password.find(absent) != std::string::npos) ++absent;
  std::string out;
  for (size_t i = 0; i < message.size();) {
    size_t run = 0;
    while (i + run < message.size() && message[i + run] == '*') ++run;
    if (run >= 4) {
      out.push_back(absent);
    } else {
      out.append(message, i, std::max<size_t>(run, 1));
    }
    i += std::max<size_t>(run, 1);
  }
  return out;
}

void CheckMasked(const std::string& db) {
  const std::string redacted = RedactedConnectionString(db);
  FUZZ_CHECK(!absl::StrContains(redacted, kMarker), db, redacted);
  bool found = false;
  for (const std::string& password : PasswordsIn(db)) {
    if (absl::StrContains(password, kMarker)) found = true;
    // A message that echoes a password found is scrubbed of it.
    // (The mask itself, or part of it, is no secret.)
    if (password.find_first_not_of('*') == std::string::npos) continue;
    const std::string message = RedactedMessage(absl::StrCat("error near \"", password, "\""), db);
    // The mask beside the text around it can spell the password again
    // (`"*` masked in `""*"` reads `"****"`): look for it outside the masks.
    FUZZ_CHECK(!absl::StrContains(WithoutMasks(message, password), password), db, message);
  }
  FUZZ_CHECK(found, db, "PasswordsIn missed the marker");
}

void Generated(FuzzedDataProvider& data) {
  std::string db;
  const char* terminators[] = {"", " ", "&", "#", "\t"};
  switch (data.ConsumeIntegralInRange<int>(0, 3)) {
    case 0:  // userinfo
      db = absl::StrCat(data.ConsumeBool() ? "postgresql://" : "postgres://",
                        TextWithout(data, ":/?#@"), ":", kMarker, "@",
                        TextWithout(data));
      break;
    case 1: {  // a URI query parameter
      const std::string head = TextWithout(data, "?#");
      const std::string params = TextWithout(data, "#");
      db = absl::StrCat("postgresql://", head, "?", params, "&", KeyName(data, true), "=",
                        kMarker, data.ConsumeBool() ? "&" : "", TextWithout(data, "#"));
      break;
    }
    case 2: {  // key=value, unquoted
      db = absl::StrCat(TextWithout(data), " ", KeyName(data, false),
                        std::string(data.ConsumeIntegralInRange<int>(0, 2), ' '), "=",
                        std::string(data.ConsumeIntegralInRange<int>(0, 2), ' '), kMarker,
                        terminators[data.ConsumeIntegralInRange<int>(0, 4)],
                        TextWithout(data));
      break;
    }
    default: {  // key=value, quoted, with escapes
      std::string inner = TextWithout(data, "'\\");
      inner.insert(inner.size() / 2, absl::StrCat(kMarker, " \\' \\\\ "));
      db = absl::StrCat(TextWithout(data), " ", KeyName(data, false), " = '",
                        inner, "' ", TextWithout(data));
      break;
    }
  }
  CheckMasked(db);
}

void Arbitrary(absl::string_view text) {
  const std::string redacted = RedactedConnectionString(text);
  RedactedMessage(text, text);
  if (!absl::StrContains(absl::AsciiStrToLower(text), "password") &&
      !absl::StrContains(text, "://")) {
    FUZZ_CHECK(redacted == text, text, redacted);
  }
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  inrapport::Arbitrary(absl::string_view(reinterpret_cast<const char*>(data), size));
  FuzzedDataProvider provider(data, size);
  inrapport::Generated(provider);
  return 0;
}
