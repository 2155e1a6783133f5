"""The checker: runs every registered rule, never raises, re-runs only what an edit touches.

``Checker.recheck(paths)`` re-runs the rules whose ``reads`` include the top-level key of a
changed path and keeps the cached findings of all others — the per-keystroke path of the GUI.
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from typing import Any

from .findings import Finding, Severity, Summary, stale_note, summarise
from .messages import render
from .model import Report, top_key
from .rule_profile import DEFAULT_PROFILE, ProfileError, RuleProfile, load_profile
from .rules import RULES
from .rules.context import KEPT, KEPT_ITEMS, CheckContext, forget_changed
from .rules.registry import Rule
from .template import APPENDIX_ID, get_template, section_of_path

# the window logs to <user data dir>/perfeval.log (gui/app.setup_logging); elsewhere nothing is printed
# (a rule failure is an error finding that quotes the exception — never a traceback on stderr)
logging.getLogger("perfeval").addHandler(logging.NullHandler())

ALL_KEYS_CHANGE = {"meta"}   # a change here (template, decimals, profile) re-runs everything
RULE_FAILED = "ENGINE.rule_failed"   # catalogue key of "a rule raised: not checked"
PROFILE_RULE_ID = "CFG-01"   # the report's rule profile cannot be used


_SECTIONS: dict[tuple[str, str], str] = {}


def _section(path: str, template: str) -> str:
    """section_of_path, memoised (the per-keystroke recheck re-labels every finding of a rule)."""
    key = (path, template)
    section = _SECTIONS.get(key)
    if section is None:
        if len(_SECTIONS) > 100_000:
            _SECTIONS.clear()
        section = _SECTIONS[key] = section_of_path(path, template)
    return section


def _with_section(finding: Finding, section: str) -> Finding:
    """dataclasses.replace(finding, section=section) without its per-call field introspection."""
    return _with(finding, "section", section)


def _with(finding: Finding, name: str, value: object) -> Finding:
    new = object.__new__(type(finding))
    new.__dict__.update(finding.__dict__)
    new.__dict__[name] = value
    return new


class Checker:
    def __init__(self, report: Report, profile: RuleProfile | None = None) -> None:
        self.report = report
        self._profile = profile
        self._profile_for = profile.name if profile is not None else None
        self.profile_error = ""
        self._by_rule: dict[str, list[Finding]] = {}
        self._sorted: list[Finding] | None = None
        self._cache: dict[str, Any] = {}      # the rules' incremental state for this report only
        self._summary: tuple[list[Finding], Summary] | None = None
        self._placed: dict[str, dict[int, tuple[Finding, Finding]]] = {}   # rule → finding id → (it, sectioned)

    @property
    def profile(self) -> RuleProfile:
        """The report's profile; a bad one (ProfileError) is replaced by the default profile, never by
        fewer rules, and ``profile_error`` holds the message (reported as the error CFG-01)."""
        wanted = self.report.meta.rule_profile
        if self._profile is None or self._profile_for != wanted:
            try:
                from .profiles import resolve   # shipped, the user's folder, a file given this session
                self._profile = resolve(wanted)
                self.profile_error = ""
            except ProfileError as exc:
                self._profile = load_profile(DEFAULT_PROFILE)
                self.profile_error = str(exc)
            self._profile_for = wanted
        return self._profile

    def _context(self) -> CheckContext:
        return CheckContext(self.report, self.profile, self._cache)

    def _run(self, rule: Rule, ctx: CheckContext) -> None:
        ctx.rule = rule
        template = self.report.meta.template
        out: list[Finding] = []
        placed = self._placed.setdefault(rule.id, {})
        if len(placed) > 20_000:
            placed.clear()
        try:
            for finding in rule.func(ctx) or ():
                if finding is None:
                    continue
                if not finding.section:
                    # a finding a rule kept (ctx.kept_items) comes back as the same object: so does its copy
                    held = placed.get(id(finding))
                    if held is not None and held[0] is finding:
                        finding = held[1]
                    else:
                        first = finding.paths[0] if finding.paths else ""
                        sectioned = _with_section(finding, _section(first, template) if first else "")
                        placed[id(finding)] = (finding, sectioned)
                        finding = sectioned
                out.append(finding)
        except Exception as exc:  # a rule must never take the checker down — nor pass a report unchecked
            logging.getLogger("perfeval").error("rule %s failed", rule.id, exc_info=True)
            args = {"rule": rule.id, "title": rule.title, "error": type(exc).__name__}
            out = [Finding(rule.id, Severity.ERROR, render(RULE_FAILED, args), (),
                           quote="".join(traceback.format_exception_only(exc)).strip()[:300],
                           args=tuple(sorted(args.items())), template=RULE_FAILED)]
        if out != self._by_rule.get(rule.id):   # the same findings again: keep the objects and the order
            self._by_rule[rule.id] = out
            self._sorted = None

    def check_all(self) -> list[Finding]:
        self._cache.pop(KEPT, None)   # a full check trusts nothing kept from earlier runs
        self._cache.pop(KEPT_ITEMS, None)
        ctx = self._context()
        for rule in RULES.values():
            self._run(rule, ctx)
        args = {"problem": self.profile_error or "", "default": DEFAULT_PROFILE}
        self._by_rule[PROFILE_RULE_ID] = ([Finding(
            PROFILE_RULE_ID, Severity.ERROR, render(PROFILE_RULE_ID, args), ("meta.rule_profile",),
            args=tuple(sorted(args.items())), template=PROFILE_RULE_ID, ident=("problem",))]
            if self.profile_error else [])
        self._sorted = None
        return self.findings

    def recheck(self, changed_paths: Iterable[str]) -> list[Finding]:
        changed_paths = list(changed_paths)
        keys = {top_key(p) for p in changed_paths}
        if not self._by_rule or keys & ALL_KEYS_CHANGE:
            return self.check_all()
        forget_changed(self._cache, changed_paths)   # what the change reaches, whether or not its rules run now
        ctx = self._context()
        for rule in RULES.values():
            if "*" in rule.reads or keys.intersection(rule.reads):
                self._run(rule, ctx)
        if keys & {"acknowledged"}:   # an explanation changes the list without a rule's output changing
            self._sorted = None
        return self.findings

    @property
    def findings(self) -> list[Finding]:
        if self._sorted is None:
            order = {sid: i for i, sid in enumerate(get_template(self.report.meta.template).section_ids() + [APPENDIX_ID, ""])}
            flat = [f for fs in self._by_rule.values() for f in fs]
            notes = self.report.acknowledged
            if notes:   # explained warnings stay listed (with the note), after everything still open
                used: set[str] = set()
                out = []
                for f in flat:
                    if f.acknowledgeable:
                        key = f.key if f.key in notes else f.legacy_key if f.legacy_key in notes else None
                        if key is not None:
                            used.add(key)
                            f = _with(f, "note", notes[key])
                    out.append(f)
                # an explanation whose finding has gone is shown (已不适用) until the officer removes it
                flat = out + [stale_note(k, v) for k, v in notes.items() if k not in used]
            flat.sort(key=lambda f: (f.note is not None, f.severity.rank, order.get(f.section, 99), f.rule_id))
            self._sorted = flat
        return self._sorted

    def summary(self) -> Summary:
        """The counts of ``findings`` (computed once per change of the list)."""
        findings = self.findings
        held = self._summary
        if held is None or held[0] is not findings:
            held = self._summary = (findings, summarise(findings))
        return held[1]


def check_report(report: Report, profile: RuleProfile | None = None) -> list[Finding]:
    return Checker(report, profile).check_all()
