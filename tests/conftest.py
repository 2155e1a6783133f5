"""Shared test setup: offscreen Qt unless a real display exists; settings in a temp folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests: the same examples on every CI run (a red build always reproduces);
# PERFEVAL_HYPOTHESIS=explore draws fresh random examples for a local hunt.
from hypothesis import settings as _hyp_settings

_hyp_settings.register_profile("ci", derandomize=True)
_hyp_settings.register_profile("explore", derandomize=False)
_hyp_settings.load_profile(os.environ.get("PERFEVAL_HYPOTHESIS", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Point every per-user folder (settings, autosave, recent files) at a temp folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PERFEVAL_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))
    yield


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES
