"""The report model (DOMAIN.md §3). Pure Python, no Qt.

Money is ``Decimal`` in 万元 as typed (Decimal keeps the typed decimals, which the tolerance
rules use); counts are ``int``; ``None`` means "not stated" and is never treated as 0.

Every value is addressable by a *field path*, e.g. ``income.budget_initial``,
``projects[2].actual``, ``three_public.reception.actual``, ``narrative[五.一]``.
The GUI edits only through :func:`set_value` / :func:`insert_item` / :func:`remove_item`
(wrapped in undo commands); findings name the same paths.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import field, fields
from decimal import Decimal
from typing import Any

from . import regex
from .records import record

Money = Decimal | None

PROJECT_KINDS = ("initial", "added", "carried")
ECON_SCOPES = ("basic", "project", "total")
SCORE_RULES = ("exec_rate", "ratio_up", "ratio_down", "equal", "deduct_per_point", "bands", "qualitative", "manual")
DIRECTIONS = ("≥", "≤", "=", "qual")
QUAL_TIERS = ("达成", "部分达成", "未达成")


@record
class Meta:
    """Report identification: outline, 报告年度, unit name/code, 主管部门, 单位性质, 机构级别, date, contact, rule profile."""
    template: str = "hunan9"          # the outline (core/template.py; an outline id of a profile file)
    fiscal_year: int | None = None
    unit_name: str = ""
    unit_code: str = ""
    supervisor: str = ""
    unit_type: str = ""
    rank: str = ""
    report_date: str = ""          # ISO yyyy-mm-dd, or ""
    contact: str = ""
    phone: str = ""
    amount_decimals: int = 2
    rule_profile: str = "hunan-default"


@record
class OrgUnit:
    """One 内设机构 (internal office) of the unit: 科室名称 and 主要职责."""
    name: str = ""
    duties: str = ""


@record
class LeaderPost:
    """One 领导职数 line: the post (职务) and the number of such posts (职数)."""
    title: str = ""
    quota: int | None = None


@record
class RoleCount:
    """One line of 在职人员构成: a post or staff category (岗位/类别) and its head count."""
    role: str = ""
    count: int | None = None


@record
class Profile:
    """部门概况: 部门职能, 内设机构 (listed and the count stated), 编制人数/编制性质, 领导职数, staff by role, 实有人数."""
    duties: list[str] = field(default_factory=list)
    org_units: list[OrgUnit] = field(default_factory=list)
    declared_org_unit_count: int | None = None
    staff_authorized: int | None = None
    staff_kind: str = ""
    leader_posts: list[LeaderPost] = field(default_factory=list)
    staff_by_role: list[RoleCount] = field(default_factory=list)
    staff_actual: int | None = None


@record
class Income:
    """The unit's 预算收入 in 万元: 年初预算, 调整追加, 全年预算数, 其他资金来源, 上年结转, 财政资金."""
    budget_initial: Money = None
    budget_adjustment: Money = None
    budget_total: Money = None
    other_sources: Money = None
    carryover_prior: Money = None
    fiscal_funds: Money = None


@record
class FunctionLine:
    """One line of the expenditure by functional class (按功能分类支出): subject code, name, amount in 万元."""
    code: str = ""
    name: str = ""
    amount: Money = None


@record
class EconLine:
    """One line of the expenditure by economic class (按经济分类支出): scope (基本/项目/合计), code, name, amount (万元)."""
    scope: str = "project"         # 'basic' | 'project' | 'total'
    code: str = ""
    name: str = ""
    amount: Money = None


@record
class Expenditure:
    """The unit's 支出 in 万元: 支出合计, 基本支出 (人员经费, 日常公用经费), 项目支出, 结余结转, function/economic lines."""
    total: Money = None
    basic: Money = None
    personnel: Money = None
    public_ops: Money = None
    project_total: Money = None
    project_budget_total: Money = None   # stated Σ project budgets (EXP-04)
    carryover_end: Money = None
    by_function: list[FunctionLine] = field(default_factory=list)
    by_econ: list[EconLine] = field(default_factory=list)


@record
class ScoreNode:
    """One indicator of a scoring table (评分表 or a project's 绩效指标): tree position, 分值, 计分方法, target, achieved, 得分."""
    id: str = ""
    level: int = 3
    name: str = ""
    parent_id: str = ""
    weight: Decimal | None = None
    rule: str = "manual"
    rule_params: dict[str, Any] = field(default_factory=dict)  # step, bands, …
    target: Decimal | None = None
    achieved: Decimal | None = None
    target_text: str = ""          # as written, e.g. "≥95%", "按时完成"
    achieved_text: str = ""
    unit: str = ""
    direction: str = "≥"
    tier: str = ""                 # qualitative: 达成 / 部分达成 / 未达成
    score_stated: Decimal | None = None
    deviation_reason: str = ""
    evidence: str = ""


@record
class FundRow:
    """One row of a 年度资金 block of the 自评表 forms: 年初预算数 | 全年预算数 | 全年执行数 (万元)."""
    budget_initial: Money = None
    budget_final: Money = None
    actual: Money = None


@record
class ProjectForm:
    """What a 项目支出绩效自评表 holds beyond the project's row (DOMAIN §6.2; docs/forms.md).

    The form's 年度资金总额 row IS the project's budget_initial / budget_final / actual; its 分值 and
    得分 are the project's ``预算执行率`` indicator (rule exec_rate); 总分 is ``self_score``."""
    exec_rate_stated: Decimal | None = None    # 执行率 as the form states it, in % (91.50)
    fiscal: FundRow = field(default_factory=FundRow)       # 其中：当年财政拨款
    carryover: FundRow = field(default_factory=FundRow)    # 上年结转资金
    other: FundRow = field(default_factory=FundRow)        # 其他资金
    goal_expected: str = ""        # 年度总体目标：预期目标
    goal_actual: str = ""          # 年度总体目标：实际完成情况
    grade_stated: str = ""         # 自评等级
    supervisor: str = ""           # 主管部门 ("" = the report's meta.supervisor)
    implementer: str = ""          # 实施单位 ("" = the report's unit)
    lead: str = ""                 # 项目负责人
    finance_lead: str = ""         # 财务负责人
    filler: str = ""               # 填表人
    phone: str = ""                # 联系电话
    date: str = ""                 # 填报日期 (ISO yyyy-mm-dd, or as written)


@record
class Project:
    """One row of the 项目支出表: budget, 实际支出, 结余结转, narratives, 绩效指标, 自评得分 and its 项目支出绩效自评表 cells."""
    name: str = ""
    kind: str = "initial"          # 'initial' (年初预算) | 'added' (年中追加) | 'carried'
    budget_initial: Money = None
    budget_adjustment: Money = None
    budget_final: Money = None
    actual: Money = None
    carryover: Money = None
    carryover_prior: Money = None
    fund_source: str = ""
    purpose: str = ""              # 项目概况/用途 narrative
    analysis_economy: str = ""
    analysis_effectiveness: str = ""
    analysis_sustainability: str = ""
    indicators: list[ScoreNode] = field(default_factory=list)
    self_score: Decimal | None = None
    deviation_reason: str = ""
    category: str = ""             # 基础数据表 row: '' (专项) | 'business' 业务工作经费 | 'maintenance' 运行维护经费
    form: ProjectForm = field(default_factory=ProjectForm)


@record
class BudgetActual:
    """预算数 and 实际支出 (万元) of one 三公 part, of 会议费 or of 培训费."""
    budget: Money = None
    actual: Money = None


@record
class ThreePublic:
    """“三公”经费 per part (出国（境）, 公务用车购置/运行维护, 公务接待), 会议费, 培训费; the stated and last year's totals."""
    abroad: BudgetActual = field(default_factory=BudgetActual)
    vehicle_purchase: BudgetActual = field(default_factory=BudgetActual)
    vehicle_operation: BudgetActual = field(default_factory=BudgetActual)
    reception: BudgetActual = field(default_factory=BudgetActual)
    total_stated: Money = None
    prior_year_total: Money = None
    meeting_fee: BudgetActual = field(default_factory=BudgetActual)
    training_fee: BudgetActual = field(default_factory=BudgetActual)


@record
class Assets:
    """资产: 固定资产 年初数/本年增加/本年减少/年末数 and 无形资产年末数 (万元); 公务车辆 (辆) and 办公用房 (间)."""
    fixed_begin: Money = None
    fixed_increase: Money = None
    fixed_decrease: Money = None
    fixed_end: Money = None
    intangible_end: Money = None
    vehicles: int | None = None
    rooms: int | None = None


@record
class Procurement:
    """政府采购 (government procurement): 预算 and 实际支出 in 万元."""
    budget: Money = None
    actual: Money = None


@record
class Scoring:
    """The unit's 评分表 (附相关评分): its indicator nodes, a forest linked by parent_id; template_id names the template."""
    template_id: str = "dept-overall"
    nodes: list[ScoreNode] = field(default_factory=list)


@record
class SelfEval:
    """The self-evaluation as the report's text states it: 自评得分 and 自评等级 (优/良/中/差)."""
    score_stated: Decimal | None = None
    grade_stated: str = ""


@record
class DeptForm:
    """What the 部门整体支出绩效自评表 holds beyond the report (docs/forms.md).

    Its 年度资金总额 row IS income.budget_initial / income.budget_total / expenditure.total; the
    按支出性质 全年执行数 cells ARE expenditure.basic / project_total; 项目支出 全年预算数 IS
    expenditure.project_budget_total; the indicator rows ARE scoring.nodes; 总分/等级 the scoring
    total and self_eval.grade_stated."""
    general_budget: FundRow = field(default_factory=FundRow)    # 一般公共预算
    gov_fund: FundRow = field(default_factory=FundRow)          # 政府性基金拨款
    special_account: FundRow = field(default_factory=FundRow)   # 纳入专户管理的非税收入拨款
    other_funds: FundRow = field(default_factory=FundRow)       # 其他资金
    basic_budget_initial: Money = None       # 基本支出 年初预算数
    basic_budget_final: Money = None         # 基本支出 全年预算数
    project_budget_initial: Money = None     # 项目支出 年初预算数
    exec_weight: Decimal | None = None       # 年度资金总额 分值 (10)
    exec_rate_stated: Decimal | None = None  # 执行率 as stated, in %
    exec_score_stated: Decimal | None = None # 自评得分 of the funds row
    goal_expected: str = ""                  # 年度总体目标：预期目标
    goal_actual: str = ""                    # 年度总体目标：实际完成情况


@record
class PriorBudgetFinal:
    """A 基础数据表 经费控制 row of its own: 上年决算 | 本年预算 | 本年决算 (万元)."""
    prior: Money = None
    budget: Money = None
    final: Money = None


@record
class Buildings:
    """楼堂馆所控制情况: scales in 平方米, investments in 万元."""
    approved_scale: Decimal | None = None    # 批复规模
    actual_scale: Decimal | None = None      # 实际规模
    budget_investment: Money = None          # 预算投资
    actual_investment: Money = None          # 实际投资


@record
class BasicData:
    """What the 基础数据表 holds beyond the report (docs/forms.md). 编制数/在职人数 ARE the profile's,
    三公 rows the three_public block, 公用经费 本年决算 expenditure.public_ops, 项目支出 the projects,
    政府采购金额 the procurement block; every 上年决算 of those is prior_year[<this year's path>]."""
    staff_control_rate_stated: Decimal | None = None   # 控制率 as stated, in %
    public_ops_budget: Money = None                    # 公用经费 本年预算
    office: PriorBudgetFinal = field(default_factory=PriorBudgetFinal)            # 其中：办公经费
    utilities_travel: PriorBudgetFinal = field(default_factory=PriorBudgetFinal)  # 水电差旅
    meeting_training: PriorBudgetFinal = field(default_factory=PriorBudgetFinal)  # 会议培训
    basic_adjustment: PriorBudgetFinal = field(default_factory=PriorBudgetFinal)  # 部门基本支出预算调整
    buildings: Buildings = field(default_factory=Buildings)
    frugality: str = ""                                # 厉行节约保障措施


@record
class Report:
    """The whole report: figure blocks, narrative per outline slot, headings as written, 上年数, 决算数, notes, drafts."""
    meta: Meta = field(default_factory=Meta)
    profile: Profile = field(default_factory=Profile)
    income: Income = field(default_factory=Income)
    expenditure: Expenditure = field(default_factory=Expenditure)
    projects: list[Project] = field(default_factory=list)
    three_public: ThreePublic = field(default_factory=ThreePublic)
    assets: Assets = field(default_factory=Assets)
    procurement: Procurement = field(default_factory=Procurement)
    scoring: Scoring = field(default_factory=Scoring)
    self_eval: SelfEval = field(default_factory=SelfEval)
    dept_form: DeptForm = field(default_factory=DeptForm)       # 部门整体支出绩效自评表 (own cells)
    basic_data: BasicData = field(default_factory=BasicData)    # 基础数据表 (own cells)
    # narrative text per section slot id ('一.一', '五.二', …); paragraphs separated by "\n"
    narrative: dict[str, str] = field(default_factory=dict)
    # section headings as the officer wrote them (FMT-01 checks them); missing → template wording
    headings: dict[str, str] = field(default_factory=dict)
    # prior-year figures (上年数) keyed by the field path of this year's figure
    prior_year: dict[str, Decimal] = field(default_factory=dict)
    # figures of this year's 部门决算 tables (the authority, DEC-01), keyed like prior_year
    final_accounts: dict[str, Decimal] = field(default_factory=dict)
    # warnings/notes the officer checked and explained (DOMAIN §7 "W"): Finding.key → the note
    acknowledged: dict[str, str] = field(default_factory=dict)
    # texts carried over from last year's report as drafts (core/next_year.py): field path → the
    # text as carried over; a text still equal to its draft is 待更新 (highlighted until edited)
    drafts: dict[str, str] = field(default_factory=dict)

    def clone(self) -> Report:
        return copy.deepcopy(self)


# ---------------------------------------------------------------- item factories for lists
LIST_ITEM_TYPES: dict[str, type] = {
    "profile.duties": str,
    "profile.org_units": OrgUnit,
    "profile.leader_posts": LeaderPost,
    "profile.staff_by_role": RoleCount,
    "expenditure.by_function": FunctionLine,
    "expenditure.by_econ": EconLine,
    "projects": Project,
    "scoring.nodes": ScoreNode,
}


def new_item(list_path: str) -> Any:
    """A blank item for the list at ``list_path`` (indices stripped: projects[0].indicators)."""
    key = re.sub(r"\[\d+\]", "", list_path)
    if key.endswith("indicators"):
        return ScoreNode()
    factory = LIST_ITEM_TYPES[key]
    return factory()


# ---------------------------------------------------------------- field paths
# a dict key may itself hold a path with brackets: acknowledged[PRJ-06:projects[3]]
_TOKEN = regex.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[((?:[^\[\]]|\[[^\[\]]*\])+)\]|\.")


class PathError(KeyError):
    pass


def split_path(path: str) -> list[str | int]:
    """'projects[2].actual' → ['projects', 2, 'actual']; 'narrative[五.一]' → ['narrative', '五.一']."""
    parts: list[str | int] = []
    pos = 0
    while pos < len(path):
        m = _TOKEN.match(path, pos)
        if not m or m.end() == pos:
            raise PathError(path)
        if m.group(1):
            parts.append(m.group(1))
        elif m.group(2) is not None:
            key = m.group(2)
            parts.append(int(key) if key.isdigit() else key)
        pos = m.end()
    return parts


def join_path(parts: list[str | int]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out and not _is_identifier(part):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _is_identifier(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text))


def _step(obj: Any, part: str | int) -> Any:
    if isinstance(part, int):
        return obj[part]
    if isinstance(obj, dict):
        return obj.get(part)
    if not hasattr(obj, part):
        raise PathError(part)
    return getattr(obj, part)


def get_value(report: Report, path: str) -> Any:
    obj: Any = report
    try:
        for part in split_path(path):
            obj = _step(obj, part)
    except (IndexError, TypeError, AttributeError) as exc:
        raise PathError(path) from exc
    return obj


def set_value(report: Report, path: str, value: Any) -> Any:
    """Set the value at ``path``; returns the old value. Dict slots with value None/'' are removed."""
    parts = split_path(path)
    parent: Any = report     # a dataclass, list or dict along the path
    try:
        for part in parts[:-1]:
            parent = _step(parent, part)
        last = parts[-1]
        if isinstance(last, int):
            old = parent[last]
            parent[last] = value
        elif isinstance(parent, dict):
            old = parent.get(last)
            if value is None or value == "":
                parent.pop(last, None)
            else:
                parent[last] = value
        else:
            if not hasattr(parent, last):
                raise PathError(path)
            old = getattr(parent, last)
            setattr(parent, last, value)
    except (IndexError, TypeError, AttributeError) as exc:
        raise PathError(path) from exc
    return old


def insert_item(report: Report, list_path: str, index: int, item: Any) -> None:
    """Insert ``item``; a scoring node without an id gets a unique one (a sibling of its neighbour)."""
    items = get_value(report, list_path)
    if isinstance(item, ScoreNode) and not item.id.strip():
        neighbour = items[index - 1] if 0 < index <= len(items) else (items[0] if items else None)
        if isinstance(neighbour, ScoreNode):
            item.level, item.parent_id = neighbour.level, neighbour.parent_id
        else:
            item.level, item.parent_id = 1, ""
        item.id = unique_node_id(items, neighbour.id if isinstance(neighbour, ScoreNode) else "")
    items.insert(index, item)


def remove_item(report: Report, list_path: str, index: int) -> Any:
    items = get_value(report, list_path)
    return items.pop(index)


def move_item(report: Report, list_path: str, index: int, new_index: int) -> None:
    items = get_value(report, list_path)
    items.insert(new_index, items.pop(index))


# ---------------------------------------------------------------- scoring trees
MAX_SCORE_LEVELS = 4       # 一级 … 四级 indicators: the deepest table any template prints


def unique_node_id(nodes: list[ScoreNode], near: str = "") -> str:
    """An id no node of ``nodes`` has: the next sibling number after ``near`` ("1.2" → "1.3"), else "N"."""
    used = {n.id for n in nodes}
    m = re.fullmatch(r"(.*?)(\d+)", near or "")
    prefix, number = (m.group(1), int(m.group(2))) if m and len(m.group(2)) < 9 else ("", len(nodes))
    for candidate in range(number + 1, number + len(nodes) + 3):
        if f"{prefix}{candidate}" not in used:
            return f"{prefix}{candidate}"
    return f"{prefix}{number + len(nodes) + 3}"  # pragma: no cover - the range above always holds one


def score_tree_problem(nodes: list[ScoreNode]) -> tuple[int, str] | None:
    """The first structural fault of a scoring table, as (node index, Chinese reason), else None.

    A table must be a forest: every node has a non-empty id of its own, no node is its own parent
    or ancestor, and no chain is deeper than MAX_SCORE_LEVELS. A parent id that names no node is
    allowed (the node is then not counted under any parent; SCO rules report the sums)."""
    index_of: dict[str, int] = {}
    for i, node in enumerate(nodes):
        if not node.id.strip():
            return i, "指标编号为空（每个指标需要一个编号，下级指标用它指向上级）"
        if node.id in index_of:
            return i, f"指标编号“{node.id}”与第 {index_of[node.id] + 1} 行重复"
        index_of[node.id] = i
        if not 1 <= node.level <= MAX_SCORE_LEVELS:
            return i, f"指标级次为 {node.level}，应为 1 至 {MAX_SCORE_LEVELS}"
    for i, node in enumerate(nodes):
        if node.parent_id and node.parent_id == node.id:
            return i, f"指标“{node.id}”的上级编号是它自己"
    depth: dict[int, int] = {}
    for start in range(len(nodes)):
        chain: list[int] = []
        on_chain: set[int] = set()
        cur: int | None = start
        while cur is not None and cur not in depth:
            if cur in on_chain:
                return start, f"指标“{nodes[start].id}”的上级编号形成循环（{' → '.join(nodes[j].id for j in chain[:8])} …）"
            chain.append(cur)
            on_chain.add(cur)
            parent = nodes[cur].parent_id
            cur = index_of.get(parent) if parent else None
        base = depth[cur] if cur is not None else 0
        for j in reversed(chain):
            base += 1
            depth[j] = base
            if base > MAX_SCORE_LEVELS:
                return j, f"指标“{nodes[j].id}”位于第 {base} 级，超过评分表的 {MAX_SCORE_LEVELS} 级"
    return None


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_NO_MONEY = (str, int, float, type(None))    # leaves that can hold no Decimal: not walked


def iter_money_paths(report: object) -> Iterator[tuple[str, Decimal]]:
    """Yield (path, value) for every Decimal field in the report, or in one block of it
    (for EXP-09, precision, display)."""
    def walk(obj: Any, prefix: str) -> Iterator[tuple[str, Decimal]]:
        if isinstance(obj, Decimal):
            yield prefix, obj
        elif isinstance(obj, list):
            for i, item in enumerate(obj):
                if not isinstance(item, _NO_MONEY):
                    yield from walk(item, f"{prefix}[{i}]")
        elif isinstance(obj, dict):
            for key, item in obj.items():
                if isinstance(item, Decimal):
                    yield f"{prefix}[{key}]", item
        elif hasattr(obj, "__dataclass_fields__"):
            names = _FIELD_NAMES.get(type(obj))
            if names is None:
                names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
            for name in names:
                sub = getattr(obj, name)
                if isinstance(sub, Decimal):
                    yield (f"{prefix}.{name}" if prefix else name), sub
                elif not isinstance(sub, _NO_MONEY):
                    yield from walk(sub, f"{prefix}.{name}" if prefix else name)
    yield from walk(report, "")


def top_key(path: str) -> str:
    """First component of a path ('projects[3].actual' → 'projects')."""
    m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", path)
    return m.group(0) if m else path
