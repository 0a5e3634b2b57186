#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: `make demo`'s main job (scripts/demo.sh) on a small region
# of the current year (500 persons, in a temporary folder), with this
# build's binary. It must finish (it stops at the first refused call),
# and what it did is checked in its database and its output: the
# outpatient chain settled, reversed and settled again with the same
# figures, the inpatient stay paid by the three funds, funds + person =
# the bill, the ledger balanced and the audit chain intact. Run under the
# faked clocks of scripts/test.sh too: the demo works on any day.
source "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 is required" >&2; exit 1; }

D=$TMP/demo
YEAR=$(date +%Y) # the demo's year: the clock before it starts
set +e
YB_BIN=$YIBAO YB_DEMO_OUT=$D YB_DEMO_PERSONS=500 bash scripts/demo.sh >"$TMP/demo.out" 2>"$ERR"
RC=$?
set -e
expect_eq "the demo runs to its end" 0 "$RC"
if [ "$RC" != 0 ]; then
    tail -20 "$TMP/demo.out" "$ERR" >&2
    finish
    exit 1
fi
DB=$D/demo.db

expect_eq "this year's policy is in the set" 1 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM policy_version WHERE year = $YEAR AND region = '530100'")"
# settlements: outpatient, its reversal, outpatient again, inpatient
expect_eq "four settlement records" 4 "$(sqlite3 "$DB" "SELECT count(*) FROM settlement")"
grep -o '^  结算 setl_id [0-9]\{20\}.*' "$TMP/demo.out" | cut -c1-40 > "$TMP/setl"
expect_eq "three settlements printed" 3 "$(wc -l < "$TMP/setl")"
# the outpatient settlement and its second settlement print the same figures
# (the figures: the lines indented by four spaces, not the calculation's)
awk '/^2207 结算 settlement:/ { f = 1; next } /^2208/ { f = 0 } f && /^    [^ ]/' "$TMP/demo.out" |
    grep -v 计算过程 > "$TMP/first"
awk '/^2207 再次结算/ { f = 1; next } /^$/ { f = 0 } f && /^    [^ ]/' "$TMP/demo.out" |
    grep -v 计算过程 > "$TMP/again"
expect_eq "the outpatient figures are printed" 12 "$(wc -l < "$TMP/first")"
expect_eq "settled again after the reversal: the same figures" "$(cat "$TMP/first")" "$(cat "$TMP/again")"
expect_eq "one reversal, of the first outpatient settlement, negating it" "1 0" \
    "$(sqlite3 -separator ' ' "$DB" "SELECT count(*), SUM(a.medfee_sumamt + b.medfee_sumamt) FROM settlement a JOIN settlement b ON b.reverses = a.setl_id WHERE a.status = 'reversed' AND b.status = 'reversal'")"
# the inpatient stay: basic, critical illness and assistance each pay
awk '/^2304 结算 settlement:/ { f = 1; next } f' "$TMP/demo.out" > "$TMP/ipt"
for fund in 390100 390200 610100; do
    expect_eq "the stay: fund $fund pays" 1 \
        "$(grep -Ec "^      $fund .* 支付 [1-9][0-9]*\.[0-9]{2}$" "$TMP/ipt")"
done
fig() { sed -n "s/^    .* $1 *\([-0-9.]*\).*/\1/p" "$TMP/ipt" | head -1 | tr -d .; }
expect_eq "the stay: funds + person = the bill" "$(fig medfee_sumamt)" \
    "$(($(fig fund_pay_sumamt | sed 's/^0*//') + $(fig psn_part_amt | sed 's/^0*//')))"
expect_eq "the stay: the funds are the three layers" "$(fig fund_pay_sumamt | sed 's/^0*//')" \
    "$(($(fig hifp_pay | sed 's/^0*//') + $(fig hifmi_pay | sed 's/^0*//') + $(fig maf_pay | sed 's/^0*//')))"
run ledger trial-balance --db "$DB" --format json
expect_jq "the ledger balances" .balanced true
run audit verify --db "$DB"
expect_ok "the audit chain is intact"
expect_eq "the demo ends with the command that starts the server" 1 \
    "$(tail -3 "$TMP/demo.out" | grep -c "serve --db $DB --listen 127.0.0.1:8080")"
finish
