#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: `yibao policy check` accepts the shipped policies and the
# CLI fixture with an exact summary line, and refuses broken policies with
# exit 2, the JSON path and the value; plus --help, --version and help.
source "$(dirname "$0")/lib.sh"

POLICY=$DATA/policy.json

# bad NAME JQ NEEDLE...: check the fixture policy changed by JQ.
bad() {
    local name=$1 filter=$2
    shift 2
    jq "$filter" "$POLICY" >"$TMP/policy.json"
    run policy check "$TMP/policy.json"
    expect_error "$name" 2 "$@"
}

run policy check "$POLICY"
expect_ok "fixture policy is ok"
expect_eq "fixture summary" \
    "ok: 测试市2023年城乡居民医保（命令行测试） (330200 390 2023, 2 layers)" "$(cat "$OUT")"

if [ -f policies/e3-ningbo-2023.json ]; then
    run policy check policies/e3-ningbo-2023.json
    expect_ok "E3 policy is ok"
    expect_eq "E3 summary" "ok: $(jq -r .name policies/e3-ningbo-2023.json) (330200 390 2023, 1 layers)" "$(cat "$OUT")"
fi
if [ -f policies/e6-city-pre2019.json ]; then
    run policy check policies/e6-city-pre2019.json
    expect_ok "E6 policy is ok"
    expect_eq "E6 summary" "ok: $(jq -r .name policies/e6-city-pre2019.json) (320100 390 2018, 2 layers)" "$(cat "$OUT")"
fi
# every policy shipped in policies/ passes (visit files aside)
for f in policies/*.json; do
    case $f in *.visit.json | *.accumulators.json | *.catalogue.json) continue ;; esac
    [ -f "$f" ] || continue
    run policy check "$f"
    if [ "$RC" -eq 0 ] && grep -q '^ok: ' "$OUT"; then pass "shipped $f is ok"; else fail "shipped $f: exit $RC"; fi
done

# ---- refused policies: exit 2, path and value on stderr ------------------------
bad "overlapping bands" '.benefits.layers[0].rates.rules[0].bands[1].from = "0"' \
    "benefits.layers[0].rates.rules[0].bands[1].from" "0.00"
bad "first band not from 0" \
    '.benefits.layers[0].rates.rules[0].bands = [{"from": "10000", "rate": "80%"}, {"from": "0", "rate": "70%"}]' \
    "benefits.layers[0].rates.rules[0].bands[0].from" "10000.00"
bad "rate above 100%" '.benefits.layers[0].rates.rules[0].bands[1].rate = "105%"' \
    "benefits.layers[0].rates.rules[0].bands[1].rate" "105%"
bad "negative deductible" '.benefits.layers[0].deductible.rules[0].amount = "-1.00"' \
    "benefits.layers[0].deductible.rules[0].amount" '"-1.00"'
bad "deductible with three decimals" '.benefits.layers[0].deductible.rules[0].amount = "1000.001"' \
    "benefits.layers[0].deductible.rules[0].amount" '"1000.001"'
bad "unknown stage" '.benefits.layers[0].stage = "extra"' "benefits.layers[0].stage" '"extra"'
bad "unknown key" '.benefits.layers[1].rats = {}' "benefits.layers[1].rats: 未知的键名"
bad "unknown med_type in a selector" '.benefits.layers[0].when.med_type = ["21", "29"]' \
    "benefits.layers[0].when.med_type[1]" '"29"'
bad "duplicate layer id" '.benefits.layers[1].id = "inpatient"' "benefits.layers[1].id" '"inpatient"'
bad "invalid region" '.region = "999999"' "region" '"999999"'
bad "year out of range" '.year = 1800' "year" "1800"
bad "missing region" 'del(.region)' "region" "required"

printf '{"schema": "yibao.policy/1", "name": ' >"$TMP/broken.json"
run policy check "$TMP/broken.json"
expect_error "malformed policy JSON" 2 "$TMP/broken.json" "not valid JSON"
run policy check "$TMP/does-not-exist.json"
expect_error "missing policy file" 1 "$TMP/does-not-exist.json" "cannot open"
run policy check
expect_error "policy check without FILE" 1 "policy"
run policy lint "$POLICY"
expect_error "unknown policy subcommand" 1 '"lint"'

# ---- help and version ---------------------------------------------------------------
run --version
expect_ok "--version"
expect_eq "--version prints the version" "yibao $(sed -n "s/^ *version : '\(.*\)',/\1/p" meson.build)" "$(cat "$OUT")"
run --help
expect_ok "--help"
if grep -q '^usage: yibao <command>' "$OUT" && grep -q 'settle' "$OUT"; then pass "--help lists the commands"; else fail "--help lists the commands"; fi
run help settle
expect_ok "help settle"
if grep -q -- '--accumulators FILE' "$OUT"; then pass "help settle lists its options"; else fail "help settle lists its options"; fi
run settle --help
expect_ok "settle --help"
run
expect_error "no command" 1 "no command"

finish
