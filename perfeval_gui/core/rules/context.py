"""What a rule function receives: the report, the profile, precision and finding builders."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar, cast

from ..findings import Finding, Severity
from ..messages import render
from ..model import Report
from ..money import decimals_of, fmt_amount
from ..rule_profile import RuleProfile
from ..tolerance import Comparison
from .registry import Rule


_T = TypeVar("_T")
KEPT = "kept"   # ctx.cache key of the values CheckContext.kept keeps across runs
KEPT_ITEMS = "kept_items"   # ctx.cache key of CheckContext.kept_items' per-item values


class _ItemValues:
    """One rule's per-item values of a list (CheckContext.kept_items); ``dirty`` = items changed since."""
    __slots__ = ("list_path", "context", "values", "dirty")

    def __init__(self, list_path: str, context: object, values: list[Any]) -> None:
        self.list_path, self.context, self.values = list_path, context, values
        self.dirty: set[int] = set()


def item_index(path: str, list_path: str) -> int | None:
    """12 for "projects[12].actual" under "projects"; None when the path is not inside one item."""
    head = list_path + "["
    if not path.startswith(head):
        return None
    end = path.find("]", len(head))
    digits = path[len(head):end] if end > 0 else ""
    return int(digits) if digits.isdigit() else None


def forget_changed(cache: dict[str, Any], changed: list[str]) -> None:
    """Drop what the changed paths reach: kept values whose watches they touch, and the per-item values
    of the items they are inside (a change of the list itself — insert, remove, move — drops them all).
    Called by Checker.recheck whether or not the rules that use them run now."""
    kept = cache.get(KEPT)
    if kept:
        for name in [n for n, (watches, _p, _v) in kept.items() if touches(changed, watches)]:
            del kept[name]
    items: dict[str, _ItemValues] | None = cache.get(KEPT_ITEMS)
    if items:
        for name, entry in list(items.items()):
            for p in changed:
                i = item_index(p, entry.list_path)
                if i is not None:
                    entry.dirty.add(i)
                elif touches((p,), (entry.list_path,)):
                    del items[name]
                    break


def touches(changed: Iterable[str], watches: Iterable[str]) -> bool:
    """Does a change of any of ``changed`` reach a value computed from ``watches``? (A path, its
    ancestor or its descendant was changed; "*" is everything.)"""
    for p in changed:
        if p == "*":
            return True
        for w in watches:
            if p == w or p.startswith((w + ".", w + "[")) or w.startswith((p + ".", p + "[")):
                return True
    return False


class CheckContext:
    def __init__(self, report: Report, profile: RuleProfile, cache: dict[str, Any] | None = None) -> None:
        self.report = report
        self.profile = profile
        self.p = report.meta.amount_decimals if report.meta.amount_decimals is not None else 2
        self.template = report.meta.template
        self.rule: Rule | None = None     # set by the engine before each rule runs
        self.memo: dict[str, Any] = {}              # per-run scratch shared by rules (summaries computed once per run)
        # kept across runs by ONE Checker (incremental list summaries); never shared between Checkers
        self.cache: dict[str, Any] = cache if cache is not None else {}

    # -------------------------------------------------------------- kept across keystrokes
    def kept(self, name: str, watches: tuple[str, ...], compute: Callable[[], _T]) -> _T:
        """``compute()`` of a value that depends only on the report parts under ``watches`` (field
        paths: "projects", "expenditure.by_econ") and the report's precision, kept by this Checker
        until a recheck's changed paths touch one of them (Checker.recheck drops it; a full check
        starts afresh). Typing into 支出合计 then re-adds none of the 5,000 lines (issue 21)."""
        hit = self.memo.get(name)
        if hit is not None:
            return cast(_T, hit[0])
        kept: dict[str, tuple[tuple[str, ...], int, object]] = self.cache.setdefault(KEPT, {})
        entry = kept.get(name)
        if entry is not None and entry[0] == watches and entry[1] == self.p:
            value = cast(_T, entry[2])
        else:
            value = compute()
            kept[name] = (watches, self.p, value)
        self.memo[name] = (value,)
        return value

    def kept_items(self, name: str, list_path: str, items: list[Any], context: object,
                   compute: Callable[[int, Any], _T]) -> list[_T]:
        """``compute(i, item)`` for every item of the list at ``list_path``, each kept until a change
        inside that item (projects[i]…), a change of the list itself, or a different ``context`` (what
        else the values depend on: precision, profile, a narrative text …). A keystroke in one of
        1,000 projects recomputes one (issue 21)."""
        store: dict[str, _ItemValues] = self.cache.setdefault(KEPT_ITEMS, {})
        key = (self.p, self.profile.name, context)
        entry = store.get(name)
        if entry is None or entry.context != key or len(entry.values) != len(items):
            entry = store[name] = _ItemValues(list_path, key, [compute(i, x) for i, x in enumerate(items)])
        elif entry.dirty:
            for i in entry.dirty:
                if i < len(items):
                    entry.values[i] = compute(i, items[i])
            entry.dirty.clear()
        return entry.values

    def changed_items(self, name: str, list_path: str, n: int) -> set[int] | None:
        """The indices of the items of ``list_path`` changed since this was last asked under ``name``
        (an empty set: none), or None when that is not known (first call, the list itself changed, other
        precision or profile): the caller then recomputes from scratch."""
        store: dict[str, _ItemValues] = self.cache.setdefault(KEPT_ITEMS, {})
        key = (self.p, self.profile.name, n)
        entry = store.get(name)
        if entry is None or entry.context != key:
            store[name] = _ItemValues(list_path, key, [])
            return None
        dirty, entry.dirty = entry.dirty, set()
        return dirty

    # -------------------------------------------------------------- formatting
    def fmt(self, value: Decimal | None) -> str:
        """An amount as the report writes it: report precision, or more if typed with more."""
        if value is None:
            return render("_.not_stated")
        return fmt_amount(value, max(self.p, decimals_of(value)))

    # -------------------------------------------------------------- findings
    def finding(self, template: str, paths: tuple[str, ...] | list[str] = (), *,
                args: Mapping[str, object] | None = None, ident: Iterable[str] = (),
                comparison: Comparison | None = None, quote: str | None = None,
                severity: Severity | None = None, expected: str | None = None,
                actual: str | None = None, difference: str | None = None,
                tolerance: str | None = None) -> Finding | None:
        """A finding of the current rule, its message rendered from the catalogue; None when the profile
        switched the rule off.

        ``template`` is the catalogue key (core/messages.MESSAGES): "" for the rule's own entry (its id),
        ".variant" for "RULE-ID.variant", or a full key.  ``args`` are the named arguments the message is
        rendered from; ``ident`` names those that identify the case for an acknowledgement (without
        them the figures and quoted names of the message identify it)."""
        assert self.rule is not None
        default = severity or self.rule.severity
        sev = self.profile.severity(self.rule.id, default) if severity is None else severity
        if sev is None:
            return None
        if comparison is not None:
            places = max(self.p, decimals_of(comparison.stated), decimals_of(comparison.computed))
            texts = comparison.texts(places)
            expected = expected or texts["expected"]
            actual = actual or texts["actual"]
            difference = difference or texts["difference"]
            tolerance = tolerance or texts["tolerance"]
        named = tuple(sorted((str(k), str(v)) for k, v in args.items())) if args else ()
        key = self.rule.id if not template else self.rule.id + template if template.startswith(".") else template
        return Finding(self.rule.id, sev, render(key, dict(named)), tuple(paths), expected, actual, difference,
                       tolerance, quote, args=named, template=key, ident=tuple(ident))
