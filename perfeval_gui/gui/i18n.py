"""Qt's own texts in Chinese: file dialogs, standard buttons (保存/不保存/取消, 是/否, 确定),
"显示细节…", the overwrite prompt and the right-click menu of text fields come from Qt's
``qtbase_zh_CN.qm``, which ships with PySide6 (and is bundled by installer/perfeval.spec)."""
from __future__ import annotations

from pathlib import Path

LOCALE = "zh_CN"
_translators: list = []      # kept alive: Qt does not own an installed translator


def translation_dirs() -> list[Path]:
    from PySide6.QtCore import QLibraryInfo
    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    try:
        import PySide6
        dirs.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    except (ImportError, TypeError):  # pragma: no cover
        pass
    return dirs


def install_qt_translations(app=None) -> bool:
    """Load qtbase_zh_CN (once per process) and set the Chinese locale; True when loaded."""
    from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
    app = app or QCoreApplication.instance()
    if app is None:
        return False
    if _translators:
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    for folder in translation_dirs():
        translator = QTranslator(app)
        if translator.load(f"qtbase_{LOCALE}", str(folder)):
            app.installTranslator(translator)
            _translators.append(translator)
            return True
    return False
