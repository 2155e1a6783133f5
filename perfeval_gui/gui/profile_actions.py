"""The window's report-profile entries: 文件 → 切换报告模板（省份）… / 载入模板文件…, and the report's
profile by its Chinese name in the status bar. The dialogs behind the entries (gui/profile_dialog.py) are
imported when an entry is chosen, not at start-up."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel

from ..core import profiles


def _ask_switch_profile(window) -> None:
    from .profile_dialog import ask_switch_profile
    ask_switch_profile(window)


def _load_profile_file(window) -> None:
    from .profile_dialog import load_profile_file
    load_profile_file(window)


def install_profile_actions(window) -> None:
    """文件 menu: 切换报告模板（省份）… and 载入模板文件…"""
    menu = window.file_menu
    window.switch_profile_action = window._action("切换报告模板（省份）…", lambda: _ask_switch_profile(window))
    window.load_profile_action = window._action("载入模板文件…", lambda: _load_profile_file(window))
    before = window.import_action
    menu.insertAction(before, window.switch_profile_action)
    menu.insertAction(before, window.load_profile_action)
    menu.insertSeparator(before)
    # the report's profile by its Chinese name, in the status bar
    window.profile_label = QLabel()
    window.statusBar().addPermanentWidget(window.profile_label)

    def show(paths=("*",)) -> None:
        if "*" in paths or any(p in ("meta.rule_profile", "meta.template") for p in paths):
            name = window.doc.report.meta.rule_profile
            try:
                window.profile_label.setText(f"模板：{profiles.profile_label(name)}")
                window.profile_label.setToolTip(f"配置名：{name}；报告格式：{window.doc.report.meta.template}")
            except RuntimeError:        # the window is gone (its document may outlive it)
                pass
    window.doc.changed.connect(show)
    show()
