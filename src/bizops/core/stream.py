"""The row pipeline: raw rows -> typed requests -> a hook -> checked results -> a writer.

One pass, in input order, nothing held but what a table needs to draw. Every
input row ends as one written result or one row-numbered error (decision
commands), or feeds an aggregate (score). The exit code is the highest that
applies: 1 when a row was refused, 65 when a row was invalid, 70 when the
plugin failed (its answer judged by `Sink.settle`, the same for every way a
hook is driven).
"""

from __future__ import annotations

import sys
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple, NoReturn

from bizops.core.display import shown
from bizops.core.encoder import BadOutput, Encoder
from bizops.core.errors import BizopsError, Exit, KeyTooLong, PluginFailure, RowError
from bizops.core.i18n import Text, msg, render
from bizops.core.names import CURRENCY_KEYS, InputNames
from bizops.core.outcomes import Encoded, RowMap, map_rows  # noqa: F401 - map_rows re-exported
from bizops.core.requests import FieldParser, TotalsLine, compile_fields, compile_problems, joined, totals_line
from bizops.core.schema import Column, CommandSpec
from bizops.core.values import BadValue
from bizops.core.writers import LINE, UNWRITABLE, Writer, dumps, unwritable


class Job(NamedTuple):
    """One command over one stream, as the runner needs it.

    `process(requests)` calls the hook (bound to company, policy and context)
    and returns its outcomes; None from the company's own plugin is its failure.
    """

    company: str
    command: str
    spec: CommandSpec
    columns: tuple[Column, ...]
    process: Callable[[Iterator[tuple]], Iterable | None]
    hook: str
    plugin: str
    plugin_modules: dict[str, str] = {}  # noqa: RUF012 - module prefix -> plugin name
    now: Any = None
    names: InputNames | None = None  # what the input's columns may be called (for the unknown-column message)


class Sink:
    """Where outcomes go: results checked and written, errors and warnings to stderr.

    `settle(outcome, row)` is the one place an outcome of a plugin is judged,
    whichever way the plugin was driven (see `run`).
    """

    def __init__(self, writer: Writer, encoder: Encoder, company: str, lang: str, err=None):
        self.writer, self.encoder, self.company, self.lang = writer, encoder, company, lang
        self.err = err if err is not None else sys.stderr
        self.refused = False
        self.row_errors = 0
        self._warned: set[str] = set()
        self.settle = self._settler()

    def _settler(self) -> Callable[[Any, Any], None]:
        """`settle(outcome, row)`: write a result, report a `RowError`, or raise `BadOutput` saying what is wrong.

        A closure over what it needs, as it runs once per row; nothing of a
        result is written unless all of it passed.
        """
        encode, company, row_error = self.encoder.encode, self.company, self.row_error
        writer = self.writer
        # JSON Lines: encoded row -> bytes -> file, C calls only (a Python frame less per row)
        put = writer.out.write if getattr(writer, "lines", False) else None
        write = writer.write

        def settle(outcome: Any, row: Any) -> None:
            kind = outcome.__class__
            if kind is dict or kind is Encoded:
                try:
                    text = None
                    if kind is Encoded:  # checked, and encoded, as it was recorded
                        encoded, text, outcome = outcome.encoded, outcome.json, outcome.result
                    elif outcome.setdefault("company", company) != company:
                        raise BadOutput(f"answered for company {outcome['company']!r}, not {company!r}")
                    else:
                        encoded = encode(outcome)  # checks every column, the status among them
                    if outcome.get("status") == "refused":
                        self.refused = True
                    try:
                        if put is not None:
                            put(dumps(encoded, None, LINE) if text is None else text + b"\n")
                        else:
                            write(encoded, outcome)
                    except UNWRITABLE as exc:
                        raise BadOutput(unwritable(exc)) from None
                except BadOutput as exc:
                    raise BadOutput(f"returned an invalid result: {exc}") from None
            elif isinstance(outcome, RowError):
                if outcome.row is None:
                    outcome.row = row
                row_error(outcome)
            else:
                raise BadOutput(f"returned {type(outcome).__name__}, not a result dict or RowError")

        return settle

    def row_error(self, error: RowError) -> None:
        self.row_errors += 1
        self.err.write(row_message(error, self.lang) + "\n")

    def warn(self, text: Text) -> None:
        """A stream-level warning, written once however often it is raised."""
        if text not in self._warned:
            self._warned.add(text)
            label = "警告" if self.lang == "zh" else "warning"
            self.err.write(f"{label}: {shown(render(text, self.lang))}\n")

    def exit_code(self) -> int:
        if self.row_errors:
            return Exit.DATA
        if self.refused:
            return Exit.REFUSED
        return Exit.OK


def _detached(error: BadValue) -> BadValue:
    """A row's error kept for its reason, without the frames its traceback and the exceptions it was raised
    from hold (they hold it back: a cycle of some 25 objects a bad row for the garbage collector to find)."""
    error.__traceback__ = error.__context__ = error.__cause__ = None
    return error


def unknown_message(unknown: list[str], names: InputNames, command: str) -> Text:
    """`column 'amout' is not a field of cable approve-order; ignored (did you mean amount? known: …)`."""
    hints = []
    scaled = [name for name in unknown if names.scaled(name)]
    for name in unknown:
        if name not in scaled and (field := names.likely(name)) is not None:
            hints.append(f"{name} → {field}?")
    known = names.known("en")
    if len(unknown) == 1:
        en = f"column {unknown[0]!r} is not a field of {command}; ignored"
        zh = f"列 {unknown[0]!r} 不是 {command} 的字段，已忽略"
    else:
        listed = ", ".join(repr(n) for n in unknown)
        en = f"columns {listed} are not fields of {command}; ignored"
        zh = f"列 {listed} 不是 {command} 的字段，已忽略"
    en += f" (did you mean {', '.join(hints)} " if hints else " ("
    zh += f"（是否应为 {'，'.join(hints)}；" if hints else "（"
    text = Text(
        f"{en}known: {known}; other names can be mapped in [columns] of bizops.toml)",
        f"{zh}可用的列：{known}；其他列名可在 bizops.toml 的 [columns] 中对应）",
    )
    for name in scaled:  # read as 元 it would be off by the unit's factor: never read, and said why
        text += Text(
            f"; {name!r} counts money in units larger than 元 (yuan): bizops reads money in 元 only, "
            "so give that column in 元",
            f"；{name!r} 的金额单位大于元：bizops 只按元读取金额，请把该列换算成元",
        )
    return text


def row_message(error: RowError, lang: str) -> str:
    """`row 17: …` as one line for a person: what the row held is shown, never obeyed (`bizops.core.display`)."""
    row = error.row if error.row is not None else "?"
    if lang == "zh":
        return shown(f"第 {row} 行：{render(error.message, lang)}")
    return shown(f"row {row}: {error.message}")


def run(job: Job, rows: Iterable, sink: Sink, exact: Callable | None = None, build: FieldParser | None = None) -> None:
    """Push `rows` (`(row, raw)` pairs or `RowError`s) through the job into `sink`.

    `exact(row, raw)` (a JSON Lines reader's) re-reads a row that failed
    validation with its decimals exact, when the fast parser made a float of one.
    `build` is the job's `compile_fields`, when the caller keeps one across
    runs (`--jobs` pieces: its memo stays warm).

    The hook is driven one of two ways, both ending in `sink.settle`: when it
    returns `map_rows` over our requests (the common case), `decide` is called
    here row by row (`_run_direct`); otherwise its outcomes are taken in turn,
    matched to the requests they answer (`_run_general`). What the plugin gets
    wrong is a `PluginFailure` naming it and the hook: an answer of None, an
    exception, a result `settle` refuses, more or fewer results than requests.
    """
    spec = job.spec
    if build is None:
        build = compile_fields(spec.inputs, job.now, watch_unknown=True)
    known = {f.name for f in spec.inputs}
    if spec.group_by:
        into = next(f for f in spec.inputs if f.name == spec.group_into)
        # A name the trip has as well as its items (a trip-level approval) is the trip's, never an item's.
        item_fields = tuple(f.name for f in into.fields if f.name not in known)
        known |= {spec.group_by} | set(item_fields)
        rows = group_rows(rows, spec.group_by, into.name, item_fields, known)
    #: The names once a row keys its fields by other names (a JSON row written from a sheet: 客户, 金额, 已收):
    #: that row and every later one are read as a table's header is. A table's header is named already.
    keyed: list[InputNames] = []
    named: list[InputNames] = []
    reported: set[str] = set()  # the unknown names said to be ignored
    blank: set[str] = set()  # unknown columns empty so far: their first value is checked as it comes
    priced: list[InputNames] = []  # once a column names a currency: the names that check each row's money
    refused: list[BadValue] = []  # why no row is read: a key only near a counted field's names
    held: dict[str, Text] = {}  # column -> why a row with a value in it is not read (it holds a field's choices)
    if not spec.group_by:
        rows = _keyed_by(rows, keyed)
    pending: deque = deque()
    group_by = spec.group_by
    checkers: list = []

    def every_problem(raw: dict) -> list:
        if not checkers:  # compiled at the first bad row: most streams have none
            checkers.append(compile_problems(spec.inputs, job.now))
        return checkers[0](raw)

    def unknown_columns(raw: dict) -> bool:
        """Columns no field reads: say so, once, with the names that are known (`warn` keeps each text once).

        True, and nothing said, when they name fields (the first row keyed `客户`): the row is read again.
        """
        if refused:
            raise refused[0]
        for name, why in held.items():  # a column holding a choice: each row with a value in it
            if _filled(raw.get(name)):
                raise BadValue(why)
        if blank:  # ignored while empty: a later row's cell may hold a choice (产品类别 first empty, then 定制品)
            filled = [name for name in blank if _filled(raw.get(name))]
            if filled:
                blank.difference_update(filled)
                hold(named[0].holding_choices(filled, raw))
        if not raw.keys() <= known:
            # Each name once: a message (and its "did you mean") per row made a JSON file with an extra key
            # on every line ten times slower.
            unknown = [name for name in raw if name and name not in known and name not in reported]
            if unknown:
                if not named:  # made once: its names are built at the first use
                    named.append(job.names if job.names is not None else InputNames(spec.inputs, spec.outputs))
                names = named[0]
                if not keyed and not group_by and any(names(name) in known for name in unknown):
                    keyed.append(names)
                    return True
                # A key only near a counted field's names (a JSON row's: a table's header was refused for it
                # already): every row is refused by it.
                near = names.unmapped(list(raw))
                if near is not None:
                    refused.append(BadValue(Text("not read: the row ", "未读取：该行") + near))
                    raise refused[0]
                hold(names.holding_choices(unknown, raw))
                currency = CURRENCY_KEYS.intersection(unknown) if names.priced else ()
                if currency:  # read, for what it says of the money: never said to be ignored
                    priced.append(names)
                    reported.update(currency)
                    unknown = [name for name in unknown if name not in currency]
                if unknown:
                    reported.update(unknown)
                    blank.update(name for name in unknown if not _filled(raw.get(name)))
                    sink.warn(unknown_message(unknown, names, f"{job.company} {job.command}"))
            if priced:  # a currency column: each row's money must be in 元
                foreign = priced[0].foreign(raw)
                if foreign is not None:
                    raise BadValue(foreign)
        return False

    def hold(found: tuple[str, Text] | None) -> None:
        """A column found holding a choice field's values: this row, and each later one with a value there, is
        not read (a row leaving it empty gives the field as much as one without the column)."""
        if found is not None:
            column, why = found
            held[column] = Text("not read: ", "未读取：") + why
            reported.add(column)  # read, for what it holds: never said to be ignored
            raise BadValue(held[column])

    def unknown_in_build(raw: dict) -> None:
        if unknown_columns(raw):
            raise _KEYED

    build.namespace["unknown"] = unknown_in_build  # called by build when a row has keys it did not fill

    def validate(item):
        """`(row, fields)` for a good row; None after reporting a bad one."""
        if type(item) is not tuple:
            sink.row_error(item)
            return None
        row, raw = item
        try:
            if keyed and not raw.keys() <= known:  # the row that found its keys name fields
                raw = keyed[0].keyed(raw)
            again = None
            try:
                return row, build(raw)
            except BadValue as first:
                error = _detached(first)
            if error is _KEYED or unknown_columns(raw):
                return validate(item)
            again = exact(row, raw) if exact is not None else None
            if again is not None and keyed:
                again = keyed[0].keyed(again)
        except BadValue as exc:  # a field two keys name, or the run's refusal: this row's error, and all of it
            sink.row_error(RowError(exc.reason, row))
            return None
        if again is not None:
            try:
                return row, build(again)
            except BadValue as second:  # still bad when read exactly: say what is wrong now
                error = _detached(second)
        reasons = every_problem(again if again is not None else raw)
        if isinstance(error, TotalsLine) and reasons:
            error = BadValue(reasons[0])  # what else is wrong with it; the totals line is named below
        reason = error.reason
        if len(reasons) > 1:  # all of them in the one message: the row is fixed once, not once per problem
            reason = joined(reasons)
        if group_by and raw.get(group_by) not in (None, ""):
            reason = Text(f"{group_by} {raw[group_by]}: ", f"{group_by} {raw[group_by]}：") + reason
        total = next((v.strip() for v in raw.values() if type(v) is str and totals_line(v.strip())), None)
        if total is not None and not isinstance(error, TotalsLine):  # still an error (nothing is dropped unsaid)
            reason = Text(f"a totals row ({total}), not a request: ", f"合计行（{total}），不是一笔请求：") + reason
        sink.row_error(RowError(reason, row))
        return None

    def requests():
        for item in rows:
            request = validate(item)
            if request is not None:
                pending.append(request[0])
                yield request

    def aggregated():  # an aggregate's outcomes answer no one request: keep no row numbers (memory by rows)
        for item in rows:
            request = validate(item)
            if request is not None:
                yield request

    ours = aggregated() if spec.aggregate else requests()
    outcomes = guarded(job, lambda: job.process(ours))
    try:
        if outcomes is None:
            raise BadOutput("gave no answer (the hook returned None for its own company)")
        if type(outcomes) is RowMap and outcomes.requests is ours and not spec.aggregate:
            _run_direct(job, rows, build, validate, outcomes.decide, sink.settle)
        else:
            _run_general(job, outcomes, None if spec.aggregate else pending, sink.settle)
    except BadOutput as exc:
        raise PluginFailure(job.plugin, job.hook, str(exc)) from None


def _filled(value: Any) -> bool:
    return type(value) is str and bool(value.strip())


#: Raised inside `build` by the first row whose keys name fields by other names: it is read again, keyed.
_KEYED = BadValue(Text("keyed by other names", "以其他名称为键"))


def _keyed_by(rows: Iterable, keyed: list) -> Iterator:
    """`rows`, each keyed by the fields its keys name once `keyed` holds the names (see `run`)."""
    for item in rows:
        if keyed and type(item) is tuple:
            try:
                item = (item[0], keyed[0].keyed(item[1]))
            except BadValue as exc:
                item = RowError(exc.reason, item[0])
        yield item


def _run_direct(job: Job, rows: Iterable, build, validate, decide, settle) -> None:
    """The common case, `map_rows` over our requests: call `decide` per row, no generators.

    A row that is not plainly good (an error from the reader, a bad value)
    goes through `validate`, which reports it. A `RowError` that `decide`
    raises is that row's outcome, as `RowMap` makes it when iterated.
    """
    for item in rows:
        if type(item) is tuple:
            row = item[0]
            try:
                fields = build(item[1])
            except BadValue:
                request = validate(item)
                if request is None:
                    continue
                fields = request[1]
        else:
            request = validate(item)
            if request is None:
                continue
            row, fields = request
        try:
            outcome = decide(fields)
        except RowError as exc:
            exc.row = row
            outcome = exc
        except (BizopsError, KeyboardInterrupt):
            raise
        except BaseException as exc:
            failed(job, exc)
        settle(outcome, row)


def _run_general(job: Job, outcomes: Iterable, pending: deque | None, settle) -> None:
    """Any other answer: take the outcomes in turn, each for the oldest request not yet answered.

    `pending` holds the rows of the requests handed out and not yet
    answered; None for an aggregate (its outcomes answer no one request).
    """
    iterator = guarded(job, lambda: iter(outcomes))
    row = None
    while True:
        try:
            outcome = next(iterator)
        except StopIteration:
            break
        except (BizopsError, KeyboardInterrupt):
            raise
        except BaseException as exc:
            failed(job, exc)
        if pending is not None:
            if not pending:
                raise BadOutput("returned more results than requests")
            row = pending.popleft()
        settle(outcome, row)
    if pending:
        raise BadOutput(f"returned no result for {len(pending)} request(s)")


def guarded(job: Job, call: Callable[[], Any]) -> Any:
    """Call into a plugin; anything it raises becomes a `PluginFailure` naming it (`failed`)."""
    try:
        return call()
    except (BizopsError, KeyboardInterrupt):
        raise
    except BaseException as exc:
        failed(job, exc)


def failed(job: Job, exc: BaseException) -> NoReturn:
    """Raise what `exc`, raised while a plugin's hook ran, means: a `PluginFailure` naming the plugin whose
    code raised (innermost frame wins), or `exc` itself when no plugin's code is in its traceback and the
    ledger's recording code raised it (reported as bizops failing, exit 70: the plugin is not to blame)."""
    if isinstance(exc, KeyTooLong):  # the data's, met where no one row is decided (an aggregate's history)
        raise BizopsError(exc.message, Exit.DATA) from None
    plugin = job.plugin
    frames = [frame for frame, _ in traceback.walk_tb(exc.__traceback__)]
    for frame in reversed(frames):
        module = frame.f_globals.get("__name__", "")
        owner = next(
            (
                name
                for prefix, name in job.plugin_modules.items()
                if module == prefix or module.startswith(prefix + ".")
            ),
            None,
        )
        if owner:
            plugin = owner
            break
    else:
        if frames and frames[-1].f_globals.get("__name__", "").startswith("bizops.core.ledger."):
            raise exc
    if isinstance(exc, SystemExit):
        detail = f"called sys.exit({exc.code!r})"
    else:
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
    raise PluginFailure(plugin, job.hook, detail) from exc


def _same(head: dict, other: dict, known) -> bool:
    """Whether two rows give the same fields (what names no field aside)."""
    return {k: v for k, v in head.items() if k in known} == {k: v for k, v in other.items() if k in known}


class _NoKey:
    """The key of a row that gives none (`group_rows`): equal to no other."""


def group_rows(
    rows: Iterable, key: str, into: str, item_fields: tuple[str, ...], known: frozenset[str] | set[str]
) -> Iterator:
    """Join consecutive rows with the same `key` into one, their item fields as a list.

    A claim kept in a spreadsheet has one row per leg, the trip's fields
    repeated; this makes it one request with `into` = the legs. A row whose
    `into` is already a list (JSON) passes as it is. The joined row's number
    is the span (`3-5`). A trip field that differs between its rows is an error;
    a column that names no field (`known`: a 说明 beside each leg) is only said
    to be ignored, whatever it holds.

    Consecutive rows without a key that repeat the same fields, each with an
    item, are one request's rows whose key was left out (a claims sheet with
    no 行程编号 column): read apart, each leg would be a trip claimed again,
    its allowance paid once per leg. They are one error, never a guess.
    """
    current = None  # [key value, first row, last row, head dict, items, error]

    def flush():
        nonlocal current
        if current is None:
            return None
        _value, first, last, head, items, error = current
        current = None
        label = first if first == last else f"{first}-{last}"
        if error is not None:
            return RowError(error, label)
        head[into] = items
        return label, head

    for item in rows:
        if type(item) is not tuple:
            yield item
            continue
        row, raw = item
        value = raw.get(key)
        if raw.get(into) not in (None, ""):  # the items came whole (a JSON list, or JSON text in a flag)
            done = flush()
            if done is not None:
                yield done
            yield item
            continue
        leg = {name: raw[name] for name in item_fields if name in raw}
        has_leg = any(v not in (None, "") for v in leg.values())
        head = {name: v for name, v in raw.items() if name not in item_fields or name == key}
        if value in (None, ""):  # no key: a group of its own, so its item is not lost …
            if has_leg and current is not None and type(current[0]) is _NoKey and _same(current[3], head, known):
                current[2] = row  # … unless it repeats the row before: the same request, its key left out
                current[5] = msg(
                    "these rows repeat one request's fields with no {k}: read apart, each row would be a "
                    "request of its own; give the rows of one request the same {k}",
                    "这些行重复同一请求的字段却没有 {k}：若分开读取，每行都将是一笔单独的请求；"
                    "请给同一请求的各行填写相同的 {k}",
                    k=key,
                )
                continue
            value = _NoKey()
        if current is not None and current[0] == value:
            current[2] = row
            if current[5] is None:
                for name, v in head.items():
                    if v not in (None, "") and current[3].get(name) not in (None, "", v) and name in known:
                        current[5] = msg(
                            "{k} {v}: {f} differs between its rows ({a!r} and {b!r})",
                            "{k} {v}：各行的 {f} 不一致（{a!r} 与 {b!r}）",
                            k=key,
                            v=value,
                            f=name,
                            a=current[3][name],
                            b=v,
                        )
                        break
                    if current[3].get(name) in (None, ""):
                        current[3][name] = v
            if has_leg:
                current[4].append(leg)
            continue
        done = flush()
        if done is not None:
            yield done
        current = [value, row, row, head, [leg] if has_leg else [], None]
    done = flush()
    if done is not None:
        yield done
