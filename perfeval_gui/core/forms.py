"""The submission forms (DOMAIN §12.1, docs/forms.md): 部门整体支出绩效自评表, 基础数据表 and one
项目支出绩效自评表 per project, laid out from the report's fields. Pure Python, no Qt.

Every cell of a form is either a field of the report (``path``: typed once, shown in the report's tab,
in the form's tab, in the Excel workbook and the Word appendix alike), a derived value (``derived.py``)
or fixed wording (``fields.FORM_TEXT``). The form layouts here are data: the Excel writer
(io/forms_xlsx.py), the Word appendix (:func:`appendix_blocks`), the importer's recognisers and the
window's form tabs read them; a rule profile selects which forms belong to a report (``forms.include``).

A layout is a :class:`FormGrid`: cells placed at (row, column) with spans, so a writer only has to
copy them (merged headers included).
"""
from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from collections.abc import Callable, Set as AbstractSet

from . import regex
from .records import record
from . import derived, fields
from .model import Project, Report, ScoreNode  # noqa: F401 - ScoreNode: io/forms_xlsx reads defaults
from .money import safe_div

if TYPE_CHECKING:
    from .edits import FieldChange

FORM_IDS = fields.FORMS.codes()            # ('dept_form', 'basic_data', 'project_form')
T = fields.FORM_TEXT.label

# cell kinds
TITLE, HEADER, LABEL, TEXT, AMOUNT, SCORE, RATE, COUNT, MEASURE, NOTE = (
    "title", "header", "label", "text", "amount", "score", "rate", "count", "measure", "note")
NUMERIC = (AMOUNT, SCORE, RATE, COUNT, MEASURE)


def forms_for(report: Report, profile: Any = None) -> tuple[str, ...]:
    """The forms of the report's rule profile (``[forms] include``, in FORM_IDS order), else all three."""
    try:
        profile = profile if profile is not None else derived.report_profile(report)
        include = profile.get("forms.include")
    except Exception:       # an unreadable profile: every form
        include = None
    if include is None:
        return FORM_IDS
    return tuple(f for f in FORM_IDS if f in include)


# ---------------------------------------------------------------------- cells
@record(frozen=True)
class Slot:
    """What a form cell shows: a field (editable), else a derived value (read-only)."""
    path: str = ""                                     # a field path ("" = derived only)
    compute: Callable[[Report], Any] | None = None     # the value shown when the field is empty
    kind: str = AMOUNT
    stated_rate: bool = False                          # path holds a rate typed in %; compute gives a fraction

    def value(self, report: Report) -> Any:
        return self.source(report)[0]

    def source(self, report: Report) -> tuple[Any, bool]:
        """(value shown, whether it is the field's own value) — a computed stand-in is not re-imported."""
        from .model import PathError, get_value
        if self.path:
            try:
                v = get_value(report, self.path)
            except PathError:
                v = None
            if v not in (None, ""):
                return v, True
        if self.compute is None:
            return None, False
        v = self.compute(report)
        if self.stated_rate and isinstance(v, Decimal):
            return v * 100, False
        return v, False


@record(frozen=True)
class FormRow:
    """A row of a figures block: its key (for rules, import and the window), label and one slot per column."""
    key: str
    label: str
    slots: tuple[Slot | None, ...]
    indent: int = 0             # 1 = a part of the row above (其中)
    heading: bool = False       # a group label row (按收入性质分：) without figures


def _p(path: str, kind: str = AMOUNT, compute: Callable[[Report], Any] | None = None) -> Slot:
    return Slot(path, compute, kind)


def _d(compute: Callable[[Report], Any], kind: str = AMOUNT) -> Slot:
    return Slot("", compute, kind)


# ---------------------------------------------------------------------- 部门整体支出绩效自评表
DEPT_FUND_COLUMNS = (*(c.label for c in fields.FUND_COLUMNS.choices), T("weight"), T("rate"), T("dept_score"))


def dept_fund_rows() -> list[FormRow]:
    """年度资金总额, 按收入性质分 (4 rows), 按支出性质分 (基本支出, 项目支出): 年初预算数 | 全年预算数 |
    全年执行数 | 分值 | 执行率 | 自评得分."""
    rows = [FormRow("total", T("total"), (
        _p("income.budget_initial"), _p("income.budget_total", compute=derived.budget_final),
        _p("expenditure.total", compute=derived.total_actual),
        _p("dept_form.exec_weight", SCORE),
        Slot("dept_form.exec_rate_stated", derived.dept_form_exec_rate, RATE, stated_rate=True),
        _p("dept_form.exec_score_stated", SCORE,
           compute=lambda r: derived.form_exec_score(r.dept_form.exec_weight, derived.dept_form_exec_rate(r)))))]
    rows.append(FormRow("by_income", T("by_income"), (), heading=True))
    for nature in fields.INCOME_NATURES.choices:
        rows.append(FormRow(nature.code, nature.label, tuple(
            _p(f"dept_form.{nature.code}.{c}") for c in fields.FUND_COLUMNS.codes()) + (None, None, None),
            indent=1))
    rows.append(FormRow("by_expense", T("by_expense"), (), heading=True))
    rows.append(FormRow("basic", fields.label("expenditure.basic"), (
        _p("dept_form.basic_budget_initial"), _p("dept_form.basic_budget_final"), _p("expenditure.basic"),
        None, None, None), indent=1))
    rows.append(FormRow("project", fields.label("expenditure.project_total"), (
        _p("dept_form.project_budget_initial"), _p("expenditure.project_budget_total"),
        _p("expenditure.project_total"), None, None, None), indent=1))
    return rows


# ---------------------------------------------------------------------- 项目支出绩效自评表
PROJECT_FUND_COLUMNS = (*(c.label for c in fields.FUND_COLUMNS.choices), T("weight"), T("rate"), T("score"))


def project_fund_rows(report: Report, index: int) -> list[FormRow]:
    """年度资金总额 (= the project's own figures) and its 其中 rows."""
    pre = f"projects[{index}]"
    project = report.projects[index]
    k = derived.exec_node_index(project)
    node = f"{pre}.indicators[{k}]" if k is not None else ""

    def proj(r: Report) -> Project | None:
        return r.projects[index] if index < len(r.projects) else None

    def rate(r: Report) -> Decimal | None:
        p = proj(r)
        return derived.project_form_exec_rate(p) if p is not None else None

    def score(r: Report) -> Decimal | None:
        p = proj(r)
        if p is None:
            return None
        i = derived.exec_node_index(p)
        weight = p.indicators[i].weight if i is not None else None
        return derived.form_exec_score(weight, derived.project_form_exec_rate(p))

    def budget_final(r: Report) -> Decimal | None:
        p = proj(r)
        return derived.project_budget_final(p) if p else None

    rows = [FormRow("total", T("total"), (
        _p(f"{pre}.budget_initial"),
        _p(f"{pre}.budget_final", compute=budget_final),
        _p(f"{pre}.actual"),
        _p(f"{node}.weight", SCORE) if node else None,
        Slot(f"{pre}.form.exec_rate_stated", rate, RATE, stated_rate=True),
        _p(f"{node}.score_stated", SCORE, compute=score) if node else _d(score, SCORE)))]
    for sub in fields.PROJECT_FUND_ROWS.choices:
        label = ("其中：" if sub.code == "fiscal" else "") + sub.label
        rows.append(FormRow(sub.code, label, tuple(
            _p(f"{pre}.form.{sub.code}.{c}") for c in fields.FUND_COLUMNS.codes()) + (None, None, None),
            indent=1))
    return rows


PROJECT_FOOTER = ("lead", "finance_lead", "filler", "phone", "date")


# ---------------------------------------------------------------------- 基础数据表
BASIC_COLUMNS = tuple(c.label for c in fields.PRIOR_BUDGET_FINAL.choices)   # 上年决算 | 本年预算 | 本年决算


def _prior(path: str) -> Slot:
    """上年决算 of a figure: the report's 上年数 of this year's field (prior_year[<path>])."""
    return Slot(f"prior_year[{path}]", None, AMOUNT)


def basic_fund_rows(report: Report) -> list[FormRow]:
    """经费控制情况: 三公经费 (and parts), 项目支出 (业务工作经费, 运行维护经费, each 专项), 公用经费
    (其中 办公经费, 水电差旅, 会议培训), 政府采购金额, 部门基本支出预算调整."""
    tp = "three_public"
    rows = [FormRow("three_public", T("three_public"), (
        _p(f"{tp}.prior_year_total"), _d(lambda r: derived.three_public_total(r, "budget")),
        _p(f"{tp}.total_stated", compute=derived.three_public_total)))]
    rows.append(FormRow("vehicles", "1．" + T("vehicles"), (
        _d(lambda r: derived.sum_present(r.prior_year.get(f"{tp}.{x}.actual")
                                         for x in ("vehicle_purchase", "vehicle_operation"))),
        _d(lambda r: derived.sum_present((r.three_public.vehicle_purchase.budget,
                                          r.three_public.vehicle_operation.budget))),
        _d(lambda r: derived.sum_present((r.three_public.vehicle_purchase.actual,
                                          r.three_public.vehicle_operation.actual)))), indent=1))
    for code, numbered in (("vehicle_purchase", "（1）"), ("vehicle_operation", "（2）"),
                           ("abroad", "2．"), ("reception", "3．")):
        rows.append(FormRow(code, numbered + T(code), (
            _prior(f"{tp}.{code}.actual"), _p(f"{tp}.{code}.budget"), _p(f"{tp}.{code}.actual")),
            indent=2 if code.startswith("vehicle_") else 1))
    rows.append(FormRow("project_spending", T("project_spending"), (
        _prior("expenditure.project_total"),
        _p("expenditure.project_budget_total", compute=lambda r: derived.project_totals(r).budget_final),
        _p("expenditure.project_total", compute=lambda r: derived.project_totals(r).actual))))
    def category_slots(code: str) -> tuple[Slot, Slot, Slot]:
        return (_d(lambda r: derived.category_prior_sum(r, code)),
                _d(lambda r: derived.category_sum(r, code, "budget_final")),
                _d(lambda r: derived.category_sum(r, code, "actual")))

    for cat in fields.PROJECT_CATEGORIES.choices:
        if not cat.code:
            continue
        rows.append(FormRow(f"category_{cat.code}", cat.label, category_slots(cat.code), indent=1))
    for i, project in enumerate(report.projects):
        if project.category:
            continue
        rows.append(FormRow(f"project_{i}", project.name or f"项目{i + 1}", (
            _prior(f"projects[{i}].actual"), _p(f"projects[{i}].budget_final"), _p(f"projects[{i}].actual")),
            indent=1))
    rows.append(FormRow("public_ops", T("public_ops"), (
        _prior("expenditure.public_ops"), _p("basic_data.public_ops_budget"), _p("expenditure.public_ops"))))
    for sub in fields.BASIC_DATA_ROWS.choices:
        label = ("其中：" if sub.code == "office" else "") + sub.label
        if sub.code == "basic_adjustment":
            rows.append(FormRow("procurement", T("procurement"), (
                _prior("procurement.actual"), _p("procurement.budget"), _p("procurement.actual"))))
        rows.append(FormRow(sub.code, label, tuple(
            _p(f"basic_data.{sub.code}.{c}") for c in fields.PRIOR_BUDGET_FINAL.codes()),
            indent=0 if sub.code == "basic_adjustment" else 1))
    return rows


def staff_slots() -> tuple[Slot, Slot, Slot]:
    """编制数 | 实际在职人数 | 控制率 (stated, else computed)."""
    return (_p("profile.staff_authorized", COUNT),
            _p("profile.staff_actual", COUNT, compute=derived.staff_actual),
            Slot("basic_data.staff_control_rate_stated", derived.staff_control_rate, RATE, stated_rate=True))


def building_slots() -> tuple[Slot, ...]:
    """批复规模 | 实际规模 | 规模控制 | 预算投资 | 实际投资 | 投资概算控制."""
    b = "basic_data.buildings"
    return (_p(f"{b}.approved_scale", MEASURE), _p(f"{b}.actual_scale", MEASURE),
            Slot("", lambda r: safe_div(r.basic_data.buildings.actual_scale,
                                                r.basic_data.buildings.approved_scale), RATE, stated_rate=True),
            _p(f"{b}.budget_investment"), _p(f"{b}.actual_investment"),
            Slot("", lambda r: safe_div(r.basic_data.buildings.actual_investment,
                                                r.basic_data.buildings.budget_investment), RATE, stated_rate=True))


# ---------------------------------------------------------------------- indicator rows
@record(frozen=True)
class IndicatorLine:
    """One leaf indicator as a form prints it: index in the node list, 一级/二级/三级 names, the node."""
    index: int              # position of the leaf in its node list
    l1: str
    l2: str
    l3: str
    node: ScoreNode


def indicator_lines(nodes: list[ScoreNode], skip: AbstractSet[int] = frozenset()) -> list[IndicatorLine]:
    """The leaves of a scoring tree in order with their 一级/二级 ancestors' names (the forms print
    leaves only; a level-1 leaf has empty 二级/三级 columns except its own name in 三级)."""
    by_id = {n.id: n for n in nodes if n.id}
    parents = {n.parent_id for n in nodes if n.parent_id}
    out = []
    for i, n in enumerate(nodes):
        if i in skip or (n.id and n.id in parents):
            continue
        chain = [n]
        seen = {n.id}
        cur = n
        while cur.parent_id and cur.parent_id in by_id and cur.parent_id not in seen and len(chain) < 6:
            cur = by_id[cur.parent_id]
            seen.add(cur.id)
            chain.append(cur)
        names = [c.name for c in reversed(chain)]
        if len(names) == 1:
            l1, l2, l3 = names[0], "", names[0]
        elif len(names) == 2:
            l1, l2, l3 = names[0], "", names[1]
        else:
            l1, l2, l3 = names[0], names[1], "／".join(names[2:])
        out.append(IndicatorLine(i, l1, l2, l3, n))
    return out


def node_value_text(text: str, value: Decimal | None, unit: str) -> str:
    """年度指标值 / 实际完成值 as the form prints them: as written, else number + unit."""
    if text:
        return text
    if value is None:
        return ""
    return f"{format(value, 'f')}{unit}"


# ---------------------------------------------------------------------- grids (what writers copy)
@record
class GridCell:
    """One cell of a form grid: value, kind, field path, row/column span, alignment, own-value flag, printed prefix."""
    value: Any = None           # Decimal | int | str | None
    kind: str = TEXT
    path: str = ""              # the field the value belongs to ("" = derived or fixed wording)
    rows: int = 1               # span
    cols: int = 1
    align: str = ""             # "" = by kind; "left" | "center" | "right"
    field: bool = True          # the value is the field's own (a computed stand-in is shown, not re-imported)
    prefix: str = ""            # wording printed before the field's value in the same cell ("填表人：")


@record
class FormGrid:
    """A form as cells at (row, column) with spans, sheet name, title, widths, print settings: what writers copy."""
    form_id: str
    sheet_name: str
    title: str
    widths: list[float]                          # column widths in characters
    landscape: bool
    cells: dict[tuple[int, int], GridCell] = field(default_factory=dict)
    header_rows: int = 3                         # rows repeated at the top of each printed page
    row_heights: dict[int, float] = field(default_factory=dict)
    n_rows: int = 0
    table_from: int = 3                          # first ruled row (above: title and unit lines)

    def put(self, row: int, col: int, value: Any, kind: str = TEXT, path: str = "", rows: int = 1,
            cols: int = 1, align: str = "", field: bool = True, prefix: str = "") -> GridCell:
        cell = GridCell(value, kind, path, rows, cols, align, field, prefix)
        self.cells[(row, col)] = cell
        self.n_rows = max(self.n_rows, row + rows - 1)
        return cell

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    def text_rows(self) -> list[list[str]]:
        """The grid as text (tests, the Word appendix's plain rendering)."""
        out = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for (r, c), cell in self.cells.items():
            out[r - 1][c - 1] = display(cell)
        return out


def display(cell: GridCell, places: int = 2) -> str:
    """A cell as printed: amounts and scores with 2 decimals, rates as 91.67%, counts as integers."""
    from .money import fmt_amount
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, Decimal):
        if cell.kind == RATE:
            return f"{fmt_amount(v, 2)}%"
        if cell.kind == MEASURE:
            return format(v, "f")
        return fmt_amount(v, places)
    return str(v)


def _slot_cell(grid: FormGrid, report: Report, row: int, col: int, slot: Slot | None, cols: int = 1) -> None:
    if slot is None:
        grid.put(row, col, T("none"), TEXT, cols=cols, align="center")
        return
    value, own = slot.source(report)
    grid.put(row, col, value, slot.kind, slot.path, cols=cols, field=own)


def _title(report: Report, form_id: str) -> str:
    year = report.meta.fiscal_year
    return f"{year}{T('year_suffix')}{fields.FORMS.label(form_id)}" if year else fields.FORMS.label(form_id)


def _indicator_block(grid: FormGrid, report: Report, row: int, nodes: list[ScoreNode], prefix: str,
                     skip: set[int], score_label: str) -> int:
    """年度绩效指标 header + one row per leaf; returns the next free row. Columns B…I, ids in J."""
    lines = indicator_lines(nodes, skip)
    heads = ("l1", "l2", "l3", "target", "achieved", "weight", "score", "reason")
    start = row
    for c, key in enumerate(heads, start=2):
        grid.put(row, c, T(key) if key != "score" else score_label, HEADER)
    row += 1
    for line in lines:
        n = line.node
        p = f"{prefix}[{line.index}]"
        grid.put(row, 2, line.l1, LABEL)
        grid.put(row, 3, line.l2, LABEL)
        grid.put(row, 4, line.l3, LABEL, f"{p}.name")
        grid.put(row, 5, node_value_text(n.target_text, n.target, n.unit), TEXT, f"{p}.target_text",
                 field=bool(n.target_text))
        grid.put(row, 6, node_value_text(n.achieved_text, n.achieved, n.unit), TEXT, f"{p}.achieved_text",
                 field=bool(n.achieved_text))
        grid.put(row, 7, n.weight, SCORE, f"{p}.weight")
        grid.put(row, 8, n.score_stated, SCORE, f"{p}.score_stated")
        grid.put(row, 9, n.deviation_reason, TEXT, f"{p}.deviation_reason", align="left")
        row += 1
    if not lines:
        for c in range(2, 10):
            grid.put(row, c, None)
        row += 1
    grid.put(start, 1, T("indicators"), HEADER, rows=row - start)
    _merge_runs(grid, start + 1, row - 1, 2)
    _merge_runs(grid, start + 1, row - 1, 3, within=2)
    return row


def _merge_runs(grid: FormGrid, first: int, last: int, col: int, within: int = 0) -> None:
    """Merge runs of equal labels in a column (一级/二级指标 over their leaves), like the official forms."""
    r = first
    while r <= last:
        cell = grid.cells.get((r, col))
        end = r
        while (end + 1 <= last and cell is not None and cell.value
               and grid.cells.get((end + 1, col)) is not None
               and grid.cells[(end + 1, col)].value == cell.value
               and (not within or grid.cells[(end + 1, within)].value == grid.cells[(r, within)].value)):
            end += 1
        if cell is not None and end > r:
            cell.rows = end - r + 1
            for k in range(r + 1, end + 1):
                grid.cells.pop((k, col), None)
        r = end + 1


def _totals(grid: FormGrid, report: Report, row: int, weights: Decimal | None, total: Decimal | None,
            total_path: str, total_own: bool, grade: str, grade_path: str, grade_own: bool) -> int:
    grid.put(row, 1, T("total_score"), HEADER, cols=6)
    grid.put(row, 7, weights, SCORE, field=False)
    grid.put(row, 8, total, SCORE, total_path, field=total_own)
    grid.put(row, 9, f"{T('grade')}：{grade}", LABEL, grade_path, field=grade_own, prefix=f"{T('grade')}：")
    return row + 1


def _goals(grid: FormGrid, row: int, expected: str, actual: str, prefix: str) -> int:
    grid.put(row, 1, T("goals"), HEADER, rows=2)
    grid.put(row, 2, T("goal_expected"), HEADER, cols=4)
    grid.put(row, 6, T("goal_actual"), HEADER, cols=4)
    grid.put(row + 1, 2, expected, TEXT, f"{prefix}.goal_expected", cols=4, align="left")
    grid.put(row + 1, 6, actual, TEXT, f"{prefix}.goal_actual", cols=4, align="left")
    grid.row_heights[row + 1] = 60
    return row + 2


def _funds(grid: FormGrid, report: Report, row: int, label: str, columns: tuple[str, ...],
           rows: list[FormRow]) -> int:
    start = row
    grid.put(row, 2, "", HEADER, cols=2)
    for c, head in enumerate(columns, start=4):
        grid.put(row, c, head, HEADER)
    row += 1
    for frow in rows:
        if frow.heading:
            grid.put(row, 2, frow.label, LABEL, cols=8, align="left")
            row += 1
            continue
        grid.put(row, 2, ("　" * frow.indent) + frow.label, LABEL, cols=2, align="left")
        for c, slot in enumerate(frow.slots, start=4):
            _slot_cell(grid, report, row, c, slot)
        row += 1
    grid.put(start, 1, label.replace("（", "\n（", 1), HEADER, rows=row - start)   # 年度预算申请 / （万元）
    return row


WIDE = [15, 16, 14, 16, 13, 13, 8, 10, 24]     # A … I


def dept_form_grid(report: Report) -> FormGrid:
    g = FormGrid("dept_form", fields.FORMS.short("dept_form"), _title(report, "dept_form"), list(WIDE), True)
    g.put(1, 1, g.title, TITLE, cols=9)
    g.put(2, 1, T("money_unit"), NOTE, cols=9, align="right")
    g.put(3, 1, T("unit"), HEADER)
    g.put(3, 2, report.meta.unit_name, TEXT, "meta.unit_name", cols=8, align="left")
    row = _funds(g, report, 4, T("funds"), DEPT_FUND_COLUMNS, dept_fund_rows())
    row = _goals(g, row, report.dept_form.goal_expected, report.dept_form.goal_actual, "dept_form")
    row = _indicator_block(g, report, row, report.scoring.nodes, "scoring.nodes", set(), T("score"))
    tops = [n for n in report.scoring.nodes if not n.parent_id]
    weights = derived.sum_present(n.weight for n in tops)
    total = derived.self_score(report)
    grade = report.self_eval.grade_stated or derived.grade_of(report, total)
    _totals(g, report, row, weights, total, "self_eval.score_stated",
            not report.scoring.nodes and report.self_eval.score_stated is not None, grade,
            "self_eval.grade_stated", bool(report.self_eval.grade_stated))
    g.header_rows = 3
    return g


def project_form_grid(report: Report, index: int) -> FormGrid:
    project = report.projects[index]
    pre = f"projects[{index}]"
    name = project.name or f"项目{index + 1}"
    sheet = f"{fields.FORMS.short('project_form')}{index + 1}"
    g = FormGrid("project_form", sheet, _title(report, "project_form"), list(WIDE), True)
    g.put(1, 1, g.title, TITLE, cols=9)
    g.put(2, 1, T("money_unit"), NOTE, cols=9, align="right")
    g.put(3, 1, T("project_name"), HEADER)
    g.put(3, 2, project.name, TEXT, f"{pre}.name", cols=8, align="left")
    g.put(4, 1, T("supervisor"), HEADER)
    g.put(4, 2, project.form.supervisor or report.meta.supervisor, TEXT, f"{pre}.form.supervisor", cols=3,
          align="left", field=bool(project.form.supervisor))
    g.put(4, 5, T("implementer"), HEADER, cols=2)
    g.put(4, 7, project.form.implementer or report.meta.unit_name, TEXT, f"{pre}.form.implementer", cols=3,
          align="left", field=bool(project.form.implementer))
    row = _funds(g, report, 5, T("project_funds"), PROJECT_FUND_COLUMNS, project_fund_rows(report, index))
    row = _goals(g, row, project.form.goal_expected, project.form.goal_actual, f"{pre}.form")
    k = derived.exec_node_index(project)
    row = _indicator_block(g, report, row, project.indicators, f"{pre}.indicators",
                           {k} if k is not None else set(), T("score"))
    tops = [n for n in project.indicators if not n.parent_id]
    weights = derived.sum_present(n.weight for n in tops)
    total = project.self_score if project.self_score is not None else derived.project_form_total(project)
    grade = project.form.grade_stated or derived.grade_of(report, total)
    row = _totals(g, report, row, weights, total, f"{pre}.self_score", project.self_score is not None, grade,
                  f"{pre}.form.grade_stated", bool(project.form.grade_stated))
    people = [(key, getattr(project.form, key)) for key in PROJECT_FOOTER]
    col = 1
    for key, value in people[:3]:
        g.put(row, col, f"{T(key)}：{value}", LABEL, f"{pre}.form.{key}", cols=3, align="left", prefix=f"{T(key)}：")
        col += 3
    row += 1
    g.put(row, 1, f"{T('phone')}：{people[3][1]}", LABEL, f"{pre}.form.phone", cols=3, align="left",
          prefix=f"{T('phone')}：")
    g.put(row, 4, f"{T('date')}：{people[4][1]}", LABEL, f"{pre}.form.date", cols=6, align="left",
          prefix=f"{T('date')}：")
    g.header_rows = 4
    g.sheet_name = sheet
    _ = name
    return g


def basic_data_grid(report: Report) -> FormGrid:
    g = FormGrid("basic_data", fields.FORMS.short("basic_data"), _title(report, "basic_data"),
                 [30, 9, 9, 9, 9, 9, 9], False)
    g.put(1, 1, g.title, TITLE, cols=7)
    g.put(2, 1, f"{T('unit')}：{report.meta.unit_name}", NOTE, "meta.unit_name", cols=4, align="left",
          prefix=f"{T('unit')}：")
    g.put(2, 5, T("basic_unit"), NOTE, cols=3, align="right")
    # 财政供养人员情况
    g.put(3, 1, T("staff"), HEADER, rows=2)
    for c, key in ((2, "staff_authorized"), (4, "staff_actual"), (6, "control_rate")):
        g.put(3, c, T(key), HEADER, cols=2)
    for c, slot in zip((2, 4, 6), staff_slots()):
        value, own = slot.source(report)
        g.put(4, c, value, slot.kind, slot.path, cols=2, field=own)
    # 经费控制情况
    row = 5
    g.put(row, 1, T("funds_control"), HEADER)
    for c, head in zip((2, 4, 6), BASIC_COLUMNS):
        g.put(row, c, head, HEADER, cols=2)
    row += 1
    for frow in basic_fund_rows(report):
        g.put(row, 1, ("　" * frow.indent) + frow.label, LABEL, align="left")
        for c, fslot in zip((2, 4, 6), frow.slots):
            _slot_cell(g, report, row, c, fslot, cols=2)
        row += 1
    # 楼堂馆所控制情况
    g.put(row, 1, T("buildings"), HEADER, rows=2)
    for c, key in enumerate(("approved_scale", "actual_scale", "scale_control", "budget_investment",
                             "actual_investment", "investment_control"), start=2):
        g.put(row, c, T(key), HEADER)
    g.row_heights[row] = 30
    for c, slot in enumerate(building_slots(), start=2):
        value, own = slot.source(report)
        g.put(row + 1, c, value, slot.kind, slot.path, field=own)
    row += 2
    g.put(row, 1, T("frugality"), HEADER)
    g.put(row, 2, report.basic_data.frugality, TEXT, "basic_data.frugality", cols=6, align="left")
    g.row_heights[row] = 80
    row += 1
    g.put(row, 1, T("public_ops_note"), NOTE, cols=7, align="left")
    g.header_rows = 2
    return g


def form_grids(report: Report, include: tuple[str, ...] | None = None) -> list[FormGrid]:
    """Every form of the report (in the order handed in): 部门整体支出绩效自评表, 基础数据表, one
    项目支出绩效自评表 per project."""
    include = forms_for(report) if include is None else include
    out = []
    if "dept_form" in include:
        out.append(dept_form_grid(report))
    if "basic_data" in include:
        out.append(basic_data_grid(report))
    if "project_form" in include:
        out.extend(project_form_grid(report, i) for i in range(len(report.projects)))
    return out


# ---------------------------------------------------------------------- recognising a form by its labels
def row_names(frow: FormRow) -> tuple[str, ...]:
    """Every wording of a figures row (its label, and the vocabulary's other names) for readers."""
    out = [frow.label.replace("其中：", "")]
    for vocab in (fields.INCOME_NATURES, fields.PROJECT_FUND_ROWS, fields.BASIC_DATA_ROWS, fields.FORM_TEXT):
        if frow.key in vocab.codes():
            out += list(vocab._by_code[frow.key].names)
    return tuple(dict.fromkeys(out))


def label_layout(form_id: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(row names, field path per value column) of a form's fixed figures rows — what a reader of a
    unit's own workbook looks for; derived cells have no path ('')."""
    rows = dept_fund_rows() if form_id == "dept_form" else basic_fund_rows(Report())
    out = []
    for frow in rows:
        if frow.heading:
            continue
        paths = tuple((slot.path if slot is not None else "") for slot in frow.slots)
        if any(paths):
            out.append((row_names(frow), paths))
    return out


# ---------------------------------------------------------------------- keyed paths (exact re-import)
_ROW = regex.compile(r"(projects|scoring\.nodes|indicators)\[(\d+)\]")


def keyed_path(report: Report, path: str) -> str:
    """A field path with list rows named by their key instead of their position, so a re-import finds
    the same row even after rows moved: 'projects[2].actual' → 'projects{党建经费}.actual',
    'scoring.nodes[4].weight' → 'scoring.nodes{1.2}.weight'. Keys of prior_year/final_accounts stay as
    they are (those stores are keyed by position, core/next_year.py). Rows without a unique key keep
    their index."""
    if path.startswith(("prior_year[", "final_accounts[")):
        return path
    from .model import PathError, get_value
    out = ""
    pos = 0
    for m in _ROW.finditer(path):
        try:
            rows = get_value(report, path[:m.start()] + m.group(1))
        except PathError:
            rows = None
        index = int(m.group(2))
        key = _row_key(rows, index)
        out += path[pos:m.start()] + m.group(1) + (f"{{{key}}}" if key else f"[{index}]")
        pos = m.end()
    return out + path[pos:]


def _row_key(rows: object, index: int) -> str:
    if not isinstance(rows, list) or not 0 <= index < len(rows):
        return ""
    row = rows[index]
    key = (getattr(row, "id", "") or getattr(row, "name", "") or "").strip()
    if not key or any(ch in key for ch in "{}[]") or \
            sum(1 for r in rows if (getattr(r, "id", "") or getattr(r, "name", "") or "").strip() == key) != 1:
        return ""
    return key


# ---------------------------------------------------------------------- Word appendices (附件1 …)
@record
class AppendixBlock:
    """One appendix for the Word export: 附件N label, title, unit note and the table as rows of cells
    (text, column span, row span, kind) — ready for io/layout.py's table block once it lands."""
    label: str
    title: str
    landscape: bool
    widths: list[float]
    rows: list[list[tuple[str, int, int, str]]]


def appendix_blocks(report: Report, first_number: int = 1) -> list[AppendixBlock]:
    """The forms as Word appendices after the report (附件1, 附件2 …), from the same grids as the workbook.
    Not yet wired into io/docx_export.py (rewritten on branch h-docx); the exporter calls this."""
    from .numbers import to_chinese_numeral  # noqa: F401 - numbering stays Arabic (附件1) per the notices
    out = []
    for n, grid in enumerate(form_grids(report), start=first_number):
        cols = grid.n_cols
        rows: list[list[tuple[str, int, int, str]]] = []
        for r in range(2, grid.n_rows + 1):       # row 1 (the title) is the appendix title
            line = []
            for c in range(1, cols + 1):
                cell = grid.cells.get((r, c))
                if cell is not None:
                    line.append((display(cell), min(cell.cols, cols - c + 1), cell.rows, cell.kind))
            rows.append(line)
        out.append(AppendixBlock(f"附件{n}", grid.title, grid.landscape, grid.widths[:cols], rows))
    return out


# ---------------------------------------------------------------------- paste a block from Excel/WPS
class FormPasteError(ValueError):
    """Why a pasted block was refused (Chinese, names the cell)."""


def paste_changes(rows: list[FormRow], columns: tuple[str, ...], start_row: int, start_col: int,
                  text: str) -> list[FieldChange]:
    """A tab-separated block pasted at figures row ``start_row`` (index into ``rows``, headings included)
    and value column ``start_col`` → FieldChange list, all or nothing. Empty pasted cells change nothing;
    a block reaching a computed cell ("—" or derived) or past the form is refused."""
    from .edits import FieldChange
    from .numbers import NumberParseError, parse_amount, parse_count, parse_measure, parse_score
    parsers: dict[str, Callable[[str], Decimal | int | None]] = {
               AMOUNT: parse_amount, SCORE: parse_score, COUNT: parse_count,
               RATE: lambda t: parse_measure(t)[0], MEASURE: lambda t: parse_measure(t)[0]}
    lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
    changes = []
    r = start_row
    for line in lines:
        while r < len(rows) and rows[r].heading:
            r += 1                              # group label rows (按收入性质分：) hold no figures
        if r >= len(rows):
            raise FormPasteError(f"粘贴的内容超出了表格（共 {len(lines)} 行），未粘贴。")
        frow = rows[r]
        for k, cell in enumerate(line.split("\t")):
            c = start_col + k
            if not cell.strip():
                continue
            where = f"“{frow.label}”的{columns[c] if c < len(columns) else f'第{c + 1}列'}"
            slot = frow.slots[c] if c < len(frow.slots) else None
            if slot is None or not slot.path:
                raise FormPasteError(f"{where}是计算值或不填，不能粘贴“{cell.strip()}”，未粘贴。")
            try:
                value = parsers.get(slot.kind, parse_amount)(cell)
            except NumberParseError as exc:
                raise FormPasteError(f"{where}：{exc}，未粘贴。") from None
            changes.append(FieldChange(slot.path, value, None, "粘贴", where))
        r += 1
    return changes
