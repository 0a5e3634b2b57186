#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: `yibao settle` refuses bad input. Each case starts from the
# valid fixture in tests/data/cli, breaks one thing with jq, and asserts
# the exit code exactly (2 refused input, 1 I/O or usage), an empty
# stdout, and one stderr line naming the field path and the value.
source "$(dirname "$0")/lib.sh"

POLICY=$DATA/policy.json
VISIT=$DATA/visit.json
CATALOGUE=$DATA/catalogue.json

# bad_visit NAME JQ NEEDLE...: settle the fixture visit changed by JQ.
bad_visit() {
    local name=$1 filter=$2
    shift 2
    jq "$filter" "$VISIT" >"$TMP/visit.json"
    run settle --policy "$POLICY" --visit "$TMP/visit.json" --catalogue "$CATALOGUE"
    expect_error "$name" 2 "$@"
}

# bad_policy NAME JQ NEEDLE...: settle the fixture under a changed policy.
bad_policy() {
    local name=$1 filter=$2
    shift 2
    jq "$filter" "$POLICY" >"$TMP/policy.json"
    run settle --policy "$TMP/policy.json" --visit "$VISIT" --catalogue "$CATALOGUE"
    expect_error "$name" 2 "$@"
}

# bad_accums NAME TEXT NEEDLE...: settle the fixture with these accumulators.
bad_accums() {
    local name=$1
    printf '%s' "$2" >"$TMP/accums.json"
    shift 2
    run settle --policy "$POLICY" --visit "$VISIT" --catalogue "$CATALOGUE" \
        --accumulators "$TMP/accums.json"
    expect_error "$name" 2 "$@"
}

# the fixture itself is fine, so every failure below is the change's
run settle --policy "$POLICY" --visit "$VISIT" --catalogue "$CATALOGUE"
expect_ok "the unchanged fixture settles"

# ---- malformed documents --------------------------------------------------
printf '{"person": {"psn_no": "1",' >"$TMP/broken.json"
run settle --policy "$POLICY" --visit "$TMP/broken.json"
expect_error "malformed visit JSON" 2 "$TMP/broken.json" "not valid JSON" "line 1"
run settle --policy "$TMP/broken.json" --visit "$VISIT"
expect_error "malformed policy JSON" 2 "$TMP/broken.json" "not valid JSON"
run settle --policy "$POLICY" --visit "$VISIT" --catalogue "$TMP/broken.json"
expect_error "malformed catalogue JSON" 2 "$TMP/broken.json" "not valid JSON"
printf '{"person": {}} trailing' >"$TMP/trailing.json"
run settle --policy "$POLICY" --visit "$TMP/trailing.json"
expect_error "text after the JSON value" 2 "$TMP/trailing.json" "text after the JSON value"
printf '[1, 2]' >"$TMP/array.json"
run settle --policy "$POLICY" --visit "$TMP/array.json"
expect_error "visit that is not an object" 2 "$TMP/array.json" "must be a JSON object"

# ---- unknown codes ----------------------------------------------------------
bad_visit "unknown item code under a rejecting policy" \
    '.feedetail[1].med_list_codg = "NOPE0001"' "feedetail[1].med_list_codg" '"NOPE0001"'
bad_visit "item outside its catalogue validity" \
    '.feedetail[0].med_list_codg = "XO05OOO001A001010100001"' \
    "feedetail[0].med_list_codg" "XO05OOO001A001010100001"
bad_visit "unknown med_type" '.mdtrt.med_type = "99"' "mdtrt.med_type" '"99"'
bad_visit "unknown med_type as a number" '.mdtrt.med_type = 99' "mdtrt.med_type" "99"
bad_visit "unknown hospital level" '.mdtrt.hosp_lv = "4"' "mdtrt.hosp_lv" '"4"'
bad_visit "unknown psn_type" '.person.psn_type = "1999"' "person.psn_type" '"1999"'
bad_visit "unknown gend" '.person.gend = "3"' "person.gend" '"3"'
bad_visit "unknown identity" '.person.idet = ["201", "3001"]' "person.idet[1]" '"3001"'
bad_visit "a four-character identity code of old" '.person.idet = ["2001"]' "person.idet[0]" \
    '已停用，请改用 "201"（特困人员）'
bad_visit "unknown catalogue class" '.catalogue[0].chrgitm_lv = "04"' "catalogue[0].chrgitm_lv" '"04"'
bad_visit "unknown catalogue list type" '.catalogue[0].list_type = "999"' "catalogue[0].list_type" '"999"'
bad_visit "unknown key in a fee line" '.feedetail[2].bogus = 1' "feedetail[2].bogus: 未知的键名"
bad_visit "unknown top-level key" '.extra = {}' "extra: 未知的键名"

# ---- amounts ------------------------------------------------------------------
bad_visit "negative amount" '.feedetail[0].det_item_fee_sumamt = "-5.00"' \
    "feedetail[0].det_item_fee_sumamt" '"-5.00"' "negative"
bad_visit "negative amount as a number" '.feedetail[0].det_item_fee_sumamt = -5' \
    "feedetail[0].det_item_fee_sumamt" "-5" "negative"
bad_visit "negative quantity" '.feedetail[3].cnt = "-2"' "feedetail[3].cnt" '"-2"' "negative"
bad_visit "zero quantity" '.feedetail[3].cnt = 0' "feedetail[3].cnt" "0" "not positive"
bad_visit "negative price" '.feedetail[3].pric = "-1"' "feedetail[3].pric" '"-1"' "negative"
bad_visit "fractional fen" '.feedetail[0].det_item_fee_sumamt = "12.345"' \
    "feedetail[0].det_item_fee_sumamt" "12.345" "decimals"
bad_visit "fractional fen as a JSON number" '.feedetail[0].det_item_fee_sumamt = 12.345' \
    "feedetail[0].det_item_fee_sumamt" "12.345" "decimals"
bad_visit "quantity with five decimals" '.feedetail[0].cnt = "1.00001"' "feedetail[0].cnt" "1.00001"
bad_visit "price with seven decimals" '.feedetail[0].pric = "1.1234567"' "feedetail[0].pric" "1.1234567"
bad_visit "amount that is not a number" '.feedetail[0].det_item_fee_sumamt = "12,00"' \
    "feedetail[0].det_item_fee_sumamt" '"12,00"'
bad_visit "amount beyond the limit" '.feedetail[0].det_item_fee_sumamt = "100000000001.00"' \
    "feedetail[0].det_item_fee_sumamt" "100000000001.00"
bad_visit "medfee_sumamt differs from the lines" '.medfee_sumamt = "14000.00"' \
    "medfee_sumamt" '"14000.00"' "14100.00"
bad_visit "no fee lines" '.feedetail = [] | del(.medfee_sumamt)' "feedetail" "no fee lines"
bad_visit "duplicate feedetl_sn" '.feedetail[4].feedetl_sn = "2"' \
    "feedetail[4].feedetl_sn" '"2"' "feedetail[1]"

# ---- dates ----------------------------------------------------------------------
bad_visit "impossible begntime" '.mdtrt.begntime = "2023-02-30"' "mdtrt.begntime" '"2023-02-30"'
bad_visit "impossible endtime with a time" '.mdtrt.endtime = "2023-03-10 25:00:00"' \
    "mdtrt.endtime" '"2023-03-10 25:00:00"'
bad_visit "impossible birth date" '.person.brdy = "2023-13-01"' "person.brdy" '"2023-13-01"'
bad_visit "29 February of a common year" '.feedetail[0].fee_ocur_time = "2023-02-29 10:00:00"' \
    "feedetail[0].fee_ocur_time" '"2023-02-29 10:00:00"'
bad_visit "endtime before begntime" '.mdtrt.endtime = "2023-02-01"' "mdtrt.endtime" '"2023-02-01"'
bad_visit "fee time outside the visit" '.feedetail[3].fee_ocur_time = "2023-04-01 10:00:00"' \
    "feedetail[3].fee_ocur_time" '"2023-04-01 10:00:00"' "2023-03-01 至 2023-03-10"
bad_visit "birth after the visit" '.person.brdy = "2024-01-01"' "person.brdy" '"2024-01-01"'
bad_visit "catalogue entry ending before it begins" \
    '.catalogue[0].begndate = "2023-06-01" | .catalogue[0].enddate = "2023-01-01"' \
    "catalogue[0].enddate" '"2023-01-01"'

# ---- people and regions --------------------------------------------------------
bad_visit "missing psn_no" 'del(.person.psn_no)' "person.psn_no" "required"
bad_visit "empty mdtrt_id" '.mdtrt.mdtrt_id = ""' "mdtrt.mdtrt_id" "empty"
bad_visit "ID number with a wrong check digit" '.person.certno = "330203197007151231"' \
    "person.certno" "330203197007151231"
bad_visit "tier out of range" '.person.tier = 40' "person.tier" "40"
bad_visit "invalid region code" '.mdtrt.mdtrtarea_admvs = "999999"' "mdtrt.mdtrtarea_admvs" '"999999"'
bad_visit "insured region outside the policy" '.mdtrt.insuplc_admdvs = "110101"' \
    "mdtrt.insuplc_admdvs" '"110101"' "330200"
bad_visit "settlement date after the policy's validity" \
    '.mdtrt.endtime = "2024-01-02"' \
    "mdtrt.endtime" "2024-01-02" "2023-01-01 至 2023-12-31"
bad_visit "another insurance type" '.mdtrt.insutype = "310"' "mdtrt.insutype" '"310"' "390"

# ---- policies ----------------------------------------------------------------------
bad_policy "overlapping bands" \
    '.benefits.layers[0].rates.rules[0].bands[1].from = "0"' \
    "benefits.layers[0].rates.rules[0].bands[1].from" "0.00"
bad_policy "unsorted bands" \
    '.benefits.layers[0].rates.rules[0].bands = [{"from": "0", "rate": "70%"}, {"from": "20000", "rate": "80%"}, {"from": "10000", "rate": "90%"}]' \
    "benefits.layers[0].rates.rules[0].bands[2].from" "10000.00"
bad_policy "rate above 100%" '.benefits.layers[0].rates.rules[0].bands[1].rate = "105%"' \
    "benefits.layers[0].rates.rules[0].bands[1].rate" "105%"
bad_policy "unknown policy key" '.benfits = {}' "benfits: 未知的键名"

# ---- accumulators -------------------------------------------------------------------
bad_accums "accumulators of another year" '{"year": 2022, "amounts": {}, "counts": {}}' \
    "accumulators.year" "2022"
bad_accums "negative accumulated amount" '{"year": 2023, "amounts": {"inpatient.paid": "-1.00"}}' \
    "accumulators.amounts.inpatient.paid" '"-1.00"'
bad_accums "count under amounts" '{"year": 2023, "amounts": {"admissions": "1"}}' \
    "accumulators.amounts.admissions" "counts"
bad_accums "fractional fen in a result's accumulators" \
    '{"setlinfo": {}, "accumulators": {"year": 2023, "amounts": {"critical.paid": "1.005"}}}' \
    "accumulators.amounts.critical.paid" '"1.005"'

# ---- files and usage: exit 1 ------------------------------------------------------
run settle --policy "$POLICY" --visit "$TMP/does-not-exist.json"
expect_error "missing visit file" 1 "$TMP/does-not-exist.json" "cannot open"
run settle --policy "$POLICY"
expect_error "missing --visit" 1 "--visit"
run settle --policy "$POLICY" --visit "$VISIT" --format xml
expect_error "unknown format" 1 '"xml"'
run settle --policy "$POLICY" --visit "$VISIT" --frobnicate
expect_error "unknown option" 1 '"--frobnicate"'
run frobnicate
expect_error "unknown command" 1 '"frobnicate"'

finish
