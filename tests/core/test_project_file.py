"""Project files: atomic save with .bak, clear Chinese errors, nothing changed on disk."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from perfeval_gui.core.model import (BudgetActual, EconLine, OrgUnit, Project, Report, ScoreNode)
from perfeval_gui.io.atomic import WriteError
from perfeval_gui.io.project_file import (ProjectFileError, load_project, report_to_bytes,
                                          save_project)


def _report() -> Report:
    r = Report()
    r.meta.unit_name = "测试单位"
    r.meta.fiscal_year = 2024
    r.income.budget_initial = Decimal("115.62")
    r.expenditure.total = Decimal("133.85")
    r.projects.append(Project(name="业务性专项", budget_initial=Decimal("4"), actual=Decimal("4.00")))
    r.narrative["五.一"] = "第一段\n第二段"
    return r


def test_save_load_round_trip_keeps_typed_decimals(tmp_path):
    path = tmp_path / "报告 2024.pefx"
    save_project(_report(), path)
    loaded = load_project(path)
    assert loaded == _report()
    assert str(loaded.projects[0].actual) == "4.00"   # typed decimals survive
    assert str(loaded.projects[0].budget_initial) == "4"


def test_second_save_keeps_previous_version_as_bak(tmp_path):
    path = tmp_path / "a.pefx"
    first = _report()
    save_project(first, path)
    second = _report()
    second.meta.unit_name = "改名后"
    save_project(second, path)
    assert load_project(path).meta.unit_name == "改名后"
    assert load_project(path.with_name("a.pefx.bak")).meta.unit_name == "测试单位"


@pytest.mark.parametrize("content,expect", [
    (b"", "空文件"),
    (b'{"format": "perfeval-project", "version": "1.0", "report": {"meta": ', "已损坏或不完整"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b"hello world", "已损坏"),
    (b'{"format": "something-else"}', "不是本程序的项目文件"),
    (b'{"format": "perfeval-project", "version": "9.0", "report": {}}', "更新版本"),
    (b'{"format": "perfeval-project", "version": "1.0", "report": {"income": {"budget_initial": [1]}}}',
     "income.budget_initial"),
    (b'{"format": "perfeval-project", "version": "1.0", "report": {"projects": [{"actual": "abc"}]}}',
     "projects[0].actual"),
    (b'{"format": "perfeval-project", "version": "1.0", "report": {"income": {"budget_initial": NaN}}}', "NaN"),
    (b'{"format": "perfeval-project", "version": "1.0", "report": {"income": {"budget_initial": 1e400}}}',
     "income.budget_initial"),
    (b'{"format": "perfeval-project", "version": "1.0", "report": {"income": {"budget_initial": "1e400"}}}',
     "income.budget_initial"),
    (b'{"format": "perfeval-project", "version": "1.0", "report": {"meta": {"fiscal_year": "abc"}}}',
     "meta.fiscal_year"),
    (b"[" * 100000 + b"]" * 100000, "嵌套"),
])
def test_bad_files_give_clear_error_and_stay_untouched(tmp_path, content, expect):
    path = tmp_path / "bad.pefx"
    path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(ProjectFileError) as exc:
        load_project(path)
    assert expect in str(exc.value)
    assert "bad.pefx" in str(exc.value) or expect in ("income.budget_initial",)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.pefx"]


def test_huge_digit_string_rejected(tmp_path):
    path = tmp_path / "big.pefx"
    digits = "9" * 10000
    path.write_text('{"format": "perfeval-project", "version": "1.0", "report": {"income": {"budget_initial": '
                    + digits + "}}}", encoding="utf-8")
    with pytest.raises(ProjectFileError):
        load_project(path)


def test_unknown_keys_from_newer_minor_version_are_preserved(tmp_path):
    path = tmp_path / "newer.pefx"
    data = json.loads(report_to_bytes(_report()))
    data["version"] = "1.7"
    data["future_envelope"] = {"x": 1}
    data["report"]["future_block"] = [1, 2]
    data["report"]["income"]["future_field"] = "保留"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = load_project(path)
    save_project(report, path)
    again = json.loads(path.read_text(encoding="utf-8"))
    assert again["future_envelope"] == {"x": 1}
    assert again["report"]["future_block"] == [1, 2]
    assert again["report"]["income"]["future_field"] == "保留"


def test_failed_save_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "a.pefx"
    save_project(_report(), path)
    before = path.read_bytes()
    import errno

    def full_disk(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "replace", full_disk)
    changed = _report()
    changed.meta.unit_name = "新"
    with pytest.raises(WriteError) as exc:
        save_project(changed, path, keep_backup=False)
    assert "磁盘空间已满" in str(exc.value)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_message(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(WriteError) as exc:
            save_project(_report(), folder / "x.pefx")
        assert "权限" in str(exc.value)
    finally:
        folder.chmod(0o700)


money = st.one_of(st.none(), st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False,
                                         allow_infinity=False))
text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"), max_size=40)


@st.composite
def reports(draw):
    r = Report()
    r.meta.unit_name = draw(text)
    r.meta.fiscal_year = draw(st.one_of(st.none(), st.integers(1990, 2100)))
    r.income.budget_initial = draw(money)
    r.income.budget_adjustment = draw(money)
    r.expenditure.basic = draw(money)
    r.three_public.reception = BudgetActual(draw(money), draw(money))
    r.profile.org_units = [OrgUnit(draw(text), draw(text)) for _ in range(draw(st.integers(0, 3)))]
    r.profile.staff_authorized = draw(st.one_of(st.none(), st.integers(0, 10000)))
    for _ in range(draw(st.integers(0, 3))):
        r.projects.append(Project(name=draw(text), budget_final=draw(money), actual=draw(money),
                                  purpose=draw(text)))
    r.expenditure.by_econ = [EconLine("basic", "30201", draw(text), draw(money))]
    r.scoring.nodes = [ScoreNode(id="1", level=1, name=draw(text), weight=draw(money), score_stated=draw(money))]
    r.narrative = draw(st.dictionaries(st.sampled_from(["一.一", "五.一", "六", "九"]), text, max_size=3))
    return r


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(reports())
def test_save_load_round_trip_random_reports(tmp_path, report):
    path = tmp_path / "r.pefx"
    save_project(report, path, keep_backup=False)
    assert load_project(path) == report


SAVER = r"""
import sys, time
from decimal import Decimal
from perfeval_gui.core.model import Report, Project
from perfeval_gui.io.project_file import save_project
path, n, marker = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r = Report(); r.meta.unit_name = marker
for i in range(n):
    r.projects.append(Project(name=f"项目{i}", actual=Decimal(i), purpose="文字" * 200))
print("ready", flush=True)
while True:
    save_project(r, path)
"""


def test_sigkill_during_save_leaves_old_or_new_never_partial(tmp_path):
    """Kill a process that saves in a loop at random moments: the file always loads."""
    import random
    path = tmp_path / "k.pefx"
    old = Report()
    old.meta.unit_name = "OLD"
    save_project(old, path)
    rng = random.Random(7)
    for attempt in range(12):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path), "300", "NEW"],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        loaded = load_project(path)
        assert loaded.meta.unit_name in ("OLD", "NEW")
        bak = path.with_name("k.pefx.bak")
        if bak.exists():
            assert load_project(bak).meta.unit_name in ("OLD", "NEW")


def test_temp_files_left_by_a_killed_save_are_cleaned_up_later(tmp_path):
    path = tmp_path / "a.pefx"
    stale = [tmp_path / ".a.pefx.k3j2.tmp", tmp_path / "a.pefx.bak.tmp"]
    fresh = tmp_path / ".a.pefx.zzzz.tmp"      # maybe another save in progress right now: kept
    for p in stale + [fresh]:
        p.write_bytes(b"half")
    old = time.time() - 3600
    for p in stale:
        os.utime(p, (old, old))
    save_project(_report(), path)
    assert load_project(path) == _report()
    assert not any(p.exists() for p in stale)
    assert fresh.exists()
