"""The ledger's schema version and forward migrations (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from bizops.core.errors import LedgerError
from bizops.core.ledger import location, store
from bizops.core.ledger.schema import MIGRATIONS, SCHEMA_VERSION


def _open(db, write: bool):
    return store.Ledger.open(location.parse(db.url), write=write, timeout=5)


def test_a_new_ledger_is_at_the_current_version(db):
    reading = _open(db, write=False)
    assert reading is None or not reading.exists  # reading creates nothing
    if reading is not None:
        reading.close()
    assert not db.exists()
    ledger = _open(db, write=True)
    assert ledger.version == SCHEMA_VERSION
    ledger.close()
    assert db.sql("SELECT value FROM bizops_meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]


@pytest.mark.parametrize("write", [True, False])
def test_an_older_ledger_is_migrated_forward_once(db, monkeypatch, write):
    _open(db, write=True).close()
    step = SCHEMA_VERSION + 1

    def add_region(dialect):
        return [
            "ALTER TABLE bizops_customers ADD COLUMN region TEXT",
            "CREATE INDEX bizops_customers_region ON bizops_customers (company, region)",
        ]

    monkeypatch.setitem(MIGRATIONS, step, add_region)
    monkeypatch.setattr(store, "SCHEMA_VERSION", step)
    ledger = _open(db, write=write)  # reading migrates too, through a writing connection
    assert ledger.version == step
    ledger.close()
    assert _open(db, write=True).version == step  # and only once
    assert db.sql("SELECT value FROM bizops_meta WHERE key = 'schema_version'") == [(str(step),)]
    db.sql("SELECT region FROM bizops_customers")


def test_a_newer_ledger_is_refused_for_reading_and_writing(db):
    _open(db, write=True).close()
    db.sql("UPDATE bizops_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 5),))
    for write in (False, True):
        with pytest.raises(LedgerError) as caught:
            _open(db, write=write)
        assert caught.value.exit_code == 78
        assert f"schema version {SCHEMA_VERSION + 5}, newer than this bizops understands" in str(caught.value)
