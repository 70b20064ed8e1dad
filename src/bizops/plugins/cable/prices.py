"""The cable maker's guide price list (产品指导价): a spreadsheet, CSV or TOML.

Columns `sku, guide_price, standard (国标: yes/no), harness (线束: yes/no),
unit, name`, or as the finance department heads them (`型号规格`, `指导价（元）`,
`是否国标` …: `PRICE_LIST_COLUMNS`), read as bizops reads an order book: a workbook
(`.xlsx`, `.xls`, `.ods`) or CSV in UTF-8 or GB18030, titles above the header
skipped, `¥86.50` and `是` as written. In TOML, one table per SKU
(`[items."BV-2.5"]`) or an array `[[items]]` with a `sku` key. Guide prices
keep up to four decimals. A SKU is compared as a name (`name_key`):
`ＢＶ－２.５` in a list typed with a Chinese input method is `BV-2.5`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from bizops.api import ConfigError, Field, RowError, msg, name_key, os_reason


class ListedProduct(NamedTuple):
    sku: str
    guide_price: Decimal
    standard: bool = True
    harness: bool = False
    unit: str = ""
    name: str = ""


#: The price list's columns, with the names finance gives them.
PRICE_LIST_COLUMNS = (
    Field(
        "sku",
        "text",
        en="model and size",
        zh="型号规格",
        required=True,
        aliases=("型号", "规格型号", "产品型号", "货号", "产品编号", "物料编码"),
    ),
    Field(
        "guide_price",
        "price",
        en="guide price, tax included",
        zh="指导价",
        required=True,
        ge=0,
        aliases=("产品指导价", "指导价格", "含税指导价", "含税单价", "单价"),
    ),
    Field(
        "standard",
        "bool",
        en="national-standard product (国标)",
        zh="国标",
        default=True,
        aliases=("是否国标", "国标产品"),
    ),
    Field("harness", "bool", en="wire harness (线束)", zh="线束", default=False, aliases=("是否线束", "线束产品")),
    Field("unit", "text", en="unit", zh="单位", default="", aliases=("计量单位",)),
    Field("name", "text", en="product name", zh="品名", default="", aliases=("名称", "产品名称")),
)

_loaded: dict[tuple, dict[str, ListedProduct]] = {}


def load_price_list(path: str, warn=None) -> dict[str, ListedProduct]:
    """The list in `path` by SKU (`name_key`), read once per process while the file is unchanged.

    A hook is called once per stream, and with --jobs once per chunk of a few
    thousand rows: reading the file again for each chunk would cost more than
    the chunk's quotes. A bad list is a config error naming file and row; `warn`
    is told of columns it does not read, when it is read.
    """
    try:
        stat = Path(path).stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    if key is not None and key in _loaded:
        return _loaded[key]
    products = _read(Path(path), warn)
    if key is not None:
        _loaded.clear()
        _loaded[key] = products
    return products


def _read(file: Path, warn=None) -> dict[str, ListedProduct]:
    """The products of the list; whatever is wrong with it is a config error saying `price list …`."""
    from bizops.api import read_table, typed_rows  # only when a list is configured: not on a quote's start-up

    try:
        if file.suffix.lower() == ".toml":
            return _products(typed_rows(_toml_rows(file), PRICE_LIST_COLUMNS), file)
        told = None if warn is None else (lambda text: warn(msg("price list {e}", "价格表 {e}", e=text)))
        return _products(read_table(file, PRICE_LIST_COLUMNS, told), file)
    except ConfigError as exc:
        raise ConfigError(msg("price list {e}", "价格表 {e}", e=exc.message)) from None


def _toml_rows(file: Path):
    import tomllib

    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"), parse_float=Decimal)
    except OSError as exc:
        raise ConfigError(msg("{f}: cannot read: {e}", "{f}：无法读取：{e}", f=file, e=os_reason(exc))) from None
    except UnicodeDecodeError:
        raise ConfigError(msg("{f}: not UTF-8 text", "{f}：不是 UTF-8 文本", f=file)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(msg("{f}: not valid TOML: {e}", "{f}：TOML 格式错误：{e}", f=file, e=exc)) from None
    items = data.get("items", {})
    if isinstance(items, dict):
        items = [{"sku": sku, **row} for sku, row in items.items()]
    return ((f"item {i}", row) for i, row in enumerate(items, 1))


def _products(rows, file: Path) -> dict[str, ListedProduct]:
    products: dict[str, ListedProduct] = {}
    found: dict[str, object] = {}
    for item in rows:
        if isinstance(item, RowError):
            raise ConfigError(msg("{f} (row {w}): {e}", "{f}（第 {w} 行）：{e}", f=file, w=item.row, e=item.message))
        where, row = item
        sku = name_key(row["sku"])
        if sku in products:
            raise ConfigError(
                msg(
                    "{f} (row {w}): {s} is listed twice (also row {o})",
                    "{f}（第 {w} 行）：{s} 重复（另见第 {o} 行）",
                    f=file,
                    w=where,
                    s=sku,
                    o=found[sku],
                )
            )
        found[sku] = where
        products[sku] = ListedProduct(
            sku, row["guide_price"], row["standard"], row["harness"], row["unit"], row["name"]
        )
    if not products:
        raise ConfigError(msg("{f}: no products in it", "{f}：没有任何产品", f=file))
    return products
