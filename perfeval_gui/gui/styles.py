"""Colours and style rules of findings shared by the window and the editors (plain strings: the window
installs HIGHLIGHT_STYLE at start-up without importing the editors of gui/widgets.py)."""
from __future__ import annotations

ERROR_COLOR = "#d32f2f"
WARNING_COLOR = "#f0a000"
ERROR_TEXT_STYLE = f"color: {ERROR_COLOR};"
# The red/amber frame of a field with findings: one style rule keyed on the dynamic property
# ``severity``, installed on the window (HIGHLIGHT_STYLE). Qt does not re-evaluate property
# selectors by itself, so every change re-polishes the widget (widgets.apply_highlight_property).
HIGHLIGHT_STYLE = (
    f'*[severity="error"] {{ border: 2px solid {ERROR_COLOR}; background: #fff5f5; }}\n'
    f'*[severity="warning"] {{ border: 2px solid {WARNING_COLOR}; background: #fffbef; }}\n')
