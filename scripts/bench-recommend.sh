#!/usr/bin/env bash
# Whole-process cost of `flinktune recommend` (targets: under 20 ms wall, under 20 MB peak memory): once probing this
# host (sysinfo, cgroup files, sysfs), once for a host given by flags writing a config file. Wall time by hyperfine
# (Debian package) when present, else a plain loop; peak resident memory by GNU time. For scale, the same run measures
# Flink's own BashJavaUtils resolving the TaskManager memory of the emitted file (what a TaskManager start does first).
#   scripts/bench-recommend.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
home=$(scripts/flink-dist.sh 2.3.0)
cargo build --release --quiet
bin=$PWD/target/release/flinktune
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
probe=("$bin" recommend --flink-version 2.3 --profile large-state --checkpoint-dir s3://bucket/ckpt)
planned=("$bin" recommend --flink-version 2.3 --profile large-state --checkpoint-dir s3://bucket/ckpt
  --cores 96 --memory 768g --disk ssd --hosts 40 -o "$out" --force)
"${planned[@]}" >/dev/null 2>&1
java_cmd=(java -cp "$home/bin/bash-java-utils.jar:$home/lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils
  GET_TM_RESOURCE_PARAMS --configDir "$out")

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 3 --runs "$runs" "${probe[*]}" "${planned[*]}" "$(printf '%q ' "${java_cmd[@]}")"
else
  for cmd in probe planned; do
    declare -n c=$cmd
    start=$(date +%s%N)
    for _ in $(seq "$runs"); do "${c[@]}" >/dev/null 2>&1; done
    end=$(date +%s%N)
    echo "$cmd: mean $(( (end - start) / runs / 1000 )) us"
  done
fi

if [ -x /usr/bin/time ]; then
  for cmd in probe planned; do
    declare -n c=$cmd
    /usr/bin/time -f "$cmd: peak RSS %M KiB, %e s" "${c[@]}" >/dev/null 2>"$out/time.txt" || true
    tail -1 "$out/time.txt"
  done
else
  echo "GNU time (/usr/bin/time) not installed: no peak memory figure"
fi
