#!/usr/bin/env bash
# The pinned golden file: runs tests/golden/golden.yaml and compares every dataset and attribute of
# the result with tests/golden/golden.h5, bit for bit (h5diff). Only the run's own record may
# differ: created, command_line, scenario_file (an absolute path) and rxstress_version.
#
#   tools/golden.sh RXSTRESS_BINARY            compare (exit 1 and the differences if any)
#   tools/golden.sh RXSTRESS_BINARY --update   regenerate the golden file, on purpose: commit it
#                                              with a message that says why the numbers moved
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
binary="$1"
golden="$here/tests/golden/golden.h5"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Relative paths in the command line, so the golden file does not record the checkout's location.
cd "$here"
"$binary" run tests/golden/golden.yaml -o "$work/golden.h5" --quiet --threads 2
if [[ "${2:-}" == "--update" ]]; then
  cp "$work/golden.h5" "$golden"
  echo "golden: wrote $golden"
  exit 0
fi
[[ -f "$golden" ]] || { echo "golden: $golden is missing (run with --update to create it)"; exit 1; }
# scenario_file is an absolute path and rxstress_version moves with releases: neither is a number.
status=0
report="$(bash "$here/tools/same-results.sh" "$golden" "$work/golden.h5" \
  'scenario_file|rxstress_version')" || status=$?
if [[ $status -ne 0 ]]; then
  echo "golden: against tests/golden/golden.h5: $report"
  echo "golden: if the change is intended, regenerate with tools/golden.sh BINARY --update"
  exit 1
fi
echo "golden: $report, equal to tests/golden/golden.h5"
