#include "common/flags/flag_rules.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_format.h"

namespace inrapport {
namespace {

// Length in bytes of the white-space character at the start of `text`, or 0.
size_t WhiteSpaceLength(absl::string_view text) {
  const auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  if (text.empty()) return 0;
  switch (byte(0)) {
    case ' ': case '\t': case '\n': case '\r': case '\v': case '\f':
      return 1;
  }
  if (text.size() >= 2 && byte(0) == 0xC2 && byte(1) == 0xA0) return 2;  // U+00A0
  if (text.size() >= 3 && byte(0) == 0xE2 && byte(1) == 0x80 &&
      (byte(2) <= 0x8B || byte(2) == 0xAF)) {
    return 3;  // U+2000..U+200B, U+202F
  }
  if (text.size() >= 3 && byte(0) == 0xE2 && byte(1) == 0x81 &&
      byte(2) == 0x9F) {
    return 3;  // U+205F
  }
  if (text.size() >= 3 && byte(0) == 0xE3 && byte(1) == 0x80 &&
      byte(2) == 0x80) {
    return 3;  // U+3000
  }
  return 0;
}

Flag NoStatedPurpose(const Duty& duty) {
  Flag flag;
  flag.code = std::string(kNoStatedPurpose);
  flag.reason = absl::StrFormat(
      "The duty \"%s\" states no purpose, so the municipalities that report "
      "it cannot tell what the data is used for or why it is needed.",
      duty.id);
  flag.evidence = {
      {"purpose_characters", std::to_string(duty.purpose.size())},
      {"agency_id", duty.agency_id},
  };
  return flag;
}

}  // namespace

const std::vector<absl::string_view>& AllFlagCodes() {
  static const auto* codes = new std::vector<absl::string_view>{kNoStatedPurpose};
  return *codes;
}

bool IsBlank(absl::string_view text) {
  while (!text.empty()) {
    const size_t n = WhiteSpaceLength(text);
    if (n == 0) return false;
    text.remove_prefix(n);
  }
  return true;
}

std::vector<Flag> EvaluateFlags(const Duty& duty) {
  std::vector<Flag> flags;
  if (IsBlank(duty.purpose)) flags.push_back(NoStatedPurpose(duty));
  std::sort(flags.begin(), flags.end(),
            [](const Flag& a, const Flag& b) { return a.code < b.code; });
  return flags;
}

}  // namespace inrapport
