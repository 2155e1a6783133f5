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

    def decimal(self, dotted: str, default: str) -> Decimal:
        return Decimal(str(self.get(dotted, default)))


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
    return RuleProfile(name, data)
