"""The Chinese wording of every finding, in one catalogue (Arelle's model: findings are data).

A rule reports a finding as a catalogue key plus named arguments (``CheckContext.finding``); the
message the officer reads is rendered here from them.  Rewording a message is one edit in this file:
no rule changes, and no acknowledgement reopens (an acknowledgement keys on the rule id, the paths and
the arguments that identify the case — core/findings.Finding.key — never on the wording).

Keys are a rule id ("INC-01"), a rule id with a variant ("INC-02.under"), or a shared fragment
("_.mismatch") that several rules render into an argument.  Arguments are already formatted strings
(amounts as the report writes them, percentages, names); a template names them as ``{name}``.
"""
from __future__ import annotations

from collections.abc import Mapping

MESSAGES: dict[str, str] = {
    # ------------------------------------------------------------ shared fragments
    # a stated total against its computed sum: "{prefix}{what}应为 A 1.00 + B 2.00 = 3.00 万元，现填 …"
    "_.mismatch": "{prefix}{what}应为 {terms} = {computed} {unit}，{stated_word} {stated} {unit}"
                  "（相差 {difference}，允许误差 {bound}）。",
    "_.stated_word": "现填",
    "_.unit": "万元",
    "_.not_stated": "（未填）",
    "_.more_terms": " + …（共 {count} 项）",
    "_.quoted": "“{name}”",
    "_.ellipsis": "…",
    # ------------------------------------------------------------ totals (rules/totals.py)
    "INC-01": "预算收入应为 {terms} = {computed} 万元，现填 {stated} 万元（相差 {difference}，允许误差 {bound}）。",
    "INC-02.over": "年中追加项目预算合计 {terms} = {total} 万元，超过调整追加 {adjustment} 万元（多 {difference}）。",
    "INC-02.rest": "调整追加 {adjustment} 万元中，年中追加项目占 {total} 万元，其余 {rest} 万元应为基本支出追加，请确认。",
    "INC-03": "其中财政资金 {fiscal} 万元大于支出合计 {total} 万元（多 {difference}）。",
    # "X应为 a + b = c 万元，现填 d 万元（相差 …，允许误差 …）。": terms/computed/stated/difference/bound
    # from _common.mismatch_args; {note}: which cells of the 部门整体支出绩效自评表 are the same figures
    "EXP-01": "支出合计应为 {terms} = {computed} 万元，现填 {stated} 万元（相差 {difference}，允许误差 {bound}）。{note}",
    "EXP-02": "基本支出应为 {terms} = {computed} 万元，现填 {stated} 万元（相差 {difference}，允许误差 {bound}）。",
    "EXP-03": "项目支出应为 {terms} = {computed} 万元，现填 {stated} 万元（相差 {difference}，允许误差 {bound}）。",
    "EXP-04": "项目预算合计应为 {terms} = {computed} 万元，现填 {stated} 万元（相差 {difference}，允许误差 {bound}）。",
    "EXP-05": "{what}（按经济分类）应为 {terms} = {computed} 万元，现填 {stated} 万元"
              "（相差 {difference}，允许误差 {bound}）。",
    "EXP-06": "支出合计（按功能分类）应为 {terms} = {computed} 万元，现填 {stated} 万元"
              "（相差 {difference}，允许误差 {bound}）。",
    "EXP-07": "结余结转应为 {terms} = {computed} 万元，现填 {stated} 万元（相差 {difference}，允许误差 {bound}）。",
    "EXP-08": "支出合计 {total} 万元超过可用资金 {terms} = {computed} 万元（超出 {difference}）。",
    "EXP-09": "金额不能为负数：{field} 现填 {amount} 万元（只有调整追加/调减可以为负）。",
    "EXP-09.project": "金额不能为负数：项目“{project}”的{field} 现填 {amount} 万元（只有调整追加/调减可以为负）。",
    "EXP-10": "预算执行率 {rate} 低于 {threshold}，但报告中没有说明执行率偏低的原因"
              "（可在“{title}”（{section}）中说明，或写明“执行率为…，主要是…”）。",
    # ------------------------------------------------------------ projects (rules/projects.py)
    "_.unnamed_project": "（未命名）",
    "PRJ-01": "项目“{project}”：全年预算应为 {terms} = {computed} 万元，现填 {stated} 万元"
              "（相差 {difference}，允许误差 {bound}）。",
    "PRJ-02": "项目“{project}”：实际支出 {actual} 万元超过 {terms} = {computed} 万元（超支 {difference}）。",
    "PRJ-03": "项目“{project}”：结余结转应为 {terms} = {computed} 万元，现填 {stated} 万元"
              "（相差 {difference}，允许误差 {bound}）。",
    "PRJ-04": "各项目结余结转合计 {terms} = {total} 万元，大于单位结余结转 {unit} 万元（多 {difference}，允许误差 {bound}）。"
              "项目结转不能超过单位结转。",
    "PRJ-05": "项目“{project}”：预算执行率 {rate} 低于 {threshold}，请填写偏差原因分析及改进措施。",
    "PRJ-06": "项目“{project}”（{amount} 万元）在 {where} 中没有绩效分析，每个项目都应自评。",
    "PRJ-06.no_amount": "项目“{project}”在 {where} 中没有绩效分析，每个项目都应自评。",
    "PRJ-07": "项目“{project}”列出了 {count} 次，请合并或改名。",
    "PRJ-07.amounts_differ": "项目“{project}”列出了 {count} 次，且金额不同，请合并或改名。",

    # ------------------------------------------------------------ completeness (rules/completeness.py)
    "CMP-01": "“{heading}”没有内容，请填写。",
    "CMP-02": "没有填写{field}。",
    "CMP-02.unit_name": "没有填写单位名称（报告标题和“单位名称（盖章）”行需要）。",
    "CMP-02.fiscal_year": "没有填写报告年度。",
    "CMP-02.report_date": "没有填写报告日期（落款日期）。",
    "FMT-01.unnumbered": "标题“{heading}”缺少编号，应以“{want}”开头。",
    "FMT-01.left_paren": "标题“{heading}”的编号“{prefix}”应为“{want}”（缺少左括号“（”）。",
    "FMT-01.style": "标题“{heading}”的编号“{prefix}”应为“{want}”（编号格式不对）。",
    "FMT-01.gap": "标题“{heading}”的编号“{prefix}”应为“{want}”（编号不连续）。",
    "FMT-01.repeat": "标题“{heading}”的编号“{prefix}”应为“{want}”（编号重复或倒序）。",
    "FMT-01.para_left_paren": "段落编号“{prefix}”缺少左括号，应为“{want}”。",
    "FMT-01.para_level": "段落编号“{prefix}”应为“{want}”（与前面的“{before}”同级）。",
    "FMT-01.para_repeat": "段落编号“{prefix}”重复：上一个是“{before}”，应为“{want}”。",
    "FMT-01.para_gap": "段落编号“{prefix}”不连续（跳号）：上一个是“{before}”，应为“{want}”。",
    "YOY-01.increase": "{field} {current} 万元比上年 {prior} 万元增长 {rate}，第{section}部分没有说明增减原因。",
    "YOY-01.decrease": "{field} {current} 万元比上年 {prior} 万元下降 {rate}，第{section}部分没有说明增减原因。",
    "DEC-01": "{field} 填 {value} 万元，部门决算表为 {authority} 万元（相差 {difference}），以决算为准。",
    "INF-01": "自评得分 {score} 分（≥{limit}），但“{title}”承认执行方面的问题，评分可能偏高，请复核。",

    # ------------------------------------------------------------ the forms (rules/forms.py)

    # ------------------------------------------------------------ outline (rules/outline.py)

    # ------------------------------------------------------------ scoring (rules/scoring.py)

    # ------------------------------------------------------------ staffing (rules/staffing.py)

    # ------------------------------------------------------------ 三公 (rules/three_public.py)

    # ------------------------------------------------------------ narrative (rules/narrative.py)

    # ------------------------------------------------------------ quality (rules/quality.py)

    # ------------------------------------------------------------ findings lists, severities (core/findings.py)
    "_.severity.error": "错误",
    "_.severity.warning": "警告",
    "_.severity.info": "提示",
    "_.summary": "{errors} 个错误，{warnings} 个警告，{infos} 个提示",
    "_.summary.acknowledged": "{errors} 个错误，{warnings} 个警告，{infos} 个提示（另 {acknowledged} 条已核实）",

    # ------------------------------------------------------------ the engine itself
    "ENGINE.rule_failed": "规则 {rule}（{title}）无法完成检查（程序内部错误：{error}），这一项未经核对。"
                          "请检查相关数字是否过长或异常，并把日志发给技术支持。",
    "CFG-01": "{problem}已改用默认配置“{default}”检查。",
    "ACK-01": "已不适用的说明（原 {rule} 的问题已不存在）：“{note}”。可在右键菜单中删除此说明。",
}


def render(key: str, args: Mapping[str, object] | None = None) -> str:
    """The message of catalogue entry ``key`` with its named arguments filled in.

    A missing entry or argument is a programming error (tests/core/test_messages.py renders every
    finding the rules can produce), so it raises rather than printing a half message."""
    return MESSAGES[key].format_map(dict(args or {}))


def text(key: str, **args: object) -> str:
    """A fragment of a message (``render`` with keyword arguments), for a rule that builds an argument."""
    return render(key, args)
