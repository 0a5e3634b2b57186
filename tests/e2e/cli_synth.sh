#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: `yibao synth` writes a synthetic region of 1,000 persons.
# Asserts the printed summary, every file's header, row counts with the
# exact figures of seed 7, a constant field count per row, CRLF line ends,
# byte-identical output for the same seed and different output for
# another, and that bad options exit 2 naming the option and the value.
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

run help synth
expect_ok "help synth"
expect_eq "help synth shows the usage" \
    "usage: yibao synth --persons N --year Y --seed S --out DIR" "$(head -n 1 "$OUT")"

finish
