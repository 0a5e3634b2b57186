#!/usr/bin/env bash
# The main job for now: settle every example visit under policies/ against
# the policy beside it and print the result with its calculation trace.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/src/cli/yibao
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
