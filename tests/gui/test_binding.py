"""The pinned Qt binding keeps its references to None/True (PySide6-Essentials 6.12.0 on CPython 3.11
drops one per void call / emit, and the interpreter aborts after a few minutes of typing; see the pin in
pyproject.toml). Fails when the pin is moved to such a binding."""
import sys

from PySide6.QtCore import QObject, Signal

CALLS = 2000


class _Probe(QObject):
    ping = Signal()
    data = Signal(list)


def test_void_calls_and_emits_keep_singleton_references(qapp):
    probe = _Probe()
    probe.data.connect(lambda _x: None)
    none_before = sys.getrefcount(None)
    for _ in range(CALLS):
        probe.setObjectName("probe")            # a void Qt method returns None
    none_lost = none_before - sys.getrefcount(None)
    true_before = sys.getrefcount(True)
    for i in range(CALLS):
        probe.ping.emit()                       # emit() returns True
        probe.data.emit([i])
    true_lost = true_before - sys.getrefcount(True)
    # a leaking binding loses exactly one reference per call: CALLS (or 2 × CALLS) here
    assert none_lost < CALLS // 10, none_lost
    assert true_lost < CALLS // 10, true_lost
