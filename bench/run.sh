#!/usr/bin/env bash
# Run every benchmark of a build directory (default build-release) from the
# repository root and print their output; RESULT lines come last in each.
#   YB_BENCH_SECONDS  seconds per timed loop of bench/settle (default 3)
#   YB_BENCH_PERSONS  persons for bench/registry (default 1,000,000)
# bench/server measures the hospital interface over loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-release}
echo "== bench/settle"
"$dir/bench/settle" --seconds "${YB_BENCH_SECONDS:-3}"
echo "== bench/registry"
"$dir/bench/registry" --persons "${YB_BENCH_PERSONS:-1000000}"
echo "== bench/server"
"$dir/bench/server" --seconds "${YB_BENCH_SECONDS:-3}"
