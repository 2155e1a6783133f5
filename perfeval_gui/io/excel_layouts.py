"""Excel layouts: our own data template and the header keywords of the external tables we read.

Pure data (no openpyxl, no Qt): shared by the template writer (excel_template.py), the
importer (excel_import.py) and the import dialog (field labels for the mapping step).

Layouts are recognised by header *text*, never by fixed cell addresses. openpyxl's read-only
mode does not expose merged ranges, so a merged header is seen as text in its top-left cell
and empty cells to the right/below; the readers therefore (a) find header cells by text
anywhere in the first rows and (b) carry the last non-empty label down a label column
(一级指标 / 二级指标 merged over several rows).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# value kinds: money (万元 Decimal), count (int), score (Decimal), year (int), text (str)
MONEY, COUNT, SCORE, YEAR, TEXT = "money", "count", "score", "year", "text"

LAYOUT_TEMPLATE = "本程序数据模板"
LAYOUT_PROJECT_SELF_EVAL = "项目支出绩效自评表"
LAYOUT_FINAL_ACCOUNTS = "收入支出决算总表"
LAYOUT_CUSTOM = "自定义映射"

CODE_HEADER = "字段代码"
EXAMPLE_PREFIXES = ("（示例）", "(示例)", "示例：", "示例")


@dataclass(frozen=True)
class FieldDef:
    path: str
    label: str
    kind: str = MONEY
    hint: str = ""


# ------------------------------------------------------------------ key-value sheets
# sheet → fields, in row order. Columns: 字段 | 数值 | 说明 | 字段代码
KV_SHEETS: dict[str, list[FieldDef]] = {
    "基本信息": [
        FieldDef("meta.unit_name", "单位名称", TEXT, "例：浏阳市优化营商环境协调事务中心"),
        FieldDef("meta.unit_code", "预算编码", TEXT),
        FieldDef("meta.supervisor", "主管部门", TEXT),
        FieldDef("meta.unit_type", "单位性质", TEXT, "例：公益一类事业单位"),
        FieldDef("meta.rank", "机构级别", TEXT, "例：正科级"),
        FieldDef("meta.fiscal_year", "年度", YEAR, "例：2023"),
        FieldDef("meta.report_date", "报告日期", TEXT, "例：2024-03-05"),
        FieldDef("meta.contact", "联系人", TEXT),
        FieldDef("meta.phone", "联系电话", TEXT),
        FieldDef("profile.staff_authorized", "编制人数", COUNT, "人；例：12"),
        FieldDef("profile.staff_kind", "编制类型", TEXT, "例：全额拨款事业编制"),
        FieldDef("profile.staff_actual", "实有人数", COUNT, "人；例：11"),
        FieldDef("profile.declared_org_unit_count", "内设科室数", COUNT, "个"),
        FieldDef("self_eval.score_stated", "自评得分", SCORE, "分；例：99"),
        FieldDef("self_eval.grade_stated", "自评等级", TEXT, "优/良/中/差"),
    ],
    "收入": [
        FieldDef("income.budget_initial", "年初预算", MONEY, "例：115.62"),
        FieldDef("income.budget_adjustment", "调整追加（调减填负数）", MONEY, "例：18.23"),
        FieldDef("income.budget_total", "全年预算数", MONEY, "例：133.85"),
        FieldDef("income.other_sources", "其他资金来源", MONEY),
        FieldDef("income.carryover_prior", "上年结转", MONEY),
        FieldDef("income.fiscal_funds", "其中：财政资金", MONEY),
    ],
    "支出": [
        FieldDef("expenditure.total", "支出合计", MONEY, "例：133.85"),
        FieldDef("expenditure.basic", "基本支出", MONEY, "例：121.47"),
        FieldDef("expenditure.personnel", "其中：人员经费", MONEY),
        FieldDef("expenditure.public_ops", "其中：日常公用经费", MONEY),
        FieldDef("expenditure.project_total", "项目支出", MONEY, "例：12.38"),
        FieldDef("expenditure.project_budget_total", "项目预算合计", MONEY),
        FieldDef("expenditure.carryover_end", "结余结转", MONEY),
        FieldDef("procurement.budget", "政府采购预算", MONEY),
        FieldDef("procurement.actual", "政府采购实际支出", MONEY),
    ],
    "三公经费": [
        *(FieldDef(f"three_public.{key}.{which}", f"{name}{wlabel}", MONEY)
          for key, name in (("abroad", "因公出国（境）费"), ("vehicle_purchase", "公务用车购置费"),
                            ("vehicle_operation", "公务用车运行维护费"), ("reception", "公务接待费"),
                            ("meeting_fee", "会议费"), ("training_fee", "培训费"))
          for which, wlabel in (("budget", "预算数"), ("actual", "实际支出"))),
        FieldDef("three_public.total_stated", "三公经费合计（填报数）", MONEY, "例：0.5"),
        FieldDef("three_public.prior_year_total", "上年三公经费合计", MONEY),
    ],
    "资产": [
        FieldDef("assets.fixed_begin", "固定资产年初数", MONEY),
        FieldDef("assets.fixed_increase", "固定资产本年增加", MONEY),
        FieldDef("assets.fixed_decrease", "固定资产本年减少", MONEY),
        FieldDef("assets.fixed_end", "固定资产年末数", MONEY),
        FieldDef("assets.intangible_end", "无形资产年末数", MONEY),
        FieldDef("assets.vehicles", "车辆数", COUNT, "辆"),
        FieldDef("assets.rooms", "办公用房（间）", COUNT, "间"),
    ],
}

KV_HEADERS = ("字段", "数值", "说明", CODE_HEADER)

# ------------------------------------------------------------------ table sheets
PROJECT_KIND_LABELS = {"initial": "年初预算项目", "added": "年中追加项目", "carried": "上年结转项目"}
ECON_SCOPE_LABELS = {"basic": "基本支出", "project": "项目支出", "total": "合计"}


@dataclass(frozen=True)
class ColumnDef:
    attr: str
    header: str
    kind: str = MONEY
    aliases: tuple[str, ...] = ()


TABLE_SHEETS: dict[str, tuple[str, list[ColumnDef]]] = {
    "项目": ("projects", [
        ColumnDef("name", "项目名称", TEXT),
        ColumnDef("kind", "项目类型", TEXT),
        ColumnDef("budget_initial", "年初预算"),
        ColumnDef("budget_adjustment", "调整追加"),
        ColumnDef("budget_final", "全年预算数"),
        ColumnDef("actual", "实际支出"),
        ColumnDef("carryover", "结余结转"),
        ColumnDef("carryover_prior", "上年结转"),
        ColumnDef("fund_source", "资金来源", TEXT),
        ColumnDef("self_score", "自评得分", SCORE),
        ColumnDef("deviation_reason", "偏差原因", TEXT),
    ]),
    "功能分类": ("expenditure.by_function", [
        ColumnDef("code", "科目编码", TEXT, ("功能分类科目编码",)),
        ColumnDef("name", "科目名称", TEXT, ("功能分类科目名称",)),
        ColumnDef("amount", "金额", MONEY, ("支出金额", "决算数")),
    ]),
    "经济分类": ("expenditure.by_econ", [
        ColumnDef("scope", "口径", TEXT),
        ColumnDef("code", "科目编码", TEXT),
        ColumnDef("name", "科目名称", TEXT),
        ColumnDef("amount", "金额"),
    ]),
    "评分表": ("scoring.nodes", [
        ColumnDef("project", "所属项目", TEXT),
        ColumnDef("id", "编号", TEXT),
        ColumnDef("level", "层级", COUNT),
        ColumnDef("parent_id", "上级编号", TEXT),
        ColumnDef("name", "指标名称", TEXT),
        ColumnDef("weight", "分值", SCORE),
        ColumnDef("rule", "评分规则", TEXT),
        ColumnDef("direction", "指标性质", TEXT),
        ColumnDef("target", "指标值", SCORE),
        ColumnDef("achieved", "完成值", SCORE),
        ColumnDef("unit", "度量单位", TEXT),
        ColumnDef("target_text", "指标值（原文）", TEXT),
        ColumnDef("achieved_text", "完成值（原文）", TEXT),
        ColumnDef("score_stated", "得分", SCORE),
        ColumnDef("tier", "完成档次", TEXT),
        ColumnDef("deviation_reason", "偏差原因", TEXT),
    ]),
}

TEMPLATE_SHEET_ORDER = ("基本信息", "收入", "支出", "项目", "功能分类", "经济分类", "三公经费", "资产", "评分表")

SCALAR_FIELDS: dict[str, FieldDef] = {f.path: f for fields in KV_SHEETS.values() for f in fields}
LIST_LABELS = {"projects": "项目", "expenditure.by_function": "功能分类支出", "expenditure.by_econ": "经济分类支出",
               "scoring.nodes": "评分表指标"}


def field_label(path: str) -> str:
    """Chinese name of a field path (for previews); falls back to the path."""
    if path in SCALAR_FIELDS:
        return SCALAR_FIELDS[path].label
    if path in LIST_LABELS:
        return LIST_LABELS[path]
    m = re.fullmatch(r"projects\[(\d+)\]", path)
    if m:
        return f"项目（第 {int(m.group(1)) + 1} 个）"
    return path


# ------------------------------------------------------------------ header text helpers
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])\s*")
_SPACES = re.compile(r"[\s\u3000]+")


def norm_label(text: object) -> str:
    """Header/label text without spaces, numbering (一、 （一） 1.) and full-width brackets."""
    if not isinstance(text, str):
        return ""
    s = _SPACES.sub("", text)
    s = _NUMBERING.sub("", s)
    return s.replace("(", "（").replace(")", "）").replace(":", "：")


# 项目支出绩效自评表 — budget block columns and indicator block columns
SELF_EVAL_BUDGET_COLS = {
    "budget_initial": ("年初预算数",),
    "budget_final": ("全年预算数", "调整后预算数", "全年预算数（A）", "全年预算数(A)"),
    "actual": ("全年执行数", "预算执行数", "全年执行数（B）"),
    "exec_rate": ("执行率", "执行率（B/A）"),
    "weight": ("分值", "权重"),
    "score": ("得分",),
}
SELF_EVAL_INDICATOR_COLS = {
    "l1": ("一级指标",),
    "l2": ("二级指标",),
    "l3": ("三级指标",),
    "direction": ("指标性质",),
    "target": ("指标值", "年度指标值"),
    "unit": ("度量单位", "计量单位"),
    "achieved": ("完成值", "实际完成值", "全年实际值"),
    "weight": ("分值", "权重"),
    "score": ("得分",),
    "reason": ("偏差原因", "偏差原因分析及改进措施", "未完成原因", "未完成原因分析",
               "偏差原因分析及改进措施"),
}

# 收入支出决算总表 — row labels → field paths
FINAL_ACCOUNTS_LABELS: list[tuple[tuple[str, ...], str]] = [
    (("一般公共预算财政拨款收入", "一般公共预算财政拨款"), "income.fiscal_funds"),
    (("其他收入",), "income.other_sources"),
    (("本年收入合计",), "income.budget_total"),
    (("年初结转和结余", "年初结转结余"), "income.carryover_prior"),
    (("本年支出合计",), "expenditure.total"),
    (("基本支出",), "expenditure.basic"),
    (("人员经费",), "expenditure.personnel"),
    (("公用经费", "日常公用经费"), "expenditure.public_ops"),
    (("项目支出",), "expenditure.project_total"),
    (("年末结转和结余", "年末结转结余"), "expenditure.carryover_end"),
]
FINAL_ACCOUNTS_VALUE_HEADERS = ("决算数", "金额", "本年数", "年度决算数", "本年决算数")
FINAL_ACCOUNTS_COLUMN_FIELDS = {"基本支出": "expenditure.basic", "项目支出": "expenditure.project_total",
                                "合计": "expenditure.total"}
