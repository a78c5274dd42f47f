#!/usr/bin/env bash
# Installs what a fresh Debian machine with Swift lacks to build and test smcc:
# the LMDB and zstd headers (the CLMDB/CZstd system-library targets find them through pkg-config)
# and the Python packages of the independent reader and the schema checks.
# Safe to run again: it installs only what is missing.
set -euo pipefail

need_apt=()
for pkg in liblmdb-dev libzstd-dev pkg-config zstd curl; do
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

need_pip=()
python3 -c 'import lmdb' 2>/dev/null || need_pip+=(lmdb)
python3 -c 'import zstandard' 2>/dev/null || need_pip+=(zstandard)
python3 -c 'import jsonschema' 2>/dev/null || need_pip+=(jsonschema)
python3 -c 'import pytest' 2>/dev/null || need_pip+=(pytest)
# The API fuzzer of Tools/fuzz-api.sh.
python3 -c 'import schemathesis' 2>/dev/null || need_pip+=(schemathesis)
if [ ${#need_pip[@]} -gt 0 ]; then
  echo "bootstrap: pip installing ${need_pip[*]}" >&2
  python3 -m pip install --quiet --disable-pip-version-check "${need_pip[@]}"
fi
