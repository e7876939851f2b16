#!/usr/bin/env bash
# Installs what is missing, builds, and runs inrapportd on its embedded SQLite
# store (var/inrapport.db). Extra arguments go to inrapportd, e.g.
#   scripts/run.sh --listen 0.0.0.0:50051 --tariff_sek_per_hour 450
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/install-deps.sh"
"$repo/scripts/build.sh"
mkdir -p "$repo/var"
exec "$repo/build/services/server/inrapportd" --db "$repo/var/inrapport.db" "$@"
