"""Every computed score rule of DOMAIN §6.3 against values worked out by hand (core/scoring_rules.py),
and SCO-04 flagging a stated score that disagrees with the bands / ratio_down rule.

The hand computations are written next to each case; the published examples are those of DOMAIN §6.1.
"""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from perfeval_gui.core.model import ScoreNode
from perfeval_gui.core.scoring_rules import COMPUTED_RULES, ScoreRuleError, computed_score

from rulekit import clean_report, run

# 预算控制率 (追加 ÷ 年初, %): 0 → 8, ≤10 → 6, ≤20 → 4, ≤30 → 2, > 30 → 0 (DOMAIN §6.1)
CONTROL_BANDS = {"bands": [{"upto": "0", "score": "8"}, {"upto": "10", "score": "6"}, {"upto": "20", "score": "4"},
                           {"upto": "30", "score": "2"}, {"score": "0"}]}
# "the higher the better": ≥ 95 → 10, ≥ 85 → 7, ≥ 60 → 4 (no catch-all band)
FROM_BANDS = {"bands": [{"from": "95", "score": "10"}, {"from": "85", "score": "7"}, {"from": "60", "score": "4"}]}


def node(rule, achieved, target=None, weight="10", **kw) -> ScoreNode:
    return ScoreNode(id="1", name="指标", weight=D(weight), rule=rule, achieved=D(achieved),
                     target=None if target is None else D(target), **kw)


def score(n: ScoreNode) -> D:
    return computed_score(n).score


@pytest.mark.parametrize("achieved, expected", [
    ("0", "8"),          # exactly 0: first band
    ("0.01", "6"),       # just over 0 → the ≤ 10 band
    ("10", "6"),         # a bound belongs to its band (≤)
    ("10.5", "4"),
    ("20", "4"),
    ("25", "2"),
    ("30", "2"),
    ("30.01", "0"),      # over 30: the catch-all band
    ("250", "0"),
    ("-5", "8"),         # a cut (negative 追加) is ≤ 0
])
def test_bands_upto_published_example(achieved, expected):
    assert score(node("bands", achieved, weight="8", rule_params=CONTROL_BANDS)) == D(expected)


@pytest.mark.parametrize("achieved, expected", [
    ("100", "10"), ("95", "10"), ("94.99", "7"), ("85", "7"), ("70", "4"), ("60", "4"),
    ("59.99", "0"),      # below every "from": no band → 0
])
def test_bands_from_higher_is_better(achieved, expected):
    assert score(node("bands", achieved, rule_params=FROM_BANDS)) == D(expected)


def test_bands_score_above_the_weight_is_capped_at_the_weight():
    # a band worth 8 on an indicator weighted 5 gives 5
    assert score(node("bands", "0", weight="5", rule_params=CONTROL_BANDS)) == D("5")


def test_bands_without_bands_is_a_parameter_error():
    with pytest.raises(ScoreRuleError, match="分档"):
        computed_score(node("bands", "3", rule_params={}))


@pytest.mark.parametrize("target, achieved, weight, expected", [
    ("50", "40", "10", "10"),        # under the target: full marks
    ("50", "50", "10", "10"),        # on the target
    ("50", "80", "10", "6.25"),      # 50 ÷ 80 × 10
    ("120", "150", "20", "16"),      # 120 ÷ 150 × 20
    ("3", "4", "6", "4.5"),          # 3 ÷ 4 × 6
    ("0", "5", "10", "0"),           # target 0 exceeded: 0 ÷ 5 × 10
])
def test_ratio_down(target, achieved, weight, expected):
    assert score(node("ratio_down", achieved, target, weight)) == D(expected)


def test_ratio_down_without_target_gives_no_score():
    assert computed_score(node("ratio_down", "5")) is None


@pytest.mark.parametrize("target, achieved, weight, expected", [
    ("100", "120", "10", "10"),      # over the target: full marks
    ("100", "80", "10", "8"),        # 80 ÷ 100 × 10
    ("1000", "250", "20", "5"),      # 250 ÷ 1000 × 20
])
def test_ratio_up(target, achieved, weight, expected):
    assert score(node("ratio_up", achieved, target, weight)) == D(expected)


@pytest.mark.parametrize("achieved, target, unit, expected", [
    ("95.65", None, "%", "19.13"),   # 95.65 ÷ 100 × 20
    ("110", None, "%", "20"),        # capped at 1
    ("0.9", None, "", "18"),         # a fraction: 0.9 × 20
])
def test_exec_rate(achieved, target, unit, expected):
    assert score(node("exec_rate", achieved, target, "20", unit=unit)) == D(expected)


@pytest.mark.parametrize("direction, target, achieved, params, weight, expected", [
    ("≤", "100", "104", {"step": "0.5"}, "8", "6"),             # 在职人员控制率 104 %: 8 − 0.5 × 4
    ("≤", "0", "98.31", {"step": "0.8"}, "8", "0"),             # 三公经费变动率 98.31 %: 8 − 78.6 → 0
    ("≥", "100", "90", {"step": "2", "per": "5"}, "8", "4"),    # 预算完成率 90 %: 8 − 2 × 10 ÷ 5
    ("≤", "100", "90", {"step": "0.5"}, "8", "8"),              # no overshoot
])
def test_deduct_per_point_published_examples(direction, target, achieved, params, weight, expected):
    n = node("deduct_per_point", achieved, target, weight, direction=direction, rule_params=params)
    assert score(n) == D(expected)


@pytest.mark.parametrize("target, achieved, expected", [
    ("20", "20", "10"),      # a ≤ t → w
    ("20", "25", "7.5"),     # 10 × (1 − (25 − 20) ÷ 20) = 7.5
    ("20", "39", "0.5"),     # 10 × (1 − 19 ÷ 20) = 0.5
    ("20", "40", "0"),       # a ≥ 2t → 0
    ("20", "55", "0"),
    ("0", "1", "0"),         # target 0, anything above it: 0
])
def test_ratio_down_linear_form_of_a_profile(target, achieved, expected):
    n = node("ratio_down", achieved, target, direction="≤")
    assert computed_score(n, {"≤": "linear"}).score == D(expected)
    assert computed_score(n, {"≤": "inverse"}).score == computed_score(n).score     # t ÷ a × w, the default


@pytest.mark.parametrize("target, achieved, expected", [
    ("0", "0", "10"),        # "=" with target 0: a ≤ 0 → w
    ("0", "-1", "10"),
    ("0", "0.5", "0"),       # else 0
    ("3", "3", "10"),        # a = t → w
    ("3", "2", "0"),
])
def test_equal_rule(target, achieved, expected):
    assert score(node("equal", achieved, target, direction="=")) == D(expected)


def test_every_computed_rule_is_covered_here():
    covered = {"bands", "ratio_down", "ratio_up", "exec_rate", "deduct_per_point", "equal"}
    assert set(COMPUTED_RULES) == covered


# ------------------------------------------------------------------ through the checker (SCO-04)
def _with_indicator(rule, target, achieved, stated, params=None):
    """clean_report() with its 重点工作完成率 indicator (weight 30) scored by another rule."""
    r = clean_report()
    leaf = r.scoring.nodes[5]
    assert leaf.name == "重点工作完成率" and leaf.weight == D("30")
    leaf.rule, leaf.target, leaf.achieved = rule, target, achieved
    leaf.rule_params = params or {}
    leaf.score_stated = r.scoring.nodes[4].score_stated = stated
    r.self_eval.score_stated = D("67.13") + stated
    return r


def test_sco04_ratio_down_stated_score_checked():
    # 成本 target 20, achieved 25 → 20 ÷ 25 × 30 = 24
    assert run(_with_indicator("ratio_down", D("20"), D("25"), D("24")), "SCO-04") == []
    found = run(_with_indicator("ratio_down", D("20"), D("25"), D("30")), "SCO-04")
    assert len(found) == 1 and "24" in found[0].message and "30" in found[0].message
    assert found[0].expected == "24.00"


def test_sco04_bands_stated_score_checked():
    bands = {"bands": [{"upto": "10", "score": "30"}, {"upto": "20", "score": "20"}, {"score": "0"}]}
    # 15 falls in the ≤ 20 band → 20
    assert run(_with_indicator("bands", None, D("15"), D("20"), bands), "SCO-04") == []
    found = run(_with_indicator("bands", None, D("15"), D("30"), bands), "SCO-04")
    assert len(found) == 1 and found[0].expected == "20.00"
