"""Acknowledging a warning with a note (DOMAIN §7: "officer can acknowledge with a note").

The reviewer queries warnings and accepts an explanation; errors must be fixed. An explanation covers
exactly the finding the officer read: when its figures or names change, the finding asks again.
"""
from __future__ import annotations

import io
from contextlib import redirect_stdout

from perfeval_gui.cli import main
from perfeval_gui.core.engine import Checker
from perfeval_gui.core.findings import Severity
from perfeval_gui.core.model import get_value, set_value
from perfeval_gui.io.project_file import load_project, save_project
from perfeval_gui.resources import sample_path

NOTE = "该项目绩效分析并入营商环境评价项目，见五（二）第1段"


def _prj06(findings, name="投诉处理"):
    return next(f for f in findings if f.rule_id == "PRJ-06" and name in f.message)


def test_acknowledged_warning_is_listed_last_with_its_note_and_not_counted_as_open():
    report = load_project(sample_path("liuyang-2021.pefx"))
    checker = Checker(report)
    target = _prj06(checker.check_all())
    before = checker.summary()
    path = f"acknowledged[{target.key}]"
    set_value(report, path, NOTE)
    assert get_value(report, path) == NOTE                    # a key holding a bracketed path
    findings = checker.recheck([path])
    after = checker.summary()
    assert (after.warnings, after.acknowledged) == (before.warnings - 1, 1)
    assert after.text.endswith("（另 1 条已核实）")
    assert findings[-1].rule_id == "PRJ-06" and findings[-1].note == NOTE
    assert sum(1 for f in findings if f.note is not None) == 1   # the other PRJ-06 rows stay open


def test_renaming_the_project_asks_again():
    report = load_project(sample_path("liuyang-2021.pefx"))
    checker = Checker(report)
    target = _prj06(checker.check_all())
    set_value(report, f"acknowledged[{target.key}]", NOTE)
    index = next(i for i, p in enumerate(report.projects) if p.name == "投诉处理")
    set_value(report, f"projects[{index}].name", "投诉受理")
    findings = checker.recheck([f"projects[{index}].name"])
    assert _prj06(findings, "投诉受理").note is None


def test_an_error_cannot_be_acknowledged_away():
    report = load_project(sample_path("shifeng-2023.pefx"))
    checker = Checker(report)
    error = next(f for f in checker.check_all() if f.severity is Severity.ERROR)
    assert not error.acknowledgeable
    report.acknowledged[error.key] = "我认为没问题"
    checker.recheck(["acknowledged"])
    assert checker.summary().errors == 2 and all(f.note is None for f in checker.findings)


def test_note_survives_save_and_is_printed_by_perfeval_check(tmp_path):
    report = load_project(sample_path("liuyang-2021.pefx"))
    target = _prj06(Checker(report).check_all())
    report.acknowledged[target.key] = NOTE
    out = tmp_path / "报告.pefx"
    save_project(report, out)
    assert load_project(out).acknowledged == {target.key: NOTE}
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["check", str(out)]) == 0
    text = buf.getvalue()
    assert "[已核实] PRJ-06" in text and f"说明：{NOTE}" in text and "另 1 条已核实" in text


def test_rewording_a_message_keeps_the_explanation():
    """Identity is the data (rule, paths, figures, names), not the wording (issue 12 item 4)."""
    import dataclasses
    report = load_project(sample_path("liuyang-2021.pefx"))
    target = _prj06(Checker(report).check_all())
    reworded = dataclasses.replace(target, message=target.message.replace("应", "需要").replace("。", "；") + "（新措辞）")
    assert reworded.message != target.message and reworded.key == target.key
    renamed = dataclasses.replace(target, message=target.message.replace("投诉处理", "投诉受理"))
    assert renamed.key != target.key


def test_a_note_written_under_the_old_message_key_still_applies():
    report = load_project(sample_path("liuyang-2021.pefx"))
    target = _prj06(Checker(report).check_all())
    set_value(report, f"acknowledged[{target.legacy_key}]", NOTE)
    findings = Checker(report).check_all()
    assert _prj06(findings).note == NOTE
    assert not [f for f in findings if f.rule_id == "ACK-01"]


def test_a_note_whose_finding_has_gone_is_listed_as_no_longer_applying():
    report = load_project(sample_path("liuyang-2021.pefx"))
    set_value(report, "acknowledged[PRJ-06:projects[9]#00000000]", "旧说明：该项目已撤销")
    stale = [f for f in Checker(report).check_all() if f.rule_id == "ACK-01"]
    assert len(stale) == 1
    assert "已不适用" in stale[0].message and "旧说明" in stale[0].message
    assert stale[0].paths == ("acknowledged[PRJ-06:projects[9]#00000000]",)
