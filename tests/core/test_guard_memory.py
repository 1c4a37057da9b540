"""Memory: reading a hostile file under a 1 GB address-space limit ends with the clear refusal, not a kill.

Each case runs the real reader (:func:`cplkpi.reader.read_workbook`, or the MIS importer for an
.ods) in a subprocess whose address space is capped with ``resource.setrlimit(RLIMIT_AS, 1 GB)``:
a reader that built the grid the file describes would die there (SIGABRT, "memory allocation of …
bytes failed"), as the control case shows with python-calamine alone.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from corpus import build as corpus

#: a child process under an address-space limit per case
pytestmark = pytest.mark.slow

resource = pytest.importorskip("resource", reason="RLIMIT_AS needs a POSIX system (resource module)")


LIMIT = 1024**3
CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from cplkpi.scoring.errors import InputError
path, how = sys.argv[1], sys.argv[2]
try:
    if how == "import":
        from cplkpi.importers import read_mis
        print("read", len(read_mis(path).complaints))
    elif how == "calamine":
        from python_calamine import CalamineWorkbook
        wb = CalamineWorkbook.from_path(path)
        print("read", len(wb.get_sheet_by_name(wb.sheet_names[0]).to_python()))
    else:
        from cplkpi.reader import read_workbook
        print("read", len(read_workbook(path).complaints.table))
except InputError as exc:
    print("refused", exc.problems[0])
"""

FAR_ALL = ("ข้อผิดพลาด {file}: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ ALL250000 (250,000,000 เซลล์ เกินขีดจำกัด 10,000,000): "
           "ลบแถวและคอลัมน์ที่ไม่ใช้ออก (the sheet is used up to cell ALL250000 (250,000,000 cells, over the limit of "
           "10,000,000): delete the unused rows and columns)")
TOO_MANY_ROWS = ("ข้อผิดพลาด {file}: เรื่องร้องเรียน: ชีตใช้แถวเกินขีดจำกัด 300,000 แถว: แยกไฟล์ตามปีงบประมาณหรือตามหน่วยงาน "
                 "หรือลบแถวที่ไม่ใช้ออก (the sheet uses more than the limit of 300,000 rows: split the file by fiscal "
                 "year or by agency, or delete the unused rows)")


def run_capped(path: Path, how: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHILD.format(limit=LIMIT), str(path), how],
                          capture_output=True, text=True, timeout=600, env={"RUST_BACKTRACE": "0", "PATH": ""})


@pytest.mark.parametrize(("case", "how", "expected"), [
    ("far_cell_all250000", "workbook", f"refused {FAR_ALL}"),
    ("far_cell_single_quotes", "workbook", f"refused {TOO_MANY_ROWS}"),
    ("far_cell_behind_target_in_other_case", "workbook", f"refused {TOO_MANY_ROWS}"),
    ("far_cells_without_references", "workbook",
     "refused ข้อผิดพลาด {file}: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ BXY6001 (12,008,001 เซลล์ เกินขีดจำกัด 10,000,000): "
     "ลบแถวและคอลัมน์ที่ไม่ใช้ออก (the sheet is used up to cell BXY6001 (12,008,001 cells, over the limit of "
     "10,000,000): delete the unused rows and columns)"),
    ("ods_repeated_cells_30_million", "import",
     "refused ข้อผิดพลาด {file}: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ NTP3001 (30,010,000 เซลล์ เกินขีดจำกัด 10,000,000): "
     "ลบแถวและคอลัมน์ที่ไม่ใช้ออก (the sheet is used up to cell NTP3001 (30,010,000 cells, over the limit of "
     "10,000,000): delete the unused rows and columns)"),
    ("ods_repeated_empty_rows_before_a_value", "import", f"refused {TOO_MANY_ROWS}"),
    ("xls_far_cell", "import",
     "refused ข้อผิดพลาด {file}: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ CJSR60000 (3,600,000,000 เซลล์ เกินขีดจำกัด 10,000,000): "
     "ลบแถวและคอลัมน์ที่ไม่ใช้ออก (the sheet is used up to cell CJSR60000 (3,600,000,000 cells, over the limit of "
     "10,000,000): delete the unused rows and columns)"),
    ("xlsb_far_cell", "import", f"refused {TOO_MANY_ROWS}"),
    ("stale_declared_dimension", "workbook", "read 2"),  # a declared A1:XFD1048576 builds nothing: read
])
def test_a_hostile_file_is_refused_within_1_gb_not_killed(tmp_path, case, how, expected):
    path = corpus.CORPUS[case](tmp_path)
    done = run_capped(path, how)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, expected.format(file=path.name), "")


@pytest.mark.parametrize("case", ["far_cell_all250000", "ods_repeated_cells_30_million", "xls_far_cell",
                                  "xlsb_far_cell"])
def test_control_the_bare_reader_is_killed_under_the_same_limit(tmp_path, case):
    """Without the guard the same file takes the process down: the limit above is a real one."""
    done = run_capped(corpus.CORPUS[case](tmp_path), "calamine")
    assert done.returncode < 0 or "MemoryError" in done.stderr, done.stderr[-500:]  # killed, or out of memory
