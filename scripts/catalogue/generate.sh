#!/usr/bin/env bash
# Regenerates src/flink/catalogue/options.tsv: the configuration options of every Flink release line flinktune knows,
# read by reflection from the real jars of the newest patch release of each line (see src/flink/catalogue/README.md).
#
#   scripts/catalogue/generate.sh          (about a minute once the releases are cached; ~3 GB of downloads if not)
#
# Releases come from the Python package index through scripts/flink-dist.sh (libraries only: lib/ and opt/ are all the
# catalogue reads) into its cache outside the repo. Build outputs go to target/catalogue. Needs python3 with pip and a
# JDK (javac, java; 17 is what the catalogue was generated with).
set -euo pipefail

# The newest patch release of each line on the package index when the catalogue was last generated.
RELEASES=(1.15.4 1.16.3 1.17.2 1.18.1 1.19.3 1.20.5 2.0.2 2.1.3 2.2.1 2.3.0)

repo=$(cd "$(dirname "$0")/../.." && pwd)
build="$repo/target/catalogue"
out="$repo/src/flink/catalogue/options.tsv"
mkdir -p "$build/classes"

javac -d "$build/classes" "$repo/scripts/catalogue/FlinkOptionCatalogue.java"

specs=()
for release in "${RELEASES[@]}"; do
  home=$(FLINK_DIST_PARTS=libraries "$repo/scripts/flink-dist.sh" "$release")
  raw="$build/$release.tsv"
  echo "reading the options of Flink $release from $home" >&2
  # Options only: the class loader runs static initialisers of option classes, nothing else of Flink.
  java -cp "$build/classes" FlinkOptionCatalogue "$home" >"$raw" 2>"$build/$release.log" || {
    cat "$build/$release.log" >&2
    echo "error: reading the options of Flink $release failed" >&2
    exit 2
  }
  tail -n 1 "$build/$release.log" >&2
  specs+=("${release%.*}=$release=$raw")
done

python3 "$repo/scripts/catalogue/merge.py" "$out" "${specs[@]}" 2>"$build/changes.tsv"
grep '^keys' "$build/changes.tsv" >&2
echo "wrote $out ($(wc -c <"$out") bytes); what changed between lines: $build/changes.tsv" >&2
