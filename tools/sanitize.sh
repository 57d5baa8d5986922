#!/usr/bin/env bash
# Builds the project with sanitizers and runs the whole test suite (ctest) under them.
#
#   tools/sanitize.sh address   ASan + UBSan with LeakSanitizer on, -O0 -g, in build-asan.
#   tools/sanitize.sh thread    TSan, -O1 -g, in build-tsan, against a TSan-instrumented oneTBB
#                               built from Debian's own source package (cached in .cache/tbb-tsan,
#                               not committed).
#
# What runs: every ctest test, in both modes -- the Catch2 cases (engine, drivers, scenario,
# stats...), the bad-scenario corpus, the CLI, interruption, report and replay tests (which start
# the instrumented rxstress program as a child), and the notebook and calibration tests (Python
# driving the instrumented program). Under TSan that covers every test that exercises threads:
# the engine's TBB pipeline in-process ("[engine]": 1, 2 and 8 threads) and in every
# `rxstress run` that the CLI, interrupt, report, replay, notebook and calibration tests start
# (a run uses all cores by default); the single-threaded rest costs little more (about 100 s of
# tests on 2 cores), so nothing is singled out.
#
# Optimisation (measured on 2 cores, -j2): ASan + UBSan at -O0 builds in under 3 minutes against
# over 6 at -O1 (UBSan makes -O1 compiles ~3x slower), and the tests take the same time (most of
# them start processes); gcc 12 also warns falsely (-Wmaybe-uninitialized in <regex>) at -O1 with
# ASan. TSan builds in under 3 minutes at -O1 and runs faster optimised. SANITIZE_OPT overrides.
# Neither defines NDEBUG.
#
# Before the tests, a planted defect (tools/sanitizer-canary.cpp: a leak and a signed overflow for
# address, a data race for thread) is built with the same compiler and flags and run with the same
# options: it must be reported, or the stage fails (a sanitizer that cannot see a planted defect
# proves nothing when the tests pass). Every report exits 86, a status no test expects (ASan's and
# LeakSanitizer's default, 1, is the status a test expects of a failed run: a leak in the full-disk
# test used to pass that way). Reports of ASan, LSan and TSan from any process -- a test, a child
# rxstress, a program run by the Python tests -- also go to files in <build>/sanitizer-reports
# (log_path), which fail the stage even if the test that started the process did not notice;
# UBSan's runtime here ignores log_path, its reports stay on stderr and exit 86.
#
# Suppressions (each with what it hides, why it is a third-party defect and what it costs):
# tools/sanitizers/lsan.supp, one entry, HDF5 1.10 keeping a file's caches when a full disk makes
# its close fail. TSan: none.
#
# Environment: SANITIZE_JOBS (build parallelism, default 2), SANITIZE_CTEST_JOBS (default 2),
# SANITIZE_OPT (default -O0 for address, -O1 for thread), SANITIZE_BUILD_DIR (default build-asan /
# build-tsan), TBB_TSAN_CACHE (default .cache/tbb-tsan).
# Exits non-zero on any failure or sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:-}
jobs=${SANITIZE_JOBS:-2}
ctest_jobs=${SANITIZE_CTEST_JOBS:-2}
generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
SUDO=; [[ $(id -u) -ne 0 ]] && SUDO=sudo
started=$SECONDS
say() { echo "sanitize.sh [$((SECONDS - started))s]: $*"; }
case $mode in
address) sanitizers=address,undefined build=${SANITIZE_BUILD_DIR:-build-asan} opt=${SANITIZE_OPT:--O0} ;;
thread) sanitizers=thread build=${SANITIZE_BUILD_DIR:-build-tsan} opt=${SANITIZE_OPT:--O1} ;;
*)
  echo "usage: tools/sanitize.sh address|thread" >&2
  exit 2
  ;;
esac
reports=$root/$build/sanitizer-reports
# The optimisation level, with -g and without RelWithDebInfo's -DNDEBUG.
opt_flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_C_FLAGS_RELWITHDEBINFO=$opt -g"
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=$opt -g"
  # The vector kernels at -O1, not the -O2 of Debug builds: ASan + UBSan at -O2 took 267 s for
  # high_cost_patients.cpp alone (158 s at -O1, on a machine busy with another build).
  -DRXSTRESS_KERNEL_OPT=-O1)

bash tools/install-deps.sh  # the compilers' sanitizer runtimes come with build-essential (gcc 12)

# The options every instrumented process runs with (exported only after the build: the build runs
# rxstress_tests to list its test cases).
# - exitcode=86 for every report (ASan and UBSan default to 1, which tests expect for a failed run).
# - ASan: LeakSanitizer on (no MPI here, so leaks are real); use-after-return detection.
# - UBSan: a report stops the program (the build does not make it fatal by itself).
# - TSan: the first race stops the program; second_deadlock_stack for lock-order reports.
asan_options="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:exitcode=86:log_path=$reports/asan"
lsan_options="suppressions=$root/tools/sanitizers/lsan.supp:print_suppressions=0"
ubsan_options="halt_on_error=1:print_stacktrace=1:exitcode=86"
tsan_options="halt_on_error=1:second_deadlock_stack=1:exitcode=86:log_path=$reports/tsan"

# canary MODE PATTERN: builds the planted defect, runs it, requires PATTERN in its report.
canary() {
  local canary_mode=$1 pattern=$2
  local dir=$root/$build/canary
  rm -rf "$dir"
  mkdir -p "$dir"
  "$cxx" -std=c++20 "$opt" -g -fno-omit-frame-pointer -fsanitize="$sanitizers" -pthread \
    "$root/tools/sanitizer-canary.cpp" -o "$dir/canary"
  local rc=0
  ASAN_OPTIONS="$asan_options:log_path=$dir/report" UBSAN_OPTIONS="$ubsan_options" LSAN_OPTIONS="$lsan_options" \
    TSAN_OPTIONS="$tsan_options:log_path=$dir/report" \
    "$dir/canary" "$canary_mode" >"$dir/stdout" 2>"$dir/stderr" || rc=$?
  if [[ $rc -ne 86 ]] || ! grep -qs "$pattern" "$dir"/report.* "$dir/stderr"; then
    echo "sanitize.sh: the planted $canary_mode was not reported (exit $rc, expected 86 and '$pattern'):" >&2
    cat "$dir"/report.* "$dir/stderr" >&2 2>/dev/null || true
    exit 1
  fi
  say "canary: the planted $canary_mode is reported ('$pattern')"
}

if [[ $mode == thread ]]; then
  cache=${TBB_TSAN_CACHE:-$root/.cache/tbb-tsan}
  prefix=$cache/prefix
  mkdir -p "$cache"
  # Never commit the cache, whatever the top-level .gitignore says.
  [[ -f $root/.cache/.gitignore ]] || { mkdir -p "$root/.cache"; echo '*' >"$root/.cache/.gitignore"; }

  if [[ ! -f $prefix/lib/cmake/TBB/TBBConfig.cmake ]]; then
    # Debian's libtbb is not instrumented: TSan reports dozens of false races inside it (see
    # shared/TOOLCHAIN.md). Build the same oneTBB version from Debian's source package with
    # -DTBB_SANITIZE=thread.
    say "building a TSan-instrumented oneTBB in $cache"
    if ! grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      # A deb-src entry matching the machine's bookworm main source.
      uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
      printf 'Types: deb-src\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "${uri:-http://deb.debian.org/debian}" | $SUDO tee /etc/apt/sources.list.d/rxstress-deb-src.sources >/dev/null
      $SUDO apt-get update -qq
    fi
    command -v dpkg-source >/dev/null ||
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends dpkg-dev
    rm -rf "$cache/src"
    mkdir -p "$cache/src"
    # The source of the installed libtbb-dev (same version), else the candidate's.
    version=$(dpkg-query -W -f='${Version}' libtbb-dev 2>/dev/null || true)
    (cd "$cache/src" && { apt-get source -qq "onetbb=$version" 2>/dev/null || apt-get source -qq onetbb; })
    tbb_src=$(find "$cache/src" -mindepth 1 -maxdepth 1 -type d -name 'onetbb-*' -print -quit)
    [[ -n $tbb_src ]] || { echo "sanitize.sh: apt-get source onetbb gave no source tree" >&2; exit 1; }
    # gcc warns (-Wtsan) that TSan does not model atomic_thread_fence: silenced, as in the project.
    cmake -S "$tbb_src" -B "$cache/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_INSTALL_PREFIX="$prefix" -DTBB_SANITIZE=thread -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF \
      -DTBBMALLOC_BUILD=OFF -DTBB_STRICT=OFF -DCMAKE_CXX_FLAGS=-Wno-tsan >"$cache/build.log" 2>&1
    cmake --build "$cache/build" -j"$jobs" >>"$cache/build.log" 2>&1 ||
      { tail -40 "$cache/build.log" >&2; exit 1; }
    cmake --install "$cache/build" >/dev/null
    rm -rf "$cache/build" "$cache/src"
    say "oneTBB (TSan) installed in $prefix"
  else
    say "using the cached TSan oneTBB in $prefix"
  fi
  extra=(-DTBB_DIR="$prefix/lib/cmake/TBB" -DCMAKE_CXX_FLAGS=-Wno-tsan)
else
  extra=()
fi

say "configuring $build ($sanitizers, $opt -g)"
cmake -S . -B "$build" "${generator[@]}" "${opt_flags[@]}" -DRXSTRESS_SANITIZE="$sanitizers" \
  "${extra[@]}" >/dev/null
cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")

if [[ $mode == address ]]; then
  canary leak "ERROR: LeakSanitizer: detected memory leaks"
  canary overflow "runtime error: signed integer overflow"
else
  canary race "WARNING: ThreadSanitizer: data race"
fi

say "building (-j$jobs)"
cmake --build "$build" -j"$jobs"

if [[ $mode == thread ]]; then
  # The programs must use the instrumented libtbb, not Debian's.
  # ldd's output is captured first: under pipefail, `ldd | grep -q` fails
  # whenever grep exits at its match before ldd has written everything
  # (ldd gets SIGPIPE), which failed a CI run on a correctly linked program.
  for exe in "$build/rxstress" "$build/tests/rxstress_tests"; do
    libs=$(ldd "$exe")
    if [[ $libs != *"$prefix/lib/libtbb"* ]]; then
      echo "sanitize.sh: $exe is not linked to $prefix/lib/libtbb:" >&2
      grep tbb <<<"$libs" >&2 || true
      exit 1
    fi
  done
fi

export ASAN_OPTIONS=$asan_options UBSAN_OPTIONS=$ubsan_options LSAN_OPTIONS=$lsan_options TSAN_OPTIONS=$tsan_options
rm -rf "$reports"
mkdir -p "$reports"
say "running ctest (every test, -j$ctest_jobs)"
status=0
ctest --test-dir "$build" --output-on-failure -j"$ctest_jobs" --timeout 1800 || status=$?

# Reports from processes whose test did not fail (a child's report, say) still fail the stage.
shopt -s nullglob
found=("$reports"/*)
if [[ ${#found[@]} -gt 0 ]]; then
  echo "sanitize.sh: ${#found[@]} sanitizer report(s) in $reports:" >&2
  for f in "${found[@]}"; do
    echo "--- $f" >&2
    head -60 "$f" >&2
  done
  status=1
fi
if grep -qE 'runtime error: |ERROR: (Address|Leak)Sanitizer|WARNING: ThreadSanitizer' \
  "$build/Testing/Temporary/LastTest.log" 2>/dev/null; then
  echo "sanitize.sh: a sanitizer report in the test output ($build/Testing/Temporary/LastTest.log)" >&2
  status=1
fi
[[ $status -eq 0 ]] || exit "$status"
say "$mode: every test passed under $sanitizers, no sanitizer report"
