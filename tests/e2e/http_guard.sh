#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: the hospital server's guards, against a real `yibao serve`
# and a SQLite file (a synthetic region of the current year):
#  1. writing calls that are not signed in (no, an unknown or a wrong
#     sign_no, a wrong credential, an unknown institution) are refused on
#     the connection thread: the writer never runs a batch (its line is
#     missing from the log) and nothing is written;
#  2. the call log takes infno, institution and msgid from the parsed
#     request (a body with a space after each colon), escapes a value with
#     a newline, and never shows a sign_no;
#  3. 1101 per institution: a burst of 3 at 1 a second, the 4th refused;
#     another institution has its own; every lookup let through is stored
#     in lookup_audit and listed by `yibao audit lookups`;
#  4. connection exhaustion (default limits, --request-timeout 2): 200
#     idle connections from one address, 30 slow senders from another and
#     1,100 idle ones from a third (the old server stopped accepting at
#     1,020); meanwhile the 201st connection of the first address gets 503
#     and a hospital from another address is served; every hostile
#     connection is closed within 4 s;
#  5. --max-conns 20: 20 idle connections fill it, the 21st gets 503, and
#     once they are gone the server serves again.
# Bounded: each flood holds its connections for at most 5 s.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }
FLOOD=${3:?usage: bash $0 YIBAO FIXTURE CONN_FLOOD}

YEAR=$(date +%Y)
DB=$TMP/guard.db
INST=H53010200001
OTHER=H53010200002
POLICY=tests/data/enrol/synth-2018.json

small_region "$DB" "$INST" "$OTHER"
SECRET=$(cat "$TMP/secret.$INST")
OTHER_SECRET=$(cat "$TMP/secret.$OTHER")
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT

SERIAL=0
# mkbody INFNO INPUT [SIGN_NO] [CAINFO] [INST]: an envelope with the next
# msgid into $TMP/body.
mkbody() {
    SERIAL=$((SERIAL + 1))
    local inst=${5:-$INST}
    hosp_envelope "$1" "$2" "${3:-}" "${4:-}" "$inst" \
        "$(printf '%s20261122100000%04d' "$inst" "$SERIAL")" > "$TMP/body"
}
# post FILE [CURL-ARG...]: the answer in $OUT, the HTTP status in $STATUS.
post() {
    local f=$1
    shift
    STATUS=$(curl -s -m 10 -o "$OUT" -w '%{http_code}' --data-binary "@$f" \
        "$@" "$URL" || true)
}
call() {
    mkbody "$@"
    post "$TMP/body"
}
stop_server() {
    kill -TERM "$SERVER"
    wait "$SERVER" || true
}
LOOKUP="{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERTNO\"}}"
REGISTER="{\"data\":{\"psn_no\":\"$PSN_NO\",\"insutype\":\"390\",\"begntime\":\"$YEAR-01-02 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERTNO\",\"ipt_otp_no\":\"G1\"}}"

# ---- 1. writing calls that are not signed in never reach the writer ----------
start_server "$DB" "$POLICY" --log "$TMP/calls1.log"
# counted once the server is up: serve --policy imports the policy into the
# set (an event) before it listens
EVENTS=$(sqlite3 "$DB" "SELECT count(*) FROM event")
for k in 1 2 3 4 5; do
    call 2201 "$REGISTER"
    expect_refused "2201 without a sign_no ($k)" "[YB0015]" "sign_no" "未签到"
done
call 2201 "$REGISTER" "0123456789abcdef0123456789abcd"
expect_refused "2201 with an unknown sign_no" "[YB0015]" "签到编号不存在"
call 9001 '{"signIn":{"opter_no":"001"}}' "" "not-the-credential"
expect_refused "9001 with a wrong credential" "[YB0015]" "cainfo" "接口凭证不正确"
call 9001 '{"signIn":{"opter_no":"001"}}' "" "$SECRET" H53019999999
expect_refused "9001 of an unknown institution" "[YB0005]" "fixmedins_code" "H53019999999"
call 9002 '{"signOut":{}}'
expect_refused "9002 without a sign_no" "[YB0015]" "未签到"
call 2207 "{\"data\":{\"psn_no\":\"$PSN_NO\"}}" "0123456789abcdef0123456789abcd"
expect_refused "2207 with an unknown sign_no" "[YB0015]" "sign_no"
stop_server
expect_eq "the writer never ran a batch (no writer line in the log)" 0 \
    "$(grep -c '^writer:' "$TMP/calls1.log" || true)"
expect_eq "ten refused calls, ten log lines" 10 \
    "$(grep -c ' infcode=-1 ' "$TMP/calls1.log" || true)"
expect_eq "nothing written: no message, no session, no event" "0 0 $EVENTS" \
    "$(sqlite3 -separator ' ' "$DB" "SELECT (SELECT count(*) FROM message), (SELECT count(*) FROM sign_session), (SELECT count(*) FROM event)")"

# ---- 2. the call log ----------------------------------------------------------
start_server "$DB" "$POLICY" --log "$TMP/calls2.log" --lookup-rate 1 --lookup-burst 3
call 9001 '{"signIn":{"opter_no":"001"}}' "" "$SECRET"
expect_jq "9001 signs in" .infcode 0
SIGN=$(jq -r .output.signinoutb.sign_no "$OUT")
mkbody 1101 "$LOOKUP" "$SIGN"
jq . "$TMP/body" > "$TMP/spaced.body" # "key": value, one a line
expect_eq "the body has a space after each colon" 1 \
    "$(grep -c '"infno": "1101"' "$TMP/spaced.body")"
LOOKUP_MSGID=$(jq -r .msgid "$TMP/body")
post "$TMP/spaced.body"
expect_jq "1101 with a spaced body" .infcode 0
expect_eq "the log reads infno, institution and msgid from the parsed request" 1 \
    "$(grep -c "infno=1101 inst=$INST msgid=$LOOKUP_MSGID infcode=0 " "$TMP/calls2.log" || true)"
LINES=$(wc -l < "$TMP/calls2.log")
mkbody 1101 "$LOOKUP" "$SIGN"
jq -c '.msgid = "x\ninfno=2207 infcode=0 1.0ms"' "$TMP/body" > "$TMP/forged.body"
post "$TMP/forged.body"
expect_refused "a msgid with a newline" "[YB0002]" "msgid"
expect_eq "a forged value makes one log line, not two" $((LINES + 1)) \
    "$(wc -l < "$TMP/calls2.log")"
expect_eq "its newline and spaces are escaped" 1 \
    "$(grep -cF 'msgid=x\x0ainfno=2207\x20infcode=0\x201.0ms infcode=-1 ' "$TMP/calls2.log" || true)"
expect_eq "no line starts with the forged field" 0 \
    "$(grep -c '^infno=2207' "$TMP/calls2.log" || true)"
call 2201 "$REGISTER" "${SIGN:0:29}x"
expect_refused "a wrong sign_no is refused without repeating it" "签到编号不存在"
expect_eq "the sign_no is nowhere in the log" 0 \
    "$(grep -c "${SIGN:0:20}" "$TMP/calls2.log" || true)"

# ---- 3. 1101: a rate per institution, and every lookup audited ----------------
# the other institution's first four lookups, on one connection within a
# second: the bucket holds 3
call 9001 '{"signIn":{"opter_no":"002"}}' "" "$OTHER_SECRET" "$OTHER"
OTHER_SIGN=$(jq -r .output.signinoutb.sign_no "$OUT")
args=()
for k in 1 2 3 4; do
    mkbody 1101 "$LOOKUP" "$OTHER_SIGN" "" "$OTHER"
    cp "$TMP/body" "$TMP/l$k.body"
    [ $k -gt 1 ] && args+=(--next)
    args+=(-s -o "$TMP/l$k.out" --data-binary "@$TMP/l$k.body" "$URL")
done
curl "${args[@]}"
expect_eq "a burst of 3: the 4th lookup is refused" "0 0 0 -1" \
    "$(for k in 1 2 3 4; do jq -r .infcode "$TMP/l$k.out"; done | xargs)"
cp "$TMP/l4.out" "$OUT"
expect_refused "its refusal names the limit" "[YB0015]" "infno" \
    "机构 $OTHER 的人员信息查询超过每秒 1 次（连续至多 3 次）的限额"
call 1101 "$LOOKUP" "$SIGN"
expect_jq "another institution has its own bucket" .infcode 0
call 1101 '{"data":{"mdtrt_cert_type":"02","mdtrt_cert_no":"530102199001011231"}}' "$SIGN"
expect_refused "a lookup of nobody" "[YB0005]"
call 1101 "$LOOKUP"
expect_refused "an unsigned lookup" "[YB0015]" "未签到"
sleep 0.5 # the checkpointer asks the writer to store them every 50 ms
expect_eq "the lookups are stored while the server runs" 6 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM lookup_audit")"
stop_server
expect_eq "the log's last line counts them" 1 \
    "$(grep -c '1101: 1 over the rate, 0 with the audit queue full, 6 audited, 6 stored, 0 lost' "$TMP/calls2.log" || true)"
MASKED=${CERTNO:0:6}********${CERTNO:14}
run audit lookups --db "$DB" --inst "$INST"
expect_ok "audit lookups lists an institution's"
expect_eq "$INST's three: whom (found, or nobody masked), the operator, the result" \
    "$PSN_NO|02|$MASKED|001|张三|0|0;$PSN_NO|02|$MASKED|001|张三|0|0;|02|530102********1231|001|张三|-1|5" \
    "$(awk -F'\t' 'NR > 1 { print $7 "|" $8 "|" $9 "|" $3 "|" $4 "|" $10 "|" $11 }' "$OUT" | paste -sd';')"
expect_eq "the first is the spaced one, by its msgid" "$LOOKUP_MSGID" \
    "$(awk -F'\t' 'NR == 2 { print $6 }' "$OUT")"
run audit lookups --db "$DB" --inst "$OTHER"
expect_eq "the other's three, not the one over the rate" \
    "$OTHER $PSN_NO 0;$OTHER $PSN_NO 0;$OTHER $PSN_NO 0" \
    "$(awk -F'\t' 'NR > 1 { print $2, $7, $10 }' "$OUT" | paste -sd';')"
FIRST_DAY=$(sqlite3 "$DB" "SELECT substr(min(at), 1, 10) FROM lookup_audit")
LAST_DAY=$(sqlite3 "$DB" "SELECT substr(max(at), 1, 10) FROM lookup_audit")
run audit lookups --db "$DB" --psn "$PSN_NO" --from "$FIRST_DAY" --to "$LAST_DAY"
expect_eq "by person and days: five" 5 "$(($(wc -l < "$OUT") - 1))"
run audit lookups --db "$DB" --psn "$PSN_NO" --to 2000-01-01
expect_eq "none before 2000" 0 "$(($(wc -l < "$OUT") - 1))"

# ---- 4. connection exhaustion --------------------------------------------------
start_server "$DB" "$POLICY" --log "$TMP/calls4.log" --request-timeout 2
call 9001 '{"signIn":{"opter_no":"001"}}' "" "$SECRET"
SIGN=$(jq -r .output.signinoutb.sign_no "$OUT")
"$FLOOD" "$PORT" 5 idle 127.0.0.2 200 slow 127.0.0.3 30 > "$TMP/flood1" &
FLOODER=$!
for _ in $(seq 100); do grep -q ready "$TMP/flood1" && break; sleep 0.05; done
T0=$(date +%s%N)
mkbody 1101 "$LOOKUP" "$SIGN"
post "$TMP/body" --interface 127.0.0.2
expect_eq "the 201st connection from one address: HTTP 503" 503 "$STATUS"
expect_refused "an envelope saying why" "[YB0012]" "来自同一地址的连接数已达上限 200" "too many connections from this address"
mkbody 1101 "$LOOKUP" "$SIGN"
post "$TMP/body"
expect_jq "meanwhile a hospital from another address is served" .infcode 0
expect_eq "at once (within 2 s)" 1 "$(( ($(date +%s%N) - T0) / 1000000 < 2000 ))"
wait $FLOODER
read -r _ _ _ _ o1 _ r1 _ c1 _ a1 _ open1 _ ms1 <<<"$(grep 'GROUP idle' "$TMP/flood1")"
read -r _ _ _ _ o2 _ r2 _ c2 _ a2 _ open2 _ ms2 <<<"$(grep 'GROUP slow' "$TMP/flood1")"
expect_eq "200 idle connections were all opened, and all closed by the server" \
    "200 0 200 0" "$o1 $r1 $c1 $open1"
expect_eq "30 slow senders were all opened, closed, never answered" \
    "30 0 30 0 0" "$o2 $r2 $c2 $a2 $open2"
expect_eq "each within 4 s of its opening (idle ${ms1} ms, slow ${ms2} ms)" 1 \
    "$(( ms1 < 4000 && ms2 < 4000 && ms2 >= 1900 ))"
# the old limit: 1,020 idle connections shut everyone out
"$FLOOD" "$PORT" 4 idle 127.0.0.4 1100 > "$TMP/flood2" &
FLOODER=$!
for _ in $(seq 200); do grep -q ready "$TMP/flood2" && break; sleep 0.05; done
mkbody 1101 "$LOOKUP" "$SIGN"
T0=$(date +%s%N)
post "$TMP/body"
expect_jq "with 1,100 more idle connections a hospital is still served" .infcode 0
expect_eq "at once (within 2 s, not when the flood gives up)" 1 \
    "$(( ($(date +%s%N) - T0) / 1000000 < 2000 ))"
wait $FLOODER
read -r _ _ _ _ o3 _ r3 _ c3 _ a3 _ open3 _ ms3 <<<"$(grep 'GROUP idle' "$TMP/flood2")"
expect_eq "every one of the 1,100 was refused or closed within 4 s" "1100 0" \
    "$((r3 + c3)) $open3"
mkbody 1101 "$LOOKUP" "$SIGN"
post "$TMP/body" --interface 127.0.0.2
expect_jq "the first address is served again" .infcode 0
stop_server
read -r REFUSED TIMED <<<"$(sed -n 's/^guard: \([0-9]*\) connections refused (503), \([0-9]*\) closed at their deadline.*/\1 \2/p' "$TMP/calls4.log")"
expect_eq "the log counts the 503 and the connections closed at their deadline" 1 \
    "$(( REFUSED >= 1 && TIMED >= 230 ))"

# ---- 5. the server full ----------------------------------------------------------
start_server "$DB" "$POLICY" --max-conns 20 --request-timeout 10
"$FLOOD" "$PORT" 3 idle 127.0.0.2 20 > "$TMP/flood3" &
FLOODER=$!
for _ in $(seq 100); do grep -q ready "$TMP/flood3" && break; sleep 0.05; done
mkbody 1101 "$LOOKUP" "$SIGN"
post "$TMP/body"
expect_eq "the 21st connection: HTTP 503" 503 "$STATUS"
expect_refused "the server is full" "[YB0012]" "服务器连接数已达上限 20" "too many connections"
wait $FLOODER
call 9001 '{"signIn":{"opter_no":"001"}}' "" "$SECRET"
expect_jq "once they are gone the server serves again" .infcode 0
stop_server

finish
