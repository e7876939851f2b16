#!/usr/bin/env bash
# The benchmark of docs/performance.md, in one command:
#
#   bench/run.sh            the full run (about 15 minutes with 1 and 10 million reports)
#   bench/run.sh --smoke    every scenario for a second or so on small data (< 60 s)
#
# Options:
#   --reports=N[,N...]   stored reports for the summary, restart and memory
#                        scenarios, loaded in growing steps (default
#                        1000000,10000000; smoke 20000)
#   --duration=S         seconds each load scenario is measured (default 10; smoke 0.7)
#   --no-install         never apt-get (h2load is skipped if it is missing)
#   --keep               keep the temporary directory (databases, logs)
#
# Builds build-bench/ (Release) unless the binaries are given in INRAPPORTD,
# INRAPPORT_CLI, BENCH_LOADGEN, BENCH_NOOP_SERVER and BENCH_DATA (as the
# bench_smoke test does). Results: every scenario as text, then a table of
# absolute figures and ratios to the no-op baseline measured in this run,
# written also to $BENCH_OUT_DIR (default: the temporary directory) as
# results.jsonl and results.md. Exits 1 if any scenario failed (an error, no
# throughput, a report answered as a duplicate).
#
# Needs bash, coreutils, awk, sed, grep and python3; h2load (Debian package
# nghttp2-client) for the cross-check, installed unless --no-install.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SMOKE=0
INSTALL=1
KEEP=0
REPORTS=""
DURATION=""
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
    --no-install) INSTALL=0 ;;
    --keep) KEEP=1 ;;
    --reports=*) REPORTS=${arg#--reports=} ;;
    --duration=*) DURATION=${arg#--duration=} ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

if [[ $SMOKE == 1 ]]; then
  DURATION=${DURATION:-0.7}; WARMUP=0.2
  REPORTS=${REPORTS:-20000}
  DUTIES=50                     # the catalogue (its import time grows with it)
  STREAM_REPORTS=1000           # reports per stream
  STREAM_DURATION=1
  SUMMARY_DURATION=0.3
  SUMMARY_AFTER_REPORT_DURATION=0.3
  SCRAPES=20
  RESTARTS=1
  H2LOAD_ARGS=(-n 2000)
  H2LOAD_STREAM_ARGS=(-n 20)
  H2LOAD_STREAM_REPORTS=1000
else
  DURATION=${DURATION:-10}; WARMUP=2
  REPORTS=${REPORTS:-1000000,10000000}
  DUTIES=500
  STREAM_REPORTS=10000
  STREAM_DURATION=$(awk -v d="$DURATION" 'BEGIN {print 2 * d}')  # a stream takes seconds
  SUMMARY_DURATION=$DURATION
  SUMMARY_AFTER_REPORT_DURATION=$(awk -v d="$DURATION" 'BEGIN {print d / 2}')
  SCRAPES=200
  RESTARTS=3
  H2LOAD_ARGS=(-D "$DURATION" --warm-up-time=2)
  H2LOAD_STREAM_ARGS=(-D "$DURATION" --warm-up-time=2)
  H2LOAD_STREAM_REPORTS=10000
fi
UNARY_LEVELS=(1 16 64 256)
STREAM_LEVELS=(1 4)
GROUPINGS=(agency duty municipality county sector period flag)

# --- binaries and tools -----------------------------------------------------
if [[ -n ${INRAPPORTD:-} && -n ${INRAPPORT_CLI:-} && -n ${BENCH_LOADGEN:-} &&
      -n ${BENCH_NOOP_SERVER:-} && -n ${BENCH_DATA:-} ]]; then
  :
else
  BUILD_DIR=${BENCH_BUILD_DIR:-$ROOT/build-bench}
  echo "== building $BUILD_DIR (Release)"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" -j "${BENCH_JOBS:-2}" --target inrapportd inrapport loadgen \
    noop_server bench_data
  INRAPPORTD=$BUILD_DIR/services/server/inrapportd
  INRAPPORT_CLI=$BUILD_DIR/services/cli/inrapport
  BENCH_LOADGEN=$BUILD_DIR/bench/loadgen
  BENCH_NOOP_SERVER=$BUILD_DIR/bench/noop_server
  BENCH_DATA=$BUILD_DIR/bench/bench_data
fi
for bin in "$INRAPPORTD" "$INRAPPORT_CLI" "$BENCH_LOADGEN" "$BENCH_NOOP_SERVER" "$BENCH_DATA"; do
  [[ -x $bin ]] || { echo "run.sh: $bin is not an executable" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "run.sh: python3 is needed for the table" >&2; exit 2; }

H2LOAD=$(command -v h2load || true)
if [[ -z $H2LOAD && $INSTALL == 1 ]]; then
  echo "== installing h2load (Debian package nghttp2-client)"
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO=sudo
  $SUDO apt-get install -y -qq nghttp2-client >/dev/null && H2LOAD=$(command -v h2load || true)
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/inrapport-bench.XXXXXX")
OUT=${BENCH_OUT_DIR:-$WORK}
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: >"$RESULTS"
FAILURES=()
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $KEEP == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

fail() { FAILURES+=("$*"); echo "FAILED: $*" >&2; }
record() { echo "$1" >>"$RESULTS"; }
now_ns() { date +%s%N; }
# $1 as a JSON string.
jstr() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}
# A field of a flat JSON object: a number, or a string without commas.
jfield() { sed -n "s/.*\"$2\":\"\{0,1\}\([^,\"}]*\).*/\1/p" <<<"$1"; }

# Starts a server with its log in $1 and waits for its gRPC listening line.
# Sets SERVER_PID, SERVER_ADDR, METRICS_ADDR (if it serves metrics),
# STARTUP_MS (from exec to the listening line, polled every 2 ms) and, for
# inrapportd, ANSWERING_MS (from exec to its loading line: the port answers,
# health NOT_SERVING, while the stored reports' figures load).
start_server() {
  local log=$1; shift
  local t0 deadline line
  # Emptied before the start, so that a log reused from the last start is
  # never read for this one's lines.
  : >"$log"
  t0=$(now_ns)
  ANSWERING_MS=""
  "$@" 2>>"$log" &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  deadline=$((t0 + 600 * 1000000000))
  until line=$(grep -m1 'event=listening service=grpc' "$log"); do
    if [[ -z $ANSWERING_MS ]] && grep -q 'event=loading' "$log"; then
      ANSWERING_MS=$(( ($(now_ns) - t0) / 1000000 ))
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "run.sh: the server exited:" >&2; cat "$log" >&2; return 1
    fi
    if (( $(now_ns) > deadline )); then echo "run.sh: no listening line in $log" >&2; return 1; fi
    sleep 0.002
  done
  STARTUP_MS=$(( ($(now_ns) - t0) / 1000000 ))
  if [[ -z $ANSWERING_MS ]] && grep -q 'event=loading' "$log"; then ANSWERING_MS=$STARTUP_MS; fi
  SERVER_ADDR=$(sed -n 's/.*event=listening service=grpc address=\([^ ]*\).*/\1/p' <<<"$line")
  METRICS_ADDR=$(sed -n 's/.*event=listening service=metrics address=\([^ ]*\).*/\1/p' "$log" |
    head -1)
}

stop_server() {
  local pid=$1 p kept=()
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${PIDS[@]+"${PIDS[@]}"}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
  PIDS=("${kept[@]+"${kept[@]}"}")
}

kib_of() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }  # pid VmHWM|VmRSS

start_inrapportd() {  # db log
  start_server "$2" "$INRAPPORTD" --db="$1" --listen=127.0.0.1:0 --metrics_listen=127.0.0.1:0 \
    --shutdown_grace=2s
}

# Runs loadgen; its JSON line goes to the results with "server" and the
# extra fields (",\"name\":value..." or empty) added.
run_load() {  # label server extra-json loadgen-args...
  local label=$1 server=$2 extra=$3; shift 3
  local out rc=0 json
  out=$("$BENCH_LOADGEN" --label="$label" --duties="$DUTIES" "$@" 2>&1) || rc=$?
  printf '%s\n' "$out" | grep -v '^{' || true
  json=$(printf '%s\n' "$out" | grep '^{' | tail -1 || true)
  if [[ -z $json ]]; then
    fail "$label: no result (exit $rc)"
    return 0
  fi
  record "${json%\}},\"server\":\"$server\"$extra}"
  if [[ $rc != 0 ]]; then
    fail "$label: errors=$(jfield "$json" errors) calls=$(jfield "$json" calls) (see the line above)"
  fi
  if [[ $server == inrapport && $(jfield "$json" scenario) =~ ^(unary|stream)$ &&
        $(jfield "$json" duplicates) != 0 ]]; then
    fail "$label: reports with fresh submission ids were answered as duplicates"
  fi
  return 0
}

fetch_metrics() {  # metrics-addr file
  "$BENCH_LOADGEN" --scenario=scrape --target="$1" --requests=1 --dump="$2" >/dev/null
}
# Calls of a method answered with a code, from grpc_server_handled_total.
handled_total() {  # metrics-addr method code
  fetch_metrics "$1" "$WORK/metrics.txt" || { echo 0; return; }
  awk -v m="grpc_method=\"$2\"" -v c="grpc_code=\"$3\"" '
    /^grpc_server_handled_total\{/ && index($0, m) && index($0, c) {v = $NF}
    END {printf "%d", v}' "$WORK/metrics.txt"
}
# The store's commit counters: "commits seconds reports" (cumulative).
store_counters() {  # metrics-addr
  fetch_metrics "$1" "$WORK/metrics.txt" || { echo "0 0 0"; return; }
  awk '$1 == "inrapport_store_commit_duration_seconds_count" {c = $2}
       $1 == "inrapport_store_commit_duration_seconds_sum" {s = $2}
       $1 == "inrapport_store_reports_per_commit_sum" {r = $2}
       END {printf "%d %s %d\n", c, s + 0, r}' "$WORK/metrics.txt"
}
# run_load against inrapportd $A, with the commits made during the run:
# how many, their mean duration and how many reports each carried.
run_load_committed() {  # label loadgen-args...
  local label=$1; shift
  local before after
  before=$(store_counters "$A_METRICS")
  run_load "$label" inrapport "" "$@"
  after=$(store_counters "$A_METRICS")
  local line
  line=$(awk -v b="$before" -v a="$after" 'BEGIN {
    split(b, x, " "); split(a, y, " "); c = y[1] - x[1]
    if (c > 0) printf ",\"commits\":%d,\"commit_ms_mean\":%.3f,\"reports_per_commit\":%.1f", c, (y[2] - x[2]) * 1000 / c, (y[3] - x[3]) / c }')
  # Amend the record run_load just wrote.
  if [[ -n $line ]]; then
    local last
    last=$(tail -1 "$RESULTS")
    sed -i '$d' "$RESULTS"
    record "${last%\}}$line}"
    echo "  store: $(jfield "$line" commits) commits, mean $(jfield "$line" commit_ms_mean) ms, $(jfield "$line" reports_per_commit) reports each"
  fi
}

scrape() {  # label metrics-addr stored-reports
  run_load "$1" inrapport ",\"stored_reports\":$3,\"duties\":$DUTIES" --scenario=scrape \
    --target="$2" --requests="$SCRAPES"
}

# --- the machine ------------------------------------------------------------
CPU_MODEL=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
MEM_GIB=$(awk '/^MemTotal:/ {printf "%.0f", $2/1048576}' /proc/meminfo)
FS=$(df -T "$WORK" | awk 'NR==2 {print $2" on "$1}')
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
GRPC_VERSION=$(dpkg-query -W -f='${Version}' libgrpc++1.51 2>/dev/null || echo unknown)
SQLITE_VERSION=$(dpkg-query -W -f='${Version}' libsqlite3-0 2>/dev/null || echo unknown)
echo "== machine: $(nproc) cores, $CPU_MODEL, ${MEM_GIB} GiB, Linux $(uname -r), $FS"
echo "== load average at start: $LOAD"
record "{\"label\":\"machine\",\"nproc\":$(nproc),\"cpu\":$(jstr "$CPU_MODEL"),\"kernel\":$(jstr "$(uname -r)"),\"mem_gib\":$MEM_GIB,\"fs\":$(jstr "$FS"),\"load_start\":$(jstr "$LOAD"),\"smoke\":$([[ $SMOKE == 1 ]] && echo true || echo false),\"grpc\":$(jstr "$GRPC_VERSION"),\"sqlite\":$(jstr "$SQLITE_VERSION")}"

# --- servers: the baseline and inrapportd on a fresh database ---------------
"$BENCH_DATA" duties-csv --duties="$DUTIES" >"$WORK/duties.csv"

start_server "$WORK/noop.log" "$BENCH_NOOP_SERVER" --listen=127.0.0.1:0
NOOP_PID=$SERVER_PID; NOOP=$SERVER_ADDR
start_inrapportd "$WORK/a.db" "$WORK/a.log"
A_PID=$SERVER_PID; A=$SERVER_ADDR; A_METRICS=$METRICS_ADDR
echo "== baseline $NOOP, inrapportd $A (metrics $A_METRICS), database $WORK/a.db"
"$INRAPPORT_CLI" --server="$A" import-duties "$WORK/duties.csv"

# --- unary SubmitReport -----------------------------------------------------
echo "== unary SubmitReport, ${DURATION}s each after ${WARMUP}s warm-up"
for c in "${UNARY_LEVELS[@]}"; do
  run_load "noop unary c=$c" noop '' --target="$NOOP" --scenario=noop --concurrency="$c" \
    --duration="$DURATION" --warmup="$WARMUP"
  run_load_committed "unary c=$c" --target="$A" --scenario=unary --concurrency="$c" \
    --duration="$DURATION" --warmup="$WARMUP"
done

# --- SubmitReports client streams -------------------------------------------
echo "== SubmitReports streams of $STREAM_REPORTS reports, ${STREAM_DURATION}s each"
for c in "${STREAM_LEVELS[@]}"; do
  run_load "noop stream c=$c" noop '' --target="$NOOP" --scenario=stream --concurrency="$c" \
    --reports_per_stream="$STREAM_REPORTS" --duration="$STREAM_DURATION" --warmup="$WARMUP"
  run_load_committed "stream c=$c" --target="$A" --scenario=stream --concurrency="$c" \
    --reports_per_stream="$STREAM_REPORTS" --duration="$STREAM_DURATION" --warmup="$WARMUP"
done

# --- h2load cross-checks: unary and stream ---------------------------------
# One pre-encoded request: every call after the first is a duplicate, which
# takes inrapport's path up to the store's duplicate check (no new row, so
# no fsync): a cross-check of the load generator and of the non-durable part.
if [[ -n $H2LOAD ]]; then
  echo "== h2load: unary SubmitReport, 1 connection, 64 streams"
  "$BENCH_LOADGEN" --duties="$DUTIES" --write_grpc_body="$WORK/submit.bin" >/dev/null
  for server in noop inrapport; do
    addr=$NOOP; [[ $server == inrapport ]] && addr=$A
    before=0
    [[ $server == inrapport ]] && before=$(handled_total "$A_METRICS" SubmitReport OK)
    if ! out=$("$H2LOAD" "${H2LOAD_ARGS[@]}" -c 1 -m 64 -t 1 -d "$WORK/submit.bin" \
        -H 'content-type: application/grpc' -H 'te: trailers' \
        "http://$addr/inrapport.v1.ReportIntake/SubmitReport" 2>&1); then
      fail "h2load $server: $out"; continue
    fi
    rps=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out")
    succeeded=$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' <<<"$out")
    mean=$(awk '/^time for request:/ {print $6}' <<<"$out")
    ok_calls=""
    if [[ $server == inrapport ]]; then
      ok_calls=$(( $(handled_total "$A_METRICS" SubmitReport OK) - before ))
    fi
    echo "h2load $server: $rps req/s, ${succeeded:-0} succeeded (HTTP), mean $mean${ok_calls:+, $ok_calls answered OK (gRPC)}"
    if [[ -z $rps || ${succeeded:-0} == 0 ]]; then
      fail "h2load $server: no successful requests: $out"; continue
    fi
    if [[ -n $ok_calls ]] && (( ok_calls < succeeded )); then
      fail "h2load inrapport: $succeeded HTTP successes but only $ok_calls calls answered OK"
    fi
    record "{\"label\":\"h2load m=64 (duplicates)\",\"scenario\":\"h2load\",\"server\":\"$server\",\"concurrency\":64,\"calls_per_s\":$rps,\"calls\":$succeeded,\"mean\":$(jstr "$mean")}"
  done
  # The same for one client stream: a body of $H2LOAD_STREAM_REPORTS
  # messages, each its own report. The first request stores them (durable),
  # every later one is a stream of duplicates.
  echo "== h2load: SubmitReports streams of $H2LOAD_STREAM_REPORTS reports, 1 connection, 1 stream at a time"
  "$BENCH_LOADGEN" --duties="$DUTIES" --reports_per_stream="$H2LOAD_STREAM_REPORTS" \
    --write_grpc_stream_body="$WORK/stream.bin" >/dev/null
  for server in noop inrapport; do
    addr=$NOOP; [[ $server == inrapport ]] && addr=$A
    before=0
    [[ $server == inrapport ]] && before=$(handled_total "$A_METRICS" SubmitReports OK)
    if ! out=$("$H2LOAD" "${H2LOAD_STREAM_ARGS[@]}" -c 1 -m 1 -t 1 -d "$WORK/stream.bin" \
        -H 'content-type: application/grpc' -H 'te: trailers' \
        "http://$addr/inrapport.v1.ReportIntake/SubmitReports" 2>&1); then
      fail "h2load stream $server: $out"; continue
    fi
    rps=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out")
    succeeded=$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' <<<"$out")
    if [[ -z $rps || ${succeeded:-0} == 0 ]]; then
      fail "h2load stream $server: no successful requests: $out"; continue
    fi
    if [[ $server == inrapport ]] &&
        (( $(handled_total "$A_METRICS" SubmitReports OK) - before < succeeded )); then
      fail "h2load stream inrapport: $succeeded HTTP successes but fewer streams answered OK"
    fi
    reports_per_s=$(awk -v r="$rps" -v n="$H2LOAD_STREAM_REPORTS" 'BEGIN {printf "%.1f", r * n}')
    echo "h2load stream $server: $rps streams/s = $reports_per_s reports/s, ${succeeded} succeeded (HTTP)"
    record "{\"label\":\"h2load stream (duplicates)\",\"scenario\":\"h2load\",\"server\":\"$server\",\"concurrency\":1,\"calls_per_s\":$rps,\"reports_per_s\":$reports_per_s,\"calls\":$succeeded}"
  done
else
  echo "== h2load: not installed (Debian package nghttp2-client); cross-check skipped"
fi

# --- a /metrics scrape with the catalogue's duties ---------------------------
echo "== /metrics with $DUTIES duties: $SCRAPES scrapes, each on a new connection"
fetch_metrics "$A_METRICS" "$WORK/metrics.txt"
A_STORED=$(awk '/^inrapport_measured_reports\{/ {s += $NF} END {printf "%d", s}' "$WORK/metrics.txt")
scrape "scrape duties=$DUTIES" "$A_METRICS" "$A_STORED"
record "{\"label\":\"peak rss after the load runs\",\"scenario\":\"rss\",\"server\":\"inrapport\",\"stored_reports\":$A_STORED,\"peak_rss_mib\":$(( $(kib_of "$A_PID" VmHWM) / 1024 ))}"
stop_server "$A_PID"

# --- stored reports: summaries, restart, memory ------------------------------
# The database is the server's own: created by inrapportd, the catalogue
# imported through the CLI, then reports bulk-loaded through the store's
# write path (bench_data load, no gRPC) while the server is stopped.
B=$WORK/b.db
start_inrapportd "$B" "$WORK/b0.log"
"$INRAPPORT_CLI" --server="$SERVER_ADDR" import-duties "$WORK/duties.csv" >/dev/null
stop_server "$SERVER_PID"
loaded=0
IFS=',' read -r -a STEPS <<<"$REPORTS"
for n in "${STEPS[@]}"; do
  echo "== $n stored reports: bulk load"
  if ! load_out=$("$BENCH_DATA" load --db="$B" --reports="$n" --from_reports="$loaded" 2>&1); then
    fail "bulk load to $n: $load_out"; break
  fi
  echo "$load_out"
  loaded=$n
  db_mib=$(du -cm "$B"* | awk 'END {print $1}')
  record "{\"label\":\"bulk load to $n\",\"scenario\":\"load\",\"server\":\"store\",\"stored_reports\":$n,\"output\":$(jstr "$load_out"),\"db_mib\":$db_mib}"

  echo "== $n stored reports: restart"
  # The bulk load writes no aggregates snapshot: the first start reads
  # every report and writes one, the next ones read it
  # (docs/architecture.md).
  startups=()
  answering=()
  sources=()
  for r in $(seq "$RESTARTS"); do
    start_inrapportd "$B" "$WORK/b.log"
    startups+=("$STARTUP_MS")
    answering+=("$ANSWERING_MS")
    if grep -q 'event=snapshot_loaded' "$WORK/b.log"; then source=snapshot; else source=reports; fi
    sources+=("\"$source\"")
    echo "restart $r: port answering (health NOT_SERVING) after $ANSWERING_MS ms, serving after $STARTUP_MS ms (exec to the listening line; health is SERVING then); figures from the $source"
    if (( r < RESTARTS )); then stop_server "$SERVER_PID"; fi
  done
  B_PID=$SERVER_PID; B_ADDR=$SERVER_ADDR; B_METRICS=$METRICS_ADDR
  record "{\"label\":\"restart with $n\",\"scenario\":\"restart\",\"server\":\"inrapport\",\"stored_reports\":$n,\"startup_ms\":[$(IFS=,; echo "${startups[*]}")],\"answering_ms\":[$(IFS=,; echo "${answering[*]}")],\"figures_from\":[$(IFS=,; echo "${sources[*]}")]}"
  record "{\"label\":\"rss after restart with $n\",\"scenario\":\"rss_start\",\"server\":\"inrapport\",\"stored_reports\":$n,\"rss_mib\":$(( $(kib_of "$B_PID" VmRSS) / 1024 ))}"

  echo "== $n stored reports: GetBurdenSummary, 1 in flight"
  mkdir -p "$WORK/summaries-$n"
  for g in "${GROUPINGS[@]}"; do
    run_load "summary $g n=$n" inrapport ",\"stored_reports\":$n" --target="$B_ADDR" \
      --scenario=summary --group_by="$g" --concurrency=1 --duration="$SUMMARY_DURATION" \
      --warmup="$WARMUP" --capture="$WORK/summaries-$n/$g.pb"
  done
  start_server "$WORK/noop-summary.log" "$BENCH_NOOP_SERVER" --listen=127.0.0.1:0 \
    --summary_dir="$WORK/summaries-$n"
  NOOP_SUMMARY_PID=$SERVER_PID
  for g in "${GROUPINGS[@]}"; do
    run_load "noop summary $g n=$n" noop ",\"stored_reports\":$n" --target="$SERVER_ADDR" \
      --scenario=summary --group_by="$g" --concurrency=1 --duration="$SUMMARY_DURATION" \
      --warmup="$WARMUP"
  done
  stop_server "$NOOP_SUMMARY_PID"
  if [[ $n == "${STEPS[-1]}" ]]; then
    # The summaries above are repeats, which the server answers again from
    # its last answer while nothing changed. These ask each right after a
    # new report, so that every one is computed (last size only: the
    # reports stay in the database).
    echo "== $n stored reports: GetBurdenSummary right after a report, 1 in flight"
    for g in "${GROUPINGS[@]}"; do
      run_load "summary after a report $g n=$n" inrapport ",\"stored_reports\":$n" \
        --target="$B_ADDR" --scenario=summary_after_report --group_by="$g" --concurrency=1 \
        --duration="$SUMMARY_AFTER_REPORT_DURATION" --warmup="$WARMUP"
    done
  fi
  scrape "scrape duties=$DUTIES n=$n" "$B_METRICS" "$n"
  peak=$(( $(kib_of "$B_PID" VmHWM) / 1024 ))
  record "{\"label\":\"peak rss with $n\",\"scenario\":\"rss\",\"server\":\"inrapport\",\"stored_reports\":$n,\"peak_rss_mib\":$peak}"
  echo "peak resident memory with $n reports: $peak MiB (VmHWM)"
  stop_server "$B_PID"
done
stop_server "$NOOP_PID"

record "{\"label\":\"machine end\",\"load_end\":$(jstr "$(cut -d' ' -f1-3 /proc/loadavg)")}"
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- the table: absolute figures and ratios to the baseline -----------------
python3 "$ROOT/bench/results_table.py" "$RESULTS" >"$OUT/results.md"
echo
cat "$OUT/results.md"
echo
echo "results: $RESULTS and $OUT/results.md"
if (( ${#FAILURES[@]} > 0 )); then
  echo "${#FAILURES[@]} scenario(s) failed:" >&2
  printf '  %s\n' "${FAILURES[@]}" >&2
  exit 1
fi
echo "every scenario ran"
