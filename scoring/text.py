"""One normalisation of the text people type for headers and complaint ids.

What looks the same on screen must compare the same: a header with a
zero-width space (``วันที่ตอบรับ`` + U+200B) is the header ``วันที่ตอบรับ``;
``เเ`` (two SARA E) typed for ``แ`` and ``ํา`` (NIKHAHIT + SARA AA) typed for
``ำ`` are the same letters; ``６３００００１`` (full-width) and ``๖๓๐๐๐๐๑``
(Thai digits) are ``6300001``. Every reader (workbook sheets, CSV files, MIS
and Traffy exports) goes through :func:`normalize_text` for headers and
:func:`normalize_ids` for ids, and reports each cell it changed
(docs/decisions.md).

The result is NFC, has no zero-width, BOM, soft-hyphen or direction-mark
characters, and applying the function again changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "INVISIBLE",
    "change_note",
    "normalize_id",
    "normalize_ids",
    "normalize_text",
    "short_repr",
    "show_invisible",
    "text_changes",
]

#: Characters that show nothing: zero-width space/joiners, word joiner, BOM (also as ZWNBSP), soft hyphen,
#: Mongolian vowel separator, left-to-right/right-to-left marks, embeddings, overrides and isolates.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_TABLE: dict[int, Any] = {ord(c): None for c in INVISIBLE}
# full-width ASCII (U+FF01–U+FF5E) → ASCII; the ideographic space → space
_TABLE.update({cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)})
_TABLE[0x3000] = " "
# spaces that look like a space: no-break, figure, narrow no-break, en/em and the like
_TABLE.update(dict.fromkeys((160, 8199, 8239, *range(8192, 8203)), " "))
# Thai digits → ASCII digits
_TABLE.update({0x0E50 + d: ord("0") + d for d in range(10)})

_THAI_TONE = "\u0e48-\u0e4b"
#: ``ํ`` (NIKHAHIT) before ``า``, with a tone mark before or between: the keyboard way of typing ``ำ``.
_SARA_AM = re.compile(f"([{_THAI_TONE}]?)\u0e4d([{_THAI_TONE}]?)\u0e32")
#: ``เเ``: two SARA E typed for SARA AE.
_SARA_AE = re.compile("\u0e40\u0e40")
#: A tone mark typed before the vowel above or below it (``ท่ี`` for ``ที่``): both orders look the same,
#: the canonical order is the vowel first (NFC reorders only the vowels below, not those above).
_TONE_FIRST = re.compile(f"([{_THAI_TONE}]+)([\u0e31\u0e34-\u0e3a]+)")
#: The same Thai vowel or tone mark typed twice in a row shows once.
_DOUBLE_MARK = re.compile("([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\\1+")


#: Anything :func:`_once` would change in an NFC text: one search tells that a text is already normal.
_SUSPECT = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp in sorted(_TABLE)) + "\u0e4d]|\u0e40\u0e40|"
    + _DOUBLE_MARK.pattern + "|" + _TONE_FIRST.pattern
)


def _once(text: str) -> str:
    s = unicodedata.normalize("NFC", text.translate(_TABLE))
    s = _SARA_AM.sub(lambda m: m[1] + m[2] + "\u0e33", s)
    s = _SARA_AE.sub("\u0e41", s)
    s = _TONE_FIRST.sub(r"\2\1", s)
    return unicodedata.normalize("NFC", _DOUBLE_MARK.sub(r"\1", s))


def normalize_text(text: Any) -> str:
    """``text`` as it should compare: NFC, invisible characters removed, Thai look-alikes unified
    (``เเ`` → ``แ``, ``ํา`` → ``ำ``, a vowel or tone mark typed twice → once, a tone mark typed before the
    vowel above or below it → after), full-width and Thai
    digits → ASCII, odd spaces → a space. Idempotent; case and outer spaces are kept.

    >>> normalize_text("วันที่\u200bตอบรับ")
    'วันที่ตอบรับ'
    >>> normalize_text("วันที่เเล้วเสร็จ")
    'วันที่แล้วเสร็จ'
    """
    s = str(text)
    if s.isascii() or (not _SUSPECT.search(s) and unicodedata.is_normalized("NFC", s)):
        return s
    out = _once(s)
    while (again := _once(out)) != out:  # a replacement may bring two marks together: settle
        out = again
    return out


def normalize_id(value: Any) -> str:
    """A complaint id as it should compare: :func:`normalize_text`, outer spaces removed, Latin letters in
    upper case (``ab-12`` and ``AB-12`` are the same complaint)."""
    s = str(value)
    if s.isascii():
        return s.strip().upper()
    out = normalize_text(s).strip().upper()
    for _ in range(3):  # upper case may need NFC again (Greek with two accents): settle
        if (again := normalize_text(out).strip().upper()) == out:
            break
        out = again
    return out


def normalize_ids(values: pd.Series) -> pd.Series:
    """:func:`normalize_id` of a text column (``string`` dtype, NA kept), vectorised: ASCII ids are only
    stripped and upper-cased by pandas' string methods; the few others are normalised once per value."""
    s = values.astype("string")
    out = s.str.strip().str.upper()
    other = ~s.str.isascii().fillna(True).to_numpy(dtype=bool)
    if other.any():
        codes, uniques = pd.factorize(s[other])
        fixed = np.array([normalize_id(u) for u in uniques], dtype=object)
        out[other] = fixed[codes]
    return out


def text_changes(before: pd.Series, after: pd.Series) -> pd.Series:
    """True where normalisation changed more than outer spaces (a change worth a warning)."""
    b = before.astype("string").str.strip()
    return (b != after.astype("string")).fillna(False).astype(bool)


def show_invisible(text: Any) -> str:
    """``text`` with each invisible character written as ``⟨U+200B⟩``, so that a message can show it."""
    return "".join(f"⟨U+{ord(c):04X}⟩" if c in INVISIBLE else c for c in str(text))


def change_note(raw: Any, clean: str, what: tuple[str, str]) -> tuple[str, str]:
    """Thai and English words for a value that normalisation changed, saying what was changed: ``what``
    (Thai, English) is the kind of value (``หัวตาราง``/``header``)."""
    raw = str(raw).strip()
    reasons: list[tuple[str, str]] = []
    if any(c in INVISIBLE for c in raw):
        reasons.append(("ตัดอักขระที่มองไม่เห็นออก", "invisible characters removed"))
    visible = "".join(c for c in raw if c not in INVISIBLE)
    if visible.translate(_TABLE) != visible:
        reasons.append(("เปลี่ยนตัวเลขเต็มความกว้าง เลขไทย หรือช่องว่างพิเศษเป็นแบบปกติ",
                        "full-width or Thai digits or odd spaces made plain"))
    text = normalize_text(raw)
    plain = visible.translate(_TABLE)
    if _TONE_FIRST.search(unicodedata.normalize("NFC", plain)):
        reasons.append(("เรียงวรรณยุกต์ที่พิมพ์ก่อนสระบนหรือล่างไว้หลังสระ", "tone marks typed before the vowel above "
                        "or below put after it"))
        plain = unicodedata.normalize("NFC", _TONE_FIRST.sub(r"\2\1", unicodedata.normalize("NFC", plain)))
    if text != plain:
        reasons.append(("แก้อักษรไทยที่พิมพ์ต่างรูป เช่น เเ เป็น แ หรือ ํา เป็น ำ",
                        "look-alike Thai letters unified, such as เเ to แ or ํา to ำ"))
    if clean != text.strip():
        reasons.append(("เปลี่ยนเป็นตัวพิมพ์ใหญ่", "letters made upper case"))
    why_th = "; ".join(r[0] for r in reasons)
    why_en = "; ".join(r[1] for r in reasons)
    shown = show_invisible(raw)
    return (f'อ่าน{what[0]} "{shown}" เป็น "{clean}": {why_th}; ควรแก้ในไฟล์ต้นฉบับ',
            f'{what[1]} "{shown}" read as "{clean}": {why_en}; correct the source file')


def short_repr(value: Any, limit: int = 60) -> str:
    """``repr(value)`` as an error message quotes it: at most ``limit`` characters, cut with ``…``."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit - 3]}…"
