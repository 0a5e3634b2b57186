#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: the hospital interface over HTTP against a real `yibao
# serve` and a SQLite file. A synthetic region of 200 persons (seed 9,
# 2018) is imported and its payments recorded; an institution gets its
# credential; then, with curl: 9001 sign-in (and a wrong credential), 1101
# for a synthetic person with the exact fields of persons.csv and its 2018
# enrolment, 1901 code tables, every envelope error path (malformed JSON,
# missing and wrong-typed fields, unknown infno, unknown institution,
# another institution's or an unknown sign_no), the same msgid retried
# (the stored answer, byte for byte) and reused for another request
# (refused), the outpatient and inpatient chains, reconciliation, the
# queries (5201, 5202 and 5204 with exact values, another institution's
# visit not found, nothing logged), 5205 (a 门诊慢特病 visit's drug lines
# from both institutions, not its service or cancelled line, a period, a
# reversed one and an unknown person refused), 9002 sign-out (after which
# the sign_no is refused), HTTP errors (404, 405, 413), ID numbers masked
# in the call log, and SIGTERM.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }

POLICY=tests/data/enrol/synth-2018.json
CSV=$TMP/csv
DB=$TMP/hosp.db
INST=H53010200001

# the day the test began: its settlements are dated from then to the day of
# the reconciliation (a run may pass midnight, or a New Year)
DAY0=$(printf '%(%Y-%m-%d)T' -1)

# ---- the region -------------------------------------------------------------
hosp_region "$CSV" "$DB" "$POLICY" "$INST,昆明市测试医院,3,hospital,1,530102,2018-01-01," \
    "H53010200002,昆明市另一医院,2,hospital,1,530102,2018-01-01,"
expect_eq "the credential is 64 hex digits" 1 "$(grep -cE '^[0-9a-f]{64}$' "$OUT")"
run institution credential --db "$DB" --code H53019999999
expect_error "no credential for an unknown institution" 2 "H53019999999"
run institution credential --db "$DB" --code H53010200002
OTHER_SECRET=$(cat "$OUT")

# ---- the server -------------------------------------------------------------
start_server "$DB" "$POLICY" --log "$TMP/calls.log"
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
expect_eq "the server prints its port" 1 "$([[ $PORT =~ ^[0-9]+$ ]] && echo 1)"
BASE=http://127.0.0.1:$PORT
SERIAL=0

# mkbody INFNO INPUT [SIGN_NO] [CAINFO] [INST]: an envelope with the next
# msgid into $TMP/body (insuplc_admdvs from $INSUPLC, "" when unset).
mkbody() {
    SERIAL=$((SERIAL + 1))
    local inst=${5:-$INST}
    jq -cn --arg infno "$1" --argjson input "$2" --arg sign "${3:-}" \
        --arg ca "${4:-}" --arg inst "$inst" --arg insuplc "${INSUPLC:-}" \
        --arg msgid "$(printf '%s%(%Y%m%d%H%M%S)T%04d' "$inst" -1 "$SERIAL")" \
        --arg now "$(printf '%(%Y-%m-%d %H:%M:%S)T' -1)" \
        '{infno: $infno, msgid: $msgid, mdtrtarea_admvs: "530102",
          insuplc_admdvs: $insuplc, recer_sys_code: "YBXT", dev_no: "",
          dev_safe_info: "", cainfo: $ca, signtype: "", infver: "V1.0",
          opter_type: "1", opter: "001", opter_name: "张三",
          inf_time: $now, fixmedins_code: $inst,
          fixmedins_name: "昆明市测试医院", sign_no: $sign, input: $input}' \
        > "$TMP/body"
}
# call INFNO INPUT [SIGN_NO] [CAINFO] [INST]: POST an envelope, the answer
# in $OUT, the body sent in $TMP/body.
call() {
    mkbody "$@"
    post "$TMP/body"
}
# post FILE: POST a body file as it is.
post() {
    curl -s -o "$OUT" -w '%{http_code}' --data-binary "@$1" \
        -H 'Content-Type: application/json' "$URL" > "$TMP/status"
    note_nulls "$1"
}

run_health=$(curl -s "$BASE/healthz")
expect_eq "healthz" '{"status":"ok"}' "$run_health"

# ---- 9001 -------------------------------------------------------------------
call 9001 '{"signIn":{"opter_no":"001","mac":"00-1A-2B-3C-4D-5E","ip":"10.0.0.8"}}' "" "wrong"
expect_refused "a wrong credential is refused" "[YB0015]" "cainfo" "接口凭证不正确"
call 9001 '{"signIn":{"opter_no":"001","mac":"00-1A-2B-3C-4D-5E","ip":"10.0.0.8"}}' "" "$SECRET"
expect_jq "9001 succeeds" .infcode 0
SIGN=$(jq -r .output.signinoutb.sign_no "$OUT")
expect_eq "sign_no has 30 characters" 30 "${#SIGN}"
expect_jq "sign_time is the call's time" '.output.signinoutb.sign_time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")' true
expect_jq "inf_refmsgid: region, time and serial" '.inf_refmsgid | test("^530100[0-9]{24}$")' true
expect_jq "respond_time: yyyyMMddHHmmssSSS" '.respond_time | test("^[0-9]{17}$")' true
cp "$TMP/body" "$TMP/signin.body"
cp "$OUT" "$TMP/signin.answer"
# the same request again: the stored answer, byte for byte, no new session
post "$TMP/signin.body"
expect_eq "a retried msgid gets the stored answer" "$(cat "$TMP/signin.answer")" "$(cat "$OUT")"
expect_eq "one session for the retried sign-in" 1 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM sign_session WHERE fixmedins_code = '$INST'")"
# the same msgid with another body is refused
jq -c '.input.signIn.ip = "10.0.0.9"' "$TMP/signin.body" > "$TMP/reused.body"
post "$TMP/reused.body"
expect_refused "a msgid reused for another request" "[YB0010]" "msgid" "已用于另一笔交易 9001"
call 9001 '{"signIn":{"opter_no":"002"}}' "" "$OTHER_SECRET" H53010200002
OTHER_SIGN=$(jq -r .output.signinoutb.sign_no "$OUT")
expect_jq "the other institution signs in" .infcode 0

# ---- 1101 -------------------------------------------------------------------
ROW=$(sed -n 2p "$CSV/persons.csv")
CERTNO=$(cut -d, -f1 <<<"$ROW")
NAME=$(cut -d, -f3 <<<"$ROW")
GEND=$(cut -d, -f4 <<<"$ROW")
BRDY=$(cut -d, -f5 <<<"$ROW")
PSN_NO=$(sqlite3 "$DB" "SELECT psn_no FROM person WHERE certno = '$CERTNO'")
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERTNO\",\"begntime\":\"2018-06-01 00:00:00\",\"psn_cert_type\":\"01\",\"certno\":\"$CERTNO\",\"psn_name\":\"$NAME\"}}" "$SIGN"
expect_jq "1101 succeeds" .infcode 0
expect_jq "baseinfo: psn_no, certno, name, gender, birth" \
    '.output.baseinfo | "\(.psn_no) \(.certno) \(.psn_name) \(.gend) \(.brdy) \(.psn_cert_type)"' \
    "$PSN_NO $CERTNO $NAME $GEND $BRDY 01"
AGE=$(sqlite3 "$DB" "SELECT CAST(strftime('%Y', 'now', 'localtime') AS INTEGER) - CAST(substr('$BRDY', 1, 4) AS INTEGER) - (strftime('%m-%d', 'now', 'localtime') < substr('$BRDY', 6))")
expect_jq "baseinfo: age today" .output.baseinfo.age "$AGE"
# psn_insu_stas on the day asked: 1 covered, 2 enrolled but not covered
# (unpaid, waiting), 4 ended (cancelled, transferred, or cover over)
STAS_ON="CASE WHEN status IN ('cancelled', 'transferred') THEN '4' WHEN status <> 'covered' THEN '2' WHEN COALESCE(covered_to, year || '-12-31') < '2018-06-01' THEN '4' WHEN covered_from > '2018-06-01' THEN '2' ELSE '1' END"
EXPECT_INSU=$(sqlite3 -separator ' ' "$DB" "SELECT insutype, psn_type, $STAS_ON, COALESCE(covered_from, ''), admdvs FROM enrolment WHERE psn_no = '$PSN_NO' AND year = 2018 ORDER BY status IN ('cancelled', 'transferred'), id")
expect_jq "insuinfo: the 2018 enrolment" \
    '.output.insuinfo | map("\(.insutype) \(.psn_type) \(.psn_insu_stas) \(.psn_insu_date) \(.insuplc_admdvs)") | join(";")' \
    "$EXPECT_INSU"
expect_jq "insuinfo: no personal account (balc 0.00)" '.output.insuinfo[0].balc' 0
expect_jq "idetinfo: the person's identities" '.output.idetinfo | length' \
    "$(sqlite3 "$DB" "SELECT count(*) FROM identity WHERE psn_no = '$PSN_NO'")"
# a person with an identity, without begntime: the coverage year of the
# call when the person has one, else the latest before it; the region's
# only year is 2018, so on any later day its enrolment is listed, ended
IDET_ROW=$(sqlite3 -separator ' ' "$DB" "SELECT p.psn_no, p.certno, i.idet, i.begndate FROM identity i JOIN person p USING (psn_no) ORDER BY i.id LIMIT 1")
read -r IDET_PSN IDET_CERT IDET IDET_FROM <<<"$IDET_ROW"
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"03\",\"mdtrt_cert_no\":\"$IDET_CERT\"}}" "$SIGN"
expect_jq "1101 by the social security card lists the identity" \
    '.output.idetinfo[0] | "\(.psn_idet_type) \(.begntime)"' "$IDET $IDET_FROM 00:00:00"
expect_jq "1101 without begntime: the latest enrolment (2018), its cover over" \
    '.output.insuinfo[0] | "\(.year) \(.psn_insu_stas) \(.paus_insu_date)"' \
    "$(sqlite3 -separator ' ' "$DB" "SELECT year, CASE WHEN status = 'covered' THEN '4 ' || COALESCE(covered_to, '2018-12-31') WHEN status IN ('cancelled', 'transferred') THEN '4 ' || COALESCE(covered_to, '') ELSE '2 ' END FROM enrolment WHERE psn_no = '$IDET_PSN' AND year = 2018 ORDER BY status IN ('cancelled', 'transferred'), id LIMIT 1")"
# a person number is no credential: sequential psn_no values would list
# every insured person's name, ID number and hardship status
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$IDET_PSN\"}}" "$SIGN"
expect_refused "1101 by psn_no is refused" "[YB0002]" "input.data.mdtrt_cert_no" \
    "长度应为18位" "不受理人员编号"
expect_jq "and tells nothing of the person" '.output | length' 0
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"${CERTNO:0:17}$([ "${CERTNO:17}" = 0 ] && echo 1 || echo 0)\"}}" "$SIGN"
expect_refused "1101 by an ID number with a wrong check digit" "[YB0002]" \
    "input.data.mdtrt_cert_no" "校验位错误"
# the live enrolment first: a person transferred to another region in 2018
# holds the transferred one (older) and the live one there
read -r T_PSN T_CERT <<<"$(sqlite3 -separator ' ' "$DB" "SELECT e.psn_no, p.certno FROM enrolment e JOIN person p USING (psn_no) WHERE e.year = 2018 AND e.status = 'covered' AND e.covered_from < '2018-07-01' AND e.psn_no NOT IN ('$PSN_NO', '$IDET_PSN') ORDER BY e.psn_no DESC LIMIT 1")"
run enrol transfer --db "$DB" --person "$T_PSN" --year 2018 --to 530302 --date 2018-07-01
expect_eq "a person moves to 曲靖 (530300) on 2018-07-01" 0 "$RC"
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$T_CERT\",\"begntime\":\"2018-08-01\"}}" "$SIGN"
expect_jq "1101 lists the live enrolment first, then the transferred one" \
    '.output.insuinfo | map("\(.insuplc_admdvs) \(.psn_insu_stas) \(.paus_insu_date)") | join(";")' \
    "530300 1 ;530100 4 2018-06-30"
# the insured region: every call naming a person but 1101 (how the HIS
# learns it) is checked against the person's pooling region; a person
# insured elsewhere is refused, never settled as local
T_REG="{\"data\":{\"psn_no\":\"$T_PSN\",\"insutype\":\"390\",\"begntime\":\"2018-08-01 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$T_CERT\",\"ipt_otp_no\":\"MZ9301\"}}"
INSUPLC=530300 call 2201 "$T_REG" "$SIGN"
expect_refused "2201 of a person insured in another region" "[YB0008]" "insuplc_admdvs" \
    "人员 $T_PSN 参保于统筹区 530300，不是本统筹区 530100" "异地就医结算尚未开通"
call 2201 "$T_REG" "$SIGN"
expect_refused "and without insuplc_admdvs: the registry's region counts" "[YB0008]" \
    "参保于统筹区 530300" "530100"
INSUPLC=530100 call 2201 "$T_REG" "$SIGN"
expect_refused "and with this region in the envelope" "[YB0008]" \
    "参保地医保区划 530100 与人员 $T_PSN 的参保统筹区 530300 不符"
call 2001 "{\"data\":{\"psn_no\":\"$T_PSN\",\"insutype\":\"390\",\"begntime\":\"2018-08-01\"}}" "$SIGN"
expect_refused "2001 of a person insured in another region" "[YB0008]" "530300" "530100"
# reading this institution's own records is not care: answered
call 5201 "{\"data\":{\"psn_no\":\"$T_PSN\"}}" "$SIGN"
expect_jq "5201 of a person insured in another region: answered" '"\(.infcode) \(.output.mdtrtinfo | length)"' "0 0"
INSUPLC=530100 call 5201 "{\"data\":{\"psn_no\":\"$T_PSN\"}}" "$SIGN"
expect_refused "but not with another region in the envelope" "[YB0008]" "参保地医保区划 530100" "530300"
expect_eq "no visit was registered for them" 0 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM visit WHERE psn_no = '$T_PSN'")"
INSUPLC=530300 call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$T_CERT\"}}" "$SIGN"
expect_jq "1101 answers whatever the envelope's region" .infcode 0
# refusals
call 1101 '{"data":{"mdtrt_cert_type":"02","mdtrt_cert_no":"11010519491231002X"}}' "$SIGN"
expect_refused "an unknown person" "[YB0005]" "input.data.mdtrt_cert_no" "查无此人"
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERTNO\",\"psn_name\":\"王五\"}}" "$SIGN"
expect_refused "a name that differs" "[YB0002]" "input.data.psn_name" "与登记姓名不符"
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"01\",\"mdtrt_cert_no\":\"$CERTNO\"}}" "$SIGN"
expect_refused "an e-voucher token" "input.data.mdtrt_cert_type" "不支持的就诊凭证类型"
call 1101 '{"data":{"mdtrt_cert_type":"02"}}' "$SIGN"
expect_refused "a missing mdtrt_cert_no" "[YB0002]" "input.data.mdtrt_cert_no"
call 1101 "{\"data\":{\"mdtrt_cert_type\":[2],\"mdtrt_cert_no\":\"$CERTNO\"}}" "$SIGN"
expect_refused "a wrong-typed field" "[YB0002]" "input.data.mdtrt_cert_type"
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERTNO\"}}" "$OTHER_SIGN"
expect_refused "another institution's sign_no" "[YB0015]" "sign_no" "不属于机构 $INST"
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERTNO\"}}" ""
expect_refused "no sign_no" "[YB0015]" "sign_no" "未签到"
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERTNO\"}}" "$SIGN" "" H53019999999
expect_refused "an unknown institution" "[YB0005]" "fixmedins_code" "H53019999999"

# ---- 1901 -------------------------------------------------------------------
call 1901 '{"data":{"type":"psn_idet_type"}}' "$SIGN"
expect_jq "1901 lists the identity codes" \
    '.output.list | map(.value) | join(",")' "201,202,203,204,205,206,207,299"
expect_jq "1901 labels in Chinese" '.output.list[0] | "\(.type) \(.label) \(.vali_flag)"' \
    "psn_idet_type 特困人员 1"
call 1901 '{"data":{"type":""}}' "$SIGN"
cp "$OUT" "$TMP/dict.json"
expect_jq "1901 lists every code table the interface reads or writes" \
    '[.output.list[].type] | reduce .[] as $t ([]; if index([$t]) then . else . + [$t] end) | join(",")' \
    "med_type,hosp_lv,psn_type,psn_idet_type,list_type,chrgitm_lv,fund_pay_type,gend,place,insutype,mdtrt_cert_type,psn_cert_type,psn_insu_stas,psn_setlway,clr_type,opter_type,naty,hosp_appr_flag,diag_type,cvlserv_flag,acct_used_flag,lmt_used_flag,maindiag_flag,vali_flag,setl_flag,setl_stas,inhosp_stas,stmt_rslt,trt_chk_type,trt_enjymnt_flag,med_chrgitm_type"
expect_jq "1901: every entry has a Chinese label and a value" \
    '[.output.list[] | select((.label | length) == 0 or (.value | length) == 0)] | length' 0
call 1901 '{"data":{"type":"mdtrt_cert_type"}}' "$SIGN"
expect_jq "1901: the e-voucher is listed, not taken" \
    '.output.list | map("\(.value) \(.label) \(.vali_flag)") | join(";")' \
    "01 医保电子凭证 0;02 居民身份证 1;03 社会保障卡 1"
call 1901 '{"data":{"type":"naty"}}' "$SIGN"
expect_jq "1901: naty, GB 3304" '.output.list | "\(length) \(.[0].label) \(.[55].label) \(.[57].value)"' \
    "58 汉族 基诺族 98"
# codes_listed ANSWER FIELD...: every value the answer writes in FIELD is in
# 1901's table of that name
codes_listed() {
    local answer=$1 f
    shift
    for f in "$@"; do
        expect_eq "1901 lists the $f codes of $(jq -r '.output | keys | join("+")' "$answer")" "" \
            "$(jq -rn --slurpfile d "$TMP/dict.json" --slurpfile a "$answer" --arg f "$f" \
                '([$a[0] | .. | objects | select(has($f)) | .[$f] | select(type == "string")] - [$d[0].output.list[] | select(.type == $f) | .value]) | unique | join(",")')"
    done
}
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$IDET_CERT\",\"begntime\":\"2018-06-01\"}}" "$SIGN"
codes_listed "$OUT" psn_cert_type gend naty insutype psn_type psn_insu_stas cvlserv_flag psn_idet_type
call 1901 '{"data":{"type":"nonesuch"}}' "$SIGN"
expect_refused "an unknown code table" "[YB0005]" "input.data.type" "nonesuch"

# ---- the envelope -----------------------------------------------------------
printf 'not json' > "$TMP/bad.body"
post "$TMP/bad.body"
expect_refused "malformed JSON" "[YB0004]" "不是合法的 JSON"
expect_eq "malformed JSON is still HTTP 200" 200 "$(cat "$TMP/status")"
jq -c 'del(.msgid)' "$TMP/signin.body" > "$TMP/bad.body"
post "$TMP/bad.body"
expect_refused "a missing msgid" "[YB0002]" "msgid"
jq -c '.msgid = "H5301020000120261122"' "$TMP/signin.body" > "$TMP/bad.body"
post "$TMP/bad.body"
expect_refused "a short msgid" "msgid" "应为30位"
jq -c '.infno = 1101' "$TMP/signin.body" > "$TMP/bad.body"
post "$TMP/bad.body"
expect_refused "a numeric infno" "[YB0002]" "infno"
jq -c '.inf_time = "2026/11/22 10:00"' "$TMP/signin.body" > "$TMP/bad.body"
post "$TMP/bad.body"
expect_refused "a malformed inf_time" "inf_time" "yyyy-MM-dd HH:mm:ss"
jq -c '.opter_type = "9"' "$TMP/signin.body" > "$TMP/bad.body"
post "$TMP/bad.body"
expect_refused "an unknown opter_type" "opter_type" "\"9\""
jq -c '.input = "x"' "$TMP/signin.body" > "$TMP/bad.body"
post "$TMP/bad.body"
expect_refused "input not an object" "[YB0002]" "input"
call 7777 '{}' "$SIGN"
expect_refused "an unknown infno" "[YB0002]" "infno" "不支持的交易编号 7777"

# ---- HTTP -------------------------------------------------------------------
expect_eq "another path is 404" 404 \
    "$(curl -s -o "$OUT" -w '%{http_code}' -d '{}' "$BASE/nope")"
expect_jq "a 404 still answers an envelope" .infcode -1
expect_eq "GET is 405" 405 "$(curl -s -o "$OUT" -w '%{http_code}' "$URL")"
head -c 2000000 /dev/zero | tr '\0' ' ' > "$TMP/big.body"
post "$TMP/big.body"
expect_eq "a body over the limit is 413" 413 "$(cat "$TMP/status")"

# ---- the outpatient visit: 2201, 2203, 2204, 2205, 2202 ----------------------
read -r V_PSN V_CERT <<<"$(sqlite3 -separator ' ' "$DB" "SELECT e.psn_no, p.certno FROM enrolment e JOIN person p USING (psn_no) WHERE e.year = 2018 AND e.status = 'covered' AND e.covered_from <= '2018-06-01' ORDER BY e.psn_no LIMIT 1")"
read -r U_PSN U_CERT <<<"$(sqlite3 -separator ' ' "$DB" "SELECT psn_no, certno FROM person WHERE psn_no NOT IN (SELECT psn_no FROM enrolment WHERE year = 2018 AND status = 'covered') ORDER BY psn_no LIMIT 1")"
reg() { # reg PSN CERT OTP_NO [SIGN]
    call 2201 "{\"data\":{\"psn_no\":\"$1\",\"insutype\":\"390\",\"begntime\":\"2018-06-01 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$2\",\"ipt_otp_no\":\"$3\",\"atddr_no\":\"D001\",\"dr_name\":\"李医生\",\"dept_code\":\"A01\",\"dept_name\":\"内科\",\"caty\":\"A03\"}}" "${4:-$SIGN}"
}
reg "$V_PSN" "$V_CERT" MZ0001
expect_jq "2201 registers the visit" .infcode 0
MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")
expect_eq "mdtrt_id: the region and 14 digits" 1 "$([[ $MDTRT =~ ^530100[0-9]{14}$ ]] && echo 1)"
expect_jq "2201 echoes psn_no and ipt_otp_no" '.output.data | "\(.psn_no) \(.ipt_otp_no)"' "$V_PSN MZ0001"
reg "$V_PSN" "$V_CERT" MZ0001
expect_refused "the same ipt_otp_no twice" "[YB0010]" "input.data.ipt_otp_no" "MZ0001"
reg "$U_PSN" "$U_CERT" MZ0002
expect_refused "a person not covered that day" "[YB0008]" "$U_PSN"
reg "$V_PSN" "$U_CERT" MZ0003
expect_refused "a certificate of someone else" "[YB0002]" "input.data.mdtrt_cert_no"
call 2203 "{\"mdtrtinfo\":{\"mdtrt_id\":\"$MDTRT\",\"psn_no\":\"$V_PSN\",\"med_type\":\"11\",\"begntime\":\"2018-06-01 09:05:00\",\"dise_codg\":\"\",\"dise_name\":\"\"},\"diseinfo\":[{\"diag_type\":\"1\",\"diag_srt_no\":1,\"diag_code\":\"J06.900\",\"diag_name\":\"上呼吸道感染\",\"diag_dept\":\"内科\",\"dise_dor_no\":\"D001\",\"dise_dor_name\":\"李医生\",\"diag_time\":\"2018-06-01 09:10:00\",\"vali_flag\":\"1\"}]}" "$SIGN"
expect_jq "2203 records the visit information" .infcode 0
expect_eq "2203 stored med_type and diagnosis" "11 J06.900" \
    "$(sqlite3 -separator ' ' "$DB" "SELECT med_type, diag_codes FROM visit WHERE mdtrt_id = '$MDTRT'")"
call 2203 "{\"mdtrtinfo\":{\"mdtrt_id\":\"$MDTRT\",\"psn_no\":\"$V_PSN\",\"med_type\":\"21\"}}" "$SIGN"
expect_refused "an inpatient med_type on an outpatient visit" "input.mdtrtinfo.med_type" "不是门诊类别"
A_CODE=$(awk -F, '{ sub(/\r$/, "") } NR > 1 && $4 == "01" && ($6 == "" || $6 + 0 >= 10) && $9 == "" && $10 == "" && $11 == "" { print $1; exit }' "$CSV/catalogue.csv")
C_CODE=$(awk -F, '{ sub(/\r$/, "") } NR > 1 && $4 == "03" && ($6 == "" || $6 + 0 >= 5) && $9 == "" && $10 == "" && $11 == "" { print $1; exit }' "$CSV/catalogue.csv")
line() { # line SN CODE CNT PRIC AMOUNT [BATCH]
    printf '{"feedetl_sn":"%s","mdtrt_id":"%s","psn_no":"%s","chrg_bchno":"%s","rx_circ_flag":"0","fee_ocur_time":"2018-06-01 09:20:00","med_list_codg":"%s","medins_list_codg":"H-%s","det_item_fee_sumamt":%s,"cnt":%s,"pric":%s,"bilg_dept_codg":"A01","bilg_dept_name":"内科","bilg_dr_codg":"D001","bilg_dr_name":"李医生","hosp_appr_flag":"1"}' \
        "$1" "$MDTRT" "$V_PSN" "${6:-B1}" "$2" "$2" "$5" "$3" "$4"
}
call 2204 "{\"feedetail\":[$(line 1 "$A_CODE" 2 10.000000 20.00),$(line 2 "$C_CODE" 3 5.000000 15.00)]}" "$SIGN"
expect_jq "2204 takes two lines" '.output.result | length' 2
codes_listed "$OUT" chrgitm_lv med_chrgitm_type lmt_used_flag
expect_jq "2204: the class-A line is in scope" \
    '.output.result[0] | "\(.feedetl_sn) \(.chrgitm_lv) \(.det_item_fee_sumamt) \(.inscp_scp_amt) \(.fulamt_ownpay_amt) \(.lmt_used_flag)"' \
    "1 01 20 20 0 0"
expect_jq "2204: the class-C line is wholly self-paid" \
    '.output.result[1] | "\(.feedetl_sn) \(.chrgitm_lv) \(.fulamt_ownpay_amt) \(.inscp_scp_amt)"' \
    "2 03 15 0"
call 2204 "{\"feedetail\":[$(line 1 "$A_CODE" 1 1.000000 1.00)]}" "$SIGN"
expect_refused "a feedetl_sn uploaded before" "[YB0010]" "feedetail[0].feedetl_sn" "已上传"
call 2204 "{\"feedetail\":[$(line 3 "$A_CODE" 2 10.000000 25.00)]}" "$SIGN"
expect_refused "an amount that is not cnt x pric" "[YB0002]" "feedetail[0]" "25.00" "20.00"
call 2204 "{\"feedetail\":[$(line 4 NOSUCHCODE 1 1.000000 1.00)]}" "$SIGN"
expect_jq "an unknown item: refused or self-paid as the policy says" \
    '.infcode == -1 or .output.result[0].chrgitm_lv == "03"' true
expect_eq "refused uploads left the two lines" 2 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM fee_line WHERE mdtrt_id = '$MDTRT' AND status = 'valid' AND feedetl_sn IN ('1', '2')")"
call 2202 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_id\":\"$MDTRT\",\"ipt_otp_no\":\"MZ0001\"}}" "$SIGN"
expect_refused "a visit with fee lines cannot be cancelled" "input.data.mdtrt_id" "请先撤销"
call 2205 "{\"data\":{\"mdtrt_id\":\"$MDTRT\",\"chrg_bchno\":\"B1\",\"psn_no\":\"$V_PSN\"}}" "$OTHER_SIGN" "" H53010200002
expect_refused "another institution's visit does not exist for it" "[YB0005]" "mdtrt_id"
call 2205 "{\"data\":{\"mdtrt_id\":\"$MDTRT\",\"chrg_bchno\":\"0000\",\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_jq "2205 0000 cancels every valid line" \
    '"\(.infcode) \(.output.cancelled)"' "0 $(sqlite3 "$DB" "SELECT count(*) FROM fee_line WHERE mdtrt_id = '$MDTRT' AND status = 'cancelled'")"
call 2205 "{\"data\":{\"mdtrt_id\":\"$MDTRT\",\"chrg_bchno\":\"B1\",\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_refused "no valid lines left in the batch" "[YB0005]" "chrg_bchno"
call 2202 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_id\":\"$MDTRT\",\"ipt_otp_no\":\"MZ0001\"}}" "$SIGN"
expect_jq "2202 cancels the registration" .infcode 0
call 2204 "{\"feedetail\":[$(line 5 "$A_CODE" 1 1.000000 1.00)]}" "$SIGN"
expect_refused "no fee lines on a cancelled visit" "input.feedetail[0].mdtrt_id" "已撤销"
reg "$V_PSN" "$V_CERT" MZ0001
expect_jq "the ipt_otp_no of a cancelled visit can be used again" .infcode 0

# ---- settlement: 2206, 2207, 2208 ---------------------------------------------
MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")
call 2204 "{\"feedetail\":[$(line 11 "$A_CODE" 2 10.000000 20.00 S1),$(line 12 "$C_CODE" 3 5.000000 15.00 S1)]}" "$SIGN"
expect_jq "lines for the settlement" .infcode 0
setl() { # setl INFNO TOTAL
    call "$1" "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$V_CERT\",\"med_type\":\"11\",\"medfee_sumamt\":$2,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$MDTRT\",\"chrg_bchno\":\"S1\",\"acct_used_flag\":\"0\",\"insutype\":\"390\",\"fulamt_ownpay_amt\":15.00,\"overlmt_selfpay\":0,\"preselfpay_amt\":0,\"inscp_scp_amt\":20.00}}" "$SIGN"
}
setl 2207 36.00
expect_refused "a total that is not the lines' sum" "[YB0002]" "input.data.medfee_sumamt" "36.00" "35.00"
setl 2206 35.00
expect_jq "2206 pre-settles" .infcode 0
FIGS='.output.setlinfo | "\(.medfee_sumamt) \(.fulamt_ownpay_amt) \(.inscp_scp_amt) \(.hifp_pay) \(.hifmi_pay) \(.maf_pay) \(.fund_pay_sumamt) \(.psn_part_amt) \(.psn_cash_pay)"'
PRE=$(jq -r "$FIGS" "$OUT")
expect_jq "2206 stores no setl_id" .output.setlinfo.setl_id ""
expect_eq "2206 wrote no settlement" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM settlement")"
setl 2207 35.00
expect_jq "2207 settles" .infcode 0
cp "$TMP/body" "$TMP/settle.body"
cp "$OUT" "$TMP/settle.answer"
SETL=$(jq -r .output.setlinfo.setl_id "$OUT")
expect_eq "setl_id: the region and 14 digits" 1 "$([[ $SETL =~ ^530100[0-9]{14}$ ]] && echo 1)"
expect_eq "2207 figures are 2206's" "$PRE" "$(jq -r "$FIGS" "$OUT")"
expect_jq "the class-C line is the person's" .output.setlinfo.fulamt_ownpay_amt 15
expect_jq "funds + person = total" \
    '.output.setlinfo | ((.fund_pay_sumamt * 100 + .psn_part_amt * 100) | round) == (.medfee_sumamt * 100 | round)' true
expect_jq "setldetail sums to fund_pay_sumamt" \
    '((.output.setldetail | map(.fund_payamt * 100) | add // 0) | round) == (.output.setlinfo.fund_pay_sumamt * 100 | round)' true
FUND=$(jq -r '.output.setlinfo.fund_pay_sumamt * 100 | round' "$OUT")
expect_eq "the ledger owes the institution the funds' part" "$FUND" \
    "$(sqlite3 "$DB" "SELECT COALESCE(SUM(credit) - SUM(debit), 0) FROM journal WHERE account = '2101'")"
ACC_AFTER=$(sqlite3 "$DB" "SELECT group_concat(key || '=' || value, ' ') FROM (SELECT key, value FROM accumulator WHERE psn_no = '$V_PSN' AND year = 2018 ORDER BY key)")
expect_eq "accumulators of the year were written" 1 "$([ -n "$ACC_AFTER" ] && echo 1)"
post "$TMP/settle.body"
expect_eq "a retried 2207 gets the stored answer" "$(cat "$TMP/settle.answer")" "$(cat "$OUT")"
codes_listed "$TMP/settle.answer" med_type psn_type insutype gend mdtrt_cert_type psn_cert_type cvlserv_flag clr_type fund_pay_type
setl 2207 35.00
expect_refused "a settled visit is not settled twice" "[YB0010]" "input.data.mdtrt_id" "已结算"
call 2204 "{\"feedetail\":[$(line 13 "$A_CODE" 1 1.000000 1.00 S2)]}" "$SIGN"
expect_refused "a settled visit takes no fee lines" "input.feedetail[0].mdtrt_id" "已结算"
call 2208 "{\"data\":{\"setl_id\":\"$SETL\",\"mdtrt_id\":\"$MDTRT\",\"psn_no\":\"$V_PSN\"}}" "$OTHER_SIGN" "" H53010200002
expect_refused "another institution cannot reverse it" "[YB0005]" "input.data.setl_id"
call 2208 "{\"data\":{\"setl_id\":\"$SETL\",\"mdtrt_id\":\"$MDTRT\",\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_jq "2208 reverses" .infcode 0
expect_jq "the reversal's figures are negated" \
    '.output.setlinfo | "\(.medfee_sumamt) \(.pdn_cash_pay == .psn_cash_pay) \(.setl_id != "'"$SETL"'")"' "-35 true true"
expect_eq "accumulators back to nothing" "" \
    "$(sqlite3 "$DB" "SELECT group_concat(key || '=' || value, ' ') FROM accumulator WHERE psn_no = '$V_PSN' AND year = 2018 AND value <> 0")"
expect_eq "the institution is owed nothing" 0 \
    "$(sqlite3 "$DB" "SELECT COALESCE(SUM(credit) - SUM(debit), 0) FROM journal WHERE account = '2101'")"
call 2208 "{\"data\":{\"setl_id\":\"$SETL\",\"mdtrt_id\":\"$MDTRT\",\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_refused "a settlement is reversed once" "input.data.setl_id" "已冲销"
setl 2207 35.00
expect_jq "the visit settles again after the reversal" .infcode 0
expect_eq "re-settled figures are the first ones" "$PRE" "$(jq -r "$FIGS" "$OUT")"
expect_eq "and the accumulators too" "$ACC_AFTER" \
    "$(sqlite3 "$DB" "SELECT group_concat(key || '=' || value, ' ') FROM (SELECT key, value FROM accumulator WHERE psn_no = '$V_PSN' AND year = 2018 ORDER BY key)")"
run ledger trial-balance --db "$DB" --format json
expect_jq "the ledger balances after settlements and reversals" .balanced true

# ---- two settlements of one visit at once --------------------------------------
reg "$V_PSN" "$V_CERT" MZ0009
MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")
call 2204 "{\"feedetail\":[$(line 31 "$A_CODE" 1 10.000000 10.00 C1)]}" "$SIGN"
for k in 1 2 3 4; do
    mkbody 2207 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$V_CERT\",\"med_type\":\"11\",\"medfee_sumamt\":10.00,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$MDTRT\",\"insutype\":\"390\"}}" "$SIGN"
    cp "$TMP/body" "$TMP/dup$k.body"
done
pids=()
for k in 1 2 3 4; do # four msgids, one visit, at the same time
    curl -s -o "$TMP/dup$k.out" --data-binary "@$TMP/dup$k.body" "$URL" &
    pids+=($!)
done
wait "${pids[@]}"
expect_eq "four concurrent settlements of one visit: exactly one succeeds" 1 \
    "$(cat "$TMP"/dup?.out | jq -s '[.[] | select(.infcode == 0)] | length')"
expect_eq "and one settlement is stored" 1 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM settlement WHERE mdtrt_id = '$MDTRT' AND status = 'settled'")"

# ---- 2601: reversal of a call whose answer was lost ---------------------------
reg "$V_PSN" "$V_CERT" MZ2601
M_REG=$(jq -r .msgid "$TMP/body")
MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")
call 2204 "{\"feedetail\":[$(line 21 "$A_CODE" 1 10.000000 10.00 R1)]}" "$SIGN"
M_FEE=$(jq -r .msgid "$TMP/body")
setl 2207 10.00
M_SETL=$(jq -r .msgid "$TMP/body")
expect_jq "a settlement whose answer is lost" .infcode 0
rev() { # rev OMSGID OINFNO
    call 2601 "{\"data\":{\"psn_no\":\"$V_PSN\",\"omsgid\":\"$1\",\"oinfno\":\"$2\"}}" "$SIGN"
}
rev "$M_SETL" 2207
expect_jq "2601 reverses the settlement" .infcode 0
expect_eq "the settlement is reversed" reversed \
    "$(sqlite3 "$DB" "SELECT s.status FROM settlement s JOIN message m ON m.ref = s.setl_id WHERE m.msgid = '$M_SETL'")"
rev "$M_SETL" 2207
expect_refused "a call is reversed once" "[YB0010]" "input.data.omsgid" "已由"
rev "$M_SETL" 2201
expect_refused "oinfno must be the original's" "input.data.oinfno" "是 2207"
rev "$M_FEE" 2204
expect_jq "2601 cancels the uploaded lines" .infcode 0
expect_eq "no valid line left" 0 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM fee_line WHERE mdtrt_id = '$MDTRT' AND status = 'valid'")"
rev "$M_REG" 2201
expect_jq "2601 cancels the registration" .infcode 0
expect_eq "the visit is cancelled" cancelled \
    "$(sqlite3 "$DB" "SELECT status FROM visit WHERE mdtrt_id = '$MDTRT'")"
rev "${INST}202611229999990001" 2207
expect_refused "a msgid never done" "[YB0005]" "未成功办理"

# ---- the inpatient chain: 2401, 2301, 2303, 2402, 2304, 2305, 2405, 2302, 2404
call 2401 "{\"mdtrtinfo\":{\"psn_no\":\"$V_PSN\",\"insutype\":\"390\",\"begntime\":\"2018-08-01 08:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$V_CERT\",\"med_type\":\"21\",\"ipt_no\":\"ZY0001\",\"atddr_no\":\"D002\",\"chfpdr_name\":\"王医生\",\"adm_diag_dscr\":\"肺炎\",\"adm_dept_codg\":\"A02\",\"adm_dept_name\":\"呼吸科\",\"adm_bed\":\"12\",\"dscg_maindiag_code\":\"J18.900\",\"dscg_maindiag_name\":\"肺炎\"},\"diseinfo\":[{\"psn_no\":\"$V_PSN\",\"diag_type\":\"1\",\"maindiag_flag\":\"1\",\"diag_srt_no\":1,\"diag_code\":\"J18.900\",\"diag_name\":\"肺炎\",\"diag_dept\":\"呼吸科\",\"dise_dor_no\":\"D002\",\"dise_dor_name\":\"王医生\",\"diag_time\":\"2018-08-01 08:30:00\"}]}" "$SIGN"
expect_jq "2401 admits" .infcode 0
STAY=$(jq -r .output.result.mdtrt_id "$OUT")
expect_jq "2401 answers result and data" '.output.data.mdtrt_id == .output.result.mdtrt_id' true
call 2401 "{\"mdtrtinfo\":{\"psn_no\":\"$V_PSN\",\"insutype\":\"390\",\"begntime\":\"2018-08-01 08:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$V_CERT\",\"med_type\":\"11\",\"ipt_no\":\"ZY0002\"}}" "$SIGN"
expect_refused "an outpatient med_type for an admission" "input.mdtrtinfo.med_type" "不是住院类别"
ipt_line() { # ipt_line SN CODE CNT PRIC AMOUNT
    printf '{"feedetl_sn":"%s","mdtrt_id":"%s","psn_no":"%s","med_type":"21","fee_ocur_time":"2018-08-02 09:00:00","med_list_codg":"%s","medins_list_codg":"H-%s","det_item_fee_sumamt":%s,"cnt":%s,"pric":%s,"bilg_dept_codg":"A02","bilg_dept_name":"呼吸科","bilg_dr_codg":"D002","bilg_dr_name":"王医生"}' \
        "$1" "$STAY" "$V_PSN" "$2" "$2" "$5" "$3" "$4"
}
call 2204 "{\"feedetail\":[$(ipt_line 1 "$A_CODE" 2 10.000000 20.00 | sed 's/"med_type":"21",/"chrg_bchno":"X",/')]}" "$SIGN"
expect_refused "outpatient fee upload on a stay" "input.feedetail[0].mdtrt_id" "2301"
call 2301 "{\"feedetail\":[$(ipt_line 1 "$A_CODE" 100 10.000000 1000.00),$(ipt_line 2 "$C_CODE" 4 5.000000 20.00),$(ipt_line 3 "$A_CODE" 1 10.000000 10.00)]}" "$SIGN"
expect_jq "2301 takes the stay's lines" '.output.result | length' 3
ipt_setl() { # ipt_setl INFNO TOTAL
    call "$1" "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$V_CERT\",\"medfee_sumamt\":$2,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$STAY\",\"insutype\":\"390\",\"acct_used_flag\":\"0\",\"mid_setl_flag\":\"0\",\"fulamt_ownpay_amt\":20.00,\"overlmt_selfpay\":0,\"preselfpay_amt\":0,\"inscp_scp_amt\":1010.00}}" "$SIGN"
}
ipt_setl 2304 1030.00
expect_refused "no settlement before discharge" "input.data.mdtrt_id" "尚未办理出院"
call 2302 "{\"data\":[{\"feedetl_sn\":\"3\",\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$V_PSN\"}]}" "$SIGN"
expect_jq "2302 cancels one line" '"\(.infcode) \(.output.cancelled)"' "0 1"
call 2302 "{\"data\":[{\"feedetl_sn\":\"3\",\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$V_PSN\"}]}" "$SIGN"
expect_refused "a line cancelled before" "[YB0005]" "data[0].feedetl_sn"
call 2402 "{\"dscginfo\":{\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$V_PSN\",\"insutype\":\"390\",\"endtime\":\"2018-07-31 10:00:00\",\"dscg_dept_codg\":\"A02\",\"dscg_dept_name\":\"呼吸科\",\"dscg_way\":\"1\"}}" "$SIGN"
expect_refused "a discharge before the admission" "input.dscginfo.endtime" "早于入院时间"
call 2402 "{\"dscginfo\":{\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$V_PSN\",\"insutype\":\"390\",\"endtime\":\"2018-08-10 10:00:00\",\"dscg_dept_codg\":\"A02\",\"dscg_dept_name\":\"呼吸科\",\"dscg_way\":\"1\"}}" "$SIGN"
expect_jq "2402 discharges" .infcode 0
call 2303 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$V_CERT\",\"med_type\":\"22\",\"medfee_sumamt\":1020.00,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$STAY\",\"insutype\":\"390\"}}" "$SIGN"
expect_refused "2303 as 22 of a stay admitted as 21" "[YB0002]" "input.data.med_type" \
    "与登记的住院就诊 $STAY 的医疗类别 21 不符" "2403"
ipt_setl 2303 1020.00
expect_jq "2303 pre-settles the stay" .infcode 0
IPRE=$(jq -r "$FIGS" "$OUT")
expect_jq "the stay's figures add up" \
    '.output.setlinfo | "\(.medfee_sumamt) \(.fulamt_ownpay_amt) \(((.fund_pay_sumamt + .psn_part_amt) * 100 | round) == 102000) \(.med_type)"' \
    "1020 20 true 21"
ipt_setl 2304 1020.00
expect_jq "2304 settles the stay" .infcode 0
ISETL=$(jq -r .output.setlinfo.setl_id "$OUT")
expect_eq "2304 figures are 2303's" "$IPRE" "$(jq -r "$FIGS" "$OUT")"
expect_eq "one admission counted" 1 \
    "$(sqlite3 "$DB" "SELECT value FROM accumulator WHERE psn_no = '$V_PSN' AND year = 2018 AND key = 'admissions'")"
call 2305 "{\"data\":{\"setl_id\":\"$ISETL\",\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_jq "2305 reverses the stay's settlement" '.output.setlinfo.medfee_sumamt' -1020
expect_eq "the admission no longer counts" 0 \
    "$(sqlite3 "$DB" "SELECT value FROM accumulator WHERE psn_no = '$V_PSN' AND year = 2018 AND key = 'admissions'")"
call 2405 "{\"data\":{\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_jq "2405 takes the discharge back" .infcode 0
call 2404 "{\"data\":{\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_refused "an admission with lines cannot be cancelled" "input.data.mdtrt_id" "请先撤销"
call 2302 "{\"data\":{\"feedetl_sn\":\"0000\",\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_jq "2302 0000 cancels the rest" '.output.cancelled' 2
call 2404 "{\"data\":{\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_jq "2404 cancels the admission" .infcode 0
run ledger trial-balance --db "$DB" --format json
expect_jq "the ledger balances after the stay" .balanced true

# ---- a settlement names the visit as registered ---------------------------------
# A 20,000.00 outpatient bill. Sent as 21, an outpatient visit was settled
# as a stay: paid inpatient benefits (under the national default 2018 at a
# level-3 hospital 0.00 as 11, (20,000 - 1,000) x 65% = 12,350.00 as 21)
# and counted as an admission of the year. Now 2206/2207 are refused unless
# med_type, the certificate and insutype are the visit's as registered
# (2201/2203), and a refusal writes nothing. (This test's policy pays 70%
# of any visit, so the figures agree; the admission count shows it.)
read -r W_PSN W_CERT <<<"$(sqlite3 -separator ' ' "$DB" "SELECT e.psn_no, p.certno FROM enrolment e JOIN person p USING (psn_no) WHERE e.year = 2018 AND e.status = 'covered' AND e.covered_from <= '2018-06-01' AND e.psn_no <> '$V_PSN' ORDER BY e.psn_no LIMIT 1")"
call 2201 "{\"data\":{\"psn_no\":\"$W_PSN\",\"insutype\":\"390\",\"begntime\":\"2018-06-01 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$W_CERT\",\"ipt_otp_no\":\"MZ7001\"}}" "$SIGN"
W_MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")
call 2204 "{\"feedetail\":[{\"feedetl_sn\":\"1\",\"mdtrt_id\":\"$W_MDTRT\",\"psn_no\":\"$W_PSN\",\"chrg_bchno\":\"W1\",\"fee_ocur_time\":\"2018-06-01 09:20:00\",\"med_list_codg\":\"$A_CODE\",\"det_item_fee_sumamt\":20000.00,\"cnt\":2000,\"pric\":10.000000}]}" "$SIGN"
expect_jq "a 20,000.00 outpatient bill" '.output.result[0].inscp_scp_amt' 20000
wsetl() { # wsetl INFNO MED_TYPE CERT_TYPE CERT_NO [INSUTYPE]
    call "$1" "{\"data\":{\"psn_no\":\"$W_PSN\",\"mdtrt_cert_type\":\"$3\",\"mdtrt_cert_no\":\"$4\",\"med_type\":\"$2\",\"medfee_sumamt\":20000.00,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$W_MDTRT\",\"chrg_bchno\":\"W1\",\"acct_used_flag\":\"0\",\"insutype\":\"${5:-390}\"}}" "$SIGN"
}
w_state() {
    sqlite3 "$DB" "SELECT (SELECT count(*) FROM settlement WHERE psn_no = '$W_PSN') || ' ' || (SELECT count(*) FROM accumulator WHERE psn_no = '$W_PSN') || ' ' || (SELECT med_type || status FROM visit WHERE mdtrt_id = '$W_MDTRT')"
}
wsetl 2206 21 02 "$W_CERT"
expect_refused "2206 of an outpatient visit as 21" "[YB0002]" "input.data.med_type" \
    "医疗类别 \"21\" 与登记的门诊就诊 $W_MDTRT 的医疗类别 11 不符" "2203"
wsetl 2207 21 02 "$W_CERT"
expect_refused "2207 of an outpatient visit as 21" "[YB0002]" "input.data.med_type" "不符"
expect_eq "nothing paid, no admission counted, the visit open and 11" "0 0 11open" "$(w_state)"
wsetl 2207 14 02 "$W_CERT"
expect_refused "2207 as 14 of a visit registered 11" "[YB0002]" "input.data.med_type" "\"14\""
wsetl 2206 11 03 "$W_CERT"
expect_refused "another certificate type than registered" "[YB0002]" "input.data.mdtrt_cert_type" "登记的 02"
wsetl 2206 11 02 "$V_CERT"
expect_refused "another person's certificate" "[YB0002]" "input.data.mdtrt_cert_no" "$W_PSN"
wsetl 2207 11 02 "$W_CERT" 392
expect_refused "another insurance type" "[YB0002]" "input.data.insutype" "392"
INSUPLC=530300 wsetl 2207 11 02 "$W_CERT"
expect_refused "a local person with another region in the envelope" "[YB0008]" \
    "insuplc_admdvs" "参保地医保区划 530300 与人员 $W_PSN 的参保统筹区 530100 不符"
expect_eq "the refusals wrote nothing" "0 0 11open" "$(w_state)"
INSUPLC=530102 wsetl 2207 11 02 "$W_CERT"
expect_jq "2207 as registered (a county of the region in the envelope): 70% of 20,000.00, as 11" \
    '"\(.infcode) \(.output.setlinfo.hifp_pay) \(.output.setlinfo.psn_part_amt) \(.output.setlinfo.med_type) \(.output.setlinfo.mdtrt_cert_type)"' \
    "0 14000 6000 11 02"
expect_eq "no admission counted" "" \
    "$(sqlite3 "$DB" "SELECT value FROM accumulator WHERE psn_no = '$W_PSN' AND key = 'admissions'")"

# ---- a person who moves away after a local settlement ----------------------------
# Settled here in June, transferred to 530300 from 2018-07-01: no new care
# here, but the settlement can still be reversed (undoing what was done here
# settles nothing), and the registration of a new visit cannot.
read -r R_PSN R_CERT <<<"$(sqlite3 -separator ' ' "$DB" "SELECT e.psn_no, p.certno FROM enrolment e JOIN person p USING (psn_no) WHERE e.year = 2018 AND e.status = 'covered' AND e.covered_from <= '2018-06-01' AND e.psn_no NOT IN ('$V_PSN', '$W_PSN', '$T_PSN') ORDER BY e.psn_no DESC LIMIT 1")"
call 2201 "{\"data\":{\"psn_no\":\"$R_PSN\",\"insutype\":\"390\",\"begntime\":\"2018-06-01 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$R_CERT\",\"ipt_otp_no\":\"MZ9401\"}}" "$SIGN"
R_MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")
call 2204 "{\"feedetail\":[{\"feedetl_sn\":\"1\",\"mdtrt_id\":\"$R_MDTRT\",\"psn_no\":\"$R_PSN\",\"chrg_bchno\":\"R1\",\"fee_ocur_time\":\"2018-06-01 09:20:00\",\"med_list_codg\":\"$A_CODE\",\"det_item_fee_sumamt\":100.00,\"cnt\":10,\"pric\":10.000000}]}" "$SIGN"
call 2207 "{\"data\":{\"psn_no\":\"$R_PSN\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$R_CERT\",\"med_type\":\"11\",\"medfee_sumamt\":100.00,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$R_MDTRT\",\"insutype\":\"390\"}}" "$SIGN"
R_SETL=$(jq -r .output.setlinfo.setl_id "$OUT")
expect_jq "a local settlement in June" .output.setlinfo.hifp_pay 70
run enrol transfer --db "$DB" --person "$R_PSN" --year 2018 --to 530302 --date 2018-07-01
expect_eq "then the person moves to 530300" 0 "$RC"
call 2201 "{\"data\":{\"psn_no\":\"$R_PSN\",\"insutype\":\"390\",\"begntime\":\"2018-08-01 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$R_CERT\",\"ipt_otp_no\":\"MZ9402\"}}" "$SIGN"
expect_refused "no new visit here" "[YB0008]" "参保于统筹区 530300"
call 2208 "{\"data\":{\"setl_id\":\"$R_SETL\",\"mdtrt_id\":\"$R_MDTRT\",\"psn_no\":\"$R_PSN\"}}" "$SIGN"
expect_jq "the June settlement can still be reversed" '"\(.infcode) \(.output.setlinfo.hifp_pay)"' "0 -70"
call 2205 "{\"data\":{\"mdtrt_id\":\"$R_MDTRT\",\"chrg_bchno\":\"0000\",\"psn_no\":\"$R_PSN\"}}" "$SIGN"
expect_jq "and its lines cancelled" .output.cancelled 1
call 2202 "{\"data\":{\"psn_no\":\"$R_PSN\",\"mdtrt_id\":\"$R_MDTRT\",\"ipt_otp_no\":\"MZ9401\"}}" "$SIGN"
expect_jq "and the visit cancelled" .infcode 0
call 2207 "{\"data\":{\"psn_no\":\"$R_PSN\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$R_CERT\",\"med_type\":\"11\",\"medfee_sumamt\":100.00,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$R_MDTRT\",\"insutype\":\"390\"}}" "$SIGN"
expect_refused "but it is not settled again here" "[YB0008]" "530300"

# ---- the most lines a call carries, within the body limit -------------------------
# A realistic 2204 line: every one of the 31 fields public HIS code sends,
# names in Chinese (about 840 bytes compact). 1,000 such lines and the
# envelope fit in the default body limit of 1 MiB; 1,001 lines are refused
# by count (the body is still under the limit), with a clear error.
read -r X_PSN X_CERT <<<"$(sqlite3 -separator ' ' "$DB" "SELECT e.psn_no, p.certno FROM enrolment e JOIN person p USING (psn_no) WHERE e.year = 2018 AND e.status = 'covered' AND e.covered_from <= '2018-06-01' AND e.psn_no NOT IN ('$V_PSN', '$W_PSN') ORDER BY e.psn_no LIMIT 1")"
call 2201 "{\"data\":{\"psn_no\":\"$X_PSN\",\"insutype\":\"390\",\"begntime\":\"2018-06-01 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$X_CERT\",\"ipt_otp_no\":\"MZ8001\"}}" "$SIGN"
X_MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")
many_lines() { # many_lines N: input.feedetail of N realistic lines in $TMP/many.json
    jq -cn --argjson n "$1" --arg m "$X_MDTRT" --arg p "$X_PSN" --arg code "$A_CODE" \
        '{feedetail: [range(1; $n + 1) | {feedetl_sn: "20180601093\(1000000 + .)",
          mdtrt_id: $m, psn_no: $p, chrg_bchno: "20180601093000123", dise_codg: "I10.x00",
          rxno: "RX201806010001", rx_circ_flag: "0", fee_ocur_time: "2018-06-01 09:30:00",
          med_list_codg: $code, medins_list_codg: "YP00012345", det_item_fee_sumamt: 20.00,
          cnt: 2.0000, pric: 10.000000, sin_dos_dscr: "每次1片", used_frqu_dscr: "每日三次",
          prd_days: 7, medc_way_dscr: "口服", bilg_dept_codg: "A03.01",
          bilg_dept_name: "心血管内科门诊", bilg_dr_codg: "D530102001234", bilg_dr_name: "张三丰",
          acord_dept_codg: "A03.01", acord_dept_name: "心血管内科门诊",
          orders_dr_code: "D530102001234", orders_dr_name: "张三丰", hosp_appr_flag: "1",
          tcmdrug_used_way: "", etip_flag: "0", etip_hosp_code: "", dscg_tkdrug_flag: "0",
          matn_fee_flag: "0"}]}' > "$TMP/many.json"
    mkbody 2204 '{}' "$SIGN"
    jq -c --slurpfile in "$TMP/many.json" '.input = $in[0]' "$TMP/body" > "$TMP/many.body"
}
many_lines 1001
expect_eq "1,001 realistic lines are under the body limit" 1 \
    "$([ "$(stat -c %s "$TMP/many.body")" -lt 1048576 ] && echo 1)"
post "$TMP/many.body"
expect_refused "1,001 lines in one call" "[YB0002]" "input.feedetail" \
    "一次应上传 1 到 1000 条明细，实际 1001 条，请分批上传"
expect_eq "and none is stored" 0 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM fee_line WHERE mdtrt_id = '$X_MDTRT'")"
many_lines 1000
post "$TMP/many.body"
expect_jq "1,000 realistic lines in one call (a body of $(stat -c %s "$TMP/many.body") bytes)" \
    '"\(.infcode) \(.output.result | length)"' "0 1000"
call 2302 "{\"data\":$(jq -c --arg m "$X_MDTRT" --arg p "$X_PSN" '[range(0; 1001) | {feedetl_sn: "\(.)", mdtrt_id: $m, psn_no: $p}]' <<<null)}" "$SIGN"
expect_refused "2302 of 1,001 lines in one call" "[YB0002]" "input.data" "一次应撤销 1 到 1000 条明细"

# ---- 3201: reconciliation ------------------------------------------------------
TODAY=$(printf '%(%Y-%m-%d)T' -1)
read -r T_MED T_FUND T_CNT <<<"$(sqlite3 -separator ' ' "$DB" "SELECT printf('%.2f', SUM(medfee_sumamt) / 100.0), printf('%.2f', SUM(fund_pay_sumamt) / 100.0), SUM(status = 'settled') FROM settlement WHERE fixmedins_code = '$INST'")"
stmt() { # stmt MEDFEE FUND COUNT
    call 3201 "{\"data\":{\"insutype\":\"390\",\"clr_type\":\"\",\"setl_optins\":\"530100\",\"stmt_begndate\":\"$DAY0\",\"stmt_enddate\":\"$TODAY\",\"medfee_sumamt\":$1,\"fund_pay_sumamt\":$2,\"acct_pay\":0,\"fixmedins_setl_cnt\":$3}}" "$SIGN"
}
stmt "$T_MED" "$T_FUND" "$T_CNT"
expect_jq "3201 agrees with the institution's own totals" '.output.stmtinfo.stmt_rslt' 0
expect_jq "3201 counts settlements net of reversals" '.output.stmtinfo.stmt_rslt_dscr | startswith("对账一致：'"$T_CNT"' 笔")' true
stmt "$T_MED" "$T_FUND" $((T_CNT + 1))
expect_jq "3201 finds a difference" '.output.stmtinfo.stmt_rslt' 1
# ---- 5203, 5206: queries ------------------------------------------------------
LIVE=$(sqlite3 "$DB" "SELECT setl_id FROM settlement WHERE psn_no = '$V_PSN' AND status = 'settled' ORDER BY rowid LIMIT 1")
call 5203 "{\"data\":{\"psn_no\":\"$V_PSN\",\"setl_id\":\"$LIVE\"}}" "$SIGN"
expect_jq "5203 answers a stored settlement" \
    '.output.setlinfo | "\(.setl_id) \(.setl_stas) \((.medfee_sumamt * 100 | round))"' \
    "$LIVE 1 $(sqlite3 "$DB" "SELECT medfee_sumamt FROM settlement WHERE setl_id = '$LIVE'")"
call 5203 "{\"data\":{\"psn_no\":\"$U_PSN\",\"setl_id\":\"$LIVE\"}}" "$SIGN"
expect_refused "5203 of another person's settlement" "[YB0005]" "input.data.setl_id"
call 5206 "{\"data\":{\"psn_no\":\"$V_PSN\",\"cum_ym\":\"201806\"}}" "$SIGN"
expect_eq "5206 lists the year's accumulators" \
    "$(sqlite3 "$DB" "SELECT group_concat(key || '=' || value, ' ') FROM (SELECT key, value FROM accumulator WHERE psn_no = '$V_PSN' AND year = 2018 ORDER BY key)")" \
    "$(jq -r '.output.cuminfo | map("\(.cum_type_code)=\(if (.cum_type_code | endswith("admissions")) then .cum else (.cum * 100 | round) end)") | join(" ")' "$OUT")"
expect_jq "5206 names the month asked on each line" '[.output.cuminfo[].cum_ym] | unique | join(",")' 201806
call 2001 "{\"data\":{\"psn_no\":\"$V_PSN\",\"insutype\":\"390\",\"med_type\":\"11\",\"begntime\":\"2018-06-01 09:00:00\"}}" "$SIGN"
expect_jq "2001: covered that day" '.output.trtinfo[0] | "\(.trt_enjymnt_flag) \(.trt_chk_rslt)"' "1 正常享受待遇"
call 2001 "{\"data\":{\"psn_no\":\"$U_PSN\",\"insutype\":\"390\",\"begntime\":\"2018-06-01 09:00:00\"}}" "$SIGN"
expect_jq "2001: not covered, with the reason" '.output.trtinfo[0] | "\(.trt_enjymnt_flag) \(.trt_chk_rslt | contains("'"$U_PSN"'"))"' "0 true"
call 5206 "{\"data\":{\"psn_no\":\"53010099999999999999\",\"cum_ym\":\"201806\"}}" "$SIGN"
expect_refused "5206 of an unknown person" "[YB0005]" "input.data.psn_no"
for ym in 201813 201800 201899; do
    call 5206 "{\"data\":{\"psn_no\":\"$V_PSN\",\"cum_ym\":\"$ym\"}}" "$SIGN"
    expect_refused "5206 refuses the month of $ym" "[YB0002]" "input.data.cum_ym" \
        "累计年月 \"$ym\" 的月份 ${ym:4:2} 不存在"
done
call 5206 "{\"data\":{\"psn_no\":\"$V_PSN\",\"cum_ym\":\"2018-6\"}}" "$SIGN"
expect_refused "5206 refuses another form" "[YB0002]" "input.data.cum_ym" "yyyyMM"
call 3201 "{\"data\":{\"insutype\":\"390\",\"stmt_begndate\":\"$TODAY\",\"stmt_enddate\":\"2018-01-01\",\"medfee_sumamt\":0,\"fund_pay_sumamt\":0,\"fixmedins_setl_cnt\":0}}" "$SIGN"
expect_refused "a period that ends before it begins" "input.data.stmt_enddate"

# ---- 5201, 5202, 5204: visit records -------------------------------------------
# one more visit of the person: begun on 06-02 (2203), two diagnoses with the
# main one's name, lines in two batches (Q2 cancelled), settled
MESSAGES=$(sqlite3 "$DB" "SELECT count(*) FROM message")
reg "$V_PSN" "$V_CERT" MZ5201
MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")
Q_MDTRT=$MDTRT
diag() { # diag SRT CODE NAME
    printf '{"diag_type":"1","diag_srt_no":%s,"diag_code":"%s","diag_name":"%s","diag_dept":"内科","dise_dor_no":"D001","dise_dor_name":"李医生","diag_time":"2018-06-02 08:40:00","vali_flag":"1"}' "$1" "$2" "$3"
}
call 2203 "{\"mdtrtinfo\":{\"mdtrt_id\":\"$MDTRT\",\"psn_no\":\"$V_PSN\",\"med_type\":\"11\",\"begntime\":\"2018-06-02 08:30:00\",\"dise_codg\":\"I10.x00\",\"dise_name\":\"高血压\"},\"diseinfo\":[$(diag 1 I10.x00 高血压),$(diag 2 J06.900 上呼吸道感染)]}" "$SIGN"
expect_jq "2203 of the queried visit" .infcode 0
call 2204 "{\"feedetail\":[$(line 51 "$A_CODE" 2 10.000000 20.00 Q1),$(line 52 "$C_CODE" 3 5.000000 15.00 Q1),$(line 53 "$A_CODE" 1 1.500000 1.50 Q2)]}" "$SIGN"
expect_jq "2204 of the queried visit" '.output.result | length' 3
call 2205 "{\"data\":{\"mdtrt_id\":\"$MDTRT\",\"chrg_bchno\":\"Q2\",\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_jq "2205 cancels batch Q2" .output.cancelled 1
setl 2207 35.00
expect_jq "2207 settles the queried visit" .infcode 0
Q_SETL=$(jq -r .output.setlinfo.setl_id "$OUT")
MESSAGES=$((MESSAGES + 5))
V_FIRST=$(sqlite3 "$DB" "SELECT mdtrt_id FROM visit WHERE ipt_otp_no = 'MZ0001' AND status = 'cancelled'")
V_SECOND=$(sqlite3 "$DB" "SELECT mdtrt_id FROM visit WHERE ipt_otp_no = 'MZ0001' AND status = 'settled'")
V_M9=$(sqlite3 "$DB" "SELECT mdtrt_id FROM visit WHERE ipt_otp_no = 'MZ0009'")
V_R=$(sqlite3 "$DB" "SELECT mdtrt_id FROM visit WHERE ipt_otp_no = 'MZ2601'")
VROW='.output.mdtrtinfo | map("\(.mdtrt_id) \(.med_type) \(.begntime) \(.endtime) \(.vali_flag)\(.setl_flag)\(.inhosp_stas) \(.maindiag_code)") | join(";")'
# 5201: every visit of the person here, by begntime then mdtrt_id
call 5201 "{\"data\":{\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_jq "5201 lists the person's six visits in order, live, settled, in hospital" "$VROW" \
    "$V_SECOND 11 2018-06-01 09:00:00  11 ;$V_M9 11 2018-06-01 09:00:00  11 ;$V_R 11 2018-06-01 09:00:00  00 ;$V_FIRST 11 2018-06-01 09:05:00  00 J06.900;$Q_MDTRT 11 2018-06-02 08:30:00  11 I10.x00;$STAY 21 2018-08-01 08:00:00  000 J18.900"
expect_jq "5201: the registration's fields" \
    ".output.mdtrtinfo[4] | \"\(.psn_no) \(.fixmedins_code) \(.insutype) \(.ipt_otp_no) \(.dise_codg) \(.dise_name) \(.atddr_no) \(.dr_name) \(.dept_code) \(.dept_name) \(.caty) \(.mdtrtarea_admvs)\"" \
    "$V_PSN $INST 390 MZ5201 I10.x00 高血压 D001 李医生 A01 内科 A03 530102"
call 5201 "{\"data\":{\"psn_no\":\"$V_PSN\",\"begntime\":\"2018-06-01 09:00:01\",\"endtime\":\"2018-06-02\"}}" "$SIGN"
expect_jq "5201 in a period: a bare endtime is the day's end" \
    '.output.mdtrtinfo | map(.mdtrt_id) | join(" ")' "$V_FIRST $Q_MDTRT"
call 5201 "{\"data\":{\"psn_no\":\"$V_PSN\",\"med_type\":\"21\"}}" "$SIGN"
expect_jq "5201 by med_type" '.output.mdtrtinfo | map("\(.mdtrt_id) \(.ipt_otp_no)") | join(" ")' "$STAY ZY0001"
call 5201 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_id\":\"$V_M9\"}}" "$SIGN"
expect_jq "5201 by mdtrt_id" '.output.mdtrtinfo | map(.mdtrt_id) | join(" ")' "$V_M9"
call 5201 "{\"data\":{\"psn_no\":\"$V_PSN\"}}" "$OTHER_SIGN" "" H53010200002
expect_jq "5201 at another institution: none of these visits" '"\(.infcode) \(.output.mdtrtinfo | length)"' "0 0"
call 5201 '{"data":{"psn_no":"53010099999999999999"}}' "$SIGN"
expect_refused "5201 of an unknown person" "[YB0005]" "input.data.psn_no" "53010099999999999999 不存在"
call 5201 "{\"data\":{\"psn_no\":\"$V_PSN\",\"begntime\":\"2018-06-03\",\"endtime\":\"2018-06-02\"}}" "$SIGN"
expect_refused "5201 of a period that ends before it begins" "[YB0002]" "input.data.endtime" "早于 begntime"
# 5202: the diagnoses in their order, the main one first
call 5202 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_id\":\"$Q_MDTRT\"}}" "$SIGN"
expect_jq "5202 lists the two diagnoses, main first" \
    '.output.diseinfo | map("\(.mdtrt_id) \(.diag_type) \(.diag_srt_no) \(.diag_code) \(.diag_name) \(.maindiag_flag) \(.vali_flag)") | join(";")' \
    "$Q_MDTRT 1 1 I10.x00 高血压 1 1;$Q_MDTRT 1 2 J06.900  0 1"
call 5202 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_id\":\"$STAY\"}}" "$SIGN"
expect_jq "5202 of the cancelled stay" '.output.diseinfo | map("\(.diag_srt_no) \(.diag_code) \(.maindiag_flag)") | join(";")' "1 J18.900 1"
call 5202 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_id\":\"$V_SECOND\"}}" "$SIGN"
expect_jq "5202 of a visit without diagnoses" '.output.diseinfo | length' 0
call 5202 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_id\":\"$Q_MDTRT\"}}" "$OTHER_SIGN" "" H53010200002
expect_refused "5202 of another institution's visit" "[YB0005]" "input.data.mdtrt_id" "$Q_MDTRT"
call 5202 "{\"data\":{\"psn_no\":\"$U_PSN\",\"mdtrt_id\":\"$Q_MDTRT\"}}" "$SIGN"
expect_refused "5202 of another person's visit" "[YB0005]" "input.data.mdtrt_id" "$U_PSN"
# 5204: every line with its status and classification, as 2204 answered it
FROW='.output.feedetail | map("\(.feedetl_sn) \(.mdtrt_id == "'"$Q_MDTRT"'") \(.psn_no) \(.chrg_bchno) \(.fee_ocur_time) \(.med_list_codg) \(.vali_flag) \(.chrgitm_lv) \(.fulamt_ownpay_amt) \(.overlmt_amt) \(.preselfpay_amt) \(.inscp_scp_amt)") | join(";")'
call 5204 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_id\":\"$Q_MDTRT\"}}" "$SIGN"
expect_jq "5204 lists the three lines, the cancelled one too" "$FROW" \
    "51 true $V_PSN Q1 2018-06-01 09:20:00 $A_CODE 1 01 0 0 0 20;52 true $V_PSN Q1 2018-06-01 09:20:00 $C_CODE 1 03 15 0 0 0;53 true $V_PSN Q2 2018-06-01 09:20:00 $A_CODE 0 01 0 0 0 1.5"
expect_eq "5204: count 4 decimals, price 6, amounts 2" 3 \
    "$(grep -oE '"cnt":(2\.0000,"pric":10\.000000,"det_item_fee_sumamt":20\.00|3\.0000,"pric":5\.000000,"det_item_fee_sumamt":15\.00|1\.0000,"pric":1\.500000,"det_item_fee_sumamt":1\.50),"vali_flag":"[01]"' "$OUT" | wc -l)"
expect_eq "5204: classification amounts with 2 decimals" 1 \
    "$(grep -c '"fulamt_ownpay_amt":15.00,"overlmt_amt":0.00,"preselfpay_amt":0.00,"inscp_scp_amt":0.00,"chrgitm_lv":"03"' "$OUT")"
call 5204 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_id\":\"$Q_MDTRT\",\"setl_id\":\"$Q_SETL\"}}" "$SIGN"
expect_jq "5204 of the settlement: its valid lines, in total its medfee_sumamt" \
    '"\(.output.feedetail | map(.feedetl_sn) | join(",")) \(.output.feedetail | map(.det_item_fee_sumamt * 100) | add | round)"' "51,52 3500"
call 5204 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_id\":\"$Q_MDTRT\",\"setl_id\":\"$LIVE\"}}" "$SIGN"
expect_refused "5204 with another visit's settlement" "[YB0005]" "input.data.setl_id" "不是就诊 $Q_MDTRT 的"
call 5204 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_id\":\"$Q_MDTRT\"}}" "$OTHER_SIGN" "" H53010200002
expect_refused "5204 of another institution's visit" "[YB0005]" "input.data.mdtrt_id" "不是本机构"
call 5204 "{\"data\":{\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_refused "5204 without mdtrt_id" "[YB0002]" "input.data.mdtrt_id"
expect_eq "the queries are reads: nothing logged" "$MESSAGES" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM message")"

# ---- 5205: chronic-disease drug records ----------------------------------------
# a 门诊慢特病 visit here (2201, then 2203 with med_type 14) with a western
# drug, a herbal piece, a service and a cancelled drug line; another at the
# other institution with one drug, settled there; 5205 here lists the three
# valid drug lines of both institutions
single() { # single AWK-CONDITION: the first code of one catalogue version, valid from before 2018-06-01 on, no limits; "code name"
    awk -F, '{ sub(/\r$/, "") } NR > 1 { n[$1]++; if ('"$1"' && $7 <= "2018-06-01" && $8 == "" && $9 == "" && $10 == "" && $11 == "" && ($6 == "" || $6 + 0 >= 10) && !($1 in row)) row[$1] = $1 " " $2; order[++k] = $1 }
        END { for (i = 1; i <= k; i++) if ((order[i] in row) && n[order[i]] == 1) { print row[order[i]]; exit } }' "$CSV/catalogue.csv"
}
read -r D_CODE D_NAME <<<"$(single '$3 == "101" && $4 == "01"')"
read -r H_CODE H_NAME <<<"$(single '$3 == "102"')"
read -r S_CODE _ <<<"$(single '$3 == "201"')"
expect_eq "catalogue codes for 5205" 1 "$([ -n "$D_CODE" ] && [ -n "$H_CODE" ] && [ -n "$S_CODE" ] && echo 1)"
reg "$V_PSN" "$V_CERT" MZ5205
expect_jq "2201 registers the chronic visit" .infcode 0
MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")
C_MDTRT=$MDTRT
call 2203 "{\"mdtrtinfo\":{\"mdtrt_id\":\"$MDTRT\",\"psn_no\":\"$V_PSN\",\"med_type\":\"14\",\"begntime\":\"2018-06-01 09:00:00\",\"dise_codg\":\"M03900\",\"dise_name\":\"高血压\"},\"diseinfo\":[$(diag 1 I10.x00 高血压)]}" "$SIGN"
expect_jq "2203 accepts med_type 14" .infcode 0
expect_eq "the visit is 门诊慢特病" "14 M03900" \
    "$(sqlite3 -separator ' ' "$DB" "SELECT med_type, dise_codg FROM visit WHERE mdtrt_id = '$MDTRT'")"
call 2204 "{\"feedetail\":[$(line 1 "$D_CODE" 2 10.000000 20.00 K1),$(line 2 "$H_CODE" 1.5 3.333333 5.00 K1),$(line 3 "$S_CODE" 1 10.000000 10.00 K1),$(line 4 "$D_CODE" 1 10.000000 10.00 K2)]}" "$SIGN"
expect_jq "2204 takes the chronic visit's lines" '"\(.infcode) \(.output.result | length)"' "0 4"
call 2205 "{\"data\":{\"mdtrt_id\":\"$MDTRT\",\"chrg_bchno\":\"K2\",\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_jq "2205 cancels batch K2" .output.cancelled 1
call 2201 "{\"data\":{\"psn_no\":\"$V_PSN\",\"insutype\":\"390\",\"begntime\":\"2018-06-01 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$V_CERT\",\"ipt_otp_no\":\"OT5205\"}}" "$OTHER_SIGN" "" H53010200002
expect_jq "2201 at the other institution" .infcode 0
MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")
O_MDTRT=$MDTRT
call 2203 "{\"mdtrtinfo\":{\"mdtrt_id\":\"$MDTRT\",\"psn_no\":\"$V_PSN\",\"med_type\":\"14\",\"begntime\":\"2018-06-01 09:00:00\",\"dise_codg\":\"\",\"dise_name\":\"\"},\"diseinfo\":[$(diag 1 E11.900 糖尿病)]}" "$OTHER_SIGN" "" H53010200002
expect_jq "2203 med_type 14 at the other institution" .infcode 0
call 2204 "{\"feedetail\":[$(line 1 "$D_CODE" 3 1.234567 3.70 O1)]}" "$OTHER_SIGN" "" H53010200002
expect_jq "2204 at the other institution" .infcode 0
call 2207 "{\"data\":{\"psn_no\":\"$V_PSN\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$V_CERT\",\"med_type\":\"14\",\"medfee_sumamt\":3.70,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$MDTRT\",\"insutype\":\"390\"}}" "$OTHER_SIGN" "" H53010200002
expect_jq "2207 settles the chronic visit there" .infcode 0
MESSAGES=$(sqlite3 "$DB" "SELECT count(*) FROM message")
DROW='.output.feedetail | map("\(.mdtrt_id) \(.psn_no) \(.fixmedins_code) \(.fixmedins_name) \(.med_type) \(.dise_codg) \(.fee_ocur_time) \(.med_list_codg) \(.med_list_name) \(.setl_flag)") | join(";")'
call 5205 "{\"data\":{\"psn_no\":\"$V_PSN\"}}" "$SIGN"
expect_jq "5205 lists the drug lines of both institutions, by time, visit, line" "$DROW" \
    "$C_MDTRT $V_PSN $INST 昆明市测试医院 14 M03900 2018-06-01 09:20:00 $D_CODE $D_NAME 0;$C_MDTRT $V_PSN $INST 昆明市测试医院 14 M03900 2018-06-01 09:20:00 $H_CODE $H_NAME 0;$O_MDTRT $V_PSN H53010200002 昆明市另一医院 14 E11.900 2018-06-01 09:20:00 $D_CODE $D_NAME 1"
expect_eq "5205: count 4 decimals, price 6, amount 2" 3 \
    "$(grep -oE '"cnt":(2\.0000,"pric":10\.000000,"det_item_fee_sumamt":20\.00|1\.5000,"pric":3\.333333,"det_item_fee_sumamt":5\.00|3\.0000,"pric":1\.234567,"det_item_fee_sumamt":3\.70),"setl_flag":"[01]"' "$OUT" | wc -l)"
call 5205 "{\"data\":{\"psn_no\":\"$V_PSN\",\"begntime\":\"2018-06-01 09:20:01\",\"endtime\":\"2018-06-30\"}}" "$OTHER_SIGN" "" H53010200002
expect_jq "5205 after the lines' time: none" '"\(.infcode) \(.output.feedetail | length)"' "0 0"
call 5205 "{\"data\":{\"psn_no\":\"$U_PSN\"}}" "$SIGN"
expect_jq "5205 of a person without such records: an empty list" '"\(.infcode) \(.output.feedetail | length)"' "0 0"
call 5205 "{\"data\":{\"psn_no\":\"$V_PSN\",\"begntime\":\"2018-06-02\",\"endtime\":\"2018-06-01\"}}" "$SIGN"
expect_refused "5205 of a period that ends before it begins" "[YB0002]" "input.data.endtime" "早于 begntime"
call 5205 '{"data":{"psn_no":"53010099999999999999"}}' "$SIGN"
expect_refused "5205 of an unknown person" "[YB0005]" "input.data.psn_no" "53010099999999999999 不存在"
expect_eq "5205 is a read: nothing logged" "$MESSAGES" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM message")"

# ---- 9002 -------------------------------------------------------------------
call 9002 "{\"signOut\":{\"sign_no\":\"$SIGN\",\"opter_no\":\"001\"}}" "$SIGN"
expect_jq "9002 signs out" .infcode 0
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERTNO\"}}" "$SIGN"
expect_refused "a signed-out sign_no" "[YB0015]" "已于" "签退"
expect_eq "audit chain intact after the calls" 0 \
    "$("$YIBAO" audit verify --db "$DB" >/dev/null 2>&1; echo $?)"

# ---- the log and the stop ---------------------------------------------------
expect_eq "the log masks ID numbers" 0 "$(grep -c "$CERTNO" "$TMP/calls.log" || true)"
expect_eq "the log names the masked number" 1 \
    "$(grep -c "110105\*\*\*\*\*\*\*\*002X" "$TMP/calls.log" || true)"
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
# the writer's figures: every stored answer went through it, in no more
# commits than calls
read -r W_CALLS W_COMMITS <<<"$(sed -n 's/^writer: \([0-9]*\) calls in \([0-9]*\) commits.*/\1 \2/p' "$TMP/calls.log")"
STORED=$(sqlite3 "$DB" "SELECT count(*) FROM message")
expect_eq "the log ends with the writer's figures" 1 \
    "$([[ ${W_CALLS:-0} -ge $STORED && $STORED -gt 0 && ${W_COMMITS:-0} -ge 1 && $W_COMMITS -le $W_CALLS ]] && echo 1)"

expect_no_nulls
finish
