#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: `yibao person import` killed with SIGKILL at random moments,
# then reopened. A person file of 20,000 rows from `yibao synth` (200 of
# them broken, 500 rows a batch) is first imported without interruption: the reference.
# Then, round by round on a fresh copy of the same database, the import is
# killed: in odd rounds once the job has committed a random number of rows
# (1 to 30 batches; it watches the job's progress in the database) and a
# random few milliseconds more, so the kill lands in the middle of the
# import however fast or slow the machine is; in even rounds after a random
# share (10-90%) of the reference time, which may also land before the
# first commit or after the last. In the second round it is killed again
# while resuming. After every kill the database must hold
# whole rows only: every person with its event and audit row, every event
# with its opening audit row, the job's committed rows_done equal to the
# persons present plus its bad rows, its bad rows all listed, the audit
# chain intact and the trial balance balanced. `--resume` then finishes
# the job, skipping exactly the committed rows, to the reference's counts,
# persons, person numbers and bad rows. At least one round must land in
# the middle of the import (some rows committed, not all).
# YB_KILL_ROUNDS (default 4) and YB_KILL_SEED (default: the clock) set the
# rounds and the random delays; the seed is printed for a replay.
# Usage: bash tests/e2e/cli_import_kill.sh /path/to/yibao
source "$(dirname "$0")/lib.sh"
if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "sqlite3 is required (Debian package sqlite3; make test installs it)" >&2
    exit 1
fi
export LC_ALL=C

N=20000
BATCH=500
ROUNDS=${YB_KILL_ROUNDS:-4}
SEED=${YB_KILL_SEED:-$(date +%s)}
RANDOM=$SEED
echo "# YB_KILL_SEED=$SEED YB_KILL_ROUNDS=$ROUNDS"
CSV=$TMP/persons.csv

q() { sqlite3 -batch -noheader "$1" "$2"; }

# clone FROM TO: copy a database with its WAL (no yibao is running on it).
clone() {
    rm -f "$2" "$2-wal" "$2-shm"
    cp "$1" "$2"
    if [ -f "$1-wal" ]; then cp "$1-wal" "$2-wal"; fi
}

# ---- the file and the reference ------------------------------------------------
run synth --persons $N --year 2024 --seed 5 --catalogue 1000 --out "$TMP/region"
expect_ok "synth writes 20,000 persons"
# Every hundredth data row broken: an empty name or a wrong check character.
awk -F, -v OFS=, 'NR >= 52 && (NR - 52) % 100 == 0 {
    if ((NR - 52) % 200 == 0) $3 = ""
    else $1 = substr($1, 1, 17) (substr($1, 18, 1) == "0" ? "1" : "0")
} { print }' "$TMP/region/persons.csv" >"$CSV"
rm -rf "$TMP/region/"{visits,fee_lines,payments,catalogue}.csv

BASE=$TMP/base.db
run init --db "$BASE"
expect_ok "init"
run region import --db "$BASE" "$TMP/region/regions.csv"
expect_eq "regions" "0 region import $TMP/region/regions.csv: job 1, 16 rows: 16 ok, 0 bad" \
    "$RC $(head -n 1 "$OUT" | sed 's/ ([0-9.]* s)$//')"

REF=$TMP/ref.db
clone "$BASE" "$REF"
t0=$(date +%s%N)
run person import --db "$REF" "$CSV" --batch $BATCH --errors 0
t1=$(date +%s%N)
REF_MS=$(((t1 - t0) / 1000000))
echo "# uninterrupted import: $N rows in ${REF_MS} ms"
expect_eq "the reference import" \
    "0 person import $CSV: job 2, 20000 rows: 19800 ok, 200 bad" \
    "$RC $(head -n 1 "$OUT" | sed 's/ ([0-9.]* s)$//')"
q "$REF" "SELECT psn_no || ' ' || certno FROM person ORDER BY psn_no" >"$TMP/ref-persons.txt"
q "$REF" "SELECT line || ' ' || field || ' ' || message FROM import_error ORDER BY line" \
    >"$TMP/ref-errors.txt"
expect_eq "the reference has 19,800 persons" "19800" "$(wc -l <"$TMP/ref-persons.txt")"

# ---- after a kill: whole rows only -------------------------------------------------

# consistent NAME DB: the checks that hold after any kill. Sets DONE to the
# job's committed rows_done (0 when no batch was committed).
consistent() {
    local name=$1 db=$2 job persons
    persons=$(q "$db" "SELECT count(*) FROM person")
    job=$(q "$db" "SELECT status, rows_done, rows_ok, rows_bad,
                   (SELECT count(*) FROM import_error WHERE job_id = j.id)
                   FROM import_job j WHERE kind = 'person'")
    if [ -z "$job" ]; then
        DONE=0
        expect_eq "$name: no batch committed, no person" "0" "$persons"
    else
        local status done ok bad listed
        IFS='|' read -r status done ok bad listed <<<"$job"
        DONE=$done
        expect_eq "$name: rows_done = persons present + bad rows, all listed" \
            "$done = $persons + $bad, $ok ok, $listed listed" \
            "$((persons + bad)) = $persons + $bad, $persons ok, $bad listed"
        expect_eq "$name: rows_done is a whole number of batches or the end" \
            "0" "$((done % BATCH == 0 || done == N ? 0 : 1))"
    fi
    expect_eq "$name: every person has its event and audit row" "0" \
        "$(q "$db" "SELECT count(*) FROM person p WHERE NOT EXISTS
                    (SELECT 1 FROM event v WHERE v.id = p.event_id) OR NOT EXISTS
                    (SELECT 1 FROM audit a WHERE a.event_id = p.event_id)")"
    expect_eq "$name: every event has its one opening audit row" "0" \
        "$(q "$db" "SELECT count(*) FROM event v WHERE (SELECT count(*) FROM audit a
                    WHERE a.event_id = v.id AND a.action = v.kind) <> 1")"
    # One event per batch: its closing audit row counts the batch's rows.
    local closed
    closed=$(q "$db" "SELECT count(*) FROM audit WHERE action = 'import.batch'")
    if [ "$closed" -gt 0 ]; then
        expect_eq "$name: the batches' closing rows count the persons present" \
            "$persons" \
            "$(q "$db" "SELECT coalesce(sum(CAST(detail AS INTEGER)), 0) FROM audit a
                        JOIN event v ON v.id = a.event_id
                        WHERE a.action = 'import.batch' AND v.kind = 'person.import'")"
    fi
    run audit verify --db "$db"
    expect_eq "$name: audit chain intact" \
        "0 audit chain intact: $(q "$db" "SELECT count(*) FROM audit") rows" \
        "$RC $(cat "$OUT")"
    run ledger trial-balance --db "$db"
    expect_eq "$name: trial balance balanced" "0 借贷平衡" "$RC $(tail -n 1 "$OUT")"
}

# reap PID WHAT: SIGKILL the import; KILLED=1 when it was still running.
reap() {
    local rc
    kill -9 "$1" 2>/dev/null || true
    set +e
    wait "$1" 2>/dev/null # (no "Killed" notice from bash)
    rc=$?
    set -e
    KILLED=$((rc == 137 ? 1 : 0))
    echo "# killed $2: exit $rc"
}

# kill_import DB PERCENT [--resume]: start the import, SIGKILL it after
# PERCENT% of the reference time.
kill_import() {
    local db=$1 pct=$2 ms pid
    shift 2
    ms=$((REF_MS * pct / 100))
    "$YIBAO" person import --db "$db" "$CSV" --batch $BATCH "$@" >"$OUT" 2>"$ERR" &
    pid=$!
    sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
    reap "$pid" "after ${ms} ms ($pct%)"
}

# kill_after_rows DB ROWS: start the import, SIGKILL it 0-19 ms after the
# job has committed at least ROWS rows (read from the database while it
# runs; at most 120 s).
kill_after_rows() {
    local db=$1 rows=$2 pid seen=0 t0=$SECONDS extra
    "$YIBAO" person import --db "$db" "$CSV" --batch $BATCH >"$OUT" 2>"$ERR" &
    pid=$!
    while kill -0 "$pid" 2>/dev/null && [ $((SECONDS - t0)) -lt 120 ]; do
        seen=$(q "$db" "SELECT coalesce(max(rows_done), 0) FROM import_job
                        WHERE kind = 'person'" 2>/dev/null || echo 0)
        [ "${seen:-0}" -ge "$rows" ] && break
        sleep 0.005
    done
    extra=$((RANDOM % 20))
    sleep "0.0$(printf '%02d' $extra)"
    reap "$pid" "${extra} ms after $seen of $rows rows were seen committed"
}

MIDWAY=0
for round in $(seq 1 "$ROUNDS"); do
    DB=$TMP/kill-$round.db
    clone "$BASE" "$DB"
    if [ $((round % 2)) -eq 1 ]; then
        kill_after_rows "$DB" $(((1 + RANDOM % 30) * BATCH))
    else
        kill_import "$DB" $((10 + RANDOM % 81))
    fi
    consistent "round $round, after the kill" "$DB"
    echo "# round $round: $DONE rows committed before the kill"
    if [ "$KILLED" -eq 1 ] && [ "$DONE" -gt 0 ] && [ "$DONE" -lt $N ]; then
        MIDWAY=$((MIDWAY + 1))
    fi
    if [ "$round" -eq 2 ]; then # killed again while resuming
        kill_import "$DB" $((10 + RANDOM % 41)) --resume
        consistent "round 2, after the second kill" "$DB"
    fi
    before=$DONE
    run person import --db "$DB" "$CSV" --batch $BATCH --errors 0 --resume
    earlier=""
    if [ "$before" -gt 0 ]; then earlier=", $before done earlier"; fi
    expect_eq "round $round: --resume finishes with the reference's counts" \
        "0 person import $CSV: job 2, 20000 rows: 19800 ok, 200 bad$earlier" \
        "$RC $(head -n 1 "$OUT" | sed 's/ ([0-9.]* s)$//')"
    expect_eq "round $round: the same persons under the same numbers" "" \
        "$(diff <(q "$DB" "SELECT psn_no || ' ' || certno FROM person ORDER BY psn_no") \
            "$TMP/ref-persons.txt" | head -n 5)"
    expect_eq "round $round: the same bad rows" "" \
        "$(diff <(q "$DB" "SELECT line || ' ' || field || ' ' || message FROM
                           import_error ORDER BY line") "$TMP/ref-errors.txt" | head -n 5)"
    expect_eq "round $round: one job, done" "1 done 20000" \
        "$(q "$DB" "SELECT count(*) || ' ' || max(status) || ' ' || max(rows_done)
                    FROM import_job WHERE kind = 'person'")"
    consistent "round $round, resumed" "$DB"
    rm -f "$DB" "$DB-wal" "$DB-shm"
done
if [ "$MIDWAY" -gt 0 ]; then
    pass "$MIDWAY of $ROUNDS rounds were killed in the middle of the import"
else
    fail "no round was killed in the middle of the import (seed $SEED)"
fi

finish
