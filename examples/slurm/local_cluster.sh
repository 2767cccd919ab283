#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, owned by this script: munged, slurmctld and slurmd
# run as background processes with their state, logs and sockets under DIR.
#   examples/slurm/local_cluster.sh start DIR   # prints the SLURM_CONF to export
#   examples/slurm/local_cluster.sh stop DIR
# Needs the Debian packages slurm-wlm and munge (root, or a user who can run munged with its
# own key). The partition `local` has this machine's cores and memory; proctrack/linuxproc and
# task/none need no cgroups, so it also runs in containers and CI.
set -euo pipefail
cmd=${1:?usage: local_cluster.sh start|stop DIR}
dir=$(realpath -m "${2:?usage: local_cluster.sh start|stop DIR}")
conf="$dir/slurm.conf"

stop() {
    for p in slurmd slurmctld munged; do
        if [[ -f "$dir/$p.pid" ]]; then
            pid=$(cat "$dir/$p.pid" 2>/dev/null || true)
            if [[ -n $pid ]]; then
                kill "$pid" 2>/dev/null || true
                for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            fi
            rm -f "$dir/$p.pid"
        fi
    done
}

if [[ $cmd == stop ]]; then
    stop
    exit 0
fi
[[ $cmd == start ]] || { echo "local_cluster.sh: command = $cmd: allowed are start and stop" >&2; exit 2; }

for tool in munged slurmctld slurmd sinfo; do
    command -v "$tool" >/dev/null || { echo "local_cluster.sh: $tool not found: install the Debian packages slurm-wlm and munge" >&2; exit 2; }
done
mkdir -p "$dir"/{state,spool,munge,log}
host=$(hostname -s)
cpus=$(nproc)
mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
user=$(id -un)

# Two free TCP ports for slurmctld and slurmd (several clusters can run on one machine).
free_port() {
    local p
    for _ in $(seq 200); do
        p=$(( 20000 + RANDOM % 20000 ))
        if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && [[ $p != "${1:-}" ]]; then
            echo "$p"
            return
        fi
    done
    echo "local_cluster.sh: no free TCP port found in 20000-39999" >&2
    exit 1
}
ctld_port=${SLURMCTLD_PORT:-$(free_port)}
slurmd_port=${SLURMD_PORT:-$(free_port "$ctld_port")}
[[ -n $ctld_port && -n $slurmd_port ]] || exit 1

# munge: its own key and socket, so it never touches a system munged.
if [[ ! -f "$dir/munge/munge.key" ]]; then
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1 count=1024 status=none
fi
chmod 700 "$dir/munge"; chmod 400 "$dir/munge/munge.key"
socket="$dir/munge/munge.socket"
munged --force --key-file="$dir/munge/munge.key" --socket="$socket" \
    --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/seed"

cat > "$conf" <<CONF
ClusterName=nanomag-local
SlurmctldHost=$host
SlurmUser=$user
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MaxArraySize=1001
KillWait=5
InactiveLimit=0
DefMemPerCPU=$(( mem_mb / cpus ))
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
export SLURM_CONF="$conf"
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 100); do
    if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
        echo "export SLURM_CONF=$conf"
        exit 0
    fi
    sleep 0.2
done
echo "local_cluster.sh: the node did not come up in 20 s; logs in $dir/log" >&2
stop
exit 1
