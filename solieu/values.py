"""Normalised values of MONEY, PERCENT and DATE spans (LABELS.md, 'Normalised values').

Each `normalise_*` takes the span's text (and, for dates, the optional
document date) and returns the schema value, or None when the text does not
read as a value of that kind. They never raise on odd text: a span the model
found is kept even when its value cannot be read.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from solieu.schema import DateValue, MoneyValue, PercentValue

# ---------------------------------------------------------------- numbers

NUMBER_PATTERN = r"\d+(?:[.,]\d+)*"
_NUMBER = re.compile(NUMBER_PATTERN)


def parse_number(text: str) -> Decimal | None:
    """A Vietnamese-formatted number: `.` groups thousands, `,` marks decimals.

    Writers slip into other conventions, so the reading is by shape: dots
    followed by groups of three digits are thousands separators; a single
    separator followed by other than three digits is a decimal mark.
    """
    s = text.strip()
    if not _NUMBER.fullmatch(s):
        return None
    has_dot, has_comma = "." in s, "," in s
    try:
        if has_dot and has_comma:
            if s.rfind(",") > s.rfind("."):
                return Decimal(s.replace(".", "").replace(",", "."))
            return Decimal(s.replace(",", ""))
        if has_dot:
            groups = s.split(".")
            if all(len(g) == 3 for g in groups[1:]):
                return Decimal(s.replace(".", ""))
            if len(groups) == 2:
                return Decimal(s)
            return None
        if has_comma:
            groups = s.split(",")
            if len(groups) == 2:
                return Decimal(s.replace(",", "."))
            if all(len(g) == 3 for g in groups[1:]):
                return Decimal(s.replace(",", ""))
            return None
        return Decimal(s)
    except InvalidOperation:
        return None


def _plain(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


# ---------------------------------------------------------------- money

_MULTIPLIERS = {"trăm": 10**2, "nghìn": 10**3, "ngàn": 10**3, "ngan": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_CURRENCIES = [
    (re.compile(r"(?:đồng|vnđ|vnd|đ)\b"), "VND"),
    (re.compile(r"(?:usd|đô la mỹ|đô la|đôla|\$)"), "USD"),
    (re.compile(r"(?:euro|eur)\b"), "EUR"),
    (re.compile(r"(?:nhân dân tệ|ndt|cny)\b"), "CNY"),
]
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|đến|tới)\s*")
_AMOUNT_PART = re.compile(rf"({NUMBER_PATTERN})\s*((?:(?:trăm|nghìn|ngàn|triệu|tỷ|tỉ)\s*)*)")


def _currency_of(text: str) -> str | None:
    for pattern, code in _CURRENCIES:
        if pattern.search(text):
            return code
    return None


def _amount(text: str) -> Decimal | None:
    """`1 tỷ 200 triệu`, `24,023 tỷ`, `5.060.889.000` to a number of currency units."""
    total = Decimal(0)
    found = False
    for m in _AMOUNT_PART.finditer(text):
        number = parse_number(m.group(1))
        if number is None:
            return None
        factor = 1
        for word in m.group(2).split():
            factor *= _MULTIPLIERS[word]
        total += number * factor
        found = True
    return total if found else None


def normalise_money(text: str) -> MoneyValue | None:
    low = " ".join(text.lower().split())
    currency = _currency_of(low)
    if currency is None or not _NUMBER.search(low):
        return None
    parts = [p for p in _RANGE_SPLIT.split(low) if _NUMBER.search(p)]
    if len(parts) == 2:
        low_part, high_part = parts
        high = _amount(high_part)
        # `10 - 15 tỷ đồng`: the left end borrows the right end's multiplier.
        if not re.search(r"trăm|nghìn|ngàn|triệu|tỷ|tỉ", low_part):
            multiplier = re.search(r"((?:(?:trăm|nghìn|ngàn|triệu|tỷ|tỉ)\s*)+)", high_part)
            if multiplier:
                low_part = f"{low_part} {multiplier.group(1)}"
        lo = _amount(low_part)
        if lo is None or high is None:
            return None
        return MoneyValue(amount_min=_plain(lo), amount_max=_plain(high), currency=currency)
    amount = _amount(low)
    if amount is None:
        return None
    return MoneyValue(amount=_plain(amount), currency=currency)


# ---------------------------------------------------------------- percent

_PERCENT_NUMBERS = re.compile(rf"({NUMBER_PATTERN})")


def normalise_percent(text: str) -> PercentValue | None:
    low = " ".join(text.lower().split())
    if "%" not in low and "phần trăm" not in low:
        return None
    numbers = [parse_number(n) for n in _PERCENT_NUMBERS.findall(low)]
    if not numbers or any(n is None for n in numbers):
        return None
    if len(numbers) == 1:
        return PercentValue(value=_plain(numbers[0]))
    if len(numbers) == 2 and _RANGE_SPLIT.search(low):
        return PercentValue(min=_plain(numbers[0]), max=_plain(numbers[1]))
    return None


# ---------------------------------------------------------------- dates

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
UNKNOWN_YEAR = "????"


@dataclass
class _Period:
    """A period with possibly unknown year: months are 1-12, days 1-31."""

    start_year: int | None
    start_month: int
    start_day: int
    end_year: int | None
    end_month: int
    end_day: int

    def with_year(self, year: int) -> _Period:
        return _Period(
            self.start_year if self.start_year is not None else year,
            self.start_month,
            self.start_day,
            self.end_year if self.end_year is not None else year,
            self.end_month,
            self.end_day,
        )


def _last_day(year: int | None, month: int) -> int:
    # An unknown year takes a non-leap year: February then ends on the 28th.
    return calendar.monthrange(year if year is not None else 2001, month)[1]


def _month_period(year: int | None, first: int, last: int) -> _Period:
    return _Period(year, first, 1, year, last, _last_day(year, last))


def _day(year: int | None, month: int, day: int) -> _Period | None:
    if not (1 <= month <= 12 and 1 <= day <= _last_day(year if year else 2000, month)):
        return None
    return _Period(year, month, day, year, month, day)


def _year_of(text: str) -> int | None:
    m = re.search(r"\b(1[89]\d\d|2[01]\d\d)\b", text)
    return int(m.group(1)) if m else None


def _narrow(period: _Period, position: str | None) -> _Period:
    if position == "đầu":
        return _Period(period.start_year, period.start_month, period.start_day,
                       period.start_year, period.start_month, period.start_day)
    if position == "cuối":
        return _Period(period.end_year, period.end_month, period.end_day,
                       period.end_year, period.end_month, period.end_day)
    if position == "giữa" and period.start_month == period.end_month:
        # The spec: `giữa tháng 6` is the 15th. A middle of a longer period has no day it names.
        return _Period(period.start_year, period.start_month, 15, period.end_year, period.end_month, 15)
    return period


_D = r"(\d{1,2})"
_Y = r"(\d{4})"
_SEP = r"\s*[/.\-–—]\s*"
_POS = r"(?:(đầu|cuối|giữa)\s+)?"


_COUNT_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
                "mười": 10, "mười một": 11, "mười hai": 12}
_SPELLED_COUNT = re.compile(r"^(mười một|mười hai|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)(?=\s+tháng\b)")


def _parse_single(s: str, doc_date: date | None) -> _Period | None:
    """One time expression (no range), lower-cased with single spaces."""
    s = re.sub(r"^(?:vào|từ|trong|đến|tới|hết)\s+", "", s).strip(" ,.;:()")
    # `chín tháng đầu năm` reads as `9 tháng đầu năm`.
    s = _SPELLED_COUNT.sub(lambda m: str(_COUNT_WORDS[m.group(1)]), s)
    m = re.fullmatch(rf"(?:ngày\s+)?{_D}{_SEP}{_D}{_SEP}{_Y}", s)
    if m:
        return _day(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(rf"(?:ngày\s+)?{_D}\s+tháng\s+{_D}\s+năm\s+{_Y}", s)
    if m:
        return _day(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(rf"(?:ngày\s+)?{_D}\s+tháng\s+{_D}", s)
    if m:
        return _day(None, int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(rf"(?:ngày\s+)?{_D}{_SEP}{_D}", s)
    if m:
        return _day(None, int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(rf"ngày\s+{_D}", s)
    if m:
        return _Period(None, 0, int(m.group(1)), None, 0, int(m.group(1)))  # month from context
    m = re.fullmatch(rf"{_POS}tháng\s+{_D}(?:(?:{_SEP}|\s+năm\s+){_Y})?", s)
    if m and 1 <= int(m.group(2)) <= 12:
        year = int(m.group(3)) if m.group(3) else None
        return _narrow(_month_period(year, int(m.group(2)), int(m.group(2))), m.group(1))
    m = re.fullmatch(rf"{_POS}quý\s+(iv|iii|ii|i|[1-4])(?:(?:{_SEP}|\s+năm\s+){_Y})?", s)
    if m:
        q = _ROMAN.get(m.group(2)) or int(m.group(2))
        year = int(m.group(3)) if m.group(3) else None
        return _narrow(_month_period(year, 3 * q - 2, 3 * q), m.group(1))
    m = re.fullmatch(rf"(\d{{1,2}})\s+tháng(?:\s+(đầu|cuối))?(?:\s+năm)?(?:\s+{_Y})?", s)
    if m and 1 <= int(m.group(1)) <= 12:
        n, year = int(m.group(1)), int(m.group(3)) if m.group(3) else None
        if m.group(2) == "cuối":
            return _month_period(year, 13 - n, 12)
        return _month_period(year, 1, n)
    m = re.fullmatch(r"(\d{1,2})\s+tháng\s+qua", s)
    if m:
        if doc_date is None:
            return None
        n = int(m.group(1))
        first = doc_date.month - n + 1
        year = doc_date.year
        while first < 1:
            first += 12
            year -= 1
        return _Period(year, first, 1, doc_date.year, doc_date.month, _last_day(doc_date.year, doc_date.month))
    m = re.fullmatch(rf"{_POS}(?:năm\s+|niên độ\s+)?{_Y}", s)
    if m:
        return _narrow(_month_period(int(m.group(2)), 1, 12), m.group(1))
    m = re.fullmatch(rf"{_POS}năm", s)
    if m and m.group(1):
        return _narrow(_month_period(None, 1, 12), m.group(1))
    return None


_RANGE_WORDS = re.compile(r"\s+(?:đến|tới)\s+|\s*[-–—]\s*")


def _parse_range(s: str, doc_date: date | None) -> _Period | None:
    m = re.fullmatch(rf"năm học(?:\s+mới)?\s+{_Y}{_SEP}{_Y}", s)
    if m:
        return _Period(int(m.group(1)), 9, 1, int(m.group(2)), 5, 31)
    m = re.fullmatch(rf"tháng\s+{_D}\s*[-–,]\s*{_D}(?:{_SEP}|\s+năm\s+){_Y}", s)
    if m and 1 <= int(m.group(1)) <= int(m.group(2)) <= 12:
        return _month_period(int(m.group(3)), int(m.group(1)), int(m.group(2)))
    m = re.fullmatch(rf"quý\s+(iv|iii|ii|i)\s*(?:[-–,]|và|đến)\s*(iv|iii|ii|i)(?:{_SEP}|\s+năm\s+){_Y}", s)
    if m:
        return _month_period(int(m.group(3)), 3 * _ROMAN[m.group(1)] - 2, 3 * _ROMAN[m.group(2)])
    s = re.sub(r"^(?:giai đoạn|nhiệm kỳ|thời kỳ|từ)\s+", "", s)
    pieces = _RANGE_WORDS.split(s)
    if len(pieces) != 2:
        return None
    left_text, right_text = pieces
    right = _parse_single(right_text, doc_date)
    if right is None:
        return None
    left = _parse_single(left_text, doc_date)
    if left is None:
        # `ngày 4 đến ngày 6/12/2018`, `10-15/5`: the left end is a bare day.
        bare = re.fullmatch(r"(?:ngày\s+)?(\d{1,2})", left_text)
        if not bare or right.start_month == 0:
            return None
        left = _day(right.start_year, right.start_month, int(bare.group(1)))
        if left is None:
            return None
    if left.start_month == 0:
        left = _day(right.start_year, right.start_month, left.start_day)
        if left is None:
            return None
    if left.start_year is None and right.start_year is not None:
        left = left.with_year(right.start_year)
    if right.end_year is None and left.start_year is not None:
        # `đầu năm 2024 đến ngày 30/6`: the year written once governs both ends.
        right = right.with_year(left.start_year)
    return _Period(left.start_year, left.start_month, left.start_day, right.end_year, right.end_month, right.end_day)


def _iso(year: int | None, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year is not None else f"{UNKNOWN_YEAR}-{month:02d}-{day:02d}"


def normalise_date(text: str, document_date: date | None = None) -> DateValue | None:
    """The first and last day of the period `text` names.

    Without a year in the span the document date's year is used, else `????`.
    Relative periods (`6 tháng qua`) need the document date; without it the
    value is `{start: null, end: null}`.
    """
    s = " ".join(text.lower().split())
    period = _parse_single(s, document_date) or _parse_range(s, document_date)
    if period is None:
        if re.fullmatch(r"\d{1,2}\s+tháng\s+qua", s):
            return DateValue(start=None, end=None)
        return None
    if period.start_month == 0:
        return None
    if document_date is not None:
        period = period.with_year(document_date.year)
    return DateValue(start=_iso(period.start_year, period.start_month, period.start_day),
                     end=_iso(period.end_year, period.end_month, period.end_day))


def normalise(label: str, text: str, document_date: date | None = None) -> MoneyValue | PercentValue | DateValue | None:
    if label == "MONEY":
        return normalise_money(text)
    if label == "PERCENT":
        return normalise_percent(text)
    if label == "DATE":
        return normalise_date(text, document_date)
    return None
