#!/usr/bin/env bash
# The full test command (README "Testing"; .ci/run calls exactly this). On a fresh machine it installs what the
# real-Flink tests need: a Java 17 JDK (Debian package) and Flink 2.3.0 and 1.20.3 from the Python package index,
# cached outside the repo (scripts/flink-dist.sh). Then: format, lints, every test including the #[ignore]d ones.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v javac >/dev/null 2>&1 || ! javac -version 2>&1 | grep -qE 'javac (1[7-9]|2[0-9])'; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing a Java 17 JDK for the real-Flink tests" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless >&2
  else
    echo "error: the real-Flink tests need a Java 17+ JDK (javac); install openjdk-17-jdk-headless" >&2
    exit 2
  fi
fi

for version in 2.3.0 1.20.3; do
  scripts/flink-dist.sh "$version" >/dev/null
done
# Flink's libraries of every release line, for tests/it/check_corpus.rs (asks each line's Flink about its corpus cases).
for version in 1.15.4 1.16.3 1.17.2 1.18.1 1.19.3 1.20.5 2.0.2 2.1.3 2.2.1; do
  FLINK_DIST_PARTS=libraries scripts/flink-dist.sh "$version" >/dev/null
done

cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --all-targets --locked -- --include-ignored
