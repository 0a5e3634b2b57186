#!/usr/bin/env bash
# Run every test: the source checks, the release build, unit and
# end-to-end tests on the normal build, the same again with the clock
# faked to other days (below), again on an ASan+UBSan build, and a short
# libFuzzer run of every fuzz target. Prints a closing line
# "N passed, N failed" and exits non-zero on any failure.
#
# Faked clocks (Debian's faketime, LD_PRELOAD over the normal build's test
# programs, the yibao server included; the monotonic clock stays real, so
# timeouts and rates are real): nothing may depend on the day the suite
# runs. The days, each chosen for what it catches:
#   2034-06-15 12:00:00  an ordinary day late in the range 2026-2035, after
#                        the end dates (2030) that test data once had
#   2028-02-29 12:00:00  a leap day (ages, "a year later", 29 February)
#   2035-12-31 23:59:00  the range's last minute: the run crosses into 2036
#                        while the end-to-end tests run (settlements before
#                        midnight, reconciliation after)
# All but the last skip http_crash (a kill storm, ~90 s; its dates are
# those of http_hosp); the last, the New Year, runs everything.
# YB_FAKE_DATES="day|day|..." replaces the list (the last day runs
# everything); YB_FAKE_DATES= (empty) skips the faked passes.
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

# The source checks (scripts/check-src.sh): include layering, SQL dialect
# words outside the store, clang-format, cppcheck. Counted as one test.
echo "== source checks (scripts/check-src.sh)"
if bash scripts/check-src.sh; then
    passed=$((passed + 1))
else
    failed=$((failed + 1)); status=1
fi

# The release build of `make bench` (-O3, where gcc warns of what -O2 does
# not see, e.g. a value maybe used uninitialised) compiles with -Werror.
echo "== release build (build-release, make bench's)"
if { [ -d build-release ] ||
    meson setup build-release --buildtype=release -Dtests=false >/dev/null; } &&
    ninja -C build-release >/dev/null; then
    passed=$((passed + 1))
else
    ninja -C build-release 2>&1 | grep -E 'error|FAILED' | head -20
    echo "build build-release failed"
    failed=$((failed + 1)); status=1
fi

run_suite build

# run_faked DAY [TEST...]: the normal build's tests (or the named ones)
# with the clock starting at DAY and running on; its own log file.
run_faked() {
    local day=$1 base
    shift
    base=faked-${day//[ :]/-}
    echo "== tests (build, clock faked to $day)"
    FAKETIME_DONT_FAKE_MONOTONIC=1 faketime "$day" \
        meson test -C build --print-errorlogs --num-processes 2 \
        --logbase "$base" "$@" || status=1
    count "build/meson-logs/$base.json"
}

fake_dates=${YB_FAKE_DATES-"2034-06-15 12:00:00|2028-02-29 12:00:00|2035-12-31 23:59:00"}
if [ -n "$fake_dates" ] && ! command -v faketime >/dev/null; then
    echo "faketime is missing (Debian package faketime): run scripts/deps.sh"
    status=1; failed=$((failed + 1))
elif [ -n "$fake_dates" ] && [ -f build/build.ninja ]; then
    IFS='|' read -r -a days <<<"$fake_dates"
    quick=$(meson test -C build --list 2>/dev/null | sed -n 's/^yibao:[a-z0-9]* \/ //p' |
        grep -vx http_crash || true)
    for ((i = 0; i < ${#days[@]}; i++)); do
        if [ $i -eq $((${#days[@]} - 1)) ]; then
            run_faked "${days[$i]}"
        else
            # shellcheck disable=SC2086 # one word per test name
            run_faked "${days[$i]}" $quick
        fi
    done
fi
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
