"""Report profiles in the window: 新建报告 with 省份/模板, switching a report's profile (one undo step),
loading a profile file (a broken one gets a message naming the key and line). Imported when first used:
the menu entries and the status bar label are gui/profile_actions.py."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QFormLayout, QLabel,
                               QMessageBox, QVBoxLayout)

from ..core import profiles
from ..core.rule_profile import ProfileError
from .widgets import ChoiceEdit, ok_cancel_buttons


def _provinces(infos: list[profiles.ProfileInfo]) -> list[str]:
    order: list[str] = []
    for info in infos:
        p = info.province or "其他"
        if p not in order:
            order.append(p)
    home = next((i.province for i in infos if i.name == profiles.BASE_PROFILE), "")
    # the base profile's province first, then the others as listed, 全国 and 其他 last
    return sorted(order, key=lambda p: (p != home, p == "全国", p == "其他"))


class NewReportDialog(QDialog):
    """新建报告: choose 省份, then 模板 (profiles of that province, by Chinese name)."""

    def __init__(self, parent=None, current: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("新建报告")
        self.infos = [i for i in profiles.list_profiles() if not i.error]
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.province = QComboBox()
        self.template = QComboBox()
        form.addRow("省份：", self.province)
        form.addRow("模板：", self.template)
        lay.addLayout(form)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.details)
        lay.addWidget(ok_cancel_buttons(self, "新建"))
        for p in _provinces(self.infos):
            self.province.addItem(p, p)
        self.province.currentIndexChanged.connect(self._fill_templates)
        self.template.currentIndexChanged.connect(self._show_details)
        start = next((i for i in self.infos if i.name == current), None)
        if start is not None:
            self.province.setCurrentIndex(self.province.findData(start.province or "其他"))
        self._fill_templates()
        if start is not None:
            self.template.setCurrentIndex(max(0, self.template.findData(start.name)))
        self.resize(560, 300)

    def _fill_templates(self) -> None:
        province = self.province.currentData()
        self.template.blockSignals(True)
        self.template.clear()
        for info in self.infos:
            if (info.province or "其他") == province:
                self.template.addItem(info.title, info.name)
        self.template.blockSignals(False)
        self._show_details()

    def _show_details(self) -> None:
        name = self.chosen()
        if not name:
            self.details.setText("")
            return
        profile = profiles.resolve(name)
        info = next(i for i in self.infos if i.name == name)
        docs = (profile.get("package.documents") or [])
        lines = [f"报告格式：{info.outline_name}", f"依据：{profile.get('basis') or '—'}"]
        if docs:
            lines.append("报送材料：" + "；".join(docs))
        forms = profile.get("forms.include")
        if forms:
            from ..core.fields import FORMS
            lines.append("随报告填写的表格：" + "、".join(FORMS.label(f) for f in forms))
        lines.append(f"配置名：{name}")
        self.details.setText("\n".join(lines))

    def chosen(self) -> str:
        return self.template.currentData() or ""


def choose_profile(parent, current: str = "") -> str | None:
    dialog = NewReportDialog(parent, current)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


def new_report_with_profile(window, name: str | None = None) -> bool:
    """新建报告 of the chosen profile (asks when ``name`` is None): its outline, and the profile's
    department indicator tree in the scoring table."""
    if name is None:
        name = choose_profile(window, window.doc.report.meta.rule_profile)
        if not name:
            return False
    try:
        report = profiles.new_report(name)
    except (ProfileError, ValueError) as exc:
        QMessageBox.critical(window, "无法新建报告", str(exc))
        return False
    window.doc.replace_report(report, None, False, None)
    window.update_title()
    return True


def switch_text(plan: profiles.SwitchPlan) -> str:
    """What a switch did, in Chinese: moved parts and parts kept with no place."""
    lines = [f"报告已改用“{plan.title}”。所有数字和文字都已保留；撤销（Ctrl+Z）可一步恢复。"]
    if plan.moved:
        lines.append("移到新位置的文字：")
        lines += [f"  {a} → {b}" for a, b in plan.moved]
    kept = [label for path, label in plan.kept if path.startswith("narrative[")]
    if kept:
        lines.append("新格式中没有对应部分、已保留但不会导出的文字（检查结果中列出，可移到合适的部分）：")
        lines += [f"  {label}" for label in kept]
    return "\n".join(lines)


def switch_profile(window, name: str, doc=None, outline_only: bool = False) -> profiles.SwitchPlan | None:
    """Switch the open report to profile ``name`` (or only to the outline ``name``) as ONE undo step;
    tell the officer what moved and what was kept (a non-modal message)."""
    doc = doc if doc is not None else window.doc
    try:
        plan = profiles.plan_outline(doc.report, name) if outline_only else profiles.plan_switch(doc.report, name)
    except (ProfileError, ValueError) as exc:
        QMessageBox.critical(window, "无法切换模板", str(exc))
        return None
    if not plan.changes:
        return plan
    doc.apply_changes(plan.changes, f"切换{'报告格式' if outline_only else '模板'}为“{plan.title}”")
    box = QMessageBox(QMessageBox.Icon.Information, "已切换模板", switch_text(plan), QMessageBox.StandardButton.Ok,
                      window)
    box.setModal(False)
    box.show()
    window.last_switch_message = box
    return plan


def ask_switch_profile(window) -> None:
    name = choose_profile(window, window.doc.report.meta.rule_profile)
    if name:
        switch_profile(window, name)


def load_profile_file(window, path: str | None = None) -> str | None:
    """载入模板文件…: validate a .toml profile, keep it in the user's profile folder, switch to it.
    A broken file: a message naming the key and line; the report is not touched."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "载入模板文件", "", "报告模板配置 (*.toml)")
        if not path:
            return None
    try:
        profile = profiles.install_profile(path)
    except ProfileError as exc:
        box = QMessageBox(QMessageBox.Icon.Critical, "模板文件有错误", str(exc), QMessageBox.StandardButton.Ok, window)
        box.setModal(False)
        box.show()
        window.last_profile_error = box
        return None
    switch_profile(window, profile.name)
    return profile.name


class ProfileChoice(ChoiceEdit):
    """The 模板（省份） field (meta.rule_profile): choosing another profile switches the report (outline too) as one
    undo step, like 文件 → 切换报告模板."""

    def _on_index(self, index: int) -> None:
        if self._updating or index < 0:
            return
        name = self.itemData(index)
        if name == self.value():
            return
        self.doc.break_merge()
        window = self.window()
        switch_profile(window, name, self.doc, outline_only=self.outline_only)
        self.refresh()

    outline_only = False


class OutlineChoice(ProfileChoice):
    """The 报告格式 field (meta.template): only the outline changes, the text moves with it (one undo step)."""
    outline_only = True


def profile_choices() -> list[tuple[str, str]]:
    """(profile name, Chinese name) of every usable profile."""
    return [(i.name, i.title) for i in profiles.list_profiles() if not i.error] or [("hunan-default", "hunan-default")]
