#!/usr/bin/env bash
# Strong scaling of the MPI build on this machine (issue 14), England benchmark:
#   A  rxstress run scenarios/bench/england.yaml --paths N --threads 1           1 rank x 1 thread
#   B  mpirun -n 1 rxstress run ... --threads 2                                   1 rank x 2 threads
#   C  mpirun -n 2 rxstress run ... --threads 1                                   2 ranks x 1 thread
# each under /usr/bin/time (wall, peak memory) with --timings; B's and C's files are compared with
# A's (tools/same-results.sh, bit for bit). It writes the section between the scaling markers of
# bench/RESULTS.md (bench/report.py keeps it when england.sh re-renders the rest): the parallel
# efficiencies, C's time in MPI agreements and collective writes, and a model of 10^6 England paths
# on 1, 8 and 64 nodes from the measured rates (an estimate: its assumptions are printed with it).
#
# usage: bench/scaling.sh [--paths N]      (default 10000)
# environment: RXSTRESS_MPI_BUILD_DIR (default build-mpi: bash tools/mpi.sh builds it),
#   RXSTRESS_BENCH_TMP (where the files go while measured; default a temporary directory)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=10000
[[ ${1:-} == --paths ]] && N=${2:?--paths needs a number}
BIN=${RXSTRESS_MPI_BUILD_DIR:-build-mpi}/rxstress
[[ -x $BIN ]] || { echo "scaling.sh: no MPI build at $BIN (bash tools/mpi.sh)" >&2; exit 1; }
TMP=${RXSTRESS_BENCH_TMP:-$(mktemp -d)}
mkdir -p "$TMP"
trap 'rm -f "$TMP"/*.h5' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
SCENARIO=scenarios/bench/england.yaml
run() {  # name, launcher words..., then rxstress arguments after --
  local name=$1; shift
  local launcher=()
  while [[ $1 != -- ]]; do launcher+=("$1"); shift; done
  shift
  echo "scaling.sh: $name: ${launcher[*]} $BIN run $SCENARIO --paths $N $*" >&2
  # The previous run's file written back to disk first, so that its writeback does not slow this.
  rm -f "$TMP"/*.h5.partial-* && sync && sleep 10
  /usr/bin/time -f "wall %e\nmaxrss_kb %M" -o "$TMP/$name.time" \
    "${launcher[@]}" "$BIN" run "$SCENARIO" --paths "$N" --quiet --timings -o "$TMP/$name.h5" "$@" \
    2>"$TMP/$name.err"
}
run A -- --threads 1
run B mpirun --bind-to none -n 1 -- --threads 2
run C mpirun --bind-to none -n 2 -- --threads 1
for x in B C; do
  [[ -f $TMP/$x.h5 ]] || { cat "$TMP/$x.err"; exit 1; }
  bash tools/same-results.sh "$TMP/A.h5" "$TMP/$x.h5" >"$TMP/$x.same" ||
    { cat "$TMP/$x.same"; echo "scaling.sh: $x differs from A" >&2; exit 1; }
done
stat -c %s "$TMP/A.h5" >"$TMP/A.bytes"
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
simd=$("$BIN" run "$SCENARIO" --paths 1 --threads 1 --no-output 2>/dev/null | sed -n 's/.*thread, \(.*\)$/\1/p' | head -1)
python3 bench/scaling_report.py "$TMP" "$N" "$cpu" "$simd" "$(git describe --always --dirty)" \
  "$(date -u +%Y-%m-%d)" bench/RESULTS.md
echo "scaling.sh: bench/RESULTS.md updated" >&2
