#!/usr/bin/env bash
# Sets up what a fresh Debian machine lacks, then runs every test of the project:
# the Swift test targets (real LMDB in temporary directories, the real zstd, the built smcc binary),
# the independent Python reader's tests, the format's test vectors checked from the spec alone,
# the desk and the wall in headless Chromium (Tools/tests/test_browser.py, against the built smcc),
# and schemathesis against the HTTP API's OpenAPI document.
# The tests of the PostgreSQL log run against a throwaway cluster (Tools/pg.sh) started here and
# stopped at exit, whatever the outcome; they find it through SMCC_TEST_POSTGRES and skip without it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash Tools/bootstrap.sh

echo "== PostgreSQL for the tests (Tools/pg.sh)" >&2
trap 'bash Tools/pg.sh stop || echo "test.sh: could not stop the test cluster: bash Tools/pg.sh stop" >&2' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
SMCC_TEST_POSTGRES=$(bash Tools/pg.sh start)
export SMCC_TEST_POSTGRES
echo "test.sh: SMCC_TEST_POSTGRES=$SMCC_TEST_POSTGRES" >&2

echo "== swift build" >&2
swift build --build-tests

echo "== Python reader, format vectors, the desk and the wall in Chromium" >&2
python3 Schemas/vectors/check_vectors.py
python3 -m pytest -q -rs -p no:cacheprovider Tools/tests  # -rs: a skipped test says why

echo "== swift test" >&2
swift test --skip-build

echo "== API fuzzing (schemathesis against Schemas/openapi.yaml)" >&2
bash Tools/fuzz-api.sh
