#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: the policy set through `yibao policy import|list|show|diff`
# on a real SQLite file, with exact output. A (tests/data/cli/policy.json,
# 330200, 2023) and B, its revision from 1 July (a higher band rate and a
# higher critical-illness deductible), are imported as versions 1 and 2;
# importing A again adds nothing; an import with a bad file imports none
# of its files; the list, one version, the version in force on a day (A
# until 30 June, B from 1 July; none in 2024), and the diff of versions
# and files. Then the commands of a coverage year without --policy: a
# person enrols under the set's 2018 version, no 2019 version is refused,
# subsidy compute names the version's policy, and a set of two regions
# needs --region.
source "$(dirname "$0")/lib.sh"

A=$DATA/policy.json
B=$TMP/b.json
DB=$TMP/set.db
NAME_A=$(jq -r .name "$A")
NAME_B="测试市2023年下半年（修订）"
jq --arg n "$NAME_B" '.name = $n | .valid_from = "2023-07-01"
    | .benefits.layers[0].rates.rules[0].bands[1].rate = "85%"
    | .benefits.layers[1].deductible.rules[0].amount = "6000.00"' "$A" > "$B"
digest() { b2sum -l 256 "$1" | cut -c1-"${2:-64}"; }

# ---- import -----------------------------------------------------------------
run policy import --db "$DB" --actor alice "$A" "$B"
expect_eq "two files, two versions" \
    "导入 imported version 1: 330200 390 2023 2023-01-01..2023-12-31 $NAME_A (blake2b $(digest "$A" 12))|导入 imported version 2: 330200 390 2023 2023-07-01..2023-12-31 $NAME_B (blake2b $(digest "$B" 12))" \
    "$(paste -sd '|' "$OUT")"
AT=$(sqlite3 "$DB" "SELECT imported_at FROM policy_version WHERE id = 1")
run policy import --db "$DB" "$A"
expect_eq "the same text again is the same version" \
    "已有 unchanged version 1: 330200 390 2023 2023-01-01..2023-12-31 $NAME_A (blake2b $(digest "$A" 12)), imported by alice at $AT" \
    "$(cat "$OUT")"
jq '.benefits.layers[0].rates.rules[0].bands[1].rate = "105%"' "$A" > "$TMP/bad.json"
jq '.name = "第三版"' "$A" > "$TMP/c.json"
run policy import --db "$DB" "$TMP/c.json" "$TMP/bad.json"
expect_error "a bad file is refused" 2 \
    "yibao: $TMP/bad.json: benefits.layers[0].rates.rules[0].bands[1].rate: 比例 105% 超过 100% (above 100%)"
expect_eq "and nothing of the command is imported" "2 2" \
    "$(sqlite3 -separator ' ' "$DB" "SELECT count(*), MAX(id) FROM policy_version")"
run policy import --db "$DB" "$TMP/missing.json"
expect_error "a missing file" 1 "$TMP/missing.json"
run policy import "$A"
expect_error "import needs --db" 1 "--db FILE is required"
expect_eq "the import's audit row names the digest" "alice policy.import $(digest "$A")" \
    "$(sqlite3 -separator ' ' "$DB" "SELECT actor, action, detail FROM audit WHERE action = 'policy.import' ORDER BY id LIMIT 1")"

# ---- list -------------------------------------------------------------------
HEAD="版本 id 统筹区 region 险种 insutype 年度 year 有效期 valid            摘要 digest   导入 imported                   名称 name"
run policy list --db "$DB"
expect_eq "the list" \
    "$HEAD|1       330200        390           2023      2023-01-01..2023-12-31  $(digest "$A" 12)  alice $AT       $NAME_A|2       330200        390           2023      2023-07-01..2023-12-31  $(digest "$B" 12)  alice $AT       $NAME_B" \
    "$(paste -sd '|' "$OUT")"
run policy list --db "$DB" --region 330200 --insutype 390 --year 2023
expect_eq "the list of a region, type and year" 3 "$(wc -l <"$OUT")"
LONG=$(printf '经办人%.0s' $(seq 30))
run policy import --db "$TMP/long.db" --actor "$LONG" "$A"
run policy list --db "$TMP/long.db"
expect_eq "a long name is listed whole" 1 "$(grep -cF "$LONG $(sqlite3 "$TMP/long.db" "SELECT imported_at FROM policy_version")" "$OUT")"
run policy list --db "$DB" --year 2024
expect_eq "an empty list" "没有政策版本 no policy versions" "$(cat "$OUT")"
run policy list --db "$DB" --year 20x4
expect_error "a bad year" 2 "yibao: --year: \"20x4\" 不是年度 (not a year)"

# ---- show -------------------------------------------------------------------
show_head() { # show_head ID NAME FROM EVENT DIGEST
    printf '政策版本 version   %s|统筹区 region      330200|险种 insutype      390|年度 year          2023|有效期 valid       %s..2023-12-31|名称 name          %s|导入 imported      alice %s (event %s)|摘要 blake2b-256   %s|原文 text as imported:' \
        "$1" "$3" "$2" "$AT" "$4" "$5"
}
EV1=$(sqlite3 "$DB" "SELECT event_id FROM policy_version WHERE id = 1")
EV2=$(sqlite3 "$DB" "SELECT event_id FROM policy_version WHERE id = 2")
run policy show --db "$DB" 1
expect_eq "show 1: the version" "$(show_head 1 "$NAME_A" 2023-01-01 "$EV1" "$(digest "$A")")" \
    "$(head -n 9 "$OUT" | paste -sd '|')"
expect_eq "show 1: then the text as imported" "$(cat "$A")" "$(sed -n '10,$p' "$OUT")"
run policy show --db "$DB" --region 330200 --date 2023-06-30
expect_eq "in force on 30 June: A" \
    "在 2023-06-30 有效 in force on 2023-06-30: 统筹区 330200 险种 390|$(show_head 1 "$NAME_A" 2023-01-01 "$EV1" "$(digest "$A")")" \
    "$(head -n 10 "$OUT" | paste -sd '|')"
run policy show --db "$DB" --region 330200 --date 2023-07-01 --insutype 390
expect_eq "in force on 1 July: B, imported later" \
    "在 2023-07-01 有效 in force on 2023-07-01: 统筹区 330200 险种 390|$(show_head 2 "$NAME_B" 2023-07-01 "$EV2" "$(digest "$B")")" \
    "$(head -n 10 "$OUT" | paste -sd '|')"
expect_eq "B's text as imported" "$(cat "$B")" "$(sed -n '11,$p' "$OUT")"
run policy show --db "$DB" --region 330200 --date 2024-01-01
expect_error "no policy in force" 2 \
    "yibao: policy: 统筹区 330200 在 2024-01-01 没有有效的待遇政策 (no policy in force)"
run policy show --db "$DB" 9
expect_error "an unknown version" 2 \
    "yibao: policy_version: 政策版本 9 不存在 (no such policy version)"
run policy show --db "$DB" --region 330200 --date 2023-02-30
expect_error "a bad date" 2 "yibao: --date: "
run policy show --db "$DB"
expect_error "show needs an id or a day" 1 "give a version ID, or --region R and --date D"
run policy show --db "$DB" --date 2023-07-01
expect_error "--date needs --region" 1 "--region and --date go together"

# ---- diff -------------------------------------------------------------------
CHANGES="name: $NAME_A → $NAME_B|benefits.layers[inpatient].rates.rules[0].bands[1].rate: 80% → 85%|benefits.layers[critical].deductible.rules[0].amount: 5000.00 → 6000.00|valid_from: 新增 added 2023-07-01|4 处不同 differences"
run policy diff --db "$DB" 1 2
expect_eq "diff of two versions" \
    "--- 政策版本 version 1 $NAME_A (330200 390 2023, 2023-01-01..2023-12-31)|+++ 政策版本 version 2 $NAME_B (330200 390 2023, 2023-07-01..2023-12-31)|$CHANGES" \
    "$(paste -sd '|' "$OUT")"
run policy diff "$A" "$B"
expect_eq "diff of two files, no database" "--- $A|+++ $B|$CHANGES" "$(paste -sd '|' "$OUT")"
run policy diff --db "$DB" 2 "$B"
expect_eq "a version and a file" "相同 no differences" "$(sed -n 3p "$OUT")"
run policy diff 1 "$B"
expect_error "a version id needs --db" 2 "yibao: 1: 政策版本号需要 --db"
echo '{"name": ' > "$TMP/broken.json"
run policy diff "$A" "$TMP/broken.json"
expect_error "a side that is not JSON" 2 "yibao: $TMP/broken.json: "
run policy diff "$A"
expect_error "diff needs two sides" 1 "name A and B"

# ---- a coverage year's commands without --policy ---------------------------
CSV=$TMP/csv
RDB=$TMP/region.db
run synth --persons 30 --year 2018 --seed 9 --out "$CSV"
run init --db "$RDB"
import_region "$CSV" "$RDB" region school household person identity
run enrol --db "$RDB" --year 2018 --person "$(sed -n 2p "$CSV/persons.csv" | cut -d, -f1)"
expect_error "no policy in the set yet" 2 "yibao: policy: 数据库中还没有待遇政策"
run policy import --db "$RDB" tests/data/enrol/synth-2018.json
CERT=$(sed -n 2p "$CSV/persons.csv" | cut -d, -f1)
run enrol --db "$RDB" --year 2018 --person "$CERT"
expect_eq "enrol under the set's 2018 version" 0 "$RC"
expect_eq "the enrolment" "1 2018 530100" \
    "$(sqlite3 -separator ' ' "$RDB" "SELECT count(*), year, admdvs FROM enrolment e JOIN person p USING (psn_no) WHERE p.certno = '$CERT'")"
run enrol --db "$RDB" --year 2019 --person "$CERT"
# (the day named is today brought into 2019: 1 January or 31 December)
expect_error "no version for 2019" 2 "yibao: policy: 统筹区 530100 在 2019-" \
    "没有 2019 年度有效的待遇政策 (no policy of coverage year 2019 in force)"
run enrol --db "$RDB" --year 2018 --person "$CERT" --policy "$A" --region 530100
expect_error "--region is not for --policy" 1 "not with --policy"
run subsidy compute --db "$RDB" --year 2018
expect_eq "subsidy compute names the set's version" \
    "财政补助测算 subsidy  530100 2018  $(jq -r .name tests/data/enrol/synth-2018.json)" \
    "$(head -n 1 "$OUT")"
run subsidy compute --db "$RDB" --year 2018 --region 5301
expect_error "a bad region" 2 "yibao: --region: \"5301\" 不是6位统筹区编码"
run policy import --db "$RDB" "$A"
run subsidy compute --db "$RDB" --year 2018
expect_error "two regions in the set: name one" 1 \
    "yibao: --region: 政策库中有 2 个统筹区 (330200 ... 530100)"
run subsidy compute --db "$RDB" --year 2018 --region 530100 --format json
expect_jq "--region picks one" '"\(.region) \(.year)"' "530100 2018"
run pay import --db "$RDB" "$CSV/payments.csv"
expect_error "pay import needs --policy or --year" 1 "--policy FILE or --year Y is required"

finish
