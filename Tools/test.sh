#!/usr/bin/env bash
# Sets up what a fresh Debian machine lacks, then runs every test of the project:
# the Swift test targets (real LMDB in temporary directories, the real zstd, the built smcc binary),
# the independent Python reader's tests, the format's test vectors checked from the spec alone,
# the desk and the wall in headless Chromium (Tools/tests/test_browser.py, against the built smcc),
# and schemathesis against the HTTP API's OpenAPI document.
set -euo pipefail
cd "$(dirname "$0")/.."

bash Tools/bootstrap.sh

echo "== swift build" >&2
swift build --build-tests

echo "== Python reader, format vectors, the desk and the wall in Chromium" >&2
python3 Schemas/vectors/check_vectors.py
python3 -m pytest -q -p no:cacheprovider Tools/tests

echo "== swift test" >&2
swift test --skip-build

echo "== API fuzzing (schemathesis against Schemas/openapi.yaml)" >&2
bash Tools/fuzz-api.sh
