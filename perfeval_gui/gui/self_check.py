"""``perfeval-gui --self-check``: prove that an installed (frozen) or source copy works end to end.

Steps: open the built-in sample, run every rule, build the main window offscreen, export a .docx to a
temporary folder, read it back, compare the figures, and report what the Chinese input method and the
platform plugins need. Prints a short table; returns 0 when every required step passed, else 1.
Works from a checkout and from a PyInstaller bundle (resources via ``sys._MEIPASS``).
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from collections.abc import Callable

PASS, FAIL, INFO = "通过", "失败", "提示"
# Report sections whose figures must survive the Word round trip unchanged.
FIGURE_KEYS = ("income", "expenditure", "projects", "three_public", "assets", "procurement", "scoring",
               "prior_year", "final_accounts")


class _Results:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def add(self, status: str, name: str, detail: str = "") -> None:
        self.rows.append((status, name, detail))

    def step(self, name: str, func: Callable[[], str]) -> object:
        """Run one required step; an exception is a failure with its message (and the traceback when
        PERFEVAL_DEBUG is set)."""
        start = time.perf_counter()
        try:
            detail = func()
        except Exception as exc:  # noqa: BLE001 — a self-check reports, never crashes
            msg = f"{type(exc).__name__}: {exc}"
            if os.environ.get("PERFEVAL_DEBUG"):
                msg += "\n" + traceback.format_exc()
            self.add(FAIL, name, msg)
            return False
        self.add(PASS, name, f"{detail}（{(time.perf_counter() - start) * 1000:.0f} ms）".lstrip())
        return True

    @property
    def failed(self) -> bool:
        return any(status == FAIL for status, _n, _d in self.rows)

    def print(self) -> None:
        width = max((_display_width(n) for _s, n, _d in self.rows), default=0)
        for status, name, detail in self.rows:
            pad = " " * (width - _display_width(name))
            print(f"[{status}] {name}{pad}  {detail}")


def _display_width(text: str) -> int:
    """Terminal columns: East-Asian wide characters take two."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _diff_paths(a, b, prefix: str = "") -> list[str]:
    """Field paths where two report_to_data() trees differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b), key=str):
            out += _diff_paths(a.get(key), b.get(key), f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{prefix}（{len(a)} 项 ≠ {len(b)} 项）"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += _diff_paths(x, y, f"{prefix}[{i}]")
        return out
    return [] if a == b else [prefix]


def plugin_dir() -> Path:
    from PySide6.QtCore import QLibraryInfo
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))


def input_context_plugins() -> list[str]:
    folder = plugin_dir() / "platforminputcontexts"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.suffix in (".so", ".dll", ".dylib"))


def _try_load(path: Path) -> str:
    """Load a Qt plugin library (resolves its shared-library dependencies) without instantiating it."""
    from PySide6.QtCore import QPluginLoader
    loader = QPluginLoader(str(path))
    if loader.load():
        loader.unload()
        return ""
    return loader.errorString()


def run() -> int:
    results = _Results()
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QFontDatabase, QGuiApplication
    from PySide6.QtWidgets import QApplication

    from .. import __version__
    from ..resources import resources_dir, sample_path

    QCoreApplication.setOrganizationName("perfeval_gui")
    QCoreApplication.setApplicationName("perfeval_gui")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    frozen = bool(getattr(sys, "frozen", False))
    results.add(INFO, "版本", f"{__version__}（{'安装包' if frozen else '源代码'}，Python {sys.version.split()[0]}，"
                f"Qt 平台 {QGuiApplication.platformName()}）")
    results.add(INFO, "资源目录", str(resources_dir()))

    state: dict = {}

    def load() -> str:
        from ..io.project_file import load_project
        state["report"] = load_project(sample_path("liuyang-2021.pefx"))
        return "示例 liuyang-2021.pefx"
    results.step("打开内置示例", load)

    if "report" in state:
        def check() -> str:
            from ..core.engine import Checker
            checker = Checker(state["report"])
            findings = checker.check_all()
            return f"{len(findings)} 条检查结果：{checker.summary().text}"
        results.step("运行审核规则", check)

        def window() -> str:
            try:
                from .document import ReportDocument
                from .main_window import MainWindow
            except ImportError as exc:
                raise RuntimeError(f"主窗口模块缺失（{exc}）") from exc
            doc = ReportDocument(state["report"].clone(), sample_path("liuyang-2021.pefx"), is_sample=True)
            win = MainWindow(doc)
            win.show()
            for _ in range(3):
                app.processEvents()
            tabs = win.tabs.count()
            if hasattr(win, "shutdown"):
                win.shutdown()
            win.close()
            win.deleteLater()
            app.processEvents()
            if tabs == 0:
                raise RuntimeError("主窗口没有任何标签页")
            return f"{tabs} 个标签页"
        results.step("创建主窗口（离屏）", window)

        def guide() -> str:
            from .help import guide_path
            found = guide_path()
            if found is None:
                raise RuntimeError("找不到使用说明 docs/user-guide.md")
            images = [p for p in (found.parent / "images").glob("*.png")]
            return f"{found.name}，{len(images)} 张截图"
        results.step("使用说明", guide)

        with tempfile.TemporaryDirectory(prefix="perfeval-selfcheck-") as tmp:
            out = Path(tmp) / "自检.docx"

            def export() -> str:
                from ..io.docx_export import export_docx
                export_docx(state["report"], out)
                return f"{out.stat().st_size // 1024} KB"
            exported = results.step("导出 Word (.docx)", export)

            if exported:
                def reimport() -> str:
                    from ..io.docx_import import import_docx
                    back = import_docx(out)
                    report = getattr(back, "report", back)   # a result object or the Report itself
                    from ..core.serialize import report_to_data
                    a, b = report_to_data(state["report"]), report_to_data(report)
                    diffs = [p for key in FIGURE_KEYS for p in _diff_paths(a.get(key), b.get(key), key)]
                    if diffs:
                        shown = "、".join(diffs[:5]) + ("…" if len(diffs) > 5 else "")
                        raise RuntimeError(f"{len(diffs)} 处数字读回后不一致：{shown}")
                    return "读回的数字与原文件一致"
                results.step("读回 Word 并核对数字", reimport)

    # Fonts: without a CJK font every Chinese character is a box.
    cjk = [f for f in QFontDatabase.families()
           if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(f)]
    if cjk:
        results.add(PASS, "中文字体", f"{len(cjk)} 个，如 {cjk[0]}")
    else:
        results.add(FAIL, "中文字体", "未找到中文字体，界面会显示方框：请安装 fonts-noto-cjk 或 fonts-wqy-microhei")

    # Chinese input: which platform input-context plugins this Qt can load.
    plugins = input_context_plugins()
    results.add(INFO, "输入法插件", "、".join(plugins) or "（无）")
    results.add(INFO, "输入法环境", f"QT_IM_MODULE={os.environ.get('QT_IM_MODULE', '')!s} "
                f"XMODIFIERS={os.environ.get('XMODIFIERS', '')!s} "
                f"inputMethod={'有' if QGuiApplication.inputMethod() is not None else '无'}")
    if sys.platform.startswith("linux"):
        ibus = plugin_dir() / "platforminputcontexts" / "libibusplatforminputcontextplugin.so"
        if not ibus.exists():
            results.add(FAIL, "中文输入（ibus 接口）", f"缺少 {ibus.name}：无法输入中文")
        else:
            err = _try_load(ibus)
            results.add(FAIL if err else PASS, "中文输入（ibus 接口）",
                        err or "可加载；fcitx5 通过其 ibus 兼容接口使用（QT_IM_MODULE=ibus）")
        if any("fcitx" in p for p in plugins):
            results.add(INFO, "中文输入（fcitx 插件）", "已包含")
        xcb = plugin_dir() / "platforms" / "libqxcb.so"
        if xcb.exists():
            err = _try_load(xcb)
            results.add(FAIL if err else PASS, "桌面显示插件 xcb",
                        err or "可加载（所需 libxcb 库齐全）")
        else:
            results.add(FAIL, "桌面显示插件 xcb", "缺少 libqxcb.so")

    results.print()
    if results.failed:
        print("自检失败：见上面标为“失败”的项目。")
        return 1
    print("自检通过。")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(run())
