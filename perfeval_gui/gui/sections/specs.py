"""Declarative content of the tabs: figure groups and tables per model block.

A block (``meta``, ``income`` …) is placed on the tab of the section where the report prints
it (``core.template.Template.figure_sections``); ``anchor`` names a place (core/template.PLACES): the
outline's slot holding that key is where it appears; a place the outline lacks puts it at the top of the tab.
"""
from __future__ import annotations

from dataclasses import field
from typing import Any
from collections.abc import Callable

from ...core.records import record
from ...core import derived, fields
from ...core.money import fmt_amount, fmt_percent, fmt_plain
from ..table import Column


@record
class F:
    """A form field; its label comes from the field registry (core/fields.py)."""
    path: str
    kind: str = "text"        # amount | count | score | text | choice | choice_edit | narrative
    choices: list[tuple[Any, str]] | None = None
    sub: bool = False         # a part of the field above: shown as "其中：…"
    note: str = ""            # shown after the label in brackets: "报告中写的"
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            info = fields.info(self.path)
            notes = [self.note] if self.note else []
            if info and info.hint.startswith("调减"):
                notes.append(info.hint.split("；")[0])
            if info and info.kind == fields.COUNT and info.unit in ("辆", "间"):
                notes.append(info.unit)
            if info and info.kind == fields.DATE:
                notes.append("年-月-日")
            self.label = ("其中：" if self.sub else "") + fields.label(self.path) + \
                "".join(f"（{n}）" for n in notes)


def col(list_pattern: str, attr: str, kind: str = "text", choices: list[tuple[Any, str]] | None = None,
        width: int = 0) -> Column:
    """A table column labelled from the field registry."""
    return Column(attr, fields.label(f"{list_pattern}[].{attr}" if attr else f"{list_pattern}[]"), kind,
                  choices or [], width)


@record
class Derived:
    """A read-only computed value in a group: its label and compute(report) → display text (core/derived.py)."""
    label: str
    compute: Callable[[Any], str]    # report → display text (values from core/derived.py)


@record
class Group:
    """A titled box of form fields and computed values, laid out in ``columns`` columns at the place ``anchor``."""
    title: str
    fields: list[F | Derived]
    anchor: str = ""
    columns: int = 2


@record
class Grid:
    """Rows of (label, [paths]) under column headers, e.g. 三公经费 预算/实际."""
    title: str
    headers: list[str]
    rows: list[tuple[str, list[str]]]
    kind: str = "amount"
    derived: list[Derived] = field(default_factory=list)
    anchor: str = ""


@record
class Table:
    """An editable table over a model list (``list_path``): title, columns, optional read-only totals row, anchor."""
    list_path: str
    title: str
    columns: list[Column]
    totals: Callable[[Any], dict[str, Any]] | None = None
    anchor: str = ""


@record
class ProjectDetail:
    """Narrative of the project selected in the projects table."""
    anchor: str = ""


def _amt(report, value) -> str:
    return fmt_amount(value, max(2, report.meta.amount_decimals or 0), empty="—") + ("" if value is None else " 万元")


UNIT_TYPES = [(t, t) for t in ("行政单位", "参照公务员法管理事业单位", "公益一类事业单位",
                                "公益二类事业单位", "其他")]
RANKS = [(t, t) for t in ("正处级", "副处级", "正科级", "副科级", "股级")]
GRADES = [(g, g) for g in ("优", "良", "中", "差")]
PROJECT_KINDS = fields.PROJECT_KINDS.pairs()
ECON_SCOPES = fields.ECON_SCOPES.pairs()
RULES = fields.SCORE_RULES.pairs()
DIRECTION_CHOICES = fields.DIRECTIONS.pairs()
TIERS = [("", "")] + fields.QUAL_TIERS.pairs()


def _project_totals(report) -> dict[str, Any]:
    t = derived.project_totals(report)
    return {"budget_initial": t.budget_initial, "budget_adjustment": t.budget_adjustment,
            "budget_final": t.budget_final, "actual": t.actual, "carryover": t.carryover}


def _econ_totals(report) -> dict[str, Any]:
    places = max(2, report.meta.amount_decimals or 0)
    parts = []
    for scope, label in ECON_SCOPES:
        value = derived.econ_sum(report, scope)
        if value is not None:
            parts.append(f"{label} {fmt_amount(value, places)}")
    return {"amount": "；".join(parts)}


def _scoring_totals(report) -> dict[str, Any]:
    total = derived.scoring_total(report)
    grade = derived.grade_of(report, total)
    return {"score_stated": fmt_plain(total) if total is not None else "",
            "name": f"自评总分{('，等级“' + grade + '”') if grade else ''}"}


def _indicator_totals(report, list_path="") -> dict[str, Any]:
    return {}


INDICATOR_COLUMNS = [
    col("scoring.nodes", "id", width=60), col("scoring.nodes", "level", "count", width=50),
    col("scoring.nodes", "name", width=200), col("scoring.nodes", "parent_id", width=70),
    col("scoring.nodes", "weight", "score", width=60), col("scoring.nodes", "rule", "choice", RULES, width=90),
    col("scoring.nodes", "target_text", width=120), col("scoring.nodes", "target", "measure", width=70),
    col("scoring.nodes", "achieved_text", width=120), col("scoring.nodes", "achieved", "measure", width=70),
    col("scoring.nodes", "unit", width=50), col("scoring.nodes", "direction", "choice", DIRECTION_CHOICES, width=60),
    col("scoring.nodes", "tier", "choice", TIERS, width=80), col("scoring.nodes", "score_stated", "score", width=60),
    col("scoring.nodes", "deviation_reason", width=220), col("scoring.nodes", "evidence", width=160),
]

BLOCKS: dict[str, list] = {
    "meta": [
        Group("报告基本信息", [
            F("meta.unit_name"), F("meta.fiscal_year", "count"),
            F("meta.template", "outline"),
            F("meta.unit_code"),
            F("meta.unit_type", "choice_edit", UNIT_TYPES),
            F("meta.rank", "choice_edit", RANKS),
            F("meta.supervisor"), F("meta.report_date"),
            F("meta.contact"), F("meta.phone"),
            F("meta.amount_decimals", "count"),
            F("meta.rule_profile", "profile"),
        ]),
    ],
    "profile": [
        Table("profile.duties", "部门职能（每行一条）", [col("profile.duties", "", width=900)],
              anchor="duties"),
        Group("人员情况", [
            F("profile.staff_authorized", "count"), F("profile.staff_kind"),
            F("profile.staff_actual", "count"),
            F("profile.declared_org_unit_count", "count", note="报告中写的"),
            Derived("实有人数（按岗位合计）", lambda r: _count(derived.staff_actual(r))),
            Derived("在职人员控制率", lambda r: fmt_percent(derived.staff_control_rate(r))),
        ], anchor="staff"),
        Table("profile.org_units", "内设机构", [col("profile.org_units", "name", width=160),
                                              col("profile.org_units", "duties", width=700)],
              anchor="staff"),
        Table("profile.leader_posts", "领导职数", [col("profile.leader_posts", "title", width=200),
                                               col("profile.leader_posts", "quota", "count", width=80)],
              anchor="staff"),
        Table("profile.staff_by_role", "在职人员构成", [col("profile.staff_by_role", "role", width=200),
                                                  col("profile.staff_by_role", "count", "count", width=80)],
              anchor="staff"),
    ],
    "income": [
        Group("预算收入", [
            F("income.budget_initial", "amount"),
            F("income.budget_adjustment", "amount"),
            F("income.budget_total", "amount"),
            F("income.other_sources", "amount"),
            F("income.carryover_prior", "amount"),
            F("income.fiscal_funds", "amount", sub=True),
            Derived("全年预算数（计算）", lambda r: _amt(r, derived.budget_final(r))),
            Derived("可用资金合计（计算）", lambda r: _amt(r, derived.funds_available(r))),
        ], anchor="income"),
    ],
    "expenditure": [
        Group("支出情况", [
            F("expenditure.total", "amount"),
            F("expenditure.basic", "amount"),
            F("expenditure.personnel", "amount", sub=True),
            F("expenditure.public_ops", "amount", sub=True),
            F("expenditure.project_total", "amount"),
            F("expenditure.project_budget_total", "amount", note="报告中写的"),
            F("expenditure.carryover_end", "amount"),
            Derived("预算执行率（计算）", lambda r: fmt_percent(derived.exec_rate(r))),
        ], anchor="income"),
        Table("expenditure.by_function", "按功能分类支出", [
            col("expenditure.by_function", "code", width=100), col("expenditure.by_function", "name", width=300),
            col("expenditure.by_function", "amount", "amount", width=120)],
            totals=lambda r: {"amount": derived.function_sum(r)}, anchor="income"),
        Table("expenditure.by_econ", "按经济分类支出", [
            col("expenditure.by_econ", "scope", "choice", ECON_SCOPES, width=100), col("expenditure.by_econ", "code", width=100),
            col("expenditure.by_econ", "name", width=260), col("expenditure.by_econ", "amount", "amount", width=120)],
            totals=_econ_totals, anchor="econ"),
    ],
    "three_public": [
        Grid("“三公”经费", [fields.BUDGET_ACTUAL.label(c) for c in fields.BUDGET_ACTUAL.codes()], [
            (part.label + ("（选填）" if part.code in ("meeting_fee", "training_fee") else ""),
             [f"three_public.{part.code}.{ba}" for ba in fields.BUDGET_ACTUAL.codes()])
            for part in fields.THREE_PUBLIC_PARTS.choices
        ], derived=[
            Derived("三公经费合计（计算）", lambda r: _amt(r, derived.three_public_total(r))),
            Derived("三公经费变动率（计算）", lambda r: fmt_percent(derived.three_public_change_rate(r))),
        ], anchor="three_public"),
        Group("“三公”经费合计", [
            F("three_public.total_stated", "amount", note="报告中写的"),
            F("three_public.prior_year_total", "amount"),
        ], anchor="three_public"),
    ],
    "projects": [
        Table("projects", "项目支出（选中一行可在下方填写该项目的说明）", [
            col("projects", "name", width=200), col("projects", "kind", "choice", PROJECT_KINDS, width=80),
            col("projects", "budget_initial", "amount", width=95),
            col("projects", "budget_adjustment", "amount", width=95),
            col("projects", "budget_final", "amount", width=95),
            col("projects", "actual", "amount", width=95),
            col("projects", "carryover", "amount", width=95),
            col("projects", "carryover_prior", "amount", width=95),
            col("projects", "fund_source", width=100),
            col("projects", "self_score", "score", width=70),
            col("projects", "deviation_reason", width=200)],
            totals=_project_totals, anchor="projects"),
        ProjectDetail(anchor="projects"),
    ],
    "assets": [
        Group("资产情况", [
            F("assets.fixed_begin", "amount"),
            F("assets.fixed_increase", "amount"),
            F("assets.fixed_decrease", "amount"),
            F("assets.fixed_end", "amount"),
            F("assets.intangible_end", "amount"),
            F("assets.vehicles", "count"),
            F("assets.rooms", "count"),
        ], anchor="assets"),
    ],
    "procurement": [
        Group("政府采购", [
            F("procurement.budget", "amount"),
            F("procurement.actual", "amount"),
        ], anchor="procurement"),
    ],
    "self_eval": [
        Group("自评得分与等级", [
            F("self_eval.score_stated", "score", note="报告中写的"),
            F("self_eval.grade_stated", "choice_edit", GRADES, note="报告中写的"),
            Derived("评分表合计得分", lambda r: _table_score_text(derived.scoring_total(r))),
            Derived("按得分应评等级", lambda r: derived.grade_of(r, derived.self_score(r)) or "—"),
        ], anchor="self_eval"),
    ],
    "scoring": [
        Table("scoring.nodes", "部门整体支出绩效评价指标（附相关评分）", INDICATOR_COLUMNS,
              totals=_scoring_totals),
    ],
}


def _count(value) -> str:
    return "—" if value is None else f"{value} 人"


def _score_text(value) -> str:
    return "—" if value is None else f"{fmt_plain(value)} 分"


def _table_score_text(value) -> str:
    return "—（评分表未填写）" if value is None else _score_text(value)


# ---------------------------------------------------------------------- the submission forms (issue 17)
# One tab per form (gui/sections/tab.py FormTab), described here as data: the figures rows come from
# core/forms.py (the same layouts the workbook and the Word appendix print), so a cell is the same
# field wherever it appears. ``{i}`` in a path is the project chosen on the 项目自评表 tab.
from ...core import forms as _forms  # noqa: E402


@record
class FigureRows:
    """A block of figures rows of a form: rows(report, project index) → core.forms.FormRow list."""
    title: str
    columns: tuple[str, ...]
    rows: Callable[[Any, int], list]
    dynamic: bool = False       # rows depend on the projects (rebuilt when projects change)


@record
class FormSlots:
    """One row of cells (编制数 | 实际在职人数 | 控制率; 楼堂馆所 …): headers and core.forms Slots."""
    title: str
    headers: tuple[str, ...]
    slots: Callable[[], tuple]


@record
class ProjectDerived:
    """A computed value of the chosen project (core/derived.py): compute(report, project index) → text."""
    label: str
    compute: Callable[[Any, int], str]


@record
class FormTabSpec:
    """The tab of one submission form (``form_id``): its items in order; ``per_project``: one form per project."""
    form_id: str
    items: list
    per_project: bool = False


def _t(code: str) -> str:
    return fields.FORM_TEXT.label(code)


def _grade_text(r, score) -> str:
    return derived.grade_of(r, score) or "—"


PROJECT_CATEGORY_CHOICES = fields.PROJECT_CATEGORIES.pairs()

FORM_TABS: list[FormTabSpec] = [
    FormTabSpec("dept_form", [
        FigureRows(_t("funds"), _forms.DEPT_FUND_COLUMNS, lambda r, i: _forms.dept_fund_rows()),
        Group(_t("goals"), [F("dept_form.goal_expected", "narrative"), F("dept_form.goal_actual", "narrative")],
              columns=1),
        Table("scoring.nodes", f"{_t('indicators')}（即“附相关评分”评分表）", INDICATOR_COLUMNS,
              totals=_scoring_totals),
        Group(f"{_t('total_score')}与{_t('grade')}", [
            Derived(_t("total_score"), lambda r: _score_text(derived.self_score(r))),
            Derived("按得分应评等级", lambda r: _grade_text(r, derived.self_score(r))),
            F("self_eval.grade_stated", "choice_edit", GRADES, note="表中填写的"),
        ]),
    ]),
    FormTabSpec("basic_data", [
        FormSlots(_t("staff"), (_t("staff_authorized"), _t("staff_actual"), _t("control_rate")),
                  _forms.staff_slots),
        FigureRows(_t("funds_control"), _forms.BASIC_COLUMNS, lambda r, i: _forms.basic_fund_rows(r), dynamic=True),
        Table("projects", "项目支出在基础数据表中的类别（业务工作经费、运行维护经费或专项）", [
            col("projects", "name", width=260),
            col("projects", "category", "choice", PROJECT_CATEGORY_CHOICES, width=140)]),
        FormSlots(_t("buildings"), tuple(_t(k) for k in ("approved_scale", "actual_scale", "scale_control",
                                                          "budget_investment", "actual_investment",
                                                          "investment_control")), _forms.building_slots),
        Group(_t("frugality"), [F("basic_data.frugality", "narrative")], columns=1),
    ]),
    FormTabSpec("project_form", [
        Group("项目", [F("projects[].name"), F("projects[].form.supervisor"),
                      F("projects[].form.implementer")]),
        FigureRows(_t("project_funds"), _forms.PROJECT_FUND_COLUMNS, _forms.project_fund_rows, dynamic=True),
        Group(_t("goals"), [F("projects[].form.goal_expected", "narrative"),
                            F("projects[].form.goal_actual", "narrative")], columns=1),
        Table("projects[].indicators", f"{_t('indicators')}（第一行“预算执行率”即上方资金的分值与得分）",
              INDICATOR_COLUMNS),
        Group(f"{_t('total_score')}与{_t('grade')}", [
            F("projects[].self_score", "score", note="表中填写的"),
            ProjectDerived("各项得分合计", lambda r, i: _score_text(derived.project_form_total(r.projects[i]))),
            ProjectDerived("按得分应评等级", lambda r, i: _grade_text(r, r.projects[i].self_score
                                                                 if r.projects[i].self_score is not None
                                                                 else derived.project_form_total(r.projects[i]))),
            F("projects[].form.grade_stated", "choice_edit", GRADES),
        ]),
        Group("填报信息", [F(f"projects[].form.{k}", "text") for k in _forms.PROJECT_FOOTER]),
    ], per_project=True),
]
