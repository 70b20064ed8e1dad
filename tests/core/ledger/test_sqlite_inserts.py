"""SQLite inserts on a second thread (`sqlite_inserts`): every row in, in order; a failure raised where it is asked.

The whole recording path over it (kill -9, a statement failing on the
thread, four writers) is tried in test_ledger_stops.py.
"""

from __future__ import annotations

import sqlite3
import sys
import threading

import pytest

from bizops.core.ledger.location import Location
from bizops.core.ledger.sqlite_backend import SqliteBackend
from bizops.core.ledger.sqlite_inserts import BackgroundInserts, insert_rows


def orders_table(path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount TEXT)")
    return conn


def test_rows_beyond_one_statements_parameters_go_in_as_several_statements(tmp_path):
    conn = orders_table(tmp_path / "t.db")
    rows = [(i, f"恒通{i}", f"{i}.50" if i % 3 else None) for i in range(1, 12)]
    statements = []
    conn.set_trace_callback(statements.append)
    insert_rows(conn, "orders", ("id", "customer", "amount"), rows, limit=7)  # two rows (six values) a statement
    conn.set_trace_callback(None)
    assert len(statements) == 6
    reader = sqlite3.connect(tmp_path / "t.db")
    assert reader.execute("SELECT id, customer, amount FROM orders ORDER BY id").fetchall() == rows


def test_a_failure_on_the_thread_is_raised_by_the_next_wait_and_the_connection_goes_on(tmp_path):
    conn = orders_table(tmp_path / "t.db")
    inserts = BackgroundInserts(conn)
    before = sys.getswitchinterval()
    conn.execute("BEGIN IMMEDIATE")
    inserts.submit([("orders", ("id", "customer"), [(1, "恒通"), (2, "恒通")])])
    inserts.submit([("orders", ("id", "customer"), [(3, "恒通"), (1, "again")])])  # id 1 twice
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        inserts.wait()
    inserts.wait()  # raised once, not again
    assert sys.getswitchinterval() == before
    assert conn.execute("SELECT id FROM orders ORDER BY id").fetchall() == [(1,), (2,)]  # the failed statement undone
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT count(*) FROM orders").fetchone() == (0,)


def test_the_backend_waits_for_the_inserts_before_anything_else_on_its_connection(tmp_path):
    path = tmp_path / "t.db"
    orders_table(path).close()
    backend = SqliteBackend.open(Location("sqlite", str(path), "flag"), write=True, timeout=5)
    backend.execute("BEGIN IMMEDIATE")
    rows = [(i, f"客户{i % 400}", f"{i}.00") for i in range(1, 50_001)]
    backend.insert_later([("orders", ("id", "customer", "amount"), rows)])
    seen = backend.execute("SELECT count(*), max(id) FROM orders").fetchone()  # waits for the thread first
    assert seen == (50_000, 50_000)
    assert not [t for t in threading.enumerate() if t.name == "bizops-ledger-inserts"]
    backend.commit()
    backend.close()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM orders").fetchone() == (50_000,)


def test_a_rollback_after_a_failure_on_the_thread_leaves_nothing(tmp_path):
    path = tmp_path / "t.db"
    orders_table(path).close()
    backend = SqliteBackend.open(Location("sqlite", str(path), "flag"), write=True, timeout=5)
    backend.execute("BEGIN IMMEDIATE")
    backend.insert_later([("orders", ("id", "customer"), [(1, "恒通"), (2, None)])])  # customer NOT NULL
    backend.rollback()  # the failure is why the transaction is given up: not raised again
    backend.close()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM orders").fetchone() == (0,)
