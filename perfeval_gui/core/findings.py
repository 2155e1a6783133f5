"""Findings: immutable records of what the checker found (Arelle/beancount style: errors as data)."""
from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import field
from enum import Enum

from . import regex
from .records import record
from .messages import render


_FIGURE = regex.compile(r"-?\d+(?:\.\d+)?%?")
_QUOTED = regex.compile(r"“([^”]{1,80})”")


def message_args(message: str) -> tuple[tuple[str, str], ...]:
    """The data in a message that identify its case when a rule names no arguments: the figures
    and the quoted names, in order — not the wording around them."""
    return (("figures", " ".join(_FIGURE.findall(message))), ("names", "|".join(_QUOTED.findall(message))))


class Severity(str, Enum):
    ERROR = "error"      # a reviewer would return the report; blocks "ready to submit"
    WARNING = "warning"  # the reviewer will likely query it
    INFO = "info"

    @property
    def label(self) -> str:
        return render("_.severity." + self.value)

    @property
    def rank(self) -> int:
        return _RANK[self.value]


_RANK = {"error": 0, "warning": 1, "info": 2}   # sort order (errors first); read on every keystroke


@record(frozen=True)
class Finding:
    """One finding of the checker: rule id, severity, Chinese message, field paths, figures compared, quote, note."""
    rule_id: str
    severity: Severity
    message: str                      # Chinese, rendered from the catalogue (core/messages) by template + args
    paths: tuple[str, ...] = ()       # field paths to fix (first = where to jump)
    expected: str | None = None
    actual: str | None = None
    difference: str | None = None
    tolerance: str | None = None
    quote: str | None = None          # narrative sentence quoted, when the finding is about text
    section: str = ""                 # top-level section id ('一'…'九', '附'); set by the engine
    note: str | None = None           # the officer's explanation, when acknowledged (warnings/notes only)
    args: tuple[tuple[str, str], ...] = ()   # the named arguments the message is rendered from
    template: str = ""                # the catalogue key of the message (core/messages.MESSAGES)
    ident: tuple[str, ...] = ()       # the names of the arguments that identify the case (for the key)

    @property
    def key(self) -> str:
        """Identity of an acknowledgement: rule id + paths + the data that identify the case.

        The data are the compared figures (expected, actual), the quoted sentence and the named
        arguments — never the message wording, so rewording a message keeps every explanation,
        while a changed figure (or a moved row) makes the finding ask again."""
        if self.ident:
            args = tuple((k, v) for k, v in self.args if k in self.ident)
        elif self.template:   # no identifying arguments named: the figures and quoted names of the message
            args = message_args(self.message)
        else:                 # built without the catalogue (older callers): its args identify it
            args = self.args or message_args(self.message)
        ident = "\x1f".join([*self.paths, "", self.expected or "", self.actual or "", self.quote or "",
                              *(f"{k}={v}" for k, v in args)])
        digest = zlib.crc32(ident.encode("utf-8", "surrogatepass"))
        return f"{self.rule_id}:{self.paths[0] if self.paths else ''}#{digest:08x}"

    @property
    def legacy_key(self) -> str:
        """The key files written before format 1.1 used (a checksum of the message); still honoured."""
        digest = zlib.crc32(self.message.encode("utf-8", "surrogatepass"))
        return f"{self.rule_id}:{self.paths[0] if self.paths else ''}#{digest:08x}"

    @property
    def acknowledgeable(self) -> bool:
        """A reviewer queries warnings and notes, and accepts an explanation; errors must be fixed."""
        return self.severity is not Severity.ERROR

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule_id, "severity": self.severity.value, "severity_label": self.severity.label,
            "message": self.message, "paths": list(self.paths), "section": self.section,
            "expected": self.expected, "actual": self.actual, "difference": self.difference,
            "tolerance": self.tolerance, "quote": self.quote, "acknowledged_note": self.note,
            "template": self.template, "args": dict(self.args), "key": self.key,
        }


STALE_NOTE_RULE = "ACK-01"


def stale_note(key: str, note: str) -> Finding:
    """An explanation whose finding no longer exists: listed as 已不适用 until the officer removes it."""
    args = {"rule": key.split(":", 1)[0], "note": note[:60] + (render("_.ellipsis") if len(note) > 60 else ""), "key": key}
    return Finding(STALE_NOTE_RULE, Severity.INFO, render(STALE_NOTE_RULE, args), (f"acknowledged[{key}]",),
                   args=tuple(sorted(args.items())), template=STALE_NOTE_RULE, ident=("key",))


@record(frozen=True)
class Summary:
    """Counts of findings (errors, warnings, infos, acknowledged) and errors per section; ``text`` in Chinese."""
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    by_section: dict[str, int] = field(default_factory=dict)   # section id → error count
    acknowledged: int = 0                            # warnings/notes explained by the officer

    @property
    def text(self) -> str:
        args = {"errors": self.errors, "warnings": self.warnings, "infos": self.infos, "acknowledged": self.acknowledged}
        return render("_.summary.acknowledged" if self.acknowledged else "_.summary", args)


def summarise(findings: Iterable[Finding]) -> Summary:
    errors = warnings = infos = acknowledged = 0
    by_section: dict[str, int] = {}
    for f in findings:
        if f.severity is Severity.ERROR:
            errors += 1
            by_section[f.section] = by_section.get(f.section, 0) + 1
        elif f.note is not None:
            acknowledged += 1
        elif f.severity is Severity.WARNING:
            warnings += 1
        else:
            infos += 1
    return Summary(errors, warnings, infos, by_section, acknowledged)
