"""The one reader of text files: every command reads the same encodings and refuses with the same words."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cplkpi.cli import app
from cplkpi.guard import read_text
from cplkpi.importers import detect_format, read_mis
from cplkpi.importers.job import read_file
from cplkpi.scoring.errors import InputError
from cplkpi.textfile import MAX_FIELD_CHARS, ascii_compatible, csv_header, sniff_encoding

DATA = Path(__file__).parents[1] / "data"
DUMP = DATA / "import" / "traffy_dump.csv"
FORM = DATA / "report" / "seed003_progress_form.txt"
TEXT = "เลขที่เรื่อง,สถานะ\r\n6300001,เสร็จสิ้น\r\n"


@pytest.mark.parametrize(
    ("data", "codec", "skip"),
    [
        (TEXT.encode("utf-8"), "utf-8", 0),
        (TEXT.encode("utf-8-sig"), "utf-8", 3),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8-sig"), "utf-8", 6),  # a BOM saved twice
        (TEXT.encode("utf-16"), "utf-16-le", 2),
        (TEXT.encode("utf-16-le"), "utf-16-le", 0),  # no BOM: told by the NUL pattern
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be", 2),
        (TEXT.encode("utf-16-be"), "utf-16-be", 0),
        (TEXT.encode("cp874"), "cp874", 0),
    ],
)
def test_the_encoding_of_a_text_file_is_told_from_its_bytes(data, codec, skip):
    enc = sniff_encoding(data)
    assert (enc.codec, enc.skip) == (codec, skip)


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp874"])
def test_read_text_gives_the_same_text_in_every_accepted_encoding(codec, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(TEXT.encode(codec))
    text, warning = read_text(path)
    assert text == TEXT
    assert (warning.message_en if warning else None) == (
        "the CSV file is not UTF-8, so it was read as Thai TIS-620 (cp874): check that the Thai text is right"
        if codec == "cp874" else None)


def test_a_field_longer_than_the_limit_is_refused_naming_file_and_line(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(TEXT + '6300002,"' + "x" * (MAX_FIELD_CHARS + 1) + '"\r\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_mis(path)
    assert [(p.code, p.sheet, p.message_en) for p in err.value.problems] == [(
        "csv_field_too_long", "long.csv", ('a field of the record starting on line 3 is longer than 1,048,576 '
        'characters: usually a " without its closing quote; check that line'))]


def test_a_utf16_mis_csv_is_imported_like_the_utf8_one(tmp_path):
    a, b = tmp_path / "mis_utf8.csv", tmp_path / "mis_utf16.csv"
    body = "เลขที่เรื่อง,วันที่ส่งหน่วยงาน,สถานะ\r\n6302-0001,1/10/2562,เสร็จสิ้น\r\n"
    a.write_text(body, encoding="utf-8")
    b.write_text(body, encoding="utf-16")
    assert detect_format(b) == "mis"
    pd.testing.assert_frame_equal(read_file(a).complaints.drop(columns="source_file"),
                                  read_file(b).complaints.drop(columns="source_file"))


@pytest.mark.parametrize(
    ("prefix", "codec"),
    [(b"\xef\xbb\xbf\xef\xbb\xbf", "utf-8"), (b"", "utf-16"), (b"", "utf-16-le"), (b"\xfe\xff", "utf-16-be")],
)
def test_a_traffy_csv_with_a_second_bom_or_in_utf16_is_detected_and_read_as_traffy(prefix, codec, tmp_path):
    text = DUMP.read_text(encoding="utf-8-sig")
    path = tmp_path / "dump.csv"
    path.write_bytes(prefix + text.encode(codec))
    assert csv_header(path)[0] == "ticket_id"
    assert detect_format(path) == "traffy_dump"
    a, b = read_file(DUMP), read_file(path)
    pd.testing.assert_frame_equal(a.complaints.drop(columns="source_file"), b.complaints.drop(columns="source_file"))
    assert [r.row for r in a.rejections] == [r.row for r in b.rejections]


def test_the_utf8_copy_of_a_utf16_file_is_removed_afterwards(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_text(TEXT, encoding="utf-16")
    with ascii_compatible(path) as (copy, encoding):
        assert copy != path and encoding == "utf-8" and copy.read_bytes().decode("utf-8") == TEXT
    assert not copy.exists() and not copy.parent.exists()


@pytest.mark.parametrize("codec", ["cp874", "utf-16"])
def test_validate_report_reads_a_progress_form_saved_as_ansi_or_unicode(codec, tmp_path):
    form = tmp_path / "form.txt"
    form.write_bytes(FORM.read_text(encoding="utf-8").encode(codec))
    before = hashlib.sha256(form.read_bytes()).hexdigest()
    result = CliRunner().invoke(app, ["validate-report", "--progress-form", str(form), "--fy", "2563"],
                                env={"COLUMNS": "300"})
    utf8 = CliRunner().invoke(app, ["validate-report", "--progress-form", str(FORM), "--fy", "2563"],
                              env={"COLUMNS": "300"})
    assert result.exit_code == utf8.exit_code == 1 and isinstance(result.exception, SystemExit)
    for code in ("counts_mismatch", "period_gap", "period_overlap", "month_copied"):
        assert code in result.output
    squeezed = "".join(result.output.replace("│", " ").split())  # the table wraps at any console width
    warned = "thetextfileisnotUTF-8,soitwasreadasThaiTIS-620(cp874)" in squeezed
    assert warned == (codec == "cp874")
    assert hashlib.sha256(form.read_bytes()).hexdigest() == before


# --- item 4 in the Traffy importer: times and zones that do not exist ------------------------------------------


def test_a_traffy_web_time_that_does_not_exist_is_date_invalid_at_its_cell(tmp_path):
    header = (DATA / "import" / "traffy_web.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    p = tmp_path / "web.csv"
    row = "2024-TSTW07,9 ธ.ค. 67,25:61 น.,รอรับเรื่อง,,ก,เขตบางรัก,ถนน,รอรับเรื่อง,9 ธ.ค. 67,08:28 น.,รอรับเรื่อง"
    p.write_text(f"{header}\n{row}\n", encoding="utf-8")
    s = read_file(p)
    assert [(x.code, x.row, x.letter, x.severity, x.message_en) for x in s.problems] == [
        ("date_invalid", 2, "C", "error", "no such time of day; the report date and time are left empty: '25:61 น.'")]
    assert s.complaints["received_at"].isna().all()


def test_a_traffy_dump_timestamp_with_an_impossible_zone_is_date_invalid_at_its_cell(tmp_path):
    lines = DUMP.read_text(encoding="utf-8-sig").splitlines()
    p = tmp_path / "dump.csv"
    p.write_text("\n".join([lines[0], lines[1].replace("+00", "+99", 1)]) + "\n", encoding="utf-8")
    assert "+99" in p.read_text(encoding="utf-8")
    s = read_file(p)
    assert [(x.code, x.row, x.column, x.severity) for x in s.problems if x.code == "date_invalid"] == [
        ("date_invalid", 2, "timestamp", "error")]


def test_an_mis_csv_with_impossible_times_and_zones_is_imported_with_date_invalid_at_the_cells(tmp_path):
    p = tmp_path / "mis.csv"
    p.write_text("เลขที่เรื่อง,วันที่ร้องทุกข์,วันที่ส่งหน่วยงาน,วันที่หน่วยงานรับเรื่อง,สถานะ\r\n"
                 "6302-0001,2019-10-01 10:00:00+99,1/10/2562,2019-10-01 25:61:00+07,รับเรื่อง\r\n", encoding="utf-8")
    s = read_file(p)
    assert [(x.code, x.row, x.letter) for x in s.problems] == [("date_invalid", 2, "B"), ("date_invalid", 2, "D")]
    assert s.complaints["complaint_id"].tolist() == ["6302-0001"]
    assert s.complaints["forwarded_on"].tolist() == [pd.Timestamp("2019-10-01")]
