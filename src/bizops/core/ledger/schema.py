"""The ledger's tables, its schema version, and the forward migrations.

`MIGRATIONS[n]` takes a ledger from version n-1 to n; each runs in its own
transaction with the version bump, so a ledger is always at one version. A
ledger newer than this program is refused (exit 78: the setup is wrong, not
the disk; upgrading bizops or pointing `--db` elsewhere fixes it).

Records are never changed: triggers refuse UPDATE and DELETE on every table,
so a correction can only be a new decision reversing an old one.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

_TABLES = """
CREATE TABLE bizops_decisions (
    id {id},
    company TEXT NOT NULL,
    command TEXT NOT NULL,
    row_label TEXT,
    customer TEXT,
    status TEXT,
    decided_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    user_name TEXT NOT NULL,
    host TEXT NOT NULL,
    plugin TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    bizops_version TEXT NOT NULL,
    policy_fingerprint TEXT NOT NULL,
    inputs TEXT NOT NULL,
    outputs TEXT NOT NULL,
    outputs_zh TEXT,
    reverses BIGINT UNIQUE REFERENCES bizops_decisions(id),
    entry_count INTEGER NOT NULL,
    checksum TEXT NOT NULL
);
CREATE INDEX bizops_decisions_company ON bizops_decisions (company, id);
CREATE INDEX bizops_decisions_customer ON bizops_decisions (company, customer);
CREATE TABLE bizops_entries (
    id {id},
    decision_id BIGINT NOT NULL REFERENCES bizops_decisions(id),
    seq INTEGER NOT NULL,
    company TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    amount {amount},
    value TEXT,
    sign INTEGER NOT NULL CHECK (sign IN (1, -1)),
    CHECK ((amount IS NULL) <> (value IS NULL)),
    UNIQUE (decision_id, seq)
);
CREATE INDEX bizops_entries_key ON bizops_entries (company, kind, key, id);
CREATE TABLE bizops_customers (
    id {id},
    company TEXT NOT NULL,
    name TEXT NOT NULL,
    fields TEXT NOT NULL,
    source TEXT,
    imported_at TEXT NOT NULL,
    user_name TEXT NOT NULL,
    UNIQUE (company, name)
);
"""

_SQLITE_IMMUTABLE = """
CREATE TRIGGER bizops_{table}_no_update BEFORE UPDATE ON bizops_{table}
BEGIN SELECT RAISE(ABORT, 'bizops ledger records are never changed; reverse a decision instead'); END;
CREATE TRIGGER bizops_{table}_no_delete BEFORE DELETE ON bizops_{table}
BEGIN SELECT RAISE(ABORT, 'bizops ledger records are never changed; reverse a decision instead'); END;
"""

_POSTGRES_IMMUTABLE = """
CREATE TRIGGER bizops_{table}_immutable BEFORE UPDATE OR DELETE ON bizops_{table}
FOR EACH ROW EXECUTE FUNCTION bizops_refuse_change();
"""

_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION bizops_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'bizops ledger records are never changed; reverse a decision instead';
END $$;
"""

_TABLE_NAMES = ("decisions", "entries", "customers")


def _v1(dialect: str) -> list[str]:
    if dialect == "sqlite":
        # TEXT affinity keeps amounts as the exact text written; NUMERIC would make them floats.
        ddl = _TABLES.format(id="INTEGER PRIMARY KEY AUTOINCREMENT", amount="TEXT")
        ddl += "".join(_SQLITE_IMMUTABLE.format(table=t) for t in _TABLE_NAMES)
        return _split(ddl)
    ddl = _TABLES.format(id="BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", amount="NUMERIC")
    statements = _split(ddl) + [_POSTGRES_FUNCTION.strip()]
    return statements + [_POSTGRES_IMMUTABLE.format(table=t).strip() for t in _TABLE_NAMES]


def _split(ddl: str) -> list[str]:
    """Statements of a DDL script (a trigger body's `;` stays inside its BEGIN … END)."""
    statements, current = [], []
    for line in ddl.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        if text.endswith(";") and (not text.upper().startswith("CREATE TRIGGER") or text.endswith("END;")):
            statements.append(text.rstrip(";"))
            current = []
    if "".join(current).strip():
        statements.append("\n".join(current).strip())
    return statements


#: version -> statements taking the ledger there from the version before.
MIGRATIONS = {1: _v1}

META_TABLE = "CREATE TABLE IF NOT EXISTS bizops_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
