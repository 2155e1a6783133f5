"""The 概览 tab on the real window: headline figures, live updates, the project chart."""
from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtGui import QImage

from perfeval_gui.core import derived
from perfeval_gui.core.model import Project, Report
from perfeval_gui.gui.chart import ProjectChartWidget
from perfeval_gui.gui.overview import OverviewPage


def test_overview_is_first_tab_with_sample_figures(win):
    page = win.tabs.widget(0)
    assert isinstance(page, OverviewPage)
    assert win.tabs.tabText(0) == "概览"
    cards = page.cards
    assert cards["actual"].value.text() == "385.5"
    assert cards["rate"].value.text() == "100.00%"
    assert "优" in cards["score"].value.text() and "99" in cards["score"].value.text()
    assert cards["basic"].value.text() == "184.9"
    assert "47.96%" in cards["basic"].note.text()
    assert cards["project"].value.text() == "200.6"
    assert "52.04%" in cards["project"].note.text()
    assert cards["three"].value.text() == "0.5"
    # 8 of the report + 7 CMP-03/CMP-04: the cells of its submission forms the report does not state (issue 17)
    assert cards["findings"].value.text() == "15 个警告"
    assert len(page.chart.data.bars) == 5


def test_overview_updates_when_a_figure_changes(win):
    page = win.tabs.widget(0)
    win.tabs.setCurrentIndex(0)
    win.doc.set_value("expenditure.total", Decimal("400"))
    assert page.cards["actual"].value.text() == "400.0"
    assert "个错误" in page.cards["findings"].value.text()       # EXP-01: 184.9 + 200.6 ≠ 400
    win.doc.set_value("projects[1].actual", Decimal("100"))
    assert page.chart.data.bars[1].actual == Decimal("100")
    win.doc.undo_stack.undo()
    win.doc.undo_stack.undo()
    assert page.cards["actual"].value.text() == "385.5"
    assert page.cards["findings"].value.text() == "15 个警告"


def test_hidden_overview_refreshes_when_shown(win):
    page = win.tabs.widget(0)
    win.tabs.setCurrentIndex(2)
    win.doc.set_value("expenditure.basic", Decimal("190"))
    assert page.cards["basic"].value.text() == "184.9"        # stale while hidden (cheap)
    win.tabs.setCurrentIndex(0)
    assert page.cards["basic"].value.text() == "190.0"


def _report(n: int) -> Report:
    r = Report()
    r.projects = [Project(name=f"第{i}个项目：乡村振兴重点帮扶产业发展专项资金补助" if i % 7 == 0 else f"项目{i}",
                          budget_final=Decimal(i % 50 + 1), actual=Decimal(i % 50) if i % 11 else None)
                  for i in range(n)]
    return r


def _distinct_colours(image: QImage) -> int:
    seen = set()
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            seen.add(image.pixel(x, y))
            if len(seen) > 3:
                return len(seen)
    return len(seen)


@pytest.mark.parametrize("n", [0, 5, 1000])
def test_chart_paints_for_0_5_and_1000_projects(qtbot, n):
    chart = ProjectChartWidget()
    qtbot.addWidget(chart)
    data = derived.project_chart(_report(n), 15)
    chart.set_data(data, 2)
    chart.resize(800, chart.sizeHint().height())
    image = chart.grab().toImage()
    assert not image.isNull()
    assert _distinct_colours(image) > 3          # text / bars drawn, not a blank rectangle
    assert len(data.bars) == min(n, 15)
    if n == 1000:
        assert data.rest_count == 985
        assert chart.height() < 1000              # top N only, not 1,000 rows


def test_chart_rest_totals_come_from_derived():
    data = derived.project_chart(_report(40), 10)
    shown = {b.index for b in data.bars}
    rest = [p for i, p in enumerate(_report(40).projects) if i not in shown]
    assert data.rest_budget == sum(p.budget_final for p in rest)
    assert min(max(b.budget, b.actual or 0) for b in data.bars) >= max(p.budget_final for p in rest)
    assert [b.index for b in data.bars] == sorted(shown)          # report order kept


def test_overview_of_a_new_empty_report(win):
    from perfeval_gui.core.model import Report
    win.tabs.setCurrentIndex(0)
    win.doc.replace_report(Report(), None)
    page = win.tabs.widget(0)
    assert page.cards["actual"].value.text() == "—"
    assert page.cards["score"].note.text() == "尚未自评"
    assert page.chart.data.bars == ()
    assert "年度未填写" in page.subtitle.text()


@pytest.mark.parametrize("width, height", [(520, 600), (760, 600), (1100, 600), (520, 2000), (1100, 2000)])
def test_overview_cards_are_never_cut_off_on_a_narrow_window(win, qtbot, width, height):
    """1366×768 at 150 % leaves about 560 px for the page: the cards reflow instead of running off
    (with and without the page's scroll bar)."""
    page = win.tabs.widget(0)
    win.tabs.setCurrentIndex(0)
    page.resize(width, height)
    qtbot.wait(50)
    right = page.viewport().width()
    assert page.viewport_width() == right       # what the reflow uses, read without the viewport
    assert page.verticalScrollBar().isVisible() == (height < 1000)
    for key, card in page.cards.items():
        assert card.isVisible()
        assert card.geometry().right() <= right, (key, card.geometry().right(), right)
    assert page.horizontalScrollBar().maximum() == 0
