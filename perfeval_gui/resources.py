"""Locate files under resources/ (from a checkout, an installed package or a frozen bundle)."""
from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def sample_path(name: str = "liuyang-2021.pefx") -> Path:
    return resource_path("samples", name)
