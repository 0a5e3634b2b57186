#!/usr/bin/env bash
# The project's own rules, checked by machine rather than by memory (run by
# `make test`; run it by hand before a commit):
#   1. layering: each folder of src/ and each public header includes only
#      headers of its own layer or of the layers below it (docs/architecture.md:
#      cli, api -> service -> engine, store -> policy -> base);
#   2. portable SQL: no SQLite-only words in the SQL of code outside src/store
#      (a PostgreSQL backend runs the same statements);
#   3. clang-format: every C file as .clang-format lays it out;
#   4. cppcheck: no warning, performance or portability finding in src/.
# Prints each finding as FILE:LINE: what, and a last line "check-src: ok" or
# "check-src: N problems"; exits 1 on any problem.
set -uo pipefail
cd "$(dirname "$0")/.."
problems=0
say() { echo "$*"; problems=$((problems + 1)); }

# ---- 1. layering ----------------------------------------------------------
# The layer of every public header; a header missing here is itself a finding,
# so a new header gets its layer when it is written.
declare -A layer_of=(
    [arena.h]=base [csv.h]=base [date.h]=base [dict.h]=base [err.h]=base
    [idcard.h]=base [json.h]=base [money.h]=base [region.h]=base
    [text.h]=base
    [policy.h]=policy [financing.h]=policy
    [engine.h]=engine
    [store.h]=store
    [enrolment.h]=service [event.h]=service [export.h]=service
    [hospital.h]=service [import.h]=service [ledger.h]=service
    [registry.h]=service [subsidy.h]=service [synth.h]=service
    [visit.h]=service [policyset.h]=service
    [codec.h]=api [hosp.h]=api [server.h]=api
    [yibao.h]=cli
)
# What each layer may include.
declare -A allowed=(
    [base]="base"
    [policy]="base policy"
    [engine]="base policy engine"
    [store]="base policy store"
    [service]="base policy engine store service"
    [api]="base policy engine store service api"
    [cli]="base policy engine store service api cli"
)
check_includes() { # file layer
    local f=$1 own=$2 line h l
    while IFS= read -r line; do
        h=${line#*:}
        h=${h#*\"}
        h=${h%%\"*}
        # a folder's private header ("visit_int.h", "cli_store.h") sits
        # beside the file; public ones are "yibao/x.h" (from include/, "x.h")
        if [[ $f == src/* && $h != yibao/* ]]; then
            [ -f "$(dirname "$f")/$h" ] ||
                say "$f:${line%%:*}: \"$h\" is neither beside it nor public"
            continue
        fi
        h=${h#yibao/}
        l=${layer_of[$h]:-}
        if [ -z "$l" ]; then
            say "$f:${line%%:*}: \"$h\" has no layer in scripts/check-src.sh"
        elif [[ " ${allowed[$own]} " != *" $l "* ]]; then
            say "$f:${line%%:*}: the $own layer includes $h of the $l layer"
        fi
    done < <(grep -n '^#include "' "$f")
}
for h in include/yibao/*.h; do
    name=$(basename "$h")
    l=${layer_of[$name]:-}
    if [ -z "$l" ]; then
        say "$h: no layer in scripts/check-src.sh"
        continue
    fi
    check_includes "$h" "$l"
done
for dir in src/*/; do
    own=$(basename "$dir")
    [ -n "${allowed[$own]:-}" ] || { say "$dir: not a layer of scripts/check-src.sh"; continue; }
    for f in "$dir"*.c "$dir"*.h; do
        [ -f "$f" ] && check_includes "$f" "$own"
    done
done

# ---- 2. portable SQL outside the store ------------------------------------
# Words of SQLite's dialect that PostgreSQL does not run the same way, looked
# for inside C string literals only.
while IFS= read -r f; do
    awk -v file="$f" '
        { line = $0
          while (match(line, /"([^"\\]|\\.)*"/)) {
              lit = substr(line, RSTART, RLENGTH)
              line = substr(line, RSTART + RLENGTH)
              if (lit ~ /(GLOB|[Rr][Oo][Ww][Ii][Dd]|[Gg][Rr][Oo][Uu][Pp]_[Cc][Oo][Nn][Cc][Aa][Tt]|INSERT OR |REPLACE INTO|julianday|IFNULL|ifnull|PRAGMA|AUTOINCREMENT|last_insert_rowid)/ ||
                  lit ~ /(strftime|datetime|printf|instr)\(/ && lit ~ /(SELECT|INSERT|UPDATE|DELETE|WHERE|FROM|SET) /) {
                  printf "%s:%d: SQL outside src/store uses SQLite-only words: %s\n", file, NR, lit
                  found++
              }
          }
        }
        END { exit found > 0 }' "$f" || problems=$((problems + 1))
done < <(git ls-files 'src/*.c' 'src/*.h' | grep -v '^src/store/')

# ---- 3. clang-format ------------------------------------------------------
if command -v clang-format >/dev/null; then
    while IFS= read -r f; do
        clang-format --dry-run --Werror "$f" >/dev/null 2>&1 ||
            say "$f: not clang-formatted (clang-format -i $f)"
    done < <(git ls-files '*.c' '*.h')
else
    say "clang-format is not installed (scripts/deps.sh installs it)"
fi

# ---- 4. cppcheck ----------------------------------------------------------
if command -v cppcheck >/dev/null; then
    out=$(cppcheck -q --enable=warning,performance,portability --inline-suppr \
        --std=c11 -D__GNUC__ -I include --template='{file}:{line}: {severity}: {message} [{id}]' \
        src 2>&1)
    if [ -n "$out" ]; then
        echo "$out"
        problems=$((problems + $(grep -c ': ' <<<"$out")))
    fi
else
    say "cppcheck is not installed (scripts/deps.sh installs it)"
fi

if [ "$problems" -eq 0 ]; then
    echo "check-src: ok"
    exit 0
fi
echo "check-src: $problems problems"
exit 1
