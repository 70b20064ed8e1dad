"""The cable maker's guide price list (产品指导价), from CSV or TOML.

Columns: `sku, guide_price, standard (国标: yes/no), harness (线束: yes/no),
unit, name`. In TOML, one table per SKU (`[items."BV-2.5"]`) or an array
`[[items]]` with a `sku` key. Guide prices keep up to four decimals.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from bizops.api import BadValue, ConfigError, NotANumber, msg, os_reason, parse_bool, places, to_decimal


class ListedProduct(NamedTuple):
    sku: str
    guide_price: Decimal
    standard: bool = True
    harness: bool = False
    unit: str = ""
    name: str = ""


_loaded: dict[tuple, dict[str, ListedProduct]] = {}


def load_price_list(path: str) -> dict[str, ListedProduct]:
    """The list in `path`, read once per process while the file is unchanged.

    A hook is called once per stream, and with --jobs once per chunk of a few
    thousand rows: reading the file again for each chunk would cost more than
    the chunk's quotes. A bad list is a config error naming file and line.
    """
    try:
        stat = Path(path).stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    if key is not None and key in _loaded:
        return _loaded[key]
    products = _read(path)
    if key is not None:
        _loaded.clear()
        _loaded[key] = products
    return products


def _read(path: str) -> dict[str, ListedProduct]:
    file = Path(path)
    if file.suffix.lower() == ".toml":
        try:
            return _from_rows(_toml_rows(file), file)
        except OSError as exc:
            raise ConfigError(
                msg("price list {f}: cannot read: {e}", "价格表 {f}：无法读取：{e}", f=file, e=os_reason(exc))
            ) from None
        except UnicodeDecodeError:
            raise ConfigError(msg("price list {f}: not UTF-8 text", "价格表 {f}：不是 UTF-8 文本", f=file)) from None
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ConfigError(
            msg("price list {f}: cannot read: {e}", "价格表 {f}：无法读取：{e}", f=file, e=os_reason(exc))
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Chinese Excel and WPS save CSV as GBK unless told otherwise.
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise ConfigError(
                msg(
                    "price list {f}: neither UTF-8 nor GB18030 text",
                    "价格表 {f}：既不是 UTF-8 也不是 GB18030 文本",
                    f=file,
                )
            ) from None
    import csv  # a price list is read only when one is configured: not on the start-up path

    rows = csv.DictReader(io.StringIO(text, newline=""))
    return _from_rows(((n + 2, row) for n, row in enumerate(rows)), file)


def _toml_rows(file: Path):
    import tomllib

    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"), parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            msg("price list {f}: not valid TOML: {e}", "价格表 {f}：TOML 格式错误：{e}", f=file, e=exc)
        ) from None
    items = data.get("items", {})
    if isinstance(items, dict):
        items = [{"sku": sku, **row} for sku, row in items.items()]
    return ((f"item {i}", row) for i, row in enumerate(items, 1))


def _from_rows(rows, file: Path) -> dict[str, ListedProduct]:
    products: dict[str, ListedProduct] = {}
    for where, row in rows:
        row = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
        sku = str(row.get("sku") or "").strip()
        if not sku:
            continue
        try:
            price = to_decimal(row.get("guide_price"))
            if price < 0 or places(price) > 4:
                raise NotANumber(msg("must be ≥ 0 with at most 4 decimals", "须 ≥ 0 且最多 4 位小数"))
            standard = _flag(row.get("standard"), True)
            harness = _flag(row.get("harness"), False)
        except (NotANumber, BadValue) as exc:
            raise ConfigError(
                msg(
                    "price list {f} ({w}, {s}): {e}",
                    "价格表 {f}（{w}，{s}）：{e}",
                    f=file,
                    w=where,
                    s=sku,
                    e=exc.reason,
                )
            ) from None
        if sku in products:
            raise ConfigError(
                msg("price list {f} ({w}): {s} is listed twice", "价格表 {f}（{w}）：{s} 重复", f=file, w=where, s=sku)
            )
        products[sku] = ListedProduct(
            sku, price, standard, harness, str(row.get("unit") or ""), str(row.get("name") or "")
        )
    return products


def _flag(value, default: bool) -> bool:
    """A yes/no column; an empty cell takes the default (TOML `false` is a value, not empty)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    return parse_bool(value)
