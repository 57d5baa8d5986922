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
# The same objects in both (h5diff compares only the objects they share).
listing() { h5ls -r "$1" | awk '{print $1, $2}' | sort; }
if ! added_or_removed="$(diff <(listing "$golden") <(listing "$work/golden.h5"))"; then
  echo "golden: objects added (>) or removed (<) against tests/golden/golden.h5:"
  echo "$added_or_removed"
  echo "golden: if the change is intended, regenerate with tools/golden.sh BINARY --update"
  exit 1
fi
status=0
report="$(h5diff -r "$golden" "$work/golden.h5" 2>&1)" || status=$?
if [[ $status -gt 1 ]]; then echo "$report"; exit 1; fi
allowed='^attribute: <(created|command_line|scenario_file|rxstress_version) of </>>'
moved="$(printf '%s\n' "$report" | awk -v ok="$allowed" '
  /^(dataset|attribute): </ { object = $0; next }
  /^[0-9]+ differences? found/ { if ($1 > 0 && object !~ ok) print object }')"
compared="$(printf '%s\n' "$report" | grep -c -E '^(dataset|attribute): <' || true)"
if [[ -n "$moved" ]]; then
  echo "golden: these objects differ from tests/golden/golden.h5:"
  echo "$moved"
  echo "golden: if the change is intended, regenerate with tools/golden.sh BINARY --update"
  exit 1
fi
echo "golden: $compared objects compared, all equal to tests/golden/golden.h5"
