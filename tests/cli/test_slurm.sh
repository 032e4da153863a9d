#!/usr/bin/env bash
# The Snakemake workflow (scripts/workflow) on a real single-node SLURM cluster that this test starts and stops:
# munged (as the munge user, its own key and socket in a temporary folder), slurmctld and slurmd, from a
# minimal slurm.conf written there (SLURM_CONF points to it; no slurmdbd, so no accounting). The cohort of six
# files (the bundled example's 20 samples split with bcftools view -s) is scanned through
# --profile scripts/workflow/profiles/slurm by files (n=3), samples (n=3) and chromosomes (three), every job
# an sbatch job; each merge must equal one local `healcap scan --file-list` run (samples.tsv and sites.tsv
# byte for byte, the JSON but for its top-level "run" object), and scontrol must show the 3 scan jobs of each
# plan COMPLETED with the CPUs and memory the config asked for.
# This test never skips: when SLURM cannot be installed or started it fails, naming the reason, with the logs.
# Needs root (it installs what is missing with apt-get and starts the daemons). Stops exactly the daemons it
# started, by PID, and removes everything it wrote, on any exit.
# Usage: test_slurm.sh HEALCAP_BINARY PROJECT_SOURCE_DIR
set -u
healcap=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
example=$src/tests/data/example_cohort.vcf.gz
snakefile=$src/scripts/workflow/Snakefile
profile=$src/scripts/workflow/profiles/slurm
case "$healcap" in /*) ;; *) healcap=$(pwd)/$healcap ;; esac

die() {  # die REASON: fails the test loudly, with every log written so far
  echo "FAIL $1"
  show_daemon_logs
  echo "$n_pass passed, $((n_fail + 1)) failed"
  exit 1
}
show_daemon_logs() {
  local f
  [ -n "${tmp:-}" ] || return 0
  for f in "$tmp"/log/*; do
    [ -s "$f" ] || continue
    echo "----- $f (last 40 lines)"
    tail -40 "$f"
  done
}

# --- the daemons this test starts, and their stop ---------------------------------------------------------
tmp=
started_pids=()   # in start order: munged, slurmctld, slurmd
started_names=()
stop_pid() {  # stop_pid PID NAME: SIGTERM, up to 20 s, then SIGKILL; reaps it
  local pid=$1 name=$2 i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "cleanup: $name (pid $pid) still running after 20 s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  return 0
}
cleanup() {
  local rc=$? k ids
  trap - EXIT INT TERM
  if [ "${#started_pids[@]}" -gt 0 ]; then
    # Jobs still queued or running on this test's cluster (a failure on the way) are cancelled first.
    ids=$(squeue -h -o %i 2>/dev/null)
    if [ -n "$ids" ]; then
      echo "cleanup: cancelling jobs $ids"
      scancel $ids 2>/dev/null
      sleep 2
    fi
    for ((k = ${#started_pids[@]} - 1; k >= 0; k--)); do
      stop_pid "${started_pids[$k]}" "${started_names[$k]}"
    done
  fi
  [ -n "$tmp" ] && rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- what it needs -------------------------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "needs root: it installs SLURM and munge and starts slurmctld, slurmd and munged"
# A surrounding SLURM job's variables must not reach this cluster's clients.
for v in $(compgen -e | grep '^SLURM_'); do unset "$v"; done
pkgs=()
command -v slurmctld >/dev/null 2>&1 || pkgs+=(slurmctld)
command -v slurmd >/dev/null 2>&1 || pkgs+=(slurmd)
command -v sbatch >/dev/null 2>&1 || pkgs+=(slurm-client)
command -v munged >/dev/null 2>&1 || pkgs+=(munge)
command -v snakemake >/dev/null 2>&1 || pkgs+=(snakemake)
command -v bcftools >/dev/null 2>&1 || pkgs+=(bcftools)
command -v tabix >/dev/null 2>&1 || pkgs+=(tabix)
command -v setpriv >/dev/null 2>&1 || pkgs+=(util-linux)
if [ "${#pkgs[@]}" -gt 0 ]; then
  echo "installing ${pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null ||
    die "apt-get install ${pkgs[*]} failed"
fi
for c in slurmctld slurmd sbatch squeue scontrol sinfo munged munge unmunge snakemake bcftools tabix setpriv python3; do
  command -v "$c" >/dev/null 2>&1 || die "$c is not on PATH after installing"
done
id munge >/dev/null 2>&1 || die "no munge user (the munge package creates it)"
# Snakemake's SLURM executor reads $USER (unset for root in many containers).
export USER=${USER:-$(id -un)}
echo "$(slurmctld -V), munge $(munged -V 2>&1 | awk '{print $1}' | head -1), snakemake $(snakemake --version)"

tmp=$(mktemp -d /tmp/healcap-slurm.XXXXXX) || die "mktemp failed"
chmod 755 "$tmp"  # the munge user must reach its socket in here
mkdir -p "$tmp/log" "$tmp/state" "$tmp/spool" "$tmp/munge" "$tmp/munge-run" "$tmp/work"
chown munge:munge "$tmp/munge" "$tmp/munge-run" "$tmp/log"
chmod 700 "$tmp/munge"
chmod 755 "$tmp/munge-run"
chmod 755 "$tmp/log"
socket=$tmp/munge-run/munge.socket

# --- munged: its own key and socket, as the munge user ------------------------------------------------------
as_munge() { setpriv --reuid=munge --regid=munge --init-groups "$@"; }
if command -v mungekey >/dev/null 2>&1; then
  as_munge mungekey --create --keyfile="$tmp/munge/munge.key" >"$tmp/log/mungekey.log" 2>&1 || die "mungekey could not create a key"
else
  as_munge dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1 count=1024 status=none || die "could not create a munge key"
  chmod 400 "$tmp/munge/munge.key"
fi
setpriv --reuid=munge --regid=munge --init-groups munged --foreground --socket="$socket" --key-file="$tmp/munge/munge.key" \
  --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/munged.seed" --log-file="$tmp/log/munged.log" \
  </dev/null >"$tmp/log/munged.out" 2>&1 &
started_pids+=($!) started_names+=(munged)
for i in $(seq 1 50); do [ -S "$socket" ] && break; kill -0 "${started_pids[0]}" 2>/dev/null || break; sleep 0.2; done
if munge -n -S "$socket" | unmunge -S "$socket" >"$tmp/log/unmunge.out" 2>&1; then
  pass "munged (pid ${started_pids[0]}, user munge) encodes and decodes a credential"
else
  die "munged did not start or cannot encode/decode a credential"
fi

# --- slurm.conf: one node, this host, the CPUs and memory slurmd -C reports ------------------------------------
host=$(hostname -s)
node_line=$(slurmd -C 2>"$tmp/log/slurmd-C.err" | grep '^NodeName=') || die "slurmd -C failed"
cpus=$(printf '%s\n' "$node_line" | tr ' ' '\n' | sed -n 's/^CPUs=//p')
mem=$(printf '%s\n' "$node_line" | tr ' ' '\n' | sed -n 's/^RealMemory=//p')
[ -n "$cpus" ] && [ -n "$mem" ] || die "cannot read CPUs and RealMemory from slurmd -C: $node_line"
# Snakemake's default mem_mb is 1000 and a job asking more than RealMemory is refused.
[ "$mem" -ge 1000 ] || die "slurmd -C reports RealMemory=$mem MB; at least 1000 MB is needed"
read -r ctld_port d_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])') || die "no free TCP ports"
export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<EOF
# Written by healcap's tests/cli/test_slurm.sh; removed when it ends.
ClusterName=healcaptest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
# Finished jobs stay visible to scontrol (snakemake's status fallback without sacct) for 300 s.
MinJobAge=300
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
echo "slurm.conf: node $host, CPUs=$cpus, RealMemory=$mem, ports $ctld_port/$d_port"

# --- slurmctld and slurmd in the foreground, in the background of this shell -----------------------------------
slurmctld -D -f "$SLURM_CONF" </dev/null >"$tmp/log/slurmctld.out" 2>&1 &
started_pids+=($!) started_names+=(slurmctld)
for i in $(seq 1 50); do scontrol ping >/dev/null 2>&1 && break; kill -0 "${started_pids[1]}" 2>/dev/null || break; sleep 0.2; done
kill -0 "${started_pids[1]}" 2>/dev/null || die "slurmctld exited at start"
slurmd -D -f "$SLURM_CONF" </dev/null >"$tmp/log/slurmd.out" 2>&1 &
started_pids+=($!) started_names+=(slurmd)
state=
for i in $(seq 1 60); do
  kill -0 "${started_pids[1]}" 2>/dev/null || die "slurmctld exited"
  kill -0 "${started_pids[2]}" 2>/dev/null || die "slurmd exited"
  state=$(sinfo -h -N -n "$host" -o %t 2>/dev/null)
  [ "$state" = idle ] && break
  sleep 1
done
[ "$state" = idle ] || die "the node is not idle after 60 s (sinfo says '${state:-nothing}')"
pass "slurmctld (pid ${started_pids[1]}) and slurmd (pid ${started_pids[2]}) up, node $host idle"
sinfo

# --- the cohort and the single local runs ------------------------------------------------------------------
# make_cohort DIR: writes DIR/part1..6 (part6 a BCF) with their indexes and DIR/files.txt (absolute paths).
make_cohort() {
  local dir=$1 n g f
  mkdir -p "$dir"
  bcftools query -l "$example" >"$dir/samples.txt" || return 1
  n=$(wc -l <"$dir/samples.txt")
  : >"$dir/files.txt"
  echo "# the example cohort, split by sample" >>"$dir/files.txt"
  for g in 1 2 3 4 5 6; do
    awk -v g=$g -v n="$n" '{ if (int((NR - 1) * 6 / n) + 1 == g) print }' "$dir/samples.txt" >"$dir/part$g.samples"
    if [ $g -eq 6 ]; then
      f=$dir/part$g.bcf
      bcftools view -S "$dir/part$g.samples" -Ob -o "$f" "$example" && bcftools index "$f" || return 1
    else
      f=$dir/part$g.vcf.gz
      bcftools view -S "$dir/part$g.samples" -Oz -o "$f" "$example" && tabix -p vcf "$f" || return 1
    fi
    echo "$f" >>"$dir/files.txt"
  done
}
cohort=$tmp/cohort
make_cohort "$cohort" || die "making the cohort failed"
pass "cohort: 6 indexed files from the example's $(wc -l <"$cohort/samples.txt") samples"
chroms=$(bcftools index -s "$cohort/part1.vcf.gz" | cut -f1 | head -3 | paste -sd, -)
mkdir -p "$tmp/single"
run "$healcap" scan --threads 2 --file-list "$cohort/files.txt" --out "$tmp/single/all"
expect_rc "single local run over the file list" 0
run "$healcap" scan --threads 2 --file-list "$cohort/files.txt" -r "$chroms" --out "$tmp/single/chroms"
expect_rc "single local run over the file list, -r $chroms" 0

json_same_but_run() {  # json_same_but_run A B: equal once the top-level "run" objects are removed
  python3 - "$1" "$2" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    d.pop("run", None)
if a != b:
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    print("top-level keys that differ: " + ", ".join(keys))
    sys.exit(1)
EOF
}
same_as_single() {  # same_as_single NAME MERGED_PREFIX SINGLE_PREFIX
  local d
  if cmp -s "$2.samples.tsv" "$3.samples.tsv"; then pass "$1: samples.tsv equals the single run's"; else
    fail "$1: samples.tsv differs from the single run's" "$(diff "$2.samples.tsv" "$3.samples.tsv" 2>&1 | head -5)"; fi
  if cmp -s "$2.sites.tsv" "$3.sites.tsv"; then pass "$1: sites.tsv equals the single run's"; else
    fail "$1: sites.tsv differs from the single run's" "$(diff "$2.sites.tsv" "$3.sites.tsv" 2>&1 | head -5)"; fi
  if d=$(json_same_but_run "$2.json" "$3.json" 2>&1); then pass "$1: JSON equals the single run's but for \"run\""; else
    fail "$1: JSON differs from the single run's" "$d"; fi
  if [ -f "$3.calls.tsv.gz" ] && cmp -s "$2.calls.tsv.gz" "$3.calls.tsv.gz"; then pass "$1: calls.tsv.gz equals the single run's"; else
    fail "$1: calls.tsv.gz differs from the single run's (or is missing)" "$(cmp "$2.calls.tsv.gz" "$3.calls.tsv.gz" 2>&1 | head -1)"; fi
}

# --- the workflow through the SLURM profile ------------------------------------------------------------------
mem_mb=500
plans=("files|n: 3|all" "samples|n: 3|all" "chromosomes|chromosomes: [$chroms]|chroms")
for p in "${plans[@]}"; do
  IFS='|' read -r mode shard single <<<"$p"
  dir=$tmp/work/$mode
  mkdir -p "$dir"
  {
    echo "healcap: $healcap"
    echo "file_list: $cohort/files.txt"
    echo "shards:"
    echo "  mode: $mode"
    echo "  $shard"
    echo "threads: 1"
    echo "mem_mb: $mem_mb"
    echo "runtime: 10"
    echo "outdir: $dir/out"
    echo "name: merged"
  } >"$dir/config.yaml"
  sm=(snakemake -s "$snakefile" --configfile "$dir/config.yaml" --directory "$dir" --profile "$profile")
  run "${sm[@]}" -n
  expect_rc "SLURM $mode plan: dry run with the profile" 0
  expect_match "SLURM $mode plan: the dry run plans 3 scans" "$out"$'\n'"$err" '^scan +3 '
  start=$(date +%s)
  run "${sm[@]}"
  printf '%s\n' "$out"$'\n'"$err" >"$dir/snakemake.log"
  if [ "$rc" -eq 0 ]; then
    pass "SLURM $mode plan: snakemake --profile slurm ($(($(date +%s) - start)) s)"
  else
    fail "SLURM $mode plan: snakemake --profile slurm: exit $rc" "$(grep -E 'Error|error|failed' "$dir/snakemake.log" | sort -u | head -8)"
    for f in "$dir"/out/logs/*.log; do
      [ -s "$f" ] && { echo "     --- $f"; tail -10 "$f" | sed 's/^/     /'; }
    done
    for id in $(sed -n "s/.*SLURM-job '\([0-9]*\)' failed.*/\1/p" "$dir/snakemake.log" | sort -u); do
      for f in "$dir"/.snakemake/slurm_logs/*/"$id".log; do
        [ -f "$f" ] && { echo "     --- SLURM job $id: $f"; tail -15 "$f" | sed 's/^/     /'; }
      done
    done
  fi
  # "Job 3 has been submitted with SLURM jobid 7 (log: .snakemake/slurm_logs/rule_scan/7.log)"
  scan_ids=$(sed -n 's/.*submitted with SLURM jobid \([0-9]*\) (log: .*slurm_logs\/rule_scan\/.*/\1/p' "$dir/snakemake.log" | sort -n | paste -sd' ' -)
  merge_ids=$(sed -n 's/.*submitted with SLURM jobid \([0-9]*\) (log: .*slurm_logs\/rule_merge\/.*/\1/p' "$dir/snakemake.log" | paste -sd' ' -)
  echo "SLURM $mode plan: scan jobs ${scan_ids:-none}, merge job ${merge_ids:-none}; scontrol show job:"
  n_done=0 n_res=0
  for id in $scan_ids $merge_ids; do
    line=$(scontrol -o show job "$id" 2>&1)
    printf '%s\n' "$line" | tr ' ' '\n' | grep -E '^(JobId|JobName|JobState|ExitCode|NumCPUs|MinMemoryNode|RunTime|NodeList)=' | paste -sd' ' - | sed 's/^/     /'
    case " $scan_ids " in *" $id "*) ;; *) continue ;; esac
    printf '%s\n' "$line" | grep -q 'JobState=COMPLETED ' && printf '%s\n' "$line" | grep -q 'ExitCode=0:0 ' && n_done=$((n_done + 1))
    printf '%s\n' "$line" | grep -q "MinMemoryNode=${mem_mb}M " && printf '%s\n' "$line" | grep -q 'NumCPUs=1 ' && n_res=$((n_res + 1))
  done
  expect_eq "SLURM $mode plan: 3 scan jobs went through SLURM, COMPLETED with exit 0" "$n_done" 3
  expect_eq "SLURM $mode plan: each scan job had the config's 1 CPU and ${mem_mb} MB" "$n_res" 3
  n_merge=0
  for id in $merge_ids; do scontrol -o show job "$id" 2>&1 | grep -q 'JobState=COMPLETED ' && n_merge=$((n_merge + 1)); done
  expect_eq "SLURM $mode plan: the merge job went through SLURM and COMPLETED" "$n_merge" 1
  same_as_single "SLURM $mode plan" "$dir/out/merged" "$tmp/single/$single"
done

echo "squeue (should be empty):"
squeue
if sacct -n -X -o JobID,JobName%30,State,ExitCode >"$tmp/sacct.out" 2>&1; then cat "$tmp/sacct.out"; else
  echo "sacct: $(head -1 "$tmp/sacct.out") (no slurmdbd: job states above come from scontrol)"
fi
finish
