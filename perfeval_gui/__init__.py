"""perfeval_gui: write and check a 部门整体支出绩效自评报告."""
from __future__ import annotations

from pathlib import Path


def _read_version() -> str:
    # A checkout / editable install reads pyproject.toml first: importlib.metadata costs
    # 0.05–0.15 s of every start (GUI and CLI); an installed wheel has no pyproject.toml beside it.
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        lines = pyproject.read_text(encoding="utf-8").splitlines()
        if any(line.replace(" ", "") == 'name="perfeval_gui"' for line in lines):
            for line in lines:
                if line.startswith("version"):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    try:
        from importlib.metadata import version

        return version("perfeval_gui")
    except Exception:  # not installed (frozen bundle or plain checkout)
        pass
    return "0+unknown"


__version__ = _read_version()
APP_NAME = "绩效自评报告助手"
