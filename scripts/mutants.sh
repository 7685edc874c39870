#!/usr/bin/env bash
# Mutation testing of the pure core with cargo-mutants (issue 15). Not part of CI: every mutant costs a rebuild of
# the tests, about a minute on two cores, so a whole run takes hours; run it on the files you changed.
#
#   scripts/mutants.sh [--all-tests] [--filter NAME]... [FILE...] [-- CARGO-MUTANTS-OPTIONS]
#
# FILE: source files or globs (default: the core list below). By default each mutant is judged by the library's unit
# tests (`cargo test --lib`), which suffices for the core and builds one test binary; --all-tests runs every offline
# test instead (the unit tests and tests/it without the #[ignore]d real-Flink ones). --filter runs only the tests
# whose path contains NAME (e.g. `--filter advisor::` for the advisor's files: seconds instead of the minute the
# invariant sweep takes on a loaded machine); a mutant they miss may still be caught elsewhere, so a filtered score
# is a lower bound. Options after `--` go to
# cargo-mutants (e.g. `--in-place` in a scratch clone, `--list`, `--jobs 2`). Configuration, and the exclusions
# with their reasons: .cargo/mutants.toml. Results: target/mutants/mutants.out (caught.txt, missed.txt, timeout.txt,
# unviable.txt); the score per file is printed at the end. The reviewed survivors, each killed or listed as
# equivalent with the reason, and the last measured scores are in docs/mutants.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo mutants --version >/dev/null 2>&1; then
  echo "error: cargo-mutants is missing: install it with cargo install cargo-mutants --locked" >&2
  exit 2
fi

# --cargo-arg reaches both the build and the test invocation: only the library's test binary is built.
tests=(--cargo-arg=--lib)
filters=()
files=()
passthrough=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --all-tests) tests=() ;;
    --filter) filters+=("$2"); shift ;;
    --) shift; passthrough=("$@"); break ;;
    -*) echo "error: unknown option $1 (options for cargo-mutants go after --)" >&2; exit 2 ;;
    *) files+=("$1") ;;
  esac
  shift
done
if [ "${#files[@]}" -eq 0 ]; then
  # The pure core: the advisor's rules and estimators, the invariants, the check rules, the Flink memory model.
  files=(
    'src/advisor/*.rs'
    'src/advisor/estimate/*.rs'
    'src/invariants/*.rs'
    'src/check/*_rules.rs'
    'src/flink/memory/*.rs'
  )
fi

test_binary_args=()
if [ "${#filters[@]}" -gt 0 ]; then
  test_binary_args=(-- -- "${filters[@]}")
fi

file_args=()
for file in "${files[@]}"; do
  file_args+=(--file "$file")
done

output=target/mutants
status=0
# stdin from /dev/null: run in the background, cargo-mutants would otherwise stop on reading the terminal.
nice -n 19 cargo mutants "${tests[@]}" "${file_args[@]}" --output "$output" "${passthrough[@]}" \
  "${test_binary_args[@]}" </dev/null || status=$?
# cargo-mutants exits 2 when mutants were missed, 3 on timeouts: the summary says which.

results="$output/mutants.out"
if [ -f "$results/outcomes.json" ]; then
  echo
  echo "per file: mutants caught missed timeout unviable score(caught+timeout over viable)"
  jq -r '
    [.outcomes[] | select(.scenario | type == "object") | {file: .scenario.Mutant.file, summary}]
    | group_by(.file)[]
    | {file: .[0].file,
       caught: map(select(.summary == "CaughtMutant")) | length,
       missed: map(select(.summary == "MissedMutant")) | length,
       timeout: map(select(.summary == "Timeout")) | length,
       unviable: map(select(.summary == "Unviable")) | length}
    | (.caught + .missed + .timeout) as $viable
    | "\(.file) \($viable + .unviable) \(.caught) \(.missed) \(.timeout) \(.unviable) \(if $viable == 0 then "-" else "\((.caught + .timeout) * 1000 / $viable | floor / 10)%" end)"
  ' "$results/outcomes.json" | column -t
  echo
  echo "survivors: $results/missed.txt; review each in docs/mutants.md (killed by a test, or equivalent and why)"
fi
exit "$status"
