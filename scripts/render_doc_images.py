"""Render the pictures of the docs from real output: ``python scripts/render_doc_images.py``.

Runs the real jobs on the bundled sample (and on synthetic agencies made from
it), converts the outputs to PDF with headless LibreOffice and the chosen
pages to PNG with ``pdftoppm`` into ``docs/images/``. Nothing is drawn by
hand: what the pictures show is what the tools write.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cplkpi.examples import sample_path
from cplkpi.export import write_table
from cplkpi.macros.audit_batch import audit_folder
from cplkpi.macros.reports import fill_monthly_reports
from cplkpi.office import to_pdf
from cplkpi.reader import read_workbook
from cplkpi.scoring.explain import for_people

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from agencies_synthetic import write_agency_folder

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def png(pdf: Path, page: int, name: str, dpi: int = 80) -> Path:
    """Page ``page`` of ``pdf`` as ``docs/images/<name>.png``."""
    out = IMAGES / name
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(out)], check=True)
    return out.with_suffix(".png")


def main() -> None:
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm not found: apt-get install -y poppler-utils")
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        book = read_workbook(sample_path())
        # the monthly reports of the sample district, September 2020 (as `cplkpi demo` writes them)
        result = fill_monthly_reports(book, "2563-09", out_dir=tmp / "reports", pdf=True)
        for page in (1, 2, 3):
            png(result.r003_pdf, page, f"cpl_r003_2563-09-{page}")
        png(result.r001_pdf, 1, "cpl_r001_2563-09-1")
        # why complaints lost points (`cplkpi score --explain`)
        scored = book.score(fiscal_year=2563)
        why = write_table(for_people(scored.explain(), scored.rules), tmp / "explanations.xlsx", "คำอธิบาย")
        png(to_pdf(why, tmp / "explanations.pdf"), 1, "explanations_2563-1")
        # the committee's audit of six agencies (`cplkpi audit-batch`)
        folder = tmp / "submitted"
        write_agency_folder(folder, 6, "2563-03", complaints=250)
        batch = audit_folder(folder, out_dir=tmp / "audit", month="2563-03", workers=1, pdf=True)
        png(batch.pdf, 1, "committee_2563-03-1")
        sample = sorted((tmp / "audit" / "สุ่มตรวจ").glob("*.xlsx"))[0]
        png(to_pdf(sample, tmp / "sample.pdf"), 1, "audit_sample_2563-03-1")
        # the control sheet of the ready-to-use Excel workbook
        png(to_pdf(TEMPLATES / "cplkpi_excel.xlsm", tmp / "excel.pdf"), 1, "excel_control-1")
    for p in sorted(IMAGES.glob("*.png")):
        print(p.relative_to(IMAGES.parent.parent))


if __name__ == "__main__":
    main()
