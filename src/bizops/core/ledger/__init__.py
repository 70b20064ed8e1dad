"""The ledger: what was decided before, for the rules that depend on it.

Where it is (`location`): `--db`, else `BIZOPS_DB`, else `db` in the config,
else `ledger.db` in the user data dir; SQLite (`sqlite_backend`) or a
PostgreSQL server (`postgres_backend`, psycopg 3 from `bizops[postgres]`).

What it holds (`schema`, `store`): decisions (inputs, outputs, company,
plugin and version, policy fingerprint, time, user, request id; the trace
only under --explain: `explain` makes it again for `ledger show`), the
policies they were made under, the (company, kind, key) entries each decision wrote through
`context.history` (an exact amount, or a JSON value), the balances they add
up to (`books`), the balances each decision read, and imported customers.
Records are never changed; `bizops ledger reverse` adds a decision undoing
one (`lots`: what it added that is still there).

How commands use it: reading history opens the ledger on first use
(`open_history`; a ledger that does not exist is empty history and is not
created); `--record` (`record`) decides rows in batched transactions, a
request already recorded shown again instead (`replay`). Nothing here is
imported by a run that never touches history.
"""

from __future__ import annotations

from bizops.core.errors import UsageError
from bizops.core.i18n import msg
from bizops.core.ledger.location import Location, locate

DEFAULT_TIMEOUT = 20.0


def location_of(source: tuple) -> Location:
    """The location from `Session.ledger_source`."""
    option, env, config, config_path, data_dir, _timeout = source
    return locate(option, env, config, config_path, data_dir)


def timeout_of(source: tuple) -> float:
    """Seconds to wait for another writer: `BIZOPS_LEDGER_TIMEOUT`, default 20."""
    text = source[5]
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise UsageError(
            msg(
                "BIZOPS_LEDGER_TIMEOUT must be seconds between 0 and 3600, got {v!r}",
                "BIZOPS_LEDGER_TIMEOUT 必须是 0 到 3600 之间的秒数，实际为 {v!r}",
                v=text,
            )
        )
    return value


def open_ledger(source: tuple, *, write: bool):
    """The `Ledger` for `Session.ledger_source`, or None when reading one that does not exist."""
    from bizops.core.ledger.store import Ledger

    return Ledger.open(location_of(source), write=write, timeout=timeout_of(source))


def open_history(source: tuple, company: str):
    """`context.history` for a run without `--record`: reads only."""
    import atexit

    from bizops.core.ledger.history import LedgerHistory, NoHistory

    ledger = open_ledger(source, write=False)
    if ledger is None or not ledger.exists:
        if ledger is not None:
            ledger.close()
        return NoHistory()
    # Closed at exit, not left to the garbage collector: the last connection to close removes -wal and -shm.
    atexit.register(ledger.close)
    return LedgerHistory(ledger, company)
