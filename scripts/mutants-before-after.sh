#!/usr/bin/env bash
# Before and after a new test, from one build per mutant (issue 15): the mutants cargo-mutants lists for FILE are
# applied one at a time, the library's test binary is built once, and run twice: the tests under FILTER without
# those whose name contains NEW (before), then the NEW tests alone where the first run missed the mutant (after).
# A mutant that does not build is unviable; a run over the bound is a timeout (detected, as cargo-mutants counts it).
# Halves the cost of measuring a score before and after on two cores; scripts/mutants.sh stays the measure of record.
#
#   scripts/mutants-before-after.sh FILE NEW [FILTER]      (FILTER default: advisor::)
#
# FIRST=N resumes at the mutant of index N (the results are appended); TEST_TIMEOUT=S bounds each test run (default
# 300 s; the advisor's tests take seconds, and a mutant that loops for ever costs the whole bound: 30 s suits them).
#
# Run it in a scratch clone: it mutates the checkout (each mutant reverted after its runs). Results, one line per
# mutant (index, before, after, name): target/mutants-before-after/<file>/results.tsv.
set -uo pipefail
cd "$(dirname "$0")/.."
file=${1:?usage: mutants-before-after.sh FILE NEW [FILTER]}
new=${2:?usage: mutants-before-after.sh FILE NEW [FILTER]}
filter=${3:-advisor::}
out="target/mutants-before-after/$(echo "$file" | tr '/*' '__')"
mkdir -p "$out"
first=${FIRST:-0}
test_timeout=${TEST_TIMEOUT:-300}
if [ "$first" -eq 0 ]; then
  : > "$out/results.tsv"
fi
cargo mutants --list --json --diff --file "$file" > "$out/mutants.json"
count=$(jq length "$out/mutants.json")
verdict() {
  timeout "$test_timeout" nice -n 19 "$@" -q >/dev/null 2>&1
  case $? in 0) echo missed ;; 124) echo timeout ;; *) echo caught ;; esac
}
for i in $(seq "$first" $((count - 1))); do
  name=$(jq -r ".[$i].name" "$out/mutants.json")
  mutant_file=$(jq -r ".[$i].file" "$out/mutants.json")
  # cargo-mutants names the mutant on the diff's +++ line; git apply wants the path there.
  jq -r ".[$i].diff" "$out/mutants.json" | sed "2s|^+++ .*|+++ $mutant_file|" > "$out/mutant.diff"
  if ! git apply -p0 "$out/mutant.diff"; then
    printf '%s\tnot-applied\t-\t%s\n' "$i" "$name" | tee -a "$out/results.tsv"
    continue
  fi
  binary=$(nice -n 19 cargo test --lib --locked --no-run --message-format=json 2>"$out/build.log" \
    | jq -r 'select(.reason == "compiler-artifact" and .profile.test and .target.kind == ["lib"]) | .executable' \
    | tail -1)
  if [ -z "$binary" ] || [ "$binary" = null ]; then
    before=unviable
    after=unviable
  else
    before=$(verdict "$binary" "$filter" --skip "$new")
    after=$before
    if [ "$before" = missed ]; then
      after=$(verdict "$binary" "$new")
    fi
  fi
  git apply -p0 -R "$out/mutant.diff"
  printf '%s\t%s\t%s\t%s\n' "$i" "$before" "$after" "$name" | tee -a "$out/results.tsv"
done
echo "before: $(cut -f2 "$out/results.tsv" | sort | uniq -c | tr '\n' ' ')"
echo "after:  $(cut -f3 "$out/results.tsv" | sort | uniq -c | tr '\n' ' ')"
