"""Report ⇄ plain JSON data, with strict, path-naming validation.

Money and scores are written as strings ("133.85") so the exact Decimal, including the decimals
the officer typed, survives. Keys this version does not know (a newer minor version wrote them)
are kept on the object and written back on save.
"""
from __future__ import annotations

import copy
import types
import typing
from dataclasses import fields, is_dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from . import regex
from .model import Report, score_tree_problem
from .numbers import storable_problem

UNKNOWN_ATTR = "_unknown_keys"
MAX_DECIMAL_TEXT = 40
MAX_INT_TEXT = 12            # ASCII digits of a count or year as text ("2021")
MAX_TEXT_CHARS = 500_000     # one text field (a whole narrative section fits many times)
MAX_ITEMS = 10_000           # one list or table (projects, lines, indicators, acknowledgements)
MAX_FREE_DEPTH = 8           # nesting of free-form values (rule_params, keys of a newer version)
FIELD_RANGES = {             # integer fields with a narrower range than "a count"
    "meta.amount_decimals": (0, 4),
    "meta.fiscal_year": (1900, 2999),
}
_BAD_CHAR = regex.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class ReportDataError(ValueError):
    """The data does not describe a report; the message names the field (Chinese)."""


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def to_data(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return format(obj, "f")
    if is_dataclass(obj):
        out = {f.name: to_data(getattr(obj, f.name)) for f in fields(obj)}
        extra = getattr(obj, UNKNOWN_ATTR, None)
        if extra:
            for key, value in extra.items():
                out.setdefault(key, value)
        return out
    if isinstance(obj, list):
        return [to_data(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items()}
    return obj


def report_to_data(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = to_data(report)
    return data


def _fail(path: str, expected: str, value: Any) -> ReportDataError:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:60] + "…"
    return ReportDataError(f"字段“{path or '（根）'}”应为{expected}，文件中是 {shown}")


def text_problem(text: str) -> str | None:
    """Why a text cannot be stored (Chinese), or None: lone surrogates, control characters other
    than tab and line breaks, more than MAX_TEXT_CHARS characters."""
    if len(text) > MAX_TEXT_CHARS:
        return f"文字过长（{len(text)} 个字符，上限 {MAX_TEXT_CHARS}）"
    m = _BAD_CHAR.search(text)
    if m is not None:
        bad = m.group(0)
        kind = "不成对的代理字符" if 0xD800 <= ord(bad) <= 0xDFFF else "控制字符"
        return f"含有{kind} U+{ord(bad):04X}（第 {m.start() + 1} 个字符）"
    return None


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _fail(path, "文字", value)
    problem = text_problem(value)
    if problem:
        raise ReportDataError(f"字段“{path}”{problem}")
    return value


def _free(value: Any, path: str) -> Any:
    """A free-form JSON value (rule_params, unknown keys): bounded nesting, size and text. Iterative,
    so that nesting far beyond the limit is refused with this message, not a RecursionError."""
    stack: list[tuple[Any, str, int]] = [(value, path, 0)]
    while stack:
        item, where, depth = stack.pop()
        if depth > MAX_FREE_DEPTH:
            raise ReportDataError(f"字段“{path}”嵌套超过 {MAX_FREE_DEPTH} 层")
        if isinstance(item, str):
            _text(item, where)
        elif isinstance(item, (list, dict)):
            if len(item) > MAX_ITEMS:
                raise ReportDataError(f"字段“{where}”有 {len(item)} 项，上限 {MAX_ITEMS}")
            if isinstance(item, list):
                stack.extend((x, f"{where}[{i}]", depth + 1) for i, x in enumerate(item))
            else:
                for key, x in item.items():
                    _text(str(key), where)
                    stack.append((x, f"{where}[{key}]", depth + 1))
        elif isinstance(item, bool) or item is None:
            pass
        elif isinstance(item, int):
            if abs(item) > 10**18:
                raise _fail(where, "合理范围内的数字", item)
        elif isinstance(item, (float, Decimal)):
            pass
        else:
            raise _fail(where, "JSON 数据", item)
    return value


def _decimal(value: Any, path: str) -> Decimal:
    if isinstance(value, bool):
        raise _fail(path, "数字", value)
    if isinstance(value, int):
        if abs(value) > 10**18:
            raise _fail(path, "合理范围内的数字", value)
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or abs(value) > 1e18:
            raise _fail(path, "有限数字", value)
        return Decimal(repr(value))
    if isinstance(value, str):
        if len(value) > MAX_DECIMAL_TEXT:
            raise _fail(path, "位数合理的数字", value)
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise _fail(path, "数字", value) from None
        if not value.isascii() or not result.is_finite():
            raise _fail(path, "有限数字", value)
        problem = storable_problem(result)
        if problem:
            raise ReportDataError(f"字段“{path}”的数字“{value}”{problem}")
        return result
    raise _fail(path, "数字", value)


def from_data(tp: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return from_data(inner[0], value, path)
    if tp is Any:
        return _free(value, path)
    if tp is Decimal:
        return _decimal(value, path)
    if tp is bool:
        if not isinstance(value, bool):
            raise _fail(path, "真/假", value)
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            text = value.strip() if isinstance(value, str) else ""
            # ASCII digits only: int() also takes "²", "①"-like and Arabic-Indic digits
            if text.isascii() and text.lstrip("-").isdigit() and len(text) <= MAX_INT_TEXT:
                value = int(text)
            else:
                raise _fail(path, "整数", value)
        low, high = FIELD_RANGES.get(path, (-10**12, 10**12))
        if not low <= value <= high:
            raise _fail(path, f"{low} 至 {high} 之间的整数" if path in FIELD_RANGES else "合理范围内的整数", value)
        return value
    if tp is str:
        return _text(value, path)
    if origin is list:
        if not isinstance(value, list):
            raise _fail(path, "列表", value)
        if len(value) > MAX_ITEMS:
            raise ReportDataError(f"字段“{path}”有 {len(value)} 项，超过上限 {MAX_ITEMS} 项")
        return [from_data(args[0], item, f"{path}[{i}]") for i, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise _fail(path, "对象", value)
        if len(value) > MAX_ITEMS:
            raise ReportDataError(f"字段“{path}”有 {len(value)} 项，超过上限 {MAX_ITEMS} 项")
        return {_text(str(k), path): from_data(args[1], v, f"{path}[{k}]") for k, v in value.items()}
    if isinstance(tp, type) and is_dataclass(tp):    # tp is a model class, never an instance
        if not isinstance(value, dict):
            raise _fail(path, "对象", value)
        hints = _hints(tp)
        kwargs = {}
        unknown = {}
        for key, item in value.items():
            if key in hints:
                kwargs[key] = from_data(hints[key], item, f"{path}.{key}" if path else key)
            else:
                unknown[_text(str(key), path)] = _free(item, f"{path}.{key}" if path else str(key))
        obj = tp(**kwargs)
        if unknown:
            setattr(obj, UNKNOWN_ATTR, unknown)
        return obj
    raise _fail(path, str(tp), value)  # pragma: no cover - model types are closed


def report_from_data(data: Any) -> Report:
    if not isinstance(data, dict):
        raise ReportDataError("文件内容不是一份报告（顶层应为 JSON 对象）")
    try:
        report: Report = from_data(Report, data, "")
    except RecursionError:
        raise ReportDataError("文件嵌套层数过深，不是本程序写出的报告") from None
    check_score_trees(report)
    return report


def check_score_trees(report: Report) -> None:
    """Refuse a scoring table that is not a forest (empty/duplicate ids, self-parents, cycles,
    chains deeper than the template's levels): every tree walk relies on it."""
    tables = [("scoring.nodes", report.scoring.nodes)]
    tables += [(f"projects[{i}].indicators", p.indicators) for i, p in enumerate(report.projects)]
    for prefix, nodes in tables:
        problem = score_tree_problem(nodes)
        if problem:
            index, reason = problem
            raise ReportDataError(f"评分表“{prefix}[{index}]”（第 {index + 1} 行）：{reason}")


def storable_text(text: str) -> str:
    """``text`` without what a project file may not hold: vertical tab / form feed become a space
    (Word's manual breaks when pasted), other control characters and lone surrogates are dropped."""
    if not _BAD_CHAR.search(text):
        return text
    return _BAD_CHAR.sub("", text.replace("\v", " ").replace("\f", " "))


def storable_data(value: Any) -> Any:
    """A copy of JSON data (as to_data gives it) with every text passed through storable_text."""
    root = [copy.deepcopy(value)]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        container, key = stack.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = storable_text(item)
        elif isinstance(item, list):
            stack.extend((item, i) for i in range(len(item)))
        elif isinstance(item, dict):
            cleaned = {storable_text(str(k)): v for k, v in item.items()}
            item.clear()
            item.update(cleaned)
            stack.extend((item, k) for k in item)
    return root[0]


def validate_report(report: Report) -> None:
    """Raise ReportDataError when the loader would refuse ``report`` once written: writers call this
    first, so nothing is written that cannot be opened again."""
    # free-form values first, iteratively: a nesting too deep for report_to_data is named here
    for prefix, nodes in [("scoring.nodes", report.scoring.nodes)] + [
            (f"projects[{i}].indicators", p.indicators) for i, p in enumerate(report.projects)]:
        for j, node in enumerate(nodes):
            _free(node.rule_params, f"{prefix}[{j}].rule_params")
    try:
        data = report_to_data(report)
    except RecursionError:
        raise ReportDataError("报告数据嵌套层数过深") from None
    report_from_data(data)
