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
    # ------------------------------------------------------------ projects (rules/projects.py)

    # ------------------------------------------------------------ completeness (rules/completeness.py)

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
