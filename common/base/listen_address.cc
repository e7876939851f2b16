#include "common/base/listen_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

#include "absl/strings/match.h"

namespace inrapport {

bool IsLoopbackListenAddress(absl::string_view listen) {
  absl::string_view host;
  if (absl::StartsWith(listen, "[")) {
    // [IPv6] or [IPv6]:PORT
    const size_t close = listen.find(']');
    if (close == absl::string_view::npos) return false;
    const absl::string_view rest = listen.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return false;
    host = listen.substr(1, close - 1);
  } else {
    const size_t colon = listen.rfind(':');
    host = colon == absl::string_view::npos ? listen : listen.substr(0, colon);
  }
  if (host == "localhost") return true;
  // inet_pton reads a C string: a host with a NUL in it is no address.
  if (host.find('\0') != absl::string_view::npos) return false;
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, text.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

}  // namespace inrapport
