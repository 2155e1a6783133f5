"""Helpers for the forms tests: a report with every form filled (rulekit's clean report)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))

from rulekit import clean_report  # noqa: E402,F401

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "samples"
FONTS_CONF = ROOT / "resources" / "fonts" / "fonts.conf"
