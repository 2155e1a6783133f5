"""The one number parser used by every input path (fields, tables, paste, Excel, narrative).

Accepts what officers type or copy: full-width digits (１２３．４), thousands separators
(1,234.56 / 1，234.56 / 1 234,00), trailing units (万元/元/亿元/%/人/名/个/项/件/次/篇/家),
¥/￥ prefixes, accounting negatives ((12.30) → −12.30), blanks and dashes as "no value",
Chinese numerals for counts (十一, 两, 二十三, 一百), and approximate forms (80余, 约30, 130多).
Anything else raises :class:`NumberParseError` with a Chinese message naming the text.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from . import regex
from .records import record
from .money import yuan_to_wan

MAX_TEXT = 64          # longer input cannot be a figure
MAX_INT_DIGITS = 15    # 万元 amounts beyond 10^15 are typing errors
MAX_DECIMALS = 8

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋（）％　：",
    "0123456789.,-+()% :",
)
_EMPTY = {"", "-", "—", "——", "–", "/", "／", "无", "空", "n/a", "N/A", "－", "―"}
MONEY_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000)}
COUNT_UNITS = ("人次", "人", "名", "个", "项", "件", "次", "篇", "家", "间", "辆", "台", "条", "期", "分", "万次")
_UNITS_ORDERED = sorted(list(MONEY_UNITS) + list(COUNT_UNITS) + ["%", "‰"], key=len, reverse=True)
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER_RE = regex.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class NumberParseError(ValueError):
    """Raised with a Chinese message naming the text that could not be read."""

    def __init__(self, text: str, reason: str = "") -> None:
        shown = text if len(text) <= 40 else text[:40] + "…"
        message = f"无法识别的数字：“{shown}”"
        if reason:
            message += f"（{reason}）"
        super().__init__(message)
        self.text = text
        self.reason = reason


@record(frozen=True)
class ParsedNumber:
    """A number read from text: value in the unit written, that unit, and whether it was approximate (80余, 约30)."""
    value: Decimal          # as written, in ``unit``
    unit: str = ""          # '万元', '元', '亿元', '%', '人', … or ''
    approx: bool = False    # "80余", "约30": a lower bound, never compared for equality

    @property
    def in_wan(self) -> Decimal:
        """The value converted to 万元 (exact); a unit-less value is taken as 万元."""
        if self.unit == "元":
            return yuan_to_wan(self.value)
        if self.unit == "亿元":
            value = self.value.scaleb(4)
            exponent = value.as_tuple().exponent
            return value.quantize(1) if isinstance(exponent, int) and exponent > 0 else value
        return self.value


def normalise_text(text: str) -> str:
    """Full-width → half-width, strip spaces of every kind at the ends."""
    return text.translate(_FULLWIDTH).replace("\u2212", "-").replace("\u00a0", " ").strip()


CN_NUMERALS = "一二三四五六七八九十"


def to_chinese_numeral(n: int) -> str:
    """1 → '一', 10 → '十', 12 → '十二', 23 → '二十三' (1–99; the numbering of headings and items)."""
    if not 1 <= n <= 99:
        return str(n)
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUMERALS[tens - 1]) + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def chinese_numeral(text: str) -> int | None:
    """'十一' → 11, '两' → 2, '二十三' → 23, '一百零五' → 105; None when not a numeral."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    total, current = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            total += (1 if current is None else current) * unit
            current = None
    if current is not None:
        total += current
    return total


def _strip_grouping(body: str, original: str) -> str:
    """Remove thousands separators; interpret a lone decimal comma ("1 234,00")."""
    if " " in body:
        parts = body.split(" ")
        if not all(p for p in parts) or not all(len(p) == 3 for p in parts[1:-1] if p):
            raise NumberParseError(original, "空格位置不对")
        # the last group may carry a decimal comma/point
        last = parts[-1]
        head = re.split(r"[.,]", last)[0]
        if len(head) != 3 or not parts[0].isdigit() or len(parts[0]) > 3:
            raise NumberParseError(original, "空格位置不对")
        body = "".join(parts)
        if "," in body and "." not in body:
            body = body.replace(",", ".")
        return body
    if "," in body:
        int_part, _, frac = body.partition(".")
        groups = int_part.lstrip("+-").split(",")
        if len(groups) == 2 and "." not in body and len(groups[1]) in (1, 2) and groups[0].isdigit():
            return body.replace(",", ".")  # "12,5" decimal comma
        if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            raise NumberParseError(original, "千分位分隔符位置不对")
        return int_part.replace(",", "") + ("." + frac if "." in body else "")
    return body


# What a stored figure may hold: typed text gives ≤ 15 integer digits and ≤ 8 decimals; 亿元 adds 4
# integer digits, 元 adds 4 decimals. The project loader (core/serialize) enforces the same limits.
MAX_STORED_INT_DIGITS = MAX_INT_DIGITS + 4
MAX_STORED_DECIMALS = MAX_DECIMALS + 4
MAX_STORED_DIGITS = MAX_INT_DIGITS + MAX_DECIMALS


def storable_problem(value: Decimal) -> str | None:
    """Why ``value`` cannot be stored in a report (Chinese), or None. One limit for every input path:
    typed, pasted, imported from Excel or read from a project file."""
    sign, digits, exponent = value.as_tuple()
    if not value.is_finite() or not isinstance(exponent, int):    # the same test, for the type checker
        return "不是有限数字"
    if -MAX_STORED_DECIMALS <= exponent <= 0 and len(digits) <= MAX_STORED_INT_DIGITS:
        return None      # the common case, within every limit below (each imported cell comes here)
    decimals = max(0, -exponent)
    int_digits = max(0, len(digits) + exponent) if value else 0
    if value and all(d == 0 for d in digits):
        int_digits = 0
    if int_digits > MAX_STORED_INT_DIGITS or decimals > MAX_STORED_DECIMALS \
            or int_digits + decimals > MAX_STORED_DIGITS + 4 or len(format(value, "f")) > 40:
        return (f"位数过多：整数最多 {MAX_STORED_INT_DIGITS} 位、小数最多 {MAX_STORED_DECIMALS} 位")
    return None


def _storable(value: Decimal, original: str) -> Decimal:
    """Refuse what a project file could not hold (storable_problem): Excel numbers such as 1e+19 or
    1e-300 would otherwise be saved into a file that never loads."""
    problem = storable_problem(value)
    if problem:
        raise NumberParseError(original, "位数过多" if "位数" in problem else problem)
    return value


def parse_number(text: object) -> ParsedNumber | None:
    """Parse one figure as written. None for blank/dash. Raises NumberParseError."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise NumberParseError(str(text), "不是数字")
    if isinstance(text, int):
        return ParsedNumber(_storable(Decimal(text), str(text)))
    if isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise NumberParseError(repr(text), "不是有限数字")
        return ParsedNumber(_storable(Decimal(repr(text)), repr(text)))
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise NumberParseError(str(text), "不是有限数字")
        return ParsedNumber(_storable(text, str(text)))
    if not isinstance(text, str):
        raise NumberParseError(str(text), "不是数字")
    original = text
    if len(text) > MAX_TEXT:
        raise NumberParseError(original, "文字过长")
    s = normalise_text(text)
    if s in _EMPTY:
        return None
    approx = False
    for prefix in ("约", "大约", "近", "超过", "逾"):
        if s.startswith(prefix):
            s, approx = s[len(prefix):].strip(), True
    s = s.lstrip("¥￥").strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        s, negative = s[1:-1].strip(), True
    unit = ""
    for candidate in _UNITS_ORDERED:
        if s.endswith(candidate):
            unit, s = candidate, s[: -len(candidate)].strip()
            break
    for suffix in ("余", "多"):
        if s.endswith(suffix):
            s, approx = s[:-1].strip(), True
    if not s:
        raise NumberParseError(original, "没有数字")
    s = s.lstrip("¥￥").strip()
    if s.startswith("(") and s.endswith(")") and not negative:
        s, negative = s[1:-1].strip(), True
    if any(ch in _CN_DIGITS or ch in _CN_UNITS for ch in s):
        value = chinese_numeral(s)
        if value is None:
            raise NumberParseError(original, "中文数字无法识别")
        number = Decimal(value)
    else:
        s = _strip_grouping(s, original)
        if not _NUMBER_RE.match(s):
            raise NumberParseError(original, "含有非数字字符")
        int_digits = len(s.lstrip("+-").split(".")[0].lstrip("0"))
        frac_digits = len(s.split(".")[1]) if "." in s else 0
        if int_digits > MAX_INT_DIGITS or frac_digits > MAX_DECIMALS:
            raise NumberParseError(original, "位数过多")
        try:
            number = Decimal(s)
        except InvalidOperation as exc:  # pragma: no cover - regex guards this
            raise NumberParseError(original) from exc
    if negative:
        if number < 0:
            raise NumberParseError(original, "负号重复")
        number = -number
    return ParsedNumber(number, unit, approx)


def parse_amount(text: object, default_unit: str = "万元") -> Decimal | None:
    """A money figure converted to 万元 (exact). Rejects count units and percentages."""
    parsed = parse_number(text)
    if parsed is None:
        return None
    unit = parsed.unit or default_unit
    if unit not in MONEY_UNITS:
        raise NumberParseError(str(text), f"金额不能带单位“{parsed.unit}”")
    if parsed.approx:
        raise NumberParseError(str(text), "金额不能是约数")
    value = ParsedNumber(parsed.value, unit).in_wan
    return _storable(value, str(text))


def parse_count(text: object) -> int | None:
    """A headcount or count (人/名/个/项…, or a Chinese numeral). Must be a whole number."""
    parsed = parse_number(text)
    if parsed is None:
        return None
    if parsed.unit in MONEY_UNITS or parsed.unit in ("%", "‰"):
        raise NumberParseError(str(text), "人数/个数不能带金额或百分号")
    if parsed.value != parsed.value.to_integral_value():
        raise NumberParseError(str(text), "人数/个数必须是整数")
    return int(parsed.value)


def parse_score(text: object) -> Decimal | None:
    """A score or weight (分); plain number, optionally with 分."""
    parsed = parse_number(text)
    if parsed is None:
        return None
    if parsed.unit not in ("", "分"):
        raise NumberParseError(str(text), f"分值不能带单位“{parsed.unit}”")
    return parsed.value


def parse_measure(text: object) -> tuple[Decimal | None, str]:
    """An indicator value with any unit ('95%', '100 个') → (value, unit)."""
    parsed = parse_number(text)
    if parsed is None:
        return None, ""
    return parsed.value, parsed.unit
