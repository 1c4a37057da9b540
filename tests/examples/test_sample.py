"""The bundled sample is reproducible and shaped as documented."""

from __future__ import annotations

from cplkpi.examples.generate import generate


def test_generator_rebuilds_the_committed_sample_byte_for_byte(sample_path, tmp_path):
    assert generate(tmp_path / "s.xlsx").read_bytes() == sample_path.read_bytes()


def test_sample_content(sample_book):
    t = sample_book.complaints.table
    assert len(t) == 1162 and sample_book.errors == [] and sample_book.agency == "สำนักงานเขตบางกอกน้อย"
    assert sample_book.fiscal_years() == [2563]
    assert (t["reopen_count"] > 0).sum() > 10 and t["resolved_on"].isna().sum() > 50
    assert len(sample_book.progress.table) > len(t)
