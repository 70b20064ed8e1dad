"""Fuzzing every input reader and every command: random bytes, then random rows of the right shape.

Whatever comes in, bizops ends with an exit code of the contract and never a
traceback; the built-in plugins never fail (70) on input they were given;
and a decision command accounts for every row it read: one result or one
row-numbered error each.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import CONTRACT_CODES, ROW_ERROR

from bizops.core.plugins import get_plugin_manager

SETTINGS = settings(
    max_examples=80,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _commands() -> list[tuple[str, str, object]]:
    """(company, command, spec) of every command the built-in companies answer."""
    host = get_plugin_manager(no_plugins=True)
    host.load_all()
    return [
        (name, command, spec)
        for name, loaded in sorted(host.companies().items())
        for command, spec in loaded.company.commands.items()
        if spec.inputs
    ]


COMMANDS = _commands()
COMMAND_IDS = [f"{company}:{command}" for company, command, _ in COMMANDS]
READERS = [None, "jsonl", "json", "csv", "tsv"]


def invoke(bizops_run, company: str, command: str, data: bytes, *args: str):
    return bizops_run("--company", company, *command.split(), "-", "--now", "2026-11-23T09:00", *args, input=data)


def check(run, company: str) -> None:
    assert run.exit_code in CONTRACT_CODES, run
    assert "Traceback" not in run.stderr, run
    assert run.exit_code != 70, f"the built-in plugin {company!r} failed: {run.stderr}"


# -- random bytes ------------------------------------------------------------------------------
NOISE = st.one_of(
    st.binary(max_size=600),
    st.lists(
        st.sampled_from(
            [
                b"{",
                b"}",
                b"[",
                b"]",
                b'"',
                b",",
                b":",
                b"\n",
                b"\r\n",
                b"\x00",
                b"\xff",
                b"\xef\xbb\xbf",
                b"1",
                b"-",
                b".",
                b"e9",
                b"NaN",
                b"true",
                b"null",
                b'"amount"',
                b'"qty"',
                b"\t",
                b"\xe4\xb8\x87",
                b"\\u0000",
                b"\xd8\x00",
            ]
        ),
        max_size=80,
    ).map(b"".join),
)


@pytest.mark.parametrize("company, command", [(c, m) for c, m, _ in COMMANDS], ids=COMMAND_IDS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=NOISE, reader=st.sampled_from(READERS), encoding=st.sampled_from([None, None, "gb18030", "utf-16"]))
def test_random_bytes_never_crash_a_reader(bizops_run, company, command, data, reader, encoding):
    args = (["--input-format", reader] if reader else []) + (["--encoding", encoding] if encoding else [])
    check(invoke(bizops_run, company, command, data, *args), company)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=NOISE, reader=st.sampled_from(READERS))
def test_random_bytes_never_crash_a_customer_import(bizops_run, tmp_path, data, reader):
    (tmp_path / "customers.in").write_bytes(data)
    r = bizops_run(
        "--company",
        "cable",
        "--db",
        str(tmp_path / "ledger.db"),
        "ledger",
        "import-customers",
        "customers.in",
        *(["--input-format", reader] if reader else []),
    )
    assert r.exit_code in CONTRACT_CODES and "Traceback" not in r.stderr, r


# -- random rows of the right shape ----------------------------------------------------------------
NASTY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e3",
        "NaN",
        "Infinity",
        "1,500",
        "¥1500",
        "１５００",
        "1500元",
        "2万",
        "壹万元整",
        "1_000",
        "9" * 40,
        "0.001",
        "12.345678",
        "5%",
        "true",
        "否",
        "yes",
        "2026-11-23",
        "2026-11-23T09:30",
        "2026/2/30",
        "25:61",
        "08:00",
        "=cmd|' /C calc'!A0",
        "@SUM(1)",
        "\t",
        "a\nb",
        "\x00",
        "\u202e",
        "广州",
        "Guangzhou",
        "cash",
        "credit",
        "vat",
        "new",
        "staff",
        "in_province",
        "train",
        "taxi",
        "[]",
        "[{}]",
        '[{"mode":"train"}]',
        "{}",
        "null",
    ]
)
SCALAR = st.one_of(
    NASTY_TEXT,
    st.text(max_size=12),
    st.integers(-(10**20), 10**20),
    st.booleans(),
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6),
)
VALUE = st.one_of(
    SCALAR,
    st.lists(SCALAR, max_size=3),
    st.lists(
        st.dictionaries(
            st.sampled_from(
                ["mode", "fare", "amount", "qty", "spec", "at", "class", "order_amount", "closed", "hours", "length_m"]
            ),
            SCALAR,
            max_size=4,
        ),
        max_size=3,
    ),
)


def valid(field):
    """Values a field of this kind accepts, so rows get past validation into the plugin's rules."""
    kind = field.kind
    if field.choices:
        return st.sampled_from(field.choices)
    if kind == "records":
        return st.lists(st.fixed_dictionaries({}, optional={f.name: value_for(f) for f in field.fields}), max_size=3)
    return {
        "int": st.integers(0, 60),
        "bool": st.booleans(),
        "date": st.dates().map(str),
        "datetime": st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
        "time": st.times().map(lambda t: t.strftime("%H:%M")),
        "decimal": st.decimals(0, 10**5, places=3).map(str),
        "pct": st.decimals(0, 100, places=2).map(str),
        "money": st.decimals(0, 10**7, places=2).map(str),
        "price": st.decimals(0, 10**5, places=4).map(str),
    }.get(kind, st.text(min_size=1, max_size=8))


def value_for(field):
    good = valid(field)
    return st.one_of(good, good, good, VALUE)


def rows_for(spec):
    names = [f.name for f in spec.inputs]
    row = st.fixed_dictionaries({}, optional={f.name: value_for(f) for f in spec.inputs})
    odd = st.dictionaries(st.sampled_from(names + ["unknown", "", "Amount", " qty "]), VALUE, max_size=len(names) + 2)
    return st.lists(st.one_of(row, row, odd), min_size=1, max_size=6)


def as_json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [as_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: as_json_value(v) for k, v in value.items()}
    return value


def encode(rows: list[dict], reader: str) -> tuple[bytes, int]:
    """The rows in one input format, and how many rows a decision command must account for."""
    rows = [as_json_value(r) for r in rows]
    if reader == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode(), len(rows)
    if reader == "json":
        return json.dumps(rows, ensure_ascii=False).encode(), len(rows)
    header = list(dict.fromkeys(k for r in rows for k in r))
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if reader == "tsv" else ",")
    writer.writerow(header)
    counted = 0
    for r in rows:
        cells = [
            ""
            if r.get(k) is None
            else json.dumps(r[k], ensure_ascii=False)
            if isinstance(r[k], list | dict)
            else str(r[k]).lower()
            if isinstance(r[k], bool)
            else str(r[k])
            for k in header
        ]
        writer.writerow(cells)
        counted += any(c.strip() for c in cells)  # a row of empty cells is no row
    return out.getvalue().encode(), counted


@pytest.mark.parametrize("company, command, spec", COMMANDS, ids=COMMAND_IDS)
@SETTINGS
@given(data=st.data(), reader=st.sampled_from(["jsonl", "json", "csv", "tsv"]))
def test_random_rows_are_each_decided_or_named(bizops_run, company, command, spec, data, reader):
    rows = data.draw(rows_for(spec))
    payload, expected = encode(rows, reader)
    if reader in ("csv", "tsv") and b"\x00" in payload:
        expected = None  # a NUL byte makes its row an error, but the header too may hold one
    r = invoke(bizops_run, company, command, payload, "--input-format", reader)
    check(r, company)
    if spec.aggregate or spec.group_by or expected is None or r.exit_code in (2, 69, 78):
        return
    results = r.stdout.splitlines()
    errors = {m.group(0) for m in ROW_ERROR.finditer(r.stderr)}
    header_errors = {e for e in errors if e == "row 1: " and reader in ("csv", "tsv")}
    assert len(results) + len(errors - header_errors) == expected, (rows, r)
