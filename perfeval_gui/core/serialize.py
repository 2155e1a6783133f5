"""Report ⇄ plain JSON data, with strict, path-naming validation.

Money and scores are written as strings ("133.85") so the exact Decimal, including the decimals
the officer typed, survives. Keys this version does not know (a newer minor version wrote them)
are kept on the object and written back on save.
"""
from __future__ import annotations

import types
import typing
from dataclasses import fields, is_dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from .model import Report

UNKNOWN_ATTR = "_unknown_keys"
MAX_DECIMAL_TEXT = 40


class ReportDataError(ValueError):
    """The data does not describe a report; the message names the field (Chinese)."""


@lru_cache(maxsize=None)
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
    return to_data(report)


def _fail(path: str, expected: str, value: Any) -> ReportDataError:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:60] + "…"
    return ReportDataError(f"字段“{path or '（根）'}”应为{expected}，文件中是 {shown}")


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
        if not result.is_finite() or abs(result.adjusted()) > 18:
            raise _fail(path, "有限数字", value)
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
        return value
    if tp is Decimal:
        return _decimal(value, path)
    if tp is bool:
        if not isinstance(value, bool):
            raise _fail(path, "真/假", value)
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 12:
                return int(value)
            raise _fail(path, "整数", value)
        if abs(value) > 10**12:
            raise _fail(path, "合理范围内的整数", value)
        return value
    if tp is str:
        if not isinstance(value, str):
            raise _fail(path, "文字", value)
        return value
    if origin is list:
        if not isinstance(value, list):
            raise _fail(path, "列表", value)
        return [from_data(args[0], item, f"{path}[{i}]") for i, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise _fail(path, "对象", value)
        return {str(k): from_data(args[1], v, f"{path}[{k}]") for k, v in value.items()}
    if is_dataclass(tp):
        if not isinstance(value, dict):
            raise _fail(path, "对象", value)
        hints = _hints(tp)
        kwargs = {}
        unknown = {}
        for key, item in value.items():
            if key in hints:
                kwargs[key] = from_data(hints[key], item, f"{path}.{key}" if path else key)
            else:
                unknown[key] = item
        obj = tp(**kwargs)
        if unknown:
            setattr(obj, UNKNOWN_ATTR, unknown)
        return obj
    raise _fail(path, str(tp), value)  # pragma: no cover - model types are closed


def report_from_data(data: Any) -> Report:
    if not isinstance(data, dict):
        raise ReportDataError("文件内容不是一份报告（顶层应为 JSON 对象）")
    try:
        return from_data(Report, data, "")
    except RecursionError:
        raise ReportDataError("文件嵌套层数过深，不是本程序写出的报告") from None
