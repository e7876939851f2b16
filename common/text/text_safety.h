// Text from clients is stored as sent but must reach no reader raw: this is
// the one place that says which characters are unsafe, how output makes them
// inert, and how a message quotes a caller's value. Validation refuses
// unsafe characters (validation.h); every renderer and the CLI still pass
// text through NeutraliseText, for text stored before that rule or arriving
// by another path. All functions are pure and thread-safe.
#ifndef INRAPPORT_COMMON_TEXT_TEXT_SAFETY_H_
#define INRAPPORT_COMMON_TEXT_TEXT_SAFETY_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace inrapport {

// True if `text` is well-formed UTF-8: no overlong forms, surrogates, code
// points past U+10FFFF, stray continuation bytes or truncated sequences.
bool IsValidUtf8(absl::string_view text);

// `text` with every malformed UTF-8 sequence replaced by U+FFFD, byte by
// byte, so a strict reader (JSON.parse, a browser in UTF-8) never sees
// invalid bytes. Valid text is returned unchanged.
std::string ValidUtf8(absl::string_view text);

// The code point of the well-formed UTF-8 sequence starting at text[i], and
// its length in *length. For a malformed sequence returns U+FFFD with
// *length = 1. Requires i < text.size().
char32_t DecodeCodePoint(absl::string_view text, size_t i, size_t* length);

// Characters that can hide, reorder or forge what a reader sees, or drive a
// terminal: the C0 controls U+0000..U+001F (NUL, BEL, ESC, tab, line
// breaks...), DEL U+007F, the C1 controls U+0080..U+009F, the bidirectional
// embeddings and overrides U+202A..U+202E, the isolates U+2066..U+2069, and
// the direction marks U+200E, U+200F and U+061C.
bool IsUnsafeCodePoint(char32_t c);

// Whether a text may span lines. Multi-line text (a purpose, a comment, a
// note) may hold tab, LF and CR; single-line text (a title, an item, an id,
// a link) holds no control character at all.
enum class TextKind { kSingleLine, kMultiLine };

struct UnsafeCharacter {
  size_t offset = 0;     // byte offset in the text
  char32_t code_point = 0;
};

// The first unsafe character of `text` that `kind` does not allow; nullopt
// if there is none. Malformed UTF-8 is not judged here (IsValidUtf8 is).
std::optional<UnsafeCharacter> FindUnsafeCharacter(absl::string_view text, TextKind kind);

// "U+001B".
std::string CodePointName(char32_t c);

// `text` made inert for any reader: malformed UTF-8 and every unsafe
// character become U+FFFD, except that tab, CR LF, CR and LF become one
// space in single-line text, and a tab and an LF (for CR LF or a lone CR)
// in multi-line text. Safe text is returned unchanged.
std::string NeutraliseText(absl::string_view text, TextKind kind);

// `text` neutralised as multi-line text, then made inert in HTML element
// content or a quoted attribute value: & < > " ' become entities; line
// breaks and tabs stay (for white-space: pre-line).
std::string EscapeHtml(absl::string_view text);

// A JSON text with every unsafe character other than JSON's whitespace
// (tab, LF, CR) written as a \u escape, and malformed UTF-8 as U+FFFD. Such
// characters can only stand inside strings, so the result is the same JSON
// value; for JSON from a serialiser whose escaping is not ours.
std::string EscapeUnsafeInJson(absl::string_view json);

// A caller's value quoted for an error message, bounded whatever its size:
// at most kMaxQuotedBytes of it (cut on a UTF-8 boundary), neutralised as
// single-line text, in double quotes, and when cut, followed by an ellipsis
// and the value's full size: "2025Q1xxxx…" (65536 bytes).
inline constexpr size_t kMaxQuotedBytes = 64;
std::string QuoteValue(absl::string_view value);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_TEXT_TEXT_SAFETY_H_
