#!/usr/bin/env bash
# Builds the project with sanitizers and runs the tests under them.
#
#   tools/sanitize.sh address   ASan + UBSan, Debug, in build-asan; runs the whole ctest suite.
#   tools/sanitize.sh thread    TSan, in build-tsan, against a TSan-instrumented oneTBB built from
#                               Debian's own source package (cached in .cache/tbb-tsan, not
#                               committed); runs rxstress_tests "[engine]" and a CLI run of
#                               tests/data/small.yaml with --threads 4.
#
# Environment: SANITIZE_JOBS (build parallelism, default 1: the sanitizer builds are big),
# SANITIZE_CTEST_JOBS (default 1), SANITIZE_BUILD_DIR (default build-asan / build-tsan),
# TBB_TSAN_CACHE (default .cache/tbb-tsan). Exits non-zero on any failure or sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:-}
jobs=${SANITIZE_JOBS:-1}
ctest_jobs=${SANITIZE_CTEST_JOBS:-1}
generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
SUDO=; [[ $(id -u) -ne 0 ]] && SUDO=sudo
started=$SECONDS
say() { echo "sanitize.sh [$((SECONDS - started))s]: $*"; }

# Reports stop the program: a sanitizer finding fails the test that hit it.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

case $mode in
address)
  build=${SANITIZE_BUILD_DIR:-build-asan}
  # No MPI here, so leaks are real: keep LeakSanitizer on.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1}
  say "configuring $build (address,undefined, Debug)"
  cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug \
    -DRXSTRESS_SANITIZE=address,undefined >/dev/null
  say "building (-j$jobs)"
  cmake --build "$build" -j"$jobs"
  say "running ctest"
  ctest --test-dir "$build" --output-on-failure -j"$ctest_jobs" --timeout 3000
  say "address: all tests passed under ASan + UBSan"
  ;;

thread)
  build=${SANITIZE_BUILD_DIR:-build-tsan}
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
      uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 | awk '{print $2}')
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
    tbb_src=$(find "$cache/src" -mindepth 1 -maxdepth 1 -type d -name 'onetbb-*' | head -1)
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

  export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
  say "configuring $build (thread, RelWithDebInfo)"
  cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DRXSTRESS_SANITIZE=thread -DTBB_DIR="$prefix/lib/cmake/TBB" -DCMAKE_CXX_FLAGS=-Wno-tsan >/dev/null
  say "building (-j$jobs)"
  cmake --build "$build" -j"$jobs" --target rxstress rxstress_tests
  # The programs must use the instrumented libtbb, not Debian's.
  if ! ldd "$build/rxstress" | grep -q "$prefix/lib/libtbb"; then
    echo "sanitize.sh: $build/rxstress is not linked to $prefix/lib/libtbb:" >&2
    ldd "$build/rxstress" | grep tbb >&2 || true
    exit 1
  fi
  say 'running rxstress_tests "[engine]"'
  (cd "$build/tests" && ./rxstress_tests "[engine]")
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  say "running rxstress run tests/data/small.yaml --threads 4"
  "$build/rxstress" run tests/data/small.yaml --threads 4 --quiet -o "$scratch/t4.h5"
  "$build/rxstress" run tests/data/small.yaml --threads 1 --quiet -o "$scratch/t1.h5"
  if ! cmp -s <("$build/rxstress" summary "$scratch/t4.h5") <("$build/rxstress" summary "$scratch/t1.h5"); then
    echo "sanitize.sh: --threads 4 and --threads 1 give different summaries" >&2
    exit 1
  fi
  say "thread: no data race reported; --threads 4 equals --threads 1"
  ;;

*)
  echo "usage: tools/sanitize.sh address|thread" >&2
  exit 2
  ;;
esac
