"""What Excel and WPS put on the clipboard, as rows of cell texts.

* Text: tab-separated rows; a cell containing a line break, a tab or a quote is quoted
  (``"第一行\n第二行"``, inner quotes doubled) — so a line break inside quotes is not a new row.
* HTML (``text/html``): a ``<table>``; ``<br>`` inside a cell is a line break, ``colspan``
  repeats nothing (the cell is followed by empty cells).
Trailing empty rows and trailing empty columns (Excel copies a selection wider than the data,
WPS adds an empty column at the end) are dropped; shorter rows are padded with empty cells.
"""
from __future__ import annotations

from functools import cache


def parse_tsv(text: str) -> list[list[str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    at_cell_start = True
    while i < n:
        ch = text[i]
        if at_cell_start and ch == '"':
            # a quoted cell: up to the quote followed by tab / newline / end
            j = i + 1
            buf: list[str] = []
            closed = False
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        buf.append('"')
                        j += 2
                        continue
                    if j + 1 >= n or text[j + 1] in "\t\n":
                        closed = True
                        j += 1
                        break
                buf.append(text[j])
                j += 1
            if closed:
                cell = buf
                i = j
                at_cell_start = False
                continue
            # not a well-formed quoted cell: take the quote literally
        at_cell_start = False
        if ch == "\t":
            row.append("".join(cell))
            cell = []
            at_cell_start = True
        elif ch == "\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
            at_cell_start = True
        else:
            cell.append(ch)
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return tidy(rows)


@cache
def _parser_class() -> type:
    """The HTML table reader (html.parser is imported at the first HTML paste, not at start-up)."""
    from html.parser import HTMLParser

    class _TableParser(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.rows: list[list[str]] = []
            self.row: list[str] | None = None
            self.cell: list[str] | None = None
            self.span = 1
            self.tables = 0

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables += 1
            elif tag == "tr":
                self._end_row()
                self.row = []
            elif tag in ("td", "th"):
                self._end_cell()
                if self.row is None:
                    self.row = []
                self.cell = []
                try:
                    self.span = max(1, int(dict(attrs).get("colspan") or 1))
                except ValueError:
                    self.span = 1
            elif tag == "br" and self.cell is not None:
                self.cell.append("\n")

        def handle_endtag(self, tag):
            if tag in ("td", "th"):
                self._end_cell()
            elif tag == "tr":
                self._end_row()

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

        def _end_cell(self):
            if self.cell is not None and self.row is not None:
                text = "".join(self.cell)
                lines = [" ".join(part.split()) for part in text.split("\n")]
                self.row.append("\n".join(lines).strip("\n"))
                self.row.extend([""] * (self.span - 1))
            self.cell = None
            self.span = 1

        def _end_row(self):
            self._end_cell()
            if self.row is not None:
                self.rows.append(self.row)
            self.row = None

    return _TableParser


def parse_html_table(html: str) -> list[list[str]] | None:
    """The first table's cells, or None when the HTML holds no table."""
    parser = _parser_class()()
    parser.feed(html)
    parser.close()
    parser._end_row()
    if not parser.tables or not parser.rows:
        return None
    return tidy(parser.rows)


def tidy(rows: list[list[str]]) -> list[list[str]]:
    """Drop trailing empty rows and trailing empty columns; pad rows to one width."""
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        return []
    width = max(len(r) for r in rows)
    while width > 1 and all(len(r) < width or not r[width - 1].strip() for r in rows):
        width -= 1
    return [(r + [""] * (width - len(r)))[:width] for r in rows]


def clipboard_rows(mime) -> list[list[str]]:
    """Rows from a QMimeData: the HTML table when there is one, else the text."""
    if mime is None:
        return []
    if mime.hasHtml():
        rows = parse_html_table(mime.html())
        if rows:
            return rows
    return parse_tsv(mime.text() if mime.hasText() else "")
