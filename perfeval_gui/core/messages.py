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
    # {table}: "评分表" (the field registry's label) or "_.scoring.project_table"; {node}: "_.quoted" name
    "_.scoring.project_table": "项目“{name}”自评表",
    "_.scoring.unnamed": "（未命名）",
    "SCO-01.top": "{table}一级指标分值合计为 {total} 分，应为 100 分。",
    "SCO-01.children": "{table}中{node}分值 {weight}，下级指标分值合计 {total}，两者应相等。",
    "SCO-02.negative": "{table}中{node}得分 {score} 不能为负。",
    "SCO-02.over": "{table}中{node}得分 {score} 超过分值 {weight}。",
    "SCO-03": "{table}中{node}得分应为 {terms} = {computed}，现填 {stated}（相差 {difference}）。",
    "SCO-04": "{table}中{node}按计分规则应得 {explanation}（≈{computed}）分，现填 {stated} 分（相差 {difference}）。",
    "SCO-04.params": "{table}中{node}的计分规则参数有误：{error}。",
    "SCO-05.low": "{table}中{node}评为“{tier}”，得分应在 {low}–{high} 之间，现填 {score}（低出 {difference}）。",
    "SCO-05.high": "{table}中{node}评为“{tier}”，得分应在 {low}–{high} 之间，现填 {score}（高出 {difference}）。",
    "SCO-06": "{table}中{node}实际完成值 {achieved}{unit} 未达到年度指标值 {direction}{target}{unit}，"
              "请填写偏差原因分析及改进措施。",
    "SCO-07.le": "{table}中{node}是“≤”指标，实际完成值 {achieved}{unit} 高于年度指标值 {target}{unit}，请核实并说明。",
    "SCO-07.eq": "{table}中{node}是“=”指标，实际完成值 {achieved}{unit} 不等于年度指标值 {target}{unit}，请核实并说明。",
    "SCO-07.over": "{table}中{node}实际完成值 {achieved}{unit} 超过年度指标值 {target}{unit} 的 {factor}，"
                   "目标可能定得过低（一体化系统一般扣 {penalty} 分）。",
    "SCO-08": "自评得分 {total} 分对应等级“{expected}”，现填“{stated}”。",
    "SCO-09": "正文写自评得分 {stated} 分，评分表合计为 {total} 分（相差 {difference}）。",
    "SCO-10": "预算执行率 {rate} 低于 {below}，总分最高 {cap} 分，现为 {total} 分（应扣 {deduct} 分）。",
    "SCO-11": "{table}一级指标分值与通常的 {usual} 不同：{differs}。",
    "SCO-11.item": "{name} {weight}（通常 {usual}）",
    "SCO-11.none": "无",
    "SCO-11.sep": "；",
    "SCO-12": "第九部分写自评得分 {stated} 分，但“附相关评分”评分表是空的，请填写评分表。",

    # ------------------------------------------------------------ staffing (rules/staffing.py)
    "_.staffing.unnamed": "（未命名）",
    "STF-01": "实有人数 {actual} 人超过编制人数 {authorized} 人（超编 {over} 人）："
              "在职人员控制率 = 在职 {actual} ÷ 编制 {authorized} = {rate}，超过 100%"
              "（基础数据表“控制率”）。请说明超编原因（右键“核实并说明”）。",
    "STF-02": "实有人数应为 {terms} = {computed} 人，现填 {stated} 人（相差 {difference}）。",
    "STF-03": "内设科室写为 {declared} 个，但列出了 {listed} 个（{names}）。",
    "STF-03.none": "无",
    "STF-03.sep": "、",
    "STF-04": "{role}实有 {count} 名，超过领导职数 {quota} 名。",
    "STF-05.integer": "{label}应为整数，现填 {value}。",
    "STF-05.negative": "{label}不能为负数，现填 {value}。",
    "STF-05.no_role": "人员",
    "STF-05.no_title": "领导",

    # ------------------------------------------------------------ 三公 (rules/three_public.py)
    "TPF-01": "“三公”经费合计应为 {terms} = {computed} 万元，现填 {stated} 万元（相差 {difference}，允许误差 {bound}）。",
    "TPF-02": "{item}实际支出 {actual} 万元超过预算 {budget} 万元（超出 {difference}）。",
    "TPF-03": "“三公”经费 {current} 万元比上年 {prior} 万元增长 {rate}，请说明原因。",
    "TPF-04": "“三公”经费中的公务接待费 {reception} 万元与经济分类中的公务接待费 {econ} 万元不一致（相差 {difference}）。",
    "TPF-05": "文字写明没有{item}支出，但“三公”经费中{item}为 {value} 万元。",
    "AST-01": "固定资产期末数应为 期初 {begin} + 本年增加 {increase} − 本年减少 {decrease} = {computed} 万元，"
              "现填 {stated} 万元（相差 {difference}，允许误差 {bound}）。",
    "AST-02.zero": "经济分类中有资本性支出 {capital} 万元，但固定资产本年增加为 0，资产管理情况（{section}）也没有说明购置了哪些资产。",
    "AST-02.unstated": "经济分类中有资本性支出 {capital} 万元，但没有填写固定资产本年增加，"
                       "资产管理情况（{section}）也没有说明购置了哪些资产。",
    "PRC-01": "政府采购实际 {actual} 万元超过采购预算 {budget} 万元（超出 {difference}）。",

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
