#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: exports in the import formats import again unchanged
# (catalogue with its versions, institutions), --on keeps the versions
# valid on a day, and bad options are refused naming the option.
source "$(dirname "$0")/lib.sh"

"$YIBAO" synth --persons 300 --year 2018 --seed 11 --out "$TMP/csv" >/dev/null
DB=$TMP/a.db
DB2=$TMP/b.db
"$YIBAO" init --db "$DB" >/dev/null
"$YIBAO" catalogue import --db "$DB" "$TMP/csv/catalogue.csv" >/dev/null 2>&1
"$YIBAO" institution import --db "$DB" "$TMP/csv/institutions.csv" >/dev/null 2>&1

run catalogue export --db "$DB" --out "$TMP/cat1.csv"
expect_eq "catalogue export exits 0" 0 "$RC"
expect_eq "catalogue export counts every version" "catalogue export: 50000 rows" "$(cat "$ERR")"
expect_eq "catalogue export has a header and 50000 rows" 50001 "$(wc -l < "$TMP/cat1.csv")"

"$YIBAO" init --db "$DB2" >/dev/null
"$YIBAO" catalogue import --db "$DB2" "$TMP/cat1.csv" >/dev/null 2>&1
run catalogue export --db "$DB2" --out "$TMP/cat2.csv"
if cmp -s "$TMP/cat1.csv" "$TMP/cat2.csv"; then
    pass "a re-imported catalogue exports byte for byte the same"
else
    fail "a re-imported catalogue exports differently"
fi

# versions valid on a day: the rows whose begndate <= day <= enddate
day=2018-06-01
want=$(awk -F, -v d=$day 'NR > 1 && $7 <= d && ($8 == "" || $8 >= d)' "$TMP/cat1.csv" | wc -l)
run catalogue export --db "$DB" --on $day --out "$TMP/cat3.csv"
expect_eq "--on keeps the versions valid that day" "$want" "$(($(wc -l < "$TMP/cat3.csv") - 1))"
[ "$want" -lt 50000 ] && pass "some versions are not valid on $day" || fail "no version was filtered"

run institution export --db "$DB"
expect_eq "institution export exits 0" 0 "$RC"
expect_eq "institution export equals the imported file's rows" \
    "$(($(wc -l < "$TMP/csv/institutions.csv")))" "$(wc -l < "$OUT")"
expect_eq "institution export starts with the import header" \
    "fixmedins_code,fixmedins_name,hosp_lv,inst_type,public_flag,admdvs,begndate,enddate" \
    "$(head -n 1 "$OUT" | tr -d '\r')"

run catalogue export --db "$DB" --on 2018-02-30
expect_error "an impossible --on date is refused" 2 "--on" "2018-02-30"
run catalogue export --db "$DB" --bogus
expect_error "an unknown option is refused" 1 "--bogus"
run catalogue export
expect_error "--db is required" 1 "--db"

finish
