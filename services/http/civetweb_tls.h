// TLS for civetweb listeners, with Debian 12's libcivetweb1 (1.15).
//
// That civetweb is built to dlopen "libssl.so" and "libcrypto.so" (the
// unversioned names only libssl-dev installs) and to look up OpenSSL 1.1
// function names. OpenSSL 3 has no SSL_get_peer_certificate, so civetweb's
// TLS setup fails, yet a later start goes on with that function left
// null: the first HTTPS request crashes the process right after its
// handshake (the client sees the connection reset). EnableCivetwebTls
// loads two small libraries, carried inside this binary, whose sonames are
// the names civetweb asks for: dlopen finds a loaded library by its soname
// before it searches the disk, and they supply the missing name on top of
// libssl.so.3 and libcrypto.so.3 (package libssl3, no -dev package needed).
// They are loaded from memory files (memfd), so no file ships beside the
// binary; a kernel set to refuse executable memfds (vm.memfd_noexec=2)
// makes the start fail, naming the library.
#ifndef INRAPPORT_SERVICES_HTTP_CIVETWEB_TLS_H_
#define INRAPPORT_SERVICES_HTTP_CIVETWEB_TLS_H_

#include <string>

#include "absl/status/status.h"

namespace inrapport {

// Makes civetweb's TLS usable in this process; call before the first
// mg_start with an "s" port. Idempotent: the first result stands.
absl::Status EnableCivetwebTls();

// Loads the PEM certificate chain `cert` and its private key `key` into
// `ssl_ctx` (an SSL_CTX* from civetweb's init_ssl callback), TLS 1.2 or
// later, asking for no client certificate.
absl::Status ConfigureServerTls(void* ssl_ctx, const std::string& cert, const std::string& key);

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HTTP_CIVETWEB_TLS_H_
