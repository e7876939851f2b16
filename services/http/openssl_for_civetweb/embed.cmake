# cmake -DNAME=<C++ identifier> -DIN=<file> -DOUT=<.cc> -P embed.cmake
# Writes OUT defining `extern const unsigned char NAME[]` and `NAME_size`
# with the bytes of IN.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" length)
math(EXPR size "${length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp"
  "// Generated from ${IN} by embed.cmake.\n#include <cstddef>\n"
  "namespace inrapport {\n"
  "extern const unsigned char ${NAME}[] = {\n${bytes}};\n"
  "extern const size_t ${NAME}_size = ${size};\n"
  "}  // namespace inrapport\n")
file(RENAME "${OUT}.tmp" "${OUT}")
