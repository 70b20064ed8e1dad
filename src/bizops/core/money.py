"""Exact money: text in, `Decimal` through, text out. Never a float.

Users type amounts the way Chinese spreadsheets show them: `1500`, `1,500.00`,
`¥1500`, `￥1,500.00`, `1500元`, full-width `１５００`, and a negative as the accounting
format writes it, `(1,500.00)` or `-¥1,500.00`. All of those are read (full-width
forms are mapped to ASCII first). A lone dash (` ¥-   `, ` -   `) is zero: it is how
Excel's accounting format (会计专用) shows 0, and a CSV saved from such a sheet keeps
it. `NaN`, `Infinity`, exponents, `1_000`, Chinese number words (`2万`, `壹万元整`),
look-alike digits (`²`, `①`, `١٥٠٠`) and absurdly long numbers are refused with a
message, never misread and never turned into zero.
"""

from __future__ import annotations

import decimal
import re
from decimal import ROUND_HALF_UP, Decimal

from bizops.core.i18n import Text, msg

CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
MAX_INTEGER_DIGITS = 15  # a trillion yuan is not a typo we should price

#: Significant digits for rule arithmetic: a 15-digit amount times a 4-decimal
#: price stays exact, and a quotient is rounded only where a rule says so.
PRECISION = 50

_PLAIN = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
#: Full-width forms (`１５００`, `１，５００．００`, `￥`, the ideographic space) to ASCII, and nothing
#: else: NFKC would also turn `²` and `①` into digits, and `1500²` must not read as 15002.
FULL_WIDTH = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20, 0xFFE5: 0xA5}
_CHINESE_NUMERALS = set("零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億整角分")


class NotANumber(ValueError):
    """The text is not a number bizops accepts; `reason` says why (a `Text`)."""

    def __init__(self, reason: Text):
        super().__init__(str(reason))
        self.reason = reason


def to_decimal(value, *, percent: bool = False) -> Decimal:
    """Read a number from JSON (int, Decimal) or text, refusing anything unclear.

    With `percent`, a trailing `%` is allowed (`5%` is 5).
    """
    kind = type(value)
    if kind is Decimal:
        if not value.is_finite():
            raise NotANumber(msg("must be a finite number", "必须是有限数值"))
        return value
    if kind is int:
        if len(str(abs(value))) > MAX_INTEGER_DIGITS:
            raise NotANumber(_too_long())
        return Decimal(value)
    if kind is not str:
        raise NotANumber(msg("must be a number", "必须是数字"))
    text = value.strip()
    # Fast path: what machines write (`1234.5`). Decimal() alone would also take
    # `1_000`, `1e3`, `NaN` and non-ASCII digits, hence the checks.
    if text.isascii() and text.replace(".", "", 1).isdigit():
        if text.find(".") > MAX_INTEGER_DIGITS or ("." not in text and len(text) > MAX_INTEGER_DIGITS):
            raise NotANumber(_too_long())
        return Decimal(text)
    return Decimal(_normalise(text, percent))


#: Another currency than 元, as a header's note, a cell or a number format names it (`美元`, `USD`, `$`, `€`).
FOREIGN_CURRENCY = r"(?:us|hk|nt)?\$|[€£₩₽]|\b(?:usd|eur|hkd|jpy|gbp|krw|aud|cad|twd)\b|美元|美金|港币|港元|欧元|日元|英镑|韩元|卢布|澳元|加元|新台币"


def _normalise(text: str, percent: bool) -> str:
    given = text
    if not text.isascii():
        if any(ch in _CHINESE_NUMERALS for ch in text):
            raise NotANumber(
                msg(
                    "Chinese number words are not read; write the amount in digits",
                    "不识别中文数字或单位（如 万、壹），请用阿拉伯数字填写",
                )
            )
        text = text.translate(FULL_WIDTH).strip()
        if text.endswith("元"):
            text = text[:-1].rstrip()
        text = _without_yuan_sign(text)
    if not percent:
        text = _without_yuan_word(text)
    # The accounting format's negative: `(1,500.00)`, `¥(1,500.00)`, `(¥1,500.00)` is -1500.00.
    negative = len(text) > 2 and text[0] == "(" and text[-1] == ")"
    if negative:
        text = _without_yuan_sign(text[1:-1].strip())
        if text[:1] in ("+", "-"):
            raise NotANumber(msg("must be a number", "必须是数字"))
    if percent and text.endswith("%"):
        text = text[:-1].rstrip()
    if text == "-" and not negative:  # the accounting format's zero
        return "0"
    if not text:
        raise NotANumber(msg("must be a number, not empty", "必须是数字，不能为空"))
    if not _PLAIN.fullmatch(text):
        import re

        if re.search(FOREIGN_CURRENCY, given, re.IGNORECASE):
            raise NotANumber(
                msg(
                    "is in another currency than 元 (CNY), which bizops does not convert: give it in 元",
                    "不是人民币元（bizops 不做汇率换算）：请给出人民币金额",
                )
            )
        raise NotANumber(msg("must be a number", "必须是数字"))
    text = text.replace(",", "")
    if negative:
        text = "-" + text
    integer = text.lstrip("+-").split(".")[0]
    if len(integer) > MAX_INTEGER_DIGITS:
        raise NotANumber(_too_long())
    return text


def _without_yuan_sign(text: str) -> str:
    """`¥1,500.00` and `-¥1,500.00` without the sign of the yuan (`1,500.00`, `-1,500.00`)."""
    if text.startswith("¥"):
        return text[1:].lstrip()
    if text[:2] in ("-¥", "+¥"):
        return text[0] + text[2:].lstrip()
    return text


def _without_yuan_word(text: str) -> str:
    """`RMB 1,500.00`, `CNY1500`, `1500 RMB`, `人民币1500` without the word that says they are yuan."""
    upper = text.upper()
    for word in ("RMB", "CNY", "人民币"):
        if upper.startswith(word):
            return text[len(word) :].lstrip(" :：")
        if upper.endswith(word):
            return text[: -len(word)].rstrip()
    return text


def _too_long() -> Text:
    return msg(
        "has too many digits (at most {n} before the decimal point)",
        "位数过多（整数部分最多 {n} 位）",
        n=MAX_INTEGER_DIGITS,
    )


def places(value: Decimal) -> int:
    """How many decimals the number was written with (`1.50` has 2); 0 for one that is not finite."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


#: `quantize_half_up(value, CENT)` is `round_fen(value)` in one C call, no keywords: a fifth faster,
#: for code that rounds several times a row of a million-row stream.
quantize_half_up = decimal.Context(prec=PRECISION, rounding=ROUND_HALF_UP).quantize


def round_fen(value: Decimal) -> Decimal:
    """Half-up to the fen (0.01): the only rounding the specs ask for on money."""
    return quantize_half_up(value, CENT)


def round_to(value: Decimal, digits: int) -> Decimal:
    """Half-up to `digits` decimals (ratios shown to 4 places, say)."""
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def writable(value: Decimal) -> None:
    """Raise ValueError for a number no output should hold: not finite, or beyond the rules' precision.

    `Infinity`, `NaN` and `1E+400` come from no rule of a spec; written, they
    would read back as something else or not at all.
    """
    if not value.is_finite():
        raise ValueError("not a finite number")
    if value.adjusted() >= PRECISION:
        raise ValueError("too large to write")


def money_text(value: Decimal) -> str:
    """`Decimal` money as the contract writes it: exactly two decimals.

    Refuses a value with more than two decimals instead of rounding it, since
    rounding is a rule's business, not the writer's.
    """
    writable(value)
    quantized = value.quantize(CENT, context=_WRITING)
    if quantized != value:
        raise ValueError(f"money {value} has more than two decimals")
    if not quantized and quantized.is_signed():  # 0 × −1 is −0 in decimal; people write 0.00
        quantized = quantized.copy_abs()
    return str(quantized)


def price_text(value: Decimal) -> str:
    """A guide price: at least two decimals, up to the four a price list may hold."""
    writable(value)
    if places(value) <= 2:
        return money_text(value.quantize(CENT, context=_WRITING))
    if places(value) > 4 and value != value.quantize(_PRICE_PLACES, context=_WRITING):
        raise ValueError(f"price {value} has more than four decimals")
    value = value.normalize(context=_WRITING) if places(value) > 4 else value
    return str(value.copy_abs() if not value and value.is_signed() else value)


def decimal_text(value: Decimal) -> str:
    """An exact decimal written plainly: `6`, `0.3`, `-12.5`; never an exponent, never `-0`."""
    writable(value)
    if not value and value.is_signed():  # −0 reads back as 0: write it so
        value = value.copy_abs()
    text = str(value)
    if "E" in text or "e" in text:
        text = format(value, "f")
    return text


#: Formatting never rounds: a context wide enough for any number `writable` lets through.
_WRITING = decimal.Context(prec=2 * PRECISION + 4, rounding=ROUND_HALF_UP)
_PRICE_PLACES = Decimal("0.0001")


def use_exact_context() -> None:
    """Give this thread's decimal context enough digits for the rules (see PRECISION)."""
    decimal.getcontext().prec = PRECISION
