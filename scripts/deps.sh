#!/usr/bin/env bash
# Install the Debian packages yibao needs to build, test and run its demo,
# on a Debian 12 (bookworm) machine that may have nothing but git, make and
# ca-certificates. Only missing packages are installed; `apt-get update`
# runs only when an install is needed. Safe to run repeatedly.
#
# Every step is one line ("deps: ..."), and every package one line as it
# is downloaded, unpacked and set up; a failing step prints apt's whole
# output. Services in the packages (nginx) are not started by the install:
# the tests start their own, on 127.0.0.1, in a temporary directory.
set -euo pipefail

# What needs each package (every tool a script, test or the Makefile calls
# is here, or comes with Debian's minimal system: bash, coreutils, sed,
# grep, mawk, tar, gzip, findutils, diffutils, util-linux, libc-bin iconv).
pkgs=(
    # build: compiler, meson/ninja, the libraries of meson.build
    gcc make meson ninja-build pkg-config libcjson-dev libcmocka-dev
    libcsv-dev libsqlite3-dev libsodium-dev libmicrohttpd-dev
    # the server's TLS (yibao serve --tls-cert/--tls-key)
    libgnutls28-dev
    # fuzzing (tests/fuzz/run.sh): clang, libFuzzer, and llvm for
    # llvm-symbolizer, so a crash report names its functions
    clang libclang-rt-14-dev llvm
    # scripts and tests: JSON, the database shell, HTTP, certificates
    # (https ships ca-certificates), a faked clock (scripts/test.sh), a
    # throw-away TLS certificate (openssl) and a TLS proxy in front of
    # `yibao serve` (the transport tests), style and static checks
    jq sqlite3 curl ca-certificates faketime openssl nginx-light
    clang-format cppcheck
)

say() { echo "deps: $*"; }

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || {
        echo "deps: 需要 root 或 sudo 才能安装 (need root or sudo to install): ${missing[*]}" >&2
        exit 1
    }
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
policy_rc=""
cleanup() {
    rm -f "$log"
    if [ -n "$policy_rc" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
}
trap cleanup EXIT

# failed STEP: the step's whole output, then exit 1
failed() {
    echo "deps: 失败 (failed): $1; its output:" >&2
    cat "$log" >&2
    exit 1
}

t0=$(date +%s)
say "${#missing[@]} of ${#pkgs[@]} packages missing: ${missing[*]}"
say "apt-get update …"
$SUDO apt-get update >"$log" 2>&1 || failed "apt-get update"

apt_opts=(-y --no-install-recommends -o Dpkg::Use-Pty=0
          -o Dpkg::Progress-Fancy=0 -o APT::Color=0)
$SUDO apt-get install -s "${apt_opts[@]}" "${missing[@]}" >"$log" 2>&1 \
    || failed "apt-get install ${missing[*]} (a dry run)"
total=$(grep -c '^Inst ' "$log" || true)
say "installing ${#missing[@]} packages: ${missing[*]} ($total with their dependencies)"

# Debian's way to keep a package's postinst from starting its service
# (nginx would listen on port 80): a policy-rc.d that says no, for this
# install only, unless the machine has one of its own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    policy_rc=1
fi

# One line per package and stage, numbered; apt's whole output in $log.
got=0
unpacked=0
set +e
$SUDO apt-get install "${apt_opts[@]}" "${missing[@]}" 2>&1 | tee "$log" |
    while IFS= read -r line; do
        read -r -a w <<<"$line"
        case $line in
        Get:*" ["*"]")
            got=$((got + 1))
            size=${line##* [}
            echo "deps:   [$got/$total] downloading ${w[4]} ${w[6]} (${size%]})" ;;
        "Unpacking "*)
            unpacked=$((unpacked + 1))
            echo "deps:   [$unpacked/$total] unpacking ${w[1]%%:*} ${w[2]}" ;;
        "Setting up "*)
            echo "deps:   set up ${w[2]%%:*} ${w[3]}" ;;
        Fetched*)
            echo "deps:   ${line}" ;;
        E:* | W:* | dpkg:*)
            echo "deps:   ${line}" >&2 ;;
        esac
    done
rc=${PIPESTATUS[0]}
set -e
[ "$rc" -eq 0 ] || failed "apt-get install ${missing[*]}"

still=()
for p in "${missing[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || still+=("$p")
done
[ ${#still[@]} -eq 0 ] || failed "still not installed: ${still[*]}"
say "installed ${#missing[@]} packages ($total with their dependencies) in $(($(date +%s) - t0)) s"
