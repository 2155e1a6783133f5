"""Property: a clean report whose narrative restates its own figures — in varied wording, for the unit, a
project or a class, this year or another year, initial / adjusted / final / actual / carried over — gives no
NAR finding; changing one restated figure beyond its tolerance gives NAR-01 naming exactly that field.

Derandomized in CI (tests/conftest.py, profile "ci"); PERFEVAL_HYPOTHESIS=explore draws fresh examples.
"""
from __future__ import annotations

from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rulekit import clean_report, run

SLOTS = ("一.四", "二.一.1", "二.二.1", "五", "五.一", "五.二", "八")
money = st.integers(min_value=100, max_value=90_000).map(lambda n: D(n).scaleb(-2))


def _as_text(draw, value: D) -> str:
    """The figure as an officer writes it: 2 decimals, fewer when exact, or in 元."""
    forms = [f"{value:.2f}万元"]
    if value == value.quantize(D("0.1")):
        forms.append(f"{value:.1f}万元")
    if value == value.to_integral_value():
        forms.append(f"{int(value)}万元")
    forms.append(f"{int(value * 10000)}元")
    return draw(st.sampled_from(forms))


@st.composite
def scenario(draw):
    """(report, sentences, facts): facts = [(sentence index, value, field path, is mutable)]."""
    r = clean_report()
    ex, inc, tp = r.expenditure, r.income, r.three_public
    ex.personnel, ex.public_ops = draw(money), draw(money)
    ex.basic = ex.personnel + ex.public_ops
    p0, p1 = r.projects
    for p in (p0, p1):
        p.budget_initial, p.budget_adjustment = draw(money), draw(money)
        p.budget_final = p.budget_initial + p.budget_adjustment
        p.actual = D(draw(st.integers(min_value=0, max_value=int(p.budget_final * 100)))).scaleb(-2)
        p.carryover = p.budget_final - p.actual
    ex.project_total = p0.actual + p1.actual
    ex.total = ex.basic + ex.project_total
    inc.budget_initial, inc.budget_adjustment = draw(money), draw(money)
    inc.budget_total = inc.budget_initial + inc.budget_adjustment
    ex.carryover_end = draw(money)
    tp.reception.actual = draw(money)
    tp.vehicle_operation.actual = draw(money)
    tp.total_stated = tp.reception.actual + tp.vehicle_operation.actual
    r.expenditure.by_econ[2].amount = tp.reception.actual          # 公务接待费 line = 三公 part (TPF-04)
    r.expenditure.by_econ[3].amount = draw(money)                 # 委托业务费
    year = draw(st.sampled_from(["2023年度", "2023年", "本年度", "全年", ""]))
    unit_marker = draw(st.sampled_from(["我中心", "本单位", ""]))

    groups = []   # each: list of (fragment template with {v}, value, path, mutable)

    def group(*frags):
        groups.append(list(frags))

    group((f"{year}{unit_marker}全年基本支出{{v}}", ex.basic, "expenditure.basic", True),
          ("其中人员经费支出{v}", ex.personnel, "expenditure.personnel", True),
          (draw(st.sampled_from(["日常公用经费支出{v}", "公用经费{v}"])), ex.public_ops, "expenditure.public_ops", True))
    group((draw(st.sampled_from([f"{year}{unit_marker}支出{{v}}", "全年本中心共支出资金{v}", "支出合计{v}"])) if year
           else "支出合计{v}", ex.total, "expenditure.total", True),
          ("其中项目支出{v}", ex.project_total, "expenditure.project_total", True))
    group((f"{year}{unit_marker}年初预算{{v}}", inc.budget_initial, "income.budget_initial", True),
          (draw(st.sampled_from(["调整追加{v}", "年中追加{v}"])), inc.budget_adjustment, "income.budget_adjustment", True),
          (draw(st.sampled_from(["全年预算{v}", "预算收入{v}", "调整后预算{v}"])), inc.budget_total,
           "income.budget_total", True))
    group((f"{year}{unit_marker}结余结转{{v}}", ex.carryover_end, "expenditure.carryover_end", True))
    group((draw(st.sampled_from(["“三公”经费支出{v}", "三公经费{v}"])), tp.total_stated, "three_public.total_stated", True),
          (draw(st.sampled_from(["其中公务接待费支出{v}", "公务接待费{v}"])), tp.reception.actual,
           "three_public.reception.actual", True),
          ("公务用车运行维护费{v}", tp.vehicle_operation.actual, "three_public.vehicle_operation.actual", True))
    group(("委托业务费{v}", r.expenditure.by_econ[3].amount, "expenditure.by_econ[3].amount", True))
    for i, p in enumerate((p0, p1)):
        name = draw(st.sampled_from([p.name, p.name.removesuffix("项目") if len(p.name) > 6 else p.name + "项目"]))
        form = draw(st.integers(0, 3))
        if form == 0:      # initial, then the adjustment
            group((f"{name}年初预算{{v}}", p.budget_initial, f"projects[{i}].budget_initial", True),
                  ("年中追加{v}", p.budget_adjustment, f"projects[{i}].budget_adjustment", True),
                  ("调整后预算{v}", p.budget_final, f"projects[{i}].budget_final", True))
        elif form == 1:    # the project sentence of the short form (kind of the first figure unsaid)
            group((f"{name}{{v}}", p.budget_final, f"projects[{i}].budget_final", False),
                  ("实际支出{v}", p.actual, f"projects[{i}].actual", True),
                  ("结余结转{v}", p.carryover, f"projects[{i}].carryover", True))
        elif form == 2:
            group((f"{name}全年预算{{v}}", p.budget_final, f"projects[{i}].budget_final", True),
                  ("已支出{v}", p.actual, f"projects[{i}].actual", True),
                  ("结余结转{v}", p.carryover, f"projects[{i}].carryover", True))
        else:
            group((f"{name}实际支出{{v}}", p.actual, f"projects[{i}].actual", True))
    # figures of other years and changes: never compared
    noise = draw(st.lists(st.sampled_from([
        "上年人员经费{x}", "2021年基本支出{x}", "2022年度我中心支出{x}", "“三公”经费比上年的{x}有所下降",
        "比上年减少{x}", f"{p0.name}上年实际支出{{x}}", "去年结余结转{x}", "上年公务接待费{x}"]),
        max_size=3, unique=True))
    order = draw(st.permutations(range(len(groups))))
    sentences, facts = [], []
    for gi in order:
        parts = []
        for template, value, path, mutable in groups[gi]:
            parts.append((template, value))
            facts.append((len(sentences), len(parts) - 1, value, path, mutable))
        sentences.append(parts)
    for template in noise:
        sentences.append([(template.replace("{x}", "{v}"), draw(money))])
    slot_of = [draw(st.sampled_from(SLOTS)) for _ in sentences]
    texts = [[(t, _as_text(draw, v)) for t, v in parts] for parts in sentences]
    return r, texts, slot_of, facts


def _write(report, texts, slot_of):
    report.narrative = {k: v for k, v in report.narrative.items() if k in ("六", "七", "九")}
    for parts, slot in zip(texts, slot_of):
        sentence = "，".join(t.replace("{v}", v) for t, v in parts) + "。"
        report.narrative[slot] = (report.narrative.get(slot, "") + "\n" + sentence).lstrip("\n")


def _nar(report):
    return [f for f in run(report) if f.rule_id.startswith("NAR")]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario(), st.data())
def test_restated_figures_are_silent_and_one_changed_figure_is_named(case, data):
    report, texts, slot_of, facts = case
    _write(report, texts, slot_of)
    assert [(f.rule_id, f.message) for f in _nar(report)] == []

    mutable = [f for f in facts if f[4]]
    si, pi, value, path, _ = data.draw(st.sampled_from(mutable))
    bump = data.draw(st.sampled_from([D("1.00"), D("12.50"), D("-0.90")]))
    wrong = value + bump if value + bump > 0 else value + 1
    texts = [list(parts) for parts in texts]
    template, _ = texts[si][pi]
    texts[si][pi] = (template, f"{wrong:.2f}万元")
    _write(report, texts, slot_of)
    found = [f for f in _nar(report) if f.rule_id == "NAR-01"]
    assert [path] == [p for f in found for p in f.paths if not p.startswith("narrative[")][:1] and len(found) == 1, \
        [(f.message, f.paths) for f in found]
    (f,) = found
    assert f.expected and f.actual == f"{wrong:.2f}" and f.difference and f.tolerance
