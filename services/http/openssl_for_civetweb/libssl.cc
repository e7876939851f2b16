// Built as a library whose soname is libssl.so (see CMakeLists.txt): what
// Debian's civetweb 1.15 dlopens for TLS. Its dependency, libssl.so.3,
// answers every other name civetweb looks up.
#include <openssl/ssl.h>

// civetweb was built for the OpenSSL 1.1 names and refuses TLS when one is
// missing; OpenSSL 3 renamed this one (same reference counting) and left
// only a macro.
#undef SSL_get_peer_certificate
extern "C" __attribute__((visibility("default"))) X509* SSL_get_peer_certificate(const SSL* ssl) {
  return SSL_get1_peer_certificate(ssl);
}
