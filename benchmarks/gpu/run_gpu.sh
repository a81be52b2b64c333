#!/usr/bin/env bash
# Runs ON the GPU machine, from inside the bundle that make_bundle.sh built
# (no LLVM there: only longnet-exec, liblongnet_runtime.so and the models).
#   1. the correctness matrix: longnet-exec SO --entry=E --seed=S --check for
#      each line of matrix.txt; prints "N passed, N failed";
#   2. the benchmark: longnet-exec M.so --bench=REPS for each model of
#      models.txt (median), written to ours.csv;
#   3. torch_peer.py: the PyTorch peers on the same shapes, and the table
#      (results.csv).
# A failure in one check or model is printed and the run goes on.
# Environment: REPS (10), MAX_N (skip models with a larger N), ONLY (a regex
# on model names), STEPS (default "matrix bench peer"), TIMEOUT (seconds per
# longnet-exec call, 300).
# Exit status: 0 when every step and every check/model passed, 1 otherwise.
set -u

cd "$(dirname "$0")"
export LD_LIBRARY_PATH="$PWD${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
REPS=${REPS:-10}
MAX_N=${MAX_N:-}
ONLY=${ONLY:-}
STEPS=${STEPS:-matrix bench peer}
TIMEOUT=${TIMEOUT:-300}
status=0
summary=()

(command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader) \
  || echo "run_gpu.sh: nvidia-smi unavailable"

last_error() { grep -m1 'error' <<< "$1" || tail -n1 <<< "$1"; }

if [[ " $STEPS " == *" matrix "* ]]; then
  echo "== correctness matrix (longnet-exec --check against the float64 reference)"
  pass=0 fail=0
  while read -r so entry seed; do
    [ -n "$so" ] || continue
    out=$(timeout "$TIMEOUT" ./longnet-exec "$so" --entry="$entry" --seed="$seed" --check 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then
      pass=$((pass + 1)); echo "PASS $so $entry"
    else
      fail=$((fail + 1)); echo "FAIL $so $entry (exit $rc): $(last_error "$out")"
      grep -E 'FAILED' <<< "$out" | head -n 2
    fi
  done < matrix.txt
  echo "matrix: $pass passed, $fail failed"
  summary+=("matrix: $pass passed, $fail failed")
  [ $fail -eq 0 ] || status=1
fi

if [[ " $STEPS " == *" bench "* ]]; then
  echo "== benchmark: longnet-exec --bench=$REPS (median)"
  echo "name,status,median_ms,message" > ours.csv
  ok=0 bad=0 skipped=0
  while read -r name; do
    [ -n "$name" ] || continue
    n=${name##*-n}
    if { [ -n "$MAX_N" ] && [ "$n" -gt "$MAX_N" ]; } || { [ -n "$ONLY" ] && ! [[ $name =~ $ONLY ]]; }; then
      skipped=$((skipped + 1)); continue
    fi
    # Inputs from NumPy (fast at N = 1M), shared by the models of one shape;
    # without NumPy longnet-exec draws them itself (slow for large N).
    inputs=()
    shape=$(python3 -c 'import json, sys; m = [m for m in json.load(open("models.json")) if m["name"] == sys.argv[1]][0]; print(m["dtype"], m["B"], m["N"], m["H"], m["D"])' "$name" 2>/dev/null)
    if [ -n "$shape" ]; then
      prefix="inputs/$(tr ' ' '_' <<< "$shape")"
      if [ ! -f "$prefix.v.npy" ]; then
        rm -rf inputs; mkdir -p inputs
        python3 make_inputs.py $shape "$prefix" 2>/dev/null || rm -f "$prefix".*.npy
      fi
      [ -f "$prefix.v.npy" ] && inputs=(--inputs="$prefix.q.npy,$prefix.k.npy,$prefix.v.npy")
    fi
    out=$(timeout "$TIMEOUT" ./longnet-exec "$name.so" "${inputs[@]}" --bench="$REPS" 2>&1)
    rc=$?
    ms=$(sed -n 's/^median \([0-9.eE+-]*\) ms.*/\1/p' <<< "$out" | head -n1)
    if [ $rc -eq 0 ] && [ -n "$ms" ]; then
      ok=$((ok + 1)); echo "$name: median $ms ms"
      echo "$name,ok,$ms," >> ours.csv
    else
      bad=$((bad + 1)); msg=$(last_error "$out")
      echo "$name: FAILED (exit $rc): $msg"
      echo "$name,failed,,\"${msg//\"/\'}\"" >> ours.csv
    fi
  done < models.txt
  rm -rf inputs
  echo "bench: $ok ok, $bad failed, $skipped skipped"
  summary+=("bench: $ok ok, $bad failed, $skipped skipped")
  [ $bad -eq 0 ] || status=1
fi

if [[ " $STEPS " == *" peer "* ]]; then
  echo "== PyTorch peers (torch_peer.py)"
  args=(--models models.json --ours ours.csv --out results.csv --reps "$REPS")
  [ -z "$MAX_N" ] || args+=(--max-n "$MAX_N")
  [ -z "$ONLY" ] || args+=(--only "$ONLY")
  python3 torch_peer.py "${args[@]}"
  rc=$?
  summary+=("torch_peer.py: exit $rc")
  [ $rc -eq 0 ] || status=1
fi

echo "== summary"
for line in "${summary[@]}"; do echo "$line"; done
exit $status
