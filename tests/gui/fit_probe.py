"""Run in a child process (the screen size and QT_SCALE_FACTOR are fixed when Qt starts):
shows the main window on the sample, the help window and the Excel import preview on the
screen described by the offscreen config file, and prints their geometry as JSON."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def rect(r):
    return [r.x(), r.y(), r.width(), r.height()]


def global_rect(widget):
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]


def main() -> None:
    from PySide6.QtWidgets import QApplication, QDialogButtonBox
    app = QApplication(sys.argv[:1])
    from perfeval_gui.gui.document import ReportDocument
    from perfeval_gui.gui.help import show_help
    from perfeval_gui.gui.import_dialog import ImportDialog
    from perfeval_gui.gui.main_window import MainWindow
    from perfeval_gui.io.project_file import load_project
    from perfeval_gui.resources import sample_path

    win = MainWindow(ReportDocument(load_project(sample_path("liuyang-2021.pefx"))))
    win.show()
    for _ in range(5):
        app.processEvents()
    out = {"screen": rect(app.primaryScreen().availableGeometry()),
           "window": rect(win.frameGeometry()),
           "status_bar": global_rect(win.statusBar()),
           "score_label": global_rect(win.score_label),
           "status_label": global_rect(win.status_label),
           "findings": global_rect(win.findings_panel)}
    win.build_all_tabs()
    for _ in range(3):
        app.processEvents()
    out["tabs_too_wide"] = [t.section_id for t in win.section_tabs
                            if t.content.minimumSizeHint().width() > t.viewport().width()]
    help_window = show_help(win)
    for _ in range(3):
        app.processEvents()
    out["help"] = rect(help_window.frameGeometry())
    out["help_close"] = global_rect(help_window.findChild(QDialogButtonBox).buttons()[0])
    dialog = ImportDialog(win.doc.report, Path(sys.argv[1]), win)
    dialog.show()
    for _ in range(3):
        app.processEvents()
    out["import"] = rect(dialog.frameGeometry())
    out["import_buttons"] = [global_rect(b) for b in dialog.buttons.buttons()]
    print(json.dumps(out))
    dialog.close()
    help_window.close()
    win.shutdown()
    win.close()


if __name__ == "__main__":
    main()
