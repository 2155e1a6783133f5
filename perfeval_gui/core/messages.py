"""The Chinese wording of every finding, in one catalogue (Arelle's model: findings are data).

A rule reports a finding as a catalogue key plus named arguments (``CheckContext.finding``); the
message the officer reads is rendered here from them.  Rewording a message is one edit in this file:
no rule changes, and no acknowledgement reopens (an acknowledgement keys on the rule id, the paths and
the arguments that identify the case — core/findings.Finding.key — never on the wording).

Keys are a rule id ("INC-01"), a rule id with a variant ("INC-02.under"), or a shared fragment
("_.quoted") that several rules render into an argument.  Arguments are already formatted strings
(amounts as the report writes them, percentages, names); a template names them as ``{name}``.
"""
from __future__ import annotations

from collections.abc import Mapping

MESSAGES: dict[str, str] = {
    # ------------------------------------------------------------ shared fragments
    "_.problems_title": "存在的主要问题",   # the problems part of an outline that has no such slot
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
    # fragments: a form cell named by row and column, a list of names, the 部门自评表 cells EXP-01 shares
    "_.forms.cell": "{row}（{column}）",
    "_.forms.sep": "、",
    "_.forms.more_items": " 等 {count} 项",
    "_.forms.shared_total": "{form_name}中同一组数字：“{total_name}”全年执行数 ≠ “{by_expense}”基本支出 + 项目支出"
                            "的全年执行数。",
    "_.forms.capped": "（执行率超过 100% 按 100% 计）",
    "INC-04": "{form_name}“{total_name}”的{column_name}（按收入性质分）应为 {terms} = {computed} 万元，"
              "表中年度资金总额为 {stated} 万元（相差 {difference}，允许误差 {bound}）。",
    "EXP-11": "{form_name}“{total_name}”的{column_name}（按支出性质分）应为 {terms} = {computed} 万元，"
              "表中年度资金总额为 {stated} 万元（相差 {difference}，允许误差 {bound}）。",
    "EXP-12": "{form_name}“{total_name}”的{rate_name}应为 全年执行数 {actual} ÷ 全年预算数 {budget} = {computed}，"
              "表中为 {stated}（相差 {difference} 个百分点）。",
    "SCO-13.over": "{form_name}“{total_name}”的得分 {stated} 超过分值 {weight}（得分 = 分值 × 执行率，"
                   "执行率超过 100% 也只得满分）。",
    "SCO-13.score": "{form_name}“{total_name}”的得分应为 分值 {weight} × 执行率 {rate}（{actual} ÷ {budget}）{capped}"
                    " = {computed}，表中为 {stated}（相差 {difference}）。",
    "SCO-15.over": "项目“{project}”的{form_name}“{total_name}”的得分 {stated} 超过分值 {weight}（得分 = 分值 × 执行率，"
                   "执行率超过 100% 也只得满分）。",
    "SCO-15.score": "项目“{project}”的{form_name}“{total_name}”的得分应为 分值 {weight} × 执行率 {rate}"
                    "（{actual} ÷ {budget}）{capped} = {computed}，表中为 {stated}（相差 {difference}）。",
    "PRJ-08": "项目“{project}”的{form_name}“{total_name}”{column_name}应为 {terms} = {computed} 万元，"
              "表中年度资金总额为 {stated} 万元（相差 {difference}，允许误差 {bound}）。",
    "PRJ-09": "项目“{project}”的{form_name}“{total_name}”{rate_name}应为 全年执行数 {actual} ÷ 全年预算数 {budget}"
              " = {computed}，表中为 {stated}（相差 {difference} 个百分点）。",
    "SCO-14.total": "项目“{project}”的{form_name}{total_score_name}应为 {parts} = {computed}，表中为 {stated}"
                    "（相差 {difference}）。",
    "SCO-14.grade": "项目“{project}”的{form_name}{grade_name}为“{stated}”，但总分 {score} 分按档次应为“{grade}”。",
    "STF-06": "{form_name}“{staff_name}”的{rate_name}应为 实际在职人数 {actual} ÷ 编制数 {authorized} = {computed}，"
              "表中为 {stated}。",
    "EXP-13": "{form_name}“{row_name}”{column_name}列：其中 {terms} = {sum} 万元，超过公用经费 {whole} 万元"
              "（多 {difference}）。",
    "EXP-14": "{form_name}“{row_name}”本年决算（表注：公用经费 = 基本支出中的一般商品和服务支出）应为 {terms}"
              " = {computed} 万元，现填 {stated} 万元（相差 {difference}，允许误差 {bound}）。",
    "TPF-06": "{form_name}“{row_name}”上年决算应为 {terms} = {computed} 万元，现填 {stated} 万元"
              "（相差 {difference}，允许误差 {bound}）。",
    "TPF-07": "{form_name}“{row_name}”{column_name}应为 {terms} = {computed} 万元，现填 {stated} 万元"
              "（相差 {difference}，允许误差 {bound}）。",
    "AST-03": "{form_name}“{row_name}”：{actual_name} {actual} {unit} 超过{limit_name} {limit} {unit}"
              "（超出 {difference}，{ratio}）。请说明原因。",
    "CMP-03": "{form_name}尚有 {missing} 项未填：{listing}。",
    "CMP-04": "项目“{project}”的{form_name}尚有 {missing} 项未填：{listing}。",
    "CMP-04.rest": "另有 {projects} 个项目的{form_name}尚有未填的栏目：{names}。",
    "CMP-04.exec_cells": "预算执行率的分值与得分",
    "CMP-04.etc": " 等",

    # ------------------------------------------------------------ outline (rules/outline.py)
    "CMP-05": "“{label}”的文字在当前报告格式“{template}”中没有对应的部分，已保留但不会导出到 Word。"
              "请把它移到合适的部分，或确认后删除。",
    "SCO-16.missing": "评分表缺少配置的指标“{indicator}”（分值 {weight}）。",
    "SCO-16.weight": "评分表“{name}”分值 {weight}，配置的指标体系为 {want} 分。",
    "TXT-01": "{field}（{what}）有 {count} 字，超过限制 {top} 字（多 {over} 字）。",
    "TXT-01.what": "文字",
    "TXT-02": "年中调整追加预算 {adjustment} 万元，报告中没有说明调整的原因和用途"
              "（本配置要求说明，找不到含“{words}”的句子）。",

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
    "NAR-01.amount": "文字写“{claim}”，但{shown}（相差 {difference}，允许误差 {bound}）。",
    "NAR-01.value": "{field} {amount} 万元",
    "NAR-01.count": "文字写{field} {stated}，但填报为 {model}。",
    "NAR-01.score": "文字写自评得分 {stated} 分，但评分为 {score} 分（相差 {difference}）。",
    "NAR-01.grade": "文字写等级“{stated}”，但自评等级为“{grade}”。",
    "NAR-02": "项目“{project}”：结余结转应为 预算 {budget}{prior} − 实际支出 {actual} = {expected} 万元，"
              "文字写 {stated} 万元（相差 {difference}，允许误差 {bound}）。",
    "NAR-02.prior": " + 上年结转 {prior}",
    "NAR-03": "文字写 {stated} {noun}，但列举了 {counted} 项{listed}。",
    "NAR-03.noun": "个{noun}",
    "NAR-03.listed": "（{items}）",
    "NAR-04": "文字写没有{name}，但{field}为 {total} 万元。",
    "NAR-04.lines": "{field}等 {count} 行合计",
    "NAR-04.amount": "文字写“{claim}”（为 0），但{field}为 {amount} 万元。",
    "NAR-05.exec": "“{part}”说项目“{project}”预算执行有待加强，但其执行率为 {rate}{inferred}，文字与数字矛盾。",
    "NAR-05.inferred": "（项目未填预算，按单位整体执行率推定）",
    "NAR-05.done": "文字说“{claim}”，但{missed}{more}。",
    "NAR-05.missed": "“{indicator}”实际完成值 {achieved}{unit} 未达到指标值 {direction}{target}{unit}",
    "NAR-05.sep": "；",
    "NAR-05.more": " 等 {count} 项",
    "NAR-06": "同一句话同时出现在 {first} 和 {second}，请删去重复或改写。",

    # ------------------------------------------------------------ quality (rules/quality.py)
    # {table}: "评分表" or "项目“…”自评表"; {indicator}: the indicator's name in quotes
    "IND-01": "{table}没有{missing}指标（应有{levels}三类指标）。",
    "IND-02": "{table}中{indicator}是成本指标，指标方向应为“≤”（越低越好），现为“≥”。",
    "IND-03": "{table}中{indicator}年度指标值 {direction}{target}% 超过 {limit}%，百分比目标一般不应超过 {limit}%，请核实。",
    "IND-04.target_text": "{table}中{indicator}的年度指标值“{text}”是占位符（“{mark}”），请填写实际的数值或内容。",
    "IND-04.achieved_text": "{table}中{indicator}的实际完成值“{text}”是占位符（“{mark}”），请填写实际的数值或内容。",
    "IND-05": "{table}中{indicator}的年度指标值“{text}”只写了“{words}”，没有可衡量的数值或标准，请改为可考核的目标。",
    "IND-06": "{table}中{indicator}实际完成值为 100%，没有写明调查样本（份数、人数）。满意度 100% 需要说明调查方式和样本量。",
    "IND-07": "{table}中{indicator}是数量指标，却以金额（{unit}）计量：资金数额不是产出数量，"
              "应改为实际完成的工作量（个、次、人……）或移到成本指标。",
    "IND-08": "{table}中{indicator}分值为 0：不计分的指标应删除，或给它分值。",
    "REV-01": "{table}中{indicator}得 {score} 分（分值 {weight}，扣 {lost} 分），没有写偏差原因：扣分的理由要写明。",
    "REV-02": "{table}绩效指标得分 {points} 分（满分 {full}，得分率 {share}）比预算执行率 {rate} 高出 {gap}，超过 {limit}："
              "资金没有用完而指标几乎全部完成，评审会质疑，请核实得分或说明原因。",

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
