"""Reading the 28 × 22 grid back from a PDF's text (pdftotext -layout), for the render tests."""
from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

PAGE_NUMBER = re.compile(r"^\s*—\s*\d+\s*—\s*$")
DRAFT = re.compile(r"^\s*草稿：本报告尚有")
CHINESE = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’—…·]+$")


def em_width(text: str) -> float:
    """Characters in body-character units: CJK, full-width and the quotes “”‘’ (the eastAsia hint:
    Chinese font) 1, ASCII ½ (Times digits are 8 pt)."""
    width = 0.0
    for ch in text:
        if ch == " ":
            continue
        o = ord(ch)
        width += 1.0 if (o >= 0x2E80 or 0x2010 <= o <= 0x2027) else 0.5
    return width


@dataclass
class PageText:
    number: int
    lines: list           # Line objects, page number and draft mark removed
    has_table: bool
    has_page_number: bool
    draft_marked: bool


LEFT = 28 / 25.4 * 72          # the 版心's left edge: 28 mm
PT = 16.0                        # one body character


@dataclass
class Line:
    text: str
    x: float                     # left edge (pt)
    y: float
    x_end: float
    gaps: int                    # gaps wider than two characters between words (table rows)
    next_text: str = ""          # the following line (set by full_lines)

    @property
    def indented(self) -> bool:
        return self.x - LEFT > PT * 1.5

    @property
    def chars(self) -> float:
        """Characters the line occupies from the left margin (a first-line indent counts 2)."""
        return em_width(self.text) + (2 if self.indented else 0)


def _page_lines(pdf: Path, n: int) -> list[Line]:
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(n), "-l", str(n), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    words = [(float(a), float(b), float(c), html.unescape(t)) for a, b, c, t in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', xml)]
    rows: dict[float, list] = {}
    for x0, y0, x1, t in words:
        key = next((k for k in rows if abs(k - y0) < 4), y0)
        rows.setdefault(key, []).append((x0, x1, t))
    out = []
    for y in sorted(rows):
        ws = sorted(rows[y])
        gaps = sum(1 for a, b in zip(ws, ws[1:]) if b[0] - a[1] > 2 * PT)
        out.append(Line("".join(t for _, _, t in ws), ws[0][0], y, ws[-1][1], gaps))
    return out


def pages(pdf: Path) -> list[PageText]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    out = []
    for n in range(1, count + 1):
        lines, has_no, draft = [], False, False
        for ln in _page_lines(pdf, n):
            if PAGE_NUMBER.match(ln.text):
                has_no = True
            elif DRAFT.match(ln.text):
                draft = True
            else:
                lines.append(ln)
        table = any(ln.gaps for ln in lines) or any("单位：万元" in ln.text for ln in lines)
        out.append(PageText(n, lines, table, has_no, draft))
    return out


def is_continuation(line: Line) -> bool:
    """A wrapped line starts at the left margin; a paragraph's first line is indented."""
    return not line.indented


def full_lines(all_pages: list[PageText]) -> list[Line]:
    """Body lines followed by a wrapped line of the same paragraph (tableless pages, not the title page)."""
    seq = [(p, ln) for p in all_pages if not p.has_table and p.number > 1 for ln in p.lines]
    out = []
    for (page, line), (page2, nxt) in zip(seq, seq[1:]):
        if page2.number not in (page.number, page.number + 1):
            continue
        if is_continuation(nxt):
            line.next_text = nxt.text
            out.append(line)
    return out


def chinese_full_lines(all_pages: list[PageText]) -> list[Line]:
    """Full lines of Chinese text only, not cut short by a number or Latin word that cannot be
    broken (the next line then starts with it)."""
    return [ln for ln in full_lines(all_pages)
            if CHINESE.match(ln.text) and not re.match(r"[0-9A-Za-z]", ln.next_text)]


def full_pages(all_pages: list[PageText]) -> list[PageText]:
    """Tableless pages (not the first) whose last line runs on to the next page."""
    out = []
    for page, nxt in zip(all_pages, all_pages[1:]):
        if page.number == 1 or page.has_table or nxt.has_table or not nxt.lines:
            continue
        if is_continuation(nxt.lines[0]):
            out.append(page)
    return out
