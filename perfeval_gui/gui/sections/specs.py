"""Declarative content of the tabs: figure groups and tables per model block.

A block (``meta``, ``income`` …) is placed on the tab of the section where the report prints
it (``core.template.Template.figure_sections``); ``anchor`` names the slot (per template) under
whose heading it appears; an anchor missing from the template puts it at the top of the tab.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ...core import derived
from ...core.model import DIRECTIONS, QUAL_TIERS, SCORE_RULES
from ...core.money import fmt_amount, fmt_percent, fmt_plain
from ..table import Column


@dataclass
class F:
    path: str
    label: str
    kind: str = "text"        # amount | count | score | text | choice | choice_edit | narrative
    choices: list[tuple[Any, str]] | None = None


@dataclass
class Derived:
    label: str
    compute: Callable[[Any], str]    # report → display text (values from core/derived.py)


@dataclass
class Group:
    title: str
    fields: list[F | Derived]
    anchor: dict[str, str] = field(default_factory=dict)
    columns: int = 2


@dataclass
class Grid:
    """Rows of (label, [paths]) under column headers, e.g. 三公经费 预算/实际."""
    title: str
    headers: list[str]
    rows: list[tuple[str, list[str]]]
    kind: str = "amount"
    derived: list[Derived] = field(default_factory=list)
    anchor: dict[str, str] = field(default_factory=dict)


@dataclass
class Table:
    list_path: str
    title: str
    columns: list[Column]
    totals: Callable[[Any], dict[str, Any]] | None = None
    anchor: dict[str, str] = field(default_factory=dict)


@dataclass
class ProjectDetail:
    """Narrative of the project selected in the projects table."""
    anchor: dict[str, str] = field(default_factory=dict)


def _rule_profiles() -> list[tuple[str, str]]:
    """(file stem, the profile's Chinese ``name`` from inside the .toml) of every rule profile."""
    from ...core.rule_profile import ProfileError, load_profile
    from ...resources import resource_path
    try:
        names = sorted(p.stem for p in resource_path("rules").glob("*.toml"))
    except OSError:
        names = []
    out = []
    for stem in names or ["hunan-default"]:
        try:
            label = str(load_profile(stem).data.get("name") or stem)
        except ProfileError:
            label = stem
        out.append((stem, label))
    return out


def _a(hunan9: str, short5: str) -> dict[str, str]:
    return {"hunan9": hunan9, "short5": short5}


def _amt(report, value) -> str:
    return fmt_amount(value, max(2, report.meta.amount_decimals or 0), empty="—") + ("" if value is None else " 万元")


TEMPLATE_CHOICES = [("hunan9", "湖南九部分格式"), ("short5", "区县五部分简表")]
UNIT_TYPES = [(t, t) for t in ("行政单位", "参照公务员法管理事业单位", "公益一类事业单位",
                                "公益二类事业单位", "其他")]
RANKS = [(t, t) for t in ("正处级", "副处级", "正科级", "副科级", "股级")]
GRADES = [(g, g) for g in ("优", "良", "中", "差")]
PROJECT_KINDS = [("initial", "年初预算"), ("added", "年中追加"), ("carried", "上年结转")]
ECON_SCOPES = [("basic", "基本支出"), ("project", "项目支出"), ("total", "合计")]
RULE_LABELS = {"exec_rate": "执行率", "ratio_up": "越高越好", "ratio_down": "越低越好",
               "deduct_per_point": "按点扣分", "bands": "分档", "qualitative": "定性", "manual": "手工"}
RULES = [(r, RULE_LABELS.get(r, r)) for r in SCORE_RULES]
DIRECTION_CHOICES = [(d, "定性" if d == "qual" else d) for d in DIRECTIONS]
TIERS = [("", "")] + [(t, t) for t in QUAL_TIERS]


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
    grade = derived.grade_for(total)
    return {"score_stated": fmt_plain(total) if total is not None else "",
            "name": f"自评总分{('，等级“' + grade + '”') if grade else ''}"}


def _indicator_totals(report, list_path="") -> dict[str, Any]:
    return {}


INDICATOR_COLUMNS = [
    Column("id", "编号", width=60), Column("level", "级次", "count", width=50),
    Column("name", "指标名称", width=200), Column("parent_id", "上级编号", width=70),
    Column("weight", "分值", "score", width=60), Column("rule", "计分方法", "choice", RULES, width=90),
    Column("target_text", "年度指标值（原文）", width=120), Column("target", "指标值", "measure", width=70),
    Column("achieved_text", "实际完成值（原文）", width=120), Column("achieved", "完成值", "measure", width=70),
    Column("unit", "单位", width=50), Column("direction", "方向", "choice", DIRECTION_CHOICES, width=60),
    Column("tier", "定性档次", "choice", TIERS, width=80), Column("score_stated", "得分", "score", width=60),
    Column("deviation_reason", "偏差原因分析及改进措施", width=220), Column("evidence", "佐证材料", width=160),
]

BLOCKS: dict[str, list] = {
    "meta": [
        Group("报告基本信息", [
            F("meta.unit_name", "单位名称"), F("meta.fiscal_year", "报告年度", "count"),
            F("meta.template", "报告格式", "choice", TEMPLATE_CHOICES),
            F("meta.unit_code", "预算编码"),
            F("meta.unit_type", "单位性质", "choice_edit", UNIT_TYPES),
            F("meta.rank", "机构级别", "choice_edit", RANKS),
            F("meta.supervisor", "主管部门"), F("meta.report_date", "报告日期（年-月-日）"),
            F("meta.contact", "联系人"), F("meta.phone", "联系电话"),
            F("meta.amount_decimals", "金额小数位数", "count"),
            F("meta.rule_profile", "检查规则配置", "choice", _rule_profiles()),
        ]),
    ],
    "profile": [
        Table("profile.duties", "部门职能（每行一条）", [Column("", "职能", width=900)],
              anchor=_a("一.一", "一")),
        Group("人员情况", [
            F("profile.staff_authorized", "编制人数", "count"), F("profile.staff_kind", "编制性质"),
            F("profile.staff_actual", "实有人数", "count"),
            F("profile.declared_org_unit_count", "内设科室个数（报告中写的）", "count"),
            Derived("实有人数（按岗位合计）", lambda r: _count(derived.staff_actual(r))),
            Derived("在职人员控制率", lambda r: fmt_percent(derived.staff_control_rate(r))),
        ], anchor=_a("一.二", "一")),
        Table("profile.org_units", "内设机构", [Column("name", "科室名称", width=160),
                                              Column("duties", "主要职责", width=700)],
              anchor=_a("一.二", "一")),
        Table("profile.leader_posts", "领导职数", [Column("title", "职务", width=200),
                                               Column("quota", "职数", "count", width=80)],
              anchor=_a("一.二", "一")),
        Table("profile.staff_by_role", "在职人员构成", [Column("role", "岗位/类别", width=200),
                                                  Column("count", "人数", "count", width=80)],
              anchor=_a("一.二", "一")),
    ],
    "income": [
        Group("预算收入", [
            F("income.budget_initial", "年初预算", "amount"),
            F("income.budget_adjustment", "调整追加（调减填负数）", "amount"),
            F("income.budget_total", "全年预算数", "amount"),
            F("income.other_sources", "其他资金来源", "amount"),
            F("income.carryover_prior", "上年结转", "amount"),
            F("income.fiscal_funds", "其中：财政资金", "amount"),
            Derived("全年预算数（计算）", lambda r: _amt(r, derived.budget_final(r))),
            Derived("可用资金合计（计算）", lambda r: _amt(r, derived.funds_available(r))),
        ], anchor=_a("二.一.1", "二")),
    ],
    "expenditure": [
        Group("支出情况", [
            F("expenditure.total", "支出合计", "amount"),
            F("expenditure.basic", "基本支出", "amount"),
            F("expenditure.personnel", "其中：人员经费", "amount"),
            F("expenditure.public_ops", "其中：日常公用经费", "amount"),
            F("expenditure.project_total", "项目支出", "amount"),
            F("expenditure.project_budget_total", "项目预算合计（报告中写的）", "amount"),
            F("expenditure.carryover_end", "年末结余结转", "amount"),
            Derived("预算执行率（计算）", lambda r: fmt_percent(derived.exec_rate(r))),
        ], anchor=_a("二.一.1", "二")),
        Table("expenditure.by_function", "按功能分类支出", [
            Column("code", "科目编码", width=100), Column("name", "科目名称", width=300),
            Column("amount", "金额", "amount", width=120)],
            totals=lambda r: {"amount": derived.function_sum(r)}, anchor=_a("二.一.1", "二")),
        Table("expenditure.by_econ", "按经济分类支出", [
            Column("scope", "口径", "choice", ECON_SCOPES, width=100), Column("code", "科目编码", width=100),
            Column("name", "科目名称", width=260), Column("amount", "金额", "amount", width=120)],
            totals=_econ_totals, anchor=_a("二.二.2", "二")),
    ],
    "three_public": [
        Grid("“三公”经费", ["预算数", "实际支出"], [
            ("因公出国（境）费", ["three_public.abroad.budget", "three_public.abroad.actual"]),
            ("公务用车购置费", ["three_public.vehicle_purchase.budget", "three_public.vehicle_purchase.actual"]),
            ("公务用车运行维护费", ["three_public.vehicle_operation.budget", "three_public.vehicle_operation.actual"]),
            ("公务接待费", ["three_public.reception.budget", "three_public.reception.actual"]),
            ("会议费（选填）", ["three_public.meeting_fee.budget", "three_public.meeting_fee.actual"]),
            ("培训费（选填）", ["three_public.training_fee.budget", "three_public.training_fee.actual"]),
        ], derived=[
            Derived("三公经费合计（计算）", lambda r: _amt(r, derived.three_public_total(r))),
            Derived("三公经费变动率（计算）", lambda r: fmt_percent(derived.three_public_change_rate(r))),
        ], anchor=_a("二.一.2", "二")),
        Group("“三公”经费合计", [
            F("three_public.total_stated", "三公经费合计（报告中写的）", "amount"),
            F("three_public.prior_year_total", "上年三公经费合计", "amount"),
        ], anchor=_a("二.一.2", "二")),
    ],
    "projects": [
        Table("projects", "项目支出（选中一行可在下方填写该项目的说明）", [
            Column("name", "项目名称", width=200), Column("kind", "类别", "choice", PROJECT_KINDS, width=80),
            Column("budget_initial", "年初预算", "amount", width=95),
            Column("budget_adjustment", "调整追加", "amount", width=95),
            Column("budget_final", "全年预算", "amount", width=95),
            Column("actual", "实际支出", "amount", width=95),
            Column("carryover", "结余结转", "amount", width=95),
            Column("carryover_prior", "上年结转", "amount", width=95),
            Column("fund_source", "资金来源", width=100),
            Column("self_score", "自评得分", "score", width=70),
            Column("deviation_reason", "偏差原因", width=200)],
            totals=_project_totals, anchor=_a("五.二", "三.二")),
        ProjectDetail(anchor=_a("五.二", "三.二")),
    ],
    "assets": [
        Group("资产情况", [
            F("assets.fixed_begin", "固定资产年初数", "amount"),
            F("assets.fixed_increase", "本年增加", "amount"),
            F("assets.fixed_decrease", "本年减少", "amount"),
            F("assets.fixed_end", "固定资产年末数", "amount"),
            F("assets.intangible_end", "无形资产年末数", "amount"),
            F("assets.vehicles", "公务车辆（辆）", "count"),
            F("assets.rooms", "办公用房（间）", "count"),
        ], anchor=_a("四.一", "二")),
    ],
    "procurement": [
        Group("政府采购", [
            F("procurement.budget", "政府采购预算", "amount"),
            F("procurement.actual", "政府采购实际", "amount"),
        ], anchor=_a("三.一", "二")),
    ],
    "self_eval": [
        Group("自评得分与等级", [
            F("self_eval.score_stated", "自评得分（报告中写的）", "score"),
            F("self_eval.grade_stated", "自评等级（报告中写的）", "choice_edit", GRADES),
            Derived("评分表合计得分", lambda r: _table_score_text(derived.scoring_total(r))),
            Derived("按得分应评等级", lambda r: derived.grade_for(derived.self_score(r)) or "—"),
        ], anchor=_a("九", "四")),
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
