"""Issue 7.3: hostile .pefx files → ProjectFileError naming the file/field; nothing changes on disk.

Some single cases (empty, a few truncations, NaN, 1e400, 100,000 nested lists) are in
tests/core/test_project_file.py; new here: a wrong-typed value at EVERY leaf of a full sample
report, several truncation points, 10,000-digit decimals, Infinity, deep objects inside a field,
invalid UTF-8 mid-file, a 100 MB sparse file, and the bytes+mtime check of the whole folder.
"""
from __future__ import annotations

import json
import os
import re

import pytest

from rel_helpers import SAMPLES, dir_state, record
from perfeval_gui.io.project_file import ProjectFileError, load_project

GOOD = (SAMPLES / "liuyang-2021.pefx").read_bytes()


def _leaves(obj, path=""):
    """(path as the serializer names it, value, container, key) for every leaf of the JSON data."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "rule_params":          # dict[str, Any]: any value is valid
                continue
            if path in ("narrative", "headings", "prior_year", "final_accounts", "acknowledged"):
                sub = f"{path}[{k}]"
            else:
                sub = f"{path}.{k}" if path else k
            if isinstance(v, (dict, list)) and v:
                yield from _leaves(v, sub)
            else:
                yield sub, v, obj, k
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            sub = f"{path}[{i}]"
            if isinstance(v, (dict, list)) and v:
                yield from _leaves(v, sub)
            else:
                yield sub, v, obj, i


def _wrong(value):
    if isinstance(value, bool):
        return "也许"
    if isinstance(value, str):
        return {"不是": "文字"} if value else [1, 2]
    if isinstance(value, int):
        return "一百"
    if isinstance(value, list):
        return "不是列表"
    if isinstance(value, dict):
        return ["不是对象"]
    return {"x": 1}         # None (optional field) → an object is wrong for every leaf type


def _expect_refused(tmp_path, content: bytes, *words, name="bad.pefx"):
    path = tmp_path / name
    if not path.exists() or path.read_bytes() != content:
        path.write_bytes(content)
    before = dir_state(tmp_path)
    crashed = False
    try:
        with pytest.raises(ProjectFileError) as exc:
            load_project(path)
    except BaseException:
        crashed = True
        raise
    finally:
        lost = dir_state(tmp_path) != before
        record("hostile project files", crashes=int(crashed), losses=int(lost))
    assert not lost
    message = str(exc.value)
    for word in words:
        assert word in message, (word, message)
    return message


def test_wrong_type_at_every_leaf_names_the_field(tmp_path):
    base = json.loads(GOOD)
    leaves = [(p, v) for p, v, _, _ in _leaves(base["report"])]
    assert len(leaves) > 200
    for i, (path, value) in enumerate(leaves):
        data = json.loads(GOOD)
        for p, v, container, key in _leaves(data["report"]):
            if p == path:
                container[key] = _wrong(v)
                break
        _expect_refused(tmp_path, json.dumps(data, ensure_ascii=False).encode(), "bad.pefx", f"“{path}”")


def _nested(depth):
    return '{"a":' * depth + "1" + "}" * depth


BI = b'"budget_initial": null'
assert BI in GOOD

CASES = {
    # cut on a character boundary: a cut inside a Chinese character is the "invalid UTF-8" case
    "truncated at 10%": GOOD.decode("utf-8")[: len(GOOD.decode("utf-8")) // 10].encode("utf-8"),
    "truncated at 50%": GOOD.decode("utf-8")[: len(GOOD.decode("utf-8")) // 2].encode("utf-8"),
    "truncated 1 byte short": GOOD[:-1],
    "10,000-digit decimal literal": GOOD.replace(BI, b'"budget_initial": 1.' + b"7" * 10000, 1),
    "10,000-digit decimal string": GOOD.replace(BI, b'"budget_initial": "9' + b"9" * 10000 + b'"', 1),
    "1e400 string": GOOD.replace(BI, b'"budget_initial": "1e400"', 1),
    "-1e-400 literal": GOOD.replace(BI, b'"budget_initial": "-1e-400"', 1),
    "Infinity": GOOD.replace(BI, b'"budget_initial": Infinity', 1),
    "-Infinity": GOOD.replace(BI, b'"budget_initial": -Infinity', 1),
    "NaN in a list": GOOD.replace(b'"duties": [', b'"duties": [NaN, ', 1),
    "deep object in a field": GOOD.replace(b'"unit_name": ', b'"unit_name": ' + _nested(50_000).encode() + b', "y": ', 1),
    "deep object in unknown key": GOOD.replace(BI, BI + b", \"future\": " + _nested(50_000).encode(), 1),
    "newer format version": re.sub(rb'"version": "1\.\d+"', b'"version": "2.0"', GOOD, count=1),
    "invalid UTF-8 mid-file": GOOD[:5000] + b"\xc3\x28\xff" + GOOD[5003:],
    "UTF-16 file": GOOD.decode("utf-8").encode("utf-16"),
}
WORDS = {"newer format version": "更新版本", "invalid UTF-8 mid-file": "UTF-8", "UTF-16 file": "UTF-8",
         "truncated at 10%": "不完整", "truncated at 50%": "不完整", "truncated 1 byte short": "不完整",
         "deep object in a field": "嵌套", "deep object in unknown key": "嵌套"}


@pytest.mark.parametrize("label", list(CASES))
def test_hostile_project_file(tmp_path, label):
    content = CASES[label]
    assert content != GOOD, "the case did not change the sample"
    _expect_refused(tmp_path, content, "bad.pefx", WORDS.get(label, ""))


def test_100_mb_sparse_file(tmp_path):
    path = tmp_path / "巨大.pefx"
    with open(path, "wb") as fh:
        fh.write(GOOD[:100])
        fh.truncate(100 * 1024 * 1024)        # sparse: instant, no disk used
    st = os.stat(path)
    with pytest.raises(ProjectFileError) as exc:
        load_project(path)
    assert "巨大.pefx" in str(exc.value) and "MB" in str(exc.value)
    lost = os.stat(path).st_mtime_ns != st.st_mtime_ns or os.stat(path).st_size != st.st_size
    record("hostile project files", losses=int(lost))
    assert not lost
