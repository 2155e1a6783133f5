"""Report outlines (DOMAIN.md §2, §12.2): sections, narrative slots and their headings — as data.

An outline is the ``[outline]`` table of a profile file (resources/rules/*.toml, docs/profiles.md);
this module turns it into :class:`Template` / :class:`Slot` objects. A *slot* is a piece of
narrative the officer writes; its id is the section numbering path ('一.三' = 一、（三）). The GUI
builds one tab per top-level section; the exporter walks the same tree; findings map their field
paths to a section through :func:`section_of_path`.

``meta.template`` names an outline by its ``outline.id`` ('hunan9', 'short5', …); the outline is
looked up among the profiles (shipped and the user's own). Slots carry *keys*: what they hold
('problems', 'projects', …). Code asks ``template.place(key)`` instead of branching on the outline id.
"""
from __future__ import annotations

import re
from dataclasses import field
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from . import regex
from .records import record
from .numbers import CN_NUMERALS, chinese_numeral, to_chinese_numeral  # noqa: F401 - the one numeral helper


@record(frozen=True)
class Slot:
    """One heading of an outline and what it holds: id, title, level, narrative flag, children, printed parts, keys."""
    id: str                 # '一.三'
    title: str              # '年度重点工作计划' (without numbering)
    level: int              # 1 = 一、  2 = （一）  3 = 1.
    narrative: bool = True  # False: a heading only (its content is figures/children)
    children: tuple[Slot, ...] = ()
    # what the exporter prints under the heading, in order: "text" = narrative[slot id];
    # other names are generated from the model (see io/docx_export.py and PARTS below)
    parts: tuple[str, ...] = ("text",)
    keys: tuple[str, ...] = ()      # what the slot holds: 'problems', 'projects', … (PLACES + free words)
    required: bool = False          # CMP-01: must have content
    tab: str = ""                   # short tab title (top-level slots)
    numbering: str = ""             # the numbering style of its level: '一、', '（一）', '1.', '（1）'


@record(frozen=True)
class Template:
    """A report outline: id, name, top-level slots, section of each model block, appendix flag, numbering styles."""
    id: str
    name: str
    sections: tuple[Slot, ...]
    figure_sections: dict[str, str] = field(default_factory=dict)  # model block → section id
    appendix: bool = True           # the report ends with 附相关评分 (the scoring table); short5 has none
    profile: str = ""               # the profile file the outline comes from
    numbering: tuple[str, ...] = ()

    def slots(self) -> Iterator[Slot]:
        """Every slot, depth first, in document order."""
        def walk(slot: Slot) -> Iterator[Slot]:
            yield slot
            for child in slot.children:
                yield from walk(child)
        for section in self.sections:
            yield from walk(section)

    @cached_property
    def _by_id(self) -> dict[str, Slot]:
        return {s.id: s for s in self.slots()}

    def slot(self, slot_id: str) -> Slot | None:
        return self._by_id.get(slot_id)

    def section_ids(self) -> list[str]:
        return [s.id for s in self.sections]

    @cached_property
    def _places(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for s in self.slots():
            for key in s.keys:
                out.setdefault(key, s.id)
        return out

    def place(self, key: str) -> str | None:
        """The id of the first slot (document order) that holds ``key``; None when none does."""
        return self._places.get(key)

    def place_section(self, key: str) -> str:
        """The top-level section of ``place(key)`` (the first section when no slot holds it)."""
        slot_id = self.place(key)
        return slot_id.split(".")[0] if slot_id else self.sections[0].id

    def short_title(self, section_id: str) -> str:
        slot = self.slot(section_id)
        return (slot.tab or slot.title) if slot else section_id


# the part names an outline may list (generated from the model by the exporter; "text" = narrative)
PARTS = ("text", "duties_dot", "duties_paren", "org_units", "staff_sentence", "income_sentence",
         "expenditure_sentence", "project_lists", "project_analyses", "figure_tables", "grade_sentence")

# slot keys the program looks up (docs/profiles.md); any other key names a slot's content for
# switching outlines (text moves to the slot of the new outline holding the same first key)
PLACES = {
    "duties": "部门职能（职能列表显示在此）",
    "staff": "机构与人员（编制、实有人数、内设机构）",
    "income": "收入与支出数字",
    "three_public": "“三公”经费",
    "econ": "按经济分类支出",
    "projects": "项目支出表与项目说明",
    "project_analysis": "逐个项目的绩效分析（有此位置时 PRJ-06 要求每个项目都有分析）",
    "assets": "资产情况（AST-02 在此找资本性支出的说明）",
    "procurement": "政府采购",
    "self_eval": "自评得分与等级",
    "problems": "存在的问题（EXP-10、INF-01、NAR-05 在此找执行问题的自述）",
}
# model block → the place whose section shows it (meta: the first section; scoring: the appendix)
BLOCK_PLACES = {
    "profile": "staff", "income": "income", "expenditure": "income", "prior_year": "income",
    "three_public": "three_public", "projects": "projects", "assets": "assets",
    "procurement": "procurement", "self_eval": "self_eval",
}
# numbering styles of heading levels: the example as written → format ({cn} Chinese, {n} Arabic)
NUMBERING_STYLES = {"一、": "{cn}、", "（一）": "（{cn}）", "1.": "{n}.", "（1）": "（{n}）", "1、": "{n}、",
                    "1．": "{n}．"}
DEFAULT_NUMBERING = ("一、", "（一）", "1.", "（1）")

APPENDIX_ID = "附"
APPENDIX_TITLE = "附相关评分"
# the submission forms' own blocks have a tab of their own (gui/sections/tab.py FormTab); the section
# id of a form is its short name (fields.FORMS)
FORM_SECTIONS = {"dept_form": "部门自评表", "basic_data": "基础数据表", "project_form": "项目自评表"}


class OutlineError(ValueError):
    """An outline table that cannot be used; ``key`` is the dotted key at fault (for the line)."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.key = key


def slot_number(slot_id: str) -> int | None:
    """The number of a slot from the last part of its id: '二.一' → 1, '二.一.3' → 3."""
    last = slot_id.split(".")[-1]
    if last.isdigit():
        return int(last)
    return chinese_numeral(last)


def numbered_prefix(style: str, n: int) -> str:
    fmt = NUMBERING_STYLES.get(style, "{cn}、")
    return fmt.format(cn=to_chinese_numeral(n), n=n)


def heading_number(level: int, n: int, numbering: tuple[str, ...] = ()) -> str:
    """The numbering of the n-th heading of a level by the outline's styles (default 一、 / （一） / 1. / （1））."""
    styles = numbering or DEFAULT_NUMBERING
    return numbered_prefix(styles[min(max(level, 1), len(styles)) - 1], n)


_NUMBER_PREFIX = regex.compile(
    r"^\s*(?:[（(]\s*(?:[一二三四五六七八九十]+|\d{1,2})\s*[）)]"
    r"|[一二三四五六七八九十]+\s*[、，,.．）)]"
    r"|\d{1,2}\s*(?:[、，,）)]|[.．](?!\d)))\s*")


def heading_words(text: str) -> str:
    """A heading as the officer wrote it without its numbering: '3、 部门项目组织实施情况' →
    '部门项目组织实施情况', '二）项目支出绩效情况' → '项目支出绩效情况'."""
    text = (text or "").strip()
    return _NUMBER_PREFIX.sub("", text, count=1).strip()


def numbered_heading(slot: Slot) -> str:
    """The official numbering + title: '一、部门概况', '（二）项目支出', '1.实际整体收支情况'."""
    style = slot.numbering or DEFAULT_NUMBERING[min(slot.level, len(DEFAULT_NUMBERING)) - 1]
    n = slot_number(slot.id)
    if n is None:
        return f"{slot.id.split('.')[-1]}、{slot.title}"
    return numbered_prefix(style, n) + slot.title


def slot_label(template: Template, slot_id: str) -> str:
    """A slot named with its full numbering: '三（一）项目组织情况', '二（一）3.因公出国…', '六、存在的主要问题';
    the id itself when the outline has no such slot."""
    ids = slot_id.split(".")
    names = []
    for depth in range(1, len(ids) + 1):
        slot = template.slot(".".join(ids[:depth]))
        if slot is None:
            return slot_id
        heading = numbered_heading(slot)
        names.append(heading if depth == len(ids) else (ids[0] if depth == 1 else heading[:-len(slot.title)]))
    return "".join(names)


# ------------------------------------------------------------------ outline data → Template
def _str_list(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise OutlineError(f"“{key}”应为文字的列表，例如 [\"text\"]。", key)
    return tuple(value)


def outline_from_data(data: Any, profile: str = "") -> Template:
    """Build a Template from an ``[outline]`` table; OutlineError names the key at fault."""
    if not isinstance(data, dict):
        raise OutlineError("“outline”应为一个表（[outline]）。", "outline")
    oid = data.get("id")
    if not isinstance(oid, str) or not oid.strip():
        raise OutlineError("“outline.id”缺少或不是文字（报告文件的 meta.template 存这个名字）。", "outline.id")
    name = data.get("name", oid)
    if not isinstance(name, str):
        raise OutlineError("“outline.name”应为文字。", "outline.name")
    numbering = _str_list(data.get("numbering"), "outline.numbering") or DEFAULT_NUMBERING
    for style in numbering:
        if style not in NUMBERING_STYLES:
            raise OutlineError(f"“outline.numbering”中的“{style}”不是已知的编号样式（可用："
                               f"{'、'.join(NUMBERING_STYLES)}）。", "outline.numbering")
    appendix = data.get("appendix", True)
    if not isinstance(appendix, bool):
        raise OutlineError("“outline.appendix”应为 true 或 false。", "outline.appendix")
    rows = data.get("slots")
    if not isinstance(rows, list) or not rows:
        raise OutlineError("“outline.slots”缺少或为空：提纲至少要有一个部分。", "outline.slots")
    flat: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        key = f"outline.slots[{i}]"
        if not isinstance(row, dict):
            raise OutlineError(f"“{key}”应为一个表，例如 {{ id = \"一\", title = \"部门概况\" }}。", key)
        unknown = set(row) - {"id", "title", "tab", "text", "parts", "keys", "required"}
        if unknown:
            raise OutlineError(f"“{key}”中有未知的项“{'、'.join(sorted(unknown))}”。", f"{key}.{sorted(unknown)[0]}")
        sid, title = row.get("id"), row.get("title")
        if not isinstance(sid, str) or not sid or any(not p for p in sid.split(".")):
            raise OutlineError(f"“{key}.id”缺少或无效（例如 \"一\"、\"一.二\"、\"二.一.3\"）。", f"{key}.id")
        if slot_number(sid) is None:
            raise OutlineError(f"“{key}.id”的最后一段“{sid.split('.')[-1]}”不是编号（一、二… 或 1、2…）。", f"{key}.id")
        if sid in seen:
            raise OutlineError(f"“{key}.id”“{sid}”重复。", f"{key}.id")
        if sid == APPENDIX_ID:
            raise OutlineError(f"“{key}.id”不能是“{APPENDIX_ID}”（评分表附录的位置）。", f"{key}.id")
        parent = sid.rsplit(".", 1)[0] if "." in sid else ""
        if parent and parent not in seen:
            raise OutlineError(f"“{key}.id”“{sid}”的上级“{parent}”没有出现在它前面。", f"{key}.id")
        if not isinstance(title, str) or not title.strip():
            raise OutlineError(f"“{key}.title”缺少或不是文字。", f"{key}.title")
        parts = _str_list(row.get("parts"), f"{key}.parts") or ("text",)
        for part in parts:
            if part not in PARTS:
                raise OutlineError(f"“{key}.parts”中的“{part}”不是已知的内容（可用：{'、'.join(PARTS)}）。",
                                   f"{key}.parts")
        for flag in ("text", "required"):
            if flag in row and not isinstance(row[flag], bool):
                raise OutlineError(f"“{key}.{flag}”应为 true 或 false。", f"{key}.{flag}")
        tab = row.get("tab", "")
        if not isinstance(tab, str):
            raise OutlineError(f"“{key}.tab”应为文字。", f"{key}.tab")
        seen.add(sid)
        level = sid.count(".") + 1
        flat.append({"id": sid, "parent": parent, "title": title.strip(), "level": level,
                     "narrative": row.get("text", True), "parts": parts,
                     "keys": _str_list(row.get("keys"), f"{key}.keys"),
                     "required": row.get("required", level == 1), "tab": tab,
                     "numbering": numbering[min(level, len(numbering)) - 1]})

    def build(parent: str) -> tuple[Slot, ...]:
        return tuple(Slot(r["id"], r["title"], r["level"], r["narrative"], build(r["id"]), r["parts"],
                          r["keys"], r["required"], r["tab"], r["numbering"])
                     for r in flat if r["parent"] == parent)

    sections = build("")
    template = Template(oid, name, sections, {}, appendix, profile, numbering)
    figure = {"meta": sections[0].id, "scoring": APPENDIX_ID}
    for block, place in BLOCK_PLACES.items():
        figure[block] = template.place_section(place)
    object.__setattr__(template, "figure_sections", figure)
    return template


# ------------------------------------------------------------------ lookup among the profiles
_OUTLINES: dict[str, Template] = {}
_UNREAD: list[str] | None = None        # profiles whose outline is not read yet (None: not listed yet)


def reset_outlines() -> None:
    """Forget the outlines read so far (after a profile file was added or changed)."""
    global _UNREAD
    _OUTLINES.clear()
    _UNREAD = None


def _read_outlines(until: str | None = None) -> None:
    """Read the profiles' outlines in order — the base profile's first, the first profile defining an id
    wins — until one defines ``until`` (all of them when None). Start-up reads only the base profile
    when the report uses its outline."""
    global _UNREAD
    if _UNREAD == [] or (until is not None and until in _OUTLINES):
        return                             # every lookup after start-up: nothing to read
    from .rule_profile import BASE_PROFILE, ProfileError, load_profile
    if _UNREAD is None:
        from .profiles import profile_names
        _UNREAD = [BASE_PROFILE] + [n for n in profile_names() if n != BASE_PROFILE]
    while _UNREAD and (until is None or until not in _OUTLINES):
        name = _UNREAD.pop(0)
        try:
            data = load_profile(name).data.get("outline")
            if isinstance(data, str):      # a reference to another profile's outline
                continue
            template = outline_from_data(data, name)
        except (ProfileError, OutlineError, OSError):
            continue                       # a profile whose file cannot be used contributes nothing
        _OUTLINES.setdefault(template.id, template)


def outlines() -> dict[str, Template]:
    """Every outline of the available profiles by outline id (the base profile's first; the first
    profile defining an id wins). A profile whose file cannot be used contributes nothing."""
    _read_outlines()
    return _OUTLINES


def get_template(template_id: str) -> Template:
    """The outline ``template_id`` names; the base profile's outline when no profile has it."""
    _read_outlines(until=template_id)
    found = _OUTLINES.get(template_id)
    if found is not None:
        return found
    from .rule_profile import BASE_PROFILE, load_profile
    base = load_profile(BASE_PROFILE).data.get("outline")
    base_id = base.get("id") if isinstance(base, dict) else None
    if isinstance(base_id, str) and base_id in outlines():
        return outlines()[base_id]
    return outline_from_data(base, BASE_PROFILE)    # raises OutlineError naming the key


def profile_outline(data: dict[str, Any], name: str = "") -> Template:
    """The outline of a profile's data: its own ``[outline]`` table, or ``outline = "id"`` naming
    another profile's outline. OutlineError when neither can be used."""
    outline = data.get("outline")
    if isinstance(outline, str):
        found = outlines().get(outline)
        if found is None:
            raise OutlineError(f"“outline”引用的提纲“{outline}”不存在（可用：{'、'.join(outlines())}）。", "outline")
        return found
    return outline_from_data(outline, name)


def template_choices() -> list[tuple[str, str]]:
    """(outline id, Chinese name) of every outline, for the 报告格式 choice."""
    return [(t.id, t.name) for t in outlines().values()]


_KEYED = regex.compile(r"(narrative|headings)\[([^\]]+)\]")


def section_of_path(path: str, template_id: str) -> str:
    """Which top-level section (tab) a field path belongs to: '一' … '九' or '附'."""
    template = get_template(template_id)
    m = _KEYED.match(path)
    if m:
        if ":" in m.group(2):           # kept from another outline (core/profiles.orphan_key): the last section
            return template.sections[-1].id
        return m.group(2).split(".")[0]
    head = re.match(r"[A-Za-z_]+", path)
    key = head.group(0) if head else path
    if key in FORM_SECTIONS:
        return FORM_SECTIONS[key]
    if key == "projects" and ".form." in path:
        return FORM_SECTIONS["project_form"]
    if key == "projects" and ".indicators" in path:
        return APPENDIX_ID
    if key == "expenditure" and "by_econ" in path:
        return template.place_section("econ")
    return template.figure_sections.get(key, template.sections[0].id)


def report_title(unit_name: str, fiscal_year: int | None) -> str:
    year = f"{fiscal_year}年度" if fiscal_year else ""
    return f"{unit_name}{year}部门整体支出绩效自评报告"


def __getattr__(name: str) -> Any:
    """HUNAN9 / SHORT5 / TEMPLATES of earlier versions: now read from the profile files."""
    if name == "HUNAN9":
        return get_template("hunan9")
    if name == "SHORT5":
        return get_template("short5")
    if name == "TEMPLATES":
        return dict(outlines())
    raise AttributeError(name)
