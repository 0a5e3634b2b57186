#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Crash test of the hospital interface: settlements under load, the server
# killed with SIGKILL at a random moment, restarted, four rounds. A client
# loop runs whole outpatient chains (2201 register, 2204 two lines, 2207
# settle) for covered persons of a synthetic region and writes down every
# settlement the server acknowledged (infcode 0 with a setl_id); a kill
# cuts it wherever it is. After the last round:
#   - every acknowledged settlement is stored, settled, with its visit
#     settled and its ledger entry;
#   - the ledger balances (trial balance) and the audit chain is intact;
#   - every person's accumulators equal the sum of what their live
#     settlements added;
#   - no visit is settled without its settlement, and no settlement's
#     figures disagree with its fund rows.
# Bounded: 4 rounds of at most 4 s of load each.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }

POLICY=policies/national-default-2018.json
CSV=$TMP/csv
DB=$TMP/crash.db
INST=H53010200001
ACKED=$TMP/acked

run synth --persons 300 --year 2018 --seed 5 --out "$CSV"
run init --db "$DB"
import_region "$CSV" "$DB" region school household person identity catalogue
run pay import --db "$DB" --policy tests/data/enrol/synth-2018.json "$CSV/payments.csv"
printf 'fixmedins_code,fixmedins_name,hosp_lv,inst_type,public_flag,admdvs,begndate,enddate\n%s,某街道社区卫生服务中心,township,township,1,530102,2018-01-01,\n' \
    "$INST" > "$TMP/inst.csv"
run institution import --db "$DB" "$TMP/inst.csv"
run institution credential --db "$DB" --code "$INST"
SECRET=$(cat "$OUT")
A_CODE=$(awk -F, '{ sub(/\r$/, "") } NR > 1 && $4 == "01" && $9 == "" && $10 == "" && $11 == "" { print $1; exit }' "$CSV/catalogue.csv")
C_CODE=$(awk -F, '{ sub(/\r$/, "") } NR > 1 && $4 == "03" && $9 == "" && $10 == "" && $11 == "" { print $1; exit }' "$CSV/catalogue.csv")
sqlite3 -separator ' ' "$DB" "SELECT e.psn_no, p.certno FROM enrolment e JOIN person p USING (psn_no) WHERE e.year = 2018 AND e.status = 'covered' AND e.covered_from <= '2018-06-01' ORDER BY e.psn_no" > "$TMP/people"
expect_eq "covered persons to load with" 1 "$([ "$(wc -l <"$TMP/people")" -ge 20 ] && echo 1)"
: > "$ACKED"

trap 'kill -9 $SERVER 2>/dev/null || true; kill $LOADER 2>/dev/null || true; rm -rf "$TMP"' EXIT

# call ROUND SERIAL INFNO INPUT: the answer on stdout ("" if none)
call() {
    local body
    body=$(printf '{"infno":"%s","msgid":"%s%(%Y%m%d)T10%02d%02d%04d","mdtrtarea_admvs":"530102","insuplc_admdvs":"","recer_sys_code":"YBXT","infver":"V1.0","opter_type":"1","opter":"001","opter_name":"张三","inf_time":"%(%Y-%m-%d %H:%M:%S)T","fixmedins_code":"%s","fixmedins_name":"某中心","sign_no":"%s","cainfo":"%s","input":%s}' \
        "$3" "$INST" -1 "$1" $((${2} / 10000)) $((${2} % 10000)) -1 "$INST" "${SIGN:-}" "$SECRET" "$4")
    curl -s -m 5 --data-binary "$body" "$URL" || true
}

# one client: whole chains until killed
load() {
    local round=$1 n=0 psn cert id setl
    while read -r psn cert; do
        n=$((n + 3))
        id=$(call "$round" $n 2201 "{\"data\":{\"psn_no\":\"$psn\",\"insutype\":\"390\",\"begntime\":\"2018-06-01 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$cert\",\"ipt_otp_no\":\"R${round}N$n\"}}" | jq -r '.output.data.mdtrt_id // empty' 2>/dev/null)
        [ -n "$id" ] || continue
        call "$round" $((n + 1)) 2204 "{\"feedetail\":[{\"feedetl_sn\":\"1\",\"mdtrt_id\":\"$id\",\"psn_no\":\"$psn\",\"chrg_bchno\":\"B\",\"fee_ocur_time\":\"2018-06-01 09:10:00\",\"med_list_codg\":\"$A_CODE\",\"det_item_fee_sumamt\":30.00,\"cnt\":3,\"pric\":10},{\"feedetl_sn\":\"2\",\"mdtrt_id\":\"$id\",\"psn_no\":\"$psn\",\"chrg_bchno\":\"B\",\"fee_ocur_time\":\"2018-06-01 09:10:00\",\"med_list_codg\":\"$C_CODE\",\"det_item_fee_sumamt\":8.00,\"cnt\":2,\"pric\":4}]}" >/dev/null
        setl=$(call "$round" $((n + 2)) 2207 "{\"data\":{\"psn_no\":\"$psn\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$cert\",\"med_type\":\"11\",\"medfee_sumamt\":38.00,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$id\",\"insutype\":\"390\"}}" | jq -r 'select(.infcode == 0) | .output.setlinfo.setl_id' 2>/dev/null)
        [ -n "$setl" ] && echo "$setl" >> "$ACKED"
    done < <(shuf --random-source=<(yes "$round") "$TMP/people")
}

for round in 1 2 3 4; do
    start_server "$DB" "$POLICY"
    SIGN=$(call "$round" 0 9001 '{"signIn":{"opter_no":"001"}}' | jq -r .output.signinoutb.sign_no)
    expect_eq "round $round: signed in" 30 "${#SIGN}"
    load "$round" &
    LOADER=$!
    sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.8 + (r % 300) / 100 }')"
    kill -9 "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    wait "$LOADER" 2>/dev/null || true
done

# ---- after the crashes --------------------------------------------------------
ACK=$(sort -u "$ACKED" | wc -l)
expect_eq "the load settled something" 1 "$([ "$ACK" -ge 5 ] && echo 1)"
echo "     ($ACK settlements acknowledged)"
missing=0
while read -r id; do
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM settlement s JOIN visit v USING (mdtrt_id) WHERE s.setl_id = '$id' AND s.status = 'settled' AND v.status = 'settled' AND EXISTS (SELECT 1 FROM event ev JOIN journal j ON j.event_id = ev.id WHERE ev.kind = 'settlement' AND ev.ref = s.setl_id)")" = 1 ] || missing=$((missing + 1))
done < <(sort -u "$ACKED")
expect_eq "every acknowledged settlement is stored with its ledger entry" 0 "$missing"
run ledger trial-balance --db "$DB" --format json
expect_jq "the ledger balances" .balanced true
run audit verify --db "$DB"
expect_eq "the audit chain is intact" 0 "$RC"
expect_eq "accumulators = the sum of the live settlements' additions" 0 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM accumulator a WHERE a.value <> (SELECT COALESCE(SUM(sa.delta), 0) FROM settlement_accum sa JOIN settlement s USING (setl_id) WHERE s.status = 'settled' AND s.psn_no = a.psn_no AND s.year = a.year AND sa.key = a.key)")"
expect_eq "no settled visit without its settlement" 0 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM visit v WHERE v.status = 'settled' AND NOT EXISTS (SELECT 1 FROM settlement s WHERE s.mdtrt_id = v.mdtrt_id AND s.status = 'settled')")"
expect_eq "fund rows add up to each settlement's fund payment" 0 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM settlement s WHERE s.status = 'settled' AND s.fund_pay_sumamt <> (SELECT COALESCE(SUM(fund_payamt), 0) FROM settlement_fund f WHERE f.setl_id = s.setl_id)")"
expect_eq "the institution is owed what the settlements' funds paid" \
    "$(sqlite3 "$DB" "SELECT COALESCE(SUM(fund_pay_sumamt), 0) FROM settlement WHERE status = 'settled'")" \
    "$(sqlite3 "$DB" "SELECT COALESCE(SUM(credit) - SUM(debit), 0) FROM journal WHERE account = '2101'")"

finish
