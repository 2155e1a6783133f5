"""Figure claims in the officer's narrative text (DOMAIN.md §8, §12.3). Pure Python, no Qt.

:func:`extract` reads one narrative text and returns the claims it makes — amounts with the clause
that labels them ("其中基本支出184.9万元"), counts ("编制人数 7人"), project sentences ("…4万元，
实际支出4万元，结余结转4万元"), the self-evaluation score and grade, enumerations ("3个，分别为：A、B、C",
"3项工作：（1）…（2）…（3）…", "一是…；二是…"), zero statements ("未列支差旅费和印刷费", "…为零").

Each amount knows, from its text alone, **which year** it speaks of (an explicit "2021年", "上年",
"比上年的…" → not this year) and whether it is a change ("比上年减少0.5万元") rather than a figure.
**Whose** figure and **which kind** (年初安排 / 调整 / 全年预算 / 实际支出 / 结余结转) need the report's
names: :class:`Lexicon` (built by :func:`build_lexicon`, the one place the label vocabulary lives)
ties a claim to its owner (the unit, a named project, an economic or functional class, a 三公 part)
and kind. Whenever owner, year or kind is unclear the claim is left unresolved and nothing is
compared (DOMAIN §8: conservative). Approximate numbers ("80余", "约") are never compared; 亿元
figures are ignored.

Extraction is cached per paragraph (``\\n``-separated), so a recheck after a keystroke re-reads only
the paragraph that changed; every pattern is linear in the text length (a 1 MB run of digits scans
in well under a second).
"""
from __future__ import annotations

import bisect
import re
from decimal import Decimal
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Generic, Literal, TypeVar

from . import regex
from .records import record
from . import fields
from .money import decimals_of
from .numbers import NumberParseError, ParsedNumber, chinese_numeral, parse_number

# ------------------------------------------------------------------ claim records


@record(frozen=True)
class AmountClaim:
    """An amount stated in narrative text: label clause, value in 万元, decimals, approx flag, text, sentence, year."""
    label: str            # the clause before the number, quotes removed ('其中基本支出', '营商环境评价项目年初预算')
    value: Decimal        # in 万元, exact
    decimals: int         # decimals of the value in 万元 (sets the comparison precision)
    approx: bool          # '约 / 余 / 多 / 近 / 超过': never compared for equality
    number_text: str      # as written, e.g. '184.9万元'
    sentence: str
    start: int = 0        # offset of the clause in the sentence
    year: object = None   # None (not said), 'this', 'prior' (上年/比上年…) or an explicit int year
    change: bool = False  # the amount is a difference ('比上年减少0.5万元'), not a figure

    def other_year(self, fiscal_year: int | None) -> bool:
        """True when the figure is explicitly of another year than the report's."""
        if self.year is None or self.year == "this":
            return False
        return self.year != fiscal_year


@record(frozen=True)
class CountClaim:
    """A count stated in narrative text (编制人数, 实有人数, 内设科室): which figure, value, approx flag, sentence."""
    field: str            # 'staff_authorized' | 'staff_actual' | 'org_units'
    value: int
    approx: bool
    sentence: str


@record(frozen=True)
class ProjectSentence:
    """A project sentence '…a万元，实际支出b万元，结余结转c万元' (NAR-02): project name, the three amounts, sentence."""
    name: str             # as written, kind words and numbering removed ('宣传培训项目')
    budget: Decimal
    actual: Decimal
    carryover: Decimal
    sentence: str


@record(frozen=True)
class ScoreClaim:
    """A self-evaluation score stated in narrative text (自评…得分N分), with its sentence."""
    score: Decimal
    sentence: str


@record(frozen=True)
class GradeClaim:
    """A grade (优/良/中/差) stated in narrative text (…等级为…), with its sentence."""
    grade: str
    sentence: str


@record(frozen=True)
class ListClaim:
    """An enumeration in narrative text (NAR-03): count stated, number of items found, inline items, noun, sentence."""
    stated: int
    counted: int
    items: tuple[str, ...]
    noun: str
    sentence: str


@record(frozen=True)
class ZeroStatement:
    """A statement that something is absent or zero (未列支…, …为零): the items, sentence, year, offset, whole text."""
    items: tuple[str, ...]   # what is said to be absent or zero ('差旅费', '印刷费')
    sentence: str
    year: object = None
    start: int = 0           # offset of the statement in the sentence (what comes before names its owner)
    text: str = ""           # the whole statement, unsplit ('社会保障和就业支出' is one name)

    @property
    def label(self) -> str:
        return "、".join(self.items)


@record(frozen=True)
class Extraction:
    """Every claim of a narrative text: sentences, amounts, counts, project sentences, scores, grades, lists, zeros."""
    sentences: tuple[str, ...]
    amounts: tuple[AmountClaim, ...] = ()
    counts: tuple[CountClaim, ...] = ()
    projects: tuple[ProjectSentence, ...] = ()
    scores: tuple[ScoreClaim, ...] = ()
    grades: tuple[GradeClaim, ...] = ()
    lists: tuple[ListClaim, ...] = ()
    zeros: tuple[ZeroStatement, ...] = ()


# ------------------------------------------------------------------ vocabulary
# Kinds of an amount (DOMAIN §12.3): 'initial' 年初安排, 'adjustment' 调整追加, 'final' 全年/调整后预算,
# 'budget' (预算/投入: initial or final), 'actual' 实际支出, 'carryover' 结余结转, 'carryover_prior' 上年结转.
# (word, kind, sign) — peeled from the end of a label, longest first.
_KIND_WORDS: tuple[tuple[str, str, int], ...] = tuple(sorted((
    ("年初预算安排", "initial", 1), ("年初预算", "initial", 1), ("年初安排", "initial", 1), ("年初批复", "initial", 1),
    ("年初下达", "initial", 1), ("年初预算数", "initial", 1),
    ("调整后预算", "final", 1), ("调整后", "final", 1), ("全年预算", "final", 1), ("全年预算数", "final", 1),
    ("预算总额", "final", 1), ("全年预算收入", "final", 1),
    ("调整追加", "adjustment", 1), ("年中追加", "adjustment", 1), ("追加预算", "adjustment", 1),
    ("追加", "adjustment", 1), ("调增", "adjustment", 1), ("调减", "adjustment", -1), ("年中调减", "adjustment", -1),
    ("预算安排", "budget", 1), ("预算支出", "budget", 1), ("预算", "budget", 1), ("安排", "budget", 1), ("总投入", "budget", 1),
    ("投入", "budget", 1), ("下达", "budget", 1), ("批复", "budget", 1), ("预算数", "budget", 1),
    ("实际支出", "actual", 1), ("已支出", "actual", 1), ("支出", "actual", 1), ("实际使用", "actual", 1),
    ("使用", "actual", 1), ("执行", "actual", 1), ("决算", "actual", 1), ("决算数", "actual", 1),
    ("开支", "actual", 1), ("列支", "actual", 1), ("执行数", "actual", 1),
    ("结余结转", "carryover", 1), ("结转结余", "carryover", 1), ("结余", "carryover", 1), ("结转", "carryover", 1),
    ("上年结转", "carryover_prior", 1), ("上年结余", "carryover_prior", 1), ("上年结转结余", "carryover_prior", 1),
    ("上年结余结转", "carryover_prior", 1), ("上年度结转", "carryover_prior", 1), ("上年度结余", "carryover_prior", 1),
), key=lambda t: -len(t[0])))
_FILLERS = tuple(sorted(("为", "是", "达到", "达", "共计", "合计", "总计", "共", "资金", "金额", "总额", "实际", "累计",
                         "计", "了", "有", "数", "全年", "经费", "费用", "约", "的", "已", "其中", "均", "都"),
                        key=len, reverse=True))
_KIND_ENDINGS = tuple(word for word, _, _ in _KIND_WORDS)   # str.endswith takes them all at once

# a kind alone ('年初预算100万元', '结余结转5万元') at unit level
UNIT_KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "initial": ("income.budget_initial",), "adjustment": ("income.budget_adjustment",),
    "final": ("income.budget_total",), "budget": ("income.budget_initial", "income.budget_total"),
    "actual": ("expenditure.total",), "carryover": ("expenditure.carryover_end",),
    "carryover_prior": ("income.carryover_prior",),
}
# a kind word that names a unit field by itself (a bare '支出' or '预算' needs a subject: '2023年支出')
_SELF_NAMING_KINDS = frozenset(("initial", "adjustment", "final", "carryover", "carryover_prior"))
# unit figures whose registry names (label, aliases) the narrative may use as a label
_UNIT_KEYS = ("income.budget_total", "income.other_sources", "income.fiscal_funds", "income.carryover_prior",
              "expenditure.total", "expenditure.basic", "expenditure.personnel", "expenditure.public_ops",
              "expenditure.project_total", "expenditure.project_budget_total", "three_public.total",
              # the 基础数据表's own rows (issue 17): a sentence stating them is checked against the form
              "procurement.actual", "basic_data.office.final", "basic_data.utilities_travel.final",
              "basic_data.meeting_training.final")
# figures naming the source of funds: in a sentence about a project they may be the project's own
_FUND_KEYS = ("income.budget_total", "income.other_sources", "income.fiscal_funds")
# the project field each kind reads
PROJECT_KIND_ATTRS = {"initial": "budget_initial", "adjustment": "budget_adjustment", "final": "budget_final",
                      "actual": "actual", "carryover": "carryover", "carryover_prior": "carryover_prior"}


def figure_label(path: str) -> str:
    """'expenditure.total' → '支出合计' (the field registry's label); an unknown path is shown as it is."""
    return fields.field_label(path)


# words allowed before a name: subject, year, numbering, "其中" … anything else makes the label unknown
_SUBJECT = (r"其中|\d{4}年度?|全年|本年度?|今年|年度|当年|年中|年末|年底|上一?年度?|去年|(?:本|我|该)(?:中心|单位|部门|局|委|办|院|所|站)"
            r"|部门整体|单位整体|整体|共计?|合计|累计|的|实际|主要内容|支出主要内容|分别为|包括|主要用于|用于")
PREFIX_OK = regex.compile(
    rf"^(?:{_SUBJECT}|年初预算项目|年中追加项目|\d{{1,2}}\s*[.．、]|[（(]\d{{1,2}}[）)]|[一二三四五六七八九十]+[、是]"
    r"|[（(][一二三四五六七八九十]+[）)]|[①-⑳]|[：:，,\s])*$")
_UNIT_MARKER = regex.compile(r"(?:本|我)(?:中心|单位|部门|局|委|办|院|所|站)|部门整体|单位整体")
_RESPECTIVELY = regex.compile(r"分别(?:为|是|达到?|有)?$")
# projects spoken of without a name ('年中追加项目2个', '该项目'): a following bare kind is not the unit's
PROJECTS_SAID = regex.compile(r"项目(?!支出)")
_HAS_SUBJECT = regex.compile(r"\d{4}年|全年|本年|今年|当年|(?:本|我)(?:中心|单位|部门|局|委|办|院|所|站)|整体")

# ------------------------------------------------------------------ patterns (all linear: numbers start only
# where no digit precedes them, so a long run of digits is tried once, not once per position)
_NUM_START = r"(?<![\d.,，])"
_CN_START = r"(?<![一二两三四五六七八九十百])"
_AMOUNT_RE = regex.compile(
    rf"(?P<pre>约|近|超过|逾)?{_NUM_START}(?P<num>\d[\d,，]*+(?:\.\d++)?)\s*(?P<suf>余|多)?\s*(?P<unit>亿元|万元|元)")
_CLAUSE_BREAK = regex.compile(r"[，,；;：:。！？、（(）)\n]")
_QUOTES = regex.compile(r"[“”\"‘’'「」《》\s]|（境）|\(境\)")
_SENTENCE_END = regex.compile(r"[。！？；;!?\n]")
_FULL_END = regex.compile(r"[。！？!?\n]")
_LABEL_WINDOW = 60        # a label is the clause before the number, at most this many characters

_YEAR_RE = regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*年|(?P<p>上一?年度?|去年度?|前年)|(?P<t>本年度?|今年|当年|本期)")
_COMPARE_RE = regex.compile(r"[比较]\s*(?:上一?年度?|去年|前年|(?:19|20)\d\d\s*年度?)|同比|上年同期|与上一?年度?相比")
_CHANGE_END = regex.compile(r"(?:增加|减少|增长|下降|节约|节省|压减|压缩|降低|提高|上升|超支|超出|(?<!调)[增减]|少|多|缩减|差额|相差)"
                         r"(?:了|约|近|达|为|额|幅度为)?$")

_COUNT_RE = regex.compile(
    r"(?P<label>编制人数|编制|实有人数|在职人数|实有人员|内设科室|内设机构)[为共有：:\s]*"
    rf"(?:{_NUM_START}(?P<num>\d++)|{_CN_START}(?P<cn>[一二两三四五六七八九十]++))\s*(?P<suf>余|多)?\s*(?P<unit>人|名|个)")
_COUNT_FIELDS = {"编制人数": "staff_authorized", "编制": "staff_authorized", "实有人数": "staff_actual",
                 "在职人数": "staff_actual", "实有人员": "staff_actual", "内设科室": "org_units",
                 "内设机构": "org_units"}
_SCORE_RE = regex.compile(r"自评[^，。；]{0,12}?得分[为是：:]?\s*(?P<num>\d{1,3}(?:\.\d{1,4})?)(?![\d.])\s*分")
_GRADE_RE = regex.compile(r"等级[为是：:]?\s*[“\"「]?(?P<g>优|良|中|差)[”\"」]?")
_OPENER_RE = regex.compile(
    rf"(?:{_NUM_START}(?P<num>\d{{1,3}})|{_CN_START}(?P<cn>[一二两三四五六七八九十]{{1,3}}))(?![\d])\s*(?P<suf>余|多)?"
    r"(?P<unit>个|名|项|家|所|类|条|方面|件|大|点)(?P<noun>[^，,。；;：:！？\n]{0,12}?)"
    r"(?P<intro>[，,]?\s*(?:分别为|分别是|包括|如下|即)[：:]?|[：:]|(?=[。！？]|$))")
_AWARD_RE = regex.compile(rf"(?:{_NUM_START}(?P<num>\d++)|{_CN_START}(?P<cn>[一二两三四五六七八九十]++))个[^，。；]{{0,8}}?(奖项|荣誉)")
_AWARD_VERB = regex.compile(r"荣膺|荣获|获评|获得|入选|摘得")
# enumeration markers, at the start of a paragraph or after a punctuation mark
_B = r"(?:^|(?<=[：:；;。，,\s！？]))"
_MARKERS = (
    ("paren_arabic", regex.compile(_B + r"[（(](\d{1,2})[）)]")),
    ("arabic_dot", regex.compile(_B + r"(\d{1,2})\s*[.．、](?!\d)")),
    ("circled", regex.compile(_B + r"([①-⑳])")),
    ("shi", regex.compile(_B + r"(?:其)?([一二三四五六七八九十]{1,3})是")),
    ("paren_cn", regex.compile(_B + r"[（(]([一二三四五六七八九十]{1,3})[）)]")),
    ("cn_dun", regex.compile(_B + r"([一二三四五六七八九十]{1,3})、")),
    ("di", regex.compile(_B + r"第([一二三四五六七八九十]{1,3})[，,、]")),
)
_ZERO_HINT = regex.compile(r"无|没有|未|为零|为0|零支出|为空")
_OPENER_HINT = regex.compile(r"[个名项家所类条件大点]|方面")
_MARKER_HINTS = {"paren_arabic": "（(", "arabic_dot": ".．、", "shi": "是", "paren_cn": "（(", "di": "第", "cn_dun": "、"}
# heading levels of the marker styles: a block list ends at a paragraph numbered at a higher level
_MARKER_LEVEL = {"cn_dun": 1, "paren_cn": 2, "arabic_dot": 3, "shi": 3, "di": 3, "paren_arabic": 4, "circled": 5}
_ZERO_BEFORE = regex.compile(r"(?:未列支|未安排|未产生|未发生|未使用|未支出|未开支|没有(?:安排|发生|列支|产生|开支)?"
                          r"|无(?:安排|发生)?)(?P<items>[^。；;，,：:！？\n]{1,40})")
_ZERO_AFTER = regex.compile(r"(?:均|都)?(?:为零|为0(?:\.0+)?\s*(?:万元|元)?(?![\d.])|零支出|为空)")
_ZERO_HEAD_BREAK = regex.compile(r"[，,；;：:。！？\n]")      # a list 'A、B均为零' stays whole
_ITEM_SPLIT = regex.compile(r"以及|和|及|与|、|或")
_ITEM_TAIL = regex.compile(r"(?:等|的|方面|情况|现象|事项|方面的)+$")


def split_sentences(text: str) -> list[str]:
    """Sentences ending with 。！？；; or a line break."""
    return _split(text, _SENTENCE_END)


def _split(text: str, rx: re.Pattern[str]) -> list[str]:
    out: list[str] = []
    start = 0
    for m in rx.finditer(text):
        piece = text[start:m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def clean_label(text: str) -> str:
    return _QUOTES.sub("", text)


def _number(text: str) -> ParsedNumber | None:
    try:
        return parse_number(text)
    except NumberParseError:
        return None


def _count_value(m: re.Match[str]) -> int | None:
    if m.group("num"):
        return int(m.group("num"))
    return chinese_numeral(m.group("cn"))


def _marker_value(style: str, raw: str) -> int | None:
    if style == "circled":
        return ord(raw) - 0x2460 + 1
    if raw.isdigit():
        return int(raw)
    return chinese_numeral(raw)


# ------------------------------------------------------------------ per-sentence extraction
def _year_marks(sentence: str) -> tuple[list[int], list[object]]:
    pos, val = [], []
    for m in _YEAR_RE.finditer(sentence):
        if m.group("y"):
            v: object = int(m.group("y"))
        elif m.group("p"):
            if m.group("p") in ("上年", "上年度") and sentence.startswith(("结转", "结余"), m.end()):
                continue                       # 上年结转: a field of this year's report, not a year
            v = "prior"
        else:
            v = "this"
        pos.append(m.start())
        val.append(v)
    return pos, val


def _amounts(sentence: str) -> list[AmountClaim]:
    out = []
    marks = None
    for m in _AMOUNT_RE.finditer(sentence):
        unit = m.group("unit")
        if unit == "亿元" or len(m.group("num")) > 40:
            continue
        parsed = _number(m.group("num").replace("，", ",") + unit)
        if parsed is None:
            continue
        value = parsed.in_wan
        lo = max(0, m.start() - _LABEL_WINDOW)
        head = sentence[lo:m.start()]
        cut = max((mm.end() for mm in _CLAUSE_BREAK.finditer(head)), default=0)
        raw = head[cut:]
        label = clean_label(raw)
        if marks is None:
            marks = _year_marks(sentence)
        if _COMPARE_RE.search(raw):
            year: object = "prior"
        else:
            k = bisect.bisect_left(marks[0], m.start())
            year = marks[1][k - 1] if k else None
        change = bool(_CHANGE_END.search(label))
        approx = bool(m.group("pre") or m.group("suf"))
        out.append(AmountClaim(label, value, decimals_of(value), approx, m.group(0), sentence, lo + cut,
                               year, change))
    return out


def _zero_matches(sentence: str) -> Iterator[tuple[str, int, int]]:
    """(items text, start) of every zero statement: '无/未列支…X' and 'X为零' (X = the clause before)."""
    for m in _ZERO_BEFORE.finditer(sentence):
        yield m.group("items"), m.start(), m.start()
    for m in _ZERO_AFTER.finditer(sentence):
        lo = max(0, m.start() - 40)
        head = sentence[lo:m.start()]
        cut = max((x.end() for x in _ZERO_HEAD_BREAK.finditer(head)), default=0)
        if head[cut:]:
            yield head[cut:], lo + cut, m.start()


def _zeros(sentence: str) -> list[ZeroStatement]:
    out = []
    marks = None
    for items_text, start, anchor in _zero_matches(sentence):
        text = re.sub(r"[（()）]", "", clean_label(items_text))
        items = []
        for part in _ITEM_SPLIT.split(text):
            part = _ITEM_TAIL.sub("", part.strip())
            if len(part) >= 2:
                items.append(part)
        if not items:
            continue
        if marks is None:
            marks = _year_marks(sentence)
        k = bisect.bisect_left(marks[0], anchor)
        out.append(ZeroStatement(tuple(items), sentence, marks[1][k - 1] if k else None, start,
                                 _ITEM_TAIL.sub("", text.strip())))
    return out


def peel_one(label: str) -> tuple[str, str | None, int] | None:
    """Remove one kind or filler word from the end of a label; None when it ends with neither."""
    for word, k, s in _KIND_WORDS:
        if label.endswith(word):
            return label[: -len(word)], k, s
    for word in _FILLERS:
        if label.endswith(word):
            return label[: -len(word)], None, 1
    return None


def peel(label: str) -> tuple[str, str | None, int]:
    """Remove kind and filler words from the end of a label: ('营商环境评价项目', 'initial', 1); the kind is
    the one nearest the number."""
    kind, sign = None, 1
    while label:
        step = peel_one(label)
        if step is None:
            break
        label, k, s = step
        if kind is None and k is not None:
            kind, sign = k, s
    return label, kind, sign


def _project_sentences(claims: list[AmountClaim]) -> list[ProjectSentence]:
    """'{name}{a}万元，实际支出{b}万元，结余结转{c}万元' (NAR-02's pattern) from consecutive claims."""
    out = []
    for a, b, c in zip(claims, claims[1:], claims[2:]):
        if a.sentence is not b.sentence or b.sentence is not c.sentence or a.approx or b.approx or c.approx:
            continue
        if b.label not in ("实际支出", "已支出", "支出", "实际支出为") or peel(c.label) != ("", "carryover", 1):
            continue
        name, kind, _ = peel(a.label)
        name = re.sub(r"^(?:\d{1,2}\s*[.．、]\s*|[（(]\d{1,2}[）)])?(?:年初预算项目|年中追加项目)?", "", name)
        if len(name) >= 2 and kind in (None, "budget", "final"):
            out.append(ProjectSentence(name, a.value, b.value, c.value, a.sentence))
    return out


# a list opener '主要做了三个方面的工作：': (stated count, noun, sentence, position after the intro,
# separator items)
Opener = tuple[int, str, str, int, tuple[str, ...] | None]


@record(frozen=True)
class _Para:
    """What one paragraph says (cached per paragraph text)."""
    sentences: tuple[str, ...]
    amounts: tuple[AmountClaim, ...]
    counts: tuple[CountClaim, ...]
    projects: tuple[ProjectSentence, ...]
    scores: tuple[ScoreClaim, ...]
    grades: tuple[GradeClaim, ...]
    lists: tuple[ListClaim, ...]          # 、-lists and award lists complete inside the paragraph
    zeros: tuple[ZeroStatement, ...]
    openers: tuple[Opener, ...]
    markers: tuple[tuple[str, int, int], ...]   # (style, number, position)


def _separator_items(tail: str) -> tuple[str, ...] | None:
    text = _FULL_END.split(tail, 1)[0].strip()
    if not text or "等" in text:
        return None
    parts = re.split(r"[；;]", text) if re.search(r"[；;]", text) else re.split(r"[、，,]", text)
    items = tuple(x.strip() for x in parts if x.strip())
    if len(items) >= 2 and all(len(x) <= 20 for x in items):
        return items
    return None


_V = TypeVar("_V")


class TextCache(Generic[_V]):
    """A least-recently-used cache keyed by text, bounded by the total length of the texts it holds (typing
    in a long paragraph makes a new key per keystroke: a count bound alone could hold gigabytes)."""

    def __init__(self, func: Callable[[str], _V], max_chars: int = 4_000_000, max_entries: int = 8192) -> None:
        self.func, self.max_chars, self.max_entries = func, max_chars, max_entries
        self.data: OrderedDict[str, _V] = OrderedDict()
        self.chars = self.hits = self.misses = 0

    def __call__(self, text: str) -> _V:
        hit = self.data.get(text)
        if hit is not None:
            self.data.move_to_end(text)
            self.hits += 1
            return hit
        self.misses += 1
        value = self.func(text)
        if len(text) <= self.max_chars // 2:
            self.data[text] = value
            self.chars += len(text)
            while self.chars > self.max_chars or len(self.data) > self.max_entries:
                old, _ = self.data.popitem(last=False)
                self.chars -= len(old)
        return value

    def cache_clear(self) -> None:
        self.data.clear()
        self.chars = 0

    def cache_info(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses, "entries": len(self.data), "chars": self.chars}


def _read_paragraph(text: str) -> _Para:
    sents = _split(text, _FULL_END)
    amounts, counts, scores, grades, lists, zeros = [], [], [], [], [], []
    has = {word: word in text for word in ("编制", "人数", "实有", "内设", "自评", "评价等级", "奖", "荣誉", "元")}
    counts_possible = has["编制"] or has["人数"] or has["实有"] or has["内设"]
    for s in sents:
        if has["元"]:
            amounts += _amounts(s)
        for m in (_COUNT_RE.finditer(s) if counts_possible else ()):
            v = _count_value(m)
            if v is not None:
                counts.append(CountClaim(_COUNT_FIELDS[m.group("label")], v, bool(m.group("suf")), s))
        for m in (_SCORE_RE.finditer(s) if has["自评"] else ()):
            scores.append(ScoreClaim(Decimal(m.group("num")), s))
        if (has["自评"] or has["评价等级"]) and ("自评" in s or "评价等级" in s):
            for m in _GRADE_RE.finditer(s):
                grades.append(GradeClaim(m.group("g"), s))
        if _ZERO_HINT.search(s):
            zeros += _zeros(s)
    # awards: 'N个…奖项' followed by sentences each naming awards (荣膺/获评 …)
    short = split_sentences(text) if has["奖"] or has["荣誉"] else []
    for k, s in enumerate(short):
        for m in _AWARD_RE.finditer(s):
            stated = _count_value(m)
            counted = 0
            for nxt in short[k + 1:]:
                hits = len(_AWARD_VERB.findall(nxt))
                if not hits:
                    break
                counted += hits
            if stated is not None and counted:
                lists.append(ListClaim(stated, counted, (), clean_label(m.group(0)), s))
    openers: list[Opener] = []
    ends = [x.end() for x in _FULL_END.finditer(text)]
    for m in (_OPENER_RE.finditer(text) if _OPENER_HINT.search(text) else ()):
        stated = _count_value(m)
        if stated is None or m.group("suf") or stated < 2:
            continue
        if not m.group("intro").strip() and not (m.group("noun") or m.group("unit") in ("点", "方面")):
            continue                      # '干部8名。' ends a sentence without announcing a list
        end = m.end()
        k = bisect.bisect_right(ends, m.start())
        sentence = text[ends[k - 1] if k else 0: ends[k] if k < len(ends) else len(text)].strip()
        tail = text[end:end + 400]
        sep = _separator_items(tail) if m.group("intro").strip() else None
        openers.append((stated, clean_label(m.group("noun")) or m.group("unit"), sentence, end, sep))
    markers = []
    for style, rx in _MARKERS:
        hint = _MARKER_HINTS.get(style)
        if hint is not None and not any(ch in text for ch in hint):
            continue
        for m in rx.finditer(text):
            n = _marker_value(style, m.group(1))
            if n is not None:
                markers.append((style, n, m.start()))
    markers.sort(key=lambda t: t[2])
    return _Para(tuple(sents), tuple(amounts), tuple(counts), tuple(_project_sentences(amounts)), tuple(scores),
                 tuple(grades), tuple(lists), tuple(zeros), tuple(openers), tuple(markers))


def _count_markers(paras: list[_Para], texts: list[str], k: int, pos: int, limit: int) -> tuple[str, int] | None:
    """(style, number of items) of an enumeration starting right after ``pos`` in paragraph k (up to ``limit``,
    where the next count statement starts) — inline, or in the following paragraphs when paragraph k ends
    there. None when no enumeration starts there."""
    marks = paras[k].markers
    idx = bisect.bisect_left(marks, pos, key=lambda t: t[2])
    first = marks[idx] if idx < len(marks) and marks[idx][2] < limit else None
    if first is not None and (first[2] - pos > 8 or texts[k][pos:first[2]].strip(" ：:，,。\u3000")):
        first = None                      # text between the opener and the first marker: not its list
    start_k = k
    if first is None:
        rest = texts[k][pos:pos + 64]
        if rest.strip() or len(texts[k]) > pos + 64:
            return None
        if k + 1 >= len(paras) or not paras[k + 1].markers or paras[k + 1].markers[0][2] != _lead(texts[k + 1]):
            return None
        start_k, idx, limit, first = k + 1, 0, len(texts[k + 1]), paras[k + 1].markers[0]
    style, n, _ = first
    if n != 1:
        return None
    block = start_k != k                  # the list starts on its own paragraph: items are paragraphs
    count = 0
    for j in range(start_k, len(paras)):
        if j != start_k:
            idx, limit = 0, len(texts[j])
            ms = paras[j].markers
            lead = ms[0] if ms and ms[0][2] == _lead(texts[j]) else None
            if lead is not None and lead[0] == style:
                if lead[1] != count + 1:
                    break                 # restart, gap or repeat: the list ended
            elif block and (lead is None or _MARKER_LEVEL[lead[0]] > _MARKER_LEVEL[style]):
                continue                  # explanation or sub-items of the current item
            else:
                break
        ms = paras[j].markers
        stop = False
        for x in range(idx, len(ms)):
            st, num, p = ms[x]
            if p >= limit:
                stop = True
                break
            if st != style:
                continue
            if num != count + 1:
                stop = True
                break
            count += 1
        if stop:
            break
    return style, count


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


def _extract(text: str) -> Extraction:
    texts = (text or "").split("\n")
    paras = [_paragraph(t) for t in texts]
    lists: list[ListClaim] = []
    for k, para in enumerate(paras):
        lists += para.lists
        for n, (stated, noun, sentence, pos, sep) in enumerate(para.openers):
            limit = para.openers[n + 1][3] if n + 1 < len(para.openers) else len(texts[k])
            got = _count_markers(paras, texts, k, pos, limit)
            if got is not None:
                lists.append(ListClaim(stated, got[1], (), noun, sentence))
            elif sep is not None:
                lists.append(ListClaim(stated, len(sep), sep, noun, sentence))
    return Extraction(tuple(s for p in paras for s in p.sentences), tuple(c for p in paras for c in p.amounts),
                      tuple(c for p in paras for c in p.counts), tuple(c for p in paras for c in p.projects),
                      tuple(c for p in paras for c in p.scores), tuple(c for p in paras for c in p.grades),
                      tuple(lists), tuple(c for p in paras for c in p.zeros))


_paragraph = TextCache(_read_paragraph)
_texts_cache = TextCache(_extract, max_entries=2048)


def extract(text: str) -> Extraction:
    """Every claim in one narrative text (cached per text, and paragraph by paragraph: a recheck after a
    keystroke reads only the paragraph that changed)."""
    return _texts_cache(text or "")


extract.cache_clear = _texts_cache.cache_clear     # type: ignore[attr-defined]


def paragraph_cache_info() -> dict[str, int]:
    """Hits/misses of the per-paragraph cache (tests check that a recheck re-reads only what changed)."""
    return _paragraph.cache_info()


# ------------------------------------------------------------------ lexicon: whose figure, which kind
@record(frozen=True)
class Ref:
    """One figure a claim may state: owner 'field' (key = path), 'project' (index), 'econ' / 'function'
    (tuple of line indices) or 'tp' (三公 part key); kind as in :data:`_KIND_WORDS` (None = not said)."""
    owner: str
    key: object
    kind: str | None = None


@record(frozen=True)
class Resolved:
    """An amount claim tied to the figures it may state (it agrees when it matches any) and its sign (−1 for 调减)."""
    claim: AmountClaim
    refs: tuple[Ref, ...]     # the claim agrees when it matches any of them
    sign: int = 1             # −1 for '调减 5 万元' (adjustment −5)


Target = tuple[str, object]      # (owner, key) a name refers to, as in Ref
Targets = tuple[Target, ...]
# what a label says: ('named', name, targets, kind, sign) | ('kind', subject, kind, sign) | ('unknown',)
ParsedLabel = (tuple[Literal["named"], str, Targets, str | None, int] | tuple[Literal["kind"], str, str, int]
               | tuple[Literal["unknown"]])
# what the sentence so far is about: ('project', index) | ('class', targets) | ('unknown',) | None
Context = tuple[Literal["project"], object] | tuple[Literal["class"], Targets] | tuple[Literal["unknown"]] | None


class Lexicon:
    """Names of the report (static unit labels, 三公 parts, projects and their short forms, economic
    and functional classes) → what a claim refers to. Built by :func:`build_lexicon`."""

    def __init__(self, names: dict[str, Targets], project_variants: dict[str, int],
                 fund_names: frozenset[str] = frozenset()) -> None:
        self.names = names
        self.fund_names = fund_names
        self.variant_list: list[tuple[str, int]] = []
        self.max_len = max((len(k) for k in names), default=2)
        self.project_variants = project_variants
        variants = sorted((v for v in project_variants if len(v) >= 4), key=len, reverse=True)
        self._project_re = re.compile("|".join(map(re.escape, variants))) if variants else None
        self._labels: dict[str, ParsedLabel] = {}
        # (sentence, ((start, number text), …)) → its resolved claims
        self._sentences: dict[tuple[str, tuple[tuple[int, str], ...]], tuple[Resolved, ...]] = {}

    # -------------------------------------------------------------- names
    def match_name(self, label: str) -> tuple[str, Targets] | None:
        """The longest known name the label ends with, whose preceding text is only subject words."""
        for k in range(min(len(label), self.max_len), 1, -1):
            key = label[-k:]
            targets = self.names.get(key)
            if targets is not None and PREFIX_OK.match(label[:-k]):
                return key, targets
        return None

    def project(self, name: str) -> int | None:
        """The model index of a project named in text (full name, short form, or with a subject prefix)."""
        i = self.project_variants.get(name)
        if i is None:
            hit = self.match_name(name)
            if hit is not None:
                ids = [key for owner, key in hit[1] if owner == "project" and isinstance(key, int)]   # = every project
                i = ids[0] if len(ids) == 1 else None
        return i if i is not None and i >= 0 else None

    def parse_label(self, label: str) -> ParsedLabel:
        """('named', name, targets, kind, sign) | ('kind', subject, kind, sign) | ('unknown',) (cached)."""
        hit = self._labels.get(label)
        if hit is not None:
            return hit
        cur, kind, sign = label, None, 1
        result: ParsedLabel = ("unknown",)
        # '实际支出分别为25万元、10万元': which figure is whose is unclear
        while not _RESPECTIVELY.search(label):
            named = self.match_name(cur)
            if named is not None:
                result = ("named", named[0], named[1], kind, sign)
                break
            if not cur or PREFIX_OK.match(cur):
                result = ("kind", cur, kind, sign) if kind is not None else ("unknown",)
                break
            step = peel_one(cur)
            if step is None:
                break
            cur, k, s = step
            if kind is None and k is not None:
                kind, sign = k, s
        if len(self._labels) > 20_000:
            self._labels.clear()
        self._labels[label] = result
        return result

    def mentioned_project(self, text: str) -> int | None:
        """The last project named in a stretch of text (None when none, or when ambiguous)."""
        if self._project_re is None or not text:
            return None
        last = None
        for m in self._project_re.finditer(text):
            last = m.group(0)
        return None if last is None else self.project(last)

    # -------------------------------------------------------------- claims
    def resolve(self, claims: tuple[AmountClaim, ...]) -> tuple[Resolved, ...]:
        """Resolve the amount claims of one text, sentence by sentence (cached per sentence)."""
        out: list[Resolved] = []
        i = 0
        while i < len(claims):
            j = i
            while j < len(claims) and claims[j].sentence is claims[i].sentence:
                j += 1
            group = claims[i:j]
            key = (group[0].sentence, tuple((c.start, c.number_text) for c in group))
            hit = self._sentences.get(key)
            if hit is None:
                hit = self._resolve_sentence(group)
                if len(self._sentences) > 20_000:
                    self._sentences.clear()
                self._sentences[key] = hit
            out += hit
            i = j
        return tuple(out)

    def _resolve_sentence(self, group: tuple[AmountClaim, ...]) -> tuple[Resolved, ...]:
        out = []
        context: Context = None
        scanned = 0
        sentence = group[0].sentence
        for c in group:
            mention = self.mentioned_project(sentence[scanned:c.start])
            scanned = c.start + len(c.label)
            mention_ctx: Context = ("project", mention) if mention is not None else None
            if mention_ctx is not None:
                context = mention_ctx
            parsed = self.parse_label(c.label)
            refs: tuple[Ref, ...] = ()
            sign = 1
            if parsed[0] == "named":
                _, name, targets, kind, sign = parsed
                refs = self.named_refs(name, targets, kind, context)
                owners = {o for o, _ in targets}
                if "project" in owners and len(targets) == 1:
                    context = ("project", targets[0][1])
                elif owners <= {"econ", "function", "tp"}:
                    context = ("class", targets)
                elif name not in self.fund_names:
                    context = None
            elif parsed[0] == "kind":
                _, subject, kind, sign = parsed
                refs = self._kind_refs(subject, kind, context, from_mention=mention_ctx is not None,
                                       projects_said=bool(PROJECTS_SAID.search(sentence, 0, c.start)))
            else:
                context = ("unknown",)
            if c.approx or c.change or not refs:
                continue
            out.append(Resolved(c, refs, sign))
        return tuple(out)

    def named_refs(self, name: str, targets: Targets, kind: str | None, context: Context) -> tuple[Ref, ...]:
        refs: list[Ref] = []
        for owner, key in targets:
            if owner == "field":
                if name in self.fund_names and context is not None and context[0] == "project":
                    return ()             # '…项目…，其中财政资金…': the project's funds, not the unit's
                refs += _unit_field_refs(str(key), kind)   # a 'field' key is its path
            elif owner == "project":
                refs.append(Ref("project", key, kind))
            elif owner in ("econ", "function"):
                if kind in (None, "actual"):
                    refs.append(Ref(owner, key, "actual"))
            elif owner == "tp":
                if kind in (None, "actual"):
                    refs.append(Ref("tp", key, "actual"))
                elif kind in ("budget", "final", "initial"):
                    refs.append(Ref("tp", key, "budget"))
        return tuple(refs)

    def _kind_refs(self, subject: str, kind: str, context: Context, from_mention: bool,
                   projects_said: bool = False) -> tuple[Ref, ...]:
        unit_refs = tuple(Ref("field", path, kind) for path in UNIT_KIND_FIELDS.get(kind, ()))
        if kind not in _SELF_NAMING_KINDS and not _HAS_SUBJECT.search(subject):
            unit_refs = ()                # a bare '支出 8 万元' / '预算 8 万元' names nothing by itself
        if _UNIT_MARKER.search(subject):
            return unit_refs
        if context is None:
            # '年中追加项目2个，追加资金8.38万元': about some projects, not the unit — unsure
            return () if projects_said else unit_refs
        if context[0] == "unknown":
            return ()
        if context[0] == "project":
            own = (Ref("project", context[1], kind),)
            # a project merely mentioned earlier, and a clause with its own subject ('全年支出…'): either
            return own + unit_refs if from_mention and _HAS_SUBJECT.search(subject) else own
        if context[0] == "class":
            return self.named_refs("", context[1], kind, None)
        return ()


def _unit_field_refs(path: str, kind: str | None) -> list[Ref]:
    if path.startswith("income."):
        return [Ref("field", path, kind)]
    if kind in (None, "actual"):
        return [Ref("field", path, kind)]
    if path == "expenditure.project_total":
        if kind == "budget":              # '项目支出总投入' is said of spending as often as of the budget
            return [Ref("field", "expenditure.project_budget_total", kind), Ref("field", path, "actual")]
        if kind in ("final", "initial"):
            return [Ref("field", "expenditure.project_budget_total", kind)]
    return []


_BRACKET_OR_COLON = regex.compile(r"[（()）：:]")


def _usable_name(name: str) -> str | None:
    """A registry name as narrative writes it, or None when it is only a kind ('年初预算', '年末结余结转'),
    which the narrative grammar reads as a kind of whatever the sentence is about."""
    name = clean_label(name)
    if len(name) < 2 or _BRACKET_OR_COLON.search(name):
        return None
    rest = peel(name)[0]
    ends_with_kind = name.endswith(_KIND_ENDINGS)
    if ends_with_kind and (not rest or PREFIX_OK.match(rest)):
        return None
    return name


def build_lexicon(project_names: tuple[str, ...], econ_names: tuple[str, ...] = (),
                  function_names: tuple[str, ...] = ()) -> Lexicon:
    """The one place the narrative vocabulary is assembled: unit figures and the 三公 parts with their
    labels and aliases from the field registry (core/fields.py), every project name and its short forms,
    every economic- and functional-class name. A name with several referents (a 三公 part that is also an
    economic class, two projects sharing a short form) keeps them all."""
    from .rules._common import name_variants   # the project short forms, shared with PRJ/NAR rules

    names: dict[str, tuple[tuple[str, object], ...]] = {}

    def add(name: str, target: tuple[str, object]) -> None:
        old = names.get(name, ())
        if target not in old:
            names[name] = old + (target,)

    fund_names = set()
    for key in _UNIT_KEYS:
        for n in fields.names_of(key):
            usable = _usable_name(n)
            if usable:
                add(usable, ("field", key))
                if key in _FUND_KEYS:
                    fund_names.add(usable)
    for part in fields.THREE_PUBLIC_PARTS.choices:
        for n in part.names:
            n = clean_label(n)
            if len(n) >= 2:
                add(n, ("tp", part.code))
    variants: dict[str, int] = {}
    variant_list = [(v, i) for i, pname in enumerate(project_names) for v in name_variants(pname)]
    for i, pname in enumerate(project_names):
        forms = name_variants(clean_label(pname))
        forms += [f + "项目" for f in forms if not f.endswith("项目")]   # '宣传培训' written '宣传培训项目'
        for v in dict.fromkeys(forms):
            add(v, ("project", i))
            variants[v] = i if v not in variants else -1
    for owner, lines in (("econ", econ_names), ("function", function_names)):
        grouped: dict[str, list[int]] = {}
        for i, name in enumerate(lines):
            name = clean_label(name or "")
            if len(name) >= 2:
                grouped.setdefault(name, []).append(i)
        for name, idx in grouped.items():
            add(name, (owner, tuple(idx)))
    lex = Lexicon(names, variants, frozenset(fund_names))
    lex.variant_list = variant_list     # (short form, project index) as name_variants gives them (NAR-05, PRJ)
    return lex


def normalise_sentence(sentence: str) -> str:
    """For repeat detection: drop a short '项目有效性分析：' style lead-in, spaces and end marks."""
    s = re.sub(r"\s+", "", sentence)
    head, sep, rest = s.partition("：")
    if sep and len(head) <= 12 and rest:
        s = rest
    return s.rstrip("。；;！？!?")
