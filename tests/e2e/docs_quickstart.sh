#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: the quick start of docs/hospital.md, run exactly as written.
# The fenced ```bash blocks of its section ("## Quick start" up to the next
# "## " heading) are taken from the file, in order, and run as one bash
# script (with set -euo pipefail: a command that fails stops it) in a fresh
# directory that stands for a clone of the repository: `policies` links to
# the repository's policy files, scripts/policy-for-year.sh to the script
# and build/src/cli/yibao to the binary under test, `make` (the text's `make build`) does nothing, the build being
# done, and TMPDIR is inside it (the text's `mktemp -d`). The only change to
# the text: `port=8080` becomes a free port. Then the figures of the final
# settlement (2207) are checked to the fen.
#
# It runs twice: with the repository's policies/ as they are, and with a
# policies/ that lacks this year's national-default file, so that the
# script's other path, carrying the latest file forward, runs on any
# day (on a day after the last file's year both runs take that path: the
# suite runs faked clocks up to 2035-12-31).
#
# The expected figures, by hand, from the national-default policy (every
# file from 2019 on, 2026's carried forward, has these layers): a general
# outpatient visit (med_type 11) at a township-level community health
# centre of a 低保 person (psn_idet_type 202), two lines:
#   line 1  class A service 1 x 20.00   = 20.00, all in scope
#   line 2  class B drug    2 x 35.50   = 71.00, first self-pay 10% = 7.10,
#                                         in scope 63.90
#   medfee_sumamt 91.00, preselfpay_amt 7.10, inscp_scp_amt 83.90
#   basic, 普通门诊统筹 (township, no deductible, 50%, 300.00 a year):
#       83.90 x 50% = 41.95 = hifp_pay; pool_prop_selfpay 0.5000;
#       crt_payb_lmt_amt 300.00 (nothing used of the year's cap before)
#   critical illness: not on med_type 11, hifmi_pay 0.00
#   medical assistance (医疗救助, 202: 75%, cap 60,000.00), on the scope
#       left after the basic fund: 83.90 - 41.95 = 41.95; x 75% = 31.4625
#       -> 31.46 (half up) = maf_pay; crt_payb_lmt_amt 60000.00
#   fund_pay_sumamt 41.95 + 31.46 = 73.41; psn_part_amt = psn_cash_pay
#       = 91.00 - 73.41 = 17.59
# Usage: bash tests/e2e/docs_quickstart.sh /path/to/yibao (from the
# repository root, as tests/e2e/meson.build runs it).
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }

DOC=docs/hospital.md
YIBAO_ABS=$(cd "$(dirname "$YIBAO")" && pwd)/$(basename "$YIBAO")

# ---- the blocks ---------------------------------------------------------
awk '
    /^## / { in_qs = ($0 ~ /^## Quick start/) ; next }
    !in_qs { next }
    /^```bash[ ]*$/ { block = 1; n++; print "# ---- block " n; next }
    /^```/ { if (block) block = 0; next }
    block { print }
' "$DOC" > "$TMP/blocks.sh"
NBLOCKS=$(grep -c '^# ---- block ' "$TMP/blocks.sh" || true)
expect_eq "the quick start has its blocks" 1 "$([ "$NBLOCKS" -ge 10 ] && echo 1)"
expect_eq "its first block builds with make build" 1 \
    "$(awk '/^# ---- block 2$/ { exit } /^make build$/ { n++ } END { print n + 0 }' "$TMP/blocks.sh")"
expect_eq "its server's port is 8080, set once" 1 "$(grep -c '^port=8080$' "$TMP/blocks.sh")"
expect_eq "and used where it listens" 1 "$(grep -c -- '--listen 127.0.0.1:\$port ' "$TMP/blocks.sh")"

# free_port: a port nothing listens on now (the server then takes it)
free_port() {
    local p
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# quickstart NAME POLICIES: run the blocks in $TMP/NAME (the "clone", its
# policies/ a link to POLICIES); the final answer in $TMP/NAME/final.json,
# the output in $TMP/NAME/out, the script's exit code in $QS_RC.
quickstart() {
    local name=$1 policies=$2 root=$TMP/$1 port
    port=$(free_port)
    mkdir -p "$root/build/src/cli" "$root/scripts"
    ln -s "$YIBAO_ABS" "$root/build/src/cli/yibao"
    ln -s "$PWD/scripts/policy-for-year.sh" "$root/scripts/"
    ln -s "$policies" "$root/policies"
    {
        echo 'set -euo pipefail'
        echo 'make() { [ "$*" = build ]; }   # built already'
        echo 'trap '\''kill ${server:-} 2>/dev/null || true'\'' EXIT'
        sed "s/^port=8080\$/port=$port/" "$TMP/blocks.sh"
        echo 'printf "%s\n" "$ans" > "$QS_ROOT/final.json"'
        echo 'echo "$psn_no $mdtrt_id $year" > "$QS_ROOT/ids"'
        echo 'pwd > "$QS_ROOT/workdir"'
        echo 'if kill -0 "$server" 2>/dev/null; then echo "server still running"; exit 9; fi'
    } > "$root/quickstart.sh"
    set +e
    mkdir -p "$root/tmp" # mktemp -d of the text: the work directory
    (cd "$root" && QS_ROOT=$root TMPDIR=$root/tmp timeout 180 bash "$root/quickstart.sh") \
        > "$root/out" 2>&1
    QS_RC=$?
    set -e
}

# check NAME: the figures of the run NAME
check() {
    local name=$1 root=$TMP/$1 f=$TMP/$1/final.json work
    work=$(cat "$root/workdir" 2>/dev/null || echo "$root/none")
    expect_eq "$name: every block ran (exit 0)" 0 "$QS_RC"
    if [ "$QS_RC" -ne 0 ]; then
        tail -n 30 "$root/out" | sed 's/^/     out: /'
        return 0
    fi
    expect_eq "$name: the policy passed its check" 1 "$(grep -c '^ok: ' "$root/out")"
    # every call answered with infcode 0, in the order of the text
    expect_eq "$name: the calls, each infcode 0" \
        "9001 0;1101 0;2201 0;2204 0;2206 0;2207 0" \
        "$(sed -n 's/.* infno=\([0-9]*\) .* infcode=\(-\{0,1\}[0-9]*\) .*/\1 \2/p' \
            "$work/calls.log" | paste -sd';')"
    expect_jq "$name: 2207 succeeded" .infcode 0 "$f"
    expect_wire "$name: medfee_sumamt" medfee_sumamt 91.00 "$f"
    expect_wire "$name: preselfpay_amt" preselfpay_amt 7.10 "$f"
    expect_wire "$name: inscp_scp_amt" inscp_scp_amt 83.90 "$f"
    expect_wire "$name: act_pay_dedc" act_pay_dedc 0.00 "$f"
    expect_wire "$name: hifp_pay" hifp_pay 41.95 "$f"
    expect_wire "$name: pool_prop_selfpay" pool_prop_selfpay 0.5000 "$f"
    expect_wire "$name: hifmi_pay" hifmi_pay 0.00 "$f"
    expect_wire "$name: maf_pay" maf_pay 31.46 "$f"
    expect_wire "$name: fund_pay_sumamt" fund_pay_sumamt 73.41 "$f"
    expect_wire "$name: psn_part_amt" psn_part_amt 17.59 "$f"
    expect_wire "$name: psn_cash_pay" psn_cash_pay 17.59 "$f"
    expect_wire "$name: acct_pay" acct_pay 0.00 "$f"
    expect_jq "$name: the visit is a general outpatient one, cleared as such" \
        '.output.setlinfo | "\(.med_type) \(.clr_type) \(.psn_type)"' "11 11 1501" "$f"
    expect_jq "$name: setldetail, one row per fund" \
        '.output.setldetail | map("\(.fund_pay_type) \(.inscp_scp_amt * 100 | round) \(.crt_payb_lmt_amt * 100 | round) \(.fund_payamt * 100 | round)") | join(";")' \
        "390100 8390 30000 4195;610100 4195 6000000 3146" "$f"
    expect_jq "$name: setl_proc_info, the calculation" \
        '.output.setldetail | map(.setl_proc_info) | join(" | ")' \
        "基数83.90-起付线0.00=83.90；83.90×50%=41.95 | 基数41.95-起付线0.00=41.95；41.95×75%=31.46" "$f"
    local db=$work/quickstart.db psn mdtrt year
    read -r psn mdtrt year < "$root/ids"
    expect_eq "$name: one settlement stored, of that visit" "1 $mdtrt" \
        "$(sqlite3 -separator ' ' "$db" "SELECT count(*), max(mdtrt_id) FROM settlement")"
    # the year of the visit (the clock may pass a New Year during the run)
    expect_eq "$name: the policy in force is of the visit's year" "$year" \
        "$(sqlite3 "$db" "SELECT year FROM policy_version")"
    # the trial balance: owed to the institution (2101) 41.95 by the basic
    # fund and 31.46 by medical assistance; both funds and the whole balance
    expect_eq "$name: the trial balance: 2101 owed to the institution by each fund" \
        "41.95 31.46" "$(awk '$1 == "2101" { print $NF }' "$root/out" | paste -sd' ')"
    expect_eq "$name: the trial balance balances" 3 "$(grep -c '^借贷平衡$' "$root/out")"
}

# ---- 1. the repository's policies -----------------------------------------
quickstart asis "$PWD/policies"
check asis

# ---- 2. no national-default file for this year ----------------------------
YEAR=$(date +%Y)
mkdir -p "$TMP/older"
for f in policies/national-default-20[0-9][0-9].json; do
    y=${f##*-}
    y=${y%.json}
    [ "$y" -lt "$YEAR" ] && ln -s "$PWD/$f" "$TMP/older/"
done
quickstart carried "$TMP/older"
check carried
# the run's own year (a New Year may have passed since YEAR was read: that
# year has no file either)
{ read -r _ _ RUN_YEAR < "$TMP/carried/ids"; } 2>/dev/null || RUN_YEAR=none
CARRIED=$(cat "$TMP/carried/workdir" 2>/dev/null)/policy.json
expect_eq "carried: the latest file was carried forward to the visit's year" 1 \
    "$(jq -r --argjson y "$RUN_YEAR" 'select(.year == $y and .valid_from == "\($y)-01-01" and .valid_to == "\($y)-12-31" and .financing.window.from == "\($y - 1)-09-01" and .financing.window.to == "\($y - 1)-12-31") | 1' \
        "$CARRIED" 2>/dev/null)"
expect_eq "carried: its name says so" 1 \
    "$(jq -r .name "$CARRIED" 2>/dev/null | grep -c "（${RUN_YEAR}年度，沿用")"

finish
