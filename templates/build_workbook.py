"""Build ``cplkpi_excel.xlsm``: the ready-to-use workbook with the report button (classic xlwings).

Run ``python -m cplkpi.templates.build_workbook`` to rebuild it beside this
file, byte for byte (needs XlsxWriter, a build-time tool only), or
``python -m cplkpi.templates.build_workbook --copy-to FOLDER`` to put a copy of
the committed workbook and its Python file into a folder of your own.

How the button works, and why it is built this way: writing VBA into an .xlsm
from Linux would mean writing Microsoft's compressed VBA storage by hand, which
Excel could not be made to check here. So the VBA project is taken unchanged
from the workbook that ``xlwings quickstart`` copies (``quickstart.xlsm`` in the
installed xlwings package, BSD-licensed): its macro ``SampleCall`` runs
``RunPython "import <workbook name>; <workbook name>.main()"`` through the
xlwings add-in it references. The workbook is therefore named
``cplkpi_excel.xlsm`` and sits next to ``cplkpi_excel.py``, whose ``main()``
runs the job chosen in the control sheet (:func:`cplkpi.macros.buttons.main`).
The button is a form control assigned to ``SampleCall``.

Sheets: ``cplkpi`` (the control sheet of :mod:`cplkpi.macros.xlbook`: job,
settings, status, the button), ``xlwings.conf`` (``UDF Modules`` =
``cplkpi.udfs``, so *Import Functions* brings in the CPL_* cell functions) and
empty complaint, progress, monthly-report and calendar sheets with the
canonical Thai headers.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import zipfile
from importlib import resources
from pathlib import Path

import xlwings

from cplkpi.macros import xlbook
from cplkpi.macros.buttons import JOBS
from cplkpi.scoring.catalogue import catalogue
from cplkpi.scoring.rules import DEFAULT_RULES, available_rules
from cplkpi.scoring.tables import (
    AUDIT_SAMPLE,
    CALENDAR_OVERRIDES,
    COMPLAINTS,
    MONTHLY_REPORTS,
    PROGRESS,
    SHEETS,
)
from cplkpi.xlsx import FIXED_TIME, THAI_DATE_FORMAT, THAI_FONT, reproducible_zip, write_bytes_atomic

__all__ = [
    "BUTTON_MACRO",
    "MODULE_NAME",
    "UDF_MODULES",
    "WORKBOOK_NAME",
    "XLWINGS_PROPERTY",
    "build",
    "copy_to",
    "quickstart_vba",
    "xlwings_version",
]

WORKBOOK_NAME = "cplkpi_excel.xlsm"
#: RunPython imports the module named like the workbook.
MODULE_NAME = "cplkpi_excel"
UDF_MODULES = "cplkpi.udfs"
#: The macro of xlwings' quickstart workbook that runs ``<workbook name>.main()``.
BUTTON_MACRO = "SampleCall"
HERE = Path(__file__).parent
#: Custom document property recording the xlwings version whose quickstart VBA the workbook holds.
XLWINGS_PROPERTY = "xlwings quickstart VBA"

_DATA_SHEETS = (
    ("complaints", COMPLAINTS),
    ("progress", PROGRESS),
    ("monthly_reports", MONTHLY_REPORTS),
    ("audit_sample", AUDIT_SAMPLE),
    ("calendar", CALENDAR_OVERRIDES),
)
#: The hint beside each control-sheet field (column D), from ``cplkpi.macros``' ``data/control_sheet.toml``.
_HINTS: dict[str, str] = {key: entry["hint"] for key, entry in catalogue("cplkpi.macros", "control_sheet").items()}


def xlwings_version() -> str:
    """The installed xlwings' version (recorded in the workbook; its add-in must match)."""
    return xlwings.__version__


def quickstart_vba() -> bytes:
    """The VBA project of xlwings' quickstart workbook (module ``Module1`` with ``SampleCall``)."""
    source = resources.files("xlwings").joinpath("quickstart.xlsm")
    with zipfile.ZipFile(io.BytesIO(source.read_bytes())) as zf:
        vba = zf.read("xl/vbaProject.bin")
    for needle in (BUTTON_MACRO.encode(), b"RunPython", b"main()"):
        if needle not in vba:
            raise RuntimeError(f"xlwings' quickstart.xlsm no longer has {needle!r} in its VBA project: "
                               "check how its button calls Python before rebuilding")
    return vba


def build(path: Path | None = None) -> Path:
    """Write the workbook (default: ``cplkpi_excel.xlsm`` beside this file); same bytes on every run."""
    # XlsxWriter is a build-time tool (the test extra), not installed for users who only copy the workbook
    import xlsxwriter  # type: ignore[import-untyped]  # noqa: PLC0415 (build-time only; it ships no type hints)

    path = path or HERE / WORKBOOK_NAME
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"title": "cplkpi", "author": "cplkpi", "created": FIXED_TIME,
                       "comments": "https://github.com/ (cplkpi): docs/excel.md"})
    wb.set_custom_property("cplkpi workbook", "classic xlwings: button → SampleCall → cplkpi_excel.main()")
    wb.set_custom_property(XLWINGS_PROPERTY, xlwings_version())
    wb.add_vba_project(io.BytesIO(quickstart_vba()), is_stream=True)
    wb.set_vba_name("ThisWorkbook")
    base = {"font_name": THAI_FONT, "font_size": 10, "valign": "top"}
    fmt = {
        "title": wb.add_format({**base, "bold": True, "font_size": 14}),
        "label": wb.add_format({**base, "bold": True, "text_wrap": True}),
        "value": wb.add_format({**base, "bg_color": "#FFF2CC", "border": 1}),
        "text": wb.add_format({**base, "bg_color": "#FFF2CC", "border": 1, "num_format": "@"}),
        "date": wb.add_format({**base, "bg_color": "#FFF2CC", "border": 1, "num_format": THAI_DATE_FORMAT}),
        "status": wb.add_format({**base, "bg_color": "#E2EFDA", "border": 1, "text_wrap": True}),
        "hint": wb.add_format({**base, "italic": True, "font_color": "#595959", "text_wrap": True}),
        "plain": wb.add_format(base),
        "header": wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1,
                                 "text_wrap": True}),
        "data_date": wb.add_format({**base, "num_format": THAI_DATE_FORMAT}),
        "data_text": wb.add_format({**base, "num_format": "@"}),
    }

    # -- the control sheet (its VBA code name is the quickstart's Sheet1) --
    ws = wb.add_worksheet(xlbook.CONTROL_SHEET)
    ws.set_vba_name("Sheet1")
    ws.set_column("A:A", 42, fmt["plain"])
    ws.set_column("B:B", 34, fmt["plain"])
    ws.set_column("C:C", 30, fmt["plain"])  # the button
    ws.set_column("D:D", 60, fmt["plain"])
    ws.set_column("E:E", 3, fmt["plain"])
    ws.set_column("F:F", 46, fmt["plain"])
    ws.write("A1", xlbook.TITLE, fmt["title"])
    ws.set_row(1, 30)
    ws.merge_range("A2:D2", "เลือกงาน กรอกค่าที่ต้องการ แล้วกดปุ่ม (choose a job, fill in what you need, press the "
                            "button). ต้องติดตั้ง xlwings add-in ก่อน: xlwings addin install (docs/excel.md)",
                   fmt["hint"])
    job_labels = [job.label for job in JOBS.values()]
    ws.write("F2", "งานที่เลือกได้ (jobs)", fmt["label"])
    for i, label in enumerate(job_labels):
        ws.write(2 + i, 5, label, fmt["plain"])
    for key, label in xlbook.FIELDS.items():
        row = xlbook.FIRST_FIELD_ROW + list(xlbook.FIELDS).index(key) - 1  # 0-based
        ws.write(row, 0, label, fmt["label"])
        ws.write(row, 3, _HINTS[key], fmt["hint"])
        cell_fmt = {"status": fmt["status"], "updated": fmt["status"], "as_of": fmt["date"],
                    "month": fmt["text"]}.get(key, fmt["value"])
        value = {"job": JOBS["score"].label, "rules": DEFAULT_RULES, "pdf": "ใช่", "keep_going": "ไม่"}.get(key)
        if value is None:
            ws.write_blank(row, 1, None, cell_fmt)
        else:
            ws.write(row, 1, value, cell_fmt)
        if key == "job":
            jobs_range = f"=$F$3:$F${2 + len(job_labels)}"
            ws.data_validation(row, 1, row, 1, {"validate": "list", "source": jobs_range})
        elif key == "rules":
            ws.data_validation(row, 1, row, 1, {"validate": "list", "source": available_rules()})
        elif key in ("pdf", "keep_going"):
            ws.data_validation(row, 1, row, 1, {"validate": "list", "source": ["ใช่", "ไม่"]})
    status_row = xlbook.FIRST_FIELD_ROW + list(xlbook.FIELDS).index("status") - 1
    ws.set_row(status_row, 60)
    ws.insert_button(xlbook.FIRST_FIELD_ROW - 1, 2, {
        "macro": BUTTON_MACRO, "caption": "ทำงานที่เลือก (run the job)", "width": 200, "height": 44,
        "x_offset": 4, "y_offset": 2, "description": "cplkpi: run the job chosen in B3"})
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.activate()

    # -- xlwings settings of this workbook: only what differs from the add-in's --
    conf = wb.add_worksheet("xlwings.conf")
    conf.set_vba_name("Sheet2")
    conf.set_column("A:A", 16)
    conf.set_column("B:B", 16)
    conf.set_column("D:D", 90)
    conf.write("A1", "UDF Modules")
    conf.write("B1", UDF_MODULES)
    notes = [
        "ตั้งค่า xlwings ของสมุดงานนี้: แถวแรกต้องเริ่มที่ A1 ไม่เว้นแถว (xlwings reads A1 downwards to the first "
        "empty row).",
        f"UDF Modules = {UDF_MODULES}: ปุ่ม Import Functions ใน ribbon xlwings นำเข้าฟังก์ชัน CPL_* "
        "(Import Functions brings in the CPL_* cell functions; Windows only).",
        "Interpreter และ PYTHONPATH ใช้ตามที่ตั้งใน add-in; เพิ่มแถว เช่น Interpreter_Win ถ้าต้องการแทนที่ "
        "(add a row such as Interpreter_Win only to override the add-in's setting).",
    ]
    for i, note in enumerate(notes):
        conf.write(i, 3, note, fmt["hint"])

    # -- empty data sheets with the canonical Thai headers --
    for key, spec in _DATA_SHEETS:
        sheet = wb.add_worksheet(SHEETS[key][0])
        for j, column in enumerate(spec.values()):
            sheet.write(0, j, column.label_th, fmt["header"])
            width = 40 if column.kind == "text" else 18
            kind_fmt = {"date": fmt["data_date"], "id": fmt["data_text"], "month": fmt["text"]}
            col_fmt = kind_fmt.get(column.kind)
            sheet.set_column(j, j, width, col_fmt or fmt["plain"])
        sheet.freeze_panes(1, 0)
    wb.close()
    write_bytes_atomic(reproducible_zip(buf.getvalue()), path)
    return path


def copy_to(folder: str | Path) -> list[Path]:
    """Copy the committed workbook and its ``cplkpi_excel.py`` into ``folder`` (never over existing files)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / WORKBOOK_NAME, folder / f"{MODULE_NAME}.py"]
    existing = [t for t in targets if t.exists()]
    if existing:
        names = ", ".join(map(str, existing))
        raise FileExistsError(f"มีไฟล์อยู่แล้ว ไม่เขียนทับ (exists, not overwritten): {names}")
    shutil.copyfile(HERE / WORKBOOK_NAME, targets[0])
    shutil.copyfile(HERE / f"{MODULE_NAME}.py", targets[1])
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path,
                        help=f"write the workbook here instead of templates/{WORKBOOK_NAME}")
    parser.add_argument("--copy-to", type=Path,
                        help="copy the committed workbook and cplkpi_excel.py into a folder")
    args = parser.parse_args(argv)
    if args.copy_to:
        for p in copy_to(args.copy_to):
            print(p)
    else:
        print(build(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

