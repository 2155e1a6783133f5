from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from perfeval_gui.core.money import fmt_amount, round_half_up
from perfeval_gui.core.numbers import (NumberParseError, parse_amount, parse_count, parse_number)


@pytest.mark.parametrize("text,value", [
    ("1,234.56", "1234.56"), ("1，234.56", "1234.56"), ("１２３．４", "123.4"), ("133.85万元", "133.85"),
    ("1 234,00", "1234.00"), ("(12.3)", "-12.3"), ("-12.3", "-12.3"), ("－5", "-5"), ("¥8", "8"),
    ("￥ 1,000", "1000"), ("0", "0"), ("4.00", "4.00"),
])
def test_amounts_officers_type(text, value):
    assert parse_amount(text) == Decimal(value)
    assert str(parse_amount(text)) == value  # typed decimals are kept


def test_unit_conversion_is_exact():
    assert parse_amount("12345.67元") == Decimal("1.234567")
    assert parse_amount("12.97亿元") == Decimal("129700")
    assert parse_amount("3元", default_unit="万元") == Decimal("0.0003")


@pytest.mark.parametrize("text", ["", "  ", "—", "-", "/", "——"])
def test_blank_and_dash_are_no_value(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["abc", "12..3", "1,23,4", "12万元元", "1e5", "3人", "约30万元", "NaN"])
def test_rejects_with_message_naming_text(text):
    with pytest.raises(NumberParseError) as exc:
        parse_amount(text)
    assert text.strip()[:5] in str(exc.value) or text in str(exc.value)


@pytest.mark.parametrize("text,value", [("7人", 7), ("十一", 11), ("两", 2), ("二十三", 23), ("一百零五", 105),
                                        ("12 名", 12), ("3个", 3)])
def test_counts(text, value):
    assert parse_count(text) == value


def test_count_must_be_whole():
    with pytest.raises(NumberParseError):
        parse_count("2.5人")


def test_approximate_numbers_are_marked():
    n = parse_number("80余篇")
    assert n.approx and n.value == 80 and n.unit == "篇"
    assert parse_number("约30").approx


def test_round_half_up_not_bankers():
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(Decimal("2.5"), 0) == Decimal("3")
    assert fmt_amount(Decimal("133.845")) == "133.85"


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False))
def test_formatted_amount_round_trips(value):
    for text in (f"{value:f}", f"{value:,f}", f"{value:f}万元"):
        assert parse_amount(text) == value


@given(st.text(max_size=30))
def test_parser_never_raises_anything_but_its_error(text):
    try:
        parse_number(text)
    except NumberParseError:
        pass


def test_chinese_numerals_are_written_and_read_by_one_pair_of_helpers():
    from perfeval_gui.core.numbers import chinese_numeral, to_chinese_numeral
    assert [to_chinese_numeral(i) for i in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
    assert all(chinese_numeral(to_chinese_numeral(i)) == i for i in range(1, 100))
