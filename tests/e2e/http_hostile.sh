#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: the hospital interface against hostile requests. A synthetic
# region (200 persons, seed 9, 2018) is imported, an institution signs in
# and registers an outpatient visit; then every request of the corpus
# tests/data/hostile/hosp.txt goes to a real `yibao serve` over HTTP:
# malformed JSON, strings that are not UTF-8 (overlong forms, surrogates,
# code points above U+10FFFF, cut-off sequences, NUL raw and as \u0000,
# lone surrogate escapes) in the envelope, the input and in keys,
# duplicate keys at any depth, wrong types, missing fields, arrays where
# objects belong, bad dates, amounts with three decimals, huge numbers.
# For each the answer must be HTTP 200, valid UTF-8 and JSON, infcode -1,
# the exact code, the field path exactly once right after the code, a
# Chinese character before any ASCII letter in the message; and no table
# of the database may have gained or lost a row, but for the lookup audit:
# a 1101 that is a JSON document (RFC 8259, UTF-8 without NUL or lone
# surrogates, no key twice: python's reading of it, an oracle apart from
# the server's scan) refused for its input is a lookup all the same, so
# it leaves exactly one lookup_audit row, with infcode -1 and the
# refusal's code; any other request leaves none.
#
# The corpus, one request a line (# comments): CODE<TAB>PATH<TAB>INFNO
# <TAB>INPUT. PATH "-" is a refusal of the whole document (no field).
# INPUT is put as the "input" of a valid signed-in envelope of infno INFNO;
# with INFNO "*" it is the whole body. In both: @ENV@ stands for the
# envelope's members but input (@ENV-a-b@: without members a and b),
# @MSGID@ for a fresh msgid, @SIGN@, @INST@, @PSN@, @CERT@, @MDTRT@ for the
# signed-in session, its institution, a covered person, his ID number and
# his registered visit; \xNN for the byte NN (JSON's own escapes are left
# alone). Every request carries a msgid of its own in the valid form (the
# institution's code, the time, a serial), and a 9001 the institution's
# credential, so each is refused for what its line tests and not for these.
source "$(dirname "$0")/lib.sh"
for tool in curl sqlite3 perl iconv python3; do
    command -v $tool >/dev/null || { echo "$tool is required" >&2; exit 1; }
done

POLICY=tests/data/enrol/synth-2018.json
CORPUS=tests/data/hostile/hosp.txt
CSV=$TMP/csv
DB=$TMP/hostile.db
INST=H53010200001

hosp_region "$CSV" "$DB" "$POLICY" "$INST,昆明市测试医院,3,hospital,1,530102,2018-01-01,"

start_server "$DB" "$POLICY" --log "$TMP/calls.log"
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
SERIAL=0
STAMP=$(date +%Y%m%d%H%M%S)

# The body of a request (perl, the corpus line's INFNO and INPUT in the
# environment as INFNO and TEXT): see the top of the file.
MKBODY='
    my ($msgid, $sign, $inst, $psn, $cert, $mdtrt) = @ARGV;
    my @m = (["infno", "1101"], ["msgid", $msgid],
        ["mdtrtarea_admvs", "530102"], ["insuplc_admdvs", ""],
        ["recer_sys_code", "YBXT"], ["dev_no", ""], ["dev_safe_info", ""],
        ["cainfo", $ENV{INFNO} eq "9001" ? $ENV{CAINFO} : ""], ["signtype", ""], ["infver", "V1.0"],
        ["opter_type", "1"], ["opter", "001"], ["opter_name", "张三"],
        ["inf_time", $ENV{NOW}], ["fixmedins_code", $inst],
        ["fixmedins_name", "昆明市测试医院"], ["sign_no", $sign]);
    sub env { my %skip = map { $_ => 1 } @_;
        join(",", map { "\"$_->[0]\":\"$_->[1]\"" } grep { !$skip{$_->[0]} } @m) }
    my ($infno, $t) = ($ENV{INFNO}, $ENV{TEXT});
    $t = "{\"infno\":\"$infno\"," . env("infno") . ",\"input\":$t}"
        if $infno ne "*";
    $t =~ s/\@ENV((?:-[a-z_]+)*)\@/env(grep { length } split(m{-}, $1))/ge;
    $t =~ s/\@SIGN\@/$sign/g; $t =~ s/\@INST\@/$inst/g;
    $t =~ s/\@PSN\@/$psn/g; $t =~ s/\@CERT\@/$cert/g;
    $t =~ s/\@MDTRT\@/$mdtrt/g; $t =~ s/\@MSGID\@/$msgid/g;
    $t =~ s/(?<!\\)\\x([0-9A-Fa-f]{2})/chr(hex($1))/ge;
    print $t;
'

# body INFNO TEXT: the body of a request into stdout, with the next msgid.
body() {
    SERIAL=$((SERIAL + 1))
    INFNO=$1 TEXT=$2 CAINFO=$SECRET NOW=$(printf '%(%Y-%m-%d %H:%M:%S)T' -1) perl -e "$MKBODY" \
        "$(printf '%s%s%04d' "$INST" "$STAMP" "$SERIAL")" "$SIGN" "$INST" \
        "${PSN:-}" "${CERT:-}" "${MDTRT:-}"
}

# post FILE: POST a body file; the answer in $OUT, the status in $STATUS.
post() {
    STATUS=$(curl -s -o "$OUT" -w '%{http_code}' --data-binary "@$1" \
        -H 'Content-Type: application/json' "$URL")
}

# call INFNO INPUT: a valid envelope around INPUT.
call() {
    body "$1" "$2" >"$TMP/body"
    post "$TMP/body"
}

SIGN=""
call 9001 "{\"signIn\":{\"opter_no\":\"001\",\"mac\":\"00-1A\",\"ip\":\"10.0.0.8\"}}"
expect_jq "9001 signs in" .infcode 0
SIGN=$(jq -r .output.signinoutb.sign_no "$OUT")
read -r PSN CERT <<<"$(sqlite3 -separator ' ' "$DB" "SELECT e.psn_no, p.certno FROM enrolment e JOIN person p USING (psn_no) WHERE e.year = 2018 AND e.status = 'covered' AND e.covered_from <= '2018-06-01' ORDER BY e.psn_no LIMIT 1")"
call 2201 "{\"data\":{\"psn_no\":\"$PSN\",\"insutype\":\"390\",\"begntime\":\"2018-06-01 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERT\",\"ipt_otp_no\":\"MZ0001\"}}"
expect_jq "2201 registers a visit" .infcode 0
MDTRT=$(jq -r .output.data.mdtrt_id "$OUT")

# Every table's row count, one line each: what a refused request must
# leave as it is.
COUNT_SQL=$(sqlite3 "$DB" "SELECT group_concat('SELECT ''' || name || ' '' || count(*) FROM \"' || name || '\"', ' UNION ALL ') FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'lookup_audit'")
counts() { sqlite3 "$DB" "$COUNT_SQL"; }
counts >"$TMP/counts.before"
# the lookup audit is stored by the writer a little later (and at the
# latest when the server stops): it is checked at the end, by msgid
STRICT_JSON='
import json, sys
def pairs(kv):
    keys = [k for k, _ in kv]
    if len(set(keys)) != len(keys):
        raise ValueError("a key twice")
    for k in keys:
        text(k)
    return dict(kv)
def text(v):
    if isinstance(v, str) and any(c == "\0" or 0xD800 <= ord(c) <= 0xDFFF for c in v):
        raise ValueError("NUL or a lone surrogate")
def walk(v):
    if isinstance(v, dict):
        for x in v.values():
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
    else:
        text(v)
def no_const(c):
    raise ValueError(c)
try:
    raw = open(sys.argv[1], "rb").read().decode("utf-8")
    walk(json.loads(raw, object_pairs_hook=pairs, parse_constant=no_const))
except Exception:
    sys.exit(1)
'
AUDIT_FROM=$(sqlite3 "$DB" "SELECT COALESCE(max(id), 0) FROM lookup_audit")
: >"$TMP/audit.want"

# ---- the corpus ----------------------------------------------------------------
N=0
BAD=0
while IFS=$'\t' read -r code path infno input; do
    [[ -z $code || $code == \#* ]] && continue
    N=$((N + 1))
    body "$infno" "$input" >"$TMP/case.body"
    if [[ $infno == 1101 && $path == input.* ]] &&
        python3 -c "$STRICT_JSON" "$TMP/case.body"; then
        printf '%s%s%04d -1 %d\n' "$INST" "$STAMP" "$SERIAL" "$code" >>"$TMP/audit.want"
    fi
    post "$TMP/case.body"
    what="case $N ($code $path $infno)"
    problems=()
    [ "$STATUS" = 200 ] || problems+=("HTTP $STATUS")
    iconv -f UTF-8 -t UTF-8 "$OUT" >/dev/null 2>&1 || problems+=("the answer is not UTF-8")
    if ! jq -e . "$OUT" >/dev/null 2>&1; then
        problems+=("the answer is not JSON: $(head -c 300 "$OUT")")
    else
        infcode=$(jq -r .infcode "$OUT")
        msg=$(jq -r .err_msg "$OUT")
        printf -v want '[YB%04d] ' "$code"
        [ "$infcode" = "-1" ] || problems+=("infcode $infcode")
        [[ $msg == "$want"* ]] || problems+=("not $want: $msg")
        rest=${msg#"$want"}
        if [ "$path" != "-" ]; then
            if [[ $rest != "$path: "* ]]; then
                problems+=("not the path $path: $msg")
            else
                rest=${rest#"$path: "}
                n=$(grep -oF -- "$path" <<<"$msg" | wc -l)
                [ "$n" -eq 1 ] || problems+=("the path $n times: $msg")
            fi
        fi
        # a Chinese character before any ASCII letter
        perl -CSD -ne 'exit(/^[^A-Za-z\p{Han}]*\p{Han}/ ? 0 : 1)' <<<"$rest" ||
            problems+=("not Chinese first: $msg")
    fi
    counts >"$TMP/counts.after"
    if ! cmp -s "$TMP/counts.before" "$TMP/counts.after"; then
        problems+=("it wrote: $(diff "$TMP/counts.before" "$TMP/counts.after" | grep '^>' | tr '\n' ' ' || true)")
        cp "$TMP/counts.after" "$TMP/counts.before"
    fi
    if [ ${#problems[@]} -eq 0 ]; then
        PASSES=$((PASSES + 1))
    else
        BAD=$((BAD + 1))
        fail "$what: ${problems[*]}"
    fi
done <"$CORPUS"
echo "# $N hostile requests, $BAD answered wrongly"
expect_eq "the corpus holds at least 150 requests" 1 "$([ "$N" -ge 150 ] && echo 1)"
expect_eq "the server is still up" '{"status":"ok"}' "$(curl -s "http://127.0.0.1:$PORT/healthz")"
kill -TERM "$SERVER"
wait "$SERVER" || true
sqlite3 -separator ' ' "$DB" "SELECT msgid, infcode, err_code FROM lookup_audit WHERE id > $AUDIT_FROM ORDER BY id" >"$TMP/audit.got"
expect_eq "1101 refused for its input: one lookup_audit row each, with its code ($(wc -l <"$TMP/audit.want") rows)" \
    "$(cat "$TMP/audit.want")" "$(cat "$TMP/audit.got")"
# The call log: a line a call, valid UTF-8 however hostile the request
expect_eq "the call log has a line for every call" 1 \
    "$([ "$(grep -c ' infcode=' "$TMP/calls.log")" -ge "$N" ] && echo 1)"
expect_eq "the call log is UTF-8" 0 \
    "$(iconv -f UTF-8 -t UTF-8 "$TMP/calls.log" >/dev/null 2>&1; echo $?)"
finish
