"""Findings are data (issue 12): every message the officer reads is rendered from the catalogue
(core/messages.MESSAGES) by a rule's template key and its named arguments; rewording the catalogue
changes no rule and reopens no acknowledgement."""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from perfeval_gui.core import messages
from perfeval_gui.core.engine import Checker
from perfeval_gui.core.findings import Finding
from perfeval_gui.core.rules import RULES

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "rules"))
from rulekit import clean_report  # noqa: E402
from test_rule_cases import CASES  # noqa: E402

from perfeval_gui.io.project_file import load_project  # noqa: E402

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’…—]")


def _corpus() -> list[Finding]:
    """The findings of every rule's flagged case and of the shipped samples."""
    out: list[Finding] = []
    for flag, near in CASES.values():
        out += Checker(flag(clean_report())).check_all()
        out += Checker(near(clean_report())).check_all()
    for sample in sorted((ROOT / "resources" / "samples").glob("*.pefx")):
        out += Checker(load_project(sample)).check_all()
    return out


@pytest.fixture(scope="module")
def corpus() -> list[Finding]:
    found = _corpus()
    assert {f.rule_id for f in found} >= set(RULES), "every rule is represented"
    return found


def test_every_message_is_rendered_from_the_catalogue(corpus):
    for f in corpus:
        assert f.template in messages.MESSAGES, f"{f.rule_id}: message not from the catalogue: {f.message}"
        assert f.template == f.rule_id or f.template.startswith(f.rule_id + ".") or f.template.startswith(
            "ENGINE."), f.template
        assert f.message == messages.render(f.template, dict(f.args))


def test_rewording_the_catalogue_keeps_every_acknowledgement(corpus, monkeypatch):
    """An officer's explanation keys on the rule, the fields and the case — not on the wording."""
    before = sorted(f.key for f in corpus if f.acknowledgeable)
    reworded = {k: "（新的说法）" + v.replace("请", "敬请") for k, v in messages.MESSAGES.items()}
    monkeypatch.setattr(messages, "MESSAGES", reworded)
    after_corpus = _corpus()
    assert any(f.message.startswith("（新的说法）") for f in after_corpus), "the catalogue is what renders"
    assert sorted(f.key for f in after_corpus if f.acknowledgeable) == before


def test_every_catalogue_entry_belongs_to_a_rule():
    for key in messages.MESSAGES:
        head = key.split(".", 1)[0]
        assert head in RULES or head in ("_", "ENGINE", "CFG-01", "ACK-01"), key


def _chinese_literals_in_function_bodies(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def docstring_ids(node: ast.AST) -> set[int]:
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            return {id(body[0].value)}
        return set()

    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        skip = docstring_ids(fn)
        parts = [fn.args, *(fn.body if isinstance(fn.body, list) else [fn.body])]   # not the @rule(...) title
        for node in (n for part in parts for n in ast.walk(part)):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                    and CJK.search(node.value)):
                found.append(f"{path.name}:{node.lineno}: {node.value[:30]}")
    return found


def test_no_rule_composes_chinese_wording_itself():
    """Wording lives in the catalogue, labels in the field registry, words to look for in lexicons at
    module level: a rule function holds no Chinese text."""
    rules_dir = ROOT / "perfeval_gui" / "core" / "rules"
    files = [*sorted(rules_dir.glob("*.py")), ROOT / "perfeval_gui" / "core" / "engine.py",
             ROOT / "perfeval_gui" / "core" / "findings.py"]
    found = [hit for p in files for hit in _chinese_literals_in_function_bodies(p)]
    assert found == []


def test_explanations_saved_by_format_1_1_still_apply(corpus):
    """The acknowledgement keys of every case, as version 1.1 (before the catalogue) computed them and
    saved them in officers' files: the catalogue changed the wording's home, not one key."""
    import json
    saved = json.loads((ROOT / "tests" / "core" / "data" / "finding_keys_1.1.json").read_text(encoding="utf-8"))
    now = {f.key for f in corpus if f.acknowledgeable}
    missing = {k: v for k, v in saved.items() if k not in now}
    assert missing == {}
