"""A recording run's new rows inserted into SQLite on a second thread, while the first goes on deciding.

Python's sqlite3 lets go of the GIL while SQLite works on a statement, so
SQLite's B-tree work can run on the other core beside the Python that
decides the next rows. Not with `executemany`: it takes the GIL back
between rows, and a thread that needs the GIL at every row beside a busy
one waits a switch interval each time (the convoy effect): the two would
take longer than one. So the rows go in as multi-row INSERTs, as many rows
as SQLite takes parameters for in one statement: one call, hundreds of rows
with the GIL let go; and while the thread works the switch interval is
shortened, so it waits little for the GIL when it needs it.

One set of inserts is in flight at a time. Anything else done with the
connection waits for it first (`wait`), and raises what it failed with,
in the thread that asked: a full disk is reported by the recording run,
as if its own statement had failed.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Sequence

#: The switch interval while inserts run beside the deciding thread (Python's default is 5 ms).
SWITCH_INTERVAL = 0.001

Insert = tuple[str, Sequence[str], Sequence[tuple]]  # (table, columns, rows)


class BackgroundInserts:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.parameters = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        self.thread: threading.Thread | None = None
        self.failure: BaseException | None = None
        self.interval = sys.getswitchinterval()

    def submit(self, inserts: list[Insert]) -> None:
        """Start inserting these rows (after the inserts before them are done)."""
        self.wait()
        sys.setswitchinterval(min(self.interval, SWITCH_INTERVAL))
        self.thread = threading.Thread(target=self._run, args=(inserts,), name="bizops-ledger-inserts", daemon=True)
        self.thread.start()

    def wait(self) -> None:
        """Until the inserts in flight are done; what they failed with is raised here."""
        if self.thread is not None:
            self.thread.join()  # a signal may interrupt the wait: the next `wait` waits again
            self.thread = None
            sys.setswitchinterval(self.interval)
        failure, self.failure = self.failure, None
        if failure is not None:
            raise failure

    def _run(self, inserts: list[Insert]) -> None:
        try:
            for table, columns, rows in inserts:
                insert_rows(self.conn, table, columns, rows, self.parameters)
        except BaseException as exc:  # raised by the next `wait`, in the thread that reads the ledger
            self.failure = exc


def insert_rows(conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Sequence[tuple], limit: int):
    """`rows` into `table`, as many per statement as `limit` parameters allow."""
    width = len(columns)
    per = max(1, limit // width)
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    one = "(" + ", ".join("?" * width) + ")"
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        conn.execute(head + ", ".join([one] * len(chunk)), [value for row in chunk for value in row])
