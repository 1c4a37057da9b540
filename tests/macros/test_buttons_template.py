"""The committed workbook ``templates/cplkpi_excel.xlsm``: VBA, button, xlwings settings, sheets that work.

Excel itself is not available here: these tests check the file's parts (the
VBA project is xlwings' own quickstart project, the form button runs its
``SampleCall`` macro, the ``xlwings.conf`` sheet names the UDF module) and
that the jobs run on the workbook's own sheets.
"""

from __future__ import annotations

import importlib
import re
import zipfile

import pytest
from openpyxl import load_workbook

from cplkpi.macros import buttons, xlbook
from cplkpi.scoring.tables import SHEETS
from cplkpi.templates import build_workbook as bw

WORKBOOK = bw.HERE / bw.WORKBOOK_NAME


@pytest.fixture(scope="module")
def parts():
    with zipfile.ZipFile(WORKBOOK) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_it_is_a_macro_workbook_with_xlwings_quickstart_vba(parts):
    types = parts["[Content_Types].xml"].decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert "application/vnd.ms-office.vbaProject" in types
    vba = parts["xl/vbaProject.bin"]
    for needle in (b"SampleCall", b"RunPython", b"main()"):
        assert needle in vba
    version = rb'name="xlwings quickstart VBA"><vt:lpwstr>\d+\.\d+\.\d+<'
    assert re.search(version, parts["docProps/custom.xml"])
    assert b'codeName="ThisWorkbook"' in parts["xl/workbook.xml"]


def test_the_button_runs_the_quickstart_macro(parts):
    vml = parts["xl/drawings/vmlDrawing1.vml"].decode()
    assert '<x:ClientData ObjectType="Button">' in vml
    assert "<x:FmlaMacro>[0]!SampleCall</x:FmlaMacro>" in vml
    assert "ทำงานที่เลือก (run the job)" in vml
    rels = parts["xl/worksheets/_rels/sheet1.xml.rels"].decode()
    assert "vmlDrawing1.vml" in rels and b"<legacyDrawing" in parts["xl/worksheets/sheet1.xml"]
    assert b'codeName="Sheet1"' in parts["xl/worksheets/sheet1.xml"]  # the quickstart's document module


def test_sheets_settings_and_udf_module():
    wb = load_workbook(WORKBOOK, keep_vba=True)
    assert wb.sheetnames[:2] == [xlbook.CONTROL_SHEET, "xlwings.conf"]
    data = ("complaints", "progress", "monthly_reports", "audit_sample", "calendar")
    assert {SHEETS[k][0] for k in data} <= set(wb.sheetnames)
    conf = wb["xlwings.conf"]
    assert (conf["A1"].value, conf["B1"].value) == ("UDF Modules", "cplkpi.udfs")
    assert conf["A2"].value is None  # xlwings reads A1 down to the first empty cell: nothing else overridden
    ws = wb[xlbook.CONTROL_SHEET]
    labels = [ws.cell(xlbook.FIRST_FIELD_ROW + i, 1).value for i in range(len(xlbook.FIELDS))]
    assert labels == list(xlbook.FIELDS.values())
    assert ws["B3"].value == buttons.JOBS["score"].label
    jobs = [ws.cell(3 + i, 6).value for i in range(len(buttons.JOBS))]
    assert jobs == [job.label for job in buttons.JOBS.values()]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["B3"] == f"$F$3:$F${2 + len(buttons.JOBS)}"


def test_every_yes_no_choice_of_the_control_sheet_is_understood():
    from fakebook import FakeBook, settings

    ws = load_workbook(WORKBOOK, keep_vba=True)[xlbook.CONTROL_SHEET]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    for key in ("pdf", "keep_going"):
        cell = f"B{xlbook.FIRST_FIELD_ROW + list(xlbook.FIELDS).index(key)}"
        choices = lists[cell].strip('"').split(",")
        assert len(choices) == 2, choices
        book = FakeBook(load_workbook(WORKBOOK, keep_vba=True))
        answers = []
        for choice in choices:
            settings(book, **{key: choice})
            answers.append(buttons._flag_setting(xlbook.control_values(book), key, None))
        assert answers == [True, False], (key, choices)


def test_the_python_file_of_the_workbook_runs_the_chosen_job():
    module = importlib.import_module(f"cplkpi.templates.{bw.MODULE_NAME}")
    assert module.main is buttons.main


def test_the_jobs_run_on_the_workbooks_own_sheets(sample_path, monkeypatch):
    """Paste the sample's complaints into the workbook's empty sheets, press the button (main())."""
    from fakebook import FakeBook, status

    wb = load_workbook(WORKBOOK, keep_vba=True)
    src = load_workbook(sample_path)
    for key in ("complaints", "progress", "monthly_reports"):
        name = SHEETS[key][0]
        target = wb[name]
        header = [c.value for c in target[1]]
        source_rows = list(src[name].iter_rows(values_only=True))
        index = {h: i for i, h in enumerate(source_rows[0])}
        for row in source_rows[1:]:
            target.append([row[index[h]] if h in index else None for h in header])
    book = FakeBook(wb, None, "/data/cplkpi_excel.xlsm")
    monkeypatch.setattr(buttons.xw.Book, "caller", staticmethod(lambda: book))
    buttons.main()  # the workbook's default job: the fiscal-year score
    assert status(book).startswith("คะแนนปีงบประมาณ 2563:")
    assert buttons.SCORE_SHEET in wb.sheetnames


def test_copy_to_never_overwrites(tmp_path):
    written = bw.copy_to(tmp_path)
    assert [p.name for p in written] == ["cplkpi_excel.xlsm", "cplkpi_excel.py"]
    assert written[0].read_bytes() == WORKBOOK.read_bytes()
    with pytest.raises(FileExistsError, match="ไม่เขียนทับ"):
        bw.copy_to(tmp_path)


def test_rebuild_gives_the_same_bytes(tmp_path, parts):
    pytest.importorskip("xlsxwriter", reason="XlsxWriter builds the workbook (pip install xlsxwriter)")
    custom = parts["docProps/custom.xml"].split(b"quickstart VBA")[1]
    committed = re.search(rb"<vt:lpwstr>(\d+\.\d+\.\d+)<", custom)
    if committed[1].decode() != bw.xlwings_version():
        pytest.skip(f"the workbook holds the VBA of xlwings {committed[1].decode()}, this is xlwings "
                    f"{bw.xlwings_version()}: rebuild with python -m cplkpi.templates.build_workbook")
    out = bw.build(tmp_path / "again.xlsm")
    assert out.read_bytes() == WORKBOOK.read_bytes()


def _vba_references(dir_stream: bytes) -> dict[str, list[str]]:
    """Reference name → its libids, from the decompressed ``VBA/dir`` stream (MS-OVBA 2.3.4.2.2)."""
    import struct

    refs: dict[str, list[str]] = {}
    pos, name = 0, None
    while pos + 6 <= len(dir_stream):
        rid, size = struct.unpack_from("<HI", dir_stream, pos)
        body = dir_stream[pos + 6: pos + 6 + size]
        if rid == 0x0009:  # PROJECTVERSION: its size field says 4 but 6 bytes follow
            size = 6
        elif rid == 0x0016:  # REFERENCENAME (MBCS name; its Unicode copy follows as record 0x003E)
            name = body.decode("latin-1")
            refs[name] = []
        elif rid == 0x000E and name is not None:  # REFERENCEPROJECT: absolute then relative libid
            n = struct.unpack_from("<I", body, 0)[0]
            m = struct.unpack_from("<I", body, 4 + n)[0]
            refs[name] += [body[4:4 + n].decode("latin-1"), body[8 + n:8 + n + m].decode("latin-1")]
        elif rid in (0x000D, 0x002F, 0x0033) and name is not None:  # registered, control, original
            refs[name].append(body.decode("latin-1", "replace"))
        elif rid == 0x000F:  # PROJECTMODULES: the references are over
            break
        pos += 6 + size
    return refs


def test_vba_project_references_xlwings_and_calls_runpython(parts):
    """Read with olefile/oletools: the VBA project refers to the xlwings add-in (Tools → References),
    which RunPython needs, and its module calls RunPython with the workbook's own Python file."""
    import io

    olefile = pytest.importorskip("olefile", reason="olefile (oletools) is needed to read the VBA project")
    olevba = pytest.importorskip("oletools.olevba", reason="oletools is needed to read the VBA project")

    ole = olefile.OleFileIO(io.BytesIO(parts["xl/vbaProject.bin"]))
    refs = _vba_references(bytes(olevba.decompress_stream(bytearray(ole.openstream("VBA/dir").read()))))
    assert "xlwings" in refs, sorted(refs)
    assert any(lib.endswith("xlwings.xlam") for lib in refs["xlwings"]), refs["xlwings"]
    vba = olevba.VBA_Parser("vbaProject.bin", data=parts["xl/vbaProject.bin"])
    modules = {name: code for _, _, name, code in vba.extract_macros()}
    module1 = modules["Module1.bas"]
    assert re.search(r"^Sub SampleCall\(\)\r?$", module1, flags=re.MULTILINE)
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in module1
