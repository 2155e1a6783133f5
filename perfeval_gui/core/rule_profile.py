"""Rule profiles: configurable thresholds and severities (resources/rules/*.toml).

A report names its profile (``meta.rule_profile``) by NAME, never by path: the name is looked up
among the shipped profiles (resources/rules/) and then the user's profile folder
(:func:`user_profile_dir`). A name that is not a plain name, a missing or unreadable file, malformed
TOML or a value of the wrong kind raises :class:`ProfileError` with a Chinese message; the checker
then checks with the default profile (never with fewer rules) and reports the problem as an error.
"""
from __future__ import annotations

import os
import re
import stat
import sys
import tomllib
from dataclasses import field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from .records import record
from ..resources import resource_path as resource_path   # re-exported: profiles.py reads it from here
from .findings import Severity

DEFAULT_PROFILE = "hunan-default"
MAX_PROFILE_BYTES = 256 * 1024
MAX_NAME_CHARS = 64
_NAME_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_NAME_REST = _NAME_FIRST | {"_", "-"}


def is_profile_name(name: Any) -> bool:
    """A usable profile name: letters, digits, CJK, "-" and "_", at most MAX_NAME_CHARS, starting with a
    letter, digit or CJK character — no separators, no "..", no drive letters, nothing hidden. (A character
    test rather than a regex: the CJK range costs milliseconds to compile at every start-up.)"""
    if not isinstance(name, str) or not 0 < len(name) <= MAX_NAME_CHARS:
        return False
    return all(c in (_NAME_REST if i else _NAME_FIRST) or "\u4e00" <= c <= "\u9fff" for i, c in enumerate(name))
_SEVERITY_VALUES = {"error", "warning", "info", "off"}


class ProfileError(ValueError):
    pass


@record(frozen=True)
class RuleProfile:
    """A loaded rule profile: its name and its settings (severities, thresholds, grades, outline …) as a dict."""
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
    def grades(self) -> list[dict[str, Any]]:
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


BASE_PROFILE = DEFAULT_PROFILE


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


def user_profile_dir() -> Path:
    """The officer's own profiles: $PERFEVAL_PROFILE_DIR, else <user data dir>/rules (the folder the
    window keeps its settings in: $PERFEVAL_DATA_DIR, else the platform's application data folder)."""
    env = os.environ.get("PERFEVAL_PROFILE_DIR")
    if env:
        return Path(env)
    data = os.environ.get("PERFEVAL_DATA_DIR")
    if data:
        return Path(data) / "rules"
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "perfeval_gui" / "perfeval_gui" / "rules"


def _shown(name: str) -> str:
    name = "".join(ch if ch.isprintable() else "?" for ch in name)
    return name if len(name) <= 30 else name[:30] + "…"


def check_name(name: Any) -> str:
    if not isinstance(name, str) or not name:
        raise ProfileError("报告没有指定检查规则配置的名称。")
    if not is_profile_name(name):
        raise ProfileError(
            f"检查规则配置“{_shown(name)}”不是有效的名称：只能用字母、数字、汉字、“-”和“_”"
            f"（最多 {MAX_NAME_CHARS} 个字），不能是文件路径。")
    return name


def available_profiles() -> list[str]:
    """Names of the shipped profiles, then the user's own (sorted, without duplicates)."""
    names: list[str] = []
    for folder in (resource_path("rules"), user_profile_dir()):
        try:
            found = sorted(p.stem for p in folder.glob("*.toml") if is_profile_name(p.stem))
        except OSError:
            found = []
        names += [n for n in found if n not in names]
    return names


def profile_path(name: str) -> Path:
    """Where the profile ``name`` lives: shipped first (a user file cannot shadow it), then the
    user's folder. Raises ProfileError when there is none."""
    check_name(name)
    for folder in (resource_path("rules"), user_profile_dir()):
        candidate = folder / f"{name}.toml"
        if os.path.lexists(candidate):
            return candidate
    raise ProfileError(f"找不到检查规则配置“{name}”。可用的配置：{'、'.join(available_profiles()) or '无'}。"
                       f"自定义配置请放在“{user_profile_dir()}”。")


def _read(path: Path, name: str) -> bytes:
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise ProfileError(f"检查规则配置“{name}”（{path}）不是普通文件（是文件夹、设备或管道）。")
        if st.st_size > MAX_PROFILE_BYTES:
            raise ProfileError(f"检查规则配置“{name}”（{path}）有 {st.st_size // 1024} KB，"
                               f"超过上限 {MAX_PROFILE_BYTES // 1024} KB。")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            return fh.read(MAX_PROFILE_BYTES + 1)
    except ProfileError:
        raise
    except OSError as exc:
        from errno import errorcode
        cause = "文件不存在" if isinstance(exc, FileNotFoundError) else \
            "没有读取权限" if isinstance(exc, PermissionError) else f"系统错误 {errorcode.get(exc.errno, '') if exc.errno is not None else ''}"
        raise ProfileError(f"检查规则配置“{name}”（{path}）无法读取：{cause}。") from None


def _number(value: Any, where: str, name: str) -> None:
    try:
        ok = not isinstance(value, bool) and Decimal(str(value)).is_finite() and len(str(value)) <= 20
    except (InvalidOperation, ValueError):
        ok = False
    if not ok:
        raise ProfileError(f"检查规则配置“{name}”中“{where}”应为数字，现为“{_shown(str(value))}”。")


def _validate(data: dict[str, Any], name: str) -> None:
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        raise ProfileError(f"检查规则配置“{name}”中“severity”应为一个表。")
    for rule_id, value in severity.items():
        if not isinstance(value, str) or value not in _SEVERITY_VALUES:
            raise ProfileError(f"检查规则配置“{name}”中 {_shown(rule_id)} 的级别“{_shown(str(value))}”无效，"
                               "应为 error、warning、info 或 off。")
    thresholds = data.get("thresholds", {})
    if not isinstance(thresholds, dict):
        raise ProfileError(f"检查规则配置“{name}”中“thresholds”应为一个表。")
    for key, value in thresholds.items():
        if key != "carryover_rate_denominator":
            _number(value, f"thresholds.{key}", name)
    for section, fields_ in (("grades", ("min",)), ("caps", ("below", "cap"))):
        rows = data.get(section, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ProfileError(f"检查规则配置“{name}”中“{section}”应为表的列表。")
        for row in rows:
            for key in fields_:
                _number(row.get(key), f"{section}.{key}", name)
            if section == "grades" and not isinstance(row.get("grade"), str):
                raise ProfileError(f"检查规则配置“{name}”中“grades.grade”应为文字。")
    if "grades" in data and not data["grades"]:
        raise ProfileError(f"检查规则配置“{name}”的“grades”不能为空。")


@lru_cache(maxsize=8)
def load_profile(name: str = DEFAULT_PROFILE) -> RuleProfile:
    path = profile_path(name)
    raw = _read(path, name)
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(f"检查规则配置“{name}”超过上限 {MAX_PROFILE_BYTES // 1024} KB。")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProfileError(f"检查规则配置“{name}”（{path}）不是 UTF-8 文本。") from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        where = f"第 {m.group(1)} 行第 {m.group(2)} 列" if m else "某处"
        raise ProfileError(f"检查规则配置“{name}”（{path}）不是正确的 TOML 格式（{where}无法解析）。") from None
    except RecursionError:
        raise ProfileError(f"检查规则配置“{name}”（{path}）嵌套过深。") from None
    _validate(data, name)
    if name != BASE_PROFILE:            # a profile names only what differs from the base profile
        data = _merged(load_profile(BASE_PROFILE).data, data)
    from .profiles import validate_profile      # report-profile keys: outline, formulas, limits …
    validate_profile(data, name, path)
    return RuleProfile(name, data)
