#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: unit, integration
# (the real server over gRPC), end-to-end (Node.js client, Prometheus,
# Chromium) and deployment files; then the checked builds (ASan+UBSan, TSan,
# bounded fuzzing: scripts/sanitize.sh).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/install-deps.sh"
"$repo/scripts/build.sh"
ctest --test-dir "$repo/build" --output-on-failure -j "$(nproc)" --timeout 300
"$repo/scripts/sanitize.sh"
