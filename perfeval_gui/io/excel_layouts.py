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


from ..core import regex
from ..core.records import record
from ..core import fields

# value kinds: money (万元 Decimal), count (int), score (Decimal), year (int), text (str)
MONEY, COUNT, SCORE, YEAR, TEXT = "money", "count", "score", "year", "text"

LAYOUT_TEMPLATE = "本程序数据模板"
LAYOUT_PROJECT_SELF_EVAL = "项目支出绩效自评表"
LAYOUT_FINAL_ACCOUNTS = "收入支出决算总表"
LAYOUT_CUSTOM = "自定义映射"
LAYOUT_FORMS = "绩效自评附表（本程序导出）"
LAYOUT_FORMS_UNIT = "部门整体支出绩效自评表/基础数据表"
FORMS_CODE_SHEET = "字段代码"                      # io/forms_xlsx.py: sheet | cell | field code | prefix | decimals
FORMS_CODE_HEADERS = ("工作表", "单元格", "字段代码", "前缀", "小数位", "值")   # 值: a fact not printed (tree structure)

CODE_HEADER = "字段代码"
EXAMPLE_PREFIXES = ("（示例）", "(示例)", "示例：", "示例")


@record(frozen=True)
class FieldDef:
    """A row of a key-value sheet of our Excel template: field path and value kind; label and names: field registry."""
    path: str
    kind: str = MONEY

    @property
    def label(self) -> str:
        return fields.label(self.path)

    @property
    def hint(self) -> str:
        info = fields.info(self.path)
        return info.hint if info else ""

    @property
    def names(self) -> tuple[str, ...]:
        return fields.names_of(self.path) or (self.label,)


# ------------------------------------------------------------------ key-value sheets
# sheet → fields, in row order. Columns: 字段 | 数值 | 说明 | 字段代码
KV_SHEETS: dict[str, list[FieldDef]] = {
    "基本信息": [
        FieldDef("meta.unit_name", TEXT),
        FieldDef("meta.unit_code", TEXT),
        FieldDef("meta.supervisor", TEXT),
        FieldDef("meta.unit_type", TEXT),
        FieldDef("meta.rank", TEXT),
        FieldDef("meta.fiscal_year", YEAR),
        FieldDef("meta.report_date", TEXT),
        FieldDef("meta.contact", TEXT),
        FieldDef("meta.phone", TEXT),
        FieldDef("profile.staff_authorized", COUNT),
        FieldDef("profile.staff_kind", TEXT),
        FieldDef("profile.staff_actual", COUNT),
        FieldDef("profile.declared_org_unit_count", COUNT),
        FieldDef("self_eval.score_stated", SCORE),
        FieldDef("self_eval.grade_stated", TEXT),
    ],
    "收入": [
        FieldDef("income.budget_initial", MONEY),
        FieldDef("income.budget_adjustment", MONEY),
        FieldDef("income.budget_total", MONEY),
        FieldDef("income.other_sources", MONEY),
        FieldDef("income.carryover_prior", MONEY),
        FieldDef("income.fiscal_funds", MONEY),
    ],
    "支出": [
        FieldDef("expenditure.total", MONEY),
        FieldDef("expenditure.basic", MONEY),
        FieldDef("expenditure.personnel", MONEY),
        FieldDef("expenditure.public_ops", MONEY),
        FieldDef("expenditure.project_total", MONEY),
        FieldDef("expenditure.project_budget_total", MONEY),
        FieldDef("expenditure.carryover_end", MONEY),
        FieldDef("procurement.budget", MONEY),
        FieldDef("procurement.actual", MONEY),
    ],
    "三公经费": [
        *(FieldDef(f"three_public.{part}.{which}", MONEY)
          for part in fields.THREE_PUBLIC_PARTS.codes() for which in fields.BUDGET_ACTUAL.codes()),
        FieldDef("three_public.total_stated", MONEY),
        FieldDef("three_public.prior_year_total", MONEY),
    ],
    "资产": [
        FieldDef("assets.fixed_begin", MONEY),
        FieldDef("assets.fixed_increase", MONEY),
        FieldDef("assets.fixed_decrease", MONEY),
        FieldDef("assets.fixed_end", MONEY),
        FieldDef("assets.intangible_end", MONEY),
        FieldDef("assets.vehicles", COUNT),
        FieldDef("assets.rooms", COUNT),
    ],
}

KV_HEADERS = ("字段", "数值", "说明", CODE_HEADER)

# ------------------------------------------------------------------ table sheets
PROJECT_KIND_LABELS = {c: fields.PROJECT_KINDS.label(c) for c in fields.PROJECT_KINDS.codes()}
ECON_SCOPE_LABELS = {c: fields.ECON_SCOPES.label(c) for c in fields.ECON_SCOPES.codes()}


@record(frozen=True)
class ColumnDef:
    """A column of a table sheet: item attribute, header, value kind, other header names recognised on import."""
    attr: str
    header: str
    kind: str = MONEY
    aliases: tuple[str, ...] = ()


def _col(list_path: str, attr: str, kind: str = MONEY) -> ColumnDef:
    """A table-sheet column named from the field registry (label as header, other names as aliases)."""
    names = fields.names_of(f"{list_path}[].{attr}")
    return ColumnDef(attr, names[0], kind, names[1:])


TABLE_SHEETS: dict[str, tuple[str, list[ColumnDef]]] = {
    "项目": ("projects", [
        _col("projects", "name", TEXT),
        _col("projects", "kind", TEXT),
        _col("projects", "budget_initial"),
        _col("projects", "budget_adjustment"),
        _col("projects", "budget_final"),
        _col("projects", "actual"),
        _col("projects", "carryover"),
        _col("projects", "carryover_prior"),
        _col("projects", "fund_source", TEXT),
        _col("projects", "self_score", SCORE),
        _col("projects", "deviation_reason", TEXT),
    ]),
    "功能分类": ("expenditure.by_function", [
        _col("expenditure.by_function", "code", TEXT),
        _col("expenditure.by_function", "name", TEXT),
        _col("expenditure.by_function", "amount", MONEY),
    ]),
    "经济分类": ("expenditure.by_econ", [
        _col("expenditure.by_econ", "scope", TEXT),
        _col("expenditure.by_econ", "code", TEXT),
        _col("expenditure.by_econ", "name", TEXT),
        _col("expenditure.by_econ", "amount"),
    ]),
    "评分表": ("scoring.nodes", [
        ColumnDef("project", "所属项目", TEXT),
        _col("scoring.nodes", "id", TEXT),
        _col("scoring.nodes", "level", COUNT),
        _col("scoring.nodes", "parent_id", TEXT),
        _col("scoring.nodes", "name", TEXT),
        _col("scoring.nodes", "weight", SCORE),
        _col("scoring.nodes", "rule", TEXT),
        _col("scoring.nodes", "direction", TEXT),
        _col("scoring.nodes", "target", SCORE),
        _col("scoring.nodes", "achieved", SCORE),
        _col("scoring.nodes", "unit", TEXT),
        _col("scoring.nodes", "target_text", TEXT),
        _col("scoring.nodes", "achieved_text", TEXT),
        _col("scoring.nodes", "score_stated", SCORE),
        _col("scoring.nodes", "tier", TEXT),
        _col("scoring.nodes", "deviation_reason", TEXT),
    ]),
}

TEMPLATE_SHEET_ORDER = ("基本信息", "收入", "支出", "项目", "功能分类", "经济分类", "三公经费", "资产", "评分表")

SCALAR_FIELDS: dict[str, FieldDef] = {f.path: f for fields in KV_SHEETS.values() for f in fields}
LIST_LABELS = {p: fields.label(p) for p in ("projects", "expenditure.by_function", "expenditure.by_econ",
                                            "scoring.nodes")}


field_label = fields.field_label


# ------------------------------------------------------------------ header text helpers
_NUMBERING = regex.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])\s*")
_SPACES = regex.compile(r"[\s\u3000]+")


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
