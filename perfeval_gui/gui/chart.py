"""Horizontal bar chart of budget vs actual per project, drawn with QPainter.

The widget only stores a :class:`core.derived.ProjectChart`; all layout and drawing happens in
``paintEvent`` (nothing is rendered until the chart is actually shown).
"""
from __future__ import annotations

import math
from decimal import Decimal

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ..core.derived import ProjectChart
from ..core.money import fmt_amount, fmt_percent

BUDGET_COLOR = QColor("#a9c1de")
ACTUAL_COLOR = QColor("#2f6db5")
GRID_COLOR = QColor("#e3e6ea")
AXIS_COLOR = QColor("#9aa3ad")
TEXT_COLOR = QColor("#2b2f33")
MUTED_COLOR = QColor("#6b737c")

ROW_H = 40        # one project: two bars + gap
BAR_H = 13
LEGEND_H = 30
AXIS_H = 22
FOOT_H = 28
PAD = 12


def nice_step(maximum: float, ticks: int = 5) -> float:
    """A round grid step (1, 2, 2.5, 5 × 10^k) giving about ``ticks`` intervals up to ``maximum``."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def _fmt_tick(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


class ProjectChartWidget(QWidget):
    """Budget (light) and actual (dark) bars per project, values at the bar ends, rate at right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = ProjectChart(())
        self.places = 2
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    # ------------------------------------------------------------ data
    def set_data(self, data: ProjectChart, places: int = 2) -> None:
        if data == self.data and places == self.places:
            return
        resize = len(data.bars) != len(self.data.bars) or bool(data.rest_count) != bool(self.data.rest_count)
        self.data = data
        self.places = places
        if resize:
            self.updateGeometry()
            self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        rows = len(self.data.bars)
        if rows == 0:
            return QSize(600, 90)
        h = LEGEND_H + AXIS_H + rows * ROW_H + PAD
        if self.data.rest_count:
            h += FOOT_H
        return QSize(600, h)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, self.sizeHint().height())

    # ------------------------------------------------------------ geometry
    def _columns(self, fm: QFontMetrics) -> tuple[float, float, float, float]:
        """x of the name column, the bar area's left and right, the rate column's right edge."""
        w = self.width()
        name_w = min(max(fm.horizontalAdvance("营") * 8, w * 0.24), fm.horizontalAdvance("营") * 16)
        rate_w = fm.horizontalAdvance("100.00%") + 16
        left = PAD + name_w + 10
        right = w - PAD - rate_w
        return PAD, left, max(right, left + 40), w - PAD

    def _row_at(self, y: float) -> int:
        top = LEGEND_H + AXIS_H
        if y < top:
            return -1
        i = int((y - top) // ROW_H)
        return i if i < len(self.data.bars) else -1

    def event(self, e) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            i = self._row_at(e.position().y() if hasattr(e, "position") else e.pos().y())
            if i >= 0:
                b = self.data.bars[i]
                QToolTip.showText(e.globalPos(), (
                    f"{b.name or '（未命名项目）'}\n全年预算数：{self._money(b.budget)}\n"
                    f"全年执行数：{self._money(b.actual)}\n执行率：{fmt_percent(b.rate)}"), self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)

    def _money(self, v: Decimal | None) -> str:
        return f"{fmt_amount(v, self.places)} 万元" if v is not None else "未填写"

    # ------------------------------------------------------------ painting
    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(self.rect(), self.palette().base())
        font = QFont(self.font())
        p.setFont(font)
        fm = QFontMetrics(font)
        if not self.data.bars:
            p.setPen(MUTED_COLOR)
            p.drawText(self.rect().adjusted(PAD, 0, -PAD, 0), Qt.AlignmentFlag.AlignCenter
                       | Qt.TextFlag.TextWordWrap,
                       "尚未填写项目支出。添加项目后，这里会显示各项目全年预算数与执行数的对比。")
            p.end()
            return
        name_x, left, right, rate_right = self._columns(fm)
        self._paint_legend(p, fm, left)
        values = [float(v) for b in self.data.bars for v in (b.budget, b.actual) if v is not None]
        top_value = max([v for v in values if v > 0], default=0.0)
        step = nice_step(top_value)
        axis_max = step * max(1, -(-top_value // step)) if top_value > 0 else step * 5
        span = right - left

        def x_of(v: float) -> float:
            return left + span * max(0.0, min(v, axis_max)) / axis_max

        top = LEGEND_H + AXIS_H
        bottom = top + len(self.data.bars) * ROW_H
        # grid and axis labels
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() * 0.85, 7))
        sfm = QFontMetrics(small)
        p.setFont(small)
        ticks = int(round(axis_max / step))
        for k in range(ticks + 1):
            x = x_of(k * step)
            p.setPen(QPen(GRID_COLOR if k else AXIS_COLOR, 1))
            p.drawLine(int(x), top - 4, int(x), bottom)
            label = _fmt_tick(k * step)
            p.setPen(MUTED_COLOR)
            tw = sfm.horizontalAdvance(label)
            p.drawText(int(min(max(x - tw / 2, left - tw / 2), right + 4 - tw)), top - 8, label)
        p.setPen(MUTED_COLOR)
        head = "执行率"
        p.drawText(int(rate_right - sfm.horizontalAdvance(head)), top - 8, head)
        # rows
        for i, b in enumerate(self.data.bars):
            y0 = top + i * ROW_H
            if i % 2 == 1:
                p.fillRect(QRectF(name_x, y0, rate_right - name_x, ROW_H), QColor(246, 248, 250))
            p.setFont(font)
            p.setPen(TEXT_COLOR)
            name = b.name or "（未命名项目）"
            elided = fm.elidedText(name, Qt.TextElideMode.ElideRight, int(left - 10 - name_x))
            p.drawText(QRectF(name_x, y0, left - 10 - name_x, ROW_H),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, elided)
            by = y0 + (ROW_H - 2 * BAR_H - 2) / 2
            p.setFont(small)
            for j, (value, color) in enumerate(((b.budget, BUDGET_COLOR), (b.actual, ACTUAL_COLOR))):
                yb = by + j * (BAR_H + 2)
                if value is None:
                    p.setPen(MUTED_COLOR)
                    p.drawText(QRectF(left + 4, yb, 80, BAR_H), Qt.AlignmentFlag.AlignVCenter, "未填")
                    continue
                x1 = x_of(float(value))
                if x1 > left:
                    p.fillRect(QRectF(left, yb, x1 - left, BAR_H), color)
                label = fmt_amount(value, self.places)
                lw = sfm.horizontalAdvance(label)
                if x1 + 4 + lw <= right + 6:
                    p.setPen(TEXT_COLOR)
                    p.drawText(QRectF(x1 + 4, yb - 1, lw + 2, BAR_H + 2), Qt.AlignmentFlag.AlignVCenter, label)
                else:   # no room to the right: inside the bar, light text on dark / dark on light
                    p.setPen(QColor("white") if j == 1 else TEXT_COLOR)
                    p.drawText(QRectF(x1 - lw - 4, yb - 1, lw + 2, BAR_H + 2), Qt.AlignmentFlag.AlignVCenter,
                               label)
            p.setFont(font)
            p.setPen(TEXT_COLOR if b.rate is not None else MUTED_COLOR)
            p.drawText(QRectF(right, y0, rate_right - right, ROW_H),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, fmt_percent(b.rate))
        if self.data.rest_count:
            p.setPen(MUTED_COLOR)
            p.setFont(font)
            text = (f"其余 {self.data.rest_count} 个项目未画出（全年预算数合计 {self._money(self.data.rest_budget)}，"
                    f"执行数合计 {self._money(self.data.rest_actual)}）。")
            p.drawText(QRectF(name_x, bottom + 4, rate_right - name_x, FOOT_H - 4),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                       fm.elidedText(text, Qt.TextElideMode.ElideRight, int(rate_right - name_x)))
        p.end()

    def _paint_legend(self, p: QPainter, fm: QFontMetrics, x: float) -> None:
        y = (LEGEND_H - 12) / 2
        for text, color in (("全年预算数", BUDGET_COLOR), ("全年执行数", ACTUAL_COLOR)):
            p.fillRect(QRectF(x, y, 12, 12), color)
            p.setPen(TEXT_COLOR)
            p.drawText(QRectF(x + 18, 0, fm.horizontalAdvance(text) + 4, LEGEND_H),
                       Qt.AlignmentFlag.AlignVCenter, text)
            x += 18 + fm.horizontalAdvance(text) + 24
        p.setPen(MUTED_COLOR)
        p.drawText(QRectF(x, 0, 80, LEGEND_H), Qt.AlignmentFlag.AlignVCenter, "单位：万元")
