# inrapportd and the inrapport CLI on Debian 12, in two stages: the build
# stage has the compilers and -dev packages, the runtime stage only the shared
# libraries the two binaries load. scripts/build-image.sh builds and checks it
# on a machine with no image registry.
#
# Health: the image has no HEALTHCHECK, because it carries no gRPC client to
# run one. inrapportd serves the standard grpc.health.v1.Health service
# (overall service "" is SERVING once the store is open), so orchestrators
# probe it over gRPC: Kubernetes' native grpc probe on port 50051
# (deploy/kubernetes/deployment.yaml), or grpc-health-probe from outside.

FROM docker.io/library/debian:bookworm-slim AS build

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler \
      libabsl-dev prometheus-cpp-dev libsqlite3-dev libssl-dev libpq-dev \
      libcivetweb-dev golang-github-gogo-googleapis-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# Only what the two binaries are built from; tests, docs and deploy files stay
# out, so editing them does not invalidate the compile layer.
COPY CMakeLists.txt ./
COPY data/ data/
COPY proto/ proto/
COPY common/ common/
COPY services/ services/

# Parallel compile jobs; each gRPC translation unit takes about 1 GiB.
# Tests and benchmarks are off: their sources are not copied in.
ARG JOBS=2
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DINRAPPORT_BUILD_TESTS=OFF -DINRAPPORT_BUILD_BENCH=OFF \
 && cmake --build /build -j "${JOBS}" --target inrapportd inrapport \
 && install -D -m 0755 -s /build/services/server/inrapportd /out/inrapportd \
 && install -D -m 0755 -s /build/services/cli/inrapport /out/inrapport

FROM docker.io/library/debian:bookworm-slim

# Runtime libraries only (their dependencies, such as libgrpc29, libre2-9,
# libc-ares2, libssl3 and libcivetweb1, come with them), libpq5 for the
# PostgreSQL store (docs/postgresql.md), and the sqlite3 shell for online
# backups in a running container (docs/operations.md).
# HTTPS on the HTTP face needs libssl3 and no libssl-dev, although Debian's
# civetweb dlopens the -dev names libssl.so and libcrypto.so: inrapportd
# carries libraries of those names itself (services/http/civetweb_tls.h).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libgrpc++1.51 libprotobuf32 libabsl20220623 \
      libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 libcivetweb1 libsqlite3-0 libpq5 \
      sqlite3 \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log

# A fixed, non-root uid so that Kubernetes' runAsNonRoot can verify it and
# volume permissions can be set for it (deploy/kubernetes/deployment.yaml
# runs as the same uid).
RUN groupadd --gid 10001 inrapport \
 && useradd --uid 10001 --gid 10001 --no-create-home \
      --home-dir /var/lib/inrapport --shell /usr/sbin/nologin inrapport \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/inrapport

COPY --from=build /out/inrapportd /out/inrapport /usr/local/bin/

# The SQLite database (and its -wal and -shm files) lives here; mount a volume
# on a local disk, never a network file system.
VOLUME ["/var/lib/inrapport"]
WORKDIR /var/lib/inrapport
USER 10001:10001

# The project version, passed by scripts/build-image.sh from CMakeLists.txt.
ARG VERSION=dev
LABEL org.opencontainers.image.title="inrapport" \
      org.opencontainers.image.description="inrapportd records the reports Swedish municipalities submit to state agencies and the staff time each took, over gRPC, and publishes Prometheus metrics; includes the inrapport CLI." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.base.name="docker.io/library/debian:bookworm-slim"

# 50051: gRPC (the API, grpc.health.v1.Health and server reflection).
# 9464: Prometheus metrics over HTTP at /metrics.
EXPOSE 50051 9464

ENTRYPOINT ["inrapportd"]
# Listen on all interfaces inside the container; the defaults are loopback.
# Callers need a bearer token: mount the tokens file (hashes only, see
# docs/security.md) at /etc/inrapport/tokens. Without one the server does not
# start, because serving all interfaces unauthenticated is never a default.
CMD ["--listen=0.0.0.0:50051", "--metrics_listen=0.0.0.0:9464", "--db=/var/lib/inrapport/inrapport.db", "--tokens_file=/etc/inrapport/tokens", "--drain_delay=5s"]
