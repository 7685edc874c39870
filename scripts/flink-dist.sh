#!/usr/bin/env bash
# Installs a real Apache Flink distribution from the Python package index into a cache outside the repo and prints
# its FLINK_HOME. The real-Flink tests use it as the judge of the memory model and, later, to start real clusters.
#
#   scripts/flink-dist.sh 2.3.0      -> prints e.g. ~/.cache/flinktune/flink-2.3.0
#
# Layout of the result (what the tests rely on): bin/ (Flink's scripts and bash-java-utils.jar), lib/ (flink-dist and
# friends), conf/ (the shipped defaults), opt/. Where the pieces come from:
#   apache-flink-libraries==V  lib/, opt/, bin/bash-java-utils.jar  (a wheel for 2.x, a source archive with deps/ for 1.20)
#   apache-flink==V            bin/*.sh, bin/flink, conf/           (a CPython wheel; we take only the scripts and conf)
#
# FLINK_DIST_PARTS=libraries fetches only apache-flink-libraries (lib/, opt/; enough to reflect over Flink's classes,
# as scripts/catalogue/generate.sh does) into flink-libraries-V, or prints flink-V when the full one is cached. The
# scripts wheel does not exist for every CPython on old releases; the default (full) behaviour is unchanged.
set -euo pipefail

version=${1:?usage: flink-dist.sh VERSION}
parts=${FLINK_DIST_PARTS:-full}
cache=${FLINKTUNE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/flinktune}
home="$cache/flink-$version"

case "$parts" in
  full) ;;
  libraries)
    if [ ! -f "$home/.complete" ]; then
      home="$cache/flink-libraries-$version"
    fi
    ;;
  *) echo "error: FLINK_DIST_PARTS must be 'full' or 'libraries', not '$parts'" >&2; exit 2 ;;
esac

if [ -f "$home/.complete" ]; then
  echo "$home"
  exit 0
fi

python=$(command -v python3 || command -v python) || { echo "error: python3 with pip is needed to fetch Flink" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "fetching Apache Flink $version into $home" >&2
"$python" -m pip download --quiet --no-deps --disable-pip-version-check -d "$work/libraries" \
  "apache-flink-libraries==$version" >&2
# The scripts wheel is built per CPython version; any one of them carries the same bin/ and conf/.
[ "$parts" = libraries ] || "$python" -m pip download --quiet --no-deps --disable-pip-version-check -d "$work/scripts" \
  --only-binary=:all: --python-version 3.11 --implementation cp --abi cp311 \
  --platform manylinux2014_x86_64 "apache-flink==$version" >&2

staging="$home.partial"
rm -rf "$staging"
mkdir -p "$staging"
"$python" - "$work" "$staging" <<'PY'
import pathlib, shutil, sys, tarfile, zipfile

work, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])

def place(name, read):
    # Map a member of either package onto FLINK_HOME: pyflink/{bin,lib,opt,conf}/... or <sdist>/deps/{bin,lib,opt}/...
    parts = pathlib.PurePosixPath(name).parts
    for anchor in ("pyflink", "deps"):
        if anchor in parts:
            rest = parts[parts.index(anchor) + 1:]
            if len(rest) >= 2 and rest[0] in ("bin", "lib", "opt", "conf", "plugins"):
                target = out.joinpath(*rest)
                if target.exists():
                    return
                target.parent.mkdir(parents=True, exist_ok=True)
                with read() as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
            return

for archive in sorted(work.glob("*/*")):
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as z:
            for info in z.infolist():
                if not info.is_dir():
                    place(info.filename, lambda info=info: z.open(info))
    elif archive.name.endswith(".tar.gz"):
        with tarfile.open(archive) as t:
            for member in t.getmembers():
                if member.isfile():
                    place(member.name, lambda member=member: t.extractfile(member))
PY
chmod +x "$staging"/bin/* 2>/dev/null || true
required_files=("lib/flink-dist-$version.jar")
[ "$parts" = libraries ] || required_files+=("bin/bash-java-utils.jar" "bin/flink" "bin/start-cluster.sh")
for required in "${required_files[@]}"; do
  [ -e "$staging/$required" ] || { echo "error: Flink $version from the package index has no $required" >&2; exit 2; }
done
rm -rf "$home"
mv "$staging" "$home"
touch "$home/.complete"
echo "$home"
