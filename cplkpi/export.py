"""Writing result tables for people: CSV (UTF-8 with BOM, for Excel) or .xlsx, atomically, with Thai headers."""

from __future__ import annotations


import io
from pathlib import Path

import numpy as np
import pandas as pd

from cplkpi.xlsx import FORMULA_START, save_workbook_atomic, write_bytes_atomic, write_table_sheet

__all__ = ["HEADERS_TH", "write_table", "escape_csv_cell"]

#: Thai headers (English in parentheses) of the columns of result tables.
HEADERS_TH: dict[str, str] = {
    "row": "แถว (row)",
    "complaint_id": "เลขที่เรื่อง (complaint id)",
    "month": "เดือน (month)",
    "step": "ขั้นตอน (step)",
    "component": "องค์ประกอบ (component)",
    "correct": "ถูกต้อง (correct)",
    "reason_code": "รหัสเหตุผล (reason code)",
    "reason_th": "เหตุผล",
    "reason_en": "reason",
    "due": "กำหนด (due)",
    "actual": "วันที่ดำเนินการ (actual)",
    "days_late": "ช้า (วันทำการ) (business days late)",
    "deduction": "หักคะแนน (deduction)",
    "subject": "เรื่อง (subject)",
    "unit": "ฝ่าย (unit)",
    "start_on": "วันที่ศูนย์แจ้งเรื่อง (forwarded)",
    "business_days_open": "จำนวนวันทำการ (business days open)",
    "status": "สถานะ (status code)",
    "phase": "ขั้น (phase)",
    "status_th": "สถานะ",
    "status_en": "status",
}

def escape_csv_cell(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _plain(value: object) -> object:
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NA:
        return None
    return value


def write_table(df: pd.DataFrame, path: str | Path, sheet: str = "ผลลัพธ์") -> Path:
    """Write ``df`` to ``.csv`` or ``.xlsx`` (by suffix) with Thai headers, atomically."""
    from openpyxl import Workbook

    path = Path(path)
    headers = [HEADERS_TH.get(c, c) for c in df.columns]
    if path.suffix.lower() == ".xlsx":
        wb = Workbook()
        wb.remove(wb.active)
        rows = ([_plain(v) for v in row] for row in df.itertuples(index=False, name=None))
        write_table_sheet(wb, sheet, headers, rows, [max(10, min(60, len(h) + 2)) for h in headers])
        return save_workbook_atomic(wb, path, reproducible=False)
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c].dtype):
            out[c] = out[c].map(escape_csv_cell)
        elif pd.api.types.is_datetime64_any_dtype(out[c].dtype):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    out.columns = [escape_csv_cell(h) for h in headers]
    buf = io.StringIO()
    out.to_csv(buf, index=False, date_format="%Y-%m-%d")
    return write_bytes_atomic(buf.getvalue().encode("utf-8-sig"), path)


