"""``regex.compile``: ``re.compile`` for the program's fixed patterns, kept compiled between runs.

CPython compiles a regular expression with a parser and a compiler written in Python: 0.1–1 ms a
pattern, about 12 ms for the patterns the checks need before the first findings are shown (issue 21).
The result is a list of integers (SRE code) that depends only on the pattern, its flags and the Python
build. So, like Python's own ``.pyc`` files, this module keeps that code in a file under the package's
``__pycache__`` and, on later runs, builds the pattern object from it with the call ``re`` itself makes.

Only constant patterns written in the program's modules go through here (never a pattern built from a
report's text: the file holds no data of the officer's). Whatever does not fit — another Python build,
a file that is missing, damaged (checksum) or not writable, an internal of ``re`` that is not there —
means plain ``re.compile``: the same pattern, compiled the usual way.
"""
from __future__ import annotations

import marshal
import os
import re
import sys
import zlib
from pathlib import Path
from typing import Any, overload

FORMAT = 1
MAX_ENTRIES = 2000      # the program has about 150 constant patterns
_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_Key = tuple[str | bytes, int]


class _Store:
    """The compiled code read at the first pattern, and what this run adds (written at exit)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[_Key, _Entry] | None = None    # None: not read yet
        self.added = False
        self.usable = True
        self.used: set[_Key] = set()       # asked for in this run

    def key(self) -> tuple[Any, ...]:
        """What the code depends on: the Python build and its regex compiler (its sources; in an installed
        bundle, which carries its own Python, the bundle's program file)."""
        sre = _internal("_sre")
        files = [getattr(m, "__file__", None) for m in (_internal("re._compiler"), _internal("re._parser"))]
        if not all(f and os.path.isfile(f) for f in files):
            files = [sys.executable]
        stats = tuple((os.stat(f).st_size, os.stat(f).st_mtime_ns) for f in files if f)
        return (FORMAT, sys.version, sre.MAGIC, sre.CODESIZE, stats)

    def read(self) -> dict[_Key, _Entry]:
        entries: dict[_Key, _Entry] = {}
        try:
            raw = self.path.read_bytes()
            if len(raw) > 8 and zlib.crc32(raw[8:]) == int.from_bytes(raw[:8], "little"):
                key, stored = marshal.loads(raw[8:])
                if key == self.key() and isinstance(stored, dict):
                    entries = stored
        except (OSError, ValueError, EOFError, TypeError, AttributeError, KeyError):
            pass
        return entries

    def write(self) -> None:
        if not (self.added and self.entries):
            return
        try:
            body = marshal.dumps((self.key(), self.entries))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            try:
                temp.write_bytes(zlib.crc32(body).to_bytes(8, "little") + body)
                os.replace(temp, self.path)
            finally:
                temp.unlink(missing_ok=True)
            self.added = False
        except (OSError, ValueError, AttributeError, KeyError):
            pass


def _cache_file() -> Path:
    """Beside the program's own ``.pyc`` files; for an installed bundle (read-only for the officer, and removed
    whole on uninstall) in the user's cache folder instead."""
    name = f"sre.{sys.implementation.cache_tag}.bin"
    if not getattr(sys, "frozen", False):
        return Path(__file__).resolve().parent.parent / "__pycache__" / name
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "perfeval_gui" / name


_STORE = _Store(_cache_file())


@overload
def compile(pattern: str, flags: int = 0) -> re.Pattern[str]: ...
@overload
def compile(pattern: bytes, flags: int = 0) -> re.Pattern[bytes]: ...


def compile(pattern: Any, flags: int = 0) -> Any:  # noqa: A001 - the name re gives it
    """``re.compile(pattern, flags)`` for a constant pattern of the program."""
    store = _STORE
    flags = int(flags)
    store.used.add((pattern, flags))
    if not store.usable or flags & re.DEBUG:
        return re.compile(pattern, flags)
    try:
        if store.entries is None:
            store.entries = store.read()
            import atexit
            atexit.register(store.write)
        sre = _internal("_sre")
        entry = store.entries.get((pattern, flags))
        if entry is not None:
            try:
                return sre.compile(pattern, *entry)
            except (TypeError, ValueError, RuntimeError):   # not this Python's code after all
                del store.entries[(pattern, flags)]
        entry = _code(pattern, flags)
        compiled = sre.compile(pattern, *entry)
        if len(store.entries) >= MAX_ENTRIES:      # mostly patterns of earlier versions of the program
            store.entries = {k: v for k, v in store.entries.items() if k in store.used}
        store.entries[(pattern, flags)] = entry
        store.added = True
        return compiled
    except (AttributeError, KeyError, TypeError):         # re's internals differ: compile as usual
        store.usable = False
        return re.compile(pattern, flags)


def _code(pattern: str | bytes, flags: int) -> _Entry:
    """What ``re._compiler.compile`` passes to ``_sre.compile``, as plain data."""
    parsed = _internal("re._parser").parse(pattern, flags)
    code = [int(c) for c in _internal("re._compiler")._code(parsed, flags)]
    groupindex = {str(k): int(v) for k, v in parsed.state.groupdict.items()}
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return int(flags | parsed.state.flags), code, int(parsed.state.groups - 1), groupindex, tuple(indexgroup)


def _internal(name: str) -> Any:
    """A module of re's own (imported by re already)."""
    return sys.modules[name]


def save() -> None:
    """Write what this run compiled anew (also done at exit)."""
    _STORE.write()
