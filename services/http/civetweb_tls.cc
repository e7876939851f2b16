#include "services/http/civetweb_tls.h"

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>

#include "absl/base/call_once.h"
#include "absl/strings/str_cat.h"
#include "civetweb.h"
#include "openssl/err.h"
#include "openssl/ssl.h"

namespace inrapport {

// The two libraries' bytes (openssl_for_civetweb/, embedded at build time).
extern const unsigned char kCivetwebLibssl[];
extern const size_t kCivetwebLibssl_size;
extern const unsigned char kCivetwebLibcrypto[];
extern const size_t kCivetwebLibcrypto_size;

namespace {

constexpr unsigned kMfdExec = 0x0010u;  // MFD_EXEC, newer than glibc 2.36's headers

// dlopens `size` bytes of a shared library through a memory file, so the
// binary needs no file beside it. Never unloaded: civetweb keeps using it.
absl::Status LoadFromMemory(const char* name, const unsigned char* bytes, size_t size) {
  // Executable on kernels whose memfds default to not (vm.memfd_noexec=1);
  // kernels before 6.3 know no MFD_EXEC and have only executable ones.
  int fd = memfd_create(name, MFD_CLOEXEC | kMfdExec);
  if (fd < 0 && errno == EINVAL) fd = memfd_create(name, MFD_CLOEXEC);
  if (fd < 0) return absl::InternalError(absl::StrCat("memfd_create: ", std::strerror(errno)));
  size_t written = 0;
  while (written < size) {
    const ssize_t n = write(fd, bytes + written, size - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      close(fd);
      return absl::InternalError(absl::StrCat("writing ", name, ": ", std::strerror(error)));
    }
    written += static_cast<size_t>(n);
  }
  // dlopen takes a loaded library's path for the same library, so the
  // descriptor stays open for the process's life: another load from a
  // reused descriptor number would be given this library.
  const std::string path = absl::StrCat("/proc/self/fd/", fd);
  if (dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL) == nullptr) {
    close(fd);
    return absl::InternalError(absl::StrCat("loading ", name, ": ", dlerror()));
  }
  return absl::OkStatus();
}

std::string OpensslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

}  // namespace

absl::Status EnableCivetwebTls() {
  static absl::once_flag once;
  static absl::Status* result = nullptr;
  absl::call_once(once, [] {
    absl::Status status =
        LoadFromMemory("libcrypto.so", kCivetwebLibcrypto, kCivetwebLibcrypto_size);
    if (status.ok()) status = LoadFromMemory("libssl.so", kCivetwebLibssl, kCivetwebLibssl_size);
    // Held for the process's life: the last mg_exit_library would unload
    // OpenSSL's configuration modules under gRPC's feet.
    if (status.ok() && (mg_init_library(MG_FEATURES_TLS) & MG_FEATURES_TLS) == 0) {
      status = absl::InternalError("civetweb could not load OpenSSL");
    }
    result = new absl::Status(std::move(status));
  });
  return *result;
}

absl::Status ConfigureServerTls(void* ssl_ctx, const std::string& cert, const std::string& key) {
  SSL_CTX* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  ERR_clear_error();
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
    return absl::InternalError(absl::StrCat("TLS 1.2: ", OpensslError()));
  }
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("--tls_cert: ", cert, ": ", OpensslError()));
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("--tls_key: ", key, ": ", OpensslError()));
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_key: ", key, " is not the key of --tls_cert: ", OpensslError()));
  }
  // A bearer token names the caller on HTTP; client certificates are the
  // gRPC side's.
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  return absl::OkStatus();
}

}  // namespace inrapport
