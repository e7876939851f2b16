// What a --listen address means for who can reach it.
#ifndef INRAPPORT_COMMON_BASE_LISTEN_ADDRESS_H_
#define INRAPPORT_COMMON_BASE_LISTEN_ADDRESS_H_

#include "absl/strings/string_view.h"

namespace inrapport {

// Whether HOST:PORT (or HOST alone) names a loopback address only:
// "localhost", an IPv4 address in 127.0.0.0/8, or the IPv6 ::1, bracketed
// or not. The host is parsed as an address, so that a name such as
// "127.example.org" is not taken for one; anything else (0.0.0.0, [::],
// a name, an empty host) is not loopback.
bool IsLoopbackListenAddress(absl::string_view listen);

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BASE_LISTEN_ADDRESS_H_
