#!/bin/bash
# Submit a Twinbench run or power study as a Slurm array of N shards, then a merge job
# that starts once every shard has succeeded.
#
#   deploy/slurm/submit.sh --shards N [--at-once K] [--cpus C] --out DIR --db FILE \
#     [--logs DIR] -- run|power <protocol.yaml> [twinbench options]
#
# Prints the job ids on stdout as array_job=<id> and merge_job=<id>. Run it from the
# checkout (or set TWINBENCH to the command, e.g. "apptainer exec twinbench.sif twinbench");
# DIR, FILE and the protocol must be on a file system every node sees. Other sbatch
# settings come from its environment variables (SBATCH_PARTITION, SBATCH_ACCOUNT, ...).
set -euo pipefail

usage() {
  echo "usage: $0 --shards N [--at-once K] [--cpus C] --out DIR --db FILE [--logs DIR] -- run|power <protocol.yaml> [options]" >&2
  exit 2
}

positive() { # name value: a whole number from 1
  [[ $2 =~ ^[1-9][0-9]*$ ]] || {
    echo "$1 must be a whole number from 1, got '$2'" >&2
    exit 2
  }
}

shards='' at_once='' cpus=2 out='' db='' logs=''
while [ "$#" -gt 0 ]; do
  case $1 in
    --shards) shards=${2-}; shift 2 || usage ;;
    --at-once) at_once=${2-}; shift 2 || usage ;;
    --cpus) cpus=${2-}; shift 2 || usage ;;
    --out) out=${2-}; shift 2 || usage ;;
    --db) db=${2-}; shift 2 || usage ;;
    --logs) logs=${2-}; shift 2 || usage ;;
    --) shift; break ;;
    *) echo "unknown option '$1' (allowed: --shards, --at-once, --cpus, --out, --db, --logs, then -- and the twinbench command)" >&2; usage ;;
  esac
done
[ -n "$shards" ] && [ -n "$out" ] && [ -n "$db" ] && [ "$#" -ge 2 ] || usage
positive --shards "$shards"
positive --cpus "$cpus"
[ -z "$at_once" ] || positive --at-once "$at_once"
case $1 in
  run | power) ;;
  *) echo "the twinbench command must be run or power, got '$1'" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The jobs run the CLI of this checkout unless TWINBENCH names another command.
export TWINBENCH_HOME=${TWINBENCH_HOME:-$(cd "$here/../.." && pwd)}
logs=${logs:-${out%/}-logs}
# Slurm opens the log files before the job starts, so their directory must exist.
mkdir -p "$out" "$logs"

array="1-$shards${at_once:+%$at_once}"
array_job=$(sbatch --parsable --array="$array" --cpus-per-task="$cpus" \
  --output="$logs/shard-%a.out" \
  "$here/twinbench-array.sbatch" "$shards" "$out" "$@")
array_job=${array_job%%;*} # --parsable prints id;cluster on multi-cluster setups
merge_job=$(sbatch --parsable --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
  --output="$logs/merge.out" \
  "$here/merge.sbatch" "$out" "$db")
merge_job=${merge_job%%;*}

echo "submitted $shards shards of 'twinbench $*' (array $array) and their merge into $db; logs in $logs" >&2
echo "array_job=$array_job"
echo "merge_job=$merge_job"
