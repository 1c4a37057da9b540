"""``cplkpi demo``: the main job on the bundled sample workbook."""

from __future__ import annotations

from pathlib import Path

import typer

from cplkpi.examples import sample_path
from cplkpi.outputs import check_output_folder
from cplkpi.scoring.rules import DEFAULT_RULES
from cplkpi.scoring.thaidate import parse_month

from . import app
from .common import console, plain
from .report import print_findings, print_result
from .score import run_score

#: The demo's report month: September 2020 (ก.ย. 2563), the last month of fiscal year 2563.
DEMO_MONTH = "2563-09"
#: The demo's per-complaint explanations, written into its output folder.
EXPLANATIONS = "explanations_2563.xlsx"


@app.command("demo")
def demo_command(
    out: Path = typer.Option(Path("cplkpi-demo"), help="โฟลเดอร์ผลลัพธ์ (output folder)"),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="สร้าง PDF ด้วย LibreOffice (render PDFs)"),
) -> None:
    """ทดลองกับข้อมูลตัวอย่างเขตบางกอกน้อย ปีงบประมาณ 2563 (run the main job on the bundled sample).

    Scores the sample for fiscal year 2563, then fills its CPL_R001 and
    CPL_R003 for ก.ย. 2563 (xlsx, PDF, narrative) into ``out``.
    """
    from cplkpi.macros.reports import fill_monthly_reports, output_names  # noqa: PLC0415 (heavy: loaded when the command runs)


    sample = sample_path()
    console.print(f"ข้อมูลตัวอย่าง (sample): {plain(sample)}")
    check_output_folder(out, sample, names=[EXPLANATIONS, *output_names(parse_month(DEMO_MONTH))])
    out.mkdir(parents=True, exist_ok=True)
    run_score(sample, 2563, DEFAULT_RULES, None, out / EXPLANATIONS, keep_going=False)
    console.print("\n[bold]แบบรายงาน CPL_R001 และ CPL_R003 เดือนกันยายน 2563 (monthly reports)[/]")
    result = fill_monthly_reports(sample, DEMO_MONTH, out_dir=out, pdf=pdf)
    print_result(result)
    print_findings(result.findings)
