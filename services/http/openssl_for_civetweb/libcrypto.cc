// Built as a library whose soname is libcrypto.so (see CMakeLists.txt): what
// Debian's civetweb 1.15 dlopens for TLS. It has nothing of its own; its
// dependency, libcrypto.so.3, answers every name civetweb looks up.
