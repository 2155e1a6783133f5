"""Qt back-end of the block list (:mod:`perfeval_gui.io.layout`) — in gui/ because io/ stays free of Qt: PDF without an office suite, and
the pages of the print preview.

The blocks become a QTextDocument laid out on the 版心 (156 × 225 mm) with the Word export's
metrics: 16 pt body text condensed by 0.25 pt (28 characters a line), a fixed 28.95 pt line
(22 lines a page), first-line indent of two characters, tables with fixed column widths and a
repeated header row. Pages are painted one by one: the 版心 slice of the document, the page
number "— N —" 7 mm below the 版心 (odd pages right, even pages left) and, for a report with
errors, the draft mark at the top. Uses QtGui only (no widgets); safe in a worker thread.
"""
from __future__ import annotations

import os
from pathlib import Path
from collections.abc import Callable

from ..core import regex
from ..io import docx_style as S
from ..io.layout import Heading, Layout, PageBreak, Para, Table, Title

Progress = Callable[[int, int], None]
TW_PER_PT = 20
MM = 72 / 25.4


class Cancelled(Exception):
    pass


def ensure_gui_app():
    """QFont needs an application object; the CLI has none (offscreen when there is no display).
    A QApplication, not a QGuiApplication: a window opened later in the same process needs one."""
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    if app is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and os.name != "nt":
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([])
    return app


def _families(name: str) -> list[str]:
    return [name] + S.FONT_FALLBACKS.get(name, [])


LAYOUT_DPI = 96.0
LATIN_PAIR = 0x100100            # QTextFormat user property: the format is the Latin variant
_ASCII_RUNS = regex.compile("([\x00-\x7f]+)")


class QtPages:
    """The laid-out document in 96-dpi units (QTextDocument's own; a paint device of another
    resolution would scale fixed line heights twice); ``paint(painter, i)`` draws page i with the
    painter's origin at the paper's top-left corner, scaled to 96 dpi by the caller."""

    def __init__(self, layout: Layout, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None):
        from PySide6.QtCore import QSizeF
        from PySide6.QtGui import QTextDocument

        self.layout = layout
        self.dpi = LAYOUT_DPI
        self.px = self.dpi / 72.0                # layout units per point
        self._latin_cache: dict = {}
        self.doc = QTextDocument()
        self.doc.setUseDesignMetrics(True)       # unhinted advances: 28 characters are 28 × 15.75 pt
        self.doc.setDocumentMargin(0)
        self.doc.setUndoRedoEnabled(False)
        self.text_w = S.TEXT_WIDTH / TW_PER_PT * self.px
        self.text_h = S.TEXT_HEIGHT / TW_PER_PT * self.px
        self.doc.setPageSize(QSizeF(self.text_w, self.text_h))
        self._keeps: list = []          # (block that starts the group, table frame or None)
        self._headings: list = []       # (level, text, block) for the PDF outline
        self._build(progress, cancelled)
        self._keep_together()

    # ------------------------------------------------------------ formats
    def _font(self, family: str, size_half_points: float, bold: bool = False, spacing_tw: int = 0,
              latin: bool = False):
        from PySide6.QtGui import QFont
        f = QFont()
        # as Word with the eastAsia hint: ASCII in Times New Roman, everything else (quotes
        # included) in the Chinese font; _insert() splits the text into such runs
        f.setFamilies(_families(S.FONT_LATIN) + _families(family) if latin else
                      _families(family) + _families(S.FONT_LATIN))
        f.setPointSizeF(size_half_points / 2)
        f.setBold(bold)
        if spacing_tw:
            f.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, spacing_tw / TW_PER_PT * self.px)
        f.setKerning(False)
        return f

    def _char_format(self, family, size, bold=False, spacing=0, color=None, latin=False):
        from PySide6.QtGui import QColor, QTextCharFormat
        cf = QTextCharFormat()
        cf.setFont(self._font(family, size, bold, spacing, latin))
        if color:
            cf.setForeground(QColor("#" + color))
        cf.setProperty(LATIN_PAIR, latin)
        return cf

    def _latin_of(self, cf):
        key = (cf.font().families()[0], cf.font().pointSizeF(), cf.font().bold(), cf.font().letterSpacing())
        cached = self._latin_cache.get(key)
        if cached is None:
            from PySide6.QtGui import QFont
            cached = type(cf)(cf)
            f = QFont(cf.font())
            fams = cf.font().families()
            latin = _families(S.FONT_LATIN)
            f.setFamilies(latin + [x for x in fams if x not in latin])
            cached.setFont(f)
            self._latin_cache[key] = cached
        return cached

    def _insert(self, cur, text: str, cf) -> None:
        """Text in runs: ASCII in the Latin font, the rest in the Chinese one."""
        for run in _ASCII_RUNS.split(text):
            if run:
                cur.insertText(run, self._latin_of(cf) if run[0] < "\u0080" else cf)

    def _block_format(self, *, align="both", indent_chars=0.0, line_tw=S.LINE_PITCH, right_tw=0, left_tw=0,
                      break_before=False, before_tw=0):
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QTextBlockFormat, QTextFormat
        bf = QTextBlockFormat()
        bf.setAlignment({"both": Qt.AlignmentFlag.AlignJustify, "left": Qt.AlignmentFlag.AlignLeft,
                         "center": Qt.AlignmentFlag.AlignHCenter,
                         "right": Qt.AlignmentFlag.AlignRight}[align])
        bf.setLineHeight(line_tw / TW_PER_PT * self.px, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        bf.setTextIndent(indent_chars * S.CHAR_PITCH_TW / TW_PER_PT * self.px)
        bf.setRightMargin(right_tw / TW_PER_PT * self.px)
        bf.setLeftMargin(left_tw / TW_PER_PT * self.px)
        bf.setTopMargin(before_tw / TW_PER_PT * self.px)
        bf.setBottomMargin(0)
        if break_before:
            bf.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        return bf

    # ------------------------------------------------------------ blocks
    def _build(self, progress, cancelled) -> None:
        from PySide6.QtGui import QTextCursor
        cur = QTextCursor(self.doc)
        first = True
        body_cf = self._char_format(S.FONT_BODY, S.SIZE_BODY, spacing=S.CHAR_SPACING)
        blocks = self.layout.blocks
        every = max(1, len(blocks) // 40)
        for k, block in enumerate(blocks, 1):
            if cancelled is not None and cancelled():
                raise Cancelled
            if progress is not None and k % every == 0:
                progress(k, len(blocks) + 1)
            if isinstance(block, Table):
                anchor = cur.block() if not first else None     # the "…详见表N。" sentence
                frame = self._table(cur, block, first)
                if anchor is not None:
                    self._keeps.append((anchor, frame))
                first = False
                continue
            if isinstance(block, Title):
                bf = self._block_format(align="center", indent_chars=0, line_tw=S.LINE_PITCH)
                cf = self._char_format(S.FONT_TITLE, S.SIZE_TITLE)
                block = Para("\u2028".join(block.lines or [block.text]))
            elif isinstance(block, Heading):
                level = max(1, min(block.level, 4))
                bf = self._block_format(align="left" if not block.numbered else "both",
                                        indent_chars=2 if block.numbered else 0, break_before=block.page_break_before,
                                        before_tw=S.LINE_PITCH // 2 if block.space_before else 0)
                cf = self._char_format(S.HEADING_FONTS[level], S.SIZE_BODY, S.HEADING_BOLD[level], S.CHAR_SPACING)
            elif isinstance(block, Para):
                cf = body_cf
                if block.kind == "body":
                    bf = self._block_format(indent_chars=2, before_tw=S.LINE_PITCH // 2 if block.space_before else 0)
                elif block.kind == "reference":
                    bf = self._block_format(indent_chars=2, before_tw=S.LINE_PITCH // 2)
                elif block.kind == "signature":
                    bf = self._block_format(align="right", right_tw=int(block.right_chars * S.CHAR_PITCH_TW))
                else:
                    bf = self._block_format(align="left" if block.align == "both" else block.align)
            elif isinstance(block, PageBreak):
                bf = self._block_format(break_before=True)
                cf = body_cf
                block = Para("")
            else:
                continue
            if first:
                cur.setBlockFormat(bf)
                cur.setBlockCharFormat(cf)
                first = False
            else:
                cur.insertBlock(bf, cf)
            if isinstance(self.layout.blocks[k - 1], Heading) or getattr(block, "keep_next", False):
                self._keeps.append((cur.block(), None))
            if isinstance(self.layout.blocks[k - 1], Heading):
                self._headings.append((self.layout.blocks[k - 1].level, block.text, cur.block()))
            self._insert(cur, block.text, cf)

    def _table(self, cur, t: Table, first: bool) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QTextCharFormat, QTextFrameFormat, QTextLength, QTextTableFormat, QBrush, QColor
        caption_cf = self._char_format(S.FONT_BODY, S.SIZE_BODY, spacing=S.CHAR_SPACING)
        bf = self._block_format(align="center")
        if first:
            cur.setBlockFormat(bf)
        else:
            cur.insertBlock(bf, caption_cf)
        self._insert(cur, f"表{t.number}\u3000{t.title}", caption_cf)
        if t.unit:
            inset = max((S.TEXT_WIDTH - t.width) // 2, 0)
            cur.insertBlock(self._block_format(align="right", line_tw=360, right_tw=inset),
                            self._char_format(S.FONT_TABLE, S.SIZE_TABLE))
            cur.insertText(t.unit, self._char_format(S.FONT_TABLE, S.SIZE_TABLE))
        rows = [t.header] + t.rows
        tf = QTextTableFormat()
        tf.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        tf.setBorder(0.5 * self.px)
        tf.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        tf.setBorderBrush(QBrush(QColor("black")))
        tf.setBorderCollapse(True)       # cell borders below: single 0.5 pt lines
        tf.setCellSpacing(0)
        tf.setCellPadding(0)
        tf.setHeaderRowCount(1)
        tf.setTopMargin(0)
        tf.setBottomMargin(0)
        tf.setColumnWidthConstraints([QTextLength(QTextLength.Type.FixedLength, w / TW_PER_PT * self.px)
                                      for w in t.widths])
        table = cur.insertTable(len(rows), len(t.widths), tf)
        pad_lr = S.CELL_MARGIN_LR / TW_PER_PT * self.px
        pad_tb = S.CELL_MARGIN_TB / TW_PER_PT * self.px
        cell_cf = self._char_format(S.FONT_TABLE, t.font_size)
        cell_line = S.TABLE_LINE if t.font_size == S.SIZE_TABLE else S.TABLE_LINE_SMALL
        merges: dict[int, int] = {}     # column → row where its vertical merge started
        for r, row in enumerate(rows):
            col = 0
            for cell in row:
                qcell = table.cellAt(r, col)
                fmt = qcell.format().toTableCellFormat()
                fmt.setLeftPadding(pad_lr)
                fmt.setRightPadding(pad_lr)
                fmt.setTopPadding(pad_tb)
                fmt.setBottomPadding(pad_tb)
                fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
                fmt.setBorder(0.5 * self.px)
                fmt.setBorderBrush(QBrush(QColor("black")))
                fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
                qcell.setFormat(fmt)
                c = qcell.firstCursorPosition()
                c.setBlockFormat(self._block_format(align=cell.align, line_tw=cell_line))
                if cell.text:
                    self._insert(c, cell.text, cell_cf)
                if cell.span > 1:
                    table.mergeCells(r, col, 1, cell.span)
                if cell.merge == "restart":
                    merges[col] = r
                elif cell.merge == "continue" and col in merges:
                    start = merges[col]
                    table.mergeCells(start, col, r - start + 1, 1)
                col += cell.span
        cur.movePosition(cur.MoveOperation.End)
        return table

    def _keep_together(self) -> None:
        """What the Word writer does with keep-with-next, done on the laid-out pages: a table
        shorter than a page starts on a new page (with its reference sentence and caption) rather
        than split; a heading (or a paragraph kept with the next) never ends a page."""
        from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextFormat
        doc_layout = self.doc.documentLayout()
        h = self.text_h

        def page(y: float) -> int:
            return int((y + 0.5) // h)          # the layout puts a moved block a hair above the break

        def break_before(block) -> None:
            fmt = QTextBlockFormat()
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            QTextCursor(block).mergeBlockFormat(fmt)

        kept = {anchor.blockNumber() for anchor, frame in self._keeps if frame is None}

        def chain_start(block):
            """A heading kept with the block to break before goes along (四、 with its （一）)."""
            prev = block.previous()
            while prev.isValid() and prev.blockNumber() in kept and prev.blockNumber() == block.blockNumber() - 1:
                block, prev = prev, prev.previous()
            return block

        # one pass in document order: a page break only moves what follows it
        for anchor, frame in sorted(self._keeps, key=lambda k: k[0].position()):
            top = doc_layout.blockBoundingRect(anchor).top()
            if frame is not None:
                rect = doc_layout.frameBoundingRect(frame)
                split = rect.bottom() - top < h and page(top) != page(rect.bottom() - 1)
            else:
                nxt = anchor.next()
                if not nxt.isValid():
                    continue
                rect = doc_layout.blockBoundingRect(nxt)
                line = nxt.layout().lineAt(0) if nxt.layout().lineCount() else None
                split = page(top) != page(rect.top() + (line.height() if line is not None else 0) - 1)
            if not split:
                continue
            start = chain_start(anchor)
            start_top = doc_layout.blockBoundingRect(start).top()
            if (start_top + 0.5) % h > 1.0:           # not already at the top of a page
                break_before(start)
        self.page_count = self.doc.pageCount()

    def outline(self) -> list:
        """The headings with their page and position: the PDF's bookmarks."""
        from ..io.pdf_outline import OutlineEntry
        doc_layout = self.doc.documentLayout()
        out = []
        for level, text, block in self._headings:
            y = doc_layout.blockBoundingRect(block).top()
            page = int((y + 0.5) // self.text_h)
            in_page = (y - page * self.text_h) / self.px
            out.append(OutlineEntry(level, text, page, S.MARGIN_TOP / TW_PER_PT + max(in_page, 0)))
        return out

    # ------------------------------------------------------------ pages
    def paint(self, painter, index: int) -> None:
        """Page ``index`` (0-based) with the painter's origin at the paper's corner."""
        from PySide6.QtCore import QPointF, QRectF, Qt
        from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QFontMetricsF, QPalette
        left = S.MARGIN_LEFT / TW_PER_PT * self.px
        top = S.MARGIN_TOP / TW_PER_PT * self.px
        painter.save()
        painter.translate(left, top - index * self.text_h)
        clip = QRectF(0, index * self.text_h, self.text_w, self.text_h)
        painter.setClipRect(clip.adjusted(-self.px * 20, -self.px * 20, self.px * 20, self.px * 20))
        # only the lines of this page: a block running over the page break has lines on the
        # previous page too; they are skipped (a clip alone would leave their text in the PDF)
        page_top, page_bottom = clip.top(), clip.bottom()
        doc_layout = self.doc.documentLayout()
        it = self.doc.rootFrame().begin()
        while not it.atEnd():
            frame = it.currentFrame()
            if frame is not None:
                rect = doc_layout.frameBoundingRect(frame).intersected(clip)
                if rect.height() > 1:
                    ctx = QAbstractTextDocumentLayout.PaintContext()
                    ctx.clip = rect.adjusted(0, 0.5, 0, -0.5)
                    ctx.palette.setColor(QPalette.ColorRole.Text, QColor("black"))
                    doc_layout.draw(painter, ctx)
            else:
                block = it.currentBlock()
                rect = doc_layout.blockBoundingRect(block)
                if block.isValid() and rect.bottom() >= page_top and rect.top() <= page_bottom:
                    tl = block.layout()
                    pos = tl.position()
                    for j in range(tl.lineCount()):
                        line = tl.lineAt(j)
                        mid = pos.y() + line.y() + line.height() / 2
                        if page_top <= mid < page_bottom:
                            line.draw(painter, pos)
            it += 1
        painter.restore()
        # page number: 4号 宋体 "— N —", its line 7 mm below the 版心; odd right, even left (one char in)
        painter.save()
        # fonts in points are resolved at the painter's device resolution: express them in 96-dpi units
        dev_scale = LAYOUT_DPI / max(painter.device().logicalDpiY(), 1)
        number_font = self._font(S.FONT_PAGE, S.SIZE_PAGE * dev_scale)
        painter.setFont(number_font)
        painter.setPen(QColor("black"))
        text = f"— {index + 1} —"
        fm = QFontMetricsF(self._font(S.FONT_PAGE, S.SIZE_PAGE))        # in layout (96-dpi) units
        baseline = top + self.text_h + 7 * MM * self.px + fm.ascent() * 0.5
        width = fm.horizontalAdvance(text)
        one = 14 * self.px
        x = left + self.text_w - one - width if index % 2 == 0 else left + one
        painter.drawText(QPointF(x, baseline), text)
        painter.restore()
        if self.layout.draft_mark:
            painter.save()
            painter.setFont(self._font(S.FONT_H1, S.SIZE_PAGE * LAYOUT_DPI / max(painter.device().logicalDpiY(), 1),
                                       bold=True))
            painter.setPen(QColor("#" + S.DRAFT_COLOR))
            rect = QRectF(left, S.HEADER_DIST / TW_PER_PT * self.px, self.text_w, 20 * self.px)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                             self.layout.draft_mark)
            painter.restore()


def write_pdf(layout: Layout, path: str | Path, *, progress: Progress | None = None,
              cancelled: Callable[[], bool] | None = None) -> int:
    """Render ``layout`` to a PDF file (A4, fonts embedded, title/author set); returns the page
    count. Written to a temporary file and moved into place (the target is never half written)."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    from ..io.atomic import atomic_write

    ensure_gui_app()
    path = Path(path)
    import tempfile
    with tempfile.TemporaryDirectory(prefix="perfeval-qtpdf-") as tmp:
        tmp_pdf = Path(tmp) / "out.pdf"
        writer = QPdfWriter(str(tmp_pdf))
        writer.setResolution(1200)
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(0, 0, 0, 0)))
        writer.setTitle(layout.title)
        from .. import __version__
        writer.setCreator(f"绩效自评报告助手 perfeval_gui {__version__}")
        writer.setAuthor(layout.author)
        pages = QtPages(layout, progress, cancelled)
        painter = QPainter(writer)
        painter.scale(writer.resolution() / LAYOUT_DPI, writer.resolution() / LAYOUT_DPI)
        try:
            for i in range(pages.page_count):
                if cancelled is not None and cancelled():
                    raise Cancelled
                if i:
                    writer.newPage()
                pages.paint(painter, i)
                if progress is not None:
                    progress(len(layout.blocks) + 1, len(layout.blocks) + 1)
        finally:
            painter.end()
        from ..io.pdf_outline import add_outline
        data = add_outline(tmp_pdf.read_bytes(), pages.outline())      # bookmarks from the headings
    atomic_write(path, lambda fh: fh.write(data))
    return pages.page_count


def export_pdf(report, path, *, route: str = "auto", progress: Progress | None = None,
               draft_errors: int | None = None, layout: Layout | None = None, extra_env: dict | None = None):
    """Write ``report`` as a PDF. ``route``: "auto" (LibreOffice when found, else Qt), "office", "qt".
    Returns the ExportResult (warnings, draft errors, ``route`` used). Raises PdfExportError / WriteError."""
    from ..io.docx_export import ExportResult
    from ..io.layout import build_layout
    from ..io.pdf_export import export_pdf_office, find_office
    path = Path(path)
    if layout is None:
        layout = build_layout(report, draft_errors)
    if route in ("auto", "office") and (route == "office" or find_office() is not None):
        return export_pdf_office(report, path, progress=progress, layout=layout, extra_env=extra_env)
    write_pdf(layout, path, progress=progress)
    return ExportResult(path, list(layout.warnings), layout.draft_errors, route="qt")
