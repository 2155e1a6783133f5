"""帮助 → 使用说明 (docs/user-guide.md in a QTextBrowser) and 帮助 → 关于.

Where the guide is found (:func:`guide_path`), first match wins:
  1. ``resources/docs/user-guide.md``  (optional copy inside resources/)
  2. ``<resources>/../docs/user-guide.md`` — the checkout's docs/ folder; in a frozen bundle
     ``sys._MEIPASS/docs`` (the PyInstaller spec must ship ``docs/user-guide.md`` and
     ``docs/images/`` as ``docs/``).
Images in the guide are relative (``images/xxx.png``) and resolved against the guide's folder.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout

from .. import APP_NAME, __version__
from ..resources import resource_path, resources_dir
from .screen import fit_to_screen

GUIDE = "user-guide.md"


def guide_path() -> Path | None:
    for candidate in (resource_path("docs", GUIDE), resources_dir().parent / "docs" / GUIDE):
        if candidate.is_file():
            return candidate
    return None


IMAGE_WIDTH = 820    # screenshots are 1400 px wide: shown smoothly scaled to the page


class GuideBrowser(QTextBrowser):
    """Loads the guide's images from its folder, scaled down with smooth filtering."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(".")

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802
        if kind == int(QTextDocument.ResourceType.ImageResource.value) and url.scheme() in ("", "file"):
            image = QImage(url.toLocalFile() if url.isLocalFile() else str(self.folder / url.path()))
            if not image.isNull():
                if image.width() > IMAGE_WIDTH:
                    image = image.scaledToWidth(IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)
                return image
        return super().loadResource(kind, url)


class HelpWindow(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"使用说明 — {APP_NAME}")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        fit_to_screen(self, 900, 760)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 8)
        self.browser = GuideBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.document().setDocumentMargin(24)
        lay.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.close)
        lay.addWidget(buttons)
        self.load()

    def load(self) -> None:
        path = guide_path()
        if path is None:
            self.browser.setPlainText("找不到使用说明文件（docs/user-guide.md）。请联系信息技术人员重新安装程序。")
            return
        self.browser.folder = path.parent
        folder = str(path.parent)
        self.browser.setSearchPaths([folder])
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(folder + "/"))
        self.browser.setMarkdown(path.read_text(encoding="utf-8"))

def show_help(window) -> HelpWindow:
    """Show (or raise) the non-modal help window of ``window``."""
    existing = getattr(window, "help_window", None)
    if existing is None:
        existing = HelpWindow(window)
        window.help_window = existing
    existing.show()
    existing.raise_()
    existing.activateWindow()
    return existing


def about_text() -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    return (f"<h3>{APP_NAME}</h3>"
            f"<p>版本 {__version__}</p>"
            "<p>编写并检查部门整体支出绩效自评报告，导出 Word 文档。</p>"
            f"<p style='color:#666'>Qt {qVersion()}，PySide6 {pyside_version}<br>"
            "本程序依据 MIT 许可证发布；所用 Qt 和 PySide6 依据 GNU LGPL v3 许可发布。</p>")


def show_about(window) -> None:
    QMessageBox.about(window, f"关于{APP_NAME}", about_text())
