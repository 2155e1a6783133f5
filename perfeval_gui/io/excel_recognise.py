"""Excel import, step 3: recognising the layouts by their header text — the 项目支出绩效自评表, the
收入支出决算总表, the submission forms — and reading their rows. No Qt."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from collections.abc import Iterator, Sequence

from ..core import fields
from ..core.model import Project, ScoreNode
from ..core.numbers import (NumberParseError, normalise_text, parse_measure)
from . import excel_layouts as L
from .excel_book import _Reader, _number_decimal, cell_text

def _fact_value(path: str, raw: Any, places: int | None) -> Any:
    """A literal from the 字段代码 sheet's 值 column, typed by the field registry (None: unusable)."""
    pattern = _form_pattern(path)
    kind = fields.kind(pattern)
    text = cell_text(raw).strip()
    if kind in (fields.COUNT, fields.YEAR) or pattern.endswith(".level"):
        return int(text) if text.lstrip("-").isdigit() and len(text) < 12 else None
    if kind in (fields.AMOUNT, fields.SCORE, fields.MEASURE):
        try:
            value = Decimal(text)
        except ArithmeticError:
            return None
        if not value.is_finite() or abs(value.adjusted()) > 18:
            return None
        return value
    return text


def _form_pattern(path: str) -> str:
    """The registry pattern of a (keyed) form path: 'projects{名}.form.fiscal.actual' →
    'projects[].form.fiscal.actual'; 'prior_year[…]' → the figure it is the 上年数 of."""
    m = re.fullmatch(r"(?:prior_year|final_accounts)\[(.+)\]", path)
    if m:
        path = m.group(1)
    return re.sub(r"\{[^{}]*\}|\[\d+\]", "[]", path)


def _form_label(path: str) -> str:
    m = re.fullmatch(r"(prior_year|final_accounts)\[(.+)\]", path)
    if m:
        return ("上年数：" if m.group(1) == "prior_year" else "决算数：") + _form_label(m.group(2))
    owner = re.match(r"projects\{([^{}]*)\}", path)
    label = fields.label(_form_pattern(path))
    return f"项目“{owner.group(1)}”的{label}" if owner else label


# ====================================================================== helpers for layouts
def _cell_at(row: Sequence[Any], col: int) -> Any:
    return row[col - 1] if 0 < col <= len(row) else None


def _text_at(row: Sequence[Any], col: int) -> str:
    cell = _cell_at(row, col)
    return cell_text(cell.value) if cell is not None and cell.value is not None else ""


def _header_cols(row: Sequence[Any], wanted: dict[str, tuple[str, ...]], prefix: bool = False) -> dict[str, int]:
    """Columns (1-based) whose header text matches one of the wanted names."""
    out: dict[str, int] = {}
    for idx, cell in enumerate(row, start=1):
        v = cell.value if cell is not None else None
        if not isinstance(v, str):
            continue
        t = L.norm_label(v)
        for key, names in wanted.items():
            if key in out:
                continue
            if any(t == L.norm_label(nm) or (prefix and t.startswith(L.norm_label(nm))) for nm in names):
                out[key] = idx
                break
    return out


def _row_texts(row: Sequence[Any]) -> list[str]:
    return [L.norm_label(c.value) for c in row if c is not None and isinstance(c.value, str)]


def _classify(name: str, head: list[Sequence[Any]]) -> str:
    texts = {t for row in head for t in _row_texts(row)}
    if name in L.TEMPLATE_SHEET_ORDER:
        if name in L.KV_SHEETS and L.CODE_HEADER in texts and "字段" in texts:
            return "template"
        if name in L.TABLE_SHEETS:
            headers = {L.norm_label(c.header) for c in L.TABLE_SHEETS[name][1]}
            if len(headers & texts) >= 3:
                return "template"
    if any(t.startswith(("按收入性质分", "年度预算申请")) for t in texts) or \
            any(t.endswith("部门整体支出绩效自评表") for t in texts):
        return "dept_form"
    if "经费控制情况" in texts or any(t.endswith("基础数据表") for t in texts):
        return "basic_data"
    if "三级指标" in texts or ("项目名称" in texts and any(t.startswith(("年初预算数", "全年执行数"))
                                                          for t in texts)):
        return "self_eval"
    labels = {lab for names, _ in L.FINAL_ACCOUNTS_LABELS for lab in names}
    hits = len(texts & labels) + sum(1 for t in texts if "决算" in t)
    if hits >= 2 and any(t in labels for t in texts):
        return "final"
    return ""


_DIRECTION = {"≥": "≥", ">=": "≥", "＞=": "≥", "正向": "≥", "正向指标": "≥", ">": "≥", "＞": "≥",
              "≤": "≤", "<=": "≤", "反向": "≤", "反向指标": "≤", "<": "≤", "＜": "≤",
              "=": "=", "＝": "=", "定性": "qual", "定性指标": "qual"}


def _measure(reader: _Reader, cell: Any, n: int, col: int) -> tuple[Decimal | None, str, str, str]:
    """An indicator value → (number, unit, text as written, direction from a ≥/≤ prefix)."""
    raw = cell.value if cell is not None else None
    if raw is None:
        if cell is not None and reader._is_formula(n, col):
            reader.value(cell, n, col, L.SCORE)
        return None, "", "", ""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        fmt = getattr(cell, "number_format", "") or ""
        value = _number_decimal(raw, fmt)
        if "%" in fmt:
            return value.scaleb(2), "%", f"{value.scaleb(2)}%", ""
        return value, "", cell_text(raw), ""
    text = cell_text(raw)
    s = normalise_text(text).replace(" ", "")
    direction = ""
    for prefix in ("≥", ">=", "≤", "<=", "＞", "＜", ">", "<", "=", "＝"):
        if s.startswith(prefix):
            direction, s = _DIRECTION[prefix], s[len(prefix):]
            break
    try:
        value, unit = parse_measure(s)
    except NumberParseError:
        return None, "", text, "qual" if not direction else direction
    return value, unit, text, direction


_FORM_LABELS = {"项目名称", "主管部门", "实施单位", "项目负责人", "财务负责人", "填表人", "联系电话", "填报日期",
                "填表日期", "自评等级"}


def _after_label(row: Sequence[Any], i: int, text: str, label: str) -> str:
    """The value of a 'label：value' cell, else the next non-empty text to its right (not another label)."""
    rest = text[len(label):].lstrip("：:").strip()
    if rest:
        return rest
    for c in row[i:]:
        value = cell_text(c.value).strip() if c is not None and c.value is not None else ""
        if value:
            return "" if L.norm_label(value).rstrip("：:") in _FORM_LABELS else value
    return ""


_PEOPLE = {"项目负责人": "lead", "财务负责人": "finance_lead", "填表人": "filler", "联系电话": "phone",
           "填报日期": "date", "填表日期": "date"}


def _rate_percent(reader: _Reader, cell: Any, n: int, col: int) -> Decimal | None:
    """A stated 执行率 in %: '91.50%' → 91.50; 0.915 in a % cell → 91.50; a bare fraction ≤ 1.5 → ×100."""
    value, unit, _text, _dir = _measure(reader, cell, n, col)
    if value is None:
        return None
    fmt = getattr(cell, "number_format", "") or ""
    if unit != "%" and "%" not in fmt and abs(value) <= Decimal("1.5"):
        value = value.scaleb(2)
    return value


def _parse_self_eval(rows: list[Sequence[Any]], reader: _Reader) -> tuple[Project | None, list[ScoreNode]]:
    name = ""
    budget_cols: dict[str, int] | None = None
    ind_cols: dict[str, int] | None = None
    project = Project(kind="")        # the form states no kind: merging keeps the report's (imports.py)
    form = project.form
    nodes: list[ScoreNode] = []
    l1_ids: dict[str, str] = {}
    l2_ids: dict[tuple[str, str], str] = {}
    cur_l1 = cur_l2 = ""
    leaf_count: dict[str, int] = {}
    funds_done = after_total = False
    goal_cols: tuple[int, int] | None = None
    sub_rows = {L.norm_label(n): r.code for r in fields.PROJECT_FUND_ROWS.choices for n in r.names}
    for n, row in enumerate(rows, start=1):
        texts = [(i, L.norm_label(c.value)) for i, c in enumerate(row, start=1)
                 if c is not None and isinstance(c.value, str) and c.value.strip()]
        labels = {t for _, t in texts}
        # lines anywhere on the form: 项目负责人 / 财务负责人 / 填表人 / 联系电话 / 填报日期, 自评等级
        for i, t in texts:
            for label, attr in _PEOPLE.items():
                if t.startswith(label) and not getattr(form, attr):
                    setattr(form, attr, _after_label(row, i, t, label))
            if t.startswith("自评等级") and not form.grade_stated:
                form.grade_stated = _after_label(row, i, t, "自评等级")
        if after_total:
            continue
        if not name:
            for i, t in texts:
                if t == "项目名称":
                    name = next((cell_text(c.value) for c in row[i:] if c is not None and
                                 isinstance(c.value, str) and c.value.strip()), "")
        for i, t in texts:
            if t == "主管部门" and not form.supervisor:
                form.supervisor = _after_label(row, i, t, "主管部门")
            elif t == "实施单位" and not form.implementer:
                form.implementer = _after_label(row, i, t, "实施单位")
        if budget_cols is None and ind_cols is None and any(t.startswith(("年初预算数", "全年预算数", "全年执行数"))
                                                             for t in labels):
            budget_cols = _header_cols(row, L.SELF_EVAL_BUDGET_COLS, prefix=True)
            continue
        if "三级指标" in labels:
            ind_cols = _header_cols(row, L.SELF_EVAL_INDICATOR_COLS, prefix=True)
            continue
        if ind_cols is None and ("预期目标" in labels or "年度总体目标" in labels):
            heads = {t: i for i, t in texts}
            if "预期目标" in heads and "实际完成情况" in heads:
                goal_cols = (heads["预期目标"], heads["实际完成情况"])
            elif "年度总体目标" in heads:          # the goal text written beside the label
                rest = [cell_text(row[i - 1].value).strip() for i, t in texts if t != "年度总体目标"]
                if rest and not form.goal_expected:
                    form.goal_expected = rest[0]
                    form.goal_actual = rest[1] if len(rest) > 1 else form.goal_actual
            continue
        if goal_cols is not None and ind_cols is None and not form.goal_expected and not form.goal_actual:
            form.goal_expected = _text_at(row, goal_cols[0])
            form.goal_actual = _text_at(row, goal_cols[1])
            goal_cols = None
            continue
        if ind_cols is None and budget_cols:
            sub = next((sub_rows[t.replace("其中：", "")] for _, t in texts if t.replace("其中：", "") in sub_rows), None)
            if funds_done and sub is not None:
                target = getattr(form, sub)
                for attr in ("budget_initial", "budget_final", "actual"):
                    col = budget_cols.get(attr)
                    if col:
                        setattr(target, attr, reader.value(_cell_at(row, col), n, col, L.MONEY))
                continue
            if not funds_done and (any(t.startswith("年度资金总额") for t in labels) or (
                    _cell_number(row, budget_cols.get("budget_final")) or _cell_number(row, budget_cols.get("actual")))):
                for attr in ("budget_initial", "budget_final", "actual"):
                    col = budget_cols.get(attr)
                    if col:
                        val = reader.value(_cell_at(row, col), n, col, L.MONEY)
                        setattr(project, attr, val)
                rc = budget_cols.get("exec_rate")
                if rc:
                    form.exec_rate_stated = _rate_percent(reader, _cell_at(row, rc), n, rc)
                w = budget_cols.get("weight")
                sc = budget_cols.get("score")
                weight = reader.value(_cell_at(row, w), n, w, L.SCORE) if w else None
                score = reader.value(_cell_at(row, sc), n, sc, L.SCORE) if sc else None
                if weight is not None or score is not None:
                    nodes.append(ScoreNode(id="0", level=1, name="预算执行率", weight=weight, rule="exec_rate",
                                           score_stated=score, direction="≥"))
                funds_done = True
            continue
        if ind_cols is None:
            continue
        if any(t.startswith(("总分", "合计")) for t in labels) and not _text_at(row, ind_cols.get("l3", 0)):
            sc = ind_cols.get("score")
            if sc:
                project.self_score = reader.value(_cell_at(row, sc), n, sc, L.SCORE)
            after_total = True
            continue
        l1 = _text_at(row, ind_cols["l1"]) if "l1" in ind_cols else ""
        l2 = _text_at(row, ind_cols["l2"]) if "l2" in ind_cols else ""
        l3 = _text_at(row, ind_cols["l3"]) if "l3" in ind_cols else ""
        if l1:
            cur_l1, cur_l2 = l1, ""
        if l2:
            cur_l2 = l2
        if not l3:
            continue
        if cur_l1 and cur_l1 not in l1_ids:
            l1_ids[cur_l1] = str(len(l1_ids) + 1)
            nodes.append(ScoreNode(id=l1_ids[cur_l1], level=1, name=cur_l1))
        pid = l1_ids.get(cur_l1, "")
        if cur_l2 and (cur_l1, cur_l2) not in l2_ids:
            sub = sum(1 for k in l2_ids if k[0] == cur_l1) + 1
            l2_ids[(cur_l1, cur_l2)] = f"{pid}.{sub}" if pid else str(sub)
            nodes.append(ScoreNode(id=l2_ids[(cur_l1, cur_l2)], level=2, name=cur_l2, parent_id=pid))
        parent = l2_ids.get((cur_l1, cur_l2), pid)
        leaf_count[parent] = leaf_count.get(parent, 0) + 1
        tcol, acol = ind_cols.get("target", 0), ind_cols.get("achieved", 0)
        target, t_unit, t_text, t_dir = _measure(reader, _cell_at(row, tcol), n, tcol)
        achieved, a_unit, a_text, _ = _measure(reader, _cell_at(row, acol), n, acol)
        direction = _DIRECTION.get(_text_at(row, ind_cols.get("direction", 0)), "") or t_dir or "≥"
        if target is None and t_text:
            direction = "qual"
        rule = {"≥": "ratio_up", "≤": "ratio_down", "qual": "qualitative"}.get(direction, "manual")
        w, sc, rc = ind_cols.get("weight"), ind_cols.get("score"), ind_cols.get("reason")
        nodes.append(ScoreNode(
            id=f"{parent}.{leaf_count[parent]}" if parent else str(leaf_count[parent]), level=3, name=l3,
            parent_id=parent, weight=reader.value(_cell_at(row, w), n, w, L.SCORE) if w else None,
            rule=rule, target=target, achieved=achieved, target_text=t_text, achieved_text=a_text,
            unit=_text_at(row, ind_cols.get("unit", 0)) or t_unit or a_unit, direction=direction,
            score_stated=reader.value(_cell_at(row, sc), n, sc, L.SCORE) if sc else None,
            deviation_reason=_text_at(row, rc) if rc else ""))
    if not name:
        return None, nodes
    project.name = name
    project.indicators = nodes
    return project, nodes


def _cell_number(row: Sequence[Any], col: int | None) -> bool:
    if not col:
        return False
    cell = _cell_at(row, col)
    return cell is not None and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)


def _parse_final(rows: list[Sequence[Any]], reader: _Reader) -> Iterator[tuple[str, Any, int, int]]:
    """收入支出决算总表: label cells → the number to their right (skipping 行次 columns)."""
    label_map = {L.norm_label(lab): path for names, path in L.FINAL_ACCOUNTS_LABELS for lab in names}
    skip_cols: set[int] = set()
    column_fields: dict[int, str] = {}
    for row in rows[:15]:
        for i, c in enumerate(row, start=1):
            t = L.norm_label(c.value) if c is not None else ""
            if t in ("行次", "栏次"):
                skip_cols.add(i)
    header_rows = 0
    for idx, row in enumerate(rows[:15]):
        found = {i: L.FINAL_ACCOUNTS_COLUMN_FIELDS[L.norm_label(c.value)] for i, c in enumerate(row, start=1)
                 if c is not None and L.norm_label(c.value) in L.FINAL_ACCOUNTS_COLUMN_FIELDS}
        if "expenditure.basic" in found.values() and "expenditure.project_total" in found.values():
            column_fields = found
            header_rows = idx + 1
            break
    for n, row in enumerate(rows, start=1):
        cells = list(row)
        for i, c in enumerate(cells, start=1):
            if c is None or not isinstance(c.value, str):
                continue
            t = L.norm_label(c.value)
            if t.startswith("其中："):
                t = t[3:]
            if column_fields and n > header_rows and t in ("合计", "本年支出合计", "支出合计"):
                for col, path in column_fields.items():
                    cell = _cell_at(row, col)
                    value = reader.value(cell, n, col, L.MONEY)
                    if value is not None:
                        yield path, value, n, col
                continue
            path = label_map.get(t)
            if path is None or n <= 1:
                continue
            for j in range(i + 1, len(cells) + 1):
                if j in skip_cols:
                    continue
                cell = cells[j - 1]
                v = cell.value if cell is not None else None
                if v is None:
                    if cell is not None and reader._is_formula(n, j):
                        reader.value(cell, n, j, L.MONEY)
                        break
                    continue
                if isinstance(v, str) and v.strip() and not _looks_numeric(v):
                    break  # next label: this one has no figure
                value = reader.value(cell, n, j, L.MONEY)
                if value is not None:
                    yield path, value, n, j
                break


def _looks_numeric(text: str) -> bool:
    s = normalise_text(text)
    return bool(re.fullmatch(r"[\s(（]*[-+]?[\d,，.]+\s*(万元|元)?[)）]?\s*|[-—–/]+", s))
