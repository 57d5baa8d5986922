#!/usr/bin/env bash
# tools/slurm/rxstress-one-node.sbatch run outside Slurm (bash runs it; the #SBATCH lines are
# comments): a start killed after 3 blocks leaves OUT.checkpoint, the next start resumes it to a
# file equal to a plain run's; SIGTERM to the batch shell (what `--signal=B:TERM` sends near the
# wall-time limit) stops the program with exit 143 and keeps its checkpoint.
#
#   tests/slurm_script.sh RXSTRESS_BINARY
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
binary="$1"
work="$(mktemp -d)"
# On a failure midway, the long run started below (the script's child) is ended with it.
stop_job() {
  [[ -n "${job:-}" ]] || return 0
  local child
  for child in $(pgrep -P "$job" || true); do kill -KILL "$child" 2>/dev/null || true; done
  kill -KILL "$job" 2>/dev/null || true
}
trap 'stop_job; rm -rf "$work"' EXIT
script="$here/tools/slurm/rxstress-one-node.sbatch"
small="$here/tests/data/small.yaml"
fail() { echo "slurm script: $*"; exit 1; }

"$binary" run "$small" --paths 640 --quiet -o "$work/plain.h5"
status=0
SCENARIO="$small" OUT="$work/out.h5" RXSTRESS="$binary" RXSTRESS_ARGS="--paths 640 --quiet" \
  CHECKPOINT_EVERY=0 RXSTRESS_TEST_ABORT_AFTER_BLOCKS=3 bash "$script" >"$work/log1" 2>&1 ||
  status=$?
[[ $status -eq 137 ]] || fail "first start: exit $status, expected 137 (killed): $(cat "$work/log1")"
[[ -f "$work/out.h5.checkpoint" ]] || fail "first start left no checkpoint"
SCENARIO="$small" OUT="$work/out.h5" RXSTRESS="$binary" RXSTRESS_ARGS="--paths 640 --quiet" \
  bash "$script" >"$work/log2" 2>&1 || fail "second start failed: $(cat "$work/log2")"
grep -q -- "--resume" "$work/log2" || fail "second start did not resume: $(cat "$work/log2")"
bash "$here/tools/same-results.sh" "$work/plain.h5" "$work/out.h5" ||
  fail "the resumed file differs from the plain run's"

SCENARIO="$small" OUT="$work/long.h5" RXSTRESS="$binary" RXSTRESS_ARGS="--paths 2000000" \
  bash "$script" >"$work/log3" 2>&1 &
job=$!
for _ in $(seq 3000); do [[ -f "$work/long.h5.checkpoint" ]] && break; sleep 0.1; done
[[ -f "$work/long.h5.checkpoint" ]] || fail "the long run wrote no checkpoint: $(cat "$work/log3")"
kill -TERM "$job"
status=0
wait "$job" || status=$?
job=
[[ $status -eq 143 ]] || fail "after SIGTERM: exit $status, expected 143: $(cat "$work/log3")"
grep -q "completed blocks are kept" "$work/log3" || fail "no checkpoint message: $(cat "$work/log3")"
[[ -f "$work/long.h5.checkpoint" ]] || fail "SIGTERM lost the checkpoint"
echo "slurm script: killed start resumed to an equal file; SIGTERM kept the checkpoint (exit 143)"
