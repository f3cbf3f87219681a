#!/bin/bash
# The Slurm templates for real: start a one-node Slurm cluster on this machine, submit
# deploy/slurm/submit.sh with 4 shards of a shipped protocol's run and of its power study,
# wait for the arrays and their merge jobs, run both on one machine, and compare the row
# hashes of every table; then lose shard 3 of the run, run it again alone and merge and
# compare again (under 2 minutes here).
#
#   npm run test:cluster          (as root: slurmd and munged are root daemons here)
#   bash tests/cluster/slurm.sh [--skip-unavailable] [--tap FILE]
#
# Each check prints a TAP line on stdout (`ok 3 - ...` / `not ok 3 - ...`, after the plan
# `1..9`), also written to FILE with --tap; the narrative goes to stderr. A step the rest
# depends on failing (a job that never ends, a single-machine run that fails) stops the
# script with `Bail out! why`. Exit 0 when every check passed, 1 otherwise, 2 when it
# cannot run. Without --skip-unavailable it installs slurm-wlm and munge from the
# distribution if they are missing and refuses to run unless root (exit 2); with it (npm
# test) it prints `1..0 # SKIP why` and exits 0 instead. The cluster is private to the
# test: its own munge key and socket, its own slurm.conf (SLURM_CONF), ports and state
# under a temporary directory, so a Slurm already on the machine is left alone. Its jobs
# are cancelled and everything it started stopped, and the directory removed, on exit
# (KEEP=1 keeps the directory for a look at the logs).
set -euo pipefail

skip_unavailable='' tap_file=''
while [ "$#" -gt 0 ]; do
  case $1 in
    --skip-unavailable) skip_unavailable=1; shift ;;
    --tap) tap_file=${2:?--tap needs a file}; shift 2 ;;
    *) echo "unknown option '$1' (allowed: --skip-unavailable, --tap FILE)" >&2; exit 2 ;;
  esac
done

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

# TAP on stdout and in the --tap file.
[ -z "$tap_file" ] || : >"$tap_file"
tap() {
  echo "$1"
  [ -z "$tap_file" ] || echo "$1" >>"$tap_file"
}
# Cannot run here: a skip with --skip-unavailable, else exit 2.
unavailable() { # why
  if [ -n "$skip_unavailable" ]; then
    tap "1..0 # SKIP $1"
    exit 0
  fi
  echo "FAIL: $1" >&2
  exit 2
}
checks=0 failed=0 own_conf=''
check() { # 0 or 1 (passed), what was checked
  checks=$((checks + 1))
  if [ "$1" = 0 ]; then tap "ok $checks - $2"; else
    tap "not ok $checks - $2"
    failed=1
  fi
}
# A step the later checks need failed: stop here (the checks not run count as failed).
bail_out() { # why
  echo "FAIL: $1" >&2
  tap "Bail out! $1"
  exit 1
}

if [ "$(id -u)" -ne 0 ]; then
  unavailable "not root (slurmd, slurmctld and munged are started here as root daemons)"
fi

slurm_missing() {
  ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
    ! command -v sbatch >/dev/null || ! command -v munged >/dev/null || ! command -v mungekey >/dev/null
}
if slurm_missing; then
  [ -z "$skip_unavailable" ] || unavailable "Slurm is not installed: apt-get install slurm-wlm munge"
  # The package lists may be empty in a fresh container: update them only then.
  if ! apt-cache policy slurm-wlm | grep -q 'Candidate: [0-9]'; then apt-get update; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge
fi
if ss -ltn 2>/dev/null | grep -qE ":($ctld_port|$((ctld_port + 1)))\b"; then
  unavailable "port $ctld_port or $((ctld_port + 1)) is taken (a Slurm test already running?); set SLURM_TEST_PORT to a free pair"
fi
tap "1..9"

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
  # Jobs still running (a failure, an interrupt) would outlive slurmd: cancel them first.
  # (Only once SLURM_CONF names this test's cluster, never a real one of the machine.)
  if [ -n "$own_conf" ] && [ -n "$(squeue -h 2>/dev/null)" ]; then
    scancel --full -u root 2>/dev/null || true
    for _ in $(seq 30); do [ -n "$(squeue -h 2>/dev/null)" ] || break; sleep 0.5; done
  fi
  stop_daemon "$work/slurmd.pid"
  stop_daemon "$work/slurmctld.pid"
  stop_daemon "$work/munge/munged.pid"
  if [ "${KEEP:-}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
# An interrupt or a kill ends the script through exit, so the EXIT trap stops the daemons.
trap 'exit 130' INT
trap 'exit 143' TERM

# The cluster failing to start is the first check failing; its logs say why.
cluster_down() { # why
  echo "FAIL: $1; the ends of the daemons' logs:" >&2
  tail -n 20 "$work"/log/*.log >&2 2>/dev/null || true
  check 1 "a one-node Slurm cluster starts (munged, slurmctld, slurmd; the node idle)"
  bail_out "the Slurm cluster did not start: $1"
}

# munge: a fresh key (owned by root, mode 600: munged checks both) and our own socket.
# --force because munged will not otherwise run as root.
mungekey --create --keyfile="$work/munge/munge.key" || cluster_down "mungekey could not create a key"
chmod 600 "$work/munge/munge.key"
munged --force --key-file="$work/munge/munge.key" --socket="$work/munge/munge.socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/log/munged.log" \
  --seed-file="$work/munge/munged.seed" || cluster_down "munged did not start"

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
own_conf=1

# -c: start from empty state (the directory is new anyway).
slurmctld -c -f "$SLURM_CONF" || cluster_down "slurmctld did not start"
slurmd -f "$SLURM_CONF" || cluster_down "slurmd did not start"

for i in $(seq 60); do
  if [ "$(sinfo -h -o '%t' 2>/dev/null)" = idle ]; then break; fi
  if [ "$i" = 60 ]; then
    sinfo >&2 || true
    cluster_down "the node did not become idle in 60 s"
  fi
  sleep 1
done
echo "one-node cluster up after $(($(date +%s) - started)) s: $(sinfo -h -o '%P %D %t %c CPUs')" >&2
check 0 "a one-node Slurm cluster starts (munged, slurmctld, slurmd; the node idle)"

job_states() { # job id: one state per line (each array task has its own)
  scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'
}
# Waits for the jobs (ids separated by commas) to leave the queue; stops the script if
# they do not in 10 minutes.
wait_for_jobs() { # ids
  for i in $(seq 600); do
    [ -n "$(squeue -h -j "$1" 2>/dev/null)" ] || break
    if [ "$i" = 600 ]; then
      squeue >&2
      bail_out "the jobs $1 did not finish in 10 minutes"
    fi
    sleep 1
  done
}
# Whether every task of the jobs completed; if not, prints the ends of their logs.
jobs_completed() { # ids, their logs
  local job states ok=0
  for job in ${1//,/ }; do
    states=$(job_states "$job" | sort | uniq -c | xargs)
    echo "  job $job: ${states:-unknown}" >&2
    [[ $states =~ ^[0-9]+\ COMPLETED$ ]] || ok=1
  done
  [ "$ok" = 0 ] || tail -n 8 "${@:2}" >&2 || true
  return "$ok"
}
run_twinbench() { # log name, then a twinbench command
  "${twinbench[@]}" "${@:2}" >"$work/$1.log" 2>&1 || {
    tail -20 "$work/$1.log" >&2
    bail_out "twinbench ${*:2} failed on one machine"
  }
}
# Each table's row count and order-free row hash (twinbench fingerprint), of a merged
# database against the single-machine one.
same_fingerprint() { # single db, merged db, fingerprint options (--power id)
  local a b
  a=$("${twinbench[@]}" fingerprint --db "$work/$1.duckdb" "${@:3}" 2>&1) || return 1
  b=$("${twinbench[@]}" fingerprint --db "$work/$2.duckdb" "${@:3}" 2>&1) || {
    sed 's/^/  /' <<<"$b" >&2
    return 1
  }
  if [ "$a" = "$b" ] && [ -n "$a" ]; then
    sed 's/^/  same  /' <<<"$a" >&2
  else
    diff <(echo "$a") <(echo "$b") | sed 's/^/  /' >&2 || true
    return 1
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
    echo "  analyze ${analyze[*]} differs or gives no comparison:" >&2
    diff "$work/$1.json" "$work/$2.json" | head -20 >&2 || true
    return 1
  fi
}
passed() { # a command: 0 when it succeeded, else 1 (for check)
  if "$@"; then echo 0; else echo 1; fi
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
check "$(passed jobs_completed "$run_jobs" "$work"/jobs/run/*.out)" \
  "the run's $shards shard tasks and their merge job complete on Slurm"
check "$(passed jobs_completed "$power_jobs" "$work"/jobs/power/*.out)" \
  "the power study's $shards shard tasks and their merge job complete on Slurm"

# The same on one machine, with the default worker count.
run_twinbench run-single "${run[@]}" --db "$work/run-single.duckdb"
run_twinbench power-single "${power[@]}" --db "$work/power-single.duckdb"
echo "the run, merged from $shards shards vs on one machine:" >&2
check "$(passed same_fingerprint run-single run-merged)" \
  "the merged run has the single-machine run's fingerprint (every table's rows and hash)"
check "$(passed same_analysis run-single run-merged)" \
  "analyze gives the same comparison of the merged and the single-machine run"
# Each file holds one study, so both are study 1.
echo "the power study, merged from $shards shards vs on one machine:" >&2
check "$(passed same_fingerprint power-single power-merged --power 1)" \
  "the merged power study has the single-machine study's fingerprint"

# A lost shard: the merge refuses (exit 2) without it; run again alone as the README
# says (sbatch --array=3, then a merge depending on it), the merge is the same run again.
rm -rf "$work"/run/*/shard=3 "$work/run/manifests/shard-3.json"
status=0
"${twinbench[@]}" merge "$work/run" --db "$work/refused.duckdb" >"$work/refused.log" 2>&1 || status=$?
echo "without shard 3 the merge exits $status: $(tail -1 "$work/refused.log")" >&2
check "$([ "$status" = 2 ] && echo 0 || echo 1)" "without shard 3 the merge refuses (exit 2)"
rerun=$(sbatch --parsable --array=3 --cpus-per-task=1 --output="$work/jobs/run/rerun-%a.out" \
  deploy/slurm/twinbench-array.sbatch "$shards" "$work/run" "${run[@]}")
remerge=$(sbatch --parsable --dependency="afterok:$rerun" --kill-on-invalid-dep=yes \
  --output="$work/jobs/run/remerge.out" deploy/slurm/merge.sbatch "$work/run" "$work/run-remerged.duckdb")
wait_for_jobs "$rerun,$remerge"
check "$(passed jobs_completed "$rerun,$remerge" "$work"/jobs/run/re*.out)" \
  "shard 3 run again alone (sbatch --array=3) and its merge job complete on Slurm"
echo "the run with shard 3 run again, merged vs on one machine:" >&2
check "$(passed same_fingerprint run-single run-remerged)" \
  "merged again with the re-run shard, the run has the single-machine run's fingerprint"

took=$(($(date +%s) - started))
if [ "$failed" = 0 ]; then
  echo "PASS: $shards Slurm shards of $protocol merged equal one machine's run (n = $twins; also after shard 3 was lost and run again) and power study (n = $power_sizes, $power_replicates replicates) in every table ($((cluster_done - started)) s to the merges, $took s in all)" >&2
else
  echo "FAIL: a check failed, see 'not ok' above ($took s)" >&2
  exit 1
fi
