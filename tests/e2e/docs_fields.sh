#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# docs/interface.md, the field reference of the hospital interface, names
# every field the interface reads or writes. Three sources of field names:
#   1. the answers: every transaction yibao answers is driven over HTTP
#      against a real `yibao serve` and SQLite file (a small region of the
#      current year: an outpatient chain with its reversal and a 2601, a
#      cancelled registration, a chronic-disease visit for 5205, a stay
#      settled and reversed, a stay discharged and undone and cancelled,
#      every query, 3201, 9002), and every key of every answer is taken:
#      the envelope's keys must be in the envelope's section, the keys of
#      `output` in the transaction's own section or in a shared node's;
#   2. the requests: the key literals the handlers read (src/api/hosp*.c:
#      the envelope's table, the field tables, yb__hosp_str, the nodes, the
#      money, decimal and integer readers) must each be in some section;
#   3. the code tables: every table and every value 1901 lists must be in
#      the code-table section, the value in its table's row.
# A field counts as documented in a section when a table row of that
# section has it, in backticks, in its first cell. The test fails naming
# each field missing and where it should be.
# Usage: bash tests/e2e/docs_fields.sh /path/to/yibao (from the repository
# root, as tests/e2e/meson.build runs it).
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }

DOC=docs/interface.md
DB=$TMP/fields.db
INST=H53010200001
ANS=$TMP/answers
mkdir -p "$ANS"

# ---- the region: the current year's policy, one clinic, one person --------
NOW=$(printf '%(%Y-%m-%d %H:%M:%S)T' -1)
YEAR=${NOW:0:4}
POLICY=$TMP/policy.json # this year's, carried forward when it has no file
bash scripts/policy-for-year.sh "$YEAR" > "$POLICY"
run init --db "$DB"
printf 'admdvs,name,level,parent\n530000,云南省,province,\n530100,昆明市,city,530000\n530102,五华区,county,530100\n' \
    > "$TMP/regions.csv"
printf 'fixmedins_code,fixmedins_name,hosp_lv,inst_type,public_flag,admdvs,begndate,enddate\n%s,五华区测试医院,2,hospital,1,530102,2020-01-01,\n' \
    "$INST" > "$TMP/inst.csv"
{
    echo 'med_list_codg,med_list_name,list_type,chrgitm_lv,selfpay_prop,pric_uplmt_amt,begndate,enddate,lmt_gend,lmt_age_min,lmt_age_max'
    echo '110200001000001,普通门诊诊查费,201,01,,,2020-01-01,,,,'
    echo 'XC08CAW034A003010200012,硝苯地平缓释片,101,02,0.1,,2020-01-01,,,,'
    echo '110900001000004,普通病房床位费,201,01,,45,2020-01-01,,,,'
} > "$TMP/catalogue.csv"
CERT=530102199001012023
printf 'certno,psn_idet_type,begndate,enddate,source\n%s,202,2020-03-01,,民政\n' "$CERT" \
    > "$TMP/identities.csv"
printf 'certno,year,tier,amount,paid_at,channel,receipt_no\n%s,%s,1,150.00,%s-10-15 09:00:00,assistance,SW530100%s00000001\n%s,%s,1,250.00,%s-10-20 10:00:00,wechat,SW530100%s00000002\n' \
    "$CERT" "$YEAR" $((YEAR - 1)) $((YEAR - 1)) "$CERT" "$YEAR" $((YEAR - 1)) $((YEAR - 1)) \
    > "$TMP/payments.csv"
run region import --db "$DB" "$TMP/regions.csv"
expect_eq "regions import" 0 "$RC"
run policy import --db "$DB" "$POLICY"
expect_eq "policy import" 0 "$RC"
run institution import --db "$DB" "$TMP/inst.csv"
expect_eq "institution import" 0 "$RC"
run catalogue import --db "$DB" "$TMP/catalogue.csv"
expect_eq "catalogue import" 0 "$RC"
run person add --db "$DB" --certno "$CERT" --name 李梅 --region 530102
expect_eq "person add" 0 "$RC"
PSN=$(cat "$OUT")
run identity import --db "$DB" "$TMP/identities.csv"
expect_eq "identity import" 0 "$RC"
run pay import --db "$DB" --year "$YEAR" "$TMP/payments.csv"
expect_eq "payments import" 0 "$RC"
run institution credential --db "$DB" --code "$INST"
SECRET=$(cat "$OUT")

start_server "$DB" "$POLICY"
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
SERIAL=0
SIGN=""

# call INFNO INPUT: one envelope; the answer in $OUT and kept as
# $ANS/INFNO.SERIAL.json; the msgid sent in $MSGID. Every answer must
# succeed (infcode 0): a refusal would hide the fields of a success.
call() {
    SERIAL=$((SERIAL + 1))
    printf -v MSGID '%s%(%Y%m%d%H%M%S)T%04d' "$INST" -1 "$SERIAL"
    jq -cn --arg infno "$1" --argjson input "$2" --arg msgid "$MSGID" \
        --arg inst "$INST" --arg sign "$SIGN" --arg ca "$SECRET" \
        --arg now "$(printf '%(%Y-%m-%d %H:%M:%S)T' -1)" \
        '{infno: $infno, msgid: $msgid, mdtrtarea_admvs: "530102",
          insuplc_admdvs: "530100", recer_sys_code: "YBXT", dev_no: "",
          dev_safe_info: "", cainfo: (if $infno == "9001" then $ca else "" end),
          signtype: "", infver: "V1.0", opter_type: "1", opter: "001",
          opter_name: "张三", inf_time: $now, fixmedins_code: $inst,
          fixmedins_name: "五华区测试医院", sign_no: $sign, input: $input}' |
        curl -s --data-binary @- "$URL" > "$OUT"
    cp "$OUT" "$ANS/$1.$SERIAL.json"
    if [ "$(jq -r .infcode "$OUT" 2>/dev/null)" != 0 ]; then
        fail "$1 answered: $(head -c 300 "$OUT")"
    fi
}

# ---- every transaction --------------------------------------------------------
call 9001 '{"signIn":{"opter_no":"001","mac":"00-1A-2B-3C-4D-5E","ip":"10.0.0.8"}}'
SIGN=$(jq -r .output.signinoutb.sign_no "$OUT")
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERT\",\"begntime\":\"$NOW\"}}"
call 1901 '{"data":{"type":""}}'
cp "$OUT" "$TMP/dicts.json"
call 2001 "{\"data\":{\"psn_no\":\"$PSN\",\"insutype\":\"390\",\"begntime\":\"$NOW\",\"med_type\":\"11\"}}"

# outpatient: register, visit information, two batches of lines, the second
# cancelled, pre-settle, settle, the queries, reverse
line() { # line SN MDTRT BATCH CODE CNT PRIC AMOUNT
    echo "{\"feedetl_sn\":\"$1\",\"mdtrt_id\":\"$2\",\"psn_no\":\"$PSN\",\"chrg_bchno\":\"$3\",\"fee_ocur_time\":\"$NOW\",\"med_list_codg\":\"$4\",\"medins_list_codg\":\"H$4\",\"cnt\":$5,\"pric\":$6,\"det_item_fee_sumamt\":$7,\"hosp_appr_flag\":\"0\"}"
}
visit() { # visit IPT_OTP_NO: 2201, the visit in $MDTRT
    call 2201 "{\"data\":{\"psn_no\":\"$PSN\",\"insutype\":\"390\",\"begntime\":\"$NOW\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERT\",\"ipt_otp_no\":\"$1\",\"atddr_no\":\"D001\",\"dr_name\":\"李医生\",\"dept_code\":\"A01\",\"dept_name\":\"内科\",\"caty\":\"A03\"}}"
    MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")
}
# settle PRE FINAL VISIT AMOUNT [MORE]: pre-settle and settle a visit (MORE:
# further input fields, ",\"key\":..."); the settlement in $SETL
settle() {
    local input="{\"data\":{\"psn_no\":\"$PSN\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERT\",\"medfee_sumamt\":$4,\"psn_setlway\":\"01\",\"mdtrt_id\":\"$3\",\"insutype\":\"390\",\"acct_used_flag\":\"0\"${5:-}}}"
    call "$1" "$input"
    call "$2" "$input"
    SETL=$(jq -r .output.setlinfo.setl_id "$OUT")
}
# reverse INFNO VISIT: reverse the settlement $SETL of the visit
reverse() {
    call "$1" "{\"data\":{\"setl_id\":\"$SETL\",\"mdtrt_id\":\"$2\",\"psn_no\":\"$PSN\"}}"
}
visit MZ0001
call 2203 "{\"mdtrtinfo\":{\"mdtrt_id\":\"$MDTRT\",\"psn_no\":\"$PSN\",\"med_type\":\"11\",\"begntime\":\"$NOW\",\"dise_codg\":\"J06.900\",\"dise_name\":\"急性上呼吸道感染\"},\"diseinfo\":[{\"diag_type\":\"1\",\"diag_srt_no\":1,\"diag_code\":\"J06.900\",\"diag_name\":\"急性上呼吸道感染\"}]}"
call 2204 "{\"feedetail\":[$(line 1 "$MDTRT" 1 110200001000001 1 20 20.00),$(line 2 "$MDTRT" 1 XC08CAW034A003010200012 2 35.5 71.00)]}"
call 2204 "{\"feedetail\":[$(line 3 "$MDTRT" 2 110200001000001 1 20 20.00)]}"
call 2205 "{\"data\":{\"mdtrt_id\":\"$MDTRT\",\"chrg_bchno\":\"2\",\"psn_no\":\"$PSN\"}}"
settle 2206 2207 "$MDTRT" 91.00 ",\"med_type\":\"11\",\"chrg_bchno\":\"1\""
call 5201 "{\"data\":{\"psn_no\":\"$PSN\"}}"
call 5202 "{\"data\":{\"psn_no\":\"$PSN\",\"mdtrt_id\":\"$MDTRT\"}}"
call 5203 "{\"data\":{\"psn_no\":\"$PSN\",\"setl_id\":\"$SETL\",\"mdtrt_id\":\"$MDTRT\"}}"
call 5204 "{\"data\":{\"psn_no\":\"$PSN\",\"mdtrt_id\":\"$MDTRT\"}}"
call 5206 "{\"data\":{\"psn_no\":\"$PSN\",\"cum_ym\":\"${YEAR}01\"}}"
reverse 2208 "$MDTRT"
call 3201 "{\"data\":{\"insutype\":\"390\",\"clr_type\":\"11\",\"setl_optins\":\"530100\",\"stmt_begndate\":\"${NOW:0:10}\",\"stmt_enddate\":\"${NOW:0:10}\",\"medfee_sumamt\":0.00,\"fund_pay_sumamt\":0.00,\"acct_pay\":0.00,\"fixmedins_setl_cnt\":2}}"
# a registration cancelled (2202), and one whose lines 2601 reverses
visit MZ0002
call 2202 "{\"data\":{\"psn_no\":\"$PSN\",\"mdtrt_id\":\"$MDTRT\",\"ipt_otp_no\":\"MZ0002\"}}"
visit MZ0003
call 2204 "{\"feedetail\":[$(line 1 "$MDTRT" 1 110200001000001 1 20 20.00)]}"
call 2601 "{\"data\":{\"psn_no\":\"$PSN\",\"omsgid\":\"$MSGID\",\"oinfno\":\"2204\"}}"
# a chronic-disease visit's drug line, for 5205
visit MZ0004
call 2203 "{\"mdtrtinfo\":{\"mdtrt_id\":\"$MDTRT\",\"psn_no\":\"$PSN\",\"med_type\":\"14\",\"dise_codg\":\"I10\",\"dise_name\":\"高血压\"},\"diseinfo\":{\"diag_code\":\"I10\"}}"
call 2204 "{\"feedetail\":[$(line 1 "$MDTRT" 1 XC08CAW034A003010200012 1 35.5 35.50)]}"
call 5205 "{\"data\":{\"psn_no\":\"$PSN\"}}"

# a stay: admit, change, lines (one cancelled), discharge, settle, reverse
admit() { # admit IPT_NO: 2401, the stay in $STAY
    call 2401 "{\"mdtrtinfo\":{\"psn_no\":\"$PSN\",\"insutype\":\"390\",\"begntime\":\"$NOW\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERT\",\"med_type\":\"21\",\"ipt_no\":\"$1\",\"atddr_no\":\"D002\",\"chfpdr_name\":\"王医生\",\"adm_dept_codg\":\"A02\",\"adm_dept_name\":\"内科\",\"dise_codg\":\"J18.900\",\"dise_name\":\"肺炎\"},\"diseinfo\":[{\"diag_code\":\"J18.900\"}]}"
    STAY=$(jq -r .output.result.mdtrt_id "$OUT")
}
admit ZY0001
call 2403 "{\"adminfo\":{\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$PSN\",\"med_type\":\"21\",\"begntime\":\"$NOW\",\"dise_codg\":\"J18.900\",\"dise_name\":\"肺炎\"},\"diseinfo\":[{\"diag_code\":\"J18.900\"},{\"diag_code\":\"I10\"}]}"
ipt() { # ipt SN CNT PRIC AMOUNT: a stay's line (2301 has no batch)
    echo "{\"feedetl_sn\":\"$1\",\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$PSN\",\"fee_ocur_time\":\"$NOW\",\"med_list_codg\":\"110900001000004\",\"cnt\":$2,\"pric\":$3,\"det_item_fee_sumamt\":$4}"
}
call 2301 "{\"feedetail\":[$(ipt 1 3 45 135.00),$(ipt 2 1 45 45.00)]}"
call 2302 "{\"data\":[{\"feedetl_sn\":\"2\",\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$PSN\"}]}"
call 2402 "{\"dscginfo\":{\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$PSN\",\"insutype\":\"390\",\"endtime\":\"$NOW\",\"dise_codg\":\"J18.900\"},\"diseinfo\":[{\"diag_code\":\"J18.900\"}]}"
settle 2303 2304 "$STAY" 135.00
reverse 2305 "$STAY"
# another stay: discharged, the discharge undone (2405), the admission
# cancelled (2404)
admit ZY0002
call 2402 "{\"dscginfo\":{\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$PSN\",\"endtime\":\"$NOW\"}}"
call 2405 "{\"data\":{\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$PSN\"}}"
call 2404 "{\"data\":{\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$PSN\"}}"
call 9002 "{\"signOut\":{\"sign_no\":\"$SIGN\",\"opter_no\":\"001\"}}"

kill -TERM "$SERVER"
wait "$SERVER" || true
trap 'rm -rf "$TMP"' EXIT

# every transaction yibao answers was driven: the dispatcher's tables
mapfile -t KNOWN < <(grep -ohE '^\s*\{"[0-9]{4}", "' src/api/hosp*.c | grep -oE '[0-9]{4}' | sort -u)
DRIVEN=$(ls "$ANS" | cut -d. -f1 | sort -u | paste -sd' ')
expect_eq "every transaction of src/api was driven" "${KNOWN[*]}" "$DRIVEN"
expect_eq "the transactions are found in the source" 1 "$([ "${#KNOWN[@]}" -ge 30 ] && echo 1)"

# ---- the doc's sections and the fields their tables name --------------------
[ -f "$DOC" ] || { fail "$DOC is missing"; finish; }
# "SECTION<TAB>field" for every backticked name in a table row's first
# cell; SECTION is the "### " heading's line (or the "## " heading's when
# no "### " is open), outside fenced code blocks.
awk '
    /^[ ]*```/ { fence = !fence; next }
    fence { next }
    /^## / { h2 = $0; sec = $0; next }
    /^### / { sec = $0; next }
    /^\|/ {
        n = split($0, cell, "|")
        c = cell[2]
        while (match(c, /`[^`]+`/)) {
            f = substr(c, RSTART + 1, RLENGTH - 2)
            c = substr(c, RSTART + RLENGTH)
            sub(/\[\]$/, "", f)
            if (f ~ /^[A-Za-z_][A-Za-z0-9_]*$/)
                print sec "\t" h2 "\t" f
        }
    }
' "$DOC" > "$TMP/documented"
expect_eq "the doc has field tables" 1 "$([ "$(wc -l < "$TMP/documented")" -ge 200 ] && echo 1)"

# every transaction has a "### " section naming it, and a row in the list
for infno in "${KNOWN[@]}"; do
    grep -qE "^###.*[^0-9]$infno([^0-9]|\$)" "$DOC" ||
        fail "transaction $infno has no \"### \" section in $DOC"
    grep -qE "^\| \[$infno\]\(#" "$DOC" ||
        fail "transaction $infno has no row in the transaction list of $DOC"
done

# (1) the answers: "INFNO envelope|output FIELD", one a line
for a in "$ANS"/*.json; do
    infno=$(basename "$a" | cut -d. -f1)
    jq -r 'keys_unsorted[]' "$a" | sed "s/^/$infno envelope /"
    jq -r '.output | [paths | map(select(type == "string")) | last | select(. != null)] | unique[]' "$a" |
        sed "s/^/$infno output /"
done | sort -u > "$TMP/emitted"
expect_eq "the answers have fields" 1 "$([ "$(wc -l < "$TMP/emitted")" -ge 200 ] && echo 1)"
# an envelope field in the envelope's section; an output field in its
# transaction's "### " section (a heading naming the infno) or in a shared
# node's section
awk -F'\t' -v doc="$DOC" '
    FNR == NR {
        if ($2 ~ /^## The envelope/) env[$3] = 1
        else if ($2 ~ /^## Shared nodes/) shared[$3] = 1
        else if ($1 ~ /^### /) {
            h = $1
            while (match(h, /[0-9][0-9][0-9][0-9]/)) {
                tx[substr(h, RSTART, 4) " " $3] = 1
                h = substr(h, RSTART + RLENGTH)
            }
        }
        next
    }
    {
        split($0, w, " ")
        if (w[2] == "envelope" && !(w[3] in env)) {
            if (!told[w[3]]++)
                print "output envelope field `" w[3] "` (of " w[1] " and others) is not in the envelope section of " doc
        }
        else if (w[2] == "output" && !((w[1] " " w[3]) in tx) && !(w[3] in shared))
            print w[1] " output field `" w[3] "` is not in the section of " w[1] " (nor a shared node) of " doc
    }
' "$TMP/documented" "$TMP/emitted" > "$TMP/missing.out"
while IFS= read -r m; do fail "$m"; done < "$TMP/missing.out"
expect_eq "every field of every answer is in $DOC" 0 "$(grep -c . "$TMP/missing.out")"

# (2) the requests: the key literals the handlers read, each in some table
{
    sed -n 's/^[[:space:]]*F(\([a-z_]*\), .*/\1/p' src/api/hosp.c
    grep -ohE '\{"[A-Za-z_]+", &' src/api/hosp*.c | grep -oE '[A-Za-z_]+'
    grep -ohE 'yb__hosp_str\([^"]*"[A-Za-z_]+"' src/api/hosp*.c | grep -oE '"[A-Za-z_]+"' | tr -d '"'
    grep -ohE 'yb__hosp_node\(c, "[A-Za-z_]+"' src/api/hosp*.c | grep -oE '"[A-Za-z_]+"' | tr -d '"'
    grep -ohE 'yb_json_(money|decimal|int)\((in|it), "[A-Za-z_]+"' src/api/hosp*.c |
        grep -oE '"[A-Za-z_]+"' | tr -d '"'
    grep -ohE 'GetObjectItemCaseSensitive\((c->env->input|in|d), "[A-Za-z_]+"' src/api/hosp*.c |
        grep -oE '"[A-Za-z_]+"' | tr -d '"'
} | sort -u > "$TMP/read"
expect_eq "the handlers' input keys are found" 1 "$([ "$(wc -l < "$TMP/read")" -ge 60 ] && echo 1)"
awk -F'\t' -v doc="$DOC" '
    FNR == NR { any[$3] = 1; next }
    !($1 in any) { print "input field `" $1 "` (read in src/api/hosp*.c) is not in " doc }
' "$TMP/documented" "$TMP/read" > "$TMP/missing.in"
while IFS= read -r m; do fail "$m"; done < "$TMP/missing.in"
expect_eq "every field the handlers read is in $DOC" 0 "$(grep -c . "$TMP/missing.in")"

# (3) the code tables 1901 lists: each a row of the code-table section
# whose first cell names it, and each value in that row
jq -r '.output.list[] | [.type, .value] | @tsv' "$TMP/dicts.json" > "$TMP/codes"
expect_eq "1901 lists code tables" 1 "$([ "$(wc -l < "$TMP/codes")" -ge 100 ] && echo 1)"
awk -F'\t' -v doc="$DOC" '
    FNR == NR {
        if ($0 ~ /^## /) on = ($0 ~ /^## Code tables/)
        if (on && $0 ~ /^\|/) {
            n = split($0, cell, "|")
            if (match(cell[2], /`[a-z_]+`/))
                row[substr(cell[2], RSTART + 1, RLENGTH - 2)] = $0
        }
        next
    }
    !($1 in row) {
        if (!seen[$1]++)
            print "code table `" $1 "` (1901) has no row in the code-table section of " doc
        next
    }
    index(row[$1], "`" $2 "`") == 0 {
        print "code `" $2 "` of table `" $1 "` (1901) is not in its row of " doc
    }
' "$DOC" "$TMP/codes" > "$TMP/missing.codes"
while IFS= read -r m; do fail "$m"; done < "$TMP/missing.codes"
expect_eq "every code table and value 1901 lists is in $DOC" 0 "$(grep -c . "$TMP/missing.codes")"

finish
