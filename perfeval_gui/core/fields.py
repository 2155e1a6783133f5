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
from typing import Any

from . import regex
from .records import record

# value kinds
AMOUNT, COUNT, SCORE, MEASURE, YEAR, TEXT, CHOICE, DATE, NARRATIVE = (
    "amount", "count", "score", "measure", "year", "text", "choice", "date", "narrative")


@record(frozen=True)
class FieldInfo:
    """A field of the registry: path pattern, Chinese label, value kind, unit, aliases, short header, hint, virtual."""
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


@record(frozen=True)
class Choice:
    """One coded value of a vocabulary: the stored code, its Chinese label, short form and aliases."""
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
# 基础数据表: which 项目支出 row a project is counted in ('' = listed as a 专项 of its own)
PROJECT_CATEGORIES = Vocabulary(
    Choice("", "专项", "专项", ("专项经费", "专项资金")),
    Choice("business", "业务工作经费", "业务工作", ("业务经费",)),
    Choice("maintenance", "运行维护经费", "运行维护", ("运维经费", "运行维护费")),
)
# the columns of a 年度资金 row of the 自评表 forms (FundRow attributes)
FUND_COLUMNS = Vocabulary(
    Choice("budget_initial", "年初预算数", "年初预算数", ("年初预算",)),
    Choice("budget_final", "全年预算数", "全年预算数", ("全年预算", "调整后预算数", "全年预算数（A）")),
    Choice("actual", "全年执行数", "全年执行数", ("全年执行", "预算执行数", "全年执行数（B）", "实际支出")),
)
# the rows of the 部门整体支出绩效自评表 按收入性质分 block (DeptForm attributes)
INCOME_NATURES = Vocabulary(
    Choice("general_budget", "一般公共预算", "一般公共预算", ("一般公共预算财政拨款", "一般公共预算拨款")),
    Choice("gov_fund", "政府性基金拨款", "政府性基金", ("政府性基金预算财政拨款", "政府性基金预算拨款")),
    Choice("special_account", "纳入专户管理的非税收入拨款", "专户非税收入",
           ("纳入专户管理的非税收入", "财政专户管理资金", "专户管理的非税收入拨款")),
    Choice("other_funds", "其他资金", "其他资金", ("其他收入",)),
)
# the 其中 rows of a 项目支出绩效自评表's funds block (ProjectForm attributes)
PROJECT_FUND_ROWS = Vocabulary(
    Choice("fiscal", "当年财政拨款", "当年财政拨款", ("其中：当年财政拨款", "财政拨款")),
    Choice("carryover", "上年结转资金", "上年结转资金", ("上年结转",)),
    Choice("other", "其他资金", "其他资金", ()),
)
# 基础数据表 rows of their own: 上年决算 | 本年预算 | 本年决算 (PriorBudgetFinal attributes)
PRIOR_BUDGET_FINAL = Vocabulary(
    Choice("prior", "上年决算", "上年决算", ("上年决算数",)),
    Choice("budget", "本年预算", "本年预算", ("本年预算数",)),
    Choice("final", "本年决算", "本年决算", ("本年决算数",)),
)
BASIC_DATA_ROWS = Vocabulary(
    Choice("office", "办公经费", "办公经费", ("其中：办公经费",)),
    Choice("utilities_travel", "水电差旅", "水电差旅", ("水电差旅费", "水电、差旅")),
    Choice("meeting_training", "会议培训", "会议培训", ("会议培训费", "会议、培训")),
    Choice("basic_adjustment", "部门基本支出预算调整", "基本支出预算调整", ("基本支出预算调整",)),
)
SCORE_RULES = Vocabulary(
    Choice("exec_rate", "执行率"), Choice("ratio_up", "越高越好"), Choice("ratio_down", "越低越好"),
    Choice("equal", "等于目标"),
    Choice("deduct_per_point", "按点扣分"), Choice("bands", "分档"), Choice("qualitative", "定性"),
    Choice("manual", "手工"),
)
DIRECTIONS = Vocabulary(Choice("≥", "≥"), Choice("≤", "≤"), Choice("=", "="), Choice("qual", "定性"))
QUAL_TIERS = Vocabulary(Choice("达成", "达成"), Choice("部分达成", "部分达成"), Choice("未达成", "未达成"))
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
# the three forms handed in with the report (core/forms.py lays them out)
FORMS = Vocabulary(
    Choice("dept_form", "部门整体支出绩效自评表", "部门自评表", ("部门整体支出绩效自评表（附件）",)),
    Choice("basic_data", "基础数据表", "基础数据表", ("部门整体支出绩效评价基础数据表",)),
    Choice("project_form", "项目支出绩效自评表", "项目自评表", ("项目绩效自评表",)),
)
# fixed wording printed on the forms (row and column labels that are not a field of their own)
FORM_TEXT = Vocabulary(
    Choice("unit", "预算部门/单位名称", "单位名称", ("预算单位名称", "预算部门名称", "单位名称")),
    Choice("funds", "年度预算申请（万元）", "年度预算申请", ("年度资金（万元）", "资金情况（万元）")),
    Choice("project_funds", "项目资金（万元）", "项目资金", ("项目资金",)),
    Choice("total", "年度资金总额", "年度资金总额", ("资金总额", "年度资金总额：")),
    Choice("by_income", "按收入性质分：", "按收入性质分", ("按收入性质分", "按收入性质")),
    Choice("by_expense", "按支出性质分：", "按支出性质分", ("按支出性质分", "按支出性质")),
    Choice("weight", "分值", "分值", ("权重",)),
    Choice("rate", "执行率", "执行率", ("执行率（B/A）", "预算执行率")),
    Choice("score", "得分", "得分", ()),
    Choice("dept_score", "自评得分", "自评得分", ("得分",)),
    Choice("goals", "年度总体目标", "年度总体目标", ("总体目标",)),
    Choice("goal_expected", "预期目标", "预期目标", ()),
    Choice("goal_actual", "实际完成情况", "实际完成情况", ()),
    Choice("indicators", "年度绩效指标", "绩效指标", ("绩效指标",)),
    Choice("l1", "一级指标", "一级指标"),
    Choice("l2", "二级指标", "二级指标"),
    Choice("l3", "三级指标", "三级指标"),
    Choice("target", "年度指标值", "年度指标值", ("指标值",)),
    Choice("achieved", "实际完成值", "实际完成值", ("完成值", "全年实际值")),
    Choice("reason", "偏差原因分析及改进措施", "偏差原因分析及改进措施", ("偏差原因",)),
    Choice("total_score", "总分", "总分", ("合计",)),
    Choice("grade", "自评等级", "自评等级", ()),
    Choice("node_id", "指标编号", "指标编号", ()),
    Choice("staff", "财政供养人员情况", "财政供养人员", ("财政供养人员",)),
    Choice("staff_authorized", "编制数", "编制数", ("编制人数",)),
    Choice("staff_actual", "实际在职人数", "在职人数", ("在职人数", "实有人数")),
    Choice("control_rate", "控制率", "控制率", ("在职人员控制率",)),
    Choice("funds_control", "经费控制情况", "经费控制情况", ()),
    Choice("three_public", "三公经费", "三公经费", ("“三公”经费",)),
    Choice("vehicles", "公务用车购置及运行维护", "公务用车购置及运行维护",
           ("公务用车购置及运行维护费", "公务用车购置及运行费")),
    Choice("abroad", "因公出国（境）", "因公出国（境）", ("因公出国（境）费",)),
    Choice("reception", "公务接待", "公务接待", ("公务接待费",)),
    Choice("vehicle_purchase", "公务用车购置", "公务用车购置", ("公务用车购置费",)),
    Choice("vehicle_operation", "公务用车运行维护", "公务用车运行维护", ("公务用车运行维护费",)),
    Choice("project_spending", "项目支出", "项目支出", ()),
    Choice("public_ops", "公用经费", "公用经费", ("日常公用经费",)),
    Choice("procurement", "政府采购金额", "政府采购金额", ("政府采购",)),
    Choice("buildings", "楼堂馆所控制情况", "楼堂馆所控制情况", ("楼堂馆所",)),
    Choice("approved_scale", "批复规模（㎡）", "批复规模", ("批复规模",)),
    Choice("actual_scale", "实际规模（㎡）", "实际规模", ("实际规模",)),
    Choice("scale_control", "规模控制", "规模控制", ("规模控制率",)),
    Choice("budget_investment", "预算投资（万元）", "预算投资", ("预算投资",)),
    Choice("actual_investment", "实际投资（万元）", "实际投资", ("实际投资",)),
    Choice("investment_control", "投资概算控制", "投资概算控制", ("投资概算控制率",)),
    Choice("frugality", "厉行节约保障措施", "厉行节约保障措施", ("厉行节约",)),
    Choice("public_ops_note", "注：公用经费 = 基本支出中的一般商品和服务支出。", "公用经费注释"),
    Choice("money_unit", "单位：万元", "单位：万元"),
    Choice("basic_unit", "单位：万元、人、平方米", "单位说明"),
    Choice("implementer", "实施单位", "实施单位", ()),
    Choice("supervisor", "主管部门", "主管部门", ()),
    Choice("project_name", "项目名称", "项目名称", ()),
    Choice("lead", "项目负责人", "项目负责人"),
    Choice("finance_lead", "财务负责人", "财务负责人"),
    Choice("filler", "填表人", "填表人"),
    Choice("phone", "联系电话", "联系电话"),
    Choice("date", "填报日期", "填报日期", ("填表日期",)),
    Choice("none", "—", "—"),
    Choice("year_suffix", "年度", "年度"),
)


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
    _f("projects[].kind", "项目类别", CHOICE, aliases=("项目类型", "类别"), short="类型"),
    _f("projects[].budget_initial", "年初预算", aliases=("年初预算数",)),
    _f("projects[].budget_adjustment", "调整追加"),
    _f("projects[].budget_final", "全年预算", aliases=("全年预算数", "调整后预算数")),
    # the project's budget as findings name it: 全年预算, else 年初预算 + 调整追加 (derived.project_budget_final)
    _f("projects[].budget", "预算", virtual=True),
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
    _f("projects[].category", "基础数据表类别", CHOICE, aliases=("项目支出类别",)),
    _f("projects[].form", "项目支出绩效自评表", TEXT, aliases=("项目自评表",)),
    _f("projects[].form.exec_rate_stated", "执行率（自评表）", MEASURE, "%", aliases=("执行率", "预算执行率"),
       hint="自评表上写的执行率，例：91.50%"),
    *(_f(f"projects[].form.{row.code}.{c.code}", f"{row.label}（{c.label}）",
         aliases=tuple(f"{n}{cn}" for n in row.names for cn in c.names))
      for row in PROJECT_FUND_ROWS.choices for c in FUND_COLUMNS.choices),
    _f("projects[].form.goal_expected", "年度总体目标（预期目标）", NARRATIVE, aliases=("预期目标", "年度目标")),
    _f("projects[].form.goal_actual", "年度总体目标（实际完成情况）", NARRATIVE, aliases=("实际完成情况",)),
    _f("projects[].form.grade_stated", "自评等级（自评表）", TEXT, aliases=("自评等级",), hint="优/良/中/差"),
    _f("projects[].form.supervisor", "主管部门（自评表）", TEXT, aliases=("主管部门",), hint="空＝本报告的主管部门"),
    _f("projects[].form.implementer", "实施单位", TEXT, aliases=("项目实施单位",), hint="空＝本单位"),
    _f("projects[].form.lead", "项目负责人", TEXT),
    _f("projects[].form.finance_lead", "财务负责人", TEXT),
    _f("projects[].form.filler", "填表人", TEXT),
    _f("projects[].form.phone", "联系电话（自评表）", TEXT, aliases=("联系电话",)),
    _f("projects[].form.date", "填报日期", DATE, aliases=("填表日期",), hint="例：2024-03-05"),
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
    _f("procurement.actual", "政府采购实际支出", aliases=("政府采购实际", "政府采购金额")),
    # 部门整体支出绩效自评表: its own cells (the rest of the form reads the fields above)
    _f("dept_form", "部门整体支出绩效自评表", TEXT, aliases=("部门自评表",)),
    *(_f(f"dept_form.{row.code}.{c.code}", f"{row.label}（{c.label}）",
         aliases=tuple(f"{n}{cn}" for n in row.names for cn in c.names))
      for row in INCOME_NATURES.choices for c in FUND_COLUMNS.choices),
    _f("dept_form.basic_budget_initial", "基本支出（年初预算数）", aliases=("基本支出年初预算数", "基本支出年初预算")),
    _f("dept_form.basic_budget_final", "基本支出（全年预算数）", aliases=("基本支出全年预算数", "基本支出全年预算")),
    _f("dept_form.project_budget_initial", "项目支出（年初预算数）", aliases=("项目支出年初预算数", "项目支出年初预算")),
    _f("dept_form.exec_weight", "年度资金总额分值", SCORE, "分", aliases=("资金分值",), hint="分；一般为 10"),
    _f("dept_form.exec_rate_stated", "执行率（部门自评表）", MEASURE, "%", aliases=("年度资金执行率",),
       hint="自评表上写的执行率，例：98.50%"),
    _f("dept_form.exec_score_stated", "年度资金总额得分", SCORE, "分", aliases=("资金执行得分",)),
    _f("dept_form.goal_expected", "年度总体目标（预期目标）", NARRATIVE, aliases=("部门年度总体目标", "预期目标")),
    _f("dept_form.goal_actual", "年度总体目标（实际完成情况）", NARRATIVE, aliases=("实际完成情况",)),
    # 基础数据表: its own cells
    _f("basic_data", "基础数据表", TEXT),
    _f("basic_data.staff_control_rate_stated", "控制率（基础数据表）", MEASURE, "%",
       aliases=("在职人员控制率", "人员控制率", "控制率"), hint="表上写的控制率，例：91.67%"),
    _f("basic_data.public_ops_budget", "公用经费（本年预算）", aliases=("公用经费本年预算", "公用经费预算")),
    *(_f(f"basic_data.{row.code}.{c.code}", f"{row.label}（{c.label}）",
         # the row's own name stands for its 本年决算 (what a sentence of the report states)
         aliases=tuple(f"{n}{cn}" for n in row.names for cn in c.names) + (row.names if c.code == "final" else ()))
      for row in BASIC_DATA_ROWS.choices for c in PRIOR_BUDGET_FINAL.choices),
    _f("basic_data.buildings.approved_scale", "楼堂馆所批复规模", MEASURE, "平方米", aliases=("批复规模",)),
    _f("basic_data.buildings.actual_scale", "楼堂馆所实际规模", MEASURE, "平方米", aliases=("实际规模",)),
    _f("basic_data.buildings.budget_investment", "楼堂馆所预算投资", aliases=("预算投资",)),
    _f("basic_data.buildings.actual_investment", "楼堂馆所实际投资", aliases=("实际投资",)),
    _f("basic_data.frugality", "厉行节约保障措施", NARRATIVE, aliases=("厉行节约",)),
    # derived figures of the forms that findings name
    _f("derived.staff_control_rate", "在职人员控制率", MEASURE, "%", virtual=True),
    # scoring table (the unit's 评分表) and project indicators share the ScoreNode columns
    _f("scoring.nodes", "评分表", TEXT, aliases=("评分表指标",)),
    _f("self_eval.score_stated", "自评得分", SCORE, "分", aliases=("自评得分（报告中写的）",), hint="分；例：99"),
    _f("self_eval.grade_stated", "自评等级", TEXT, aliases=("自评等级（报告中写的）",), hint="优/良/中/差"),
    # derived figures that findings name
    _f("derived.exec_rate", "预算执行率", MEASURE, "%", short="执行率", virtual=True),
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

_INDEX = regex.compile(r"\[(\d+)\]")


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


def header(path: str) -> str:
    """The compact label of a field for a table header (its short form, else its label)."""
    i = info(path)
    return i.header if i else path


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
