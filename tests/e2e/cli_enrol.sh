#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: enrolment and contributions through the real binary on a
# SQLite file. A synthetic region of 1,000 persons (seed 9, year 2018) is
# imported — regions, institutions, schools, households, persons,
# identities — then its payments.csv under a policy with synth's tiers and
# assistance rules (tests/data/enrol/synth-2018.json): every row imports,
# with the exact counts of that seed; a second run refuses every receipt.
# The summary counts enrolments by status, person type and region; the
# trial balance is balanced and its basic fund equals the payments' total
# to the fen, its assistance fund the assisted part. A second enrolment
# in another region is refused with exit 2 naming the one held; enrol,
# enrol --all, transfer, show and refund work, and bad options exit 1 or 2.
source "$(dirname "$0")/lib.sh"

POLICY=tests/data/enrol/synth-2018.json
CSV=$TMP/csv
DB=$TMP/enrol.db

# fen SUM of column 4 of payments.csv (amounts), optionally of one channel
fen_sum() {
    awk -F, -v ch="${1:-}" 'NR > 1 && (ch == "" || $6 == ch) {
        split($4, a, "."); s += a[1] * 100 + a[2] } END { print s + 0 }' \
        "$CSV/payments.csv"
}
yuan_of() {
    printf '%d.%02d' $(($1 / 100)) $(($1 % 100))
}
# the first line of stdout without its timing " (0.1 s)"
first_line() {
    head -n 1 "$OUT" | sed 's/ ([0-9.]* s)$//'
}

# ---- the region -------------------------------------------------------------
run synth --persons 1000 --year 2018 --seed 9 --out "$CSV"
expect_ok "synth writes the region"
run init --db "$DB"
expect_eq "init migrates to schema 15" "schema version 15 (sqlite)" "$(cat "$OUT")"
run region import --db "$DB" "$CSV/regions.csv"
expect_eq "regions import" "region import $CSV/regions.csv: job 1, 16 rows: 16 ok, 0 bad" "$(first_line)"
job=2
for kind in institution school household person identity; do
    case $kind in
    identity) file=identities.csv ;;
    *) file=${kind}s.csv ;;
    esac
    rows=$(($(wc -l <"$CSV/$file") - 1))
    run "$kind" import --db "$DB" "$CSV/$file"
    expect_eq "$kind import" \
        "$kind import $CSV/$file: job $job, $rows rows: $rows ok, 0 bad" "$(first_line)"
    job=$((job + 1))
done

# ---- payments ---------------------------------------------------------------
run pay import --db "$DB" "$CSV/payments.csv"
expect_eq "pay import without --policy is a usage error" "1" "$RC"
# a policy whose assistance pays from a fund outside the chart is refused
# before any row (its summary voucher could not be posted)
jq '.financing.assistance[0].fund = "999996"' "$POLICY" > "$TMP/badfund.json"
run pay import --db "$DB" --policy "$TMP/badfund.json" "$CSV/payments.csv"
expect_error "an assistance fund outside the chart is refused" 2 \
    "financing.assistance[0]" '"999996"' "chart of accounts"
# A row refused after it wrote part of itself (a trigger refuses one
# person's enrolment, written after the payment) rolls its batch back; the
# batch runs again with a savepoint per row, and the row leaves nothing.
cp "$DB" "$TMP/replay.db"
CERT_R=$(sed -n 300p "$CSV/payments.csv" | cut -d, -f1)
PSN_R=$(sqlite3 "$TMP/replay.db" "SELECT psn_no FROM person WHERE certno = '$CERT_R'")
N_R=$(grep -c "^$CERT_R," "$CSV/payments.csv")
sqlite3 "$TMP/replay.db" "CREATE TRIGGER refuse BEFORE INSERT ON enrolment \
    WHEN NEW.psn_no = '$PSN_R' BEGIN SELECT RAISE(ABORT, '拒绝'); END"
run pay import --db "$TMP/replay.db" --policy "$POLICY" --batch 100 "$CSV/payments.csv"
expect_eq "a row refused after it wrote runs its batch again" \
    "payment import $CSV/payments.csv: job 7, 994 rows: $((994 - N_R)) ok, $N_R bad, 1 batch run again row by row" \
    "$(first_line)"
expect_eq "the refused person has no contribution" "0" \
    "$(sqlite3 "$TMP/replay.db" "SELECT count(*) FROM contribution WHERE psn_no = '$PSN_R'")"
expect_eq "every other payment is kept" "$((994 - N_R))" \
    "$(sqlite3 "$TMP/replay.db" "SELECT count(*) FROM contribution")"

run pay import --db "$DB" --policy "$POLICY" "$CSV/payments.csv"
expect_eq "every payment of seed 9 imports" \
    "payment import $CSV/payments.csv: job 7, 994 rows: 994 ok, 0 bad" "$(first_line)"
run pay import --db "$DB" --policy "$POLICY" --errors 1 "$CSV/payments.csv"
expect_eq "the same file again refuses every receipt" \
    "payment import $CSV/payments.csv: job 8, 994 rows: 0 ok, 994 bad" "$(first_line)"
if grep -q 'receipt_no = "SW530100201700000001": 票据号 SW530100201700000001 已登记' "$OUT"; then
    pass "the bad row names the receipt recorded already"
else
    fail "the bad row names the receipt recorded already: $(sed -n 3p "$OUT")"
fi

TOTAL=$(fen_sum)
ASSISTED=$(fen_sum assistance)
expect_eq "payments.csv of seed 9 totals 221600.00" "221600.00" "$(yuan_of "$TOTAL")"

run enrol summary --db "$DB" --year 2018 --format json
expect_ok "enrol summary"
expect_jq "950 enrolments (1,000 persons, 50 unpaid)" '.enrolments' "950"
expect_jq "all covered" '.status | to_entries | map("\(.key)=\(.value)") | join(" ")' "covered=950"
expect_jq "by person type" \
    '.psn_type | to_entries | map("\(.key)=\(.value)") | join(" ")' \
    "1401=13 1402=42 1403=126 1404=19 1405=6 1501=568 1601=176"
expect_jq "all in the pooling region" '.region | keys | join(" ")' "530100"
expect_yuan "personal contributions" '.personal' "212976.00"
expect_yuan "assisted contributions equal the assistance rows" '.assisted' "$(yuan_of "$ASSISTED")"
expect_yuan "the total equals payments.csv" '.total' "$(yuan_of "$TOTAL")"
expect_jq "994 payment rows, no refund" '"\(.payments) \(.refunds)"' "994 0"

run enrol summary --db "$DB" --year 2018
expect_ok "enrol summary as text"
expect_eq "text summary names the enrolments" "参保登记 enrolments 950" "$(sed -n 2p "$OUT")"

run ledger trial-balance --db "$DB" --format json
expect_ok "trial balance"
expect_jq "the books balance" '.balanced' "true"
expect_yuan "basic fund debits = the payments' total" \
    '.funds[] | select(.fund == "390100") | .debit' "$(yuan_of "$TOTAL")"
expect_yuan "basic fund credits = the payments' total" \
    '.funds[] | select(.fund == "390100") | .credit' "$(yuan_of "$TOTAL")"
expect_yuan "assistance fund: the assisted part (5104/2103)" \
    '.funds[] | select(.fund == "610100") | .debit' "$(yuan_of "$ASSISTED")"
expect_yuan "personal part in the special account (1003)" \
    '.funds[] | select(.fund == "390100") | .accounts[] | select(.account == "1003") | .closing' \
    "212976.00"

run audit verify --db "$DB"
expect_ok "the audit chain is intact"

# ---- one enrolment per person and year --------------------------------------
CERT=$(sed -n 2p "$CSV/payments.csv" | cut -d, -f1)
jq '.region = "330200" | .name = "宁波 test"' "$POLICY" >"$TMP/ningbo.json"
run enrol --db "$DB" --policy "$TMP/ningbo.json" --year 2018 --person "$CERT"
expect_error "a second enrolment in another region is refused" 2 \
    "yibao: person: " "已参保 2018 年度：参保记录" \
    "统筹区 530100，险种 390，状态 covered"

run enrol show --db "$DB" --person "$CERT"
expect_ok "enrol show"
if grep -q ' 2018 .* 390 530100 .* covered ' "$OUT" && grep -q 'payment' "$OUT"; then
    pass "show lists the covered enrolment and the payment"
else
    fail "show lists the covered enrolment and the payment: $(cat "$OUT")"
fi

# a person without a payment enrols and waits for it
UNPAID=$(awk -F, 'NR == FNR { if (FNR > 1) paid[$1] = 1; next }
    FNR > 1 && !($1 in paid) && $11 == 0 { print $1; exit }' \
    "$CSV/payments.csv" "$CSV/persons.csv")
run enrol --db "$DB" --policy "$POLICY" --year 2018 --person "$UNPAID"
expect_ok "enrol one unpaid person"
expect_eq "enrol reports one pending" \
    "enrolled 1 (covered 0, pending 1), enrolled already 0, other regions 0" \
    "$(tail -n 1 "$OUT")"
run enrol --db "$DB" --policy "$POLICY" --year 2018 --all
expect_ok "enrol --all"
expect_eq "--all enrols the other 49 unpaid persons" \
    "enrolled 49 (covered 0, pending 49), enrolled already 951, other regions 0" \
    "$(tail -n 1 "$OUT")"

# ---- transfer and refund ----------------------------------------------------
run enrol transfer --db "$DB" --person "$CERT" --year 2018 --to 330203 --date 2018-07-01
expect_ok "transfer to Ningbo"
if grep -q 'transferred .* from 2018-01-01 to 2018-06-30' "$OUT" &&
    grep -q ' 330200 .* covered .* from 2018-07-01 to -' "$OUT"; then
    pass "transfer ends one enrolment the day before the other starts"
else
    fail "transfer ends one enrolment the day before the other starts: $(cat "$OUT")"
fi

LINE=$(awk -F, 'NR > 2 && $6 != "assistance" { print; exit }' "$CSV/payments.csv")
RECEIPT=$(echo "$LINE" | cut -d, -f7 | tr -d '\r')
AMOUNT=$(echo "$LINE" | cut -d, -f4)
run pay refund --db "$DB" --receipt "$RECEIPT" --reason 重复缴费
expect_ok "refund one payment"
if grep -q "refunded receipt $RECEIPT: .*personal $AMOUNT" "$OUT" && grep -q 'is now pending' "$OUT"; then
    pass "refund names the receipt, the amount and the enrolment's new status"
else
    fail "refund names the receipt, the amount and the enrolment's new status: $(cat "$OUT")"
fi
run pay refund --db "$DB" --receipt "$RECEIPT" --reason again
expect_error "a second refund is refused" 2 "yibao: receipt: 票据号 $RECEIPT 已退费"

run enrol summary --db "$DB" --year 2018 --format json
expect_jq "after the refund" '.status | to_entries | map("\(.key)=\(.value)") | join(" ")' \
    "covered=949 pending=51 transferred=1"
expect_jq "one refund row" '.refunds' "1"
AMOUNT_FEN=$(echo "$AMOUNT" | awk '{ split($1, a, "."); print a[1] * 100 + a[2] }')
expect_yuan "totals net of the refund" '.total' "$(yuan_of $((TOTAL - AMOUNT_FEN)))"
run ledger trial-balance --db "$DB" --format json
expect_jq "the books still balance" '.balanced' "true"
expect_yuan "special account less the refund" \
    '.funds[] | select(.fund == "390100") | .accounts[] | select(.account == "1003") | .closing' \
    "$(yuan_of $((21297600 - AMOUNT_FEN)))"

# ---- a correction (更正) -------------------------------------------------------
LINE2=$(awk -F, 'NR > 2 && $6 != "assistance" { n++ } n == 2 { print; exit }' "$CSV/payments.csv")
RECEIPT2=$(echo "$LINE2" | cut -d, -f7 | tr -d '\r')
AMOUNT2=$(echo "$LINE2" | cut -d, -f4)
CHANNEL2=$(echo "$LINE2" | cut -d, -f6)
NEWCH=counter
[ "$CHANNEL2" = counter ] && NEWCH=bank
run pay correct --db "$DB" --policy "$POLICY" --receipt "$RECEIPT2" \
    --reason 渠道录错 --channel "$NEWCH"
expect_ok "correct a payment's channel"
expect_eq "the correction reverses the payment and records it again" \
    "更正 corrected receipt $RECEIPT2: contribution 996 reverses" \
    "$(head -n 1 "$OUT" | cut -d' ' -f1-7)"
if grep -q "personal $AMOUNT2" "$OUT" && grep -q 'is now covered' "$OUT"; then
    pass "the corrected payment covers the year again"
else
    fail "the corrected payment covers the year again: $(cat "$OUT")"
fi
run pay correct --db "$DB" --policy "$POLICY" --receipt "$RECEIPT2" \
    --reason again --channel bank
expect_error "a corrected payment is not corrected twice" 2 \
    "yibao: receipt: 票据号 $RECEIPT2 已更正"
run pay correct --db "$DB" --policy "$POLICY" --receipt "$RECEIPT2-C1" \
    --reason again
expect_error "a correction that changes nothing is refused" 2 \
    "yibao: correction: 与票据号 $RECEIPT2-C1 的缴费没有任何不同"
run pay correct --db "$DB" --policy "$POLICY" --receipt "$RECEIPT2-C1" \
    --reason again --tier x
expect_error "a bad tier" 2 "yibao: --tier: \"x\" is not a tier number"
run pay correct --db "$DB" --receipt "$RECEIPT2-C1" --reason again
expect_eq "pay correct without --policy is a usage error" "1" "$RC"
run enrol summary --db "$DB" --year 2018 --format json
expect_jq "one correction row" '"\(.payments) \(.refunds) \(.corrections)"' "995 1 1"
expect_yuan "a correction leaves the totals" '.total' "$(yuan_of $((TOTAL - AMOUNT_FEN)))"
run ledger trial-balance --db "$DB" --format json
expect_jq "the books balance after the correction" '.balanced' "true"

# ---- clearing of assisted contributions (资助参保款清算) -----------------------
run ledger clear-assisted --db "$DB" --period 2019-01 --slip ZZ-1 --amount 100.00
expect_eq "a part of what the assistance fund owes is paid" \
    "0 资助参保款清算 fund 610100 paid the basic fund 100.00 in 2019-01, event" \
    "$RC $(cut -d' ' -f1-11 "$OUT")"
run ledger clear-assisted --db "$DB" --period 2019-01 --slip ZZ-2
expect_ok "the rest is paid"
expect_eq "the rest is what was assessed less the part" \
    "资助参保款清算 fund 610100 paid the basic fund $(yuan_of $((ASSISTED - 10000))) in 2019-01," \
    "$(cut -d' ' -f1-10 "$OUT")"
run ledger clear-assisted --db "$DB" --period 2019-01 --slip ZZ-2
expect_error "a slip is cleared once" 2 "yibao: slip: 单据 ZZ-2 已记账"
run ledger clear-assisted --db "$DB" --period 2019-01 --slip ZZ-3
expect_error "nothing is owed any more" 2 \
    "yibao: amount: 基金 610100 在 2019-01 末不欠基本医保基金资助参保款（2103 0.00）"
run ledger clear-assisted --db "$DB" --period 2019-01 --slip ZZ-3 --payer 390100
expect_error "the basic fund does not pay itself" 2 "yibao: --payer: 资助参保的基金应为 610100 或 390200，实际为 \"390100\""
run ledger clear-assisted --db "$DB" --period 2019-01 --slip ZZ-3 --amount 0
expect_error "a zero amount is refused" 2 "yibao: --amount: 0 is not above 0.00"
run ledger trial-balance --db "$DB" --format json
expect_jq "the books balance after the clearing" '.balanced' "true"
expect_yuan "1211 receivable cleared" \
    '.funds[] | select(.fund == "390100") | .accounts[] | select(.account == "1211") | .closing' "0.00"
expect_yuan "2103 payable cleared" \
    '.funds[] | select(.fund == "610100") | .accounts[] | select(.account == "2103") | .closing' "0.00"
expect_yuan "special account holds the assisted part too" \
    '.funds[] | select(.fund == "390100") | .accounts[] | select(.account == "1003") | .closing' \
    "$(yuan_of $((21297600 - AMOUNT_FEN + ASSISTED)))"

# ---- a change of residence (居住地变更) ----------------------------------------
MOVER=$(awk -F, 'NR > 2 && $6 != "assistance" { n++ } n == 5 { print $1; exit }' "$CSV/payments.csv")
run person move --db "$DB" --person "$MOVER" --to 330203 --date 2018-08-01 \
    --reason 务工 --transfer
expect_ok "a move to Ningbo with the enrolment"
if grep -q "^居住地变更 .* moved from 5301.. to 330203, event " "$OUT" &&
    grep -q "^转移接续 enrolment .* in 530100 ends 2018-07-31; enrolment .* in 330200 starts 2018-08-01$" "$OUT"; then
    pass "the move names both regions and the transfer without a gap"
else
    fail "the move names both regions and the transfer without a gap: $(cat "$OUT")"
fi
run person show --db "$DB" "$MOVER"
expect_eq "the residence is the new one" "居住地 resd_admdvs 330203" "$(grep resd_admdvs "$OUT")"
if grep -q "^居住地变更 move     2018-08-01 5301.. -> 330203 务工 (event [0-9]*)$" "$OUT"; then
    pass "person show lists the move with its day and reason"
else
    fail "person show lists the move with its day and reason: $(cat "$OUT")"
fi
run person move --db "$DB" --person "$MOVER" --to 330203 --date 2018-08-02
expect_error "a move to the residence itself is refused" 2 "yibao: to: 地区 330203 已是"
run person move --db "$DB" --person "$MOVER" --to 330204 --date 2018-07-01
expect_error "a move before the last one is refused" 2 \
    "yibao: date: 日期 2018-07-01 早于" "上次变更居住地的日期 2018-08-01"
run person move --db "$DB" --person "$MOVER" --to 330204 --date 2018-09-01 --transfer
expect_error "no transfer within a pooling region" 2 \
    "yibao: transfer: 地区 330203 与 330204 同属统筹区 330200"
run person move --db "$DB" --person "$MOVER" --to 330204 --date 2018-9-1
expect_error "a bad date" 2 "yibao: --date: "
run person move --db "$DB" --person "$MOVER" --date 2018-09-01
expect_eq "person move without --to is a usage error" "1" "$RC"
run enrol summary --db "$DB" --year 2018 --format json
expect_jq "the move's enrolment is in Ningbo" '.region | to_entries | map("\(.key)=\(.value)") | join(" ")' \
    "330200=2 530100=998"

# ---- bad options ------------------------------------------------------------
run enrol --db "$DB" --policy "$POLICY" --year 20x8 --person "$CERT"
expect_error "a bad year" 2 "yibao: --year: \"20x8\" is not a number in 1900..2199"
run enrol --db "$DB" --policy "$POLICY" --year 2019 --person "$CERT"
expect_error "a year the policy does not cover" 2 "yibao: year: 2019 不是政策的参保年度 2018"
run enrol --db "$DB" --policy "$POLICY" --year 2018
expect_eq "enrol without a person is a usage error" "1" "$RC"
run enrol --policy "$POLICY" --year 2018 --all
expect_eq "enrol without --db is a usage error" "1" "$RC"
run enrol transfer --db "$DB" --person "$CERT" --year 2018 --to 330203 --date 2018-13-01
expect_error "a bad transfer date" 2 "yibao: --date: "
run pay refund --db "$DB" --receipt NOPE --reason x
expect_error "an unknown receipt" 2 "yibao: receipt: 没有票据号为 NOPE 的缴费"

finish
