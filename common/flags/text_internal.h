// Small UTF-8 helpers shared by the flag rules, the purpose check and the
// legal-basis parser. Internal to common/flags.
#ifndef INRAPPORT_COMMON_FLAGS_TEXT_INTERNAL_H_
#define INRAPPORT_COMMON_FLAGS_TEXT_INTERNAL_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace inrapport::flags_internal {

// Length in bytes of the white-space character at the start of `text`, or 0.
// ASCII white space, U+0085, U+00A0 (no-break space), U+1680, U+2000..U+200B,
// U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF.
inline size_t WhiteSpaceLength(absl::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  if (text.empty()) return 0;
  switch (byte(0)) {
    case ' ': case '\t': case '\n': case '\r': case '\v': case '\f':
      return 1;
  }
  if (text.size() >= 2 && byte(0) == 0xC2 && (byte(1) == 0xA0 || byte(1) == 0x85)) return 2;
  if (text.size() < 3) return 0;
  if (byte(0) == 0xE1 && byte(1) == 0x9A && byte(2) == 0x80) return 3;  // U+1680
  if (byte(0) == 0xE2 && byte(1) == 0x80 &&
      (byte(2) <= 0x8B || byte(2) == 0xA8 || byte(2) == 0xA9 || byte(2) == 0xAF)) {
    return 3;  // U+2000..U+200B, U+2028, U+2029, U+202F
  }
  if (byte(0) == 0xE2 && byte(1) == 0x81 && byte(2) == 0x9F) return 3;  // U+205F
  if (byte(0) == 0xE3 && byte(1) == 0x80 && byte(2) == 0x80) return 3;  // U+3000
  if (byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF) return 3;  // U+FEFF
  return 0;
}

// Length in bytes of a non-ASCII punctuation or symbol character at the start
// of `text` that separates words, or 0: Latin-1 punctuation (U+00A1..U+00BF
// except ª and º, and × ÷) and General Punctuation (U+2010..U+2027,
// U+2030..U+205E: dashes, quotation marks, bullets, the ellipsis).
inline size_t PunctuationLength(absl::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  if (text.size() >= 2 && byte(0) == 0xC2 && byte(1) >= 0xA1 && byte(1) <= 0xBF &&
      byte(1) != 0xAA && byte(1) != 0xBA) {
    return 2;
  }
  if (text.size() >= 2 && byte(0) == 0xC3 && (byte(1) == 0x97 || byte(1) == 0xB7)) return 2;
  if (text.size() >= 3 && byte(0) == 0xE2 && byte(1) == 0x80 && byte(2) >= 0x90 &&
      byte(2) <= 0xA7) {
    return 3;  // U+2010..U+2027
  }
  if (text.size() >= 3 && byte(0) == 0xE2 &&
      ((byte(1) == 0x80 && byte(2) >= 0xB0) || (byte(1) == 0x81 && byte(2) <= 0x9E))) {
    return 3;  // U+2030..U+205E
  }
  return 0;
}

}  // namespace inrapport::flags_internal

#endif  // INRAPPORT_COMMON_FLAGS_TEXT_INTERNAL_H_
