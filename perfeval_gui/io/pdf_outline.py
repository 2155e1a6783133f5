"""Add a PDF outline (bookmarks from the headings) to a finished PDF by an incremental update.

QPdfWriter has no outline API; the Qt route writes its PDF, then this module appends the outline
objects, a new catalog (pointing at them, opening with the outline shown) and a cross-reference
section for them — the original bytes stay untouched (PDF 1.4 §3.4.5, incremental updates).
Pure Python, no Qt. A PDF it cannot read (cross-reference streams, no trailer) is returned as is.
"""
from __future__ import annotations

import re

from ..core.records import record

PAGE_HEIGHT_PT = 841.89


@record
class OutlineEntry:
    """One PDF bookmark: heading level (1 = top), title, 0-based page index and distance from the page top in points."""
    level: int          # 1 = top
    title: str
    page: int           # 0-based page index
    y: float            # distance from the top of the page, in points


def _text(title: str) -> bytes:
    """A PDF text string: UTF-16BE with BOM, hex-encoded (any character is safe)."""
    return b"<FEFF" + title.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _object_body(data: bytes, num: int) -> bytes | None:
    m = None
    for m in re.finditer(rb"(?<![0-9])%d 0 obj\b(.*?)endobj" % num, data, re.S):
        pass                                  # the last definition wins (earlier updates)
    return m.group(1) if m else None


def _page_refs(data: bytes, pages_num: int, depth: int = 0) -> list[int]:
    body = _object_body(data, pages_num)
    if body is None or depth > 20:
        return []
    kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
    if not kids:
        return []
    out: list[int] = []
    for ref in re.findall(rb"(\d+)\s+0\s+R", kids.group(1)):
        num = int(ref)
        kid = _object_body(data, num) or b""
        if re.search(rb"/Type\s*/Pages\b", kid):
            out += _page_refs(data, num, depth + 1)
        else:
            out.append(num)
    return out


def add_outline(data: bytes, entries: list[OutlineEntry]) -> bytes:
    if not entries:
        return data
    starts = re.findall(rb"startxref\s+(\d+)\s+%%EOF", data)
    trailer = None
    for trailer in re.finditer(rb"trailer\s*<<(.*?)>>\s*startxref", data, re.S):
        pass
    if not starts or trailer is None:
        return data
    prev = int(starts[-1])
    tdict = trailer.group(1)
    size_m = re.search(rb"/Size\s+(\d+)", tdict)
    root_m = re.search(rb"/Root\s+(\d+)\s+0\s+R", tdict)
    info_m = re.search(rb"/Info\s+(\d+)\s+0\s+R", tdict)
    if not size_m or not root_m:
        return data
    size, root = int(size_m.group(1)), int(root_m.group(1))
    catalog = _object_body(data, root)
    if catalog is None:
        return data
    pages_m = re.search(rb"/Pages\s+(\d+)\s+0\s+R", catalog)
    pages = _page_refs(data, int(pages_m.group(1))) if pages_m else []
    if not pages:
        return data

    # the tree: each entry's parent is the nearest preceding entry of a smaller level
    n = len(entries)
    first_num = size
    outline_root = first_num
    nums = [first_num + 1 + i for i in range(n)]
    parent = [-1] * n
    stack: list[int] = []
    for i, e in enumerate(entries):
        while stack and entries[stack[-1]].level >= e.level:
            stack.pop()
        parent[i] = stack[-1] if stack else -1
        stack.append(i)
    children: dict[int, list[int]] = {}
    for i in range(n):
        children.setdefault(parent[i], []).append(i)

    def descendants(i: int) -> int:
        return sum(1 + descendants(c) for c in children.get(i, []))

    objects: list[tuple[int, bytes]] = []
    tops = children.get(-1, [])
    objects.append((outline_root, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>"
                    % (nums[tops[0]], nums[tops[-1]], descendants(-1))))
    for i, e in enumerate(entries):
        sib = children[parent[i]]
        k = sib.index(i)
        page = pages[min(max(e.page, 0), len(pages) - 1)]
        y = max(0.0, PAGE_HEIGHT_PT - e.y)
        parts = [b"/Title " + _text(e.title),
                 b"/Parent %d 0 R" % (nums[parent[i]] if parent[i] >= 0 else outline_root),
                 b"/Dest [%d 0 R /XYZ 0 %.2f 0]" % (page, y)]
        if k > 0:
            parts.append(b"/Prev %d 0 R" % nums[sib[k - 1]])
        if k + 1 < len(sib):
            parts.append(b"/Next %d 0 R" % nums[sib[k + 1]])
        kids = children.get(i, [])
        if kids:
            parts.append(b"/First %d 0 R /Last %d 0 R /Count %d" % (nums[kids[0]], nums[kids[-1]], descendants(i)))
        objects.append((nums[i], b"<< " + b" ".join(parts) + b" >>"))
    cat = catalog.strip()
    if cat.startswith(b"<<") and cat.endswith(b">>"):
        inner = cat[2:-2]
    else:
        return data
    inner = re.sub(rb"/Outlines\s+\d+\s+0\s+R", b"", inner)
    inner = re.sub(rb"/PageMode\s*/\w+", b"", inner)
    objects.append((root, b"<<" + inner + b"\n/Outlines %d 0 R\n/PageMode /UseOutlines\n>>" % outline_root))

    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets: dict[int, int] = {}
    for num, body in objects:
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n"
    for num in sorted(offsets):      # one subsection per object: simple and valid
        out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    new_size = max(size, max(offsets) + 1)
    out += b"trailer\n<< /Size %d /Root %d 0 R" % (new_size, root)
    if info_m:
        out += b" /Info %s 0 R" % info_m.group(1)
    out += b" /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (prev, xref_at)
    return bytes(out)


__all__ = ["add_outline", "OutlineEntry"]
