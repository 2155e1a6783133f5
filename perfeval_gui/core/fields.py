"""The field registry: the ONE place that names every field of the report.

For every field path (list indices written as ``[]``: ``projects[].actual``) it holds the Chinese
label the officer sees, the kind of value, the unit, and the other names officers write for the
same figure (aliases: narrative wording, older Excel template labels, headers of official forms).
The window's forms and tables, undo texts, Excel layouts, the Word export and import, the
narrative lexicon and the rule messages all read their wording from here, so renaming a label is
one edit.

Also here: the vocabularies of coded values (project kinds, economic scopes, 三公 parts, score
rules, directions, templates) with their label and short form.

Pure Python, no Qt.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# value kinds
AMOUNT, COUNT, SCORE, MEASURE, YEAR, TEXT, CHOICE, DATE, NARRATIVE = (
    "amount", "count", "score", "measure", "year", "text", "choice", "date", "narrative")


@dataclass(frozen=True)
class FieldInfo:
    key: str                         # path pattern: 'income.budget_initial', 'projects[].actual'
    label: str                       # the form label: window, Excel template, Word, messages
    kind: str = AMOUNT
    unit: str = ""                   # '万元', '人', '分', '个', '辆', '间'
    aliases: tuple[str, ...] = ()    # other names written for the same figure
    short: str = ""                  # compact label for table headers (defaults to label)
    hint: str = ""                   # example / explanation shown next to an input
    virtual: bool = False            # a derived figure named in findings, not a stored field

    @property
    def header(self) -> str:
        return self.short or self.label

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of this figure: label, short form, aliases (no duplicates, label first)."""
        out: list[str] = []
        for n in (self.label, self.short, *self.aliases):
            if n and n not in out:
                out.append(n)
        return tuple(out)


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    short: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n in (self.label, self.short, *self.aliases) if n))


class Vocabulary:
    """Coded values with their Chinese label, short form and aliases."""

    def __init__(self, *choices: Choice) -> None:
        self.choices = choices
        self._by_code = {c.code: c for c in choices}
        self._by_name: dict[str, str] = {}
        for c in choices:
            for n in (c.code, *c.names):
                self._by_name.setdefault(n, c.code)

    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.choices)

    def label(self, code: str) -> str:
        c = self._by_code.get(code)
        return c.label if c else code

    def short(self, code: str) -> str:
        c = self._by_code.get(code)
        return (c.short or c.label) if c else code

    def code_for(self, text: str, default: str | None = None) -> str | None:
        """The code a label, short form, alias or code stands for (surrounding spaces ignored)."""
        return self._by_name.get(text.strip(), default) if isinstance(text, str) else default

    def pairs(self) -> list[tuple[str, str]]:
        """(code, label) for choice widgets."""
        return [(c.code, c.label) for c in self.choices]


# ------------------------------------------------------------------ vocabularies
# report outlines (meta.template) and their Chinese names live in the profile files: core/template.outlines()
PROJECT_KINDS = Vocabulary(
    Choice("initial", "年初预算项目", "年初", ("年初预算",)),
    Choice("added", "年中追加项目", "追加", ("年中追加", "追加项目")),
    Choice("carried", "上年结转项目", "结转", ("上年结转",)),
)
ECON_SCOPES = Vocabulary(
    Choice("basic", "基本支出", "基本支出"),
    Choice("project", "项目支出", "项目支出"),
    Choice("total", "合计", "合计口径", ("合计口径",)),
)
THREE_PUBLIC_PARTS = Vocabulary(
    Choice("abroad", "因公出国（境）费", "因公出国（境）", ("因公出国费", "因公出国", "出国（境）费", "出国费")),
    Choice("vehicle_purchase", "公务用车购置费", "公务用车购置", ()),
    Choice("vehicle_operation", "公务用车运行维护费", "公务用车运行维护", ("公务用车运行费", "公务用车运维费")),
    Choice("reception", "公务接待费", "公务接待", ()),
    Choice("meeting_fee", "会议费", "会议费"),
    Choice("training_fee", "培训费", "培训费"),
)
BUDGET_ACTUAL = Vocabulary(Choice("budget", "预算数"), Choice("actual", "实际支出"))
SCORE_RULES = Vocabulary(
    Choice("exec_rate", "执行率"), Choice("ratio_up", "越高越好"), Choice("ratio_down", "越低越好"),
    Choice("equal", "等于目标"),
    Choice("deduct_per_point", "按点扣分"), Choice("bands", "分档"), Choice("qualitative", "定性"),
    Choice("manual", "手工"),
)
DIRECTIONS = Vocabulary(Choice("≥", "≥"), Choice("≤", "≤"), Choice("=", "="), Choice("qual", "定性"))
QUAL_TIERS = Vocabulary(Choice("达成", "达成"), Choice("部分达成", "部分达成"), Choice("未达成", "未达成"))
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


# ------------------------------------------------------------------ the fields
def _f(key: str, label: str, kind: str = AMOUNT, unit: str | None = None, aliases: tuple[str, ...] = (),
       short: str = "", hint: str = "", virtual: bool = False) -> FieldInfo:
    if unit is None:
        unit = "万元" if kind == AMOUNT else ""
    return FieldInfo(key, label, kind, unit, aliases, short, hint, virtual)


_FIELDS: list[FieldInfo] = [
    # meta
    _f("meta.unit_name", "单位名称", TEXT, hint="例：浏阳市优化营商环境协调事务中心"),
    _f("meta.fiscal_year", "报告年度", YEAR, aliases=("年度",), hint="例：2023"),
    _f("meta.template", "报告格式", CHOICE),
    _f("meta.unit_code", "预算编码", TEXT),
    _f("meta.unit_type", "单位性质", TEXT, hint="例：公益一类事业单位"),
    _f("meta.rank", "机构级别", TEXT, hint="例：正科级"),
    _f("meta.supervisor", "主管部门", TEXT),
    _f("meta.report_date", "报告日期", DATE, aliases=("报告日期（年-月-日）",), hint="例：2024-03-05"),
    _f("meta.contact", "联系人", TEXT),
    _f("meta.phone", "联系电话", TEXT),
    _f("meta.amount_decimals", "金额小数位数", COUNT, "位"),
    _f("meta.rule_profile", "模板（省份）", CHOICE, aliases=("检查规则配置", "报告模板"),
       hint="报告配置：提纲、评分办法、等级分档、检查阈值（docs/profiles.md）"),
    # profile
    _f("profile.duties", "部门职能", TEXT),
    _f("profile.duties[]", "职能", TEXT),
    _f("profile.org_units", "内设机构", TEXT),
    _f("profile.org_units[].name", "科室名称", TEXT),
    _f("profile.org_units[].duties", "主要职责", TEXT),
    _f("profile.declared_org_unit_count", "内设科室个数", COUNT, "个",
       aliases=("内设科室数", "内设科室个数（报告中写的）", "内设科室", "内设机构")),
    _f("profile.staff_authorized", "编制人数", COUNT, "人", aliases=("编制",), hint="人；例：12"),
    _f("profile.staff_kind", "编制性质", TEXT, aliases=("编制类型",), hint="例：全额拨款事业编制"),
    _f("profile.leader_posts", "领导职数", TEXT),
    _f("profile.leader_posts[].title", "职务", TEXT),
    _f("profile.leader_posts[].quota", "职数", COUNT, "人"),
    _f("profile.staff_by_role", "在职人员构成", TEXT),
    _f("profile.staff_by_role[].role", "岗位/类别", TEXT),
    _f("profile.staff_by_role[].count", "人数", COUNT, "人"),
    _f("profile.staff_actual", "实有人数", COUNT, "人", aliases=("在职人数", "实有人员"), hint="人；例：11"),
    # income
    _f("income.budget_initial", "年初预算", aliases=("年初预算数",), hint="例：115.62"),
    _f("income.budget_adjustment", "调整追加", aliases=("追加预算", "调整追加（调减填负数）", "年中追加"),
       hint="调减填负数；例：18.23"),
    _f("income.budget_total", "全年预算数", aliases=("全年预算", "预算收入", "调整后预算数"), hint="例：133.85"),
    _f("income.other_sources", "其他资金来源", aliases=("其他资金",)),
    _f("income.carryover_prior", "上年结转", aliases=("年初结转和结余", "年初结转结余")),
    _f("income.fiscal_funds", "财政资金", aliases=("其中：财政资金", "财政拨款")),
    # expenditure
    _f("expenditure.total", "支出合计", aliases=("总支出", "支出总额", "本年支出合计", "全年执行数"), hint="例：133.85"),
    _f("expenditure.basic", "基本支出", hint="例：121.47"),
    _f("expenditure.personnel", "人员经费", aliases=("其中：人员经费",)),
    _f("expenditure.public_ops", "日常公用经费", aliases=("公用经费", "其中：日常公用经费")),
    _f("expenditure.project_total", "项目支出", hint="例：12.38"),
    _f("expenditure.project_budget_total", "项目预算合计", aliases=("项目预算合计（报告中写的）",)),
    _f("expenditure.carryover_end", "结余结转", aliases=("结转结余", "年末结余结转", "年末结转和结余")),
    _f("expenditure.by_function", "按功能分类支出", TEXT, aliases=("功能分类支出",)),
    _f("expenditure.by_function[].code", "科目编码", TEXT, aliases=("功能分类科目编码",)),
    _f("expenditure.by_function[].name", "科目名称", TEXT, aliases=("功能分类科目名称",)),
    _f("expenditure.by_function[].amount", "金额", aliases=("支出金额", "决算数")),
    _f("expenditure.by_econ", "按经济分类支出", TEXT, aliases=("经济分类支出",)),
    _f("expenditure.by_econ[].scope", "口径", CHOICE),
    _f("expenditure.by_econ[].code", "科目编码", TEXT, aliases=("经济分类科目编码",)),
    _f("expenditure.by_econ[].name", "科目名称", TEXT, aliases=("经济分类科目名称",)),
    _f("expenditure.by_econ[].amount", "金额"),
    # projects
    _f("projects", "项目支出表", TEXT, aliases=("项目",)),
    _f("projects[].name", "项目名称", TEXT),
    _f("projects[].kind", "项目类别", CHOICE, aliases=("项目类型", "类别")),
    _f("projects[].budget_initial", "年初预算", aliases=("年初预算数",)),
    _f("projects[].budget_adjustment", "调整追加"),
    _f("projects[].budget_final", "全年预算", aliases=("全年预算数", "调整后预算数")),
    _f("projects[].actual", "实际支出", aliases=("全年执行数", "预算执行数")),
    _f("projects[].carryover", "结余结转", aliases=("结转结余",)),
    _f("projects[].carryover_prior", "上年结转", aliases=("上年结转资金",)),
    _f("projects[].fund_source", "资金来源", TEXT),
    _f("projects[].purpose", "项目概况", NARRATIVE),
    _f("projects[].analysis_economy", "经济性分析", NARRATIVE),
    _f("projects[].analysis_effectiveness", "效益性分析", NARRATIVE),
    _f("projects[].analysis_sustainability", "可持续性分析", NARRATIVE),
    _f("projects[].indicators", "项目绩效指标", TEXT),
    _f("projects[].self_score", "自评得分", SCORE, "分"),
    _f("projects[].deviation_reason", "偏差原因", TEXT),
    # 三公 (budget / actual of each part; see THREE_PUBLIC_PARTS)
    *(_f(f"three_public.{part.code}.{ba.code}", f"{part.label}{ba.label}",
         aliases=(part.label,) + part.aliases if ba.code == "actual" else ())
      for part in THREE_PUBLIC_PARTS.choices for ba in BUDGET_ACTUAL.choices),
    _f("three_public.total_stated", "“三公”经费合计", aliases=("三公经费合计（填报数）", "三公经费合计（报告中写的）")),
    _f("three_public.total", "“三公”经费合计", aliases=("三公经费", "三公", "“三公”经费"), virtual=True),
    _f("three_public.prior_year_total", "上年“三公”经费合计", aliases=("上年三公经费合计",)),
    # assets
    _f("assets.fixed_begin", "固定资产年初数"),
    _f("assets.fixed_increase", "固定资产本年增加", aliases=("本年增加",)),
    _f("assets.fixed_decrease", "固定资产本年减少", aliases=("本年减少",)),
    _f("assets.fixed_end", "固定资产年末数"),
    _f("assets.intangible_end", "无形资产年末数"),
    _f("assets.vehicles", "公务车辆", COUNT, "辆", aliases=("车辆数", "公务车辆（辆）")),
    _f("assets.rooms", "办公用房", COUNT, "间", aliases=("办公用房（间）",)),
    # procurement
    _f("procurement.budget", "政府采购预算"),
    _f("procurement.actual", "政府采购实际支出", aliases=("政府采购实际",)),
    # scoring table (the unit's 评分表) and project indicators share the ScoreNode columns
    _f("scoring.nodes", "评分表", TEXT, aliases=("评分表指标",)),
    _f("self_eval.score_stated", "自评得分", SCORE, "分", aliases=("自评得分（报告中写的）",), hint="分；例：99"),
    _f("self_eval.grade_stated", "自评等级", TEXT, aliases=("自评等级（报告中写的）",), hint="优/良/中/差"),
    # derived figures that findings name
    _f("derived.exec_rate", "预算执行率", MEASURE, "%", virtual=True),
    _f("derived.funds_available", "可用资金合计", virtual=True),
]

# columns of a scoring node (the unit's 评分表 and each project's indicators)
_NODE_COLUMNS: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    # attr, label, kind, unit, aliases
    ("id", "编号", TEXT, "", ()),
    ("level", "级次", COUNT, "", ("层级",)),
    ("name", "指标名称", TEXT, "", ()),
    ("parent_id", "上级编号", TEXT, "", ()),
    ("weight", "分值", SCORE, "分", ("权重",)),
    ("rule", "计分方法", CHOICE, "", ("评分规则",)),
    ("target_text", "年度指标值（原文）", TEXT, "", ("指标值（原文）",)),
    ("target", "指标值", MEASURE, "", ("年度指标值",)),
    ("achieved_text", "实际完成值（原文）", TEXT, "", ("完成值（原文）",)),
    ("achieved", "完成值", MEASURE, "", ("实际完成值", "全年实际值")),
    ("unit", "度量单位", TEXT, "", ("单位", "计量单位")),
    ("direction", "指标性质", CHOICE, "", ("方向",)),
    ("tier", "定性档次", CHOICE, "", ("完成档次",)),
    ("score_stated", "得分", SCORE, "分", ()),
    ("deviation_reason", "偏差原因分析及改进措施", TEXT, "", ("偏差原因", "未完成原因", "未完成原因分析")),
    ("evidence", "佐证材料", TEXT, "", ()),
]
for _prefix in ("scoring.nodes[]", "projects[].indicators[]"):
    for _attr, _label, _kind, _unit, _aliases in _NODE_COLUMNS:
        _FIELDS.append(FieldInfo(f"{_prefix}.{_attr}", _label, _kind, _unit, _aliases))

REGISTRY: dict[str, FieldInfo] = {}
for _info in _FIELDS:
    if _info.key in REGISTRY:
        raise RuntimeError(f"field registry: {_info.key} registered twice")
    REGISTRY[_info.key] = _info

# what one row of each list is called, and which attribute names it
LIST_ITEMS: dict[str, tuple[str, str]] = {
    "projects": ("项目", "name"),
    "expenditure.by_function": ("功能分类科目", "name"),
    "expenditure.by_econ": ("经济分类科目", "name"),
    "profile.org_units": ("内设机构", "name"),
    "profile.leader_posts": ("领导职务", "title"),
    "profile.staff_by_role": ("人员类别", "role"),
    "profile.duties": ("部门职能", ""),
    "scoring.nodes": ("评分表指标", "name"),
    "projects[].indicators": ("指标", "name"),
}

# dict-valued containers keyed by a slot id or a field path
_CONTAINERS = {"narrative": "正文", "headings": "标题", "prior_year": "上年数", "final_accounts": "决算数",
               "acknowledged": "已核实说明"}

_INDEX = re.compile(r"\[(\d+)\]")


def pattern_of(path: str) -> str:
    """'projects[2].indicators[0].score_stated' → 'projects[].indicators[].score_stated'."""
    return _INDEX.sub("[]", path)


def info(path: str) -> FieldInfo | None:
    """The registry entry of a concrete path or a pattern; None when the path has none."""
    return REGISTRY.get(pattern_of(path))


def label(path: str) -> str:
    """The form label of a path's field, without the row it belongs to ('projects[2].actual' → '实际支出')."""
    i = info(path)
    return i.label if i else path


def unit(path: str) -> str:
    i = info(path)
    return i.unit if i else ""


def kind(path: str) -> str:
    i = info(path)
    return i.kind if i else TEXT


def _item_name(report: Any, list_path: str, index: int) -> str:
    noun, attr = LIST_ITEMS.get(pattern_of(list_path), ("", ""))
    name = ""
    if report is not None:
        try:
            from .model import get_value
            value = get_value(report, f"{list_path}[{index}].{attr}" if attr else f"{list_path}[{index}]")
            name = value.strip() if isinstance(value, str) else ""
        except Exception:   # a path that no longer exists: name the row by its number
            name = ""
    noun = noun or "行"
    if name:
        return f"{noun}“{name[:30]}”"
    return f"第{index + 1}个{noun}" if noun != "行" else f"第{index + 1}行"


def field_label(path: str, report: Any = None) -> str:
    """How a field path is named to the officer, with the row it belongs to.

    'income.budget_initial' → '年初预算'; 'projects[2].actual' → '项目“党建经费”的实际支出'
    (or '第3个项目的实际支出' without the report); 'narrative[五.一]' → '正文（五（一）…）';
    'prior_year[expenditure.total]' → '上年数：支出合计'. Never raises; an unknown path is shown as it is.
    """
    try:
        return _field_label(path, report)
    except Exception:
        return path


def _field_label(path: str, report: Any) -> str:
    m = re.fullmatch(r"([a-z_]+)\[(.+)\]", path)
    if m and m.group(1) in _CONTAINERS:
        container, key = m.group(1), m.group(2)
        if container in ("prior_year", "final_accounts"):
            return f"{_CONTAINERS[container]}：{field_label(key, report)}"
        if container in ("narrative", "headings"):
            return f"{_CONTAINERS[container]} {_slot_name(key, report)}"
        return _CONTAINERS[container]
    # walk the list indices: projects[2].indicators[0].score_stated
    parts = re.split(r"(\[\d+\])", path)
    owner: list[str] = []
    prefix = ""
    for i, part in enumerate(parts):
        im = re.fullmatch(r"\[(\d+)\]", part)
        if im:
            owner.append(_item_name(report, prefix, int(im.group(1))))
            prefix += part
        else:
            prefix += part
    entry = info(path)
    leaf = entry.label if entry else ""
    if not entry:
        # a whole row: 'projects[2]' → the row's name alone
        if owner and re.search(r"\[\d+\]$", path):
            return "的".join(owner)
        return path
    if owner and pattern_of(path).endswith("[]"):
        return "的".join(owner)          # a string list item: 'profile.duties[1]'
    return "的".join([*owner, leaf]) if owner else leaf


def _slot_name(slot_id: str, report: Any) -> str:
    from .template import get_template, slot_label
    template_id = getattr(getattr(report, "meta", None), "template", "")
    try:
        return slot_label(get_template(template_id), slot_id)
    except Exception:
        return slot_id


def undo_text(path: str, report: Any = None) -> str:
    """The 编辑 menu text of an edit of one field: '修改 单位名称'."""
    return f"修改 {field_label(path, report)}"


def names_of(path: str) -> tuple[str, ...]:
    """Label, short form and aliases of a field (for recognisers of headers and narrative)."""
    i = info(path)
    return i.names if i else ()


def alias_map(keys: list[str] | tuple[str, ...] | None = None) -> dict[str, str]:
    """name → field key for the given keys (all scalar fields when None); first registration wins."""
    out: dict[str, str] = {}
    for key, i in REGISTRY.items():
        if keys is not None and key not in keys:
            continue
        if keys is None and "[]" in key:
            continue
        for n in i.names:
            out.setdefault(n, key)
    return out
