"""The names people give columns and choices: headers in Chinese or English, printed labels, aliases.

A sales admin's order book says `产品编号,数量,指导价`, or `帐期` where bizops
says `credit`: the words bizops itself prints in a Chinese table, or the ones
the company uses. This module decides what each of those names means:

- `InputNames`: a header cell -> the input field it is (its name, Chinese
  name, table labels, the plugin's `aliases`, the config's `[columns]`);
- `with_labels`: a command's enum fields accepting the labels the company's
  tables print for their choices, beside the plugin's `choice_aliases`;
- `pick_columns`: what `--columns a,b,c` or `--columns all` selects for output.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from bizops.core.errors import UsageError
from bizops.core.i18n import Text, msg
from bizops.core.money import FOREIGN_CURRENCY
from bizops.core.schema import Column, CommandSpec, Field
from bizops.core.values import BadValue, converter, label_unit

#: Labels for enum values every company shares; a company's `labels` add to them.
CORE_LABELS: dict[str, tuple[str, str]] = {
    "ok": ("通过", "ok"),
    "refused": ("拒绝", "refused"),
    "approved": ("批准", "approved"),
    "needs_approval": ("需审批", "needs approval"),
}

#: A note in brackets after a name (`指导价（含税）`, `Amount (yuan)`): a header may carry one.
_NOTE = r"\s*[(（\[【][^)）\]】]*[)）\]】]\s*$"  # compiled by `re` on first use: not at start-up
#: The kinds of field a near name refuses a header for (`unmapped`): what is counted, summed or dated.
_COUNTED = frozenset({"money", "price", "int", "decimal", "pct", "date", "datetime"})
#: Characters that turn a Chinese column name's meaning: 未核销金额 (still open) is no typo of 已核销金额 (paid).
_TURNING = frozenset("未已不非无应实借贷收付欠余增减")
#: Words of a field's name that say what kind of thing it is, not which: `paid_amount` is near `paid`, but
#: `invoice_date` near every field with a date (`_worded`).
_GENERIC_WORDS = frozenset(
    {"amount", "amt", "date", "day", "days", "id", "no", "number", "count", "total", "pct", "rate", "value", "at", "on"}
)
_DAY_WORDS = frozenset({"date", "time", "day", "on", "at", "dt"})
_SUM_WORDS = frozenset({"amount", "amt", "total", "sum", "balance"})
#: A column saying which currency a row's money is in (Kingdee's 币别, an ERP's 币种), as `header_key` has it.
CURRENCY_KEYS = frozenset(
    {"币种", "币别", "货币", "币制", "币种名称", "币别名称", "结算币种", "结算币别", "交易币种", "原币币种", "币种代码",
     "货币类型", "currency", "ccy", "curr", "currency_code"}
)  # fmt: skip
#: What such a column says when the money is in 元 (as `header_key` has it, so `rmb` stands for RMB too).
_YUAN = frozenset({"人民币", "人民币元", "cny", "rmb", "rmb元", "元", "¥", "￥", "本位币", "综合本位币"})
#: A money header counting in 元 whatever the row's currency (Kingdee's 本位币金额 beside its 原币金额).
_LOCAL = r"本币|本位币|人民币|cny|rmb"
#: What may trail a header: a required marker (`客户*`), a colon.
_TRAILING = " \t*:："
#: A note saying a column's money has no tax in it (`单价（不含税）`, `(未税)`, `(excl. VAT)`): every amount
#: bizops reads is what the customer pays, tax included.
_UNTAXED_NOTE = (
    r"[(（\[【][^)）\]】]*(不含税|未税|除税|税前|净价|excl\.?\s*(vat|tax)|ex[-\s]?(vat|tax)|net of tax|before tax|"
    r"without tax)[^)）\]】]*[)）\]】]\s*$"
)
#: A note saying a column's money is in another currency (`金额（美元）`, `(USD)`): bizops reads 元 only.
_FOREIGN_NOTE = r"[(（\[【][^)）\]】]*?(" + FOREIGN_CURRENCY + r")[^)）\]】]*[)）\]】]\s*$"
#: A note saying a column's money is counted in larger units (`金额（万元）`, `(千元)`, `亿元`, `k`):
#: read as yuan it would be 10,000 times too small, so such a column is never taken for a money field.
_SCALED_NOTE = (
    r"[(（\[【]([^)）\]】]*(万元|千元|亿元)[^)）\]】]*|\s*(单位[:：]?\s*)?(万|千|百万|亿|k|thousands?|millions?)\s*)"
    r"[)）\]】]\s*$"
)


def _scaled_note(header: str) -> bool:
    return re.search(_SCALED_NOTE, header, re.IGNORECASE) is not None


def _header_unit(header: str) -> str | None:
    """The unit a header's note names (`数量（米）`, `桩长 (cm)`, `数量（单位：卷）`), None when it names none."""
    note = re.search(r"[(（\[【]([^)）\]】]*)[)）\]】]\s*$", header)
    if note is None:
        return None
    from bizops.core.units import unit_key  # where a header has a note: not on the start-up path

    return note[1].strip() if unit_key(note[1]) is not None else None


def header_key(text: str) -> str:
    """A header as it is compared: `Guide Price`, `guide-price`, `guidePrice` and `ｇｕｉｄｅ　price` are `guide_price`.

    Full-width forms are mapped to ASCII (NFKC), case and spacing ignored, a
    trailing `*` or colon dropped; a camelCase name is its words (a Java or
    JavaScript system's JSON: `dueDate`, `amountPaid`, `orderID`).
    """
    import unicodedata  # only where headers are read: not on the start-up path of a quote from flags

    text = unicodedata.normalize("NFKC", text).strip().strip(_TRAILING)
    if not text.islower() and text.isascii():
        text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)
    return "_".join(text.lower().replace("-", " ").split())


def _short(name: str) -> str:
    """A name without a note in brackets at its end: `指导价（含税）` -> `指导价`."""
    return re.sub(_NOTE, "", name)


def field_label(field: Field, lang: str) -> str:
    """What a person calls an input field: its Chinese name (without a note) under zh, else its name in words."""
    name = _short(re.split(r"[：:，,；;。]", field.zh, maxsplit=1)[0]) if lang == "zh" else ""
    if name and len(name) <= 12:  # a name, not a sentence about it (`订单编号：同一订单…` is `订单编号`)
        return name
    return field.name.replace("_", " ")


class InputNames:
    """Which input field a header cell names, for one command.

    In order of precedence: the config's `[columns]` table (a company's own
    words: `"货号" = "sku"`), the field names, the plugin's `aliases`, the
    labels bizops prints for the output column of the same name, the field's
    Chinese name (also as far as its first `：`, as the ledger labels it), and
    for a yes/no field its names asked as a question (`是否新客户`). A
    name two fields would claim at the same level names neither. A header that
    names no field keeps its own (normalised) name, so the row pipeline can say
    it is not a field.
    """

    def __init__(
        self, fields: Iterable[Field], outputs: Iterable[Column] = (), mapping: Mapping[str, str] | None = None
    ):
        self.fields = tuple(_with_items(fields))
        self._given = (tuple(outputs), mapping)
        self._by_key: dict[str, str] | None = None
        self._shared: dict[str, set[str]] = {}  # made with `by_key`
        self._money = {f.name for f in self.fields if f.kind in ("money", "price")}
        #: Whether the command reads money: then a currency column is read too (`foreign`).
        self.priced = bool(self._money)
        #: The headers read as money fields, and whether each counts in 元 whatever the currency (`foreign`).
        self.money_local: dict[str, bool] = {}

    @property
    def by_key(self) -> dict[str, str]:
        """Every name a header may have (normalised) -> its field; made when a header is first read, so a
        JSON Lines input, whose keys are the names, never makes it."""
        if self._by_key is None:
            self._by_key = self._keys(*self._given)
        return self._by_key

    def _keys(self, outputs: tuple[Column, ...], mapping: Mapping[str, str] | None) -> dict[str, str]:
        fields = self.fields
        names = {f.name for f in fields}
        labels = {c.name: c for c in outputs if c.name in names}
        levels: list[dict[str, str]] = [{}, {}, {}, {}, {}, {}]
        for header, field in (mapping or {}).items():
            if field in names:
                levels[0][header_key(header)] = field
        claimants: dict[str, set[str]] = {}
        for f in fields:
            levels[1][header_key(f.name)] = f.name
            for alias in f.aliases:
                _claim(levels[2], header_key(alias), f.name)
                claimants.setdefault(header_key(alias), set()).add(f.name)
            column = labels.get(f.name)
            if column is not None:
                for label in (column.zh, column.en):
                    if label:
                        _claim(levels[3], header_key(label), f.name)
            if f.zh:
                for name in dict.fromkeys(
                    (f.zh, _short(f.zh), field_label(f, "zh"))
                ):  # in order: messages stay the same
                    _claim(levels[4], header_key(name), f.name)
            if f.kind == "bool":  # a yes/no column is asked as a question: 是否新客户, 是否乘飞机
                for name in (f.zh and _short(f.zh), *f.aliases):
                    if name and not name.isascii() and not name.startswith("是否"):
                        _claim(levels[5], header_key("是否" + name), f.name)
        by_key: dict[str, str] = {}
        *named, asked = levels
        for level in reversed(named):  # a higher level overrides a lower one
            by_key.update({k: v for k, v in level.items() if v is not None})
        for k, v in asked.items():  # the lowest, and last: messages list a field's own names first
            if v is not None:
                by_key.setdefault(k, v)
        #: An alias two fields declare (a bare 折扣: the special-price discount or the no-VAT one) names neither.
        self._shared = {k: fs for k, fs in claimants.items() if len(fs) > 1 and k not in by_key}
        return by_key

    def __call__(self, header: str) -> str:
        """The field `header` names, else the header itself, normalised."""
        key = header_key(header)
        found = self.by_key.get(key)
        if found is None:
            found = self.by_key.get(header_key(_short(header)))  # `数量（米）` is `数量`
            if found is None:
                found = self._percent(key)
            if found is None or self.unread(header, found) is not None:
                return key
        if found in self._money and key != found:  # a field's own name (a row's key once read) says nothing
            self.money_local[key] = re.search(_LOCAL, key) is not None
        return found

    def foreign(self, raw: Mapping) -> Text | None:
        """Why a row is not read whose currency column (`币种`: 美元) says its money is not in 元; None when it is.

        Read as 元, 1,000.00 dollars would be 1,000.00 yuan: a credit limit
        passed, an invoice chased for a seventh of it. Money read from columns
        that all count in 元 (本位币金额) is in 元 whatever the row's currency.
        """
        unsaid = [header for header, local in self.money_local.items() if not local]
        if self.money_local and not unsaid:
            return None
        for key in CURRENCY_KEYS & raw.keys():
            value = raw[key]
            if type(value) is not str or not value.strip() or _in_yuan(value):
                continue
            columns = ", ".join(unsaid) if unsaid else "its money"
            return msg(
                "its currency is {v} ({c}), and {m} may be in {v}: bizops reads money in 元 (CNY) only; give the "
                "row's amounts in 元 (an export's 本位币 columns, 本位币金额, are read so) or leave the row out",
                "币种为 {v}（{c}），{m} 可能以 {v} 计：bizops 只按人民币元读取金额；请给出该行的人民币金额"
                "（导出表的本位币列，如本位币金额，即按元读取）或删去该行",
                v=value.strip(),
                c=key,
                m=columns,
            )
        return None

    def _percent(self, key: str) -> str | None:
        """The percentage field a header names with `%` after it (`特价下浮%`, `折扣率％`), as offices head them."""
        if not key.endswith("%"):
            return None
        found = self.by_key.get(key[:-1].rstrip("_"))
        field = next((f for f in self.fields if f.name == found), None)
        return found if field is not None and field.kind == "pct" else None

    def unread(self, header: str, field: str | None = None) -> Text | None:
        """Why `header`, naming a field once its note is dropped, is not read as that field; None when it is.

        Its note says the column holds something else than the field: money in
        larger units (`金额（万元）`: 12.5 would be read as 12.50 元), in another
        currency (`金额（美元）`), without tax where bizops reads it with tax
        (`指导价（不含税）`: a quote 13 % low), or a count in another unit than
        the field's (`桩长（厘米）`: 1200 m).
        """
        if field is None and header_key(header) in self.by_key:
            return None  # named as it is, note and all (a plugin's alias, the config's [columns]): read as it says
        found = self._field(header, field)
        if found is None:
            return None
        if found.kind in ("money", "price"):
            if _scaled_note(header):
                return msg(
                    "gives column {c!r} in units larger than 元, but bizops reads money in 元 only: "
                    "give the column in 元",
                    "的列 {c!r} 的金额单位大于元，而 bizops 只按元读取金额：请把该列换算成元",
                    c=header.strip(),
                )
            foreign = re.search(_FOREIGN_NOTE, header, re.IGNORECASE)
            if foreign:
                return msg(
                    "gives column {c!r} in {x}, but bizops reads money in 元 (CNY) only: give the column in 元",
                    "的列 {c!r} 以{x}计，而 bizops 只按人民币元读取金额：请把该列换算成元",
                    c=header.strip(),
                    x=foreign[1],
                )
            if re.search(_UNTAXED_NOTE, header, re.IGNORECASE):
                return msg(
                    "gives column {c!r} without tax, but bizops reads {f} with tax included (含税): "
                    "give the column with tax",
                    "的列 {c!r} 不含税，而 bizops 按含税读取 {f}：请给出含税金额",
                    c=header.strip(),
                    f=found.name,
                )
        # `桩长（厘米）` is not `桩长（米）`: read as metres, 1200 cm would be 1200 m
        own = label_unit(found.zh) if found.kind in ("int", "decimal") else None
        given = _header_unit(header) if own is not None else None
        if given is None:
            return None
        from bizops.core.units import unit_key

        if unit_key(given) == unit_key(own):
            return None
        return msg(
            "gives column {c!r} in {g}, but bizops reads that field in {o}: give the column in {o}",
            "的列 {c!r} 以{g}为单位，而 bizops 按{o}读取该字段：请把该列换算成{o}",
            c=header.strip(),
            g=given,
            o=own,
        )

    def _field(self, header: str, field: str | None) -> Field | None:
        if field is None:  # `header` may be a column's key already (`amount_(k)`, as an unknown one is shown)
            field = self.by_key.get(header_key(_short(header)).rstrip("_"))
        return next((f for f in self.fields if f.name == field), None)

    def knows(self, header: str) -> bool:
        return self(header) in self.by_key.values()

    def keyed(self, raw: dict) -> dict:
        """A row's values by the field each key names (`{"客户": "甲"}`: `{"customer": "甲"}`), as a header is read.

        A field two keys name is the row's error (which one is meant cannot be
        known); a key naming none keeps its name, and is reported as unknown.
        """
        fields: dict = {}
        given: dict[str, str] = {}
        for key, value in raw.items():
            field = self(key) if type(key) is str else key
            if field in given and value not in (None, "") and fields[field] not in (None, ""):
                raise BadValue(
                    msg(
                        "names {f} twice: keys {a!r} and {b!r}",
                        "两个键都是 {f}：{a!r} 与 {b!r}",
                        f=field,
                        a=given[field],
                        b=key,
                    )
                )
            if field not in given or value not in (None, ""):
                fields[field], given[field] = value, key
        return fields

    def holding_choices(self, unknown: Iterable[str], raw: Mapping) -> tuple[str, Text] | None:
        """The unknown column holding a choice field's values (`付款安排`: 月结), and why it is not read; or None.

        Only for a field with a default that no column of the row gives: left
        unread, every row would take the default (a 60,000 order on 月结
        decided as cash, with no sign-off). A yes/no field counts only by its
        own words (`老客户`, `定制品`): any column of 是/否 would look like one of
        them. The columns the command prints are left out (its own output
        read back).
        """
        printed = {header_key(n) for c in self._given[0] for n in (c.name, c.zh, c.en) if n}
        given = set(raw)  # … and the fields of its items (a claim's legs: `reason` given on a leg is given)
        for value in raw.values():
            if type(value) is list:
                given.update(k for item in value if type(item) is dict for k in item)
        for name in unknown:
            if header_key(name) in printed:  # a column bizops prints, read back: never a field's
                continue
            value = raw.get(name)
            if type(value) is not str or not value.strip():
                continue
            for field in self.fields:
                if field.required or field.name in given or not _a_choice_of(field, value.strip()):
                    continue
                if field.default is None:
                    unread = msg("every row would have no {f}", "每行都将没有 {f}", f=field.name)
                else:
                    unread = msg(
                        "every row would take {f} = {d}", "每行的 {f} 都将取默认值 {d}", f=field.name, d=field.default
                    )
                return name, msg(
                    "column {c!r} holds {f}'s choices ({v}) but is none of its names: left unread, {u}; ",
                    "列 {c!r} 的值是 {f} 的选项（{v}），但列名不是它的名称：若不读取，{u}；",
                    c=name,
                    f=field.name,
                    v=value.strip(),
                    u=unread,
                ) + _map_it(name, field.name)
        return None

    def likely(self, header: str) -> str | None:
        """The field an unknown `header` is close to (`amout`: amount), for a "did you mean"; None if none is.

        One character apart is a typo in `amout`, but in Chinese it may be the
        opposite: 未收金额 (unpaid) is not 已收金额 (paid), so Chinese names must
        be closer, and never differ in a character that turns the meaning.
        """
        import difflib

        key = header_key(header)
        close = difflib.get_close_matches(key, list(self.by_key), n=1, cutoff=0.75 if key.isascii() else 0.8)
        if not close:
            return self._worded(key) if key.isascii() else None
        if (set(key) ^ set(close[0])) & _TURNING:
            return None
        found = self.by_key[close[0]]
        return found if not key.isascii() or _kind_fits(_words(key), self._field(key, found)) else None

    def _worded(self, key: str) -> str | None:
        """The one field whose telling words an English header holds (`paid_amount`, `Amount Paid`: paid), or None.

        Letters apart, `paid_amount` is far from `paid`; but an export's
        English headers add words to the name (`total_paid`, `chase_count`,
        `credit_terms`). Words naming a kind (`amount`, `date`) tell nothing;
        a header holding two fields' telling words is neither's.
        """
        words = _words(key)
        found = [f for f in self.fields if (telling := _words(f.name) - _GENERIC_WORDS) and telling <= words]
        return found[0].name if len(found) == 1 and _kind_fits(words, found[0]) else None

    def unmapped(self, cells: Sequence[str]) -> Text | None:
        """Why a header is refused that names an optional field only by a near name (`已核销本币金额`, `已催收次数`).

        Left unread, the field would count as not given: an amount paid as
        nothing and every invoice aged as wholly unpaid, three chases as none
        (a chase where the rules say legal action), with exit 0. Which column is
        meant is the office's to say (`[columns]`), never a guess. A required
        field needs no such care (every row without it is an error), nor a
        text or a yes/no (a name, a note: `业务员编号` is no salesperson).
        """
        named = {self(c) for c in cells if c.strip()}
        for cell in cells:
            if not cell.strip() or self(cell) in self.by_key.values():
                continue
            shared = self._shared.get(header_key(cell), set())
            if shared and not shared & named:
                either = " or ".join(sorted(shared))
                return msg(
                    "gives column {c!r}, which could be {f}: left unread, neither would count as given; say which "
                    "in [columns] of bizops.toml ('{c}' = \"…\") or rename it",
                    "的列 {c!r} 可能是 {f}：若不读取，两者都将按未给出计算；请在 bizops.toml 的 [columns] 中指明"
                    "（'{c}' = \"…\"）或改列名",
                    c=cell.strip(),
                    f=either,
                )
            field = self.likely(cell)
            found = self._field(cell, field) if field is not None else None
            if found is not None and found.kind in _COUNTED and not found.required and found.name not in named:
                return msg(
                    "gives column {c!r}, which reads like {f} but is none of its names: left unread, {f} would "
                    "count as not given; ",
                    "的列 {c!r} 看似{z}（{f}），但不是它的列名：若不读取，{z}将按未给出计算；",
                    c=cell.strip(),
                    f=found.name,
                    z=_short(found.zh) if found.zh else found.name,
                ) + _map_it(cell.strip(), found.name)
        return None

    def scaled(self, header: str, field: str | None = None) -> bool:
        """Whether `header` names a money field with a note counting it in larger units (`金额（万元）`)."""
        found = self._field(header, field)
        return found is not None and found.kind in ("money", "price") and _scaled_note(header)

    def unit_column(self, header: str) -> tuple[str, str] | None:
        """(`<field>_unit`, the unit) when `header` names a field's unit in a note and the command reads it there.

        `数量（米）` gives `qty_unit` the value `米` on every row, where the
        command declares a `qty_unit` field (a row's own 单位 cell comes first):
        the plugin checks it against the unit it counts in.
        """
        found = self.by_key.get(header_key(header)) or self.by_key.get(header_key(_short(header)))
        given = _header_unit(header)
        companion = self.companion(found)
        if companion is None or given is None:
            return None
        return companion, given

    def companion(self, field: str | None) -> str | None:
        """The field that receives `field`'s unit (`qty_unit` for `qty`), when the command declares one."""
        return f"{field}_unit" if field and any(f.name == f"{field}_unit" for f in self.fields) else None

    def known(self, lang: str) -> str:
        """The fields and what else names them, for a message: `sku (产品编号, 产品), qty (数量)…`."""
        others: dict[str, list[str]] = {f.name: [] for f in self.fields}
        for key, field in self.by_key.items():
            if key != field:
                others[field].append(key)
        parts = []
        for f in self.fields:
            shown = others[f.name][:3]
            parts.append(f"{f.name} ({', '.join(shown)})" if shown else f.name)
        return ", ".join(parts)


def _a_choice_of(field: Field, value: str) -> bool:
    """Whether `value` is one of a choice field's choices, or one of a yes/no field's own words (`老客户`)."""
    if field.kind == "bool":
        return any(value.lower() == w.lower() for words in field.choice_aliases.values() for w in words)
    if field.kind != "enum":
        return False
    try:
        converter(field).parse(value)
    except BadValue:
        return False
    return True


def _in_yuan(currency: str) -> bool:
    """Whether a currency cell names 元: `人民币`, `RMB`, `人民币(CNY)`, `本位币-人民币`, `￥`."""
    words = re.findall(r"[a-z]+|[^\W\d_a-z]+", header_key(currency)) or [currency.strip()]
    return all(w in _YUAN for w in words)


def _words(key: str) -> set[str]:
    """An English header's words, plurals as their singular: `chase_count` and `chases` share `chase`."""
    return {w.removesuffix("s") for w in key.split("_") if w}


def _kind_fits(words: set[str], field: Field | None) -> bool:
    """Whether a header's words leave it the field's kind: `paid_date` is no amount paid, `due_amount` no day,
    `order_amount` no order number."""
    if field is None:
        return False
    if words & _DAY_WORDS:
        return field.kind in ("date", "datetime")
    if words & _SUM_WORDS:
        return field.kind in ("money", "price", "decimal", "int", "pct")
    return True


def _map_it(column: str, field: str) -> Text:
    """The remedy for a column bizops will not guess at: the office's `[columns]`, or another name."""
    return msg(
        "map it in [columns] of bizops.toml ('{c}' = \"{f}\") or rename it",
        "请在 bizops.toml 的 [columns] 中对应（'{c}' = \"{f}\"）或改列名",
        c=column,
        f=field,
    )


def _claim(level: dict, key: str, field: str) -> None:
    """Give `key` to `field` at a level, or to nobody (None) when another field claims it too."""
    if level.get(key, field) != field:
        level[key] = None
    else:
        level[key] = field


def _with_items(fields: Iterable[Field]) -> Iterable[Field]:
    """The fields, and the item fields of a `records` field (a trip's legs come one per row)."""
    for f in fields:
        yield f
        if f.kind == "records":
            yield from f.fields


def with_labels(spec: CommandSpec, labels: Mapping[str, tuple[str, str]]) -> CommandSpec:
    """`spec` with each enum field also accepting the labels the company prints for its choices.

    `帐期` is read as `credit` because the cable maker's tables print `credit`
    as `帐期`; a label that two choices of one field share names neither.
    """
    labels = {**CORE_LABELS, **labels}

    def complete(fields: tuple[Field, ...]) -> tuple[Field, ...]:
        done = []
        for f in fields:
            if f.kind == "enum":
                f = f.replace(choice_aliases=_choice_aliases(f, labels))
            elif f.kind == "records" and f.fields:
                f = f.replace(fields=complete(f.fields))
            done.append(f)
        return tuple(done)

    inputs, options = complete(spec.inputs), complete(spec.options)
    if inputs == spec.inputs and options == spec.options:
        return spec
    return spec.replace(inputs=inputs, options=options)


def _choice_aliases(f: Field, labels: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    aliases = {choice: list(f.choice_aliases.get(choice, ())) for choice in f.choices}
    owners: dict[str, set[str]] = {}
    for choice in f.choices:
        for label in labels.get(choice, ()):
            owners.setdefault(label.strip().lower(), set()).add(choice)
    for label, choices in owners.items():
        if len(choices) == 1 and label not in f.choices:
            aliases[next(iter(choices))].append(label)
    return {choice: tuple(dict.fromkeys(names)) for choice, names in aliases.items() if names}


def pick_columns(
    columns: Sequence[Column], given: str | None, essential: Sequence[str] = (), lang: str = "en"
) -> tuple[Column, ...]:
    """The output columns `--columns` names (by name or label), `all`, or by default `essential` (else all).

    `company` and `warnings` count as columns like any other. An unknown
    name is a usage error listing the columns there are.
    """
    if given is None:
        if not essential:
            return tuple(columns)
        keep = set(essential)
        return tuple(c for c in columns if c.name in keep)
    if given.strip().lower() == "all":
        return tuple(columns)
    by_key: dict[str, Column] = {}
    for column in reversed(columns):
        for name in (column.zh, column.en, column.name):
            if name:
                by_key[header_key(name)] = column
    picked: list[Column] = []
    for part in re.split(r"[,，、]", given):
        if not part.strip():
            continue
        found = by_key.get(header_key(part))
        if found is None:
            raise UsageError(
                msg(
                    "--columns: no column {n!r}; the columns are: {a} (or all)",
                    "--columns：没有列 {n!r}；可选的列：{a}（或 all）",
                    n=part.strip(),
                    a=", ".join(c.name for c in columns),
                )
            )
        if found not in picked:
            picked.append(found)
    if not picked:
        raise UsageError(msg("--columns names no column", "--columns 没有指定任何列"))
    return tuple(picked)
