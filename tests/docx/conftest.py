"""Fixtures for the Word export tests."""
from __future__ import annotations

import pytest
from docx_helpers import SAMPLES, full_report

from perfeval_gui.core.model import Report


@pytest.fixture
def report() -> Report:
    return full_report()


@pytest.fixture
def sample():
    def load(name: str) -> Report:
        from perfeval_gui.io.project_file import load_project
        return load_project(SAMPLES / name)      # a missing sample fails the test
    return load
