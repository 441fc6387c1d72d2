"""The one number parser: printed cell or narrative text to Decimal, blank stays None."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋％　：（）",
    "0123456789.,-+% :()",
)
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
BLANK_MARKS = {"", "-", "—", "--", "——", "/", "－"}


def to_halfwidth(text: str) -> str:
    """Fold full-width digits and punctuation so one regex reads both forms."""
    return text.translate(_FULLWIDTH)


def parse_number(text: str | None) -> Decimal | None:
    """Parse a printed figure ("1,202.95", "１２３", "-32.12", "55.81%").

    Returns None for a blank or dash cell and for text that is not a number;
    callers decide whether that is blank or prose.
    """
    if text is None:
        return None
    s = to_halfwidth(str(text)).strip().replace(" ", "").replace("\u00a0", "")
    if s.endswith("%"):
        s = s[:-1]
    if s in BLANK_MARKS:
        return None
    if s.startswith("(") and s.endswith(")"):  # accounting negative
        s = "-" + s[1:-1]
    if not _NUMBER.match(s):
        return None
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


_NUMBERISH = re.compile(r"^[+-]?[\d０-９][\d０-９,，.．\sEe+-]*[%％]?$")
_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")


def unparsable_figure(text: str | None) -> bool:
    """Printed like a figure ("1,2,3", "4.866E+1", "1.2.3") but not one: worth a warning, never a guess."""
    if text is None:
        return False
    s = str(text).strip()
    return bool(_NUMBERISH.match(s)) and parse_number(s) is None and not _DATE.match(s)


def is_blank(text: str | None) -> bool:
    return text is None or to_halfwidth(str(text)).strip() in BLANK_MARKS


def format_number(value: Decimal, places: int | None = None) -> str:
    """Thousands separators, keeping the disclosed precision unless told otherwise."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    s = f"{value:,f}"
    return s


CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int:
    """1-99 written in digits or Chinese numerals (七 → 7, 十二 → 12, 二十 → 20, 三十五 → 35): table numbers,
    dates' months and days, counts; 0 for anything else."""
    if text.isdigit():
        return int(text)
    tens, ten, ones = text.partition("十")
    if not ten:
        return CN_DIGITS.get(text, 0) if len(text) == 1 else 0
    return (CN_DIGITS.get(tens, 0) if tens else 1) * 10 + CN_DIGITS.get(ones, 0)
