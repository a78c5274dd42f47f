"""Fixtures shared by the tests in Tools/tests."""
import os

import pytest


@pytest.fixture(scope="session")
def postgres_base():
    """The URL base (postgresql://USER@HOST:PORT/DATABASE, no query) of a PostgreSQL database the
    tests may make logs in: SMCC_TEST_POSTGRES, which Tools/test.sh sets from Tools/pg.sh. Without
    it, or when the server does not answer, the PostgreSQL tests skip and say why."""
    base = os.environ.get("SMCC_TEST_POSTGRES")
    if not base:
        pytest.skip("PostgreSQL tests skipped: SMCC_TEST_POSTGRES is not set (Tools/test.sh sets it; "
                    "by hand: export SMCC_TEST_POSTGRES=$(bash Tools/pg.sh start))")
    import psycopg
    try:
        psycopg.connect(base, connect_timeout=5).close()
    except psycopg.Error as e:
        pytest.skip(f"PostgreSQL tests skipped: SMCC_TEST_POSTGRES={base} does not answer: {' '.join(str(e).split())}")
    return base
