"""Fixtures for the ledger tests: each test runs against SQLite and against PostgreSQL.

The PostgreSQL variant needs a server: set BIZOPS_TEST_POSTGRES to a database
URL (`.ci/postgres` starts one and sets it). Each test gets a schema of its
own in that database, dropped afterwards.
"""

from __future__ import annotations

import uuid

import pytest
from ledger_support import PG_SKIP, TALLY, Db, postgres_url


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path):
    """A fresh, not yet created ledger: a SQLite path, or an empty schema on the test server."""
    if request.param == "sqlite":
        yield Db("sqlite", str(tmp_path / "ledger.db"))
        return
    base = postgres_url()
    if not base:
        pytest.skip(PG_SKIP)
    pytest.importorskip("psycopg", reason="PostgreSQL variant: pip install 'bizops[postgres]'")
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in base else "?"
    yield Db("postgres", f"{base}{joiner}options=-csearch_path%3D{schema}", schema)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def sqlite_db(tmp_path):
    return Db("sqlite", str(tmp_path / "ledger.db"))


@pytest.fixture
def tally(bizops_run, db):
    """`tally(*args)`: bizops with the tally test plugin, the company tally and the ledger `db`."""

    def invoke(*args, input=None, env=None):
        return bizops_run("--plugin", TALLY, "--company", "tally", "--db", db.url, *args, input=input, env=env)

    return invoke


@pytest.fixture
def ledger_cmd(bizops_run, db):
    """`ledger_cmd(*args)`: `bizops ledger ARGS` on the ledger `db`."""

    def invoke(*args, input=None, env=None):
        return bizops_run("--plugin", TALLY, "ledger", *args, "--db", db.url, input=input, env=env)

    return invoke
