#!/bin/bash
# The Slurm templates for real: start a one-node Slurm cluster on this machine, submit
# deploy/slurm/submit.sh with 4 shards of a shipped protocol, wait for the array and its
# merge job, run the same protocol on one machine, and compare the row hashes of every
# table of the two runs; then lose shard 3, run it again alone and merge and compare
# again. Prints PASS or FAIL and exits non-zero on failure (about a minute here).
#
#   npm run test:cluster          (as root: slurmd and munged are root daemons here)
#
# Installs slurm-wlm and munge from the distribution if they are missing. The cluster is
# private to the test: its own munge key and socket, its own slurm.conf (SLURM_CONF),
# ports and state under a temporary directory, so a Slurm already on the machine is left
# alone. Everything it started is stopped, and the directory removed, on exit
# (KEEP=1 keeps the directory for a look at the logs).
set -euo pipefail

started=$(date +%s)
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"

protocol=${PROTOCOL:-protocols/antihypertensive-dose-ranging.yaml}
twins=${TWINS:-2000}
# The comparison analyze makes of both runs (of the default protocol's primary endpoint).
read -r -a analyze <<<"${ANALYZE:---endpoint sbp_change_w12 --type continuous --control placebo}"
shards=4
ctld_port=${SLURM_TEST_PORT:-16817}
twinbench=(node "$repo/src/cli/twinbench.js")

if [ "$(id -u)" -ne 0 ]; then
  echo "FAIL: run as root (slurmd, slurmctld and munged are started here as root daemons)" >&2
  exit 2
fi

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
  ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  # The package lists may be empty in a fresh container: update them only then.
  if ! apt-cache policy slurm-wlm | grep -q 'Candidate: [0-9]'; then apt-get update; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge
fi

work=$(mktemp -d /tmp/twinbench-slurm.XXXXXX)
# munged refuses directories that others can write to (its socket and key live here).
chmod 700 "$work"
mkdir -p "$work/munge" "$work/state" "$work/spool" "$work/log"

stop_daemon() { # pid file
  if [ -f "$1" ]; then
    local pid
    pid=$(cat "$1")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}
cleanup() {
  stop_daemon "$work/slurmd.pid"
  stop_daemon "$work/slurmctld.pid"
  stop_daemon "$work/munge/munged.pid"
  if [ "${KEEP:-}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# munge: a fresh key (owned by root, mode 600: munged checks both) and our own socket.
# --force because munged will not otherwise run as root.
mungekey --create --keyfile="$work/munge/munge.key"
chmod 600 "$work/munge/munge.key"
munged --force --key-file="$work/munge/munge.key" --socket="$work/munge/munge.socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/log/munged.log" \
  --seed-file="$work/munge/munged.seed"

if ss -ltn 2>/dev/null | grep -qE ":($ctld_port|$((ctld_port + 1)))\b"; then
  echo "FAIL: port $ctld_port or $((ctld_port + 1)) is taken; set SLURM_TEST_PORT to a free pair" >&2
  exit 1
fi

# The node line is what slurmd detects on this machine (CPUs, sockets, RealMemory):
# a RealMemory above the real one would leave the node invalid instead of idle.
node=$(slurmd -C | head -1)
host=$(hostname -s)
cat >"$work/slurm.conf" <<CONF
ClusterName=twinbench-test
# NodeAddr 127.0.0.1: a container's hostname need not resolve to an address slurmd binds.
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$((ctld_port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
# No cgroups: a container seldom has a writable cgroup tree, so processes are tracked
# by parent pid and tasks are not bound to CPUs; no accounting database either.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
# A node that was down comes back as soon as it registers.
ReturnToService=2
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf

# -c: start from empty state (the directory is new anyway).
slurmctld -c -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"

for i in $(seq 60); do
  if [ "$(sinfo -h -o '%t' 2>/dev/null)" = idle ]; then break; fi
  if [ "$i" = 60 ]; then
    echo "FAIL: the node did not become idle in 60 s" >&2
    sinfo >&2 || true
    tail -20 "$work/log/slurmctld.log" "$work/log/slurmd.log" >&2 || true
    exit 1
  fi
  sleep 1
done
echo "one-node cluster up after $(($(date +%s) - started)) s: $(sinfo -h -o '%P %D %t %c CPUs')" >&2

job_states() { # job id: one state per line (each array task has its own)
  scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'
}
# Waits for the jobs (ids separated by commas) to leave the queue, then checks that every
# task of each completed; on failure prints the jobs' logs and exits.
wait_for_jobs() { # ids
  for i in $(seq 600); do
    [ -n "$(squeue -h -j "$1" 2>/dev/null)" ] || break
    if [ "$i" = 600 ]; then
      echo "FAIL: the jobs did not finish in 10 minutes" >&2
      squeue >&2
      exit 1
    fi
    sleep 1
  done
  local job states
  for job in ${1//,/ }; do
    states=$(job_states "$job" | sort | uniq -c | xargs)
    echo "  job $job: $states" >&2
    if [[ ! $states =~ ^[0-9]+\ COMPLETED$ ]]; then
      echo "FAIL: job $job did not complete" >&2
      tail -n 8 "$work"/jobs/*.out >&2 || true
      exit 1
    fi
  done
}
twinbench_on() { # what: runs the remaining arguments, a twinbench command
  "${twinbench[@]}" "${@:2}" >"$work/$1.log" 2>&1 || {
    echo "FAIL: $1 failed" >&2
    tail -20 "$work/$1.log" >&2
    exit 1
  }
}
failed=0
# Compares a merged database with the single-machine run: every table by row count and
# order-free row hash, and analyze's comparison, which must read the merged run as a
# local one (to the digit; the line naming the file left out).
compare_with_single() { # merged database name (in $work)
  node --import tsx tests/cluster/compare-runs.ts "$work/single.duckdb" "$work/$1.duckdb" >&2 || failed=1
  for db in single "$1"; do
    "${twinbench[@]}" analyze "$work/$db.duckdb" "${analyze[@]}" --format json 2>&1 |
      grep -v '"path":' >"$work/$db.json" || true
  done
  if cmp -s "$work/single.json" "$work/$1.json" && grep -q '"comparisons"' "$work/$1.json"; then
    echo "  analyze ${analyze[*]}: the same" >&2
  else
    echo "  analyze ${analyze[*]}: DIFFERS" >&2
    diff "$work/single.json" "$work/$1.json" | head -20 >&2 || true
    failed=1
  fi
}
command=(run "$protocol" --n "$twins")

# The array: 4 shards, 2 at a time with one CPU each (this machine has 2), and the merge.
ids=$(deploy/slurm/submit.sh --shards "$shards" --at-once 2 --cpus 1 \
  --out "$work/out" --db "$work/merged.duckdb" --logs "$work/jobs" -- "${command[@]}")
wait_for_jobs "$(sed -n 's/^array_job=//p' <<<"$ids"),$(sed -n 's/^merge_job=//p' <<<"$ids")"
cluster_done=$(date +%s)

# The same protocol on one machine, with its default worker count.
twinbench_on single run "$protocol" --n "$twins" --db "$work/single.duckdb"
echo "merged $shards shards:" >&2
compare_with_single merged

# A lost shard: the merge refuses (exit 2) without it; run again alone as the README
# says (sbatch --array=3, then a merge depending on it), the merge is the same run again.
rm -r "$work"/out/*/shard=3 "$work/out/manifests/shard-3.json"
status=0
"${twinbench[@]}" merge "$work/out" --db "$work/refused.duckdb" >"$work/refused.log" 2>&1 || status=$?
if [ "$status" = 2 ]; then
  echo "without shard 3 the merge refuses (exit 2): $(tail -1 "$work/refused.log")" >&2
else
  echo "  without shard 3 the merge exits $status, not 2" >&2
  failed=1
fi
rerun=$(sbatch --parsable --array=3 --cpus-per-task=1 --output="$work/jobs/rerun-%a.out" \
  deploy/slurm/twinbench-array.sbatch "$shards" "$work/out" "${command[@]}")
remerge=$(sbatch --parsable --dependency="afterok:$rerun" --kill-on-invalid-dep=yes \
  --output="$work/jobs/remerge.out" deploy/slurm/merge.sbatch "$work/out" "$work/remerged.duckdb")
wait_for_jobs "$rerun,$remerge"
echo "shard 3 run again and merged:" >&2
compare_with_single remerged

took=$(($(date +%s) - started))
if [ "$failed" = 0 ]; then
  echo "PASS: $shards Slurm shards of $protocol (n = $twins) merged, and merged again after shard 3 was lost and run again, equal the single-machine run in every table ($((cluster_done - started)) s to the first merge, $took s in all)"
else
  echo "FAIL: a merged run differs from the single-machine run ($took s)"
  exit 1
fi
