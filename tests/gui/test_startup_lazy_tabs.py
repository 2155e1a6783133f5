"""Start-up shows the overview; the section tabs are shells built on first visit (gui/sections/tab.py).

Run through the real entry point in a child process (imports are per process): when the first findings
are shown, the modules that only build a section tab or open a dialog are not imported yet, yet every
tab is there with its title and findings count; visiting a tab, clicking a finding or finding a text on a
tab not built yet builds it with all its fields, marks and selection.
"""
from __future__ import annotations

import json

from perfeval_gui.core.forms import FORM_IDS
from window_helpers import run_child

# only needed to build a section tab, to paste into a table or to open a dialog
BUILD_ONLY = ["perfeval_gui.gui.table", "perfeval_gui.gui.widgets", "perfeval_gui.gui.sections.specs",
              "perfeval_gui.gui.sections.builders", "perfeval_gui.gui.clipboard",
              "perfeval_gui.gui.profile_dialog"]

SCRIPT = r'''
from PySide6.QtWidgets import QLabel

BUILD_ONLY = json.loads(ARGS[1])


def loaded():
    return [m for m in BUILD_ONLY if m in sys.modules]


def findings_shown(win):
    app.processEvents()                              # the findings painted
    from perfeval_gui.core.findings import summarise
    from perfeval_gui.gui.sections import short_title
    out["findings_shown"] = win.findings_panel.list.count()
    out["loaded_at_first_findings"] = loaded()
    out["current"] = win.tabs.currentIndex()
    out["shells"] = [[t.section_id, t.built, t.widget() is None] for t in win.section_tabs]
    by_section = summarise(win.doc.findings).by_section
    template = win.doc.report.meta.template
    out["titles"] = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    out["expected_titles"] = [win.overview_title] + [
        short_title(template, t.section_id, t.full_title)
        + (f" ({by_section[t.section_id]})" if by_section.get(t.section_id) else "") for t in win.section_tabs]

    tab = win.section_tab("一")                       # the officer visits a section tab
    win.tabs.setCurrentWidget(tab)
    app.processEvents()
    heading = tab.widget().findChild(QLabel)
    out["visited"] = {"loaded": loaded(), "built": tab.built, "fields": sorted(tab.fields),
                      "tables": len(tab.tables), "heading": heading.text() if heading else None,
                      "others_built": [t.section_id for t in win.section_tabs if t.built and t is not tab]}

    finding = next(f for f in win.doc.findings if f.paths and f.paths[0] == "headings[三]")
    win.goto_finding(finding)                        # a finding on a tab not built yet
    app.processEvents()
    tab = win.section_tab("三")
    field = tab.fields.get("headings[三]")
    out["goto"] = {"current": win.tabs.currentWidget() is tab, "built": tab.built,
                   "severity": field.property("severity") if field else None,
                   "tooltip": field.toolTip() if field else ""}

    text = win.doc.report.narrative["六"][:12]        # 查找 a text on a tab not built yet
    win.open_find()
    win.find_bar.edit.setText(text)
    win.find_bar.next()
    app.processEvents()
    tab = win.tabs.currentWidget()
    field = tab.fields.get("narrative[六]") if hasattr(tab, "fields") else None
    out["find"] = {"section": getattr(tab, "section_id", None), "built": getattr(tab, "built", None),
                   "selected": field.textCursor().selectedText() if field else None, "text": text}

    tab = win.section_tab("项目自评表")                # a form tab
    win.tabs.setCurrentWidget(tab)
    app.processEvents()
    out["form"] = {"built": tab.built, "fields": sorted(tab.fields), "tables": len(tab.tables)}
    finish(win)


after_first_findings(findings_shown)
sys.exit(main([ARGS[0]]))
'''


def test_start_up_imports_no_tab_builder_and_every_tab_works_when_first_visited(sample_file, tmp_path):
    seen = run_child(SCRIPT, str(sample_file), json.dumps(BUILD_ONLY), tmp_path=tmp_path)
    assert seen["findings_shown"] > 0
    assert seen["loaded_at_first_findings"] == []
    assert seen["current"] == 0                                   # the overview
    # every tab is there as a shell: not built, no widgets yet
    assert [s[0] for s in seen["shells"]] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "附",
                                               "部门自评表", "基础数据表", "项目自评表"]
    assert all(not built and empty for _, built, empty in seen["shells"]), seen["shells"]
    # … with its title and its count of errors
    assert seen["titles"] == seen["expected_titles"]
    assert seen["titles"][1:4] == ["一 部门概况", "二 支出管理", "三 专项实施"]

    visited = seen["visited"]
    assert visited["built"] is True
    assert set(BUILD_ONLY) - {"perfeval_gui.gui.clipboard"} <= set(visited["loaded"]), visited["loaded"]
    assert {"headings[一]", "meta.unit_name", "meta.fiscal_year", "meta.template"} <= set(visited["fields"])
    assert visited["tables"] > 0
    assert visited["heading"] and visited["heading"].startswith("一")
    assert visited["others_built"] == []                         # only the tab visited

    goto = seen["goto"]                                          # built, shown, the field marked
    assert goto["current"] is True and goto["built"] is True and goto["severity"] == "warning"
    assert goto["tooltip"].startswith("警告：")

    assert seen["find"]["section"] == "六" and seen["find"]["built"] is True
    assert seen["find"]["selected"] == seen["find"]["text"]

    form = seen["form"]
    assert form["built"] is True and form["tables"] == 1
    assert {"projects[0].name", "projects[0].budget_initial"} <= set(form["fields"])


def test_form_tabs_follow_the_forms_order():
    """Form tabs are made from core.forms' ids (the shells) and laid out from specs.FORM_TABS (when built)."""
    from perfeval_gui.gui.sections.specs import FORM_TABS
    assert [s.form_id for s in FORM_TABS] == list(FORM_IDS)
