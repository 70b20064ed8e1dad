"""Units of measure as a header, a unit column or a price list names them.

`米`, `m` and `metre` are one unit; `米` and `卷` are not, nor are `米` and
`厘米`. A quantity counted in one unit and read in another is off by a factor
nobody wrote down (200 m of a wire sold by the 100 m roll quoted as 200
rolls), so where bizops knows both units it compares them (`unit_key`), and
never converts: which roll, drum or box holds how much is the company's to say.
The unit a field's label names is `bizops.core.values.label_unit`'s to say
(on the start-up path); this module is loaded where a header or a unit is read.
"""

from __future__ import annotations

import re

_SPELLINGS = {
    "m": ("米", "m", "公尺", "meter", "meters", "metre", "metres"),
    "km": ("千米", "公里", "km"),
    "cm": ("厘米", "cm"),
    "mm": ("毫米", "mm"),
    "t": ("吨", "t", "ton", "tons", "tonne", "tonnes"),
    "kg": ("千克", "公斤", "kg"),
    "g": ("克", "g"),
    "jin": ("斤", "市斤"),
    "roll": ("卷", "盘", "roll", "rolls", "coil", "coils"),
    "reel": ("轴", "reel", "reels", "drum", "drums"),
    "set": ("套", "set", "sets"),
    "piece": ("根", "支", "条", "个", "只", "件", "片", "pc", "pcs", "piece", "pieces"),
    "box": ("箱", "box", "boxes", "carton", "cartons"),
    "min": ("分钟", "min", "mins", "minute", "minutes"),
    "h": ("小时", "钟头", "h", "hr", "hrs", "hour", "hours"),
    "day": ("天", "日", "day", "days"),
    "month": ("月", "个月", "month", "months"),
    "year": ("年", "year", "years"),
}
_KEYS = {spelling: key for key, spellings in _SPELLINGS.items() for spelling in spellings}
#: What may come before a unit (`单位：米`, `unit: m`) or after it (`roll (100 m)`: how much one roll holds).
#: Compiled by `re` on first use.
_LEAD = r"^(单位|计量单位|unit)\s*[:：]?\s*"
_NOTE = r"\s*[(（\[【][^)）\]】]*[)）\]】]\s*$"


def unit_key(text: str | None) -> str | None:
    """The unit `text` names, one key for all its spellings (`米`, `M`, `metres` → `m`); None when not a unit.

    A price list's `roll (100 m)` is a `roll`: the note says how much one holds.
    """
    if not text:
        return None
    import unicodedata

    text = re.sub(_NOTE, "", re.sub(_LEAD, "", unicodedata.normalize("NFKC", text).strip().lower()))
    return _KEYS.get(text.strip())


def same_unit(given: str, listed: str) -> bool:
    """Whether a quantity counted in `given` is counted in `listed`: the same unit, or the same words."""
    key = unit_key(given)
    if key is not None:
        return key == unit_key(listed)
    return " ".join(given.lower().split()) == " ".join(listed.lower().split())


def split_unit(text: str) -> tuple[str, str] | None:
    """(the number, its unit) of a cell written with a unit bizops knows (`200米`, `2 卷`), else None."""
    found = re.fullmatch(r"\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(\D{1,8}?)\s*", text)
    if found is None or unit_key(found[2]) is None:
        return None
    return found[1], found[2]
