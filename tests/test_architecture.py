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


def _module_imports(path: Path):
    """Absolute module names imported by a file, relative imports resolved against the package."""
    rel = path.relative_to(PKG.parent).with_suffix("")
    package = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [alias.name]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module, [f"{module}.{a.name}" for a in node.names]


def test_no_qt_widgets_or_gui_in_core_and_io_in_any_import_form():
    """`from PySide6 import QtWidgets` counts too; core never imports io or gui; io never imports gui."""
    offenders = []
    for layer, forbidden in (("core", ("perfeval_gui.io", "perfeval_gui.gui")), ("io", ("perfeval_gui.gui",))):
        for path in (PKG / layer).rglob("*.py"):
            for module, names in _module_imports(path):
                for name in [module, *names]:
                    if name.startswith(("PySide6.QtWidgets", "PySide6.QtGui")) or name.startswith(forbidden):
                        offenders.append(f"{path.relative_to(PKG)} imports {name}")
    assert offenders == []


def test_every_core_and_io_module_imports_without_pyside6(tmp_path):
    """Run with PySide6 made unimportable: core and io must not need Qt at all."""
    blocker = tmp_path / "PySide6"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('PySide6 is absent in this test')\n")
    modules = sorted(
        ".".join(p.relative_to(PKG.parent).with_suffix("").parts)
        for layer in ("core", "io") for p in (PKG / layer).rglob("*.py") if p.name != "__init__.py")
    code = ("import importlib, sys\n"
            f"for m in {modules!r}:\n"
            "    importlib.import_module(m)\n"
            "print(len([m for m in sys.modules if m.startswith('PySide6')]))\n")
    env_path = f"{tmp_path}:{PKG.parent}"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert len(modules) > 20


def _decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    return target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""


def _is_dataclass_decorator(node: ast.expr) -> bool:
    return _decorator_name(node) in ("dataclass", "record")


def test_data_classes_are_records():
    """One idiom: @record (core/records.py: a dataclass with shared __eq__/__hash__/__repr__, issue 21)."""
    found = {"dataclass": [], "record": []}
    for path in sorted(PKG.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for deco in node.decorator_list:
                    if _decorator_name(deco) in found:
                        found[_decorator_name(deco)].append(f"{path.relative_to(PKG.parent)}:{node.lineno}:{node.name}")
    assert found["dataclass"] == [], "use @record instead of @dataclass:\n" + "\n".join(found["dataclass"])
    assert len(found["record"]) > 50          # the check sees them (a rename would leave it checking nothing)


def test_dataclasses_have_docstrings():
    # start-up cost: @dataclass computes a missing __doc__ with inspect.signature at every program start
    offenders = []
    for path in sorted(PKG.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.ClassDef) and any(map(_is_dataclass_decorator, node.decorator_list))
                    and ast.get_docstring(node) is None):
                offenders.append(f"{path.relative_to(PKG.parent)}:{node.lineno}:{node.name}")
    assert offenders == [], "dataclasses without a docstring:\n" + "\n".join(offenders)


def test_constant_patterns_go_through_the_pattern_cache():
    """A pattern compiled at import is a constant of the program: core/regex.compile keeps it compiled between
    runs (issue 21). Patterns built inside functions (from a report's names) stay re.compile."""
    offenders = []
    for path in sorted(PKG.rglob("*.py")):
        if path.name == "regex.py" and path.parent.name == "core":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            for sub in ast.walk(node):
                if (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "compile"
                        and isinstance(sub.func.value, ast.Name) and sub.func.value.id == "re"):
                    offenders.append(f"{path.relative_to(PKG.parent)}:{sub.lineno}")
    assert offenders == [], "use regex.compile for module-level patterns:\n" + "\n".join(offenders)
