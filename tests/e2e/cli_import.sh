#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: `yibao person import` of 100,000 persons written by `yibao
# synth`, with exactly 1% of the rows broken by awk in five known ways
# (200 each): a wrong check character, an impossible birth date, an empty
# name, a duplicated ID number (the row above copied) and a residence code
# that is no region. Asserts the exact counts (99,000 ok, 1,000 bad), that
# the bad rows listed — on stdout and in import_error — are exactly the
# broken line numbers with the right field and message, that the 99,000
# good rows are in the database with every column as written, that every
# person has its event and audit row, and that the audit chain verifies.
# Needs the sqlite3 command-line shell (scripts/deps.sh installs it).
# Usage: bash tests/e2e/cli_import.sh /path/to/yibao
source "$(dirname "$0")/lib.sh"
if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "sqlite3 is required (Debian package sqlite3; make test installs it)" >&2
    exit 1
fi

N=100000
DB=$TMP/import.db
REGION=$TMP/region
CSV=$TMP/persons.csv
export LC_ALL=C

q() { sqlite3 -batch -noheader "$DB" "$@"; }
q_h() { sqlite3 -batch -noheader "$TMP/hostile.db" "$@"; }

run synth --persons $N --year 2024 --seed 11 --catalogue 1000 --out "$REGION"
expect_ok "synth writes 100,000 persons"
expect_eq "persons.csv has 100,000 rows" "$N" $(($(wc -l <"$REGION/persons.csv") - 1))
rm -f "$REGION"/{visits,fee_lines,payments,catalogue}.csv # 160 MB we do not need

# ---- break 1,000 rows -------------------------------------------------------
# Lines 52, 152, ..., 99952 (k = 0..999), every hundredth data row, so the
# row above a broken row is never broken itself. Kind k % 5. expected.txt
# gets "line field" per broken row, messages.txt "line|field|value|message"
# (DUP for a duplicate, whose message names a person number awk cannot
# know: the database is asked for it below).
awk -F, -v OFS=, -v expf="$TMP/expected.txt" -v msgf="$TMP/messages.txt" '
function mask(id) { return substr(id, 1, 6) "********" substr(id, 15, 4) }
NR >= 52 && (NR - 52) % 100 == 0 {
    k = (NR - 52) / 100
    t = k % 5
    if (t == 0) {        # wrong check character
        c = substr($1, 18, 1)
        $1 = substr($1, 1, 17) (c == "0" ? "1" : "0")
        f = "certno"; v = mask($1)
        m = "证件号码 \"" mask($1) "\" 校验位错误，应为 " c " (wrong check character)"
    } else if (t == 1) { # impossible birth date
        $5 = substr($5, 1, 4) "-02-30"
        f = "brdy"; v = $5; m = "日期 \"" $5 "\" 不存在 (not a real date)"
    } else if (t == 2) { # empty name
        $3 = ""
        f = "psn_name"; v = ""; m = "必填，不能为空 (required)"
    } else if (t == 3) { # the ID number (the whole row) of the row above
        $0 = prev
        f = "certno"; v = mask($1); m = "DUP"
    } else {             # a residence code that is no region
        $9 = "990102"
        f = "admdvs"; v = $9; m = "行政区划代码无效：\"990102\" (not a region code)"
    }
    print NR " " f > expf
    print NR "|" f "|" v "|" m > msgf
}
{ prev = $0; print }' "$REGION/persons.csv" >"$CSV"
expect_eq "1,000 rows broken" "1000" "$(wc -l <"$TMP/expected.txt")"
expect_eq "1,000 lines differ from synth's" "1000" \
    "$(diff "$REGION/persons.csv" "$CSV" | grep -c '^>' || true)"
expect_eq "the file keeps its length" "$((N + 1))" "$(wc -l <"$CSV")"

# ---- import -------------------------------------------------------------------
run init --db "$DB"
expect_ok "init"
run region import --db "$DB" "$REGION/regions.csv"
expect_eq "regions import" "0 region import $REGION/regions.csv: job 1, 16 rows: 16 ok, 0 bad" \
    "$RC $(head -n 1 "$OUT" | sed 's/ ([0-9.]* s)$//')"

t0=$(date +%s%N)
run person import --db "$DB" "$CSV" --errors 1000
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
echo "# person import: $N rows in ${ms} ms ($((N * 1000 / (ms > 0 ? ms : 1))) rows/s)"
expect_eq "person import exits 0" "0" "$RC"
expect_eq "exact counts" "person import $CSV: job 2, 100000 rows: 99000 ok, 1000 bad" \
    "$(head -n 1 "$OUT" | sed 's/ ([0-9.]* s)$//')"
expect_eq "stdout lists the first 1,000 bad rows" "bad rows (first 1000):" \
    "$(sed -n 2p "$OUT")"
expect_eq "the listed bad lines and fields are exactly the broken ones" "" \
    "$(diff <(tail -n +3 "$OUT" |
        sed -E 's/^  第 ([0-9]+) 行 line ([0-9]+): ([a-z_]+) = .*/\2 \3/') \
        "$TMP/expected.txt" | head -n 5)"
expect_eq "import_error holds exactly the broken lines and fields" "" \
    "$(diff <(q "SELECT line || ' ' || field FROM import_error WHERE job_id = 2 ORDER BY line") \
        "$TMP/expected.txt" | head -n 5)"
expect_eq "the job is done with the exact counts" "done|100000|99000|1000" \
    "$(q "SELECT status, rows_done, rows_ok, rows_bad FROM import_job WHERE id = 2")"

# ---- the messages ---------------------------------------------------------------
expect_eq "every bad row has its exact field, value and message" "" \
    "$(diff <(q "SELECT line, field, value, CASE WHEN message LIKE '证件号码 ' ||
               value || ' 已登记为 5301000000000%(registered already)' THEN
               'DUP' ELSE message END
               FROM import_error WHERE job_id = 2 ORDER BY line") \
        "$TMP/messages.txt" | head -n 5)"
expect_eq "every ID number in import_error is masked (the messages: above)" \
    "400|0" "$(q "SELECT count(*), sum(substr(value, 7, 8) <> '********')
                FROM import_error WHERE job_id = 2 AND field = 'certno'")"
expect_eq "200 rows of each kind of damage" "admdvs 200|brdy 200|certno 400|psn_name 200" \
    "$(q "SELECT field || ' ' || count(*) FROM import_error WHERE job_id = 2
          GROUP BY field ORDER BY field" | paste -sd '|')"

# ---- the good rows, as written ---------------------------------------------------
awk -F, -v OFS='|' 'NR > 1 && !(NR >= 52 && (NR - 52) % 100 == 0) {
    print $1, $3, $4, $5, $9 }' "$REGION/persons.csv" | sort >"$TMP/good.txt"
q "SELECT certno, psn_name, gend, brdy, resd_admdvs FROM person" | sort >"$TMP/db.txt"
expect_eq "99,000 good rows in the file" "99000" "$(wc -l <"$TMP/good.txt")"
expect_eq "the database holds exactly the good rows, every column as written" "" \
    "$(diff "$TMP/good.txt" "$TMP/db.txt" | head -n 5)"
expect_eq "person numbers are dense: bad rows used none" \
    "99000|53010000000000000001|53010000000000099000" \
    "$(q "SELECT count(*), min(psn_no), max(psn_no) FROM person")"

# ---- events and the audit chain ------------------------------------------------
expect_eq "every person has its event and audit row" "0" \
    "$(q "SELECT count(*) FROM person p WHERE NOT EXISTS
          (SELECT 1 FROM event v WHERE v.id = p.event_id) OR NOT EXISTS
          (SELECT 1 FROM audit a WHERE a.event_id = p.event_id)")"
expect_eq "every event has exactly one opening audit row" "0" \
    "$(q "SELECT count(*) FROM event v WHERE (SELECT count(*) FROM audit a
          WHERE a.event_id = v.id AND a.action = v.kind) <> 1")"
run audit verify --db "$DB"
expect_ok "audit verify"
expect_eq "the chain covers every audit row" \
    "audit chain intact: $(q "SELECT count(*) FROM audit") rows" "$(cat "$OUT")"

# ---- running the same file again ----------------------------------------------------
run person import --db "$DB" "$CSV" --errors 0
expect_eq "the same file again: every good row is now a duplicate" \
    "0 person import $CSV: job 3, 100000 rows: 0 ok, 100000 bad" \
    "$RC $(head -n 1 "$OUT" | sed 's/ ([0-9.]* s)$//')"
expect_eq "and the registry is unchanged" "99000" "$(q "SELECT count(*) FROM person")"

# ---- hostile files ----------------------------------------------------------------
# A file from Chinese Windows in GBK, read with --encoding gbk; the same
# bytes without it are not UTF-8 and each row is refused naming the column.
# A row with a broken quote, one with a quote never closed (the rows after
# it still import), one with a field too many, one with an empty required
# gend. A header without gend refuses the file naming the column.
HDB=$TMP/hostile.db
run init --db "$HDB"
run region import --db "$HDB" "$REGION/regions.csv"
printf 'certno,psn_name,gend,brdy,admdvs\r\n%s\r\n%s\r\n' \
    "530102198605120813,张伟,1,1986-05-12,530102" \
    "530102199003150024,王芳,2,1990-03-15,530102" | iconv -f UTF-8 -t GBK >"$TMP/gbk.csv"
run person import --db "$HDB" "$TMP/gbk.csv"
expect_eq "without --encoding a GBK file is refused row by row" \
    "0 person import $TMP/gbk.csv: job 2, 2 rows: 0 ok, 2 bad" \
    "$RC $(head -n 1 "$OUT" | sed 's/ ([0-9.]* s)$//')"
expect_eq "naming the column that is not UTF-8" "2" \
    "$(grep -c 'psn_name = "": 第 [23] 行第 2 列不是合法的 UTF-8 文本' "$OUT")"
run person import --db "$HDB" --encoding gbk "$TMP/gbk.csv"
expect_eq "with --encoding gbk it imports" \
    "0 person import $TMP/gbk.csv: job 3, 2 rows: 2 ok, 0 bad" \
    "$RC $(head -n 1 "$OUT" | sed 's/ ([0-9.]* s)$//')"
expect_eq "the names read from GBK" "张伟|王芳" \
    "$(q_h "SELECT group_concat(psn_name, '|') FROM (SELECT psn_name FROM person ORDER BY psn_no)")"
printf '%s\r\n' 'certno,psn_name,gend,brdy,admdvs' \
    '530102200002290047,陈静,2,2000-02-29,530102' \
    '530302197511110012,"李"强,1,1975-11-11,530302' \
    '530112201001010039,张小明,1,2010-01-01,530112,extra' \
    '530102198001010015,刘洋,,1980-01-01,530102' \
    '530102198001030016,"赵六,1,1980-01-03,530102' \
    '530102198001050017,钱七,1,1980-01-05,530102' >"$TMP/hostile.csv"
run person import --db "$HDB" "$TMP/hostile.csv"
expect_eq "bad rows are refused one by one, the rest import" \
    "0 person import $TMP/hostile.csv: job 4, 6 rows: 2 ok, 4 bad" \
    "$RC $(head -n 1 "$OUT" | sed 's/ ([0-9.]* s)$//')"
expect_eq "each refusal names its line and reason, IDs masked" \
    "  第 3 行 line 3:  = \"\": 第 3 行引号不成对或引号后有多余字符 (malformed quoting: error parsing data while strict checking enabled)
  第 4 行 line 4:  = \"\": 第 4 行有 6 个字段，表头有 5 个 (6 fields, the header has 5)
  第 5 行 line 5: gend = \"\": 必填，不能为空 (required)
  第 6 行 line 6:  = \"\": 第 6 行起的引号字段没有结束 (unterminated quoted field)" \
    "$(tail -n +3 "$OUT")"
expect_eq "the good rows are in" "陈静|钱七" \
    "$(q_h "SELECT group_concat(psn_name, '|') FROM (SELECT psn_name FROM person WHERE psn_name IN ('陈静', '钱七') ORDER BY psn_no)")"
printf 'certno,psn_name,brdy,admdvs\r\n530102200002290047,陈静,2000-02-29,530102\r\n' >"$TMP/nogend.csv"
run person import --db "$HDB" "$TMP/nogend.csv"
expect_error "a header without gend refuses the file" 2 "gend" "缺少必需的列 gend"
run person import --db "$HDB" --encoding latin1 "$TMP/nogend.csv"
expect_error "an unknown encoding is refused" 2 "encoding" "未知的编码"

# 17 files in one run: refused as a whole (16 were imported and the 17th
# silently left out before), nothing written
printf 'certno,psn_name,gend,brdy,admdvs\r\n530102200002290047,陈静,2,2000-02-29,530102\r\n' >"$TMP/one.csv"
many=()
for k in $(seq 17); do cp "$TMP/one.csv" "$TMP/one$k.csv"; many+=("$TMP/one$k.csv"); done
run person import --db "$TMP/many.db" "${many[@]}"
expect_error "17 files in one run are refused" 1 "一次最多导入 16 个文件"
expect_eq "and nothing was created" 0 "$([ -e "$TMP/many.db" ] && echo 1 || echo 0)"

finish
