"""Rule profiles: configurable thresholds and severities (resources/rules/*.toml)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..resources import resource_path
from .findings import Severity


class ProfileError(ValueError):
    pass


@dataclass(frozen=True)
class RuleProfile:
    name: str
    data: dict[str, Any] = field(default_factory=dict)

    def severity(self, rule_id: str, default: Severity) -> Severity | None:
        """The profile's severity for a rule; None when the profile switches it off."""
        value = self.data.get("severity", {}).get(rule_id)
        if value is None:
            return default
        if value == "off":
            return None
        return Severity(value)

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def decimal(self, dotted: str) -> Decimal:
        """A threshold; every key has its value in the base profile (hunan-default.toml), never in code."""
        value = self.get(dotted)
        if value is None:
            raise ProfileError(f"规则配置“{self.name}”缺少“{dotted}”。")
        return Decimal(str(value))

    @property
    def grades(self) -> list[dict]:
        """Grade bands (lower bounds, from the top): [{'grade': '优', 'min': '90'}, …]."""
        return list(self.get("grades") or [])

    def grade_for(self, score: Decimal | None) -> str:
        """The grade of a score by this profile's bands; '' for no score."""
        from .derived import grade_for
        return grade_for(score, self.grades)

    @property
    def title(self) -> str:
        """The profile's Chinese name (the `name` key), shown to the officer instead of the file name."""
        return str(self.data.get("name") or self.name)


BASE_PROFILE = "hunan-default"


# tables a profile states as a whole (docs/profiles.md): a profile's own replaces the base's
WHOLE_TABLES = ("outline", "project_weights", "qualitative")


def _merged(base: dict[str, Any], over: dict[str, Any], top: bool = True) -> dict[str, Any]:
    """``over`` on top of ``base``: tables merge key by key, anything else (lists too) replaces."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and not (top and key in WHOLE_TABLES):
            out[key] = _merged(out[key], value, False)
        else:
            out[key] = value
    return out


@lru_cache(maxsize=8)
def load_profile(name: str = "hunan-default") -> RuleProfile:
    path = resource_path("rules", f"{name}.toml")
    if not path.exists():
        path = resource_path("rules", "hunan-default.toml")
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"规则配置“{path.name}”无法读取：{exc}") from None
    if name != BASE_PROFILE:
        data = _merged(load_profile(BASE_PROFILE).data, data)
    from .profiles import validate_profile      # report-profile keys: outline, formulas, limits …
    validate_profile(data, name, path)
    return RuleProfile(name, data)
