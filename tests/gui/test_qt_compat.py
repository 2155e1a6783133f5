"""The PySide6 6.12 singleton-refcount defect must not be able to crash the program."""
import subprocess
import sys

CODE = """
import sys
import perfeval_gui.gui  # applies the work-around
from PySide6.QtCore import QObject, Signal
class O(QObject):
    s = Signal(list)
o = O()
o.s.connect(lambda x: None)
for i in range(60000):          # far more than the ~5000 references None starts with
    o.setObjectName("x")
    o.s.emit([i])
print("ok")
"""


def test_many_void_calls_and_emits_do_not_abort():
    proc = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"
