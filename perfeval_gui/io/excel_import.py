"""Excel import: figures from our template, a 项目支出绩效自评表 or a 收入支出决算总表.

No Qt. openpyxl/xlrd are imported lazily (start-up time).

Reading order for a file:
1. :func:`check_file` looks at the bytes before any parser sees them: not a zip, truncated
   zip, Word/PowerPoint zip, encrypted (OLE2 with an EncryptionInfo stream), a real .xls
   renamed .xlsx (→ xlrd), declared uncompressed sizes (zip bomb), DTD/entity declarations
   in any XML part (entity-expansion bombs), and it finds which worksheets contain formulas.
   The worksheets are streamed once here, which also verifies their CRC.
2. openpyxl ``read_only=True, data_only=True`` streams rows (defusedxml is active when
   installed; the DTD pre-scan makes the refusal independent of that). Legacy .xls → xlrd.
3. The layout is recognised by header text (see excel_layouts.py); values go through
   core/numbers (parse_amount/parse_count/parse_score/parse_measure) with the sheet's unit
   ("单位：元" → 万元 exactly via yuan_to_wan). Floats become ``Decimal(repr(f))``; a cell's
   number format restores typed trailing zeros (4.00 stays 4.00).
4. A formula without a cached value → a warning naming the cell (never 0/empty).

Merged cells: read-only mode does not expose merged ranges. A merged header is its text in
the top-left cell; labels merged down a column (一级/二级指标) are carried down. Hidden sheets
are skipped with a warning (external layouts) — hidden rows cannot be seen in read-only mode
and are read like visible rows.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator, Sequence

from ..core import fields
from ..core.imports import ImportedValue
from ..core.model import MAX_SCORE_LEVELS, EconLine, FunctionLine, Project, ScoreNode
from ..core.money import decimals_of
from . import excel_layouts as L
from .excel_safety import DETECT_ROWS, ExcelImportError, ImportCancelled, PROGRESS_EVERY  # noqa: F401
from .excel_book import ImportResult, SheetPreview, _Book, _Reader, _Sheet, cell_text, col_letter, detect_unit, parse_coord  # noqa: F401
from .excel_recognise import _after_label, _cell_at, _classify, _fact_value, _form_label, _form_pattern, _header_cols, _looks_numeric, _measure, _parse_final, _parse_self_eval, _rate_percent, _text_at  # noqa: F401

# ====================================================================== public API
def read_workbook(path: Path | str, *, mapping: dict | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  cancel: Callable[[], bool] | None = None) -> ImportResult:
    """Read the figures of a workbook. Raises ExcelImportError / ImportCancelled."""
    path = Path(path)
    with _gc_paused():
        book = _Book(path)
        try:
            sheets = book.sheets()
            run = _Run(path, sheets, progress, cancel)
            if mapping:
                return run.custom(mapping)
            return run.detect_and_read()
        finally:
            book.close()


@contextmanager
def _gc_paused():
    """No cyclic-GC passes while a workbook is read: the import allocates millions of small objects
    and no cycles, and the passes over the growing heap cost ~8 % of a 200,000-row import. The
    sizes are bounded by check_file; collection resumes (and catches up) when the import ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def preview_sheets(path: Path | str, *, max_rows: int = 100, max_cols: int = 26) -> list[SheetPreview]:
    """The first cells of every sheet as text (the mapping step's grid)."""
    path = Path(path)
    book = _Book(path)
    out = []
    try:
        for sheet in book.sheets():
            rows = []
            for i, row in enumerate(sheet.rows()):
                if i >= max_rows:
                    break
                rows.append([cell_text(c.value if c is not None else None) for c in list(row)[:max_cols]])
            while rows and not any(rows[-1]):
                rows.pop()
            out.append(SheetPreview(sheet.name, sheet.hidden, rows))
    finally:
        book.close()
    return out


def header_fingerprint(preview: SheetPreview, rows: int = 8) -> str:
    """A stable key for 'a workbook laid out like this one': the sheet's header texts."""
    import hashlib
    texts = [preview.name]
    for row in preview.rows[:rows]:
        cells = [L.norm_label(text) for text in row]
        if any(_looks_numeric(t) for t in cells if t):
            break          # first data row: the header ends here
        texts.extend(t for t in cells if t)
    return hashlib.sha1("\x1f".join(texts).encode("utf-8")).hexdigest()[:16]


class _Run:
    def __init__(self, path: Path, sheets: list[_Sheet], progress, cancel) -> None:
        self.path = path
        self.sheets = sheets
        self.progress = progress
        self.cancel = cancel
        self.total = sum(s.max_row or 0 for s in sheets)
        self.done = 0
        self.result = ImportResult("", file=path.name)

    # ------------------------------------------------------------ streaming with progress
    def rows(self, sheet: _Sheet) -> Iterator[tuple[int, Sequence[Any]]]:
        n = 0
        for n, row in enumerate(sheet.rows(), start=1):
            if n % PROGRESS_EVERY == 0:
                self.tick(PROGRESS_EVERY)
            yield n, row
        self.tick(n % PROGRESS_EVERY)

    def tick(self, rows: int) -> None:
        self.done += rows
        if self.cancel is not None and self.cancel():
            raise ImportCancelled()
        if self.progress is not None:
            self.progress(self.done, max(self.total, self.done))

    def head(self, sheet: _Sheet, limit: int = DETECT_ROWS) -> list[Sequence[Any]]:
        out = []
        for i, row in enumerate(sheet.rows()):
            if i >= limit:
                break
            out.append(row)
        return out

    # ------------------------------------------------------------ detection
    def detect_and_read(self) -> ImportResult:
        codes = next((s for s in self.sheets if s.name == L.FORMS_CODE_SHEET), None)
        if codes is not None and self.read_forms(codes):
            return self.result
        template = []
        self_eval = []
        final = []
        unit_forms: list[tuple[_Sheet, str]] = []
        heads: dict[str, list] = {}
        for sheet in self.sheets:
            head = self.head(sheet)
            heads[sheet.name] = head
            kind = _classify(sheet.name, head)
            if kind == "template":
                template.append(sheet)
            elif kind == "self_eval":
                self_eval.append(sheet)
            elif kind in ("dept_form", "basic_data"):
                unit_forms.append((sheet, kind))
            elif kind == "final":
                final.append(sheet)
        if template:
            self.result.layout_name = L.LAYOUT_TEMPLATE
            self.read_template(template)
        elif unit_forms:
            self.result.layout_name = L.LAYOUT_FORMS_UNIT + ("、项目支出绩效自评表" if self_eval else "")
            for sheet, kind in unit_forms:
                self.read_unit_form(sheet, kind)
            if self_eval:
                self.read_self_eval(self_eval)
        elif self_eval:
            self.result.layout_name = L.LAYOUT_PROJECT_SELF_EVAL
            self.read_self_eval(self_eval)
        elif final:
            self.result.layout_name = L.LAYOUT_FINAL_ACCOUNTS
            self.read_final(final)
        else:
            raise ExcelImportError(
                f"“{self.path.name}”的表格版式无法识别：没有找到本程序数据模板、项目支出绩效自评表或"
                "收入支出决算总表的表头。可以在导入窗口的“指定对应关系”步骤中，手工指定各数字所在的单元格。",
                unrecognised=True)
        if not self.result.values:
            self.result.warnings.append(f"“{self.path.name}”中没有找到任何已填写的数字。")
        return self.result

    # ------------------------------------------------------------ the forms workbook we export
    def read_forms(self, codes: _Sheet) -> bool:
        """A workbook written by io/forms_xlsx.py: its hidden 字段代码 sheet names the field of every value
        cell, so each figure goes back to its field (rows by their key: project name, indicator id)."""
        entries = []
        for n, row in self.rows(codes):
            texts = [cell_text(c.value) if c is not None and c.value is not None else "" for c in row]
            if n == 1:
                if tuple(texts[:4]) != L.FORMS_CODE_HEADERS[:4]:
                    return False
                continue
            places = texts[4] if len(texts) > 4 else ""
            places = int(places) if places.isdigit() else None
            if len(texts) >= 3 and texts[0] and texts[1] and texts[2]:
                entries.append((texts[0], texts[1], texts[2], texts[3] if len(texts) > 3 else "", places))
            elif len(texts) >= 6 and texts[2] and not texts[1] and row[5] is not None and row[5].value is not None:
                value = _fact_value(texts[2], row[5].value, places)     # a fact the forms do not print
                if value is not None:
                    self.result.values.append(ImportedValue(texts[2], value, f"{codes.name}!A{n}",
                                                            _form_label(texts[2])))
        if not entries:
            return False
        self.result.layout_name = L.LAYOUT_FORMS
        by_sheet: dict[str, list] = {}
        for entry in entries:
            by_sheet.setdefault(entry[0], []).append(entry)
        sheets = {s.name: s for s in self.sheets}
        for name, wanted in by_sheet.items():
            sheet = sheets.get(name)
            if sheet is None:
                self.result.warnings.append(f"工作表“{name}”已被删除或改名，其中的数字未导入。")
                continue
            grid = {n: row for n, row in self.rows(sheet)}
            reader = _Reader(self.result, sheet)
            for _, coord, path, prefix, places in wanted:
                try:
                    r, c = parse_coord(coord)
                except ValueError:
                    continue
                row = grid.get(r)
                cell = _cell_at(row, c) if row is not None else None
                value = self._form_value(reader, cell, r, c, path, prefix, places)
                if value is None or value == "":
                    continue
                self.result.values.append(ImportedValue(path, value, f"{name}!{coord}", _form_label(path)))
        return True

    @staticmethod
    def _form_value(reader: _Reader, cell: Any, r: int, c: int, path: str, prefix: str, places: int | None):
        pattern = _form_pattern(path)
        kind = fields.kind(pattern)
        if kind in (fields.TEXT, fields.NARRATIVE, fields.DATE, fields.CHOICE):
            text = reader.value(cell, r, c, L.TEXT)
            if isinstance(text, str) and prefix and text.startswith(prefix):
                text = text[len(prefix):].strip()
            return text
        if kind == fields.MEASURE:
            value, _unit, text, _dir = _measure(reader, cell, r, c)
            if value is None and text:
                reader.warn(f"{reader.where(r, c)}：这里应是数字，单元格中是“{text}”，此格未导入。")
        else:
            value = reader.value(cell, r, c, {fields.COUNT: L.COUNT, fields.SCORE: L.SCORE}.get(kind, L.MONEY))
        if isinstance(value, Decimal) and places is not None and places != decimals_of(value) and places < 19:
            typed = value.quantize(Decimal(1).scaleb(-places))
            if typed == value:          # shown with 2 decimals (a rate as a fraction): back to the decimals typed
                value = typed
        return value

    # ------------------------------------------------------------ a unit's 部门整体支出绩效自评表 / 基础数据表
    def read_unit_form(self, sheet: _Sheet, form_id: str) -> None:
        """The figures rows by their labels (core/forms.label_layout), the columns by their headers."""
        from ..core import forms as F
        if sheet.hidden:
            self.result.warnings.append(f"工作表“{sheet.name}”是隐藏的，已跳过。")
            return
        rows = [row for _, row in self.rows(sheet)]
        reader = _Reader(self.result, sheet, detect_unit(rows))
        by_label = {L.norm_label(n): paths for names, paths in F.label_layout(form_id) for n in names}
        heads = (F.DEPT_FUND_COLUMNS if form_id == "dept_form" else F.BASIC_COLUMNS)
        wanted = {str(k): (h,) + ((fields.FORM_TEXT.label("score"),) if h == fields.FORM_TEXT.label("dept_score")
                                  else ()) for k, h in enumerate(heads)}
        cols: dict[str, int] | None = None
        found: set[str] = set()
        pending: dict[str, tuple[int, ...]] = {}      # a header row whose values are on the next row
        in_projects = False
        for n, row in enumerate(rows, start=1):
            texts = [(i, L.norm_label(c.value)) for i, c in enumerate(row, start=1)
                     if c is not None and isinstance(c.value, str) and c.value.strip()]
            labels = [t for _, t in texts]
            if pending:
                for key, spec in pending.items():
                    self._unit_cells(reader, sheet, row, n, spec, key)
                pending = {}
                continue
            if form_id == "basic_data":
                heads_at = {t: i for i, t in texts}
                if "编制数" in heads_at:
                    pending["staff"] = tuple(heads_at.get(L.norm_label(fields.FORM_TEXT.label(k)), 0)
                                             for k in ("staff_authorized", "staff_actual", "control_rate"))
                    continue
                if any(t.startswith("批复规模") for t in labels):
                    pending["buildings"] = tuple(next((i for i, t in texts if t.startswith(w)), 0)
                                                 for w in ("批复规模", "实际规模", "", "预算投资", "实际投资"))
                    continue
                hit = next(((i, t) for i, t in texts if t.startswith("厉行节约")), None)
                if hit is not None:
                    label = "厉行节约保障措施" if hit[1].startswith("厉行节约保障措施") else "厉行节约"
                    text = _after_label(row, hit[0], hit[1], label)
                    if text:
                        self.result.values.append(ImportedValue("basic_data.frugality", text,
                                                                f"{sheet.name}!{col_letter(hit[0] + 1)}{n}",
                                                                fields.label("basic_data.frugality")))
                    continue
            if cols is None:
                got = _header_cols(row, wanted, prefix=True)
                if len(got) >= 2:
                    cols = got
                continue
            label = next((t for t in labels if t.replace("其中：", "") in by_label), None)
            if label is None:
                if form_id == "basic_data" and in_projects and labels and labels[0] not in (
                        L.norm_label(fields.PROJECT_CATEGORIES.label(c)) for c in ("business", "maintenance")):
                    self._basic_project_row(reader, sheet, row, n, cols, labels[0])
                continue
            paths = by_label[label.replace("其中：", "")]
            in_projects = form_id == "basic_data" and paths[-1] == "expenditure.project_total"
            if label in found:
                continue
            found.add(label)
            for k, path in enumerate(paths):
                col = cols.get(str(k))
                if not path or not col:
                    continue
                value = self._form_value(reader, _cell_at(row, col), n, col, path, "", None) \
                    if fields.kind(_form_pattern(path)) != fields.MEASURE else \
                    _rate_percent(reader, _cell_at(row, col), n, col)
                if value is not None and value != "":
                    self.result.values.append(ImportedValue(path, value, f"{sheet.name}!{col_letter(col)}{n}",
                                                            _form_label(path)))
        if form_id == "dept_form":
            # the indicator rows read like a 项目支出绩效自评表's; its funds row is the unit's (read above)
            _project, nodes = _parse_self_eval(rows, reader)
            nodes = [nd for nd in nodes if nd.rule != "exec_rate"]
            if nodes:
                self.result.values.append(ImportedValue("scoring.nodes", nodes, sheet.name,
                                                        f"评分表指标（{len(nodes)} 个）"))
            self._dept_goals(rows, sheet)

    def _dept_goals(self, rows, sheet: _Sheet) -> None:
        for n, row in enumerate(rows, start=1):
            texts = {L.norm_label(c.value): i for i, c in enumerate(row, start=1)
                     if c is not None and isinstance(c.value, str) and c.value.strip()}
            if "预期目标" in texts and "实际完成情况" in texts and n < len(rows):
                nxt = rows[n]
                for path, col in (("dept_form.goal_expected", texts["预期目标"]),
                                  ("dept_form.goal_actual", texts["实际完成情况"])):
                    text = _text_at(nxt, col)
                    if text:
                        self.result.values.append(ImportedValue(path, text, f"{sheet.name}!{col_letter(col)}{n + 1}",
                                                                fields.label(path)))
                return

    def _unit_cells(self, reader: _Reader, sheet: _Sheet, row, n: int, spec: tuple[int, ...], key: str) -> None:
        paths = {"staff": ("profile.staff_authorized", "profile.staff_actual", "basic_data.staff_control_rate_stated"),
                 "buildings": ("basic_data.buildings.approved_scale", "basic_data.buildings.actual_scale", "",
                               "basic_data.buildings.budget_investment", "basic_data.buildings.actual_investment")}[key]
        for col, path in zip(spec, paths):
            if not col or not path:
                continue
            kind = fields.kind(path)
            cell = _cell_at(row, col)
            if path.endswith("rate_stated"):
                value = _rate_percent(reader, cell, n, col)
            elif kind == fields.MEASURE:
                value = _measure(reader, cell, n, col)[0]
            else:
                value = reader.value(cell, n, col, L.COUNT if kind == fields.COUNT else L.MONEY)
            if value is not None:
                self.result.values.append(ImportedValue(path, value, f"{sheet.name}!{col_letter(col)}{n}",
                                                        fields.label(path)))

    def _basic_project_row(self, reader: _Reader, sheet: _Sheet, row, n: int, cols: dict[str, int],
                           name: str) -> None:
        """A project listed under 基础数据表 项目支出: its 本年预算 / 本年决算 (matched by name on import)."""
        for k, attr in (("1", "budget_final"), ("2", "actual")):
            col = cols.get(k)
            if not col:
                continue
            value = reader.value(_cell_at(row, col), n, col, L.MONEY)
            if value is not None:
                path = f"projects{{{name}}}.{attr}"
                self.result.values.append(ImportedValue(path, value, f"{sheet.name}!{col_letter(col)}{n}",
                                                        _form_label(path)))

    # ------------------------------------------------------------ our template
    def read_template(self, sheets: list[_Sheet]) -> None:
        by_name = {s.name: s for s in sheets}
        projects: list[Project] = []
        for name in L.TEMPLATE_SHEET_ORDER:
            sheet = by_name.get(name)
            if sheet is None:
                continue
            if sheet.hidden:
                self.result.warnings.append(f"工作表“{name}”是隐藏的，仍按本程序模板读取。")
            if name in L.KV_SHEETS:
                self.read_kv(sheet, L.KV_SHEETS[name])
            else:
                self.read_table(sheet, name, projects)

    def read_kv(self, sheet: _Sheet, fields: list[L.FieldDef]) -> None:
        reader = _Reader(self.result, sheet)
        by_label = {L.norm_label(name): f for f in fields for name in reversed(f.names)}
        cols: dict[str, int] | None = None
        head: list = []
        for n, row in self.rows(sheet):
            if cols is None:
                head.append(row)
                found = _header_cols(row, {"label": ("字段",), "value": ("数值", "金额", "值"),
                                           "code": (L.CODE_HEADER,)})
                if "label" in found and "value" in found:
                    cols = found
                    reader.unit = detect_unit(head)
                continue
            label_text = _text_at(row, cols["label"])
            code = _text_at(row, cols.get("code", 0)) if "code" in cols else ""
            fdef = L.SCALAR_FIELDS.get(code) if code else None
            if fdef is None:
                fdef = by_label.get(L.norm_label(label_text))
            if fdef is None:
                if label_text and _cell_at(row, cols["value"]) is not None:
                    self.result.warnings.append(
                        f"工作表“{sheet.name}”第 {n} 行：字段“{label_text}”不是本程序模板中的字段，已忽略。")
                continue
            vcol = cols["value"]
            value = reader.value(_cell_at(row, vcol), n, vcol, fdef.kind)
            if value is None or value == "":
                continue
            self.result.values.append(ImportedValue(fdef.path, value, f"{sheet.name}!{col_letter(vcol)}{n}",
                                                    fdef.label))

    def read_table(self, sheet: _Sheet, name: str, projects: list[Project]) -> None:
        list_path, columns = L.TABLE_SHEETS[name]
        reader = _Reader(self.result, sheet)
        wanted = {c.attr: (c.header, *c.aliases) for c in columns}
        kinds = {c.attr: c.kind for c in columns}
        cols: dict[str, int] | None = None
        specs: list[tuple[str, int, str]] = []
        head: list = []
        items: list[Any] = []
        first = last = 0
        for n, row in self.rows(sheet):
            if cols is None:
                head.append(row)
                found = _header_cols(row, wanted)
                if len(found) >= 3:
                    cols = found
                    specs = [(attr, col, kinds[attr]) for attr, col in cols.items()]
                    reader.unit = detect_unit(head)
                continue
            values = {}
            empty = True
            width = len(row)
            for attr, col, kind in specs:
                if col > width:
                    continue
                cell = row[col - 1]
                raw = cell.value
                if raw is None:
                    if reader._is_formula(n, col):
                        reader.value(cell, n, col, kind)
                    continue
                empty = False
                values[attr] = reader.convert(raw, cell, n, col, kind)
            if empty:
                continue
            firsttext = next((v for v in values.values() if isinstance(v, str) and v), "")
            if firsttext.startswith(L.EXAMPLE_PREFIXES):
                continue
            item = self._make_item(name, values, sheet.name, n, projects)
            if item is None:
                continue
            items.append(item)
            first = first or n
            last = n
        if cols is None:
            self.result.warnings.append(f"工作表“{sheet.name}”没有找到表头行，已跳过。")
            return
        if not items:
            return
        maxcol = col_letter(max(cols.values()))
        if name == "项目":
            projects.extend(items)
            self.result.values.append(ImportedValue(list_path, items, f"{sheet.name}!A{first}:{maxcol}{last}",
                                                    f"项目（{len(items)} 个）"))
        elif name in ("功能分类", "经济分类"):
            self.result.values.append(ImportedValue(list_path, items, f"{sheet.name}!A{first}:{maxcol}{last}",
                                                    f"{L.LIST_LABELS[list_path]}（{len(items)} 行）"))
        else:
            nodes = [node for node in items if node is not _ATTACHED]
            if nodes:
                self.result.values.append(ImportedValue(list_path, nodes, f"{sheet.name}!A{first}:{maxcol}{last}",
                                                        f"评分表指标（{len(nodes)} 个）"))

    def _make_item(self, name: str, v: dict, sheet: str, n: int, projects: list[Project]) -> Any:
        def s(key: str) -> str:
            x = v.get(key)
            return x if isinstance(x, str) else ""

        if name == "项目":
            kind_text = s("kind")
            kind = fields.PROJECT_KINDS.code_for(kind_text) if kind_text else None
            if kind is None:
                if kind_text:
                    self.result.warnings.append(
                        f"工作表“{sheet}”第 {n} 行：项目类型“{kind_text}”无法识别，按“年初预算项目”导入。")
                kind = "initial"
            return Project(name=s("name"), kind=kind, budget_initial=v.get("budget_initial"),
                           budget_adjustment=v.get("budget_adjustment"), budget_final=v.get("budget_final"),
                           actual=v.get("actual"), carryover=v.get("carryover"),
                           carryover_prior=v.get("carryover_prior"), fund_source=s("fund_source"),
                           self_score=v.get("self_score"), deviation_reason=s("deviation_reason"))
        if name == "功能分类":
            return FunctionLine(code=s("code"), name=s("name"), amount=v.get("amount"))
        if name == "经济分类":
            scope_text = s("scope")
            scope = fields.ECON_SCOPES.code_for(scope_text)
            if scope is None:
                self.result.warnings.append(
                    f"工作表“{sheet}”第 {n} 行：口径“{scope_text}”无法识别（应为 基本支出/项目支出/合计），按“项目支出”导入。")
                scope = "project"
            return EconLine(scope=scope, code=s("code"), name=s("name"), amount=v.get("amount"))
        # 评分表
        level = v.get("level")
        # a row without 编号 gets one (its row number) so that the table stays a tree; levels 1–4
        node = ScoreNode(id=s("id") or f"行{n}", level=min(max(level, 1), MAX_SCORE_LEVELS)
                         if isinstance(level, int) else 3, name=s("name"),
                         parent_id=s("parent_id"), weight=v.get("weight"), rule=s("rule") or "manual",
                         target=v.get("target"), achieved=v.get("achieved"), target_text=s("target_text"),
                         achieved_text=s("achieved_text"), unit=s("unit"), direction=s("direction") or "≥",
                         tier=s("tier"), score_stated=v.get("score_stated"),
                         deviation_reason=s("deviation_reason"))
        owner = s("project")
        if owner:
            target = next((p for p in projects if p.name == owner), None)
            if target is None:
                self.result.warnings.append(
                    f"工作表“{sheet}”第 {n} 行：所属项目“{owner}”不在“项目”工作表中，此指标未导入。")
                return None
            target.indicators.append(node)
            return _ATTACHED
        return node

    # ------------------------------------------------------------ 项目支出绩效自评表
    def read_self_eval(self, sheets: list[_Sheet]) -> None:
        projects: list[Project] = []
        nodes: list[ScoreNode] = []
        sources = []
        for sheet in sheets:
            if sheet.hidden:
                self.result.warnings.append(f"工作表“{sheet.name}”是隐藏的，已跳过。")
                continue
            rows = [row for _, row in self.rows(sheet)]
            reader = _Reader(self.result, sheet, detect_unit(rows))
            project, sheet_nodes = _parse_self_eval(rows, reader)
            if project is not None:
                projects.append(project)
            else:
                nodes.extend(sheet_nodes)
            sources.append(sheet.name)
        if projects:
            self.result.values.append(ImportedValue("projects", projects, "、".join(sources),
                                                    f"项目（自评表 {len(projects)} 个）"))
        if nodes:
            self.result.values.append(ImportedValue("scoring.nodes", nodes, "、".join(sources),
                                                    f"评分表指标（{len(nodes)} 个）"))

    # ------------------------------------------------------------ 收入支出决算总表
    def read_final(self, sheets: list[_Sheet]) -> None:
        seen: set[str] = set()
        for sheet in sheets:
            if sheet.hidden:
                self.result.warnings.append(f"工作表“{sheet.name}”是隐藏的，已跳过。")
                continue
            rows = [row for _, row in self.rows(sheet)]
            reader = _Reader(self.result, sheet, detect_unit(rows, default="元"))
            for path, value, n, col in _parse_final(rows, reader):
                if path in seen:
                    continue
                seen.add(path)
                self.result.values.append(ImportedValue(path, value, f"{sheet.name}!{col_letter(col)}{n}",
                                                        L.field_label(path)))

    # ------------------------------------------------------------ 自定义映射
    def custom(self, mapping: dict) -> ImportResult:
        self.result.layout_name = L.LAYOUT_CUSTOM
        sheet_name = mapping.get("sheet")
        sheet = next((s for s in self.sheets if s.name == sheet_name), None)
        if sheet is None:
            raise ExcelImportError(f"“{self.path.name}”中没有工作表“{sheet_name}”。")
        wanted: dict[tuple[int, int], str] = {}
        for fpath, coord in (mapping.get("cells") or {}).items():
            try:
                wanted[parse_coord(coord)] = fpath
            except ValueError:
                self.result.warnings.append(f"对应关系中的单元格地址“{coord}”无效（字段 {L.field_label(fpath)}）。")
        if not wanted:
            return self.result
        max_row = max(r for r, _ in wanted)
        unit = mapping.get("unit") or ""
        reader = _Reader(self.result, sheet, unit if unit in ("元", "万元") else detect_unit(self.head(sheet)))
        found: list[ImportedValue] = []
        visited: set[tuple[int, int]] = set()
        for n, row in self.rows(sheet):
            for (r, c), fpath in wanted.items():
                if r != n:
                    continue
                visited.add((r, c))
                fdef = L.SCALAR_FIELDS.get(fpath)
                if fdef is None:
                    continue
                value = reader.value(row[c - 1] if c - 1 < len(row) else None, n, c, fdef.kind)
                if value is None or value == "":
                    self.result.warnings.append(f"{reader.where(n, c)}（{fdef.label}）是空的，未导入。")
                    continue
                found.append(ImportedValue(fpath, value, f"{sheet.name}!{col_letter(c)}{n}", fdef.label))
            if n >= max_row:
                break
        for (r, c), fpath in wanted.items():
            if (r, c) not in visited:
                self.result.warnings.append(f"{reader.where(r, c)}（{L.field_label(fpath)}）是空的，未导入。")
        self.result.values.extend(found)
        return self.result


_ATTACHED = object()
