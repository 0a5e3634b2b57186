#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build the libFuzzer targets with clang (ASan + UBSan, libraries
# instrumented) and run each for N seconds (default 30):
#   tests/fuzz/run.sh [seconds]
# The working corpus grows in tests/fuzz/corpus-run/<target>/ (ignored by
# git); crashes land there as crash-<target>-*. FUZZ_BUILD overrides the
# build directory (default build-fuzz). docs/testing.md has the long run.
set -euo pipefail

secs=${1:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD:-$root/build-fuzz}
cd "$root"

if [ ! -f "$build/build.ninja" ]; then
    CC=clang meson setup "$build" -Dfuzz=true -Dtests=false -Dbench=false \
        -Db_lundef=false -Db_sanitize=address,undefined \
        "-Dc_args=['-fsanitize=fuzzer-no-link','-fno-sanitize-recover=all']"
fi
ninja -C "$build" tests/fuzz/fuzz_policy tests/fuzz/fuzz_visit tests/fuzz/fuzz_csv \
    tests/fuzz/fuzz_hosp

status=0
for t in policy visit csv hosp; do
    work=tests/fuzz/corpus-run/$t
    dict=tests/fuzz/json.dict
    if [ "$t" = csv ]; then dict=tests/fuzz/csv.dict; fi
    mkdir -p "$work"
    echo "== fuzz_$t for ${secs}s"
    if ! "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" \
        -dict="$dict" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 \
        -artifact_prefix="tests/fuzz/corpus-run/crash-$t-" \
        "$work" "tests/fuzz/corpus/$t"; then
        echo "fuzz_$t: FAILED (see tests/fuzz/corpus-run/crash-$t-*)" >&2
        status=1
    fi
done
exit $status
