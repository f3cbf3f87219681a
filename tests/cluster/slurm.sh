#!/bin/bash
# The Slurm templates for real: start a one-node Slurm cluster on this machine, submit
# deploy/slurm/submit.sh with 4 shards of a shipped protocol's run and of its power study,
# wait for the arrays and their merge jobs, run both on one machine, and compare the row
# hashes of every table; then lose shard 3 of the run, run it again alone and merge and
# compare again. Prints PASS or FAIL and exits non-zero on failure (under 2 minutes here).
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
# A power study too: sizes and replicates (split among the shards at every size).
power_sizes=${POWER_SIZES:-40,80}
power_replicates=${POWER_REPLICATES:-40}
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
      tail -n 8 "$work"/jobs/*/*.out >&2 || true
      exit 1
    fi
  done
}
run_twinbench() { # log name, then a twinbench command
  "${twinbench[@]}" "${@:2}" >"$work/$1.log" 2>&1 || {
    echo "FAIL: twinbench ${*:2} failed" >&2
    tail -20 "$work/$1.log" >&2
    exit 1
  }
}
failed=0
# Each table's row count and order-free row hash (twinbench fingerprint), of a merged
# database against the single-machine one.
same_fingerprint() { # single db, merged db, fingerprint options (--power id)
  local a b
  a=$("${twinbench[@]}" fingerprint --db "$work/$1.duckdb" "${@:3}" 2>&1) || true
  b=$("${twinbench[@]}" fingerprint --db "$work/$2.duckdb" "${@:3}" 2>&1) || true
  if [ "$a" = "$b" ] && [ -n "$a" ]; then
    sed 's/^/  same  /' <<<"$a" >&2
  else
    diff <(echo "$a") <(echo "$b") | sed 's/^/  /' >&2 || true
    failed=1
  fi
}
# analyze reads a merged run as a local one: the same comparison to the digit (less the
# line naming the file).
same_analysis() { # single db, merged db
  for db in "$1" "$2"; do
    "${twinbench[@]}" analyze "$work/$db.duckdb" "${analyze[@]}" --format json 2>&1 |
      grep -v '"path":' >"$work/$db.json" || true
  done
  if cmp -s "$work/$1.json" "$work/$2.json" && grep -q '"comparisons"' "$work/$2.json"; then
    echo "  same  analyze ${analyze[*]}" >&2
  else
    echo "  analyze ${analyze[*]} DIFFERS:" >&2
    diff "$work/$1.json" "$work/$2.json" | head -20 >&2 || true
    failed=1
  fi
}
submitted() { # submit.sh's output: the array and merge job ids, with a comma
  echo "$(sed -n 's/^array_job=//p' <<<"$1"),$(sed -n 's/^merge_job=//p' <<<"$1")"
}
run=(run "$protocol" --n "$twins")
power=(power "$protocol" --n "$power_sizes" --replicates "$power_replicates")

# A run and a power study, each as 4 shards 2 at a time with one CPU each (this machine
# has 2) and a merge after them.
run_jobs=$(submitted "$(deploy/slurm/submit.sh --shards "$shards" --at-once 2 --cpus 1 \
  --out "$work/run" --db "$work/run-merged.duckdb" --logs "$work/jobs/run" -- "${run[@]}")")
power_jobs=$(submitted "$(deploy/slurm/submit.sh --shards "$shards" --at-once 2 --cpus 1 \
  --out "$work/power" --db "$work/power-merged.duckdb" --logs "$work/jobs/power" -- "${power[@]}")")
wait_for_jobs "$run_jobs,$power_jobs"
cluster_done=$(date +%s)

# The same on one machine, with the default worker count.
run_twinbench run-single "${run[@]}" --db "$work/run-single.duckdb"
run_twinbench power-single "${power[@]}" --db "$work/power-single.duckdb"
echo "the run, merged from $shards shards vs on one machine:" >&2
same_fingerprint run-single run-merged
same_analysis run-single run-merged
# Each file holds one study, so both are study 1.
echo "the power study, merged from $shards shards vs on one machine:" >&2
same_fingerprint power-single power-merged --power 1

# A lost shard: the merge refuses (exit 2) without it; run again alone as the README
# says (sbatch --array=3, then a merge depending on it), the merge is the same run again.
rm -r "$work"/run/*/shard=3 "$work/run/manifests/shard-3.json"
status=0
"${twinbench[@]}" merge "$work/run" --db "$work/refused.duckdb" >"$work/refused.log" 2>&1 || status=$?
if [ "$status" = 2 ]; then
  echo "without shard 3 the merge refuses (exit 2): $(tail -1 "$work/refused.log")" >&2
else
  echo "  without shard 3 the merge exits $status, not 2" >&2
  failed=1
fi
rerun=$(sbatch --parsable --array=3 --cpus-per-task=1 --output="$work/jobs/run/rerun-%a.out" \
  deploy/slurm/twinbench-array.sbatch "$shards" "$work/run" "${run[@]}")
remerge=$(sbatch --parsable --dependency="afterok:$rerun" --kill-on-invalid-dep=yes \
  --output="$work/jobs/run/remerge.out" deploy/slurm/merge.sbatch "$work/run" "$work/run-remerged.duckdb")
wait_for_jobs "$rerun,$remerge"
echo "the run with shard 3 run again, merged vs on one machine:" >&2
same_fingerprint run-single run-remerged

took=$(($(date +%s) - started))
if [ "$failed" = 0 ]; then
  echo "PASS: $shards Slurm shards of $protocol merged equal one machine's run (n = $twins; also after shard 3 was lost and run again) and power study (n = $power_sizes, $power_replicates replicates) in every table ($((cluster_done - started)) s to the merges, $took s in all)"
else
  echo "FAIL: a merge differs from one machine's ($took s)"
  exit 1
fi
