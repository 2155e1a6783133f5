"""Rule registry: every check is a function registered with a stable id (STF-01, PRJ-03, …)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from ..records import record
from ..findings import Finding, Severity

if TYPE_CHECKING:
    from .context import CheckContext

# what a rule function yields: findings, or None where the rule profile switched the finding off
RuleOutput = Iterator[Finding | None]
RuleFunc = Callable[["CheckContext"], Iterable[Finding | None]]
_F = TypeVar("_F", bound=RuleFunc)

# top-level model keys a rule may read; '*' = anything
MODEL_KEYS = ("meta", "profile", "income", "expenditure", "projects", "three_public", "assets",
              "procurement", "scoring", "self_eval", "narrative", "headings", "prior_year",
              "final_accounts", "acknowledged", "dept_form", "basic_data")


@record(frozen=True)
class Rule:
    """A registered check: id, default severity, Chinese title, formula, keys that re-run it, function, tolerance."""
    id: str
    severity: Severity          # default severity; a rule profile may override it
    title: str                  # Chinese one-line description
    formula: str                # the relation checked, as text for docs/rules.md
    reads: tuple[str, ...]      # top-level model keys whose change re-runs the rule
    func: RuleFunc
    tolerance: str = "R"        # 'R' rounding interval, 'X' exact, '—' not numeric

    @property
    def group(self) -> str:
        return self.id.split("-")[0]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, title: str, formula: str,
         reads: Iterable[str] = ("*",), tolerance: str = "R") -> Callable[[_F], _F]:
    """Register a check. The function takes a CheckContext and yields Findings."""
    keys = tuple(reads)
    for key in keys:
        if key != "*" and key not in MODEL_KEYS:
            raise ValueError(f"{rule_id}: unknown model key {key!r}")

    def decorate(func: _F) -> _F:
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        RULES[rule_id] = Rule(rule_id, severity, title, formula, keys, func, tolerance)
        return func
    return decorate
