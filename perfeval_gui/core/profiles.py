"""Report profiles (docs/profiles.md): the report-profile keys of a profile file, their validation with
the key and line at fault, the list of profiles with their Chinese names, profiles loaded from a file,
and switching a report to another profile as one batch of field changes.

A profile file (resources/rules/NAME.toml, or the user's profile folder) holds the thresholds the rules
read (rule_profile.py) AND the report profile: outline, cover fields, forms, indicator tree, execution
rate, score formulas, bands, text limits, required explanations and documents. ``meta.rule_profile``
names the profile; ``meta.template`` names the outline (normally the profile's own — switching a profile
sets both).
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import regex
from .records import record
from . import rule_profile
from .edits import FieldChange
from .model import Report
from .rule_profile import BASE_PROFILE, ProfileError, RuleProfile

if TYPE_CHECKING:
    from .template import Template

DENOMINATORS = {
    "budget_final": "全年预算数（填了全年预算用全年预算，否则年初 + 调整）",
    "initial_plus_adjustment": "年初预算 + 调整追加",
    "with_carryover": "全年预算数 + 上年结转",
}
FORMULAS = {"≥": ("ratio",), "≤": ("inverse", "linear"), "=": ("exact",)}
DIRECTIONS = ("≥", "≤", "=")
MAX_FILE_BYTES = 256 * 1024


# ------------------------------------------------------------------ names
def profile_names() -> list[str]:
    """Names of the shipped profiles, then the user's own (rule_profile decides where they live)."""
    return rule_profile.available_profiles() or [BASE_PROFILE]


_SESSION: dict[str, RuleProfile] = {}     # profiles loaded from a file by path (perfeval check --profile FILE)
_RESOLVED: dict[str, RuleProfile] = {}    # names resolved to shipped profiles (a per-keystroke lookup)


def user_dir() -> Path:
    """The officer's own profiles: $PERFEVAL_PROFILE_DIR, else <user data dir>/rules (rule_profile.user_profile_dir)."""
    return rule_profile.user_profile_dir()


def _shipped(name: str) -> bool:
    return rule_profile.resource_path("rules", f"{name}.toml").exists()


def resolve(name: str) -> RuleProfile:
    """The profile ``name``: one loaded from a file this session, a shipped one, or the user's own
    (a user file never shadows a shipped profile)."""
    found = _SESSION.get(name)
    if found is not None:
        return found
    if rule_profile.load_profile.cache_info().currsize == 0:    # profiles re-read: forget ours too
        _RESOLVED.clear()
    found = _RESOLVED.get(name)
    if found is not None:
        return found
    found = _RESOLVED[name] = rule_profile.load_profile(name)
    return found


def install_profile(source: str | Path) -> RuleProfile:
    """Copy a profile file the officer chose into the user's profile folder (after validating it), so
    reports can name it. A name taken by a shipped profile gets '-本地'. ProfileError when unusable."""
    source = Path(source)
    profile = load_profile_file(source)
    name = profile.name if rule_profile.is_profile_name(profile.name) else "自定义配置"
    if _shipped(name):
        name = f"{name}-本地"
    folder = user_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{name}.toml.tmp"
        tmp.write_bytes(source.read_bytes())
        os.replace(tmp, folder / f"{name}.toml")
    except OSError as exc:
        raise ProfileError(f"无法把配置保存到“{folder}”：{exc.strerror or exc}。") from None
    _SESSION.pop(profile.name, None)
    installed = RuleProfile(name, profile.data)
    _SESSION[name] = installed
    from .template import reset_outlines
    reset_outlines()
    return installed


def new_report(name: str) -> Report:
    """A blank report of profile ``name``: its outline, and the scoring table seeded with the profile's
    department indicator tree (names and weights) when it has one."""
    from .model import ScoreNode
    from .template import profile_outline
    profile = resolve(name)
    report = Report()
    report.meta.rule_profile = name
    report.meta.template = profile_outline(profile.data, name).id
    for row in profile.get("indicators.department") or []:
        report.scoring.nodes.append(ScoreNode(id=row["id"], level=row["id"].count(".") + 1, name=row["name"],
                                              parent_id=str(row.get("parent") or ""),
                                              weight=Decimal(str(row["weight"]))))
    return report


def load_profile_file(path: str | Path) -> RuleProfile:
    """A profile file given by path (not installed): read, inherit the base profile, validate.
    Registered for this session under its file name, so ``resolve`` and the outlines find it."""
    path = Path(path)
    name = path.stem
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ProfileError(f"配置文件“{path.name}”超过 {MAX_FILE_BYTES // 1024} KB，不像是报告配置。")
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ProfileError(f"配置文件“{path.name}”不是 UTF-8 文本。") from None
    except OSError as exc:
        raise ProfileError(f"配置文件“{path}”无法读取：{exc.strerror or exc}。") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"配置文件“{path.name}”格式错误（{_toml_where(str(exc))}）：{exc}") from None
    merged = rule_profile._merged(rule_profile.load_profile(BASE_PROFILE).data, data)
    validate_profile(merged, name, path, text)
    try:
        rule_profile._validate(data, name)                   # the rule keys: severity values, numbers …
    except ProfileError as exc:                              # say which file and, when we can, which line
        keys = [k for k in re.findall(r"“([^”]+)”", str(exc)) if k != name]
        line = next((n for n in (line_of(text, k) for k in keys) if n), None)
        where = f"第 {line} 行，" if line else ""
        raise ProfileError(f"配置文件“{path.name}”{where}{exc}") from None
    data = merged
    profile = RuleProfile(name, data)
    _SESSION[name] = profile
    from .template import reset_outlines
    reset_outlines()
    return profile


def _toml_where(message: str) -> str:
    m = re.search(r"line (\d+), column (\d+)", message)
    return f"第 {m.group(1)} 行第 {m.group(2)} 列" if m else "位置不明"


@record(frozen=True)
class ProfileInfo:
    """A rule profile as listed for choosing: file name, Chinese title, province, its outline, the error if unusable."""
    name: str                  # file name without .toml: what meta.rule_profile stores
    title: str                 # Chinese name
    province: str
    outline_id: str
    outline_name: str
    error: str = ""            # the file cannot be used: why (key and line)


def list_profiles() -> list[ProfileInfo]:
    """Every profile (shipped, the user's, this session's files) with its Chinese name; broken ones
    are listed with their error."""
    from .template import OutlineError, profile_outline
    out: list[ProfileInfo] = []
    names = profile_names()
    names += [n for n in _SESSION if n not in names]
    for name in names:
        try:
            p = resolve(name)
            t = profile_outline(p.data, name)
            out.append(ProfileInfo(name, p.title, str(p.data.get("province") or ""), t.id, t.name))
        except (ProfileError, OutlineError, OSError) as exc:
            out.append(ProfileInfo(name, name, "", "", "", str(exc)))
    return out


def profile_label(name: str) -> str:
    """'湖南·区县部门整体（九部分格式，浏阳）' for a profile name; the name itself when unusable."""
    try:
        return resolve(name).title
    except (ProfileError, OSError):
        return name


# ------------------------------------------------------------------ validation
def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        return Decimal(str(value)).is_finite()
    except (InvalidOperation, ValueError):
        return False


def _fail(name: str, path: Path | None, text: str | None, key: str, why: str) -> ProfileError:
    if text is None and path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
    line = line_of(text, key) if text else None
    where = f"第 {line} 行，" if line else ""
    file = Path(path).name if path is not None else f"{name}.toml"
    named = why[1:why.index("”")] if why.startswith("“") and "”" in why else ""
    if named and key.startswith(named):    # the reason names the key (or its table) itself
        return ProfileError(f"配置文件“{file}”{where}{why}")
    return ProfileError(f"配置文件“{file}”{where}“{key}”：{why}")


def validate_profile(data: dict[str, Any], name: str, path: Path | str | None = None,
                     text: str | None = None) -> None:
    """Check the report-profile keys (after inheriting the base); ProfileError names the key and line.
    Any value of a shape the checks did not foresee is refused too, never a crash."""
    try:
        _validate(data, name, path, text)
    except ProfileError:
        raise
    except (TypeError, AttributeError, ValueError, KeyError) as exc:
        file = Path(path).name if path is not None else f"{name}.toml"
        raise ProfileError(f"配置文件“{file}”中有一项的类型不对（{type(exc).__name__}），请与 docs/profiles.md 的示例对照。") from None


def _validate(data: dict[str, Any], name: str, path: Path | str | None = None, text: str | None = None) -> None:
    from . import fields
    from .template import OutlineError, outline_from_data
    path = Path(path) if path is not None else None

    def fail(key: str, why: str) -> ProfileError:
        return _fail(name, path, text, key, why)

    if "name" in data and not isinstance(data["name"], str):
        raise fail("name", "应为文字（显示给用户的中文名称）。")
    for key, kind, what in (("grades", list, "表的列表（[[grades]]）"), ("caps", list, "表的列表（[[caps]]）"),
                            ("indicators.department", list, "指标的列表"), ("texts.limits", list, "字数限制的列表"),
                            ("qualitative", dict, "一个表"), ("project_weights", dict, "一个表"),
                            ("over_achievement", dict, "一个表"), ("cover", dict, "一个表"), ("package", dict, "一个表"),
                            ("quality", dict, "一个表"), ("review", dict, "一个表"), ("explanations", dict, "一个表"),
                            ("texts", dict, "一个表"), ("indicators", dict, "一个表"), ("severity", dict, "一个表"),
                            ("forms", dict, "一个表"),
                            ("thresholds", dict, "一个表")):
        value = _get(data, key)
        if value is not None and not isinstance(value, kind):
            raise fail(key, f"应为{what}。")
    if isinstance(data.get("outline"), str):
        if not data["outline"].strip():
            raise fail("outline", "应为一个表（[outline]），或另一个配置的提纲名（例如 \"n285\"）。")
    elif "outline" in data:
        try:
            outline_from_data(data["outline"], name)
        except OutlineError as exc:
            raise fail(exc.key, str(exc)) from None
    for i, band in enumerate(data.get("grades") or []):
        if not isinstance(band, dict) or not isinstance(band.get("grade"), str):
            raise fail(f"grades[{i}].grade", "每个等级档次要有 grade（文字）和 min（数字）。")
        if not _is_number(band.get("min")):
            raise fail(f"grades[{i}].min", f"应为数字，现为“{band.get('min')}”。")
        if "strict" in band and not isinstance(band["strict"], bool):
            raise fail(f"grades[{i}].strict", "应为 true 或 false。")
    table = data.get("execution", {})
    if not isinstance(table, dict):
        raise fail("execution", "应为一个表。")
    if "denominator" in table and (not isinstance(table["denominator"], str) or table["denominator"] not in DENOMINATORS):
        raise fail("execution.denominator", f"“{table['denominator']}”不是可用的分母（可用：{'、'.join(DENOMINATORS)}）。")
    table = data.get("formulas", {})
    if not isinstance(table, dict):
        raise fail("formulas", "应为一个表。")
    for direction, value in table.items():
        if direction not in FORMULAS:
            raise fail(f"formulas.{direction}", f"方向只能是 {'、'.join(FORMULAS)}。")
        if not isinstance(value, str) or value not in FORMULAS[direction]:
            raise fail(f"formulas.{direction}", f"“{value}”不是可用的算法（可用：{'、'.join(FORMULAS[direction])}）。")
    directions = (data.get("over_achievement") or {}).get("directions", [])
    if not isinstance(directions, list) or any(d not in DIRECTIONS for d in directions):
        raise fail("over_achievement.directions", f"应为方向的列表，方向只能是 {'、'.join(DIRECTIONS)}。")
    for key in ("cover.fields", "cover.required"):
        value = _get(data, key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) and fields.info(v) for v in value):
            bad = next((v for v in (value if isinstance(value, list) else [value])
                        if not (isinstance(v, str) and fields.info(v))), value)
            raise fail(key, f"“{bad}”不是报告的字段（例如 \"meta.unit_name\"）。")
    forms = _get(data, "forms.include")
    codes = fields.FORMS.codes()
    if forms is not None and (not isinstance(forms, list) or any(not isinstance(f, str) or f not in codes for f in forms)):
        raise fail("forms.include", f"应为表格编号的列表（可用：{'、'.join(codes)}）。")
    docs = _get(data, "package.documents")
    if docs is not None and (not isinstance(docs, list) or not all(isinstance(d, str) for d in docs)):
        raise fail("package.documents", "应为文字的列表。")
    for i, row in enumerate(_get(data, "indicators.department") or []):
        key = f"indicators.department[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not isinstance(row.get("name"), str):
            raise fail(key, "每个指标要有 id（文字）和 name（文字）。")
        if not _is_number(row.get("weight")):
            raise fail(f"{key}.weight", f"应为数字，现为“{row.get('weight')}”。")
    for i, row in enumerate(_get(data, "texts.limits") or []):
        key = f"texts.limits[{i}]"
        if not isinstance(row, dict) or not (isinstance(row.get("place"), str) or isinstance(row.get("path"), str)):
            raise fail(key, "每条字数限制要有 place（位置名）或 path（字段，例如 \"projects[].indicators[].achieved_text\"）。")
        if not isinstance(row.get("max"), int) or isinstance(row.get("max"), bool) or row["max"] <= 0:
            raise fail(f"{key}.max", f"应为正整数（字数），现为“{row.get('max')}”。")
    for key in ("quality.levels", "quality.placeholders", "quality.vague_words", "quality.satisfaction_words",
                "quality.sample_words", "quality.money_units", "quality.quantity_words", "quality.cost_words",
                "explanations.budget_adjustment_words"):
        value = _get(data, key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            raise fail(key, "应为文字的列表。")
    for key in ("quality.percent_max", "review.exec_gap"):
        value = _get(data, key)
        if value is not None and not _is_number(value):
            raise fail(key, f"应为数字，现为“{value}”。")
    for table_name, bounds in (data.get("qualitative") or {}).items():
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(_is_number(b) for b in bounds)):
            raise fail(f"qualitative.{table_name}", "应为两个数字的列表（分值的比例下限和上限），例如 [\"0.8\", \"1.0\"]。")
    for table_name, weight in (data.get("project_weights") or {}).items():
        if not _is_number(weight):
            raise fail(f"project_weights.{table_name}", f"应为数字，现为“{weight}”。")


def _get(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


_TOKENS = regex.compile(r"([^.\[\]]+)|\[(\d+)\]")


def line_of(text: str, key: str) -> int | None:
    """The 1-based line of a dotted key ('outline.slots[3].title', 'grades[1].min') in TOML text."""
    lines = text.splitlines()
    tokens: list[str | int] = [m.group(1) if m.group(1) is not None else int(m.group(2))
                               for m in _TOKENS.finditer(key)]
    start, used = 0, 0
    names: list[str] = []
    for tok in tokens:                       # the longest [table] / [[array]] header of the leading names
        if isinstance(tok, int):
            break
        names.append(tok)
    for k in range(len(names), 0, -1):
        header = re.escape(".".join(names[:k]))
        rx = re.compile(rf"^\s*\[\[?\s*{header}\s*\]\]?\s*(#.*)?$")
        hits = [i for i, line in enumerate(lines) if rx.match(line)]
        if not hits:
            continue
        token = tokens[k] if k < len(tokens) else None
        index = token if isinstance(token, int) else None
        if index is not None and lines[hits[0]].lstrip().startswith("[["):
            if index >= len(hits):
                return hits[-1] + 1
            start, used = hits[index], k + 1
        else:
            start, used = hits[0], k
        break
    found = start if used else None
    for pos, tok in enumerate(tokens[used:], used):
        if isinstance(tok, int):
            seen = -1
            for i in range(start + 1, len(lines)):
                if "{" in lines[i] or (lines[i].strip() and not lines[i].strip().startswith("#")
                                       and "=" not in lines[i]):
                    seen += 1
                    if seen == tok:
                        start = found = i
                        break
            continue
        rx = re.compile(rf"(^|[{{,\s])\"?{re.escape(tok)}\"?\s*=")
        for i in range(start, len(lines)):
            if rx.search(lines[i]) and not lines[i].lstrip().startswith("#"):
                start = found = i
                break
        else:
            break
    return found + 1 if found is not None else None


# ------------------------------------------------------------------ switching a report's profile
@record
class SwitchPlan:
    """What switching a report to another profile does: one batch of field changes (one undo step)."""
    profile: str
    title: str
    changes: list[FieldChange] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)      # (old heading, new heading)
    kept: list[tuple[str, str]] = field(default_factory=list)       # (field path, old heading): no place


def orphan_key(outline_id: str, slot_id: str) -> str:
    """Where text with no place in the new outline is kept: 'hunan9:五.二' (restored on switching back)."""
    return f"{outline_id}:{slot_id}"


def plan_switch(report: Report, name: str) -> SwitchPlan:
    """The changes that switch ``report`` to profile ``name``: meta.rule_profile and meta.template, and
    every narrative text / heading moved to the slot of the new outline holding the same content (its
    first key); text with no place is kept under ``orphan_key`` and listed. Nothing is dropped."""
    from .template import get_template, profile_outline
    target = resolve(name)
    new = profile_outline(target.data, name)
    old = get_template(report.meta.template)
    plan = SwitchPlan(name, target.title)
    if report.meta.rule_profile != name:
        plan.changes.append(FieldChange("meta.rule_profile", name, report.meta.rule_profile, label="检查规则配置"))
    _plan_outline(report, old, new, plan)
    return plan


def plan_outline(report: Report, outline_id: str) -> SwitchPlan:
    """Only the outline (the 报告格式 field): meta.template and the text moved, the profile kept."""
    from .template import get_template, outlines
    new = outlines().get(outline_id)
    if new is None:
        raise ProfileError(f"没有名为“{outline_id}”的报告格式（可用：{'、'.join(outlines())}）。")
    plan = SwitchPlan(report.meta.rule_profile, new.name)
    _plan_outline(report, get_template(report.meta.template), new, plan)
    return plan


def _plan_outline(report: Report, old: Template, new: Template, plan: SwitchPlan) -> None:
    from .template import slot_label
    if report.meta.template != new.id:
        plan.changes.append(FieldChange("meta.template", new.id, report.meta.template, label="报告格式"))
    if old.id == new.id:
        return
    prefix = f"{new.id}:"

    def target_of(slot_id: str) -> str | None:
        slot = old.slot(slot_id)
        if slot is None:
            return None
        if slot.keys:
            hit = next((s for s in new.slots() if slot.keys[0] in s.keys and s.narrative), None)
            if hit is not None:
                return hit.id
        same = new.slot(slot_id)
        return slot_id if same is not None and same.title == slot.title and same.narrative else None

    for store, what in ((report.narrative, "narrative"), (report.headings, "headings")):
        result: dict[str, str] = {}
        for key, text in store.items():
            if not text:
                continue
            dest: str | None
            old_slot = old.slot(key)
            if key.startswith(prefix) and new.slot(key[len(prefix):]) is not None:
                dest = key[len(prefix):]                               # kept earlier: back in place
            elif old_slot is not None:
                new_slot = new.slot(key)
                dest = target_of(key) if what == "narrative" else (
                    key if new_slot is not None and new_slot.title == old_slot.title else None)
                if dest is None:
                    dest = orphan_key(old.id, key)
                    plan.kept.append((f"{what}[{dest}]", slot_label(old, key)))
                elif what == "narrative" and dest != key:
                    plan.moved.append((slot_label(old, key), slot_label(new, dest)))
            else:
                dest = key                                             # not a slot of either: stays
                if what == "narrative" and new.slot(key) is None:
                    plan.kept.append((f"{what}[{key}]", key))
            result[dest] = f"{result[dest]}\n{text}" if dest in result else text
        for key in sorted(set(store) | set(result)):
            before, after = store.get(key) or None, result.get(key)
            if before != after:
                plan.changes.append(FieldChange(f"{what}[{key}]", after, before))


def orphans(report: Report) -> list[tuple[str, str]]:
    """(narrative key, heading it had) of texts with no place in the report's outline."""
    from .template import get_template, outlines, slot_label
    template = get_template(report.meta.template)
    out = []
    for key, text in report.narrative.items():
        if not (text or "").strip() or template.slot(key) is not None:
            continue
        label = key
        if ":" in key:
            outline_id, slot_id = key.split(":", 1)
            other = outlines().get(outline_id)
            if other is not None and other.slot(slot_id) is not None:
                label = f"{other.name} {slot_label(other, slot_id)}"
        out.append((key, label))
    return out
