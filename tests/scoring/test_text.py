"""The one normalisation of headers and ids: invisible characters, Thai look-alikes, full-width digits, case."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cplkpi.scoring.tables import COMPLAINTS, normalize_complaints
from cplkpi.scoring.text import INVISIBLE, change_note, normalize_id, normalize_ids, normalize_text

HEADER = ["เลขที่เรื่อง", "วันที่ศูนย์แจ้งเรื่อง", "วันที่ตอบรับ", "วันที่แล้วเสร็จ", "สถานะ"]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("วันที่ตอบรับ\u200b", "วันที่ตอบรับ"),  # zero-width space after
        ("\ufeffวันที่\u200cตอบรับ", "วันที่ตอบรับ"),  # BOM before, zero-width non-joiner inside
        ("วันที่เเล้วเสร็จ", "วันที่แล้วเสร็จ"),  # เเ typed for แ
        ("ประจ\u0e4d\u0e32เดือน", "ประจำเดือน"),  # ํา typed for ำ
        ("น\u0e4d\u0e49\u0e32", "น้ำ"),  # ํ ้ า: the tone mark typed between
        ("ที่\u0e48", "ที่"),  # the same tone mark typed twice
        ("วันท\u0e48\u0e35ตอบรับ", "วันที่ตอบรับ"),  # the tone mark typed before the vowel above
        ("ก\u0e49\u0e38", "ก\u0e38\u0e49"),  # … before the vowel below
        ("น\u0e49\u0e33", "น้ำ"),  # ำ is no vowel above: kept
        ("\uff16\uff13\uff10\uff10\uff10\uff10\uff11", "6300001"),  # full-width digits
        ("๖๓๐๐๐๐๑", "6300001"),  # Thai digits
        ("วันที่\u00a0ตอบรับ", "วันที่ ตอบรับ"),  # a no-break space is a space
        ("e\u0301", "é"),  # NFC
    ],
)
def test_normalize_text(typed, read):
    assert normalize_text(typed) == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [(" ab-12 ", "AB-12"), ("6300001\u200b", "6300001"), ("\uff16\uff13\uff10\uff10\uff10\uff10\uff11", "6300001"),
     ("2022-9rfq2n", "2022-9RFQ2N"), ("\u200b", "")],
)
def test_normalize_id(typed, read):
    assert normalize_id(typed) == read
    assert normalize_ids(pd.Series([typed, None])).tolist() == [read, pd.NA]


def test_change_note_says_what_was_changed_and_shows_the_invisible_character():
    assert change_note("วันที่ตอบรับ\u200b", "วันที่ตอบรับ", ("หัวตาราง", "header")) == (
        'อ่านหัวตาราง "วันที่ตอบรับ⟨U+200B⟩" เป็น "วันที่ตอบรับ": ตัดอักขระที่มองไม่เห็นออก; ควรแก้ในไฟล์ต้นฉบับ',
        'header "วันที่ตอบรับ⟨U+200B⟩" read as "วันที่ตอบรับ": invisible characters removed; correct the source file',
    )
    assert change_note("\uff16\uff13ab", "63AB", ("เลขที่เรื่อง", "complaint id"))[1] == (
        'complaint id "\uff16\uff13ab" read as "63AB": full-width or Thai digits or odd spaces made plain; '
        "letters made upper case; correct the source file")


THAI = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
ANY = st.one_of(THAI, st.sampled_from(sorted(INVISIBLE)), st.characters(codec="utf-8"),
                st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E))


@settings(max_examples=500, deadline=None)
@given(st.text(ANY, max_size=30))
def test_normalized_text_is_nfc_visible_and_a_fixed_point(text):
    out = normalize_text(text)
    assert unicodedata.is_normalized("NFC", out)
    assert not set(out) & INVISIBLE
    assert "\u0e40\u0e40" not in out and "\u0e4d\u0e32" not in out
    assert not re.search("[\u0e48-\u0e4b][\u0e31\u0e34-\u0e3a]", out)  # no tone mark before a vowel above/below
    assert normalize_text(out) == out
    assert normalize_id(normalize_id(text)) == normalize_id(text)


# --- every reader of sheets: the cell is named, the score does not silently change ---------------------------


def _rows(header: list[str], *ids: str) -> list[list[str]]:
    return [header] + [[i, "1/10/2562", "2/10/2562", "10/10/2562", "เสร็จสิ้น"] for i in ids]


@pytest.mark.parametrize(
    ("column", "typed", "th_reason", "en_reason"),
    [
        (2, "วันที่ตอบรับ\u200b", "ตัดอักขระที่มองไม่เห็นออก", "invisible characters removed"),
        (3, "วันที่เเล้วเสร็จ", "แก้อักษรไทยที่พิมพ์ต่างรูป เช่น เเ เป็น แ หรือ ํา เป็น ำ",
         "look-alike Thai letters unified, such as เเ to แ or ํา to ำ"),
        (2, "วันท\u0e48\u0e35ตอบรับ", "เรียงวรรณยุกต์ที่พิมพ์ก่อนสระบนหรือล่างไว้หลังสระ",
         "tone marks typed before the vowel above or below put after it"),
    ],
)
def test_a_header_with_invisible_or_look_alike_characters_is_read_with_a_warning_at_its_cell(
        column, typed, th_reason, en_reason):
    header = list(HEADER)
    header[column] = typed
    norm = normalize_complaints(_rows(header, "6300001"), "เรื่องร้องเรียน")
    letter = "ABCDE"[column]
    shown = typed.replace("\u200b", "⟨U+200B⟩")
    assert [str(p) for p in norm.problems] == [
        (f'คำเตือน เรื่องร้องเรียน!{letter}1 ({HEADER[column]}): อ่านหัวตาราง "{shown}" เป็น "{HEADER[column]}": '
        f'{th_reason}; ควรแก้ในไฟล์ต้นฉบับ (header "{shown}" read as "{HEADER[column]}": {en_reason}; correct the '
        "source file)")]
    name = next(c for c, col in COMPLAINTS.items() if col.label_th == HEADER[column])
    assert norm.columns[name] == (HEADER[column], letter)
    assert norm.table.loc[2, name] == pd.Timestamp("2019-10-02" if column == 2 else "2019-10-10")


@pytest.mark.parametrize(
    ("second", "th_reason"),
    [("6300001\u200b", "ตัดอักขระที่มองไม่เห็นออก"),
     ("\uff16\uff13\uff10\uff10\uff10\uff10\uff11", "เปลี่ยนตัวเลขเต็มความกว้าง เลขไทย หรือช่องว่างพิเศษเป็นแบบปกติ"),
     ("๖๓๐๐๐๐๑", "เปลี่ยนตัวเลขเต็มความกว้าง เลขไทย หรือช่องว่างพิเศษเป็นแบบปกติ")],
)
def test_ids_that_differ_only_by_invisible_characters_or_digit_forms_are_duplicates(second, th_reason):
    norm = normalize_complaints(_rows(HEADER, "6300001", second), "เรื่องร้องเรียน")
    shown = second.replace("\u200b", "⟨U+200B⟩")
    assert [(p.code, p.row, p.letter, p.severity) for p in norm.problems] == [
        ("id_normalized", 3, "A", "warning"), ("duplicate_id", 3, "A", "error")]
    assert norm.problems[0].message_th == f'อ่านเลขที่เรื่อง "{shown}" เป็น "6300001": {th_reason}; ควรแก้ในไฟล์ต้นฉบับ'
    assert norm.problems[1].message_th == "เลขที่เรื่องซ้ำ 6300001 (ซ้ำกับแถว 2)"


def test_latin_ids_differing_by_case_are_duplicates():
    norm = normalize_complaints(_rows(HEADER, "BKK-12", "bkk-12"), "เรื่องร้องเรียน")
    assert [(p.code, p.row) for p in norm.problems] == [("id_normalized", 3), ("duplicate_id", 3)]
    assert norm.problems[0].message_en == ('complaint id "bkk-12" read as "BKK-12": letters made upper case; '
                                           "correct the source file")
    assert list(norm.table["complaint_id"]) == ["BKK-12", "BKK-12"]


def test_a_missing_required_column_names_the_closest_header_seen():
    header = ["เลขที่เรื่อง", "วันส่ง", "สถานะ"]
    norm = normalize_complaints([header, ["6300001", "1/10/2562", "เสร็จสิ้น"]], "เรื่องร้องเรียน")
    assert norm.errors[0].message_en == (
        "missing required column forwarded_on (header วันที่ศูนย์แจ้งเรื่อง / วันที่ศูนย์ฯแจ้งเรื่อง / "
        "วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง); the closest header found is 'วันส่ง' in column B")


@pytest.mark.parametrize(("column", "typed"), [("I", "วันที่ตอบรับ\u200b"), ("K", "วันที่เเล้วเสร็จ"),
                                              ("I", "วันท\u0e48\u0e35ตอบรับ")])
def test_the_sample_scores_the_same_with_an_invisible_or_look_alike_character_in_a_header(
        column, typed, sample_path, tmp_path):
    from openpyxl import load_workbook

    from cplkpi.reader import read_workbook

    wb = load_workbook(sample_path)
    wb["เรื่องร้องเรียน"][f"{column}1"] = typed
    path = tmp_path / "sample_typed.xlsx"
    wb.save(path)
    book = read_workbook(path)
    assert book.score(fiscal_year=2563).total == pytest.approx(4.5502)
    assert [(p.code, p.row, p.letter) for p in book.problems if p.code == "header_normalized"] == [
        ("header_normalized", 1, column)]
