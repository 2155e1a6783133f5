"""Word format constants (DOMAIN.md §9, GB/T 9704-2012) and small OOXML builders.

No python-docx import at module level: the GUI must not pay for it at start-up. The builders
work on lxml elements of the document python-docx opened (``docx.oxml`` is imported lazily).
"""
from __future__ import annotations

# ---------------------------------------------------------------- page (twips, 1 mm = 56.7)
PAGE_W, PAGE_H = 11906, 16838                       # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474
HEADER_DIST = 851                                   # 15 mm
FOOTER_DIST = 1424                                  # 25 mm: the dash line 7 mm below the 版心 (measured)
LINE_PITCH = 579                                    # 225 mm / 22 lines
TEXT_WIDTH = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT    # 8845 twips = 156 mm
TEXT_HEIGHT = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM   # 12756 twips = 225 mm
# The 28-character line (docs/word-layout.md): a lines-only grid (every suite honours the line
# pitch) and the body runs condensed by 0.25 pt, so 28 × (16 − 0.25) pt = 441 pt fit the 442.2 pt
# 版心 in Word, WPS and LibreOffice alike. (A linesAndChars grid with charSpace −848 makes
# LibreOffice give each 16 pt glyph two grid cells: 14 letter-spaced characters per line.)
CHAR_SPACING = -5                                   # twentieths of a point (w:spacing on runs)
CHAR_PITCH_TW = 20 * 16 + CHAR_SPACING              # 315 twips: one body character
CELL_MARGIN_LR = 85                                 # 1.5 mm cell padding left/right
CELL_MARGIN_TB = 28                                 # 0.5 mm top/bottom

# ---------------------------------------------------------------- fonts (configurable names)
FONT_LATIN = "Times New Roman"
FONT_BODY = "仿宋_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_PAGE = "宋体"
FONT_TABLE = "仿宋_GB2312"

SIZE_BODY = 32        # half-points: 三号 16 pt
SIZE_TITLE = 44       # 二号 22 pt
SIZE_PAGE = 28        # 四号 14 pt
SIZE_TABLE = 24       # 小四 12 pt
SIZE_TABLE_SMALL = 21  # 五号 10.5 pt: tables of 7 columns or more
WIDE_TABLE_COLUMNS = 7

# style ids written into styles.xml (built-in Heading n ids keep Word's outline/navigation)
STYLE_NORMAL = "Normal"
STYLE_TITLE = "Title"
STYLE_HEADINGS = {1: "Heading1", 2: "Heading2", 3: "Heading3", 4: "Heading4"}
STYLE_TABLE_TEXT = "PETableText"
STYLE_CAPTION = "PECaption"
STYLE_FOOTER = "Footer"
STYLE_HEADER = "Header"
STYLE_UNIT = "PEUnit"
STYLE_REFERENCE = "PEReference"
STYLE_SIGNATURE = "PESignature"

TABLE_LINE = 340          # table text: 17 pt exact line height for 12 pt text
TABLE_LINE_SMALL = 300    # 15 pt for 10.5 pt text
ROWS_PER_PAGE = 30        # a table with at most this many rows is never split
DRAFT_COLOR = "C00000"    # the draft mark in the header

HEADING_FONTS = {1: FONT_H1, 2: FONT_H2, 3: FONT_BODY, 4: FONT_BODY}
HEADING_BOLD = {1: False, 2: False, 3: True, 4: False}   # 黑体 is heavy already; 1. headings bold 仿宋

# Fallbacks when the official font is not installed (font table altName chain, Qt substitutions,
# resources/fonts/fonts.conf): the first one installed wins.
FONT_FALLBACKS = {
    "仿宋_GB2312": ["仿宋", "FangSong", "STFangsong", "AR PL UMing CN", "Noto Serif CJK SC"],
    "仿宋": ["FangSong", "STFangsong", "AR PL UMing CN", "Noto Serif CJK SC"],
    "楷体_GB2312": ["楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC"],
    "楷体": ["KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC"],
    "黑体": ["SimHei", "STHeiti", "Noto Sans CJK SC", "WenQuanYi Zen Hei"],
    "方正小标宋简体": ["方正小标宋_GBK", "宋体", "SimSun", "Noto Serif CJK SC"],
    "宋体": ["SimSun", "Noto Serif CJK SC", "AR PL UMing CN"],
    "Times New Roman": ["Liberation Serif", "Nimbus Roman", "DejaVu Serif"],
}


# namespace of the embedded model part (customXml/itemN.xml)
MODEL_NS = "urn:perfeval:report-model:1"
MODEL_ROOT = "perfevalReport"
BOOKMARK_PREFIX = "pe_"
BOOKMARK_MAX = 40      # Word's limit on bookmark names


_QN: dict[str, str] = {}
_MAKERS: dict[str, tuple] = {}


def qn(tag: str) -> str:
    """'w:val' → '{http://…/main}val' (cached: an export asks for the same few dozen names thousands of times)."""
    clark = _QN.get(tag)
    if clark is None:
        from docx.oxml.ns import qn as _qn
        clark = _QN[tag] = _qn(tag)
    return clark


def el(tag: str, attrs: dict[str, str] | None = None, children=()):
    """Make a namespaced element: el('w:jc', {'w:val': 'center'}).

    Same element (custom class, namespace declaration) as python-docx's OxmlElement, without
    re-parsing the prefixed tag for each of the ~2,000 elements of a report.
    """
    maker = _MAKERS.get(tag)
    if maker is None:
        from docx.oxml.ns import NamespacePrefixedTag
        from docx.oxml.parser import oxml_parser
        ns_tag = NamespacePrefixedTag(tag)
        maker = _MAKERS[tag] = (oxml_parser.makeelement, ns_tag.clark_name, ns_tag.nsmap)
    make, clark, nsmap = maker
    node = make(clark, nsmap=nsmap)
    if attrs:
        for key, value in attrs.items():
            node.set(qn(key), str(value))
    for child in children:
        node.append(child)
    return node


def rfonts(east_asia: str, latin: str = FONT_LATIN):
    """rFonts with ascii/hAnsi/cs = Latin font and eastAsia = the Chinese font (no theme fonts)."""
    return el("w:rFonts", {"w:ascii": latin, "w:hAnsi": latin, "w:eastAsia": east_asia,
                           "w:cs": latin, "w:hint": "eastAsia"})


def rpr(east_asia: str, size: int, *, bold: bool | None = False, latin: str = FONT_LATIN,
        spacing: int | None = None, color: str = "000000"):
    """A run-properties element in schema order: rFonts, b, bCs, color, spacing, sz, szCs, lang."""
    node = el("w:rPr")
    node.append(rfonts(east_asia, latin))
    if bold is not None:
        node.append(el("w:b", {"w:val": "1" if bold else "0"}))
        node.append(el("w:bCs", {"w:val": "1" if bold else "0"}))
    node.append(el("w:color", {"w:val": color}))
    if spacing:
        node.append(el("w:spacing", {"w:val": spacing}))
    node.append(el("w:sz", {"w:val": size}))
    node.append(el("w:szCs", {"w:val": size}))
    node.append(el("w:lang", {"w:val": "en-US", "w:eastAsia": "zh-CN", "w:bidi": "ar-SA"}))
    return node


def ppr(*, style: str | None = None, keep_next: bool = False, keep_lines: bool = False,
        page_break_before: bool = False, cjk_rules: bool = False,
        snap: bool | None = None, spacing: tuple | None = None,
        ind: dict[str, int] | None = None, jc: str | None = None, outline: int | None = None):
    """Paragraph properties in schema order.

    ``cjk_rules``: no widow/orphan control (every page holds 22 lines) and punctuation never
    hangs into the margin in LibreOffice (overflowPunct=1 — LibreOffice reads the flag inverted
    and loses a hanging 、 at a 28-character line end otherwise)."""
    node = el("w:pPr")
    if style:
        node.append(el("w:pStyle", {"w:val": style}))
    if keep_next:
        node.append(el("w:keepNext"))
    if keep_lines:
        node.append(el("w:keepLines"))
    if page_break_before:
        node.append(el("w:pageBreakBefore"))
    if cjk_rules:      # no widow/orphan control either: every page holds its 22 lines
        node.append(el("w:widowControl", {"w:val": "0"}))
        node.append(el("w:overflowPunct", {"w:val": "1"}))
    if snap is not None:
        node.append(el("w:snapToGrid", {"w:val": "1" if snap else "0"}))
    if spacing is not None:
        line, rule, *before = spacing
        node.append(el("w:spacing", {"w:before": before[0] if before else 0, "w:after": 0, "w:line": line,
                                     "w:lineRule": rule}))
    if ind is not None:
        node.append(el("w:ind", {f"w:{k}": v for k, v in ind.items()}))
    if jc:
        node.append(el("w:jc", {"w:val": jc}))
    if outline is not None:
        node.append(el("w:outlineLvl", {"w:val": outline}))
    return node


BODY_IND = {"firstLineChars": 200, "firstLine": 640}
NO_IND = {"firstLineChars": 0, "firstLine": 0}
