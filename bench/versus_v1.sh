#!/usr/bin/env bash
# Engine v2 against engine v1 (issue 13's fallback: "at least 3x faster per core than today's"),
# on this machine, in alternating pairs whose order swaps each round, so that the machine's hour
# (page cache, host load) falls on both.
#
# Each engine runs the England benchmark with its OWN scenarios/bench/england.yaml: v1's file
# (commit 005477d) predates issue 17, whose defaults (`dispersion_scaling: list_size`, patent
# shares `per: practice`) today's loader applies to any file that does not say otherwise. Run on
# v1's file, v2 would simulate a different and costlier model (per-practice Gamma shapes need
# Marsaglia-Tsang instead of a product of four uniforms). Today's file says `none` and `per: path`:
# the same model as v1's (docs/benchmark.md).
#
# usage: bench/versus_v1.sh [--paths N] [--threads T] [--rounds R]
#   --paths N    paths of each run (default 10000)
#   --threads T  threads of each run (default 1: per core)
#   --rounds R   pairs (default 4)
# environment: RXSTRESS_BUILD_DIR (v2's Release build, default build-bench), RXSTRESS_V1_DIR (where
#   v1 is checked out (a git worktree: `git worktree remove --force DIR` when done) and built,
#   default $TMPDIR/rxstress-v1; reused when already built),
#   RXSTRESS_BENCH_TMP (where the results files go while measured)
# Needs the repository's history (a clone, not an export) and GNU time.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

V1_COMMIT=005477d
N=10000
T=1
ROUNDS=4
while [ $# -gt 0 ]; do
  case "$1" in
    --paths) N=${2:?--paths needs a number}; shift 2 ;;
    --threads) T=${2:?--threads needs a number}; shift 2 ;;
    --rounds) ROUNDS=${2:?--rounds needs a number}; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "versus_v1.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for v in "$N" "$T" "$ROUNDS"; do
  case "$v" in ''|*[!0-9]*|0) echo "versus_v1.sh: --paths, --threads and --rounds need positive integers" >&2; exit 2 ;; esac
done
[ -x /usr/bin/time ] || { echo "versus_v1.sh: needs GNU time (/usr/bin/time)" >&2; exit 1; }

BUILD=${RXSTRESS_BUILD_DIR:-build-bench}
V1=${RXSTRESS_V1_DIR:-${TMPDIR:-/tmp}/rxstress-v1}
WORK=$(mktemp -d "${RXSTRESS_BENCH_TMP:-${TMPDIR:-/tmp}}/versus-v1.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if [ ! -x "$BUILD/rxstress" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRXSTRESS_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$BUILD" -j2 --target rxstress >/dev/null
if [ ! -x "$V1/build/rxstress" ]; then
  echo "versus_v1.sh: checking out and building engine v1 ($V1_COMMIT) in $V1 (a few minutes)" >&2
  [ -d "$V1/.git" ] || [ -f "$V1/.git" ] || git worktree add --detach "$V1" "$V1_COMMIT" >/dev/null
  cmake -S "$V1" -B "$V1/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRXSTRESS_BUILD_TESTS=OFF >/dev/null
  cmake --build "$V1/build" -j2 --target rxstress >/dev/null
fi

# One timed run: prints "wall cpu" (seconds; cpu = user + system).
timed_run() {  # binary scenario
  local out="$WORK/out.h5"
  rm -f "$out"
  sync
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$1" run "$2" --paths "$N" --threads "$T" \
    -o "$out" --force --quiet
  rm -f "$out"
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$WORK/time"
}

echo "engine v1 ($V1_COMMIT) against v2 ($(git rev-parse --short HEAD)), $N England paths," \
  "$T thread(s), $ROUNDS pairs; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "| pair | order | v1 wall s (CPU) | v2 wall s (CPU) | v1 / v2 wall | v1 / v2 CPU |"
echo "|---:|---|---:|---:|---:|---:|"
: >"$WORK/ratios"
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then
    a=$(timed_run "$V1/build/rxstress" "$V1/scenarios/bench/england.yaml")
    b=$(timed_run "$BUILD/rxstress" scenarios/bench/england.yaml)
    order="v1 first"
  else
    b=$(timed_run "$BUILD/rxstress" scenarios/bench/england.yaml)
    a=$(timed_run "$V1/build/rxstress" "$V1/scenarios/bench/england.yaml")
    order="v2 first"
  fi
  read -r aw ac <<<"$a"
  read -r bw bc <<<"$b"
  rw=$(awk -v x="$aw" -v y="$bw" 'BEGIN { printf "%.2f", x / y }')
  rc=$(awk -v x="$ac" -v y="$bc" 'BEGIN { printf "%.2f", x / y }')
  echo "$rw $rc" >>"$WORK/ratios"
  echo "| $r | $order | $aw ($ac) | $bw ($bc) | ${rw}x | ${rc}x |"
done
sort -n -k1,1 "$WORK/ratios" | awk '{ w[NR] = $1 } END {
  m = NR % 2 ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2
  printf "wall ratio: least %.2fx, median %.2fx, largest %.2fx\n", w[1], m, w[NR] }'
sort -n -k2,2 "$WORK/ratios" | awk '{ c[NR] = $2 } END {
  m = NR % 2 ? c[(NR + 1) / 2] : (c[NR / 2] + c[NR / 2 + 1]) / 2
  printf "CPU ratio:  least %.2fx, median %.2fx, largest %.2fx\n", c[1], m, c[NR] }'
