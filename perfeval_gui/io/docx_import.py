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
import re
import typing
import zipfile
from dataclasses import fields, is_dataclass
from decimal import Decimal
from pathlib import Path

from ..core import regex
from ..core.records import record
from ..core.model import Project, Report, get_value, new_item, set_value, split_path
from ..core.money import decimals_of, round_half_up
from ..core.serialize import MAX_ITEMS
from ..core.numbers import NumberParseError, parse_amount, parse_count, parse_score
from ..core.template import APPENDIX_TITLE, Slot, Template, get_template
from . import docx_style as S
from .file_head import check_zip_parts, read_head

MAX_DOCX_BYTES = 200 * 1024 * 1024
TABLE_MARK = "\x00table:"          # stands for a hand-typed table in the paragraph flow
MAX_PARTS = 10_000                       # zip members
MAX_UNCOMPRESSED = 512 * 1024 * 1024     # Σ declared sizes of all parts (images included)
MAX_PART_BYTES = 160 * 1024 * 1024       # one XML part (document.xml, the embedded model): a 332-page
                                         # report's document.xml has ~5 MB; the model ≤ 3 × a .pefx
RATIO_MIN_SIZE = 10 * 1024 * 1024
MAX_RATIO = 200                          # Chinese text deflates ~5–10 ×; bombs ≥ 1,000 ×
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class DocxReadError(Exception):
    """A .docx cannot be read; ``str()`` is the Chinese message for the officer."""


# ---------------------------------------------------------------- entry point
@record(frozen=True)
class BodyDifference:
    """An exported file edited in Word: where its body differs from the model embedded in it."""
    path: str
    label: str
    embedded: typing.Any
    body: typing.Any

    def to_json(self) -> dict:
        def text(v):
            return format(v, "f") if isinstance(v, Decimal) else v
        return {"path": self.path, "label": self.label, "embedded": text(self.embedded), "body": text(self.body)}


@record
class DocxImport:
    """What ``read_docx`` found: the report, plus what to show before applying it.

    * a hand-written report: ``items`` = every figure read, with the sentence it came from;
    * an exported file: ``embedded`` is True; ``differences`` = where the body (edited in Word)
      differs from the embedded model; the report takes the body's text and figures."""
    report: Report
    items: list = None
    differences: list = None
    embedded: bool = False

    def __post_init__(self) -> None:
        self.items = list(self.items or [])
        self.differences = list(self.differences or [])


def import_docx(path: str | Path) -> Report:
    return read_docx(path).report


def read_docx(path: str | Path) -> DocxImport:
    path = Path(path)
    name = path.name
    size, head = read_head(path, "Word 文件", DocxReadError)
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
            _prescan(zf, name)
            payload = _embedded_payload(zf, names, name)
            document_xml = _read_part(zf, "word/document.xml", MAX_PART_BYTES, name)
    except DocxReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, ValueError, OSError) as exc:
        raise DocxReadError(f"“{name}”已损坏，无法打开（{type(exc).__name__}）。"
                            "请用 Word/WPS 打开并重新保存后再试。") from None
    if payload is not None:
        embedded = _report_from_payload(payload, name)
        report, differences = merge_body(embedded, document_xml, name)
        return DocxImport(report, differences=differences, embedded=True)
    log: list = []
    report = parse_document_xml(document_xml, name, log)
    return DocxImport(report, items=log)


def _prescan(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip bomb before anything is inflated (the declared sizes; _read_part also stops at
    the limit while inflating, should the declared sizes lie)."""
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise DocxReadError(f"“{name}”含有 {len(infos)} 个部件，远超正常的 Word 文件，已拒绝读取。")
    check_zip_parts(infos, name, MAX_UNCOMPRESSED, DocxReadError, "正常的自评报告")
    for info in infos:
        is_text = info.filename.startswith(("word/", "customXml/")) and info.filename.endswith((".xml", ".rels"))
        if is_text and info.file_size > MAX_PART_BYTES:
            raise DocxReadError(
                f"“{name}”中的“{info.filename}”解压后有 {info.file_size // 2**20} MB，超过上限 "
                f"{MAX_PART_BYTES // 2**20} MB，已拒绝读取。")
        if (info.file_size > RATIO_MIN_SIZE and info.compress_size
                and info.file_size / info.compress_size > MAX_RATIO):
            raise DocxReadError(
                f"“{name}”中的“{info.filename}”压缩比异常（{info.file_size // info.compress_size} 倍），"
                "可能是恶意构造的压缩包，已拒绝读取。")


def _read_part(zf: zipfile.ZipFile, part: str, limit: int, name: str) -> bytes:
    """A part's bytes, inflating at most ``limit`` + 1 bytes whatever its header declares."""
    with zf.open(part) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise DocxReadError(f"“{name}”中的“{part}”解压后超过 {limit // 2**20} MB，"
                            "可能是恶意构造的压缩包，已拒绝读取。")
    return data


def _embedded_payload(zf: zipfile.ZipFile, names: set[str], name: str = "") -> str | None:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    for item in sorted(n for n in names if n.startswith("customXml/item") and "Props" not in n):
        raw = _read_part(zf, item, MAX_PART_BYTES, name)
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
    """The embedded model, read exactly as a project file is (same limits, same messages)."""
    from .project_file import ProjectFileError, parse_project_text

    try:
        return parse_project_text(payload, Path(name), limit=MAX_PART_BYTES)
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
    except etree.XMLSyntaxError as exc:      # libxml2's text is English: say where instead
        where = f"第 {exc.lineno} 行" if getattr(exc, "lineno", None) else "某处"
        raise DocxReadError(f"“{name}”的正文 XML 已损坏（{where}无法解析）。请用 Word/WPS 打开并重新保存后再试。") from None
    w = f"{{{W_NS}}}"
    body = root.find(f"{w}body")
    if body is None:
        raise DocxReadError(f"“{name}”没有正文。")
    paragraphs: list[str] = []
    bookmarks: dict[str, str] = {}
    tables: list[list[list[str]]] = []
    for block in body:
        if block.tag == f"{w}p":
            paragraphs.append(_paragraph_text(block, w))
        elif block.tag == f"{w}tbl":
            tagged = False
            for p in block.iter(f"{w}p"):
                for bm in p.iter(f"{w}bookmarkStart"):
                    bm_name = bm.get(f"{w}name") or ""
                    if bm_name.startswith(S.BOOKMARK_PREFIX):
                        bookmarks[bm_name] = _paragraph_text(p, w).strip()
                        tagged = True
            if not tagged:      # a table typed by hand: its rows, read where it stands (TABLE_MARK)
                rows = [["".join(_paragraph_text(p, w) for p in tc.iter(f"{w}p")).strip()
                         for tc in tr.findall(f"{w}tc")] for tr in block.findall(f"{w}tr")]
                paragraphs.append(f"{TABLE_MARK}{len(tables)}")
                tables.append(rows)
    return paragraphs, bookmarks, tables


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
            # ASCII digits only ("²" is a digit to str.isdigit, not to int), and an index a report can hold
            if not tokens[i].isascii() or len(tokens[i]) > 5 or int(tokens[i]) >= MAX_ITEMS:
                return None
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
    return [(0, int(t), "") if t.isascii() and t.isdigit() else (1, 0, t) for t in re.split(r"([0-9]+)", text)]


# ---------------------------------------------------------------- best-effort parse
from ..core.numbers import CN_NUMERALS as _CN  # noqa: E402
_L1 = regex.compile(r"^\s*([一二三四五六七八九十]{1,2}|\d{1,2})\s*[、.．，,]\s*(.+)$")
_L2 = regex.compile(r"^\s*[（(]?\s*([一二三四五六七八九十]{1,2})\s*[）)]\s*(.+)$")
_L3 = regex.compile(r"^\s*(\d{1,2})\s*[.．、]\s*(.+)$")
_TITLE = regex.compile(r"^(?P<unit>.*?)(?P<year>\d{4})\s*年度?.*自评报告")
_STAMP = regex.compile(r"单位名称[（(]盖章[)）][:：]\s*(.+)$")
_GARBAGE = regex.compile(r"\[bookmark:[^\]]*\]")


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


def parse_document_xml(document_xml: bytes, name: str = "", log: list | None = None) -> Report:
    paragraphs, bookmarks, tables = _read_blocks(document_xml, name)
    return parse_paragraphs(paragraphs, bookmarks, tables, log)


def parse_paragraphs(paragraphs: list[str], bookmarks: dict[str, str] | None = None,
                     tables: list[list[list[str]]] | None = None, log: list | None = None,
                     raw: dict | None = None) -> Report:
    """Best-effort: a hand-written report in one of the two templates → Report.

    ``log`` (a list) receives a :class:`ReadItem` for every figure read, with its sentence."""
    log = log if log is not None else []
    tables = tables or []
    lines = [_GARBAGE.sub("", p).strip() if not p.startswith(TABLE_MARK) else p for p in paragraphs]
    lines = [p for p in lines if p]
    template = _detect_template(lines)
    report = Report()
    report.meta.template = template.id
    table_slots: list[tuple[str, list[list[str]]]] = []
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
        if line.startswith(TABLE_MARK):
            table_slots.append((chunks[-1][0], tables[int(line[len(TABLE_MARK):])]))
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
        # the appended scoring table (附相关评分) or the submission forms (附件1, 附件2 …, io/forms_layout.py)
        if line.replace(" ", "") == APPENDIX_TITLE or re.fullmatch(r"附件\s*\d{1,2}", line.strip()):
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
        if raw is not None:          # the body's lines per part, as printed (merge_body)
            raw.setdefault(slot_id, []).extend(slot_lines)
        slot = template.slot(slot_id)
        remaining = _extract_generated(report, template, slot, slot_lines, log)
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
    _extract_grade(report, log)
    if not any("income_sentence" in slot.parts for slot in template.slots()):
        _extract_labelled_amounts(report, log)     # the narrative restates the figures (no generated sentences)
    _extract_written_figures(report, template, table_slots, log)
    if report.meta.fiscal_year is None:
        m = re.search(r"(20\d\d)年度?", "\n".join(report.narrative.values()))
        if m:
            report.meta.fiscal_year = int(m.group(1))
    amounts = [item.value for item in log if isinstance(item.value, Decimal)]
    if amounts:             # the report's precision is the one it was written with (73.3 → 1 decimal)
        report.meta.amount_decimals = max(decimals_of(v) for v in amounts)
    if bookmarks:
        apply_bookmarks(report, bookmarks)
    return report


# ---------------------------------------------------------------- generated parts, read back
_STAFF = regex.compile(r"编制人数\s*(\d+)\s*人.*?实有人数\s*(\d+)\s*人(?:.*?内设科室\s*(\d+|[一二三四五六七八九十]+)\s*个[，,]?\s*(?:分别为[:：]\s*(.+?)[。.]?$)?)?")
_INCOME = regex.compile(r"^(\d{4})年预算收入\s*([\d.,]+)\s*万元(?:[，,]其中年初预算\s*([\d.,]+)\s*万元)?"
                     r"(?:[，,]调整追加\s*([-\d.,]+)\s*万元)?[。.]?(?:其他资金来源\s*([\d.,]+)\s*万元[。.]?)?$")
_EXPEND = regex.compile(r"^(\d{4})年支出\s*([\d.,]+)\s*万元(?:[，,]其中基本支出\s*([\d.,]+)\s*万元)?"
                     r"(?:[，,]项目支出\s*([\d.,]+)\s*万元)?(?:[，,]结余结转\s*([\d.,]+)\s*万元)?[。.]?$")
_LIST = regex.compile(r"^\s*\d\s*[．.、]\s*(年初预算项目|年中追加项目|上年结转项目)(.+?)。?项目实施及绩效情况如下[:：]?$")
_CLAUSE = regex.compile(r"^(?P<name>.+?)(?:金额|预算)?(?P<budget>\d[\d.,]*)万元[，,]\s*实际支出(?P<actual>\d[\d.,]*)万元"
                     r"(?:[，,]\s*结余结转(?P<carry>\d[\d.,]*)万元)?$")
_SUBITEM = regex.compile(r"^\s*[（(]\s*(\d{1,2})\s*[）)]\s*(.+)$")
_DUTY_PAREN = regex.compile(r"^\s*[（(]([一二三四五六七八九十]{1,3})[）)]\s*(.+)$")


def _amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return parse_amount(text)
    except NumberParseError:
        return None


def _extract_generated(report: Report, template: Template, slot: Slot | None, lines: list[str],
                       log: list | None = None) -> list[str]:
    """Take the lines the exporter generates for ``slot`` into the model; return the rest (narrative)."""
    if slot is None:
        return lines
    log = log if log is not None else []

    def put(path: str, value, line: str, label: str = "") -> None:
        _put(report, log, path, value, line, label)
    parts = slot.parts
    rest: list[str] = []
    project_mode = False
    group_projects: list[Project] = []
    current_project: Project | None = None
    for line in lines:
        if "staff_sentence" in parts:
            m = _STAFF.search(line)
            if m and "编制人数" in line:
                put("profile.staff_authorized", int(m.group(1)), line)
                put("profile.staff_actual", int(m.group(2)), line)
                if m.group(3):
                    put("profile.declared_org_unit_count", parse_count(m.group(3)), line)
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
                for path, group in (("income.budget_total", 2), ("income.budget_initial", 3),
                                    ("income.budget_adjustment", 4), ("income.other_sources", 5)):
                    put(path, _amount(m.group(group)), line)
                continue
        if "expenditure_sentence" in parts:
            m = _EXPEND.match(line)
            if m:
                for path, group in (("expenditure.total", 2), ("expenditure.basic", 3),
                                    ("expenditure.project_total", 4), ("expenditure.carryover_end", 5)):
                    put(path, _amount(m.group(group)), line)
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
                    idx = len(report.projects) - 1
                    for name in ("budget_initial", "budget_adjustment", "actual", "carryover"):
                        value = getattr(project, name)
                        if value is not None:
                            path = f"projects[{idx}].{name}"
                            log.append(ReadItem(path, value, _label(path, report), line))
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


_GRADE = regex.compile(r"得分\s*(\d+(?:\.\d+)?)\s*分[，,]?\s*(?:评价)?等级为?\s*[“\"]?([优良中差])")


def _extract_grade(report: Report, log: list | None = None) -> None:
    log = log if log is not None else []
    for slot_id in ("九", "四", "五"):
        text = report.narrative.get(slot_id, "")
        m = _GRADE.search(text)
        if m:
            sentence = _sentence_at(text, m.start())
            _put(report, log, "self_eval.score_stated", parse_score(m.group(1)), sentence)
            _put(report, log, "self_eval.grade_stated", m.group(2), sentence)
            return


_LABELLED = (
    # "…的资金385.5万元，其中基本支出…" / "整体支出…万元，其中基本支出…": the total before its parts
    (r"(?:资金|支出|总额|合计)(?:总额|合计|共计|总计)?(?:为|共|是)?\s*(\d[\d.]*)\s*万元[，,]\s*其中[:：]?\s*基本支出",
     "expenditure.total"),
    (r"其中基本支出\s*(\d[\d.]*)万元", "expenditure.basic"),
    (r"[，,]\s*项目支出\s*(\d[\d.]*)万元", "expenditure.project_total"),
    (r"人员经费支出\s*(\d[\d.]*)万元", "expenditure.personnel"),
    (r"日常公用经费支出\s*(\d[\d.]*)万元", "expenditure.public_ops"),
    (r"“三公”\s*经费支出\s*(\d[\d.]*)万元", "three_public.total_stated"),
    (r"公务接待费支出\s*(\d[\d.]*)万元", "three_public.reception.actual"),
)


def _extract_labelled_amounts(report: Report, log: list | None = None) -> None:
    """hunan9 narrative restates the unit's figures: take the first labelled amount of each kind
    (the text stays as written; NAR-01 compares it with the figures)."""
    log = log if log is not None else []
    text = "\n".join(report.narrative.get(k, "") for k in ("一.四", "二.一.1", "二.一.2", "五"))
    for pattern, path in _LABELLED:
        m = re.search(pattern, text)
        if m:
            value = _amount(m.group(1))
            if value is not None:
                _put(report, log, path, value, _sentence_at(text, m.start(1)))


# ---------------------------------------------------------------- what was read, and from where
@record(frozen=True)
class ReadItem:
    """One value read from a hand-written report, with the sentence (or table row) it came from."""
    path: str
    value: typing.Any
    label: str
    sentence: str

    def to_json(self) -> dict:
        value = self.value
        if isinstance(value, Decimal):
            value = format(value, "f")
        return {"path": self.path, "label": self.label, "value": value, "sentence": self.sentence}


def _label(path: str, report: Report | None = None) -> str:
    from ..core.fields import field_label
    return field_label(path, report)


def _put(report: Report, log: list, path: str, value, sentence: str, label: str = "") -> None:
    if value is None or value == "":
        return
    _ensure_items(report, path)
    set_value(report, path, value)
    log.append(ReadItem(path, value, label or _label(path, report), sentence.strip()))


def _sentence_at(text: str, pos: int) -> str:
    """The sentence of ``text`` around position ``pos``."""
    starts = [m.end() for m in re.finditer(r"[。！？；;!?\n]", text[:pos])]
    start = starts[-1] if starts else 0
    m = re.search(r"[。！？!?\n]", text[pos:])
    end = pos + m.end() if m else len(text)
    return text[start:end].strip()


_AMOUNT = r"(\d[\d,，]*(?:\.\d+)?)\s*万元"
_ITEM = regex.compile(r"([^，,、；;：:。0-9]{2,40}?)\s*(?:金额|投入)?\s*(\d[\d,]*(?:\.\d+)?)\s*万元")
_FISCAL = regex.compile(r"其中[:：]?\s*财政(?:拨款)?资金\s*(?:为|共|共计)?\s*" + _AMOUNT)
_PROJECT_BUDGET_TOTAL = regex.compile(r"项目(?:支出)?(?:资金)?(?:总投入|预算合计|预算总额|预算总计|总预算|预算数合计)"
                                   r"(?:为|共|共计|是)?\s*" + _AMOUNT)
_PROJECT_LIST = regex.compile(r"项目.*?(?:其中|支出主要内容|主要内容|具体为|包括)[:：](.+)$")
_ECON_LIST = regex.compile(r"(?:分别为|分别是|具体为|包括)[:：](.+)$")
_NUMBERED_PROJECT = regex.compile(r"^\s*\d{1,2}\s*[、.．]\s*([^。，,：:]{2,40}?项目)[。，,：:](.*)$")
_PRJ_BUDGET = regex.compile(r"(?:预算(?:资金|数|金额)?|投入(?:资金)?|共计投入|总投入|安排(?:资金)?)\s*(?:为|共|共计)?\s*" + _AMOUNT)
_PRJ_ACTUAL = regex.compile(r"(?:实际支出|已支出|实际使用|支出)\s*(?:为|共|共计)?\s*" + _AMOUNT)
_PRJ_CARRY = regex.compile(r"结余(?:结转)?(?:资金)?\s*(?:为|共)?\s*" + _AMOUNT)
_STAFF_AUTH = regex.compile(r"((?:全额拨款|差额拨款|自收自支|财政补助)?(?:事业|行政|参公|参照公务员法管理|工勤)?编制)"
                         r"(?:人数|数)?\s*(?:为|共|核定|共计)?\s*(\d+)\s*[名人个]")
_STAFF_ACTUAL = regex.compile(r"实有(?:人数|人员|在职人员)?\s*(?:为|共|共计)?\s*(\d+)\s*[名人]")
_LEADERS = regex.compile(r"领导职数(?:为|核定为|是)?[:：]?\s*(.+?)(?:[。；;]|$)")
_ROLES = regex.compile(r"(?:现有人员|在职人员|实有人员|现有在职人员|现有)[:：]\s*(.+?)(?:[。；;]|$)")
_COUNT_ITEM = regex.compile(r"([^，,、；;：:。\d\s]{1,12})\s*(\d+)\s*[名人]")
_THREE_PUBLIC_WORDS = (
    ("abroad", regex.compile(r"因公出国")),
    ("vehicle_purchase", regex.compile(r"公务用车[（(]?购置|车辆购置")),
    ("vehicle_operation", regex.compile(r"公务用车运行|运行维护")),
    ("reception", regex.compile(r"公务接待")),
)
_ECON_SUFFIX = regex.compile(r"(?:费|支出|补助|补贴|福利|缴费|工资|津贴|奖金|公积金|奖励金|资本性支出)$")


def _items(text: str) -> list[tuple[str, Decimal]]:
    """'办公费3.9万元，印刷费5.3万元' → [('办公费', 3.9), ('印刷费', 5.3)] (amounts as written)."""
    out = []
    for m in _ITEM.finditer(text):
        name = re.sub(r"^(?:其中|以及|和|及|、|，)", "", m.group(1).strip()).strip("“”\" ")
        value = _amount(m.group(2))
        if name and value is not None:
            out.append((name, value))
    return out


def _slot_sentences(report: Report, template: Template):
    """(slot id, paragraph, sentence) over the narrative in template order."""
    from ..core.narrative import split_sentences
    for slot in template.slots():
        text = report.narrative.get(slot.id, "")
        for paragraph in text.split("\n"):
            for sentence in split_sentences(paragraph):
                yield slot.id, paragraph, sentence


def _extract_written_figures(report: Report, template: Template, tables, log: list) -> None:
    """The figures a careful reader takes from a hand-written report's sentences and tables (issue 19):
    财政资金, 项目预算合计, projects (table, list or "1、…项目。…预算…万元，实际支出…万元"),
    economic-class lines ("分别为：办公费3.9万元，…"), staffing, 领导职数, 三公 zero statements."""
    read = {item.path for item in log}

    def put(path, value, sentence, label=""):
        if path not in read and value is not None:
            _put(report, log, path, value, sentence, label)
            read.add(path)

    for slot_id, rows in tables:
        _read_table(report, rows, slot_id, log)
    has_projects = bool(report.projects)
    has_econ = bool(report.expenditure.by_econ)
    project_list_seen = False
    for slot_id, paragraph, sentence in list(_slot_sentences(report, template)):
        m = _FISCAL.search(sentence)
        if m:
            put("income.fiscal_funds", _amount(m.group(1)), sentence)
        m = _PROJECT_BUDGET_TOTAL.search(sentence)
        if m:
            put("expenditure.project_budget_total", _amount(m.group(1)), sentence)
        m = _ECON_LIST.search(sentence)
        if m and not has_econ:
            items = _items(m.group(1))
            if len(items) >= 2 and sum(1 for n, _ in items if _ECON_SUFFIX.search(n)) * 2 > len(items):
                scope = "basic" if "基本支出" in sentence and "项目支出" not in sentence else \
                    "project" if ("项目" in sentence or slot_id.startswith("二.二")) else "total"
                for name, value in items:
                    idx = len(report.expenditure.by_econ)
                    report.expenditure.by_econ.append(new_item("expenditure.by_econ"))
                    report.expenditure.by_econ[idx].scope = scope
                    report.expenditure.by_econ[idx].name = name
                    _put(report, log, f"expenditure.by_econ[{idx}].amount", value, sentence)
                has_econ = True
                continue
        m = _PROJECT_LIST.search(sentence)
        if m and not has_projects and not project_list_seen:
            items = _items(m.group(1))
            if len(items) >= 2 and not sum(1 for n, _ in items if _ECON_SUFFIX.search(n)) * 2 > len(items):
                for name, value in items:
                    idx = len(report.projects)
                    report.projects.append(Project(name=re.sub(r"项目$", "", name)))
                    _put(report, log, f"projects[{idx}].budget_final", value, sentence)
                project_list_seen = True
        _read_staffing(report, sentence, put)
        _read_three_public_zero(report, sentence, put)
    _read_numbered_projects(report, template, log)
    _infer_project_actuals(report, log)


def _read_staffing(report: Report, sentence: str, put) -> None:
    m = _STAFF_AUTH.search(sentence)
    if m:
        put("profile.staff_authorized", int(m.group(2)), sentence)
        kind = m.group(1)
        if kind != "编制":
            put("profile.staff_kind", kind, sentence)
    m = _STAFF_ACTUAL.search(sentence)
    if m:
        put("profile.staff_actual", int(m.group(1)), sentence)
    m = _LEADERS.search(sentence)
    if m and not report.profile.leader_posts:
        for i, (title, count) in enumerate(_COUNT_ITEM.findall(m.group(1))):
            put(f"profile.leader_posts[{i}].title", title.strip(), sentence)
            put(f"profile.leader_posts[{i}].quota", int(count), sentence)
    m = _ROLES.search(sentence)
    if m and not report.profile.staff_by_role and "领导职数" not in sentence[:m.start()]:
        for i, (role, count) in enumerate(_COUNT_ITEM.findall(m.group(1))):
            put(f"profile.staff_by_role[{i}].role", role.strip(), sentence)
            put(f"profile.staff_by_role[{i}].count", int(count), sentence)


def _read_three_public_zero(report: Report, sentence: str, put) -> None:
    """'2021年度无因公出国（境）费支出和公务用车（购置）支出。' → those items' 实际支出 = 0.

    Per clause: a 三公 item named after 无/没有/未发生/未产生 (or followed by 为零/为0), with 费/支出/经费
    after it; a clause with an amount is left to the labelled amounts."""
    for clause in re.split(r"[，,；;。]", sentence):
        if "万元" in clause or re.search(r"\d", re.sub(r"20\d\d年度?", "", clause)):
            continue
        none_before = re.search(r"(?:无|没有|未发生|未产生|未安排)", clause)
        zero_after = re.search(r"(?:均为零|为零|均为0|为0)", clause)
        for key, pattern in _THREE_PUBLIC_WORDS:
            m = pattern.search(clause)
            if not m or not re.search(r"(?:费|支出|经费)", clause[m.start():]):
                continue
            if (none_before and none_before.start() < m.start()) or (zero_after and zero_after.start() > m.start()):
                put(f"three_public.{key}.actual", Decimal(0), sentence)


def _find_project(report: Report, name: str) -> int | None:
    core = re.sub(r"项目$", "", name).strip()
    for i, p in enumerate(report.projects):
        if p.name and (p.name == core or p.name in core or core in p.name):
            return i
    return None


def _read_numbered_projects(report: Report, template: Template, log: list) -> None:
    """'1、营商环境指标评价项目。该项目共计投入73.3万元，已支出73.3万元…' (project analyses)."""
    read = {item.path for item in log}
    for slot in template.slots():
        for paragraph in report.narrative.get(slot.id, "").split("\n"):
            m = _NUMBERED_PROJECT.match(paragraph)
            if not m:
                continue
            body = m.group(2)
            budget = _PRJ_BUDGET.search(body)
            actual = _PRJ_ACTUAL.search(body[budget.end():] if budget else body)
            carry = _PRJ_CARRY.search(body)
            if not (budget or actual):
                continue
            idx = _find_project(report, m.group(1))
            if idx is None:
                idx = len(report.projects)
                report.projects.append(Project(name=re.sub(r"项目$", "", m.group(1)).strip()))
            for field_name, found in (("budget_final", budget), ("actual", actual), ("carryover", carry)):
                path = f"projects[{idx}].{field_name}"
                if found and path not in read:
                    _put(report, log, path, _amount(found.group(1)), paragraph)
                    read.add(path)


def _infer_project_actuals(report: Report, log: list) -> None:
    """Projects with a budget but no stated spending, when the report says the projects' spending
    equals Σ of their budgets (浏阳: 项目支出实际支出200.6万元 = 73.3 + 112.3 + 5 + 5 + 5):
    each project spent its budget. Listed in the preview with the sentence that says so."""
    from ..core.derived import project_budget_final, sum_present
    total = report.expenditure.project_total
    if total is None or not report.projects:
        return
    budgets = [project_budget_final(p) for p in report.projects]
    if any(b is None for b in budgets) or sum_present(budgets) != total:
        return
    source = next((i.sentence for i in log if i.path == "expenditure.project_total"), "")
    for idx, project in enumerate(report.projects):
        if project.actual is None:
            _put(report, log, f"projects[{idx}].actual", budgets[idx],
                 f"（项目支出合计 {total} 万元 = 各项目预算之和，即各项目按预算全部支出）{source}")


_HEAD_WORDS = {
    "name": ("项目名称", "项目", "名称"),
    "budget_initial": ("年初预算",),
    "budget_final": ("全年预算", "预算数", "预算金额", "预算", "投入"),
    "actual": ("实际支出", "执行数", "支出数", "已支出", "支出金额", "实际"),
    "carryover": ("结余结转", "结转结余", "结余"),
}


def _read_table(report: Report, rows: list[list[str]], slot_id: str, log: list) -> None:
    """A hand-typed Word table: projects (项目名称 | 预算 | 实际支出 | 结余) or economic classes
    (经济分类/科目 | 金额); the header row names the columns; a 合计 row is left out."""
    if len(rows) < 2:
        return
    full = rows[0]
    is_econ = any(("经济分类" in c or "科目" in c) for c in full)
    is_project = not is_econ and any("项目" in c for c in full)
    if is_econ:
        name_col = next(i for i, c in enumerate(full) if "经济分类" in c or "科目" in c)
        amount_col = next((i for i, c in enumerate(full) if i != name_col and
                           any(w in c for w in ("金额", "支出", "决算", "执行"))), None)
        if amount_col is None:
            return
        scope = "basic" if slot_id.startswith("二.一") else "project" if slot_id.startswith("二.二") else "total"
        for row in rows[1:]:
            if len(row) <= max(name_col, amount_col) or not row[name_col] or "合计" in row[name_col]:
                continue
            value = _amount(row[amount_col])
            if value is None:
                continue
            m = re.match(r"^\s*(\d{3,7})?\s*(.+)$", row[name_col])
            idx = len(report.expenditure.by_econ)
            report.expenditure.by_econ.append(new_item("expenditure.by_econ"))
            line = report.expenditure.by_econ[idx]
            line.scope, line.code, line.name = scope, (m.group(1) or ""), m.group(2).strip()
            _put(report, log, f"expenditure.by_econ[{idx}].amount", value, "表格：" + " | ".join(row))
        return
    if not is_project:
        return
    cols: dict[str, int] = {}
    for key, words in _HEAD_WORDS.items():
        for i, c in enumerate(full):
            if i in cols.values():
                continue
            if any(w in c for w in words) and not (key == "budget_final" and "年初" in c):
                cols[key] = i
                break
    if "name" not in cols or len(cols) < 2:
        return
    for row in rows[1:]:
        name = row[cols["name"]].strip() if len(row) > cols["name"] else ""
        if not name or "合计" in name or "小计" in name:
            continue
        name = re.sub(r"^\s*\d{1,2}\s*[、.．]\s*", "", name)
        idx = _find_project(report, name)
        if idx is None:
            idx = len(report.projects)
            report.projects.append(Project(name=re.sub(r"项目$", "", name)))
        for key, col in cols.items():
            if key == "name" or col >= len(row):
                continue
            value = _amount(row[col])
            if value is not None:
                _put(report, log, f"projects[{idx}].{key}", value, "表格：" + " | ".join(row))


# ---------------------------------------------------------------- exported file, edited in Word
def _raw_parts(document_xml: bytes, name: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    paragraphs, bookmarks, tables = _read_blocks(document_xml, name)
    raw: dict[str, list[str]] = {}
    parse_paragraphs(paragraphs, None, tables, [], raw)    # the tables: a TABLE_MARK line names one
    return raw, bookmarks


def _key(line: str) -> str:
    return re.sub(r"\s+", "", line)


def _minus(lines: list[str], remove: list[str]) -> list[str]:
    """``lines`` without one occurrence of each of ``remove`` (compared without whitespace)."""
    pool: dict[str, int] = {}
    for r in remove:
        pool[_key(r)] = pool.get(_key(r), 0) + 1
    out = []
    for line in lines:
        k = _key(line)
        if pool.get(k):
            pool[k] -= 1
            continue
        out.append(line)
    return out


def merge_body(embedded: Report, document_xml: bytes, name: str = "") -> tuple[Report, list[BodyDifference]]:
    """The report of an exported file whose body may have been edited in Word (issue 14 item 9).

    The body wins where it shows something: the text of every part found in it, and every figure of
    the tagged tables; the embedded model fills the rest (structure, projects' details, scoring, 上年数 …).
    What the exporter generates around the officer's text (captions, generated sentences, signature …)
    is found by exporting the embedded model again and is not taken as text.
    Returns the merged report and the list of differences (body vs embedded)."""
    from .docx_export import build_docx_bytes, clean_text, split_paragraphs

    actual, bookmarks = _raw_parts(document_xml, name)
    with zipfile.ZipFile(__import__("io").BytesIO(build_docx_bytes(embedded))) as zf:
        expected, expected_marks = _raw_parts(zf.read("word/document.xml"), name)
    merged = embedded.clone()
    differences: list[BodyDifference] = []
    template = get_template(embedded.meta.template)
    for slot in template.slots():
        if "text" not in slot.parts or slot.id not in actual:
            continue               # not printed, or its heading is gone from the body: keep the model's
        if [_key(x) for x in actual[slot.id]] == [_key(x) for x in expected.get(slot.id, [])]:
            continue               # printed exactly as the model prints it: not edited
        old = embedded.narrative.get(slot.id, "")
        printed = [_GARBAGE.sub("", clean_text(x)).strip() for x in split_paragraphs(old)]
        generated = _minus(expected.get(slot.id, []), printed)
        lines = _minus(actual[slot.id], generated)
        if [_key(x) for x in lines] == [_key(x) for x in printed if x]:
            continue
        body_text = "\n".join(lines)
        differences.append(BodyDifference(f"narrative[{slot.id}]", _label(f"narrative[{slot.id}]", embedded),
                                          old, body_text))
        set_value(merged, f"narrative[{slot.id}]", body_text or None)
    trial = embedded.clone()
    apply_bookmarks(trial, bookmarks)
    for bm_name in sorted(bookmarks, key=_natural_key):
        if bookmarks[bm_name] == expected_marks.get(bm_name):
            continue               # the cell shows what the model prints there
        path = decode_bookmark(bm_name)
        if path is None:
            continue
        try:
            new, old = get_value(trial, path), get_value(embedded, path)
        except (KeyError, IndexError):
            continue
        if new == old:        # Decimal compares by value: 4 printed as 4.00 is the same figure
            continue
        if isinstance(new, Decimal) and isinstance(old, Decimal) and \
                round_half_up(old, decimals_of(new)) == new:
            continue          # 19.331 printed at the report's precision as 19.33: not an edit
        differences.append(BodyDifference(path, _label(path, embedded), old, new))
        _ensure_items(merged, path)
        set_value(merged, path, new)
    return merged, differences
