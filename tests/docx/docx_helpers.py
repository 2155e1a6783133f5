"""Reports built in code for the Word export tests."""
from __future__ import annotations

import random
from decimal import Decimal as D
from pathlib import Path

from perfeval_gui.core.model import (BudgetActual, EconLine, FunctionLine, OrgUnit, Project, Report,
                                     ScoreNode)
from perfeval_gui.core.template import get_template

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def full_report(template: str = "hunan9") -> Report:
    r = Report()
    r.meta.template = template
    r.meta.fiscal_year = 2023
    r.meta.unit_name = "测试市优化营商环境协调事务中心"
    r.meta.report_date = "2024-03-05"
    r.profile.duties = ["负责统筹协调推进全市优化营商环境工作。", "承办上级交办的其他工作。"]
    r.profile.org_units = [OrgUnit("综合办公室", "负责日常事务"), OrgUnit("企业服务室", "负责企业服务")]
    r.profile.staff_authorized = 7
    r.profile.staff_actual = 7
    r.income.budget_initial = D("115.62")
    r.income.budget_adjustment = D("18.23")
    r.income.other_sources = D("0")
    r.expenditure.total = D("133.85")
    r.expenditure.basic = D("121.47")
    r.expenditure.personnel = D("100.1")
    r.expenditure.public_ops = D("21.37")
    r.expenditure.project_total = D("12.38")
    r.expenditure.carryover_end = D("0")
    r.expenditure.by_function = [FunctionLine("2010350", "事业运行", D("133.85"))]
    r.expenditure.by_econ = [EconLine("project", "30201", "办公费", D("3.9")),
                             EconLine("project", "30217", "公务接待费", D("0.5")),
                             EconLine("basic", "301", "工资福利支出", D("100.1"))]
    r.projects = [
        Project(name="业务性专项", kind="initial", budget_initial=D("4"), actual=D("4"), carryover=D("0"),
                purpose="主要用于营造一流营商环境。", analysis_economy="成本控制良好。"),
        Project(name="营商环境工作经费", kind="added", budget_adjustment=D("6.88"), actual=D("6.88"),
                carryover=D("0")),
    ]
    r.three_public.reception = BudgetActual(D("1"), D("0.5"))
    r.three_public.abroad = BudgetActual(D("0"), D("0"))
    r.scoring.nodes = [
        ScoreNode(id="1", level=1, name="投入", weight=D("20")),
        ScoreNode(id="1.1", level=2, name="目标设定", parent_id="1", weight=D("20")),
        ScoreNode(id="1.1.1", level=3, name="绩效目标合理性", parent_id="1.1", weight=D("20"),
                  target_text="合理", achieved_text="合理", score_stated=D("19.5")),
        ScoreNode(id="2", level=1, name="产出", weight=D("80"), score_stated=D("78")),
    ]
    for slot in get_template(template).slots():
        r.narrative[slot.id] = f"{slot.title}的说明文字。\n第二段：数字 12.5 万元。"
    r.narrative.pop("九", None)
    r.self_eval.score_stated = D("97.5")
    return r


def random_report(seed: int) -> Report:
    rnd = random.Random(seed)
    r = full_report(rnd.choice(["hunan9", "short5"]))
    alphabet = "营商环境绩效预算支出项目abcXYZ 0123456789，。；😀\u200f\u202e\t"
    for key in list(r.narrative):
        r.narrative[key] = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 300)))
    for i in range(rnd.randint(0, 12)):
        r.projects.append(Project(name=f"项目{i}", kind=rnd.choice(["initial", "added", "carried"]),
                                  budget_initial=D(rnd.randint(0, 99999)).scaleb(-rnd.randint(0, 4)),
                                  actual=D(rnd.randint(0, 99999)).scaleb(-2) if rnd.random() < .8 else None))
    return r


