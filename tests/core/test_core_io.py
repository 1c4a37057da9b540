"""Small guarantees of the I/O helpers: missing values, odd file names, UTF-16 CSVs, aware timestamps."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import Workbook, load_workbook

from cplkpi.guard import MAX_ROWS, check_csv_file
from cplkpi.office import to_pdf
from cplkpi.ooxml.stream import TableColumn, save_with_tables
from cplkpi.xlsx import write_table_sheet


def test_table_sheet_leaves_missing_values_empty():
    ws = write_table_sheet(Workbook(), "x", ["a", "b", "c"], [[pd.NA, 1, float("nan")], [pd.NaT, None, "t"]])
    assert [[c.value for c in r] for r in ws.iter_rows(min_row=2)] == [[None, 1, None], [None, None, "t"]]


def test_a_file_name_with_brackets_converts(tmp_path, libreoffice):
    wb = Workbook()
    wb.active["A1"] = "ทดสอบ"
    src = tmp_path / "CPL_R003 [ต.ค.].xlsx"
    wb.save(src)
    assert to_pdf(src, tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")


def test_a_thai_utf16_csv_is_not_counted_by_its_0x0a_bytes(tmp_path):
    # ช is U+0E0A: in UTF-16BE every one holds a 0x0A byte; 400,000 of them in 10 lines are 10 lines
    text = "เลขที่เรื่อง\n" + ("ช" * 40_000 + "\n") * 10
    path = tmp_path / "thai16.csv"
    path.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    assert MAX_ROWS < 40_000 * 10 and check_csv_file(path)


def test_aware_timestamps_are_written_in_bangkok_time(tmp_path):
    wb = Workbook()
    wb.remove(wb.active)
    write_table_sheet(wb, "t", ["เวลา"], [])
    stamps = pd.Series(pd.to_datetime(["2023-05-11 20:00:00+00:00"], utc=True))
    save_with_tables(wb, tmp_path / "t.xlsx", {"t": [TableColumn(stamps, "datetime")]})
    assert load_workbook(tmp_path / "t.xlsx")["t"]["A2"].value == dt.datetime(2023, 5, 12, 3, 0)
