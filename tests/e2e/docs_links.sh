#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The repository's documentation stands on its own (docs/README.md):
#   1. README.md and docs/ name no file a user of the repository does not
#      have: DOMAIN.md ("DOMAIN §5.3" too), DESIGN.md, STYLE.md, a shared/
#      folder, fields.json;
#   2. every relative link in README.md and docs/**/*.md ([text](target),
#      outside code) points at a file or folder inside the repository that
#      exists, and, when it names a heading (file.md#anchor or #anchor), at
#      a heading that exists, with the anchor GitHub gives it.
# Usage: bash tests/e2e/docs_links.sh (from anywhere; arguments are ignored,
# so tests/e2e/meson.build may pass the binary as it does to the others).
set -euo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
checked=0

fail() {
    fails=$((fails + 1))
    printf 'FAIL %s\n' "$1"
}

mapfile -t files < <({ echo README.md; find docs -name '*.md'; } | sort)
[ "${#files[@]}" -gt 1 ] || { echo "FAIL no docs found"; exit 1; }

# 1. Names of files outside the repository.
if grep -nE 'DOMAIN(\.md| ?§)|DESIGN(\.md| ?principle)|STYLE\.md|shared/|fields(-wave2)?\.json' \
    "${files[@]}" >"$TMP/outside"; then
    while IFS= read -r hit; do
        fail "names a file outside the repository: $hit"
    done <"$TMP/outside"
fi

# Headings of a markdown file as GitHub anchors, one a line: lower case,
# punctuation and symbols dropped (ASCII ones but '-' and '_', and the
# non-ASCII ones these docs use), each space a '-'; a repeated anchor gets
# -1, -2, ... Lines inside fenced code blocks are not headings.
anchors() {
    awk '
    /^[ ]*(```|~~~)/ { fence = !fence; next }
    fence { next }
    /^#+ / {
        h = $0
        sub(/^#+ +/, "", h)
        sub(/ +#+ *$/, "", h)
        h = tolower(h)
        gsub(/[!-,.\/:-@[-^`{-~]/, "", h)
        n = split("— – − × → ← ≤ ≥ （ ） ， 、 ： ； “ ” ‘ ’ 《 》 · … 。 〔 〕 「 」 ！ ？ ％", p, " ")
        for (i = 1; i <= n; i++)
            gsub(p[i], "", h)
        gsub(/ /, "-", h)
        if (h in seen)
            print h "-" seen[h]++
        else {
            print h
            seen[h] = 1
        }
    }' "$1"
}

# Links of a markdown file: "line<TAB>target", outside fenced code blocks
# and inline code spans; targets with a scheme (https:, mailto:) are left out.
links() {
    awk '
    /^[ ]*(```|~~~)/ { fence = !fence; next }
    fence { next }
    {
        s = $0
        gsub(/`[^`]*`/, "", s)
        while (match(s, /\]\([^)]*\)/)) {
            t = substr(s, RSTART + 2, RLENGTH - 3)
            s = substr(s, RSTART + RLENGTH)
            sub(/ +"[^"]*"$/, "", t)
            if (t ~ /^[a-zA-Z][a-zA-Z0-9+.-]*:/)
                continue
            print NR "\t" t
        }
    }' "$1"
}

# normalise PATH (relative to the repository root) into $REPLY without a
# subprocess: "docs/../README.md" -> "README.md"; fails when PATH climbs
# above the root.
normalise() {
    local IFS=/ part
    local -a out=()
    for part in $1; do
        case $part in
        '' | .) ;;
        ..)
            [ "${#out[@]}" -gt 0 ] || return 1
            unset 'out[${#out[@]}-1]'
            ;;
        *) out+=("$part") ;;
        esac
    done
    REPLY="${out[*]}"
}

for f in "${files[@]}"; do
    dir=$(dirname "$f")
    while IFS=$'\t' read -r line target; do
        checked=$((checked + 1))
        path=${target%%#*}
        anchor=
        [[ "$target" == *#* ]] && anchor=${target#*#}
        if [ -z "$path" ]; then
            dest=$f
        else
            if [[ "$path" == /* ]] || ! normalise "$dir/$path"; then
                fail "$f:$line: link ($target) leaves the repository"
                continue
            fi
            dest=${REPLY:-.}
            if [ ! -e "$dest" ]; then
                fail "$f:$line: link ($target): no such file $path"
                continue
            fi
        fi
        if [ -n "$anchor" ]; then
            if [[ "$dest" != *.md ]] || [ -d "$dest" ]; then
                fail "$f:$line: link ($target) names a heading of a file that is not markdown"
            else
                key=${dest//\//_}
                [ -f "$TMP/a.$key" ] || anchors "$dest" >"$TMP/a.$key"
                grep -qxF -- "$anchor" "$TMP/a.$key" ||
                    fail "$f:$line: link ($target): no heading #$anchor in ${path:-$f}"
            fi
        fi
    done < <(links "$f")
done

if [ "$checked" -lt 10 ]; then
    fail "only $checked links found: the link reader is broken"
fi
echo "$checked links in ${#files[@]} files checked, $fails problems"
[ "$fails" -eq 0 ]
