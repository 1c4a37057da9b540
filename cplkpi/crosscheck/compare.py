"""Reading the recalculated workbook back and comparing every formula cell with the engine."""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cplkpi.crosscheck.cases import Scenario, expected_values, leaves_calendar
from cplkpi.crosscheck.formula_book import NETWORKDAYS_COL, POISON, WORKDAY_COL
from cplkpi.ooxml.parts import sheet_parts
from cplkpi.ooxml.scan import cell_values, shared_strings
from cplkpi.scoring.thaidate import excel_serial

# --- reading back and comparing -----------------------------------------------------------------

_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def read_formula_values(path: str | Path, sheets: Sequence[str]) -> dict[tuple[str, str, int], object]:
    """The stored values of the formula columns, from the sheet XML: ``{(sheet, column, row): value}``.

    Numbers come back as floats (Excel serials for dates, no date conversion in
    between), text as str (``POISON`` when not recalculated), error values as
    ``"#NUM!"``-style str.
    """
    path = Path(path)
    out: dict[tuple[str, str, int], object] = {}
    with zipfile.ZipFile(path) as zf:
        parts = {name: part for name, (part, _) in sheet_parts(zf).items()}
        names = zf.namelist()
        shared = shared_strings(zf.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else None)
        for name in sheets:
            with zf.open(parts[name]) as fh:
                for ref, text, kind in cell_values(fh, shared):
                    m = _CELL.match(ref)
                    if m is None or m[1] not in (WORKDAY_COL, NETWORKDAYS_COL) or m[2] == "1":
                        continue
                    out[(name, m[1], int(m[2]))] = float(text) if text is not None and kind == "n" else text
    return out


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


def scenario_coverage(cases: pd.DataFrame, scenarios: Sequence[Scenario]) -> dict[str, int]:
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
        ok[ok] = ~leaves_calendar(base, start[ok], days[ok])
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

