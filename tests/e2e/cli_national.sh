#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: the national-default policies, one per coverage year 2017 to
# 2026 (policies/national-default-YYYY.json). Each exists, passes `yibao
# policy check` with its exact summary line, covers its calendar year, and
# 2026 carries 2025 (no 2026 notice is known). The worked visits of 2025
# and 2026 settle to the figures computed by hand below, to the fen; the
# outpatient layers that come with the years (两病 drugs from 2019, prenatal
# examinations from 2024) pay what their caps allow.
source "$(dirname "$0")/lib.sh"

# layers: 2017-2018 seven; 2019 adds hypertension/diabetes drugs (两病);
# 2024 adds prenatal examinations
layers_of() {
    if [ "$1" -le 2018 ]; then echo 7; elif [ "$1" -le 2023 ]; then echo 8; else echo 9; fi
}

for year in $(seq 2017 2026); do
    f=policies/national-default-$year.json
    if [ ! -f "$f" ]; then
        fail "$f is missing"
        continue
    fi
    run policy check "$f"
    expect_ok "$year policy is ok"
    expect_eq "$year summary" \
        "ok: $(jq -r .name "$f") (530100 390 $year, $(layers_of "$year") layers)" "$(cat "$OUT")"
    expect_jq "$year covers its calendar year" '[.year, .valid_from, .valid_to] | map(tostring) | join(" ")' \
        "$year $year-01-01 $year-12-31" "$f"
    expect_jq "$year names its sources" '.source | length > 500' true "$f"
done

# 2026: the name and the source say the 2025 figures are carried, and
# apart from the year's own dates the file is the 2025 file
expect_jq "2026 name says it carries 2025" '.name | contains("2026年度国家通知未知，沿用2025年度标准")' true \
    policies/national-default-2026.json
expect_jq "2026 source says it carries 2025" '.source | startswith("2026年度国家通知未知，沿用2025年度标准")' true \
    policies/national-default-2026.json
same() { jq -S 'del(.name, .source, .year, .valid_from, .valid_to, .financing.window)' "$1"; }
expect_eq "2026 rules are 2025's" "$(same policies/national-default-2025.json)" \
    "$(same policies/national-default-2026.json)"

# a policy below the year's national minimum is refused
jq '.financing.tiers[0].amount = "399.99"' policies/national-default-2025.json >"$TMP/below.json"
run policy check "$TMP/below.json"
expect_error "2025 contribution below the national minimum" 2 \
    "financing.tiers[0].amount" "399.99" "400.00"

# fund_payamt of one fund type, summed over its setldetail rows
fund() { printf '[.setldetail[] | select(.fund_pay_type == "%s") | .fund_payamt] | add // 0' "$1"; }

# expect_setlinfo NAME FIELD=YUAN...: each setlinfo field of the last
# settlement, to the fen
expect_setlinfo() {
    local name=$1 kv
    shift
    for kv in "$@"; do
        expect_yuan "$name ${kv%%=*}" ".setlinfo.${kv%%=*}" "${kv#*=}"
    done
}

# ---- 2025: an adult, level-3 hospital, first admission, 320,000 --------
#   1 class C drug                20 x 500       10,000  wholly self-paid
#   2 class B drug (10%)         500 x 100       50,000  first self-pay 5,000
#   3 surgery and ICU, class A     1 x 200,000  200,000  scope
#   4 valves, ceiling 27,500       2 x 30,000    60,000  over the ceiling 5,000
# scope 45,000 + 200,000 + 55,000 = 300,000. Basic: deductible 1,000 at
# level 3, 65%: (300,000 - 1,000) x 65% = 194,350, held to the 150,000
# annual cap. Critical illness on the burden 300,000 - 150,000 = 150,000:
# deductible 20,657 (50% of the 2024 per-capita disposable income 41,314),
# 129,343 above it: 50,000 x 60% + 50,000 x 70% + 29,343 x 80% = 30,000 +
# 35,000 + 23,474.40 = 88,474.40. Fund 238,474.40; the person 81,525.60.
v=policies/national-default-2025
run settle --policy $v.json --visit $v.visit.json
expect_ok "2025 visit settles"
expect_setlinfo 2025 medfee_sumamt=320000.00 fulamt_ownpay_amt=10000.00 \
    overlmt_selfpay=5000.00 preselfpay_amt=5000.00 inscp_scp_amt=300000.00 \
    act_pay_dedc=1000.00 hifp_pay=150000.00 hifmi_pay=88474.40 maf_pay=0.00 \
    fund_pay_sumamt=238474.40 psn_part_amt=81525.60
expect_yuan "2025 fund 390100" "$(fund 390100)" 150000.00
expect_yuan "2025 fund 390200" "$(fund 390200)" 88474.40
expect_yuan "2025 critical-illness base" '.setldetail[] | select(.fund_pay_type == "390200") | .inscp_scp_amt' 150000.00
expect_jq "2025 accumulators" '.accumulators.amounts | [.["critical.dedc"], .["critical.eligible"], .["cap.basic_annual.paid"]] | join(" ")' \
    "20657.00 129343.00 150000.00"

# ---- 2025: the cap raised for continuous and claim-free years ----------
# The same visit with line 3 at 700,000: scope 800,000, basic 150,000,
# burden 650,000, 629,343 above the deductible: 488,474.40 due, held to
# the cap 300,000 plus the increase of person.ci_cap_bonus: 1,000 a
# continuous year beyond 4 and 1,000 a claim-free year, at most 20% of the
# cap (60,000).
jq '.feedetail[2].pric = "700000" | .feedetail[2].det_item_fee_sumamt = "700000.00"
    | .medfee_sumamt = "820000.00"' policies/national-default-2025.visit.json >"$TMP/big.json"
# years CONTINUOUS CLAIM_FREE: the big visit with those years
years() {
    jq --argjson n "$1" --argjson k "$2" \
        '.person.ci_cap_bonus = {"continuous_years": $n, "claim_free_years": $k}' \
        "$TMP/big.json" >"$TMP/years.json"
    run settle --policy policies/national-default-2025.json --visit "$TMP/years.json" --trace
}
run settle --policy policies/national-default-2025.json --visit "$TMP/big.json"
expect_yuan "2025 big bill, no years: the cap 300,000" .setlinfo.hifmi_pay 300000.00
years 8 3
expect_yuan "8 continuous, 3 claim-free: 4,000 + 3,000" .setlinfo.hifmi_pay 307000.00
expect_yuan "the critical-illness row's limit is the raised cap" \
    '.setldetail[] | select(.fund_pay_type == "390200") | .crt_payb_lmt_amt' 307000.00
expect_jq "the trace raises the cap" '[.trace[] | select(.code == "cap.raised") | .text] | join("")' \
    "大病保险封顶线[critical]：原封顶线=300000.00元，连续参保/零报销增加=7000.00元 → 307000.00元（连续参保、零报销提高封顶线） 〔benefits.layers[6].cap〕"
years 3 2
expect_yuan "3 continuous years earn nothing yet, 2 claim-free 2,000" .setlinfo.hifmi_pay 302000.00
years 40 39
expect_yuan "40 years: 36,000 + 39,000, at most 20% of the cap" .setlinfo.hifmi_pay 360000.00
years 5 5
expect_error "the visit's own year is not a claim-free year" 2 \
    "person.ci_cap_bonus.claim_free_years" "零报销年数 5 须为连续参保年数 5 中本年度以前的年数"

# ---- 2026 (2025's figures): a 低保 person of 68, level-2 hospital -------
#   1 class C drug                20 x 100        2,000  wholly self-paid
#   2 class B drug (10%)         100 x 100       10,000  first self-pay 1,000
#   3 thrombectomy, class A        1 x 50,000    50,000  scope
#   4 stents, ceiling 8,000        2 x 9,000     18,000  over the ceiling 2,000
# scope 9,000 + 50,000 + 16,000 = 75,000. Basic: deductible 600 halved for
# 低保 = 300; rate 75% + 5 points = 80%: 74,700 x 80% = 59,760. Critical
# illness on 75,000 - 59,760 = 15,240: deductible 20,657 halved = 10,328.50,
# 4,911.50 above it at 60% + 5 points = 65%: 3,192.475, half up 3,192.48
# (no cap for 低保). Assistance 75% of 15,240 - 3,192.48 = 12,047.52:
# 9,035.64. The tilt round's base 12,047.52 - 9,035.64 + the first
# self-pay 1,000 = 4,011.88 stays below its 5,000 deductible: 0. Fund
# 59,760 + 3,192.48 + 9,035.64 = 71,988.12; the person 8,011.88.
v=policies/national-default-2026
run settle --policy $v.json --visit $v.visit.json
expect_ok "2026 visit settles"
expect_setlinfo 2026 medfee_sumamt=80000.00 fulamt_ownpay_amt=2000.00 \
    overlmt_selfpay=2000.00 preselfpay_amt=1000.00 inscp_scp_amt=75000.00 \
    act_pay_dedc=300.00 hifp_pay=59760.00 hifmi_pay=3192.48 maf_pay=9035.64 \
    fund_pay_sumamt=71988.12 psn_part_amt=8011.88
expect_yuan "2026 fund 390100" "$(fund 390100)" 59760.00
expect_yuan "2026 fund 390200" "$(fund 390200)" 3192.48
expect_yuan "2026 fund 610100 (both rounds)" "$(fund 610100)" 9035.64
expect_jq "2026 accumulators" '.accumulators.amounts | [.["critical.dedc"], .["critical.eligible"]] | join(" ")' \
    "10328.50 4911.50"

# ---- outpatient layers that change with the years ------------------------
# outpatient YEAR MED_TYPE HOSP_LV DIAGNOSIS AMOUNT: a one-line outpatient
# visit (one class A drug of AMOUNT) on 8 April of YEAR, from the 2025 visit
outpatient() {
    jq --arg y "$1" --arg mt "$2" --arg lv "$3" --arg dx "$4" --arg amt "$5" '
      .mdtrt.med_type = $mt | .mdtrt.hosp_lv = $lv | .mdtrt.dise_codg = [$dx]
      | .mdtrt.mdtrt_id = "ND-\($y)-\($mt)-\($dx)" | del(.mdtrt.adm_ordinal)
      | .mdtrt.begntime = "\($y)-04-08 09:00:00" | .mdtrt.endtime = "\($y)-04-08 09:30:00"
      | .medfee_sumamt = $amt
      | .feedetail = [{"feedetl_sn": "1", "med_list_codg": "XC08CAA001A001010100001",
          "cnt": "1", "pric": $amt, "det_item_fee_sumamt": $amt,
          "fee_ocur_time": "\($y)-04-08 09:10:00"}]
      | .catalogue = [{"med_list_codg": "XC08CAA001A001010100001",
          "med_list_name": "甲类药品（示例）", "list_type": "101", "chrgitm_lv": "01"}]' \
        policies/national-default-2025.visit.json >"$TMP/op.json"
}
# hypertension drugs 1,000 at a township centre: until 2018 general
# outpatient pooling, 50% = 500 held to its 300 cap; from 2019 the 两病
# layer, 500 held to its 360 cap (diabetes: 480)
outpatient 2018 11 township I10.x00 1000.00
run settle --policy policies/national-default-2018.json --visit "$TMP/op.json"
expect_yuan "2018 hypertension drugs: general outpatient cap" .setlinfo.hifp_pay 300.00
outpatient 2019 11 township I10.x00 1000.00
run settle --policy policies/national-default-2019.json --visit "$TMP/op.json"
expect_yuan "2019 hypertension drugs: 两病 cap 360" .setlinfo.hifp_pay 360.00
outpatient 2025 11 township E11.900 1000.00
run settle --policy policies/national-default-2025.json --visit "$TMP/op.json"
expect_yuan "2025 diabetes drugs: 两病 cap 480" .setlinfo.hifp_pay 480.00
# prenatal examinations 800 at a level-2 hospital: nothing in 2023; from
# 2024 50% = 400 held to the outpatient cap 300, shared with general
# outpatient care (after 400 at a township, 200 paid, 100 is left)
outpatient 2023 51 2 Z34.900 800.00
run settle --policy policies/national-default-2023.json --visit "$TMP/op.json"
expect_yuan "2023 prenatal examination: no layer" .setlinfo.fund_pay_sumamt 0.00
outpatient 2024 51 2 Z34.900 800.00
run settle --policy policies/national-default-2024.json --visit "$TMP/op.json"
expect_yuan "2024 prenatal examination: outpatient cap" .setlinfo.hifp_pay 300.00
cp "$TMP/op.json" "$TMP/prenatal.json"
outpatient 2024 11 township J06.900 400.00
run settle --policy policies/national-default-2024.json --visit "$TMP/op.json"
expect_yuan "2024 general outpatient 400" .setlinfo.hifp_pay 200.00
cp "$OUT" "$TMP/first.json"
run settle --policy policies/national-default-2024.json --visit "$TMP/prenatal.json" \
    --accumulators "$TMP/first.json"
expect_yuan "2024 prenatal after general outpatient: the 100 left" .setlinfo.hifp_pay 100.00

# each policy covers its own year only: the 2025 policy refuses the 2026
# visit, and the 2026 policy the 2025 visit
run settle --policy policies/national-default-2025.json --visit $v.visit.json
expect_error "2025 policy refuses a 2026 settlement" 2 "mdtrt.endtime" "2026-03-20" "2025-01-01 至 2025-12-31"
run settle --policy $v.json --visit policies/national-default-2025.visit.json
expect_error "2026 policy refuses a 2025 settlement" 2 "mdtrt.endtime" "2025-06-06" "2026-01-01 至 2026-12-31"

finish
