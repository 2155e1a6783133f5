"""概览 tab: the headline figures, a budget-vs-actual chart per project and the findings counts.

Every number comes from core/derived.py; this page only formats it. Refreshing is cheap and
happens only while the page is visible (a hidden page is marked stale and refreshed on show).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QSizePolicy, QVBoxLayout, QWidget)

from ..core import derived
from ..core.money import fmt_amount, fmt_percent
from .chart import ProjectChartWidget

CHART_LIMIT = 15
CARD_STYLE = """
QFrame#card { background: palette(base); border: 1px solid #d5dae0; border-radius: 4px; }
QLabel#caption { color: #5f6770; }
QLabel#note { color: #6b737c; }
QLabel#value { color: #1f2328; }
"""


class Card(QFrame):
    """A caption, a big value and a short note underneath."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(150)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(4)
        self.caption = QLabel(caption)
        self.caption.setObjectName("caption")
        self.value = QLabel("—")
        self.value.setObjectName("value")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        f = self.value.font()
        f.setPointSizeF(f.pointSizeF() * 1.6)
        self.value.setFont(f)
        self.note = QLabel(" ")
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        for w in (self.caption, self.value, self.note):
            lay.addWidget(w)
        lay.addStretch(1)

    def set(self, value: str, note: str = "", color: str = "") -> None:
        self.value.setText(value)
        self.value.setStyleSheet(f"color: {color};" if color else "")
        self.note.setText(note or " ")


def _section_label(text: str) -> QLabel:
    label = QLabel(text)
    f = label.font()
    f.setBold(True)
    f.setPointSizeF(f.pointSizeF() * 1.1)
    label.setFont(f)
    return label


class OverviewPage(QScrollArea):
    """The 概览 tab. ``show_findings`` is emitted by the 查看检查结果 button."""

    show_findings = Signal()
    CARD_MIN_EM = 11        # a card needs about 11 characters' width; fewer columns when narrower

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._reflow(self.viewport_width())

    def viewport_width(self) -> int:
        """The viewport's width, without asking for the viewport: the first Python handle on that
        C++-made widget makes PySide work out its class among every widget class it knows, which
        costs about 9 ms — on the way to the first findings when done here (issue 21)."""
        width = self.maximumViewportSize().width()
        bar = self.verticalScrollBar()
        return width - bar.width() if bar.isVisible() else width

    def _reflow(self, width: int) -> None:
        """4 cards a row on a wide page, 2 (or 1) on a narrow one (1366×768 at 150 %): never cut off."""
        em = self.fontMetrics().horizontalAdvance("中")
        spacing = self._grid.horizontalSpacing()
        columns = 4 if width >= 4 * (self.CARD_MIN_EM * em + spacing) + 48 else \
            2 if width >= 2 * (self.CARD_MIN_EM * em + spacing) + 48 else 1
        if columns == self._columns:
            return
        self._columns = columns
        for i, card in enumerate(self.cards.values()):
            self._grid.removeWidget(card)
            self._grid.addWidget(card, i // columns, i % columns)
        for c in range(4):
            self._grid.setColumnStretch(c, 1 if c < columns else 0)

    def __init__(self, doc, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._stale = True
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body.setObjectName("overviewBody")
        body.setStyleSheet(CARD_STYLE)
        self.setWidget(body)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(24, 18, 24, 24)
        outer.setSpacing(14)

        self.title = QLabel()
        tf = self.title.font()
        tf.setPointSizeF(tf.pointSizeF() * 1.45)
        tf.setBold(True)
        self.title.setFont(tf)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("note")
        self.subtitle.setStyleSheet("color: #6b737c;")
        outer.addWidget(self.title)
        outer.addWidget(self.subtitle)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        self.cards: dict[str, Card] = {}
        layout = (("budget", "全年预算数（万元）"), ("actual", "全年执行数（万元）"),
                  ("rate", "预算执行率"), ("score", "自评得分 / 等级"),
                  ("basic", "基本支出（万元）"), ("project", "项目支出（万元）"),
                  ("three", "“三公”经费（万元）"), ("findings", "检查结果"))
        for i, (key, caption) in enumerate(layout):
            card = Card(caption)
            self.cards[key] = card
            grid.addWidget(card, i // 4, i % 4)
        for c in range(4):
            grid.setColumnStretch(c, 1)
        self._grid, self._columns = grid, 4
        outer.addLayout(grid)
        self.findings_button = QPushButton("查看检查结果")
        self.findings_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.findings_button.clicked.connect(self.show_findings)
        self.cards["findings"].layout().addWidget(self.findings_button, 0, Qt.AlignmentFlag.AlignLeft)

        head = QHBoxLayout()
        head.addWidget(_section_label("项目支出：全年预算数与执行数"))
        head.addStretch(1)
        self.chart_note = QLabel()
        self.chart_note.setStyleSheet("color: #6b737c;")
        head.addWidget(self.chart_note)
        outer.addSpacing(6)
        outer.addLayout(head)
        frame = QFrame()
        frame.setObjectName("card")
        fl = QVBoxLayout(frame)
        fl.setContentsMargins(8, 8, 8, 8)
        self.chart = ProjectChartWidget()
        fl.addWidget(self.chart)
        outer.addWidget(frame)
        outer.addStretch(1)

        doc.changed.connect(self._on_doc_changed)
        doc.findings_changed.connect(self._on_doc_changed)

    # ------------------------------------------------------------ refresh
    def _on_doc_changed(self, *_args) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        r = self.doc.report
        p = r.meta.amount_decimals
        money = lambda v: fmt_amount(v, p, "—")  # noqa: E731

        head = (f"{r.meta.fiscal_year} 年度部门整体支出绩效自评" if r.meta.fiscal_year
                else "部门整体支出绩效自评（年度未填写）")
        self.title.setText(r.meta.unit_name or "（单位名称未填写）")
        self.subtitle.setText(head + ("　·　示例报告" if self.doc.is_sample else ""))

        final = derived.budget_final(r)
        actual = derived.total_actual(r)
        rate = derived.exec_rate(r)
        if final is None and r.income.fiscal_funds is not None:
            budget_note = f"未填写（执行率按财政资金 {money(r.income.fiscal_funds)} 计算）"
        elif final is None:
            budget_note = "未填写"
        else:
            budget_note = f"年初预算 {money(r.income.budget_initial)}，调整 {money(r.income.budget_adjustment)}"
        self.cards["budget"].set(money(final), budget_note)
        self.cards["actual"].set(money(actual), "" if actual is not None else "未填写")
        self.cards["rate"].set(fmt_percent(rate), "全年执行数 ÷ 全年预算数")

        score = derived.self_score(r)
        grade = derived.grade_of(r, score)
        stated = r.self_eval.grade_stated
        if score is None:
            self.cards["score"].set("—", "尚未自评")
        else:
            note = "按评分表合计" if derived.scoring_total(r) is not None else "报告中填写的得分"
            if stated and grade and stated != grade:
                note += f"；报告写“{stated}”"
            self.cards["score"].set(f"{score} 分　{grade}", note)

        basic, project = r.expenditure.basic, r.expenditure.project_total
        self.cards["basic"].set(money(basic), f"占全年执行数 {fmt_percent(derived.share(basic, actual))}")
        self.cards["project"].set(money(project), f"占全年执行数 {fmt_percent(derived.share(project, actual))}"
                                  f"　共 {len(r.projects)} 个项目")
        three = derived.three_public_reported(r)
        change = derived.three_public_change_rate(r)
        self.cards["three"].set(money(three), "比上年 " + fmt_percent(change) if change is not None else
                                "出国（境）、公务用车、公务接待")

        s = self.doc.summary
        color = "#b3261e" if s.errors else ("#8a5a00" if s.warnings else "#1e7b34")
        if s.errors:
            value, note = f"{s.errors} 个错误", f"另有 {s.warnings} 个警告、{s.infos} 条提示"
        elif s.warnings:
            value, note = f"{s.warnings} 个警告", f"没有错误；另有 {s.infos} 条提示"
        else:
            value, note = "未发现问题", (f"有 {s.infos} 条提示" if s.infos else "")
        self.cards["findings"].set(value, note, color)

        chart = derived.project_chart(r, CHART_LIMIT)
        self.chart.set_data(chart, p)
        shown = len(chart.bars)
        self.chart_note.setText(f"显示金额最大的 {shown} 个项目，共 {shown + chart.rest_count} 个"
                                if chart.rest_count else "")


def install_overview(window) -> OverviewPage:
    """Create the page and add it as the first tab of ``window`` (MainWindow.add_overview_tab)."""
    page = OverviewPage(window.doc)

    def reveal() -> None:
        window.findings_panel.show()
        window.findings_panel.raise_()

    page.show_findings.connect(reveal)
    window.add_overview_tab(page, "概览")
    return page
