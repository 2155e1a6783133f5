"""Helpers shared by the rule modules: arithmetic messages, section texts, keyword tests."""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, TypeGuard, TypeVar

from ..derived import exec_rate, project_budget_final, project_exec_rate
from ..messages import render
from ..model import Project, Report
from ..money import ZERO, fmt_percent, half_unit
from ..narrative import split_sentences
from ..template import get_template
from ..tolerance import Comparison, h

if TYPE_CHECKING:
    from .context import CheckContext

sentences = split_sentences   # the rules' name for it

class Formatter(Protocol):
    """What formats amounts for a message: a CheckContext, or _summaries._Fmt (cached project checks)."""
    def fmt(self, value: Decimal | None) -> str: ...


# (label, value, sign) of a sum shown in a message; a value not stated is shown as （未填）
Term = tuple[str, Decimal | None, int]


_T = TypeVar("_T")


def all_stated(values: Sequence[_T | None]) -> TypeGuard[Sequence[_T]]:
    """Every value is stated (``None not in values``), for the type checker."""
    return None not in values


@functools.lru_cache(maxsize=64)
def item_paths(list_path: str, attr: str, n: int) -> tuple[str, ...]:
    """("projects[0].actual", …, "projects[n-1].actual"): the paths a finding about a whole list names
    (built once per length, not on every keystroke)."""
    return tuple(f"{list_path}[{i}].{attr}" for i in range(n))


def place(report: Report, key: str) -> str | None:
    """The slot of the report's outline that holds ``key`` ('problems', 'assets', …; core/template.PLACES)."""
    return get_template(report.meta.template).place(key)


def z(value: Decimal | None) -> Decimal:
    return value if value is not None else ZERO


def arithmetic(ctx: Formatter, terms: Sequence[Term]) -> str:
    """'预算 4.00 + 上年结转 0.00 − 实际支出 4.00' from (label, value, sign) terms."""
    out = ""
    for i, (label, value, sign) in enumerate(terms):
        op = ("" if i == 0 else " + ") if sign > 0 else (" − " if i else "−")
        out += f"{op}{label} {ctx.fmt(value)}"
    return out


def mismatch_args(ctx: Formatter, terms: Sequence[Term], c: Comparison) -> dict[str, str]:
    """The arguments of a "stated total ≠ its sum" message (catalogue entries name them): terms (the
    arithmetic), computed, stated, difference, bound — amounts as the report writes them."""
    return {"terms": arithmetic(ctx, terms), "computed": ctx.fmt(c.computed), "stated": ctx.fmt(c.stated),
            "difference": ctx.fmt(c.difference), "bound": str(c.bound)}


def section_slots(report: Report, section_id: str) -> list[str]:
    """Narrative slot ids of a top-level section (the section itself and its sub-slots)."""
    return [sid for sid in report.narrative
            if sid == section_id or sid.startswith(section_id + ".")]


def section_text(report: Report, section_id: str) -> str:
    return "\n".join(report.narrative[s] for s in section_slots(report, section_id) if report.narrative[s])


def problem_section(report: Report) -> str:
    """The top-level section where the report admits its problems (六 of the nine-part form, 四 of the
    five-part one): the outline's place 'problems'."""
    return get_template(report.meta.template).place_section("problems")


def problem_title(report: Report) -> str:
    """The title of the outline's problems part ('存在的主要问题', '未完成目标及原因' …), for messages."""
    template = get_template(report.meta.template)
    slot = template.slot(template.place("problems") or "")
    return slot.title if slot else render("_.problems_title")


def exec_problem_re(ctx: CheckContext) -> re.Pattern[str]:
    pattern = ctx.profile.get("keywords.exec_problem")
    return _compile(pattern)


_RE_CACHE: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    rx = _RE_CACHE.get(pattern)
    if rx is None:
        rx = _RE_CACHE[pattern] = re.compile(pattern)
    return rx


NAME_SUFFIXES = ("项目", "经费", "专项", "资金")   # dropped when running text names a project


def name_variants(name: str) -> list[str]:
    """How a project name is written in running text: as is, and without 项目/经费/专项 suffixes."""
    name = name.strip()
    if not name:
        return []
    out = [name]
    for suffix in NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 4:
            out.append(name[: -len(suffix)])
    return out


def project_exec(report: Report, project: Project, p: int) -> tuple[Decimal | None, bool]:
    """(execution rate, inferred?) of a project. When the project states no budget but the unit
    spent all its funds (exec rate ≥ 100 %), the project is inferred fully executed (DOMAIN §10)."""
    rate = project_exec_rate(project)
    if rate is not None:
        return rate, False
    if project.actual is None or project_budget_final(project) is not None:
        return None, False
    unit_rate = exec_rate(report)
    if unit_rate is not None and unit_rate >= 1 - half_unit(p):
        return Decimal(1), True
    return None, False


def pct(rate: Decimal | None) -> str:
    return fmt_percent(rate)


def within(a: Decimal, b: Decimal, p: int) -> bool:
    return abs(a - b) <= h(a, p) + h(b, p)
