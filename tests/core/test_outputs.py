"""Outputs: checked before the work starts, never an input (also through a folder), names that fit the file
system, the user's umask; a rule-set typo names its file and line; Ctrl-C ends with one line and exit 130."""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from corpus import build as corpus
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from cplkpi.cli import app
from cplkpi.export import write_table
from cplkpi.interrupt import INTERRUPTED
from cplkpi.outputs import NAME_BYTES, OutputError, check_output_file, check_output_folder, fit_name
from cplkpi.xlsx import save_workbook_atomic, write_bytes_atomic

runner = CliRunner()


@pytest.fixture(autouse=True)
def console_width_from_env(monkeypatch):
    """Rich fixes a console's width when COLUMNS is set as it is created: let each command read its own."""
    from cplkpi.cli import common

    for c in (common.console, common.err_console):
        monkeypatch.setattr(c, "_width", None)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: object) -> tuple[int, str]:
    """Run a command in-process at a wide console; the exit code and the output as one line of words."""
    res = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    return res.exit_code, " ".join(res.output.split())


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture(scope="module")
def reports(sample_book, tmp_path_factory) -> Path:
    """A folder holding the sample's filled CPL_R001/CPL_R003 of ก.ย. 2563 (no PDF)."""
    from cplkpi.macros.reports import fill_monthly_reports

    folder = tmp_path_factory.mktemp("reports")
    fill_monthly_reports(sample_book, "2563-09", out_dir=folder, pdf=False)
    return folder


# --- item 3: never replace an input -------------------------------------------------------------------------

REFUSED = ("ข้อผิดพลาด {path}: ไฟล์ผลลัพธ์ {name} เป็นไฟล์ต้นฉบับ: cplkpi ไม่เขียนทับไฟล์ต้นฉบับ ให้ระบุชื่อไฟล์ผลลัพธ์อื่น "
           "(the output {name} is an input file: cplkpi never overwrites a source; give another output name)")


def test_validate_report_refuses_to_write_its_findings_over_the_report(reports, tmp_path):
    r003 = tmp_path / "CPL_R003_2563-09.xlsx"
    r003.write_bytes((reports / r003.name).read_bytes())
    before = sha(r003)
    code, out = run("validate-report", r003, "--out", r003)
    assert (code, out) == (1, REFUSED.format(path=r003.name, name=r003.name))
    assert sha(r003) == before and listing(tmp_path) == [r003.name]


def test_report_refuses_a_folder_holding_its_input_under_a_name_it_would_write(reports, sample_path, tmp_path):
    """``report X/CPL_R003_2563-09.xlsx --month 2563-09 --out X``: refused before anything is read or written."""
    x = tmp_path / "X"
    x.mkdir()
    for name in ("CPL_R003_2563-09.xlsx", "CPL_R001_2563-09.xlsx"):
        (x / name).write_bytes((reports / name).read_bytes())
    before = {p.name: sha(p) for p in x.iterdir()}
    for source in ("CPL_R003_2563-09.xlsx", "CPL_R001_2563-09.xlsx"):
        code, out = run("report", x / source, "--month", "2563-09", "--out", x, "--no-pdf")
        assert (code, out) == (1, REFUSED.format(path=source, name=source))
    assert {p.name: sha(p) for p in x.iterdir()} == before
    # through another spelling of the folder and through a hard link under a generated name
    link = tmp_path / "complaints.xlsx"
    os.link(x / "CPL_R003_2563-09.xlsx", link)
    code, out = run("report", link, "--month", "2563-09", "--out", tmp_path / "." / "X", "--no-pdf")
    assert (code, out) == (1, REFUSED.format(path="CPL_R003_2563-09.xlsx", name="CPL_R003_2563-09.xlsx"))
    assert {p.name: sha(p) for p in x.iterdir()} == before


def test_a_custom_rule_set_is_an_input_too(sample_path, tmp_path):
    rules = tmp_path / "เกณฑ์.toml"
    rules.write_bytes((Path(__file__).parents[2] / "scoring" / "rulesets" / "bma-2557.toml").read_bytes())
    before = sha(rules)
    for command in (["score", sample_path, "--fy", "2563", "--rules", rules, "--explain", rules],
                    ["overdue", sample_path, "--rules", rules, "--out", rules]):
        code, out = run(*command)
        assert (code, out) == (1, REFUSED.format(path=rules.name, name=rules.name))
    assert sha(rules) == before


def test_every_writer_refuses_an_input_of_the_running_command(tmp_path):
    """A name generated after the checks (``audit``'s result file, a sample file) is refused by the writer."""
    from cplkpi.outputs import protected_inputs

    src = tmp_path / "ต้นฉบับ.xlsx"
    src.write_bytes(b"source")
    with protected_inputs():
        check_output_folder(tmp_path, src)
        with pytest.raises(OutputError) as exc:
            write_bytes_atomic(b"new", tmp_path / "." / "ต้นฉบับ.xlsx")
    assert exc.value.problems[0].code == "output_is_input"
    assert src.read_bytes() == b"source" and listing(tmp_path) == ["ต้นฉบับ.xlsx"]
    write_bytes_atomic(b"new", src)  # outside a command nothing is protected: a library caller decides
    assert src.read_bytes() == b"new"


# --- item 7: outputs checked before the work -----------------------------------------------------------------


def test_explain_naming_a_folder_and_report_out_naming_a_file_are_refused_before_the_work(sample_path, tmp_path):
    folder = tmp_path / "ผลลัพธ์"
    folder.mkdir()
    code, out = run("score", sample_path, "--fy", "2563", "--explain", folder)
    assert code == 1
    assert out == (f"ข้อผิดพลาด {folder}: เป็นโฟลเดอร์ ไม่ใช่ไฟล์: ระบุชื่อไฟล์ผลลัพธ์ เช่น {folder}/ผลลัพธ์.xlsx "
                   f"(this is a folder, not a file: give the output file's name, e.g. {folder}/ผลลัพธ์.xlsx)")
    a_file = tmp_path / "รายงาน.xlsx"
    a_file.write_bytes(b"mine")
    code, out = run("report", sample_path, "--month", "2563-09", "--out", a_file, "--no-pdf")
    assert code == 1
    assert out == (f"ข้อผิดพลาด {a_file}: เป็นไฟล์ ไม่ใช่โฟลเดอร์: ระบุโฟลเดอร์ผลลัพธ์ เช่น {tmp_path}/reports "
                   f"(this is a file, not a folder: give an output folder, e.g. {tmp_path}/reports)")
    code, out = run("overdue", sample_path, "--out", a_file / "x.csv")
    assert code == 1
    assert out == (f"ข้อผิดพลาด {a_file}/x.csv: เขียนไม่ได้เพราะ {a_file} เป็นไฟล์ ไม่ใช่โฟลเดอร์ "
                   f"(cannot be written: {a_file} is a file, not a folder)")
    assert a_file.read_bytes() == b"mine" and listing(tmp_path) == ["ผลลัพธ์", "รายงาน.xlsx"]


def test_a_table_output_must_be_xlsx_or_csv(sample_path, tmp_path):
    code, out = run("score", sample_path, "--fy", "2563", "--explain", tmp_path / "คำอธิบาย.xls")
    assert (code, out) == (1, f"ข้อผิดพลาด {tmp_path}/คำอธิบาย.xls: ไฟล์ผลลัพธ์ต้องเป็น .xlsx หรือ .csv เช่น คำอธิบาย.xlsx "
                              "(the output must be a .xlsx or .csv file, e.g. คำอธิบาย.xlsx)")
    code, out = run("audit-pack", sample_path, "--month", "2563-09", "--out", tmp_path / "ส่งกองกลาง")
    assert (code, out) == (1, f"ข้อผิดพลาด {tmp_path}/ส่งกองกลาง: ไฟล์ผลลัพธ์ต้องเป็น .xlsx เช่น ส่งกองกลาง.xlsx "
                              "(the output must be a .xlsx file, e.g. ส่งกองกลาง.xlsx)")
    assert listing(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_link_loop_and_a_pipe_are_refused_as_outputs(sample_path, tmp_path):
    loop, pipe = tmp_path / "วน", tmp_path / "ท่อ.csv"
    loop.symlink_to(loop)
    os.mkfifo(pipe)
    code, out = run("report", sample_path, "--month", "2563-09", "--out", loop, "--no-pdf")
    assert code == 1 and out.startswith(
        f"ข้อผิดพลาด {loop}: ที่อยู่นี้มีลิงก์ (symbolic link) ที่วนกลับมาที่เดิม: ใช้ที่อยู่อื่น (the path goes round a loop "
        "of symbolic links: use another path (")
    code, out = run("overdue", sample_path, "--out", pipe)
    assert (code, out) == (1, f"ข้อผิดพลาด {pipe}: มีสิ่งที่ไม่ใช่ไฟล์ธรรมดาอยู่ที่นี่แล้ว (อุปกรณ์หรือช่องสื่อสาร): "
                              "ระบุชื่อไฟล์ผลลัพธ์อื่น (something that is not a regular file (a device or a pipe) is "
                              "already there: give another output name)")
    with pytest.raises(OutputError):  # every writer asks too
        write_bytes_atomic(b"x", pipe)
    assert stat.S_ISFIFO(pipe.lstat().st_mode) and listing(tmp_path) == ["ท่อ.csv", "วน"]


def test_a_name_longer_than_the_file_system_holds_is_refused_before_the_work(sample_path, tmp_path):
    name = "ก" * 90 + ".xlsx"  # 275 bytes of UTF-8
    code, out = run("score", sample_path, "--fy", "2563", "--explain", tmp_path / name)
    assert code == 1
    assert out == (f"ข้อผิดพลาด {tmp_path / name}: ชื่อยาว 275 ไบต์ (UTF-8) เกินที่ระบบไฟล์รับได้ 255 ไบต์: ใช้ชื่อที่สั้นลง "
                   "(the name is 275 bytes long (UTF-8), more than the 255 bytes a file system holds: use a shorter name)")
    assert listing(tmp_path) == []


def test_a_valid_245_byte_name_is_written_its_temporary_name_is_short(tmp_path):
    name = "ก" * 80 + ".csv"
    assert len(name.encode()) == 244
    path = write_table(pd.DataFrame({"complaint_id": ["6300001"]}), tmp_path / name)
    assert listing(tmp_path) == [name] and path.read_text(encoding="utf-8-sig").splitlines()[1] == "6300001"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes into a read-only folder: run as an ordinary user to check the refusal")
def test_a_read_only_output_folder_is_refused_before_the_work(sample_path, tmp_path):
    folder = tmp_path / "อ่านอย่างเดียว"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, out = run("report", sample_path, "--month", "2563-09", "--out", folder, "--no-pdf")
    finally:
        folder.chmod(0o755)
    assert code == 1
    assert out == (f"ข้อผิดพลาด {folder}: ไม่มีสิทธิ์เขียนในโฟลเดอร์ {folder}: เลือกโฟลเดอร์อื่น หรือขอสิทธิ์เขียน "
                   f"(no permission to write in the folder {folder}: choose another folder or ask for write access)")
    assert listing(folder) == []


def test_a_folder_the_system_says_we_may_not_write_is_refused_before_the_work(sample_path, tmp_path, monkeypatch):
    """The same refusal, with the operating system's answer stubbed (tests may run as root)."""
    import cplkpi.outputs

    folder = tmp_path / "ของคนอื่น"
    folder.mkdir()
    real = os.access
    monkeypatch.setattr(cplkpi.outputs.os, "access", lambda p, mode: Path(p) != folder and real(p, mode))
    code, out = run("overdue", sample_path, "--out", folder / "ค้าง.xlsx")
    assert code == 1
    assert out == (f"ข้อผิดพลาด {folder}/ค้าง.xlsx: ไม่มีสิทธิ์เขียนในโฟลเดอร์ {folder}: เลือกโฟลเดอร์อื่น หรือขอสิทธิ์เขียน "
                   f"(no permission to write in the folder {folder}: choose another folder or ask for write access)")


def test_a_file_system_error_while_writing_is_one_line_and_leaves_nothing(sample_path, tmp_path, monkeypatch):
    import errno

    import cplkpi.xlsx

    def disk_full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(cplkpi.xlsx.os, "replace", disk_full)
    code, out = run("overdue", sample_path, "--as-of", "30/9/2563", "--out", tmp_path / "ค้าง.csv")
    assert code == 1 and out.endswith(f"ข้อผิดพลาด (error): พื้นที่ดิสก์เต็ม: {tmp_path}/ค้าง.csv "
                                      f"(No space left on device: {tmp_path}/ค้าง.csv)")
    assert listing(tmp_path) == []  # the temporary file went too


def test_check_output_accepts_a_new_file_in_a_folder_still_to_be_made(tmp_path):
    assert check_output_file(tmp_path / "ใหม่" / "ลึก" / "ผล.xlsx") == tmp_path / "ใหม่" / "ลึก" / "ผล.xlsx"
    assert check_output_folder(tmp_path / "ใหม่", names=["CPL_R003_2563-09.xlsx"]) == tmp_path / "ใหม่"
    assert listing(tmp_path) == []  # checking creates nothing


def test_long_generated_names_are_shortened_keeping_extension_and_be_period():
    agency = ("สำนักงานเขตบางกอกน้อย ฝ่ายโยธา งานทาง" * 3)[:100]
    name = fit_name(f"สุ่มตรวจ_{agency}_2563.xlsx")
    assert len(name.encode()) <= NAME_BYTES and name.startswith("สุ่มตรวจ_สำนักงานเขตบางกอกน้อย")
    assert name.endswith("_2563.xlsx") and name[-19:-10].startswith("~")
    other = fit_name(f"สุ่มตรวจ_{agency[:-1]}ข_2563.xlsx")
    assert other != name and other[:-19] == name[:-19]  # same cut, different hash
    assert fit_name("CPL_R003_2563-09.xlsx") == "CPL_R003_2563-09.xlsx"
    assert fit_name("ผลการตรวจ_" + "ก" * 90 + "_2563-09.xlsx").endswith("_2563-09.xlsx")
    for size in range(240, 300):  # every cut lands on a character boundary
        cut = fit_name("ผ" * (size // 3) + "_2563.xlsx")
        assert len(cut.encode()) <= NAME_BYTES and cut.encode().decode() == cut


@settings(max_examples=300, deadline=None)
@given(stem=st.text(alphabet=st.sampled_from("กขคำเแ่้ัีาุ์ ._-abcXYZ09~"), min_size=0, max_size=200),
       period=st.sampled_from(["", "_2563", "_2563-09", "_2019-10"]), suffix=st.sampled_from(["", ".xlsx", ".csv"]))
def test_fit_name_always_fits_and_keeps_what_identifies_the_file(stem, period, suffix):
    name = stem + period + suffix
    fitted = fit_name(name)
    assert len(fitted.encode()) <= NAME_BYTES and fitted.encode().decode() == fitted
    if len(name.encode()) <= NAME_BYTES:
        assert fitted == name
    else:
        assert fitted.endswith(period + suffix) and "~" in fitted


def test_audit_sample_for_an_agency_of_100_thai_characters_writes_a_shortened_name(tmp_path):
    src = corpus.CORPUS["agency_of_100_thai_characters"](tmp_path)
    code, out = run("audit-sample", src, "--month", "ต.ค. 2562", "--out", tmp_path / "สุ่ม")
    assert code == 0, out
    [written] = (tmp_path / "สุ่ม").iterdir()
    assert written.name == fit_name(f"สุ่มตรวจ_{corpus.LONG_AGENCY}_2563.xlsx") and len(written.name.encode()) <= 255
    assert f"ไฟล์สุ่มตรวจ (sample workbook): {written}" in out


# --- output files honour the umask ---------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_outputs_get_the_users_umask_not_0600(mask, mode, sample_path, tmp_path):
    old = os.umask(mask)
    try:
        wb = Workbook()
        paths = [write_bytes_atomic(b"x", tmp_path / "a.bin"), save_workbook_atomic(wb, tmp_path / "b.xlsx"),
                 write_table(pd.DataFrame({"row": [2]}), tmp_path / "c.csv")]
        code, out = run("score", sample_path, "--fy", "2563", "--explain", tmp_path / "why.xlsx")
        assert code == 0, out
        paths.append(tmp_path / "why.xlsx")
        write_bytes_atomic(b"again", tmp_path / "a.bin")  # replacing a file gives the umask's mode too
    finally:
        os.umask(old)
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in paths} == {p.name: oct(mode) for p in paths}


# --- item 8: rule-set typos, Ctrl-C, formula-like text in audit-pack ------------------------------------------


def test_a_rule_set_toml_with_a_typo_names_the_file_line_and_column(sample_path, tmp_path):
    rules = tmp_path / "เกณฑ์ของเขต.toml"
    rules.write_text('kind = "complaints"\nname = "เขต"\ntitle_th = "เกณฑ์"\ntitle_en = oops\n', encoding="utf-8")
    code, out = run("score", sample_path, "--fy", "2563", "--rules", rules)
    assert (code, out) == (1, f"ข้อผิดพลาด (error): ไฟล์ชุดเกณฑ์ {rules} เขียนผิดรูปแบบ TOML บรรทัด 4 คอลัมน์ 12: "
                              f"Invalid value (the rule-set file {rules} is not valid TOML at line 4, column 12: Invalid value)")
    rules.write_text('name = "เขต"\n', encoding="utf-8")
    code, out = run("score", sample_path, "--fy", "2563", "--rules", rules)
    assert (code, out) == (1, f"ข้อผิดพลาด (error): ไฟล์ชุดเกณฑ์ {rules} ไม่มีค่า kind ที่ต้องมี "
                              f"(the rule-set file {rules} lacks the required key kind)")
    rules.write_bytes('name = "กทม."\n'.encode("cp874"))  # saved as "ANSI" by Notepad
    code, out = run("score", sample_path, "--fy", "2563", "--rules", rules)
    assert (code, out) == (1, f"ข้อผิดพลาด (error): ไฟล์ชุดเกณฑ์ {rules} ไม่ได้บันทึกเป็น UTF-8 (ไบต์ที่ 8): บันทึกใหม่เป็น UTF-8 "
                              f"(the rule-set file {rules} is not UTF-8 (byte 8): save it as UTF-8)")


def test_ctrl_c_during_a_command_is_one_line_and_exit_130(sample_path, monkeypatch):
    import cplkpi.cli.score as score

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(score, "read_workbook", interrupted)
    res = runner.invoke(app, ["score", str(sample_path)], env={"COLUMNS": "400"})
    assert res.exit_code == 130 and "Traceback" not in res.output
    assert [line for line in res.output.splitlines() if line.strip()] == [INTERRUPTED]


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc to see the libraries load")
def test_ctrl_c_while_the_program_loads_is_one_line_and_exit_130(sample_path):
    """SIGINT as soon as numpy's library is mapped, i.e. while ``cplkpi`` imports its commands."""
    proc = subprocess.Popen([sys.executable, "-m", "cplkpi", "score", str(sample_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    maps = Path(f"/proc/{proc.pid}/maps")
    while proc.poll() is None:
        try:
            if "numpy" in maps.read_text():
                break
        except OSError:
            pass
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert (proc.returncode, out, err) == (130, "", INTERRUPTED + "\n")


def test_audit_pack_gives_formula_like_citizen_text_the_quote_prefix(tmp_path):
    src = corpus.CORPUS["citizen_text_like_formulas"](tmp_path)
    code, out = run("audit-pack", src, "--month", "2562-10", "--out", tmp_path / "ส่งกองกลาง.xlsx", "--no-narrative")
    assert code == 0, out
    ws = load_workbook(tmp_path / "ส่งกองกลาง.xlsx")["เรื่องร้องเรียน"]
    cells = [ws.cell(row=r, column=7) for r in range(3, 3 + len(corpus.FORMULA_LIKE))]
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [(t, "s", True) for t in corpus.FORMULA_LIKE]
    with zipfile.ZipFile(tmp_path / "ส่งกองกลาง.xlsx") as zf:  # stored as text, never as a formula
        assert b"<f>HYPERLINK" not in zf.read("xl/worksheets/sheet1.xml")


def test_text_that_looks_like_console_markup_is_printed_as_it_is(tmp_path):
    """``[/]`` in a cell crashed every command printing it; ``[bold]`` or ``[draft]`` silently vanished."""
    src = corpus.CORPUS["text_like_console_markup"](tmp_path)
    code, out = run("score", src, "--fy", "2563")
    assert code == 0, out
    assert "สถานะไม่รู้จัก เก็บไว้ตามเดิม: '[/]รอ[bold]ตรวจ' (unknown status, kept as is: '[/]รอ[bold]ตรวจ')" in out
    book = tmp_path / "[ร่าง] ผล.csv"
    code, out = run("overdue", src, "--all", "--as-of", "3/10/2562", "--out", book)
    assert code == 0 and f"เขียนไฟล์ (written): {book}" in out


def test_audit_batch_into_its_own_folder_may_run_again(sample_path, tmp_path):
    """The committee workbook an earlier run wrote beside the agencies' files is an output, not an input."""
    (tmp_path / "[draft]เขต.xlsx").write_bytes(sample_path.read_bytes())
    for _ in range(2):
        code, out = run("audit-batch", tmp_path, "--out", tmp_path, "--workers", "1", "--no-pdf")
        # exit 1: the complaint workbook holds no CPL_R003/CPL_R001 (an error-level finding, docs/audit.md)
        assert code == 1 and f"เขียนไฟล์ (written): {tmp_path}/สรุปผลการตรวจ_2563-09.xlsx" in out
        assert "│ [draft]เขต.xlsx │" in out  # a file name is never read as console markup
        assert "สุ่มตรวจ: ผลการตรวจของคณะกรรมการเอง (the committee's own output)" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["[draft]เขต.xlsx", "สรุปผลการตรวจ_2563-09.xlsx", "สุ่มตรวจ"]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="no /proc file system here")
def test_an_output_folder_the_file_system_refuses_is_refused_before_the_work(sample_path):
    """/proc passes the permission check as root: the pre-check creates (and removes) a file there."""
    code, out = run("score", sample_path, "--explain", "/proc/why.xlsx")
    assert code == 1
    assert out.endswith("ข้อผิดพลาด /proc/why.xlsx: สร้างไฟล์ในโฟลเดอร์ /proc ไม่ได้ (No such file or directory): "
                        "เลือกโฟลเดอร์อื่น (cannot create a file in the folder /proc (No such file or directory): "
                        "choose another folder)")
    assert "ขั้นตอน" not in out  # refused before any score was printed


def test_the_writability_probe_leaves_nothing_behind(sample_path, tmp_path):
    code, _ = run("score", sample_path, "--explain", tmp_path / "why.xlsx")
    assert code == 0 and listing(tmp_path) == ["why.xlsx"]
