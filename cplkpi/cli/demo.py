"""``cplkpi demo``: the main job on the bundled sample workbook."""

from __future__ import annotations

from pathlib import Path

import typer

from cplkpi.examples import sample_path

from . import app
from .common import console
from .score import run_score


@app.command("demo")
def demo_command(
    out: Path = typer.Option(Path("cplkpi-demo"), help="โฟลเดอร์ผลลัพธ์ (output folder)"),
) -> None:
    """ทดลองกับข้อมูลตัวอย่างเขตบางกอกน้อย ปีงบประมาณ 2563 (run the main job on the bundled sample)."""
    sample = sample_path()
    console.print(f"ข้อมูลตัวอย่าง (sample): {sample}")
    out.mkdir(parents=True, exist_ok=True)
    run_score(sample, 2563, "bma-2557", None, out / "explanations_2563.xlsx", keep_going=False)
