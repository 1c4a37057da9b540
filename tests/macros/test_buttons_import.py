"""The import button: Traffy/MIS files of a folder into a new complaint workbook, summary in the book."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from fakebook import FakeBook, settings, status
from openpyxl import Workbook

from cplkpi.macros import buttons
from cplkpi.reader import read_workbook

FIXTURES = Path(__file__).parents[1] / "data" / "import"


def _book(tmp_path: Path) -> FakeBook:
    return FakeBook(Workbook(), None, str(tmp_path / "desk.xlsx"))


def test_import_job_writes_a_complaint_workbook_and_the_summary(tmp_path):
    folder = tmp_path / "traffy"
    folder.mkdir()
    for name in ("traffy_dump.csv", "traffy_web.csv"):
        shutil.copy(FIXTURES / name, folder / name)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    book = _book(tmp_path)
    settings(book, import_dir=str(folder), out_dir=str(tmp_path / "out"))
    message = buttons.run(book, "import")
    assert status(book) == message and "imported" in message
    (out,) = (tmp_path / "out").glob("นำเข้า_*.xlsx")
    imported = read_workbook(out)
    assert imported.errors == [] and len(imported.complaints.table) > 0
    assert f"{len(imported.complaints.table):,} เรื่อง" in message
    rows = book.sheet_rows(buttons.IMPORT_SHEET)
    assert any(r[0] == "traffy_dump.csv" for r in rows) and any(r[0] == "traffy_web.csv" for r in rows)
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()} == before


def test_import_job_names_a_missing_folder_and_a_bad_district(tmp_path):
    book = _book(tmp_path)
    settings(book, import_dir=str(tmp_path / "nowhere"))
    message = buttons.run(book, "import")
    assert message == status(book) and "Traffy/MIS" in message and "nowhere" in message
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "traffy_dump.csv", folder / "a.csv")
    settings(book, import_dir=str(folder), district="เขตแอตแลนติส")
    message = buttons.run(book, "import")
    assert message.startswith("cplkpi!B") and "แอตแลนติส" in message


def test_import_job_reads_every_spreadsheet_format_the_importers_read(tmp_path, libreoffice):
    from builders import write_mis

    from cplkpi.importers import IMPORT_SUFFIXES
    from cplkpi.office import convert

    assert {".csv", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"} <= set(IMPORT_SUFFIXES)
    folder = tmp_path / "mis"
    ods = convert(write_mis(tmp_path / "mis_export.xlsx"), "ods", folder)
    assert ods.suffix == ".ods"
    book = _book(tmp_path)
    settings(book, import_dir=str(folder), out_dir=str(tmp_path / "out"))
    message = buttons.run(book, "import")
    assert "from 1 files" in message and "ได้ 3 เรื่อง" in message, message  # 4 rows, one without an id
    rows = book.sheet_rows(buttons.IMPORT_SHEET)
    assert any(r[0] == "mis_export.ods" for r in rows)
