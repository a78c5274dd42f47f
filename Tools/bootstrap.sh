#!/usr/bin/env bash
# Installs what a fresh Debian machine with Swift lacks to build and test smcc:
# the LMDB, zstd and OpenSSL headers (the CLMDB/CZstd/CLibCrypto system-library targets find them through pkg-config),
# Chromium and its WebDriver (the browser tests of the desk and the wall drive them, headless),
# PostgreSQL (Tools/pg.sh runs a throwaway cluster of it for the tests of the PostgreSQL log),
# and the Python packages of Tools/requirements.txt (the reader, schema checks, fuzzer, browser tests, benchmarks).
# Safe to run again: it installs only what is missing.
set -euo pipefail

need_apt=()
for pkg in liblmdb-dev libzstd-dev libssl-dev pkg-config zstd curl chromium chromium-driver postgresql; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "bootstrap: need root or sudo to install: ${need_apt[*]}" >&2; exit 2; }
    sudo_cmd=(sudo)
  fi
  echo "bootstrap: installing ${need_apt[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Every Python package pinned (transitive ones too) in Tools/requirements.txt: a fresh machine gets
# exactly what the tests passed with, never the registry's newest. pip skips what is already there.
echo "bootstrap: pip install -r Tools/requirements.txt" >&2
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
  -r "$(dirname "$0")/requirements.txt"
