"""Grade bands live only in the rule profile: every display and SCO-08 agree (issue 12 item 2)."""
from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from docx import Document

from perfeval_gui.core import derived, rule_profile
from perfeval_gui.core.engine import Checker
from perfeval_gui.core.model import Report
from perfeval_gui.gui.document import ReportDocument
from perfeval_gui.gui.main_window import MainWindow
from perfeval_gui.io.docx_export import export_docx
from perfeval_gui.resources import resource_path


@pytest.fixture
def profiles(tmp_path, monkeypatch):
    """The shipped profiles plus one whose 优 starts at 85 (as some deployments configure)."""
    folder = tmp_path / "resources"
    shutil.copytree(resource_path("rules"), folder / "rules")
    (folder / "rules" / "band85.toml").write_text(
        'name = "优从85分起"\n[[grades]]\ngrade = "优"\nmin = "85"\n[[grades]]\ngrade = "良"\nmin = "75"\n'
        '[[grades]]\ngrade = "中"\nmin = "60"\n[[grades]]\ngrade = "差"\nmin = "0"\n', encoding="utf-8")
    monkeypatch.setattr(rule_profile, "resource_path", lambda *parts: folder.joinpath(*parts))
    rule_profile.load_profile.cache_clear()
    yield folder / "rules"
    rule_profile.load_profile.cache_clear()


def _report(profile: str, grade_stated: str = "") -> Report:
    r = Report()
    r.meta.unit_name, r.meta.fiscal_year, r.meta.rule_profile = "某中心", 2023, profile
    r.self_eval.score_stated = Decimal("87")
    r.self_eval.grade_stated = grade_stated
    return r


def test_every_shipped_profile_has_every_threshold_the_rules_read(profiles):
    keys = ("thresholds.exec_rate_low", "thresholds.over_achievement", "thresholds.yoy_change",
            "thresholds.inflated_score")
    for toml in sorted(profiles.glob("*.toml")):
        p = rule_profile.load_profile(toml.stem)
        for key in keys:
            assert p.decimal(key) > 0, (toml.name, key)
        assert p.grades and p.grade_for(Decimal("0")), toml.name


def test_a_profile_band_is_honoured_by_window_overview_section_nine_word_and_sco08(profiles, qtbot, tmp_path):
    assert derived.grade_of(_report("hunan-default"), Decimal("87")) == "良"
    report = _report("band85")
    win = MainWindow(ReportDocument(report))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.doc.run_deferred_check()
    qtbot.waitUntil(lambda: "等级" in win.score_label.text())
    assert "等级：优" in win.score_label.text()                          # status bar
    win.overview_widget.refresh()
    assert "优" in win.overview_widget.cards["score"].value.text()        # overview
    # section 九's "按得分应评等级"
    from perfeval_gui.gui.sections import specs
    nine_grade = [d for d in specs.BLOCKS["self_eval"][0].fields
                  if isinstance(d, specs.Derived) and d.label == "按得分应评等级"][0]
    assert nine_grade.compute(report) == "优"
    # the Word report's grade sentence
    out = tmp_path / "r.docx"
    export_docx(report, out)
    text = "\n".join(p.text for p in Document(out).paragraphs)
    assert "等级为“优”" in text
    win.close()
    # SCO-08 accepts 优 and flags 良 under this profile
    assert not [f for f in Checker(_report("band85", "优")).check_all() if f.rule_id == "SCO-08"]
    flagged = [f for f in Checker(_report("band85", "良")).check_all() if f.rule_id == "SCO-08"]
    assert flagged and "“优”" in flagged[0].message
