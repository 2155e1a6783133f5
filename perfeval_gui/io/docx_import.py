"""Read a report back from a .docx.

* A file this program exported carries the full model (customXml part, root
  ``{urn:perfeval:report-model:1}perfevalReport``): it is read back exactly.
* Without it (the custom part was dropped by another editor, or the report was written by hand in
  the same template) a best-effort parse recovers: unit and year from the title / 盖章 line;
  sections by position and keywords; narrative paragraphs into slots; headings as written into
  ``report.headings``; figure-table cells tagged with ``pe_…`` bookmarks; the short5 income /
  expenditure sentences, staff sentence, duties and project-list lines; the score and grade of 九.

Problems raise :class:`DocxReadError` with a Chinese message naming the file.
"""
from __future__ import annotations

import difflib
import json
import re
import typing
import zipfile
from dataclasses import fields, is_dataclass
from decimal import Decimal
from pathlib import Path

from ..core.model import Project, Report, new_item, set_value, split_path
from ..core.numbers import NumberParseError, parse_amount, parse_count, parse_score
from ..core.template import APPENDIX_TITLE, Slot, Template, get_template
from . import docx_style as S

MAX_DOCX_BYTES = 200 * 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class DocxReadError(Exception):
    """A .docx cannot be read; ``str()`` is the Chinese message for the officer."""


# ---------------------------------------------------------------- entry point
def import_docx(path: str | Path) -> Report:
    path = Path(path)
    name = path.name
    try:
        if path.is_dir():
            raise DocxReadError(f"“{path}”是一个文件夹，不是 Word 文件。")
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except DocxReadError:
        raise
    except FileNotFoundError:
        raise DocxReadError(f"找不到文件“{path}”。") from None
    except OSError as exc:
        raise DocxReadError(f"无法读取“{path}”：{exc.strerror or exc}") from None
    if size == 0:
        raise DocxReadError(f"“{name}”是空文件，不是 Word 文件。")
    if size > MAX_DOCX_BYTES:
        raise DocxReadError(f"“{name}”有 {size // (1024 * 1024)} MB，过大，不像一份自评报告。")
    if head == OLE2_MAGIC:
        raise DocxReadError(
            f"“{name}”是加密（设置了打开密码）的 Word 文件，或旧版 .doc 格式。"
            "请在 Word/WPS 中取消密码，或“另存为”.docx 后再导入。")
    if not head.startswith(b"PK"):
        raise DocxReadError(f"“{name}”不是 Word .docx 文件（文件头不是 ZIP 格式）。")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                raise DocxReadError(f"“{name}”是 ZIP 文件，但不是 Word 文档（缺少 word/document.xml）。")
            payload = _embedded_payload(zf, names)
            if payload is not None:
                return _report_from_payload(payload, name)
            document_xml = zf.read("word/document.xml")
    except DocxReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, ValueError, OSError) as exc:
        raise DocxReadError(f"“{name}”已损坏，无法打开（{type(exc).__name__}）。"
                            "请用 Word/WPS 打开并重新保存后再试。") from None
    return parse_document_xml(document_xml, name)


def _embedded_payload(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    for item in sorted(n for n in names if n.startswith("customXml/item") and "Props" not in n):
        raw = zf.read(item)
        if S.MODEL_NS.encode() not in raw:
            continue
        try:
            root = etree.fromstring(raw, parser)
        except etree.XMLSyntaxError:
            continue
        if root.tag == f"{{{S.MODEL_NS}}}{S.MODEL_ROOT}":
            return root.text or ""
    return None


def _report_from_payload(payload: str, name: str) -> Report:
    from .project_file import ProjectFileError, data_to_report

    try:
        data = json.loads(payload, parse_float=str)
    except (json.JSONDecodeError, RecursionError, ValueError):
        raise DocxReadError(f"“{name}”中嵌入的报告数据已损坏，无法读取。") from None
    try:
        return data_to_report(data, Path(name))
    except ProjectFileError as exc:
        raise DocxReadError(f"“{name}”中嵌入的报告数据有误：{exc}") from None


# ---------------------------------------------------------------- document text
def _paragraph_text(p, w) -> str:
    out = []
    for node in p.iter(f"{w}t", f"{w}tab", f"{w}br", f"{w}instrText"):
        if node.tag == f"{w}t":
            out.append(node.text or "")
        elif node.tag == f"{w}tab":
            out.append("\t")
    return "".join(out)


def _read_blocks(document_xml: bytes, name: str):
    """Body paragraphs (text) in order, plus bookmark name → cell text for tables."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(document_xml, parser)
    except etree.XMLSyntaxError as exc:
        raise DocxReadError(f"“{name}”的正文 XML 已损坏（{exc.msg}）。") from None
    w = f"{{{W_NS}}}"
    body = root.find(f"{w}body")
    if body is None:
        raise DocxReadError(f"“{name}”没有正文。")
    paragraphs: list[str] = []
    bookmarks: dict[str, str] = {}
    for block in body:
        if block.tag == f"{w}p":
            paragraphs.append(_paragraph_text(block, w))
        elif block.tag == f"{w}tbl":
            for p in block.iter(f"{w}p"):
                for bm in p.iter(f"{w}bookmarkStart"):
                    bm_name = bm.get(f"{w}name") or ""
                    if bm_name.startswith(S.BOOKMARK_PREFIX):
                        bookmarks[bm_name] = _paragraph_text(p, w).strip()
    return paragraphs, bookmarks


# ---------------------------------------------------------------- bookmarks → field paths
def decode_bookmark(name: str) -> str | None:
    """'pe_projects_2_actual' → 'projects[2].actual', resolved against the model's field names."""
    if not name.startswith(S.BOOKMARK_PREFIX):
        return None
    tokens = name[len(S.BOOKMARK_PREFIX):].split("_")
    cls: typing.Any = Report
    parts: list[str | int] = []
    i = 0
    while i < len(tokens):
        if tokens[i].isdigit():
            parts.append(int(tokens[i]))
            i += 1
            continue
        if not is_dataclass(cls):
            return None
        hints = typing.get_type_hints(cls)
        names = {f.name for f in fields(cls)}
        for j in range(len(tokens), i, -1):
            candidate = "_".join(tokens[i:j])
            if candidate in names:
                parts.append(candidate)
                tp = hints[candidate]
                if typing.get_origin(tp) is list:
                    tp = typing.get_args(tp)[0]
                cls = tp
                i = j
                break
        else:
            return None
    from ..core.model import join_path
    return join_path(parts)


def _leaf_type(path: str):
    cls: typing.Any = Report
    tp: typing.Any = Report
    for part in split_path(path):
        if isinstance(part, int):
            continue
        tp = typing.get_type_hints(cls)[part]
        if typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        cls = tp
    return tp


def _ensure_items(report: Report, path: str) -> None:
    parts = split_path(path)
    obj: typing.Any = report
    prefix: list = []
    from ..core.model import join_path
    for part in parts[:-1]:
        if isinstance(part, int):
            while len(obj) <= part:
                obj.append(new_item(join_path(prefix)))
            obj = obj[part]
        else:
            obj = getattr(obj, part)
        prefix.append(part)


_KIND_BY_LABEL = {"年初": "initial", "追加": "added", "结转": "carried"}
_SCOPE_BY_LABEL = {"基本支出": "basic", "项目支出": "project", "合计口径": "total"}


def apply_bookmarks(report: Report, bookmarks: dict[str, str]) -> int:
    """Set the tagged figure-table values on ``report``; returns how many were read."""
    count = 0
    for bm_name, text in sorted(bookmarks.items(), key=lambda kv: _natural_key(kv[0])):
        path = decode_bookmark(bm_name)
        if path is None:
            continue
        try:
            tp = _leaf_type(path)
            if path.endswith(".kind"):
                value: typing.Any = _KIND_BY_LABEL.get(text, "initial")
            elif path.endswith(".scope"):
                value = _SCOPE_BY_LABEL.get(text, "project")
            elif tp in (Decimal, Decimal | None) or "Decimal" in str(tp):
                value = parse_amount(text)
            elif tp in (int, int | None) or str(tp) == "int | None":
                value = parse_count(text)
            else:
                value = text
            _ensure_items(report, path)
            set_value(report, path, value)
            count += 1
        except (NumberParseError, KeyError, IndexError, TypeError, ValueError):
            continue
    return count


def _natural_key(text: str):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


# ---------------------------------------------------------------- best-effort parse
from ..core.numbers import CN_NUMERALS as _CN  # noqa: E402
_L1 = re.compile(r"^\s*([一二三四五六七八九十]{1,2}|\d{1,2})\s*[、.．，,]\s*(.+)$")
_L2 = re.compile(r"^\s*[（(]?\s*([一二三四五六七八九十]{1,2})\s*[）)]\s*(.+)$")
_L3 = re.compile(r"^\s*(\d{1,2})\s*[.．、]\s*(.+)$")
_TITLE = re.compile(r"^(?P<unit>.*?)(?P<year>\d{4})\s*年度?.*自评报告")
_STAMP = re.compile(r"单位名称[（(]盖章[)）][:：]\s*(.+)$")
_GARBAGE = re.compile(r"\[bookmark:[^\]]*\]")


def _similar(a: str, b: str) -> float:
    a = re.sub(r"[\s。：:，,“”\"]", "", a)
    b = re.sub(r"[\s。：:，,“”\"]", "", b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if len(a) >= 4 and (a in b or b in a):
        return 0.9
    return difflib.SequenceMatcher(None, a, b).ratio()


def _split_run_in(rest: str) -> tuple[str, str]:
    """'项目组织情况。2021年…' → ('项目组织情况', '2021年…'); a heading may run into its text."""
    m = re.match(r"^(.{2,40}?)[。：:](.*)$", rest)
    if m:
        return m.group(1), m.group(2).strip()
    return rest.strip(), ""


def _match_heading(line, sections, top_index, current_top, current_l2):
    """Best heading match for ``line``: (slot, heading as written, text run into it) or None.

    Candidates: the next two top-level sections (一、 or 3、), children of the current section
    (（一） or 一）), children of the current level-2 slot (1. / 1．); the highest title similarity
    (≥ 0.6) wins, so '3．项目资金管理情况' is 二（二）3 and not 四、资产管理情况.
    """
    best = None
    m = _L1.match(line)
    if m and (m.group(1)[0] in _CN or "、" in line[:4]):
        for idx in range(top_index + 1, min(top_index + 3, len(sections))):
            score = _similar(m.group(2), sections[idx].title)
            if score >= 0.6 and (best is None or score > best[0]):
                best = (score, sections[idx], line.strip(), "")
    if current_top is not None and current_top.children:
        m = _L2.match(line)
        if m:
            head, rest = _split_run_in(m.group(2))
            for child in current_top.children:
                score = max(_similar(head, child.title), _similar(m.group(2), child.title))
                if score >= 0.6 and (best is None or score > best[0]):
                    text = line[: len(line) - len(rest)].rstrip() if rest else line.strip()
                    best = (score, child, re.sub(r"[。：:]$", "", text), rest)
    if current_l2 is not None and current_l2.children:
        m = _L3.match(line)
        if m:
            head, rest = _split_run_in(m.group(2))
            for child in current_l2.children:
                score = max(_similar(head, child.title), _similar(m.group(2), child.title))
                if score >= 0.6 and (best is None or score > best[0]):
                    text = line[: len(line) - len(rest)].rstrip() if rest else line.strip()
                    best = (score, child, re.sub(r"[。：:]$", "", text), rest)
    return None if best is None else best[1:]


def _detect_template(paragraphs: list[str]) -> Template:
    """The outline (of every profile's) whose section titles the document's lines show most; the
    base profile's outline on a tie or when none matches."""
    from ..core.template import outlines
    lines = [p.strip() for p in paragraphs[:400]]
    best, best_score = None, (0, 0.0)
    for template in outlines().values():
        titles = [re.sub(r"[（(].*?[）)]$", "", s.title) for s in template.sections]
        found = sum(1 for t in titles if any(t and t in line[: len(t) + 8] for line in lines))
        score = (found, found / len(titles))
        if score > best_score:
            best, best_score = template, score
    return best if best is not None else get_template("")


def parse_document_xml(document_xml: bytes, name: str = "") -> Report:
    paragraphs, bookmarks = _read_blocks(document_xml, name)
    return parse_paragraphs(paragraphs, bookmarks)


def parse_paragraphs(paragraphs: list[str], bookmarks: dict[str, str] | None = None) -> Report:
    """Best-effort: a hand-written report in one of the two templates → Report."""
    lines = [_GARBAGE.sub("", p).strip() for p in paragraphs]
    lines = [p for p in lines if p]
    template = _detect_template(lines)
    report = Report()
    report.meta.template = template.id
    sections = list(template.sections)
    # (slot id, lines) in document order
    chunks: list[tuple[str, list[str]]] = [("", [])]
    current_top: Slot | None = None
    current_l2: Slot | None = None
    top_index = -1
    in_appendix = False
    for line in lines:
        if in_appendix:
            continue
        if current_top is None:
            m = _TITLE.match(line)
            if m and not report.meta.unit_name:
                report.meta.unit_name = m.group("unit").strip()
                report.meta.fiscal_year = int(m.group("year"))
                continue
            m = _STAMP.search(line)
            if m:
                report.meta.unit_name = m.group(1).strip()
                continue
        if line.replace(" ", "") == APPENDIX_TITLE:
            in_appendix = True
            continue
        hit = _match_heading(line, sections, top_index, current_top, current_l2)
        if hit is not None:
            slot, heading_text, rest = hit
            if slot.level == 1:
                top_index = sections.index(slot)
                current_top, current_l2 = slot, None
            elif slot.level == 2:
                current_l2 = slot
            report.headings[slot.id] = heading_text
            chunks.append((slot.id, [rest] if rest else []))
            continue
        chunks[-1][1].append(line)

    for slot_id, slot_lines in chunks:
        if not slot_id:
            continue
        slot = template.slot(slot_id)
        remaining = _extract_generated(report, template, slot, slot_lines)
        if remaining:
            existing = report.narrative.get(slot_id)
            text = "\n".join(remaining)
            report.narrative[slot_id] = f"{existing}\n{text}" if existing else text
    # headings equal to the template wording are not "as written" information worth keeping
    from ..core.template import numbered_heading
    for slot_id in list(report.headings):
        slot = template.slot(slot_id)
        if slot is not None and report.headings[slot_id] == numbered_heading(slot):
            del report.headings[slot_id]
    _extract_grade(report)
    if not any("income_sentence" in slot.parts for slot in template.slots()):
        _extract_labelled_amounts(report)     # the narrative restates the figures (no generated sentences)
    if report.meta.fiscal_year is None:
        m = re.search(r"(20\d\d)年度?", "\n".join(report.narrative.values()))
        if m:
            report.meta.fiscal_year = int(m.group(1))
    if bookmarks:
        apply_bookmarks(report, bookmarks)
    return report


# ---------------------------------------------------------------- generated parts, read back
_STAFF = re.compile(r"编制人数\s*(\d+)\s*人.*?实有人数\s*(\d+)\s*人(?:.*?内设科室\s*(\d+|[一二三四五六七八九十]+)\s*个[，,]?\s*(?:分别为[:：]\s*(.+?)[。.]?$)?)?")
_INCOME = re.compile(r"^(\d{4})年预算收入\s*([\d.,]+)\s*万元(?:[，,]其中年初预算\s*([\d.,]+)\s*万元)?"
                     r"(?:[，,]调整追加\s*([-\d.,]+)\s*万元)?[。.]?(?:其他资金来源\s*([\d.,]+)\s*万元[。.]?)?$")
_EXPEND = re.compile(r"^(\d{4})年支出\s*([\d.,]+)\s*万元(?:[，,]其中基本支出\s*([\d.,]+)\s*万元)?"
                     r"(?:[，,]项目支出\s*([\d.,]+)\s*万元)?(?:[，,]结余结转\s*([\d.,]+)\s*万元)?[。.]?$")
_LIST = re.compile(r"^\s*\d\s*[．.、]\s*(年初预算项目|年中追加项目|上年结转项目)(.+?)。?项目实施及绩效情况如下[:：]?$")
_CLAUSE = re.compile(r"^(?P<name>.+?)(?:金额|预算)?(?P<budget>\d[\d.,]*)万元[，,]\s*实际支出(?P<actual>\d[\d.,]*)万元"
                     r"(?:[，,]\s*结余结转(?P<carry>\d[\d.,]*)万元)?$")
_SUBITEM = re.compile(r"^\s*[（(]\s*(\d{1,2})\s*[）)]\s*(.+)$")
_DUTY_PAREN = re.compile(r"^\s*[（(]([一二三四五六七八九十]{1,3})[）)]\s*(.+)$")


def _amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return parse_amount(text)
    except NumberParseError:
        return None


def _extract_generated(report: Report, template: Template, slot: Slot | None, lines: list[str]) -> list[str]:
    """Take the lines the exporter generates for ``slot`` into the model; return the rest (narrative)."""
    if slot is None:
        return lines
    parts = slot.parts
    rest: list[str] = []
    project_mode = False
    group_projects: list[Project] = []
    current_project: Project | None = None
    for line in lines:
        if "staff_sentence" in parts:
            m = _STAFF.search(line)
            if m and "编制人数" in line:
                report.profile.staff_authorized = int(m.group(1))
                report.profile.staff_actual = int(m.group(2))
                if m.group(3):
                    report.profile.declared_org_unit_count = parse_count(m.group(3))
                if m.group(4):
                    from ..core.model import OrgUnit
                    report.profile.org_units = [OrgUnit(name=n.strip()) for n in re.split(r"[、,，]", m.group(4))
                                                if n.strip()]
                continue
        if "duties_paren" in parts:
            m = _DUTY_PAREN.match(line)
            if m:
                report.profile.duties.append(m.group(2).strip())
                continue
        if "income_sentence" in parts:
            m = _INCOME.match(line)
            if m:
                report.meta.fiscal_year = report.meta.fiscal_year or int(m.group(1))
                report.income.budget_total = _amount(m.group(2))
                report.income.budget_initial = _amount(m.group(3))
                report.income.budget_adjustment = _amount(m.group(4))
                report.income.other_sources = _amount(m.group(5))
                continue
        if "expenditure_sentence" in parts:
            m = _EXPEND.match(line)
            if m:
                report.expenditure.total = _amount(m.group(2))
                report.expenditure.basic = _amount(m.group(3))
                report.expenditure.project_total = _amount(m.group(4))
                report.expenditure.carryover_end = _amount(m.group(5))
                continue
        if "project_lists" in parts:
            m = _LIST.match(line)
            if m:
                kind = {"年初预算项目": "initial", "年中追加项目": "added", "上年结转项目": "carried"}[m.group(1)]
                group_projects = []
                for clause in re.split(r"[；;]", m.group(2)):
                    c = _CLAUSE.match(clause.strip())
                    if not c:
                        continue
                    budget = _amount(c.group("budget"))
                    project = Project(name=c.group("name").strip(), kind=kind,
                                      actual=_amount(c.group("actual")), carryover=_amount(c.group("carry")))
                    if kind == "added":
                        project.budget_adjustment = budget
                    else:
                        project.budget_initial = budget
                    report.projects.append(project)
                    group_projects.append(project)
                project_mode = True
                current_project = None
                continue
            if project_mode:
                m = _SUBITEM.match(line)
                if m:
                    title = m.group(2).strip()
                    current_project = next((p for p in group_projects if p.name and p.name in title), None)
                    if current_project is None and group_projects:
                        idx = int(m.group(1)) - 1
                        current_project = group_projects[idx] if 0 <= idx < len(group_projects) else None
                    if current_project is not None:
                        continue
                if current_project is not None:
                    current_project.purpose = (current_project.purpose + "\n" + line) if current_project.purpose \
                        else line
                    continue
        if "duties_dot" in parts:
            m = _L3.match(line)
            if m:
                report.profile.duties.append(m.group(2).strip())
                continue
        if "org_units" in parts:
            m = re.match(r"^\s*\d{1,2}\s*[.．、]\s*([^：:]{2,20})[：:](.+)$", line)
            if m:
                from ..core.model import OrgUnit
                report.profile.org_units.append(OrgUnit(name=m.group(1).strip(), duties=m.group(2).strip()))
                continue
        rest.append(line)
    return rest


_GRADE = re.compile(r"得分\s*(\d+(?:\.\d+)?)\s*分[，,]?\s*(?:评价)?等级为?\s*[“\"]?([优良中差])")


def _extract_grade(report: Report) -> None:
    for slot_id in ("九", "四", "五"):
        text = report.narrative.get(slot_id, "")
        m = _GRADE.search(text)
        if m:
            report.self_eval.score_stated = parse_score(m.group(1))
            report.self_eval.grade_stated = m.group(2)
            return


_LABELLED = (
    (r"(?:纳入财政绩效自评的资金|整体支出)\s*(\d[\d.]*)万元[，,]其中基本支出", "expenditure.total"),
    (r"其中基本支出\s*(\d[\d.]*)万元", "expenditure.basic"),
    (r"[，,]\s*项目支出\s*(\d[\d.]*)万元", "expenditure.project_total"),
    (r"人员经费支出\s*(\d[\d.]*)万元", "expenditure.personnel"),
    (r"日常公用经费支出\s*(\d[\d.]*)万元", "expenditure.public_ops"),
    (r"“三公”\s*经费支出\s*(\d[\d.]*)万元", "three_public.total_stated"),
    (r"公务接待费支出\s*(\d[\d.]*)万元", "three_public.reception.actual"),
)


def _extract_labelled_amounts(report: Report) -> None:
    """hunan9 narrative restates the unit's figures: take the first labelled amount of each kind
    (the text stays as written; NAR-01 compares it with the figures)."""
    text = "\n".join(report.narrative.get(k, "") for k in ("一.四", "二.一.1", "二.一.2", "五"))
    for pattern, path in _LABELLED:
        m = re.search(pattern, text)
        if m:
            value = _amount(m.group(1))
            if value is not None:
                set_value(report, path, value)
