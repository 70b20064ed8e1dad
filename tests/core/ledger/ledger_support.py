"""Helpers for the ledger tests: the ledger under test (`Db`), the tally plugin, bizops child processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bizops.testing import isolated_env

HERE = Path(__file__).resolve().parent
TALLY = str(HERE / "tally_plugin.py")
PG_SKIP = (
    "PostgreSQL variant skipped: set BIZOPS_TEST_POSTGRES=postgresql://… to a database the tests may "
    "use (.ci/postgres starts a throwaway server and sets it)"
)


@dataclass
class Db:
    kind: str
    url: str
    schema: str | None = None

    def sql(self, statement: str, params=()) -> list:
        """Run SQL on the ledger behind bizops' back (to inspect it, or to break it on purpose)."""
        if self.kind == "sqlite":
            import sqlite3

            conn = sqlite3.connect(self.url, isolation_level=None)
            try:
                return conn.execute(statement, params).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            cursor = conn.execute(statement.replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []

    def drop_guard(self, table: str) -> None:
        """Remove the trigger that refuses changes to a record table (`decisions`, `entries`, …), as a person
        tampering with the books behind bizops would."""
        if self.kind == "sqlite":
            self.sql(f"DROP TRIGGER bizops_{table}_no_update")
        else:
            self.sql(f"DROP TRIGGER bizops_{table}_immutable ON bizops_{table}")

    def exists(self) -> bool:
        if self.kind == "sqlite":
            return Path(self.url).exists()
        return bool(self.sql("SELECT to_regclass('bizops_meta') IS NOT NULL")[0][0])

    def is_ledger(self) -> bool:
        """Whether bizops made a ledger here: a SQLite file may exist with no table in it yet (a writer killed
        while creating the ledger), which `ledger check` rightly calls no ledger."""
        if self.kind != "sqlite":
            return self.exists()
        if not self.exists():
            return False
        conn = sqlite3.connect(f"file:{self.url}?mode=ro", uri=True)
        try:
            return bool(conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'bizops_meta'").fetchone()[0])
        finally:
            conn.close()


def postgres_url() -> str | None:
    return os.environ.get("BIZOPS_TEST_POSTGRES") or None


def subprocess_env(tmp_path: Path, **extra: str) -> dict:
    """The environment of a bizops child process: isolated, like `bizops_run`'s."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIZOPS_")}
    for key, value in isolated_env(tmp_path).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    env.update(extra)
    return env


def bizops_process(args: list[str], tmp_path: Path, input: bytes | None = None, **env: str) -> subprocess.Popen:
    """Start `python -m bizops ARGS` as a real process (pipes for stdin, stdout, stderr)."""
    return subprocess.Popen(
        [sys.executable, "-m", "bizops", *args],
        cwd=tmp_path,
        env=subprocess_env(tmp_path, **env),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
