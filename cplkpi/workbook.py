"""Reading a complaint workbook into the canonical tables.

A complaint workbook has a complaint sheet and, optionally, a progress-report
sheet, the Step-3 monthly-report sheet, an audit-sample sheet and a calendar
sheet of extra holidays/working days (names in ``scoring.tables.SHEETS``,
Thai or English). Values are read with python-calamine (fast, values only);
the source file is opened read-only and never written.
"""

from __future__ import annotations

import csv
import datetime as _dt
import html
import io
import os
import re
import zipfile
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string


from cplkpi.scoring import thai_calendar
from cplkpi.scoring.calendar import Calendar
from cplkpi.scoring.errors import InputError, Problem, column_letter
from cplkpi.scoring.rules import RuleSet
from cplkpi.scoring.scores import ScoreResult, score
from cplkpi.scoring.tables import (
    SHEETS,
    ExcelError,
    Normalized,
    header_key,
    normalize_audit_sample,
    normalize_calendar_overrides,
    normalize_complaints,
    normalize_monthly_reports,
    normalize_progress,
)

__all__ = ["ComplaintWorkbook", "read_workbook", "read_csv", "csv_rows", "from_sheets", "find_sheet",
           "choose_sheets"]


@dataclass
class ComplaintWorkbook:
    """The normalised tables of one workbook, with every problem found while reading."""

    complaints: Normalized
    progress: Normalized | None = None
    monthly_reports: Normalized | None = None
    audit_sample: Normalized | None = None
    calendar_overrides: Normalized | None = None
    path: Path | None = None
    extra_problems: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        out = list(self.extra_problems)
        for part in (self.complaints, self.progress, self.monthly_reports, self.audit_sample,
                     self.calendar_overrides):
            if part is not None:
                out.extend(part.problems)
        return out

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def raise_on_error(self) -> ComplaintWorkbook:
        if self.errors:
            raise InputError(self.errors)
        return self

    @property
    def agency(self) -> str | None:
        """The agency named in the complaint sheet (the most frequent value), if any."""
        col = self.complaints.table.get("agency")
        if col is None or col.dropna().empty:
            return None
        return str(col.dropna().mode().iloc[0])

    def calendar(self) -> Calendar:
        """The BMA calendar with this workbook's extra holidays and working days."""
        if self.calendar_overrides is None or self.calendar_overrides.table.empty:
            return thai_calendar()
        t = self.calendar_overrides.table
        hol = t.loc[t["kind"] == "holiday", "date"].dropna()
        work = t.loc[t["kind"] == "workday", "date"].dropna()
        return thai_calendar(hol.to_numpy(), work.to_numpy())

    def fiscal_years(self) -> list[int]:
        """Fiscal years (B.E.) that the complaints were forwarded in, ascending."""
        from cplkpi.scoring.thaidate import fiscal_year

        fy = fiscal_year(self.complaints.table["forwarded_on"].dropna())
        return sorted({int(x) for x in fy})

    def score(self, *, fiscal_year: int | None = None, rules: RuleSet | str = "bma-2557",
              as_of: Any = None, start: Any = None, end: Any = None) -> ScoreResult:
        """Score the workbook (default: its latest fiscal year)."""
        if fiscal_year is None and start is None:
            years = self.fiscal_years()
            if not years:
                raise InputError([Problem("no_rows", "ไม่มีเรื่องร้องเรียนที่มีวันที่ศูนย์แจ้งเรื่อง",
                                          "no complaint with a forwarding date", self.complaints.sheet)])
            fiscal_year = years[-1]
        return score(
            self.complaints.table,
            self.progress.table if self.progress is not None else None,
            self.monthly_reports.table if self.monthly_reports is not None else None,
            self.audit_sample.table if self.audit_sample is not None else None,
            rules=rules, fiscal_year=fiscal_year, start=start, end=end, as_of=as_of,
            calendar=self.calendar(),
        )


def find_sheet(names: Sequence[str], key: str, hidden: Collection[str] = ()) -> str | None:
    """The workbook's sheet for a canonical sheet key (``complaints``, ``progress``, …).

    Visible sheets come before ``hidden`` ones; within each, the accepted names are tried in their
    order of preference (the Thai name first), so a generic ``Data`` sheet never wins over
    ``เรื่องร้องเรียน``; among sheets with the same name key, the first.
    """
    for group in ([n for n in names if n not in hidden], [n for n in names if n in hidden]):
        by_key: dict[str, str] = {}
        for name in group:
            by_key.setdefault(header_key(name), name)
        for alias in SHEETS[key][1]:
            if header_key(alias) in by_key:
                return by_key[header_key(alias)]
    return None


def choose_sheets(names: Sequence[str], where: str | None = None,
                  hidden: Collection[str] = ()) -> dict[str, str | None]:
    """The sheet of each canonical key; the only sheet of a one-sheet workbook is the complaint sheet.
    Raises :class:`InputError` (naming ``where``, the file) when there is no complaint sheet."""
    chosen = {key: find_sheet(names, key, hidden) for key in SHEETS}
    if chosen["complaints"] is None and len(names) == 1:
        chosen["complaints"] = names[0]
    if chosen["complaints"] is None:
        expected = " / ".join(SHEETS["complaints"][1])
        raise InputError([Problem(
            "missing_sheet", f"ไม่พบชีตเรื่องร้องเรียน: ตั้งชื่อชีตว่า {expected} "
            f"(ชีตในไฟล์: {', '.join(names)})", f"no complaint sheet: name it {expected} "
            f"(sheets in the file: {', '.join(names)})", sheet=where)])
    return chosen


_NORMALIZERS: dict[str, Callable[..., Normalized]] = {
    "monthly_reports": normalize_monthly_reports,
    "audit_sample": normalize_audit_sample,
    "calendar_overrides": normalize_calendar_overrides,
}


def _ambiguous_sheets(names: Sequence[str], hidden: Collection[str] = ()) -> list[Problem]:
    """Warnings for canonical sheets that more than one sheet could be (the one :func:`find_sheet`
    prefers is used)."""
    out = []
    for key, (label, aliases) in SHEETS.items():
        wanted = {header_key(a) for a in aliases}
        matches = [n for n in names if header_key(n) in wanted]
        if len(matches) > 1:
            used = find_sheet(names, key, hidden)
            others = ", ".join(n for n in matches if n != used)
            out.append(Problem(
                "ambiguous_sheet", f"มีหลายชีตที่เป็นชีต{label}: ใช้ชีตนี้ ไม่ได้อ่านชีต {others}",
                f"several sheets could be the {key} sheet: this one is used, not {others}",
                sheet=used, severity="warning"))
    return out


def from_sheets(sheets: Mapping[str, Sequence[Sequence[Any]]], path: Path | None = None) -> ComplaintWorkbook:
    """Build a :class:`ComplaintWorkbook` from rows per sheet name (rows start at Excel row 1).

    This is the door for every reader: calamine on a file, openpyxl, or an
    xlwings ``Book`` in Excel. Cells holding an Excel error value may be given
    as :class:`~cplkpi.scoring.tables.ExcelError` (or the plain text ``#N/A``…).
    """
    names = list(sheets)
    chosen = choose_sheets(names, path.name if path is not None else None)
    comp_name = chosen["complaints"]
    complaints = normalize_complaints(sheets[comp_name], comp_name)
    book = ComplaintWorkbook(complaints, path=path, extra_problems=_ambiguous_sheets(names))
    if chosen["progress"] is not None:
        book.progress = normalize_progress(sheets[chosen["progress"]], chosen["progress"],
                                           complaint_ids=complaints.table["complaint_id"])
    for attr, key in (("monthly_reports", "monthly_reports"), ("audit_sample", "audit_sample"),
                      ("calendar_overrides", "calendar")):
        if chosen[key] is not None:
            setattr(book, attr, _NORMALIZERS[attr](sheets[chosen[key]], chosen[key]))
    return book


#: File suffixes read as delimited text.
CSV_SUFFIXES = (".csv", ".tsv", ".txt")


def read_workbook(path: str | Path) -> ComplaintWorkbook:
    """Read a complaint workbook (.xlsx/.xlsm, or a .csv of the complaint sheet) from disk, read-only.

    The file is first checked by :func:`cplkpi.guard.check_workbook_file`
    (refused: encrypted, legacy, corrupt, zip bombs, oversized sheets; warned:
    macros, external links). Values only: formulas and macros are never
    evaluated. The problems also report Excel error values (naming the
    formula), merged cells and hidden rows, columns and sheets in the sheets
    read, and formulas stored without a value.
    """
    path = Path(path)
    if path.suffix.lower() in CSV_SUFFIXES:
        return read_csv(path)
    from python_calamine import CalamineWorkbook

    from cplkpi.guard import check_workbook_file, sheet_parts

    warnings = check_workbook_file(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        with zipfile.ZipFile(path) as zf:
            parts = sheet_parts(zf)
            all_names = list(wb.sheet_names)
            hidden = {n for n, (_, state) in parts.items() if state != "visible"}
            chosen = choose_sheets(all_names, path.name, hidden)
            problems = list(warnings) + _ambiguous_sheets(all_names, hidden)
            sheets: dict[str, list[list[Any]]] = {}
            scans: dict[str, _SheetScan] = {}
            xml: dict[str, bytes] = {}
            wanted = [name for name in all_names if name in chosen.values()]
            # calamine parses outside the GIL: the sheets are read side by side while the XML is scanned here
            with ThreadPoolExecutor(max_workers=max(1, min(len(wanted), os.cpu_count() or 1))) as pool:
                loading = {name: pool.submit(_sheet_rows, path, name) for name in wanted}
                for name in wanted:
                    key = next(k for k, v in chosen.items() if v == name)
                    if name in hidden:
                        problems.append(Problem(
                            "hidden_sheet", f"ชีตนี้ถูกซ่อนไว้ แต่ถูกอ่านเป็นชีต{SHEETS[key][0]}",
                            f"this sheet is hidden but is read as the {key} sheet", sheet=name,
                            severity="warning"))
                    xml[name] = zf.read(parts[name][0]) if name in parts else b""
                    scans[name] = _scan_sheet(xml[name])
                for name in wanted:
                    rows, scans[name].merged = loading[name].result()
                    _put_errors(rows, scans[name].errors)
                    _put_serials(rows, xml.pop(name))
                    sheets[name] = rows
    except InputError:
        raise
    except Exception as exc:  # calamine or zip errors on a file the guard let through
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError([Problem(
            "corrupt_xlsx", f"อ่านไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหาย ({detail})",
            f"cannot read the Excel file, it may be corrupt ({type(exc).__name__}: {detail})",
            sheet=path.name)]) from exc
    book = from_sheets(sheets, path)
    for part in (book.complaints, book.progress, book.monthly_reports, book.audit_sample,
                 book.calendar_overrides):
        if part is not None and part.sheet in scans:
            problems += _layout_problems(part, scans[part.sheet], len(sheets[part.sheet]))
    book.extra_problems[:0] = problems
    return book


def _sheet_rows(path: Path, name: str) -> tuple[list[list[Any]], list[Any]]:
    """The rows (from A1) and merged ranges of one sheet; its own reader, so threads do not share one."""
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name)
    return sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges or [])


# --- what calamine does not tell: error values, hidden rows/columns, formulas without values ---------

_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>', re.S)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_TEXT_TYPE = re.compile(rb'\bt="(?:str|inlineStr)"')
_VALUE_TEXT = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VOLATILE = re.compile(rb"\b(?:TODAY|NOW)\s*\(", re.I)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')


@dataclass
class _SheetScan:
    """Facts from one sheet's XML (0-based row/column indexes)."""

    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: list[int] = field(default_factory=list)
    errors: dict[tuple[int, int], ExcelError] = field(default_factory=dict)
    no_value: list[tuple[int, int]] = field(default_factory=list)
    #: cells whose formula gives today's date or time (=TODAY(), =NOW()): row, column, formula
    volatile: list[tuple[int, int, str]] = field(default_factory=list)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def _scan_sheet(xml: bytes) -> _SheetScan:
    """Read what the values reader drops, with quick substring tests first (most sheets have none)."""
    scan = _SheetScan()
    if (b'hidden="1"' in xml or b'hidden="true"' in xml) and _HIDDEN.search(xml):
        for m in _ROW_TAG.finditer(xml):
            if _HIDDEN.search(m[1]) and (num := _ROW_NUMBER.search(m[1])):
                scan.hidden_rows.append(int(num[1]) - 1)
        for m in _COL_TAG.finditer(xml):
            if _HIDDEN.search(m[1]):
                lo, hi = re.search(rb'\bmin="(\d+)"', m[1]), re.search(rb'\bmax="(\d+)"', m[1])
                if lo and hi:
                    scan.hidden_cols += range(int(lo[1]) - 1, min(int(hi[1]), 16384))
    if b'="e"' in xml:
        for m in _ERROR_CELL.finditer(xml):
            ref, value = _REF.search(m[1]), _VALUE_TEXT.search(m[2])
            if ref is None or value is None:
                continue
            f = _FORMULA.search(m[2])
            formula = None if f is None else html.unescape((f[1] or b"").decode("utf-8", "replace"))
            key = (int(ref[2]) - 1, column_index_from_string(ref[1].decode()) - 1)
            scan.errors[key] = ExcelError(value[1].decode("utf-8", "replace").strip(), formula)
    if (b"<f" in xml or b":f" in xml) and _HAS_FORMULA.search(xml):
        done = -1
        for f in _HAS_FORMULA.finditer(xml):  # visit only the cells that hold a formula
            if f.start() < done:
                continue
            near = max(0, f.start() - 2048)  # the cell's opening tag is just before its <f>
            opening = max(xml.rfind(b"<c ", near, f.start()), xml.rfind(b":c ", near, f.start()))
            m = _CELL.match(xml, xml.rfind(b"<", 0, opening + 1)) if opening >= 0 else None
            if m is None or m.end() < f.start() or (ref := _REF.search(m[1])) is None:
                continue
            done = m.end()
            value = _VALUE_TEXT.search(m[2])
            text_result = _TEXT_TYPE.search(m[1]) is not None  # a formula may give "" (an empty <v></v>)
            if not (value is not None and (value[1] or text_result)):
                scan.no_value.append((int(ref[2]) - 1, column_index_from_string(ref[1].decode()) - 1))
            elif (text := _FORMULA.search(m[2])) is not None and _VOLATILE.search(text[1] or b""):
                scan.volatile.append((int(ref[2]) - 1, column_index_from_string(ref[1].decode()) - 1,
                                      "=" + html.unescape(text[1].decode("utf-8", "replace"))))
    return scan


#: A number cell holding what a date reader cannot show as a date: below 1 (0, -1, 0.5) or 60 (29/02/1900).
_SMALL_NUMBER = re.compile(rb'<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?v>\s*'
                           rb'(-[0-9.Ee+-]+|0(?:\.[0-9]*)?(?:[Ee]-?[0-9]+)?|60(?:\.[0-9]*)?)\s*</(?:\w+:)?v>')
_NOT_NUMBER = re.compile(rb'\bt="(?!n")')
#: What calamine makes of a date-formatted 59 or 60: Excel shows 60 as 29/02/1900, a day that never was.
_FEB_28_1900 = _dt.date(1900, 2, 28)


def _put_serials(rows: list[list[Any]], xml: bytes) -> None:
    """Put back the number stored in a date-formatted cell where calamine shows something else: a serial
    below 1 (0, -1) read as a time of day, and 60 read as 28/02/1900 (Excel shows 29/02/1900, its fictional
    day). The date reader then names the number (:func:`cplkpi.scoring.thaidate.parse_dates`)."""
    for m in _SMALL_NUMBER.finditer(xml):
        if _NOT_NUMBER.search(m[1]) or (ref := _REF.search(m[1])) is None:
            continue
        r, c = int(ref[2]) - 1, column_index_from_string(ref[1].decode()) - 1
        value = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
        if isinstance(value, _dt.time) or (type(value) is _dt.date and value == _FEB_28_1900):
            rows[r][c] = float(m[2])


def _put_errors(rows: list[list[Any]], errors: Mapping[tuple[int, int], ExcelError]) -> None:
    """Put the error values calamine reads as empty back into the rows."""
    for (r, c), err in errors.items():
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        if len(row) <= c:
            row.extend([""] * (c + 1 - len(row)))
        row[c] = err


def _spans(numbers: Sequence[int]) -> str:
    """``3, 10–12`` for [3, 10, 11, 12] (at most 10 spans shown)."""
    spans: list[list[int]] = []
    for n in sorted(set(numbers)):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans[:10])
    return text + (" …" if len(spans) > 10 else "")


def _layout_problems(part: Normalized, scan: _SheetScan, n_rows: int) -> list[Problem]:
    """Warnings for merged cells, hidden rows/columns and formulas without values in a sheet that was read."""
    sheet, header = part.sheet, part.header_row
    by_letter = {letter: head for head, letter in part.columns.values()}
    out: list[Problem] = []

    def warn(code: str, th: str, en: str, row: int | None = None, letter: str | None = None) -> None:
        header_name = by_letter.get(letter) if letter else None
        out.append(Problem(code, th, en, sheet, row, header_name, letter, "warning"))

    for (r0, c0), (r1, c1) in sorted(scan.merged):
        if r1 + 1 < header or r0 >= n_rows:
            continue  # a merged title above the header is fine
        first = f"{column_letter(c0 + 1)}{r0 + 1}"
        ref = f"{first}:{column_letter(c1 + 1)}{r1 + 1}"
        warn("merged_cells", f"เซลล์ผสาน {ref}: มีค่าเฉพาะเซลล์ {first} เซลล์อื่นในช่วงนี้ถือว่าว่าง "
             "ให้ยกเลิกการผสานและใส่ค่าให้ครบทุกแถว",
             f"merged cells {ref}: only {first} holds the value and the other cells count as empty; "
             "unmerge them and fill in every row", r0 + 1, column_letter(c0 + 1))
    rows = [r + 1 for r in scan.hidden_rows if header <= r < n_rows]
    if rows:
        warn("hidden_rows", f"แถวที่ซ่อนอยู่ {_spans(rows)} ยังถูกนับรวมในการคำนวณ (รวมแถวที่ถูกตัวกรองซ่อนไว้): "
             "ตรวจว่าควรนับหรือไม่", f"hidden rows {_spans(rows)} are still counted (rows hidden by a "
             "filter too): check that they should be")
    cols = sorted({column_letter(c + 1) for c in scan.hidden_cols} & set(by_letter),
                  key=lambda x: (len(x), x))
    if cols:
        warn("hidden_columns", f"คอลัมน์ที่ซ่อนอยู่ {', '.join(cols)} ยังถูกอ่าน",
             f"hidden columns {', '.join(cols)} are still read", header, cols[0])
    if scan.no_value:
        cells = [f"{column_letter(c + 1)}{r + 1}" for r, c in sorted(scan.no_value)]
        r, c = sorted(scan.no_value)[0]
        warn("formula_without_value",
             f"สูตร {len(cells):,} เซลล์ไม่มีค่าที่คำนวณไว้ (เช่น {', '.join(cells[:3])}) จึงอ่านเป็นค่าว่าง: "
             "เปิดไฟล์ใน Excel แล้วบันทึกใหม่ให้สูตรคำนวณ",
             f"{len(cells):,} formula cell{'s have' if len(cells) > 1 else ' has'} no stored value (e.g. "
             f"{', '.join(cells[:3])}) and read{'' if len(cells) > 1 else 's'} as empty: open the file in "
             "Excel and save it so that the formulas are calculated",
             r + 1, column_letter(c + 1))
    by_column: dict[int, list[tuple[int, str]]] = {}
    for r, c, formula in sorted(scan.volatile):
        if header <= r < n_rows and column_letter(c + 1) in by_letter:
            by_column.setdefault(c, []).append((r, formula))
    for c, cells in sorted(by_column.items()):
        (r, formula), letter = cells[0], column_letter(c + 1)
        more = len(cells) - 1
        many = (f" และอีก {more:,} เซลล์", f" and {more:,} more cells") if more else ("", "")
        warn("formula_today", f"สูตร {formula}{many[0]} ให้วันที่ของวันที่เปิดไฟล์ ไม่ใช่วันที่ดำเนินการ: cplkpi อ่านค่าที่"
             "คำนวณไว้ตอนบันทึกไฟล์ครั้งล่าสุด ซึ่งเปลี่ยนทุกวัน ให้ใส่วันที่จริงเป็นค่าแทนสูตร",
             f"the formula {formula}{many[1]} gives the date the file is opened, not the date of the action: "
             "cplkpi reads the value stored when the file was last saved, which changes every day; enter the "
             "real date as a value instead of the formula", r + 1, letter)
    return out


# --- CSV -------------------------------------------------------------------------------------------


def _decode_csv(raw: bytes, path: Path) -> tuple[str, Problem | None]:
    """The text of a CSV file: UTF-8 (with or without BOM) or UTF-16 with BOM, else Thai TIS-620/cp874
    with a warning; refused when it is neither."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), None
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        position = exc.start
    try:
        text = raw.decode("cp874")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(
            "csv_encoding",
            f"อ่านรหัสอักขระของไฟล์ CSV ไม่ได้ (ไม่ใช่ UTF-8 หรือ TIS-620/cp874 ที่ไบต์ {max(position, exc.start):,}): "
            "บันทึกใหม่เป็น CSV UTF-8",
            f"cannot tell the character encoding of the CSV file (neither UTF-8 nor TIS-620/cp874 at byte "
            f"{max(position, exc.start):,}): save it again as CSV UTF-8", sheet=path.name)]) from exc
    return text, Problem(
        "csv_encoding_cp874", "ไฟล์ CSV ไม่ได้เข้ารหัส UTF-8 จึงอ่านด้วยรหัสภาษาไทย TIS-620 (cp874): "
        "ตรวจว่าอักษรไทยถูกต้อง", "the CSV file is not UTF-8, so it was read as Thai TIS-620 (cp874): "
        "check that the Thai text is right", sheet=path.name, severity="warning")


def csv_rows(path: str | Path) -> tuple[list[list[str]], Problem | None]:
    """The records of a CSV file as rows (blank lines kept, so row numbers stay line numbers) and the
    encoding warning, if any. UTF-8 or UTF-16 with BOM, else Thai TIS-620/cp874; the delimiter is the
    most frequent of ``,`` ``;`` tab ``|`` in the first non-blank line."""
    from cplkpi.guard import check_csv_file

    path = Path(path)
    text, warning = _decode_csv(check_csv_file(path), path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t|", key=first.count)
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)], warning


def read_csv(path: str | Path) -> ComplaintWorkbook:
    """Read a CSV export of the complaint sheet (header row and title rows as in a sheet).

    The delimiter is the most frequent of ``,`` ``;`` tab ``|`` in the first
    line; the "sheet" of every problem is the file name and the row is the
    record number (the line number unless a quoted field spans lines).
    """
    path = Path(path)
    rows, warning = csv_rows(path)
    book = from_sheets({path.name: rows}, path)
    if warning is not None:
        book.extra_problems.insert(0, warning)
    return book
