#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: `yibao settle` on the published worked examples E3 and E6
# (docs/benefits.md), on the CLI fixture in tests/data/cli (every layer of
# classification: class A/B/C, price ceiling, age restriction, inline and
# file catalogue), on two visits chained through --accumulators, and the
# text and trace renderings. Every figure is asserted exactly.
source "$(dirname "$0")/lib.sh"

settle_example() { # NAME: settle policies/NAME.json with its visit
    run settle --policy "policies/$1.json" --visit "policies/$1.visit.json"
}

# ---- E3: Ningbo 2023, first admission, level-3 hospital ----------------
if [ -f policies/e3-ningbo-2023.json ] && [ -f policies/e3-ningbo-2023.visit.json ]; then
    settle_example e3-ningbo-2023
    expect_ok "E3 settles"
    expect_yuan "E3 medfee_sumamt" .setlinfo.medfee_sumamt 22000.00
    expect_yuan "E3 fulamt_ownpay_amt" .setlinfo.fulamt_ownpay_amt 1500.00
    expect_yuan "E3 overlmt_selfpay" .setlinfo.overlmt_selfpay 0.00
    expect_yuan "E3 preselfpay_amt" .setlinfo.preselfpay_amt 500.00
    expect_yuan "E3 inscp_scp_amt" .setlinfo.inscp_scp_amt 20000.00
    expect_yuan "E3 act_pay_dedc" .setlinfo.act_pay_dedc 1200.00
    expect_yuan "E3 hifp_pay" .setlinfo.hifp_pay 13160.00
    # the basic fund's payment ratio, 数值型 5,4: 13160 / (20000 - 1200)
    expect_wire "E3 pool_prop_selfpay" pool_prop_selfpay 0.7000
    expect_yuan "E3 hifmi_pay" .setlinfo.hifmi_pay 0.00
    expect_yuan "E3 fund_pay_sumamt" .setlinfo.fund_pay_sumamt 13160.00
    expect_yuan "E3 psn_part_amt" .setlinfo.psn_part_amt 8840.00
    expect_yuan "E3 psn_cash_pay" .setlinfo.psn_cash_pay 8840.00
    expect_jq "E3 clr_type" .setlinfo.clr_type 21
    expect_jq "E3 one fund line" '.setldetail | length' 1
    expect_jq "E3 fund 390100" '.setldetail[0].fund_pay_type' 390100
    expect_yuan "E3 390100 fund_payamt" '.setldetail[0].fund_payamt' 13160.00
    expect_yuan "E3 390100 no cap: its base" '.setldetail[0].crt_payb_lmt_amt' 20000.00
    expect_jq "E3 no null anywhere" '[.. | nulls] | length' 0
    expect_jq "E3 result lines" '.result | length' 4
    expect_jq "E3 result classes" '[.result[].chrgitm_lv] | join(",")' "03,02,01,01"
    expect_yuan "E3 line 2 preselfpay" '.result[1].preselfpay_amt' 500.00
    expect_yuan "E3 line 2 inscp" '.result[1].inscp_scp_amt' 4500.00
    # the wire text itself carries two decimals (jq would hide them)
    if grep -Eq '"hifp_pay":[[:space:]]*13160\.00,' "$OUT" &&
        grep -Eq '"cnt":[[:space:]]*100\.0000,' "$OUT" &&
        grep -Eq '"selfpay_prop":[[:space:]]*0\.1000,' "$OUT"; then
        pass "E3 amounts are written with 2 decimals, cnt 4, selfpay_prop 4"
    else
        fail "E3 amounts are written with 2 decimals, cnt 4, selfpay_prop 4"
    fi
else
    echo "skip E3: policies/e3-ningbo-2023*.json not present"
fi

# ---- E6: pre-2019 city, banded co-pay, critical illness ----------------
if [ -f policies/e6-city-pre2019.json ] && [ -f policies/e6-city-pre2019.visit.json ]; then
    settle_example e6-city-pre2019
    expect_ok "E6 settles"
    expect_yuan "E6 medfee_sumamt" .setlinfo.medfee_sumamt 100000.00
    expect_yuan "E6 fulamt_ownpay_amt" .setlinfo.fulamt_ownpay_amt 10000.00
    expect_yuan "E6 preselfpay_amt" .setlinfo.preselfpay_amt 600.00
    expect_yuan "E6 inscp_scp_amt" .setlinfo.inscp_scp_amt 89400.00
    expect_yuan "E6 act_pay_dedc" .setlinfo.act_pay_dedc 900.00
    expect_yuan "E6 hifp_pay" .setlinfo.hifp_pay 66120.00
    # banded: 66120 / (89400 - 900) = 0.747118…
    expect_wire "E6 pool_prop_selfpay" pool_prop_selfpay 0.7471
    expect_yuan "E6 hifmi_pay" .setlinfo.hifmi_pay 1640.00
    expect_yuan "E6 fund_pay_sumamt" .setlinfo.fund_pay_sumamt 67760.00
    expect_yuan "E6 psn_part_amt" .setlinfo.psn_part_amt 32240.00
    expect_jq "E6 fund lines" '[.setldetail[].fund_pay_type] | join(",")' "390100,390200"
    expect_yuan "E6 390200 base" '.setldetail[1].inscp_scp_amt' 23280.00
    expect_yuan "E6 390200 fund_payamt" '.setldetail[1].fund_payamt' 1640.00
else
    echo "skip E6: policies/e6-city-pre2019*.json not present"
fi

# ---- every shipped example visit settles and adds up ----------------------
for v in policies/*.visit.json; do
    [ -f "$v" ] || continue
    p=${v%.visit.json}.json
    [ -f "$p" ] || continue
    run settle --policy "$p" --visit "$v"
    expect_ok "$v settles"
    expect_jq "$v: medfee = fund + personal part, in fen" \
        '.setlinfo | ((.medfee_sumamt * 100 | round) == ((.fund_pay_sumamt * 100 | round) + (.psn_part_amt * 100 | round)))' true
    expect_jq "$v: setldetail adds up to fund_pay_sumamt" \
        '((.setlinfo.fund_pay_sumamt * 100 | round) == ([.setldetail[].fund_payamt * 100 | round] | add // 0))' true
done

# ---- the CLI fixture: every classification path -------------------------
# tests/data/cli/visit.json, level-3 hospital, first admission
# (docs/benefits.md, classification):
#   1 class A drug       10 x 50      500.00  scope 500
#   2 class B drug 10%   20 x 100    2000.00  first self-pay 200, scope 1800
#   3 class C drug        3 x 100     300.00  wholly self-paid
#   4 service, ceiling 100, 10 x 120 1200.00  over the ceiling 200, scope 1000
#   5 bed (inline entry) 10 x 1000  10000.00  scope 10000
#   6 drug for age <= 17, patient 52  100.00  wholly self-paid, lmt_used_flag 1
# total 14100; self-paid 400; over ceiling 200; first self-pay 200; scope
# 13300. Basic (§5.2): deductible 1000; bands from zero, 70% to 10000 and 80%
# above: (10000 - 1000) x 70% + 3300 x 80% = 6300 + 2640 = 8940; co-pay
# 13300 - 1000 - 8940 = 3360. Critical illness (§5.3): burden 1000 + 3360 =
# 4360, below the year's 5000 deductible: 0. Personal part 14100 - 8940 =
# 5160.
run settle --policy "$DATA/policy.json" --visit "$DATA/visit.json" \
    --catalogue "$DATA/catalogue.json"
expect_ok "fixture settles"
cp "$OUT" "$TMP/visit1.json"
expect_jq "fixture person" '.setlinfo | [.psn_no, .psn_name, .gend, .brdy, .age, .psn_type] | map(tostring) | join(" ")' \
    "33020000000000000101 王五 1 1970-07-15 52 1501"
expect_jq "fixture visit" '.setlinfo | [.mdtrt_id, .med_type, .insutype, .setl_time, .clr_type] | join(" ")' \
    "CLI-2023-0001 21 390 2023-03-10 21"
expect_yuan "fixture medfee_sumamt" .setlinfo.medfee_sumamt 14100.00
expect_yuan "fixture fulamt_ownpay_amt (class C + age restriction)" .setlinfo.fulamt_ownpay_amt 400.00
expect_yuan "fixture overlmt_selfpay (price ceiling)" .setlinfo.overlmt_selfpay 200.00
expect_yuan "fixture preselfpay_amt (class B 10%)" .setlinfo.preselfpay_amt 200.00
expect_yuan "fixture inscp_scp_amt" .setlinfo.inscp_scp_amt 13300.00
expect_yuan "fixture act_pay_dedc" .setlinfo.act_pay_dedc 1000.00
expect_yuan "fixture hifp_pay (70% to 10000, 80% above)" .setlinfo.hifp_pay 8940.00
# 8940 / (13300 - 1000) = 0.726829…
expect_wire "fixture pool_prop_selfpay" pool_prop_selfpay 0.7268
expect_yuan "fixture hifmi_pay (below the 5000 deductible)" .setlinfo.hifmi_pay 0.00
expect_yuan "fixture psn_part_amt" .setlinfo.psn_part_amt 5160.00
expect_yuan "fixture basic cap remainder" '.setldetail[0].crt_payb_lmt_amt' 100000.00
expect_yuan "fixture critical has no cap: its base" '.setldetail[1].crt_payb_lmt_amt' 4360.00
expect_jq "fixture: no null anywhere" '[.. | nulls] | length' 0
expect_jq "fixture line flags" '[.result[] | .feedetl_sn + ":" + .chrgitm_lv + ":" + (.med_chrgitm_type // "-") + ":" + .lmt_used_flag] | join(" ")' \
    "1:01:101:0 2:02:101:0 3:03:101:0 4:01:201:0 5:01:201:0 6:01:101:1"
expect_jq "fixture line amounts (fen)" '[.result[] | [.fulamt_ownpay_amt, .overlmt_amt, .preselfpay_amt, .inscp_scp_amt] | map(. * 100 | round) | join("/")] | join(" ")' \
    "0/0/0/50000 0/0/20000/180000 30000/0/0/0 0/20000/0/100000 0/0/0/1000000 10000/0/0/0"
expect_jq "fixture line 4 ceiling" '.result[3].pric_uplmt_amt' 100
expect_jq "fixture line 2 selfpay_prop" '.result[1].selfpay_prop' 0.1
expect_jq "fixture accumulators" '.accumulators | [.year, .counts.admissions, .amounts["inpatient.paid"]] | map(tostring) | join(" ")' \
    "2023 1 8940.00"
expect_jq "fixture without --trace has no trace" 'has("trace")' false

# --opt=value spelling and an explicit --format json give the same result
run settle --policy="$DATA/policy.json" --visit="$DATA/visit.json" \
    --catalogue="$DATA/catalogue.json" --format=json
expect_ok "fixture with --opt=value"
expect_eq "fixture --opt=value output identical" "$(cat "$TMP/visit1.json")" "$(cat "$OUT")"

# ---- chaining: visit 2 reads visit 1's result as its accumulators -------
# The same bill in June, admission ordinal derived (2): deductible 1000 x 50%
# = 500; basic (10000 - 500) x 70% + 3300 x 80% = 9290; co-pay 3510; burden
# 500 + 3510 = 4010; the year's burden 4360 + 4010 = 8370, of which 3370 lies
# above the 5000 deductible: critical illness 3370 x 60% = 2022.00, which is
# what one settlement of the year's burden would pay (§5.3). Personal part
# 14100 - 9290 - 2022 = 2788.
jq '.mdtrt.mdtrt_id = "CLI-2023-0002" | .mdtrt.begntime = "2023-06-01"
    | .mdtrt.endtime = "2023-06-08" | .feedetail |= map(del(.fee_ocur_time))' \
    "$DATA/visit.json" >"$TMP/visit2-in.json"
run settle --policy "$DATA/policy.json" --visit "$TMP/visit2-in.json" \
    --catalogue "$DATA/catalogue.json" --accumulators "$TMP/visit1.json"
expect_ok "visit 2 settles with visit 1's result as accumulators"
cp "$OUT" "$TMP/visit2.json"
expect_jq "visit 2 is the second admission" .setlinfo.adm_ordinal 2
expect_yuan "visit 2 deductible halved" .setlinfo.act_pay_dedc 500.00
expect_yuan "visit 2 hifp_pay" .setlinfo.hifp_pay 9290.00
# 9290 / (13300 - 500) = 0.725781…
expect_wire "visit 2 pool_prop_selfpay" pool_prop_selfpay 0.7258
# critical illness: year burden 4360 + 4010 = 8370, above 5000 at 60%
expect_yuan "visit 2 hifmi_pay" .setlinfo.hifmi_pay 2022.00
expect_yuan "visit 2 psn_part_amt" .setlinfo.psn_part_amt 2788.00
expect_jq "visit 2 admissions" .accumulators.counts.admissions 2
expect_jq "visit 2 inpatient.paid = 8940.00 + 9290.00" '.accumulators.amounts["inpatient.paid"]' 18230.00
expect_jq "visit 2 critical.paid" '.accumulators.amounts["critical.paid"]' 2022.00
# continuity: every amount of visit 1 is still there and never decreased
cont=$(jq -n --slurpfile a "$TMP/visit1.json" --slurpfile b "$TMP/visit2.json" '
    [$a[0].accumulators.amounts | to_entries[] | . as $e
     | ($b[0].accumulators.amounts[$e.key] // "missing") as $v
     | select($v == "missing" or ($v | tonumber) < ($e.value | tonumber))
     | $e.key] | join(",")' 2>/dev/null) || cont="(jq failed on the outputs)"
expect_eq "accumulator continuity from visit 1 to visit 2" '""' "$cont"

# visit 3 chained on a bare accumulators file gives the same as on a result
jq '.accumulators' "$TMP/visit1.json" >"$TMP/accums1.json"
run settle --policy "$DATA/policy.json" --visit "$TMP/visit2-in.json" \
    --catalogue "$DATA/catalogue.json" --accumulators "$TMP/accums1.json"
expect_ok "visit 2 settles with a bare accumulators document"
expect_eq "bare accumulators give the same result" "$(cat "$TMP/visit2.json")" "$(cat "$OUT")"

# ---- an outpatient visit no basic layer covers: the person pays all -----
jq '.mdtrt.med_type = "11" | .mdtrt.endtime = "2023-03-01" | .feedetail = [.feedetail[0]]
    | .feedetail[0].fee_ocur_time = "2023-03-01 11:00:00" | .medfee_sumamt = "500.00"' \
    "$DATA/visit.json" >"$TMP/outpatient.json"
run settle --policy "$DATA/policy.json" --visit "$TMP/outpatient.json" \
    --catalogue "$DATA/catalogue.json"
expect_ok "uncovered outpatient visit settles"
expect_yuan "outpatient fund_pay_sumamt" .setlinfo.fund_pay_sumamt 0.00
expect_yuan "outpatient psn_part_amt" .setlinfo.psn_part_amt 500.00
expect_jq "outpatient clr_type" .setlinfo.clr_type 11

# ---- trace ---------------------------------------------------------------
run settle --policy "$DATA/policy.json" --visit "$DATA/visit.json" \
    --catalogue "$DATA/catalogue.json" --trace
expect_ok "fixture with --trace"
expect_jq "trace is not empty" '.trace | length > 0' true
expect_jq "every step has code, label and text" \
    '[.trace[] | select((.code | length) == 0 or (.label | length) == 0 or (.text | length) == 0)] | length' 0
expect_jq "trace shows the classification" '[.trace[] | select(.code == "classify")][0].result * 100 | round' 1330000
expect_jq "trace does not change the figures" '.setlinfo.hifp_pay * 100 | round' 894000

# ---- text receipt ----------------------------------------------------------
run settle --policy "$DATA/policy.json" --visit "$DATA/visit.json" \
    --catalogue "$DATA/catalogue.json" --format text
expect_ok "fixture as text"
for line in "医疗费用总额 14100.00 元" "全自费金额 400.00 元" "超限价自费费用 200.00 元" \
    "先行自付金额 200.00 元" "符合政策范围金额 13300.00 元" "实际支付起付线 1000.00 元" \
    "基本医疗保险统筹基金支出 8940.00 元" "基本医疗保险统筹基金支付比例 0.7268" "个人负担总金额 5160.00 元" "就诊ID CLI-2023-0001"; do
    if grep -qxF "$line" "$OUT"; then pass "text has [$line]"; else fail "text lacks [$line]"; fi
done
if grep -q "计算过程" "$OUT"; then fail "text without --trace has no calculation"; else pass "text without --trace has no calculation"; fi
run settle --policy "$DATA/policy.json" --visit "$DATA/visit.json" \
    --catalogue "$DATA/catalogue.json" --format text --trace
expect_ok "fixture as text with trace"
if grep -qx "计算过程" "$OUT" && grep -q "9000.00×70%+3300.00×80%=8940.00" "$OUT"; then
    pass "text with --trace has the calculation"
else
    fail "text with --trace has the calculation"
fi

finish
