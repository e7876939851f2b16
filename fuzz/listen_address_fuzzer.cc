// The loopback check of --listen (common/base/listen_address.h): an
// address built from the input's bytes is loopback exactly when its
// address says so (127.0.0.0/8, ::1), with or without brackets and port;
// an arbitrary string found loopback has a host that is "localhost" or
// parses as such an address.
#include <arpa/inet.h>
#include <fuzzer/FuzzedDataProvider.h>
#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/listen_address.h"
#include "fuzz/fuzz_check.h"

namespace inrapport {
namespace {

// The independent reading: the host as inet_pton sees it.
bool HostIsLoopback(std::string host) {
  if (host == "localhost") return true;
  if (host.find('\0') != std::string::npos) return false;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

void Arbitrary(absl::string_view listen) {
  if (!IsLoopbackListenAddress(listen)) return;
  std::string host;
  if (!listen.empty() && listen.front() == '[') {
    const size_t close = listen.find(']');
    FUZZ_CHECK(close != absl::string_view::npos, listen, "no closing bracket");
    host = std::string(listen.substr(1, close - 1));
  } else {
    const size_t colon = listen.rfind(':');
    host = std::string(colon == absl::string_view::npos ? listen : listen.substr(0, colon));
  }
  FUZZ_CHECK(HostIsLoopback(host), listen, "loopback without a loopback host");
}

void Generated(FuzzedDataProvider& data) {
  const std::string port =
      data.ConsumeBool() ? absl::StrCat(":", data.ConsumeIntegral<uint16_t>()) : "";
  if (data.ConsumeBool()) {
    uint8_t bytes[4];
    for (uint8_t& b : bytes) b = data.ConsumeIntegral<uint8_t>();
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, bytes, text, sizeof(text));
    const std::string listen = absl::StrCat(text, port);
    FUZZ_CHECK(IsLoopbackListenAddress(listen) == (bytes[0] == 127), listen, "IPv4");
  } else {
    in6_addr address{};
    for (uint8_t& b : address.s6_addr) b = data.ConsumeIntegral<uint8_t>();
    if (data.ConsumeBool()) {  // make ::1 likely
      address = in6_addr{};
      address.s6_addr[15] = data.ConsumeIntegral<uint8_t>() & 1;
    }
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &address, text, sizeof(text));
    // Bracketed, with a port or without.
    const std::string listen = absl::StrCat("[", text, "]", port);
    FUZZ_CHECK(IsLoopbackListenAddress(listen) == static_cast<bool>(IN6_IS_ADDR_LOOPBACK(&address)),
               listen, "IPv6");
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
