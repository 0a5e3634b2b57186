#!/usr/bin/env bash
# Run every benchmark of a build directory (default build-release) from the
# repository root and print their output; RESULT lines come last in each.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-release}
echo "== bench/settle"
"$dir/bench/settle" --seconds "${YB_BENCH_SECONDS:-3}"
