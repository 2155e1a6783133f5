"""Work-arounds for defects of the installed Qt binding, applied once when perfeval_gui.gui loads.

PySide6-Essentials 6.12.0 (abi3 wheel) on Python 3.11 returns the singletons without taking a
reference: every call of a void Qt method from Python (``label.setText(…)``) drops one reference
to ``None``, and every ``SignalInstance.emit()`` / ``connect()`` one to ``True``. On Python < 3.12
these singletons are not immortal, so after a few thousand calls — a few minutes of typing — the
interpreter aborts with "none_dealloc: deallocating None" / "bool_dealloc". We detect the leak
with a probe and give the singletons a reference reserve so large that it can never run out.
Over-counting a singleton is harmless: it is never freed.
"""
from __future__ import annotations

import ctypes
import sys

RESERVE = 1 << 40     # references added to None/True/False when the leak is present
_applied = False


def binding_leaks() -> dict[str, int]:
    """References to None / True lost by 16 void calls / 16 emits (0 = healthy binding)."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    none_before = sys.getrefcount(None)
    for _ in range(16):
        probe.setObjectName("probe")
    none_lost = none_before - sys.getrefcount(None)
    true_before = sys.getrefcount(True)
    for _ in range(16):
        probe.ping.emit()
    true_lost = true_before - sys.getrefcount(True)
    return {"None": max(0, none_lost), "True": max(0, true_lost)}


def protect_singletons() -> bool:
    """Apply the reserve once when needed; True if it was applied (now or before)."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12):       # immortal singletons: nothing can go wrong
        return False
    leaks = binding_leaks()
    if not any(leaks.values()):
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += RESERVE
    _applied = True
    return True


protect_singletons()
