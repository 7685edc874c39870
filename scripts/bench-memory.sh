#!/usr/bin/env bash
# Whole-process wall time of `flinktune memory` against Flink's own BashJavaUtils (what the start scripts run) on the
# same configuration, measured side by side in one run: N runs each, mean and best in milliseconds, and the ratio.
#   scripts/bench-memory.sh [RUNS] [FLINK_VERSION]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
version=${2:-2.3.0}
home=$(scripts/flink-dist.sh "$version")
cargo build --release --quiet
bin=target/release/flinktune
conf="$home/conf"
flinktune_cmd=("$bin" memory --conf-dir "$conf" --flink-version "$version")
java_cmd=(java -cp "$home/bin/bash-java-utils.jar:$home/lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils
  GET_TM_RESOURCE_PARAMS --configDir "$conf")

# hyperfine (Debian package) measures without the shell's fork overhead and prints the ratio itself.
if command -v hyperfine >/dev/null 2>&1; then
  exec hyperfine -N --warmup 2 --runs "$runs" "${flinktune_cmd[*]}" "$(printf '%q ' "${java_cmd[@]}")"
fi

time_ms() { # command... -> prints elapsed ms of one run
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(( (end - start) / 1000 ))
}

measure() { # label command...
  local label=$1; shift
  local total=0 best=999999999 us
  for _ in $(seq "$runs"); do
    us=$(time_ms "$@")
    total=$((total + us))
    [ "$us" -lt "$best" ] && best=$us
  done
  printf '%s %d %d\n' "$label" $((total / runs)) "$best"
}

# Without hyperfine: a plain loop, whose timing includes forking date(1) (about 1 ms per run).
read -r _ ft_mean ft_best < <(measure flinktune "${flinktune_cmd[@]}")
read -r _ jvm_mean jvm_best < <(measure bashjavautils "${java_cmd[@]}")

awk -v runs="$runs" -v fm="$ft_mean" -v fb="$ft_best" -v jm="$jvm_mean" -v jb="$jvm_best" -v v="$version" 'BEGIN {
  printf "Flink %s shipped config, %d runs each (wall time, microseconds -> ms)\n", v, runs
  printf "  flinktune memory (TM + JM): mean %.2f ms, best %.2f ms\n", fm / 1000, fb / 1000
  printf "  BashJavaUtils GET_TM_RESOURCE_PARAMS (TM only): mean %.1f ms, best %.1f ms\n", jm / 1000, jb / 1000
  printf "  ratio of means: %.0fx\n", jm / fm
}'
