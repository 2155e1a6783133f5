"""Start next year's report from this one (文件 → 新建下一年度报告, ``perfeval next-year``).

Pure Python. :func:`start_next_year` returns a new :class:`Report`; the old one is not touched.

* ``meta.fiscal_year`` + 1; ``meta.report_date`` one year later (the signature prints it);
* every figure of this year becomes next year's 上年数: ``prior_year[<path>]`` under the same field
  path (lists keep their order, so ``projects[2].actual`` stays the path of the same project);
  ``three_public.prior_year_total`` = this year's 三公 total (derived.three_public_reported);
* this year's figures are emptied (``None``); structure stays: econ/function lines keep code and
  name, staffing keeps titles/roles/kind, the scoring table and each project's indicators keep
  names, weights, rules and targets (achieved values, tiers and scores cleared);
* projects carry over as planned: amounts cleared, ``carryover_prior`` = this year's 结余结转
  (derived.project_carryover_end); the unit's ``income.carryover_prior`` = this year's
  ``expenditure.carryover_end``; ``assets.fixed_begin`` = this year's ``fixed_end``;
* narrative: per part the officer chooses :data:`KEEP` (kept as a draft, listed in
  ``report.drafts`` and highlighted as 待更新 until edited) or :data:`CLEAR`.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import fields, is_dataclass
from decimal import Decimal
from typing import Any
from collections.abc import Iterator, Mapping, Set as AbstractSet

from . import derived
from .model import Report, ScoreNode, get_value, PathError

KEEP, CLEAR = "keep", "clear"
DRAFT_LABEL = "待更新"

# fields of a scoring/indicator node that describe the plan (kept) — everything else is a result
_PLAN_FIELDS = {"id", "level", "name", "parent_id", "weight", "rule", "rule_params", "target",
                "target_text", "unit", "direction"}
# project text fields that are narrative (follow the choice of the part that prints them)
PROJECT_TEXTS = ("purpose", "analysis_economy", "analysis_effectiveness", "analysis_sustainability")
# blocks not carried into prior_year (not figures of this year's report)
_NOT_FIGURES = ("prior_year", "final_accounts", "acknowledged", "drafts", "meta")
_STRUCTURE = (".weight", ".target", ".quota", ".declared_org_unit_count")   # plan, not this year's results


def project_part(template_id: str) -> str:
    """The narrative part whose choice also decides the projects' texts."""
    from .template import get_template
    template = get_template(template_id)
    for slot in template.slots():
        if "project_analyses" in slot.parts or "project_lists" in slot.parts:
            return slot.id
    return ""


def narrative_parts(report: Report) -> list[tuple[str, str, str]]:
    """(slot id, heading, text) of every part with text — the dialog's rows, in template order."""
    from .template import get_template, numbered_heading
    template = get_template(report.meta.template)
    rows = []
    headings = report.headings
    proj = project_part(template.id)
    for slot in template.slots():
        text = report.narrative.get(slot.id, "")
        if slot.id == proj:
            extra = "\n".join(getattr(p, f) for p in report.projects for f in PROJECT_TEXTS if getattr(p, f))
            text = "\n".join(t for t in (text, extra) if t)
        if text.strip():
            rows.append((slot.id, headings.get(slot.id) or numbered_heading(slot), text))
    return rows


def _figures(report: Report) -> Iterator[tuple[str, Decimal | int]]:
    """(path, value) of every figure this year: Decimal amounts and int counts."""
    for f in fields(report):
        if f.name in _NOT_FIGURES:
            continue
        yield from _walk_figures(getattr(report, f.name), f.name)


def _walk_figures(obj: Any, prefix: str) -> Iterator[tuple[str, Decimal | int]]:
    if isinstance(obj, bool):
        return
    if isinstance(obj, (Decimal, int)):
        yield prefix, obj
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            if not isinstance(item, str):
                yield from _walk_figures(item, f"{prefix}[{i}]")
    elif is_dataclass(obj):
        for f in fields(obj):
            if f.name in ("level", "prior_year_total") or f.name == "rule_params":
                continue
            yield from _walk_figures(getattr(obj, f.name), f"{prefix}.{f.name}")


def _clear_figures(obj: Any, keep: AbstractSet[str] = frozenset()) -> None:
    """Set every Decimal/int field of ``obj`` (recursively) to None, except names in ``keep``."""
    if isinstance(obj, list):
        for item in obj:
            if not isinstance(item, str):
                _clear_figures(item, keep)
        return
    if not is_dataclass(obj):
        return
    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.name in keep:
            continue
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            setattr(obj, f.name, None)
        elif isinstance(value, list) or is_dataclass(value):
            _clear_figures(value, keep)


def _clear_results(node: ScoreNode) -> None:
    blank = ScoreNode()
    for f in fields(node):
        if f.name not in _PLAN_FIELDS:
            setattr(node, f.name, getattr(blank, f.name))


def next_report_date(date: str) -> str:
    """'2022-04-15' → '2023-04-15' (29 Feb → 28 Feb); '' stays ''."""
    if not date:
        return ""
    try:
        d = _dt.date.fromisoformat(date)
    except ValueError:
        return ""
    try:
        return d.replace(year=d.year + 1).isoformat()
    except ValueError:
        return d.replace(year=d.year + 1, day=28).isoformat()


def start_next_year(report: Report, choices: Mapping[str, str] | None = None) -> Report:
    """Next year's report from ``report``; ``choices``: slot id → KEEP | CLEAR (missing: KEEP)."""
    choices = dict(choices or {})
    old = report
    new = report.clone()

    # ---- this year's figures → 上年数 (same paths)
    prior: dict[str, Decimal] = {}
    for path, value in _figures(old):
        if path.endswith(_STRUCTURE):
            continue
        prior[path] = value if isinstance(value, Decimal) else Decimal(value)
    for idx, project in enumerate(old.projects):
        carry = derived.project_carryover_end(project)
        if carry is not None:
            prior.setdefault(f"projects[{idx}].carryover", carry)
    tp_total = derived.three_public_reported(old)
    if tp_total is not None:
        prior.setdefault("three_public.total_stated", tp_total)
    new.prior_year = prior
    new.final_accounts = {}
    new.acknowledged = {}

    # ---- meta
    if old.meta.fiscal_year:
        new.meta.fiscal_year = old.meta.fiscal_year + 1
    new.meta.report_date = next_report_date(old.meta.report_date)

    # ---- figures emptied, structure kept
    for block in ("income", "expenditure", "three_public", "assets", "procurement", "self_eval"):
        _clear_figures(getattr(new, block))
    # 编制, 实有, role counts are this year's; 领导职数 and the number of 内设科室 describe the structure
    _clear_figures(new.profile, keep={"quota", "declared_org_unit_count"})
    new.three_public.prior_year_total = tp_total
    new.income.carryover_prior = derived.unit_carryover_end(old)
    new.assets.fixed_begin = old.assets.fixed_end
    new.self_eval.grade_stated = ""
    for node in new.scoring.nodes:
        _clear_results(node)
    for idx, project in enumerate(new.projects):
        was = old.projects[idx]
        for name in ("budget_initial", "budget_adjustment", "budget_final", "actual", "carryover",
                     "self_score"):
            setattr(project, name, None)
        project.deviation_reason = ""
        project.carryover_prior = derived.project_carryover_end(was)
        for node in project.indicators:
            _clear_results(node)

    # ---- narrative: keep as draft or clear, per part
    drafts: dict[str, str] = {}
    proj_slot = project_part(new.meta.template)
    for slot_id, text in list(new.narrative.items()):
        if choices.get(slot_id, KEEP) == CLEAR:
            del new.narrative[slot_id]
        elif text.strip():
            drafts[f"narrative[{slot_id}]"] = text
    for idx, project in enumerate(new.projects):
        for name in PROJECT_TEXTS:
            text = getattr(project, name)
            if not text:
                continue
            if choices.get(proj_slot, KEEP) == CLEAR:
                setattr(project, name, "")
            else:
                drafts[f"projects[{idx}].{name}"] = text
    new.drafts = drafts
    return new


def pending_drafts(report: Report) -> list[str]:
    """Paths of texts still exactly as carried over from last year (待更新)."""
    out = []
    for path, text in report.drafts.items():
        try:
            if get_value(report, path) == text:
                out.append(path)
        except (PathError, KeyError, IndexError):
            continue
    return out
