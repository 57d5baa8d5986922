#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) and runs them.
#
#   tools/fuzz.sh [SECONDS] [TARGET...]     TARGET: scenario (default) | csv | all
#
# Each target runs SECONDS (default 60) with -timeout=5 -rss_limit_mb=2048, starting from the seed
# corpus (tests/fuzz/corpus/<target>, scenarios/, tests/data/, tests/data/bad-scenarios/) and the
# corpus grown by earlier runs (build-fuzz/corpus/<target>, not committed). Prints the executions
# and the findings; exits 1 if there is any finding (build-fuzz/findings/<target>/).
#   FUZZ_KEEP_GOING=1   carry on after a finding (libFuzzer -fork=1 -ignore_crashes=1 ...)
#   FUZZ_JOBS=N         build parallelism (default 2)
#   FUZZ_BUILD_DIR=DIR  build directory (default build-fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-60}
shift || true
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(scenario)
[[ ${targets[0]} == all ]] && targets=(scenario csv)
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: tools/fuzz.sh [SECONDS] [scenario|csv|all]" >&2; exit 2; }
build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-2}

# clang and its libFuzzer runtime (Debian bookworm: clang 14).
if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz.sh: installing clang and libclang-rt-14-dev" >&2
  SUDO=; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev
fi

generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DRXSTRESS_BUILD_FUZZ=ON -DRXSTRESS_BUILD_TESTS=OFF -DRXSTRESS_SANITIZE= >/dev/null
fi
exes=()
for t in "${targets[@]}"; do
  case $t in
    scenario) exes+=(fuzz_scenario) ;;
    csv) exes+=(fuzz_practices_csv) ;;
    *) echo "fuzz.sh: unknown target '$t' (scenario, csv or all)" >&2; exit 2 ;;
  esac
done
cmake --build "$build" -j"$jobs" --target "${exes[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# A scratch directory is the fuzzer's working directory: relative CSV paths of the scenario
# seeds (population.file: practices.csv) resolve there.
work=$root/$build/work
mkdir -p "$work"
cp "$root"/tests/data/*.csv "$work"/ 2>/dev/null || true

status=0
for t in "${targets[@]}"; do
  exe=fuzz_scenario; [[ $t == csv ]] && exe=fuzz_practices_csv
  corpus=$root/$build/corpus/$t
  findings=$root/$build/findings/$t
  mkdir -p "$corpus" "$findings"
  seeds=()
  [[ -d $root/tests/fuzz/corpus/$t ]] && seeds+=("$root/tests/fuzz/corpus/$t")
  if [[ $t == scenario ]]; then
    seeds+=("$root/scenarios" "$root/tests/data")
    [[ -d $root/tests/data/bad-scenarios ]] && seeds+=("$root/tests/data/bad-scenarios")
    dict=(-dict="$root/tests/fuzz/scenario.dict")
  else
    seed_csv=$root/$build/seeds-csv
    mkdir -p "$seed_csv"
    find "$root/tests/data" "$root/scenarios" -name '*.csv' -exec cp {} "$seed_csv"/ \;
    seeds+=("$seed_csv")
    dict=()
  fi
  mode=()
  [[ ${FUZZ_KEEP_GOING:-0} == 1 ]] && mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  before=$(ls "$findings" | wc -l)
  log=$root/$build/fuzz-$t.log
  echo "fuzz.sh: $exe for ${seconds}s (log: $log)"
  set +e
  (cd "$work" && "$root/$build/tests/fuzz/$exe" "${mode[@]}" "${dict[@]}" \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$corpus" "${seeds[@]}") >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1 || true)
  [[ -z $runs ]] && runs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 || true)
  new=$(( $(ls "$findings" | wc -l) - before ))
  echo "fuzz.sh: $exe: exit $rc, ${runs:-?} executions, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l) files, $new new finding(s)"
  if [[ $new -gt 0 || $rc -ne 0 ]]; then
    status=1
    grep -E 'ERROR: |SUMMARY: |runtime error|fuzz: |Test unit written|deadly signal' "$log" | head -40 || true
    ls -t "$findings" | head -$(( new > 0 ? new : 5 )) | sed "s|^|  finding: $findings/|"
    echo "  reproduce: (cd $work && $root/$build/tests/fuzz/$exe FINDING)"
  fi
done
exit $status
