"""Start-up of our window up to the first findings shown: ``python bench/start_ours.py FILE``.

Runs the real entry point (perfeval_gui.gui.app.main) unchanged. A zero-timer posted before main()
runs on the first event-loop turn, before the deferred first check that main() schedules; it re-posts
itself, so its next turn comes after the check. There it lets Qt paint (processEvents), confirms the
findings panel lists the findings, and quits. With $BENCH_DUMP set, it also writes what the window
showed (tab titles, findings texts, chart rows) as JSON, for the floor window to show the same.
"""
from __future__ import annotations

import json
import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

MAX_TURNS = 50


def _window():
    from perfeval_gui.gui.main_window import MainWindow
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))


def _dump(window, path: str) -> None:
    panel = window.findings_panel
    tabs = window.tabs
    data = {"tabs": [tabs.tabText(i) for i in range(tabs.count())],
            "findings": [panel.list.item(i).text() for i in range(panel.list.count())],
            "summary": panel.summary_label.text(),
            "chart": [[b.name, float(b.budget or 0), float(b.actual or 0)]
                      for b in window.overview_widget.chart.data.bars],
            # the rest of what is on screen, for the floor to build the same widgets (issue 21)
            "menus": [[m.text(), [a.text() for a in m.menu().actions()]] for m in window.menuBar().actions()],
            "toolbar": [[a.text(), not a.icon().isNull()] if not a.isSeparator() else None
                        for a in window.toolbar.actions()] if window.toolbar.isVisible() else [],
            "tab_style": window.tabs.styleSheet() or window.tabs.tabBar().styleSheet(),
            "welcome": ([strip.label.text()] + [b.text() for b in (strip.new_button, strip.open_button,
                                                                  strip.import_button)]
                        if (strip := getattr(window, "welcome_strip", None)) is not None and strip.isVisible()
                        else [])}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)


def main() -> int:
    app = QApplication(sys.argv[:1])            # main() reuses it (QApplication.instance())
    turns = [0]

    def turn():
        turns[0] += 1
        if turns[0] > 1:
            app.processEvents()                 # paint what the check changed
            window = _window()
            if window.findings_panel.list.count() > 0:
                if os.environ.get("BENCH_DUMP"):
                    _dump(window, os.environ["BENCH_DUMP"])
                window.shutdown()
                app.quit()
                return
            if turns[0] > MAX_TURNS:
                print("no findings shown", file=sys.stderr)
                app.exit(3)
                return
        QTimer.singleShot(0, turn)

    QTimer.singleShot(0, turn)
    from perfeval_gui.gui.app import main as app_main
    return app_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
