"""Widgets only (PySide6). Importing this package applies the Qt binding work-arounds."""
from . import qt_compat  # noqa: F401  (PySide6 6.12 emit() refcount defect, see qt_compat.py)
