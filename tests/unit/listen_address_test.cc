#include "common/base/listen_address.h"

#include <string>

#include "gtest/gtest.h"

namespace inrapport {
namespace {

TEST(IsLoopbackListenAddress, LoopbackAddressesAndLocalhost) {
  for (const char* listen : {"127.0.0.1:50051", "127.1.2.3:0", "localhost:50051", "[::1]:50051",
                             "::1:50051", "127.0.0.1", "localhost", "[::1]",
                             "[0:0:0:0:0:0:0:1]:1"}) {
    EXPECT_TRUE(IsLoopbackListenAddress(listen)) << listen;
  }
}

TEST(IsLoopbackListenAddress, EverythingElseIsNot) {
  for (const char* listen :
       {"0.0.0.0:50051", "[::]:50051", ":50051", "", "128.0.0.1:1", "10.0.0.1:50051",
        "127.example.org:50051", "localhost.example.org:1", "[::ffff:127.0.0.1]:1",
        "[::2]:1", "127.0.0.1.nip.io:1", "[::1", "[::1]]:1", "::1", "LOCALHOST:1x", "127.0.0.1:1:2", "[127.0.0.1]x:1"}) {
    EXPECT_FALSE(IsLoopbackListenAddress(listen)) << listen;
  }
}

TEST(IsLoopbackListenAddress, AHostWithANulIsNotAnAddress) {
  EXPECT_FALSE(IsLoopbackListenAddress(std::string("127.0.0.1\0.example.org:1", 25)));
}

}  // namespace
}  // namespace inrapport
