#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: the hospital interface settles under the database's policy
# set, and a policy change never rewrites a stored settlement. A synthetic
# region of 60 persons (seed 9, 2018) is imported. Its policy
# (tests/data/enrol/synth-2018.json: one layer paying 70% of the policy
# scope, no deductible), first in a version valid only from 1 July, goes
# into the set with `yibao policy import`, and the payments are imported
# under the set's 2018 version (no --policy); `yibao serve --policy` with
# the same file imports nothing new. A visit on 1 June finds no policy in
# force (2204 refused, nothing stored) until the whole year's version is
# imported while the server runs. An outpatient visit of 35.00 (20.00
# class A, 15.00 class C) then settles at 14.00 from the fund under
# version 2. A revision paying 80% is imported as version 3; 5203 answers
# the first settlement as it was (14.00, version 2) and a second visit
# with the same lines settles at 16.00 under version 3.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }

POLICY=tests/data/enrol/synth-2018.json
CSV=$TMP/csv
DB=$TMP/set.db
INST=H53010200001

# ---- the region and its policy set ---------------------------------------
run synth --persons 60 --year 2018 --seed 9 --out "$CSV"
expect_ok "synth writes the region"
run init --db "$DB"
import_region "$CSV" "$DB" region institution school household person identity catalogue
JULY=$TMP/july.json
jq '.name = "测试：2018 年 7 月起" | .valid_from = "2018-07-01"' "$POLICY" > "$JULY"
run policy import --db "$DB" --actor clerk "$JULY"
expect_eq "the policy from July is version 1" \
    "导入 imported version 1: 530100 390 2018 2018-07-01..2018-12-31 测试：2018 年 7 月起 (blake2b $(b2sum -l 256 "$JULY" | cut -c1-12))" \
    "$(cat "$OUT")"
run pay import --db "$DB" --year 2018 "$CSV/payments.csv"
expect_eq "payments import under the set's 2018 version" 0 "$RC"
expect_eq "every payment is recorded" "$(($(wc -l <"$CSV/payments.csv") - 1))" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM contribution")"
printf 'fixmedins_code,fixmedins_name,hosp_lv,inst_type,public_flag,admdvs,begndate,enddate\n%s,昆明市测试医院,1,hospital,1,530102,2018-01-01,\n' \
    "$INST" > "$TMP/inst.csv"
run institution import --db "$DB" "$TMP/inst.csv"
run institution credential --db "$DB" --code "$INST"
SECRET=$(cat "$OUT")

# ---- the server -------------------------------------------------------------
start_server "$DB" "$JULY"
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
expect_eq "serve --policy with a file in the set adds no version" \
    "政策版本 policy version 1: 已有 unchanged 测试：2018 年 7 月起 (530100)" \
    "$(head -n 1 "$TMP/serve.out")"
expect_eq "one version in the set" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM policy_version")"
SERIAL=0
call() { # call INFNO INPUT [SIGN_NO] [CAINFO]
    SERIAL=$((SERIAL + 1))
    jq -cn --arg infno "$1" --argjson input "$2" --arg sign "${3:-}" \
        --arg ca "${4:-}" --arg inst "$INST" \
        --arg msgid "$(printf '%s20261122100000%04d' "$INST" "$SERIAL")" \
        '{infno: $infno, msgid: $msgid, mdtrtarea_admvs: "530102",
          insuplc_admdvs: "", recer_sys_code: "YBXT", dev_no: "",
          dev_safe_info: "", cainfo: $ca, signtype: "", infver: "V1.0",
          opter_type: "1", opter: "001", opter_name: "张三",
          inf_time: "2026-11-22 10:00:00", fixmedins_code: $inst,
          fixmedins_name: "昆明市测试医院", sign_no: $sign, input: $input}' \
        > "$TMP/body"
    curl -s -o "$OUT" --data-binary "@$TMP/body" \
        -H 'Content-Type: application/json' "$URL"
}
call 9001 '{"signIn":{"opter_no":"001"}}' "" "$SECRET"
expect_jq "9001 succeeds" .infcode 0
SIGN=$(jq -r .output.signinoutb.sign_no "$OUT")

read -r V_PSN V_CERT <<<"$(sqlite3 -separator ' ' "$DB" "SELECT e.psn_no, p.certno FROM enrolment e JOIN person p USING (psn_no) WHERE e.year = 2018 AND e.status = 'covered' AND e.covered_from <= '2018-06-01' ORDER BY e.psn_no LIMIT 1")"
A_CODE=$(awk -F, '{ sub(/\r$/, "") } NR > 1 && $4 == "01" && ($6 == "" || $6 + 0 >= 10) && $9 == "" && $10 == "" && $11 == "" { print $1; exit }' "$CSV/catalogue.csv")
C_CODE=$(awk -F, '{ sub(/\r$/, "") } NR > 1 && $4 == "03" && ($6 == "" || $6 + 0 >= 5) && $9 == "" && $10 == "" && $11 == "" { print $1; exit }' "$CSV/catalogue.csv")
line() { # line SN CODE CNT PRIC AMOUNT
    printf '{"feedetl_sn":"%s","mdtrt_id":"%s","psn_no":"%s","chrg_bchno":"B1","fee_ocur_time":"2018-06-01 09:20:00","med_list_codg":"%s","det_item_fee_sumamt":%s,"cnt":%s,"pric":%s}' \
        "$1" "$MDTRT" "$V_PSN" "$2" "$5" "$3" "$4"
}
# visit OTP_NO: register, upload 20.00 class A and 15.00 class C, settle;
# the answer of 2207 in $OUT, its setl_id in $SETL.
visit() {
    call 2201 "{\"data\":{\"psn_no\":\"$V_PSN\",\"insutype\":\"390\",\"begntime\":\"2018-06-01 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$V_CERT\",\"ipt_otp_no\":\"$1\"}}" "$SIGN"
    MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")
    call 2204 "{\"feedetail\":[$(line 1 "$A_CODE" 2 10.000000 20.00),$(line 2 "$C_CODE" 3 5.000000 15.00)]}" "$SIGN"
    expect_jq "2204 classifies under the set ($1)" \
        '.output.result | map("\(.chrgitm_lv) \(.inscp_scp_amt) \(.fulamt_ownpay_amt)") | join("; ")' \
        "01 20 0; 03 0 15"
    call 2207 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$V_CERT\",\"med_type\":\"11\",\"medfee_sumamt\":35.00,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$MDTRT\",\"insutype\":\"390\"}}" "$SIGN"
    SETL=$(jq -r .output.setlinfo.setl_id "$OUT")
}
# ---- no policy in force on the visit's day ---------------------------------
call 2201 "{\"data\":{\"psn_no\":\"$V_PSN\",\"insutype\":\"390\",\"begntime\":\"2018-06-01 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$V_CERT\",\"ipt_otp_no\":\"MZ0000\"}}" "$SIGN"
MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")
call 2204 "{\"feedetail\":[$(line 1 "$A_CODE" 2 10.000000 20.00)]}" "$SIGN"
expect_refused "2204 on a day without a policy" \
    "[YB0008] policy: 统筹区 530100 在 2018-06-01 没有有效的待遇政策 (no policy in force)"
expect_eq "no fee line is stored" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM fee_line")"
run policy import --db "$DB" --actor clerk "$POLICY"
expect_eq "the whole year's policy is version 2" \
    "导入 imported version 2: 530100 390 2018 2018-01-01..2018-12-31 $(jq -r .name "$POLICY") (blake2b $(b2sum -l 256 "$POLICY" | cut -c1-12))" \
    "$(cat "$OUT")"
sleep 0.1 # past the server's read snapshots (1 ms)
visit MZ0001
SETL1=$SETL
expect_eq "visit 1 settles at 70%: fund 14.00, person 21.00" \
    "35.00 20.00 14.00 14.00 21.00" "$(yuan .output.setlinfo.medfee_sumamt) $(yuan .output.setlinfo.inscp_scp_amt) $(yuan .output.setlinfo.hifp_pay) $(yuan .output.setlinfo.fund_pay_sumamt) $(yuan .output.setlinfo.psn_part_amt)"
expect_eq "settlement 1 names version 2" 2 \
    "$(sqlite3 "$DB" "SELECT policy_id FROM settlement WHERE setl_id = '$SETL1'")"
expect_eq "its trace starts with the version" \
    "政策版本 policy version 2: $(jq -r .name "$POLICY") (530100 390 2018, blake2b $(b2sum -l 256 "$POLICY" | cut -c1-12))" \
    "$(sqlite3 "$DB" "SELECT trace FROM settlement WHERE setl_id = '$SETL1'" | head -n 1)"
call 5203 "{\"data\":{\"psn_no\":\"$V_PSN\",\"setl_id\":\"$SETL1\"}}" "$SIGN"
# medins_setl_id echoes the msgid of the query itself
BEFORE=$(jq -c '.output | del(.setlinfo.medins_setl_id)' "$OUT")
expect_jq "5203 names version 2" .output.setlinfo.policy_id 2

# ---- a revision for the same year, imported while the server runs ---------
jq '.name = "测试：2018 年修订（支付比例 80%）" | .benefits.layers[0].rates.rules[0].rate = "80%"' \
    "$POLICY" > "$TMP/revised.json"
run policy import --db "$DB" --actor clerk "$TMP/revised.json"
expect_eq "the revision is version 3" \
    "导入 imported version 3: 530100 390 2018 2018-01-01..2018-12-31 测试：2018 年修订（支付比例 80%） (blake2b $(b2sum -l 256 "$TMP/revised.json" | cut -c1-12))" \
    "$(cat "$OUT")"
run policy diff --db "$DB" 2 3
expect_eq "the diff names the two changes" \
    "name: $(jq -r .name "$POLICY") → 测试：2018 年修订（支付比例 80%）|benefits.layers[inpatient].rates.rules[0].rate: 70% → 80%|2 处不同 differences" \
    "$(sed -n '3,$p' "$OUT" | paste -sd '|')"
sleep 0.1 # past the servers' read snapshots (1 ms)
call 5203 "{\"data\":{\"psn_no\":\"$V_PSN\",\"setl_id\":\"$SETL1\"}}" "$SIGN"
expect_eq "5203: the stored settlement is unchanged" "$BEFORE" "$(jq -c '.output | del(.setlinfo.medins_setl_id)' "$OUT")"
expect_eq "5203: fund 14.00 under version 2" "14.00 2" \
    "$(yuan .output.setlinfo.hifp_pay) $(jq -r .output.setlinfo.policy_id "$OUT")"
visit MZ0002
SETL2=$SETL
expect_eq "visit 2 settles at 80%: fund 16.00, person 19.00" \
    "35.00 20.00 16.00 16.00 19.00" "$(yuan .output.setlinfo.medfee_sumamt) $(yuan .output.setlinfo.inscp_scp_amt) $(yuan .output.setlinfo.hifp_pay) $(yuan .output.setlinfo.fund_pay_sumamt) $(yuan .output.setlinfo.psn_part_amt)"
call 5203 "{\"data\":{\"psn_no\":\"$V_PSN\",\"setl_id\":\"$SETL2\"}}" "$SIGN"
expect_eq "5203: settlement 2 under version 3" "16.00 3" \
    "$(yuan .output.setlinfo.hifp_pay) $(jq -r .output.setlinfo.policy_id "$OUT")"
expect_eq "the settlements' versions and funds" "$SETL1 2 1400|$SETL2 3 1600" \
    "$(sqlite3 -separator ' ' "$DB" "SELECT setl_id, policy_id, hifp_pay FROM settlement ORDER BY setl_id" | paste -sd '|')"
expect_eq "the ledger owes the institution both" 3000 \
    "$(sqlite3 "$DB" "SELECT SUM(credit) - SUM(debit) FROM journal WHERE account = '2101'")"

kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
finish
