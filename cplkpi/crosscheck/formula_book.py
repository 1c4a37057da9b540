"""The cross-check's workbook: the cases as WORKDAY.INTL/NETWORKDAYS.INTL formulas, cached values poisoned."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from cplkpi.crosscheck.cases import Scenario
from cplkpi.ooxml.cells import cell, escape, number_text, row
from cplkpi.scoring.errors import column_letter
from cplkpi.scoring.thaidate import excel_serial

#: The cached value every formula cell carries before recalculation.
POISON = "POISON"
#: Columns of a case sheet.
HEADER = ("case", "scenario", "start", "days", "end", "WORKDAY.INTL", "NETWORKDAYS.INTL")
WORKDAY_COL, NETWORKDAYS_COL = "F", "G"
HOLIDAY_SHEET = "holidays"

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


# --- the workbook ---------------------------------------------------------------------------------


def _cell_number(ref: str, value: float, style: int = 0) -> str:
    return cell(ref, number_text(value), style=f' s="{style}"' if style else "", escaped=True)


def _cell_formula(ref: str, formula: str, cached: float | None, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    if cached is None or (isinstance(cached, float) and np.isnan(cached)):
        return cell(ref, POISON, t="str", style=s, f=formula)
    return cell(ref, str(int(cached)), style=s, f=formula)


def _sheet_xml(rows: Iterator[str]) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}"><sheetData>'
    yield from rows
    yield "</sheetData></worksheet>"


def _header_row(values: Sequence[str]) -> str:
    cells = "".join(
        cell(f"{chr(65 + j)}1", text=v) for j, v in enumerate(values)
    )
    return row(1, cells)


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
            yield row(r, (
                f'{_cell_number(f"A{r}", ids[i])}{_cell_number(f"B{r}", scen[i])}'
                f"{_cell_number(f'C{r}', serial_start[i], 1)}{_cell_number(f'D{r}', days[i])}"
                f"{_cell_number(f'E{r}', serial_end[i], 1)}"
                f"{_cell_formula(f'F{r}', f'WORKDAY.INTL(C{r},D{r},1,{hol})', cw[i], 1)}"
                f"{_cell_formula(f'G{r}', f'NETWORKDAYS.INTL(C{r},E{r},1,{hol})', cn[i])}"
            ))

    def holiday_rows() -> Iterator[str]:
        yield _header_row([f"scenario {s.key}" for s in scenarios])
        serials = [excel_serial(h) for h in holiday_lists]
        for r in range(max(len(h) for h in holiday_lists)):
            cells = "".join(
                _cell_number(f"{column_letter(j + 1)}{r + 2}", col[r], 1)
                for j, col in enumerate(serials)
                if r < len(col)
            )
            yield row(r + 2, cells)

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
        for k in range(len(names)):
            lo, hi = k * rows_per_sheet, min(len(cases), (k + 1) * rows_per_sheet)
            with zf.open(f"xl/worksheets/sheet{k + 1}.xml", "w") as fh:
                _write_text(fh, _sheet_xml(case_rows(lo, hi)))
        with zf.open(f"xl/worksheets/sheet{len(sheets)}.xml", "w") as fh:
            _write_text(fh, _sheet_xml(holiday_rows()))
    return names


def _write_text(fh: IO[bytes], parts: Iterator[str]) -> None:
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


