"""Next year's report from this one (issue 19): core.next_year + ``perfeval next-year``."""
from __future__ import annotations

from decimal import Decimal

from perfeval_gui.cli import main
from perfeval_gui.core import derived
from perfeval_gui.core.engine import Checker
from perfeval_gui.core.model import ScoreNode, set_value
from perfeval_gui.core.next_year import CLEAR, KEEP, narrative_parts, pending_drafts, start_next_year
from perfeval_gui.io.project_file import load_project
from perfeval_gui.resources import sample_path


def liuyang():
    return load_project(sample_path("liuyang-2021.pefx"))


def shifeng():
    return load_project(sample_path("shifeng-2023.pefx"))


def test_year_cover_and_every_figure_becomes_prior_year():
    old = liuyang()
    old.meta.report_date = "2022-04-15"
    new = start_next_year(old)
    assert new.meta.fiscal_year == 2022
    assert new.meta.report_date == "2023-04-15"
    assert new.meta.unit_name == old.meta.unit_name
    # this year's figures are last year's now, under the same paths …
    assert new.prior_year["expenditure.total"] == Decimal("385.5")
    assert new.prior_year["expenditure.basic"] == Decimal("184.9")
    assert new.prior_year["income.fiscal_funds"] == Decimal("385.5")
    assert new.prior_year["expenditure.by_econ[2].amount"] == Decimal("39.7")
    assert new.prior_year["projects[1].actual"] == Decimal("112.3")
    assert new.prior_year["three_public.reception.actual"] == Decimal("0.5")
    assert new.prior_year["three_public.abroad.actual"] == Decimal("0")
    assert new.prior_year["profile.staff_authorized"] == Decimal(12)
    assert new.prior_year["profile.staff_by_role[3].count"] == Decimal(8)
    assert new.three_public.prior_year_total == Decimal("0.5")
    # … and this year's are empty, with the structure kept
    assert new.expenditure.total is None and new.expenditure.basic is None
    assert new.income.fiscal_funds is None
    assert [e.name for e in new.expenditure.by_econ] == [e.name for e in old.expenditure.by_econ]
    assert all(e.amount is None for e in new.expenditure.by_econ)
    assert new.three_public.reception.actual is None
    assert new.profile.staff_authorized is None
    assert [r.role for r in new.profile.staff_by_role] == ["党组书记", "主任", "副主任", "干部"]
    assert new.self_eval.score_stated is None and new.self_eval.grade_stated == ""
    # the old report is untouched
    assert old.expenditure.total == Decimal("385.5") and old.meta.fiscal_year == 2021


def test_projects_carry_over_with_indicators_and_carryover():
    old = shifeng()
    project = old.projects[0]
    project.indicators = [ScoreNode(id="p1", level=3, name="完成率", weight=Decimal(10), target=Decimal(100),
                                    target_text="≥100%", achieved=Decimal(98), achieved_text="98%",
                                    score_stated=Decimal("9.8"), deviation_reason="天气原因")]
    project.self_score = Decimal(95)
    new = start_next_year(old)
    carried = new.projects[0]
    assert carried.name == project.name and carried.kind == project.kind
    assert carried.budget_initial is None and carried.actual is None and carried.carryover is None
    assert carried.self_score is None
    # 上年结转 = this year's 结余结转 (the stated one: 石峰 states 4.00)
    assert carried.carryover_prior == project.carryover == Decimal("4.00")
    node = carried.indicators[0]
    assert (node.name, node.weight, node.target, node.target_text) == ("完成率", Decimal(10), Decimal(100), "≥100%")
    assert node.achieved is None and node.achieved_text == "" and node.score_stated is None
    assert node.deviation_reason == ""
    assert new.prior_year["projects[0].actual"] == project.actual


def test_unstated_project_carryover_is_computed_by_derived():
    old = liuyang()
    new = start_next_year(old)
    for was, now in zip(old.projects, new.projects):
        assert was.carryover is None
        assert now.carryover_prior == derived.project_carryover_end(was) == Decimal("0.0")


def test_narrative_kept_as_draft_or_cleared_per_part():
    old = liuyang()
    parts = [sid for sid, _, _ in narrative_parts(old)]
    assert "六" in parts and "五.一" in parts
    new = start_next_year(old, {"六": CLEAR, "五.一": KEEP})
    assert "六" not in new.narrative
    assert new.narrative["五.一"] == old.narrative["五.一"]
    pending = pending_drafts(new)
    assert "narrative[五.一]" in pending and "narrative[六]" not in pending
    # edited → no longer 待更新
    set_value(new, "narrative[五.一]", new.narrative["五.一"] + "2022年新增内容。")
    assert "narrative[五.一]" not in pending_drafts(new)


def test_yoy_rule_compares_the_two_years_from_the_first_keystroke():
    old = liuyang()
    new = start_next_year(old, {sid: CLEAR for sid, _, _ in narrative_parts(old)})
    checker = Checker(new)
    checker.check_all()
    assert not [f for f in checker.findings if f.rule_id == "YOY-01"]
    set_value(new, "expenditure.total", Decimal("600"))
    found = [f for f in checker.recheck(["expenditure.total"]) if f.rule_id == "YOY-01"]
    assert found and "385.5" in found[0].message and "600" in found[0].message


def test_cli_next_year(tmp_path, capsys):
    src = tmp_path / "2021.pefx"
    src.write_bytes(sample_path("liuyang-2021.pefx").read_bytes())
    out = tmp_path / "2022.pefx"
    assert main(["next-year", str(src), "-o", str(out), "--clear", "六", "七"]) == 0
    new = load_project(out)
    assert new.meta.fiscal_year == 2022
    assert "六" not in new.narrative and "七" not in new.narrative and "八" in new.narrative
    assert new.prior_year["expenditure.total"] == Decimal("385.5")
    assert "narrative[八]" in pending_drafts(new)      # saved and read back: still 待更新
    assert "2022" in capsys.readouterr().out
    assert main(["next-year", str(src), "-o", str(out), "--clear", "十一"]) == 2
    assert "十一" in capsys.readouterr().err
