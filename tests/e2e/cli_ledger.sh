# SPDX-License-Identifier: Apache-2.0
# End-to-end tests of `yibao init`, `yibao ledger trial-balance|statement`
# and `yibao audit verify` on a real SQLite file: an empty ledger (zero
# totals, balanced), then the quarter of docs/ledger.md's worked example
# posted through the services by tests/e2e/ledger_fixture.c, with every
# total asserted to the fen; interest posted from a bank slip, once; the
# audit chain before and after tampering;
# refused options with their exit codes.
# Usage: bash tests/e2e/cli_ledger.sh /path/to/yibao /path/to/ledger_fixture
source "$(dirname "$0")/lib.sh"
FIXTURE=${2:?usage: bash $0 /path/to/yibao /path/to/ledger_fixture}
DB=$TMP/yibao.db

# ---- init -----------------------------------------------------------------
run init --db "$DB"
expect_ok "init creates the database"
expect_eq "init prints the schema version" "schema version 15 (sqlite)" "$(cat "$OUT")"
run init --db "sqlite:$DB"
expect_eq "init again is idempotent" "0 schema version 15 (sqlite)" "$RC $(cat "$OUT")"

# ---- an empty ledger --------------------------------------------------------
run ledger trial-balance --db "$DB"
expect_ok "trial balance of an empty ledger"
expect_eq "empty trial balance text" "试算平衡表（全部期间）

（无记账凭证）

合计 借方发生额 0.00 贷方发生额 0.00
借贷平衡" "$(cat "$OUT")"

run ledger trial-balance --db "$DB" --format json
expect_ok "empty trial balance as JSON"
expect_yuan "empty: debit" .debit 0.00
expect_yuan "empty: credit" .credit 0.00
expect_jq "empty: balanced, no funds" '"\(.balanced) \(.funds | length)"' "true 0"

run ledger trial-balance --db "$DB" --fund 390200 --format json
expect_jq "empty fund is listed with zero totals" \
    '"\(.funds[0].fund) \(.funds[0].name) \(.funds[0].debit) \(.funds[0].accounts | length) \(.balanced)"' \
    "390200 大病保险基金 0 0 true"

run ledger statement --db "$DB" --fund 390100
expect_ok "statement of an empty fund"
expect_eq "empty statement text" "基金收支表 390100 基本医疗保险统筹基金

（无记账凭证）" "$(cat "$OUT")"

run audit verify --db "$DB"
expect_ok "audit verify on a new database"
expect_eq "init opened the audit chain" "audit chain intact: 1 rows" "$(cat "$OUT")"

# ---- the worked example -----------------------------------------------------
if ! "$FIXTURE" "$DB" post 2>"$ERR"; then
    fail "ledger_fixture could not post the worked example"
fi

run ledger trial-balance --db "$DB" --format json
expect_ok "trial balance of the quarter"
expect_yuan "quarter: total debits" .debit 250325.79
expect_yuan "quarter: total credits" .credit 250325.79
expect_jq "quarter: balanced, three funds" '"\(.balanced) \(.funds | map(.fund) | join(","))"' \
    "true 390100,390200,610100"
expect_yuan "390100 debits" '.funds[0].debit' 220174.79
expect_yuan "390100 credits" '.funds[0].credit' 220174.79
expect_yuan "390100 debit-side balances" '.funds[0].closing_debit' 117423.45
expect_yuan "390100 credit-side balances" '.funds[0].closing_credit' 117423.45
expect_yuan "390100 bank closing" '.funds[0].accounts[] | select(.account == "1003") | .closing' 83187.78
expect_yuan "390100 contributions net of the refund" \
    '.funds[0].accounts[] | select(.account == "4101") | .closing' 39600.00
expect_yuan "390100 provincial subsidy still receivable" \
    '.funds[0].accounts[] | select(.account == "1202") | .closing' 7370.00
expect_yuan "390200 debits" '.funds[1].debit' 11150.00
expect_yuan "610100 bank closing" '.funds[2].accounts[] | select(.account == "1003") | .closing' 5499.50

run ledger trial-balance --db "$DB"
expect_ok "trial balance as text"
expect_eq "text: grand total and 借贷平衡" "合计 借方发生额 250325.79 贷方发生额 250325.79
借贷平衡" "$(tail -n 2 "$OUT")"
expect_eq "text: the bank line of 390100" \
    "1003      财政专户存款              借                0.00       103083.45        19895.67        83187.78" \
    "$(grep -m1 '^1003 ' "$OUT")"
expect_eq "text: every fund balanced" "3" "$(grep -c '^借贷平衡$' <(head -n -2 "$OUT"))"

run ledger trial-balance --db "$DB" --fund 390100 --from 2024-02 --to 2024-03 --format json
expect_ok "trial balance of February and March"
expect_yuan "bank brought forward" '.funds[0].accounts[0].opening' 40000.00
expect_yuan "bank debits Feb-Mar" '.funds[0].accounts[0].debit' 63083.45
expect_yuan "bank credits Feb-Mar" '.funds[0].accounts[0].credit' 19895.67
expect_yuan "Feb-Mar total debits" .debit 102474.79
expect_jq "Feb-Mar echoes its range" '"\(.fund) \(.from) \(.to)"' "390100 2024-02 2024-03"

run ledger statement --db "$DB" --fund 390100 --format json
expect_ok "statement of the basic fund"
expect_jq "statement range" '"\(.from) \(.to) \(.periods | length)"' "2024-01 2024-03 3"
expect_yuan "January income" '.periods[0].income_total' 117700.00
expect_yuan "February expenditure" '.periods[1].expense_total' 12345.67
expect_yuan "March refund nets contribution income" '.periods[2].income[0].amount' -400.00
# (lib.sh's yuan() mis-formats negative amounts with cents: compare as jq prints)
expect_jq "March surplus" '.periods[2].surplus' -7426.55
expect_yuan "quarter income" .income_total 117423.45
expect_yuan "quarter expenditure" .expense_total 19495.67
expect_yuan "quarter surplus" .surplus 97927.78
expect_yuan "bank closing" .bank_closing 83187.78

run ledger statement --db "$DB" --fund 610100 --from 2024-03
expect_ok "statement of the assistance fund from March"
expect_eq "statement text totals" "合计（2024-03 至 2024-03）
  收入合计                                        0.00
  支出合计                                        0.00
  本期结余                                        0.00
  财政专户存款 期初                            6000.00
  财政专户存款 期末                            5499.50" "$(tail -n 6 "$OUT")"

# ---- interest (利息收入) -----------------------------------------------------
run ledger interest --db "$DB" --fund 390100 --period 2024-03 --amount 1234.56 \
    --slip BOC20240321001 --memo "一季度活期利息"
expect_ok "interest is posted"
expect_eq "interest names its event" \
    "利息收入 interest 390100 2024-03 1234.56 posted as event 14" "$(cat "$OUT")"
run ledger interest --db "$DB" --fund 390100 --period 2024-03 --amount 1234.56 \
    --slip BOC20240321001
expect_error "the same slip twice is refused" 2 "slip" \
    "单据 BOC20240321001 已记账（事件 14，"
run ledger interest --db "$DB" --fund 390300 --period 2024-03 --amount 1 --slip X
expect_error "interest: unknown fund" 2 "--fund" '实际为 "390300" (not a fund)'
run ledger interest --db "$DB" --fund 390100 --period 2024-3 --amount 1 --slip X
expect_error "interest: bad period" 2 "--period" '期间应为 yyyy-mm，实际为 "2024-3"'
run ledger interest --db "$DB" --fund 390100 --period 2024-03 --amount 0 --slip X
expect_error "interest: zero amount" 2 "--amount" "金额 0.00 应大于 0.00"
run ledger interest --db "$DB" --fund 390100 --period 2024-03 --amount 1.234 --slip X
expect_error "interest: three decimals" 2 "--amount" "1.234"
run ledger interest --db "$DB" --fund 390100 --period 2024-03 --amount 1
expect_error "interest needs --slip" 1 "--slip is required"
run ledger trial-balance --db "$DB" --fund 390100 --format json
expect_yuan "interest income 4301: 123.45 of the quarter + 1234.56" \
    '.funds[0].accounts[] | select(.account == "4301") | .closing' 1358.01
expect_yuan "bank closing with the interest" \
    '.funds[0].accounts[] | select(.account == "1003") | .closing' 84422.34
expect_yuan "390100 debits with the interest" '.funds[0].debit' 221409.35
expect_jq "still balanced" .balanced true
run ledger statement --db "$DB" --fund 390100 --format json
expect_yuan "quarter surplus with the interest" .surplus 99162.34

# ---- the audit chain --------------------------------------------------------
run audit verify --db "$DB"
expect_eq "audit chain after the quarter and the interest" "0 audit chain intact: 14 rows" "$RC $(cat "$OUT")"
if ! "$FIXTURE" "$DB" tamper 2>"$ERR"; then
    fail "ledger_fixture could not tamper"
fi
run audit verify --db "$DB"
expect_error "a changed audit row is found" 3 "审计记录 3 存储的哈希与内容不符"

# ---- refused options --------------------------------------------------------
run ledger trial-balance --db "$DB" --from 2024-13
expect_error "bad --from" 2 "--from" '"2024-13" is not a period (yyyy-mm)'
run ledger trial-balance --db "$DB" --to 24-01
expect_error "bad --to" 2 "--to" '"24-01"'
run ledger trial-balance --db "$DB" --from 2024-03 --to 2024-01
expect_error "--from after --to" 2 "--from" "2024-03 is after --to 2024-01"
run ledger trial-balance --db "$DB" --format xml
expect_error "bad --format" 2 "--format" 'unknown format "xml"'
run ledger statement --db "$DB" --fund 390300
expect_error "unknown fund" 2 "--fund" '未知的基金 "390300"'
run ledger trial-balance --db "postgresql://db/yibao"
expect_error "unknown backend" 2 "--db" '未知的存储后端 "postgresql"'
run ledger statement --db "$DB"
expect_error "statement needs --fund" 1 "--fund is required"
run ledger trial-balance --db "$DB" --bogus
expect_error "unknown option" 1 'unknown argument "--bogus"'
run ledger trial-balance
expect_error "--db is required" 1 "--db is required"
run ledger balance --db "$DB"
expect_error "unknown subcommand" 1 'unknown subcommand "balance"'
run ledger trial-balance --db "$TMP/missing.db"
expect_error "missing database" 1 "missing.db" "cannot open database"
run init
expect_error "init needs --db" 1 "--db is required"
run audit check --db "$DB"
expect_error "unknown audit subcommand" 1 'unknown subcommand "check"'

finish
