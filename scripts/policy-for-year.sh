#!/usr/bin/env bash
# policy-for-year.sh YEAR: print the national-default policy for coverage
# year YEAR (policies/national-default-YEAR.json). A year after the last
# file is carried forward from the last one: its year, validity (1 January
# to 31 December) and collection window (September to December of the year
# before) move to YEAR, every figure stays, and the name and source say so.
# This is what an agency does until the year's notice is published
# (docs/national-defaults.md); a year before 2017 is refused.
# Needs jq. Used by `make demo` and the hospital quick start.
set -euo pipefail
cd "$(dirname "$0")/.."

year=${1:-}
if ! [[ $year =~ ^[0-9]{4}$ ]] || [ "$year" -lt 2017 ] || [ "$year" -gt 2099 ]; then
    echo "policy-for-year.sh: 年度应为 2017-2099，实际为 \"$year\" (usage: policy-for-year.sh YEAR)" >&2
    exit 2
fi
if [ -f "policies/national-default-$year.json" ]; then
    cat "policies/national-default-$year.json"
    exit 0
fi
last=$(ls policies/national-default-[0-9][0-9][0-9][0-9].json | sed 's/.*-\([0-9]*\)\.json$/\1/' |
    sort -n | tail -1)
jq --argjson y "$year" --arg last "$last" '
    .year = $y
    | .valid_from = "\($y)-01-01"
    | .valid_to = "\($y)-12-31"
    | .financing.window = {from: "\($y - 1)-09-01", to: "\($y - 1)-12-31"}
    | .name = "城乡居民基本医保国家基线政策（\($y)年度，沿用\($last)年度文件）"
    | .source = "\($y)年度国家通知未知，由 scripts/policy-for-year.sh 沿用 policies/national-default-\($last).json 的全部标准 (carried forward from the \($last) file: every figure is the \($last) file'"'"'s; replace them when the \($y) notice is published). The \($last) file'"'"'s sources: " + .source
' "policies/national-default-$last.json"
