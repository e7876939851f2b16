#!/usr/bin/env bash
# The write path on the PostgreSQL store beside SQLite (docs/postgresql.md):
# unary SubmitReport and SubmitReports streams against the no-op baseline,
# inrapportd on SQLite, inrapportd on PostgreSQL, and two inrapportd replicas
# on one PostgreSQL with the load split between them.
#
#   bench/postgres.sh [--duration=S] [--smoke]
#
# Binaries from $BUILD_DIR (default build-bench/, built Release if missing
# targets) or INRAPPORTD, INRAPPORT_CLI, BENCH_LOADGEN, BENCH_NOOP_SERVER,
# BENCH_DATA. PostgreSQL comes from Debian's binaries (/usr/lib/postgresql/
# */bin), in a temporary data directory on a free port, with its defaults
# (fsync on): as durable as the SQLite store. As root it runs as "postgres".
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=10; WARMUP=2; STREAM_REPORTS=10000; DUTIES=500
for arg in "$@"; do
  case "$arg" in
    --duration=*) DURATION=${arg#--duration=} ;;
    --smoke) DURATION=1; WARMUP=0.3; STREAM_REPORTS=1000; DUTIES=50 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "postgres.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
UNARY_LEVELS=(1 16 64)
STREAM_LEVELS=(1 4)

if [[ -z ${INRAPPORTD:-} ]]; then
  BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" -j "${BENCH_JOBS:-2}" --target inrapportd inrapport loadgen \
    noop_server bench_data
  INRAPPORTD=$BUILD_DIR/services/server/inrapportd
  INRAPPORT_CLI=$BUILD_DIR/services/cli/inrapport
  BENCH_LOADGEN=$BUILD_DIR/bench/loadgen
  BENCH_NOOP_SERVER=$BUILD_DIR/bench/noop_server
  BENCH_DATA=$BUILD_DIR/bench/bench_data
fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x $PGBIN/pg_ctl ]] || { echo "postgres.sh: PostgreSQL is not installed" >&2; exit 2; }
WORK=$(mktemp -d /tmp/inrapport-pgbench.XXXXXX)
AS=()
if [[ $(id -u) == 0 ]]; then chown postgres "$WORK"; AS=(runuser -u postgres --); fi
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do wait "$pid" 2>/dev/null || true; done
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${AS[@]}" "$PGBIN/initdb" -D "$WORK/pg" -U inrapport --auth=trust --no-locale -E UTF8 >/dev/null
"${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
  -o "-h 127.0.0.1 -p $PORT -k $WORK -c max_connections=50" start >/dev/null
"${AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U inrapport -d postgres -qc 'CREATE DATABASE a' 
"${AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U inrapport -d postgres -qc 'CREATE DATABASE b'
URI_A="postgresql://inrapport@127.0.0.1:$PORT/a"
URI_B="postgresql://inrapport@127.0.0.1:$PORT/b"

start() {  # log command...: sets ADDR
  local log=$1; shift
  "$@" 2>"$log" &
  PIDS+=("$!")
  local i
  for i in $(seq 1 3000); do
    ADDR=$(sed -n 's/.*event=listening service=grpc address=\([^ ]*\).*/\1/p' "$log" | head -1)
    [[ -n $ADDR ]] && return 0
    sleep 0.01
  done
  echo "postgres.sh: no listening line:" >&2; cat "$log" >&2; exit 1
}
server() {  # name db
  start "$WORK/$1.log" "$INRAPPORTD" --db="$2" --listen=127.0.0.1:0 \
    --metrics_listen=127.0.0.1:0 --shutdown_grace=2s
}

"$BENCH_DATA" duties-csv --duties="$DUTIES" >"$WORK/duties.csv"
start "$WORK/noop.log" "$BENCH_NOOP_SERVER" --listen=127.0.0.1:0; NOOP=$ADDR
server sqlite "$WORK/sqlite.db"; SQLITE=$ADDR
server pg "$URI_A"; PG=$ADDR
server pg2a "$URI_B"; PG2A=$ADDR
server pg2b "$URI_B"; PG2B=$ADDR
for addr in "$SQLITE" "$PG" "$PG2A"; do
  "$INRAPPORT_CLI" --server="$addr" import-duties "$WORK/duties.csv" >/dev/null
done
sleep 2  # replica b learns the duties through its change feed (1 s interval)

# reports/s p50 p99 of one loadgen run (or the sum/max of two at once).
load() {  # target args...
  local target=$1; shift
  "$BENCH_LOADGEN" --target="$target" --duties="$DUTIES" --duration="$DURATION" \
    --warmup="$WARMUP" "$@" 2>/dev/null | grep '^{'
}
field() { sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" <<<"$1"; }
row() {  # label noop-json json [json2]
  local base r p50 p99 ratio
  base=$(field "$2" reports_per_s)
  r=$(field "$3" reports_per_s); p50=$(field "$3" p50_ms); p99=$(field "$3" p99_ms)
  if [[ -n ${4:-} ]]; then
    r=$(awk -v a="$r" -v b="$(field "$4" reports_per_s)" 'BEGIN {print a + b}')
    p50=$(awk -v a="$p50" -v b="$(field "$4" p50_ms)" 'BEGIN {print ((a > b) ? a : b)}')
    p99=$(awk -v a="$p99" -v b="$(field "$4" p99_ms)" 'BEGIN {print ((a > b) ? a : b)}')
  fi
  ratio=$(awk -v r="$r" -v b="$base" 'BEGIN {printf "%.3f", (b > 0) ? r / b : 0}')
  printf '| %s | %.0f | %.3f | %.3f | %s |\n' "$1" "$r" "$p50" "$p99" "$ratio"
}

echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), $(nproc) cores, ${DURATION}s per run"
echo
echo "| scenario | reports/s | p50 ms | p99 ms | ratio to no-op |"
echo "|---|---:|---:|---:|---:|"
for c in "${UNARY_LEVELS[@]}"; do
  noop=$(load "$NOOP" --scenario=noop --concurrency="$c")
  row "no-op unary c=$c" "$noop" "$noop"
  row "SQLite unary c=$c" "$noop" "$(load "$SQLITE" --scenario=unary --concurrency="$c")"
  row "PostgreSQL unary c=$c" "$noop" "$(load "$PG" --scenario=unary --concurrency="$c")"
  if (( c > 1 )); then
    half=$((c / 2))
    load "$PG2A" --scenario=unary --concurrency="$half" >"$WORK/a.json" &
    pa=$!
    b=$(load "$PG2B" --scenario=unary --concurrency="$half")
    wait "$pa"
    row "PostgreSQL 2 replicas unary c=$half+$half" "$noop" "$(cat "$WORK/a.json")" "$b"
  fi
done
for c in "${STREAM_LEVELS[@]}"; do
  args=(--scenario=stream --concurrency="$c" --reports_per_stream="$STREAM_REPORTS")
  noop=$(load "$NOOP" "${args[@]}")
  row "no-op stream c=$c" "$noop" "$noop"
  row "SQLite stream c=$c" "$noop" "$(load "$SQLITE" "${args[@]}")"
  row "PostgreSQL stream c=$c" "$noop" "$(load "$PG" "${args[@]}")"
done
