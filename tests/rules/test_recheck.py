"""Checker.recheck([path]) after an edit gives the same findings as a fresh check_all.

This guards the rules' ``reads=`` declarations: a rule that reads a model block it does not
declare keeps a stale finding after an edit of that block, and this test catches it.
"""
from __future__ import annotations

from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfeval_gui.core.engine import Checker
from perfeval_gui.core.model import Project, ScoreNode, insert_item, remove_item, set_value
from perfeval_gui.io.project_file import load_project
from perfeval_gui.resources import sample_path

from rulekit import clean_report

M = [None, D("0"), D("1.00"), D("4"), D("5.02"), D("25.00"), D("75.0"), D("110.00"), D("150.00"), D("-1.00")]
SET_EDITS = {
    "income.budget_total": M, "income.budget_adjustment": M, "income.fiscal_funds": M, "income.carryover_prior": M,
    "expenditure.total": M, "expenditure.basic": M, "expenditure.project_total": M, "expenditure.carryover_end": M,
    "expenditure.by_econ[0].amount": M, "expenditure.by_econ[0].name": ["资本性支出", "基本工资", "公务接待费"],
    "projects[0].actual": M, "projects[0].carryover": M, "projects[0].budget_final": M, "projects[0].name":
        ["营商环境评价项目", "宣传培训", "投诉处理", ""],
    "projects[0].analysis_effectiveness": ["", "有分析。"], "projects[0].deviation_reason": ["", "原因。"],
    # an item other than the first: the per-project values a Checker keeps (ctx.kept_items) must follow it
    "projects[1].actual": M, "projects[1].budget_initial": M, "projects[1].budget_final": M,
    "projects[1].name": ["宣传培训", "营商环境评价项目", "投诉处理", ""], "projects[1].purpose": ["", "目的。"],
    "projects[1].deviation_reason": ["", "原因。"], "projects[1].form.fiscal.actual": M,
    "projects[1].form.goal_actual": ["", "完成。"], "projects[1].indicators[0].achieved": M,
    "narrative[五.二]": ["", "宣传培训项目完成了全部培训。", "营商环境评价项目按期完成。"],
    "three_public.reception.actual": M, "three_public.total_stated": M, "three_public.abroad.actual": M,
    "assets.fixed_end": M, "assets.fixed_increase": M, "procurement.actual": M,
    "profile.staff_actual": [None, 0, 9, 13, -1], "profile.declared_org_unit_count": [None, 2, 3],
    "scoring.nodes[1].score_stated": [None, D("19.13"), D("20"), D("25")], "scoring.nodes[1].achieved": M,
    "self_eval.score_stated": [None, D("97.13"), D("99"), D("85")], "self_eval.grade_stated": ["", "优", "良"],
    "narrative[六]": ["", "营商环境评价项目预算执行方面有待加强。", "无。"],
    "narrative[五]": ["", "全年支出110.00万元，其中基本支出80万元。", "结余结转0万元。"],
    "narrative[二.一.3]": ["", "无因公出国（境）费支出。"],
    "narrative[八]": ["", "项目按规定组织实施，严格执行政府采购和合同管理制度。"],
    "narrative[三.一]": ["", "项目按规定组织实施，严格执行政府采购和合同管理制度。", "3.项目组织情况。"],
    "headings[三]": ["", "3、部门专项组织实施情况", "三、部门专项组织实施情况"],
    "prior_year[expenditure.total]": [None, D("50.00"), D("110.00")],
    "prior_year[three_public.total_stated]": [None, D("1.00")],
    "final_accounts[expenditure.basic]": [None, D("75.00"), D("80.00")],
    "meta.amount_decimals": [1, 2], "meta.template": ["hunan9", "short5"],
}
EDIT = st.one_of(
    st.sampled_from(sorted(SET_EDITS)).flatmap(lambda p: st.tuples(st.just("set"), st.just(p),
                                                                    st.sampled_from(SET_EDITS[p]))),
    st.sampled_from([("insert", "projects", None), ("remove", "projects", None),
                     ("insert", "scoring.nodes", None), ("remove", "scoring.nodes", None)]),
)


def _apply(report, edit) -> str:
    op, path, value = edit
    if op == "set":
        try:
            set_value(report, path, value)
        except (KeyError, IndexError):
            return "meta"     # the list item is gone: re-run all (path unusable)
        return path
    items = {"projects": report.projects, "scoring.nodes": report.scoring.nodes}[path]
    if op == "insert":
        item = Project(name="新增项目", kind="added", budget_final=D("3.00"), actual=D("2.00"), carryover=D("1.00")) \
            if path == "projects" else ScoreNode(id="9", name="新增指标", weight=D("5"), score_stated=D("5"))
        insert_item(report, path, 0, item)
    elif items:
        remove_item(report, path, len(items) - 1)
    return path


def _snapshot(findings):
    return sorted((f.rule_id, f.severity.value, f.message, f.paths, f.quote, f.section) for f in findings)


def _run_sequence(report, edits):
    checker = Checker(report)
    checker.check_all()
    for edit in edits:
        path = _apply(report, edit)
        incremental = checker.recheck([path])
        fresh = Checker(report.clone()).check_all()
        assert _snapshot(incremental) == _snapshot(fresh), f"after {edit}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDIT, min_size=1, max_size=8))
def test_recheck_equals_check_all_on_clean_report(edits):
    _run_sequence(clean_report(), edits)


SAMPLE = load_project(sample_path("liuyang-2021.pefx"))     # a missing sample fails collection


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDIT, min_size=1, max_size=6))
def test_recheck_equals_check_all_on_sample(edits):
    _run_sequence(SAMPLE.clone(), edits)


def _rule_output(rule, report):
    from perfeval_gui.core.rule_profile import load_profile
    from perfeval_gui.core.rules.context import CheckContext
    ctx = CheckContext(report, load_profile(report.meta.rule_profile))
    ctx.rule = rule
    try:
        return [(f.rule_id, f.message, f.paths, f.quote) for f in rule.func(ctx) or () if f is not None]
    except Exception as exc:  # noqa: BLE001 - compared like any output
        return repr(exc)


def test_single_edit_sweep_from_every_flagged_case():
    """Deterministic: from each rule's flagged report (its trigger in place), every single edit.
    A rule that does not declare the edited block must give the same output as before the edit —
    that is what lets Checker.recheck skip it."""
    from perfeval_gui.core.model import top_key
    from perfeval_gui.core.rules import RULES
    from test_rule_cases import CASES
    failures = set()
    edits = [(p, v) for p, values in SET_EDITS.items() if not p.startswith("meta") for v in values[:2]]
    for rule_id, (flag, _) in sorted(CASES.items()):
        base = flag(clean_report())
        before = {rid: _rule_output(r, base) for rid, r in RULES.items()}
        for path, value in edits:
            key = top_key(path)
            try:
                old = set_value(base, path, value)
            except (KeyError, IndexError):
                continue
            for rid, r in RULES.items():
                if key not in r.reads and _rule_output(r, base) != before[rid]:
                    failures.add((rid, path))
            set_value(base, path, old)
    assert sorted(failures) == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 29), st.sampled_from(["amount", "name", "code", "scope"]),
                          st.integers(0, 5)), min_size=1, max_size=6))
def test_incremental_econ_summary_equals_full(edits):
    """The economic-class summary adjusted for changed lines equals a full recomputation (the identity
    level below ctx.kept, which the engine drops on any change under expenditure.by_econ)."""
    from perfeval_gui.core.model import EconLine
    from perfeval_gui.core.rule_profile import load_profile
    from perfeval_gui.core.rules._summaries import _econ_summary as econ_summary, _full_econ, _GET
    from perfeval_gui.core.rules.context import KEPT_ITEMS, CheckContext, forget_changed
    amounts = [None, D("1.80"), D("1.8"), D("-2.00"), D("3"), D("0.005")]
    names = ["办公费", "公务接待费", "资本性支出", "印刷费", "委托业务费", "其他"]
    codes = ["30201", "30217", "310", "30202", "30227", "30299"]
    scopes = ["basic", "project", "total", "project", "basic", "project"]
    report = clean_report()
    report.expenditure.by_econ = [EconLine(scopes[i % 2], codes[i % 6], names[i % 6], D(i) / 10) for i in range(30)]
    profile = load_profile()
    cache: dict = {}        # one Checker's state across runs
    econ_summary(CheckContext(report, profile, cache))
    for n, (i, attr, k) in enumerate(edits):
        value = {"amount": amounts, "name": names, "code": codes, "scope": scopes}[attr][k]
        setattr(report.expenditure.by_econ[i], attr, value)
        if n % 2:   # as the engine does: told which line changed
            forget_changed(cache, [f"expenditure.by_econ[{i}].{attr}"])
        else:       # not told (the identity comparison finds it)
            cache.pop(KEPT_ITEMS, None)
        got = econ_summary(CheckContext(report, profile, cache))
        want = _full_econ(list(map(_GET, report.expenditure.by_econ)), 2)
        assert (got.sums, got.negatives, got.reception, got.capital) == \
            (want.sums, want.negatives, want.reception, want.capital)
        assert {k: v for k, v in got.by_scope.items() if v} == {k: v for k, v in want.by_scope.items() if v}


def test_two_checkers_never_share_incremental_state():
    """Module-level caches once leaked one report's summary into another's check (issue 12 item 6)."""
    from perfeval_gui.core.engine import Checker
    from perfeval_gui.core.model import EconLine
    a, b = clean_report(), clean_report()
    a.expenditure.by_econ = [EconLine("basic", "30201", "办公费", D("1.00"))]
    b.expenditure.by_econ = [EconLine("basic", "30201", "办公费", D("1.00"))]
    ca, cb = Checker(a), Checker(b)
    ca.check_all()
    cb.check_all()
    b.expenditure.by_econ[0].amount = D("-5.00")
    assert any(f.rule_id == "EXP-09" for f in cb.recheck(["expenditure.by_econ[0].amount"]))
    assert not any(f.rule_id == "EXP-09" for f in ca.recheck(["expenditure.by_econ[0].amount"]))
