#!/bin/sh
# Renders `flinktune plan --format html` for the shipped example host types and loads the page in headless Chromium
# (Debian's `chromium` package): the page must load with no network request of its own (Chromium's NetLog, every
# request whose network isolation key is the file:// page), no console message (any: the page has no scripts, so a
# message is an error or a Content-Security-Policy refusal), and a DOM that holds the report and its SVG charts.
# Then it takes a screenshot (default target/plan-screenshot.png) for a person to look at.
#
#   scripts/plan-html-check.sh [SCREENSHOT.png]
#
# `--self-test` first proves the checks can fail: a page with an external image and a console error must be refused.
# Needs python3 (to read the NetLog JSON). Chromium runs niced, with a fresh profile, and every host name it would
# look up mapped to nothing, so that nothing leaves the machine even if a request slipped in.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
chromium=${CHROMIUM:-chromium}
command -v "$chromium" >/dev/null 2>&1 || {
    echo "plan-html-check: $chromium is missing (Debian: apt-get install -y chromium)" >&2
    exit 2
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Loads $1 (a file) in Chromium; leaves dom, stderr and net.json in $work/$2.*
load() {
    profile=$(mktemp -d "$work/profile.XXXXXX")
    timeout 120 nice -n 19 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
        --host-resolver-rules='MAP * ~NOTFOUND' --enable-logging=stderr --v=0 \
        --log-net-log="$work/$2.net.json" --dump-dom "file://$1" >"$work/$2.dom" 2>"$work/$2.err"
}

# Prints the page's own network requests (not Chromium's background ones) and the console messages; fails when
# there are any.
judge() {
    python3 - "$work/$1.net.json" "$work/$1.err" <<'PY'
import json, sys
net_log, stderr = sys.argv[1], sys.argv[2]
problems = []
with open(net_log) as f:
    events = json.load(f).get("events", [])
for event in events:
    params = event.get("params") or {}
    url = params.get("url", "")
    key = params.get("network_isolation_key", "")
    if url and key.startswith("file://") and not url.startswith(("file:", "data:")):
        problems.append("external request: " + url)
with open(stderr, errors="replace") as f:
    for line in f:
        if ":CONSOLE" in line:
            problems.append("console: " + line.strip())
for problem in sorted(set(problems)):
    print(problem)
sys.exit(1 if problems else 0)
PY
}

if [ "${1:-}" = "--self-test" ]; then
    shift
    printf '%s\n' '<!DOCTYPE html><html><body><p>bad</p><img src="https://example.invalid/x.png">' \
        '<script>console.error("planted error")</script></body></html>' >"$work/bad.html"
    load "$work/bad.html" bad
    if judge bad >"$work/bad.verdict"; then
        echo "plan-html-check: self-test FAILED: the planted request and console error went unnoticed" >&2
        exit 1
    fi
    grep -q 'external request: https://example.invalid/x.png' "$work/bad.verdict"
    grep -q 'planted error' "$work/bad.verdict"
    echo "self-test: a planted external request and console error are caught"
fi

screenshot=${1:-$repo/target/plan-screenshot.png}
binary=${FLINKTUNE:-}
if [ -z "$binary" ]; then
    (cd "$repo" && nice -n 19 cargo build --quiet)
    binary=$repo/target/debug/flinktune
fi
page="$work/plan.html"
"$binary" plan --hosts-file "$repo/profiles/hosts-example.yaml" --flink-version 2.3 --input-rate 200000 \
    --slot-throughput 5000 --state-size 200gb --checkpoint-dir s3://bucket/checkpoints --growth 8%/month \
    --record-size 1kb --format html -o "$page" -q

# Static: nothing in the page that could fetch (the SVG namespace is a name, not a request).
if grep -Eiq '<script|<link|<img|<iframe|src=|href=|url\(|@import' "$page" ||
    sed 's#http://www.w3.org/2000/svg##g' "$page" | grep -Eiq 'https?://'; then
    echo "plan-html-check: the page refers to something outside itself" >&2
    exit 1
fi

load "$page" plan
if ! judge plan; then
    echo "plan-html-check: the page made a request or logged to the console (above)" >&2
    exit 1
fi
svgs=$(grep -o '<svg' "$work/plan.dom" | wc -l)
if ! grep -q 'Capacity plan' "$work/plan.dom" || [ "$svgs" -lt 5 ]; then
    echo "plan-html-check: the rendered DOM lacks the report or its charts ($svgs SVG elements)" >&2
    exit 1
fi

mkdir -p "$(dirname "$screenshot")"
profile=$(mktemp -d "$work/profile.XXXXXX")
timeout 120 nice -n 19 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
    --host-resolver-rules='MAP * ~NOTFOUND' --hide-scrollbars --screenshot="$screenshot" --window-size=1280,2000 \
    "file://$page" >/dev/null 2>&1
test -s "$screenshot"
echo "plan-html-check: ok: no request, no console message, $svgs charts; screenshot $screenshot"
