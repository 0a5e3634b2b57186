#!/usr/bin/env bash
# Run every test: unit and end-to-end tests on the normal build, the same
# again on an ASan+UBSan build, and a short libFuzzer run of every fuzz
# target. Prints a closing line "N passed, N failed" and exits non-zero on
# any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

fuzz_seconds=${YB_FUZZ_SECONDS:-15}
status=0
passed=0
failed=0

count() { # count results of a meson test log
    local log=$1
    [ -f "$log" ] || return 0
    local ok bad
    ok=$(grep -c '"result": "OK"' "$log" || true)
    bad=$(grep -Ec '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
    passed=$((passed + ok))
    failed=$((failed + bad))
}

run_suite() { # dir, meson setup args...
    local dir=$1; shift
    if [ ! -d "$dir" ]; then
        meson setup "$dir" "$@" >/dev/null || { echo "meson setup $dir failed"; status=1; failed=$((failed+1)); return; }
    fi
    if ! ninja -C "$dir" >/dev/null; then
        ninja -C "$dir" | tail -30
        echo "build $dir failed"; status=1; failed=$((failed+1)); return
    fi
    echo "== tests ($dir)"
    meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
    count "$dir/meson-logs/testlog.json"
}

run_suite build
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbench=false

if [ -x tests/fuzz/run.sh ] || [ -f tests/fuzz/run.sh ]; then
    echo "== fuzz (${fuzz_seconds}s per target)"
    if bash tests/fuzz/run.sh "$fuzz_seconds"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); status=1
    fi
fi

echo
echo "$passed passed, $failed failed"
exit $status
