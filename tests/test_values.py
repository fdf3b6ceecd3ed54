from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solieu.values import normalise_date, normalise_money, normalise_percent, parse_number

MONEY_CASES = [
    ("17.271 triệu đồng", {"amount": 17271000000, "currency": "VND"}),
    ("953.094.000 đồng", {"amount": 953094000, "currency": "VND"}),
    ("24,023 tỷ đồng", {"amount": 24023000000, "currency": "VND"}),
    ("123.806,7 triệu đồng", {"amount": 123806700000, "currency": "VND"}),
    ("10 - 15 tỷ đồng", {"amount_min": 10000000000, "amount_max": 15000000000, "currency": "VND"}),
    ("24.000 USD", {"amount": 24000, "currency": "USD"}),
    ("1 tỷ 200 triệu đồng", {"amount": 1200000000, "currency": "VND"}),
    ("5 nghìn tỷ đồng", {"amount": 5000000000000, "currency": "VND"}),
    ("811 triệu USD", {"amount": 811000000, "currency": "USD"}),
]


@pytest.mark.parametrize("text, expected", MONEY_CASES, ids=[c[0] for c in MONEY_CASES])
def test_money(text, expected):
    assert normalise_money(text).model_dump(exclude_none=True) == expected


@pytest.mark.parametrize("text", ["49,7 tỷ", "đồng", "nhiều tiền"])
def test_money_needs_number_and_currency(text):
    assert normalise_money(text) is None


PERCENT_CASES = [("55,3%", {"value": 55.3}), ("98,5 %", {"value": 98.5}), ("10-11%", {"min": 10, "max": 11}),
                 ("20 phần trăm", {"value": 20}), ("100%", {"value": 100})]


@pytest.mark.parametrize("text, expected", PERCENT_CASES, ids=[c[0] for c in PERCENT_CASES])
def test_percent(text, expected):
    assert normalise_percent(text).model_dump(exclude_none=True) == expected


DATE_CASES = [
    ("ngày 14/05/2025", "2025-05-14", "2025-05-14"),
    ("tháng 5 năm 2025", "2025-05-01", "2025-05-31"),
    ("tháng 5/2025", "2025-05-01", "2025-05-31"),
    ("tháng 02/2024", "2024-02-01", "2024-02-29"),
    ("năm 2025", "2025-01-01", "2025-12-31"),
    ("cuối năm 2023", "2023-12-31", "2023-12-31"),
    ("quý I/2025", "2025-01-01", "2025-03-31"),
    ("Quý II năm 2023", "2023-04-01", "2023-06-30"),
    ("6 tháng đầu năm 2024", "2024-01-01", "2024-06-30"),
    ("6 tháng cuối năm 2024", "2024-07-01", "2024-12-31"),
    ("5 tháng đầu năm", "????-01-01", "????-05-31"),
    ("2021 - 2025", "2021-01-01", "2025-12-31"),
    ("giai đoạn 2026 - 2030", "2026-01-01", "2030-12-31"),
    ("năm học 2024 - 2025", "2024-09-01", "2025-05-31"),
    ("30/4", "????-04-30", "????-04-30"),
    ("ngày 22/12", "????-12-22", "????-12-22"),
    ("năm 2010 đến năm 2020", "2010-01-01", "2020-12-31"),
    ("ngày 4 đến ngày 6/12/2018", "2018-12-04", "2018-12-06"),
    ("ngày 24 tháng 11 năm 2023", "2023-11-24", "2023-11-24"),
    ("năm học mới 2025 – 2026", "2025-09-01", "2026-05-31"),
    ("tháng 10-11/2025", "2025-10-01", "2025-11-30"),
    ("Quý II, III/2025", "2025-04-01", "2025-09-30"),
]


@pytest.mark.parametrize("text, start, end", DATE_CASES, ids=[c[0] for c in DATE_CASES])
def test_date(text, start, end):
    value = normalise_date(text)
    assert (value.start, value.end) == (start, end)


def test_document_date_supplies_the_year():
    value = normalise_date("ngày 22/12", date(2025, 6, 4))
    assert (value.start, value.end) == ("2025-12-22", "2025-12-22")
    relative = normalise_date("6 tháng qua", date(2025, 6, 4))
    assert (relative.start, relative.end) == ("2025-01-01", "2025-06-30")
    assert normalise_date("6 tháng qua").start is None


@pytest.mark.parametrize("text", ["hôm nay", "17h", "31/02/2024", "tháng 13/2024"])
def test_not_dates(text):
    assert normalise_date(text) is None


def vietnamese_number(integer: int, decimals: str) -> str:
    grouped = f"{integer:,}".replace(",", ".")
    return grouped + ("," + decimals if decimals else "")


@given(st.integers(min_value=0, max_value=10**12), st.text(alphabet="0123456789", max_size=3))
def test_vietnamese_number_format_roundtrips(integer, decimals):
    text = vietnamese_number(integer, decimals)
    expected = float(f"{integer}.{decimals}") if decimals else integer
    assert float(parse_number(text)) == pytest.approx(expected)


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from([("nghìn", 10**3), ("triệu", 10**6), ("tỷ", 10**9)]))
def test_money_multiplier_scales(amount, multiplier):
    word, factor = multiplier
    value = normalise_money(f"{vietnamese_number(amount, '')} {word} đồng")
    assert value.amount == amount * factor and value.currency == "VND"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_any_calendar_day_reads_back(day):
    value = normalise_date(f"ngày {day.day}/{day.month}/{day.year}")
    assert value.start == value.end == day.isoformat()


@given(st.text(max_size=40))
def test_normalisers_never_raise(text):
    normalise_money(text)
    normalise_percent(text)
    normalise_date(text)


@pytest.mark.parametrize(("label", "text", "expected"), [
    ("MONEY", "2,3 tỷ Đô la Mỹ", {"amount": 2300000000, "currency": "USD"}),
    ("MONEY", "450 triệu đôla", {"amount": 450000000, "currency": "USD"}),
    ("MONEY", "50.000đ", {"amount": 50000, "currency": "VND"}),
    ("MONEY", "2 trăm tỷ đồng", {"amount": 200000000000, "currency": "VND"}),
    ("MONEY", "3 triệu Euro", {"amount": 3000000, "currency": "EUR"}),
    ("PERCENT", "8 đến 9%", {"min": 8, "max": 9}),
    ("PERCENT", "95% đến 100%", {"min": 95, "max": 100}),
    ("DATE", "ngày 25.8", {"start": "????-08-25", "end": "????-08-25"}),
    ("DATE", "Ngày 9-3-2024", {"start": "2024-03-09", "end": "2024-03-09"}),
    ("DATE", "quý III.2021", {"start": "2021-07-01", "end": "2021-09-30"}),
    ("DATE", "chín tháng đầu năm 2019", {"start": "2019-01-01", "end": "2019-09-30"}),
    ("DATE", "mười hai tháng", {"start": "????-01-01", "end": "????-12-31"}),
    ("DATE", "Giai đoạn từ năm 2016 đến năm 2020", {"start": "2016-01-01", "end": "2020-12-31"}),
    ("DATE", "đầu năm 2024 đến ngày 30/6", {"start": "2024-01-01", "end": "2024-06-30"}),
    ("DATE", "niên độ 2023", {"start": "2023-01-01", "end": "2023-12-31"}),
    ("DATE", "giữa tháng 7/2024", {"start": "2024-07-15", "end": "2024-07-15"}),
])
def test_notations_of_other_provinces(label, text, expected):
    from solieu.values import normalise

    assert normalise(label, text).model_dump(exclude_none=True) == expected


@given(st.integers(min_value=1, max_value=9), st.sampled_from(["tỷ", "triệu"]),
       st.sampled_from([("đồng", "VND"), ("USD", "USD"), ("Đô la Mỹ", "USD"), ("đôla", "USD")]))
def test_hundreds_multiply_and_every_currency_word_reads(count, big, currency):
    from solieu.values import normalise_money

    word, code = currency
    value = normalise_money(f"{count} trăm {big} {word}")
    assert value.amount == count * 100 * {"tỷ": 10**9, "triệu": 10**6}[big] and value.currency == code
