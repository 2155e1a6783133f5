"""Every rule id of DOMAIN §7/§8 is registered, documented in docs/rules.md, and the file is current.

The DOMAIN sections are read from tests/rules/domain_rules.md, a copy inside the repository."""
from __future__ import annotations

import re
from pathlib import Path

from perfeval_gui.cli import main
from perfeval_gui.core.rules import RULES
from perfeval_gui.core.rules_catalogue import catalogue_markdown

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_RULES = Path(__file__).resolve().parent / "domain_rules.md"

EXPECTED = (
    [f"STF-0{i}" for i in range(1, 6)] + [f"INC-0{i}" for i in range(1, 4)]
    + [f"EXP-{i:02d}" for i in range(1, 11)] + [f"PRJ-0{i}" for i in range(1, 8)]
    + [f"TPF-0{i}" for i in range(1, 6)] + ["AST-01", "AST-02", "PRC-01"]
    + [f"SCO-{i:02d}" for i in range(1, 13)] + ["CMP-01", "CMP-02", "FMT-01", "YOY-01", "DEC-01", "INF-01"]
    + [f"NAR-0{i}" for i in range(1, 7)]
)
# issue 17 (the submission forms): next free ids of the §7 families, not in DOMAIN.md (the issue wins)
FORM_RULES = ["INC-04", "EXP-11", "EXP-12", "EXP-13", "EXP-14", "PRJ-08", "PRJ-09", "STF-06", "TPF-06",
              "TPF-07", "AST-03", "SCO-13", "SCO-14", "SCO-15", "CMP-03", "CMP-04"]
# issue 20 (report profiles): indicator quality, reviewer pre-checks, profile-driven checks
ISSUE20 = [f"IND-0{i}" for i in range(1, 9)] + ["REV-01", "REV-02", "CMP-05", "SCO-16", "TXT-01", "TXT-02"]
EXPECTED += FORM_RULES + ISSUE20


def _domain_ids() -> set[str]:
    body = DOMAIN_RULES.read_text(encoding="utf-8")
    return set(re.findall(r"^\| \*{0,2}([A-Z]{3}-\d{2})", body, re.M)) | set(re.findall(r"\*\*([A-Z]{3}-\d{2}) ", body))


def test_every_domain_rule_is_registered():
    assert sorted(RULES) == sorted(EXPECTED)


def test_domain_ids_match_the_registered_rules():
    """DOMAIN's ids are all registered; the only others are the ones issue 20 added (the issue wins)."""
    ids = _domain_ids()
    assert ids == set(EXPECTED) - set(FORM_RULES) - set(ISSUE20)
    assert ids == set(RULES) - set(FORM_RULES) - set(ISSUE20)


def test_docs_rules_md_is_current_and_complete():
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert doc == catalogue_markdown(), "docs/rules.md is stale: run `perfeval rules-doc -o docs/rules.md`"
    for rid, r in RULES.items():
        assert f"| {rid} | {r.severity.label} |" in doc


def test_rules_doc_command_writes_the_catalogue(tmp_path):
    out = tmp_path / "rules.md"
    assert main(["rules-doc", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == catalogue_markdown()


def test_every_rule_declares_reads_and_never_star():
    for rid, r in RULES.items():
        assert r.reads and "*" not in r.reads, rid
