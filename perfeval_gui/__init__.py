"""perfeval_gui: write and check a 部门整体支出绩效自评报告."""
from __future__ import annotations

from pathlib import Path


def _read_version() -> str:
    try:
        from importlib.metadata import version

        return version("perfeval_gui")
    except Exception:  # not installed (frozen bundle or plain checkout)
        pass
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        for line in pyproject.read_text(encoding="utf-8").splitlines():
            if line.startswith("version"):
                return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return "0+unknown"


__version__ = _read_version()
APP_NAME = "绩效自评报告助手"
