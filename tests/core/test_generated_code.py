"""The code the row pipeline generates: golden texts, and tracebacks that show its lines.

`compile_fields` (the field parser) and `Encoder` (the result encoder) write
straight-line Python per stream. The text they write for a spec covering
every kind is checked in under `golden/`: a change to the generated code
shows up here as a diff to read, not only as a benchmark figure. After a
deliberate change, rewrite the files with `BIZOPS_UPDATE_GOLDEN=1 pytest
tests/core/test_generated_code.py` and review the diff.
"""

from __future__ import annotations

import linecache
import os
import traceback
from decimal import Decimal
from pathlib import Path

import pytest

from bizops.core.encoder import Encoder
from bizops.core.requests import compile_fields
from bizops.core.schema import NOW, Column, Field

GOLDEN = Path(__file__).parent / "golden"

#: One field of every kind and every way a block is generated (memo, ints guard, text, a required name, records,
#: required, NOW).
FIELDS = (
    Field("sku", "text"),
    Field("customer", "text", required=True),
    Field("qty", "decimal", default=Decimal(1), gt=0),
    Field("guide_price", "price", ge=0),
    Field("amount", "money", required=True, ge=0),
    Field("discount_pct", "pct", default=Decimal(0), ge=0),
    Field("count", "int", default=0),
    Field("vat_invoice", "bool", default=True),
    Field("kind", "enum", default="a", choices=("a", "b")),
    Field("day", "date"),
    Field("requested_at", "datetime", default=NOW),
    Field("at", "time"),
    Field("legs", "records", fields=(Field("mode", "enum", required=True, choices=("train", "bus")),)),
)

#: One column of every kind, with `ge=0` on money and price (the inline sign check).
COLUMNS = (
    Column("company", "text"),
    Column("status", "enum"),
    Column("qty", "int"),
    Column("ok", "bool"),
    Column("total", "money", ge=0),
    Column("balance", "money"),
    Column("guide_price", "price", ge=0),
    Column("ratio", "decimal"),
    Column("due", "datetime"),
    Column("day", "date"),
    Column("warnings", "texts"),
    Column("items", "records"),
    Column("extra", "json"),
)


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("BIZOPS_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed: see this module's docstring"


def test_the_field_parser_is_the_golden_text():
    golden("fields.py.txt", compile_fields(FIELDS, watch_unknown=True).source)


def test_the_field_parser_without_watching_columns_is_the_golden_text():
    golden("fields-plain.py.txt", compile_fields(FIELDS[:3]).source)


def test_the_encoder_is_the_golden_text():
    golden("encoder.py.txt", Encoder(COLUMNS, explain=True).source)


def test_the_encoder_of_one_column_is_the_golden_text():
    golden("encoder-one.py.txt", Encoder(COLUMNS[:1], explain=False).source)


def test_the_recording_encoder_notes_the_values_that_may_read_differently_in_chinese():
    """`textual=True` (the recorder's): the columns whose Chinese twin is kept (`outputs_zh`) are named by
    the encoder, in the branches plain values never take, instead of a second look at every text column."""
    from bizops.core.i18n import Text

    encode = Encoder(COLUMNS, explain=False, textual=True)
    plain = {
        "company": "cable", "status": "ok", "qty": 1, "ok": True, "total": Decimal("1.00"),
        "balance": Decimal("-2.00"), "guide_price": Decimal("3.00"), "ratio": Decimal("0.5"),
        "due": None, "day": None, "warnings": [], "items": None, "extra": [],
    }  # fmt: skip
    encoded, noted = encode(plain)
    assert encoded == Encoder(COLUMNS, explain=False)(plain) and noted == []
    bilingual = dict(
        plain,
        company=Text("cable", "线缆"),
        status=Text("ok", "通过"),  # equal to 'ok': the status's own check lets it through
        warnings=[Text("late", "迟了")],
        items=[{"name": Text("pipe", "管")}],
        extra={"plain": "x"},
    )
    encoded, noted = encode(bilingual)
    assert noted == ["company", "status", "warnings", "items", "extra"]
    assert encoded["warnings"] == ["late"] and encoded["items"] == [{"name": "pipe"}]
    assert encode(dict(plain, company="", warnings=["plain text"]))[1] == ["warnings"]  # a list may hold a Text


def frames_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def test_a_traceback_through_the_field_parser_shows_its_line():
    build = compile_fields(FIELDS)
    with pytest.raises(AttributeError) as caught:
        build(None)  # not a dict: fails on the parser's first line
    text = frames_text(caught.value)
    assert "<bizops fields " in text and "get = raw.get" in text


def test_a_traceback_through_the_encoder_shows_its_line():
    encode = Encoder(COLUMNS, explain=False).encode
    with pytest.raises(TypeError) as caught:
        encode(None)
    text = frames_text(caught.value)
    assert "<bizops encoder " in text and "= pick(r)" in text


def test_the_same_code_shares_one_linecache_entry():
    before = sum(1 for name in linecache.cache if str(name).startswith("<bizops fields "))
    for _ in range(3):
        compile_fields(FIELDS[:2])
    after = sum(1 for name in linecache.cache if str(name).startswith("<bizops fields "))
    assert after <= before + 1
