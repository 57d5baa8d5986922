#!/usr/bin/env bash
# Whether two results files are the same run: the same objects, and every dataset and attribute
# equal bit for bit (h5diff, no tolerance), but the run's own record: `created` and `command_line`
# of the root, and the further root attributes named in ALLOW (a |-separated list).
#
#   tools/same-results.sh A.h5 B.h5 [ALLOW]
#
# Exit 0 and "N objects compared, all equal"; 1 and the objects that differ; 2 when h5diff cannot
# compare them. Used by tools/golden.sh, the checkpoint tests and the MPI tests.
set -euo pipefail
a="$1" b="$2" allow="created|command_line${3:+|$3}"
# h5diff compares only the objects both files have: the listings must match first.
listing() { h5ls -r "$1" | awk '{print $1, $2}' | sort; }
if ! added_or_removed="$(diff <(listing "$a") <(listing "$b"))"; then
  echo "objects only in $a (<) or only in $b (>):"
  echo "$added_or_removed"
  exit 1
fi
status=0
report="$(h5diff -r "$a" "$b" 2>&1)" || status=$?
if [[ $status -gt 1 ]]; then echo "$report"; exit 2; fi
allowed="^attribute: <($allow) of </>>"
moved="$(printf '%s\n' "$report" | awk -v ok="$allowed" '
  /^(dataset|attribute): </ { object = $0; next }
  /^[0-9]+ differences? found/ { if ($1 > 0 && object !~ ok) print object }')"
compared="$(printf '%s\n' "$report" | grep -c -E '^(dataset|attribute): <' || true)"
if [[ -n "$moved" ]]; then
  echo "these objects differ between $a and $b:"
  echo "$moved"
  exit 1
fi
echo "$compared objects compared, all equal"
