"""Layering: core and io never import Qt widgets; start-up does not import docx/openpyxl."""
import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "perfeval_gui"


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_core_and_io_do_not_import_qt_widgets():
    offenders = []
    for layer in ("core", "io"):
        for path in (PKG / layer).rglob("*.py"):
            for name in _imports(path):
                if name.startswith("PySide6.QtWidgets") or name.startswith("PySide6.QtGui"):
                    offenders.append(f"{path.relative_to(PKG)} imports {name}")
    assert offenders == []


def test_core_import_is_qt_free_at_runtime():
    code = ("import sys, perfeval_gui.core.engine, perfeval_gui.io.project_file;"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6','docx','openpyxl'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
