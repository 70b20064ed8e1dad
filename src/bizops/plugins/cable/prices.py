"""The cable maker's guide price list (产品指导价), from CSV or TOML.

Columns: `sku, guide_price, standard (国标: yes/no), harness (线束: yes/no),
unit, name`. In TOML, one table per SKU (`[items."BV-2.5"]`) or an array
`[[items]]` with a `sku` key. Guide prices keep up to four decimals.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bizops.core.errors import ConfigError
from bizops.core.i18n import msg
from bizops.core.values import BadValue, parse_bool
from bizops.core.money import NotANumber, places, to_decimal


@dataclass(frozen=True)
class ListedProduct:
    sku: str
    guide_price: Decimal
    standard: bool = True
    harness: bool = False
    unit: str = ""
    name: str = ""


def load_price_list(path: str) -> dict[str, ListedProduct]:
    """Read the list once per run; a bad list is a config error naming file and line."""
    file = Path(path)
    try:
        if file.suffix.lower() == ".toml":
            return _from_rows(_toml_rows(file), file)
        with open(file, encoding="utf-8-sig", newline="") as handle:
            return _from_rows(((n + 2, row) for n, row in enumerate(csv.DictReader(handle))), file)
    except OSError as exc:
        raise ConfigError(msg("price list {f}: cannot read: {e}", "价格表 {f}：无法读取：{e}", f=file,
                              e=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise ConfigError(msg("price list {f}: not UTF-8 text", "价格表 {f}：不是 UTF-8 文本", f=file)) from None


def _toml_rows(file: Path):
    import tomllib

    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"), parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(msg("price list {f}: not valid TOML: {e}", "价格表 {f}：TOML 格式错误：{e}",
                              f=file, e=exc)) from None
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
            standard = parse_bool(row.get("standard") or "yes")
            harness = parse_bool(row.get("harness") or "no")
        except (NotANumber, BadValue) as exc:
            raise ConfigError(msg("price list {f} ({w}, {s}): {e}", "价格表 {f}（{w}，{s}）：{e}",
                                  f=file, w=where, s=sku, e=exc.reason)) from None
        products[sku] = ListedProduct(sku, price, standard, harness, str(row.get("unit") or ""),
                                      str(row.get("name") or ""))
    return products
