"""Issue 7.4: hypothesis fuzzing (bounded max_examples): parser, claim extractor, project loader,
Excel cell conversion. Every value that gets into the model must also survive save → load."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rel_helpers import TALLY, tallied
from perfeval_gui.core import narrative
from perfeval_gui.core.model import Report
from perfeval_gui.core.money import decimals_of, fmt_plain
from perfeval_gui.core.numbers import NumberParseError, parse_amount, parse_count, parse_number, parse_score
from perfeval_gui.io.project_file import ProjectFileError, data_to_report, report_to_bytes

FAST = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))

number_like = st.one_of(
    st.text(max_size=80),
    st.text(alphabet="0123456789０１２３.,，．-－+()（）¥￥ 万元亿%约余多十百千两一二三", max_size=30),
    st.from_regex(r"\A[-+]?\d{1,20}(\.\d{0,12})?\s?(万元|元|亿元)?\Z"),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.decimals(), st.booleans(), st.none())


def _survives_save(value: Decimal) -> bool:
    r = Report()
    r.income.budget_initial = value
    loaded = data_to_report(json.loads(report_to_bytes(r), parse_float=str), Path("x.pefx"))
    back = loaded.income.budget_initial
    return back == value and decimals_of(back) == decimals_of(value)


@FAST
@given(number_like)
def test_number_parser_only_raises_number_parse_error_and_round_trips(text):
    with tallied("fuzz: number parser"):
        _number_parser_case(text)


def _number_parser_case(text):
    for fn in (parse_number, parse_count, parse_score):
        try:
            fn(text)
        except NumberParseError:
            pass
    try:
        value = parse_amount(text)
    except NumberParseError:
        return
    if value is None:
        return
    assert _survives_save(value), (text, value)
    if isinstance(text, str) and parse_number(text).unit in ("", "万元"):
        # the displayed plain text parses back to the very same Decimal (typed decimals included).
        # Not asserted for 元/亿元 and for floats: 1.12345678元 = 0.000112345678 万元 has 12 decimals,
        # more than the parser accepts as typed text (MAX_DECIMALS = 8) — see the report.
        again = parse_amount(fmt_plain(value))
        assert str(again) == str(value), (text, value, again)


@FAST
@given(st.text(max_size=400) | st.text(alphabet="年初预算支出万元项目个人共计为.0123456789，。；、（）%", max_size=400))
def test_claim_extractor_never_raises(text):
    with tallied("fuzz: narrative claims"):
        narrative.extract(text)
        narrative.split_sentences(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20)
report_keys = st.sampled_from(["meta", "profile", "income", "expenditure", "projects", "three_public", "assets",
                               "procurement", "scoring", "self_eval", "narrative", "headings", "prior_year",
                               "final_accounts", "acknowledged", "x"])


@FAST
@given(st.one_of(json_values, st.dictionaries(report_keys, json_values, max_size=5)))
def test_project_loader_gives_report_or_project_file_error(data):
    with tallied("fuzz: project loader"):
        _project_loader_case(data)


def _project_loader_case(data):
    envelope = {"format": "perfeval-project", "version": "1.0", "report": data}
    text = json.dumps(envelope)
    try:
        report = data_to_report(json.loads(text, parse_float=str), Path("f.pefx"))
    except ProjectFileError:
        return
    assert isinstance(report, Report)
    # whatever loads, saves and loads again identically
    again = data_to_report(json.loads(report_to_bytes(report), parse_float=str), Path("f.pefx"))
    assert again == report


class _Cell:
    def __init__(self, value, number_format="General"):
        self.value, self.number_format = value, number_format


cell_values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-10**30, max_value=10**30),
    st.booleans(), st.datetimes(), st.dates(), st.text(max_size=40), st.integers(0, 9).map(lambda d: str(d) * 32767),
    st.sampled_from(["#DIV/0!", "#N/A", "=SUM(A1:A3)", "12.50万元", "(3.40)", "1,234.5元", "约30", "—"]))


def _blank_marker(raw) -> bool:
    """'', '—', '/', '无' …: text the number parser reads as "no value" (no warning expected)."""
    from perfeval_gui.core.numbers import NumberParseError, parse_amount
    if not isinstance(raw, str):
        return False
    try:
        return parse_amount(raw) is None
    except NumberParseError:
        return False


@FAST
@given(cell_values, st.sampled_from(["General", "0.00", "#,##0", "0.0000", "@", "0%", "yyyy-mm-dd"]),
       st.sampled_from(["money", "count", "score", "year", "text"]), st.sampled_from(["万元", "元"]))
def test_excel_cell_conversion_gives_value_or_message_naming_the_cell(raw, fmt, kind, unit):
    with tallied("fuzz: Excel cells"):
        _excel_cell_case(raw, fmt, kind, unit)


def _excel_cell_case(raw, fmt, kind, unit):
    from perfeval_gui.io.excel_import import ImportResult, _Reader, _Sheet
    result = ImportResult("t")
    sheet = _Sheet("收入", False, 10, lambda: iter(()))
    reader = _Reader(result, sheet, unit)
    value = reader.value(_Cell(raw, fmt), 7, 2, kind)
    if value is None:
        if raw is not None and not _blank_marker(raw) and kind != "text":
            assert result.warnings and "收入" in result.warnings[-1] and "B7" in result.warnings[-1], (raw, result)
        return
    assert not result.warnings or "B7" in result.warnings[-1]
    if kind == "money":
        assert isinstance(value, Decimal) and value.is_finite()
        if isinstance(raw, float) and raw != 0:
            assert value != 0, (raw, value)                  # never a silent 0
        assert _survives_save(value), (raw, fmt, value)


def test_tally_counts_each_case_after_it_ran():
    """The summary's fuzz rows are filled after each example: a crash or a lost value shows up."""
    with pytest.raises(ValueError):
        with tallied("self-test"):
            raise ValueError("crash")
    with pytest.raises(AssertionError):
        with tallied("self-test"):
            assert 1 == 2
    with tallied("self-test"):
        pass
    assert TALLY.pop("self-test") == [3, 1, 1]
