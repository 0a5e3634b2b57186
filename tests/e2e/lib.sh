# SPDX-License-Identifier: Apache-2.0
# Helpers shared by the end-to-end tests of the yibao command (sourced by
# cli_*.sh, not a test itself). Each test runs the real binary, keeps its
# stdout, stderr and exit code, and asserts exact figures with jq.
# Usage of a test: bash tests/e2e/cli_settle.sh /path/to/yibao (from the
# repository root, as tests/e2e/meson.build runs it).
set -euo pipefail

YIBAO=${1:?usage: bash $0 /path/to/yibao}
if ! command -v jq >/dev/null 2>&1; then
    echo "jq is required (Debian package jq; make test installs it)" >&2
    exit 1
fi
DATA=tests/data/cli
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASSES=0
FAILS=0
RC=0
OUT=$TMP/out
ERR=$TMP/err

pass() {
    PASSES=$((PASSES + 1))
    printf 'ok   %s\n' "$1"
}

fail() {
    FAILS=$((FAILS + 1))
    printf 'FAIL %s\n' "$1"
    if [ -s "$ERR" ]; then
        sed 's/^/     stderr: /' "$ERR"
    fi
}

# run ARGS...: run yibao; stdout in $OUT, stderr in $ERR, exit code in $RC.
run() {
    set +e
    "$YIBAO" "$@" >"$OUT" 2>"$ERR"
    RC=$?
    set -e
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
    if [ "$2" == "$3" ]; then
        pass "$1"
    else
        fail "$1: expected [$2], got [$3]"
    fi
}

# yuan JQPATH [FILE]: the amount at JQPATH as yuan with two decimals
# ("13160.00"), computed in fen so no rounding of the reader shows.
yuan() {
    local fen
    fen=$(jq -r "($1) as \$v | if \$v == null then \"null\" else (\$v * 100 | round) end" \
        "${2:-$OUT}" 2>/dev/null) || fen=unreadable
    if ! [[ $fen =~ ^-?[0-9]+$ ]]; then
        echo "${fen:-unreadable}"
    else
        printf '%d.%02d' $((fen / 100)) $((fen % 100))
    fi
}

# expect_yuan NAME JQPATH EXPECTED [FILE]
expect_yuan() {
    expect_eq "$1" "$3" "$(yuan "$2" "${4:-$OUT}")"
}

# expect_wire NAME KEY EXPECTED [FILE]: the first number written for KEY
# in the JSON text, as written ("0.7000": jq would print 0.7).
expect_wire() {
    local got
    got=$(grep -oE "\"$2\":[[:space:]]*-?[0-9.]+" "${4:-$OUT}" | head -n 1 |
        sed 's/.*:[[:space:]]*//')
    expect_eq "$1" "$3" "${got:-(no $2)}"
}

# expect_jq NAME JQFILTER EXPECTED [FILE]: jq -r output must equal EXPECTED.
expect_jq() {
    local got
    got=$(jq -r "$2" "${4:-$OUT}" 2>/dev/null) || got="(jq failed on the output)"
    expect_eq "$1" "$3" "$got"
}

# expect_ok NAME: the last run succeeded, printed something, said nothing.
expect_ok() {
    if [ "$RC" -eq 0 ] && [ -s "$OUT" ] && [ ! -s "$ERR" ]; then
        pass "$1: exit 0"
    else
        fail "$1: expected exit 0 with output and no stderr, got exit $RC"
    fi
}

# expect_error NAME CODE NEEDLE...: the last run exited with CODE, printed
# nothing on stdout, and its stderr is one "yibao: " line containing every
# NEEDLE (fixed strings).
expect_error() {
    local name=$1 code=$2 needle ok=1
    shift 2
    if [ "$RC" -ne "$code" ]; then
        fail "$name: expected exit $code, got $RC"
        return
    fi
    if [ -s "$OUT" ]; then
        fail "$name: stdout is not empty"
        return
    fi
    if ! head -n 1 "$ERR" | grep -q '^yibao: '; then
        fail "$name: stderr does not start with \"yibao: \""
        return
    fi
    for needle in "$@"; do
        if ! grep -qF -- "$needle" "$ERR"; then
            fail "$name: stderr lacks [$needle]"
            ok=0
        fi
    done
    if [ $ok -eq 1 ]; then
        pass "$name: exit $code, $(head -c 160 "$ERR" | head -n 1)"
    fi
}

# start_server DB POLICY [ARG...]: `yibao serve` on a free port in the
# background (its stdout in $TMP/serve.out, stderr in $TMP/serve.err, any
# further arguments passed on); sets SERVER (its pid), PORT and URL (the
# call address) once it prints where it listens.
start_server() {
    local db=$1 policy=$2
    shift 2
    "$YIBAO" serve --db "$db" --listen 127.0.0.1:0 --policy "$policy" "$@" \
        >"$TMP/serve.out" 2>"$TMP/serve.err" &
    SERVER=$!
    for _ in $(seq 100); do
        grep -q 'listening on' "$TMP/serve.out" 2>/dev/null && break
        sleep 0.1
    done
    PORT=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$TMP/serve.out")
    URL=http://127.0.0.1:$PORT/fsi/api/rsfComIfsService/callService
}

# import_region CSV DB KIND...: import the CSV file of each kind of a
# synthetic region (`yibao synth --out CSV`) into DB, one check each.
import_region() {
    local csv=$1 db=$2 kind file
    shift 2
    for kind in "$@"; do
        case $kind in
        identity) file=identities.csv ;;
        catalogue) file=catalogue.csv ;;
        *) file=${kind}s.csv ;;
        esac
        run "$kind" import --db "$db" "$csv/$file"
        expect_eq "$kind import" 0 "$RC"
    done
}

# expect_refused NAME NEEDLE...: the answer in $OUT is an envelope with
# infcode -1 and an err_msg holding every needle (the hospital interface).
expect_refused() {
    local name=$1 needle ok=1 msg
    shift
    msg=$(jq -r .err_msg "$OUT" 2>/dev/null || echo "(not JSON)")
    if [ "$(jq -r .infcode "$OUT" 2>/dev/null)" != "-1" ]; then
        fail "$name: expected infcode -1, got $(head -c 200 "$OUT")"
        return
    fi
    for needle in "$@"; do
        if [[ $msg != *"$needle"* ]]; then
            fail "$name: err_msg [$msg] lacks [$needle]"
            ok=0
        fi
    done
    [ $ok -eq 1 ] && pass "$name: $msg"
    return 0
}

# note_nulls BODY [ANSWER]: remember, in $TMP/nulls, every null in an
# interface answer (ANSWER, default $OUT) with the infno of BODY: no field
# of any answer may be null (an HIS reads amounts into non-nullable
# decimals). expect_no_nulls checks the list at the end.
note_nulls() {
    local paths
    paths=$(jq -c '[paths(. == null) | map(tostring) | join(".")]' "${2:-$OUT}" 2>/dev/null) || return 0
    if [ "$paths" != "[]" ]; then
        echo "$(jq -r .infno "$1" 2>/dev/null) $paths" >> "$TMP/nulls"
    fi
    return 0
}
expect_no_nulls() {
    expect_eq "no field of any answer is null" "" "$(cat "$TMP/nulls" 2>/dev/null)"
}

# finish: summary line; the test fails when any check failed.
finish() {
    echo "$PASSES passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}

# hosp_region CSV DB POLICY ROW...: the synthetic region of 2018 (200
# persons, seed 9) written to CSV and imported into a new DB with its
# payments under POLICY, then the institutions of the CSV rows ROW
# (fixmedins_code,fixmedins_name,hosp_lv,inst_type,public_flag,admdvs,
# begndate,enddate); SECRET gets the first row's institution's credential.
hosp_region() {
    local csv=$1 db=$2 policy=$3
    shift 3
    run synth --persons 200 --year 2018 --seed 9 --out "$csv"
    expect_ok "synth writes the region"
    run init --db "$db"
    import_region "$csv" "$db" region institution school household person identity catalogue
    run pay import --db "$db" --policy "$policy" "$csv/payments.csv"
    expect_eq "payments import" 0 "$RC"
    { echo 'fixmedins_code,fixmedins_name,hosp_lv,inst_type,public_flag,admdvs,begndate,enddate'
      printf '%s\n' "$@"; } >"$TMP/inst.csv"
    run institution import --db "$db" "$TMP/inst.csv"
    expect_eq "the test institutions import" 0 "$RC"
    run institution credential --db "$db" --code "${1%%,*}"
    expect_ok "a credential is issued"
    SECRET=$(cat "$OUT")
}

# hosp_envelope INFNO INPUT SIGN_NO CAINFO INST MSGID: a national envelope
# (one line) on stdout, for the hospital interface tests.
hosp_envelope() {
    jq -cn --arg infno "$1" --argjson input "$2" --arg sign "$3" \
        --arg ca "$4" --arg inst "$5" --arg msgid "$6" \
        --arg now "$(printf '%(%Y-%m-%d %H:%M:%S)T' -1)" \
        '{infno: $infno, msgid: $msgid, mdtrtarea_admvs: "530102",
          insuplc_admdvs: "", recer_sys_code: "YBXT", infver: "V1.0",
          opter_type: "1", opter: "001", opter_name: "张三",
          inf_time: $now, fixmedins_code: $inst,
          fixmedins_name: "甲医院", sign_no: $sign, cainfo: $ca,
          input: $input}'
}

# small_region DB INST...: a synthetic region of the current year (20
# persons; regions, schools, households, persons) in a new DB, and each
# institution INST (agreement from 2018, open-ended) with a credential in
# $TMP/secret.INST. Sets CERTNO and PSN_NO to the first person's.
small_region() {
    local db=$1 inst
    shift
    run synth --persons 20 --year "$(date +%Y)" --seed 4 --out "$TMP/csv"
    expect_ok "synth writes a region of $(date +%Y)"
    run init --db "$db"
    import_region "$TMP/csv" "$db" region school household person
    printf 'fixmedins_code,fixmedins_name,hosp_lv,inst_type,public_flag,admdvs,begndate,enddate\n' \
        > "$TMP/inst.csv"
    for inst in "$@"; do
        printf '%s,医院%s,3,hospital,1,530102,2018-01-01,\n' "$inst" "$inst" >> "$TMP/inst.csv"
    done
    run institution import --db "$db" "$TMP/inst.csv"
    expect_eq "institutions import" 0 "$RC"
    for inst in "$@"; do
        run institution credential --db "$db" --code "$inst"
        cp "$OUT" "$TMP/secret.$inst"
    done
    CERTNO=$(sed -n 2p "$TMP/csv/persons.csv" | cut -d, -f1)
    PSN_NO=$(sqlite3 "$db" "SELECT psn_no FROM person WHERE certno = '$CERTNO'")
}
