"""The ledger's tables and views, its schema version, and the forward migrations.

`MIGRATIONS[n]` takes a ledger from version n-1 to n; the steps a ledger
needs run in one transaction with the version bump, so a ledger is always at
one version (`Ledger._migrate`). A
step is SQL text, or a function of the backend for what SQL cannot say (v2
adds up the existing entries into balances). A ledger newer than this
program is refused (exit 78: the setup is wrong, not the disk; upgrading
bizops or pointing `--db` elsewhere fixes it).

Records are never changed: triggers refuse UPDATE and DELETE on the records
(decisions, entries, customers, reads), so a correction can only be a new
decision reversing an old one. Three tables are kept by bizops beside them,
in the same transaction, and `ledger check` verifies each against the
records: `balances` (per company, kind and key: the total, the number of
standing entries, the latest standing value, and `changed`: the newest
decision that changed it, so a writer re-reads only what others changed),
`identities` (which standing
decision holds a request id) and `key_aliases` (keys written before schema 2
with other spacing). The views are documented in docs/ledger.md.

Schema 4 compares keys with full-width forms as ASCII (`codec.normal`:
`（番禺）` is `(番禺)`): the balances are added up again under the new keys,
and the spellings the records keep become `key_aliases`.

Schema 5 adds `policies`, a record like the customers: each policy decisions
were recorded under, by its fingerprint (the values of every setting as JSON),
so `ledger show` can decide a recorded row again under the policy it had and
explain it (`explain`), however the config has changed since.

Schema 6 adds a partial index, `bizops_decisions_moves`, on the decisions
that free request ids or take them over (`MOVES`: reversals, an aggregate
run's decisions), so a writer that waited for the lock asks in constant time
whether any were recorded meanwhile (`Ledger.moved_since`).

Schema 3 adds `filings`, a record like the customers: who filed which
customer on which day (`ledger import-customers` with `owner` and
`filed_on`). The customer's owner is its earliest filing (seed 000: the
first to file a new customer owns it), the `bizops_owners` view.
"""

from __future__ import annotations

SCHEMA_VERSION = 6
#: The schema that keeps the policies decisions were recorded under (`bizops_policies`).
POLICIES_SINCE = 5

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


# Whether a customer is known is a balance now: the (company, customer) index only cost every insert
# (`ledger list --customer` reads newest first and stops at its --limit).
# Only an aggregate run's decisions are looked up by request_id (a row's go through bizops_identities):
# the partial index costs nothing per recorded order.
# bizops_reads is its key alone, ordered for `ledger show` (the later readers of a balance): one
# B-tree a row. (SQLite 3.40's integrity_check also reports false NULLs in a WITHOUT ROWID table
# whose NOT NULL column sits among its key columns.)
_V2 = """
ALTER TABLE bizops_decisions ADD COLUMN request_id TEXT;
CREATE INDEX bizops_decisions_run ON bizops_decisions (company, command, request_id)
    WHERE request_id LIKE 'events:%';
CREATE INDEX bizops_customers_company ON bizops_customers (company, id);
DROP INDEX bizops_decisions_customer;
CREATE TABLE bizops_balances (
    company TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    total {amount} NOT NULL,
    entries BIGINT NOT NULL,
    value TEXT,
    value_decision BIGINT,
    value_seq INTEGER,
    changed BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (company, kind, key)
){rowid};
CREATE INDEX bizops_balances_changed ON bizops_balances (company, changed);
CREATE TABLE bizops_identities (
    company TEXT NOT NULL,
    command TEXT NOT NULL,
    request_id TEXT NOT NULL,
    decision_id BIGINT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (company, command, request_id)
){rowid};
CREATE TABLE bizops_reads (
    decision_id BIGINT NOT NULL,
    company TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (company, kind, key, decision_id)
){rowid};
CREATE TABLE bizops_key_aliases (
    company TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    written TEXT NOT NULL,
    PRIMARY KEY (company, kind, key, written)
){rowid};
"""

#: The views for people who query the ledger themselves (docs/ledger.md); `{j}` reads a JSON text.
_VIEWS = """
CREATE VIEW bizops_decisions_flat AS
SELECT d.id, d.company, d.command, d.request_id, d.row_label AS input_row, d.customer, d.status,
       COALESCE({text_decision}, d.status) AS decision,
       {main_amount} AS amount,
       {text_reason} AS reason,
       d.decided_at, d.recorded_at, d.user_name, d.host, d.plugin, d.plugin_version, d.reverses,
       (SELECT r.id FROM bizops_decisions r WHERE r.reverses = d.id) AS reversed_by
FROM bizops_decisions d;
CREATE VIEW bizops_vat_pending AS
SELECT company, key AS customer, total AS pending FROM bizops_balances WHERE kind = 'vat_pending';
CREATE VIEW bizops_trips AS
SELECT company, {first} AS employee, {rest} AS customer, entries AS trips
FROM bizops_balances WHERE kind = 'trips';
CREATE VIEW bizops_monthly_scores AS
SELECT company, {first} AS person, {rest} AS period, {score} AS score
FROM bizops_balances WHERE kind = 'monthly_score' AND value IS NOT NULL;
"""

#: The main amount of a decision, for the flattened view: the first of these outputs it has.
MAIN_AMOUNTS = ("amount", "total", "bonus_yuan", "fines")

#: Where the views differ: SQLite keeps amounts as exact text, PostgreSQL as NUMERIC.
_VIEW_SQL = {
    "sqlite": {
        "text_decision": "json_extract(d.outputs, '$.decision')",
        "text_reason": "json_extract(d.outputs, '$.reason')",
        "main_amount": "COALESCE(" + ", ".join(f"json_extract(d.outputs, '$.{k}')" for k in MAIN_AMOUNTS) + ")",
        "first": "substr(key, 1, instr(key, '|') - 1)",
        "rest": "substr(key, instr(key, '|') + 1)",
        "score": "json_extract(value, '$')",
    },
    "postgres": {
        "text_decision": "(d.outputs::jsonb ->> 'decision')",
        "text_reason": "(d.outputs::jsonb ->> 'reason')",
        "main_amount": "COALESCE(" + ", ".join(f"(d.outputs::jsonb ->> '{k}')::numeric" for k in MAIN_AMOUNTS) + ")",
        "first": "split_part(key, '|', 1)",
        "rest": "substr(key, strpos(key, '|') + 1)",
        "score": "(value::jsonb #>> '{}')::numeric",
    },
}


def _v2(dialect: str) -> list:
    sqlite = dialect == "sqlite"
    ddl = _V2.format(amount="TEXT" if sqlite else "NUMERIC", rowid=" WITHOUT ROWID" if sqlite else "")
    statements: list = _split(ddl)
    statements += _split(_VIEWS.format(**_VIEW_SQL[dialect]))
    if sqlite:
        statements += _split(_SQLITE_IMMUTABLE.format(table="reads"))
    else:
        statements.append(_POSTGRES_IMMUTABLE.format(table="reads").strip())
    from bizops.core.ledger.books import build_balances  # the one step SQL cannot say

    statements.append(build_balances)
    return statements


# A filing is a record: it is never changed, and a later import naming an earlier filed_on makes
# that filer the owner (the earliest wins). The customer is the ledger's normalised customer key.
# One filing per (customer, owner, day): the same list imported twice files nothing the second time.
_V3 = """
CREATE TABLE bizops_filings (
    id {id},
    company TEXT NOT NULL,
    customer TEXT NOT NULL,
    owner TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    source TEXT,
    imported_at TEXT NOT NULL,
    user_name TEXT NOT NULL,
    UNIQUE (company, customer, owner, filed_on)
);
CREATE INDEX bizops_filings_first ON bizops_filings (company, customer, filed_on, id);
CREATE VIEW bizops_owners AS
SELECT f.company, f.customer, f.owner, f.filed_on
FROM bizops_filings f
WHERE NOT EXISTS (
    SELECT 1 FROM bizops_filings e
    WHERE e.company = f.company AND e.customer = f.customer
      AND (e.filed_on < f.filed_on OR (e.filed_on = f.filed_on AND e.id < f.id))
);
"""


def _v3(dialect: str) -> list:
    sqlite = dialect == "sqlite"
    ddl = _V3.format(
        id="INTEGER PRIMARY KEY AUTOINCREMENT" if sqlite else "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    )
    statements: list = _split(ddl)
    if sqlite:
        statements += _split(_SQLITE_IMMUTABLE.format(table="filings"))
    else:
        statements.append(_POSTGRES_IMMUTABLE.format(table="filings").strip())
    from bizops.core.ledger.manage import file_imported_owners  # customers imported with an owner before schema 3

    statements.append(file_imported_owners)
    return statements


def _v4(dialect: str) -> list:
    from bizops.core.ledger.books import respell_keys  # balances under keys that read `（` as `(`

    return [respell_keys]


# A policy is a record: the first run under a fingerprint keeps its values; later runs keep nothing.
# Explaining a decision again asks whether its customer was known before it (`explain.AsOfHistory`):
# the decisions naming a customer, by id, found without reading every decision before it.
_V5 = """
CREATE TABLE bizops_policies (
    company TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    settings TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (company, fingerprint)
);
CREATE INDEX bizops_decisions_named ON bizops_decisions (company, customer, id) WHERE customer IS NOT NULL;
"""


def _v5(dialect: str) -> list:
    statements: list = _split(_V5)
    if dialect == "sqlite":
        return statements + _split(_SQLITE_IMMUTABLE.format(table="policies"))
    return [*statements, _POSTGRES_IMMUTABLE.format(table="policies").strip()]


#: How an aggregate run's decisions name the run they belong to (`request_id`), followed by its digest
#: (the partial index `bizops_decisions_run` of schema 2 spells it out).
RUN_PREFIX = "events:"
#: The decisions that free request ids or take them over: a reversal frees its decision's, an aggregate run's
#: decisions take their events' over. `Ledger.moved_since` asks for them in the same words, so SQLite and
#: PostgreSQL both see that this partial index answers it.
MOVES = f"reverses IS NOT NULL OR request_id LIKE '{RUN_PREFIX}%'"


def _v6(dialect: str) -> list:
    return [f"CREATE INDEX bizops_decisions_moves ON bizops_decisions (company, id) WHERE {MOVES}"]


#: version -> the steps taking the ledger there from the version before.
MIGRATIONS = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6}

META_TABLE = "CREATE TABLE IF NOT EXISTS bizops_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
