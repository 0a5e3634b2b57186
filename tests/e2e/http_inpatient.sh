#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: three inpatient stays in one year of one person on medical
# assistance (低保对象, psn_idet_type 202), over HTTP against a real
# `yibao serve --policy policies/demo-region-2018.json` and a SQLite file.
# A synthetic region (200 persons, seed 9, 2018) is imported with its
# payments; the first covered adult (psn_type 1501, covered from
# 2018-01-01) with no identity gets 202 from 2018-01-01 by
# `yibao identity import`; a level-2 hospital of our own gets a
# credential. Each stay: 2401 admission, 2301 fee lines (class A; class C
# in stays 1 and 3), 2402 discharge, 2303 pre-settlement (the figures of
# 2304, nothing written), 2304 settlement, with every figure exact to the
# fen, then the accumulators. Then: 5206, an earlier settlement cannot be
# reversed while a later one stands, 2305 of the last stay puts the
# accumulators back exactly, settling it again gives the same figures, the
# ledger and the audit chain.
#
# Why demo-region-2018.json: it is the only policy that has both the
# financing `yibao synth` models (pay import needs it) and the benefits of
# every layer — the inpatient basic layer with admission ordinals,
# critical illness with the hardship tilt, and two rounds of assistance.
# (http_hosp.sh runs tests/data/enrol/synth-2018.json, whose only benefit
# is a flat 70%: no deductible, no critical illness, no assistance.)
#
# The policy, for a 低保对象 (202), adult, local care at a level-2
# hospital (every figure in yuan):
#   basic 390100 (inpatient): deductible 600 per stay x ordinal factor
#     (100% the 1st stay, 50% the 2nd and later) x 50% for 202;
#     rate 75% + 5 points for 202 = 80% of (in-scope - deductible);
#     the year's cap basic_annual 150,000 on the fund's payments.
#   critical 390200: base = in-scope - what the funds paid before it;
#     deductible 13,000 a year x 50% for 202 = 6,500; bands above the
#     deductible over the year 50/60/70% from 0/50,000/100,000 + 5
#     points for 202 = 55/65/75%; no cap for 202; pays F(year after) -
#     F(year before), F rounded once.
#   assist 610100: base = in-scope - basic - critical; 75% for 202, no
#     deductible, cap 60,000 a year.
#   assist_tilt 610100 (倾斜救助): base = in-scope - everything paid
#     before + class-B first share (0 here); deductible 5,000 a year;
#     50% over the year; cap 20,000.
# Rounding: half up, to the fen.
#
# Stay 1, 2018-03-05..03-14: A 1 x 12,345.67 + C 2 x 50.00
#   medfee 12,445.67, wholly self-paid 100.00, in scope 12,345.67
#   deductible 600 x 100% x 50% = 300.00
#   basic (12,345.67 - 300.00) x 80% = 9,636.536 -> 9,636.54
#     (pool_prop_selfpay, the fund's ratio: 9,636.54 / 12,045.67 =
#     0.80000… -> 0.8000)
#   burden 12,345.67 - 9,636.54 = 2,709.13 < 6,500: all deductible,
#     critical 0.00 (critical.dedc 2,709.13)
#   assist 2,709.13 x 75% = 2,031.8475 -> 2,031.85
#   tilt base 2,709.13 - 2,031.85 = 677.28, all deductible: 0.00
#   funds 9,636.54 + 0 + 2,031.85 = 11,668.39; person 12,445.67 -
#     11,668.39 = 777.28 (100.00 + 677.28)
# Stay 2, 2018-06-11..06-25: A 3 x 8,000.50 + A 10 x 99.90
#   medfee = in scope = 24,001.50 + 999.00 = 25,000.50
#   deductible 600 x 50% x 50% = 150.00 (the 2nd admission)
#   basic (25,000.50 - 150.00) x 80% = 19,880.40 (ratio 0.8000)
#   burden 25,000.50 - 19,880.40 = 5,120.10; deductible left 6,500 -
#     2,709.13 = 3,790.87; above it 5,120.10 - 3,790.87 = 1,329.23
#   critical 1,329.23 x 55% = 731.0765 -> 731.08
#   assist (5,120.10 - 731.08) = 4,389.02 x 75% = 3,291.765 -> 3,291.77
#   tilt base 4,389.02 - 3,291.77 = 1,097.25; deductible left 5,000 -
#     677.28 = 4,322.72: all deductible, 0.00
#   funds 19,880.40 + 731.08 + 3,291.77 = 23,903.25; person 1,097.25
# Stay 3, 2018-09-03..10-08: A 2 x 75,000.00 + A 40 x 1,250.125 +
#   C 3 x 33.33
#   medfee 150,000.00 + 50,005.00 + 99.99 = 200,104.99, wholly
#     self-paid 99.99, in scope 200,005.00
#   deductible 600 x 50% x 50% = 150.00 (the 3rd admission: the last
#     ordinal factor holds)
#   basic (200,005.00 - 150.00) x 80% = 159,884.00, but the year's cap
#     leaves 150,000 - 9,636.54 - 19,880.40 = 120,483.06: basic
#     120,483.06 (pool_prop_selfpay, the fund's effective ratio:
#     120,483.06 / 199,855.00 = 0.60285… -> 0.6029)
#   burden 200,005.00 - 120,483.06 = 79,521.94, all above the deductible;
#     the year's critical base goes 1,329.23 -> 80,851.17:
#     F(80,851.17) = 50,000 x 55% + 30,851.17 x 65% = 27,500 +
#       20,053.2605 = 47,553.2605 -> 47,553.26
#     F(1,329.23) = 731.08; critical 47,553.26 - 731.08 = 46,822.18
#   assist (79,521.94 - 46,822.18) = 32,699.76 x 75% = 24,524.82
#     (cap room 60,000 - 2,031.85 - 3,291.77 = 54,676.38)
#   tilt base 32,699.76 - 24,524.82 = 8,174.94; deductible left 5,000 -
#     677.28 - 1,097.25 = 3,225.47; above it 4,949.47 x 50% = 2,474.735
#     -> 2,474.74
#   maf 24,524.82 + 2,474.74 = 26,999.56
#   funds 120,483.06 + 46,822.18 + 26,999.56 = 194,304.80; person
#     200,104.99 - 194,304.80 = 5,800.19 (99.99 + 8,174.94 - 2,474.74)
# The year: basic 150,000.00, critical 731.08 + 46,822.18 = 47,553.26,
#   assistance 2,031.85 + 3,291.77 + 26,999.56 = 32,323.18, owed to the
#   hospital 229,876.44.
# These are the engine's figures too: `yibao settle --policy
# policies/demo-region-2018.json --visit stayN.json --accumulators
# resultN-1.json` (hosp_lv 2, idet ["202"], psn_type 1501) gives them all.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is required" >&2; exit 1; }

POLICY=policies/demo-region-2018.json
CSV=$TMP/csv
DB=$TMP/ipt.db
INST=H53010200901

# ---- the region, the person, the hospital -------------------------------------
run synth --persons 200 --year 2018 --seed 9 --out "$CSV"
expect_ok "synth writes the region"
run init --db "$DB"
import_region "$CSV" "$DB" region school household person identity catalogue
run pay import --db "$DB" --policy "$POLICY" "$CSV/payments.csv"
expect_eq "payments import under the demo policy" 0 "$RC"
read -r PSN CERT <<<"$(sqlite3 -separator ' ' "$DB" "SELECT p.psn_no, p.certno FROM enrolment e JOIN person p USING (psn_no) WHERE e.year = 2018 AND e.insutype = '390' AND e.status = 'covered' AND e.covered_from <= '2018-01-01' AND e.psn_type = '1501' AND p.psn_no NOT IN (SELECT psn_no FROM identity) ORDER BY p.psn_no LIMIT 1")"
expect_eq "a covered adult without an identity" 1 "$([[ $PSN =~ ^[0-9]{20}$ ]] && echo 1)"
printf 'certno,psn_idet_type,begndate,enddate,source\r\n%s,202,2018-01-01,,民政\r\n' \
    "$CERT" > "$TMP/idet.csv"
run identity import --db "$DB" "$TMP/idet.csv"
expect_eq "the person becomes 低保对象 from 2018-01-01" 0 "$RC"
printf 'fixmedins_code,fixmedins_name,hosp_lv,inst_type,public_flag,admdvs,begndate,enddate\r\n%s,昆明市测试二级医院,2,hospital,1,530102,2018-01-01,2099-12-31\r\n' \
    "$INST" > "$TMP/inst.csv"
run institution import --db "$DB" "$TMP/inst.csv"
expect_eq "a level-2 hospital" 0 "$RC"
run institution credential --db "$DB" --code "$INST"
expect_ok "its credential"
SECRET=$(cat "$OUT")
# the codes: class A and class C, valid all 2018, no price ceiling and no
# restriction (so any quantity and price is in scope / self-paid)
A_CODE=$(awk -F, '{ sub(/\r$/, "") } NR > 1 && $4 == "01" && $6 == "" && $7 <= "2018-01-01" && $8 == "" && $9 == "" && $10 == "" && $11 == "" { print $1; exit }' "$CSV/catalogue.csv")
C_CODE=$(awk -F, '{ sub(/\r$/, "") } NR > 1 && $4 == "03" && $7 <= "2018-01-01" && $8 == "" && $9 == "" && $10 == "" && $11 == "" { print $1; exit }' "$CSV/catalogue.csv")
expect_eq "a class-A and a class-C code" 1 "$([ -n "$A_CODE" ] && [ -n "$C_CODE" ] && echo 1)"

# ---- the server -------------------------------------------------------------
start_server "$DB" "$POLICY" --log "$TMP/calls.log"
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
expect_eq "the server prints its port" 1 "$([[ $PORT =~ ^[0-9]+$ ]] && echo 1)"
SERIAL=0

# call INFNO INPUT: POST an envelope with the next msgid, the answer in $OUT.
call() {
    SERIAL=$((SERIAL + 1))
    jq -cn --arg infno "$1" --argjson input "$2" --arg sign "${SIGN:-}" \
        --arg ca "$SECRET" --arg inst "$INST" \
        --arg msgid "$(printf '%s20181001120000%04d' "$INST" "$SERIAL")" \
        '{infno: $infno, msgid: $msgid, mdtrtarea_admvs: "530102",
          insuplc_admdvs: "530100", recer_sys_code: "YBXT", dev_no: "",
          dev_safe_info: "", cainfo: $ca, signtype: "", infver: "V1.0",
          opter_type: "1", opter: "001", opter_name: "张三",
          inf_time: "2018-10-01 12:00:00", fixmedins_code: $inst,
          fixmedins_name: "昆明市测试二级医院", sign_no: $sign,
          input: $input}' > "$TMP/body"
    curl -s -o "$OUT" --data-binary "@$TMP/body" \
        -H 'Content-Type: application/json' "$URL"
    note_nulls "$TMP/body"
}
# the person's accumulators of 2018 in fen (counts as counts), key order,
# zeros left out: "admissions=1 assist.paid=203185 ..."
accums() {
    sqlite3 "$DB" "SELECT COALESCE(group_concat(key || '=' || value, ' '), '') FROM (SELECT key, value FROM accumulator WHERE psn_no = '$PSN' AND year = 2018 AND value <> 0 ORDER BY key)"
}
# 5206's cuminfo in the same form
CUM='[.output.cuminfo[] | select(.cum != 0) | "\(.cum_type_code)=\(if (.cum_type_code | endswith("admissions")) then .cum else (.cum * 100 | round) end)"] | join(" ")'
settlements() {
    sqlite3 "$DB" "SELECT count(*) FROM settlement WHERE psn_no = '$PSN'"
}

call 9001 '{"signIn":{"opter_no":"001","mac":"00-1A-2B-3C-4D-5E","ip":"10.0.0.8"}}'
expect_jq "9001 signs in" .infcode 0
SIGN=$(jq -r .output.signinoutb.sign_no "$OUT")
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERT\",\"begntime\":\"2018-03-05 08:00:00\"}}"
expect_jq "1101: covered in 2018 as an adult, 低保对象 from 2018-01-01" \
    '.output | "\(.insuinfo[0].psn_insu_stas) \(.insuinfo[0].psn_type) \(.idetinfo | map("\(.psn_idet_type) \(.begntime)") | join(";"))"' \
    "1 1501 202 2018-01-01 00:00:00"

# ---- the stays ------------------------------------------------------------------
# figures of a settlement, in fen, to compare 2303 with 2304
FIGS='.output.setlinfo | [.medfee_sumamt, .fulamt_ownpay_amt, .overlmt_selfpay, .preselfpay_amt, .inscp_scp_amt, .act_pay_dedc, .hifp_pay, .pool_prop_selfpay, .hifmi_pay, .maf_pay, .oth_pay, .fund_pay_sumamt, .psn_part_amt, .psn_cash_pay] | map(. * 100 | round | tostring) | join(" ")'
# each fund, one row a fund: type:base:limit:paid in fen (a fund without a
# cap shows its base as its limit; the two assistance rounds are one 610100
# row: the first round's base, their limits and payments added)
DETAIL='[.output.setldetail[] | "\(.fund_pay_type):\(.inscp_scp_amt * 100 | round):\(.crt_payb_lmt_amt * 100 | round):\(.fund_payamt * 100 | round)"] | join(" ")'
admit() { # admit IPT_NO BEGNTIME DIAG NAME
    call 2401 "{\"mdtrtinfo\":{\"psn_no\":\"$PSN\",\"insutype\":\"390\",\"begntime\":\"$2\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERT\",\"med_type\":\"21\",\"ipt_no\":\"$1\",\"atddr_no\":\"D002\",\"chfpdr_name\":\"王医生\",\"adm_dept_codg\":\"A02\",\"adm_dept_name\":\"内科\",\"dise_codg\":\"$3\",\"dise_name\":\"$4\"},\"diseinfo\":[{\"psn_no\":\"$PSN\",\"diag_type\":\"1\",\"maindiag_flag\":\"1\",\"diag_srt_no\":1,\"diag_code\":\"$3\",\"diag_name\":\"$4\",\"diag_dept\":\"内科\",\"dise_dor_no\":\"D002\",\"dise_dor_name\":\"王医生\",\"diag_time\":\"$2\"}]}"
    STAY=$(jq -r .output.result.mdtrt_id "$OUT")
}
ipt_line() { # ipt_line SN CODE CNT PRIC AMOUNT TIME
    printf '{"feedetl_sn":"%s","mdtrt_id":"%s","psn_no":"%s","med_type":"21","fee_ocur_time":"%s","med_list_codg":"%s","medins_list_codg":"H-%s","det_item_fee_sumamt":%s,"cnt":%s,"pric":%s,"bilg_dept_codg":"A02","bilg_dept_name":"内科","bilg_dr_codg":"D002","bilg_dr_name":"王医生"}' \
        "$1" "$STAY" "$PSN" "$6" "$2" "$2" "$5" "$3" "$4"
}
discharge() { # discharge ENDTIME
    call 2402 "{\"dscginfo\":{\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$PSN\",\"insutype\":\"390\",\"endtime\":\"$1\",\"dscg_dept_codg\":\"A02\",\"dscg_dept_name\":\"内科\",\"dscg_way\":\"1\"}}"
}
ipt_setl() { # ipt_setl INFNO MEDFEE FULAMT INSCP
    call "$1" "{\"data\":{\"psn_no\":\"$PSN\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERT\",\"medfee_sumamt\":$2,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$STAY\",\"insutype\":\"390\",\"acct_used_flag\":\"0\",\"mid_setl_flag\":\"0\",\"fulamt_ownpay_amt\":$3,\"overlmt_selfpay\":0,\"preselfpay_amt\":0,\"inscp_scp_amt\":$4}}"
}
reverse() { # reverse SETL_ID MDTRT_ID
    call 2305 "{\"data\":{\"setl_id\":\"$1\",\"mdtrt_id\":\"$2\",\"psn_no\":\"$PSN\"}}"
}
# expect_setl NAME MEDFEE FULAMT INSCP DEDC HIFP POOL HIFMI MAF FUND PSN:
# every figure of the answer's setlinfo, in yuan
expect_setl() {
    local name=$1
    shift
    expect_yuan "$name medfee_sumamt" .output.setlinfo.medfee_sumamt "$1"
    expect_yuan "$name fulamt_ownpay_amt" .output.setlinfo.fulamt_ownpay_amt "$2"
    expect_yuan "$name inscp_scp_amt" .output.setlinfo.inscp_scp_amt "$3"
    expect_yuan "$name act_pay_dedc (deductible)" .output.setlinfo.act_pay_dedc "$4"
    expect_yuan "$name hifp_pay (basic)" .output.setlinfo.hifp_pay "$5"
    expect_wire "$name pool_prop_selfpay (the basic fund's ratio)" pool_prop_selfpay "$6"
    expect_yuan "$name hifmi_pay (critical illness)" .output.setlinfo.hifmi_pay "$7"
    expect_yuan "$name maf_pay (assistance)" .output.setlinfo.maf_pay "$8"
    expect_yuan "$name fund_pay_sumamt" .output.setlinfo.fund_pay_sumamt "$9"
    expect_yuan "$name psn_part_amt" .output.setlinfo.psn_part_amt "${10}"
    expect_yuan "$name psn_cash_pay" .output.setlinfo.psn_cash_pay "${10}"
    expect_jq "$name: no over-ceiling, class-B share or other fund" \
        '.output.setlinfo | [.overlmt_selfpay, .preselfpay_amt, .oth_pay] | map(. * 100 | round) | join(",")' "0,0,0"
}
# settle_stay NAME MEDFEE FULAMT INSCP: 2303 then 2304 of $STAY; the
# 2304 answer in $OUT and $TMP/NAME-without-spaces.answer, its setl_id
# in $SETL
settle_stay() {
    local name=$1 tag=${1// /} n_before acc_before pre
    n_before=$(settlements)
    acc_before=$(accums)
    ipt_setl 2303 "$2" "$3" "$4"
    expect_jq "$name: 2303 pre-settles" .infcode 0
    pre=$(jq -r "$FIGS" "$OUT")
    jq -r "$DETAIL" "$OUT" > "$TMP/$tag.predetail"
    expect_eq "$name: 2303 stores no settlement" "$n_before" "$(settlements)"
    expect_eq "$name: 2303 leaves the accumulators" "$acc_before" "$(accums)"
    ipt_setl 2304 "$2" "$3" "$4"
    expect_jq "$name: 2304 settles" .infcode 0
    SETL=$(jq -r .output.setlinfo.setl_id "$OUT")
    cp "$OUT" "$TMP/$tag.answer"
    expect_eq "$name: setl_id: the region and 14 digits" 1 \
        "$([[ $SETL =~ ^530100[0-9]{14}$ ]] && echo 1)"
    expect_eq "$name: 2304's figures are 2303's" "$pre" "$(jq -r "$FIGS" "$OUT")"
    expect_eq "$name: 2304's funds are 2303's" "$(cat "$TMP/$tag.predetail")" \
        "$(jq -r "$DETAIL" "$OUT")"
    expect_eq "$name: one settlement more" $((n_before + 1)) "$(settlements)"
}

# stay 1: the first admission, below the critical-illness deductible
admit ZY1801 "2018-03-05 08:00:00" J18.900 肺炎
expect_jq "stay 1: 2401 admits" .infcode 0
STAY1=$STAY
call 2301 "{\"feedetail\":[$(ipt_line 1 "$A_CODE" 1 12345.670000 12345.67 "2018-03-06 09:00:00"),$(ipt_line 2 "$C_CODE" 2 50.000000 100.00 "2018-03-07 09:00:00")]}"
expect_jq "stay 1: 2301 classifies the lines (class, in scope, self-paid)" \
    '[.output.result[] | "\(.chrgitm_lv):\(.inscp_scp_amt * 100 | round):\(.fulamt_ownpay_amt * 100 | round)"] | join(" ")' \
    "01:1234567:0 03:0:10000"
discharge "2018-03-14 10:00:00"
expect_jq "stay 1: 2402 discharges" .infcode 0
settle_stay "stay 1" 12445.67 100.00 12345.67
SETL1=$SETL
expect_jq "stay 1: the first admission of the year" .output.setlinfo.adm_ordinal 1
expect_setl "stay 1" 12445.67 100.00 12345.67 300.00 9636.54 0.8000 0.00 2031.85 11668.39 777.28
expect_jq "stay 1 funds: basic, critical, assistance and tilt as one" "$DETAIL" \
    "390100:1234567:15000000:963654 390200:270913:270913:0 610100:270913:8000000:203185"
ACC1="admissions=1 assist.paid=203185 assist_tilt.dedc=67728 cap.basic_annual.paid=963654 critical.dedc=270913 inpatient.paid=963654"
expect_eq "stay 1: the accumulators" "$ACC1" "$(accums)"

# stay 2: the second admission's deductible; crosses the critical-illness one
admit ZY1802 "2018-06-11 08:00:00" I63.900 脑梗死
expect_jq "stay 2: 2401 admits" .infcode 0
STAY2=$STAY
call 2301 "{\"feedetail\":[$(ipt_line 1 "$A_CODE" 3 8000.500000 24001.50 "2018-06-12 09:00:00"),$(ipt_line 2 "$A_CODE" 10 99.900000 999.00 "2018-06-13 09:00:00")]}"
expect_jq "stay 2: 2301 takes two class-A lines in scope" \
    '[.output.result[] | "\(.chrgitm_lv):\(.inscp_scp_amt * 100 | round)"] | join(" ")' \
    "01:2400150 01:99900"
ipt_setl 2304 25000.50 0 25000.50
expect_refused "stay 2: no settlement before the discharge" "input.data.mdtrt_id" "尚未办理出院"
discharge "2018-06-25 10:00:00"
expect_jq "stay 2: 2402 discharges" .infcode 0
ipt_setl 2303 25000.60 0 25000.50
expect_refused "stay 2: a total that is not the lines'" "input.data.medfee_sumamt" "25000.60" "25000.50"
settle_stay "stay 2" 25000.50 0 25000.50
SETL2=$SETL
expect_jq "stay 2: the second admission" .output.setlinfo.adm_ordinal 2
expect_setl "stay 2" 25000.50 0.00 25000.50 150.00 19880.40 0.8000 731.08 3291.77 23903.25 1097.25
expect_jq "stay 2 funds: critical illness on 1,329.23 above its deductible" "$DETAIL" \
    "390100:2500050:14036346:1988040 390200:512010:512010:73108 610100:438902:7796815:329177"
ACC2="admissions=2 assist.paid=532362 assist_tilt.dedc=177453 cap.basic_annual.paid=2951694 critical.dedc=650000 critical.eligible=132923 critical.paid=73108 inpatient.paid=2951694"
expect_eq "stay 2: the accumulators" "$ACC2" "$(accums)"

# stay 3: the basic cap, the second critical-illness band, the tilt round
admit ZY1803 "2018-09-03 08:00:00" C34.900 肺恶性肿瘤
expect_jq "stay 3: 2401 admits" .infcode 0
STAY3=$STAY
call 2301 "{\"feedetail\":[$(ipt_line 1 "$A_CODE" 2 75000.000000 150000.00 "2018-09-04 09:00:00"),$(ipt_line 2 "$A_CODE" 40 1250.125000 50005.00 "2018-09-20 09:00:00"),$(ipt_line 3 "$C_CODE" 3 33.330000 99.99 "2018-10-01 09:00:00")]}"
expect_jq "stay 3: 2301 takes three lines" \
    '[.output.result[] | "\(.chrgitm_lv):\(.inscp_scp_amt * 100 | round):\(.fulamt_ownpay_amt * 100 | round)"] | join(" ")' \
    "01:15000000:0 01:5000500:0 03:0:9999"
discharge "2018-10-08 10:00:00"
expect_jq "stay 3: 2402 discharges" .infcode 0
settle_stay "stay 3" 200104.99 99.99 200005.00
SETL3=$SETL
expect_jq "stay 3: the third admission" .output.setlinfo.adm_ordinal 3
expect_setl "stay 3" 200104.99 99.99 200005.00 150.00 120483.06 0.6029 46822.18 26999.56 194304.80 5800.19
expect_jq "stay 3 funds: basic at its cap, both assistance rounds pay, one row" "$DETAIL" \
    "390100:20000500:12048306:12048306 390200:7952194:7952194:4682218 610100:3269976:7467638:2699956"
expect_jq "stay 3: setl_proc_info names both rounds" '.output.setldetail[2].setl_proc_info' \
    "第1轮 医疗救助：基数32699.76-起付线0.00=32699.76；32699.76×75%=24524.82；第2轮 倾斜救助：基数8174.94-起付线3225.47=4949.47；4949.47×50%=2474.74"
expect_eq "stay 3: one stored row a fund, as setldetail" \
    "390100=12048306 390200=4682218 610100=2699956" \
    "$(sqlite3 "$DB" "SELECT group_concat(fund_pay_type || '=' || fund_payamt, ' ') FROM (SELECT * FROM settlement_fund WHERE setl_id = '$SETL' ORDER BY seq)")"
call 5203 "{\"data\":{\"psn_no\":\"$PSN\",\"setl_id\":\"$SETL\",\"mdtrt_id\":\"$STAY\"}}"
expect_eq "stay 3: 5203 shows the rows of 2304" \
    "$(jq -r "$DETAIL" "$TMP/stay3.answer")" "$(jq -r "$DETAIL" "$OUT")"
expect_wire "stay 3: 5203 shows the ratio of 2304" pool_prop_selfpay 0.6029
ACC3="admissions=3 assist.paid=2984844 assist_tilt.dedc=500000 assist_tilt.eligible=494947 assist_tilt.paid=247474 cap.basic_annual.paid=15000000 critical.dedc=650000 critical.eligible=8085117 critical.paid=4755326 inpatient.paid=15000000"
expect_eq "stay 3: the accumulators" "$ACC3" "$(accums)"

# ---- 5206 -------------------------------------------------------------------
call 5206 "{\"data\":{\"psn_no\":\"$PSN\",\"cum_ym\":\"201810\"}}"
expect_jq "5206 after three stays: admissions 3, critical base 80,851.17, ..." "$CUM" "$ACC3"
expect_jq "5206: the year 2018 on every line" '[.output.cuminfo[].year] | unique | join(",")' 2018
expect_jq "5206: admissions 3 (a count)" \
    '.output.cuminfo[] | select(.cum_type_code == "admissions") | .cum' 3
expect_yuan "5206: the critical-illness base above its deductible" \
    '.output.cuminfo[] | select(.cum_type_code == "critical.eligible") | .cum' 80851.17

# ---- reversal: latest first ---------------------------------------------------
reverse "$SETL2" "$STAY2"
expect_refused "stay 2 is not reversed while stay 3 stands" "input.data.setl_id" \
    "请先撤销同年度其后的结算 $SETL3"
reverse "$SETL1" "$STAY1"
expect_refused "nor stay 1 (naming the latest)" "input.data.setl_id" \
    "请先撤销同年度其后的结算 $SETL3"
expect_eq "the refusals changed nothing" "$ACC3" "$(accums)"
reverse "$SETL3" "$STAY3"
expect_jq "2305 reverses stay 3" .infcode 0
expect_jq "the reversal's figures are stay 3's, negated" \
    '.output.setlinfo | [.medfee_sumamt, .hifp_pay, .hifmi_pay, .maf_pay, .fund_pay_sumamt, .psn_part_amt, .pdn_cash_pay] | map(. * 100 | round) | join(" ")' \
    "-20010499 -12048306 -4682218 -2699956 -19430480 -580019 -580019"
expect_jq "the reversal's funds: one row a fund, negated, the limits of the original" "$DETAIL" \
    "390100:-20000500:12048306:-12048306 390200:-7952194:7952194:-4682218 610100:-3269976:7467638:-2699956"
expect_wire "the reversal's ratio is the original's" pool_prop_selfpay 0.6029
expect_jq "the reversal has its own setl_id" \
    ".output.setlinfo.setl_id != \"$SETL3\" and (.output.setlinfo.setl_id | test(\"^530100[0-9]{14}$\"))" true
expect_eq "the accumulators are back to after stay 2, exactly" "$ACC2" "$(accums)"
call 5206 "{\"data\":{\"psn_no\":\"$PSN\",\"cum_ym\":\"201810\"}}"
expect_jq "5206 after the reversal: admissions 2" "$CUM" "$ACC2"
expect_eq "stay 3 is open again, its settlement reversed" "open reversed" \
    "$(sqlite3 -separator ' ' "$DB" "SELECT v.status, s.status FROM visit v JOIN settlement s USING (mdtrt_id) WHERE s.setl_id = '$SETL3'")"
reverse "$SETL1" "$STAY1"
expect_refused "stay 1 still waits for stay 2" "input.data.setl_id" \
    "请先撤销同年度其后的结算 $SETL2"
reverse "$SETL3" "$STAY3"
expect_refused "a settlement is reversed once" "input.data.setl_id" "已冲销"

# ---- stay 3 settled again: the same figures -----------------------------------
settle_stay "stay 3 again" 200104.99 99.99 200005.00
expect_jq "stay 3 again: the third admission again" .output.setlinfo.adm_ordinal 3
expect_eq "stay 3 again: the figures of the first time" \
    "$(jq -r "$FIGS" "$TMP/stay3.answer")" "$(jq -r "$FIGS" "$OUT")"
expect_eq "stay 3 again: the funds of the first time" \
    "$(jq -r "$DETAIL" "$TMP/stay3.answer")" "$(jq -r "$DETAIL" "$OUT")"
expect_setl "stay 3 again" 200104.99 99.99 200005.00 150.00 120483.06 0.6029 46822.18 26999.56 194304.80 5800.19
expect_jq "stay 3 again: a new setl_id" ".output.setlinfo.setl_id != \"$SETL3\"" true
expect_eq "stay 3 again: the accumulators of the first time" "$ACC3" "$(accums)"

# ---- the books ------------------------------------------------------------------
expect_eq "every accumulator is the sum of what the live settlements added" 0 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM accumulator a WHERE a.psn_no = '$PSN' AND a.year = 2018 AND a.value <> (SELECT COALESCE(SUM(sa.delta), 0) FROM settlement_accum sa JOIN settlement s USING (setl_id) WHERE s.status = 'settled' AND s.psn_no = a.psn_no AND sa.key = a.key)")"
expect_eq "three settlements stand, one reversed, one reversal" "reversal=1 reversed=1 settled=3" \
    "$(sqlite3 "$DB" "SELECT group_concat(status || '=' || n, ' ') FROM (SELECT status, count(*) n FROM settlement WHERE psn_no = '$PSN' GROUP BY status ORDER BY status)")"
expect_eq "the year's expense by fund: basic, critical illness, assistance" \
    "390100/5101=15000000 390200/5102=4755326 610100/5103=3232318" \
    "$(sqlite3 "$DB" "SELECT group_concat(k || '=' || v, ' ') FROM (SELECT fund || '/' || account k, SUM(debit) - SUM(credit) v FROM journal WHERE account IN ('5101', '5102', '5103') GROUP BY fund, account ORDER BY fund, account)")"
expect_eq "the hospital is owed 229,876.44" 22987644 \
    "$(sqlite3 "$DB" "SELECT SUM(credit) - SUM(debit) FROM journal WHERE account = '2101'")"
run ledger trial-balance --db "$DB" --format json
expect_jq "the ledger balances" .balanced true
expect_eq "the audit chain verifies" 0 \
    "$("$YIBAO" audit verify --db "$DB" >/dev/null 2>&1; echo $?)"

# ---- the stop -------------------------------------------------------------------
kill -TERM $SERVER
for _ in $(seq 50); do
    kill -0 $SERVER 2>/dev/null || break
    sleep 0.1
done
set +e
wait $SERVER
STATUS=$?
set -e
expect_eq "SIGTERM stops the server with exit 0" 0 "$STATUS"

expect_no_nulls
finish
