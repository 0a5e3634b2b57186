#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: `yibao synth` writes a synthetic region of 1,000 persons.
# Asserts the printed summary, every file's header, row counts with the
# exact figures of seed 7, a constant field count per row, CRLF line ends,
# byte-identical output for the same seed and different output for
# another, and that bad options exit 2 naming the option and the value.
# Without --year the region is of the current year; public institutions'
# agreements are open-ended; under --policy the payments follow the
# policy's tiers and assistance, and `yibao pay import` under the same
# policy accepts every row.
source "$(dirname "$0")/lib.sh"

OUTDIR=$TMP/region

# rows FILE: data rows (the header not counted)
rows() {
    echo $(($(wc -l <"$OUTDIR/$1") - 1))
}

run synth --persons 1000 --year 2024 --seed 7 --out "$OUTDIR"
expect_ok "synth writes a region of 1,000 persons"
expect_eq "summary names seed, year, region and directory" \
    "yibao synth: seed 7, year 2024, region 530100 -> $OUTDIR" "$(head -n 1 "$OUT")"

# ---- headers ----------------------------------------------------------------
declare -A HEADER=(
    [regions.csv]="admdvs,name,level,parent"
    [institutions.csv]="fixmedins_code,fixmedins_name,hosp_lv,inst_type,public_flag,admdvs,begndate,enddate"
    [schools.csv]="school_code,school_name,school_type,admdvs"
    [catalogue.csv]="med_list_codg,med_list_name,list_type,chrgitm_lv,selfpay_prop,pric_uplmt_amt,begndate,enddate,lmt_gend,lmt_age_min,lmt_age_max"
    [households.csv]="household_id,head_certno,members,admdvs,addr,area_type"
    [persons.csv]="certno,psn_cert_type,psn_name,gend,brdy,naty,household_id,relation,admdvs,psn_type,student_flag,school_code,residence_permit"
    [identities.csv]="certno,psn_idet_type,begndate,enddate,source"
    [payments.csv]="certno,year,tier,amount,paid_at,channel,receipt_no"
    [visits.csv]="mdtrt_id,certno,insutype,fixmedins_code,med_type,hosp_lv,insuplc_admdvs,mdtrtarea_admvs,begntime,endtime,dise_codg,chronic_dise_codg,matn_type,medfee_sumamt"
    [fee_lines.csv]="mdtrt_id,feedetl_sn,med_list_codg,fee_ocur_time,cnt,pric,det_item_fee_sumamt"
)
# ---- exact counts of seed 7 (also printed in the summary) -----------------
declare -A COUNT=(
    [regions.csv]=16 [institutions.csv]=73 [schools.csv]=29
    [catalogue.csv]=50000 [households.csv]=355 [persons.csv]=1000
    [identities.csv]=47 [payments.csv]=981 [visits.csv]=2996
    [fee_lines.csv]=12884
)
for f in regions.csv institutions.csv schools.csv catalogue.csv \
    households.csv persons.csv identities.csv payments.csv visits.csv \
    fee_lines.csv; do
    if [ ! -f "$OUTDIR/$f" ]; then
        fail "$f exists"
        continue
    fi
    expect_eq "$f header" "${HEADER[$f]}" "$(head -n 1 "$OUTDIR/$f" | tr -d '\r')"
    expect_eq "$f rows" "${COUNT[$f]}" "$(rows "$f")"
    expect_eq "$f rows in the summary" "$f ${COUNT[$f]} rows" \
        "$(grep "^$f " "$OUT" | tr -s ' ')"
    expect_eq "$f lines all end in CRLF" "0" \
        "$(grep -vc $'\r$' "$OUTDIR/$f" || true)"
    expect_eq "$f rows all have the header's field count" "0" \
        "$(tr -d '\r' <"$OUTDIR/$f" | awk -F, 'NR == 1 { n = NF } NF != n { bad++ } END { print bad + 0 }')"
done
expect_eq "hardship and unpaid persons in the summary" \
    "hardship persons 46 (4.6%)|unpaid persons 47" \
    "$(grep -E '^(hardship|unpaid)' "$OUT" | tr -s ' ' | paste -sd '|')"
expect_eq "bytes written is the size of the files" \
    "$(cat "$OUTDIR"/*.csv | wc -c)" "$(awk '/^bytes written/ { print $3 }' "$OUT")"

# ---- content spot checks ------------------------------------------------------
expect_eq "the pooling region is Kunming under Yunnan" "530100,昆明市,city,530000" \
    "$(sed -n 3p "$OUTDIR/regions.csv" | tr -d '\r')"
expect_eq "every visit is in 2024" "0" \
    "$(tail -n +2 "$OUTDIR/visits.csv" | cut -d, -f10 | grep -vc '^2024-' || true)"
expect_eq "fee lines refer to visits in the visits file" "0" \
    "$(comm -13 <(tail -n +2 "$OUTDIR/visits.csv" | cut -d, -f1 | sort -u) \
        <(tail -n +2 "$OUTDIR/fee_lines.csv" | cut -d, -f1 | sort -u) | wc -l)"
expect_eq "amounts carry two decimals" "0" \
    "$(tail -n +2 "$OUTDIR/fee_lines.csv" | tr -d '\r' | cut -d, -f7 | grep -vcE '^[0-9]+\.[0-9]{2}$' || true)"

# ---- determinism --------------------------------------------------------------
run synth --persons 1000 --year 2024 --seed 7 --out "$TMP/again"
expect_ok "the same seed again"
expect_eq "the same seed gives byte-identical files" "" \
    "$(for f in "$OUTDIR"/*.csv; do cmp -s "$f" "$TMP/again/${f##*/}" || echo "${f##*/}"; done)"
run synth --persons 1000 --year 2024 --seed 8 --out "$TMP/other" --region=530100
expect_ok "another seed"
if cmp -s "$OUTDIR/persons.csv" "$TMP/other/persons.csv"; then
    fail "another seed gives other persons"
else
    pass "another seed gives other persons"
fi

# ---- bad options: exit 2, the option and the value named ------------------------
run synth --persons 0 --year 2024 --seed 7 --out "$TMP/bad"
expect_error "zero persons" 2 "--persons" "0 不在 1 至 20000000 之间"
run synth --persons 12x --year 2024 --seed 7 --out "$TMP/bad"
expect_error "persons not a number" 2 "--persons" '"12x"'
run synth --persons 10 --year 2015 --seed 7 --out "$TMP/bad"
expect_error "year before 2016" 2 "--year" "2015"
run synth --persons 10 --year 2024 --seed -3 --out "$TMP/bad"
expect_error "negative seed" 2 "--seed" '"-3"'
run synth --persons 10 --year 2024 --seed 7 --out "$TMP/bad" --region 530102
expect_error "a county is not a pooling region" 2 "--region" '"530102"'
run synth --persons 10 --year 2024 --seed 7 --out "$TMP/bad" --region 5301
expect_error "a short region code" 2 "--region" '"5301"'
run synth --persons 10 --year 2024 --seed 7 --out "$TMP/bad" --catalogue 10
expect_error "a catalogue too small" 2 "--catalogue" "10"
run synth --persons 10 --year 2024 --seed 7
expect_error "no output directory" 2 "--out" "is required"
run synth --persons 10 --year 2024 --seed 7 --out "$TMP/bad" --people 3
expect_error "an unknown option" 2 "--people" "unknown option"
run synth --persons 10 --year 2024 --seed 7 --out
expect_error "an option without its value" 2 "--out" "needs a value"
run synth --persons 10 --year 2024 --seed 7 --out /dev/null/region
expect_error "an output directory that cannot be made" 1 "--out" "/dev/null/region"
if [ -e "$TMP/bad" ]; then
    fail "refused options write nothing"
else
    pass "refused options write nothing"
fi

# ---- agreements ------------------------------------------------------------------
expect_eq "the city's first hospital has an open-ended agreement" \
    "H53010200001,昆明市第一人民医院,3,hospital,1,530102,2019-01-01," \
    "$(grep '^H53010200001,' "$OUTDIR/institutions.csv" | tr -d '\r')"
expect_eq "every public institution's agreement is open-ended" "0 50" \
    "$(tr -d '\r' <"$OUTDIR/institutions.csv" | awk -F, 'NR > 1 && $5 == 1 { n++; if ($8 != "") bad++ } END { print bad + 0, n + 0 }')"
expect_eq "private agreements end in 2024..2026" "0" \
    "$(tr -d '\r' <"$OUTDIR/institutions.csv" | awk -F, 'NR > 1 && $5 == 0 && ($8 < "2024-01-01" || $8 > "2026-12-31") { bad++ } END { print bad + 0 }')"

# ---- the current year by default ------------------------------------------------
Y0=$(date +%Y)
run synth --persons 100 --seed 7 --out "$TMP/now"
Y1=$(date +%Y) # the same year unless the clock passed a New Year meanwhile
expect_ok "synth without --year"
YEAR=$(sed -n 's/^yibao synth: seed 7, year \([0-9]*\), region 530100 -> .*/\1/p' "$OUT")
if [ "$YEAR" = "$Y0" ] || [ "$YEAR" = "$Y1" ]; then
    pass "without --year the coverage year is the current year ($YEAR)"
else
    fail "without --year: expected year $Y0, got [$(head -n 1 "$OUT")]"
fi
expect_eq "payments are for the current year" "0" \
    "$(tail -n +2 "$TMP/now/payments.csv" | cut -d, -f2 | grep -vc "^$YEAR\$" || true)"
expect_eq "visits happen in the current year" "0" \
    "$(tail -n +2 "$TMP/now/visits.csv" | cut -d, -f9 | grep -vc "^$YEAR-" || true)"

# ---- contributions under a policy -------------------------------------------------
ND=policies/national-default-2018.json
run synth --persons 1000 --seed 7 --policy "$ND" --out "$TMP/nd"
expect_ok "synth --policy"
expect_eq "the policy's coverage year by default" \
    "yibao synth: seed 7, year 2018, region 530100 -> $TMP/nd" "$(head -n 1 "$OUT")"
# one tier of 220.00; 特困 in full, 低保 and registered poor 150.00, the
# severely disabled 50%
expect_eq "payments by tier, amount and payer" \
    "1 110.00 assistance 7|1 110.00 own 7|1 150.00 assistance 27|1 220.00 assistance 3|1 220.00 own 916|1 70.00 own 27" \
    "$(tail -n +2 "$TMP/nd/payments.csv" | tr -d '\r' | awk -F, '{ print $3, $4, ($6 == "assistance" ? "assistance" : "own") }' | sort | uniq -c | awk '{ print $2, $3, $4, $1 }' | paste -sd '|')"
run init --db "$TMP/nd.db"
import_region "$TMP/nd" "$TMP/nd.db" region institution school household person identity
run pay import --db "$TMP/nd.db" --policy "$ND" "$TMP/nd/payments.csv"
expect_eq "pay import under the same policy accepts every row" \
    "payment import $TMP/nd/payments.csv: job 7, 987 rows: 987 ok, 0 bad" \
    "$(head -n 1 "$OUT" | sed 's/ ([0-9.]* s)$//')"
# two tiers and assistance by shares: the tier-2 households pay 420.00
DR=policies/demo-region-2018.json
run synth --persons 1000 --seed 7 --policy "$DR" --out "$TMP/dr"
expect_eq "tier 2 under a two-tier policy" "tier 2: 420.00 x 80" \
    "$(tail -n +2 "$TMP/dr/payments.csv" | awk -F, '$3 == 2 { n++; a[$4] } END { for (k in a) print "tier 2: " k " x " n }')"
run init --db "$TMP/dr.db"
import_region "$TMP/dr" "$TMP/dr.db" region institution school household person identity
run pay import --db "$TMP/dr.db" --policy "$DR" "$TMP/dr/payments.csv"
expect_eq "pay import under the two-tier policy accepts every row" "0 bad" \
    "$(head -n 1 "$OUT" | sed 's/ ([0-9.]* s)$//; s/.*ok, //')"
run synth --persons 10 --year 2019 --seed 7 --policy "$ND" --out "$TMP/bad"
expect_error "a policy of another year" 2 "--policy" "政策年度 2018 与生成年度 2019 不符"
run synth --persons 10 --seed 7 --policy policies/e6-city-pre2019.json --out "$TMP/bad"
expect_error "a policy without financing" 2 "--policy" "financing"
run synth --persons 10 --seed 7 --policy "$TMP/none.json" --out "$TMP/bad"
expect_error "a policy file that does not exist" 1 "$TMP/none.json"
if [ -e "$TMP/bad" ]; then
    fail "refused policies write nothing"
else
    pass "refused policies write nothing"
fi

run help synth
expect_ok "help synth"
expect_eq "help synth shows the usage" \
    "usage: yibao synth --persons N --seed S --out DIR [--year Y]" "$(head -n 1 "$OUT")"

finish
