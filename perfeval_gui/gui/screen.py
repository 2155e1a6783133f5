"""Window sizes that fit the officer's screen (1366×768, or 1920×1080 at 150 % scaling, leaves
only 1280×720 / 911×512 logical pixels): every window and dialog asks for at most a share of
the available screen area and is centred on it."""
from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRACTION = 0.92     # of the available screen (taskbar excluded), so the frame stays visible


def available_geometry(widget: QWidget | None = None) -> QRect:
    screen = None
    if widget is not None:
        anchor = widget.parentWidget() or widget
        screen = anchor.screen() if anchor is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def fit_to_screen(widget: QWidget, width: int, height: int, fraction: float = FRACTION) -> None:
    """Resize ``widget`` to (width, height), but at most ``fraction`` of the available screen,
    and centre it there."""
    area = available_geometry(widget)
    w = min(width, int(area.width() * fraction))
    h = min(height, int(area.height() * fraction))
    widget.resize(w, h)
    widget.move(area.x() + (area.width() - w) // 2, area.y() + (area.height() - h) // 2)


def fits_on_screen(rect: QRect, widget: QWidget | None = None) -> bool:
    area = available_geometry(widget)
    return area.contains(rect.topLeft()) and rect.width() <= area.width() and rect.height() <= area.height()
