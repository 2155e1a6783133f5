"""@record behaves as @dataclass: equality, hashing, repr, frozenness, field options, inheritance."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

from perfeval_gui.core.records import record


def pair(frozen: bool):
    """The same class body under @dataclass and under @record."""
    made = []
    for deco in (dataclass(frozen=frozen), record(frozen=frozen)):
        @deco
        class Item:
            """A test item."""
            name: str
            amount: int = 0
            note: str = field(default="", compare=False)
            secret: str = field(default="x", repr=False)
            tags: list = field(default_factory=list, hash=False)
        made.append(Item)
    return made


@pytest.mark.parametrize("frozen", [False, True])
def test_equality_repr_and_hash_match_dataclass(frozen):
    plain, rec = pair(frozen)
    a, b = rec("预算", 3, note="甲"), rec("预算", 3, note="乙")
    assert a == b                                  # compare=False is not compared
    assert a != rec("预算", 4) and a != rec("支出", 3)
    assert (a == plain("预算", 3)) is False        # another class is never equal
    assert rec.__eq__(a, object()) is NotImplemented
    assert repr(a) == repr(plain("预算", 3, note="甲"))
    assert repr(a) == "pair.<locals>.Item(name='预算', amount=3, note='甲', tags=[])"    # secret: repr=False
    if frozen:
        hashable = rec("预算", 3, tags=("x",))
        assert hash(hashable) == hash(plain("预算", 3, tags=("x",))) == hash(("预算", 3, "x"))   # name, amount, secret
        assert hash(rec("预算", 3, tags=["a"])) == hash(rec("预算", 3, tags=["b"]))
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.amount = 5
        assert dataclasses.replace(a, amount=5).amount == 5
    else:
        assert rec.__hash__ is None and plain.__hash__ is None     # mutable and compared: unhashable
        with pytest.raises(TypeError):
            hash(a)
        a.amount = 5
        assert a == rec("预算", 5)


def test_a_record_is_a_dataclass():
    _plain, rec = pair(False)
    item = rec("a", 1, tags=[1])
    assert dataclasses.is_dataclass(item)
    assert [f.name for f in dataclasses.fields(rec)] == ["name", "amount", "note", "secret", "tags"]
    assert dataclasses.asdict(item)["tags"] == [1]
    assert rec.__match_args__ == ("name", "amount", "note", "secret", "tags")


def test_methods_the_class_writes_itself_are_kept():
    @record(frozen=True)
    class Money:
        """Compared by value only."""
        value: int
        label: str = ""

        def __eq__(self, other):
            return isinstance(other, Money) and self.value == other.value

        def __hash__(self):
            return hash(self.value)

        def __repr__(self):
            return f"¥{self.value}"

    assert Money(1, "a") == Money(1, "b") and hash(Money(1, "a")) == hash(1)
    assert repr(Money(2)) == "¥2"


def test_a_subclass_compares_and_prints_its_own_fields():
    @record
    class Base:
        """Base."""
        a: int

    @record
    class Child(Base):
        """Child."""
        b: int = 0

    assert Child(1, 2) != Child(1, 3) and Child(1, 2) == Child(1, 2)
    assert Base(1) != Child(1, 0)
    assert repr(Child(1, 2)).endswith("Child(a=1, b=2)")


def test_repr_of_a_record_that_contains_itself():
    @record
    class Node:
        """A node."""
        children: list = field(default_factory=list)

    n = Node()
    n.children.append(n)
    assert repr(n).endswith("Node(children=[...])")
