"""Typed values from what users type: one parser per field kind.

`converter(spec)` compiles a `Field` or `Setting` into a `Converter` from a
raw value (text from CSV or a flag; str, int, bool from JSON) to a typed
value, or a `BadValue` saying, in both languages, what was expected.
Converters are memoised: an order book repeats its discounts, flags and
dates, and parsing `"5"` once is enough. A `records` field (a list of
objects) is compiled by `bizops.core.requests`, which depends on this module
and not the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from bizops.core import money
from bizops.core.i18n import Text, msg

#: Yes and no as forms write them; a Chinese form ticks (√ ×) or says 有/无 (an invoice attached or not).
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "是", "t", "on", "有", "√", "✓", "✔"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "否", "f", "off", "无", "×", "✗", "✘"})

#: … with a fraction of a second after the seconds, as SQL Server's datetime is exported (`2026-10-01 00:00:00.000`,
#: the ERPs on it): a day when all is zero, a time to the second otherwise (no rule looks closer).
_DATETIME = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
MEMO_LIMIT = 4096


class BadValue(ValueError):
    """A raw value that does not fit its field; `reason` is a `Text`."""

    def __init__(self, reason: Text):
        super().__init__(str(reason))
        self.reason = reason


class BadItem(BadValue):
    """A bad field inside one item of a `records` field; `reason` is complete."""


class Converter:
    """A field's parser: `convert(raw)` gives the typed value or raises `BadValue`.

    Converters of numbers, booleans, enums and dates keep a bounded `memo` of
    the texts (and, for numbers, ints) seen, with `parse` the bare parser
    behind it: `compile_fields` uses both inline. It must not look up a bool
    in a number's memo (`ints`), since JSON `true` equals the int key 1.
    Text keeps no memo (stripping costs less than a lookup).
    """

    __slots__ = ("ints", "memo", "parse")

    def __init__(self, parse: Callable[[Any], Any], memo: dict | None = None, ints: bool = False):
        self.parse, self.memo, self.ints = parse, memo, ints

    def __call__(self, raw: Any) -> Any:
        memo = self.memo
        if memo is None:
            return self.parse(raw)
        kind = type(raw)
        if kind is str or (self.ints and kind is int):
            value = memo.get(raw)
            if value is None:
                value = self.parse(raw)
                if len(memo) < MEMO_LIMIT:
                    memo[raw] = value
            return value
        return self.parse(raw)


NUMBER_KINDS = ("decimal", "money", "price", "pct", "int")


def converter(spec) -> Converter:
    """The parser for a `Field` or `Setting` of a scalar kind: raw value -> typed value.

    A `records` field (a list of objects) is parsed by `bizops.core.requests`,
    which compiles its items' fields.
    """
    kind = spec.kind
    if kind in NUMBER_KINDS:
        return Converter(_number(spec), {}, ints=True)
    if kind == "bool":
        words = getattr(spec, "choice_aliases", None)
        parse = _bool_with(words) if words else parse_bool
        return Converter(parse, {True: True, False: False})  # JSON true/false answered by the memo inline
    if kind == "text" or kind == "path":
        return Converter(_text)
    if kind == "enum":
        return Converter(_enum(spec.choices, getattr(spec, "choice_aliases", None) or {}), {})
    if kind == "date":
        return Converter(parse_date, {})
    if kind == "datetime":
        return Converter(parse_datetime, {})
    if kind == "time":
        return Converter(parse_time, {})
    raise ValueError(f"no converter for kind {kind!r}")  # schema.py rejects unknown kinds


def _text(raw) -> str:
    if type(raw) is str:
        return raw.strip()
    if type(raw) is int:
        return str(raw)
    raise BadValue(msg("must be text", "必须是文本"))


#: What `name_key` may change in a name: whitespace, or a full-width form (`（`, `Ａ`, `￥`).
_UNSETTLED = re.compile(r"[\s\uff01-\uff5e\uffe5]").search


def name_key(text: str) -> str:
    """A name as compared: full-width forms as ASCII (`（` as `(`), and spaces only between two ASCII words.

    Chinese input methods and exports write a company's brackets, digits and
    letters either way, and Chinese separates no words with spaces: so
    `广州甲公司（番禺）`, `广州甲公司(番禺)` and `广州甲公司 (番禺)` are one name, and
    so are `恒通 电器`, `恒通　电器` and `恒通电器`; `ABC  Trading` is `ABC Trading`.
    The ledger keys customers so; a plugin grouping rows by customer
    (receivables' risk) should too.
    """
    if text.isascii():
        return " ".join(text.split())
    if _UNSETTLED(text) is None:  # most names (`陈明`, `广州甲公司`): one scan, on every row of a scorecard
        return text
    words = text.translate(money.FULL_WIDTH).split()
    if len(words) < 2:
        return words[0] if words else ""
    key = words[0]
    for word in words[1:]:
        key += " " + word if key[-1].isascii() and word[0].isascii() else word
    return key


def parse_bool(raw) -> bool:
    if raw is True or raw is False:
        return raw
    if type(raw) is int and raw in (0, 1):
        return bool(raw)
    if type(raw) is str:
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise BadValue(
        msg("must be true or false (yes/no, 是/否, √/×, 1/0)", "必须是 是/否（true/false、yes/no、√/×、1/0）")
    )


def _bool_with(words: dict[str, tuple[str, ...]]):
    """`parse_bool`, and a field's own words for yes and no (`新客户`/`老客户` for new_customer)."""
    own = {w.strip().lower(): key == "true" for key, names in words.items() for w in names}

    def parse(raw):
        try:
            return parse_bool(raw)
        except BadValue:
            if type(raw) is str and (found := own.get(raw.strip().lower())) is not None:
                return found
            raise

    return parse


def _enum(choices: tuple[str, ...], aliases: dict[str, tuple[str, ...]]):
    """A choice, read case-insensitively; also by one of its aliases (`帐期` for `credit`)."""
    named = {alias.strip().lower(): choice for choice, names in aliases.items() for alias in names}
    allowed = ", ".join(choices)
    # In Chinese, with the words a Chinese table prints for each choice.
    shown = ", ".join(f"{c}（{'/'.join(aliases[c])}）" if aliases.get(c) else c for c in choices)

    folded: dict[str, str] = {}

    def parse(raw):
        if type(raw) is str:
            word = raw.strip().lower()
            if word in choices:
                return word
            choice = named.get(word)
            if choice is not None:
                return choice
            if not word.isascii():  # full-width forms as ASCII: `数电票（增值税专用发票）` is `数电票(增值税专用发票)`
                if not folded:
                    folded.update((_folded(alias), choice) for alias, choice in named.items())
                choice = folded.get(_folded(word))
                if choice is not None:
                    return choice
        raise BadValue(Text(f"must be one of {allowed}", f"必须是以下之一：{shown}"))

    return parse


def _folded(word: str) -> str:
    import unicodedata  # only for a choice not found as written

    return unicodedata.normalize("NFKC", word).replace(" ", "").lower()


#: Units a field's Chinese label may end with rather than name in a note (`连续乘车小时`, `账期天数`):
#: two characters at least, so `积分` (points) is not taken for minutes, nor `到期日` for days.
_LABEL_ENDINGS = {
    "小时": "小时",
    "分钟": "分钟",
    "天数": "天",
    "月数": "月",
    "年数": "年",
    "根数": "根",
    "公里": "公里",
    "千米": "千米",
    "公斤": "公斤",
    "千克": "千克",
}


def label_unit(label: str | None) -> str | None:
    """The unit a field's label names: a short note at its end (`桩长（米）` → `米`), or a unit word it ends
    with (`连续乘车小时` → `小时`); None when it names none."""
    note = re.search(r"[（(]([^（()）]{1,3})[)）]\s*$", label or "")
    if note:
        return note[1].strip() or None
    return next((unit for ending, unit in _LABEL_ENDINGS.items() if label and label.endswith(ending)), None)


#: What a whole number may end with in a spreadsheet (`30天` of credit, `3次` chased, `20根` piles).
COUNT_UNITS = ("天", "日", "次", "份", "个", "张", "人", "趟", "件", "笔", "根", "支")


def _number(spec):
    kind = spec.kind
    places = getattr(spec, "places", None)
    if places is None:
        places = {"money": 2, "price": 4, "int": 0}.get(kind)
    percent = kind == "pct"
    # A bound naming another setting (`ge="credit_manager_over"`) is the policy's to check, with both values known.
    gt, ge, lt, le = (
        Decimal(bound) if isinstance(bound := getattr(spec, a, None), Decimal | int) else None
        for a in ("gt", "ge", "lt", "le")
    )
    whole = kind == "int"
    # The unit a field's Chinese label names (`桩长（米）`): a number written with it is read (`12米`), any
    # other unit (`1200厘米`) is not.
    unit = label_unit(getattr(spec, "zh", None))

    # What machines write (`1234.50`, ASCII digits, no sign): read without the general path.
    # Decimal() alone would also take `1_000`, `1e3`, `NaN` and non-ASCII digits.
    plain = re.compile(
        f"[0-9]{{1,{money.MAX_INTEGER_DIGITS}}}"
        + ("" if places == 0 else rf"(?:\.[0-9]{{1,{'' if places is None else places}}})?")
    ).fullmatch
    # A plain number is never negative: with no other bound than `ge=0`, it needs no check.
    unsigned_is_enough = not whole and ge is not None and ge == 0 and gt is None and lt is None and le is None

    def parse(raw):
        if raw.__class__ is str and plain(raw) is not None:
            value = Decimal(raw)
            if unsigned_is_enough:
                return value
        elif type(raw) is bool or type(raw) is float:
            # JSON true is not 1, and a float has already lost the exact text.
            raise BadValue(_not_number())
        else:
            value = _general(raw)
        # Bounds inline: this runs for every distinct amount of an order book.
        if (
            (gt is not None and not value > gt)
            or (ge is not None and not value >= ge)
            or (lt is not None and not value < lt)
            or (le is not None and not value <= le)
        ):
            raise BadValue(_out_of_bounds(value, gt, ge, lt, le))
        return int(value) if whole else value

    def _general(raw):
        if raw.__class__ is str:
            text = raw.rstrip()
            if whole and text.endswith(COUNT_UNITS):
                raw = text[:-1]  # `30天`, `3次`: a count as a spreadsheet writes it, its unit not checked
            elif unit and text.endswith(unit):
                raw = text[: -len(unit)]  # `12米` under 桩长（米）: the unit the field's label names
        try:
            value = money.to_decimal(raw, percent=percent)
        except money.NotANumber as exc:
            raise BadValue(exc.reason) from None
        if places is not None and type(raw) is not int and money.places(value) > places:
            if whole:
                if value != value.to_integral_value():
                    raise BadValue(msg("must be a whole number", "必须是整数"))
            else:
                cut = _to_places(value, places)
                if cut is None or cut != value:
                    raise BadValue(_too_many_places(places, kind))
                value = cut
        if not value and value.is_signed():  # `-0` is 0: no rule should see, or print, a signed zero
            value = value.copy_abs()
        return value

    return parse


def _to_places(value: Decimal, places: int) -> Decimal | None:
    """`value` cut to `places` decimals: itself, written so, when the ones past them are zeros (`12000.0000`,
    as SQL Server's money type and the ERPs on it export every amount, is 12000.00); None if it cannot be."""
    try:
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
    except InvalidOperation:
        return None


def _out_of_bounds(value, gt, ge, lt, le) -> Text:
    if gt is not None and not value > gt:
        return msg("must be > {b}", "必须大于 {b}", b=gt)
    if ge is not None and not value >= ge:
        return msg("must be ≥ {b}", "不能小于 {b}", b=ge)
    if lt is not None and not value < lt:
        return msg("must be < {b}", "必须小于 {b}", b=lt)
    return msg("must be ≤ {b}", "不能大于 {b}", b=le)


def _not_number() -> Text:
    return msg("must be a number", "必须是数字")


def _too_many_places(places: int, kind: str) -> Text:
    if kind == "money":
        return msg("has more than 2 decimals (the fen)", "小数超过 2 位（分）")
    return msg("has more than {n} decimals", "小数超过 {n} 位", n=places)


def parse_date(raw) -> date:
    """`2026-12-05`, and the other ways a spreadsheet writes a day (see `_spreadsheet_date`).

    A time is refused (a due date at 14:30 is something to look at), except
    midnight: `2026-12-05 00:00:00` is how database and accounting exports
    write a day, as a workbook's date cell is a datetime at midnight.
    """
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    found = _DATETIME.fullmatch(raw.strip()) if type(raw) is str else None
    if found and not any(int(part) for part in found.groups(0)[3:]):
        try:
            return date(int(found[1]), int(found[2]), int(found[3]))
        except ValueError:
            pass
    elif found is None:
        day = _spreadsheet_date(raw)
        if day is not None:
            return day
    raise BadValue(msg("must be a date YYYY-MM-DD", "必须是日期 YYYY-MM-DD"))


_OTHER_DATE = re.compile(r"(\d{4})(?:\.(\d{1,2})\.(\d{1,2})|年(\d{1,2})月(\d{1,2})[日号]?|(\d{2})(\d{2}))")
#: … with a time, as Excel and WPS format one after such a day: `2026.11.23 9:30`, `2026年11月23日 9:30`,
#: `2026年11月23日 9时30分`.
_OTHER_DATETIME = re.compile(
    r"(\d{4})(?:\.(\d{1,2})\.(\d{1,2})|年(\d{1,2})月(\d{1,2})[日号]?)\s*"
    r"(\d{1,2})(?::(\d{2})(?::(\d{2}))?|[时点](\d{1,2})分(?:(\d{1,2})秒)?)"
)
#: Day 0 of Excel's date numbers (1900 system, past its phantom 1900-02-29).
_EXCEL_EPOCH = date(1899, 12, 30)


def _spreadsheet_date(raw) -> date | None:
    """A day as Excel, WPS and accounting exports also write it, or None.

    `2026.12.05`, `2026年12月5日`, `20261205`, and Excel's date number
    (`46361`, a date cell saved or pasted as General): five digits, 1927 to
    2173, so no amount or count of days is read as a date by mistake.
    """
    if type(raw) is int and not isinstance(raw, bool):
        raw = str(raw)
    if type(raw) is not str:
        return None
    text = raw.strip()
    if text.isascii() and text.isdigit() and len(text) == 5:
        return _EXCEL_EPOCH + timedelta(days=int(text))
    found = _OTHER_DATE.fullmatch(text)
    if found is None:
        return None
    year, month, day = found[1], found[2] or found[4] or found[6], found[3] or found[5] or found[7]
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_datetime(raw) -> datetime:
    """`2026-11-23T09:30`, `2026-11-23 9:30:15`, `2026/11/23`; local wall clock.

    Also a day as `parse_date` reads it (midnight), and the same with a time as
    Excel and WPS write one (`2026年11月23日 9:30`, `2026.11.23 9时30分`).
    """
    if isinstance(raw, datetime):
        return raw
    text = raw.strip() if type(raw) is str else None
    found = _DATETIME.fullmatch(text) if text is not None else None
    try:
        if found:
            y, mo, d, h, mi, sec = (int(g) if g else 0 for g in found.groups()[:6])
            return datetime(y, mo, d, h, mi, sec)
        found = _OTHER_DATETIME.fullmatch(text) if text is not None else None
        if found:
            g = found.groups()
            day = date(int(g[0]), int(g[1] or g[3]), int(g[2] or g[4]))
            return datetime.combine(day, time(int(g[5]), int(g[6] or g[8]), int(g[7] or g[9] or 0)))
        # a day alone, as `parse_date` reads it in text (not a bare number: no Excel day number here)
        only = _spreadsheet_date(text) if text is not None and not text.isdigit() else None
        if only is not None:
            return datetime.combine(only, time())
    except ValueError:
        pass
    raise BadValue(msg("must be a date and time YYYY-MM-DDTHH:MM", "必须是日期时间 YYYY-MM-DDTHH:MM"))


def parse_time(raw) -> time:
    if isinstance(raw, time):
        return raw
    found = _TIME.fullmatch(raw.strip()) if type(raw) is str else None
    if found:
        try:
            return time(int(found[1]), int(found[2]), int(found[3] or 0))
        except ValueError:
            pass
    raise BadValue(msg("must be a time of day HH:MM", "必须是时刻 HH:MM"))


def format_datetime(value: datetime) -> str:
    """`YYYY-MM-DDTHH:MM`, with seconds only when they are not zero; the year always in four digits.

    Not `strftime`: its `%Y` writes the year 1 as `1` on Linux, which no
    reader takes back. A fraction of a second and a time zone are left out.
    """
    if value.second or value.microsecond:
        return value.isoformat(timespec="seconds")[:19]
    return value.isoformat(timespec="minutes")[:16]
