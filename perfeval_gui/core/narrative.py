"""Figure claims in the officer's narrative text (DOMAIN.md §8). Pure Python, no Qt.

:func:`extract` reads one narrative text and returns the claims it makes — labelled amounts
("其中基本支出184.9万元"), counts ("编制人数 7人"), project sentences ("…4万元，实际支出4万元，
结余结转4万元"), the self-evaluation score and grade, enumerations ("3个，分别为：A、B、C"),
"无…" statements. It knows nothing about the model: the NAR-* rules tie each claim to a field
(:func:`resolve_label`) and compare. The extractor is conservative: approximate numbers ("80余",
"约") are marked ``approx`` and never compared for equality; 亿元 figures are ignored; labels
that are not one of the known words (or a project / economic-class name) produce no claim.

Results are cached per text (``functools.lru_cache``) so a recheck after a keystroke only
re-reads the paragraph that changed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .money import decimals_of
from .numbers import NumberParseError, chinese_numeral, parse_number

# ------------------------------------------------------------------ claim records


@dataclass(frozen=True)
class AmountClaim:
    label: str            # text before the number, cleaned, fillers stripped ('基本支出', '营商环境指标评价')
    bare: str             # label with a trailing '支出' removed too ('人员经费支出' → '人员经费')
    generic_total: bool   # the label is only '…年/全年/本中心 + 支出' → expenditure total
    hint: str             # 'budget' (投入/预算), 'actual' (实际支出/已支出) or ''
    value: Decimal        # in 万元, exact
    decimals: int         # decimals of the value in 万元 (sets the comparison precision)
    approx: bool
    number_text: str      # as written, e.g. '184.9万元'
    sentence: str


@dataclass(frozen=True)
class CountClaim:
    field: str            # 'staff_authorized' | 'staff_actual' | 'org_units'
    value: int
    approx: bool
    sentence: str


@dataclass(frozen=True)
class ProjectSentence:
    name: str
    budget: Decimal
    actual: Decimal
    carryover: Decimal
    sentence: str


@dataclass(frozen=True)
class ScoreClaim:
    score: Decimal
    sentence: str


@dataclass(frozen=True)
class GradeClaim:
    grade: str
    sentence: str


@dataclass(frozen=True)
class ListClaim:
    stated: int
    counted: int
    items: tuple[str, ...]
    noun: str
    sentence: str


@dataclass(frozen=True)
class ZeroStatement:
    label: str            # the static label that is said to be absent ('结余结转')
    sentence: str


@dataclass(frozen=True)
class Extraction:
    sentences: tuple[str, ...]
    amounts: tuple[AmountClaim, ...] = ()
    counts: tuple[CountClaim, ...] = ()
    projects: tuple[ProjectSentence, ...] = ()
    scores: tuple[ScoreClaim, ...] = ()
    grades: tuple[GradeClaim, ...] = ()
    lists: tuple[ListClaim, ...] = ()
    zeros: tuple[ZeroStatement, ...] = ()


# ------------------------------------------------------------------ label lexicon
# static label → model target key (resolved by the NAR rules)
STATIC_LABELS: dict[str, str] = {
    "预算收入": "income.budget_total", "全年预算": "income.budget_total", "年初预算": "income.budget_initial",
    "调整追加": "income.budget_adjustment", "追加预算": "income.budget_adjustment",
    "其他资金来源": "income.other_sources", "其他资金": "income.other_sources",
    "上年结转": "income.carryover_prior", "财政资金": "income.fiscal_funds", "财政拨款": "income.fiscal_funds",
    "支出合计": "expenditure.total", "总支出": "expenditure.total", "支出总额": "expenditure.total",
    "基本支出": "expenditure.basic", "人员经费": "expenditure.personnel",
    "日常公用经费": "expenditure.public_ops", "公用经费": "expenditure.public_ops",
    "项目支出": "expenditure.project_total",
    "结余结转": "expenditure.carryover_end", "结转结余": "expenditure.carryover_end",
    "三公经费": "three_public.total", "三公": "three_public.total",
    "公务接待费": "three_public.reception.actual", "公务接待": "three_public.reception.actual",
    "因公出国费": "three_public.abroad.actual", "因公出国": "three_public.abroad.actual",
    "公务用车购置费": "three_public.vehicle_purchase.actual", "公务用车购置": "three_public.vehicle_purchase.actual",
    "公务用车运行维护费": "three_public.vehicle_operation.actual",
    "公务用车运行费": "three_public.vehicle_operation.actual",
}
# the first (official) label of each figure: how a finding names a field path to the officer
FIGURE_LABELS: dict[str, str] = {}
for _label, _path in STATIC_LABELS.items():
    FIGURE_LABELS.setdefault(_path, _label)
FIGURE_LABELS.update({"three_public.total_stated": "“三公”经费", "three_public.total": "“三公”经费"})


def figure_label(path: str) -> str:
    """'expenditure.total' → '支出合计'; a path without a label is shown as it is."""
    return FIGURE_LABELS.get(path, path)


# labels whose "无…" statement NAR-04 checks (三公 items are TPF-05's)
ZERO_LABELS = ("结余结转", "结转结余", "项目支出", "基本支出", "调整追加", "上年结转", "其他资金", "三公经费")

# words allowed before a label: subject, year, "其中" … anything else makes the label ambiguous
PREFIX_OK = re.compile(
    r"^(其中|\d{4}年度?|全年|本年度?|年度|当年|(本|我|该)(中心|单位|部门|局|委|办|院|所|站)|共计?|合计|累计|整体"
    r"|的|实际|年初预算项目|年中追加项目|主要内容|支出主要内容|分别为|包括)*$")
_SUBJECT_ONLY = re.compile(
    r"^(\d{4}年度?|全年|本年度?|年度|当年|(本|我)(中心|单位|部门|局|委|办|院|所|站)|共计?|合计|累计|整体)+$")
_HAS_SUBJECT = re.compile(r"\d{4}年|全年|本年|(本|我)(中心|单位|部门|局|委|办|院|所|站)")
FILLERS = ("为", "是", "达到", "达", "共计", "合计", "总计", "共", "约", "资金", "金额", "总额", "总投入",
           "投入", "实际支出", "已支出", "实际", "累计", "计", "了", "有", "数")
_BUDGET_HINT = ("投入", "预算")
_ACTUAL_HINT = ("实际支出", "已支出")

_AMOUNT_RE = re.compile(
    r"(?P<pre>约|近|超过|逾)?(?P<num>\d[\d,，]*(?:\.\d+)?)\s*(?P<suf>余|多)?\s*(?P<unit>亿元|万元|元)")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？、（(）)\n]")
_QUOTES = re.compile(r"[“”\"‘’'「」《》\s]|（境）|\(境\)")
_SENTENCE_END = re.compile(r"[。！？；;!?\n]")

_COUNT_RE = re.compile(
    r"(?P<label>编制人数|编制|实有人数|在职人数|实有人员|内设科室|内设机构)[为共有：:\s]*"
    r"(?P<num>\d+|[一二两三四五六七八九十]+)\s*(?P<suf>余|多)?\s*(?P<unit>人|名|个)")
_COUNT_FIELDS = {"编制人数": "staff_authorized", "编制": "staff_authorized", "实有人数": "staff_actual",
                 "在职人数": "staff_actual", "实有人员": "staff_actual", "内设科室": "org_units",
                 "内设机构": "org_units"}
_NUM = r"\d[\d,]*(?:\.\d+)?"
_PROJECT_RE = re.compile(
    rf"(?P<name>[^，,。；;：:、\s]{{2,40}}?)(?:金额|预算|资金)?(?P<a>{_NUM})万元[，,]\s*实际支出(?P<b>{_NUM})万元[，,]\s*"
    rf"结余结转(?P<c>{_NUM})万元")
_SCORE_RE = re.compile(r"自评[^，。；]{0,12}?得分[为是：:]?\s*(?P<num>\d+(?:\.\d+)?)\s*分")
_GRADE_RE = re.compile(r"等级[为是：:]?\s*[“\"「]?(?P<g>优|良|中|差)[”\"」]?")
_LIST_RE = re.compile(
    r"(?P<num>\d+|[一二两三四五六七八九十]+)\s*(?P<unit>个|名|项|家|所|类)(?P<noun>[^，,。；;：:]{0,12}?)[，,]?\s*"
    r"(?:(?:分别为|分别是|包括)[：:]?|[：:])\s*(?P<items>[^。；;\n]+)")
_AWARD_RE = re.compile(r"(?P<num>\d+|[一二两三四五六七八九十]+)个[^，。；]{0,8}?(奖项|荣誉)")
_AWARD_VERB = re.compile(r"荣膺|荣获|获评|获得|入选|摘得")
_ZERO_RE = re.compile(r"(无|没有|未发生)[^。；，,]{0,12}?(" + "|".join(ZERO_LABELS) + ")")


def split_sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
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


def strip_fillers(label: str) -> tuple[str, str]:
    """Remove filler words from the end of a label; returns (label, hint)."""
    hint = ""
    changed = True
    while changed and label:
        changed = False
        for filler in sorted(FILLERS, key=len, reverse=True):
            if label.endswith(filler) and len(label) > 0:
                if filler in _ACTUAL_HINT and not hint:
                    hint = "actual"
                elif any(filler.endswith(b) for b in _BUDGET_HINT) and not hint:
                    hint = "budget"
                label = label[: -len(filler)]
                changed = True
                break
    return label, hint


def _number(text: str):
    try:
        return parse_number(text)
    except NumberParseError:
        return None


def _count_value(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return chinese_numeral(text)


def _amounts(sentence: str, skip_spans: list[tuple[int, int]]) -> list[AmountClaim]:
    out = []
    for m in _AMOUNT_RE.finditer(sentence):
        if any(a <= m.start() < b for a, b in skip_spans):
            continue
        unit = m.group("unit")
        if unit == "亿元":
            continue
        parsed = _number(m.group("num").replace("，", ",") + unit)
        if parsed is None:
            continue
        approx = bool(m.group("pre") or m.group("suf"))
        value = parsed.in_wan
        # clause before the number
        head = sentence[: m.start()]
        cut = max((mm.end() for mm in _CLAUSE_BREAK.finditer(head)), default=0)
        raw = clean_label(head[cut:])
        label, hint = strip_fillers(raw)
        bare = label
        generic = False
        if bare.endswith("支出"):
            bare, hint2 = strip_fillers(bare[:-2])
            hint = hint or hint2
            if bare and _SUBJECT_ONLY.match(bare) and _HAS_SUBJECT.search(bare):
                generic = True
        if not label and not generic:
            continue
        out.append(AmountClaim(label, bare, generic, hint, value, decimals_of(value), approx,
                               m.group(0), sentence))
    return out


@lru_cache(maxsize=4096)
def extract(text: str) -> Extraction:
    """Every claim in one narrative text (cached per text)."""
    sents = split_sentences(text or "")
    amounts, counts, projects, scores, grades, lists, zeros = [], [], [], [], [], [], []
    for k, s in enumerate(sents):
        skip: list[tuple[int, int]] = []
        for m in _PROJECT_RE.finditer(s):
            name = clean_label(m.group("name"))
            name = re.sub(r"^(\d+[.．、]\s*)?(年初预算项目|年中追加项目)?", "", name)
            a, b, c = (_number(m.group(x)) for x in "abc")
            if name and a and b and c:
                projects.append(ProjectSentence(name, a.value, b.value, c.value, s))
                skip.append((m.start(), m.end()))
        amounts += _amounts(s, skip)
        for m in _COUNT_RE.finditer(s):
            v = _count_value(m.group("num"))
            if v is not None:
                counts.append(CountClaim(_COUNT_FIELDS[m.group("label")], v, bool(m.group("suf")), s))
        for m in _SCORE_RE.finditer(s):
            scores.append(ScoreClaim(Decimal(m.group("num")), s))
        if "自评" in s or "评价等级" in s:
            for m in _GRADE_RE.finditer(s):
                grades.append(GradeClaim(m.group("g"), s))
        for m in _LIST_RE.finditer(s):
            stated = _count_value(m.group("num"))
            items_text = m.group("items").strip()
            if stated is None or "等" in items_text or "余" in m.group(0)[:6]:
                continue
            items = tuple(x.strip() for x in re.split(r"[、，,]", items_text) if x.strip())
            if len(items) >= 2 and all(len(x) <= 20 for x in items):
                lists.append(ListClaim(stated, len(items), items, clean_label(m.group("noun")), s))
        for m in _AWARD_RE.finditer(s):
            stated = _count_value(m.group("num"))
            counted = 0
            for nxt in sents[k + 1:]:
                hits = len(_AWARD_VERB.findall(nxt))
                if not hits:
                    break
                counted += hits
            if stated is not None and counted:
                lists.append(ListClaim(stated, counted, (), clean_label(m.group(0)), s))
        for m in _ZERO_RE.finditer(s):
            zeros.append(ZeroStatement(m.group(2), s))
    return Extraction(tuple(sents), tuple(amounts), tuple(counts), tuple(projects), tuple(scores),
                      tuple(grades), tuple(lists), tuple(zeros))


def match_suffix(label: str, keys: dict[str, object], max_len: int) -> tuple[str, object] | None:
    """The longest key the label ends with, whose preceding text is only subject/filler words."""
    for k in range(min(len(label), max_len), 1, -1):
        key = label[-k:]
        target = keys.get(key)
        if target is not None and PREFIX_OK.match(label[:-k]):
            return key, target
    return None


def normalise_sentence(sentence: str) -> str:
    """For repeat detection: drop a short '项目有效性分析：' style lead-in, spaces and end marks."""
    s = re.sub(r"\s+", "", sentence)
    head, sep, rest = s.partition("：")
    if sep and len(head) <= 12 and rest:
        s = rest
    return s.rstrip("。；;！？!?")
