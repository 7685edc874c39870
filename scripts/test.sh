#!/usr/bin/env bash
# The full test command (README "Testing"; .ci/run calls exactly this). On a fresh Debian/Ubuntu machine that has
# only rustup it installs what the tests need: a Java 17 JDK (the real-Flink tests), python3 with pip (fetches Flink
# from the Python package index), openssl and curl (the REST TLS test), as Debian packages (as root, or with sudo),
# and the rustfmt and clippy components; then Flink itself, cached outside the repo (scripts/flink-dist.sh). Then:
# the dependency audit (cargo deny), format, lints, every test including the #[ignore]d ones.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages for what is missing.
packages=()
if ! command -v javac >/dev/null 2>&1 || ! javac -version 2>&1 | grep -qE 'javac (1[7-9]|2[0-9])'; then
  packages+=(openjdk-17-jdk-headless)
fi
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
  packages+=(python3 python3-pip)
fi
command -v openssl >/dev/null 2>&1 || packages+=(openssl)
command -v curl >/dev/null 2>&1 || packages+=(curl)
if [ "${#packages[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "error: the full tests need ${packages[*]}; install them (apt-get install ${packages[*]}) or run as root" >&2
    exit 2
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: the full tests need ${packages[*]}, and this is not a Debian-like system: install them" >&2
    exit 2
  fi
  echo "installing ${packages[*]} for the full tests" >&2
  "${as_root[@]}" apt-get update -qq >&2
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    ca-certificates "${packages[@]}" >&2
fi

# The toolchain's formatter and linter (a minimal rustup profile has neither).
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  if command -v rustup >/dev/null 2>&1; then
    rustup component add rustfmt clippy >&2
  else
    echo "error: cargo fmt and cargo clippy are needed: install the rustfmt and clippy components" >&2
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

# The dependency audit (deny.toml): cargo-deny is installed once into cargo's bin directory and found there after.
# Only the advisory check needs the network (the RustSec database): if the database cannot be fetched, that check is
# skipped with a warning saying so, and licences, bans and sources are still checked; any finding fails the run.
if ! cargo deny --version >/dev/null 2>&1; then
  echo "installing cargo-deny for the dependency audit" >&2
  cargo install cargo-deny --locked >&2
fi
if cargo deny fetch db >&2; then
  cargo deny check advisories licenses bans sources
else
  echo "warning: the RustSec advisory database could not be fetched (no network?): advisories NOT checked;" \
    "licences, bans and sources checked" >&2
  cargo deny check licenses bans sources
fi

cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --all-targets --locked -- --include-ignored
