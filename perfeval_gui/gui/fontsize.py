"""The window's font size: the desktop's own size (what the officer set for the system) plus a
step the officer chooses with 视图 → 字号 / Ctrl++ / Ctrl+- / Ctrl+0, remembered in the settings.
The program never forces a point size of its own; it only picks a CJK family when the desktop
font has none."""
from __future__ import annotations

from .paths import settings

SETTING = "view/font_step"
MIN_STEP, MAX_STEP = -4, 12
_desktop_size: float | None = None


def desktop_point_size(app) -> float:
    """The desktop's font size, read once before the program changes anything."""
    global _desktop_size
    if _desktop_size is None:
        size = app.font().pointSizeF()
        _desktop_size = size if size > 0 else 10.0
    return _desktop_size


def current_step() -> int:
    try:
        return max(MIN_STEP, min(MAX_STEP, int(settings().value(SETTING, 0))))
    except (TypeError, ValueError):
        return 0


def apply_font_step(app, step: int | None = None, family: str | None = None) -> float:
    """Set the application font to the desktop size + ``step`` points; returns the new size."""
    base = desktop_point_size(app)
    if step is None:
        step = current_step()
    step = max(MIN_STEP, min(MAX_STEP, step))
    font = app.font()
    if family:
        font.setFamily(family)
    size = max(6.0, base + step)
    font.setPointSizeF(size)
    app.setFont(font)
    return size


def save_step(step: int) -> None:
    s = settings()
    s.setValue(SETTING, max(MIN_STEP, min(MAX_STEP, step)))
    s.sync()
