"""``@record``: a dataclass whose ``__eq__``, ``__hash__`` and ``__repr__`` are shared functions.

On CPython 3.11 ``@dataclass`` compiles each method it adds with an ``exec`` of its own: about 0.4 ms a
class, 30 ms for the 73 classes imported before the officer sees the first findings (issue 21). Only
``__init__`` (and, for a frozen class, ``__setattr__``/``__delattr__``) differs in more than the field
names; equality, hashing and repr are the same code for every class once the names are known. So
``record`` has ``dataclasses`` generate the former and installs one shared version of the latter, with
the field names read once per class. The result is a real dataclass (``fields``, ``replace``,
``asdict``, ``is_dataclass`` work) that compares, hashes and prints exactly as ``@dataclass`` would:
tests/core/test_records.py checks each field option against ``@dataclass`` itself.
"""
from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, cast, dataclass_transform, overload

_C = TypeVar("_C", bound=type)

_EQ_KEY = "_record_eq_key"        # class attribute: obj → tuple of the fields compared
_HASH_KEY = "_record_hash_key"    # class attribute: obj → tuple of the fields hashed
_REPR_NAMES = "_record_repr_names"


def _key(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda obj: (get(obj),)
    if not names:
        return lambda obj: ()
    return attrgetter(*names)


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = getattr(self.__class__, _EQ_KEY)
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(getattr(self.__class__, _HASH_KEY)(self))


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    cls = self.__class__
    inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in getattr(cls, _REPR_NAMES))
    return f"{cls.__qualname__}({inner})"


def _process(cls: _C, frozen: bool) -> _C:
    own = cls.__dict__
    explicit_hash = not ("__hash__" not in own or (own["__hash__"] is None and "__eq__" in own))
    has_repr, has_eq = "__repr__" in own, "__eq__" in own
    out: Any = dataclasses.dataclass(cls, repr=False, eq=False, frozen=frozen)
    fields = dataclasses.fields(out)
    if not has_repr:
        setattr(out, _REPR_NAMES, tuple(f.name for f in fields if f.repr))
        out.__repr__ = _repr
    if not has_eq:
        setattr(out, _EQ_KEY, _key([f.name for f in fields if f.compare]))
        out.__eq__ = _eq
    if not explicit_hash:       # as @dataclass(eq=True): frozen → hash of the fields, else unhashable
        if frozen:
            setattr(out, _HASH_KEY, _key([f.name for f in fields
                                          if (f.compare if f.hash is None else f.hash)]))
            out.__hash__ = _hash
        else:
            out.__hash__ = None
    return cast(_C, out)


@overload
def record(cls: _C, /) -> _C: ...
@overload
def record(*, frozen: bool = False) -> Callable[[_C], _C]: ...


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: _C | None = None, /, *, frozen: bool = False) -> _C | Callable[[_C], _C]:
    """``@record`` / ``@record(frozen=True)``: ``@dataclass`` / ``@dataclass(frozen=True)``, cheaper to define."""
    if cls is None:
        return lambda c: _process(c, frozen)
    return _process(cls, frozen)
