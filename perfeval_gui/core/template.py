"""The two report layouts (DOMAIN.md §2): sections, narrative slots and their headings.

A *slot* is a piece of narrative the officer writes; its id is the section numbering path
('一.三' = 一、（三）). The GUI builds one tab per top-level section; the exporter walks the
same tree; findings map their field paths to a section through :func:`section_of_path`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numbers import CN_NUMERALS, to_chinese_numeral  # noqa: F401 - the one numeral helper


@dataclass(frozen=True)
class Slot:
    id: str                 # '一.三'
    title: str              # '年度重点工作计划' (without numbering)
    level: int              # 1 = 一、  2 = （一）  3 = 1.
    narrative: bool = True  # False: a heading only (its content is figures/children)
    children: tuple["Slot", ...] = ()
    # what the exporter prints under the heading, in order: "text" = narrative[slot id];
    # other names are generated from the model (see io/docx_export.py): "duties_dot",
    # "duties_paren", "org_units", "staff_sentence", "income_sentence", "expenditure_sentence",
    # "project_lists", "project_analyses", "figure_tables", "grade_sentence"
    parts: tuple[str, ...] = ("text",)


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    sections: tuple[Slot, ...]
    figure_sections: dict[str, str] = field(default_factory=dict)  # model block → section id
    appendix: bool = True   # the form ends with 附相关评分 (the scoring table); short5 has none

    def slots(self):
        """Every slot, depth first, in document order."""
        def walk(slot: Slot):
            yield slot
            for child in slot.children:
                yield from walk(child)
        for section in self.sections:
            yield from walk(section)

    def slot(self, slot_id: str) -> Slot | None:
        return next((s for s in self.slots() if s.id == slot_id), None)

    def section_ids(self) -> list[str]:
        return [s.id for s in self.sections]


def heading_number(level: int, n: int) -> str:
    """The official numbering of the n-th heading of a level: 一、 / （一） / 1. / （1）."""
    if level <= 1:
        return f"{to_chinese_numeral(n)}、"
    if level == 2:
        return f"（{to_chinese_numeral(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


_NUMBER_PREFIX = re.compile(
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
    index = slot.id.split(".")[-1]
    if slot.level == 1:
        return f"{index}、{slot.title}"
    if slot.level == 2:
        return f"（{index}）{slot.title}"
    return f"{index}.{slot.title}"


def _s(slot_id: str, title: str, *children: Slot, narrative: bool = True,
       parts: tuple[str, ...] = ("text",)) -> Slot:
    level = slot_id.count(".") + 1
    return Slot(slot_id, title, level, narrative, tuple(children), parts)


HUNAN9 = Template(
    id="hunan9",
    name="湖南九部分格式",
    sections=(
        _s("一", "部门概况",
           _s("一.一", "部门职能概述", parts=("text", "duties_dot")),
           _s("一.二", "部门组织机构及人员情况", parts=("org_units", "text")),
           _s("一.三", "年度重点工作计划"),
           _s("一.四", "部门整体支出规模、使用方向、主要内容和涉及范围"),
           narrative=False),
        _s("二", "部门整体支出管理及使用情况",
           _s("二.一", "基本支出",
              _s("二.一.1", "实际整体收支情况"),
              _s("二.一.2", "“三公”经费总支出情况"),
              _s("二.一.3", "因公出国（境）费用支出和公务用车（购置）情况"),
              narrative=False),
           _s("二.二", "项目支出",
              _s("二.二.1", "项目资金总投入情况"),
              _s("二.二.2", "项目资金实际使用情况分析"),
              _s("二.二.3", "项目资金管理情况"),
              narrative=False),
           narrative=False, parts=("figure_tables",)),
        _s("三", "部门专项组织实施情况",
           _s("三.一", "项目组织情况"),
           _s("三.二", "项目管理情况"),
           narrative=False),
        _s("四", "资产管理情况",
           _s("四.一", "固定资产情况"),
           _s("四.二", "固定资产管理情况"),
           narrative=False),
        _s("五", "部门整体支出绩效情况",
           _s("五.一", "整体绩效情况分析"),
           _s("五.二", "单位项目资金绩效分析", parts=("project_analyses", "text")),
           ),
        _s("六", "存在的主要问题"),
        _s("七", "改进措施和有关建议"),
        _s("八", "单位在资金管理、项目管理等方面的先进经验及做法"),
        _s("九", "部门整体支出绩效评价等级", parts=("text", "grade_sentence")),
    ),
    figure_sections={
        "meta": "一", "profile": "一", "income": "二", "expenditure": "二",
        "three_public": "二", "projects": "五", "assets": "四", "procurement": "三",
        "scoring": "附", "self_eval": "九", "prior_year": "二",
    },
)

SHORT5 = Template(
    id="short5",
    name="区县五部分简表",
    sections=(
        _s("一", "预算单位基本情况", parts=("text", "duties_paren", "staff_sentence")),
        _s("二", "预算收支出情况（按单位预算口径）",
           parts=("income_sentence", "expenditure_sentence", "text", "figure_tables")),
        _s("三", "资金使用及绩效情况（包含单位管理的公共专项）",
           _s("三.一", "整体支出绩效情况"),
           _s("三.二", "项目支出绩效情况", parts=("project_lists", "text")),
           narrative=False),
        _s("四", "绩效管理存在的问题及下一步改进措施"),
        _s("五", "其他需要说明的情况"),
    ),
    figure_sections={
        "meta": "一", "profile": "一", "income": "二", "expenditure": "二",
        "three_public": "二", "projects": "三", "assets": "二", "procurement": "二",
        "scoring": "附", "self_eval": "四", "prior_year": "二",
    },
    appendix=False,
)

TEMPLATES = {t.id: t for t in (HUNAN9, SHORT5)}
APPENDIX_ID = "附"
# the submission forms' own blocks have a tab of their own (gui/sections/tab.py FormTab); the section
# id of a form is its short name (fields.FORMS)
FORM_SECTIONS = {"dept_form": "部门自评表", "basic_data": "基础数据表", "project_form": "项目自评表"}
APPENDIX_TITLE = "附相关评分"


def get_template(template_id: str) -> Template:
    return TEMPLATES.get(template_id, HUNAN9)


def section_of_path(path: str, template_id: str) -> str:
    """Which top-level section (tab) a field path belongs to: '一' … '九' or '附'."""
    template = get_template(template_id)
    m = re.match(r"(narrative|headings)\[([^\]]+)\]", path)
    if m:
        return m.group(2).split(".")[0]
    head = re.match(r"[A-Za-z_]+", path)
    key = head.group(0) if head else path
    if key in FORM_SECTIONS:
        return FORM_SECTIONS[key]
    if key == "projects" and ".form." in path:
        return FORM_SECTIONS["project_form"]
    if key == "projects" and ".indicators" in path:
        return APPENDIX_ID
    if key == "expenditure" and template.id == "hunan9" and ("by_econ" in path):
        return "二"
    return template.figure_sections.get(key, template.sections[0].id)


def report_title(unit_name: str, fiscal_year: int | None) -> str:
    year = f"{fiscal_year}年度" if fiscal_year else ""
    return f"{unit_name}{year}部门整体支出绩效自评报告"
