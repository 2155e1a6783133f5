"""Derived values (DOMAIN.md §3, §5): recomputed from the model, never stored.

The GUI's read-only total rows, the overview tab, the exporter and the rules all call these;
nothing else computes a total.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from decimal import Decimal

from .records import record
from . import fields
from .model import Project, Report, ScoreNode
from .money import ZERO, safe_div

if TYPE_CHECKING:
    from .rule_profile import RuleProfile

# the four parts of the 三公 total (会议费/培训费 are reported beside it, not in it); labels from the registry
THREE_PUBLIC_ITEMS = tuple((c.code, c.label) for c in fields.THREE_PUBLIC_PARTS.choices
                           if c.code in ("abroad", "vehicle_purchase", "vehicle_operation", "reception"))


def zero_if_none(value: Decimal | None) -> Decimal:
    return value if value is not None else ZERO


def sum_present(values: Iterable[Decimal | None]) -> Decimal | None:
    """Σ of the stated values; None when none is stated."""
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


# ------------------------------------------------------------------ unit level
def budget_terms(report: Report) -> list[tuple[str, Decimal]]:
    """The figures the 全年预算数 is made of — the ONE place that says which: the stated total, else
    年初预算 + 调整追加 (an adjustment not stated counts as none). [(field path, value)]; [] = unknown."""
    inc = report.income
    if inc.budget_total is not None:
        return [("income.budget_total", inc.budget_total)]
    if inc.budget_initial is None:
        return []
    terms = [("income.budget_initial", inc.budget_initial)]
    if inc.budget_adjustment is not None:
        terms.append(("income.budget_adjustment", inc.budget_adjustment))
    return terms


def budget_final(report: Report) -> Decimal | None:
    """全年预算数: stated total, else initial + adjustment."""
    terms = budget_terms(report)
    return sum((v for _, v in terms), Decimal(0)) if terms else None


def funds_available(report: Report) -> Decimal | None:
    """上年结转 + 全年预算 + 其他资金."""
    final = budget_final(report)
    if final is None:
        return None
    inc = report.income
    return zero_if_none(inc.carryover_prior) + final + zero_if_none(inc.other_sources)


def total_actual(report: Report) -> Decimal | None:
    """全年执行数: stated total, else basic + projects."""
    ex = report.expenditure
    if ex.total is not None:
        return ex.total
    if ex.basic is None and ex.project_total is None:
        return None
    return zero_if_none(ex.basic) + zero_if_none(ex.project_total)


def exec_denominator(report: Report) -> Decimal | None:
    """The 预算数 the execution rate divides by, as the report's profile says (``execution.denominator``):
    budget_final (全年预算数), initial_plus_adjustment (年初 + 调整) or with_carryover (全年预算数 + 上年结转).
    With no budget stated, 财政资金."""
    rule = report_profile(report).get("execution.denominator")
    inc = report.income
    if rule == "initial_plus_adjustment" and inc.budget_initial is not None:
        final: Decimal | None = inc.budget_initial + zero_if_none(inc.budget_adjustment)
    else:
        final = budget_final(report)
        if rule == "with_carryover" and final is not None:
            final += zero_if_none(inc.carryover_prior)
    if final is None:
        final = inc.fiscal_funds
    return final


def exec_rate(report: Report) -> Decimal | None:
    """预算执行率 = actual ÷ the profile's denominator (DOMAIN §5; 全年预算数 by default). With no
    budget stated, falls back to 财政资金."""
    return safe_div(total_actual(report), exec_denominator(report))


def staff_actual(report: Report) -> int | None:
    prof = report.profile
    if prof.staff_actual is not None:
        return prof.staff_actual
    counts = [r.count for r in prof.staff_by_role if r.count is not None]
    return sum(counts) if counts else None


def staff_control_rate(report: Report) -> Decimal | None:
    actual = staff_actual(report)
    authorized = report.profile.staff_authorized
    if actual is None or not authorized:
        return None
    return Decimal(actual) / Decimal(authorized)


# ------------------------------------------------------------------ projects
def project_budget_final(project: Project) -> Decimal | None:
    if project.budget_final is not None:
        return project.budget_final
    if project.budget_initial is None and project.budget_adjustment is None:
        return None
    return zero_if_none(project.budget_initial) + zero_if_none(project.budget_adjustment)


def project_exec_rate(project: Project) -> Decimal | None:
    final = project_budget_final(project)
    if final is None:
        return None
    return safe_div(project.actual, final + zero_if_none(project.carryover_prior))


def project_carryover_end(project: Project) -> Decimal | None:
    """结余结转 of a project: stated, else 全年预算 + 上年结转 − 实际支出 (DOMAIN PRJ-03)."""
    if project.carryover is not None:
        return project.carryover
    final = project_budget_final(project)
    if final is None or project.actual is None:
        return None
    return final + zero_if_none(project.carryover_prior) - project.actual


def unit_carryover_end(report: Report) -> Decimal | None:
    """年末结余结转 of the unit: stated, else 可用资金 − 支出 (DOMAIN EXP-07)."""
    stated = report.expenditure.carryover_end
    if stated is not None:
        return stated
    funds = funds_available(report)
    actual = total_actual(report)
    if funds is None or actual is None:
        return None
    return funds - actual


@record(frozen=True)
class ProjectTotals:
    """Σ over the projects of 年初预算, 调整追加, 全年预算, 实际支出 and 结余结转 (None where no project states one)."""
    budget_initial: Decimal | None
    budget_adjustment: Decimal | None
    budget_final: Decimal | None
    actual: Decimal | None
    carryover: Decimal | None


def project_totals(report: Report) -> ProjectTotals:
    ps = report.projects
    return ProjectTotals(
        sum_present(p.budget_initial for p in ps),
        sum_present(p.budget_adjustment for p in ps),
        sum_present(project_budget_final(p) for p in ps),
        sum_present(p.actual for p in ps),
        sum_present(p.carryover for p in ps),
    )


# ------------------------------------------------------------------ lines
def project_budget_reported(report: Report) -> Decimal | None:
    """项目支出 全年预算数: the stated Σ of project budgets, else Σ of the projects' 全年预算."""
    stated = report.expenditure.project_budget_total
    return stated if stated is not None else project_totals(report).budget_final


def project_part_exec_rate(report: Report) -> Decimal | None:
    """执行率 of the 项目支出 part: 项目支出 ÷ its 全年预算数."""
    return safe_div(report.expenditure.project_total, project_budget_reported(report))


def projects_exec_rate(report: Report) -> Decimal | None:
    """执行率 of the project table's 合计 row: Σ 实际支出 ÷ Σ 全年预算."""
    t = project_totals(report)
    return safe_div(t.actual, t.budget_final)


def econ_sum(report: Report, scope: str) -> Decimal | None:
    return sum_present(line.amount for line in report.expenditure.by_econ if line.scope == scope)


def function_sum(report: Report) -> Decimal | None:
    return sum_present(line.amount for line in report.expenditure.by_function)


def three_public_total(report: Report, which: str = "actual") -> Decimal | None:
    tp = report.three_public
    return sum_present(getattr(getattr(tp, key), which) for key, _ in THREE_PUBLIC_ITEMS)


def three_public_change_rate(report: Report) -> Decimal | None:
    current = report.three_public.total_stated
    if current is None:
        current = three_public_total(report)
    prior = report.three_public.prior_year_total
    if prior is None:
        prior = report.prior_year.get("three_public.total_stated")
    if current is None or not prior:
        return None
    return (current - prior) / prior


def yoy_rate(current: Decimal | None, prior: Decimal | None) -> Decimal | None:
    """增减率 (本年 − 上年) ÷ 上年; None ("—") when prior is 0 or missing."""
    if current is None or not prior:
        return None
    return (current - prior) / prior


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    return safe_div(part, whole)


# ------------------------------------------------------------------ scoring
def children_of(nodes: list[ScoreNode], parent_id: str) -> list[ScoreNode]:
    if not parent_id:        # "" is "no parent", never an id a node can be the child of
        return []
    return [n for n in nodes if n.parent_id == parent_id]


def leaves(nodes: list[ScoreNode]) -> list[ScoreNode]:
    parents = {n.parent_id for n in nodes if n.parent_id}
    return [n for n in nodes if n.id not in parents]


def _children_map(nodes: list[ScoreNode]) -> dict[str, list[ScoreNode]]:
    kids: dict[str, list[ScoreNode]] = {}
    for n in nodes:
        if n.parent_id and n.parent_id != n.id:
            kids.setdefault(n.parent_id, []).append(n)
    return kids


def _scores(nodes: list[ScoreNode], starts: list[ScoreNode]) -> dict[int, Decimal | None]:
    """Scores of ``starts`` and their subtrees, by id(node): iterative, and a node met again on its
    own chain (a cycle the loader would refuse, built in memory) counts as not stated."""
    kids = _children_map(nodes)
    result: dict[int, Decimal | None] = {}
    on_path: set[int] = set()
    stack: list[tuple[ScoreNode, bool]] = [(n, False) for n in reversed(starts)]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if expanded:
            on_path.discard(key)
            result[key] = sum_present(result.get(id(k)) for k in kids.get(node.id, ()))
            continue
        if key in result or key in on_path:
            continue
        if node.score_stated is not None or not node.id or node.id not in kids:
            result[key] = node.score_stated
            continue
        on_path.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in kids[node.id] if id(k) not in result and id(k) not in on_path)
    return result


def node_score(nodes: list[ScoreNode], node: ScoreNode) -> Decimal | None:
    """A node's score: stated, else Σ of its children's scores."""
    if node.score_stated is not None:
        return node.score_stated
    return _scores(nodes, [node]).get(id(node))


def scoring_total(report: Report) -> Decimal | None:
    """Σ of the level-1 scores of the scoring table (附相关评分)."""
    nodes = report.scoring.nodes
    tops = [n for n in nodes if not n.parent_id]
    scores = _scores(nodes, tops)
    return sum_present(scores.get(id(n)) for n in tops)


def grade_for(score: Decimal | None, bands: Sequence[Mapping[str, Any]]) -> str:
    """The grade of ``score`` by the rule profile's bands (lower bounds, checked from the top)."""
    if score is None or not bands:
        return ""
    for band in bands:
        low = Decimal(str(band["min"]))
        if score > low or (score == low and not band.get("strict")):   # strict: "> 90"
            grade: str = band["grade"]
            return grade
    last: str = bands[-1]["grade"]
    return last


def report_profile(report: Report) -> RuleProfile:
    """The rule profile the report names (the base profile when it cannot be loaded)."""
    from .profiles import resolve
    from .rule_profile import BASE_PROFILE, ProfileError, load_profile
    try:
        return resolve(report.meta.rule_profile or BASE_PROFILE)
    except (ProfileError, ValueError, OSError):
        return load_profile(BASE_PROFILE)


def grade_of(report: Report, score: Decimal | None) -> str:
    """The grade of a score by the bands of the report's rule profile — what every display prints."""
    return report_profile(report).grade_for(score)


def self_score(report: Report) -> Decimal | None:
    """The report's self-evaluation score: the scoring table total, else the score stated in 九."""
    total = scoring_total(report)
    return total if total is not None else report.self_eval.score_stated


# ------------------------------------------------------------------ overview
def three_public_reported(report: Report) -> Decimal | None:
    """三公经费 本年: the stated total, else Σ of the four items' actual amounts."""
    stated = report.three_public.total_stated
    return stated if stated is not None else three_public_total(report)


@record(frozen=True)
class ProjectBar:
    """One project in the overview chart: its index in report.projects, name, budget, actual and execution rate."""
    index: int                      # position in report.projects
    name: str
    budget: Decimal | None          # project_budget_final
    actual: Decimal | None
    rate: Decimal | None            # project_exec_rate


@record(frozen=True)
class ProjectChart:
    """The overview chart's data: the bars of the largest projects, plus count and Σ budget/actual of the rest."""
    bars: tuple[ProjectBar, ...]    # the largest projects, in report order
    rest_count: int = 0             # projects not shown
    rest_budget: Decimal | None = None
    rest_actual: Decimal | None = None


def project_chart(report: Report, limit: int = 12) -> ProjectChart:
    """Budget vs actual per project for the overview chart: the ``limit`` largest (by budget,
    else actual) in report order, plus count and Σ of the rest."""
    bars = [ProjectBar(i, p.name, project_budget_final(p), p.actual, project_exec_rate(p))
            for i, p in enumerate(report.projects)]
    if len(bars) <= limit:
        return ProjectChart(tuple(bars))
    size = sorted(bars, key=lambda b: -max(zero_if_none(b.budget), zero_if_none(b.actual)))
    keep = {b.index for b in size[:limit]}
    rest = [b for b in bars if b.index not in keep]
    return ProjectChart(tuple(b for b in bars if b.index in keep), len(rest),
                        sum_present(b.budget for b in rest), sum_present(b.actual for b in rest))


# ------------------------------------------------------------------ the submission forms (core/forms.py)
def dept_form_budget_final(report: Report) -> Decimal | None:
    """The 部门整体支出绩效自评表's 年度资金总额 全年预算数: the report's 全年预算数."""
    return budget_final(report)


def form_exec_rate(actual: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """执行率 of a 自评表 funds row = 全年执行数 ÷ 全年预算数 (a fraction; None when either is missing or 0)."""
    return safe_div(actual, budget)


def form_exec_score(weight: Decimal | None, rate: Decimal | None) -> Decimal | None:
    """得分 of a 自评表 funds row = 分值 × 执行率, never above 分值."""
    if weight is None or rate is None:
        return None
    return weight * min(rate, Decimal(1))


def dept_form_exec_rate(report: Report) -> Decimal | None:
    return form_exec_rate(total_actual(report), budget_final(report))


def exec_node_index(project: Project) -> int | None:
    """The project's 预算执行率 indicator (the 自评表's funds 分值/得分): a top-level node with rule
    exec_rate, else a top-level node named 预算执行率."""
    nodes = project.indicators
    for i, n in enumerate(nodes):
        if n.rule == "exec_rate" and not n.parent_id:
            return i
    for i, n in enumerate(nodes):
        if not n.parent_id and n.name.strip() in ("预算执行率", "预算执行", "资金执行率"):
            return i
    return None


def project_form_exec_rate(project: Project) -> Decimal | None:
    """The 项目支出绩效自评表's 执行率: 全年执行数 ÷ 全年预算数 of its 年度资金总额 row (the project's
    actual ÷ budget_final; the form's 全年预算数 already includes its 上年结转资金 row)."""
    return form_exec_rate(project.actual, project_budget_final(project))


def project_form_total(project: Project) -> Decimal | None:
    """总分 of a 项目支出绩效自评表 = Σ the top-level indicators' scores."""
    nodes = project.indicators
    return sum_present(node_score(nodes, n) for n in nodes if not n.parent_id)


def projects_in_category(report: Report, category: str) -> list[int]:
    return [i for i, p in enumerate(report.projects) if p.category == category]


def category_sum(report: Report, category: str, attr: str) -> Decimal | None:
    """Σ of a project figure over the projects of a 基础数据表 category ('business', 'maintenance')."""
    values = []
    for p in report.projects:
        if p.category != category:
            continue
        values.append(project_budget_final(p) if attr == "budget_final" else getattr(p, attr))
    return sum_present(values)


def category_prior_sum(report: Report, category: str) -> Decimal | None:
    """Σ of the 上年决算 (prior_year[projects[i].actual]) over a 基础数据表 category."""
    return sum_present(report.prior_year.get(f"projects[{i}].actual")
                       for i in projects_in_category(report, category))


def meeting_training_actual(report: Report) -> Decimal | None:
    """会议费 + 培训费 actually spent (the 基础数据表 会议培训 row's counterpart in the report)."""
    tp = report.three_public
    return sum_present((tp.meeting_fee.actual, tp.training_fee.actual))
