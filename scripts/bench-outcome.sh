#!/usr/bin/env bash
# The outcome benchmark (benches/outcome.rs): three real job shapes on real Flink 2.3.0 clusters on this host, under
# Flink's defaults, `flinktune recommend` (no hints, true hints, --from-cluster on a trial) and a small hand grid.
# Installs and caches Flink 2.3.0 (scripts/flink-dist.sh), compiles the jobs with javac, prints a markdown table and
# writes it to target/outcome.md. About 55 minutes; `--quick` runs one shape with two grid points (about 15).
#
#   scripts/bench-outcome.sh [--quick] [--shape small-state|big-state|slow-lookup]... [--settle SECS] [--readings N]
#
# The figures need the machine to themselves: a configuration at parallelism 1 leaves CPU idle that background work
# takes, which biases every ratio against it (measured: identical configurations 16% apart, p=2 looking 0.79x of the
# defaults under load and 1.55-1.78x without). `nice` does not shield the bench from work started in another session
# while autogroup scheduling is on (/proc/sys/kernel/sched_autogroup_enabled = 1): stop other work, or turn it off.
#
# Built with the dev profile by default (BENCH_PROFILE=bench for an optimized build): the figures are Flink's, and
# flinktune's own speed does not enter them.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in java javac jar; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "error: $tool not found: the bench compiles its jobs and runs Flink on Java 17 (apt-get install -y openjdk-17-jdk-headless)" >&2
    exit 2
  }
done
scripts/flink-dist.sh 2.3.0 >/dev/null

# The bench stops every cluster it starts, on failure too; should it be killed outright, stop the JVMs it left, found
# by their command line, which names the bench's own work directory (target/tmp/outcome/).
work="$(cd "${CARGO_TARGET_DIR:-target}" 2>/dev/null && pwd || echo "$PWD/target")/tmp/outcome/"
leftovers() {
  for cmdline in /proc/[0-9]*/cmdline; do
    if { tr '\0' ' ' <"$cmdline"; } 2>/dev/null | grep -qF -- "$work"; then
      pid=${cmdline#/proc/}
      echo "${pid%/cmdline}"
    fi
  done
}
cleanup() {
  local pids
  pids=$(leftovers)
  if [ -n "$pids" ]; then
    echo "stopping JVMs the bench left: $pids" >&2
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
  fi
}
trap cleanup EXIT

cargo bench --profile "${BENCH_PROFILE:-dev}" --features real-flink-bench --bench outcome -- "$@"
