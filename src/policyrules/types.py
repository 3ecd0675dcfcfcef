"""Types and units of the language, and the typing rules of its operators.

>>> MONEY.describe(), duration("工作日").describe(), set_of(enum("Route")).describe()
('money', '工作日', 'set of Route')
>>> binary_type("×", RATE, MONEY) == MONEY
True
>>> binary_type("+", MONEY, RATE) is None
True
>>> binary_type("/", MONEY, NUMBER) == MONEY, binary_type("/", MONEY, MONEY) == RATE
(True, True)
"""

from __future__ import annotations

import attrs

__all__ = [
    "ANY",
    "BOOL",
    "DATE",
    "DURATION_UNITS",
    "MONEY",
    "NONE_ABLE",
    "NUMBER",
    "RATE",
    "SCALARS",
    "TEXT",
    "YEAR",
    "Type",
    "binary_type",
    "comparable",
    "duration",
    "enum",
    "list_of",
    "none_column",
    "set_of",
    "table_of",
]

DURATION_UNITS = ("日", "工作日", "周", "月", "年")
# Units that convert exactly into one another share a dimension: N 周 = 7N 日; 1 年 = 12 月.
_DIMENSION = {"日": "days", "周": "days", "工作日": "workdays", "月": "months", "年": "months"}


@attrs.frozen
class Type:
    """A type: ``kind`` is one of money, rate, number, date, bool, text, duration, enum,
    set, list, any; ``unit`` names a duration's unit, ``name`` an enum; ``bound`` is the
    largest value in percent a ``rate up to N%`` may take (``None``: 100 %); ``nullable``:
    a fact declared ``T or none``, whose value may be none (known absent)."""

    kind: str
    unit: str | None = None
    name: str | None = None
    element: Type | None = None
    determination: bool = attrs.field(default=False, eq=False)
    bound: int | None = attrs.field(default=None, eq=False)
    nullable: bool = attrs.field(default=False, eq=False)
    key: Type | None = None  # a table's key type (``element`` is its value type)

    def describe(self) -> str:
        """The type as an author writes it."""
        if self.nullable:
            return f"{attrs.evolve(self, nullable=False).describe()} or none"
        if self.kind == "duration":
            return self.unit or "duration"
        if self.kind == "enum":
            return self.name or "enum"
        if self.kind in ("set", "list"):
            inner = self.element.describe() if self.element else "?"
            return f"{self.kind} of {inner}"
        if self.kind == "table":
            key = self.key.describe() if self.key else "?"
            return f"table {key} to {self.element.describe() if self.element else '?'}"
        if self.determination:
            return "determination"
        if self.kind in ("money", "exchange") and self.unit:
            return f"{self.kind}({self.unit})"  # another currency than 元
        return self.kind

    @property
    def dimension(self) -> str | None:
        """``days``, ``workdays`` or ``months`` for a duration."""
        return _DIMENSION.get(self.unit or "")

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("money", "rate", "number", "duration")


MONEY = Type("money")
RATE = Type("rate")
NUMBER = Type("number")
DATE = Type("date")
BOOL = Type("bool")
TEXT = Type("text")
YEAR = Type("year")  # a calendar year (年度), 1..9999: compares with numbers
ANY = Type("any")
SCALARS = {
    "money": MONEY,
    "rate": RATE,
    "number": NUMBER,
    "count": NUMBER,
    "date": DATE,
    "bool": BOOL,
    "text": TEXT,
    "year": YEAR,
    "determination": Type("bool", determination=True),
}


# The kinds a fact may be declared `or none` (E280 for the others: false, an empty set or
# an empty list already says "did not happen").
NONE_ABLE = frozenset({"money", "rate", "number", "date", "year", "duration", "text", "enum"})


def none_column(fact: str) -> str:
    """The batch contract's companion column of a fact declared ``T or none``: BOOLEAN,
    TRUE where the fact is stated none (its own column is then NULL)."""
    return f"{fact}__none"


def duration(unit: str) -> Type:
    return Type("duration", unit=unit)


def enum(name: str) -> Type:
    return Type("enum", name=name)


def set_of(t: Type) -> Type:
    return Type("set", element=t)


def list_of(t: Type) -> Type:
    return Type("list", element=t)


def table_of(key: Type, value: Type) -> Type:
    """A tier table's type: ``table money to money``, ``table Level to rate``."""
    return Type("table", element=value, key=key)


def comparable(a: Type, b: Type) -> bool:
    """Whether ``a`` and ``b`` may be compared (``<``, ``=``...)."""
    if ANY in (a, b):
        return True
    if a.kind == "duration" and b.kind == "duration":
        return a.dimension == b.dimension
    if a.kind == b.kind and a.kind in ("set", "list"):
        return comparable(a.element or ANY, b.element or ANY)
    if {a.kind, b.kind} == {"year", "number"}:
        return True  # application_year >= 2026, year(d) = application_year
    return a == b


def binary_type(op: str, a: Type, b: Type) -> Type | None:
    """The type of ``a op b``, or ``None`` when the units do not mix."""
    if ANY in (a, b):
        return ANY
    if op in "+-":
        if a == b and a.kind in ("money", "number", "rate"):
            return a
        if YEAR in (a, b) and {a.kind, b.kind} <= {"year", "number"}:
            # year ± number is a year, number + year too; year − year counts years
            if a == b:
                return NUMBER if op == "-" else None
            return YEAR if op == "+" or a == YEAR else None
        if a.kind == b.kind == "duration" and a.dimension == b.dimension:
            return a if a.unit == b.unit else duration("日" if a.dimension == "days" else "月")
        return None
    if op == "×":
        kinds = {a.kind, b.kind}
        if kinds == {"money"}:
            return None
        if "money" in kinds and kinds <= {"money", "rate", "number"}:
            return a if a.kind == "money" else b  # its currency kept
        if a.kind == "duration" and b.kind == "number":
            return a
        if b.kind == "duration" and a.kind == "number":
            return b
        if kinds == {"rate"}:
            return RATE
        if kinds <= {"rate", "number"}:
            return NUMBER
        return None
    if op == "/":
        # money / money is a rate (a share: 研发投入占营业收入比重); rate / rate and
        # number / number are numbers; money / number is money (rounded down to the fen);
        # rate / number a rate.
        if a.kind == b.kind == "money":
            return RATE
        if a.kind == b.kind and a.kind in ("rate", "number"):
            return NUMBER
        if b.kind == "number" and a.kind in ("money", "rate"):
            return a
        return None
    return None
