#!/usr/bin/env bash
# The 32-point lab3 sweep of docs/benchmarks.md ("Sweeps on a cluster"): pruning, drops 2,4,10,30 x
# layers conv_3,conv_4 x seeds 1..4 (8 pruning passes of 4 points), run locally, on one worker and on
# two workers of this machine. Prints the wall time of each run in seconds.
# Usage: distributed/bench/cluster-sweep.sh OUT_DIR   (FINEPRUNE: the command to run, default bin/fineprune;
#        CSAW_DIR: the lab folder, default ../shared/csaw; PORT: the first of two free ports, default 5801)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fineprune="${FINEPRUNE:-$root/bin/fineprune}"
csaw="${CSAW_DIR:-$root/../shared/csaw}"
out="${1:?usage: cluster-sweep.sh OUT_DIR}"
port="${PORT:-5801}"
members="127.0.0.1:$port,127.0.0.1:$((port + 1))"
sweep=(sweep --defense pruning --param drop=2,4,10,30 --param layer=conv_3,conv_4 --seeds 1,2,3,4 --device cpu
  --model "$csaw/models/bd_weights.h5" --data "$csaw/data")
mkdir -p "$out"

timed() { # NAME COMMAND...: runs the command, prints NAME and its wall time
  local name="$1" start end
  shift
  start=$(date +%s.%N)
  "$@" > "$out/$name.log" 2>&1
  end=$(date +%s.%N)
  echo "$name $(echo "$end - $start" | bc)"
}

workers=()
start_worker() { # PORT
  $fineprune worker --members "$members" --bind "127.0.0.1:$1" > "$out/worker-$1.log" 2>&1 &
  workers+=($!)
  until grep -q "^worker at" "$out/worker-$1.log"; do sleep 0.5; done
}
stop_workers() {
  for pid in "${workers[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${workers[@]}"; do wait "$pid" 2> /dev/null || true; done
  workers=()
}
trap stop_workers EXIT

timed local $fineprune "${sweep[@]}" --out "$out/local"
start_worker "$port"
timed one-worker $fineprune "${sweep[@]}" --out "$out/one-worker" --cluster "$members"
start_worker "$((port + 1))"
timed two-workers $fineprune "${sweep[@]}" --out "$out/two-workers" --cluster "$members"
stop_workers
for run in one-worker two-workers; do
  if cmp -s <(jq -cS 'del(.timings)' "$out/local/results.jsonl") <(jq -cS 'del(.timings)' "$out/$run/results.jsonl"); then
    echo "$run: records equal the local run's apart from timings"
  else
    echo "$run: records DIFFER from the local run's"
  fi
done
