// What a --listen address means for who can reach it.
#ifndef INRAPPORT_COMMON_BASE_LISTEN_ADDRESS_H_
#define INRAPPORT_COMMON_BASE_LISTEN_ADDRESS_H_

#include "absl/strings/string_view.h"

namespace inrapport {

// Whether HOST:PORT (or HOST alone) names a loopback address only:
// "localhost", an IPv4 address in 127.0.0.0/8, or the IPv6 ::1 in brackets
// ("[::1]", "[::1]:50051"), or bare before a port ("::1:50051"; a bare
// "::1" is host "::" and port 1). The host is parsed as an address, so that a name such as
// "127.example.org" is not taken for one; anything else (0.0.0.0, [::],
// a name, an empty host) is not loopback.
bool IsLoopbackListenAddress(absl::string_view listen);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BASE_LISTEN_ADDRESS_H_
