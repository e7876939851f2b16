#include "common/text/text_safety.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace inrapport {
namespace {

constexpr absl::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed sequence at text[i], 0 if it is malformed
// (Unicode's table 3-7 of well-formed byte sequences).
size_t SequenceLength(absl::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // range of the second byte
  if (c < 0x80) {
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) low = 0xA0;   // no overlong forms
    if (c == 0xED) high = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    const unsigned char b = byte(i + k);
    if (k == 1 ? (b < low || b > high) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return length;
}

}  // namespace

bool IsValidUtf8(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = SequenceLength(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string ValidUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t length = SequenceLength(text, i);
    if (length == 0) {
      absl::StrAppend(&out, kReplacement);
      ++i;
    } else {
      absl::StrAppend(&out, text.substr(i, length));
      i += length;
    }
  }
  return out;
}

char32_t DecodeCodePoint(absl::string_view text, size_t i, size_t* length) {
  *length = SequenceLength(text, i);
  if (*length == 0) {
    *length = 1;
    return 0xFFFD;
  }
  const unsigned char c = static_cast<unsigned char>(text[i]);
  if (*length == 1) return c;
  static constexpr unsigned char kLeadMask[] = {0, 0, 0x1F, 0x0F, 0x07};
  char32_t code_point = c & kLeadMask[*length];
  for (size_t k = 1; k < *length; ++k) {
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  return code_point;
}

bool IsUnsafeCodePoint(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

namespace {

bool IsLineBreakOrTab(char32_t c) { return c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::optional<UnsafeCharacter> FindUnsafeCharacter(absl::string_view text, TextKind kind) {
  for (size_t i = 0; i < text.size();) {
    size_t length;
    const char32_t c = DecodeCodePoint(text, i, &length);
    if (IsUnsafeCodePoint(c) && !(kind == TextKind::kMultiLine && IsLineBreakOrTab(c))) {
      return UnsafeCharacter{i, c};
    }
    i += length;
  }
  return std::nullopt;
}

std::string CodePointName(char32_t c) {
  return absl::StrFormat("U+%04X", static_cast<uint32_t>(c));
}

std::string NeutraliseText(absl::string_view text, TextKind kind) {
  std::string out;
  out.reserve(text.size());
  const bool multi_line = kind == TextKind::kMultiLine;
  for (size_t i = 0; i < text.size();) {
    size_t length;
    const char32_t c = DecodeCodePoint(text, i, &length);
    if (!IsUnsafeCodePoint(c)) {
      // Includes U+FFFD for a malformed byte: the replacement, not the byte.
      if (c == 0xFFFD) {
        absl::StrAppend(&out, kReplacement);
      } else {
        absl::StrAppend(&out, text.substr(i, length));
      }
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++length;
      out.push_back(multi_line ? '\n' : ' ');
    } else if (c == '\t') {
      out.push_back(multi_line ? '\t' : ' ');
    } else {
      absl::StrAppend(&out, kReplacement);
    }
    i += length;
  }
  return out;
}

std::string EscapeHtml(absl::string_view text) {
  std::string out;
  for (char c : NeutraliseText(text, TextKind::kMultiLine)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string EscapeUnsafeInJson(absl::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (size_t i = 0; i < json.size();) {
    size_t length;
    const char32_t c = DecodeCodePoint(json, i, &length);
    if (c == 0xFFFD) {
      absl::StrAppend(&out, kReplacement);
    } else if (IsUnsafeCodePoint(c) && !IsLineBreakOrTab(c)) {
      absl::StrAppend(&out, absl::StrFormat("\\u%04x", static_cast<uint32_t>(c)));
    } else {
      absl::StrAppend(&out, json.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string QuoteValue(absl::string_view value) {
  if (value.size() <= kMaxQuotedBytes) {
    return absl::StrCat("\"", NeutraliseText(value, TextKind::kSingleLine), "\"");
  }
  size_t cut = kMaxQuotedBytes;
  // Back off continuation bytes so a character is never split (at most 3).
  for (int k = 0; k < 3 && cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80;
       ++k) {
    --cut;
  }
  return absl::StrCat("\"", NeutraliseText(value.substr(0, cut), TextKind::kSingleLine),
                      "…\" (", value.size(), " bytes)");
}

}  // namespace inrapport
