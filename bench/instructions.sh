#!/usr/bin/env bash
# Instructions per practice-month of the England benchmark's simulation stage, counted by
# callgrind (a figure that other load on the machine does not move: the same binary and inputs
# give the same count). Runs `rxstress run scenarios/bench/england.yaml` on PATHS paths (default 64)
# with one thread and no trajectory paths, under valgrind --tool=callgrind, and prints
# `key=value` lines: the inclusive instructions of simulate_block and of each driver's kernel,
# the aggregation and the whole run, divided by paths x 6,582 x 12.
#
# usage: bench/instructions.sh RXSTRESS_BINARY [PATHS]
# valgrind cannot run AVX-512 code: the count is of the AVX2 target (RXSTRESS_SIMD=avx2).
set -euo pipefail
binary=$1
paths=${2:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
RXSTRESS_SIMD=avx2 valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
  "$binary" run "$root/scenarios/bench/england.yaml" --paths "$paths" --threads 1 \
  -o "$work/out.h5" --quiet --set outputs.trajectories=0 >/dev/null 2>"$work/valgrind.log"
callgrind_annotate --inclusive=yes --threshold=100 "$work/cg.out" >"$work/inclusive.txt" 2>/dev/null
/usr/bin/python3 - "$work/inclusive.txt" "$paths" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
pm = int(sys.argv[2]) * 6582 * 12
def total(pattern):
    best = 0
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\(", line)
        if m and re.search(pattern, line):
            best = max(best, int(m.group(1).replace(",", "")))
    return best
print(f"instructions_paths={sys.argv[2]}")
print(f"instructions_program_per_pm={total(r'PROGRAM TOTALS') / pm:.1f}")
print(f"instructions_simulate_per_pm={total(r'rxstress::simulate_block') / pm:.1f}")
for name, pattern in (("baseline", r"N_AVX2::baseline_kernel\("),
                      ("concessions", r"N_AVX2::concessions_kernel\("),
                      ("high_cost_patients", r"N_AVX2::hcp_kernel\("),
                      ("profile_drivers", r"N_AVX2::scaled_profile_kernel\("),
                      ("aggregation", r"rxstress::aggregate_levels\("),
                      ("statistics", r"ResultsWriter::write_statistics\(")):
    print(f"instructions_{name}_per_pm={total(pattern) / pm:.1f}")
PY
