#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: the critical-illness cap rises with continuous and
# claim-free years of enrolment (国办发〔2024〕38号, the 2025 national
# default: 1,000 a continuous year from the 5th, 1,000 a claim-free year,
# at most 20% of the 300,000 cap), over HTTP against a real `yibao serve`
# and a SQLite file, with the years read from the registry.
#
# A synthetic region of 2025 (60 persons, seed 9) is imported with its
# payments under policies/national-default-2025.json; the 2023 national
# default joins the policy set. Two covered adults get earlier years:
#   A: covered 2018-2024 (rows written here), paid 50.00 for a 2023
#      outpatient visit (2201, 2204, 2207 at a township centre: general
#      outpatient pooling, 50% of 100.00);
#   B: covered 2017-2023, not 2024: a break.
# Each is admitted in 2025 to a level-2 hospital with 800,000.00 in scope
# (one class-A line). Basic: (800,000 - 600) x 75% = 599,550, held to the
# annual 150,000. Critical illness on the burden 650,000: 629,343 above
# the deductible 20,657, 50,000 x 60% + 50,000 x 70% + 529,343 x 80% =
# 488,474.40 due, held to the cap:
#   A: 8 continuous years (2018-2025): 4 x 1,000; 6 claim-free (2018-2022,
#      2024): 6 x 1,000; the cap 300,000 + 10,000 = 310,000.00;
#   B: 1 continuous year (2025): the cap 300,000.00.
# 2303 pre-settles to 2304's figures. After 2305 reverses A's stay and
# 2208 reverses the 2023 visit, 2023 is claim-free too: A settles again
# at 311,000.00.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is required" >&2; exit 1; }

POLICY=policies/national-default-2025.json
CSV=$TMP/csv
DB=$TMP/bonus.db
HOSP=H53010200902
CLINIC=H53010200903

# ---- the region, the people and their earlier years -------------------------
run synth --persons 60 --year 2025 --seed 9 --out "$CSV"
expect_ok "synth writes the region of 2025"
run init --db "$DB"
import_region "$CSV" "$DB" region school household person identity catalogue
run pay import --db "$DB" --policy "$POLICY" "$CSV/payments.csv"
expect_eq "payments import under the 2025 national default" 0 "$RC"
run policy import --db "$DB" --actor clerk policies/national-default-2023.json
expect_ok "the 2023 national default joins the set"
adults() {
    sqlite3 -separator ' ' "$DB" "SELECT p.psn_no, p.certno FROM enrolment e JOIN person p USING (psn_no) WHERE e.year = 2025 AND e.status = 'covered' AND e.covered_from = '2025-01-01' AND e.psn_type = '1501' AND p.psn_no NOT IN (SELECT psn_no FROM identity) ORDER BY p.psn_no LIMIT 2"
}
{ read -r A A_CERT; read -r B B_CERT; } <<<"$(adults)"
expect_eq "two covered adults without an identity" 1 \
    "$([[ $A =~ ^[0-9]{20}$ && $B =~ ^[0-9]{20}$ ]] && echo 1)"
covered() { # covered PSN FROM TO: a covered enrolment each year
    local y
    for y in $(seq "$2" "$3"); do
        echo "INSERT INTO enrolment (psn_no, insutype, scheme, year, admdvs, psn_type, tier, status, covered_from) VALUES ('$1', '390', 'basic', $y, '530100', '1501', 1, 'covered', '$y-01-01');"
    done
}
sqlite3 "$DB" "$(covered "$A" 2018 2024) $(covered "$B" 2017 2023)"
expect_eq "the earlier years are in the registry" "7 7" \
    "$(sqlite3 -separator ' ' "$DB" "SELECT SUM(psn_no = '$A'), SUM(psn_no = '$B') FROM enrolment WHERE year < 2025")"
printf 'fixmedins_code,fixmedins_name,hosp_lv,inst_type,public_flag,admdvs,begndate,enddate\r\n%s,昆明市测试二级医院,2,hospital,1,530102,2015-01-01,2099-12-31\r\n%s,昆明市测试卫生院,township,hospital,1,530102,2015-01-01,2099-12-31\r\n' \
    "$HOSP" "$CLINIC" > "$TMP/inst.csv"
run institution import --db "$DB" "$TMP/inst.csv"
expect_eq "a level-2 hospital and a township centre" 0 "$RC"
for inst in $HOSP $CLINIC; do
    run institution credential --db "$DB" --code "$inst"
    expect_ok "$inst's credential"
    printf -v "SECRET_$inst" '%s' "$(cat "$OUT")"
done
# a class-A code valid since 2023 at the latest, no ceiling, no restriction
A_CODE=$(awk -F, '{ sub(/\r$/, "") } NR > 1 && $4 == "01" && $6 == "" && $7 <= "2023-01-01" && $8 == "" && $9 == "" && $10 == "" && $11 == "" { print $1; exit }' "$CSV/catalogue.csv")
expect_eq "a class-A code" 1 "$([ -n "$A_CODE" ] && echo 1)"

# ---- the server -------------------------------------------------------------
start_server "$DB" "$POLICY"
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
expect_eq "the server prints its port" 1 "$([[ $PORT =~ ^[0-9]+$ ]] && echo 1)"
SERIAL=0
# call INST INFNO INPUT: POST an envelope of INST with the next msgid; the
# answer in $OUT
call() {
    local secret=SECRET_$1 sign=SIGN_$1
    SERIAL=$((SERIAL + 1))
    hosp_envelope "$2" "$3" "${!sign:-}" "${!secret}" "$1" \
        "$(printf '%s20250601120000%04d' "$1" "$SERIAL")" > "$TMP/body"
    curl -s -o "$OUT" --data-binary "@$TMP/body" \
        -H 'Content-Type: application/json' "$URL"
}
for inst in $HOSP $CLINIC; do
    call "$inst" 9001 '{"signIn":{"opter_no":"001","mac":"00-1A-2B-3C-4D-5E","ip":"10.0.0.8"}}'
    expect_jq "$inst signs in" .infcode 0
    printf -v "SIGN_$inst" '%s' "$(jq -r .output.signinoutb.sign_no "$OUT")"
done

# ---- A's outpatient visit of 2023: the fund pays 50.00 ----------------------
call $CLINIC 2201 "{\"data\":{\"psn_no\":\"$A\",\"insutype\":\"390\",\"begntime\":\"2023-05-08 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$A_CERT\",\"ipt_otp_no\":\"MZ2301\",\"atddr_no\":\"D001\",\"dr_name\":\"李医生\",\"dept_code\":\"A01\",\"dept_name\":\"内科\",\"caty\":\"A03\"}}"
expect_jq "2023: 2201 registers A's visit" .infcode 0
OTP=$(jq -r .output.data.mdtrt_id "$OUT")
call $CLINIC 2204 "{\"feedetail\":[{\"feedetl_sn\":\"1\",\"mdtrt_id\":\"$OTP\",\"psn_no\":\"$A\",\"chrg_bchno\":\"B1\",\"fee_ocur_time\":\"2023-05-08 09:20:00\",\"med_list_codg\":\"$A_CODE\",\"det_item_fee_sumamt\":100.00,\"cnt\":10,\"pric\":10.000000}]}"
expect_jq "2023: 2204 takes the line" .infcode 0
call $CLINIC 2207 "{\"data\":{\"psn_no\":\"$A\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$A_CERT\",\"med_type\":\"11\",\"medfee_sumamt\":100.00,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$OTP\",\"chrg_bchno\":\"B1\",\"acct_used_flag\":\"0\",\"insutype\":\"390\"}}"
expect_jq "2023: 2207 settles under the 2023 policy" .infcode 0
expect_yuan "2023: the fund pays 50.00" .output.setlinfo.hifp_pay 50.00
OTP_SETL=$(jq -r .output.setlinfo.setl_id "$OUT")

# ---- the stays of 2025 --------------------------------------------------------
DETAIL='[.output.setldetail[] | "\(.fund_pay_type):\(.inscp_scp_amt * 100 | round):\(.crt_payb_lmt_amt * 100 | round):\(.fund_payamt * 100 | round)"] | join(" ")'
FIGS='.output.setlinfo | [.medfee_sumamt, .inscp_scp_amt, .act_pay_dedc, .hifp_pay, .hifmi_pay, .maf_pay, .fund_pay_sumamt, .psn_part_amt] | map(. * 100 | round | tostring) | join(" ")'
stay() { # stay PSN CERT IPT_NO: admitted, one line of 800,000.00, discharged
    call $HOSP 2401 "{\"mdtrtinfo\":{\"psn_no\":\"$1\",\"insutype\":\"390\",\"begntime\":\"2025-03-03 08:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$2\",\"med_type\":\"21\",\"ipt_no\":\"$3\",\"atddr_no\":\"D002\",\"chfpdr_name\":\"王医生\",\"adm_dept_codg\":\"A02\",\"adm_dept_name\":\"心外科\",\"dise_codg\":\"I25.100\",\"dise_name\":\"冠心病\"},\"diseinfo\":[{\"psn_no\":\"$1\",\"diag_type\":\"1\",\"maindiag_flag\":\"1\",\"diag_srt_no\":1,\"diag_code\":\"I25.100\",\"diag_name\":\"冠心病\",\"diag_dept\":\"心外科\",\"dise_dor_no\":\"D002\",\"dise_dor_name\":\"王医生\",\"diag_time\":\"2025-03-03 08:00:00\"}]}"
    expect_jq "$3: 2401 admits" .infcode 0
    STAY=$(jq -r .output.result.mdtrt_id "$OUT")
    call $HOSP 2301 "{\"feedetail\":[{\"feedetl_sn\":\"1\",\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$1\",\"med_type\":\"21\",\"fee_ocur_time\":\"2025-03-05 09:00:00\",\"med_list_codg\":\"$A_CODE\",\"det_item_fee_sumamt\":800000.00,\"cnt\":8000,\"pric\":100.000000}]}"
    expect_jq "$3: 2301 takes the line" .infcode 0
    call $HOSP 2402 "{\"dscginfo\":{\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$1\",\"insutype\":\"390\",\"endtime\":\"2025-03-28 10:00:00\",\"dscg_dept_codg\":\"A02\",\"dscg_dept_name\":\"心外科\",\"dscg_way\":\"1\"}}"
    expect_jq "$3: 2402 discharges" .infcode 0
}
settle() { # settle INFNO PSN CERT
    call $HOSP "$1" "{\"data\":{\"psn_no\":\"$2\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$3\",\"medfee_sumamt\":800000.00,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$STAY\",\"insutype\":\"390\",\"acct_used_flag\":\"0\",\"mid_setl_flag\":\"0\"}}"
}
# settle_both NAME PSN CERT: 2303, then 2304 with the same figures; the
# 2304 answer in $OUT, its setl_id in $SETL
settle_both() {
    local pre predetail
    settle 2303 "$2" "$3"
    expect_jq "$1: 2303 pre-settles" .infcode 0
    pre=$(jq -r "$FIGS" "$OUT")
    predetail=$(jq -r "$DETAIL" "$OUT")
    settle 2304 "$2" "$3"
    expect_jq "$1: 2304 settles" .infcode 0
    expect_eq "$1: 2304's figures are 2303's" "$pre" "$(jq -r "$FIGS" "$OUT")"
    expect_eq "$1: 2304's funds are 2303's" "$predetail" "$(jq -r "$DETAIL" "$OUT")"
    SETL=$(jq -r .output.setlinfo.setl_id "$OUT")
}
trace_of() { sqlite3 "$DB" "SELECT trace FROM settlement WHERE setl_id = '$1'"; }

stay "$A" "$A_CERT" ZYA2501
settle_both "A" "$A" "$A_CERT"
expect_eq "A: scope, deductible, basic, critical illness, assistance, funds, person" \
    "80000000 80000000 60000 15000000 31000000 0 46000000 34000000" "$(jq -r "$FIGS" "$OUT")"
expect_jq "A: critical illness stops at the raised cap 310,000.00" "$DETAIL" \
    "390100:80000000:15000000:15000000 390200:65000000:31000000:31000000"
expect_jq "A: setl_proc_info shows the raised cap" \
    '.output.setldetail[1].setl_proc_info | endswith("；限额内支付310000.00；封顶线300000.00+连续参保/零报销增加10000.00=310000.00")' true
trace_of "$SETL" > "$TMP/trace-a"
expect_eq "A: the trace counts 8 continuous and 6 claim-free years" 1 \
    "$(grep -c '封顶线提高额\[critical\]：连续参保年数=8，零报销年数=6，连续参保增加=4000.00元，零报销增加=6000.00元，增加上限=60000.00元 → 10000.00元' "$TMP/trace-a")"
expect_eq "A: the trace raises the cap" 1 \
    "$(grep -c '大病保险封顶线\[critical\]：原封顶线=300000.00元，连续参保/零报销增加=10000.00元 → 310000.00元' "$TMP/trace-a")"
SETL_A=$SETL
STAY_A=$STAY

# ---- B: a break in 2024 leaves the plain cap ----------------------------------
stay "$B" "$B_CERT" ZYB2501
settle_both "B" "$B" "$B_CERT"
expect_jq "B: critical illness stops at 300,000.00" "$DETAIL" \
    "390100:80000000:15000000:15000000 390200:65000000:30000000:30000000"
expect_eq "B: the trace counts 1 continuous year, no increase" 1 \
    "$(trace_of "$SETL" | grep -c '封顶线提高额\[critical\]：连续参保年数=1，零报销年数=0，.* → 0.00元')"

# ---- reversals: A's 2023 visit reversed makes 2023 claim-free ---------------
call $HOSP 2305 "{\"data\":{\"setl_id\":\"$SETL_A\",\"mdtrt_id\":\"$STAY_A\",\"psn_no\":\"$A\"}}"
expect_jq "A: 2305 reverses the stay" .infcode 0
call $CLINIC 2208 "{\"data\":{\"setl_id\":\"$OTP_SETL\",\"mdtrt_id\":\"$OTP\",\"psn_no\":\"$A\"}}"
expect_jq "A: 2208 reverses the 2023 visit" .infcode 0
STAY=$STAY_A
settle_both "A again" "$A" "$A_CERT"
expect_jq "A again: 7 claim-free years, the cap 311,000.00" "$DETAIL" \
    "390100:80000000:15000000:15000000 390200:65000000:31100000:31100000"
expect_eq "the ledger: critical illness owes 310,000 - 310,000 + 300,000 + 311,000" 61100000 \
    "$(sqlite3 "$DB" "SELECT SUM(credit) - SUM(debit) FROM journal WHERE fund = '390200' AND account = '2101'")"
finish
