#!/usr/bin/env bash
# Records the REST responses of a real, running Flink cluster as test fixtures: the pure analysis of live metrics and
# the parser of Flink's REST JSON are tested against what a real JobManager says, not against hand-written JSON.
#
#   scripts/capture-rest-fixtures.sh VERSION [OUT_DIR]      (OUT_DIR defaults to tests/fixtures/rest/VERSION)
#
# It starts a standalone cluster of the distribution that scripts/flink-dist.sh caches (one JobManager, one
# TaskManager with 4 slots, RocksDB with incremental checkpoints every 5 s), bound to localhost on free ports, with
# its conf, logs, pid files and checkpoints in a temp dir; submits tests/jobs/DatagenJob.java at parallelism 2 with a
# source rate the keyed aggregation cannot keep up with (so the aggregation is busy and the source back-pressured);
# saves every response verbatim (curl -sf) and writes OUT_DIR/index.json (file -> REST path); then cancels the job and
# stops the cluster. A trap stops it on failure too. Environment: RATE (rows per second, default 2000000),
# WARMUP_SECONDS (default 65: Flink's per-second rates are means over the last 60 s, so earlier samples still climb),
# SAMPLE_INTERVAL_SECONDS (default 10, the JobManager's metric fetcher interval).
set -euo pipefail

version=${1:?usage: capture-rest-fixtures.sh VERSION [OUT_DIR]}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${2:-$repo/tests/fixtures/rest/$version}
rate=${RATE:-2000000}
warmup=${WARMUP_SECONDS:-65}
interval=${SAMPLE_INTERVAL_SECONDS:-10}
parallelism=2
samples=3
started=$(date +%s)

for tool in curl jq javac jar python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 2; }
done

home=$("$repo/scripts/flink-dist.sh" "$version")
work=$(mktemp -d "${TMPDIR:-/tmp}/flinktune-capture.XXXXXX")
conf=$work/conf log=$work/log pids=$work/pid
mkdir -p "$conf" "$log" "$pids" "$work/classes" "$work/checkpoints"
rest_port= jid=

log() { echo "capture-rest-fixtures: $*" >&2; }

# Runs one of Flink's daemon scripts with this cluster's environment only.
flink_script() {
  env -u FLINK_HOME -u FLINK_TM_HEAP -u FLINK_JM_HEAP -u FLINK_ENV_JAVA_OPTS \
    FLINK_CONF_DIR="$conf" FLINK_LOG_DIR="$log" FLINK_PID_DIR="$pids" bash "$home/bin/$1" "${@:2}"
}

# A pid from our pid files is killed only while its command line names our log dir (never a reused pid).
ours() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -qF -- "$log"; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$jid" ] && [ -n "$rest_port" ]; then
    curl -sf -X PATCH "http://localhost:$rest_port/jobs/$jid?mode=cancel" >/dev/null 2>&1 || true
  fi
  local pid_list
  pid_list=$(cat "$pids"/*.pid 2>/dev/null || true)
  flink_script taskmanager.sh stop-all >/dev/null 2>&1 || true
  flink_script jobmanager.sh stop >/dev/null 2>&1 || true
  for pid in $pid_list; do
    if ours "$pid"; then kill "$pid" 2>/dev/null || true; fi
  done
  sleep 1
  for pid in $pid_list; do
    if ours "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
  done
  if [ "$status" -ne 0 ]; then
    log "failed (exit $status); last log lines:"
    tail -n 30 "$log"/*.log >&2 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# --- the job jar (as tests/it/support/job.rs builds it) ---
javac -d "$work/classes" -cp "$home/lib/*" "$repo/tests/jobs/DatagenJob.java"
jar cf "$work/DatagenJob.jar" -C "$work/classes" .

# --- the conf dir: the distribution's conf files, its config.yaml flattened, the cluster-local settings over it ---
cp "$home"/conf/* "$conf/"
rest_port=$(free_port)
rpc_port=$(free_port)
while [ "$rpc_port" = "$rest_port" ]; do rpc_port=$(free_port); done
python3 - "$home/conf/config.yaml" "$conf/config.yaml" <<PY
import sys

# The shipped config.yaml is nested maps of plain scalars; flatten it to dotted keys so the settings below replace
# (not duplicate) its values. The env.java.opts.all module flags are kept: Java 17 needs them to submit a job.
shipped, target = sys.argv[1], sys.argv[2]
flat, stack = {}, []
for raw in open(shipped):
    line = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
    if not line.strip():
        continue
    indent = len(line) - len(line.lstrip())
    key, _, value = line.strip().partition(":")
    while stack and stack[-1][0] >= indent:
        stack.pop()
    if value.strip():
        flat[".".join([k for _, k in stack] + [key])] = value.strip()
    else:
        stack.append((indent, key))
settings = {
    # cluster-local settings (as tests/it/support/cluster.rs): localhost only, free ports, our own pid and log dirs
    "rest.port": "$rest_port",
    "rest.bind-port": "$rest_port",
    "rest.address": "localhost",
    "rest.bind-address": "localhost",
    "jobmanager.rpc.address": "localhost",
    "jobmanager.rpc.port": "$rpc_port",
    "jobmanager.bind-host": "localhost",
    "taskmanager.host": "localhost",
    "taskmanager.bind-host": "localhost",
    "taskmanager.rpc.port": "0",
    "taskmanager.data.port": "0",
    "blob.server.port": "0",
    "metrics.internal.query-service.port": "0",
    "env.pid.dir": "$pids",
    "env.log.dir": "$log",
    # the recording's own setup: 4 slots, RocksDB with incremental checkpoints every 5 s (full and incremental sizes)
    "taskmanager.numberOfTaskSlots": "4",
    "taskmanager.memory.process.size": "2g",
    "state.backend.type": "rocksdb",
    "execution.checkpointing.interval": "5 s",
    "execution.checkpointing.incremental": "true",
    "execution.checkpointing.dir": "file://$work/checkpoints",
}
flat.update(settings)
with open(target, "w") as out:
    out.write("# written by scripts/capture-rest-fixtures.sh from the distribution's config.yaml\n")
    for key, value in flat.items():
        out.write(f"{key}: {value}\n")
PY
[ -s "$conf/config.yaml" ]
grep -q '^env.java.opts.all: ' "$conf/config.yaml" || { echo "error: no env.java.opts.all in the shipped conf" >&2; exit 2; }

# --- the cluster ---
base=http://localhost:$rest_port
get() { curl -sf --globoff --max-time 30 "$base$1"; }
log "Flink $version from $home, REST on $base, work dir $work"
flink_script jobmanager.sh start >/dev/null
flink_script taskmanager.sh start >/dev/null

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$(($(date +%s) + $1)) what=$2
  shift 2
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "error: timed out waiting for $what" >&2; return 1; }
    sleep 0.5
  done
}
tm_ready() { get /taskmanagers 2>/dev/null | jq -e '[.taskmanagers[] | select(.slotsNumber > 0)] | length >= 1' >/dev/null; }
wait_for 90 "REST on $base" get /overview >/dev/null
wait_for 90 "the TaskManager to register its slots" tm_ready

# --- the job ---
command_line="bin/flink run -d -p $parallelism -c DatagenJob DatagenJob.jar $rate"
submitted=$(env -u FLINK_HOME FLINK_CONF_DIR="$conf" FLINK_LOG_DIR="$log" \
  "$home/bin/flink" run -d -p "$parallelism" -c DatagenJob "$work/DatagenJob.jar" "$rate" 2>&1) \
  || { echo "$submitted" >&2; exit 1; }
jid=$(grep -oE 'JobID [0-9a-f]{32}' <<<"$submitted" | awk '{print $2}' | tail -n 1)
[ -n "$jid" ] || { echo "error: no JobID in the output of flink run:" >&2; echo "$submitted" >&2; exit 1; }
log "job $jid submitted ($command_line)"
job_running() { get "/jobs/$jid" 2>/dev/null | jq -e '.state == "RUNNING"' >/dev/null; }
wait_for 90 "job $jid to be RUNNING" job_running
# Right after RUNNING, before its tasks are deployed and so before any checkpoint can complete: the summary
# percentiles are the string "NaN" then.
mkdir -p "$out"
rm -f "$out"/*.json
curl -sf --globoff "$base/jobs/$jid/checkpoints" >"$out/checkpoints_before_first.json"
all_running() {
  get "/jobs/$jid" 2>/dev/null \
    | jq -e '.state == "RUNNING" and (.vertices | length > 0) and all(.vertices[]; .status == "RUNNING")' >/dev/null
}
wait_for 90 "job $jid to run" all_running

# --- capture ---
declare -A paths=()
save() { # save FILE PATH
  get "$2" >"$out/$1" || { echo "error: GET $2 failed" >&2; return 1; }
  jq -e . "$out/$1" >/dev/null || { echo "error: GET $2 is not JSON" >&2; return 1; }
  paths[$1]=$2
}

paths[checkpoints_before_first.json]=/jobs/$jid/checkpoints
jq -e . "$out/checkpoints_before_first.json" >/dev/null
if [ "$(jq '.counts.completed' "$out/checkpoints_before_first.json")" != 0 ]; then
  log "warning: a checkpoint had completed before checkpoints_before_first.json was taken"
fi

log "warming up ${warmup}s"
sleep "$warmup"
completed() { [ "$(get "/jobs/$jid/checkpoints" | jq '.counts.completed')" -ge 2 ]; }
wait_for 60 "2 completed checkpoints" completed

# Vertices in the order of GET /jobs/:jid (topological: sources first). The plan's nodes come in another order
# (sinks first on 2.3.0), so index.json names each vertex's id and the files are found through it.
mapfile -t vertices < <(get "/jobs/$jid" | jq -r '.vertices[].id')
[ "${#vertices[@]}" -ge 1 ] || { echo "error: the plan has no nodes" >&2; exit 1; }

# The metric-name listing fills lazily: retry until it names busyTimeMsPerSecond.
metric_names() { # metric_names VERTEX_ID -> the listed names, one per line
  local names deadline=$(($(date +%s) + 30))
  while :; do
    names=$(get "/jobs/$jid/vertices/$1/subtasks/metrics" | jq -r '.[].id')
    if grep -qx busyTimeMsPerSecond <<<"$names" || [ "$(date +%s)" -ge "$deadline" ]; then
      echo "$names"
      return
    fi
    sleep 1
  done
}
declare -A wanted=()
for i in "${!vertices[@]}"; do
  vid=${vertices[$i]}
  names=$(metric_names "$vid")
  save "vertex_${i}_subtasks_metrics_list.json" "/jobs/$jid/vertices/$vid/subtasks/metrics"
  ask=()
  for name in busyTimeMsPerSecond backPressuredTimeMsPerSecond idleTimeMsPerSecond numRecordsInPerSecond \
    numRecordsOutPerSecond checkpointStartDelayNanos checkpointAlignmentTime; do
    if grep -qxF "$name" <<<"$names"; then ask+=("$name"); fi
  done
  while IFS= read -r name; do
    [ -n "$name" ] && ask+=("$name")
  done < <(grep -E '^Source__.*\.numRecords(In|Out)(PerSecond)?$|\.pendingRecords$' <<<"$names" || true)
  wanted[$i]=$(IFS=,; echo "${ask[*]}")
done

tm_names=$(get /taskmanagers/metrics | jq -r '.[].id')
save taskmanagers_metrics_list.json /taskmanagers/metrics
tm_ask=()
for name in Status.JVM.Memory.Heap.Used Status.JVM.Memory.Heap.Max Status.Flink.Memory.Managed.Used \
  Status.JVM.Memory.Metaspace.Used Status.JVM.GarbageCollector.All.TimeMsPerSecond Status.JVM.CPU.Load; do
  if grep -qxF "$name" <<<"$tm_names"; then tm_ask+=("$name"); else log "note: no TaskManager metric $name"; fi
done
tm_query="/taskmanagers/metrics?get=$(IFS=,; echo "${tm_ask[*]}")&agg=min,max,avg"

# A metrics request answers from the JobManager's metric store and, when that is older than the fetcher interval,
# triggers a fetch from the TaskManagers that lands after the answer. So each sample first pokes the store, waits
# for the fetch, then saves: without this, two samples 10 s apart can be the same values.
poke() {
  for i in "${!vertices[@]}"; do get "/jobs/$jid/vertices/${vertices[$i]}/subtasks/metrics?get=${wanted[$i]}" >/dev/null; done
  get "$tm_query" >/dev/null
}
for k in $(seq 1 "$samples"); do
  [ "$k" -eq 1 ] || sleep $((interval - 1))
  poke
  sleep 2
  log "sample $k of $samples"
  for i in "${!vertices[@]}"; do
    save "vertex_${i}_subtasks_metrics_sample$k.json" "/jobs/$jid/vertices/${vertices[$i]}/subtasks/metrics?get=${wanted[$i]}"
  done
  save "taskmanagers_metrics_sample$k.json" "$tm_query"
done

save overview.json /overview
save config.json /config
save jobs.json /jobs
save jobs_overview.json /jobs/overview
save job.json "/jobs/$jid"
save job_plan.json "/jobs/$jid/plan"
save job_config.json "/jobs/$jid/config"
save job_jobmanager_config.json "/jobs/$jid/jobmanager/config"
save jobmanager_config.json /jobmanager/config
save jobmanager_metrics.json "/jobmanager/metrics?get=taskSlotsTotal,taskSlotsAvailable"
save taskmanagers.json /taskmanagers
mapfile -t tms < <(jq -r '.taskmanagers[].id' "$out/taskmanagers.json")
for n in "${!tms[@]}"; do
  save "taskmanager_$n.json" "/taskmanagers/${tms[$n]}"
done
for i in "${!vertices[@]}"; do
  vid=${vertices[$i]}
  save "vertex_$i.json" "/jobs/$jid/vertices/$vid"
  save "vertex_${i}_metrics_list.json" "/jobs/$jid/vertices/$vid/metrics"
  save "vertex_${i}_watermarks.json" "/jobs/$jid/vertices/$vid/watermarks"
done
# Back-pressure is sampled on request; the first answer may still be in progress, so ask again until it has levels.
for i in "${!vertices[@]}"; do
  path="/jobs/$jid/vertices/${vertices[$i]}/backpressure"
  for _ in $(seq 1 20); do
    save "vertex_${i}_backpressure.json" "$path"
    [ "$(jq -r '.subtasks | length' "$out/vertex_${i}_backpressure.json" 2>/dev/null)" -gt 0 ] 2>/dev/null && break
    sleep 1
  done
done
save checkpoints.json "/jobs/$jid/checkpoints"
save checkpoints_config.json "/jobs/$jid/checkpoints/config"

# --- index.json ---
{
  for file in "${!paths[@]}"; do printf '%s\t%s\n' "$file" "${paths[$file]}"; done
} | sort | jq -Rn \
  --arg version "$version" --arg jid "$jid" --arg cmd "$command_line" \
  --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg rate "$rate" --argjson samples "$samples" \
  --argjson interval "$interval" --slurpfile job "$out/job.json" '
  {
    flink_version: $version,
    job_id: $jid,
    job: "tests/jobs/DatagenJob.java",
    rows_per_second: ($rate | tonumber),
    command_line: $cmd,
    captured_at: $date,
    captured_by: "scripts/capture-rest-fixtures.sh",
    samples: $samples,
    sample_interval_seconds: $interval,
    vertex_order: "as GET /jobs/:jid lists them (topological); vertex_<i>_* files are vertices[i]",
    vertices: [ $job[0].vertices[] | { id, name, parallelism } ],
    files: ([inputs | split("\t") | { key: .[0], value: .[1] }] | from_entries)
  }' >"$out/index.json"

log "captured $(ls "$out" | wc -l) files ($(du -sh "$out" | cut -f1)) into $out in $(($(date +%s) - started))s"
