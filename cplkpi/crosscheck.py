"""Cross-check the business-day engine against a real spreadsheet (headless LibreOffice Calc).

``python -m cplkpi.crosscheck --cases 20000 --seed 8`` writes random cases
into an .xlsx as native ``WORKDAY.INTL`` / ``NETWORKDAYS.INTL`` formulas
(weekend code 1 = Saturday/Sunday) over the same holiday list the engine uses
(:attr:`Calendar.holiday_dates` of ``thai_calendar(extra_holidays,
extra_workdays)``), with every cached formula value *poisoned* (the text
``POISON``), lets LibreOffice recalculate it (:func:`cplkpi.office.recalculate`:
fresh profile, recalculation on load forced), and compares every formula cell,
as an Excel serial number, with :mod:`cplkpi.scoring`.

The cases are drawn to hit the corners: starts across 2000–2027 on ordinary
days, weekends, holidays, the days around holidays and the workbook
overrides, the edge of the covered calendar; ``n`` from −40 to +40 with extra
weight on 0, ±1 and ±3 (the deadlines) and some fractional values (Excel
truncates them toward zero); NETWORKDAYS ends before, on and after the start.
Cases are spread over override scenarios: extra holidays (on working days,
next to holidays, on weekends and on existing holidays) and extra working
days. Extra working days are only drawn on weekday holidays, because Excel's
WORKDAY.INTL cannot express a Saturday or Sunday made a working day.

A WORKDAY case whose result would leave the covered calendar (1997-01-01 …
2027-12-31) is excluded from the comparison explicitly: the engine must refuse
it with :class:`~cplkpi.scoring.errors.CalendarRangeError` and LibreOffice's
result must indeed lie outside the range; both are checked and counted.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import io
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from cplkpi.scoring.calendar import Calendar, thai_calendar
from cplkpi.scoring.errors import CalendarRangeError, column_letter
from cplkpi.scoring.thaidate import excel_serial
from cplkpi.xlsx import sheet_parts

__all__ = [
    "POISON",
    "CrossCheckResult",
    "Scenario",
    "compare",
    "expected_values",
    "main",
    "make_cases",
    "make_scenarios",
    "read_formula_values",
    "run",
    "write_workbook",
]

#: The cached value every formula cell carries before recalculation.
POISON = "POISON"
FIRST_START = _dt.date(2000, 1, 1)
LAST_START = _dt.date(2027, 12, 31)
#: Columns of a case sheet.
HEADER = ("case", "scenario", "start", "days", "end", "WORKDAY.INTL", "NETWORKDAYS.INTL")
WORKDAY_COL, NETWORKDAYS_COL = "F", "G"
HOLIDAY_SHEET = "holidays"

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


# --- scenarios and cases -----------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """One set of workbook overrides; scenario 0 is the shipped calendar as it is."""

    key: int
    extra_holidays: tuple[np.datetime64, ...] = ()
    extra_workdays: tuple[np.datetime64, ...] = ()

    @property
    def calendar(self) -> Calendar:
        return thai_calendar(list(self.extra_holidays), list(self.extra_workdays))

    @property
    def override_days(self) -> np.ndarray:
        return np.array([*self.extra_holidays, *self.extra_workdays], dtype="datetime64[D]")


def _day(d: _dt.date) -> np.datetime64:
    return np.datetime64(d, "D")


def make_scenarios(rng: np.random.Generator, count: int = 12) -> list[Scenario]:
    """Scenario 0 without overrides, then ``count - 1`` random override sets in 2000–2027."""
    base = thai_calendar()
    lo, hi = _day(FIRST_START), _day(LAST_START)
    span = int((hi - lo).astype(np.int64)) + 1
    weekday_holidays = base.holiday_dates[(base.holiday_dates >= lo) & (base.holiday_dates <= hi)]
    out = [Scenario(0)]
    for key in range(1, count):
        anywhere = lo + rng.integers(0, span, rng.integers(5, 30))  # working days, weekends, holidays
        k = rng.integers(2, 10)
        bridges = rng.choice(weekday_holidays, k) + rng.choice([-1, 1], k)
        holidays = np.unique(np.concatenate([anywhere, bridges]).astype("datetime64[D]"))
        work = rng.choice(weekday_holidays, rng.integers(2, 12), replace=False)
        work = np.setdiff1d(work, holidays)
        out.append(Scenario(key, tuple(holidays), tuple(np.sort(work))))
    for s in out:  # the cross-check only holds cases that Excel's WORKDAY.INTL can express
        if len(s.calendar.weekend_workdays):
            raise AssertionError(f"scenario {s.key}: a weekend working day cannot be given to Excel")
    return out


def make_cases(n_cases: int, seed: int, n_scenarios: int = 12) -> tuple[list[Scenario], pd.DataFrame]:
    """Draw ``n_cases`` random cases. Returns the scenarios and a table with one row per case.

    Columns: ``case`` (1-based), ``scenario``, ``start`` and ``end`` (``datetime64[D]``),
    ``days`` (float; fractional for some), ``start_kind`` (how the start was drawn),
    ``workday_excluded`` (True when the WORKDAY result would leave the covered calendar).
    """
    rng = np.random.default_rng(seed)
    scenarios = make_scenarios(rng, n_scenarios)
    cal0 = scenarios[0].calendar
    lo, hi = _day(FIRST_START), _day(LAST_START)
    span = int((hi - lo).astype(np.int64)) + 1
    scen = np.where(rng.random(n_cases) < 0.4, 0, rng.integers(1, n_scenarios, n_cases))
    kinds = np.array(["any", "holiday", "weekend", "override", "near_holiday", "edge"])
    kind = rng.choice(kinds, n_cases, p=[0.30, 0.20, 0.15, 0.15, 0.12, 0.08])
    start = lo + rng.integers(0, span, n_cases).astype("timedelta64[D]")
    for s in scenarios:
        mine = scen == s.key
        cal = s.calendar
        hol = cal.holiday_dates[(cal.holiday_dates >= lo) & (cal.holiday_dates <= hi)]
        pick = mine & (kind == "holiday")
        start[pick] = rng.choice(hol, pick.sum())
        pick = mine & (kind == "near_holiday")
        start[pick] = rng.choice(hol, pick.sum()) + rng.choice([-3, -2, -1, 1, 2, 3], pick.sum())
        pick = mine & (kind == "override")
        near = s.override_days if len(s.override_days) else hol
        start[pick] = rng.choice(near, pick.sum()) + rng.integers(-10, 11, pick.sum())
    pick = kind == "weekend"  # move to the Saturday or Sunday of the drawn week
    monday = start[pick] - ((start[pick].astype(np.int64) + 3) % 7).astype("timedelta64[D]")
    start[pick] = monday + rng.choice([5, 6], pick.sum())
    pick = kind == "edge"  # the last 90 days of the covered calendar, or the first days of 2000
    late = rng.random(pick.sum()) < 0.75
    start[pick] = np.where(
        late, _day(cal0.last) - rng.integers(0, 90, pick.sum()), lo + rng.integers(0, 30, pick.sum())
    )
    start = np.clip(start, lo, hi)

    whole = rng.integers(-40, 41, n_cases)
    special = rng.random(n_cases)
    whole = np.where(special < 0.10, 0, whole)
    whole = np.where((special >= 0.10) & (special < 0.25), rng.choice([-1, 1], n_cases), whole)
    whole = np.where((special >= 0.25) & (special < 0.35), rng.choice([-3, 3], n_cases), whole)
    frac = rng.random(n_cases) < 0.05  # Excel truncates toward zero: 2.7 → 2, -0.4 → 0
    days = whole + np.where(
        frac,
        np.sign(whole + (whole == 0) * rng.choice([-1, 1], n_cases))
        * rng.uniform(0.05, 0.95, n_cases).round(2),
        0.0,
    )

    end = start + rng.integers(-60, 61, n_cases).astype("timedelta64[D]")
    same = rng.random(n_cases) < 0.10
    end[same] = start[same]
    table = pd.DataFrame(
        {
            "case": np.arange(1, n_cases + 1),
            "scenario": scen,
            "start": start,
            "days": days,
            "end": end,
            "start_kind": kind,
        }
    )
    table["workday_excluded"] = False
    for s in scenarios:
        mine = scen == s.key
        if mine.any():
            table.loc[mine, "workday_excluded"] = _leaves_calendar(s.calendar, start[mine], days[mine])
    # a quarter of the NETWORKDAYS ends are the WORKDAY result (networkdays(s, workday(s, n)))
    chained = (rng.random(n_cases) < 0.25) & ~table["workday_excluded"].to_numpy()
    for s in scenarios:
        pick = chained & (scen == s.key)
        if pick.any():
            end[pick] = s.calendar.workday(start[pick], days[pick])
    first, last = _day(cal0.first), _day(cal0.last)
    table["end"] = np.clip(end, first, last)
    return scenarios, table


def _leaves_calendar(cal: Calendar, start: np.ndarray, days: np.ndarray) -> np.ndarray:
    """True where WORKDAY(start, days) lies outside the covered calendar: fewer than |days|
    business days of the calendar come after (days > 0) or before (days < 0) the start."""
    n = np.trunc(days).astype(np.int64)
    own = cal.is_workday(start).astype(np.int64)
    after = cal.networkdays(start, np.full(start.shape, cal.last)) - own
    before = cal.networkdays(np.full(start.shape, cal.first), start) - own
    return ((n > 0) & (n > after)) | ((n < 0) & (-n > before))


def expected_values(scenarios: Sequence[Scenario], cases: pd.DataFrame) -> pd.DataFrame:
    """The engine's results as Excel serials: ``workday`` (NaN where excluded) and ``networkdays``.

    Also checks that the engine refuses every excluded case with :class:`CalendarRangeError`.
    """
    workday = np.full(len(cases), np.nan)
    networkdays = np.full(len(cases), np.nan)
    start = cases["start"].to_numpy().astype("datetime64[D]")
    end = cases["end"].to_numpy().astype("datetime64[D]")
    days = cases["days"].to_numpy()
    excluded = cases["workday_excluded"].to_numpy()
    scen = cases["scenario"].to_numpy()
    for s in scenarios:
        mine = scen == s.key
        if not mine.any():
            continue
        cal = s.calendar
        ok = mine & ~excluded
        workday[ok] = excel_serial(cal.workday(start[ok], days[ok]))
        networkdays[mine] = cal.networkdays(start[mine], end[mine])
        for i in np.flatnonzero(mine & excluded):
            try:
                cal.workday(start[i], days[i])
            except CalendarRangeError:
                continue
            raise AssertionError(f"case {i + 1}: the engine did not refuse a result outside its calendar")
    return pd.DataFrame({"workday": workday, "networkdays": networkdays}, index=cases.index)


# --- the workbook ---------------------------------------------------------------------------------


def _cell_number(ref: str, value: float, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    text = repr(float(value)) if not float(value).is_integer() else str(int(value))
    return f'<c r="{ref}"{s}><v>{text}</v></c>'


def _cell_formula(ref: str, formula: str, cached: float | None, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    if cached is None or (isinstance(cached, float) and np.isnan(cached)):
        return f'<c r="{ref}"{s} t="str"><f>{escape(formula)}</f><v>{POISON}</v></c>'
    return f'<c r="{ref}"{s}><f>{escape(formula)}</f><v>{int(cached)}</v></c>'


def _sheet_xml(rows: Iterator[str]) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}"><sheetData>'
    yield from rows
    yield "</sheetData></worksheet>"


def _header_row(values: Sequence[str]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + j)}1" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for j, v in enumerate(values)
    )
    return f'<row r="1">{cells}</row>'


def write_workbook(
    scenarios: Sequence[Scenario],
    cases: pd.DataFrame,
    path: str | Path,
    *,
    rows_per_sheet: int = 20_000,
    cached: pd.DataFrame | None = None,
) -> list[str]:
    """Write the cases as an .xlsx with WORKDAY.INTL/NETWORKDAYS.INTL formulas; return the sheet names.

    Every formula's cached value is the text :data:`POISON`, so a value read
    back that was not recalculated is recognised. ``cached`` (columns
    ``workday`` and ``networkdays``) writes those values instead (for testing
    the comparison itself). Sheet ``holidays`` holds one column of holiday
    dates per scenario (row 1: the scenario number).
    """
    path = Path(path)
    holiday_lists = [s.calendar.holiday_dates for s in scenarios]
    hol_ranges = {
        s.key: f"{HOLIDAY_SHEET}!${column_letter(j + 1)}$2:${column_letter(j + 1)}${len(h) + 1}"
        for j, (s, h) in enumerate(zip(scenarios, holiday_lists))
    }
    n_sheets = max(1, -(-len(cases) // rows_per_sheet))
    names = [f"cases{i + 1}" for i in range(n_sheets)]
    serial_start = excel_serial(cases["start"].to_numpy().astype("datetime64[D]"))
    serial_end = excel_serial(cases["end"].to_numpy().astype("datetime64[D]"))
    days = cases["days"].to_numpy()
    scen = cases["scenario"].to_numpy()
    ids = cases["case"].to_numpy()
    cw = cached["workday"].to_numpy() if cached is not None else np.full(len(cases), np.nan)
    cn = cached["networkdays"].to_numpy() if cached is not None else np.full(len(cases), np.nan)

    def case_rows(lo: int, hi: int) -> Iterator[str]:
        yield _header_row(HEADER)
        for i in range(lo, hi):
            r = i - lo + 2
            hol = hol_ranges[int(scen[i])]
            yield (
                f'<row r="{r}">{_cell_number(f"A{r}", ids[i])}{_cell_number(f"B{r}", scen[i])}'
                f"{_cell_number(f'C{r}', serial_start[i], 1)}{_cell_number(f'D{r}', days[i])}"
                f"{_cell_number(f'E{r}', serial_end[i], 1)}"
                f"{_cell_formula(f'F{r}', f'WORKDAY.INTL(C{r},D{r},1,{hol})', cw[i], 1)}"
                f"{_cell_formula(f'G{r}', f'NETWORKDAYS.INTL(C{r},E{r},1,{hol})', cn[i])}</row>"
            )

    def holiday_rows() -> Iterator[str]:
        yield _header_row([f"scenario {s.key}" for s in scenarios])
        serials = [excel_serial(h) for h in holiday_lists]
        for r in range(max(len(h) for h in holiday_lists)):
            cells = "".join(
                _cell_number(f"{column_letter(j + 1)}{r + 2}", col[r], 1)
                for j, col in enumerate(serials)
                if r < len(col)
            )
            yield f'<row r="{r + 2}">{cells}</row>'

    sheets = [*names, HOLIDAY_SHEET]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _content_types(len(sheets)))
        zf.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        zf.writestr("xl/workbook.xml", _workbook_xml(sheets))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        zf.writestr("xl/styles.xml", _STYLES)
        for k, name in enumerate(names):
            lo, hi = k * rows_per_sheet, min(len(cases), (k + 1) * rows_per_sheet)
            with zf.open(f"xl/worksheets/sheet{k + 1}.xml", "w") as fh:
                _write_text(fh, _sheet_xml(case_rows(lo, hi)))
        with zf.open(f"xl/worksheets/sheet{len(sheets)}.xml", "w") as fh:
            _write_text(fh, _sheet_xml(holiday_rows()))
    return names


def _write_text(fh: io.BufferedIOBase, parts: Iterator[str]) -> None:
    buf: list[str] = []
    for part in parts:
        buf.append(part)
        if len(buf) >= 2000:
            fh.write("".join(buf).encode("utf-8"))
            buf.clear()
    fh.write("".join(buf).encode("utf-8"))


def _content_types(n: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="{_CT_SHEET}"/>' for i in range(n)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{sheets}</Types>"
    )


def _workbook_xml(names: Sequence[str]) -> str:
    sheets = "".join(
        f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_NS}" '
        f'xmlns:r="{_REL_NS}"><sheets>{sheets}</sheets></workbook>'
    )


def _workbook_rels(n: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(n)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">{rels}'
        f'<Relationship Id="rId{n + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/></Relationships>'
    )


_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
)


# --- reading back and comparing -----------------------------------------------------------------

_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def read_formula_values(path: str | Path, sheets: Sequence[str]) -> dict[tuple[str, str, int], object]:
    """The stored values of the formula columns, from the sheet XML: ``{(sheet, column, row): value}``.

    Numbers come back as floats (Excel serials for dates, no date conversion in
    between), text as str (``POISON`` when not recalculated), error values as
    ``"#NUM!"``-style str.
    """
    from defusedxml.ElementTree import iterparse

    path = Path(path)
    out: dict[tuple[str, str, int], object] = {}
    with zipfile.ZipFile(path) as zf:
        parts = {name: part for name, (part, _) in sheet_parts(zf).items()}
        shared = _shared_strings(zf)
        for name in sheets:
            with zf.open(parts[name]) as fh:
                for _, el in iterparse(fh, events=("end",)):
                    if el.tag != f"{{{_NS}}}c":
                        if el.tag == f"{{{_NS}}}row":
                            el.clear()
                        continue
                    m = _CELL.match(el.get("r", ""))
                    if m is None or m[1] not in (WORKDAY_COL, NETWORKDAYS_COL) or m[2] == "1":
                        continue
                    v = el.find(f"{{{_NS}}}v")
                    text = v.text if v is not None else None
                    kind = el.get("t", "n")
                    if text is None:
                        value: object = None
                    elif kind == "n":
                        value = float(text)
                    elif kind == "s":
                        value = shared[int(text)]
                    else:
                        value = text
                    out[(name, m[1], int(m[2]))] = value
    return out


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    from defusedxml.ElementTree import fromstring

    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    root = fromstring(zf.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{{{_NS}}}t")) for si in root.iter(f"{{{_NS}}}si")]


@dataclass
class CrossCheckResult:
    """The outcome of one cross-check run."""

    seed: int
    cases: int
    workday_cells: int
    networkdays_cells: int
    excluded: int
    disagreements: pd.DataFrame
    coverage: dict[str, int] = field(default_factory=dict)
    seconds_recalc: float = 0.0
    seconds_total: float = 0.0

    @property
    def cells(self) -> int:
        return self.workday_cells + self.networkdays_cells

    @property
    def ok(self) -> bool:
        return self.disagreements.empty

    def summary(self) -> str:
        """One line, Thai with English in parentheses."""
        return (
            f"ตรวจเทียบกับ LibreOffice (cross-check with LibreOffice): seed {self.seed}, "
            f"{self.cases:,} กรณี (cases), {self.cells:,} เซลล์สูตร (formula cells: "
            f"{self.workday_cells:,} WORKDAY.INTL + {self.networkdays_cells:,} NETWORKDAYS.INTL), "
            f"ไม่ตรงกัน {len(self.disagreements):,} (disagreements), "
            f"ตัดออกเพราะผลอยู่นอกปฏิทิน {self.excluded:,} (excluded: WORKDAY result outside the covered "
            f"calendar, refused by the engine and outside the range in LibreOffice too); "
            f"คำนวณใหม่ {self.seconds_recalc:.1f} s, ทั้งหมด {self.seconds_total:.1f} s (recalc, total)"
        )

    def listing(self, limit: int = 50) -> str:
        """The disagreements as text, at most ``limit`` rows."""
        if self.disagreements.empty:
            return ""
        shown = self.disagreements.head(limit).to_string(index=False)
        more = len(self.disagreements) - limit
        return shown + (f"\n... และอีก {more:,} รายการ (and {more:,} more)" if more > 0 else "")


def compare(
    scenarios: Sequence[Scenario],
    cases: pd.DataFrame,
    recalculated: str | Path,
    sheets: Sequence[str],
    *,
    rows_per_sheet: int = 20_000,
) -> tuple[pd.DataFrame, int, int, int]:
    """Compare every formula cell of ``recalculated`` with the engine.

    Returns (disagreements, WORKDAY cells compared, NETWORKDAYS cells compared,
    excluded WORKDAY cells). A disagreement row names the sheet, cell, case,
    inputs, LibreOffice's value and the engine's value (serials and ISO dates).
    """
    expected = expected_values(scenarios, cases)
    values = read_formula_values(recalculated, sheets)
    first = excel_serial(scenarios[0].calendar.first)
    last = excel_serial(scenarios[0].calendar.last)
    rows: list[dict[str, object]] = []
    n_work = n_net = n_excl = 0
    excluded = cases["workday_excluded"].to_numpy()
    for i, case in enumerate(cases.itertuples(index=False)):
        sheet = sheets[i // rows_per_sheet]
        r = i % rows_per_sheet + 2
        for col, func, exp in (
            (WORKDAY_COL, "WORKDAY.INTL", expected["workday"].iat[i]),
            (NETWORKDAYS_COL, "NETWORKDAYS.INTL", expected["networkdays"].iat[i]),
        ):
            got = values.get((sheet, col, r))
            is_num = isinstance(got, float)
            if func == "WORKDAY.INTL" and excluded[i]:
                n_excl += 1
                if is_num and not (first <= got <= last):
                    continue
                problem = "engine refused (outside the calendar) but LibreOffice's result is inside"
            else:
                if func == "WORKDAY.INTL":
                    n_work += 1
                else:
                    n_net += 1
                if is_num and got == exp:
                    continue
                problem = (
                    "not recalculated (cached POISON value)"
                    if got == POISON
                    else "LibreOffice value is not a number"
                    if not is_num
                    else "values differ"
                )
            rows.append(
                {
                    "sheet": sheet,
                    "cell": f"{col}{r}",
                    "case": case.case,
                    "scenario": case.scenario,
                    "function": func,
                    "start": str(case.start)[:10],
                    "days": case.days,
                    "end": str(case.end)[:10],
                    "libreoffice": got,
                    "libreoffice_date": _iso(got) if func == "WORKDAY.INTL" else "",
                    "engine": exp,
                    "engine_date": _iso(exp) if func == "WORKDAY.INTL" else "",
                    "problem": problem,
                }
            )
    return pd.DataFrame(rows), n_work, n_net, n_excl


def _iso(serial: object) -> str:
    if not isinstance(serial, float | int) or np.isnan(serial):
        return ""
    return str(_dt.date(1899, 12, 30) + _dt.timedelta(days=int(serial)))


def _coverage(cases: pd.DataFrame, scenarios: Sequence[Scenario]) -> dict[str, int]:
    """How many cases hit each corner the cross-check is meant to cover."""
    start = cases["start"].to_numpy().astype("datetime64[D]")
    days = cases["days"].to_numpy()
    n = np.trunc(days)
    scen = cases["scenario"].to_numpy()
    bday = np.zeros(len(cases), dtype=bool)
    weekend = ((start.astype(np.int64) + 3) % 7) >= 5
    changed = np.zeros(len(cases), dtype=bool)  # the overrides change the WORKDAY or NETWORKDAYS result
    base = scenarios[0].calendar
    end = cases["end"].to_numpy().astype("datetime64[D]")
    for s in scenarios:
        mine = scen == s.key
        bday[mine] = s.calendar.is_workday(start[mine])
        if s.key == 0:
            continue
        ok = mine & ~cases["workday_excluded"].to_numpy()
        ok[ok] = ~_leaves_calendar(base, start[ok], days[ok])
        changed[ok] = s.calendar.workday(start[ok], days[ok]) != base.workday(start[ok], days[ok])
        changed[mine] |= s.calendar.networkdays(start[mine], end[mine]) != base.networkdays(
            start[mine], end[mine]
        )
    return {
        "start_on_weekend": int(weekend.sum()),
        "start_on_weekday_holiday": int((~bday & ~weekend).sum()),
        "zero_days_on_non_business_day": int(((n == 0) & ~bday).sum()),
        "negative_days": int((n < 0).sum()),
        "fractional_days": int((days != n).sum()),
        "end_before_start": int((cases["end"] < cases["start"]).sum()),
        "with_overrides": int((scen != 0).sum()),
        "result_changed_by_overrides": int(changed.sum()),
        "excluded_outside_calendar": int(cases["workday_excluded"].sum()),
    }


def run(
    n_cases: int = 20_000,
    seed: int = 8,
    *,
    rows_per_sheet: int = 20_000,
    keep: str | Path | None = None,
    timeout: float = 600,
) -> CrossCheckResult:
    """Draw, write, recalculate with LibreOffice and compare ``n_cases`` cases.

    With ``keep`` (a folder), the written workbook (``crosscheck_in.xlsx``), the
    recalculated one (``crosscheck_out.xlsx``) and the disagreements
    (``disagreements.csv``) are kept there for inspection.
    """
    from cplkpi.office import recalculate

    t0 = time.perf_counter()
    scenarios, cases = make_cases(n_cases, seed)
    with tempfile.TemporaryDirectory(prefix="cplkpi-crosscheck-") as tmp:
        folder = Path(keep) if keep is not None else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        src, dst = folder / "crosscheck_in.xlsx", folder / "crosscheck_out.xlsx"
        sheets = write_workbook(scenarios, cases, src, rows_per_sheet=rows_per_sheet)
        t1 = time.perf_counter()
        recalculate(src, dst, timeout=timeout)
        t2 = time.perf_counter()
        disagreements, n_work, n_net, n_excl = compare(
            scenarios, cases, dst, sheets, rows_per_sheet=rows_per_sheet
        )
        if keep is not None and not disagreements.empty:
            disagreements.to_csv(folder / "disagreements.csv", index=False)
    return CrossCheckResult(
        seed,
        n_cases,
        n_work,
        n_net,
        n_excl,
        disagreements,
        _coverage(cases, scenarios),
        t2 - t1,
        time.perf_counter() - t0,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m cplkpi.crosscheck --cases N --seed S [--keep DIR]``.

    Exit status 0 when there is no disagreement, 1 when there are, 2 when
    LibreOffice is missing or fails.
    """
    from cplkpi.office import OfficeError

    parser = argparse.ArgumentParser(
        prog="python -m cplkpi.crosscheck",
        description="ตรวจเทียบ WORKDAY.INTL/NETWORKDAYS.INTL ของ LibreOffice กับเครื่องคำนวณของ cplkpi "
        "(cross-check the engine against LibreOffice's WORKDAY.INTL/NETWORKDAYS.INTL)",
    )
    parser.add_argument("--cases", type=int, default=20_000, help="จำนวนกรณี (number of cases)")
    parser.add_argument("--seed", type=int, default=8, help="seed ของการสุ่ม (random seed)")
    parser.add_argument("--rows-per-sheet", type=int, default=20_000, help="rows per sheet")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="โฟลเดอร์เก็บไฟล์ที่เขียนและที่คำนวณแล้ว (folder to keep the workbooks in)",
    )
    parser.add_argument("--list", type=int, default=50, help="แสดงรายการไม่ตรงกันสูงสุด (disagreements to list)")
    args = parser.parse_args(argv)
    try:
        result = run(args.cases, args.seed, rows_per_sheet=args.rows_per_sheet, keep=args.keep)
    except OfficeError as exc:
        print(f"ข้อผิดพลาด (error): {exc}", file=sys.stderr)
        return 2
    print(result.summary())
    print("ครอบคลุม (coverage): " + ", ".join(f"{k} {v:,}" for k, v in result.coverage.items()))
    if not result.ok:
        print(result.listing(args.list))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
