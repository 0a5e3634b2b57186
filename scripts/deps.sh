#!/usr/bin/env bash
# Install the Debian packages yibao needs to build, test and run its demo.
# Only missing packages are installed; `apt-get update` runs only when an
# install is needed. Safe to run repeatedly.
set -euo pipefail

pkgs=(gcc make meson ninja-build pkg-config libcjson-dev libcmocka-dev
      clang libclang-rt-14-dev jq libcsv-dev libsqlite3-dev libsodium-dev
      sqlite3 libmicrohttpd-dev curl
      libgnutls28-dev openssl nginx-light)

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
