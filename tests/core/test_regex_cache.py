"""regex.compile: the program's constant patterns, compiled once and kept between runs — always the
pattern re.compile would give (Pattern equality compares the compiled code), whatever the cache file holds."""
from __future__ import annotations

import importlib
import marshal
import os
import pkgutil
import re
import sys
import zlib

import pytest

import perfeval_gui
from perfeval_gui.core import regex


def program_patterns() -> list[tuple[str, int]]:
    """Every constant pattern the program compiles through regex.compile: all its modules imported."""
    for info in pkgutil.walk_packages(perfeval_gui.__path__, "perfeval_gui."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    return sorted(regex._STORE.used, key=repr)


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A cache file of the test's own instead of the package's."""
    fresh = regex._Store(tmp_path / "__pycache__" / "sre.test.bin")
    monkeypatch.setattr(regex, "_STORE", fresh)
    return fresh


PATTERNS = program_patterns()


def test_the_checks_compile_their_patterns_through_the_cache():
    assert len(PATTERNS) > 100
    assert any("[一二三四五六七八九十]" in p for p, _ in PATTERNS if isinstance(p, str))


def test_compiled_anew_and_read_back_each_pattern_is_what_re_compile_gives(store, monkeypatch):
    for pattern, flags in PATTERNS:
        assert regex.compile(pattern, flags) == re.compile(pattern, flags), pattern
    assert store.added
    regex.save()
    assert store.path.exists() and not store.added
    again = regex._Store(store.path)
    monkeypatch.setattr(regex, "_STORE", again)
    monkeypatch.setattr(regex, "_code", lambda *a: pytest.fail("compiled again instead of read"))
    for pattern, flags in PATTERNS:
        compiled = regex.compile(pattern, flags)
        assert compiled == re.compile(pattern, flags), pattern
        assert compiled.groupindex == re.compile(pattern, flags).groupindex
    assert not again.added                                   # nothing new to write


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "other_python", "empty"])
def test_a_damaged_or_foreign_cache_file_is_ignored_and_rewritten(store, damage, monkeypatch):
    sample = PATTERNS[:20]
    for pattern, flags in sample:
        regex.compile(pattern, flags)
    regex.save()
    raw = bytearray(store.path.read_bytes())
    if damage == "garbage":
        raw = bytearray(b"\x00not a cache" * 50)
    elif damage == "truncated":
        raw = raw[: len(raw) // 2]
    elif damage == "flipped":
        raw[len(raw) // 2] ^= 0x40                           # the checksum no longer matches
    elif damage == "empty":
        raw = bytearray()
    elif damage == "other_python":                           # intact, but written by another Python build
        body = marshal.dumps((("another build",), store.entries))
        raw = bytearray(zlib.crc32(body).to_bytes(8, "little") + body)
    store.path.write_bytes(bytes(raw))
    reread = regex._Store(store.path)
    monkeypatch.setattr(regex, "_STORE", reread)
    for pattern, flags in sample:
        assert regex.compile(pattern, flags) == re.compile(pattern, flags)
    assert reread.added                                      # compiled anew, to be written again
    regex.save()
    assert regex._Store(store.path).read().keys() == set(sample)


def test_a_folder_that_cannot_be_written_changes_nothing(tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    store = regex._Store(blocked / "__pycache__" / "sre.bin")       # its parent is a file
    monkeypatch.setattr(regex, "_STORE", store)
    pattern, flags = PATTERNS[0]
    assert regex.compile(pattern, flags) == re.compile(pattern, flags)
    regex.save()                                             # no exception, no file
    assert not (blocked / "__pycache__").exists()


def test_without_re_internals_it_is_plain_re_compile(store, monkeypatch):
    monkeypatch.setattr(regex, "_internal", lambda name: (_ for _ in ()).throw(KeyError(name)))
    pattern, flags = PATTERNS[0]
    assert regex.compile(pattern, flags) == re.compile(pattern, flags)
    assert store.usable is False and not store.added


def test_an_installed_bundle_keeps_its_patterns_in_the_users_cache_folder(tmp_path, monkeypatch):
    """A frozen bundle is read-only for the officer and removed whole on uninstall: the file goes to the user's
    cache folder, keyed by the bundle's program file (its Python's sources are not on disk)."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "cache"))
    path = regex._cache_file()
    assert path.parent == tmp_path / "cache" / "perfeval_gui"
    monkeypatch.setattr(regex.os.path, "isfile", lambda p: False)      # no stdlib sources in a bundle
    assert regex._Store(path).key()[-1] == ((os.stat(sys.executable).st_size, os.stat(sys.executable).st_mtime_ns),)
    store = regex._Store(path)
    monkeypatch.setattr(regex, "_STORE", store)
    for pattern, flags in PATTERNS[:10]:
        regex.compile(pattern, flags)
    regex.save()
    assert path.exists()
    again = regex._Store(path)
    monkeypatch.setattr(regex, "_STORE", again)
    monkeypatch.setattr(regex, "_code", lambda *a: pytest.fail("compiled again instead of read"))
    for pattern, flags in PATTERNS[:10]:
        assert regex.compile(pattern, flags) == re.compile(pattern, flags)
