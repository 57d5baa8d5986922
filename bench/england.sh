#!/usr/bin/env bash
# The England benchmark (docs/benchmark.md, DESIGN §7) in one go, on this machine:
#   rxstress run scenarios/bench/england.yaml --paths N --threads 1
#   rxstress run scenarios/bench/england.yaml --paths N --threads $(nproc)
#   rxstress run scenarios/bench/england.yaml --paths 4N --threads $(nproc)   (flat memory check)
#   /usr/bin/python3 $RXSTRESS_PEER --paths N --out FILE                    (the NumPy peer, if any)
#   build-bench/bench/rxstress_bench                                          (micro-benchmarks)
#   bench/instructions.sh build-bench/rxstress 32          (callgrind, where valgrind is installed)
# and regenerates bench/RESULTS.md: wall time, practice-months/s, peak memory, ratios, the
# micro-benchmark floor and per-driver rates, instructions per practice-month, each against the
# targets of DESIGN §7.
#
# usage: bench/england.sh [--paths N] [--quick] [--no-micro]
#   --paths N   paths of the runs (default 10000, the headline figure)
#   --quick     N = 1000 and short micro-benchmarks: a smoke test of this script
#   --no-micro  skip the micro-benchmarks and callgrind (RESULTS.md then has no floor, driver rates
#               or instruction counts)
# environment: RXSTRESS_PEER (the NumPy peer script, optional: without it the peer is not run, the
#   figures are printed and RESULTS.md says the peer was not run), RXSTRESS_BUILD_DIR
#   (default build-bench), RXSTRESS_BENCH_TMP (where the results files go while measured; 4N
#   paths take a few GB at N = 10000), RXSTRESS_BENCH_KEEP (a directory to keep the raw
#   measurements in; `bench/report.py DIR bench/RESULTS.md` re-renders from it).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

N=10000
QUICK=0
MICRO=1
while [ $# -gt 0 ]; do
  case "$1" in
    --paths) N=${2:?--paths needs a number}; shift 2 ;;
    --paths=*) N=${1#--paths=}; shift ;;
    --quick) QUICK=1; N=1000; shift ;;
    --no-micro) MICRO=0; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "england.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$N" in ''|*[!0-9]*) echo "england.sh: --paths needs a positive integer" >&2; exit 2 ;; esac
[ "$N" -ge 1 ] || { echo "england.sh: --paths needs a positive integer" >&2; exit 2; }

PY=/usr/bin/python3
PEER=${RXSTRESS_PEER:-}
BUILD=${RXSTRESS_BUILD_DIR:-build-bench}
SCENARIO=scenarios/bench/england.yaml
NPROC=$(nproc)
N4=$((4 * N))
if [ -z "$PEER" ]; then
  echo "england.sh: RXSTRESS_PEER is not set: no comparison with the NumPy peer" >&2
elif [ ! -f "$PEER" ]; then
  echo "england.sh: no NumPy peer at $PEER (RXSTRESS_PEER)" >&2; exit 1
fi
[ -x "$PY" ] || { echo "england.sh: $PY is needed (the peer and the report)" >&2; exit 1; }

# GNU time for peak resident memory.
if [ ! -x /usr/bin/time ]; then
  echo "england.sh: installing GNU time (apt)" >&2
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
fi

# Build (Release) when needed: ninja does nothing when everything is up to date.
if [ ! -f "$BUILD/build.ninja" ] || ! grep -q '^RXSTRESS_BUILD_BENCH:BOOL=ON' "$BUILD/CMakeCache.txt" \
   || ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release' "$BUILD/CMakeCache.txt"; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRXSTRESS_BUILD_BENCH=ON \
    -DRXSTRESS_BUILD_TESTS=OFF >/dev/null
fi
TARGETS=(rxstress); [ "$MICRO" -eq 1 ] && TARGETS+=(rxstress_bench)
echo "england.sh: building ${TARGETS[*]} in $BUILD (Release)" >&2
cmake --build "$BUILD" -j2 --target "${TARGETS[@]}" >&2
RX="$BUILD/rxstress"

TMP=$(mktemp -d "${RXSTRESS_BENCH_TMP:-${TMPDIR:-/tmp}}/rxstress-bench.XXXXXX")
SAMPLER=
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
FACTS="$TMP/facts.txt"
: >"$FACTS"
fact() { printf '%s=%s\n' "$1" "$2" >>"$FACTS"; }

DIRTY=; [ -n "$(git status --porcelain 2>/dev/null)" ] && DIRTY=-dirty
fact tmpdir "$TMP"
fact commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$DIRTY"
fact nproc "$NPROC"
fact cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
fact date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
fact paths "$N"
fact paths4 "$N4"
fact quick "$QUICK"
fact peer "$PEER"
fact load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
fact compilers_start "$(pgrep -c -x cc1plus || true)"

# Background sampler: load average and other people's compilers while we measure.
(
  while :; do
    echo "$(cut -d' ' -f1 /proc/loadavg) $(pgrep -c -x cc1plus || true)"
    sleep 2
  done
) >"$TMP/sampler.txt" 2>/dev/null &
SAMPLER=$!

# probe NAME: the rate at which this machine fills fresh page-cache pages, a new 1 GiB file written
# by dd without a sync (MB/s). A virtual machine backs each fresh guest page on its first touch,
# and how dear that is changes from hour to hour (181-599 MB/s against 11 GB/s for a file
# overwritten, 2026-12-03): the results files' writing depends on it, so the report shows it.
probe() {
  sync
  fact "$1" "$(LC_ALL=C dd if=/dev/zero of="$TMP/probe" bs=4M count=256 2>&1 |
    awk '/copied/ { printf "%.0f", $1 / $(NF - 3) / 1e6 }')"
  rm -f "$TMP/probe"
  sync
}

# measure NAME COMMAND...: wall seconds, peak RSS; stdout/stderr kept for the report.
measure() {
  local name=$1; shift
  echo "england.sh: $name: $*" >&2
  # Each run starts with no dirty pages of earlier runs (the micro-benchmarks' writer files, the
  # last results file) still going to disk: without this, a run's writes are throttled by its
  # predecessor's write-back (10,000 paths: write stage 2.49 s after the micro-benchmarks).
  sync
  fact "${name}_load" "$(cut -d' ' -f1-3 /proc/loadavg)"
  local t0 t1
  t0=$(date +%s.%N)
  if ! /usr/bin/time -v -o "$TMP/$name.time" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"; then
    echo "england.sh: $name failed:" >&2
    tail -20 "$TMP/$name.err" >&2
    exit 1
  fi
  t1=$(date +%s.%N)
  fact "${name}_wall" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
  fact "${name}_rss_kb" "$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$TMP/$name.time")"
  fact "${name}_cpu_s" "$(awk -F: '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$TMP/$name.time")"
  fact "${name}_cmd" "$*"
}

# Micro-benchmarks first (single-threaded; the numbers of the floor and the drivers).
if [ "$MICRO" -eq 1 ]; then
  MIN_TIME=0.5; REPS=3; [ "$QUICK" -eq 1 ] && { MIN_TIME=0.1; REPS=1; }
  echo "england.sh: micro-benchmarks (min time ${MIN_TIME}s each)" >&2
  "$BUILD/bench/rxstress_bench" --benchmark_min_time="$MIN_TIME" --benchmark_repetitions="$REPS" \
    --benchmark_out="$TMP/micro.json" --benchmark_out_format=json >"$TMP/micro.txt" 2>&1 || {
    echo "england.sh: micro-benchmarks failed:" >&2; tail -20 "$TMP/micro.txt" >&2; exit 1; }
  fact micro_cmd "$BUILD/bench/rxstress_bench --benchmark_min_time=$MIN_TIME --benchmark_repetitions=$REPS --benchmark_out=micro.json --benchmark_out_format=json"
  fact micro_repetitions "$REPS"
  # Instructions per practice-month under callgrind (bench/instructions.sh, the AVX2 target): a
  # figure that other load on the machine does not move. Only where valgrind is installed (apt-get
  # install valgrind); RESULTS.md says when it was not run.
  if command -v valgrind >/dev/null; then
    IPATHS=32; [ "$QUICK" -eq 1 ] && IPATHS=4
    echo "england.sh: callgrind, $IPATHS paths (bench/instructions.sh)" >&2
    bash "$ROOT/bench/instructions.sh" "$RX" "$IPATHS" >"$TMP/instructions.txt" 2>"$TMP/instructions.err" || {
      echo "england.sh: bench/instructions.sh failed:" >&2; tail -20 "$TMP/instructions.err" >&2; exit 1; }
    cat "$TMP/instructions.txt" >>"$FACTS"
    fact instructions_cmd "bash bench/instructions.sh $RX $IPATHS"
  else
    fact instructions_missing "valgrind is not installed"
  fi
fi

TIMINGS=()
# Captured, not piped into grep -q: under pipefail an early grep exit fails the pipe.
run_help=$("$RX" run --help 2>&1 || true)
if [[ $run_help == *--timings* ]]; then TIMINGS=(--timings); fi
fact timings_flag "${TIMINGS[*]:-}"

keep_size() { fact "$1_file_mb" "$(du -m "$2" | cut -f1)"; rm -f "$2"; }

probe page_cache_start_mb_s
measure rx1 "$RX" run "$SCENARIO" --paths "$N" --threads 1 -o "$TMP/rx1.h5" --force "${TIMINGS[@]}"
keep_size rx1 "$TMP/rx1.h5"
measure rxall "$RX" run "$SCENARIO" --paths "$N" --threads "$NPROC" -o "$TMP/rxall.h5" --force "${TIMINGS[@]}"
keep_size rxall "$TMP/rxall.h5"
if [ -n "$PEER" ]; then
  measure peer "$PY" "$PEER" --paths "$N" --out "$TMP/peer.h5"
  keep_size peer "$TMP/peer.h5"
fi
measure rx4 "$RX" run "$SCENARIO" --paths "$N4" --threads "$NPROC" -o "$TMP/rx4.h5" --force "${TIMINGS[@]}"
keep_size rx4 "$TMP/rx4.h5"

probe page_cache_end_mb_s
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
SAMPLER=
fact load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
fact load_max "$(awk 'BEGIN { m = 0 } { if ($1 > m) m = $1 } END { print m }' "$TMP/sampler.txt")"
fact compilers_max "$(awk 'BEGIN { m = 0 } { if ($2 > m) m = $2 } END { print m }' "$TMP/sampler.txt")"
fact compilers_seen "$(awk '$2 > 0 { n++ } END { print n + 0 }' "$TMP/sampler.txt")"
fact samples "$(wc -l <"$TMP/sampler.txt")"

if [ -n "${RXSTRESS_BENCH_KEEP:-}" ]; then  # keep the measurements (not the results files)
  mkdir -p "$RXSTRESS_BENCH_KEEP"
  find "$TMP" -maxdepth 1 -type f ! -name '*.h5' -exec cp {} "$RXSTRESS_BENCH_KEEP" \;
fi
if [ -z "$PEER" ]; then  # no peer: the figures printed too (RESULTS.md says the peer was not run)
  grep -E '^(rx1|rxall|rx4)_(wall|rss_kb|cpu_s)=' "$FACTS"
fi
"$PY" "$ROOT/bench/report.py" "$TMP" "$ROOT/bench/RESULTS.md"
echo "england.sh: wrote bench/RESULTS.md" >&2
