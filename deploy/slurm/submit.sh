#!/usr/bin/env bash
# Queues SHARDS array tasks of eval-array.sbatch and a merge that starts when all of them have succeeded.
# Usage: DATA=/path/clips PARTS=/shared/parts [SHARDS=8] [LMACTD=...] [LMACTD_ARGS=...] deploy/slurm/submit.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
shards=${SHARDS:-8}
array=$(sbatch --parsable --export=ALL --array="0-$((shards - 1))" "$here/eval-array.sbatch")
sbatch --parsable --export=ALL --dependency="afterok:${array}" "$here/merge.sbatch"
