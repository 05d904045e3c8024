#!/usr/bin/env bash
# Peak working set and time of one Explain call against the input's duration (issue: bounded memory on any length).
# Each case runs in a fresh process; prints one JSON line per case (its load average included).
# Usage: benchmarks/duration.sh [--keep-maps]; BATCHES="1 8" (the default) picks MaxBatchSize, SECONDS_LIST and RATES
# the lengths and rates.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet build -c Release benchmarks/LmacTd.Benchmarks -v q -nologo > /dev/null
bin=benchmarks/LmacTd.Benchmarks/bin/Release/net10.0/LmacTd.Benchmarks.dll
grep -m1 'model name' /proc/cpuinfo || true
for batch in ${BATCHES:-1 8}; do
  for rate in ${RATES:-16000 44100}; do
    for s in ${SECONDS_LIST:-5 60 600}; do
      dotnet "$bin" duration --seconds "$s" --rate "$rate" --batch "$batch" "$@"
    done
  done
done
