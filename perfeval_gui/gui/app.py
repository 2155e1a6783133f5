"""Entry point: ``perfeval-gui [FILE]``, ``--screenshot OUT.png [--tab N] [FILE]``, ``--self-check``."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HOUSEKEEPING_MS = 1000     # start-up chores the first findings need not wait for
FONT_CANDIDATES_WINDOWS = ("Microsoft YaHei", "Microsoft YaHei UI", "SimHei")
FONT_CANDIDATES_OTHER = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC",
                         "Noto Sans SC", "Droid Sans Fallback")


def _parse_args(argv: list[str]) -> argparse.Namespace:
    if len(argv) <= 1 and not any(a.startswith("-") for a in argv):
        # a double-click, or a file opened with the program: nothing for a parser to do, and building one
        # costs 3 ms of start-up (argparse's help formatter imports shutil); tests compare the two
        return argparse.Namespace(file=argv[0] if argv else None, screenshot=None, tab=None,
                                  self_check=False, quit_after_show=False)
    return _parser().parse_args(argv)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="perfeval-gui", description="绩效自评报告助手")
    parser.add_argument("file", nargs="?", help="要打开的 .pefx 项目文件")
    parser.add_argument("--screenshot", metavar="OUT.png", help="把窗口截图保存为 PNG 后退出")
    parser.add_argument("--tab", type=int, default=None, help="截图时显示第 N 个标签页（从 0 起）")
    parser.add_argument("--self-check", action="store_true", help="运行自检后退出")
    parser.add_argument("--quit-after-show", action="store_true", help=argparse.SUPPRESS)  # bench/run.py
    return parser


def choose_font_family(families: list[str]) -> str | None:
    candidates = FONT_CANDIDATES_WINDOWS if sys.platform.startswith("win") else FONT_CANDIDATES_OTHER
    present = set(families)
    return next((f for f in candidates if f in present), None)


def _setup_font(app) -> None:
    """A CJK family when needed, at the desktop's size plus the officer's 字号 step."""
    from PySide6.QtGui import QFontDatabase

    from .fontsize import apply_font_step, desktop_point_size
    desktop_point_size(app)
    family = choose_font_family(QFontDatabase.families())
    apply_font_step(app, family=family)


def setup_logging() -> None:
    """Unexpected errors (a rule that fails, a save that fails) go to paths.log_path()."""
    import logging

    from .paths import log_path
    logger = logging.getLogger("perfeval")
    if any(isinstance(h, logging.FileHandler) for h in logger.handlers):
        return
    try:
        handler = logging.FileHandler(log_path(), encoding="utf-8", errors="backslashreplace")
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def initial_document(file: str | None):
    """Which report to open: FILE, else the last project, else (first run) the built-in sample."""
    from ..core.model import Report
    from ..io.project_file import ProjectFileError, load_project, read_project
    from ..resources import sample_path
    from .document import ReportDocument
    from .paths import settings

    def document(report, path=None, is_sample=False, data: bytes | None = None) -> ReportDocument:
        # the first full check runs once the window is on screen (main → run_deferred_check)
        doc = ReportDocument(report, path, is_sample=is_sample, defer_check=True)
        if data is not None and not is_sample:
            doc.fingerprint_from(data)           # of the bytes just read, not of a second read
        return doc

    error = ""
    if file:
        path = Path(file)
        try:
            report, data = read_project(path)
            return document(report, path, data=data), "", path
        except ProjectFileError as exc:
            return document(Report()), str(exc), None
    s = settings()
    last = s.value("last_project", "")
    if last and Path(last).exists():
        try:
            report, data = read_project(last)
            return document(report, Path(last), data=data), "", Path(last)
        except ProjectFileError as exc:
            error = str(exc)
    if not s.value("first_run_done", False, type=bool):
        s.setValue("first_run_done", True)
        s.sync()
        sample = sample_path("liuyang-2021.pefx")
        if sample.exists():
            try:
                return document(load_project(sample), sample, is_sample=True), error, None
            except ProjectFileError:
                pass
    return document(Report()), error, None


def recovery_summary(info: dict, report) -> str:
    """What restoring will bring back: when it was saved and which sections differ from the file."""
    from ..io.project_file import ProjectFileError, load_project
    from .autosave import changed_sections

    original = info.get("original")
    name = Path(original).name if original else "未命名报告"
    when = str(info.get("saved_at", "")).replace("T", " ")
    before = None
    if original and Path(original).exists():
        try:
            before = load_project(original)
        except ProjectFileError:
            before = None
    title = report.meta.unit_name or "（未填写单位名称）"
    year = f"{report.meta.fiscal_year} 年度" if report.meta.fiscal_year else ""
    lines = [f"上次程序没有正常关闭。发现“{name}”在 {when} 自动保存的内容：",
             f"    {title} {year}".rstrip()]
    sections = changed_sections(before, report)
    if sections:
        head = "与已保存的文件相比，改动了：" if before is not None else "其中已填写："
        lines.append(head)
        lines += [f"    {title_}（{n} 处）" for title_, n in sections[:10]]
        if len(sections) > 10:
            lines.append(f"    ……等 {len(sections)} 个部分")
    elif before is not None:
        lines.append("与已保存的文件相比没有不同。")
    lines.append("")
    lines.append("是否恢复？选择“否”将删除这份自动保存的内容。")
    return "\n".join(lines)


def offer_recovery(window) -> bool:
    """If an autosave copy exists, show what it holds and offer to restore it; restored → the
    document is dirty."""
    from ..io.project_file import ProjectFileError, fingerprint
    from .autosave import find_recoveries, load_recovery, remove_recovery

    recoveries = find_recoveries()
    if not recoveries:
        return False
    from PySide6.QtWidgets import QMessageBox

    for info in recoveries:
        original = info.get("original")
        try:
            report = load_recovery(info)
        except ProjectFileError as exc:
            QMessageBox.critical(window, "无法恢复", str(exc))
            continue
        answer = QMessageBox.question(
            window, "恢复未保存的修改", recovery_summary(info, report),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            remove_recovery(info)
            continue
        path = Path(original) if original else None
        window.doc.replace_report(report, path, bool(info.get("is_sample")) and path is None,
                                  fingerprint(path) if path else None)
        window.doc.mark_dirty()
        window.update_title()
        return True
    return False


def skip_pyside_source_scan() -> None:
    """Spare PySide reading the source of each of our modules as it is imported.

    Once imported, PySide 6 reads the whole source of every module imported after it to see whether
    it mentions "PySide6" — for its optional ``from __feature__ import …`` switches, which this program
    does not use —: about 0.15 ms a module, 5 ms of start-up for ours. Our module names are entered in
    its table beforehand with the answer the scan would give (GUI modules use PySide: 0, "no switch";
    the rest: -1, "not concerned"). Nothing is done if that table is not where PySide 6.9 keeps it."""
    table = getattr(sys.modules.get("shibokensupport.feature"), "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return
    root = Path(__file__).resolve().parent.parent
    table.setdefault(root.name, -1)

    def walk(folder: str, package: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    name = package if entry.name == "__init__.py" else f"{package}.{entry.name[:-3]}"
                    table.setdefault(name, 0 if name.startswith(f"{root.name}.gui") else -1)
                elif entry.is_dir() and not entry.name.startswith(("_", ".")):
                    walk(entry.path, f"{package}.{entry.name}")

    walk(str(root), root.name)


def main(argv: list[str] | None = None) -> int:
    from . import memory
    memory.pause_for_startup()         # no cyclic collection until the first findings are shown
    try:
        return _main(argv)
    finally:
        memory.end_of_startup()        # when start-up ended another way (--screenshot, an error)


def _main(argv: list[str] | None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_check:
        try:
            from .self_check import run
        except ImportError:
            print("自检功能尚未安装（perfeval_gui.gui.self_check 缺失）。", file=sys.stderr)
            return 1
        return int(run() or 0)
    if args.screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    skip_pyside_source_scan()
    from .. import APP_NAME
    from .main_window import MainWindow

    QCoreApplication.setOrganizationName("perfeval_gui")
    QCoreApplication.setApplicationName("perfeval_gui")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationDisplayName(APP_NAME)
    _setup_font(app)
    setup_logging()
    doc, error, _path = initial_document(args.file)
    if args.screenshot and error and args.file:     # never a picture of a blank report instead
        print(error, file=sys.stderr)
        return 2
    window = MainWindow(doc)
    if args.screenshot:
        doc.run_deferred_check()
        return _screenshot(app, window, Path(args.screenshot), args.tab)
    window.show()
    from PySide6.QtCore import QTimer
    if args.quit_after_show:  # start-up benchmark: window shown, one event-loop turn, quit
        QTimer.singleShot(0, app.quit)
        code = app.exec()
        window.shutdown()
        return int(code)
    # findings fill in on the first event-loop turn after the window is on screen
    QTimer.singleShot(0, doc.run_deferred_check)
    if _path is not None:       # once the officer sees the report
        QTimer.singleShot(HOUSEKEEPING_MS, lambda: _housekeeping(doc, _path))
    from . import memory
    QTimer.singleShot(0, memory.end_of_startup)    # after the first check (zero-timers run in order)
    if error:
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.warning(window, "无法打开", error)
    offer_recovery(window)
    code = app.exec()
    return int(code)


def _housekeeping(doc, path: Path) -> None:
    """Start-up chores the first findings need not wait for: remove the temp files a killed earlier save left
    beside the report; compute its fingerprint from the bytes read (and let them go)."""
    from ..io.atomic import remove_stale_temps
    remove_stale_temps(path)
    doc.fingerprint


def _screenshot(app, window, out: Path, tab: int | None) -> int:
    window.resize(1400, 900)
    window.show()
    if tab is not None and 0 <= tab < window.tabs.count():
        window.tabs.setCurrentIndex(tab)
    for _ in range(3):
        app.processEvents()
    pixmap = window.grab()
    ok = pixmap.save(str(out), "PNG")
    window.shutdown()
    window.close()
    if not ok:
        print(f"无法保存截图：{out}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
